"""Policy.redact_pii: stored payloads keep the kind of data, never the data."""

from __future__ import annotations

import json

from agentaudit import AgentAudit, Policy
from agentaudit.models import EventIn
from agentaudit.pipeline import evaluate
from agentaudit.redact import redact


def test_redact_masks_every_occurrence_longest_first() -> None:
    data, context, reasoning = redact(
        {"to": "jane@example.com", "body": "write to jane@example.com", "n": [1, {"x": "ok"}]},
        {"user": "jane@example.com"},
        "mail jane@example.com",
        [("email", "jane@example.com"), ("person_name", "Jane")],
    )
    assert data == {
        "to": "[REDACTED:email]",
        "body": "write to [REDACTED:email]",
        "n": [1, {"x": "ok"}],
    }
    assert context == {"user": "[REDACTED:email]"}
    assert reasoning == "mail [REDACTED:email]"


def test_evaluate_redacts_pii_and_secrets_but_keeps_the_classification() -> None:
    call = EventIn(
        agent_id="a",
        action="send_email",
        data={
            "to": "mark.devops.home@gmail.com",
            "body": "prod db password: N0rth-Star!2024 for customer SSN 523-41-8876",
            "customer_name": "Amélie Laurent",
        },
    )
    plain, _ = evaluate(call, Policy())
    for store_secrets, secret_mark in (("clear", "[REDACTED:password]"), ("mask", "[SECRET:")):
        policy = Policy(redact_pii=True, store_secrets=store_secrets)
        masked, _ = evaluate(call, policy)
        assert masked.pii_fields == plain.pii_fields
        assert masked.secret_fields == plain.secret_fields
        assert masked.risk_level == plain.risk_level and masked.decision == plain.decision
        text = json.dumps(masked.data, ensure_ascii=False)
        for value in ("mark.devops.home@gmail.com", "N0rth-Star!2024", "523-41-8876", "Amélie"):
            assert value not in text
        # redact_pii masks secrets too; with store_secrets: mask they carry their fingerprint
        assert "[REDACTED:email]" in text and secret_mark in text


def test_redacted_events_are_stored_masked_and_chain_verifies(audit: AgentAudit) -> None:
    audit.set_policy({"redact_pii": True})
    event = audit.log(
        "a",
        "database_query",
        {"query": "SELECT * FROM customers WHERE email = 'jane@example.com'"},
    )
    stored = audit.get_event(event.id)
    assert "jane@example.com" not in json.dumps(stored.data)
    assert stored.pii_fields == ["email"]
    assert audit.verify().ok
