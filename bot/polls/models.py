"""Old name of bot.polls.model (kept for modules not yet moved over)."""

from bot.polls.model import AnswerRecord, Claim, NewPoll, NewSchedule, PollRecord, QueueItem, ScheduleRecord

__all__ = ["AnswerRecord", "Claim", "NewPoll", "NewSchedule", "PollRecord", "QueueItem", "ScheduleRecord"]
