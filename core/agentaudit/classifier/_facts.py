"""From what a call holds and does to the facts the rules read.

Each function adds facts (`write`, `send`, `payment`, `prod`, `exfil_dest`…) and the evidence
that shows in a reason, to the call's `facts` and `ev`. See docs/rules.md for the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier._action import Action
from agentaudit.classifier._commands import Findings
from agentaudit.classifier._payload import (
    KEY_CAP,
    SPECIAL,
    Call,
    api_paths,
    key_of,
    last_segment,
    meet,
)
from agentaudit.classifier._places import dest_class, host_class, prod_tokens, word_tokens_prod
from agentaudit.classifier._ruleset import RuleSet, Vocab
from agentaudit.models import Policy

# split and matched per call: compiled once here (re's module functions look each up)
_NOT_LETTER_RUN: Final = re.compile(r"[^a-z]+")
_URL_SEPARATORS: Final = re.compile(r"[/_.?=&-]+")

_IDENTIFYING: Final = ("email", "phone", "credit_card", "iban", "ssn", "ip_address", "passport")
_PAY_CORE: Final = frozenset({"pay", "refund", "payout", "wire"})
_FIRST_VERBS: Final = ("read", "pay", "write", "delete", "send")


def _looks_up(c: Call, a: Action, verbs: Mapping[str, frozenset[str]]) -> bool:
    """`paypal_get_payout {"payout_batch_id": …}`: named for a read first, with no amount."""
    if c.amounts:
        return False
    first = next((w for w in a.own_words if any(w in verbs[k] for k in _FIRST_VERBS)), "")
    return first in verbs["read"]


# Effects that change something: a call with one is a write whatever its tool says.
_CHANGES: Final = frozenset(
    {
        "destroy",
        "weaken_security",
        "remote_code",
        "remote_control",
        "exfiltrate",
        "escalate",
        "persist",
        "stop_service",
        "deploy",
        "schema_change",
        "access_change",
        "force_push",
        "move_money",
    }
)
_MANY_OF_ONE: Final = 10  # values of one identifying kind that make a list a bulk of people
_PROD_KEYS: Final = ("environment", "env", "stage", "tier", "namespace", "cluster", "database")


# Facts that say what a call does, by the effect they stand for (docs/rules.md).
_EFFECT_OF_FACT: Final = {
    "destroy": "destroy",
    "force_push": "destroy",
    "force_push_protected": "destroy",
    "exfiltrate": "exfiltrate",
    "remote_code": "remote_code",
    "remote_control": "remote_control",
    "weaken_security": "weaken_security",
    "security_off": "weaken_security",
    "escalate": "escalate",
    "persist": "persist",
    "stop_service": "stop_service",
    "read_secret": "read_secret",
    "cred_ref": "read_secret",
    "payment": "move_money",
    "message_many": "message_many",
    "mail_forward": "exfiltrate",
}


def effect_names(facts: set[str]) -> list[str]:
    """The effects of a call, for `Classification.effects`."""
    out = {_EFFECT_OF_FACT[f] for f in facts if f in _EFFECT_OF_FACT}
    if "exfil_dest" in facts and ("secret" in facts or "cred_ref" in facts):
        out.add("exfiltrate")
    if "prod" in facts and "write" in facts:
        out.add("change_prod")
    return sorted(out)


def data_facts(c: Call, a: Action) -> None:
    """Personal data, special categories (a tool named for a patient's record processes health
    data, GDPR Art. 9, whether or not the call carries a value of it), secrets."""
    if c.pii:
        c.facts.add("pii")
        c.ev["pii"] = ", ".join(sorted(c.pii))
        special = sorted(set(c.pii) & SPECIAL)
        if special:
            c.facts.add("special")
            c.ev["special"] = ", ".join(special)
    if a.health_record and "special" not in c.facts:
        c.facts.add("special")
        c.ev["special"] = f"health ({a.text})"
    if c.secrets:
        c.facts.add("secret")
        typ = sorted(c.secrets)[0]
        c.ev["secret"] = f"{typ} {d.mask(c.secrets[typ])}"


def effect_facts(c: Call, found: Findings) -> None:
    """Each effect of the call's commands: `<effect>` and `<effect>.<scope>`."""
    c.amounts.extend(found.amounts)
    for units, asset in found.unit_amounts:  # a wallet CLI's amounts: worth at least, per unit
        worth = c.v.unit_values.get(asset)
        if worth is not None:
            c.amounts.append(units * worth)
    for e in found.effects:
        c.facts.add(e.kind)
        c.ev.setdefault(e.kind, e.text)
        if e.scope:
            c.facts.add(e.fact)
            c.ev.setdefault(e.fact, e.text)
    if "force_push.data" in c.facts:
        c.facts.add("force_push_protected")
        c.ev["force_push_protected"] = c.ev["force_push.data"]
    elif "force_push.item" in c.facts:
        c.facts.add("force_push")
        c.ev["force_push"] = c.ev["force_push.item"]


