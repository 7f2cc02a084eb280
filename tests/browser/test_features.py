"""What analysts do after the matrix, in Chromium against a real `streamlit run`: search,
alignment, the agenda of a meeting, the timeline's details, stances as of a date, pinned and
cited links, chart files, the evidence bundle, their own dataset, and a data file that is
edited, broken and deleted while the server runs.

Expected values are read from the YAML files with PyYAML, not from the app's code.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import (
    PROJECT_ROOT,
    StreamlitServer,
    current_query,
    expect_no_exception,
    goto,
    validate_with_cli,
    wait_for_app,
    wait_for_chart,
    wait_until,
)
from playwright.sync_api import Page, expect
from test_dashboard import (
    DASHBOARD,
    DATA,
    actor_names,
    click_cell,
    css_string,
    download,
    known_from,
    mark_field,
    matrix_cells,
    positions_in_view,
    share_popover,
    sidebar,
    timeline_events,
    topic_names,
    with_descendants,
)

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "jcpoa-withdrawal-2018.yaml"


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def version_of(path: Path) -> str:
    """The dataset version a link pins: the first 12 hex digits of the file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def labels_of(chart: Any, role: str = "rect mark") -> list[str]:
    return chart.locator(f"[aria-roledescription={css_string(role)}]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || '')"
    )


# --- Search -------------------------------------------------------------------------------------


def search_hits(data: dict[str, Any], query: str) -> list[dict[str, Any]]:
    """Positions holding every word of `query` in their quote, note, names or titles."""
    actors, topics = actor_names(data), topic_names(data)
    sources = {s["id"]: s["title"] for s in data["sources"]}
    events = {e["id"]: e["title"] for e in data["events"]}
    words = query.casefold().split()
    hits = []
    for record in data["positions"]:
        text = " ".join(
            str(part or "")
            for part in (
                record["quote"],
                record.get("note"),
                actors[record["actor"]],
                topics[record["topic"]],
                sources[record["source"]],
                events.get(record.get("event") or ""),
            )
        ).casefold()
        if all(word in text for word in words):
            hits.append(record)
    return hits


