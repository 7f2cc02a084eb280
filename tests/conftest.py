"""Shared fixtures: the project's paths and the small test dataset as frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from positions import load_dataset
from positions.frames import Frames, to_frames

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BUNDLED = ROOT / "data" / "positions.yaml"


@pytest.fixture(scope="session")
def small() -> Frames:
    return to_frames(load_dataset(FIXTURES / "small.yaml"))


@pytest.fixture(scope="session")
def bundled() -> Frames:
    return to_frames(load_dataset(BUNDLED))


@pytest.fixture(scope="session")
def as_of() -> pd.Timestamp:
    return pd.Timestamp("2021-05-20")
