"""Loading the shipped domain lists and spam wording from `data/spam/` (once per process).

Files hold one entry a line; blank lines and `#` comments are ignored. The directory can be moved
with the environment variable `COURSEBOT_SPAM_DATA`. `reload()` drops the cache (used after
`coursebot spam update-list`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bot.spam.wording_rules import WordingRule, branch_anchors, build_triggers, parse_wording, split_branches

__all__ = [
    "HostPathList",
    "ShippedLists",
    "WordingRule",
    "branch_anchors",
    "in_domain_set",
    "parent_hosts",
    "parse_wording",
    "read_shipped",
    "shipped_lists",
    "split_branches",
]
PHISHING_FILE = "phishing-domains.txt"
SUSPICIOUS_FILE = "suspicious-domains.txt"
ALLOWED_FILE = "allowed-domains.txt"
SHORTENERS_FILE = "shorteners.txt"
IP_LOGGERS_FILE = "ip-loggers.txt"
SOLICITATION_FILE = "solicitation-domains.txt"
PROFILE_SITES_FILE = "profile-sites.txt"
PROJECT_HOSTS_FILE = "project-hosts.txt"
WORDING_FILE = "spam-wording.txt"


def data_dir() -> Path:
    """The folder of the shipped spam files as a path (`COURSEBOT_SPAM_DATA` moves it)."""
    override = os.environ.get("COURSEBOT_SPAM_DATA")
    if override:
        return Path(override)
    return source_dir()


def source_dir() -> Path:
    """The shipped `data/spam/` folder of this install (where `coursebot spam train` writes)."""
    try:
        from bot.core.resources import source_folder
    except ImportError:
        pass
    else:
        try:
            found = source_folder("spam")
        except (ImportError, OSError, TypeError):
            found = None
        if found is not None:
            return Path(found)
    return Path(__file__).resolve().parents[2] / "data" / "spam"


_WRITABLE: list[Path] = []


def set_data_dir(path: Path | None) -> None:
    """Use `path` (Settings.data_dir) as the writable data folder; refreshed lists live in its
    `spam/` subfolder and are preferred over the shipped ones. Drops the cached lists."""
    _WRITABLE[:] = [Path(path)] if path is not None else []
    reload()


def writable_dir() -> Path:
    """Where `coursebot spam update-list` writes: `<data_dir>/spam/` (default `var/spam/`)."""
    if _WRITABLE:
        base = _WRITABLE[0]
    elif os.environ.get("DATA_DIR"):
        base = Path(os.environ["DATA_DIR"])
    else:
        base = Path(__file__).resolve().parents[2] / "var"
    return base / "spam"


REFRESHABLE = ("phishing-domains.txt", "suspicious-domains.txt")


def read_shipped(name: str) -> bytes | None:
    """Bytes of a shipped file in `data/spam/` (a package resource), or None when it is missing.

    A refreshed phishing or suspicious list in the writable data folder wins over the shipped one.
    `COURSEBOT_SPAM_DATA` moves the whole shipped folder (tests, benchmarks)."""
    if name in REFRESHABLE:
        local = writable_dir() / name
        if local.is_file():
            try:
                return local.read_bytes()
            except OSError:
                pass
    override = os.environ.get("COURSEBOT_SPAM_DATA")
    if not override:
        try:
            from bot.core.resources import shipped_bytes
        except ImportError:
            pass
        else:
            try:
                return shipped_bytes("spam", name)
            except (ImportError, OSError):
                pass
    try:
        return (data_dir() / name).read_bytes()
    except OSError:
        return None


def _lines(name: str) -> list[str]:
    raw = read_shipped(name)
    return raw.decode("utf-8").splitlines(keepends=True) if raw is not None else []


def parse_entries(lines: list[str]) -> list[str]:
    """Entries of list-file lines: stripped, lowercased, without blanks and comments."""
    out = []
    for line in lines:
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            out.append(entry)
    return out


def read_entries(path: Path) -> list[str]:
    """Entries of a list file: stripped, lowercased, without blanks and comments."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            entry = line.split("#", 1)[0].strip().lower()
            if entry:
                out.append(entry)
    return out


@dataclass(frozen=True)
class HostPathList:
    """A list of hosts, some with a path prefix (`bit.ly/abc`), as found in the phishing lists."""

    hosts: frozenset[str]
    paths: tuple[tuple[str, str], ...]  # (host, path prefix starting with "/")

    def __len__(self) -> int:
        return len(self.hosts) + len(self.paths)

    def match(self, host: str, path: str, registered: str = "") -> str | None:
        """The entry matching this host (or a parent domain down to `registered`) or host + path."""
        for probe in parent_hosts(host, registered):
            if probe in self.hosts:
                return probe
        if self.paths:
            lowered = path.lower().rstrip("/")
            for entry_host, prefix in self.paths:
                if host == entry_host and (lowered == prefix or lowered.startswith(prefix + "/")):
                    return f"{entry_host}{prefix}"
        return None


