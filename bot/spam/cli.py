"""`coursebot spam scan [FILE] [--config FILE]` and `coursebot spam update-list FILE`."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from bot.spam import lists
from bot.spam.config import SpamConfig
from bot.spam.engine import MessageContext, SpamEngine, Verdict


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    spam = subparsers.add_parser("spam", help="the link-spam filter: scan messages, refresh the phishing list")
    sub = spam.add_subparsers(dest="spam_command", metavar="ACTION", required=True)

    scan = sub.add_parser(
        "scan",
        help="score JSON Lines messages (stdin without FILE); one verdict line each, in order",
        description=(
            'Each input line: {"content": str, "author_id"?, "channel_id"?, "timestamp"? (ISO 8601), '
            '"account_age_days"?, "member_age_days"?}. Each output line: {"action": "none"|"flag"|"delete", '
            '"score": float, "reasons": [str]}, or {"error": str} for a bad line. Lines form one stream, '
            "so floods across channels are seen."
        ),
    )
    scan.add_argument("file", nargs="?", type=Path, help="JSON Lines file (default: standard input)")
    scan.add_argument("--config", type=Path, help="spam settings as JSON or TOML (default: built-in defaults)")
    scan.set_defaults(handler=cmd_scan)

    update = sub.add_parser(
        "update-list",
        help="replace the shipped phishing-domain list with FILE (one hostname a line)",
    )
    update.add_argument("file", type=Path, help="new list: one hostname (or host/path) a line, # comments allowed")
    update.add_argument("--suspicious", action="store_true", help="replace the suspicious-domains list instead")
    update.set_defaults(handler=cmd_update_list)

    train = sub.add_parser(
        "train",
        help="rebuild the host and message model weights (deterministic: same inputs, same bytes)",
    )
    train.add_argument(
        "--corpora", type=Path, default=None, help="the shared corpora folder (default: ../shared/corpora)"
    )
    train.add_argument("--out", type=Path, default=None, help="where to write the weights (default: data/spam/)")
    train.add_argument("--small", action="store_true", help="a small, fast configuration (tests)")
    train.set_defaults(handler=cmd_train)


# --- scan -------------------------------------------------------------------------------------

_INT_FIELDS = ("author_id", "channel_id", "guild_id", "message_id", "author_message_count", "mention_count")
_FLOAT_FIELDS = ("account_age_days", "member_age_days")


MAX_LINE = 1_000_000  # characters in one input line (a Discord message is at most 4,000)


class LineError(ValueError):
    """A scan input line that cannot be read; the message is shown in its error object."""


def parse_line(line: str) -> MessageContext:
    """One JSON Lines message as a MessageContext; LineError says what is wrong."""
    if len(line) > MAX_LINE:
        raise LineError(f"line longer than {MAX_LINE:,} characters")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise LineError("not JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise LineError("expected a JSON object with a content field")
    content = data.get("content")
    if not isinstance(content, str):
        raise LineError('"content" must be a string')
    values: dict[str, Any] = {"content": content}
    for name in _INT_FIELDS:
        if data.get(name) is not None:
            values[name] = _number(data[name], name, int)
    for name in _FLOAT_FIELDS:
        if data.get(name) is not None:
            values[name] = _number(data[name], name, float)
    if data.get("mentions_everyone") is not None:
        values["mentions_everyone"] = bool(data["mentions_everyone"])
    if data.get("timestamp") is not None:
        values["timestamp"] = _timestamp(data["timestamp"])
    return MessageContext(**values)


def _number(value: Any, name: str, kind: type[int] | type[float]) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise LineError(f'"{name}" must be a number')
    try:
        number = float(value)
        if not math.isfinite(number):
            raise LineError(f'"{name}" must be a finite number')
        result = kind(value) if not isinstance(value, str) or kind is float else int(number)
    except (TypeError, ValueError, OverflowError):
        raise LineError(f'"{name}" must be a number') from None
    if kind is int and not -(2**63) <= result < 2**64:
        raise LineError(f'"{name}" is out of range')
    return result


def _timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise LineError('"timestamp" must be an ISO 8601 string')
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
        stamp.timestamp()
    except (ValueError, OverflowError, OSError):
        raise LineError(f'"timestamp" is not a usable ISO 8601 time: {value[:40]!r}') from None
    return stamp


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "action": verdict.action,
        "score": verdict.score,
        "probability": round(verdict.probability, 4),
        "reasons": verdict.reason_texts,
    }


def scan_lines(engine: SpamEngine, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One output object per input line, in order; bad lines give {"error": ...}."""
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            yield {"error": f"line {number}: empty line"}
            continue
        try:
            ctx = parse_line(line)
        except LineError as error:
            yield {"error": f"line {number}: {error}"}
            continue
        except Exception as error:
            yield {"error": f"line {number}: unreadable ({type(error).__name__})"}
            continue
        try:
            yield verdict_json(engine.check(ctx))
        except Exception as error:
            yield {"error": f"line {number}: could not be checked ({type(error).__name__})"}


