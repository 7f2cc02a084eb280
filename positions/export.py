"""Downloads of a view: the filtered records as CSV and JSON, with what the view was."""

from __future__ import annotations

import json

import pandas as pd

from positions.frames import STANCE_COLUMNS, Filters

EXPORT_COLUMNS = [
    "id",
    *STANCE_COLUMNS,
    "translation",
    "source",
    "source_citation",
    "date",
    "event",
    "confidence",
    "note",
]


def export_frame(positions: pd.DataFrame) -> pd.DataFrame:
    frame = positions.reindex(columns=EXPORT_COLUMNS).copy()
    # As the dataset gives it: a month stays a month (`2021-06`), never an invented day.
    frame["date"] = positions["date_given"].replace("", None) if len(positions) else None
    return frame


def positions_csv(positions: pd.DataFrame) -> bytes:
    """The records of a view as UTF-8 CSV, one row per position, quotes verbatim."""
    return export_frame(positions).to_csv(index=False).encode("utf-8")


def positions_json(positions: pd.DataFrame, filters: Filters) -> bytes:
    """The records of a view as JSON, with the filters that made the view."""
    records = export_frame(positions).astype(object).where(lambda f: f.notna(), None)
    body = {
        "filters": {
            "actor": list(filters.actors),
            "topic": list(filters.topics),
            "stance": list(filters.stances),
        },
        "count": len(records),
        "positions": records.to_dict(orient="records"),
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def chart_file(chart: object, kind: str, scale: float = 2.0) -> bytes:
    """A chart as an SVG or PNG file, rendered on the server by vl-convert.

    Imported here, not at the top: the converter is large and only needed when someone asks
    for a file. Charts are rendered with a white background so they print as shown.
    """
    import io

    import altair as alt

    assert isinstance(chart, alt.TopLevelMixin)
    themed = chart.configure(background="#ffffff")
    if kind == "svg":
        text = io.StringIO()
        themed.save(text, format="svg")
        return text.getvalue().encode("utf-8")
    if kind == "png":
        data = io.BytesIO()
        themed.save(data, format="png", scale_factor=scale)
        return data.getvalue()
    raise ValueError(f"unknown chart file kind {kind!r}: use 'svg' or 'png'")
