"""Boundary validation: bad input names the field and nothing is half-built."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from agentaudit.models import MAX_DEPTH, Event, EventIn, Policy, RiskLevel


def _loc(exc: ValidationError) -> list[tuple]:
    return [e["loc"] for e in exc.errors()]


def test_minimal_event_defaults() -> None:
    e = EventIn(agent_id="a", action="b")
    assert e.data == {} and e.context == {} and e.reasoning is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "x"}, "agent_id"),
        ({"agent_id": "", "action": "x"}, "agent_id"),
        ({"agent_id": "a" * 257, "action": "x"}, "agent_id"),
        ({"agent_id": "a", "action": "x" * 257}, "action"),
        ({"agent_id": "a", "action": "x", "data": [1, 2]}, "data"),
        ({"agent_id": "a", "action": "x", "data": "text"}, "data"),
        ({"agent_id": "a", "action": "x", "context": 5}, "context"),
        ({"agent_id": "a", "action": "x", "reasoning": 5}, "reasoning"),
        ({"agent_id": "a", "action": "x", "unknown": 1}, "unknown"),
    ],
)
def test_bad_input_names_the_field(body: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        EventIn.model_validate(body)
    assert any(loc and loc[0] == field for loc in _loc(info.value))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_json_numbers_are_rejected(value: float) -> None:
    with pytest.raises(ValidationError, match="not a JSON number"):
        EventIn(agent_id="a", action="b", data={"x": {"y": [1, value]}})


def test_non_json_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        EventIn(agent_id="a", action="b", data={"x": object()})
    with pytest.raises(ValidationError):
        EventIn(agent_id="a", action="b", data={"x": b"bytes"})


def test_absurd_nesting_is_rejected() -> None:
    deep: dict = {}
    node = deep
    for _ in range(MAX_DEPTH + 5):
        node["n"] = {}
        node = node["n"]
    with pytest.raises(ValidationError, match="nesting deeper"):
        EventIn(agent_id="a", action="b", data=deep)


@pytest.mark.parametrize("leaf", ["text", 7, True, None, 1.5, [], {}])
def test_nesting_limit_is_exact_for_every_kind_of_leaf(leaf: object) -> None:
    """A value at depth MAX_DEPTH is kept, one level deeper is refused with its path: plain
    leaves (which the walk skips without a call) are held to the same limit as containers."""

    def nested(depth: int) -> dict:
        node: object = leaf
        for _ in range(depth):
            node = {"n": node}
        return node  # type: ignore[return-value]

    EventIn(agent_id="a", action="b", data=nested(MAX_DEPTH))
    with pytest.raises(ValidationError) as info:
        EventIn(agent_id="a", action="b", data=nested(MAX_DEPTH + 1))
    path = ".".join(["n"] * (MAX_DEPTH + 1))
    assert f"nesting deeper than {MAX_DEPTH} levels at {path}" in str(info.value)


def test_non_json_number_is_named_by_its_path() -> None:
    with pytest.raises(ValidationError) as info:
        EventIn(agent_id="a", action="b", data={"ok": [1, "x"], "x": [{"y": 2}, {"z": math.inf}]})
    assert "inf at x[1].z is not a JSON number" in str(info.value)


def test_event_serialises_created_at_with_z() -> None:
    from datetime import UTC, datetime

    e = Event(
        id="01J0000000000000000000000",
        agent_id="a",
        action="b",
        risk_level="low",
        pii_detected=False,
        created_at=datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC),
        stored=True,
        decision="allow",
    )
    assert e.model_dump(mode="json")["created_at"] == "2024-05-01T12:00:00.123Z"


def test_utc_z_text_follows_each_instant_not_the_last_one() -> None:
    """_utc_z remembers the last instant it wrote (by identity): equal-looking instants in other
    zones, naive ones and a revisited one must each still get their own text."""
    from datetime import UTC, datetime, timedelta, timezone

    from agentaudit.models import _utc_z
    from agentaudit.pipeline import instant_of_ms

    aware = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    plus2 = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    naive = datetime(2024, 5, 1, 12, 0, 0, 123456)
    for value, text in [
        (aware, "2024-05-01T12:00:00.123Z"),
        (plus2, "2024-05-01T10:00:00.123Z"),
        (plus2, "2024-05-01T10:00:00.123Z"),
        (naive, "2024-05-01T12:00:00.123Z"),
        (aware, "2024-05-01T12:00:00.123Z"),
    ]:
        assert _utc_z(value) == text
    # calls within one millisecond share one instant; the next millisecond is a new one
    first = instant_of_ms(1_714_564_800_123)
    assert instant_of_ms(1_714_564_800_123) is first
    later = instant_of_ms(1_714_564_800_124)
    assert _utc_z(first) == "2024-05-01T12:00:00.123Z"
    assert _utc_z(later) == "2024-05-01T12:00:00.124Z"
    assert _utc_z(first) == "2024-05-01T12:00:00.123Z"


def test_risk_levels_order() -> None:
    assert RiskLevel.CRITICAL > RiskLevel.HIGH > RiskLevel.MEDIUM > RiskLevel.LOW
    assert RiskLevel("high") >= RiskLevel.HIGH
    assert not RiskLevel.LOW >= RiskLevel.MEDIUM
    levels = list(RiskLevel)
    for a in levels:
        for b in levels:
            ia, ib = levels.index(a), levels.index(b)
            assert (a >= b, a > b, a <= b, a < b) == (ia >= ib, ia > ib, ia <= ib, ia < ib)


def test_policy_defaults_follow_design() -> None:
    p = Policy()
    assert p.block_on == RiskLevel.CRITICAL
    assert p.frameworks.enabled() == ("gdpr", "ai_act")
    assert p.store_min_risk == RiskLevel.LOW and p.redact_pii is False


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"block_on": "extreme"}, "block_on"),
        ({"block_pii_types": ["shoe_size"]}, "shoe_size"),
        ({"retention_days": 30}, "183"),
        ({"frameworks": {"hipaa": True}}, "hipaa"),
        ({"money_critical_threshold": -1}, "money_critical_threshold"),
    ],
)
def test_policy_validation(body: dict, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        Policy.model_validate(body)


def test_short_retention_allowed_without_ai_act() -> None:
    p = Policy.model_validate({"retention_days": 30, "frameworks": {"ai_act": False}})
    assert p.retention_days == 30


def test_ids_are_ulids_in_time_order() -> None:
    from ulid import ULID

    from agentaudit.ids import new_id

    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == 2000 and all(len(i) == 26 for i in ids)
    parsed = [ULID.from_str(i) for i in ids]
    assert [p.timestamp for p in parsed] == sorted(p.timestamp for p in parsed)


def test_an_events_id_carries_its_created_at() -> None:
    from ulid import ULID

    from agentaudit.pipeline import evaluate

    for _ in range(200):
        event, _ = evaluate(EventIn(agent_id="a", action="web_search"), Policy())
        assert ULID.from_str(event.id).milliseconds == round(event.created_at.timestamp() * 1000)
        assert event.created_at.microsecond % 1000 == 0 and event.created_at.tzinfo is not None
