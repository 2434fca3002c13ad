"""Data-subject requests: which stored calls carry this person's identifier (GDPR Art. 15),
and erase them (Art. 17), without the store ever holding the identifier in clear.

At ingest every identifier the classifier found in a stored call (e-mail, phone, IBAN, card,
national id, …) is normalised — so that `Jane.Doe@Example.COM` and `jane.doe@example.com`, or
`030 1234567` and `+49 30 1234567`, are one value — and indexed as a keyed hash: HMAC-SHA256
under a key derived from the organisation's fingerprint key (store: `fingerprint_key`), which
never leaves the store. A search or an erasure hashes the value it is given the same way and
looks the hash up (store/subject_index.py); without the key a hash cannot be tested against
guesses, and it is not the key of the secrets' fingerprints, so the two cannot be linked.

Normalisation (the same at ingest and on request):
- email: trimmed, a `mailto:` dropped, lower-cased;
- phone: E.164 (`+49301234567`) through phonenumbers, numbers without a country code read in
  the policy's `pii_region`; a number phonenumbers cannot read: its digits (with a leading +);
- iban, credit_card, ssn, passport, national_id, drivers_license, date_of_birth: cue words
  before the value dropped (`passport no. X` is X), then letters and digits only, upper-cased;
- ip_address: the address's compressed form;
- person_name, address: case-folded, runs of spaces made one.
The special categories (health, religion, …) are statements about a person, not identifiers
of one: they are not indexed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, get_args

import phonenumbers

from agentaudit import models

if TYPE_CHECKING:
    from agentaudit.classifier import RuleSet
    from agentaudit.store.subject_index import SubjectIndex

SubjectType = Literal[
    "email",
    "phone",
    "credit_card",
    "iban",
    "ssn",
    "ip_address",
    "date_of_birth",
    "passport",
    "national_id",
    "drivers_license",
    "address",
    "person_name",
]
INDEXED_TYPES: frozenset[str] = frozenset(get_args(SubjectType))
HASH_HEX = 32  # 128 bits of the HMAC: no two values of one organisation share one
MIN_LENGTH = 3  # a shorter normalised value would match unrelated text
_KEY_LABEL = b"agentaudit subject index v1"

_NON_ALNUM = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D")
_EDGE_PUNCT = " \t\r\n\"'`<>()[]{},;:."


@functools.lru_cache(maxsize=64)
def subject_key(fingerprint_key: bytes) -> bytes:
    """The organisation's key for the subject index, derived from its fingerprint key (one
    key to keep, two uses that cannot be linked)."""
    return hmac.new(fingerprint_key, _KEY_LABEL, hashlib.sha256).digest()


def value_hash(key: bytes, normalised: str) -> str:
    """The keyed hash of a normalised value, as stored in the index."""
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()[:HASH_HEX]


def _email(value: str) -> str | None:
    text = value.strip().strip(_EDGE_PUNCT)
    if text.lower().startswith("mailto:"):
        text = text[7:].strip(_EDGE_PUNCT)
    return text.lower() if "@" in text else None


def _phone(value: str, region: str | None) -> str | None:
    text = value.strip().strip(_EDGE_PUNCT)
    try:
        number = phonenumbers.parse(text, region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = _NON_DIGIT.sub("", text)
    if len(digits) < 5:
        return None
    return ("+" + digits) if text.startswith("+") else digits


def _identifier(value: str) -> str | None:
    """Letters and digits, upper-cased, after the cue words a detector may have kept
    (`passport number 548219373`, `Born 1980-01-02`): tokens without a digit."""
    tokens = value.split()
    while tokens and not any(ch.isdigit() for ch in tokens[0]):
        tokens.pop(0)
    if not tokens:
        return None
    return _NON_ALNUM.sub("", "".join(tokens)).upper()


def _ip(value: str) -> str | None:
    try:
        return ipaddress.ip_address(value.strip().strip(_EDGE_PUNCT)).compressed
    except ValueError:
        return None


def _text(value: str) -> str | None:
    return _SPACES.sub(" ", value.strip(_EDGE_PUNCT).casefold()).strip() or None


def normalise(typ: str, value: str, region: str | None = None) -> str | None:
    """The canonical form of an identifier of type `typ`, or None when it has none (too
    short, or not of that type)."""
    if typ == "email":
        form = _email(value)
    elif typ == "phone":
        form = _phone(value, region)
    elif typ == "ip_address":
        form = _ip(value)
    elif typ in ("person_name", "address"):
        form = _text(value)
    else:
        form = _identifier(value)
    if form is None or len(form) < MIN_LENGTH:
        return None
    return form


def index_entries(
    fingerprint_key: bytes, found: Iterable[tuple[str, str]], region: str | None = None
) -> tuple[tuple[str, str], ...]:
    """(value hash, PII type) of each identifier found in a call, once each; `found` is the
    classifier's (type, value as written) list (`classify_and_find`)."""
    key = subject_key(fingerprint_key)
    entries: set[tuple[str, str]] = set()
    seen: set[tuple[str, str]] = set()
    for typ, value in found:
        if typ not in INDEXED_TYPES or (typ, value) in seen:
            continue
        seen.add((typ, value))
        form = normalise(typ, value, region)
        if form is not None:
            entries.add((value_hash(key, form), typ))
    return tuple(sorted(entries))


