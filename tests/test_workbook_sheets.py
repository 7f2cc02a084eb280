"""What a written workbook offers the person working in it: header comments that show every value
as it must be typed, and say which lists are examples only; drop-down lists of those values and
of the ids a reference may take; sheets that print readably."""

from __future__ import annotations

import enum
import io
import re
import typing
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from workbooks import SMALL, changed, small_bytes, small_workbook

from positions import load_dataset
from positions.model import section_models
from positions.skeleton import KIND_EXAMPLES
from positions.validate import REFERENCES
from positions.workbook import _lines, load_workbook_bytes, skeleton_workbook_bytes, workbook_bytes
from positions.workbook_layout import explanation

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = section_models()


def enum_values(annotation: typing.Any) -> list[str]:
    """The values of the enum inside a field's annotation (Optional and Annotated unwrapped)."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [member.value for member in annotation]
    for arg in typing.get_args(annotation):
        values = enum_values(arg)
        if values:
            return values
    return []


VOCABULARIES = {
    (section, field): enum_values(info.annotation)
    for section, model in SECTIONS.items()
    for field, info in model.model_fields.items()
    if enum_values(info.annotation)
}
EVERY_VALUE = {value for values in VOCABULARIES.values() for value in values}
VALUES_LINE = re.compile(
    r"^One of: (.+) \(typed exactly as written, or picked from the cell's list\)\.$"
)


def header_comments(book: openpyxl.Workbook) -> dict[tuple[str, str], str]:
    """Every header's comment, by (sheet, field): row 1 of a record sheet, column A of `dataset`."""
    comments = {}
    for sheet in book:
        headers = [row[0] for row in sheet.iter_rows(min_row=2)] if sheet.title == "dataset" else []
        for cell in headers or sheet[1]:
            if cell.value is not None:
                assert cell.comment is not None, f"{sheet.title}!{cell.coordinate}"
                comments[(sheet.title, cell.value)] = cell.comment.text
    return comments


def test_the_vocabularies_are_the_models() -> None:
    assert VOCABULARIES == {
        ("positions", "stance"): [
            "support",
            "lean_support",
            "mixed",
            "lean_oppose",
            "oppose",
            "not_raised",
        ],
        ("positions", "confidence"): ["stated", "inferred"],
        ("sanctions", "status"): ["imposed", "waived", "considered", "lifted"],
        ("events", "status"): ["occurred", "planned"],
        ("events", "date_precision"): ["day", "month", "year"],
        ("prospects", "status"): [
            "borne_out",
            "partly",
            "not_borne_out",
            "condition_unmet",
            "open",
        ],
    }


@pytest.mark.parametrize("which", ["small", "skeleton"])
def test_every_header_comment_lists_the_allowed_values_exactly_as_typed(which: str) -> None:
    if which == "small":
        book = small_workbook()
    else:
        book = openpyxl.load_workbook(io.BytesIO(skeleton_workbook_bytes()))
    comments = header_comments(book)
    assert set(comments) == {
        (section, field) for section, model in SECTIONS.items() for field in model.model_fields
    }
    for (section, field), text in comments.items():
        lines = text.splitlines()
        listed = [match.group(1) for match in map(VALUES_LINE.match, lines) if match]
        if (section, field) in VOCABULARIES:
            assert len(listed) == 1, (section, field, text)
            assert re.split(r", | or ", listed[0]) == VOCABULARIES[(section, field)]
        else:
            assert listed == [], (section, field, text)
        # No value of any vocabulary appears in another case ("Support", "Borne_out").
        for word in re.findall(r"[A-Za-z_]+", text):
            assert word.lower() not in EVERY_VALUE or word == word.lower(), (section, field, text)


def test_the_comments_on_the_vocabularies() -> None:
    comments = header_comments(small_workbook())
    typed = "(typed exactly as written, or picked from the cell's list)."
    assert comments[("positions", "stance")] == (
        "stance: required.\n"
        f"One of: support, lean_support, mixed, lean_oppose, oppose or not_raised {typed}"
    )
    assert comments[("positions", "confidence")] == (
        "confidence: optional.\n"
        f"One of: stated or inferred {typed}\n"
        "When left out, stated; inferred needs a note."
    )
    assert comments[("sanctions", "status")] == (
        f"status: required.\nOne of: imposed, waived, considered or lifted {typed}"
    )
    assert comments[("events", "status")] == (
        "status: required.\n"
        f"One of: occurred or planned {typed}\n"
        "Whichever it was as of the dataset's as_of."
    )
    assert comments[("events", "date_precision")] == (
        "date_precision: optional.\n"
        f"One of: day, month or year {typed}\n"
        'When left out, day; "expected in June" is month.'
    )
    assert comments[("prospects", "status")] == (
        "status: required.\n"
        f"One of: borne_out, partly, not_borne_out, condition_unmet or open {typed}"
    )


