"""Quality of the spam filter, cross-validated by source: nothing is scored by a model trained on it.

Run: `.venv/bin/python benchmarks/spam_quality.py [--show-errors]` (about a minute).

1. Host model: retrained on 80 % of the registered domains; the other 20 % give the recall on
   scam hosts at the threshold that flags 0.5 % of benign hosts. The same held-out hosts then go
   through the whole engine in a neutral sentence ("look at this https://HOST/x") with the lists
   off, so only what the name looks like counts.
2. Messages: the message model is retrained without the fold it scores: leave one YouTube video
   out, leave the SMS corpus out, and 5 folds of the course messages (`data/spam/`). Each message
   is checked without context (no author history, ages or flood). Flagged = action flag or delete.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.spam import textmodel, train
from bot.spam.cli import default_corpora
from bot.spam.config import SpamConfig
from bot.spam.engine import SpamEngine
from bot.spam.hostmodel import HostModel
from bot.spam.textmodel import Sample, TextModel

SHOW = "--show-errors" in sys.argv


def host_section(corpora: Path) -> None:
    data = train.host_data(corpora)
    result = train.train_host(data)
    r = result.report
    print("Host model (held-out 20 % of registered domains)")
    print(
        f"  recall {r['recall_at_0.5pct']:.3f} of {r['held_out_scam_hosts']:,} scam hosts with "
        f"{r['benign_flagged']:.2%} of {r['held_out_benign_hosts']:,} benign hosts flagged "
        f"(threshold {r['threshold']:.3f})"
    )
    model = HostModel(result.weights, result.threshold)
    no_lists = SpamConfig(weights={"phishing_list": 0.0, "suspicious_list": 0.0})
    engine = SpamEngine(no_lists, host_model=model, text_model=None)
    held = [(h, y) for h, y, o in zip(data.hosts, data.labels, data.held_out, strict=True) if o]
    scam = [h for h, y in held if y]
    benign = [h for h, y in held if not y]
    caught = sum(engine.assess(f"look at this https://{h}/x").flagged for h in scam)
    wrong = sum(engine.assess(f"look at this https://{h}/x").flagged for h in benign)
    print(
        f"  whole engine, lists off, neutral sentence: {caught / len(scam):.3f} of held-out scam hosts flagged, "
        f"{wrong / len(benign):.2%} of held-out benign hosts flagged"
    )


def folds(samples: list[Sample]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(samples):
        key = f"course:{textmodel.course_fold(s)}" if s.source == "course" else s.source
        out[key].append(i)
    return dict(sorted(out.items()))


def stats(rows: list[tuple[bool, bool]]) -> str:
    tp = sum(1 for spam, flagged in rows if spam and flagged)
    fp = sum(1 for spam, flagged in rows if not spam and flagged)
    fn = sum(1 for spam, flagged in rows if spam and not flagged)
    ham = sum(1 for spam, _ in rows if not spam)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return (
        f"n={len(rows):>5} spam={tp + fn:>4} precision={precision:.3f} recall={recall:.3f} "
        f"false-flag={fp / ham if ham else 0:.4f} ({fp}/{ham})"
    )


def message_section(corpora: Path) -> None:
    samples = textmodel.all_samples(corpora)
    toks = textmodel.sample_tokens(samples)
    labels = [s.spam for s in samples]
    weights = textmodel.row_weights(samples)
    shipped = textmodel.shipped_text_model()
    threshold = shipped.threshold if shipped else 0.9
    lower = shipped.lower if shipped else 0.8
    verdicts: list[tuple[Sample, bool, str, bool]] = []  # sample, flagged, action, has link
    for name, idx in folds(samples).items():
        test = set(idx)
        keep = [i for i in range(len(samples)) if i not in test]
        w, b = textmodel.fit_text(
            [toks[i] for i in keep], [labels[i] for i in keep], row_weights=[weights[i] for i in keep]
        )
        engine = SpamEngine(text_model=TextModel(w, b, threshold, lower))
        for i in idx:
            v = engine.assess(samples[i].text)
            verdicts.append((samples[i], v.flagged, v.action, bool(v.links)))
            if SHOW and v.flagged != samples[i].spam:
                kind = "FP" if v.flagged else "FN"
                print(f"  {kind} [{name}] {v.score} {v.codes} | {samples[i].text[:140]!r}")
    print("Messages, cross-validated by source (leave one video / the SMS corpus / a course fold out)")
    groups: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for s, flagged, _, link in verdicts:
        corpus = s.source.split(":")[0]
        groups[f"{s.source} all"].append((s.spam, flagged))
        if link:
            groups[f"{s.source} with a link"].append((s.spam, flagged))
        if corpus != s.source:
            groups[f"{corpus} all"].append((s.spam, flagged))
            if link:
                groups[f"{corpus} with a link"].append((s.spam, flagged))
    for name in sorted(groups):
        print(f"  {name:<34} {stats(groups[name])}")
    print("Course messages per kind (recall for spam kinds, false-flag rate for legitimate kinds)")
    kinds: dict[tuple[bool, str], list[bool]] = defaultdict(list)
    for s, flagged, _, _ in verdicts:
        if s.source == "course":
            kinds[(s.spam, s.kind)].append(flagged)
    for (spam, kind), flags in sorted(kinds.items()):
        what = "recall" if spam else "false-flag"
        print(f"  {'spam' if spam else 'ham '} {kind:<14} n={len(flags):>3} {what}={sum(flags) / len(flags):.3f}")
    deleted = sum(1 for s, _, action, _ in verdicts if s.source == "course" and not s.spam and action == "delete")
    print(f"  legitimate course posts deleted: {deleted}")


def main() -> None:
    corpora = default_corpora()
    host_section(corpora)
    message_section(corpora)


if __name__ == "__main__":
    main()
