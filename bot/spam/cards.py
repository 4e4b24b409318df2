"""What the spam filter shows moderators, as plain cards (bot.core.cards) the adapter renders.

The incident post (defanged content without pings, author ages, every copy, score, reasons, decisions)
and the replies of `/spam check`, `/spam settings`, `/spam lists` and `/spam stats`. Pure: no Discord.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from bot.core.cards import Card, Field, Tone
from bot.core.limits import EMBED_FIELD_VALUE, MESSAGE_CONTENT
from bot.core.text import escape_markdown, jump_url, plural, truncate
from bot.spam.config import SpamConfig
from bot.spam.engine import Verdict
from bot.spam.model import Decision, DecisionAction, DomainLists, Incident, IncidentStatus, SpamSettings, SpamStats

CONTENT_LIMIT = 1000  # characters of the message shown in the card
CONTENT_LINES = 15  # lines of the message shown in the card (its line breaks kept)
COPIES_SHOWN = 10
DECISIONS_SHOWN = 8  # the newest ones
FIELD_LIMIT = EMBED_FIELD_VALUE
DOMAINS_LIMIT = 300  # characters: the whole card must stay under Discord's 6,000 per embed
REASONS_IN_DM = 6
LINK_SHOWN = 80  # characters of a link in /spam check
MASK_SHOWN = 40

# Tones: open = warning, deleted or worse = danger, dismissed = success.
OPEN_COLOUR = Tone.WARNING
INFO_COLOUR = Tone.INFO
SPAM_COLOUR = Tone.DANGER
DISMISSED_COLOUR = Tone.SUCCESS
CardField = Field

_SCHEME = re.compile(r"(h)(?:tt|xx)(ps?)(:|\[:\])", re.IGNORECASE)
_DOTTED = re.compile(r"(?<![\w.-])((?:[\w-]+\.)+[a-z\w-]{2,})(?=$|[^\w-])", re.IGNORECASE)
_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")
_MASS_PING = re.compile(r"@(everyone|here)", re.IGNORECASE)
_FENCE = "```"

Resolver = Callable[[str, int], str | None]


def defang(text: str) -> str:
    """Make links unclickable and safe to copy: `hxxps://example[.]com/path`."""
    text = _SCHEME.sub(lambda m: f"{m.group(1)}xx{m.group(2)}{m.group(3)}", text)
    return _DOTTED.sub(lambda m: m.group(1).replace(".", "[.]"), text)


def without_pings(text: str, resolve: Resolver | None = None) -> str:
    """Mentions as plain names (`@Lee`, `#general`) and `@everyone` / `@here` broken with a zero-width space."""

    def name(match: re.Match[str]) -> str:
        kind, ident = match.group(1).replace("!", ""), int(match.group(2))
        found = resolve(kind, ident) if resolve else None
        prefix = "#" if kind == "#" else "@"
        return f"{prefix}{found if found else ident}"

    text = _MENTION.sub(name, text)
    return _MASS_PING.sub(lambda m: "@\u200b" + m.group(1), text)


def code(text: str) -> str:
    """A domain or link shown inline: defanged, in backticks."""
    return f"`{defang(text).replace('`', '')}`"


def quoted_content(
    content: str, resolve: Resolver | None = None, limit: int = CONTENT_LIMIT, lines: int = CONTENT_LINES
) -> str:
    """The message as a code block keeping its line breaks: links defanged, no pings, at most `lines` lines
    and `limit` characters."""
    text = defang(without_pings(content, resolve)).replace(_FENCE, "`\u200b``").strip()
    kept = [line.rstrip() for line in text.splitlines()]
    if len(kept) > lines:
        kept = [*kept[: lines - 1], f"… {plural(len(kept) - lines + 1, 'more line')}"]
    text = truncate("\n".join(kept), limit)
    return f"{_FENCE}\n{text or '(no text)'}\n{_FENCE}"


def describe_age(days: float | None) -> str:
    """`5 minutes`, `7 hours`, `3 days`, `2 years`; `unknown` when None."""
    if days is None:
        return "unknown"
    minutes = max(0.0, days) * 24 * 60
    for size, unit in ((525_600, "year"), (43_200, "month"), (1_440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            return plural(int(minutes // size), unit)
    return "less than a minute"


def timestamp(moment: datetime, style: str = "R") -> str:
    """Discord's timestamp markup, shown in each reader's own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


