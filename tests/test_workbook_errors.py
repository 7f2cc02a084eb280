"""The workbook reader's contract, checked against a corpus of broken workbooks.

Each workbook is the small fixture's (tests/workbooks.py says which column holds which field)
with one thing broken, made in code, as a curator could break it in a spreadsheet program.
EXPECTED freezes the exact problems each gives, as `validate` prints them; every cell named was
checked by eye against the change. Files that are not workbooks at all follow, then the same
problems through `python -m positions validate`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook
from workbooks import Change, changed, put, small_bytes

from positions import DatasetError, load_dataset
from positions.workbook import load_workbook_bytes

TESTS = Path(__file__).resolve().parent
SHEETS = "dataset, sources, actors, topics, positions, sanctions, events, prospects"
NUMBER_HINT = (
    "the spreadsheet stored this as a number, which can drop zeros (1.0 becomes 1): format the "
    "cell as Text and type it again, or start it with an apostrophe"
)


def delete_quote_column(book: Workbook) -> None:
    book["positions"].delete_cols(6)


def delete_topics_sheet(book: Workbook) -> None:
    del book["topics"]


def merge_topic_and_stance(book: Workbook) -> None:
    book["positions"].merge_cells("C2:D2")


def add_notes_sheet(book: Workbook) -> None:
    book.create_sheet("Notes")["A1"] = "my notes"


def hide_row_3(book: Workbook) -> None:
    book["positions"].row_dimensions[3].hidden = True


def hide_note_column(book: Workbook) -> None:
    book["positions"].column_dimensions["K"].hidden = True


def hide_events_sheet(book: Workbook) -> None:
    book["events"].sheet_state = "hidden"


def delete_title_row(book: Workbook) -> None:
    book["dataset"].delete_rows(3)


def error_value(book: Workbook) -> None:
    cell = book["positions"]["F3"]
    cell.value = "#N/A"
    cell.data_type = "e"


CASES: dict[str, tuple[list[Change], list[str]]] = {
    "unknown-actor": (
        [put("positions", "B2", "nrth")],
        ["positions!B2: unknown actor 'nrth' (hint: did you mean 'north'?)"],
    ),
    "unknown-column": (
        [put("positions", "D1", "stanse")],
        ["positions!D1: unknown column 'stanse' (hint: did you mean 'stance'?)"],
    ),
    "missing-required-column": (
        [delete_quote_column],
        ["positions!K1: the required column 'quote' is missing (hint: add a column headed quote)"],
    ),
    "missing-sheet": (
        [delete_topics_sheet],
        [
            f" the sheet 'topics' is missing (hint: add a sheet named topics (a dataset's sheets "
            f"are {SHEETS}))"
        ],
    ),
    "number-as-id": (
        [put("positions", "A2", 2021)],
        [f"positions!A2: expected text, found int 2021 (hint: {NUMBER_HINT})"],
    ),
    "version-as-number": (
        [put("dataset", "B13", 1.0)],
        [f"dataset!B13: expected text, found int 1 (hint: {NUMBER_HINT})"],
    ),
    "formula": (
        [put("positions", "F2", "=B2&C2")],
        [
            "positions!F2: the cell holds a formula (=B2&C2) (hint: a dataset holds values, not "
            "formulas: copy the cells and paste them back as values only (Paste Special, Values))"
        ],
    ),
    "merged-cells": (
        [merge_topic_and_stance],
        [
            "positions!C2: the cells C2:D2 are merged "
            "(hint: unmerge them: each value needs a cell of its own)"
        ],
    ),
    "extra-sheet": (
        [add_notes_sheet],
        [
            f"Notes: the sheet 'Notes' is not a section of a dataset (hint: a dataset's sheets "
            f"are {SHEETS}: delete or rename this one)"
        ],
    ),
    "hidden-row": (
        [hide_row_3],
        [
            "positions!A3: row 3 is hidden (hint: unhide it: every row is read, so none may be "
            "out of sight (clear any filter too))"
        ],
    ),
    "hidden-column": (
        [hide_note_column],
        [
            "positions!K1: column K is hidden "
            "(hint: unhide it: every column is read, so none may be out of sight)"
        ],
    ),
    "hidden-sheet": (
        [hide_events_sheet],
        [
            "events: the sheet 'events' is hidden "
            "(hint: unhide it: every sheet is read, so none may be out of sight)"
        ],
    ),
    "duplicate-header": (
        [put("positions", "L1", "actor")],
        [
            "positions!L1: the column 'actor' appears twice (first in B1) "
            "(hint: delete or rename one: each field has one column)"
        ],
    ),
    "data-without-header": (
        [put("positions", "M3", "stray")],
        [
            "positions!M1: this column holds data but has no header "
            "(hint: put the field's name in row 1, or delete the column)"
        ],
    ),
    "month-shown-as-a-date": (
        [put("positions", "H4", dt.date(2021, 6, 1), number_format="mmm-yy")],
        [
            "positions!H4: the cell holds the date 2021-06-01 but shows no day (format mmm-yy) "
            "(hint: a spreadsheet turns a month such as 2021-06 into its first day: type it as "
            "text ('2021-06), or give the whole date)"
        ],
    ),
    "date-and-time": (
        [put("positions", "H4", dt.datetime(2021, 5, 19, 14, 30))],
        [
            "positions!H4: the cell holds a date and time (2021-05-19 14:30) "
            "(hint: give the date alone, as YYYY-MM-DD)"
        ],
    ),
    "number-in-a-date-column": (
        [put("sources", "F3", 86400, number_format="General")],
        [
            "sources!F3: the cell holds the number 86400, not a date "
            "(hint: type the date as YYYY-MM-DD, or format the cell as a date)"
        ],
    ),
    "boolean-in-text": (
        [put("actors", "B2", True)],
        [
            "actors!B2: expected text, found bool True (hint: the spreadsheet took this for "
            "TRUE: type it as text, starting with an apostrophe)"
        ],
    ),
    "date-in-text": (
        [put("topics", "B2", dt.date(2021, 5, 19))],
        [
            "topics!B2: expected text, found the date 2021-05-19 (hint: the spreadsheet took "
            "this for a date: type it again as text, starting with an apostrophe, or format the "
            "column as Text first)"
        ],
    ),
    "comma-in-a-list": (
        [put("sanctions", "L2", "pipeline, waiver")],
        [
            "sanctions!L2: 'pipeline, waiver' is not a valid id "
            "(hint: separate the items of a list with ';', not ',')",
            "sanctions!L2: unknown topic 'pipeline, waiver' (hint: did you mean 'pipeline'?)",
        ],
    ),
    "empty-list-item": (
        [put("sanctions", "L2", "pipeline;; waiver")],
        [
            "sanctions!L2: the list has an empty item (two ';' in a row, or one at an end) "
            "(hint: separate the items with one ';' and nothing after the last)"
        ],
    ),
    "missing-dataset-field": (
        [delete_title_row],
        [
            "dataset!A13: the field 'title' is required "
            "(hint: add a row with title in column A and its value in column B)"
        ],
    ),
    "unknown-dataset-field": (
        [put("dataset", "A3", "titel")],
        ["dataset!A3: unknown field 'titel' (hint: did you mean 'title'?)"],
    ),
    "error-value": (
        [error_value],
        ["positions!F3: the cell holds the error value #N/A (hint: type the value itself)"],
    ),
    "bidi-control": (
        [put("actors", "B3", "North \u202eminister")],
        [
            "actors!B3: text holds an invisible bidirectional control character (U+202E) "
            "(hint: these can make text read differently from what it says: delete them)"
        ],
    ),
    "duplicate-id": (
        [put("positions", "A3", "p1")],
        [
            "positions!A3: duplicate id 'p1' (also row 2) "
            "(hint: ids must be unique within their section)"
        ],
    ),
    "bad-stance": (
        [put("positions", "D2", "opose")],
        [
            "positions!D2: 'opose' is not one of support, lean_support, mixed, lean_oppose, "
            "oppose, not_raised (hint: did you mean 'oppose'?)"
        ],
    ),
    "empty-required-cell": (
        [put("positions", "F2", None)],
        ["positions!F2: the field 'quote' is required"],
    ),
    # Problems come sheet by sheet in the dataset's order, each sheet's by row and column.
    "several-problems": (
        [put("positions", "B2", "nrth"), put("actors", "B2", True), delete_title_row],
        [
            "dataset!A13: the field 'title' is required "
            "(hint: add a row with title in column A and its value in column B)",
            "actors!B2: expected text, found bool True (hint: the spreadsheet took this for "
            "TRUE: type it as text, starting with an apostrophe)",
            "positions!B2: unknown actor 'nrth' (hint: did you mean 'north'?)",
        ],
    ),
}


def problems_of(data: bytes, name: str = "book.xlsx", **options: int) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load_workbook_bytes(data, name, **options)
    lines = [str(problem) for problem in info.value.problems]
    assert all(line.startswith(f"{name}:") for line in lines)
    assert all("\n" not in line for line in lines)
    return [line.removeprefix(f"{name}:") for line in lines]


def test_the_corpus_has_a_case_for_each_kind_of_problem() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_workbook_gives_exactly_these_problems(name: str) -> None:
    changes, expected = CASES[name]
    assert problems_of(changed(*changes)) == expected


def test_a_problem_keeps_the_path_it_has_in_yaml() -> None:
    with pytest.raises(DatasetError) as info:
        load_workbook_bytes(changed(put("sanctions", "M6", "pipeline; wavier")), "book.xlsx")
    (problem,) = info.value.problems
    assert (problem.path, problem.cell, problem.line, problem.column) == (
        "sanctions[4].against[1]",
        "sanctions!M6",
        6,
        13,
    )
    assert problem.message == "unknown topic 'wavier'"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


SAVE_AS = "save it from your spreadsheet program as an Excel Workbook (.xlsx)"
# An encrypted workbook is an OLE container holding the streams EncryptionInfo and
# EncryptedPackage (names in UTF-16); these bytes have the container's signature and the name.
ENCRYPTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + bytes(504)
    + "EncryptionInfo".encode("utf-16-le")
    + bytes(64)
    + "EncryptedPackage".encode("utf-16-le")
)

NOT_WORKBOOKS: dict[str, tuple[Callable[[], bytes], str]] = {
    # Made by LibreOffice 7.4 (`soffice --convert-to xls`) from a one-sheet workbook.
    "old-excel": (
        lambda: (TESTS / "broken-workbooks" / "old-excel-97.xls").read_bytes(),
        f" the file is an old Excel 97-2003 workbook (.xls), not .xlsx (hint: {SAVE_AS})",
    ),
    "encrypted": (
        lambda: ENCRYPTED,
        " the workbook is encrypted (protected with a password to open) "
        "(hint: save a copy without the password: File, Info, Protect Workbook)",
    ),
    "csv-renamed": (
        lambda: b"id,name,kind\nnorth,North,state\n",
        " the file is text, not an Excel workbook (a CSV or YAML file named .xlsx?) "
        f"(hint: {SAVE_AS}; a YAML dataset's name must end in .yaml)",
    ),
    "zip-not-a-workbook": (
        lambda: zipped({"notes.txt": b"hello"}),
        f" the file is a ZIP archive, not an Excel workbook (hint: {SAVE_AS})",
    ),
    "opendocument": (
        lambda: zipped(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""}
        ),
        f" the file is an OpenDocument spreadsheet (.ods), not .xlsx (hint: {SAVE_AS})",
    ),
    "cut-short": (
        lambda: small_bytes()[:6000],
        f" the file is a damaged ZIP archive, not a workbook (hint: {SAVE_AS})",
    ),
    "damaged-inside": (
        lambda: zipped({"xl/workbook.xml": b"<workbook", "[Content_Types].xml": b"<Types"}),
        " the workbook cannot be read (unclosed token: line 1, column 0) (hint: open it in your "
        "spreadsheet program and save it again as an Excel Workbook (.xlsx))",
    ),
    "empty": (lambda: b"", " the file is empty"),
    "not-a-spreadsheet": (
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        f" the file is not an Excel workbook (.xlsx) (hint: {SAVE_AS})",
    ),
}


@pytest.mark.parametrize("name", sorted(NOT_WORKBOOKS))
def test_a_file_that_is_not_a_workbook_says_what_it_is(name: str) -> None:
    make, expected = NOT_WORKBOOKS[name]
    assert problems_of(make()) == [expected]


def test_a_workbook_over_the_size_limit_is_refused() -> None:
    assert problems_of(small_bytes(), max_bytes=1000) == [
        f" the file is {len(small_bytes()) / 1000:.1f} kB, over the 1.0 kB limit "
        "(hint: split the dataset, or raise the limit with POSITIONS_MAX_BYTES (bytes))"
    ]


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused() -> None:
    # 3 MB of one repeated byte packs into a few kB: a small "zip bomb".
    data = zipped({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/big.xml": bytes(3_000_000)})
    assert len(data) < 10_000
    assert problems_of(data, max_bytes=100_000) == [
        " the workbook unpacks to 3.0 MB, over the 1.2 MB limit "
        "(hint: split the dataset, or raise the limit with POSITIONS_MAX_BYTES (bytes))"
    ]


def test_a_yaml_loader_given_a_workbook_says_to_name_it_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    path.write_bytes(small_bytes())
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    assert [str(problem) for problem in info.value.problems] == [
        f"{path}:1:1: the file is a ZIP archive (an .xlsx workbook?), not YAML (hint: a workbook "
        "is read when its name ends in .xlsx; a YAML dataset is plain text)"
    ]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    at=st.integers(min_value=0, max_value=len(small_bytes()) - 1),
    byte=st.integers(min_value=0, max_value=255),
)
def test_a_damaged_byte_never_crashes_the_reader(at: int, byte: int) -> None:
    data = bytearray(small_bytes())
    data[at] = byte
    try:
        load_workbook_bytes(bytes(data), "book.xlsx")
    except DatasetError as error:
        assert error.problems
