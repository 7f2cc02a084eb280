"""The timeline's layout and words, and the agenda's lines: pure functions with exact values, then
the two pages through the entrypoint with AppTest."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from test_app import ROOT, SMALL, app, chart_rows, charts, markdown_text, open_page

from positions.analysis import (
    agenda,
    agenda_lines,
    article_window,
    event_kind_label,
    event_status_label,
    events_table,
)
from positions.charts import (
    TIMELINE_LANE_PX,
    TIMELINE_MIN_PLOT_PX,
    TIMELINE_X_PAD_PX,
    timeline,
    timeline_lanes,
    timeline_layout,
)

BUNDLED = ROOT / "data" / "positions.yaml"
# Codes a reader must never see: stance codes, and missing values printed as words.
JARGON = re.compile(r"\b(?:not_raised|lean_support|lean_oppose|None|nan|NaN|NaT)\b")


def points_of(spec: dict) -> list[dict]:
    """The rows the timeline's markers are drawn from (its last layer)."""
    return spec["datasets"][spec["layer"][3]["data"]["name"]]


def names(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["id"], frame["name"], strict=True))


def events_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Events (id, date, kind) with the columns the timeline reads."""
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "date": pd.to_datetime([r[1] for r in rows]),
            "kind": [r[2] for r in rows],
            "title": [f"Event {r[0]}" for r in rows],
            "status": "occurred",
            "place": None,
            "actors": [[] for _ in rows],
            "topics": [[] for _ in rows],
            "date_precision": "day",
        }
    )


# --- Timeline: lanes and layout -----------------------------------------------------------------


def test_events_of_one_day_and_kind_get_a_lane_each_in_the_order_given():
    events = events_frame(
        [
            ("a", "2021-05-19", "reaction"),
            ("b", "2021-05-19", "reaction"),
            ("c", "2021-05-19", "meeting"),  # same day, another row: its own lane 0
            ("d", "2021-05-19", "reaction"),
            ("e", "2021-05-20", "reaction"),  # a day later, closer than 3 days: a fourth lane
            ("f", "2021-05-24", "reaction"),  # 5 days after a: back to lane 0
        ]
    )
    lanes = timeline_lanes(events["date"], events["kind"], days_apart=3.0)
    assert dict(zip(events["id"], lanes, strict=True)) == {
        "a": 0,
        "b": 1,
        "c": 0,
        "d": 2,
        "e": 3,
        "f": 0,
    }


def test_an_event_known_to_the_month_keeps_its_lane_to_the_months_end():
    # The summit expected "in June" has a bar across June: the summit of 14 June goes below it,
    # and one of 10 July, well after the month, back on the bar's lane.
    events = events_frame(
        [
            ("expected", "2021-06-01", "summit"),
            ("geneva", "2021-06-14", "summit"),
            ("later", "2021-07-10", "summit"),
        ]
    ).assign(date_precision=["month", "day", "day"])
    placed, rows = timeline_layout(events, ["summit"], span_days=49)
    assert dict(zip(placed["id"], placed["lane"], strict=True)) == {
        "expected": 0,
        "geneva": 1,
        "later": 0,
    }
    assert list(rows["lanes"]) == [2]


def test_lanes_are_shared_only_when_a_row_runs_out_of_them():
    events = events_frame([(x, "2021-05-19", "reaction") for x in "abc"])
    lanes = timeline_lanes(events["date"], events["kind"], days_apart=3.0, max_lanes=2)
    assert list(lanes) == [0, 1, 0]


def test_two_events_on_one_day_are_drawn_a_lane_apart_around_the_rows_middle():
    events = events_frame(
        [
            ("maas", "2021-05-19", "reaction"),
            ("menendez", "2021-05-19", "reaction"),
            ("meeting", "2021-05-19", "meeting"),
        ]
    )
    placed, rows = timeline_layout(events, ["meeting", "reaction"], span_days=49)
    # Rows in the order given: meeting (one lane, 44 px), then reaction (two lanes: 2 x 18 + 16).
    assert rows[["kind", "top", "height", "mid", "lanes"]].to_dict("records") == [
        {"kind": "meeting", "top": 0, "height": 44, "mid": 22, "lanes": 1},
        {"kind": "reaction", "top": 44, "height": 52, "mid": 70, "lanes": 2},
    ]
    assert dict(zip(placed["id"], placed["y"], strict=True)) == {
        "maas": 61.0,
        "menendez": 79.0,
        "meeting": 22.0,
    }
    assert TIMELINE_LANE_PX == 79.0 - 61.0


def test_same_day_events_get_their_offsets_in_the_chart_spec(as_of):
    events = events_frame(
        [("maas", "2021-05-19", "reaction"), ("menendez", "2021-05-19", "reaction")]
    )
    spec = timeline(events, as_of, ["reaction"]).to_dict()
    assert {r["id"]: r["y"] for r in points_of(spec)} == {"maas": 17.0, "menendez": 35.0}
    points = spec["layer"][3]
    assert points["encoding"]["y"]["field"] == "y"
    assert points["encoding"]["y"]["axis"]["labelExpr"] == "datum.value == 26 ? \"Reaction\" : ''"
    assert spec["height"] == 52
    # The plot keeps the height the rows were laid out for (Streamlit would "fit" it otherwise).
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["params"][0]["select"] == {
        "type": "point",
        "fields": ["id"],
        "on": "click",
        "clear": False,
    }


@pytest.mark.parametrize("period", ["article", "all"])
def test_no_two_markers_of_the_bundled_timeline_overlap_on_a_phone(bundled, period):
    as_of = pd.Timestamp(bundled.info.as_of)
    events = bundled.events
    domain = None
    if period == "article":
        domain = article_window(events, as_of)
        events = events[(events["date"] >= domain[0]) & (events["date"] <= domain[1])]
    kinds = list(dict.fromkeys(bundled.events.sort_values("date")["kind"]))
    spec = timeline(events, as_of, kinds, domain).to_dict()
    rows = points_of(spec)
    assert len(rows) == len(events)
    # The time axis as drawn on a 390 px screen, where the plot is narrowest.
    dates = [pd.Timestamp(r["date"]) for r in rows]
    months = events[events["date_precision"] == "month"]["date"] + pd.offsets.MonthEnd(0)
    first, last = domain or (min([*dates, as_of]), max([*dates, *months, as_of]))
    px_per_day = (TIMELINE_MIN_PLOT_PX - 2 * TIMELINE_X_PAD_PX) / ((last - first).days)
    xy = [((d - first).days * px_per_day, r["y"]) for d, r in zip(dates, rows, strict=True)]
    closest = min(math.dist(a, b) for a, b in itertools.combinations(xy, 2))
    assert closest >= TIMELINE_LANE_PX


# --- Timeline: words ----------------------------------------------------------------------------


def test_kinds_and_statuses_in_words():
    assert event_kind_label("sanctions-action") == "Sanctions action"
    assert event_kind_label("call") == "Call"
    assert event_status_label("occurred") == "Occurred"
    assert event_status_label("planned") == "Planned"


def test_timeline_tooltips_name_actors_and_topics_and_leave_a_missing_place_blank(small, as_of):
    spec = timeline(
        small.events,
        as_of,
        ["meeting", "reaction", "summit"],
        actor_names=names(small.actors),
        topic_names=names(small.topics),
    ).to_dict()
    points = spec["layer"][3]
    assert [t["title"] for t in points["encoding"]["tooltip"]] == [
        "Event",
        "Date",
        "Kind",
        "Status",
        "Place",
        "Actors",
        "Topics",
    ]
    tooltip_fields = [t["field"] for t in points["encoding"]["tooltip"]]
    shown = {r["id"]: {f: r[f] for f in tooltip_fields} for r in points_of(spec)}
    assert shown == {
        "meeting": {
            "title": "The meeting",
            "when": "19 May 2021",
            "kind": "Meeting",
            "status": "Occurred",
            "place": "A capital",
            "actors": "North minister",
            "topics": "A prisoner's treatment, The pipeline",
        },
        "reaction": {
            "title": "South welcomes the waiver",
            "when": "20 May 2021",
            "kind": "Reaction",
            "status": "Occurred",
            "place": "",
            "actors": "South",
            "topics": "Waiver of sanctions",
        },
        "summit": {
            "title": "Summit (expected in June)",
            "when": "June 2021",
            "kind": "Summit",
            "status": "Planned",
            "place": "",
            "actors": "North, South",
            "topics": "",
        },
    }
    # Screen readers hear the same fields, those with a value, and no pixel offsets.
    assert points["encoding"]["description"]["field"] == "description"
    assert {r["id"]: r["description"] for r in points_of(spec)}["reaction"] == (
        "Event: South welcomes the waiver; Date: 20 May 2021; Kind: Reaction; Status: Occurred; "
        "Actors: South; Topics: Waiver of sanctions"
    )
    assert spec["layer"][0]["mark"]["aria"] is False  # the month's bar repeats its marker
    # One legend for shape, colour and fill, in words.
    for channel in ("shape", "color", "fill"):
        assert points["encoding"][channel]["scale"]["domain"] == ["Occurred", "Planned"]
    assert points["encoding"]["fill"]["scale"]["range"] == ["#2166ac", "transparent"]
    assert points["encoding"]["y"]["axis"]["labelExpr"] == (
        'datum.value == 22 ? "Meeting" : datum.value == 66 ? "Reaction" : '
        "datum.value == 110 ? \"Summit\" : ''"
    )


def test_a_long_list_of_topics_is_cut_short_in_the_tooltip(bundled):
    as_of = pd.Timestamp(bundled.info.as_of)
    meeting = bundled.events[bundled.events["id"] == bundled.info.meeting_event]
    spec = timeline(meeting, as_of, [], topic_names=names(bundled.topics)).to_dict()
    (row,) = points_of(spec)
    topics = [names(bundled.topics)[t] for t in meeting.iloc[0]["topics"]]
    assert len(topics) > 3, "precondition: the meeting has a long agenda"
    assert row["topics"] == ", ".join(topics[:3]) + f" and {len(topics) - 3} more"


def test_events_table_in_words_with_a_missing_place_blank(small):
    table = events_table(small.events)
    assert table.to_dict("list") == {
        "date": ["19 May 2021", "20 May 2021", "June 2021"],  # the summit: only the month
        "title": ["The meeting", "South welcomes the waiver", "Summit (expected in June)"],
        "kind": ["Meeting", "Reaction", "Summit"],
        "status": ["Occurred", "Occurred", "Planned"],
        "place": ["A capital", "", ""],
    }


# --- Agenda -------------------------------------------------------------------------------------


def records(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Positions (actor, topic, stance, quote) with the name columns the agenda reads."""
    actor_names = {"blinken": "Antony Blinken", "lavrov": "Sergey Lavrov"}
    topic_names = {"summit": "A summit", "rights": "Human rights"}
    return pd.DataFrame(
        {
            "actor": [r[0] for r in rows],
            "actor_name": [actor_names[r[0]] for r in rows],
            "topic": [r[1] for r in rows],
            "topic_name": [topic_names[r[1]] for r in rows],
            "stance": [r[2] for r in rows],
            "quote": [r[3] for r in rows],
        }
    )


