"""Shared fixtures: the project's paths and the small test dataset as frames."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from positions.frames import Frames, load_frames

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BUNDLED = ROOT / "data" / "positions.yaml"


@pytest.fixture(scope="session")
def small() -> Frames:
    return load_frames(FIXTURES / "small.yaml")


@pytest.fixture(scope="session")
def bundled() -> Frames:
    return load_frames(BUNDLED)


@pytest.fixture(scope="session")
def as_of() -> pd.Timestamp:
    return pd.Timestamp("2021-05-20")


@pytest.fixture(autouse=True)
def _fixture_texts_beside_copies(request: pytest.FixtureRequest) -> None:
    """A test that writes a copy of the small dataset into its tmp_path gets the sources' texts
    beside it, as they are beside the original (its sources name them by relative path)."""
    if "tmp_path" in request.fixturenames:
        folder = request.getfixturevalue("tmp_path")
        shutil.copytree(FIXTURES / "texts", folder / "texts", dirs_exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def _parsed_cache_out_of_the_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The app under test keeps its parsed cache (positions.cache) in a folder of the run, not
    beside data/positions.yaml in the working tree."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POSITIONS_CACHE_DIR", str(tmp_path_factory.mktemp("parsed-cache")))
        yield


@pytest.fixture(scope="session", autouse=True)
def _app_serves_this_machine_only() -> Iterator[None]:
    """AppTest runs no server; the app under test is told it listens on loopback, as `make run`
    and `make curate` start it (the Curate page exists only then)."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)
