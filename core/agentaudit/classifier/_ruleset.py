"""Loading and compiling the rule files (YAML) into an immutable `RuleSet`.

Everything a call needs — regexes, vocabularies as frozensets, the article order — is built here,
once, so `classify` does no I/O and allocates little.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml  # type: ignore[import-untyped]  # (mypyc type-checks this module)

from agentaudit.classifier._effects import EffectsError, EffectTable, build_table
from agentaudit.classifier._literals import required_literals
from agentaudit.classifier._orders import OrderWords
from agentaudit.models import FRAMEWORKS, RiskLevel

RULES_ENV: Final = "AGENTAUDIT_RULES"
TARGETS: Final = ("command", "content", "action", "reasoning", "intent", "all")
_RULE_KEYS: Final = {
    "id",
    "level",
    "description",
    "target",
    "pattern",
    "triggers",
    "when",
    "when_any",
    "unless",
    "min_risk",
    "articles",
    "enabled",
    "case_sensitive",
}


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled rule: conditions on facts and/or a regex on one target text."""

    id: str
    level: RiskLevel | None
    description: str = ""
    target: str = "command"
    pattern: Any = None  # a compiled pattern (RE2's when available: linear time), or None
    triggers: tuple[str, ...] = ()  # derived from `pattern`: every match holds one of them
    when: frozenset[str] = frozenset()
    when_any: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    min_risk: RiskLevel | None = None
    articles: tuple[tuple[str, str], ...] = ()
    enabled: bool = True
    # `when` and `when_any` in the order a block reason quotes their evidence (sorted once here)
    when_order: tuple[str, ...] = ()
    when_any_order: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Vocab:
    """The vocabularies detectors read, as frozensets and precomputed tables."""

    raw: Mapping[str, Any]
    verbs: Mapping[str, frozenset[str]]
    programs: frozenset[str]
    read_programs: frozenset[str]
    subcommands: Mapping[str, frozenset[str]]
    cloud_programs: frozenset[str]
    cloud_read_words: frozenset[str]
    cloud_write_words: frozenset[str]
    db_clients: frozenset[str]
    pii_fields: tuple[tuple[str, str | None], ...]
    pii_key_vetoes: frozenset[str]
    secret_fields: tuple[tuple[str, str | None], ...]
    internal_host_suffixes: tuple[str, ...]
    known_hosts: frozenset[str]
    placeholder_hosts: frozenset[str]
    public_drop_hosts: frozenset[str]
    personal_mail_domains: frozenset[str]
    personal_mail_brands: frozenset[str]
    infrastructure_ips: frozenset[str]
    production_words: frozenset[str]
    environment_keys: frozenset[str]
    environment_flags: frozenset[str]
    command_keys: frozenset[str]
    command_keys_exact: frozenset[str]  # whole key names only (`run`, not `dry_run`)
    prose_keys: frozenset[str]
    path_keys: frozenset[str]
    url_keys: frozenset[str]
    method_keys: frozenset[str]
    auth_header_keys: frozenset[str]
    rehearsal_keys: frozenset[str]
    envelope_keys: frozenset[str]
    envelope_siblings: frozenset[str]
    sub_call_names: tuple[str, ...]  # most telling first
    sub_call_args: frozenset[str]
    recipient_keys: frozenset[str]
    forwarding_keys: frozenset[str]
    mail_rule_forwards: frozenset[str]  # a rule's `forward`: standing beside a condition
    mail_rule_conditions: frozenset[str]
    amount_keys: frozenset[str]
    minor_amount_keys: frozenset[str]
    currency_keys: frozenset[str]
    unit_values: Mapping[str, float]
    security_setting_words: frozenset[str]
    enable_words: frozenset[str]
    broadcast_mentions: tuple[str, ...]
    broadcast_mailboxes: frozenset[str]
    broadcast_nouns: frozenset[str]
    broadcast_min_recipients: int
    key_cache: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, eq=False)
