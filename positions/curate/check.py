"""A record as the curator makes it, checked as it is made: the model's own rules, the rules
across sections (`positions.validate.cross_check`) and the quote against the source's text,
each problem tied to the form field it concerns and put in plain words.

A record that does not pass is never added: `commit` takes only a clean check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from positions.curate.working import (
    WorkingCopy,
    add_record,
    replace_record,
    revert,
)
from positions.load import _clean_loc, _explain
from positions.model import Actor, Position, Topic, slug_of
from positions.texts import SourceText, quote_problem
from positions.validate import cross_check

# What the form asks for before a record can be checked in full, in the order it asks.
REQUIRED = ("quote", "actor", "topic", "stance")
MISSING_LABEL = {
    "quote": "the quote",
    "actor": "an actor",
    "topic": "a topic",
    "stance": "a stance",
    "new_actor.name": "the new actor's name",
    "new_actor.kind": "the new actor's kind",
    "new_topic.name": "the new topic's name",
}


@dataclass(frozen=True)
class NewActor:
    """An actor the curator creates along with the record (its id made from the name if blank)."""

    id: str = ""
    name: str = ""
    kind: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class NewTopic:
    """A topic the curator creates along with the record (its id made from the name if blank)."""

    id: str = ""
    name: str = ""
    group: str = ""


@dataclass(frozen=True)
class PositionForm:
    """A position as the form holds it: text as typed, ids as picked, blanks for nothing."""

    source: str | None = None
    quote: str = ""
    actor: str | None = None  # ignored when new_actor is given
    topic: str | None = None  # ignored when new_topic is given
    stance: str | None = None
    confidence: str = "stated"
    note: str = ""
    date: str = ""
    event: str | None = None
    translation: str = ""
    id: str = ""  # blank: kept when editing, made from actor and topic when adding
    new_actor: NewActor | None = None
    new_topic: NewTopic | None = None
    replaces: int | None = None  # the slot of the position being edited


@dataclass(frozen=True)
class FieldProblem:
    """Something wrong with one field of the form ('' for the record as a whole)."""

    field: str  # "quote", "actor", "new_actor.id", "new_topic.name", …
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class Checked:
    """The result of checking a form: what is still missing, what is wrong, and the records it
    makes when nothing is."""

    form: PositionForm
    missing: tuple[str, ...] = ()  # required fields left blank (see MISSING_LABEL)
    problems: tuple[FieldProblem, ...] = ()
    position: Position | None = None
    actor: Actor | None = None  # the new actor, when the form creates one
    topic: Topic | None = None  # the new topic, when the form creates one
    quote_span: tuple[int, int] | None = None  # where the quote stands in the source's text
    notes: tuple[str, ...] = field(default=())  # what the check did for the curator

    @property
    def ok(self) -> bool:
        return not self.missing and not self.problems and self.position is not None

    def on(self, name: str) -> list[FieldProblem]:
        """The problems of one field."""
        return [p for p in self.problems if p.field == name]


def check_position(
    working: WorkingCopy, form: PositionForm, texts: dict[str, SourceText]
) -> Checked:
    """Check a form against the working copy as if its record were added (or, with
    `form.replaces`, put in place of the record it edits), with its new actor and topic."""
    missing: list[str] = []
    problems: list[FieldProblem] = []
    notes: list[str] = []
    dataset = working.dataset

    actor_record, actor_id = _new_record(
        Actor, "new_actor", form.new_actor, missing, problems, notes
    )
    topic_record, topic_id = _new_record(
        Topic, "new_topic", form.new_topic, missing, problems, notes
    )
    actor = actor_id if form.new_actor is not None else form.actor
    topic = topic_id if form.new_topic is not None else form.topic
    quote = form.quote.strip()
    for name, value in (("quote", quote), ("actor", actor), ("topic", topic)):
        if not value and not (name != "quote" and getattr(form, f"new_{name}") is not None):
            missing.append(name)
    if not form.stance:
        missing.append("stance")

    editing = working.record("positions", form.replaces) if form.replaces is not None else None
    record_id = form.id.strip() or None
    if record_id is None and editing is not None:
        record_id = editing.id
    elif record_id is None and actor and topic:
        taken = {p.id for p in dataset.positions if p is not editing}
        record_id = unique_id(f"{actor}-{topic}", taken)
    candidate = _plain(
        {
            "id": record_id,
            "actor": actor,
            "topic": topic,
            "stance": form.stance,
            "source": form.source,
            "quote": quote,
            "translation": form.translation.strip(),
            "date": form.date.strip(),
            "event": form.event,
            "confidence": form.confidence,
            "note": form.note.strip(),
        }
    )
    position = _validated(Position, candidate, "", problems)
    # A new actor's or topic's bad id is told at its own field, not again at the record's.
    for name, record in (("actor", actor_record), ("topic", topic_record)):
        if getattr(form, f"new_{name}") is not None and record is None:
            problems = [p for p in problems if p.field != name]

    span = None
    text = texts.get(form.source or "")
    if quote and text is not None:
        span = text.find(quote)
        found = quote_problem(text, quote)
        if found is not None:
            problems.append(FieldProblem("quote", *found))

    document = dict(working.document)
    index = _index(working, form.replaces)
    positions = list(document["positions"])
    if index is None:
        index = len(positions)
        positions.append(candidate)
    else:
        positions[index] = candidate
    document["positions"] = positions
    new_index = {}
    for section, record in (("actors", form.new_actor), ("topics", form.new_topic)):
        if record is not None:
            plain = _plain({k: v for k, v in vars(record).items()})
            plain["id"] = actor_id if section == "actors" else topic_id
            new_index[section] = len(document[section])
            document[section] = [*document[section], plain]
    for path, message, hint in cross_check(document):
        problems.append(_plain_words(path, message, hint, document, index, new_index))

    # A field already refused by the model is not refused again for the same reason.
    problems = list(dict.fromkeys(problems))
    return Checked(
        form=form,
        missing=tuple(m for m in missing if not any(p.field == m for p in problems)),
        problems=tuple(problems),
        position=position if not missing and not problems else None,
        actor=actor_record if form.new_actor is not None else None,
        topic=topic_record if form.new_topic is not None else None,
        quote_span=span,
        notes=tuple(notes),
    )


def commit(working: WorkingCopy, checked: Checked) -> tuple[WorkingCopy, int]:
    """The working copy with a checked record added (or put in place of the one it edits), its
    new actor and topic first; and the record's slot. Refuses a record that did not pass."""
    if not checked.ok or checked.position is None:
        raise ValueError("only a record that passed its check can be added")
    for section, record in (("actors", checked.actor), ("topics", checked.topic)):
        if record is not None:
            working, _ = add_record(working, section, record)
    slot = checked.form.replaces
    if slot is None:
        return add_record(working, "positions", checked.position)
    return replace_record(working, "positions", slot, checked.position), slot


