"""`coursebot data forget-user USER_ID [--guild ID]`: a member's erasure request that arrived by mail."""

from __future__ import annotations

import argparse
import asyncio

from bot.config import Settings
from bot.core.clock import SystemClock
from bot.storage.database import open_database
from bot.wiring import build_services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    data = subparsers.add_parser("data", help="members' data: erase on request")
    sub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    forget = sub.add_parser("forget-user", help="erase everything stored about one member")
    forget.add_argument("user_id", type=int, help="the member's Discord user id")
    forget.add_argument("--guild", type=int, default=None, help="only in this server (default: every server)")
    forget.set_defaults(handler=cmd_forget_user)


def cmd_forget_user(args: argparse.Namespace, settings: Settings) -> int:
    async def forget() -> str:
        db = await open_database(settings.database_path)
        try:
            report = await build_services(db, SystemClock(), settings).privacy.forget_member(args.guild, args.user_id)
        finally:
            await db.close()
        pending = " They are removed from Discord when the bot next runs." if report.posts else ""
        return report.describe() + pending

    where = f"server {args.guild}" if args.guild else "every server"
    print(f"User {args.user_id} in {where}: {asyncio.run(forget())}")
    return 0
