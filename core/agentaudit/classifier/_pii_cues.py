"""Load `rules/pii_cues.yaml` (the free-text detectors' words, in eight languages) once.

Each list of cues becomes a `CueSet`: one compiled alternation of escaped literals (linear in the
text it scans) plus the set of first words of its cues, so a caller can skip the regex when the
text's words share none of them (a set intersection costs far less than a scan).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

import phonenumbers
import yaml

from agentaudit.classifier._detect import ASCII_ALNUM_BYTES, ascii_runs, ascii_runs_at

CUES_FILE: Final = "pii_cues.yaml"
_LOADER: Final[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there
# Letters and digits: the unit cues are made of and texts are split into (`words_of`).
_WORD: Final = re.compile(r"[^\W_]+")


# Windows up to this long are searched word by word; longer ones from the cue words they hold.
_SMALL_WINDOW: Final = 512


class CuesError(ValueError):
    """A cue file that cannot be used; the message names the file and the key."""


def words_of(low: str) -> frozenset[str]:
    """Every maximal run of letters and digits of an already lower-cased text."""
    return frozenset(ascii_runs(low, ASCII_ALNUM_BYTES) if low.isascii() else _WORD.findall(low))


def _cue_pattern(cue: str) -> str:
    """A cue as regex source: literal characters, any white space run for a space, a straight or
    curly apostrophe, a word boundary after it unless it ends in "~" (a prefix)."""
    prefix = cue.endswith("~")
    body = cue[:-1] if prefix else cue
    parts: list[str] = []
    for ch in body:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in "'’":
            parts.append("['’]")
        else:
            parts.append(re.escape(ch))
    src = "".join(parts)
    if not prefix and body[-1:].isalnum():
        src += r"(?!\w)"
    return src


@dataclass(frozen=True, slots=True)
class CueSet:
    """Cue phrases of one kind, indexed by their first word.

    A text is searched only where one of those first words occurs (found with `str.find`), and
    only the cues that begin with that word are tried there: the cost follows the occurrences of
    cue words, not the number of cues times the length of the text. `langs` maps a normalised
    cue to the languages it belongs to."""

    first: frozenset[str]
    by_first: Mapping[str, str]  # regex source of the cues starting with that word
    prefixes: tuple[str, ...]
    by_prefix: Mapping[str, str]
    compiled: dict[str, re.Pattern[str]]  # compiled on first use: loading stays cheap
    langs: Mapping[str, tuple[str, ...]]
    # the prefixes by their first `head` letters (`head`: the shortest prefix's length), so
    # that a word is tested against the few prefixes that can start it, not all of them
    head: int = 0
    by_head: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def maybe_in(self, words: frozenset[str], low: str = "") -> bool:
        """False only when no cue can occur in a text made of `words` (see `words_of`); `low`,
        when given, is that text (its words are parts of it)."""
        if not words.isdisjoint(self.first):
            return True
        if self.prefixes:
            head, by_head = self.head, self.by_head
            if low and len(words) > len(self.prefixes) and not any(p in low for p in self.prefixes):
                return False  # a word a prefix starts holds it: the text does too
            for w in words:
                group = by_head.get(w[:head])
                if group is not None and w.startswith(group):
                    return True
        return False

    def find(
        self, low: str, words: frozenset[str], start: int = 0, end: int = -1, first: bool = False
    ) -> list[tuple[int, int]]:
        """(start, end) of every cue in `low[start:end]` that starts a word, by position; `words`
        are the text's words (`words_of(low)`). With `first`, stop at the first one found."""
        stop = len(low) if end < 0 else end
        if stop - start <= _SMALL_WINDOW:
            return self._find_in_window(low, start, stop, first)
        keys: list[tuple[str, re.Pattern[str]]] = []
        for w in words & self.first:
            keys.append((w, self._pattern(self.by_first[w])))
        if self.prefixes:
            for w in words:
                p = self._prefix_of(w)
                if p is not None:
                    keys.append((w, self._pattern(self.by_prefix[p])))
        hits: list[tuple[int, int]] = []
        for w, pat in keys:
            i = low.find(w, start, stop)
            while i >= 0:
                if i == 0 or not low[i - 1].isalnum() or low[i - 2 : i] == "\\n":
                    m = pat.match(low, i, stop)
                    if m is not None:
                        e = m.end()
                        while e < stop and low[e].isalnum():  # a prefix cue takes its word
                            e += 1
                        hits.append((i, e))
                        if first:
                            return hits
                i = low.find(w, i + 1, stop)
        if len(hits) > 1:
            hits.sort(key=lambda h: (h[0], -h[1]))
            kept = [hits[0]]
            for h in hits[1:]:
                if h[0] != kept[-1][0]:
                    kept.append(h)
            hits = kept
        return hits

    def _find_in_window(
        self, low: str, start: int, stop: int, first: bool
    ) -> list[tuple[int, int]]:
        """`find` for a short window: walk its words, so the cost follows the window, not the
        vocabulary of the whole text."""
        hits: list[tuple[int, int]] = []
        words = (
            ascii_runs_at(low, ASCII_ALNUM_BYTES, start, stop)
            if low.isascii()
            else [(wm.start(), wm.group(0)) for wm in _WORD.finditer(low, start, stop)]
        )
        for i, w in words:
            if i == start and i > 0 and low[i - 1].isalnum() and low[i - 2 : i] != "\\n":
                continue  # the window starts inside a word
            src = self.by_first.get(w)
            if src is None and self.prefixes:
                p = self._prefix_of(w)
                if p is not None:
                    src = self.by_prefix[p]
            if src is None:
                continue
            pat = self._pattern(src)
            m = pat.match(low, i, stop)
            if m is None:
                continue
            e = m.end()
            while e < stop and low[e].isalnum():
                e += 1
            hits.append((i, e))
            if first:
                break
        return hits

    def _prefix_of(self, w: str) -> str | None:
        """The longest prefix cue that starts `w` (`prefixes` is longest first; only those
        with `w`'s first `head` letters can)."""
        group = self.by_head.get(w[: self.head])
        if group is not None:
            for p in group:
                if w.startswith(p):
                    return p
        return None

    def _pattern(self, src: str) -> re.Pattern[str]:
        pat = self.compiled.get(src)
        if pat is None:  # two threads may both compile it: the same pattern either way
            pat = re.compile(src, re.IGNORECASE)
            self.compiled[src] = pat
        return pat

    def languages_of(self, cue_text: str) -> tuple[str, ...]:
        return self.langs.get(" ".join(cue_text.split()), ())


