"""Sources' texts: the verbatim check of every quote (with its messages), quotes in context,
the reader's highlights and coverage, and the citation of a quote. Exact values on the small
dataset, whose sources keep their texts in tests/fixtures/texts/."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from positions import DatasetError, load_dataset
from positions.cite import QuotedWords, quote_bibtex, quote_citation
from positions.frames import Filters, apply_filters, load_frames
from positions.texts import normalise, quote_problem, quoted, source_text
from positions.views.evidence import quote_context
from positions.views.reader import build_reader, reader_choices
from positions.views.stances import StancesSettings, build_stances, cell_evidence

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def small_copy(folder: Path, edit=None) -> Path:
    """The small dataset and its texts in `folder`, the dataset changed by `edit(document)`."""
    shutil.copytree(FIXTURES / "texts", folder / "texts", dirs_exist_ok=True)
    document = yaml.safe_load((FIXTURES / "small.yaml").read_text(encoding="utf-8"))
    if edit is not None:
        edit(document)
    path = folder / "small.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    return [f"{p.path}: {p.message} (hint: {p.hint})" for p in caught.value.problems]


def set_quote(index: int, quote: str):
    def edit(document: dict) -> None:
        document["positions"][index]["quote"] = quote

    return edit


def test_the_bundled_and_small_datasets_quote_their_texts_verbatim():
    assert load_dataset(ROOT / "data" / "positions.yaml").sources[0].text_file == (
        "evidence/pism-spotlight-blinken-lavrov.txt"
    )
    frames = load_frames(ROOT / "data" / "positions.yaml")
    article = frames.texts["pism-spotlight"]
    dataset = load_dataset(ROOT / "data" / "positions.yaml")
    words = [q for _, source, q in quoted(dataset) if source == "pism-spotlight"]
    assert len(words) >= 40  # positions, sanctions, events and prospects quote it
    assert all(article.find(q) is not None for q in words)


def test_a_quote_altered_by_one_word_is_reported_at_its_line_with_the_closest_passage(tmp_path):
    path = small_copy(tmp_path, set_quote(0, "continues to resist the pipeline"))
    assert problems_of(path) == [
        "positions[0].quote: the quote is not verbatim in the text of source 'article' "
        "(texts/article.txt) (hint: closest passage: “continues to oppose the pipeline,”; the "
        "quote has “resist” where the text has “oppose”)"
    ]
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    problem = caught.value.problems[0]
    text = path.read_text(encoding="utf-8").splitlines()
    assert "continues to resist the pipeline" in text[problem.line - 1]


def test_typography_and_line_breaks_do_not_make_a_miss(tmp_path):
    # The text breaks "now expresses / only concern" across lines and writes "prisoner’s" with
    # a curly apostrophe; the dataset writes straight quotes and one line. A dash is a dash.
    small = load_dataset(FIXTURES / "small.yaml")
    assert small.positions[6].quote == "raised the prisoner's health"
    assert "raised the prisoner\u2019s health" in (FIXTURES / "texts" / "readout.txt").read_text()
    assert small.positions[8].quote == "now expresses only concern"
    # Straight quote marks in the dataset, curly ones in the text: the same words.
    straight = 'South called it "a constructive step indeed"'
    assert load_dataset(small_copy(tmp_path, set_quote(3, straight))).positions[3].quote == (
        straight
    )
    text = source_text("s", "s.txt", "A “quoted” word \u2013 and [a link](#x) across\nlines.")
    assert text.find('"quoted" word - and a link across lines') == (2, 41)
    assert normalise("**bold**  and\n[link](https://x)") == "bold and link"


def test_a_missing_unreadable_or_outside_text_file_is_named(tmp_path):
    def point_to(name: str):
        def edit(document: dict) -> None:
            document["sources"][1]["text_file"] = name

        return edit

    (tmp_path / "texts" / "latin1.txt").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "texts" / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    missing = problems_of(small_copy(tmp_path, point_to("texts/nowhere.txt")))
    assert missing == [
        "sources[1].text_file: text_file 'texts/nowhere.txt' does not exist (hint: the path is "
        f"read from the dataset's folder: {(tmp_path / 'texts').resolve()})"
    ]
    assert problems_of(small_copy(tmp_path, point_to("texts/latin1.txt"))) == [
        "sources[1].text_file: text_file 'texts/latin1.txt' is not UTF-8 text (byte 3) (hint: None)"
    ]
    outside = problems_of(small_copy(tmp_path, point_to("../secret.txt")))
    assert outside[0].startswith(
        "sources[1].text_file: text_file must stay inside the dataset's folder (no '..')"
    )
    url = problems_of(small_copy(tmp_path, point_to("https://example.org/text.txt")))
    assert url[0].startswith(
        "sources[1].text_file: text_file must be a path relative to the dataset file, not a URL"
    )


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "outside.txt").write_text("raised the prisoner's health", encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "texts").mkdir()
    (inner / "texts" / "readout.txt").symlink_to(tmp_path / "outside.txt")
    shutil.copy(FIXTURES / "texts" / "article.txt", inner / "texts" / "article.txt")
    shutil.copy(FIXTURES / "small.yaml", inner / "small.yaml")
    assert problems_of(inner / "small.yaml")[0] == (
        "sources[1].text_file: text_file 'texts/readout.txt' is outside the dataset's folder "
        "(hint: give a path relative to the dataset file, inside its folder)"
    )


def test_a_quote_stands_in_its_sentence_and_paragraph(small):
    context = quote_context(small.texts, "article", "now expresses only concern")
    assert context is not None
    assert (context.before, context.quoted, context.after) == (
        "The minister once spoke for the pipeline; he ",
        "now expresses\nonly concern",
        ".",
    )
    assert context.paragraph_before == ""
    assert context.paragraph_after == (
        "A summit is expected to take place in June. Nobody here says what comes after it."
    )
    assert quote_context(small.texts, "nowhere", "now expresses only concern") is None


def test_the_cells_evidence_carries_its_context(small):
    view = apply_filters(small, Filters(as_of=str(small.info.as_of)))
    stances = build_stances(small, view, StancesSettings())
    evidence = cell_evidence(stances, view, "north~pipeline")
    assert evidence is not None
    (record,) = evidence.records
    assert record.context is not None
    assert record.context.before == "The north "
    assert record.context.after == ", while south backs the pipeline."
    assert record.context.paragraph_before == (
        "In a capital, the ministers met for the first time. Because the minister wanted calm "
        "relations, he did not criticise the treatment of the prisoner."
    )


def test_the_reader_marks_every_coded_passage_and_counts_the_coded_sentences(small):
    choices, default = reader_choices(small)
    # The dataset names no article: the first source with a text opens.
    assert (choices, default) == ({"article": "The article", "readout": "The readout"}, "article")
    view = apply_filters(small, Filters(as_of=str(small.info.as_of)))
    reader = build_reader(small, view, "article")
    assert reader is not None
    # Ten sentences (the author's line is one); "A. Author" and the last one carry no record.
    assert (reader.coded, reader.sentences) == (8, 10)
    assert reader.coverage == "8 of 10 sentences (80%) carry a record; the 2 in grey carry none."
    uncoded = [p.text for b in reader.blocks for p in b.pieces if p.kind == "uncoded"]
    assert uncoded == ["A. Author", "Nobody here says what comes after it."]
    assert [(p.number, p.what) for p in reader.passages][:5] == [
        (1, "Event: The meeting"),
        (2, "Event: The meeting"),
        (3, "North minister on A prisoner's treatment: Not raised"),
        (4, "North on The pipeline: Oppose"),
        (5, "South on The pipeline: Support"),
    ]
    # The reaction and South's stance quote the same words: one mark, two passages.
    shared = [p for b in reader.blocks for p in b.pieces if p.passages == (7, 8)]
    assert [p.text for p in shared] == ["a constructive step indeed"]
    assert reader.passages[3].page == "stances"
    assert reader.passages[3].query == {"cell": "north~pipeline"}
    assert reader.passages[9].what == "Sanction: Ships used in construction (imposed)"
    assert build_reader(small, view, "nowhere") is None


def test_the_reader_fades_what_the_filters_leave_out(small):
    view = apply_filters(small, Filters(actors=("south",)))
    reader = build_reader(small, view, "article")
    assert reader is not None
    in_view = {p.number for p in reader.passages if p.in_view}
    # South's two stances, the reaction it is an actor of and the summit, the sanctions (the
    # actor filter does not narrow measures) and no stance of North's.
    assert in_view == {5, 7, 8, 10, 11, 12, 13, 16}


def test_a_quote_is_cited_with_its_source_what_it_was_coded_as_and_the_link():
    words = QuotedWords(
        words="We see this as a constructive step",
        coded_as="the stance of Heiko Maas on the waiver: Support",
        author="",
        title="U.S. to waive sanctions on firm, CEO",
        publisher="Reuters (via National Post); also oilandgas360.com and nationalpost.com",
        year="2021",
        source_url="https://example.org/np?a=1&b=2",
        citation="“U.S. to waive sanctions on firm, CEO”, Reuters, 2021-05-19.",
        dating="",
        dataset="Stakeholder positions",
        version="abc123def456",
        record="maas-waiver",
    )
    url = "https://example.org/stances?cell=maas~waiver&v=abc123def456"
    day = dt.date(2026, 12, 1)
    assert quote_citation(words, url, day) == (
        "“We see this as a constructive step”, coded as the stance of Heiko Maas on the waiver: "
        "Support. In: “U.S. to waive sanctions on firm, CEO”, Reuters, 2021-05-19. Coded in "
        "Stakeholder positions (dataset version abc123def456): "
        "https://example.org/stances?cell=maas~waiver&v=abc123def456 (accessed 1 December 2026)"
    )
    # The entry cites the source (its year, not the year it was read); the actor is not its
    # author; the source names no author, so none is made up from its publisher.
    assert quote_bibtex(words, url, day) == (
        "@misc{maaswaiver2021abc123,\n"
        "  title = {U.S. to waive sanctions on firm, CEO},\n"
        "  howpublished = {Reuters (via National Post); also oilandgas360.com and "
        "nationalpost.com},\n"
        "  year = {2021},\n"
        "  url = {https://example.org/np?a=1&b=2},\n"
        "  note = {Quoted: “We see this as a constructive step”, coded as the stance of Heiko "
        "Maas on the waiver: Support. Coded in Stakeholder positions (dataset version "
        "abc123def456), \\url{https://example.org/stances?cell=maas~waiver&v=abc123def456}, "
        "accessed 2026-12-01}\n"
        "}"
    )
    undated = dataclasses.replace(
        words, author="Mateusz Piotrowski", year="", dating="By content, May 2021."
    )
    entry = quote_bibtex(undated, url, day)
    assert "  author = {{Mateusz Piotrowski}},\n" in entry and "year =" not in entry
    assert "Dating: By content, May 2021." in entry
    assert "Dating: By content, May 2021. Coded in" in quote_citation(undated, url, day)


QUOTED = source_text(
    "s",
    "f.txt",
    'Intro. She called the agreement "a fair deal for every coastal state". Then he said '
    '"more" time was needed.\n',
)


@pytest.mark.parametrize(
    ("quote", "hint"),
    [
        # The slip is named, not the quote marks around the passage.
        (
            "a fair deal for each coastal state",
            'closest passage: “"a fair deal for every coastal state".”; the quote has “each” '
            "where the text has “every”",
        ),
        # A slip and left-out quote marks: the slip first.
        (
            "he said more tme was needed",
            'closest passage: “he said "more" time was needed.”; the quote has “tme” where the '
            "text has “time”",
        ),
        # Only the quote marks differ: they are what is named.
        (
            "he said more time was needed",
            'closest passage: “he said "more" time was needed.”; the quote has “more” where the '
            'text has “"more"”',
        ),
    ],
)
def test_a_slip_is_named_even_beside_quote_marks(quote: str, hint: str) -> None:
    assert quote_problem(QUOTED, quote) == (
        "the quote is not verbatim in the text of source 's' (f.txt)",
        hint,
    )
