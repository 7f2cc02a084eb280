"""The view in the address bar: filters and settings as ids, synced both ways, shareable links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from positions.analysis import LATEST, as_of_choices, as_of_label
from positions.frames import (
    FilteredFrames,
    Filters,
    Frames,
    apply_filters,
)
from positions.memo import remember
from positions.model import STANCE_LABEL
from ui.text import escape_code

# A hostile link may repeat a parameter thousands of times; no honest view needs more.
MAX_URL_VALUES = 200


MAX_URL_VALUE_LENGTH = 100


FILTER_KEYS = ("actor", "topic", "stance", "q")


# The view's settings travel with the filters from page to page and in shared links.
SETTING_KEYS = ("as_of", "count")


GLOBAL_KEYS = FILTER_KEYS + SETTING_KEYS


COUNT_CHOICES = {"stated": "Stated only", "all": "Stated and inferred"}


@dataclass(frozen=True)
class Param:
    """A URL parameter bound to a widget: its allowed ids and how to show them."""

    key: str
    options: list[str]
    label: Callable[[str], str]
    multi: bool = True
    default: str | None = None
    free_text: bool = False  # any text (a search), not one of `options`


def _clean(values: list[str]) -> tuple[list[str], int]:
    values = [v for v in values if v.strip()]  # `?topic=` means nothing chosen, not an error
    kept = [v for v in values[:MAX_URL_VALUES] if len(v) <= MAX_URL_VALUE_LENGTH]
    return kept, len(values) - len(kept)


def sync_from_url(params: list[Param], scope: str) -> list[str]:
    """Adopt the URL into widget state when it changed from outside (a shared link, Back, an
    edit of the address bar); returns notices about values that were dropped.

    What this session last wrote is remembered, so a rerun caused by a widget does not undo it.
    """
    notices: list[str] = []
    written = st.session_state.setdefault(f"_written_{scope}", {})
    for param in params:
        url_values = st.query_params.get_all(param.key)
        # Unchanged since this session wrote it: keep the widget's state, unless Streamlit
        # dropped that state while another page was shown (Back to this page must restore it).
        if url_values == written.get(param.key) and param.key in st.session_state:
            continue
        if param.free_text:
            text = url_values[0][:MAX_URL_VALUE_LENGTH] if url_values else ""
            if url_values and len(url_values[0]) > MAX_URL_VALUE_LENGTH:
                notices.append(f"Shortened the {param.key} in the link to 100 characters.")
            st.session_state[param.key] = text
            written[param.key] = url_values
            continue
        values, dropped = _clean(url_values)
        unknown = [v for v in values if v not in param.options]
        known = list(dict.fromkeys(v for v in values if v in param.options))
        if unknown:
            shown = ", ".join(f"`{escape_code(v[:40])}`" for v in unknown[:10])
            more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
            notices.append(f"Ignored unknown {param.key} value(s) in the link: {shown}{more}.")
        if dropped:
            notices.append(
                f"Ignored {dropped} {param.key} value(s) that were too many or too long."
            )
        if param.multi:
            st.session_state[param.key] = known
        else:
            st.session_state[param.key] = known[0] if known else param.default
            if len(known) > 1:
                notices.append(f"The link gives several {param.key} values; using the first.")
        written[param.key] = url_values
    return notices


def link_notices(new: list[str]) -> list[str]:
    """Notices about a link stay on screen until the reader changes the view."""
    view = tuple(str(st.session_state.get(k) or "") for k in GLOBAL_KEYS)
    if new:
        st.session_state["_notices"] = (new, view)
    notices, adopted_view = st.session_state.get("_notices", ([], view))
    if adopted_view != view:
        st.session_state["_notices"] = ([], view)
        return []
    return notices


def write_to_url(params: list[Param], scope: str) -> None:
    """Put the widgets' current values in the address bar, as ids."""
    written = st.session_state.setdefault(f"_written_{scope}", {})
    for param in params:
        value = st.session_state.get(param.key)
        values = (
            list(value or [])
            if param.multi
            else ([] if value in (None, param.default) else [value])
        )
        if values:
            st.query_params[param.key] = values
        elif param.key in st.query_params:
            del st.query_params[param.key]
        written[param.key] = values


def current_query(keys: tuple[str, ...] | list[str] = GLOBAL_KEYS) -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in keys if st.query_params.get_all(k)}


