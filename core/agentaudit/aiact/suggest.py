"""A classification suggestion for an AI system that explains every step.

From the system's metadata and its recent events (phrases.yaml says which words count, how much
and where), in the AI Act's own order: an Art. 5 practice makes it `prohibited`; else an Annex III
area makes it `high`; else Art. 50 transparency signals (or personal data in many calls) make it
`limited`; else `minimal`. With no metadata and no events there is nothing to go on:
`unclassified`. It is a suggestion for a person to confirm, never applied by itself.

Pure: no I/O, no store. The answer keeps upstream's keys (AgenticAudit SDK 0.3.0 reads them) and
adds `steps` (the question asked at each step, the answer and why) and `matches` (each phrase:
where it was found, how often, in which events).
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from agentaudit.aiact.models import ANNEX_III_POINTS, AnnexIII, RiskClass
from agentaudit.models import Event

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")
METADATA_FIELDS = ("name", "vendor", "description", "use_case", "classification_rationale")
MAX_EXAMPLES = 5


# -- the rules, as data -------------------------------------------------------------------------
@dataclass(frozen=True)
class Phrase:
    text: str
    weight: float
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Group:
    name: str
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class Rule:
    """An Art. 5 practice, an Annex III area, or Art. 50: groups that must all be present in
    one document, exceptions that count against, PII types that count for."""

    key: str
    reference: str  # "Art. 5(1)(f)", "Annex III point 4", "Art. 50"
    title: str
    groups: tuple[Group, ...]
    negatives: tuple[Phrase, ...] = ()
    pii_types: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    prohibited: tuple[Rule, ...]
    areas: tuple[Rule, ...]
    limited: Rule
    prohibited_threshold: float
    high_threshold: float
    limited_threshold: float
    pii_ratio_limited: float
    metadata_weight: int
    max_events: int


def _phrase(text: str, weight: float) -> Phrase:
    """A phrase's regex over normalised text; a word ending in * may go on ("recruit*")."""
    parts = []
    for word in text.split():
        stem = normalise(word.rstrip("*")).strip()
        if not stem:
            raise ValueError(f"phrases.yaml: phrase {text!r} has an empty word")
        parts.append(re.escape(stem) + (r"\w*" if word.endswith("*") else ""))
    if not parts:
        raise ValueError(f"phrases.yaml: empty phrase {text!r}")
    return Phrase(text, float(weight), re.compile(rf"(?<!\w){' '.join(parts)}(?!\w)"))


def _rule(key: str, raw: Mapping[str, Any], reference: str) -> Rule:
    groups = tuple(
        Group(str(g["name"]), tuple(_phrase(t, w) for t, w in g["phrases"].items()))
        for g in raw["groups"]
    )
    negatives = tuple(_phrase(t, w) for t, w in (raw.get("negatives") or {}).items())
    for n in negatives:
        if n.weight >= 0:
            raise ValueError(f"phrases.yaml: {key}: negative {n.text!r} must weigh below 0")
    pii = {str(k): float(v) for k, v in (raw.get("pii_types") or {}).items()}
    return Rule(key, reference, str(raw["title"]), groups, negatives, pii)


def load_rules(path: Path = PHRASES_FILE) -> Rules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    areas = tuple(
        _rule(key, body, f"Annex III point {body['point']}") for key, body in raw["areas"].items()
    )
    unknown = {a.key for a in areas} ^ {a.value for a in AnnexIII}
    if unknown:
        raise ValueError(
            f"phrases.yaml: areas must be exactly the Annex III keys; differ: {unknown}"
        )
    t = raw["thresholds"]
    return Rules(
        prohibited=tuple(
            _rule(key, body, str(body["article"])) for key, body in raw["prohibited"].items()
        ),
        areas=areas,
        limited=_rule("limited", raw["limited"], str(raw["limited"]["article"])),
        prohibited_threshold=float(t["prohibited"]),
        high_threshold=float(t["high"]),
        limited_threshold=float(t["limited"]),
        pii_ratio_limited=float(t["pii_ratio_limited"]),
        metadata_weight=int(raw["metadata_weight"]),
        max_events=int(raw["max_events"]),
    )


@functools.cache
def default_rules() -> Rules:
    return load_rules()