def test_agenda_lines_name_each_actor_once_with_each_stance_once():
    raised = records(
        [
            ("blinken", "summit", "support", "a first step to a summit"),
            ("lavrov", "summit", "lean_support", "a first step to a summit"),
            ("blinken", "summit", "support", "we seek a stable relationship"),
            ("blinken", "rights", "support", "he raised the prisoner"),
            ("blinken", "rights", "oppose", "he would not raise it"),
            ("blinken", "rights", "support", "he raised the prisoner"),
        ]
    )
    assert agenda_lines(raised).to_dict("records") == [
        {
            "topic": "summit",
            "topic_name": "A summit",
            "who": "Antony Blinken: Support; Sergey Lavrov: Lean support",
            "quotes": ["a first step to a summit", "we seek a stable relationship"],
            "quoted_by": ["Antony Blinken, Sergey Lavrov", "Antony Blinken"],
            "sources": ["", ""],
        },
        {
            "topic": "rights",
            "topic_name": "Human rights",
            "who": "Antony Blinken: Support / Oppose",
            "quotes": ["he raised the prisoner", "he would not raise it"],
            "quoted_by": ["Antony Blinken", "Antony Blinken"],
            "sources": ["", ""],
        },
    ]


def test_left_out_lines_name_each_topic_once_and_each_actor_once():
    left_out = records(
        [
            ("blinken", "rights", "not_raised", "rights were not raised"),
            ("lavrov", "rights", "not_raised", "rights were not raised"),
            ("blinken", "rights", "not_raised", "nor did he mention it"),
        ]
    )
    assert agenda_lines(left_out, stances=False).to_dict("records") == [
        {
            "topic": "rights",
            "topic_name": "Human rights",
            "who": "Antony Blinken, Sergey Lavrov",
            "quotes": ["rights were not raised", "nor did he mention it"],
            "quoted_by": ["Antony Blinken, Sergey Lavrov", "Antony Blinken"],
            "sources": ["", ""],
        }
    ]


