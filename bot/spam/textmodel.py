"""The message model: how much the words and structure around links read like spam.

Tokens: lowercased words and word pairs outside the links, plus structure tokens for each link
(masked, on a free host, a video site, a trusted site, words of its path) and for the message
(money, shouting, many "!"). A logistic regression over a vocabulary learned from the YouTube
and SMS corpora and the course messages the project wrote (`data/spam/course-messages.tsv`);
weights shipped as `data/spam/text-model.json` ({token: weight}, bias under "").
"""

from __future__ import annotations

import html
import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.spam import logreg
from bot.spam.links import Extraction, extract
from bot.spam.lists import in_domain_set

WEIGHTS_FILE = "text-model.json"
COURSE_FILE = "course-messages.tsv"
TEXT_FLAG_RATE = 0.006  # legitimate link posts the text score alone may flag: half the engine's 2 % operating point,
# as rule signals (wording, bare links) add to a text score under the threshold

_WORD_RE = re.compile(r"[^\W\d_]{2,}|#(?:long)?num|[$£€]|!{2,}")
_NUM_RE = re.compile(r"\d+")
_LOWER_RE = re.compile(r"[a-z]")
_UPPER_RE = re.compile(r"[A-Z]")
_VIDEO = frozenset({"youtube.com", "youtu.be", "vimeo.com", "twitch.tv", "tiktok.com"})
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "to",
        "of",
        "and",
        "in",
        "is",
        "it",
        "on",
        "for",
        "this",
        "that",
        "i",
        "you",
        "be",
        "are",
        "was",
        "with",
        "at",
        "as",
        "or",
    ]
)


_PATH_WORD_RE = re.compile(r"[a-z]{3,}")


def tokens(
    extraction: Extraction,
    project_hosts: frozenset[str] = frozenset(),
    pair_firsts: frozenset[str] | None = None,
    allowed: frozenset[str] = frozenset(),
) -> list[str]:
    """Model tokens of a prepared message (links replaced by structure tokens).

    A link is a video site, a learner's project host, a site on the shipped allow list (`allowed`:
    learning, reference and marketing sites, "L:known") or any other site.

    `pair_firsts` (scoring only): the words that start some word pair the model weighs; pairs
    starting with any other word are not built, as they weigh nothing (same score, less work)."""
    text = extraction.text
    links = extraction.links
    out: list[str] = []
    pieces = []
    last = 0
    for link in links:
        if link.start >= last:
            pieces.append(text[last : link.start])
            last = link.end
        if link.masked_text is not None:
            out.append("L:masked")
            pieces.append(" " + link.masked_text + " ")
        reg = link.registered_domain
        if reg in _VIDEO:
            out.append("L:video")
        elif link.suffix in project_hosts:
            out.append("L:project")
        elif allowed and in_domain_set(link.host, allowed, reg):
            out.append("L:known")
        else:
            out.append("L:site")
        if link.path.strip("/"):
            out.append("L:path")
            for word in _PATH_WORD_RE.findall(link.path.lower())[:6]:
                out.append("p:" + word)
        if "?" in link.path:
            out.append("L:query")
    pieces.append(text[last:])
    rest = " ".join(pieces)
    if links:
        out.append(f"nl:{min(len(links), 3)}")
    low = rest.lower()
    words = _NUM_RE.sub(_num, low)
    words_list = _WORD_RE.findall(words)[:400]
    if len(words_list) >= 3 and _LOWER_RE.search(rest) is None and len(_UPPER_RE.findall(rest)) >= 12:
        out.append("S:shout")  # written in capitals only
    if len(words_list) < 4:
        out.append("S:short")
    out += words_list
    if pair_firsts is None:
        out += [f"{a} {b}" for a, b in pairwise(words_list) if a not in _STOP or b not in _STOP]
    else:
        out += [f"{a} {b}" for a, b in pairwise(words_list) if a in pair_firsts and (a not in _STOP or b not in _STOP)]
    return out


def _num(m: re.Match[str]) -> str:
    return " #num " if len(m.group(0)) < 5 else " #longnum "


