"""Command line: `python -m positions validate [PATH]`, `python -m positions schema`,
`python -m positions new PATH`, `python -m positions agree A.yaml B.yaml` and
`python -m positions convert IN OUT` (YAML to an Excel workbook, or back)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from positions import agree as agreement
from positions.commands import commands
from positions.dump import dataset_yaml
from positions.errors import DatasetError
from positions.formats import is_workbook
from positions.load import DEFAULT_MAX_BYTES, load_dataset, load_dataset_bytes, located
from positions.model import STANCE_LABEL, Dataset
from positions.skeleton import next_steps, schema_reference, skeleton_text
from positions.workbook import WorkbookWriteError, skeleton_workbook_bytes, workbook_bytes

DEFAULT_DATA = "data/positions.yaml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m positions",
        description="Validate stakeholder-position datasets (YAML files, or Excel workbooks "
        "named *.xlsx), print their JSON Schema, start a new dataset from a commented skeleton, "
        "convert a dataset between YAML and a workbook, or measure the agreement between two "
        "codings of the same sources.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate",
        help="check a dataset file; exit 0 with a summary, or 1 with every problem",
        description="Check a dataset file: YAML, or an Excel workbook when its name ends in "
        ".xlsx. Exit 0 with a summary of what it holds, or 1 with every problem found, one per "
        "line as file:line:col: path: message (in a workbook, file:sheet!cell: message).",
    )
    check.add_argument("path", nargs="?", default=DEFAULT_DATA, help=f"default: {DEFAULT_DATA}")
    check.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse files larger than this (default: {DEFAULT_MAX_BYTES})",
    )
    commands.add_parser(
        "schema",
        help="write the dataset's JSON Schema to standard output",
        description="Write the JSON Schema of the dataset model (data/positions.schema.json).",
    )
    new = commands.add_parser(
        "new",
        help="write a commented skeleton dataset to PATH, YAML or .xlsx (never overwrites a file)",
        description="Write a commented skeleton dataset that validates as it is, with every "
        "field: required ones filled with example values, optional ones commented out. When "
        "PATH ends in .xlsx it is an Excel workbook with the same example records: a sheet a "
        "section, every field a column, required headers amber and optional ones grey, each "
        "header's comment saying what the field is. An existing file is never overwritten.",
    )
    new.add_argument(
        "path", help="the new dataset file, e.g. data/my-dataset.yaml or data/my-dataset.xlsx"
    )
    convert = commands.add_parser(
        "convert",
        help="convert a dataset from YAML to an Excel workbook (.xlsx), or back",
        description="Convert a dataset between YAML (.yaml, .yml) and an Excel workbook "
        "(.xlsx), the direction chosen by the files' extensions. IN is checked first, as "
        "validate checks it: an invalid IN exits 1 with every problem and writes nothing. OUT "
        "is written only once it reads back to the same dataset, and an existing OUT is never "
        "replaced unless --force is given. YAML comments are not carried over: a workbook has "
        "none, and a YAML file written from a workbook starts with the schema line only, its "
        "records in the model's order. Exit 0 when OUT is written, 1 when IN is invalid or OUT "
        "cannot be written, 2 on a usage error (an extension that is neither, or the same "
        "format on both sides).",
    )
    convert.add_argument("input", metavar="IN", help="the dataset to read (.yaml, .yml, .xlsx)")
    convert.add_argument("output", metavar="OUT", help="the file to write (.yaml, .yml, .xlsx)")
    convert.add_argument(
        "--force", action="store_true", help="replace OUT if it exists (default: refuse)"
    )
    convert.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse an IN larger than this (default: {DEFAULT_MAX_BYTES})",
    )
    agree = commands.add_parser(
        "agree",
        help="measure inter-coder agreement between two codings (B against A) of the same sources",
        description="Compare two codings of the same sources, B against A as the reference. "
        "Units are (actor, topic, source) triples over the sources both files list by id; a "
        "unit with several records takes the one with the latest date. Reports Krippendorff's "
        "alpha, ordinal (on the five-point scale, over units where both give a scale stance) "
        "and nominal (over all units, not_raised and no record as categories of their own), "
        "precision and recall of B's records against A's, F1, the share of exact stance "
        "agreement and within one step, and every disagreement. Exit 0 when both files load, 1 "
        "with every problem (as validate prints them) when either is invalid, 2 on a usage "
        "error.",
    )
    agree.add_argument("a", metavar="A", help="the reference coding (a dataset file)")
    agree.add_argument("b", metavar="B", help="the coding compared with it (a dataset file)")
    agree.add_argument(
        "--source",
        action="append",
        metavar="ID",
        help="compare only this source (repeatable; it must be in both files)",
    )
    agree.add_argument(
        "--json", action="store_true", help="print the figures and disagreements as JSON"
    )
    agree.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse files larger than this (default: {DEFAULT_MAX_BYTES})",
    )
    args = parser.parse_args(argv)
    if args.command == "agree":
        return agree_command(args, agree)
    if args.command == "new":
        return write_skeleton(args.path)
    if args.command == "convert":
        return convert_command(args, convert)
    if args.command == "schema":
        print(schema_json())
        return 0
    try:
        dataset = load_dataset(args.path, max_bytes=args.max_bytes)
    except DatasetError as exc:
        print_problems(exc.problems, args.path)
        return 1
    print(summary(dataset, args.path))
    return 0


def print_problems(problems: Sequence[object], path: str) -> None:
    """Every problem on its own line, and their count on standard error."""
    for problem in problems:
        print(problem)
    count = len(problems)
    print(f"{path}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)


def agree_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load both codings (every problem of either, as validate reports them: exit 1), then
    print the agreement report or its JSON."""
    datasets: list[Dataset] = []
    for path in (args.a, args.b):
        try:
            datasets.append(load_dataset(path, max_bytes=args.max_bytes))
        except DatasetError as exc:
            print_problems(exc.problems, path)
    if len(datasets) != 2:
        return 1
    a, b = datasets
    try:
        result = agreement.compare(a, b, args.source)
    except ValueError as exc:  # a --source that is not in both files
        parser.error(f"--source: {exc}")
    if args.json:
        print(json.dumps(agreement.as_json(result, args.a, args.b), indent=2, ensure_ascii=False))
    else:
        print(agreement.format_report(result, args.a, args.b))
    return 0


