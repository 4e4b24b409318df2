"""Cards: what a service wants shown, in plain values. Adapters turn them into embeds (bot.render).

Text in a card is Markdown the service wrote; user text in it has gone through `neutralise()`.
The renderer cuts every part to Discord's limits, so services need not count characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class Tone(Enum):
    """The colour of a card, by what it means."""

    INFO = 0x3B82F6
    SUCCESS = 0x22C55E
    WARNING = 0xF59E0B
    DANGER = 0xEF4444
    NEUTRAL = 0x6B7280


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class Card:
    title: str
    description: str = ""
    fields: tuple[Field, ...] = ()
    footer: str | None = None
    tone: Tone = Tone.INFO
    url: str | None = None
    image: str | None = None  # the file name of an attachment sent with the card
    author: str | None = None
    timestamp: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)
