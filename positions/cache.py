"""A parsed cache of a dataset's frames, so that a fresh server does not parse an unchanged file.

An entry is a folder of Arrow IPC files (one a table) and a JSON manifest, named by a key: the
data file's content hash, `CACHE_VERSION`, a hash of the code that builds the frames, of the
model's schema and of the pandas and pyarrow versions. The source texts are not in the key (they
are known only once the file is parsed): the manifest holds their hashes and each is checked
before the entry is used. Nothing is pickled: a cache folder may be writable by others, and
unpickling runs code; Arrow and JSON are only data.

An entry is checked before it is trusted (manifest, key, texts, each table's hash, rows and
columns); anything amiss is logged and the file is loaded in full, validated and written again.
The cache never raises: at worst the dataset loads as it would without it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pyarrow as pa
from pandas.testing import assert_frame_equal

from positions.files import fsync_folder
from positions.frames import Frames, to_frames
from positions.load import (
    DEFAULT_MAX_BYTES,
    check_quotes_against_texts,
    load_dataset_bytes,
    read_dataset_file,
)
from positions.memory import release_freed_memory
from positions.model import Dataset, DatasetInfo
from positions.texts import read_texts

# Bump when what an entry holds changes in a way the code hash cannot see (its layout).
CACHE_VERSION = 1
TABLES = ("sources", "actors", "topics", "positions", "sanctions", "events", "prospects")
# The modules whose code decides what the frames hold: an edit to any of them makes a new key,
# so no one has to remember to bump the version when the loader or the frames change.
_CODE = ("model", "load", "validate", "texts", "frames", "dates", "errors", "cache")
_CODE += ("formats", "workbook_read", "workbook_layout")  # which format, and workbooks
ENV = "POSITIONS_CACHE_DIR"
MANIFEST = "manifest.json"
_BATCH_ROWS = 20_000  # rows an Arrow batch holds while an entry is written
_STALE_TEMP_SECONDS = 3600  # a temporary folder this old was left by a process that died

log = logging.getLogger(__name__)


def cached_frames(
    path: str | Path, cache_dir: str | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Frames:
    """The frames of a dataset file, as `positions.frames.load_frames` makes them, from the cache
    when it holds this very file (and its source texts), else loaded in full and cached.

    `cache_dir` None means `default_cache_dir(path)`. Raises `DatasetError` as the loader does;
    a problem with the cache itself is only logged.
    """
    path = Path(path)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir(path)
    if folder is not None:
        digest = _file_digest(path, max_bytes)
        if digest is not None:
            frames = _read_entry(folder / _entry_name(digest), digest, path)
            if frames is not None:
                return frames
    data = read_dataset_file(path, max_bytes=max_bytes)
    # The key is the hash of the bytes that are parsed, not of the file as first hashed: the
    # file may have been saved again in between.
    digest = hashlib.sha256(data).hexdigest()
    dataset = load_dataset_bytes(data, str(path), max_bytes=max_bytes)
    # Hashed before the quotes are checked against them: a text that changes in between is
    # stored under its older hash, so the entry fails its check and the file is loaded again.
    text_hashes = _text_hashes(dataset.sources, path.parent) if folder is not None else {}
    dataset = check_quotes_against_texts(dataset, data, str(path), path.parent)
    del data
    texts, _ = read_texts(dataset.sources, path.parent)
    frames = to_frames(dataset, texts)
    del dataset  # the models are not needed to write the entry; the frames are
    if folder is not None and text_hashes is not None:
        # What the parse freed goes back first, so that writing the entry (Arrow's buffers)
        # does not come on top of it in the process's peak memory.
        release_freed_memory()
        _write_entry(folder, digest, path, frames, text_hashes)
    return frames


def default_cache_dir(data_path: str | Path) -> Path | None:
    """Where entries go: $POSITIONS_CACHE_DIR ("off": nowhere), else `.cache/positions` in the
    data file's folder if it can be written, else the user's cache folder, else nowhere."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    candidates = [Path(data_path).parent / ".cache" / "positions"]
    try:
        home_cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        candidates.append(Path(home_cache) / "stakeholder-positions")
    except RuntimeError:  # no home directory to be found
        pass
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return None