# -- text ---------------------------------------------------------------------------------------
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower case, accents dropped, camelCase split, every run of non-letters one space."""
    text = _CAMEL.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


def _strings(value: Any, out: list[str], budget: list[int]) -> None:
    """Keys and string values of a JSON value, within a character budget."""
    if budget[0] <= 0:
        return
    if isinstance(value, str):
        out.append(value[: budget[0]])
        budget[0] -= len(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            out.append(str(k))
            _strings(v, out, budget)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out, budget)


def event_text(event: Event, limit: int = 20_000) -> str:
    """What an event says: its action, its data (keys and strings) and its reasoning."""
    parts = [event.action]
    _strings(event.data, parts, [limit])
    if event.reasoning:
        parts.append(event.reasoning[:limit])
    return normalise(" ".join(parts))


# -- scoring ------------------------------------------------------------------------------------
class PhraseMatch(BaseModel):
    """One phrase of one rule, as found."""

    phrase: str
    group: str | None = Field(description="the rule's group; null for an exception")
    weight: float
    metadata_count: int = Field(description="occurrences in the system's metadata")
    metadata_fields: list[str]
    event_count: int = Field(description="events (of those examined) that contain it")
    example_event_ids: list[str]
    score: float = Field(description="weight x sqrt(metadata_count x 3 + event_count)")


class RuleScore(BaseModel):
    key: str
    reference: str
    title: str
    score: float
    matches: list[PhraseMatch]
    missing_groups: list[str] = Field(
        default_factory=list,
        description="when no document holds every group: the groups found nowhere",
    )
    partial: dict[str, list[str]] = Field(
        default_factory=dict,
        description="when no document holds every group: the phrases found, by group",
    )
    pii_events: dict[str, int] = Field(default_factory=dict)


@dataclass
class _Tally:
    metadata: int = 0
    fields: list[str] = field(default_factory=list)
    events: int = 0
    examples: list[str] = field(default_factory=list)


def _find(phrase: Phrase, text: str) -> int:
    return len(phrase.regex.findall(text))


def score_rule(
    rule: Rule,
    metadata: Mapping[str, str],
    events: Sequence[tuple[str, str, Sequence[str]]],
    metadata_weight: int,
) -> RuleScore:
    """Score one rule over the metadata (each field normalised, one document together) and the
    events ((id, normalised text, PII types) each): only documents holding every group count."""
    tallies: dict[tuple[str | None, str], _Tally] = {}
    phrases: list[tuple[str | None, Phrase]] = [(g.name, p) for g in rule.groups for p in g.phrases]
    phrases += [(None, p) for p in rule.negatives]
    seen_groups: set[str] = set()
    complete = 0

    def document(texts: Mapping[str, str]) -> dict[tuple[str | None, str], tuple[int, list[str]]]:
        found: dict[tuple[str | None, str], tuple[int, list[str]]] = {}
        for group, phrase in phrases:
            n, where = 0, []
            for name, text in texts.items():
                k = _find(phrase, text)
                if k:
                    n += k
                    where.append(name)
            if n:
                found[(group, phrase.text)] = (n, where)
        return found

    partial: dict[str, set[str]] = {}

    def counts(found: Mapping[tuple[str | None, str], Any]) -> bool:
        groups = {g for g, _ in found if g is not None}
        seen_groups.update(groups)
        for g, text in found:
            if g is not None:
                partial.setdefault(g, set()).add(text)
        return len(groups) == len(rule.groups)

    meta = document(metadata)
    if meta and counts(meta):
        complete += 1
        for key, (n, where) in meta.items():
            t = tallies.setdefault(key, _Tally())
            t.metadata += n
            t.fields.extend(where)
    pii_events: dict[str, int] = {}
    for event_id, text, pii in events:
        found = document({"event": text})
        for pii_type in pii:
            if pii_type in rule.pii_types:
                pii_events[pii_type] = pii_events.get(pii_type, 0) + 1
        if not found or not counts(found):
            continue
        complete += 1
        for key in found:
            t = tallies.setdefault(key, _Tally())
            t.events += 1
            if len(t.examples) < MAX_EXAMPLES:
                t.examples.append(event_id)
    weights = {(g, p.text): p.weight for g, p in phrases}
    matches = []
    for key, t in tallies.items():
        weight = weights[key]
        score = weight * math.sqrt(t.metadata * metadata_weight + t.events)
        matches.append(
            PhraseMatch(
                phrase=key[1],
                group=key[0],
                weight=weight,
                metadata_count=t.metadata,
                metadata_fields=t.fields,
                event_count=t.events,
                example_event_ids=t.examples,
                score=round(score, 2),
            )
        )
    total = sum(m.score for m in matches)
    for pii_type, n in pii_events.items():
        total += rule.pii_types[pii_type] * math.sqrt(n)
    matches.sort(key=lambda m: (-m.score, m.phrase))
    missing = [g.name for g in rule.groups if g.name not in seen_groups] if not complete else []
    return RuleScore(
        partial={g: sorted(p) for g, p in partial.items()} if not complete else {},
        key=rule.key,
        reference=rule.reference,
        title=rule.title,
        score=round(max(total, 0.0), 2),
        matches=matches,
        missing_groups=missing,
        pii_events=pii_events,
    )


# -- the suggestion -----------------------------------------------------------------------------
class Step(BaseModel):
    step: int
    question: str
    answer: str
    because: str


class Suggestion(BaseModel):
    """GET /v1/systems/{id}/classification-suggestion."""

    suggested_classification: RiskClass
    suggested_category: AnnexIII | None
    suggested_practice: str | None = Field(
        default=None, description="the Art. 5 practice (key) when the suggestion is prohibited"
    )
    rationale: str
    evidence: dict[str, Any]
    steps: list[Step]


def _top(scores: Iterable[RuleScore]) -> RuleScore | None:
    ranked = sorted(scores, key=lambda s: (-s.score, s.key))
    return ranked[0] if ranked and ranked[0].score > 0 else None


def _why(score: RuleScore) -> str:
    parts = []
    for m in score.matches[:6]:
        where = []
        if m.metadata_count:
            where.append(f"{m.metadata_count}x in {', '.join(sorted(set(m.metadata_fields)))}")
        if m.event_count:
            where.append(f"in {m.event_count} event{'s' if m.event_count != 1 else ''}")
        sign = "-" if m.weight < 0 else "+"
        parts.append(f'{sign} "{m.phrase}" ({"; ".join(where)}) {abs(m.score):.2f}')
    for pii_type, n in score.pii_events.items():
        parts.append(f"+ PII type {pii_type} in {n} events")
    return "; ".join(parts)


def suggest(
    metadata: Mapping[str, str],
    events: Sequence[Event],
    *,
    stats: Mapping[str, Any] | None = None,
    rules: Rules | None = None,
) -> Suggestion:
    """Suggest a classification. `metadata` maps field names (METADATA_FIELDS) to text;
    `events` are the system's most recent events (at most `rules.max_events` are read);
    `stats` (SystemStats as a dict) adds the all-time counts to the evidence."""
    r = rules or default_rules()
    meta = {k: normalise(v) for k, v in metadata.items() if k in METADATA_FIELDS and v.strip()}
    examined = list(events)[: r.max_events]
    docs = [(e.id, event_text(e), e.pii_fields) for e in examined]
    pii_n = sum(1 for e in examined if e.pii_detected)
    pii_types: dict[str, int] = {}
    for e in examined:
        for t in e.pii_fields:
            pii_types[t] = pii_types.get(t, 0) + 1
    ratio = round(pii_n / len(examined), 4) if examined else 0.0
    automated = sum(1 for e in examined if "art_22" in e.frameworks.get("gdpr", []))

    prohibited = [score_rule(x, meta, docs, r.metadata_weight) for x in r.prohibited]
    areas = [score_rule(x, meta, docs, r.metadata_weight) for x in r.areas]
    limited = score_rule(r.limited, meta, docs, r.metadata_weight)
    top_practice, top_area = _top(prohibited), _top(areas)

    steps: list[Step] = []
    category: AnnexIII | None = None
    practice: str | None = None
    if top_practice is not None and top_practice.score >= r.prohibited_threshold:
        practice = top_practice.key
        answer: RiskClass = RiskClass.PROHIBITED
        rationale = (
            f"Matches the prohibited practice of {top_practice.reference} ({top_practice.title}):"
            f" score {top_practice.score:.2f} >= {r.prohibited_threshold}."
        )
        steps.append(
            Step(
                step=1,
                question="Art. 5: does it match a prohibited practice?",
                answer=f"yes: {top_practice.reference}",
                because=_why(top_practice),
            )
        )
    else:
        steps.append(
            Step(
                step=1,
                question="Art. 5: does it match a prohibited practice?",
                answer="no",
                because=(
                    f"highest {top_practice.reference} {top_practice.score:.2f} <"
                    f" {r.prohibited_threshold} ({_why(top_practice)})"
                    if top_practice is not None
                    else "no practice's words found together"
                    + _missing(prohibited)
                    + _outweighed(prohibited)
                ),
            )
        )
        if top_area is not None and top_area.score >= r.high_threshold:
            answer = RiskClass.HIGH
            category = AnnexIII(top_area.key)
            rationale = (
                f"Used in a high-risk area, {top_area.reference} ({top_area.title}): score"
                f" {top_area.score:.2f} >= {r.high_threshold}. Unless an Art. 6(3) derogation"
                " applies (document it in the rationale), the high-risk obligations follow."
            )
            steps.append(
                Step(
                    step=2,
                    question="Art. 6(2) and Annex III: is it used in a high-risk area?",
                    answer=f"yes: {top_area.key} ({top_area.reference})",
                    because=_why(top_area),
                )
            )
        else:
            steps.append(
                Step(
                    step=2,
                    question="Art. 6(2) and Annex III: is it used in a high-risk area?",
                    answer="no",
                    because=(
                        f"highest {top_area.key} {top_area.score:.2f} < {r.high_threshold}"
                        f" ({_why(top_area)})"
                        if top_area is not None
                        else "no Annex III area's words found" + _outweighed(areas)
                    ),
                )
            )
            transparent = limited.score >= r.limited_threshold
            personal = bool(examined) and ratio >= r.pii_ratio_limited
            if transparent or personal:
                answer = RiskClass.LIMITED
                reasons = []
                if transparent:
                    reasons.append(f"Art. 50 signals score {limited.score:.2f} ({_why(limited)})")
                if personal:
                    reasons.append(
                        f"personal data in {pii_n} of {len(examined)} events"
                        f" ({ratio:.0%} >= {r.pii_ratio_limited:.0%})"
                    )
                rationale = "Transparency obligations likely (Art. 50): " + "; ".join(reasons) + "."
                steps.append(
                    Step(
                        step=3,
                        question="Art. 50: does it interact with people or generate content?",
                        answer="yes",
                        because="; ".join(reasons),
                    )
                )
            elif not meta and not examined:
                answer = RiskClass.UNCLASSIFIED
                rationale = (
                    "Nothing to go on: no description, use case or rationale, and no events of"
                    " its agents. Describe the system or link its agents."
                )
                steps.append(
                    Step(
                        step=3,
                        question="Is there anything to classify from?",
                        answer="no",
                        because="empty metadata and no events",
                    )
                )
            else:
                answer = RiskClass.MINIMAL
                rationale = (
                    "No prohibited practice, no Annex III area and no transparency signal found"
                    f" in the metadata and {len(examined)} recent events."
                )
                steps.append(
                    Step(
                        step=3,
                        question="Art. 50: does it interact with people or generate content?",
                        answer="no",
                        because=(
                            f"Art. 50 signals {limited.score:.2f} < {r.limited_threshold};"
                            f" personal data in {ratio:.0%} of events"
                            f" (< {r.pii_ratio_limited:.0%})"
                        ),
                    )
                )

    evidence: dict[str, Any] = {
        "total_events": (stats or {}).get("total_events", len(examined)),
        "events_examined": len(examined),
        "by_risk_level": dict((stats or {}).get("by_risk_level") or _count(examined, "risk")),
        "by_action": dict((stats or {}).get("by_action") or _count(examined, "action")),
        "pii_events": pii_n,
        "pii_ratio": ratio,
        "pii_types": dict(sorted(pii_types.items(), key=lambda kv: (-kv[1], kv[0]))),
        "automated_decision_events": automated,
        "metadata_fields": sorted(meta),
        "category_scores": {s.key: s.score for s in areas if s.score > 0},
        "category_matches": {
            s.key: {m.phrase: m.score for m in s.matches} for s in areas if s.matches
        },
        "category_confidence_threshold": r.high_threshold,
        "prohibited_scores": {s.key: s.score for s in prohibited if s.score > 0},
        "prohibited_matches": {
            s.key: {m.phrase: m.score for m in s.matches} for s in prohibited if s.matches
        },
        "prohibited_confidence_threshold": r.prohibited_threshold,
        "prohibited_articles": {s.key: s.reference for s in prohibited},
        "annex_iii_points": {a.value: ANNEX_III_POINTS[a] for a in AnnexIII},
        "transparency_score": limited.score,
        "transparency_matches": {m.phrase: m.score for m in limited.matches},
        "transparency_threshold": r.limited_threshold,
        "pii_ratio_threshold": r.pii_ratio_limited,
        "matches": {
            s.key: [m.model_dump() for m in s.matches]
            for s in (*prohibited, *areas, limited)
            if s.matches
        },
    }
    if category is None and top_area is not None and answer != RiskClass.HIGH:
        evidence["closest_category"] = top_area.key
    return Suggestion(
        suggested_classification=answer,
        suggested_category=category,
        suggested_practice=practice,
        rationale=rationale,
        evidence=json.loads(json.dumps(evidence)),
        steps=steps,
    )


def _outweighed(scores: Sequence[RuleScore]) -> str:
    """Rules whose words were found but cancelled by their exceptions."""
    notes = [f"{s.reference}: {_why(s)}" for s in scores if s.matches and s.score <= 0]
    return f"; outweighed by exceptions: {' | '.join(notes)}" if notes else ""


def _missing(scores: Sequence[RuleScore]) -> str:
    """The practices of which some words were found, but never all their groups together."""
    notes = [
        f"{s.reference}: found {', '.join(repr(p) for ps in s.partial.values() for p in ps)}"
        f" but no {' / '.join(s.missing_groups) or 'complete set'} with it"
        for s in scores
        if s.partial
    ]
    return f" ({'; '.join(notes)})" if notes else ""


def _count(events: Sequence[Event], what: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in events:
        key = str(e.risk_level) if what == "risk" else e.action
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
