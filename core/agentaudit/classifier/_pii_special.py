"""GDPR Art. 9 special categories said about an identifiable person, in free text.

A statement is a term of its category ("diagnosed with", "krankgeschrieben", "de confession
juive") or a membership phrase ("member of … union", "Mitglied der Grünen"), from the cue file's
`special` section. It counts when its sentence refers to a person: another identifier of the
text, a pronoun, role or title (`person_refs`), or a name (two capitalised words, neither the
term itself nor a sentence opener). A term inside a name ("Christian Nobbs") is not a statement.
"""

from __future__ import annotations

import re
from typing import Final

from agentaudit.classifier._pii_scan import Scan

_SENTENCE_END: Final = re.compile(r"[.!?]\s|\n|\\n")
_NAME_TOKEN: Final = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NAME_PARTICLES: Final = frozenset(
    {"van", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "von", "le", "la"}
)


def find_special_categories(scan: Scan) -> None:
    """Art. 9 statements about a person: see the module docstring."""
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
        scan.commit()


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


def _sentence(scan: Scan, start: int, end: int) -> tuple[int, int]:
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


def _about_a_person(scan: Scan, start: int, end: int) -> bool:
    """Whether the sentence holding text[start:end] refers to an identifiable person: another
    identifier, a person word (pronoun, role, title), or a name (two capitalised words)."""
    s, e = _sentence(scan, start, end)
    key = (s, e)
    known = scan.about.get(key)
    if known is None:
        known = _identifier_or_person_word(scan, s, e)
        scan.about[key] = known
    return known or _has_name(scan, s, e, start, end)


def _identifier_or_person_word(scan: Scan, s: int, e: int) -> bool:
    if scan.identifier_within(s, e):
        return True
    refs = scan.cues.person_refs
    return scan.maybe(refs) and len(refs.find(scan.low, scan.words, s, e, first=True)) > 0


def _has_name(scan: Scan, s: int, e: int, term_start: int, term_end: int) -> bool:
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