@dataclass(frozen=True)
class TextModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # probability from which the text alone flags
    lower: float  # probability from which the text adds half a flag

    @cached_property
    def pair_firsts(self) -> frozenset[str]:
        """First words of the word pairs the model weighs (see `tokens(pair_firsts=...)`)."""
        return frozenset(t.split(" ", 1)[0] for t in self.weights if " " in t)

    def logit(self, toks: Iterable[str]) -> float:
        get = self.weights.get
        return self.bias + sum([get(t, 0.0) for t in set(toks)])  # each token once

    def probability(self, toks: Sequence[str]) -> float:
        z = max(-40.0, min(40.0, self.logit(toks)))
        return 1.0 / (1.0 + math.exp(-z))

    def scored(self, toks: Iterable[str]) -> list[tuple[float, str]]:
        """(weight, token) of each distinct token the model knows (one lookup per token, shared by
        `probability_of` and `top_words_of`)."""
        weights = self.weights
        return [(weights[t], t) for t in set(toks) if t in weights]

    def probability_of(self, scored: Sequence[tuple[float, str]]) -> float:
        """`probability` from `scored(toks)`: the same value."""
        z = max(-40.0, min(40.0, self.bias + sum([w for w, _ in scored])))
        return 1.0 / (1.0 + math.exp(-z))

    def top_words(self, toks: Iterable[str], n: int = 3) -> list[str]:
        """The words that weigh most towards spam, for the reason a moderator reads."""
        return self.top_words_of(self.scored(toks), n)

    def top_words_of(self, scored: Iterable[tuple[float, str]], n: int = 3) -> list[str]:
        """`top_words` from `scored(toks)`."""
        strong = [
            (w, t)
            for w, t in scored
            if w > 0.3 and not t.startswith(("L:", "S:", "nl:", "#")) and len(t) >= 3 and t not in _STOP
        ]
        strong.sort(key=lambda wt: (-wt[0], wt[1]))
        return [t.removeprefix("p:") for _, t in strong[:n]]


def model_from_json(data: dict[str, Any]) -> TextModel:
    weights = {k: float(v) for k, v in data["weights"].items()}
    return TextModel(weights, float(data["bias"]), float(data["threshold"]), float(data["lower"]))


@cache
def shipped_text_model() -> TextModel | None:
    from bot.spam.lists import read_shipped

    raw = read_shipped(WEIGHTS_FILE)
    if raw is None:
        return None
    return model_from_json(json.loads(raw.decode("utf-8")))


# --- training data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    text: str
    spam: bool
    source: str  # "youtube:<file>", "sms", "course"
    kind: str  # the course set's kind ("portfolio", "wallet sync", ...), else "spam"/"ham"


