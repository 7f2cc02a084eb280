"""The curator's working copy: the dataset file as loaded, and what was added, edited or removed
since, kept apart so that every change can be listed, undone or spliced back into the file.

Each record of a section the curate page changes (actors, topics, positions) sits in a slot: the
slots of the file's records come first, in file order, each remembering its index in the file;
records added here get slots after them. A removed record keeps its slot, empty. A slot's number
never changes, so it names a record for the page's buttons even while other records come and go.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from positions.formats import is_workbook
from positions.model import Actor, Dataset, Position, Record, Topic
from positions.validate import REFERENCES

# The sections a curator changes from the curate page, and the model of their records.
EDITABLE: dict[str, type[Record]] = {"actors": Actor, "topics": Topic, "positions": Position}
# Singular names for change lists ("Added position p10").
NOUN = {"actors": "actor", "topics": "topic", "positions": "position"}


@dataclass(frozen=True)
class Slot:
    """Where one record of a section lives in the working copy."""

    origin: int | None  # the record's index in the file as loaded; None for one added here
    record: Record | None  # None: removed (or an added record taken back)
    stamp: int = 0  # the number of the change that last touched it; 0 when untouched


@dataclass(frozen=True)
class Change:
    """One record as it differs from the file: added, edited or removed."""

    section: str
    slot: int
    kind: str  # "added", "edited" or "removed"
    before: Record | None  # the file's version (None when added)
    after: Record | None  # the working copy's (None when removed)
    stamp: int  # the order the changes were made in


@dataclass(frozen=True)
class WorkingCopy:
    """The whole dataset as the curator is changing it, and the file it came from."""

    base: Dataset  # the dataset as loaded from the file
    text: str  # the file's text as loaded, which a save splices the changes into ("": a workbook)
    sha256: str  # the hash of the file's bytes as loaded: a save refuses a file changed since
    slots: dict[str, tuple[Slot, ...]] = field(default_factory=dict)  # for EDITABLE sections
    stamp: int = 0  # the number of the last change made
    workbook: bool = False  # the file is an Excel workbook: a save writes the whole workbook

    @classmethod
    def of_file(cls, dataset: Dataset, data: bytes, name: str = "") -> WorkingCopy:
        """A working copy with no changes, of a dataset loaded from `data` (the file's bytes),
        the file named `name` (a workbook when it ends in `.xlsx`, else YAML)."""
        slots = {
            section: tuple(Slot(i, record) for i, record in enumerate(getattr(dataset, section)))
            for section in EDITABLE
        }
        digest = hashlib.sha256(data).hexdigest()
        if is_workbook(name):
            return cls(dataset, "", digest, slots, workbook=True)
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        return cls(dataset, text, digest, slots)

    @cached_property
    def dataset(self) -> Dataset:
        """The working copy as a dataset: the file's records as changed, then those added."""
        if not self.changes:
            return self.base
        update = {section: [record for _, record in self.records(section)] for section in EDITABLE}
        return self.base.model_copy(update=update)

    def records(self, section: str) -> Iterator[tuple[int, Any]]:
        """(slot, record) for every record of the section in the working copy, in order."""
        for number, slot in enumerate(self.slots[section]):
            if slot.record is not None:
                yield number, slot.record

    def record(self, section: str, slot: int) -> Any:
        """The record in a slot, or None when the slot is empty or does not exist."""
        slots = self.slots[section]
        return slots[slot].record if 0 <= slot < len(slots) else None

    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """Every record that differs from the file, the latest change first."""
        found = []
        for section in EDITABLE:
            loaded = getattr(self.base, section)
            for number, slot in enumerate(self.slots[section]):
                before = loaded[slot.origin] if slot.origin is not None else None
                if slot.record == before:
                    continue
                kind = "added" if before is None else "removed" if slot.record is None else "edited"
                found.append(Change(section, number, kind, before, slot.record, slot.stamp))
        return tuple(sorted(found, key=lambda change: -change.stamp))

    def change_of(self, section: str, slot: int) -> Change | None:
        """How the record in a slot differs from the file, if it does."""
        return next((c for c in self.changes if c.section == section and c.slot == slot), None)

    @cached_property
    def document(self) -> dict[str, Any]:
        """The working copy as the plain document `positions.validate.cross_check` reads: dates
        as ISO text, vocabularies as their values, as a YAML file would give them."""
        dataset = self.dataset
        document: dict[str, Any] = {"dataset": dataset.dataset.model_dump(mode="json")}
        for section in list(Dataset.model_fields)[1:]:
            document[section] = [r.model_dump(mode="json") for r in getattr(dataset, section)]
        return document


def summary(working: WorkingCopy) -> str:
    """The changes against the file in a few words: '3 added, 1 edited, 1 removed'."""
    counts = {kind: 0 for kind in ("added", "edited", "removed")}
    for change in working.changes:
        counts[change.kind] += 1
    parts = [f"{count} {kind}" for kind, count in counts.items() if count]
    return ", ".join(parts) if parts else "no changes"


def _with_slot(working: WorkingCopy, section: str, number: int, slot: Slot | None) -> WorkingCopy:
    """The working copy with one slot set (appended when `number` is the next one)."""
    slots = list(working.slots[section])
    if slot is None:
        return working
    if number == len(slots):
        slots.append(slot)
    else:
        slots[number] = slot
    return replace(working, slots={**working.slots, section: tuple(slots)})


def add_record(working: WorkingCopy, section: str, record: Record) -> tuple[WorkingCopy, int]:
    """The working copy with `record` added at the end of its section, and its slot."""
    _check_section(section, record)
    stamp = working.stamp + 1
    number = len(working.slots[section])
    changed = _with_slot(working, section, number, Slot(None, record, stamp))
    return replace(changed, stamp=stamp), number


def replace_record(working: WorkingCopy, section: str, slot: int, record: Record) -> WorkingCopy:
    """The working copy with the record in `slot` replaced by `record`."""
    _check_section(section, record)
    current = _existing(working, section, slot)
    stamp = working.stamp + 1
    changed = _with_slot(working, section, slot, Slot(current.origin, record, stamp))
    return replace(changed, stamp=stamp)


def remove_record(working: WorkingCopy, section: str, slot: int) -> WorkingCopy:
    """The working copy without the record in `slot`."""
    current = _existing(working, section, slot)
    stamp = working.stamp + 1
    changed = _with_slot(working, section, slot, Slot(current.origin, None, stamp))
    return replace(changed, stamp=stamp)


def revert(working: WorkingCopy, section: str, slot: int) -> WorkingCopy:
    """The working copy with one record as the file has it: an added record taken back, an
    edited or removed one restored. (Check the result: see `positions.curate.check.undo`.)"""
    slots = working.slots[section]
    if not 0 <= slot < len(slots):
        raise KeyError(f"no record in slot {slot} of {section}")
    origin = slots[slot].origin
    record = getattr(working.base, section)[origin] if origin is not None else None
    return _with_slot(working, section, slot, Slot(origin, record))


def discard_all(working: WorkingCopy) -> WorkingCopy:
    """The working copy as the file was loaded, every change dropped."""
    return replace(
        working,
        slots={
            section: tuple(Slot(i, r) for i, r in enumerate(getattr(working.base, section)))
            for section in EDITABLE
        },
        stamp=0,
    )


def drop_unused(working: WorkingCopy) -> tuple[WorkingCopy, tuple[tuple[str, Record], ...]]:
    """The working copy without the actors and topics added in it that no record refers to any
    more (a new actor whose only record was removed, or edited to name another actor), and
    those taken out, as (section, record). A new actor that was only another new actor's
    parent goes when that one goes."""
    dropped: list[tuple[str, Record]] = []
    while True:
        used = _referenced(working.dataset)
        unused = [
            (section, number, record)
            for section in ("actors", "topics")
            for number, record in working.records(section)
            if working.slots[section][number].origin is None and record.id not in used[section]
        ]
        if not unused:
            return working, tuple(dropped)
        for section, number, record in unused:
            working = revert(working, section, number)  # an added record taken back
            dropped.append((section, record))


def _referenced(dataset: Dataset) -> dict[str, set[str]]:
    """The actor and topic ids some record of the dataset refers to."""
    used: dict[str, set[str]] = {"actors": set(), "topics": set()}
    for section, fields in REFERENCES.items():
        targets = {name: target for name, target in fields.items() if target in used}
        for record in getattr(dataset, section):
            for name, target in targets.items():
                value = getattr(record, name, None)
                used[target].update(value if isinstance(value, list) else [value])
    return used


def dropped_text(dropped: tuple[tuple[str, Record], ...], *, ahead: bool = False) -> str:
    """What `drop_unused` took out, for the curator ("" when nothing); with `ahead`, what it
    will take out, said before a removal."""
    if not dropped:
        return ""
    names = [f"the new {NOUN[section]} {record.name}" for section, record in dropped]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    listed = listed[:1].upper() + listed[1:]
    one = len(names) == 1
    if ahead:
        return f"{listed}, which no other record uses, {'goes' if one else 'go'} with it."
    return f"{listed}, which no record uses any more, {'was' if one else 'were'} taken out too."


def _existing(working: WorkingCopy, section: str, slot: int) -> Slot:
    slots = working.slots[section]
    if not 0 <= slot < len(slots) or slots[slot].record is None:
        raise KeyError(f"no record in slot {slot} of {section}")
    return slots[slot]


def _check_section(section: str, record: Record) -> None:
    if not isinstance(record, EDITABLE[section]):
        raise TypeError(f"a {type(record).__name__} does not belong in {section}")
