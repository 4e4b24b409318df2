"""Parse `/poll create` input into a poll spec, checking every Discord limit with one message per problem."""

from __future__ import annotations

import re
from dataclasses import dataclass

import emoji as emoji_lib

from bot.core import limits
from bot.core.text import plural, quote_inline

MIN_ANSWERS = limits.POLL_MIN_ANSWERS
MAX_ANSWERS = limits.POLL_MAX_ANSWERS
MAX_ANSWER_LENGTH = limits.POLL_ANSWER
MAX_QUESTION_LENGTH = limits.POLL_QUESTION
MIN_DURATION_HOURS = limits.POLL_MIN_HOURS
MAX_DURATION_HOURS = limits.POLL_MAX_HOURS  # 32 days
DEFAULT_DURATION_HOURS = 24
ECHO = 41
"""An answer echoed in a refusal is cut to this: 40 characters and an ellipsis."""

_SEPARATORS = re.compile(r"[;|]")
_CUSTOM_EMOJI = re.compile(r"^<(?P<animated>a?):(?P<name>\w{2,32}):(?P<id>\d{15,21})>")


class PollInputError(ValueError):
    """Invalid poll input; `problems` holds one sentence per problem, in the order found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    """One answer: its text and an optional leading emoji (unicode, or `<:name:id>` for a custom one)."""

    text: str
    emoji: str | None = None

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.text}" if self.emoji else self.text


@dataclass(frozen=True, slots=True)
class PollSpec:
    """A validated poll, ready to post."""

    question: str
    answers: tuple[AnswerSpec, ...]
    duration_hours: int
    multiselect: bool = False


def split_emoji(raw: str) -> AnswerSpec:
    """Split an optional leading emoji (unicode or custom) off an answer."""
    text = " ".join(raw.split())
    custom = _CUSTOM_EMOJI.match(text)
    if custom:
        return AnswerSpec(text[custom.end() :].strip(), custom.group(0))
    found = emoji_lib.emoji_list(text[:16])
    if found and found[0]["match_start"] == 0:
        end = found[0]["match_end"]
        return AnswerSpec(text[end:].strip(), text[:end])
    return AnswerSpec(text)


def parse_answers(options: str) -> list[AnswerSpec]:
    """Split `options` on `;` or `|`; blank pieces (such as a trailing separator) are ignored."""
    return [split_emoji(piece) for piece in _SEPARATORS.split(options) if piece.strip()]


def answer_problems(answers: list[AnswerSpec]) -> list[str]:
    problems: list[str] = []
    if len(answers) < MIN_ANSWERS:
        found = "no answer" if not answers else "only one answer"
        problems.append(
            f"A poll needs at least {MIN_ANSWERS} answers, separated by `;` or `|` "
            f"(for example `Yes; No`); I found {found}."
        )
    elif len(answers) > MAX_ANSWERS:
        problems.append(f"Discord allows at most {plural(MAX_ANSWERS, 'answer')}; you gave {len(answers):,}.")
    for number, answer in enumerate(answers, start=1):
        if not answer.text:
            problems.append(f"Answer {number} ({answer.emoji}) has an emoji but no text.")
        elif len(answer.text) > MAX_ANSWER_LENGTH:
            problems.append(
                f"Answer {number} is {len(answer.text)} characters long; Discord allows "
                f"{MAX_ANSWER_LENGTH}: “{quote_inline(answer.text, ECHO)}”."
            )
    seen: dict[str, int] = {}
    for number, answer in enumerate(answers, start=1):
        key = answer.text.casefold()
        if not key:
            continue
        if key in seen:
            same = quote_inline(answer.text, ECHO)
            problems.append(f"Answers {seen[key]} and {number} are the same (“{same}”); remove one.")
        else:
            seen[key] = number
    return problems


def question_problems(question: str) -> list[str]:
    text = question.strip()
    if not text:
        return ["The question is empty; write what you want to ask."]
    if len(text) > MAX_QUESTION_LENGTH:
        return [f"The question is {len(text)} characters long; Discord allows {MAX_QUESTION_LENGTH}."]
    return []


def duration_problems(hours: int) -> list[str]:
    if not MIN_DURATION_HOURS <= hours <= MAX_DURATION_HOURS:
        return [
            f"The duration must be between {MIN_DURATION_HOURS} and {MAX_DURATION_HOURS} hours "
            f"(32 days); you gave {hours:,}."
        ]
    return []


def build_poll(
    question: str,
    options: str,
    duration_hours: int = DEFAULT_DURATION_HOURS,
    multiselect: bool = False,
) -> PollSpec:
    """Validate everything at once; raise PollInputError listing every problem found."""
    answers = parse_answers(options)
    problems = question_problems(question) + answer_problems(answers) + duration_problems(duration_hours)
    if problems:
        raise PollInputError(problems)
    return PollSpec(" ".join(question.split()), tuple(answers), duration_hours, multiselect)


def answers_to_json(answers: tuple[AnswerSpec, ...] | list[AnswerSpec]) -> list[dict[str, str | None]]:
    return [{"text": a.text, "emoji": a.emoji} for a in answers]


def answers_from_json(data: list[dict[str, str | None]]) -> tuple[AnswerSpec, ...]:
    return tuple(AnswerSpec(str(item["text"]), item.get("emoji")) for item in data)
