"""A dataset as an Excel workbook (.xlsx) and back, for analysts who keep their coding in a
spreadsheet.

The layout (one sheet a section, the fields as headers, lists in one cell split at `;`) is in
`positions.workbook_layout`; reading and checking a workbook with the same rules as YAML, every
problem at its sheet and cell, is in `positions.workbook_read`. A workbook written here reads
back to a dataset equal to the one written: text stays text (`=x`, `2021`, `1.0`), full dates
are date cells, a month or a year stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from positions.load import format_path
from positions.model import Dataset, Record
from positions.validate import Finding
from positions.workbook_layout import (
    DATE_FORMAT,
    INFO_HEADERS,
    INFO_SHEET,
    LIST_JOIN,
    LIST_SEPARATOR,
    ROWS_BELOW,
    SHEETS,
    TEXT_FORMAT,
    allowed_values,
    escape_text,
    field_kind,
    fields,
    header_note,
    ids_name,
    or_list,
    reference_target,
    required,
    sheet_ref,
)
from positions.workbook_read import check_workbook_quotes, load_workbook_bytes

__all__ = [
    "LIST_SEPARATOR",
    "WorkbookWriteError",
    "check_workbook_quotes",
    "load_workbook_bytes",
    "skeleton_workbook_bytes",
    "workbook_bytes",
    "write_workbook",
]

# Named in full: a bold font without a name prints in another program's fallback (a serif).
_BOLD = Font(name="Calibri", sz=11, family=2, b=True)
# Required fields' headers are amber, optional ones grey; each header's comment says which.
_REQUIRED_FILL = PatternFill("solid", start_color="FFF8CBAD", end_color="FFF8CBAD")
_OPTIONAL_FILL = PatternFill("solid", start_color="FFE7E6E6", end_color="FFE7E6E6")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_MIN_WIDTH, _MAX_WIDTH = 8, 60
# The height of a line of 11-point text, in points, and the room a cell keeps around its text.
_LINE_HEIGHT, _ROW_PADDING = 15, 3
_COMMENT_AUTHOR = "positions"

# Text Excel would take for a formula or a number if the cell were typed again: marked with a
# quote prefix (the apostrophe a curator would type), on top of the cell's Text format.
_LOOKS_TYPED = re.compile(r"^[=+\-@'0-9.]|^(?i:true|false)$")


class WorkbookWriteError(ValueError):
    """A dataset that cannot be written as a workbook without losing something. `findings` are
    (path, message, hint) as `positions.validate` gives them; `problems` the same as text,
    `positions[3].topics[1]: message (hint: ...)`."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.problems = [
            f"{format_path(path)}: {message}" + (f" (hint: {hint})" if hint else "")
            for path, message, hint in findings
        ]
        super().__init__("\n".join(self.problems))


def workbook_bytes(dataset: Dataset) -> bytes:
    """The dataset as an .xlsx file. Raises `WorkbookWriteError` for a list item holding the
    list separator, which a workbook could not tell from two items."""
    refused = list(_unsplittable_items(dataset))
    if refused:
        raise WorkbookWriteError(refused)
    book = Workbook()
    book.remove(book.active)
    _info_sheet(book.create_sheet(INFO_SHEET), dataset.dataset)
    for section in SHEETS[1:]:
        _record_sheet(book.create_sheet(section), section, getattr(dataset, section))
    _id_lists(book, dataset)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(dataset: Dataset, path: str | Path) -> None:
    """Write the dataset as an .xlsx file at `path` (replacing a file there: callers that must
    not overwrite check first, as `python -m positions convert` does)."""
    Path(path).write_bytes(workbook_bytes(dataset))


def skeleton_workbook_bytes() -> bytes:
    """The skeleton dataset (`python -m positions new`'s example records) as a workbook: every
    field a column, the required ones filled in, each header's comment saying what it is."""
    from positions.load import load_dataset_bytes
    from positions.skeleton import skeleton_text

    dataset = load_dataset_bytes(skeleton_text("new.yaml").encode("utf-8"), "skeleton.yaml")
    return workbook_bytes(dataset)


