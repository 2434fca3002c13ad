"""Event ids: ULIDs (26 Crockford base32 characters, sortable by time), made cheaply.

python-ulid reads os.urandom and builds an object for every id, which costs more than the rest of
a queued event. Ids need to be unique, not secret: the random part comes from a per-process
generator seeded from os.urandom (reseeded after fork), and the text is encoded ten bits at a time.
"""

from __future__ import annotations

import os
import random
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]  # 10 bits -> 2 characters
_rng = random.Random(os.urandom(32))


def _reseed() -> None:
    _rng.seed(os.urandom(32))


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reseed)


def new_id() -> str:
    """A new ULID string: 48 bits of milliseconds, 80 random bits."""
    value = ((time.time_ns() // 1_000_000) << 80) | _rng.getrandbits(80)
    pairs = _PAIRS
    return "".join(pairs[(value >> shift) & 0x3FF] for shift in range(120, -10, -10))
