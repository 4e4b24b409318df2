#!/usr/bin/env python3
"""The two commands a newcomer needs. Each makes `.venv` and installs what it needs on first use.

    python3 dev.py start   run the bot: on Discord when DISCORD_TOKEN is set in .env, else the offline demo
    python3 dev.py test    lint (ruff), type-check (mypy), check the import contracts (import-linter),
                           then run the whole test suite (pytest)

Anything after the command is passed on: `python3 dev.py test -k polls`, `python3 dev.py start --port 9000`.
Only the standard library is used here, so this runs on any Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
EXTRAS = {"start": "demo", "test": "test,demo"}


def ensure_environment(extras: str) -> None:
    """Create .venv and install the project with `extras` unless the same install is already there."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"coursebot needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    print(f"Installing coursebot and its dependencies ({extras}) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "--editable", f".[{extras}]"], check=True, cwd=ROOT)
    stamp.write_text(fingerprint)


def has_token() -> bool:
    if os.environ.get("DISCORD_TOKEN", "").strip():
        return True
    env_file = ROOT / ".env"
    if not env_file.is_file():
        return False
    for line in env_file.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "DISCORD_TOKEN" and value.strip().strip("'\""):
            return True
    return False


def start(args: list[str]) -> int:
    ensure_environment(EXTRAS["start"])
    command = "run" if has_token() else "demo"
    if command == "demo":
        print("No DISCORD_TOKEN in .env: starting the offline demo (see README to connect to Discord).", flush=True)
    return subprocess.call([str(PYTHON), "-m", "bot", command, *args], cwd=ROOT)


def test(args: list[str]) -> int:
    ensure_environment(EXTRAS["test"])
    steps = [
        ("ruff check", [str(PYTHON), "-m", "ruff", "check", "."]),
        ("ruff format --check", [str(PYTHON), "-m", "ruff", "format", "--check", "."]),
        ("mypy", [str(PYTHON), "-m", "mypy"]),
        ("lint-imports (docs/ARCHITECTURE.md's contracts)", [str(BIN / "lint-imports")]),
    ]
    if not args:  # a focused run (`dev.py test -k x`) skips the linters
        for name, command in steps:
            print(f"--- {name}", flush=True)
            if subprocess.call(command, cwd=ROOT) != 0:
                print(f"{name} failed.", file=sys.stderr)
                return 1
    print("--- pytest", flush=True)
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)


def main() -> int:
    commands = {"start": start, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    try:
        return commands[sys.argv[1]](sys.argv[2:])
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
