"""Every quote in the bundled dataset is verbatim from its source."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = ROOT / "data" / "evidence"
ARTICLE_TITLE = "Prospects for U.S.-Russia Relations"


def normalise(text: str) -> str:
    """What ../shared/tools/check-quotes ignores: link markup, bold, curly quotes, spacing."""
    text = re.sub(r"\[([^\]]*)\]\(#?[^)]*\)", r"\1", text)
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


def quoted_records() -> list[tuple[str, dict]]:
    data = yaml.safe_load((ROOT / "data" / "positions.yaml").read_text(encoding="utf-8"))
    records = []
    for section, items in data.items():
        if isinstance(items, list):
            records += [(f"{section}[{i}]", r) for i, r in enumerate(items) if r.get("quote")]
            # An event's explanation quotes the event's own source.
            records += [
                (f"{section}[{i}].explanation", {"source": r["source"], "quote": r["explanation"]})
                for i, r in enumerate(items)
                if r.get("explanation")
            ]
    return records


def article_ids() -> set[str]:
    data = yaml.safe_load((ROOT / "data" / "positions.yaml").read_text(encoding="utf-8"))
    return {s["id"] for s in data["sources"] if ARTICLE_TITLE in s["title"]}


def test_article_quotes_are_verbatim():
    article = normalise((EVIDENCE / "pism-spotlight-blinken-lavrov.txt").read_text("utf-8"))
    ids = article_ids()
    missing = [
        (where, record["quote"])
        for where, record in quoted_records()
        if record.get("source") in ids and normalise(record["quote"]) not in article
    ]
    assert missing == []
    assert sum(record.get("source") in ids for _, record in quoted_records()) >= 40


def test_other_quotes_are_the_verified_facts_words():
    facts = normalise((EVIDENCE / "verified-facts.md").read_text("utf-8"))
    ids = article_ids()
    missing = [
        (where, record["quote"])
        for where, record in quoted_records()
        if record.get("source") not in ids and normalise(record["quote"]) not in facts
    ]
    assert missing == []


def test_prospect_quotes_come_from_the_article():
    data = yaml.safe_load((ROOT / "data" / "positions.yaml").read_text(encoding="utf-8"))
    assert {p["source"] for p in data.get("prospects", [])} <= article_ids()
