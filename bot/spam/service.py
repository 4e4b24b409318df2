"""The spam filter's use cases, without Discord: scanning plain message facts, merging a flood into one
incident, the moderators' decisions as guarded transitions, the commands' answers as cards, stats, the
TextScreener port for stories and the data lifecycle (DataOwner).

The adapter (cogs/spam/) turns a discord.Message into `MessageFacts`, calls `scan()` and does what the
`Report` says (post the card, delete the copies); buttons and commands call the rest and render the cards.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from bot.core.cards import Card
from bot.core.clock import Clock
from bot.core.errors import UserError
from bot.core.lifecycle import Forgotten, PostRef
from bot.core.ports import TextScreening
from bot.core.text import person, plural
from bot.spam import cards, effects
from bot.spam.actions import SETTLES_FROM, SpamAction
from bot.spam.config import SpamConfig
from bot.spam.engine import MessageContext, SpamEngine, Verdict, assess_text
from bot.spam.flood import FloodCopy
from bot.spam.lists import shipped_lists
from bot.spam.model import (
    CHART_FILE,
    Answer,
    AutoDeleted,
    Copy,
    Decided,
    DecisionAction,
    Incident,
    IncidentStatus,
    ListName,
    MessageFacts,
    NewIncident,
    Report,
    StatsAnswer,
)
from bot.spam.rules import MessageCounter, engine_config, flood_domains, is_exempt
from bot.spam.stats import render_chart
from bot.spam.store import SpamStorage
from bot.spam.tuning import SettingsRequest, normalise_domain, plan_change

TextLookup = Callable[[int, int], Awaitable[str | None]]
"""(channel id, message id) -> the message's text now, or None when it can't be read."""


class SpamService:
    """One per bot. Holds each server's engine (kept until its settings change; a rebuilt engine keeps the
    floods the old one saw) and the in-memory count of each member's posts."""

    feature = "spam filter"

    def __init__(self, store: SpamStorage, clock: Clock, *, retention_days: int = 30) -> None:
        self.store = store
        self.clock = clock
        self.retention_days = retention_days
        self._engines: dict[int, SpamEngine] = {}
        self._outdated: dict[int, SpamEngine] = {}  # engines whose settings changed: their floods carry over
        self._counter = MessageCounter(clock.now())
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    # -- engines -------------------------------------------------------------------------------

    def restart(self) -> None:
        """After a (re)start of the bot: settings are read afresh."""
        self._engines.clear()
        self._outdated.clear()

    async def engine_for(self, guild_id: int) -> SpamEngine:
        engine = self._engines.get(guild_id)
        if engine is None:
            config = engine_config(await self.store.settings(guild_id), await self.store.domain_lists(guild_id))
            outdated = self._outdated.pop(guild_id, None)
            engine = outdated.reconfigured(config) if outdated is not None else SpamEngine(config)
            self._engines[guild_id] = engine
        return engine

    def settings_changed(self, guild_id: int) -> None:
        engine = self._engines.pop(guild_id, None)
        if engine is not None:
            self._outdated[guild_id] = engine

    # -- scanning ------------------------------------------------------------------------------

    async def scan(self, facts: MessageFacts, earlier_text: TextLookup) -> Report | None:
        """Check one post or edit. None: nothing to do (clean posts touch no disk). Otherwise the incident
        (new or extended: a flood is one incident) to show, and whether to delete its copies."""
        now = self.clock.now()
        seen_before = self._counter.seen_before(
            facts.guild_id, facts.author_id, facts.member_age_days, now, count_this=not facts.edited
        )
        engine = await self.engine_for(facts.guild_id)
        if is_exempt(facts, engine.config):
            return None
        context = MessageContext(
            content=facts.content,
            author_id=facts.author_id,
            channel_id=facts.channel_id,
            guild_id=facts.guild_id,
            timestamp=facts.posted_at,
            account_age_days=facts.account_age_days,
            member_age_days=facts.member_age_days,
            author_message_count=seen_before,
            mention_count=facts.mention_count,
            mentions_everyone=facts.mentions_everyone,
            message_id=facts.message_id,
        )
        verdict = engine.check(context)
        if verdict.action == "none" or facts.staff_channel:
            return None
        async with self._locks[facts.guild_id]:
            return await self._report(facts, verdict, engine, earlier_text)

    async def _report(
        self, facts: MessageFacts, verdict: Verdict, engine: SpamEngine, earlier_text: TextLookup
    ) -> Report | None:
        guild_id = facts.guild_id
        now = self.clock.now()
        domains = flood_domains([(link.registered_domain, link.invite_code) for link in verdict.links])
        incident: Incident | None = None
        if facts.edited:
            found = await self.store.incident_for_message(guild_id, facts.message_id)
            if found is not None and found.status is IncidentStatus.OPEN:
                incident = found
            elif found is not None and found.status is IncidentStatus.DISMISSED and set(domains) <= set(found.domains):
                return None  # a moderator already said this post is fine, and the edit links nowhere new
        if incident is None and verdict.flood_key:
            since = now - timedelta(seconds=engine.config.flood_window_seconds)
            incident = await self.store.open_flood_incident(guild_id, facts.author_id, verdict.flood_key, since)
        earlier = [
            c for c in engine.flood_copies(verdict.flood_key) if c.message_id and c.message_id != facts.message_id
        ]
        listed = await self.store.listed_messages(guild_id, [c.message_id for c in earlier])
        copies = [await self._earlier_copy(c, facts, earlier_text) for c in earlier if c.message_id not in listed]
        copies.append(Copy(facts.channel_id, facts.message_id, facts.content, facts.posted_at, edited=facts.edited))
        reasons = tuple(verdict.reason_texts)
        codes = tuple(r.code for r in verdict.reasons)
        # the post (and the filter's deletion) are jobs, enqueued with the last copy stored
        jobs = partial(effects.on_reported, guild_id, message_id=facts.message_id, delete=verdict.action == "delete")
        if incident is None:
            incident = await self.store.create_incident(
                NewIncident(
                    guild_id=guild_id,
                    author_id=facts.author_id,
                    author_name=facts.author_name,
                    flood_key=verdict.flood_key,
                    action=verdict.action,
                    score=verdict.score,
                    reasons=reasons,
                    reason_codes=codes,
                    domains=domains,
                    account_age_days=facts.account_age_days,
                    member_age_days=facts.member_age_days,
                    first_copy=copies[0],
                ),
                jobs if len(copies) == 1 else None,
            )
            copies = copies[1:]
        for index, copy in enumerate(copies):
            last = jobs if index == len(copies) - 1 else None
            incident = await self.store.add_copy(
                incident.id,
                copy,
                score=verdict.score,
                reasons=reasons,
                reason_codes=codes,
                domains=domains,
                effects=last,
            )
        return Report(incident, delete=verdict.action == "delete", reasons=reasons)

    @staticmethod
    async def _earlier_copy(copy: FloodCopy, facts: MessageFacts, earlier_text: TextLookup) -> Copy:
        """An earlier copy of a flood, with its text as the adapter can read it (else this copy's)."""
        content = await earlier_text(copy.channel_id, copy.message_id)
        posted_at = datetime.fromtimestamp(copy.timestamp, UTC)
        return Copy(copy.channel_id, copy.message_id, content if content is not None else facts.content, posted_at)

    async def auto_deleted(self, incident: Incident, gone: list[int], channel_id: int = 0) -> AutoDeleted:
        """Record the filter's own deletion of these copies; its #mod-log line and (the first time) the
        author's DM are jobs enqueued with the decision."""
        first_time = not incident.has_decision(DecisionAction.AUTO_DELETE)
        now = self.clock.now()
        await self.store.mark_deleted(incident.id, gone, None, now)
        if not gone:
            return AutoDeleted(await self._require(incident.id), None, False)
        count = plural(len(gone), "message")
        line = self.log_line(incident, f"the filter deleted {count}")
        jobs = effects.on_auto_deleted(incident, max(gone), line, tell_author_in=channel_id if first_time else None)
        decided = await self.store.decide(incident.id, None, DecisionAction.AUTO_DELETE, now, count, jobs=jobs)
        assert decided is not None  # not a settling decision: never guarded
        return AutoDeleted(decided, line, first_time)

    # -- incidents -----------------------------------------------------------------------------

    async def _require(self, incident_id: int) -> Incident:
        incident = await self.store.get(incident_id)
        if incident is None:
            raise UserError("I can't find this incident any more.")
        return incident

    async def incident(self, guild_id: int, incident_id: int) -> Incident:
        incident = await self.store.get(incident_id)
        if incident is None or incident.guild_id != guild_id:
            raise UserError("I can't find this incident any more.")
        return incident

    async def incident_card(self, incident: Incident, resolve: cards.Resolver | None = None) -> Card:
        config = (await self.engine_for(incident.guild_id)).config
        return cards.incident_card(
            incident, flag_threshold=config.flag_threshold, delete_threshold=config.delete_threshold, resolve=resolve
        )

    async def set_queue_post(self, incident_id: int, channel_id: int, message_id: int) -> None:
        await self.store.set_queue_post(incident_id, channel_id, message_id)

    async def timeout_minutes(self, guild_id: int) -> int:
        return (await self.engine_for(guild_id)).config.timeout_minutes

    def log_line(self, incident: Incident, what: str) -> str:
        """One #mod-log line about an incident."""
        return f"Spam incident #{incident.number} ({person(incident.author_name, incident.author_id)}): {what}."

    # -- decisions -----------------------------------------------------------------------------

    @staticmethod
    def require_enabled(incident: Incident, action: SpamAction) -> None:
        """Refuse an action the incident no longer allows (its button would be disabled now)."""
        if action.enabled(incident):
            return
        if action in (SpamAction.BAN, SpamAction.CONFIRM_BAN):
            raise UserError(f"{incident.author_name or 'The author'} is already banned.")
        settled = [d for d in incident.decisions if d.action.settles is not None]
        if settled:
            raise UserError(f"Incident #{incident.number} was already settled: {cards.describe_decision(settled[-1])}.")
        raise UserError(f"Incident #{incident.number} has nothing left to {action.label.lower()}.")

    async def mark_deleted(self, incident: Incident, gone: list[int], moderator_id: int | None) -> None:
        await self.store.mark_deleted(incident.id, gone, moderator_id, self.clock.now())

    async def record(
        self,
        incident: Incident,
        action: SpamAction,
        moderator_id: int,
        moderator_name: str,
        what: str,
        detail: str = "",
    ) -> Decided:
        """Store the action's decision in one guarded step: when another moderator settled the incident first,
        nothing is stored and the caller is told what happened instead."""
        decision = action.decision
        if decision is None:
            raise ValueError(f"{action} stores no decision")
        line = self.log_line(incident, f"{person(moderator_name, moderator_id)} {what}")
        jobs = effects.log_line(incident.guild_id, f"spam:{incident.id}:{decision.value}:{detail}", line)
        expected = SETTLES_FROM.get(decision)
        decided = await self.store.decide(
            incident.id, moderator_id, decision, self.clock.now(), detail, expected=expected, jobs=jobs
        )
        if decided is None:
            self.require_enabled(await self._require(incident.id), action)
            raise UserError(f"Incident #{incident.number} changed meanwhile: look at it again.")
        return Decided(decided, line)

    async def list_domain(
        self, incident: Incident, domain: str, action: SpamAction, moderator_id: int, moderator_name: str
    ) -> Decided:
        """Trust domain / Block domain from an incident."""
        which = action.list_name
        if which is None or domain not in incident.domains:
            raise UserError("That domain is not one of this incident's.")
        await self.store.set_domain(incident.guild_id, domain, which, moderator_id, self.clock.now())
        self.settings_changed(incident.guild_id)
        verb = "trusted" if which is ListName.ALLOW else "blocked"
        return await self.record(incident, action, moderator_id, moderator_name, f"{verb} {domain}", detail=domain)

    @staticmethod
    def ban_question(incident: Incident) -> str:
        return cards.ban_question(incident)

    # -- commands ------------------------------------------------------------------------------

    async def check(self, guild_id: int, text: str, *, newcomer: bool) -> Card:
        """`/spam check`: a dry run that leaves no trace in flood tracking."""
        engine = await self.engine_for(guild_id)
        if newcomer:
            verdict = SpamEngine(engine.config).check(
                MessageContext(text, account_age_days=0.2, member_age_days=0.01, author_message_count=0)
            )
        else:
            verdict = engine.assess(text)
        return cards.check_card(verdict, engine.config, newcomer=newcomer)

    async def set_list(
        self, guild_id: int, domain: str, which: ListName | None, moderator_id: int, moderator_name: str
    ) -> Answer:
        """`/spam allow|block|unlist`."""
        value = normalise_domain(domain)
        shown = cards.code(value)
        if which is None:
            before = await self.store.remove_domain(guild_id, value)
            if before is None:
                raise UserError(f"{shown} is on neither of this server's lists.")
            text = f"Took {shown} off the {before.label} list."
        else:
            if (await self.store.domain_lists(guild_id)).list_of(value) is which:
                raise UserError(f"{shown} is already {which.label}.")
            moved_from = await self.store.set_domain(guild_id, value, which, moderator_id, self.clock.now())
            effect = (
                "links to it and its subdomains no longer count against a post"
                if which is ListName.ALLOW
                else "posts linking to it or its subdomains are flagged"
            )
            moved = f" (moved from the {moved_from.label} list)" if moved_from is not None else ""
            text = f"{which.label.capitalize()} {shown}{moved}: {effect}."
        self.settings_changed(guild_id)
        return Answer(text=text, log=f"Spam filter: {person(moderator_name, moderator_id)}: {text}")

    async def listed_domains(self, guild_id: int, typed: str) -> list[str]:
        lists = await self.store.domain_lists(guild_id)
        return [d for d in (*lists.allowed, *lists.blocked) if typed.lower() in d]

    async def lists(self, guild_id: int) -> Card:
        shipped = shipped_lists()
        return cards.lists_card(
            await self.store.domain_lists(guild_id),
            shipped_allowed=len(shipped.allowed),
            shipped_phishing=len(shipped.phishing),
            shipped_shorteners=len(shipped.shorteners),
        )

    async def change_settings(
        self, guild_id: int, request: SettingsRequest, *, reset: bool, moderator_id: int, moderator_name: str
    ) -> Answer:
        """`/spam settings`: show, change or reset."""
        now = self.clock.now()
        if reset:
            if request != SettingsRequest():
                raise UserError("Use reset on its own: it puts every setting back to its default.")
            await self.store.reset_settings(guild_id, moderator_id, now)
            notes: tuple[str, ...] = ("Every setting is back to its default.",)
            logged = "reset the settings"
        else:
            change = plan_change(await self.store.settings(guild_id), request)
            if change.changes:
                await self.store.update_settings(guild_id, moderator_id, now, **change.changes)
            notes = (*change.notes, f"Saved: {change.summary}.") if change.changes else change.notes
            logged = f"changed {change.summary}" if change.changes else ""
        if logged:
            self.settings_changed(guild_id)
        config = (await self.engine_for(guild_id)).config
        card = cards.settings_card(await self.store.settings(guild_id), config, SpamConfig().protected_names)
        log = f"Spam filter: {person(moderator_name, moderator_id)} {logged}." if logged else None
        return Answer(text="\n".join(notes) or None, card=card, log=log)

    async def stats(self, guild_id: int, days: int) -> StatsAnswer:
        """`/spam stats`: the figures of the last `days` days (today included) and the chart."""
        now = self.clock.now()
        today = now.date()
        since = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), tzinfo=now.tzinfo)
        figures = await self.store.stats(guild_id, since, days)
        chart = await asyncio.to_thread(render_chart, figures, today)
        return StatsAnswer(cards.stats_card(figures, CHART_FILE), chart)

    # -- the TextScreener port (stories) -------------------------------------------------------

    def screen_text(self, text: str) -> TextScreening:
        """The shipped filter's view of free text (a story): no server settings, no flood tracking."""
        verdict = assess_text(text)
        return TextScreening(flagged=verdict.action != "none", score=verdict.score, reasons=tuple(verdict.reason_texts))

    # -- data lifecycle (DataOwner) ------------------------------------------------------------

    def stored_data(self) -> str:
        return (
            "The spam filter keeps nothing about ordinary posts. When it flags a post it keeps a copy of the "
            "message, who posted it and what moderators decided; once an incident is decided, the copy of the "
            f"message is erased after {plural(self.retention_days, 'day')} (the decision stays)."
        )

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        """Erase the copies of this member's messages (and their name) in their decided incidents; the
        decisions and counts stay. Open incidents wait for a moderator first."""
        rows, posts = await self.store.forget_member(guild_id, user_id)
        self._counter.forget(guild_id, user_id)
        return Forgotten(self.feature, rows, tuple(PostRef(channel, message) for channel, message in posts))

    async def forget_guild(self, guild_id: int) -> Forgotten:
        rows = await self.store.forget_guild(guild_id)
        self._engines.pop(guild_id, None)
        self._outdated.pop(guild_id, None)
        return Forgotten(self.feature, rows)

    async def purge_expired(self, now: datetime) -> int:
        """ExpiringData: message copies of incidents decided longer ago than the retention period."""
        return await self.purge_expired_copies(now)

    async def purge_expired_copies(self, now: datetime, retention_days: int | None = None) -> int:
        """Erase the message copies of incidents decided more than the retention period ago."""
        days = self.retention_days if retention_days is None else retention_days
        return await self.store.purge_copies_before(now - timedelta(days=days))
