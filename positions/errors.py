"""The project's own error type: every problem in a dataset file, each with its place."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset file, at a line and column (both 1-based)."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: "
        text = f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"
        return one_line(f"{text} (hint: {self.hint})" if self.hint else text)


class DatasetError(Exception):
    """A dataset file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.column, p.path))
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
