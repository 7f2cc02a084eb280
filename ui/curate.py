"""The Streamlit glue of the Curate page: curate mode, the session's working copy and its draft,
the form's state, and the actions its buttons take (as callbacks, before the page is drawn).

Curate mode is on only when the app was started with `-- --curate`: no setting, environment
variable or address turns it on, so a public deployment never shows the page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import streamlit as st

from positions.curate import (
    Checked,
    DraftUnreadable,
    History,
    NewActor,
    NewTopic,
    PositionForm,
    SaveRefused,
    WorkingCopy,
    check_position,
    commit,
    discard_draft,
    draft_path,
    drop_unused,
    dropped_text,
    read_draft,
    remove_record,
    save,
    summary,
    undo,
    write_draft,
)
from positions.curate.working import NOUN
from positions.errors import DatasetError
from positions.load import check_quotes_against_texts, load_dataset_bytes, read_dataset_file
from positions.texts import SourceText, read_texts
from positions.views.curate import source_choices
from ui.data import data_path

log = logging.getLogger(__name__)

NEW = "+new"  # the actor and topic pickers' choice "create one"

# The form's widgets, by session key, and what each holds when the form is empty.
FORM_DEFAULTS: dict[str, Any] = {
    "cur_actor": None,
    "cur_na_id": "",
    "cur_na_name": "",
    "cur_na_kind": None,
    "cur_na_parent": None,
    "cur_topic": None,
    "cur_nt_id": "",
    "cur_nt_name": "",
    "cur_nt_group": "",
    "cur_stance": None,
    "cur_confidence": "stated",
    "cur_note": "",
    "cur_date": "",
    "cur_event": None,
    "cur_translation": "",
    "cur_id": "",
}


def curate_mode() -> bool:
    """True when the app was started with `-- --curate`."""
    return "--curate" in sys.argv[1:]


@dataclass(frozen=True)
class Session:
    """The curator's working copy in this session, and what it was loaded from."""

    path: Path  # the data file the app was started with: the only file a save writes
    working: WorkingCopy
    texts: dict[str, SourceText]
    history: History = field(default_factory=History)  # the copies before each action


def load_file(path: Path) -> Session:
    """A working copy of the data file as it is now (raises `DatasetError`)."""
    data = read_dataset_file(path)
    dataset = load_dataset_bytes(data, str(path))
    dataset = check_quotes_against_texts(dataset, data, str(path), path.parent)
    texts, _ = read_texts(dataset.sources, path.parent)
    return Session(path, WorkingCopy.of_file(dataset, data, str(path)), texts)


def session() -> Session | None:
    """The session's working copy, or None while a draft waits for the curator's decision or
    the file cannot be loaded (the page then says why: see `pending_draft`, `load_error`)."""
    current: Session | None = st.session_state.get("_curate")
    path = data_path()
    if current is not None and current.path == path:
        return _follow_file(current)
    st.session_state["_curate"] = None
    try:
        draft = read_draft(path)
    except DraftUnreadable as exc:
        st.session_state["_curate_draft"] = ("unreadable", str(exc))
        return None
    if draft is not None:
        st.session_state["_curate_draft"] = ("found", draft)
        return None
    st.session_state["_curate_draft"] = None
    return _load_or_error(path)


def _load_or_error(path: Path) -> Session | None:
    try:
        loaded = load_file(path)
    except DatasetError as error:
        st.session_state["_curate_error"] = error
        return None
    st.session_state["_curate_error"] = None
    st.session_state["_curate"] = loaded
    return loaded


def _follow_file(current: Session) -> Session:
    """An unchanged working copy follows the file when it changes on disk (an editor saved it);
    one with changes keeps its base, and the page warns that a save would be refused."""
    if current.working.changes or not file_changed_on_disk(current):
        return current
    fresh = _load_or_error(current.path)
    return fresh if fresh is not None else current


def file_changed_on_disk(current: Session) -> bool:
    try:
        stat = current.path.stat()
    except OSError:
        return True
    key = (str(current.path), stat.st_mtime_ns, stat.st_size)
    known = st.session_state.get("_curate_stat")
    if known is None or known[0] != key:
        try:
            digest = hashlib.sha256(current.path.read_bytes()).hexdigest()
        except OSError:
            return True
        st.session_state["_curate_stat"] = (key, digest)
    return st.session_state["_curate_stat"][1] != current.working.sha256


