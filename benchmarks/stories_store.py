"""Stories: how fast the store and the renderers are on a busy server. Run: .venv/bin/python benchmarks/stories_store.py

Prints submissions per second, the time to browse a page, pick a random story and list a learner's stories
among 10,000, the time to render the longest possible story, and the time and peak memory of an export.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.render import embed
from bot.storage.database import open_database
from bot.storage.stories import StoryStore
from bot.stories.cards import public_cards, review_cards
from bot.stories.export import to_csv, to_json
from bot.stories.model import NewStory, Story, StoryStatus, StoryText

GUILD = 1
STORIES = 10_000
T0 = datetime(2026, 1, 1, tzinfo=UTC)
TEXT = StoryText(
    "A story of a campaign that worked",
    "We tried a newsletter with a discount code for returning customers. " * 8,
    "Open rates doubled and the code was used 140 times. " * 5,
    "Unsubscribes went up after the third mail in a week. " * 5,
)


def timed(label: str, seconds: float, count: int = 1) -> None:
    per = seconds / count
    print(f"{label:<46} {per * 1000:9.3f} ms" + (f"  ({count / seconds:,.0f}/s)" if count > 1 else ""))


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.db")
        store = StoryStore(db)
        start = time.perf_counter()
        for index in range(STORIES):
            story = await store.add(
                NewStory(GUILD, 100 + index % 500, f"learner {index % 500}", TEXT, index % 7 == 0, T0)
            )
            if index % 3:
                await store.approve(story.id, 9, T0 + timedelta(seconds=index))
        timed("submit (+ approve 2 of 3) per story", time.perf_counter() - start, STORIES)

        rounds = 200
        start = time.perf_counter()
        for page in range(rounds):
            await store.published(GUILD, offset=(page % 50) * 10, limit=10)
            await store.count_published(GUILD)
        timed("browse one page (count + 10 rows)", time.perf_counter() - start, rounds)
        start = time.perf_counter()
        for _ in range(rounds):
            await store.random_published(GUILD)
        timed("random published story", time.perf_counter() - start, rounds)
        start = time.perf_counter()
        for author in range(rounds):
            await store.by_author(GUILD, 100 + author)
        timed("/story mine (20 stories each)", time.perf_counter() - start, rounds)
        start = time.perf_counter()
        for _ in range(rounds):
            await store.pending(GUILD, limit=20)
            await store.count_pending(GUILD)
        pending = await store.count_pending(GUILD)
        timed(f"/stories queue ({pending} pending)", time.perf_counter() - start, rounds)

        longest = Story(
            1,
            GUILD,
            1,
            1,
            "n",
            StoryText("*" * 100, "*" * 4000, "_" * 4000, "`" * 4000),
            True,
            None,
            StoryStatus.PUBLISHED,
            T0,
        )
        start = time.perf_counter()
        for _ in range(rounds):
            [embed(card) for card in review_cards(longest)]
            [embed(card) for card in public_cards(longest)]
        timed("render longest story (review + public)", time.perf_counter() - start, rounds)

        everything = await store.all_stories(GUILD)
        for name, render in (("csv", to_csv), ("json", to_json)):
            start = time.perf_counter()
            data = render(everything)
            elapsed = time.perf_counter() - start
            tracemalloc.start()
            render(everything)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(
                f"export {len(everything):,} stories as {name:<4} {elapsed * 1000:12.1f} ms, "
                f"{len(data) / 1e6:.1f} MB file, peak {peak / 1e6:.1f} MB"
            )
        await db.close()


if __name__ == "__main__":
    asyncio.run(main())
