"""Writing the working copy back to its file: the changes spliced into the file's own text, so
that its comments and layout stay; a backup first; never invalid data; never over a file that
changed on disk since it was loaded; atomically.

Splicing finds each record's lines in the text as loaded (PyYAML nodes' marks), puts an edited
record's lines back as `record_yaml` writes it at the same indent, deletes a removed record's
lines and appends added records after the last record of their section. The result must load to
exactly the working copy; when it does not (a layout the splice cannot follow, such as a section
written as one flow list), the whole file is written with `dataset_yaml` instead, and the caller
is told that the comments were not kept (the backup keeps them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from positions.curate.working import EDITABLE, WorkingCopy
from positions.dump import dataset_yaml, record_yaml
from positions.errors import DatasetError, Problem
from positions.files import fsync_folder
from positions.load import check_quotes_against_texts, load_dataset_bytes
from positions.workbook import WorkbookWriteError, workbook_bytes

# The curator's files beside the data file: backups and the draft. Ignored by git.
CURATE_DIR = ".curate"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCHEMA_LINE = "# yaml-language-server: $schema="


class SaveRefused(Exception):
    """Nothing was written: the message says why and what to do; `problems` lists what is wrong
    with the data when that is the reason."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


# What the page says of how a save wrote the file, by how it was written.
KEPT = (
    "Its comments and layout were kept: only the lines of the records that changed were rewritten."
)
REWRITTEN = (
    "The file's comments and layout could not be kept: its records are laid out in a way "
    "the splice cannot follow (such as a section written as one list on a line), so the "
    "whole file was written anew. The backup keeps the file as it was, comments and all."
)
WORKBOOK_REWRITTEN = (
    "The workbook was written anew: one sheet per section, as python -m positions convert "
    "writes it. Formatting given to it in a spreadsheet (colours, column widths, notes in "
    "cells) was not kept; the backup keeps the workbook as it was."
)

# What the page says of a workbook before it is saved.
WORKBOOK_WRITE = (
    "The workbook is written anew, one sheet per section: formatting given to it in a "
    "spreadsheet (colours, column widths, notes in cells) is not kept."
)


@dataclass(frozen=True)
class FileText:
    """The text a save writes, and whether the file's comments and layout are kept in it."""

    text: str  # "" for a workbook
    comments_kept: bool  # False for a YAML file written anew, and for any workbook
    how: str  # how the file is written, for the curator: KEPT, REWRITTEN or WORKBOOK_REWRITTEN
    workbook: bytes = b""  # the whole workbook, for a working copy of one

    @property
    def data(self) -> bytes:
        """The file's bytes."""
        return self.workbook or self.text.encode("utf-8")


@dataclass(frozen=True)
class Saved:
    """What a save did."""

    path: Path
    backup: Path
    comments_kept: bool
    how: str  # how the file was written, in words for the curator (see FileText.how)
    working: WorkingCopy  # a fresh working copy of the file as written, with no changes


def curate_dir(data_path: str | Path) -> Path:
    """Where the curate page keeps backups and the draft: `.curate/` beside the data file."""
    return Path(data_path).parent / CURATE_DIR


def backup_path(data_path: str | Path, now: dt.datetime) -> Path:
    """`.curate/backups/<name>.YYYYmmdd-HHMMSS.bak` beside the data file, one not yet taken."""
    path = Path(data_path)
    folder = curate_dir(path) / "backups"
    stem = f"{path.name}.{now:%Y%m%d-%H%M%S}"
    candidate = folder / f"{stem}.bak"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.bak"
        number += 1
    return candidate


def splice(working: WorkingCopy) -> str | None:
    """The file's text with the working copy's changes spliced in, or None when the file's
    layout is one the splice cannot follow (the caller then writes the whole file anew)."""
    text = working.text
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    # Edits as (first line, last line + 1, replacement lines), applied from the bottom up so that
    # the line numbers of those above stay right.
    edits: list[tuple[int, int, list[str]]] = []
    appended: list[str] = []
    for section in EDITABLE:
        found = _section_edits(working, section, root, lines, newline)
        if found is None:
            return None
        section_edits, section_appended = found
        edits += section_edits
        appended += section_appended
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = replacement
    return "".join(lines) + "".join(appended)


