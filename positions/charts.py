"""Altair chart builders: a frame in, a chart out. No filtering happens here."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from typing import ParamSpec, TypeVar

import altair as alt
import pandas as pd
import pyarrow as pa
from altair.utils.schemapi import debug_mode

from positions.analysis import (
    event_dates_text,
    event_kind_label,
    event_status_label,
    sanction_targets,
)
from positions.dates import date_text
from positions.frames import CONTESTED
from positions.labels import CELL_LABEL, CONFIDENCE_LABEL, PROSPECT_LABEL

# Diverging, colour-blind-safe (ColorBrewer RdBu ends), a neutral middle, and two looks apart
# from the scale: not_raised is a finding (dark grey), contested is a disagreement (purple).
STANCE_COLOURS = {
    "support": "#2166ac",
    "lean_support": "#92c5de",
    "mixed": "#d9d9d9",
    "lean_oppose": "#f4a582",
    "oppose": "#b2182b",
    "not_raised": "#4d4d4d",
    CONTESTED: "#762a83",
}
# A glyph in every cell so that the matrix reads without colour (and in print).
STANCE_GLYPHS = {
    "support": "++",
    "lean_support": "+",
    "mixed": "±",
    "lean_oppose": "−",
    "oppose": "−−",
    "not_raised": "∅",
    CONTESTED: "≠",
}
DARK_FILLS = {"support", "oppose", "not_raised", CONTESTED}

SANCTION_COLOURS = {
    "imposed": "#b2182b",
    "waived": "#2166ac",
    "considered": "#e08214",
    "lifted": "#1b7837",
}

EVENT_STATUS_SHAPES = {"occurred": "circle", "planned": "diamond"}

INFERRED_LEGEND = "? Inferred: paler, dashed edge"
INFERRED_SWATCH = "#dbe6f0"  # a support cell at the inferred cells' opacity

CELL_SIZE = 22
LEGEND_HEIGHT = 250
AXIS_LABEL_LIMIT = 200
# Room left of a matrix's first column: its row labels, or the stance legend above them.
MATRIX_LEFT_MARGIN = AXIS_LABEL_LIMIT + 24


P = ParamSpec("P")
R = TypeVar("R")
_unchecked_lock = threading.Lock()


def _unchecked(build: Callable[P, R]) -> Callable[P, R]:
    """Build without checking every part against the Vega-Lite schema as it is made.

    Altair checks each part it creates and copies, which took half of a page's time; the
    whole spec is still checked once when it is drawn (`to_dict()`), and in the tests. The
    switch is global to Altair, hence the lock: two sessions must not flip it under each other.
    """

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _unchecked_lock, debug_mode(False):
            return build(*args, **kwargs)

    return wrapper


def _labels_by_id(names: Mapping[str, str]) -> str:
    """A Vega expression that labels an axis tick (an id) with its name: ids stay the values
    the chart sorts and selects by, so two actors of the same name stay two rows."""
    return f"{json.dumps(dict(names), ensure_ascii=False)}[datum.value]"


Axis = tuple[str, list[str], Mapping[str, str]]  # a field of ids, their order, their names


def _matrix_axes(
    columns: Axis, rows: Axis, titles: tuple[str, str] | None = ("Topic", "Actor")
) -> dict[str, alt.X | alt.Y]:
    """A matrix's axes: columns on top, labels upright so that none is dropped, rows at the
    left; each sorted by ids and labelled by name."""
    column_title, row_title = titles or (None, None)

    def encoding(axis: Axis, title: str | None, **look: object) -> dict[str, object]:
        field, order, names = axis
        labels = alt.Axis(
            labelExpr=_labels_by_id(names),
            labelLimit=AXIS_LABEL_LIMIT,
            labelFontSize=11,
            labelOverlap=False,
            **look,
        )
        return {"shorthand": f"{field}:N", "sort": order, "title": title, "axis": labels}

    # Vertical labels never overlap, so Vega drops none of them.
    top = {"orient": "top", "labelAngle": -90, "labelPadding": 4}
    return {
        "x": alt.X(**encoding(columns, column_title, **top)),
        "y": alt.Y(**encoding(rows, row_title)),
    }


def matrix_width(columns: int) -> int:
    """About how many pixels wide a stance or alignment matrix of `columns` columns is drawn."""
    return MATRIX_LEFT_MARGIN + columns * CELL_SIZE


def stance_legend() -> list[tuple[str, str, str]]:
    """(label, glyph, colour) for every cell look, in scale order."""
    return [(CELL_LABEL[s], STANCE_GLYPHS[s], c) for s, c in STANCE_COLOURS.items()]


def _glyph_label_expression() -> str:
    """A Vega expression that puts each look's glyph before its legend label."""
    expression = "datum.label"
    for stance, glyph in reversed(STANCE_GLYPHS.items()):
        label = CELL_LABEL[stance]
        expression = f"datum.label == '{label}' ? '{glyph}  {label}' : ({expression})"
    return expression