@pytest.mark.parametrize(("section", "field"), VOCABULARIES)
def test_the_yaml_skeleton_lists_each_vocabulary_as_the_model_has_it(
    section: str, field: str
) -> None:
    # The workbook's comment is the skeleton's, its list of values replaced by the model's: the
    # skeleton's list must be the same, word for word.
    values = VOCABULARIES[(section, field)]
    listed = ", ".join(values[:-1]) + " or " + values[-1]
    text = explanation(section, field)
    assert text == listed or text.startswith(listed + "; "), text


def test_a_kinds_comment_says_it_is_free_and_gives_the_codebooks_kinds_as_examples() -> None:
    comments = header_comments(small_workbook())
    assert comments[("sanctions", "target_kind")] == (
        "target_kind: required.\n"
        "What kind of target: a slug of your choice, not a fixed list.\n"
        "Examples from docs/codebook.md: vessel, vessel-group, company, company-group, entity, "
        "entity-group, person, person-group, sector."
    )
    assert comments[("actors", "kind")] == (
        "kind: required.\n"
        "What kind of actor: a slug of your choice, not a fixed list.\n"
        "Examples from docs/codebook.md: state, executive, legislature, legislator, agency, "
        "official, head-of-state, company, person, bloc, organisation."
    )
    assert comments[("sources", "kind")].splitlines()[1:] == [
        "What kind of source: a slug of your choice, not a fixed list.",
        "Examples from docs/codebook.md: analysis, official-statement, news-report, readout, "
        "press-release, interview, transcript, fact-check.",
    ]
    assert comments[("events", "kind")].splitlines()[1:] == [
        "What kind of event: a slug of your choice, not a fixed list.",
        "Examples from docs/codebook.md: meeting, summit, decision, statement, reaction, "
        "announcement, legislation, sanctions-action, hearing, call.",
    ]


KIND_FIELDS = [
    ("sources", "kind"),
    ("actors", "kind"),
    ("sanctions", "target_kind"),
    ("events", "kind"),
]


@pytest.mark.parametrize(("section", "field"), KIND_FIELDS)
def test_the_examples_of_kinds_are_the_codebooks_and_hold_every_kind_in_use(
    section: str, field: str
) -> None:
    examples = KIND_EXAMPLES[(section, field)]
    # The codebook's row for the field names the same kinds, in the same order.
    codebook = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    heading = "dataset" if section == "dataset" else f"{section}[]"
    table = re.search(rf"^## `{re.escape(heading)}`\n(.*?)(?=^## |\Z)", codebook, re.M | re.S)
    assert table is not None
    row = re.search(rf"^\| `{field}` \| [a-z]+ \| (.*?) \|", table.group(1), re.M)
    assert row is not None
    assert "a slug of your choice (not a fixed list)" in row.group(1)
    assert tuple(re.findall(r"`([a-z-]+)`", row.group(1).split(";")[0])) == examples
    # Every kind the bundled datasets use is among them (the sanctions' target kinds of
    # data/positions.yaml include entity, vessel-group, company-group and person-group).
    for name in ("data/positions.yaml", "data/examples/jcpoa-withdrawal-2018.yaml"):
        records = getattr(load_dataset(ROOT / name), section)
        used = {getattr(record, field) for record in records} - {None}
        assert used <= set(examples), (name, used - set(examples))


def drop_downs(sheet: Worksheet) -> dict[str, DataValidation]:
    """A sheet's drop-down lists by the cells they cover."""
    return {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}


def test_the_positions_sheet_has_drop_down_lists_of_values_and_ids() -> None:
    book = small_workbook()
    lists = drop_downs(book["positions"])
    # Nine positions in rows 2-10, and 2000 empty rows below them for records typed in.
    assert {cells: (dv.type, dv.formula1, dv.errorStyle) for cells, dv in lists.items()} == {
        "B2:B2010": ("list", "actor_ids", "warning"),
        "C2:C2010": ("list", "topic_ids", "warning"),
        "D2:D2010": ("list", '"support,lean_support,mixed,lean_oppose,oppose,not_raised"', "stop"),
        "E2:E2010": ("list", "source_ids", "warning"),
        "I2:I2010": ("list", "event_ids", "warning"),
        "J2:J2010": ("list", '"stated,inferred"', "stop"),
    }
    stance = lists["D2:D2010"]
    # showDropDown false shows the arrow (the attribute's sense is inverted in the file format).
    assert (stance.allow_blank, stance.showErrorMessage, stance.showDropDown) == (True, True, False)
    assert (stance.errorTitle, stance.error) == (
        "Not allowed in stance",
        "stance takes one of: support, lean_support, mixed, lean_oppose, oppose or not_raised. "
        "Type it exactly as written, or pick it from the cell's list.",
    )
    actor = lists["B2:B2010"]
    assert (actor.allow_blank, actor.errorTitle, actor.error) == (
        True,
        "Unknown actor",
        "No actor in the actors sheet has this id: pick one from the cell's list, or add the "
        "actor to the actors sheet.",
    )
    # Each list of ids is a name for the ids column of its sheet, with the same room below.
    assert {name: defined.attr_text for name, defined in book.defined_names.items()} == {
        "actor_ids": "actors!$A$2:$A$2005",
        "event_ids": "events!$A$2:$A$2004",
        "sanction_ids": "sanctions!$A$2:$A$2007",
        "source_ids": "sources!$A$2:$A$2003",
        "topic_ids": "topics!$A$2:$A$2004",
    }
    info = drop_downs(book["dataset"])
    assert {cells: dv.formula1 for cells, dv in info.items()} == {
        "B9": "source_ids",  # article_source
        "B10": "event_ids",  # meeting_event
    }