def _section_edits(
    working: WorkingCopy, section: str, root: yaml.MappingNode, lines: list[str], newline: str
) -> tuple[list[tuple[int, int, list[str]]], list[str]] | None:
    changes = [c for c in working.changes if c.section == section]
    if not changes:
        return [], []
    key, node = next(((k, v) for k, v in root.value if k.value == section), (None, None))
    slots = working.slots[section]
    added = [s.record for s in slots if s.origin is None and s.record is not None]
    if node is None:  # no such section: it goes at the end of the file
        body = "".join(record_yaml(r, indent=2) for r in added)
        return [], [f"{newline}{section}:{newline}", *_lines(body, newline)]
    if not isinstance(node, yaml.SequenceNode):
        return None
    items = node.value
    if node.flow_style:
        if items or node.start_mark.line != node.end_mark.line:
            return None  # a flow list of records: its lines are not the records'
        # `section: []`: the list becomes a block list under its key.
        row = node.start_mark.line
        line = lines[row]
        rest = line[node.end_mark.column :].rstrip("\r\n")
        header = line[: node.start_mark.column].rstrip() + rest + newline
        body = "".join(record_yaml(r, indent=key.start_mark.column + 2) for r in added)
        return [(row, row + 1, [header, *_lines(body, newline)])], []
    spans = [_item_lines(item, lines) for item in items]
    if any(span is None for span in spans):
        return None
    ranges = [span for span in spans if span is not None]
    if any(a[1] > b[0] for a, b in itertools.pairwise(ranges)):
        return None  # records sharing a line
    if len(ranges) != len(getattr(working.base, section)):
        return None
    edits = []
    for change in changes:
        origin = slots[change.slot].origin
        if origin is None:
            continue
        start, end, indent = ranges[origin]
        replacement = (
            [] if change.after is None else _lines(record_yaml(change.after, indent), newline)
        )
        edits.append((start, end, replacement))
    if added:
        _, last_end, indent = ranges[-1]
        body = "".join(record_yaml(r, indent=indent) for r in added)
        edits.append((last_end, last_end, _lines(body, newline)))
    return edits, []


def _item_lines(item: yaml.Node, lines: list[str]) -> tuple[int, int, int] | None:
    """(first line, last line + 1, the column of its `-`) of one record of a block list: from
    the line of its dash to the line of its last value (comments after it are not its own)."""
    start = item.start_mark.line
    before = lines[start][: item.start_mark.column]
    if before.strip() != "-":
        return None  # the dash is not on the record's first line
    indent = len(before) - len(before.lstrip())
    end_mark = _last_scalar(item).end_mark
    last = end_mark.line - 1 if end_mark.column == 0 else end_mark.line
    # A block scalar's end takes in the blank lines after it.
    while last > start and not lines[last].strip():
        last -= 1
    return start, last + 1, indent


