"""Form and query-string parsing for the dashboard, with messages a person can act on.

Bad input never becomes a JSON 422 here: it comes back as a message next to the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from agentaudit.export import Selection
from agentaudit.models import (
    PII_TYPES,
    SECRET_TYPES,
    Decision,
    EventFilter,
    Policy,
    RiskLevel,
    bounded_instant,
)

PAGE_SIZE = 50
MAX_PAGE = 1_000_000
RISK_LEVELS = [r.value for r in RiskLevel]
DECISIONS = [d.value for d in Decision]
BLOCKABLE_TYPES = [*PII_TYPES, *SECRET_TYPES]


@dataclass
class Timeline:
    """The timeline's filters as typed (`values`) and as understood (`flt`, `pii_type`)."""

    values: dict[str, str]
    flt: EventFilter
    pii_type: str | None
    page: int
    errors: dict[str, str] = field(default_factory=dict)
    secret_type: str | None = None


TIMELINE_FIELDS = ("agent", "action", "risk", "pii", "secret", "decision", "after", "before")


def parse_instant(text: str) -> datetime:
    """A browser's `datetime-local` value or ISO 8601; without a zone it is UTC. ValueError for
    text that is no date and time, and for instants outside MIN_INSTANT..MAX_INSTANT."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" ", "T"))
    return bounded_instant(value)


def parse_timeline(query: Mapping[str, str]) -> Timeline:
    values = {name: (query.get(name) or "").strip() for name in TIMELINE_FIELDS}
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for name, column in (("agent", "agent_id"), ("action", "action")):
        if len(values[name]) > 256 or "\x00" in values[name]:
            errors[name] = f"{name} must be at most 256 characters, without NUL"
        elif values[name]:
            fields[column] = values[name]
    if values["risk"]:
        if values["risk"] in RISK_LEVELS:
            fields["risk_level"] = values["risk"]
        else:
            errors["risk"] = f"risk must be one of {', '.join(RISK_LEVELS)}"
    if values["decision"]:
        if values["decision"] in DECISIONS:
            fields["decision"] = values["decision"]
        else:
            errors["decision"] = f"decision must be one of {', '.join(DECISIONS)}"
    pii_type = None
    if values["pii"]:
        if values["pii"] in PII_TYPES:
            pii_type = values["pii"]
        else:
            errors["pii"] = f"unknown PII type {values['pii']!r}"
    secret_type = None
    if values["secret"]:
        if values["secret"] in SECRET_TYPES:
            secret_type = values["secret"]
        else:
            errors["secret"] = f"unknown secret type {values['secret']!r}"
    for name in ("after", "before"):
        if values[name]:
            try:
                fields[name] = parse_instant(values[name])
            except ValueError as exc:
                errors[name] = (
                    f"{name} {exc}"
                    if str(exc).startswith("must be between")
                    else f"{name} is not a date and time, e.g. 2025-01-31T12:00"
                )
    if "after" in fields and "before" in fields and fields["after"] >= fields["before"]:
        errors["before"] = "before must be later than after"
    try:
        page = int(query.get("page") or 1)
    except ValueError:
        page = 1
    page = min(max(page, 1), MAX_PAGE)
    if errors:  # show the messages and no events rather than a wrongly filtered list
        fields = {}
    flt = EventFilter(**fields, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if errors:
        pii_type = secret_type = None
    return Timeline(values, flt, pii_type, page, errors, secret_type)


def export_selection(t: Timeline) -> Selection | None:
    """The timeline's filters as an export's selection (export.py); None when unfiltered."""
    flt = t.flt
    return Selection.of(
        agent_id=flt.agent_id,
        action=flt.action,
        risk_level=None if flt.risk_level is None else str(flt.risk_level),
        decision=None if flt.decision is None else str(flt.decision),
        pii_type=t.pii_type,
        secret_type=t.secret_type,
        after=flt.after,
        before=flt.before,
    )


# -- policy ---------------------------------------------------------------------------------------
POLICY_FORM_FIELDS = (
    "block_on",
    "blocked_actions",
    "allowed_actions",
    "block_pii_types",
    "frameworks",
    "store_min_risk",
    "redact_pii",
    "store_secrets",
    "retention_days",
    "money_critical_threshold",
    "internal_domains",
    "internal_repositories",
    "overrides",
)
# Lists edited one entry a line; a form without one of them (an older page) keeps it.
_LINE_LISTS = ("internal_domains", "internal_repositories")
STORE_SECRETS = ("mask", "clear")


def policy_values(policy: Policy) -> dict[str, Any]:
    """A policy as the form shows it."""
    return {
        "block_on": policy.block_on.value if policy.block_on is not None else "",
        "blocked_actions": "\n".join(policy.blocked_actions),
        "allowed_actions": "\n".join(policy.allowed_actions),
        "block_pii_types": list(policy.block_pii_types),
        "frameworks": [
            name for name in ("gdpr", "ai_act", "soc2") if getattr(policy.frameworks, name)
        ],
        "store_min_risk": policy.store_min_risk.value,
        "redact_pii": policy.redact_pii,
        "store_secrets": policy.store_secrets,
        "retention_days": "" if policy.retention_days is None else str(policy.retention_days),
        "money_critical_threshold": f"{policy.money_critical_threshold:g}",
        "internal_domains": "\n".join(policy.internal_domains),
        "internal_repositories": "\n".join(policy.internal_repositories),
        "overrides": json.dumps(
            [o.model_dump(mode="json") for o in policy.overrides], indent=2, ensure_ascii=False
        )
        if policy.overrides
        else "",
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class PolicyForm:
    values: dict[str, Any]  # what was submitted, to show again on error
    patch: dict[str, Any]  # the update to merge into the stored policy


def parse_policy_form(form: Mapping[str, Any], getlist: Any) -> PolicyForm:
    """The submitted form as a policy patch; values are passed on as typed so that pydantic's
    messages (e.g. "Input should be a valid integer") reach the user unchanged."""
    values: dict[str, Any] = {
        "block_on": str(form.get("block_on") or ""),
        "blocked_actions": str(form.get("blocked_actions") or ""),
        "allowed_actions": str(form.get("allowed_actions") or ""),
        "block_pii_types": [str(v) for v in getlist("block_pii_types")],
        "frameworks": [str(v) for v in getlist("frameworks")],
        "store_min_risk": str(form.get("store_min_risk") or ""),
        "redact_pii": form.get("redact_pii") == "on",
        "store_secrets": str(form.get("store_secrets") or ""),
        "retention_days": str(form.get("retention_days") or "").strip(),
        "money_critical_threshold": str(form.get("money_critical_threshold") or "").strip(),
    }
    patch: dict[str, Any] = {
        "block_on": values["block_on"] or None,
        "blocked_actions": _lines(values["blocked_actions"]),
        "allowed_actions": _lines(values["allowed_actions"]),
        "block_pii_types": values["block_pii_types"],
        "frameworks": {name: name in values["frameworks"] for name in ("gdpr", "ai_act", "soc2")},
        "store_min_risk": values["store_min_risk"],
        "redact_pii": values["redact_pii"],
        "retention_days": values["retention_days"] or None,
        "money_critical_threshold": values["money_critical_threshold"],
    }
    if values["store_secrets"]:  # a form without the field keeps the stored choice
        patch["store_secrets"] = values["store_secrets"]
    for name in _LINE_LISTS:
        if name in form:
            values[name] = str(form.get(name) or "")
            patch[name] = _lines(values[name])
    if "overrides" in form:  # JSON (a list of overrides); a form without it keeps them
        values["overrides"] = text = str(form.get("overrides") or "")
        try:
            patch["overrides"] = json.loads(text) if text.strip() else []
        except ValueError:
            patch["overrides"] = text  # refused by the model: "Input should be a valid list"
    return PolicyForm(values, patch)


def policy_errors(exc: PydanticValidationError) -> tuple[dict[str, str], list[str]]:
    """Pydantic's errors as {form field: message} plus messages about the policy as a whole."""
    by_field: dict[str, str] = {}
    general: list[str] = []
    for err in exc.errors(include_url=False, include_context=False, include_input=False):
        loc = [str(part) for part in err["loc"]]
        msg = err["msg"].removeprefix("Value error, ")
        if loc and loc[0] in POLICY_FORM_FIELDS:
            where = ".".join(loc)
            by_field.setdefault(loc[0], msg if where == loc[0] else f"{where}: {msg}")
        else:
            general.append(msg)
            named = msg.split(" ", 1)[0]  # "retention_days must be at least 183 …"
            if named in POLICY_FORM_FIELDS:
                by_field.setdefault(named, msg)
    return by_field, general
