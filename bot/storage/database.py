"""The one SQLite connection: pragmas, transactions, versioned migrations and online backup."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.errors import TryAgainLater

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
BUSY_TIMEOUT_MS = 5000
OPEN_TIMEOUT_MS = 2000  # at start a lock held by another process ends in a clear line, not a long wait
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """The database cannot be used as it is; the message says what is wrong and what to do."""


def _check_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite reads it (a garbage file can hang it)."""
    if str(path) == ":memory:" or not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file: fix DATABASE_PATH.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseError(f"cannot read {path}: {error.strerror or error}.") from None
    if header and header != SQLITE_HEADER:
        raise DatabaseError(
            f"{path} is not an SQLite database (it starts with other bytes): restore a backup "
            "(coursebot db backup makes them) or point DATABASE_PATH at another file."
        )


_PASSING = ("locked", "busy", "readonly", "read-only", "full")
"""What sqlite3 says when a write cannot be made now but may work later, as opposed to a bug."""


def _is_passing(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(word in text for word in _PASSING)


def _describe(error: BaseException, path: Path) -> str:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another process (another coursebot running?): stop it, or wait and retry."
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only here: the bot must be able to write it and its folder."
    if "disk is full" in text or "full" in text:
        return f"the disk holding {path} is full: free some space and retry."
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"{path} is damaged ({error}): restore a backup or point DATABASE_PATH at another file."
    if "unable to open" in text:
        return f"cannot open {path}: check that its folder exists and is writable."
    return f"{path}: {error}"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in version order (numbers unique; tests check they run 1, 2, 3 ...)."""
    found = []
    for path in directory.iterdir():
        match = _MIGRATION_RE.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version number: {versions}")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (triggers keep their inner semicolons)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(part.strip().startswith("--") for part in buffer.strip().splitlines()):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:80]!r}")
    return statements


class Database:
    """An open SQLite database. Writes go through `transaction()`, one at a time."""

    def __init__(self, path: Path, connection: aiosqlite.Connection) -> None:
        self.path = path
        self._conn = connection
        self._write_lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open and check the file: an SQLite database, not damaged, writable. Raises DatabaseError."""
        path = Path(path)
        _check_file(path)
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseError(f"cannot create the folder {path.parent}: {error.strerror or error}.") from None
        try:
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as error:
            raise DatabaseError(_describe(error, path)) from None
        conn.row_factory = sqlite3.Row
        try:
            for pragma in (
                f"busy_timeout = {OPEN_TIMEOUT_MS}",
                "journal_mode = WAL",
                "foreign_keys = ON",
                "synchronous = NORMAL",
            ):
                await conn.execute_fetchall(f"PRAGMA {pragma}")  # fetch, so no statement stays open
            check = [tuple(row) for row in await conn.execute_fetchall("PRAGMA quick_check")]
            if check != [("ok",)]:
                raise DatabaseError(
                    f"{path} is damaged (integrity check: {check[0][0] if check else 'no answer'}): restore a backup."
                )
        except sqlite3.Error as error:
            await conn.close()
            raise DatabaseError(_describe(error, path)) from None
        except DatabaseError:
            await conn.close()
            raise
        return cls(path, conn)

    async def settle(self) -> None:
        """After start-up checks: the ordinary busy timeout for the bot's own writes."""
        await self._conn.execute_fetchall(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await self._conn.execute_fetchall("PRAGMA optimize")  # fresh statistics for the query planner

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises. A write the database cannot take
        just now (locked by another writer past the busy timeout, a full disk, a read-only file system) raises
        TryAgainLater, which every feature answers as "try again shortly": nothing was written."""
        async with self._write_lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    with contextlib.suppress(sqlite3.OperationalError):  # SQLite may have rolled back itself
                        await self._conn.execute("ROLLBACK")
                    raise
                await self._conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                if _is_passing(error):
                    raise TryAgainLater("the course's storage is busy or full just now.") from error
                raise

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write in its own transaction; returns the last row id."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.lastrowid or 0

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """All rows, in one trip to the database thread (a cursor would cost three)."""
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    # -- schema --------------------------------------------------------------------------------

    async def schema_version(self) -> int:
        return int(await self.fetchval("PRAGMA user_version"))

    async def migrate(self, migrations: Iterable[Migration] | None = None, *, target: int | None = None) -> list[int]:
        """Apply every migration newer than the database, each in one transaction; returns their versions."""
        pending = list(migrations if migrations is not None else load_migrations())
        current = await self.schema_version()
        latest = pending[-1].version if pending else 0
        if current > latest:
            raise DatabaseError(
                f"the database is at schema version {current}, newer than this code knows ({latest}): "
                "upgrade coursebot or restore a backup"
            )
        applied: list[int] = []
        for migration in pending:
            if migration.version <= current or (target is not None and migration.version > target):
                continue
            try:
                async with self.transaction() as conn:
                    for statement in split_statements(migration.sql):
                        await conn.execute(statement)
                    await conn.execute(f"PRAGMA user_version = {migration.version}")
            except TryAgainLater as passing:  # locked, read-only or full: say which, as at open
                raise DatabaseError(_describe(passing.__cause__ or passing, self.path)) from None
            except sqlite3.Error as error:
                name = name_of(migration)
                raise DatabaseError(
                    f"migration {name} failed ({error}); the database was left at version "
                    f"{applied[-1] if applied else current}."
                ) from None
            # A new database gets one line for all of them (below); an upgrade names each step.
            log.log(logging.DEBUG if current == 0 else logging.INFO, "applied migration %s", name_of(migration))
            applied.append(migration.version)
        if current == 0 and applied:
            log.info("created the database %s at schema version %d", self.path, applied[-1])
        return applied

    async def backup(self, destination: Path | str) -> Path:
        """A consistent copy while the bot runs, through SQLite's online backup API."""
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.exists():
            raise FileExistsError(f"{destination} already exists; choose a new file name")
        target = await aiosqlite.connect(str(destination))
        try:
            await self._conn.backup(target)
        finally:
            await target.close()
        return destination


def name_of(migration: Migration) -> str:
    return f"{migration.version:04d}_{migration.name}"


async def open_database(path: Path | str) -> Database:
    """Open the database and bring its schema up to date."""
    db = await Database.open(path)
    try:
        await db.migrate()
        await db.settle()
    except BaseException:
        await db.close()
        raise
    return db
