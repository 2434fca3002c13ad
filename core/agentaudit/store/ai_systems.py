"""The AI Act register in the store: AI systems, the trail seen through their agents, and the
policy's history. One mixin for SQLite and PostgreSQL (the same schema and text in every column).

A store that mixes this in provides `_rows(sql, args)`, `_write(sql, args) -> rowcount`,
`_placeholder` ("?" or "%s") and `_dialect` ("sqlite" or "postgresql"). Events are linked to a
system when read: the agents of the organisation come from the daily counts (`event_counts`,
O(days × agents), not O(events)), are matched against the patterns in Python, and the events
are then read by the (org_id, agent_id, seq) index.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from ulid import ULID

from agentaudit.aiact.models import EDITABLE, AISystem, AISystemIn
from agentaudit.models import EventPage, _utc_z
from agentaudit.store._sql import EVENT_COLUMNS, now_ms, parse_z, row_to_event

_DATES = {
    "contract_last_reviewed",
    "fria_completed_at",
    "fria_next_review",
    "last_reviewed_at",
    "next_review_date",
}
SYSTEM_COLUMNS = ("id", *EDITABLE, "is_active", "created_at", "updated_at")


@dataclass(frozen=True)
class PolicyChange:
    """One version of a policy: when it was set, through what, and its whole text (JSON)."""

    id: str
    changed_at: datetime
    source: str
    policy: str


@dataclass(frozen=True)
class AgentDayCount:
    """Events of one agent on one UTC day with one risk level, decision and PII flag."""

    day: str
    risk_level: str
    decision: str
    pii: bool
    agent_id: str
    n: int


@runtime_checkable
class SystemStore(Protocol):
    """What the AI Act service needs of a store (SQLiteStore and PostgresStore have it)."""

    def create_system(self, org_id: str, fields: AISystemIn) -> AISystem: ...
    def get_system(self, org_id: str, system_id: str) -> AISystem | None: ...
    def list_systems(self, org_id: str, include_inactive: bool = False) -> list[AISystem]: ...
    def save_system(self, org_id: str, system: AISystem) -> AISystem: ...
    def known_agents(self, org_id: str) -> set[str]: ...
    def agent_day_counts(
        self,
        org_id: str,
        agents: Collection[str] | None,
        first_day: str | None,
        end_day: str | None,
    ) -> list[AgentDayCount]: ...
    def events_of_agents(
        self,
        org_id: str,
        agents: Collection[str] | None,
        *,
        limit: int = 50,
        offset: int = 0,
        after: datetime | None = None,
        before: datetime | None = None,
        decision: str | None = None,
        risk_levels: Collection[str] = (),
    ) -> EventPage: ...
    def action_counts(
        self,
        org_id: str,
        agents: Collection[str] | None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> dict[str, int]: ...
    def article_counts(
        self,
        org_id: str,
        agents: Collection[str] | None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> dict[str, dict[str, int]]: ...
    def pii_type_counts_of(
        self,
        org_id: str,
        agents: Collection[str] | None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> dict[str, int]: ...
    def last_event_at(self, org_id: str, agents: Collection[str]) -> datetime | None: ...
    def first_event_at(self, org_id: str, agents: Collection[str]) -> datetime | None: ...
    def policy_history(self, org_id: str, before: datetime | None = None) -> list[PolicyChange]: ...


def _ordered(items: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Largest first, ties by name."""
    return dict(sorted(items, key=lambda kv: (-kv[1], kv[0])))


def _to_row(system: AISystem) -> list[Any]:
    row: list[Any] = []
    for column in SYSTEM_COLUMNS:
        value = getattr(system, column)
        if column == "agent_id_patterns":
            value = json.dumps(value, ensure_ascii=False)
        elif column in _DATES or column in ("created_at", "updated_at"):
            value = None if value is None else _utc_z(value)
        elif hasattr(value, "value"):  # an enum
            value = value.value
        row.append(value)
    return row


def _from_row(row: Sequence[Any]) -> AISystem:
    values = dict(zip(SYSTEM_COLUMNS, row, strict=True))
    values["agent_id_patterns"] = json.loads(values["agent_id_patterns"])
    for column in (*_DATES, "created_at", "updated_at"):
        values[column] = parse_z(values[column])
    for column in ("contract_has_ai_annex", "provider_obligations_documented", "is_active"):
        values[column] = bool(values[column])
    return AISystem.model_validate(values)


