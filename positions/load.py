"""YAML to a validated `Dataset`, or a `DatasetError` listing every problem with its place.

Two paths, one result. A plain file (no anchors, aliases or tags, no duplicate keys, nothing
nested too deep, no bidi controls, no problem for the model or the cross checks), which is what
a curated or generated dataset is, is built straight from the event stream of PyYAML's safe C
parser and validated in chunks, holding little more than the data itself. Anything else goes
the careful path: the file is composed into YAML nodes (pure-Python fallback without libyaml),
then built into plain Python by our own walker, which refuses what `yaml.safe_load` lets
through: duplicate keys (PyYAML silently keeps the last one: data loss), alias bombs, unknown
tags, deep nesting and bidi control characters. The node tree is kept to turn a path such as
`positions[12].actor` back into a line and column for every problem found.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from positions.errors import DatasetError, Problem, did_you_mean
from positions.formats import is_workbook, refuse_office_files
from positions.model import Dataset
from positions.texts import quote_findings, read_texts
from positions.validate import Finding, cross_check

# A curated dataset is a few hundred kB; 300k synthetic positions are about 100 MB. The default
# keeps an upload or a stray file from eating the server's memory; raise it for big datasets.
DEFAULT_MAX_BYTES = int(os.environ.get("POSITIONS_MAX_BYTES", 32_000_000))
MAX_DEPTH = 40
# Aliases may add this many nodes beyond the file's own: enough for honest reuse, far too few
# for a "billion laughs" bomb, whose expansion is caught before anything is built from it.
MAX_ALIAS_EXPANSION = 100_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader("")  # for turning resolved scalar nodes into ints, floats, bools
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null")}
_TIMESTAMP = f"{_TAG}timestamp"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}

PathTuple = tuple[str | int, ...]

# Cyrillic and Greek letters that look like Latin ones, for the hint on a look-alike id.
LOOK_ALIKES = str.maketrans(
    "аеорсухіјѕкмтвнАЕОРСУХІЈЅКМТВНαοριντυχκ",
    "aeopcyxijskmtbhAEOPCYXIJSKMTBHaopivtuxk",
)


def load_dataset(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Dataset:
    """Read, parse and validate a dataset file (YAML, or a workbook named `*.xlsx`), and check
    every quote against the text of its source where the source names one. Raises
    `DatasetError`; never writes the file."""
    data = read_dataset_file(path, max_bytes=max_bytes)
    dataset = load_dataset_bytes(data, str(path), max_bytes=max_bytes)
    return check_quotes_against_texts(dataset, data, str(path), Path(path).parent)


def read_dataset_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a dataset file, refused (`DatasetError`) when it is not a regular file, is
    over `max_bytes` or cannot be read."""
    name = str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a pipe or device could block or never end
            raise DatasetError(
                [Problem(name, 1, 1, "", "not a regular file", "give the path of a YAML file")]
            )
        if info.st_size > max_bytes:  # checked before reading: a huge file is never read
            raise DatasetError([_too_large(name, info.st_size, max_bytes)])
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)  # bounded even if the file grows meanwhile
    except OSError as exc:
        problem = Problem(name, 1, 1, "", f"cannot read the file: {exc.strerror}")
        raise DatasetError([problem]) from None


def check_quotes_against_texts(dataset: Dataset, data: bytes, name: str, folder: Path) -> Dataset:
    """The dataset, if every source's text file (read from `folder`) reads and holds every quote
    citing it; else `DatasetError`, each problem at its line in `data`, the file named `name`."""
    if not any(source.text_file for source in dataset.sources):
        return dataset
    if is_workbook(name):
        from positions.workbook_read import check_workbook_quotes  # it imports this module

        return check_workbook_quotes(dataset, data, name, folder)
    texts, findings = read_texts(dataset.sources, folder)
    findings += quote_findings(dataset, texts)
    if not findings:
        return dataset
    raise DatasetError(located(findings, data, name))


def located(findings: Iterable[Finding], data: bytes, name: str) -> list[Problem]:
    """Findings about a YAML dataset (path, message, hint), each at its line in `data`."""
    # Rare, and only now are the lines needed: the careful parse locates each record.
    _, root, _ = parse_yaml(_decode(data, name), name)
    locate = _Locator(root, name)
    return [locate.problem(*finding) for finding in findings]


