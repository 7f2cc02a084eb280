"""Hostile dataset files, generated at test time by tests/hostile/make_hostile.py.

For each file: the command line refuses it with `file:line:col: ...` lines and exit 1 (under a
1 GB address-space limit, so an alias bomb or 10,000 levels of nesting cannot take the machine
down), the file is neither changed nor executed, and the dashboard shows the same first
problem in an `st.error` instead of raising. A UTF-8 byte-order mark is the one thing accepted.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib.util
import io
import os
import pathlib
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from positions import DEFAULT_MAX_BYTES, DatasetError, load_dataset

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"

_spec = importlib.util.spec_from_file_location(
    "make_hostile", ROOT / "tests" / "hostile" / "make_hostile.py"
)
assert _spec is not None and _spec.loader is not None
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)

MEMORY_LIMIT = 1024**3  # RLIMIT_AS for the command line: 1 GB
TAG_HINT = "(hint: a dataset holds only text, numbers, dates, lists and mappings)"
DEPTH_HINT = "(hint: a dataset nests only a few levels; this one goes deeper than 40)"

# The first line `python -m positions validate FILE` prints, without the `FILE:` prefix.
FIRST_LINE: dict[str, str] = {
    "big-50mb": "1:1: the file is 50.0 MB, over the 32.0 MB limit (hint: split the dataset, "
    "or raise the limit with POSITIONS_MAX_BYTES (bytes))",
    "deep-list": "23:1011: YAML syntax error: while increasing flow level exceeded maximum "
    f"nesting depth {DEPTH_HINT}",
    "deep-mapping": "23:4002: YAML syntax error: while increasing flow level exceeded maximum "
    f"nesting depth {DEPTH_HINT}",
    "deep-block": "24:1999: YAML syntax error: while increasing block level exceeded maximum "
    f"nesting depth {DEPTH_HINT}",
    "alias-bomb": "24:9: YAML aliases expand this file to 12,345,679,125 nodes from 135 "
    "(hint: refusing an alias-expansion bomb: write the records out without * aliases)",
    "python-object-apply": "34:12: positions[0].quote: the tag "
    f"!!python/object/apply:os.system is not allowed {TAG_HINT}",
    "python-name": "5:10: dataset.title: the tag !!python/name:os.system is not allowed "
    f"{TAG_HINT}",
    "python-module": f"5:10: dataset.title: the tag !!python/module:os is not allowed {TAG_HINT}",
    "python-object-new": "5:10: dataset.title: the tag !!python/object/new:os.system is not "
    f"allowed {TAG_HINT}",
    "binary": f"5:10: dataset.title: the tag !!binary is not allowed {TAG_HINT}",
    "local-tag": f"5:10: dataset.title: the tag !include is not allowed {TAG_HINT}",
    "utf-16": "1:1: the file is UTF-16-encoded (hint: save the file as UTF-8)",
    "latin-1": "18:11: byte 0xD6 is not valid UTF-8 (hint: save the file as UTF-8 (it looks like "
    "Latin-1 or Windows-1252))",
    "bidi-in-name": "21:14: actors[1].name: text holds an invisible bidirectional control "
    "character (U+202E) (hint: these can make text read differently from what it says: "
    "delete them)",
    "id-case": "27:5: actors[3].id: 'Blinken' is not a valid id (hint: ids are lowercase "
    "letters, digits and single hyphens, e.g. 'blinken')",
    "id-lookalike": "27:5: actors[3].id: 'blink\u0435n' is not a valid id (hint: '\u0435' "
    "(U+0435) only looks like a Latin letter: did you mean 'blinken'?)",
    "date-feb-30": "35:5: positions[0].date: '2021-02-30' is not a valid date (hint: write "
    "YYYY-MM-DD, or YYYY-MM or YYYY when the source gives no day)",
    "circular-parent-3": "20:5: actors[0].parent: circular parent chain: country -> deputy -> "
    "minister -> country (hint: a record cannot be its own ancestor: remove one parent)",
    "control-after-non-ascii": "5:22: character U+001B is not allowed in YAML (hint: delete "
    "it: it is invisible in most editors)",
}
ACCEPTED = {"utf-8-bom"}

KNOWN_BUGS: dict[str, str] = {}

NAMES = sorted(make_hostile.HOSTILE_FILES)


def _marks(name: str) -> list[pytest.MarkDecorator]:
    if name in KNOWN_BUGS:
        return [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name])]
    return []


def test_every_hostile_file_has_an_expectation() -> None:
    assert set(NAMES) == set(FIRST_LINE) | ACCEPTED
    assert not set(FIRST_LINE) & ACCEPTED


@pytest.fixture(params=[pytest.param(n, marks=_marks(n)) for n in NAMES])
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return make_hostile.write_hostile_file(request.param, tmp_path)


def fingerprint(path: Path) -> tuple[str, int, int]:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    stat = path.stat()
    return digest.hexdigest(), stat.st_mtime_ns, stat.st_size


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate(path: str | Path, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """`python -m positions validate PATH`, in `cwd`, with at most 1 GB of address space."""
    env = {k: v for k, v in os.environ.items() if k != "POSITIONS_MAX_BYTES"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "positions", "validate", str(path)],
        cwd=cwd,  # not the project root: a payload that ran would leave its file here
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,  # a bound, not a timing assertion
        preexec_fn=_limit_memory if os.name == "posix" else None,
        check=False,
    )


def test_the_command_line_refuses_it(hostile: Path, tmp_path: Path) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    before = fingerprint(hostile)
    result = validate(hostile, work)
    name = hostile.stem
    assert "Traceback" not in result.stderr, result.stderr
    assert "MemoryError" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    if name in ACCEPTED:
        assert result.returncode == 0, result.stdout + result.stderr
        assert lines[0] == f"{hostile}: valid"
    else:
        assert result.returncode == 1, result.stdout + result.stderr
        assert lines, result.stderr
        assert lines[0] == f"{hostile}:{FIRST_LINE[name]}"
        for line in lines:
            assert re.match(rf"{re.escape(str(hostile))}:\d+:\d+: \S", line), line
        count = len(lines)
        assert result.stderr.splitlines()[-1] == (
            f"{hostile}: {count} problem{'s' if count != 1 else ''}"
        )
    assert fingerprint(hostile) == before, "validating must not touch the file"
    assert list(work.iterdir()) == [], "a payload in the file was executed"


def test_the_dashboard_shows_it_as_an_error(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSITIONS_DATA", str(hostile))
    monkeypatch.delenv("POSITIONS_MAX_BYTES", raising=False)
    monkeypatch.chdir(tmp_path)  # a payload that ran would leave its file here
    before = fingerprint(hostile)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    name = hostile.stem
    if name in ACCEPTED:
        assert not at.error, at.error[0].value
        assert at.title, "the overview did not render"
    else:
        assert at.error, "no st.error for a file the loader refuses"
        assert f"{hostile}:{FIRST_LINE[name]}" in at.error[0].value
    assert fingerprint(hostile) == before, "loading must not touch the file"
    assert not (tmp_path / "pwned").exists(), "a payload in the file was executed"


def test_an_oversized_file_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_hostile.write_hostile_file("big-50mb", tmp_path)
    assert path.stat().st_size > DEFAULT_MAX_BYTES
    opened: list[str] = []

    def guard(real: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            if any(str(a) == str(path) for a in args if isinstance(a, str | Path)):
                opened.append(real.__name__)
                raise AssertionError(f"{path} was opened ({real.__name__})")
            return real(*args, **kwargs)

        return wrapper

    for owner, attribute in (
        (pathlib.Path, "read_bytes"),
        (pathlib.Path, "read_text"),
        (pathlib.Path, "open"),
        (builtins, "open"),
        (io, "open"),
    ):
        monkeypatch.setattr(owner, attribute, guard(getattr(owner, attribute)))
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    monkeypatch.undo()
    assert not opened
    (problem,) = info.value.problems
    assert str(problem) == f"{path}:{FIRST_LINE['big-50mb']}"


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = make_hostile.write_hostile_file("utf-8-bom", tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_dataset(path).dataset.title == "Minimal dataset"


# --- Bugs ------------------------------------------------------------------------------------


def test_lookalike_id_hint_names_the_lookalike(tmp_path: Path) -> None:
    path = make_hostile.write_hostile_file("id-lookalike", tmp_path)
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    hint = info.value.problems[0].hint or ""
    assert "blink-n" not in hint
    assert "U+0435" in hint


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_refused(tmp_path: Path) -> None:
    result = validate("/dev/zero", tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-500:]
    assert result.returncode == 1
    assert result.stdout.startswith("/dev/zero:1:1: ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "positions.yaml"
    os.mkfifo(fifo)
    result = validate(fifo, tmp_path, timeout=3)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{fifo}:1:1: ")
