"""Soak: 200 story submissions from 40 learners and a decision on each (approve, decline, withdraw before or
after publishing), with Discord failing about 5 % of the bot's posts, thread creations and deletions (500, 502,
503, 429, injected at random). At the end every story is in its final state and nothing is posted twice."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.jobs.model import JobState
from bot.stories.model import StoryStatus
from tests.sim.test_stories_flow import STORY, dms, stored, withdraw_story

LEARNERS, STORIES_EACH = 40, 5
FAULTY = [
    ("POST", "/channels/*/messages"),
    ("POST", "/channels/*/messages/*/threads"),
    ("DELETE", "/channels/*/messages/*"),
]


def headline_counts(course: CourseWorld, channel: str) -> Counter[str]:
    return Counter(m.embeds[0].title or "" for m in course.channel(channel).history() if m.embeds)


async def test_soak_mixed_stories_with_random_discord_failures(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    rng = random.Random(11)
    guild = course.guild
    learners = [guild.add_member(simcord_env.create_user(f"soak{i}", global_name=f"Soak {i}")) for i in range(LEARNERS)]
    injected = 0

    def maybe_fail() -> None:
        nonlocal injected
        if rng.random() < 0.25:
            method, path = rng.choice(FAULTY)
            simcord_env.inject_error(method, path, status=rng.choice([500, 502, 503, 429]), times=1)
            injected += 1

    authors: dict[int, Any] = {}
    for round_ in range(STORIES_EACH):
        for index, learner in enumerate(learners):
            maybe_fail()
            shown = await learner.slash(course.channel("general"), "story share")
            number = round_ * LEARNERS + index + 1
            values = {**STORY, "title": f"Soak story {number:03d} on email", "credit": "named"}
            told = await learner.submit_modal(shown, values)
            assert "received" in told.response.content
            authors[number] = learner
    for _ in range(6):
        await simcord_env.advance_time(120)  # review posts that failed are retried
    assert len(authors) == LEARNERS * STORIES_EACH

    intent: dict[int, StoryStatus] = {}
    queue = {m.id: m for m in course.channel("mod-queue").history()}
    for number, learner in authors.items():
        story = await stored(simcord_bot, course, number)
        post = queue[story.queue_message_id]  # type: ignore[index]
        maybe_fail()
        choice = number % 8
        if choice in (0, 1, 2, 3):
            approved = await course.moderator.click(post, label="Approve")
            assert "story #" in approved.followups[0].content
            intent[number] = StoryStatus.PUBLISHED
        elif choice in (4, 5):
            asked = await course.moderator.click(post, label="Decline")
            await course.moderator.submit_modal(asked, {"reason": "Please say what you measured, and how."})
            intent[number] = StoryStatus.DECLINED
        else:
            await withdraw_story(course, number, learner)
            intent[number] = StoryStatus.WITHDRAWN
    late_withdrawals = [n for n, s in intent.items() if s is StoryStatus.PUBLISHED and n % 16 == 0]
    for _ in range(4):
        await simcord_env.advance_time(120)
    for number in late_withdrawals:  # withdrawn after publishing: the post must come down
        maybe_fail()
        await withdraw_story(course, number, authors[number])
        intent[number] = StoryStatus.WITHDRAWN
    for _ in range(10):
        await simcord_env.advance_time(300)

    # every story in its final state, every job done
    jobs = simcord_bot.services.jobs
    assert await jobs.count(JobState.DEAD) == 0
    assert await jobs.count(JobState.PENDING) == 0 and await jobs.count(JobState.RUNNING) == 0
    stories = {n: await stored(simcord_bot, course, n) for n in authors}
    assert {n: s.status for n, s in stories.items()} == intent

    # nothing posted twice: one review post per story, one public post and one thread per published story
    reviews = headline_counts(course, "mod-queue")
    assert all(reviews[f"#{n} · {s.title}"] == 1 for n, s in stories.items())
    public = headline_counts(course, "stories")
    published = {n for n, s in intent.items() if s is StoryStatus.PUBLISHED}
    assert set(public) == {f"#{n} · {stories[n].title}" for n in published}
    assert all(count == 1 for count in public.values())
    threads = course.channel("stories").threads
    assert sorted(t.id for t in threads) == sorted(stories[n].thread_id for n in published)  # type: ignore[type-var]
    posted = {m.id for m in course.channel("stories").history()}
    assert all(stories[n].post_message_id in posted for n in published)

    # each author told once per decision; one #mod-log line per decision and per withdrawal
    for number in published:
        said = [m.content for m in dms(authors[number]) if f"#{number} " in m.content and "was published" in m.content]
        assert len(said) == 1, (number, said)
    for number, status in intent.items():
        if status is StoryStatus.DECLINED:
            said = [m.content for m in dms(authors[number]) if f"#{number} " in m.content]
            assert len(said) == 1, (number, said)
    lines = Counter(m.content for m in course.channel("mod-log").history())
    assert all(count == 1 for count in lines.values()), [line for line, count in lines.items() if count > 1]
    decided = sum(1 for line in lines if " approved story #" in line or " declined story #" in line)
    assert decided == sum(1 for n, s in intent.items() if s is not StoryStatus.WITHDRAWN or n in late_withdrawals)
    assert sum(1 for line in lines if "was withdrawn by its author" in line) == sum(
        1 for s in intent.values() if s is StoryStatus.WITHDRAWN
    )
    calls, hit = len(simcord_env.backend.http_requests), injected - len(simcord_env.backend.faults)
    retried = await simcord_bot.db.fetchval("SELECT COUNT(*) FROM jobs WHERE attempts > 1")
    assert hit > 0 and retried > 0  # the failures happened, and the queue tried again
    print(
        f"soak: {len(authors)} stories, {calls} HTTP calls, {hit} failed by injection ({hit / calls:.1%}), "
        f"{retried} jobs retried"
    )
