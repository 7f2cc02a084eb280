"""The dataset's types: what a valid `positions.yaml` holds.

Field-level rules (types, vocabularies, slugs, dates, non-empty quotes) live here; rules that
need the whole file (unique ids, references between sections, parent cycles) live in
`positions.validate`. Every field is documented in docs/codebook.md; a test keeps them in step.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]


def _check_quote(value: str) -> str:
    if len(value.split()) < 3:
        raise ValueError("quote is too short to carry a claim: quote at least three words")
    return value


Quote = Annotated[LongText, AfterValidator(_check_quote)]

_PARTIAL = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$")


def _partial_date(value: object) -> object:
    # A source that gives only a month or a year is recorded as that, never as an invented day.
    if isinstance(value, dt.datetime):
        raise ValueError("date must be a date, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    if isinstance(value, str):
        text = value.strip()
        if _PARTIAL.match(text):
            return text
        try:
            return dt.date.fromisoformat(text) if len(text) == 10 else _bad_date()
        except ValueError:
            pass
    return _bad_date()


def _bad_date() -> object:
    # A type of its own, so that the loader's message can name the partial forms.
    raise PydanticCustomError("date_partial", "not a valid date: YYYY-MM-DD, YYYY-MM or YYYY")


# A full date, or a month (`2021-06`) or year (`2021`) when that is all the source gives.
PartialDate = Annotated[
    dt.date | str,
    BeforeValidator(_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "YYYY-MM-DD, or YYYY-MM / YYYY when the source gives no day",
        }
    ),
]


class Stance(StrEnum):
    support = "support"
    lean_support = "lean_support"
    mixed = "mixed"
    lean_oppose = "lean_oppose"
    oppose = "oppose"
    not_raised = "not_raised"


# The five-point scale as numbers; not_raised is a finding of its own, not a point on the scale.
STANCE_SCORE: dict[str, int] = {
    "support": 2,
    "lean_support": 1,
    "mixed": 0,
    "lean_oppose": -1,
    "oppose": -2,
}

STANCE_LABEL: dict[str, str] = {
    "support": "Support",
    "lean_support": "Lean support",
    "mixed": "Mixed",
    "lean_oppose": "Lean oppose",
    "oppose": "Oppose",
    "not_raised": "Not raised",
}


STANCE_MEANING: dict[str, str] = {
    "support": "The words back it, act on it or praise it.",
    "lean_support": "A softer signal of backing: the words only signal, hedge or report a view.",
    "mixed": "Both backing and rejection, or backing on a condition.",
    "lean_oppose": "A softer signal of rejection: concern, or a hedged or reported reservation.",
    "oppose": "The words reject it, act against it or criticise it.",
    "not_raised": "The source says the actor did not raise or address it at a named event.",
}


class Confidence(StrEnum):
    stated = "stated"
    inferred = "inferred"


class SanctionStatus(StrEnum):
    imposed = "imposed"
    waived = "waived"
    considered = "considered"
    lifted = "lifted"


class EventStatus(StrEnum):
    occurred = "occurred"
    planned = "planned"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


class ProspectStatus(StrEnum):
    borne_out = "borne_out"
    partly = "partly"
    not_borne_out = "not_borne_out"
    # A conditional claim whose condition never arose: neither borne out nor refuted.
    condition_unmet = "condition_unmet"
    open = "open"


class Record(BaseModel):
    """Strict records: an unknown field is an error (it is usually a typo), never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def slug_of(text: str) -> str:
    """A slug made from a title: lowercase letters and digits, single hyphens, at most 80."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-") or "dataset"


class DatasetInfo(Record):
    # Optional, as the published contract had no `id`: a dataset without one gets a slug of its
    # title, so that older files keep working.
    id: Slug = ""
    title: Text
    subtitle: Text | None = None
    description: LongText
    as_of: dt.date
    as_of_note: LongText | None = None
    method: LongText | None = None
    article_source: Slug | None = None
    meeting_event: Slug | None = None
    curated_by: Text | None = None
    license: Text | None = None
    version: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _id_from_title(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("id") is None and isinstance(data.get("title"), str):
            return {**data, "id": slug_of(data["title"])}
        return data


class Source(Record):
    id: Slug
    title: Text
    author: Text | None = None
    publisher: Text | None = None
    series: Text | None = None
    date: dt.date | None = None
    date_note: Text | None = None
    url: Text | None = None
    site: Text | None = None
    kind: Text | None = None
    language: Text | None = None
    note: LongText | None = None
    # The source's own text, a UTF-8 file beside the dataset: quotes are checked against it and
    # shown in their context.
    text_file: Text | None = None

    @field_validator("text_file")
    @classmethod
    def _text_file_is_relative(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if "://" in value or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
            raise ValueError("text_file must be a path relative to the dataset file, not a URL")
        if ".." in re.split(r"[/\\]", value):
            raise ValueError("text_file must stay inside the dataset's folder (no '..')")
        return value

    @field_validator("url")
    @classmethod
    def _url_is_web_address(cls, value: str | None) -> str | None:
        # Only web addresses: a `javascript:` or `data:` link must never reach a reader's browser.
        if value is not None and not value.lower().startswith(("https://", "http://")):
            raise ValueError("url must start with https:// or http://")
        return value


class Actor(Record):
    id: Slug
    name: Text
    kind: Slug
    parent: Slug | None = None
    aliases: list[Text] = Field(default_factory=list)
    description: Text | None = None


class Topic(Record):
    id: Slug
    name: Text
    group: Text | None = None
    description: LongText | None = None


class Position(Record):
    id: Slug | None = None
    actor: Slug
    topic: Slug
    stance: Stance
    source: Slug
    quote: Quote
    translation: LongText | None = None
    date: PartialDate | None = None
    event: Slug | None = None
    confidence: Confidence = Confidence.stated
    note: LongText | None = None


class Sanction(Record):
    id: Slug
    target: Text
    target_kind: Slug
    status: SanctionStatus
    source: Slug
    quote: Quote
    instrument: Text | None = None
    date: dt.date | None = None
    parent: Slug | None = None
    count: Annotated[int, Field(ge=1)] | None = None
    imposed_by: Slug | None = None
    topics: list[Slug] = Field(default_factory=list)
    against: list[Slug] = Field(default_factory=list)
    note: LongText | None = None


class Event(Record):
    id: Slug
    date: dt.date
    title: Text
    kind: Slug
    status: EventStatus
    actors: list[Slug]
    source: Slug
    quote: Quote | None = None
    place: Text | None = None
    topics: list[Slug] = Field(default_factory=list)
    date_precision: DatePrecision = DatePrecision.day
    description: LongText | None = None
    explanation: Quote | None = None


class Prospect(Record):
    id: Slug
    claim: LongText
    quote: Quote
    source: Slug
    status: ProspectStatus
    outcome: LongText
    outcome_source: Slug
    outcome_date: dt.date | None = None
    note: LongText | None = None


class Dataset(Record):
    dataset: DatasetInfo
    sources: list[Source]
    actors: list[Actor]
    topics: list[Topic]
    positions: list[Position]
    sanctions: list[Sanction] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    prospects: list[Prospect] = Field(default_factory=list)


def section_models() -> dict[str, type[Record]]:
    """Each section of a dataset file and the model of its records (of the mapping, for
    `dataset`), in the order of `Dataset`: what coverage tests take their sections from."""
    models: dict[str, type[Record]] = {}
    for name, info in Dataset.model_fields.items():
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        models[name] = args[0] if args else annotation  # list[Source] -> Source
    return models


# The sections whose records carry an `id` that other records may refer to.
ID_SECTIONS = ("sources", "actors", "topics", "positions", "sanctions", "events", "prospects")
