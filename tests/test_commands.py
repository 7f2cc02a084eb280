"""The commands `new` and `convert` print for a curator to type next: the Python that ran them
(not a bare `python`), the `streamlit` beside it, paths as seen from the project folder, and a
word on running them from there. Each printed check is run here as typed, with no virtual
environment on the PATH."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from command_line import run_cli

from positions.commands import commands

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"


def fake_python(folder: Path, *, streamlit: bool) -> Path:
    """An interpreter's path in `folder` (never run: only its name and neighbours matter)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "python").write_text("", encoding="utf-8")
    if streamlit:
        (folder / "streamlit").write_text("", encoding="utf-8")
    return folder / "python"


def test_a_projects_own_environment_is_typed_relative_to_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "my project"
    python = fake_python(project / ".venv" / "bin", streamlit=True)
    monkeypatch.chdir(project)
    run = commands(str(python), project=project)
    assert (run.python, run.streamlit, run.here) == (
        ".venv/bin/python",
        ".venv/bin/streamlit",
        True,
    )
    assert run.where() == "the project folder (this one)"
    assert run.validate("data/my dataset.xlsx") == (
        ".venv/bin/python -m positions validate 'data/my dataset.xlsx'"
    )
    assert run.path(tmp_path / "elsewhere.yaml") == str(tmp_path / "elsewhere.yaml")


def test_another_interpreter_is_typed_in_full_and_runs_streamlit_as_a_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    python = fake_python(tmp_path / "opt" / "py 3" / "bin", streamlit=False)
    monkeypatch.chdir(project)
    run = commands(str(python), project=project)
    quoted = shlex.quote(str(python))
    assert quoted.startswith("'")  # the space in "py 3"
    assert (run.python, run.streamlit) == (quoted, f"{quoted} -m streamlit")


def test_from_another_folder_the_commands_say_to_go_to_the_project_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    python = fake_python(project, streamlit=True)  # right in the project folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run = commands(str(python), project=project)
    # A bare name would be looked up on the PATH: the folder is kept in front.
    assert (run.python, run.streamlit, run.here) == ("./python", "./streamlit", False)
    assert run.where() == f"the project folder (cd {project} first)"
    # A path given from here is typed as seen from the project folder.
    assert run.path("mine.yaml") == str(elsewhere / "mine.yaml")
    assert run.path("../project/data/mine.yaml") == "data/mine.yaml"


def this_python() -> tuple[str, str]:
    """How the Python running the tests and its streamlit are typed from the project folder."""
    python = Path(os.path.abspath(sys.executable))
    streamlit = python.with_name("streamlit")
    shown = [
        str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        for path in (python, streamlit)
    ]
    if not streamlit.is_file():
        shown[1] = f"{shown[0]} -m streamlit"
    return shown[0], shown[1]


def as_typed(command: str) -> subprocess.CompletedProcess[str]:
    """A printed command typed into a shell in the project folder, no virtual environment on
    the PATH."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    environment["PATH"] = "/usr/bin:/bin"
    return subprocess.run(
        command,
        shell=True,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", ["my dataset.yaml", "my dataset.xlsx"])
def test_new_prints_next_steps_that_work_as_typed(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    result = run_cli("new", str(path))
    assert result.returncode == 0, result.stderr
    python, streamlit = this_python()
    quoted = shlex.quote(str(path))
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"Wrote a new dataset skeleton to {path}",
        "Next steps. Run the commands from the project folder (this one): they use its positions "
        "package and its dashboard.py.",
    ]
    if name.endswith(".xlsx"):
        assert lines[2:-3] == [
            "  1. Edit it in your spreadsheet program: replace the example rows with your own,",
            "     one record a row. Each header's comment says what the field is (amber headers",
            "     are required); docs/codebook.md explains every field.",
        ]
    else:
        assert lines[2:-3] == [
            "  1. Edit it: replace the example values with your own records. To use an optional",
            '     field, delete the "# " in front of it. docs/codebook.md explains every field.',
        ]
    assert lines[-3:] == [
        f"  2. Check it:   {python} -m positions validate {quoted}",
        f"  3. See it:     {streamlit} run dashboard.py -- --data {quoted}",
        f"                 (or: POSITIONS_DATA={quoted} {streamlit} run dashboard.py)",
    ]
    checked = as_typed(lines[-3].split(":", 1)[1].strip())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[0] == f"{path}: valid"
    program = as_typed(f"{streamlit} --version")
    assert program.returncode == 0, program.stderr
    assert program.stdout.startswith("Streamlit, version ")
    if name.endswith(".yaml"):  # the file says the same
        check = f"# Check the file from the project folder with: {python} -m positions validate "
        assert check + quoted in path.read_text(encoding="utf-8").splitlines()


def test_convert_prints_a_check_that_works_as_typed(tmp_path: Path) -> None:
    source = tmp_path / "small.yaml"
    source.write_bytes(SMALL.read_bytes())  # its texts are beside it (tests/conftest.py)
    book = tmp_path / "small.xlsx"
    result = run_cli("convert", str(source), str(book))
    assert result.returncode == 0, result.stderr
    python, _ = this_python()
    check = f"{python} -m positions validate {book}"
    assert result.stdout.splitlines()[1:] == [
        f"Check it, from the project folder (this one): {check}"
    ]
    checked = as_typed(check)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[0] == f"{book}: valid"