class RuleSet:
    """Built-in rules plus a user's additions and overrides; immutable and shareable."""

    rules: tuple[Rule, ...]
    vocab: Vocab
    effects: EffectTable
    orders: OrderWords
    article_order: Mapping[tuple[str, str], int] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    # Evaluation plan, derived from `rules` at build time (see `_plan`).
    by_fact: Mapping[str, tuple[tuple[int, Rule], ...]] = field(default_factory=dict)
    by_target: Mapping[str, tuple[tuple[int, Rule], ...]] = field(default_factory=dict)
    always: tuple[tuple[int, Rule], ...] = ()
    deferred: tuple[tuple[int, Rule], ...] = ()
    action_cache: dict[str, Any] = field(default_factory=dict)
    # the articles of a set of fired rules (their indexes) under the frameworks enabled
    article_cache: dict[Any, Any] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None


# libyaml's loader when PyYAML was built with it (several times faster than the Python one)
_LOADER: Final[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str, source: str) -> dict[str, Any]:
    """The document, parsed once; a key given twice in one mapping fails (YAML would keep the
    last silently, and an entry added under a key that already exists would be lost)."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _no_duplicate_keys(node, source)
        data = (loader.construct_document(node) if node is not None else None) or {}
    except yaml.YAMLError as exc:
        raise RulesError(f"{source}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RulesError(f"{source}: top level must be a mapping with `rules:` and/or `vocab:`")
    return data


def _no_duplicate_keys(root: Any, source: str) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        line = key.start_mark.line + 1
                        raise RulesError(f"{source}: line {line}: key {key.value!r} given twice")
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _builtin_text(name: str) -> str:
    return resources.files("agentaudit.classifier").joinpath("rules", name).read_text("utf-8")


def _level(value: Any, source: str, rule_id: str, what: str) -> RiskLevel | None:
    if value is None or value == "none":
        return None
    try:
        return RiskLevel(str(value).lower())
    except ValueError:
        raise RulesError(
            f"{source}: rule {rule_id!r}: {what} {value!r} is not one of low, medium, high, "
            "critical"
        ) from None


def _str_list(value: Any, source: str, rule_id: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{source}: rule {rule_id!r}: {what} must be a list of strings")
    return tuple(value)


def _compile_rule(spec: Mapping[str, Any], source: str) -> Rule:
    rule_id = spec.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RulesError(f"{source}: every rule needs a string `id`")
    unknown = set(spec) - _RULE_KEYS
    if unknown:
        raise RulesError(f"{source}: rule {rule_id!r}: unknown key(s) {sorted(unknown)}")
    target = spec.get("target", "command")
    if target not in TARGETS:
        raise RulesError(f"{source}: rule {rule_id!r}: target must be one of {TARGETS}")
    for flag in ("enabled", "case_sensitive"):
        if flag in spec and not isinstance(spec[flag], bool):
            raise RulesError(
                f"{source}: rule {rule_id!r}: {flag} must be true or false, not {spec[flag]!r}"
            )
    pattern = None
    triggers: tuple[str, ...] = ()
    if spec.get("pattern"):
        text = str(spec["pattern"]).strip()
        ignore_case = not spec.get("case_sensitive")
        pattern = compile_pattern(text, ignore_case, f"{source}: rule {rule_id!r}")
        triggers = required_literals(text, ignore_case) or ()
    if spec.get("triggers") is not None:
        warnings.warn(
            f"{source}: rule {rule_id!r}: `triggers` is no longer read (they are derived from "
            "the pattern); remove it",
            stacklevel=2,
        )
    articles: list[tuple[str, str]] = []
    raw_articles = spec.get("articles") or {}
    if not isinstance(raw_articles, dict):
        raise RulesError(f"{source}: rule {rule_id!r}: articles must map framework -> list")
    for fw, arts in raw_articles.items():
        if fw not in FRAMEWORKS:
            raise RulesError(f"{source}: rule {rule_id!r}: unknown framework {fw!r}")
        for art in _str_list(arts, source, rule_id, f"articles.{fw}"):
            articles.append((fw, art))
    level = _level(spec.get("level"), source, rule_id, "level")
    if level is None and not articles:
        raise RulesError(f"{source}: rule {rule_id!r}: needs a `level` or `articles`")
    when = frozenset(_str_list(spec.get("when"), source, rule_id, "when"))
    when_any = frozenset(_str_list(spec.get("when_any"), source, rule_id, "when_any"))
    return Rule(
        id=rule_id,
        level=level,
        description=str(spec.get("description", "")),
        target=target,
        pattern=pattern,
        triggers=triggers,
        when=when,
        when_any=when_any,
        unless=frozenset(_str_list(spec.get("unless"), source, rule_id, "unless")),
        min_risk=_level(spec.get("min_risk"), source, rule_id, "min_risk"),
        articles=tuple(articles),
        enabled=bool(spec.get("enabled", True)),
        when_order=tuple(sorted(when)),
        when_any_order=tuple(sorted(when_any)),
    )


try:  # RE2 searches in time linear in the text, whatever the pattern
    import re2 as _re2  # type: ignore[import-not-found,import-untyped,unused-ignore]
except ImportError:  # pragma: no cover - google-re2 is a dependency; this is the fallback
    _re2 = None


def compile_pattern(text: str, ignore_case: bool, where: str) -> Any:
    """A rule's regex, compiled by RE2 so that no text can make it slow. Patterns RE2 cannot
    run (lookarounds, backreferences) are refused: they are what makes a regex backtrack."""
    try:
        re.compile(text)
    except re.error as exc:
        raise RulesError(f"{where}: bad pattern: {exc}") from exc
    if _re2 is None:
        return re.compile(text, (re.I if ignore_case else 0) | re.M)
    options = _re2.Options()
    options.case_sensitive = not ignore_case
    options.never_nl = False
    try:
        return _re2.compile("(?m)" + text, options)
    except Exception as exc:  # re2.error
        raise RulesError(
            f"{where}: the pattern uses a feature without a linear-time form (lookaround, "
            f"backreference…), which rule patterns may not use: {exc}"
        ) from exc


def _merge_rules(
    base: list[dict[str, Any]], extra: Iterable[Any], source: str
) -> list[dict[str, Any]]:
    """Add new rules (appended) or override built-ins by id (fields merged)."""
    by_id = {r["id"]: i for i, r in enumerate(base)}
    out = [dict(r) for r in base]
    for spec in extra:
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str):
            raise RulesError(f"{source}: each entry of `rules:` must be a mapping with an `id`")
        if spec["id"] in by_id:
            out[by_id[spec["id"]]].update(spec)
        else:
            by_id[spec["id"]] = len(out)
            out.append(dict(spec))
    return out


def _merge_vocab(base: dict[str, Any], extra: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Lists are extended (new entries first so they win suffix matches), mappings merged."""
    out = dict(base)
    for key, value in extra.items():
        if key not in out:
            raise RulesError(f"{source}: vocab: unknown list {key!r}")
        cur = out[key]
        _same_shape(cur, value, f"{source}: vocab.{key}")
        if isinstance(cur, list):
            out[key] = list(value) + cur
        elif isinstance(cur, dict):
            merged = dict(cur)
            for k, v in value.items():
                if k in merged:
                    _same_shape(merged[k], v, f"{source}: vocab.{key}.{k}")
                if isinstance(merged.get(k), list):
                    merged[k] = list(v) + merged[k]
                else:
                    merged[k] = v
            out[key] = merged
        else:
            out[key] = value
    return out