def operation_facts(c: Call, a: Action, found: Findings, action: str, op: str = "") -> None:
    """Read, write or code run: by the commands found, else by the tool's verbs."""
    if c.rehearsal and not found.texts:
        c.facts.add("read")  # a dry run of a tool: nothing changes
        return
    kinds = set(found.kinds) & {"read", "write", "exec"}
    method = c.http_method or a.http_method
    if not kinds and method:
        kinds.add("read" if method in ("GET", "HEAD", "OPTIONS") else "write")
    if not method and not found.texts and op == "read" and kinds <= {"write"}:
        # `payments {"op": "get_balance"}`: the operation field says it reads (its other fields
        # are its parameters, not settings it writes)
        kinds = {"read"}
    elif not kinds and op == "write":
        kinds = {"write"}  # `billing {"op": "create_invoice"}`
    if kinds:
        # `assign_task`, `send_to_agent`: the order decides; a tool named for a change whose
        # commands only read (`storage_sync` running `rclone ls`): the commands decide
        if a.changing and not a.delegates and kinds != {"read"}:
            kinds.add("write")
        if a.strong_exec and not a.shellish:
            kinds |= {"write", "exec"}
    elif a.changing:
        kinds.add("write")
    elif a.strong_exec or (a.exec_v and not a.read_v):
        kinds |= {"write", "exec"}
    else:
        kinds.add("read")
    if any(e.kind in _CHANGES for e in found.effects):
        kinds.add("write")
    if "exec" in kinds:
        c.facts.add("exec")
    if "write" in kinds or "exec" in kinds:
        c.facts.add("write")
        c.ev.setdefault("write", action)
    else:
        c.facts.add("read")


_OP_KEYS: Final = ("op", "operation", "action", "verb", "rpc", "api_method", "api")
_OP_VERBS: Final = ("read", "write", "delete", "deploy", "send", "exec", "pay")


def op_kind(c: Call) -> str:
    """What the call's operation field (`{"op": "get_balance"}`) says it does, by its first
    verb, whatever the tool's name says: "read" (`get_balance`, `list_transactions`), "write"
    (`create_invoice`), or "" (no such field, or no verb in it)."""
    if not c.structured:
        return ""
    top = c.structured[0]
    if "command" in top and top["command"] == "view":
        return "read"  # an editor tool's reading command (`str_replace_editor`, `text_editor`)
    verbs = c.v.verbs
    for key in _OP_KEYS:
        val = top.get(key)
        if isinstance(val, str) and 0 < len(val) < 64:
            words = d.split_words(val)
            first = next((w for w in words if any(w in verbs[k] for k in _OP_VERBS)), None)
            if first is None:
                return ""
            return "read" if first in verbs["read"] else "write"
    return ""


def _pays_a_payee(c: Call, aws: frozenset[str], verbs: Mapping[str, frozenset[str]]) -> bool:
    """A transaction given an amount for a payee (`schedule_transaction {"recipient": IBAN,
    "amount": …}`) or on a schedule (`update_scheduled_transaction {"amount": …}`) pays it;
    `categorize_transaction` does not."""
    return (
        meet(aws, verbs["pay_to"])
        and bool(c.amounts)
        and (
            "iban" in c.pii
            or not c.keys.isdisjoint(verbs["payee_keys"])
            or meet(aws, verbs["pay_schedule"])
        )
    )


