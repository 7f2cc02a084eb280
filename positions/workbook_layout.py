"""How a dataset is laid out in an Excel workbook, shared by the writer and the reader.

One sheet per section, named as the section, in the model's order. A record sheet has the
fields as headers in row 1 (every field of the model, in its order) and one record a row; the
`dataset` sheet has two columns, `field` and `value`, and one row a field. A list (an actor's
aliases, a sanction's topics) is one cell, its items separated by a semicolon.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Sequence
from enum import Enum
from typing import Any, Literal

from openpyxl.utils import get_column_letter

from positions.model import Dataset, Record, section_models
from positions.skeleton import KIND_EXAMPLES, SKELETON
from positions.validate import REFERENCES

SHEETS: tuple[str, ...] = tuple(Dataset.model_fields)
REQUIRED_SHEETS: tuple[str, ...] = tuple(
    name for name, info in Dataset.model_fields.items() if info.is_required()
)
SECTION_MODELS: dict[str, type[Record]] = section_models()
INFO_SHEET = "dataset"
INFO_HEADERS = ("field", "value")

# Items of a list are split at a semicolon, spaces around them ignored; they are written "; "
# apart. A semicolon, unlike a comma, is rare inside a name or an alias.
LIST_SEPARATOR = ";"
LIST_JOIN = "; "

# OOXML writes a character XML cannot hold as `_xHHHH_` (a carriage return too, which XML would
# turn into a line feed), and text that looks like such an escape with `_x005F_` (an escaped
# underscore) in front. Only these escapes are undone when reading: openpyxl already undoes
# `_x005F_` in the shared strings Excel and LibreOffice write, so decoding every `_xHHHH_` would
# turn a curator's literal `_x0041_` into "A".
ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f]|005[Ff]|[Ff]{3}[EeFf])_")
# Every underscore that starts such a sequence, overlapping ones too (`_x005F_x0007_`).
_STARTS_ESCAPE = re.compile(r"_(?=x(?:00[01][0-9A-Fa-f]|005[Ff]|[Ff]{3}[EeFf])_)")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")


def escape_text(text: str) -> str:
    """Text as a cell of the file stores it (see `ESCAPE`)."""
    text = _STARTS_ESCAPE.sub("_x005F_", text)
    return NOT_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def unescape_text(text: str) -> str:
    """Cell text as it was written, the escapes of `escape_text` undone."""
    if "_x" not in text:
        return text
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


TEXT_FORMAT = "@"  # Excel's Text format: what is typed in stays text (2021, 1.0, =x, 2021-06)
DATE_FORMAT = "yyyy-mm-dd"

FieldKind = Literal["list", "date", "partial_date", "int", "text"]


def _leaves(annotation: Any) -> list[Any]:
    """The plain types an annotation is made of (Annotated and unions unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _leaves(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(annotation) for leaf in _leaves(arg)]
    return [annotation]


def field_kind(section: str, field: str) -> FieldKind:
    """What a field holds, as far as a cell is concerned."""
    leaves = _leaves(SECTION_MODELS[section].model_fields[field].annotation)
    if any(typing.get_origin(leaf) is list for leaf in leaves):
        return "list"
    if dt.date in leaves:
        return "partial_date" if str in leaves else "date"
    if int in leaves:
        return "int"
    return "text"


def fields(section: str) -> list[str]:
    """The section's fields in the model's order: a record sheet's headers."""
    return list(SECTION_MODELS[section].model_fields)


def required(section: str, field: str) -> bool:
    return SECTION_MODELS[section].model_fields[field].is_required()


def allowed_values(section: str, field: str) -> tuple[str, ...]:
    """The values a field of a fixed vocabulary takes (its enum's, exactly as they are typed), or
    () for a field without one."""
    for leaf in _leaves(SECTION_MODELS[section].model_fields[field].annotation):
        if isinstance(leaf, type) and issubclass(leaf, Enum):
            return tuple(str(member.value) for member in leaf)
    return ()


def or_list(values: Sequence[str]) -> str:
    """`a, b or c`: values as a sentence names them, each exactly as it is typed."""
    if len(values) < 2:
        return "".join(values)
    return f"{', '.join(values[:-1])} or {values[-1]}"


def reference_target(section: str, field: str) -> str | None:
    """The sheet whose ids a one-id field refers to (a position's actor: actors), else None. A
    list of ids (an event's actors) has no single id to pick, so it has none."""
    if section == INFO_SHEET:
        return {"article_source": "sources", "meeting_event": "events"}.get(field)
    if field_kind(section, field) == "list":
        return None
    return REFERENCES.get(section, {}).get(field)


def ids_name(section: str) -> str:
    """The workbook's name for a sheet's column of ids (`actor_ids`), which drop-down lists of
    references take their ids from."""
    return section.removesuffix("s") + "_ids"


# Below the last record, this many empty rows get the drop-down lists too (and the lists of ids
# reach as far), so that records typed in below have them.
ROWS_BELOW = 2000


# Every value of every vocabulary: a sentence starting with one is not capitalised, since a
# curator types what a comment shows ("Support" is not a stance).
_CODE_VALUES = frozenset(
    value
    for section, model in SECTION_MODELS.items()
    for field in model.model_fields
    for value in allowed_values(section, field)
)


def _skeleton_explanations() -> dict[str, dict[str, str]]:
    """The one-line explanation the YAML skeleton gives each field, section by section."""
    explanations: dict[str, dict[str, str]] = {}
    section = ""
    for line in SKELETON.splitlines():
        heading = re.match(r"^([a-z_]+):", line)
        if heading:
            section = heading.group(1)
            continue
        field = re.match(r"^\s+(?:- )?(?:# )?([a-z_]+): .*?  # (.+)$", line)
        if field and section:
            explanations.setdefault(section, {}).setdefault(field.group(1), field.group(2))
    return explanations


_EXPLANATIONS = _skeleton_explanations()
_ID = "a slug (a-z, 0-9, single hyphens), unique in this sheet; other sheets refer to it"


def explanation(section: str, field: str) -> str:
    """What a field is, in one line (from the skeleton's comments)."""
    return _EXPLANATIONS.get(section, {}).get(field) or (_ID if field == "id" else field)


def _sentence(text: str) -> str:
    """`text` as a sentence: a capital first letter (unless it starts with a value to be typed
    as it is) and a full stop."""
    first = re.match(r"[A-Za-z_]+", text)
    if not (first and first.group() in _CODE_VALUES):
        text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def values_note(values: Sequence[str]) -> str:
    """The line of a header's comment that lists a vocabulary's values."""
    return f"One of: {or_list(values)} (typed exactly as written, or picked from the cell's list)."


def header_note(section: str, field: str) -> str:
    """The comment on a field's header: required or optional, what it is, how to write it."""
    lines = [f"{field}: {'required' if required(section, field) else 'optional'}."]
    text = explanation(section, field)
    values = allowed_values(section, field)
    if values:
        # The skeleton's comment starts with the values (a test keeps them the model's); the
        # line below names them from the model, and the rest of the comment follows.
        lines.append(values_note(values))
        listed = or_list(values)
        text = text[len(listed) :].lstrip(";, ") if text.startswith(listed) else text
    examples = KIND_EXAMPLES.get((section, field))
    if examples:  # the skeleton's examples, on a line of their own
        text = text.split("; e.g. ")[0]
    if text:
        lines.append(_sentence(text))
    if examples:
        lines.append(f"Examples from docs/codebook.md: {', '.join(examples)}.")
    target = reference_target(section, field)
    if target:
        lines.append(f"The cell's list offers the ids of the {target} sheet.")
    kind = field_kind(section, field)
    if kind == "list":
        lines.append(f"A list: separate the items with '{LIST_SEPARATOR}', e.g. a{LIST_JOIN}b.")
    elif kind == "date":
        lines.append("A date, YYYY-MM-DD.")
    elif kind == "partial_date":
        lines.append("A date, YYYY-MM-DD; or a month (2021-06) or year (2021) as text.")
    return "\n".join(lines)


_PLAIN_SHEET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def sheet_ref(sheet: str) -> str:
    """A sheet's name as a formula writes it: quoted when it holds spaces or punctuation."""
    if _PLAIN_SHEET_NAME.match(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def cell_name(sheet: str, row: int, column: int) -> str:
    """`positions!C12`: what Excel's Name Box takes to go to the cell."""
    return f"{sheet_ref(sheet)}!{get_column_letter(column)}{row}"
