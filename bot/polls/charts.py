"""Poll charts as PNG bytes (matplotlib, Agg), sized and lettered for Discord's inline preview.

Discord shows an attached image inline at most about 550 px wide, so a chart is drawn at 1200 x 600 and every
label at least 32 px tall: about 15 px on screen. Bars carry their count and share; answers are named (never
"answer 1"); emoji, which matplotlib cannot draw in colour, are taken out of labels (an emoji-only label becomes
the emoji's name) and so is any other character the font lacks, so a label never shows a box.

Rendering is CPU work: adapters run these functions in `asyncio.to_thread`. matplotlib is imported inside them,
so importing this module costs nothing.

Functions:
- `render_results(question, bars, *, subtitle="", total=None)`: one poll's counts as labelled bars.
- `render_question_trend(title, weeks)`: `QuestionWeek`s (week label, question, voters, answer bars): voters
  per week with one line per question, and each week's answer split with the answers named in the legend
  (colours keyed by question and answer label, so weeks that asked different questions are never mixed).
- `render_trend(title, weeks)`: the older call with `TrendWeek`s (no question): weeks with the same answers are
  taken as one question. Prefer `render_question_trend`.
- `chart_label(text)`: the label as the chart shows it (no emoji, no glyph the font lacks).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bot.core.text import ELLIPSIS, plural

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
INLINE_WIDTH_PX = 550
"""About the widest Discord shows an image inline: a chart is scaled by INLINE_WIDTH_PX / WIDTH_PX."""
MIN_LABEL_PX = 32
"""The smallest text on a chart, in image pixels: about 15 px on screen at INLINE_WIDTH_PX."""
TITLE_PX = 40
STACKED_ROWS = 5
"""Up to this many answers a label sits above its bar (room for 55 characters); more go beside it."""
LEGEND_ENTRIES = 8
"""Answers named in a trend legend at most; the rest are summed as "other answers"."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One answer on a chart: its label (emoji are taken out when drawn) and its count."""

    label: str
    count: int


@dataclass(frozen=True, slots=True)
class TrendWeek:
    """One week of a schedule for the trend chart (the older form, without the question)."""

    label: str
    voters: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class QuestionWeek:
    """One week of a schedule: its label (e.g. "Jan 05"), the question asked that week, voters and counts."""

    label: str
    question: str
    voters: int
    bars: tuple[Bar, ...]


def _pt(px: float) -> float:
    """Font size in points for text `px` image pixels tall."""
    return px * 72 / DPI


def percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


# -- labels --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _font_charmap() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())


def _drawable(ch: str) -> bool:
    return ch in " \n" or (ord(ch) in _font_charmap() and unicodedata.category(ch) not in {"Cf", "Cc", "Mn", "Co"})


@lru_cache(maxsize=1024)
def chart_label(text: str) -> str:
    """`text` as a chart can draw it: emoji out (an emoji-only text becomes the emoji's name), no glyph the
    font lacks (which would be a box), spaces collapsed. Never empty."""
    import emoji

    stripped = emoji.replace_emoji(text, replace="")
    if not stripped.strip():
        stripped = emoji.demojize(text, delimiters=(" ", " ")).replace("_", " ")
    kept = "".join(ch for ch in stripped if _drawable(ch))
    return " ".join(kept.split()) or "?"


@lru_cache(maxsize=1)
def _measurer() -> Any:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(WIDTH_PX, HEIGHT_PX, DPI)


@lru_cache(maxsize=4096)
def _width(text: str, font_px: float, bold: bool) -> float:
    """How wide `text` is drawn, in image pixels."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family="DejaVu Sans", size=_pt(font_px), weight="bold" if bold else "normal")
    width, _, _ = _measurer().get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def _cut(text: str, font_px: float, width_px: float, bold: bool) -> str:
    """The longest start of `text` that fits `width_px`, with an ellipsis when cut."""
    if _width(text, font_px, bold) <= width_px:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix whose "prefix…" fits
        middle = (low + high + 1) // 2
        if _width(text[:middle].rstrip() + ELLIPSIS, font_px, bold) <= width_px:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def _fit(text: str, font_px: float, width_px: float, lines: int = 1, bold: bool = False) -> str:
    """`text` wrapped at words into at most `lines` lines that each fit `width_px` when drawn at `font_px`;
    the last line cut with an ellipsis if the text does not fit (measured, not guessed)."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and _width(f"{line} {words[0]}", font_px, bold) <= width_px:
            line += " " + words.pop(0)
        if _width(line, font_px, bold) > width_px:  # one word longer than the line
            words.insert(0, line)
            break
        out.append(line)
    if words:
        out.append(_cut(" ".join(words), font_px, width_px, bold))
    return "\n".join(out) or " "


# -- drawing -------------------------------------------------------------------------------------------


def _figure() -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    return figure


