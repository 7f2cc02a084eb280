"""The YAML writer: every dataset the project ships loads back to the same values, awkward text
included, and a record is written the way a curator writes one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from positions import load_dataset, load_dataset_bytes
from positions.dump import dataset_yaml, record_yaml
from positions.model import Position

ROOT = Path(__file__).resolve().parent.parent
DATASETS = [
    "data/positions.yaml",
    "data/examples/jcpoa-withdrawal-2018.yaml",
    "data/agreement/third-coding.yaml",
    "tests/fixtures/small.yaml",
    "tests/fixtures/minimal.yaml",
]


@pytest.mark.parametrize("name", DATASETS)
def test_every_shipped_dataset_loads_back_the_same(name: str) -> None:
    dataset = load_dataset(ROOT / name)
    assert load_dataset_bytes(dataset_yaml(dataset).encode("utf-8"), "dumped.yaml") == dataset


def test_a_record_reads_as_a_curator_writes_it() -> None:
    record = Position(
        actor="north",
        topic="pipeline",
        stance="lean_oppose",
        source="article",
        quote="it said: no, not now",
        date="2021-06",
        confidence="stated",
    )
    assert record_yaml(record, indent=2) == (
        "  - actor: north\n"
        "    topic: pipeline\n"
        "    stance: lean_oppose\n"
        "    source: article\n"
        "    quote: 'it said: no, not now'\n"
        "    date: 2021-06\n"
    )


def test_dates_stay_as_precise_as_given() -> None:
    base = {
        "actor": "a",
        "topic": "t",
        "stance": "support",
        "source": "s",
        "quote": "one two three",
    }
    assert "date: 2021-05-19\n" in record_yaml(Position(**base, date=dt.date(2021, 5, 19)))
    assert "date: '2021'\n" in record_yaml(Position(**base, date="2021"))


def test_the_header_points_editors_to_the_schema() -> None:
    dataset = load_dataset(ROOT / "tests/fixtures/minimal.yaml")
    text = dataset_yaml(dataset, schema="positions.schema.json")
    assert text.startswith("# yaml-language-server: $schema=positions.schema.json\ndataset:\n")


# Bidi controls are left out: the loader refuses them on purpose (tests/test_hostile_files.py).
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
AWKWARD = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029" + BIDI
    ),
    min_size=1,
    max_size=40,
).map(lambda text: f"one two {text} three")


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(quote=AWKWARD, note=st.one_of(st.none(), AWKWARD, st.just("two\nlines here")))
def test_any_text_loads_back_the_same(quote: str, note: str | None) -> None:
    small = load_dataset(ROOT / "tests/fixtures/minimal.yaml")
    try:
        position = small.positions[0].model_copy(update={"quote": quote.strip(), "note": note})
        changed = small.model_copy(update={"positions": [position]})
        expected = type(small).model_validate(changed.model_dump())
    except ValueError:  # text the model itself refuses (bidi controls, say) is not written
        return
    assert load_dataset_bytes(dataset_yaml(expected).encode("utf-8"), "x.yaml") == expected
