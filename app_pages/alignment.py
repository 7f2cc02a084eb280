"""Alignment: who agrees with whom, two actors side by side, and the splits inside one actor."""

import streamlit as st

import app_state
from positions.analysis import MIN_SHARED_TOPICS
from positions.charts import alignment_matrix
from positions.views.alignment import build_alignment, comparison, splits_inside

frames, view = app_state.view()
aligned = app_state.built(build_alignment, frames, view)
names = aligned.actor_names
esc = app_state.escape_markdown


def actor_label(actor: str) -> str:
    return names.get(actor, "Choose an actor")


st.title("Alignment")
app_state.era_caption(frames, view)
st.caption(
    "Who agrees with whom, over the topics both took a side on; a figure needs "
    f"{MIN_SHARED_TOPICS} or more. {aligned.counting_note}"
)
actor_a = app_state.url_param("a", ["", *aligned.choices], "", actor_label)
actor_b = app_state.url_param("b", ["", *aligned.choices], "", actor_label)

if aligned.empty:
    app_state.empty_state("pairs of actors with shared topics", aligned.relax)
else:
    if aligned.busiest_note:
        st.caption(aligned.busiest_note)
    st.markdown(aligned.scored_note)
    app_state.wide_matrix_hint(len(aligned.order), "actors")
    picked = app_state.selectable_chart(
        app_state.once(
            aligned, "matrix", lambda: alignment_matrix(aligned.pairs, names, aligned.order)
        ),
        key="alignment",
        selection="pair",
        alt=aligned.alt,
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
first_id, second_id = app_state.page_value(actor_a), app_state.page_value(actor_b)
compared = app_state.once(
    aligned,
    ("comparison", first_id, second_id),
    lambda: comparison(aligned, view, first_id, second_id, frames.texts),
)
if compared is None:
    st.info("Choose two actors, or click a cell of the matrix.", icon=":material/touch_app:")
elif not compared.topics:
    first, second = (esc(name) for name in compared.names)
    st.info(f"{first} and {second} share no topic in this view.")
else:
    first, second = (esc(name) for name in compared.names)
    st.markdown(f"**{first}** and **{second}**: {compared.summary}.")
    app_state.more_caption(compared.more)
    for topic in compared.topics:
        with st.container(border=True):
            st.markdown(f"**{esc(topic.topic_name)}**: {topic.verdict}")
            for column, side in zip(st.columns(2), topic.sides, strict=True):
                column.markdown(
                    f"{esc(side.actor_name)}: **{side.stance_label}**"
                    + (f" ({side.date_text})" if side.date_text else "")
                )
                app_state.show_quote(side.quoted, column)

st.subheader("Inside one actor")
st.caption(
    "Topics on which an actor and those under it (an administration and its officials, a "
    "country's government and its legislature) take opposite sides."
)
roots = aligned.roots
inside = app_state.url_param("inside", roots, roots[0] if roots else "", lambda a: names.get(a, a))
if roots:
    st.selectbox("Actor", inside.options, format_func=inside.label, key="inside")
    parent = app_state.page_value(inside)
    splits, more = app_state.once(
        aligned, ("splits", parent), lambda: splits_inside(aligned, view, frames, parent)
    )
    if not splits:
        st.info(f"No split inside {esc(names[parent])} in this view.", icon=":material/info:")
    app_state.more_caption(more)
    for split in splits:
        # One block a topic, its members a list: hundreds of elements otherwise, on a big view.
        lines = [f"**{esc(split.topic_name)}**", ""]
        for member in split.members:
            dated = f" ({member.date_text})" if member.date_text else ""
            lines.append(
                f"- {esc(member.actor_name)}: **{member.stance_label}**{dated}, "
                f"“{esc(member.quote)}”"
            )
        st.container(border=True).markdown("\n".join(lines))

app_state.bind_page_params([actor_a, actor_b, inside])
