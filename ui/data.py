"""The dataset the app serves: its path, the cached frames, their version, load errors, uploads."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import streamlit as st

from positions import DatasetError, Problem, load_dataset_bytes
from positions.cache import cached_frames
from positions.cite import dataset_version
from positions.formats import is_workbook
from positions.frames import Frames, to_frames
from positions.memory import release_freed_memory
from ui.text import escape_code
from ui.url import clear_filters

ROOT = Path(__file__).resolve().parent.parent  # the project, above ui/


DEFAULT_DATA = ROOT / "data" / "positions.yaml"


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
    # A fresh server reads an unchanged file's frames from the parsed cache on disk (see
    # positions.cache), which checks the file's content itself; uploads never go there.
    frames = cached_frames(path)
    release_freed_memory()
    return frames


# Kept under its old name for app_state and the tests that import it from there.
_release_freed_memory = release_freed_memory


@st.cache_data(max_entries=8, show_spinner=False)
def _file_version(path: str, mtime_ns: int, size: int) -> str:
    # Hashed in chunks: a big file is never held in memory just to name its version.
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


# The addresses that reach a server from this machine only.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serves_this_machine_only() -> bool:
    """Whether the server listens on a loopback address only: Streamlit listens on every
    interface unless `server.address` says otherwise."""
    address = str(st.get_option("server.address") or "").strip("[]")
    return address in LOOPBACK or address.startswith("127.")


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
    """The server's own dataset cannot be loaded: for whoever runs the server (a refused upload
    is shown by `show_upload_problems`)."""
    count = len(error.problems)
    lines = "\n".join(f"- `{escape_code(str(p))}`" for p in error.problems[:50])
    more = f"\n- … and {count - 50} more" if count > 50 else ""
    what_to_do = (
        "Fix the file and reload this page. To see the same list in a terminal, run "
        f"`python -m positions validate {escape_code(str(path))}`."
    )
    st.error(
        f"**The dataset `{escape_code(str(path))}` cannot be shown: "
        f"{count} problem{'s' if count != 1 else ''}.**\n\n{lines}{more}\n\n{what_to_do}",
        icon=":material/error:",
    )


def data_is_workbook() -> bool:
    """Whether the dataset in use (the upload, or the file on disk) is an Excel workbook."""
    upload = st.session_state.get("_upload")
    return is_workbook(upload.name if upload is not None else data_path())


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
    # The source texts the file names (`text_file`): an upload cannot bring them along, so its
    # quotes were not checked against them, and show without their context.
    texts_left_out: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return self.name.removeprefix(UPLOAD_PREFIX)


def upload_panel() -> None:
    """Let a reader try the dashboard on their own dataset file, for their session only."""
    upload = st.session_state.get("_upload")
    with st.expander("Use your own dataset", icon=":material/upload_file:", expanded=False):
        if upload is not None:
            st.caption(
                f"Showing your upload `{escape_code(upload.file_name)}` (version {upload.version})."
            )
            st.button("Back to the bundled dataset", on_click=_drop_upload)
        st.caption(
            "A YAML file or an Excel workbook (.xlsx) in the same format (see the codebook). It "
            "is checked with the same rules, used for your session only and never stored. The "
            "texts its sources name (`text_file`) stay on your computer: its quotes are not "
            "checked against them here."
        )
        st.file_uploader(
            "Another dataset file" if upload is not None else "Dataset file",
            type=["yaml", "yml", "xlsx"],
            key="_upload_file",
            on_change=_take_upload,
        )
        refused = st.session_state.get("_upload_error")
        if refused is not None:
            # The problems themselves are at the top of the page, where there is room to read.
            count = len(refused[0].problems)
            st.error(
                f"Not used: {count} problem{'s' if count != 1 else ''}, listed at the top of "
                "the page.",
                icon=":material/error:",
            )


def show_upload_in_use() -> None:
    """Above every page: the reader is looking at their own upload, not the bundled dataset,
    and what an upload could not check."""
    upload = st.session_state.get("_upload")
    if upload is None:
        return
    st.caption(
        f":material/upload_file: Showing your upload `{escape_code(upload.file_name)}` "
        f"(version {upload.version}), for this session only; \u201cUse your own dataset\u201d "
        "in the sidebar goes back to the bundled dataset."
    )
    if upload.texts_left_out:
        named = ", ".join(f"`{escape_code(t)}`" for t in upload.texts_left_out)
        st.warning(
            f"Its sources name texts ({named}) that an upload cannot bring along: its quotes "
            "were **not** checked against them, and show without their context. To check them, "
            "run `python -m positions validate` on your file with the texts beside it.",
            icon=":material/warning:",
        )


def show_upload_problems() -> None:
    """A refused upload's problems at the top of the main area, each at its line or cell, with
    what to do and a way to dismiss them. The dataset in use stays as it was."""
    refused = st.session_state.get("_upload_error")
    if refused is None:
        return
    error, path = refused
    name = str(path).removeprefix(UPLOAD_PREFIX)
    count = len(error.problems)
    shown = error.problems[:50]
    lines = "\n".join(f"- `{escape_code(_where_and_what(p))}`" for p in shown)
    more = f"\n- … and {count - 50} more" if count > 50 else ""
    if is_workbook(name):
        what_to_do = (
            "Fix these cells in your workbook and upload it again. To go to a cell, type its "
            "name (such as `positions!C12`) into the Name Box, left of the formula bar."
        )
    else:
        what_to_do = (
            "Fix these lines of your YAML file (each problem starts with its line and column) "
            "and upload it again."
        )
    st.error(
        f"**Your upload `{escape_code(name)}` was not used: {count} "
        f"problem{'s' if count != 1 else ''}.** The dashboard still shows the dataset it "
        f"showed before.\n\n{lines}{more}\n\n{what_to_do}",
        icon=":material/error:",
    )
    st.button(
        "Dismiss",
        key="_dismiss_upload_error",
        on_click=_dismiss_upload_error,
        icon=":material/close:",
    )


def _where_and_what(problem: Problem) -> str:
    """A problem without its file's name (the heading gives it): `positions!C12: …` in a
    workbook, `line 31, column 5: positions[0].stance: …` in YAML."""
    text = str(problem).removeprefix(f"{problem.file}:").lstrip(" ")
    if problem.cell is None:
        text = text.removeprefix(f"{problem.line}:{problem.column}: ")
        return f"line {problem.line}, column {problem.column}: {text}"
    return text


def _dismiss_upload_error() -> None:
    st.session_state["_upload_error"] = None


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
    left_out = tuple(dict.fromkeys(s.text_file for s in dataset.sources if s.text_file))
    st.session_state["_upload"] = Upload(
        name, data, to_frames(dataset), dataset_version(data), left_out
    )
    clear_filters()


def _drop_upload() -> None:
    st.session_state["_upload"] = None
    st.session_state["_upload_error"] = None
    clear_filters()
