"""Cards to embeds: the one renderer, which cuts every part to Discord's limits."""

from __future__ import annotations

import discord

from bot.core import limits
from bot.core.cards import Card
from bot.core.text import truncate


def embed(card: Card) -> discord.Embed:
    """The embed for `card`: every part cut to its limit, the description and then the fields to what is left
    of the 6,000 characters an embed may hold in all."""
    title = truncate(card.title, limits.EMBED_TITLE) if card.title else None
    author = truncate(card.author, limits.EMBED_AUTHOR) if card.author else None
    footer = truncate(card.footer, limits.EMBED_FOOTER) if card.footer else None
    budget = limits.EMBED_TOTAL - sum(len(part or "") for part in (title, author, footer))
    description = truncate(card.description, min(limits.EMBED_DESCRIPTION, budget)) if card.description else None
    budget -= len(description or "")
    result = discord.Embed(
        title=title,
        description=description,
        colour=discord.Colour(card.tone.value),
        url=card.url,
        timestamp=card.timestamp,
    )
    if author:
        result.set_author(name=author)
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
