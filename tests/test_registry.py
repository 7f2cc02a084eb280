"""The page registry names every page once, and the entrypoint, the tests and the benchmarks use
it: a contract test that every registered page has its script and every script is registered."""

from __future__ import annotations

from pathlib import Path

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


def test_the_entrypoint_navigates_over_the_registry(monkeypatch):
    monkeypatch.setenv("POSITIONS_DATA", str(ROOT / "tests" / "fixtures" / "small.yaml"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.run()
    assert not at.exception
    # The sidebar's menu: one link per registered page, in order (the findings' links follow).
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert labels == [entry.title for entry in page_registry.PAGES]
    assert at.session_state["_page_paths"] == [entry.url_path for entry in page_registry.PAGES]


def test_the_benchmarks_and_example_tests_read_the_registry():
    from benchmarks.run import page_names

    assert page_names() == [entry.key for entry in page_registry.PAGES]