def file_sha256(path: Path) -> str | None:
    """The hash of the data file as it is now (None when it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def pending_draft() -> tuple[str, Any] | None:
    """("found", Draft) or ("unreadable", why) while the curator has not decided on a draft."""
    return st.session_state.get("_curate_draft")


def load_error() -> DatasetError | None:
    return st.session_state.get("_curate_error")


@dataclass(frozen=True)
class Flash:
    """A message an action leaves for the next run to show once, at `where` on the page:
    "copy" (the working copy's section), "form" (by the form's button) or "toast"."""

    kind: str  # "success", "info", "error" (a toast has its own look)
    text: str  # plain text: the page escapes it
    problems: tuple[str, ...] = ()
    where: str = "copy"
    link: tuple[str, str] | None = None  # (page script, label) to go on from there


def flash(
    kind: str,
    text: str,
    problems: list[str] | None = None,
    where: str = "copy",
    link: tuple[str, str] | None = None,
) -> None:
    st.session_state["_curate_flash"] = Flash(kind, text, tuple(problems or ()), where, link)


def take_flash(where: str) -> Flash | None:
    found: Flash | None = st.session_state.get("_curate_flash")
    if found is None or found.where != where:
        return None
    del st.session_state["_curate_flash"]
    return found


def safely(action: Callable[..., None]) -> Callable[..., None]:
    """A button's action that never shows a traceback: an unexpected failure is logged and told
    in words, and the working copy stays as it was (actions replace it only at their end)."""

    @functools.wraps(action)
    def run(*args: Any) -> None:
        try:
            action(*args)
        except Exception as exc:
            log.exception("curate action %s failed", action.__name__)
            flash(
                "error",
                f"That did not work ({type(exc).__name__}: {exc}); nothing was changed. The "
                "server's log has the details. Download the working copy to keep your work.",
            )

    return run


def _store(working: WorkingCopy, what: str | None = None, history: History | None = None) -> None:
    """Keep the new working copy in the session and its changes in the draft. `what` names the
    action that made it, which Undo can then take back; `history` replaces the steps (Undo)."""
    current: Session = st.session_state["_curate"]
    if history is None:
        history = current.history.after(what, current.working) if what else current.history
    st.session_state["_curate"] = replace(current, working=working, history=history)
    # A question asked of the working copy as it was is not asked of the new one.
    st.session_state["cur_confirm_remove"] = None
    st.session_state["cur_confirm_discard"] = False
    try:
        write_draft(working, current.path)
        st.session_state["_curate_draft_error"] = None
    except OSError as exc:
        st.session_state["_curate_draft_error"] = (
            f"Your changes are kept in this browser session only: the draft cannot be written "
            f"beside the data file ({exc.strerror}). Download the working copy before you close "
            "or reload the page."
        )


def draft_error() -> str | None:
    return st.session_state.get("_curate_draft_error")


# --- The draft ----------------------------------------------------------------------------------


@safely
def restore_draft() -> None:
    found = st.session_state.get("_curate_draft")
    if not found or found[0] != "found":
        return
    draft = found[1]
    path = data_path()
    texts, _ = read_texts(draft.working.dataset.sources, path.parent)
    st.session_state["_curate"] = Session(path, draft.working, texts)
    st.session_state["_curate_draft"] = None
    flash("success", f"Restored the draft: {draft.summary}.")


@safely
def drop_draft() -> None:
    path = data_path()
    found = st.session_state.get("_curate_draft")
    message = "The draft was discarded: the working copy is the file as it is now."
    if found and found[0] == "unreadable":
        # Set aside, not deleted: a damaged draft may still hold words worth reading.
        damaged = draft_path(path)
        aside = damaged.with_suffix(".json.broken")
        if damaged.exists():
            damaged.replace(aside)
        message = (
            f"The damaged draft was set aside as {aside.name} in {aside.parent.name}/ beside the "
            "data file: the working copy is the file as it is now."
        )
    else:
        discard_draft(path)
    st.session_state["_curate_draft"] = None
    if _load_or_error(path) is not None:
        flash("info", message)


# --- The form -----------------------------------------------------------------------------------


def reset_form(keep_quote: bool = False) -> None:
    for key, value in FORM_DEFAULTS.items():
        st.session_state[key] = value
    st.session_state["cur_editing"] = None
    if not keep_quote:
        st.session_state["cur_quote"] = sentence_text() or ""


def sentence_text() -> str | None:
    current: Session | None = st.session_state.get("_curate")
    number = st.session_state.get("cur_sentence")
    source = st.session_state.get("cur_source")
    if current is None or not isinstance(number, int) or source not in current.texts:
        return None
    text = current.texts[source]
    spans = text.sentences
    if not 1 <= number <= len(spans):
        return None
    start, end = spans[number - 1]
    return " ".join(text.text[start:end].split())


def on_source_change() -> None:
    st.session_state["cur_sentence"] = None
    st.session_state["cur_quote"] = ""
    st.session_state["cur_editing"] = None


def on_sentence_change() -> None:
    st.session_state["cur_quote"] = sentence_text() or ""


def on_pick(key: str) -> None:
    """A sentence's number clicked in the text: pick that sentence (clicking the one picked
    again leaves it picked)."""
    number = st.session_state.get(key)
    if number is None or number == st.session_state.get("cur_sentence"):
        return
    st.session_state["cur_sentence"] = number
    on_sentence_change()


def form_source() -> str | None:
    """The source the form codes from: the edited record's, else the one picked."""
    editing = editing_record()
    return editing.source if editing is not None else st.session_state.get("cur_source")