def _merge_effects(base: dict[str, Any], extra: Mapping[str, Any], source: str) -> dict[str, Any]:
    """A user's effects: `commands` and `settings` entries come first (they win), other lists
    are extended, mappings merged one level deep."""
    out = dict(base)
    for key, value in extra.items():
        if key not in out:
            raise RulesError(f"{source}: effects: unknown key {key!r}")
        cur = out[key]
        _same_shape(cur, value, f"{source}: effects.{key}")
        if isinstance(cur, list):
            out[key] = list(value) + cur
        elif isinstance(cur, dict):
            merged = dict(cur)
            for k, v in value.items():
                if isinstance(merged.get(k), list):
                    _same_shape(merged[k], v, f"{source}: effects.{key}.{k}")
                    merged[k] = list(v) + merged[k]
                else:
                    merged[k] = v
            out[key] = merged
        else:
            out[key] = value
    return out


def _same_shape(current: Any, value: Any, where: str) -> None:
    """A vocab entry keeps the shape of the built-in one: a list stays a list, a mapping a
    mapping (anything else would fail later, far from the file that caused it)."""
    if isinstance(current, list) and not isinstance(value, list):
        raise RulesError(f"{where} must be a list, like the built-in one")
    if isinstance(current, dict) and not isinstance(value, dict):
        raise RulesError(f"{where} must be a mapping, like the built-in one")


