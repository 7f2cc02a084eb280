"""Every word a reader sees for a coded value, defined once: stances, a cell's look, confidence,
statuses, sides and kinds. Views and charts take their labels from here."""

from __future__ import annotations

from positions.frames import CONTESTED
from positions.model import STANCE_LABEL, EventStatus, ProspectStatus, SanctionStatus


def kind_label(kind: object) -> str:
    """A coded value in words, capitalised: 'sanctions-action' is 'Sanctions action',
    'borne_out' is 'Borne out', 'company-group' is 'Company (a group)'; '' for none."""
    if not isinstance(kind, str) or not kind:
        return ""
    group = kind.endswith("-group")
    words = kind.removesuffix("-group").replace("-", " ").replace("_", " ")
    words = words[:1].upper() + words[1:]
    return f"{words} (a group)" if group else words


# A cell shows a stance, or that its sources disagree.
CELL_LABEL: dict[str, str] = {**STANCE_LABEL, CONTESTED: "Contested"}

CONFIDENCE_LABEL = {"stated": "Stated", "inferred": "Inferred"}

# The codes in words, in the model's order, where the plain words would mislead.
SANCTION_STATUS_LABEL = {s.value: kind_label(s.value) for s in SanctionStatus} | {
    "considered": "Considered only"
}
EVENT_STATUS_LABEL = {s.value: kind_label(s.value) for s in EventStatus}
PROSPECT_LABEL = {s.value: kind_label(s.value) for s in ProspectStatus} | {
    "condition_unmet": "Condition never arose"
}

# Where a counting unit (a government, a legislature, an organisation) stood on a measure.
SIDE_LABEL = {"for": "For", "against": "Against", "split": "Split inside", "mixed": "Mixed"}


def stance_label(stance: str) -> str:
    """A stance or a cell's look in words: 'lean_oppose' is 'Lean oppose'."""
    return CELL_LABEL.get(stance) or kind_label(stance)


def status_label(status: str) -> str:
    """A sanction's or an event's status in words."""
    return SANCTION_STATUS_LABEL.get(status) or EVENT_STATUS_LABEL.get(status) or kind_label(status)
