"""The timeline in Chromium: events of the same day and kind each have a marker of their own
that a reader can see, hover and click, on a desktop and on a phone.

Expected values are read from the YAML file with PyYAML, not from the app's code.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
import yaml
from helpers import (
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
    StreamlitServer,
    expect_no_exception,
    goto,
    wait_for_app,
    wait_for_chart,
)
from playwright.sync_api import Locator, Page
from test_dashboard import DATA, actor_names, css_string

# A missing value printed as a word.
MISSING = re.compile(r"\b(?:None|nan|NaN|NaT)\b")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def same_day_pair(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The first two events, in the file's order, that share a day and a kind around the
    meeting, both with a quote (the details panel shows it)."""
    events = [e for e in data["events"] if str(e["date"]) in ("2021-05-19", "2021-05-20")]
    for _, group in itertools.groupby(
        sorted(events, key=lambda e: (str(e["date"]), e["kind"])),
        key=lambda e: (str(e["date"]), e["kind"]),
    ):
        quoted = [e for e in group if e.get("quote") and e.get("date_precision", "day") == "day"]
        if len(quoted) >= 2:
            return quoted[:2]
    raise AssertionError("precondition: two events share a day and a kind on 19 or 20 May 2021")


def marker_centre(page: Page, chart: Locator, title: str) -> tuple[float, float]:
    """The middle of an event's marker, checked to be the marker a click there would hit."""
    mark = chart.locator(
        f"[role='graphics-symbol'][aria-label*={css_string('Event: ' + title + ';')}]"
    )
    assert mark.count() == 1, title
    mark.scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no tooltip left over the marker
    page.wait_for_timeout(200)
    box = mark.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.getAttribute('aria-label') || ''", [x, y]
    )
    assert on_top.startswith(f"Event: {title};"), f"{title} is covered by: {on_top}"
    return x, y


def event_details(page: Page) -> str:
    """The text of the details panel: between its heading and the table's."""
    text = page.get_by_test_id("stMain").inner_text()
    start, end = text.index("Event details"), text.index("All events in this view")
    return text[start:end]


@pytest.mark.parametrize("viewport", [DESKTOP_VIEWPORT, PHONE_VIEWPORT], ids=["1280", "390"])
def test_two_events_of_the_same_day_can_each_be_seen_and_clicked(
    streamlit_server: StreamlitServer, page_factory: Any, data: dict[str, Any], viewport: dict
) -> None:
    first, second = same_day_pair(data)
    page = page_factory(viewport)
    goto(page, streamlit_server.url, "timeline")
    chart = wait_for_chart(page)
    names = actor_names(data)

    # Hovering the first shows its tooltip, with names and nothing printed for a missing place.
    x, y = marker_centre(page, chart, first["title"])
    page.mouse.move(x, y)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    tip = tooltip.inner_text()
    assert first["title"] in tip
    assert all(names[a] in tip for a in first["actors"]), tip
    assert not MISSING.search(tip), tip

    for event, other in ((first, second), (second, first)):
        x, y = marker_centre(page, chart, event["title"])
        page.mouse.click(x, y)
        wait_for_app(page)
        details = event_details(page)
        assert event["title"] in details, details
        assert " ".join(event["quote"].split()) in " ".join(details.split()), details
        assert other["title"] not in details, details
        assert not MISSING.search(details), details
        chart = wait_for_chart(page)
    expect_no_exception(page)
