"""One walk of a call's payload: what each key name tells, and every string, number and list
it holds, sorted by the role its key gives it (a command, a path, a recipient, an amount…).

Field names are evidence (`customer_email`, `password`, `amount_cents`): a key is read once per
distinct name and cached on the vocabulary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote

from agentaudit.classifier import _detect as d
from agentaudit.classifier._ruleset import Vocab
from agentaudit.classifier._shell import shell_word
from agentaudit.classifier._sql import STATEMENT_WORDS

_NUMERIC_TYPES: Final = frozenset(
    {"phone", "credit_card", "ssn", "ip_address", "national_id", "passport", "drivers_license"}
)

SPECIAL: Final = frozenset(
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

# Precompiled here so the hot path never consults re's pattern cache.
_NOT_ALNUM_LOW: Final = re.compile(r"[^0-9a-z]")

_SSN_PREFIX: Final = re.compile(r"^(?:ssn|socialsecurity\w*?)(?=\d)")

_FINGERPRINT: Final = re.compile(r"^(?:SHA256:|MD5:|[0-9a-fA-F:]{16,}$)")


_AUTH_SCHEME: Final = re.compile(r"^(?:Bearer|Basic|Token)\s+", re.I)

_AMOUNT_TEXT: Final = re.compile(r"[\d][\d,.' ]*")


@dataclass(slots=True)
class Key:
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
    auth: bool  # carries the request's own credential (`Authorization`)
    recipient: bool
    forward: bool  # sets where a mailbox forwards its mail
    amount: bool
    minor: bool
    currency: bool
    security: bool
    enable: bool
    args: bool


_ARGS_WORDS: Final = frozenset({"args", "argv", "arguments"})
_FILE_CONTAINERS: Final = frozenset({"files", "attachments", "uploads"})


def key_of(v: Vocab, name: str) -> Key:
    k = v.key_cache.get(name)
    if k is not None:
        return k
    words = d.split_words(name)
    norm = "_".join(words)
    ws = frozenset(words)
    _, pii = d.suffix_lookup(norm, v.pii_fields)
    _, secret = d.suffix_lookup(norm, v.secret_fields)
    k = Key(
        norm=norm,
        words=ws,
        pii=pii,
        secret=secret,
        veto=bool(ws & v.pii_key_vetoes),
        command=bool(ws & v.command_keys) or norm in v.command_keys or norm in v.command_keys_exact,
        prose=norm in v.prose_keys or (bool(ws & v.prose_keys) and not ws & v.command_keys),
        path=norm in v.path_keys or (bool(words) and words[-1] in {"path", "file", "filename"}),
        url=norm in v.url_keys or (bool(words) and words[-1] in {"url", "uri", "endpoint"}),
        env=norm in v.environment_keys,
        method=norm in v.method_keys,
        auth=norm in v.auth_header_keys,
        recipient=norm in v.recipient_keys,
        forward=norm in v.forwarding_keys,
        amount=norm in v.amount_keys or (bool(words) and words[-1] == "amount"),
        minor=norm in v.minor_amount_keys,
        currency=norm in v.currency_keys,
        security=bool(ws & v.security_setting_words) or norm in v.security_setting_words,
        enable=bool(ws & v.enable_words),
        args=norm in _ARGS_WORDS or (bool(words) and words[-1] in _ARGS_WORDS),  # `gcloud_args`
    )
    if len(v.key_cache) > 50_000:
        v.key_cache.clear()
    v.key_cache[name] = k
    return k


class Call:
    """Per-call working state. Created and discarded inside one `classify` call."""

    __slots__ = (
        "v",
        "pii",
        "pii_values",
        "secrets",
        "secret_values",
        "secret_found",
        "facts",
        "ev",
        "content",
        "scan",
        "commands",
        "shell_cmds",
        "paths",
        "urls",
        "recipients",
        "forwards",
        "env_values",
        "amounts",
        "has_currency",
        "unit_value",
        "http_method",
        "auth_values",
        "rehearsal",
        "denying",
        "address_container",
        "git_branch",
        "git_force",
        "dbish",
        "delegates",
        "runs_code",
        "found",
        "leaves",
        "argvs",
        "yaml_docs",
        "structured",
        "flags",
        "settings",
        "ports",
        "texts",
        "keys",
        "action_words",
        "partial",
        "budget",
        "code_scan",
        "json_leaves",
        "forwarding",
        "rule_forwards",
    )

    def __init__(self, v: Vocab, found: list[tuple[str, str]] | None = None) -> None:
        self.v = v
        self.found = found  # (type, value as written) for redaction, when asked for
        self.pii: dict[str, str] = {}
        self.pii_values: dict[str, set[str]] = {}
        self.secrets: dict[str, str] = {}
        self.secret_values: list[str] = []
        self.secret_found: list[tuple[str, str]] = []  # every (type, value), to mask it
        self.facts: set[str] = set()
        self.ev: dict[str, str] = {}
        self.content: list[str] = []
        self.scan: list[str] = []
        self.commands: list[str] = []
        self.shell_cmds: list[str] = []
        self.paths: list[str] = []
        self.urls: list[str] = []
        self.recipients: list[str] = []
        self.forwards: list[str] = []  # where a mailbox is told to forward its mail
        self.forwarding = False  # inside a forwarding field's object (`"forwardTo": [{…}]`)
        self.rule_forwards: list[str] = []  # `{"forward": "x@…"}`: standing only in a mail rule
        self.env_values: list[tuple[str, str]] = []
        self.amounts: list[float] = []
        self.has_currency = False
        self.unit_value = 1.0  # worth of one unit of the amounts (crypto assets: vocab unit_values)
        self.http_method: str | None = None
        self.auth_values: list[str] = []  # values of credential-carrying fields
        self.rehearsal = False  # `{"dry_run": true}`: the tool changes nothing
        self.denying = False  # inside a policy statement that denies (`"Effect": "Deny"`)
        self.address_container = False
        self.git_branch: str | None = None
        self.git_force = False
        self.dbish = False
        self.delegates = False  # a tool handing work to another agent: its strings are orders
        self.runs_code = False  # a tool named for running code: its `source` is code
        self.leaves: list[tuple[str, str]] = []  # (string, role) that may be commands
        self.argvs: list[list[str]] = []  # commands given as lists of words
        self.yaml_docs: dict[str, list[Any] | None] = {}  # a YAML text's documents, parsed once
        self.structured: list[dict[str, Any]] = []  # objects that describe a command
        self.flags: set[str] = set()  # boolean options set true (recursive, force, all…)
        self.settings: list[tuple[str, str]] = []  # (key, value) scalar fields, for `settings:`
        self.ports: list[tuple[str, str]] = []  # (key, number) of whole-number `…port…` fields
        self.texts: list[tuple[str, str]] = []  # (key, string) of every leaf, for orders
        self.keys: set[str] = set()  # every key of the payload, normalised
        self.action_words: frozenset[str] = frozenset()
        self.partial = False  # a string was longer than the scan cap: only its head was read
        self.budget = CALL_CAP  # characters still to read in this call
        self.code_scan: set[int] = set()  # indexes in `scan` of strings that are commands or code
        # (first, end, key) of the `leaves` found inside a JSON object written as a string
        self.json_leaves: list[tuple[int, int, str]] = []

    def add_pii(self, typ: str, value: str, *, written: bool = True) -> None:
        if typ not in self.pii:
            self.pii[typ] = value
        if written and self.found is not None:
            self.found.append((typ, value))
        norm = value.strip().lower()
        if typ in _NUMERIC_TYPES or typ == "iban":
            digits = _NOT_ALNUM_LOW.sub("", norm)
            norm = _SSN_PREFIX.sub("", digits)
        values = self.pii_values.setdefault(typ, set())
        if norm in values or len(values) >= 16:
            return
        # one value found twice ("passport no. 548219373" by a cue, "548219373" by its shape)
        if any(norm in v or v in norm for v in values):
            return
        values.add(norm)

    def phone_known(self, value: str) -> bool:
        """Whether this number (as written) is already among the phones found."""
        digits = _NOT_ALNUM_LOW.sub("", value.strip().lower())
        return any(digits in v for v in self.pii_values.get("phone", ()))

    def add_secret(self, typ: str, value: str) -> None:
        self.secrets.setdefault(typ, value)
        self.secret_found.append((typ, value))
        if self.found is not None:
            self.found.append((typ, value))
        if (
            len(value) >= 4
            and len(self.secret_values) < MAX_SECRET_VALUES
            and value not in self.secret_values
        ):
            self.secret_values.append(value)


def to_float(value: Any) -> float | None:
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
        elif (
            s.count(".") >= 1
            and all(len(g) == 3 for g in s.split(".")[1:])
            and len(s.split(".")[0]) <= 3
        ):
            s = s.replace(".", "")  # 25.000 (a thousands separator, as written in most of Europe)
        try:
            f = float(s)
        except ValueError:
            return None
        unit = _AMOUNT_UNIT.match(value, m.end())  # `25k`, `1.2M`, `2,5 Mio`
        return f * _UNIT_FACTORS[unit.group(1).lower()] if unit else f
    return None


# A multiplier written after an amount, as a whole word (`25k GBP`, `2,5 Mio`; not `15 kg`).
_UNIT_FACTORS: Final = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mio": 1e6, "mn": 1e6,
                 "million": 1e6, "bn": 1e9, "billion": 1e9}  # fmt: skip
_AMOUNT_UNIT: Final = re.compile(
    r"\s?(" + "|".join(sorted(_UNIT_FACTORS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def field_value_ok(typ: str, value: str) -> bool:
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
    if typ == "person_name" and " " not in s and ("_" in s or "/" in s):
        return False  # an identifier (`functions.read_file`, a batch item's tool), not a name
    if typ in ("address", "person_name"):
        return any(c.isalpha() for c in s) and s.lower() not in ("none", "null", "n/a", "unknown")
    if typ == "biometric" and _FINGERPRINT.match(s):
        return False
    return s.lower() not in ("none", "null", "n/a", "unknown", "false", "no")


def _denies(obj: dict[Any, Any]) -> bool:
    """A policy statement that denies (`{"Effect": "Deny", "Principal": "*", …}`)."""
    effect = obj.get("Effect", obj.get("effect"))
    return isinstance(effect, str) and effect.lower() == "deny"


def unwrapped(v: Vocab, data: dict[str, Any]) -> dict[str, Any]:
    """The arguments inside an envelope (`{"params": {…}}`, `{"input": "{…}"}`, beside an id or
    a timeout): a framework's wrapper says nothing of the call, its fields are the call's own
    (an editor's path and text, an infra tool's action, an HTTP request's method and URL)."""
    for _ in range(3):
        name = ""
        inner: dict[str, Any] = {}
        for k, val in data.items():
            norm = key_of(v, k).norm
            if norm in v.envelope_keys and not name:
                if isinstance(val, str):  # an object written as JSON: parsed only here
                    s = val.strip()
                    if len(s) > 1 and s[0] == "{" and s[-1] == "}" and len(s) <= SCAN_CAP:
                        try:
                            val = json.loads(s)
                        except ValueError:
                            return data
                if isinstance(val, dict) and val:
                    name, inner = k, val
                    continue
            if isinstance(val, dict | list) or norm not in v.envelope_siblings:
                return data  # a field of the call's own (`{"service": …, "params": …}`)
        if not name:
            return data
        merged = dict(inner)
        for k, val in data.items():
            if k != name and k not in merged:
                merged[k] = val  # an id, a timeout, a flag beside the envelope
        data = merged
    return data


def sub_calls(v: Vocab, fields: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The calls a batch holds: a list among the call's fields (`unwrapped`) whose every item
    names a tool (`recipient_name`, `tool`, `uses`…) and gives it an object of arguments
    (`parameters`, `arguments`, `with`…): at most MAX_SUB_CALLS of them."""
    for value in fields.values():
        if not isinstance(value, list) or not value or not isinstance(value[0], dict):
            continue
        out: list[tuple[str, dict[str, Any]]] = []
        for item in value[:MAX_SUB_CALLS]:
            call = _sub_call(v, item) if isinstance(item, dict) else None
            if call is None:
                out = []
                break
            out.append(call)
        if out:
            return out
    if not _OWN_TOOL_KEYS.isdisjoint(fields):
        # the call itself hands its arguments to a tool it names (Cline's `use_mcp_tool
        # {"server_name", "tool_name", "arguments": "{…}"}`): that tool's call
        one = _sub_call(v, fields)
        if one is not None:
            server = fields.get("server_name")
            if isinstance(server, str) and 0 < len(server) <= 64 and "\n" not in server:
                one = (f"mcp__{server.strip()}__{one[0]}", one[1])
            return [one]
    return []


# as written (one set test per call, no key normalised): snake and camel case
_OWN_TOOL_KEYS: Final = frozenset({"tool_name", "toolName", "tool", "function_name",
                           "functionName", "recipient_name", "recipientName"})  # fmt: skip


def _sub_call(v: Vocab, item: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    name = ""
    args: dict[str, Any] | None = None
    rank = len(v.sub_call_names)
    for k, val in item.items():
        norm = key_of(v, k).norm
        if isinstance(val, str) and norm in v.sub_call_names:
            r = v.sub_call_names.index(norm)
            if r < rank and 0 < len(val.strip()) <= 128 and "\n" not in val:
                name, rank = val.strip(), r
        elif norm in v.sub_call_args:
            if isinstance(val, str) and val.strip()[:1] == "{":
                try:
                    val = json.loads(val[:SCAN_CAP])
                except ValueError:
                    continue
            if isinstance(val, dict):
                args = val
    if not name or args is None:
        return None
    return name.removeprefix("functions."), args


MAX_SUB_CALLS: Final = 8


def walk(c: Call, obj: Any, key: Key | None, shellish: bool, inert: bool, depth: int) -> None:
    if depth > 40:
        return
    if isinstance(obj, dict):
        if key is not None and key.pii == "address" and obj:
            c.address_container = True
        if not obj and key is not None and key.norm in _FILTER_KEYS:
            c.flags.add("all")  # an empty filter matches everything
        if not inert and len(c.structured) < 8:
            c.structured.append(obj)
        was_denying, was_forwarding = c.denying, c.forwarding
        if not was_denying and _denies(obj):
            c.denying = True  # its principals and ranges are whom it shuts out, not lets in
        if key is not None and key.forward:
            c.forwarding = True  # `"forwardTo": [{"emailAddress": {"address": …}}]`: all of them
        if not shellish and not inert and not _KIND_KEYS.isdisjoint(obj):
            # `{"type": "shell", "value": "…"}`: an object that says it is a shell step
            kinds = c.v.verbs["shell_kinds"]
            shellish = any(
                isinstance(obj.get(k), str) and str(obj[k]).lower() in kinds for k in _KIND_KEYS
            )
        # a multipart upload's files by form field (`"files": {"document": "/home/x/.ssh/id"}`):
        # each file a path, whatever its field is named (not so a file's own object, which
        # names its path: `{"path": "README.md", "content": "…"}`)
        files = (
            key is not None
            and key.norm in _FILE_CONTAINERS
            and not any(key_of(c.v, str(n)[:KEY_CAP]).path for n in list(obj)[:16])
        )
        for name, val in obj.items():
            k = key_of(c.v, str(name)[:KEY_CAP])
            if len(c.keys) < 256:
                c.keys.add(k.norm)
            if files and key is not None and isinstance(val, str) and not (k.path or k.url):
                k = key
            walk(c, val, k, shellish, inert, depth + 1)
        c.denying, c.forwarding = was_denying, was_forwarding
        return
    if isinstance(obj, list | tuple):
        if key is not None and key.args and all(isinstance(x, str | int | float) for x in obj):
            # an argv: a word holding spaces or quotes stays one word (`["sh", "-c", "rm …"]`)
            leaf(c, " ".join(shell_word(str(x)) for x in obj), key, shellish, inert)
            return
        if (
            key is not None
            and key.command
            and 2 <= len(obj) <= 64
            and all(isinstance(x, str) for x in obj)
            and " " in str(obj[0]).strip()  # else an argv (`["psql", "-c", "DROP …"]`)
        ):
            # command lines in a list run in order, as one script (`["cd /srv", "rm -rf x"]`);
            # a list of SQL statements, each one statement (`["SELECT 1", "DROP TABLE t"]`)
            items = [str(x).strip() for x in obj]
            if all(_statement_first(x) for x in items if x):
                items = [x if x.endswith(";") else x + ";" for x in items]
            leaf(c, "\n".join(items), key, shellish, inert)
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
            if key is not None and key.command:
                # the list is the command: a word of it is no command on its own (`/var/log`
                # of `["ls", "/var/log"]`), a line of it may be (`["configure", "set …"]`)
                for val in obj:
                    one_word = " " not in str(val).strip()
                    walk(c, val, None if one_word else key, shellish, inert, depth + 1)
                return
        total, paid = 0.0, 0
        for val in obj:
            before = len(c.amounts)
            walk(c, val, key, shellish, inert, depth + 1)
            if isinstance(val, dict) and len(c.amounts) > before:
                total += max(c.amounts[before:])  # one amount per item: its largest
                paid += 1
        if paid >= 2:  # a batch (`"payouts": [{"amount": 6000}, {"amount": 7000}]`) moves all
            c.amounts.append(total)
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
                first = len(c.leaves)
                walk(c, inner, key, shellish, inert, depth + 1)
                if key is not None and len(c.leaves) > first:
                    c.json_leaves.append((first, len(c.leaves), key.norm))
                return
        if key is not None and len(obj) <= 256 and not c.denying:
            c.settings.append((key.norm, obj))
        leaf(c, obj, key, shellish, inert)
        return
    if key is None:
        return
    if isinstance(obj, bool):
        if obj and key.norm in _FLAG_WORDS:
            c.flags.add(key.norm)
        if obj and key.norm in c.v.rehearsal_keys:
            c.rehearsal = True
        if not c.denying:
            c.settings.append((key.norm, str(obj).lower()))
        if key.security and (
            (key.enable and obj is False) or ({"disable", "disabled", "off"} & key.words and obj)
        ):
            c.facts.add("security_off")
            c.ev["security_off"] = f"{key.norm}={str(obj).lower()}"
        if obj and key.pii in SPECIAL:
            c.add_pii(key.pii, key.norm, written=False)
        if key.norm in ("force", "force_push", "forced") and obj:
            c.git_force = True
        return
    if isinstance(obj, int | float):
        if isinstance(obj, int) and "port" in key.norm and len(c.ports) < 32:
            c.ports.append((key.norm, str(obj)))  # a firewall rule's ports, for `exposure:`
        if key.amount or key.minor:
            c.amounts.append(float(obj) / (100.0 if key.minor else 1.0))
        if key.pii in ("phone", "credit_card", "ssn", "national_id") and not isinstance(obj, bool):
            s = str(int(obj)) if isinstance(obj, int) else ""
            if s and field_value_ok(key.pii, s):
                c.add_pii(key.pii, s)


# What one call costs is bounded: the classifier reads at most SCAN_CAP characters of one string
# and CALL_CAP of all strings of a call; the rest is still stored and hashed, and the event says
# it was read in part (`partial_scan`).
SCAN_CAP: Final = 65_536
# Secret values kept to mask them in evidence and hide them from PII detection (all of them still
# go to `found`, for redaction).
MAX_SECRET_VALUES: Final = 64
CALL_CAP: Final = 262_144
KEY_CAP: Final = 256


def field_secret(c: Call, key: Key, value: str) -> None:
    """A secret named by its key (`password`, `api_key`, `Authorization`), when the value is
    plausibly one."""
    if key.secret is None:
        if key.norm == "auth" and 12 <= len(value) <= 4096 and d.base64_credentials(value):
            c.add_secret("password", value)  # a registry's login (`"auth": "<user:token>"`)
        return
    if value.startswith("-----BEGIN CERT"):
        return
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


def _statement_first(text: str) -> bool:
    """A text that starts as SQL does: a statement word, or a comment before one."""
    word = text.split(None, 1)[0].lower().rstrip(";")
    return word in STATEMENT_WORDS or word.startswith(("--", "/*"))


def leaf(c: Call, value: str, key: Key | None, shellish: bool, inert: bool) -> None:
    if not value:
        return
    if len(value) > SCAN_CAP or len(value) > c.budget:
        c.partial = True
        value = value[: min(SCAN_CAP, c.budget)]
        if not value:
            return
    c.budget -= len(value)
    c.content.append(value)
    if key is not None and len(c.texts) < 64:
        c.texts.append((key.norm, value))
    if key is None:
        c.scan.append(value)
        return
    # Field-name evidence.
    if key.secret is not None or key.norm == "auth":
        field_secret(c, key, value)
    if key.pii is not None and field_value_ok(key.pii, value):
        c.add_pii(key.pii, value)
    if not key.veto:
        c.scan.append(value)
    elif key.pii is None:
        # Vetoed keys (order/ticket numbers…) still carry emails and cue-based text.
        c.scan.append(d.digits_as_zero(value) if len(value) < 64 else value)
    # Roles.
    if key.env:
        c.env_values.append((key.norm, value))
    if key.method:
        c.http_method = value.strip().upper()
    if key.auth and len(c.auth_values) < 8:
        c.auth_values.append(value)
    if key.recipient:
        c.recipients.append(value)
    if key.forward or c.forwarding:
        c.forwards.append(value)
    elif key.norm in c.v.mail_rule_forwards and "@" in value:
        c.rule_forwards.append(value)
    if key.currency:
        c.has_currency = True
        worth = c.v.unit_values.get(value.strip().lower())
        if worth is not None:
            c.unit_value = max(c.unit_value, worth)
    if key.amount or key.minor:
        f = to_float(value)
        if f is not None:
            c.amounts.append(f / (100.0 if key.minor else 1.0))
    if key.norm in ("branch", "ref", "refspec", "target_branch", "remote_branch"):
        c.git_branch = value.strip()
    if key.url or "://" in value[:12]:
        c.urls.append(value)
        _query_parameters(c, value)
    if key.path:
        c.paths.append(value)
    if inert:
        # a search or summary tool's strings are never run — except under a key that only
        # ever holds a command line (`search_ops {"cmd": …}`)
        if key.norm in _RUN_KEYS:
            c.leaves.append((value, "unknown"))
        return
    role = role_of(c, key, shellish, value)
    if role in ("command", "sql", "code") and c.scan and c.scan[-1] is value:
        c.code_scan.add(len(c.scan) - 1)  # read for identifiers, not for statements about people
    if role:
        c.leaves.append((value, role))
        if role != "unknown":
            c.commands.append(value)


_SQL_KEYS: Final = frozenset(
    {
        "sql",
        "sql_query",
        "raw_sql",
        "statement",
        "statements",
        "expression_sql",
        "cypher",
        "cql",
        "hql",
    }
)

_RUN_KEYS: Final = frozenset({"cmd", "command", "commands", "command_line", "commandline", "cmdline",
                       "shell", "shell_command", "script", "exec", "bash", "powershell"})  # fmt: skip
# Verbs of tools that take a text to read, store, send or answer: their text is never run.
_TEXT_TAKERS: Final = ("read", "write", "delete", "send", "message_nouns", "inert", "export", "pay",
                "deploy")  # fmt: skip
_KIND_KEYS: Final = frozenset(
    {"type", "kind", "language", "lang", "interpreter", "executor", "runtime"}
)
_GIVEN_KEYS: Final = frozenset({"text", "input"})  # what a tool is given to act on (not to store)
_DB_TEXT_KEYS: Final = frozenset({"text", "body", "content", "input", "expression"})
_NOT_A_PATH: Final = re.compile(r"[;{}`]|=>|\)\s*[.;)]|\(\s*\)")
_CODE_KEYS: Final = frozenset(
    {"code", "source_code", "snippet", "program", "source", "python", "js"}
)

_FILTER_KEYS: Final = frozenset(
    {"filter", "where", "query", "selector", "match", "conditions", "criteria"}
)

_FLAG_WORDS: Final = frozenset(
    {
        "force",
        "recursive",
        "all",
        "auto_approve",
        "yes",
        "purge",
        "cascade",
        "no_preserve_root",
        "volumes",
        "delete",
        "prune",
        "skip_final_snapshot",
        "force_delete",
        "permanent",
        "permanently",
        "hard",
        "hard_delete",
        "delete_all",
        "include_data",
        "wipe",
        "drop",
    }
)


def _query_parameters(c: Call, url: str) -> None:
    """A URL's query parameters named as a command's or statement's field (`?query=DROP%20TABLE
    …`, ClickHouse's HTTP interface; `?cmd=…`): decoded, each is read as a text that may be one
    (counted only when it clearly is)."""
    _, sep, query = url.partition("?")
    if not sep or "=" not in query:
        return
    # `parse_qsl`'s reading (`&` apart, `+` a space, %-escapes decoded, empty values dropped),
    # a value decoded only for a name that says command
    for part in query.partition("#")[0].split("&"):
        name, eq, text = part.partition("=")
        if not eq or not text or len(c.leaves) >= 256:
            continue
        name = name.replace("+", " ")
        if key_of(c.v, unquote(name) if "%" in name else name).command:
            c.leaves.append((unquote(text.replace("+", " ")), "unknown"))


def role_of(c: Call, key: Key, shellish: bool, value: str = "") -> str:
    """How a string is read for commands: command, sql, code, unknown (recognised only if it
    clearly is one), or "" (prose, paths, URLs… never run). A path key (`src`, `source`) whose
    value cannot be a path (lines, statements) is read like any other string."""
    if key.path and key.norm == "source" and c.runs_code:
        return "code"  # `python_exec {"source": "…"}`, `notebook_cell {"source": "…"}`
    if key.prose and key.norm in _DB_TEXT_KEYS:
        if shellish and not c.action_words.isdisjoint(c.v.verbs["shellish"]):
            return "command"  # a shell tool's `text` (not a program's: `gh`): its command line
        if c.dbish:
            return "sql"  # a database tool's `text`: its statement (read only if it is SQL)
        if meet(c.action_words, c.v.verbs["typing"]) or (
            (key.norm in _GIVEN_KEYS or (len(c.structured) == 1 and _lone(c.v, c.structured[0])))
            and (
                not any(meet(c.action_words, c.v.verbs[k]) for k in _TEXT_TAKERS)
                or meet(c.action_words, c.v.verbs["run_nouns"])
            )
        ):
            # a tool that types its text (keystrokes go to a terminal as often as not), or
            # a tool whose name says nothing of what it does with a text it is given
            # (`computer {"action": "type", "text": …}`, `run`, `ops`), or with a lone `body`
            # (no path or address to store or send it to), or one that submits or creates
            # what then runs (`job_submit`: `verbs.run_nouns`): a text that clearly is a
            # command line is one
            return "unknown"
    if key.prose or key.url or key.env or key.recipient or key.method:
        return ""
    if key.amount and not shellish and _amount_like(value):
        return ""  # a shell step's `value` is its command line, as is any that is no amount
    if key.path:
        return "unknown" if "\n" in value or _NOT_A_PATH.search(value) else ""
    if key.command:
        if key.norm in _SQL_KEYS or (c.dbish and key.norm in ("query", "queries")):
            return "sql"
        if key.norm in _CODE_KEYS:
            return "code"
        # an order to another agent (`transfer_to_x {"input": "…"}`) is prose unless it
        # clearly is a command
        return "unknown" if c.delegates else "command"
    if shellish:
        return "command"
    if c.dbish and not c.v.verbs["exec"].issuperset(c.action_words & c.v.verbs["dbish"]):
        return "sql"  # a database tool (not merely an `execute_…` one): its strings are queries
    return "unknown"


def _lone(v: Vocab, obj: dict[str, Any]) -> bool:
    """One field, but for an id or a timeout beside it (`envelope_siblings`)."""
    return len(obj) == 1 or sum(key_of(v, k).norm not in v.envelope_siblings for k in obj) == 1


def _amount_like(value: str) -> bool:
    """An amount as written (`1200`, `12.500,00 €`, `USD 40`), not a line (`kill -9 1`)."""
    return len(value) <= 40 and _AMOUNT.fullmatch(value) is not None


# one number with its separators, a currency (a code or a sign) before or after it
_AMOUNT: Final = re.compile(
    r"\s*(?:[A-Za-z]{1,3}|[^\w\s]{1,2})?\s?[-+]?[\d.,'\u00a0\u202f ]*\d[\d.,']*"
    r"\s?(?:[A-Za-z]{1,3}|[^\w\s]{1,2})?\s*"
)


def meet(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """`bool(a & b)` without building the intersection."""
    return not a.isdisjoint(b)


def api_paths(c: Call) -> list[str]:
    """A call's URLs and the API paths it gives apart (`{"path": "/v1.0/roleAssignments"}`),
    four of each."""
    urls = c.urls[:4]
    if c.paths:
        urls += [p for p in c.paths[:4] if p.startswith("/")]
    return urls


def last_segment(url: str) -> str:
    """A URL's or API path's last segment, without its query (`…/settings/autoForwarding?x=1`:
    `autoForwarding`)."""
    end = url.split("?", 1)[0].rstrip("/")
    return end[end.rfind("/") + 1 :]
