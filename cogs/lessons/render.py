"""What lesson messages say: cards to embeds through the shared renderer, and reply texts cut to Discord's
limits. The buttons each message carries are built in buttons.py."""

from __future__ import annotations

import discord

from bot import render
from bot.core import limits
from bot.core.cards import Card
from bot.core.text import truncate
from bot.lessons.model import DoneState, LessonView, OutlineView, ProgressView


def card_embed(card: Card) -> discord.Embed:
    return render.embed(card)


def lesson_embed(view: LessonView) -> discord.Embed:
    return render.embed(view.card)


def outline_embed(view: OutlineView) -> discord.Embed:
    return render.embed(view.card)


def progress_embed(view: ProgressView) -> discord.Embed:
    return render.embed(view.card)


def content(text: str) -> str:
    """A reply's text, cut to what one message holds."""
    return truncate(text, limits.MESSAGE_CONTENT)


def done_content(state: DoneState) -> str:
    return content(state.text)