def _unsplittable_items(dataset: Dataset) -> list[Finding]:
    problems: list[Finding] = []
    for section in SHEETS[1:]:
        for index, record in enumerate(getattr(dataset, section)):
            for name in type(record).model_fields:
                value = getattr(record, name)
                if not isinstance(value, list):
                    continue
                for item_index, item in enumerate(value):
                    if LIST_SEPARATOR in str(item):
                        problems.append(
                            (
                                (section, index, name, item_index),
                                f"the item {item!r} holds '{LIST_SEPARATOR}', which separates "
                                "the items of a list in a workbook",
                                f"write it without '{LIST_SEPARATOR}', or keep this dataset in "
                                "YAML",
                            )
                        )
    return problems


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return LIST_JOIN.join(str(_plain(item)) for item in value)
    return value


Wrapped = list[tuple[int, int, str]]  # row, column, text of each cell whose text wraps


def _put(sheet: Worksheet, row: int, column: int, value: Any, kind: str, wrapped: Wrapped) -> int:
    """Write one value; returns the width its longest line needs. A cell whose text wraps is
    added to `wrapped`, for its row to be made tall enough."""
    cell = sheet.cell(row, column)
    value = _plain(value)
    cell.alignment = _TOP
    if value is None or value == "":
        cell.number_format = DATE_FORMAT if kind == "date" else TEXT_FORMAT
        return 0
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return len(DATE_FORMAT)
    if isinstance(value, int | float):
        cell.value = value
        return len(str(value))
    text = str(value)
    cell.value = escape_text(text)
    cell.data_type = "s"  # never a formula, whatever it starts with
    cell.number_format = TEXT_FORMAT
    if _LOOKS_TYPED.search(text):
        cell.quotePrefix = True
    width = max(len(line) for line in text.splitlines() or [""])
    if "\n" in text or width > _MAX_WIDTH:
        cell.alignment = _WRAP  # Excel shows a cell's line breaks only when it wraps
        wrapped.append((row, column, text))
    return width


# Characters as wide as two digits (CJK ideographs, kana, hangul, full-width forms).
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]"
)


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes, wrapped at word breaks in a column `width` wide. An estimate
    erring on the tall side: a column's width counts digits of the default font, and a line of
    prose holds about 1.1 characters a digit in Calibri (more) or in the wider fonts another
    program may print it in (about as many), less the end of a line a wrap leaves empty."""
    per_line = max(1, int(width * 1.1) - 3)
    return sum(
        max(1, -(-(len(line) + len(_WIDE.findall(line))) // per_line)) for line in text.split("\n")
    )


def _fit_rows(sheet: Worksheet, wrapped: Wrapped) -> None:
    """Rows tall enough for their wrapped text. A spreadsheet program sizes a row to its text
    when the text is typed, but LibreOffice does not when it opens a file: without a height its
    rows keep one line, and wrapped text runs over the rows below, on screen and in print."""
    lines: dict[int, int] = {}
    for row, column, text in wrapped:
        width = sheet.column_dimensions[get_column_letter(column)].width
        lines[row] = max(lines.get(row, 1), _lines(text, width))
    for row, count in lines.items():
        if count > 1:
            sheet.row_dimensions[row].height = _LINE_HEIGHT * count + _ROW_PADDING


def _print_setup(sheet: Worksheet) -> None:
    """Printed (or exported to PDF) in landscape, the columns fitted to the page's width, the
    header row repeated on every page, with gridlines between the cells."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True