def host_path_list(entries: list[str]) -> HostPathList:
    hosts = set()
    paths = []
    for entry in entries:
        entry = entry.removeprefix("http://").removeprefix("https://").removeprefix("www.")
        if "/" in entry:
            host, _, rest = entry.partition("/")
            paths.append((host, "/" + rest.rstrip("/")))
        else:
            hosts.add(entry.rstrip("."))
    return HostPathList(frozenset(hosts), tuple(paths))


@dataclass(frozen=True)
class ShippedLists:
    """Every list shipped in `data/spam/`, loaded once."""

    phishing: HostPathList
    suspicious: HostPathList
    allowed: frozenset[str]
    shorteners: frozenset[str]
    ip_loggers: frozenset[str]
    solicitation: frozenset[str]
    profile_sites: frozenset[str]
    project_hosts: frozenset[str]
    wording: tuple[WordingRule, ...]
    wording_triggers: Any = field(default=None, compare=False)  # Aho-Corasick automaton: fragment -> rule indexes

    def wording_matches(self, lowered: str) -> list[tuple[WordingRule, str]]:
        """(rule, matched text) for each wording rule matching a lowercased text.

        One Aho-Corasick pass finds where the rules' first words occur; a branch is then only
        matched at those places, so a text costs one C scan plus a few anchored matches.
        """
        if self.wording_triggers is None:
            out = []
            for rule in self.wording:
                m = rule.search(lowered)
                if m:
                    out.append((rule, m.group(0)))
            return out
        found: dict[int, str] = {}
        searched: set[tuple[int, int]] = set()
        for end, (length, word_start, entries) in self.wording_triggers.iter(lowered):
            start = end - length + 1
            if word_start and start > 0 and lowered[start - 1].isalnum():
                continue  # inside a longer word: "our" in "your"
            for rule_index, branch_index, pattern in entries:
                if rule_index in found:
                    continue
                if length:
                    m = pattern.match(lowered, start)
                elif (rule_index, branch_index) in searched:
                    continue
                else:
                    searched.add((rule_index, branch_index))
                    m = pattern.search(lowered)
                if m:
                    found[rule_index] = m.group(0)
        if not found:
            return []
        wording = self.wording
        return [(wording[i], found[i]) for i in sorted(found)]


def _domains(name: str) -> frozenset[str]:
    return frozenset(e.removeprefix("www.") for e in parse_entries(_lines(name)))


@cache
def shipped_lists() -> ShippedLists:
    """The shipped lists (cached for the life of the process; see `reload`)."""
    wording = parse_wording(_lines(WORDING_FILE))
    return ShippedLists(
        phishing=host_path_list(parse_entries(_lines(PHISHING_FILE))),
        suspicious=host_path_list(parse_entries(_lines(SUSPICIOUS_FILE))),
        allowed=_domains(ALLOWED_FILE),
        shorteners=_domains(SHORTENERS_FILE),
        ip_loggers=_domains(IP_LOGGERS_FILE),
        solicitation=_domains(SOLICITATION_FILE),
        profile_sites=_domains(PROFILE_SITES_FILE),
        project_hosts=_domains(PROJECT_HOSTS_FILE),
        wording=wording,
        wording_triggers=build_triggers(wording),
    )


def reload() -> None:
    """Forget the cached lists; the next `shipped_lists()` reads the files again."""
    shipped_lists.cache_clear()


def parent_hosts(host: str, registered: str = "") -> list[str]:
    """`host` and its parent domains, longest first, down to `registered` (or two labels).

    Linear in the host's length: dots are found once and each parent is one slice; hosts longer
    than 253 characters (not valid DNS names) are cut to their last 253."""
    if len(host) > 253:
        host = host[-253:].lstrip(".")
    out = [host]
    floor = len(registered) if registered and host.endswith(registered) else 0
    dots = [i for i, c in enumerate(host) if c == "."]
    # parents keep at least two labels: stop before the last dot
    for i in dots[:-1]:
        rest = len(host) - i - 1
        if floor and rest < floor:
            break
        out.append(host[i + 1 :])
        if floor and rest == floor:
            break
    return out


def in_domain_set(host: str, domains: frozenset[str], registered: str = "") -> bool:
    """True when `host` or a parent domain of it (down to `registered`) is in `domains`."""
    if not domains:
        return False
    return any(probe in domains for probe in parent_hosts(host, registered))