def _cue_set(by_lang: Mapping[str, list[str]]) -> CueSet:
    cues: dict[str, list[str]] = {}
    for lang, items in by_lang.items():
        for cue in items:
            norm = " ".join(cue.split())
            if not norm[:1].isalnum():
                raise CuesError(f"{lang}: cue {cue!r} must start with a letter or a digit")
            cues.setdefault(norm, []).append(lang)
    grouped: dict[str, list[str]] = {}
    prefix_groups: dict[str, list[str]] = {}
    for c in sorted(cues, key=lambda c: (-len(c), c)):
        runs = _WORD.findall(c.rstrip("~"))
        if c.endswith("~") and len(runs) == 1:
            prefix_groups.setdefault(runs[0], []).append(c)
        else:
            grouped.setdefault(runs[0], []).append(c)

    def source(group: list[str]) -> str:
        return "|".join(_cue_pattern(c) for c in group)

    prefixes = tuple(sorted(prefix_groups, key=len, reverse=True))
    head, by_head = _prefix_index(prefixes)
    return CueSet(
        first=frozenset(grouped),
        by_first={w: source(g) for w, g in grouped.items()},
        prefixes=prefixes,
        by_prefix={p: source(g) for p, g in prefix_groups.items()},
        compiled={},
        langs={c.rstrip("~"): tuple(ls) for c, ls in cues.items()},
        head=head,
        by_head=by_head,
    )


def _prefix_index(prefixes: tuple[str, ...]) -> tuple[int, dict[str, tuple[str, ...]]]:
    """`head` and `by_head` of a CueSet with these prefixes."""
    head = min((len(p) for p in prefixes), default=0)
    by_head: dict[str, tuple[str, ...]] = {}
    for p in prefixes:
        by_head[p[:head]] = by_head.get(p[:head], ()) + (p,)
    return head, by_head


@dataclass(frozen=True, slots=True)
class PairRule:
    """A `lead` followed within `gap` words by an `object` ("member of the … union")."""

    lead: CueSet
    obj: CueSet
    gap: int


@dataclass(frozen=True, slots=True)
class SpecialCategory:
    type: str
    terms: CueSet
    pairs: PairRule | None


@dataclass(frozen=True, slots=True)
class AddressCues:
    """Street words, unit words and address cues (the `ner` extra's address finder)."""

    street_after: tuple[str, ...]
    street_before: tuple[str, ...]
    street_suffix: tuple[str, ...]
    unit: tuple[str, ...]
    cues: CueSet


@dataclass(frozen=True, slots=True)
class NameCues:
    """Titles and cues after which capitalised words are a name, and words never a name."""

    titles: tuple[str, ...]
    cues: CueSet
    not_names: frozenset[str]
    name_locales: tuple[str, ...]
    ambiguous: frozenset[str]


@dataclass(frozen=True, slots=True, eq=False)
class PiiCues:
    """Everything the free-text detectors read, compiled."""

    region_of_language: Mapping[str, str]
    phone_regions: tuple[str, ...]
    phone: CueSet
    not_personal: CueSet
    credit_card: CueSet
    date_of_birth: CueSet
    passport: CueSet
    drivers_license: CueSet
    national_id: CueSet
    national_id_unchecked: CueSet
    ssn: CueSet
    person_refs: CueSet
    months: re.Pattern[str]
    month_words: frozenset[str]
    not_names: frozenset[str]
    special: tuple[SpecialCategory, ...]
    address: AddressCues
    person_name: NameCues
    # every word of every cue (months and names aside): a word that is never part of a name
    vocabulary: frozenset[str]
    # first words and prefixes of every Art. 9 term and pair lead: one check skips them all
    special_gate: CueSet


def _strings(where: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise CuesError(f"{where}: expected a list of words, got {type(value).__name__}")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise CuesError(
                f"{where}[{i}]: expected a non-empty string, got {item!r} "
                '(quote words YAML reads as booleans or numbers, e.g. "no")'
            )
        out.append(item.strip().lower())
    return out


def _by_lang(where: str, value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise CuesError(f"{where}: expected a mapping of language to words")
    return {str(k): _strings(f"{where}.{k}", v) for k, v in value.items()}


def _special(where: str, name: str, value: Any) -> SpecialCategory:
    if not isinstance(value, dict) or "terms" not in value:
        raise CuesError(f"{where}.{name}: expected a mapping with `terms` (and optional `pairs`)")
    pairs: PairRule | None = None
    raw = value.get("pairs")
    if raw is not None:
        if not isinstance(raw, dict):
            raise CuesError(f"{where}.{name}.pairs: expected a mapping with lead, object, gap")
        gap = raw.get("gap", 4)
        if not isinstance(gap, int) or not 0 <= gap <= 10:
            raise CuesError(f"{where}.{name}.pairs.gap: expected a whole number from 0 to 10")
        lead = _cue_set({"any": _strings(f"{where}.{name}.pairs.lead", raw.get("lead"))})
        obj = _cue_set({"any": _strings(f"{where}.{name}.pairs.object", raw.get("object"))})
        pairs = PairRule(lead, obj, gap)
    terms = _cue_set(_by_lang(f"{where}.{name}.terms", value["terms"]))
    return SpecialCategory(name, terms, pairs)


def parse_cues(raw: Any, source: str = CUES_FILE) -> PiiCues:
    """Compile a loaded cue file; a bad one raises `CuesError` naming `source` and the key."""
    try:
        return _parse(raw)
    except CuesError as exc:
        raise CuesError(f"{source}: {exc}") from None


def _parse(raw: Any) -> PiiCues:
    if not isinstance(raw, dict):
        raise CuesError("expected a mapping at the top level")
    required = (
        "languages", "phone_regions", "phone", "not_personal", "credit_card", "date_of_birth",
        "months", "passport", "drivers_license", "national_id", "ssn", "person_refs", "not_names",
        "special", "address", "person_name",
    )  # fmt: skip
    missing = [k for k in required if k not in raw]
    if missing:
        raise CuesError(f"missing key(s) {missing}")
    supported = phonenumbers.SUPPORTED_REGIONS
    languages = raw["languages"]
    if not isinstance(languages, dict):
        raise CuesError("languages: expected a mapping of language to phone region")
    region_of_language: dict[str, str] = {}
    for lang, region in languages.items():
        if not isinstance(region, str) or region not in supported:
            raise CuesError(f"languages.{lang}: {region!r} is not a phone region (e.g. DE, FR)")
        region_of_language[str(lang)] = region
    phone_regions = _strings("phone_regions", raw["phone_regions"])
    bad = [r for r in phone_regions if r.upper() not in supported]
    if bad:
        raise CuesError(f"phone_regions: {bad} are not phone regions (e.g. DE, FR)")
    ids = _by_lang("national_id", raw["national_id"])
    unchecked = ids.pop("unchecked", [])
    months = sorted(
        {m for ms in _by_lang("months", raw["months"]).values() for m in ms},
        key=lambda m: (-len(m), m),
    )
    vocabulary = frozenset(
        w
        for key, value in raw.items()
        if key not in ("months", "person_name", "languages", "phone_regions")
        for item in _all_strings(value)
        for w in _WORD.findall(item.lower())
        if len(w) > 1
    )
    special_raw = raw["special"]
    if not isinstance(special_raw, dict):
        raise CuesError("special: expected a mapping of category to terms")
    special = tuple(_special("special", str(k), v) for k, v in special_raw.items())
    return PiiCues(
        region_of_language=region_of_language,
        phone_regions=tuple(r.upper() for r in phone_regions),
        phone=_cue_set(_by_lang("phone", raw["phone"])),
        not_personal=_cue_set(_by_lang("not_personal", raw["not_personal"])),
        credit_card=_cue_set(_by_lang("credit_card", raw["credit_card"])),
        date_of_birth=_cue_set(_by_lang("date_of_birth", raw["date_of_birth"])),
        passport=_cue_set(_by_lang("passport", raw["passport"])),
        drivers_license=_cue_set(_by_lang("drivers_license", raw["drivers_license"])),
        national_id=_cue_set(ids),
        national_id_unchecked=_cue_set({"any": unchecked}),
        ssn=_cue_set(_by_lang("ssn", raw["ssn"])),
        person_refs=_cue_set(_by_lang("person_refs", raw["person_refs"])),
        months=re.compile("|".join(re.escape(m) for m in months), re.IGNORECASE),
        month_words=frozenset(w for m in months for w in _WORD.findall(m)),
        not_names=frozenset(_strings("not_names", raw["not_names"])),
        special=special,
        address=_address(raw["address"]),
        person_name=_names(raw["person_name"]),
        vocabulary=vocabulary,
        special_gate=_union(
            [sc.terms for sc in special] + [sc.pairs.lead for sc in special if sc.pairs]
        ),
    )


def _union(sets: list[CueSet]) -> CueSet:
    """A gate only: `maybe_in` of several cue sets at once (its `find` finds nothing)."""
    first: set[str] = set()
    prefixes: set[str] = set()
    for cs in sets:
        first.update(cs.first)
        prefixes.update(cs.prefixes)
    ordered = tuple(sorted(prefixes))
    return CueSet(frozenset(first), {}, ordered, {}, {}, {}, *_prefix_index(ordered))


def _all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _all_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _all_strings(item)


def _section(name: str, value: Any, keys: tuple[str, ...]) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise CuesError(f"{name}: expected a mapping with {', '.join(keys)}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise CuesError(f"{name}: missing key(s) {missing}")
    return {k: _strings(f"{name}.{k}", value[k]) for k in keys}


def _address(value: Any) -> AddressCues:
    d = _section(
        "address", value, ("street_after", "street_before", "street_suffix", "unit", "cues")
    )
    return AddressCues(
        street_after=tuple(d["street_after"]),
        street_before=tuple(d["street_before"]),
        street_suffix=tuple(d["street_suffix"]),
        unit=tuple(d["unit"]),
        cues=_cue_set({"any": d["cues"]}),
    )


def _names(value: Any) -> NameCues:
    d = _section("person_name", value, ("titles", "cues", "not_names", "name_locales", "ambiguous"))
    return NameCues(
        titles=tuple(d["titles"]),
        cues=_cue_set({"any": d["cues"]}),
        not_names=frozenset(d["not_names"]),
        name_locales=tuple(value["name_locales"]),
        ambiguous=frozenset(d["ambiguous"]),
    )


def load_cues(path: Path | None = None) -> PiiCues:
    """The cue file at `path`, or the built-in one."""
    if path is None:
        text = (
            resources.files("agentaudit.classifier")
            .joinpath("rules", CUES_FILE)
            .read_text(encoding="utf-8")
        )
        source = CUES_FILE
    else:
        text = path.read_text(encoding="utf-8")
        source = str(path)
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise CuesError(f"{source}: not valid YAML: {exc}") from None
    return parse_cues(raw, source)


_default: PiiCues | None = None
_lock = threading.Lock()


def default_cues() -> PiiCues:
    """The built-in cues, loaded on first use and shared (immutable) afterwards."""
    global _default
    cues = _default
    if cues is None:
        with _lock:
            cues = _default
            if cues is None:
                cues = load_cues()
                _default = cues
    return cues
