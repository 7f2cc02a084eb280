"""The dashboard in Chromium against a real `streamlit run`: every page at desktop and phone
widths, the evidence behind a matrix cell, shared links through page switches and history,
hostile links, downloads, and no request off this machine.

Expected values come from data/positions.yaml itself, read here with PyYAML, so that the tests
check what the app shows against the source file rather than against the app's own code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from helpers import (
    LOOPBACK_HOSTS,
    PROJECT_ROOT,
    StreamlitServer,
    current_query,
    expect_no_exception,
    goto,
    horizontal_overflow,
    multiselect_values,
    screenshot,
    wait_for_app,
    wait_for_chart,
    wait_until,
)
from playwright.sync_api import Locator, Page, expect

import page_registry
from positions.model import STANCE_LABEL

DASHBOARD = PROJECT_ROOT / "dashboard.py"
DATA = PROJECT_ROOT / "data" / "positions.yaml"

FILTERS = {"actor": "Actors", "topic": "Topics", "stance": "Stances"}
Filters = dict[str, list[str]]


@dataclass(frozen=True)
class AppPage:
    path: str  # as in the address bar, without the leading slash
    link: str  # the page's title, as its link in the sidebar shows it
    title: str | None = None  # its h1 when the test knows it ("" for the dataset's title)
    chart: bool = False  # the page must draw a chart
    curate_only: bool = False  # served only by a server started with `-- --curate`

    @property
    def name(self) -> str:  # for screenshots and test ids
        return self.path


def registered_pages() -> list[AppPage]:
    """Every page of the registry, in menu order, with what a reader must see on it."""
    return [
        AppPage(entry.url_path, entry.title, entry.heading, entry.draws_chart, entry.curate_only)
        for entry in page_registry.PAGES
    ]


PAGES = registered_pages()
# The pages the brief names must be there.
assert {"overview", "stances", "sanctions", "timeline", "sources"} <= {p.path for p in PAGES}
PAGE_IDS = [p.name for p in PAGES]
PAGE = {p.path: p for p in PAGES}
# What a public server serves; a server in curate mode serves every page.
PUBLIC = [p for p in PAGES if not p.curate_only]
assert PUBLIC != PAGES, "the registry has a curate page, served in curate mode only"


def server_for(app_page: AppPage, request: pytest.FixtureRequest) -> StreamlitServer:
    """The shared public server, or for a curate page the shared server in curate mode."""
    fixture = "curate_server" if app_page.curate_only else "streamlit_server"
    server: StreamlitServer = request.getfixturevalue(fixture)
    return server


def served(app_page: AppPage) -> list[AppPage]:
    """The pages the server that serves `app_page` lists in its menu."""
    return PAGES if app_page.curate_only else PUBLIC


# --- The dataset, read independently of the app ----------------------------------------------


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def actor_names(data: dict[str, Any]) -> dict[str, str]:
    return {a["id"]: a["name"] for a in data["actors"]}


def topic_names(data: dict[str, Any]) -> dict[str, str]:
    return {t["id"]: t["name"] for t in data["topics"]}


def option_label(data: dict[str, Any], key: str, value: str) -> str:
    """How the sidebar's multiselects name an id (the name, then what kind or group it is)."""
    if key == "actor":
        actor = next(a for a in data["actors"] if a["id"] == value)
        return f"{actor['name']} · {actor['kind'].replace('-', ' ')}"
    if key == "topic":
        topic = next(t for t in data["topics"] if t["id"] == value)
        return f"{topic['name']} · {topic.get('group') or 'Other'}"
    return STANCE_LABEL[value]


def with_descendants(data: dict[str, Any], chosen: Sequence[str]) -> set[str]:
    """Choosing an actor includes everyone whose `parent` chain leads to it."""
    parents = {a["id"]: a.get("parent") for a in data["actors"]}
    included = set()
    for actor in parents:
        node: str | None = actor
        while node is not None:
            if node in chosen:
                included.add(actor)
                break
            node = parents.get(node)
    return included