def cache_key(digest: str) -> dict[str, Any]:
    """Everything an entry depends on besides the source texts, for the data file's hash."""
    return {
        "cache_version": CACHE_VERSION,
        "data_sha256": digest,
        "code_sha256": _code_hash(),
        "schema_sha256": _schema_hash(),
        "pandas": pd.__version__,
        "pyarrow": pa.__version__,
    }


def _entry_name(digest: str) -> str:
    text = json.dumps(cache_key(digest), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@functools.cache
def _code_hash() -> str:
    from importlib import import_module

    hasher = hashlib.sha256()
    for name in _CODE:
        module = import_module(f"positions.{name}")
        hasher.update(name.encode())
        hasher.update(Path(str(module.__file__)).read_bytes())
    return hasher.hexdigest()


@functools.cache
def _schema_hash() -> str:
    text = json.dumps(Dataset.model_json_schema(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digest(path: Path, max_bytes: int) -> str | None:
    """The file's sha256, read in chunks (a big file is never held just to be hashed); None when
    the loader would refuse the file, so that it does and says why."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        return _sha256_file(path)
    except OSError:
        return None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _text_hashes(sources: Any, folder: Path) -> dict[str, str] | None:
    """The sha256 of each source's text file, by the name the dataset gives it; None when one
    cannot be read (the loader is about to say so, and nothing is cached)."""
    hashes: dict[str, str] = {}
    for source in sources:
        name = getattr(source, "text_file", None)
        if name and name not in hashes:
            try:
                hashes[name] = _sha256_file(folder / name)
            except OSError:
                return None
    return hashes


class _Untrusted(Exception):
    """An entry that is not what it should be."""


def _read_entry(entry: Path, digest: str, path: Path) -> Frames | None:
    """The frames an entry holds, if every check passes; else None (logged, unless it is
    simply missing)."""
    if not (entry / MANIFEST).is_file():
        log.info("no parsed cache of %s yet", path)
        return None
    try:
        manifest = json.loads((entry / MANIFEST).read_text("utf-8"))
        if not isinstance(manifest, dict) or manifest.get("key") != cache_key(digest):
            raise _Untrusted("its key is not this file's")
        texts_named = manifest["texts"]
        for name, expected in texts_named.items():
            if _sha256_file(path.parent / name) != expected:
                raise _Untrusted(f"the text file {name} has changed")
        tables = {name: _read_table(entry, name, manifest["tables"][name]) for name in TABLES}
        info = DatasetInfo.model_validate_json(manifest["info"])
        sources = tables["sources"]
        named = [
            SimpleNamespace(id=source_id, text_file=name)
            for source_id, name in zip(sources["id"], sources["text_file"], strict=True)
            if isinstance(name, str) and name
        ]
        if {source.text_file for source in named} != set(texts_named):
            raise _Untrusted("its texts are not the sources' texts")
        texts, findings = read_texts(named, path.parent)
        if findings:
            raise _Untrusted(f"a text cannot be read: {findings[0][1]}")
    # Anything at all, since the folder may hold any bytes: a damaged entry must cost a full
    # load, never the load itself.
    except Exception as exc:
        log.warning("parsed cache of %s not used (%s): loading the file in full", path, exc)
        return None
    return Frames(info, **tables, texts=texts)


def _read_table(entry: Path, name: str, expected: dict[str, Any]) -> pd.DataFrame:
    raw = (entry / f"{name}.arrow").read_bytes()
    if hashlib.sha256(raw).hexdigest() != expected["sha256"]:
        raise _Untrusted(f"{name}.arrow is damaged")
    table = pa.ipc.open_file(pa.py_buffer(raw)).read_all()
    if table.num_rows != expected["rows"] or table.column_names != expected["columns"]:
        raise _Untrusted(f"{name}.arrow does not hold the table it should")
    return _to_frame(table)


def _to_frame(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas()
    for column, kind in zip(table.column_names, table.schema.types, strict=True):
        # Arrow gives lists back as numpy arrays; the frames hold Python lists.
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            frame[column] = pd.Series(
                table.column(column).to_pylist(), index=frame.index, dtype=object
            )
    return frame


def _write_entry(
    folder: Path, digest: str, path: Path, frames: Frames, text_hashes: dict[str, str]
) -> None:
    """Write an entry atomically: into a temporary folder beside it, renamed into place once
    every file is on disk. Frames that would not come back equal are not written."""
    temp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entry = folder / _entry_name(digest)
        _remove(entry)  # an entry here failed its checks (else it would have been used)
        temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
        tables = {name: _write_table(temp, name, getattr(frames, name)) for name in TABLES}
        info = frames.info.model_dump_json()
        if DatasetInfo.model_validate_json(info) != frames.info:
            raise _Untrusted("the dataset's details do not survive JSON")
        manifest = {
            "key": cache_key(digest),
            "data_file": str(path.resolve()),
            "texts": text_hashes,
            "info": info,
            "tables": tables,
        }
        _write_file(temp / MANIFEST, json.dumps(manifest, indent=1).encode())
        fsync_folder(temp)
        try:
            os.replace(temp, entry)
        except OSError:  # another process put the same entry there first
            return
        temp = None
        fsync_folder(folder)
        _prune(folder, entry, manifest["data_file"])
    except Exception as exc:  # the frames are good; only the next start will be slower
        log.warning("parsed cache of %s not written (%s)", path, exc)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def _write_table(folder: Path, name: str, frame: pd.DataFrame) -> dict[str, Any]:
    """Write a frame as an Arrow IPC file a batch of rows at a time, and read it back a batch at
    a time to compare: a whole Arrow copy of a large frame, and a whole copy read back, would
    each add the frame's size to the server's peak memory."""
    if not frame.index.equals(pd.RangeIndex(len(frame))):
        raise _Untrusted(f"the {name} table has an index Arrow would not keep")
    # The types of the whole frame, column by column: a batch of only missing values would
    # otherwise get a type of its own.
    schema = pa.Schema.from_pandas(frame, preserve_index=False)
    path = folder / f"{name}.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for start in range(0, len(frame), _BATCH_ROWS):
            part = frame.iloc[start : start + _BATCH_ROWS]
            writer.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False))
    _fsync_file(path)
    # Read back before it is kept: a column whose type Arrow does not carry exactly (a mixed
    # column) would come back different, and then the frames are not cached at all.
    with pa.OSFile(str(path), "rb") as source:
        reader = pa.ipc.open_file(source)
        done = 0
        for index in range(reader.num_record_batches):
            batch = reader.get_batch(index)
            back = _to_frame(pa.Table.from_batches([batch], reader.schema))
            part = frame.iloc[done : done + batch.num_rows].reset_index(drop=True)
            assert_frame_equal(back, part, check_exact=True)
            done += batch.num_rows
        if done != len(frame):
            raise _Untrusted(f"{name}.arrow does not hold the rows written")
        if not len(frame):  # no batch to compare: the types alone
            assert_frame_equal(_to_frame(reader.schema.empty_table()), frame, check_exact=True)
    return {
        "sha256": _sha256_file(path),
        "rows": len(frame),
        "columns": [str(column) for column in frame.columns],
    }


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _write_file(path: Path, data: Any) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _remove(entry: Path) -> None:
    """Take an entry away: renamed first, so that no reader finds it half deleted."""
    if not entry.exists():
        return
    doomed = Path(tempfile.mkdtemp(prefix=".old-", dir=entry.parent))
    os.replace(entry, doomed / "entry")
    shutil.rmtree(doomed, ignore_errors=True)


def _prune(folder: Path, keep: Path, data_file: str) -> None:
    """Remove the older entries of the same data file, and temporary folders left by a
    process that died while writing: each edit would otherwise leave one more entry."""
    now = time.time()
    for child in folder.iterdir():
        if child == keep or not child.is_dir():
            continue
        if child.name.startswith((".tmp-", ".old-")):
            if now - child.stat().st_mtime > _STALE_TEMP_SECONDS:
                shutil.rmtree(child, ignore_errors=True)
            continue
        try:
            manifest = json.loads((child / MANIFEST).read_text("utf-8"))
            same_file = manifest.get("data_file") == data_file
        except (OSError, ValueError, AttributeError):
            continue  # not ours to judge: left alone
        if same_file:
            _remove(child)
