"""The spam engine: a message and its context in, a verdict out (score, action, reasons, links).

Pure and fast: no Discord, no I/O after the shipped lists are loaded (once per process). A message
that cannot contain a link costs one regular-expression pre-check plus the flood bookkeeping.

    engine = SpamEngine(SpamConfig())             # one per server, built from its settings
    verdict = engine.check(MessageContext(content=text, author_id=..., channel_id=...))
    if verdict.action != "none": ...              # verdict.reasons explain the score
"""

from __future__ import annotations

import math
import time
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from bot.spam.anchors import masked_reasons
from bot.spam.config import SpamConfig
from bot.spam.context import context_reasons, disguise_reason
from bot.spam.flood import FloodCopy, FloodTracker
from bot.spam.hostmodel import HostModel
from bot.spam.links import EMPTY, Extraction, Link, extract, maybe_has_link
from bot.spam.lists import ShippedLists, in_domain_set, shipped_lists
from bot.spam.lookalike import ProtectedNames
from bot.spam.reasons import LinkFacts, Reason
from bot.spam.signals import LinkSignals
from bot.spam.textmodel import TextModel, shipped_text_model, tokens
from bot.spam.wording import wording_reason

__all__ = ["FloodCopy", "Link", "MessageContext", "Reason", "SpamEngine", "Verdict", "assess_text"]

Action = Literal["none", "flag", "delete"]

MIN_FLOOD_TEXT = 12  # link-free texts shorter than this are not tracked for floods ("ok", "thanks!")
CONTENT_CACHE = 2048  # link-bearing texts whose content-only analysis is remembered (copies in a raid)
CACHED_TEXT_MAX = 2000  # longer texts are analysed afresh every time (bounds the cache's memory)


@dataclass(frozen=True)
class MessageContext:
    """A message to check and what is known about it (unknown values stay None / 0).

    `timestamp` is aware UTC (None = now); ages are in days; `author_message_count` is how many
    messages the member has posted before this one (a link among the first few counts).
    `mention_count` / `mentions_everyone` come from the message's resolved mentions; `@everyone`
    and `<@...>` written in the text are counted too. `message_id` identifies the copy for
    `SpamEngine.flood_copies` (0 when there is none, e.g. in `coursebot spam scan`).
    """

    content: str
    author_id: int = 0
    channel_id: int = 0
    guild_id: int = 0
    timestamp: datetime | None = None
    account_age_days: float | None = None
    member_age_days: float | None = None
    author_message_count: int | None = None
    mention_count: int = 0
    mentions_everyone: bool = False
    message_id: int = 0


@dataclass(frozen=True)
class Verdict:
    """The engine's answer for one message.

    `score` is the sum of the reasons' weights; `action` is "none", "flag" (send to the moderator
    queue) or "delete" (remove at once). `links` are every link found (each with `.url`, `.host`,
    `.registered_domain`, `.masked_text`). `flood_key` groups copies of the same text or link from
    one author: it is the same for every copy, so an incident stored with it can collect later
    copies; `SpamEngine.flood_copies(flood_key)` lists the copies seen. It is None for messages the
    tracker ignores (short link-free texts, exempt authors and channels, `assess_text`).
    A flood itself is signalled by the `flood` (or `cross_post`) reason.
    """

    score: float
    action: Action
    reasons: tuple[Reason, ...]
    links: tuple[Link, ...]
    flood_key: str | None = None

    @property
    def probability(self) -> float:
        """The score as a calibrated probability of spam (0 to 1), fitted out of fold on the course
        messages by `coursebot spam train` (see `models.json`, "calibration")."""
        a, b = _calibration()
        z = max(-40.0, min(40.0, a * self.score + b))
        return 1.0 / (1.0 + math.exp(-z))

    @property
    def reason_texts(self) -> list[str]:
        """The reasons as moderators read them, strongest first."""
        return [r.detail for r in self.reasons]

    @property
    def codes(self) -> list[str]:
        """The reason codes, strongest first."""
        return [r.code for r in self.reasons]

    @property
    def flagged(self) -> bool:
        """True for "flag" and "delete"."""
        return self.action != "none"


