"""The incident card text and the stats chart of the spam filter."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.spam.cards import (
    DISMISSED_COLOUR,
    OPEN_COLOUR,
    SPAM_COLOUR,
    check_card,
    decision_lines,
    defang,
    describe_age,
    domain_lines,
    incident_card,
    lists_card,
    quoted_content,
    settings_card,
    stats_card,
    summary_lines,
    without_pings,
)
from bot.spam.config import SpamConfig
from bot.spam.engine import SpamEngine
from bot.spam.model import (
    Copy,
    DayCount,
    Decision,
    DecisionAction,
    DomainLists,
    Incident,
    IncidentStatus,
    SpamSettings,
    SpamStats,
)
from bot.spam.stats import daily_series, render_chart

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_defang_schemes_and_dots_of_every_kind_of_link() -> None:
    assert defang("see https://steamcommunnity.com/gift now") == "see hxxps://steamcommunnity[.]com/gift now"
    assert defang("http://a.b.example.org/x.html") == "hxxp://a[.]b[.]example[.]org/x[.]html"
    assert defang("bare discord.gg/abc and www.shop.ru") == "bare discord[.]gg/abc and www[.]shop[.]ru"
    assert defang("[germany phone number list](https://leads.example/de)") == (
        "[germany phone number list](hxxps://leads[.]example/de)"
    )
    assert defang("Already hxxp://x[.]com") == "Already hxxp://x[.]com"
    assert defang("a sentence. Another one, e.g. this") == "a sentence. Another one, e.g. this"


def test_without_pings_names_mentions_and_breaks_mass_pings() -> None:
    names = {("@", 1): "Lee", ("@&", 2): "Hosts", ("#", 3): "general"}
    text = without_pings("@everyone @here <@1> <@!1> <@&2> <#3> <@9>", lambda k, i: names.get((k, i)))
    assert "@everyone" not in text and "@here" not in text
    assert text == "@\u200beveryone @\u200bhere @Lee @Lee @Hosts #general @9"


def test_quoted_content_is_a_safe_code_block() -> None:
    block = quoted_content("```evil``` https://x.example " + "a" * 3000, limit=200)
    assert block.startswith("```\n") and block.endswith("\n```")
    assert block.count("```") == 2
    assert "hxxps://x[.]example" in block
    assert len(block) < 220 and block.rstrip("`\n").endswith("…")
    assert quoted_content("   ") == "```\n(no text)\n```"


@given(st.text(max_size=300))
def test_quoted_content_never_breaks_out_of_its_block(text: str) -> None:
    block = quoted_content(text)
    assert block.count("```") == 2
    assert "@everyone" not in block and "@here" not in block
    assert re.search(r"https?://", block, re.IGNORECASE) is None


def test_describe_age() -> None:
    assert describe_age(None) == "unknown"
    assert describe_age(0) == "less than a minute"
    assert describe_age(5 / 1440) == "5 minutes"
    assert describe_age(0.3) == "7 hours"
    assert describe_age(1) == "1 day"
    assert describe_age(45) == "1 month"
    assert describe_age(800) == "2 years"


def incident(**changes: object) -> Incident:
    values: dict[str, object] = dict(
        id=5,
        guild_id=1,
        number=3,
        author_id=42,
        author_name="Spammy",
        flood_key="k",
        action="flag",
        score=2.25,
        reasons=("Masked link: the text shows discord.com but it opens dlscord-gift.ru",),
        reason_codes=("masked_mismatch",),
        domains=("dlscord-gift.ru",),
        status=IncidentStatus.OPEN,
        account_age_days=0.5,
        member_age_days=0.01,
        created_at=NOW,
        updated_at=NOW,
        queue_channel_id=None,
        queue_message_id=None,
        copies=(
            Copy(10, 100, "@everyone free [discord.com](https://dlscord-gift.ru/n)", NOW),
            Copy(11, 101, "same", NOW, deleted_at=NOW, deleted_by=7),
        ),
    )
    values.update(changes)
    return Incident(**values)  # type: ignore[arg-type]


def test_incident_card_shows_author_copies_score_reasons() -> None:
    card = incident_card(incident(), flag_threshold=1, delete_threshold=3)
    assert card.title == "Spam incident #3: flagged for review"
    assert card.tone == OPEN_COLOUR
    assert "hxxps://dlscord-gift[.]ru/n" in card.description and "@everyone" not in card.description
    fields = {f.name: f.value for f in card.fields}
    assert "Spammy (<@42>)" in fields["Author"] and "Account: 12 hours old" in fields["Author"]
    assert "joined 14 minutes ago" in fields["Author"]
    where = fields["Where: 2 copies in 2 channels"]
    assert "<#10> · [jump](https://discord.com/channels/1/10/100)" in where
    assert "<#11>" in where and "deleted" in where.splitlines()[1]
    assert fields["Score"] == "2.2 (flag at 1, delete at 3)"
    assert fields["Domains"] == "`dlscord-gift[.]ru`"
    assert fields["Why"].startswith("• Masked link")
    assert "Decisions" not in fields
    assert card.footer == "Status: waiting for a moderator"


def test_incident_card_after_decisions() -> None:
    decided = incident(
        status=IncidentStatus.DISMISSED,
        decisions=(
            Decision(None, DecisionAction.AUTO_DELETE, "1 message", NOW),
            Decision(7, DecisionAction.DISMISS, "", NOW),
            Decision(7, DecisionAction.TRUST_DOMAIN, "dlscord-gift.ru", NOW),
        ),
        action="delete",
    )
    card = incident_card(decided, flag_threshold=1, delete_threshold=3)
    assert card.title == "Spam incident #3: deleted automatically"
    assert card.tone == DISMISSED_COLOUR
    lines = {f.name: f.value for f in card.fields}["Decisions"].splitlines()
    stamp = f"<t:{int(NOW.timestamp())}:R>"
    assert lines == [
        f"Deleted automatically (1 message) {stamp}",
        f"<@7> dismissed it as not spam {stamp}",
        f"<@7> trusted dlscord-gift.ru {stamp}",
    ]
    assert card.footer == "Status: dismissed as not spam"
    banned = incident_card(incident(status=IncidentStatus.BANNED), flag_threshold=1, delete_threshold=3)
    assert banned.tone == SPAM_COLOUR and banned.footer == "Status: author banned"


def test_incident_card_lists_many_copies_within_field_limits() -> None:
    many = incident(copies=tuple(Copy(10 + i, 100 + i, "x", NOW) for i in range(40)))
    card = incident_card(many, flag_threshold=1, delete_threshold=3)
    where = next(f for f in card.fields if f.name.startswith("Where"))
    assert where.name == "Where: 40 copies in 40 channels"
    assert len(where.value) <= 1024 and where.value.endswith("… and 30 more")


def stats() -> SpamStats:
    return SpamStats(
        days=7,
        incidents=4,
        flagged=3,
        auto_deleted=1,
        copies=6,
        open=1,
        reviewed=3,
        dismissed=1,
        decisions={"dismiss": 1, "ban": 2},
        top_domains=(("dlscord-gift.ru", 3),),
        per_day=(DayCount(date(2026, 2, 27), 2, 0), DayCount(date(2026, 3, 1), 1, 1)),
    )


def test_stats_lines() -> None:
    figures = stats()
    lines = summary_lines(figures)
    assert lines[0] == "Incidents: **4** (3 flagged, 1 deleted automatically), 6 messages in all"
    assert "**33%**" in lines[2]
    assert decision_lines(figures) == ["dismissed as not spam: 1", "banned: 2"]
    assert domain_lines(figures) == ["`dlscord-gift[.]ru`: 3"]
    assert "no reviews yet" in summary_lines(SpamStats(days=7))[2]


def test_daily_series_fills_quiet_days_and_chart_is_a_png() -> None:
    days, flagged, deleted = daily_series(stats(), date(2026, 3, 1))
    assert days[0] == date(2026, 2, 23) and days[-1] == date(2026, 3, 1) and len(days) == 7
    assert flagged == [0, 0, 0, 0, 2, 0, 1] and deleted == [0, 0, 0, 0, 0, 0, 1]
    png = render_chart(stats(), date(2026, 3, 1))
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_check_card_explains_a_verdict() -> None:
    config = SpamConfig()
    verdict = SpamEngine(config).assess("claim free nitro [discord.com/gift](https://dlscord-nitro.gift/x)")
    card = check_card(verdict, config)
    assert card.title == "Would be flagged for review"
    assert card.description.startswith(f"Score **{verdict.score:.1f}** (flag at 1, delete at 3, auto-delete off)")
    why, links = card.fields
    assert why.value.startswith("• ") and "masked link" in why.value
    assert links.value == "`hxxps://dlscord-nitro[.]gift/x` → `dlscord-nitro[.]gift` (shown as “discord.com/gift”)"
    clean = check_card(SpamEngine(config).assess("thanks, see you Friday"), config)
    assert clean.title == "Not flagged" and [f.value for f in clean.fields] == ["No spam signals.", "None."]


def test_settings_card_marks_defaults() -> None:
    stored = SpamSettings(1, flag_threshold=2.0, exempt_channel_ids=frozenset({9, 8}), protected_names=("mycourse",))
    config = SpamConfig(flag_threshold=2.0)
    fields = {f.name: f.value for f in settings_card(stored, config, ("discord", "steam")).fields}
    assert fields["Flag at"] == "2" and fields["Delete at"] == "3 (default)"
    assert fields["Auto-delete"] == "off, except phishing-list links (default)"
    assert fields["Exempt channels"] == "<#8>, <#9>" and fields["Exempt roles"] == "none"
    assert fields["Protected names"] == "Added here: mycourse\nShipped: discord, steam"


def test_lists_and_stats_cards() -> None:
    card = lists_card(DomainLists(allowed=("a.org",)), shipped_allowed=10, shipped_phishing=20, shipped_shorteners=3)
    fields = {f.name: f.value for f in card.fields}
    assert fields["Trusted here (1)"] == "`a[.]org`" and fields["Blocked here (0)"] == "none yet"
    assert "20 phishing hosts" in fields["Shipped with the bot"]
    shown = stats_card(stats(), "chart.png")
    assert shown.title == "Spam filter, last 7 days" and shown.image == "chart.png"
    assert [f.value for f in shown.fields] == ["dismissed as not spam: 1\nbanned: 2", "`dlscord-gift[.]ru`: 3"]
    empty = stats_card(SpamStats(days=1), "c.png")
    assert empty.title == "Spam filter, last 1 day" and [f.value for f in empty.fields] == ["none yet", "none"]


def test_the_largest_incident_card_fits_one_embed() -> None:
    huge = incident(
        copies=tuple(Copy(10 + i, 100 + i, "x" * 4000, NOW, edited=True, deleted_at=NOW) for i in range(50)),
        domains=tuple(f"very-long-domain-name-number-{i}.example.com" for i in range(50)),
        reasons=tuple(f"reason number {i} " + "y" * 150 for i in range(30)),
        decisions=tuple(Decision(123456789012345678, DecisionAction.TRUST_DOMAIN, "z" * 200, NOW) for _ in range(40)),
        author_name="N" * 32,
    )
    card = incident_card(huge, flag_threshold=1, delete_threshold=3)
    total = len(card.title) + len(card.description) + len(card.footer)
    total += sum(len(f.name) + len(f.value) for f in card.fields)
    assert total < 6000 and all(len(f.value) <= 1024 for f in card.fields)
    decisions = next(f.value for f in card.fields if f.name == "Decisions")
    assert decisions.startswith("… 32 earlier")
