"""The server settings for a public deployment stay as documented."""

from __future__ import annotations

import tomllib
from pathlib import Path

import app_state

ROOT = Path(__file__).resolve().parent.parent


def test_public_deployment_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == app_state.UPLOAD_MAX_BYTES


def test_every_server_setting_says_why():
    lines = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8").splitlines()
    section = ""
    for i, line in enumerate(lines):
        if line.startswith("["):
            section = line
        elif section != "[theme]" and "=" in line and not line.lstrip().startswith("#"):
            previous = lines[i - 1].strip()
            assert "#" in line or previous.startswith("#"), f"no comment for: {line}"


def _make_run(*settings: str) -> str:
    """The command `make run` would start (make prints it without running anything)."""
    import os
    import subprocess

    # Under `make test` make's own settings would print "Entering directory" lines too.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *settings],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    (command,) = [line for line in done.stdout.splitlines() if "streamlit run" in line]
    return command.strip()


def test_make_run_listens_on_this_machine_only_unless_asked():
    assert _make_run().endswith(
        "streamlit run dashboard.py --server.address 127.0.0.1 --server.port 8501 "
        "-- --data data/positions.yaml"
    )
    assert _make_run("HOST=0.0.0.0", "PORT=9000", "DATA=my.xlsx").endswith(
        "--server.address 0.0.0.0 --server.port 9000 -- --data my.xlsx"
    )
    # Community Cloud runs the app itself: the config file must not pin an address.
    assert "address" not in (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")


def _make_command(target: str, *settings: str) -> str:
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target, *settings],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    (command,) = [line for line in done.stdout.splitlines() if "streamlit run" in line]
    return command.strip()


def test_make_curate_listens_on_this_machine_and_codes_the_file_named():
    assert _make_command("curate").endswith(
        "streamlit run dashboard.py --server.address 127.0.0.1 --server.port 8501 "
        "-- --curate --data data/positions.yaml"
    )
    assert _make_command("curate", "DATA=data/my-dataset.yaml", "PORT=9000").endswith(
        "--server.address 127.0.0.1 --server.port 9000 -- --curate --data data/my-dataset.yaml"
    )
    # Without the flag there is no curate page: `make run` never passes it.
    assert "--curate" not in _make_run()
