"""Frames, filters and analysis on the small dataset, with exact values."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from positions.analysis import (
    UNIT_NOTE,
    counting_units,
    event_when,
    headline_figures,
    key_findings,
    member_text,
    most_divided_topic,
    order_actors,
    order_topics,
    sanction_tree,
    stance_cells,
    unit_sides,
    waiver_summary,
)
from positions.frames import Filters, apply_filters, citation, expand_actors, relax_suggestions


def cell_map(cells: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {
        (a, t): s for a, t, s in zip(cells["actor"], cells["topic"], cells["stance"], strict=True)
    }


def test_frames_join_names_and_citations(small):
    p = small.positions.set_index("id")
    assert p.loc["p7", "actor_name"] == "North minister"
    assert p.loc["p7", "actor_root"] == "north"
    assert p.loc["p7", "topic_group"] == "Rights"
    assert p.loc["p7", "source_citation"] == (
        "\u201cThe readout\u201d, A ministry, 2021-05-19. https://example.org/readout"
    )
    assert p.loc["p1", "score"] == -2
    assert pd.isna(p.loc["p6", "score"])  # not_raised is off the scale
    assert p.loc["p6", "event_title"] == "The meeting"


def test_citation_without_date_says_nd():
    source = {"title": "T", "author": "A", "publisher": "P", "date": None}
    assert citation(source) == "A, \u201cT\u201d, P, n.d."


def test_cells_show_latest_and_mark_disagreement_as_contested(small, as_of):
    cells = stance_cells(small.positions, as_of=as_of)
    assert cell_map(cells) == {
        ("north", "pipeline"): "oppose",
        ("south", "pipeline"): "support",
        ("north", "waiver"): "support",
        ("south", "waiver"): "support",
        ("parliament", "waiver"): "oppose",
        ("north-minister", "rights"): "contested",
        ("north-minister", "pipeline"): "lean_oppose",  # the May record, not the February one
    }
    contested = cells[cells["stance"] == "contested"].iloc[0]
    assert contested["record_ids"] == ["p6", "p7"]
    assert contested["sources"] == "The article; The readout"
    assert contested["cell_label"] == "Contested"


def test_cells_of_empty_view_have_columns(small, as_of):
    cells = stance_cells(small.positions.iloc[0:0], as_of=as_of)
    assert cells.empty and "stance" in cells.columns


def test_orderings(small, as_of):
    cells = stance_cells(small.positions, as_of=as_of)
    assert order_actors(small.actors, cells, "name") == [
        "north",
        "north-minister",
        "parliament",
        "south",
    ]
    # A state first, then those under it, in file order; then the next state.
    assert order_actors(small.actors, cells, "kind") == [
        "north",
        "north-minister",
        "parliament",
        "south",
    ]
    assert order_topics(small.topics, cells, "kind") == [
        "pipeline",
        "waiver",
        "rights",
    ]
    # The chain starts at the actor with the most cells (North) and moves to the nearest profile:
    # North minister (pipeline -1 vs -2: 1.5), then from the minister to South (pipeline +2 vs
    # -1: 3.5) rather than North parliament (no shared topic: 10); North parliament is left.
    assert order_actors(small.actors, cells, "similarity") == [
        "north",
        "north-minister",
        "south",
        "parliament",
    ]
    # Topics likewise: the pipeline and the waiver have three cells each (the pipeline comes first
    # in the data), the waiver is nearest to it (North 4 apart, South 0: 2 + 1/3), and the
    # prisoner's treatment, whose one cell is contested, shares no scored actor with them (10).
    assert order_topics(small.topics, cells, "similarity") == [
        "pipeline",
        "waiver",
        "rights",
    ]


def test_filters_include_actors_under_the_chosen_one(small):
    assert expand_actors(small.actors, ("north",)) == ["north", "north-minister", "parliament"]
    view = apply_filters(small, Filters(actors=("north",)))
    assert sorted(view.positions["id"]) == ["p1", "p3", "p5", "p6", "p7", "p8", "p9"]
    assert list(view.events["id"]) == ["meeting", "summit"]


def test_filters_by_topic_and_stance(small):
    view = apply_filters(small, Filters(topics=("waiver",), stances=("support",)))
    assert sorted(view.positions["id"]) == ["p3", "p4"]
    assert list(view.events["id"]) == ["reaction"]
    assert sorted(view.sanctions["id"]) == ["ceo", "company"]


def test_relax_suggestions_name_the_filter_to_clear(small):
    nothing = Filters(actors=("south",), stances=("not_raised",))
    assert apply_filters(small, nothing).positions.empty
    assert relax_suggestions(small, nothing) == [
        "clearing the Actors filter",
        "clearing the Stances filter",
    ]
    assert relax_suggestions(small, Filters(topics=("rights",)), "sanctions") == [
        "clearing the Topics filter"
    ]


def test_headline_figures_and_findings(small):
    # The rights topic is contested at the meeting (the article: not raised; the readout: raised),
    # so it is not counted as unraised.
    assert headline_figures(small) == {
        "actors": 4,
        "topics": 3,
        "positions": 9,
        "sources": 2,
        "not_raised": 0,
        "sanction_targets": 6,
        "events": 3,
    }
    texts = [(f.text, f.page, f.query) for f in key_findings(small)]
    assert texts == [
        (
            "Contested: whether A prisoner's treatment was raised at \u201cThe meeting\u201d. "
            "The sources disagree: The article and The readout (both records are kept).",
            "stances",
            {"cell": ["north-minister~rights"]},
        ),
        (
            "Most divided: Waiver of sanctions, with 2 for (North and South) and 1 against "
            f"(North parliament). {UNIT_NOTE} Counted from stated stances only, as of "
            "20 May 2021 (the dataset's date).",
            "stances",
            {"topic": ["waiver"]},
        ),
        (
            "Sanctions: On 19 May 2021, 3 sanctioned (3 vessels) and 2 spared by the waiver "
            "(1 company, 1 person).",
            "sanctions",
            {},
        ),
    ]


def test_findings_follow_the_view(small):
    # A search never changes how a cell looks: the rights topic stays contested ...
    view = apply_filters(small, Filters(as_of="2021-05-20", search="criticise"))
    assert key_findings(small, view)[0].text.startswith("Contested: whether A prisoner's")
    # ... and without the readout's record it is plainly not raised.
    frames = replace(small, positions=small.positions[small.positions["id"] != "p7"])
    texts = [
        f.text for f in key_findings(frames, apply_filters(frames, Filters(as_of="2021-05-20")))
    ]
    assert texts[0] == (
        "Not raised: at \u201cThe meeting\u201d (19 May 2021), 1 issue went unraised according "
        "to the sources: A prisoner's treatment."
    )
    # Nothing before 19 May is known on 1 March but the minister's inferred stance: no division.
    early = apply_filters(small, Filters(as_of="2021-03-01", count_inferred=True))
    assert headline_figures(small, early)["positions"] == 1
    assert [f.text.split(":")[0] for f in key_findings(small, early)] == []


def test_counting_units_roll_members_up(small, bundled):
    units = counting_units(small.actors).to_dict()
    # North has a legislature but no executive: its minister counts with North itself.
    assert units == {
        "north": "north",
        "north-minister": "north",
        "south": "south",
        "parliament": "parliament",
    }
    bundled_units = counting_units(bundled.actors)
    assert bundled_units["blinken"] == bundled_units["state-department"] == "us-administration"
    assert bundled_units["united-states"] == "us-administration"
    assert bundled_units["menendez"] == "us-congress"
    assert bundled_units["lavrov"] == bundled_units["putin"] == "russia"
    assert bundled_units["maas"] == "germany"


def test_unit_sides_show_a_split_as_a_split(small):
    cells = pd.DataFrame(
        {
            "actor": ["north", "north-minister", "south", "parliament"],
            "actor_name": ["North", "North minister", "South", "North parliament"],
            "topic": ["pipeline"] * 4,
            "topic_name": ["The pipeline"] * 4,
            "stance": ["oppose", "support", "support", "mixed"],
            "score": [-2.0, 2.0, 2.0, 0.0],
            "date_text": ["", "19 May 2021", "", ""],
        }
    )
    sides = unit_sides(cells, small.actors)
    assert list(zip(sides["unit_name"], sides["side"], strict=True)) == [
        ("North", "split"),
        ("South", "for"),
        ("North parliament", "mixed"),
    ]
    assert member_text(sides["members"].iloc[0]) == (
        "North: Oppose; North minister: Support, 19 May 2021"
    )
    assert most_divided_topic(cells, small.actors) is None  # one side only: South


def test_most_divided_topic_counts_each_unit_once(small, as_of):
    cells = stance_cells(small.positions[small.positions["confidence"] == "stated"], as_of)
    division = most_divided_topic(cells, small.actors)
    assert (division.topic, division.backers, division.critics, division.split) == (
        "waiver",
        ["North", "South"],
        ["North parliament"],
        [],
    )


def test_event_when_respects_precision(small):
    events = small.events.set_index("id")
    assert event_when(events.loc["summit"]) == "June 2021"
    assert event_when(events.loc["meeting"]) == "19 May 2021"


def test_sanction_tree_and_waiver_sentence(small):
    tree = sanction_tree(small.sanctions)
    assert list(zip(tree["id"], tree["depth"], strict=True)) == [
        ("ships", 0),
        ("ship-a", 1),
        ("more-ships", 1),
        ("company", 0),
        ("ceo", 1),
        ("buyers", 0),
    ]
    names = dict(zip(small.actors["id"], small.actors["name"], strict=True))
    assert waiver_summary(small.sanctions, names) == (
        "On 19 May 2021, sanctions were imposed on ships used in construction but waived for "
        "Pipeline Company, together with Jane Roe (chief executive); sanctions on gas buyers "
        "were only considered. Decided by: North."
    )


def test_a_stance_taken_elsewhere_outranks_not_raised_at_a_meeting(small, as_of):
    positions = small.positions.copy()
    # The minister said nothing at the meeting but opposed the treatment in a statement that day.
    positions.loc[positions["id"] == "p7", "event"] = None
    cells = stance_cells(positions, as_of=as_of)
    cell = cells[(cells["actor"] == "north-minister") & (cells["topic"] == "rights")].iloc[0]
    assert cell["stance"] == "oppose"
    assert cell["record_ids"] == ["p6", "p7"]
    assert cell["quote_start"] == "raised the prisoner's health"


def test_waiver_sentence_speaks_of_the_waivers_decision_only(small):
    waived = small.sanctions["id"] == "company"
    dated = small.sanctions.assign(
        date=small.sanctions["date"].where(~waived, pd.Timestamp("2021-05-19"))
    )
    earlier = small.sanctions.iloc[[0]].assign(
        id="old", target="An older target", date=pd.Timestamp("2021-01-19"), target_kind="vessel"
    )
    sanctions = pd.concat([dated, earlier], ignore_index=True)
    names = dict(zip(small.actors["id"], small.actors["name"], strict=True))
    assert "older" not in waiver_summary(sanctions, names)


def test_article_window_reaches_the_end_of_the_planned_month(small, as_of):
    from positions.analysis import article_window

    assert article_window(small.events, as_of) == (
        pd.Timestamp("2021-05-19"),
        pd.Timestamp("2021-06-30"),
    )


def test_positions_as_of_counts_undated_records_at_the_dataset_date(small, as_of):
    from positions.analysis import positions_as_of

    assert list(positions_as_of(small.positions, "2021-03-01", as_of)["id"]) == ["p8"]
    assert len(positions_as_of(small.positions, "2021-05-20", as_of)) == 9
    assert "p1" not in set(positions_as_of(small.positions, "2021-05-19", as_of)["id"])


def test_changed_cells_between_two_dates(small, as_of):
    from positions.analysis import changed_cells

    changes = changed_cells(small.positions, "2021-03-01", "2021-05-20", as_of)
    rows = {(a, t): (b, c) for a, t, b, c in changes.itertuples(index=False)}
    assert rows[("north-minister", "pipeline")] == ("support", "lean_oppose")
    assert rows[("north", "pipeline")] == ("no_record", "oppose")
    assert len(rows) == 7  # every cell of the latest view: six are new, one changed
    assert changed_cells(small.positions, "2021-05-20", "2021-05-20", as_of).empty


def test_alignment_scores_shared_scored_topics(small, as_of):
    from positions.analysis import alignment

    cells = stance_cells(small.positions, as_of=as_of)
    # Two shared topics are too few for a figure by default (three are needed) ...
    default = alignment(cells).set_index(["actor_a", "actor_b"])
    assert pd.isna(default.loc[("north", "south"), "agreement"])
    assert default.loc[("north", "south"), "shared"] == 2
    # ... and with the bar lowered the figure is exact.
    table = alignment(cells, min_shared=1).set_index(["actor_a", "actor_b"])
    assert table.loc[("north", "south"), "agreement"] == 0.5  # gaps 4 and 0: 1 - 2/4
    assert table.loc[("north", "south"), "shared"] == 2
    assert table.loc[("north", "parliament"), "agreement"] == 0.0
    assert table.loc[("north", "north-minister"), "agreement"] == 0.75
    assert table.loc[("south", "north"), "agreement"] == 0.5  # symmetric
    assert table.loc[("north-minister", "north-minister"), "agreement"] == 1.0
    assert pd.isna(table.loc[("parliament", "north-minister"), "agreement"])  # nothing shared
    assert table.loc[("parliament", "north-minister"), "shared"] == 0


def test_alignment_counts_not_raised_apart(small, as_of):
    from positions.analysis import alignment

    positions = small.positions[small.positions["id"] != "p7"]  # the minister: not raised only
    table = alignment(stance_cells(positions, as_of=as_of)).set_index(["actor_a", "actor_b"])
    row = table.loc[("north-minister", "north-minister")]
    assert (row["both_not_raised"], row["shared"]) == (1, 1)


def test_compare_actors_lists_divergence_first(small, as_of):
    from positions.analysis import compare_actors

    cells = stance_cells(small.positions, as_of=as_of)
    rows = compare_actors(cells, small.positions, "north", "south")
    assert list(zip(rows["topic"], rows["verdict"], strict=True)) == [
        ("pipeline", "diverge"),
        ("waiver", "agree"),
    ]
    assert rows.loc[0, "quote_a"] == "continues to oppose the pipeline"
    assert rows.loc[0, "quote_b"] == "south backs the pipeline"


def test_member_splits_show_the_split_inside_one_actor(small, as_of):
    from positions.analysis import member_splits

    cells = stance_cells(small.positions, as_of=as_of)
    split = member_splits(cells, small.actors, "north")
    assert list(zip(split["topic"], split["actor"], split["stance"], strict=True)) == [
        ("waiver", "north", "support"),
        ("waiver", "parliament", "oppose"),
    ]


def test_say_and_do_flags_opposing_yet_waiving(small):
    from positions.analysis import say_and_do

    flagged = say_and_do(small, small.positions)
    assert sorted(zip(flagged["actor"], flagged["stance"], flagged["status"], strict=True)) == [
        ("north", "oppose", "waived"),
        ("north-minister", "lean_oppose", "waived"),
        ("north-minister", "support", "imposed"),  # the February stance for the pipeline
    ]
    waived = flagged[flagged["status"] == "waived"].iloc[0]
    assert waived["sanction_quote"] == "not on the company itself"


def test_agenda_of_an_event(small):
    from positions.analysis import agenda

    result = agenda(small.positions, small.events, "meeting")
    # The article says the prisoner's treatment was not raised, the readout that it was.
    assert list(result["raised"]["id"]) == []
    assert list(result["left_out"]["id"]) == []
    assert list(result["contested"]["id"]) == ["p6", "p7"]
    assert list(result["unrecorded"]["topic"]) == ["pipeline"]
    without_readout = small.positions[small.positions["id"] != "p7"]
    result = agenda(without_readout, small.events, "meeting")
    assert list(result["left_out"]["id"]) == ["p6"]
    assert result["contested"].empty


def test_measure_positions_side_by_side(small):
    from positions.analysis import measure_positions

    company = small.sanctions.set_index("id").loc["company"]
    sides = measure_positions(company, small.positions)
    assert sorted(zip(sides["actor"], sides["side"], strict=True)) == [
        ("north", "for"),
        ("parliament", "against"),
        ("south", "for"),
    ]


def test_search_needs_every_word_in_any_text_column(small):
    view = apply_filters(small, Filters(search="Pipeline  OPPOSE"))
    assert sorted(view.positions["id"]) == ["p1"]
    view = apply_filters(small, Filters(search="constructive"))
    assert sorted(view.positions["id"]) == ["p4"]
    assert list(view.events["id"]) == ["reaction"]
    assert view.sanctions.empty
    assert relax_suggestions(small, Filters(search="zzz")) == ["clearing the search"]


def test_page_of_clamps_and_counts_pages():
    from positions.analysis import page_of

    items = [str(i) for i in range(7)]
    assert page_of(items, 1, 3) == (["0", "1", "2"], 3)
    assert page_of(items, 3, 3) == (["6"], 3)
    assert page_of(items, 9, 3) == (["6"], 3)
    assert page_of([], 1, 3) == ([], 1)


def test_most_divided_topic_breaks_ties_by_data_order():
    actors = pd.DataFrame(
        {
            "id": ["x", "y", "z"],
            "name": ["X", "Y", "Z"],
            "kind": ["state"] * 3,
            "parent": [None] * 3,
            "ancestors": [[], [], []],
        }
    )
    rows = [
        # topic b first in the data: it wins the tie with c (1 for, 1 against each)
        ("b", "x", 2.0),
        ("b", "y", -2.0),
        ("c", "x", 1.0),
        ("c", "y", -1.0),
        ("a", "z", 2.0),
        ("a", "x", 1.0),
    ]
    cells = pd.DataFrame(
        {
            "topic": [r[0] for r in rows],
            "actor": [r[1] for r in rows],
            "actor_name": [r[1].upper() for r in rows],
            "score": [r[2] for r in rows],
            "stance": ["support" if r[2] > 0 else "oppose" for r in rows],
            "topic_name": [f"Topic {r[0]}" for r in rows],
            "date_text": [""] * len(rows),
        }
    )
    division = most_divided_topic(cells, actors)
    assert (division.topic, division.backers, division.critics) == ("b", ["X"], ["Y"])
    assert most_divided_topic(cells[cells["topic"] == "a"], actors) is None


def test_scored_pairs_are_counted_once(small, as_of):
    from positions.analysis import alignment, scored_pair_count

    table = alignment(stance_cells(small.positions, as_of=as_of))
    # north-south share 2 topics, north-parliament 1, north-north minister 1 ...: none has 3.
    assert scored_pair_count(table) == (0, 5)
    assert scored_pair_count(alignment(stance_cells(small.positions, as_of=as_of), 1)) == (5, 5)


def test_a_non_english_quote_is_shown_with_its_translation(bundled, as_of):
    from positions.analysis import compare_actors, quote_text

    assert quote_text("Говорят об одном", "They say one thing") == (
        "Говорят об одном (in English: They say one thing)"
    )
    assert quote_text("plain words here", None) == "plain words here"
    peskov = bundled.positions[bundled.positions["actor"] == "peskov"]
    cells = stance_cells(peskov, as_of)
    rows = compare_actors(cells, peskov, "peskov", "peskov").set_index("topic")
    assert rows.loc["ns2-vessel-sanctions", "quote_a"] == (
        "Говорят об одном, делают — другое (in English: They say one thing, do another.)"
    )


def test_an_empty_view_suggests_a_later_date_when_that_is_what_hides_it(small):
    early = Filters(actors=("south",), as_of="2021-05-18")
    assert apply_filters(small, early).positions.empty
    assert relax_suggestions(small, early) == [
        "clearing the Actors filter",
        "choosing \u201cLatest known\u201d under \u201cAs of\u201d (what matches is dated later)",
    ]


def test_a_part_of_a_bloc_counts_as_itself(bundled):
    units = counting_units(bundled.actors)
    # "Some U.S. allies" does not speak for the allies in NATO and the EU (Germany is one).
    assert units["some-us-allies"] == "some-us-allies"
    assert units["us-allies-nato-eu"] == "us-allies-nato-eu"


def test_who_is_for_and_against_a_measure_uses_its_own_topic_only(small, as_of):
    from positions.analysis import measure_sides

    cells = stance_cells(small.positions, as_of)
    measures = small.sanctions.set_index("id", drop=False)
    waiver = measure_sides(measures.loc["company"], cells, small.actors)
    assert list(zip(waiver["unit_name"], waiver["side"], strict=True)) == [
        ("North", "for"),
        ("South", "for"),
        ("North parliament", "against"),
    ]
    # The ships' measure is linked only to the pipeline, which it works against: opposing the
    # pipeline is no opposition to the measure, so nobody is counted.
    assert measure_sides(measures.loc["ships"], cells, small.actors).empty


def test_two_actors_who_both_left_a_topic_unraised_do_not_agree_on_it(bundled, as_of):
    from positions.analysis import compare_actors

    cells = stance_cells(bundled.positions, as_of)
    rows = compare_actors(cells, bundled.positions, "blinken", "lavrov").set_index("topic")
    assert rows.loc["nord-stream-2", "verdict"] == "neither raised it"
