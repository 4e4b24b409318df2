"""The import contracts in pyproject.toml hold on the tree, and they would catch a domain module that imports
discord: lint-imports run on a copy of the code, as it is and with one such import added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT)], cwd=tree, env=env, capture_output=True, text=True, timeout=120)


def copy_code(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for package in ("bot", "cogs"):
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "*.sql"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_contracts_hold_and_fail_when_a_domain_module_imports_discord(tmp_path: Path) -> None:
    tree = copy_code(tmp_path)
    kept = lint(tree)
    assert kept.returncode == 0, kept.stdout[-2000:]
    (tree / "bot" / "stories" / "shortcut.py").write_text('"""A shortcut."""\n\nimport discord\n')
    broken = lint(tree)
    assert broken.returncode != 0
    assert "bot.stories is not allowed to import discord" in broken.stdout
