"""What the spam filter and the moderators' actions do on Discord, as jobs (bot.jobs): the incident post, the
filter's deletion of a flood, the author's DM, a moderator's delete / timeout / ban, and the #mod-log lines.
The post and the filter's deletion are enqueued in the transaction that stores the incident, the #mod-log
lines in the one that stores the decision; a moderator's click is itself a job (one per incident and action),
so a Discord failure is retried and two clicks do it once. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from bot.jobs.model import NewJob, mod_log_job
from bot.spam.model import Incident

POST = "spam.post"
AUTO_DELETE = "spam.auto_delete"
TELL_AUTHOR = "spam.tell_author"
ACT = "spam.act"  # a moderator's delete, timeout or ban


def post_key(incident_id: int) -> str:
    return f"spam:{incident_id}:post"


def auto_delete_key(incident_id: int, message_id: int) -> str:
    return f"spam:{incident_id}:auto_delete:{message_id}"


def act_key(incident_id: int, action: str) -> str:
    return f"spam:{incident_id}:{action}"


def on_reported(guild_id: int, incident_id: int, message_id: int, *, delete: bool) -> list[NewJob]:
    """A post was flagged: the filter deletes it first (when it is sure), then the incident is posted."""
    jobs = [NewJob(POST, post_key(incident_id), {"incident_id": incident_id}, guild_id)]
    if delete:
        payload = {"incident_id": incident_id, "message_id": message_id}
        jobs.insert(0, NewJob(AUTO_DELETE, auto_delete_key(incident_id, message_id), payload, guild_id))
    return jobs


def tell_author(guild_id: int, incident_id: int, author_id: int, channel_id: int, reasons: Iterable[str]) -> NewJob:
    payload = {"incident_id": incident_id, "author_id": author_id, "channel_id": channel_id, "reasons": list(reasons)}
    return NewJob(TELL_AUTHOR, f"spam:{incident_id}:tell_author", payload, guild_id)


def on_auto_deleted(incident: Incident, last_message_id: int, line: str, tell_author_in: int | None) -> list[NewJob]:
    """The filter deleted copies: its #mod-log line, and the author's DM (the first time, naming the channel)."""
    jobs = log_line(incident.guild_id, f"spam:{incident.id}:auto_deleted:{last_message_id}", line)
    if tell_author_in is not None:
        jobs.append(tell_author(incident.guild_id, incident.id, incident.author_id, tell_author_in, incident.reasons))
    return jobs


def act(guild_id: int, incident_id: int, number: int, action: str, moderator_id: int, moderator_name: str) -> NewJob:
    payload = {
        "incident_id": incident_id,
        "number": number,
        "action": action,
        "moderator_id": moderator_id,
        "moderator_name": moderator_name,
    }
    return NewJob(ACT, act_key(incident_id, action), payload, guild_id)


def log_line(guild_id: int, key: str, line: str | None) -> list[NewJob]:
    return [mod_log_job(guild_id, key, line)] if line else []


def describe(kind: str, number: int | None, action: str | None = None) -> str:
    incident = f"spam incident #{number}" if number is not None else "a spam incident"
    return {
        POST: f"post {incident} in #mod-queue",
        AUTO_DELETE: f"delete the messages of {incident}",
        TELL_AUTHOR: f"tell the author of {incident} by DM",
        ACT: f"carry out “{action}” on {incident}",
    }.get(kind, f"finish a task for {incident}")