_CLEAN = Verdict(0.0, "none", (), ())


def _make_verdict(
    score: float,
    action: Action,
    reasons: tuple[Reason, ...],
    links: tuple[Link, ...],
    key: str | None,
    _new: Any = object.__new__,
) -> Verdict:
    """`Verdict(score, action, reasons, links, key)` without the frozen-dataclass __init__, whose
    `object.__setattr__` per field is slow (hot path): the fields go straight into the instance
    dict, as __init__ would put them. The result is equal to, and behaves as, the normal one."""
    verdict = _new(Verdict)
    fields = verdict.__dict__
    fields["score"] = score
    fields["action"] = action
    fields["reasons"] = reasons
    fields["links"] = links
    fields["flood_key"] = key
    return verdict


def _flood_copy(channel_id: int, message_id: int, author_id: int, timestamp: float) -> FloodCopy:
    """`FloodCopy(...)` without the named tuple's Python-level __new__ (hot path): same object."""
    return _tuple_new(FloodCopy, (channel_id, message_id, author_id, timestamp))


_tuple_new: Any = tuple.__new__
_crc32: Any = zlib.crc32
_wall = time.time


class SpamEngine:
    """Scores messages for one server. Stateful only through its flood tracker.

    Building one is cheap: the shipped lists are loaded once per process and shared. Keep one
    engine per server for as long as its settings stay the same (the flood tracker lives in it);
    after a settings change use `reconfigured(new_config)` to keep the floods seen so far.
    """

    def __init__(
        self,
        config: SpamConfig | None = None,
        *,
        host_model: HostModel | bool | None = True,
        text_model: TextModel | bool | None = True,
        content_cache: int = CONTENT_CACHE,
    ) -> None:
        """`host_model` / `text_model`: True for the shipped models, None for none (rules only),
        or a model of one's own (the quality benchmark passes models trained without the rows it
        scores). `content_cache`: how many link-bearing texts keep their content-only analysis
        (links, per-link, wording and message-model reasons) in an LRU; 0 turns it off."""
        self.config = config or SpamConfig()
        self.lists: ShippedLists = shipped_lists()
        self.protected = ProtectedNames.build(self.config.protected_names)
        self.tracker = FloodTracker(self.config.flood_window_seconds, self.config.flood_max_keys)
        self.signals = LinkSignals(self.config, self.lists, self.protected, host_model)
        self.text_model: TextModel | None = shipped_text_model() if text_model is True else (text_model or None)
        self._models = (host_model, text_model)
        self._cache_size = max(0, content_cache)
        self._exempt = bool(self.config.exempt_user_ids or self.config.exempt_channel_ids)
        # text -> (extraction, facts, reasons that depend on the text alone); least recent first
        self._analyses: OrderedDict[str, tuple[Extraction, list[LinkFacts], tuple[Reason, ...]]] = OrderedDict()

    def reconfigured(self, config: SpamConfig) -> SpamEngine:
        """A new engine with other settings that keeps this one's flood tracker (same window)."""
        engine = SpamEngine(
            config, host_model=self._models[0], text_model=self._models[1], content_cache=self._cache_size
        )
        if config.flood_window_seconds == self.config.flood_window_seconds:
            engine.tracker = self.tracker
        return engine

    # -- public API ------------------------------------------------------------------------------

    def check(self, ctx: MessageContext) -> Verdict:
        """Score one message and remember it for flood detection. Never raises on any text."""
        if self._exempt and (
            ctx.author_id in self.config.exempt_user_ids or ctx.channel_id in self.config.exempt_channel_ids
        ):
            return _CLEAN
        content = ctx.content or ""
        if not maybe_has_link(content):
            if len(content) < MIN_FLOOD_TEXT:
                return _CLEAN
            author_id, timestamp = ctx.author_id, ctx.timestamp
            text = content.strip()  # _text_key, inlined (hot path)
            crc: int = _crc32(text.encode("utf-8", "surrogatepass"))
            key = f"t:{author_id}:{crc.to_bytes(4, 'big').hex()}{len(text):x}"
            now = timestamp.timestamp() if timestamp is not None else _wall()
            copies = self.tracker.record(key, _tuple_new(FloodCopy, (ctx.channel_id, ctx.message_id, author_id, now)))
            if len(copies) == 1:
                return _make_verdict(0.0, "none", (), (), key)  # clean, tracked
            flood = self._flood_reason(copies)
            return self._verdict([flood] if flood else [], (), key)
        return self._assess(ctx, track=True, prechecked=True)

    def flood_copies(self, flood_key: str | None) -> list[FloodCopy]:
        """Copies the tracker saw for a flood key within the window (channel, message id, time)."""
        if not flood_key:
            return []
        return self.tracker.copies(flood_key)

    def assess(self, text: str) -> Verdict:
        """Score a text without context and without touching the flood tracker (a dry run)."""
        return self._assess(MessageContext(content=text or ""), track=False)

    # -- internals -------------------------------------------------------------------------------

    def _assess(self, ctx: MessageContext, *, track: bool, prechecked: bool = False) -> Verdict:
        extraction, facts, found = self._analyse(ctx.content, prechecked)
        reasons: list[Reason] = list(found)
        if facts:
            reasons.extend(
                context_reasons(
                    facts,
                    extraction,
                    self.config,
                    member_age_days=ctx.member_age_days,
                    account_age_days=ctx.account_age_days,
                    author_message_count=ctx.author_message_count,
                    mention_count=ctx.mention_count,
                    mentions_everyone=ctx.mentions_everyone,
                )
            )
        key = None
        if track:
            key, flood = self._track(ctx, facts)
            if flood:
                reasons.append(flood)
        return self._verdict(reasons, extraction.links, key)

    def _analyse(self, content: str, prechecked: bool) -> tuple[Extraction, list[LinkFacts], tuple[Reason, ...]]:
        """What a text alone says: its links, their facts and the reasons that depend only on the
        text and this engine's settings. Remembered per text in a bounded LRU (copies in a raid)."""
        content = content or ""
        cache = self._analyses
        found = cache.get(content)
        if found is not None:
            cache.move_to_end(content)
            return found
        config, lists = self.config, self.lists
        extraction: Extraction = extract(content, prechecked=prechecked) if content else EMPTY
        facts: list[LinkFacts] = self.signals.facts(extraction.links) if extraction.links else []
        reasons: list[Reason] = []
        if facts:
            reasons.extend(self.signals.reasons(facts))
            reasons.extend(masked_reasons(facts, extraction.text, config))
            wording = wording_reason(facts, extraction.text, config, lists)
            if wording:
                reasons.append(wording)
            disguise = disguise_reason(extraction, facts, config)
            if disguise:
                reasons.append(disguise)
            text_reason = None if self._only_server_trusted(facts) else self._text_reason(extraction)
            if text_reason:
                reasons.append(text_reason)
        found = (extraction, facts, tuple(reasons))
        if self._cache_size and len(content) <= CACHED_TEXT_MAX:
            cache[content] = found
            if len(cache) > self._cache_size:
                cache.popitem(last=False)
        return found

    def text_probability(self, extraction: Extraction) -> float | None:
        """The message model's probability that the text around the links is spam."""
        model = self.text_model
        if model is None:
            return None
        return model.probability(tokens(extraction, self.lists.project_hosts, allowed=self.lists.allowed))

    def _only_server_trusted(self, facts: list[LinkFacts]) -> bool:
        """Every link goes to a domain this server's moderators trusted (`/spam allow`, Trust domain): then the
        words around them are not judged. The shipped allow list does not count: a video site is on it, and
        "subscribe to my channel" beside a video link is the self-promotion the message model is there for."""
        allowed = self.config.allowed_domains
        return bool(allowed) and all(
            fact.trusted and in_domain_set(fact.link.host, allowed, fact.link.registered_domain) for fact in facts
        )

    def _text_reason(self, extraction: Extraction) -> Reason | None:
        model = self.text_model
        weight = self.config.weight("spam_text")
        if model is None or not weight:
            return None
        lists = self.lists
        scored = model.scored(tokens(extraction, lists.project_hosts, model.pair_firsts, lists.allowed))
        p = model.probability_of(scored)
        if p < model.lower:
            return None
        words = model.top_words_of(scored)
        shown = ", ".join(f"'{w}'" for w in words) if words else "its wording and links"
        if p >= model.threshold:
            return Reason("spam_text", round(weight, 2), f"message reads like spam ({p:.2f}): {shown}")
        return Reason("spam_text", round(weight * 0.5, 2), f"message reads a little like spam ({p:.2f}): {shown}")

    def _track(self, ctx: MessageContext, facts: list[LinkFacts]) -> tuple[str | None, Reason | None]:
        """Record the message under its flood key: its first untrusted link, else its text."""
        now = ctx.timestamp.timestamp() if ctx.timestamp is not None else _wall()
        first = None
        for fact in facts:
            if not fact.trusted:
                first = fact.link
                break
        if first is not None:
            key = f"l:{ctx.author_id}:{first.host}{first.path.lower()}"
        else:
            key = _text_key(ctx.author_id, ctx.content)
        copies = self.tracker.record(key, _flood_copy(ctx.channel_id, ctx.message_id, ctx.author_id, now))
        return key, self._flood_reason(copies) if len(copies) > 1 else None

    def _flood_reason(self, copies: Sequence[FloodCopy]) -> Reason | None:
        channels = len({c.channel_id for c in copies})
        if channels < 2:
            return None
        config = self.config
        window = _window_text(config.flood_window_seconds)
        if channels >= config.flood_channels:
            return Reason("flood", config.weight("flood"), f"same message in {channels} channels within {window}")
        return Reason("cross_post", config.weight("cross_post"), f"same message in {channels} channels within {window}")

    def _verdict(self, reasons: list[Reason], links: tuple[Link, ...], key: str | None) -> Verdict:
        if not reasons:
            return _make_verdict(0.0, "none", (), links, key)
        config = self.config
        reasons.sort(key=_strongest_first)
        score = round(sum([r.weight for r in reasons]), 2)
        action: Action = "none"
        if score >= config.flag_threshold:
            action = "flag"
        if (config.delete_enabled and score >= config.delete_threshold) or (
            config.delete_phishing and "phishing_list" in [r.code for r in reasons]
        ):
            action = "delete"
        return _make_verdict(score, action, tuple(reasons), links, key)


