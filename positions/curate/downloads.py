"""The files the curate page offers for the working copy, one button each, in this order.

A format is a name, a file extension and a function from the working copy to the file's bytes.
To offer another, add one `DownloadFormat` to `DOWNLOADS`: the page draws a button for every
entry, and the tests check every entry's file and button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from positions.curate.save import SaveRefused, file_text
from positions.curate.working import WorkingCopy
from positions.dump import dataset_yaml
from positions.workbook import workbook_bytes


@dataclass(frozen=True)
class DownloadFormat:
    key: str  # names the button's widget
    label: str
    extension: str  # of the file name, without the dot
    mime: str
    help: str
    make: Callable[[WorkingCopy, Path], bytes]  # the working copy and its data file's path
    workbook_help: str = ""  # the help when the data file is a workbook, if it differs

    def help_for(self, working: WorkingCopy) -> str:
        """The button's help for this working copy (a YAML file's or a workbook's)."""
        return self.workbook_help if working.workbook and self.workbook_help else self.help


def yaml_bytes(working: WorkingCopy, data_path: Path) -> bytes:
    """The working copy as the data file would be saved: its comments kept where the changes
    can be spliced in, else the whole dataset written anew."""
    if working.workbook:  # a workbook's own layout is not YAML: the dataset is written anew
        return dataset_yaml(working.dataset).encode("utf-8")
    try:
        return file_text(working, str(data_path), data_path.parent).text.encode("utf-8")
    except SaveRefused:
        # Not expected (the working copy only takes checked records), but a download must
        # still give the curator their work.
        return dataset_yaml(working.dataset).encode("utf-8")


def xlsx_bytes(working: WorkingCopy, data_path: Path) -> bytes:
    """The working copy as an Excel workbook, one sheet per section (see the codebook)."""
    return workbook_bytes(working.dataset)


DOWNLOADS: tuple[DownloadFormat, ...] = (
    DownloadFormat(
        "yaml",
        "Working copy as YAML",
        "yaml",
        "application/x-yaml",
        "The whole dataset with your changes, as the data file would be saved (its comments "
        "kept where the changes can be spliced in). Nothing is written on the server.",
        yaml_bytes,
        "The whole dataset with your changes as a YAML file (the data file is a workbook: a "
        "save writes a workbook). Nothing is written on the server.",
    ),
    DownloadFormat(
        "xlsx",
        "Working copy as a workbook",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "The whole dataset with your changes as an Excel workbook, one sheet per section, to "
        "go on in a spreadsheet. Nothing is written on the server.",
        xlsx_bytes,
    ),
)


def download_name(data_path: Path, download: DownloadFormat) -> str:
    """The file name a download gets: the data file's own name with the format's extension."""
    return f"{data_path.stem}.{download.extension}"