def load_dataset_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Dataset:
    """Parse and validate the bytes of a dataset file; `name` is used in every message, and
    says which format it is: a workbook when it ends in `.xlsx`, else YAML.

    No quote is checked against a source's text here: bytes have no folder to read it from
    (`load_dataset` checks them)."""
    if is_workbook(name):
        from positions.workbook_read import load_workbook_bytes  # it imports this module

        return load_workbook_bytes(data, name, max_bytes=max_bytes)
    if len(data) > max_bytes:
        raise DatasetError([_too_large(name, len(data), max_bytes)])
    refuse_office_files(data, name)
    _decode(data, name)  # only to refuse what is not UTF-8, with the place of the first bad byte
    # The parser reads the bytes themselves: given text, it would hold a UTF-8 copy of it, and
    # the text and the copy would double a large file's memory while it is parsed.
    document = _plain_document(data.removeprefix(b"\xef\xbb\xbf"))
    if document is not None:
        dataset = _valid_or_none(document)
        del document  # the models hold what is needed; the dicts would double the peak
        if dataset is not None:
            return dataset
    # Something is off (or the file uses anchors, tags, …): the careful path finds every
    # problem and its line, from a node tree of the whole file.
    text = _decode(data, name)
    document, root, problems = parse_yaml(text, name)
    return validate_document(document, root, name, problems)


_CHUNK = 5_000


def _valid_or_none(document: Any) -> Dataset | None:
    """The dataset if `document` has no problem at all, else None. Empties `document`'s lists.

    The big lists become models a chunk at a time, each chunk's dicts dropped as it is done,
    so that the dicts and the models of a large file are not all in memory at once.
    """
    if not isinstance(document, dict):
        return None
    if next(iter(cross_check(document)), None) is not None:
        return None
    try:
        for section, field in Dataset.model_fields.items():
            records = document.get(section)
            if not isinstance(records, list) or len(records) <= _CHUNK:
                continue
            adapter = _list_adapter(field.annotation)
            models: list[Any] = []
            while records:
                models += adapter.validate_python(records[:_CHUNK])
                del records[:_CHUNK]
            document[section] = models
        # Records that are models already are taken as they are (pydantic does not revalidate).
        return Dataset.model_validate(document)
    except ValidationError:
        return None


def _list_adapter(annotation: Any) -> TypeAdapter[Any]:
    if annotation not in _adapters:
        _adapters[annotation] = TypeAdapter(annotation)
    return _adapters[annotation]


_adapters: dict[Any, TypeAdapter[Any]] = {}


_PLAIN_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null")} | {_TIMESTAMP}


def _plain_document(text: str | bytes) -> Any:
    """The document built straight from the parser's event stream, or None.

    Most files, and all big ones, are plain: no anchors, aliases or explicit tags, no
    duplicate keys, nothing nested too deep, no bidi controls. For those this builds the same
    Python values as the careful path while holding only the document, not a node tree of
    every scalar with its marks (several times the document's size). Anything else, including
    a syntax error, returns None and is left to the careful path, which says where it is.
    """
    if _Loader is yaml.SafeLoader:
        return None  # without libyaml the event loop is too slow to be worth a second pass
    loader = _Loader(text)
    try:
        return _build_from_events(loader)
    except (yaml.YAMLError, _NotPlain, ValueError, KeyError):
        return None
    finally:
        loader.dispose()


class _NotPlain(Exception):
    """The file needs the careful path."""


def _build_from_events(loader: Any) -> Any:
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    resolve, scalar_node = loader.resolve, yaml.ScalarNode
    str_tag = f"{_TAG}str"
    # Each open collection: [container, pending key or None, keys seen] (keys: mappings only).
    stack: list[list[Any]] = []
    root: Any = None
    done = False
    while True:
        event = loader.get_event()
        if event is None:
            break
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            value: Any = event.value
            if _BIDI.search(value):
                raise _NotPlain
            tag = resolve(scalar_node, value, event.implicit)
            if tag != str_tag:
                if tag not in _PLAIN_TAGS:
                    raise _NotPlain
                if tag != _TIMESTAMP:  # dates stay text: the model parses them
                    value = _constructor.construct_object(scalar_node(tag, value))
            if stack and type(stack[-1][0]) is dict and stack[-1][1] is None:
                key = event.value  # the text as written: `no:` stays "no", not False
                top = stack[-1]
                if key in top[2]:
                    raise _NotPlain
                top[2].add(key)
                top[1] = key
                continue
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                raise _NotPlain
            if stack and type(stack[-1][0]) is dict and stack[-1][1] is None:
                raise _NotPlain  # a list or mapping as a key
            value = {} if kind is mapping_start else []
            stack.append([value, None, set()])
            continue
        elif kind in collection_end:
            value = stack.pop()[0]
        elif kind is alias_event:
            raise _NotPlain
        else:  # stream and document start and end
            if kind is yaml.DocumentStartEvent and done:
                raise _NotPlain  # a second document
            if kind is yaml.DocumentEndEvent:
                done = True
            continue
        if not stack:
            root = value
        elif type(stack[-1][0]) is dict:
            top = stack[-1]
            top[0][top[1]] = value
            top[1] = None
        else:
            stack[-1][0].append(value)
    return root


