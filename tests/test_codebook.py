"""The codebook documents every field of the model, and the committed schema is current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from positions.__main__ import schema_json
from positions.model import (
    Stance,
    section_models,
)

ROOT = Path(__file__).resolve().parent.parent
CODEBOOK = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
# Every section of the model, as the codebook heads it (`dataset`, `sources[]`, …): a section
# added to the dataset fails here until the codebook explains it.
SECTIONS = {
    (name if name == "dataset" else f"{name}[]"): model for name, model in section_models().items()
}


def section_text(heading: str) -> str:
    match = re.search(rf"^## `{re.escape(heading)}`\n(.*?)(?=^## |\Z)", CODEBOOK, re.M | re.S)
    assert match, f"docs/codebook.md has no section ## `{heading}`"
    return match.group(1)


@pytest.mark.parametrize("heading", SECTIONS)
def test_every_field_is_in_the_codebook(heading):
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section_text(heading), re.M))
    fields = set(SECTIONS[heading].model_fields)
    assert fields - documented == set(), f"undocumented in {heading}"
    assert documented - fields == set(), f"documented but not in the model: {heading}"


def test_every_stance_is_in_the_codebook():
    scale = re.search(r"## The stance scale\n(.*?)\n## ", CODEBOOK, re.S).group(1)
    assert set(re.findall(r"^\| `([a-z_]+)` \|", scale, re.M)) == {s.value for s in Stance}


def test_committed_schema_matches_the_model():
    committed = json.loads((ROOT / "data" / "positions.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(schema_json()), "run: make schema"


def test_dataset_points_editors_to_the_schema():
    first_line = (ROOT / "data" / "positions.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=positions.schema.json"
