"""The curate logic on a copy of the small fixture: the working copy and its changes, checking a
record as it is made, undo, and the change summary. (Saving, splicing and the draft are in
tests/test_curate_save.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from positions.curate import (
    FieldProblem,
    History,
    NewActor,
    NewTopic,
    PositionForm,
    WorkingCopy,
    add_record,
    check_position,
    commit,
    discard_all,
    drop_unused,
    dropped_text,
    remove_record,
    replace_record,
    revert,
    summary,
    undo,
    unique_id,
)
from positions.curate.history import LIMIT
from positions.load import load_dataset, read_dataset_file
from positions.model import Actor, Position, Stance
from positions.texts import SourceText, read_texts

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"


def loaded(path: Path) -> tuple[WorkingCopy, dict[str, SourceText]]:
    dataset = load_dataset(path)
    texts, _ = read_texts(dataset.sources, path.parent)
    return WorkingCopy.of_file(dataset, read_dataset_file(path)), texts


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    shutil.copy(SMALL, path)
    return path


@pytest.fixture
def working(small_copy: Path) -> WorkingCopy:
    return loaded(small_copy)[0]


@pytest.fixture
def texts(small_copy: Path) -> dict[str, SourceText]:
    return loaded(small_copy)[1]


NEW_POSITION = Position(
    id="x",
    actor="south",
    topic="waiver",
    stance=Stance.oppose,
    source="article",
    quote="The waiver was criticised",
)


def a_form(**fields: object) -> PositionForm:
    base = {
        "source": "article",
        "quote": "The waiver was criticised",
        "actor": "south",
        "topic": "waiver",
        "stance": "oppose",
    }
    return PositionForm(**{**base, **fields})  # type: ignore[arg-type]


# --- The working copy -----------------------------------------------------------------------


def test_a_fresh_working_copy_is_the_file(working: WorkingCopy, small_copy: Path) -> None:
    assert working.dataset == load_dataset(small_copy)
    assert working.changes == ()
    assert summary(working) == "no changes"
    assert [slot for slot, _ in working.records("positions")] == list(range(9))


def test_changes_are_counted_against_the_file_latest_first(working: WorkingCopy) -> None:
    added = Position(
        actor="south",
        topic="rights",
        stance="mixed",
        source="article",
        quote="wanted calm relations",
    )
    changed, slot = add_record(working, "positions", added)
    assert slot == 9
    first = changed.record("positions", 0)
    changed = replace_record(
        changed, "positions", 0, first.model_copy(update={"stance": Stance.mixed})
    )
    changed = remove_record(changed, "positions", 4)
    assert summary(changed) == "1 added, 1 edited, 1 removed"
    assert [(c.kind, c.slot, c.stamp) for c in changed.changes] == [
        ("removed", 4, 3),
        ("edited", 0, 2),
        ("added", 9, 1),
    ]
    ids = [p.id for p in changed.dataset.positions]
    assert ids == ["p1", "p2", "p3", "p4", "p6", "p7", "p8", "p9", None]
    assert changed.dataset.positions[0].stance == "mixed"
    # The removed record keeps its slot, empty; the slots of the others do not move.
    assert changed.record("positions", 4) is None
    assert changed.record("positions", 5).id == "p6"
    assert working.changes == ()  # the copy it was made from is untouched


def test_an_edit_back_to_the_files_version_is_no_change(working: WorkingCopy) -> None:
    first = working.record("positions", 0)
    changed = replace_record(
        working, "positions", 0, first.model_copy(update={"stance": Stance.mixed})
    )
    changed = replace_record(changed, "positions", 0, first)
    assert changed.changes == ()


def test_revert_and_discard_all(working: WorkingCopy) -> None:
    changed = remove_record(working, "positions", 2)
    changed, slot = add_record(changed, "actors", Actor(id="west", name="West", kind="state"))
    assert summary(revert(changed, "positions", 2)) == "1 added"
    assert summary(revert(changed, "actors", slot)) == "1 removed"
    assert discard_all(changed).dataset == working.dataset
    with pytest.raises(KeyError):
        remove_record(changed, "positions", 2)  # already removed
    with pytest.raises(TypeError):
        add_record(working, "topics", Actor(id="west", name="West", kind="state"))


def test_unique_ids() -> None:
    assert unique_id("north-waiver", ["p1"]) == "north-waiver"
    assert unique_id("north-waiver", ["north-waiver", "north-waiver-2"]) == "north-waiver-3"
    assert unique_id("North Waiver!", []) == "north-waiver"


# --- Checking a record as it is made ----------------------------------------------------------


def test_a_good_record_passes_and_gets_an_id(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    checked = check_position(working, a_form(), texts)
    assert checked.ok
    assert checked.missing == () and checked.problems == ()
    assert checked.quote_span is not None
    text = texts["article"].text
    assert text[slice(*checked.quote_span)] == "The waiver was criticised"
    assert checked.position == Position(
        id="south-waiver",
        actor="south",
        topic="waiver",
        stance="oppose",
        source="article",
        quote="The waiver was criticised",
    )
    changed, slot = commit(working, checked)
    assert summary(changed) == "1 added"
    assert changed.record("positions", slot) == checked.position


def test_an_empty_form_lists_what_is_missing_and_nothing_wrong(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    checked = check_position(working, PositionForm(source="article"), texts)
    assert checked.missing == ("quote", "actor", "topic", "stance")
    assert checked.problems == ()
    assert not checked.ok
    with pytest.raises(ValueError, match="only a record that passed its check"):
        commit(working, checked)


def test_a_quote_not_in_the_text_says_where_it_differs(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    checked = check_position(working, a_form(quote="The waiver was critcised"), texts)
    assert checked.problems == (
        FieldProblem(
            "quote",
            "the quote is not verbatim in the text of source 'article' (texts/article.txt)",
            "closest passage: \u201cThe waiver was criticised\u201d; the quote has "
            "\u201ccritcised\u201d where the text has \u201ccriticised\u201d",
        ),
    )
    assert checked.quote_span is None
    assert not checked.ok


def test_the_codebooks_rules_go_to_their_fields(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    checked = check_position(
        working, a_form(stance="not_raised", confidence="inferred", date="2021-5"), texts
    )
    assert checked.problems == (
        FieldProblem(
            "date",
            "'2021-5' is not a valid date",
            "write YYYY-MM-DD, or YYYY-MM or YYYY when the source gives no day",
        ),
        FieldProblem(
            "event",
            "\u201cNot raised\u201d needs the event at which the actor did not raise it.",
            "Choose the event.",
        ),
        FieldProblem(
            "note",
            "A stance that is not said outright (inferred) needs a note saying why it follows "
            "from the source.",
        ),
    )
    checked = check_position(working, a_form(quote="was criticised"), texts)
    assert checked.problems == (
        FieldProblem(
            "quote", "quote is too short to carry a claim: quote at least three words", None
        ),
    )


def test_a_second_record_for_the_same_occasion_names_the_first(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    form = a_form(actor="north", topic="pipeline", quote="The north continues to oppose")
    checked = check_position(working, form, texts)
    assert checked.problems == (
        FieldProblem(
            "",
            "North already has a record on \u201cThe pipeline\u201d from \u201cThe article\u201d "
            "on the same occasion (record p1, \u201ccontinues to oppose the pipeline\u201d).",
            "Keep one record per actor, topic, source and occasion: edit that record instead, or "
            "give this one the date or event that makes it another occasion.",
        ),
    )
    assert check_position(working, form.__class__(**{**vars(form), "date": "2021-05"}), texts).ok


def test_editing_a_record_checks_it_in_its_place(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    # Editing p3 (slot 2) into a copy of p4's occasion clashes with p4, which comes after it.
    form = a_form(actor="south", quote="a constructive step indeed", date="2021-05-19", replaces=2)
    form = PositionForm(**{**vars(form), "topic": "waiver", "stance": "support"})
    checked = check_position(working, form, texts)
    assert [p.message for p in checked.problems] == [
        "South already has a record on \u201cWaiver of sanctions\u201d from \u201cThe article\u201d"
        " on the same occasion (record p4, \u201ca constructive step indeed\u201d)."
    ]
    # The edited record keeps its id; a record id left blank is not made anew.
    fine = check_position(working, PositionForm(**{**vars(form), "date": "2021-05-20"}), texts)
    assert fine.ok and fine.position is not None and fine.position.id == "p3"
    changed, slot = commit(working, fine)
    assert slot == 2
    assert summary(changed) == "1 edited"
    assert changed.dataset.positions[2].quote == "a constructive step indeed"


def test_a_new_actor_and_topic_are_checked_and_added_with_the_record(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    form = a_form(
        actor=None,
        topic=None,
        new_actor=NewActor(name="North navy", kind="agency", parent="north"),
        new_topic=NewTopic(name="Ships", group="Energy"),
    )
    checked = check_position(working, form, texts)
    assert checked.ok, checked.problems
    assert checked.notes == (
        "The new actor's id is made from its name: north-navy",
        "The new topic's id is made from its name: ships",
    )
    assert checked.actor == Actor(id="north-navy", name="North navy", kind="agency", parent="north")
    assert checked.position is not None and checked.position.id == "north-navy-ships"
    changed, _ = commit(working, checked)
    assert summary(changed) == "3 added"
    assert [c.section for c in changed.changes] == ["positions", "topics", "actors"]


def test_a_new_actor_that_exists_or_is_unfinished_is_refused(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    taken = a_form(actor=None, new_actor=NewActor(name="South", kind="state"))
    assert check_position(working, taken, texts).problems == (
        FieldProblem(
            "new_actor.id",
            "The id 'south' is taken by the actor South.",
            "Pick that actor from the list, or give this one another id.",
        ),
        FieldProblem(
            "new_actor.name",
            "South is already the name of an actor.",
            "Pick that actor from the list, or name this one apart: names label the charts' rows "
            "and columns.",
        ),
    )
    unfinished = check_position(
        working, a_form(actor=None, new_actor=NewActor(id="North Navy")), texts
    )
    assert unfinished.missing == ("new_actor.name", "new_actor.kind")
    assert unfinished.problems == (
        FieldProblem(
            "new_actor.id",
            "'North Navy' is not a valid id",
            "ids are lowercase letters, digits and single hyphens, e.g. 'north-navy'",
        ),
    )


def test_undo_refuses_to_leave_a_record_dangling(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    form = a_form(actor=None, new_actor=NewActor(name="North navy", kind="agency"))
    changed, _ = commit(working, check_position(working, form, texts))
    actor_slot = next(c.slot for c in changed.changes if c.section == "actors")
    same, reasons = undo(changed, "actors", actor_slot)
    assert same is changed
    assert reasons == ["the position north-navy-waiver: unknown actor 'north-navy'"]
    position_slot = next(c.slot for c in changed.changes if c.section == "positions")
    without, reasons = undo(changed, "positions", position_slot)
    assert reasons == [] and summary(without) == "1 added"
    assert summary(undo(without, "actors", actor_slot)[0]) == "no changes"


# --- New actors and topics no record uses, and Undo -----------------------------------------------


def test_a_new_actor_and_topic_go_with_the_last_record_that_uses_them(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    form = a_form(
        actor=None,
        topic=None,
        new_actor=NewActor(name="North navy", kind="agency", parent="north"),
        new_topic=NewTopic(name="Ships", group="Energy"),
    )
    changed, slot = commit(working, check_position(working, form, texts))
    # Nothing unused while the record uses them.
    assert drop_unused(changed) == (changed, ())
    tidied, dropped = drop_unused(remove_record(changed, "positions", slot))
    assert [(section, record.id) for section, record in dropped] == [
        ("actors", "north-navy"),
        ("topics", "ships"),
    ]
    assert tidied.dataset == working.dataset and summary(tidied) == "no changes"
    assert dropped_text(dropped) == (
        "The new actor North navy and the new topic Ships, which no record uses any more, were "
        "taken out too."
    )
    assert dropped_text(dropped[1:], ahead=True) == (
        "The new topic Ships, which no other record uses, goes with it."
    )
    assert dropped_text(()) == ""
    # The file's own actors and topics stay, used or not: only those added here go.
    bare = remove_record(working, "positions", 1)  # p2, South's only record but one
    for number, _ in list(bare.records("positions")):
        bare = remove_record(bare, "positions", number)
    assert drop_unused(bare)[1] == ()


def test_a_new_parent_goes_with_the_new_actor_that_named_it(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> None:
    first = a_form(actor=None, new_actor=NewActor(name="North navy", kind="agency"))
    changed, navy = commit(working, check_position(working, first, texts))
    second = a_form(
        quote="criticised by members of parliament",
        actor=None,
        new_actor=NewActor(name="North fleet", kind="agency", parent="north-navy"),
    )
    changed, fleet = commit(changed, check_position(changed, second, texts))
    # The navy's record goes, but the fleet still names it as its parent: it stays.
    changed, dropped = drop_unused(remove_record(changed, "positions", navy))
    assert dropped == ()
    changed, dropped = drop_unused(remove_record(changed, "positions", fleet))
    assert [record.id for _, record in dropped] == ["north-fleet", "north-navy"]
    assert summary(changed) == "no changes"


def test_history_undoes_the_last_action_whole_and_keeps_a_bounded_number(
    working: WorkingCopy,
) -> None:
    history = History()
    assert history.last is None
    with pytest.raises(IndexError):
        history.undone()
    added, slot = add_record(working, "positions", NEW_POSITION)
    history = history.after("added record x", working)
    removed = remove_record(added, "positions", slot)
    history = history.after("removed record x", added)
    assert history.last is not None and history.last.what == "removed record x"
    back, history = history.undone()
    assert back.dataset == added.dataset and back.record("positions", slot) == NEW_POSITION
    assert back is not added  # a copy without what the old one had worked out and kept
    assert removed.changes == () and back.changes[0].kind == "added"
    back, history = history.undone()
    assert back.dataset == working.dataset and history.last is None
    for number in range(LIMIT + 5):
        history = history.after(f"step {number}", working)
    assert len(history.steps) == LIMIT
    assert history.steps[0].what == "step 5" and history.last.what == f"step {LIMIT + 4}"
