"""Pinned links and citations: a link to an older version says so; cite this view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from positions.cite import QuotedWords, bibtex, plain_citation, quote_bibtex, quote_citation
from positions.model import DatasetInfo
from positions.views.evidence import Evidence
from ui.text import escape_code
from ui.url import filters_from_state, share_link


def pinned_version_notice(version: str) -> None:
    """A link made with another version of the data says so, and offers the current view."""
    pinned = st.query_params.get("v")
    if pinned is not None:
        st.session_state["_pinned"] = pinned[:40]
    pinned = st.session_state.get("_pinned")
    if pinned and version and pinned != version:
        st.warning(
            f"This link was made with dataset version `{escape_code(pinned)}`; the data has "
            f"changed since (now `{version}`), so what you see may differ from what was shared. "
            "The view below shows the current data.",
            icon=":material/history:",
        )
        st.button("Show the current view", on_click=_forget_pin, icon=":material/refresh:")


def _forget_pin() -> None:
    st.session_state["_pinned"] = None
    if "v" in st.query_params:
        del st.query_params["v"]


def cite_view(info: DatasetInfo, version: str, url: str) -> None:
    """Ready citations of the current view: plain text and BibTeX, with the date the view
    speaks from where it is not the dataset's."""
    today = datetime.now().date()
    view_as_of = filters_from_state(info.as_of.isoformat()).as_of or "latest"
    st.caption("Plain text")
    st.code(plain_citation(info, version, url, today, view_as_of), language=None, wrap_lines=True)
    st.caption("BibTeX")
    st.code(bibtex(info, version, url, today, view_as_of), language="bibtex", wrap_lines=True)


@dataclass(frozen=True)
class QuoteCitation:
    plain: str
    bibtex: str


def quote_citation_of(record: Evidence, info: DatasetInfo, version: str) -> QuoteCitation:
    """A record's quote, cited with the link to its cell, pinned to this version of the data."""
    today = datetime.now().date()
    query = {"cell": [f"{record.actor}~{record.topic}"]} | ({"v": [version]} if version else {})
    url = share_link("stances", query)
    words = QuotedWords(
        words=record.quote,
        coded_as=f"the stance of {record.actor_name} on {record.topic_name}: {record.stance_label}",
        author=record.source_author,
        title=record.source_title,
        publisher=record.source_publisher,
        year=record.source_year,
        source_url=record.source_url,
        citation=record.citation,
        dating=record.dating,
        dataset=info.title,
        version=version or "unversioned",
        record=record.id,
    )
    return QuoteCitation(quote_citation(words, url, today), quote_bibtex(words, url, today))
