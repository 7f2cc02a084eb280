"""The Curate page's working copy as it draws it: the messages actions leave, the draft offer, the
changes with Undo and Revert, the downloads and the save, and the lists of records with their
Edit and Remove. Every question (remove this record? discard every change? save?) is asked
where the button that asked it was, and is never folded out of sight.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import app_state
from positions.curate import draft_offer
from positions.curate.downloads import DOWNLOADS, download_name
from positions.curate.save import CURATE_DIR, WORKBOOK_WRITE
from positions.views.curate import CurateView, RecordRow, change_rows
from ui import curate
from ui.curate import Session

esc = app_state.escape_markdown
code = app_state.escape_code


def show_flash(where: str) -> None:
    """The message an action left for this place of the page (a removal's is a toast: its row
    is gone)."""
    message = curate.take_flash(where)
    if message is None:
        return
    body = esc(message.text) + "".join(f"\n- {esc(p)}" for p in message.problems)
    if message.where == "toast":
        st.toast(body, icon=":material/check_circle:")
        return
    icons = {"success": ":material/check_circle:", "error": ":material/error:"}
    getattr(st, message.kind)(body, icon=icons.get(message.kind, ":material/info:"))
    if message.link:
        st.page_link(message.link[0], label=message.link[1], icon=":material/grid_on:")


def kept_open(label: str, key: str, *, open_now: bool = False, icon: str | None = None) -> Any:
    """An expander that stays as the curator left it from one run to the next, and is open
    while `open_now` (a question waits inside it).

    A plain expander is known to the browser by its place on the page: when a message above it
    comes or goes, it is drawn anew, folded, and a question just asked inside it is out of
    sight. This one is known by its key and tracks its state, so the page can open it; what it
    was last is remembered apart, for when its label (a count) changes and makes it new."""
    remembered = f"_{key}_was_open"
    if open_now:
        st.session_state[key] = True
    box = st.expander(
        label,
        expanded=open_now or bool(st.session_state.get(remembered)),
        key=key,
        icon=icon,
        on_change="rerun",
    )
    st.session_state[remembered] = bool(box.open)
    return box


def show_draft_offer(pending: tuple[str, object]) -> None:
    kind, found = pending
    if kind == "unreadable":
        st.error(
            f"A draft of unsaved changes was found but cannot be restored: {esc(str(found))}. "
            "Set it aside (it is renamed, not deleted) to start from the file as it is.",
            icon=":material/error:",
        )
        st.button("Set the draft aside", key="cur_drop", on_click=curate.drop_draft, type="primary")
        return
    draft: Any = found
    st.warning(
        esc(draft_offer(draft, curate.file_sha256(app_state.data_path())))
        + " Restore it to go on where you left off, "
        "or discard it to start from the file.",
        icon=":material/history:",
    )
    st.markdown("\n".join(f"- {esc(row.what)}" for row in change_rows(draft.working)))
    restore, discard = st.columns(2)
    restore.button(
        "Restore the draft",
        key="cur_restore",
        on_click=curate.restore_draft,
        type="primary",
        width="stretch",
    )
    discard.button("Discard the draft", key="cur_drop", on_click=curate.drop_draft, width="stretch")


def show_working_copy(current: Session, view: CurateView) -> None:
    working = current.working
    name = current.path.name
    st.subheader("Working copy", anchor=False)
    show_flash("copy")
    if working.changes:
        st.markdown(
            f"**{esc(view.summary.capitalize())}** since `{code(name)}` was loaded; not saved "
            "to the file yet (a draft is kept on the server, so a reload loses nothing)."
        )
    else:
        st.markdown(f"No changes yet: the working copy is `{code(name)}` as loaded.")
    step = current.history.last
    if step is not None:
        st.button(
            f"Undo: {step.what}",
            key="cur_undo",
            on_click=curate.undo_last,
            icon=":material/undo:",
            help="Takes the working copy back to how it was before this, all of it: a record "
            "with the actor or topic made with it, an edit, a removal. The actions before it "
            "can then be undone in turn.",
        )
    problem = curate.draft_error()
    if problem:
        st.warning(esc(problem), icon=":material/warning:")
    if working.changes and curate.file_changed_on_disk(current):
        st.warning(
            f"`{code(name)}` changed on disk since it was loaded, so saving will be refused. "
            "Download the working copy to keep your changes, then discard them to load the file "
            "as it is now, and apply them again.",
            icon=":material/warning:",
        )
    if view.changes:
        show_changes(view)
    show_downloads_and_save(current, view)


def show_changes(view: CurateView) -> None:
    asked = bool(st.session_state.get("cur_confirm_discard"))
    label = f"Changes against the file ({len(view.changes)}): revert one, or discard all"
    with kept_open(label, "cur_changes_open", open_now=asked):
        for change in view.changes:
            what, button = st.columns([4, 1], vertical_alignment="center")
            what.markdown(esc(change.what))
            button.button(
                "Revert",
                key=f"cur_revert_{change.section}_{change.slot}",
                on_click=curate.revert_change,
                args=(change.section, change.slot),
                icon=":material/history:",
                help="Put this record back as the file has it (an added one is taken out of the "
                "working copy). Undo takes this back too.",
            )
        if asked:
            st.warning(
                "Discard every change and go back to the file as it is on disk? Undo, under "
                "Working copy, brings them back.",
                icon=":material/delete_sweep:",
            )
            buttons = st.container(horizontal=True)
            buttons.button(
                "Yes, discard all",
                key="cur_discard_yes",
                on_click=curate.discard_all_changes,
                type="primary",
            )
            buttons.button(
                "Keep them",
                key="cur_discard_no",
                on_click=curate.ask,
                args=("cur_confirm_discard", False),
            )
        else:
            st.button(
                "Discard all changes",
                key="cur_discard",
                on_click=curate.ask,
                args=("cur_confirm_discard",),
                icon=":material/delete_sweep:",
            )


def show_downloads_and_save(current: Session, view: CurateView) -> None:
    working = current.working
    columns = st.columns(len(DOWNLOADS) + 1)
    for column, download in zip(columns, DOWNLOADS, strict=False):
        column.download_button(
            download.label,
            lambda download=download: download.make(current.working, current.path),
            file_name=download_name(current.path, download),
            mime=download.mime,
            key=f"cur_download_{download.key}",
            on_click="ignore",
            icon=":material/download:",
            help=download.help_for(working),
            width="stretch",
        )
    columns[-1].button(
        f"Save to {current.path.name}",
        key="cur_save",
        on_click=curate.ask,
        args=("cur_confirm_save",),
        disabled=not working.changes,
        icon=":material/save:",
        help="Write the working copy to the data file on the server, after a backup. You are "
        "asked to confirm first.",
        width="stretch",
    )
    if st.session_state.get("cur_confirm_save") and working.changes:
        st.warning(
            f"Write the working copy ({esc(view.summary)}) to `{code(str(current.path))}`? The "
            f"file as it is now is first copied to `{code(CURATE_DIR)}/backups/` beside it, and "
            "what is written is checked with the loader, quotes included, before it replaces the "
            "file." + (f" {esc(WORKBOOK_WRITE)}" if working.workbook else ""),
            icon=":material/save:",
        )
        buttons = st.container(horizontal=True)
        buttons.button(
            "Yes, save to the file",
            key="cur_save_yes",
            on_click=curate.save_to_file,
            type="primary",
        )
        buttons.button(
            "Cancel", key="cur_save_no", on_click=curate.ask, args=("cur_confirm_save", False)
        )


def show_record(current: Session, row: RecordRow, where: str) -> None:
    """A position in a list, with its Edit and Remove buttons (keys per list: a record may be
    listed twice, under its sentence and among all of the source's; a removal is asked about in
    the list it was asked from)."""
    with st.container(border=True, key=f"cur_record_{where}_{row.slot}"):
        badge = f" :green-badge[{row.change}]" if row.change else ""
        if st.session_state.get("cur_editing") == row.slot:
            badge += " :violet-badge[in the form]"
        st.markdown(
            f"**{esc(row.actor_name)}** on **{esc(row.topic_name)}**: "
            f":blue-badge[{esc(row.stance_label)}]{badge}  \n"
            f"\u201c{esc(' '.join(row.quote.split()))}\u201d"
        )
        sentences = ", ".join(map(str, row.sentences))
        place = f"sentence {sentences}" if row.sentences else esc(row.source_title)
        st.caption(" · ".join(part for part in (esc(row.id), place, row.date_text) if part))
        if st.session_state.get("cur_confirm_remove") == (where, row.slot):
            record = current.working.record("positions", row.slot)
            _, also = curate.removal(current.working, row.slot, ahead=True)
            question = " ".join(
                part
                for part in (
                    f"Remove {curate.record_name(record)} from the working copy?",
                    also,
                    "Undo, under Working copy, brings it back.",
                )
                if part
            )
            st.warning(esc(question), icon=":material/delete:")
            buttons = st.container(horizontal=True)
            buttons.button(
                "Yes, remove it",
                key=f"cur_yes_{where}_{row.slot}",
                on_click=curate.remove,
                args=(row.slot,),
                type="primary",
            )
            buttons.button(
                "Keep it",
                key=f"cur_no_{where}_{row.slot}",
                on_click=curate.ask,
                args=("cur_confirm_remove", None),
            )
            return
        buttons = st.container(horizontal=True)
        buttons.button(
            "Edit",
            key=f"cur_edit_{where}_{row.slot}",
            on_click=curate.edit,
            args=(row.slot,),
            icon=":material/edit:",
        )
        buttons.button(
            "Remove",
            key=f"cur_remove_{where}_{row.slot}",
            on_click=curate.ask,
            args=("cur_confirm_remove", (where, row.slot)),
            icon=":material/delete:",
        )


def show_records(current: Session, view: CurateView) -> None:
    asked = st.session_state.get("cur_confirm_remove")
    open_now = isinstance(asked, tuple) and asked[0] == "all"
    title = "Every position" if st.session_state.get("cur_all") else "Positions from this source"
    with kept_open(
        f"{title} ({view.total_records})",
        "cur_records_open",
        open_now=open_now,
        icon=":material/list:",
    ):
        st.toggle("Every position, from every source", key="cur_all")
        st.caption(esc(view.records_note))
        for row in view.records:
            show_record(current, row, "all")
