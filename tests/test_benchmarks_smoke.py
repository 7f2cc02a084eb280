"""The benchmarks still work: the generator writes valid datasets, and the benchmark command
runs end to end at a tiny scale. No timing is asserted: the figures are for BENCHMARKS.md."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks.generate import shape_for, write_dataset
from positions import load_dataset
from positions.model import SLUG_PATTERN

ROOT = Path(__file__).resolve().parent.parent
BIG = str(2_000_000_000)


def _run(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POSITIONS_MAX_BYTES": BIG}
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("positions", [10, 500, 2_000])
def test_generator_writes_a_valid_dataset_of_the_asked_size(tmp_path, positions):
    path = write_dataset(positions, tmp_path / "data.yaml")
    done = _run("positions", "validate", str(path), "--max-bytes", BIG, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr

    dataset = load_dataset(path, max_bytes=int(BIG))
    shape = shape_for(positions)
    assert len(dataset.positions) == positions
    assert len(dataset.actors) == shape.actors and len(dataset.topics) == shape.topics
    assert dataset.sources and dataset.events and dataset.sanctions and dataset.prospects
    ids = [p.id for p in dataset.positions]
    assert len(set(ids)) == len(ids)
    assert all(len(p.quote.split()) >= 3 for p in dataset.positions)
    # A parent hierarchy among actors, without cycles (validate checks cycles too).
    parents = {a.id: a.parent for a in dataset.actors}
    assert any(parents.values())
    for actor in parents:
        seen, node = set(), actor
        while node is not None:
            assert node not in seen
            seen.add(node)
            node = parents[node]
    # Dated snapshots: one actor-topic pair has several records over time.
    pairs = Counter((p.actor, p.topic) for p in dataset.positions)
    assert max(pairs.values()) == shape.snapshots
    assert len({p.date for p in dataset.positions}) > shape.snapshots


def test_generator_is_deterministic_and_1x_is_the_bundled_data(tmp_path):
    first = write_dataset(300, tmp_path / "a.yaml").read_bytes()
    second = write_dataset(300, tmp_path / "b.yaml").read_bytes()
    assert first == second
    assert write_dataset(301, tmp_path / "c.yaml").read_bytes() != first
    bundled = write_dataset("1x", tmp_path / "1x.yaml")
    assert bundled.read_bytes() == (ROOT / "data" / "positions.yaml").read_bytes()
    # The copy loads: the source text its quotes are checked against came along.
    assert load_dataset(bundled) == load_dataset(ROOT / "data" / "positions.yaml")
    document = yaml.safe_load(first)
    assert all(
        re.match(SLUG_PATTERN, r["id"])
        for section in ("sources", "actors", "topics", "positions", "sanctions", "events")
        for r in document[section]
    )


def test_the_benchmark_command_runs_end_to_end_at_a_tiny_scale(tmp_path):
    report = tmp_path / "BENCHMARKS.md"
    out_dir = tmp_path / "out"
    done = _run(
        "benchmarks.run",
        "--quick",
        "--sizes",
        "tiny",
        "--output",
        str(report),
        "--out-dir",
        str(out_dir),
        timeout=170,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    text = report.read_text()
    for heading in ("## Summary", "## a.", "## b.", "## c.", "## d.", "## e.", "## Notes"):
        assert heading in text
    assert "| CPU |" in text and "streamlit" in text

    results = json.loads((out_dir / "results.json").read_text())
    tiny = results["sizes"]["tiny"]
    assert tiny["bench"]["load"]["ratio"] is not None
    pages = tiny["bench"]["pages"]
    assert "stances" in pages and "sources" in pages
    assert all(page.get("ratio") is not None for page in pages.values()), pages
    browser = tiny["browser"]
    if "no Chromium" in browser.get("error", ""):
        pytest.skip("no Chromium on this machine: the browser figures were skipped")
    assert "error" not in browser, browser["error"]
    assert browser["browser"]["ratio"] is not None
    assert browser["memory"]["app"]["one"] and browser["memory"]["app"]["many"]
    # A second app server started from the parsed cache the first one wrote.
    assert "seconds" in browser["cached_open"], browser["cached_open"]
    restarted = browser["cached_open"]
    assert restarted["sessions"] == browser["memory"]["app"]["sessions"]
    assert restarted["one"] and restarted["many"]
    assert "| d. … started from the parsed cache | < 1 GB (at 300k) |" in text
    assert "The same on a fresh server that read the unchanged file's parsed cache" in text
    cache_dir = out_dir / "logs" / "parsed-cache-positions-tiny"
    assert len(list(cache_dir.glob("*/manifest.json"))) == 1


def test_what_a_page_sends_before_its_chart_is_measured() -> None:
    done = _run(
        "benchmarks.before_chart",
        str(ROOT / "data" / "positions.yaml"),
        "--repeats",
        "1",
        timeout=170,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    app, base, ratio = done.stdout.splitlines()
    # The baseline draws its heading, then the chart; the dashboard its page header and
    # controls first. Sizes and times vary with the machine and the data: only their form.
    assert base.startswith("baseline: chart after 1 other elements (heading); ")
    assert app.startswith("dashboard /stances: chart after ")
    assert "heading" in app and "button_group" in app
    assert re.search(r"\d[\d,]* bytes up to and including the chart \(of [\d,]+\)", app)
    assert re.search(r"server time to the chart \d+ ms \(median of 1\)$", app)
    assert re.fullmatch(r"bytes before the chart, dashboard / baseline: \d+\.\d\dx", ratio)
