"""Coding one record end to end in Chromium, at desktop and phone widths, against a real
`streamlit run -- --curate --data COPY` on a copy of the small fixture: pick a sentence, narrow
the quote, choose actor, topic and stance, add it, see it listed, download the working copy,
reload (the draft brings it back), save, and find the record on the Stances page.

Every state of the page is screenshotted (curate-<state>-<width>.png).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import curate_args
from helpers import (
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
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

from positions import load_dataset, load_dataset_bytes
from positions.workbook import write_workbook

SMALL = PROJECT_ROOT / "tests" / "fixtures" / "small.yaml"
DASHBOARD = PROJECT_ROOT / "dashboard.py"
SENTENCE = "The waiver was criticised by members of parliament."
QUOTE = "The waiver was criticised"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    shutil.copy(SMALL, path)  # its texts/ are copied beside it by tests/conftest.py
    return path


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def choose(page: Page, label: str, typed: str, option: str | re.Pattern[str]) -> None:
    """Pick an option of the main area's selectbox labelled `label`, typing to find it."""
    box = main(page).get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=option).first.click()
    wait_for_app(page)


def type_into(page: Page, label: str, text: str) -> None:
    field = main(page).get_by_role("textbox", name=label, exact=True)
    field.fill(text)
    field.blur()  # Streamlit takes a text box's value when it loses focus
    wait_for_app(page)


def shoot(page: Page, state: str, width: int) -> None:
    expect_no_exception(page)
    assert horizontal_overflow(page) == 0, f"{state} is wider than the screen"
    screenshot(page, f"curate-{state}-{width}.png")


