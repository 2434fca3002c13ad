"""The classification pipeline: one walk of the payload -> facts -> rules -> Classification.

Facts are what the code can tell about a call (operation kind, production target, PII and secret
types, destinations, money); rules in the YAML files turn facts and text patterns into risk levels
and articles. Nothing here does I/O or keeps per-call state outside the call.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from agentaudit.classifier import _detect as d
from agentaudit.classifier._commands import Analyser
from agentaudit.classifier._effects import (
    Effect,
    EffectTable,
    Judged,
    describe,
    program_name,
    url_delete,
    verb_noun,
    worst_scope,
)
from agentaudit.classifier._ruleset import Rule, RuleSet, Vocab
from agentaudit.models import Classification, Policy, RiskLevel, RuleMatch, construct

_DEFAULT_POLICY = Policy()
_RANK = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.CRITICAL: 3}
_LEVELS = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)
_IDENTIFYING = ("email", "phone", "credit_card", "iban", "ssn", "ip_address", "passport")
_NUMERIC_TYPES = frozenset(
    {"phone", "credit_card", "ssn", "ip_address", "national_id", "passport", "drivers_license"}
)
_SPECIAL = frozenset(
    {
        "health",
        "biometric",
        "genetic",
        "religion",
        "ethnicity",
        "sexual_orientation",
        "political_opinion",
        "trade_union",
    }
)
_HAS_DIGIT = re.compile(r"\d")
_PAY_CORE = frozenset({"pay", "refund", "payout", "wire"})
_ENABLED: dict[tuple[bool, bool, bool], tuple[str, ...]] = {}
_VERB_KINDS = ("read", "write", "delete", "deploy", "send", "exec")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'")
_SEGMENT = re.compile(r"\|\||&&|[|;&\n]|\$\(|`")
_ENV_ASSIGN = re.compile(r"^[A-Za-z_]\w*=")
_REDIRECT = re.compile(r"(?<![0-9&>])>>?\s*(?!&|/dev/null)\S")
_SQL_STMT = re.compile(
    r"(?:^|[;(\"'`]|\n)\s*(select|insert|update|delete|create|alter|drop|truncate|with|merge|"
    r"upsert|replace|grant|revoke|show|describe|desc|explain|copy|vacuum|analyze|use|set|begin|"
    r"commit|rename|call|pragma)\s",
    re.I,
)
_SQL_READ = frozenset(
    {"select", "with", "show", "describe", "desc", "explain", "use", "begin", "commit", "pragma"}
)
_TOKENS = re.compile(r"[\w]+")
_HOST_TOKENS = re.compile(r"[A-Za-z0-9]+")
_CRED_PATH = re.compile(
    r"(?:^|[\s/\"'=@:~])(?:\.env(?!\.(?:example|sample|template|dist|defaults?)\b)(?:\.[\w-]+)?|"
    r"id_(?:rsa|dsa|ecdsa|ed25519)(?!\.pub)|\.aws(?:/(?:credentials|config))?/?|\.gnupg/?|\.netrc|\.pgpass|"
    r"\.git-credentials|\.docker/config\.json|\.kube/config|kubeconfig(?:\.ya?ml)?|\.npmrc|"
    r"\.pypirc|secrets?\.(?:env|ya?ml|json|toml|ini)|credentials\.(?:json|ya?ml|csv)|"
    r"service[-_]account[\w-]*\.json|/etc/shadow|/etc/gshadow|\.htpasswd|\.vault-token|"
    r"[\w-]+\.(?:key|p12|pfx|jks|keystore|ppk|asc\.key)|\.ssh/[\w.-]+(?<!\.pub)(?<!known_hosts)"
    r"(?<!authorized_keys)(?<!config))(?=$|[\s\"'|;&)<>])"
)
# Every alternative of _CRED_PATH holds one of these (a dot, except three): where none occurs,
# it cannot match (it is case-sensitive).
_CRED_PATH_LITERALS = (".", "id_", "kubeconfig", "/etc/")
_SECRET_STORE_CMD = re.compile(
    r"\b(?:aws\s+secretsmanager\s+get-secret-value|aws\s+ssm\s+get-parameters?\b[^\n;|&]*"
    r"--with-decryption|vault\s+(?:kv\s+)?(?:get|read)\b|kubectl\s+get\s+secrets?\b|"
    r"gcloud\s+secrets\s+versions\s+access|az\s+keyvault\s+secret\s+(?:show|download)|"
    r"op\s+(?:read|item\s+get)|doppler\s+secrets|security\s+find-(?:generic|internet)-password|"
    r"printenv|cat\s+/proc/\d+/environ|env\s*$)",
    re.I | re.M,
)
_SECRET_STORE_ACTION = re.compile(
    r"\b(?:get|read|fetch|retrieve|access|reveal|show|export|dump|view|load|copy|decrypt|"
    r"download)\b.*\b(?:secret|secrets|credential|credentials|password|passwords|vault|keychain|"
    r"keyvault|apikey|api key|private key|ssh key)\b|\b(?:secret|secrets|vault|credential|"
    r"credentials|keychain|keyvault)\b.*\b(?:get|read|fetch|retrieve|access|reveal|show|export|"
    r"dump|decrypt)\b"
)
# Every alternative of _SECRET_STORE_CMD contains one of these, in any case (see _DEPLOY_WORDS).
_SECRET_STORE_WORDS = ("secret", "ssm", "vault", "read", "item", "find-", "env")
_DEPLOY_CMD = re.compile(
    r"\b(?:helm\s+(?:upgrade|install|rollback)|kubectl\s+(?:apply|set\s+image|rollout\s+"
    r"(?:restart|undo)|replace|patch|scale|create|edit)|vercel\b[^\n;|&]*(?:deploy|--prod)|"
    r"netlify\s+deploy|fly(?:ctl)?\s+deploy|gcloud\s+(?:run|app|functions)\s+deploy|"
    r"(?:serverless|sls)\s+deploy|cdk\s+deploy|terraform\b[^\n;|&]*\bapply|pulumi\s+up|eb\s+deploy|"
    r"ansible-playbook|git\s+push\s+heroku|docker\s+(?:stack\s+deploy|service\s+update)|"
    r"argocd\s+app\s+sync|skaffold\s+(?:run|deploy)|kubectl\s+rollout)\b",
    re.I,
)
# Every alternative of _DEPLOY_CMD contains one of these words, in any case. In ASCII text (where
# re.I is plain lower-casing) a command without any of them cannot match, so the regex, which
# tries ~20 branches at every position, is skipped; other text always runs it.
_DEPLOY_WORDS = (
    "deploy",
    "helm",
    "kubectl",
    "vercel",
    "netlify",
    "terraform",
    "pulumi",
    "ansible-playbook",
    "heroku",
    "docker",
    "argocd",
    "skaffold",
)
_GIT_PUSH = re.compile(r"\bgit\b[^\n;&|]*?\bpush\b([^\n;&|]*)", re.I)
_FORCE_FLAG = re.compile(r"(?:^|\s)(?:--force(?:-with-lease)?(?:=\S*)?|-f|-\w*f\w*)(?=\s|$)")
_PROTECTED = frozenset({"main", "master", "trunk", "production", "prod", "release", "live"})
_HTTP_METHOD = re.compile(r"(?:-X|--request)\s*['\"]?([A-Za-z]+)")
_HTTP_DATA = re.compile(
    r"(?:^|\s)(?:-d|--data[\w-]*|-F|--form|-T|--upload-file|--json|--post-data|--post-file)(?:\s|=|$)"
)
_AMOUNT_TEXT = re.compile(r"[\d][\d,.' ]*")
_FLAG_VALUE = re.compile(r"(?:^|\s)(-{1,2}[\w-]+)(?:=|\s+)([\w./:@-]+)")


# Precompiled here so the hot path never consults re's pattern cache.
_NOT_ALNUM_LOW = re.compile(r"[^0-9a-z]")
_SSN_PREFIX = re.compile(r"^(?:ssn|socialsecurity\w*?)(?=\d)")
_FINGERPRINT = re.compile(r"^(?:SHA256:|MD5:|[0-9a-fA-F:]{16,}$)")
_DIGIT = re.compile(r"\d")
_SSH_BEFORE = re.compile(r"(?:ssh|scp)\s+$")
_IBAN_HINT = re.compile(r"[A-Z]{2}\d{2}")
_NON_DIGIT = re.compile(r"\D")
_GIST = re.compile(r"\bgh\s+gist\s+create\b[^\n]*--public|\bgist\b")
_AUTH_SCHEME = re.compile(r"^(?:Bearer|Basic|Token)\s+", re.I)


@dataclass(slots=True)
class _Key:
    """What a payload key name tells, computed once per distinct key and cached."""

    norm: str
    words: frozenset[str]
    pii: str | None
    secret: str | None
    veto: bool
    command: bool
    prose: bool
    path: bool
    url: bool
    env: bool
    method: bool
    recipient: bool
    amount: bool
    minor: bool
    currency: bool
    security: bool
    enable: bool
    args: bool


def _key(v: Vocab, name: str) -> _Key:
    k = v.key_cache.get(name)
    if k is not None:
        return k
    words = d.split_words(name)
    norm = "_".join(words)
    ws = frozenset(words)
    _, pii = d.suffix_lookup(norm, v.pii_fields)
    _, secret = d.suffix_lookup(norm, v.secret_fields)
    k = _Key(
        norm=norm,
        words=ws,
        pii=pii,
        secret=secret,
        veto=bool(ws & v.pii_key_vetoes),
        command=bool(ws & v.command_keys) or norm in v.command_keys,
        prose=norm in v.prose_keys or (bool(ws & v.prose_keys) and not ws & v.command_keys),
        path=norm in v.path_keys or (bool(words) and words[-1] in {"path", "file", "filename"}),
        url=norm in v.url_keys or (bool(words) and words[-1] in {"url", "uri", "endpoint"}),
        env=norm in v.environment_keys,
        method=norm in v.method_keys,
        recipient=norm in v.recipient_keys,
        amount=norm in v.amount_keys or (bool(words) and words[-1] == "amount"),
        minor=norm in v.minor_amount_keys,
        currency=norm in v.currency_keys,
        security=bool(ws & v.security_setting_words) or norm in v.security_setting_words,
        enable=bool(ws & v.enable_words),
        args=norm in {"args", "argv", "arguments"},
    )
    if len(v.key_cache) > 50_000:
        v.key_cache.clear()
    v.key_cache[name] = k
    return k


class _Call:
    """Per-call working state. Created and discarded inside one `classify` call."""

    __slots__ = (
        "v",
        "pii",
        "pii_values",
        "secrets",
        "secret_values",
        "facts",
        "ev",
        "content",
        "scan",
        "commands",
        "shell_cmds",
        "paths",
        "urls",
        "recipients",
        "env_values",
        "amounts",
        "has_currency",
        "http_method",
        "address_container",
        "git_branch",
        "git_force",
        "dbish",
        "found",
        "leaves",
        "argvs",
        "structured",
        "flags",
        "settings",
        "texts",
        "keys",
        "action_words",
    )

    def __init__(self, v: Vocab, found: list[tuple[str, str]] | None = None) -> None:
        self.v = v
        self.found = found  # (type, value as written) for redaction, when asked for
        self.pii: dict[str, str] = {}
        self.pii_values: dict[str, set[str]] = {}
        self.secrets: dict[str, str] = {}
        self.secret_values: list[str] = []
        self.facts: set[str] = set()
        self.ev: dict[str, str] = {}
        self.content: list[str] = []
        self.scan: list[str] = []
        self.commands: list[str] = []
        self.shell_cmds: list[str] = []
        self.paths: list[str] = []
        self.urls: list[str] = []
        self.recipients: list[str] = []
        self.env_values: list[tuple[str, str]] = []
        self.amounts: list[float] = []
        self.has_currency = False
        self.http_method: str | None = None
        self.address_container = False
        self.git_branch: str | None = None
        self.git_force = False
        self.dbish = False
        self.leaves: list[tuple[str, str]] = []  # (string, role) that may be commands
        self.argvs: list[list[str]] = []  # commands given as lists of words
        self.structured: list[dict[str, Any]] = []  # objects that describe a command
        self.flags: set[str] = set()  # boolean options set true (recursive, force, all…)
        self.settings: list[tuple[str, str]] = []  # (key, value) scalar fields, for `settings:`
        self.texts: list[tuple[str, str]] = []  # (key, string) of every leaf, for orders
        self.keys: set[str] = set()  # every key of the payload, normalised
        self.action_words: frozenset[str] = frozenset()

    def add_pii(self, typ: str, value: str, *, written: bool = True) -> None:
        if typ not in self.pii:
            self.pii[typ] = value
        if written and self.found is not None:
            self.found.append((typ, value))
        norm = value.strip().lower()
        if typ in _NUMERIC_TYPES or typ == "iban":
            digits = _NOT_ALNUM_LOW.sub("", norm)
            norm = _SSN_PREFIX.sub("", digits)
        self.pii_values.setdefault(typ, set()).add(norm)

    def add_secret(self, typ: str, value: str) -> None:
        self.secrets.setdefault(typ, value)
        if self.found is not None:
            self.found.append((typ, value))
        if len(value) >= 4:
            self.secret_values.append(value)


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        m = _AMOUNT_TEXT.search(value)
        if not m:
            return None
        s = m.group(0).replace(" ", "").replace("'", "")
        if "," in s and "." in s:
            s = s.replace(",", "") if s.rfind(".") > s.rfind(",") else s.replace(".", "")
            s = s.replace(",", ".")
        elif "," in s:
            head, _, tail = s.rpartition(",")
            s = head.replace(",", "") + ("." + tail if len(tail) != 3 else tail)
        elif s.count(".") >= 1 and all(len(g) == 3 for g in s.split(".")[1:]) and len(s.split(".")[0]) <= 3:
            s = s.replace(".", "")  # 25.000 (a thousands separator, as written in most of Europe)
        try:
            return float(s)
        except ValueError:
            return None
    return None


# ----------------------------------------------------------------------------- payload walk


def _field_value_ok(typ: str, value: str) -> bool:
    """Field names are evidence; the value only has to be plausible for the type."""
    s = value.strip()
    if not s or len(s) > 2000:
        return False
    if typ in ("phone", "credit_card", "ssn"):
        return sum(c.isdigit() for c in s) >= (6 if typ == "phone" else 9)
    if typ == "ip_address":
        return any(d.public_ip(m.group(0)) for m in d.IPV4.finditer(s)) or (
            ":" in s and d.public_ip(s)
        )
    if typ in ("address", "person_name"):
        return any(c.isalpha() for c in s) and s.lower() not in ("none", "null", "n/a", "unknown")
    if typ == "biometric" and _FINGERPRINT.match(s):
        return False
    return s.lower() not in ("none", "null", "n/a", "unknown", "false", "no")


def _walk(c: _Call, obj: Any, key: _Key | None, shellish: bool, inert: bool, depth: int) -> None:
    if depth > 40:
        return
    if isinstance(obj, dict):
        if key is not None and key.pii == "address" and obj:
            c.address_container = True
        if not obj and key is not None and key.norm in _FILTER_KEYS:
            c.flags.add("all")  # an empty filter matches everything
        if not inert and len(c.structured) < 8:
            c.structured.append(obj)
        for name, val in obj.items():
            k = _key(c.v, str(name))
            if len(c.keys) < 256:
                c.keys.add(k.norm)
            _walk(c, val, k, shellish, inert, depth + 1)
        return
    if isinstance(obj, list | tuple):
        if key is not None and key.args and all(isinstance(x, str | int | float) for x in obj):
            _leaf(c, " ".join(str(x) for x in obj), key, shellish, inert)
            return
        if (
            not inert
            and obj
            and len(obj) <= 64
            and all(isinstance(x, str) for x in obj)
            and not (key is not None and (key.prose or key.recipient))
            and " " not in str(obj[0]).strip()
            and len(c.argvs) < 16
        ):
            c.argvs.append([str(x) for x in obj])
        for val in obj:
            _walk(c, val, key, shellish, inert, depth + 1)
        return
    if isinstance(obj, str):
        s = obj.strip()
        if len(s) > 1 and s[0] == "{" and s[-1] == "}" and len(s) <= 65_536 and depth < 8:
            # a JSON object passed as a string (LangChain's requests tools): walk what it holds
            try:
                inner = json.loads(s)
            except ValueError:
                inner = None
            if isinstance(inner, dict):
                _walk(c, inner, key, shellish, inert, depth + 1)
                return
        if key is not None and len(obj) <= 256:
            c.settings.append((key.norm, obj))
        _leaf(c, obj, key, shellish, inert)
        return
    if key is None:
        return
    if isinstance(obj, bool):
        if obj and key.norm in _FLAG_WORDS:
            c.flags.add(key.norm)
        c.settings.append((key.norm, str(obj).lower()))
        if key.security and (
            (key.enable and obj is False) or ({"disable", "disabled", "off"} & key.words and obj)
        ):
            c.facts.add("security_off")
            c.ev["security_off"] = f"{key.norm}={str(obj).lower()}"
        if obj and key.pii in _SPECIAL:
            c.add_pii(key.pii, key.norm, written=False)
        if key.norm in ("force", "force_push", "forced") and obj:
            c.git_force = True
        return
    if isinstance(obj, int | float):
        if key.amount or key.minor:
            c.amounts.append(float(obj) / (100.0 if key.minor else 1.0))
        if key.pii in ("phone", "credit_card", "ssn", "national_id") and not isinstance(obj, bool):
            s = str(int(obj)) if isinstance(obj, int) else ""
            if s and _field_value_ok(key.pii, s):
                c.add_pii(key.pii, s)


def _leaf(c: _Call, value: str, key: _Key | None, shellish: bool, inert: bool) -> None:
    if not value:
        return
    c.content.append(value)
    if key is not None and len(c.texts) < 64:
        c.texts.append((key.norm, value))
    if key is None:
        c.scan.append(value)
        return
    # Field-name evidence.
    if key.secret is not None and not value.startswith("-----BEGIN CERT"):
        raw = value
        if key.norm.endswith("authorization"):
            raw = _AUTH_SCHEME.sub("", value.strip())
        min_len = 4 if key.secret == "password" else 8
        if (
            key.secret != "db_connection_string"
            and d.plausible_secret(raw, True, min_len)
            and " " not in raw.strip()
        ):
            c.add_secret(key.secret, raw)
            c.ev.setdefault("secret_field", key.norm)
    if key.pii is not None and _field_value_ok(key.pii, value):
        c.add_pii(key.pii, value)
    if not key.veto:
        c.scan.append(value)
    elif key.pii is None:
        # Vetoed keys (order/ticket numbers…) still carry emails and cue-based text.
        c.scan.append(_DIGIT.sub("0", value) if len(value) < 64 else value)
    # Roles.
    if key.env:
        c.env_values.append((key.norm, value))
    if key.method:
        c.http_method = value.strip().upper()
    if key.recipient:
        c.recipients.append(value)
    if key.currency:
        c.has_currency = True
    if key.amount or key.minor:
        f = _to_float(value)
        if f is not None:
            c.amounts.append(f / (100.0 if key.minor else 1.0))
    if key.norm in ("branch", "ref", "refspec", "target_branch", "remote_branch"):
        c.git_branch = value.strip()
    if key.url or "://" in value[:12]:
        c.urls.append(value)
    if key.path:
        c.paths.append(value)
    if inert:
        return
    role = _role(c, key, shellish)
    if role:
        c.leaves.append((value, role))
        if role != "unknown":
            c.commands.append(value)


_SQL_KEYS = frozenset(
    {"sql", "sql_query", "raw_sql", "statement", "statements", "expression_sql", "cypher", "cql", "hql"}
)
_CODE_KEYS = frozenset({"code", "source_code", "snippet", "program", "source", "python", "js"})
_FILTER_KEYS = frozenset({"filter", "where", "query", "selector", "match", "conditions", "criteria"})
_FLAG_WORDS = frozenset(
    {"force", "recursive", "all", "auto_approve", "yes", "purge", "cascade", "no_preserve_root",
     "volumes", "delete", "prune", "skip_final_snapshot", "force_delete", "permanent",
     "permanently", "hard", "hard_delete", "delete_all", "include_data", "wipe", "drop"}
)


def _role(c: _Call, key: _Key, shellish: bool) -> str:
    """How a string is read for commands: command, sql, code, unknown (recognised only if it
    clearly is one), or "" (prose, paths, URLs… never run)."""
    if key.prose or key.path or key.url or key.env or key.recipient or key.method or key.amount:
        return ""
    if key.command:
        if key.norm in _SQL_KEYS or (c.dbish and key.norm in ("query", "queries")):
            return "sql"
        if key.norm in _CODE_KEYS:
            return "code"
        return "command"
    if shellish:
        return "command"
    if c.dbish and not c.v.verbs["exec"].issuperset(c.action_words & c.v.verbs["dbish"]):
        return "sql"  # a database tool (not merely an `execute_…` one): its strings are queries
    return "unknown"


# ----------------------------------------------------------------------------- detectors


def _detect_secrets(c: _Call, text: str) -> list[tuple[int, int]]:
    """Structural secret detection over the joined text; returns spans to hide from PII scans."""
    spans: list[tuple[int, int]] = []

    def taken(a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in spans)

    if "PRIVATE KEY" in text:
        for m in d.PEM_PRIVATE.finditer(text):
            spans.append(m.span())
            c.add_secret("private_key", m.group(0))
    # each regex only where its literal parts occur ("://" and the "@" after the password for
    # URLs with credentials, "=" and ";" for ADO.NET)
    url_creds = "://" in text and "@" in text
    if url_creds:
        for m in d.DB_URL.finditer(text):
            spans.append(m.span())
            c.add_secret("db_connection_string", m.group(0))
    if "=" in text and ";" in text:
        for m in d.ADO_CONN.finditer(text):
            if not taken(*m.span()):
                spans.append(m.span())
                c.add_secret("db_connection_string", m.group(0))
    if url_creds:
        for m in d.URL_CREDS.finditer(text):
            if not taken(*m.span()):
                spans.append(m.span())
                c.add_secret("password", m.group(0))
    for tok in d.LONG_TOKEN.finditer(text):
        cand = tok.group(0)
        if not d.ANY_VENDOR_PREFIX.search(cand):
            continue
        for m in d.VENDOR_KEY.finditer(cand):
            if m.start() and cand[m.start() - 1].isalnum():
                continue
            span = (tok.start() + m.start(), tok.start() + m.end())
            if not taken(*span):
                spans.append(span)
                c.add_secret("api_key", m.group(0))
    if "eyJ" in text or "earer" in text or "ya29." in text or "oken " in text:
        for rx in (d.JWT, d.BEARER, d.GOOGLE_TOKEN):
            for m in rx.finditer(text):
                if not taken(*m.span()):
                    spans.append(m.span())
                    c.add_secret("access_token", m.group(0))
    if "asic " in text:
        for m in d.BASIC.finditer(text):
            if not taken(*m.span()):
                spans.append(m.span())
                c.add_secret("access_token", m.group(0))
    v = c.v
    low = text.lower()
    kv = d.KEY_VALUE.finditer(text) if d.ANY_SECRET_WORD.search(low) else ()
    for m in kv:
        if taken(m.start("v"), m.end("v")):
            continue
        start = m.start()
        while start > 0 and text[start - 1] in d.KEY_CHARS and m.start() - start < 60:
            start -= 1
        if start > 0 and text[start - 1] == "$":
            continue  # a shell variable (`$PWD`), not a key with a value
        head = text[start : m.start("q") if m.group("q") else m.start("v")]
        key_name = head.rstrip().rstrip("=:").rstrip().rstrip("\"'").rstrip()
        if key_name.endswith(" is"):
            key_name = key_name[:-3]
        if True:
            norm = "_".join(d.split_words(key_name))
            found, typ = d.suffix_lookup(norm, v.secret_fields)
            if not found or typ is None or typ == "db_connection_string":
                continue
            min_len = 4 if typ == "password" else 8
            if d.plausible_secret(m.group("v"), bool(m.group("q")), min_len):
                spans.append(m.span("v"))
                c.add_secret(typ, m.group("v"))
    if "pass" in low or "pw" in low or "kennwort" in low or "contrase" in low or "senha" in low:
        for rx in (d.PASSWORD_PROSE, d.CLI_PASSWORD):
            for m in rx.finditer(text):
                if taken(m.start("v"), m.end("v")):
                    continue
                if d.plausible_secret(m.group("v"), False, 4):
                    spans.append(m.span("v"))
                    c.add_secret("password", m.group("v"))
    return spans


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts = []
    last = 0
    for s, e in sorted(spans):
        if s < last:
            s = last
        parts.append(text[last:s])
        parts.append(" " * max(0, e - s))
        last = max(last, e)
    parts.append(text[last:])
    return "".join(parts)


def _detect_pii_text(c: _Call, text: str, numeric: str, inert: bool, with_cues: bool) -> None:
    v = c.v
    spans: list[tuple[int, int]] = []
    if "@" in text:
        for m in d.EMAIL.finditer(text):
            before = text[max(0, m.start() - 6) : m.start()]
            if before.endswith("://") or _SSH_BEFORE.search(before):
                continue
            local = m.group(0).split("@", 1)[0].lower()
            if local in ("git", "noreply", "no-reply"):
                continue
            c.add_pii("email", m.group(0))
    # IBANs and DNIs need an ASCII capital; islower() is true only where no capital occurs
    capitals = not numeric.islower()
    if capitals and _IBAN_HINT.search(numeric):
        for m in d.IBAN.finditer(numeric):
            if d.iban_ok(m.group(0)):
                c.add_pii("iban", m.group(0))
                spans.append(m.span())
    if spans:
        numeric = _blank(numeric, spans)
    cands = [m.group(0) for m in d.NUMSEQ.finditer(numeric)]
    low = text.lower()
    words = frozenset(d.letter_runs(low))
    if cands:
        cue_card = "card" in low or "visa" in low or "master" in low or "amex" in low
        for cand in cands:
            for m in d.CARD.finditer(cand):
                digits = _NON_DIGIT.sub("", m.group(0))
                if d.card_ok(digits, cue_card):
                    c.add_pii("credit_card", m.group(0))
            if "-" in cand:
                for m in d.SSN.finditer(cand):
                    if d.ssn_ok(*m.groups()):
                        c.add_pii("ssn", m.group(0))
            if "." in cand:
                for m in d.IPV4.finditer(cand):
                    ip = m.group(0)
                    if ip not in v.infrastructure_ips and d.public_ip(ip):
                        pos = numeric.find(ip)
                        before = numeric[max(0, pos - 3) : pos]
                        if not (before.endswith("://") or before.endswith("@")):
                            c.add_pii("ip_address", ip)
        if "+" in numeric:
            for m in d.PHONE_INTL.finditer(numeric):
                if d.phone_ok(m.group(0)):
                    c.add_pii("phone", m.group(0))
        if "ssn" in words or "social" in words:
            for m in d.SSN_CUE.finditer(numeric):
                if d.ssn_ok(*m.groups()):
                    c.add_pii("ssn", m.group(0))
        if _meet(words, d.PHONE_CUE_WORDS):
            for m in d.PHONE_CUE.finditer(numeric):
                digits = _NON_DIGIT.sub("", m.group(1))
                if 7 <= len(digits) <= 15:
                    c.add_pii("phone", m.group(1))
        if capitals and any(len(x) >= 8 for x in cands):
            for m in d.DNI.finditer(numeric):
                if d.dni_ok(*m.groups()):
                    c.add_pii("national_id", m.group(0))
    if with_cues and (_meet(words, d.ALL_CUE_WORDS) or d.ANY_CUE_SUB.search(low)):
        tables = (d.ID_CUES, d.SPECIAL_CUES) if not inert else (d.ID_CUES,)
        for table in tables:
            for typ, rx in table:
                if typ in c.pii:
                    continue
                trig_words, trig_subs = d.CUE_TRIGGERS[typ]
                if not (_meet(words, trig_words) or any(t in low for t in trig_subs)):
                    continue
                cue_m = rx.search(text)
                if cue_m:
                    c.add_pii(typ, cue_m.group(0))


# ----------------------------------------------------------------------------- operations


def _worded(words: Collection[str], text: str) -> bool:
    """Whether `text` may hold one of `words` (lower case) in some case: False only for ASCII
    text that holds none. In ASCII text, lower-casing is exact character by character; in other
    text, re.IGNORECASE and str.lower fold a few letters (KELVIN SIGN, LONG S) to ASCII ones."""
    if not text.isascii():
        return True
    low = text.lower()
    return any(w in low for w in words)


def _search_if_worded(
    rx: re.Pattern[str], words: tuple[str, ...], text: str
) -> re.Match[str] | None:
    """`rx.search(text)`, skipped where `text` cannot hold one of `words` (every alternative of
    `rx` contains one of them, in some case)."""
    return rx.search(text) if _worded(words, text) else None


def _strip_quotes(cmd: str) -> str:
    if '"' not in cmd and "'" not in cmd:
        return cmd  # each match begins with a quote
    return _QUOTED.sub(" Q ", cmd)


def _cred_path(text: str) -> re.Match[str] | None:
    """`_CRED_PATH.search(text)`, skipped where none of its literals occurs."""
    for literal in _CRED_PATH_LITERALS:
        if literal in text:
            return _CRED_PATH.search(text)
    return None


_VALUE_FLAGS = frozenset(
    {
        "-n",
        "--namespace",
        "-C",
        "--context",
        "--kubeconfig",
        "-c",
        "--project",
        "--region",
        "--profile",
        "-h",
        "-p",
        "-a",
        "-u",
        "-U",
        "--host",
        "--chdir",
    }
)


def _shell_kind(c: _Call, cmd: str) -> set[str]:
    """Read-only vs side-effecting, segment by segment of a shell command line."""
    v = c.v
    kinds: set[str] = set()
    bare = _strip_quotes(cmd)
    # what the command's SQL does: looked for once a database client needs it
    sql_kinds: set[str] | None = None
    for seg in _SEGMENT.split(bare):
        words = seg.split()
        i = 0
        while i < len(words) and (
            _ENV_ASSIGN.match(words[i])
            or words[i] in ("sudo", "time", "nohup", "env", "exec", "command", "nice", "xargs")
        ):
            if words[i] == "sudo":
                i += 1
                while i < len(words) and words[i].startswith("-"):
                    i += 2 if words[i] in ("-u", "-g", "-C") else 1
                continue
            i += 1
        if i >= len(words):
            continue
        prog = words[i].rsplit("/", 1)[-1].lower()
        if prog in ("Q", "q", "(", ")", "{", "}"):
            continue
        rest = words[i + 1 :]
        if ">" in seg and _REDIRECT.search(seg):
            kinds.add("write")
            continue
        if prog in v.read_programs:
            if prog == "find" and ("-delete" in rest or "-exec" in rest):
                kinds.add("write")
            else:
                kinds.add("read")
            continue
        if prog in ("curl", "wget", "http", "https", "httpie", "xh"):
            m = _HTTP_METHOD.search(seg)
            method = m.group(1).upper() if m else None
            if (method and method not in ("GET", "HEAD", "OPTIONS")) or _HTTP_DATA.search(seg):
                kinds.add("write")
            else:
                kinds.add("read")
            continue
        if prog in v.db_clients:
            if sql_kinds is None:
                sql_kinds = _sql_kind(cmd) if _SQL_STMT.search(cmd) else set()
            kinds |= sql_kinds or {"read"}
            continue
        if prog in v.subcommands:
            sub = None
            j = 0
            while j < len(rest):
                w = rest[j]
                if w.startswith("-"):
                    j += 2 if (w in _VALUE_FLAGS and "=" not in w) else 1
                    continue
                sub = w.lower()
                break
            if sub is None or sub in v.subcommands[prog]:
                kinds.add("read")
            else:
                kinds.add("write")
            continue
        if prog in v.cloud_programs:
            low = [w.lower() for w in rest]
            is_read = any(
                w.split("-", 1)[0] in v.cloud_read_words for w in low if not w.startswith("-")
            )
            is_write = any(
                w in v.cloud_write_words or w.split("-", 1)[0] in v.cloud_write_words
                for w in low
                if not w.startswith("-")
            )
            kinds.add("read" if is_read and not is_write else "write")
            continue
        if prog in ("sed", "perl") and not any(w.startswith("-i") for w in rest):
            kinds.add("read")
            continue
        kinds.add("write")
        kinds.add("exec")
    return kinds


def _sql_kind(text: str) -> set[str]:
    kinds = set()
    for m in _SQL_STMT.finditer(text):
        kinds.add("read" if m.group(1).lower() in _SQL_READ else "write")
    return kinds


def _host_class(v: Vocab, host: str) -> str:
    """internal | drop | known | unknown."""
    h = host.lower()[:253].strip("[].")
    if not h:
        return "internal"
    if h == "localhost" or "." not in h or h.endswith(v.internal_host_suffixes):
        if "." not in h and ":" in h and d.public_ip(h):
            return "unknown"
        return "internal"
    if re.fullmatch(r"[\d.]+", h) or ":" in h:
        return "unknown" if d.public_ip(h) else "internal"
    parts = h.split(".")
    for i in range(len(parts) - 1):
        suffix = ".".join(parts[i:])
        if suffix in v.public_drop_hosts:
            return "drop"
        if suffix in v.known_hosts:
            return "known"
    return "unknown"


def _prod_tokens(v: Vocab, text: str) -> str | None:
    for tok in _HOST_TOKENS.findall(text):
        if tok.lower() in v.production_words:
            return tok
    return None


def _word_tokens_prod(v: Vocab, text: str) -> str | None:
    """Whole `\\w+` tokens split on hyphens, dots and slashes (never on `_`: production_ready).
    A token that lower-cases to a production word holds it in some case (see _worded)."""
    if not _worded(v.production_words, text):
        return None
    for tok in _TOKENS.findall(text):
        if tok.lower() in v.production_words:
            return tok
    return None


# ----------------------------------------------------------------------------- classify


@dataclass(frozen=True, slots=True)
class _Action:
    """What an action name tells (verbs, shell-ness); cached per distinct name."""

    words: tuple[str, ...]
    wordset: frozenset[str]
    text: str
    read_v: bool
    write_v: bool
    exec_v: bool
    strong_exec: bool
    deploy_v: bool
    send_v: bool
    changing: bool
    inert: bool
    program: str | None
    shellish: bool
    hits: dict[Any, Any]
    dbish: bool
    export_people: bool
    secret_store: bool
    verbs_all: frozenset[str]
    read_words: frozenset[str]
    delegates: bool
    http_method: str | None
    outside_channel: bool


def _analyse_action(v: Vocab, t: EffectTable, action: str) -> _Action:
    aw = d.split_words(action or "")
    aws = frozenset(aw)
    verbs = v.verbs
    read_v = bool(aws & verbs["read"])
    write_v = bool(aws & verbs["write"])
    delete_v = bool(aws & verbs["delete"])
    exec_v = bool(aws & verbs["exec"])
    strong_exec = bool(aws & verbs["exec_strong"])
    deploy_v = bool(aws & verbs["deploy"])
    send_v = bool(aws & verbs["send"])
    export_v = bool(aws & verbs["export"])
    changing = write_v or delete_v or deploy_v or send_v or export_v
    if read_v and changing:
        # Verb-first names: `get_build_status` reads even though `build` is also a verb.
        first = next((w for w in aw if any(w in verbs[k] for k in _VERB_KINDS)), None)
        if first is not None and first in verbs["read"]:
            write_v = delete_v = deploy_v = send_v = changing = False
    inert = bool(aws & verbs["inert"]) and not (changing or exec_v)
    program = None
    if aw:
        first = t.aliases.get(aw[0], aw[0])
        whole = t.aliases.get(action.lower(), action.lower())
        if first in t.tool_programs or aw[0] in t.tool_programs:
            program = first
        elif whole in t.tool_programs:
            program = whole
    text = " ".join(aw)
    return _Action(
        words=aw,
        wordset=aws,
        text=text,
        read_v=read_v,
        write_v=write_v,
        exec_v=exec_v,
        strong_exec=strong_exec,
        deploy_v=deploy_v,
        send_v=send_v,
        changing=changing,
        inert=inert,
        program=program,
        shellish=program is not None or bool(aws & verbs["shellish"]),
        hits={},
        dbish=bool(aws & verbs["dbish"]),
        export_people=export_v and bool(aws & verbs["people"]),
        secret_store=_SECRET_STORE_ACTION.search(text) is not None,
        verbs_all=frozenset().union(*(verbs[k] for k in _VERB_KINDS)),
        read_words=verbs["read"],
        delegates=_delegates(aw, action, verbs["delegate"]),
        http_method=_http_method(aw),
        outside_channel=bool(aws & verbs["outside_channels"]),
    )


def _delegates(words: tuple[str, ...], action: str, delegate: frozenset[str]) -> bool:
    """A tool that hands work to another agent (OpenAI Agents' `transfer_to_*` handoffs, Claude
    Code's `Task`, CrewAI's `Delegate work to coworker`, `send_message_to_agent`…)."""
    low = action.lower()
    return (
        low in ("task", "agent", "run_agent", "call_agent")
        or low.startswith("transfer_to_")
        or bool(set(words) & delegate)
        or "_".join(words) in delegate
    )


def _http_method(words: tuple[str, ...]) -> str | None:
    """`requests_delete`, `http_put`, `api_delete`: a tool named for its HTTP method."""
    if set(words) & {"http", "https", "request", "requests", "api", "rest", "curl", "fetch"}:
        for m in ("delete", "put", "patch", "post", "get"):
            if m in words:
                return m.upper()
    return None


def run(
    rs: RuleSet,
    agent_id: str,
    action: str,
    data: dict[str, Any] | None,
    context: dict[str, Any] | None,
    reasoning: str | None,
    policy: Policy | None,
    found: list[tuple[str, str]] | None = None,
) -> Classification:
    """Classify one call; with `found`, also collect each (type, value) as written."""
    v = rs.vocab
    policy = policy or _DEFAULT_POLICY
    c = _Call(v, found)
    a = rs.action_cache.get(action)
    if a is None:
        a = _analyse_action(v, rs.effects, action)
        if len(rs.action_cache) > 10_000:
            rs.action_cache.clear()
        rs.action_cache[action] = a
    _aw, aws = a.words, a.wordset
    verbs = v.verbs
    read_v, write_v, send_v, changing = a.read_v, a.write_v, a.send_v, a.changing
    exec_v, strong_exec, deploy_v = a.exec_v, a.strong_exec, a.deploy_v
    inert, program, shellish = a.inert, a.program, a.shellish

    c.dbish = a.dbish
    c.action_words = a.wordset
    if data:
        _walk(c, data, None, shellish, inert, 0)
    # --- secrets then PII over the joined payload text
    content = "\n".join(c.content)
    spans = _detect_secrets(c, content) if content else []
    scan = "\n".join(c.scan)
    if scan:
        text_spans = _detect_secrets_spans_for(scan, c) if c.secret_values else []
        pii_text = _blank(scan, text_spans)
        _detect_pii_text(c, pii_text, pii_text, inert, True)
    if reasoning and ("@" in reasoning or _HAS_DIGIT.search(reasoning)):
        _detect_pii_text(c, reasoning, reasoning, True, False)
    if c.address_container:
        c.add_pii("address", "address", written=False)
    del spans

    facts = c.facts
    ev = c.ev
    if c.pii:
        facts.add("pii")
        ev["pii"] = ", ".join(sorted(c.pii))
        special = sorted(set(c.pii) & _SPECIAL)
        if special:
            facts.add("special")
            ev["special"] = ", ".join(special)
    if c.secrets:
        facts.add("secret")
        typ = sorted(c.secrets)[0]
        ev["secret"] = f"{typ} {d.mask(c.secrets[typ])}"

    # --- commands: what each command in the call does, whatever its key, tool or language
    an = Analyser(rs.effects, lambda dest: _dest_class(v, dest, policy))
    if not inert:
        _find_commands(c, a, an, rs)
    found = an.out
    c.amounts.extend(found.amounts)
    for e in found.effects:
        facts.add(e.kind)
        ev.setdefault(e.kind, e.text)
        if e.scope:
            facts.add(e.fact)
            ev.setdefault(e.fact, e.text)
    command_text = "\n".join(found.texts)

    # --- operation kind
    kinds = set(found.kinds) & {"read", "write", "exec"}
    method = c.http_method or a.http_method
    if not kinds and method:
        kinds.add("read" if method in ("GET", "HEAD", "OPTIONS") else "write")
    if kinds:
        if changing:
            kinds.add("write")
        if strong_exec and not shellish:
            kinds |= {"write", "exec"}
    else:
        if changing:
            kinds.add("write")
        elif strong_exec or (exec_v and not read_v):
            kinds |= {"write", "exec"}
        else:
            kinds.add("read")
    if any(e.kind in _CHANGES for e in found.effects):
        kinds.add("write")
    if "exec" in kinds:
        facts.add("exec")
    if "write" in kinds or "exec" in kinds:
        facts.add("write")
        ev.setdefault("write", action)
    else:
        facts.add("read")

    # --- outbound message, money, export, deploy
    if _meet(aws, verbs["message_nouns"]) and (send_v or write_v or not read_v):
        facts.add("send")
        facts.add("write")
        facts.discard("read")
        ev["send"] = action
    if c.recipients and (send_v or "send" in facts):
        facts.add("send")
    if "move_money" in facts:
        facts.add("payment")
        facts.add("write")
        facts.discard("read")
        amount = max(c.amounts) if c.amounts else 0.0
        ev.setdefault("payment", ev["move_money"])
        if amount >= policy.money_critical_threshold:
            facts.add("money_critical")
            ev["money_critical"] = f"{ev['move_money']} {amount:,.2f} >= {policy.money_critical_threshold:,.0f}"
    pay_strong = _meet(aws, verbs["pay"])
    pay_weak = _meet(aws, verbs["pay_weak"]) and (bool(c.amounts) or c.has_currency)
    if (pay_strong or pay_weak) and not (read_v and not changing and not pay_strong):  # noqa: SIM102
        if not (read_v and not changing and not _meet(aws, _PAY_CORE)):
            facts.add("payment")
            amount = max(c.amounts) if c.amounts else 0.0
            ev["payment"] = f"{action} {amount:,.2f}" if c.amounts else action
            if amount >= policy.money_critical_threshold:
                facts.add("money_critical")
                ev["money_critical"] = (
                    f"{action} {amount:,.2f} >= {policy.money_critical_threshold:,.0f}"
                )
            facts.add("write")
            facts.discard("read")
    if "pii" in facts:
        many = any(len(c.pii_values.get(t, ())) >= 2 for t in _IDENTIFYING if t in c.pii_values)
        if (_meet(aws, verbs["export"]) and ("write" in facts or not read_v)) or (
            many and "write" in facts
        ):
            facts.add("bulk")
            ev["bulk"] = ev["pii"]
    if a.export_people:
        facts.add("bulk_people")
        ev["bulk_people"] = action
    if (deploy_v and not (read_v and not changing)) or "deploy" in facts:
        facts.add("deploy")
        ev.setdefault("deploy", action)
        facts.add("write")
        facts.discard("read")

    # --- production
    prod_ev = None
    if context:
        for key in ("environment", "env", "stage", "tier", "namespace", "cluster", "database"):
            val = context.get(key)
            if isinstance(val, str) and _prod_tokens(v, val):
                prod_ev = f"{key}={val}"
                break
    if prod_ev is None:
        for norm, val in c.env_values:
            if _prod_tokens(v, val):
                prod_ev = f"{norm}={val}"
                break
    if prod_ev is None and command_text:
        bare = _strip_quotes(command_text)
        tok = _word_tokens_prod(v, bare.replace("-", " ").replace(".", " ").replace("/", " "))
        if tok:
            prod_ev = tok
    if prod_ev is None:
        for url in c.urls + found.urls:
            for m in d.URL.finditer(url[:2048]):
                if _prod_tokens(v, m.group(1)):
                    prod_ev = m.group(1)
                    break
            if prod_ev is None and "://" in url:
                path = url.split("://", 1)[1][:512]
                tok = _prod_tokens(v, path.split("?", 1)[0])
                if tok:
                    prod_ev = tok
            if prod_ev is not None:
                break
    if prod_ev is not None:
        facts.add("prod")
        ev["prod"] = prod_ev

    # --- destinations
    dest_text = c.urls + found.urls + found.texts
    hosts: list[tuple[str, str]] = []
    for t in dest_text:
        if "://" in t:
            for m in d.URL.finditer(t):
                hosts.append((m.group(1), _host_class(v, m.group(1))))
    for host, cls in hosts:
        if cls in ("unknown", "drop"):
            facts.add("external")
            facts.add("exfil_dest")
            ev.setdefault("external", host)
            ev.setdefault("exfil_dest", host)
    if "gh" in found.programs and "gist" in command_text:
        facts.add("exfil_dest")
        ev.setdefault("exfil_dest", "public gist")
    if "send" in facts:
        for r in c.recipients:
            for m in d.EMAIL.finditer(r):
                dom = m.group(0).rsplit("@", 1)[1].lower()
                if _dest_class(v, m.group(0), policy) == "drop":
                    facts.add("exfil_dest")
                    ev.setdefault("exfil_dest", f"personal mailbox @{dom}")
    if a.outside_channel and ("send" in facts or "write" in facts):
        facts.add("exfil_dest")
        ev.setdefault("exfil_dest", f"outside channel {action}")

    # --- credentials
    cred = None
    for p in c.paths:
        if rs.effects.is_credential(p):
            cred = p
            break
    if cred is None and "read_secret" in facts:
        cred = ev["read_secret"]
    if cred is None and a.secret_store:
        cred = action
    if cred is not None:
        facts.add("cred_ref")
        ev["cred_ref"] = cred

    # --- git force push (a push named by the tool, its branch and a force flag)
    if "force_push.data" in facts:
        facts.add("force_push_protected")
        ev["force_push_protected"] = ev["force_push.data"]
    elif "force_push.item" in facts:
        facts.add("force_push")
        ev["force_push"] = ev["force_push.item"]

    # --- rules
    texts = _Texts(command_text, content, a.text, reasoning or "")
    matches: list[tuple[int, int, RuleMatch]] = []
    fired: list[Rule] = []
    level_rank = 0
    secret_values = c.secret_values
    cands: list[tuple[int, Rule]] = list(rs.always)
    by_fact = rs.by_fact
    for f in facts:
        lst = by_fact.get(f)
        if lst:
            cands.extend(lst)
    for target, lst in rs.by_target.items():
        if texts.get(target):
            cands.extend(lst)
    cands.sort(key=_idx)
    action_only = not reasoning
    hits = a.hits
    for idx, rule in cands:
        if rule.when and not rule.when <= facts:
            continue
        if rule.pattern is not None and (
            rule.target == "action" or (action_only and rule.target == "intent")
        ):
            # Depends on the action name only: computed once per distinct name.
            hit_key = (id(rule), rule.target)
            pat = hits.get(hit_key, _UNSET)
            if pat is _UNSET:
                pat = _pattern_hit(rule, texts)
                hits[hit_key] = pat
            if pat is None or not _facts_ok(rule, facts):
                continue
            hit: str | None = pat
        else:
            if rule.pattern is not None and not _triggered(rule, texts):
                continue
            hit = _fires(rule, facts, texts, ev)
        if hit is None:
            continue
        if rule.level is not None:
            rank = _RANK[rule.level]
            if rank > level_rank:
                level_rank = rank
            matches.append((-rank, idx, _match(rule, hit, secret_values)))
        fired.append(rule)
    for idx, rule in rs.deferred:
        if level_rank < _RANK[rule.min_risk]:  # type: ignore[index]
            continue
        if rule.pattern is not None and not _triggered(rule, texts):
            continue
        hit = _fires(rule, facts, texts, ev)
        if hit is None:
            continue
        if rule.level is not None:
            rank = _RANK[rule.level]
            level_rank = max(level_rank, rank)
            matches.append((-rank, idx, _match(rule, hit, secret_values)))
        fired.append(rule)
    matches.sort(key=_first_two)

    fw = policy.frameworks
    enabled = _ENABLED.get((fw.gdpr, fw.ai_act, fw.soc2))
    if enabled is None:
        enabled = _ENABLED[(fw.gdpr, fw.ai_act, fw.soc2)] = fw.enabled()
    frameworks: dict[str, list[str]] = {}
    if fired:
        order = rs.article_order
        arts = sorted(
            {a for r in fired for a in r.articles if a[0] in enabled},
            key=lambda a: order.get(a, 1 << 30),
        )
        for fw_name, art in arts:
            frameworks.setdefault(fw_name, []).append(art)
    pii_fields = sorted(c.pii)
    return construct(
        Classification,
        {
            "risk_level": _LEVELS[level_rank],
            "pii_detected": bool(pii_fields),
            "pii_fields": pii_fields,
            "secret_fields": sorted(c.secrets),
            "frameworks": frameworks,
            "matches": [m for _, _, m in matches],
            "partial_scan": False,
        },
    )


_CHANGES = frozenset(
    {"destroy", "weaken_security", "remote_code", "remote_control", "exfiltrate", "escalate",
     "persist", "stop_service", "deploy", "schema_change", "access_change", "force_push"}
)
_PROGRAM_FIELDS = ("tool", "program", "cli", "binary", "executable", "bin", "utility", "command_name")
_VERB_FIELDS = ("subcommand", "sub_command", "command", "cmd", "action", "verb", "operation", "op")
_RESOURCE_FIELDS = ("resource", "resource_type", "kind", "type", "object", "object_type",
                    "target_type", "entity")
_NAME_FIELDS = ("remote", "name", "names", "resource_name", "target", "release", "stack",
                "branch", "ref", "refspec", "resource_id", "bucket", "table", "database",
                "instance", "cluster", "path", "paths", "file", "files", "directory", "dir")
_VALUE_FLAGS = {"namespace": "-n", "region": "--region", "project": "--project",
                "profile": "--profile", "context": "--context", "stage": "--stage",
                "selector": "-l", "resource_group": "--resource-group"}
_BOOL_FLAGS = {"force": "--force", "recursive": "-r", "all": "--all",
               "auto_approve": "-auto-approve", "yes": "--yes", "purge": "--purge",
               "cascade": "--cascade", "no_preserve_root": "--no-preserve-root",
               "volumes": "--volumes", "delete": "--delete", "prune": "--prune",
               "skip_final_snapshot": "--skip-final-snapshot", "dry_run": "--dry-run",
               "destroy": "-destroy", "all_namespaces": "--all-namespaces", "mirror": "--mirror",
               "hard": "--hard"}


_PATH_FIELDS = ("file_path", "path", "filepath", "filename", "file", "target_file", "target",
                "destination", "dest", "output_path", "output_file", "uri")
_CONTENT_FIELDS = ("content", "contents", "file_text", "text", "data", "body", "code", "source",
                   "new_string", "new_str", "new_text", "newtext", "replacement", "insert_text",
                   "value", "lines")
_OLD_FIELDS = ("old_string", "old_str", "old_text", "oldtext", "search", "find", "original")
_EDITOR_COMMANDS = frozenset({"view", "create", "str_replace", "insert", "undo_edit", "write",
                              "append", "edit", "replace", "overwrite", "patch"})


def _find_commands(c: _Call, a: _Action, an: Analyser, rs: RuleSet) -> None:
    """Hand every string, word list and command-shaped object of the call to the analyser."""
    t = an.table
    editing = _file_writes(c, a, an)
    leaves = [
        (val, role)
        for val, role in c.leaves
        if not (editing and role == "command" and val.strip().lower() in _EDITOR_COMMANDS)
    ]
    if not a.shellish:
        # a single unknown word under `command` of a tool that is no shell is not a program run
        leaves = [
            (val, role)
            for val, role in leaves
            if not (role == "command" and " " not in val.strip() and program_name(val) not in t.known_programs and a.program is None)
        ]
    if a.program is not None:
        # a tool named after a program: its command strings are that program's arguments
        parts = [val for val, role in leaves if role == "command"]
        if parts:
            joined = " ".join(parts)
            low = joined.lower()
            if not (low == a.program or low.startswith(a.program + " ")):
                lead = [w for w in a.words[1:] if w not in _GENERIC_WORDS and w not in low.split()]
                joined = " ".join([a.program, *lead, joined])
            an.text(joined, "command")
            leaves = [(val, role) for val, role in leaves if role != "command"]
    for val, role in leaves:
        an.text(val, role)
    for words in c.argvs:
        an.argv(words, "command" if program_name(words[0]) in t.known_programs else "unknown")
    for obj in c.structured:
        argv = _assemble(obj, a, t)
        if argv:
            an.argv(argv, "command")
    _action_effects(c, a, an)
    for key, value in c.settings:
        an.setting(key, value)
    if a.delegates:
        for key, text in c.texts:
            if len(text) > 5 and " " in text.strip():
                an.orders(text, rs.orders)
    method = c.http_method or a.http_method
    for url in c.urls:
        if "_delete_by_query" in url or "/_truncate" in url:
            everything = "all" in c.flags or "match_all" in c.keys
            scope = "data" if everything else "item"
            an.out.add(Effect("destroy", scope, describe("deletes by query", scope, False, url)))
    if method == "DELETE":
        for url in c.urls:
            j = Judged()
            url_delete(t, url, "", j)
            for e in j.effects:
                an.out.add(e)


def _file_writes(c: _Call, a: _Action, an: Analyser) -> bool:
    """An editor tool (`Write`, `Edit`, `write_file`, `str_replace_editor`…): a path and the text
    written there, judged as the file write it is. True when the call is one."""
    if not c.structured or not (a.write_v or a.wordset & _EDIT_WORDS):
        return False
    top = c.structured[0]
    fields = {"_".join(d.split_words(str(k))): v for k, v in top.items()}
    path = next((fields[k] for k in _PATH_FIELDS if isinstance(fields.get(k), str)), None)
    if not path or "://" in path:
        return False
    new = next((fields[k] for k in _CONTENT_FIELDS if isinstance(fields.get(k), str)), None)
    if new is None and isinstance(fields.get("lines"), list):
        new = "\n".join(str(x) for x in fields["lines"])
    old = next((fields[k] for k in _OLD_FIELDS if isinstance(fields.get(k), str)), None)
    edits = fields.get("edits")
    append = bool(a.wordset & {"append", "insert"}) or fields.get("mode") in ("a", "append")
    text = f"{a.text} {path}"
    if isinstance(edits, list):
        for e in edits[:32]:
            if isinstance(e, dict):
                ef = {"_".join(d.split_words(str(k))): v for k, v in e.items()}
                eo = next((ef[k] for k in _OLD_FIELDS if isinstance(ef.get(k), str)), None)
                en = next((ef[k] for k in _CONTENT_FIELDS if isinstance(ef.get(k), str)), None)
                an.file_edit(path, eo, en, append, text)
        return True
    if new is None and old is None:
        return False
    an.file_edit(path, old, new, append, text)
    return True


_EDIT_WORDS = frozenset({"edit", "write", "str", "replace", "editor", "patch", "save", "create",
                         "append", "insert", "file", "multiedit", "overwrite"})


def _assemble(obj: dict[str, Any], a: _Action, t: EffectTable) -> list[str] | None:
    """An infra tool described by fields (`{"tool": "terraform", "action": "destroy"}`, a
    `kubernetes` tool with `verb`/`resource`/`name`, `{"cmd": "rm", "args": [...]}`) as the
    command line it stands for."""
    fields = {"_".join(d.split_words(str(k))): v for k, v in obj.items()}
    prog = ""
    used = ""
    for k in _PROGRAM_FIELDS + _VERB_FIELDS[:4] + _RESOURCE_FIELDS[:4] + ("provider", "engine", "platform", "service", "cmdlet"):
        val = fields.get(k)
        if isinstance(val, str) and val.strip() and " " not in val.strip():
            name = t.aliases.get(val.strip().lower(), val.strip().lower())
            if name in t.known_programs or (k == "cmdlet" and "-" in name):
                if k in _VERB_FIELDS and name in t.read_programs and name not in t.entries:
                    continue
                prog = val.strip() if k == "cmdlet" else name  # a cmdlet keeps its case: Verb-Noun
                used = k
                break
    lead: list[str] = []
    if not prog and a.program is not None:
        prog = a.program
        lead = [w for w in a.words[1:] if w not in _GENERIC_WORDS]
    if not prog and "push" in a.wordset and ("branch" in fields or "ref" in fields):
        prog, lead = "git", ["push"]
    if not prog:
        return None
    if prog == "git" and "push" in lead and "remote" not in fields:
        lead = [*lead, "origin"]
    verbs = [
        str(fields[k]).strip()
        for k in ("service", *_VERB_FIELDS)
        if k != used and isinstance(fields.get(k), str) and str(fields[k]).strip()
    ]
    args: list[str] = []
    for k in ("args", "arguments", "argv", "flags", "options", "extra_args", "params_list"):
        val = fields.get(k)
        if isinstance(val, list):
            args.extend(str(x) for x in val if isinstance(x, str | int | float))
        elif isinstance(val, str) and k in ("args", "arguments") and used:
            args.extend(val.split())
    if any(" " in v for v in verbs) or not (verbs or lead or args or used == "cmdlet"):
        return None
    argv = [prog, *lead, *verbs]
    for k in _RESOURCE_FIELDS:
        val = fields.get(k)
        if k != used and isinstance(val, str) and val.strip() and " " not in val.strip():
            argv.append(val.strip().lower())
    for k in _NAME_FIELDS:
        val = fields.get(k)
        if isinstance(val, str) and val.strip():
            argv.append(val.strip())
        elif isinstance(val, list):
            argv.extend(str(x) for x in val if isinstance(x, str | int))
    for k, flag in _VALUE_FLAGS.items():
        val = fields.get(k)
        if isinstance(val, str) and val.strip():
            argv += [flag, val.strip()]
    for k, flag in _BOOL_FLAGS.items():
        if fields.get(k) is True:
            argv.append(flag)
    for k in ("parameters", "params"):
        val = fields.get(k)
        if isinstance(val, dict):
            for pk, pv in list(val.items())[:16]:
                if pv is True:
                    argv.append(f"-{pk}")
                elif isinstance(pv, str | int | float):
                    argv += [f"-{pk}", str(pv)]
    argv.extend(args)
    return argv if len(argv) > 1 else None


_GENERIC_WORDS = frozenset(
    {"tool", "cli", "command", "run", "exec", "execute", "call", "api", "request", "op",
     "operation", "do", "invoke", "task", "query", "action", "actions", "mcp", "server", "client"}
)


def _action_effects(c: _Call, a: _Action, an: Analyser) -> None:
    """A tool named for what it does (`delete_database`, `disable_mfa`, `purge_bucket`): the
    verb and noun of its name, with the paths and options it is given."""
    t = an.table
    words = list(a.words)
    if c.structured:
        for k, val in c.structured[0].items():
            if "_".join(d.split_words(str(k))) in ("action", "operation", "op", "verb") and isinstance(val, str) and len(val) < 64:
                words.extend(d.split_words(val))
    if not (set(words) & (t.destroy_verbs | t.weaken_verbs | t.grant_verbs)):
        return
    first_verb = next((w for w in words if w in a.verbs_all), None)
    if first_verb is not None and first_verb in a.read_words:
        return  # `check_delete_permission` reads
    resources: list[str] = []
    if c.structured:
        top = c.structured[0]
        for k, val in top.items():
            norm = "_".join(d.split_words(str(k)))
            if norm in _RESOURCE_FIELDS and isinstance(val, str):
                resources.extend(d.split_words(val))
    j = Judged()
    if not verb_noun(t, words + resources, a.text, j):
        return
    for e in j.effects:
        if e.kind == "destroy":
            recursive = bool(c.flags & {"recursive", "force", "all", "delete_all", "purge", "permanent"})
            scopes = [e.scope] + [t.path_scope(p, recursive) for p in c.paths]
            if c.flags & {"all", "delete_all"}:
                scopes.append("data")
            scope = worst_scope(scopes)
            target = c.paths[0] if c.paths else ""
            e = Effect("destroy", scope, describe("deletes", scope, recursive, f"{a.text} {target}".strip()))
        an.out.add(e)


def _dest_class(v: Vocab, dest: str, policy: Policy) -> str:
    """Where data goes: internal | known | drop | unknown (a URL, a host or an address)."""
    s = dest.strip().lower()
    if "@" in s and "://" not in s:
        dom = s.rsplit("@", 1)[1].strip(">").strip()
        if dom in policy.internal_domains or any(dom.endswith("." + x) for x in policy.internal_domains):
            return "internal"
        if dom in v.personal_mail_domains or dom.split(".", 1)[0] in v.personal_mail_brands:
            return "drop"
        return "unknown" if policy.internal_domains else "known"
    host = s.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    host = host.rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host in policy.internal_domains or any(host.endswith("." + x) for x in policy.internal_domains):
        return "internal"
    return _host_class(v, host)


_idx = operator.itemgetter(0)  # candidates by rule-file order (C-level key: no call per item)
_first_two = operator.itemgetter(0, 1)  # matches: highest level first, then rule-file order


def _match(rule: Rule, evidence: str, secrets: list[str]) -> RuleMatch:
    return construct(  # type: ignore[no-any-return]
        RuleMatch,
        {"rule": rule.id, "level": rule.level, "evidence": _mask_evidence(evidence, secrets)},
    )


def _detect_secrets_spans_for(text: str, c: _Call) -> list[tuple[int, int]]:
    """Spans of already-found secret values inside `text` (one type per value)."""
    spans = []
    for s in c.secret_values:
        start = text.find(s)
        while start >= 0:
            spans.append((start, start + len(s)))
            start = text.find(s, start + len(s))
    return spans


class _Texts:
    __slots__ = ("command", "content", "action", "reasoning", "_lower")

    def __init__(self, command: str, content: str, action: str, reasoning: str) -> None:
        self.command = command
        self.content = content
        self.action = action
        self.reasoning = reasoning
        self._lower: dict[str, str] = {}

    def get(self, target: str) -> str:
        if target == "command":
            return self.command
        if target == "content":
            return self.content
        if target == "action":
            return self.action
        if target == "reasoning":
            return self.reasoning
        s = self._lower.get("=" + target)
        if s is None:
            if target == "intent":
                s = self.action + "\n" + self.reasoning
            else:
                s = self.action + "\n" + self.content + "\n" + self.reasoning
            self._lower["=" + target] = s
        return s

    def lower(self, target: str) -> str:
        s = self._lower.get(target)
        if s is None:
            s = self.get(target).lower()
            self._lower[target] = s
        return s


_UNSET = object()


def _meet(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """`bool(a & b)` without building the intersection."""
    return not a.isdisjoint(b)


def _facts_ok(rule: Rule, facts: set[str]) -> bool:
    return not (
        (rule.when and not rule.when <= facts)
        or (rule.when_any and not _meet(rule.when_any, facts))
        or (rule.unless and _meet(rule.unless, facts))
    )


def _triggered(rule: Rule, texts: _Texts) -> bool:
    """A pattern rule's cheap pre-check: its target text is not empty and holds one of its
    triggers, if it has any."""
    low = texts.lower(rule.target)
    return bool(low) and (not rule.triggers or any(t in low for t in rule.triggers))


def _pattern_hit(rule: Rule, texts: _Texts) -> str | None:
    if not _triggered(rule, texts):
        return None
    m = rule.pattern.search(texts.get(rule.target)) if rule.pattern is not None else None
    return None if m is None else " ".join(m.group(0).split())


def _fires(rule: Rule, facts: set[str], texts: _Texts, ev: dict[str, str]) -> str | None:
    """Evidence text if the rule fires, else None."""
    if not _facts_ok(rule, facts):
        return None
    if rule.pattern is None:
        parts = [ev[f] for f in sorted(rule.when) if ev.get(f)]
        if not parts and rule.when_any:
            parts = [ev[f] for f in sorted(rule.when_any) if f in facts and ev.get(f)][:1]
        return "; ".join(parts) if parts else rule.id
    text = texts.get(rule.target)
    if not text:
        return None
    m = rule.pattern.search(text)
    if m is None:
        return None
    return " ".join(m.group(0).split())


def _mask_evidence(evidence: str, secrets: list[str]) -> str:
    for s in secrets:
        if s and s in evidence:
            evidence = evidence.replace(s, d.mask(s))
        elif s.startswith("-----BEGIN") and "-----BEGIN" in evidence:
            evidence = evidence.split("-----BEGIN", 1)[0] + "-----BEGIN … PRIVATE KEY-----"
    if len(evidence) > 80:
        evidence = evidence[:79] + "…"
    return evidence
