"""Secrets never stored in clear (`Policy.store_secrets: "mask"`, the default).

Each secret the classifier found is replaced, wherever it occurs in the payload (data, context,
reasoning) and in text derived from it (the rules' evidence, a block reason), by
`[SECRET:<type>:<fingerprint>]` — before the event is hashed and stored, so the chain covers
what is stored. Only the secret's span is replaced: a command or a connection string keeps the
rest of its text (`postgres://app:[SECRET:db_connection_string:3f9a1c0e]@db.prod/orders`).

The fingerprint is the first 8 hex digits of HMAC-SHA256 over the secret, keyed by the
organisation's own random key, kept in its store. Whoever holds a candidate value and the store
can tell whether that value was masked (`agentaudit db fingerprint`); the fingerprint alone
tells nothing of the value, and guesses cannot be tested without the key.

Pure functions of their inputs; no classifier import (the stores use the read side, `masked_paths`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

FINGERPRINT_HEX = 8
MIN_SECRET = 4  # a shorter span would mask ordinary text wherever it occurs
KEY_BYTES = 32
PLACEHOLDER = re.compile(r"\[SECRET:([a-z_]+):([0-9a-f]{8})\]")
PLACEHOLDER_MARK = "[SECRET:"
# What a finding inside an already masked (or redacted) payload is: never masked again. Text
# is split around placeholders, and only what lies between them is masked.
_MASKED = re.compile(r"(\[(?:SECRET:[a-z_]+:[0-9a-f]{8}|REDACTED:[a-z_]+)\])")
_URL_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.:-]*://[^\s:/@'\"]*:([^\s@/'\"]+)@")
_ADO_PASSWORD = re.compile(r"\b(?:password|pwd)\s*=\s*([^;'\"\s]+)", re.I)
_AUTH_SCHEME = re.compile(r"^(?:Bearer|Token|Basic)\s+(\S+)$", re.I)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_ELLIPSIS = "…"


def new_key() -> bytes:
    """A fresh fingerprint key for an organisation."""
    return secrets.token_bytes(KEY_BYTES)


def fingerprint(key: bytes, value: str) -> str:
    """The 8-hex-digit keyed fingerprint of a secret value (as it was written, trimmed)."""
    mac = hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:FINGERPRINT_HEX]


def placeholder(typ: str, fp: str) -> str:
    return f"[SECRET:{typ}:{fp}]"


def secret_span(typ: str, value: str) -> str:
    """The part of a found value that is the secret itself: the password of a URL or of a
    connection string, the token after its auth scheme (`Bearer …`); else the whole value."""
    value = value.strip()
    if "://" in value and "@" in value:
        m = _URL_PASSWORD.match(value)
        if m:
            return m.group(1)
    if typ == "db_connection_string":
        found = _ADO_PASSWORD.findall(value)
        if found:
            return str(found[-1])
    if typ == "access_token":
        m = _AUTH_SCHEME.match(value)
        if m:
            return m.group(1)
    return value


def _escaped(text: str) -> str:
    """How `text` reads inside a JSON string (a payload may hold JSON as a string)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def path_of(parent: str, key: str) -> str:
    """A JSON path step: `.name` for plain names, `["odd key"]` otherwise."""
    if _IDENT.match(key):
        return f"{parent}.{key}"
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"


@dataclass(frozen=True)
class Masked:
    """A payload with its secrets masked, and the JSON paths of the strings that held them
    (sorted, as `masked_paths` reads them back from the stored payload)."""

    data: dict[str, Any]
    context: dict[str, Any]
    reasoning: str | None
    fields: list[str]