def parse_yaml(text: str, name: str) -> tuple[Any, yaml.Node, list[Problem]]:
    """Compose and build the YAML document.

    A syntax error raises `DatasetError` (nothing after it can be trusted); structural problems
    such as duplicate keys are returned, so that the rest of the file is still checked.
    """
    if not text.strip():
        raise DatasetError([Problem(name, 1, 1, "", "the file is empty")])
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise DatasetError([_reader_problem(name, text, exc)]) from None
    try:
        root = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise DatasetError([_reader_problem(name, text, exc)]) from None
    except yaml.MarkedYAMLError as exc:
        raise DatasetError([_syntax_problem(name, exc)]) from None
    except yaml.YAMLError as exc:
        raise DatasetError([Problem(name, 1, 1, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DatasetError(
            [Problem(name, 1, 1, "", f"the file nests deeper than {MAX_DEPTH} levels")]
        ) from None
    finally:
        loader.dispose()
    if root is None:
        raise DatasetError([Problem(name, 1, 1, "", "the file holds no YAML document")])
    builder = _Builder(name)
    document = builder.build(root)
    if builder.fatal:
        raise DatasetError(builder.problems)
    return document, root, builder.problems


def validate_document(
    document: Any, root: yaml.Node, name: str, problems: list[Problem] | None = None
) -> Dataset:
    """Check a built YAML document against the model and the cross-section rules.

    `problems` already found while building are reported together with these.
    """
    problems = list(problems or [])
    locate = _Locator(root, name)
    if not isinstance(document, dict):
        problems.append(
            locate.problem((), "the file must be a mapping of sections (dataset, sources, …)")
        )
        raise DatasetError(problems)
    dataset = None
    # A value the builder refused (a bad tag, say) reads as empty: don't report that twice.
    refused = {p.path for p in problems}
    try:
        dataset = Dataset.model_validate(document)
    except ValidationError as exc:
        problems += [p for p in _model_problems(exc, locate) if p.path not in refused]
    problems += [locate.problem(*finding) for finding in cross_check(document)]
    if problems or dataset is None:
        raise DatasetError(problems)
    return dataset


def _too_large(name: str, size: int, limit: int) -> Problem:
    return Problem(
        name,
        1,
        1,
        "",
        f"the file is {_size(size)}, over the {_size(limit)} limit",
        "split the dataset, or raise the limit with POSITIONS_MAX_BYTES (bytes)",
    )


def _size(count: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            return _reject_encoding(name, f"the file is {encoding}-encoded")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark is harmless: some editors write one
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :]
        column = len(line_start.decode("utf-8", errors="replace")) + 1
        raise DatasetError(
            [
                Problem(
                    name,
                    line,
                    column,
                    "",
                    f"byte 0x{data[exc.start]:02X} is not valid UTF-8",
                    "save the file as UTF-8 (it looks like Latin-1 or Windows-1252)",
                )
            ]
        ) from None


def _reject_encoding(name: str, what: str) -> str:
    raise DatasetError([Problem(name, 1, 1, "", what, "save the file as UTF-8")])


def _reader_problem(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    # A ReaderError carries an offset, not a line and column: libyaml counts bytes of the
    # UTF-8 text, PyYAML's own reader counts characters.
    position = exc.position if isinstance(exc.position, int) else 0
    if _Loader is not yaml.SafeLoader:
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    hint = "delete it: it is invisible in most editors"
    if code == 0:
        hint = "NUL bytes usually mean the file is UTF-16 or UTF-32: save it as UTF-8"
    return Problem(name, line, column, "", f"character U+{code:04X} is not allowed in YAML", hint)


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = " ".join(part for part in (exc.context, exc.problem) if part)
    hint = None
    if "\\t" in message or "'\\t'" in message or "tab" in message.lower():
        hint = "YAML does not allow tabs for indentation: indent with spaces"
    elif "nesting depth" in message:
        hint = f"a dataset nests only a few levels; this one goes deeper than {MAX_DEPTH}"
    elif "mapping values are not allowed" in message:
        hint = "a value holding ': ' must be quoted"
    return Problem(name, line, column, "", f"YAML syntax error: {message}", hint)


class _Builder:
    """Builds plain Python from YAML nodes, collecting problems instead of stopping at one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.fatal = False  # set when what was built cannot be checked any further
        self._built: dict[int, Any] = {}
        self._path: list[str | int] = []

    def build(self, root: yaml.Node) -> Any:
        distinct, expanded = _count_nodes(root)
        if expanded - distinct > MAX_ALIAS_EXPANSION:
            self._add(
                _first_alias(root) or root,
                f"YAML aliases expand this file to {expanded:,} nodes from {distinct:,}",
                "refusing an alias-expansion bomb: write the records out without * aliases",
            )
            self.fatal = True
            return None
        return self._node(root)

    def _add(
        self, node: yaml.Node, message: str, hint: str | None = None, column_offset: int = 0
    ) -> None:
        mark = node.start_mark
        path = tuple(self._path)
        if len(path) > 8:  # past the record's own fields the steps say nothing more
            path = (*path[:6], "…")
        self.problems.append(
            Problem(
                self.name,
                mark.line + 1,
                mark.column + 1 + column_offset,
                format_path(path),
                message,
                hint,
            )
        )

    def _refuse_tag(self, node: yaml.Node) -> None:
        self._add(
            node,
            f"the tag {node.tag.replace(_TAG, '!!')} is not allowed",
            "a dataset holds only text, numbers, dates, lists and mappings",
        )

    def _node(self, node: yaml.Node) -> Any:
        if id(node) in self._built:  # an alias: share what was built, as PyYAML does
            return self._built[id(node)]
        if len(self._path) > MAX_DEPTH:
            self._add(node, f"the file nests deeper than {MAX_DEPTH} levels")
            self.fatal = True
            return None
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_TAG}seq":
                self._refuse_tag(node)
            value = []
            self._built[id(node)] = value
            for i, item in enumerate(node.value):
                self._path.append(i)
                value.append(self._node(item))
                self._path.pop()
        elif isinstance(node, yaml.MappingNode):
            if node.tag != f"{_TAG}map":
                self._refuse_tag(node)
            value = {}
            self._built[id(node)] = value
            self._mapping(node, value)
        else:  # pragma: no cover - PyYAML has only these three node kinds
            value = None
        self._built[id(node)] = value
        return value

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        bidi = _BIDI.search(node.value)
        if bidi:
            on_one_line = node.start_mark.line == node.end_mark.line
            quoted = 1 if node.style in ("'", '"') else 0
            self._add(
                node,
                f"text holds an invisible bidirectional control character (U+{ord(bidi[0]):04X})",
                "these can make text read differently from what it says: delete them",
                column_offset=bidi.start() + quoted if on_one_line else 0,
            )
        if node.tag == _TIMESTAMP:
            return node.value  # the model parses dates, so that 2021-02-30 gets a clear message
        if node.tag not in _SCALAR_TAGS:
            self._refuse_tag(node)
            return None
        try:
            return _constructor.construct_object(node)
        except (ValueError, KeyError, yaml.YAMLError):
            tag = node.tag.replace(_TAG, "!!")
            self._add(node, f"{node.value!r} is not a valid {tag} value")
            return None

    def _mapping(self, node: yaml.MappingNode, value: dict[str, Any]) -> None:
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._add(key_node, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag == f"{_TAG}merge":
                self._add(key_node, "merge keys (<<) are not supported", "write the fields out")
                continue
            if key_node.tag not in (f"{_TAG}str", *_SCALAR_TAGS, _TIMESTAMP):
                self._refuse_tag(key_node)
                continue
            key = key_node.value  # the text as written: `no:` stays "no", not False
            self._path.append(key)
            if key in first_line:
                self._add(
                    key_node,
                    f"duplicate key '{key}' (first set on line {first_line[key]})",
                    "YAML would silently keep only the last value: remove or rename one",
                )
            else:
                first_line[key] = key_node.start_mark.line + 1
                value[key] = self._node(value_node)
            self._path.pop()


def _first_alias(root: yaml.Node) -> yaml.Node | None:
    """The first node met a second time, i.e. the target of the first alias, in file order."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        stack.extend(reversed(list(_children(node))))
    return None


def _count_nodes(root: yaml.Node) -> tuple[int, int]:
    """Distinct nodes and nodes after alias expansion, without expanding anything."""
    size: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in size:
            continue
        size[id(node)] = 0
        order.append(node)
        stack.extend(_children(node))
    for node in reversed(order):  # children are finished before their parents
        size[id(node)] = 1 + sum(size[id(child)] for child in _children(node))
    return len(order), size[id(root)]


def _children(node: yaml.Node) -> Iterable[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return ()


class _Locator:
    """Turns a path in the document back into the line and column of its node."""

    def __init__(self, root: yaml.Node, name: str) -> None:
        self.root = root
        self.name = name

    def mark(self, path: PathTuple) -> tuple[int, int]:
        node = self.root
        for i, step in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                pair = next(((k, v) for k, v in node.value if k.value == step), None)
                if pair is None:
                    break
                node = pair[0] if last else pair[1]  # a field's own line is where its key is
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = node.value[step]
            else:
                break
        return node.start_mark.line + 1, node.start_mark.column + 1

    def problem(self, path: PathTuple, message: str, hint: str | None = None) -> Problem:
        line, column = self.mark(path)
        return Problem(self.name, line, column, format_path(path), message, hint)


def format_path(path: PathTuple) -> str:
    """`('positions', 12, 'actor')` -> `positions[12].actor`."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _model_problems(exc: ValidationError, locate: _Locator) -> Iterable[Problem]:
    for error in exc.errors(include_url=False):
        path = _clean_loc(error["loc"])
        message, hint = _explain(error, path)
        yield locate.problem(path, message, hint)


_VALIDATOR_STEP = re.compile(r"^(function|lax|nullable|union|tagged|chain|constrained)[a-z-]*\[")


def _clean_loc(loc: tuple[Any, ...]) -> PathTuple:
    # pydantic adds its validators' names to the path (e.g. 'function-after[_check_quote(), …]').
    return tuple(s for s in loc if isinstance(s, int) or not _VALIDATOR_STEP.match(str(s)))


def _explain(error: Any, path: PathTuple) -> tuple[str, str | None]:
    kind = error["type"]
    value = error.get("input")
    field = path[-1] if path else ""
    if kind == "missing":
        if len(path) == 1:
            return f"the section '{field}' is missing", None
        return f"the field '{field}' is required", None
    if kind == "extra_forbidden":
        allowed = _allowed_fields(path)
        return f"unknown field '{field}'", did_you_mean(str(field), allowed)
    if kind == "string_pattern_mismatch":
        text = str(value)
        foreign = [c for c in text if not c.isascii() and c.isalpha()]
        slug = re.sub(r"[^a-z0-9]+", "-", text.translate(LOOK_ALIKES).lower()).strip("-")
        if foreign:
            names = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in dict.fromkeys(foreign))
            return (
                f"{value!r} is not a valid id",
                f"{names} only looks like a Latin letter: did you mean '{slug}'?",
            )
        return (
            f"{value!r} is not a valid id",
            f"ids are lowercase letters, digits and single hyphens, e.g. '{slug or 'my-id'}'",
        )
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        options = re.findall(r"'([^']+)'", expected)
        return f"{value!r} is not one of {', '.join(options)}", did_you_mean(str(value), options)
    if kind == "date_partial":
        return (
            f"{value!r} is not a valid date",
            "write YYYY-MM-DD, or YYYY-MM or YYYY when the source gives no day",
        )
    if kind.startswith(("date_", "datetime_")):
        return f"{value!r} is not a valid date", "write dates as YYYY-MM-DD, e.g. 2021-05-19"
    if kind == "string_type":
        hint = None
        if isinstance(value, bool | int | float):
            hint = f"YAML read this as {type(value).__name__} {value!r}: put it in quotes"
        return f"expected text, found {_describe(value)}", hint
    if kind == "list_type":
        return f"expected a list, found {_describe(value)}", "write one '- item' per line"
    if kind in ("model_type", "dict_type"):
        return f"expected a mapping of fields, found {_describe(value)}", None
    if kind == "string_too_short":
        return "must not be empty", None
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, "), None
    return str(error["msg"]), None


def _describe(value: Any) -> str:
    if isinstance(value, dt.date):  # only a workbook's cells hold dates where text belongs
        return f"the date {value.isoformat()}"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _allowed_fields(path: PathTuple) -> list[str]:
    from positions.model import (
        Actor,
        DatasetInfo,
        Event,
        Position,
        Prospect,
        Sanction,
        Source,
        Topic,
    )

    models = {
        "dataset": DatasetInfo,
        "sources": Source,
        "actors": Actor,
        "topics": Topic,
        "positions": Position,
        "sanctions": Sanction,
        "events": Event,
        "prospects": Prospect,
    }
    if len(path) == 1:
        return list(Dataset.model_fields)
    model = models.get(str(path[0]))
    return list(model.model_fields) if model else []
