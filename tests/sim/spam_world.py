"""Shared set-up of the spam filter's SimCord tests: member ages, the incident posts, the posts to send.

SimCord's clock starts when the world is built, so every member is minutes old. The filter reads ages
through `bot.spam.ages.member_ages`, which the `spam` fixture points at a table: the course's members are
long-standing (account 400 days, joined 200 days ago), `spammer` is a newcomer (account 5 hours, joined
20 minutes ago).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import discord
import pytest
import pytest_asyncio
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.spam import ages as spam_ages
from bot.spam.model import Incident
from bot.storage.spam import SpamStore

ESTABLISHED = (400.0, 200.0)
NEWCOMER = (5 / 24, 20 / 1440)

SEO_POST = (
    "Defining the Domains: IT vs. Digital Marketing\n\n"
    "IT, at its core, is concerned with the infrastructure, systems, and processes that enable the storage, "
    "processing, and transmission of digital data. Key responsibilities of IT departments typically include:\n"
    "Network Administration: Ensuring reliable and secure connectivity "
    "[germany phone number list](https://latestdatabase.com/germany-phone-number-list/) managing internet "
    "access, and optimizing network performance.\n"
    "Data Management & Security: Storing, organizing, and protecting digital information, implementing "
    "cybersecurity measures, and ensuring data privacy and compliance."
)
NITRO_POST = (
    "Free Discord Nitro for 3 months, claim before it runs out: [discord.com/nitro](https://dlscord-nitro.gift/claim)"
)
STEAM_POST = "can you check my inventory before I trade? https://stearncommunity.net/id/gaben"
INVITE_POST = "come join our marketing community, way more active than this one: https://discord.gg/abcdEFG"
AIRDROP_POST = "Crypto airdrop is live for everyone! Connect your wallet and claim at https://claim-airdrop.xyz/free"
PHISHING_POST = "gift for you https://steamcommunitty.ru/profiles/765611"
LEARNER_POSTS = (
    "The week 2 reading is here https://www.futurelearn.com/courses/digital-marketing/steps/123 helpful for the quiz",
    "I built my portfolio for the assignment: https://leelearner.github.io/portfolio - feedback welcome!",
    "Finished my landing page project, see https://my-landing-page.vercel.app and tell me what you think",
    "This video explains SEO basics really well https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "Is it even legal under GDPR to buy a germany phone number list for cold calling?",
)


@dataclass
class SpamWorld:
    course: CourseWorld
    spammer: MemberActor
    ages: dict[int, tuple[float, float]] = field(default_factory=dict)

    @property
    def queue(self) -> ChannelHandle:
        return self.course.channel("mod-queue")

    def posts(self) -> list[discord.Message]:
        """The incident posts in #mod-queue, oldest first."""
        return [m for m in self.queue.history() if m.embeds]

    def only_post(self) -> discord.Message:
        posts = self.posts()
        assert len(posts) == 1, [p.embeds[0].title for p in posts]
        return posts[0]

    def store(self) -> SpamStore:
        """A store on the running bot's database (the one of the newest process after a restart)."""
        bot = self.course.env.bot
        assert isinstance(bot, CourseBot)
        return SpamStore(bot.db)

    async def incident(self, number: int = 1) -> Incident:
        """The stored incident (one server per test, so the row id is the incident's number)."""
        found = await self.store().get(number)
        assert found is not None and found.number == number
        return found

    def mod_log(self) -> list[str]:
        return [m.content for m in self.course.channel("mod-log").history()]


def fields(message: discord.Message) -> dict[str, str]:
    embed = message.embeds[0]
    return {f.name or "": f.value or "" for f in embed.fields}


def button(message: discord.Message, label: str) -> discord.Button:
    """The one button with this label on a message."""
    found = [
        item
        for row in message.components
        for item in getattr(row, "children", ())
        if isinstance(item, discord.Button) and item.label == label
    ]
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def message_ids(channel: ChannelHandle) -> set[int]:
    return {m.id for m in channel.history()}


@pytest.fixture
def ages(monkeypatch: pytest.MonkeyPatch) -> dict[int, tuple[float, float]]:
    table: dict[int, tuple[float, float]] = {}

    def member_ages(member: discord.Member, now: datetime) -> tuple[float | None, float | None]:
        return table.get(member.id, ESTABLISHED)

    monkeypatch.setattr(spam_ages, "member_ages", member_ages)
    return table


@pytest_asyncio.fixture
async def spam(course: CourseWorld, ages: dict[int, tuple[float, float]]) -> SpamWorld:
    spammer = course.guild.add_member(course.env.create_user("spammer", global_name="Totally Real"))
    ages[spammer.id] = NEWCOMER
    return SpamWorld(course, spammer, ages)
