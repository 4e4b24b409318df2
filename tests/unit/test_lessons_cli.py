"""`coursebot lessons validate` and `coursebot lessons import`."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot import cli
from bot.core.resources import shipped_path
from bot.storage.database import open_database
from bot.storage.lessons import LessonStore


def copy_starter(target: Path) -> Path:
    """The shipped starter course (a package resource) copied into a real folder."""
    target.mkdir()
    for item in shipped_path("lessons").iterdir():
        if item.name.endswith(".md"):
            (target / item.name).write_bytes(item.read_bytes())
    return target


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    return copy_starter(tmp_path / "starter")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, starter: Path) -> Path:
    monkeypatch.setattr("bot.config.BASE_DIR", tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.db"))
    monkeypatch.setenv("LESSONS_DIR", str(starter))
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    out, _ = capsys.readouterr()
    return code, out


def lesson_count(path: Path) -> int:
    async def count() -> int:
        db = await open_database(path)
        try:
            return await LessonStore(db).count()
        finally:
            await db.close()

    return asyncio.run(count())


def test_the_starter_course_validates(capsys: pytest.CaptureFixture[str], starter: Path) -> None:
    code, out = run(capsys, "lessons", "validate")
    assert code == 0
    assert out.strip() == f"{starter}: 19 lessons in 5 modules, no problems."


def test_validate_without_a_folder_checks_the_shipped_course(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LESSONS_DIR")
    code, out = run(capsys, "lessons", "validate")
    assert code == 0
    assert out.strip() == f"{shipped_path('lessons')}: 19 lessons in 5 modules, no problems."


def test_validate_lists_every_problem_with_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, starter: Path
) -> None:
    folder = Path(shutil.copytree(starter, tmp_path / "course"))
    seo = folder / "seo.md"
    seo.write_text(seo.read_text().replace("order: 310", "order: soon"))
    (folder / "copy.md").write_text((folder / "content-marketing.md").read_text())
    code, out = run(capsys, "lessons", "validate", str(folder))
    assert code == 1
    lines = out.strip().splitlines()
    assert f"{folder / 'seo.md'}:5: 'order' must be a whole number, like 120" in lines
    assert any(
        line.startswith(f"{folder / 'copy.md'}:2: slug 'content-marketing' is already used by") for line in lines
    )
    # lessons relating to the broken one are reported too, with a hint
    hint = "related lesson 'seo' does not exist (or its file has problems, listed here too)"
    assert f"{folder / 'sem-pay-per-click.md'}:9: {hint}" in lines
    assert lines[-1] == f"{len(lines) - 1} problems in {folder}."


def test_import_loads_then_updates_and_refuses_a_bad_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, starter: Path
) -> None:
    code, out = run(capsys, "lessons", "import", str(starter))
    assert code == 0
    assert out.strip().endswith("19 lessons from the files (19 added, 0 updated, 0 unchanged).")
    assert lesson_count(tmp_path / "bot.db") == 19

    own = tmp_path / "own"
    own.mkdir()
    (own / "seo.md").write_text(
        "---\nslug: seo\ntitle: SEO, our way\nmodule: Unit 1\norder: 1\nsource: Our team\n---\nBody.\n"
    )
    code, out = run(capsys, "lessons", "import", str(own))
    assert "1 lesson from the files (0 added, 1 updated, 0 unchanged); 18 lessons that are not" in out
    assert lesson_count(tmp_path / "bot.db") == 19
    code, out = run(capsys, "lessons", "import", str(own), "--replace")
    assert "18 removed" in out
    assert lesson_count(tmp_path / "bot.db") == 1

    (own / "bad.md").write_text("no front matter")
    code, out = run(capsys, "lessons", "import", str(own))
    assert code == 1
    assert out.strip().splitlines()[-1] == "Nothing was imported."
    assert lesson_count(tmp_path / "bot.db") == 1
