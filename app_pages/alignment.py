"""Alignment: who agrees with whom, two actors side by side, and the splits inside one actor."""

import pandas as pd
import streamlit as st

import app_state
from positions.analysis import (
    CELL_LABEL,
    MATRIX_PAGE_ROWS,
    MIN_SHARED_TOPICS,
    alignment,
    compare_actors,
    counted_cells,
    member_splits,
    order_actors,
    quotes_with_translations,
    scored_pair_count,
)
from positions.charts import alignment_matrix
from positions.frames import relax_suggestions

frames, view = app_state.view()
counted = view.counted()
cells = counted_cells(view, frames.info.as_of)
names = dict(zip(frames.actors["id"], frames.actors["name"], strict=True))

st.title("Alignment")
app_state.era_caption(frames, view)
st.caption(
    "Who agrees with whom, over the topics both took a side on; a figure needs "
    f"{MIN_SHARED_TOPICS} or more. "
    + (
        "Stated and inferred stances count."
        if view.filters.count_inferred
        else "Only stated stances count; include inferred ones in the sidebar."
    )
)

table = alignment(cells)
with_stances = set(cells["actor"])
present = [a for a in frames.actors["id"] if a in with_stances]
actor_a = app_state.url_param("a", ["", *present], "", lambda a: names.get(a, "Choose an actor"))
actor_b = app_state.url_param("b", ["", *present], "", lambda a: names.get(a, "Choose an actor"))

if table.empty or (table["shared"] > 0).sum() == 0:
    app_state.empty_state(
        "pairs of actors with shared topics", relax_suggestions(frames, view.filters)
    )
else:
    order = order_actors(frames.actors, cells, "kind")
    ids_by_name: dict[str, list[str]] = {}
    for actor_id, name in names.items():
        ids_by_name.setdefault(name, []).append(actor_id)
    order_ids = [a for name in order for a in ids_by_name.get(name, [])]
    if len(order_ids) > MATRIX_PAGE_ROWS:
        # A readable matrix: the actors with the most records; filters bring in the others.
        busiest = set(cells["actor"].value_counts().head(MATRIX_PAGE_ROWS).index)
        order_ids = [a for a in order_ids if a in busiest]
        table = table[table["actor_a"].isin(busiest) & table["actor_b"].isin(busiest)]
        st.caption(
            f"Showing the {MATRIX_PAGE_ROWS} actors with the most stances of "
            f"{cells['actor'].nunique()}; choose actors in the sidebar to compare others."
        )
    scored, sharing = scored_pair_count(table)
    st.markdown(
        f"**{scored} of {sharing} pairs** of actors that share a scored topic share "
        f"{MIN_SHARED_TOPICS} or more, enough for an agreement score; the others are grey."
    )
    app_state.wide_matrix_hint(len(order_ids), "actors")
    matrix = alignment_matrix(table, names, order_ids)
    picked = app_state.selectable_chart(
        matrix,
        key="alignment",
        selection="pair",
        alt=f"Agreement matrix of {len(order_ids)} actors",
        file_name="alignment-matrix",
    )
    if picked:
        clicked = (picked[0].get("actor_a"), picked[0].get("actor_b"))
        if clicked != st.session_state.get("_clicked_pair"):
            st.session_state["_clicked_pair"] = clicked
            st.session_state["a"], st.session_state["b"] = clicked

with st.expander("How agreement is computed", icon=":material/functions:"):
    st.caption(
        "Agreement = 1 − mean |score difference| / 4 over the topics on which both actors took a "
        "scored stance (support +2 … oppose −2), so 100% is the same stance everywhere and 0% "
        f"opposite ends of the scale. It is given only over {MIN_SHARED_TOPICS} or more shared "
        "topics (grey cells share fewer); the number in each cell counts them. 'Not raised' is not "
        "a point on the scale: topics one or both left unraised are counted apart (see the "
        "tooltip), and contested cells are left out."
    )

