"""Settings: read from the environment (and `.env`), validated, with one clear message per bad value."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from dotenv import dotenv_values

from bot.timezones import is_timezone

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Relative paths (and the defaults under var/) are read from the checkout when running from one, else from the
# folder the command runs in: an installed wheel never writes into its own install.
BASE_DIR = PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()

# A bot token is three base64url parts: the bot's id, a timestamp and an HMAC.
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting is missing or wrong; the message says which one and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    token: str | None = field(default=None, repr=False)
    database_path: Path = BASE_DIR / "var" / "coursebot.db"
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    lessons_dir: Path | None = None  # None: the starter course shipped with coursebot (data/lessons)
    data_dir: Path = BASE_DIR / "var"  # what the bot writes besides the database (refreshed lists)
    departed_guild_grace_days: int = 30  # a server's data is erased this long after the bot left it
    spam_copy_retention_days: int = 30  # copies of decided spam messages are kept this long
    course_name: str = "Digital Marketing: Challenges and Insights"
    default_timezone: str = "UTC"
    demo_port: int = 8765

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def require_token(self) -> str:
        """The token for a real connection, or a ConfigError saying how to get one."""
        if not self.token:
            raise ConfigError(
                "DISCORD_TOKEN is not set: copy .env.example to .env and paste your bot's token "
                "(Developer Portal > your application > Bot > Reset Token), or run `coursebot demo`."
            )
        return self.token


def _parse_token(raw: str) -> str | None:
    value = raw.strip().strip('"').strip("'")
    if not value:
        return None
    if value.lower().startswith("bot "):
        raise ConfigError("DISCORD_TOKEN must be the token alone, without the 'Bot ' prefix.")
    if not _TOKEN_RE.match(value):
        raise ConfigError(
            "DISCORD_TOKEN does not look like a bot token (three parts separated by dots): copy it again "
            "from Developer Portal > your application > Bot > Reset Token. The client secret is not the token."
        )
    return value


def _parse_path(name: str, raw: str) -> Path:
    value = raw.strip()
    if not value:
        raise ConfigError(f"{name} is empty: give a file path, or remove the line to use the default.")
    path = Path(value).expanduser()
    return path if path.is_absolute() else BASE_DIR / path


def _parse_log_level(raw: str) -> str:
    value = raw.strip().upper()
    if value not in _LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}; got {raw.strip()!r}.")
    return value


def _parse_guild_id(raw: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not value.isdigit() or not 17 <= len(value) <= 20:
        raise ConfigError(
            f"DEV_GUILD_ID must be a server id (17 to 20 digits; right-click the server > Copy Server ID "
            f"with Developer Mode on); got {value!r}."
        )
    return int(value)


def _parse_days(name: str, raw: str) -> int:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 3650:
        raise ConfigError(f"{name} must be a number of days from 1 to 3650; got {value[:40]!r}.")
    return int(value)


def _parse_timezone(raw: str) -> str:
    value = raw.strip()
    if not is_timezone(value):
        raise ConfigError(
            f"DEFAULT_TIMEZONE must be an IANA time zone such as Europe/London or UTC; got {value[:60]!r}."
        )
    return value


def _parse_port(raw: str) -> int:
    value = raw.strip()
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise ConfigError(f"DEMO_PORT must be a port number from 0 to 65535 (0 picks a free one); got {value!r}.")
    return int(value)


def _parse_course_name(raw: str) -> str:
    value = raw.strip()
    if not value or len(value) > 100:
        raise ConfigError("COURSE_NAME must be 1 to 100 characters.")
    return value


_PARSERS = {
    "DISCORD_TOKEN": ("token", _parse_token),
    "DATABASE_PATH": ("database_path", lambda raw: _parse_path("DATABASE_PATH", raw)),
    "LOG_LEVEL": ("log_level", _parse_log_level),
    "DEV_GUILD_ID": ("dev_guild_id", _parse_guild_id),
    "LESSONS_DIR": ("lessons_dir", lambda raw: _parse_path("LESSONS_DIR", raw)),
    "COURSE_NAME": ("course_name", _parse_course_name),
    "DEFAULT_TIMEZONE": ("default_timezone", _parse_timezone),
    "DEMO_PORT": ("demo_port", _parse_port),
    "DATA_DIR": ("data_dir", lambda raw: _parse_path("DATA_DIR", raw)),
    "DEPARTED_GUILD_GRACE_DAYS": (
        "departed_guild_grace_days",
        lambda raw: _parse_days("DEPARTED_GUILD_GRACE_DAYS", raw),
    ),
    "SPAM_COPY_RETENTION_DAYS": ("spam_copy_retention_days", lambda raw: _parse_days("SPAM_COPY_RETENTION_DAYS", raw)),
}
SETTING_NAMES = tuple(_PARSERS)


def describe_settings(settings: Settings) -> list[tuple[str, str]]:
    """(name, value in use) for every setting, the token only as set / not set."""
    rows = []
    for name, (attr, _) in _PARSERS.items():
        value = getattr(settings, attr)
        if name == "DISCORD_TOKEN":
            shown = "set" if value else "not set (only the offline demo can run)"
        elif name == "DEV_GUILD_ID" and value is None:
            shown = "not set (commands sync globally)"
        elif name == "LESSONS_DIR" and value is None:
            shown = "not set (the starter course shipped with coursebot)"
        else:
            shown = str(value)
        rows.append((name, shown))
    return rows


def settings_from_mapping(values: Mapping[str, str | None]) -> Settings:
    """Build Settings from name/value pairs; unknown names are ignored, bad values raise ConfigError."""
    kwargs: dict[str, object] = {}
    for name, (attr, parse) in _PARSERS.items():
        raw = values.get(name)
        if raw is not None:
            kwargs[attr] = parse(raw)
    return Settings(**kwargs)  # type: ignore[arg-type]


def load_settings(env_file: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from `.env` (if present) overridden by the process environment."""
    env_file = env_file if env_file is not None else BASE_DIR / ".env"
    values: dict[str, str | None] = {}
    if env_file.is_file():
        values.update(dotenv_values(env_file))
    source = os.environ if environ is None else environ
    values.update({name: source[name] for name in SETTING_NAMES if name in source})
    return settings_from_mapping(values)


HIDDEN = "[token hidden]"


class TokenRedactor(logging.Filter):
    """Takes the token out of a log record: its message, its arguments, its exception text and traceback.

    The exception is formatted here (into `exc_text`, then `exc_info` is dropped), so no handler formats the
    original traceback again with the token in it.
    """

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self._token = token

    def _hide(self, text: str) -> str:
        return text.replace(self._token, HIDDEN) if self._token else text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        message = record.getMessage()
        record.msg, record.args = self._hide(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self._hide(record.exc_text)
        if record.stack_info:
            record.stack_info = self._hide(record.stack_info)
        return True


def configure_logging(settings: Settings) -> None:
    """Readable lines on stderr at the configured level; the token never printed."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    handler.addFilter(TokenRedactor(settings.token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    logging.getLogger("discord.http").setLevel(max(logging.INFO, root.level))
    logging.captureWarnings(True)