def _period_end(value: object) -> dt.date | None:
    """The last day a YAML date can mean: a day, a month (`2021-06`) or a year (`2021`)."""
    if isinstance(value, dt.date):
        return value
    if value is None:
        return None
    text = str(value)
    if len(text) == 4:
        return dt.date(int(text), 12, 31)
    year, month = int(text[:4]), int(text[5:7])
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def known_from(data: dict[str, Any], record: dict[str, Any]) -> dt.date:
    """The day a record counts as known in the dashboard's as-of views, worked out from the YAML:
    the end of its date's period, or its source's date when earlier; an undated record from an
    undated source (the article) counts as of the dataset's date."""
    as_of = data["dataset"]["as_of"]
    sources = {s["id"]: s for s in data["sources"]}
    published = sources[record["source"]].get("date")
    if record["source"] == data["dataset"].get("article_source"):
        published = min(published, as_of) if published else as_of
    end = _period_end(record.get("date"))
    if end is None:
        return published or as_of
    return min(end, published) if published else end


def positions_in_view(data: dict[str, Any], filters: Filters) -> list[dict[str, Any]]:
    """The YAML's positions that the filters keep, in file order, each with its id. Without an
    `as_of` filter the view speaks from the dataset's date; `as_of: ["latest"]` keeps all."""
    actors = with_descendants(data, filters.get("actor", [])) if filters.get("actor") else None
    when = (filters.get("as_of") or [str(data["dataset"]["as_of"])])[0]
    cutoff = None if when == "latest" else dt.date.fromisoformat(when)
    kept = []
    for i, record in enumerate(data["positions"]):
        if actors is not None and record["actor"] not in actors:
            continue
        if cutoff is not None and known_from(data, record) > cutoff:
            continue
        if filters.get("topic") and record["topic"] not in filters["topic"]:
            continue
        if filters.get("stance") and record["stance"] not in filters["stance"]:
            continue
        kept.append(
            {**record, "id": record.get("id") or f"{record['actor']}--{record['topic']}--{i}"}
        )
    return kept


def events_in_view(data: dict[str, Any], filters: Filters) -> list[dict[str, Any]]:
    actors = with_descendants(data, filters["actor"]) if filters.get("actor") else None
    return [
        event
        for event in data["events"]
        if (actors is None or actors & set(event.get("actors") or []))
        and (not filters.get("topic") or set(filters["topic"]) & set(event.get("topics") or []))
    ]


# --- Reading the page ------------------------------------------------------------------------


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def share_popover(page: Page) -> Locator:
    """The sidebar's "Share or cite this view", opened: the link and the citations."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.count() and expand.is_visible():  # a phone starts with the sidebar closed
        expand.click()
    sidebar(page).get_by_role("button", name="Share or cite this view").click()
    body = page.get_by_test_id("stPopoverBody")
    expect(body).to_be_visible()
    # Code blocks are drawn by a part of the app the browser loads the first time one is shown.
    expect(body.get_by_test_id("stCode")).to_have_count(3)
    return body


def url_filters(page: Page) -> Filters:
    query = current_query(page)
    return {key: query.get(key, []) for key in FILTERS}


def sidebar_filters(page: Page) -> Filters:
    return {key: multiselect_values(sidebar(page), label) for key, label in FILTERS.items()}


def expect_filters(page: Page, data: dict[str, Any], expected: Filters) -> None:
    """The address bar holds exactly `expected` (as ids) and the sidebar shows the same values."""
    want = {key: expected.get(key, []) for key in FILTERS}
    labels = {key: [option_label(data, key, v) for v in values] for key, values in want.items()}

    def check() -> None:
        assert url_filters(page) == want, f"URL {page.url}"
        assert sidebar_filters(page) == labels, f"sidebar at {page.url}"

    wait_until(check)


def expect_on_page(page: Page, app_page: AppPage, data: dict[str, Any]) -> None:
    wait_until(lambda: _assert_path(page, app_page.path))
    heading = page.locator("h1").first
    if app_page.title is None:
        expect(heading).to_have_text(re.compile(r"\S"))
    else:
        expect(heading).to_have_text(app_page.title or str(data["dataset"]["title"]))
    expect_no_exception(page)


def expect_charts_drawn(page: Page, app_page: AppPage) -> None:
    """The page's charts have all drawn; the pages that are about a chart must have one."""
    charts = page.get_by_test_id("stVegaLiteChart")
    if app_page.chart:
        wait_for_chart(page)
    for index in range(charts.count()):
        wait_for_chart(page, index)