def said_of(fields: dict[str, str]) -> str:
    """A Vega expression for what a screen reader says of a mark: "Title: value" for each of
    `fields` (column: title) that has a value, joined by "; ". Worked out in the browser from
    the tooltip's columns, so that the text is not sent twice: sent as a column of its own, it
    was nearly half of the stance matrix's data."""
    for field, title in fields.items():
        if not field.isidentifier() or "'" in title or "\\" in title:
            raise ValueError(f"not a plain field and title: {field!r}, {title!r}")
    terms = " + ".join(
        f"(datum.{field} ? '; {title}: ' + datum.{field} : '')" for field, title in fields.items()
    )
    return f"substring({terms}, 2)"


# A matrix cell's tooltip and what a screen reader says of it, in this order.
CELL_FIELDS = {
    "actor_name": "Actor",
    "topic_name": "Topic",
    "cell_label": "Stance",
    "date_label": "Date",
    "confidence_label": "Confidence",
    "quote_start": "Quote",
    "sources": "Source",
    "records_note": "Records",
    "changed_from": "Changed; before",
}


@_unchecked
def stance_matrix(
    cells: pd.DataFrame, actor_order: list[str], topic_order: list[str]
) -> alt.LayerChart:
    """Actors (rows) by topics (columns), in the order of the ids given; click a cell to select
    its (actor, topic)."""
    changed = cells["changed_from"] if "changed_from" in cells else pd.Series("", cells.index)
    confidence = cells["confidence"] if "confidence" in cells else pd.Series("stated", cells.index)
    dates = cells["date_text"] if "date_text" in cells else pd.Series("", cells.index)
    shown = cells["actor"].isin(actor_order) & cells["topic"].isin(topic_order)
    actor_names = dict(zip(cells.loc[shown, "actor"], cells.loc[shown, "actor_name"], strict=True))
    topic_names = dict(zip(cells.loc[shown, "topic"], cells.loc[shown, "topic_name"], strict=True))
    data = cells.assign(
        # An inferred cell's glyph ends in "?": it follows from the source, not said outright.
        glyph=cells["stance"].map(STANCE_GLYPHS) + confidence.map({"inferred": "?"}).fillna(""),
        # A paler (inferred) fill takes dark text, as a light one does.
        on_dark=cells["stance"].isin(DARK_FILLS) & (confidence != "inferred"),
        records_note=cells["records"].map(lambda n: "" if n == 1 else f"{n} records"),
        changed_from=changed.fillna(""),
        confidence_label=confidence.map(CONFIDENCE_LABEL).fillna(CONFIDENCE_LABEL["stated"]),
        date_label=dates.fillna("").replace("", "undated"),
    )[
        [
            "actor",
            "actor_name",
            "topic",
            "topic_name",
            "cell_label",
            "glyph",
            "on_dark",
            "quote_start",
            "sources",
            "records_note",
            "changed_from",
            "confidence_label",
            "date_label",
        ]
    ]
    pick = alt.selection_point(name="cell", fields=["actor", "topic"], on="click", clear=False)
    inferred_test = f"datum.confidence_label == '{CONFIDENCE_LABEL['inferred']}'"
    base = alt.Chart(data).encode(
        **_matrix_axes(("topic", topic_order, topic_names), ("actor", actor_order, actor_names)),
    )
    # The legend's last entry names no cell's stance: it shows what an inferred cell looks like.
    labels = [*(CELL_LABEL[s] for s in STANCE_COLOURS), INFERRED_LEGEND]
    colours = [*STANCE_COLOURS.values(), INFERRED_SWATCH]
    rect = (
        # What a screen reader says of a cell: its names and the fields that have a value (the
        # axes hold ids, which Vega's own description would read out).
        base.transform_calculate(aria=said_of(CELL_FIELDS))
        .mark_rect(stroke="#ffffff", strokeWidth=1, cursor="pointer")
        .encode(
            color=alt.Color(
                "cell_label:N",
                title="Stance",
                scale=alt.Scale(domain=labels, range=colours),
                # In the empty corner above the actor names and left of the topic names, so
                # that it is in view on a phone too, where the matrix scrolls sideways.
                legend=alt.Legend(
                    orient="none",
                    legendX=-MATRIX_LEFT_MARGIN,
                    legendY=-LEGEND_HEIGHT - 24,
                    direction="vertical",
                    labelExpr=_glyph_label_expression(),
                    labelFontSize=11,
                    # Streamlit's theme spaces legend rows widely; eight rows must fit the corner.
                    rowPadding=4,
                    symbolType="square",
                ),
            ),
            opacity=alt.OpacityValue(0.55, condition={"param": pick.name, "value": 1.0}),
            # Inferred cells are paler (and outlined with dashes below), so they read as weaker.
            fillOpacity=alt.FillOpacityValue(1.0, condition={"test": inferred_test, "value": 0.55}),
            tooltip=[alt.Tooltip(f"{name}:N", title=title) for name, title in CELL_FIELDS.items()],
            description=alt.Description("aria:N"),
        )
        .add_params(pick)
    )
    # The layers drawn over a cell say nothing a screen reader has not heard from the cell.
    text = base.mark_text(fontSize=12, fontWeight="bold", aria=False).encode(
        text=alt.Text("glyph:N"),
        color=alt.ColorValue("#1a1a1a", condition={"test": "datum.on_dark", "value": "#ffffff"}),
        tooltip=alt.TooltipValue(None),
    )
    inferred = (
        base.transform_filter(inferred_test)
        .mark_rect(filled=False, strokeWidth=1.5, strokeDash=[3, 2], cursor="pointer", aria=False)
        .encode(
            stroke=alt.StrokeValue("#333333"),
            tooltip=alt.TooltipValue(None),
        )
    )
    # A heavy outline marks a cell whose stance changed since the comparison date.
    outline = (
        base.transform_filter("datum.changed_from != ''")
        .mark_rect(filled=False, stroke="#000000", strokeWidth=2.5, aria=False)
        .encode(tooltip=alt.TooltipValue(None))
    )
    return (rect + inferred + text + outline).properties(
        width=alt.Step(CELL_SIZE),
        height=alt.Step(CELL_SIZE),
    )


