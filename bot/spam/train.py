"""`coursebot spam train`: rebuild the shipped model weights, deterministically, bit for bit.

Host model: positives are the shipped phishing list's hosts, negatives the public top-sites
ranking (`<corpora>/top-sites/`), the shipped allow list, brands' official domains and learner
project-style subdomains of free hosts (generated from fixed word lists). 20 % of the registered
domains (by CRC-32) are held out; the threshold is the score that flags 0.5 % of held-out benign
hosts, and the report gives the held-out recall there.

Text model: see `bot.spam.textmodel` (trained on the YouTube and SMS corpora and on the course
messages in `data/spam/course-messages.tsv`).

No randomness anywhere: the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.spam import hostmodel, logreg
from bot.spam.domains import domain_info
from bot.spam.lists import PHISHING_FILE, read_shipped
from bot.spam.lookalike import REAL_DOMAINS

HOLD_OUT = 5  # 1 in 5 registered domains held out
HOST_FALSE_FLAG_RATE = 0.005

_FIRST = [
    "alice",
    "bob",
    "carla",
    "dan",
    "emma",
    "felix",
    "grace",
    "hana",
    "ivan",
    "jules",
    "kofi",
    "lena",
    "marco",
    "nina",
    "omar",
    "priya",
    "quinn",
    "rosa",
    "sam",
    "tara",
    "umar",
    "vera",
    "wei",
    "xena",
    "yusuf",
    "zoe",
    "ahmed",
    "bea",
    "chen",
    "diego",
    "elif",
    "farah",
    "gus",
    "hiro",
    "ines",
    "jonas",
    "kemal",
    "lucia",
    "mateo",
    "noor",
    "olga",
    "pavel",
    "rania",
    "sofia",
    "tomas",
    "uma",
    "vikram",
    "wanda",
    "yara",
    "zain",
]
_LAST = [
    "smith",
    "garcia",
    "kim",
    "nguyen",
    "okafor",
    "rossi",
    "müller",
    "silva",
    "patel",
    "cohen",
    "novak",
    "berg",
    "lee",
    "khan",
    "dubois",
]
_WORDS = [
    "portfolio",
    "blog",
    "site",
    "notes",
    "dev",
    "projects",
    "cv",
    "resume",
    "homepage",
    "lab",
    "demo",
    "app",
    "web",
    "landing",
    "course",
    "marketing",
    "seo",
    "analytics",
    "campaign",
    "brand-study",
    "capstone",
    "final-project",
    "week3",
    "module2",
    "todo",
    "weather",
    "quiz",
    "dashboard",
    "shop-mockup",
    "newsletter",
    "recipes",
    "photos",
    "design",
    "ux",
    "case-study",
    "data-viz",
    "journal",
]

_TEAMS = [
    "orbit",
    "nova",
    "pixel",
    "alpha",
    "lumen",
    "atlas",
    "echo",
    "delta",
    "maple",
    "cobalt",
    "sprout",
    "falcon",
    "tidal",
    "ember",
    "quartz",
    "zephyr",
]


def project_host_names(suffixes: Iterable[str]) -> list[str]:
    """Learner-style sites on free hosts: alice-smith.github.io, seo-capstone-nina.vercel.app."""
    out: list[str] = []
    suffixes = sorted(suffixes)
    for i, first in enumerate(_FIRST):
        last = _LAST[i % len(_LAST)]
        word = _WORDS[i % len(_WORDS)]
        word2 = _WORDS[(i * 7 + 3) % len(_WORDS)]
        forms = (
            first,
            f"{first}{last}",
            f"{first}-{last}",
            f"{first}-{word}",
            f"{word}-{first}",
            f"{first}{i % 97}",
            f"{word2}-{word}",
            f"{first[0]}{last}-{word}",
            f"my-{word}",
        )
        for j, form in enumerate(forms):
            suffix = suffixes[(i * 5 + j) % len(suffixes)]
            out.append(f"{form}.{suffix}")
    # group work: "team-nova-campaign", "group4-brand-study", "pixel-crew-dashboard"
    for t, team in enumerate(_TEAMS):
        for j in range(8):
            word = _WORDS[(t * 5 + j * 11) % len(_WORDS)]
            form = (f"team-{team}-{word}", f"{team}-crew-{word}", f"group{t % 9 + 1}-{word}", f"{team}{word}")[j % 4]
            if j >= 4:
                form = (f"team-{team}", f"team{team}-{word}", f"{word}-team-{team}", f"{team}-squad")[j % 4]
            out.append(f"{form.replace('--', '-')}.{suffixes[(t * 7 + j) % len(suffixes)]}")
    # project names without a person: "weather-dash", "seo-audit-2", on every free host
    for k, word in enumerate(_WORDS):
        for m, other in enumerate(_WORDS):
            if word == other or (k + m) % 3:
                continue
            form = f"{word}-{other}" if (k * m) % 2 else f"{word}{other.replace('-', '')}"
            if (k + 2 * m) % 5 == 0:
                form = f"{form}-{(k * 7 + m) % 20 + 1}"
            out.append(f"{form}.{suffixes[(k * 3 + m) % len(suffixes)]}")
    return sorted(set(out))


@dataclass(frozen=True)
class HostData:
    hosts: list[str]
    labels: list[int]
    held_out: list[bool]


def _entries(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            out.append(entry.removeprefix("www."))
    return out


def host_data(corpora: Path, *, every: int = 1) -> HostData:
    """Labelled hosts; `every` > 1 keeps one in `every` (a fast, small config for tests)."""
    raw = read_shipped(PHISHING_FILE) or b""
    positives = [e for e in _entries(raw.decode("utf-8")) if "/" not in e]
    top = (corpora / "top-sites" / "tranco-top100k-even-ranks.txt").read_text(encoding="utf-8")
    negatives = _entries(top)
    allowed = read_shipped("allowed-domains.txt") or b""
    negatives += _entries(allowed.decode("utf-8"))
    for domains in REAL_DOMAINS.values():
        negatives += sorted(domains)
    projects = read_shipped("project-hosts.txt") or b""
    negatives += project_host_names(_entries(projects.decode("utf-8")))
    seen: dict[str, int] = {}
    for host in negatives:
        seen.setdefault(host, 0)
    for host in positives:
        seen[host] = 1  # a listed host is a scam even if it ranks
    hosts = sorted(seen)
    if every > 1:
        hosts = [h for h in hosts if zlib.crc32(h.encode()) % every == 0]
    labels = [seen[h] for h in hosts]
    held = [zlib.crc32(domain_info(h).registered_domain.encode("utf-8")) % HOLD_OUT == 0 for h in hosts]
    return HostData(hosts, labels, held)


def host_rows(hosts: list[str]) -> list[list[int]]:
    rows = []
    for host in hosts:
        info = domain_info(host)
        rows.append(hostmodel.feature_indexes(hostmodel.facts(info.host, info.suffix)[0]))
    return rows


@dataclass(frozen=True)
class HostResult:
    weights: Any  # float32, DIM + 1
    threshold: float
    report: dict[str, Any]


def train_host(data: HostData, *, epochs: int = 120) -> HostResult:
    rows = host_rows(data.hosts)
    y = np.asarray(data.labels, dtype=np.int64)
    held = np.asarray(data.held_out, dtype=bool)
    train_idx = np.flatnonzero(~held)
    test_idx = np.flatnonzero(held)
    x_train = logreg.SparseRows([rows[i] for i in train_idx], hostmodel.DIM)
    w, b = logreg.fit(x_train, y[train_idx], l2=2e-6, epochs=epochs, rate=0.05)
    weights = np.concatenate([w, [b]]).astype(np.float32)
    x_test = logreg.SparseRows([rows[i] for i in test_idx], hostmodel.DIM)
    z = x_test.dot(weights[:-1].astype(np.float64)) + float(weights[-1])
    p = logreg.sigmoid(z)
    y_test = y[test_idx]
    neg = p[y_test == 0]
    pos = p[y_test == 1]
    threshold = logreg.threshold_at_rate(neg.tolist(), HOST_FALSE_FLAG_RATE)
    recall = float((pos >= threshold).mean()) if len(pos) else float("nan")
    fpr = float((neg >= threshold).mean()) if len(neg) else float("nan")
    report = {
        "held_out_scam_hosts": len(pos),
        "held_out_benign_hosts": len(neg),
        "recall_at_0.5pct": round(recall, 4),
        "benign_flagged": round(fpr, 4),
        "threshold": round(threshold, 6),
    }
    return HostResult(weights, float(np.float32(threshold)), report)


def npy_bytes(array: Any) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def meta_bytes(meta: dict[str, Any]) -> bytes:
    return (json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def train_all(corpora: Path, *, small: bool = False) -> dict[str, bytes]:
    """File name -> bytes of every shipped model file."""
    from bot.spam import textmodel

    every = 8 if small else 1
    host = train_host(host_data(corpora, every=every), epochs=40 if small else 120)
    text = textmodel.train_text(corpora, small=small)
    meta = {
        "host": {"threshold": host.threshold, "dim": hostmodel.DIM, "report": host.report},
        "text": text.meta,
        "calibration": calibrate(host, text),
        "small": small,
    }
    return {
        hostmodel.WEIGHTS_FILE: npy_bytes(host.weights),
        textmodel.WEIGHTS_FILE: text.weights_bytes,
        hostmodel.META_FILE: meta_bytes(meta),
    }


def calibrate(host: HostResult, text: Any) -> dict[str, Any]:
    """One probability from the verdict's score (rule signals plus both model reasons): a logistic
    regression of "spam" on the score of each course message, scored out of fold (its fold's
    message model never saw it). The flag threshold stays at the score for which at most 2 % of
    the legitimate course posts are flagged; the probability there is reported."""
    from bot.spam.engine import SpamEngine
    from bot.spam.textmodel import TextModel

    host_model = hostmodel.HostModel(host.weights, host.threshold)
    meta = text.meta
    scores: list[float] = []
    labels: list[int] = []
    for weights, bias, held in text.folds:
        engine = SpamEngine(
            host_model=host_model, text_model=TextModel(weights, bias, meta["threshold"], meta["lower"])
        )
        for sample in held:
            scores.append(min(10.0, engine.assess(sample.text).score))
            labels.append(int(sample.spam))
    if not scores or len(set(labels)) < 2:
        return {"a": 1.0, "b": -1.0, "rows": len(scores)}
    w = logreg.fit_dense(np.asarray(scores, dtype=np.float64).reshape(-1, 1), labels, l2=1e-3, epochs=1500)
    a, b = round(float(w[0]), 5), round(float(w[1]), 5)
    ham = [sc for sc, y in zip(scores, labels, strict=True) if not y]
    spam = [sc for sc, y in zip(scores, labels, strict=True) if y]
    at_flag = 1.0 / (1.0 + float(np.exp(-(a * 1.0 + b))))
    return {
        "a": a,
        "b": b,
        "rows": len(scores),
        "probability_at_flag_threshold": round(at_flag, 4),
        "course_ham_flagged": round(sum(s >= 1.0 for s in ham) / max(1, len(ham)), 4),
        "course_spam_flagged": round(sum(s >= 1.0 for s in spam) / max(1, len(spam)), 4),
    }