def write_skeleton(path: str) -> int:
    """Create `path` with the skeleton (a workbook when it ends in .xlsx); refuse (exit 1) if
    anything already exists there."""
    try:
        # "x": create the file, failing if it exists, in one step (no check-then-write race).
        if is_workbook(path):
            with Path(path).open("xb") as binary:
                binary.write(skeleton_workbook_bytes())
        else:
            with Path(path).open("x", encoding="utf-8", newline="\n") as file:
                file.write(skeleton_text(path))
    except FileExistsError:
        print(
            f"{path}: already exists; refusing to overwrite it, nothing was written. "
            "Choose another path, or move the existing file away first.",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        hint = " (create its folder first)" if isinstance(exc, FileNotFoundError) else ""
        print(f"{path}: cannot write the file: {exc.strerror}{hint}", file=sys.stderr)
        return 1
    print(next_steps(path))
    return 0


FORMATS = {".yaml": "YAML", ".yml": "YAML", ".xlsx": "workbook"}


def convert_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Read IN (every problem, as validate prints them: exit 1), write it as OUT in the other
    format, never over an existing file unless --force."""
    source, target = Path(args.input), Path(args.output)
    kinds = []
    for path in (source, target):
        kind = FORMATS.get(path.suffix.lower())
        if kind is None:
            parser.error(f"{path}: convert reads and writes .yaml, .yml and .xlsx files")
        kinds.append(kind)
    if kinds[0] == kinds[1]:
        parser.error(
            f"{source} and {target} are both {kinds[0]} files: convert turns YAML into a "
            "workbook, or a workbook into YAML"
        )
    if target.exists() and not args.force:
        print(f"{target}: {_EXISTS} or pass --force to replace it.", file=sys.stderr)
        return 1
    try:
        dataset = load_dataset(source, max_bytes=args.max_bytes)
    except DatasetError as exc:
        print_problems(exc.problems, str(source))
        return 1
    try:
        if kinds[1] == "workbook":
            data = workbook_bytes(dataset)
        else:
            data = dataset_yaml(dataset, schema=schema_reference(target)).encode("utf-8")
    except WorkbookWriteError as exc:  # only from YAML: each problem at its line there
        print_problems(located(exc.findings, source.read_bytes(), str(source)), str(source))
        return 1
    # Nothing is written that would not read back as the same dataset.
    if load_dataset_bytes(data, str(target), max_bytes=len(data)) != dataset:
        print(f"{target}: not written: it would not read back the same", file=sys.stderr)
        return 1
    try:
        _write(target, data, replace=args.force)
    except FileExistsError:
        print(f"{target}: {_EXISTS} or pass --force to replace it.", file=sys.stderr)
        return 1
    except OSError as exc:
        hint = " (create its folder first)" if isinstance(exc, FileNotFoundError) else ""
        print(f"{target}: cannot write the file: {exc.strerror}{hint}", file=sys.stderr)
        return 1
    counts = ", ".join(
        f"{len(getattr(dataset, section))} {section}" for section in list(Dataset.model_fields)[1:]
    )
    print(f"Wrote {target} ({kinds[1]}) from {source}: {counts}.")
    run = commands()
    check = f"from {run.where()}: {run.validate(target)}"
    # The check would fail on every quote whose source's text is not beside OUT: what to copy
    # comes first, then the check.
    copy = _missing_texts(dataset, source, target)
    print(f"{copy}\nThen check it, {check}" if copy else f"Check it, {check}")
    return 0


_EXISTS = "already exists; refusing to overwrite it, nothing was written. Choose another path,"


def _write(target: Path, data: bytes, *, replace: bool) -> None:
    if not replace:
        with target.open("xb") as file:  # fails if it exists, in one step
            file.write(data)
        return
    # Replaced whole or not at all: written beside it, then renamed over it.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _missing_texts(dataset: Dataset, source: Path, target: Path) -> str:
    """Source texts are named relative to the dataset's folder: what to copy beside OUT for its
    quotes to be checked, or "" when every text is there."""
    missing = sorted(
        {
            s.text_file
            for s in dataset.sources
            if s.text_file and not (target.parent / s.text_file).exists()
        }
    )
    if not missing:
        return ""
    return (
        f"First copy the source texts it names from {_folder(source)} to {_folder(target)}, "
        f"keeping their folders ({', '.join(missing)}): its quotes are checked against them, "
        "and fail without them."
    )


def _folder(path: Path) -> str:
    return "the current folder" if str(path.parent) == "." else str(path.parent)


def schema_json() -> str:
    """The JSON Schema of the model, as committed in data/positions.schema.json."""
    schema = Dataset.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Stakeholder positions dataset"
    return json.dumps(schema, indent=2, ensure_ascii=False)


def summary(dataset: Dataset, path: str) -> str:
    """A one-screen account of what a valid dataset holds."""
    info = dataset.dataset
    lines = [f"{path}: valid", f"  {info.title} (as of {info.as_of.isoformat()})"]
    for section in ("sources", "actors", "topics", "positions", "sanctions", "events", "prospects"):
        lines.append(f"  {section:<10} {len(getattr(dataset, section)):>6}")
    stances = Counter(p.stance.value for p in dataset.positions)
    lines.append("  positions by stance:")
    for stance, label in STANCE_LABEL.items():
        lines.append(f"    {label:<13} {stances.get(stance, 0):>6}")
    inferred = sum(p.confidence == "inferred" for p in dataset.positions)
    lines.append(f"  inferred (not stated) positions: {inferred}")
    statuses = Counter(s.status.value for s in dataset.sanctions)
    if statuses:
        lines.append("  sanctions by status: " + ", ".join(f"{k} {v}" for k, v in statuses.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `validate … | head` closed the pipe: nothing left to say
        sys.stderr.close()
        sys.exit(1)
