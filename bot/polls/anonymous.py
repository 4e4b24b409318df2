"""Anonymous polls: voted with buttons (or a select for several answers), stored so that no one can tell
who voted what — not the other members, not the moderators, not the server's owner.

They are polls like the others (one table, one numbering; `/poll create anonymous:True` or a weekly schedule
with `anonymous:True`), so `/poll list`, `/poll results`, `/poll export` and the trend show them. Only how a
vote is kept differs. Each anonymous poll gets its own random 256-bit secret. A ballot is stored under
HMAC-SHA256(secret, member id), never under the id, which is enough to allow one vote per member and a
change of mind. While the poll is open the secret sits in the database beside the hashes, so someone who
can read the database file (the bot's operator, not a moderator in Discord) could hash every member's id
and match them; there are few enough ids that the hash alone protects nothing against a reader of the
secret. So when the poll closes, in the same transaction as its totals are kept, the secret AND the
ballots are deleted: afterwards nothing anywhere links a vote to a voter, and only per-answer totals remain.
With `hidden_results` nobody, hosts included, sees counts before the close; without it the post shows live
counts, which move with each vote, so someone watching the count while a friend votes could guess that one
vote: hosts who want none of that choose `hidden_results`.

`AnonymousVoting` is the part of `PollService` (a mixin) that votes and closes anonymous polls; no discord.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import Clock
from bot.core.errors import NotFound, UserError
from bot.core.text import quote_inline
from bot.polls.model import Cast, PollRecord
from bot.polls.store import PollStore

SECRET_BYTES = 32
ECHO = 60
"""An answer echoed in a reply is cut to this many characters."""


def new_secret() -> bytes:
    """A new anonymous poll's own key: 256 random bits."""
    return secrets.token_bytes(SECRET_BYTES)


def voter_key(secret: bytes, user_id: int) -> str:
    """The key a member's ballot is stored under in one poll: HMAC-SHA256 of their id with the poll's secret."""
    return hmac.new(secret, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    poll: PollRecord
    changed: bool
    message: str


def _shown(poll: PollRecord, answer_ids: tuple[int, ...]) -> str:
    labels = [a.label for a in poll.answers if a.answer_id in answer_ids]
    return ", ".join(f"**{quote_inline(label, ECHO)}**" for label in labels) or "nothing"


def _where_results(poll: PollRecord) -> str:
    return "The results were posted under the poll." if poll.results_message_id else ""


class AnonymousVoting:
    """Vote, see one's own vote, close an anonymous poll (recorded by `PollService.record_poll(anonymous=True)`
    before its post). Mixed into PollService."""

    store: PollStore
    clock: Clock

    async def _get(self, poll_id: int) -> PollRecord:
        poll = await self.store.get_poll(poll_id)
        if poll is None or not poll.anonymous:
            raise NotFound(f"There is no anonymous poll #{poll_id}.")
        return poll

    async def anonymous_posted(self, poll_id: int, message_id: int) -> PollRecord:
        await self.store.set_message(poll_id, message_id)
        return await self._get(poll_id)

    async def anonymous_discarded(self, poll_id: int) -> None:
        await self.store.discard(poll_id)

    async def legacy_anonymous(self, poll_id: int, legacy: bool) -> int:
        """The poll number behind a vote button (buttons posted before migration 0008 carry the old number)."""
        if not legacy:
            return poll_id
        found = await self.store.legacy_anonymous(poll_id)
        if found is None:
            raise NotFound(f"There is no anonymous poll #{poll_id}.")
        return found

    async def vote(self, poll_id: int, user_id: int, answer_ids: tuple[int, ...]) -> VoteOutcome:
        """Store (or change) one member's ballot, keyed by a hash, never by their id."""
        poll = await self._get(poll_id)
        valid = {a.answer_id for a in poll.answers}
        chosen = tuple(sorted(set(answer_ids)))
        if not chosen or not set(chosen) <= valid or (len(chosen) > 1 and not poll.multiselect):
            raise UserError("That is not an answer of this poll.")
        secret = await self.store.secret(poll_id)
        outcome = Cast.CLOSED
        if secret is not None:
            outcome = await self.store.cast(poll_id, voter_key(secret, user_id), chosen, self.clock.now())
        if outcome is Cast.CLOSED:
            raise UserError(f"This poll has closed, so votes are no longer counted. {_where_results(poll)}")
        if outcome is Cast.MISSING:
            raise NotFound(f"There is no anonymous poll #{poll_id}.")
        updated = await self._get(poll_id)
        kind = "Your vote" if len(chosen) == 1 else "Your votes"
        changed = outcome is Cast.CHANGED
        message = (
            f"{'Changed. ' if changed else ''}{kind}: {_shown(poll, chosen)}. You can change it until the poll "
            "closes. Nobody, moderators included, can see who voted what."
        )
        return VoteOutcome(updated, changed, message)

    async def my_vote(self, poll_id: int, user_id: int) -> str:
        poll = await self._get(poll_id)
        secret = await self.store.secret(poll_id)
        if secret is None:
            return (
                "This poll has closed. Votes are no longer linked to anyone, not even for you: "
                f"only the totals remain. {_where_results(poll)}"
            )
        chosen = await self.store.ballot(poll_id, voter_key(secret, user_id))
        if chosen is None:
            return "You haven't voted in this poll yet."
        kind = "Your vote" if len(chosen) == 1 else "Your votes"
        return f"{kind}: {_shown(poll, chosen)}. You can change it until the poll closes."

    async def close_anonymous(self, poll: PollRecord, results_due: datetime | None = None) -> PollRecord | None:
        """Close now (time is up, or a host's End): totals kept, secret and ballots deleted. None when it had
        closed already (another close won)."""
        if not await self.store.close_anonymous(poll.id, self.clock.now(), results_due):
            return None
        return await self._get(poll.id)
