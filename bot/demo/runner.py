"""`coursebot demo`: the real bot in SimCord's in-memory Discord, served to a browser on loopback.

One Preview serves the whole demo (see bot/demo/live.py): the terminal menu switches its channel and viewer
in place, so the open tab keeps working, and the simulated clock follows the wall clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.text import plural
from bot.demo.live import VIEWER_ORDER, LiveSession, describe, jump_to_next, viewers_for
from bot.demo.world import CourseWorld, seed_course_server

if TYPE_CHECKING:
    import simcord

log = logging.getLogger("coursebot.demo")

BOT_NAME = "Coursebot"
WELCOME = (
    "Welcome to the course server! This is the offline demo of the course bot: everything here runs on your "
    "machine. Type `/` in the box below to see the commands (try `/help`), and switch who you are with the "
    "viewer picker at the top of the page."
)
REFUSAL_HINT = (
    "Demo tip: as a learner, try `/stories queue` (a moderator command) to see how the bot refuses politely; "
    "then pick the moderator in the viewer picker and try it again."
)
CHANNEL_HINTS = {
    "lessons": "Read the course here: `/lesson show`, `/lesson search`, `/lesson list`, `/progress`.",
    "stories": "Published learner stories appear here. Share yours with `/story share`.",
    "polls": "Hosts: `/poll create` or `/poll schedule` a weekly poll; everyone votes here.",
    "mod-queue": "Stories waiting for review and flagged posts arrive here, with one-click actions.",
    "mod-log": "Every moderation decision is logged here.",
}
ADVANCES = {"m": (60, "a minute"), "h": (3600, "an hour"), "d": (86400, "a day")}
# Notes from discord.py that mean nothing offline (no voice, SimCord's own probe client without intents),
# and the bot's start-up lines that would be untrue here (a fake invite link, "0 servers" before seeding).
QUIET_LOGGERS = ("discord.client", "discord.state", "discord.gateway")
UNTRUE_OFFLINE = ("logged in as", "invite link")


class DemoError(Exception):
    """A problem to report as one line; the demo exits with code 1."""


class _DropUntrueLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "coursebot" and str(record.msg).startswith(UNTRUE_OFFLINE))


def quiet_start() -> logging.Filter:
    """Silence what does not apply to the demo. Call before importing simcord (it builds a probe client)."""
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.ERROR)
    untrue = _DropUntrueLines()
    logging.getLogger("coursebot").addFilter(untrue)
    return untrue


def busy_port_message(port: int) -> str:
    return f"port {port} is in use: pass --port N or set DEMO_PORT"


def check_port(port: int) -> None:
    """Fail before the bot starts when the chosen port is taken (0 always works)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                raise DemoError(busy_port_message(port)) from None
            raise DemoError(f"can't use port {port} ({error.strerror}): pass --port N or set DEMO_PORT") from None


def menu_text(world: CourseWorld, session: LiveSession) -> str:
    return (
        f"\nShowing #{session.channel} as {session.viewer}. Type a letter and Enter:\n"
        f"  c NAME  switch channel ({' '.join(world.channels)})\n"
        f"  v NAME  switch viewer ({' '.join(VIEWER_ORDER)})\n"
        "  m / h / d  advance the clock a minute / an hour / a day (it also follows real time)\n"
        "  n  jump to the next scheduled event (a poll closing, a weekly poll)\n"
        "  r  refresh the page    q  quit (or Ctrl-C, or 'End preview session' in the page)"
    )


async def run_demo(settings: Settings, *, port: int, menu: bool = True) -> int:
    """Run the demo until the page ends the session, `q`, Ctrl-C or SIGTERM. Returns the exit code."""
    quiet_start()
    try:
        check_port(port)
        await _run(settings, port=port, menu=menu)
    except DemoError as error:
        print(f"coursebot demo: {error}", file=sys.stderr, flush=True)
        return 1
    print("Demo stopped.", flush=True)
    return 0


async def _run(settings: Settings, *, port: int, menu: bool) -> None:
    import simcord

    from bot.app import create_bot

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    with tempfile.TemporaryDirectory(prefix="coursebot-demo-") as tmp:
        demo_settings = settings.with_changes(token=None, database_path=Path(tmp) / "demo.db", dev_guild_id=None)
        bot = create_bot(demo_settings)
        env = simcord.Env(bot, check_errors=False, settle_timeout=30)
        env.backend.bot_user.name = env.backend.bot_user.global_name = BOT_NAME  # before it logs in
        try:
            await env.start()
            with env.time_context():
                world = await open_course(env)
                log.info(
                    "logged in as %s in %s (%s), offline",
                    bot.user,
                    plural(len(bot.guilds), "server"),
                    world.guild.name,
                )
                reader = LineReader() if menu and sys.stdin is not None else None
                await serve(world, port=port, reader=reader, stop=stop)
        finally:
            await env.shutdown()
            await bot.db.close()


