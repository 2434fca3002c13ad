"""Personal data in a call's text: e-mail addresses, IBANs, cards, SSNs, public IPs, phone
numbers, national ids, and the cue-led types (dates of birth, names, addresses, special
categories), each checked by its structure or checksum where one exists.
"""

from __future__ import annotations

import re

from agentaudit.classifier import _detect as d
from agentaudit.classifier._freetext import find_pii
from agentaudit.classifier._payload import SPECIAL, Call, meet
from agentaudit.classifier._secrets import blank

# addresses of machines, not people (a cloud service account, a forge's commit address)
_MACHINE_DOMAINS = (".gserviceaccount.com", "users.noreply.github.com")

_IBAN_HINT = re.compile(r"[A-Z]{2}\d{2}")

_NON_DIGIT = re.compile(r"\D")


def detect_pii_text(c: Call, text: str, numeric: str, inert: bool, with_cues: bool) -> None:
    v = c.v
    spans: list[tuple[int, int]] = []
    if "@" in text:
        for m in d.EMAIL.finditer(text):
            before = text[max(0, m.start() - 6) : m.start()]
            if before.endswith("://") or d.LOGIN_BEFORE.search(
                text, max(0, m.start() - 48), m.start()
            ):
                continue
            local, _, domain = m.group(0).lower().partition("@")
            if local in ("git", "noreply", "no-reply") or domain.endswith(_MACHINE_DOMAINS):
                continue
            c.add_pii("email", m.group(0))
    # IBANs and DNIs need an ASCII capital; islower() is true only where no capital occurs
    capitals = not numeric.islower()
    if capitals and _IBAN_HINT.search(numeric):
        for m in d.IBAN.finditer(numeric):
            if d.iban_ok(m.group(0)):
                c.add_pii("iban", m.group(0))
                spans.append(m.span())
    if spans:
        numeric = blank(numeric, spans)
    cands = [m.group(0) for m in d.NUMSEQ.finditer(numeric)]
    low = text.lower()
    words = frozenset(d.letter_runs(low))
    if cands:
        cue_card = "card" in low or "visa" in low or "master" in low or "amex" in low
        for cand in cands:
            for m in d.CARD.finditer(cand):
                digits = _NON_DIGIT.sub("", m.group(0))
                if d.card_ok(digits, cue_card):
                    c.add_pii("credit_card", m.group(0))
            if "-" in cand:
                for m in d.SSN.finditer(cand):
                    if d.ssn_ok(*m.groups()):
                        c.add_pii("ssn", m.group(0))
            if "." in cand:
                for m in d.IPV4.finditer(cand):
                    ip = m.group(0)
                    if ip not in v.infrastructure_ips and d.public_ip(ip):
                        pos = numeric.find(ip)
                        before = numeric[max(0, pos - 3) : pos]
                        if not (before.endswith("://") or before.endswith("@")):
                            c.add_pii("ip_address", ip)
        if "+" in numeric:
            for m in d.PHONE_INTL.finditer(numeric):
                if d.phone_ok(m.group(0)):
                    c.add_pii("phone", m.group(0))
        if "ssn" in words or "social" in words:
            for m in d.SSN_CUE.finditer(numeric):
                if d.ssn_ok(*m.groups()):
                    c.add_pii("ssn", m.group(0))
        if meet(words, d.PHONE_CUE_WORDS):
            for m in d.PHONE_CUE.finditer(numeric):
                digits = _NON_DIGIT.sub("", m.group(1))
                if 7 <= len(digits) <= 15:
                    c.add_pii("phone", m.group(1))
        if capitals and any(len(x) >= 8 for x in cands):
            for m in d.DNI.finditer(numeric):
                if d.dni_ok(*m.groups()):
                    c.add_pii("national_id", m.group(0))
    if with_cues and (meet(words, d.ALL_CUE_WORDS) or d.ANY_CUE_SUB.found_in(low)):
        tables = (d.ID_CUES, d.SPECIAL_CUES) if not inert else (d.ID_CUES,)
        for table in tables:
            for typ, rx in table:
                if typ in c.pii:
                    continue
                trig_words, trig_subs = d.CUE_TRIGGERS[typ]
                if not (meet(words, trig_words) or any(t in low for t in trig_subs)):
                    continue
                cue_m = rx.search(text)
                if cue_m:
                    c.add_pii(typ, cue_m.group(0))


# What a reasoning text is searched for: identifiers only (it is the agent's own text, and its
# cue words are about the task: "the customer's diagnosis" is not a statement about someone).
_IDENTIFIERS = frozenset({"email", "phone", "credit_card", "iban", "ssn", "ip_address"})
_DIGIT_OR_AT = re.compile(r"[0-9@]")


def free_text_pii(
    c: Call,
    text: str,
    region: str | None,
    ner: bool,
    *,
    inert: bool,
    identifiers_only: bool = False,
) -> None:
    """Personal data in free text (`_freetext`): identifiers in eight languages, Art. 9
    statements about a person, and with `ner` (the `ner` extra) names and postal addresses."""
    if identifiers_only and _DIGIT_OR_AT.search(text) is None:
        return  # every identifier holds a digit or an "@"
    findings = find_pii(text, region)
    for f in findings:
        if identifiers_only and f.type not in _IDENTIFIERS:
            continue
        if inert and f.type in SPECIAL:
            continue  # a search about diabetes is not a statement about someone
        c.add_pii(f.type, f.value)
    if ner and not identifiers_only:
        from agentaudit.classifier._ner import find_names_and_addresses

        for f in find_names_and_addresses(text, findings):
            c.add_pii(f.type, f.value)
