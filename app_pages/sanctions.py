"""Sanctions: what the Nord Stream 2 measures imposed, waived and only considered, and on whom."""

import pandas as pd
import streamlit as st

import app_state
from positions.analysis import (
    SIDE_ORDER,
    UNIT_NOTE,
    counted_cells,
    decision_dates,
    decision_records,
    measure_sides,
    member_text,
    sanction_targets,
    sanction_tree,
    say_and_do,
    view_basis,
    waiver_date,
    waiver_summary,
)
from positions.charts import sanctions_by_kind
from positions.frames import relax_suggestions
from positions.model import STANCE_LABEL

SIDE_LABEL = {"for": "For", "against": "Against", "split": "Split inside", "mixed": "Mixed"}
SANCTION_STATUS_LABEL = {
    "imposed": "imposed",
    "waived": "waived",
    "considered": "considered only",
    "lifted": "lifted",
}

frames, view = app_state.view()
actor_names = dict(zip(frames.actors["id"], frames.actors["name"], strict=True))

st.title("Sanctions scope")
app_state.era_caption(frames, view)
if view.filters.actors:
    st.caption(
        "The measures follow the topic filter, the search and the date, not the actor filter: "
        "it narrows who supported and opposed them, at the foot of the page."
    )
summary = waiver_summary(frames.sanctions, actor_names)
if summary:
    lead = "What the waiver means." if waiver_date(frames.sanctions) else "In short."
    st.markdown(f"**{lead}** {app_state.escape_markdown(summary)}")

dates = decision_dates(frames.sanctions)
default = waiver_date(frames.sanctions) or "all"
decision = app_state.url_param(
    "decision",
    [*dates, "all"],
    default,
    lambda d: "All decisions" if d == "all" else f"{pd.Timestamp(d):%d %b %Y}".lstrip("0"),
)
st.segmented_control(
    "Decision",
    decision.options,
    format_func=decision.label,
    key="decision",
    help="Measures are grouped by the date they were decided; the waiver's decision first.",
)
chosen = app_state.page_value(decision)
sanctions = decision_records(view.sanctions, None if chosen == "all" else chosen)

if sanctions.empty:
    app_state.empty_state("sanction records", relax_suggestions(frames, view.filters, "sanctions"))
else:
    targets = sanction_targets(sanctions)
    totals = targets.groupby("status")["targets"].sum()
    columns = st.columns(4)
    for column, status in zip(columns, ("imposed", "waived", "considered", "lifted"), strict=True):
        column.metric(status.capitalize(), int(totals.get(status, 0)), help=f"Targets {status}")
    chart = sanctions_by_kind(sanctions)
    st.altair_chart(chart, width="stretch", alt="Bar chart of sanction targets by kind and status")
    app_state.chart_downloads(chart, "sanctions-by-kind", width=640)
    st.caption(
        "Each vessel, company or person counts once; a group whose members are listed is "
        "counted by its members, a group without a list by its stated size."
    )

    st.subheader("Who and what, with the evidence")
    tree = app_state.first_of(sanction_tree(sanctions), "records", limit=4 * app_state.LIST_LIMIT)
    for _, record in tree.iterrows():
        indent = "\u2003" * int(record["depth"]) + ("└ " if record["depth"] else "")
        count = (
            f" ×{int(record['count'])}" if pd.notna(record["count"]) and record["count"] > 1 else ""
        )
        target = app_state.escape_markdown(str(record["target"]))
        with st.expander(f"{indent}{target}{count} · {record['status']}"):
            kind = str(record["target_kind"]).replace("-group", " (a group)").replace("-", " ")
            facts = [f"**Kind:** {app_state.escape_markdown(kind)}"]
            facts.append(f"**Status:** {record['status']}")
            if isinstance(record["instrument"], str):
                facts.append(f"**Instrument:** {app_state.escape_markdown(record['instrument'])}")
            facts.append(f"**Date:** {app_state.format_date(record['date'])}")
            if isinstance(record["imposed_by"], str):
                by = actor_names.get(record["imposed_by"], record["imposed_by"])
                facts.append(f"**Decided by:** {app_state.escape_markdown(by)}")
            facts.append(f"**Source:** {app_state.escape_markdown(str(record['source_title']))}")
            st.markdown("  \n".join(facts))
            st.markdown("> " + app_state.escape_markdown(record["quote"]))
            if isinstance(record["note"], str):
                st.caption(app_state.escape_markdown(record["note"]))

st.subheader("Say and do")
st.caption(
    "Where an actor's stated stance conflicts with what it decided: it opposes what a measure "
    "works against, yet waived the measure (or supports it, yet imposed the measure). The "
    "actor who decided and those under it count as having said it."
)
conflicts = say_and_do(frames, view.positions)
if conflicts.empty:
    st.info("No conflict between word and deed in this view.", icon=":material/info:")
for _, row in app_state.first_of(conflicts, "conflicts").iterrows():
    with st.container(border=True):
        said, did = st.columns(2)
        said.markdown(
            f"**Said:** {app_state.escape_markdown(row['actor_name'])} on "
            f"{app_state.escape_markdown(row['topic_name'])}: {STANCE_LABEL[row['stance']]}"
            + (f" ({row['said_date']})" if row["said_date"] else "")
        )
        said.markdown("> " + app_state.escape_markdown(row["quote"]))
        said.caption(app_state.escape_markdown(str(row["source_title"])))
        did.markdown(
            f"**Did:** {row['status']} sanctions on {app_state.escape_markdown(row['target'])} "
            f"({app_state.format_date(row['date'])})"
        )
        did.markdown("> " + app_state.escape_markdown(row["sanction_quote"]))
        did.caption(app_state.escape_markdown(str(row["sanction_source"])))

st.subheader("Who supported and who opposed each measure")
st.caption(
    "From the positions on each top-level measure's own topic (opposing what a measure works "
    "against, such as the pipeline, is not opposing the measure). "
    f"{UNIT_NOTE} Counted from {view_basis(view.filters, frames.info.as_of)}."
)
cells = counted_cells(view, frames.info.as_of)
top_level = sanctions[~sanctions["parent"].isin(set(sanctions["id"]))]
for _, measure in app_state.first_of(top_level, "measures").iterrows():
    sides = measure_sides(measure, cells, frames.actors)
    if sides.empty:
        continue
    status = SANCTION_STATUS_LABEL.get(measure["status"], measure["status"])
    with st.expander(f"{app_state.escape_markdown(str(measure['target']))} · {status}"):
        for _, group in sides.groupby("topic", sort=False):
            st.markdown(f"**{app_state.escape_markdown(group['topic_name'].iloc[0])}**")
            for side in SIDE_ORDER:
                units = group[group["side"] == side]
                if units.empty:
                    continue
                lines = [
                    f"  - **{app_state.escape_markdown(unit['unit_name'])}** · "
                    + app_state.escape_markdown(member_text(unit["members"]))
                    for _, unit in units.iterrows()
                ]
                st.markdown(f"- **{SIDE_LABEL[side]} ({len(units)})**\n" + "\n".join(lines))

app_state.bind_page_params([decision])
