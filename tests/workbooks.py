"""Workbooks for tests: the small fixture written as a workbook, then one thing changed.

Columns of the small fixture's sheets (every field of the model, in its order):
positions A id, B actor, C topic, D stance, E source, F quote, G translation, H date, I event,
J confidence, K note; sanctions L topics, M against; events F actors, J topics; the dataset
sheet's rows 2-13 hold id, title, subtitle, description, as_of, as_of_note, method,
article_source, meeting_event, curated_by, license, version.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook

from positions import load_dataset
from positions.workbook import workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"

Change = Callable[[Workbook], None]


@functools.cache
def small_bytes() -> bytes:
    return workbook_bytes(load_dataset(SMALL))


def small_workbook() -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(small_bytes()))


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def changed(*changes: Change) -> bytes:
    """The small fixture's workbook with `changes` made to it, as bytes."""
    book = small_workbook()
    for change in changes:
        change(book)
    return saved(book)


def put(sheet: str, cell: str, value: Any, **style: Any) -> Change:
    """A change: write `value` into `sheet!cell` (and set attributes such as number_format)."""

    def change(book: Workbook) -> None:
        target = book[sheet][cell]
        target.value = value
        for name, setting in style.items():
            setattr(target, name, setting)

    return change
