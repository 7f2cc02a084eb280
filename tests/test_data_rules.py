"""The bundled dataset follows the codebook's coding rules where a machine can check them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = yaml.safe_load((ROOT / "data" / "positions.yaml").read_text(encoding="utf-8"))
ARTICLE = DATA["dataset"]["article_source"]
IDS = {
    record["id"]
    for section in ("sources", "actors", "topics", "positions", "sanctions", "events", "prospects")
    for record in DATA[section]
    if "-" in str(record.get("id", ""))  # one-word ids ("russia") are plain words too
}
CODE_WORDS = re.compile(r"\b(lean_oppose|lean_support|not_raised|not_borne_out|fact row)\b")


def reader_texts():
    """Every free text the dashboard shows a reader, with where it is."""
    for section, records in DATA.items():
        if not isinstance(records, list):
            continue
        for record in records:
            for field in ("note", "description", "outcome", "claim"):
                if isinstance(record.get(field), str):
                    yield f"{section}[{record.get('id')}].{field}", record[field]
    for field in ("description", "as_of_note", "method", "subtitle"):
        if isinstance(DATA["dataset"].get(field), str):
            yield f"dataset.{field}", DATA["dataset"][field]


@pytest.mark.parametrize(("where", "text"), list(reader_texts()), ids=lambda v: str(v)[:60])
def test_reader_texts_use_plain_words(where, text):
    assert not CODE_WORDS.search(text), where
    named = [i for i in IDS if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    assert not named, f"{where} names internal ids: {named}"


def test_every_inferred_record_says_why():
    unexplained = [p["id"] for p in DATA["positions"] if p.get("confidence") == "inferred"]
    unexplained = [
        i for i in unexplained if not next(p for p in DATA["positions"] if p["id"] == i).get("note")
    ]
    assert unexplained == []


def test_non_english_quotes_carry_a_translation():
    foreign = [
        p["id"]
        for p in DATA["positions"]
        if re.search(r"[\u0400-\u04ff]", p["quote"]) and not p.get("translation")
    ]
    assert foreign == []


def test_records_from_outside_the_article_carry_a_date():
    undated = [p["id"] for p in DATA["positions"] if p["source"] != ARTICLE and not p.get("date")]
    assert undated == []


def test_no_invented_days_for_the_first_weeks_of_the_presidency():
    early = [p for p in DATA["positions"] if "first weeks of Biden" in p["quote"]]
    assert early and all(not str(p.get("date", "")).startswith("2021-02-01") for p in early)


def test_an_events_topics_include_those_of_its_records():
    events = {e["id"]: set(e.get("topics") or []) for e in DATA["events"]}
    missing = [
        (p["id"], p["event"], p["topic"])
        for p in DATA["positions"]
        if p.get("event") and p["topic"] not in events[p["event"]]
    ]
    assert missing == []


def test_the_meeting_purpose_gives_no_stance():
    purpose = "U.S.-Russian cooperation in areas where it is possible to reconcile"
    assert [p["id"] for p in DATA["positions"] if purpose in p["quote"]] == []


def test_one_decision_is_one_record():
    waiver = [
        p
        for p in DATA["positions"]
        if p["topic"] == "ns2-ag-sanctions-waiver" and p.get("event") == "peesa-report-waiver"
    ]
    assert [p["actor"] for p in waiver] == ["state-department"]


def test_a_quote_is_shared_only_by_a_joint_statement():
    """Records share a quote only when the source gives the words to each: a joint statement at
    an event of them all, or a record whose note names the others; a passive "was not raised"
    at a meeting of two is the one other case."""
    names = {a["id"]: a["name"] for a in DATA["actors"]}
    events = {e["id"]: set(e["actors"]) for e in DATA["events"]}
    by_quote: dict[tuple[str, str], list[dict]] = {}
    for p in DATA["positions"]:
        by_quote.setdefault((p["source"], p["quote"]), []).append(p)
    shared = [records for records in by_quote.values() if len({r["actor"] for r in records}) > 1]
    assert shared, "precondition: the data has joint statements"
    for records in shared:
        actors = {r["actor"] for r in records}
        for record in records:
            others = actors - {record["actor"]}
            at_joint_event = others <= events.get(record.get("event"), set())
            surname = {o: names[o].split()[-1] for o in others}
            named = all(surname[o] in (record.get("note") or "") for o in others)
            passive = "was not raised" in record["quote"]
            assert at_joint_event or named or passive, (record["id"], sorted(others))