def forms_of(value: str, typ: str | None = None, region: str | None = None) -> list[str]:
    """Every normalised form a requested value may have been indexed under: the one of `typ`,
    or (no type given) the form of each type it can be read as."""
    if typ is not None:
        form = normalise(typ, value, region)
        return [] if form is None else [form]
    candidates = ["person_name"]
    if "@" in value:
        candidates.append("email")
    if any(ch.isdigit() for ch in value):
        candidates += ["phone", "iban", "ip_address"]
    forms = (normalise(t, value, region) for t in candidates)
    return sorted({f for f in forms if f is not None})


def search_hashes(
    fingerprint_key: bytes, value: str, typ: str | None = None, region: str | None = None
) -> list[str]:
    """The index hashes a request for `value` looks up (empty: it has no usable form)."""
    key = subject_key(fingerprint_key)
    return sorted({value_hash(key, f) for f in forms_of(value, typ, region)})


# -- requests on a store ---------------------------------------------------------------------


class NoUsableValue(ValueError):
    """The requested value has no normalised form (empty, too short, not of the given type)."""


@dataclass(frozen=True)
class SubjectEvent:
    """An event that carried the value: where in the trail, when, what, how it was found."""

    id: str
    seq: int
    created_at: datetime
    agent_id: str
    action: str
    pii_types: list[str]  # the types the value was found as in this event
    erased: bool  # its payload is erased already (the index row stays: docs/subjects.md)


@dataclass(frozen=True)
class SubjectPage:
    events: list[SubjectEvent]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class SubjectErasure:
    erased: int  # payloads erased now
    event_ids: list[str]  # their events, in seq order
    already_erased: int  # events that carried the value and were erased before
    records: list[str] = field(default_factory=list)  # ids of the chained erasure records


def _hashes(store: SubjectIndex, org_id: str, value: str, typ: str | None) -> list[str]:
    region = store.get_policy(org_id).pii_region
    hashes = search_hashes(store.fingerprint_key(org_id), value, typ, region)
    if not hashes:
        shown = f" as {typ}" if typ else ""
        raise NoUsableValue(f"the value cannot be read{shown}: too short or not of that type")
    return hashes


def search(
    store: SubjectIndex,
    org_id: str,
    value: str,
    typ: str | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> SubjectPage:
    """The organisation's events that carried `value`, oldest first (Art. 15)."""
    total, rows = store.find_subjects(org_id, _hashes(store, org_id, value, typ), limit, offset)
    return SubjectPage([SubjectEvent(**vars(r)) for r in rows], total, limit, offset)


def erase(
    store: SubjectIndex, org_id: str, value: str, typ: str | None = None, *, actor: str
) -> SubjectErasure:
    """Erase the payloads of every event that carried `value` (Art. 17), with chained
    erasure records naming `actor`; the value's index rows go with them. Again: a no-op."""
    done = store.erase_subjects(org_id, _hashes(store, org_id, value, typ), actor=actor)
    return SubjectErasure(len(done.event_ids), done.event_ids, done.already_erased, done.records)


def search_page(
    store: SubjectIndex,
    org_id: str,
    value: str,
    typ: str | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> models.SubjectPage:
    """`search` as the API answers it (REST, SDK, dashboard): a value that cannot be read is
    an empty page with `readable` false, not an error."""
    try:
        page = search(store, org_id, value, typ, limit=limit, offset=offset)
    except NoUsableValue:
        return models.SubjectPage(events=[], total=0, limit=limit, offset=offset, readable=False)
    return models.SubjectPage(
        events=[models.SubjectEvent(**vars(e)) for e in page.events],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        readable=True,
    )


def erase_result(
    store: SubjectIndex, org_id: str, value: str, typ: str | None = None, *, actor: str
) -> models.SubjectErasure:
    """`erase` as the API answers it (REST, SDK, dashboard); an unreadable value erases
    nothing and answers `readable` false."""
    try:
        done = erase(store, org_id, value, typ, actor=actor)
    except NoUsableValue:
        return models.SubjectErasure(
            erased=0, event_ids=[], already_erased=0, erasure_records=[], readable=False
        )
    return models.SubjectErasure(
        erased=done.erased,
        event_ids=done.event_ids,
        already_erased=done.already_erased,
        erasure_records=done.records,
        readable=True,
    )


@dataclass
class BackfillReport:
    checked: int = 0  # stored payloads classified
    added: int = 0  # index rows added (0 on a second run)


def backfill(
    store: SubjectIndex,
    org_id: str,
    *,
    rules: RuleSet | None = None,
    batch: int = 500,
    after_seq: int = 0,
) -> BackfillReport:
    """Index the identifiers of payloads stored before the index existed (or by a store that
    did not write it): each stored, unerased call is classified again with the organisation's
    policy, `batch` at a time; rows already there are left as they are, so a second run adds
    nothing."""
    from agentaudit.classifier import classify_and_find

    policy = store.get_policy(org_id)
    fp_key = store.fingerprint_key(org_id)
    report = BackfillReport()
    while True:
        payloads = store.payloads_to_index(org_id, after_seq, batch)
        if not payloads:
            return report
        rows: list[tuple[str, str, int]] = []
        for seq, e in payloads:
            _, found = classify_and_find(
                e.agent_id, e.action, e.data, e.context, e.reasoning, policy=policy, rules=rules
            )
            rows += [(h, t, seq) for h, t in index_entries(fp_key, found, policy.pii_region)]
        report.checked += len(payloads)
        report.added += store.add_subjects(org_id, rows)
        after_seq = payloads[-1][0]
