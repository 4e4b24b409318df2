"""Charts (real PNGs of a Discord-friendly size), result summaries, trend weeks and the CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PIL import Image

from bot.polls.charts import (
    BACKGROUND,
    DPI,
    INLINE_WIDTH_PX,
    MIN_LABEL_PX,
    WIDTH_PX,
    Bar,
    QuestionWeek,
    TrendWeek,
    chart_label,
    question_trend_figure,
    render_question_trend,
    render_results,
    render_trend,
    results_figure,
)
from bot.polls.export import COLUMNS, polls_csv
from bot.polls.model import AnswerRecord, PollRecord
from bot.polls.results import chart_bars, summary_lines, trend_weeks

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def record(
    counts: list[int | None], *, seen: list[int] | None = None, week: date | None = None, **extra: object
) -> PollRecord:
    seen = seen or [0] * len(counts)
    texts = ["SEO basics", "Paid social", '=HYPERLINK("x")', "Email"]
    answers = tuple(
        AnswerRecord(i + 1, texts[i], "🔍" if i == 0 else None, count, seen[i]) for i, count in enumerate(counts)
    )
    values: dict[str, object] = dict(
        id=1,
        guild_id=10,
        channel_id=20,
        message_id=30,
        question="Which topic?",
        multiselect=False,
        hidden_results=False,
        duration_hours=24,
        schedule_id=None,
        week=week,
        created_by=7,
        created_at=T0,
        ends_at=T0 + timedelta(hours=24),
        ended_at=T0 + timedelta(hours=24),
        voters=sum(c or 0 for c in counts),
        counts_source="discord",
        results_message_id=None,
        answers=answers,
    )
    values.update(extra)
    return PollRecord(**values)  # type: ignore[arg-type]


def image(png: bytes) -> Image.Image:
    loaded = Image.open(io.BytesIO(png))
    loaded.load()
    return loaded


def test_results_chart_is_a_dark_png_of_discord_size() -> None:
    png = render_results("Which topic should the next live session cover?", [Bar("SEO", 3), Bar("Ads", 5)])
    picture = image(png)
    assert picture.format == "PNG"
    assert picture.size == (1200, 600)
    assert picture.convert("RGB").getpixel((5, 5)) == tuple(int(BACKGROUND[i : i + 2], 16) for i in (1, 3, 5))


def test_results_chart_copes_with_no_votes_ten_answers_and_long_text() -> None:
    assert image(render_results("Q?", [Bar("a", 0), Bar("b", 0)])).size == (1200, 600)
    bars = [Bar("x" * 55, n) for n in range(10)]
    assert image(render_results("Q" * 300, bars, subtitle="Final results")).size == (1200, 600)


def all_texts(figure: Any) -> list[Any]:
    """Every Text artist of a figure: figure texts, axes texts, tick labels, legend entries."""
    from matplotlib.text import Text

    return [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_results_chart_names_answers_with_counts_and_shares_in_big_letters() -> None:
    bars = [Bar("🔍 SEO basics", 14), Bar("Paid social ads", 9), Bar("📧 Email newsletters", 21), Bar("👍", 3)]
    figure = results_figure("Which topic?", bars, subtitle="Final results · 47 voters")
    texts = [t.get_text() for t in all_texts(figure)]
    for expected in ("SEO basics", "Paid social ads", "Email newsletters", "thumbs up", "Which topic?"):
        assert expected in texts
    for expected in ("14  (30%)", "9  (19%)", "21  (45%)", "3  (6%)"):
        assert expected in texts
    assert not any("answer 1" in text for text in texts)
    sizes = [t.get_fontsize() * DPI / 72 for t in all_texts(figure)]
    assert min(sizes) >= MIN_LABEL_PX
    assert MIN_LABEL_PX * INLINE_WIDTH_PX / WIDTH_PX >= 14  # ~15 px tall when Discord shows it 550 px wide


def test_ten_long_answers_keep_letters_readable() -> None:
    figure = results_figure("Q" * 300, [Bar(f"{n} " + "x" * 53, n) for n in range(10)])
    texts = all_texts(figure)
    assert min(t.get_fontsize() * DPI / 72 for t in texts) >= MIN_LABEL_PX - 2  # ~14 px inline
    labels = [t.get_text() for t in texts if t.get_text().startswith(("0 x", "9 x"))]
    assert len(labels) == 2 and all(label.endswith("…") for label in labels)


def test_labels_never_draw_a_box() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    drawable = set(FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())
    assert chart_label("🔍 SEO  basics") == "SEO basics"
    assert chart_label("👍") == "thumbs up"
    assert chart_label("👩‍💻 Coding") == "Coding"
    assert chart_label("Café ✓") == "Café ✓"
    for text in ("中文 ok", "🇫🇷 France", "1️⃣ first", "a\u200bb", "\U0001fae0"):
        label = chart_label(text)
        assert label and all(ord(ch) in drawable for ch in label if ch != " "), (text, label)
    figure = results_figure("🔥 Hot take?", [Bar("🔥🔥", 1), Bar("中文", 2)])
    for text in all_texts(figure):
        assert all(ord(ch) in drawable for ch in text.get_text() if ch not in " \n"), text.get_text()


def test_trend_draws_one_line_per_question_and_names_answers_in_the_legend() -> None:
    lesson = ("Clear", "So-so", "Lost")
    tools = ("🔧 GA4", "Matomo")

    def bars(labels: tuple[str, ...], counts: tuple[int, ...]) -> tuple[Bar, ...]:
        return tuple(Bar(a, n) for a, n in zip(labels, counts, strict=True))

    weeks = [
        QuestionWeek("Jan 05", "How was the lesson?", 18, bars(lesson, (9, 6, 3))),
        QuestionWeek("Jan 12", "Which tool?", 12, bars(tools, (7, 5))),
        QuestionWeek("Jan 19", "How was the lesson?", 20, bars(lesson, (10, 5, 5))),
    ]
    figure: Any = question_trend_figure("Weekly pulse", weeks)
    voters_axes = figure.axes[0]
    lines = voters_axes.get_lines()
    assert len(lines) == 2
    assert [list(line.get_xdata()) for line in lines] == [[0, 2], [1]]
    assert [list(line.get_ydata()) for line in lines] == [[18, 20], [12]]
    legend = [t.get_text() for t in figure.axes[1].get_legend().get_texts()]
    assert legend == ["Q1: Clear", "Q1: So-so", "Q1: Lost", "Q2: GA4", "Q2: Matomo"]
    texts = [t.get_text() for t in all_texts(figure)]
    assert any("Q1: How was the lesson?" in text for text in texts)
    assert any("Q2: Which tool?" in text for text in texts)
    assert min(t.get_fontsize() * DPI / 72 for t in all_texts(figure)) >= MIN_LABEL_PX - 2
    assert image(render_question_trend("Weekly pulse", weeks)).size == (1200, 600)


def test_older_trend_call_names_the_answers_too() -> None:
    weeks = [
        TrendWeek("Jan 05", 3, (Bar("Clear", 2), Bar("Lost", 1))),
        TrendWeek("Jan 12", 2, (Bar("Yes", 1), Bar("No", 1))),
        TrendWeek("Jan 19", 4, (Bar("Clear", 3), Bar("Lost", 1))),
    ]
    figure: Any = question_trend_figure(
        "t", [QuestionWeek(w.label, " / ".join(b.label for b in w.bars), w.voters, w.bars) for w in weeks]
    )
    legend = [t.get_text() for t in figure.axes[1].get_legend().get_texts()]
    assert legend == ["Q1: Clear", "Q1: Lost", "Q2: Yes", "Q2: No"]
    assert len(figure.axes[0].get_lines()) == 2
    assert image(render_trend("t", weeks)).size == (1200, 600)


def test_importing_charts_does_not_import_matplotlib() -> None:
    import subprocess
    import sys

    code = "import sys, bot.polls.charts; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_trend_chart_with_changing_answers_and_empty_weeks() -> None:
    weeks = [
        TrendWeek("Jan 05", 3, (Bar("Clear", 2), Bar("Lost", 1))),
        TrendWeek("Jan 12", 0, (Bar("Yes", 0), Bar("No", 0), Bar("Maybe", 0))),
    ]
    assert image(render_trend("Weekly pulse", weeks)).size == (1200, 600)
    assert image(render_trend("Nothing yet", [])).size == (1200, 600)


def test_summary_lines_show_bars_counts_shares_and_bold_leaders() -> None:
    lines = summary_lines(record([3, 1, 0]))
    assert lines[0] == "`█████████░░░` 3 (75%) · **🔍 SEO basics**"
    assert lines[1] == "`███░░░░░░░░░` 1 (25%) · Paid social"
    assert lines[2].startswith("`░░░░░░░░░░░░` 0 (0%)")
    assert all("**" not in line for line in summary_lines(record([0, 0])))


def test_summary_lines_show_markdown_in_answers_literally() -> None:
    poll = record([2, 1])
    tricky = (replace(poll.answers[0], text="**SEO** `basics"), replace(poll.answers[1], text="||paid_social||"))
    lines = summary_lines(replace(poll, answers=tricky))
    assert lines[0] == "`████████░░░░` 2 (67%) · **🔍 \\*\\*SEO\\*\\* \\`basics**"
    assert lines[1].endswith(" · \\|\\|paid\\_social\\|\\|")


def test_open_polls_use_the_votes_seen() -> None:
    open_poll = record([None, None], seen=[2, 1], ended_at=None, voters=None, counts_source=None)
    assert [bar.count for bar in chart_bars(open_poll)] == [2, 1]
    assert chart_bars(open_poll)[0].label == "SEO basics"  # no emoji on charts


def test_trend_weeks_are_in_week_order() -> None:
    weeks = trend_weeks([record([1, 1], week=date(2026, 1, 12), id=2), record([4, 0], week=date(2026, 1, 5))])
    assert [(w.label, w.voters) for w in weeks] == [("Jan 05", 4), ("Jan 12", 2)]


def test_csv_has_a_row_per_answer_and_defuses_formulas() -> None:
    rows = list(
        csv.reader(
            io.StringIO(
                polls_csv(
                    [
                        record([3, 1, 2]),
                        record([None, None], ended_at=None, id=2, seen=[1, 0], voters=None, counts_source=None),
                    ]
                )
            )
        )
    )
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 1 + 3 + 2
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert (first["question"], first["status"], first["answer"], first["emoji"], first["votes"]) == (
        "Which topic?",
        "ended",
        "SEO basics",
        "🔍",
        "3",
    )
    assert dict(zip(COLUMNS, rows[3], strict=True))["answer"] == '\'=HYPERLINK("x")'
    still_open = dict(zip(COLUMNS, rows[4], strict=True))
    assert (still_open["status"], still_open["counts_from"], still_open["votes"]) == ("open", "seen so far", "1")


def test_multiple_answer_shares_are_of_voters() -> None:
    lines = summary_lines(record([2, 1], multiselect=True, voters=2))
    assert lines[0].startswith("`████████████` 2 (100%)")
    assert lines[1].startswith("`██████░░░░░░` 1 (50%)")
