"""`python -m positions new PATH`: a commented skeleton that validates, with every field of the
model, that never overwrites a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from command_line import run_cli

from positions import load_dataset
from positions.model import (
    Dataset,
    section_models,
)
from positions.skeleton import SKELETON, skeleton_text

ROOT = Path(__file__).resolve().parent.parent
# Every section of the model: a section added to the dataset is covered without editing this.
SECTIONS = section_models()
# An optional field, commented out: indented, "# ", the field name and a colon.
COMMENTED_FIELD = re.compile(r"^( +)# ([a-z_]+:)", re.M)


run = run_cli


def section(text: str, name: str) -> str:
    match = re.search(rf"^{name}:\n(.*?)(?=^\S|\Z)", text, re.M | re.S)
    assert match, f"the skeleton has no section {name}"
    return match.group(1)


def test_new_writes_a_skeleton_that_validates(tmp_path: Path):
    path = tmp_path / "my-dataset.yaml"
    result = run("new", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert path.read_text("utf-8") == skeleton_text(str(path))
    dataset = load_dataset(path)
    # No id in the skeleton: one is made from its title.
    assert dataset.dataset.id == "stakeholder-positions-my-subject"
    assert run("validate", str(path)).returncode == 0


# The next steps `new` prints, and that they work as typed: tests/test_commands.py.


def test_new_refuses_to_overwrite_a_file(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    result = run("new", str(path))
    assert result.returncode == 1
    assert path.read_text("utf-8") == "my own work\n"
    assert result.stdout == ""
    assert result.stderr == (
        f"{path}: already exists; refusing to overwrite it, nothing was written. "
        "Choose another path, or move the existing file away first.\n"
    )


def test_new_refuses_a_directory_and_a_missing_folder(tmp_path: Path):
    result = run("new", str(tmp_path))
    assert result.returncode == 1
    assert "already exists; refusing to overwrite it" in result.stderr
    missing = tmp_path / "no-such-folder" / "new.yaml"
    result = run("new", str(missing))
    assert result.returncode == 1
    assert result.stderr == (
        f"{missing}: cannot write the file: No such file or directory (create its folder first)\n"
    )
    assert not missing.parent.exists()


def test_new_is_in_the_help():
    result = run("--help")
    assert result.returncode == 0
    assert "new" in result.stdout
    help_new = " ".join(run("new", "--help").stdout.split())
    assert "An existing file is never overwritten." in help_new


@pytest.mark.parametrize("name", SECTIONS)
def test_skeleton_mentions_every_field_of_every_model(name: str):
    block = section(SKELETON, name)
    mentioned = set(re.findall(r"^ +(?:- |# )?([a-z_]+):", block, re.M))
    assert mentioned == set(SECTIONS[name].model_fields)


def test_skeleton_has_every_section():
    sections = set(re.findall(r"^([a-z_]+):", SKELETON, re.M))
    assert sections == set(Dataset.model_fields)


def test_required_fields_are_filled_and_optional_ones_commented_and_explained():
    for name, model in SECTIONS.items():
        block = section(SKELETON, name)
        filled = set(re.findall(r"^ +(?:- )?([a-z_]+):", block, re.M))
        commented = set(re.findall(r"^ +# ([a-z_]+):", block, re.M))
        required = {f for f, info in model.model_fields.items() if info.is_required()}
        assert filled == required, name
        assert commented == set(model.model_fields) - required, name
        # Each optional field has its one-line explanation after the example value.
        for line in re.findall(r"^ +# [a-z_]+:.*$", block, re.M):
            assert re.search(r"\S  # \S", line), line


def test_skeleton_still_validates_with_every_optional_field_turned_on(tmp_path: Path):
    path = tmp_path / "everything.yaml"
    text = COMMENTED_FIELD.sub(r"\1\2", skeleton_text(str(path)))
    assert not COMMENTED_FIELD.search(text)
    path.write_text(text, encoding="utf-8")
    # The source's text, turned on too, must hold every quote that cites it.
    document = yaml.safe_load(text)
    quotes = [
        record[field]
        for section in ("positions", "sanctions", "events", "prospects")
        for record in document.get(section) or []
        for field in ("quote", "explanation")
        if record.get(field)
    ]
    (tmp_path / "texts").mkdir(exist_ok=True)
    (tmp_path / "texts" / "my-source.txt").write_text(" ".join(quotes), encoding="utf-8")
    dataset = load_dataset(path)
    assert dataset.positions[0].confidence == "inferred"
    assert dataset.actors[1].parent == "my-state"
    assert dataset.sanctions[1].parent == "my-measure"


def test_skeleton_points_editors_to_the_schema(tmp_path: Path):
    inside = skeleton_text(str(ROOT / "data" / "new.yaml")).splitlines()[0]
    assert inside == "# yaml-language-server: $schema=positions.schema.json"
    nested = skeleton_text(str(ROOT / "data" / "examples" / "new.yaml")).splitlines()[0]
    assert nested == "# yaml-language-server: $schema=../positions.schema.json"
    elsewhere = skeleton_text(str(tmp_path / "new.yaml")).splitlines()[0]
    schema = (tmp_path / elsewhere.split("$schema=", 1)[1]).resolve()
    assert schema == (ROOT / "data" / "positions.schema.json").resolve()
