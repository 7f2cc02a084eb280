"""Reader: a source's whole text, every coded passage marked with what was coded there."""

from urllib.parse import urlencode

import streamlit as st

import app_state
from page_registry import page_entry
from positions.views.reader import Passage, Piece, build_reader, reader_choices

frames, view = app_state.view()
esc = app_state.escape_markdown
choices, default = reader_choices(frames)

app_state.page_header(
    "Reader",
    frames,
    view,
    "A source's own text, as kept with the dataset. Each coded passage is marked and numbered; "
    "the list under its paragraph says what was coded there and opens it. Passages of the "
    "sidebar's view are highlighted, others keep only their grey number; sentences that no "
    "record codes are grey.",
)
source = app_state.url_param("source", list(choices), default, lambda s: choices.get(s, s))


def piece_markdown(piece: Piece) -> str:
    """A run of the text as markdown: its spacing kept at its edges (a run may end mid-sentence),
    its line breaks as spaces."""
    words = " ".join(piece.text.split())
    if not words:
        return " " if piece.text else ""
    before = " " if piece.text[0].isspace() else ""
    after = " " if piece.text[-1].isspace() else ""
    text = esc(words)
    if piece.kind == "uncoded":
        shown = f":gray[{text}]"
    elif piece.kind == "plain":
        shown = text
    else:
        # In the view: highlighted. Outside the filters: plain words, a grey number.
        shown = f":orange-background[{text}]" if piece.in_view else text
        colour = "orange" if piece.in_view else "gray"
        shown += "".join(f" :{colour}-badge[{n}]" for n in piece.ends)
    return before + shown + after


def passage_link(passage: Passage, settings: dict[str, list[str]]) -> str:
    """A list item linking to where the passage's record is shown: with the view's filters when
    the record is in the view; else in the latest view without filters, where it is."""
    query = (
        {**settings, **passage.query} if passage.in_view else {"as_of": "latest", **passage.query}
    )
    href = f"{page_entry(passage.page).url_path}?{urlencode(query, doseq=True)}"
    outside = "" if passage.in_view else " (outside the filters)"
    return f"{passage.number}. [{esc(passage.what)}]({href}){outside}"


upload = st.session_state.get("_upload")
if not choices and upload is not None and upload.texts_left_out:
    st.info(
        "Your upload's sources name their texts, but the texts stay on your computer: an "
        "upload cannot bring them along, so they cannot be shown here. Run the dashboard on "
        "your file with its texts beside it (`make run DATA=your-file`) to read them.",
        icon=":material/info:",
    )
elif not choices:
    st.info(
        "No source of this dataset has its text kept with it: a source names one with "
        "`text_file` (see the codebook).",
        icon=":material/info:",
    )
else:
    st.selectbox("Source", source.options, format_func=source.label, key="source")
    page = app_state.built(build_reader, frames, view, app_state.page_value(source))
    assert page is not None  # every choice has a text
    st.caption(esc(page.citation))
    st.metric("Sentences coded", f"{page.coded} of {page.sentences}", help=page.coverage)
    st.caption(page.coverage)
    settings = app_state.current_query()
    for block in page.blocks:
        if block.heading:
            st.markdown(f"##### {esc(block.pieces[0].text)}")
            continue
        st.markdown("".join(piece_markdown(piece) for piece in block.pieces))
        if block.passages:
            st.markdown("\n".join(passage_link(p, settings) for p in block.passages))

app_state.bind_page_params([source])