@pytest.mark.parametrize("viewport", [DESKTOP_VIEWPORT, PHONE_VIEWPORT], ids=["1280", "390"])
def test_a_record_coded_from_the_text_reaches_the_file_and_the_stances_page(
    start_streamlit_server: Callable[..., StreamlitServer],
    page_factory: Callable[..., Page],
    data: Path,
    viewport: dict[str, int],
) -> None:
    width = viewport["width"]
    original = data.read_text()
    server = start_streamlit_server(DASHBOARD, extra_args=curate_args(data))
    page = page_factory(viewport)
    goto(page, server.url, "curate")
    expect(page.locator("h1").first).to_have_text("Curate")
    expect(main(page)).to_contain_text("No changes yet: the working copy is small.yaml as loaded.")
    expect(main(page)).to_contain_text("8 of 10 sentences (80%) carry a record; 2 carry none yet.")
    shoot(page, "start", width)

    # 1-2. The article is the source; its sixth sentence is picked by typing its words.
    choose(page, "Sentence", "criticised by members", re.compile("^6 · The waiver"))
    quote = main(page).get_by_role("textbox", name="Quote: the source's own words, exactly")
    expect(quote).to_have_value(SENTENCE)
    expect(main(page).get_by_text("Sentence 6, in its paragraph")).to_be_visible()
    shoot(page, "sentence", width)

    # 3. Narrowed, with a slip first: the closest passage and the differing word are named.
    type_into(page, "Quote: the source's own words, exactly", "The waiver was critcised")
    alert = main(page).get_by_test_id("stAlert").filter(has_text="is not verbatim")
    expect(alert).to_contain_text(
        "the quote has “critcised” where the text has “criticised”", use_inner_text=True
    )
    shoot(page, "quote-not-verbatim", width)
    type_into(page, "Quote: the source's own words, exactly", QUOTE)
    verdict = "Word for word in the text (sentence 6): “The waiver was criticised”."
    expect(main(page)).to_contain_text(verdict)
    # While other words are typed and not yet checked, the verdict still names the words it
    # checked, under a caption that says when the box is checked.
    box = main(page).get_by_role("textbox", name="Quote: the source's own words, exactly")
    box.fill("The waiver was criticised by members")
    expect(main(page)).to_contain_text(verdict)
    expect(main(page)).to_contain_text(
        "Checked against the text when you press Ctrl+Enter (⌘+Enter on a Mac) or leave the box"
    )
    shoot(page, "quote-typing", width)
    box.fill(QUOTE)
    box.blur()
    wait_for_app(page)

    # 4. Who, on what, how: inferred without a note is refused at the note.
    choose(page, "Actor", "North parl", "North parliament · legislature")
    choose(page, "Topic", "The pipeline", "The pipeline · Energy")
    stance = main(page).get_by_role("radiogroup", name="Stance")
    stance.get_by_text("Lean oppose", exact=True).click()
    wait_for_app(page)
    confidence = main(page).get_by_role("radiogroup", name="Confidence")
    confidence.get_by_text("Inferred: it follows, but is not said outright").click()
    wait_for_app(page)
    expect(main(page)).to_contain_text(
        "A stance that is not said outright (inferred) needs a note saying why it follows from "
        "the source."
    )
    add = main(page).get_by_role("button", name="Add to the working copy")
    expect(add).to_be_disabled()
    shoot(page, "problems", width)
    type_into(page, "Note (required: why it follows)", "The criticism of the waiver extends to it.")
    expect(main(page)).to_contain_text("Ready: the quote is word for word in the source")
    expect(add).to_be_enabled()
    shoot(page, "ready", width)

    add.click()
    wait_for_app(page)
    expect(main(page)).to_contain_text(
        "Added record parliament-pipeline in the working copy (1 added)."
    )
    expect(main(page)).to_contain_text("1 added since small.yaml was loaded; not saved")
    # Listed under its sentence (the fixture's nine positions have slots 0 to 8).
    listed = main(page).locator(".st-key-cur_record_here_9")
    expect(listed).to_contain_text("North parliament on The pipeline: Lean oppose")
    expect(listed).to_contain_text("parliament-pipeline · sentence 6 · undated")
    expect(listed).to_contain_text("added")
    shoot(page, "added", width)
    # Undo takes the addition back whole; the changes against the file can be reverted one by one.
    expect(
        main(page).get_by_role("button", name="Undo: added record parliament-pipeline")
    ).to_be_visible()
    main(page).get_by_text("Changes against the file (1): revert one, or discard all").click()
    expect(main(page).get_by_role("button", name="Revert")).to_be_visible()
    expect(main(page)).to_contain_text(
        "Added position parliament-pipeline: North parliament on The pipeline (Lean oppose)"
    )
    main(page).get_by_text("Positions from this source (9)").click()
    expect(main(page).locator(".st-key-cur_record_all_9")).to_be_visible()
    shoot(page, "changes-and-records", width)

    # The working copy downloads as YAML with the record in it; the file is not written yet.
    button = main(page).get_by_test_id("stDownloadButton").filter(has_text="Working copy as YAML")
    with page.expect_download() as info:
        button.locator("button:visible").first.click()
    assert info.value.suggested_filename == "small.yaml"
    downloaded = Path(info.value.path()).read_bytes()
    record = yaml.safe_load(downloaded)["positions"][-1]
    assert record == {
        "id": "parliament-pipeline",
        "actor": "parliament",
        "topic": "pipeline",
        "stance": "lean_oppose",
        "source": "article",
        "quote": QUOTE,
        "confidence": "inferred",
        "note": "The criticism of the waiver extends to it.",
    }
    assert downloaded.decode().startswith(original.split("dataset:")[0])  # comments kept
    assert load_dataset_bytes(downloaded, "download").positions[-1].id == "parliament-pipeline"
    assert data.read_text() == original

    # A reload keeps the work: the draft is offered, and restored.
    page.reload()
    wait_for_app(page)
    offer = main(page).get_by_test_id("stAlert").filter(has_text="A draft from")
    expect(offer).to_contain_text("holds 1 unsaved change (1 added)")
    expect(main(page)).to_contain_text("Added position parliament-pipeline: North parliament on")
    shoot(page, "draft", width)
    main(page).get_by_role("button", name="Restore the draft").click()
    wait_for_app(page)
    expect(main(page)).to_contain_text("Restored the draft: 1 added.")

    # Saved after a confirmation, with a backup beside the file.
    main(page).get_by_role("button", name="Save to small.yaml").click()
    wait_for_app(page)
    expect(main(page)).to_contain_text("Write the working copy (1 added) to")
    shoot(page, "confirm-save", width)
    main(page).get_by_role("button", name="Yes, save to the file").click()
    wait_for_app(page)
    (backup,) = (data.parent / ".curate" / "backups").iterdir()
    expect(main(page)).to_contain_text(
        f"The file as it was is kept as .curate/backups/{backup.name} beside it."
    )
    expect(main(page)).to_contain_text(
        "Its comments and layout were kept: only the lines of the records that changed were "
        "rewritten."
    )
    shoot(page, "saved", width)
    assert backup.read_text() == original
    saved = data.read_text()
    assert saved.startswith(original.split("positions:")[0])  # all before positions unchanged
    assert "  - id: parliament-pipeline\n    actor: parliament\n" in saved

    # The Stances page shows the new record, quote and all.
    goto(page, server.url, "stances?actor=parliament")
    chart = wait_for_chart(page)
    cell = chart.locator(
        "path[aria-roledescription='rect mark']"
        "[aria-label*='Actor: North parliament;'][aria-label*='Topic: The pipeline;']"
    )
    expect(cell).to_have_count(1)
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(QUOTE)
    expect(dialog).to_contain_text("Lean oppose")
    expect_no_exception(page)


