"""Access-control documents that open a resource to everyone (effects.yaml `exposure:`).

A file an editor writes, or a document a call applies, can say who may reach what: a firewall
or security-group rule, a Kubernetes RBAC binding, Firebase security rules. Written so that
anyone may come in, it is the resource made public, whatever the tool or the language:

- an ingress rule from the whole internet (`world`) to a port of `admin_ports` (or to every
  port: a protocol of `all_protocols`), in HCL, CloudFormation YAML/JSON, Pulumi…; a rule of
  traffic out (`outbound`) or one that denies it (`denying`) is not one;
- a (Cluster)RoleBinding whose subject is anyone (`anonymous`), to any role but those everyone
  holds anyway (`public_roles`);
- Firebase/Firestore/Storage rules (`rules_files`, `rules_services`) that allow a write with
  no condition (or `if true`), or a read of every path (`{x=**}`); Realtime Database rules
  whose `.write` is true, or whose `.read` is true at the root.

Every check is gated by a substring its own knowledge names (a world range, an anonymous
subject, a rules service or file), so a document that names none costs a few `in` tests; the
scans that follow are bounded (the first 64 KiB, a few occurrences, a bounded block each).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

MAX_TEXT: Final = 65536  # a document's first 64 KiB
MAX_HITS: Final = 8  # occurrences of a world range looked at
_REACH: Final = 2000  # how far a block around an occurrence is looked for
_TRUE: Final = frozenset({"true", "(true)", "1 == 1", "true == true"})

# `key = value`, `key: value`, `"key": value` (a list of values in brackets, or one value)
_FIELD: Final = re.compile(
    r"(?<![a-z0-9_\-])([a-z][a-z0-9_\-]{0,47})[\"']?[ \t]*[:=][ \t]*(\[[^\]]{0,200}\]|[^\n,;}\]]{1,40})"
)
_BRACES: Final = re.compile(r"[{}]")
_PORTS: Final = re.compile(r"(\d{1,5})(?:[ \t]*-[ \t]*(\d{1,5}))?")
# Firebase rules: `allow read, write: if <condition>;` or `allow read, write;`
_ALLOW: Final = re.compile(
    r"\ballow[ \t]+([a-z]{3,6}(?:[ \t]*,[ \t]*[a-z]{3,6}){0,6})[ \t]*(?::[ \t]*if\b([^;{}]{0,300}))?;"
)
# Realtime Database rules: `".write": true`, `".read": "true"`
_RTDB: Final = re.compile(r"\"\.(read|write)\"[ \t]*:[ \t]*\"?true\b")
# RBAC: the role a binding refers to (YAML `roleRef:`, JSON `"roleRef": {`, a client's `role_ref=`):
# the first `name` after it
_ROLE_REF: Final = re.compile(r"role_?ref\b")
_NAME: Final = re.compile(r"\bname[\"']?[ \t]*[:=][ \t]*[\"']?([\w:.\-]{1,128})")


@dataclass(frozen=True, slots=True)
class Exposure:
    """`exposure:` of effects.yaml, compiled."""

    world: tuple[str, ...]  # sources that are the whole internet
    admin_ports: frozenset[int]  # ports never to open to it
    all_protocols: frozenset[str]  # a protocol (or port) value that is every port
    outbound: tuple[str, ...]  # words of a rule about traffic out
    inbound: tuple[str, ...]  # words of a rule about traffic in
    denying: tuple[str, ...]  # words of a rule that shuts traffic out
    anonymous: tuple[str, ...]  # RBAC subjects that are anyone
    public_roles: frozenset[str]  # roles anyone holds anyway
    bindings: tuple[str, ...]  # the kinds that bind a role to subjects (lowered)
    rules_files: tuple[str, ...]  # file names of security-rules documents
    rules_services: tuple[str, ...]  # `service …` lines of such documents
    rules_writes: frozenset[str]  # operations of `allow` that write
    rules_reads: frozenset[str]  # operations of `allow` that read

    def gated(self, path: str, text: str) -> bool:
        """Whether `text` (written into `path`) may open anything: a substring of the knowledge."""
        return (
            any(w in text for w in self.world)
            or any(a in text for a in self.anonymous)
            or any(s in text for s in self.rules_services)
            or ('".write"' in text or '".read"' in text)
            or (bool(path) and path.lower().endswith(self.rules_files))
        )

    def opened(self, path: str, text: str) -> str:
        """What `text` (written into `path`, "" when applied) opens to everyone, or ""."""
        if not self.gated(path, text):
            return ""
        low = text[:MAX_TEXT].lower()
        return (
            self._ingress(low)
            or self._binding(low)
            or self._rules(path.lower(), low)
            or self._realtime(path.lower(), low)
        )

    def fields_open(
        self, action: str, fields: list[tuple[str, str]], ports: list[tuple[str, str]]
    ) -> str:
        """What a call's fields open to everyone (`authorize_security_group_ingress {"cidr_ip":
        "0.0.0.0/0", "from_port": 22}`, an API's `IpPermissions`), or "": the whole internet
        as a source — not a route's destination — in no rule about traffic out (by the tool's
        name or a field) or one that denies, to an administration port or every port (`ports`:
        the numbers of the call's port fields)."""
        if not any(v in self.world for _k, v in fields):
            return ""
        if any("destination" in k for k, v in fields if v in self.world):
            return ""  # a route to the internet
        body = "\n".join(f"{k}: {v}" for k, v in fields[:64] + ports).lower()
        if self._not_in(action.lower(), body):
            return ""
        port = self._open_port(body)
        return f"opens {port} to the whole internet" if port else ""

    # ------------------------------------------------------------------ firewall rules
    def _ingress(self, low: str) -> str:
        hits = 0
        for w in self.world:
            i = low.find(w)
            while i >= 0 and hits < MAX_HITS:
                hits += 1
                header, body = _block(low, i)
                if not self._not_in(header, body):
                    port = self._open_port(body)
                    if port:
                        return f"opens {port} to the whole internet ({w})"
                i = low.find(w, i + len(w))
        return ""

    def _not_in(self, header: str, body: str) -> bool:
        """A rule about traffic out (an outbound word last in its header, or in its body), or one
        that denies what it names."""
        last_out = max((header.rfind(o) for o in self.outbound), default=-1)
        last_in = max((header.rfind(o) for o in self.inbound), default=-1)
        return last_out > last_in or any(o in body for o in self.outbound + self.denying)

    def _open_port(self, body: str) -> str:
        """The administration port a rule's fields open (`from_port`/`to_port`, `ports`,
        `destination_port_range`…), "every port" for a protocol that is all; "" when none."""
        lo = hi = -1
        ranges: list[tuple[int, int]] = []
        for m in _FIELD.finditer(body):
            key = m.group(1).replace("_", "").replace("-", "")
            value = m.group(2).strip().strip("\"'")
            if "protocol" in key:
                if value in self.all_protocols:
                    return "every port"
                continue
            if "port" not in key:
                continue
            if value in self.all_protocols:
                return "every port"
            found = _PORTS.findall(value[:200])
            if not found:
                continue
            if key.startswith("from") or key.endswith(("min", "start")):
                lo = int(found[0][0])
            elif key.startswith("to") or key.endswith(("max", "end")):
                hi = int(found[0][0])
            else:
                for a, b in found[:16]:
                    ranges.append((int(a), int(b or a)))
        if lo >= 0 or hi >= 0:
            ranges.append((lo if lo >= 0 else hi, hi if hi >= 0 else lo))
        for a, b in ranges:
            opened = [p for p in self.admin_ports if a <= p <= b]
            if opened:
                return f"port {min(opened)}" if a == b else f"ports {a}-{b}"
        return ""

    # ------------------------------------------------------------------ RBAC
    def _binding(self, low: str) -> str:
        if not any(a in low for a in self.anonymous):
            return ""
        for doc in low.split("\n---")[:16]:
            if not any(b in doc for b in self.bindings):
                continue
            who = next((a for a in self.anonymous if a in doc), "")
            if not who:
                continue
            role = bound_role(doc)
            if role not in self.public_roles:
                return f"binds {'the ' + role if role else 'a'} role to {who}"
        return ""

    # ------------------------------------------------------------------ Firebase rules
    def _rules(self, path: str, low: str) -> str:
        if not path.endswith(self.rules_files) and not any(s in low for s in self.rules_services):
            return ""
        everything = "=**}" in low
        for n, m in enumerate(_ALLOW.finditer(low)):
            if n >= 64:
                break
            ops = {o.strip() for o in m.group(1).split(",")}
            if not ops <= self.rules_writes | self.rules_reads:
                continue  # not the rules' own operations
            cond = m.group(2)
            if cond is not None and cond.strip() not in _TRUE:
                continue
            if ops & self.rules_writes or everything:
                return f"allows {', '.join(sorted(ops))} to anyone"
        return ""

    def _realtime(self, path: str, low: str) -> str:
        if '".write"' not in low and '".read"' not in low:
            return ""
        for n, m in enumerate(_RTDB.finditer(low)):
            if n >= MAX_HITS:
                break
            if m.group(1) == "write":
                return "allows anyone to write the database"
            before = low[: m.start()]
            if before.count("{") - before.count("}") <= 2:
                return "allows anyone to read the whole database"
        return ""


def bound_role(low: str) -> str:
    """The role a binding (YAML, JSON or a client's call, lowered) refers to, or ""."""
    if "ref" not in low:
        return ""
    ref = _ROLE_REF.search(low, 0, MAX_TEXT)
    if ref is None:
        return ""
    m = _NAME.search(low, ref.end(), ref.end() + 400)
    return m.group(1) if m else ""


def _block(low: str, i: int) -> tuple[str, str]:
    """(header, body) of the innermost object around position `i`: the braces around it (HCL,
    JSON, a JavaScript object), else the YAML list item it belongs to."""
    s, depth = -1, 0
    for m in reversed(list(_BRACES.finditer(low, max(0, i - _REACH), i))):
        if m.group() == "}":
            depth += 1
        elif depth == 0:
            s = m.start()
            break
        else:
            depth -= 1
    if s >= 0:
        depth = 0
        for m in _BRACES.finditer(low, i, min(len(low), i + _REACH)):
            if m.group() == "{":
                depth += 1
            elif depth == 0:
                return low[max(0, s - 48) : s], low[s + 1 : m.start()]
            else:
                depth -= 1
    return _yaml_item(low, i)


def _indent(line: str) -> int:
    """A YAML line's key indentation (a list item's `- ` counts as indentation)."""
    body = line.lstrip(" ")
    n = len(line) - len(body)
    return n + 2 if body.startswith("- ") else n


def _yaml_item(low: str, i: int) -> tuple[str, str]:
    """(header: the parent line, body: the item's lines) of the YAML mapping around `i`."""
    start = max(low.rfind("\n", 0, i) + 1, i - _REACH)
    end = low.find("\n", i, i + _REACH)
    end = min(len(low), i + _REACH) if end < 0 else end
    before = low[max(0, start - _REACH) : start].split("\n")[:-1]
    after = low[end : end + _REACH].split("\n")[1:]
    line = low[start:end]
    ind = _indent(line)
    body = [line]
    header = ""
    if not line.lstrip(" ").startswith("- "):
        for ln in reversed(before[-40:]):
            if not ln.strip():
                continue
            k = _indent(ln)
            if k < ind:
                header = ln
                break
            body.append(ln)
            if k == ind and ln.lstrip(" ").startswith("- "):
                break
    for ln in after[:40]:
        if not ln.strip():
            continue
        k = _indent(ln)
        if k < ind or (k == ind and ln.lstrip(" ").startswith("- ")):
            break
        body.append(ln)
    if not header:
        for ln in reversed(before[-40:]):
            if ln.strip() and _indent(ln) < ind - (2 if line.lstrip(" ").startswith("- ") else 0):
                header = ln
                break
    return header, "\n".join(body)


def _words(spec: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = spec.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"{where}.{key} must be a list")
    return tuple(str(v).lower() for v in value)


def compile_exposure(raw: Mapping[str, Any] | None, where: str = "exposure") -> Exposure:
    """Compile `exposure:`; a port that is no number fails at load."""
    spec: Mapping[str, Any] = raw or {}
    ports: set[int] = set()
    for p in _words(spec, "admin_ports", where):
        if not p.isdigit() or not 0 < int(p) < 65536:
            raise ValueError(f"{where}.admin_ports: {p!r} is no port")
        ports.add(int(p))
    return Exposure(
        world=_words(spec, "world", where),
        admin_ports=frozenset(ports),
        all_protocols=frozenset(_words(spec, "all_protocols", where)),
        outbound=_words(spec, "outbound", where),
        inbound=_words(spec, "inbound", where),
        denying=_words(spec, "denying", where),
        anonymous=_words(spec, "anonymous", where),
        public_roles=frozenset(_words(spec, "public_roles", where)),
        bindings=_words(spec, "bindings", where),
        rules_files=_words(spec, "rules_files", where),
        rules_services=_words(spec, "rules_services", where),
        rules_writes=frozenset(_words(spec, "rules_writes", where)),
        rules_reads=frozenset(_words(spec, "rules_reads", where)),
    )
