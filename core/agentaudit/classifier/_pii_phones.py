"""Phone numbers in free text, through phonenumbers' `PhoneNumberMatcher`.

A candidate is a run of digits and separators (7-15 digits, extensions included), never a date,
an IPv4-shaped run, a piece of a timestamp, or a number right after "order", "invoice"… With a
country code it must be a valid number. Without one, a phone cue next to it ("Tel.", "Handy",
"appeler", "my number", "office") lets the matcher read it as a possible number in the caller's
region, the cue's language's region, then the cue file's `phone_regions`; with no cue, only the
caller's region is tried, for a valid number that is not a house number. The matcher, the
costliest step, runs only on candidates that passed the cheap checks, and its answers are cached.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from agentaudit.classifier._detect import shape_led
from agentaudit.classifier._pii_scan import CUE_AFTER, CUE_BEFORE, Scan

# A run of digits and phone separators.
PHONE_RUN: Final = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \t().\-/]{5,24}\d")
PHONE_EXT: Final = re.compile(r"\s{0,2}(?:x|ext\.?|extension|#)\s{0,2}\d{1,6}(?!\d)", re.IGNORECASE)
DATE_SHAPE: Final = re.compile(
    r"\d{1,2}([./-])\d{1,2}\1\d{2,4}$|\d{4}([./-])\d{1,2}\2\d{1,2}$|\d{1,2}:\d{2}"
)
IPV4_SHAPE: Final = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}$")


def find_phones(scan: Scan) -> None:
    """Phone numbers: see the module docstring."""
    text, cues = scan.plain, scan.cues
    # a run starts at most two characters before its first digit
    for m in shape_led(PHONE_RUN, text, scan.shape(), "0", 2):
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
        cue = scan.cue_near(cues.phone, start, end, CUE_BEFORE, CUE_AFTER)
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


_WORDS_AFTER: Final = re.compile(r"(?:\s{1,3}[^\W\d_][\w'’-]{0,30}\.?){1,4}")
_WORD_BEFORE: Final = re.compile(r"([^\W\d_]{2,12})\.?\s{1,3}$")


def _in_an_address(scan: Scan, m: re.Match[str]) -> bool:
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


def _regions(scan: Scan, start: int, end: int) -> list[str]:
    """Where a number without country code may be: the caller's region, the region of the
    language of the phone cue next to it, then the cue file's `phone_regions`."""
    out: list[str] = []
    if scan.region:
        out.append(scan.region)
    cues = scan.cues
    lo = max(0, start - CUE_BEFORE)
    for cs, ce in cues.phone.find(scan.low, scan.words, lo, min(len(scan.low), end + CUE_AFTER)):
        for lang in cues.phone.languages_of(scan.low[cs:ce]):
            region = cues.region_of_language.get(lang)
            if region is not None and region not in out:
                out.append(region)
    for region in cues.phone_regions:
        if region not in out:
            out.append(region)
    return out


def _match_phone(
    scan: Scan, start: int, end: int, international: bool, cue: bool
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


# A whole value written as an international number: `+`, then digits with the usual separators.
_INTERNATIONAL: Final = re.compile(r"\+[1-9][0-9 ().\-]{6,22}")


def recipient_phone(value: str) -> bool:
    """A message's recipient written as an international number (`+44 7700 900183`): a phone
    by its place, once it has a possible length for its country — also in a range kept for
    fiction or tests (Ofcom's 07700 900xxx, the US 555-01xx), which no carrier serves and
    `is_valid_number` refuses."""
    s = value.strip()
    if _INTERNATIONAL.fullmatch(s) is None:
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(s, None))
    except phonenumbers.NumberParseException:
        return False


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
