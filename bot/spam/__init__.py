"""Link-spam filter engine (pure: no Discord). See `bot.spam.engine` for the API."""

from bot.spam.config import SpamConfig
from bot.spam.engine import FloodCopy, MessageContext, SpamEngine, Verdict, assess_text
from bot.spam.links import Link
from bot.spam.reasons import Reason

__all__ = ["FloodCopy", "Link", "MessageContext", "Reason", "SpamConfig", "SpamEngine", "Verdict", "assess_text"]
