"""Personal data in free text: emails, tickets, chat messages, notes, in eight EU languages.

Interface (what the engine calls; pure, no I/O after the first call loads the cue file)::

    find_pii(text: str, region: str | None = None, cues: PiiCues | None = None) -> list[Finding]

`Finding(type, start, end, value)`: `type` from DESIGN.md's vocabulary (`email`, `phone`,
`credit_card`, `iban`, `ssn`, `ip_address`, `date_of_birth`, `passport`, `national_id`,
`drivers_license` and the Art. 9 categories `health`, `biometric`, `genetic`, `religion`,
`ethnicity`, `sexual_orientation`, `political_opinion`, `trade_union`); `text[start:end] ==
value`. Findings are sorted by position and never overlap. `region` is the organisation's default
phone region (ISO 3166 alpha-2, e.g. "DE"): numbers written without a country code are read in
it first. `cues` defaults to `rules/pii_cues.yaml`. Names and postal addresses need a language
model: see `agentaudit.classifier._ner` (the `ner` extra).

How each type is found (the words are data, in `rules/pii_cues.yaml`):

- a value is checked by its rule wherever one exists: Luhn and issuer ranges for cards, mod 97
  for IBANs, allocation rules for SSNs, each country's check digit for national ids;
- a phone number is a digit run that phonenumbers' `PhoneNumberMatcher` accepts: written with a
  country code it must be a valid number; without one, a phone cue ("Tel.", "Handy", "appeler",
  "office") must stand next to it and it must be a possible number in the caller's region, the
  cue's language's region or one of `phone_regions`;
- dates of birth, passports, driver's licences and checksum-less national ids need their cue just
  before the value; strong national ids (DNI/NIE, codice fiscale, NINO, henkilötunnus) stand alone;
- a number right after a word such as "order", "invoice", "tracking", "version" is that and
  nothing else, unless a personal-data cue is closer;
- a special category is a statement ("diagnosed with", "member of the … union") in a sentence
  that refers to a person (a pronoun, a role, a name, or another identifier of this text).

Cost: every regex is linear in its input (no nested quantifier can backtrack; repetitions are
bounded), and each detector first checks something cheap (a character, or whether the text's
words meet its cue words) before scanning; the phone matcher runs only on candidates that passed
the cheap checks. The caller caps how much text one call scans.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier import _pii_ids as ids
from agentaudit.classifier._detect import LOGIN_BEFORE
from agentaudit.classifier._pii_cues import PiiCues, default_cues
from agentaudit.classifier._pii_phones import find_phones
from agentaudit.classifier._pii_scan import (
    STRUCTURED_TYPES,
    VETO_BEFORE,
    Finding,
    Scan,
    lower_same_length,
)
from agentaudit.classifier._pii_special import find_special_categories

# split and matched per call: compiled once here (re's module functions look each up)
_GROUP_SEPARATOR: Final = re.compile(r"[ -]")

__all__ = ["STRUCTURED_TYPES", "Finding", "find_pii", "lower_same_length"]

# ----------------------------------------------------------------------------- patterns
# All linear: character classes with bounded repetition, optional parts that start with a literal.

EMAIL: Final = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}(?![\w-]|[.\w-]{0,253}:[/~.$\w])"
)
IBAN: Final = re.compile(r"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
SSN: Final = re.compile(r"(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])")
# Digit runs with single spaces or hyphens between groups (cards; up to 40 digits so that
# longer runs, like tracking numbers, are seen whole and not cut into a card).
DIGIT_RUN: Final = re.compile(r"(?<![\d.,/])\d(?:[ -]?\d){11,40}")
IPV4: Final = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
IPV6: Final = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
DNI: Final = re.compile(r"(?<![\w-])(?:\d{8}|[XYZxyz]\d{7})[- ]?[A-Za-z](?![\w])")
CODICE_FISCALE: Final = re.compile(
    r"(?<!\w)[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}"
    r"[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?!\w)"
)
NINO: Final = re.compile(r"(?<!\w)[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?!\w)")
HETU: Final = re.compile(r"(?<!\w)\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y](?!\w)")
NUM_DATE: Final = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
ISO_DATE: Final = re.compile(r"(?<!\d)(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?!\d)")
# A value after an id cue: a token with a digit, then groups of the same id that hold a digit or
# are one letter ("AB 12 34 56 C", "12 150380 M 012").
_ID_TOKEN: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[./-](?=[A-Za-z0-9])){0,24}")
_ID_GROUP: Final = re.compile(r" (?:[A-Za-z0-9]{0,7}\d[A-Za-z0-9]{0,7}|[A-Za-z])(?![A-Za-z0-9])")
_FILLER: Final = re.compile(r"[\s:#=.,°º()\[\]-]{0,4}")
_NOT_ALNUM: Final = re.compile(r"[^A-Za-z0-9]")
_ANY_WORD: Final = re.compile(r"[^\W_]+")

# addresses of machines, not people: a cloud service account, a forge's commit address, a
# sender nobody reads
_MACHINE_DOMAINS: Final = (".gserviceaccount.com", "users.noreply.github.com")
_MACHINE_LOCALS: Final = frozenset({"git", "noreply", "no-reply"})
_SIX_DIGITS: Final = re.compile(r"\d\d ?\d\d ?\d\d")  # every strong national id holds such a run
_SIX_DIGIT_SHAPES: Final = (
    "000000",
    "00 0000",
    "0000 00",
    "00 00 00",
)  # its forms, in a text's shape
_ID_WINDOW: Final = 64
_ID_SKIP_WORDS: Final = 6  # "BSN van Nora van der Horst is 031965428"
_DOB_WINDOW: Final = 48
_DOB_BEFORE: Final = 32
_DOB_BEFORE_GAP: Final = 12
_CARD_CUE_ADJACENT: Final = 24


def find_pii(text: str, region: str | None = None, cues: PiiCues | None = None) -> list[Finding]:
    """Personal data in `text`, typed and located (see the module docstring)."""
    if len(text) < 4:
        return []
    scan = Scan(text, region.upper() if region else None, cues or default_cues())
    # Each detector needs some digits: count them once (in C) and skip what cannot match.
    digits = d.digit_count(text)
    if "@" in text:
        _emails(scan)
        scan.commit()
    if digits >= 1:
        # where a value can start, by the shape of the text (ASCII; None: the regexes alone)
        shape = scan.shape()
        if digits >= 6:
            _ibans(scan, shape)
            scan.commit()
        _cued_ids(scan)
        if digits >= 6 and _six_digits(text, shape):
            _strong_ids(scan, shape)
        if digits >= 9 and "-" in text:
            _ssns(scan, shape)
            scan.commit()
        if digits >= 12:
            _cards(scan)
            scan.commit()
        if digits >= 4:
            _dates_of_birth(scan)
            scan.commit()
            _ips(scan)
        if digits >= 7:
            find_phones(scan)
            scan.commit()
    if scan.maybe(scan.cues.special_gate):
        find_special_categories(scan)
    scan.commit()
    return scan.findings


# ----------------------------------------------------------------------------- identifiers


def _emails(scan: Scan) -> None:
    """Searched only around each "@" (64 characters before it, 320 after), so a long text with
    one "@" costs no more than a short one."""
    text = scan.plain
    at = text.find("@")
    while at >= 0:
        lo = max(0, at - 64)
        for m in EMAIL.finditer(text, lo, min(len(text), at + 320)):
            s = m.start()
            if not s < at < m.end():
                continue
            if (
                s > lo
                and (text[s - 1].isalnum() or text[s - 1] in "._%+-/")
                and not _url_path_segment(text, s)
            ):
                break  # inside a word
            if s > lo and text[s - 1] == ":" and _in_url(text, s - 1):
                break  # the credentials of a URL ("//user:pass@host"), not `user:eve@x.com`
            if s == lo and lo > 0 and (text[s - 1].isalnum() or text[s - 1] in "._%+-:/"):
                break  # the local part is longer than any address's
            if LOGIN_BEFORE.search(text, max(0, s - 48), s):
                break  # `ssh -i key.pem deploy@host`: a login, not an address
            local, _, domain = m.group(0).lower().partition("@")
            if local not in _MACHINE_LOCALS and not domain.endswith(_MACHINE_DOMAINS):
                scan.add("email", s, m.end())
            break
        at = text.find("@", at + 1)


def _url_path_segment(text: str, s: int) -> bool:
    """An address that is a segment of a URL's path (`…/v1/users/alice@acme.com/makeAdmin`),
    not its user (`https://bob@host`)."""
    if text[s - 1] != "/" or s < 2 or text[s - 2] == "/":
        return False
    before = text[max(0, s - 256) : s]
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    return "://" in word and word.count("/") >= 3


def _in_url(text: str, colon: int) -> bool:
    """Whether the word that ends at `colon` is the user of a URL (`https://bob:pw@host`), not
    a prefix of an address (`user:eve@x.com`, `mailto:eve@x.com`)."""
    before = text[max(0, colon - 64) : colon]
    words = before.split()
    return bool(words) and not before[-1].isspace() and "//" in words[-1]


def _six_digits(text: str, shape: str | None) -> bool:
    """`_SIX_DIGITS.search(text)`: its four forms in the shape (`scan.plain` differs from
    `text` only where `text` has an escaped newline, which holds no digit)."""
    if shape is None:
        return _SIX_DIGITS.search(text) is not None
    return any(form in shape for form in _SIX_DIGIT_SHAPES)


def _ibans(scan: Scan, shape: str | None) -> None:
    text = scan.plain
    for m in d.shape_led(IBAN, text, shape, "aa00", 0):
        s = m.start()
        if s > 0 and text[s - 1].isalnum():
            continue
        raw = m.group(0)
        compact = raw.replace(" ", "").upper()
        want = ids.IBAN_LENGTHS.get(compact[:2], 0)
        if want == 0 or len(compact) < want:
            continue
        # The run may go on past the IBAN ("... DE89 3704 0044 0532 0130 00 EUR"): cut to length.
        end, kept = s, 0
        while kept < want and end < m.end():
            if text[end] != " ":
                kept += 1
            end += 1
        if ids.iban_ok(compact[:want]):
            scan.add("iban", s, end)


def _compact(value: str) -> str:
    return _NOT_ALNUM.sub("", value).upper()


def _value_after(text: str, pos: int) -> tuple[int, int] | None:
    """The id-like value that follows a cue ending at `pos`: skip separators and a few short
    words ("number", "is", "n°", a name), take a token holding a digit and the short groups
    after it ("ZZ 98 25 97 T")."""
    limit = min(len(text), pos + _ID_WINDOW)
    skipped = 0
    while pos < limit and skipped <= _ID_SKIP_WORDS:
        m = _FILLER.match(text, pos, limit)
        if m:
            pos = m.end()
        t = _ID_TOKEN.match(text, pos, limit)
        if t is None:
            w = _ANY_WORD.match(text, pos, limit)  # a word with other letters ("Luís")
            if w is None or len(w.group(0)) > 12:
                return None
            skipped += 1
            pos = w.end()
            continue
        if d.DIGIT.search(t.group(0)):
            end = t.end()
            g = _ID_GROUP.match(text, end, limit)
            while g is not None and end - t.start() < 28:
                end = g.end()
                g = _ID_GROUP.match(text, end, limit)
            return t.start(), end
        if len(t.group(0)) > 12:
            return None
        skipped += 1
        pos = t.end()
    return None


def _candidates(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The whole value and, when it had trailing groups, its first token alone."""
    out = [(start, end)]
    first = text.find(" ", start, end)
    if first > 0:
        out.append((start, first))
    return out


