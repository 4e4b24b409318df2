"""What each story transition does on Discord, as jobs (bot.jobs) the store enqueues in the transition's own
transaction: the review post, publishing (post, thread, pages), the author's DM, taking a post down, and the
#mod-log lines. Keys name each effect once, so a repeated transition never repeats it. Pure."""

from __future__ import annotations

from bot.jobs.model import NewJob, mod_log_job
from bot.stories import messages
from bot.stories.model import Story

REVIEW = "story.review"
PUBLISH = "story.publish"
DM = "story.dm"
TAKE_DOWN = "story.take_down"

DM_PUBLISHED = "published"
DM_DECLINED = "declined"


def _key(story: Story, what: str) -> str:
    return f"story:{story.id}:{what}"


def review_key(story: Story) -> str:
    return _key(story, "review")


def publish_key(story: Story) -> str:
    return _key(story, "publish")


def take_down_key(story: Story) -> str:
    return _key(story, "take_down")


def _about(story: Story, **more: object) -> dict[str, object]:
    return {"story_id": story.id, "number": story.number, **more}


def on_submitted(story: Story) -> list[NewJob]:
    return [NewJob(REVIEW, review_key(story), _about(story), story.guild_id)]


def on_decided(story: Story, moderator_name: str, moderator_id: int) -> list[NewJob]:
    """Approved: publish it (the author hears once the post is up: `on_posted`). Declined: tell the author."""
    line = mod_log_job(
        story.guild_id, _key(story, "decision"), messages.decision_log(story, moderator_name, moderator_id)
    )
    if story.is_published:
        return [NewJob(PUBLISH, publish_key(story), _about(story), story.guild_id), line]
    dm = NewJob(DM, _key(story, "dm:declined"), _about(story, event=DM_DECLINED), story.guild_id)
    return [dm, line]


def on_posted(story: Story) -> list[NewJob]:
    """The public post is recorded: the author hears where it is."""
    return [NewJob(DM, _key(story, "dm:published"), _about(story, event=DM_PUBLISHED), story.guild_id)]


def on_withdrawn(story: Story) -> list[NewJob]:
    """Withdrawn: its public post (if it has one by now) comes down, and moderators read it in #mod-log."""
    jobs = [mod_log_job(story.guild_id, _key(story, "withdrawn"), messages.withdrawal_log(story))]
    if story.post_channel_id is not None and story.post_message_id is not None:
        post = {"channel_id": story.post_channel_id, "message_id": story.post_message_id, "thread_id": story.thread_id}
        jobs.insert(0, NewJob(TAKE_DOWN, take_down_key(story), _about(story, **post), story.guild_id))
    return jobs


def describe(kind: str, number: int | None) -> str:
    """How a moderator's note names a story job that gave up ("I gave up trying to ...")."""
    story = f"story #{number}" if number is not None else "a story"
    return {
        REVIEW: f"post {story} for review in #mod-queue (meanwhile `/stories queue` lists it)",
        PUBLISH: f"publish {story} in #stories",
        DM: f"tell the author of {story} by DM",
        TAKE_DOWN: f"take the withdrawn {story} down from #stories",
    }.get(kind, f"finish a task for {story}")
