"""The AI Act register's boundary types: an AI system as a deployer records it, and the answers
about it (suggestion, status).

Field names and defaults follow the upstream product's API (AgenticAudit, SDK 0.3.0), so its
clients work unchanged; what we add is additive (`owner`, `last_reviewed_at`,
`contract_last_reviewed`, `administration_of_justice`, further status checks).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, field_validator

from agentaudit.models import UTCDateTime

MAX_PATTERNS = 50
MAX_PATTERN_LENGTH = 256


class RiskClass(StrEnum):
    """The AI Act's tiers: Art. 5 (prohibited), Art. 6 + Annex III (high), Art. 50 (limited)."""

    PROHIBITED = "prohibited"
    HIGH = "high"
    LIMITED = "limited"
    MINIMAL = "minimal"
    UNCLASSIFIED = "unclassified"


class AnnexIII(StrEnum):
    """The eight areas of Annex III. Point 8 has two parts, (a) the administration of justice
    and (b) democratic processes; upstream names point 8 `democratic_processes` only, so both
    keys exist and both mean point 8."""

    BIOMETRIC = "biometric"
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    ESSENTIAL_SERVICES = "essential_services"
    LAW_ENFORCEMENT = "law_enforcement"
    MIGRATION = "migration"
    ADMINISTRATION_OF_JUSTICE = "administration_of_justice"
    DEMOCRATIC_PROCESSES = "democratic_processes"


ANNEX_III_POINTS: dict[AnnexIII, str] = {
    AnnexIII.BIOMETRIC: "1",
    AnnexIII.CRITICAL_INFRASTRUCTURE: "2",
    AnnexIII.EDUCATION: "3",
    AnnexIII.EMPLOYMENT: "4",
    AnnexIII.ESSENTIAL_SERVICES: "5",
    AnnexIII.LAW_ENFORCEMENT: "6",
    AnnexIII.MIGRATION: "7",
    AnnexIII.ADMINISTRATION_OF_JUSTICE: "8(a)",
    AnnexIII.DEMOCRATIC_PROCESSES: "8(b)",
}
ANNEX_III_TITLES: dict[AnnexIII, str] = {
    AnnexIII.BIOMETRIC: "Biometrics",
    AnnexIII.CRITICAL_INFRASTRUCTURE: "Critical infrastructure",
    AnnexIII.EDUCATION: "Education and vocational training",
    AnnexIII.EMPLOYMENT: "Employment, workers' management and access to self-employment",
    AnnexIII.ESSENTIAL_SERVICES: "Access to essential private and public services and benefits",
    AnnexIII.LAW_ENFORCEMENT: "Law enforcement",
    AnnexIII.MIGRATION: "Migration, asylum and border control management",
    AnnexIII.ADMINISTRATION_OF_JUSTICE: "Administration of justice",
    AnnexIII.DEMOCRATIC_PROCESSES: "Democratic processes",
}


class Role(StrEnum):
    DEPLOYER = "deployer"
    PROVIDER = "provider"
    BOTH = "both"


class FriaStatus(StrEnum):
    """Art. 27: the fundamental-rights impact assessment of a high-risk system's deployment."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DUE_FOR_REVIEW = "due_for_review"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    return value


def _pattern(value: str) -> str:
    _no_nul(value)
    if value.strip() != value:
        raise ValueError(f"pattern {value!r} has leading or trailing spaces")
    if value.replace("*", "") == "" and value != "*":
        raise ValueError(f"pattern {value!r}: use a single * to match every agent")
    return value


def _utc(value: datetime | None) -> datetime | None:
    """Naive means UTC; kept at millisecond precision, as events are."""
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length), AfterValidator(_no_nul)
    ]


Pattern = Annotated[
    str, Field(min_length=1, max_length=MAX_PATTERN_LENGTH), AfterValidator(_pattern)
]
When = Annotated[UTCDateTime | None, AfterValidator(_utc)]


class SystemFields(BaseModel):
    """Every field a deployer edits. Defaults as upstream's."""

    name: _text(256, 1)  # type: ignore[valid-type]
    vendor: _text(256) = ""  # type: ignore[valid-type]
    description: _text(2000) = ""  # type: ignore[valid-type]
    use_case: _text(1000) = ""  # type: ignore[valid-type]
    owner: _text(256) = ""  # type: ignore[valid-type]  # who answers for it
    agent_id_patterns: list[Pattern] = Field(
        default_factory=list,
        max_length=MAX_PATTERNS,
        description="agent ids whose events belong to this system; `*` matches any run of "
        'characters (e.g. ["hr-bot", "hr-bot-*"]); matching is retroactive',
    )
    risk_classification: RiskClass = RiskClass.UNCLASSIFIED
    classification_rationale: _text(4000) = ""  # type: ignore[valid-type]
    annex_iii_category: AnnexIII | None = None
    role: Role = Role.DEPLOYER
    contract_has_ai_annex: bool = False
    provider_obligations_documented: bool = False
    contract_notes: _text(4000) = ""  # type: ignore[valid-type]
    contract_last_reviewed: When = None
    fria_status: FriaStatus = FriaStatus.NOT_STARTED
    fria_completed_at: When = None
    fria_next_review: When = None
    last_reviewed_at: When = None
    next_review_date: When = None

    @field_validator("agent_id_patterns")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))  # keep the order given, drop repeats


EDITABLE = tuple(SystemFields.model_fields)


class AISystemIn(SystemFields):
    """The body of POST /v1/systems; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class AISystemPatch(BaseModel):
    """The body of PUT /v1/systems/{id}: only the fields sent change (null clears a date or the
    Annex III area). The merged system is validated as a whole."""

    model_config = ConfigDict(extra="forbid")

    name: Any = None
    vendor: Any = None
    description: Any = None
    use_case: Any = None
    owner: Any = None
    agent_id_patterns: Any = None
    risk_classification: Any = None
    classification_rationale: Any = None
    annex_iii_category: Any = None
    role: Any = None
    contract_has_ai_annex: Any = None
    provider_obligations_documented: Any = None
    contract_notes: Any = None
    contract_last_reviewed: Any = None
    fria_status: Any = None
    fria_completed_at: Any = None
    fria_next_review: Any = None
    last_reviewed_at: Any = None
    next_review_date: Any = None
    is_active: StrictBool | None = None


class AISystem(SystemFields):
    """A registered AI system, as every answer shows it."""

    id: str
    is_active: bool = True
    created_at: UTCDateTime
    updated_at: UTCDateTime

    @property
    def annex_point(self) -> str | None:
        return ANNEX_III_POINTS[self.annex_iii_category] if self.annex_iii_category else None


class SystemList(BaseModel):
    systems: list[AISystem]
    total: int


class SystemStats(BaseModel):
    """What the trail holds of one system (its agents' events)."""

    total_events: int
    pii_events: int
    blocked_events: int = 0
    by_risk_level: dict[str, int]
    by_action: dict[str, int]
    by_decision: dict[str, int] = Field(default_factory=dict)
    by_agent: dict[str, int] = Field(default_factory=dict)
    first_event_at: UTCDateTime | None = None
    last_event_at: UTCDateTime | None = None
