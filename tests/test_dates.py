"""Dates only as precise as their source: partial dates in the model, the frames and as-of views."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from positions import DatasetError, load_dataset
from positions.analysis import as_of_choices, as_of_label, era_note, stance_cells
from positions.dates import date_text, iso_text, period_end, period_start, precision_of
from positions.frames import Filters, apply_filters, to_frames

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize(
    ("value", "kind", "start", "end", "text"),
    [
        (dt.date(2021, 5, 19), "day", "2021-05-19", "2021-05-19", "19 May 2021"),
        ("2021-06", "month", "2021-06-01", "2021-06-30", "June 2021"),
        ("2021-02", "month", "2021-02-01", "2021-02-28", "February 2021"),
        ("2021", "year", "2021-01-01", "2021-12-31", "2021"),
    ],
)
def test_a_date_means_a_period(value, kind, start, end, text):
    assert precision_of(value) == kind
    assert period_start(value) == pd.Timestamp(start)
    assert period_end(value) == pd.Timestamp(end)
    assert date_text(value) == text


def test_a_missing_date_is_blank_not_none():
    assert precision_of(None) == ""
    assert pd.isna(period_start(None)) and pd.isna(period_end(None))
    assert date_text(None) == "" and iso_text(None) == ""


def _dataset(tmp_path: Path, dates: dict[str, str], source_date: str = "") -> Path:
    """The small fixture with some positions' dates replaced (and the readout's date)."""
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for record, date in dates.items():
        marker = f"{{id: {record}, "
        (index,) = [i for i, line in enumerate(lines) if marker in line]
        line = re.sub(r", date: [0-9-]+", "", lines[index])
        lines[index] = line.replace(marker, f"{{id: {record}, date: {date}, ", 1)
    text = "".join(lines)
    if source_date:
        text = text.replace("    date: 2021-05-19\n    url:", f"    date: {source_date}\n    url:")
    path = tmp_path / "dates.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_model_takes_a_month_or_a_year(tmp_path):
    dataset = load_dataset(_dataset(tmp_path, {"p1": '"2021-05"', "p2": "2021"}))
    dates = {p.id: p.date for p in dataset.positions}
    assert dates["p1"] == "2021-05" and dates["p2"] == "2021"
    assert dates["p3"] == dt.date(2021, 5, 19)


@pytest.mark.parametrize("bad", ['"2021-13"', '"21-05"', '"May 2021"', "2021-02-30"])
def test_a_date_that_is_no_period_is_refused_at_its_line(tmp_path, bad):
    with pytest.raises(DatasetError) as caught:
        load_dataset(_dataset(tmp_path, {"p1": bad}))
    (problem,) = caught.value.problems
    assert problem.path == "positions[0].date"
    assert problem.line == 36
    assert problem.hint == "write YYYY-MM-DD, or YYYY-MM or YYYY when the source gives no day"


def test_frames_keep_the_period_and_show_it_as_given(tmp_path):
    frames = to_frames(load_dataset(_dataset(tmp_path, {"p1": '"2021-05"', "p2": "2021"})))
    rows = frames.positions.set_index("id")
    assert rows.loc["p1", "date"] == pd.Timestamp("2021-05-01")
    assert rows.loc["p1", "date_end"] == pd.Timestamp("2021-05-31")
    assert rows.loc["p1", "date_text"] == "May 2021"
    assert rows.loc["p1", "date_given"] == "2021-05"
    assert rows.loc["p3", "date_text"] == "19 May 2021"
    assert rows.loc["p2", "date_given"] == "2021"


def test_known_from_is_the_period_end_or_the_source_date_if_earlier(tmp_path):
    # p7 (the readout, dated 19 May) is given as "2021"; p1 (the undated article, which counts
    # as of the dataset's date, 20 May) as "2021-05".
    frames = to_frames(load_dataset(_dataset(tmp_path, {"p7": "2021", "p1": '"2021-05"'})))
    known = frames.positions.set_index("id")["known_from"]
    assert known["p7"] == pd.Timestamp("2021-05-19")  # the source's date, not 31 Dec
    assert known["p1"] == pd.Timestamp("2021-05-20")  # the analysis's date, not 31 May
    assert known["p3"] == pd.Timestamp("2021-05-19")
    assert known["p2"] == pd.Timestamp("2021-05-20")  # undated: as of the dataset's date


def test_as_of_treats_a_month_conservatively(tmp_path):
    # The readout is undated here, so a record of "May 2021" from it is known only once May is over.
    path = _dataset(tmp_path, {"p7": '"2021-05"'}, source_date="2021-06-30")
    frames = to_frames(load_dataset(path))
    on_20_may = apply_filters(frames, Filters(as_of="2021-05-20"))
    assert "p7" not in set(on_20_may.positions["id"])
    on_31_may = apply_filters(frames, Filters(as_of="2021-05-31"))
    assert "p7" in set(on_31_may.positions["id"])
    assert "2021-05-31" in as_of_choices(frames.positions, frames.info.as_of)


def test_the_default_view_speaks_from_the_dataset_date(small):
    view = apply_filters(small, Filters(as_of="2021-05-19"))
    # p1, p2 are undated (as of 20 May): left out on 19 May.
    assert sorted(view.positions["id"]) == ["p3", "p4", "p5", "p6", "p7", "p8", "p9"]
    assert era_note(small, view.filters) == (
        "As of 19 May 2021: 2 records known only later are left out; choose \u201cLatest "
        "known\u201d under \u201cAs of\u201d in the sidebar to include them."
    )
    assert era_note(small, Filters(as_of="2021-05-20")) == "As of 20 May 2021 (the dataset's date)."
    assert era_note(small, Filters(as_of=None)) == ""  # nothing later than the dataset's date
    assert as_of_label("2021-05-20", small.info.as_of) == "20 May 2021 (the dataset's date)"
    assert as_of_label("latest", small.info.as_of) == "Latest known (mixes in later records)"


def test_latest_known_says_it_mixes_eras(bundled):
    note = era_note(bundled, Filters(as_of=None))
    later = int((bundled.positions["known_from"] > pd.Timestamp(bundled.info.as_of)).sum())
    assert later > 0
    assert note.startswith(
        f"Latest known: this view mixes the dataset's view (as of 20 May 2021) with {later} "
        "later records, up to "
    )


def test_an_inferred_cell_is_marked_inferred(small, as_of):
    early = small.positions[small.positions["id"] == "p8"]
    (cell,) = stance_cells(early, as_of).to_dict("records")
    assert (cell["stance"], cell["confidence"]) == ("support", "inferred")
    both = small.positions[small.positions["id"].isin(["p8", "p9"])]
    # The latest record (p9, stated) is what the cell shows.
    (cell,) = stance_cells(both, as_of).to_dict("records")
    assert (cell["stance"], cell["confidence"]) == ("lean_oppose", "stated")
