"""Quotes in their context, in Chromium against a real `streamlit run`: a shared cell link shows
its quote within the article's sentence, the paragraph one click away, the Reader with every
coded passage, and a citation of the quote pinned to the data's version.

Expected words are read from the article's text file and the YAML, not from the app's code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from helpers import (
    PROJECT_ROOT,
    StreamlitServer,
    current_query,
    expect_no_exception,
    goto,
    screenshot,
    wait_until,
)
from playwright.sync_api import Page, expect
from test_dashboard import expect_evidence

ARTICLE = (PROJECT_ROOT / "data" / "evidence" / "pism-spotlight-blinken-lavrov.txt").read_text(
    encoding="utf-8"
)
CELL = "maas~ns2-ag-sanctions-waiver"
SENTENCE = (
    "German Foreign Minister Heiko Maas described the Biden administration's decision as a "
    '"constructive step".'
)


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "data" / "positions.yaml").read_text(encoding="utf-8"))


def test_the_sentence_is_the_articles() -> None:
    assert SENTENCE in " ".join(ARTICLE.split())


def test_a_shared_cell_link_shows_the_quote_in_its_sentence_with_a_citation(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    goto(page, streamlit_server.url, f"stances?cell={CELL}")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    # Every record of the cell, with its quote and source.
    expect_evidence(dialog, data, *CELL.split("~"))
    card = dialog  # its first record is the cell's latest: the article's
    record = next(p for p in data["positions"] if p["id"] == "maas-waiver")
    # Who said what first, then the quote within its sentence, the quoted words marked.
    expect(card).to_contain_text("Heiko Maas on Waiver of sanctions")
    quote = card.locator("blockquote").first
    expect(quote).to_have_text(SENTENCE)
    expect(quote.locator("strong")).to_have_text(record["quote"])
    # The paragraph, one click away, and a link to the whole text.
    card.get_by_text("The paragraph").first.click()
    expect(card).to_contain_text("Russia has indicated that it perceives the American decision")
    reader = card.get_by_role("link", name=re.compile("Read the whole text"))
    expect(reader).to_have_attribute("href", re.compile(r"reader\?.*source=pism-spotlight"))
    # Cite this quote: the speaker, the words, the source and the cell's link, pinned.
    card.get_by_text("Cite this quote").first.click()
    plain = card.get_by_test_id("stCode").first
    # The words are the article's report of Maas's stance: he is not named as their author.
    expect(plain).to_contain_text(
        f"“{record['quote']}”, coded as the stance of Heiko Maas on Waiver of sanctions"
    )
    expect(plain).to_contain_text("Mateusz Piotrowski")
    expect(plain).to_contain_text(f"cell={CELL}&v=")
    expect_no_exception(page)
    screenshot(page, "quote-in-context-1280.png")


def test_the_reader_marks_coded_passages_and_opens_their_cells(
    streamlit_server: StreamlitServer, page: Page, data: dict[str, Any]
) -> None:
    goto(page, streamlit_server.url, "reader?source=pism-spotlight&actor=maas")
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text("Reader")
    # Every sentence of the article is there, coded or not.
    expect(main).to_contain_text("During the almost two-hour meeting, Blinken referred only")
    metric = main.get_by_test_id("stMetricValue").first
    expect(metric).to_have_text(re.compile(r"^\d+ of \d+$"))
    coded, total = (int(n) for n in metric.inner_text().split(" of "))
    assert 0 < coded < total
    # Each position quoting the article is listed where it stands and opens its cell.
    article_positions = [p for p in data["positions"] if p["source"] == "pism-spotlight"]
    links = main.locator("a[href*='stances?']")
    assert links.count() == len(article_positions)
    # Maas's passages are in the view (the filter); the others' links open them unfiltered.
    maas = links.filter(has_text="Heiko Maas on").first
    assert "actor=maas" in str(maas.get_attribute("href"))
    other = links.filter(has_text="Antony Blinken on").first
    assert "actor=" not in str(other.get_attribute("href"))
    screenshot(page, "reader-1280.png")
    href = str(maas.get_attribute("href"))
    goto(page, streamlit_server.url, href)
    wait_until(lambda: _assert(current_query(page).get("cell") == [CELL]))
    # The filters travel with the link.
    assert current_query(page).get("actor") == ["maas"]
    expect(page.get_by_role("dialog")).to_be_visible()
    expect_no_exception(page)


def _assert(condition: bool) -> None:
    assert condition
