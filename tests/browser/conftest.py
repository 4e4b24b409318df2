"""Browser tests: the demo page in a real Chromium, driven with Playwright.

They need Debian's chromium at /usr/bin/chromium and the `playwright` client (the `browser` extra); never
`playwright install`. Without them the tests skip with the reason, except in CI (CI=true), where a missing
browser is a failure: CI installs both (.ci/run).
"""

from __future__ import annotations

import importlib.util
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
URL_RE = re.compile(r"http://127\.0\.0\.1:\d+/#\S+")
START_TIMEOUT = 90.0


def missing_browser() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright client is missing (pip install -e '.[browser]')"
    return None


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium for one test (Playwright's sync API holds an event loop while it runs, so it must
    not outlive the test: the async SimCord tests that follow need the thread's loop free)."""
    reason = missing_browser()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class DemoProcess:
    """`coursebot demo --port 0` as a real process; its output is read on a thread so it never blocks."""

    def __init__(self, tmp_path: Path, *, menu: bool) -> None:
        command = [sys.executable, "-m", "bot", "demo", "--port", "0"] + ([] if menu else ["--no-menu"])
        env = {**os.environ, "DATABASE_PATH": str(tmp_path / "unused.db"), "LOG_LEVEL": "INFO"}
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.PIPE if menu else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._new: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(URL_RE, START_TIMEOUT).group(0)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            self._new.put(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: re.Pattern[str] | str, timeout: float = 60.0) -> re.Match[str]:
        """The next output line matching `pattern`."""
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._new.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if match := compiled.search(line):
                return match
        raise AssertionError(f"no line matching {compiled.pattern!r} in the demo's output:\n{self.output}")

    def type_line(self, line: str, expect: str) -> None:
        """Type a menu line in the terminal and wait for the demo's answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        self.wait_for(re.escape(expect))

    def interrupt(self) -> int:
        """Ctrl-C, as a user would; the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def demo_factory(tmp_path: Path) -> Iterator[Any]:
    started: list[DemoProcess] = []

    def start(*, menu: bool) -> DemoProcess:
        demo = DemoProcess(tmp_path, menu=menu)
        started.append(demo)
        return demo

    yield start
    for demo in started:
        demo.kill()
