"""Personal data in a call's text: identifiers and statements by `_freetext` (one reading, in
eight languages, each value checked by its structure or checksum where one exists), and the
cue-led types a structured record states (names, addresses, special categories) by `_detect`'s
cue tables.
"""

from __future__ import annotations

import re
from typing import Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier._freetext import find_pii
from agentaudit.classifier._payload import SPECIAL, Call
from agentaudit.classifier._pii_phones import recipient_phone


def recipient_phones(c: Call) -> None:
    """An SMS's or a call's recipient written as an international number is a phone, also in a
    range kept for fiction that the text's scan (valid numbers only) passes over."""
    for r in c.recipients[:8]:
        if r[:2].strip()[:1] == "+" and not c.phone_known(r) and recipient_phone(r):
            c.add_pii("phone", r.strip())


def cue_led_pii(c: Call, text: str, inert: bool) -> None:
    """Personal data a field's text states after a cue of `_detect`'s tables: names ("Name:
    Jane Doe"), street addresses, and (unless the call only reads) special categories written
    as a record ("Migraine with aura; GP signed off"), which need no sentence about a person.
    Identifiers (emails, cards, IBANs, phones, ids) are `free_text_pii`'s."""
    low = text.lower()
    triggers = [*(frozenset(d.letter_runs(low)) & d.ALL_CUE_WORDS), *d.ANY_CUE_SUB.present_in(low)]
    if not triggers:
        return
    announced: set[str] = set()  # the types whose trigger words (`CUE_TRIGGERS`) the text holds
    for t in triggers:
        announced |= d.CUE_TYPES_BY_TRIGGER[t]
    tables = (d.ID_CUES, d.SPECIAL_CUES) if not inert else (d.ID_CUES,)
    for table in tables:
        for typ, rx in table:
            if typ in c.pii or typ not in announced:
                continue
            cue_m = rx.search(text)
            if cue_m:
                c.add_pii(typ, cue_m.group(0))


# What a reasoning text is searched for: identifiers only (it is the agent's own text, and its
# cue words are about the task: "the customer's diagnosis" is not a statement about someone).
_IDENTIFIERS: Final = frozenset({"email", "phone", "credit_card", "iban", "ssn", "ip_address"})
_DIGIT_OR_AT: Final = re.compile(r"[0-9@]")


def _digit_or_at(text: str) -> bool:
    """`_DIGIT_OR_AT.search(text)`, in C for ASCII text (no regex step per character)."""
    if text.isascii():
        return d.ascii_count(text, b"0123456789@") > 0
    return _DIGIT_OR_AT.search(text) is not None


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
    if identifiers_only and not _digit_or_at(text):
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