def test_no_records_no_lines():
    assert agenda_lines(records([])).empty


def test_bundled_agenda_names_each_actor_once_per_topic(bundled):
    result = agenda(bundled.positions, bundled.events, bundled.info.meeting_event)
    for key, stances in (("raised", True), ("left_out", False)):
        lines = agenda_lines(result[key], stances=stances)
        assert len(lines) == result[key]["topic"].nunique()
        for line in lines.to_dict("records"):
            who = [w.split(": ")[0] for w in line["who"].split("; " if stances else ", ")]
            assert len(who) == len(set(who)), line
            assert len(line["quotes"]) == len(set(line["quotes"])), line
            assert "_" not in line["who"] and "None" not in line["who"], line


# --- The pages ----------------------------------------------------------------------------------


def meeting_record(
    id_: str, actor: str, topic: str, stance: str, source: str, quote: str, day: int
):
    return {
        "id": id_,
        "actor": actor,
        "topic": topic,
        "stance": stance,
        "source": source,
        "quote": quote,
        "event": "meeting",
        "date": dt.date(2021, 5, day),
    }


@pytest.fixture
def duplicated(tmp_path) -> Path:
    """The small dataset with more records of one actor at the meeting, raised and left out."""
    data = yaml.safe_load(SMALL.read_text())
    # The quotes added here are made up for the test: the sources keep no text to check them.
    for source in data["sources"]:
        source.pop("text_file", None)
    data["positions"] += [
        meeting_record(
            "p10",
            "north-minister",
            "rights",
            "oppose",
            "readout",
            "pressed again on the prisoner",
            18,
        ),
        meeting_record(
            "p11",
            "north-minister",
            "rights",
            "lean_oppose",
            "article",
            "raised the prisoner's health",
            18,
        ),
        meeting_record(
            "p12",
            "north-minister",
            "pipeline",
            "not_raised",
            "article",
            "the pipeline went unmentioned",
            19,
        ),
        meeting_record(
            "p13",
            "north-minister",
            "pipeline",
            "not_raised",
            "readout",
            "the pipeline went unmentioned",
            19,
        ),
        meeting_record(
            "p14", "south", "pipeline", "not_raised", "article", "nobody mentioned the pipeline", 19
        ),
    ]
    path = tmp_path / "duplicated.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_agenda_page_shows_each_actor_once_per_topic(monkeypatch, duplicated):
    at = open_page(app(monkeypatch, data=duplicated), "agenda")
    # The prisoner's treatment is contested (the readout says it was raised): neither left out
    # nor raised.
    assert {m.label: m.value for m in at.metric} == {
        "Raised": "0",
        "Left out": "1",
        "Contested": "1",
    }
    items = [m.value for m in at.markdown if m.value.startswith("- ")]
    text = markdown_text(at)
    assert (
        "- **A prisoner's treatment** (North minister: Not raised / Oppose / Lean oppose):" in text
    )
    assert (
        "- **The pipeline** (North minister, South):\n"
        "    - “the pipeline went unmentioned” (coded for North minister; The article; The "
        "readout)\n"
        "    - “nobody mentioned the pipeline” (coded for South; The article)"
    ) in text
    assert (
        "- **A prisoner's treatment** (North minister: Not raised / Oppose / Lean oppose):\n"
        "    - “he did not criticise the treatment” (coded for North minister; The article)\n"
        "    - “raised the prisoner's health” (coded for North minister; The readout; The "
        "article)\n"
        "    - “pressed again on the prisoner” (coded for North minister; The readout)"
    ) in text
    assert len(items) == 2  # one line per topic: the contested one and the one left out
    assert not JARGON.findall(text)
    assert "north-minister" not in text


