"""What a run's figures were measured on, for the report's header: the machine, its packages
and browser, and the snapshot of the code that every worker and server of the run uses."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import platform
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.measure import BENCH_DIR, ROOT


def machine() -> dict[str, Any]:
    """The CPU, memory, OS, package versions, Chromium, commit and load of this machine now."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1).strip() if match else platform.processor() or "unknown"
    ram = "unknown"
    with contextlib.suppress(OSError, AttributeError):
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    versions = {}
    for package in ("streamlit", "altair", "pandas", "numpy", "pyarrow", "pydantic", "PyYAML"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    with contextlib.suppress(metadata.PackageNotFoundError):
        versions["playwright"] = metadata.version("playwright")
    chromium = "not found"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        chromium = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    import yaml

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "yaml_c_loader": hasattr(yaml, "CSafeLoader"),
        "chromium": chromium,
        "commit": commit,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average": list(os.getloadavg()),
    }


SNAPSHOT_SKIP = {
    ".git",
    ".venv",
    "tests",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}
CODE_FILES = ("dashboard.py", "app_state.py", "app_pages", "positions", "benchmarks", ".streamlit")


def snapshot(out_dir: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of the code as it is now, which every worker and server of the run uses: the
    working tree may change while a long run goes on, and the figures must be of one version."""
    dest = out_dir / "snapshot"
    if dest.exists():
        shutil.rmtree(dest)
    skip_dirs = {out_dir.resolve(), (BENCH_DIR / "out").resolve()}

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory).resolve()
        return {n for n in names if n in SNAPSHOT_SKIP or (here / n).resolve() in skip_dirs}

    shutil.copytree(ROOT, dest, ignore=ignore)
    digest = hashlib.sha256()
    for name in CODE_FILES:
        path = dest / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(file.relative_to(dest).as_posix().encode())
                digest.update(file.read_bytes())
    changed = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", *CODE_FILES[:4], ".streamlit"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    return dest, {"code_hash": digest.hexdigest()[:12], "uncommitted_app_changes": changed}
