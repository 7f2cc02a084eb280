"""A workbook (.xlsx) to a validated `Dataset`, or a `DatasetError` naming the sheet and cell of
every problem.

The sheets are read into the same plain document a YAML file gives (a mapping of sections, each
a list of records), which then goes through the same checks: the pydantic model, the rules
across sections (`positions.validate.cross_check`) and, from a file, the quotes against the
sources' texts. Each problem's path (`positions[10].actor`) is turned back into its cell
(`positions!C12`), and its message is the YAML loader's, so both formats say the same thing.

What a spreadsheet can hold that a dataset cannot mean is refused with its cell, never guessed
at: formulas, error values, merged cells, hidden rows, columns and sheets, sheets and columns
that are not the dataset's, a date shown without its day, a date with a time, and files that
are not .xlsx workbooks at all (an old .xls, a renamed CSV, an encrypted workbook).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from positions.errors import DatasetError, Problem, did_you_mean
from positions.load import (
    _BIDI,
    DEFAULT_MAX_BYTES,
    PathTuple,
    _clean_loc,
    _explain,
    _too_large,
    format_path,
)
from positions.model import Dataset
from positions.texts import quote_findings, read_texts
from positions.validate import REFERENCES, cross_check
from positions.workbook_layout import (
    INFO_HEADERS,
    INFO_SHEET,
    LIST_SEPARATOR,
    REQUIRED_SHEETS,
    SHEETS,
    cell_name,
    field_kind,
    fields,
    required,
    sheet_ref,
    unescape_text,
)

# A workbook is zipped XML, several times its size once unpacked, and openpyxl holds every cell
# as an object: the unpacked size is bounded too, so that a small file cannot unpack into more
# than the server can hold (a "zip bomb").
UNPACKED_PER_BYTE = 12
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE container: an old .xls, or an encrypted file
_ZIP = b"PK\x03\x04"
_HIDDEN_HINT = "unhide it: every {what} is read, so none may be out of sight"
_SHEETS_HINT = f"a dataset's sheets are {', '.join(SHEETS)}"

Place = tuple[str, int, int]  # sheet, row, column (row 0: the sheet as a whole)
_Cells = dict[int, dict[int, Cell]]  # a sheet's cells by row, then column


def load_workbook_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Dataset:
    """Read and validate the bytes of an .xlsx workbook; `name` is used in every message.

    No quote is checked against a source's text here: bytes have no folder to read it from
    (`positions.load.load_dataset` checks them, with `check_workbook_quotes`)."""
    reading = _Reading(open_workbook(data, name, max_bytes=max_bytes), name)
    return reading.validate()


def check_workbook_quotes(dataset: Dataset, data: bytes, name: str, folder: Path) -> Dataset:
    """The dataset, if every source's text file (read from `folder`) reads and holds every quote
    citing it; else `DatasetError`, each problem at its cell of the workbook `data`."""
    if not any(source.text_file for source in dataset.sources):
        return dataset
    texts, findings = read_texts(dataset.sources, folder)
    findings += quote_findings(dataset, texts)
    if not findings:
        return dataset
    # Rare, and only now are the cells needed: the workbook is read again to place each record.
    reading = _Reading(open_workbook(data, name, max_bytes=len(data)), name)
    raise DatasetError([reading.problem(*finding) for finding in findings])


def open_workbook(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Workbook:
    """The workbook in `data`, or `DatasetError` saying what the file is instead."""

    def refuse(message: str, hint: str | None = None) -> DatasetError:
        return DatasetError([Problem(name, 0, 0, "", message, hint, cell="")])

    save_as = "save it from your spreadsheet program as an Excel Workbook (.xlsx)"
    if len(data) > max_bytes:
        too_large = _too_large(name, len(data), max_bytes)
        raise DatasetError([dataclasses.replace(too_large, line=0, column=0, cell="")])
    if not data.strip():
        raise refuse("the file is empty")
    if data.startswith(_CFB):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise refuse(
                "the workbook is encrypted (protected with a password to open)",
                "save a copy without the password: File, Info, Protect Workbook",
            )
        raise refuse("the file is an old Excel 97-2003 workbook (.xls), not .xlsx", save_as)
    if not data.startswith(_ZIP):
        if _is_text(data):
            raise refuse(
                "the file is text, not an Excel workbook (a CSV or YAML file named .xlsx?)",
                f"{save_as}; a YAML dataset's name must end in .yaml",
            )
        raise refuse("the file is not an Excel workbook (.xlsx)", save_as)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:200]:
                raise refuse("the file is an OpenDocument spreadsheet (.ods), not .xlsx", save_as)
            if "xl/workbook.xml" not in names:
                raise refuse("the file is a ZIP archive, not an Excel workbook", save_as)
            unpacked = sum(entry.file_size for entry in entries)
    except zipfile.BadZipFile:
        raise refuse("the file is a damaged ZIP archive, not a workbook", save_as) from None
    limit = max_bytes * UNPACKED_PER_BYTE
    if unpacked > limit:
        raise refuse(
            f"the workbook unpacks to {_megabytes(unpacked)}, over the {_megabytes(limit)} limit",
            "split the dataset, or raise the limit with POSITIONS_MAX_BYTES (bytes)",
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns of features it drops (data validation, slicers): none is data.
            warnings.simplefilter("ignore")
            return load_workbook(
                io.BytesIO(data), data_only=False, keep_links=False, rich_text=False
            )
    # openpyxl raises whatever its XML parsing meets; any of it means the file cannot be read.
    except Exception as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise refuse(
            f"the workbook cannot be read ({reason})",
            "open it in your spreadsheet program and save it again as an Excel Workbook (.xlsx)",
        ) from None


def _is_text(data: bytes) -> bool:
    head = data[:4096]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample
    return b"\x00" not in head


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def _shows_day(number_format: str) -> bool:
    """Whether a date format shows the day (`yyyy-mm-dd` does, `mmm-yy` does not)."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)
    return "d" in plain.lower()


