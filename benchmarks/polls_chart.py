"""How long a poll chart takes to render: median of 20 results charts and of 20 trend charts (PNG bytes).

Run: .venv/bin/python benchmarks/polls_chart.py
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.polls.charts import Bar, QuestionWeek, TrendWeek, render_question_trend, render_results, render_trend

RUNS = 20
QUESTION = "Which topic should the next live session cover? Pick the one you would most like to practise."
ANSWERS = [Bar(text, count) for text, count in zip(
    ["SEO basics", "Paid social ads", "Email newsletters", "Analytics dashboards", "Content calendars",
     "Influencer partnerships"], [14, 9, 21, 6, 11, 3], strict=True)]  # fmt: skip
WEEKS = [
    TrendWeek(f"Week {n}", voters, (Bar("Clear", voters // 2), Bar("So-so", voters // 3), Bar("Lost", voters // 6)))
    for n, voters in enumerate([18, 22, 17, 25, 30, 24, 27, 31], start=1)
]
QUESTION_WEEKS = [
    QuestionWeek(
        week.label, "How was this week's lesson?" if n % 3 else "Which tool do you use?", week.voters, week.bars
    )
    for n, week in enumerate(WEEKS)
]


def measure(name: str, render: Callable[[], bytes]) -> None:
    render()  # warm up: font cache, first-use imports
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        png = render()
        timings.append(time.perf_counter() - start)
    tracemalloc.start()
    render()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{name:<16} median {statistics.median(timings) * 1000:6.1f} ms   "
        f"min {min(timings) * 1000:6.1f} ms   max {max(timings) * 1000:6.1f} ms   "
        f"PNG {len(png) / 1024:5.1f} KiB   peak Python memory {peak / 2**20:4.1f} MiB   (n={RUNS})"
    )


if __name__ == "__main__":
    measure("results chart", lambda: render_results(QUESTION, ANSWERS, subtitle="Final results · 64 voters"))
    measure("trend chart", lambda: render_trend("Weekly poll #1: How was this week's lesson?", WEEKS))
    measure("question trend", lambda: render_question_trend("Weekly poll #1: two questions", QUESTION_WEEKS))
