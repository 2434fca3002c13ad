"""Human approval of a call held for review: the request, its digest, and its chained outcome.

A call whose decision is `review` (policy.py: `review_on`, `review_actions`) is stored with that
decision, and in the same transaction an approval request is created for it: bound to the exact
call by a digest of its agent, action and arguments, and open until `expires_at` (the policy's
`approval_ttl_seconds`, 15 minutes by default). A person with a key of the organisation (or a
dashboard user) approves or denies it once; the outcome is its own event in the hash chain
(kind `approval`), naming who decided and their comment. A request not decided in time reads as
`expired`, which means deny: it can no longer be decided.

An approval is valid for one call only: an adapter that resumes a held call checks
`approval_matches` against the arguments it is about to run, so a call whose arguments changed
after the approval was asked for is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from agentaudit.ids import new_id
from agentaudit.models import (
    Decision,
    Event,
    EventKind,
    Policy,
    RiskLevel,
    UTCDateTime,
    _no_nul,
)

AGENT_ID = "agentaudit"  # the agent of the records AgentAudit writes itself (as erasures)
APPROVE_ACTION = "approve_call"
DENY_ACTION = "deny_call"
MAX_COMMENT_LENGTH = 4096
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ApprovalState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"  # not decided in time: the call is denied


class Approval(BaseModel):
    """An approval request as the API answers it."""

    id: str
    event_id: str = Field(description="the held call (decision review)")
    agent_id: str
    action: str
    digest: str = Field(
        description="SHA-256 of the call's agent, action and arguments (approval_digest): "
        "the approval holds for this exact call only"
    )
    state: ApprovalState = Field(description="pending, approved, denied or expired (= deny)")
    decision: Literal["approve", "deny"] | None = None
    approver: str | None = Field(default=None, description="the API key or user who decided")
    comment: str | None = None
    created_at: UTCDateTime
    expires_at: UTCDateTime
    decided_at: UTCDateTime | None = None
    outcome_event_id: str | None = Field(
        default=None, description="the chained event (kind approval) recording the decision"
    )

    @property
    def approved(self) -> bool:
        return self.state == ApprovalState.APPROVED

    @property
    def final(self) -> bool:
        """Decided or expired: it will not change any more."""
        return self.state != ApprovalState.PENDING


class ApprovalDecisionIn(BaseModel):
    """The body of POST /v1/approvals/{approval_id}."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "deny"]
    comment: Annotated[
        str | None, Field(max_length=MAX_COMMENT_LENGTH), AfterValidator(_no_nul)
    ] = None


@dataclass(frozen=True)
class ApprovalDraft:
    """The request to create with a held call, in the transaction that stores it."""

    id: str
    digest: str
    expires_at: datetime


class ApprovalNotFound(KeyError):
    """No such approval request in this organisation."""


class ApprovalClosed(Exception):
    """The request was decided already or has expired; it cannot be decided (again)."""

    def __init__(self, approval: Approval) -> None:
        self.approval = approval
        if approval.state == ApprovalState.EXPIRED:
            text = f"approval {approval.id} expired at {approval.expires_at.isoformat()}: denied"
        else:
            text = f"approval {approval.id} was already decided ({approval.state.value})"
        super().__init__(text)


def approval_digest(agent_id: str, action: str, data: Any) -> str:
    """SHA-256 of canonical JSON of the call's agent, action and arguments (`data`)."""
    # canonical JSON as the chain writes it (store/chain.py), not imported: the store imports us
    body = json.dumps(
        {"action": action, "agent_id": agent_id, "data": data},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def approval_matches(approval: Approval | Any, agent_id: str, action: str, data: Any) -> bool:
    """Whether `approval` was asked for exactly this call: an adapter about to run a call that
    was held must refuse it when its arguments changed since (the digest no longer matches).
    `approval` is an `Approval` or anything with a `digest` (a dict from JSON too)."""
    digest = approval.get("digest") if isinstance(approval, dict) else approval.digest
    return digest == approval_digest(agent_id, action, data)


def draft_for(
    agent_id: str, action: str, data: Any, created_at: datetime, policy: Policy
) -> ApprovalDraft:
    """The request to create for a call held for review at `created_at`."""
    return ApprovalDraft(
        id=new_id(),
        digest=approval_digest(agent_id, action, data),
        expires_at=created_at + timedelta(seconds=policy.approval_ttl_seconds),
    )


def attach_draft(event: Event, draft: ApprovalDraft) -> Event:
    """Set the event's `approval_id` and the private draft the store creates with it."""
    event.__dict__["approval_id"] = draft.id
    private = event.__pydantic_private__ or {}
    object.__setattr__(event, "__pydantic_private__", {**private, "_approval": draft})
    return event


def drafts_done(events: Sequence[Event]) -> None:
    """Forget the drafts of events whose requests were committed: a stored event then equals
    its re-read (models compare private values), and a retry cannot create a request twice."""
    for event in events:
        private = event.__pydantic_private__
        if private and private.get("_approval") is not None:
            private["_approval"] = None


def state_at(stored: str, expires_at: datetime, now: datetime) -> ApprovalState:
    """What a stored state reads as at `now`: pending past its expiry is expired."""
    if stored == ApprovalState.PENDING and now >= expires_at:
        return ApprovalState.EXPIRED
    return ApprovalState(stored)


def outcome_record(
    approval: Approval,
    decision: Literal["approve", "deny"],
    approver: str,
    comment: str | None,
    created_at: datetime,
    policy: Policy | None = None,
) -> Event:
    """The chained event that records a human's decision on a held call (kind approval):
    allow when approved, block when denied, naming the approver and their comment."""
    approve = decision == "approve"
    who = f"{'approved' if approve else 'denied'} by {approver}"
    ai_act = policy is None or policy.frameworks.ai_act
    ms = (created_at - _EPOCH) // timedelta(milliseconds=1)
    return Event(
        id=new_id(ms),
        agent_id=AGENT_ID,
        action=APPROVE_ACTION if approve else DENY_ACTION,
        data={
            "approval_id": approval.id,
            "event_id": approval.event_id,
            "agent_id": approval.agent_id,
            "action": approval.action,
            "digest": approval.digest,
            "decision": decision,
            "comment": comment,
        },
        context={"actor": approver},
        reasoning=None,
        risk_level=RiskLevel.LOW,
        pii_detected=False,
        frameworks={"ai_act": ["art_14"]} if ai_act else {},
        created_at=created_at,
        stored=True,
        decision=Decision.ALLOW if approve else Decision.BLOCK,
        reason=f"{who}: {comment}" if comment else who,
        kind=EventKind.APPROVAL,
    )