def _style(axes: Axes) -> None:
    axes.set_facecolor(PANEL)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GRID)
    axes.tick_params(colors=TEXT, labelsize=_pt(MIN_LABEL_PX))
    axes.set_axisbelow(True)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=figure.get_facecolor(), pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _title(figure: Figure, title: str, subtitle: str = "") -> float:
    """Draw the title (two lines at most) and subtitle; returns the figure fraction where they end."""
    lines = _fit(chart_label(title), TITLE_PX, WIDTH_PX * 0.94, 2, bold=True)
    figure.text(0.03, 0.975, lines, color=TEXT, fontsize=_pt(TITLE_PX), fontweight="bold", va="top")
    bottom = 0.975 - (lines.count("\n") + 1) * TITLE_PX * 1.2 / HEIGHT_PX
    if subtitle:
        figure.text(0.03, bottom - 0.01, chart_label(subtitle), color=MUTED, fontsize=_pt(MIN_LABEL_PX), va="top")
        bottom -= 0.01 + MIN_LABEL_PX * 1.25 / HEIGHT_PX
    return bottom


def render_results(question: str, bars: Sequence[Bar], *, subtitle: str = "", total: int | None = None) -> bytes:
    """Each answer named above its bar (beside it past five answers), count and share at the bar's end, the
    leaders in green. Shares are of `total` (the voters, for a multiple-answer poll), else of all votes."""
    return _png(results_figure(question, bars, subtitle=subtitle, total=total))


def results_figure(question: str, bars: Sequence[Bar], *, subtitle: str = "", total: int | None = None) -> Figure:
    """The figure `render_results` draws (tests read its texts)."""
    from matplotlib.patches import Rectangle

    figure = _figure()
    top_of_bars = _title(figure, question, subtitle) - 0.02
    counts = [bar.count for bar in bars]
    total = sum(counts) if total is None else total
    top = max(counts, default=0)
    rows = max(len(bars), 1)
    row_px = (top_of_bars - 0.03) * HEIGHT_PX / rows
    stacked = rows <= STACKED_ROWS  # the label above its bar; more answers: the label beside it
    label_px = max(min(MIN_LABEL_PX + 4, row_px * (0.5 if stacked else 0.72)), MIN_LABEL_PX - 2)
    bar_px = min(max(row_px - label_px * 1.25, 8), 56) if stacked else row_px * 0.62
    bar_left = 0.0 if stacked else 0.44
    axes = figure.add_axes((0.03, 0.03, 0.94, top_of_bars - 0.03))
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_ylim(rows * row_px, 0)  # y in image pixels from the top of the bar area
    longest = max(counts, default=0) or 1
    bar_room = 0.78 - bar_left * 0.9  # of the width: the rest is for "21  (33%)"
    label_width = WIDTH_PX * 0.94 * (1.0 if stacked else bar_left - 0.02)
    for index, bar in enumerate(bars):
        y = index * row_px
        bar_top = y + label_px * 1.2 if stacked else y + (row_px - bar_px) / 2
        axes.text(
            0,
            y if stacked else bar_top + bar_px / 2,
            _fit(chart_label(bar.label), label_px, label_width),
            color=TEXT,
            fontsize=_pt(label_px),
            va="top" if stacked else "center",
            ha="left",
        )
        width = bar_room * bar.count / longest
        colour = WINNER if top and bar.count == top else BAR
        axes.add_patch(Rectangle((bar_left, bar_top), max(width, 0.004), bar_px, color=colour, linewidth=0))
        axes.text(
            bar_left + width + 0.012,
            bar_top + bar_px / 2,
            f"{bar.count}  ({percent(bar.count, total)}%)",
            color=TEXT,
            fontsize=_pt(label_px),
            fontweight="bold",
            va="center",
            ha="left",
        )
    if not bars:
        axes.text(0.5, 0.5 * row_px, "no answers", color=MUTED, fontsize=_pt(MIN_LABEL_PX), ha="center")
    return figure


def render_trend(title: str, weeks: Sequence[TrendWeek]) -> bytes:
    """The older trend call: weeks with the same answers are taken as one question (named by its answers)."""
    keyed = [
        QuestionWeek(week.label, " / ".join(bar.label for bar in week.bars), week.voters, week.bars) for week in weeks
    ]
    return render_question_trend(title, keyed)


def render_question_trend(title: str, weeks: Sequence[QuestionWeek]) -> bytes:
    """Voters per week, one line per question (top), and each week's answer split as 100% stacked bars whose
    colours are keyed by (question, answer), named in the legend (bottom). Weeks are drawn in the order given.
    """
    return _png(question_trend_figure(title, weeks))