def editing_record() -> Any:
    current: Session | None = st.session_state.get("_curate")
    slot = st.session_state.get("cur_editing")
    if current is None or slot is None:
        return None
    return current.working.record("positions", slot)


def form_from_state() -> PositionForm:
    """The form as the widgets hold it."""
    state = st.session_state

    def text(key: str) -> str:
        return str(state.get(key) or "")

    new_actor = (
        NewActor(
            text("cur_na_id"), text("cur_na_name"), text("cur_na_kind"), state.get("cur_na_parent")
        )
        if state.get("cur_actor") == NEW
        else None
    )
    new_topic = (
        NewTopic(text("cur_nt_id"), text("cur_nt_name"), text("cur_nt_group"))
        if state.get("cur_topic") == NEW
        else None
    )
    return PositionForm(
        source=form_source(),
        quote=text("cur_quote"),
        actor=None if state.get("cur_actor") == NEW else state.get("cur_actor"),
        topic=None if state.get("cur_topic") == NEW else state.get("cur_topic"),
        stance=state.get("cur_stance"),
        confidence=state.get("cur_confidence") or "stated",
        note=text("cur_note"),
        date=text("cur_date"),
        event=state.get("cur_event"),
        translation=text("cur_translation"),
        id=text("cur_id"),
        new_actor=new_actor,
        new_topic=new_topic,
        replaces=state.get("cur_editing"),
    )


def check_form(current: Session) -> Checked:
    return check_position(current.working, form_from_state(), current.texts)


@safely
def add_from_form() -> None:
    """Add (or, when editing, put back) the record the form makes, if it passes its check."""
    current: Session | None = st.session_state.get("_curate")
    if current is None:
        return
    checked = check_form(current)
    if not checked.ok:
        flash(
            "error", "The record was not added: fix the problems marked in the form.", where="form"
        )
        return
    working, slot = commit(current.working, checked)
    working, dropped = drop_unused(working)  # an edit may leave a new actor or topic unused
    record = working.record("positions", slot)
    editing = checked.form.replaces is not None
    _store(working, f"{'edited' if editing else 'added'} {record_name(record)}")
    verb = "Saved your changes to" if editing else "Added"
    flash(
        "success",
        " ".join(
            part
            for part in (
                f"{verb} {record_name(record)} in the working copy ({summary(working)}). It is "
                "listed under its sentence above.",
                dropped_text(dropped),
            )
            if part
        ),
        where="form",
    )
    reset_form()


@safely
def edit(slot: int) -> None:
    """Load a record into the form."""
    current: Session | None = st.session_state.get("_curate")
    record = current.working.record("positions", slot) if current else None
    if record is None:
        return
    reset_form(keep_quote=True)
    st.session_state["cur_editing"] = slot
    if record.source in current.texts:
        st.session_state["cur_source"] = record.source
        text = current.texts[record.source]
        found = text.find(record.quote)
        number = None
        if found is not None:
            number = next(
                (i for i, (s, e) in enumerate(text.sentences, start=1) if s <= found[0] < e), None
            )
        st.session_state["cur_sentence"] = number
    st.session_state["cur_quote"] = record.quote
    st.session_state["cur_actor"] = record.actor
    st.session_state["cur_topic"] = record.topic
    st.session_state["cur_stance"] = record.stance.value
    st.session_state["cur_confidence"] = record.confidence.value
    st.session_state["cur_note"] = record.note or ""
    st.session_state["cur_date"] = "" if record.date is None else str(record.date)
    st.session_state["cur_event"] = record.event
    st.session_state["cur_translation"] = record.translation or ""
    st.session_state["cur_id"] = record.id or ""
    flash(
        "toast", f"Record {record.id or ''} is in the form: change it, then save it.", where="toast"
    )


