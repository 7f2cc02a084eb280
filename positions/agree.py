"""Inter-coder agreement: how far two codings of the same sources agree (`python -m positions
agree A.yaml B.yaml`).

A *unit* is an (actor, topic, source) triple over the sources both codings share by id. Its
value in one coding is the stance of its record (see `latest` for a unit with several records),
or "no record" when that coding has none. The figures, all of B against A as the reference:

- alpha ordinal: Krippendorff's alpha on the five-point scale (support, lean_support, mixed,
  lean_oppose, oppose), over the units where both codings give a scale stance; units where
  either side is not_raised or has no record are left out (and counted).
- alpha nominal: Krippendorff's alpha over every unit of either coding, with seven categories
  (the five stances, not_raised, no_record): agreement on whether there is a record, on
  not_raised and on the stance together.
- precision (matched units / B's units), recall (matched units / A's units) and F1, where a
  matched unit is one with a record in both codings.
- exact agreement: the share of matched units with the same stance; within one step: the share
  of matched units with the same stance or two scale stances one step apart.

Both alphas come from the `krippendorff` package, with the value domain given explicitly (so
that the categories are the scale's, in its order, whichever of them a coding happens to use).
An alpha is undefined (None, with the reason) with fewer than two units or no variation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import krippendorff

from positions.errors import one_line
from positions.model import STANCE_SCORE, Dataset, Position

Unit = tuple[str, str, str]  # (actor, topic, source)

# The ordinal scale, high to low; not_raised is not a point on it.
SCALE: tuple[str, ...] = tuple(STANCE_SCORE)
NOT_RAISED = "not_raised"
NO_RECORD = "no_record"
# The nominal alpha's categories: whether there is a record, not_raised and the stance at once.
NOMINAL_CATEGORIES: tuple[str, ...] = (*SCALE, NOT_RAISED, NO_RECORD)
QUOTE_WIDTH = 80


@dataclass(frozen=True)
class Alpha:
    """One Krippendorff's alpha: its value over `n` units, or None and the reason it is
    undefined."""

    value: float | None
    n: int
    reason: str | None = None


@dataclass(frozen=True)
class Disagreement:
    """A unit the two codings code differently: only one has a record, or the stances differ.
    A side without a record has None for its stance and quote."""

    actor: str
    topic: str
    source: str
    kind: str  # "only in A", "only in B" or "stance differs"
    stance_a: str | None
    quote_a: str | None
    stance_b: str | None
    quote_b: str | None


@dataclass(frozen=True)
class Agreement:
    """Every figure of the comparison of coding B against coding A as the reference."""

    sources: tuple[str, ...]  # the source ids compared
    sources_only_a: tuple[str, ...]  # left out: not in B
    sources_only_b: tuple[str, ...]  # left out: not in A
    units: int  # units with a record in either coding
    units_a: int
    units_b: int
    matched: int  # units with a record in both
    alpha_ordinal: Alpha
    ordinal_left_out: int  # units where either side is not_raised or has no record
    alpha_nominal: Alpha
    precision: float | None  # matched / units_b
    recall: float | None  # matched / units_a
    f1: float | None
    exact: float | None  # same stance, among matched units
    within_one: float | None  # same stance or one scale step apart, among matched units
    exact_count: int
    within_one_count: int
    disagreements: tuple[Disagreement, ...]


def latest(records: Iterable[Position]) -> Position:
    """The record that stands for a unit when a coding has several (different occasions).

    The record with the latest date wins. Dates are compared as given, by their ISO text
    (`2021-05-19`; a partial date such as `2021-05` sorts before the full dates within it); a
    record without a date counts as earlier than any dated one. On a tie the record later in
    the file wins. Raises ValueError when there is no record.
    """
    best: Position | None = None
    best_key: tuple[int, str] = (-1, "")
    for record in records:
        key = _date_key(record)
        if best is None or key >= best_key:  # >=: on a tie, the later record wins
            best, best_key = record, key
    if best is None:
        raise ValueError("no record for the unit")
    return best


def _date_key(record: Position) -> tuple[int, str]:
    date: Any = record.date
    if date is None:
        return (0, "")
    text = date.isoformat() if hasattr(date, "isoformat") else str(date)
    return (1, text)


def shared_sources(a: Dataset, b: Dataset) -> tuple[str, ...]:
    """The ids of the sources both codings list, in A's order."""
    in_b = {source.id for source in b.sources}
    return tuple(source.id for source in a.sources if source.id in in_b)


def units(dataset: Dataset, sources: Iterable[str]) -> dict[Unit, Position]:
    """Each (actor, topic, source) unit of `dataset` over `sources`, with the record that
    stands for it (`latest` of its records), in the order units first appear in the file."""
    wanted = set(sources)
    records: dict[Unit, list[Position]] = {}
    for position in dataset.positions:
        if position.source in wanted:
            key = (position.actor, position.topic, position.source)
            records.setdefault(key, []).append(position)
    return {key: latest(found) for key, found in records.items()}