def business_facts(
    c: Call, a: Action, rs: RuleSet, action: str, policy: Policy, found: Findings, op: str = ""
) -> None:
    """Outbound messages, money, bulk exports, deploys."""
    facts, ev, aws, verbs = c.facts, c.ev, a.wordset, rs.vocab.verbs
    if meet(aws, verbs["message_nouns"]) and (a.send_v or a.write_v or not a.read_v):
        facts.add("send")
        facts.add("write")
        facts.discard("read")
        ev["send"] = action
    if c.recipients and (a.send_v or "send" in facts):
        facts.add("send")
    if "send" in found.kinds:  # a mailer command given its recipients (`mail -s … a@b.c`)
        facts.add("send")
        ev.setdefault("send", action)
    if "send" in facts or a.send_v:
        broadcast = _broadcast(c, a, rs)
        if broadcast is not None:
            facts.add("message_many")
            ev["message_many"] = broadcast
    threshold = policy.money_critical_threshold
    if c.rehearsal:
        return  # a simulated payment moves nothing
    if "move_money" in facts:
        _payment(c, ev["move_money"], threshold)
    pay_strong = meet(aws, verbs["pay"])
    pay_weak = (
        meet(aws, verbs["pay_weak"]) and (bool(c.amounts) or c.has_currency)
    ) or _pays_a_payee(c, aws, verbs)
    op_read = op == "read"  # `payments {"op": "get_balance"}` moves no money
    reads_only = a.read_v and not a.changing
    if (
        not op_read
        and (pay_strong or pay_weak)
        and not (reads_only and not pay_strong)
        and not (reads_only and not meet(aws, _PAY_CORE))
        and not _looks_up(c, a, verbs)
    ):
        _payment(c, action, threshold)
    elif (c.http_method or a.http_method) in ("POST", "PUT") and (c.amounts or c.has_currency):
        # a payment API called by a generic HTTP tool: the resource its URL creates
        # (`POST https://api.stripe.com/v1/transfers`)
        for url in c.urls[:4] + c.paths[:2]:  # or an API path field (`/v1/transfers`)
            path = url.split("://", 1)[-1].split("?", 1)[0].lower()
            last = [w for w in _NOT_LETTER_RUN.split(path.rsplit("/", 1)[-1]) if w]
            if last and (
                meet(frozenset(last), verbs["pay"]) or meet(frozenset(last), verbs["pay_weak"])
            ):
                _payment(c, f"{action} {url[:80]}", threshold)
                break
    if _runs_payroll(c, aws, verbs):
        _payment(c, action, threshold)
        facts.add("money_critical")
        ev["money_critical"] = f"{action}: a payroll run pays every employee"
    if "pii" in facts:
        # records of people (two identifiers of two kinds each: `users.jsonl` rows), or a long
        # list of one kind; two colleagues invited to a meeting are not a bulk export
        counts = [len(c.pii_values[t]) for t in _IDENTIFYING if t in c.pii_values]
        many = sum(n >= 2 for n in counts) >= 2 or any(n >= _MANY_OF_ONE for n in counts)
        if (meet(aws, verbs["export"]) and ("write" in facts or not a.read_v)) or (
            many and "write" in facts
        ):
            facts.add("bulk")
            ev["bulk"] = ev["pii"]
    if a.export_people:
        facts.add("bulk_people")
        ev["bulk_people"] = action
    else:  # a dump or a whole-table read of people (`\\copy customers to …`, `pg_dump crm`)
        people = verbs["people"]
        for name in found.dumped:
            if any(w in people for w in _NOT_LETTER_RUN.split(name.lower())):
                facts.add("bulk_people")
                ev["bulk_people"] = name
                break
    # a tool named for deploying whose commands only read (`deploy {"command": "fly status"}`)
    commands_read = (set(found.kinds) & {"read", "write", "exec"}) == {"read"}
    # (a tool whose name only reads, `list_run_logs {"workflow": "deploy.yml"}`, starts none)
    run = "" if a.read_v and not a.changing else _run_named(c, verbs["deploy"])
    if (a.deploy_v and not reads_only and not commands_read) or "deploy" in facts or run:
        facts.add("deploy")
        ev.setdefault("deploy", run or action)
        facts.add("write")
        facts.discard("read")


