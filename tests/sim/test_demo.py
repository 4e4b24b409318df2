"""The offline demo: the real process serves the Preview page; the terminal menu drives the world."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from simcord.env import Env

from bot.config import PROJECT_ROOT
from bot.demo.runner import DemoState, handle_line, serve, viewers_for
from bot.demo.world import CourseWorld

URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/#\S+")


def test_demo_serves_the_preview_page_and_stops_cleanly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "unused.db"), "LOG_LEVEL": "WARNING"}
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
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_menu_switches_channel_and_viewer_and_advances_the_clock(course: CourseWorld, simcord_env: Env) -> None:
    state = DemoState()
    viewers = viewers_for(course, "general", "learner")
    assert [v.name for v in viewers][:1] == ["learner"]
    # staff channels are only offered to members who can read them
    assert {v.name for v in viewers_for(course, "mod-queue", "learner")} == {"moderator", "admin"}

    async with simcord_env.preview(course.channel("general"), viewers=viewers, layout="channel") as preview:
        before = simcord_env.now()
        assert await handle_line(course, preview, state, "h") is None
        assert simcord_env.now() - before >= timedelta(hours=1)
        assert await handle_line(course, preview, state, "c #polls") is True
        assert state.channel == "polls"
        assert await handle_line(course, preview, state, "c nowhere") is None
        assert await handle_line(course, preview, state, "v host") is True
        assert state.viewer == "host"
        assert await handle_line(course, preview, state, "q") is False


class ScriptedReader:
    """Stands in for the terminal: lines already typed."""

    def __init__(self, *lines: str) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        for line in lines:
            self.queue.put_nowait(line)
        self.closed = False

    def close(self) -> None:
        self.closed = True


async def test_switching_channel_reopens_the_page_on_the_same_port(
    course: CourseWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = ScriptedReader("c polls", "v moderator", "q")
    await serve(course, port=0, reader=reader, stop=asyncio.Event())  # type: ignore[arg-type]
    out = capsys.readouterr().out
    ports = URL_RE.findall(out)
    assert len(ports) == 3 and len(set(ports)) == 1  # first page, after the channel, after the viewer
    assert "Showing #general as learner" in out
    assert "Showing #polls as learner" in out
    assert "Showing #polls as moderator" in out
    assert reader.closed