def all_query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def clear_filters() -> None:
    # The date and the counting rule are settings of the view, not filters: they stay.
    for key in FILTER_KEYS:
        st.session_state[key] = "" if key == "q" else []


def filters_from_state(default_as_of: str | None = None) -> Filters:
    when = st.session_state.get("as_of") or default_as_of or LATEST
    return Filters(
        actors=tuple(st.session_state.get("actor") or ()),
        topics=tuple(st.session_state.get("topic") or ()),
        stances=tuple(st.session_state.get("stance") or ()),
        search=str(st.session_state.get("q") or "")[:MAX_URL_VALUE_LENGTH],
        as_of=None if when == LATEST else str(when),
        count_inferred=st.session_state.get("count") == "all",
    )


def dataset_day(frames: Frames) -> str:
    return f"{pd.Timestamp(frames.info.as_of):%Y-%m-%d}"


def global_params(frames: Frames) -> list[Param]:
    actor_names = dict(zip(frames.actors["id"], frames.actors["name"], strict=True))
    actor_kinds = dict(zip(frames.actors["id"], frames.actors["kind"], strict=True))
    topic_names = dict(zip(frames.topics["id"], frames.topics["name"], strict=True))
    topic_groups = dict(zip(frames.topics["id"], frames.topics["group"], strict=True))
    return [
        Param(
            "actor",
            list(frames.actors["id"]),
            lambda a: f"{actor_names[a]} · {actor_kinds[a].replace('-', ' ')}",
        ),
        Param(
            "topic",
            list(frames.topics["id"]),
            lambda t: f"{topic_names[t]} · {topic_groups[t]}",
        ),
        Param("stance", list(STANCE_LABEL), STANCE_LABEL.__getitem__),
        Param("q", [], str, multi=False, default="", free_text=True),
        Param(
            "as_of",
            [LATEST, *as_of_choices(frames.positions, frames.info.as_of)],
            lambda v: as_of_label(v, frames.info.as_of),
            multi=False,
            default=dataset_day(frames),
        ),
        Param(
            "count", list(COUNT_CHOICES), COUNT_CHOICES.__getitem__, multi=False, default="stated"
        ),
    ]


def share_link(page_path: str, query: dict[str, list[str]]) -> str:
    """The full address of this view, for people to copy."""
    base = st.context.url or ""
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    prefix = parts.path.rstrip("/")
    # The context URL ends with the current page's path, which is not what we want here.
    for known in st.session_state.get("_page_paths", []):
        if known and prefix.endswith("/" + known):
            prefix = prefix[: -len(known) - 1]
            break
    path = f"{prefix}/{page_path}" if page_path else prefix + "/"
    query_text = urlencode([(k, v) for k, vs in query.items() for v in vs])
    return f"{origin}{path}" + (f"?{query_text}" if query_text else "")


def view() -> tuple[Frames, FilteredFrames]:
    """The loaded frames and the current filtered view, as the entrypoint left them."""
    frames: Frames = st.session_state["_frames"]
    filters = filters_from_state(dataset_day(frames))
    return frames, remember(frames, ("view", filters), lambda: apply_filters(frames, filters))


def url_param(key: str, options: list[str], default: str, label: Callable[[str], str]) -> Param:
    """A page-local, single-valued URL parameter (e.g. the matrix ordering)."""
    param = Param(key, options, label, multi=False, default=default)
    for notice in sync_from_url([param], scope=f"page-{key}"):
        st.info(notice, icon=":material/info:")
    if st.session_state.get(key) is None:  # unselected, or cleaned up while on another page
        st.session_state[key] = default
    return param


def bind_page_params(params: list[Param]) -> None:
    """Write page-local settings to the URL, after their widgets have run."""
    for param in params:
        write_to_url([param], scope=f"page-{param.key}")


def page_value(param: Param) -> str:
    value = st.session_state.get(param.key)
    return value if value in param.options else str(param.default)


def keep_known_values(params: list[Param]) -> None:
    """Drop selected ids the dataset no longer has (an edited file, an upload), before the
    widgets are drawn: a multiselect refuses a value that is not among its options."""
    for param in params:
        if param.free_text or not param.multi:
            continue
        chosen = st.session_state.get(param.key) or []
        known = [v for v in chosen if v in param.options]
        if known != chosen:
            st.session_state[param.key] = known
