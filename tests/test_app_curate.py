"""The Curate page through the entrypoint with AppTest, started as a curator starts it
(`-- --curate --data PATH`), on a copy of the small fixture in tmp_path."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from positions import load_dataset
from positions.curate import draft_path, read_draft
from positions.curate.downloads import DOWNLOADS
from positions.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"
JCPOA = ROOT / "data" / "examples" / "jcpoa-withdrawal-2018.yaml"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    shutil.copy(SMALL, path)
    return path


def curate_app(monkeypatch: pytest.MonkeyPatch, data: Path) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--curate", "--data", str(data)])
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.run()
    at.switch_page("app_pages/curate.py")
    at.run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest, kind: str) -> list[str]:
    """What elements of one kind say, with the escapes that keep data literal taken out."""
    return [re.sub(r"\\(.)", r"\1", str(e.value)) for e in at.get(kind)]


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    ok(at)
    return at


def pick(at: AppTest, key: str, value: object) -> AppTest:
    at.selectbox(key=key).select(value).run()
    ok(at)
    return at


def toasts(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", str(t.value)) for t in at.toast]


def records_list(at: AppTest):
    (found,) = [e for e in at.expander if e.label.startswith("Positions from this source")]
    return found


def changes_list(at: AppTest):
    (found,) = [e for e in at.expander if e.label.startswith("Changes against the file")]
    return found


def load_working_topics(data: Path) -> list:
    """The topics of the working copy, as its draft keeps them."""
    draft = read_draft(data)
    assert draft is not None
    return draft.working.dataset.topics


def code_a_record(at: AppTest) -> AppTest:
    """Sentence 2, narrowed; North minister on a new topic, support, at the meeting."""
    pick(at, "cur_sentence", 2)
    assert at.text_area(key="cur_quote").value == (
        "In a capital, the ministers met for the first time."
    )
    at.text_area(key="cur_quote").set_value("the ministers met for the first time").run()
    # Creating an actor or a topic is the first choice, seen without scrolling a long list.
    assert at.selectbox(key="cur_actor").options[:2] == [
        "New actor… (not in this list)",
        "North · state",
    ]
    assert at.selectbox(key="cur_topic").options[:2] == [
        "New topic… (not in this list)",
        "The pipeline · Energy",
    ]
    pick(at, "cur_actor", "north-minister")
    pick(at, "cur_topic", "+new")
    at.text_input(key="cur_nt_name").set_value("Meeting face to face").run()
    at.radio(key="cur_stance").set_value("support").run()
    pick(at, "cur_event", "meeting")
    at.text_input(key="cur_date").set_value("2021-05-19").run()
    ok(at)
    return at


def test_the_page_says_what_to_do_first(monkeypatch, data):
    at = curate_app(monkeypatch, data)
    assert at.title[0].value == "Curate"
    assert [s.value for s in at.subheader][:3] == [
        "Working copy",
        "1. Pick a source",
        "2. Pick a sentence",
    ]
    assert "No changes yet: the working copy is `small.yaml` as loaded." in texts(at, "markdown")
    assert at.selectbox(key="cur_source").value == "article"
    assert at.selectbox(key="cur_sentence").value is None
    assert "Pick a sentence above to code it; the form to do so opens here." in texts(at, "caption")
    markdown = texts(at, "markdown")
    assert "**8 of 10 sentences (80%) carry a record; 2 carry none yet.**" in markdown
    assert (
        ":gray-badge[8] :green-badge[2 records] The minister once spoke for the pipeline; he now "
        "expresses only concern.  \n"
        ":gray-badge[9] :green-badge[1 record] A summit is expected to take place in June.  \n"
        ":gray-badge[10] :orange-badge[not coded] Nobody here says what comes after it."
    ) in markdown
    # One button per download format, the YAML first.
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [d.label for d in DOWNLOADS]
    assert labels[0] == "Working copy as YAML"
    assert at.button(key="cur_save").disabled  # nothing to save yet
    at.toggle(key="cur_only_uncoded").set_value(True).run()
    assert at.selectbox(key="cur_sentence").options == [
        "1 · A. Author",
        "10 · Nobody here says what comes after it.",
    ]


def test_a_sentence_is_picked_by_clicking_its_number_in_the_text(monkeypatch, data):
    at = curate_app(monkeypatch, data)
    assert (
        "To pick a sentence, click its number under its paragraph, or type its number or words "
        "in the Sentence box below."
    ) in texts(at, "caption")
    # One row of numbers under each paragraph (the heading has none).
    assert [(p.key, p.options) for p in at.pills] == [
        ("cur_pick_1", ["1"]),
        ("cur_pick_2", ["2", "3", "4"]),
        ("cur_pick_3", ["5", "6", "7"]),
        ("cur_pick_4", ["8", "9", "10"]),
    ]
    at.pills(key="cur_pick_3").set_value(6).run()
    ok(at)
    assert at.selectbox(key="cur_sentence").value == 6
    assert at.text_area(key="cur_quote").value == (
        "The waiver was criticised by members of parliament."
    )
    assert (
        ":gray-badge[6] :green-badge[1 record] :blue-background[The waiver was criticised by "
        "members of parliament\\.]" in "\n".join(str(m.value) for m in at.markdown)
    )
    assert [p.value for p in at.pills] == [None, None, 6, None]
    # Picked in the Sentence box instead, the mark moves with it.
    pick(at, "cur_sentence", 2)
    assert [p.value for p in at.pills] == [None, 2, None, None]
    assert at.text_area(key="cur_quote").value == (
        "In a capital, the ministers met for the first time."
    )


def test_a_record_is_coded_from_the_text_listed_and_saved(monkeypatch, data):
    original = data.read_text()
    at = code_a_record(curate_app(monkeypatch, data))
    # The verdict names the words it checked, and when the box is checked.
    assert (
        "Checked against the text when you press Ctrl+Enter (⌘+Enter on a Mac) or leave the box; "
        "what is said below is about the words checked last."
    ) in texts(at, "caption")
    assert texts(at, "success")[:2] == [
        "Word for word in the text (sentence 2): “the ministers met for the first time”.",
        "Ready: the quote is word for word in the source and the record follows the codebook's "
        "rules.",
    ]
    assert "The new topic's id is made from its name: meeting-face-to-face" in texts(at, "caption")
    click(at, "cur_add")
    assert (
        "Added record north-minister-meeting-face-to-face in the working copy (2 added). It is "
        "listed under its sentence above."
    ) in texts(at, "success")
    assert (
        "**2 added** since `small.yaml` was loaded; not saved to the file yet (a draft is kept "
        "on the server, so a reload loses nothing)."
    ) in texts(at, "markdown")
    # Listed under its sentence, marked as added, with Edit and Remove.
    assert "Coded in sentence 2 already:" in texts(at, "caption")
    assert (
        "**North minister** on **Meeting face to face**: :blue-badge[Support] :green-badge[added]"
        "  \n“the ministers met for the first time”"
    ) in texts(at, "markdown")
    assert "north-minister-meeting-face-to-face · sentence 2 · 19 May 2021" in texts(at, "caption")
    assert at.button(key="cur_edit_here_9").label == "Edit"
    # The form is ready for the next record of the same sentence.
    assert at.selectbox(key="cur_sentence").value == 2
    assert (
        at.text_area(key="cur_quote").value == "In a capital, the ministers met for the first time."
    )
    assert at.selectbox(key="cur_actor").value is None
    assert draft_path(data).is_file()
    assert data.read_text() == original  # nothing is written before a save

    click(at, "cur_save")
    (warning,) = [w for w in texts(at, "warning") if w.startswith("Write the working copy")]
    assert warning == (
        f"Write the working copy (2 added) to `{data}`? The file as it is now is first copied to "
        "`.curate/backups/` beside it, and what is written is checked with the loader, quotes "
        "included, before it replaces the file."
    )
    click(at, "cur_save_yes")
    (backup,) = (data.parent / ".curate" / "backups").iterdir()
    assert backup.read_text() == original
    assert texts(at, "success")[0] == (
        f"Saved to small.yaml. The file as it was is kept as .curate/backups/{backup.name} beside "
        "it. Its comments and layout were kept: only the lines of the records that changed were "
        "rewritten. Every page now shows the saved data."
    )
    assert not draft_path(data).exists()
    saved = load_dataset(data)
    assert saved.positions[-1].model_dump(exclude_none=True, mode="json") == {
        "id": "north-minister-meeting-face-to-face",
        "actor": "north-minister",
        "topic": "meeting-face-to-face",
        "stance": "support",
        "source": "article",
        "quote": "the ministers met for the first time",
        "date": "2021-05-19",
        "event": "meeting",
        "confidence": "stated",
    }
    assert data.read_text().startswith(original.split("dataset:")[0])  # the comments are kept
    # The other pages show the saved record: the Stances table lists it.
    at.query_params["show"] = "table"
    at.switch_page("app_pages/stances.py")
    at.run()
    ok(at)
    assert "the ministers met for the first time" in set(at.dataframe[0].value["quote"])


def test_problems_show_at_their_fields_and_block_the_record(monkeypatch, data):
    at = curate_app(monkeypatch, data)
    pick(at, "cur_sentence", 6)
    at.text_area(key="cur_quote").set_value("The waiver was critcised").run()
    assert texts(at, "error") == [
        "The quote is not verbatim in the text of source 'article' (texts/article.txt)  \n"
        "Closest passage: “The waiver was criticised”; the quote has “critcised” where the text "
        "has “criticised”"
    ]
    assert texts(at, "info")[-1] == "Still to give: an actor, a topic and a stance."
    pick(at, "cur_actor", "south")
    pick(at, "cur_topic", "waiver")
    at.radio(key="cur_stance").set_value("not_raised").run()
    at.radio(key="cur_confidence").set_value("inferred").run()
    assert texts(at, "info")[-1] == (
        "Fix the 3 problems marked in red above to add the record: it is not added while "
        "anything is wrong."
    )
    assert texts(at, "error")[1:] == [
        "A stance that is not said outright (inferred) needs a note saying why it follows from "
        "the source.",
        "“Not raised” needs the event at which the actor did not raise it.  \nChoose the event.",
    ]
    assert at.text_area(key="cur_note").label == "Note (required: why it follows)"
    assert at.button(key="cur_add").disabled


def test_editing_removing_undoing_and_discarding(monkeypatch, data):
    at = curate_app(monkeypatch, data)
    click(at, "cur_edit_all_0")  # p1
    assert at.selectbox(key="cur_sentence").value == 4
    assert at.text_area(key="cur_quote").value == "continues to oppose the pipeline"
    assert at.selectbox(key="cur_actor").value == "north"
    assert at.radio(key="cur_stance").value == "oppose"
    assert at.button(key="cur_add").label == "Save changes to the record"
    assert texts(at, "info")[0].startswith("Editing record p1 from The article")
    assert (
        "**North** on **The pipeline**: :blue-badge[Oppose] :violet-badge[in the form]  \n"
        "“continues to oppose the pipeline”"
    ) in texts(at, "markdown")
    at.radio(key="cur_stance").set_value("lean_oppose").run()
    click(at, "cur_add")
    assert "**1 edited** since `small.yaml` was loaded" in texts(at, "markdown")[0]

    assert at.button(key="cur_undo").label == "Undo: edited record p1"

    # A removal is asked about in the card it was asked from, and the list is held open for it.
    assert records_list(at).proto.expanded is False
    click(at, "cur_remove_all_1")  # p2
    assert texts(at, "warning") == [
        "Remove record p2 from the working copy? Undo, under Working copy, brings it back."
    ]
    assert records_list(at).proto.expanded is True
    click(at, "cur_yes_all_1")
    assert toasts(at) == [
        "Removed record p2 from the working copy. Undo, under Working copy, brings it back."
    ]
    assert records_list(at).proto.expanded is True  # still as the curator left it
    assert "**1 edited, 1 removed** since" in texts(at, "markdown")[0]
    assert texts(at, "markdown")[1:3] == [
        "Removed position p2: South on The pipeline (Support)",
        "Edited position p1: North on The pipeline (Lean oppose)",
    ]
    assert at.button(key="cur_revert_positions_1").label == "Revert"
    click(at, "cur_revert_positions_1")
    assert texts(at, "success")[0] == (
        "Reverted record p2 to the file. The working copy now has 1 edited."
    )
    # Discarding is asked about inside the list of changes, which is held open for it.
    assert changes_list(at).proto.expanded is False
    click(at, "cur_discard")
    assert changes_list(at).proto.expanded is True
    assert texts(at, "warning") == [
        "Discard every change and go back to the file as it is on disk? Undo, under Working "
        "copy, brings them back."
    ]
    click(at, "cur_discard_yes")
    assert texts(at, "info")[0] == (
        "Every change was discarded: the working copy is the file as it is now. Undo brings them "
        "back."
    )
    assert not draft_path(data).exists()
    # Every action is undone in turn, the latest first.
    assert at.button(key="cur_undo").label == "Undo: discarded every change"
    click(at, "cur_undo")
    assert texts(at, "success")[0] == (
        "Undone: discarded every change. The working copy now has 1 edited."
    )
    assert draft_path(data).is_file()
    assert at.button(key="cur_undo").label == "Undo: reverted record p2 to the file"
    click(at, "cur_undo")
    assert texts(at, "success")[0] == (
        "Undone: reverted record p2 to the file. The working copy now has 1 edited, 1 removed."
    )
    click(at, "cur_undo")
    click(at, "cur_undo")
    assert (
        texts(at, "success")[0] == "Undone: edited record p1. The working copy now has no changes."
    )
    assert "cur_undo" not in [button.key for button in at.button]  # nothing left to undo
    assert not draft_path(data).exists()


def test_a_record_added_here_is_removed_with_its_new_topic_and_undone_whole(monkeypatch, data):
    at = code_a_record(curate_app(monkeypatch, data))
    at.text_area(key="cur_note").set_value("They met in person.").run()
    click(at, "cur_add")
    name = "north-minister-meeting-face-to-face"
    assert at.button(key="cur_undo").label == f"Undo: added record {name}"
    click(at, "cur_remove_here_9")
    assert texts(at, "warning") == [
        f"Remove record {name} from the working copy? The new topic Meeting face to face, which "
        "no other record uses, goes with it. Undo, under Working copy, brings it back."
    ]
    assert records_list(at).proto.expanded is False  # asked under the sentence, not in the list
    click(at, "cur_yes_here_9")
    assert toasts(at) == [
        f"Removed record {name} from the working copy. The new topic Meeting face to face, which "
        "no record uses any more, was taken out too. Undo, under Working copy, brings it back."
    ]
    assert "No changes yet: the working copy is `small.yaml` as loaded." in texts(at, "markdown")
    assert not draft_path(data).exists()
    click(at, "cur_undo")
    assert texts(at, "success")[0] == (
        f"Undone: removed record {name}. The working copy now has 2 added."
    )
    # Back whole, note and new topic included, in the session and in the draft.
    draft = read_draft(data)
    assert draft is not None
    assert draft.working.dataset.topics[-1].name == "Meeting face to face"
    assert draft.working.dataset.positions[-1].note == "They met in person."
    # An edit of a record added here is undone on its own.
    click(at, "cur_edit_here_9")
    at.radio(key="cur_stance").set_value("oppose").run()
    click(at, "cur_add")
    assert (
        "**North minister** on **Meeting face to face**: :blue-badge[Oppose] :green-badge[added]"
        "  \n“the ministers met for the first time”"
    ) in texts(at, "markdown")
    assert at.button(key="cur_undo").label == f"Undo: edited record {name}"
    click(at, "cur_undo")
    assert texts(at, "success")[0] == (
        f"Undone: edited record {name}. The working copy now has 2 added."
    )
    assert (
        "**North minister** on **Meeting face to face**: :blue-badge[Support] :green-badge[added]"
        "  \n“the ministers met for the first time”"
    ) in texts(at, "markdown")


def test_an_edit_that_leaves_a_new_topic_unused_takes_it_out_and_says_so(monkeypatch, data):
    at = code_a_record(curate_app(monkeypatch, data))
    click(at, "cur_add")
    click(at, "cur_edit_here_9")
    pick(at, "cur_topic", "waiver")
    click(at, "cur_add")
    assert texts(at, "success")[-1] == (
        "Saved your changes to record north-minister-meeting-face-to-face in the working copy "
        "(1 added). It is listed under its sentence above. The new topic Meeting face to face, "
        "which no record uses any more, was taken out too."
    )
    assert [t.id for t in load_working_topics(data)] == ["pipeline", "waiver", "rights"]
    click(at, "cur_undo")
    assert texts(at, "success")[0] == (
        "Undone: edited record north-minister-meeting-face-to-face. The working copy now has 2 "
        "added."
    )


def test_a_reload_offers_the_draft(monkeypatch, data):
    at = curate_app(monkeypatch, data)
    click(at, "cur_remove_all_1")
    click(at, "cur_yes_all_1")
    # A new session (a reload) finds the draft and asks before anything else.
    again = curate_app(monkeypatch, data)
    (offer,) = texts(again, "warning")
    assert re.fullmatch(
        r"A draft from \d+ \w+ \d{4}, \d\d:\d\d holds 1 unsaved change \(1 removed\)\. Restore it "
        r"to go on where you left off, or discard it to start from the file\.",
        offer,
    ), offer
    assert "- Removed position p2: South on The pipeline (Support)" in texts(again, "markdown")
    # Nothing to code with until the curator decides: no source or sentence picker yet.
    assert [box.key for box in again.selectbox if str(box.key).startswith("cur_")] == []
    click(again, "cur_restore")
    assert texts(again, "success")[0] == "Restored the draft: 1 removed."
    assert "**1 removed** since" in texts(again, "markdown")[0]


def test_a_save_over_a_file_changed_on_disk_is_refused(monkeypatch, data):
    at = curate_app(monkeypatch, data)
    click(at, "cur_remove_all_1")
    click(at, "cur_yes_all_1")
    changed = data.read_text().replace("title: The readout", "title: The readout, edited")
    data.write_text(changed)
    at.run()
    assert any(
        w.startswith("`small.yaml` changed on disk since it was loaded")
        for w in texts(at, "warning")
    )
    click(at, "cur_save")
    click(at, "cur_save_yes")
    assert texts(at, "error")[0].startswith(
        f"Nothing was written: {data} changed on disk since it was loaded"
    )
    assert data.read_text() == changed


def test_a_workbook_is_said_to_be_written_anew_never_to_keep_its_layout(monkeypatch, tmp_path):
    book = tmp_path / "small.xlsx"
    write_workbook(load_dataset(SMALL), book)
    at = curate_app(monkeypatch, book)
    click(at, "cur_remove_all_1")
    click(at, "cur_yes_all_1")
    click(at, "cur_save")
    (warning,) = [w for w in texts(at, "warning") if w.startswith("Write the working copy")]
    assert warning == (
        f"Write the working copy (1 removed) to `{book}`? The file as it is now is first copied to "
        "`.curate/backups/` beside it, and what is written is checked with the loader, quotes "
        "included, before it replaces the file. The workbook is written anew, one sheet per "
        "section: formatting given to it in a spreadsheet (colours, column widths, notes in "
        "cells) is not kept."
    )
    click(at, "cur_save_yes")
    (backup,) = (tmp_path / ".curate" / "backups").iterdir()
    assert texts(at, "success")[0] == (
        f"Saved to small.xlsx. The file as it was is kept as .curate/backups/{backup.name} beside "
        "it. The workbook was written anew: one sheet per section, as python -m positions convert "
        "writes it. Formatting given to it in a spreadsheet (colours, column widths, notes in "
        "cells) was not kept; the backup keeps the workbook as it was. Every page now shows the "
        "saved data."
    )
    assert [p.id for p in load_dataset(book).positions] == ["p1", *(f"p{n}" for n in range(3, 10))]


def test_a_dataset_without_texts_says_how_to_add_one(monkeypatch, tmp_path):
    path = tmp_path / "jcpoa.yaml"
    shutil.copy(JCPOA, path)
    at = curate_app(monkeypatch, path)
    assert texts(at, "info")[0].startswith(
        "No source of this dataset keeps its text, so there is no text to code from. To add one, "
        "save the source's text as a UTF-8 file in the dataset's folder"
    )
    # Every position is still listed, to edit or remove.
    count = len(yaml.safe_load(path.read_text())["positions"])
    assert f"{count} positions in the dataset." in texts(at, "caption")


def test_failures_are_told_in_words_never_as_a_traceback(monkeypatch, data):
    import positions.views.curate
    import ui.curate

    at = curate_app(monkeypatch, data)
    click(at, "cur_remove_all_1")
    click(at, "cur_yes_all_1")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ui.curate, "save", broken)
    click(at, "cur_save")
    click(at, "cur_save_yes")
    assert texts(at, "error")[0] == (
        "That did not work (RuntimeError: disk on fire); nothing was changed. The server's log "
        "has the details. Download the working copy to keep your work."
    )
    assert "**1 removed** since" in texts(at, "markdown")[0]  # the working copy is as it was

    monkeypatch.setattr(positions.views.curate, "build_curate", broken)
    at.run()
    ok(at)
    assert texts(at, "error") == [
        "The Curate page hit a problem it did not expect (RuntimeError). Your working copy is "
        "kept in this session and in the draft beside the data file: reload the page, and if "
        "this comes back, download the working copy and report the problem. The server's log "
        "has the details."
    ]


def test_a_damaged_draft_is_set_aside_not_lost(monkeypatch, data):
    damaged = draft_path(data)
    damaged.parent.mkdir()
    damaged.write_text("{not json")
    at = curate_app(monkeypatch, data)
    assert texts(at, "error") == [
        f"A draft of unsaved changes was found but cannot be restored: the draft {damaged} is "
        "damaged (JSONDecodeError). Set it aside (it is renamed, not deleted) to start from the "
        "file as it is."
    ]
    click(at, "cur_drop")
    assert damaged.with_suffix(".json.broken").read_text() == "{not json"
    assert not damaged.exists()
    assert "No changes yet: the working copy is `small.yaml` as loaded." in texts(at, "markdown")
    assert texts(at, "info")[0] == (
        "The damaged draft was set aside as small.yaml.draft.json.broken in .curate/ beside the "
        "data file: the working copy is the file as it is now."
    )


@pytest.mark.parametrize("address", ["", "0.0.0.0", "192.0.2.2"])
def test_curate_mode_on_every_interface_has_no_curate_page(
    monkeypatch: pytest.MonkeyPatch, data: Path, address: str
) -> None:
    from streamlit import config

    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--curate", "--data", str(data)])
    before = config.get_option("server.address")
    config.set_option("server.address", address)
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.run()
    finally:
        config.set_option("server.address", before)
    assert not at.exception
    assert at.warning[0].value.startswith(
        "**The Curate page is off.** It writes the data file, so it is served only to this "
        "machine, and this server listens on every network interface."
    )
    with pytest.raises(ValueError):
        at.switch_page("app_pages/curate.py")
