"""The AI Act register as a service: systems, the trail seen through them, the classification
suggestion and the compliance status, for one organisation at a time.

Used by the server's routes, the dashboard, the embedded client and the CLI alike. Knows nothing
of HTTP; raises `SystemNotFound` and pydantic's ValidationError (a wrong or unknown field),
which each caller maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from agentaudit.aiact import status as status_mod
from agentaudit.aiact.models import EDITABLE, AISystem, AISystemIn, AISystemPatch, SystemStats
from agentaudit.aiact.patterns import matching_agents, systems_of
from agentaudit.aiact.suggest import Suggestion, default_rules, suggest
from agentaudit.models import EventPage, Policy
from agentaudit.store import EventStore
from agentaudit.store._sql import now_ms
from agentaudit.store.ai_systems import SystemStore


class SystemNotFound(LookupError):
    """No such AI system in this organisation."""

    def __init__(self, system_id: str) -> None:
        super().__init__(f"no AI system {system_id!r} in this organisation")
        self.system_id = system_id


def _store(store: EventStore) -> SystemStore:
    if not isinstance(store, SystemStore):
        raise TypeError(f"{type(store).__name__} does not hold the AI Act register")
    return store


class AiActService:
    def __init__(self, store: EventStore) -> None:
        self.events = store
        self.store = _store(store)

    # -- the register ------------------------------------------------------------------------
    def create(self, org_id: str, fields: AISystemIn | Mapping[str, Any]) -> AISystem:
        body = fields if isinstance(fields, AISystemIn) else AISystemIn.model_validate(fields)
        return self.store.create_system(org_id, body)

    def get(self, org_id: str, system_id: str) -> AISystem:
        found = self.store.get_system(org_id, system_id) if "\x00" not in system_id else None
        if found is None:
            raise SystemNotFound(system_id)
        return found

    def list_systems(self, org_id: str, include_inactive: bool = False) -> list[AISystem]:
        return self.store.list_systems(org_id, include_inactive)

    def update(self, org_id: str, system_id: str, patch: Mapping[str, Any]) -> AISystem:
        """Change only the fields given; the result is validated as a whole (nothing is saved
        if any field is wrong)."""
        checked = AISystemPatch.model_validate(patch)  # unknown fields; is_active's type
        current = self.get(org_id, system_id)
        sent = {k: patch[k] for k in checked.model_fields_set if k != "is_active"}
        fields = AISystemIn.model_validate({**current.model_dump(include=set(EDITABLE)), **sent})
        active = current.is_active if checked.is_active is None else checked.is_active
        updated = AISystem(
            **fields.model_dump(),
            id=current.id,
            is_active=active,
            created_at=current.created_at,
            updated_at=now_ms(),
        )
        return self.store.save_system(org_id, updated)

    def deactivate(self, org_id: str, system_id: str) -> AISystem:
        """Soft delete: kept for the trail and past reports, left out of lists and checks."""
        return self.update(org_id, system_id, {"is_active": False})

    # -- the trail through a system -----------------------------------------------------------
    def agents(self, org_id: str, system: AISystem) -> list[str]:
        """The agent ids in the trail that the system's patterns match."""
        if not system.agent_id_patterns:
            return []
        return matching_agents(system.agent_id_patterns, self.store.known_agents(org_id))

    def systems_for_agent(self, org_id: str, agent_id: str) -> list[AISystem]:
        return systems_of(agent_id, self.list_systems(org_id, include_inactive=True))

    def agent_links(self, org_id: str, agent_ids: list[str]) -> dict[str, AISystem]:
        """agent id -> the system it belongs to (most specific match), for lists of events."""
        systems = self.list_systems(org_id, include_inactive=True)
        out = {}
        for agent in set(agent_ids):
            found = systems_of(agent, systems)
            if found:
                out[agent] = found[0]
        return out

    def system_events(
        self,
        org_id: str,
        system_id: str,
        *,
        limit: int = 50,
        offset: int = 0,
        after: datetime | None = None,
        before: datetime | None = None,
        decision: str | None = None,
        risk_levels: tuple[str, ...] = (),
    ) -> EventPage:
        system = self.get(org_id, system_id)
        return self.store.events_of_agents(
            org_id,
            self.agents(org_id, system),
            limit=limit,
            offset=offset,
            after=after,
            before=before,
            decision=decision,
            risk_levels=risk_levels,
        )

    def stats(
        self,
        org_id: str,
        system: AISystem,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> SystemStats:
        """Counts of the system's events, in whole UTC days when a range is given."""
        agents = self.agents(org_id, system)
        first = after.date().isoformat() if after is not None else None
        end = before.date().isoformat() if before is not None else None
        if before is not None and before != datetime(
            before.year, before.month, before.day, tzinfo=UTC
        ):
            end = (before.date() + timedelta(days=1)).isoformat()
        rows = self.store.agent_day_counts(org_id, agents, first, end)
        risk: dict[str, int] = {}
        decision: dict[str, int] = {}
        agent: dict[str, int] = {}
        pii = 0
        for r in rows:
            risk[r.risk_level] = risk.get(r.risk_level, 0) + r.n
            decision[r.decision] = decision.get(r.decision, 0) + r.n
            agent[r.agent_id] = agent.get(r.agent_id, 0) + r.n
            pii += r.n if r.pii else 0

        def ordered(d: dict[str, int]) -> dict[str, int]:
            return dict(sorted(d.items(), key=lambda kv: (-kv[1], kv[0])))

        return SystemStats(
            total_events=sum(decision.values()),
            pii_events=pii,
            blocked_events=decision.get("block", 0),
            by_risk_level=ordered(risk),
            by_action=self.store.action_counts(org_id, agents, after, before),
            by_decision=ordered(decision),
            by_agent=ordered(agent),
            first_event_at=self.store.first_event_at(org_id, agents) if agents else None,
            last_event_at=self.store.last_event_at(org_id, agents) if agents else None,
        )

    # -- suggestion and status ----------------------------------------------------------------
    def suggestion(self, org_id: str, system_id: str) -> Suggestion:
        system = self.get(org_id, system_id)
        agents = self.agents(org_id, system)
        limit = default_rules().max_events
        events: list = []
        offset = 0
        while len(events) < limit:
            page = self.store.events_of_agents(
                org_id, agents, limit=min(200, limit - len(events)), offset=offset
            )
            events.extend(page.events)
            offset += len(page.events)
            if not page.events or offset >= page.total:
                break
        metadata = {
            "name": system.name,
            "vendor": system.vendor,
            "description": system.description,
            "use_case": system.use_case,
            "classification_rationale": system.classification_rationale,
        }
        stats = self.stats(org_id, system) if agents else None
        return suggest(metadata, events, stats=stats.model_dump() if stats else None)

    def status(
        self,
        org_id: str,
        *,
        logging_days: int = status_mod.DEFAULT_LOGGING_DAYS,
        verify: bool = False,
        now: datetime | None = None,
    ) -> status_mod.ComplianceStatus:
        now = now or datetime.now(UTC)
        everything = self.list_systems(org_id, include_inactive=True)
        systems = [s for s in everything if s.is_active]
        known = self.store.known_agents(org_id)
        first = (now - timedelta(days=logging_days - 1)).date().isoformat()
        facts: dict[str, status_mod.SystemFacts] = {}
        for s in systems:
            agents = matching_agents(s.agent_id_patterns, known) if s.agent_id_patterns else []
            rows = self.store.agent_day_counts(org_id, agents, first, None)
            facts[s.id] = status_mod.SystemFacts(
                agents=agents,
                events_recent=sum(r.n for r in rows),
                blocked_recent=sum(r.n for r in rows if r.decision == "block"),
                last_event_at=self.store.last_event_at(org_id, agents) if agents else None,
            )
        chain = None
        if verify:
            result = self.events.verify(org_id)
            chain = status_mod.ChainFacts(result.ok, result.checked, result.describe())
        return status_mod.evaluate(
            status_mod.Inputs(
                systems=systems,
                facts=facts,
                policy=self.policy(org_id),
                now=now,
                logging_days=logging_days,
                chain=chain,
                inactive=len(everything) - len(systems),
            )
        )

    def policy(self, org_id: str) -> Policy:
        return self.events.get_policy(org_id)
