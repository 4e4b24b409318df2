"""Speed of lesson autocomplete and full-text search on a course of 10,000 generated lessons.

Run: `.venv/bin/python benchmarks/lessons_search.py [--lessons N] [--queries N]`. Prints the median and
99th-percentile time of `LessonStore.suggest` (autocomplete) and `LessonStore.search`, measured through
the real aiosqlite connection. Aim: p99 under 5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.lessons.model import Lesson
from bot.storage.database import open_database
from bot.storage.lessons import LessonStore

TOPICS = [
    "search engine optimisation",
    "pay per click",
    "content marketing",
    "social media",
    "email newsletters",
    "video advertising",
    "mobile apps",
    "digital television",
    "interactive billboards",
    "customer data",
    "analytics",
    "brand trust",
    "recommendations",
    "word of mouth",
    "landing pages",
    "conversion",
    "retargeting",
    "influencers",
    "podcasts",
    "affiliate programmes",
    "marketplaces",
    "loyalty schemes",
    "customer service",
    "privacy",
    "security",
    "networks",
    "infrastructure",
    "integration",
    "technical support",
    "dashboards",
    "budgets",
    "keywords",
    "reviews",
]
ANGLES = [
    "basics",
    "in practice",
    "for small businesses",
    "mistakes to avoid",
    "measuring results",
    "case study",
    "checklist",
    "for charities",
    "on a budget",
    "in real time",
    "and trust",
    "and IT",
    "strategy",
    "tools",
    "myths",
    "step by step",
]
WORDS = [
    "customer",
    "audience",
    "channel",
    "campaign",
    "budget",
    "click",
    "search",
    "ranking",
    "organic",
    "paid",
    "content",
    "video",
    "post",
    "share",
    "trust",
    "brand",
    "offer",
    "message",
    "data",
    "privacy",
    "security",
    "network",
    "system",
    "support",
    "website",
    "app",
    "store",
    "review",
    "friend",
    "advert",
    "mobile",
    "screen",
    "measure",
    "result",
    "test",
    "improve",
    "plan",
    "goal",
    "lead",
    "sale",
    "engage",
    "reply",
    "community",
]


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return rng.choice([text[:i] + text[i + 1 :], text[:i] + text[i + 1] + text[i] + text[i + 2 :]])


def vocabulary(rng: random.Random, size: int = 5000) -> tuple[list[str], list[float]]:
    """The benchmark's words: the marketing words above plus made-up ones, Zipf-distributed like prose."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    made_up = {"".join(rng.choices(letters, k=rng.randint(4, 10))) for _ in range(size)}
    words = WORDS + sorted(made_up)
    return words, [1 / (rank + 1) for rank in range(len(words))]


def generate(n: int, rng: random.Random) -> list[Lesson]:
    lessons = []
    words, weights = vocabulary(rng)
    for k in range(n):
        topic, angle = rng.choice(TOPICS), rng.choice(ANGLES)
        body = "\n\n".join(" ".join(rng.choices(words, weights, k=25)).capitalize() + "." for _ in range(6))
        lessons.append(
            Lesson(
                slug=f"lesson-{k}",
                title=f"{topic.capitalize()} {angle} {k}",
                module=f"Module {k // 100 + 1}",
                order=k,
                body=f"**{topic}**\n\n{body}",
                source="Generated for the benchmark",
                tags=(topic.split()[0], rng.choice(WORDS)),
                aliases=(f"{topic} {angle} number {k}",),
            )
        )
    return lessons


async def timed(call: Callable[[str], Awaitable[object]], queries: list[str]) -> list[float]:
    for query in queries[:20]:  # warm the page cache
        await call(query)
    times = []
    for query in queries:
        start = time.perf_counter()
        await call(query)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name:<28} median {statistics.median(ordered):6.2f} ms   p99 {p99:6.2f} ms   ({len(ordered)} queries)")


async def main(lessons: int, queries: int) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.db")
        store = LessonStore(db)
        course = generate(lessons, rng)
        start = time.perf_counter()
        await store.import_lessons(course)
        print(f"imported {lessons} lessons in {time.perf_counter() - start:.2f} s")

        typed = []
        for _ in range(queries):
            title = rng.choice(course).title.lower()
            words = title.split()[: rng.randint(1, 3)]
            kind = rng.random()
            if kind < 0.2:
                typed.append(title[: rng.randint(1, 2)])  # the first letters
            elif kind < 0.6:
                typed.append(" ".join(typo(w, rng) for w in words))  # with typos
            else:
                typed.append(" ".join(words))
        questions = [
            f"how do I use {rng.choice(TOPICS)} to {rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(queries)
        ]
        report("autocomplete (suggest)", await timed(lambda q: store.suggest(q, 25), typed))
        report("autocomplete, empty query", await timed(lambda q: store.suggest("", 25), ["" for _ in range(200)]))
        report("search (FTS5 bm25, 5 hits)", await timed(lambda q: store.search(q, 5), questions))
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(main(args.lessons, args.queries))
