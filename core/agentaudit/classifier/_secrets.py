"""Secret values in a call's text: private keys, credentialed connection strings and URLs,
vendor API keys, tokens, `password = …` pairs. Each found value is recorded once, with its span,
so PII detection does not read it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier._payload import KEY_CAP, SCAN_CAP, Call, Key, field_secret, key_of
from agentaudit.classifier._ruleset import Vocab

# split and matched per call: compiled once here (re's module functions look each up)
_NAME_PARTS: Final = re.compile(r"[-_.]")


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

    def cover(self, a: int, b: int) -> None:
        """Mark text as read without calling it a secret (a placeholder of a masked one)."""
        self.covered[a:b] = b"\x01" * (b - a)

    def add_matches(
        self, c: Call, rx: re.Pattern[str], text: str, typ: str, group: int = 0
    ) -> None:
        """Each match of `rx` (its `group`) not already taken is a secret of type `typ`."""
        for m in rx.finditer(text):
            if not self.taken(*m.span(group)):
                self.append(m.span(group))
                c.add_secret(typ, m.group(group))


def detect_secrets(c: Call, text: str) -> list[tuple[int, int]]:
    """Structural secret detection over the joined text; returns spans to hide from PII scans."""
    spans = _Spans(len(text))
    taken = spans.taken
    if "[SECRET:" in text or "[REDACTED:" in text:
        # what masking or redaction left (`[SECRET:api_key:1a2b3c4d]`) is never read as a
        # secret again: not as a value, not as the `key: value` pair it looks like inside
        for ph in d.MASKED_FORM.finditer(text):
            spans.cover(*ph.span())

    if "PRIVATE KEY" in text:
        pos = 0
        next_end = -2  # where the next "-----END " is from the last search on (-1: none left)
        while True:
            m = d.PEM_HEADER.search(text, pos)
            if m is None:
                break
            end = m.end()
            if next_end != -1 and next_end < end:  # each part of the text searched once
                next_end = text.find("-----END ", end)
            close = next_end if 0 <= next_end <= end + d.PEM_MAX - 9 else -1
            if close >= 0:
                tail = text.find("-----", close + 9, close + 64)
                end = tail + 5 if tail >= 0 else close + 9
            pos = end
            if close >= 0 and not d.MASKED_FORM.sub("", text[m.end() : close]).strip():
                continue  # its body was masked line by line: the header and end lines remain
            spans.append((m.start(), end))
            c.add_secret("private_key", text[m.start() : end])
    # each regex only where its literal parts occur ("://" and the "@" after the password for
    # URLs with credentials, "=" and ";" for ADO.NET)
    url_creds = "://" in text and "@" in text
    if url_creds:
        for m in d.DB_URL.finditer(text):
            if taken(*m.span()):
                continue
            spans.append(m.span())
            c.add_secret("db_connection_string", m.group(0))
    if "=" in text and ";" in text:
        spans.add_matches(c, d.ADO_CONN, text, "db_connection_string")
    if url_creds:
        spans.add_matches(c, d.URL_CREDS, text, "password")
    tokens = d.long_tokens(text)
    # the prefixes the candidates hold (none holds a space: joined, each stays in its token)
    prefixes = d.ANY_VENDOR_PREFIX.present_in(" ".join(t for _, t in tokens)) if tokens else ()
    for start, cand in tokens if prefixes else ():
        if not any(p in cand for p in prefixes):
            continue
        for m in d.VENDOR_KEY.finditer(cand):
            if m.start() and cand[m.start() - 1].isalnum():
                continue
            span = (start + m.start(), start + m.end())
            if not taken(*span):
                spans.append(span)
                c.add_secret("api_key", m.group(0))
    if ":AA" in text:
        spans.add_matches(c, d.BOT_TOKEN, text, "api_key")
    if "hooks.slack.com/" in text or "/api/webhooks/" in text:
        spans.add_matches(c, d.WEBHOOK_URL, text, "access_token")
    if "eyJ" in text or "earer" in text or "ya29." in text or "oken " in text:
        for rx in (d.JWT, d.BEARER, d.GOOGLE_TOKEN):
            spans.add_matches(c, rx, text, "access_token")
    if "asic " in text:
        spans.add_matches(c, d.BASIC, text, "access_token")
    low = text.lower()
    if "sig" in low and "://" in text:
        spans.add_matches(c, d.URL_SIGNATURE, text, "access_token", group=1)
    kv: Iterable[re.Match[str]] = ()
    if d.ANY_SECRET_WORD.found_in(low):
        # each match starts with a secret word (ASCII: `low` is `text` lower-cased, in place)
        kv = (
            d.literal_led(d.KEY_VALUE, text, low, d.SECRET_WORDS, 0)
            if text.isascii()
            else d.KEY_VALUE.finditer(text)
        )
    for m in kv:
        # `credentials: AWS_SECRET_ACCESS_KEY=…`, `secret: API_KEY=${API_KEY}`: a value that is
        # itself a pair is read as that pair (one level deep, inside that value only); so is a
        # pair inside a value its own key did not take
        vs, ve = m.span("sv" if m.start("sv") >= 0 else "v")
        nested = text.find("=", vs, ve) >= 0 or text.find(":", vs, ve) >= 0
        inner = list(d.KEY_VALUE.finditer(text, vs, ve)) if nested else []
        led = (bool(inner) and all(ch in d.KEY_CHARS for ch in text[vs : inner[0].start()])) or (
            nested and _ASSIGNMENT.match(text, vs, ve) is not None
        )
        if not led and _key_value(c, text, m, spans):
            continue
        for i in inner:
            _key_value(c, text, i, spans)
    if "pass" in low or "pw" in low or "kennwort" in low or "contrase" in low or "senha" in low:
        for m in d.PASSWORD_PROSE.finditer(text):
            if taken(m.start("v"), m.end("v")):
                continue
            if d.plausible_secret(m.group("v"), False, 4):
                spans.append(m.span("v"))
                c.add_secret("password", m.group("v"))
    if "machine" in low and "password" in low:  # a `.netrc`'s entries
        for m in d.NETRC_PASSWORD.finditer(text):
            if not taken(m.start("v"), m.end("v")) and d.plausible_secret(m.group("v"), False, 4):
                spans.append(m.span("v"))
                c.add_secret("password", m.group("v"))
    if text.count(":") >= 4 and "{" not in text and "//" not in text:  # a `.pgpass`'s lines
        for m in d.PGPASS_LINE.finditer(text):
            if not taken(m.start("v"), m.end("v")) and d.plausible_secret(m.group("v"), False, 4):
                spans.append(m.span("v"))
                c.add_secret("password", m.group("v"))
    if '"auth"' in text:  # a registry's login, `user:token` in base64
        for m in d.REGISTRY_AUTH.finditer(text):
            if not taken(m.start("v"), m.end("v")) and d.base64_credentials(m.group("v")):
                spans.append(m.span("v"))
                c.add_secret("password", m.group("v"))
    if "password '" in low or "identified by" in low:
        for m in d.SQL_PASSWORD.finditer(text):
            if not taken(m.start("v"), m.end("v")) and d.plausible_secret(m.group("v"), True, 4):
                spans.append(m.span("v"))
                c.add_secret("password", m.group("v"))
    if "-" in text and d.ANY_CLI_PROGRAM.found_in(low):  # each of its flags starts with "-"
        for m in d.CLI_PASSWORD.finditer(text):
            value = m.group("v")
            if taken(m.start("v"), m.end("v")) or value.isdigit():
                continue  # a port (`-p 8080`), not a password
            if d.plausible_secret(value, False, 4):
                spans.append(m.span("v"))
                c.add_secret("password", value)
    return spans.spans


def _key_value(c: Call, text: str, m: re.Match[str], spans: _Spans) -> bool:
    """One `key: value` / `key=value` match: the value kept as the secret its key names, when it
    reads as one. True when it was taken."""
    taken = spans.taken
    spaced = m.start("sv") >= 0
    vg = "sv" if spaced else "v"
    vs, ve = m.span(vg)
    value = text[vs:ve]
    quote = m.group("sq" if spaced else "q")
    if quote and quote[0] == "\\" and value.endswith("\\"):
        value = value[:-1]  # `\"…\"`: a quote escaped inside a JSON string
        ve -= 1
    if not spaced and "&" in value:
        nxt = d.NEXT_PARAM.search(value)
        if nxt is not None:  # a query string or form body: the next parameter is not it
            value = value[: nxt.start()]
            ve = vs + nxt.start()
    start = m.start()
    while start > 0 and text[start - 1] in d.KEY_CHARS and m.start() - start < 60:
        start -= 1
    if start > 0 and text[start - 1] == "$":
        return False  # a shell variable (`$PWD`), not a key with a value
    key_name = text[start : m.end("k")]
    if spaced and not _spaced_pair(key_name, value):
        return False
    if _names_a_secret(value):
        return False  # `--secret=stripe-key`, `secret_id: db-password`: which secret, not its value
    if taken(vs, ve):
        return False
    norm = "_".join(d.split_words(key_name))
    found, typ = d.suffix_lookup(norm, c.v.secret_fields)
    if not found or typ is None or typ == "db_connection_string":
        return False
    min_len = 4 if typ == "password" else 8
    if d.plausible_secret(value, bool(quote), min_len):
        spans.append((vs, ve))
        c.add_secret(typ, value)
        return True
    return False


# A value that starts as a variable's assignment (`AWS_SECRET_ACCESS_KEY=…`, `TOKEN=…`): the key
# before it is a label, the assignment is the pair (base64's `…==` has neither form).
_ASSIGNMENT: Final = re.compile(r"(?:[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*|[A-Z][A-Z0-9]{2,})=")


def _names_a_secret(value: str) -> bool:
    """A value that is the name of a secret (`stripe-key`, `prod_db_password`): words joined by
    separators, no digit, the last word a kind of secret."""
    if not _WORDISH.match(value) or any(ch.isdigit() for ch in value):
        return False
    return _NAME_PARTS.split(value.lower())[-1] in _SECRET_KINDS


_SECRET_KINDS: Final = frozenset({"key", "keys", "token", "tokens", "password", "passwd", "secret",
                           "secrets", "creds", "credentials", "apikey", "pat"})  # fmt: skip


def _spaced_pair(key_name: str, value: str) -> bool:
    """`<name> <value>` names a secret only on a command line or in a setting: the name is a
    flag (`--api-key`) or an identifier of several words (`aws_secret_access_key`,
    `npmAuthToken`), never a lone word of prose (`the password manager`); the value is not the
    next flag, not a file path (`--ssh-key ~/.ssh/id_ed25519`), and reads as random (a digit,
    a symbol, or length), not as a word (`grep api_key src/`)."""
    if not (key_name[:1] == "-" or len(d.split_words(key_name)) >= 2):
        return False
    if key_name[:1] != "-" and _WORDISH.match(value):
        return False  # prose naming a setting (`the client_secret rotation-2024 ticket`)
    return not _NOT_SPACED_VALUE.search(value) and bool(_RANDOMISH.search(value))


# A spaced value that is the next flag, a path, or a file name: not a secret.
_NOT_SPACED_VALUE: Final = re.compile(
    r"^(?:-|~|\.{0,2}/|[A-Za-z]:\\)|\.(?:pem|key|pub|crt|cer|p12|pfx|json|ya?ml|txt|env|"
    r"cfg|conf|ini|toml)$|[/:]$",
    re.I,
)
# Words joined by dashes with at most a short number at the end (`rotation-2024`, `q3-plan`):
# a name people gave, not a value a machine made.
_WORDISH: Final = re.compile(r"[A-Za-z]{2,}(?:[-_.][A-Za-z]{2,})*(?:[-_.]?[A-Za-z]?\d{1,4})?$")
_RANDOMISH: Final = re.compile(r"\d|[^\w.-]|^[\w.-]{20,}$")


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