async def open_course(env: simcord.Env) -> CourseWorld:
    """The seeded server with a first message in each channel saying what to try there."""
    world = seed_course_server(env)
    general = world.channel("general")
    await world.host.send(general, WELCOME)
    await world.host.send(general, REFUSAL_HINT)
    for channel, hint in CHANNEL_HINTS.items():
        author = world.admin if channel.startswith("mod-") else world.host
        await author.send(world.channel(channel), hint)
    return world


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


async def serve(
    world: CourseWorld, *, port: int, reader: LineReader | None, stop: asyncio.Event, real_time: bool = True
) -> None:
    """Serve one Preview until the demo ends; menu lines change it in place."""
    from simcord import SetupError

    viewers = viewers_for(world, "general", "learner")
    try:
        preview = world.env.preview(world.channel("general"), viewers=viewers, layout="channel", port=port)
        await preview.__aenter__()
    except SetupError as error:
        if "bind" in str(error):
            raise DemoError(busy_port_message(port)) from None
        raise
    session = LiveSession(world, preview, "general", "learner")
    clock = asyncio.ensure_future(session.run_clock(stop)) if real_time else None
    try:
        print(f"\nOpen the demo in your browser: {session.url}", flush=True)
        if reader:
            print(menu_text(world, session), flush=True)
        await wait_for_end(session, reader, stop)
    finally:
        stop.set()
        if clock is not None:
            await asyncio.gather(clock, return_exceptions=True)
        if reader:
            reader.close()
        await preview.close()


async def wait_for_end(session: LiveSession, reader: LineReader | None, stop: asyncio.Event) -> None:
    """Handle menu lines until the page ends the session, `q`, or `stop`."""
    closed = asyncio.ensure_future(session.preview.wait_closed())
    stopped = asyncio.ensure_future(stop.wait())
    try:
        while True:
            line_task = asyncio.ensure_future(reader.queue.get()) if reader else None
            waiting = {closed, stopped} | ({line_task} if line_task else set())
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if line_task is not None and line_task not in done:
                line_task.cancel()
            if closed in done or stopped in done:
                return
            assert line_task is not None
            line = line_task.result()
            if line is not None and not await handle_line(session, line):
                return
    finally:
        for task in (closed, stopped):
            task.cancel()


async def handle_line(session: LiveSession, line: str) -> bool:
    """One menu command, applied to the open page. False to quit."""
    world = session.world
    command, _, argument = line.partition(" ")
    command, argument = command.lower(), argument.strip().lstrip("#").lower()
    if command == "q":
        return False
    if command == "c":
        if argument not in world.channels:
            say(f"Which channel? One of: {' '.join(world.channels)}")
        elif not viewers_for(world, argument, session.viewer):
            say(f"Nobody in the demo can read #{argument}.")
        else:
            if viewers_for(world, argument, session.viewer)[0].name != session.viewer:
                say(f"{session.viewer} can't read #{argument}; showing it to someone who can.")
            await session.switch(channel=argument)
            session.viewer = viewers_for(world, argument, session.viewer)[0].name
            say(f"Showing #{session.channel} as {session.viewer} (same page: no need to reload).")
    elif command == "v":
        if argument not in VIEWER_ORDER:
            say(f"Which viewer? One of: {' '.join(VIEWER_ORDER)}")
        else:
            channel = session.channel
            if viewers_for(world, channel, argument)[0].name != argument:
                say(f"{argument} can't read #{channel}; switching to #general.")
                channel = "general"
            await session.switch(channel=channel, viewer=argument)
            say(f"Showing #{session.channel} as {session.viewer} (same page: no need to reload).")
    elif command in ADVANCES:
        seconds, label = ADVANCES[command]
        await session.advance(seconds)
        say(f"Advanced the clock {label}: it is now {describe(world.env.now())}.")
    elif command == "n":
        due = await jump_to_next(session)
        if due is None:
            say("Nothing is scheduled yet: as the host, try /poll create or /poll schedule.")
        else:
            say(f"Jumped to the next scheduled event ({describe(due)}): it is now {describe(world.env.now())}.")
    elif command == "r":
        await session.refresh()
    else:
        say("Unknown command. Use c, v, m, h, d, n, r or q.")
    return True


def say(text: str) -> None:
    print(text, flush=True)