@_unchecked
def sanctions_by_kind(sanctions: pd.DataFrame) -> alt.Chart:
    """Targets by kind and status, counting each vessel, company or person once."""
    data = sanction_targets(sanctions)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("sum(targets):Q", title="Targets", axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("kind_label:N", title="Target kind", sort="-x", axis=alt.Axis(labelLimit=160)),
            color=alt.Color(
                "status:N",
                title="Status",
                scale=alt.Scale(
                    domain=list(SANCTION_COLOURS), range=list(SANCTION_COLOURS.values())
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("status:N"),
            tooltip=[
                alt.Tooltip("kind_label:N", title="Target kind"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("sum(targets):Q", title="Targets"),
            ],
        )
    )


# The timeline is laid out for the narrowest screen it is read on, a 390 px phone, where the plot
# is about this wide once the kind labels are drawn; a wider screen only spreads it out.
TIMELINE_MIN_PLOT_PX = 200
TIMELINE_LANE_PX = 18  # a marker with its outline and a little air: the step between lanes
TIMELINE_ROW_PX = 44
TIMELINE_X_PAD_PX = 10
TIMELINE_MAX_LANES = 15  # beyond this many at once in one row, markers share lanes again
TIMELINE_TOOLTIP_TOPICS = 3


def timeline_lanes(
    dates: pd.Series,
    kinds: pd.Series,
    days_apart: float,
    ends: pd.Series | None = None,
    max_lanes: int = TIMELINE_MAX_LANES,
) -> pd.Series:
    """Each event's lane in its kind's row, so that no two markers overlap.

    Events are placed in date order, events of the same day in the order given: each takes the
    first lane (0 at the top of the row, then 1, 2, ...) that has been free for at least
    `days_apart` days. So events of the same day and kind always get lanes of their own, and a
    cluster of events reads down the row in time order. An event holds its lane from its date
    to its end (`ends`, e.g. the end of the month it is known to), so no other marker sits on
    the bar drawn across that month.
    """
    ends = dates if ends is None else ends
    lanes = pd.Series(0, index=dates.index, dtype="int64")
    order = pd.DataFrame({"date": dates, "end": ends, "kind": kinds})
    order = order.sort_values("date", kind="stable")
    one_day = pd.Timedelta(days=1)
    for _, row in order.groupby("kind", sort=False):
        free_from: dict[int, pd.Timestamp] = {}
        for index, date, end in zip(row.index, row["date"], row["end"], strict=True):
            free = [
                lane
                for lane in range(max_lanes)
                if lane not in free_from or (date - free_from[lane]) / one_day >= days_apart
            ]
            # With every lane taken, the one whose last event ended first is shared.
            lane = free[0] if free else min(free_from, key=free_from.__getitem__)
            free_from[lane] = max(end, free_from.get(lane, end))
            lanes[index] = lane
    return lanes


def timeline_layout(
    events: pd.DataFrame, kinds: list[str], span_days: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where the timeline draws each event (`y`, pixels from the top) and each kind's row.

    Each row is as tall as its lanes need (at least TIMELINE_ROW_PX); `span_days` is the
    length of the time axis, which sets how many days apart two markers of a lane must be.
    Rows keep the order of `kinds`; a kind not in it comes after.
    """
    days_apart = (
        TIMELINE_LANE_PX * max(span_days, 1.0) / (TIMELINE_MIN_PLOT_PX - 2 * TIMELINE_X_PAD_PX)
    )
    months = events["date_precision"] == "month"
    ends = events["date"].where(~months, events["date"] + pd.offsets.MonthEnd(0))
    lanes = timeline_lanes(events["date"], events["kind"], days_apart, ends)
    present = list(dict.fromkeys(events["kind"]))
    ordered = [k for k in kinds if k in present] + [k for k in present if k not in kinds]
    rows, top = [], 0
    for kind in ordered:
        deepest = int(lanes[events["kind"] == kind].max())
        height = max(TIMELINE_ROW_PX, (deepest + 1) * TIMELINE_LANE_PX + 16)
        height += height % 2  # an even height keeps the row's middle on a whole pixel
        mid = top + height // 2
        rows.append({"kind": kind, "top": top, "height": height, "mid": mid, "lanes": deepest + 1})
        top += height
    table = pd.DataFrame(rows, columns=["kind", "top", "height", "mid", "lanes"])
    row = table.set_index("kind").loc[events["kind"]].set_index(events.index)
    # The row's lanes, centred on its middle: lane 0 at the top.
    y = row["mid"] + (lanes - (row["lanes"] - 1) / 2) * TIMELINE_LANE_PX
    return events.assign(lane=lanes, y=y.astype(float)), table


def _names(ids: object, names: Mapping[str, str], limit: int | None = None) -> str:
    shown = [names.get(i, i) for i in ids] if pd.api.types.is_list_like(ids) else []
    if limit is not None and len(shown) > limit:
        return ", ".join(shown[:limit]) + f" and {len(shown) - limit} more"
    return ", ".join(shown)


@_unchecked
def timeline(
    events: pd.DataFrame,
    as_of: pd.Timestamp,
    kinds: list[str],
    domain: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    *,
    actor_names: Mapping[str, str] | None = None,
    topic_names: Mapping[str, str] | None = None,
) -> alt.LayerChart:
    """Events on a time axis by kind; planned hollow, occurred filled; a rule at `as_of`.

    Events close in time in one row are stacked in lanes (see `timeline_layout`), so each
    marker can be seen and clicked. An event known only to the month ("expected in June") also
    gets a bar across that month. Tooltips name actors and topics by `actor_names` and
    `topic_names`.
    """
    actor_names, topic_names = actor_names or {}, topic_names or {}
    month_end = events["date"] + pd.offsets.MonthEnd(0)
    # The time axis spans the domain given, or whatever the layers draw.
    shown = [as_of, *events["date"], *month_end[events["date_precision"] == "month"]]
    first, last = domain or (min(shown), max(shown))
    placed, rows = timeline_layout(events, kinds, (last - first) / pd.Timedelta(days=1))
    when = event_dates_text(placed)
    data = pd.DataFrame(
        {
            "id": placed["id"],
            "date": placed["date"],
            "y": placed["y"],
            "when": when,
            "title": placed["title"],
            "kind": placed["kind"].map(event_kind_label),
            "status": placed["status"].map(event_status_label),
            "place": [p if isinstance(p, str) else "" for p in placed["place"]],
            "actors": [_names(a, actor_names) for a in placed["actors"]],
            "topics": [_names(t, topic_names, TIMELINE_TOOLTIP_TOPICS) for t in placed["topics"]],
        }
    )
    # What a screen reader says for a marker: the tooltip's fields that have a value (Vega's
    # own description would read out the pixel offset of its lane, too).
    shown = {"title": "Event", "when": "Date", "kind": "Kind", "status": "Status"}
    shown |= {"place": "Place", "actors": "Actors", "topics": "Topics"}
    data["description"] = [
        "; ".join(f"{title}: {row[field]}" for field, title in shown.items() if row[field])
        for row in data.to_dict("records")
    ]
    height = max(int(rows["height"].sum()), TIMELINE_ROW_PX)
    labels = {int(m): event_kind_label(k) for k, m in zip(rows["kind"], rows["mid"], strict=True)}
    label_expr = (
        "".join(f"datum.value == {m} ? {json.dumps(text)} : " for m, text in labels.items()) + "''"
    )
    y_scale = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=False)
    y_axis = alt.Axis(
        title="Kind of event",
        values=list(labels),
        labelExpr=label_expr,
        labelLimit=140,
        grid=False,
        ticks=False,
        domain=False,
        description="Kinds of event: " + ", ".join(labels.values()),
    )
    pick = alt.selection_point(name="event", fields=["id"], on="click", clear=False)
    # Padding keeps a marker at either end of the axis clear of the kind labels.
    x_scale = alt.Scale(
        domain=[d.isoformat() for d in domain] if domain else alt.Undefined,
        padding=TIMELINE_X_PAD_PX,
    )
    months = placed["date_precision"] == "month"
    spans = (
        alt.Chart(
            pd.DataFrame(
                {
                    "date": placed.loc[months, "date"],
                    "date_end": month_end[months],
                    "y": placed.loc[months, "y"],
                }
            )
        )
        .mark_rule(strokeWidth=6, opacity=0.35, color="#e08214", aria=False)
        .encode(
            x=alt.X("date:T", scale=x_scale),
            x2=alt.X2("date_end:T"),
            y=alt.Y("y:Q", scale=y_scale, axis=y_axis),
        )
    )
    statuses = [event_status_label(s) for s in EVENT_STATUS_SHAPES]
    points = (
        alt.Chart(data)
        .mark_point(size=160, strokeWidth=2, cursor="pointer")
        .encode(
            x=alt.X(
                "date:T", title="Date", axis=alt.Axis(format="%d %b", labelAngle=0), scale=x_scale
            ),
            y=alt.Y("y:Q", scale=y_scale, axis=y_axis),
            shape=alt.Shape(
                "status:N",
                title="Status",
                scale=alt.Scale(domain=statuses, range=list(EVENT_STATUS_SHAPES.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            # Shape, colour and fill share one legend: a filled circle, a hollow diamond.
            color=alt.Color(
                "status:N",
                title="Status",
                scale=alt.Scale(domain=statuses, range=["#2166ac", "#e08214"]),
                legend=alt.Legend(orient="bottom"),
            ),
            fill=alt.Fill(
                "status:N",
                title="Status",
                scale=alt.Scale(domain=statuses, range=["#2166ac", "transparent"]),
                legend=alt.Legend(orient="bottom"),
            ),
            opacity=alt.OpacityValue(0.45, condition={"param": pick.name, "value": 1.0}),
            tooltip=[alt.Tooltip(f"{field}:N", title=title) for field, title in shown.items()],
            description=alt.Description("description:N"),
        )
        .add_params(pick)
    )
    rule_data = pd.DataFrame({"date": [as_of], "label": [f"As of {date_text(as_of)}"]})
    rule = (
        alt.Chart(rule_data).mark_rule(strokeDash=[4, 4], color="#666666").encode(x=alt.X("date:T"))
    )
    label = (
        alt.Chart(rule_data)
        .mark_text(align="left", dx=4, dy=-6, baseline="bottom", color="#666666", fontSize=11)
        .encode(x=alt.X("date:T"), text=alt.Text("label:N"), y=alt.YValue(0))
    )
    # The rows are laid out in pixels: the plot must be `height` tall (Streamlit's default,
    # "fit", would squeeze it into the chart's whole height, axes and legend included).
    return (spans + rule + label + points).properties(
        height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )


@_unchecked
def alignment_matrix(
    table: pd.DataFrame, names: dict[str, str], order: list[str]
) -> alt.LayerChart:
    """Actor × actor agreement (0 to 1) with the number of shared topics in each cell."""
    shown = table[table["shared"] > 0]
    enough = shown["agreement"].notna()
    data = shown.assign(
        name_a=shown["actor_a"].map(names),
        name_b=shown["actor_b"].map(names),
        # A pair with too few shared topics gets no score: drawn grey, its count still shown.
        enough=enough,
        agreement_fill=shown["agreement"].fillna(0.5),
        agreement_text=[
            f"{value:.0%}" if ok else f"none: {n} shared topic{'s' * (n != 1)}, too few to score"
            for value, ok, n in zip(shown["agreement"], enough, shown["shared"], strict=True)
        ],
    )
    # What a screen reader says of a cell: the tooltip's fields, not the colour's stand-in value
    # (a pair with too few topics is coloured as if 50%).
    data["aria"] = [
        f"Actor: {a}; Compared with: {b}; Agreement: {text}; Shared topics: {n}; "
        f"Both left unraised: {both}"
        for a, b, text, n, both in zip(
            data["name_a"],
            data["name_b"],
            data["agreement_text"],
            data["shared"],
            data["both_not_raised"],
            strict=True,
        )
    ]
    shown_names = {a: names[a] for a in order}
    pick = alt.selection_point(name="pair", fields=["actor_a", "actor_b"], on="click", clear=False)
    base = alt.Chart(data).encode(
        **_matrix_axes(("actor_b", order, shown_names), ("actor_a", order, shown_names), None)
    )
    rect = (
        base.mark_rect(stroke="#ffffff", strokeWidth=1, cursor="pointer")
        .encode(
            color=alt.Color(
                "agreement_fill:Q",
                title="Agreement",
                scale=alt.Scale(domain=[0, 0.5, 1], range=["#b2182b", "#f7f7f7", "#2166ac"]),
                legend=alt.Legend(orient="top", format=".0%", gradientLength=160),
                condition={"test": "!datum.enough", "value": "#d9d9d9"},
            ),
            opacity=alt.OpacityValue(0.6, condition={"param": pick.name, "value": 1.0}),
            tooltip=[
                alt.Tooltip("name_a:N", title="Actor"),
                alt.Tooltip("name_b:N", title="Compared with"),
                alt.Tooltip("agreement_text:N", title="Agreement"),
                alt.Tooltip("shared:Q", title="Shared topics"),
                alt.Tooltip("both_not_raised:Q", title="Both left unraised"),
            ],
            description=alt.Description("aria:N"),
        )
        .add_params(pick)
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("shared:Q"),
        color=alt.ColorValue(
            "#1a1a1a",
            condition={
                "test": "datum.enough && (datum.agreement < 0.2 || datum.agreement > 0.8)",
                "value": "#ffffff",
            },
        ),
        tooltip=alt.TooltipValue(None),
    )
    return (rect + text).properties(width=alt.Step(CELL_SIZE), height=alt.Step(CELL_SIZE))


PROSPECT_COLOURS = {
    "borne_out": "#2166ac",
    "partly": "#92c5de",
    "not_borne_out": "#b2182b",
    "condition_unmet": "#fdb863",
    "open": "#969696",
}


@_unchecked
def prospects_timeline(prospects: pd.DataFrame, as_of: pd.Timestamp) -> alt.LayerChart:
    """Each prospect from the article's date to its outcome, coloured by how it turned out."""

    data = prospects.assign(
        claim_date=as_of,
        outcome_at=pd.to_datetime(prospects["outcome_date"]).fillna(as_of),
        status_label=prospects["status"].map(PROSPECT_LABEL),
        short=prospects["claim"].map(
            lambda c: c if len(c) <= 70 else c[:69].rsplit(" ", 1)[0] + "…"
        ),
    )[["id", "claim", "short", "claim_date", "outcome_at", "status_label", "outcome"]]
    order = list(data.sort_values("outcome_at")["short"])
    pick = alt.selection_point(name="prospect", fields=["id"], on="click", clear=False)
    colour = alt.Color(
        "status_label:N",
        title="Outcome",
        scale=alt.Scale(
            domain=[PROSPECT_LABEL[k] for k in PROSPECT_COLOURS],
            range=list(PROSPECT_COLOURS.values()),
        ),
        legend=alt.Legend(orient="top"),
    )
    # Short labels keep the time axis wide on a phone; the full claim is in the tooltip.
    y = alt.Y("short:N", sort=order, title=None, axis=alt.Axis(labelLimit=180, labelOverlap=False))
    span = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2, color="#bbbbbb")
        .encode(
            x=alt.X("claim_date:T", title="From the article to the outcome"),
            x2=alt.X2("outcome_at:T"),
            y=y,
        )
    )
    start = (
        alt.Chart(data)
        .mark_point(size=60, color="#666666", filled=False)
        .encode(x=alt.X("claim_date:T"), y=y)
    )
    end = (
        alt.Chart(data)
        .mark_point(size=180, filled=True, cursor="pointer")
        .encode(
            x=alt.X("outcome_at:T"),
            y=y,
            color=colour,
            opacity=alt.OpacityValue(0.5, condition={"param": pick.name, "value": 1.0}),
            tooltip=[
                alt.Tooltip("claim:N", title="The article expected"),
                alt.Tooltip("outcome:N", title="What happened"),
                alt.Tooltip("outcome_at:T", title="When", format="%d %b %Y"),
                alt.Tooltip("status_label:N", title="Outcome"),
            ],
        )
        .add_params(pick)
    )
    return (span + start + end).properties(height=alt.Step(34), width="container")


def _repeated_as_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns whose values repeat (names, labels, citations: a matrix repeats an actor's
    name in every cell of its row) as categories, which Arrow sends as a dictionary: each value
    once, and a small index per row. The browser reads them back as the same strings."""
    repeated = {
        name: column.astype("category")
        for name, column in frame.items()
        if len(column) > 1
        and pd.api.types.infer_dtype(column, skipna=False) == "string"
        and column.nunique(dropna=False) <= len(column) // 2
    }
    return frame.assign(**repeated) if repeated else frame


def _arrow_dataset(data: object, datasets: dict[str, bytes]) -> dict[str, str]:
    """An Altair data transformer: a chart's table as Arrow IPC bytes under a name made from
    its content (as Streamlit's own does), so the spec carries no copy of the rows as JSON."""
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    table = pa.Table.from_pandas(_repeated_as_categories(frame), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    payload = sink.getvalue().to_pybytes()
    name = hashlib.md5(payload, usedforsecurity=False).hexdigest()
    datasets[name] = payload
    return {"name": name}


alt.data_transformers.register("positions_arrow", _arrow_dataset)


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, object]:
    """The Vega-Lite spec a page hands to Streamlit, with its tables as Arrow bytes.

    Not checked against the Vega-Lite schema: Streamlit's `st.altair_chart` checks every spec
    on every rerun (about 20 ms a chart); the tests check every chart builder's spec once
    (`tests/test_charts.py`), and a spec is the same for the same inputs. Altair's theme and
    data transformer are global, hence the lock.
    """
    datasets: dict[str, bytes] = {}
    with (
        _unchecked_lock,
        alt.theme.enable("none"),
        alt.data_transformers.enable("positions_arrow", datasets=datasets),
    ):
        spec = chart.to_dict(validate=False)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec
