"""The boundary types of AgentAudit (pydantic v2).

Every value that crosses a boundary — a user's call, an HTTP body, a stored row — goes through one
of these models, so bad input fails with a message naming the field before anything is stored.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    PlainSerializer,
    PrivateAttr,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

M = TypeVar("M", bound=BaseModel)

MAX_DEPTH = 32
MAX_ID_LENGTH = 256
MAX_REASONING_LENGTH = 65_536
MAX_RETENTION_DAYS = 36_500  # a hundred years: beyond it date arithmetic overflows soon enough
# Instants a filter may name: events are stamped from the clock (never before 1970), and a day
# more than the last one must still be a date (the stores count whole days).
MIN_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
MAX_INSTANT = datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC)
# Context values the stores index and filter on: strings of bounded length, or absent.
FILTERABLE_CONTEXT = ("session_id",)


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RISK_RANK[self]

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, RiskLevel):
            return _RISK_RANK[self] >= _RISK_RANK[other]
        return NotImplemented

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, RiskLevel):
            return _RISK_RANK[self] > _RISK_RANK[other]
        return NotImplemented

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, RiskLevel):
            return _RISK_RANK[self] <= _RISK_RANK[other]
        return NotImplemented

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, RiskLevel):
            return _RISK_RANK[self] < _RISK_RANK[other]
        return NotImplemented


_RISK_RANK = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.CRITICAL: 3}


class Decision(StrEnum):
    ALLOW = "allow"
    BLOCK = "block"
    REVIEW = "review"  # held for a human's approval (approvals.py); the call waits


class EventKind(StrEnum):
    """What a chained event records: an agent's tool call, or what AgentAudit itself writes:
    the erasure of payloads (who erased which, when), the outcome of an approval (who approved
    or denied which call)."""

    CALL = "call"
    ERASURE = "erasure"
    APPROVAL = "approval"  # a human's decision on a call held for review (approvals.py)
    POLICY_CHANGE = (
        "policy_change"  # a change of the policy: who, when, old and new (docs/policy.md)
    )


PII_TYPES: tuple[str, ...] = (
    "email",
    "phone",
    "credit_card",
    "iban",
    "ssn",
    "ip_address",
    "date_of_birth",
    "passport",
    "national_id",
    "drivers_license",
    "address",
    "person_name",
    "health",
    "biometric",
    "genetic",
    "religion",
    "ethnicity",
    "sexual_orientation",
    "political_opinion",
    "trade_union",
)
SPECIAL_CATEGORY_TYPES: frozenset[str] = frozenset(
    {
        "health",
        "biometric",
        "genetic",
        "religion",
        "ethnicity",
        "sexual_orientation",
        "political_opinion",
        "trade_union",
    }
)
SecretType = Literal["api_key", "access_token", "password", "private_key", "db_connection_string"]
SECRET_TYPES: tuple[str, ...] = get_args(SecretType)
FRAMEWORKS: tuple[str, ...] = ("gdpr", "ai_act", "soc2")


_SETATTR = object.__setattr__


def construct(cls: type[M], values: dict[str, Any], private: dict[str, Any] | None = None) -> M:
    """`model_construct` without its per-call overhead, for hot paths whose values are already
    valid by construction (validated input, classifier output). Every field must be given, and
    every private attribute in `private` when it is given (else they take their defaults)."""
    obj = cls.__new__(cls)
    _SETATTR(obj, "__dict__", values)
    _SETATTR(obj, "__pydantic_fields_set__", set(values))
    _SETATTR(obj, "__pydantic_extra__", None)
    if private is None and cls.__private_attributes__:
        # as model_construct sets them: models compare their private values too
        private = {k: a.get_default() for k, a in cls.__private_attributes__.items()}
    _SETATTR(obj, "__pydantic_private__", private)
    return obj


# The last instant written and its text: the events of a batch share their instant object
# (pipeline.instant_of_ms), and each is written twice (stored row, JSON answer). Holding the
# object keeps its identity from being reused, so `is` is an exact test; one tuple is swapped
# whole, so threads can share it.
_last_z: tuple[datetime | None, str] = (None, "")


def _utc_z(value: datetime) -> str:
    """ISO 8601 in UTC with a trailing Z, millisecond precision (what DESIGN.md promises)."""
    global _last_z
    last = _last_z
    if last[0] is value:
        return last[1]
    utc = value
    if value.tzinfo is not UTC:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    z = utc.isoformat(timespec="milliseconds")[:-6] + "Z"  # drop "+00:00"
    _last_z = (value, z)
    return z


UTCDateTime = Annotated[datetime, PlainSerializer(_utc_z, return_type=str, when_used="json")]


# Values that can neither nest nor be NaN: the tree walk passes them without a call.
_PLAIN_LEAVES = frozenset({str, int, bool, type(None)})


def _check_json_tree(value: Any, path: str, depth: int = 0) -> None:
    """Reject what JSON cannot carry faithfully: NaN/Infinity and absurd nesting."""
    if depth > MAX_DEPTH:
        raise ValueError(f"nesting deeper than {MAX_DEPTH} levels at {path or 'root'}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} at {path or 'root'} is not a JSON number")
    plain = depth < MAX_DEPTH  # a plain child is then within the depth limit too
    if isinstance(value, dict):
        for k, v in value.items():
            if not (plain and type(v) in _PLAIN_LEAVES):
                _check_json_tree(v, f"{path}.{k}" if path else str(k), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if not (plain and type(v) in _PLAIN_LEAVES):
                _check_json_tree(v, f"{path}[{i}]", depth + 1)


def _json_object(value: dict[str, Any]) -> dict[str, Any]:
    _check_json_tree(value, "")
    return value


JsonObject = Annotated[dict[str, JsonValue], AfterValidator(_json_object)]


def _no_nul(value: str | None) -> str | None:
    """NUL cannot be stored in a PostgreSQL text column: refuse it in every store alike."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    return value


