"""The storage contract every backend (SQLite, PostgreSQL) fulfils, and the records it speaks."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from agentaudit.approvals import Approval, ApprovalState
from agentaudit.errors import ValidationError
from agentaudit.models import Event, EventFilter, EventPage, Policy, Stats
from agentaudit.policy_history import PolicyHistory, PolicyVersion
from agentaudit.store.chain import ChainRow, VerifyResult
from agentaudit.store.checkpoint import Checkpoint

if TYPE_CHECKING:
    from agentaudit.store._sql import Head

DEFAULT_ORG_NAME = "default"
UNKNOWN_ACTOR = "unknown"
LOCK_TIMEOUT_ENV = "AGENTAUDIT_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0


def lock_timeout() -> float:
    """Seconds a store waits for a lock (another writer, a locked database) before it answers
    `StoreUnavailable`: $AGENTAUDIT_LOCK_TIMEOUT, default 10."""
    text = os.environ.get(LOCK_TIMEOUT_ENV)
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{LOCK_TIMEOUT_ENV}={text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise ValueError(f"{LOCK_TIMEOUT_ENV}={text!r} must be between 0 and 3600 seconds")
    return value


@dataclass(frozen=True)
class NewEvent:
    """A fully decided event ready to be chained and stored.

    `idempotency_key`, when given, is unique per organisation: storing the same key again returns
    the event stored the first time and writes nothing — if `request_digest` (what the key was
    sent with, see `agentaudit.idempotency`) matches the one stored with it; another request
    under a used key is an `IdempotencyConflict`.

    `subjects` are the (keyed value hash, PII type) of the identifiers found in the call
    (agentaudit/subjects.py), indexed in the same transaction as the event.
    """

    event: Event
    idempotency_key: str | None = None
    request_digest: str | None = None
    subjects: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StoredPayload:
    """A stored call whose payload may hold secrets in clear (read for `mask_payloads`), with
    its payload's texts exactly as stored, so the masking can tell it was not changed since."""

    seq: int
    event: Event
    texts: tuple[
        str | None, str | None, str | None, str | None
    ]  # data, context, reasoning, evidence
    chain_version: int
    # the values its hash covers, as stored (what a masked block reason is chained with),
    # and that hash: a row that no longer matches it is not masked (that would hide tampering)
    chained: dict[str, Any] = field(default_factory=dict)
    hash: str = ""


@dataclass(frozen=True)
class PayloadMask:
    """The masked payload of one stored call (canonical texts) replacing `before`, its digest
    (which the masking record lists), and what was masked (JSON paths, secret types).

    A block reason that quoted a secret is masked too (`reason`; None: left as it is). The
    reason is chained in the event's hash, which the row keeps; `fields_hash` is the hash of
    the event's chained values with the masked reason, which the masking record lists so that
    `verify` can check the row against it (store/chain.py)."""

    seq: int
    event_id: str
    before: tuple[str | None, str | None, str | None, str | None]
    data: str
    context: str
    reasoning: str | None
    evidence: str | None
    digest: str
    fields: tuple[str, ...]
    types: tuple[str, ...]
    reason: str | None = None
    fields_hash: str | None = None


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class ApiKeyInfo:
    id: str
    org_id: str
    prefix: str
    name: str | None
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class SessionRecord:
    """A dashboard sign-in, stored by the SHA-256 of its id (times: seconds since the epoch)."""

    id_hash: str
    org_id: str
    key_hash: str
    csrf: str
    created_at: float
    last_seen: float


class KeyRevoked(Exception):
    """An append named an API key that is no longer an active key of the organisation (it was
    revoked meanwhile); nothing was stored."""


class SchemaOutOfDate(Exception):
    """The database schema is behind the code; `agentaudit db upgrade` brings it forward."""


