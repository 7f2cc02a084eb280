"""The evidence bundle: a ZIP of a view's records, quotes, sources, codebook and README."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from positions import cite, load_dataset
from positions.bundle import BUNDLE_FILES, dataset_version, evidence_bundle
from positions.export import positions_csv, positions_json
from positions.frames import Filters, apply_filters, to_frames

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"
CODEBOOK = "# Codebook\n\nWhat every field means.\n"
DAY = dt.date(2026, 1, 2)

ARTICLE = '"A. Author, \u201cThe article\u201d, A publisher, n.d."'
READOUT = '"\u201cThe readout\u201d, A ministry, 2021-05-19. https://example.org/readout"'
POSITIONS_CSV = f"""\
id,actor,actor_name,topic,topic_name,stance,quote,translation,source,source_citation,date,event,confidence,note
p1,north,North,pipeline,The pipeline,oppose,continues to oppose the pipeline,,article,{ARTICLE},,,stated,
p3,north,North,waiver,Waiver of sanctions,support,decided to waive the sanctions,,article,{ARTICLE},2021-05-19,,stated,
p5,parliament,North parliament,waiver,Waiver of sanctions,oppose,criticised by members of parliament,,article,{ARTICLE},2021-05-19,,stated,
p6,north-minister,North minister,rights,A prisoner's treatment,not_raised,he did not criticise the treatment,,article,{ARTICLE},2021-05-19,meeting,stated,
p7,north-minister,North minister,rights,A prisoner's treatment,oppose,raised the prisoner's health,,readout,{READOUT},2021-05-19,meeting,stated,
p8,north-minister,North minister,pipeline,The pipeline,support,once spoke for the pipeline,,article,{ARTICLE},2021-02-01,,inferred,"An earlier stance, for the as-of tests."
p9,north-minister,North minister,pipeline,The pipeline,lean_oppose,now expresses only concern,,article,{ARTICLE},2021-05-19,,stated,
"""  # noqa: E501
SOURCES_CSV = f"""\
id,citation,title,author,publisher,series,date,date_note,url,site,kind,language,note,text_file,positions
article,{ARTICLE},The article,A. Author,A publisher,,,,,,analysis,,,texts/article.txt,6
readout,{READOUT},The readout,,A ministry,,2021-05-19,,https://example.org/readout,,readout,,,texts/readout.txt,1
"""


def readme(data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    return f"""\
# Evidence bundle: Small test dataset

Generated on 2026-01-02 by the stakeholder-positions dashboard. It holds the records of one \
view of the dataset, each with the source's own words and the full citation of its source, so \
that every finding can be checked.

## The dataset

- Title: Small test dataset
- Id: `small`
- As of: 2021-05-20
- Version: {sha[:12]} (the first 12 hex digits of the SHA-256 of the dataset file)
- SHA-256 of the dataset file: {sha}
- Version given by the dataset: 0.1

## The view

- Actors: North (`north`)
  - which includes those under them: North minister (`north-minister`), North parliament \
