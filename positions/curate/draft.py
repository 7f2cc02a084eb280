"""The draft: the working copy's changes kept on the server, so that a browser reload or a lost
connection does not throw away unsaved work.

One JSON file beside the data file (`.curate/<name>.draft.json`), written atomically after every
change and deleted when there is nothing left to keep (saved, discarded, every change undone).
It holds the file's text as loaded as well as the changes, so a draft made before the file
changed on disk can still be restored, downloaded and merged by hand (a save then refuses, as
it would for any working copy of an older file).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from positions.curate.save import curate_dir
from positions.curate.working import EDITABLE, Slot, WorkingCopy, summary
from positions.errors import DatasetError
from positions.load import load_dataset_bytes
from positions.workbook import workbook_bytes

DRAFT_FORMAT = 1


@dataclass(frozen=True)
class Draft:
    """A draft read back: when it was written, what it holds, and the working copy it restores."""

    path: Path
    saved_at: dt.datetime
    working: WorkingCopy
    changes: int
    summary: str  # "2 added, 1 edited"


class DraftUnreadable(Exception):
    """The draft file is there but cannot be restored; the message says why."""


def draft_path(data_path: str | Path) -> Path:
    """`.curate/<name>.draft.json` beside the data file."""
    return curate_dir(data_path) / f"{Path(data_path).name}.draft.json"


def write_draft(
    working: WorkingCopy, data_path: str | Path, now: dt.datetime | None = None
) -> Path | None:
    """Keep the working copy's changes on disk (atomically), or remove the draft when there are
    none. Returns the draft's path, or None when there is no draft. Raises OSError when the
    folder cannot be written."""
    path = draft_path(data_path)
    if not working.changes:
        discard_draft(data_path)
        return None
    now = now or dt.datetime.now()
    changed = [
        {
            "section": section,
            "slot": number,
            "origin": slot.origin,
            "stamp": slot.stamp,
            "record": None if slot.record is None else slot.record.model_dump(mode="json"),
        }
        for section in EDITABLE
        for number, slot in enumerate(working.slots[section])
        if working.change_of(section, number) is not None
    ]
    body = {
        "format": DRAFT_FORMAT,
        "data_file": Path(data_path).name,
        "saved_at": now.isoformat(timespec="seconds"),
        "base_sha256": working.sha256,
        "base_text": working.text,
        # A workbook's bytes are not text: it is kept as the workbook of the dataset as loaded,
        # which reads back to the same records.
        **({"base_workbook": _workbook_text(working)} if working.workbook else {}),
        "stamp": working.stamp,
        "changes": changed,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(body, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path


def read_draft(data_path: str | Path) -> Draft | None:
    """The draft kept for this data file, or None when there is none. Raises `DraftUnreadable`
    when there is one that cannot be restored."""
    path = draft_path(data_path)
    try:
        raw = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DraftUnreadable(f"the draft {path} cannot be read ({exc.strerror})") from None
    try:
        body = json.loads(raw)
        if body.get("format") != DRAFT_FORMAT:
            raise DraftUnreadable(f"the draft {path} was written by another version")
        name = body.get("data_file") or "draft"
        if "base_workbook" in body:
            base = base64.b64decode(body["base_workbook"], validate=True)
        else:
            base = body["base_text"].encode("utf-8")
        dataset = load_dataset_bytes(base, name)
        working = WorkingCopy.of_file(dataset, base, name)
        # The hash of the bytes as loaded then (a BOM, say, is not in the text kept).
        working = replace(working, sha256=body["base_sha256"])
        slots = {section: list(working.slots[section]) for section in EDITABLE}
        for change in sorted(body["changes"], key=lambda c: c["slot"]):
            section = change["section"]
            model = EDITABLE[section]
            record = None if change["record"] is None else model.model_validate(change["record"])
            slot = Slot(change["origin"], record, int(change["stamp"]))
            number = int(change["slot"])
            while len(slots[section]) <= number:  # added records taken back leave gaps
                slots[section].append(Slot(None, None))
            slots[section][number] = slot
        working = replace(
            working,
            slots={section: tuple(s) for section, s in slots.items()},
            stamp=int(body["stamp"]),
        )
        saved_at = dt.datetime.fromisoformat(body["saved_at"])
    except DraftUnreadable:
        raise
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        binascii.Error,
        ValidationError,
        DatasetError,
    ) as exc:
        raise DraftUnreadable(f"the draft {path} is damaged ({type(exc).__name__})") from None
    return Draft(path, saved_at, working, len(working.changes), summary(working))


def _workbook_text(working: WorkingCopy) -> str:
    return base64.b64encode(workbook_bytes(working.base)).decode("ascii")


def discard_draft(data_path: str | Path) -> None:
    """Remove the draft of this data file, if there is one."""
    draft_path(data_path).unlink(missing_ok=True)


def draft_offer(draft: Draft, current_sha256: str | None) -> str:
    """What the page says about a draft it found: when it was made, what it holds, and whether
    the file changed since."""
    count = draft.changes
    text = (
        f"A draft from {draft.saved_at:%-d %B %Y, %H:%M} holds {count} unsaved "
        f"change{'s' if count != 1 else ''} ({draft.summary})."
    )
    if current_sha256 is not None and current_sha256 != draft.working.sha256:
        text += (
            " The file changed on disk since the draft was made: restore it to download your "
            "work (as YAML or as a workbook) and merge it by hand; saving it over the file will "
            "be refused."
        )
    return text