def _assert_path(page: Page, path: str) -> None:
    assert urlsplit(page.url).path == f"/{path}", page.url


def page_link_href(page: Page, app_page: AppPage) -> str:
    """Where the sidebar's link to `app_page` points, as the browser resolves it (the address
    that "Open in new tab" or "Copy link" uses; a plain click is handled by Streamlit)."""
    link = sidebar(page).get_by_test_id("stPageLink").filter(has_text=app_page.link)
    return str(link.locator("a").first.evaluate("a => a.href"))


def expect_shared_sidebar(page: Page, filters: Filters, pages: Sequence[AppPage] = ()) -> None:
    """The page links (each carrying the filters) and the three filters are in the sidebar;
    `pages` are those the server serves (the public ones unless given)."""
    pages = list(pages) or PUBLIC
    links = sidebar(page).get_by_test_id("stPageLink")
    expect(links).to_have_count(len(pages))
    for link, app_page in zip(links.all(), pages, strict=True):
        expect(link).to_have_text(re.compile(re.escape(app_page.link) + r"$"))
        href = page_link_href(page, app_page)
        assert urlsplit(href).path == f"/{app_page.path}", href
        query = {k: v for k, v in current_query_of(href).items() if k in FILTERS}
        assert query == {k: v for k, v in filters.items() if v}, href
    for label in FILTERS.values():
        label_element = sidebar(page).get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
        expect(label_element).to_have_count(1)


def current_query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


_FIELD = r"(?:^|; ){name}: (.*?)(?=; |$)"


def mark_field(label: str, name: str) -> str | None:
    found = re.search(_FIELD.format(name=re.escape(name)), label)
    return found.group(1) if found else None


def matrix_cells(chart: Locator) -> set[tuple[str, str]]:
    """(actor name, topic name) of every cell drawn, read from the rect marks' aria-labels."""
    labels = chart.locator("[aria-roledescription='rect mark']").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || '')"
    )
    cells = {(mark_field(x, "Actor"), mark_field(x, "Topic")) for x in labels}
    return {(a, t) for a, t in cells if a and t}


def timeline_events(chart: Locator) -> list[str]:
    """The titles of the events drawn on the timeline, from the marks' aria-labels."""
    labels = chart.locator("[role='graphics-symbol']").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || '')"
    )
    return sorted(t for t in (mark_field(x, "Event") for x in labels) if t)


def css_string(text: str) -> str:
    # A JSON string (quotes and backslashes escaped, no \\u escapes) is a valid CSS string.
    return json.dumps(text, ensure_ascii=False)


def click_cell(page: Page, chart: Locator, actor: str, topic: str) -> None:
    """Click the middle of a matrix cell, where a reader clicks (on top of its glyph)."""
    cell = chart.locator(
        "path[aria-roledescription='rect mark']"
        f"[aria-label*={css_string(f'Actor: {actor};')}]"
        f"[aria-label*={css_string(f'Topic: {topic};')}]"
    )
    expect(cell).to_have_count(1)
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)


def evidence_cards(scope: Locator) -> list[tuple[str, str]]:
    """(verbatim quote, "Source: …" line) of every record shown in `scope`. A quote shown within
    its sentence of the source's text is the part in bold; its typography is the text's."""
    cards = scope.locator("blockquote").evaluate_all(
        """quotes => quotes.map(q => {
            const card = q.closest("[data-testid='stVerticalBlock']");
            const lines = [...card.querySelectorAll('p')].flatMap(p => p.innerText.split('\\n'));
            const words = q.querySelector('strong') || q;
            return [words.innerText.trim(), lines.find(l => l.startsWith('Source:')) || ''];
        })"""
    )
    return [(same_typography(quote), source) for quote, source in cards]


