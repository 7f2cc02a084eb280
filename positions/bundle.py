"""An evidence bundle: one ZIP with the records of a view, their verbatim quotes and full
citations, the codebook, and a README saying what the view was and which dataset it came from,
so that a finding can be handed on and checked.

The ZIP is byte-for-byte the same for the same inputs apart from the generation date in the
README: fixed member order, timestamps, permissions and compression.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import fields

import pandas as pd

from positions.cite import dataset_version
from positions.dates import date_text
from positions.export import positions_csv, positions_json
from positions.frames import FilteredFrames, Filters, Frames
from positions.labels import kind_label
from positions.model import STANCE_LABEL

__all__ = ["BUNDLE_FILES", "cited_sources", "dataset_version", "evidence_bundle", "sources_csv"]

# In the order they are written to the ZIP.
BUNDLE_FILES = ("README.md", "positions.csv", "positions.json", "sources.csv", "codebook.md")
# The earliest time a ZIP can record: every member gets it, so the bytes do not depend on when
# the bundle was made.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def source_table(sources: pd.DataFrame, counts: pd.Series) -> pd.DataFrame:
    """The sources for readers: citation, kind and date in words (blank when undated), and how
    many positions cite each."""
    return pd.DataFrame(
        {
            "citation": sources["citation"],
            "kind": sources["kind"].map(kind_label),
            "date": [date_text(d) if d is not None and d == d else "" for d in sources["date"]],
            "used": sources["id"].map(counts).fillna(0).astype(int),
        }
    )


def cited_sources(frames: Frames, positions: pd.DataFrame) -> pd.DataFrame:
    """The sources the positions cite, in the dataset's order, with their full citation and how
    many of the positions cite each."""
    counts = positions["source"].value_counts()
    cited = frames.sources[frames.sources["id"].isin(counts.index)].copy()
    cited["date"] = cited["date"].map(_iso_date)
    cited["positions"] = cited["id"].map(counts).astype(int)
    rest = [c for c in frames.sources.columns if c not in ("id", "citation")]
    return cited.reindex(columns=["id", "citation", *rest, "positions"]).reset_index(drop=True)


def sources_csv(frames: Frames, positions: pd.DataFrame) -> bytes:
    """The cited sources as UTF-8 CSV, one row per source."""
    return cited_sources(frames, positions).to_csv(index=False).encode("utf-8")


def evidence_bundle(
    frames: Frames,
    view: FilteredFrames,
    filters: Filters,
    dataset_bytes: bytes,
    dataset_version: str,
    codebook_text: str,
    query_string: str,
    *,
    generated_on: dt.date | None = None,
) -> bytes:
    """The ZIP of a view: README.md, positions.csv, positions.json, sources.csv, codebook.md.

    `dataset_bytes` is the dataset file as it is on disk (its SHA-256 goes into the README),
    `dataset_version` the short version shown for it (`dataset_version(dataset_bytes)`, the
    same content hash that pins shared links, from `positions.cite`), and
    `query_string` the view's address bar query (`actor=north&topic=waiver`), which reopens
    the same view. `generated_on` defaults to today's date (UTC).
    """
    positions = view.positions
    when = generated_on or dt.datetime.now(dt.UTC).date()
    readme = bundle_readme(
        frames, view, filters, dataset_bytes, dataset_version, query_string, when
    )
    members = {
        "README.md": readme.encode("utf-8"),
        "positions.csv": positions_csv(positions),
        "positions.json": positions_json(positions, filters),
        "sources.csv": sources_csv(frames, positions),
        "codebook.md": codebook_text.encode("utf-8"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name in BUNDLE_FILES:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below mean the same everywhere
            info.external_attr = 0o644 << 16
            bundle.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def bundle_readme(
    frames: Frames,
    view: FilteredFrames,
    filters: Filters,
    dataset_bytes: bytes,
    version: str,
    query_string: str,
    when: dt.date,
) -> str:
    """What the bundle holds: the dataset, the view (ids and names), counts and files."""
    info = frames.info
    positions = view.positions
    sources = cited_sources(frames, positions)
    total = len(frames.positions)
    query = query_string.lstrip("?")
    n_positions = _count(len(positions), "position")
    lines = [
        f"# Evidence bundle: {info.title}",
        "",
        f"Generated on {when.isoformat()} by the stakeholder-positions dashboard. It holds the "
        "records of one view of the dataset, each with the source's own words and the full "
        "citation of its source, so that every finding can be checked.",
        "",
        "## The dataset",
        "",
        f"- Title: {info.title}",
        f"- Id: `{info.id}`",
        f"- As of: {_iso_date(info.as_of)}",
        f"- Version: {version} (the first 12 hex digits of the SHA-256 of the dataset file)",
        f"- SHA-256 of the dataset file: {hashlib.sha256(dataset_bytes).hexdigest()}",
    ]
    if info.version:
        lines.append(f"- Version given by the dataset: {info.version}")
    lines += ["", "## The view", ""]
    lines += _describe_filters(frames, view, filters)
    lines.append(
        f"- Address bar query: `?{query}` (add it to the dashboard's address to reopen this view)"
        if query
        else "- Address bar query: none (the whole dataset)"
    )
    lines += [
        "",
        "## Counts",
        "",
        f"- Positions: {len(positions)} of the dataset's {total}",
        f"- Actors with a position: {positions['actor'].nunique()}",
        f"- Topics with a position: {positions['topic'].nunique()}",
        f"- Sources cited: {len(sources)}",
        f"- Inferred (not stated) positions: {int((positions['confidence'] == 'inferred').sum())}",
        "",
        "## Files",
        "",
        "| file | holds |",
        "|---|---|",
        f"| `positions.csv` | the {n_positions}, one per row, with the verbatim quote and the "
        "full citation of its source |",
        f"| `positions.json` | the same {n_positions} and the filters that made the view |",
        f"| `sources.csv` | the {_count(len(sources), 'source')} they cite, with full citations "
        "and how many positions cite each |",
        "| `codebook.md` | what every field, stance and confidence value means |",
        "| `README.md` | this file |",
        "",
        "## Checking a quote",
        "",
        "A quote is the shortest run of the source's own words that carries the claim, copied "
        "exactly. Find the position's `source` in `sources.csv` and look the words up in that "
        "source. A position whose `confidence` is `inferred` follows from its source without "
        "being said of that actor; its `note` gives the reasoning.",
        "",
    ]
    return "\n".join(lines)


def _describe_filters(frames: Frames, view: FilteredFrames, filters: Filters) -> list[str]:
    actor_names = dict(zip(frames.actors["id"], frames.actors["name"], strict=True))
    topic_names = dict(zip(frames.topics["id"], frames.topics["name"], strict=True))
    names = {"actors": actor_names, "topics": topic_names, "stances": STANCE_LABEL}
    lines = []
    for field in fields(filters):
        value = getattr(filters, field.name)
        label = field.name.capitalize()
        if field.name == "as_of":
            lines.append(f"- As of: {value or 'latest known (every record, later ones too)'}")
            continue
        if field.name == "count_inferred":
            counted = "stated and inferred" if value else "stated only"
            lines.append(f"- Stances counted in agreement and for/against: {counted}")
            continue
        if field.name in names:
            shown = ", ".join(_named(v, names[field.name]) for v in value)
            lines.append(f"- {label}: {shown or 'all'}")
        elif isinstance(value, str):
            lines.append(f"- {label}: {f'“{value}”' if value.strip() else 'none'}")
        else:
            lines.append(f"- {label}: {value or 'none'}")
        if field.name == "actors" and value:
            below = [a for a in view.actor_ids if a not in value]
            if below:
                included = ", ".join(_named(a, actor_names) for a in below)
                lines.append(f"  - which includes those under them: {included}")
    return lines


def _named(value: str, names: dict[str, str]) -> str:
    return f"{names[value]} (`{value}`)" if value in names else f"`{value}`"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _iso_date(value: object) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)
