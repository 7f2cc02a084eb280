"""Streamlit glue shared by the entrypoint and the pages: cached data, URL-bound view, evidence.

Everything that computes lives in the `positions` package; this module only connects it to
Streamlit's widgets, cache, session state and query string.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from positions import DatasetError, Problem, load_dataset, load_dataset_bytes
from positions.analysis import LATEST, as_of_choices, as_of_label, era_note
from positions.charts import matrix_width
from positions.cite import bibtex, dataset_version, plain_citation
from positions.export import chart_file
from positions.frames import (
    FilteredFrames,
    Filters,
    Frames,
    apply_filters,
    search_terms,
    to_frames,
)
from positions.model import STANCE_LABEL

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = ROOT / "data" / "positions.yaml"
# A hostile link may repeat a parameter thousands of times; no honest view needs more.
MAX_URL_VALUES = 200
MAX_URL_VALUE_LENGTH = 100

FILTER_KEYS = ("actor", "topic", "stance", "q")
# The view's settings travel with the filters from page to page and in shared links.
SETTING_KEYS = ("as_of", "count")
GLOBAL_KEYS = FILTER_KEYS + SETTING_KEYS
COUNT_CHOICES = {"stated": "Stated only", "all": "Stated and inferred"}
# An upload lives in one session's memory: keep it to what a hand-curated dataset needs.
UPLOAD_MAX_BYTES = 8 * 1024 * 1024
UPLOAD_PREFIX = "upload:"  # names an uploaded file in messages, apart from paths on the server


def data_path() -> Path:
    """The dataset file: `-- --data PATH`, else $POSITIONS_DATA, else the bundled dataset."""
    argv = sys.argv[1:]
    if "--data" in argv and argv.index("--data") + 1 < len(argv):
        return Path(argv[argv.index("--data") + 1])
    return Path(os.environ.get("POSITIONS_DATA") or DEFAULT_DATA)


# One parsed copy for every session, not a copy per session and rerun (st.cache_data would
# unpickle the frames on every call): the frames are read-only by convention, since every
# function that narrows or annotates them returns a new frame.
@st.cache_resource(max_entries=4, show_spinner="Loading the dataset…")
def _load_frames(path: str, mtime_ns: int, size: int) -> Frames:
    # mtime and size are part of the cache key, so an edited file is read again on the next run.
    frames = to_frames(load_dataset(path))
    _release_freed_memory()
    return frames


def _release_freed_memory() -> None:
    """Hand the memory the loader freed back to the system.

    Parsing a large file leaves hundreds of MB of freed Python objects that glibc keeps for
    reuse; the server would report (and Community Cloud count) them for as long as it runs.
    """
    gc.collect()
    # Not glibc (macOS, Windows, musl): nothing to hand back this way.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@st.cache_data(max_entries=8, show_spinner=False)
def _file_version(path: str, mtime_ns: int, size: int) -> str:
    # Hashed in chunks: a big file is never held in memory just to name its version.
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def current_version() -> str:
    """The short content hash of the dataset in use ('' when it cannot be read)."""
    upload = st.session_state.get("_upload")
    if upload is not None:
        return upload.version
    path = data_path()
    try:
        stat = path.stat()
        return _file_version(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return ""


@dataclass(frozen=True)
class Loaded:
    """What to show: frames (possibly the last good ones), and the error if the file is bad."""

    frames: Frames | None
    error: DatasetError | None
    path: Path
    stale_since: datetime | None = None  # set when frames are the last good version


@st.cache_resource
def _last_good() -> dict[str, tuple[Frames, datetime]]:
    # Shared by every session of this server: an edit that breaks the file must not take the
    # dashboard down for readers; they keep the last version that loaded.
    return {}


_last_good_lock = threading.Lock()


def load() -> Loaded:
    """The dataset's frames, or the loader's error (never an exception).

    When the file becomes unreadable or invalid after it once loaded, the last good frames are
    kept and returned together with the error, so the app can serve them with a warning.
    """
    upload = st.session_state.get("_upload")
    if upload is not None:
        return Loaded(upload.frames, None, Path(upload.name))
    path = data_path()
    try:
        stat = path.stat()
        frames = _load_frames(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        error = DatasetError(
            [Problem(str(path), 1, 1, "", f"cannot read the file: {exc.strerror}")]
        )
    except DatasetError as exc:
        error = exc
    else:
        with _last_good_lock:
            _last_good()[str(path)] = (frames, datetime.now())
        return Loaded(frames, None, path)
    with _last_good_lock:
        good = _last_good().get(str(path))
    if good is None:
        return Loaded(None, error, path)
    return Loaded(good[0], error, path, stale_since=good[1])


def show_stale_warning(loaded: Loaded) -> None:
    """A visible notice that the file broke and the last good version is shown."""
    assert loaded.error is not None and loaded.stale_since is not None
    first = loaded.error.problems[0]
    more = len(loaded.error.problems) - 1
    st.warning(
        f"**The dataset file has a problem; showing the last good version "
        f"(loaded {loaded.stale_since:%H:%M:%S}).** `{escape_code(str(first))}`"
        + (f" and {more} more problem{'s' if more != 1 else ''}" if more else "")
        + f". Run `python -m positions validate {escape_code(str(loaded.path))}` to see them all.",
        icon=":material/warning:",
    )


def show_data_error(error: DatasetError, path: Path) -> None:
    count = len(error.problems)
    lines = "\n".join(f"- `{escape_code(str(p))}`" for p in error.problems[:50])
    more = f"\n- … and {count - 50} more" if count > 50 else ""
    uploaded = str(path).removeprefix(UPLOAD_PREFIX)
    if uploaded != str(path):  # an upload: the reader has the file, the server does not
        what_to_do = (
            "Fix the file and upload it again. To see the same list in a terminal, run "
            f"`python -m positions validate {escape_code(uploaded)}` on your copy."
        )
    else:
        what_to_do = (
            "Fix the file and reload this page. To see the same list in a terminal, run "
            f"`python -m positions validate {escape_code(str(path))}`."
        )
    st.error(
        f"**The dataset `{escape_code(str(path))}` cannot be shown: "
        f"{count} problem{'s' if count != 1 else ''}.**\n\n{lines}{more}\n\n{what_to_do}",
        icon=":material/error:",
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# Streamlit turns `:material/home:` and `:smile:` into icons even when the colons are escaped;
# an invisible break after the first colon keeps them text.
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_]+)?:)")


def escape_markdown(text: str) -> str:
    """Text from data or a URL, shown literally in Streamlit markdown: no markup, images,
    icons or HTML (a bare web address still shows as a link, as in any text)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _SHORTCODE.sub(":\u200b", text))


