"""Saving the working copy: spliced into the file's own text (comments kept), a backup first,
never invalid data, never over a file changed on disk; the draft; the downloads. Every write
goes to a copy in tmp_path, never to data/positions.yaml."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from positions.curate import (
    DraftUnreadable,
    PositionForm,
    SaveRefused,
    WorkingCopy,
    add_record,
    backup_path,
    check_position,
    commit,
    discard_draft,
    draft_offer,
    draft_path,
    file_changed,
    file_text,
    read_draft,
    remove_record,
    replace_record,
    save,
    splice,
    write_draft,
)
from positions.curate.downloads import DOWNLOADS, download_name
from positions.load import load_dataset, load_dataset_bytes, read_dataset_file
from positions.model import Actor, Position, Stance, Topic
from positions.texts import read_texts
from positions.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"
BUNDLED = ROOT / "data" / "positions.yaml"
NOW = dt.datetime(2021, 5, 20, 14, 3, 9)


def working_of(path: Path) -> WorkingCopy:
    return WorkingCopy.of_file(load_dataset(path), read_dataset_file(path), str(path))


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    shutil.copy(SMALL, path)
    return path


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """data/positions.yaml with its evidence folder (the article's text) beside it."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    shutil.copy(BUNDLED, folder / "positions.yaml")
    shutil.copytree(ROOT / "data" / "evidence", folder / "evidence")
    return folder / "positions.yaml"


def three_changes(working: WorkingCopy) -> WorkingCopy:
    """p1 edited, p5 removed and a record added, as the curate page would make them."""
    first = working.record("positions", 0)
    working = replace_record(
        working, "positions", 0, first.model_copy(update={"stance": Stance.lean_oppose})
    )
    working = remove_record(working, "positions", 4)
    added = Position(
        id="south-waiver",
        actor="south",
        topic="waiver",
        stance="oppose",
        source="article",
        quote="The waiver was criticised",
        date="2021-05",
    )
    return add_record(working, "positions", added)[0]


# --- Splicing -----------------------------------------------------------------------------------


def test_splicing_changes_only_the_records_lines(small_copy: Path) -> None:
    working = three_changes(working_of(small_copy))
    lines = small_copy.read_text().splitlines()
    p1 = next(i for i, line in enumerate(lines) if "{id: p1," in line)
    p5 = next(i for i, line in enumerate(lines) if "{id: p5," in line)
    p9 = next(i for i, line in enumerate(lines) if "{id: p9," in line)
    expected = [
        *lines[:p1],
        "  - id: p1",
        "    actor: north",
        "    topic: pipeline",
        "    stance: lean_oppose",
        "    source: article",
        "    quote: continues to oppose the pipeline",
        *lines[p1 + 1 : p5],
        *lines[p5 + 1 : p9 + 1],
        "  - id: south-waiver",
        "    actor: south",
        "    topic: waiver",
        "    stance: oppose",
        "    source: article",
        "    quote: The waiver was criticised",
        "    date: 2021-05",
        *lines[p9 + 1 :],
    ]
    assert splice(working) == "\n".join(expected) + "\n"
    written = file_text(working, str(small_copy), small_copy.parent)
    assert written.comments_kept
    assert written.how == (
        "Its comments and layout were kept: only the lines of the records that changed were "
        "rewritten."
    )
    assert load_dataset_bytes(written.text.encode(), "x") == working.dataset


BARE = (
    "# A dataset with few records.\n"
    "dataset: {id: d, title: D, description: A dataset., as_of: 2021-05-20}\n"
    "sources:\n"
    "  - {id: s, title: A source}\n"
    "actors:\n"
    "  - {id: a, name: A, kind: state}\n"
)


def test_an_empty_section_becomes_a_list_under_its_key(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text(BARE + "topics: []  # none yet\npositions: []\n# The end.\n")
    working = working_of(path)
    working, _ = add_record(working, "topics", Topic(id="t", name="T"))
    record = Position(actor="a", topic="t", stance="oppose", source="s", quote="said it here")
    working, _ = add_record(working, "positions", record)
    assert splice(working) == BARE + (
        "topics:  # none yet\n"
        "  - id: t\n"
        "    name: T\n"
        "positions:\n"
        "  - actor: a\n"
        "    topic: t\n"
        "    stance: oppose\n"
        "    source: s\n"
        "    quote: said it here\n"
        "# The end.\n"
    )
    assert file_text(working, str(path), tmp_path).comments_kept


def test_a_record_goes_after_the_last_of_its_section(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    # `topics` last and without a final line break.
    path.write_text(BARE + "positions: []\ntopics:\n  - {id: t, name: T}")
    working = working_of(path)
    working, _ = add_record(working, "topics", Topic(id="u", name="U"))
    assert splice(working) == BARE + (
        "positions: []\ntopics:\n  - {id: t, name: T}\n  - id: u\n    name: U\n"
    )


def test_a_section_missing_from_the_text_goes_at_its_end(tmp_path: Path) -> None:
    # A file that loads has every section the page changes; a text without one (say, written
    # by hand beside the model) still gets it, at the end.
    path = tmp_path / "bare.yaml"
    path.write_text(BARE + "topics: []\npositions: []\n")
    working = working_of(path)
    working, _ = add_record(working, "topics", Topic(id="u", name="U"))
    without = dataclasses.replace(working, text=BARE + "positions: []\n")
    assert splice(without) == BARE + "positions: []\n\ntopics:\n  - id: u\n    name: U\n"


def test_a_layout_the_splice_cannot_follow_is_written_anew_and_said(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(
        "# A comment the fallback loses.\n"
        "dataset: {id: d, title: D, description: A dataset., as_of: 2021-05-20}\n"
        "sources: [{id: s, title: A source}]\n"
        "actors: [{id: a, name: A, kind: state}]\n"
        "topics: [{id: t, name: T}]\n"
        "positions: [{actor: a, topic: t, stance: support, source: s, quote: said it here}]\n"
    )
    working = working_of(path)
    working, _ = add_record(working, "actors", Actor(id="b", name="B", kind="state"))
    assert splice(working) is None
    written = file_text(working, str(path), path.parent)
    assert not written.comments_kept
    assert written.how == (
        "The file's comments and layout could not be kept: its records are laid out in a way the "
        "splice cannot follow (such as a section written as one list on a line), so the whole "
        "file was written anew. The backup keeps the file as it was, comments and all."
    )
    assert "# A comment" not in written.text
    assert load_dataset_bytes(written.text.encode(), "x") == working.dataset


# --- Saving -------------------------------------------------------------------------------------


def test_a_save_keeps_a_backup_and_writes_the_working_copy(small_copy: Path) -> None:
    original = small_copy.read_bytes()
    working = three_changes(working_of(small_copy))
    saved = save(working, small_copy, now=NOW)
    assert saved.backup == small_copy.parent / ".curate" / "backups" / (
        "small.yaml.20210520-140309.bak"
    )
    assert saved.backup.read_bytes() == original
    assert saved.comments_kept
    assert load_dataset(small_copy) == working.dataset
    assert saved.working.changes == ()
    assert saved.working.dataset == working.dataset
    assert not file_changed(saved.working, small_copy)
    assert not list(small_copy.parent.glob(".small.yaml.*.tmp"))  # the temporary file is gone
    # A second save in the same second does not overwrite the first backup.
    first_save = small_copy.read_bytes()
    again = save(remove_record(saved.working, "positions", 0), small_copy, now=NOW)
    assert again.backup.name == "small.yaml.20210520-140309-2.bak"
    assert again.backup.read_bytes() == first_save
    assert saved.backup.read_bytes() == original
    assert backup_path(small_copy, NOW).name == "small.yaml.20210520-140309-3.bak"


def test_a_save_refuses_a_file_changed_on_disk(small_copy: Path) -> None:
    working = three_changes(working_of(small_copy))
    edited = small_copy.read_text().replace("title: The readout", "title: The readout, edited")
    small_copy.write_text(edited)
    assert file_changed(working, small_copy)
    with pytest.raises(SaveRefused) as refused:
        save(working, small_copy, now=NOW)
    assert refused.value.message == (
        f"Nothing was written: {small_copy} changed on disk since it was loaded (another editor "
        "or session saved it). Download your working copy (as YAML or as a workbook) to keep your "
        "changes, then load the file as it is now (Discard all changes) and apply them again, or "
        "merge the two files by hand."
    )
    assert small_copy.read_text() == edited
    assert not (small_copy.parent / ".curate").exists()  # no backup either


def test_a_save_refuses_invalid_data_and_writes_nothing(small_copy: Path) -> None:
    original = small_copy.read_bytes()
    working = working_of(small_copy)
    # Past the page's checks (which would refuse it): a quote the article does not hold.
    wrong = Position(
        actor="south", topic="rights", stance="oppose", source="article", quote="not in the text"
    )
    working, _ = add_record(working, "positions", wrong)
    with pytest.raises(SaveRefused) as refused:
        save(working, small_copy, now=NOW)
    assert refused.value.message == (
        "Nothing was written: the working copy has 1 problem. Fix or undo the records named, "
        "then save again."
    )
    (problem,) = refused.value.problems
    assert problem.path == "positions[9].quote"
    assert problem.message == (
        "the quote is not verbatim in the text of source 'article' (texts/article.txt)"
    )
    assert small_copy.read_bytes() == original
    assert not (small_copy.parent / ".curate").exists()


def test_every_comment_of_the_bundled_file_survives_an_add_an_edit_and_a_removal(
    bundled_copy: Path,
) -> None:
    original = bundled_copy.read_text("utf-8")
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 78
    working = working_of(bundled_copy)
    dataset = working.dataset
    texts, _ = read_texts(dataset.sources, bundled_copy.parent)
    edited = working.record("positions", 1)
    working = replace_record(
        working, "positions", 1, edited.model_copy(update={"note": "Checked again."})
    )
    working = remove_record(working, "positions", 3)
    form = PositionForm(
        source="pism-spotlight",
        quote="the prospects for blocking its construction are slim",
        actor="state-department",
        topic="nord-stream-2",
        stance="lean_support",
        confidence="inferred",
        note="The author's reading of the State Department's view.",
        date="2021-05",
    )
    checked = check_position(working, form, texts)
    assert checked.ok, checked.problems
    working, _ = commit(working, checked)

    saved = save(working, bundled_copy, now=NOW)
    assert saved.comments_kept
    text = bundled_copy.read_text("utf-8")
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments
    assert load_dataset(bundled_copy) == working.dataset
    assert saved.backup.read_text("utf-8") == original
    # Only the changed records' lines differ: the rest of the file is as it was.
    removed = dataset.positions[3]
    assert f"  - id: {removed.id}\n" in original and f"  - id: {removed.id}\n" not in text
    assert "    note: Checked again.\n" in text
    # Without the three records' lines, the file is exactly as it was.
    before = without_records(original, [edited.id, removed.id])
    after = without_records(text, [edited.id, "state-department-nord-stream-2"])
    assert after == before
    assert (BUNDLED.read_text("utf-8")) == original  # the real file was never touched


def without_records(text: str, ids: list[str | None]) -> list[str]:
    """The file's lines less those of the records with these ids (from the line of `- id:` to
    the last line before the next record, comment or section)."""
    lines = text.splitlines()
    kept, skipping = [], False
    for line in lines:
        if line.startswith("  - id: "):
            skipping = line.removeprefix("  - id: ") in ids
        elif line.startswith(("  - ", "  #")) or not line.startswith(" "):
            skipping = False
        if not skipping:
            kept.append(line)
    return kept


def test_an_unchanged_save_is_not_offered_but_would_write_the_same_bytes(
    small_copy: Path,
) -> None:
    working = working_of(small_copy)
    assert file_text(working, str(small_copy), small_copy.parent).text == small_copy.read_text()


# --- The draft ----------------------------------------------------------------------------------


def test_a_draft_brings_back_the_working_copy(small_copy: Path) -> None:
    working = three_changes(working_of(small_copy))
    path = write_draft(working, small_copy, now=NOW)
    assert (
        path == draft_path(small_copy) == small_copy.parent / ".curate" / ("small.yaml.draft.json")
    )
    body = json.loads(path.read_text())
    assert [(c["section"], c["slot"], c["origin"]) for c in body["changes"]] == [
        ("positions", 0, 0),
        ("positions", 4, 4),
        ("positions", 9, None),
    ]
    draft = read_draft(small_copy)
    assert draft is not None
    assert draft.saved_at == NOW
    assert draft.summary == "1 added, 1 edited, 1 removed"
    assert draft.working.dataset == working.dataset
    assert draft.working.changes == working.changes
    assert draft.working.sha256 == working.sha256
    assert draft_offer(draft, working.sha256) == (
        "A draft from 20 May 2021, 14:03 holds 3 unsaved changes (1 added, 1 edited, 1 removed)."
    )
    assert draft_offer(draft, "another") == (
        "A draft from 20 May 2021, 14:03 holds 3 unsaved changes (1 added, 1 edited, 1 removed)."
        " The file changed on disk since the draft was made: restore it to download your work "
        "(as YAML or as a workbook) and merge it by hand; saving it over the file will be "
        "refused."
    )
    # Undone to nothing, the draft goes.
    assert write_draft(working_of(small_copy), small_copy) is None
    assert read_draft(small_copy) is None


def test_a_taken_back_addition_keeps_the_slots_of_later_ones(small_copy: Path) -> None:
    working = working_of(small_copy)
    first = Position(
        actor="south",
        topic="rights",
        stance="mixed",
        source="article",
        quote="wanted calm relations",
    )
    working, slot = add_record(working, "positions", first)
    working, later = add_record(
        working, "positions", first.model_copy(update={"topic": "pipeline"})
    )
    working = remove_record(working, "positions", slot)
    write_draft(working, small_copy, now=NOW)
    draft = read_draft(small_copy)
    assert draft is not None
    assert draft.working.record("positions", later) == working.record("positions", later)
    assert draft.working.dataset == working.dataset


def test_a_damaged_draft_is_reported_not_restored(small_copy: Path) -> None:
    path = draft_path(small_copy)
    path.parent.mkdir()
    path.write_text('{"format": 1, "base_text": 3}')
    with pytest.raises(DraftUnreadable, match="is damaged"):
        read_draft(small_copy)
    discard_draft(small_copy)
    assert read_draft(small_copy) is None


# --- Downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("download", DOWNLOADS, ids=lambda d: d.key)
def test_every_download_format_makes_a_file_of_the_working_copy(small_copy: Path, download):
    working = three_changes(working_of(small_copy))
    data = download.make(working, small_copy)
    name = download_name(small_copy, download)
    assert name == f"small.{download.extension}"
    assert load_dataset_bytes(data, name) == working.dataset  # the working copy, every record
    assert download.label and download.help and "/" in download.mime
    assert download.help_for(working) == download.help


def test_the_yaml_download_of_a_workbook_does_not_claim_to_be_the_saved_file(
    workbook_copy: Path,
) -> None:
    working = working_of(workbook_copy)
    assert [d.help_for(working) for d in DOWNLOADS] == [
        "The whole dataset with your changes as a YAML file (the data file is a workbook: a save "
        "writes a workbook). Nothing is written on the server.",
        "The whole dataset with your changes as an Excel workbook, one sheet per section, to go "
        "on in a spreadsheet. Nothing is written on the server.",
    ]


def test_the_workbook_download_is_the_second_button(small_copy: Path) -> None:
    assert [d.key for d in DOWNLOADS] == ["yaml", "xlsx"]
    assert DOWNLOADS[1].mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- A workbook as the data file ------------------------------------------------------------------


@pytest.fixture
def workbook_copy(tmp_path: Path) -> Path:
    """The small dataset as a workbook, its source texts beside it (copied by conftest)."""
    path = tmp_path / "small.xlsx"
    write_workbook(load_dataset(SMALL), path)
    return path


def test_a_workbook_is_saved_whole_after_a_backup(workbook_copy: Path) -> None:
    before = workbook_copy.read_bytes()
    working = three_changes(working_of(workbook_copy))
    assert working.workbook and working.text == ""
    saved = save(working, workbook_copy, NOW)
    assert saved.backup == workbook_copy.parent / ".curate/backups/small.xlsx.20210520-140309.bak"
    assert saved.backup.read_bytes() == before
    assert load_dataset(workbook_copy) == working.dataset
    assert saved.working.workbook and not saved.working.changes
    # Written whole: the page says so, and never that its comments and layout were kept.
    assert not saved.comments_kept
    assert saved.how == (
        "The workbook was written anew: one sheet per section, as python -m positions convert "
        "writes it. Formatting given to it in a spreadsheet (colours, column widths, notes in "
        "cells) was not kept; the backup keeps the workbook as it was."
    )
    # Both downloads of a workbook's working copy load back to it.
    for download in DOWNLOADS:
        data = download.make(working, workbook_copy)
        assert load_dataset_bytes(data, download_name(workbook_copy, download)) == working.dataset


def test_a_workbook_changed_on_disk_is_not_overwritten(workbook_copy: Path) -> None:
    working = three_changes(working_of(workbook_copy))
    other = load_dataset(workbook_copy)
    write_workbook(other.model_copy(update={"positions": other.positions[:2]}), workbook_copy)
    changed = workbook_copy.read_bytes()
    with pytest.raises(SaveRefused, match="changed on disk since it was loaded"):
        save(working, workbook_copy, NOW)
    assert workbook_copy.read_bytes() == changed
    assert not (workbook_copy.parent / ".curate" / "backups").exists()


def test_a_workbook_draft_restores_its_changes(workbook_copy: Path) -> None:
    working = three_changes(working_of(workbook_copy))
    write_draft(working, workbook_copy, NOW)
    draft = read_draft(workbook_copy)
    assert draft is not None
    assert draft.working.dataset == working.dataset
    assert draft.working.sha256 == working.sha256  # a save still checks the file as loaded
    assert draft.working.workbook
    assert draft.summary == "1 added, 1 edited, 1 removed"


def test_the_yaml_download_is_what_a_save_would_write(small_copy: Path) -> None:
    working = three_changes(working_of(small_copy))
    (yaml_download,) = [d for d in DOWNLOADS if d.key == "yaml"]
    assert DOWNLOADS[0] is yaml_download  # the first button
    assert download_name(small_copy, yaml_download) == "small.yaml"
    data = yaml_download.make(working, small_copy)
    assert load_dataset_bytes(data, "x") == working.dataset
    assert data.decode() == file_text(working, str(small_copy), small_copy.parent).text
    assert data.decode().startswith(small_copy.read_text().split("dataset:")[0])  # comments kept
    assert yaml_download.make(working_of(small_copy), small_copy) == small_copy.read_bytes()


def test_a_file_with_windows_line_endings_keeps_them(small_copy: Path) -> None:
    small_copy.write_bytes(small_copy.read_bytes().replace(b"\n", b"\r\n"))
    working = three_changes(working_of(small_copy))
    spliced = splice(working)
    assert spliced is not None
    assert spliced.count("\r\n") == spliced.count("\n")  # every line ends the file's way
    assert load_dataset_bytes(spliced.encode(), "x") == working.dataset
    save(working, small_copy, now=NOW)
    assert b"\n" not in small_copy.read_bytes().replace(b"\r\n", b"")