class _Reading:
    """One workbook read into a document, with where each value came from and what was refused."""

    def __init__(self, book: Workbook, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.sheets: set[str] = set()  # the sections' sheets the workbook has
        self.columns: dict[str, dict[str, int]] = {}  # section -> field -> column
        self.rows: dict[str, list[int]] = {}  # section -> each record's row
        self.free_column: dict[str, int] = {}  # section -> first column after the headers
        self.info_rows: dict[str, int] = {}  # dataset field -> its row
        self.info_free_row = 2
        # Values already reported (a formula, a missing column): the checks that would find
        # them empty or missing again say nothing.
        self.refused_cells: set[Place] = set()
        self.refused_fields: set[tuple[str, str]] = set()
        self.refused_paths: set[PathTuple] = set()
        self.document = self._read(book)

    # --- Problems ------------------------------------------------------------------------

    def at(self, place: Place | str, path: str, message: str, hint: str | None) -> Problem:
        if isinstance(place, str):  # the file, or a sheet, as a whole
            return Problem(self.name, 0, 0, path, message, hint, cell=place)
        sheet, row, column = place
        cell = cell_name(sheet, row, column) if row else sheet_ref(sheet)
        return Problem(self.name, row, column, path, message, hint, cell=cell)

    def add(
        self, place: Place | str, message: str, hint: str | None = None, path: str = ""
    ) -> None:
        self.problems.append(self.at(place, path, message, hint))

    def refuse(self, place: Place, message: str, hint: str | None = None) -> None:
        self.refused_cells.add(place)
        self.add(place, message, hint)

    def place(self, path: PathTuple) -> Place | str:
        """The cell a path of the document came from, or a sheet (row 0), or "" (the file)."""
        if not path or path[0] not in self.sheets:
            return ""
        section = str(path[0])
        if section == INFO_SHEET:
            if len(path) == 1:
                return (section, 0, 0)
            field = str(path[1])
            if field in self.info_rows:
                return (section, self.info_rows[field], 2)
            return (section, self.info_free_row, 1)  # where its row would go
        rows = self.rows.get(section, [])
        if len(path) == 1 or not isinstance(path[1], int) or not 0 <= path[1] < len(rows):
            return (section, 0, 0)
        row = rows[path[1]]
        column = self.columns[section].get(str(path[2])) if len(path) > 2 else None
        return (section, row, column or 1)

    def problem(self, path: PathTuple, message: str, hint: str | None = None) -> Problem:
        """A finding about `path` (from the model, the cross checks or the texts) at its cell."""
        message = self._rows_named(message, str(path[0]) if path else "")
        return self.at(self.place(path), format_path(path), message, hint)

    def _rows_named(self, message: str, section: str) -> str:
        """`(also topics[0])` -> `(also row 2)`: a workbook's records are rows."""

        def row_of(match: re.Match[str]) -> str:
            rows = self.rows.get(match.group(1), [])
            index = int(match.group(2))
            if index >= len(rows):
                return match.group(0)
            where = "" if match.group(1) == section else f"sheet {match.group(1)} "
            return f"{where}row {rows[index]}"

        return re.sub(rf"\b({'|'.join(SHEETS)})\[(\d+)\]", row_of, message)

    def is_refused(self, path: PathTuple) -> bool:
        if any(path[:length] in self.refused_paths for length in range(1, len(path) + 1)):
            return True
        if len(path) >= 3 and (str(path[0]), str(path[2])) in self.refused_fields:
            return True
        if (
            len(path) >= 2
            and path[0] == INFO_SHEET
            and (INFO_SHEET, str(path[1])) in (self.refused_fields)
        ):
            return True
        place = self.place(path)
        return not isinstance(place, str) and place in self.refused_cells

    # --- Checking --------------------------------------------------------------------------

    def validate(self) -> Dataset:
        problems = list(self.problems)
        dataset = None
        try:
            dataset = Dataset.model_validate(self.document)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                path = _clean_loc(error["loc"])
                if self.is_refused(path):
                    continue
                message, hint = _explain(error, path)
                problems.append(self.problem(path, message, _sheet_hint(error, path, hint, self)))
        for path, message, hint in cross_check(self.document):
            if not self.is_refused(path) and not self._refers_to_missing_sheet(path):
                problems.append(self.problem(path, message, hint))
        if problems or dataset is None:
            raise DatasetError(problems)
        return dataset

    def _refers_to_missing_sheet(self, path: PathTuple) -> bool:
        """A reference into a sheet reported missing: every one would be unknown, and saying so
        for each record adds nothing to the missing sheet."""
        if len(path) < 2:
            return False
        if path[0] == INFO_SHEET:
            target = {"article_source": "sources", "meeting_event": "events"}.get(str(path[1]))
        else:
            target = REFERENCES.get(str(path[0]), {}).get(str(path[2])) if len(path) > 2 else None
        return target is not None and (target,) in self.refused_paths

    # --- Reading -----------------------------------------------------------------------------

    def _read(self, book: Workbook) -> dict[str, Any]:
        document: dict[str, Any] = {}
        present = book.sheetnames
        missing = [s for s in SHEETS if s not in present]
        for title in present:
            sheet = book[title]
            if title not in SHEETS:
                hint = did_you_mean(title, missing) or f"{_SHEETS_HINT}: delete or rename this one"
                message = f"the sheet '{title}' is not a section of a dataset"
                self.add(sheet_ref(title), message, hint)
                continue
            if not isinstance(sheet, Worksheet):
                self.add(sheet_ref(title), "a chart sheet cannot hold records", _SHEETS_HINT)
                self.refused_paths.add((title,))
                continue
            self.sheets.add(title)
            if sheet.sheet_state != "visible":
                self.add(sheet_ref(title), f"the sheet '{title}' is hidden", _unhide("sheet"))
        for section in missing:
            if section in REQUIRED_SHEETS:
                self.add(
                    "",
                    f"the sheet '{section}' is missing",
                    f"add a sheet named {section} ({_SHEETS_HINT})",
                    path=section,
                )
                self.refused_paths.add((section,))
        for section in SHEETS:
            if section not in self.sheets:
                continue
            sheet = book[section]
            cells = _cells_by_row(sheet)
            self._check_layout(sheet, section, cells)
            if section == INFO_SHEET:
                document[section] = self._info(section, cells)
            else:
                document[section] = self._records(section, cells)
        return document

    def _check_layout(self, sheet: Worksheet, section: str, cells: _Cells) -> None:
        """Merged cells, hidden rows and hidden columns: a reader of the sheet could not see what
        it holds, or which cell a value is in."""
        for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            place = (section, merged.min_row, merged.min_col)
            self.refuse(
                place,
                f"the cells {merged.coord} are merged",
                "unmerge them: each value needs a cell of its own",
            )
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    self.refused_cells.add((section, row, column))
        for row, dimension in sorted(sheet.row_dimensions.items()):
            if dimension.hidden and _holds_data(cells.get(row, {}).values()):
                self.add((section, row, 1), f"row {row} is hidden", _unhide("row") + _FILTER)
        used = {column for row in cells.values() for column, c in row.items() if _has_data(c)}
        for key, dimension in sorted(sheet.column_dimensions.items()):
            if not dimension.hidden:
                continue
            first = dimension.min or column_index_from_string(key)
            for column in range(first, (dimension.max or first) + 1):
                if column in used:
                    letter = get_column_letter(column)
                    self.add((section, 1, column), f"column {letter} is hidden", _unhide("column"))

    def _records(self, section: str, cells: _Cells) -> list[dict[str, Any]]:
        names = fields(section)
        columns: dict[str, int] = {}
        self.columns[section] = columns
        self.rows[section] = []
        if not cells:
            self.free_column[section] = 1
            return []  # an empty sheet: no records, and nothing to say about its columns
        used = {column for row, line in cells.items() if row > 1 for column in line}
        headers = cells.get(1, {})
        suggested: set[str] = set()
        for column in sorted(set(headers) | used):
            cell = headers.get(column)
            place = (section, 1, column)
            title = _header_text(cell)
            if cell is not None and _formula(cell) is not None:
                self.refuse(place, f"the header is a formula ({_formula(cell)})", _PASTE_VALUES)
            elif not title:
                if column in used and any(_has_data(cells[r].get(column)) for r in cells if r > 1):
                    self.refuse(
                        place,
                        "this column holds data but has no header",
                        "put the field's name in row 1, or delete the column",
                    )
            elif title in columns:
                first = get_column_letter(columns[title])
                self.refuse(
                    place,
                    f"the column '{title}' appears twice (first in {first}1)",
                    "delete or rename one: each field has one column",
                )
            elif title not in names:
                hint = did_you_mean(title, [n for n in names if n not in columns])
                if hint:
                    suggested.add(hint.split("'")[1])
                else:
                    hint = f"the columns of {section} are {', '.join(names)}"
                self.refuse(place, f"unknown column '{title}'", hint)
            else:
                columns[title] = column
        self.free_column[section] = max(set(headers) | used) + 1
        for name in names:
            if required(section, name) and name not in columns:
                self.refused_fields.add((section, name))
                if name not in suggested:
                    self.add(
                        (section, 1, self.free_column[section]),
                        f"the required column '{name}' is missing",
                        f"add a column headed {name}",
                    )
                    self.free_column[section] += 1
        records = []
        for row in sorted(r for r in cells if r > 1):
            line = cells[row]
            if not _holds_data(line.values()):
                continue  # a blank row: skipped, and the rows after it are read as usual
            self.rows[section].append(row)
            record: dict[str, Any] = {}
            for name, column in columns.items():
                place = (section, row, column)
                value = self._value(line.get(column), place, section, name)
                if value is not None:
                    record[name] = value
                elif field_kind(section, name) == "list" and place not in self.refused_cells:
                    record[name] = []  # an empty cell is an empty list (an event's actors: [])
            records.append(record)
        return records

    def _info(self, section: str, cells: _Cells) -> dict[str, Any]:
        names = fields(section)
        header = cells.get(1, {})
        titles = (_header_text(header.get(1)), _header_text(header.get(2)))
        if cells and titles != INFO_HEADERS:
            self.add(
                (section, 1, 1),
                f"the first row must be the headers {INFO_HEADERS[0]} and {INFO_HEADERS[1]}",
                "the dataset sheet has a row a field: its name in column A, its value in B",
            )
        info: dict[str, Any] = {}
        for row in sorted(r for r in cells if r > 1):
            line = cells[row]
            for column, cell in sorted(line.items()):
                if column > 2 and _has_data(cell):
                    self.refuse(
                        (section, row, column),
                        f"only the columns {INFO_HEADERS[0]} and {INFO_HEADERS[1]} are read",
                        "move this value into column B of its field's row, or delete it",
                    )
            field_cell, value_cell = line.get(1), line.get(2)
            title = _header_text(field_cell)
            if not title:
                if _has_data(value_cell):
                    self.refuse((section, row, 2), "a value without a field name in column A")
                continue
            self.info_free_row = row + 1
            if field_cell is not None and _formula(field_cell) is not None:
                self.refuse((section, row, 1), "the cell holds a formula", _PASTE_VALUES)
            elif title in self.info_rows:
                self.refuse(
                    (section, row, 1),
                    f"the field '{title}' appears twice (first in row {self.info_rows[title]})",
                    "keep one row a field",
                )
            elif title not in names:
                hint = did_you_mean(title, names)
                if hint:  # the field it was meant to be is not reported missing as well
                    self.refused_fields.add((section, hint.split("'")[1]))
                self.refuse((section, row, 1), f"unknown field '{title}'", hint)
            else:
                self.info_rows[title] = row
                value = self._value(value_cell, (section, row, 2), section, title)
                if value is not None:
                    info[title] = value
        self.info_free_row = max([self.info_free_row, *[r + 1 for r in cells]])
        return info

    def _value(self, cell: Cell | None, place: Place, section: str, name: str) -> Any:
        """A cell's value as the document holds it (None: empty, or refused and reported)."""
        if cell is None or cell.value is None:
            return None
        kind = field_kind(section, name)
        value = cell.value
        formula = _formula(cell)
        if formula is not None:
            self.refuse(place, f"the cell holds a formula ({formula})", _PASTE_VALUES)
            return None
        if cell.data_type == "e":
            self.refuse(place, f"the cell holds the error value {value}", "type the value itself")
            return None
        if isinstance(value, str):
            value = unescape_text(value)
            bidi = _BIDI.search(value)
            if bidi:
                self.refuse(
                    place,
                    "text holds an invisible bidirectional control character "
                    f"(U+{ord(bidi[0]):04X})",
                    "these can make text read differently from what it says: delete them",
                )
                return None
            if not value.strip():
                return None
            if kind != "list":
                return value
            items = [item.strip() for item in value.split(LIST_SEPARATOR)]
            if not all(items):
                self.refuse(
                    place,
                    f"the list has an empty item (two '{LIST_SEPARATOR}' in a row, or one at an "
                    "end)",
                    f"separate the items with one '{LIST_SEPARATOR}' and nothing after the last",
                )
                return None
            return items
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0, 0):
                self.refuse(
                    place,
                    f"the cell holds a date and time ({value:%Y-%m-%d %H:%M})",
                    "give the date alone, as YYYY-MM-DD",
                )
                return None
            value = value.date()
        if isinstance(value, dt.date) and not _shows_day(cell.number_format):
            self.refuse(
                place,
                f"the cell holds the date {value.isoformat()} but shows no day "
                f"(format {cell.number_format})",
                "a spreadsheet turns a month such as 2021-06 into its first day: type it as text "
                "('2021-06), or give the whole date",
            )
            return None
        if isinstance(value, dt.date) and kind in ("date", "partial_date"):
            # As a YAML document holds it: the model parses it, and the cross checks compare it.
            return value.isoformat()
        if kind == "date" and isinstance(value, int | float) and not isinstance(value, bool):
            # pydantic would read it as seconds since 1970: a date no curator meant.
            self.refuse(
                place,
                f"the cell holds the number {value}, not a date",
                "type the date as YYYY-MM-DD, or format the cell as a date",
            )
            return None
        if isinstance(value, dt.time | dt.timedelta):
            self.refuse(place, f"the cell holds a time ({value})", "no field holds a time of day")
            return None
        return [value] if kind == "list" else value