def cmd_scan(args: argparse.Namespace, settings: object = None) -> int:
    try:
        config = SpamConfig.from_file(args.config) if args.config else SpamConfig()
    except (OSError, ValueError, TypeError) as error:
        print(f"coursebot: cannot use spam config {args.config}: {error}", file=sys.stderr)
        return 1
    engine = SpamEngine(config)
    source: IO[str]
    if args.file is None:
        source = sys.stdin
    else:
        try:
            source = args.file.open(encoding="utf-8", errors="replace")
        except OSError as error:
            print(f"coursebot: cannot read {args.file}: {error.strerror}", file=sys.stderr)
            return 1
    interactive = args.file is None and sys.stdin.isatty()
    out = sys.stdout
    try:
        for result in scan_lines(engine, source):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            if interactive:
                out.flush()
    finally:
        if source is not sys.stdin:
            source.close()
    out.flush()
    return 0


# --- update-list ------------------------------------------------------------------------------

_HOST_RE = re.compile(r"^(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]{0,62}(?:/\S*)?$")


def read_list(path: Path) -> tuple[list[str], list[int]]:
    """Valid entries of a domain-list file (deduplicated, in order) and the numbers of bad lines."""
    entries: dict[str, None] = {}
    bad: list[int] = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, raw in enumerate(fh, start=1):
            entry = raw.split("#", 1)[0].strip().lower()
            if not entry:
                continue
            entry = entry.removeprefix("http://").removeprefix("https://").removeprefix("www.").rstrip("/.")
            if _HOST_RE.match(entry):
                entries[entry] = None
            else:
                bad.append(number)
    return list(entries), bad


def cmd_update_list(args: argparse.Namespace, settings: object = None) -> int:
    name = lists.SUSPICIOUS_FILE if args.suspicious else lists.PHISHING_FILE
    data_dir = getattr(settings, "data_dir", None)
    if data_dir is not None:
        lists.set_data_dir(Path(data_dir))
    target = lists.writable_dir() / name  # never the install: the loader prefers this copy
    try:
        entries, bad = read_list(args.file)
    except OSError as error:
        print(f"coursebot: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    if not entries:
        print(f"coursebot: {args.file} holds no hostnames; {target.name} was left as it was.", file=sys.stderr)
        return 1
    old_raw = lists.read_shipped(name) or b""
    old = set(lists.parse_entries(old_raw.decode("utf-8").splitlines()))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(entries) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    lists.reload()
    new = set(entries)
    print(
        f"{target.name}: {len(entries):,} entries (was {len(old):,}): "
        f"{len(new - old):,} added, {len(old - new):,} removed."
    )
    if bad:
        shown = ", ".join(str(n) for n in bad[:10]) + (" ..." if len(bad) > 10 else "")
        print(f"Skipped {len(bad)} line(s) that are not hostnames: line {shown}.")
    return 0


# --- train ------------------------------------------------------------------------------------


def default_corpora() -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "corpora"


def cmd_train(args: argparse.Namespace, settings: object = None) -> int:
    from bot.spam import train

    corpora = args.corpora or default_corpora()
    if not (corpora / "top-sites").is_dir():
        print(f"coursebot: no corpora at {corpora} (use --corpora DIR)", file=sys.stderr)
        return 1
    out = args.out or lists.source_dir()
    files = train.train_all(corpora, small=args.small)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = out / (name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, out / name)
        print(f"{out / name}: {len(data):,} bytes")
    meta = json.loads(files["models.json"])
    host = meta["host"]["report"]
    print(
        f"host model: held-out recall {host['recall_at_0.5pct']:.3f} with {host['benign_flagged']:.2%} of "
        f"{host['held_out_benign_hosts']:,} benign hosts flagged ({host['held_out_scam_hosts']:,} scam hosts)"
    )
    return 0
