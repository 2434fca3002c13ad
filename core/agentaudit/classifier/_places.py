"""Where a call goes: a host or address inside the organisation, a well-known service, a public
drop (paste sites, personal mailboxes), or unknown; and whether it targets production.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier._ruleset import Vocab
from agentaudit.models import Policy

# split and matched per call: compiled once here (re's module functions look each up)
_DIGITS_AND_DOTS: Final = re.compile(r"[\d.]+")

_HOST_TOKENS: Final = re.compile(r"[A-Za-z0-9]+")

_TOKENS: Final = re.compile(r"[\w]+")
# The words of a CamelCase name: `BillingProdStack` -> Billing, Prod, Stack; `acmeProd` -> acme,
# Prod; `PRDCluster` -> PRD, Cluster.
_CAMEL_WORDS: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def dest_class(v: Vocab, dest: str, policy: Policy) -> str:
    """Where data goes: internal | known | drop | unknown (a URL, a host or an address)."""
    s = dest.strip().lower()
    if "@" in s and "://" not in s:
        dom = s.rsplit("@", 1)[1].strip(">").strip()
        if dom in policy.internal_domains or any(
            dom.endswith("." + x) for x in policy.internal_domains
        ):
            return "internal"
        if dom in v.personal_mail_domains or dom.split(".", 1)[0] in v.personal_mail_brands:
            return "drop"
        return "unknown" if policy.internal_domains else "known"
    host = s.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    host = host.rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host in policy.internal_domains or any(
        host.endswith("." + x) for x in policy.internal_domains
    ):
        return "internal"
    if policy.internal_repositories:
        where = repository(s)
        if any(where == r or where.startswith(r + "/") for r in policy.internal_repositories):
            return "internal"
        if any(r.split("/", 1)[0] == host for r in policy.internal_repositories):
            return "unknown"  # another account on a code host the organisation named
    return host_class(v, host, sending=True)


def repository(url: str) -> str:
    """`https://user@github.com/acme/app.git?x` -> `github.com/acme/app`: host and path."""
    s = url.strip().lower().split("://", 1)[-1]
    host, _, path = s.partition("/")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    path = path.split("?", 1)[0].split("#", 1)[0].rstrip("/").removesuffix(".git")
    return f"{host}/{path}" if path else host


def host_class(v: Vocab, host: str, sending: bool = False) -> str:
    """internal | drop | known | unknown. A documentation domain (`placeholder_hosts`) is known
    to read from and unknown to send data to (`sending`)."""
    h = host.lower()[:253].strip("[].")
    if not h:
        return "internal"
    if h == "localhost" or "." not in h or h.endswith(v.internal_host_suffixes):
        if "." not in h and ":" in h and d.outside_ip(h):
            return "unknown"
        return "internal"
    if _DIGITS_AND_DOTS.fullmatch(h) or ":" in h:
        return "unknown" if d.outside_ip(h) else "internal"
    parts = h.split(".")
    for i in range(len(parts) - 1):
        suffix = ".".join(parts[i:])
        if suffix in v.public_drop_hosts:
            return "drop"
        if suffix in v.known_hosts:
            return "known"
        if suffix in v.placeholder_hosts:
            return "unknown" if sending else "known"
    return "unknown"


def prod_tokens(v: Vocab, text: str) -> str | None:
    tokens = (
        d.ascii_runs(text, d.ASCII_ALNUM_BYTES) if text.isascii() else _HOST_TOKENS.findall(text)
    )
    for tok in tokens:
        if tok.lower() in v.production_words:
            return tok
    return None


def word_tokens_prod(v: Vocab, text: str) -> str | None:
    """Whole `\\w+` tokens split on hyphens, dots and slashes (never on `_`: production_ready).
    A token that lower-cases to a production word holds it in some case (see _worded)."""
    if not _worded(v.production_words, text):
        return None
    tokens = d.ascii_runs(text, d.WORD_BYTES) if text.isascii() else _TOKENS.findall(text)
    for tok in tokens:
        if tok.lower() in v.production_words:
            return tok
    for tok in tokens:
        if not tok.isupper() and not tok.islower() and "_" not in tok:
            for word in _CAMEL_WORDS.findall(tok):
                if word.lower() in v.production_words:
                    return tok
    return None


def _worded(words: Collection[str], text: str) -> bool:
    """Whether `text` may hold one of `words` (lower case) in some case: False only for ASCII
    text that holds none. In ASCII text, lower-casing is exact character by character; in other
    text, re.IGNORECASE and str.lower fold a few letters (KELVIN SIGN, LONG S) to ASCII ones."""
    if not text.isascii():
        return True
    low = text.lower()
    return any(w in low for w in words)
