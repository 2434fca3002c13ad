"""Rules (builtin.yaml plus a user's file) over the facts of a call: the risk level, the rules
that fired with their evidence, and the articles they attach.
"""

from __future__ import annotations

import operator
from typing import Any, Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier._action import Action
from agentaudit.classifier._facts import effect_names
from agentaudit.classifier._payload import Call, meet
from agentaudit.classifier._ruleset import Rule, RuleSet
from agentaudit.models import Classification, Policy, RiskLevel, RuleMatch

# Final: the compiled engine keeps them in C variables, not looked up in the module per call
_NEW: Final = object.__new__
_SET: Final = object.__setattr__

_RANK: Final = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.CRITICAL: 3}

_LEVELS: Final = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)

EVIDENCE_MAX: Final = (
    160  # what a rule quotes of the call (the command, as parsed), in a block reason
)
_ENABLED: Final[dict[tuple[bool, bool, bool], tuple[str, ...]]] = {}


class Texts:
    __slots__ = ("command", "content", "action", "reasoning", "_lower", "_ascii")

    def __init__(self, command: str, content: str, action: str, reasoning: str) -> None:
        self.command = command
        self.content = content
        self.action = action
        self.reasoning = reasoning
        self._lower: dict[str, str] = {}
        self._ascii: dict[str, bool] = {}

    def get(self, target: str) -> str:
        if target == "command":
            return self.command
        if target == "content":
            return self.content
        if target == "action":
            return self.action
        if target == "reasoning":
            return self.reasoning
        s = self._lower.get("=" + target)
        if s is None:
            if target == "intent":
                s = self.action + "\n" + self.reasoning
            else:
                s = self.action + "\n" + self.content + "\n" + self.reasoning
            self._lower["=" + target] = s
        return s

    def lower(self, target: str) -> str:
        s = self._lower.get(target)
        if s is None:
            s = self.get(target).lower()
            self._lower[target] = s
        return s

    def is_ascii(self, target: str) -> bool:
        """Whether the target text is ASCII (asked by every pattern rule on it: once each)."""
        a = self._ascii.get(target)
        if a is None:
            a = self._ascii[target] = self.get(target).isascii()
        return a


_UNSET: Final = object()


def _facts_ok(rule: Rule, facts: set[str]) -> bool:
    return not (
        (rule.when and not rule.when <= facts)
        or (rule.when_any and not meet(rule.when_any, facts))
        or (rule.unless and meet(rule.unless, facts))
    )


def _triggered(rule: Rule, texts: Texts) -> bool:
    """A pattern rule's cheap pre-check: its target text is not empty and holds one of its
    triggers, if it has any."""
    low = texts.lower(rule.target)
    if not low:
        return False
    if not rule.triggers or not texts.is_ascii(rule.target):
        return True  # outside ASCII, case folding can match what lower() does not show
    return any(t in low for t in rule.triggers)


def _pattern_hit(rule: Rule, texts: Texts) -> str | None:
    if not _triggered(rule, texts):
        return None
    m = rule.pattern.search(texts.get(rule.target)) if rule.pattern is not None else None
    return None if m is None else " ".join(m.group(0).split())


def _fires(rule: Rule, facts: set[str], texts: Texts, ev: dict[str, str]) -> str | None:
    """Evidence text if the rule fires, else None."""
    if not _facts_ok(rule, facts):
        return None
    if rule.pattern is None:
        parts = [ev[f] for f in rule.when_order if ev.get(f)]
        if not parts and rule.when_any:
            parts = [ev[f] for f in rule.when_any_order if f in facts and ev.get(f)][:1]
        return "; ".join(parts) if parts else rule.id
    text = texts.get(rule.target)
    if not text:
        return None
    m = rule.pattern.search(text)
    if m is None:
        return None
    return " ".join(m.group(0).split())


def built(cls: type[Any], values: dict[str, Any], private: dict[str, Any] | None) -> Any:
    """`models.construct` for the engine's two models (valid by construction; `private` given
    whole, None for a model without private attributes), compiled with it: interpreted, the
    same steps cost about as much as a rule's evaluation, and every call builds two or three."""
    obj = _NEW(cls)
    _SET(obj, "__dict__", values)
    _SET(obj, "__pydantic_fields_set__", set(values))
    _SET(obj, "__pydantic_extra__", None)
    _SET(obj, "__pydantic_private__", private)
    return obj


def _match(rule: Rule, evidence: str, secrets: list[str]) -> RuleMatch:
    return built(  # type: ignore[no-any-return]
        RuleMatch,
        {"rule": rule.id, "level": rule.level, "evidence": _mask_evidence(evidence, secrets)},
        None,
    )


