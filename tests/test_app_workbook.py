"""The dashboard on a workbook, in AppTest: as its data file, and as a reader's upload; a refused
upload's problems shown at the top of the page until dismissed."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from workbooks import changed, put, small_bytes

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_TITLE = (
    "Stakeholder positions: the Blinken–Lavrov meeting and the Nord Stream 2 sanctions waiver"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def app(monkeypatch, data: Path) -> AppTest:
    monkeypatch.setenv("POSITIONS_DATA", str(data))
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    (uploader,) = at.get("file_uploader")
    assert uploader.allowed_type == [".yaml", ".yml", ".xlsx"]
    uploader.upload(name, data, mime)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_dashboard_runs_on_a_workbook_file(monkeypatch, tmp_path: Path) -> None:
    book = tmp_path / "small.xlsx"  # its source texts are beside it (tests/conftest.py)
    book.write_bytes(small_bytes())
    at = app(monkeypatch, book)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Small test dataset"
    assert {m.label: m.value for m in at.metric} == {
        "Actors": "4",
        "Topics": "3",
        "Positions": "9",
        "Issues not raised": "0",
    }
    at.switch_page("app_pages/sources.py")
    at.run()
    assert not at.exception
    labels = [button.label for button in at.get("download_button")]
    assert "Whole dataset as a workbook (.xlsx)" in labels
    assert "Whole dataset as YAML" not in labels


def test_an_uploaded_workbook_is_used_for_the_session(monkeypatch) -> None:
    at = app(monkeypatch, ROOT / "data" / "positions.yaml")
    at.run()
    assert at.title[0].value.replace("\\", "") == BUNDLED_TITLE
    upload(at, "small.xlsx", small_bytes())
    assert at.title[0].value == "Small test dataset"
    assert not at.error
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.startswith("Showing your upload `small.xlsx`") for c in captions)
    # Above the page too (a phone's sidebar is closed), with what an upload could not check.
    assert at.main.caption[0].value.startswith(
        ":material/upload_file: Showing your upload `small.xlsx` (version "
    )
    (warning,) = at.main.warning
    assert warning.value == (
        "Its sources name texts (`texts/article.txt`, `texts/readout.txt`) that an upload cannot "
        "bring along: its quotes were **not** checked against them, and show without their "
        "context. To check them, run `python -m positions validate` on your file with the texts "
        "beside it."
    )
    # The Reader says why it has no text to show, rather than that no source names one.
    at.switch_page("app_pages/reader.py")
    at.run()
    assert at.main.info[0].value.startswith(
        "Your upload's sources name their texts, but the texts stay on your computer"
    )


def test_a_refused_workbook_shows_its_cells_at_the_top_until_dismissed(monkeypatch) -> None:
    at = app(monkeypatch, ROOT / "tests" / "fixtures" / "small.yaml")
    at.run()
    broken = changed(put("positions", "B2", "nrth"), put("positions", "F2", "=B2&C2"))
    upload(at, "book.xlsx", broken)
    assert at.title[0].value == "Small test dataset"  # still the dataset shown before
    (main_error,) = at.main.error
    assert main_error.value == (
        "**Your upload `book.xlsx` was not used: 2 problems.** The dashboard still shows the "
        "dataset it showed before.\n\n"
        "- `positions!B2: unknown actor 'nrth' (hint: did you mean 'north'?)`\n"
        "- `positions!F2: the cell holds a formula (=B2&C2) (hint: a dataset holds values, not "
        "formulas: copy the cells and paste them back as values only (Paste Special, Values))`"
        "\n\nFix these cells in your workbook and upload it again. To go to a cell, type its "
        "name (such as `positions!C12`) into the Name Box, left of the formula bar."
    )
    assert [e.value for e in at.sidebar.error] == [
        "Not used: 2 problems, listed at the top of the page."
    ]
    # Still there on another page, until dismissed.
    at.switch_page("app_pages/stances.py")
    at.run()
    assert len(at.main.error) == 1
    at.button(key="_dismiss_upload_error").click()
    at.run()
    assert not at.error
    assert at.title[0].value == "Stances"


def test_a_refused_yaml_upload_names_its_lines(monkeypatch) -> None:
    at = app(monkeypatch, ROOT / "tests" / "fixtures" / "small.yaml")
    at.run()
    data = (ROOT / "tests" / "broken" / "bad-stance.yaml").read_bytes()
    upload(at, "mine.yaml", data, "application/x-yaml")
    (main_error,) = at.main.error
    assert main_error.value.splitlines()[2:] == [
        "- `line 31, column 5: positions[0].stance: 'supports' is not one of support, "
        "lean_support, mixed, lean_oppose, oppose, not_raised (hint: did you mean 'support'?)`",
        "",
        "Fix these lines of your YAML file (each problem starts with its line and column) and "
        "upload it again.",
    ]


def test_a_good_upload_after_a_refused_one_clears_the_problems(monkeypatch) -> None:
    at = app(monkeypatch, ROOT / "data" / "positions.yaml")
    at.run()
    upload(at, "book.xlsx", b"id,name\nnorth,North\n")
    assert at.main.error[0].value.startswith("**Your upload `book.xlsx` was not used: 1 problem.")
    assert "the file is text, not an Excel workbook" in at.main.error[0].value
    (uploader,) = at.get("file_uploader")
    uploader.set_value(("small.xlsx", small_bytes(), XLSX))
    at.run()
    assert not at.error
    assert at.title[0].value == "Small test dataset"