IdText = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH), AfterValidator(_no_nul)]


CONTEXT_VALUE_ERROR = "context_value"  # its ctx names the context key (`name`)


def _filterable_context(value: dict[str, Any]) -> dict[str, Any]:
    """The context values the stores index (session_id) are stored as they are filtered: text
    of at most MAX_ID_LENGTH characters, never a repr of something else or a cut-off id."""
    for name in FILTERABLE_CONTEXT:
        item = value.get(name)
        if item is None:
            continue
        problem = None
        if not isinstance(item, str):
            problem = f"must be a string (it is filterable), not {type(item).__name__}"
        elif len(item) > MAX_ID_LENGTH:
            problem = f"is {len(item)} characters long; at most {MAX_ID_LENGTH}"
        elif "\x00" in item:
            problem = "must not contain NUL (\\x00) characters"
        if problem is not None:
            raise PydanticCustomError(
                CONTEXT_VALUE_ERROR, "context.{name} {problem}", {"name": name, "problem": problem}
            )
    return value


class EventIn(BaseModel):
    """One tool call as an agent (or any program) reports it."""

    model_config = ConfigDict(extra="forbid")

    agent_id: IdText
    action: IdText
    data: JsonObject = Field(default_factory=dict)
    context: Annotated[JsonObject, AfterValidator(_filterable_context)] = Field(
        default_factory=dict
    )
    reasoning: Annotated[
        str | None, Field(max_length=MAX_REASONING_LENGTH), AfterValidator(_no_nul)
    ] = None


class RuleMatch(BaseModel):
    """A risk rule that fired, with the text that made it fire (shown in block reasons)."""

    rule: str
    level: RiskLevel
    evidence: str = ""


class Classification(BaseModel):
    risk_level: RiskLevel
    pii_detected: bool
    pii_fields: list[str] = Field(default_factory=list)
    secret_fields: list[str] = Field(default_factory=list)
    frameworks: dict[str, list[str]] = Field(default_factory=dict)
    matches: list[RuleMatch] = Field(
        default_factory=list, description="risk rules that fired, highest level first"
    )
    partial_scan: bool = Field(
        default=False,
        description="some string was longer than the classifier scans; only its head was read",
    )
    effects: list[str] = Field(
        default_factory=list,
        description="what the call does, sorted: destroy, exfiltrate, remote_code, "
        "remote_control, weaken_security, escalate, persist, stop_service, read_secret, "
        "change_prod, move_money, message_many",
    )
    # (type, value as written) of each secret found in `data`, for masking before storage.
    # Private: never serialised, never compared by value in answers.
    _secrets: tuple[tuple[str, str], ...] = PrivateAttr(default=())

    def found_secrets(self) -> tuple[tuple[str, str], ...]:
        """Each secret the classifier found, as (type, value as written), in the order found.
        Kept off the serialised model: it is what must never be stored or answered."""
        private = self.__pydantic_private__
        return private.get("_secrets", ()) if private else ()


class DecisionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    decision: Decision
    reason: str | None = None
    rule: str | None = None
    override: str | None = None  # the policy override whose fields decided, if one matched


class Event(BaseModel):
    """A recorded (or, when the policy stores nothing, merely evaluated) tool call."""

    id: str
    agent_id: str
    action: str
    data: dict[str, JsonValue] = Field(default_factory=dict)
    context: dict[str, JsonValue] = Field(default_factory=dict)
    reasoning: str | None = None
    risk_level: RiskLevel
    pii_detected: bool
    pii_fields: list[str] = Field(default_factory=list)
    secret_fields: list[str] = Field(default_factory=list)
    frameworks: dict[str, list[str]] = Field(default_factory=dict)
    created_at: UTCDateTime
    stored: bool
    decision: Decision
    reason: str | None = None
    matches: list[RuleMatch] = Field(
        default_factory=list,
        description="risk rules that fired when the event was decided, highest level first "
        "(evidence is part of the payload: empty once erased; none for events stored before "
        "rule matches were kept)",
    )
    partial_scan: bool = Field(
        default=False,
        description="some string was longer than the classifier scans; only its head was read",
    )
    kind: EventKind = Field(
        default=EventKind.CALL,
        description="call: an agent's tool call; erasure: AgentAudit's record of an erasure; "
        "approval: a human's decision on a held call; policy_change: a change of the policy",
    )
    policy_override: str | None = Field(
        default=None,
        description="the policy override that decided this call (its name; null: the base "
        "policy); stored as the reason's prefix 'decided by override `name`'",
    )
    masked_fields: list[str] = Field(
        default_factory=list,
        description="where the stored payload holds a masked secret, as JSON paths "
        "(data.aws_secret_access_key, context.headers.authorization, reasoning, "
        'data["odd key"][0]); a path names the string that held the secret, which keeps '
        "its other text: only the secret is replaced by [SECRET:<type>:<fingerprint>]",
    )
    approval_id: str | None = Field(
        default=None,
        description="decision review: the approval request that holds the call "
        "(GET/POST /v1/approvals/{approval_id})",
    )
    policy_version: int | None = Field(
        default=None,
        description="the version of the organisation's policy that decided the call "
        "(GET /v1/policy/history; 0: the policy before its first recorded change), chained in "
        "the event's hash; a policy_change event carries the version it made. Null for events "
        "stored before policy versions were kept",
    )
    # decision review, before it is stored: the request to create with it (approvals.py).
    # Private: never serialised; the store reads it in the transaction that stores the event.
    _approval: Any = PrivateAttr(default=None)

    @property
    def blocked(self) -> bool:
        return self.decision == Decision.BLOCK

    def approval_draft(self) -> Any:
        """The approval request to create with this event (an `approvals.ApprovalDraft`), or
        None: set by the pipeline on a `review` decision, read by the store."""
        private = self.__pydantic_private__
        return private.get("_approval") if private else None


class EventPage(BaseModel):
    events: list[Event]
    total: int
    limit: int
    offset: int


class EventFilter(BaseModel):
    """The list filters of DESIGN.md; every one is indexed in each store."""

    model_config = ConfigDict(extra="forbid")

    agent_id: str | None = None
    action: str | None = None
    risk_level: RiskLevel | None = None
    pii_detected: bool | None = None
    decision: Decision | None = None
    session_id: str | None = None
    secret_type: SecretType | None = Field(
        default=None, description="only events whose secret_fields hold this type"
    )
    after: datetime | None = None
    before: datetime | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0)
    order: Literal["desc", "asc"] = Field(default="desc", description="desc: newest first")

    @field_validator("after", "before")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        return None if value is None else bounded_instant(value)