def test_agenda_page_on_the_bundled_dataset_has_no_ids_or_codes(monkeypatch):
    at = open_page(app(monkeypatch, data=BUNDLED), "agenda")
    text = markdown_text(at)
    assert [m.value for m in at.markdown if m.value.startswith("- ")], "the agenda is listed"
    assert not JARGON.findall(text)


def test_timeline_page_shows_words_and_leaves_a_missing_place_blank(monkeypatch):
    at = open_page(app(monkeypatch), "timeline")
    table = at.dataframe[0].value
    assert list(table.columns) == ["date", "title", "kind", "status", "place"]
    assert table[["date", "kind", "status", "place"]].to_dict("list") == {
        "date": ["19 May 2021", "20 May 2021", "June 2021"],
        "kind": ["Meeting", "Reaction", "Summit"],
        "status": ["Occurred", "Occurred", "Planned"],
        "place": ["A capital", "", ""],
    }
    (chart,) = charts(at)
    rows = {r["id"]: r for r in chart_rows(chart, layer=3)}
    assert rows["summit"]["actors"] == "North, South"
    assert rows["meeting"]["topics"] == "A prisoner's treatment, The pipeline"
    assert rows["reaction"]["place"] == ""


def test_timeline_page_on_the_bundled_dataset_draws_same_day_events_apart(monkeypatch):
    at = open_page(app(monkeypatch, data=BUNDLED), "timeline")
    (chart,) = charts(at)
    rows = chart_rows(chart, layer=3)
    spots = [(r["date"], r["y"]) for r in rows]
    assert len(spots) == len(set(spots))
    same_day = pd.DataFrame(rows).groupby(["date", "kind"]).size()
    assert same_day.max() >= 2, "precondition: some events share a day and a kind"
    table = at.dataframe[0].value
    assert not table.isna().any().any()
    assert not table["kind"].str.contains("-").any()
    assert set(table["status"]) <= {"Occurred", "Planned"}
