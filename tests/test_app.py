"""Every page through the entrypoint with AppTest, asserting on what it shows for a view."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import yaml
from streamlit.testing.v1 import AppTest

import page_registry

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"


def app(monkeypatch, data: Path = SMALL, **query: str | list[str]) -> AppTest:
    monkeypatch.setenv("POSITIONS_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def chart_rows(chart, layer: int | None = None) -> list[dict]:
    """The rows a chart (or one of its layers) draws: Streamlit ships them as Arrow datasets."""
    spec = json.loads(chart.proto.spec)
    part = spec if layer is None else spec["layer"][layer]
    name = part["data"]["name"]
    (dataset,) = [d for d in chart.proto.datasets if d.name == name]
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas().to_dict("records")


def markdown_text(at: AppTest) -> str:
    """The markdown shown, with the escapes that keep data text literal taken out again."""
    return re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))


def test_overview_shows_figures_and_findings(monkeypatch):
    at = app(monkeypatch)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Small test dataset"
    metrics = {m.label: m.value for m in at.metric}
    # The prisoner's treatment is contested (one source: not raised; another: raised), so it is
    # not counted as unraised, and the finding says so.
    assert metrics == {"Actors": "4", "Topics": "3", "Positions": "9", "Issues not raised": "0"}
    text = markdown_text(at)
    assert "Contested: whether A prisoner's treatment was raised at “The meeting”" in text
    assert (
        "Most divided: Waiver of sanctions, with 2 for (North and South) and 1 against "
        "(North parliament)." in text
    )
    assert "Counted from stated stances only, as of 20 May 2021 (the dataset's date)." in text
    assert at.caption[0].value.replace("\\", "") == "As of 20 May 2021 (the dataset's date)."


def test_stances_matrix_follows_the_url(monkeypatch):
    at = open_page(app(monkeypatch, actor="north"), "stances")
    assert at.multiselect(key="actor").value == ["north"]
    (chart,) = charts(at)
    assert chart.proto.alt == "Stance matrix of 3 actors by 3 topics"
    rows = chart_rows(chart)
    assert [r["actor"] for r in rows] == [
        "north",
        "north",
        "parliament",
        "north-minister",
        "north-minister",
    ]
    assert "≠" in {r["glyph"] for r in rows}


def test_a_matrix_wider_than_a_phone_says_it_scrolls_sideways(monkeypatch):
    at = open_page(app(monkeypatch, data=ROOT / "data" / "positions.yaml"), "stances")
    (chart,) = charts(at)
    topics = len({r["topic"] for r in chart_rows(chart)})
    assert topics > 20
    hints = [c.value for c in at.caption if "scroll it sideways" in c.value]
    assert hints == [
        f"{topics} topics across: where the matrix is wider than your screen, scroll it "
        "sideways to see them all, or choose fewer topics in the sidebar."
    ]
    at.switch_page("app_pages/alignment.py")
    at.run()
    (chart,) = charts(at)
    actors = len({r["actor_a"] for r in chart_rows(chart)})
    hints = [c.value for c in at.caption if "scroll it sideways" in c.value]
    assert hints == [
        f"{actors} actors across: where the matrix is wider than your screen, scroll it "
        "sideways to see them all, or choose fewer actors in the sidebar."
    ]


def test_a_matrix_that_fits_a_phone_has_no_scroll_hint(monkeypatch):
    for page in ("stances", "alignment"):
        at = open_page(app(monkeypatch), page)
        assert charts(at)
        assert not [c.value for c in at.caption if "scroll it sideways" in c.value]


def test_stances_table_view_from_the_url(monkeypatch):
    at = open_page(app(monkeypatch, show="table", topic="waiver"), "stances")
    frame = at.dataframe[0].value
    assert sorted(frame["actor_name"]) == ["North", "North parliament", "South"]
    assert "decided to waive the sanctions" in set(frame["quote"])
    assert not charts(at)


def test_stances_order_from_the_url(monkeypatch):
    at = open_page(app(monkeypatch, order="name"), "stances")
    spec = json.loads(charts(at)[0].proto.spec)
    # Rows are sorted by id, in the order of their names, and labelled with the names.
    y = spec["layer"][0]["encoding"]["y"]
    assert y["field"] == "actor"
    assert y["sort"] == ["north", "north-minister", "parliament", "south"]
    assert json.loads(y["axis"]["labelExpr"].removesuffix("[datum.value]")) == {
        "north": "North",
        "north-minister": "North minister",
        "parliament": "North parliament",
        "south": "South",
    }


def test_unknown_ids_in_the_url_are_dropped_with_a_notice(monkeypatch):
    at = open_page(app(monkeypatch, actor=["south", "atlantis"], stance="maybe"), "stances")
    assert at.multiselect(key="actor").value == ["south"]
    assert at.multiselect(key="stance").value == []
    assert at.query_params["actor"] == "south"
    # The notice stays until the view changes, so it is still there after the page switch.
    assert [w.value for w in at.warning] == [
        "Ignored unknown actor value(s) in the link: `atlantis`.",
        "Ignored unknown stance value(s) in the link: `maybe`.",
    ]
    at.multiselect(key="actor").set_value(["north"]).run()
    assert not at.warning


def test_empty_view_names_the_filter_to_relax(monkeypatch):
    at = open_page(app(monkeypatch, actor="south", stance="not_raised"), "stances")
    assert not charts(at)
    assert [i.value for i in at.info] == [
        "No positions match this view. Try clearing the Actors filter or clearing the "
        "Stances filter."
    ]


def test_sanctions_page(monkeypatch):
    at = open_page(app(monkeypatch), "sanctions")
    assert (
        "On 19 May 2021, sanctions were imposed on ships used in construction but waived for "
        "Pipeline Company"
    ) in markdown_text(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Imposed": "3", "Waived": "2", "Considered only": "1", "Lifted": "0"}
    (chart,) = charts(at)
    assert chart.proto.alt == "Bar chart of sanction targets by kind and status"
    labels = [e.label for e in at.expander]
    assert labels[:3] == [
        "Ships used in construction · imposed",
        "\u2003└ Ship A · imposed",
        "\u2003└ Further ships ×2 · imposed",
    ]


def test_timeline_follows_topic_filter(monkeypatch):
    at = open_page(app(monkeypatch, topic="waiver"), "timeline")
    (chart,) = charts(at)
    assert [r["id"] for r in chart_rows(chart, layer=3)] == ["reaction"]
    assert chart.proto.alt.startswith("Timeline of 1 events")


def test_sources_page_offers_downloads_of_the_view(monkeypatch):
    at = open_page(app(monkeypatch, actor="south"), "sources")
    sources = at.dataframe[0].value.set_index("citation")["used"].to_dict()
    assert sources == {
        "A. Author, \u201cThe article\u201d, A publisher, n.d.": 8,
        "\u201cThe readout\u201d, A ministry, 2021-05-19. https://example.org/readout": 1,
    }
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "Positions as CSV (filtered view)",
        "Positions as JSON (filtered view)",
        "Whole dataset as YAML",
        "Evidence bundle (ZIP) (filtered view)",
    ]


def test_broken_dataset_shows_the_problems_not_a_traceback(monkeypatch, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(SMALL.read_text().replace("actor: north,", "actor: nrth,", 1))
    at = app(monkeypatch, data=broken)
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "1 problem" in error.value
    assert "positions[0].actor: unknown actor 'nrth' (hint: did you mean 'north'?)" in error.value
    assert "python -m positions validate" in error.value


def test_missing_dataset_file_is_an_error_message(monkeypatch, tmp_path):
    at = app(monkeypatch, data=tmp_path / "nowhere.yaml")
    at.run()
    assert not at.exception
    assert "cannot read the file" in at.error[0].value


@pytest.mark.parametrize("entry", page_registry.PAGES, ids=lambda e: e.key)
def test_every_page_renders_the_bundled_dataset(monkeypatch, entry):
    # The curate page is served only with `-- --curate`: it is rendered in curate mode.
    monkeypatch.setattr(sys, "argv", ["dashboard.py", *(["--curate"] if entry.curate_only else [])])
    at = app(monkeypatch, data=ROOT / "data" / "positions.yaml")
    at.run()
    if not entry.default:
        at.switch_page(entry.script)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    if entry.heading:
        assert at.title[0].value == entry.heading
    assert bool(charts(at)) == entry.draws_chart


def test_stances_as_of_and_changes_from_the_url(monkeypatch):
    at = open_page(app(monkeypatch, as_of="2021-02-01"), "stances")
    (chart,) = charts(at)
    assert [(r["actor"], r["topic"], r["cell_label"]) for r in chart_rows(chart)] == [
        ("north-minister", "pipeline", "Support")
    ]
    at = open_page(app(monkeypatch, since="2021-02-01"), "stances")
    rows = {(r["actor"], r["topic"]): r["changed_from"] for r in chart_rows(charts(at)[0])}
    assert rows[("north-minister", "pipeline")] == "Support"
    assert rows[("north", "pipeline")] == "no record"
    assert "Outlined: 7 cells changed since 1 February 2021." in [c.value for c in at.caption]


def test_alignment_page_compares_two_actors_from_the_url(monkeypatch):
    at = open_page(app(monkeypatch, a="north", b="south"), "alignment")
    (chart,) = charts(at)
    rows = {(r["actor_a"], r["actor_b"]): r for r in chart_rows(chart)}
    # Two shared topics are too few for a score: the pair is drawn grey with its count.
    assert pd.isna(rows[("north", "south")]["agreement"])
    assert rows[("north", "south")]["enough"] is False
    assert rows[("north", "south")]["shared"] == 2
    assert rows[("north", "south")]["agreement_text"] == "none: 2 shared topics, too few to score"
    text = markdown_text(at)
    assert (
        "**North** and **South**: no agreement score: 2 shared scored topics, fewer than the 3 "
        "a score needs." in text
    )
    # Each side's quote within its sentence of the source's text, the quoted words in bold.
    assert (
        "> The north :blue-background[**continues to oppose the pipeline**], while south backs "
        "the pipeline." in text
    )
    assert (
        "> The north continues to oppose the pipeline, while "
        ":blue-background[**south backs the pipeline**]." in text
    )


def test_alignment_page_shows_the_split_inside_an_actor(monkeypatch):
    at = open_page(app(monkeypatch, inside="north"), "alignment")
    text = markdown_text(at)
    assert (
        "- North parliament: **Oppose** (19 May 2021), “criticised by members of parliament”"
        in text
    )
    assert "- North: **Support** (19 May 2021), “decided to waive the sanctions”" in text


def test_agenda_page_lists_what_was_left_out_and_why(monkeypatch):
    at = open_page(app(monkeypatch), "agenda")
    metrics = {m.label: m.value for m in at.metric}
    # The prisoner's treatment: not raised, says the article; raised, says the readout.
    assert metrics == {"Raised": "0", "Left out": "0", "Contested": "1"}
    text = markdown_text(at)
    assert (
        "> Because :blue-background[**the minister wanted calm relations**], he did not "
        "criticise the treatment of the prisoner." in text
    )
    assert (
        "- **A prisoner's treatment** (North minister: Not raised / Oppose):\n"
        "    - “he did not criticise the treatment” (coded for North minister; The article)\n"
        "    - “raised the prisoner's health” (coded for North minister; The readout)"
    ) in text
    # The pipeline is on the meeting's agenda, but no record of the meeting is about it.
    assert "- The pipeline" in text.split("\n")


def test_sanctions_page_flags_say_and_do(monkeypatch):
    at = open_page(app(monkeypatch), "sanctions")
    text = markdown_text(at)
    assert "**Said:** North on The pipeline: Oppose" in text
    assert "**Did:** waived sanctions on Pipeline Company (19 May 2021)" not in text  # undated
    assert "**Did:** waived sanctions on Pipeline Company (undated)" in text


def test_prospects_page_on_the_bundled_dataset(monkeypatch):
    at = open_page(app(monkeypatch, data=ROOT / "data" / "positions.yaml"), "prospects")
    prospects = yaml.safe_load((ROOT / "data" / "positions.yaml").read_text())["prospects"]
    statuses = Counter(p["status"] for p in prospects)
    assert len(statuses) >= 3  # the page is tested on a spread of outcomes, not one
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Borne out": str(statuses["borne_out"]),
        "Partly": str(statuses["partly"]),
        "Not borne out": str(statuses["not_borne_out"]),
        "Condition never arose": str(statuses["condition_unmet"]),
        "Open": str(statuses["open"]),
    }
    (chart,) = charts(at)
    assert chart.proto.alt == (
        f"Timeline of {len(prospects)} prospects from the dataset's date to their outcomes"
    )


def test_a_broken_edit_keeps_the_last_good_data_until_it_is_fixed(monkeypatch, tmp_path):
    data = tmp_path / "live.yaml"
    good = SMALL.read_text()
    data.write_text(good)
    at = app(monkeypatch, data=data)
    at.run()
    assert at.metric[0].value == "4"
    data.write_text(good.replace("actor: north,", "actor: nrth,", 1))
    at.run()
    assert not at.exception and not at.error
    (warning,) = at.warning
    assert "showing the last good version" in warning.value
    assert "unknown actor 'nrth'" in warning.value
    assert at.metric[0].value == "4"  # still the last good data
    data.unlink()
    at.run()
    assert "cannot read the file" in at.warning[0].value
    data.write_text(good.replace("title: Small test dataset", "title: Small dataset, fixed"))
    at.run()
    assert not at.warning
    assert at.title[0].value == "Small dataset, fixed"  # the edit is picked up, no restart


def test_search_narrows_every_page_and_highlights_the_evidence(monkeypatch):
    at = open_page(app(monkeypatch, q="treatment", show="table"), "stances")
    assert at.text_input(key="q").value == "treatment"
    frame = at.dataframe[0].value
    # The topic's name ("A prisoner's treatment") matches too: search covers names as well.
    assert sorted(frame["quote"]) == [
        "he did not criticise the treatment",
        "raised the prisoner's health",
    ]
    at = open_page(app(monkeypatch, q="prisoner health", cell="north-minister~rights"), "stances")
    quotes = [m.value for m in at.markdown if m.value.startswith("> ")]
    # In its sentence of the readout's text, which writes a curly apostrophe.
    assert (
        "> The minister **raised the :orange-background[prisoner]’s :orange-background[health]**\\."
        in quotes
    )


def test_search_with_no_match_names_the_search_to_relax(monkeypatch):
    at = open_page(app(monkeypatch, q="zzzz"), "stances")
    assert [i.value for i in at.info] == ["No positions match this view. Try clearing the search."]


def test_a_link_pinned_to_another_version_says_so(monkeypatch):
    at = app(monkeypatch, v="000000000000")
    at.run()
    assert not at.exception
    (warning,) = at.warning
    assert "This link was made with dataset version `000000000000`" in warning.value
    (button,) = [b for b in at.button if b.label == "Show the current view"]
    button.click().run()
    assert not at.warning


def test_a_link_pinned_to_the_current_version_is_quiet(monkeypatch):
    from positions.cite import dataset_version

    at = app(monkeypatch, v=dataset_version(SMALL.read_bytes()))
    at.run()
    assert not at.warning
    codes = [c.value for c in at.code]
    assert any(f"v={dataset_version(SMALL.read_bytes())}" in c for c in codes)
    assert any(c.startswith("@misc{small") for c in codes)


def test_an_edit_that_removes_a_selected_actor_keeps_the_app_working(monkeypatch, tmp_path):
    data = tmp_path / "live.yaml"
    data.write_text(SMALL.read_text())
    at = app(monkeypatch, data=data, actor="south")
    at.run()
    assert at.multiselect(key="actor").value == ["south"]
    text = SMALL.read_text()
    # Rename South everywhere: the selected id no longer exists.
    # (The quote "south backs the pipeline" stays as the source's text has it.)
    data.write_text(re.sub(r"\bsouth\b(?! backs)", "southland", text))
    at.run()
    assert not at.exception
    assert at.multiselect(key="actor").value == []


def big_dataset(path: Path, actors: int, topics: int) -> Path:
    """A valid dataset with every actor taking a stance on every topic."""
    lines = [
        "dataset: {id: big, title: Big, description: Many actors., as_of: 2021-05-20}",
        "sources: [{id: s, title: A source}]",
        "actors:",
        *[f"  - {{id: a{i}, name: Actor {i}, kind: state}}" for i in range(actors)],
        "topics:",
        *[f"  - {{id: t{j}, name: Topic {j}}}" for j in range(topics)],
        "positions:",
    ]
    stances = ["support", "oppose", "mixed"]
    for i in range(actors):
        for j in range(topics):
            stance = stances[(i + j) % 3]
            record = f"actor: a{i}, topic: t{j}, stance: {stance}, source: s, quote: said it here"
            lines.append(f"  - {{{record}}}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_matrix_too_big_for_a_screen_is_drawn_a_page_at_a_time(monkeypatch, tmp_path):
    data = big_dataset(tmp_path / "big.yaml", actors=70, topics=3)
    at = open_page(app(monkeypatch, data=data), "stances")
    rows = chart_rows(charts(at)[0])
    assert len({r["actor"] for r in rows}) == 60
    assert any("Showing 60 of 70 actors and 3 of 3 topics" in c.value for c in at.caption)
    at.number_input(key="rows_page").set_value(2).run()
    rows = chart_rows(charts(at)[0])
    assert len({r["actor"] for r in rows}) == 10


def test_the_table_view_sends_at_most_five_thousand_rows(monkeypatch, tmp_path):
    data = big_dataset(tmp_path / "big.yaml", actors=120, topics=45)  # 5,400 positions
    at = open_page(app(monkeypatch, data=data, show="table"), "stances")
    assert len(at.dataframe[0].value) == 5000
    assert any("Showing the first 5,000 of 5,400 records" in c.value for c in at.caption)


def _long_list_app() -> None:
    import pandas as pd
    import streamlit as st

    import app_state

    rows = st.session_state.get("rows", 45)
    shown = app_state.first_of(pd.DataFrame({"n": range(rows)}), "things", limit=30)
    st.write(f"drawn: {list(shown['n'])[-1]} / {len(shown)}")


@pytest.mark.parametrize(
    ("rows", "drawn", "notice"), [(45, "29 / 30", True), (30, "29 / 30", False)]
)
def test_long_lists_are_cut_with_a_count_and_a_way_to_see_the_rest(rows, drawn, notice):
    at = AppTest.from_function(_long_list_app)
    at.session_state["rows"] = rows
    at.run()
    assert not at.exception
    assert at.markdown[-1].value == f"drawn: {drawn}"
    captions = [c.value for c in at.caption]
    if notice:
        assert captions == [
            "Showing the first 30 of 45 things. Narrow the view with the filters or the search "
            "in the sidebar; the downloads on Sources & method hold them all."
        ]
    else:
        assert captions == []