# Fields that name a workflow, pipeline or job to start (`{"workflow": "deploy.yml", "ref": …}`)
_RUN_FIELDS: Final = frozenset({"workflow", "workflow_id", "workflow_name", "workflow_file", "pipeline",
                         "pipeline_name", "job", "job_name", "playbook"})  # fmt: skip


def _run_named(c: Call, deploy_words: frozenset[str]) -> str:
    """A workflow or job started by its name, the name saying it deploys: `key=value`, or ""."""
    if not c.structured or _RUN_FIELDS.isdisjoint(c.structured[0]):
        return ""  # (field names as written: `workflow`, `job_name`…)
    for k, v in list(c.structured[0].items())[:32]:
        named = isinstance(v, str) and len(v) < 256 and k in _RUN_FIELDS
        if named and meet(frozenset(d.split_words(str(v))), deploy_words):
            return f"{k}={v}"
    return ""


def _broadcast(c: Call, a: Action, rs: RuleSet) -> str | None:
    """Why a message reaches many people at once (vocab `broadcast`), or None."""
    v = rs.vocab
    if a.send_v and meet(a.wordset, v.broadcast_nouns):
        return "a campaign or bulk send"
    addresses: set[str] = set()
    for r in c.recipients:
        for m in d.EMAIL.finditer(r[:4096]):
            address = m.group(0).lower()
            if address.split("@", 1)[0] in v.broadcast_mailboxes:
                return f"the list {address}"
            addresses.add(address)
    if "send" in c.facts:
        addresses |= c.pii_values.get("email", set())
    if len(addresses) >= v.broadcast_min_recipients:
        return f"{len(addresses)} recipients"
    for _key, text in c.texts:
        mention = _mention(text[:4096].lower(), v.broadcast_mentions)
        if mention is not None:
            return f"{mention} in a message"
    return None


def _mention(text: str, mentions: tuple[str, ...]) -> str | None:
    """The first whole mention of `mentions` in `text` (`@all`, not `@allison`)."""
    for mention in mentions:
        at = text.find(mention)
        while at >= 0:
            end = at + len(mention)
            if end == len(text) or not (text[end].isalnum() or text[end] in "_-."):
                return mention
            at = text.find(mention, end)
    return None


def _commits_files(c: Call, a: Action) -> bool:
    """A tool that pushes or commits files to a repository (`push_files`, `create_or_update_file`)."""
    aws = a.wordset
    pushes = bool(aws & {"push", "commit"}) or bool(
        aws & {"create", "update", "put"} and aws & {"file", "files", "contents"}
    )
    return pushes and not c.keys.isdisjoint({"repo", "repository", "repo_name", "owner"})


def _runs_payroll(c: Call, aws: frozenset[str], verbs: Mapping[str, frozenset[str]]) -> bool:
    """A payroll submitted, approved or run: by the tool's name or the URL it is sent to."""
    payroll, run = verbs.get("payroll", frozenset()), verbs.get("payroll_verbs", frozenset())
    if meet(aws, payroll) and meet(aws, run):
        return True
    if c.http_method in ("POST", "PUT", "PATCH"):
        for url in c.urls:
            words = set(_URL_SEPARATORS.split(url.split("://", 1)[-1].lower()))
            if words & payroll and words & run:
                return True
    return False


def _payment(c: Call, what: str, threshold: float) -> None:
    units = max(c.amounts) if c.amounts else 0.0
    amount = units * c.unit_value
    if c.unit_value != 1.0:  # an asset's units: say what they are worth at least
        what = f"{what} {units:,.4g} units worth >="
    c.facts.add("payment")
    c.ev.setdefault("payment", f"{what} {amount:,.2f}" if c.amounts else what)
    if amount >= threshold:
        c.facts.add("money_critical")
        c.ev["money_critical"] = f"{what} {amount:,.2f} >= {threshold:,.0f}"
    c.facts.add("write")
    c.facts.discard("read")


