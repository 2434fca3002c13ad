"""Masking for `Policy.redact_pii`: the trail keeps what kind of data a call carried, not the data.

Every value the classifier found (personal data or secret, as written) is replaced wherever it
appears in the payload by `[REDACTED:<type>]`. Keys, structure and everything else stay, so an
auditor still sees what the call did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MIN_LENGTH = 3  # shorter values would mask ordinary text


def mask(value: str, typ: str) -> str:
    return f"[REDACTED:{typ}]"


def _pairs(found: list[tuple[str, str]]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for typ, value in found:
        value = value.strip()
        if len(value) >= MIN_LENGTH:
            pairs.setdefault(value, typ)
    return pairs


def text_masker(found: list[tuple[str, str]]) -> Callable[[str], str] | None:
    """A function masking every found value in a text (longest first, so parts never leak),
    or None when nothing was found. Also for text derived from the payload (a rule's evidence,
    a block reason quoting it)."""
    pairs = _pairs(found)
    if not pairs:
        return None
    ordered = sorted(pairs.items(), key=lambda kv: -len(kv[0]))

    def text(s: str) -> str:
        for value, typ in ordered:
            if value in s:
                s = s.replace(value, mask(value, typ))
        return s

    return text


def redact(
    data: dict[str, Any],
    context: dict[str, Any],
    reasoning: str | None,
    found: list[tuple[str, str]],
) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """The payload with every found value masked (longest first, so parts never leak)."""
    pairs = _pairs(found)
    text = text_masker(found)
    if text is None:
        return data, context, reasoning

    def walk(obj: Any) -> Any:
        if isinstance(obj, str):
            return text(obj)
        if isinstance(obj, dict):
            return {k: walk(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [walk(v) for v in obj]
        if isinstance(obj, int | float) and not isinstance(obj, bool):
            as_text = str(obj)
            return mask(as_text, pairs[as_text]) if as_text in pairs else obj
        return obj

    return walk(data), walk(context), None if reasoning is None else text(reasoning)