def bounded_instant(value: datetime) -> datetime:
    """`value` in UTC (naive means UTC), refused outside MIN_INSTANT..MAX_INSTANT."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not MIN_INSTANT <= value <= MAX_INSTANT:  # compared before converting: no overflow
        raise ValueError(
            f"must be between {MIN_INSTANT:%Y-%m-%dT%H:%M:%SZ} and {MAX_INSTANT:%Y-%m-%dT%H:%M:%SZ}"
        )
    return value.astimezone(UTC)


# -- data-subject requests (docs/subjects.md): POST /v1/subjects/search and /erase ---------------

READABLE_DESCRIPTION = (
    "false: the value cannot be read as the type given (an email without @, a phone"
    " without digits, fewer than 3 characters), so no event can carry it; nothing was looked up"
)


class SubjectEvent(BaseModel):
    """An event that carried the requested value (read it with `get_event(id)`)."""

    id: str
    seq: int
    created_at: datetime
    agent_id: str
    action: str
    pii_types: list[str] = Field(description="the types the value was found as in this event")
    erased: bool = Field(description="its payload is erased already")


class SubjectPage(BaseModel):
    """The events that carried a data subject's identifier (GDPR Art. 15), oldest first."""

    events: list[SubjectEvent]
    total: int
    limit: int
    offset: int
    readable: bool = Field(description=READABLE_DESCRIPTION)


class SubjectErasure(BaseModel):
    """What erasing a data subject's identifier did (GDPR Art. 17)."""

    erased: int = Field(description="payloads erased by this request")
    event_ids: list[str] = Field(description="their events, oldest first")
    already_erased: int = Field(description="events that carried the value, erased before")
    erasure_records: list[str] = Field(description="ids of the chained erasure records")
    readable: bool = Field(description=READABLE_DESCRIPTION)


class Stats(BaseModel):
    total_events: int
    by_risk_level: dict[str, int]
    by_action: dict[str, int]
    by_agent: dict[str, int]
    by_decision: dict[str, int]
    pii_events: int


class FrameworkToggles(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    gdpr: bool = True
    ai_act: bool = True
    soc2: bool = False

    def enabled(self) -> tuple[str, ...]:
        return tuple(name for name in FRAMEWORKS if getattr(self, name))


AI_ACT_MIN_RETENTION_DAYS = 183

ToolPattern = Annotated[str, Field(min_length=1, max_length=256)]


class ProvenancePolicy(BaseModel):
    """How calls steered by untrusted tool output are judged (docs/provenance.md).

    A call that sends data, money or access to a destination found only in untrusted content
    (a web page, an email, a review) of its session, not in any trusted source (the user's
    request, the organisation's own records), gets the finding `steered_by_untrusted`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(default=True, description="track sessions and judge steered calls")
    untrusted_tools: list[ToolPattern] = Field(
        default_factory=list,
        description="glob patterns of tools whose results are untrusted, besides the defaults "
        "(web, search, email and message reading, downloads, reviews, calendars, MCP tools)",
    )
    trusted_tools: list[ToolPattern] = Field(
        default_factory=list,
        description="glob patterns of tools whose results are trusted; wins over every other "
        "rule (e.g. an internal wiki's search)",
    )
    trusted_mcp_servers: list[ToolPattern] = Field(
        default_factory=list,
        description="glob patterns of MCP server names whose tools are trusted",
    )
    sensitive_level: RiskLevel = Field(
        default=RiskLevel.CRITICAL,
        description="level of a steered call that sends personal data, secrets, money or access",
    )
    steered_level: RiskLevel = Field(
        default=RiskLevel.HIGH, description="level of any other steered call"
    )
    review_steered: bool | None = Field(
        default=None,
        description="hold the other steered calls (those not blocked) for a human's approval "
        "(decision review); null (the default): when the policy uses approvals, that is "
        "review_on, review_actions or approvers is set; false: never, they stay at "
        "steered_level",
    )
    session_ttl_seconds: int = Field(
        default=3600,
        ge=60,
        le=7 * 86_400,
        description="what a session's results planted is forgotten this long after it was read",
    )
    max_values_per_session: int = Field(
        default=2000, ge=16, le=100_000, description="values remembered per session (oldest go)"
    )


OVERRIDE_NAME = r"^[a-z0-9_-]{1,64}$"
MAX_OVERRIDES = 200
MAX_OVERRIDE_PATTERNS = 100
# The decision fields an override may set; any other field of the base policy always applies.
OVERRIDE_FIELDS = (
    "block_on",
    "blocked_actions",
    "allowed_actions",
    "block_pii_types",
    "review_on",
    "review_actions",
)


class PolicyOverride(BaseModel):
    """Decision fields that replace the base policy's for calls of matching agents and actions.

    A field left out inherits the base policy's value (`block_on: null` is a value: never
    block). `agents` globs match the agent id, `actions` globs the action, both ignoring case;
    an empty list matches any. Which override applies when several match: policy.py.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=OVERRIDE_NAME, description="unique; shown on the events it decides")
    agents: list[ToolPattern] = Field(
        default_factory=list,
        max_length=MAX_OVERRIDE_PATTERNS,
        description="agent id globs (e.g. *-prod); empty: any agent",
    )
    actions: list[ToolPattern] = Field(
        default_factory=list,
        max_length=MAX_OVERRIDE_PATTERNS,
        description="action (tool) globs (e.g. shell.*); empty: any action",
    )
    block_on: RiskLevel | None = Field(
        default=None, description="omitted: the base policy's; null: never block on risk"
    )
    blocked_actions: list[ToolPattern] = Field(default_factory=list)
    allowed_actions: list[ToolPattern] = Field(default_factory=list)
    block_pii_types: list[str] = Field(default_factory=list)
    review_on: RiskLevel | None = Field(
        default=None, description="omitted: the base policy's; null: never hold on risk"
    )
    review_actions: list[Annotated[str, Field(min_length=1, max_length=256)]] = Field(
        default_factory=list
    )

    @field_validator("block_pii_types")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        return _pii_types(value)

    @model_validator(mode="after")
    def _scoped(self) -> PolicyOverride:
        if not self.agents and not self.actions:
            raise ValueError("an override needs at least one of agents or actions")
        return self

    @model_serializer(mode="wrap")
    def _set_only(self, handler: Any) -> Any:
        """Leave out the decision fields not given, so a stored override keeps inheriting them
        (serialised with a default, a field would become set on reading)."""
        out = handler(self)
        if isinstance(out, dict):
            for name in OVERRIDE_FIELDS:
                if name not in self.model_fields_set:
                    out.pop(name, None)
        return out

    def changes(self) -> dict[str, Any]:
        """The decision fields this override sets, as the base policy's update."""
        return {
            name: getattr(self, name) for name in OVERRIDE_FIELDS if name in self.model_fields_set
        }


def _pii_types(value: list[str]) -> list[str]:
    known = set(PII_TYPES) | set(SECRET_TYPES)
    unknown = [t for t in value if t not in known]
    if unknown:
        raise ValueError(f"unknown type(s) {unknown}; known: {sorted(known)}")
    return sorted(set(value))


class Policy(BaseModel):
    """One organisation's rules for deciding and storing.

    `allowed_actions` exempts matching actions from the risk thresholds `block_on` and
    `review_on` (never from `blocked_actions`, `block_pii_types` or `review_actions`). Patterns
    are shell-style globs on the action name (`review_actions`: also on fired rule ids).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)  # shared and cached: never mutated

    block_on: RiskLevel | None = Field(
        default=RiskLevel.CRITICAL, description="minimum risk level that blocks; null never blocks"
    )
    blocked_actions: list[Annotated[str, Field(min_length=1, max_length=256)]] = Field(
        default_factory=list
    )
    allowed_actions: list[Annotated[str, Field(min_length=1, max_length=256)]] = Field(
        default_factory=list
    )
    block_pii_types: list[str] = Field(
        default_factory=list, description="PII or secret types whose presence blocks the call"
    )
    frameworks: FrameworkToggles = Field(default_factory=FrameworkToggles)
    review_on: RiskLevel | None = Field(
        default=None,
        description="minimum risk level that holds a call for a human's approval (decision "
        "review); null never. A call that blocks is blocked, not reviewed",
    )
    review_actions: list[Annotated[str, Field(min_length=1, max_length=256)]] = Field(
        default_factory=list,
        description="glob patterns of actions, or ids of risk rules (e.g. shell.rm_rf), that "
        "hold a call for review whatever its risk",
    )
    approval_ttl_seconds: int = Field(
        default=900,
        ge=1,
        le=7 * 86_400,
        description="how long a call waits for its approval; then it is denied (expired)",
    )
    approvers: list[Annotated[str, Field(min_length=1, max_length=256)]] = Field(
        default_factory=list,
        description="API keys (id or prefix, as `agentaudit keys list` shows them) that may "
        "approve or deny held calls; empty: any key of the organisation",
    )
    store_min_risk: RiskLevel = Field(
        default=RiskLevel.LOW,
        description="store events at or above this level; blocked events are always stored",
    )
    redact_pii: bool = Field(default=False, description="store PII and secret values masked")
    retention_days: int | None = Field(
        default=None,
        ge=1,
        le=MAX_RETENTION_DAYS,
        description="erase payloads older than this; null keeps them",
    )
    money_critical_threshold: float = Field(default=10_000.0, gt=0, allow_inf_nan=False)
    internal_domains: list[Annotated[str, Field(min_length=1, max_length=253)]] = Field(
        default_factory=list,
        description=(
            "the organisation's own domains (example.com also covers its subdomains): mail and "
            "uploads to them stay inside; empty: internal host suffixes and private addresses only"
        ),
    )

    @field_validator("internal_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        out = []
        for raw in value:
            d = raw.strip().lower().lstrip("@").lstrip(".")
            if not d or any(ch.isspace() or ch in "/@:" for ch in d) or "." not in d:
                raise ValueError(f"{raw!r} is not a domain name (e.g. example.com)")
            out.append(d)
        return sorted(set(out))

    internal_repositories: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list,
        description=(
            "the organisation's accounts and repositories on code hosts (github.com/acme, "
            "gitlab.com/acme/platform): code and secrets sent to them stay inside, and on a "
            "host named here any other account is outside; empty: a code host's accounts are "
            "not told apart, and a whole repository pushed to a remote the call itself points "
            "at one is sent outside"
        ),
    )

    @field_validator("internal_repositories")
    @classmethod
    def _repositories(cls, value: list[str]) -> list[str]:
        out = []
        for raw in value:
            r = raw.strip().lower()
            r = r.split("://", 1)[-1].rsplit("@", 1)[-1].replace(":", "/", 1).rstrip("/")
            r = r.removesuffix(".git")
            host, _, path = r.partition("/")
            if not path or "." not in host or any(ch.isspace() for ch in r):
                raise ValueError(
                    f"{raw!r} is not a code host's account or repository (e.g. github.com/acme)"
                )
            out.append(r)
        return sorted(set(out))

    pii_region: str | None = Field(
        default=None,
        description="default phone region (ISO 3166 alpha-2, e.g. DE) for numbers written "
        "without a country code in free text",
    )
    store_secrets: Literal["mask", "clear"] = Field(
        default="mask",
        description="mask: every secret found is stored as [SECRET:<type>:<fingerprint>] "
        "(a keyed hash, never the value) and the chain covers the masked payload; clear: "
        "secrets are stored as sent (the dashboard still masks them when it shows them)",
    )
    provenance: ProvenancePolicy = Field(
        default_factory=ProvenancePolicy,
        description="calls steered by untrusted tool output (indirect prompt injection)",
    )
    pii_ner: bool = Field(
        default=False,
        description="find names and postal addresses in free text with a language model "
        "(needs pip install 'agentaudit[ner]'; a few ms per call)",
    )

    @field_validator("pii_region")
    @classmethod
    def _phone_region(cls, value: str | None) -> str | None:
        if value is None:
            return None
        import phonenumbers  # a dependency of the classifier; imported here only when set

        region = value.strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"{value!r} is not a phone region (ISO 3166 alpha-2, e.g. DE, FR)")
        return region

    @field_validator("block_pii_types")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        known = set(PII_TYPES) | set(SECRET_TYPES)
        unknown = [t for t in value if t not in known]
        if unknown:
            raise ValueError(
                f"unknown type(s) {unknown}; known: {sorted(known)}",
            )
        return sorted(set(value))

    overrides: list[PolicyOverride] = Field(
        default_factory=list,
        max_length=MAX_OVERRIDES,
        description="per-agent and per-action changes to the decision fields; the most "
        "specific matching override decides (docs/policy.md)",
    )

    @field_validator("overrides")
    @classmethod
    def _unique_overrides(cls, value: list[PolicyOverride]) -> list[PolicyOverride]:
        first: dict[str, int] = {}
        for i, o in enumerate(value):
            if o.name in first:
                raise ValueError(
                    f"overrides[{i}].name {o.name!r} repeats overrides[{first[o.name]}].name"
                )
            first[o.name] = i
        return value

    @model_validator(mode="after")
    def _ai_act_retention(self) -> Policy:
        if (
            self.frameworks.ai_act
            and self.retention_days is not None
            and self.retention_days < AI_ACT_MIN_RETENTION_DAYS
        ):
            raise ValueError(
                f"retention_days must be at least {AI_ACT_MIN_RETENTION_DAYS} while the AI Act "
                "framework is on (AI Act Art. 19/26(6): six months)"
            )
        return self