def test_editing_and_removing_at_both_widths(
    curate_server: StreamlitServer, page_factory: Callable[..., Page]
) -> None:
    # On the shared curate server's copy of the bundled dataset: nothing here is saved.
    for viewport in (DESKTOP_VIEWPORT, PHONE_VIEWPORT):
        width = viewport["width"]
        page = page_factory(viewport)
        goto(page, curate_server.url, "curate")
        choose(page, "Sentence", "Blinken voiced his opposition", re.compile("^5 · Blinken"))
        rows = main(page).locator("[class*='st-key-cur_record_here_']")
        row = rows.filter(has_text="on Russian violations of human rights")
        row.get_by_role("button", name="Edit").click()
        wait_for_app(page)
        expect(main(page)).to_contain_text("Editing record blinken-rights-law-meeting")
        expect(main(page).get_by_role("button", name="Save changes to the record")).to_be_visible()
        shoot(page, "editing", width)
        main(page).get_by_role("button", name="Cancel editing").click()
        wait_for_app(page)
        row = rows.filter(has_text="on Russian violations of human rights")
        row.get_by_role("button", name="Remove").click()
        wait_for_app(page)
        expect(main(page)).to_contain_text("Remove record blinken-rights-law-meeting")
        shoot(page, "confirm-remove", width)
        main(page).get_by_role("button", name="Keep it").click()
        wait_for_app(page)
        expect(main(page)).to_contain_text("No changes yet")


def test_a_record_coded_on_a_workbook_is_saved_to_the_workbook(
    start_streamlit_server: Callable[..., StreamlitServer],
    page_factory: Callable[..., Page],
    tmp_path: Path,
) -> None:
    # A curator who never opens a YAML file: the dataset is a workbook from the start.
    book = tmp_path / "small.xlsx"  # its texts/ are copied beside it by tests/conftest.py
    write_workbook(load_dataset(SMALL), book)
    before = load_dataset(book)
    server = start_streamlit_server(DASHBOARD, extra_args=curate_args(book))
    page = page_factory(DESKTOP_VIEWPORT)
    goto(page, server.url, "curate")
    expect(main(page)).to_contain_text("No changes yet: the working copy is small.xlsx as loaded.")
    choose(page, "Sentence", "criticised by members", re.compile("^6 · The waiver"))
    type_into(page, "Quote: the source's own words, exactly", QUOTE)
    choose(page, "Actor", "North parl", "North parliament · legislature")
    choose(page, "Topic", "The pipeline", "The pipeline · Energy")
    main(page).get_by_role("radiogroup", name="Stance").get_by_text("Oppose", exact=True).click()
    wait_for_app(page)
    main(page).get_by_role("button", name="Add to the working copy").click()
    wait_for_app(page)
    expect(main(page)).to_contain_text("1 added since small.xlsx was loaded; not saved")

    # The working copy as a workbook holds the record; the file is not written yet.
    button = main(page).get_by_test_id("stDownloadButton").filter(has_text="as a workbook")
    with page.expect_download() as info:
        button.locator("button:visible").first.click()
    assert info.value.suggested_filename == "small.xlsx"
    downloaded = load_dataset_bytes(Path(info.value.path()).read_bytes(), "download.xlsx")
    added = downloaded.positions[-1]
    assert (added.actor, added.topic, added.stance, added.quote) == (
        "parliament",
        "pipeline",
        "oppose",
        QUOTE,
    )
    assert load_dataset(book) == before

    main(page).get_by_role("button", name="Save to small.xlsx").click()
    wait_for_app(page)
    main(page).get_by_role("button", name="Yes, save to the file").click()
    wait_for_app(page)
    (backup,) = (book.parent / ".curate" / "backups").iterdir()
    expect(main(page)).to_contain_text(
        f"The file as it was is kept as .curate/backups/{backup.name} beside it."
    )
    expect(main(page)).to_contain_text(
        "The workbook was written anew: one sheet per section, as python -m positions convert "
        "writes it."
    )
    expect(main(page)).not_to_contain_text("Its comments and layout were kept")
    shoot(page, "saved-workbook", 1280)
    assert load_dataset_bytes(backup.read_bytes(), "backup.xlsx") == before
    assert load_dataset(book) == downloaded
