"""Values that can steer a later call: where a text or a call sends something.

An indicator is a normalised key, `<kind>:<value>`, so that a value planted one way and sent
another (`DE89 3704 …` and `DE893704…`, `Bob@Evil.com`, a URL with a query appended) still
meet. Kinds: `e` email, `h` host, `u` host + path, `i` IBAN, `a` account number, `p` phone,
`c` crypto address, `f` file path, `t` a name token (a user handle, a guest id).

The shapes and checksums are the classifier's (`EMAIL`, `URL`, `IBAN` + mod-97, `PHONE_INTL` +
libphonenumber); crypto addresses, account numbers and tokens are found here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from agentaudit.classifier._detect import EMAIL, IBAN, PHONE_INTL, iban_ok, phone_ok

# The classifier's URL pattern stops at the host; here the path counts too.
URL_FULL = re.compile(r"\b(?:https?|wss?|ftp|sftp)://[^\s<>\"'`)\]}]{1,2048}", re.I)
BTC = re.compile(r"\b(?:bc1[ac-hj-np-z02-9]{25,87}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b")
ETH = re.compile(r"\b0x[0-9a-fA-F]{40}\b")
ACCOUNT = re.compile(
    r"\b(?:account|acct|a/c|konto|compte|cuenta|conto)\s{0,3}(?:no\.?|number|nr\.?|#|n[°º])?"
    r"\s{0,3}[:#]?\s{0,3}(\d[\d -]{4,22}\d)\b",
    re.I,
)
PATH = re.compile(r"(?<![\w/:.])(?:~|/)[\w.-]*(?:/[\w.-]+)+")
TOKEN = re.compile(r"[\w@.+-]{3,64}")
_LETTERS_DIGITS = re.compile(r"[A-Za-z]{2,}\d{1,6}$")

MAX_TEXT = 65_536  # characters of one result read for indicators
MAX_TOKENS = 512  # tokens kept of one instruction-bearing result


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].strip(".").lower()
    return host[4:] if host.startswith("www.") else host


def url_keys(url: str) -> list[str]:
    """The keys a URL is known by: its host, and host + each leading part of its path, so a
    planted `https://x.io/collect` meets `https://x.io/collect/v2?d=…` but not `https://x.io/`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    host = _host(parts.netloc)
    if not host:
        return []
    keys = [f"h:{host}"]
    path = ""
    for seg in parts.path.lower().split("/"):
        if seg:
            path += "/" + seg
            keys.append(f"u:{host}{path}")
    return keys


def planted_url_key(url: str) -> str | None:
    """The one key a URL in content plants: the host alone when it has no path, else
    host + path (its most specific form)."""
    keys = url_keys(url.rstrip(".,;:!?"))
    return keys[-1] if keys else None


def _phone_key(raw: str) -> str | None:
    digits = "".join(ch for ch in raw if ch.isdigit())
    return f"p:{digits[-9:]}" if len(digits) >= 9 else None


def text_keys(text: str) -> Iterator[str]:
    """Every indicator in a text (a tool result, the user's request)."""
    text = text[:MAX_TEXT]
    if "@" in text:
        for m in EMAIL.finditer(text):
            yield "e:" + m.group().lower()
    if "://" in text:
        for m in URL_FULL.finditer(text):
            key = planted_url_key(m.group())
            if key:
                yield key
    for m in IBAN.finditer(text):
        if iban_ok(m.group()):
            yield "i:" + m.group().replace(" ", "")
    if "+" in text:
        for m in PHONE_INTL.finditer(text):
            if phone_ok(m.group()):
                key = _phone_key(m.group())
                if key:
                    yield key
    for m in BTC.finditer(text):
        if any(ch.isdigit() for ch in m.group()) and any(ch.isalpha() for ch in m.group()):
            yield "c:" + m.group()
    if "0x" in text:
        for m in ETH.finditer(text):
            yield "c:" + m.group().lower()
    for m in ACCOUNT.finditer(text):
        yield "a:" + re.sub(r"\D", "", m.group(1))
    if "/" in text:
        for m in PATH.finditer(text):
            if m.group().count("/") >= 2 or m.group().startswith("~"):
                yield "f:" + m.group().lower()
    for m in TOKEN.finditer(text):
        if _handle(m.group()):
            yield "t:" + m.group().lower()


def _handle(token: str) -> bool:
    """A handle: letters joined to letters or digits by _ or -, or letters then digits
    (guest_amy01, ext-ops, jdoe42). Plain words are not: they would match any text."""
    if "@" in token or "." in token:
        return False
    if "_" in token or "-" in token:
        return token[0].isalpha() and token[-1].isalnum()
    return _LETTERS_DIGITS.match(token) is not None


def tokens(text: str) -> Iterator[str]:
    """Every word-like token of an instruction-bearing text, so a name it plants (a guest id,
    a channel) is known even when it has no shape of its own."""
    for n, m in enumerate(TOKEN.finditer(text[:MAX_TEXT])):
        if n >= MAX_TOKENS:
            return
        yield "t:" + m.group().lower().strip(".-")


def value_keys(value: str) -> list[str]:
    """The keys of one destination value, as a call gives it (a field `to`, `iban`, `url`):
    more lenient than `text_keys`, since the field says what the value is."""
    v = value.strip()
    if not v or len(v) > 2048:
        return []
    if "://" in v:
        found = URL_FULL.search(v)
        return url_keys(found.group()) if found else []
    keys: list[str] = []
    if "@" in v:
        keys += ["e:" + m.group().lower() for m in EMAIL.finditer(v)]
        if keys:
            return keys
    compact = v.replace(" ", "")
    shaped = len(compact) >= 15 and compact[:2].isalpha() and compact[2:4].isdigit()
    if shaped and iban_ok(compact.upper()):
        return ["i:" + compact.upper()]
    if ETH.fullmatch(v):
        return ["c:" + v.lower()]
    if BTC.fullmatch(v):
        return ["c:" + v]
    if v[0] in "/~":
        return ["f:" + v.lower()]
    digits = "".join(ch for ch in v if ch.isdigit())
    if digits and len(digits) >= 6 and not any(ch.isalpha() for ch in v):
        keys = [f"a:{digits}"]
        phone = _phone_key(v)
        if phone and (v.startswith("+") or phone_ok("+" + digits)):
            keys.append(phone)
        return keys
    if "." in v and " " not in v and "/" not in v and v.count(".") >= 1 and v[-1].isalpha():
        keys.append("h:" + _host(v))  # a bare host name given as the target
    keys.append("t:" + v.lower())
    return keys


def command_keys(text: str) -> list[str]:
    """Destinations in a command or raw input: its URLs (every form), emails and hosts."""
    keys: list[str] = []
    if "://" in text:
        for m in URL_FULL.finditer(text):
            keys += url_keys(m.group())
    if "@" in text:
        keys += ["e:" + m.group().lower() for m in EMAIL.finditer(text)]
    return keys


def strings(
    value: Any, path: tuple[str, ...] = (), budget: list[int] | None = None
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path of field names, text) of each string in a JSON value, read up to a budget of
    items so that a huge result costs a bounded time."""
    if budget is None:
        budget = [4096]
    if budget[0] <= 0:
        return
    budget[0] -= 1
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, (*path, str(k)), budget)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, path, budget)
    elif isinstance(value, int | float) and not isinstance(value, bool) and path:
        yield path, str(value)