@lru_cache(maxsize=1)
def _calibration() -> tuple[float, float]:
    from bot.spam.hostmodel import _meta

    found = _meta().get("calibration") or {}
    return float(found.get("a", 2.0)), float(found.get("b", -2.0))


def _text_key(author_id: int, content: str, _crc32: Any = zlib.crc32) -> str:
    """Flood key of a link-free text: "t:<author>:<CRC-32 of the stripped text><its length>".

    Copies pasted by a spammer are identical; CRC-32 plus length is stable across restarts (unlike
    `hash()`); zlib's C CRC-32 is the cheapest stable digest (it runs for every tracked message).
    The CRC (an unsigned 32-bit int) is written as its 4 big-endian bytes in hex: the same 8 digits
    as `f"{crc:08x}"`, a third faster."""
    text = content.strip()
    crc: int = _crc32(text.encode("utf-8", "surrogatepass"))
    return f"t:{author_id}:{crc.to_bytes(4, 'big').hex()}{len(text):x}"


def _strongest_first(reason: Reason) -> float:
    return -reason.weight


@lru_cache(maxsize=16)  # one window per server's settings: formatted once, not per flood copy
def _window_text(seconds: float) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"


_DEFAULT_ENGINE: SpamEngine | None = None


def assess_text(text: str) -> Verdict:
    """Stateless check of a text with the default settings (for stories and `/spam check`)."""
    global _DEFAULT_ENGINE
    if _DEFAULT_ENGINE is None:
        _DEFAULT_ENGINE = SpamEngine()
    return _DEFAULT_ENGINE.assess(text)
