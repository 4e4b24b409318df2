"""Database faults at open end in one clear line and a non-zero exit within seconds, never a traceback or hang."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.errors import TryAgainLater
from bot.storage.database import Database, DatabaseError, Migration, load_migrations, open_database


async def test_a_garbage_file_is_refused_before_sqlite_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(DatabaseError, match="is not an SQLite database"):
        await open_database(path)


async def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    db = await open_database(path)
    await db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DatabaseError, match=r"damaged|not an SQLite"):
        db = await open_database(path)
        await db.close()


async def test_a_schema_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 999")
    connection.close()
    with pytest.raises(DatabaseError, match="newer than this code knows"):
        await open_database(path)


async def test_a_failing_migration_says_which_and_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.db")
    try:
        good = load_migrations()[:1]
        broken = Migration(good[-1].version + 1, "broken", "CREATE TABLE x (a INTEGER);\nCREATE TABLE x (b TEXT);")
        with pytest.raises(DatabaseError, match=r"migration 0002_broken failed .*left at version 1"):
            await db.migrate([*good, broken])
        assert await db.schema_version() == 1
        assert await db.fetchval("SELECT COUNT(*) FROM sqlite_master WHERE name = 'x'") == 0
    finally:
        await db.close()


async def test_a_write_lock_held_at_start_ends_in_a_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await (await open_database(path)).close()  # create it
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        db = await Database.open(path)
        try:
            extra = Migration(99, "later", "CREATE TABLE later (a INTEGER);")
            with pytest.raises(DatabaseError, match="locked by another process"):
                await asyncio.wait_for(db.migrate([*load_migrations(), extra]), timeout=30)
        finally:
            await db.close()
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
async def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    db = await open_database(path)
    await db.close()
    await asyncio.to_thread(path.chmod, 0o444)
    await asyncio.to_thread(tmp_path.chmod, 0o555)
    try:
        with pytest.raises(DatabaseError):
            db = await open_database(path)
            extra = Migration(99, "later", "CREATE TABLE later (a INTEGER);")
            await db.migrate([*load_migrations(), extra])
    finally:
        await asyncio.to_thread(tmp_path.chmod, 0o755)


@pytest.mark.parametrize("command", [["db", "migrate"], ["run"]])
def test_the_command_line_gives_one_line_and_exit_1_for_a_garbage_file(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "bot.db"
    path.write_bytes(b"this is not a database at all" * 100)
    env = {
        **os.environ,
        "DATABASE_PATH": str(path),
        "DISCORD_TOKEN": "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 1
    assert "is not an SQLite database" in result.stderr
    assert "Traceback" not in result.stderr


async def test_a_write_the_database_cannot_take_now_is_try_again_later_and_a_bug_is_not(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.db")
    try:
        await db.fetchall("PRAGMA query_only = 1")  # as a read-only file system
        with pytest.raises(TryAgainLater, match="busy or full"):
            await db.execute("INSERT INTO departed_guilds (guild_id, left_at) VALUES (1, '2026-01-01')")
        await db.fetchall("PRAGMA query_only = 0")
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            await db.execute("INSERT INTO no_such_table VALUES (1)")
        # the connection still works
        await db.execute("INSERT INTO departed_guilds (guild_id, left_at) VALUES (1, '2026-01-01')")
        assert await db.fetchval("SELECT COUNT(*) FROM departed_guilds") == 1
    finally:
        await db.close()