_DONE = {
    DecisionAction.AUTO_DELETE: "deleted automatically",
    DecisionAction.DISMISS: "dismissed it as not spam",
    DecisionAction.DELETE: "deleted it",
    DecisionAction.TIMEOUT: "deleted it and timed the author out",
    DecisionAction.BAN: "banned the author",
    DecisionAction.TRUST_DOMAIN: "trusted",
    DecisionAction.BLOCK_DOMAIN: "blocked",
}


def describe_decision(decision: Decision) -> str:
    """One line for the card: who did what, with the detail (domain, duration, count) and when."""
    detail = f" ({decision.detail})" if decision.detail else ""
    if decision.moderator_id is None:
        line = f"Deleted automatically{detail}"
    elif decision.action in (DecisionAction.TRUST_DOMAIN, DecisionAction.BLOCK_DOMAIN):
        line = f"<@{decision.moderator_id}> {_DONE[decision.action]} {decision.detail}"
    else:
        line = f"<@{decision.moderator_id}> {_DONE[decision.action]}{detail}"
    return f"{line} {timestamp(decision.decided_at)}"


_STATUS = {
    IncidentStatus.OPEN: "waiting for a moderator",
    IncidentStatus.DISMISSED: "dismissed as not spam",
    IncidentStatus.DELETED: "deleted",
    IncidentStatus.TIMED_OUT: "deleted, author timed out",
    IncidentStatus.BANNED: "author banned",
}


def _clip(lines: list[str], limit: int = FIELD_LIMIT) -> str:
    out: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        more = f"… and {len(lines) - index} more"
        if used + len(line) + 1 > limit - len(more) - 1:
            out.append(more)
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out) or "-"


def incident_card(
    incident: Incident,
    *,
    flag_threshold: float,
    delete_threshold: float,
    resolve: Resolver | None = None,
) -> Card:
    """The incident post: the newest text of the first copy, who posted it where, why, and what was done."""
    auto = incident.has_decision(DecisionAction.AUTO_DELETE)
    title = f"Spam incident #{incident.number}: " + ("deleted automatically" if auto else "flagged for review")
    if incident.status is IncidentStatus.DISMISSED:
        colour = DISMISSED_COLOUR
    elif incident.status is IncidentStatus.OPEN and not auto:
        colour = OPEN_COLOUR
    else:
        colour = SPAM_COLOUR
    first = incident.copies[0] if incident.copies else None
    description = quoted_content(first.content if first else "", resolve)
    author = (
        f"{escape_markdown(incident.author_name) or 'a member whose data was erased'} (<@{incident.author_id}>)\n"
        f"Account: {describe_age(incident.account_age_days)} old · "
        f"joined {describe_age(incident.member_age_days)} ago"
    )
    copy_lines = [
        f"<#{c.channel_id}> · [jump]({jump_url(incident.guild_id, c.channel_id, c.message_id)})"
        + (" · edited" if c.edited else "")
        + (" · deleted" if c.deleted else "")
        for c in incident.copies
    ]
    if len(copy_lines) > COPIES_SHOWN:
        copy_lines = [*copy_lines[:COPIES_SHOWN], f"… and {len(copy_lines) - COPIES_SHOWN} more"]
    copies = "1 copy" if len(incident.copies) == 1 else f"{len(incident.copies)} copies"
    where = f"Where: {copies} in {plural(len(incident.channel_ids), 'channel')}"
    fields = [
        CardField("Author", author),
        CardField(where, _clip(copy_lines)),
        CardField(
            "Score", f"{incident.score:.1f} (flag at {flag_threshold:g}, delete at {delete_threshold:g})", inline=True
        ),
    ]
    if incident.domains:
        domains = [f"`{defang(d)}`" for d in incident.domains]
        fields.append(CardField("Domains", _clip(domains, DOMAINS_LIMIT), inline=True))
    fields.append(CardField("Why", _clip([f"• {r}" for r in incident.reasons] or ["-"])))
    if incident.decisions:
        earlier = len(incident.decisions) - DECISIONS_SHOWN
        lines = [describe_decision(d) for d in incident.decisions[-DECISIONS_SHOWN:]]
        fields.append(CardField("Decisions", _clip([f"… {earlier} earlier", *lines] if earlier > 0 else lines)))
    footer = f"Status: {_STATUS[incident.status]}"
    return Card(title, description, tuple(fields), footer, tone=colour)