def undo(working: WorkingCopy, section: str, slot: int) -> tuple[WorkingCopy, list[str]]:
    """The working copy with one change undone, or the same copy and why it cannot be: undoing
    the addition of an actor that an added record uses would leave that record dangling."""
    reverted = revert(working, section, slot)
    findings = cross_check(reverted.document)
    if not findings:
        return reverted, []
    reasons = []
    for path, message, _ in findings:
        record = _record_at(reverted.document, path)
        reasons.append(f"{_describe(path, record)}: {message}")
    return working, reasons


def unique_id(wanted: str, taken: Iterable[str | None]) -> str:
    """A slug like `wanted` that no id in `taken` has: `wanted`, else `wanted-2`, `wanted-3`…"""
    base = slug_of(wanted)[:76].rstrip("-")
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def _new_record(
    model: type[BaseModel],
    prefix: str,
    record: NewActor | NewTopic | None,
    missing: list[str],
    problems: list[FieldProblem],
    notes: list[str],
) -> tuple[Any, str | None]:
    """The new actor or topic as a model (None when it fails), and its id."""
    if record is None:
        return None, None
    fields = _plain({k: v for k, v in vars(record).items()})
    for name in ("name", "kind") if model is Actor else ("name",):
        if name not in fields:
            missing.append(f"{prefix}.{name}")
    if "id" not in fields and "name" in fields:
        fields["id"] = slug_of(fields["name"])
        notes.append(
            f"The new {prefix.removeprefix('new_')}'s id is made from its name: {fields['id']}"
        )
    made = _validated(model, fields, prefix, problems)
    return made, fields.get("id")


def _validated(
    model: type[BaseModel],
    fields: dict[str, Any],
    prefix: str,
    problems: list[FieldProblem],
) -> Any:
    """The record as a model, or None; each problem the model finds goes to its field (missing
    fields are the form's business: it lists them apart)."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path = _clean_loc(error["loc"])
            if error["type"] == "missing":
                continue
            message, hint = _explain(error, path)
            name = str(path[0]) if path else ""
            problems.append(FieldProblem(f"{prefix}.{name}" if prefix else name, message, hint))
        return None


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields as a YAML file gives them: text stripped, blanks left out."""
    plain = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            plain[key] = value
    return plain