_ANCHOR_RE = re.compile(r"<a\b[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def clean_youtube(raw: str) -> str:
    """A YouTube comment as a Discord user would write it: `<a href>` as a masked link."""
    text = raw.replace("\ufeff", "")
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = _ANCHOR_RE.sub(lambda m: f"[{_TAG_RE.sub('', m.group(2))}]({m.group(1)})", text)
    text = _TAG_RE.sub("", text)
    return html.unescape(text).strip()


def youtube_samples(corpora: Path) -> list[Sample]:
    import csv

    out = []
    for path in sorted((corpora / "youtube").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                spam = row["CLASS"].strip() == "1"
                out.append(
                    Sample(clean_youtube(row["CONTENT"]), spam, f"youtube:{path.stem}", "spam" if spam else "ham")
                )
    return out


def sms_samples(corpora: Path) -> list[Sample]:
    out = []
    for line in (corpora / "sms" / "SMSSpamCollection").read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        label, text = line.split("\t", 1)
        out.append(Sample(html.unescape(text), label == "spam", "sms", label))
    return out


def course_samples() -> list[Sample]:
    from bot.spam.lists import read_shipped

    raw = read_shipped(COURSE_FILE) or b""
    out = []
    for line in raw.decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, kind, text = line.split("\t", 2)
        out.append(Sample(text.replace("\\n", "\n"), label == "spam", "course", kind))
    return out


def all_samples(corpora: Path) -> list[Sample]:
    return youtube_samples(corpora) + sms_samples(corpora) + course_samples()


def sample_tokens(samples: Sequence[Sample]) -> list[list[str]]:
    from bot.spam.lists import shipped_lists

    lists = shipped_lists()
    return [tokens(extract(s.text), lists.project_hosts, allowed=lists.allowed) for s in samples]


@dataclass(frozen=True)
class TextResult:
    model: TextModel
    meta: dict[str, Any]
    weights_bytes: bytes
    folds: tuple[Any, ...] = ()  # (weights, bias, held-out course samples) of each fold, for calibration


COURSE_WEIGHT = 6.0  # a course message counts as this many corpus rows: the community it guards


def fit_text(
    toks: Sequence[Sequence[str]],
    labels: Sequence[bool],
    *,
    epochs: int = 150,
    row_weights: Sequence[float] | None = None,
) -> tuple[dict[str, float], float]:
    counts: dict[str, int] = {}
    for row in toks:
        for t in set(row):
            counts[t] = counts.get(t, 0) + 1
    vocab = sorted(t for t, c in counts.items() if c >= 2)
    index = {t: i for i, t in enumerate(vocab)}
    rows = [sorted({index[t] for t in row if t in index}) for row in toks]
    x = logreg.SparseRows(rows, len(vocab))
    w, b = logreg.fit(x, [int(v) for v in labels], l2=3e-4, epochs=epochs, rate=0.05, row_weights=row_weights)
    weights = {t: round(float(w[i]), 5) for t, i in index.items() if abs(w[i]) >= 1e-3}
    return weights, round(float(b), 5)


FOLDS = 5


def course_fold(sample: Sample) -> int:
    """Cross-validation fold of a course message (CRC-32 of its text): stable across runs."""
    return zlib.crc32(sample.text.encode("utf-8")) % FOLDS


def cv_thresholds(
    samples: Sequence[Sample], toks: Sequence[Sequence[str]], *, epochs: int, folds_out: list[Any] | None = None
) -> tuple[float, float, dict[str, Any]]:
    """Thresholds from out-of-fold scores of the course messages: `threshold` flags at most
    TEXT_FLAG_RATE of the legitimate ones, `lower` (half a flag) at most three times that."""
    labels = [s.spam for s in samples]
    weights_rows = row_weights(samples)
    ham: list[float] = []
    spam: list[float] = []
    for fold in range(FOLDS):
        keep = [i for i, s in enumerate(samples) if not (s.source == "course" and course_fold(s) == fold)]
        test = [i for i, s in enumerate(samples) if s.source == "course" and course_fold(s) == fold]
        weights, bias = fit_text(
            [toks[i] for i in keep],
            [labels[i] for i in keep],
            epochs=epochs,
            row_weights=[weights_rows[i] for i in keep],
        )
        model = TextModel(weights, bias, 1.0, 1.0)
        if folds_out is not None:
            folds_out.append((weights, bias, [samples[i] for i in test]))
        for i in test:
            (spam if labels[i] else ham).append(model.probability(toks[i]))
    threshold = min(0.97, max(0.6, logreg.threshold_at_rate(ham, TEXT_FLAG_RATE))) if ham else 0.9
    lower = min(threshold, max(0.4, logreg.threshold_at_rate(ham, 10 * TEXT_FLAG_RATE))) if ham else 0.7
    caught = sum(p >= threshold for p in spam) / len(spam) if spam else float("nan")
    report = {"ham": len(ham), "spam": len(spam), "spam_over_threshold": round(caught, 4)}
    return round(threshold, 4), round(lower, 4), report


def row_weights(samples: Sequence[Sample]) -> list[float]:
    return [COURSE_WEIGHT if s.source == "course" else 1.0 for s in samples]


def train_text(corpora: Path, *, small: bool = False) -> TextResult:
    samples = all_samples(corpora)
    if small:
        samples = [s for i, s in enumerate(samples) if s.source == "course" or i % 6 == 0]
    toks = sample_tokens(samples)
    weights, bias = fit_text(
        toks, [s.spam for s in samples], epochs=60 if small else 150, row_weights=row_weights(samples)
    )
    folds: list[Any] = []
    threshold, lower, oof = cv_thresholds(samples, toks, epochs=60 if small else 150, folds_out=folds)
    data = {"bias": bias, "threshold": threshold, "lower": lower, "weights": weights}
    raw = (json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")
    meta = {
        "threshold": threshold,
        "lower": lower,
        "vocabulary": len(weights),
        "rows": len(samples),
        "course_cv": oof,
    }
    return TextResult(model_from_json(data), meta, raw, tuple(folds))