def production_fact(
    c: Call, rs: RuleSet, found: Findings, context: dict[str, Any] | None, command_text: str
) -> None:
    """`prod`/`production`/`prd` as a whole word in the environment, a target field, a command
    or a URL."""
    v = rs.vocab
    prod_ev = None
    if context:
        for key in _PROD_KEYS:
            val = context.get(key)
            if isinstance(val, str) and prod_tokens(v, val):
                prod_ev = f"{key}={val}"
                break
    if prod_ev is None:
        for norm, val in c.env_values:
            if prod_tokens(v, val):
                prod_ev = f"{norm}={val}"
                break
    if prod_ev is None and command_text:
        # (a data file's name says where its data came from, not where the command acts:
        # `pg_restore -d "$STAGING_DATABASE_URL" /tmp/prod-anon.dump`)
        text = _DATA_FILE.sub(" ", command_text) if "." in command_text else command_text
        tok = word_tokens_prod(v, text.replace("-", " ").replace(".", " ").replace("/", " "))
        if tok:
            prod_ev = tok
        elif "$" in command_text or "%" in command_text:
            prod_ev = _prod_variable(v, command_text)
    for text in found.targets if prod_ev is None else ():
        # an order that changes something, where it says ("restart nginx on web-prod-02")
        prod_ev = word_tokens_prod(v, text.replace("-", " ").replace(".", " ").replace("/", " "))
        if prod_ev:
            break
    if prod_ev is None:
        for url in c.urls + found.urls:
            for m in d.url_matches(url[:2048]):
                if prod_tokens(v, m.group(1)):
                    prod_ev = m.group(1)
                    break
            if prod_ev is None and "://" in url:
                tok = prod_tokens(v, url.split("://", 1)[1][:512].split("?", 1)[0])
                if tok:
                    prod_ev = tok
            if prod_ev is not None:
                break
    if prod_ev is not None:
        c.facts.add("prod")
        c.ev["prod"] = prod_ev


_DATA_FILE: Final = re.compile(
    r"[\w./~-]{0,256}\.(?:dump|rdb|bak|csv|parquet|tgz|gz|archive|7z|zip)(?![\w.])"
)
# A variable a command is given (`$PROD_DATABASE_URL`, `${DB_URL_PRD}`, `%PROD_DB%`,
# `$env:PROD_DB`): its name's parts say which environment it points at.
_VARIABLE: Final = re.compile(r"\$(?:env:|\{)?([A-Za-z_][A-Za-z0-9_]{0,63})|%([A-Za-z_]\w{0,63})%")


def _prod_variable(v: Vocab, text: str) -> str | None:
    for m in _VARIABLE.finditer(text[:65536]):
        name = m.group(1) or m.group(2)
        if "_" in name and any(p.lower() in v.production_words for p in name.split("_")):
            return name
    return None


def destination_facts(
    c: Call, a: Action, rs: RuleSet, found: Findings, action: str, policy: Policy
) -> None:
    """Unknown hosts, public drops, personal mailboxes, outside messengers."""
    v, facts, ev = rs.vocab, c.facts, c.ev
    # Secrets only in the fields that authenticate the request are used by the host it calls.
    auth_only = bool(c.auth_values) and all(
        any(s in a for a in c.auth_values) for s in c.secret_values
    )
    for t in c.urls + found.urls + found.texts:
        if "://" not in t:
            continue
        for m in d.url_matches(t[:65536]):
            host = m.group(1)
            cls = host_class(v, host)
            if cls in ("unknown", "drop"):
                facts.add("external")
                ev.setdefault("external", host)
                if cls == "drop" or not auth_only or found.texts:
                    facts.add("exfil_dest")
                    ev.setdefault("exfil_dest", host)
    if c.secret_values and "exfil_dest" not in facts:
        _secret_in_link(c, v)
    if "gh" in found.programs and "gist" in "\n".join(found.texts):
        facts.add("exfil_dest")
        ev.setdefault("exfil_dest", "public gist")
    if "send" in facts:
        for r in c.recipients:
            for m in d.EMAIL.finditer(r[:4096]):
                if dest_class(v, m.group(0), policy) == "drop":
                    dom = m.group(0).rsplit("@", 1)[1].lower()
                    facts.add("exfil_dest")
                    ev.setdefault("exfil_dest", f"personal mailbox @{dom}")
    if _commits_files(c, a):
        # files committed to a repository stay in its history for everyone with access to it
        facts.add("exfil_dest")
        ev.setdefault("exfil_dest", f"a code repository ({action})")
    if a.outside_channel and ("send" in facts or "write" in facts):
        facts.add("exfil_dest")
        ev.setdefault("exfil_dest", f"outside channel {action}")
    if "read" not in facts or (c.forwards and not a.read_v):  # a forwarding field sets it
        _forwarding(c, rs, policy, found)