def _index(working: WorkingCopy, slot: int | None) -> int | None:
    """Where the record in a position slot stands in the working copy's list of positions."""
    if slot is None:
        return None
    for index, (number, _) in enumerate(working.records("positions")):
        if number == slot:
            return index
    raise KeyError(f"no position in slot {slot}")


_FIELD_OF = {"actors": "new_actor", "topics": "new_topic"}


def _plain_words(
    path: tuple[str | int, ...],
    message: str,
    hint: str | None,
    document: dict[str, Any],
    index: int,
    new_index: dict[str, int],
) -> FieldProblem:
    """A finding of `cross_check` as the form shows it: on its field, without codes or indexes."""
    section = path[0] if path else ""
    name = str(path[2]) if len(path) > 2 else ""
    names = _names(document)
    if section == "positions" and path[1] == index:
        if name == "event" and "not_raised" in message:
            return FieldProblem(
                "event",
                "“Not raised” needs the event at which the actor did not raise it.",
                "Choose the event.",
            )
        if name == "note" and "inferred" in message:
            return FieldProblem(
                "note",
                "A stance that is not said outright (inferred) needs a note saying why it "
                "follows from the source.",
            )
        if name == "id" and message.startswith("duplicate id"):
            return FieldProblem(
                "id",
                f"The id '{document['positions'][index].get('id')}' is taken by another position.",
                "Choose another, or leave it blank to have one made.",
            )
    if section == "positions" and message.startswith("a second record for"):
        return _second_record(document, index, names)
    if section in new_index and path[1] == new_index[section]:
        prefix = _FIELD_OF[section]
        record = document[section][new_index[section]]
        noun = "actor" if section == "actors" else "topic"
        if name == "id" and message.startswith("duplicate id"):
            other = names[section].get(record.get("id"), "")
            return FieldProblem(
                f"{prefix}.id",
                f"The id '{record.get('id')}' is taken by the {noun} {other}.",
                f"Pick that {noun} from the list, or give this one another id.",
            )
        if name == "name" and "already used" in message:
            return FieldProblem(
                f"{prefix}.name",
                f"{record.get('name')} is already the name of a{'n' * (noun == 'actor')} {noun}.",
                f"Pick that {noun} from the list, or name this one apart: names label the "
                "charts' rows and columns.",
            )
        return FieldProblem(f"{prefix}.{name}", message, hint)
    if section == "positions" and path[1] == index:
        return FieldProblem(name, message, hint)
    return FieldProblem("", message, hint)


def _second_record(document: dict[str, Any], index: int, names: dict[str, dict]) -> FieldProblem:
    positions = document["positions"]
    record = positions[index]
    keys = ("actor", "topic", "source", "event", "date")
    occasion = tuple(record.get(k) for k in keys)
    other = next(
        (
            p
            for i, p in enumerate(positions)
            if i != index and tuple(p.get(k) for k in keys) == occasion
        ),
        {},
    )
    what = f"record {other['id']}, " if other.get("id") else ""
    return FieldProblem(
        "",
        f"{names['actors'].get(record.get('actor'), record.get('actor'))} already has a record on "
        f"\u201c{names['topics'].get(record.get('topic'), record.get('topic'))}\u201d from "
        f"\u201c{names['sources'].get(record.get('source'), record.get('source'))}\u201d on the "
        f"same occasion ({what}\u201c{other.get('quote', '')}\u201d).",
        "Keep one record per actor, topic, source and occasion: edit that record instead, or "
        "give this one the date or event that makes it another occasion.",
    )


def _names(document: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        "actors": {a.get("id"): a.get("name") for a in document["actors"]},
        "topics": {t.get("id"): t.get("name") for t in document["topics"]},
        "sources": {s.get("id"): s.get("title") for s in document["sources"]},
    }


def _record_at(document: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    if len(path) > 1 and isinstance(path[1], int):
        records = document.get(str(path[0])) or []
        if 0 <= path[1] < len(records):
            return records[path[1]]
    return {}


def _describe(path: tuple[str | int, ...], record: dict[str, Any]) -> str:
    noun = {"positions": "the position", "actors": "the actor", "topics": "the topic"}
    what = noun.get(str(path[0]), f"a record of {path[0]}") if path else "the dataset"
    if record.get("id"):
        return f"{what} {record['id']}"
    if path and path[0] == "positions":
        return f"{what} of {record.get('actor')} on {record.get('topic')}"
    return what
