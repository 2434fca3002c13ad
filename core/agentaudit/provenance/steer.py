"""Judge a call against its session's memory: is it steered by untrusted content?

Runs after classification (the classifier is not changed): a result event feeds the memory (and
is marked when it carries an instruction to the model); a call event is checked, and a steered
one gets the match `steered_by_untrusted` at the policy's level, naming the source event and
the value. `decide` then treats it like any other match.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from agentaudit.models import Classification, EventIn, Policy, RiskLevel, RuleMatch
from agentaudit.policy import STEERED_RULE
from agentaudit.provenance._rules import Rules, find_instruction, rules, words
from agentaudit.provenance.indicators import (
    command_keys,
    strings,
    text_keys,
    tokens,
    value_keys,
)
from agentaudit.provenance.memory import LocalMemory, Memory, Sessions, Source, session_key
from agentaudit.provenance.shared import ProvenanceTable, SharedMemory, provenance_key
from agentaudit.provenance.trust import (
    READ_VERBS,
    Trust,
    reads_outside_path,
    result_tool,
    tool_trust,
)

STEERED = STEERED_RULE  # decide() holds these for review when approvals are in use
# A reply to whoever sent a message, carrying nothing sensitive: recorded at steered_level,
# never held (answering mail is what a mail assistant does).
REPLY = "reply_to_untrusted_sender"
INSTRUCTION = "untrusted_instruction"
AFTER_INSTRUCTION = "after_untrusted_instruction"

CORRESPONDENT_WORDS = frozenset({"from", "sender", "reply", "replyto", "organizer", "author"})
ROLES = {
    "e": "recipient",
    "h": "host",
    "u": "URL",
    "i": "account",
    "a": "account",
    "p": "phone number",
    "c": "wallet",
    "f": "path",
    "t": "name",
}
ACCESS_TEXT = re.compile(
    r"\b(?:verification|security|2fa|two[- ]factor|one[- ]time|otp|login|reset|auth\w*)\s+"
    r"(?:code|pin|link|token|password)\b|\b(?:code|pin|otp)\s{0,2}[:#]?\s{0,2}\d{4,8}\b",
    re.I,
)
SENDING_COMMAND = re.compile(
    r"(?:\s-(?:d|F|T|X\s*(?:POST|PUT|PATCH))\b|--data|--upload|--form|\bscp\b|\brsync\b|"
    r"\bnc\b|\bsendmail\b|\bmail\s|@[\w./~-]|\|\s*(?:curl|nc|mail))",
)
_MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Destination:
    field: str
    value: str
    keys: tuple[str, ...]


def _destinations(data: dict[str, Any], r: Rules) -> Iterator[Destination]:
    """Where a call sends something: values of destination fields, and the links and
    addresses of commands. Content fields (a body, a subject) are never destinations."""
    for path, text in strings(data, budget=[512]):
        if len(path) > _MAX_DEPTH or not text:
            continue
        name = path[-1] if path else "input"
        w = words(name)
        if len(path) > 1:
            if any(words(p) & r.content_words for p in path[:-1]):
                continue
            w = w | words(path[-2])
        if w & r.command_words:
            keys = command_keys(text)
        elif w & r.destination_words and not w & r.content_words:
            keys = value_keys(text)
        else:
            continue
        if keys:
            yield Destination(name, text, tuple(keys))


def _plain_read(action: str, data: dict[str, Any], r: Rules) -> bool:
    """A call that only reads what is at an address (open a link, fetch a page): it sends
    nothing, unless the address carries a query."""
    w = words(action)
    if not w & (READ_VERBS | r.read_words):
        return False
    if w & (r.confirm_words | r.money_words | r.access_words | r.handover_words):
        return False
    for path, text in strings(data, budget=[64]):
        fw = words(path[-1]) if path else frozenset()
        if fw & (r.content_words | r.attachment_words | r.command_words):
            return False
        if "://" in text and "?" in text and "=" in text.split("?", 1)[1]:
            return False
    return True


def _without(value: Any, drop: frozenset[str]) -> Any:
    """`value` with the steered destinations blanked (a URL keeps its query: data rides
    there), so what remains is what the call carries."""
    if isinstance(value, str):
        if value in drop:  # the query's fields read as fields (ssn=…)
            query = value.split("?", 1)[1] if "://" in value and "?" in value else ""
            return dict(parse_qsl(query)) if query else ""
        return value
    if isinstance(value, dict):
        return {k: _without(v, drop) for k, v in value.items()}
    if isinstance(value, list):
        return [_without(v, drop) for v in value]
    return value


def _carried(
    event: EventIn, c: Classification, drop: frozenset[str], policy: Policy, r: Rules
) -> list[str]:
    """What the call hands to its destination: personal data, secrets, money, access, files."""
    from agentaudit.classifier import classify

    what: list[str] = []
    if c.secret_fields:
        what.append("secrets (" + ", ".join(c.secret_fields) + ")")
    rest = _without(event.data, drop)
    pii = classify(event.agent_id, event.action, rest, policy=policy).pii_fields
    if pii:
        what.append("personal data (" + ", ".join(pii) + ")")
    aw = words(event.action)
    field_words: set[str] = set()
    texts: list[str] = []
    for path, text in strings(event.data, budget=[512]):
        for p in path:
            field_words |= words(p)
        texts.append(text)
    if "move_money" in c.effects or (aw | field_words) & r.money_words:
        what.append("money")
    if (aw | field_words) & r.access_words or any(ACCESS_TEXT.search(t) for t in texts):
        what.append("access")
    sends_files = any(
        words(path[-1]) & r.command_words and SENDING_COMMAND.search(text)
        for path, text in strings(event.data, budget=[64])
        if path
    )
    if aw & r.handover_words or field_words & r.attachment_words or sends_files:
        what.append("files or records")
    return what


def _raise(c: Classification, match: RuleMatch, policy: Policy) -> Classification:
    """`c` with `match` added (first among equals: its reason is the one shown)."""
    level = max(c.risk_level, match.level, key=lambda lv: lv.rank)
    matches = sorted([match, *c.matches], key=lambda m: -m.level.rank)
    frameworks = {k: list(v) for k, v in c.frameworks.items()}
    if policy.frameworks.ai_act:
        ai_act = frameworks.setdefault("ai_act", [])
        wanted = ["art_14"] + (["art_9"] if level >= RiskLevel.HIGH else [])
        for article in wanted:
            if article not in ai_act:
                ai_act.append(article)
        ai_act.sort(key=lambda a: int(a.split("_")[1]))
    return c.model_copy(update={"risk_level": level, "matches": matches, "frameworks": frameworks})


class OrgProvenance:
    """One organisation's session memory and the judgement of its calls. The memory is this
    process's (`LocalMemory`) or the store's, shared by every server process (shared.py)."""

    def __init__(self, memory: Sessions | Memory) -> None:
        self.memory: Memory = LocalMemory(memory) if isinstance(memory, Sessions) else memory

    @property
    def sessions(self) -> Sessions:
        """This process's sessions (a local memory only)."""
        if not isinstance(self.memory, LocalMemory):
            raise AttributeError("this organisation's sessions are kept in the store")
        return self.memory.sessions

    def observe(
        self, event: EventIn, c: Classification, policy: Policy, event_id: str
    ) -> Classification:
        """Feed a result into the memory, or judge a call; returns `c`, raised if need be."""
        pp = policy.provenance
        if not pp.enabled:
            return c
        ctx = event.context
        tool = result_tool(event.action, ctx)
        if tool is not None:
            return self._result(event, c, policy, event_id, tool)
        return self._call(event, c, policy, event_id)

    # -- results ------------------------------------------------------------------------------
    def _result(
        self, event: EventIn, c: Classification, policy: Policy, event_id: str, tool: str
    ) -> Classification:
        pp, ctx, r, memory = policy.provenance, event.context, rules(), self.memory
        key = session_key(event.agent_id, ctx)
        ttl = pp.session_ttl_seconds
        trust = tool_trust(tool, ctx, pp, False)
        if trust is not Trust.UNTRUSTED and tool_trust(tool, ctx, pp, True) is Trust.UNTRUSTED:
            # untrusted only if its call read a file from an outside path: ask the memory
            call_id = ctx.get("call_event_id") or ctx.get("tool_call_id")
            if isinstance(call_id, str) and memory.take_call(key, call_id, ttl):
                trust = Trust.UNTRUSTED
        if trust is Trust.NEUTRAL:
            return c
        planted: list[str] = []
        sent_by: list[str] = []
        hit: re.Match[str] | None = None
        texts: list[str] = []
        for path, text in strings(event.data):
            found = list(text_keys(text))
            if path and words(path[-1]) & CORRESPONDENT_WORDS:
                sent_by += found
            else:
                planted += found
            if trust is Trust.UNTRUSTED and hit is None:
                hit = find_instruction(text, r)
            texts.append(text)
        limit = pp.max_values_per_session
        if trust is Trust.TRUSTED:
            if planted or sent_by:
                memory.note(key, ttl, limit, trusted=planted + sent_by)
            return c
        source = Source(event_id, tool, memory.clock(), instructed=hit is not None)
        if hit is not None:
            for text in texts:
                planted += tokens(text)
        memory.note(key, ttl, limit, planted=planted, sent_by=sent_by, source=source)
        if hit is None:
            return c
        evidence = " ".join(hit.group().split())[:160]
        match = RuleMatch(rule=INSTRUCTION, level=RiskLevel.MEDIUM, evidence=evidence)
        return _raise(c, match, policy)

    # -- calls --------------------------------------------------------------------------------
    def _call(
        self, event: EventIn, c: Classification, policy: Policy, event_id: str
    ) -> Classification:
        pp, ctx, r, memory = policy.provenance, event.context, rules(), self.memory
        key = session_key(event.agent_id, ctx)
        ttl = pp.session_ttl_seconds
        request = ctx.get("user_request")
        outside = reads_outside_path(event.data)
        if isinstance(request, str) or outside:
            trusted = [*text_keys(request), *tokens(request)] if isinstance(request, str) else []
            calls: list[str] = []
            if outside:
                calls.append(event_id)
                tool_call_id = ctx.get("tool_call_id")
                if isinstance(tool_call_id, str):
                    calls.append(tool_call_id)
            if trusted or calls:
                memory.note(key, ttl, pp.max_values_per_session, trusted=trusted, calls=calls)

        def destinations() -> list[Destination]:
            found = list(_destinations(event.data, r))
            return found if found and not _plain_read(event.action, event.data, r) else []

        judged = memory.judge(key, ttl, destinations)
        if judged is None:
            return c
        steered, instructed = judged
        if not steered:
            if instructed is None:
                return c
            match = RuleMatch(
                rule=AFTER_INSTRUCTION,
                level=pp.steered_level,
                evidence=f"sent after the result of `{instructed.tool}` (event "
                f"{instructed.event_id}) addressed instructions to the model",
            )
            return _raise(c, match, policy)
        return _raise(c, self._finding(event, c, policy, steered, instructed), policy)

    def _finding(
        self,
        event: EventIn,
        c: Classification,
        policy: Policy,
        steered: list[tuple[Destination, Source]],
        instructed: Source | None,
    ) -> RuleMatch:
        pp, r = policy.provenance, rules()
        dest, source = steered[0]
        drop = frozenset(d.value for d, _ in steered)
        carried = _carried(event, c, drop, policy, r)
        if source.correspondent and not source.instructed:
            level = pp.steered_level  # a reply to whoever wrote: high at most
        elif carried or instructed is not None:
            level = pp.sensitive_level
        else:
            level = pp.steered_level
        rule = STEERED
        role = ROLES.get(dest.keys[-1][:1], "destination")
        if source.correspondent:
            role = f"{role} (the sender of a message)"
            if not carried and not source.instructed and instructed is None:
                rule = REPLY
        evidence = (
            f"the {role} {dest.value[:200]!r} came from the result of `{source.tool}` "
            f"(event {source.event_id}), not from the user"
        )
        if carried:
            evidence += "; the call sends " + ", ".join(carried)
        if instructed is not None:
            evidence += f"; `{instructed.tool}` (event {instructed.event_id}) addressed the model"
        return RuleMatch(rule=rule, level=level, evidence=evidence)


class Provenance:
    """Every organisation's session memory, for one process (an embedded client, a server
    worker): in this process, or with `table` (a store that keeps sessions: PostgreSQL) in the
    store, shared by every process on it (shared.py). `for_org` is cheap: the pipeline asks it
    on every call."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        table: ProvenanceTable | None = None,
    ) -> None:
        self.clock = clock
        self.table = table
        self._orgs: dict[str, OrgProvenance] = {}

    @property
    def shared(self) -> bool:
        return self.table is not None

    def for_org(self, org_id: str) -> OrgProvenance:
        org = self._orgs.get(org_id)
        if org is None:
            memory: Sessions | Memory
            if self.table is None:
                memory = Sessions(clock=self.clock)
            else:  # the key is read once per organisation and process
                key = provenance_key(self.table.fingerprint_key(org_id))
                memory = SharedMemory(self.table, org_id, key)
            org = self._orgs.setdefault(org_id, OrgProvenance(memory))
        return org
