"""Secret values in a call's text: private keys, credentialed connection strings and URLs,
vendor API keys, tokens, `password = …` pairs. Each found value is recorded once, with its span,
so PII detection does not read it again.
"""

from __future__ import annotations

from typing import Any

from agentaudit.classifier import _detect as d
from agentaudit.classifier._payload import KEY_CAP, SCAN_CAP, Call, Key, field_secret, key_of
from agentaudit.classifier._ruleset import Vocab


class _Spans:
    """Parts of the text already read as a secret (one type per value): a byte per character,
    so checking a candidate costs its length, not the number of secrets found so far."""

    __slots__ = ("covered", "spans")

    def __init__(self, n: int) -> None:
        self.covered = bytearray(n)
        self.spans: list[tuple[int, int]] = []

    def taken(self, a: int, b: int) -> bool:
        return self.covered.find(1, a, b) >= 0

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        self.covered[a:b] = b"\x01" * (b - a)
        self.spans.append(span)


def detect_secrets(c: Call, text: str) -> list[tuple[int, int]]:
    """Structural secret detection over the joined text; returns spans to hide from PII scans."""
    spans = _Spans(len(text))
    taken = spans.taken

    if "PRIVATE KEY" in text:
        pos = 0
        while True:
            m = d.PEM_HEADER.search(text, pos)
            if m is None:
                break
            end = m.end()
            close = text.find("-----END ", end, end + d.PEM_MAX)
            if close >= 0:
                tail = text.find("-----", close + 9, close + 64)
                end = tail + 5 if tail >= 0 else close + 9
            spans.append((m.start(), end))
            c.add_secret("private_key", text[m.start() : end])
            pos = end
    # each regex only where its literal parts occur ("://" and the "@" after the password for
    # URLs with credentials, "=" and ";" for ADO.NET)
    url_creds = "://" in text and "@" in text
    if url_creds:
        for m in d.DB_URL.finditer(text):
            spans.append(m.span())
            c.add_secret("db_connection_string", m.group(0))
    if "=" in text and ";" in text:
        for m in d.ADO_CONN.finditer(text):
            if not taken(*m.span()):
                spans.append(m.span())
                c.add_secret("db_connection_string", m.group(0))
    if url_creds:
        for m in d.URL_CREDS.finditer(text):
            if not taken(*m.span()):
                spans.append(m.span())
                c.add_secret("password", m.group(0))
    for tok in d.LONG_TOKEN.finditer(text):
        cand = tok.group(0)
        if not d.ANY_VENDOR_PREFIX.search(cand):
            continue
        for m in d.VENDOR_KEY.finditer(cand):
            if m.start() and cand[m.start() - 1].isalnum():
                continue
            span = (tok.start() + m.start(), tok.start() + m.end())
            if not taken(*span):
                spans.append(span)
                c.add_secret("api_key", m.group(0))
    if "eyJ" in text or "earer" in text or "ya29." in text or "oken " in text:
        for rx in (d.JWT, d.BEARER, d.GOOGLE_TOKEN):
            for m in rx.finditer(text):
                if not taken(*m.span()):
                    spans.append(m.span())
                    c.add_secret("access_token", m.group(0))
    if "asic " in text:
        for m in d.BASIC.finditer(text):
            if not taken(*m.span()):
                spans.append(m.span())
                c.add_secret("access_token", m.group(0))
    v = c.v
    low = text.lower()
    kv = d.KEY_VALUE.finditer(text) if d.ANY_SECRET_WORD.search(low) else ()
    for m in kv:
        if taken(m.start("v"), m.end("v")):
            continue
        start = m.start()
        while start > 0 and text[start - 1] in d.KEY_CHARS and m.start() - start < 60:
            start -= 1
        if start > 0 and text[start - 1] == "$":
            continue  # a shell variable (`$PWD`), not a key with a value
        head = text[start : m.start("q") if m.group("q") else m.start("v")]
        key_name = head.rstrip().rstrip("=:").rstrip().rstrip("\"'").rstrip()
        if key_name.endswith(" is"):
            key_name = key_name[:-3]
        if True:
            norm = "_".join(d.split_words(key_name))
            found, typ = d.suffix_lookup(norm, v.secret_fields)
            if not found or typ is None or typ == "db_connection_string":
                continue
            min_len = 4 if typ == "password" else 8
            if d.plausible_secret(m.group("v"), bool(m.group("q")), min_len):
                spans.append(m.span("v"))
                c.add_secret(typ, m.group("v"))
    if "pass" in low or "pw" in low or "kennwort" in low or "contrase" in low or "senha" in low:
        for rx in (d.PASSWORD_PROSE, d.CLI_PASSWORD):
            for m in rx.finditer(text):
                if taken(m.start("v"), m.end("v")):
                    continue
                if d.plausible_secret(m.group("v"), False, 4):
                    spans.append(m.span("v"))
                    c.add_secret("password", m.group("v"))
    return spans.spans


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts = []
    last = 0
    for s, e in sorted(spans):
        if s < last:
            s = last
        parts.append(text[last:s])
        parts.append(" " * max(0, e - s))
        last = max(last, e)
    parts.append(text[last:])
    return "".join(parts)


def found_spans(text: str, c: Call) -> list[tuple[int, int]]:
    """Spans of already-found secret values inside `text` (one type per value)."""
    spans = []
    for s in c.secret_values:
        start = text.find(s)
        while start >= 0:
            spans.append((start, start + len(s)))
            start = text.find(s, start + len(s))
    return spans


def secrets_in(v: Vocab, value: Any) -> list[tuple[str, str]]:
    """(type, value as written) of each secret in a call's context or reasoning: `classify`
    reads `data` for secrets, so masking the whole stored payload asks here for the rest, with
    the same detectors (secret-named keys, then the text's shapes). Bounded like `classify`:
    each string's first SCAN_CAP characters, at most CALL_CAP in all."""
    c = Call(v)
    texts: list[str] = []
    _gather(c, value, None, texts, 0)
    if texts:
        detect_secrets(c, "\n".join(texts))
    return c.secret_found


def _gather(c: Call, obj: Any, key: Key | None, texts: list[str], depth: int) -> None:
    if depth > 40:
        return
    if isinstance(obj, dict):
        for name, val in obj.items():
            _gather(c, val, key_of(c.v, str(name)[:KEY_CAP]), texts, depth + 1)
    elif isinstance(obj, list | tuple):
        for val in obj:
            _gather(c, val, key, texts, depth + 1)
    elif isinstance(obj, str) and obj:
        value = obj[: min(SCAN_CAP, c.budget)]
        if not value:
            return
        c.budget -= len(value)
        if key is not None:
            field_secret(c, key, value)
        texts.append(value)
