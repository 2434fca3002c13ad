"""What the AI Act report and the FRIA say, gathered from the register *and* the trail.

Upstream builds its report from the register alone; ours adds what the agents actually did in
the period — per system and overall — blocked and critical calls, the articles touched, the
policy in force and its changes, retention and the chain's verification. Both renderers (HTML,
PDF) draw from these records, so the two files say the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from agentaudit.aiact.models import ANNEX_III_POINTS, ANNEX_III_TITLES, AISystem, SystemStats
from agentaudit.aiact.service import AiActService
from agentaudit.aiact.status import ComplianceStatus, SystemStatus, oversight_rules
from agentaudit.models import SPECIAL_CATEGORY_TYPES, Event, Policy, RiskLevel, Stats
from agentaudit.service import AuditService
from agentaudit.store.ai_systems import PolicyChange

DEFAULT_DAYS = 90
NOTABLE_LIMIT = 25
SYSTEM_NOTABLE_LIMIT = 10
RISK_LEVELS = [r.value for r in RiskLevel]


def default_period(now: datetime) -> tuple[datetime, datetime]:
    """The last 90 UTC days up to now."""
    first = (now - timedelta(days=DEFAULT_DAYS - 1)).date()
    return datetime(first.year, first.month, first.day, tzinfo=UTC), now


@dataclass
class Series:
    """Daily counts for the charts: {risk level: [n per day]} and [blocked per day]."""

    days: list[str]
    by_risk: dict[str, list[int]]
    blocked: list[int]


@dataclass
class SystemSection:
    system: AISystem
    status: SystemStatus | None
    agents: list[str]
    stats: SystemStats
    series: Series
    articles: dict[str, dict[str, int]]
    pii_types: dict[str, int]
    blocked: list[Event]
    critical: list[Event]

    @property
    def annex(self) -> str:
        a = self.system.annex_iii_category
        return f"{ANNEX_III_POINTS[a]} {ANNEX_III_TITLES[a]}" if a else "—"


@dataclass
class ReportData:
    org_name: str
    start: datetime
    end: datetime
    generated_at: datetime
    status: ComplianceStatus
    policy: Policy
    oversight: list[str]
    policy_history: list[PolicyChange]
    policy_at_start: PolicyChange | None
    stats: Stats
    series: Series
    systems: list[SystemSection]
    unlinked_agents: list[tuple[str, int]]
    articles: dict[str, dict[str, int]]
    article_titles: dict[str, dict[str, str]]
    blocked: list[Event]
    critical: list[Event]
    checkpoint: dict[str, Any] | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def period_days(self) -> int:
        return (self.end.date() - self.start.date()).days + 1


def bucket_days(first: datetime, end: datetime) -> int:
    """Days per bar: one a day up to four months, a week up to two and a half years, else 30,
    so a chart never has more than about 120 bars."""
    days = (end.date() - first.date()).days + 1
    return 1 if days <= 120 else 7 if days <= 900 else 30


def _series(rows: list, first: datetime, end: datetime) -> Series:
    step = bucket_days(first, end)
    days = []
    d = first.date()
    while d <= end.date():
        days.append(d.isoformat())
        d += timedelta(days=step)
    start = first.date()
    by_risk = {r: [0] * len(days) for r in RISK_LEVELS}
    blocked = [0] * len(days)
    for r in rows:
        i = (date.fromisoformat(r.day) - start).days // step
        if not 0 <= i < len(days):
            continue
        by_risk.setdefault(r.risk_level, [0] * len(days))[i] += r.n
        if r.decision == "block":
            blocked[i] += r.n
    return Series(days, by_risk, blocked)


def _day_bounds(start: datetime, end: datetime) -> tuple[str, str]:
    return start.date().isoformat(), (end.date() + timedelta(days=1)).isoformat()


def article_titles() -> dict[str, dict[str, str]]:
    """The titles of the compliance articles (the dashboard's articles.yaml)."""
    from agentaudit.server.dashboard import articles

    raw = articles._titles()
    return {fw: dict(titles) for fw, (_, titles) in raw.items()}


def _checkpoint(store: Any, org_id: str) -> dict[str, Any] | None:
    """The newest signed checkpoint, where the store keeps them (signed checkpoints are a
    separate feature; without it the report says so)."""
    latest = getattr(store, "latest_checkpoint", None)
    if latest is None:
        return None
    found = latest(org_id)
    if found is None:
        return None
    if hasattr(found, "model_dump"):
        return found.model_dump(mode="json")
    if hasattr(found, "__dataclass_fields__"):
        from dataclasses import asdict

        return json.loads(json.dumps(asdict(found), default=str))
    return dict(found)


def gather(
    audit: AuditService,
    org_id: str,
    start: datetime,
    end: datetime,
    *,
    org_name: str | None = None,
    now: datetime | None = None,
) -> ReportData:
    """Everything the AI Act report shows for [start, end)."""
    now = now or datetime.now(UTC)
    service = AiActService(audit.store)
    store = service.store
    status = service.status(org_id, verify=True, now=now)
    by_id = {s.id: s for s in status.systems}
    first_day, end_day = _day_bounds(start, end)
    all_rows = store.agent_day_counts(org_id, None, first_day, end_day)
    active_agents: dict[str, int] = {}
    for r in all_rows:
        active_agents[r.agent_id] = active_agents.get(r.agent_id, 0) + r.n
    everything = service.list_systems(org_id, include_inactive=True)
    known = store.known_agents(org_id)
    sections = []
    linked: set[str] = set()
    for system in everything:
        agents = service.agents(org_id, system) if known else []
        linked.update(agents)
        in_period = sum(active_agents.get(a, 0) for a in agents)
        if not system.is_active and not in_period:
            continue  # a deactivated system appears only while its agents were active
        rows = [r for r in all_rows if r.agent_id in set(agents)]
        sections.append(
            SystemSection(
                system=system,
                status=by_id.get(system.id),
                agents=agents,
                stats=service.stats(org_id, system, start, end),
                series=_series(rows, start, end),
                articles=store.article_counts(org_id, agents, start, end),
                pii_types=store.pii_type_counts_of(org_id, agents, start, end),
                blocked=store.events_of_agents(
                    org_id,
                    agents,
                    limit=SYSTEM_NOTABLE_LIMIT,
                    after=start,
                    before=end,
                    decision="block",
                ).events,
                critical=store.events_of_agents(
                    org_id,
                    agents,
                    limit=SYSTEM_NOTABLE_LIMIT,
                    after=start,
                    before=end,
                    risk_levels=("critical",),
                ).events,
            )
        )
    history = store.policy_history(org_id, before=end)
    before_start = [c for c in history if c.changed_at < start]
    policy = audit.get_policy(org_id)
    unlinked = sorted(
        ((a, n) for a, n in active_agents.items() if a not in linked),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return ReportData(
        org_name=org_name or _org_name(store, org_id),
        start=start,
        end=end,
        generated_at=now,
        status=status,
        policy=policy,
        oversight=oversight_rules(policy),
        policy_history=[c for c in history if c.changed_at >= start],
        policy_at_start=before_start[-1] if before_start else None,
        stats=audit.stats(org_id, start, end),
        series=_series(all_rows, start, end),
        systems=sections,
        unlinked_agents=unlinked,
        articles=store.article_counts(org_id, None, start, end),
        article_titles=article_titles(),
        blocked=store.events_of_agents(
            org_id, None, limit=NOTABLE_LIMIT, after=start, before=end, decision="block"
        ).events,
        critical=store.events_of_agents(
            org_id, None, limit=NOTABLE_LIMIT, after=start, before=end, risk_levels=("critical",)
        ).events,
        checkpoint=_checkpoint(store, org_id),
    )


def _org_name(store: Any, org_id: str) -> str:
    get_org = getattr(store, "get_org", None)
    org = get_org(org_id) if get_org is not None else None
    return org.name if org is not None else org_id


# -- the FRIA --------------------------------------------------------------------------------------
@dataclass
class FriaData:
    """A fundamental-rights impact assessment (Art. 27) pre-filled from the register and the
    trail; what only the deployer can say is left for them, marked as such."""

    org_name: str
    system: AISystem
    generated_at: datetime
    agents: list[str]
    stats_all: SystemStats
    stats_recent: SystemStats
    recent_days: int
    pii_types: dict[str, int]
    special_categories: dict[str, int]
    automated_decisions: int
    articles: dict[str, dict[str, int]]
    oversight: list[str]
    policy: Policy
    suggestion: Any
    blocked: list[Event]
    critical: list[Event]
    article_titles: dict[str, dict[str, str]]

    @property
    def annex(self) -> str:
        a = self.system.annex_iii_category
        return f"point {ANNEX_III_POINTS[a]}: {ANNEX_III_TITLES[a]}" if a else "none recorded"

    @property
    def usage_per_day(self) -> float:
        return round(self.stats_recent.total_events / self.recent_days, 1)


def gather_fria(
    audit: AuditService, org_id: str, system_id: str, *, now: datetime | None = None
) -> FriaData:
    now = now or datetime.now(UTC)
    service = AiActService(audit.store)
    store = service.store
    system = service.get(org_id, system_id)
    agents = service.agents(org_id, system)
    recent_start = now - timedelta(days=DEFAULT_DAYS)
    pii = store.pii_type_counts_of(org_id, agents)
    arts = store.article_counts(org_id, agents)
    policy = audit.get_policy(org_id)
    return FriaData(
        org_name=_org_name(store, org_id),
        system=system,
        generated_at=now,
        agents=agents,
        stats_all=service.stats(org_id, system),
        stats_recent=service.stats(org_id, system, recent_start, now),
        recent_days=DEFAULT_DAYS,
        pii_types=pii,
        special_categories={k: v for k, v in pii.items() if k in SPECIAL_CATEGORY_TYPES},
        automated_decisions=arts.get("gdpr", {}).get("art_22", 0),
        articles=arts,
        oversight=oversight_rules(policy),
        policy=policy,
        suggestion=service.suggestion(org_id, system_id),
        blocked=store.events_of_agents(org_id, agents, limit=10, decision="block").events,
        critical=store.events_of_agents(org_id, agents, limit=10, risk_levels=("critical",)).events,
        article_titles=article_titles(),
    )
