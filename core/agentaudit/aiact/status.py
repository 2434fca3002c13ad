"""The AI Act compliance status of an organisation: checks per system and overall, a score,
deadlines and what to do next. Pure: the facts (systems, what the trail shows of each, the
policy, the chain) are gathered by the service and passed in.

Upstream's five keys (`all_classified`, `no_prohibited`, `fria_complete`, `contracts_reviewed`,
`retention_compliant`) keep their meaning; the trail lets us add checks that a register alone
cannot make: that logging actually happens (Art. 12), that oversight is configured (Art. 14),
that reviews are not overdue and that the chain verifies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from agentaudit.aiact.models import AISystem, FriaStatus, RiskClass
from agentaudit.models import AI_ACT_MIN_RETENTION_DAYS, Policy, RiskLevel, UTCDateTime

CONTRACT_REVIEW_DAYS = 365
DEFAULT_LOGGING_DAYS = 30

# check key -> (article, what it means); docs/ai-act.md explains each at length
CHECKS: dict[str, tuple[str, str]] = {
    "all_classified": ("Art. 6, Art. 26", "every active system has a risk classification"),
    "no_prohibited": ("Art. 5", "no active system is classified prohibited"),
    "fria_complete": (
        "Art. 27",
        "every high-risk system has a completed fundamental-rights impact assessment, not past"
        " its review date",
    ),
    "contracts_reviewed": (
        "Art. 25, Art. 26(1)",
        "every active system's contract has an AI annex and the provider's obligations are"
        " documented",
    ),
    "retention_compliant": (
        "Art. 19(1), Art. 26(6)",
        f"logs are kept at least six months ({AI_ACT_MIN_RETENTION_DAYS} days) or without limit",
    ),
    "logging_active": (
        "Art. 12, Art. 26(6)",
        "every high-risk system's agents recorded events in the trail in the last N days",
    ),
    "human_oversight": (
        "Art. 14, Art. 26(2)",
        "for every high-risk system the policy can stop a call (blocks by risk, action or data)",
    ),
    "reviews_current": ("Art. 26, Art. 27(2)", "no review or FRIA review date is past"),
    "chain_verified": (
        "Art. 12(1), Art. 19",
        "the audit trail's hash chain verifies (run on request: ?verify=true, and in reports)",
    ),
}


@dataclass(frozen=True)
class SystemFacts:
    """What the trail shows of one system."""

    agents: Sequence[str]
    events_recent: int  # in the last `logging_days` days
    blocked_recent: int
    last_event_at: datetime | None


@dataclass(frozen=True)
class ChainFacts:
    ok: bool
    checked: int
    message: str


@dataclass
class Inputs:
    systems: Sequence[AISystem]
    facts: Mapping[str, SystemFacts]
    policy: Policy
    now: datetime
    logging_days: int = DEFAULT_LOGGING_DAYS
    chain: ChainFacts | None = None
    inactive: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Deadline(BaseModel):
    system: str | None
    system_id: str | None
    type: str
    date: UTCDateTime
    days_left: int
    overdue: bool


class NextStep(BaseModel):
    priority: int = Field(description="1 most urgent")
    check: str
    article: str
    system: str | None = None
    system_id: str | None = None
    action: str


class SystemStatus(BaseModel):
    id: str
    name: str
    risk_classification: RiskClass
    annex_iii_category: str | None
    fria_status: str
    agents: list[str]
    events_recent: int
    blocked_recent: int
    last_event_at: UTCDateTime | None
    checks: dict[str, bool | None]
    issues: list[str]


class ComplianceStatus(BaseModel):
    """GET /v1/compliance/ai-act/status."""

    score: int
    checks: dict[str, bool | None]
    summary: dict[str, Any]
    compliance_preset: str
    deadlines: list[Deadline]
    generated_at: UTCDateTime
    logging_days: int
    check_articles: dict[str, str]
    check_descriptions: dict[str, str]
    systems: list[SystemStatus]
    next_steps: list[NextStep]
    milestones: list[dict[str, str]]


# When the AI Act's parts apply (Art. 113), for the report's time line.
MILESTONES = [
    {
        "date": "2025-02-02",
        "what": "Chapters I-II apply: prohibited practices (Art. 5), AI literacy (Art. 4)",
    },
    {"date": "2025-08-02", "what": "General-purpose AI models, governance and penalties apply"},
    {
        "date": "2026-08-02",
        "what": "Most of the Act applies, including high-risk systems of Annex III",
    },
    {
        "date": "2027-08-02",
        "what": "High-risk systems that are safety components of Annex I products",
    },
]


def oversight_rules(policy: Policy) -> list[str]:
    """The parts of a policy that stop or hold a call (Art. 14: a human can intervene)."""
    rules = []
    if policy.block_on is not None:
        rules.append(f"block_on {policy.block_on.value}")
    if policy.blocked_actions:
        rules.append(f"blocked_actions ({len(policy.blocked_actions)})")
    if policy.block_pii_types:
        rules.append(f"block_pii_types ({len(policy.block_pii_types)})")
    review = getattr(policy, "review_on", None)  # human approval, when the policy has it
    if review is not None:
        rules.append(f"review_on {getattr(review, 'value', review)}")
    return rules


def _day(value: datetime) -> date:
    return value.date()


def evaluate(inp: Inputs) -> ComplianceStatus:
    now = inp.now
    active = [s for s in inp.systems if s.is_active]
    high = [s for s in active if s.risk_classification == RiskClass.HIGH]
    oversight = oversight_rules(inp.policy)
    retention = inp.policy.retention_days
    retention_ok = retention is None or retention >= AI_ACT_MIN_RETENTION_DAYS
    steps: list[NextStep] = []
    deadlines: list[Deadline] = []
    per_system: list[SystemStatus] = []

    def step(priority: int, check: str, action: str, system: AISystem | None = None) -> None:
        steps.append(
            NextStep(
                priority=priority,
                check=check,
                article=CHECKS[check][0],
                system=system.name if system else None,
                system_id=system.id if system else None,
                action=action,
            )
        )

    def deadline(system: AISystem | None, kind: str, when: datetime) -> None:
        days = (_day(when) - _day(now)).days
        deadlines.append(
            Deadline(
                system=system.name if system else None,
                system_id=system.id if system else None,
                type=kind,
                date=when,
                days_left=days,
                overdue=days < 0,
            )
        )

    for s in active:
        facts = inp.facts.get(s.id) or SystemFacts((), 0, 0, None)
        is_high = s.risk_classification == RiskClass.HIGH
        issues: list[str] = []
        system_checks: dict[str, bool | None] = {}
        system_checks["classified"] = s.risk_classification != RiskClass.UNCLASSIFIED
        if not system_checks["classified"]:
            issues.append("not classified")
            step(2, "all_classified", "classify it (see its classification suggestion)", s)
        system_checks["not_prohibited"] = s.risk_classification != RiskClass.PROHIBITED
        if not system_checks["not_prohibited"]:
            issues.append("classified prohibited while active")
            step(1, "no_prohibited", "stop using it and deactivate it (Art. 5 applies)", s)
        overdue_fria = s.fria_next_review is not None and s.fria_next_review < now
        if is_high:
            done = s.fria_status == FriaStatus.COMPLETED and not overdue_fria
            system_checks["fria_complete"] = done
            if not done:
                why = "its review date is past" if overdue_fria else f"FRIA {s.fria_status.value}"
                issues.append(f"FRIA not complete ({why})")
                step(2, "fria_complete", f"complete the FRIA before use ({why})", s)
        else:
            system_checks["fria_complete"] = None
        contract = s.contract_has_ai_annex and s.provider_obligations_documented
        system_checks["contract_reviewed"] = contract
        if not contract:
            missing = [
                what
                for what, ok in (
                    ("an AI annex in the contract", s.contract_has_ai_annex),
                    ("the provider's obligations documented", s.provider_obligations_documented),
                )
                if not ok
            ]
            issues.append("contract lacks " + " and ".join(missing))
            step(3, "contracts_reviewed", "get " + " and ".join(missing), s)
        logging = facts.events_recent > 0
        system_checks["logging_active"] = (
            logging if is_high else (logging if facts.agents else None)
        )
        if is_high and not logging:
            if not s.agent_id_patterns:
                what = "link its agents (agent_id_patterns) so the trail records it"
            elif not facts.agents:
                what = "no event of any agent matches its agent_id_patterns: check them"
            else:
                what = f"no events in the last {inp.logging_days} days: is logging switched on?"
            issues.append(f"no logging in the last {inp.logging_days} days")
            step(2, "logging_active", what, s)
        system_checks["human_oversight"] = bool(oversight) if is_high else None
        if is_high and not oversight:
            issues.append("no policy rule can stop its calls")
            step(
                2,
                "human_oversight",
                "set block_on (e.g. high), blocked_actions or block_pii_types in the policy",
                s,
            )
        overdue_review = s.next_review_date is not None and s.next_review_date < now
        system_checks["reviews_current"] = not (overdue_review or overdue_fria)
        if overdue_review:
            issues.append("review overdue")
            step(3, "reviews_current", "review the system (its review date is past)", s)
        if s.fria_next_review is not None:
            deadline(s, "fria_review", s.fria_next_review)
        if s.next_review_date is not None:
            deadline(s, "review", s.next_review_date)
        if s.contract_last_reviewed is not None:
            deadline(
                s,
                "contract_review",
                s.contract_last_reviewed + timedelta(days=CONTRACT_REVIEW_DAYS),
            )
        per_system.append(
            SystemStatus(
                id=s.id,
                name=s.name,
                risk_classification=s.risk_classification,
                annex_iii_category=s.annex_iii_category.value if s.annex_iii_category else None,
                fria_status=s.fria_status.value,
                agents=list(facts.agents),
                events_recent=facts.events_recent,
                blocked_recent=facts.blocked_recent,
                last_event_at=facts.last_event_at,
                checks=system_checks,
                issues=issues,
            )
        )

    def every(key: str) -> bool:
        return all(p.checks.get(key) is not False for p in per_system)

    checks: dict[str, bool | None] = {
        "all_classified": every("classified"),
        "no_prohibited": every("not_prohibited"),
        "fria_complete": every("fria_complete"),
        "contracts_reviewed": every("contract_reviewed"),
        "retention_compliant": retention_ok,
        "logging_active": all(
            p.checks["logging_active"] for p in per_system if p.id in {h.id for h in high}
        ),
        "human_oversight": bool(oversight) if high else True,
        "reviews_current": every("reviews_current"),
        "chain_verified": None if inp.chain is None else inp.chain.ok,
    }
    if not retention_ok:
        step(
            1,
            "retention_compliant",
            f"raise retention_days to at least {AI_ACT_MIN_RETENTION_DAYS} (now {retention})",
        )
    if inp.chain is not None and not inp.chain.ok:
        step(1, "chain_verified", f"investigate the audit trail: {inp.chain.message}")
    if not active:
        step(2, "all_classified", "register the AI systems you deploy (POST /v1/systems)")
    counted = [v for v in checks.values() if v is not None]
    score = round(100 * sum(counted) / len(counted)) if counted else 0
    deadlines.sort(key=lambda d: (d.date, d.system or ""))
    steps.sort(key=lambda s: (s.priority, s.check, s.system or ""))
    by_class = {c.value: 0 for c in RiskClass}
    for s in active:
        by_class[s.risk_classification.value] += 1
    summary: dict[str, Any] = {
        "total_systems": len(active),
        "classified": len(active) - by_class["unclassified"],
        "high_risk": by_class["high"],
        "fria_completed": sum(1 for s in high if s.fria_status == FriaStatus.COMPLETED),
        "contracts_with_annex": sum(1 for s in active if s.contract_has_ai_annex),
        "prohibited_systems": by_class["prohibited"],
        "retention_days": retention,
        "retention_compliant": retention_ok,
        "by_classification": by_class,
        "inactive_systems": inp.inactive,
        "systems_logging": sum(1 for p in per_system if p.events_recent > 0),
        "oversight_rules": oversight,
        "overdue_deadlines": sum(1 for d in deadlines if d.overdue),
        "chain": None
        if inp.chain is None
        else {"ok": inp.chain.ok, "checked": inp.chain.checked, "message": inp.chain.message},
        **inp.extra,
    }
    return ComplianceStatus(
        score=score,
        checks=checks,
        summary=summary,
        compliance_preset="ai_act" if inp.policy.frameworks.ai_act else "custom",
        deadlines=deadlines,
        generated_at=now,
        logging_days=inp.logging_days,
        check_articles={k: v[0] for k, v in CHECKS.items()},
        check_descriptions={k: v[1] for k, v in CHECKS.items()},
        systems=per_system,
        next_steps=steps,
        milestones=MILESTONES,
    )


RISK_ORDER = [r.value for r in RiskLevel]
