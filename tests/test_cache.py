"""The parsed cache of the frames: the same frames as a full load, never a stale or damaged one."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

import positions.cache as cache
import positions.load
from positions import DatasetError
from positions.cache import MANIFEST, TABLES, cached_frames, default_cache_dir
from positions.frames import Frames, load_frames

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"
BUNDLED = ROOT / "data" / "positions.yaml"


def assert_same_frames(got: Frames, expected: Frames) -> None:
    assert got.info == expected.info
    for name in TABLES:
        assert_frame_equal(getattr(got, name), getattr(expected, name), check_exact=True)
    assert got.texts == expected.texts


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way to parse YAML raises: a load that succeeds came from the cache."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was parsed")

    monkeypatch.setattr(positions.load, "_plain_document", refuse)
    monkeypatch.setattr(positions.load, "parse_yaml", refuse)
    monkeypatch.setattr(cache, "load_dataset_bytes", refuse)


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    """The small dataset in tmp_path (its texts are copied beside it by conftest)."""
    path = tmp_path / "small.yaml"
    shutil.copyfile(SMALL, path)
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


@pytest.mark.parametrize("path", [SMALL, BUNDLED], ids=["small", "bundled"])
def test_cached_frames_equal_a_full_load(path: Path, tmp_path: Path) -> None:
    fresh = load_frames(path)
    first = cached_frames(path, tmp_path / "cache")  # a full load, which writes the entry
    second = cached_frames(path, tmp_path / "cache")  # read from the entry
    assert_same_frames(first, fresh)
    assert_same_frames(second, fresh)
    assert len(entries(tmp_path / "cache")) == 1
    # Lists come back as lists, not as the arrays Arrow hands out.
    assert {type(v) for v in second.actors["ancestors"]} == {list}
    assert {type(v) for v in second.events["actors"]} == {list}


def test_the_second_load_parses_no_yaml(
    small_copy: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    fresh = cached_frames(small_copy, tmp_path / "cache")
    request.getfixturevalue("no_parsing")
    assert_same_frames(cached_frames(small_copy, tmp_path / "cache"), fresh)
    with pytest.raises(AssertionError, match="the YAML was parsed"):  # the patch does bite
        cached_frames(small_copy, tmp_path / "other-cache")


def test_an_edited_file_is_loaded_again(small_copy: Path, tmp_path: Path) -> None:
    cached_frames(small_copy, tmp_path / "cache")
    small_copy.write_text(
        small_copy.read_text("utf-8").replace("title: Small test dataset", "title: Edited"),
        "utf-8",
    )
    frames = cached_frames(small_copy, tmp_path / "cache")
    assert frames.info.title == "Edited"
    assert_same_frames(frames, load_frames(small_copy))
    # The entry of the older version is gone: one entry a data file.
    assert len(entries(tmp_path / "cache")) == 1


def test_an_invalid_edit_raises_and_never_serves_the_cache(
    small_copy: Path, tmp_path: Path
) -> None:
    original = small_copy.read_text("utf-8")
    cached_frames(small_copy, tmp_path / "cache")
    small_copy.write_text(original.replace("stance: oppose", "stance: hates", 1), "utf-8")
    with pytest.raises(DatasetError) as caught:
        cached_frames(small_copy, tmp_path / "cache")
    assert [p.line for p in caught.value.problems] == [36]
    assert "hates" in str(caught.value.problems[0])
    small_copy.write_text(original, "utf-8")  # put back, it is served from its entry again
    assert cached_frames(small_copy, tmp_path / "cache").info.title == "Small test dataset"


def test_an_edited_source_text_checks_the_quotes_again(small_copy: Path, tmp_path: Path) -> None:
    cached_frames(small_copy, tmp_path / "cache")
    text = small_copy.parent / "texts" / "article.txt"
    text.write_text(
        text.read_text("utf-8").replace("south backs the pipeline", "south backs it"), "utf-8"
    )
    with pytest.raises(DatasetError) as caught:
        cached_frames(small_copy, tmp_path / "cache")
    assert [p.line for p in caught.value.problems] == [37]


def test_a_source_text_edited_within_its_quotes_comes_from_the_new_text(
    small_copy: Path, tmp_path: Path
) -> None:
    cached_frames(small_copy, tmp_path / "cache")
    text = small_copy.parent / "texts" / "article.txt"
    text.write_text(text.read_text("utf-8") + "\nA paragraph added later.\n", "utf-8")
    frames = cached_frames(small_copy, tmp_path / "cache")
    assert frames.texts["article"].text.rstrip().endswith("A paragraph added later.")
    assert_same_frames(frames, load_frames(small_copy))


def _damage_table(entry: Path) -> None:
    table = entry / "positions.arrow"
    table.write_bytes(table.read_bytes()[:100])


def _damage_manifest(entry: Path) -> None:
    (entry / MANIFEST).write_text("{not json", "utf-8")


def _wrong_key(entry: Path) -> None:
    manifest = json.loads((entry / MANIFEST).read_text("utf-8"))
    manifest["key"]["data_sha256"] = "0" * 64
    (entry / MANIFEST).write_text(json.dumps(manifest), "utf-8")


def _wrong_rows(entry: Path) -> None:
    manifest = json.loads((entry / MANIFEST).read_text("utf-8"))
    manifest["tables"]["positions"]["rows"] += 1
    (entry / MANIFEST).write_text(json.dumps(manifest), "utf-8")


def _missing_table(entry: Path) -> None:
    (entry / "events.arrow").unlink()


@pytest.mark.parametrize(
    "damage", [_damage_table, _damage_manifest, _wrong_key, _wrong_rows, _missing_table]
)
def test_a_damaged_entry_is_rebuilt(
    damage: object,
    small_copy: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    fresh = cached_frames(small_copy, tmp_path / "cache")
    [entry] = entries(tmp_path / "cache")
    damage(entry)  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="positions.cache"):
        rebuilt = cached_frames(small_copy, tmp_path / "cache")
    assert_same_frames(rebuilt, fresh)
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        f"parsed cache of {small_copy} not used"
    ]
    # Written again, whole: the next load reads it without parsing.
    assert entries(tmp_path / "cache") == [entry]
    request.getfixturevalue("no_parsing")
    assert_same_frames(cached_frames(small_copy, tmp_path / "cache"), fresh)


def test_an_unwritable_cache_folder_means_no_cache(
    small_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")  # a folder cannot be made under a file, even by root
    with caplog.at_level(logging.WARNING, logger="positions.cache"):
        frames = cached_frames(small_copy, blocker / "cache")
    assert_same_frames(frames, load_frames(small_copy))
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        f"parsed cache of {small_copy} not written"
    ]
    assert blocker.read_text("utf-8") == ""


def test_frames_that_would_not_come_back_equal_are_not_cached(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cache._to_frame
    monkeypatch.setattr(cache, "_to_frame", lambda table: real(table).iloc[::-1])
    frames = cached_frames(small_copy, tmp_path / "cache")
    assert_same_frames(frames, load_frames(small_copy))
    assert entries(tmp_path / "cache") == []


def test_a_file_the_loader_refuses_is_refused_as_before(small_copy: Path, tmp_path: Path) -> None:
    cached_frames(small_copy, tmp_path / "cache")
    with pytest.raises(DatasetError) as caught:
        cached_frames(small_copy, tmp_path / "cache", max_bytes=100)
    assert "over" in caught.value.problems[0].message
    with pytest.raises(DatasetError) as caught:
        cached_frames(tmp_path / "missing.yaml", tmp_path / "cache")
    assert caught.value.problems[0].message == "cannot read the file: No such file or directory"


def test_the_default_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data" / "positions.yaml"
    data.parent.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("POSITIONS_CACHE_DIR")
    assert default_cache_dir(data) == tmp_path / "data" / ".cache" / "positions"
    shutil.rmtree(tmp_path / "data" / ".cache")
    (tmp_path / "data" / ".cache").write_text("", "utf-8")  # the data folder's cannot be made
    assert default_cache_dir(data) == tmp_path / "user-cache" / "stakeholder-positions"
    monkeypatch.setenv("POSITIONS_CACHE_DIR", str(tmp_path / "chosen"))
    assert default_cache_dir(data) == tmp_path / "chosen"
    monkeypatch.setenv("POSITIONS_CACHE_DIR", "off")
    assert default_cache_dir(data) is None


def test_with_no_cache_folder_nothing_is_written(
    small_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSITIONS_CACHE_DIR", "off")
    before = sorted(small_copy.parent.rglob("*"))
    assert_same_frames(cached_frames(small_copy), load_frames(small_copy))
    assert sorted(small_copy.parent.rglob("*")) == before


def test_a_table_written_in_several_batches_reads_back_whole(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_BATCH_ROWS", 2)  # 9 positions: batches of 2, 2, 2, 2, 1
    fresh = cached_frames(small_copy, tmp_path / "cache")
    [entry] = entries(tmp_path / "cache")
    assert json.loads((entry / MANIFEST).read_text("utf-8"))["tables"]["positions"]["rows"] == 9
    assert_same_frames(cached_frames(small_copy, tmp_path / "cache"), fresh)
    assert_same_frames(fresh, load_frames(small_copy))
