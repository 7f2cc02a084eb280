"""`python -m positions` with workbooks, run as a curator runs it: `convert` both ways, `validate`
on a workbook, `new` writing a skeleton workbook."""

from __future__ import annotations

import shutil
from pathlib import Path

from command_line import run_cli
from workbooks import changed, put

from positions import load_dataset
from positions.commands import commands
from positions.workbook_layout import SHEETS

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
EXISTS = (
    "already exists; refusing to overwrite it, nothing was written. Choose another path, or "
    "pass --force to replace it."
)


def small_copy(folder: Path) -> Path:
    """The small fixture in `folder`, with its source texts beside it (tests/conftest.py)."""
    path = folder / "small.yaml"
    shutil.copyfile(SMALL, path)
    return path


def test_convert_yaml_to_a_workbook_and_back(tmp_path: Path) -> None:
    source = small_copy(tmp_path)
    book = tmp_path / "small.xlsx"
    result = run_cli("convert", str(source), str(book))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Wrote {book} (workbook) from {source}: 2 sources, 4 actors, 3 topics, 9 positions, "
        "6 sanctions, 3 events, 0 prospects.",
        f"Check it, from the project folder (this one): {commands().validate(book)}",
    ]
    assert result.stderr == ""
    back = tmp_path / "back.yaml"
    result = run_cli("convert", str(book), str(back))
    assert result.returncode == 0, result.stderr
    text = back.read_text(encoding="utf-8")
    # A path from the new file's folder to the project's schema, as `new` writes it.
    schema = (ROOT / "data" / "positions.schema.json").resolve()
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (back.parent / first.split("$schema=", 1)[1]).resolve() == schema
    assert "\n# " not in text  # the source's comments are not carried over
    assert load_dataset(back) == load_dataset(book) == load_dataset(SMALL)


def test_convert_never_replaces_a_file_unless_forced(tmp_path: Path) -> None:
    source = small_copy(tmp_path)
    book = tmp_path / "small.xlsx"
    book.write_bytes(b"my own work")
    result = run_cli("convert", str(source), str(book))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"{book}: {EXISTS}\n"
    assert book.read_bytes() == b"my own work"
    result = run_cli("convert", str(source), str(book), "--force")
    assert result.returncode == 0, result.stderr
    assert load_dataset(book) == load_dataset(SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.xlsx", "small.yaml", "texts"]


def test_convert_an_invalid_workbook_prints_every_problem_and_writes_nothing(
    tmp_path: Path,
) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(changed(put("positions", "B2", "nrth"), put("positions", "D1", "stanse")))
    out = tmp_path / "out.yaml"
    result = run_cli("convert", str(book), str(out))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{book}:positions!D1: unknown column 'stanse' (hint: did you mean 'stance'?)",
        f"{book}:positions!B2: unknown actor 'nrth' (hint: did you mean 'north'?)",
    ]
    assert result.stderr == f"{book}: 2 problems\n"
    assert not out.exists()


def test_convert_refuses_a_list_item_holding_the_separator_at_its_yaml_line(
    tmp_path: Path,
) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    kind: state\n", '    kind: state\n    aliases: [The North, "North; the state"]\n', 1
    )
    source = tmp_path / "aliases.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "aliases.xlsx"
    result = run_cli("convert", str(source), str(out))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{source}:20:26: actors[0].aliases[1]: the item 'North; the state' holds ';', which "
        "separates the items of a list in a workbook (hint: write it without ';', or keep this "
        "dataset in YAML)"
    ]
    assert result.stderr == f"{source}: 1 problem\n"
    assert not out.exists()


def test_convert_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run_cli("convert", "a.yaml", "b.yml")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "python -m positions convert: error: a.yaml and b.yml are both YAML files: convert "
        "turns YAML into a workbook, or a workbook into YAML"
    )
    result = run_cli("convert", "a.csv", "b.xlsx")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "python -m positions convert: error: a.csv: convert reads and writes .yaml, .yml and "
        ".xlsx files"
    )
    assert result.stdout == ""


def test_convert_says_which_source_texts_are_not_beside_the_new_file(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    book = elsewhere / "small.xlsx"
    result = run_cli("convert", str(small_copy(tmp_path)), str(book))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    # What to copy comes before the check, which would fail on every quote without the texts.
    assert lines[1] == (
        f"First copy the source texts it names from {tmp_path} to {elsewhere}, keeping their "
        "folders (texts/article.txt, texts/readout.txt): its quotes are checked against them, "
        "and fail without them."
    )
    assert lines[2].startswith("Then check it, from ")
    assert result.stderr == ""


def test_convert_help_tells_what_is_not_carried_over() -> None:
    result = run_cli("convert", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "YAML comments are not carried over" in text
    assert "an existing OUT is never replaced unless --force is given" in text
    assert "convert" in run_cli("--help").stdout


def test_validate_a_workbook_prints_the_same_summary_as_its_yaml(tmp_path: Path) -> None:
    book = tmp_path / "small.xlsx"
    assert run_cli("convert", str(small_copy(tmp_path)), str(book)).returncode == 0
    from_book = run_cli("validate", str(book))
    from_yaml = run_cli("validate", str(tmp_path / "small.yaml"))
    assert from_book.returncode == from_yaml.returncode == 0
    assert from_book.stdout.splitlines()[0] == f"{book}: valid"
    assert from_book.stdout.splitlines()[1:] == from_yaml.stdout.splitlines()[1:]


def test_validate_a_broken_workbook(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(changed(put("positions", "F2", "=B2&C2")))
    result = run_cli("validate", str(book))
    assert result.returncode == 1
    assert result.stdout == (
        f"{book}:positions!F2: the cell holds a formula (=B2&C2) (hint: a dataset holds values, "
        "not formulas: copy the cells and paste them back as values only (Paste Special, "
        "Values))\n"
    )
    assert result.stderr == f"{book}: 1 problem\n"


def test_new_writes_a_skeleton_workbook_that_validates_and_never_overwrites(
    tmp_path: Path,
) -> None:
    book = tmp_path / "mine.xlsx"
    result = run_cli("new", str(book))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        f"Wrote a new dataset skeleton to {book}",
        "Next steps. Run the commands from the project folder (this one): they use its positions "
        "package and its dashboard.py.",
        "  1. Edit it in your spreadsheet program: replace the example rows with your own,",
        "     one record a row. Each header's comment says what the field is (amber headers",
    ]
    checked = run_cli("validate", str(book))
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[:2] == [
        f"{book}: valid",
        "  Stakeholder positions: my subject (as of 2025-01-31)",
    ]
    import openpyxl

    assert openpyxl.load_workbook(book).sheetnames == list(SHEETS)
    before = book.read_bytes()
    again = run_cli("new", str(book))
    assert again.returncode == 1
    assert "already exists; refusing to overwrite it" in again.stderr
    assert book.read_bytes() == before
