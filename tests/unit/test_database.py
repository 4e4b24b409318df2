"""Storage: pragmas, transactions, migrations from empty and from every earlier version, online backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import Database, DatabaseError, load_migrations, open_database, split_statements
from bot.storage.guilds import GuildSettingsStore


async def schema_of(db: Database) -> list[tuple[str, str]]:
    rows = await db.fetchall(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [(row["name"], row["sql"]) for row in rows]


def test_shipped_migrations_run_one_two_three() -> None:
    versions = [m.version for m in load_migrations()]
    assert versions == list(range(1, len(versions) + 1))
    assert load_migrations()[0].name == "core"


async def test_open_sets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "nested" / "bot.db")
    try:
        assert (await db.fetchval("PRAGMA journal_mode")) == "wal"
        assert (await db.fetchval("PRAGMA foreign_keys")) == 1
        assert (await db.fetchval("PRAGMA busy_timeout")) == 5000
        assert await db.schema_version() == len(load_migrations())
    finally:
        await db.close()


async def test_migrate_from_empty_then_again_is_a_no_op(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.db")
    try:
        applied = await db.migrate()
        assert applied == [m.version for m in load_migrations()]
        assert await db.migrate() == []
    finally:
        await db.close()


@pytest.mark.parametrize("start", range(1, len(load_migrations())))
async def test_migrate_from_each_earlier_version(tmp_path: Path, start: int) -> None:
    fresh = await open_database(tmp_path / "fresh.db")
    old = await Database.open(tmp_path / "old.db")
    try:
        await old.migrate(target=start)
        assert await old.schema_version() == start
        await old.execute(
            "INSERT INTO guild_settings (guild_id, timezone, updated_at) VALUES (1, 'Europe/London', 'now')"
        )
        applied = await old.migrate()
        assert applied == list(range(start + 1, len(load_migrations()) + 1))
        assert await schema_of(old) == await schema_of(fresh)
        assert (await GuildSettingsStore(old).get(1)).timezone == "Europe/London"  # data survived
    finally:
        await fresh.close()
        await old.close()


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.db")
    try:
        await db.execute("PRAGMA user_version = 999")
        with pytest.raises(DatabaseError, match="newer than this code knows"):
            await db.migrate()
    finally:
        await db.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.db")
    try:
        with pytest.raises(ZeroDivisionError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (7, 'now')")
                _ = 1 / 0
        assert await db.fetchone("SELECT * FROM guild_settings WHERE guild_id = 7") is None
    finally:
        await db.close()


async def test_backup_of_a_database_in_use(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.db")
    store = GuildSettingsStore(db)
    other = sqlite3.connect(tmp_path / "bot.db")  # a second writer holding an open transaction
    try:
        for guild_id in range(1, 51):
            await store.update(guild_id, "2026-01-01T00:00:00+00:00", timezone="UTC")
        other.execute("BEGIN")
        other.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (999, 'uncommitted')")
        target = await db.backup(tmp_path / "backups" / "copy.db")
        copy = sqlite3.connect(target)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT count(*) FROM guild_settings").fetchone()[0] == 50
            assert copy.execute("PRAGMA user_version").fetchone()[0] == len(load_migrations())
        finally:
            copy.close()
        with pytest.raises(FileExistsError):
            await db.backup(target)
    finally:
        other.rollback()
        other.close()
        await db.close()


def test_split_statements_keeps_triggers_whole() -> None:
    sql = """
    CREATE TABLE a (x INTEGER); -- a comment
    CREATE TRIGGER t AFTER INSERT ON a BEGIN
        UPDATE a SET x = x + 1; DELETE FROM a WHERE x > 9;
    END;
    """
    statements = split_statements(sql)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


def test_split_statements_rejects_a_truncated_file() -> None:
    with pytest.raises(ValueError, match="incomplete SQL statement"):
        split_statements("CREATE TABLE a (x INTEGER")


async def test_guild_settings_store_round_trip_and_clear(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.db")
    try:
        store = GuildSettingsStore(db)
        await store.update(5, "t", mod_queue_channel_id=11, host_role_id=22)
        await store.update(5, "t", host_role_id=None)
        reread = await GuildSettingsStore(db).get(5)  # a new store: no cache
        assert reread.mod_queue_channel_id == 11
        assert reread.host_role_id is None
        with pytest.raises(ValueError, match="unknown guild settings"):
            await store.update(5, "t", colour="red")
        await store.forget_guild(5)
        assert (await GuildSettingsStore(db).get(5)).mod_queue_channel_id is None
    finally:
        await db.close()