def _header(sheet: Worksheet, row: int, column: int, section: str, field: str) -> None:
    cell = sheet.cell(row, column, field)
    cell.font = _BOLD
    cell.fill = _REQUIRED_FILL if required(section, field) else _OPTIONAL_FILL
    cell.alignment = _TOP
    text = header_note(section, field)
    note = Comment(text, _COMMENT_AUTHOR)
    # Tall enough for every line (about 50 characters a line of the box, 15 pixels each).
    lines = sum(-(-len(line) // 50) for line in text.splitlines())
    note.width, note.height = 340, 20 + 15 * lines
    cell.comment = note


def _drop_down(section: str, field: str) -> DataValidation | None:
    """The drop-down list of a field's cells: its vocabulary's values (nothing else is taken), or
    the ids of the sheet it refers to (another id is warned of, and may be kept: the record it
    names may be added later). None for a field with neither."""
    values = allowed_values(section, field)
    if values:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=f"Not allowed in {field}",
            error=f"{field} takes one of: {or_list(values)}. Type it exactly as written, or pick "
            "it from the cell's list.",
        )
    target = reference_target(section, field)
    if target is None:
        return None
    record = target.removesuffix("s")
    return DataValidation(
        type="list",
        formula1=ids_name(target),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=f"Unknown {record}",
        error=f"No {record} in the {target} sheet has this id: pick one from the cell's list, or "
        f"add the {record} to the {target} sheet.",
    )


def _id_lists(book: Workbook, dataset: Dataset) -> None:
    """A name for each column of ids that drop-down lists refer to (`actor_ids`: the actors
    sheet's ids, and the empty rows below them)."""
    targets = {
        reference_target(section, field)
        for section in SHEETS
        for field in fields(section)
        if reference_target(section, field)
    }
    for target in sorted(t for t in targets if t):
        letter = get_column_letter(fields(target).index("id") + 1)
        last = len(getattr(dataset, target)) + 1 + ROWS_BELOW
        reference = f"{sheet_ref(target)}!${letter}$2:${letter}${last}"
        book.defined_names[ids_name(target)] = DefinedName(ids_name(target), attr_text=reference)


def _record_sheet(sheet: Worksheet, section: str, records: list[Record]) -> None:
    names = fields(section)
    widths = [len(name) + 2 for name in names]
    for column, name in enumerate(names, start=1):
        _header(sheet, 1, column, section, name)
    kinds = [field_kind(section, name) for name in names]
    wrapped: Wrapped = []
    for row, record in enumerate(records, start=2):
        for column, name in enumerate(names, start=1):
            width = _put(sheet, row, column, getattr(record, name), kinds[column - 1], wrapped)
            widths[column - 1] = max(widths[column - 1], width + 2)
    last = len(records) + 1 + ROWS_BELOW
    for column, kind in enumerate(kinds, start=1):
        letter = get_column_letter(column)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(_MIN_WIDTH, min(_MAX_WIDTH, widths[column - 1]))
        # New rows typed into the sheet keep text as text, and dates as dates.
        dimension.number_format = DATE_FORMAT if kind == "date" else TEXT_FORMAT
        drop_down = _drop_down(section, names[column - 1])
        if drop_down is not None:
            drop_down.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(drop_down)
    _fit_rows(sheet, wrapped)
    _print_setup(sheet)
    sheet.freeze_panes = "A2"


def _info_sheet(sheet: Worksheet, info: Record) -> None:
    for column, title in enumerate(INFO_HEADERS, start=1):
        cell = sheet.cell(1, column, title)
        cell.font = _BOLD
    width = len(INFO_HEADERS[1])
    wrapped: Wrapped = []
    for row, name in enumerate(fields(INFO_SHEET), start=2):
        _header(sheet, row, 1, INFO_SHEET, name)
        value = getattr(info, name)
        width = max(width, _put(sheet, row, 2, value, field_kind(INFO_SHEET, name), wrapped))
        drop_down = _drop_down(INFO_SHEET, name)
        if drop_down is not None:
            drop_down.add(f"B{row}")
            sheet.add_data_validation(drop_down)
    sheet.column_dimensions["A"].width = 2 + max(len(name) for name in fields(INFO_SHEET))
    sheet.column_dimensions["B"].width = max(_MIN_WIDTH, min(_MAX_WIDTH, width + 2))
    sheet.column_dimensions["B"].number_format = TEXT_FORMAT
    _fit_rows(sheet, wrapped)
    _print_setup(sheet)
    sheet.freeze_panes = "A2"
