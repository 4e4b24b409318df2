"""Stories: how fast the store and the renderers are on a busy server.

Run: `.venv/bin/python benchmarks/stories_store.py [--stories N] [--rounds N]` (default 100,000 stories).

Prints p50/p99 of the reads the commands run among the stories of one server (two thirds published): browsing
a page (the total shown plus ten rows; the first, a random and the last page), `/story random`, a learner's
stories, the review queue, submitting one more story, rendering the longest story, and the time and peak
memory (tracemalloc) of the export as the service makes it (every story read, then the file made) and streamed.
The rows are written in bulk, straight into the stories table, so building 100,000 takes seconds. (The stories
retry timer, `pending_without_queue_post`, is gone since dcf5dcf: the job queue replaced it.)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.render import embed
from bot.storage.database import Database, open_database
from bot.storage.stories import StoryStore
from bot.stories import export
from bot.stories.cards import public_cards, review_cards
from bot.stories.model import NewStory, Story, StoryStatus, StoryText

GUILD = 1
T0 = datetime(2026, 1, 1, tzinfo=UTC)
PAGE = 10
TEXT = StoryText(
    "A story of a campaign that worked",
    "We tried a newsletter with a discount code for returning customers. " * 8,
    "Open rates doubled and the code was used 140 times. " * 5,
    "Unsubscribes went up after the third mail in a week. " * 5,
)


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{label:<52} p50 {p50 * 1000:8.3f} ms   p99 {p99 * 1000:8.3f} ms")


async def sample(rounds: int, call: Callable[[int], Awaitable[Any]]) -> list[float]:
    samples = []
    for index in range(rounds):
        start = time.perf_counter()
        await call(index)
        samples.append(time.perf_counter() - start)
    return samples


async def build(db: Database, stories: int) -> None:
    """`stories` stories in GUILD: 2 in 3 published, the rest declined except the newest 200, pending; every
    pending one has its #mod-queue post but the last 5."""
    rows = []
    for index in range(stories):
        number = index + 1
        pending = index >= stories - 200
        status = "pending" if pending else ("published" if index % 3 else "declined")
        decided = None if pending else (T0 + timedelta(minutes=index)).isoformat()
        queue = None if pending and index >= stories - 5 else 10_000 + index
        rows.append(
            (
                GUILD,
                number,
                100 + index % 500,
                f"learner {index % 500}",
                int(index % 7 == 0),
                f"lesson-{index % 40}" if index % 2 else None,
                f"{TEXT.title} {number}",
                TEXT.tried,
                TEXT.worked,
                TEXT.did_not_work,
                status,
                (T0 + timedelta(minutes=index)).isoformat(),
                None if pending else 9,
                decided,
                queue,
            )
        )
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO stories (guild_id, number, author_id, author_name, anonymous, lesson_slug, title, tried,"
            " worked, did_not_work, status, submitted_at, decided_by, decided_at, queue_message_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    await db.fetchall("ANALYZE")


async def browse(store: StoryStore, page: int | None, rng: random.Random) -> list[Story]:
    """What StoryService.browse reads: the total (shown in the footer), then one page."""
    total = await store.count_published(GUILD)
    pages = max(1, -(-total // PAGE))
    index = rng.randrange(pages) if page is None else min(page, pages - 1)
    return await store.published(GUILD, offset=index * PAGE, limit=PAGE)


async def service_random(store: StoryStore, rng: random.Random) -> list[Story]:
    """What StoryService.random reads."""
    total = await store.count_published(GUILD)
    return await store.published(GUILD, offset=rng.randrange(total), limit=1) if total else []


async def measure_export(label: str, make: Callable[[], Awaitable[int]]) -> None:
    start = time.perf_counter()
    size = await make()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    await make()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<52} {elapsed * 1000:10.1f} ms, {size / 1e6:6.1f} MB file, peak {peak / 2**20:7.1f} MiB")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.db")
        store = StoryStore(db)
        start = time.perf_counter()
        await build(db, args.stories)
        published = await store.count_published(GUILD)
        print(f"built {args.stories:,} stories ({published:,} published) in {time.perf_counter() - start:.1f} s")
        rounds = args.rounds

        report("browse first page (total + 10 rows)", await sample(rounds, lambda _: browse(store, 0, rng)))
        report("browse a random page", await sample(rounds, lambda _: browse(store, None, rng)))
        report("browse last page", await sample(rounds, lambda _: browse(store, 10**9, rng)))
        report("browse a lesson's first page", await sample(rounds, lambda i: lesson_page(store, i)))
        report("/story random (service: total + offset)", await sample(rounds, lambda _: service_random(store, rng)))
        report("StoryStore.random_published", await sample(rounds, lambda _: store.random_published(GUILD, rng)))
        report("/story show (by number)", await sample(rounds, lambda i: store.by_number(GUILD, 1 + i * 97)))
        report("/story mine (~200 stories each)", await sample(rounds, lambda i: store.by_author(GUILD, 100 + i)))
        report("/stories queue (20 + count)", await sample(rounds, lambda _: queue(store)))
        report("submit one story", await sample(rounds, lambda i: submit(store, i)))

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

        async def render(_: int) -> None:
            [embed(card) for card in review_cards(longest)]
            [embed(card) for card in public_cards(longest)]

        report("render longest story (review + public)", await sample(rounds, render))
        await exports(store, args.stories)
        await db.close()


async def lesson_page(store: StoryStore, index: int) -> list[Story]:
    slug = f"lesson-{1 + 2 * (index % 20)}"
    await store.count_published(GUILD, lesson_slug=slug)
    return await store.published(GUILD, lesson_slug=slug, limit=PAGE)


async def queue(store: StoryStore) -> int:
    await store.pending(GUILD, limit=20)
    return await store.count_pending(GUILD)


async def submit(store: StoryStore, index: int) -> Story:
    return await store.add(NewStory(GUILD, 100 + index, f"learner {index}", TEXT, False, T0))


async def exports(store: StoryStore, count: int) -> None:
    """The export as the service makes it (every story read, then rendered), and streamed when the store can."""
    for fmt in ("csv", "json"):

        async def whole(fmt: Any = fmt) -> int:
            stories = await store.all_stories(GUILD)
            return len(await asyncio.to_thread(export.render_export, stories, fmt))

        await measure_export(f"export {count:,} stories as {fmt} (all read)", whole)
    stream = getattr(store, "iter_stories", None)
    writers = {fmt: getattr(export, f"write_{fmt}", None) for fmt in ("csv", "json")}
    if stream is None:
        return
    for fmt, writer in writers.items():
        if writer is None:
            continue

        async def streamed(writer: Any = writer) -> int:
            sink = _CountingSink()
            await writer(stream(GUILD), sink)
            return sink.size

        await measure_export(f"export {count:,} stories as {fmt} (streamed)", streamed)


class _CountingSink(io.RawIOBase):
    """A file that only counts the bytes written (the upload's temporary file, without the disk)."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


if __name__ == "__main__":
    asyncio.run(main())