def same_typography(text: str) -> str:
    """Quote marks straight and white space single, as a copy of the same words may differ."""
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def expected_evidence(data: dict[str, Any], actor: str, topic: str) -> list[tuple[str, str]]:
    titles = {s["id"]: s["title"] for s in data["sources"]}
    records = [p for p in data["positions"] if p["actor"] == actor and p["topic"] == topic]
    return sorted((same_typography(p["quote"]), titles[p["source"]]) for p in records)


def expect_evidence(scope: Locator, data: dict[str, Any], actor: str, topic: str) -> None:
    expected = expected_evidence(data, actor, topic)
    assert expected, f"precondition: the dataset has records for {actor} × {topic}"
    expect(scope.locator("blockquote")).to_have_count(len(expected))
    shown = sorted(evidence_cards(scope))
    assert [quote for quote, _ in shown] == [quote for quote, _ in expected]
    for (_, source_line), (_, title) in zip(shown, expected, strict=True):
        # The citation puts the source's title in curly quotes, after its author if any.
        assert source_line.startswith("Source: "), source_line
        assert f"\u201c{title}\u201d" in source_line, source_line


# --- 1 and 6: every page, at 1280 and at 390 px -----------------------------------------------


@pytest.mark.parametrize("app_page", PAGES, ids=PAGE_IDS)
def test_every_page_renders_at_desktop_width(
    request: pytest.FixtureRequest, page: Page, app_page: AppPage, data: dict[str, Any]
) -> None:
    goto(page, server_for(app_page, request).url, app_page.path)
    expect_on_page(page, app_page, data)
    expect_charts_drawn(page, app_page)
    expect_shared_sidebar(page, {}, served(app_page))
    expect_filters(page, data, {})
    screenshot(page, f"{app_page.name}-1280.png")


def expect_fully_in_viewport(page: Page, element: Locator) -> None:
    """The element's box and its text both lie inside the viewport, and nothing in it is cut."""
    geometry = element.evaluate(
        """e => {
            const range = document.createRange();
            range.selectNodeContents(e);
            const text = range.getBoundingClientRect();
            const box = e.getBoundingClientRect();
            return {
                left: Math.min(text.left, box.left), right: Math.max(text.right, box.right),
                top: Math.min(text.top, box.top), bottom: Math.max(text.bottom, box.bottom),
                clipped: e.scrollWidth - e.clientWidth,
                width: document.documentElement.clientWidth,
                height: document.documentElement.clientHeight,
            };
        }"""
    )
    assert geometry["left"] >= 0, geometry
    assert geometry["right"] <= geometry["width"], geometry
    assert geometry["top"] >= 0, geometry
    assert geometry["bottom"] <= geometry["height"], geometry
    assert geometry["clipped"] <= 0, geometry


def matrix_frame(page: Page) -> Locator:
    """The frame a page's first chart scrolls in (sideways, when it is wider than the page)."""
    return page.locator(
        "[data-testid='stFullScreenFrame']:has([data-testid='stVegaLiteChart'])"
    ).first


@pytest.mark.parametrize("app_page", PAGES, ids=PAGE_IDS)
def test_every_page_fits_a_phone(
    request: pytest.FixtureRequest, phone_page: Page, app_page: AppPage, data: dict[str, Any]
) -> None:
    page = phone_page
    goto(page, server_for(app_page, request).url, app_page.path)
    expect_on_page(page, app_page, data)
    expect_charts_drawn(page, app_page)

    # horizontal_overflow() measures the scrolling areas Streamlit gives the page (the document,
    # stMain, the sidebar when it is on screen). A scroll container clips what it holds, so the
    # matrix's own frame (overflow-x: auto, by design) adds nothing to stMain's scrollWidth,
    # while anything else too wide for the phone does. The helper needs no change for that;
    # the stances case below checks both halves explicitly.
    assert horizontal_overflow(page) == 0
    if app_page.path in ("stances", "alignment"):
        frame = matrix_frame(page)
        scroll = frame.evaluate(
            "e => ({overflowX: getComputedStyle(e).overflowX, scroll: e.scrollWidth,"
            " client: e.clientWidth, right: e.getBoundingClientRect().right,"
            " width: document.documentElement.clientWidth})"
        )
        assert scroll["overflowX"] == "auto", scroll
        assert scroll["scroll"] > scroll["client"], (
            f"the matrix should scroll in its frame: {scroll}"
        )
        assert scroll["right"] <= scroll["width"], f"the frame itself must fit: {scroll}"
        # A touch screen shows no scroll bar, so the page says the matrix scrolls, above it.
        hint = page.get_by_text("scroll it sideways to see them all")
        expect(hint).to_be_visible()
        hint_bottom = hint.evaluate("e => e.getBoundingClientRect().bottom")
        assert hint_bottom <= frame.evaluate("e => e.getBoundingClientRect().top")

    expect_fully_in_viewport(page, page.locator("h1").first)
    screenshot(page, f"{app_page.name}-390.png")


