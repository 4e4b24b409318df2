"""What a verdict is made of: a named, weighted `Reason`, and the facts the lists give about a link."""

from __future__ import annotations

from dataclasses import dataclass

from bot.spam.links import Link


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind a verdict: a stable `code`, its `weight` in the score, and the `detail`
    a moderator reads, e.g. "lookalike of steam: steamcommunlty.com"."""

    code: str
    weight: float
    detail: str


@dataclass(frozen=True, slots=True)
class LinkFacts:
    """A link with what the lists say about it."""

    link: Link
    trusted: bool  # server allow list or shipped allow list (and not blocked by the server)
    project: bool  # a learner's site on a project host (github.io, vercel.app, ...)
    blocked: bool  # server block list


def show_host(link: Link) -> str:
    """The host as a moderator reads it (no "www.")."""
    return link.host.removeprefix("www.")
