"""`python -m positions`, run as a user runs it: in a subprocess, from the project root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from command_line import run_cli

ROOT = Path(__file__).resolve().parent.parent
STANCES = "support, lean_support, mixed, lean_oppose, oppose, not_raised"


run = run_cli


def test_validate_minimal_prints_the_summary() -> None:
    result = run("validate", "tests/fixtures/minimal.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "tests/fixtures/minimal.yaml: valid",
        "  Minimal dataset (as of 2021-05-20)",
        "  sources         1",
        "  actors          2",
        "  topics          1",
        "  positions       1",
        "  sanctions       1",
        "  events          1",
        "  prospects       0",
        "  positions by stance:",
        "    Support            1",
        "    Lean support       0",
        "    Mixed              0",
        "    Lean oppose        0",
        "    Oppose             0",
        "    Not raised         0",
        "  inferred (not stated) positions: 0",
        "  sanctions by status: imposed 1",
    ]
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        (
            "bad-stance.yaml",
            [
                f"31:5: positions[0].stance: 'supports' is not one of {STANCES} "
                "(hint: did you mean 'support'?)",
            ],
        ),
        (
            "multiple-problems.yaml",
            [
                "5:3: dataset.title: duplicate key 'title' (first set on line 4) "
                "(hint: YAML would silently keep only the last value: remove or rename one)",
                "30:5: positions[0].actor: unknown actor 'ministre' "
                "(hint: did you mean 'minister'?)",
                f"32:5: positions[0].stance: 'suport' is not one of {STANCES} "
                "(hint: did you mean 'support'?)",
            ],
        ),
    ],
)
def test_validate_broken_file_prints_each_problem(name: str, lines: list[str]) -> None:
    path = f"tests/broken/{name}"
    result = run("validate", path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{path}:{line}" for line in lines]
    count = len(lines)
    assert result.stderr == f"{path}: {count} problem{'s' if count != 1 else ''}\n"


def test_validate_with_max_bytes_refuses_a_large_file() -> None:
    result = run("validate", "tests/fixtures/minimal.yaml", "--max-bytes", "100")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "tests/fixtures/minimal.yaml:1:1: the file is 1.3 kB, over the 100 bytes limit "
        "(hint: split the dataset, or raise the limit with POSITIONS_MAX_BYTES (bytes))"
    ]


def test_validate_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    result = run("validate", str(path))
    assert result.returncode == 1
    assert result.stdout == f"{path}:1:1: cannot read the file: No such file or directory\n"


def test_validate_prints_one_line_per_problem() -> None:
    result = run("validate", "tests/broken/control-character.yaml")
    assert result.returncode == 1
    assert result.stderr == "tests/broken/control-character.yaml: 1 problem\n"
    assert len(result.stdout.splitlines()) == 1


def test_schema_prints_json_with_every_section() -> None:
    result = run("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Stakeholder positions dataset"
    sections = {"sources", "actors", "topics", "positions", "sanctions", "events", "prospects"}
    assert sections <= set(schema["properties"])
    assert set(schema["properties"]) == sections | {"dataset"}
    assert schema["required"] == ["dataset", "sources", "actors", "topics", "positions"]


def test_help_mentions_both_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m positions")
    assert "validate" in result.stdout
    assert "schema" in result.stdout


def test_validate_help_explains_the_output() -> None:
    result = run("validate", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps to the terminal's width
    assert "--max-bytes" in text
    assert "one per line as file:line:col: path: message" in text


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert "validate" in result.stderr
