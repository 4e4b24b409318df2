"""Spam-wording rules: parsing `spam-wording.txt`, each branch's anchor words, and the Aho-Corasick
automaton that finds where rules can match in one scan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ahocorasick


@dataclass(frozen=True)
class WordingRule:
    """One spam-wording rule: its kind ("selling lists"), weight, trigger fragments and regex.

    The regex is matched on lowercased text. Each top-level alternative ("branch") whose matches
    all begin with known words is tried only where one of those words occurs (`anchors`); the
    other branches are searched when one of the rule's `triggers` occurs in the text.
    """

    kind: str
    weight: float
    triggers: tuple[str, ...]
    pattern: re.Pattern[str]
    branches: tuple[tuple[tuple[str, ...] | None, re.Pattern[str]], ...] = ()

    def search(self, lowered: str) -> re.Match[str] | None:
        """The first match in a lowercased text, or None (cheap when no trigger occurs)."""
        for trigger in self.triggers:
            if trigger in lowered:
                return self.pattern.search(lowered)
        return None


_SPECIAL = frozenset("\\()[]{}?*+.|^$")


def split_branches(regex: str) -> list[str]:
    """The top-level alternatives of a regular expression."""
    parts, depth, current, i = [], 0, [], 0
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            current.append(regex[i : i + 2])
            i += 2
            continue
        if char == "[":
            close = regex.index("]", i + 2 if regex[i + 1 : i + 2] in ("]", "^") else i + 1)
            current.append(regex[i : close + 1])
            i = close + 1
            continue
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def _literal_prefix(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        if char in _SPECIAL or text[i + 1 : i + 2] in ("?", "*", "{"):
            break
        out.append(char)
    return "".join(out)


def branch_anchors(branch: str) -> tuple[str, ...] | None:
    """Words every match of a branch begins with (`\\b(?:phone|mobile)...` -> phone, mobile), or None."""
    body = branch.removeprefix("\\b")
    while body.startswith(("(?<=", "(?<!")):  # a lookbehind before the words: skip it
        close = _group_end(body)
        if close < 0:
            return None
        body = body[close + 1 :]
    if body.startswith("(?:"):
        end = _group_end(body)
        if end < 0 or body[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        words = [_literal_prefix(alt) for alt in split_branches(body[3:end])]
    else:
        words = [_literal_prefix(body)]
    if any(not word or (len(word) < 2 and word.isalnum()) for word in words):
        return None
    return tuple(dict.fromkeys(words))


def _group_end(text: str) -> int:
    """Index of the parenthesis closing the group that opens `text` (-1 if unbalanced)."""
    depth, i = 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a character class: its brackets and parentheses are literal
            close = text.find("]", i + 2)
            if close < 0:
                return -1
            i = close + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def parse_wording(lines: list[str]) -> tuple[WordingRule, ...]:
    rules = []
    for raw in lines:
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        weight, kind, triggers, pattern = raw.rstrip("\n").split("\t", 3)
        fragments = tuple(t for t in triggers.split(",") if t)
        branches = tuple((branch_anchors(b), re.compile(b)) for b in split_branches(pattern))
        rules.append(WordingRule(kind.strip(), float(weight), fragments, re.compile(pattern), branches))
    return tuple(rules)


def build_triggers(rules: tuple[WordingRule, ...]) -> Any:
    """An Aho-Corasick automaton: each anchor word (or, for branches without anchors, each rule
    trigger) -> (length or 0 for "search the whole text", whether it must start a word,
    ((rule index, branch index, branch pattern), ...)). The pattern rides along so a hit needs
    no lookups to reach it."""
    table: dict[tuple[str, int], list[tuple[int, int, re.Pattern[str]]]] = {}
    word_start: dict[tuple[str, int], bool] = {}
    for rule_index, rule in enumerate(rules):
        for branch_index, (anchors, pattern) in enumerate(rule.branches):
            starts_word = pattern.pattern.startswith("\\b")
            for word in anchors or rule.triggers:
                key = (word, len(word) if anchors else 0)
                table.setdefault(key, []).append((rule_index, branch_index, pattern))
                word_start[key] = word_start.get(key, True) and starts_word and bool(anchors)
    by_word: dict[str, list[tuple[int, bool, tuple[tuple[int, int, re.Pattern[str]], ...]]]] = {}
    for (word, length), entries in table.items():
        by_word.setdefault(word, []).append((length, word_start[(word, length)], tuple(entries)))
    automaton = ahocorasick.Automaton()
    for word, groups in by_word.items():
        if len(groups) == 1:
            automaton.add_word(word, groups[0])
        else:  # the same word anchors some branches and gates others: keep both, searched first
            merged = tuple(e for _, _, entries in sorted(groups, key=lambda group: group[0]) for e in entries)
            automaton.add_word(word, (0, False, merged))
    automaton.make_automaton()
    return automaton
