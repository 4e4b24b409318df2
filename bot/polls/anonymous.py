"""Anonymous polls: voted with buttons (or a select for several answers), stored so that no one can tell
who voted what — not the other members, not the moderators, not the server's owner.

How a vote is kept: each poll gets its own random 256-bit secret. A ballot is stored under
HMAC-SHA256(secret, member id), never under the id, which is enough to allow one vote per member and a
change of mind. While the poll is open the secret sits in the database beside the hashes, so someone who
can read the database file (the bot's operator, not a moderator in Discord) could hash every member's id
and match them; there are few enough ids that the hash alone protects nothing against a reader of the
secret. So when the poll closes, in the same transaction as its totals are kept, the secret AND the
ballots are deleted: afterwards nothing anywhere links a vote to a voter, and only per-answer totals remain
(for the results chart, trends and export). With `hidden_results` nobody sees counts before the close;
without it the post shows live counts, which move with each vote, so someone watching the count while a
friend votes could guess that one vote: hosts who want none of that choose `hidden_results`.

`AnonymousPollService` is the use cases (no discord) and the feature's DataOwner.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.cards import Card, Field, Tone
from bot.core.clock import Clock
from bot.core.errors import NotFound, UserError
from bot.core.lifecycle import Forgotten
from bot.core.text import neutralise, plural, quote_inline
from bot.polls.anonymous_store import AnonymousPoll, AnonymousPollStore, Cast, NewAnonymousPoll
from bot.polls.charts import Bar, QuestionWeek, chart_label, percent
from bot.polls.options import DEFAULT_DURATION_HOURS, PollInputError, build_poll

SECRET_BYTES = 32
BAR_WIDTH = 12
ECHO = 60
"""An answer echoed in a reply is cut to this many characters."""
QUESTION_ECHO = 90


def voter_key(secret: bytes, user_id: int) -> str:
    """The key a member's ballot is stored under in one poll: HMAC-SHA256 of their id with the poll's secret."""
    return hmac.new(secret, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    poll: AnonymousPoll
    changed: bool
    message: str


def _shown(poll: AnonymousPoll, positions: tuple[int, ...]) -> str:
    labels = [a.label for a in poll.answers if a.position in positions]
    return ", ".join(f"**{quote_inline(label, ECHO)}**" for label in labels) or "nothing"


def share_base(poll: AnonymousPoll) -> int:
    """What shares are of: voters when each may pick several answers, else all votes."""
    return poll.voters if poll.multiselect else sum(a.count for a in poll.answers)


def count_lines(poll: AnonymousPoll) -> list[str]:
    """One line per answer: a text bar, count and share; the leaders in bold."""
    total = share_base(poll)
    top = max((a.count for a in poll.answers), default=0)
    lines = []
    for answer in poll.answers:
        share = percent(answer.count, total)
        filled = round(BAR_WIDTH * min(share, 100) / 100)
        label = neutralise(answer.label)
        label = f"**{label}**" if top and answer.count == top else label
        lines.append(f"`{'█' * filled}{'░' * (BAR_WIDTH - filled)}` {answer.count} ({share}%) · {label}")
    return lines


class AnonymousPollService:
    """Anonymous polls: create, vote, see one's own vote, close (by time or by a host), results."""

    feature = "anonymous polls"

    def __init__(self, store: AnonymousPollStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # -- life cycle of a poll --------------------------------------------------------------------

    async def create(
        self,
        *,
        guild_id: int,
        channel_id: int,
        created_by: int,
        question: str,
        options: str,
        duration_hours: int = DEFAULT_DURATION_HOURS,
        multiselect: bool = False,
        hidden_results: bool = False,
    ) -> AnonymousPoll:
        """Validate (every problem in one refusal) and store the poll; the adapter posts it, then calls
        `posted()` (or `discard()` when the post failed)."""
        try:
            spec = build_poll(question, options, duration_hours, multiselect)
        except PollInputError as error:
            raise UserError("I didn't post the poll:\n" + "\n".join(f"• {p}" for p in error.problems)) from None
        now = self.clock.now()
        poll_id = await self.store.add_poll(
            NewAnonymousPoll(
                guild_id=guild_id,
                channel_id=channel_id,
                question=spec.question,
                answers=tuple((a.text, a.emoji) for a in spec.answers),
                multiselect=multiselect,
                hidden_results=hidden_results,
                created_by=created_by,
                created_at=now,
                ends_at=now + timedelta(hours=spec.duration_hours),
            ),
            secrets.token_bytes(SECRET_BYTES),
        )
        return await self.get(poll_id)

    async def posted(self, poll_id: int, message_id: int) -> None:
        await self.store.set_message(poll_id, message_id)

    async def discard(self, poll_id: int) -> None:
        await self.store.discard(poll_id)

    async def get(self, poll_id: int) -> AnonymousPoll:
        poll = await self.store.get_poll(poll_id)
        if poll is None:
            raise NotFound(f"There is no anonymous poll #{poll_id}.")
        return poll

    async def vote(self, poll_id: int, user_id: int, positions: tuple[int, ...]) -> VoteOutcome:
        """Store (or change) one member's ballot, keyed by a hash, never by their id."""
        poll = await self.get(poll_id)
        valid = {a.position for a in poll.answers}
        chosen = tuple(sorted(set(positions)))
        if not chosen or not set(chosen) <= valid or (len(chosen) > 1 and not poll.multiselect):
            raise UserError("That is not an answer of this poll.")
        secret = await self.store.secret(poll_id)
        outcome = Cast.CLOSED
        if secret is not None:
            outcome = await self.store.cast(poll_id, voter_key(secret, user_id), chosen, self.clock.now())
        if outcome is Cast.CLOSED:
            raise UserError(f"This poll has closed, so votes are no longer counted. {self._where_results(poll)}")
        if outcome is Cast.MISSING:
            raise NotFound(f"There is no anonymous poll #{poll_id}.")
        updated = await self.get(poll_id)
        kind = "Your vote" if len(chosen) == 1 else "Your votes"
        changed = outcome is Cast.CHANGED
        message = (
            f"{'Changed. ' if changed else ''}{kind}: {_shown(poll, chosen)}. You can change it until the poll "
            "closes. Nobody, moderators included, can see who voted what."
        )
        return VoteOutcome(updated, changed, message)

    async def my_vote(self, poll_id: int, user_id: int) -> str:
        poll = await self.get(poll_id)
        secret = await self.store.secret(poll_id)
        if secret is None:
            return (
                "This poll has closed. Votes are no longer linked to anyone, not even for you: "
                f"only the totals remain. {self._where_results(poll)}"
            )
        positions = await self.store.ballot(poll_id, voter_key(secret, user_id))
        if positions is None:
            return "You haven't voted in this poll yet."
        kind = "Your vote" if len(positions) == 1 else "Your votes"
        return f"{kind}: {_shown(poll, positions)}. You can change it until the poll closes."

    async def close(self, poll_id: int) -> AnonymousPoll | None:
        """Close now (a host's End): the closed poll, or None when it had closed already."""
        await self.get(poll_id)
        if not await self.store.close(poll_id, self.clock.now()):
            return None
        return await self.get(poll_id)

    async def close_due(self) -> list[AnonymousPoll]:
        """Close every poll whose time is up (after a restart too); only the polls this call closed."""
        closed = []
        for poll_id in await self.store.due(self.clock.now()):
            poll = await self.close(poll_id)
            if poll is not None:
                closed.append(poll)
        return closed

    async def next_due(self) -> datetime | None:
        return await self.store.next_due()

    async def seconds_to_next_close(self, longest: timedelta) -> float:
        """How long a timer should wait for the next close: at most `longest`, never negative."""
        due, now = await self.store.next_due(), self.clock.now()
        target = min(due or now + longest, now + longest)
        return max((target - now).total_seconds(), 0.0)

    async def results_posted(self, poll_id: int, message_id: int) -> None:
        await self.store.set_results_message(poll_id, message_id)

    async def closed_polls(self, guild_id: int) -> list[AnonymousPoll]:
        """Closed polls with their per-answer totals, oldest first (for trends and export)."""
        return await self.store.closed_polls(guild_id)

    async def trend_weeks(self, guild_id: int) -> list[QuestionWeek]:
        """The closed polls as trend points for `charts.render_question_trend`, one line per question."""
        return [
            QuestionWeek(poll.created_at.strftime("%b %d"), poll.question, poll.voters, tuple(self.chart_bars(poll)))
            for poll in await self.closed_polls(guild_id)
        ]

    # -- what people see -------------------------------------------------------------------------

    def _where_results(self, poll: AnonymousPoll) -> str:
        return "The results were posted under the poll." if poll.results_message_id else ""

    def poll_card(self, poll: AnonymousPoll) -> Card:
        """The poll post: question, answers, and counts unless they are hidden until the close."""
        how = "Pick several answers in the menu below" if poll.multiselect else "Vote with the buttons below"
        if not poll.is_open:
            state = f"Closed · {plural(poll.voters, 'voter')}. The results are posted below."
            description = "\n".join(count_lines(poll))
        elif poll.hidden_results:
            state = f"{plural(poll.voters, 'voter')} so far · results are hidden until the poll closes"
            description = "\n".join(f"• {neutralise(a.label)}" for a in poll.answers)
        else:
            state = f"{plural(poll.voters, 'voter')} so far"
            description = "\n".join(count_lines(poll))
        return Card(
            title=f"🕶️ {neutralise(poll.question)}",
            description=description,
            fields=(Field("Anonymous", "No one, moderators included, can see who voted what."),),
            footer=f"Anonymous poll #{poll.id} · {state}" + ("" if not poll.is_open else f" · {how}"),
            tone=Tone.INFO if poll.is_open else Tone.NEUTRAL,
            timestamp=poll.ends_at if poll.is_open else poll.closed_at,
        )

    def results_card(self, poll: AnonymousPoll, image: str) -> Card:
        footer = f"Anonymous poll #{poll.id} · final results · {plural(poll.voters, 'voter')}"
        if poll.multiselect:
            footer += " · several answers allowed: shares are of voters"
        return Card(
            title=neutralise(poll.question),
            description="\n".join(count_lines(poll)),
            footer=footer,
            tone=Tone.SUCCESS,
            image=image,
            timestamp=poll.closed_at,
        )

    def posted_message(self, poll: AnonymousPoll, where: str, url: str) -> str:
        return (
            f"Anonymous poll #{poll.id} is up in {where}: {url}\n"
            f"It closes <t:{int(poll.ends_at.timestamp())}:R>; I'll post the results with a chart there."
        )

    def results_heading(self, poll: AnonymousPoll) -> str:
        return f"📊 The anonymous poll is closed. Results of “{quote_inline(poll.question, QUESTION_ECHO)}”:"

    def results_not_posted(self, poll: AnonymousPoll) -> str:
        return f"⚠️ Anonymous poll #{poll.id} closed, but I could not post its results. Its totals are kept."

    def ended_message(self, poll: AnonymousPoll, *, posted: bool) -> str:
        if posted:
            return f"Anonymous poll #{poll.id} is closed; the results are posted below it."
        return f"Anonymous poll #{poll.id} is closed and its totals are kept, but I could not post the results."

    def chart_bars(self, poll: AnonymousPoll) -> list[Bar]:
        return [Bar(chart_label(a.text), a.count) for a in poll.answers]

    def chart_subtitle(self, poll: AnonymousPoll) -> str:
        return f"Final results · {plural(poll.voters, 'voter')} · anonymous"

    # -- data lifecycle (DataOwner) ----------------------------------------------------------------

    def stored_data(self) -> str:
        return (
            "Anonymous polls keep the question, the answers and, once closed, only the total per answer. While a "
            "poll is open your ballot is stored under a keyed hash, never your id; when it closes the key and "
            "every ballot are deleted, so nothing links a vote to anyone. That is also why your votes in anonymous "
            "polls cannot be looked up to erase them."
        )

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        """Nothing to find: ballots are keyed by hashes, never by member ids (see the module docstring)."""
        return Forgotten(self.feature, 0)

    async def forget_guild(self, guild_id: int) -> Forgotten:
        rows, posts = await self.store.forget_guild(guild_id)
        return Forgotten(self.feature, rows, posts)
