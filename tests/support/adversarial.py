"""Adversarial inputs for the classifier, built from its own regexes.

For every regex the classifier uses (module-level patterns of its modules, its substring sets
read as the alternations they stand for, and the rule set's patterns), hypothesis finds the smallest string the regex matches; that string, the same string
one character short (a near miss, which makes a backtracking regex try hardest) and the two
glued together are repeated to a given size. A classifier whose cost grows faster than its
input shows it on one of these shapes. Used by tests/test_classifier_cost.py and
benchmarks/classify_cost.py.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

from agentaudit.classifier import classify, default_rules
from agentaudit.classifier._code import DottedForms
from agentaudit.classifier._detect import AnyOf, Gated

_MODULES = (
    "_detect",
    "_shell",
    "_sql",
    "_code",
    "_orders",
    "_effects",
    "_commands",
    "_payload",
    "_pii",
    "_places",
    "_secrets",
    "_action",
    "_facts",
)
_FIND = settings(
    database=None,
    derandomize=True,
    max_examples=200,
    suppress_health_check=list(HealthCheck),
)


@dataclass(frozen=True)
class Shape:
    name: str  # where the regex comes from and which shape
    unit: str  # repeated to the size asked
    keys: tuple[str, ...] = ("command", "notes")  # the call's fields that carry the text

    def make(self, size: int) -> str:
        return (self.unit * (size // len(self.unit) + 1))[:size]


def _module(name: str) -> ModuleType:
    import importlib

    return importlib.import_module(f"agentaudit.classifier.{name}")


def regexes() -> Iterator[tuple[str, str, int]]:
    """(where, pattern text, flags) of every regex of the classifier and its rule set."""
    seen: set[str] = set()
    for mod_name in _MODULES:
        mod = _module(mod_name)
        for attr, value in sorted(vars(mod).items()):
            items: list[Any] = [value] if isinstance(value, re.Pattern) else []
            if isinstance(value, AnyOf):  # a substring set: shaped as the alternation it reads
                items = [re.compile("|".join(re.escape(n) for n in value.needles))]
            if isinstance(value, Gated):  # a regex behind a gate of literals: the regex
                items = [value.regex]
            if isinstance(value, DottedForms):  # forms read from each dot: the regex they are
                items = [re.compile(value.pattern())]
            if isinstance(value, tuple):  # (type, regex) tables: ID_CUES, SPECIAL_CUES
                items = [
                    v[1]
                    for v in value
                    if isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], re.Pattern)
                ]
            for rx in items:
                if rx.pattern not in seen:
                    seen.add(rx.pattern)
                    yield f"{mod_name}.{attr}", rx.pattern, rx.flags
    for rule in default_rules().rules:
        pat = getattr(rule.pattern, "pattern", None)
        if isinstance(pat, str) and pat not in seen:
            seen.add(pat)
            yield f"rule {rule.id}", pat.removeprefix("(?m)"), re.I


def smallest_match(pattern: str, flags: int) -> str | None:
    """The smallest (shrunk) string the regex matches, or None when hypothesis cannot build one."""
    try:
        compiled = re.compile(pattern, flags & ~re.UNICODE)
        return find(st.from_regex(compiled), lambda s: len(s) > 0, settings=_FIND)
    except (NoSuchExample, Unsatisfiable, re.error, ValueError, TypeError, NotImplementedError):
        return None


def shapes() -> list[Shape]:
    """Three shapes per regex, de-duplicated."""
    out: list[Shape] = []
    units: set[str] = set()
    for where, pattern, flags in regexes():
        block = smallest_match(pattern, flags)
        if not block:
            continue
        for kind, unit in (
            ("match", block),
            ("near miss", block[:-1] or block),
            ("glued", block + (block[:-1] or block)),
        ):
            if unit.strip() and unit not in units:
                units.add(unit)
                out.append(Shape(f"{where} ({kind})", unit))
    return out


# Shapes no single regex suggests: what a whole reader does with repeated text.
HAND = [
    Shape("hand: url of dots", "http://" + "a." * 64),
    Shape("hand: shell substitutions", "$(echo `"),
    Shape("hand: quotes", "\"'"),
    Shape("hand: rm chain", "rm -rf /srv/data; "),
    Shape("hand: sql statements", "DELETE FROM t; "),
    Shape("hand: python calls", "os.remove('x')\n"),
    Shape("hand: js calls", "db.x.deleteMany({});"),
    Shape("hand: pipes", "cat a | "),
    Shape("hand: orders", "Delete all tables in /srv/data. "),
    Shape("hand: phone-like digits", "+49 30 1234 5678 "),
    Shape("hand: patch envelope files", "*** Begin Patch\n*** Update File: a\n+x\n"),
    # strings that never close, full of escaped quotes, in code (each quote once re-read the
    # rest of its line: 2 s for 96 KiB)
    *(Shape(f"hand: escaped {q} in code", f"a\\{q}", ("code",)) for q in "\"'`"),
]


def cost_per_kib(text: str, rounds: int = 3, keys: tuple[str, ...] = ("command", "notes")) -> float:
    """µs of CPU per KiB to classify a call carrying `text` in each of `keys` (by default as a
    command and as prose; best of `rounds`; process time, so other processes on the machine count little). The cyclic
    collector is off while timing: a collection costs what the whole process holds (a long test
    session holds a lot), not what this call read, and would show as growth that is not."""
    data = dict.fromkeys(keys, text)
    best = float("inf")
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            t0 = time.process_time()
            classify("agent", "run_command", data)
            best = min(best, time.process_time() - t0)
    finally:
        if enabled:
            gc.enable()
    return best / (len(text) / 1024) * 1e6
