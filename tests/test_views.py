"""The pages' view models, with exact values on the small dataset (tests/fixtures/small.yaml).

Each builder is what its page draws; a value here is a value on the screen.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from positions.frames import Filters, Frames, apply_filters
from positions.views.agenda import build_agenda, event_choices
from positions.views.alignment import build_alignment, comparison, splits_inside
from positions.views.overview import build_overview
from positions.views.prospects import build_prospects
from positions.views.sanctions import build_sanctions, decision_choices
from positions.views.sources import build_sources
from positions.views.stances import StancesSettings, build_stances, cell_evidence
from positions.views.timeline import build_timeline, event_detail, period_choices


@pytest.fixture(scope="module")
def default_view(small: Frames):
    return apply_filters(small, Filters(as_of=str(small.info.as_of)))


def test_views_are_frozen(small, default_view):
    stances = build_stances(small, default_view, StancesSettings())
    with pytest.raises(dataclasses.FrozenInstanceError):
        stances.empty = True  # type: ignore[misc]


def test_stances_view_carries_ids_in_display_order(small, default_view):
    stances = build_stances(small, default_view, StancesSettings(order="name"))
    assert stances.actor_ids == ["north", "north-minister", "parliament", "south"]
    assert stances.topic_ids == ["rights", "pipeline", "waiver"]  # A prisoner's, The pipeline, W
    assert set(stances.cell_ids) == {
        "north~pipeline",
        "south~pipeline",
        "north~waiver",
        "south~waiver",
        "parliament~waiver",
        "north-minister~rights",
        "north-minister~pipeline",
    }
    assert stances.alt == "Stance matrix of 4 actors by 3 topics"
    assert stances.table_count == "9 records."
    assert stances.pager is None and stances.changed_note == ""


def test_stances_view_marks_changes_since_a_date(small, default_view):
    stances = build_stances(small, default_view, StancesSettings(since="2021-02-01"))
    assert stances.since_choices == {
        "": "No comparison",
        "2021-02-01": "1 February 2021",
        "2021-05-19": "19 May 2021",
        "2021-05-20": "20 May 2021 (the dataset's date)",
    }
    changed = dict(
        zip(
            stances.cells["actor"] + "~" + stances.cells["topic"],
            stances.cells["changed_from"],
            strict=True,
        )
    )
    # The minister supported the pipeline on 1 February (inferred) and is concerned by May.
    assert changed["north-minister~pipeline"] == "Support"
    assert changed["north~waiver"] == "no record"
    assert stances.changed_note == "Outlined: 7 cells changed since 1 February 2021."


def test_a_cells_evidence_is_the_records_its_look_comes_from(small, default_view):
    stances = build_stances(small, default_view, StancesSettings())
    evidence = cell_evidence(stances, default_view, "north-minister~pipeline")
    assert evidence is not None
    # The matrix counts one record; the earlier one is listed apart, not as a second record.
    assert [r.id for r in evidence.records] == ["p9"]
    assert [r.id for r in evidence.earlier] == ["p8"]
    assert evidence.label == "Lean oppose" and evidence.note == ""
    assert evidence.earlier[0].inferred and evidence.earlier[0].date_text == "1 February 2021"
    contested = cell_evidence(stances, default_view, "north-minister~rights")
    assert contested is not None
    assert [r.stance_label for r in contested.records] == ["Not raised", "Oppose"]
    assert contested.note == (
        "2 records for this cell; the matrix shows **Contested** because its sources disagree."
    )
    assert cell_evidence(stances, default_view, "south~rights") is None


def test_stances_view_pages_a_big_matrix(small, default_view, monkeypatch):
    import positions.views.stances as stances_view

    monkeypatch.setattr(stances_view, "MATRIX_PAGE_ROWS", 3)
    stances = build_stances(small, default_view, StancesSettings(order="name", rows_page=2))
    assert stances.pager is not None
    assert (stances.pager.row_pages, stances.pager.column_pages) == (2, 1)
    assert stances.actor_ids == ["south"]
    assert set(stances.cells["actor"]) == {"south"}
    assert stances.pager.note == (
        "Showing 1 of 4 actors and 3 of 3 topics; narrow the view with the sidebar filters."
    )


def test_alignment_view(small, default_view):
    aligned = build_alignment(small, default_view)
    assert aligned.order == ["north", "north-minister", "parliament", "south"]
    assert aligned.roots == ["north"]
    assert aligned.scored_note.startswith("**0 of 5 pairs**")
    compared = comparison(aligned, default_view, "north", "south", small.texts)
    assert compared is not None
    assert compared.summary == (
        "no agreement score: 2 shared scored topics, fewer than the 3 a score needs"
    )
    assert [(t.topic_name, t.verdict) for t in compared.topics] == [
        ("The pipeline", "diverge"),
        ("Waiver of sanctions", "agree"),
    ]
    left, right = compared.topics[1].sides
    assert (left.actor_name, left.stance_label, left.date_text) == (
        "North",
        "Support",
        "19 May 2021",
    )
    assert right.quoted.words == "a constructive step indeed"
    assert right.quoted.context is not None  # the article keeps its text
    assert comparison(aligned, default_view, "north", "atlantis") is None
    splits, more = splits_inside(aligned, default_view, small, "north")
    assert more == ""
    assert [
        (s.topic_name, [(m.actor_name, m.stance_label) for m in s.members]) for s in splits
    ] == [("Waiver of sanctions", [("North", "Support"), ("North parliament", "Oppose")])]


def test_agenda_view(small, default_view):
    choices, default = event_choices(small)
    assert (choices, default) == ({"meeting": "The meeting"}, "meeting")
    page = build_agenda(small, default_view, "meeting")
    assert (page.title, page.when, page.place) == ("The meeting", "19 May 2021", "A capital")
    assert page.counts == {"Raised": 0, "Left out": 0, "Contested": 1}
    assert page.raised == () and page.left_out == ()
    (line,) = page.contested
    assert line.who == "North minister: Not raised / Oppose"
    assert [(by, source) for _, by, source in line.quotes] == [
        ("North minister", "The article"),
        ("North minister", "The readout"),
    ]
    # The meeting's agenda names the pipeline; no record of the meeting is about it.
    assert page.unrecorded == ("The pipeline",)


def test_sanctions_view(small, default_view):
    choices, default = decision_choices(small)
    assert (choices, default) == ({"2021-05-19": "19 May 2021", "all": "All decisions"}, "all")
    page = build_sanctions(small, default_view, "all")
    assert page.totals == {"Imposed": 3, "Waived": 2, "Considered only": 1, "Lifted": 0}
    first = page.tree[0]
    assert (first.depth, first.target, first.status) == (0, "Ships used in construction", "Imposed")
    assert dict(first.facts) == {
        "Kind": "Vessel (a group)",
        "Status": "Imposed",
        "Date": "19 May 2021",
        "Decided by": "North",
        "Source": "The article",
    }
    assert [(r.target, r.count) for r in page.tree if r.count] == [("Further ships", 2)]
    # An inferred stance is not what an actor said: the minister's inferred support of the
    # pipeline (p8) is no conflict with the ships' sanctions unless inferred stances count.
    assert [(c.actor_name, c.stance_label, c.status) for c in page.conflicts] == [
        ("North", "Oppose", "waived"),
        ("North minister", "Lean oppose", "waived"),
    ]
    counting_all = apply_filters(small, Filters(as_of=str(small.info.as_of), count_inferred=True))
    assert len(build_sanctions(small, counting_all, "all").conflicts) == 3
    waiver = next(m for m in page.measures if m.target == "Pipeline Company")
    ((topic, sides),) = waiver.topics
    assert topic == "Waiver of sanctions"
    assert [(s.label, [u for u, _ in s.units]) for s in sides] == [
        ("For (2)", ["North", "South"]),
        ("Against (1)", ["North parliament"]),
    ]


def test_overview_view(small, default_view):
    page = build_overview(small, default_view)
    assert page.title == "Small test dataset" and page.narrowed_note == ""
    assert {f.label: f.value for f in page.figures} == {
        "Actors": 4,
        "Topics": 3,
        "Positions": 9,
        "Issues not raised": 0,  # the one not-raised record is contested
    }
    assert [f.page for f in page.findings] == ["stances", "stances", "sanctions"]
    assert page.findings[0].query == {"cell": ["north-minister~rights"]}
    assert page.article == ("The article", "A. Author", "A publisher")
    assert page.as_of_text == "20 May 2021"
    narrowed = build_overview(small, apply_filters(small, Filters(topics=("waiver",))))
    assert narrowed.narrowed_note.startswith("The figures and findings below are for the current")


def test_timeline_view(small, default_view):
    assert period_choices(small) == {
        "article": "19 May – 30 June 2021: the dataset's horizon",
        "all": "Everything in the data",
    }
    page = build_timeline(small, default_view, "article")
    assert list(page.events["id"]) == ["meeting", "reaction", "summit"]
    assert page.kinds == ["meeting", "reaction", "summit"]
    assert list(page.table["date"]) == ["19 May 2021", "20 May 2021", "June 2021"]
    detail = event_detail(page, small, "summit")
    assert detail is not None
    assert (detail.when, detail.kind, detail.actors, detail.planned) == (
        "June 2021",
        "Summit",
        "North, South",
        True,
    )
    assert event_detail(page, small, "nothing") is None


def test_prospects_view_on_a_dataset_without_prospects(small, default_view):
    page = build_prospects(small, default_view)
    assert page.empty_note == "This dataset records no prospects."
    assert page.counts == {
        "Borne out": 0,
        "Partly": 0,
        "Not borne out": 0,
        "Condition never arose": 0,
        "Open": 0,
    }


def test_prospects_view_on_the_bundled_dataset(bundled):
    view = apply_filters(bundled, Filters(as_of=str(bundled.info.as_of)))
    page = build_prospects(bundled, view)
    assert sum(page.counts.values()) == len(bundled.prospects) == len(page.cards)
    assert all(card.quoted.source for card in page.cards)
    assert all(card.quoted.context is not None for card in page.cards)
    # Dates in words: an outcome's day is never read as a year.
    dated = [card.outcome_date for card in page.cards if card.outcome_date != "undated"]
    assert dated and all(len(text.split()) == 3 for text in dated)


def test_sources_view(small, default_view):
    page = build_sources(small, default_view)
    assert page.positions_note == "9 positions in this view."
    assert page.bundle_name == "evidence-small" and page.download_suffix == ""
    assert list(page.sources["used"]) == [8, 1]
    assert [(row.label, row.score) for row in page.codebook][-1] == ("Not raised", "—")


# --- Curate --------------------------------------------------------------------------------------


def curate_working():
    from positions.curate import WorkingCopy
    from positions.load import load_dataset, read_dataset_file
    from positions.texts import read_texts

    path = Path(__file__).resolve().parent / "fixtures" / "small.yaml"
    dataset = load_dataset(path)
    texts, _ = read_texts(dataset.sources, path.parent)
    return WorkingCopy.of_file(dataset, read_dataset_file(path)), texts


def test_curate_view_numbers_the_sentences_and_counts_their_records():
    from positions.views.curate import Around, around, build_curate, source_choices

    working, texts = curate_working()
    assert source_choices(working, texts) == (
        {"article": "The article", "readout": "The readout"},
        "article",
    )
    view = build_curate(working, texts, "article")
    assert view.text is not None
    assert [p.heading for p in view.text.paragraphs] == ["The article", "", "", "", ""]
    rows = [(r.number, r.records) for p in view.text.paragraphs for r in p.sentences]
    # Every quote (positions, sanctions, events) counts in the sentence it stands in.
    assert rows == [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (6, 1), (7, 4), (8, 2), (9, 1), (10, 0)]
    assert view.text.coverage == "8 of 10 sentences (80%) carry a record; 2 carry none yet."
    assert view.text.sentence(4).text == (
        "The north continues to oppose the pipeline, while south backs the pipeline."
    )
    assert around(texts["article"], view.text.sentence(9)) == Around(
        "The minister once spoke for the pipeline; he now expresses only concern.",
        "A summit is expected to take place in June.",
        "Nobody here says what comes after it.",
    )
    # The article's positions, the latest in the file first, with the sentences they code.
    assert [(r.id, r.sentences, r.change) for r in view.records] == [
        ("p9", (8,), ""),
        ("p8", (8,), ""),
        ("p6", (3,), ""),
        ("p5", (6,), ""),
        ("p4", (5,), ""),
        ("p3", (5,), ""),
        ("p2", (4,), ""),
        ("p1", (4,), ""),
    ]
    assert view.records[0].title == "North minister on The pipeline: Lean oppose"
    assert view.records[0].date_text == "19 May 2021"
    assert [r.id for r in view.coded_in[5]] == ["p4", "p3"]
    assert view.records_note == "8 positions cite The article."
    assert view.summary == "no changes" and view.changes == ()
    assert view.actors["north-minister"] == "North minister · official"
    assert view.topics["rights"] == "A prisoner's treatment · Rights"
    assert view.events["summit"] == "Summit (expected in June), 1 June 2021"
    assert view.groups == ("Energy", "Rights")
    assert view.kinds[-1] == "organisation"  # the codebook's kinds; the fixture adds none


def test_curate_view_lists_every_position_and_the_changes():
    from positions.curate import remove_record, replace_record
    from positions.model import Stance
    from positions.views.curate import build_curate

    working, texts = curate_working()
    first = working.record("positions", 0)
    working = replace_record(
        working, "positions", 0, first.model_copy(update={"stance": Stance.mixed})
    )
    working = remove_record(working, "positions", 6)
    view = build_curate(working, texts, "readout", all_positions=True, limit=3)
    assert view.records_note == (
        "8 positions in the dataset. Showing the 3 latest in the file; the rest are in the "
        "download."
    )
    assert [(r.id, r.sentences) for r in view.records] == [("p9", ()), ("p8", ()), ("p6", ())]
    assert view.total_records == 8
    assert view.summary == "1 edited, 1 removed"
    assert [c.what for c in view.changes] == [
        "Removed position p7: North minister on A prisoner's treatment (Oppose)",
        "Edited position p1: North on The pipeline (Mixed)",
    ]
    only_readout = build_curate(working, texts, "readout")
    assert only_readout.records == ()
    assert only_readout.records_note == "0 positions cite The readout."
