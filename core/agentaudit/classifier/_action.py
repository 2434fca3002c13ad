"""What a tool's name tells: its verbs (reads, writes, deletes, sends, pays, runs code), the
program it is named after, whether it hands work to another agent. Computed once per distinct
name and cached on the rule set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier._effects import EffectTable
from agentaudit.classifier._ruleset import RuleSet, Vocab

_VERB_KINDS: Final = ("read", "write", "delete", "deploy", "send", "exec")

_SECRET_STORE_ACTION: Final = re.compile(
    r"\b(?:get|read|fetch|retrieve|access|reveal|show|export|dump|view|load|copy|decrypt|"
    r"download)\b.*\b(?:secret|secrets|credential|credentials|password|passwords|vault|keychain|"
    r"keyvault|apikey|api key|private key|ssh key)\b|\b(?:secret|secrets|vault|credential|"
    r"credentials|keychain|keyvault)\b.*\b(?:get|read|fetch|retrieve|access|reveal|show|export|"
    r"dump|decrypt)\b"
)


@dataclass(frozen=True, slots=True)
class Action:
    """What an action name tells (verbs, shell-ness); cached per distinct name."""

    words: tuple[str, ...]
    wordset: frozenset[str]
    text: str
    read_v: bool
    write_v: bool
    exec_v: bool
    strong_exec: bool
    deploy_v: bool
    send_v: bool
    changing: bool
    inert: bool
    program: str | None
    shellish: bool
    hits: dict[Any, Any]
    dbish: bool
    export_people: bool
    secret_store: bool
    verbs_all: frozenset[str]
    read_words: frozenset[str]
    delegates: bool
    http_method: str | None
    own_words: tuple[str, ...]  # the tool's own name, without an MCP server's (`github__…`)
    outside_channel: bool
    health_record: bool  # named for a patient's health record (vocab `health_records`)


def analyse_action(v: Vocab, t: EffectTable, action: str) -> Action:
    aw = d.split_words(action or "")
    aws = frozenset(aw)
    verbs = v.verbs
    read_v = bool(aws & verbs["read"])
    write_v = bool(aws & verbs["write"])
    delete_v = bool(aws & verbs["delete"])
    exec_v = bool(aws & verbs["exec"])
    strong_exec = bool(aws & verbs["exec_strong"])
    deploy_v = bool(aws & verbs["deploy"])
    send_v = bool(aws & verbs["send"])
    exporting = aws & verbs["export"]
    # `bulk` says how many, not what: `bulk_delete`, `bulk_update` export nothing
    export_v = bool(exporting) and not (exporting == {"bulk"} and (delete_v or write_v or send_v))
    changing = write_v or delete_v or deploy_v or send_v or export_v
    if read_v and (changing or exec_v or strong_exec):
        # Verb-first names: `get_build_status` reads even though `build` is also a verb, and
        # `search_code`, `list_run_logs` run nothing.
        first = next((w for w in aw if any(w in verbs[k] for k in _VERB_KINDS)), None)
        if first is not None and first in verbs["read"]:
            write_v = delete_v = deploy_v = send_v = changing = exec_v = strong_exec = False
    delegates = _delegates(aw, action, verbs["delegate"])
    # `ask_agent`: a question to another agent is an order it may carry out, not a search
    inert = bool(aws & verbs["inert"]) and not (changing or exec_v or delegates)
    program = None
    if aw:
        first = t.aliases.get(aw[0], aw[0])
        whole = t.aliases.get(action.lower(), action.lower())
        if len(aw) > 1:  # a name split at its capitals (`GitHubGetRepo`: git, hub, …)
            joined = aw[0] + aw[1]
            if joined in t.aliases or joined in t.tool_programs:
                first = t.aliases.get(joined, joined)
        if first in t.tool_programs or aw[0] in t.tool_programs:
            program = first
        elif whole in t.tool_programs:
            program = whole
    text = " ".join(aw)
    return Action(
        words=aw,
        wordset=aws,
        text=text,
        read_v=read_v,
        write_v=write_v,
        exec_v=exec_v,
        strong_exec=strong_exec,
        deploy_v=deploy_v,
        send_v=send_v,
        changing=changing,
        inert=inert,
        program=program,
        shellish=program is not None or bool(aws & verbs["shellish"]),
        hits={},
        dbish=bool(aws & verbs["dbish"]),
        export_people=export_v and bool(aws & verbs["people"]),
        secret_store=_SECRET_STORE_ACTION.search(text) is not None,
        verbs_all=frozenset().union(*(verbs[k] for k in _VERB_KINDS)),
        read_words=verbs["read"],
        delegates=delegates,
        http_method=_http_method(aw),
        own_words=d.split_words(action.rsplit("__", 1)[-1]) if "__" in action else aw,
        outside_channel=bool(aws & verbs["outside_channels"]),
        health_record=bool(aws & verbs["health_records"]),
    )


def _delegates(words: tuple[str, ...], action: str, delegate: frozenset[str]) -> bool:
    """A tool that hands work to another agent (OpenAI Agents' `transfer_to_*` handoffs, Claude
    Code's `Task`, CrewAI's `Delegate work to coworker`, `send_message_to_agent`…)."""
    low = action.lower()
    return (
        low in ("task", "agent", "run_agent", "call_agent")
        or low.startswith("transfer_to_")
        or bool(set(words) & delegate)
        or "_".join(words) in delegate
    )


def _http_method(words: tuple[str, ...]) -> str | None:
    """`requests_delete`, `http_put`, `api_delete`: a tool named for its HTTP method."""
    if set(words) & {"http", "https", "request", "requests", "api", "rest", "curl", "fetch"}:
        for m in ("delete", "put", "patch", "post", "get"):
            if m in words:
                return m.upper()
    return None


def cached_action(rs: RuleSet, action: str) -> Action:
    """`analyse_action`, once per distinct tool name (the cache is bounded)."""
    a = rs.action_cache.get(action)
    if a is None:
        a = analyse_action(rs.vocab, rs.effects, action)
        if len(rs.action_cache) > 10_000:
            rs.action_cache.clear()
        rs.action_cache[action] = a
    return a  # type: ignore[no-any-return]
