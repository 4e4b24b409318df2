"""The spam filter in the server: scanning posts and edits, the #mod-queue incident buttons, `/spam ...`."""

from __future__ import annotations

import asyncio
import io
import logging
from collections import OrderedDict, defaultdict
from datetime import UTC, datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot import notify
from bot.app import CourseBot
from bot.checks import require
from bot.errors import UserError
from bot.guild_config import Channel
from bot.permissions import Role
from bot.spam import ages
from bot.spam.cards import Resolver, check_card, defang, incident_card, lists_card, plural, settings_card, stats_card
from bot.spam.config import SpamConfig
from bot.spam.engine import MessageContext, SpamEngine, Verdict
from bot.spam.flood import FloodCopy
from bot.spam.lists import shipped_lists
from bot.spam.records import Copy, DecisionAction, Incident, IncidentStatus, ListName, NewIncident, engine_config
from bot.spam.stats import render_chart
from bot.spam.tuning import SettingsRequest, normalise_domain, plan_change
from bot.spam.ui import DomainPicker, IncidentButton, card_embed, confirm_ban_view, incident_view
from bot.storage.spam import SpamStore

log = logging.getLogger(__name__)

SCANNED_TYPES = (discord.MessageType.default, discord.MessageType.reply)
MAX_COUNTED_MEMBERS = 50_000
CHART_FILE = "spam-stats.png"


