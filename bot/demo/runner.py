"""`coursebot demo`: the real bot in SimCord's in-memory Discord, served to a browser on loopback.

A Preview shows one channel and its clock stands still, so a small terminal menu switches channel and
viewer (reopening the page on the same port) and advances the simulated clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import simcord

from bot.app import create_bot
from bot.config import Settings
from bot.demo.world import CourseWorld, seed_course_server

log = logging.getLogger("coursebot.demo")

WELCOME = (
    "Welcome to the course server! This is the offline demo of the course bot: everything here runs on your "
    "machine. Type `/` in the box below to see the commands (try `/help`), and switch who you are with the "
    "viewer picker or the terminal menu."
)
CHANNEL_HINTS = {
    "lessons": "Read the course here: `/lesson show`, `/lesson search`, `/lesson list`, `/progress`.",
    "stories": "Published learner stories appear here. Share yours with `/story share`.",
    "polls": "Hosts: `/poll create` or `/poll schedule` a weekly poll; everyone votes here.",
    "mod-queue": "Stories waiting for review and flagged posts arrive here, with one-click actions.",
    "mod-log": "Every moderation decision is logged here.",
}
ADVANCES = {"h": (3600, "an hour"), "d": (86400, "a day"), "w": (7 * 86400, "a week")}
VIEWER_ORDER = ("learner", "moderator", "host", "admin")


def menu_text(world: CourseWorld, channel: str, viewer: str) -> str:
    channels = " ".join(world.channels)
    return (
        f"\nShowing #{channel} as {viewer}. Type a letter and Enter:\n"
        f"  c NAME  switch channel ({channels})\n"
        f"  v NAME  switch viewer ({' '.join(VIEWER_ORDER)})\n"
        "  h / d / w  advance the simulated clock an hour / a day / a week\n"
        "  r  refresh the page    q  quit (or Ctrl-C, or 'End preview session' in the page)"
    )


@dataclass
class DemoState:
    channel: str = "general"
    viewer: str = "learner"


class LineReader:
    """Lines typed in the terminal, without a blocking thread (falls back to one where needed)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._fd: int | None = None
        try:
            self._fd = sys.stdin.fileno()
            self._loop.add_reader(self._fd, self._on_readable)
        except (NotImplementedError, OSError, ValueError, AttributeError):
            self._fd = None
            import threading

            threading.Thread(target=self._read_blocking, daemon=True).start()

    def _on_readable(self) -> None:
        line = sys.stdin.readline()
        if not line:  # end of input: stop listening, keep serving
            self.close()
            return
        self.queue.put_nowait(line.strip())

    def _read_blocking(self) -> None:
        for line in sys.stdin:
            self._loop.call_soon_threadsafe(self.queue.put_nowait, line.strip())

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self._fd)
            self._fd = None


def viewers_for(world: CourseWorld, channel_name: str, first: str) -> list[simcord.MemberActor]:
    """Members who can read the channel, the chosen one first when allowed."""
    guild = world.env.bot.get_guild(world.guild.id)
    assert guild is not None
    channel = guild.get_channel(world.channel(channel_name).id)
    allowed = []
    for name in VIEWER_ORDER:
        actor = world.members[name]
        member = guild.get_member(actor.id)
        if channel is not None and member is not None and channel.permissions_for(member).read_message_history:
            allowed.append(actor)
    allowed.sort(key=lambda actor: actor.name != first)
    return allowed