_LINK: Final = re.compile(r"\b(?:https?|wss?)://[^\s<>\"'`)\]]{1,2048}", re.IGNORECASE)


def _secret_in_link(c: Call, v: Vocab) -> None:
    """A link to a host outside the organisation with a secret in its path or query (a markdown
    image in a chat message, `…/p.png?d=<key>`): whoever renders or follows it sends the secret
    there, whatever the tool that carries the text."""
    for text in c.content:
        if "://" not in text:
            continue
        for m in _LINK.finditer(text[:65536]):
            link = m.group(0)
            # (a secret that is the link itself, a webhook's URL, goes nowhere by being shown)
            if not any(s in link and not link.startswith(s) for s in c.secret_values):
                continue
            url = d.URL.match(link)
            host = url.group(1) if url is not None else ""
            if host and host_class(v, host) in ("unknown", "drop"):
                c.facts.add("exfil_dest")
                c.ev.setdefault("exfil_dest", f"a link to {host} that carries the secret")
                return


# Exchange's cmdlets take the forwarding address as a switch (`Set-Mailbox -ForwardingSmtpAddress
# x@…`, `New-InboxRule -RedirectTo x@…`, a transport rule's `-BlindCopyTo x@…`); GAM as words
# (`gam user x forward on y@… keep`).
_FORWARD_SWITCH: Final = re.compile(
    r"(?:-(?:forwardingsmtpaddress|forwardingaddress|forwardto|redirectto|forwardasattachmentto"
    r"|blindcopyto|copyto|redirectmessageto|addtorecipients)"
    r"\b[\s:]*|\bforward\s+(?:on|true|yes)\s+)['\"]?([^\s'\",;]+@[^\s'\",;]+)",
    re.IGNORECASE,
)


def _forwarding(c: Call, rs: RuleSet, policy: Policy, found: Findings) -> None:
    """A mailbox told to forward its mail, from now on, to a personal mailbox (or, when the
    policy names the organisation's domains, to any outside one): every mail that arrives leaves.
    Switches are read in every text found to be a command, whatever its field's name."""
    targets = list(c.forwards)
    v = rs.vocab
    if c.rule_forwards and not v.mail_rule_conditions.isdisjoint(c.keys):
        targets += c.rule_forwards  # `{"criteria": {…}, "action": {"forward": "x@…"}}`
    if c.structured and not _switched_off(c):
        for url in api_paths(c):
            if key_of(v, last_segment(url)[:KEY_CAP]).forward:
                # `PUT …/settings/autoForwarding {"emailAddress": …}`: the body is the setting
                targets += [value for _, value in c.texts if "@" in value]
                break
    for text in c.commands + found.texts:
        if "@" in text:
            targets += [m.group(1) for m in _FORWARD_SWITCH.finditer(text[:65536])]
    for target in targets:
        for m in d.EMAIL.finditer(target[:4096]):
            where = dest_class(rs.vocab, m.group(0), policy)
            if where in ("drop", "unknown"):
                dom = m.group(0).rsplit("@", 1)[1].lower()
                mailbox = "a personal mailbox" if where == "drop" else "an outside mailbox"
                c.facts.add("mail_forward")
                c.ev.setdefault("mail_forward", f"mail forwarded to {mailbox} @{dom}")
                return


def _switched_off(c: Call) -> bool:
    """`{"enabled": false}`: the setting the call gives is turned off."""
    return any(k in ("enabled", "is_enabled") and val == "false" for k, val in c.settings)


def credential_fact(c: Call, a: Action, rs: RuleSet, action: str) -> None:
    """A credential file or secret store is read or written."""
    cred = next((p for p in c.paths if rs.effects.is_credential(p)), None)
    if cred is None and "read_secret" in c.facts:
        cred = c.ev["read_secret"]
    if cred is None and a.secret_store:
        cred = action
    if cred is not None:
        c.facts.add("cred_ref")
        c.ev["cred_ref"] = cred
