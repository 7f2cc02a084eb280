"""Run the command line as a curator does: `python -m positions ARGS` from the project's root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m positions ARGS`, with its output as text; never raises on a failing exit."""
    return subprocess.run(
        [sys.executable, "-m", "positions", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