async def run_demo(settings: Settings, *, port: int, menu: bool = True) -> int:
    """Run the demo until the page ends the session, `q`, Ctrl-C or SIGTERM. Returns the exit code."""
    for noisy in ("discord.client", "discord.state", "discord.gateway"):
        logging.getLogger(noisy).setLevel(logging.ERROR)  # voice and intent notes that mean nothing offline
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    with tempfile.TemporaryDirectory(prefix="coursebot-demo-") as tmp:
        demo_settings = settings.with_changes(token=None, database_path=Path(tmp) / "demo.db", dev_guild_id=None)
        bot = create_bot(demo_settings)
        try:
            async with simcord.run(bot, check_errors=False, settle_timeout=30) as env:
                world = seed_course_server(env)
                await world.host.send(world.channel("general"), WELCOME)
                for channel, hint in CHANNEL_HINTS.items():
                    author = world.admin if channel.startswith("mod-") else world.host
                    await author.send(world.channel(channel), hint)
                reader = LineReader() if menu and sys.stdin is not None and sys.stdin.isatty() else None
                await serve(world, port=port, reader=reader, stop=stop)
        finally:
            await bot.db.close()
    print("Demo stopped.", flush=True)
    return 0


async def serve(world: CourseWorld, *, port: int, reader: LineReader | None, stop: asyncio.Event) -> None:
    """Serve the Preview until the demo ends, reopening it on the same port when the menu asks."""
    env = world.env
    state = DemoState()
    try:
        while not stop.is_set():
            viewers = viewers_for(world, state.channel, state.viewer)
            preview = env.preview(world.channel(state.channel), viewers=viewers, layout="channel", port=port)
            async with preview:
                port = urlsplit(preview.url).port or port  # reopen on the same port
                print(f"\nOpen the demo in your browser: {preview.url}", flush=True)
                if reader:
                    print(menu_text(world, state.channel, viewers[0].name), flush=True)
                reopen = await wait_for_action(world, preview, reader, state, stop)
            if not reopen:
                break
    finally:
        if reader:
            reader.close()


async def wait_for_action(
    world: CourseWorld,
    preview: simcord.Preview,
    reader: LineReader | None,
    state: DemoState,
    stop: asyncio.Event,
) -> bool:
    """Handle menu lines until the page must be reopened (True) or the demo ends (False)."""
    closed = asyncio.ensure_future(preview.wait_closed())
    stopped = asyncio.ensure_future(stop.wait())
    try:
        while True:
            line_task = asyncio.ensure_future(reader.queue.get()) if reader else None
            waiting = {closed, stopped} | ({line_task} if line_task else set())
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if line_task is not None and line_task not in done:
                line_task.cancel()
            if closed in done or stopped in done:
                return False
            assert line_task is not None
            line = line_task.result()
            if line is None:
                continue
            outcome = await handle_line(world, preview, state, line)
            if outcome is not None:
                return outcome
    finally:
        for task in (closed, stopped):
            task.cancel()


async def handle_line(world: CourseWorld, preview: simcord.Preview, state: DemoState, line: str) -> bool | None:
    """One menu command: True to reopen the page, False to quit, None to keep going."""
    command, _, argument = line.partition(" ")
    command, argument = command.lower(), argument.strip().lstrip("#").lower()
    if command == "q":
        return False
    if command == "c":
        if argument not in world.channels:
            print(f"Which channel? One of: {' '.join(world.channels)}", flush=True)
            return None
        if not viewers_for(world, argument, state.viewer):
            print(f"Nobody in the demo can read #{argument}.", flush=True)
            return None
        state.channel = argument
        return True
    if command == "v":
        if argument not in VIEWER_ORDER:
            print(f"Which viewer? One of: {' '.join(VIEWER_ORDER)}", flush=True)
            return None
        state.viewer = argument
        if viewers_for(world, state.channel, argument)[0].name != argument:
            print(f"{argument} can't read #{state.channel}; switching to #general.", flush=True)
            state.channel = "general"
        return True
    if command in ADVANCES:
        seconds, label = ADVANCES[command]
        for _ in range(seconds // 3600):  # an hour at a time, so each step settles within its deadline
            await world.env.advance_time(3600)
        await preview.refresh()
        print(f"Advanced the clock {label}: it is now {world.env.now():%a %d %b %Y %H:%M} UTC.", flush=True)
        return None
    if command == "r":
        await preview.refresh()
        return None
    print("Unknown command. Use c, v, h, d, w, r or q.", flush=True)
    return None
