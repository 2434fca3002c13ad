"""API keys: `aa_live_` + 43 random URL-safe characters; only a SHA-256 hash is stored.

Authentication hashes the presented key and looks the hash up by equality in an index. The
lookup's timing depends on the hash, not on how many leading characters of a real key the caller
guessed, so it leaks nothing useful; a malformed key is refused before any lookup with the very
same answer as an unknown one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from agentaudit.store import ApiKeyInfo, EventStore

KEY_PREFIX = "aa_live_"
# 32 random bytes → 43 URL-safe characters (256 bits), well over the 32 characters promised.
_RANDOM_BYTES = 32
_SHOWN_CHARS = len(KEY_PREFIX) + 8  # what `keys list` shows and `keys revoke` accepts
_KEY_RE = re.compile(r"aa_live_[A-Za-z0-9_-]{32,128}")


@dataclass(frozen=True)
class NewKey:
    """A freshly created key: `key` is shown once and never stored."""

    key: str
    info: ApiKeyInfo
    org_name: str


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_prefix(key: str) -> str:
    return key[:_SHOWN_CHARS]


def well_formed(key: str) -> bool:
    return _KEY_RE.fullmatch(key) is not None


def create_key(store: EventStore, org_name: str, name: str | None = None) -> NewKey:
    """Create a key for `org_name`, creating the organisation when it does not exist yet."""
    org = store.ensure_org(org_name)
    key = generate_key()
    info = store.add_api_key(org.id, hash_key(key), key_prefix(key), name)
    return NewKey(key=key, info=info, org_name=org.name)


class KeyCache:
    """The organisation of each key that authenticated a write, so the next write skips the
    lookup (on PostgreSQL a network round trip per event, made while the event loop waits).

    Only writes use it, and every write re-checks its key inside the transaction that stores it
    (`EventStore.append(key_hashes=...)`): a revoked key is still refused at once, and nothing it
    sends after the revocation is stored. Reads look keys up every time.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._orgs: dict[str, str] = {}

    def org(self, key: str | None, store: EventStore) -> tuple[str, str] | None:
        """(organisation id, key hash) of a presented key, or None (as `org_for_key`)."""
        if not key or not well_formed(key):
            return None
        key_hash = hash_key(key)
        org_id = self._orgs.get(key_hash)
        if org_id is None:
            org_id = store.org_for_key_hash(key_hash)
            if org_id is None:
                return None
            if len(self._orgs) >= self._size:
                self._orgs.clear()
            self._orgs[key_hash] = org_id
        return org_id, key_hash

    def forget(self, key_hash: str) -> None:
        self._orgs.pop(key_hash, None)


def org_for_key(store: EventStore, key: str | None) -> str | None:
    """The organisation a presented key belongs to, or None (missing, malformed, unknown,
    revoked: callers answer all of these alike)."""
    if not key or not well_formed(key):
        return None
    return store.org_for_key_hash(hash_key(key))
