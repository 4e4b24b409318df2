"""`coursebot spam scan` and `coursebot spam update-list`, and loading SpamConfig from files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.spam import lists
from bot.spam.cli import cmd_scan, cmd_update_list
from bot.spam.config import SpamConfig
from bot.spam.engine import MessageContext, SpamEngine


def run_scan(tmp_path: Path, lines: list[str], capsys, config: Path | None = None) -> list[dict]:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = type("Args", (), {"file": source, "config": config})()
    assert cmd_scan(args) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_scan_writes_one_line_per_message_in_order(tmp_path: Path, capsys) -> None:
    out = run_scan(
        tmp_path,
        [
            json.dumps({"content": "hello everyone, lesson 2 was great"}),
            json.dumps({"content": "free nitro https://dlscord-gift.com/claim", "author_id": 3}),
            "not json",
            json.dumps({"content": 12}),
            "",
            json.dumps({"content": "join discord.gg/other", "timestamp": "2026-05-01T10:00:00Z"}),
        ],
        capsys,
    )
    assert len(out) == 6
    assert {k: out[0][k] for k in ("action", "score", "reasons")} == {"action": "none", "score": 0.0, "reasons": []}
    assert 0 <= out[0]["probability"] < 0.5 < out[1]["probability"] <= 1
    assert out[1]["action"] == "delete" and any("phishing" in r for r in out[1]["reasons"])
    assert out[2]["error"].startswith("line 3: not JSON")
    assert out[3] == {"error": 'line 4: "content" must be a string'}
    assert out[4] == {"error": "line 5: empty line"}
    assert out[5]["action"] == "flag" and out[5]["reasons"] == ["invite to another server: discord.gg/other"]


def test_scan_sees_floods_across_lines(tmp_path: Path, capsys) -> None:
    line = {"content": "Best deals https://deals.example.shop/x", "author_id": 8}
    lines = [json.dumps({**line, "channel_id": c, "timestamp": f"2026-05-01T10:00:0{c}+00:00"}) for c in (1, 2, 3)]
    out = run_scan(tmp_path, lines, capsys)
    assert out[2]["action"] == "flag"
    assert "same message in 3 channels within 2 minutes" in out[2]["reasons"]


def test_scan_bad_fields_are_reported(tmp_path: Path, capsys) -> None:
    out = run_scan(
        tmp_path,
        [json.dumps({"content": "x", "timestamp": "yesterday"}), json.dumps({"content": "x", "author_id": "abc"})],
        capsys,
    )
    assert "timestamp" in out[0]["error"]
    assert out[1] == {"error": 'line 2: "author_id" must be a number'}


def test_scan_with_config_file(tmp_path: Path, capsys) -> None:
    config = tmp_path / "spam.toml"
    config.write_text('[spam]\nallowed_invites = ["other"]\nflag_threshold = 0.5\n', encoding="utf-8")
    out = run_scan(
        tmp_path,
        [json.dumps({"content": "join discord.gg/other"}), json.dumps({"content": "see https://tinyurl.com/x1"})],
        capsys,
        config,
    )
    assert out[0]["action"] == "none"
    assert out[1]["action"] == "flag"  # shortener 0.6 reaches the lower threshold


def test_scan_with_a_bad_config_file(tmp_path: Path, capsys) -> None:
    config = tmp_path / "spam.json"
    config.write_text('{"flag_treshold": 2}', encoding="utf-8")
    args = type("Args", (), {"file": tmp_path / "none.jsonl", "config": config})()
    assert cmd_scan(args) == 1
    assert "flag_treshold" in capsys.readouterr().err


def test_scan_reads_stdin(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"content": "https://tinyurl.com/x1 free gift"}\n'))
    args = type("Args", (), {"file": None, "config": None})()
    assert cmd_scan(args) == 0
    assert json.loads(capsys.readouterr().out)["action"] == "flag"


def test_config_round_trip_and_with_changes(tmp_path: Path) -> None:
    config = SpamConfig(allowed_domains=["WWW.Example.com", "https://foo.org/x"], exempt_user_ids=[3])
    assert config.allowed_domains == frozenset({"example.com", "foo.org"})
    path = tmp_path / "c.json"
    path.write_text(json.dumps(config.to_mapping()), encoding="utf-8")
    assert SpamConfig.from_file(path) == config
    changed = config.with_changes(flag_threshold=2.0, weights={"invite": 0.1})
    assert changed.flag_threshold == 2.0 and changed.weight("invite") == 0.1
    assert changed.weight("lookalike") == config.weight("lookalike")
    with pytest.raises(ValueError):
        SpamConfig(flag_threshold=0)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for path in lists.data_dir().iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("COURSEBOT_SPAM_DATA", str(target))
    lists.reload()
    yield target
    monkeypatch.delenv("COURSEBOT_SPAM_DATA")
    lists.reload()


@pytest.fixture
def writable(tmp_path: Path):
    folder = tmp_path / "var"
    yield folder
    lists.set_data_dir(None)


def test_update_list_writes_the_data_folder_and_the_loader_prefers_it(
    data_copy: Path, writable: Path, tmp_path: Path, capsys
) -> None:
    shipped_before = (data_copy / "phishing-domains.txt").read_bytes()
    new = tmp_path / "new.txt"
    new.write_text("# fresh list\nbrand-new-scam.xyz\nhttps://www.other-scam.ru/\nnot a host\nbit.ly/abc\n")
    args = type("Args", (), {"file": new, "suspicious": False})()
    settings = type("Settings", (), {"data_dir": writable})()
    assert cmd_update_list(args, settings) == 0
    out = capsys.readouterr().out
    assert "phishing-domains.txt: 3 entries" in out and "line 4" in out
    assert (writable / "spam" / "phishing-domains.txt").read_text().split() == [
        "brand-new-scam.xyz",
        "other-scam.ru",
        "bit.ly/abc",
    ]
    assert (data_copy / "phishing-domains.txt").read_bytes() == shipped_before  # the install is untouched
    assert SpamEngine().check(MessageContext("https://brand-new-scam.xyz/x")).action == "delete"


def test_update_list_refuses_an_empty_file(data_copy: Path, writable: Path, tmp_path: Path, capsys) -> None:
    before = (data_copy / "phishing-domains.txt").read_text()
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n")
    args = type("Args", (), {"file": empty, "suspicious": False})()
    assert cmd_update_list(args, type("Settings", (), {"data_dir": writable})()) == 1
    assert not (writable / "spam" / "phishing-domains.txt").exists()
    assert (data_copy / "phishing-domains.txt").read_text() == before
    assert "left as it was" in capsys.readouterr().err


# --- scan answers every line ----------------------------------------------------------------------


def scan(lines: list[str]) -> list[dict[str, object]]:
    from bot.spam.cli import scan_lines

    return list(scan_lines(SpamEngine(), lines))


def test_scan_answers_hostile_lines_and_goes_on() -> None:
    lines = [
        '{"content": "hi https://example.org", "author_id": Infinity}',
        '{"content": "hi", "timestamp": "0001-01-01T00:30:00+05:00"}',
        "[" * 100_000,
        '{"content": "x", "author_id": 1e400}',
        '{"content": "x", "channel_id": -Infinity}',
        '{"content": "x", "author_id": NaN}',
        '{"content": "x", "timestamp": "9999-12-31T23:59:59-05:00"}',
        '{"content": "free robux at https://rob1ox-claim.click/x"}',
    ]
    out = scan(lines)
    assert len(out) == len(lines)
    assert all("error" in o for o in out[:7]), out
    assert out[7]["action"] in ("flag", "delete")


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    pass
else:
    JSON_VALUES = st.recursive(
        st.none() | st.booleans() | st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.text(),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
        max_leaves=10,
    )
    FIELDS = st.sampled_from(
        ["content", "author_id", "channel_id", "timestamp", "account_age_days", "member_age_days", "mention_count"]
    )

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.dictionaries(FIELDS, JSON_VALUES, max_size=5), max_size=6), st.lists(st.text(max_size=40)))
    def test_scan_answers_every_line_with_a_verdict_or_an_error(
        objects: list[dict[str, object]], raw: list[str]
    ) -> None:
        lines = [json.dumps(o, allow_nan=True) for o in objects] + [r.replace("\n", " ") for r in raw]
        out = scan(lines)
        assert len(out) == len(lines)
        for line, answer in zip(lines, out, strict=True):
            assert ("error" in answer) or answer["action"] in ("none", "flag", "delete"), (line, answer)
            json.dumps(answer, allow_nan=False)  # every answer is strict JSON