class IdempotencyConflict(ValidationError):
    """An idempotency key was used again with a different request; nothing was stored.
    `indexes` are the positions, in the append, of the events that reused a key."""

    def __init__(self, keys: list[str], indexes: list[int]) -> None:
        self.keys = keys
        self.indexes = indexes
        shown = ", ".join(repr(k) for k in keys[:3]) + (" …" if len(keys) > 3 else "")
        message = (
            f"idempotency key {shown} was already used with a different request; a key stands"
            " for one request: send a new event under a new key"
        )
        errors = [
            {"loc": ["idempotency_key", i], "msg": message, "type": "idempotency_key_reused"}
            for i in indexes
        ]
        super().__init__(message, errors=errors)


class StoreUnavailable(Exception):
    """The store cannot take the request now, for a reason that passes: its disk is full, a lock
    was held longer than the store waits, the database cannot be reached. Nothing was written.
    `cause` says which in words an operator can act on; `retry_after` is a hint in seconds."""

    def __init__(self, cause: str, *, retry_after: int = 1) -> None:
        super().__init__(cause)
        self.cause = cause
        self.retry_after = retry_after


@runtime_checkable
class EventStore(Protocol):
    """One audit store. All methods are thread-safe; `append` is all-or-nothing."""

    # events
    def append(
        self, org_id: str, events: Sequence[NewEvent], *, key_hashes: Collection[str] = ()
    ) -> list[Event]:
        """Chain and store `events`. Each of `key_hashes` must be an active API key of the
        organisation when the transaction commits, else `KeyRevoked` and nothing is stored:
        a write authenticated before a revocation cannot land after it."""
        ...

    def get_event(self, org_id: str, event_id: str) -> Event | None: ...
    def list_events(self, org_id: str, flt: EventFilter) -> EventPage: ...
    def stats(
        self, org_id: str, after: datetime | None = None, before: datetime | None = None
    ) -> Stats: ...
    def iter_events(self, org_id: str, batch_size: int = 1000) -> Iterator[Event]: ...
    def replay_rows(
        self,
        org_id: str,
        after_seq: int,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple]:
        """Call rows for policy replay (store/_sql.py REPLAY_COLUMNS), in seq order."""
        ...

    def erase(self, org_id: str, event_id: str, *, actor: str = UNKNOWN_ACTOR) -> bool:
        """Erase one event's payload (GDPR Art. 17) and chain an erasure record naming it and
        `actor` (who asked), in one transaction; False when there is no such event or it was
        erased already. An erasure record itself cannot be erased (ValueError)."""
        ...

    def purge(
        self,
        org_id: str,
        older_than: datetime,
        *,
        dry_run: bool = False,
        actor: str = UNKNOWN_ACTOR,
    ) -> int:
        """Erase payloads of events created before `older_than` (retention), chaining an erasure
        record per transaction; returns how many were (with `dry_run`: would be) erased. Every
        hash stays verifiable."""
        ...

    def verify(self, org_id: str, checkpoints: Sequence[Checkpoint] | None = None) -> VerifyResult:
        """Recompute the chain and check it against `checkpoints` (default: the stored ones;
        their signatures are the caller's to check, with a key the store does not hold)."""
        ...

    # signed checkpoints (store/checkpoint.py)
    def add_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> list[Checkpoint]:
        """Store checkpoints, ignoring one stored already (org, seq, key); returns the new."""
        ...

    def list_checkpoints(
        self, org_id: str, after_seq: int = 0, limit: int | None = None
    ) -> list[Checkpoint]: ...
    def chain_rows(
        self, org_id: str, after_seq: int, upto_seq: int, limit: int = 2000
    ) -> list[ChainRow]:
        """Rows after `after_seq` up to `upto_seq`, in seq order, exactly as hashed."""
        ...

    def heads_to_sign(self) -> list[Head]:
        """Every organisation's chain head with its newest checkpoint."""
        ...

    # secrets stored in clear (before masking was the default, or with store_secrets: clear)
    def payloads_to_mask(
        self, org_id: str, after_seq: int, limit: int, *, with_secret_types: bool = True
    ) -> list[StoredPayload]:
        """Calls after `after_seq`, in seq order, neither erased nor masked already; with
        `with_secret_types`, only those whose classification named a secret type."""
        ...

    def mask_payloads(
        self, org_id: str, masks: Sequence[PayloadMask], *, actor: str = UNKNOWN_ACTOR
    ) -> int:
        """Replace the payloads of `masks` and chain the record of it (what, who, when), in one
        transaction; a payload changed or erased since it was read is left out. Returns how
        many were masked (none: no record)."""
        ...

    def find_fingerprint(self, org_id: str, fp: str, limit: int = 100) -> list[Event]:
        """Events whose stored payload holds a secret masked with fingerprint `fp` (oldest
        first, at most `limit`): did this key leak, and where."""
        ...

    def fingerprint_key(self, org_id: str) -> bytes:
        """The organisation's key for the fingerprints of masked secrets (made on first use,
        never changed)."""
        ...

    # organisations, keys and policy
    def ensure_org(self, name: str) -> Org: ...
    def create_org(self, name: str) -> Org: ...
    def find_org(self, name: str) -> Org | None: ...
    def list_orgs(self) -> list[Org]: ...
    def add_api_key(
        self, org_id: str, key_hash: str, prefix: str, name: str | None = None
    ) -> ApiKeyInfo: ...
    def org_for_key_hash(self, key_hash: str) -> str | None: ...
    def list_api_keys(self, org_id: str | None = None) -> list[ApiKeyInfo]: ...
    def revoke_api_key(self, key_id_or_prefix: str) -> bool: ...
    def get_policy(self, org_id: str) -> Policy: ...
    def policy_in_force(self, org_id: str) -> tuple[Policy, int]:
        """The policy and its version (0 until its first recorded change), in one read."""
        ...

    def set_policy(
        self, org_id: str, policy: Policy, *, actor: str = UNKNOWN_ACTOR, source: str = "api"
    ) -> Policy:
        """Make `policy` the next version and chain the record of the change (who: `actor`;
        through what: `source`; the old and new policy), in one transaction; setting the
        policy in force again records nothing (policy_history.py)."""
        ...

    def policy_versions(self, org_id: str, limit: int = 50, offset: int = 0) -> PolicyHistory:
        """The recorded versions, newest first."""
        ...

    def get_policy_version(self, org_id: str, version: int) -> PolicyVersion | None: ...

    # approval requests of calls held for review (approvals.py, store/approvals.py); `append`
    # creates them with their held calls, in the same transaction
    def get_approval(self, org_id: str, approval_id: str) -> Approval | None: ...
    def list_approvals(
        self, org_id: str, state: ApprovalState | None = None, limit: int = 100, offset: int = 0
    ) -> list[Approval]: ...
    def approval_ids(self, org_id: str, event_ids: Sequence[str]) -> dict[str, str]:
        """{event id: approval id} of the held calls among `event_ids`."""
        ...

    def decide_approval(
        self,
        org_id: str,
        approval_id: str,
        decision: str,
        approver: str,
        comment: str | None = None,
    ) -> Approval:
        """Decide ("approve" or "deny") a pending, unexpired request and chain the record of
        the outcome naming `approver`, in one transaction: `ApprovalNotFound`, or
        `ApprovalClosed` when it was decided already or has expired (nothing written)."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class SessionStore(Protocol):
    """Dashboard sign-ins kept in the store, so every server process on it shares them and they
    survive restarts. Apart from `EventStore`: only the dashboard needs them, and the audit
    trail's contract should not grow with it (SQLiteStore and PostgresStore have both)."""

    def save_session(self, session: SessionRecord) -> None: ...
    def load_session(self, id_hash: str) -> SessionRecord | None: ...
    def delete_session(self, id_hash: str) -> None: ...
    def expire_sessions(self, idle_before: float, created_before: float) -> int:
        """Delete the sessions idle since `idle_before` or created before `created_before`
        (seconds since the epoch); returns how many."""
        ...
