"""Pure decisions of the queue: when to try again, and when to give up."""

from __future__ import annotations

import random
from datetime import timedelta

MAX_ATTEMPTS = 8
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=30)
LEASE = timedelta(minutes=5)
"""How long a claimed job belongs to its runner; a job still running after that (its process died) is
pending again."""


def backoff(attempts: int, rng: random.Random, retry_after: float | None = None) -> timedelta:
    """The wait before the next attempt after `attempts` failed ones: exponential (5 s, 10 s, 20 s ... up to
    30 min) with jitter (between half and all of it), never shorter than what the other side asked for."""
    exponent = max(attempts - 1, 0)
    ceiling = min(BASE_DELAY * (2**exponent), MAX_DELAY)
    delay = ceiling * rng.uniform(0.5, 1.0)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def gives_up(attempts: int, max_attempts: int, permanent: bool) -> bool:
    """Whether a failed attempt is the last: retrying cannot help, or the attempts are used up."""
    return permanent or attempts >= max_attempts


KEEP_DONE = timedelta(days=7)
"""Finished jobs are kept this long (to look at what was done), then erased with what they held."""
KEEP_DEAD = timedelta(days=30)
"""Dead jobs wait this long for a moderator's Retry."""
