"""Every quote in the bundled dataset is verbatim from its source.

The article's quotes are checked by the validator itself (the article source names its text,
`text_file`), so this is one call of it; the outside sources keep no text here, and their
quotes are the words the fact check saw in them.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from command_line import run_cli

from positions import load_dataset
from positions.texts import normalise, quoted

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "positions.yaml"
FACTS = ROOT / "data" / "evidence" / "verified-facts.md"


def article_ids() -> set[str]:
    return {s.id for s in load_dataset(DATA).sources if s.text_file}


def test_article_quotes_are_verbatim():
    done = run_cli("validate", str(DATA))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{DATA}: valid" in done.stdout
    ids = article_ids()
    assert ids == {"pism-spotlight"}
    assert sum(source in ids for _, source, _ in quoted(load_dataset(DATA))) >= 40


def test_other_quotes_are_the_verified_facts_words():
    facts = normalise(FACTS.read_text("utf-8"))
    ids = article_ids()
    missing = [
        (where, words)
        for where, source, words in quoted(load_dataset(DATA))
        if source not in ids and normalise(words) not in facts
    ]
    assert missing == []


def test_prospect_quotes_come_from_the_article():
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert {p["source"] for p in data.get("prospects", [])} <= article_ids()
