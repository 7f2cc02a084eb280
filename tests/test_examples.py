"""The example datasets in data/examples/ validate, and every page of the dashboard renders each
of them: nothing in the app is tied to the bundled dataset's subject."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from command_line import run_cli
from streamlit.testing.v1 import AppTest

import page_registry
from positions import load_dataset
from positions.frames import to_frames

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.yaml"))
JCPOA = ROOT / "data" / "examples" / "jcpoa-withdrawal-2018.yaml"
# Every page the entrypoint navigates to, from the registry, so that new pages are covered.
PAGES = [entry.key for entry in page_registry.PAGES]
# Words of the bundled dataset's subject that must not show on another dataset's pages.
BUNDLED_SUBJECT = ("Nord Stream", "Reykjavik", "Blinken", "Lavrov", "PISM")


def test_the_examples_and_pages_are_found():
    assert JCPOA in EXAMPLES
    assert {"overview", "stances", "sanctions", "timeline", "sources"} <= set(PAGES)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_from_the_command_line(path: Path):
    relative = path.relative_to(ROOT).as_posix()
    result = run_cli("validate", relative)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"{relative}: valid\n")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_a_documented_illustration(path: Path):
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../positions.schema.json"
    dataset = load_dataset(path)
    info = dataset.dataset
    assert info.as_of_note
    description = " ".join(info.description.split())
    assert "illustrative example" in description
    assert "checked against the cited sources before reuse" in description
    assert 6 <= len(dataset.actors) <= 10
    assert 4 <= len(dataset.topics) <= 6
    assert 15 <= len(dataset.positions) <= 25
    assert any(e.status == "planned" for e in dataset.events)
    assert 1 <= len(dataset.prospects) <= 2
    # Inferred records say why; every quote is short.
    assert all(p.note for p in dataset.positions if p.confidence == "inferred")
    raw = yaml.safe_load(text)
    records = [r for items in raw.values() if isinstance(items, list) for r in items]
    quotes = [r[key] for r in records for key in ("quote", "explanation") if r.get(key)]
    assert quotes and max(len(q.split()) for q in quotes) <= 12


def open_page(monkeypatch, path: Path, page: str) -> AppTest:
    monkeypatch.setenv("POSITIONS_DATA", str(path))
    # The curate page is served only with `-- --curate`: it is rendered in curate mode.
    curate = page_registry.page_entry(page).curate_only
    monkeypatch.setattr(sys, "argv", ["dashboard.py", *(["--curate"] if curate else [])])
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def shown_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "info") for e in at.get(kind)]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_page_renders_the_example(monkeypatch, path: Path, page: str):
    at = open_page(monkeypatch, path, page)
    text = shown_text(at)
    leaked = [word for word in BUNDLED_SUBJECT if word in text]
    assert leaked == [], f"the {page} page shows the bundled dataset's subject"


def test_overview_shows_the_jcpoa_title_and_figures(monkeypatch):
    at = open_page(monkeypatch, JCPOA, "overview")
    frames = to_frames(load_dataset(JCPOA))
    assert re.sub(r"\\(.)", r"\1", at.title[0].value) == frames.info.title
    assert re.sub(r"\\(.)", r"\1", at.title[0].value).startswith(
        "Stakeholder positions: the U.S. withdrawal"
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Actors"] == str(frames.positions["actor"].nunique())
    assert metrics["Topics"] == str(frames.positions["topic"].nunique())
    assert metrics["Positions"] == str(len(frames.positions))
    assert metrics["Issues not raised"] == "0"


def test_stances_page_draws_the_jcpoa_matrix(monkeypatch):
    at = open_page(monkeypatch, JCPOA, "stances")
    frames = to_frames(load_dataset(JCPOA))
    actors = frames.positions["actor"].nunique()
    topics = frames.positions["topic"].nunique()
    (chart,) = at.get("vega_lite_chart")
    assert chart.proto.alt == f"Stance matrix of {actors} actors by {topics} topics"


def test_sanctions_page_counts_the_jcpoa_measures(monkeypatch):
    at = open_page(monkeypatch, JCPOA, "sanctions")
    frames = to_frames(load_dataset(JCPOA))
    imposed = int((frames.sanctions["status"] == "imposed").sum())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Imposed"] == str(imposed)
    assert metrics["Waived"] == "0"
    assert at.get("vega_lite_chart")


def test_timeline_page_draws_every_jcpoa_event(monkeypatch):
    at = open_page(monkeypatch, JCPOA, "timeline")
    frames = to_frames(load_dataset(JCPOA))
    (chart,) = at.get("vega_lite_chart")
    assert chart.proto.alt.startswith(f"Timeline of {len(frames.events)} events")


def test_sources_page_cites_every_jcpoa_source(monkeypatch):
    at = open_page(monkeypatch, JCPOA, "sources")
    frames = to_frames(load_dataset(JCPOA))
    shown = set(at.dataframe[0].value["citation"])
    assert shown == set(frames.sources["citation"])
