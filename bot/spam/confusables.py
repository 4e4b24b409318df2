"""Skeletons and scripts: Unicode confusables, accents and leetspeak folded so that lookalike labels
read alike (`dіsс0rd` -> `discord`), and which alphabets a label mixes."""

from __future__ import annotations

import json
import unicodedata
from functools import cache, lru_cache
from importlib import resources

# Leetspeak and look-alike ASCII folded onto one letter; applied after Unicode confusables.
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("ii", "u"))
_SINGLE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "!": "l",
        "|": "l",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "q": "g",
        "_": "-",
    }
)


@cache
def _confusable_table() -> dict[int, str]:
    """Non-ASCII characters that look like one ASCII letter or digit (Unicode confusables data)."""
    text = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    data = json.loads(text)
    table: dict[int, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[ord(char)] = target.lower()
                break
    return table


# Cyrillic and Greek lowercase letters that read as a Latin letter in a URL bar (some are missing
# from the confusables data in their lowercase or small-capital forms).
_SCRIPT_LOOKS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ӏ": "l", "һ": "h",
        "ԛ": "q", "ԝ": "w", "п": "n", "г": "r", "и": "u", "ь": "b",
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
        "χ": "x", "ω": "w", "η": "n", "ς": "s", "γ": "y", "μ": "u", "ɡ": "g", "ı": "i", "ȷ": "j",
    }
)  # fmt: skip


@lru_cache(maxsize=65_536)
def skeleton(label: str) -> str:
    """Fold a label to the letters it looks like: accents off, confusables and leetspeak folded."""
    label = label.lower()
    if not label.isascii():
        label = label.translate(_SCRIPT_LOOKS).translate(_confusable_table())
        decomposed = unicodedata.normalize("NFKD", label)
        label = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
        label = label.translate(_confusable_table())
    for pair, single in _MULTI:
        label = label.replace(pair, single)
    return label.translate(_SINGLE)


def scripts_of(label: str) -> frozenset[str]:
    """Scripts of the letters in a label (LATIN, CYRILLIC, GREEK, ...)."""
    out = set()
    for ch in label:
        if ch.isalpha():
            if ch.isascii():
                out.add("LATIN")
            else:
                name = unicodedata.name(ch, "")
                out.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return frozenset(out)


def is_mixed_script(label: str) -> bool:
    """True when a label mixes Latin letters with Cyrillic, Greek or another cased script."""
    if label.isascii():
        return False
    scripts = scripts_of(label)
    return "LATIN" in scripts and len(scripts) > 1