st.subheader("Two actors side by side")
columns = st.columns(2)
columns[0].selectbox("Actor", actor_a.options, format_func=actor_a.label, key="a")
columns[1].selectbox("Compared with", actor_b.options, format_func=actor_b.label, key="b")
first, second = app_state.page_value(actor_a), app_state.page_value(actor_b)
if first and second:
    rows = compare_actors(cells, counted, first, second)
    pair = table[(table["actor_a"] == first) & (table["actor_b"] == second)]
    if rows.empty:
        esc = app_state.escape_markdown
        st.info(f"{esc(names[first])} and {esc(names[second])} share no topic in this view.")
    else:
        score = pair["agreement"].iloc[0] if len(pair) else float("nan")
        shared = int(pair["shared"].iloc[0]) if len(pair) else 0
        summary = (
            f"{score:.0%} agreement over {shared} shared topics"
            if pd.notna(score)
            else (
                f"no agreement score: {shared} shared scored topic{'s' * (shared != 1)}, "
                f"fewer than the {MIN_SHARED_TOPICS} a score needs"
            )
        )
        esc = app_state.escape_markdown
        st.markdown(f"**{esc(names[first])}** and **{esc(names[second])}**: {summary}.")
        for _, row in app_state.first_of(rows, "topics").iterrows():
            with st.container(border=True):
                st.markdown(f"**{app_state.escape_markdown(row['topic_name'])}**: {row['verdict']}")
                left, right = st.columns(2)
                for column, side, who in ((left, "a", first), (right, "b", second)):
                    label = CELL_LABEL[row[f"stance_{side}"]]
                    when = row[f"date_{side}"]
                    column.markdown(
                        f"{app_state.escape_markdown(names[who])}: **{label}**"
                        + (f" ({when})" if isinstance(when, str) and when else "")
                    )
                    column.markdown("> " + app_state.escape_markdown(row[f"quote_{side}"]))
                    column.caption(app_state.escape_markdown(str(row[f"source_{side}"])))
else:
    st.info("Choose two actors, or click a cell of the matrix.", icon=":material/touch_app:")

st.subheader("Inside one actor")
st.caption(
    "Topics on which an actor and those under it (an administration and its officials, a "
    "country's government and its legislature) take opposite sides."
)
parents = [a for a in frames.actors["parent"].dropna().unique() if isinstance(a, str)]
roots = [a for a in frames.actors["id"] if a in parents]
inside = app_state.url_param("inside", roots, roots[0] if roots else "", lambda a: names.get(a, a))
if roots:
    st.selectbox("Actor", inside.options, format_func=inside.label, key="inside")
    parent = app_state.page_value(inside)
    splits = member_splits(cells, frames.actors, parent)
    if splits.empty:
        st.info(
            f"No split inside {app_state.escape_markdown(names[parent])} in this view.",
            icon=":material/info:",
        )
    else:
        topics = pd.Series(pd.unique(splits["topic"]))
        shown = set(app_state.first_of(topics.to_frame("topic"), "topics with a split")["topic"])
        splits = splits[splits["topic"].isin(shown)]
        # Each member's latest record on the topic, looked up once rather than per line.
        records = counted[counted["topic"].isin(shown)]
        quotes = (
            records.assign(quote=quotes_with_translations(records))
            .groupby(["actor", "topic"], sort=False)["quote"]
            .last()
        )
        for topic, group in splits.groupby("topic", sort=False):
            with st.container(border=True):
                st.markdown(f"**{app_state.escape_markdown(group['topic_name'].iloc[0])}**")
                for _, member in group.iterrows():
                    quote = quotes[(member["actor"], topic)]
                    when = member["date_text"]
                    dated = f" ({when})" if isinstance(when, str) and when else ""
                    st.markdown(
                        f"- {app_state.escape_markdown(member['actor_name'])}: "
                        f"**{CELL_LABEL[member['stance']]}**{dated}, "
                        f"“{app_state.escape_markdown(quote)}”"
                    )

app_state.bind_page_params([actor_a, actor_b, inside])
