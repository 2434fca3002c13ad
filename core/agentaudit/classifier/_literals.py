"""Literals every match of a regex must contain, derived from the regex itself.

A rule's pattern is searched only where one of them occurs (a substring test is far cheaper than
a regex search); deriving them from the pattern keeps them from going stale as a hand-kept
list would. `None` means no such literals exist: the pattern always runs.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any, Final

MIN_LITERAL: Final = 2  # a one-character literal would gate nothing


def required_literals(
    pattern: str, ignore_case: bool = True, keep_case: bool = False, flags: int = 0
) -> tuple[str, ...] | None:
    """Literals, one of which every match contains (lower-cased unless `keep_case`); None if
    none can be named."""
    try:
        tree = P.parse(pattern, flags | (re.I if ignore_case else 0))
    except re.error:
        return None
    found = _sequence(list(tree), keep_case)
    if found is None:
        return None
    return tuple(sorted(found))


def _sequence(items: list[tuple[Any, Any]], keep_case: bool) -> set[str] | None:
    """The most selective requirement of a sequence: a literal run, or one of its groups'."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(cand: set[str] | None) -> None:
        nonlocal best
        if cand is None or not cand:
            return
        if best is None or min(len(x) for x in cand) > min(len(x) for x in best):
            best = cand

    def flush() -> None:
        if len(run) >= MIN_LITERAL:
            consider({"".join(run)})
        run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av) if keep_case else chr(av).lower())
            continue
        flush()
        consider(_node(op, av, keep_case))
    flush()
    return best


def _node(op: Any, av: Any, keep_case: bool) -> set[str] | None:
    if op is C.SUBPATTERN:
        return _sequence(list(av[-1]), keep_case)
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            alt = _sequence(list(branch), keep_case)
            if alt is None:
                return None
            out |= alt
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _sequence(list(av[2]), keep_case)
    if op is C.ATOMIC_GROUP:
        return _sequence(list(av), keep_case)
    return None


def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters every match starts with, as written; None when they cannot be named (a
    class, a flag, a part that may match nothing)."""
    try:
        tree = P.parse(pattern)
    except re.error:
        return None
    if tree.state.flags & re.I:
        return None
    found = _firsts(list(tree))
    return frozenset(found) if found else None


def _firsts(items: list[tuple[Any, Any]]) -> set[str] | None:
    if not items:
        return None
    op, av = items[0]
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.SUBPATTERN and not av[1]:  # a group that adds no flag
        return _firsts(list(av[-1]))
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            first = _firsts(list(branch))
            if first is None:
                return None
            out |= first
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _firsts(list(av[2]))
    return None