def question_trend_figure(title: str, weeks: Sequence[QuestionWeek]) -> Figure:
    """The figure `render_question_trend` draws (tests read its lines, legend and texts)."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    figure = _figure()
    top = _title(figure, title)
    positions = list(range(len(weeks)))
    questions = list(dict.fromkeys(week.question for week in weeks))
    several = len(questions) > 1
    left, plot_width = 0.12, 0.45
    voters_axes = figure.add_axes((left, top - 0.30, plot_width, 0.27))
    split_axes = figure.add_axes((left, 0.13, plot_width, top - 0.50))
    for axes in (voters_axes, split_axes):
        _style(axes)
        axes.grid(axis="y", color=GRID, linewidth=0.8, alpha=0.6)
        axes.set_xlim(-0.6, max(len(weeks) - 0.4, 0.6))
    voters_axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
    voters_axes.set_ylim(0, max((w.voters for w in weeks), default=0) * 1.35 + 1)
    voters_axes.set_xticks(positions, [""] * len(positions))
    voters_axes.set_ylabel("voters", color=MUTED, fontsize=_pt(MIN_LABEL_PX))
    for number, question in enumerate(questions):
        xs = [i for i, week in enumerate(weeks) if week.question == question]
        ys = [weeks[i].voters for i in xs]
        colour = PALETTE[number % len(PALETTE)] if several else BAR
        voters_axes.plot(xs, ys, color=colour, linewidth=3, marker="o", markersize=9)
        for x, y in zip(xs, ys, strict=True):
            voters_axes.annotate(
                str(y),
                (x, y),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                color=TEXT,
                size=_pt(MIN_LABEL_PX),
            )

    # answer colours keyed by (question, answer label): the same answer keeps its colour across weeks
    keys: dict[tuple[str, str], int] = {}
    for week in weeks:
        for bar in week.bars:
            keys.setdefault((week.question, bar.label), len(keys))
    named = list(keys)[:LEGEND_ENTRIES]
    other = "#80848E"
    bottoms = [0.0] * len(weeks)
    bar_px = WIDTH_PX * plot_width * 0.66 / max(len(weeks) + 0.2, 1)
    share_px = MIN_LABEL_PX - 2
    show_shares = bar_px >= share_px * 0.6 * 4  # "100%" fits inside a bar
    for i, week in enumerate(weeks):
        answered = sum(bar.count for bar in week.bars)
        for bar in week.bars:
            share = 100 * bar.count / answered if answered else 0.0
            key = (week.question, bar.label)
            colour = PALETTE[keys[key] % len(PALETTE)] if key in named else other
            split_axes.bar(i, share, bottom=bottoms[i], width=0.66, color=colour, linewidth=0)
            if show_shares and share >= 18:
                split_axes.text(
                    i,
                    bottoms[i] + share / 2,
                    f"{round(share)}%",
                    ha="center",
                    va="center",
                    color="#1E1F22",
                    fontsize=_pt(share_px),
                    fontweight="bold",
                )
            bottoms[i] += share
    split_axes.set_ylim(0, 100)
    split_axes.set_yticks([0, 50, 100], ["0", "50%", "100%"])
    tick_labels = [chart_label(week.label) for week in weeks]
    step = max(1, -(-len(weeks) // 6))  # at most six week labels, so they stay big
    split_axes.set_xticks(positions[::step], tick_labels[::step])
    split_axes.tick_params(axis="y", labelsize=_pt(MIN_LABEL_PX))

    entry_px = WIDTH_PX * (0.99 - left - plot_width - 0.03) - MIN_LABEL_PX * 1.6  # less the colour key
    handles: list[Any] = []
    labels: list[str] = []
    for (question, label), _ in zip(named, range(LEGEND_ENTRIES), strict=False):
        number = questions.index(question) + 1
        prefix = f"Q{number}: " if several else ""
        handles.append(Patch(color=PALETTE[keys[(question, label)] % len(PALETTE)]))
        labels.append(_fit(prefix + chart_label(label), MIN_LABEL_PX, entry_px))
    if len(keys) > len(named):
        handles.append(Patch(color=other))
        labels.append("other answers")
    legend_left = left + plot_width + 0.02
    if handles:
        split_axes.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(1.03, 1.0),
            frameon=False,
            labelcolor=TEXT,
            fontsize=_pt(MIN_LABEL_PX),
            handlelength=1.0,
            borderaxespad=0,
            labelspacing=0.3,
        )
    if several:
        shown = questions[:2] if len(questions) == 2 else questions[:1]  # two lines each, four lines of room
        text = "\n".join(_fit(f"Q{n + 1}: {chart_label(q)}", MIN_LABEL_PX, entry_px, 2) for n, q in enumerate(shown))
        if len(questions) > len(shown):
            text += f"\n+{plural(len(questions) - len(shown), 'more question')}"
        figure.text(legend_left + 0.01, top - 0.03, text, color=MUTED, fontsize=_pt(MIN_LABEL_PX), va="top")
    else:
        figure.text(
            legend_left + 0.01, top - 0.03, "voters per week", color=MUTED, fontsize=_pt(MIN_LABEL_PX), va="top"
        )
    if not weeks:
        split_axes.text(0.5, 0.5, "no weeks yet", transform=split_axes.transAxes, ha="center", color=MUTED)
    return figure