def test_every_vocabulary_and_single_reference_has_its_drop_down_list() -> None:
    book = small_workbook()
    dataset = load_dataset(SMALL)
    for section, model in SECTIONS.items():
        if section == "dataset":
            continue
        sheet = book[section]
        headers = [cell.value for cell in sheet[1]]
        last = len(getattr(dataset, section)) + 1 + 2000
        expected = {}
        for field, info in model.model_fields.items():
            letter = get_column_letter(headers.index(field) + 1)
            target = REFERENCES.get(section, {}).get(field)
            if (section, field) in VOCABULARIES:
                values = ",".join(VOCABULARIES[(section, field)])
                expected[f"{letter}2:{letter}{last}"] = f'"{values}"'
            elif target and typing.get_origin(info.annotation) is not list:
                expected[f"{letter}2:{letter}{last}"] = target.removesuffix("s") + "_ids"
        found = {cells: dv.formula1 for cells, dv in drop_downs(sheet).items()}
        assert found == expected, section
    # A list of ids in one cell (an event's actors) has none: the list offers one id a cell.
    assert "F2:F2004" not in drop_downs(book["events"])


def test_workbooks_with_and_without_drop_down_lists_read_the_same() -> None:
    assert load_workbook_bytes(small_bytes(), "book.xlsx") == load_dataset(SMALL)

    def without_lists(book: openpyxl.Workbook) -> None:
        for sheet in book:
            sheet.data_validations.dataValidation = []
        for name in list(book.defined_names):
            del book.defined_names[name]

    plain = changed(without_lists)
    assert b"dataValidation" not in b"".join(
        zipfile.ZipFile(io.BytesIO(plain)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(plain)).namelist()
    )
    assert load_workbook_bytes(plain, "book.xlsx") == load_dataset(SMALL)


def test_every_sheet_prints_landscape_fitted_to_the_width_with_its_header_on_every_page() -> None:
    for sheet in small_workbook():
        setup = sheet.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.print_options.gridLines is True, sheet.title
        # Headers in a named font: without a name another program prints them in its fallback.
        font = sheet["A1"].font
        assert (font.name, font.sz, font.b) == ("Calibri", 11, True), sheet.title


def test_rows_are_tall_enough_for_their_wrapped_text() -> None:
    dataset = load_dataset(SMALL)
    description = "word " * 80  # 400 characters, in a column 60 wide: 7 lines of 63
    quote = "first line of the quote\nsecond line\nthird line"  # three lines, none wrapped
    info = dataset.dataset.model_copy(update={"description": description.strip()})
    position = dataset.positions[0].model_copy(update={"quote": quote})
    dataset = dataset.model_copy(
        update={"dataset": info, "positions": [position, *dataset.positions[1:]]}
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(dataset)))
    info_sheet = book["dataset"]
    assert info_sheet.column_dimensions["B"].width == 60
    assert (info_sheet["A5"].value, info_sheet["B5"].alignment.wrap_text) == ("description", True)
    assert info_sheet.row_dimensions[5].height == 15 * 7 + 3
    assert info_sheet.row_dimensions[3].height is None  # the title fits on a line
    positions = book["positions"]
    assert positions.row_dimensions[2].height == 15 * 3 + 3
    assert positions.row_dimensions[3].height is None
    assert load_workbook_bytes(workbook_bytes(dataset), "book.xlsx") == dataset


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 60, 1),
        ("x" * 63, 60, 1),  # 1.1 characters a unit of width, less 3: 63 a line
        ("x" * 64, 60, 2),
        ("a\n\nb", 60, 3),  # an empty line is a line
        ("漢" * 32, 60, 2),  # an ideograph is as wide as two digits
        ("x" * 20, 8, 4),  # 5 a line in the narrowest column
    ],
)
def test_the_lines_a_wrapped_text_takes(text: str, width: float, lines: int) -> None:
    assert _lines(text, width) == lines
