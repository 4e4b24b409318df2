"""`/spam stats` chart: incidents per day as PNG bytes (matplotlib, Agg)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.core.text import plural
from bot.spam.model import SpamStats

BACKGROUND = "#313338"  # Discord dark theme
TEXT = "#F2F3F5"
GRID = "#4E5058"
FLAGGED = "#FAA61A"
DELETED = "#ED4245"


def daily_series(stats: SpamStats, today: date) -> tuple[list[date], list[int], list[int]]:
    """One entry per day of the window (days without incidents count 0), oldest first."""
    by_day = {d.day: d for d in stats.per_day}
    days = [today - timedelta(days=offset) for offset in range(stats.days - 1, -1, -1)]
    flagged = [by_day[d].flagged if d in by_day else 0 for d in days]
    deleted = [by_day[d].deleted if d in by_day else 0 for d in days]
    return days, flagged, deleted


def render_chart(stats: SpamStats, today: date) -> bytes:
    """Stacked bars of flagged and automatically deleted incidents per day."""
    days, flagged, deleted = daily_series(stats, today)
    figure = Figure(figsize=(10, 4), dpi=100, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_facecolor(BACKGROUND)
    positions = range(len(days))
    axes.bar(positions, flagged, color=FLAGGED, label="flagged")
    axes.bar(positions, deleted, bottom=flagged, color=DELETED, label="deleted automatically")
    step = max(1, len(days) // 10)
    axes.set_xticks(list(positions)[::step], [d.strftime("%d %b") for d in days][::step])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(f"Spam incidents per day, last {plural(stats.days, 'day')}", color=TEXT)
    axes.tick_params(colors=TEXT)
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for spine in axes.spines.values():
        spine.set_color(GRID)
    legend = axes.legend(facecolor=BACKGROUND, edgecolor=GRID)
    for text in legend.get_texts():
        text.set_color(TEXT)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=BACKGROUND)
    return buffer.getvalue()
