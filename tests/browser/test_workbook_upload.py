"""Workbooks in Chromium against a real `streamlit run`: the dashboard run on a workbook
(`-- --data book.xlsx`); a reader's upload, where a valid one switches their session to it and a
broken one leaves the dashboard as it was and lists its problems at the top of the page, each at
its sheet and cell, on a desktop and on a phone.

Screenshots (SCREENSHOT_DIR): upload-refused-workbook-1280.png, upload-refused-workbook-390.png
and upload-workbook-1280.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from helpers import (
    PROJECT_ROOT,
    StreamlitServer,
    expect_no_exception,
    goto,
    horizontal_overflow,
    screenshot,
    wait_for_app,
    wait_for_chart,
)
from playwright.sync_api import Locator, Page, expect
from test_dashboard import DASHBOARD, DATA, sidebar
from workbooks import changed, put, small_bytes

BROKEN_CELLS = [
    "positions!B2: unknown actor 'nrth' (hint: did you mean 'north'?)",
    "positions!F2: the cell holds a formula (=B2&C2)",
]


def bundled_title() -> str:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["dataset"]["title"]


def open_upload_panel(page: Page) -> None:
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.count() and expand.is_visible():  # a phone starts with the sidebar closed
        expand.click()
    panel = sidebar(page).get_by_test_id("stExpander").filter(has_text="Use your own dataset")
    if panel.locator("details").get_attribute("open") is None:
        panel.get_by_text("Use your own dataset").click()


def close_sidebar(page: Page) -> None:
    sidebar(page).hover()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.wait_for_timeout(400)  # its slide-out animation


def upload(page: Page, path: Path) -> None:
    open_upload_panel(page)
    page.locator("input[type='file']").set_input_files(str(path))
    wait_for_app(page)


def refusal(page: Page) -> Locator:
    return page.get_by_test_id("stMain").get_by_test_id("stAlert").filter(has_text="was not used")


def expect_the_refusal_at_the_top(page: Page) -> None:
    alert = refusal(page)
    expect(alert).to_contain_text("Your upload book.xlsx was not used: 2 problems.")
    for line in BROKEN_CELLS:
        expect(alert).to_contain_text(line)
    expect(alert).to_contain_text("Fix these cells in your workbook and upload it again.")
    expect(alert).not_to_contain_text("python -m positions")  # no terminal needed
    heading = page.locator("h1").first
    expect(heading).to_have_text(bundled_title())  # the dashboard is as it was
    alert_bottom = alert.evaluate("e => e.getBoundingClientRect().bottom")
    assert alert_bottom <= heading.evaluate("e => e.getBoundingClientRect().top")


def test_a_broken_workbook_is_refused_at_the_top_and_a_good_one_is_used(
    streamlit_server: StreamlitServer, page: Page, tmp_path: Path
) -> None:
    broken = tmp_path / "book.xlsx"
    broken.write_bytes(changed(put("positions", "B2", "nrth"), put("positions", "F2", "=B2&C2")))
    goto(page, streamlit_server.url, "")
    upload(page, broken)
    expect_the_refusal_at_the_top(page)
    expect(sidebar(page)).to_contain_text("Not used: 2 problems, listed at the top of the page.")
    expect_no_exception(page)
    screenshot(page, "upload-refused-workbook-1280.png")

    page.get_by_role("button", name="Dismiss").click()
    wait_for_app(page)
    expect(refusal(page)).to_have_count(0)
    expect(sidebar(page)).not_to_contain_text("Not used")

    good = tmp_path / "small.xlsx"
    good.write_bytes(small_bytes())
    upload(page, good)
    expect(page.locator("h1").first).to_have_text("Small test dataset")
    expect(sidebar(page)).to_contain_text("Showing your upload small.xlsx")
    expect(refusal(page)).to_have_count(0)
    expect_no_exception(page)
    screenshot(page, "upload-workbook-1280.png")
    # Nothing was written to the project.
    assert not list(PROJECT_ROOT.rglob("small.xlsx"))


def test_a_refused_workbook_reads_well_on_a_phone(
    streamlit_server: StreamlitServer, phone_page: Page, tmp_path: Path
) -> None:
    broken = tmp_path / "book.xlsx"
    broken.write_bytes(changed(put("positions", "B2", "nrth"), put("positions", "F2", "=B2&C2")))
    goto(phone_page, streamlit_server.url, "")
    upload(phone_page, broken)
    close_sidebar(phone_page)
    expect_the_refusal_at_the_top(phone_page)
    assert horizontal_overflow(phone_page) == 0
    expect_no_exception(phone_page)
    screenshot(phone_page, "upload-refused-workbook-390.png")


def test_the_dashboard_runs_on_a_workbook_given_on_the_command_line(
    start_streamlit_server: Callable[..., StreamlitServer], page: Page, tmp_path: Path
) -> None:
    book = tmp_path / "small.xlsx"  # its sources' texts are beside it (tests/conftest.py)
    book.write_bytes(small_bytes())
    server = start_streamlit_server(
        DASHBOARD, env={"POSITIONS_DATA": None}, extra_args=["--", "--data", str(book)]
    )
    goto(page, server.url, "")
    expect(page.locator("h1").first).to_have_text("Small test dataset")
    goto(page, server.url, "stances")
    wait_for_chart(page)
    goto(page, server.url, "sources")
    expect(page.get_by_test_id("stDownloadButton").filter(has_text="as a workbook")).to_have_count(
        1
    )
    expect_no_exception(page)