def cancel_edit() -> None:
    reset_form()


def record_name(record: Any) -> str:
    """A position as messages name it: "record p2" (or, without an id, its actor and topic)."""
    if record.id:
        return f"record {record.id}"
    return f"the record of {record.actor} on {record.topic}"


def ask(key: str, value: Any = True) -> None:
    """Ask for a confirmation (of a removal, a save, a discard) before acting."""
    st.session_state[key] = value


def removal(working: WorkingCopy, slot: int, *, ahead: bool = False) -> tuple[WorkingCopy, str]:
    """The working copy without the position in `slot`, and without the new actors and topics
    only it used; and what else goes with it, in words ("" when nothing; see `dropped_text`)."""
    working, dropped = drop_unused(remove_record(working, "positions", slot))
    return working, dropped_text(dropped, ahead=ahead)


@safely
def remove(slot: int) -> None:
    current: Session | None = st.session_state.get("_curate")
    st.session_state["cur_confirm_remove"] = None
    if current is None or current.working.record("positions", slot) is None:
        return
    record = current.working.record("positions", slot)
    working, also = removal(current.working, slot)
    if st.session_state.get("cur_editing") == slot:
        reset_form()
    _store(working, f"removed {record_name(record)}")
    flash(
        "toast",
        " ".join(
            part
            for part in (
                f"Removed {record_name(record)} from the working copy.",
                also,
                "Undo, under Working copy, brings it back.",
            )
            if part
        ),
        where="toast",
    )


@safely
def revert_change(section: str, slot: int) -> None:
    """Put one record back as the file has it (an added one taken out)."""
    current: Session | None = st.session_state.get("_curate")
    change = current.working.change_of(section, slot) if current is not None else None
    if current is None or change is None:
        return
    working, reasons = undo(current.working, section, slot)
    if reasons:
        flash("error", "This change cannot be reverted on its own:", reasons)
        return
    working, dropped = drop_unused(working)
    if st.session_state.get("cur_editing") == slot and section == "positions":
        reset_form()
    record = change.after if change.after is not None else change.before
    name = record_name(record) if section == "positions" else f"{NOUN[section]} {record.id}"
    what = f"reverted {name} to the file"
    _store(working, what)
    flash(
        "success",
        " ".join(
            part
            for part in (
                f"{what.capitalize()}. The working copy now has {summary(working)}.",
                dropped_text(dropped),
            )
            if part
        ),
    )


@safely
def undo_last() -> None:
    """Take the last action back: the working copy as it was before it."""
    current: Session | None = st.session_state.get("_curate")
    step = current.history.last if current is not None else None
    if current is None or step is None:
        return
    working, history = current.history.undone()
    _store(working, history=history)
    editing = st.session_state.get("cur_editing")
    if editing is not None and working.record("positions", editing) is None:
        reset_form()  # the record in the form was the one added
    flash("success", f"Undone: {step.what}. The working copy now has {summary(working)}.")


@safely
def discard_all_changes() -> None:
    """Drop every change: the working copy becomes the file as it is on disk now."""
    st.session_state["cur_confirm_discard"] = False
    before: Session | None = st.session_state.get("_curate")
    path = data_path()
    discard_draft(path)
    reset_form()
    fresh = _load_or_error(path)
    if fresh is None:
        return
    if before is not None:
        history = before.history.after("discarded every change", before.working)
        st.session_state["_curate"] = replace(fresh, history=history)
    flash(
        "info",
        "Every change was discarded: the working copy is the file as it is now. Undo brings "
        "them back.",
    )


@safely
def save_to_file() -> None:
    st.session_state["cur_confirm_save"] = False
    current: Session | None = st.session_state.get("_curate")
    if current is None:
        return
    try:
        saved = save(current.working, current.path)
    except SaveRefused as refused:
        flash("error", refused.message, [str(p) for p in refused.problems])
        return
    texts, _ = read_texts(saved.working.dataset.sources, current.path.parent)
    st.session_state["_curate"] = Session(current.path, saved.working, texts)
    discard_draft(current.path)
    flash(
        "success",
        f"Saved to {saved.path.name}. The file as it was is kept as "
        f"{saved.backup.relative_to(saved.path.parent)} beside it. {saved.how} Every page now "
        "shows the saved data.",
        link=("app_pages/stances.py", "See the records on the Stances page"),
    )


def choices(current: Session) -> tuple[dict[str, str], str]:
    return source_choices(current.working, current.texts)