def escape_code(text: str) -> str:
    """Text shown inside a `code` span: backticks would end the span, so they are replaced."""
    return text.replace("`", "ʼ")


# --- The view in the URL -------------------------------------------------------------------


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
    return f"{pd.Timestamp(frames.info['as_of']):%Y-%m-%d}"


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
            [LATEST, *as_of_choices(frames.positions, frames.info["as_of"])],
            lambda v: as_of_label(v, frames.info["as_of"]),
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


# --- What every page shares ----------------------------------------------------------------


def view() -> tuple[Frames, FilteredFrames]:
    """The loaded frames and the current filtered view, as the entrypoint left them."""
    frames: Frames = st.session_state["_frames"]
    return frames, apply_filters(frames, filters_from_state(dataset_day(frames)))


def era_caption(frames: Frames, view: FilteredFrames) -> None:
    """Under a page's title: the date the view speaks from, and what that leaves out or mixes."""
    note = era_note(frames, view.filters)
    if note:
        st.caption(escape_markdown(note))


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


def empty_state(what: str, suggestions: list[str]) -> None:
    """A friendly message instead of an empty chart, naming the filter to relax."""
    if suggestions:
        hint = " or ".join(suggestions)
        st.info(f"No {what} match this view. Try {hint}.", icon=":material/filter_alt_off:")
    else:
        st.info(f"The dataset has no {what} to show here.", icon=":material/info:")


PHONE_CONTENT_WIDTH = 358  # a 390 px phone less the page's margins


def wide_matrix_hint(columns: int, what: str) -> None:
    """Say that a matrix too wide for a phone scrolls sideways, before it is drawn.

    The matrix scrolls inside its own frame with no visible scroll bar on a touch screen, so
    the columns past the edge (on a phone, most of them) would otherwise go unnoticed.
    """
    if matrix_width(columns) > PHONE_CONTENT_WIDTH:
        st.caption(
            f"{columns} {what} across: where the matrix is wider than your screen, scroll it "
            f"sideways to see them all, or choose fewer {what} in the sidebar."
        )


