"""The command line: `coursebot [run|demo|check-config|db ...]` plus each feature's own subcommands."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import discord

import bot as bot_package
from bot.config import ConfigError, Settings, configure_logging, describe_settings, load_settings
from bot.storage.database import DatabaseError

log = logging.getLogger("coursebot")

INTENTS_HELP = (
    "Discord refused the connection because privileged intents are off: open the Developer Portal > your "
    "application > Bot > Privileged Gateway Intents, switch on MESSAGE CONTENT INTENT and SERVER MEMBERS "
    "INTENT, save, and start the bot again."
)
LOGIN_HELP = (
    "Discord rejected DISCORD_TOKEN (it was reset or mistyped): copy a new one from Developer Portal > your "
    "application > Bot > Reset Token into .env."
)

Handler = Callable[[argparse.Namespace, Settings], int]


class CliError(Exception):
    """A problem to report as one line, exit code 1."""


def feature_modules() -> list[str]:
    """bot/<feature>/cli.py modules, each with `register(subparsers)`."""
    root = Path(bot_package.__file__).parent
    return [
        f"bot.{info.name}.cli"
        for info in pkgutil.iter_modules([str(root)])
        if info.ispkg and (root / info.name / "cli.py").is_file()
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursebot", description="The course server's Discord bot.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="connect to Discord with DISCORD_TOKEN (the default)")
    run.set_defaults(handler=cmd_run)

    demo = sub.add_parser("demo", help="the offline demo in your browser: no token needed")
    demo.add_argument("--port", type=int, default=None, help="loopback port for the page (default DEMO_PORT)")
    demo.add_argument("--no-menu", action="store_true", help="no terminal menu; stop with Ctrl-C")
    demo.set_defaults(handler=cmd_demo)

    check = sub.add_parser("check-config", help="validate .env and say what would be used")
    check.set_defaults(handler=cmd_check_config)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    migrate = db_sub.add_parser("migrate", help="apply pending schema migrations")
    migrate.set_defaults(handler=cmd_db_migrate)
    backup = db_sub.add_parser("backup", help="consistent copy of the database, safe while the bot runs")
    backup.add_argument("path", type=Path, help="file to write (must not exist)")
    backup.set_defaults(handler=cmd_db_backup)

    for module_name in feature_modules():
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", cmd_run)
    try:
        settings = load_settings()
        configure_logging(settings)
        return handler(args, settings)
    except (ConfigError, CliError, DatabaseError) as error:
        print(f"coursebot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coursebot: stopped.", file=sys.stderr)
        return 130


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    token = settings.require_token()

    async def run() -> None:
        async with bot_package.create_bot(settings) as client:
            await client.open_database()  # a database fault ends here, before connecting to Discord
            await client.start(token)

    try:
        asyncio.run(run())
    except discord.PrivilegedIntentsRequired:
        raise CliError(INTENTS_HELP) from None
    except discord.LoginFailure:
        raise CliError(LOGIN_HELP) from None
    except (OSError, discord.GatewayNotFound) as error:
        raise CliError(f"could not reach Discord ({type(error).__name__}): check the network and retry.") from None
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    try:
        from bot.demo.runner import run_demo
    except ImportError as error:
        raise CliError(f"the demo needs the 'demo' extra ({error.name} is missing): pip install -e '.[demo]'") from None
    port = args.port if args.port is not None else settings.demo_port
    return asyncio.run(run_demo(settings, port=port, menu=not args.no_menu))


def cmd_check_config(args: argparse.Namespace, settings: Settings) -> int:
    print("Settings are valid:")
    described = describe_settings(settings)
    width = max(len(name) for name, _ in described)
    for name, shown in described:
        print(f"  {name:<{width}} {shown}")
    if settings.lessons_dir is not None and not settings.lessons_dir.is_dir():
        raise CliError(f"LESSONS_DIR {settings.lessons_dir} is not a folder: create it or fix the path.")
    return 0


def cmd_db_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.storage.database import Database

    async def migrate() -> tuple[list[int], int]:
        db = await Database.open(settings.database_path)
        try:
            applied = await db.migrate()
            return applied, await db.schema_version()
        finally:
            await db.close()

    applied, version = asyncio.run(migrate())
    done = f"applied {', '.join(f'{v:04d}' for v in applied)}" if applied else "nothing to apply"
    print(f"{settings.database_path}: {done}; schema version {version}.")
    return 0


def cmd_db_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.storage.database import Database

    if not settings.database_path.is_file():
        raise CliError(f"there is no database at {settings.database_path} yet (DATABASE_PATH).")
    if args.path.exists():
        raise CliError(f"{args.path} already exists: choose a new file name.")

    async def backup() -> Path:
        db = await Database.open(settings.database_path)
        try:
            return await db.backup(args.path)
        finally:
            await db.close()

    target = asyncio.run(backup())
    print(f"backed up {settings.database_path} to {target} ({target.stat().st_size:,} bytes).")
    return 0
