"""Security settings: which `key = value` lines weaken security, compiled once from `settings:`.

The classifier asks this for every scalar field of every call (`{"acl": "public-read"}`) and for
every file a command or an editor writes, so the YAML is compiled into sets at load (a field
costs a few set lookups) and checked at load: a bad entry fails with `RulesError`, never later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

COMMENT_STARTS: Final = ("#", ";", "//")
MAX_LINES: Final = 400  # a config file's first lines: a bounded cost on any content

_SETTING_LINE: Final = re.compile(
    r"[\"']?([\w.\-/]{1,128})[\"']?(?:\s*(?:=|:|\s)\s*[\"']?([^\s\"',}]{0,128}))?"
)
_KEY_PARTS: Final = re.compile(r"[._\-]+")
_CLEAN_KEY: Final = re.compile(r"[\w.\-/]{1,128}")  # a key `_SETTING_LINE` reads whole
_KEY_CACHE_MAX: Final = 4096
_FIELDS: Final = frozenset(
    {"files", "key", "key_words", "key_ends", "bad", "contains", "value", "removes", "hosts"}
)


class SettingsError(ValueError):
    """A `settings:` entry that cannot be compiled (reported by the rule loader)."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One `settings:` entry: in files whose path holds one of `files` (any file if empty), a
    line naming one of `keys` (or a key of `key_words` ending in `key_ends`) with one of `bad`
    values (any value if empty); text `contains`; a whole value in `values`; lines `removes`;
    a hosts-file line that maps a name under one of `hosts` (the domains themselves or their
    subdomains) to an address."""

    files: tuple[str, ...]
    keys: frozenset[str]
    key_words: frozenset[str]
    key_ends: frozenset[str]
    bad: frozenset[str]
    contains: tuple[str, ...]
    values: frozenset[str]
    removes: tuple[str, ...]
    hosts: frozenset[str]

    def maps_host(self, line: str) -> bool:
        """`0.0.0.0 update.vendor.com other.com`: a name after the address under `hosts`."""
        for name in line.split()[1:8]:
            name = name.rstrip(".")
            if len(name) > 253:
                continue  # no domain name is longer: each is walked by its dots at most once
            while True:
                if name in self.hosts:
                    return True
                dot = name.find(".")
                if dot < 0:
                    break
                name = name[dot + 1 :]
        return False

    def applies_to(self, path: str) -> bool:
        return not self.files or (bool(path) and any(f in path for f in self.files))

    def key_matches(self, key: str) -> bool:
        if self.keys:
            if key in self.keys:
                return True
            for i, ch in enumerate(key):
                if ch in "._-" and key[i + 1 :] in self.keys:
                    return True
        if self.key_words:
            parts = [x for x in _KEY_PARTS.split(key) if x]
            return (
                bool(parts)
                and parts[-1] in self.key_ends
                and any(x in self.key_words for x in parts[:-1])
            )
        return False


@dataclass(frozen=True, slots=True)
class Settings:
    """All entries, and those that apply to a setting given as a field (no `files`)."""

    entries: tuple[Setting, ...]
    for_fields: tuple[Setting, ...]
    field_contains: tuple[str, ...]  # the entries for fields' `contains` texts, shortest first
    field_bad: frozenset[str] | None  # every bad value of the key entries for fields (None: any)
    field_has_values: bool  # an entry for fields names whole values
    field_contains_no_eq: tuple[str, ...]  # those of `field_contains` without "=" in them
    field_anchors: tuple[str, ...]  # a part of each `field_contains` text: none in a line, no text
    # per field name: (lowered, whether an entry for fields may match it as `_key_value` reads it)
    key_cache: dict[str, tuple[str, bool]] = field(default_factory=dict, compare=False, repr=False)

    def weakens(self, path: str, content: str) -> bool:
        """A line of `content` (written into `path`) that weakens security."""
        low = content.lower()
        lines = [ln.strip() for ln in low.splitlines()[:MAX_LINES]]
        active = [ln for ln in lines if ln and not ln.startswith(COMMENT_STARTS)]
        parsed: list[tuple[str, str]] | None = None
        whole = low.strip()
        joined: str | None = None  # a `contains` text is one line: found in a line, or not at all
        for s in self.entries:
            if not s.applies_to(path):
                continue
            if s.contains:
                if joined is None:
                    joined = "\n".join(active)
                for text in s.contains:
                    if text in joined:
                        return True
            if s.values and whole in s.values:
                return True
            if s.hosts and any(s.maps_host(ln) for ln in active):
                return True
            if not s.keys and not s.key_words:
                continue
            if parsed is None:
                # (keys read with their block's or section's path only where a line is
                # indented or a section is opened)
                nested = "[" in low or "\n " in low or "\n\t" in low
                parsed = (
                    _nested_pairs(low.splitlines()[:MAX_LINES])
                    if nested
                    else [_key_value(ln) for ln in active]
                )
            for k, v in parsed:
                if k and (not s.bad or v in s.bad) and s.key_matches(k):
                    return True
        return False

    def field_weakens(self, key: str, value: str) -> bool:
        """A setting given as a field (`{"acl": "public-read"}`): the same entries as a file's
        `key: value` line, without those that name files."""
        content = f"{key}: {value}"
        lines = content.lower().splitlines()
        line = lines[0].strip() if len(lines) == 1 else ""
        if not line or line.startswith(COMMENT_STARTS):
            return self.weakens("", content)
        # a few substring searches beat one regex of them; a text with "=" needs one in the line
        if any(a in line for a in self.field_anchors):
            for text in self.field_contains if "=" in line else self.field_contains_no_eq:
                if len(text) > len(line):
                    break  # shortest first: the rest cannot be in the line
                if text in line:
                    return True
        if not self.field_has_values and not self._key_may_match(key, line):
            return False  # most fields: a name no entry knows, known without reading the line
        k, v = _key_value(line)
        if self.field_bad is not None and v not in self.field_bad and not self.field_has_values:
            return False
        for s in self.for_fields:
            if s.values and line in s.values:
                return True
            if k and (s.keys or s.key_words) and (not s.bad or v in s.bad) and s.key_matches(k):
                return True
        return False

    def _key_may_match(self, key: str, line: str) -> bool:
        """Whether an entry for fields may match the key of `line` (`key: value`, lowered):
        False only when `_key_value` reads `key` whole as the line's key and no entry names it."""
        hit = self.key_cache.get(key)
        if hit is None:
            low = key.lower()
            known = _CLEAN_KEY.fullmatch(low) is None or any(
                (s.keys or s.key_words) and s.key_matches(low) for s in self.for_fields
            )
            hit = (low, known)
            if len(self.key_cache) < _KEY_CACHE_MAX:
                self.key_cache[key] = hit
        low, known = hit
        # the line's key is `low` when `low` is followed by the colon (it is: lowering `key`
        # alone or in the line gives the same text; checked rather than assumed)
        return known or not (line.startswith(low) and line.startswith(":", len(low)))

    def removes(self, path: str, old: str, new: str) -> bool:
        """An edit of `path` that takes an active security line out (deleted or commented)."""
        old_low, new_low = old.lower(), new.lower()
        for s in self.entries:
            if not s.removes or not s.applies_to(path):
                continue
            for tok in s.removes:
                if _active(old_low, tok) and not _active(new_low, tok):
                    return True
        return False