def _cued_ids(scan: Scan) -> None:
    cues, text, low = scan.cues, scan.plain, scan.low
    for typ, cue_set in (
        ("ssn", cues.ssn),
        ("national_id", cues.national_id),
        ("passport", cues.passport),
        ("drivers_license", cues.drivers_license),
    ):
        if not scan.maybe(cue_set):
            continue
        unchecked = typ == "national_id" and scan.maybe(cues.national_id_unchecked)
        for cs, ce in cue_set.find(low, scan.words):
            span = _value_after(text, ce)
            if span is None:
                continue
            for vs, ve in _candidates(text, span[0], span[1]):
                compact = _compact(text[vs:ve])
                checked_cue = unchecked and _is_unchecked(scan, cs, ce)
                if _id_ok(typ, compact, checked_cue) and scan.add(typ, vs, ve):
                    break
        scan.commit()


def _is_unchecked(scan: Scan, cs: int, ce: int) -> bool:
    return any(
        s == cs for s, _e in scan.cues.national_id_unchecked.find(scan.low, scan.words, cs, ce)
    )


def _id_ok(typ: str, compact: str, unchecked_cue: bool) -> bool:
    n = len(compact)
    digits = sum(1 for c in compact if c.isdigit())
    if typ == "national_id":
        if ids.checked_national_id(compact) is not None:
            return True
        return unchecked_cue and 6 <= n <= 20 and digits >= 4
    if typ == "passport":
        return 6 <= n <= 10 and digits >= 1 and not _looks_like_year_or_date(compact)
    if typ == "drivers_license":
        return 5 <= n <= 20 and digits >= 3 and not _looks_like_year_or_date(compact)
    if typ == "ssn":
        return n == 9 and digits == 9 and ids.ssn_ok(compact[:3], compact[3:5], compact[5:])
    return False