DECISION_LABELS = {
    "dismiss": "dismissed as not spam",
    "delete": "deleted",
    "timeout": "deleted + timeout",
    "ban": "banned",
    "auto_delete": "deleted by the filter",
    "trust_domain": "domain trusted",
    "block_domain": "domain blocked",
}


def percent(share: float | None) -> str:
    return "no reviews yet" if share is None else f"{share:.0%}"


def summary_lines(stats: SpamStats) -> list[str]:
    """The figures shown above the chart."""
    return [
        f"Incidents: **{stats.incidents}** ({stats.flagged} flagged, {stats.auto_deleted} deleted automatically), "
        f"{plural(stats.copies, 'message')} in all",
        f"Waiting for review: **{stats.open}**; reviewed: {stats.reviewed}",
        f"Dismissed as not spam: **{percent(stats.dismissed_share)}** of reviewed incidents",
    ]


def decision_lines(stats: SpamStats) -> list[str]:
    return [f"{DECISION_LABELS.get(action, action)}: {count}" for action, count in stats.decisions.items()]


def domain_lines(stats: SpamStats) -> list[str]:
    return [f"`{defang(domain)}`: {count}" for domain, count in stats.top_domains]


_OUTCOME = {"none": "Not flagged", "flag": "Would be flagged for review", "delete": "Would be deleted at once"}


def check_card(verdict: Verdict, config: SpamConfig, *, newcomer: bool = False) -> Card:
    """`/spam check`: what the filter would do with a text, why, and the links it found."""
    auto = "" if config.delete_enabled else ", auto-delete off"
    links = [
        f"`{truncate(defang(link.url), LINK_SHOWN)}` → `{defang(link.registered_domain)}`"
        + (f" (shown as “{truncate(link.masked_text, MASK_SHOWN).replace('`', '')}”)" if link.masked_text else "")
        for link in verdict.links
    ]
    return Card(
        title=_OUTCOME[verdict.action],
        description=f"Score **{verdict.score:.1f}** (flag at {config.flag_threshold:g}, "
        f"delete at {config.delete_threshold:g}{auto})",
        tone=DISMISSED_COLOUR if verdict.action == "none" else OPEN_COLOUR,
        fields=(
            CardField(
                "Why", _clip([f"• {r}" for r in verdict.reason_texts]) if verdict.reasons else "No spam signals."
            ),
            CardField("Links found", _clip(links) if links else "None."),
        ),
        footer=(
            "Checked as the first post of a member who joined minutes ago, with a new account."
            if newcomer
            else "Checked as a post by a regular member; flood and new-member signals need real posts."
        ),
    )


