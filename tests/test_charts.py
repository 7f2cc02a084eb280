"""Chart builders, tested on their Vega-Lite specs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from positions.analysis import order_actors, order_topics, stance_cells
from positions.charts import (
    CELL_FIELDS,
    STANCE_COLOURS,
    STANCE_GLYPHS,
    said_of,
    sanction_targets,
    sanctions_by_kind,
    stance_legend,
    stance_matrix,
    timeline,
)

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "positions.yaml"


def dataset_rows(spec: dict, layer: dict) -> list[dict]:
    name = layer.get("data", spec.get("data", {})).get("name")
    return spec["datasets"][name]


def test_stance_matrix_spec(small, as_of):
    cells = stance_cells(small.positions, as_of=as_of)
    actors = order_actors(small.actors, cells, "name")
    topics = order_topics(small.topics, cells, "name")
    spec = stance_matrix(cells, actors, topics).to_dict()
    rect, inferred, text, outline = spec["layer"]
    assert outline["mark"]["filled"] is False
    # Inferred cells: paler, with a dashed outline, and a legend entry saying so.
    assert inferred["transform"] == [{"filter": "datum.confidence_label == 'Inferred'"}]
    assert inferred["mark"]["strokeDash"] == [3, 2]
    assert rect["encoding"]["fillOpacity"]["condition"]["value"] == 0.55
    assert rect["mark"]["type"] == "rect"
    assert text["mark"]["type"] == "text"
    assert spec["params"][0]["name"] == "cell"
    assert spec["params"][0]["select"]["fields"] == ["actor", "topic"]
    encoding = rect["encoding"]
    assert encoding["y"]["sort"] == actors
    assert encoding["x"]["sort"] == topics
    assert encoding["x"]["title"] == "Topic" and encoding["y"]["title"] == "Actor"
    assert encoding["x"]["axis"]["labelLimit"] >= 200  # long names are not clipped early
    assert encoding["x"]["axis"]["labelOverlap"] is False  # no label is dropped
    colour = rect["encoding"]["color"]
    assert colour["scale"]["domain"] == [
        "Support",
        "Lean support",
        "Mixed",
        "Lean oppose",
        "Oppose",
        "Not raised",
        "Contested",
        "? Inferred: paler, dashed edge",
    ]
    assert colour["scale"]["range"] == [*STANCE_COLOURS.values(), "#dbe6f0"]
    assert [t["title"] for t in rect["encoding"]["tooltip"]] == [
        "Actor",
        "Topic",
        "Stance",
        "Date",
        "Confidence",
        "Quote",
        "Source",
        "Records",
        "Changed; before",
    ]
    rows = {(r["actor"], r["topic"]): r for r in dataset_rows(spec, spec)}
    assert rows[("north", "waiver")]["date_label"] == "19 May 2021"
    assert rows[("north", "pipeline")]["date_label"] == "undated"
    assert rows[("north", "pipeline")]["confidence_label"] == "Stated"
    assert rows[("north-minister", "rights")]["glyph"] == "≠"
    assert rows[("north-minister", "rights")]["records_note"] == "2 records"
    assert rows[("north", "pipeline")]["glyph"] == "−−"
    assert rows[("north", "pipeline")]["on_dark"] is True
    assert len(rows) == 7  # one mark per cell; no record means no mark (an empty cell)


def test_legend_has_a_glyph_for_every_look():
    legend = stance_legend()
    assert [glyph for _, glyph, _ in legend] == list(STANCE_GLYPHS.values())
    assert legend[5] == ("Not raised", "∅", "#4d4d4d")


def test_sanction_targets_count_members_not_their_group(small):
    targets = sanction_targets(small.sanctions)
    totals = targets.groupby(["kind_label", "status"])["targets"].sum().to_dict()
    assert totals == {
        ("company", "waived"): 1,
        ("person", "waived"): 1,
        ("sector", "considered"): 1,
        ("vessel", "imposed"): 3,  # Ship A and the two further ships; the group is not counted
    }


def test_sanctions_chart_spec(small):
    spec = sanctions_by_kind(small.sanctions).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "targets"
    assert spec["encoding"]["x"]["aggregate"] == "sum"
    assert spec["encoding"]["color"]["scale"]["domain"] == [
        "imposed",
        "waived",
        "considered",
        "lifted",
    ]


def test_timeline_spec(small, as_of):
    spec = timeline(small.events, as_of, ["meeting", "reaction", "summit"]).to_dict()
    spans, rule, label, points = spec["layer"]
    assert spans["mark"]["type"] == "rule" and spans["encoding"]["x2"]["field"] == "date_end"
    assert rule["mark"]["type"] == "rule"
    assert dataset_rows(spec, label)[0]["label"] == "As of 20 May 2021"
    assert points["encoding"]["shape"]["scale"]["domain"] == ["Occurred", "Planned"]
    assert points["encoding"]["y"]["axis"]["values"] == [22, 66, 110]  # the rows, in order
    assert spec["params"][0]["select"]["fields"] == ["id"]
    rows = {r["id"]: r for r in dataset_rows(spec, points)}
    assert rows["summit"]["when"] == "June 2021"
    assert rows["summit"]["status"] == "Planned"
    assert rows["meeting"]["when"] == "19 May 2021"


def test_timeline_of_no_events_is_still_a_chart(small, as_of):
    spec = timeline(small.events.iloc[0:0], as_of, []).to_dict()
    assert len(spec["layer"]) == 4
    _, rule, _, points = spec["layer"]
    assert dataset_rows(spec, points) == []  # no event, no marker
    # The dataset's date is still drawn: the rule stands at as_of.
    assert [r["date"][:10] for r in dataset_rows(spec, rule)] == ["2021-05-20"]


def test_timeline_domain_and_month_span(small, as_of):
    start, end = pd.Timestamp("2021-05-12"), pd.Timestamp("2021-06-30")
    spec = timeline(small.events, as_of, ["meeting", "reaction", "summit"], (start, end)).to_dict()
    spans, _, _, points = spec["layer"]
    assert points["encoding"]["x"]["scale"]["domain"] == [
        "2021-05-12T00:00:00",
        "2021-06-30T00:00:00",
    ]
    rows = dataset_rows(spec, spans)
    # The bar runs through the summit's marker, in the third row.
    assert [(r["y"], r["date"][:10], r["date_end"][:10]) for r in rows] == [
        (110.0, "2021-06-01", "2021-06-30")
    ]


def test_chart_files_are_made_on_the_server(small):
    from positions.export import chart_file

    chart = sanctions_by_kind(small.sanctions)
    svg = chart_file(chart, "svg").decode("utf-8")
    assert svg.startswith("<svg") and "vessel" in svg
    png = chart_file(chart, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_charts_built_unchecked_are_valid_vega_lite_and_leave_altair_checking(small, as_of):
    # The builders skip Altair's check of every part as it is made (for speed); the whole spec
    # must still pass the Vega-Lite schema, and Altair's own setting must be as it was.
    from altair.utils import schemapi

    from positions import load_dataset
    from positions.analysis import alignment
    from positions.charts import alignment_matrix, prospects_timeline
    from positions.frames import to_frames

    cells = stance_cells(small.positions, as_of=as_of)
    names = dict(zip(small.actors["id"], small.actors["name"], strict=True))
    bundled = to_frames(load_dataset(BUNDLED))
    charts = [
        stance_matrix(cells, order_actors(small.actors, cells, "name"), list(small.topics["name"])),
        sanctions_by_kind(small.sanctions),
        timeline(small.events, as_of, ["meeting", "reaction", "summit"]),
        alignment_matrix(alignment(cells), names, list(names)),
        prospects_timeline(bundled.prospects, pd.Timestamp(bundled.info.as_of)),
    ]
    assert schemapi.DEBUG_MODE is True
    for chart in charts:
        spec = chart.to_dict(validate=True)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert schemapi.DEBUG_MODE is True


def test_an_inferred_cell_glyph_asks(small, as_of):
    early = small.positions[small.positions["id"] == "p8"]  # the minister's inferred support
    cells = stance_cells(early, as_of=as_of)
    spec = stance_matrix(cells, ["North minister"], ["The pipeline"]).to_dict()
    (row,) = dataset_rows(spec, spec)
    assert (row["glyph"], row["on_dark"], row["confidence_label"]) == ("++?", False, "Inferred")


def test_the_spec_handed_to_streamlit_is_the_checked_one_with_arrow_tables(small):
    import pyarrow as pa

    from positions.charts import chart_spec

    cells = stance_cells(small.positions, as_of=pd.Timestamp("2021-05-20"))
    chart = stance_matrix(cells, order_actors(small.actors, cells, "name"), ["pipeline"])
    checked = chart.to_dict(validate=True)
    spec = chart_spec(chart)
    # The same spec but for how the tables travel (Arrow bytes under a content name) and
    # Altair's default view size, which Streamlit leaves out too.
    assert {k: v for k, v in spec.items() if k != "datasets"} == {
        k: v for k, v in checked.items() if k not in ("datasets", "config")
    } | {"data": spec["data"]}
    assert [p["name"] for p in spec["params"]] == [p["name"] for p in checked["params"]]
    (payload,) = spec["datasets"].values()
    table = pa.ipc.open_stream(payload).read_all()
    assert table.num_rows == len(cells)
    assert set(table.column_names) >= {"actor", "topic", "glyph", "quote_start", "sources"}
    # What a screen reader says of a cell is worked out in the browser, not sent a second time.
    assert "aria" not in table.column_names
    # Repeated text travels once per value (a dictionary), and reads back as the same strings.
    assert pa.types.is_dictionary(table["topic_name"].type)
    assert table["topic_name"].to_pylist() == cells["topic_name"].tolist()
    assert table["quote_start"].to_pylist() == cells["quote_start"].tolist()
    (rect,) = [
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == "rect" and layer["mark"].get("filled") is not False
    ]
    assert rect["transform"] == [{"calculate": said_of(CELL_FIELDS), "as": "aria"}]
    assert rect["encoding"]["description"] == {"field": "aria", "type": "nominal"}
    assert chart_spec(chart)["datasets"].keys() == spec["datasets"].keys()  # stable names


def test_what_a_screen_reader_says_of_a_cell_names_each_field_that_has_a_value():
    assert said_of({"actor_name": "Actor", "topic_name": "Topic"}) == (
        "substring((datum.actor_name ? '; Actor: ' + datum.actor_name : '') + "
        "(datum.topic_name ? '; Topic: ' + datum.topic_name : ''), 2)"
    )
    with pytest.raises(ValueError, match="not a plain field and title"):
        said_of({"actor_name": "Actor's"})
    with pytest.raises(ValueError, match="not a plain field and title"):
        said_of({"actor name": "Actor"})
