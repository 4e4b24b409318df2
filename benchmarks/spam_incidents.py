"""Cost of the spam filter's Discord side away from Discord: storing incidents, `/spam stats`, the chart.

Run: `.venv/bin/python benchmarks/spam_incidents.py [--incidents N]`. Fills a fresh database with N
incidents (each with two copies, a decision for two thirds of them) over 90 days, then prints: incidents
stored per second (create + second copy + decision, each a transaction), the median and p99 of
`SpamStore.get` (what a button click reads), of `SpamStore.stats` for 30 days, and of rendering the chart.
Aim: stats under 100 ms on 20,000 incidents; a button's read under 5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.spam.model import Copy, DecisionAction, NewIncident
from bot.spam.stats import render_chart
from bot.storage.database import open_database
from bot.storage.spam import SpamStore

GUILD = 1
NOW = datetime(2026, 6, 1, tzinfo=UTC)
DOMAINS = ("dlscord-gift.ru", "stearncommunity.net", "claim-airdrop.xyz", "latestdatabase.com", "bit.ly")
DECISIONS = (DecisionAction.DISMISS, DecisionAction.DELETE, DecisionAction.TIMEOUT, DecisionAction.BAN)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def timed(runs: int, action: Callable[[], Awaitable[object]]) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        await action()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def main(count: int) -> None:
    rng = random.Random(6)
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.db")
        store = SpamStore(db)
        start = time.perf_counter()
        for n in range(count):
            when = NOW - timedelta(seconds=rng.uniform(0, 90 * 86_400))
            domain = rng.choice(DOMAINS)
            incident = await store.create_incident(
                NewIncident(
                    guild_id=GUILD,
                    author_id=rng.randrange(1, 5_000),
                    author_name="someone",
                    flood_key=f"l:{n}:{domain}",
                    action=rng.choice(("flag", "flag", "delete")),
                    score=rng.uniform(1, 9),
                    reasons=("spam wording near a link", f"known phishing host: {domain}"),
                    reason_codes=("spam_wording", "phishing_list"),
                    domains=(domain,),
                    account_age_days=rng.uniform(0, 900),
                    member_age_days=rng.uniform(0, 300),
                    first_copy=Copy(10, n * 2 + 1, f"free nitro https://{domain}/claim", when),
                )
            )
            await store.add_copy(
                incident.id,
                Copy(11, n * 2 + 2, f"free nitro https://{domain}/claim", when),
                score=incident.score,
                reasons=(),
                reason_codes=(),
                domains=(),
            )
            if n % 3:
                await store.decide(incident.id, 7, rng.choice(DECISIONS), when + timedelta(minutes=5))
        stored = count / (time.perf_counter() - start)

        ids = [rng.randrange(1, count + 1) for _ in range(200)]
        reads = await timed(200, lambda: store.get(ids.pop()))
        since = NOW - timedelta(days=29)
        stats = await timed(20, lambda: store.stats(GUILD, since, 30))
        figures = await store.stats(GUILD, since, 30)
        charts = []
        for _ in range(5):
            begin = time.perf_counter()
            render_chart(figures, NOW.date())
            charts.append((time.perf_counter() - begin) * 1000)
        await db.close()

    print(f"incidents: {count:,} ({figures.incidents:,} in the last 30 days)")
    print(f"stored: {stored:,.0f} incidents/s (create + second copy + decision)")
    print(f"get (button click): median {statistics.median(reads):.2f} ms, p99 {percentile(reads, 0.99):.2f} ms")
    print(f"stats, 30 days: median {statistics.median(stats):.1f} ms, p99 {percentile(stats, 0.99):.1f} ms")
    print(f"chart: median {statistics.median(charts):.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().incidents))