def compare(a: Dataset, b: Dataset, sources: Sequence[str] | None = None) -> Agreement:
    """Compare coding B against coding A as the reference, over the sources both share (or
    only `sources`, which must all be shared; ValueError otherwise)."""
    shared = shared_sources(a, b)
    if sources is not None:
        unknown = [s for s in sources if s not in shared]
        if unknown:
            raise ValueError(
                "not a source of both codings: " + ", ".join(unknown) + f" (shared: "
                f"{', '.join(shared) or 'none'})"
            )
        wanted = set(sources)
        shared = tuple(s for s in shared if s in wanted)
    ids_a = [source.id for source in a.sources]
    ids_b = [source.id for source in b.sources]
    units_a = units(a, shared)
    units_b = units(b, shared)
    union = sorted(set(units_a) | set(units_b))
    matched = [key for key in union if key in units_a and key in units_b]

    ordinal_pairs: list[tuple[float, float]] = []
    nominal_pairs: list[tuple[float, float]] = []
    disagreements: list[Disagreement] = []
    exact = within = 0
    for key in union:
        stance_a = _stance(units_a.get(key))
        stance_b = _stance(units_b.get(key))
        nominal_pairs.append(
            (NOMINAL_CATEGORIES.index(stance_a), NOMINAL_CATEGORIES.index(stance_b))
        )
        if stance_a in STANCE_SCORE and stance_b in STANCE_SCORE:
            ordinal_pairs.append((STANCE_SCORE[stance_a], STANCE_SCORE[stance_b]))
        if key in units_a and key in units_b:
            if stance_a == stance_b:
                exact += 1
                within += 1
            elif steps_apart(stance_a, stance_b) == 1:
                within += 1
        if stance_a != stance_b:
            disagreements.append(_disagreement(key, units_a.get(key), units_b.get(key)))

    precision = _share(len(matched), len(units_b))
    recall = _share(len(matched), len(units_a))
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Agreement(
        sources=shared,
        sources_only_a=tuple(s for s in ids_a if s not in ids_b),
        sources_only_b=tuple(s for s in ids_b if s not in ids_a),
        units=len(union),
        units_a=len(units_a),
        units_b=len(units_b),
        matched=len(matched),
        alpha_ordinal=krippendorff_alpha(ordinal_pairs, sorted(STANCE_SCORE.values()), "ordinal"),
        ordinal_left_out=len(union) - len(ordinal_pairs),
        alpha_nominal=krippendorff_alpha(nominal_pairs, range(len(NOMINAL_CATEGORIES)), "nominal"),
        precision=precision,
        recall=recall,
        f1=f1,
        exact=_share(exact, len(matched)),
        within_one=_share(within, len(matched)),
        exact_count=exact,
        within_one_count=within,
        disagreements=tuple(disagreements),
    )


def steps_apart(stance_a: str, stance_b: str) -> int | None:
    """How many steps apart two stances are on the scale; None if either is not on it."""
    if stance_a not in STANCE_SCORE or stance_b not in STANCE_SCORE:
        return None
    return abs(STANCE_SCORE[stance_a] - STANCE_SCORE[stance_b])


def krippendorff_alpha(
    pairs: Sequence[tuple[float, float]], domain: Iterable[float], level: str
) -> Alpha:
    """Krippendorff's alpha of two coders' values, one (A, B) pair per unit, on the value
    domain `domain` (ordered for an ordinal level). Undefined with fewer than two units or
    when every value is the same (the expected disagreement is then zero)."""
    n = len(pairs)
    if n < 2:
        return Alpha(None, n, "fewer than 2 units")
    if len({value for pair in pairs for value in pair}) < 2:
        return Alpha(None, n, "no variation: every value is the same in both codings")
    data = [[float(a) for a, _ in pairs], [float(b) for _, b in pairs]]
    value = float(
        krippendorff.alpha(
            reliability_data=data, value_domain=list(domain), level_of_measurement=level
        )
    )
    return Alpha(value, n)


def _stance(record: Position | None) -> str:
    return NO_RECORD if record is None else record.stance.value


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _disagreement(key: Unit, a: Position | None, b: Position | None) -> Disagreement:
    kind = "only in B" if a is None else "only in A" if b is None else "stance differs"
    return Disagreement(
        actor=key[0],
        topic=key[1],
        source=key[2],
        kind=kind,
        stance_a=a.stance.value if a else None,
        quote_a=a.quote if a else None,
        stance_b=b.stance.value if b else None,
        quote_b=b.quote if b else None,
    )


