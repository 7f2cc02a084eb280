"""What a sceptical reader checks, in Chromium against a real `streamlit run`: the views speak from
the dataset's date, a later record is one choice away and says so, a contested cell stays contested
under a stance filter, the counting rule is in the address, and the overview's contested finding
opens both records.

Expected values are read from the YAML with PyYAML, not from the app's code.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import (
    StreamlitServer,
    current_query,
    expect_no_exception,
    goto,
    wait_for_app,
    wait_for_chart,
    wait_until,
)
from playwright.sync_api import Page, expect
from test_dashboard import (
    DATA,
    actor_names,
    evidence_cards,
    known_from,
    mark_field,
    matrix_cells,
    same_typography,
    sidebar,
    topic_names,
)


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def cell_labels(page: Page) -> dict[tuple[str, str], str]:
    chart = wait_for_chart(page)
    labels = chart.locator("[aria-roledescription='rect mark']").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || '')"
    )
    cells = {}
    for label in labels:
        actor, topic = mark_field(label, "Actor"), mark_field(label, "Topic")
        if actor and topic:
            cells[(actor, topic)] = mark_field(label, "Stance") or ""
    return cells


def choose(page: Page, label: str, option: str) -> None:
    box = sidebar(page).get_by_role("combobox", name=label)
    box.click()
    box.fill(option.split(" (")[0])
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_views_speak_from_the_datasets_date_and_latest_is_one_choice_away(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    names, topics = actor_names(data), topic_names(data)
    as_of = data["dataset"]["as_of"]
    later = [p for p in data["positions"] if known_from(data, p) > as_of]
    biden_later = [p for p in later if p["actor"] == "biden"]
    assert biden_later, "precondition: Biden's records all come after the article's date"
    waiver = (names["biden"], topics["ns2-ag-sanctions-waiver"])

    goto(page, streamlit_server.url, "stances")
    caption = page.get_by_text("As of 20 May 2021 (the dataset's date):")
    expect(caption).to_contain_text(f"{len(later)} records known only later are left out")
    known = {
        (names[p["actor"]], topics[p["topic"]])
        for p in data["positions"]
        if known_from(data, p) <= as_of
    }
    wait_until(lambda: matrix_cells(wait_for_chart(page)) == known)
    assert waiver not in matrix_cells(wait_for_chart(page))
    assert "as_of" not in current_query(page)  # the default stays out of the address

    choose(page, "As of", "Latest known (mixes in later records)")
    wait_until(lambda: current_query(page).get("as_of") == ["latest"])
    expect(page.get_by_text("Latest known: this view mixes")).to_be_visible()
    wait_until(lambda: waiver in matrix_cells(wait_for_chart(page)))

    # The setting travels with the page links, like the filters.
    sidebar(page).get_by_test_id("stPageLink").filter(has_text="Alignment").click()
    wait_for_app(page)
    wait_until(lambda: current_query(page).get("as_of") == ["latest"])
    expect(page.get_by_text("Latest known: this view mixes")).to_be_visible()
    expect_no_exception(page)


def test_a_stance_filter_never_changes_how_a_cell_looks(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    names, topics = actor_names(data), topic_names(data)
    navalny = [p for p in data["positions"] if p["topic"] == "navalny-treatment"]
    assert {p["stance"] for p in navalny} >= {"not_raised", "lean_oppose"}, "precondition"
    cell = (names["blinken"], topics["navalny-treatment"])

    goto(page, streamlit_server.url, "stances")
    wait_until(lambda: cell_labels(page).get(cell) == "Contested")
    goto(page, streamlit_server.url, "stances?stance=not_raised")
    wait_until(lambda: cell_labels(page).get(cell) == "Contested")
    # Only the cells holding a not-raised record are shown.
    not_raised = {
        (names[p["actor"]], topics[p["topic"]])
        for p in data["positions"]
        if p["stance"] == "not_raised" and known_from(data, p) <= data["dataset"]["as_of"]
    }
    wait_until(lambda: set(cell_labels(page)) == not_raised)
    expect_no_exception(page)


def test_the_overviews_contested_finding_opens_both_records(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    goto(page, streamlit_server.url, "")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text(
        "Contested: whether Russia's treatment of Alexei Navalny was raised"
    )
    link = main.locator("a[href*='cell=blinken~navalny-treatment']")
    expect(link).to_have_count(1)
    link.click()
    wait_for_app(page)
    wait_until(lambda: current_query(page).get("cell") == ["blinken~navalny-treatment"])
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    quotes = {quote for quote, _ in evidence_cards(dialog)}
    expected = {
        same_typography(p["quote"]) for p in data["positions"] if p["topic"] == "navalny-treatment"
    }
    assert quotes == expected
    expect(dialog).to_contain_text("because its sources disagree")


def test_the_counting_rule_is_in_the_address(streamlit_server: StreamlitServer, page: Page) -> None:
    goto(page, streamlit_server.url, "alignment")
    expect(page.get_by_text("Only stated stances count")).to_be_visible()
    sidebar(page).get_by_text("Stated and inferred", exact=True).click()
    wait_for_app(page)
    wait_until(lambda: current_query(page).get("count") == ["all"])
    expect(page.get_by_text("Stated and inferred stances count.")).to_be_visible()
    goto(page, streamlit_server.url, "alignment?count=all")
    expect(page.get_by_text("Stated and inferred stances count.")).to_be_visible()
    expect_no_exception(page)