def _anchors(texts: tuple[str, ...]) -> tuple[str, ...]:
    """A part each text holds (its longest run of letters and digits), fewest: a part that holds
    another is dropped, as a line holding it holds the other. Searched for first, they spare a
    line that holds no text the search for each (most lines hold none)."""
    parts = {max(_ALNUM_RUN.findall(t), key=len, default=t) for t in texts}
    return tuple(sorted(p for p in parts if not any(q != p and q in p for q in parts)))


_ALNUM_RUN: Final = re.compile(r"[a-z0-9]+")


def _by_length(text: str) -> tuple[int, str]:
    return len(text), text


def _key_value(line: str) -> tuple[str, str]:
    m = _SETTING_LINE.match(line)
    if m is None:
        return "", ""
    return m.group(1), m.group(2) or ""


def _nested_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """Each active line's (key, value), and a key inside a YAML block or an INI section also
    with where it sits (`anonymous:` then `  enabled: true`: `anonymous.enabled`)."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[int, str]] = []  # (indent, key) of the blocks a line sits in
    section = ""
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(COMMENT_STARTS):
            continue
        if line[0] == "[" and line[-1] == "]":
            section, stack = line[1:-1].strip(), []
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        k, v = _key_value(line)
        out.append((k, v))
        if not k:
            continue
        if not v and line.endswith(":") and len(stack) < 8:
            stack.append((indent, k))
        elif stack or section:
            where = [section] if section else []
            out.append((".".join([*where, *(x for _, x in stack), k]), v))
    return out


def _active(text: str, token: str) -> bool:
    for line in text.splitlines():
        if token in line and not line.strip().startswith(COMMENT_STARTS):
            return True
    return False


def _words(spec: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = spec.get(key)
    if value is None:
        return ()
    if isinstance(value, str | int | float | bool):
        value = [value]
    if not isinstance(value, list):
        raise SettingsError(f"{where}.{key} must be a list of words")
    return tuple(str(v).lower() for v in value)


def compile_settings(raw: Any, security_nouns: Iterable[str]) -> Settings:
    """Compile `settings:`; `key_words: "@security_nouns"` names `verbs.security_nouns`."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise SettingsError("settings must be a list")
    entries: list[Setting] = []
    for i, spec in enumerate(raw):
        where = f"settings[{i}]"
        if not isinstance(spec, dict):
            raise SettingsError(f"{where} must be a mapping")
        unknown = set(spec) - _FIELDS
        if unknown:
            raise SettingsError(f"{where}: unknown field(s) {sorted(unknown)}")
        kw = spec.get("key_words")
        if kw == "@security_nouns":
            key_words = frozenset(str(n).lower() for n in security_nouns)
        else:
            key_words = frozenset(_words(spec, "key_words", where))
        s = Setting(
            files=_words(spec, "files", where),
            keys=frozenset(_words(spec, "key", where)),
            key_words=key_words,
            key_ends=frozenset(_words(spec, "key_ends", where)),
            bad=frozenset(_words(spec, "bad", where)),
            contains=_words(spec, "contains", where),
            values=frozenset(_words(spec, "value", where)),
            removes=_words(spec, "removes", where),
            hosts=frozenset(_words(spec, "hosts", where)),
        )
        if any(c.splitlines() != [c] for c in s.contains):
            raise SettingsError(f"{where}: a contains text must be one line, not empty")
        if key_words and not s.key_ends:
            raise SettingsError(f"{where}: key_words needs key_ends")
        if s.hosts and not s.files:
            raise SettingsError(f"{where}: hosts needs files (the hosts file's paths)")
        if not (s.keys or s.key_words or s.contains or s.values or s.removes or s.hosts):
            raise SettingsError(f"{where}: names no key, text, value or removed line")
        entries.append(s)
    for_fields = tuple(s for s in entries if not s.files)
    keyed = [s for s in for_fields if s.keys or s.key_words]
    contains = tuple(sorted({c for s in for_fields for c in s.contains}, key=_by_length))
    return Settings(
        entries=tuple(entries),
        for_fields=for_fields,
        field_contains=contains,
        field_contains_no_eq=tuple(c for c in contains if "=" not in c),
        field_anchors=_anchors(contains),
        field_bad=None
        if any(not s.bad for s in keyed)
        else frozenset(b for s in keyed for b in s.bad),
        field_has_values=any(s.values for s in for_fields),
    )
