"""An alert's body and its signature.

The body names the event and how it was judged (id, time, agent, action, decision, risk, reason,
rule, articles), never what the call carried: no payload data, context or reasoning, and no rule
evidence, which quotes the payload (a block reason's `: <evidence>` tail is cut off).

Signature (docs/webhooks.md): with `t` the Unix time in seconds sent in X-AgentAudit-Timestamp,
X-AgentAudit-Signature is `sha256=` + hex(HMAC-SHA256(secret, f"{t}." + body)), the secret
taken as its UTF-8 bytes and the body as the exact bytes sent. A receiver recomputes it, compares
in constant time and refuses a timestamp more than 5 minutes away from its clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Collection
from typing import Any

from agentaudit.alerts.models import Trigger, WebhookFormat
from agentaudit.models import Event, _utc_z

SIGNATURE_HEADER = "X-AgentAudit-Signature"
TIMESTAMP_HEADER = "X-AgentAudit-Timestamp"
DELIVERY_HEADER = "X-AgentAudit-Delivery"
TRIGGER_HEADER = "X-AgentAudit-Trigger"
SECRET_PREFIX = "whsec_"
ALERT_TYPE = "agentaudit.alert"
TEST_TYPE = "agentaudit.test"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-AgentAudit-Signature value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: int, body: bytes, signature: str) -> bool:
    """What a receiver does (also used by the tests): constant-time comparison."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def triggers_of(event: Event) -> list[Trigger]:
    """What `event` fires: a block, a review (decision "review", when that decision exists),
    a critical risk, an approval's outcome (an event of kind "approval")."""
    out = []
    decision = str(getattr(event.decision, "value", event.decision))
    if decision == Trigger.BLOCK.value:
        out.append(Trigger.BLOCK)
    elif decision == Trigger.REVIEW.value:
        out.append(Trigger.REVIEW)
    if event.risk_level.value == "critical":
        out.append(Trigger.CRITICAL)
    if str(getattr(event.kind, "value", event.kind)) == Trigger.APPROVAL.value:
        out.append(Trigger.APPROVAL)
    return out


def safe_reason(event: Event) -> str | None:
    """The reason without rule evidence: policy.decide writes `…: <rule>: <evidence>`."""
    reason = event.reason
    if not reason:
        return reason
    for match in event.matches:
        cut = reason.find(f"{match.rule}: ")
        if cut >= 0:
            return reason[: cut + len(match.rule)]
    if event.matches and event.matches[0].evidence and event.matches[0].evidence in reason:
        return reason.replace(event.matches[0].evidence, "…")
    return reason


def event_summary(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "time": _utc_z(event.created_at),
        "agent_id": event.agent_id,
        "action": event.action,
        "decision": str(getattr(event.decision, "value", event.decision)),
        "risk_level": event.risk_level.value,
        "reason": safe_reason(event),
        "rule": event.matches[0].rule if event.matches else None,
        "rules": [m.rule for m in event.matches],
        "articles": event.frameworks,
    }


def alert_document(
    summary: dict[str, Any], triggers: Collection[str], delivery_id: str, *, test: bool = False
) -> dict[str, Any]:
    return {
        "type": TEST_TYPE if test else ALERT_TYPE,
        "delivery_id": delivery_id,
        "triggers": list(triggers),
        "event": summary,
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(document: dict[str, Any]) -> str:
    """One readable line (Slack mrkdwn, escaped as Slack asks)."""
    ev = document["event"]
    head = "AgentAudit test alert" if document["type"] == TEST_TYPE else "AgentAudit alert"
    what = ", ".join(document["triggers"]) or "alert"
    parts = [
        f"*{head}* ({_slack_escape(what)}):",
        f"agent `{_slack_escape(ev['agent_id'])}` called `{_slack_escape(ev['action'])}`",
        f"- decision *{_slack_escape(ev['decision'])}*, risk *{_slack_escape(ev['risk_level'])}*",
    ]
    if ev.get("rule"):
        parts.append(f"- rule `{_slack_escape(ev['rule'])}`")
    if ev.get("reason"):
        parts.append(f"- {_slack_escape(ev['reason'])}")
    parts.append(f"(event {ev['id']} at {ev['time']})")
    return " ".join(parts)


def body_of(document: dict[str, Any], fmt: WebhookFormat) -> bytes:
    value = {"text": slack_text(document)} if fmt == WebhookFormat.SLACK else document
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