def _looks_like_year_or_date(compact: str) -> bool:
    return compact.isdigit() and (
        len(compact) == 4 or (len(compact) == 8 and compact[:2] in "1920")
    )


def _strong_ids(scan: Scan, shape: str | None) -> None:
    text = scan.plain
    for rx, check, literal, before in (
        (DNI, ids.es_dni_ok, "0000000", 1),
        (CODICE_FISCALE, ids.it_cf_ok, "", 0),  # may hold no digit: a whole word of 16
        (NINO, ids.uk_nino_ok, "00", 3),
        (HETU, ids.fi_hetu_ok, "000000", 0),
    ):
        if literal:
            found = d.shape_led(rx, text, shape, literal, before)
        else:
            found = d.whole_words(rx, text, 16)
        for m in found:
            if check(_compact(m.group(0))):
                scan.add("national_id", m.start(), m.end())
        scan.commit()


def _ssns(scan: Scan, shape: str | None) -> None:
    for m in d.shape_led(SSN, scan.plain, shape, "000-00-0000", 0):
        if ids.ssn_ok(m.group(1), m.group(2), m.group(3)):
            scan.add("ssn", m.start(), m.end())


def _cards(scan: Scan) -> None:
    text, cues = scan.plain, scan.cues
    for m in d.shape_led(DIGIT_RUN, text, scan.shape(), "0", 0):  # a run starts with a digit
        run_start = m.start()
        groups: list[tuple[int, int]] = []  # (start, end) of each group of digits
        pos = run_start
        for part in _GROUP_SEPARATOR.split(m.group(0)):
            groups.append((pos, pos + len(part)))
            pos += len(part) + 1
        if run_start > 0 and text[run_start - 1] == "+":
            continue  # `+4915112345678`: a number in international format is a phone's
        cue = scan.cue_near(cues.credit_card, run_start, m.end(), 40, 0)
        if scan.vetoed(run_start, cue):
            continue
        count = 0
        best: tuple[int, int] | None = None
        for i, (_gs, ge) in enumerate(groups):
            count += ge - groups[i][0]
            if count > 19:
                break
            if count >= 12:
                digits = _NOT_ALNUM.sub("", text[run_start:ge])
                if ids.card_ok(digits, cue >= 0, 0 <= cue <= _CARD_CUE_ADJACENT):
                    best = (run_start, ge)
        if best is not None:
            scan.add("credit_card", best[0], best[1])


