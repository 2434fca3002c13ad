"""decide(): precedence of the policy's rules, and reasons that name the rule and the evidence."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agentaudit import Policy, decide
from agentaudit.models import Classification, EventIn, RuleMatch
from agentaudit.pipeline import evaluate
from agentaudit.policy import merge_policy


def _c(level: str, *, pii: list[str] | None = None, secrets: list[str] | None = None):
    matches = [RuleMatch(rule="sql.drop_table", level=level, evidence="DROP TABLE customers")]
    return Classification(
        risk_level=level,
        pii_detected=bool(pii),
        pii_fields=pii or [],
        secret_fields=secrets or [],
        matches=matches if level == "critical" else [],
    )


def _e(action: str = "run_sql") -> EventIn:
    return EventIn(agent_id="a", action=action)


def test_default_blocks_critical_only() -> None:
    for level in ("low", "medium", "high"):
        assert decide(_c(level), _e()).decision == "allow"
        assert decide(_c(level), _e()).reason is None
    d = decide(_c("critical"), _e())
    assert d.decision == "block"
    assert d.reason == "risk critical >= block_on critical: sql.drop_table: DROP TABLE customers"
    assert d.rule == "sql.drop_table"
    assert "\n" not in d.reason


def test_block_on_high() -> None:
    p = Policy(block_on="high")
    assert decide(_c("high"), _e(), p).decision == "block"
    assert decide(_c("medium"), _e(), p).decision == "allow"


def test_block_on_none_never_blocks_by_risk() -> None:
    assert decide(_c("critical"), _e(), Policy(block_on=None)).decision == "allow"


def test_blocked_actions_glob_case_insensitive() -> None:
    p = Policy(blocked_actions=["send_*"])
    d = decide(_c("low"), _e("Send_Email"), p)
    assert d.decision == "block"
    assert "blocked_actions" in d.reason and "send_*" in d.reason


def test_allowed_actions_exempt_from_threshold_only() -> None:
    p = Policy(allowed_actions=["run_sql"], block_pii_types=["private_key"])
    assert decide(_c("critical"), _e(), p).decision == "allow"
    d = decide(_c("low", secrets=["private_key"]), _e(), p)
    assert d.decision == "block" and "private_key" in d.reason
    p2 = Policy(allowed_actions=["run_sql"], blocked_actions=["run_*"])
    assert decide(_c("low"), _e(), p2).decision == "block"


def test_block_pii_types_covers_pii_and_secrets() -> None:
    p = Policy(block_pii_types=["ssn", "api_key"])
    assert decide(_c("medium", pii=["ssn"]), _e(), p).decision == "block"
    assert decide(_c("high", secrets=["api_key"]), _e(), p).decision == "block"
    assert decide(_c("medium", pii=["email"]), _e(), p).decision == "allow"


def test_merge_policy_merges_nested_and_validates() -> None:
    p = merge_policy(Policy(), {"frameworks": {"soc2": True}})
    assert p.frameworks.gdpr and p.frameworks.ai_act and p.frameworks.soc2
    with pytest.raises(ValidationError):
        merge_policy(p, {"block_on": "nope"})


def test_block_adds_ai_act_art_14_and_is_always_stored() -> None:
    policy = Policy(blocked_actions=["calculator"], store_min_risk="critical")
    event, keep = evaluate(EventIn(agent_id="a", action="calculator", data={"x": "1+1"}), policy)
    assert event.decision == "block"
    assert "art_14" in event.frameworks["ai_act"]
    assert keep and event.stored


def test_store_min_risk_skips_low_events() -> None:
    policy = Policy(store_min_risk="high")
    event, keep = evaluate(EventIn(agent_id="a", action="web_search", data={"q": "x"}), policy)
    assert not keep and not event.stored