class SecretMasker:
    """Masks the secrets of one call (found as (type, value as written)) in its payload and in
    text derived from it. Build it with `SecretMasker.of`, which is None when there is nothing
    to mask."""

    def __init__(
        self,
        key: bytes,
        found: Iterable[tuple[str, str]],
        evidence_form: Callable[[str], str] | None = None,
    ) -> None:
        self.types: dict[str, str] = {}  # needle -> its placeholder (for cut-off tails)
        replace: dict[str, str] = {}  # needle -> replacement
        forms: dict[str, str] = {}  # the classifier's shortened form -> placeholder
        for typ, value in found:
            written = value.strip()
            span = secret_span(typ, written)
            if len(span) < MIN_SECRET or _MASKED.search(span):
                continue  # too short, or a placeholder: this payload is masked already
            ph = placeholder(typ, fingerprint(key, span))
            pairs = [(span, ph)]
            if written != span:
                pairs.append((written, written.replace(span, ph)))
            if typ == "private_key":  # a key block the payload split across strings
                pairs += [(line, ph) for line in _key_lines(written)]
            for needle, out in pairs:
                if needle not in replace:
                    replace[needle] = out
                    self.types.setdefault(needle, ph)
                esc = _escaped(needle)
                if esc != needle and esc not in replace:
                    replace[esc] = _escaped(out) if needle != span else ph
            if evidence_form is not None:
                form = evidence_form(value)
                if form.endswith("****") and form not in replace:
                    forms[form] = ph
        self._replace = replace
        self._pattern = _alternation(replace)
        self._forms = forms
        self._forms_pattern = _alternation(forms)

    @classmethod
    def of(
        cls,
        key: bytes,
        found: Iterable[tuple[str, str]],
        evidence_form: Callable[[str], str] | None = None,
    ) -> SecretMasker | None:
        masker = cls(key, found, evidence_form)
        return masker if masker._pattern is not None else None

    def text(self, s: str) -> str:
        """`s` with every secret replaced, in one pass (a replacement is never read again);
        placeholders already in `s` are left as they are."""
        pattern = self._pattern
        if pattern is None:
            return s
        replace = self._replace
        return _outside_placeholders(
            s, lambda part: pattern.sub(lambda m: replace[m.group(0)], part)
        )

    def derived(self, s: str) -> str:
        """Text made from the payload (a rule's evidence, a block reason): also the
        classifier's shortened forms of the secrets (`AKIA****`), and a secret cut off at the
        end of an evidence (`…`)."""
        s = self.text(s)
        forms_pattern = self._forms_pattern
        if forms_pattern is not None:
            forms = self._forms
            s = _outside_placeholders(
                s, lambda part: forms_pattern.sub(lambda m: forms[m.group(0)], part)
            )
        if s.endswith(_ELLIPSIS):
            s = self._cut_tail(s[: -len(_ELLIPSIS)]) + _ELLIPSIS
        return s

    def _cut_tail(self, head: str) -> str:
        for needle, ph in self.types.items():
            for k in range(min(len(needle) - 1, len(head)), MIN_SECRET - 1, -1):
                if head.endswith(needle[:k]):
                    return head[:-k] + ph
        return head

    def payload(
        self, data: dict[str, Any], context: dict[str, Any], reasoning: str | None
    ) -> Masked:
        fields: list[str] = []
        new_data = self._walk(data, "data", fields)
        new_context = self._walk(context, "context", fields)
        new_reasoning = None
        if reasoning is not None:
            new_reasoning = self.text(reasoning)
            if new_reasoning != reasoning:
                fields.append("reasoning")
        return Masked(new_data, new_context, new_reasoning, sorted(fields))

    def _walk(self, obj: Any, path: str, fields: list[str]) -> Any:
        if isinstance(obj, str):
            new = self.text(obj)
            if new != obj:
                fields.append(path)
            return new
        if isinstance(obj, dict):
            return {k: self._walk(v, path_of(path, str(k)), fields) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._walk(v, f"{path}[{i}]", fields) for i, v in enumerate(obj)]
        return obj


def _outside_placeholders(s: str, mask: Callable[[str], str]) -> str:
    """`mask` applied to the parts of `s` between the placeholders it already holds."""
    if "[SECRET:" not in s and "[REDACTED:" not in s:
        return mask(s)
    parts = _MASKED.split(s)  # text, placeholder, text, …
    return "".join(part if i % 2 else mask(part) for i, part in enumerate(parts))


def _alternation(needles: dict[str, str]) -> re.Pattern[str] | None:
    """One regex matching any needle, the longest first where several start at one place."""
    if not needles:
        return None
    ordered = sorted(needles, key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in ordered))


def _key_lines(block: str) -> list[str]:
    """The body lines of a PEM block (each a secret's part, should the block be split)."""
    return [
        line.strip()
        for line in block.splitlines()
        if len(line.strip()) >= 16 and not line.strip().startswith("-----")
    ]


# -- reading: where a stored payload holds masked secrets -------------------------------------
def masked_paths(data: Any, context: Any, reasoning: str | None) -> list[str]:
    """The JSON paths of the strings that hold a `[SECRET:…]` placeholder."""
    out: list[str] = []
    _find(data, "data", out)
    _find(context, "context", out)
    if reasoning is not None and PLACEHOLDER.search(reasoning):
        out.append("reasoning")
    return sorted(out)


def _find(obj: Any, path: str, out: list[str]) -> None:
    if isinstance(obj, str):
        if PLACEHOLDER_MARK in obj and PLACEHOLDER.search(obj):
            out.append(path)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _find(v, path_of(path, str(k)), out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _find(v, f"{path}[{i}]", out)
