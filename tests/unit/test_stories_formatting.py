"""Story text made embed-safe: neutralised, never mentioning anyone, and paged within Discord's limits (the cards
of bot.stories.cards, rendered by the one renderer)."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.text import neutralise as escape
from bot.core.text import truncate
from bot.render import embed as render
from bot.stories.cards import list_card, list_line, own_story_cards, public_cards, review_cards, split_pages, story_body
from bot.stories.model import Screening, Story, StoryStatus, StoryText


def review_embeds(story: Story, **kwargs: object) -> list[discord.Embed]:
    return [render(card) for card in review_cards(story, **kwargs)]  # type: ignore[arg-type]


def public_embeds(story: Story, **kwargs: object) -> list[discord.Embed]:
    return [render(card) for card in public_cards(story, **kwargs)]  # type: ignore[arg-type]


def own_story_embeds(story: Story, **kwargs: object) -> list[discord.Embed]:
    return [render(card) for card in own_story_cards(story, **kwargs)]  # type: ignore[arg-type]


def list_embed(title: str, stories: list[Story], **kwargs: object) -> discord.Embed:
    return render(list_card(title, stories, **kwargs))  # type: ignore[arg-type]


NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_story(text: StoryText | None = None, **changes: object) -> Story:
    values: dict[str, object] = {
        "id": 1,
        "guild_id": 10,
        "number": 7,
        "author_id": 42,
        "author_name": "Lee *Learner*",
        "text": text or StoryText("A **bold** title", "I tried `code`", "It _worked_", "Nothing ~~failed~~"),
        "anonymous": False,
        "lesson_slug": None,
        "status": StoryStatus.PENDING,
        "submitted_at": NOW,
    }
    values.update(changes)
    return Story(**values)  # type: ignore[arg-type]


def test_escape_defuses_markdown_and_mentions() -> None:
    assert escape("**bold** _it_ `code` ~~s~~ ||spoiler||") == r"\*\*bold\*\* \_it\_ \`code\` \~\~s\~\~ \|\|spoiler\|\|"
    escaped = escape("@everyone @here <@123456789012345678> <@&123456789012345678>")
    assert "@everyone" not in escaped and "@here" not in escaped
    assert "<@123456789012345678>" not in escaped and "<@&123456789012345678>" not in escaped
    assert escape("# heading").startswith("\\#")
    assert escape("> quote").startswith("\\>")


def test_truncate_never_leaves_a_dangling_escape() -> None:
    text = escape("*" * 50)
    for limit in range(2, 40):
        cut = truncate(text, limit)
        assert len(cut) <= limit
        body = cut.removesuffix("…")
        trailing = len(body) - len(body.rstrip("\\"))
        assert trailing % 2 == 0


def test_split_pages_prefers_paragraphs() -> None:
    text = "\n\n".join(["a" * 60, "b" * 60, "c" * 60])
    assert split_pages(text, 130) == ["a" * 60 + "\n\n" + "b" * 60, "c" * 60]
    assert split_pages("", 10) == [""]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab *_\\`~|>#\n-@"), min_size=0, max_size=900), st.integers(40, 300))
def test_split_pages_keeps_all_text_within_limit(text: str, limit: int) -> None:
    pages = split_pages(text, limit)
    assert all(len(page) <= limit for page in pages)
    squashed = "".join(text.split())
    assert "".join("".join(pages).split()) == squashed


def test_body_has_headings_and_escaped_user_text() -> None:
    body = story_body(StoryText("t", "**x**", "y", "z"))
    assert body.startswith("**What I tried**\n\\*\\*x\\*\\*")
    assert "**What worked**\ny" in body and "**What did not work**\nz" in body


def _total(embed: discord.Embed) -> int:
    return len(embed)


def test_longest_possible_story_fits_discord_limits() -> None:
    worst = StoryText("*" * 100, "*" * 4000, "_" * 4000, "`" * 4000)  # every character escaped: twice as long
    story = make_story(
        worst,
        status=StoryStatus.DECLINED,
        decided_by=5,
        decided_at=NOW,
        decline_reason="*" * 500,
        lesson_slug="l" * 80,
        anonymous=True,
        author_name="n" * 32,
        screening=Screening(True, 0.9, ("a link to a shop " * 10,) * 5),
    )
    for embeds in (review_embeds(story, lesson_title="T" * 200), public_embeds(story), own_story_embeds(story)):
        assert len(embeds) > 1
        for embed in embeds:  # each embed is sent as its own message
            assert _total(embed) <= 6000
            assert len(embed.description or "") <= 4096
            assert len(embed.title or "") <= 256
            assert all(len(field.value or "") <= 1024 for field in embed.fields)
        text = "".join(embed.description or "" for embed in embeds)
        assert text.count("\\*") >= 4000 and text.count("\\_") == 4000


def test_review_embed_shows_author_flag_and_decision() -> None:
    pending = make_story(anonymous=True, screening=Screening(True, 0.8, ("3 links",)))
    embed = review_embeds(pending, lesson_title="Trust online")[0]
    fields = {field.name: field.value for field in embed.fields}
    assert embed.title == "#7 · A \\*\\*bold\\*\\* title"
    assert fields["Shared by"].startswith("Lee \\*Learner\\* (`42`)") and "anonymously" in fields["Shared by"]
    assert "3 links" in fields["⚠️ Flagged by the spam filter"]
    assert fields["Status"] == "Waiting for review"
    declined = make_story(status=StoryStatus.DECLINED, decided_by=5, decided_at=NOW, decline_reason="Off *topic*")
    fields = {field.name: field.value for field in review_embeds(declined)[0].fields}
    assert fields["Status"].startswith("Declined by <@5>")
    assert fields["Reason"] == "Off \\*topic\\*"


def test_public_embed_credits_author_or_a_learner() -> None:
    named = public_embeds(make_story(status=StoryStatus.PUBLISHED, decided_at=NOW))[0]
    assert named.author.name == "Shared by Lee *Learner*"
    anonymous = public_embeds(make_story(status=StoryStatus.PUBLISHED, anonymous=True))[0]
    assert anonymous.author.name == "Shared by a learner"
    assert "42" not in str(anonymous.to_dict())


def test_list_lines() -> None:
    story = make_story(anonymous=True, lesson_slug="trust")
    assert list_line(story, lesson_title="Trust") == "**#7** A \\*\\*bold\\*\\* title · by a learner · lesson: Trust"
    mine = list_line(story, for_author=True)
    assert "anonymous" in mine and "waiting for review" in mine
    embed = list_embed("Stories", [story] * 30)
    assert (embed.description or "").endswith("… and 5 more.")
    assert list_embed("Stories", [], empty="None yet").description == "None yet"
