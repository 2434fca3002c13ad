"""Classify one agent tool call: PII and secret types, risk level, compliance articles.

Pure and deterministic: all rules are data (``rules/*.yaml``, format in docs/rules.md), compiled
once into an immutable :class:`RuleSet`; a call does no I/O and shares no mutable state, so it is
safe from any thread.
"""

from __future__ import annotations

from typing import Any

from agentaudit.classifier._speedups import COMPILED_DIR, compiled_engine_usable

# The compiled modules, when built for exactly these sources (see _speedups.py), are found
# first: this must happen before any of them (_ruleset, _detect, _engine) is imported.
COMPILED = compiled_engine_usable()
if COMPILED:
    __path__.insert(0, str(COMPILED_DIR))

from agentaudit.classifier._detect import mask as _evidence_mask  # noqa: E402
from agentaudit.classifier._engine import run  # noqa: E402
from agentaudit.classifier._ruleset import (  # noqa: E402
    RULES_ENV,
    Rule,
    RulesError,
    RuleSet,
    default_rules,
    load_rules,
    reset_default_rules,
)
from agentaudit.classifier._secrets import secrets_in  # noqa: E402
from agentaudit.models import Classification, Policy  # noqa: E402

__all__ = [
    "COMPILED",
    "RULES_ENV",
    "Rule",
    "RuleSet",
    "RulesError",
    "classify",
    "classify_and_find",
    "default_rules",
    "evidence_form",
    "find_secrets",
    "load_rules",
    "reset_default_rules",
]


def classify(
    agent_id: str,
    action: str,
    data: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    reasoning: str | None = None,
    *,
    policy: Policy | None = None,
    rules: RuleSet | None = None,
) -> Classification:
    """Classify one tool call.

    `policy` supplies the money threshold and which frameworks are reported (default policy:
    GDPR + AI Act, 10,000). `rules` defaults to the built-ins plus $AGENTAUDIT_RULES, loaded once.
    """
    return run(
        rules if rules is not None else default_rules(),
        agent_id,
        action,
        data,
        context,
        reasoning,
        policy,
    )


def classify_and_find(
    agent_id: str,
    action: str,
    data: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    reasoning: str | None = None,
    *,
    policy: Policy | None = None,
    rules: RuleSet | None = None,
) -> tuple[Classification, list[tuple[str, str]]]:
    """`classify`, plus every (type, value) of personal data or secret as written in the call.

    Used to store payloads masked (`Policy.redact_pii`); costs a little more than `classify`.
    """
    found: list[tuple[str, str]] = []
    c = run(
        rules if rules is not None else default_rules(),
        agent_id,
        action,
        data,
        context,
        reasoning,
        policy,
        found,
    )
    return c, found


def find_secrets(value: Any, *, rules: RuleSet | None = None) -> list[tuple[str, str]]:
    """(type, value as written) of each secret in `value` — a call's context (an object) or
    its reasoning (a text) — by the detectors `classify` runs on `data` (secret-named keys,
    then the text's shapes). `classify` itself reads `data` only for secrets; its findings
    are on `Classification.found_secrets()`. Used to mask secrets before they are stored."""
    return secrets_in((rules if rules is not None else default_rules()).vocab, value)


def evidence_form(value: str) -> str:
    """How `classify` writes a secret it quotes in a rule's evidence (e.g. `AKIA****`), so
    that text derived from a call can be masked further."""
    return _evidence_mask(value)