def _last_scalar(node: yaml.Node) -> yaml.Node:
    """The node whose end is the record's last character: a block collection ends where the
    next token starts (after any comments), so its last value is followed down."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if not node.value:
            break
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _lines(text: str, newline: str) -> list[str]:
    return [line.rstrip("\n") + newline for line in text.splitlines(keepends=True)]


def file_text(working: WorkingCopy, name: str, folder: Path) -> FileText:
    """The text to write for the working copy: spliced into the file's text when that loads to
    exactly the working copy, else the whole dataset written anew. Raises `SaveRefused` when
    the working copy itself is not valid (checked with the loader, quotes against texts).

    A workbook is written whole, as `positions.workbook` writes one: its records are all it
    keeps (formatting given to it in a spreadsheet is lost; the backup has it)."""
    if working.workbook:
        return _workbook_file(working, name, folder)
    spliced = splice(working)
    if spliced is not None and _loads_to(spliced, working, name, folder):
        return FileText(spliced, True, KEPT)
    schema = _schema_of(working.text)
    text = dataset_yaml(working.dataset, schema=schema)
    _refuse_unless_loads_to(text.encode("utf-8"), working, name, folder)
    return FileText(text, False, REWRITTEN)


def _workbook_file(working: WorkingCopy, name: str, folder: Path) -> FileText:
    try:
        data = workbook_bytes(working.dataset)
    except WorkbookWriteError as error:
        raise SaveRefused(f"Nothing was written: {error}") from None
    _refuse_unless_loads_to(data, working, name, folder)
    return FileText("", False, WORKBOOK_REWRITTEN, workbook=data)


def _refuse_unless_loads_to(data: bytes, working: WorkingCopy, name: str, folder: Path) -> None:
    """`SaveRefused` unless `data` loads, quotes checked against the texts, to exactly the
    working copy."""
    try:
        loaded = _load_bytes(data, name, folder)
    except DatasetError as error:
        raise SaveRefused(
            f"Nothing was written: the working copy has {len(error.problems)} problem"
            f"{'s' if len(error.problems) != 1 else ''}. Fix or undo the records named, then "
            "save again.",
            error.problems,
        ) from None
    if loaded != working.dataset:  # pragma: no cover - both writers are tested to round-trip
        raise SaveRefused("Nothing was written: the file would not load back as the working copy.")


def _loads_to(text: str, working: WorkingCopy, name: str, folder: Path) -> bool:
    try:
        return _load(text, name, folder) == working.dataset
    except DatasetError:
        return False


def _load(text: str, name: str, folder: Path) -> object:
    return _load_bytes(text.encode("utf-8"), name, folder)


def _load_bytes(data: bytes, name: str, folder: Path) -> object:
    dataset = load_dataset_bytes(data, name)
    return check_quotes_against_texts(dataset, data, name, folder)


def _schema_of(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    return first.removeprefix(_SCHEMA_LINE) if first.startswith(_SCHEMA_LINE) else None


def save(working: WorkingCopy, path: str | Path, now: dt.datetime | None = None) -> Saved:
    """Write the working copy to `path`, the file it was loaded from.

    Refuses (`SaveRefused`, nothing written) when the file changed on disk since it was loaded,
    or when the text to write does not load, with the same loader and the quotes checked against
    the sources' texts, to exactly the working copy. Otherwise the file as it is goes to a backup
    (`backup_path`), and the new text replaces it atomically (a temporary file beside it, renamed
    over it), keeping its permissions.
    """
    path = Path(path)
    now = now or dt.datetime.now()
    current = _read(path)
    _refuse_if_changed(current, working, path)
    written = file_text(working, str(path), path.parent)
    data = written.data
    backup = backup_path(path, now)
    try:
        backup.parent.mkdir(parents=True, exist_ok=True)
        _write_new(backup, current)
    except OSError as exc:
        raise SaveRefused(
            f"Nothing was written: the backup {backup} could not be made ({exc.strerror}). Make "
            f"the folder {backup.parent} writable, or download the working copy instead."
        ) from None
    temporary = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(path, temporary)
        # Once more just before the rename: an editor may have saved while this was written.
        _refuse_if_changed(_read(path), working, path)
        os.replace(temporary, path)
        temporary = None
        fsync_folder(path.parent)
    except OSError as exc:
        raise SaveRefused(
            f"Nothing was written to {path}: {exc.strerror}. The backup {backup} was kept. Check "
            "that the file's folder is writable, or download the working copy instead."
        ) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    dataset = load_dataset_bytes(data, str(path))
    return Saved(
        path,
        backup,
        written.comments_kept,
        written.how,
        WorkingCopy.of_file(dataset, data, str(path)),
    )


def file_changed(working: WorkingCopy, path: str | Path) -> bool:
    """True when the file on disk is no longer the one the working copy was loaded from."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() != working.sha256
    except OSError:
        return True


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SaveRefused(
            f"Nothing was written: {path} cannot be read ({exc.strerror}). Download the working "
            "copy to keep your changes."
        ) from None


def _refuse_if_changed(current: bytes, working: WorkingCopy, path: Path) -> None:
    if hashlib.sha256(current).hexdigest() != working.sha256:
        raise SaveRefused(
            f"Nothing was written: {path} changed on disk since it was loaded (another editor or "
            "session saved it). Download your working copy (as YAML or as a workbook) to keep "
            "your changes, then load the file as it is now (Discard all changes) and apply them "
            "again, or merge the two files by hand."
        )


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as out:  # never over an earlier backup
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
