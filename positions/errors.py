"""The project's own error type: every problem in a dataset file, each with its place."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from positions.model import Dataset


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset file, at a line and column (both 1-based).

    In a workbook the place is a `cell` instead, as a spreadsheet names it (`positions!C12`; a
    sheet alone, `positions`; or "" for the file as a whole), printed in place of the line,
    column and path: the sheet and its header already say which field it is. `line` and
    `column` are then the cell's row and column number, for sorting.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell is not None:
            where = f"{self.file}:{self.cell}: " if self.cell else f"{self.file}: "
            text = f"{where}{self.message}"
        else:
            where = f"{self.file}:{self.line}:{self.column}: "
            text = f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"
        return one_line(f"{text} (hint: {self.hint})" if self.hint else text)


# A workbook's problems are listed sheet by sheet in the dataset's order, after those of the
# file as a whole; sheets that are not sections come after those.
_SHEET_ORDER = tuple(Dataset.model_fields)


def _place(problem: Problem) -> tuple[int, int, int, str]:
    if not problem.cell:
        return (0, problem.line, problem.column, problem.path)
    sheet = problem.cell.split("!")[0]
    rank = _SHEET_ORDER.index(sheet) + 1 if sheet in _SHEET_ORDER else len(_SHEET_ORDER) + 1
    return (rank, problem.line, problem.column, problem.path)


class DatasetError(Exception):
    """A dataset file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_place)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def file(self) -> str:
        return self.problems[0].file if self.problems else ""


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """Text from a data file shown on one line: line breaks and other control or invisible
    characters appear as escapes (U+000A as \\n), so every problem stays one line."""
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def did_you_mean(value: str, options: Iterable[str]) -> str | None:
    """A hint naming the closest known value, or None when nothing is close."""
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None
