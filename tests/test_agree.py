"""`positions.agree` and `python -m positions agree`: inter-coder agreement of two codings.

Every expected alpha below is worked out by hand from Krippendorff's definitions, with
n values pairable in all, n_c of them in category c, o_ck the coincidences and d_ck the
distance between categories c and k:

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck d_ck / sum_ck n_c n_k d_ck

(both sums over ordered pairs c != k). With two coders and both values present in every unit,
each unit whose values differ adds 1 to o_ck and 1 to o_kc. Nominal: d_ck = 1 for c != k, so
sum_ck n_c n_k d_ck = n^2 - sum_c n_c^2. Ordinal (categories in scale order):
d_ck = (n_c / 2 + sum of n_g strictly between c and k + n_k / 2)^2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from positions import __main__ as cli
from positions import load_dataset
from positions.agree import (
    Agreement,
    Alpha,
    as_json,
    compare,
    disagreement_line,
    format_report,
    krippendorff_alpha,
    latest,
    shorten,
    summary_line,
    units,
)
from positions.model import Dataset, Position

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
A_PATH = "tests/fixtures/agree-a.yaml"
B_PATH = "tests/fixtures/agree-b.yaml"

ACTORS = ["north", "south", "east", "west", "centre", "island", "river", "hill"]
TOPICS = ["pipeline", "waiver", "rights"]

Row = tuple[str, str, str]  # (actor, topic, stance), all from the source "article"


def coding(*rows: Row, extra: list[dict[str, Any]] | None = None) -> Dataset:
    """An in-memory coding of the one source `article`."""
    positions = [
        {
            "actor": actor,
            "topic": topic,
            "stance": stance,
            "source": "article",
            "quote": f"{actor} coded as {stance}",
        }
        for actor, topic, stance in rows
    ]
    return Dataset.model_validate(
        {
            "dataset": {
                "id": "coding",
                "title": "A coding",
                "description": "For agreement tests.",
                "as_of": "2021-05-20",
            },
            "sources": [{"id": "article", "title": "The article"}],
            "actors": [{"id": a, "name": a.title(), "kind": "state"} for a in ACTORS],
            "topics": [{"id": t, "name": t.title()} for t in TOPICS],
            "positions": positions + (extra or []),
        }
    )


def close(value: float | None, expected: float) -> bool:
    return value is not None and abs(value - expected) < 1e-9


# One unit agreed on each of the five scale stances.
AGREED: list[Row] = [
    ("north", "pipeline", "support"),
    ("south", "pipeline", "lean_support"),
    ("east", "pipeline", "mixed"),
    ("west", "pipeline", "lean_oppose"),
    ("centre", "pipeline", "oppose"),
]


@pytest.fixture(scope="module")
def fixtures() -> tuple[Dataset, Dataset]:
    return load_dataset(FIXTURES / "agree-a.yaml"), load_dataset(FIXTURES / "agree-b.yaml")


def test_perfect_agreement_is_alpha_one() -> None:
    # Units (support, support) and (oppose, oppose): n = 4, n_support = n_oppose = 2. No unit
    # differs, so sum o d = 0 and alpha = 1 - 0 / D_e = 1 (D_e > 0: two categories in use).
    rows: list[Row] = [("north", "pipeline", "support"), ("south", "pipeline", "oppose")]
    result = compare(coding(*rows), coding(*rows))
    assert result.alpha_ordinal.value == pytest.approx(1.0, abs=1e-9)
    assert result.alpha_nominal.value == pytest.approx(1.0, abs=1e-9)
    assert (result.alpha_ordinal.n, result.alpha_nominal.n) == (2, 2)
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert (result.exact, result.within_one) == (1.0, 1.0)
    assert result.disagreements == ()


def test_one_step_disagreement_has_a_higher_ordinal_alpha_than_four_steps() -> None:
    # Six units: the five AGREED ones and island on rights, A support and B lean_support (one
    # step) or B oppose (four steps). n = 12.
    #
    # One step: n_c (support, lean_support, mixed, lean_oppose, oppose) = 3, 3, 2, 2, 2.
    #   sum o d = 2 d(s, ls) = 2 (3/2 + 3/2)^2 = 18.
    #   n_c n_k d_ck over the pairs c < k:
    #     s-ls 9 * 3^2 = 81        s-m 6 * 5.5^2 = 181.5   s-lo 6 * 7.5^2 = 337.5
    #     s-o 6 * 9.5^2 = 541.5    ls-m 6 * 2.5^2 = 37.5   ls-lo 6 * 4.5^2 = 121.5
    #     ls-o 6 * 6.5^2 = 253.5   m-lo 4 * 2^2 = 16       m-o 4 * 4^2 = 64
    #     lo-o 4 * 2^2 = 16                                 total 1650, ordered pairs 3300.
    #   alpha = 1 - 11 * 18 / 3300 = 1 - 0.06 = 0.94.
    # Four steps: n_c = 3, 2, 2, 2, 3.
    #   sum o d = 2 d(s, o) = 2 (3/2 + 2 + 2 + 2 + 3/2)^2 = 2 * 81 = 162.
    #   n_c n_k d_ck, c < k:
    #     s-ls 6 * 2.5^2 = 37.5    s-m 6 * 4.5^2 = 121.5   s-lo 6 * 6.5^2 = 253.5
    #     s-o 9 * 9^2 = 729        ls-m 4 * 2^2 = 16       ls-lo 4 * 4^2 = 64
    #     ls-o 6 * 6.5^2 = 253.5   m-lo 4 * 2^2 = 16       m-o 6 * 4.5^2 = 121.5
    #     lo-o 6 * 2.5^2 = 37.5                             total 1650, ordered pairs 3300.
    #   alpha = 1 - 11 * 162 / 3300 = 1 - 0.54 = 0.46.
    # Nominal, both cases: sum o d = 2; n^2 - sum n_c^2 = 144 - 30 = 114;
    #   alpha = 1 - 11 * 2 / 114 = 92 / 114 = 46 / 57.
    a = coding(*AGREED, ("island", "rights", "support"))
    one_step = compare(a, coding(*AGREED, ("island", "rights", "lean_support")))
    four_steps = compare(a, coding(*AGREED, ("island", "rights", "oppose")))
    assert close(one_step.alpha_ordinal.value, 0.94)
    assert close(four_steps.alpha_ordinal.value, 0.46)
    assert one_step.alpha_ordinal.value > four_steps.alpha_ordinal.value  # type: ignore[operator]
    assert close(one_step.alpha_nominal.value, 46 / 57)
    assert close(four_steps.alpha_nominal.value, 46 / 57)
    assert (one_step.exact, one_step.within_one) == (5 / 6, 1.0)
    assert (four_steps.exact, four_steps.within_one) == (5 / 6, 5 / 6)


def test_a_unit_only_one_coder_has_counts_for_nominal_and_recall_not_ordinal() -> None:
    # The one-step case above (ordinal 0.94 over 6 units) plus river on rights, oppose in B
    # only. Ordinal: the new unit has no value in A, so it is left out: still 0.94, n = 6.
    # Nominal: 7 units, n = 14, n_c (s, ls, m, lo, o, no_record) = 3, 3, 2, 2, 3, 1;
    #   sum o d = 2 (island) + 2 (river: oppose vs no_record) = 4;
    #   n^2 - sum n_c^2 = 196 - (9 + 9 + 4 + 4 + 9 + 1) = 160;
    #   alpha = 1 - 13 * 4 / 160 = 1 - 0.325 = 0.675.
    # Records: A 6, B 7, both 6: precision 6/7, recall 1, F1 2 (6/7) / (13/7) = 12/13.
    a = coding(*AGREED, ("island", "rights", "support"))
    b = coding(*AGREED, ("island", "rights", "lean_support"), ("river", "rights", "oppose"))
    result = compare(a, b)
    assert close(result.alpha_ordinal.value, 0.94)
    assert (result.alpha_ordinal.n, result.ordinal_left_out) == (6, 1)
    assert close(result.alpha_nominal.value, 0.675)
    assert result.alpha_nominal.n == 7
    assert close(result.precision, 6 / 7)
    assert close(result.recall, 1.0)
    assert close(result.f1, 12 / 13)
    assert (result.units, result.units_a, result.units_b, result.matched) == (7, 6, 7, 6)
    assert [d.kind for d in result.disagreements] == ["stance differs", "only in B"]


def test_not_raised_against_support_is_a_nominal_disagreement_only() -> None:
    # The one-step case plus hill on rights: A not_raised, B support. Ordinal: not_raised is
    # no point on the scale, so the unit is left out: 0.94 over 6 units.
    # Nominal: n = 14, n_c (s, ls, m, lo, o, not_raised) = 4, 3, 2, 2, 2, 1;
    #   sum o d = 2 (island) + 2 (hill) = 4; n^2 - sum n_c^2 = 196 - 38 = 158;
    #   alpha = 1 - 13 * 4 / 158 = 106 / 158 = 53 / 79.
    # Both have a record for all 7 units: precision = recall = 1; exact 5 of 7; within one
    # step 6 of 7 (island is one step apart; not_raised vs support is not on the scale).
    a = coding(*AGREED, ("island", "rights", "support"), ("hill", "rights", "not_raised"))
    b = coding(*AGREED, ("island", "rights", "lean_support"), ("hill", "rights", "support"))
    result = compare(a, b)
    assert close(result.alpha_ordinal.value, 0.94)
    assert (result.alpha_ordinal.n, result.ordinal_left_out) == (6, 1)
    assert close(result.alpha_nominal.value, 53 / 79)
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert close(result.exact, 5 / 7)
    assert close(result.within_one, 6 / 7)


# The fixtures, unit by unit (A | B), over the shared sources article and readout; B's memo
# source is not in A and is left out:
#   u1 north / pipeline / article            support      | support
#   u2 south / pipeline / article            oppose       | oppose
#   u3 south / waiver / article              lean_support | support
#   u4 north-minister / rights / article     not_raised   | support
#   u5 north / waiver / article              lean_support | (no record)
#   u6 parliament / waiver / article         (no record)  | mixed
#   u7 south / rights / article              oppose       | (no record)
#   u8 north-minister / rights / readout     oppose       | lean_oppose


def test_fixtures_figures_by_hand(fixtures: tuple[Dataset, Dataset]) -> None:
    # Ordinal, over u1 u2 u3 u8 (u4 to u7 left out): n = 8, n_c (s, ls, m, lo, o) = 3, 1, 0,
    # 1, 3. sum o d = 2 d(s, ls) + 2 d(lo, o) = 2 (1.5 + 0.5)^2 + 2 (0.5 + 1.5)^2 = 16.
    #   n_c n_k d_ck, c < k (pairs with mixed are 0):
    #     s-ls 3 * 2^2 = 12   s-lo 3 * (1.5 + 1 + 0.5)^2 = 27   s-o 9 * (1.5 + 1 + 1 + 1.5)^2 = 225
    #     ls-lo 1 * 1^2 = 1   ls-o 3 * (0.5 + 1 + 1.5)^2 = 27   lo-o 3 * 2^2 = 12
    #     total 304, ordered pairs 608.  alpha = 1 - 7 * 16 / 608 = 496 / 608 = 31 / 38.
    # Nominal, over u1-u8: n = 16, n_c (s, ls, m, lo, o, not_raised, no_record)
    #   = 4, 2, 1, 1, 4, 1, 3. sum o d = 2 * 6 (u3-u8) = 12;
    #   n^2 - sum n_c^2 = 256 - (16 + 4 + 1 + 1 + 16 + 1 + 9) = 208;
    #   alpha = 1 - 15 * 12 / 208 = 28 / 208 = 7 / 52.
    # Records: A 7, B 6, both 5: precision 5/6, recall 5/7, F1 2 (25/42) / (65/42) = 10/13.
    # Exact: u1 u2 of 5; within one step: u1 u2 u3 u8 of 5.
    a, b = fixtures
    result = compare(a, b)
    assert result.sources == ("article", "readout")
    assert (result.sources_only_a, result.sources_only_b) == ((), ("memo",))
    assert close(result.alpha_ordinal.value, 31 / 38)
    assert (result.alpha_ordinal.n, result.ordinal_left_out) == (4, 4)
    assert close(result.alpha_nominal.value, 7 / 52)
    assert result.alpha_nominal.n == 8
    assert (result.units, result.units_a, result.units_b, result.matched) == (8, 7, 6, 5)
    assert close(result.precision, 5 / 6)
    assert close(result.recall, 5 / 7)
    assert close(result.f1, 10 / 13)
    assert (result.exact, result.within_one) == (2 / 5, 4 / 5)


def test_source_restriction(fixtures: tuple[Dataset, Dataset]) -> None:
    # Only article: u8 goes. Ordinal over u1 u2 u3: n = 6, n_c (s, ls, m, lo, o) = 3, 1, 0,
    #   0, 2. sum o d = 2 d(s, ls) = 2 (1.5 + 0.5)^2 = 8.
    #   s-ls 3 * 4 = 12, s-o 6 * (1.5 + 1 + 1)^2 = 73.5, ls-o 2 * (0.5 + 1)^2 = 4.5:
    #   total 90, ordered 180. alpha = 1 - 5 * 8 / 180 = 7 / 9.
    # Nominal over u1-u7: n = 14, n_c (s, ls, m, o, not_raised, no_record) = 4, 2, 1, 3, 1, 3.
    #   sum o d = 2 * 5 = 10; n^2 - sum n_c^2 = 196 - 40 = 156;
    #   alpha = 1 - 13 * 10 / 156 = 26 / 156 = 1 / 6.
    # Records: A 6, B 5, both 4: precision 4/5, recall 4/6, F1 (16/15) / (22/15) = 8/11.
    a, b = fixtures
    result = compare(a, b, sources=["article"])
    assert result.sources == ("article",)
    assert close(result.alpha_ordinal.value, 7 / 9)
    assert (result.alpha_ordinal.n, result.ordinal_left_out) == (3, 4)
    assert close(result.alpha_nominal.value, 1 / 6)
    assert result.alpha_nominal.n == 7
    assert close(result.precision, 4 / 5)
    assert close(result.recall, 4 / 6)
    assert close(result.f1, 8 / 11)
    assert (result.exact, result.within_one) == (2 / 4, 3 / 4)
    assert all(d.source == "article" for d in result.disagreements)
    assert compare(a, b, sources=["article", "readout"]) == compare(a, b)


def test_a_source_not_in_both_codings_is_refused(fixtures: tuple[Dataset, Dataset]) -> None:
    a, b = fixtures
    with pytest.raises(ValueError, match="not a source of both codings: memo"):
        compare(a, b, sources=["memo"])


def test_the_package_alpha_matches_the_hand_computed_one() -> None:
    # The ordinal case of test_source_restriction, straight through the helper: 7 / 9.
    result = krippendorff_alpha([(2, 2), (-2, -2), (1, 2)], [-2, -1, 0, 1, 2], "ordinal")
    assert close(result.value, 7 / 9)
    assert (result.n, result.reason) == (3, None)


def position(stance: str, date: Any, note: str) -> Position:
    # model_construct: the rule must hold for partial dates ("2021-05") as given, too.
    return Position.model_construct(
        actor="north",
        topic="pipeline",
        stance=stance,
        source="article",
        quote=f"north says {note}",
        date=date,
        note=note,
    )


def test_latest_date_wins_whatever_the_order() -> None:
    import datetime as dt

    old = position("oppose", dt.date(2021, 2, 1), "old")
    new = position("support", dt.date(2021, 5, 19), "new")
    undated = position("mixed", None, "undated")
    assert latest([new, old]).note == "new"
    assert latest([old, new]).note == "new"
    assert latest([undated, old]).note == "old"  # a missing date counts as the earliest
    assert latest([old, undated]).note == "old"
    assert latest([undated]).note == "undated"
    with pytest.raises(ValueError):
        latest([])


def test_latest_on_a_tie_takes_the_later_record_in_the_file() -> None:
    import datetime as dt

    first = position("oppose", dt.date(2021, 5, 19), "first")
    second = position("support", dt.date(2021, 5, 19), "second")
    assert latest([first, second]).note == "second"
    assert latest([second, first]).note == "first"
    assert latest([position("oppose", None, "a"), position("mixed", None, "b")]).note == "b"


def test_latest_compares_partial_dates_as_given() -> None:
    import datetime as dt

    year = position("oppose", "2021", "year")
    month = position("mixed", "2021-05", "month")
    day = position("support", dt.date(2021, 5, 19), "day")
    earlier = position("lean_oppose", dt.date(2020, 12, 31), "earlier")
    assert latest([day, month, year, earlier]).note == "day"
    assert latest([month, year, earlier]).note == "month"
    assert latest([year, earlier]).note == "year"


def test_units_take_the_latest_record(fixtures: tuple[Dataset, Dataset]) -> None:
    a, b = fixtures
    # A: support dated 2021-05-19 is listed before oppose dated 2021-02-01.
    assert units(a, ["article"])[("north", "pipeline", "article")].stance == "support"
    # B: dated oppose before an undated lean_support (undated counts as earliest).
    assert units(b, ["article"])[("south", "pipeline", "article")].stance == "oppose"
    assert set(units(b, ["memo"])) == {("north", "pipeline", "memo")}
    assert units(a, []) == {}


DISAGREEMENTS = [
    'north / waiver / article: A lean_support "decided to consider the waiver" | B (no record)',
    "north-minister / rights / article: A not_raised "
    '"he did not criticise the treatment" | B support "he spoke up for the prisoner"',
    "north-minister / rights / readout: A oppose "
    '"raised the prisoner\'s health" | B lean_oppose "raised the prisoner\'s health"',
    'parliament / waiver / article: A (no record) | B mixed "parliament was divided on the waiver"',
    'south / rights / article: A oppose "south condemned the treatment of the prisoner in the '
    'strongest terms and…" | B (no record)',
    'south / waiver / article: A lean_support "a constructive step indeed" | '
    'B support "a constructive step indeed"',
]


def test_disagreement_lines(fixtures: tuple[Dataset, Dataset]) -> None:
    result = compare(*fixtures)
    assert [disagreement_line(d) for d in result.disagreements] == DISAGREEMENTS
    assert [d.kind for d in result.disagreements] == [
        "only in A",
        "stance differs",
        "stance differs",
        "only in B",
        "only in A",
        "stance differs",
    ]
    report = format_report(result).splitlines()
    assert report[-len(DISAGREEMENTS) - 2] == "disagreements: 6"
    assert report[-len(DISAGREEMENTS) - 1 : -1] == [f"  {line}" for line in DISAGREEMENTS]


def test_shorten_keeps_quotes_to_one_line_of_about_80_characters() -> None:
    assert shorten("a short\nquote") == "a short quote"
    long = "word " * 40
    assert len(shorten(long)) <= 80
    assert shorten(long).endswith("word…")
    assert shorten("x" * 100) == "x" * 79 + "…"


def test_undefined_alphas_are_reported_not_raised() -> None:
    # No unit at all: nothing to pair, no records.
    empty = compare(coding(), coding())
    assert empty.alpha_ordinal == empty.alpha_nominal
    assert (empty.alpha_ordinal.value, empty.alpha_ordinal.reason) == (None, "fewer than 2 units")
    assert (empty.precision, empty.recall, empty.f1, empty.exact) == (None, None, None, None)
    assert summary_line(empty) == (
        "alpha ordinal n/a (n=0), alpha nominal n/a (n=0), precision n/a, recall n/a"
    )
    report = format_report(empty)
    assert "alpha ordinal: n/a (fewer than 2 units) over 0 units" in report
    assert "precision (of B's units, share also in A): n/a (B has no units)" in report
    # One unit only.
    one = compare(coding(AGREED[0]), coding(AGREED[0]))
    assert one.alpha_ordinal.value is None and one.alpha_ordinal.n == 1
    apart = compare(
        coding(("north", "pipeline", "support")), coding(("north", "pipeline", "oppose"))
    )
    # One unit, support against oppose: alpha would be 0 from one pair; it is undefined.
    assert apart.alpha_ordinal == Alpha(None, 1, "fewer than 2 units")
    assert apart.alpha_nominal == Alpha(None, 1, "fewer than 2 units")
    # Two units, all support: no variation, so the expected disagreement is 0.
    same: list[Row] = [("north", "pipeline", "support"), ("south", "pipeline", "support")]
    flat = compare(coding(*same), coding(*same))
    assert flat.alpha_ordinal.value is None and flat.alpha_nominal.value is None
    assert flat.alpha_nominal.reason == "no variation: every value is the same in both codings"
    assert "alpha nominal: n/a (no variation" in format_report(flat)
    assert (flat.precision, flat.recall) == (1.0, 1.0)
    # B has nothing: precision is undefined, recall 0, alpha nominal is defined.
    none = compare(coding(*AGREED), coding())
    assert (none.precision, none.recall, none.f1) == (None, 0.0, None)
    assert none.alpha_ordinal.value is None and none.alpha_ordinal.n == 0
    assert none.alpha_nominal.value is not None


# The command line, called in-process.


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["agree", *args])
    except SystemExit as exc:  # argparse: --help and usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_the_report_ending_with_the_summary_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, A_PATH, B_PATH)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:4] == [
        f"A (reference): {A_PATH}",
        f"B: {B_PATH}",
        "sources compared: article, readout",
        "sources only in B, left out: memo",
    ]
    assert lines[-1] == (
        "alpha ordinal 0.816 (n=4), alpha nominal 0.135 (n=8), precision 0.83, recall 0.71"
    )
    assert "F1: 0.77" in lines
    assert "exact stance agreement (units in both): 0.40 (2 of 5)" in lines
    assert "within one step (units in both): 0.80 (4 of 5)" in lines


def test_cli_source_restriction(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, A_PATH, B_PATH, "--source", "article")
    assert code == 0
    assert out.splitlines()[-1] == (
        "alpha ordinal 0.778 (n=3), alpha nominal 0.167 (n=7), precision 0.80, recall 0.67"
    )
    code, both, _ = run(capsys, A_PATH, B_PATH, "--source", "readout", "--source", "article")
    assert code == 0
    assert both.splitlines()[-1] == (
        "alpha ordinal 0.816 (n=4), alpha nominal 0.135 (n=8), precision 0.83, recall 0.71"
    )


def test_cli_json_matches_the_figures(
    capsys: pytest.CaptureFixture[str], fixtures: tuple[Dataset, Dataset]
) -> None:
    code, out, _ = run(capsys, A_PATH, B_PATH, "--json")
    assert code == 0
    data = json.loads(out)
    result: Agreement = compare(*fixtures)
    assert data == as_json(result, A_PATH, B_PATH)
    assert data["alpha_ordinal"] == {
        "value": data["alpha_ordinal"]["value"],
        "n": 4,
        "reason": None,
        "left_out": 4,
    }
    assert abs(data["alpha_ordinal"]["value"] - 31 / 38) < 1e-9
    assert abs(data["alpha_nominal"]["value"] - 7 / 52) < 1e-9
    assert (data["precision"], data["recall"]) == (5 / 6, 5 / 7)
    assert len(data["disagreements"]) == 6
    assert data["disagreements"][0] == {
        "actor": "north",
        "topic": "waiver",
        "source": "article",
        "kind": "only in A",
        "a": {"stance": "lean_support", "quote": "decided to consider the waiver"},
        "b": None,
    }
    assert data["sources_only_b"] == ["memo"]


def test_cli_invalid_file_exits_1_with_located_problems(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = "tests/broken/bad-stance.yaml"
    code, out, err = run(capsys, A_PATH, bad)
    assert code == 1
    assert out.splitlines() == [
        f"{bad}:31:5: positions[0].stance: 'supports' is not one of support, lean_support, "
        "mixed, lean_oppose, oppose, not_raised (hint: did you mean 'support'?)"
    ]
    assert err == f"{bad}: 1 problem\n"


def test_cli_reports_the_problems_of_both_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = str(tmp_path / "nowhere.yaml")
    code, out, err = run(capsys, missing, "tests/broken/bad-stance.yaml")
    assert code == 1
    assert out.splitlines()[0] == f"{missing}:1:1: cannot read the file: No such file or directory"
    assert len(out.splitlines()) == 2
    assert err.splitlines() == [f"{missing}: 1 problem", "tests/broken/bad-stance.yaml: 1 problem"]


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, A_PATH)[0] == 2
    code, out, err = run(capsys, A_PATH, B_PATH, "--source", "memo")
    assert (code, out) == (2, "")
    assert "not a source of both codings: memo (shared: article, readout)" in err


def test_cli_help_describes_agree(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    text = " ".join(out.split())
    assert text.startswith("usage: python -m positions agree")
    for phrase in ("--source ID", "--json", "Krippendorff's alpha", "latest date", "Exit 0"):
        assert phrase in text
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    assert "agree" in capsys.readouterr().out
