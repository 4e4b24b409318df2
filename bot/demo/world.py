"""The seeded course server used by the offline demo and by the SimCord tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from simcord.actors import MemberActor
    from simcord.builders import ChannelHandle, GuildHandle, RoleHandle
    from simcord.env import Env

PUBLIC_CHANNELS = ("general", "lessons", "stories", "polls")
STAFF_CHANNELS = ("mod-queue", "mod-log")


@dataclass
class CourseWorld:
    """A course server: channels, the Moderators and Hosts roles, and one member of each kind."""

    env: Env
    guild: GuildHandle
    moderators_role: RoleHandle
    hosts_role: RoleHandle
    admins_role: RoleHandle
    learner: MemberActor
    learner2: MemberActor
    moderator: MemberActor
    host: MemberActor
    admin: MemberActor
    channels: dict[str, ChannelHandle] = field(default_factory=dict)

    def channel(self, name: str) -> ChannelHandle:
        return self.channels[name]

    @property
    def members(self) -> dict[str, MemberActor]:
        return {
            "learner": self.learner,
            "moderator": self.moderator,
            "host": self.host,
            "admin": self.admin,
            "learner2": self.learner2,
        }


def seed_course_server(env: Env, name: str = "Digital Marketing Course") -> CourseWorld:
    """Build the course server. Moderators and Hosts hold no Discord permission: the bot's roles suffice."""
    guild = env.create_guild(name)
    moderators = guild.create_role("Moderators")
    hosts = guild.create_role("Hosts")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    channels = {channel: guild.create_text_channel(channel) for channel in PUBLIC_CHANNELS}
    staff_only: dict = {
        guild.default_role: discord.PermissionOverwrite(view_channel=False),
        moderators: discord.PermissionOverwrite(view_channel=True),
        admins: discord.PermissionOverwrite(view_channel=True),
    }
    if guild.me is not None:  # the bot must see the staff channels to post in them
        staff_only[guild.me] = discord.PermissionOverwrite(view_channel=True)
    for channel in STAFF_CHANNELS:
        channels[channel] = guild.create_text_channel(channel, overwrites=staff_only)
    learner = guild.add_member(env.create_user("learner", global_name="Lee Learner"))
    learner2 = guild.add_member(env.create_user("learner2", global_name="Sam Student"))
    moderator = guild.add_member(env.create_user("moderator", global_name="Mo Moderator"), roles=[moderators])
    host = guild.add_member(env.create_user("host", global_name="Hana Host"), roles=[hosts])
    admin = guild.add_member(env.create_user("admin", global_name="Ada Admin"), roles=[admins])
    return CourseWorld(
        env=env,
        guild=guild,
        moderators_role=moderators,
        hosts_role=hosts,
        admins_role=admins,
        learner=learner,
        learner2=learner2,
        moderator=moderator,
        host=host,
        admin=admin,
        channels=channels,
    )