def _valid_date(day: int, month: int, year: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12 and (year < 100 or 1880 <= year <= 2100)


def _date_at(scan: Scan, start: int, end: int) -> tuple[int, int] | None:
    """The first date written in text[start:end] (numeric, ISO, or with a month name)."""
    text = scan.plain
    best: tuple[int, int] | None = None
    m = NUM_DATE.search(text, start, end)
    if m:
        a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if _valid_date(a, b, y) or _valid_date(b, a, y):
            best = m.span()
    m = ISO_DATE.search(text, start, end)
    if (
        m
        and _valid_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        and (best is None or m.start() < best[0])
    ):
        best = m.span()
    mm = scan.cues.months.search(text, start, end) if scan.has_month_word() else None
    if mm is not None and (best is None or mm.start() < best[0] + 8):
        worded = _worded_date(text, mm.start(), mm.end(), end)
        if worded is not None and (best is None or worded[0] < best[0]):
            best = worded
    return best


_DAY_BEFORE: Final = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|º|\.)?\s{1,3}(?:de\s+|of\s+)?$", re.I)
_YEAR_AFTER: Final = re.compile(r"\.?,?\s{1,3}(?:de\s+)?(\d{4})(?!\d)", re.I)
_DAY_YEAR_AFTER: Final = re.compile(
    r"\.?\s{1,3}(\d{1,2})(?:st|nd|rd|th)?,?\s{1,3}(\d{4})(?!\d)", re.I
)


