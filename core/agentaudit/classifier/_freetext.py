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
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from agentaudit.classifier import _pii_ids as ids
from agentaudit.classifier._pii_cues import CueSet, PiiCues, default_cues, words_of


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its type and where it is (`text[start:end] == value`)."""

    type: str
    start: int
    end: int
    value: str


STRUCTURED_TYPES: tuple[str, ...] = (
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
)

# ----------------------------------------------------------------------------- patterns
# All linear: character classes with bounded repetition, optional parts that start with a literal.

EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}(?![\w-])"
)
IBAN = re.compile(r"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
SSN = re.compile(r"(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])")
# Digit runs with single spaces or hyphens between groups (cards; up to 40 digits so that
# longer runs, like tracking numbers, are seen whole and not cut into a card).
DIGIT_RUN = re.compile(r"(?<![\d.,/])\d(?:[ -]?\d){11,40}")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
# A run of digits and phone separators.
PHONE_RUN = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \t().\-/]{5,24}\d")
PHONE_EXT = re.compile(r"\s{0,2}(?:x|ext\.?|extension|#)\s{0,2}\d{1,6}(?!\d)", re.IGNORECASE)
DATE_SHAPE = re.compile(
    r"\d{1,2}([./-])\d{1,2}\1\d{2,4}$|\d{4}([./-])\d{1,2}\2\d{1,2}$|\d{1,2}:\d{2}"
)
IPV4_SHAPE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}$")
DNI = re.compile(r"(?<![\w-])(?:\d{8}|[XYZxyz]\d{7})[- ]?[A-Za-z](?![\w])")
CODICE_FISCALE = re.compile(
    r"(?<!\w)[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}"
    r"[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?!\w)"
)
NINO = re.compile(r"(?<!\w)[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?!\w)")
HETU = re.compile(r"(?<!\w)\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y](?!\w)")
NUM_DATE = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?!\d)")
# A value after an id cue: a token with a digit, then groups of the same id that hold a digit or
# are one letter ("AB 12 34 56 C", "12 150380 M 012").
_ID_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[./-](?=[A-Za-z0-9])){0,24}")
_ID_GROUP = re.compile(r" (?:[A-Za-z0-9]{0,7}\d[A-Za-z0-9]{0,7}|[A-Za-z])(?![A-Za-z0-9])")
_FILLER = re.compile(r"[\s:#=.,°º()\[\]-]{0,4}")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
_ANY_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?]\s|\n|\\n")
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NAME_PARTICLES = frozenset(
    {"van", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "von", "le", "la"}
)

_DIGIT = re.compile(r"\d")
_SIX_DIGITS = re.compile(r"\d\d ?\d\d ?\d\d")  # every strong national id holds such a run
_ID_WINDOW = 64
_ID_SKIP_WORDS = 6  # "BSN van Nora van der Horst is 031965428"
_DOB_WINDOW = 48
_DOB_BEFORE = 32
_DOB_BEFORE_GAP = 12
_CUE_BEFORE = 40
_CUE_AFTER = 14
_VETO_BEFORE = 24
_CARD_CUE_ADJACENT = 24


# ----------------------------------------------------------------------------- the call


def lower_same_length(text: str) -> str:
    """`text.lower()`, except that a character whose lower case is longer ("İ") stays as it is,
    so that positions in the lower-cased copy are positions in `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class _Scan:
    """State of one `find_pii` call: the text, its lower-cased copy and words, what is taken."""

    __slots__ = (
        "about", "cues", "ends", "findings", "gates", "low", "plain", "region", "starts", "text",
        "words",
    )  # fmt: skip

    def __init__(self, text: str, region: str | None, cues: PiiCues) -> None:
        self.text = text
        # What the detectors read: an escaped newline ("Phone:\\n070 4493…", JSON written into
        # a string) as a real one, same length, so positions are positions in `text`.
        self.plain = text.replace("\\n", " \n") if "\\n" in text else text
        self.low = lower_same_length(self.plain)
        self.words = words_of(self.low)
        self.region = region
        self.cues = cues
        self.findings: list[Finding] = []  # by position; they never overlap
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.gates: dict[int, bool] = {}
        self.about: dict[tuple[int, int], bool] = {}  # sentence -> refers to a person

    def maybe(self, cue_set: CueSet) -> bool:
        """`cue_set.maybe_in(self.words)`, computed once per call and cue set."""
        key = id(cue_set)
        got = self.gates.get(key)
        if got is None:
            got = cue_set.maybe_in(self.words)
            self.gates[key] = got
        return got

    def has_month_word(self) -> bool:
        got = self.gates.get(0)
        if got is None:
            got = not self.words.isdisjoint(self.cues.month_words)
            self.gates[0] = got
        return got

    def free(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # findings starting before `end`…
        return i == 0 or self.ends[i - 1] <= start  # …the last of which ends by `start`

    def add(self, typ: str, start: int, end: int) -> bool:
        if start >= end or not self.free(start, end):
            return False
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.findings.insert(i, Finding(typ, start, end, self.text[start:end]))
        return True

    def identifier_within(self, start: int, end: int) -> bool:
        """Whether an identifier (not an Art. 9 statement) overlaps text[start:end]."""
        i = bisect_left(self.starts, end)
        while i > 0:
            i -= 1
            f = self.findings[i]
            if f.end <= start:
                break
            if f.type in STRUCTURED_TYPES:
                return True
        return False

    def cue_near(self, cues: CueSet, start: int, end: int, before: int, after: int) -> int:
        """Distance in characters from the nearest cue of `cues` to [start, end); -1 if none
        ends within `before` characters before it or starts within `after` after it."""
        if not self.maybe(cues):
            return -1
        best = -1
        lo = max(0, start - before)
        for _s, e in cues.find(self.low, self.words, lo, start):
            d = start - e
            if d >= 0 and (best < 0 or d < best):
                best = d
        if after > 0:
            for s, _e in cues.find(self.low, self.words, end, min(len(self.low), end + after)):
                d = s - end
                if d >= 0 and (best < 0 or d < best):
                    best = d
        return best

    def vetoed(self, start: int, positive: int) -> bool:
        """A not-personal cue ("order", "version") right before `start`, closer than the
        nearest positive cue (`positive`: its distance, -1 for none)."""
        veto = self.cue_near(self.cues.not_personal, start, start, _VETO_BEFORE, 0)
        return veto >= 0 and (positive < 0 or veto < positive)


def find_pii(text: str, region: str | None = None, cues: PiiCues | None = None) -> list[Finding]:
    """Personal data in `text`, typed and located (see the module docstring)."""
    if len(text) < 4:
        return []
    scan = _Scan(text, region.upper() if region else None, cues or default_cues())
    # Each detector needs some digits: count them once (in C) and skip what cannot match.
    digits = len(_DIGIT.findall(text))
    if "@" in text:
        _emails(scan)
    if digits >= 1:
        if digits >= 6:
            _ibans(scan)
        _cued_ids(scan)
        if digits >= 6 and _SIX_DIGITS.search(text) is not None:
            _strong_ids(scan)
        if digits >= 9 and "-" in text:
            _ssns(scan)
        if digits >= 12:
            _cards(scan)
        if digits >= 4:
            _dates_of_birth(scan)
            _ips(scan)
        if digits >= 7:
            _phones(scan)
    if scan.maybe(scan.cues.special_gate):
        _special_categories(scan)
    return scan.findings


# ----------------------------------------------------------------------------- identifiers


def _emails(scan: _Scan) -> None:
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
            if s > lo and (text[s - 1].isalnum() or text[s - 1] in "._%+-:/"):
                break  # inside a word, or the credentials of a URL ("//user:pass@host")
            if s == lo and lo > 0 and (text[s - 1].isalnum() or text[s - 1] in "._%+-:/"):
                break  # the local part is longer than any address's
            scan.add("email", s, m.end())
            break
        at = text.find("@", at + 1)


def _ibans(scan: _Scan) -> None:
    text = scan.plain
    for m in IBAN.finditer(text):
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
        if _DIGIT.search(t.group(0)):
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


def _cued_ids(scan: _Scan) -> None:
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


def _is_unchecked(scan: _Scan, cs: int, ce: int) -> bool:
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


def _strong_ids(scan: _Scan) -> None:
    text = scan.plain
    for rx, check in (
        (DNI, ids.es_dni_ok),
        (CODICE_FISCALE, ids.it_cf_ok),
        (NINO, ids.uk_nino_ok),
        (HETU, ids.fi_hetu_ok),
    ):
        for m in rx.finditer(text):
            if check(_compact(m.group(0))):
                scan.add("national_id", m.start(), m.end())


def _ssns(scan: _Scan) -> None:
    for m in SSN.finditer(scan.plain):
        if ids.ssn_ok(m.group(1), m.group(2), m.group(3)):
            scan.add("ssn", m.start(), m.end())


def _cards(scan: _Scan) -> None:
    text, cues = scan.plain, scan.cues
    for m in DIGIT_RUN.finditer(text):
        run_start = m.start()
        groups: list[tuple[int, int]] = []  # (start, end) of each group of digits
        pos = run_start
        for part in re.split(r"[ -]", m.group(0)):
            groups.append((pos, pos + len(part)))
            pos += len(part) + 1
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


def _date_at(scan: _Scan, start: int, end: int) -> tuple[int, int] | None:
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


_DAY_BEFORE = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|º|\.)?\s{1,3}(?:de\s+|of\s+)?$", re.I)
_YEAR_AFTER = re.compile(r"\.?,?\s{1,3}(?:de\s+)?(\d{4})(?!\d)", re.I)
_DAY_YEAR_AFTER = re.compile(r"\.?\s{1,3}(\d{1,2})(?:st|nd|rd|th)?,?\s{1,3}(\d{4})(?!\d)", re.I)


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


def _dates_of_birth(scan: _Scan) -> None:
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


def _ips(scan: _Scan) -> None:
    text = scan.plain
    if "." in text:
        for m in IPV4.finditer(text):
            if _public_ip(m.group(0)) and not scan.vetoed(m.start(), -1):
                scan.add("ip_address", m.start(), m.end())
    if "::" in text or text.count(":") >= 3:
        for m in IPV6.finditer(text):
            value = m.group(0)
            if value.count(":") >= 2 and _public_ip(value):
                scan.add("ip_address", m.start(), m.end())


def _public_ip(value: str) -> bool:
    """A global unicast address (private, loopback, link-local, documentation, reserved and
    multicast ranges are infrastructure, not people)."""
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast


# ----------------------------------------------------------------------------- phones


def _phones(scan: _Scan) -> None:
    text, cues = scan.plain, scan.cues
    for m in PHONE_RUN.finditer(text):
        start, end = m.start(), m.end()
        raw = m.group(0)
        ext = PHONE_EXT.match(text, end)
        if ext is not None:
            end = ext.end()
        digits = sum(1 for c in raw if c.isdigit())
        if not 7 <= digits <= 15 or not scan.free(start, end):
            continue
        if DATE_SHAPE.match(raw) or IPV4_SHAPE.match(raw) or _in_a_timestamp(text, start, end):
            continue
        cue = scan.cue_near(cues.phone, start, end, _CUE_BEFORE, _CUE_AFTER)
        if scan.vetoed(start, cue):
            continue
        international = raw.startswith("+") or raw.startswith("00")
        if cue < 0 and not international and (scan.region is None or _in_an_address(scan, m)):
            continue
        span = _match_phone(scan, start, end, international, cue >= 0)
        if span is not None:
            scan.add("phone", span[0], span[1])


def _in_a_timestamp(text: str, start: int, end: int) -> bool:
    """A run glued to a time or a decimal ("2022-06-18 18:24:50", ":47.384982")."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] in ":." and before[0].isdigit()) or (
        len(after) == 2 and after[0] in ":." and after[1].isdigit()
    )


_WORDS_AFTER = re.compile(r"(?:\s{1,3}[^\W\d_][\w'’-]{0,30}\.?){1,4}")
_WORD_BEFORE = re.compile(r"([^\W\d_]{2,12})\.?\s{1,3}$")


def _in_an_address(scan: _Scan, m: re.Match[str]) -> bool:
    """Numbers without a phone cue that belong to an address: a street word follows within four
    words ("0681 213 Endeavour Lane", "0985 108 Rue Talleyrand"), or a unit word comes right
    before ("Apt. 086 14790")."""
    a = scan.cues.address
    after = _WORDS_AFTER.match(scan.low, m.end())
    if after is not None:
        for word in after.group(0).split():
            bare = word.rstrip(".")
            if bare in a.street_after or bare in a.street_before or word in a.street_before:
                return True
    before = _WORD_BEFORE.search(scan.low, max(0, m.start() - 16), m.start())
    return before is not None and (before.group(1) in a.unit or before.group(1) + "." in a.unit)


def _regions(scan: _Scan, start: int, end: int) -> list[str]:
    """Where a number without country code may be: the caller's region, the region of the
    language of the phone cue next to it, then the cue file's `phone_regions`."""
    out: list[str] = []
    if scan.region:
        out.append(scan.region)
    cues = scan.cues
    lo = max(0, start - _CUE_BEFORE)
    for cs, ce in cues.phone.find(scan.low, scan.words, lo, min(len(scan.low), end + _CUE_AFTER)):
        for lang in cues.phone.languages_of(scan.low[cs:ce]):
            region = cues.region_of_language.get(lang)
            if region is not None and region not in out:
                out.append(region)
    for region in cues.phone_regions:
        if region not in out:
            out.append(region)
    return out


def _match_phone(
    scan: _Scan, start: int, end: int, international: bool, cue: bool
) -> tuple[int, int] | None:
    snippet = scan.plain[start:end]
    if international:
        regions = [scan.region or "DE"]  # the region only matters for a leading 00
    elif cue:
        regions = _regions(scan, start, end)
    else:
        regions = [scan.region] if scan.region else []
    for region in regions:
        found = _matcher(snippet, region, cue)
        if found is not None:
            return start + found[0], start + found[1]
    return None


@lru_cache(maxsize=4096)
def _matcher(snippet: str, region: str, cue: bool) -> tuple[int, int] | None:
    """Where phonenumbers' matcher finds a number covering `snippet` read in `region`: valid
    without a cue, possible with one. Cached: the matcher is the costliest step here."""
    leniency = Leniency.POSSIBLE if cue else Leniency.VALID
    need = sum(1 for c in snippet if c.isdigit()) - 2  # the match must cover the number
    for pm in PhoneNumberMatcher(snippet, region, leniency=leniency, max_tries=4):
        got = sum(1 for c in pm.raw_string if c.isdigit())
        if got >= need and (cue or phonenumbers.is_valid_number(pm.number)):
            return pm.start, pm.end
    return None


# ----------------------------------------------------------------------------- Art. 9


def _special_categories(scan: _Scan) -> None:
    low = scan.low
    for cat in scan.cues.special:
        spans: list[tuple[int, int]] = []
        if scan.maybe(cat.terms):
            spans.extend(cat.terms.find(low, scan.words))
        pairs = cat.pairs
        if pairs is not None and scan.maybe(pairs.lead) and scan.maybe(pairs.obj):
            for ls, le in pairs.lead.find(low, scan.words):
                limit = _after_words(low, le, pairs.gap)
                for _os, oe in pairs.obj.find(low, scan.words, le, limit):
                    spans.append((ls, oe))
                    break
        for s, e in sorted(spans):
            if scan.free(s, e) and not _in_a_name(scan.plain, s, e) and _about_a_person(scan, s, e):
                scan.add(cat.type, s, e)


def _in_a_name(text: str, start: int, end: int) -> bool:
    """A capitalised term followed by another capitalised word is part of a name ("Christian
    Nobbs"), not a statement."""
    if not text[start].isupper():
        return False
    m = _NAME_TOKEN.match(text, end + 1) if end + 1 < len(text) and text[end] == " " else None
    return m is not None and m.group(0)[0].isupper()


def _after_words(low: str, pos: int, n: int) -> int:
    """The position `n` words (plus the next word itself) after `pos`."""
    end = min(len(low), pos + 16 * (n + 1))
    count = 0
    i = pos
    while i < end:
        while i < end and not low[i].isalnum():
            i += 1
        while i < end and low[i].isalnum():
            i += 1
        count += 1
        if count > n + 1:
            return i
    return end


def _sentence(scan: _Scan, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], at most 240 characters either side."""
    text = scan.plain
    lo = max(0, start - 240)
    s = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        if not _abbreviation_before(text, m.start()):
            s = m.end()
    e = min(len(text), end + 240)
    for m in _SENTENCE_END.finditer(text, end, e):
        if not _abbreviation_before(text, m.start()):
            e = m.start()
            break
    return s, e


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the "." at `dot` closes an abbreviation ("Prof.", "B.Sc.", "MBA.", "Dr.")."""
    if text[dot] != ".":
        return False
    i = dot
    while i > 0 and dot - i < 12 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot]
    letters = word.replace(".", "")
    return 0 < len(letters) <= 3 or "." in word or (len(letters) > 1 and letters.isupper())


def _about_a_person(scan: _Scan, start: int, end: int) -> bool:
    """Whether the sentence holding text[start:end] refers to an identifiable person: another
    identifier, a person word (pronoun, role, title), or a name (two capitalised words)."""
    s, e = _sentence(scan, start, end)
    key = (s, e)
    known = scan.about.get(key)
    if known is None:
        known = _identifier_or_person_word(scan, s, e)
        scan.about[key] = known
    return known or _has_name(scan, s, e, start, end)


def _identifier_or_person_word(scan: _Scan, s: int, e: int) -> bool:
    if scan.identifier_within(s, e):
        return True
    refs = scan.cues.person_refs
    return scan.maybe(refs) and len(refs.find(scan.low, scan.words, s, e, first=True)) > 0


def _has_name(scan: _Scan, s: int, e: int, term_start: int, term_end: int) -> bool:
    """Two capitalised words in a row in text[s:e], neither inside the term itself (German
    capitalises "Diabetes") nor a sentence opener ("Unsere", "The")."""
    not_names = scan.cues.not_names
    prev_cap: str | None = None
    prev_end = -10
    for m in _NAME_TOKEN.finditer(scan.plain, s, e):
        if m.start() < term_end and term_start < m.end():
            prev_cap = None
            continue
        word = m.group(0)
        low = word.lower()
        cap = word[0].isupper() and not word.isupper()
        adjacent = m.start() - prev_end <= 1
        if prev_cap is not None and adjacent and low in _NAME_PARTICLES:
            prev_end = m.end()
            continue
        if cap and prev_cap is not None and adjacent and low not in not_names:
            return True
        prev_cap = word if cap and low not in not_names else None
        prev_end = m.end()
    return False
