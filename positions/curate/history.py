"""The curator's steps back. Every action on the working copy (a record added, edited, removed or
reverted to the file, every change discarded) keeps the working copy as it was before it, so
that Undo takes the last action back whole, whatever it was: a record with the actor and topic
created with it, an edit to a record added earlier, the removal of one the file never had.

A working copy is immutable, and the one an action makes shares all but the changed section's
tuple of slots with the one before, so keeping earlier ones costs little; the last `LIMIT` are
kept. The steps live in the curator's session only: a draft restored after a reload has none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from positions.curate.working import WorkingCopy

LIMIT = 50


@dataclass(frozen=True)
class Step:
    """One action, and the working copy as it was before it."""

    what: str  # the action in a few words, as the Undo button names it: "removed record p2"
    before: WorkingCopy


@dataclass(frozen=True)
class History:
    """The actions that can be undone, the latest last."""

    steps: tuple[Step, ...] = ()

    def after(self, what: str, before: WorkingCopy) -> History:
        """The history once an action described by `what` has changed `before`; the oldest
        step is forgotten beyond `LIMIT`."""
        # A fresh copy of the dataclass: it shares the slots, not the dataset and document the
        # old one may have worked out and cached.
        return History((*self.steps, Step(what, replace(before)))[-LIMIT:])

    @property
    def last(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def undone(self) -> tuple[WorkingCopy, History]:
        """The working copy before the last action, and the history without it. Raises
        IndexError when there is nothing to undo."""
        if not self.steps:
            raise IndexError("nothing to undo")
        return self.steps[-1].before, History(self.steps[:-1])
