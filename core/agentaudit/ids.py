"""Event ids: ULIDs (sortable by time) without a system call per id.

python-ulid reads os.urandom for every id, which costs tens of microseconds on a busy machine —
more than the rest of a decision. Ids need to be unique, not secret: the random part comes from a
per-process generator seeded from os.urandom (and reseeded after fork).
"""

from __future__ import annotations

import os
import random
import time

from ulid import ULID

_rng = random.Random(os.urandom(32))


def _reseed() -> None:
    _rng.seed(os.urandom(32))


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reseed)


def new_id() -> str:
    """A new ULID string (26 Crockford base32 characters)."""
    ms = time.time_ns() // 1_000_000
    return str(ULID.from_bytes(ms.to_bytes(6, "big") + _rng.getrandbits(80).to_bytes(10, "big")))