def _worded_date(text: str, ms: int, me: int, limit: int) -> tuple[int, int] | None:
    """ "12 March 1985", "12. März 1985", "12 de marzo de 1985", "March 12, 1985"."""
    if ms > 0 and text[ms - 1].isalpha() or me < len(text) and text[me].isalpha():
        return None
    before = _DAY_BEFORE.search(text, max(0, ms - 12), ms)
    after = _YEAR_AFTER.match(text, me, min(len(text), limit + 8))
    if before is not None and after is not None and 1 <= int(before.group(1)) <= 31:
        return before.start(), after.end()
    after2 = _DAY_YEAR_AFTER.match(text, me, min(len(text), limit + 12))
    if after2 is not None and 1 <= int(after2.group(1)) <= 31:
        return ms, after2.end()
    return None


def _dates_of_birth(scan: Scan) -> None:
    cues = scan.cues.date_of_birth
    if not scan.maybe(cues):
        return
    for cs, ce in cues.find(scan.low, scan.words):
        span = _date_at(scan, ce, min(len(scan.plain), ce + _DOB_WINDOW))
        if span is None:  # "ist am 2. Juli 1947 geboren": the cue after the date
            span = _date_at(scan, max(0, cs - _DOB_BEFORE), cs)
            if span is not None and cs - span[1] > _DOB_BEFORE_GAP:
                span = None
        if span is not None:
            scan.add("date_of_birth", span[0], span[1])


def _ips(scan: Scan) -> None:
    text = scan.plain
    if text.count(".") >= 3:  # an address has three
        for m in d.literal_led(IPV4, text, text, (".",), 3):  # its first dot: 1 to 3 in
            # a dotted quad is an address unless a word right before it says what else it
            # is ("version 2.4.1.0"); an order or a ticket named earlier does not make it one
            s = m.start()
            veto = scan.cue_near(scan.cues.not_personal, s, s, VETO_BEFORE, 0)
            if _public_ip(m.group(0)) and not 0 <= veto <= 3:
                scan.add("ip_address", m.start(), m.end())
        scan.commit()
    if "::" in text or text.count(":") >= 3:
        for m in d.literal_led(IPV6, text, text, (":",), 4):  # its first colon: 0 to 4 in
            value = m.group(0)
            if value.count(":") >= 2 and _public_ip(value):
                scan.add("ip_address", m.start(), m.end())
        scan.commit()


def _public_ip(value: str) -> bool:
    """A global unicast address (private, loopback, link-local, documentation, reserved and
    multicast ranges are infrastructure, not people)."""
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast
