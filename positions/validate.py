"""Rules that need the whole dataset: unique ids, references between sections, parent cycles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from positions.errors import did_you_mean
from positions.model import ID_SECTIONS

Finding = tuple[tuple[str | int, ...], str, str | None]

# Which field of which section refers to which section's ids.
REFERENCES: dict[str, dict[str, str]] = {
    "actors": {"parent": "actors"},
    "positions": {"actor": "actors", "topic": "topics", "source": "sources", "event": "events"},
    "sanctions": {
        "source": "sources",
        "parent": "sanctions",
        "imposed_by": "actors",
        "topics": "topics",
        "against": "topics",
    },
    "events": {"source": "sources", "actors": "actors", "topics": "topics"},
    "prospects": {"source": "sources", "outcome_source": "sources"},
}


def cross_check(document: dict[str, Any]) -> list[Finding]:
    """Every problem that no single record shows on its own, as (path, message, hint).

    Works on the plain document, not the model, so that these problems are reported together
    with the model's own even when some records do not validate; malformed records are skipped
    here (the model reports them).
    """
    dataset = _Sections(document)
    findings: list[Finding] = []
    ids = {section: _ids(dataset, section) for section in ID_SECTIONS}
    findings += _duplicate_ids(dataset)
    findings += _duplicate_names(dataset)
    findings += _dangling_references(dataset, ids)
    findings += _dataset_references(dataset, ids)
    findings += _cycles(dataset, "actors")
    findings += _cycles(dataset, "sanctions")
    findings += _position_rules(dataset)
    return findings


# Fields that hold a list of ids; every other field read here holds one text value.
LIST_FIELDS = {"actors", "topics", "aliases", "against"}


class _Record:
    """Attribute access to a record's fields, reading a value of the wrong shape as missing
    (the model reports the shape): a list where text belongs is None, text where a list belongs
    is an empty list."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        value = self._fields.get(name)
        if name in LIST_FIELDS:
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        return value if isinstance(value, str) else None


class _Sections:
    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document

    def __getattr__(self, section: str) -> Any:
        value = self._document.get(section)
        if section == "dataset":
            return _Record(value if isinstance(value, dict) else {})
        if not isinstance(value, list):
            return []
        return [_Record(r) if isinstance(r, dict) else _Record({}) for r in value]


def _ids(dataset: Any, section: str) -> set[str]:
    return {r.id for r in getattr(dataset, section) if isinstance(r.id, str)}


def _duplicate_ids(dataset: Any) -> Iterator[Finding]:
    for section in ID_SECTIONS:
        first: dict[str, int] = {}
        for i, record in enumerate(getattr(dataset, section)):
            if not isinstance(record.id, str):
                continue
            if record.id in first:
                yield (
                    (section, i, "id"),
                    f"duplicate id '{record.id}' (also {section}[{first[record.id]}])",
                    "ids must be unique within their section",
                )
            else:
                first[record.id] = i


def _duplicate_names(dataset: Any) -> Iterator[Finding]:
    # Charts label rows and columns by name: two actors with one name would share a row.
    for section in ("actors", "topics"):
        first: dict[str, int] = {}
        for i, record in enumerate(getattr(dataset, section)):
            if not isinstance(record.name, str):
                continue
            key = record.name.strip().casefold()
            if key in first:
                yield (
                    (section, i, "name"),
                    f"the name '{record.name}' is already used by {section}[{first[key]}]",
                    "names label the charts' rows and columns, so they must differ",
                )
            else:
                first[key] = i


def _dangling_references(dataset: Any, ids: dict[str, set[str]]) -> Iterator[Finding]:
    for section, fields in REFERENCES.items():
        for i, record in enumerate(getattr(dataset, section)):
            for field, target in fields.items():
                value: Any = getattr(record, field)
                values = value if isinstance(value, list) else [value]
                for j, ref in enumerate(values):
                    if not isinstance(ref, str) or ref in ids[target]:
                        continue
                    path = (
                        (section, i, field, j) if isinstance(value, list) else (section, i, field)
                    )
                    kind = target.rstrip("s").replace("sanction", "sanction record")
                    yield path, f"unknown {kind} '{ref}'", did_you_mean(ref, ids[target])


def _dataset_references(dataset: Any, ids: dict[str, set[str]]) -> Iterator[Finding]:
    info = dataset.dataset
    for field, target in (("article_source", "sources"), ("meeting_event", "events")):
        ref = getattr(info, field)
        if ref is not None and ref not in ids[target]:
            yield (
                ("dataset", field),
                f"unknown {target.rstrip('s')} '{ref}'",
                did_you_mean(ref, ids[target]),
            )


def _cycles(dataset: Any, section: str) -> Iterator[Finding]:
    records = [(i, r) for i, r in enumerate(getattr(dataset, section)) if isinstance(r.id, str)]
    parent = {r.id: r.parent for _, r in records}
    index = {r.id: i for i, r in records}
    reported: set[str] = set()
    for start in parent:
        chain = [start]
        node = parent.get(start)
        while node is not None and node in parent and node not in chain:
            chain.append(node)
            node = parent[node]
        if node is None or node not in chain:
            continue
        loop = chain[chain.index(node) :]
        if reported.intersection(loop):
            continue
        reported.update(loop)
        first = min(loop, key=index.__getitem__)
        ring = loop[loop.index(first) :] + loop[: loop.index(first)] + [first]
        yield (
            (section, index[first], "parent"),
            "circular parent chain: " + " -> ".join(ring),
            "a record cannot be its own ancestor: remove one parent",
        )


def _position_rules(dataset: Any) -> Iterator[Finding]:
    seen: dict[tuple[Any, ...], int] = {}
    for i, position in enumerate(dataset.positions):
        if position.stance == "not_raised" and position.event is None:
            yield (
                ("positions", i, "event"),
                "a not_raised stance needs the event at which it was not raised",
                "add event: <event id>",
            )
        if position.confidence == "inferred" and not position.note:
            yield (
                ("positions", i, "note"),
                "an inferred stance needs a note saying why it is inferred",
                None,
            )
        occasion = (position.actor, position.topic, position.source, position.event, position.date)
        if occasion in seen:
            yield (
                ("positions", i),
                f"a second record for {position.actor} on {position.topic} from "
                f"{position.source} on the same occasion (first: positions[{seen[occasion]}])",
                "keep one record per actor, topic, source and occasion",
            )
        else:
            seen[occasion] = i
