"""Curate: code records straight from a source's text into a working copy of the dataset."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

import app_state
from positions.curate import Checked, FieldProblem
from positions.model import STANCE_LABEL, STANCE_MEANING
from positions.views.curate import (
    CurateView,
    Paragraph,
    TextView,
    around,
    build_curate,
    sentence_of,
)
from ui import curate
from ui.curate import NEW, Session
from ui.curate_copy import (
    show_draft_offer,
    show_flash,
    show_record,
    show_records,
    show_working_copy,
)

esc = app_state.escape_markdown
code = app_state.escape_code

st.title("Curate")
st.caption(
    "Code records straight from a source's text: pick a sentence, narrow it to the exact words, "
    "then say who takes which stance on what. Each record is checked as you make it and goes "
    "to a working copy of the whole dataset; the file is written only when you save it. The "
    "sidebar's filters do not apply here."
)


def sentence_label(text: TextView) -> Callable[[int], str]:
    """A sentence as the picker names it: its number and its first words. No count of records:
    a label that changes makes the picker lose the sentence chosen under the old one."""

    def label(number: int) -> str:
        row = text.sentence(number)
        if row is None:
            return str(number)
        words = row.text if len(row.text) <= 90 else row.text[:87].rstrip() + "…"
        return f"{number} · {words}"

    return label


def pick_in(paragraph: Paragraph, key: str, chosen: int | None) -> None:
    """The paragraph's sentence numbers as buttons: clicking one picks that sentence. Each row
    shows the sentence picked, if it is one of its own (set before it is drawn)."""
    numbers = [row.number for row in paragraph.sentences]
    if not numbers:
        return
    st.session_state[key] = chosen if chosen in numbers else None
    st.pills(
        f"Pick sentence {numbers[0]}" + (f" to {numbers[-1]}" if len(numbers) > 1 else ""),
        numbers,
        key=key,
        label_visibility="collapsed",
        on_change=curate.on_pick,
        args=(key,),
    )


def show_text(current: Session, view: CurateView) -> None:
    text = view.text
    assert text is not None
    st.caption(esc(text.citation))
    st.markdown(f"**{esc(text.coverage)}**")
    chosen = st.session_state.get("cur_sentence")
    st.caption(
        "To pick a sentence, click its number under its paragraph, or type its number or words "
        "in the Sentence box below."
    )
    with st.container(height=360, border=True, key="cur_text"):
        for index, paragraph in enumerate(text.paragraphs):
            if paragraph.heading:
                st.markdown(f"**{esc(paragraph.heading)}**")
                continue
            lines = []
            for row in paragraph.sentences:
                words = esc(row.text)
                if row.number == chosen:
                    words = f":blue-background[{words}]"
                mark = (
                    f":green-badge[{row.records} record{'s' if row.records != 1 else ''}]"
                    if row.records
                    else ":orange-badge[not coded]"
                )
                lines.append(f":gray-badge[{row.number}] {mark} {words}")
            st.markdown("  \n".join(lines))
            pick_in(paragraph, f"cur_pick_{index}", chosen)
    st.subheader("2. Pick a sentence", anchor=False)
    only = st.toggle("Only sentences no record codes yet", key="cur_only_uncoded")
    options = [n for n in text.numbers if not only or not text.sentence(n).records]
    if chosen is not None and chosen not in options:
        options = sorted([*options, chosen])
    st.selectbox(
        "Sentence",
        options,
        index=None,
        format_func=sentence_label(text),
        key="cur_sentence",
        placeholder="Type words from it, or its number",
        on_change=curate.on_sentence_change,
        help="The numbers are those of the text above. Picking a sentence puts it in the quote "
        "box below, for you to narrow to the exact words.",
    )
    row = text.sentence(chosen) if chosen is not None else None
    if row is None:
        return
    words = around(current.texts[text.source], row)
    with st.container(border=True):
        st.caption(f"Sentence {row.number}, in its paragraph")
        st.markdown(
            " ".join(
                part
                for part in (
                    esc(words.before),
                    f":blue-background[**{esc(words.sentence)}**]",
                    esc(words.after),
                )
                if part
            )
        )
    here = view.coded_in.get(row.number, ())
    if here:
        st.caption(f"Coded in sentence {row.number} already:")
        for record in here:
            show_record(current, record, "here")


def show_problem(problem: FieldProblem) -> None:
    """A problem in plain words, its hint on a line of its own."""
    hint = f"  \n{esc(capitalised(problem.hint))}" if problem.hint else ""
    st.error(f"{esc(capitalised(problem.message))}{hint}", icon=":material/error:")


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def notes(checked: Checked, noun: str) -> None:
    for note in checked.notes:
        if f" {noun}'s " in note:
            st.caption(esc(note))


def problems(checked: Checked, field: str) -> None:
    for problem in checked.on(field):
        show_problem(problem)


def show_quote_box(current: Session, view: CurateView, checked: Checked) -> None:
    st.subheader("3. Narrow the quote", anchor=False)
    source = checked.form.source
    st.text_area(
        "Quote: the source's own words, exactly",
        key="cur_quote",
        height=100,
        help="Delete what does not carry the claim: keep the shortest run of the source's words "
        "that makes it a stance (at least three words). It must stay word for word as in the "
        "text; quote marks, dashes and spacing may differ.",
    )
    if source not in current.texts:
        st.caption(
            f"{esc(view.sources.get(source or '', source or ''))} keeps no text with the dataset: "
            "the quote cannot be checked against it."
        )
        return
    # Streamlit takes a text area's words only when Ctrl+Enter is pressed or the box is left:
    # the verdict names the words it checked, so one about earlier words cannot pass for now.
    st.caption(
        "Checked against the text when you press Ctrl+Enter (⌘+Enter on a Mac) or leave the "
        "box; what is said below is about the words checked last."
    )
    if checked.quote_span is not None and not checked.on("quote"):
        number = sentence_of(view.text, checked.quote_span) if view.text else None
        where = f" (sentence {number})" if number else ""
        quote = " ".join(checked.form.quote.split())
        st.success(
            f"Word for word in the text{where}: \u201c{esc(quote)}\u201d.", icon=":material/check:"
        )
    problems(checked, "quote")


def show_form(current: Session, view: CurateView, checked: Checked) -> None:
    editing = curate.editing_record()
    st.subheader("4. Who, on what, and how", anchor=False)
    if editing is not None:
        st.info(
            f"Editing record {esc(editing.id or '')} from "
            f"{esc(view.sources.get(editing.source, editing.source))}: saving puts your version "
            "in its place.",
            icon=":material/edit:",
        )
    actor_col, topic_col = st.columns(2)
    with actor_col:
        actors = {NEW: "New actor… (not in this list)", **view.actors}
        st.selectbox(
            "Actor",
            list(actors),
            index=None,
            format_func=actors.get,
            key="cur_actor",
            placeholder="Who holds the stance, or a new actor",
            help="The most specific actor the sentence names (the minister, not the state). "
            "Not in the list? Pick “New actor…”, the first choice.",
        )
        problems(checked, "actor")
        if st.session_state.get("cur_actor") == NEW:
            with st.container(border=True):
                st.text_input("Name", key="cur_na_name", placeholder="e.g. Heiko Maas")
                problems(checked, "new_actor.name")
                st.text_input(
                    "Id",
                    key="cur_na_id",
                    placeholder="blank: made from the name",
                    help="Lowercase letters, digits and single hyphens.",
                )
                problems(checked, "new_actor.id")
                notes(checked, "actor")
                st.selectbox(
                    "Kind",
                    list(view.kinds),
                    index=None,
                    key="cur_na_kind",
                    placeholder="state, official, legislature…",
                )
                problems(checked, "new_actor.kind")
                st.selectbox(
                    "Belongs to (optional)",
                    list(view.actors),
                    index=None,
                    format_func=view.actors.get,
                    key="cur_na_parent",
                    placeholder="No parent",
                    help="So that views roll the actor up to its "
                    "government or group (the minister to the government).",
                )
                problems(checked, "new_actor.parent")
    with topic_col:
        topics = {NEW: "New topic… (not in this list)", **view.topics}
        st.selectbox(
            "Topic",
            list(topics),
            index=None,
            format_func=topics.get,
            key="cur_topic",
            placeholder="What the stance is on, or a new topic",
            help="A policy or an issue, named so that 'support' reads naturally. Not in the "
            "list? Pick “New topic…”, the first choice.",
        )
        problems(checked, "topic")
        if st.session_state.get("cur_topic") == NEW:
            with st.container(border=True):
                st.text_input("Name", key="cur_nt_name", placeholder="e.g. Waiver of sanctions")
                problems(checked, "new_topic.name")
                st.text_input(
                    "Id",
                    key="cur_nt_id",
                    placeholder="blank: made from the name",
                    help="Lowercase letters, digits and single hyphens.",
                )
                problems(checked, "new_topic.id")
                notes(checked, "topic")
                st.text_input(
                    "Group (optional)",
                    key="cur_nt_group",
                    placeholder=f"e.g. {view.groups[0] if view.groups else 'Energy'}",
                    help="A heading that gathers topics: " + (", ".join(view.groups) or "none yet"),
                )
                problems(checked, "new_topic.group")
    st.radio(
        "Stance",
        list(STANCE_LABEL),
        index=None,
        format_func=STANCE_LABEL.get,
        captions=[STANCE_MEANING[s] for s in STANCE_LABEL],
        key="cur_stance",
        help="How strong follows the words, by the codebook's rule 4.",
    )
    problems(checked, "stance")
    st.radio(
        "Confidence",
        ["stated", "inferred"],
        format_func={
            "stated": "Stated: the source says it of this actor",
            "inferred": "Inferred: it follows, but is not said outright",
        }.get,
        key="cur_confidence",
    )
    problems(checked, "confidence")
    st.text_area(
        "Note"
        + (
            " (required: why it follows)"
            if st.session_state.get("cur_confidence") == "inferred"
            else " (optional)"
        ),
        key="cur_note",
        height=80,
        help="Plain words for readers: no ids or codes.",
    )
    problems(checked, "note")
    date_col, event_col = st.columns(2)
    with date_col:
        st.text_input(
            "Date (optional)",
            key="cur_date",
            placeholder="YYYY-MM-DD, YYYY-MM or YYYY",
            help="When the actor held or stated it, only as precise as the source: a month or a "
            "year when it gives no day.",
        )
        problems(checked, "date")
    with event_col:
        st.selectbox(
            "Event"
            + (
                " (required for not raised)"
                if st.session_state.get("cur_stance") == "not_raised"
                else " (optional)"
            ),
            list(view.events),
            index=None,
            format_func=view.events.get,
            key="cur_event",
            placeholder="No event",
        )
        problems(checked, "event")
    with st.expander("More fields: translation, record id", key="cur_more"):
        st.text_input("English translation of a non-English quote", key="cur_translation")
        problems(checked, "translation")
        st.text_input(
            "Record id",
            key="cur_id",
            placeholder="blank: kept when editing, made from actor and topic when adding",
        )
        problems(checked, "id")
    for problem in checked.on(""):
        show_problem(problem)
    show_flash("form")
    if checked.missing:
        st.info(
            f"Still to give: {esc(missing_text(checked.missing))}.", icon=":material/checklist:"
        )
    elif checked.problems:
        count = len(checked.problems)
        st.info(
            f"Fix the {count} problem{'s' if count != 1 else ''} marked in red above to add the "
            "record: it is not added while anything is wrong.",
            icon=":material/checklist:",
        )
    elif checked.ok:
        st.success(
            "Ready: the quote is word for word in the source and the record follows the "
            "codebook's rules.",
            icon=":material/check_circle:",
        )
    label = "Save changes to the record" if editing is not None else "Add to the working copy"
    add, cancel = st.columns(2)
    add.button(
        label,
        key="cur_add",
        type="primary",
        disabled=not checked.ok,
        on_click=curate.add_from_form,
        icon=":material/add:" if editing is None else ":material/save:",
        width="stretch",
    )
    if editing is not None:
        cancel.button(
            "Cancel editing", key="cur_cancel", on_click=curate.cancel_edit, width="stretch"
        )


def missing_text(missing: tuple[str, ...]) -> str:
    from positions.curate.check import MISSING_LABEL

    names = [MISSING_LABEL.get(m, m) for m in missing]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def main() -> None:
    if st.session_state.get("_upload") is not None:
        st.info(
            f"The other pages show your uploaded file; this page codes the server's data file "
            f"`{code(str(app_state.data_path()))}`.",
            icon=":material/info:",
        )
    current = curate.session()
    pending = curate.pending_draft()
    if current is None and pending is not None:
        show_draft_offer(pending)
        return
    if current is None:
        error = curate.load_error()
        if error is not None:
            app_state.show_data_error(error, app_state.data_path())
        return
    choices, default = curate.choices(current)
    if st.session_state.get("cur_source") not in choices:
        st.session_state["cur_source"] = default or None
    view = build_curate(
        current.working,
        current.texts,
        st.session_state.get("cur_source") or "",
        all_positions=bool(st.session_state.get("cur_all")) or not choices,
    )
    show_working_copy(current, view)
    show_flash("toast")
    if not choices:
        st.info(
            "No source of this dataset keeps its text, so there is no text to code from. To add "
            "one, save the source's text as a UTF-8 file in the dataset's folder (for example "
            "`evidence/my-source.txt`), name it in the source's `text_file` field (see the "
            "codebook), and reload this page.",
            icon=":material/info:",
        )
    else:
        st.subheader("1. Pick a source", anchor=False)
        st.selectbox(
            "Source",
            list(choices),
            format_func=choices.get,
            key="cur_source",
            on_change=curate.on_source_change,
            help="Only sources whose text is kept with the dataset (their `text_file`).",
        )
        show_text(current, view)
    checked = curate.check_form(current)
    if st.session_state.get("cur_sentence") is not None or curate.editing_record() is not None:
        show_quote_box(current, view, checked)
        show_form(current, view, checked)
    elif choices:
        st.caption("Pick a sentence above to code it; the form to do so opens here.")
    show_records(current, view)


try:
    main()
except Exception as exc:  # never a traceback: the work is safe in the session and the draft
    logging.getLogger(__name__).exception("the Curate page failed")
    st.error(
        f"The Curate page hit a problem it did not expect ({type(exc).__name__}). Your working "
        "copy is kept in this session and in the draft beside the data file: reload the page, "
        "and if this comes back, download the working copy and report the problem. The server's "
        "log has the details.",
        icon=":material/error:",
    )
