"""The audit service: classify → decide → store for one organisation at a time.

Used in-process by the embedded client and by every server worker, so a decision is the same
wherever it is made. It knows nothing of HTTP or frameworks.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from agentaudit.approvals import Approval, ApprovalState
from agentaudit.classifier import RuleSet
from agentaudit.idempotency import request_digest
from agentaudit.models import Decision, Event, EventFilter, EventIn, EventPage, Policy, Stats
from agentaudit.pipeline import evaluate
from agentaudit.policy import merge_policy
from agentaudit.policy_history import PolicyHistory, PolicyVersion
from agentaudit.provenance import Provenance
from agentaudit.provenance.shared import ProvenanceTable
from agentaudit.store import EventStore, NewEvent, VerifyResult
from agentaudit.store.approvals import with_approval_ids
from agentaudit.store.base import UNKNOWN_ACTOR

SESSIONS_ENV = "AGENTAUDIT_PROVENANCE_SESSIONS"  # "store" or "process"; unset: the store's default


def sessions_table(store: object, share: bool | None = None) -> ProvenanceTable | None:
    """The store, when provenance sessions are kept in it for every process on it: as `share`
    says, else as $AGENTAUDIT_PROVENANCE_SESSIONS says, else as the store's default (PostgreSQL:
    in the store; SQLite: in this process, which is faster, unless processes share the file)."""
    if not isinstance(store, ProvenanceTable):
        return None
    if share is None:
        choice = os.environ.get(SESSIONS_ENV, "").strip().lower()
        share = choice == "store" if choice else bool(store.SHARES_SESSIONS_BY_DEFAULT)
    return store if share else None


class AuditService:
    # Another process (a second server worker, a CLI) may change a policy: re-read it this often.
    POLICY_TTL_SECONDS = 1.0

    def __init__(
        self,
        store: EventStore,
        *,
        rules: RuleSet | None = None,
        shared_sessions: bool | None = None,
    ) -> None:
        self.store = store
        self.rules = rules
        self._policies: dict[str, tuple[float, Policy, int]] = {}
        self._secret_keys: dict[str, bytes] = {}
        # Sessions' untrusted values (docs/provenance.md): in the store when it keeps them for
        # every process on it (PostgreSQL; SQLite when asked), else in this process.
        self.provenance = Provenance(table=sessions_table(store, shared_sessions))

    def policy(self, org_id: str) -> Policy:
        """The org's policy, cached for POLICY_TTL_SECONDS (a read per decision costs more than
        the decision); changes made through this service apply at once."""
        return self.policy_in_force(org_id)[0]

    def policy_in_force(self, org_id: str) -> tuple[Policy, int]:
        """The org's policy and its version (policy_history.py), cached together: the version
        an event records is that of the policy that decided it, read with it."""
        now = time.monotonic()
        cached = self._policies.get(org_id)
        if cached is not None and cached[0] > now:
            return cached[1], cached[2]
        policy, version = self.store.policy_in_force(org_id)
        self._policies[org_id] = (now + self.POLICY_TTL_SECONDS, policy, version)
        return policy, version

    def secret_key(self, org_id: str) -> bytes:
        """The org's fingerprint key for masked secrets (secret_mask.py): made once, never
        changed, so it is read from the store once per process."""
        key = self._secret_keys.get(org_id)
        if key is None:
            key = self._secret_keys[org_id] = self.store.fingerprint_key(org_id)
        return key

    def record(
        self,
        org_id: str,
        events: Sequence[EventIn],
        idempotency_keys: Sequence[str | None] | None = None,
    ) -> list[Event]:
        """Evaluate and store a batch all-or-nothing; events the policy does not keep are
        returned with `stored: false`. Replays of a known idempotency key return the first
        result; a key reused with another request is an `IdempotencyConflict`.
        """
        policy, version = self.policy_in_force(org_id)
        keys = list(idempotency_keys) if idempotency_keys is not None else [None] * len(events)
        if len(keys) != len(events):
            raise ValueError("one idempotency key per event")
        key = self.secret_key(org_id)
        prov = self.provenance.for_org(org_id)
        found: list[list[tuple[str, str]]] = [[] for _ in events]
        evaluated = [
            evaluate(
                e,
                policy,
                rules=self.rules,
                secret_key=key,
                provenance=prov,
                subjects=s,
                policy_version=version,
            )
            for e, s in zip(events, found, strict=True)
        ]
        to_store = [
            NewEvent(ev, key, None if key is None else request_digest(e), tuple(s))
            for e, (ev, keep), key, s in zip(events, evaluated, keys, found, strict=True)
            if keep
        ]
        stored = iter(self.store.append(org_id, to_store))
        return [next(stored) if keep else ev for ev, keep in evaluated]

    def evaluate(
        self, org_id: str, event: EventIn, subjects: list[tuple[str, str]] | None = None
    ) -> tuple[Event, bool]:
        """Classify and decide without storing; returns the event and whether policy keeps it.
        With `subjects`, a kept event's data-subject index entries are added to it (for its
        `NewEvent`: subjects.py)."""
        policy, version = self.policy_in_force(org_id)
        return evaluate(
            event,
            policy,
            rules=self.rules,
            secret_key=self.secret_key(org_id),
            provenance=self.provenance.for_org(org_id),
            subjects=subjects,
            policy_version=version,
        )

    def get_event(self, org_id: str, event_id: str) -> Event | None:
        event = self.store.get_event(org_id, event_id)
        if event is not None and event.decision == Decision.REVIEW:
            event = self._with_approvals(org_id, [event])[0]
        return event

    def list_events(self, org_id: str, flt: EventFilter) -> EventPage:
        page = self.store.list_events(org_id, flt)
        if any(e.decision == Decision.REVIEW for e in page.events):
            page.events = self._with_approvals(org_id, page.events)
        return page

    def _with_approvals(self, org_id: str, events: list[Event]) -> list[Event]:
        """Held calls read back with the id of their approval request (kept beside them)."""
        ids = self.store.approval_ids(org_id, [e.id for e in events if e.decision == "review"])
        return with_approval_ids(events, ids)

    # -- approvals of held calls (approvals.py) ---------------------------------------------
    def get_approval(self, org_id: str, approval_id: str) -> Approval | None:
        return self.store.get_approval(org_id, approval_id)

    def list_approvals(
        self, org_id: str, state: ApprovalState | None = None, limit: int = 100, offset: int = 0
    ) -> list[Approval]:
        return self.store.list_approvals(org_id, state, limit, offset)

    def decide_approval(
        self,
        org_id: str,
        approval_id: str,
        decision: str,
        approver: str,
        comment: str | None = None,
    ) -> Approval:
        """Approve or deny a held call once; the outcome is chained naming `approver`."""
        return self.store.decide_approval(org_id, approval_id, decision, approver, comment)

    def stats(
        self, org_id: str, after: datetime | None = None, before: datetime | None = None
    ) -> Stats:
        return self.store.stats(org_id, after, before)

    def get_policy(self, org_id: str) -> Policy:
        return self.store.get_policy(org_id)

    def update_policy(
        self,
        org_id: str,
        patch: dict[str, Any] | Policy,
        *,
        source: str = "api",
        actor: str = UNKNOWN_ACTOR,
    ) -> Policy:
        """Merge, validate and save as the next version: in the same transaction the store
        chains the record of the change naming `actor` (who) and `source` (through what: api,
        dashboard, cli, embedded) with the old and new policy, and keeps the version in the
        policy's history (policy_history.py). An invalid policy raises before anything is
        written."""
        current = self.store.get_policy(org_id)
        policy = patch if isinstance(patch, Policy) else merge_policy(current, patch)
        saved = self.store.set_policy(org_id, policy, actor=actor, source=source)
        self._policies.pop(org_id, None)
        return saved

    def policy_history(self, org_id: str, limit: int = 50, offset: int = 0) -> PolicyHistory:
        """The policy's recorded versions, newest first."""
        return self.store.policy_versions(org_id, limit, offset)

    def policy_version(self, org_id: str, version: int) -> PolicyVersion | None:
        """One version of the policy (0: the policy before its first recorded change)."""
        return self.store.get_policy_version(org_id, version)

    def erase(self, org_id: str, event_id: str, *, actor: str = UNKNOWN_ACTOR) -> bool:
        """Erase one payload; `actor` (who asked: a key, a local user) goes into the chained
        record of the erasure."""
        return self.store.erase(org_id, event_id, actor=actor)

    def verify(self, org_id: str) -> VerifyResult:
        return self.store.verify(org_id)
