"""Coding straight from a source's text: the working copy, checking a record as it is made, the
change summary, the splice-save with its backup, and the draft. Imports no streamlit.

- `working`: `WorkingCopy` (the dataset as loaded plus its changes), `add_record`,
  `replace_record`, `remove_record`, `revert`, `discard_all`, `summary`, `drop_unused` (new
  actors and topics no record uses any more) and `dropped_text`.
- `history`: `History` of `Step`s, the working copies before each action, for Undo.
- `check`: `PositionForm` (with `NewActor`, `NewTopic`), `check_position` -> `Checked` (what is
  missing, each `FieldProblem` on its field), `commit`, `undo`, `unique_id`.
- `save`: `save` (backup, checks, atomic write) -> `Saved`, `SaveRefused`, `splice`,
  `file_text`, `file_changed`, `backup_path`, `curate_dir`.
- `draft`: `write_draft`, `read_draft` -> `Draft`, `discard_draft`, `draft_offer`.
"""

from positions.curate.check import (
    Checked,
    FieldProblem,
    NewActor,
    NewTopic,
    PositionForm,
    check_position,
    commit,
    undo,
    unique_id,
)
from positions.curate.draft import (
    Draft,
    DraftUnreadable,
    discard_draft,
    draft_offer,
    draft_path,
    read_draft,
    write_draft,
)
from positions.curate.history import History, Step
from positions.curate.save import (
    FileText,
    Saved,
    SaveRefused,
    backup_path,
    curate_dir,
    file_changed,
    file_text,
    save,
    splice,
)
from positions.curate.working import (
    EDITABLE,
    Change,
    Slot,
    WorkingCopy,
    add_record,
    discard_all,
    drop_unused,
    dropped_text,
    remove_record,
    replace_record,
    revert,
    summary,
)

__all__ = [
    "EDITABLE",
    "Change",
    "Checked",
    "Draft",
    "DraftUnreadable",
    "FieldProblem",
    "FileText",
    "History",
    "NewActor",
    "NewTopic",
    "PositionForm",
    "SaveRefused",
    "Saved",
    "Slot",
    "Step",
    "WorkingCopy",
    "add_record",
    "backup_path",
    "check_position",
    "commit",
    "curate_dir",
    "discard_all",
    "discard_draft",
    "draft_offer",
    "draft_path",
    "drop_unused",
    "dropped_text",
    "file_changed",
    "file_text",
    "read_draft",
    "remove_record",
    "replace_record",
    "revert",
    "save",
    "splice",
    "summary",
    "undo",
    "unique_id",
    "write_draft",
]
