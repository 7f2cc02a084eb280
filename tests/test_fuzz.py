"""Property tests of the loader's contract on mutated datasets.

Whatever a file holds, `load_dataset_bytes` either returns a valid `Dataset` or raises a
`DatasetError` whose every problem has a place (line and column from 1), a message, and prints
as one line: it never raises anything else. Two properties check it: one mutates the bundled
dataset's structure (as YAML data, dumped again), one mutates its raw bytes.

Both are derandomized, so CI runs the same examples every time. The text that mutations insert
holds no line breaks: a line break in a key or an id is echoed into the message today, which
splits `file:line:col: ...` over several lines (see `test_line_break_in_data_stays_on_one_line`,
a strict xfail).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from positions import Dataset, DatasetError, load_dataset_bytes
from positions.load import _plain_document, _valid_or_none, parse_yaml, validate_document

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "positions.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
BUNDLED_BYTES = BUNDLED.read_bytes()
MINIMAL_BYTES = MINIMAL.read_bytes()
BASE = yaml.safe_load(BUNDLED_BYTES)
NAME = "fuzzed.yaml"

# What editors and terminals break a line at.
LINE_BREAK = re.compile("[\n\r\v\f\x85\u2028\u2029]")

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

Path_ = tuple[str | int, ...]


def check_contract(data: bytes) -> None:
    """The loader's promise for any bytes: a Dataset, or a DatasetError with placed problems."""
    try:
        dataset = load_dataset_bytes(data, NAME)
    except DatasetError as error:
        assert error.problems, "a DatasetError with no problem in it"
        for problem in error.problems:
            text = str(problem)
            assert problem.file == NAME, text
            assert isinstance(problem.line, int) and problem.line >= 1, text
            assert isinstance(problem.column, int) and problem.column >= 1, text
            assert isinstance(problem.message, str) and problem.message.strip(), text
            assert text.startswith(f"{NAME}:{problem.line}:{problem.column}: "), text
            assert not LINE_BREAK.search(text), f"not a single line: {text!r}"
        assert str(error) == "\n".join(str(p) for p in error.problems)
    else:
        assert isinstance(dataset, Dataset)


# --- Structural mutations of the parsed dataset -----------------------------------------------

