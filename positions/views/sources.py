"""The Sources & method page: what the downloads hold, the sources, the codebook's stances and
how the data was curated."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from positions.analysis.words import plural
from positions.bundle import source_table
from positions.frames import FilteredFrames, Frames
from positions.labels import stance_label
from positions.model import STANCE_MEANING, STANCE_SCORE

CURATION_METHOD = (
    "Each record codes one actor's stance on one topic from one source on one occasion, with "
    "the source's own words that carry the claim, copied exactly. The codebook below says what "
    "every stance means; the dataset's own description says where its sources come from."
)


@dataclass(frozen=True)
class CodebookRow:
    stance: str
    label: str
    score: str  # '—' for a stance off the scale
    meaning: str


@dataclass(frozen=True)
class SourcesView:
    positions_note: str
    download_suffix: str  # " (filtered view)" when the filters narrow the files
    bundle_name: str  # the evidence bundle's file name, less the version
    sources_note: str
    sources: pd.DataFrame
    codebook: tuple[CodebookRow, ...]
    as_of_note: str
    method: str
    texts: dict[str, str]  # sources whose text the Reader shows, with their titles


def build_sources(frames: Frames, view: FilteredFrames) -> SourcesView:
    info = frames.info
    counts = frames.positions["source"].value_counts()
    n = len(frames.sources)
    return SourcesView(
        positions_note=f"{len(view.positions)} {plural('position', len(view.positions))} in "
        "this view.",
        download_suffix="" if view.filters.is_default() else " (filtered view)",
        bundle_name=f"evidence-{info.id}",
        sources_note=f"{n} {plural('source', n)}; every record names one of them. Sort by a "
        "column by clicking its header.",
        sources=source_table(frames.sources, counts),
        codebook=tuple(
            CodebookRow(s, stance_label(s), str(STANCE_SCORE.get(s, "—")), meaning)
            for s, meaning in STANCE_MEANING.items()
        ),
        as_of_note=info.as_of_note or "",
        method=info.method or CURATION_METHOD,
        texts={
            s: t
            for s, t in zip(frames.sources["id"], frames.sources["title"], strict=True)
            if s in frames.texts
        },
    )
