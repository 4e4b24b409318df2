"""The offline demo: the real process serves the Preview page; the terminal menu drives the world."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from simcord.env import Env

from bot.config import PROJECT_ROOT
from bot.demo.live import VIEWER_ORDER, LiveSession, jump_to_next, next_scheduled, viewers_for
from bot.demo.runner import REFUSAL_HINT, handle_line, open_course, serve
from bot.demo.world import CourseWorld

URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/#\S+")


def test_demo_serves_the_preview_page_and_stops_cleanly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "unused.db"), "LOG_LEVEL": "INFO"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--port", "0", "--no-menu"],
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = []
        deadline = time.monotonic() + 90
        match = None
        assert process.stdout is not None
        while match is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            match = URL_RE.search(line)
        assert match, "no Preview URL printed:\n" + "".join(output)
        with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/", timeout=10) as response:
            page = response.read().decode()
        assert response.status == 200
        assert "SimCord Preview" in page
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
        assert process.returncode == 0, "".join(output) + rest
        assert "Demo stopped." in rest
        assert "Traceback" not in "".join(output) + rest
        start = "".join(output)
        assert "logged in as Coursebot in 1 server" in start  # true, and the bot's own name
        assert "invite link" not in start  # no link with a fake id
        for noise in ("PyNaCl", "davey", "intent"):
            assert noise not in start
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_menu_switches_channel_and_viewer_in_place_and_moves_the_clock(
    course: CourseWorld, simcord_env: Env
) -> None:
    viewers = viewers_for(course, "general", "learner")
    assert [v.name for v in viewers] == list(VIEWER_ORDER)  # every viewer the README names
    # staff channels are only offered to members who can read them
    assert {v.name for v in viewers_for(course, "mod-queue", "learner")} == {"moderator", "admin"}

    await course.host.send(course.channel("polls"), "a message only #polls has")
    async with simcord_env.preview(course.channel("general"), viewers=viewers, layout="channel") as preview:
        session = LiveSession(course, preview, "general", "learner")
        url = session.url
        before = simcord_env.now()
        assert await handle_line(session, "m") is True
        assert simcord_env.now() - before >= timedelta(minutes=1)
        assert await handle_line(session, "h") is True
        assert simcord_env.now() - before >= timedelta(hours=1, minutes=1)

        assert await handle_line(session, "c #polls") is True
        assert session.channel == "polls"
        shown = await preview.snapshot()
        assert "a message only #polls has" in str(shown["messages"])
        assert await handle_line(session, "c nowhere") is True
        assert session.channel == "polls"

        assert await handle_line(session, "v moderator") is True
        assert (session.channel, session.viewer) == ("polls", "moderator")
        assert await handle_line(session, "c mod-queue") is True
        shown = await preview.snapshot()
        assert shown["status"] == "current"
        assert str(course.moderator.id) == str(shown["viewerId"])
        # a learner can't read #mod-queue: the page goes back to #general rather than showing "access denied"
        assert await handle_line(session, "v learner") is True
        assert (session.channel, session.viewer) == ("general", "learner")
        assert session.url == url  # the same tab, never a new address
        assert await handle_line(session, "q") is False


async def test_next_event_jumps_to_the_poll_closing_not_over_it(course: CourseWorld, simcord_env: Env) -> None:
    viewers = viewers_for(course, "general", "learner")
    async with simcord_env.preview(course.channel("general"), viewers=viewers, layout="channel") as preview:
        session = LiveSession(course, preview, "general", "learner")
        assert await next_scheduled(course) is None
        assert await jump_to_next(session) is None
        result = await course.host.slash(
            course.channel("polls"), "poll create", question="Best channel?", options="SEO; Email", duration_hours=2
        )
        assert "closes" in result.response.content
        due = await next_scheduled(course)
        assert due is not None
        assert timedelta(hours=1) < due - simcord_env.now() <= timedelta(hours=3)
        started = simcord_env.now()
        assert await jump_to_next(session) == due
        assert due <= simcord_env.now() < due + timedelta(minutes=1)
        assert simcord_env.now() - started < timedelta(hours=3)  # not a week: the results are just out
        assert await next_scheduled(course) is None  # the poll closed on the way


async def test_the_clock_follows_real_time_without_disturbing_a_quiet_page(
    course: CourseWorld, simcord_env: Env
) -> None:
    viewers = viewers_for(course, "general", "learner")
    async with simcord_env.preview(course.channel("general"), viewers=viewers, layout="channel") as preview:
        session = LiveSession(course, preview, "general", "learner")
        revision = (await preview.snapshot())["publishedRevision"]
        before = simcord_env.now()
        await session.tick(30)
        assert simcord_env.now() - before >= timedelta(seconds=30)
        assert preview._python is not None and preview._python.revision == revision  # nothing new: left alone
        await course.host.send(course.channel("general"), "news")
        await session.tick(1)
        assert preview._python.revision > revision  # something to show: republished


class ScriptedReader:
    """Stands in for the terminal: lines already typed."""

    def __init__(self, *lines: str) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        for line in lines:
            self.queue.put_nowait(line)
        self.closed = False

    def close(self) -> None:
        self.closed = True


async def test_switches_keep_one_page_at_one_address(course: CourseWorld, capsys: pytest.CaptureFixture[str]) -> None:
    reader = ScriptedReader("c polls", "v moderator", "n", "q")
    await serve(course, port=0, reader=reader, stop=asyncio.Event(), real_time=False)  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert len(URL_RE.findall(out)) == 1  # one page for the whole demo
    assert "Showing #general as learner" in out
    assert "Showing #polls as learner" in out
    assert "Showing #polls as moderator" in out
    assert "Nothing is scheduled yet" in out
    assert reader.closed


async def test_the_demo_server_invites_learners_to_try_a_refusal(simcord_env: Env) -> None:
    world = await open_course(simcord_env)
    general = world.channel("general")
    assert REFUSAL_HINT in [message.content for message in general.history()]
    assert "/stories queue" in REFUSAL_HINT
    refusal = await world.learner.slash(general, "stories queue")
    assert refusal.ephemeral
    assert "moderator" in refusal.response.content.lower()
    assert not refusal.response.embeds


def test_a_busy_port_is_one_clear_line_and_a_failure_exit() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "demo", "--port", str(port), "--no-menu"],
            cwd=PROJECT_ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == f"coursebot demo: port {port} is in use: pass --port N or set DEMO_PORT"
    assert "Traceback" not in result.stdout + result.stderr