# Inserted text: anything printable or not, bidi controls, zero-width and look-alike characters
# and emoji included, but no line breaks (see the module docstring).
_EXTRA = "\u202e\u2066\u200b\u200d\ufeff\u0430\u0435\u0131\u00a0\ufffd\U0001f600\u0301\x00\x1b\t"
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_characters="\n\r\v\f\x85\u2028\u2029"),
        st.sampled_from(_EXTRA),
    ),
    max_size=12,
)
SCALARS = st.one_of(
    TEXT,
    st.sampled_from(["", " ", "~", "null", "yes", "no", "0x1F", "1e3", "2021-02-30", "-"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
FIELD_NAMES = [
    "id",
    "name",
    "title",
    "actor",
    "topic",
    "source",
    "stance",
    "quote",
    "date",
    "parent",
    "actors",
    "topics",
    "event",
    "count",
    "dataset",
    "positions",
    "sanctions",
    "events",
    "prospects",
]


def nodes(value: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    """Every node of the document with its path, the root first."""
    found = [(path, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += nodes(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += nodes(child, (*path, i))
    return found


def get(document: Any, path: Path_) -> Any:
    for step in path:
        document = document[step]
    return document


def put(document: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    get(document, path[:-1])[path[-1]] = value
    return document


def new_key(draw: st.DrawFn, old: Any) -> Any:
    text = str(old)
    return draw(
        st.one_of(
            st.sampled_from(FIELD_NAMES),
            TEXT,
            st.just(text.upper()),
            st.just(text[:-1]),
            st.just(text + "s"),
            st.just(f"{text}[0]"),
            st.just(""),
            st.integers(-5, 5),
            st.booleans(),
            st.none(),
        )
    )


def retyped(draw: st.DrawFn, value: Any) -> Any:
    """The value as another type: str <-> int <-> list <-> dict <-> None <-> bool (and more)."""
    return draw(
        st.one_of(
            st.just(str(value)),
            st.just([value]),
            st.just({"value": value}),
            st.just({}),
            st.just([]),
            st.just(None),
            st.booleans(),
            st.integers(-3, 2021),
            SCALARS,
            st.lists(SCALARS, max_size=3),
            st.dictionaries(TEXT, SCALARS, max_size=2),
        )
    )


def rename(mapping: dict[Any, Any], old: Any, new: Any) -> dict[Any, Any]:
    """The mapping with one key renamed, in place (a clash with another key replaces it)."""
    return {(new if key == old else key): value for key, value in mapping.items()}


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    document: Any = copy.deepcopy(BASE)
    steps = draw(st.integers(min_value=1, max_value=4))
    for _ in range(steps):
        everything = nodes(document)
        mappings = [(p, v) for p, v in everything if isinstance(v, dict) and v]
        lists = [(p, v) for p, v in everything if isinstance(v, list) and v]
        strings = [(p, v) for p, v in everything if isinstance(v, str)]
        records = [
            (p, v) for p, v in everything if isinstance(v, dict) and isinstance(v.get("id"), str)
        ]
        kind = draw(
            st.sampled_from(
                [
                    "drop_field",
                    "drop_record",
                    "duplicate_record",
                    "retype",
                    "rename_field",
                    "rename_section",
                    "swap_ids",
                    "empty_string",
                    "insert_unicode",
                ]
            )
        )
        if kind == "drop_field" and mappings:
            path, mapping = draw(st.sampled_from(mappings))
            del mapping[draw(st.sampled_from(sorted(mapping, key=str)))]
        elif kind == "drop_record" and lists:
            _, items = draw(st.sampled_from(lists))
            items.pop(draw(st.integers(0, len(items) - 1)))
        elif kind == "duplicate_record" and lists:
            _, items = draw(st.sampled_from(lists))
            i = draw(st.integers(0, len(items) - 1))
            items.insert(draw(st.integers(0, len(items))), copy.deepcopy(items[i]))
        elif kind == "retype":
            path, value = draw(st.sampled_from(everything))
            document = put(document, path, retyped(draw, value))
        elif kind == "rename_field" and mappings:
            path, mapping = draw(st.sampled_from(mappings))
            old = draw(st.sampled_from(sorted(mapping, key=str)))
            document = put(document, path, rename(mapping, old, new_key(draw, old)))
        elif kind == "rename_section" and isinstance(document, dict) and document:
            old = draw(st.sampled_from(sorted(document, key=str)))
            document = rename(document, old, new_key(draw, old))
        elif kind == "swap_ids" and len(records) >= 2:
            (_, a), (_, b) = draw(st.lists(st.sampled_from(records), min_size=2, max_size=2))
            a["id"], b["id"] = b["id"], a["id"]
        elif kind == "empty_string" and strings:
            path, _ = draw(st.sampled_from(strings))
            document = put(document, path, draw(st.sampled_from(["", " ", "\t", "\u200b"])))
        elif kind == "insert_unicode" and strings:
            path, text = draw(st.sampled_from(strings))
            at = draw(st.integers(0, len(text)))
            document = put(document, path, text[:at] + draw(TEXT) + text[at:])
    return document


def dump(document: Any) -> bytes:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False).encode("utf-8")


def test_the_unmutated_dataset_round_trips() -> None:
    # The properties start from a valid document: dumping it again must keep it valid.
    assert isinstance(load_dataset_bytes(dump(copy.deepcopy(BASE)), NAME), Dataset)


@SETTINGS
@given(mutated_documents())
def test_mutated_dataset_loads_or_reports_placed_problems(document: Any) -> None:
    check_contract(dump(document))


# --- Raw byte mutations ----------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from([BUNDLED_BYTES, MINIMAL_BYTES])))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "insert", "flip", "replace", "delete", "copy"]))
        if kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=8),
                    st.sampled_from(
                        [b"\t", b": ", b"- ", b"[", b"{", b"&a ", b"*a", b"!!str ", b"'", b'"']
                    ),
                    TEXT.map(lambda text: text.encode("utf-8")),
                )
            )
        elif kind == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "copy" and data:
            start = draw(st.integers(0, len(data) - 1))
            data[at:at] = data[start : start + draw(st.integers(1, 200))]
    return bytes(data)


@SETTINGS
@given(mutated_bytes())
def test_mutated_bytes_load_or_report_placed_problems(data: bytes) -> None:
    check_contract(data)


# --- Bugs the properties steer around --------------------------------------------------------

_MINIMAL_DOC = yaml.safe_load(MINIMAL_BYTES)


def _with(change: str) -> bytes:
    document = copy.deepcopy(_MINIMAL_DOC)
    if change == "reference":
        document["positions"][0]["actor"] = "minister\nx"
    elif change == "key":
        document["sources"][0] = rename(document["sources"][0], "author", "auth\nor")
    elif change == "name":
        document["actors"][0]["name"] = "Twin\n"
        document["actors"][1]["name"] = "twin\n"
    elif change == "nel":
        document["positions"][0]["topic"] = "climate\x85x"
    return dump(document)


@pytest.mark.parametrize("change", ["reference", "key", "name", "nel"])
def test_line_break_in_data_stays_on_one_line(change: str) -> None:
    check_contract(_with(change))


# --- The two ways of building a document agree -------------------------------------------------


def check_paths_agree(data: bytes) -> None:
    """The streaming builder (for plain files) gives the careful builder's document, or None.

    And a file it builds loads to the same Dataset as the careful path, or fails on both.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    plain = _plain_document(text)
    if plain is None:
        return
    careful, root, problems = parse_yaml(text, NAME)
    assert plain == careful
    assert not problems, "the streaming builder took a file with a structural problem"
    try:
        expected: Dataset | None = validate_document(careful, root, NAME, problems)
    except DatasetError:
        expected = None
    assert _valid_or_none(plain) == expected


def test_the_streaming_builder_matches_on_the_bundled_files() -> None:
    for data in (BUNDLED_BYTES, MINIMAL_BYTES):
        assert _plain_document(data.decode("utf-8")) is not None  # plain files take it
        check_paths_agree(data)


@SETTINGS
@given(mutated_bytes())
def test_the_streaming_builder_agrees_with_the_careful_one_on_mutated_bytes(data: bytes) -> None:
    check_paths_agree(data)


@SETTINGS
@given(mutated_documents())
def test_the_streaming_builder_agrees_with_the_careful_one_on_mutated_data(document: Any) -> None:
    check_paths_agree(dump(document))


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "a: &x [1]\nb: *x\n",  # anchor and alias
        "a: !!python/name:os.system x\n",  # a tag
        "a: !!str 1\n",  # even a harmless one
        "<<: {a: 1}\n",  # merge key
        "? [a]\n: 1\n",  # a list as a key
        "a: 'x\u202ey'\n",  # bidi control
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [" * 50 + "]" * 50 + "\n",  # too deep
        "a: [\n",  # syntax error
    ],
)
def test_the_streaming_builder_leaves_anything_unusual_to_the_careful_path(text: str) -> None:
    assert _plain_document(text) is None