_PASTE_VALUES = (
    "a dataset holds values, not formulas: copy the cells and paste them back as values only "
    "(Paste Special, Values)"
)
_FILTER = " (clear any filter too)"


def _unhide(what: str) -> str:
    return _HIDDEN_HINT.format(what=what)


def _cells_by_row(sheet: Worksheet) -> _Cells:
    """The cells a sheet holds, by row and column. Read from the sheet's own store rather than by
    iterating its range: a single cell at XFD1048576 would make that range billions of cells."""
    rows: _Cells = {}
    for (row, column), cell in sheet._cells.items():
        if cell.value is not None:
            rows.setdefault(row, {})[column] = cell
    return rows


def _formula(cell: Cell) -> str | None:
    value = cell.value
    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, DataTableFormula):
        return "a data table"
    if cell.data_type == "f":
        return str(value)
    return None


def _has_data(cell: Cell | None) -> bool:
    if cell is None or cell.value is None:
        return False
    return not (isinstance(cell.value, str) and not cell.value.strip())


def _holds_data(cells: Iterable[Cell]) -> bool:
    return any(_has_data(cell) for cell in cells)


def _header_text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    return unescape_text(str(cell.value)).strip()


def _sheet_hint(error: Any, path: PathTuple, hint: str | None, reading: _Reading) -> str | None:
    """The loader's hint, said for a spreadsheet where the YAML one would not fit."""
    kind, value = error["type"], error.get("input")
    if kind == "string_type":
        if isinstance(value, bool):
            return (
                f"the spreadsheet took this for {str(value).upper()}: type it as text, starting "
                "with an apostrophe"
            )
        if isinstance(value, int | float):
            return (
                "the spreadsheet stored this as a number, which can drop zeros (1.0 becomes 1): "
                "format the cell as Text and type it again, or start it with an apostrophe"
            )
        if isinstance(value, dt.date):
            return (
                "the spreadsheet took this for a date: type it again as text, starting with an "
                "apostrophe, or format the column as Text first"
            )
    if kind == "string_pattern_mismatch" and len(path) == 4 and "," in str(value):
        return f"separate the items of a list with '{LIST_SEPARATOR}', not ','"
    missing_row = len(path) == 2 and path[0] == INFO_SHEET and str(path[1]) not in reading.info_rows
    if kind == "missing" and missing_row:
        return f"add a row with {path[1]} in column A and its value in column B"
    return hint
