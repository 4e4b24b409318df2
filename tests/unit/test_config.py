"""Settings: defaults, `.env` loading, and one clear message for each bad value."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, ConfigError, Settings, TokenRedactor, load_settings, settings_from_mapping

GOOD_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


def test_defaults_without_any_setting(tmp_path: Path) -> None:
    settings = load_settings(env_file=tmp_path / "missing.env", environ={})
    assert settings.token is None
    assert settings.database_path == PROJECT_ROOT / "var" / "coursebot.db"
    assert settings.log_level == "INFO"
    assert settings.default_timezone == "UTC"


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={GOOD_TOKEN}\nLOG_LEVEL=debug\nDATABASE_PATH=/tmp/x.db\n")
    settings = load_settings(env_file=env_file, environ={"LOG_LEVEL": "WARNING"})
    assert settings.token == GOOD_TOKEN
    assert settings.log_level == "WARNING"
    assert settings.database_path == Path("/tmp/x.db")


def test_relative_database_path_is_under_the_project() -> None:
    assert settings_from_mapping({"DATABASE_PATH": "var/other.db"}).database_path == PROJECT_ROOT / "var/other.db"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DISCORD_TOKEN", "not-a-token", "DISCORD_TOKEN does not look like a bot token"),
        ("DISCORD_TOKEN", f"Bot {GOOD_TOKEN}", "without the 'Bot ' prefix"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of DEBUG, INFO"),
        ("DEV_GUILD_ID", "12ab", "DEV_GUILD_ID must be a server id"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE must be an IANA time zone"),
        ("DEMO_PORT", "70000", "DEMO_PORT must be a port number"),
        ("DATABASE_PATH", "  ", "DATABASE_PATH is empty"),
        ("COURSE_NAME", "x" * 101, "COURSE_NAME must be 1 to 100 characters"),
    ],
)
def test_each_bad_value_has_its_own_message(name: str, value: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping({name: value})
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_malformed_token_is_never_echoed() -> None:
    secret = "secret-looking-value-123"
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping({"DISCORD_TOKEN": secret})
    assert secret not in str(caught.value)


def test_missing_token_says_how_to_get_one() -> None:
    with pytest.raises(ConfigError, match=r"DISCORD_TOKEN is not set.*Reset Token"):
        Settings().require_token()


def test_token_is_not_in_repr() -> None:
    assert GOOD_TOKEN not in repr(Settings(token=GOOD_TOKEN))


def test_token_redactor_hides_the_token_in_log_records() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "connecting with %s", (GOOD_TOKEN,), None)
    TokenRedactor(GOOD_TOKEN).filter(record)
    assert GOOD_TOKEN not in record.getMessage()
    assert "[token hidden]" in record.getMessage()


def test_token_is_hidden_in_exception_text_and_traceback() -> None:
    import io

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenRedactor(GOOD_TOKEN))
    logger = logging.getLogger("coursebot.test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise RuntimeError(f"login failed for {GOOD_TOKEN}")
        except RuntimeError:
            logger.exception("could not start with token %s", GOOD_TOKEN)
        logger.error("stack", stack_info=True, extra={"note": GOOD_TOKEN})
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "RuntimeError: login failed for [token hidden]" in written
    assert "Traceback" in written
    assert GOOD_TOKEN not in written
