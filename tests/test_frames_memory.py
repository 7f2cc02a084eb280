"""The frames hold only their own columns: no column is a view of a wider block that would keep
the records' Python values (one date per record) alive after the dataset is dropped."""

from __future__ import annotations

import numpy as np

from positions.frames import Frames


def test_no_column_keeps_a_wider_block_alive(small: Frames, bundled: Frames) -> None:
    for frames in (small, bundled):
        for name in ("positions", "sanctions", "events"):
            for column, series in getattr(frames, name).items():
                base = np.asarray(series.array).base if series.dtype == object else None
                wider = isinstance(base, np.ndarray) and base.size > len(series)
                assert not wider, f"{name}.{column} is a view of a block of {base.size} values"
