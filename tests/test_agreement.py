"""The agreement figures the codebook reports are what `positions agree` computes from the files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from positions import load_dataset
from positions.agree import compare

ROOT = Path(__file__).resolve().parent.parent
AGREEMENT = ROOT / "data" / "agreement"
CODEBOOK = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")

ROWS = {
    "before adjudication": ("first-coding-before-adjudication.yaml", "second-coding.yaml"),
    "after adjudication: `data/positions.yaml` vs second coding": (
        "../positions.yaml",
        "second-coding.yaml",
    ),
    "after adjudication: `data/positions.yaml` vs third coding": (
        "../positions.yaml",
        "third-coding.yaml",
    ),
}


def reported(row: str) -> tuple[str, ...]:
    """The figures the codebook's table gives on the row that starts with `row`."""
    (line,) = [line for line in CODEBOOK.splitlines() if line.startswith(f"| {row}")]
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    return tuple(cells[1:])


def figures(a: str, b: str) -> tuple[str, ...]:
    result = compare(
        load_dataset(AGREEMENT / a), load_dataset(AGREEMENT / b), sources=["pism-spotlight"]
    )
    return (
        f"{result.alpha_ordinal.value:.3f} (n={result.alpha_ordinal.n})",
        f"{result.alpha_nominal.value:.3f} (n={result.alpha_nominal.n})",
        f"{result.precision:.2f}",
        f"{result.recall:.2f}",
    )


@pytest.mark.parametrize("row", list(ROWS))
def test_the_codebook_reports_what_the_codings_give(row):
    assert reported(row) == figures(*ROWS[row])


def test_the_revised_codebook_meets_the_target():
    alpha_nominal = float(re.match(r"[0-9.]+", figures(*ROWS[list(ROWS)[2]])[1]).group())
    assert alpha_nominal >= 0.8


def test_the_codings_are_blind_copies_of_the_same_lists():
    second = load_dataset(AGREEMENT / "second-coding.yaml")
    third = load_dataset(AGREEMENT / "third-coding.yaml")
    assert [a.id for a in second.actors] == [a.id for a in third.actors]
    assert [t.id for t in second.topics] == [t.id for t in third.topics]
    assert (
        {p.source for p in second.positions}
        == {p.source for p in third.positions}
        == {"pism-spotlight"}
    )