LIST_LIMIT = 30  # records written out one by one on a page; the rest are counted


def first_of(frame: pd.DataFrame, what: str, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The first `limit` rows, with a line saying how many more there are and how to see them.

    A list of every record of a large dataset would take seconds to send and nobody reads it;
    the filters narrow it, and the downloads hold everything.
    """
    if len(frame) > limit:
        st.caption(
            f"Showing the first {limit} of {len(frame):,} {what}. Narrow the view with the "
            "filters or the search in the sidebar; the downloads on Sources & method hold them "
            "all."
        )
    return frame.head(limit)


def format_date(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return "undated"
    try:
        return f"{pd.Timestamp(value):%d %b %Y}"
    except (TypeError, ValueError):
        return "undated"


def highlight(text: str, query: str) -> str:
    """Markdown of `text`, escaped, with the words of the search highlighted."""
    terms = search_terms(query)
    if not terms:
        return escape_markdown(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape_markdown(text[last : match.start()]))
        parts.append(f":orange-background[{escape_markdown(match.group(0))}]")
        last = match.end()
    parts.append(escape_markdown(text[last:]))
    return "".join(parts)


def show_record_evidence(record: pd.Series, frames: Frames) -> None:
    """One position's evidence: stance, verbatim quote, citation, date, event, confidence, note."""
    label = STANCE_LABEL.get(record["stance"], record["stance"])
    confidence = record["confidence"]
    st.markdown(
        f"**{escape_markdown(record['actor_name'])}** on "
        f"**{escape_markdown(record['topic_name'])}**: :blue-badge[{label}] "
        + (
            ":orange-badge[inferred: follows from the source, not said]"
            if confidence == "inferred"
            else ":green-badge[stated]"
        )
    )
    query = filters_from_state().search
    translation = record.get("translation")
    if isinstance(translation, str):
        original, english = st.columns(2)
        original.markdown("> " + highlight(record["quote"], query).replace("\n", "\n> "))
        english.markdown(
            "*English translation:*  \n> " + highlight(translation, query).replace("\n", "\n> ")
        )
    else:
        st.markdown("> " + highlight(record["quote"], query).replace("\n", "\n> "))
    details = [f"**Source:** {escape_markdown(record['source_citation'])}"]
    when = record.get("date_text")
    details.append(f"**Date:** {when if isinstance(when, str) and when else 'undated'}")
    if isinstance(record.get("event_title"), str):
        details.append(f"**Event:** {escape_markdown(record['event_title'])}")
    if isinstance(record.get("note"), str):
        details.append(f"**Note:** {highlight(record['note'], query)}")
    st.markdown("  \n".join(details))


def show_event(event: pd.Series, frames: Frames) -> None:
    """One event's details and quote."""
    names = dict(zip(frames.actors["id"], frames.actors["name"], strict=True))
    sources = frames.sources.set_index("id")
    when = (
        f"{event['date']:%B %Y}"
        if event["date_precision"] == "month"
        else format_date(event["date"])
    )
    badge = ":orange-badge[planned]" if event["status"] == "planned" else ":blue-badge[occurred]"
    st.markdown(f"**{escape_markdown(event['title'])}** {badge}")
    kind = str(event["kind"]).replace("-", " ").capitalize()
    details = [f"**Date:** {when}", f"**Kind:** {escape_markdown(kind)}"]
    if isinstance(event.get("place"), str):
        details.append(f"**Place:** {escape_markdown(event['place'])}")
    actors = ", ".join(names.get(a, a) for a in event["actors"])
    details.append(f"**Actors:** {escape_markdown(actors)}")
    if event["source"] in sources.index:
        details.append(f"**Source:** {escape_markdown(sources.loc[event['source'], 'citation'])}")
    st.markdown("  \n".join(details))
    if isinstance(event.get("quote"), str):
        st.markdown("> " + escape_markdown(event["quote"]))
    if isinstance(event.get("description"), str):
        st.caption(escape_markdown(event["description"]))


def data_file() -> Callable[[], bytes]:
    """The dataset in use as a file (the upload, or the file on disk), to read when needed.

    The session's choice is bound now: a download button calls this later, outside the run,
    where the session's state is not at hand.
    """
    upload = st.session_state.get("_upload")
    if upload is not None:
        data: bytes = upload.data
        return lambda: data
    return data_path().read_bytes


@dataclass(frozen=True)
class Upload:
    """A dataset a reader uploaded: kept in their session only, never written to disk."""

    name: str
    data: bytes
    frames: Frames
    version: str


def upload_panel() -> None:
    """Let a reader try the dashboard on their own dataset file, for their session only."""
    upload = st.session_state.get("_upload")
    with st.expander("Use your own dataset", icon=":material/upload_file:", expanded=False):
        if upload is not None:
            st.caption(
                f"Showing your upload `{escape_code(upload.name)}` (version {upload.version})."
            )
            st.button("Back to the bundled dataset", on_click=_drop_upload)
            return
        st.caption(
            "A YAML file in the same format (see the codebook). It is checked with the same "
            "rules, used for your session only and never stored."
        )
        st.file_uploader(
            "Dataset file", type=["yaml", "yml"], key="_upload_file", on_change=_take_upload
        )
        refused = st.session_state.get("_upload_error")
        if refused is not None:
            show_data_error(*refused)


def _take_upload() -> None:
    """Check an uploaded file and, if it is valid, switch this session to it.

    Runs as the uploader's callback, before any widget of the run exists, so that the filters
    (widgets keyed by their URL names) can be reset to fit the new dataset.
    """
    file = st.session_state.get("_upload_file")
    st.session_state["_upload_error"] = None
    if file is None:
        return
    data = file.getvalue()
    name = f"{UPLOAD_PREFIX}{file.name}"
    try:
        dataset = load_dataset_bytes(data, name, max_bytes=UPLOAD_MAX_BYTES)
    except DatasetError as error:
        st.session_state["_upload_error"] = (error, Path(name))
        return
    st.session_state["_upload"] = Upload(name, data, to_frames(dataset), dataset_version(data))
    clear_filters()


def _drop_upload() -> None:
    st.session_state["_upload"] = None
    st.session_state["_upload_error"] = None
    clear_filters()


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


CURATION_METHOD = (
    "Each record codes one actor's stance on one topic from one source on one occasion, with "
    "the source's own words that carry the claim, copied exactly. The codebook below says what "
    "every stance means; the dataset's own description says where its sources come from."
)


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


def cite_view(info: dict[str, object], version: str, url: str) -> None:
    """Ready citations of the current view: plain text and BibTeX."""
    today = datetime.now().date()
    st.caption("Plain text")
    st.code(plain_citation(info, version, url, today), language=None, wrap_lines=True)
    st.caption("BibTeX")
    st.code(bibtex(info, version, url, today), language="bibtex", wrap_lines=True)


CHART_FILES = (
    ("svg", "SVG", "image/svg+xml", "The chart as a vector file, for reports"),
    ("png", "PNG", "image/png", "The chart as an image at twice screen resolution"),
)


def chart_downloads(chart: Any, name: str, width: int | None = None) -> None:
    """SVG and PNG files of a chart, made on the server only when a button is pressed.

    `width` (pixels) replaces a chart's "fill the page" width, which a file does not have.
    """

    def file_of(kind: str) -> bytes:
        return chart_file(chart.properties(width=width) if width else chart, kind)

    columns = st.columns([1, 1, 4])
    for column, (kind, label, mime, help_text) in zip(columns, CHART_FILES, strict=False):
        column.download_button(
            label,
            lambda kind=kind: file_of(kind),
            file_name=f"{name}.{kind}",
            mime=mime,
            icon=":material/download:",
            key=f"{kind}-{name}",
            on_click="ignore",
            help=help_text,
        )


def selectable_chart(
    chart: Any,
    *,
    key: str,
    selection: str,
    alt: str,
    file_name: str,
    fill: bool = False,
    file_width: int | None = None,
) -> list[dict[str, Any]]:
    """Draw a chart whose marks a reader clicks, with its SVG and PNG files below; returns the
    selected marks' fields (empty when nothing is selected).

    `fill` stretches the chart to the page's width (a timeline); otherwise it keeps its own
    (a matrix, whose cells have a fixed size). `file_width` is the files' width for a chart
    that fills the page.
    """
    event = st.altair_chart(
        chart,
        width="stretch" if fill else "content",
        key=key,
        on_select="rerun",
        selection_mode=selection,
        alt=alt,
    )
    chart_downloads(chart, file_name, width=file_width)
    picked = event.selection.get(selection) if event else None
    return list(picked or [])
