"""Commands printed for a curator to type next (`new`'s next steps, `convert`'s check), written so
that they work as typed: with the Python that is running (a project's `.venv/bin/python`, say, not
a `python` that may lack the packages or not exist), the `streamlit` installed beside it, and from
the project folder, which the commands need: `python -m positions` imports the package from the
folder it is run in, and `streamlit run dashboard.py` names the dashboard relative to it.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
WHY = "they use its positions package and its dashboard.py"


@dataclass(frozen=True)
class Commands:
    """How to type the project's commands from its folder."""

    project: Path
    here: bool  # whether the current folder is the project folder
    python: str  # the interpreter, as typed from the project folder
    streamlit: str  # streamlit run with the same environment

    def path(self, path: str | os.PathLike[str]) -> str:
        """A file named on the command line (relative to the current folder), as typed from the
        project folder: relative to it when inside it, else in full; quoted for the shell."""
        return shlex.quote(_shown(Path.cwd() / path, self.project))

    def validate(self, path: str | os.PathLike[str]) -> str:
        return f"{self.python} -m positions validate {self.path(path)}"

    def where(self) -> str:
        """Where to run the commands: `the project folder (this one)`, or how to get there."""
        if self.here:
            return "the project folder (this one)"
        return f"the project folder (cd {shlex.quote(str(self.project))} first)"


def commands(
    executable: str | None = None, cwd: Path | None = None, project: Path = PROJECT
) -> Commands:
    """The commands for the Python at `executable` (default: the one running), run from
    `project`, as seen from `cwd` (default: the current folder)."""
    # Made absolute but not resolved: a virtual environment's python is a link to the base
    # interpreter, and only the link's path runs with the environment's packages.
    interpreter = Path(os.path.abspath(executable or sys.executable))
    beside = interpreter.with_name("streamlit" + interpreter.suffix)  # streamlit.exe on Windows
    python = _program(interpreter, project)
    streamlit = _program(beside, project) if beside.is_file() else f"{python} -m streamlit"
    here = (cwd or Path.cwd()).resolve() == project.resolve()
    return Commands(project=project, here=here, python=python, streamlit=streamlit)


def _shown(path: Path, project: Path) -> str:
    """`path` relative to the project folder when it is inside it, else absolute."""
    path = Path(os.path.abspath(path))
    for folder in dict.fromkeys([project, project.resolve()]):
        if path.is_relative_to(folder):
            return str(path.relative_to(folder))
    return str(path)


def _program(path: Path, project: Path) -> str:
    """A program as typed: a relative path keeps a folder in front (`./python`), or the shell
    would look the name up on its PATH instead."""
    shown = _shown(path, project)
    if not Path(shown).is_absolute() and os.sep not in shown:
        shown = os.curdir + os.sep + shown
    return shlex.quote(shown)
