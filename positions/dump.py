"""A dataset, or one record, written back as YAML that loads to the same values.

Used wherever the project writes a dataset it did not read as text: the converter (workbook to
YAML), the curate page's downloads and saves. Fields come in the model's order; a field left at
its default (nothing, an empty list, `confidence: stated`) is left out, as a curator would;
dates are plain YAML dates, a month or a year stays text (`2021-06`, `"2021"`); long text is
kept on one line, so that a quote reads as it was copied and diffs stay one line a field.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import yaml

from positions.model import Dataset, Record

# A dataset is written in its sections' order, each introduced by a blank line.
_HEADER = "# yaml-language-server: $schema={schema}\n"


class _Dumper(yaml.SafeDumper):
    """Block style, no anchors, no line folding; multi-line text as a literal block."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def record_data(record: Record) -> dict[str, Any]:
    """A record's fields as plain YAML values, in the model's order, defaults left out."""
    data: dict[str, Any] = {}
    for name, field in type(record).model_fields.items():
        value = getattr(record, name)
        if value is None:
            continue
        if not field.is_required() and value == field.get_default(call_default_factory=True):
            continue
        data[name] = _plain(value)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | str | int | float | bool):
        return value
    raise TypeError(f"cannot write a {type(value).__name__} as YAML")  # pragma: no cover


def record_yaml(record: Record, indent: int = 0) -> str:
    """One record as a YAML list item (`- field: …`), indented by `indent` spaces."""
    body = _dump([record_data(record)])
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in body.splitlines(True))


def dataset_yaml(dataset: Dataset, schema: str | None = None) -> str:
    """The whole dataset as YAML; with `schema`, a first line pointing editors to it."""
    parts = [_HEADER.format(schema=schema)] if schema else []
    parts.append(_dump({"dataset": record_data(dataset.dataset)}))
    for section in list(Dataset.model_fields)[1:]:
        records = getattr(dataset, section)
        parts.append("\n")
        if records:
            parts.append(f"{section}:\n")
            parts.extend(record_yaml(record, indent=2) for record in records)
        else:
            parts.append(f"{section}: []\n")
    return "".join(parts)


def _dump(value: Any) -> str:
    return yaml.dump(
        value,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=float("inf"),
        indent=2,
    )
