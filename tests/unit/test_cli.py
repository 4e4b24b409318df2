"""The command line: one clear line for every configuration problem, never a traceback or the token."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import discord
import pytest

from bot import cli
from bot.app import REQUIRED_PERMISSIONS
from bot.config import PROJECT_ROOT
from bot.storage.database import load_migrations

GOOD_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No real .env and a database in tmp_path."""
    monkeypatch.setattr("bot.config.BASE_DIR", tmp_path)
    for name in ("DISCORD_TOKEN", "LOG_LEVEL", "DEV_GUILD_ID", "DEFAULT_TIMEZONE", "DEMO_PORT", "COURSE_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.db"))
    (tmp_path / "lessons").mkdir()
    monkeypatch.setenv("LESSONS_DIR", str(tmp_path / "lessons"))
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("coursebot:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_run_without_token(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "run")
    assert code == 1
    assert "DISCORD_TOKEN is not set" in one_line(err)


def test_default_command_is_run(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys)
    assert code == 1
    assert "DISCORD_TOKEN is not set" in one_line(err)


def test_malformed_token(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "hunter2-not-a-token")
    code, _, err = run_cli(capsys, "run")
    assert code == 1
    assert "does not look like a bot token" in one_line(err)
    assert "hunter2" not in err


def test_bad_setting_in_env(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    code, _, err = run_cli(capsys, "check-config")
    assert code == 1
    assert "LOG_LEVEL must be one of" in one_line(err)


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (discord.PrivilegedIntentsRequired(0), "MESSAGE CONTENT INTENT and SERVER MEMBERS INTENT"),
        (discord.LoginFailure("Improper token has been passed."), "Discord rejected DISCORD_TOKEN"),
        (OSError("Connection refused"), "could not reach Discord"),
    ],
)
def test_connection_failures_name_the_fix(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    exception: BaseException,
    expected: str,
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", GOOD_TOKEN)

    async def refuse(self: discord.Client, token: str, *, reconnect: bool = True) -> None:
        raise exception

    monkeypatch.setattr(discord.Client, "start", refuse)
    code, out, err = run_cli(capsys, "run")
    assert code == 1
    assert expected in one_line(err)
    assert GOOD_TOKEN not in out + err


def test_check_config_prints_settings_but_not_the_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", GOOD_TOKEN)
    code, out, _ = run_cli(capsys, "check-config")
    assert code == 0
    rows = {line.split()[0]: line.split(maxsplit=1)[1] for line in out.splitlines()[1:]}
    assert rows["DISCORD_TOKEN"] == "set"
    assert rows["SPAM_COPY_RETENTION_DAYS"] == "30"
    values = [line.index(rows[name]) for line in out.splitlines()[1:] for name in [line.split()[0]]]
    assert len(set(values)) == 1, "the values stand in one column"
    assert GOOD_TOKEN not in out


def test_db_migrate_and_backup(capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:
    code, out, _ = run_cli(capsys, "db", "migrate")
    assert code == 0
    assert f"schema version {len(load_migrations())}" in out
    code, out, _ = run_cli(capsys, "db", "migrate")
    assert "nothing to apply" in out
    target = isolated_env / "copy.db"
    code, out, _ = run_cli(capsys, "db", "backup", str(target))
    assert code == 0
    assert sqlite3.connect(target).execute("PRAGMA user_version").fetchone()[0] == len(load_migrations())
    code, _, err = run_cli(capsys, "db", "backup", str(target))
    assert code == 1
    assert "already exists" in one_line(err)


def test_backup_without_a_database(capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:
    code, _, err = run_cli(capsys, "db", "backup", str(isolated_env / "copy.db"))
    assert code == 1
    assert "there is no database" in one_line(err)


def test_readme_invite_url_asks_for_exactly_the_permissions_the_bot_needs() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"permissions={REQUIRED_PERMISSIONS.value}" in readme


def test_env_example_documents_every_setting() -> None:
    from bot.config import SETTING_NAMES

    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTING_NAMES:
        assert f"\n{name}=" in example
        assert f"`{name}`" in readme