(`parliament`)
- Topics: all
- Stances: all
- Search: none
- As of: latest known (every record, later ones too)
- Stances counted in agreement and for/against: stated only
- Address bar query: `?actor=north` (add it to the dashboard's address to reopen this view)

## Counts

- Positions: 7 of the dataset's 9
- Actors with a position: 3
- Topics with a position: 3
- Sources cited: 2
- Inferred (not stated) positions: 1

## Files

| file | holds |
|---|---|
| `positions.csv` | the 7 positions, one per row, with the verbatim quote and the full citation \
of its source |
| `positions.json` | the same 7 positions and the filters that made the view |
| `sources.csv` | the 2 sources they cite, with full citations and how many positions cite each |
| `codebook.md` | what every field, stance and confidence value means |
| `README.md` | this file |

## Checking a quote

A quote is the shortest run of the source's own words that carries the claim, copied exactly. \
Find the position's `source` in `sources.csv` and look the words up in that source. A position \
whose `confidence` is `inferred` follows from its source without being said of that actor; its \
`note` gives the reasoning.
"""


@pytest.fixture(scope="module")
def data() -> bytes:
    return SMALL.read_bytes()


@pytest.fixture(scope="module")
def north(data: bytes) -> tuple:
    frames = to_frames(load_dataset(SMALL))
    filters = Filters(actors=("north",))
    return frames, apply_filters(frames, filters), filters


def bundle(north: tuple, data: bytes, **kwargs) -> bytes:
    frames, view, filters = north
    query = kwargs.pop("query", "actor=north")
    return evidence_bundle(
        frames, view, filters, data, dataset_version(data), CODEBOOK, query, **kwargs
    )


def members(blob: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_dataset_version_is_the_start_of_the_sha256():
    assert dataset_version(b"") == "e3b0c44298fc"
    assert dataset_version is cite.dataset_version  # bundles and pinned links name it alike
    assert dataset_version(b"dataset: {}\n") == hashlib.sha256(b"dataset: {}\n").hexdigest()[:12]


def test_bundle_holds_the_files_in_order(north, data):
    with zipfile.ZipFile(io.BytesIO(bundle(north, data, generated_on=DAY))) as archive:
        assert archive.namelist() == list(BUNDLE_FILES)
        assert archive.namelist() == [
            "README.md",
            "positions.csv",
            "positions.json",
            "sources.csv",
            "codebook.md",
        ]
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED


def test_bundle_contents_for_one_actor_and_those_under_it(north, data):
    files = members(bundle(north, data, generated_on=DAY))
    assert files["positions.csv"] == POSITIONS_CSV
    assert files["sources.csv"] == SOURCES_CSV
    assert files["codebook.md"] == CODEBOOK
    assert files["README.md"] == readme(data)
    body = json.loads(files["positions.json"])
    assert body["filters"] == {"actor": ["north"], "topic": [], "stance": []}
    assert body["count"] == 7
    assert [p["id"] for p in body["positions"]] == ["p1", "p3", "p5", "p6", "p7", "p8", "p9"]
    assert body["positions"][4]["quote"] == "raised the prisoner's health"
    assert body["positions"][4]["source_citation"] == READOUT.strip('"')


def test_bundle_reuses_the_downloads(north, data):
    _frames, view, filters = north
    files = members(bundle(north, data, generated_on=DAY))
    assert files["positions.csv"].encode("utf-8") == positions_csv(view.positions)
    assert files["positions.json"].encode("utf-8") == positions_json(view.positions, filters)


def test_bundle_is_deterministic_apart_from_the_date(north, data):
    first = bundle(north, data, generated_on=DAY)
    assert bundle(north, data, generated_on=DAY) == first
    later = members(bundle(north, data, generated_on=dt.date(2027, 3, 4)))
    earlier = members(first)
    assert later["README.md"] == earlier["README.md"].replace("2026-01-02", "2027-03-04")
    assert {k: v for k, v in later.items() if k != "README.md"} == {
        k: v for k, v in earlier.items() if k != "README.md"
    }


def test_bundle_dates_itself_today_by_default(north, data):
    today = dt.datetime.now(dt.UTC).date()
    text = members(bundle(north, data))["README.md"]
    assert f"Generated on {today.isoformat()} " in text or (
        f"Generated on {(today - dt.timedelta(days=1)).isoformat()} " in text  # past midnight
    )


def test_bundle_of_the_whole_dataset(data):
    frames = to_frames(load_dataset(SMALL))
    view = apply_filters(frames, Filters())
    blob = evidence_bundle(frames, view, Filters(), data, "v", CODEBOOK, "", generated_on=DAY)
    text = members(blob)["README.md"]
    assert "- Actors: all\n- Topics: all\n- Stances: all\n" in text
    assert "- Address bar query: none (the whole dataset)\n" in text
    assert "- Positions: 9 of the dataset's 9\n" in text
    assert "- Version: v (the first 12 hex digits" in text


def test_bundle_names_topic_and_stance_filters(data):
    frames = to_frames(load_dataset(SMALL))
    filters = Filters(topics=("waiver", "atlantis"), stances=("oppose",))
    view = apply_filters(frames, filters)
    blob = evidence_bundle(
        frames,
        view,
        filters,
        data,
        "v",
        CODEBOOK,
        "?topic=waiver&stance=oppose",
        generated_on=DAY,
    )
    files = members(blob)
    text = files["README.md"]
    assert "- Topics: Waiver of sanctions (`waiver`), `atlantis`\n" in text
    assert "- Stances: Oppose (`oppose`)\n" in text
    assert "- Address bar query: `?topic=waiver&stance=oppose`" in text
    assert files["sources.csv"].splitlines()[1:] == [
        'article,"A. Author, \u201cThe article\u201d, A publisher, n.d.",The article,A. Author,'
        "A publisher,,,,,,analysis,,,texts/article.txt,1"
    ]
