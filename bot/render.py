"""Cards to embeds: the one renderer, which cuts every part to Discord's limits."""

from __future__ import annotations

import discord

from bot.core import limits
from bot.core.cards import Card
from bot.core.text import truncate


def embed(card: Card) -> discord.Embed:
    """The embed for `card`; over-long parts are cut with an ellipsis and fields beyond 25 dropped."""
    result = discord.Embed(
        title=truncate(card.title, limits.EMBED_TITLE) if card.title else None,
        description=truncate(card.description, limits.EMBED_DESCRIPTION) if card.description else None,
        colour=discord.Colour(card.tone.value),
        url=card.url,
        timestamp=card.timestamp,
    )
    budget = limits.EMBED_TOTAL - len(result.title or "") - len(result.description or "")
    if card.author:
        result.set_author(name=truncate(card.author, limits.EMBED_AUTHOR))
        budget -= len(result.author.name or "")
    footer = truncate(card.footer, limits.EMBED_FOOTER) if card.footer else None
    budget -= len(footer or "")
    for field in card.fields[: limits.EMBED_FIELDS]:
        name = truncate(field.name, limits.EMBED_FIELD_NAME) or "\u200b"
        value = truncate(field.value, limits.EMBED_FIELD_VALUE) or "\u200b"
        if len(name) + len(value) > budget:
            break
        budget -= len(name) + len(value)
        result.add_field(name=name, value=value, inline=field.inline)
    if footer:
        result.set_footer(text=footer)
    if card.image:
        result.set_image(url=f"attachment://{card.image}")
    return result


def embeds(cards: list[Card]) -> list[discord.Embed]:
    return [embed(card) for card in cards[: limits.EMBEDS_PER_MESSAGE]]
