"""The classification pipeline: one walk of the payload, then small fact extractors, then rules.

    tool name  -> _action    what the name tells (cached per name)
    payload    -> _payload   every key and value, sorted by role
    text       -> _secrets, _pii
    commands   -> _finder -> _commands (shell, SQL, code, orders) -> _effects (what they do)
    facts      -> _facts     read/write, money, production, destinations, credentials
    rules      -> _rules     level, evidence, articles

Nothing here does I/O or keeps per-call state outside the call.
"""

from __future__ import annotations

from typing import Any, Final

from agentaudit.classifier._action import cached_action
from agentaudit.classifier._commands import Analyser
from agentaudit.classifier._facts import (
    business_facts,
    credential_fact,
    data_facts,
    destination_facts,
    effect_facts,
    op_kind,
    operation_facts,
    production_fact,
)
from agentaudit.classifier._finder import find_commands, http_effects
from agentaudit.classifier._payload import SCAN_CAP, Call, sub_calls, unwrapped, walk
from agentaudit.classifier._pii import cue_led_pii, free_text_pii, recipient_phones
from agentaudit.classifier._places import dest_class
from agentaudit.classifier._rules import Texts, built, evaluate
from agentaudit.classifier._ruleset import RuleSet
from agentaudit.classifier._secrets import blank, detect_secrets, found_spans
from agentaudit.models import Classification, Policy, RiskLevel, RuleMatch

_DEFAULT_POLICY: Final = Policy()
_LEVEL_ORDER: Final = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)


def run(
    rs: RuleSet,
    agent_id: str,
    action: str,
    data: dict[str, Any] | None,
    context: dict[str, Any] | None,
    reasoning: str | None,
    policy: Policy | None,
    found: list[tuple[str, str]] | None = None,
    depth: int = 0,
) -> Classification:
    """Classify one call; with `found`, also collect each (type, value) as written. A batch of
    calls (`multi_tool_use.parallel {"tool_uses": […]}`, `{"steps": [{"uses": …, "with": …}]}`)
    is judged as the most severe of itself and each call it holds; so is code that makes HTTP
    writes (each request judged as given by fields)."""
    v = rs.vocab
    pol = policy or _DEFAULT_POLICY
    a = cached_action(rs, action)
    c = Call(v, found)
    c.dbish = a.dbish
    c.delegates = a.delegates
    c.runs_code = a.strong_exec or a.exec_v
    c.action_words = a.wordset
    fields = unwrapped(v, data) if data else {}
    if fields:
        walk(c, fields, None, a.shellish, a.inert, 0)

    # values: secrets first (one type per value), then personal data in what is left
    content = "\n".join(c.content)
    if content:
        detect_secrets(c, content)
    scan = "\n".join(c.scan)
    if scan:
        pii_text = blank(scan, found_spans(scan, c)) if c.secret_values else scan
        cue_led_pii(c, pii_text, a.inert)
        if c.code_scan:  # commands and code: identifiers only; the rest: everything
            prose = "\n".join(x for i, x in enumerate(c.scan) if i not in c.code_scan)
            code = "\n".join(x for i, x in enumerate(c.scan) if i in c.code_scan)
            code = blank(code, found_spans(code, c)) if c.secret_values else code
            free_text_pii(c, code, pol.pii_region, False, inert=True, identifiers_only=True)
            pii_text = blank(prose, found_spans(prose, c)) if c.secret_values else prose
        free_text_pii(c, pii_text, pol.pii_region, pol.pii_ner, inert=a.inert)
    if reasoning is not None and len(reasoning) > SCAN_CAP:
        reasoning = reasoning[:SCAN_CAP]
        c.partial = True
    if reasoning:
        free_text_pii(c, reasoning, pol.pii_region, False, inert=True, identifiers_only=True)
    if c.recipients:
        recipient_phones(c)
    if c.address_container:
        c.add_pii("address", "address", written=False)
    data_facts(c, a)

    # commands, wherever they sit and whatever they are written in
    an = Analyser(rs.effects, lambda dest: dest_class(v, dest, pol))
    if not a.inert:
        find_commands(c, a, an, rs)
    else:
        for value, role in c.leaves:  # only what sits under a command line's own key
            an.text(value, role)
        http_effects(c, a, an)
    cmds = an.out
    effect_facts(c, cmds)
    command_text = "\n".join(cmds.texts)

    op = op_kind(c)  # what the call's operation field (`{"op": "get_balance"}`) says
    operation_facts(c, a, cmds, action, op)
    business_facts(c, a, rs, action, pol, cmds, op)
    production_fact(c, rs, cmds, context, command_text)
    destination_facts(c, a, rs, cmds, action, pol)
    credential_fact(c, a, rs, action)

    texts = Texts(command_text, content, a.text, reasoning or "")
    whole = evaluate(rs, c, a, texts, reasoning, pol, c.partial or cmds.partial)
    # a batch's calls, and a call one of them hands on to the tool it names: two levels
    subs = sub_calls(v, fields) if fields and depth < 2 else []
    requests = cmds.requests if not depth else []
    if not subs and not requests:
        return whole
    parts = [whole]
    for sub_action, sub_data in subs:
        parts.append(
            run(rs, agent_id, sub_action, sub_data, context, None, policy, None, depth + 1)
        )
    for request in requests:
        # an HTTP write made by code or a command line, judged as the same request given as
        # fields: kept when it says more than the call did (what it deletes, sets or grants)
        p = run(rs, agent_id, "http_request", request, context, None, policy, None, 2)
        if not set(p.effects) <= set(whole.effects) or _LEVEL_ORDER.index(
            p.risk_level
        ) > _LEVEL_ORDER.index(whole.risk_level):
            parts.append(p)
    return merged(parts) if len(parts) > 1 else whole


def merged(parts: list[Classification]) -> Classification:
    """A batch's classification: the most severe level, every effect, match and field of its
    calls (the batch's own first: its secrets, found in the whole call, are the ones masked)."""
    first = parts[0]
    level = max((p.risk_level for p in parts), key=_LEVEL_ORDER.index)
    matches: list[RuleMatch] = []
    seen: set[tuple[str, str]] = set()
    for p in parts:
        for m in p.matches:
            if (m.rule, m.evidence) not in seen:
                seen.add((m.rule, m.evidence))
                matches.append(m)
    matches.sort(key=lambda m: -_LEVEL_ORDER.index(m.level))
    frameworks: dict[str, list[str]] = {}
    for p in parts:
        for fw, arts in p.frameworks.items():
            have = frameworks.setdefault(fw, [])
            have.extend(x for x in arts if x not in have)
    return built(  # type: ignore[no-any-return]
        Classification,
        {
            "risk_level": level,
            "pii_detected": any(p.pii_detected for p in parts),
            "pii_fields": sorted({f for p in parts for f in p.pii_fields}),
            "secret_fields": sorted({f for p in parts for f in p.secret_fields}),
            "frameworks": frameworks,
            "matches": matches,
            "partial_scan": any(p.partial_scan for p in parts),
            "effects": sorted({e for p in parts for e in p.effects}),
        },
        {"_secrets": first.found_secrets()},
    )
