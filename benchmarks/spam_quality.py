"""Quality of the spam engine on the shared corpora: precision and recall of `flag`.

Run: `.venv/bin/python benchmarks/spam_quality.py [--show-errors]`. Each message is checked
without context (no author history, ages or flood), as `coursebot spam scan` does by default, so
only what the text and its links say counts. "Flagged" means action flag or delete.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from spam_corpora import Sample, sms, youtube

from bot.spam.engine import assess_text


def scores(samples: list[Sample]) -> tuple[int, int, int, int]:
    tp = fp = fn = tn = 0
    for s in samples:
        flagged = assess_text(s.text).flagged
        if flagged and s.spam:
            tp += 1
        elif flagged:
            fp += 1
        elif s.spam:
            fn += 1
        else:
            tn += 1
    return tp, fp, fn, tn


def line(name: str, samples: list[Sample]) -> str:
    tp, fp, fn, tn = scores(samples)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    ham = fp + tn
    return (
        f"{name:<28} n={len(samples):>5} spam={tp + fn:>4}  precision={precision:.3f}  recall={recall:.3f}"
        f"  false-flag rate on ham={fp / ham if ham else 0:.4f} ({fp}/{ham})"
    )


def main() -> None:
    yt, sm = youtube(), sms()
    has_link = {id(s) for s in yt + sm if assess_text(s.text).links}
    yt_l = [s for s in yt if id(s) in has_link]
    sm_l = [s for s in sm if id(s) in has_link]
    print("Spam engine quality (flag = action flag or delete; default settings, no context)")
    print(line("YouTube, with a link", yt_l))
    print(line("SMS, with a link", sm_l))
    print(line("both, with a link", yt_l + sm_l))
    print(line("YouTube, all", yt))
    print(line("SMS, all", sm))
    print(line("both, all", yt + sm))
    ham_links = [s for s in yt_l + sm_l if not s.spam]
    fp = sum(1 for s in ham_links if assess_text(s.text).flagged)
    print(f"false-flag rate on ham with links: {fp}/{len(ham_links)} = {fp / max(1, len(ham_links)):.3f}")
    if "--show-errors" in sys.argv:
        for s in yt_l + sm_l:
            v = assess_text(s.text)
            if v.flagged != s.spam:
                kind = "FP" if v.flagged else "FN"
                print(f"{kind} {s.source} {v.score} {v.codes} | {s.text[:150]!r}")


if __name__ == "__main__":
    main()
