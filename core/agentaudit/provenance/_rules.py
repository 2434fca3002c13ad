"""The provenance rules (rules.yaml) loaded once into frozen word sets and compiled patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).with_name("rules.yaml")

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def words(name: str) -> frozenset[str]:
    """The words of a tool or field name: send_email, sendEmail, mcp__srv__fetch, "to" → sets.
    Cached: the same few hundred names recur in every session."""
    return frozenset(w for w in _SPLIT.split(_CAMEL.sub("_", name).lower()) if w)


@dataclass(frozen=True, slots=True)
class Rules:
    outside_words: frozenset[str]
    own_words: frozenset[str]
    confirm_words: frozenset[str]
    outside_path_words: frozenset[str]
    read_words: frozenset[str]
    destination_words: frozenset[str]
    command_words: frozenset[str]
    content_words: frozenset[str]
    attachment_words: frozenset[str]
    access_words: frozenset[str]
    money_words: frozenset[str]
    handover_words: frozenset[str]
    instruction: re.Pattern[str]  # every language's markers in one alternation
    instruction_cues: tuple[str, ...]


def _words(section: dict[str, list[str]], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in section.get(key) or [])


@cache
def rules() -> Rules:
    raw = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    tools, fields = raw["tools"], raw["fields"]
    markers = [p for patterns in raw["instructions"].values() for p in patterns]
    return Rules(
        outside_words=_words(tools, "outside_words"),
        own_words=_words(tools, "own_words"),
        confirm_words=_words(tools, "confirm_words"),
        outside_path_words=_words(tools, "outside_path_words"),
        read_words=_words(tools, "read_words"),
        destination_words=_words(fields, "destination_words"),
        command_words=_words(fields, "command_words"),
        content_words=_words(fields, "content_words"),
        attachment_words=_words(fields, "attachment_words"),
        access_words=_words(fields, "access_words"),
        money_words=_words(fields, "money_words"),
        handover_words=_words(fields, "handover_words"),
        instruction=re.compile("|".join(f"(?:{p})" for p in markers), re.IGNORECASE),
        instruction_cues=tuple(str(w).lower() for w in raw["instruction_cues"]),
    )


_WORD = re.compile(r"[^\W\d_]+|<")
WINDOW_BEFORE, WINDOW_AFTER, MAX_MARKER = 40, 240, 200


def find_instruction(text: str, r: Rules) -> re.Match[str] | None:
    """The first instruction marker in `text`, searched only near cue words (every marker
    starts at most WINDOW_BEFORE characters before its cue). Each start position is tried
    once, so a long text costs a word scan plus, at worst, about two passes of the markers."""
    cues, covered = r.instruction_cues, 0  # marker starts below `covered` were tried
    for m in _WORD.finditer(text):
        start = m.start()
        if start + WINDOW_AFTER <= covered or not m.group().lower().startswith(cues):
            continue
        lo = max(start - WINDOW_BEFORE, covered)
        hi = start + WINDOW_AFTER
        found = r.instruction.search(text, lo, hi + MAX_MARKER)
        if found is not None and found.start() < hi:
            return found
        covered = hi
    return None
