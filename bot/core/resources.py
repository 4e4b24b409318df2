"""Files shipped with coursebot (lessons, domain lists, model weights), read as package resources so an
installed wheel works from any folder. What the bot refreshes at run time lives in the writable data
folder (Settings.data_dir), never in the install."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "data"


def shipped_path(*parts: str) -> Traversable:
    """A shipped file or folder under data/."""
    return files(PACKAGE).joinpath(*parts)


def shipped_text(*parts: str) -> str:
    return shipped_path(*parts).read_text(encoding="utf-8")


def shipped_bytes(*parts: str) -> bytes:
    return shipped_path(*parts).read_bytes()


def source_folder(*parts: str) -> Path | None:
    """The shipped folder as a real path when the install is a plain folder (a checkout or an editable or
    wheel install), else None. Only commands that rebuild shipped files need this."""
    candidate = shipped_path(*parts)
    return candidate if isinstance(candidate, Path) else None


def preferred_text(data_dir: Path | None, *parts: str) -> str:
    """The refreshed copy in `data_dir` when there is one, else the shipped file."""
    if data_dir is not None:
        local = data_dir.joinpath(*parts)
        if local.is_file():
            return local.read_text(encoding="utf-8")
    return shipped_text(*parts)
