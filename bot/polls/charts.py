"""Poll charts as PNG bytes (matplotlib, Agg): results bars and weekly trends, styled for Discord's dark theme."""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

BACKGROUND = "#313338"  # Discord dark theme message background
PANEL = "#2B2D31"
TEXT = "#F2F3F5"
MUTED = "#B5BAC1"
GRID = "#4E5058"
BAR = "#5865F2"  # blurple
WINNER = "#57F287"  # green
PALETTE = (
    "#5865F2",
    "#57F287",
    "#FEE75C",
    "#EB459E",
    "#ED4245",
    "#3BA55C",
    "#FAA61A",
    "#00B0F4",
    "#9B84EE",
    "#F47B67",
)
WIDTH_PX, HEIGHT_PX, DPI = 1200, 600, 100


@dataclass(frozen=True, slots=True)
class Bar:
    """One answer on a chart: its label (no emoji: chart fonts lack them) and its count."""

    label: str
    count: int


@dataclass(frozen=True, slots=True)
class TrendWeek:
    """One week of a schedule for the trend chart."""

    label: str
    voters: int
    bars: tuple[Bar, ...]


def _figure() -> Figure:
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    return figure


def _style(axes: Axes) -> None:
    axes.set_facecolor(PANEL)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GRID)
    axes.tick_params(colors=TEXT, labelsize=12)
    axes.grid(axis="x", color=GRID, linewidth=0.8, alpha=0.6)
    axes.set_axisbelow(True)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from the font are drawn as boxes, not warned about
        figure.savefig(
            buffer, format="png", dpi=DPI, facecolor=figure.get_facecolor(), pil_kwargs={"compress_level": 1}
        )
    return buffer.getvalue()


def percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _wrap(text: str, width: int, lines: int = 2) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder="…")) or " "


def render_results(question: str, bars: Sequence[Bar], *, subtitle: str = "", total: int | None = None) -> bytes:
    """A horizontal bar chart of answer counts with count and share at each bar, the leaders highlighted.

    Shares are of `total` (the voters, for a multiple-answer poll), else of all votes.
    """
    figure = _figure()
    axes = figure.add_axes((0.30, 0.10, 0.62, 0.66))
    _style(axes)
    labels = [_wrap(bar.label, 30) for bar in bars][::-1]
    counts = [bar.count for bar in bars][::-1]
    total = sum(counts) if total is None else total
    top = max(counts, default=0)
    colors = [WINNER if top and count == top else BAR for count in counts]
    positions = range(len(counts))
    axes.barh(positions, counts, color=colors, height=0.62)
    axes.set_yticks(list(positions), labels, fontsize=13 if len(bars) <= 6 else 11)
    axes.set_xlim(0, max(top, 1) * 1.22)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, count in zip(positions, counts, strict=True):
        axes.text(
            count + max(top, 1) * 0.015,
            position,
            f"{count}  ({percent(count, total)}%)",
            va="center",
            ha="left",
            color=TEXT,
            fontsize=13,
            fontweight="bold",
        )
    axes.set_xlabel("votes", color=MUTED, fontsize=12)
    title = _wrap(question, 80)
    figure.text(0.04, 0.95, title, color=TEXT, fontsize=17, fontweight="bold", va="top")
    if subtitle:
        top_of_subtitle = 0.95 - 0.055 * (title.count("\n") + 1) - 0.015
        figure.text(0.04, top_of_subtitle, subtitle, color=MUTED, fontsize=12, va="top")
    return _png(figure)


def render_trend(title: str, weeks: Sequence[TrendWeek]) -> bytes:
    """Voters per week (top) and each week's answer split as 100% stacked bars (bottom)."""
    figure = _figure()
    figure.text(0.04, 0.95, _wrap(title, 95, 1), color=TEXT, fontsize=17, fontweight="bold", va="top")
    voters_axes = figure.add_axes((0.07, 0.55, 0.70, 0.32))
    split_axes = figure.add_axes((0.07, 0.10, 0.70, 0.36))
    for axes in (voters_axes, split_axes):
        _style(axes)
        axes.grid(axis="x", visible=False)
        axes.grid(axis="y", color=GRID, linewidth=0.8, alpha=0.6)
    labels = [week.label for week in weeks]
    positions = list(range(len(weeks)))
    voters = [week.voters for week in weeks]
    voters_axes.plot(positions, voters, color=BAR, linewidth=2.5, marker="o", markersize=7)
    voters_axes.fill_between(positions, voters, color=BAR, alpha=0.18)
    voters_axes.set_ylim(0, max(voters, default=0) * 1.3 + 1)
    voters_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    voters_axes.set_ylabel("voters", color=MUTED, fontsize=12)
    voters_axes.set_xticks(positions, [""] * len(positions))
    voters_axes.set_xlim(-0.6, max(len(weeks) - 0.4, 0.6))
    for position, count in zip(positions, voters, strict=True):
        voters_axes.annotate(
            str(count),
            (position, count),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            color=TEXT,
            fontsize=11,
        )

    same_answers = len({tuple(bar.label for bar in week.bars) for week in weeks}) <= 1
    width = max((len(week.bars) for week in weeks), default=0)
    bottoms = [0.0] * len(weeks)
    for index in range(width):
        shares = []
        for week in weeks:
            total = sum(bar.count for bar in week.bars)
            count = week.bars[index].count if index < len(week.bars) else 0
            shares.append(100 * count / total if total else 0.0)
        legend = weeks[0].bars[index].label if same_answers and weeks else f"answer {index + 1}"
        split_axes.bar(
            positions,
            shares,
            bottom=bottoms,
            width=0.62,
            color=PALETTE[index % len(PALETTE)],
            label=_wrap(legend, 24, 1),
        )
        for position, share, bottom in zip(positions, shares, bottoms, strict=True):
            if share >= 12:
                split_axes.text(
                    position,
                    bottom + share / 2,
                    f"{round(share)}%",
                    ha="center",
                    va="center",
                    color="#1E1F22",
                    fontsize=10,
                    fontweight="bold",
                )
        bottoms = [b + s for b, s in zip(bottoms, shares, strict=True)]
    split_axes.set_ylim(0, 100)
    split_axes.set_ylabel("answer split (%)", color=MUTED, fontsize=12)
    split_axes.set_xticks(positions, labels, fontsize=11)
    split_axes.set_xlim(-0.6, max(len(weeks) - 0.4, 0.6))
    if width:
        split_axes.legend(
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            labelcolor=TEXT,
            fontsize=11,
            title="same answers every week" if same_answers else "answers by position",
            title_fontsize=10,
        ).get_title().set_color(MUTED)
    if not weeks:
        split_axes.text(0.5, 0.5, "no weeks yet", transform=split_axes.transAxes, ha="center", color=MUTED)
    return _png(figure)