class AISystemsMixin:
    """The register's queries, shared by the SQL stores."""

    _placeholder: str
    _dialect: str

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def _write(self, sql: str, args: Sequence[Any] = ()) -> int:
        raise NotImplementedError

    # -- systems ---------------------------------------------------------------------------------
    def create_system(self, org_id: str, fields: AISystemIn) -> AISystem:
        now = now_ms()
        system = AISystem(
            **fields.model_dump(), id=str(ULID()), is_active=True, created_at=now, updated_at=now
        )
        p = self._placeholder
        columns = ", ".join(("org_id", *SYSTEM_COLUMNS))
        values = ", ".join([p] * (len(SYSTEM_COLUMNS) + 1))
        self._write(
            f"INSERT INTO ai_systems ({columns}) VALUES ({values})", [org_id, *_to_row(system)]
        )
        return system

    def get_system(self, org_id: str, system_id: str) -> AISystem | None:
        p = self._placeholder
        rows = self._rows(
            f"SELECT {', '.join(SYSTEM_COLUMNS)} FROM ai_systems WHERE org_id = {p} AND id = {p}",
            [org_id, system_id],
        )
        return _from_row(rows[0]) if rows else None

    def list_systems(self, org_id: str, include_inactive: bool = False) -> list[AISystem]:
        p = self._placeholder
        where = f"org_id = {p}" + ("" if include_inactive else f" AND is_active = {p}")
        args: list[Any] = [org_id] if include_inactive else [org_id, True]
        rows = self._rows(
            f"SELECT {', '.join(SYSTEM_COLUMNS)} FROM ai_systems WHERE {where} ORDER BY id", args
        )
        return [_from_row(r) for r in rows]

    def save_system(self, org_id: str, system: AISystem) -> AISystem:
        """Write every field of an existing system (the caller merged and validated them)."""
        p = self._placeholder
        columns = [c for c in SYSTEM_COLUMNS if c not in ("id", "created_at")]
        row = dict(zip(SYSTEM_COLUMNS, _to_row(system), strict=True))
        sets = ", ".join(f"{c} = {p}" for c in columns)
        n = self._write(
            f"UPDATE ai_systems SET {sets} WHERE org_id = {p} AND id = {p}",
            [*(row[c] for c in columns), org_id, system.id],
        )
        if n == 0:
            raise KeyError(f"no AI system {system.id!r} in this organisation")
        return system

    # -- the trail through a system's agents ----------------------------------------------------
    def _in_agents(self, agents: Collection[str]) -> tuple[str, Any]:
        """`agent_id IN (…)` with the whole list as one parameter, whatever its length."""
        p = self._placeholder
        if self._dialect == "sqlite":
            return f"agent_id IN (SELECT value FROM json_each({p}))", json.dumps(sorted(agents))
        return f"agent_id = ANY({p})", sorted(agents)

    def known_agents(self, org_id: str) -> set[str]:
        """Every agent id with an event in the organisation (from the daily counts)."""
        p = self._placeholder
        rows = self._rows(
            f"SELECT DISTINCT value FROM event_counts WHERE org_id = {p} AND dim = {p}",
            [org_id, "agent_rdp"],
        )
        return {str(v).split("|", 3)[3] for (v,) in rows}

    def agent_day_counts(
        self,
        org_id: str,
        agents: Collection[str] | None,
        first_day: str | None,
        end_day: str | None,
    ) -> list[AgentDayCount]:
        """Daily counts of the given agents (None: every agent) in whole UTC days
        [first_day, end_day)."""
        if agents is not None and not agents:
            return []
        p = self._placeholder
        clauses, args = [f"org_id = {p}", f"dim = {p}"], [org_id, "agent_rdp"]
        if first_day is not None:
            clauses.append(f"day >= {p}")
            args.append(first_day)
        if end_day is not None:
            clauses.append(f"day < {p}")
            args.append(end_day)
        wanted = None if agents is None else set(agents)
        out = []
        for day, value, n in self._rows(
            f"SELECT day, value, n FROM event_counts WHERE {' AND '.join(clauses)}", args
        ):
            risk, decision, pii, agent = str(value).split("|", 3)
            if wanted is None or agent in wanted:
                out.append(AgentDayCount(day, risk, decision, pii == "true", agent, int(n)))
        return out

    def _event_where(
        self,
        org_id: str,
        agents: Collection[str] | None,
        after: datetime | None,
        before: datetime | None,
        decision: str | None = None,
        risk_levels: Collection[str] = (),
    ) -> tuple[str, list[Any]]:
        p = self._placeholder
        where, args = [f"org_id = {p}"], [org_id]
        if agents is not None:
            clause, arg = self._in_agents(agents)
            where.append(clause)
            args.append(arg)
        if after is not None:
            where.append(f"created_at >= {p}")
            args.append(_utc_z(after))
        if before is not None:
            where.append(f"created_at < {p}")
            args.append(_utc_z(before))
        if decision is not None:
            where.append(f"decision = {p}")
            args.append(decision)
        if risk_levels:
            where.append(f"risk_level IN ({', '.join([p] * len(risk_levels))})")
            args.extend(sorted(risk_levels))
        return " AND ".join(where), args

    def events_of_agents(
        self,
        org_id: str,
        agents: Collection[str] | None,
        *,
        limit: int = 50,
        offset: int = 0,
        after: datetime | None = None,
        before: datetime | None = None,
        decision: str | None = None,
        risk_levels: Collection[str] = (),
    ) -> EventPage:
        """The agents' events (None: every agent's), newest first."""
        if agents is not None and not agents:
            return EventPage(events=[], total=0, limit=limit, offset=offset)
        p = self._placeholder
        where, args = self._event_where(org_id, agents, after, before, decision, risk_levels)
        rows = self._rows(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE {where} ORDER BY seq DESC"
            f" LIMIT {p} OFFSET {p}",
            [*args, limit, offset],
        )
        total = int(self._rows(f"SELECT count(*) FROM events WHERE {where}", args)[0][0])
        return EventPage(
            events=[row_to_event(r) for r in rows], total=total, limit=limit, offset=offset
        )

    def action_counts(
        self,
        org_id: str,
        agents: Collection[str] | None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> dict[str, int]:
        if agents is not None and not agents:
            return {}
        where, args = self._event_where(org_id, agents, after, before)
        rows = self._rows(
            f"SELECT action, count(*) FROM events WHERE {where} GROUP BY action", args
        )
        return _ordered((str(a), int(n)) for a, n in rows)

    def article_counts(
        self,
        org_id: str,
        agents: Collection[str] | None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> dict[str, dict[str, int]]:
        """{framework: {article: events}} of the agents' events (None: every agent's). The few
        distinct `frameworks` texts are grouped in SQL and added up here."""
        if agents is not None and not agents:
            return {}
        where, args = self._event_where(org_id, agents, after, before)
        out: dict[str, dict[str, int]] = {}
        for text, n in self._rows(
            f"SELECT frameworks, count(*) FROM events WHERE {where} GROUP BY frameworks", args
        ):
            for framework, articles in json.loads(text).items():
                bucket = out.setdefault(framework, {})
                for article in articles:
                    bucket[article] = bucket.get(article, 0) + int(n)
        return {f: _ordered(a.items()) for f, a in sorted(out.items())}

    def pii_type_counts_of(
        self,
        org_id: str,
        agents: Collection[str] | None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> dict[str, int]:
        """How many of the agents' events carried each PII type."""
        if agents is not None and not agents:
            return {}
        where, args = self._event_where(org_id, agents, after, before)
        p = self._placeholder
        out: dict[str, int] = {}
        for text, n in self._rows(
            f"SELECT pii_fields, count(*) FROM events WHERE {where} AND pii_detected = {p}"
            " GROUP BY pii_fields",
            [*args, True],
        ):
            for pii_type in json.loads(text):
                out[pii_type] = out.get(pii_type, 0) + int(n)
        return _ordered(out.items())

    def _edge_event_at(self, org_id: str, agents: Collection[str], order: str) -> datetime | None:
        """The first or last event of the agents: one index probe per agent."""
        p = self._placeholder
        found: list[str] = []
        for agent in agents:
            rows = self._rows(
                f"SELECT created_at FROM events WHERE org_id = {p} AND agent_id = {p}"
                f" ORDER BY seq {order} LIMIT 1",
                [org_id, agent],
            )
            if rows:
                found.append(rows[0][0])
        if not found:
            return None
        return parse_z(max(found) if order == "DESC" else min(found))

    def last_event_at(self, org_id: str, agents: Collection[str]) -> datetime | None:
        return self._edge_event_at(org_id, agents, "DESC")

    def first_event_at(self, org_id: str, agents: Collection[str]) -> datetime | None:
        return self._edge_event_at(org_id, agents, "ASC")

    # -- policy history ----------------------------------------------------------------------------
    def policy_history(self, org_id: str, before: datetime | None = None) -> list[PolicyChange]:
        """Every recorded version of the policy (set before `before`), oldest first."""
        p = self._placeholder
        where, args = f"org_id = {p}", [org_id]
        if before is not None:
            where += f" AND changed_at < {p}"
            args.append(_utc_z(before))
        rows = self._rows(
            f"SELECT id, changed_at, source, policy FROM policy_changes WHERE {where}"
            " ORDER BY changed_at, id",
            args,
        )
        return [PolicyChange(r[0], parse_z(r[1]), r[2], r[3]) for r in rows]  # type: ignore[arg-type]
