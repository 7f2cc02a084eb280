"""Sanctions: what the Nord Stream 2 measures imposed, waived and only considered, and on whom."""

import streamlit as st

import app_state
from positions.charts import sanctions_by_kind
from positions.views.sanctions import build_sanctions, decision_choices

frames, view = app_state.view()
esc = app_state.escape_markdown
choices, default = decision_choices(frames)
decision = app_state.url_param("decision", list(choices), default, choices.__getitem__)

st.title("Sanctions scope")
app_state.era_caption(frames, view)
page = app_state.built(build_sanctions, frames, view, app_state.page_value(decision))
if page.actor_note:
    st.caption(page.actor_note)
if page.summary:
    st.markdown(f"**{page.summary_lead}** {esc(page.summary)}")
st.segmented_control(
    "Decision",
    decision.options,
    format_func=decision.label,
    key="decision",
    help="Measures are grouped by the date they were decided; the waiver's decision first.",
)

if page.empty:
    app_state.empty_state("sanction records", page.relax)
else:
    for column, (status, count) in zip(
        st.columns(len(page.totals)), page.totals.items(), strict=True
    ):
        column.metric(status, count, help=f"Targets {status.lower()}")
    chart = app_state.once(page, "chart", lambda: sanctions_by_kind(page.sanctions))
    app_state.chart(chart, alt="Bar chart of sanction targets by kind and status")
    app_state.chart_downloads(chart, "sanctions-by-kind", width=640)
    st.caption(
        "Each vessel, company or person counts once; a group whose members are listed is "
        "counted by its members, a group without a list by its stated size."
    )

    st.subheader("Who and what, with the evidence")
    app_state.more_caption(page.tree_more)
    for record in page.tree:
        indent = "\u2003" * record.depth + ("└ " if record.depth else "")
        count = f" ×{record.count}" if record.count else ""
        with st.expander(f"{indent}{esc(record.target)}{count} · {record.status.lower()}"):
            st.markdown("  \n".join(f"**{label}:** {esc(value)}" for label, value in record.facts))
            app_state.show_quote(record.quoted, in_expander=True)
            if record.note:
                st.caption(esc(record.note))

st.subheader("Say and do")
st.caption(
    "Where an actor's stated stance conflicts with what it decided: it opposes what a measure "
    "works against, yet waived the measure (or supports it, yet imposed the measure). The "
    "actor who decided and those under it count as having said it."
)
if not page.conflicts:
    st.info("No conflict between word and deed in this view.", icon=":material/info:")
app_state.more_caption(page.conflicts_more)
for conflict in page.conflicts:
    with st.container(border=True):
        said, did = st.columns(2)
        said.markdown(
            f"**Said:** {esc(conflict.actor_name)} on {esc(conflict.topic_name)}: "
            f"{conflict.stance_label}" + (f" ({conflict.said_date})" if conflict.said_date else "")
        )
        app_state.show_quote(conflict.said, said)
        did.markdown(
            f"**Did:** {conflict.status} sanctions on {esc(conflict.target)} ({conflict.date})"
        )
        app_state.show_quote(conflict.did, did)

st.subheader("Who supported and who opposed each measure")
st.caption(page.sides_note)
app_state.more_caption(page.measures_more)
for measure in page.measures:
    with st.expander(f"{esc(measure.target)} · {measure.status}"):
        for topic_name, sides in measure.topics:
            st.markdown(f"**{esc(topic_name)}**")
            for side in sides:
                lines = [f"  - **{esc(unit)}** · {esc(members)}" for unit, members in side.units]
                st.markdown(f"- **{side.label}**\n" + "\n".join(lines))

app_state.bind_page_params([decision])
