"""A story submitted while the database cannot take it (locked by another writer, a full disk, a read-only
file system): the learner is told to try again shortly, and an "Edit and send again" button brings the form
back with their text; nothing is stored until they send it again."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.storage.stories import StoryStore
from tests.sim.test_stories_flow import STORY, review_post, share_story, stored


async def send_again(course: CourseWorld, told: Any) -> Any:
    assert told.ephemeral
    assert "I could not save your story" in told.response.content
    assert "send it again in a moment" in told.response.content
    reopened = await course.learner.click(told.response.message, label="Edit and send again")
    assert reopened.modal is not None
    values = {c["component"]["custom_id"]: c["component"].get("value") for c in reopened.modal["components"][:4]}
    assert values == STORY  # the learner's text, kept
    return await course.learner.submit_modal(reopened, {**values, "credit": "named"})


async def test_a_locked_database_keeps_the_learners_story(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await simcord_bot.db.execute("PRAGMA busy_timeout = 50")  # the test need not wait the usual 5 seconds
    other = sqlite3.connect(simcord_bot.settings.database_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        told = await share_story(course)
        assert await StoryStore(simcord_bot.db).by_author(course.guild.id, course.learner.id) == []
    finally:
        other.execute("ROLLBACK")
        other.close()
    sent = await send_again(course, told)
    assert "received" in sent.response.content
    story = await stored(simcord_bot, course, 1)
    assert story.title == STORY["title"] and review_post(course).id == story.queue_message_id


async def test_a_full_disk_keeps_the_learners_story(
    course: CourseWorld, simcord_bot: CourseBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    connection = simcord_bot.db._conn
    execute = connection.execute

    def full_disk(sql: str, *args: Any, **kwargs: Any) -> Any:  # what SQLite raises when the disk fills up
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return execute(sql, *args, **kwargs)

    monkeypatch.setattr(connection, "execute", full_disk)
    told = await share_story(course)
    monkeypatch.setattr(connection, "execute", execute)
    assert await StoryStore(simcord_bot.db).by_author(course.guild.id, course.learner.id) == []
    sent = await send_again(course, told)
    assert "received" in sent.response.content
    assert (await stored(simcord_bot, course, 1)).title == STORY["title"]


async def test_a_read_only_database_keeps_the_learners_story(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await simcord_bot.db.fetchall("PRAGMA query_only = 1")  # SQLite: "attempt to write a readonly database"
    try:
        told = await share_story(course)
        assert await StoryStore(simcord_bot.db).by_author(course.guild.id, course.learner.id) == []
    finally:
        await simcord_bot.db.fetchall("PRAGMA query_only = 0")
    sent = await send_again(course, told)
    assert "received" in sent.response.content
    assert (await stored(simcord_bot, course, 1)).title == STORY["title"]
