"""The datasets a run measures: named sizes, and their files generated once into the run's output
folder and reused while the generator that made them is the same."""

from __future__ import annotations

import json
from pathlib import Path

# Named sizes; anything else is read by benchmarks.generate.parse_size ("50k", "2000").
SIZES: dict[str, int | str] = {
    "1x": "1x",
    "tiny": 1_000,
    "10k": 10_000,
    "100k": 100_000,
    "300k": 300_000,
}


def size_of(label: str) -> int | str:
    """The number of positions a size label stands for, or "1x" for the bundled dataset."""
    from benchmarks.generate import parse_size

    return SIZES.get(label) or parse_size(label)


def dataset_for(label: str, out_dir: Path) -> tuple[Path, int | str]:
    """The dataset file of a size label, generated once and reused while the generator is the
    same (a .meta.json next to it records what made it)."""
    from benchmarks.generate import DEFAULT_SEED, GENERATOR_VERSION, write_dataset

    size = size_of(label)
    path = out_dir / f"positions-{label}.yaml"
    meta_path = path.with_suffix(".meta.json")
    meta = {"positions": size, "seed": DEFAULT_SEED, "version": GENERATOR_VERSION}
    if size == "1x":
        from benchmarks.generate import BUNDLED

        # The bundled data changes by hand, not with the generator's version.
        meta["bundled_mtime_ns"] = BUNDLED.stat().st_mtime_ns
    try:
        if path.exists() and json.loads(meta_path.read_text()) == meta:
            return path, size
    except (OSError, ValueError):
        pass
    write_dataset(size, path)
    meta_path.write_text(json.dumps(meta))
    return path, size


def count_positions(path: Path) -> int:
    """How many positions a dataset file holds (the bundled one has no generated size)."""
    import yaml

    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return len(document.get("positions") or [])
