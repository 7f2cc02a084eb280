"""The page registry names every page once, and the entrypoint, the tests and the benchmarks use
it: a contract test that every registered page has its script and every script is registered."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import page_registry

ROOT = Path(__file__).resolve().parent.parent


def test_every_registered_page_has_a_script_and_every_script_is_registered():
    scripts = {p.stem for p in (ROOT / "app_pages").glob("*.py") if p.stem != "__init__"}
    assert {entry.key for entry in page_registry.PAGES} == scripts
    for entry in page_registry.PAGES:
        assert (ROOT / entry.script).is_file(), entry.script


def test_keys_and_addresses_are_unique_and_one_page_is_the_default():
    keys = [entry.key for entry in page_registry.PAGES]
    paths = [entry.url_path for entry in page_registry.PAGES]
    assert len(set(keys)) == len(keys)
    assert len(set(paths)) == len(paths)
    assert [entry.key for entry in page_registry.PAGES if entry.default] == ["overview"]
    assert all("/" not in path for path in paths)


def test_only_the_curate_page_needs_the_curate_flag():
    assert [entry.key for entry in page_registry.PAGES if entry.curate_only] == ["curate"]
    assert page_registry.pages(curate=True) == page_registry.PAGES
    assert page_registry.pages() == tuple(e for e in page_registry.PAGES if e.key != "curate")


@pytest.mark.parametrize("curate", [False, True], ids=["public", "curate"])
def test_the_entrypoint_navigates_over_the_registry(monkeypatch, curate):
    monkeypatch.setenv("POSITIONS_DATA", str(ROOT / "tests" / "fixtures" / "small.yaml"))
    monkeypatch.setattr(sys, "argv", ["dashboard.py", *(["--curate"] if curate else [])])
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.run()
    assert not at.exception
    served = page_registry.pages(curate=curate)
    # The sidebar's menu: one link per page served, in order (the findings' links follow).
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert labels == [entry.title for entry in served]
    assert at.session_state["_page_paths"] == [entry.url_path for entry in served]
    if not curate:
        # Without the flag the page does not exist: AppTest, like the browser, cannot reach it.
        with pytest.raises(ValueError):
            at.switch_page("app_pages/curate.py")


def test_the_benchmarks_and_example_tests_read_the_registry():
    from benchmarks.run import page_names

    # The benchmarks measure the public dashboard: the curate page is not part of it.
    assert page_names() == [entry.key for entry in page_registry.pages()]