def settings_card(stored: SpamSettings, config: SpamConfig, shipped_names: tuple[str, ...]) -> Card:
    """`/spam settings`: every setting in force, marking the defaults."""

    def mark(value: object) -> str:
        return "" if value is not None else " (default)"

    auto = "on" if config.delete_enabled else "off, except phishing-list links"
    own_names = ", ".join(stored.protected_names) or "none"
    return Card(
        title="Spam filter settings",
        description="Change them with the options of `/spam settings`.",
        tone=INFO_COLOUR,
        fields=(
            CardField("Flag at", f"{config.flag_threshold:g}{mark(stored.flag_threshold)}", inline=True),
            CardField("Delete at", f"{config.delete_threshold:g}{mark(stored.delete_threshold)}", inline=True),
            CardField("Auto-delete", auto + mark(stored.delete_enabled), inline=True),
            CardField(
                "New-member window", f"{config.new_member_days:g} days{mark(stored.new_member_days)}", inline=True
            ),
            CardField(
                "Timeout length", plural(config.timeout_minutes, "minute") + mark(stored.timeout_minutes), inline=True
            ),
            CardField("Exempt roles", ", ".join(f"<@&{r}>" for r in sorted(stored.exempt_role_ids)) or "none"),
            CardField("Exempt channels", ", ".join(f"<#{c}>" for c in sorted(stored.exempt_channel_ids)) or "none"),
            CardField(
                "Protected names",
                truncate(f"Added here: {own_names}\nShipped: {', '.join(shipped_names)}", FIELD_LIMIT),
            ),
        ),
    )


def lists_card(own: DomainLists, *, shipped_allowed: int, shipped_phishing: int, shipped_shorteners: int) -> Card:
    """`/spam lists`: the server's trusted and blocked domains, and the sizes of the shipped lists."""

    def column(domains: tuple[str, ...]) -> str:
        return _clip([f"`{defang(d)}`" for d in domains]) if domains else "none yet"

    return Card(
        title="Spam filter domain lists",
        description="A domain covers its subdomains. Change the lists with `/spam allow`, `/spam block` and "
        "`/spam unlist`.",
        tone=INFO_COLOUR,
        fields=(
            CardField(f"Trusted here ({len(own.allowed)})", column(own.allowed), inline=True),
            CardField(f"Blocked here ({len(own.blocked)})", column(own.blocked), inline=True),
            CardField(
                "Shipped with the bot",
                f"{shipped_allowed} trusted learning and marketing sites\n"
                f"{shipped_phishing} phishing hosts (deleted at once)\n"
                f"{shipped_shorteners} URL shorteners",
            ),
        ),
    )


def stats_card(stats: SpamStats, image: str) -> Card:
    """`/spam stats`: the figures, the decisions, the top domains and the chart attached as `image`."""
    return Card(
        title=f"Spam filter, last {plural(stats.days, 'day')}",
        description="\n".join(summary_lines(stats)),
        tone=INFO_COLOUR,
        fields=(
            CardField("Decisions", _clip(decision_lines(stats)) if stats.decisions else "none yet", inline=True),
            CardField("Top domains", _clip(domain_lines(stats)) if stats.top_domains else "none", inline=True),
        ),
        image=image,
    )


def ban_question(incident: Incident) -> str:
    """The ban confirmation; it speaks of messages only when some are still up."""
    live = len(incident.live_copies)
    name = escape_markdown(incident.author_name) or "this member"
    question = f"Ban **{name}** (<@{incident.author_id}>) from the server?"
    if live:
        question += f" Their {plural(live, 'message')} in this incident will be deleted too."
    return question


def author_notice(server: str, channel: str | None, reasons: tuple[str, ...]) -> str:
    """The DM to a member whose post the filter deleted."""
    where = f"#{channel}" if channel else "a channel"
    why = "\n".join(f"• {reason}" for reason in reasons[:REASONS_IN_DM])
    text = (
        f"Your message in {where} on **{escape_markdown(server)}** was removed by the spam filter because it "
        f"looked like spam:\n{why}\nIf this was a mistake, please tell a moderator; they can see what you posted."
    )
    return truncate(text, MESSAGE_CONTENT)
