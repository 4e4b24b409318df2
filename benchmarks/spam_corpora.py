"""Loading the labelled corpora in /work/shared/corpora (shared by the spam benchmarks).

YouTube: CSV with HTML entities and `<br />`, a stray U+FEFF at the end of comments; the HTML
`<a href="...">text</a>` of a comment is turned into the Markdown masked link a Discord user would
write. SMS: `label<TAB>text`, split on the first tab (a CSV reader miscounts rows).
"""

from __future__ import annotations

import csv
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

CORPORA = Path(os.environ.get("COURSEBOT_CORPORA", "/work/shared/corpora"))

_ANCHOR_RE = re.compile(r"<a\b[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Sample:
    source: str  # "youtube" or "sms"
    spam: bool
    text: str


def clean_youtube(raw: str) -> str:
    text = raw.replace("\ufeff", "")
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = _ANCHOR_RE.sub(lambda m: f"[{_TAG_RE.sub('', m.group(2))}]({m.group(1)})", text)
    text = _TAG_RE.sub("", text)
    return html.unescape(text).strip()


def youtube() -> list[Sample]:
    out = []
    for path in sorted((CORPORA / "youtube").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                out.append(Sample("youtube", row["CLASS"].strip() == "1", clean_youtube(row["CONTENT"])))
    return out


def sms() -> list[Sample]:
    out = []
    with (CORPORA / "sms" / "SMSSpamCollection").open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if "\t" not in line:
                continue
            label, text = line.split("\t", 1)
            out.append(Sample("sms", label == "spam", html.unescape(text)))
    return out


def all_samples() -> list[Sample]:
    return youtube() + sms()
