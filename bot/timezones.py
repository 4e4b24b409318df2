"""IANA time zone names: validation and autocomplete suggestions."""

from __future__ import annotations

import functools
import zoneinfo


@functools.cache
def all_timezones() -> tuple[str, ...]:
    names = {name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"}
    names -= {n for n in names if n.startswith(("Etc/", "SystemV/", "posix/", "right/"))}
    return tuple(sorted(names))


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def is_timezone(name: str) -> bool:
    """True for an IANA zone name. Looked up in the zone list, never opened as a file (a long or odd name
    would raise OSError)."""
    return name in _known()


def suggest_timezones(query: str, limit: int = 25) -> list[str]:
    """Zones whose name starts with, then contains, the query (case and space insensitive)."""
    needle = query.strip().replace(" ", "_").lower()
    if not needle:
        popular = [
            "UTC",
            "Europe/London",
            "Europe/Berlin",
            "America/New_York",
            "America/Los_Angeles",
            "Asia/Kolkata",
            "Asia/Singapore",
            "Australia/Sydney",
        ]
        return popular[:limit]
    names = all_timezones()
    starts = [n for n in names if n.lower().startswith(needle) or n.lower().split("/")[-1].startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]