def test_a_matrix_that_fits_a_phone_neither_scrolls_nor_says_it_does(
    streamlit_server: StreamlitServer, phone_page: Page
) -> None:
    page = phone_page
    goto(page, streamlit_server.url, "stances?topic=nord-stream-2&topic=ns2-ag-sanctions-waiver")
    wait_for_chart(page)
    frame = matrix_frame(page)
    assert frame.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    expect(page.get_by_text("scroll it sideways to see them all")).to_have_count(0)


# --- 2: a matrix cell's evidence ---------------------------------------------------------------

CELL_ACTOR, CELL_TOPIC = "maas", "ns2-ag-sanctions-waiver"


def test_clicking_a_matrix_cell_shows_its_quotes_and_sources(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    goto(page, streamlit_server.url, "stances")
    chart = wait_for_chart(page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_have_count(0)
    assert "cell" not in current_query(page)

    click_cell(page, chart, actor_names(data)[CELL_ACTOR], topic_names(data)[CELL_TOPIC])

    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Evidence")
    expect_evidence(dialog, data, CELL_ACTOR, CELL_TOPIC)
    wait_until(lambda: _assert_query(page, "cell", [f"{CELL_ACTOR}~{CELL_TOPIC}"]))
    expect_no_exception(page)
    screenshot(page, "evidence-dialog-1280.png")

    # Closed, the dialog leaves the same evidence below the matrix.
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect_evidence(page.get_by_test_id("stMain"), data, CELL_ACTOR, CELL_TOPIC)
    # The link to this view in the sidebar names the cell too, so it can be shared.
    share = share_popover(page).get_by_test_id("stCode").first  # then the citations
    expect(share).to_contain_text(f"cell={CELL_ACTOR}~{CELL_TOPIC}")


def _assert_query(page: Page, key: str, values: list[str]) -> None:
    assert current_query(page).get(key) == values, page.url


# --- 3: a shared, filtered link through page switches and history ------------------------------


def add_to_filter(page: Page, label: str, option: str) -> None:
    box = sidebar(page).get_by_role("combobox", name=label)
    box.click()
    box.fill(option.split(" · ")[0])
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)


def test_a_filtered_link_on_a_fresh_server_survives_page_switches_and_history(
    start_streamlit_server: Callable[..., StreamlitServer], page: Page, data: dict[str, Any]
) -> None:
    # The very first request this server gets is the shared deep link.
    server = start_streamlit_server(DASHBOARD)
    shared: Filters = {"actor": ["blinken"], "topic": ["nord-stream-2"]}
    timeline, stances, sources = PAGE["timeline"], PAGE["stances"], PAGE["sources"]
    names = actor_names(data)
    topics = topic_names(data)

    def expected_cells(filters: Filters) -> set[tuple[str, str]]:
        return {(names[p["actor"]], topics[p["topic"]]) for p in positions_in_view(data, filters)}

    # The timeline opens on the data's horizon, which starts at the first event and ends after
    # the dataset's as-of date: events of the view up to that date must be drawn, and nothing
    # outside the view may be.
    in_view = events_in_view(data, shared)
    all_titles = {e["title"] for e in in_view}
    surely_drawn = {e["title"] for e in in_view if e["date"] <= data["dataset"]["as_of"]}
    assert surely_drawn, "precondition: the shared view has events before the as-of date"

    def check_events(chart: Locator) -> None:
        drawn = set(timeline_events(chart))
        assert surely_drawn <= drawn <= all_titles, drawn
        expect(chart).to_have_attribute("aria-label", re.compile(rf"\b{len(drawn)} events?\b"))

    def on_timeline() -> None:
        expect_on_page(page, timeline, data)
        expect_filters(page, data, shared)
        chart = wait_for_chart(page)
        wait_until(lambda: check_events(chart))

    def on_stances(filters: Filters) -> None:
        expect_on_page(page, stances, data)
        expect_filters(page, data, filters)
        chart = wait_for_chart(page)
        wait_until(lambda: _assert_equal(matrix_cells(chart), expected_cells(filters)))

    goto(page, server.url, "timeline?actor=blinken&topic=nord-stream-2")
    on_timeline()
    expect_shared_sidebar(page, shared)
    expect(sidebar(page).get_by_test_id("stAlert")).to_have_count(0)  # nothing was dropped

    sidebar(page).get_by_test_id("stPageLink").filter(has_text=stances.link).click()
    wait_for_app(page)
    on_stances(shared)
    expect_shared_sidebar(page, shared)

    page.go_back()
    wait_for_app(page)
    on_timeline()

    page.go_forward()
    wait_for_app(page)
    on_stances(shared)

    # A filter changed in the sidebar goes to the URL as an id, and the view follows it.
    lavrov = option_label(data, "actor", "lavrov")
    add_to_filter(page, "Actors", lavrov)
    wider: Filters = {"actor": ["blinken", "lavrov"], "topic": ["nord-stream-2"]}
    on_stances(wider)
    query = urlsplit(page.url).query
    assert "actor=lavrov" in query and "Lavrov" not in query, page.url
    assert (names["lavrov"], topics["nord-stream-2"]) in expected_cells(wider)

    page.go_back()
    wait_for_app(page)
    on_stances(shared)

    page.go_forward()
    wait_for_app(page)
    on_stances(wider)

    sidebar(page).get_by_test_id("stPageLink").filter(has_text=sources.link).click()
    wait_for_app(page)
    expect_on_page(page, sources, data)
    expect_filters(page, data, wider)
    expect_shared_sidebar(page, wider)


def _assert_equal(actual: object, expected: object) -> None:
    assert actual == expected


def test_overview_link_points_to_the_overview(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    # Copied or opened in a new tab, the Overview's link opens the Overview with the filters,
    # not the page that is open (Streamlit's own link to the root page is an empty href).
    goto(page, streamlit_server.url, "timeline?actor=blinken")
    overview = PAGE["overview"]
    href = page_link_href(page, overview)
    assert urlsplit(href).path == "/overview", href
    assert current_query_of(href) == {"actor": ["blinken"]}, href
    page.goto(href)
    wait_for_app(page)
    expect_on_page(page, overview, data)
    # The root address still opens it.
    goto(page, streamlit_server.url, "")
    expect(page.locator("h1").first).to_have_text(str(data["dataset"]["title"]))


def test_back_restores_a_pages_own_setting(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    period = page.get_by_role("radiogroup", name="Period").get_by_role("radio", checked=True)
    goto(page, streamlit_server.url, "timeline?period=all")
    expect(period).to_have_text("Everything in the data")

    sidebar(page).get_by_test_id("stPageLink").filter(has_text=PAGE["stances"].link).click()
    wait_for_app(page)
    expect_on_page(page, PAGE["stances"], data)

    page.go_back()
    wait_for_app(page)
    expect_on_page(page, PAGE["timeline"], data)
    # The history entry is /timeline?period=all; the view must be the one that was left.
    wait_until(lambda: _assert_query(page, "period", ["all"]), timeout=5)
    expect(period).to_have_text("Everything in the data", timeout=2000)


# --- 5: downloads ------------------------------------------------------------------------------

EXPORT_FIELDS = ("id", "actor", "topic", "stance", "quote", "source", "date", "event")
EXPORT_FIELDS += ("confidence", "note")


def as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def download(page: Page, label: str, index: int = 0) -> bytes:
    """The file behind the `index`-th download button whose label holds `label`."""
    buttons = page.get_by_test_id("stDownloadButton").filter(has_text=label)
    # A button with help text is drawn twice, once inside its tooltip's hover target and once
    # hidden; the visible one is what a reader clicks.
    button = buttons.nth(index).locator("button:visible").first
    with page.expect_download() as info:
        button.click()
    path = info.value.path()
    return Path(path).read_bytes()


@pytest.mark.parametrize(
    "filters",
    [
        {"actor": ["russia"]},  # a state: its officials come with it
        {"actor": ["united-states"], "topic": ["ns2-ag-sanctions-waiver"], "stance": ["oppose"]},
    ],
    ids=["russia", "us-waiver-oppose"],
)
def test_downloads_hold_exactly_the_view(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any], filters: Filters
) -> None:
    query = "&".join(f"{k}={v}" for k, values in filters.items() for v in values)
    goto(page, streamlit_server.url, f"sources?{query}")
    expect_no_exception(page)
    expect_filters(page, data, filters)

    expected = positions_in_view(data, filters)
    assert expected, "precondition: the view has positions"
    assert len({p["actor"] for p in expected}) > 1, "precondition: descendants are included"
    want = [{f: as_text(p.get(f)) for f in EXPORT_FIELDS} for p in expected]
    names, topics = actor_names(data), topic_names(data)
    expect(page.get_by_text(re.compile(r"^\d+ positions in this view\.$"))).to_have_text(
        f"{len(expected)} positions in this view."
    )

    rows = list(csv.DictReader(io.StringIO(download(page, "Positions as CSV").decode("utf-8"))))
    assert [{f: row[f] or None for f in EXPORT_FIELDS} for row in rows] == want
    assert [row["actor_name"] for row in rows] == [names[p["actor"]] for p in expected]
    assert [row["topic_name"] for row in rows] == [topics[p["topic"]] for p in expected]

    body = json.loads(download(page, "Positions as JSON"))
    assert body["count"] == len(expected)
    assert body["filters"] == {key: filters.get(key, []) for key in FILTERS}
    assert [{f: record[f] for f in EXPORT_FIELDS} for record in body["positions"]] == want

    assert download(page, "Whole dataset as YAML") == DATA.read_bytes()


# --- 7: nothing leaves loopback -----------------------------------------------------------------


def test_no_request_leaves_loopback(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    # The page fixture aborts and reports such requests anyway; this says it outright. The
    # first page is loaded, the others are reached as a reader does, through the sidebar.
    goto(page, streamlit_server.url, PUBLIC[0].path)
    for app_page in PUBLIC:
        if app_page is not PUBLIC[0]:
            sidebar(page).get_by_test_id("stPageLink").filter(has_text=app_page.link).click()
            wait_for_app(page)
        expect_on_page(page, app_page, data)
        expect_charts_drawn(page, app_page)
    seen: list[str] = page.requests_seen  # type: ignore[attr-defined]
    assert any(url.startswith(("ws://127.0.0.1", "ws://localhost")) for url in seen), seen
    hosts = {
        urlsplit(url).hostname
        for url in seen
        if urlsplit(url).scheme not in ("data", "blob", "about")
    }
    assert hosts and hosts <= LOOPBACK_HOSTS, sorted(h or "" for h in hosts - LOOPBACK_HOSTS)


def test_the_curate_page_does_not_exist_without_the_flag(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    # A public server answers /curate exactly as it answers an address it never had.
    seen = []
    for path in ("curate", "no-such-page"):
        goto(page, streamlit_server.url, path)
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Page not found")
        expect(page.locator("h1").first).to_have_text(str(data["dataset"]["title"]))
        links = sidebar(page).get_by_test_id("stPageLink")
        expect(links).to_have_count(len(PUBLIC))
        seen.append((urlsplit(page.url).path, dialog.inner_text()))
    assert seen[0] == seen[1]
    expect(sidebar(page).get_by_test_id("stPageLink").filter(has_text="Curate")).to_have_count(0)