def _mask_evidence(evidence: str, secrets: list[str]) -> str:
    for s in secrets:
        if s and s in evidence:
            evidence = evidence.replace(s, d.mask(s))
        elif s.startswith("-----BEGIN") and "-----BEGIN" in evidence:
            evidence = evidence.split("-----BEGIN", 1)[0] + "-----BEGIN … PRIVATE KEY-----"
    if len(evidence) > EVIDENCE_MAX:
        evidence = evidence[: EVIDENCE_MAX - 1] + "…"
    return evidence


def evaluate(
    rs: RuleSet,
    c: Call,
    a: Action,
    texts: Texts,
    reasoning: str | None,
    policy: Policy,
    partial: bool,
) -> Classification:
    """Run the rules that can fire on these facts and texts; build the classification."""
    facts, ev = c.facts, c.ev
    matches: list[tuple[int, int, RuleMatch]] = []
    fired: list[tuple[int, Rule]] = []  # (index in the rule file, rule)
    level_rank = 0
    secret_values = c.secret_values
    cands: list[tuple[int, Rule]] = list(rs.always)
    by_fact = rs.by_fact
    for f in facts:
        lst = by_fact.get(f)
        if lst:
            cands.extend(lst)
    for target, lst in rs.by_target.items():
        if texts.get(target):
            cands.extend(lst)
    cands.sort(key=_idx)
    action_only = not reasoning
    hits = a.hits
    for idx, rule in cands:
        if rule.when and not rule.when <= facts:
            continue
        if rule.pattern is not None and (
            rule.target == "action" or (action_only and rule.target == "intent")
        ):
            # Depends on the action name only: computed once per distinct name.
            hit_key = (id(rule), rule.target)
            pat = hits.get(hit_key, _UNSET)
            if pat is _UNSET:
                pat = _pattern_hit(rule, texts)
                hits[hit_key] = pat
            if pat is None or not _facts_ok(rule, facts):
                continue
            hit: str | None = pat
        else:
            if rule.pattern is not None and not _triggered(rule, texts):
                continue
            hit = _fires(rule, facts, texts, ev)
        if hit is None:
            continue
        if rule.level is not None:
            rank = _RANK[rule.level]
            if rank > level_rank:
                level_rank = rank
            matches.append((-rank, idx, _match(rule, hit, secret_values)))
        fired.append((idx, rule))
    for idx, rule in rs.deferred:
        if level_rank < _RANK[rule.min_risk]:  # type: ignore[index]
            continue
        if rule.pattern is not None and not _triggered(rule, texts):
            continue
        hit = _fires(rule, facts, texts, ev)
        if hit is None:
            continue
        if rule.level is not None:
            rank = _RANK[rule.level]
            level_rank = max(level_rank, rank)
            matches.append((-rank, idx, _match(rule, hit, secret_values)))
        fired.append((idx, rule))
    matches.sort(key=_first_two)
    out = built(
        Classification,
        {
            "risk_level": _LEVELS[level_rank],
            "pii_detected": bool(c.pii),
            "pii_fields": sorted(c.pii),
            "secret_fields": sorted(c.secrets),
            "frameworks": _articles(rs, fired, policy),
            "matches": [m for _, _, m in matches],
            "partial_scan": partial,
            "effects": effect_names(facts),
        },
        # where the secrets are, for masking them before storage (never serialised)
        {"_secrets": tuple(c.secret_found)},
    )
    return out  # type: ignore[no-any-return]


def _articles(rs: RuleSet, fired: list[tuple[int, Rule]], policy: Policy) -> dict[str, list[str]]:
    """The articles of the fired rules, for the frameworks the policy enables, in file order
    (worked out once per set of rules and frameworks: calls fire the same few sets)."""
    if not fired:
        return {}
    fw = policy.frameworks
    which = (fw.gdpr, fw.ai_act, fw.soc2)
    key = (which, tuple(idx for idx, _ in fired))
    known = rs.article_cache.get(key)
    if known is None:
        enabled = _ENABLED.get(which)
        if enabled is None:
            enabled = _ENABLED[which] = fw.enabled()
        worked = _worked_out(rs, [rule for _, rule in fired], enabled)
        known = tuple((name, tuple(arts)) for name, arts in worked.items())
        if len(rs.article_cache) >= 4096:
            rs.article_cache.clear()
        rs.article_cache[key] = known
    return {name: list(arts) for name, arts in known}


def _worked_out(rs: RuleSet, fired: list[Rule], enabled: tuple[str, ...]) -> dict[str, list[str]]:
    order = rs.article_order
    arts = sorted(
        {art for r in fired for art in r.articles if art[0] in enabled},
        key=lambda art: order.get(art, 1 << 30),
    )
    frameworks: dict[str, list[str]] = {}
    for fw_name, art in arts:
        frameworks.setdefault(fw_name, []).append(art)
    return frameworks


_idx = operator.itemgetter(0)  # candidates by rule-file order (C-level key: no call per item)

_first_two = operator.itemgetter(0, 1)  # matches: highest level first, then rule-file order
