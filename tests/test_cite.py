"""Dataset versions and citations."""

from __future__ import annotations

import datetime as dt

from positions.cite import bibtex, dataset_version, plain_citation
from positions.model import DatasetInfo

INFO = DatasetInfo(
    id="small",
    title="Small test dataset",
    description="For the tests.",
    as_of=dt.date(2021, 5, 20),
    curated_by="A & B",
)
ACCESSED = dt.date(2026, 11, 28)


def test_version_is_a_short_content_hash():
    assert dataset_version(b"abc") == "ba7816bf8f01"
    assert dataset_version(b"abc ") != dataset_version(b"abc")


def test_plain_citation():
    assert plain_citation(INFO, "ba7816bf8f01", "http://x/stances?v=1", ACCESSED) == (
        "Small test dataset (dataset version ba7816bf8f01, as of 20 May 2021). A & B. "
        "http://x/stances?v=1 (accessed 28 November 2026)"
    )


def test_bibtex_escapes_special_characters():
    entry = bibtex(INFO, "ba7816bf8f01", "http://x/s?a=1&b=2", ACCESSED)
    assert entry == (
        "@misc{smallba7816,\n"
        "  title = {Small test dataset},\n"
        "  author = {A \\& B},\n"
        "  howpublished = {\\url{http://x/s?a=1&b=2}},\n"
        "  version = {ba7816bf8f01},\n"
        "  year = {2026},\n"
        "  note = {Accessed 2026-11-28}\n"
        "}"
    )


def test_a_view_of_another_date_says_so():
    url = "http://x/stances?as_of=latest"
    same = plain_citation(INFO, "ba7816bf8f01", url, ACCESSED, "2021-05-20")
    assert same == plain_citation(INFO, "ba7816bf8f01", url, ACCESSED)  # the dataset's own date
    assert plain_citation(INFO, "ba7816bf8f01", url, ACCESSED, "latest") == (
        "Small test dataset (dataset version ba7816bf8f01, as of 20 May 2021; this view: every "
        "record known, later ones included). A & B. http://x/stances?as_of=latest (accessed 28 "
        "November 2026)"
    )
    assert "as of 20 May 2021; this view as of 1 March 2022)" in plain_citation(
        INFO, "ba7816bf8f01", url, ACCESSED, "2022-03-01"
    )
    entry = bibtex(INFO, "ba7816bf8f01", url, ACCESSED, "latest")
    assert "  note = {Accessed 2026-11-28; this view: every record known, later ones included}" in (
        entry
    )
