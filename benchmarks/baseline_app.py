"""The benchmarks' baseline: the least a Streamlit page showing this data can do.

It loads the same dataset the same way as the dashboard (`load_dataset` and `to_frames`, kept
in one `st.cache_resource` entry shared by every session) and draws one Altair chart of the
positions frame: each actor's latest stance on each topic as a coloured rect, limited to the
same page of 60 actors x 80 topics that the Stances matrix shows at once, computed with
vectorised pandas. Everything the dashboard does beyond that (filters, URL sync, the cell
logic, more layers, widgets, evidence) is what the ratios against this baseline measure.

    POSITIONS_DATA=benchmarks/out/positions-10k.yaml .venv/bin/streamlit run \
        benchmarks/baseline_app.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import altair as alt
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run benchmarks/baseline_app.py` from anywhere
    sys.path.insert(0, str(ROOT))

from positions import load_dataset  # noqa: E402
from positions.analysis import MATRIX_PAGE_COLUMNS, MATRIX_PAGE_ROWS  # noqa: E402
from positions.frames import Frames, to_frames  # noqa: E402

st.set_page_config(page_title="Baseline", layout="wide")


@st.cache_resource(max_entries=1, show_spinner="Loading the dataset…")
def _frames(path: str, mtime_ns: int, size: int) -> Frames:
    return to_frames(load_dataset(path))


path = Path(os.environ.get("POSITIONS_DATA") or ROOT / "data" / "positions.yaml")
stat = path.stat()
frames = _frames(str(path), stat.st_mtime_ns, stat.st_size)
positions = frames.positions

latest = positions.sort_values("date", kind="stable", na_position="first").drop_duplicates(
    ["actor", "topic"], keep="last"
)
actors = list(dict.fromkeys(latest["actor"]))[:MATRIX_PAGE_ROWS]
topics = list(dict.fromkeys(latest["topic"]))[:MATRIX_PAGE_COLUMNS]
cells = latest.loc[
    latest["actor"].isin(actors) & latest["topic"].isin(topics),
    ["actor_name", "topic_name", "stance"],
]

st.title("Baseline")
st.altair_chart(
    alt.Chart(cells)
    .mark_rect()
    .encode(
        x=alt.X("topic_name:N", title="Topic"),
        y=alt.Y("actor_name:N", title="Actor"),
        color=alt.Color("stance:N", title="Stance"),
        tooltip=["actor_name:N", "topic_name:N", "stance:N"],
    )
    .properties(width=alt.Step(22), height=alt.Step(22)),
    width="content",
)
st.caption(f"{len(cells):,} cells of {len(positions):,} positions.")