def shorten(text: str, width: int = QUOTE_WIDTH) -> str:
    """`text` on one line, cut to at most `width` characters (at a word if one ends late
    enough) with "…" marking the cut."""
    text = one_line(" ".join(text.split()))
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def disagreement_line(item: Disagreement) -> str:
    """One disagreement on one line: the unit, then each side's stance and shortened quote."""

    def side(name: str, stance: str | None, quote: str | None) -> str:
        if stance is None or quote is None:
            return f"{name} (no record)"
        return f'{name} {stance} "{shorten(quote)}"'

    return (
        f"{item.actor} / {item.topic} / {item.source}: "
        f"{side('A', item.stance_a, item.quote_a)} | {side('B', item.stance_b, item.quote_b)}"
    )


def _alpha_text(alpha: Alpha, reason: bool = True) -> str:
    if alpha.value is None:
        return f"n/a ({alpha.reason})" if reason else "n/a"
    return f"{alpha.value:.3f}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _fraction(value: float | None, part: int, whole: int, of: str) -> str:
    if value is None:
        return f"n/a ({of} no units)"
    return f"{value:.2f} ({part} of {whole})"


def summary_line(agreement: Agreement) -> str:
    """The report's last line: both alphas with their unit counts, precision and recall."""
    ordinal, nominal = agreement.alpha_ordinal, agreement.alpha_nominal
    precision = "n/a" if agreement.precision is None else f"{agreement.precision:.2f}"
    recall = "n/a" if agreement.recall is None else f"{agreement.recall:.2f}"
    return (
        f"alpha ordinal {_alpha_text(ordinal, reason=False)} (n={ordinal.n}), "
        f"alpha nominal {_alpha_text(nominal, reason=False)} (n={nominal.n}), "
        f"precision {precision}, recall {recall}"
    )


def format_report(agreement: Agreement, a: str = "A", b: str = "B") -> str:
    """The human-readable report, `a` and `b` naming the two codings; its last line is
    `summary_line`."""
    g = agreement
    lines = [f"A (reference): {a}", f"B: {b}"]
    lines.append("sources compared: " + (", ".join(g.sources) or "none"))
    for side, left_out in (("A", g.sources_only_a), ("B", g.sources_only_b)):
        if left_out:
            lines.append(f"sources only in {side}, left out: " + ", ".join(left_out))
    lines.append(
        f"units (actor, topic, source): {g.units}; A has {g.units_a}, B has {g.units_b}, "
        f"both {g.matched}"
    )
    ordinal, nominal = g.alpha_ordinal, g.alpha_nominal
    lines.append(
        f"alpha ordinal: {_alpha_text(ordinal)} over {_count(ordinal.n, 'unit')} with a scale "
        f"stance in both ({g.ordinal_left_out} left out: not_raised or no record on a side)"
    )
    lines.append(
        f"alpha nominal: {_alpha_text(nominal)} over {_count(nominal.n, 'unit')}, 7 categories "
        "(5 stances, not_raised, no_record)"
    )
    shares = (
        ("precision (of B's units, share also in A)", g.precision, g.matched, g.units_b, "B has"),
        ("recall (of A's units, share also in B)", g.recall, g.matched, g.units_a, "A has"),
        ("F1", g.f1, None, None, ""),
        ("exact stance agreement (units in both)", g.exact, g.exact_count, g.matched, "both have"),
        (
            "within one step (units in both)",
            g.within_one,
            g.within_one_count,
            g.matched,
            "both have",
        ),
    )
    for label, share, count, total, who in shares:
        if count is None:
            lines.append(f"{label}: " + ("n/a" if share is None else f"{share:.2f}"))
        else:
            lines.append(f"{label}: " + _fraction(share, count, total, who))
    lines.append(f"disagreements: {len(g.disagreements)}")
    lines += [f"  {disagreement_line(item)}" for item in g.disagreements]
    lines.append(summary_line(g))
    return "\n".join(lines)


def as_json(agreement: Agreement, a: str = "A", b: str = "B") -> dict[str, Any]:
    """The same figures and disagreements as plain data for `json.dumps`; quotes in full."""
    g = agreement

    def alpha(value: Alpha) -> dict[str, Any]:
        return {"value": value.value, "n": value.n, "reason": value.reason}

    return {
        "a": a,
        "b": b,
        "sources": list(g.sources),
        "sources_only_a": list(g.sources_only_a),
        "sources_only_b": list(g.sources_only_b),
        "units": g.units,
        "units_a": g.units_a,
        "units_b": g.units_b,
        "matched": g.matched,
        "alpha_ordinal": {**alpha(g.alpha_ordinal), "left_out": g.ordinal_left_out},
        "alpha_nominal": alpha(g.alpha_nominal),
        "precision": g.precision,
        "recall": g.recall,
        "f1": g.f1,
        "exact": g.exact,
        "within_one": g.within_one,
        "disagreements": [
            {
                "actor": item.actor,
                "topic": item.topic,
                "source": item.source,
                "kind": item.kind,
                "a": None
                if item.stance_a is None
                else {"stance": item.stance_a, "quote": item.quote_a},
                "b": None
                if item.stance_b is None
                else {"stance": item.stance_b, "quote": item.quote_b},
            }
            for item in g.disagreements
        ],
    }