def _fs(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


def _pairs(values: Iterable[Any], name: str) -> tuple[tuple[str, str | None], ...]:
    out = []
    for item in values:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise RulesError(f"vocab.{name}: entries are [field_suffix, type-or-null]")
        out.append((str(item[0]).lower(), None if item[1] is None else str(item[1])))
    return tuple(out)


def _build_vocab(v: Mapping[str, Any]) -> Vocab:
    shell, broadcast = v["shell"], v["broadcast"]
    return Vocab(
        raw=v,
        verbs={k: _fs(words) for k, words in v["verbs"].items()},
        programs=_fs(v["programs"]),
        read_programs=_fs(shell["read_programs"]),
        subcommands={k.lower(): _fs(subs) for k, subs in shell["subcommands"].items()},
        cloud_programs=_fs(shell["cloud_programs"]),
        cloud_read_words=_fs(shell["cloud_read_words"]),
        cloud_write_words=_fs(shell["cloud_write_words"]),
        db_clients=_fs(shell["db_clients"]),
        pii_fields=_pairs(v["pii_fields"], "pii_fields"),
        pii_key_vetoes=_fs(v["pii_key_vetoes"]),
        secret_fields=_pairs(v["secret_fields"], "secret_fields"),
        internal_host_suffixes=tuple(str(s).lower() for s in v["internal_host_suffixes"]),
        known_hosts=_fs(v["known_hosts"]),
        placeholder_hosts=_fs(v["placeholder_hosts"]),
        public_drop_hosts=_fs(v["public_drop_hosts"]),
        personal_mail_domains=_fs(v["personal_mail_domains"]),
        personal_mail_brands=_fs(v["personal_mail_brands"]),
        infrastructure_ips=_fs(v["infrastructure_ips"]),
        production_words=_fs(v["production_words"]),
        environment_keys=_fs(v["environment_keys"]),
        environment_flags=frozenset(str(f) for f in v["environment_flags"]),
        command_keys=_fs(v["command_keys"]),
        command_keys_exact=_fs(v.get("command_keys_exact") or []),
        prose_keys=_fs(v["prose_keys"]),
        path_keys=_fs(v["path_keys"]),
        url_keys=_fs(v["url_keys"]),
        method_keys=_fs(v["method_keys"]),
        auth_header_keys=_fs(v.get("auth_header_keys") or []),
        rehearsal_keys=_fs(v.get("rehearsal_keys") or []),
        envelope_keys=_fs(v.get("envelope_keys") or []),
        envelope_siblings=_fs(v.get("envelope_siblings") or []),
        sub_call_names=tuple(str(x).lower() for x in v.get("sub_call_names") or []),
        sub_call_args=_fs(v.get("sub_call_args") or []),
        recipient_keys=_fs(v["recipient_keys"]),
        forwarding_keys=_fs(v["forwarding_keys"]),
        mail_rule_forwards=_fs(v.get("mail_rule_forwards") or []),
        mail_rule_conditions=_fs(v.get("mail_rule_conditions") or []),
        amount_keys=_fs(v["amount_keys"]),
        minor_amount_keys=_fs(v["minor_amount_keys"]),
        currency_keys=_fs(v["currency_keys"]),
        unit_values={str(k).lower(): float(x) for k, x in (v.get("unit_values") or {}).items()},
        security_setting_words=_fs(v["security_setting_words"]),
        enable_words=_fs(v["enable_words"]),
        broadcast_mentions=tuple(sorted(_fs(broadcast["mentions"]))),
        broadcast_mailboxes=_fs(broadcast["mailboxes"]),
        broadcast_nouns=_fs(broadcast["nouns"]),
        broadcast_min_recipients=int(broadcast["min_recipients"]),
    )


def build_ruleset(extra_texts: Iterable[tuple[str, str]] = ()) -> RuleSet:
    """Compile the built-in files plus extra (source name, YAML text) documents, in order."""
    rules_doc = _read_yaml(_builtin_text("builtin.yaml"), "builtin.yaml")
    vocab_doc = _read_yaml(_builtin_text("vocab.yaml"), "vocab.yaml")
    effects_doc = _read_yaml(_builtin_text("effects.yaml"), "effects.yaml")
    rule_specs: list[dict[str, Any]] = list(rules_doc.get("rules") or [])
    vocab: dict[str, Any] = dict(vocab_doc)
    effects: dict[str, Any] = dict(effects_doc)
    sources = ["builtin"]
    for source, text in extra_texts:
        doc = _read_yaml(text, source)
        unknown = set(doc) - {"rules", "vocab", "effects", "version"}
        if unknown:
            raise RulesError(f"{source}: unknown top-level key(s) {sorted(unknown)}")
        extra_rules = doc.get("rules") or []
        if not isinstance(extra_rules, list):
            raise RulesError(f"{source}: `rules:` must be a list of rules")
        rule_specs = _merge_rules(rule_specs, extra_rules, source)
        if doc.get("vocab"):
            if not isinstance(doc["vocab"], dict):
                raise RulesError(f"{source}: `vocab:` must be a mapping")
            vocab = _merge_vocab(vocab, doc["vocab"], source)
        if doc.get("effects"):
            if not isinstance(doc["effects"], dict):
                raise RulesError(f"{source}: `effects:` must be a mapping")
            effects = _merge_effects(effects, doc["effects"], source)
        sources.append(source)
    rules = tuple(_compile_rule(spec, sources[-1]) for spec in rule_specs)
    order: dict[tuple[str, str], int] = {}
    for r in rules:
        for art in r.articles:
            order.setdefault(art, len(order))
    by_fact, by_target, always, deferred = _plan(rules)
    try:
        table = build_table(effects)
    except EffectsError as exc:
        raise RulesError(
            f"{sources[-1] if len(sources) > 1 else 'effects.yaml'}: effects: {exc}"
        ) from exc
    return RuleSet(
        rules=rules,
        vocab=_build_vocab(vocab),
        effects=table,
        orders=OrderWords.from_table(table),
        article_order=order,
        sources=tuple(sources),
        by_fact=by_fact,
        by_target=by_target,
        always=always,
        deferred=deferred,
    )


def _plan(
    rules: tuple[Rule, ...],
) -> tuple[
    dict[str, tuple[tuple[int, Rule], ...]],
    dict[str, tuple[tuple[int, Rule], ...]],
    tuple[tuple[int, Rule], ...],
    tuple[tuple[int, Rule], ...],
]:
    """Index rules so a call only looks at those that can fire: keyed by one required fact, or
    by the text they search (skipped when that text is empty)."""
    by_fact: dict[str, list[tuple[int, Rule]]] = {}
    by_target: dict[str, list[tuple[int, Rule]]] = {}
    always: list[tuple[int, Rule]] = []
    deferred: list[tuple[int, Rule]] = []
    for idx, rule in enumerate(rules):
        if not rule.enabled:
            continue
        if rule.min_risk is not None:
            deferred.append((idx, rule))
        elif rule.when:
            by_fact.setdefault(min(rule.when), []).append((idx, rule))
        elif rule.pattern is not None:
            by_target.setdefault(rule.target, []).append((idx, rule))
        else:
            always.append((idx, rule))
    return (
        {k: tuple(v) for k, v in by_fact.items()},
        {k: tuple(v) for k, v in by_target.items()},
        tuple(always),
        tuple(deferred),
    )


def load_rules(path: str | os.PathLike[str] | None = None) -> RuleSet:
    """Built-in rules, plus the YAML file at `path` (adds rules, or overrides them by id)."""
    if path is None:
        return build_ruleset()
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except OSError as exc:
        raise RulesError(f"cannot read rules file {p}: {exc}") from exc
    return build_ruleset([(str(p), text)])


_default: RuleSet | None = None
_default_lock = threading.Lock()


def default_rules() -> RuleSet:
    """Built-ins plus $AGENTAUDIT_RULES if set; loaded once, then shared by every thread."""
    global _default
    rs = _default
    if rs is None:
        with _default_lock:
            if _default is None:
                _default = load_rules(os.environ.get(RULES_ENV) or None)
            rs = _default
    return rs


def reset_default_rules() -> None:
    """Forget the cached default set (tests, or after changing $AGENTAUDIT_RULES)."""
    global _default
    with _default_lock:
        _default = None