def test_search_narrows_the_view_binds_the_url_and_highlights_the_evidence(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    query = "Navalny"
    hits = search_hits(data, query)
    assert 1 < len(hits) < len(data["positions"]), "precondition: the search narrows"
    names, topics = actor_names(data), topic_names(data)

    goto(page, streamlit_server.url, "stances")
    box = sidebar(page).get_by_role("textbox", name="Search")
    box.fill(query)
    box.press("Enter")
    wait_for_app(page)
    wait_until(lambda: _assert_query(page, "q", [query]))

    chart = wait_for_chart(page)
    assert matrix_cells(chart) == {(names[h["actor"]], topics[h["topic"]]) for h in hits}

    first = hits[0]
    click_cell(page, chart, names[first["actor"]], topics[first["topic"]])
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    marked = dialog.locator("blockquote span").evaluate_all(
        """spans => spans
            .filter(s => getComputedStyle(s).backgroundColor !== 'rgba(0, 0, 0, 0)')
            .map(s => s.innerText)"""
    )
    assert marked and {m.casefold() for m in marked} == {query.casefold()}, marked
    page.keyboard.press("Escape")

    # The search follows the reader to another page, which it narrows too.
    sidebar(page).get_by_test_id("stPageLink").filter(has_text="Sources & method").click()
    wait_for_app(page)
    wait_until(lambda: _assert_query(page, "q", [query]))
    expect(page.get_by_text(re.compile(r"^\d+ positions in this view\.$"))).to_have_text(
        f"{len(hits)} positions in this view."
    )
    expect_no_exception(page)


def _assert_query(page: Page, key: str, values: list[str]) -> None:
    assert current_query(page).get(key) == values, page.url


# --- Alignment ----------------------------------------------------------------------------------


def test_clicking_an_alignment_cell_puts_both_actors_side_by_side(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    # The one pair that shares three scored topics (the figure's minimum) once the later and the
    # inferred records count: the presidents at Geneva.
    first, second = "biden", "putin"
    names = actor_names(data)
    goto(page, streamlit_server.url, "alignment?as_of=latest&count=all")
    chart = wait_for_chart(page)
    label = f"Actor: {names[first]}; Compared with: {names[second]};"  # the tooltip's order
    cell = chart.locator(f"[aria-roledescription='rect mark'][aria-label*={css_string(label)}]")
    expect(cell).to_have_count(1)
    aria = cell.get_attribute("aria-label") or ""
    agreement, shared = mark_field(aria, "Agreement"), mark_field(aria, "Shared topics")
    assert agreement and shared, aria
    box = cell.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)

    wait_until(lambda: _assert_query(page, "a", [first]))
    wait_until(lambda: _assert_query(page, "b", [second]))
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text(
        f"{names[first]} and {names[second]}: {agreement} agreement over {shared} shared topics."
    )
    # Each line of the comparison quotes both actors, verbatim, on the same topic.
    quotes = {
        (record["actor"], record["topic"]): record["quote"]
        for record in data["positions"]
        if record["actor"] in (first, second)
    }
    both = {t for (a, t) in quotes if a == first} & {t for (a, t) in quotes if a == second}
    topics = topic_names(data)
    shown = main.locator("blockquote").all_inner_texts()
    assert len(shown) == 2 * len(both), shown
    all_quotes = {
        record["quote"] for record in data["positions"] if record["actor"] in (first, second)
    }
    # A cell with several records quotes each of them, joined by " / ".
    assert {part for q in shown for part in q.strip().split(" / ")} <= all_quotes
    for topic in both:
        expect(main.get_by_text(topics[topic], exact=False).first).to_be_visible()
    expect_no_exception(page)


def test_a_pair_with_too_few_shared_topics_gets_no_agreement_figure(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    names = actor_names(data)
    # The ministers share one scored topic at most (stable relations, Lavrov's stance inferred):
    # no figure, and the page says why.
    goto(page, streamlit_server.url, "alignment?as_of=latest&count=all&a=blinken&b=lavrov")
    chart = wait_for_chart(page)
    label = f"Actor: {names['blinken']}; Compared with: {names['lavrov']};"
    cell = chart.locator(f"[aria-roledescription='rect mark'][aria-label*={css_string(label)}]")
    expect(cell).to_have_count(1)
    aria = cell.get_attribute("aria-label") or ""
    assert mark_field(aria, "Agreement") == "none: 1 shared topic, too few to score", aria
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text(
        f"{names['blinken']} and {names['lavrov']}: no agreement score: 1 shared scored topic, "
        "fewer than the 3 a score needs."
    )
    # Stated stances only (the default): Lavrov has no stated stance on the scale, so no cell.
    goto(page, streamlit_server.url, "alignment?as_of=latest")
    chart = wait_for_chart(page)
    expect(chart.locator("[aria-roledescription='rect mark']").first).to_be_attached()
    cell = chart.locator(f"[aria-roledescription='rect mark'][aria-label*={css_string(label)}]")
    expect(cell).to_have_count(0)
    expect_no_exception(page)


def test_inside_one_actor_shows_the_administration_against_congress(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    goto(page, streamlit_server.url, "alignment?inside=united-states")
    names = actor_names(data)
    main = page.get_by_test_id("stMain")
    # The split the article is about: the waiver against Congress's criticism of it.
    # Stated records known on the dataset's date, as the default view counts them.
    waiver = [
        p
        for p in data["positions"]
        if p["topic"] == "ns2-ag-sanctions-waiver"
        and p.get("confidence", "stated") == "stated"
        and known_from(data, p) <= data["dataset"]["as_of"]
    ]
    congress = [p for p in waiver if p["actor"] in with_descendants(data, ["us-congress"])]
    administration = [
        p for p in waiver if p["actor"] in with_descendants(data, ["us-administration"])
    ]
    assert congress and administration, "precondition: both sides are coded"
    for record in (congress[-1], administration[-1]):
        expect(main).to_contain_text(names[record["actor"]])
        expect(main).to_contain_text(record["quote"])
    expect_no_exception(page)


# --- Agenda and timeline ------------------------------------------------------------------------


def test_the_agenda_lists_what_the_meeting_left_out(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    meeting = data["dataset"]["meeting_event"]
    left_out = [
        p for p in data["positions"] if p.get("event") == meeting and p["stance"] == "not_raised"
    ]
    assert len(left_out) >= 5, "precondition: the article's list of unraised issues is coded"
    # A topic another record of the meeting says was raised (Navalny) is contested, not left out.
    raised = {
        (p["actor"], p["topic"])
        for p in data["positions"]
        if p.get("event") == meeting and p["stance"] != "not_raised"
    }
    contested = {p["topic"] for p in left_out if (p["actor"], p["topic"]) in raised}
    assert contested, "precondition: the sources disagree on one topic"
    goto(page, streamlit_server.url, "agenda")
    main = page.get_by_test_id("stMain")
    metric = main.get_by_test_id("stMetric").filter(has_text="Left out")
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(
        str(len({p["topic"] for p in left_out} - contested))
    )
    disputed = main.get_by_test_id("stMetric").filter(has_text="Contested")
    expect(disputed.get_by_test_id("stMetricValue")).to_have_text(str(len(contested)))
    topics = topic_names(data)
    for record in left_out:
        expect(main).to_contain_text(topics[record["topic"]])
        expect(main).to_contain_text(record["quote"])
    event = next(e for e in data["events"] if e["id"] == meeting)
    expect(main.locator("blockquote").first).to_have_text(event["explanation"].strip())
    expect_no_exception(page)


def test_clicking_a_timeline_event_shows_its_details_and_quote(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    meeting = next(e for e in data["events"] if e["id"] == data["dataset"]["meeting_event"])
    goto(page, streamlit_server.url, "timeline")
    chart = wait_for_chart(page)
    assert meeting["title"] in timeline_events(chart)
    mark = chart.locator(
        f"[role='graphics-symbol'][aria-label*={css_string('Event: ' + meeting['title'])}]"
    ).first
    box = mark.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)
    details = page.get_by_test_id("stMain")
    expect(details).not_to_contain_text("Click an event on the timeline to see its details.")
    expect(details).to_contain_text(meeting["quote"].strip())
    expect_no_exception(page)


# --- Change over time ---------------------------------------------------------------------------


def effective_date(record: dict[str, Any], data: dict[str, Any]) -> dt.date:
    """When a record counts as known (a month once it is over; undated: the dataset's date)."""
    return known_from(data, record)


def test_as_of_shows_what_was_known_then_and_since_marks_the_changes(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    names, topics = actor_names(data), topic_names(data)
    as_of = data["dataset"]["as_of"]

    cutoff = dt.date(2021, 5, 19)
    known = [p for p in data["positions"] if effective_date(p, data) <= cutoff]
    assert 0 < len(known) < len(data["positions"]), "precondition: the date narrows"
    goto(page, streamlit_server.url, f"stances?as_of={cutoff.isoformat()}")
    chart = wait_for_chart(page)
    assert matrix_cells(chart) == {(names[p["actor"]], topics[p["topic"]]) for p in known}

    # Everything recorded after the article's date, against what was known on it.
    # "Latest known", since the default view speaks from the dataset's date itself.
    goto(page, streamlit_server.url, f"stances?as_of=latest&since={as_of.isoformat()}")
    chart = wait_for_chart(page)
    changed = {
        (mark_field(label, "Actor"), mark_field(label, "Topic")): mark_field(
            label, "Changed; before"
        )
        for label in labels_of(chart)
        if mark_field(label, "Changed; before")
    }
    by_cell: dict[tuple[str, str], list[dt.date]] = {}
    for p in data["positions"]:
        by_cell.setdefault((names[p["actor"]], topics[p["topic"]]), []).append(
            effective_date(p, data)
        )
    new_cells = {cell for cell, dates in by_cell.items() if min(dates) > as_of}
    later = {cell for cell, dates in by_cell.items() if max(dates) > as_of}
    assert new_cells, "precondition: the data has reactions after the article"
    assert {cell for cell, before in changed.items() if before == "no record"} == new_cells
    assert set(changed) <= later
    # Each changed cell also gets a heavy outline: an unfilled rect drawn on top of it (left
    # out of what a screen reader reads, which names the change already).
    outlines = chart.locator("g.mark-rect path[stroke='#000000']")
    expect(outlines).to_have_count(len(changed))
    expect_no_exception(page)


# --- Links that stay true -----------------------------------------------------------------------


def test_a_pinned_link_to_an_older_version_says_so_and_offers_the_current_view(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    current = version_of(DATA)
    goto(page, streamlit_server.url, "stances?actor=blinken&v=0123456789ab")
    notice = page.get_by_test_id("stAlert").filter(has_text="This link was made with")
    expect(notice).to_contain_text("0123456789ab")
    expect(notice).to_contain_text(current)

    page.get_by_role("button", name="Show the current view").click()
    wait_for_app(page)
    expect(notice).to_have_count(0)
    wait_until(lambda: _assert_query(page, "actor", ["blinken"]))
    # The link to share pins the current version, and the citation names it.
    popover = share_popover(page)
    share = popover.get_by_test_id("stCode").first
    expect(share).to_contain_text(f"v={current}")
    expect(share).to_contain_text("actor=blinken")
    citations = popover.get_by_test_id("stCode").all_inner_texts()
    plain = next(c for c in citations if data["dataset"]["title"] in c and "@" not in c)
    bibtex = next(c for c in citations if c.lstrip().startswith("@"))
    today = dt.date.today()
    for text in (plain, bibtex):
        assert current in text
        assert "actor=blinken" in text
    assert today.isoformat() in bibtex or f"{today:%d %B %Y}".lstrip("0") in plain, plain

    # A link pinned to the version in use shows no notice.
    goto(page, streamlit_server.url, f"stances?actor=blinken&v={current}")
    expect(page.get_by_test_id("stAlert").filter(has_text="This link was made with")).to_have_count(
        0
    )


# --- Files to take away -------------------------------------------------------------------------


def test_chart_files_are_made_on_the_server_for_reports(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    goto(page, streamlit_server.url, "stances?actor=russia")
    wait_for_chart(page)
    svg = download(page, "SVG").decode("utf-8")
    assert svg.lstrip().startswith("<svg"), svg[:80]
    assert actor_names(data)["lavrov"] in svg  # Russia's foreign minister comes with it
    assert actor_names(data)["blinken"] not in svg  # the filter holds in the file

    png = download(page, "PNG")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 600 and height >= 200, (width, height)


def test_the_evidence_bundle_holds_the_view_its_sources_and_how_it_was_made(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    filters = {"actor": ["germany"]}
    expected = positions_in_view(data, filters)
    goto(page, streamlit_server.url, "sources?actor=germany")
    bundle = zipfile.ZipFile(io.BytesIO(download(page, "Evidence bundle")))
    assert sorted(bundle.namelist()) == sorted(
        ["README.md", "positions.csv", "positions.json", "sources.csv", "codebook.md"]
    )
    readme = bundle.read("README.md").decode("utf-8")
    assert version_of(DATA) in readme
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() in readme
    assert "germany" in readme and "actor=germany" in readme
    assert f"Positions: {len(expected)} of the dataset's {len(data['positions'])}" in readme
    rows = list(csv.DictReader(io.StringIO(bundle.read("positions.csv").decode("utf-8"))))
    assert [(r["actor"], r["topic"], r["quote"]) for r in rows] == [
        (p["actor"], p["topic"], p["quote"]) for p in expected
    ]
    cited = {p["source"] for p in expected}
    sources = list(csv.DictReader(io.StringIO(bundle.read("sources.csv").decode("utf-8"))))
    assert {s["id"] for s in sources} == cited
    codebook = bundle.read("codebook.md").decode("utf-8")
    assert codebook == (PROJECT_ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")


# --- Any dataset --------------------------------------------------------------------------------


def open_upload_panel(page: Page) -> None:
    panel = sidebar(page).get_by_test_id("stExpander").filter(has_text="Use your own dataset")
    if panel.locator("details").get_attribute("open") is None:
        panel.get_by_text("Use your own dataset").click()


def test_an_uploaded_dataset_is_used_for_that_session_only(
    streamlit_server: StreamlitServer,
    page_factory: Callable[..., Page],
    data: dict[str, Any],
    tmp_path: Path,
) -> None:
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    reader, other = page_factory(), page_factory()
    goto(reader, streamlit_server.url, "")
    open_upload_panel(reader)
    before = sorted(p.name for p in PROJECT_ROOT.rglob("*.y*ml"))

    # A broken file is refused with its line, at the top of the page; the bundled data stays
    # in use. (Workbooks: test_workbook_upload.py.)
    broken = tmp_path / "broken.yaml"
    broken.write_text("dataset:\n  title: [unclosed\n", encoding="utf-8")
    reader.locator("input[type='file']").set_input_files(str(broken))
    wait_for_app(reader)
    main = reader.get_by_test_id("stMain")
    error = main.get_by_test_id("stAlert").filter(has_text="was not used")
    expect(error).to_contain_text("Your upload broken.yaml was not used: 1 problem.")
    expect(error).to_contain_text("line 3, column 1: YAML syntax error:")
    expect(error).to_contain_text("Fix these lines of your YAML file")
    expect(error).not_to_contain_text("python -m positions")
    expect(reader.locator("h1").first).to_have_text(data["dataset"]["title"])

    reader.locator("input[type='file']").set_input_files(str(EXAMPLE))
    wait_for_app(reader)
    expect(reader.locator("h1").first).to_have_text(example["dataset"]["title"])
    expect(sidebar(reader)).to_contain_text(version_of(EXAMPLE))
    expect(share_popover(reader)).to_contain_text(
        "It opens the dashboard's own dataset, not your upload"
    )
    reader.keyboard.press("Escape")
    sidebar(reader).get_by_test_id("stPageLink").filter(has_text="Sources & method").click()
    wait_for_app(reader)
    assert download(reader, "Whole dataset as YAML") == EXAMPLE.read_bytes()
    bundle = zipfile.ZipFile(io.BytesIO(download(reader, "Evidence bundle")))
    assert version_of(EXAMPLE) in bundle.read("README.md").decode("utf-8")

    sidebar(reader).get_by_test_id("stPageLink").filter(has_text="Stances").click()
    wait_for_app(reader)
    chart = wait_for_chart(reader)
    example_actors = {a["id"]: a["name"] for a in example["actors"]}
    example_topics = {t["id"]: t["name"] for t in example["topics"]}
    assert matrix_cells(chart) == {
        (example_actors[p["actor"]], example_topics[p["topic"]]) for p in example["positions"]
    }

    # Another reader, at the same time, still sees the bundled dataset.
    goto(other, streamlit_server.url, "")
    expect(other.locator("h1").first).to_have_text(data["dataset"]["title"])

    open_upload_panel(reader)
    reader.get_by_role("button", name="Back to the bundled dataset").click()
    wait_for_app(reader)
    sidebar(reader).get_by_test_id("stPageLink").filter(has_text="Overview").click()
    wait_for_app(reader)
    expect(reader.locator("h1").first).to_have_text(data["dataset"]["title"])
    # Nothing was written to the project.
    assert sorted(p.name for p in PROJECT_ROOT.rglob("*.y*ml")) == before
    expect_no_exception(reader)


# --- Faults while running -----------------------------------------------------------------------


def rewrite(path: Path, text: str) -> None:
    """Write like an editor does, and make sure the file's time moves on."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def first_problem(path: Path) -> str:
    """The first problem `python -m positions validate PATH` reports for a broken file."""
    result = validate_with_cli(path)
    assert result.returncode == 1, result
    located = re.compile(rf"{re.escape(str(path))}:\d+:\d+: ")
    lines = [x for x in (result.stdout + result.stderr).splitlines() if located.match(x)]
    assert lines, result
    return lines[0]


def rerun(page: Page) -> None:
    """A new run of the same session, as when a reader follows a link in the sidebar."""
    sidebar(page).get_by_test_id("stPageLink").filter(has_text="Overview").click()
    wait_for_app(page)


def test_the_data_file_edited_broken_and_deleted_while_the_server_runs(
    start_streamlit_server: Callable[..., StreamlitServer],
    page: Page,
    data: dict[str, Any],
    tmp_path: Path,
) -> None:
    live = tmp_path / "positions.yaml"
    shutil.copyfile(DATA, live)
    # The article's text goes with the dataset: its source names it by a relative path.
    shutil.copytree(DATA.parent / "evidence", tmp_path / "evidence")
    server = start_streamlit_server(DASHBOARD, env={"POSITIONS_DATA": str(live)})
    original = live.read_text(encoding="utf-8")
    title = data["dataset"]["title"]
    heading = page.locator("h1").first
    stale = page.get_by_test_id("stAlert").filter(has_text="showing the last good version")

    goto(page, server.url, "")
    expect(heading).to_have_text(title)
    expect(stale).to_have_count(0)

    # An edit is picked up on the next run, without a restart.
    title_line = next(line for line in original.splitlines() if line.startswith("  title: "))
    edited = original.replace(title_line, f'  title: "{title} (edited)"', 1)
    rewrite(live, edited)
    rerun(page)
    expect(heading).to_have_text(f"{title} (edited)")
    expect(stale).to_have_count(0)

    # A broken edit keeps the last good data on screen, with the problem and its line.
    broken = edited.replace("positions:\n", "positions:\n  - actor: [unclosed\n", 1)
    rewrite(live, broken)
    rerun(page)
    expect(heading).to_have_text(f"{title} (edited)")
    expect(stale).to_be_visible()
    # The same first problem, with its line, as the command line validator reports.
    expect(stale).to_contain_text(first_problem(live))
    expect_no_exception(page)
    # The app never writes the file it reads.
    assert live.read_text(encoding="utf-8") == broken

    # Fixed, it recovers.
    rewrite(live, original)
    rerun(page)
    expect(heading).to_have_text(title)
    expect(stale).to_have_count(0)

    # Deleted, the same: the last good data with a warning, then recovery when it is back.
    live.unlink()
    rerun(page)
    expect(heading).to_have_text(title)
    expect(stale).to_contain_text("cannot read the file")
    expect_no_exception(page)
    rewrite(live, original)
    rerun(page)
    expect(stale).to_have_count(0)
    expect(heading).to_have_text(title)

    # A reader who opens the app only after the file broke gets the error, not a traceback.
    rewrite(live, broken)
    fresh = start_streamlit_server(DASHBOARD, env={"POSITIONS_DATA": str(live)})
    goto(page, fresh.url, "")
    error = page.get_by_test_id("stAlert").filter(has_text="cannot be shown")
    expect(error).to_contain_text(f"{live}:")
    expect_no_exception(page)


def test_the_dashboard_runs_on_another_dataset_given_on_the_command_line(
    start_streamlit_server: Callable[..., StreamlitServer], page: Page
) -> None:
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    # As in the README: streamlit run dashboard.py -- --data PATH
    server = start_streamlit_server(
        DASHBOARD, env={"POSITIONS_DATA": None}, extra_args=["--", "--data", str(EXAMPLE)]
    )
    goto(page, server.url, "")
    expect(page.locator("h1").first).to_have_text(example["dataset"]["title"])
    links = sidebar(page).get_by_test_id("stPageLink")
    count = links.count()
    assert count >= 8, links.all_inner_texts()
    headings = []
    for index in range(1, count):
        sidebar(page).get_by_test_id("stPageLink").nth(index).click()
        wait_for_app(page)
        expect_no_exception(page)
        expect(page.locator("h1").first).to_have_text(re.compile(r"\S"))
        headings.append(page.locator("h1").first.inner_text())
    assert len(set(headings)) == count - 1, headings  # every page was reached
    goto(page, server.url, "stances")
    chart = wait_for_chart(page)
    actors = {a["id"]: a["name"] for a in example["actors"]}
    topics = {t["id"]: t["name"] for t in example["topics"]}
    assert matrix_cells(chart) == {
        (actors[p["actor"]], topics[p["topic"]]) for p in example["positions"]
    }
