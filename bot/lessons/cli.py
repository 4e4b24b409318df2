"""`coursebot lessons validate [DIR]` and `coursebot lessons import DIR`."""

from __future__ import annotations

import argparse
import asyncio
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.config import Settings
from bot.core.resources import shipped_path
from bot.core.text import plural
from bot.lessons.model import ImportSummary
from bot.lessons.validation import CourseFolder, load_folder


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lessons = subparsers.add_parser("lessons", help="check lesson files and load them into the database")
    sub = lessons.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)

    validate = sub.add_parser("validate", help="check a folder of lesson files; every problem with file and line")
    validate.add_argument(
        "directory",
        nargs="?",
        type=Path,
        help="folder to check (default: LESSONS_DIR, else the shipped starter course)",
    )
    validate.set_defaults(handler=cmd_validate)

    load = sub.add_parser("import", help="load a folder of lesson files into the database (checked first)")
    load.add_argument("directory", type=Path, help="folder of lesson files (*.md)")
    load.add_argument(
        "--replace",
        action="store_true",
        help="remove lessons that are not in the folder (default: keep them); progress on the others is kept",
    )
    load.set_defaults(handler=cmd_import)


def _report(folder: CourseFolder, directory: Path | Traversable) -> bool:
    """Print the problems (or a one-line summary); True when the folder is fine."""
    for problem in folder.problems:
        print(problem)
    if folder.problems:
        count = len(folder.problems)
        print(f"{plural(count, 'problem')} in {directory}.")
        return False
    modules = len({lesson.module for lesson in folder.lessons})
    print(f"{directory}: {plural(len(folder.lessons), 'lesson')} in {plural(modules, 'module')}, no problems.")
    return True


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    directory: Path | Traversable = args.directory or settings.lessons_dir or shipped_path("lessons")
    return 0 if _report(load_folder(directory), directory) else 1


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    directory: Path = args.directory
    folder = load_folder(directory)
    if not _report(folder, directory):
        print("Nothing was imported.")
        return 1
    summary = asyncio.run(_import(settings, folder, remove_missing=args.replace))
    print(f"Imported into {settings.database_path}: {summary.describe()}.")
    return 0


async def _import(settings: Settings, folder: CourseFolder, *, remove_missing: bool) -> ImportSummary:
    from bot.storage.database import open_database
    from bot.storage.lessons import LessonStore

    db = await open_database(settings.database_path)
    try:
        return await LessonStore(db).import_lessons(folder.lessons, remove_missing=remove_missing)
    finally:
        await db.close()