def _guild(interaction: discord.Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("The spam filter works inside a server: use this there.")
    return interaction.guild


class SpamFilter(commands.Cog):
    """Scans every post and edit; flags spam to #mod-queue with one-click actions; `/spam` for moderators."""

    spam = app_commands.Group(name="spam", description="The link-spam filter (moderators)", guild_only=True)

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot
        self._store: SpamStore | None = None
        self._engines: dict[int, SpamEngine] = {}
        self._outdated: dict[int, SpamEngine] = {}  # engines whose settings changed: their floods carry over
        self._repost_task: asyncio.Task[None] | None = None
        self._counts: OrderedDict[tuple[int, int], int] = OrderedDict()
        self._counting_since = discord.utils.utcnow()
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(IncidentButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(IncidentButton)

    async def restore_state(self) -> None:
        """After a (re)start: read settings afresh, and post incidents that never reached #mod-queue."""
        self._store = SpamStore(self.bot.db)
        self._engines.clear()
        self._outdated.clear()
        self._repost_task = asyncio.create_task(self._post_missing_incidents())

    async def _post_missing_incidents(self) -> None:
        await self.bot.wait_until_ready()  # guilds are known only once the bot is ready
        for incident in await self.store.open_unposted_incidents():
            guild = self.bot.get_guild(incident.guild_id)
            if guild is not None:
                await self.publish(guild, incident)

    @property
    def store(self) -> SpamStore:
        if self._store is None:
            self._store = SpamStore(self.bot.db)
        return self._store

    # -- engines -------------------------------------------------------------------------------

    async def engine_for(self, guild_id: int) -> SpamEngine:
        """The server's engine (settings in `.config`), built from its stored settings and lists once and
        kept until they change; a rebuilt engine keeps the floods the old one saw."""
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

    @staticmethod
    def _scannable(message: discord.Message) -> discord.Member | None:
        """The author, when this is a member's own post in a server (not a bot, webhook or system message)."""
        author = message.author
        if (
            message.guild is None
            or message.webhook_id is not None
            or author.bot
            or author.system
            or message.type not in SCANNED_TYPES
            or not isinstance(author, discord.Member)
        ):
            return None
        return author

    def _messages_before(
        self, member: discord.Member, member_age_days: float | None, now: datetime, *, count_this: bool
    ) -> int | None:
        """How many posts of this member the filter saw before this one; None when it can't know (they
        joined before the filter started counting)."""
        key = (member.guild.id, member.id)
        seen = self._counts.get(key, 0)
        if count_this:
            self._counts[key] = seen + 1
            self._counts.move_to_end(key)
            while len(self._counts) > MAX_COUNTED_MEMBERS:
                self._counts.popitem(last=False)
        else:
            seen = max(0, seen - 1)
        if member_age_days is None or now - timedelta(days=member_age_days) < self._counting_since:
            return None
        return seen

    @staticmethod
    def _exempt(message: discord.Message, member: discord.Member, config: SpamConfig) -> bool:
        channel = message.channel
        parent_id = getattr(channel, "parent_id", None)
        return (
            member.id in config.exempt_user_ids
            or channel.id in config.exempt_channel_ids
            or (parent_id is not None and parent_id in config.exempt_channel_ids)
            or any(member.get_role(role_id) is not None for role_id in config.exempt_role_ids)
        )

    async def _staff_channel(self, message: discord.Message) -> bool:
        """Posts in #mod-queue and #mod-log are moderators discussing spam, never spam themselves."""
        assert message.guild is not None
        for which in (Channel.MOD_QUEUE, Channel.MOD_LOG):
            channel = await self.bot.guild_config.resolve_channel(message.guild, which)
            if channel is not None and message.channel.id == channel.id:
                return True
        return False

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        member = self._scannable(message)
        if member is not None:
            await self.scan(message, member, edited=False)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        message = payload.message
        if payload.cached_message is not None and payload.cached_message.content == message.content:
            return  # an embed unfurled, a pin: the text is the same
        if "content" not in payload.data or message.edited_at is None:
            return  # not an edit by the author
        member = self._scannable(message)
        if member is not None:
            await self.scan(message, member, edited=True)

    async def scan(self, message: discord.Message, member: discord.Member, *, edited: bool) -> Verdict | None:
        """Check one post or edit; report it when the engine says flag or delete. Clean posts touch no disk."""
        guild = member.guild
        now = discord.utils.utcnow()
        account_age, member_age = ages.member_ages(member, now)
        seen_before = self._messages_before(member, member_age, now, count_this=not edited)
        engine = await self.engine_for(guild.id)
        if self._exempt(message, member, engine.config):
            return None
        posted_at = (message.edited_at if edited else message.created_at) or now
        content = message.content
        context = MessageContext(
            content=content,
            author_id=member.id,
            channel_id=message.channel.id,
            guild_id=guild.id,
            timestamp=posted_at,
            account_age_days=account_age,
            member_age_days=member_age,
            author_message_count=seen_before,
            mention_count=len(message.raw_mentions) + len(message.raw_role_mentions),
            mentions_everyone=message.mention_everyone,  # the engine also counts @everyone written in the text
            message_id=message.id,
        )
        verdict = engine.check(context)
        if verdict.action == "none" or await self._staff_channel(message):
            return verdict
        async with self._locks[guild.id]:
            await self._report(message, member, verdict, engine, context, edited=edited)
        return verdict

    async def _report(
        self,
        message: discord.Message,
        member: discord.Member,
        verdict: Verdict,
        engine: SpamEngine,
        context: MessageContext,
        *,
        edited: bool,
    ) -> None:
        """Create or extend the incident (a flood is one incident), delete at the delete level, post it."""
        guild = member.guild
        now = discord.utils.utcnow()
        posted_at = context.timestamp or now
        # Invites are judged by their code, not their domain: trusting discord.gg would mean nothing.
        domains = tuple(dict.fromkeys(link.registered_domain for link in verdict.links if link.invite_code is None))
        incident: Incident | None = None
        if edited:
            found = await self.store.incident_for_message(guild.id, message.id)
            if found is not None and found.status is IncidentStatus.OPEN:
                incident = found
            elif found is not None and found.status is IncidentStatus.DISMISSED and set(domains) <= set(found.domains):
                return  # a moderator already said this post is fine, and the edit links nowhere new
        if incident is None and verdict.flood_key:
            since = now - timedelta(seconds=engine.config.flood_window_seconds)
            incident = await self.store.open_flood_incident(guild.id, member.id, verdict.flood_key, since)
        earlier = [
            copy for copy in engine.flood_copies(verdict.flood_key) if copy.message_id and copy.message_id != message.id
        ]
        listed = await self.store.listed_messages(guild.id, [c.message_id for c in earlier])
        copies = [await self._earlier_copy(guild, copy, message) for copy in earlier if copy.message_id not in listed]
        copies.append(Copy(message.channel.id, message.id, message.content, posted_at, edited=edited))
        reasons = tuple(verdict.reason_texts)
        codes = tuple(r.code for r in verdict.reasons)
        if incident is None:
            incident = await self.store.create_incident(
                NewIncident(
                    guild_id=guild.id,
                    author_id=member.id,
                    author_name=member.display_name,
                    flood_key=verdict.flood_key,
                    action=verdict.action,
                    score=verdict.score,
                    reasons=reasons,
                    reason_codes=codes,
                    domains=domains,
                    account_age_days=context.account_age_days,
                    member_age_days=context.member_age_days,
                    first_copy=copies[0],
                )
            )
            copies = copies[1:]
        for copy in copies:
            incident = await self.store.add_copy(
                incident.id, copy, score=verdict.score, reasons=reasons, reason_codes=codes, domains=domains
            )
        if verdict.action == "delete":
            incident = await self._auto_delete(guild, member, incident, reasons)
        await self.publish(guild, incident)

    async def _earlier_copy(self, guild: discord.Guild, copy: FloodCopy, current: discord.Message) -> Copy:
        """An earlier copy of a flood, with its text from the message cache (or Discord, or this copy's)."""
        posted_at = datetime.fromtimestamp(copy.timestamp, UTC)
        cached = discord.utils.get(self.bot.cached_messages, id=copy.message_id)
        content = cached.content if cached is not None else None
        if content is None:
            channel = guild.get_channel_or_thread(copy.channel_id)
            try:
                if isinstance(channel, discord.abc.Messageable):
                    content = (await channel.fetch_message(copy.message_id)).content
            except discord.HTTPException:
                content = None
        return Copy(copy.channel_id, copy.message_id, content if content is not None else current.content, posted_at)

    async def _auto_delete(
        self, guild: discord.Guild, member: discord.Member, incident: Incident, reasons: tuple[str, ...]
    ) -> Incident:
        first_time = not incident.has_decision(DecisionAction.AUTO_DELETE)
        deleted, problems = await self._delete_copies(guild, incident, by=None)
        for problem in problems:
            await self._log(guild, incident, problem.rstrip("."))
        if not deleted:
            return incident
        incident = await self.store.decide(
            incident.id, None, DecisionAction.AUTO_DELETE, discord.utils.utcnow(), plural(len(deleted), "message")
        )
        await self._log(guild, incident, f"the filter deleted {plural(len(deleted), 'message')}")
        if first_time:
            await self._tell_author(guild, member, incident, reasons)
        return incident

    async def _tell_author(
        self, guild: discord.Guild, member: discord.Member, incident: Incident, reasons: tuple[str, ...]
    ) -> None:
        """Best effort: members may close their DMs."""
        channel = guild.get_channel(incident.copies[-1].channel_id)
        where = f"#{channel.name}" if channel is not None else "a channel"
        why = "\n".join(f"• {reason}" for reason in reasons[:6])
        text = (
            f"Your message in {where} on **{discord.utils.escape_markdown(guild.name)}** was removed by the "
            f"spam filter because it looked like spam:\n{why}\n"
            "If this was a mistake, please tell a moderator; they can see what you posted."
        )
        try:
            await member.send(text[:2000])
        except discord.HTTPException as error:
            log.info("could not DM %s about spam incident %s: %s", member.id, incident.id, error)

    async def _delete_copies(
        self, guild: discord.Guild, incident: Incident, *, by: int | None
    ) -> tuple[list[int], list[str]]:
        """Delete every copy still up; returns the ids gone (also those already deleted) and problems."""
        gone: list[int] = []
        problems: list[str] = []
        for copy in incident.live_copies:
            channel = guild.get_channel_or_thread(copy.channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                gone.append(copy.message_id)
                continue
            try:
                await channel.get_partial_message(copy.message_id).delete()
            except discord.NotFound:
                gone.append(copy.message_id)
            except discord.Forbidden:
                problems.append(
                    f"I can't delete messages in <#{copy.channel_id}>: my role needs Manage Messages there."
                )
            except discord.HTTPException as error:
                problems.append(f"Discord refused to delete a message in <#{copy.channel_id}> ({error.status}).")
            else:
                gone.append(copy.message_id)
        await self.store.mark_deleted(incident.id, gone, by, discord.utils.utcnow())
        return gone, problems

    # -- the incident post ---------------------------------------------------------------------

    @staticmethod
    def _resolver(guild: discord.Guild) -> Resolver:
        def resolve(kind: str, ident: int) -> str | None:
            if kind == "#":
                channel = guild.get_channel(ident)
                return channel.name if channel else None
            if kind == "@&":
                role = guild.get_role(ident)
                return role.name if role else None
            member = guild.get_member(ident)
            return member.display_name if member else None

        return resolve

    async def incident_message(self, guild: discord.Guild, incident: Incident) -> tuple[discord.Embed, discord.ui.View]:
        config = (await self.engine_for(guild.id)).config
        card = incident_card(
            incident,
            flag_threshold=config.flag_threshold,
            delete_threshold=config.delete_threshold,
            resolve=self._resolver(guild),
        )
        return card_embed(card), incident_view(incident)

    async def publish(self, guild: discord.Guild, incident: Incident) -> None:
        """Post the incident to #mod-queue, or edit its post there when it has one."""
        embed, view = await self.incident_message(guild, incident)
        if incident.queue_channel_id is not None and incident.queue_message_id is not None:
            channel = guild.get_channel(incident.queue_channel_id)
            if isinstance(channel, discord.TextChannel):
                try:
                    await channel.get_partial_message(incident.queue_message_id).edit(embed=embed, view=view)
                    return
                except discord.NotFound:
                    pass  # the post was deleted: post it again
        queue = await self.bot.guild_config.resolve_channel(guild, Channel.MOD_QUEUE)
        if queue is None:
            log.warning("spam incident %s in guild %s: no #mod-queue channel to post it in", incident.id, guild.id)
            return
        posted = await notify.send_safely(self.bot, queue, embed=embed, view=view)
        if posted is not None:
            await self.store.set_queue_post(incident.id, queue.id, posted.id)

    # -- buttons -------------------------------------------------------------------------------

    async def on_incident_button(self, interaction: discord.Interaction, action: str, incident_id: int) -> None:
        guild = _guild(interaction)
        incident = await self.store.get(incident_id)
        if incident is None or incident.guild_id != guild.id:
            raise UserError("I can't find this incident any more.")
        if action in ("delete", "timeout", "confirmban"):
            await interaction.response.defer()  # deleting a long flood may take longer than Discord waits
        if action == "ban":
            await self._ask_ban(interaction, incident)
        elif action in ("trust", "block"):
            await self._choose_domain(interaction, incident, ListName.ALLOW if action == "trust" else ListName.BLOCK)
        elif action == "confirmban":
            await self._ban(interaction, guild, incident)
        elif action == "dismiss":
            if incident.status is not IncidentStatus.OPEN:
                raise UserError(f"Incident #{incident.number} was already settled.")
            await self._decided(interaction, guild, incident, DecisionAction.DISMISS, "dismissed it as not spam")
        elif action == "delete":
            deleted, problems = await self._delete_copies(guild, incident, by=interaction.user.id)
            if problems and not deleted:
                raise UserError("\n".join(problems))
            await self._decided(
                interaction,
                guild,
                incident,
                DecisionAction.DELETE,
                f"deleted {plural(len(deleted), 'message')}",
                detail=plural(len(deleted), "message"),
                problems=problems,
            )
        elif action == "timeout":
            await self._timeout(interaction, guild, incident)

    async def _decided(
        self,
        interaction: discord.Interaction,
        guild: discord.Guild,
        incident: Incident,
        action: DecisionAction,
        what: str,
        *,
        detail: str = "",
        problems: list[str] | None = None,
        on_queue_post: bool = True,
    ) -> Incident:
        """Store the decision, log it to #mod-log, and show it on the incident post."""
        incident = await self.store.decide(incident.id, interaction.user.id, action, discord.utils.utcnow(), detail)
        await self._log(guild, incident, f"{interaction.user.display_name} {what}")
        if on_queue_post:
            embed, view = await self.incident_message(guild, incident)
            if interaction.response.is_done():
                await interaction.edit_original_response(embed=embed, view=view)
            else:
                await interaction.response.edit_message(embed=embed, view=view)
            if problems:
                await interaction.followup.send("\n".join(problems), ephemeral=True)
        else:
            await self.publish(guild, incident)
        return incident

    async def _log(self, guild: discord.Guild, incident: Incident, what: str) -> None:
        """One line in #mod-log about an incident."""
        await notify.mod_log(
            self.bot, guild, f"Spam incident #{incident.number} ({incident.author_name}, {incident.author_id}): {what}."
        )

    async def _timeout(self, interaction: discord.Interaction, guild: discord.Guild, incident: Incident) -> None:
        config = (await self.engine_for(guild.id)).config
        member = await self._member(guild, incident.author_id)
        if member is not None:
            try:
                await member.timeout(
                    timedelta(minutes=config.timeout_minutes),
                    reason=f"Spam incident #{incident.number}, by {interaction.user}",
                )
            except discord.Forbidden:
                raise UserError(
                    f"I can't time out {member.display_name}: my role needs the Timeout Members permission "
                    "and must be above theirs."
                ) from None
        deleted, problems = await self._delete_copies(guild, incident, by=interaction.user.id)
        length = plural(config.timeout_minutes, "minute")
        what = f"deleted {plural(len(deleted), 'message')} and timed the author out for {length}"
        if member is None:
            what = f"deleted {plural(len(deleted), 'message')} (the author had left, so no timeout)"
        await self._decided(
            interaction,
            guild,
            incident,
            DecisionAction.TIMEOUT,
            what,
            detail=length if member is not None else "author had left",
            problems=problems,
        )

    @staticmethod
    async def _member(guild: discord.Guild, member_id: int) -> discord.Member | None:
        """The member from the cache or from Discord; None when they left."""
        member = guild.get_member(member_id)
        if member is None:
            try:
                member = await guild.fetch_member(member_id)
            except discord.NotFound:
                return None
        return member

    async def _ask_ban(self, interaction: discord.Interaction, incident: Incident) -> None:
        if incident.status is IncidentStatus.BANNED:
            raise UserError(f"{incident.author_name} is already banned.")
        await interaction.response.send_message(
            f"Ban **{discord.utils.escape_markdown(incident.author_name)}** (<@{incident.author_id}>) from the "
            f"server? Their {plural(len(incident.live_copies), 'message')} in this incident will be deleted too.",
            view=confirm_ban_view(incident),
            ephemeral=True,
        )

    async def _ban(self, interaction: discord.Interaction, guild: discord.Guild, incident: Incident) -> None:
        if incident.status is IncidentStatus.BANNED:
            raise UserError(f"{incident.author_name} is already banned.")
        try:
            await guild.ban(
                discord.Object(incident.author_id),
                reason=f"Spam incident #{incident.number}, by {interaction.user}",
                delete_message_seconds=0,
            )
        except discord.Forbidden:
            raise UserError(
                f"I can't ban {incident.author_name}: my role needs the Ban Members permission and must be above "
                "theirs."
            ) from None
        deleted, problems = await self._delete_copies(guild, incident, by=interaction.user.id)
        await interaction.edit_original_response(
            content=f"Banned {discord.utils.escape_markdown(incident.author_name)} and deleted "
            f"{plural(len(deleted), 'message')}." + ("\n" + "\n".join(problems) if problems else ""),
            view=None,
        )
        await self._decided(
            interaction,
            guild,
            incident,
            DecisionAction.BAN,
            f"banned the author ({plural(len(deleted), 'message')} deleted)",
            detail=f"{plural(len(deleted), 'message')} deleted",
            on_queue_post=False,
        )

    async def _choose_domain(self, interaction: discord.Interaction, incident: Incident, which: ListName) -> None:
        if not incident.domains:
            raise UserError("This incident has no links, so there is no domain to choose.")
        if len(incident.domains) == 1:
            await self._list_domain(interaction, incident, incident.domains[0], which, on_queue_post=True)
            return

        async def chosen(picked: discord.Interaction, domain: str) -> None:
            await self._list_domain(picked, incident, domain, which, on_queue_post=False)

        verb = "trust" if which is ListName.ALLOW else "block"
        await interaction.response.send_message(
            f"Which domain should I {verb}?",
            view=DomainPicker(incident.domains, f"Domain to {verb}", chosen),
            ephemeral=True,
        )

    async def _list_domain(
        self, interaction: discord.Interaction, incident: Incident, domain: str, which: ListName, *, on_queue_post: bool
    ) -> None:
        guild = _guild(interaction)
        await self.store.set_domain(guild.id, domain, which, interaction.user.id, discord.utils.utcnow())
        self.settings_changed(guild.id)
        action = DecisionAction.TRUST_DOMAIN if which is ListName.ALLOW else DecisionAction.BLOCK_DOMAIN
        verb = "trusted" if which is ListName.ALLOW else "blocked"
        if not on_queue_post:
            await interaction.response.edit_message(content=f"{verb.capitalize()} `{defang(domain)}`.", view=None)
        await self._decided(
            interaction,
            guild,
            incident,
            action,
            f"{verb} {domain}",
            detail=domain,
            on_queue_post=on_queue_post,
        )

    # -- commands ------------------------------------------------------------------------------

    @spam.command(name="check", description="Dry run: would the filter flag this text, and why?")
    @app_commands.describe(
        text="The message text to check (nothing is posted or stored)",
        newcomer="Check it as the first post of a member who joined minutes ago (default: a regular)",
    )
    @require(Role.MODERATOR)
    async def check(
        self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 4000], newcomer: bool = False
    ) -> None:
        engine = await self.engine_for(_guild(interaction).id)
        config = engine.config
        if newcomer:  # a throwaway engine, so the dry run leaves no trace in flood tracking
            verdict = SpamEngine(config).check(
                MessageContext(text, account_age_days=0.2, member_age_days=0.01, author_message_count=0)
            )
        else:
            verdict = engine.assess(text)
        card = check_card(verdict, config, newcomer=newcomer)
        await interaction.response.send_message(embed=card_embed(card), ephemeral=True)

    async def _set_list(self, interaction: discord.Interaction, domain: str, which: ListName | None) -> None:
        guild = _guild(interaction)
        value = normalise_domain(domain)
        now = discord.utils.utcnow()
        if which is None:
            before = await self.store.remove_domain(guild.id, value)
            if before is None:
                raise UserError(f"`{defang(value)}` is on neither of this server's lists.")
            text = f"Took `{defang(value)}` off the {before.label} list."
        else:
            if (await self.store.domain_lists(guild.id)).list_of(value) is which:
                raise UserError(f"`{defang(value)}` is already {which.label}.")
            before = await self.store.set_domain(guild.id, value, which, interaction.user.id, now)
            effect = (
                "links to it and its subdomains no longer count against a post"
                if which is ListName.ALLOW
                else "posts linking to it or its subdomains are flagged"
            )
            moved = f" (moved from the {before.label} list)" if before is not None else ""
            text = f"{which.label.capitalize()} `{defang(value)}`{moved}: {effect}."
        self.settings_changed(guild.id)
        await interaction.response.send_message(text, ephemeral=True)
        await notify.mod_log(self.bot, guild, f"Spam filter: {interaction.user.display_name}: {text}")

    @spam.command(name="allow", description="Trust a domain: links to it never raise a flag by domain alone")
    @app_commands.describe(domain="A domain such as example.com (covers its subdomains)")
    @require(Role.MODERATOR)
    async def allow(self, interaction: discord.Interaction, domain: app_commands.Range[str, 1, 300]) -> None:
        await self._set_list(interaction, domain, ListName.ALLOW)

    @spam.command(name="block", description="Block a domain: posts linking to it are flagged")
    @app_commands.describe(domain="A domain such as example.com (covers its subdomains)")
    @require(Role.MODERATOR)
    async def block(self, interaction: discord.Interaction, domain: app_commands.Range[str, 1, 300]) -> None:
        await self._set_list(interaction, domain, ListName.BLOCK)

    @spam.command(name="unlist", description="Take a domain off this server's trusted or blocked list")
    @app_commands.describe(domain="The domain to take off")
    @require(Role.MODERATOR)
    async def unlist(self, interaction: discord.Interaction, domain: app_commands.Range[str, 1, 300]) -> None:
        await self._set_list(interaction, domain, None)

    @unlist.autocomplete("domain")
    async def _listed_domains(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        lists = await self.store.domain_lists(interaction.guild.id)
        found = [d for d in (*lists.allowed, *lists.blocked) if current.lower() in d]
        return [app_commands.Choice(name=d[:100], value=d[:100]) for d in found[:25]]

    @spam.command(name="lists", description="Show this server's trusted and blocked domains")
    @require(Role.MODERATOR)
    async def lists(self, interaction: discord.Interaction) -> None:
        shipped = shipped_lists()
        card = lists_card(
            await self.store.domain_lists(_guild(interaction).id),
            shipped_allowed=len(shipped.allowed),
            shipped_phishing=len(shipped.phishing),
            shipped_shorteners=len(shipped.shorteners),
        )
        await interaction.response.send_message(embed=card_embed(card), ephemeral=True)

    @spam.command(name="settings", description="Show or change the spam filter settings")
    @app_commands.describe(
        flag_threshold="Score from which a post goes to #mod-queue",
        delete_threshold="Score from which a post is deleted at once (when auto_delete is on)",
        auto_delete="Delete posts at the delete threshold (phishing-list links are always deleted)",
        new_member_days="Days after joining during which a link counts as a new member's",
        timeout_minutes="Length of the timeout given by the Delete + timeout button",
        exempt_role="Never scan members with this role",
        unexempt_role="Scan members with this role again",
        exempt_channel="Never scan posts in this channel",
        unexempt_channel="Scan posts in this channel again",
        protect_name="A name whose lookalike domains count as spam (e.g. your course's site)",
        unprotect_name="Stop protecting a name you added",
        reset="Put every setting back to its default (domain lists stay)",
    )
    @require(Role.MODERATOR)
    async def settings(
        self,
        interaction: discord.Interaction,
        flag_threshold: app_commands.Range[float, 0.1, 100.0] | None = None,
        delete_threshold: app_commands.Range[float, 0.1, 100.0] | None = None,
        auto_delete: bool | None = None,
        new_member_days: app_commands.Range[float, 0.0, 365.0] | None = None,
        timeout_minutes: app_commands.Range[int, 1, 40_320] | None = None,
        exempt_role: discord.Role | None = None,
        unexempt_role: discord.Role | None = None,
        exempt_channel: discord.TextChannel | None = None,
        unexempt_channel: discord.TextChannel | None = None,
        protect_name: app_commands.Range[str, 2, 63] | None = None,
        unprotect_name: str | None = None,
        reset: bool = False,
    ) -> None:
        guild = _guild(interaction)
        if exempt_role is not None and exempt_role.is_default():
            raise UserError("Exempting @everyone would switch the filter off: pick a smaller role.")
        request = SettingsRequest(
            flag_threshold=flag_threshold,
            delete_threshold=delete_threshold,
            delete_enabled=auto_delete,
            new_member_days=new_member_days,
            timeout_minutes=timeout_minutes,
            exempt_role=exempt_role.id if exempt_role else None,
            unexempt_role=unexempt_role.id if unexempt_role else None,
            exempt_channel=exempt_channel.id if exempt_channel else None,
            unexempt_channel=unexempt_channel.id if unexempt_channel else None,
            protect_name=protect_name,
            unprotect_name=unprotect_name,
        )
        now = discord.utils.utcnow()
        if reset:
            if request != SettingsRequest():
                raise UserError("Use reset on its own: it puts every setting back to its default.")
            await self.store.reset_settings(guild.id, interaction.user.id, now)
            notes: tuple[str, ...] = ("Every setting is back to its default.",)
            logged = "reset the settings"
        else:
            change = plan_change(await self.store.settings(guild.id), request)
            if change.changes:
                await self.store.update_settings(guild.id, interaction.user.id, now, **change.changes)
            notes = (*change.notes, f"Saved: {change.summary}.") if change.changes else change.notes
            logged = f"changed {change.summary}" if change.changes else ""
        if logged:
            self.settings_changed(guild.id)
            await notify.mod_log(self.bot, guild, f"Spam filter: {interaction.user.display_name} {logged}.")
        config = (await self.engine_for(guild.id)).config
        card = settings_card(await self.store.settings(guild.id), config, SpamConfig().protected_names)
        await interaction.response.send_message(
            content="\n".join(notes) or None, embed=card_embed(card), ephemeral=True
        )

    @spam.command(name="stats", description="Spam incidents and decisions over the last days, with a chart")
    @app_commands.describe(days="How many days back (default 30)")
    @require(Role.MODERATOR)
    async def stats(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 30) -> None:
        guild = _guild(interaction)
        await interaction.response.defer(thinking=True, ephemeral=True)
        now = discord.utils.utcnow()
        today = now.date()
        since = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), tzinfo=now.tzinfo)
        figures = await self.store.stats(guild.id, since, days)
        png = await asyncio.to_thread(render_chart, figures, today)
        await interaction.followup.send(
            embed=card_embed(stats_card(figures, CHART_FILE)),
            file=discord.File(io.BytesIO(png), filename=CHART_FILE),
            ephemeral=True,
        )


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(SpamFilter(bot))
