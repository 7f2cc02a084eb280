"""Every word a reader sees for a coded value, defined once: stances, a cell's look, confidence,
statuses, sides and kinds. Views and charts take their labels from here."""

from __future__ import annotations

from positions.frames import CONTESTED
from positions.model import STANCE_LABEL

# A cell shows a stance, or that its sources disagree.
CELL_LABEL: dict[str, str] = {**STANCE_LABEL, CONTESTED: "Contested"}

CONFIDENCE_LABEL = {"stated": "Stated", "inferred": "Inferred"}

SANCTION_STATUS_LABEL = {
    "imposed": "Imposed",
    "waived": "Waived",
    "considered": "Considered only",
    "lifted": "Lifted",
}

EVENT_STATUS_LABEL = {"occurred": "Occurred", "planned": "Planned"}

PROSPECT_LABEL = {
    "borne_out": "Borne out",
    "partly": "Partly",
    "not_borne_out": "Not borne out",
    "condition_unmet": "Condition never arose",
    "open": "Open",
}

# Where a counting unit (a government, a legislature, an organisation) stood on a measure.
SIDE_LABEL = {"for": "For", "against": "Against", "split": "Split inside", "mixed": "Mixed"}


def stance_label(stance: str) -> str:
    """A stance or a cell's look in words: 'lean_oppose' is 'Lean oppose'."""
    return CELL_LABEL.get(stance) or kind_label(stance)


def kind_label(kind: object) -> str:
    """A coded kind in words, capitalised: 'sanctions-action' is 'Sanctions action',
    'company-group' is 'Company (a group)'; '' for none."""
    if not isinstance(kind, str) or not kind:
        return ""
    group = kind.endswith("-group")
    words = kind.removesuffix("-group").replace("-", " ").replace("_", " ")
    words = words[:1].upper() + words[1:]
    return f"{words} (a group)" if group else words


def status_label(status: str) -> str:
    """A sanction's or an event's status in words."""
    return SANCTION_STATUS_LABEL.get(status) or EVENT_STATUS_LABEL.get(status) or kind_label(status)
