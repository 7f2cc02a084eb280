"""Command line: `python -m positions validate [PATH]`, `python -m positions schema`,
`python -m positions new PATH` and `python -m positions agree A.yaml B.yaml`."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from positions import agree as agreement
from positions.errors import DatasetError
from positions.load import DEFAULT_MAX_BYTES, load_dataset
from positions.model import STANCE_LABEL, Dataset
from positions.skeleton import next_steps, skeleton_text

DEFAULT_DATA = "data/positions.yaml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m positions",
        description="Validate stakeholder-position datasets, print their JSON Schema, start "
        "a new dataset from a commented skeleton, or measure the agreement between two codings "
        "of the same sources.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate",
        help="check a dataset file; exit 0 with a summary, or 1 with every problem",
        description="Check a dataset file. Exit 0 with a summary of what it holds, or 1 with "
        "every problem found, one per line as file:line:col: path: message.",
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
        help="write a commented skeleton dataset to PATH (never overwrites a file)",
        description="Write a commented skeleton dataset that validates as it is, with every "
        "field: required ones filled with example values, optional ones commented out. An "
        "existing file is never overwritten.",
    )
    new.add_argument("path", help="the new dataset file, e.g. data/my-dataset.yaml")
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
    if args.command == "schema":
        print(schema_json())
        return 0
    try:
        dataset = load_dataset(args.path, max_bytes=args.max_bytes)
    except DatasetError as exc:
        for problem in exc.problems:
            print(problem)
        count = len(exc.problems)
        print(f"{args.path}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    print(summary(dataset, args.path))
    return 0


def agree_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load both codings (every problem of either, as validate reports them: exit 1), then
    print the agreement report or its JSON."""
    datasets: list[Dataset] = []
    for path in (args.a, args.b):
        try:
            datasets.append(load_dataset(path, max_bytes=args.max_bytes))
        except DatasetError as exc:
            for problem in exc.problems:
                print(problem)
            count = len(exc.problems)
            print(f"{path}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
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
    """Create `path` with the skeleton; refuse (exit 1) if anything already exists there."""
    try:
        # "x": create the file, failing if it exists, in one step (no check-then-write race).
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
