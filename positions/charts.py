"""Altair chart builders: a frame in, a chart out. No filtering happens here."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from positions.analysis import CELL_LABEL, sanction_targets
from positions.frames import CONTESTED

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

CELL_SIZE = 22
LEGEND_HEIGHT = 150
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


@_unchecked
def stance_matrix(
    cells: pd.DataFrame, actor_order: list[str], topic_order: list[str]
) -> alt.LayerChart:
    """Actors (rows) by topics (columns); click a cell to select its (actor, topic)."""
    changed = cells["changed_from"] if "changed_from" in cells else pd.Series("", cells.index)
    data = cells.assign(
        glyph=cells["stance"].map(STANCE_GLYPHS),
        on_dark=cells["stance"].isin(DARK_FILLS),
        records_note=cells["records"].map(lambda n: "" if n == 1 else f"{n} records"),
        changed_from=changed.fillna(""),
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
        ]
    ]
    pick = alt.selection_point(name="cell", fields=["actor", "topic"], on="click", clear=False)
    base = alt.Chart(data).encode(
        x=alt.X(
            "topic_name:N",
            sort=topic_order,
            title="Topic",
            # Vertical labels never overlap, so Vega drops none of them.
            axis=alt.Axis(
                orient="top",
                labelAngle=-90,
                labelLimit=AXIS_LABEL_LIMIT,
                labelFontSize=11,
                labelOverlap=False,
                labelPadding=4,
            ),
        ),
        y=alt.Y(
            "actor_name:N",
            sort=actor_order,
            title="Actor",
            axis=alt.Axis(labelLimit=AXIS_LABEL_LIMIT, labelFontSize=11, labelOverlap=False),
        ),
    )
    labels = [CELL_LABEL[s] for s in STANCE_COLOURS]
    rect = (
        base.mark_rect(stroke="#ffffff", strokeWidth=1, cursor="pointer")
        .encode(
            color=alt.Color(
                "cell_label:N",
                title="Stance",
                scale=alt.Scale(domain=labels, range=list(STANCE_COLOURS.values())),
                # In the empty corner above the actor names and left of the topic names, so
                # that it is in view on a phone too, where the matrix scrolls sideways.
                legend=alt.Legend(
                    orient="none",
                    legendX=-MATRIX_LEFT_MARGIN,
                    legendY=-LEGEND_HEIGHT - 24,
                    direction="vertical",
                    labelExpr=_glyph_label_expression(),
                    labelFontSize=11,
                    symbolType="square",
                ),
            ),
            opacity=alt.OpacityValue(0.55, condition={"param": pick.name, "value": 1.0}),
            tooltip=[
                alt.Tooltip("actor_name:N", title="Actor"),
                alt.Tooltip("topic_name:N", title="Topic"),
                alt.Tooltip("cell_label:N", title="Stance"),
                alt.Tooltip("quote_start:N", title="Quote"),
                alt.Tooltip("sources:N", title="Source"),
                alt.Tooltip("records_note:N", title="Records"),
                alt.Tooltip("changed_from:N", title="Changed; before"),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(fontSize=12, fontWeight="bold").encode(
        text=alt.Text("glyph:N"),
        color=alt.ColorValue("#1a1a1a", condition={"test": "datum.on_dark", "value": "#ffffff"}),
        tooltip=alt.TooltipValue(None),
    )
    # A heavy outline marks a cell whose stance changed since the comparison date.
    outline = (
        base.transform_filter("datum.changed_from != ''")
        .mark_rect(filled=False, stroke="#000000", strokeWidth=2.5)
        .encode(tooltip=alt.TooltipValue(None))
    )
    return (rect + text + outline).properties(
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


@_unchecked
def timeline(
    events: pd.DataFrame,
    as_of: pd.Timestamp,
    kinds: list[str],
    domain: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> alt.LayerChart:
    """Events on a time axis by kind; planned hollow, occurred filled; a rule at `as_of`.

    An event known only to the month ("expected in June") also gets a bar across that month.
    """
    data = events.assign(
        when=events["date"]
        .dt.strftime("%d %b %Y")
        .where(events["date_precision"] != "month", events["date"].dt.strftime("%B %Y")),
        actors_text=events["actors"].map(", ".join),
        quote_text=events["quote"].fillna(""),
        place_text=events["place"].fillna(""),
    )[["id", "date", "when", "title", "kind", "status", "actors_text", "quote_text", "place_text"]]
    pick = alt.selection_point(name="event", fields=["id"], on="click", clear=False)
    x_scale = alt.Scale(domain=[d.isoformat() for d in domain]) if domain else alt.Undefined
    months = events[events["date_precision"] == "month"]
    spans = (
        alt.Chart(
            pd.DataFrame(
                {
                    "date": months["date"],
                    "date_end": months["date"] + pd.offsets.MonthEnd(0),
                    "kind": months["kind"],
                }
            )
        )
        .mark_rule(strokeWidth=6, opacity=0.35, color="#e08214")
        .encode(
            x=alt.X("date:T", scale=x_scale), x2=alt.X2("date_end:T"), y=alt.Y("kind:N", sort=kinds)
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(size=160, strokeWidth=2, cursor="pointer")
        .encode(
            x=alt.X(
                "date:T", title="Date", axis=alt.Axis(format="%d %b", labelAngle=0), scale=x_scale
            ),
            y=alt.Y("kind:N", title="Kind of event", sort=kinds, axis=alt.Axis(labelLimit=140)),
            shape=alt.Shape(
                "status:N",
                title="Status",
                scale=alt.Scale(
                    domain=list(EVENT_STATUS_SHAPES), range=list(EVENT_STATUS_SHAPES.values())
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["occurred", "planned"], range=["#2166ac", "#e08214"]),
                legend=None,
            ),
            fill=alt.FillValue(
                "#2166ac", condition={"test": "datum.status == 'planned'", "value": "transparent"}
            ),
            opacity=alt.OpacityValue(0.45, condition={"param": pick.name, "value": 1.0}),
            tooltip=[
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("place_text:N", title="Place"),
                alt.Tooltip("actors_text:N", title="Actors"),
            ],
        )
        .add_params(pick)
    )
    rule_data = pd.DataFrame({"date": [as_of], "label": [f"As of {as_of:%d %b %Y}"]})
    rule = (
        alt.Chart(rule_data).mark_rule(strokeDash=[4, 4], color="#666666").encode(x=alt.X("date:T"))
    )
    label = (
        alt.Chart(rule_data)
        .mark_text(align="left", dx=4, dy=-6, baseline="bottom", color="#666666", fontSize=11)
        .encode(x=alt.X("date:T"), text=alt.Text("label:N"), y=alt.YValue(0))
    )
    return (spans + rule + label + points).properties(height=alt.Step(44))


@_unchecked
def alignment_matrix(
    table: pd.DataFrame, names: dict[str, str], order: list[str]
) -> alt.LayerChart:
    """Actor × actor agreement (0 to 1) with the number of shared topics in each cell."""
    data = table[table["shared"] > 0].assign(
        name_a=lambda f: f["actor_a"].map(names),
        name_b=lambda f: f["actor_b"].map(names),
        percent=lambda f: (f["agreement"] * 100).round().astype(int),
    )
    labels = [names[a] for a in order]
    pick = alt.selection_point(name="pair", fields=["actor_a", "actor_b"], on="click", clear=False)
    base = alt.Chart(data).encode(
        x=alt.X(
            "name_b:N",
            sort=labels,
            title=None,
            axis=alt.Axis(
                orient="top", labelAngle=-90, labelLimit=AXIS_LABEL_LIMIT, labelOverlap=False
            ),
        ),
        y=alt.Y(
            "name_a:N",
            sort=labels,
            title=None,
            axis=alt.Axis(labelLimit=AXIS_LABEL_LIMIT, labelOverlap=False),
        ),
    )
    rect = (
        base.mark_rect(stroke="#ffffff", strokeWidth=1, cursor="pointer")
        .encode(
            color=alt.Color(
                "agreement:Q",
                title="Agreement",
                scale=alt.Scale(domain=[0, 0.5, 1], range=["#b2182b", "#f7f7f7", "#2166ac"]),
                legend=alt.Legend(orient="top", format=".0%", gradientLength=160),
            ),
            opacity=alt.OpacityValue(0.6, condition={"param": pick.name, "value": 1.0}),
            tooltip=[
                alt.Tooltip("name_a:N", title="Actor"),
                alt.Tooltip("name_b:N", title="Compared with"),
                alt.Tooltip("agreement:Q", title="Agreement", format=".0%"),
                alt.Tooltip("shared:Q", title="Shared topics"),
                alt.Tooltip("both_not_raised:Q", title="Both left unraised"),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("shared:Q"),
        color=alt.ColorValue(
            "#1a1a1a",
            condition={
                "test": "datum.agreement < 0.2 || datum.agreement > 0.8",
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
    "open": "#969696",
}


@_unchecked
def prospects_timeline(prospects: pd.DataFrame, as_of: pd.Timestamp) -> alt.LayerChart:
    """Each prospect from the article's date to its outcome, coloured by how it turned out."""
    from positions.analysis import PROSPECT_LABEL

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
