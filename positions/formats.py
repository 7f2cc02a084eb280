"""Which format a dataset file is in: a workbook when its name ends in `.xlsx`, else YAML; and
the spreadsheets the YAML loader recognises, to say what they are rather than where a byte is not
UTF-8."""

from __future__ import annotations

from pathlib import Path

from positions.errors import DatasetError, Problem

__all__ = ["is_workbook", "refuse_office_files"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an encrypted workbook


def is_workbook(name: str | Path) -> bool:
    """Whether a dataset file is an Excel workbook (`.xlsx`), by its name; else it is YAML."""
    return str(name).lower().endswith(".xlsx")


def refuse_office_files(data: bytes, name: str) -> None:
    """`DatasetError` when bytes given as YAML are a spreadsheet, saying so and what to do."""
    if data.startswith(_ZIP):
        what = "the file is a ZIP archive (an .xlsx workbook?), not YAML"
        hint = "a workbook is read when its name ends in .xlsx; a YAML dataset is plain text"
    elif data.startswith(_OLE):
        what = "the file is an old Office file (an .xls workbook?), not YAML"
        hint = "save it from your spreadsheet program as an Excel Workbook (.xlsx)"
    else:
        return
    raise DatasetError([Problem(name, 1, 1, "", what, hint)])
