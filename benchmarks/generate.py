"""Synthetic datasets for the benchmarks: valid, deterministic, at any number of positions.

    .venv/bin/python -m benchmarks.generate --positions 300000 --out benchmarks/out/p300k.yaml
    .venv/bin/python -m benchmarks.generate --positions 1x --out benchmarks/out/p1x.yaml

`1x` copies the bundled dataset. Any other size builds `actors × topics × snapshots` positions
(300,000 = 300 actors × 100 topics × 10 dated snapshots) with matching sources (about one per
100 positions), events and sanctions (about one each per 1,000 positions) and a few prospects.
Every file passes `python -m positions validate PATH --max-bytes <big>`: ids are unique slugs,
quotes have at least three words, actors form a parent hierarchy without cycles, every
reference resolves, a `not_raised` stance names its event and an inferred one has a note.
The same arguments always write the same bytes (the generator is seeded).

The YAML is written by hand (a few seconds for 300k positions; PyYAML's dumper takes minutes):
slugs, enums and dates are plain scalars, every free text is a JSON string, which is a valid
YAML double-quoted scalar.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "positions.yaml"
DEFAULT_SEED = 20210519
# Bumped whenever the output changes, so that cached files in benchmarks/out/ are rebuilt.
GENERATOR_VERSION = 1

START = dt.date(2019, 1, 1)
SPAN_DAYS = 1095  # three years of records
AS_OF = START + dt.timedelta(days=1000)  # some records (and planned events) come after it

STANCES = ["oppose", "lean_oppose", "mixed", "lean_support", "support"]
ROOT_KINDS = ["state", "organisation", "company", "bloc"]
CHILD_KINDS = ["executive", "legislature", "agency", "official", "legislator", "head-of-state"]
EVENT_KINDS = ["meeting", "call", "statement", "summit", "reaction", "announcement", "hearing"]
SOURCE_KINDS = ["news-report", "analysis", "readout", "press-release", "interview"]
PLACES = ["Reykjavik", "Geneva", "Vienna", "Brussels", "Warsaw", "Berlin", "Kyiv", "Helsinki"]
# Packed a few to a line, which the formatter would undo: one word a line is 75 lines.
# fmt: off
WORDS = [
    "the", "government", "said", "it", "would", "not", "accept", "any", "agreement", "that",
    "weakens", "security", "in", "the", "region", "while", "talks", "on", "energy", "supplies",
    "continue", "ministers", "called", "for", "restraint", "and", "dialogue", "on", "arms",
    "control", "sanctions", "pipeline", "waiver", "cooperation", "climate", "cyber", "election",
    "interference", "human", "rights", "detained", "citizens", "summit", "relations", "stability",
    "pressure", "measures", "vessels", "companies", "officials", "parliament", "administration",
    "council", "declaration", "statement", "concern", "support", "opposition", "review",
    "decision", "report", "conditions", "guarantees", "transit", "gas", "market", "partners",
    "allies", "commitments", "strategy", "dialogue", "rhetoric", "response", "proposal",
    "framework",
]
# fmt: on


@dataclass(frozen=True)
class Shape:
    """How many records of each kind a dataset of `positions` positions gets."""

    positions: int
    actors: int
    topics: int
    snapshots: int
    sources: int
    events: int
    sanctions: int
    prospects: int


def shape_for(positions: int) -> Shape:
    """300k -> 300 actors x 100 topics x 10 snapshots; smaller sizes shrink all three."""
    if positions < 10:
        raise ValueError("a synthetic dataset needs at least 10 positions")
    snapshots = 10 if positions >= 50_000 else (5 if positions >= 5_000 else 3)
    pairs = math.ceil(positions / snapshots)
    topics = max(3, round(math.sqrt(pairs / 3)))
    actors = max(3, math.ceil(pairs / topics))
    return Shape(
        positions=positions,
        actors=actors,
        topics=topics,
        snapshots=snapshots,
        sources=max(10, positions // 100),
        events=max(5, positions // 1000),
        sanctions=max(12, positions // 1000),
        prospects=min(40, max(3, positions // 5000)),
    )


def q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        return " ".join(self.rng.choice(WORDS) for _ in range(count))

    def sentence(self, low: int = 6, high: int = 24) -> str:
        text = self.words(low, high)
        return text[:1].upper() + text[1:] + "."


def _date(day: int) -> dt.date:
    return START + dt.timedelta(days=day)


def _item(*fields: tuple[str, object]) -> Iterator[str]:
    """One record of a YAML list: a `key: value` line a field, the first one opening the item.

    A field whose value is None is left out. Values are written as they are, so each must
    already be YAML (a slug, a date, a q() string, a _flow() list). The caller computes them in
    the order they are written, which keeps the seeded output the same.
    """
    lead = "  - "
    for key, value in fields:
        if value is not None:
            yield f"{lead}{key}: {value}"
            lead = "    "


def _flow(ids: list[str]) -> str:
    """A YAML flow sequence of plain scalars: `[a, b, c]`."""
    return f"[{', '.join(ids)}]"


# A record's fields after its id, as _item writes them.
Fields = tuple[tuple[str, object], ...]


def _section(name: str, ids: list[str], fields: Callable[[int], Fields]) -> Iterator[str]:
    """A top-level list `name:` with one record an id: the id, then the fields `fields(i)` makes
    for the i-th. Called in order, record by record, so the seeded output stays the same."""
    yield f"{name}:"
    for i, record_id in enumerate(ids):
        yield from _item(("id", record_id), *fields(i))


def generate_lines(positions: int, seed: int = DEFAULT_SEED) -> Iterator[str]:
    """The dataset's YAML, line by line."""
    shape = shape_for(positions)
    rng = random.Random(seed * 1_000_003 + positions)
    w = _Writer(rng)

    actor_ids = [f"actor-{i:04d}" for i in range(shape.actors)]
    topic_ids = [f"topic-{i:03d}" for i in range(shape.topics)]
    source_ids = [f"source-{i:05d}" for i in range(shape.sources)]
    event_ids = [f"event-{i:04d}" for i in range(shape.events)]
    prospect_ids = [f"prospect-{i:03d}" for i in range(shape.prospects)]

    yield "# yaml-language-server: $schema=../../data/positions.schema.json"
    yield (
        f"# Synthetic benchmark dataset: benchmarks/generate.py --positions {positions} "
        f"--seed {seed} (generator v{GENERATOR_VERSION}). Not real data."
    )
    yield "dataset:"
    yield f"  id: synthetic-{positions}"
    yield f"  title: {q(f'Synthetic benchmark dataset ({positions:,} positions)')}"
    yield f"  subtitle: {q(f'{shape.actors} actors, {shape.topics} topics, dated snapshots')}"
    yield f"  description: {q('Generated for performance benchmarks. ' + w.sentence(20, 40))}"
    yield f"  as_of: {AS_OF.isoformat()}"
    yield f"  method: {q('Random records from a seeded generator: ' + w.sentence(10, 20))}"
    yield f"  article_source: {source_ids[0]}"
    yield f"  meeting_event: {event_ids[0]}"
    yield f"  curated_by: {q('benchmarks/generate.py')}"
    yield "  license: CC0-1.0"
    yield f'  version: "{GENERATOR_VERSION}"'

    def source_fields(i: int) -> Fields:
        return (
            ("title", q(f"Report {i}: " + w.words(3, 9))),
            ("author", q(f"Author {i % 97}")),
            ("publisher", q(f"Publisher {i % 31}")),
            ("date", _date(rng.randrange(SPAN_DAYS)).isoformat() if i % 5 else None),
            ("url", f"https://example.org/reports/{i:05d}" if i % 2 == 0 else None),
            ("kind", SOURCE_KINDS[i % len(SOURCE_KINDS)]),
            ("language", "en"),
        )

    yield from _section("sources", source_ids, source_fields)

    # Actors: a tenth are top-level (states, organisations); the rest hang under an earlier
    # actor at most three levels deep, so the hierarchy has no cycle by construction.
    roots = max(2, shape.actors // 10)
    depth: list[int] = []

    def actor_fields(i: int) -> Fields:
        if i < roots:
            kind, parent = ROOT_KINDS[i % len(ROOT_KINDS)], None
            depth.append(0)
        else:
            candidates = [j for j in range(i) if depth[j] < 3]
            parent_index = rng.choice(candidates[-50:] if len(candidates) > 50 else candidates)
            kind, parent = rng.choice(CHILD_KINDS), actor_ids[parent_index]
            depth.append(depth[parent_index] + 1)
        name = f"{rng.choice(PLACES)} {kind.replace('-', ' ')} {i:04d}"
        return (
            ("name", q(name)),
            ("kind", kind),
            ("parent", parent),
            ("aliases", _flow([q(f"Alias {i}")]) if i % 4 == 0 else None),
            ("description", q(w.sentence(4, 10)) if i % 3 == 0 else None),
        )

    yield from _section("actors", actor_ids, actor_fields)

    groups = max(2, shape.topics // 10)

    def topic_fields(i: int) -> Fields:
        return (
            ("name", q(f"Topic {i:03d}: " + w.words(2, 5))),
            ("group", q(f"Group {i % groups}")),
            ("description", q(w.sentence(8, 16) + " Support = wants it.")),
        )

    yield from _section("topics", topic_ids, topic_fields)

    # Events first in time order of their ids; the first is the dataset's central meeting.
    event_days = sorted(rng.randrange(SPAN_DAYS) for _ in event_ids)
    event_days[0] = (AS_OF - START).days - 1

    def event_fields(i: int) -> Fields:
        day = event_days[i]
        planned = _date(day) > AS_OF
        return (
            ("date", _date(day).isoformat()),
            ("title", q(f"Event {i:04d}: " + w.words(3, 8))),
            ("kind", "meeting" if i == 0 else rng.choice(EVENT_KINDS)),
            ("status", "planned" if planned else "occurred"),
            ("date_precision", "month" if planned and i % 2 else None),
            ("actors", _flow(rng.sample(actor_ids, min(len(actor_ids), rng.randint(2, 4))))),
            ("topics", _flow(rng.sample(topic_ids, min(len(topic_ids), rng.randint(1, 4))))),
            ("source", rng.choice(source_ids)),
            ("quote", q(w.sentence(4, 14)) if i % 10 < 7 else None),
            ("place", q(rng.choice(PLACES))),
            ("explanation", q(w.sentence(15, 30)) if i == 0 else None),
        )

    yield from _section("events", event_ids, event_fields)

    yield "positions:"
    window = SPAN_DAYS // shape.snapshots
    written = 0
    for actor in actor_ids:
        for topic in topic_ids:
            if written >= positions:
                break
            level = rng.randrange(len(STANCES))
            contested = rng.random() < 0.02  # the last two records share a date: may disagree
            days = [k * window + rng.randrange(window) for k in range(shape.snapshots)]
            if contested and shape.snapshots > 1:
                days[-1] = days[-2]
            used_sources: set[tuple[int, str]] = set()
            for k in range(shape.snapshots):
                if written >= positions:
                    break
                roll = rng.random()
                level = min(4, max(0, level + (1 if roll < 0.2 else (-1 if roll > 0.8 else 0))))
                not_raised = rng.random() < 0.04
                event = rng.choice(event_ids) if not_raised or rng.random() < 0.2 else None
                source = rng.choice(source_ids)
                while (days[k], source) in used_sources:  # one record per source and occasion
                    source = rng.choice(source_ids)
                used_sources.add((days[k], source))
                inferred = rng.random() < 0.08
                yield from _item(
                    ("id", f"{actor}-{topic}-{k}"),
                    ("actor", actor),
                    ("topic", topic),
                    ("stance", "not_raised" if not_raised else STANCES[level]),
                    ("source", source),
                    ("quote", q(w.words(4, 22))),
                    ("date", _date(days[k]).isoformat()),
                    ("event", event),
                    ("confidence", "inferred" if inferred else None),
                    ("note", q(w.sentence(6, 18)) if inferred or rng.random() < 0.1 else None),
                )
                written += 1

    # Sanctions: decisions on a few dates, each with top-level group records and their members.
    yield "sanctions:"
    decisions = max(2, shape.sanctions // 15)
    decision_days = sorted(rng.randrange(SPAN_DAYS) for _ in range(decisions))
    top_level = [i for i, a in enumerate(actor_ids) if depth[i] <= 1]
    made = 0
    number = 0
    while made < shape.sanctions:
        for d, day in enumerate(decision_days):
            if made >= shape.sanctions:
                break
            number += 1
            group_id = f"sanction-{number:05d}"
            if d == 0 and number == 1:
                status = "waived"
            else:
                status = rng.choices(["imposed", "waived", "considered", "lifted"], [6, 2, 1, 1])[0]
            members = min(rng.randint(0, 5), shape.sanctions - made - 1)
            kind = rng.choice(["vessel", "company", "person"])
            decider = actor_ids[rng.choice(top_level)]
            topics = rng.sample(topic_ids, min(2, len(topic_ids)))
            yield from _sanction(
                w,
                group_id,
                f"Group {number} of {kind}s",
                f"{kind}-group",
                status,
                None if status == "considered" else day,
                rng.choice(source_ids),
                decider,
                topics,
                topics[:1],
                None,
                members or rng.randint(2, 20),
            )
            made += 1
            for m in range(members):
                number += 1
                yield from _sanction(
                    w,
                    f"sanction-{number:05d}",
                    f"{kind.capitalize()} {number}",
                    kind,
                    status,
                    None if status == "considered" else day,
                    rng.choice(source_ids),
                    decider,
                    topics[:1],
                    [],
                    group_id,
                    None if m % 3 else 1,
                )
                made += 1

    statuses = ["borne_out", "partly", "not_borne_out", "open"]

    def prospect_fields(i: int) -> Fields:
        status = statuses[i % 4]
        return (
            ("claim", q(w.sentence(6, 14))),
            ("quote", q(w.words(4, 12))),
            ("source", source_ids[0]),
            ("status", status),
            ("outcome", q(w.sentence(8, 20))),
            ("outcome_source", rng.choice(source_ids)),
            (
                "outcome_date",
                _date(rng.randrange(1000, SPAN_DAYS)).isoformat() if status != "open" else None,
            ),
        )

    yield from _section("prospects", prospect_ids, prospect_fields)


def _sanction(
    w: _Writer,
    sanction_id: str,
    target: str,
    kind: str,
    status: str,
    day: int | None,
    source: str,
    decider: str,
    topics: list[str],
    against: list[str],
    parent: str | None,
    count: int | None,
) -> Iterator[str]:
    yield from _item(
        ("id", sanction_id),
        ("target", q(target)),
        ("target_kind", kind),
        ("status", status),
        ("source", source),
        ("quote", q(w.words(5, 16))),
        ("instrument", q("Synthetic Sanctions Act")),
        ("date", None if day is None else _date(day).isoformat()),
        ("parent", parent or None),
        ("count", count or None),
        ("imposed_by", decider),
        ("topics", _flow(topics)),
        ("against", _flow(against) if against else None),
    )


def write_dataset(positions: int | str, out: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the dataset of `positions` positions (or `"1x"`, the bundled data) to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if positions == "1x":
        shutil.copyfile(BUNDLED, tmp)
        _copy_source_texts(BUNDLED, out.parent)
    else:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            batch: list[str] = []
            for line in generate_lines(int(positions), seed):
                batch.append(line)
                if len(batch) >= 10_000:
                    handle.write("\n".join(batch) + "\n")
                    batch.clear()
            handle.write("\n".join(batch) + "\n")
    tmp.replace(out)  # never leave a half-written file where a benchmark would read it
    return out


def _copy_source_texts(dataset: Path, folder: Path) -> None:
    """The texts a dataset's sources name (`text_file`, relative to the dataset), copied to the
    same places under `folder`: a copy of the dataset without them would not load."""
    import yaml

    document = yaml.load(dataset.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for source in document.get("sources") or []:
        text_file = source.get("text_file")
        if text_file:
            target = folder / text_file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dataset.parent / text_file, target)


def parse_size(text: str) -> int | str:
    """'1x', '10k', '300k', '2m' or a plain number of positions."""
    text = text.strip().lower().replace("_", "").replace(",", "")
    if text == "1x":
        return "1x"
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a valid synthetic dataset of N positions (or 1x: the bundled data).",
    )
    parser.add_argument(
        "--positions", required=True, help="number of positions (300000, 300k) or 1x"
    )
    parser.add_argument("--out", required=True, type=Path, help="the YAML file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    size = parse_size(args.positions)
    path = write_dataset(size, args.out, args.seed)
    what = "the bundled dataset" if size == "1x" else f"{size:,} positions ({shape_for(size)})"
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
