"""Hand every part of a call that may be a command to the analyser (`_commands`): its strings
by the role their keys give them, lists of words, objects that describe a command by fields
(`{"tool": "terraform", "action": "destroy"}`), an editor tool's file write, a tool named for
what it does (`delete_database`), orders to another agent, settings given as fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from agentaudit.classifier import _detect as d
from agentaudit.classifier import _sql as sqlx
from agentaudit.classifier._action import Action
from agentaudit.classifier._commands import Analyser, playbook_commands, yaml_commands, yaml_docs
from agentaudit.classifier._effects import (
    NOT_ALNUM_RUN,
    Effect,
    EffectTable,
    Judged,
    admin_role,
    container_spec,
    describe,
    device_wipe,
    forced_push,
    normalize_path,
    program_name,
    url_delete,
    verb_noun,
    word_parts,
    worst_scope,
)
from agentaudit.classifier._exposure import bound_role
from agentaudit.classifier._payload import KEY_CAP, Call, api_paths, key_of, last_segment
from agentaudit.classifier._ruleset import RuleSet, Vocab
from agentaudit.classifier._shell import shell_word

_PROGRAM_FIELDS: Final = (
    "tool",
    "program",
    "cli",
    "binary",
    "executable",
    "bin",
    "utility",
    "command_name",
)

_VERB_FIELDS: Final = (
    "subcommand",
    "sub_command",
    "command",
    "cmd",
    "action",
    "verb",
    "operation",
    "op",
    "api",  # an API method's name (`storage.buckets.get`)
    "api_method",
)

# Fields that say where a target is, not what it is (`{"name": "x", "namespace": "prod"}`)
_PLACE_FIELDS: Final = frozenset({"namespace", "project", "region", "zone", "account", "cluster",
                           "location", "workspace", "environment", "env", "stage", "host",
                           "server", "org", "organization", "tenant", "subscription", "repo",
                           "repository", "owner", "parent"})  # fmt: skip
_HTTP_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
_RESOURCE_FIELDS: Final = (
    "resource",
    "resource_type",
    "kind",
    "type",
    "object",
    "object_type",
    "target_type",
    "entity",
)
# The fields that may name the program of a command given as fields, in the order tried.
_PROGRAM_KEYS: Final = (
    _PROGRAM_FIELDS
    + _VERB_FIELDS[:4]
    + _RESOURCE_FIELDS[:4]
    + ("provider", "engine", "platform", "service", "cmdlet")
)

_PROGRAM_KEY_SET: Final = frozenset(_PROGRAM_KEYS)  # looked up per field (a call has a few)

_NAME_FIELDS: Final = (
    "remote",
    "name",
    "names",
    "resource_name",
    "target",
    "release",
    "stack",
    "branch",
    "ref",
    "refspec",
    "resource_id",
    "bucket",
    "table",
    "database",
    "instance",
    "cluster",
    "path",
    "paths",
    "file",
    "files",
    "directory",
    "dir",
)

# A copy's or sync's ends given as fields (`{"tool": "rclone", "subcommand": "copy", "src": …,
# "dst": …}`): its source words, then its destination, as the command line puts them.
_SOURCE_FIELDS: Final = ("source", "src", "source_path", "src_path", "from_path", "local_path")
_DEST_FIELDS: Final = ("destination", "dest", "dst", "destination_path", "dest_path", "to_path",
                "remote_path")  # fmt: skip

_VALUE_FLAGS: Final = {
    "namespace": "-n",
    "region": "--region",
    "project": "--project",
    "profile": "--profile",
    "context": "--context",
    "stage": "--stage",
    "selector": "-l",
    "resource_group": "--resource-group",
}

_BOOL_FLAGS: Final = {
    "force": "--force",
    "recursive": "-r",
    "all": "--all",
    "auto_approve": "-auto-approve",
    "yes": "--yes",
    "purge": "--purge",
    "cascade": "--cascade",
    "no_preserve_root": "--no-preserve-root",
    "volumes": "--volumes",
    "delete": "--delete",
    "prune": "--prune",
    "skip_final_snapshot": "--skip-final-snapshot",
    "dry_run": "--dry-run",
    "destroy": "-destroy",
    "all_namespaces": "--all-namespaces",
    "mirror": "--mirror",
    "hard": "--hard",
}

_PATH_FIELDS: Final = (
    "file_path",
    "path",
    "filepath",
    "filename",
    "file",
    "target_file",
    "target",
    "destination",
    "dest",
    "output_path",
    "output_file",
    "uri",
)

# fields whose text is added to a file rather than replacing it
_APPEND_FIELDS: Final = ("append", "append_text", "add_line", "prepend")
_CONTENT_FIELDS: Final = (
    "content",
    "contents",
    "file_text",
    "text",
    "data",
    "body",
    "code",
    "source",
    "new_string",
    "new_str",
    "new_text",
    "newtext",
    "replacement",
    "insert_text",
    "new_content",
    "new",  # `{"old": …, "new": …}`: an edit's two halves, briefly named
    "value",
    "lines",
    *_APPEND_FIELDS,
)

_OLD_FIELDS: Final = (
    "old_string",
    "old_str",
    "old_text",
    "oldtext",
    "old_content",
    "old",
    "search",
    "find",
    "original",
)

_EDITOR_COMMANDS: Final = frozenset(
    {
        "view",
        "create",
        "str_replace",
        "insert",
        "undo_edit",
        "write",
        "append",
        "edit",
        "replace",
        "overwrite",
        "patch",
    }
)


def find_commands(c: Call, a: Action, an: Analyser, rs: RuleSet) -> None:
    """Hand every string, word list and command-shaped object of the call to the analyser."""
    t = an.table
    editing = _file_writes(c, a, an)
    for _key, text in c.texts:
        if "\n+++ " in text or text.startswith(("--- ", "diff --git")):
            _patch(text, a, an)
        elif "*** Begin Patch" in text:
            _codex_patch(text, a, an)
        elif not editing and "<Exec>" in text and "<Task" in text and not key_of(c.v, _key).prose:
            an.scheduled_task(text)  # a task's XML handed to a call that registers it
        elif text.startswith("dn:") and "changetype:" in text:
            an.ldif(text)  # LDIF change records handed to a directory client
    written: set[int] = set()
    if editing and c.json_leaves:
        # a JSON document a file tool writes is written, not run: its `command` fields run
        # only when the file runs them (`file_write`: tasks run on opening a folder, hooks)
        for first, end, key in c.json_leaves:
            if key in _CONTENT_FIELDS:
                written.update(range(first, end))
    leaves = [
        (val, role)
        for i, (val, role) in enumerate(c.leaves)
        if i not in written
        and not (
            role == "command"
            and val.strip().lower() in _EDITOR_COMMANDS
            and (editing or val.strip().lower() == "view")  # an editor's `view` reads the file
        )
    ]
    if not a.shellish:
        # a single unknown word under `command` of a tool that is no shell is not a program run
        leaves = [
            (val, role)
            for val, role in leaves
            if not (
                role == "command"
                and " " not in val.strip()
                and "(" not in val  # a call (`conn.execute(update(t).values(x=0))`) is code
                and program_name(val) not in t.known_programs
                and a.program is None
            )
        ]
    # an infra tool described by fields: the command line it stands for
    assembled = (
        []
        if c.rehearsal
        else [x for x in (_assemble(o, a, t, rs.vocab) for o in c.structured) if x]
    )
    if a.program is not None:
        # a tool named after a program: its command strings are that program's arguments —
        # unless one is a command line of another program (ansible's `shell` module, a
        # `docker_exec` tool's `cmd`), which runs as it is
        subs = t.first_subs.get(a.program, frozenset())
        own = [
            (val, role)
            for val, role in leaves
            if role == "command" and _other_program(t, val, a.program, subs)
        ]
        for val, role in own:
            an.text(val, role)
        if a.program in t.db_clients:
            own_vals = {val for val, _role in own}
            # a database client's tool given a statement as itself, comments first or not
            # (`-- why\nDELETE FROM t`, `MERGE INTO …`), or a line for its shell (`.shell …`):
            # its input, not the client's options
            stated = [
                (val, role)
                for val, role in leaves
                if role == "command"
                and val not in own_vals
                and (_commented_sql(val) or val.lstrip().startswith(t.shell_escapes))
            ]
            for val, _role in stated:
                an.text(val, "sql")
            own += stated
        leaves = [x for x in leaves if x not in own]
        # fields that make up a command line (`{"verb": "get", "resource": "namespace"}`)
        # already stand for it: their words are not read again as one more command
        parts = [val for val, role in leaves if role == "command"]
        # (an API operation kebab-cased for its CLI, `DescribeDBSnapshots`, is still its word)
        consumed = {w.lower().replace("-", "") for argv in assembled for w in argv}
        if parts and not (consumed and all(_consumed(p, consumed) for p in parts)):
            joined = " ".join(parts)
            low = joined.lower()
            if not (low == a.program or low.startswith(a.program + " ")):
                lead = [w for w in a.words[1:] if w not in GENERIC_WORDS and w not in low.split()]
                joined = " ".join([a.program, *lead, joined])
            an.text(joined, "command")
        elif parts:  # still what the call's commands say (`prod.tfvars`: production)
            an.out.texts.extend(" ".join(argv) for argv in assembled)
        if parts:
            leaves = [(val, role) for val, role in leaves if role != "command"]
    for val, role in leaves:
        an.text(val, role)
    for words in c.argvs:
        an.argv(words, "command" if t.knows(program_name(words[0])) else "unknown")
    if not c.rehearsal:  # `{"dry_run": true}`: what the tool and its fields name does not happen
        for argv in assembled:
            an.argv(argv, "command")
        for obj in c.structured:
            for line in _program_lines(obj, t, rs.vocab):
                an.argv(line, "command")
        _action_effects(c, a, an)
    for key, value in c.settings:
        an.setting(key, value)
    for key, value in _named_settings(c):
        an.setting(key, value)
    if c.settings:  # a firewall rule given as fields that lets the whole internet in
        why = t.exposure.fields_open(a.text, c.settings, c.ports)
        if why:
            an.out.add(Effect("weaken_security", "", describe(why, "", False, a.text)))
    for key, value in c.settings:
        # a run that destroys what it manages (`is-destroy: true`); the table names the fields
        if (
            value == "true"
            and "destroy" in key
            and key in (t.raw.get("code", {}).get("destroy_fields") or ())
        ):
            an.out.add(Effect("destroy", "infra", describe("starts a destroy run", "", False, key)))
    for key, text in c.texts:
        # an order to an agent: by the tool (`delegate_task`), or by the field (`instruction`)
        ordered = a.delegates or key in _ORDER_KEYS
        if ordered and len(text) > 5 and (" " in text.strip() or not text.isascii()):
            an.orders(text, rs.orders)
    http_effects(c, a, an)


_ORDER_KEYS: Final = frozenset({"instruction", "instructions", "order", "orders", "directive"})


def _consumed(part: str, consumed: set[str]) -> bool:
    """A field's value the assembled command line already holds, whole or by its dotted words
    (`storage.buckets.get`)."""
    low = part.strip().lower().replace("-", "")
    return low in consumed or ("." in low and all(x in consumed for x in low.split(".") if x))


def http_effects(c: Call, a: Action, an: Analyser) -> None:
    """An HTTP request given as fields (a method and URLs or API paths): what it deletes. Also
    for tools whose strings are never run (a search tool's `_delete_by_query` still deletes)."""
    method = c.http_method or a.http_method
    # what the request acts on: its URLs, and API paths given apart (`{"path": "/repos/…"}`)
    targets = c.urls + [p for p in c.paths if p.startswith("/")] if method else c.urls
    for url in targets:
        if "_delete_by_query" in url or "/_truncate" in url:
            everything = "all" in c.flags or "match_all" in c.keys
            scope = "data" if everything else "item"
            an.out.add(Effect("destroy", scope, describe("deletes by query", scope, False, url)))
    if method == "DELETE":
        every = _wildcard_ids(c)
        for url in targets:
            j = Judged()
            url_delete(an.table, url, "", j)
            for e in j.effects:
                an.out.add(e)
            if every:  # `DELETE …/tickets/destroy_many.json {"ids": "$(…)"}`
                _rpc_delete(an, url, every)
    elif method in ("POST", "PUT"):
        for url in targets[:4]:
            _rpc_delete(an, url, _wildcard_ids(c))
            if device_wipe(an.table, url):
                an.out.add(Effect("destroy", "all", describe("wipes a device", "", False, url)))
    elif method in ("PATCH", "POST", "PUT") and "force" in c.flags:
        for url in targets:  # a forge's ref moved by force: a force-push (`…/git/refs/heads/main`)
            forced = forced_push(an.table, url, url)
            if forced is not None:
                an.out.add(forced)


def _wildcard_ids(c: Call) -> bool:
    """A request body whose list of ids is a wildcard (`{"public_ids": ["*"]}`, `{"inputs":
    [{"id": "*"}]}`): every item."""
    for fields in c.structured[:2]:
        for value in list(fields.values())[:32]:
            if isinstance(value, dict):
                value = next((v for v in value.values() if isinstance(v, list)), None)
            if isinstance(value, list) and value and len(value) <= 4:
                items = [v for x in value for v in (x.values() if isinstance(x, dict) else [x])]
                if items and all(v in ("*", "all", "ALL") for v in items):
                    return True
            elif isinstance(value, str) and value.startswith("$(") and value.endswith(")"):
                return True  # `{"ids": "$(all_ticket_ids)"}`: what a listing printed
    return False


def _rpc_delete(an: Analyser, url: str, every: bool = False) -> None:
    """An endpoint named for a deletion (`POST …/admin/tsdb/delete_series?match[]=…`): the noun
    of its name says what goes, all of it when its selector matches everything (`=~".+"`) or
    its ids are a wildcard (`bulk_delete {"public_ids": ["*"]}`: `every`)."""
    path, _, query = url.partition("?")
    if "://" in path:  # the path only: a host's words (`drop.example.xyz`) name nothing deleted
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    segments = path.rstrip("/").rsplit("/", 3)
    last = segments[-1].lower()
    words = [w for w in NOT_ALNUM_RUN.split(last) if w]
    t = an.table
    if len(words) == 1 and len(segments) >= 3 and words[0] in t.destroy_verbs:
        # a bare verb after its collection (Docker's `POST /volumes/prune`, `…/databases/crm/
        # delete`): that collection, named just before it or before the item's id
        before = " ".join(segments[-3:-1] if len(segments) == 4 else segments[-2:-1]).lower()
        words = [w for w in NOT_ALNUM_RUN.split(before) if w] + words
    if every and (t.destroy_verbs & set(words) or "archive" in words):
        # (every record archived is every record gone from where it was used)
        an.out.add(Effect("destroy", "data", describe("deletes every item", "", False, url)))
        return
    if len(words) < 2 or not t.destroy_verbs & set(words):
        return
    scope = t.noun_scope(words)
    if scope == "item":
        return
    if query and not _MATCH_ALL.search(query):
        scope = "item"  # a selector narrows it
    an.out.add(Effect("destroy", scope, describe("deletes", scope, False, url)))


_MATCH_ALL: Final = re.compile(r"=~?\s*[\"']?(?:\.[*+]|\*)[\"']?(?:[},&]|$)")


_DIFF_FILE: Final = re.compile(r"^\+\+\+ (?:b/)?(\S+)", re.M)


def _patch(text: str, a: Action, an: Analyser) -> None:
    """A unified diff (`apply_patch`, a PR's patch): each file's added lines are written into
    it and its removed lines taken out — judged as the edit they make."""
    heads = list(_DIFF_FILE.finditer(text[:262_144]))
    for n, m in enumerate(heads[:32]):
        path = m.group(1)
        if path != "/dev/null":
            end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
            _hunk_edit(path, text[m.end() : end], a, an)


_PATCH_FILE: Final = re.compile(r"^\*\*\* (Add|Update|Delete) File: *(\S[^\n]*)$", re.M)


def _codex_patch(text: str, a: Action, an: Analyser) -> None:
    """A patch in the Codex CLI's envelope (`*** Begin Patch`, `*** Update File: p`, `*** Add
    File: p`, `*** Delete File: p`): each file's added lines written into it and its removed
    lines taken out; a deleted file judged as its removal (`rm -f p`)."""
    heads = list(_PATCH_FILE.finditer(text[:262_144]))
    for n, m in enumerate(heads[:32]):
        kind, path = m.group(1), m.group(2).strip()
        if kind == "Delete":
            an.argv(["rm", "-f", path], "command")
            continue
        end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        _hunk_edit(path, text[m.end() : end], a, an)


def _hunk_edit(path: str, body: str, a: Action, an: Analyser) -> None:
    """A patch's lines for one file: its `+` lines written into it, its `-` lines taken out."""
    lines = body.splitlines()
    added = "\n".join(ln[1:] for ln in lines if ln.startswith("+"))
    removed = "\n".join(ln[1:] for ln in lines if ln.startswith("-"))
    an.file_edit(path, removed or None, added, False, f"{a.text} {path}")


def _search_replace(text: str) -> list[tuple[str, str]]:
    """The (old, new) pairs of SEARCH/REPLACE blocks (Cline's and Roo's `replace_in_file`
    `diff`, Aider's edit format), read line by line in one pass."""
    pairs: list[tuple[str, str]] = []
    old: list[str] = []
    new: list[str] = []
    part = 0  # 0 outside a block, 1 in its SEARCH half, 2 in its REPLACE half
    for line in text[:262_144].splitlines():
        if line.startswith("<<<<<<<") and line[7:].strip(" <") == "SEARCH":
            part, old, new = 1, [], []
        elif part == 1 and line.startswith("=======") and not line.strip("= \t"):
            part = 2
        elif part == 2 and line.startswith(">>>>>>>") and line[7:].strip(" >") == "REPLACE":
            pairs.append(("\n".join(old), "\n".join(new)))
            part = 0
            if len(pairs) >= 32:
                break
        elif part:
            (old if part == 1 else new).append(line)
    return pairs


def _commented_sql(value: str) -> bool:
    """A statement behind its leading SQL comments (`-- …` lines, `/* … */` blocks)."""
    i, n = 0, len(value)
    while True:
        while i < n and value[i].isspace():
            i += 1
        two = value[i : i + 2]
        if two not in ("--", "/*"):
            break
        end = value.find("\n" if two == "--" else "*/", i + 2)
        if end < 0:
            return False
        i = end + (1 if two == "--" else 2)
    head = value[i : i + 64].split(None, 1)
    return (
        bool(head)
        and head[0].lower().rstrip(";") in sqlx.STATEMENT_WORDS
        and sqlx.looks_like_sql(value[i:])
    )


def _other_program(t: EffectTable, value: str, program: str, subs: frozenset[str]) -> bool:
    """`rm -rf /srv/x` given to an `ansible` tool: a command line of another known program
    (not one of the tool's own subcommands), with arguments."""
    words = value.split(None, 2)
    if len(words) < 2:
        return False
    first = program_name(words[0])
    return first != program and first in t.known_programs and first not in subs


def _first_str(fields: dict[str, Any], names: Iterable[str], default: str | None) -> str | None:
    """The first of `names` whose field holds a string, in the order given."""
    return next((fields[k] for k in names if isinstance(fields.get(k), str)), default)


def _file_writes(c: Call, a: Action, an: Analyser) -> bool:
    """An editor tool (`Write`, `Edit`, `write_file`, `str_replace_editor`…): a path and the text
    written there, judged as the file write it is. True when the call is one."""
    if not c.structured:
        return False
    # a tool whose name says nothing it does (`conf`, `sshd`) given a path and text to put there
    verbless = bool(c.paths) and a.wordset.isdisjoint(a.verbs_all)
    if not (a.write_v or not a.wordset.isdisjoint(_EDIT_WORDS) or verbless):
        return False
    top = c.structured[0]
    fields = {_norm(c.v, str(k)): v for k, v in top.items()}
    path = _first_str(fields, _PATH_FIELDS, None)
    if not path and not verbless:
        return _files_written(c, a, an, fields.get("files"))
    if not path or "://" in path:
        return False
    new = _first_str(fields, _CONTENT_FIELDS, None)
    if new is None and verbless and isinstance(fields.get("line"), str):
        new = fields["line"]
    if verbless and new is None:
        return False
    if new is None and isinstance(fields.get("lines"), list):
        new = "\n".join(str(x) for x in fields["lines"])
    old = _first_str(fields, _OLD_FIELDS, None)
    edits = fields.get("edits")
    append = (
        bool(a.wordset & {"append", "insert"})
        or fields.get("mode") in ("a", "append")
        or any(isinstance(fields.get(k), str) for k in _APPEND_FIELDS)
    )
    text = f"{a.text} {path}"
    if isinstance(edits, list):
        for e in edits[:32]:
            if isinstance(e, dict):
                ef = {_norm(c.v, str(k)): v for k, v in e.items()}
                eo = _first_str(ef, _OLD_FIELDS, None)
                en = _first_str(ef, _CONTENT_FIELDS, None)
                an.file_edit(path, eo, en, append, text)
        return True
    if new is None and old is None:
        blocks = fields.get("diff")
        if not isinstance(blocks, str) or "SEARCH" not in blocks:
            return False
        for bold, bnew in _search_replace(blocks):
            an.file_edit(path, bold, bnew, append, text)
        return True
    an.file_edit(path, old, new, append, text)
    return True


def _files_written(c: Call, a: Action, an: Analyser, files: Any) -> bool:
    """Several files written at once, as a list of `{"path", "content"}` (GitHub's `push_files`)
    or a map of names to `{"content"}` (a gist's `files`): each judged as its own file write."""
    if isinstance(files, dict):
        items = [(str(k), v) for k, v in list(files.items())[:32]]
    elif isinstance(files, list):
        items = [("", v) for v in files[:32]]
    else:
        return False
    done = False
    for name, entry in items:
        if not isinstance(entry, dict):
            continue
        ef = {_norm(c.v, str(k)): v for k, v in entry.items()}
        path = _first_str(ef, _PATH_FIELDS, name)
        new = _first_str(ef, _CONTENT_FIELDS, None)
        if path and new is not None and "://" not in path:
            an.file_edit(path, None, new, False, f"{a.text} {path}")
            done = True
    return done


_EDIT_WORDS: Final = frozenset(
    {
        "edit",
        "write",
        "str",
        "replace",
        "editor",
        "patch",
        "save",
        "create",
        "append",
        "insert",
        "file",
        "multiedit",
        "overwrite",
    }
)


# lines a program named by a field reads as its own script (`{"program": "diskpart", "steps":
# ["select disk 2", "clean all"]}`, `{"cli": "redis-cli", "lines": ["FLUSHALL"]}`)
_SCRIPT_LINE_KEYS: Final = (
    "steps",
    "lines",
    "script_lines",
    "input_lines",
    "stdin",
    "input",
    "script",
)


def _program_lines(obj: dict[str, Any], t: EffectTable, v: Vocab) -> list[list[str]]:
    """Each line of a program's script as that program's command line."""
    if not any(str(k).lower() in _PROGRAM_FIELDS for k in obj):
        return []
    fields = {_norm(v, str(k)): val for k, val in obj.items()}
    prog = ""
    for k in _PROGRAM_FIELDS:
        val = fields.get(k)
        if isinstance(val, str) and " " not in val.strip():
            name = t.aliases.get(val.strip().lower(), val.strip().lower())
            if name in t.known_programs and name not in t.shells:
                prog = name
                break
    if not prog:
        return []
    out: list[list[str]] = []
    for k in _SCRIPT_LINE_KEYS:
        val = fields.get(k)
        lines = val.splitlines() if isinstance(val, str) else val
        if isinstance(lines, list):
            out.extend([prog, *x.split()] for x in lines[:64] if isinstance(x, str) and x.strip())
    return out


def _assemble(obj: dict[str, Any], a: Action, t: EffectTable, v: Vocab) -> list[str] | None:
    """An infra tool described by fields (`{"tool": "terraform", "action": "destroy"}`, a
    `kubernetes` tool with `verb`/`resource`/`name`, `{"cmd": "rm", "args": [...]}`) as the
    command line it stands for."""
    fields = {_norm(v, str(k)): val for k, val in obj.items()}
    named_branch = "branch" in fields or "ref" in fields
    # a forge's or git tool's `delete_branch`: the remote branch deleted, whatever the forge
    drops_branch = named_branch and "branch" in a.wordset and bool(a.wordset & {"delete", "remove"})
    named = ""
    if (
        a.program is None
        and "push" not in a.wordset
        and not drops_branch
        and _PROGRAM_KEY_SET.isdisjoint(fields)
    ):
        named = _named_cli(a, t, fields)
        if not named:
            return None  # names no program, and the tool is not named after one
    prog = ""
    used = ""
    for k in _PROGRAM_KEYS:
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
    if drops_branch and not used:
        prog, lead = "git", ["push", "--delete"]
    if not prog and a.program is not None:
        prog = a.program
        lead = [w for w in a.words[1:] if w not in GENERIC_WORDS]
        if lead and lead[0] not in t.first_subs.get(prog, frozenset()):
            lead = []  # `k8s_ops`: the name's other words are no subcommand of its program
    if not prog and named_branch and "push" in a.wordset:
        prog, lead = "git", ["push"]
    prog = prog or named
    if not prog:
        return None
    if prog == "git" and "push" in lead and "remote" not in fields:
        lead = [*lead, "origin"]
    verbs = [
        str(fields[k]).strip()
        for k in ("service", *_VERB_FIELDS)
        if k != used and isinstance(fields.get(k), str) and str(fields[k]).strip()
    ]
    # an API method's dotted name (`storage.buckets.get`) is its words: a CLI's subcommands
    verbs = [x for v in verbs for x in (v.split(".") if "." in v and "/" not in v else [v]) if x]
    args: list[str] = []
    for k in ("args", "arguments", "argv", "flags", "options", "extra_args", "params_list"):
        val = fields.get(k)
        if isinstance(val, list):
            args.extend(str(x) for x in val if isinstance(x, str | int | float))
        elif isinstance(val, str) and k in ("args", "arguments") and used:
            args.extend(val.split())
    ends = [
        str(fields[k]).strip()
        for k in _SOURCE_FIELDS + _DEST_FIELDS
        if k != used and isinstance(fields.get(k), str) and str(fields[k]).strip()
    ]
    if any(" " in v for v in verbs) or not (verbs or lead or args or ends or used == "cmdlet"):
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
    argv += ends  # a transfer's ends, in its command's order
    for k, flag in _VALUE_FLAGS.items():
        val = fields.get(k)
        if isinstance(val, str) and val.strip():
            argv += [flag, val.strip()]
    for k, flag in _BOOL_FLAGS.items():
        if fields.get(k) is True:
            argv.append(flag)
    for k in ("flags", "options"):
        val = fields.get(k)
        if isinstance(val, dict):  # `"flags": {"destroy": true, "auto_approve": true}`
            for fk, fv in list(val.items())[:16]:
                name = str(fk).lower()
                flag = _BOOL_FLAGS.get(name) or "-" + name.replace("_", "-")
                if fv is True:
                    argv.append(flag)
                elif isinstance(fv, str | int | float) and not isinstance(fv, bool):
                    argv += [flag, str(fv)]
    for k in ("parameters", "params"):
        val = fields.get(k)
        if isinstance(val, dict):
            for pk, pv in list(val.items())[:16]:
                if pv is True:
                    argv.append(f"-{pk}")
                elif isinstance(pv, str | int | float):
                    argv += [f"-{pk}", str(pv)]
    argv.extend(args)
    if prog in _KEBAB_APIS:
        argv = _as_cli(argv, len(lead) + 1, len(verbs), fields, used)
    return argv if len(argv) > 1 else None


# CLIs whose operations and parameters are their API's, spelled in kebab case: the API call
# `{"action": "AttachUserPolicy", "PolicyArn": …}` is `aws iam attach-user-policy --policy-arn …`.
_KEBAB_APIS: Final = frozenset({"aws"})
# (an acronym is a word of its own: `DeleteDBSnapshot` is `delete-db-snapshot`)
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _named_cli(a: Action, t: EffectTable, fields: dict[str, Any]) -> str:
    """A tool named for a program the table does not know (`render`), given its argv without
    the program (`{"args": ["services", "delete", "srv-1"]}`): the tool's name, or ""."""
    if len(a.words) != 1 or a.shellish or a.words[0] in GENERIC_WORDS or a.words[0] in a.verbs_all:
        return ""
    for k in ("args", "argv", "arguments"):
        val = fields.get(k)
        if (
            isinstance(val, list)
            and len(val) > 1
            and isinstance(val[0], str)
            and val[0][:1].isalpha()
            and not t.knows(program_name(val[0]))
        ):
            return a.words[0]
    return ""


def _as_cli(
    argv: list[str], start: int, nverbs: int, fields: dict[str, Any], used: str
) -> list[str]:
    out = argv[:start] + [_CAMEL.sub("-", v).lower() for v in argv[start : start + nverbs]]
    out += argv[start + nverbs :]
    taken = {used, "service", *_VERB_FIELDS, *_RESOURCE_FIELDS, *_NAME_FIELDS, *_VALUE_FLAGS}
    for k, val in list(fields.items())[:32]:
        if k in taken or k in _BOOL_FLAGS:
            continue
        if isinstance(val, str) and val.strip() and len(val) < 512:
            out += ["--" + k.replace("_", "-"), val.strip()]
    return out


def _norm(v: Vocab, name: str) -> str:
    """A field name as the payload walk normalised it (`UserName` -> user_name), cached."""
    return key_of(v, name).norm if len(name) <= KEY_CAP else "_".join(d.split_words(name))


GENERIC_WORDS: Final = frozenset(
    {
        "tool",
        "cli",
        "command",
        "run",
        "exec",
        "execute",
        "call",
        "api",
        "request",
        "op",
        "operation",
        "do",
        "invoke",
        "task",
        "query",
        "action",
        "actions",
        "mcp",
        "server",
        "client",
    }
)


class _Top:
    """The call's top object as the field readers below see it, read once for all of them:
    each field with its name normalised (`UserName` -> user_name), in order; the normalised
    names of the first 32 fields (those most readers look at) and the words of their names."""

    __slots__ = ("by_norm", "fields", "key_words", "norms", "norms32")

    def __init__(self, c: Call) -> None:
        fields: list[tuple[Any, str, Any]] = []
        key_words: set[str] = set()
        if c.structured:
            for i, (k, val) in enumerate(c.structured[0].items()):
                name = str(k)
                key = key_of(c.v, name[:KEY_CAP])  # cached by the payload walk
                norm = key.norm if len(name) <= KEY_CAP else "_".join(d.split_words(name))
                fields.append((k, norm, val))
                if i < 32:
                    key_words |= key.words
        self.fields = fields
        self.by_norm = {norm: val for _, norm, val in fields}
        self.norms = frozenset(self.by_norm)
        self.norms32 = frozenset(norm for _, norm, _ in fields[:32])
        self.key_words = frozenset(key_words)


def _action_effects(c: Call, a: Action, an: Analyser) -> None:
    """A tool named for what it does (`delete_database`, `disable_mfa`, `purge_bucket`): the
    verb and noun of its name, with the paths and options it is given."""
    t = an.table
    words = list(a.own_words)
    fields = _Top(c)
    top = [(norm, val) for _, norm, val in fields.fields]
    # `batch {"operations": [{"op": "delete", "path": "/srv/data"}]}`: each operation's verb
    nested = [(k, o[k]) for o in c.structured[1:4] for k in _NESTED_OPS if k in o]
    for key, val in top + nested:
        if (
            key in ("action", "operation", "op", "verb", "method", "api_method", "api", "rpc")
            and isinstance(val, str)
            and len(val) < 64
            # `{"method": "DELETE", "url": …}` names an HTTP method: its URL says what goes
            # (with no URL nor path, `{"method": "DELETE", "index": "x"}`: the method is the verb)
            and not (key == "method" and val.upper() in _HTTP_METHODS and (c.urls or c.paths))
        ):
            words.extend(d.split_words(val))
    op, op_url = _url_operation(c, a, t)  # a write request's URL that names a grant
    words.extend(op)
    ws = frozenset(words)
    _granted_rights(c, a, an, ws, fields)
    _fetched_and_run(c, a, an, words)
    _key_authorized(c, a, an, ws, fields)
    _admin_credentials(c, a, an, words, fields)
    _published(c, a, an, words)
    _migrations(c, a, an, ws, fields)
    _switched_off(c, a, an, words, fields)
    _deploy_key(c, a, an, words, fields)
    _shared_with_everyone(c, a, an, fields)
    _made_public(c, an, words)
    _locked_out(c, a, an, ws)
    _sign_in_control_off(c, a, an)
    _absent(c, a, an)
    _host_powers(c, a, an, words)
    _container_fields(c, a, an)
    _document_commands(c, a, an, words, fields)
    _dns_handover(c, a, an, words)
    _dump_sent(c, a, an)
    _moved_by_fields(c, an, words, fields)
    _ui_steps(c, a, an, fields)
    if "update" in ws:
        _overwritten_by_fields(a, an, top)
    if t.change_verbs.isdisjoint(words) and _WIPE_VERBS.isdisjoint(words):
        return
    first_verb = next((w for w in words if w in a.verbs_all), None)
    if first_verb is not None and first_verb in a.read_words:
        return  # `check_delete_permission` reads
    resources: list[str] = []
    keyed: list[str] = []
    for key, val in top:
        if key in _RESOURCE_FIELDS and isinstance(val, str):
            resources.extend(d.split_words(val))
        elif key in t.nouns and key not in _PLACE_FIELDS and isinstance(val, str) and val:
            keyed.append(key)
    if keyed and t.change_verbs.isdisjoint(a.own_words):
        # the verb given in a field and the target named by one: that field says what goes,
        # not the tool's name (`infra {"action": "uninstall", "release": "x"}` is a release)
        own = frozenset(a.own_words)
        words = [w for w in words if w not in own or w not in t.nouns]
    if not any(w in t.nouns for w in words):
        # a bare verb: the field that names the target says what it is
        # (`{"action": "delete", "index": "customers"}`)
        resources.extend(keyed)
    j = Judged()
    if set(words) & _WIPE_VERBS and not set(words) & t.destroy_verbs:
        words = [*words, "wipe"]  # `format` a device: its data is gone
    evidence = f"{a.text} {op_url}" if op_url else a.text
    if not verb_noun(t, words + resources, evidence, j):
        return
    for e in j.effects:
        if e.kind == "destroy":
            recursive = bool(
                c.flags & {"recursive", "force", "all", "delete_all", "purge", "permanent"}
            )
            devices = [v for _, v in c.settings if v.lower().startswith(_BLOCK_DEVICES)]
            scopes = [e.scope] + [t.path_scope(p, recursive) for p in c.paths + devices]
            if c.flags & {"all", "delete_all"}:
                scopes.append("data")
            scope = worst_scope(scopes)
            if scope == "data" and _narrowed(top):
                scope = "item"  # `delete_by_query` with a range: what matches, not everything
            elif (
                scope == "item"
                and _FILTER_FIELDS.intersection(k for k, _ in top)
                and not _narrowed(top)
            ):  # `bulk_delete {"object": "Contact", "where": ""}`: every record of its kind
                scope = "data"
            target = op_url or (c.paths[0] if c.paths else "")
            e = Effect(
                "destroy",
                scope,
                describe("deletes", scope, recursive, f"{a.text} {target}".strip()),
            )
        an.out.add(e)


def _url_operation(c: Call, a: Action, t: EffectTable) -> tuple[tuple[str, ...], str]:
    """The grant a write request's URL names in its last segment, RPC-style (Slack's
    `admin.users.setOwner`, Discourse's `…/users/42/grant_admin.json`): its words and the URL,
    when one of them is a verb that grants; else none (`/v1/customers` names what is written,
    judged by the body; what a URL deletes is judged by the URL itself)."""
    if not (c.urls or c.paths) or (c.http_method or a.http_method) not in ("POST", "PUT", "PATCH"):
        return (), ""
    urls = api_paths(c)
    if not urls:
        return (), ""
    last = last_segment(urls[0])[:128]
    if "." in last and last.rsplit(".", 1)[1].lower() in ("json", "xml"):
        last = last.rsplit(".", 1)[0]
    words = d.split_words(last.replace(":", " ").replace(".", " "))
    for w in words:
        if w in t.grant_verbs:
            return words, urls[0]
    return (), ""


_UPDATE_FIELDS: Final = frozenset({"update", "set", "values", "changes", "data", "doc"})


def _overwritten_by_fields(a: Action, an: Analyser, top: list[tuple[str, Any]]) -> None:
    """An update given a filter that selects everything and what to set (`update-many
    {"filter": {}, "update": {"$set": {"role": "admin"}}}`): every record overwritten, as an
    `UPDATE` without `WHERE`."""
    keys = {k for k, _ in top}
    if _FILTER_FIELDS.isdisjoint(keys) or _narrowed(top):
        return
    if not any(k in _UPDATE_FIELDS and isinstance(v, dict) and v for k, v in top):
        return
    an.out.add(Effect("destroy", "data", describe("overwrites every record", "", False, a.text)))


def _narrowed(top: list[tuple[str, Any]]) -> bool:
    """A filter field that selects some records (`"query": {"range": …}`, `"where": "id = 4"`),
    not all of them (`match_all`, `{}`, `*`)."""
    for key, val in top:
        if key not in _FILTER_FIELDS:
            continue
        if isinstance(val, dict) and val:
            inner = val.get("bool") if set(val) == {"bool"} else val
            if isinstance(inner, dict) and not _selects_all(inner):
                return True
        elif isinstance(val, str) and val.strip().lower() not in _ALL_FILTERS:
            return True
    return False


def _selects_all(query: dict[str, Any]) -> bool:
    """`{"match_all": {}}`, `{"must": [{"match_all": {}}]}`: every record."""
    parts = [x for v in query.values() for x in (v if isinstance(v, list) else [v])]
    return "match_all" in query or all(isinstance(p, dict) and "match_all" in p for p in parts)


_FILTER_FIELDS: Final = frozenset(
    {"query", "filter", "where", "conditions", "criteria", "selector"}
)
_ALL_FILTERS: Final = frozenset({"", "*", "1=1", "true", "{}", "all"})
_WIPE_VERBS: Final = frozenset({"format", "mkfs", "reformat", "zero", "zerofill"})
_BLOCK_DEVICES: Final = ("/dev/sd", "/dev/nvme", "/dev/xvd", "/dev/vd", "/dev/hd", "/dev/mmcblk",
                  "/dev/disk", "/dev/md", "\\\\.\\physicaldrive")  # fmt: skip
_EXECUTABLE: Final = (".sh", ".bash", ".zsh", ".ps1", ".psm1", ".py", ".pl", ".rb", ".js", ".mjs",
               ".exe", ".msi", ".bat", ".cmd", ".vbs", ".jar", ".bin", ".run", ".appimage",
               ".deb", ".rpm", ".pkg", ".dmg")  # fmt: skip
_RUN_WORDS: Final = frozenset({"run", "execute", "exec", "install", "launch", "invoke", "eval",
                        "shell", "interpreter", "runner"})  # fmt: skip


def _fetched_and_run(c: Call, a: Action, an: Analyser, words: list[str]) -> None:
    """A tool given a URL outside the organisation to something executable, that says it runs
    it (`execute_remote_script {"script_url": "http://…/p.sh"}`, `install_plugin {"url": …,
    "run_after_download": true}`): code from outside, run."""
    if not c.urls:
        return
    runs = not _RUN_WORDS.isdisjoint(words) or any(  # keys are normalised (`run_after_download`)
        not _RUN_WORDS.isdisjoint(f.split("_")) for f in c.flags | c.keys
    )
    if not runs:
        return
    for url in c.urls[:8]:
        path = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0].lower()
        if "/" not in path or not path.endswith(_EXECUTABLE):
            continue
        if an.dest_class(url) == "internal":
            continue
        text = f"{a.text} {url}"
        an.out.add(Effect("remote_code", "", describe("runs code fetched from", "", False, text)))
        return


_PLACING_WORDS: Final = frozenset({"copy", "cp", "move", "mv", "publish", "sync", "duplicate", "put",
                            "upload", "save", "backup", "transfer", "mirror", "deploy", "link",
                            "source", "src", "from", "destination", "dest", "dst", "target"})  # fmt: skip


def _published(c: Call, a: Action, an: Analyser, words: list[str]) -> None:
    """A copy given as fields (`copy_file {"from": "~/.ssh/id_rsa", "to": "/var/www/html/k"}`):
    a credential put where others read it is published, as if uploaded."""
    if not c.structured or (
        _PLACING_WORDS.isdisjoint(words)
        and _PLACING_WORDS.isdisjoint(c.keys)
        and c.http_method not in ("PUT", "POST", "PATCH")  # a request that carries the file
    ):
        return
    t = an.table
    values = [
        v for v in list(c.structured[0].values())[:32] if isinstance(v, str) and len(v) < 1024
    ]
    secret = next((v for v in values if t.is_credential(v)), None)
    if secret is None:
        return
    for url in c.urls[:8]:  # `sftp_put {"host": "203.0.113.7", "local": "/etc/ssl/private/k"}`
        # (a well-known service is outside the organisation too: a bucket's storage host)
        if an.dest_class(url) != "internal":
            what = describe(f"sends {secret} to {url}", "", False, f"{a.text} {secret} {url}")
            an.out.add(Effect("exfiltrate", "", what))
            return
    for v in values:
        if v != secret and ("/" in v or "\\" in v) and " " not in v and t.is_public_place(v):
            text = f"{a.text} {secret} {v}"
            what = describe(f"publishes {secret} to {v}", "", False, text)
            an.out.add(Effect("exfiltrate", "", what))
            return
    what = describe("copies a credential file", "", False, f"{a.text} {secret}")
    an.out.add(Effect("read_secret", "", what))


def _moved_by_fields(c: Call, an: Analyser, words: list[str], top: _Top) -> None:
    """A file moved, renamed or copied by fields (effects.yaml `field_transfers`:
    `move_file {"source": "/dev/null", "destination": "/etc/passwd"}`): judged as the command
    line it stands for (`mv /dev/null /etc/passwd`), by the same table as the shell's."""
    t = an.table
    prog = ""
    for w in words:
        if w in t.field_transfers:
            prog = t.field_transfers[w]
            break
    if not prog:
        return
    fields = top.by_norm
    src = next((fields[k] for k in t.transfer_sources if isinstance(fields.get(k), str)), None)
    dst = next(
        (fields[k] for k in t.transfer_dests if k in fields and isinstance(fields[k], str)), None
    )
    if not src or not dst or src is dst:
        return
    ends = [src.strip(), dst.strip()]
    if any(not e or "://" in e or len(e) > 1024 or e.startswith("-") for e in ends):
        return  # no local path (a URL's transfer is an upload or a download)
    an.argv([prog, *ends], "command")


def _ui_steps(c: Call, a: Action, an: Analyser, top: _Top) -> None:
    """Steps of a browser or computer-use agent (effects.yaml `ui_steps`): a click does what its
    target says, a text typed into a confirmation field is what it confirms; a click that only
    says "Delete" deletes what the page's URL names."""
    u = an.table.ui_steps
    clicks, types = u["clicks"], u["types"]
    named = ""
    for w in a.own_words:
        if w in clicks or w in types:
            named = w
            break
    steps_named = not c.keys.isdisjoint(u["steps"])
    if not steps_named and not c.keys.isdisjoint(u["step_keys"]):
        step_keys, step_names = u["step_keys"], u["steps"]
        for k, v in c.settings[:64]:
            if k in step_keys and len(v) < 32 and v.lower() in step_names:
                steps_named = True
                break
    scripts: list[str] = []  # code and command lines only, each with a UI call in it
    for x, role in c.leaves[:16]:
        if (role == "code" or role == "command") and "(" in x:
            for m in an.table.ui_calls:
                if m in x:
                    scripts.append(x)
                    break
    if not named and not steps_named and not scripts:
        return
    targets: list[list[str]] = []  # the words of each clicked target
    typed: list[tuple[list[str], str]] = []  # (the field's words, the text typed into it)
    steps = _step_objects(c)
    for i, step in enumerate(steps if named or steps_named else ()):
        kind = named if i == 0 else ""
        body: Mapping[str, Any] = step
        for k, val in list(step.items())[:16]:
            key = str(k).lower()
            if key in u["step_keys"] and isinstance(val, str) and len(val) < 64:
                low = val.strip().lower()
                kind = low if low in clicks or low in types else kind
            elif (key in clicks or key in types) and isinstance(val, str | Mapping):
                kind = key  # `{"click": "text=Delete"}`, `{"fill": {…}}` (not `"submit": true`)
                body = {"selector": val} if isinstance(val, str) else val
        if kind:
            _ui_step(u, kind in clicks, body, targets, typed)
    pages = [x for x in c.urls[:8] if "://" in x]
    for text in scripts[:4]:
        _ui_script(an.table, text[:8192], targets, typed, pages)
    if targets or typed:
        _ui_effects(c, a, an, targets, typed, pages)


def _step_objects(c: Call) -> list[Mapping[str, Any]]:
    """The call's top object, then the objects of its lists of steps (up to 32 of each)."""
    if not c.structured:
        return []
    top = c.structured[0]
    out: list[Mapping[str, Any]] = [top]
    for val in list(top.values())[:16]:
        if isinstance(val, dict):
            val = [val]
        if isinstance(val, list):
            out.extend(x for x in val[:32] if isinstance(x, dict))
    return out


def _ui_step(
    u: Mapping[str, frozenset[str]],
    click: bool,
    body: Mapping[str, Any],
    targets: list[list[str]],
    typed: list[tuple[list[str], str]],
) -> None:
    """One step's target and text: a click's every target field, a typing step's text."""
    where: list[str] = []
    text = ""
    for k, val in list(body.items())[:16]:
        key = str(k).lower()
        if not isinstance(val, str) or len(val) > 512:
            continue
        if key in u["text_keys"] and not click:
            text = val
        elif key in u["target_keys"]:
            where.extend(d.split_words(val))
    if click and where:
        targets.append(where)
    elif text:
        typed.append((where, text))


_STATEMENT_ENDS: Final = re.compile(r"[;\n]")
# a statement's string literals (none longer than a label or a selector)
_UI_LITERAL: Final = re.compile(r"""'([^'\\\n]{1,200})'|"([^"\\\n]{1,200})"|`([^`\\\n]{1,200})`""")


def _ui_script(
    t: EffectTable,
    text: str,
    targets: list[list[str]],
    typed: list[tuple[list[str], str]],
    pages: list[str],
) -> None:
    """A script's UI calls (`page.click('…')`, `driver.find_element(By.XPATH, "…").click()`,
    `page.fill('#confirm', 'delete my project')`): the string literals of each call's statement
    are its target; a typing call's last literal is the text it types. The pages it opens
    (`page.goto('https://…')`) are kept, for what a bare "Delete" deletes."""
    for stmt in _STATEMENT_ENDS.split(text)[:256]:
        if "(" not in stmt:
            continue
        method = next((m for m in t.ui_calls if m in stmt), None)
        if method is None:
            if "://" in stmt and len(pages) < 8:
                pages.extend(
                    x for m in _UI_LITERAL.finditer(stmt) if "://" in (x := m.group(0)[1:-1])
                )
            continue
        lits = [m.group(1) or m.group(2) or m.group(3) for m in _UI_LITERAL.finditer(stmt)][:8]
        if not lits:
            continue
        if method[1:-1] in t.ui_steps["types"]:
            where = [w for x in lits[:-1] for w in d.split_words(x)]
            typed.append((where, lits[-1]))
        else:
            targets.append([w for x in lits for w in d.split_words(x)])


def _ui_effects(
    c: Call,
    a: Action,
    an: Analyser,
    targets: list[list[str]],
    typed: list[tuple[list[str], str]],
    pages: list[str],
) -> None:
    """What the clicks and the confirmed texts order, each read by the verb and noun tables."""
    t = an.table
    u = t.ui_steps
    soft = u["soft_verbs"]
    orders = [[w for w in ws if w not in soft] for ws in targets]
    deleting = any(not t.destroy_verbs.isdisjoint(ws) for ws in orders)
    for where, text in typed[:8]:
        # a text typed into a confirmation field, or beside a deletion, is what it confirms
        if deleting or not u["confirm_words"].isdisjoint(where):
            orders.append([w for w in d.split_words(text[:512]) if w not in soft])
    evidence = f"{a.text} {pages[0] if pages else ''}".strip()
    for ws in orders:
        # and each pair of words as one, as the tables spell them (`two-factor`, `audit-log`)
        shown = " ".join(ws)[:60]
        ws = ws[:24] + [f"{x}-{y}" for x, y in zip(ws[:24], ws[1:24], strict=False)]
        j = Judged()
        if not ws or not verb_noun(t, ws, evidence, j):
            continue
        for e in j.effects:
            if e.kind == "destroy":
                scope = t.noun_scope(ws)
                if scope == "item" and all(
                    w in u["selector_words"] or w in t.destroy_verbs or not w.isalpha() for w in ws
                ):
                    # a bare "Delete": what the page's address names
                    scope = worst_scope([scope, *(_page_scope(t, url) for url in pages)])
                text = f"{evidence} ({shown})"
                e = Effect("destroy", scope, describe("deletes", scope, False, text))
            an.out.add(e)
            an.out.kinds.add("write")


_PAGE_SEPARATORS: Final = re.compile(r"[/#&;]+")


def _page_scope(t: EffectTable, url: str) -> str:
    """What a page's address names, by its last segment that names anything: a noun of the
    table (`…/organizations/acme/settings/delete`: an organisation), or a collection the table
    does not know (`…/projects/42/tasks/7`: one task). Ids, names and the pages of one thing
    (`ui_steps.page_words`: settings, edit) name nothing; in `database:id=x` the thing is
    `database`, `x` its name."""
    page = t.ui_steps["page_words"]
    path = url.split("://", 1)[-1][:512].split("?", 1)[0]
    for seg in reversed(_PAGE_SEPARATORS.split(path)[1:][-16:]):
        seg = seg.split("=", 1)[0].split(":", 1)[0]
        words = [w for w in d.split_words(seg) if w not in page and not w.isdigit()]
        scope = t.noun_scope(words)
        if scope != "item":
            return scope
        if any(len(w) > 3 and w.endswith("s") for w in words):
            return "item"  # one of a collection the table does not know
    return "item"


def _dns_handover(c: Call, a: Action, an: Analyser, words: list[str]) -> None:
    """A DNS record set by fields (effects.yaml `dns`): a domain's mail servers or name servers,
    or its apex, pointed at a host outside the organisation hands that host the domain's mail
    or traffic."""
    m = an.table.dns
    if not c.structured or m["verbs"].isdisjoint(words):
        return
    for obj in c.structured[:4]:
        fields = {_norm(c.v, str(k)): v for k, v in list(obj.items())[:32]}
        rtype = next((str(fields[k]).lower() for k in m["type_keys"] if k in fields), "")
        name = next((str(fields[k]).lower() for k in m["name_keys"] if k in fields), None)
        value = next((fields[k] for k in m["value_keys"] if k in fields), None)
        targets = value if isinstance(value, list) else [value]
        apex = name is None or name in m["apex_names"]
        if not (rtype in m["types"] or (rtype in m["apex_types"] and apex)):
            continue
        for target in targets[:8]:
            if not isinstance(target, str) or not target.strip():
                continue
            host = target.strip().split()[-1].rstrip(".")  # `10 mail.example.net.` -> host
            if an.dest_class(host) in ("unknown", "drop"):
                what = f"points the domain's {rtype.upper()} record at {host}"
                an.out.add(Effect("remote_control", "", describe(what, "", False, a.text)))
                return


def _dump_sent(c: Call, a: Action, an: Analyser) -> None:
    """A database dump (`paths.dump_suffixes`), a data store's content (`is_data_copy`) or a
    credential file attached or uploaded to a personal mailbox or an unknown host: the data, or
    the keys, leave the organisation."""
    t = an.table
    dests = [*c.recipients[:16], *c.urls[:8]]
    if not dests or not c.paths:
        return
    dumps = [
        p
        for p in c.paths[:16]
        if normalize_path(p).endswith(t.paths.dump_suffixes)
        or t.is_credential(p)
        or t.is_data_copy(p)
    ]
    if not dumps:
        return
    for dest in dests:
        if not isinstance(dest, str):
            continue
        for one in dest.replace(";", ",").split(",")[:16]:
            if one.strip() and an.dest_class(one.strip()) in ("unknown", "drop"):
                what = describe(f"sends {dumps[0]} to {one.strip()}", "", False, a.text)
                an.out.add(Effect("exfiltrate", "", what))
                return


def _host_powers(c: Call, a: Action, an: Analyser, words: list[str]) -> None:
    """A Kubernetes manifest applied whose pod gets the host's powers (effects.yaml
    `manifests`): privileged, the host's PID/IPC/network, admin capabilities, the host's
    root or runtime socket mounted."""
    m = an.table.manifests
    if m["verbs"].isdisjoint(words) and not any(
        "apply" in t[:200] or "create" in t[:200] for _, t in c.texts[:4]
    ):
        return
    texts = [text for _, text in c.texts[:8]]
    # a manifest given as an object (`{"manifest": {"apiVersion": "v1", "kind": "Pod", …}}`)
    texts += [
        json.dumps(o, default=str) for o in c.structured[:4] if "apiVersion" in o and "kind" in o
    ]
    x = an.table.exposure
    for o in c.structured[:8]:
        # a binding given as an object (`{"kind": "ClusterRoleBinding", "roleRef": {…}, …}`,
        # a client's `role_ref`): its role read from its fields, not from YAML lines
        kind = o.get("kind")
        if not isinstance(kind, str) or not any(b in kind.lower() for b in x.bindings):
            continue
        doc = json.dumps(o, default=str)[:65536].lower()
        name = bound_role(doc)
        if name in an.table.admin_nouns:
            what = describe(f"binds the {name} role", "", False, f"{a.text} {name}")
            an.out.add(Effect("escalate", "all", what))
            return
        why = x.opened("", doc)
        if why:
            an.out.add(Effect("weaken_security", "", describe(why, "", False, a.text)))
            return
    for text in texts:
        if "apiVersion" not in text or "kind" not in text or len(text) > 65536:
            continue
        if _BINDING.search(text):
            role = _ROLE_REF.search(text)
            name = role.group(1).strip("'\"").lower() if role else ""
            if name in an.table.admin_nouns:
                what = describe(f"binds the {name} role", "", False, f"{a.text} {name}")
                an.out.add(Effect("escalate", "all", what))
                return
        why = x.opened("", text)
        if why:  # applied: a binding, firewall rule or security rules that let anyone in
            an.out.add(Effect("weaken_security", "", describe(why, "", False, a.text)))
            return
        why, scope = _pod_powers(c, text, m)
        if why:
            what = describe(f"runs a pod with {why}", "", False, f"{a.text} {why}")
            an.out.add(Effect("escalate", scope, what))
            return


def _container_fields(c: Call, a: Action, an: Analyser) -> None:
    """A container's spec given as fields (an object naming its image, `manifests.
    container_keys`: `docker {"image": …, "volumes": ["/:/host"], "detach": true}`, the Engine
    API's `{"Image": …, "HostConfig": {"Binds": […]}}`): judged by `container_spec`."""
    if an.table.manifests["container_keys"].isdisjoint(c.keys) or not c.structured:
        return  # no field names an image (`c.keys`: every key of the payload, normalised)
    e = container_spec(an.table, c.structured, a.text)
    if e is not None:
        an.out.add(e)


def _document_commands(c: Call, a: Action, an: Analyser, words: list[str], top: _Top) -> None:
    """The commands of a document the call applies (effects.yaml `manifests.*_keys`): run
    when it is applied, so judged as run — a manifest's containers, a machine's boot script,
    a Dockerfile's `RUN` lines, a Compose file's services, Terraform's `local-exec`."""
    m = an.table.manifests
    applied = not m["verbs"].isdisjoint(words)
    ansible = an.table.remote_runners.get("ansible")
    if ansible is not None and c.structured and ("ansible" in words or "playbook" in words):
        # plays or tasks given as objects (`{"tasks": [{"shell": "…"}]}`)
        plays = [v for _, norm, v in top.fields if norm in m["playbook_keys"]]
        for line in playbook_commands(plays, _ansible_modules(ansible)):
            an.text(line, "command")
    for key, text in c.texts[:8]:
        if len(text) > 65536 or "\n" not in text:  # every such document has lines
            continue
        field = key.lower().replace("-", "_")
        if field in m["boot_keys"]:
            head = text.lstrip()[:16]
            if head.startswith("#!"):
                an.text(text, "command")
            elif head.startswith("#cloud-config"):
                for cmd in _yaml_commands(c, text, m):
                    an.text(cmd, "command")
        elif field in m["playbook_keys"] and ansible is not None:
            docs = _yaml_docs(c, text)
            for line in playbook_commands(docs or [], _ansible_modules(ansible)):
                an.text(line, "command")
        elif field in m["build_keys"] or (
            applied and text.startswith("FROM ") and "\nRUN " in text
        ):
            for run in _DOCKER_RUN.findall(text)[:32]:
                an.text(_exec_form(run), "command")
        elif not applied:
            continue
        elif field in m["compose_keys"] or ("apiVersion" in text and "kind" in text):
            cmds = _yaml_commands(c, text, m)
            for cmd in cmds:
                an.text(cmd, "command")
            if cmds and _CRONJOB.search(text):
                what = describe("schedules a command in the cluster", "", False, cmds[0])
                an.out.add(Effect("persist", "", what))
        elif "local-exec" in text:
            for cmd in _LOCAL_EXEC.findall(text)[:16]:
                an.text(cmd.replace('\\"', '"'), "command")


_DOCKER_RUN: Final = re.compile(r"^RUN[ \t]+((?:[^\n\\]|\\\n|\\.){1,4000})", re.M)
_CRONJOB: Final = re.compile(r"^kind:\s*CronJob\s*$", re.M)
_LOCAL_EXEC: Final = re.compile(
    r'provisioner\s+"local-exec"\s*\{[^{}]{0,2000}?\bcommand\s*=\s*"((?:[^"\\\n]|\\.){1,4000})"'
)


def _ansible_modules(spec: Mapping[str, Any]) -> frozenset[str]:
    """The modules whose tasks stand for a command (`command_modules`, `modules`)."""
    names = [*(spec.get("command_modules") or ()), *(spec.get("modules") or {})]
    return frozenset(str(x).lower() for x in names)


def _exec_form(run: str) -> str:
    """A `RUN` line as a shell line: its exec form (`["sh", "-c", "…"]`) joined."""
    run = run.replace("\\\n", " ").strip()
    if run.startswith("["):
        import json

        try:
            words = json.loads(run)
        except ValueError:
            return run
        if isinstance(words, list):
            return " ".join(shell_word(str(w)) for w in words)
    return run


def _yaml_docs(c: Call, text: str) -> list[Any] | None:
    """A YAML text's documents (`yaml_docs`), parsed once a call."""
    if text not in c.yaml_docs:
        c.yaml_docs[text] = yaml_docs(text)
    return c.yaml_docs[text]


def _yaml_commands(c: Call, text: str, m: Mapping[str, frozenset[str]]) -> list[str]:
    """A document's commands (`manifests.command_keys`, `argv_keys`): a container's `command`
    + `args` as one argv, a boot script's `runcmd` one a line."""
    docs = _yaml_docs(c, text)
    keys = m["command_keys"] | m["argv_keys"]
    return [] if docs is None else yaml_commands(docs, keys, m["argv_keys"], limit=32)


# RBAC: a (Cluster)RoleBinding whose roleRef is an administrator role (`admin_nouns`)
_BINDING: Final = re.compile(r"^kind:\s*(?:Cluster)?RoleBinding\s*$", re.M)
_ROLE_REF: Final = re.compile(r"^roleRef:\s*\n(?:[ \t]+[^\n]*\n)*?[ \t]+name:\s*(\S+)", re.M)


def _pod_powers(c: Call, text: str, m: Mapping[str, frozenset[str]]) -> tuple[str, str]:
    """(what gives the pod the host's powers, scope): a privileged flag or capability is
    `item` (like `docker run --privileged`); the host's root or runtime socket mounted, or a
    privileged pod that enters the host's namespaces (`nsenter`), is the whole node (`all`)."""
    docs = _yaml_docs(c, text)
    if docs is None:
        return "", ""
    found = ""
    todo: list[Any] = list(docs)  # a copy: the parsed documents are kept for the call
    seen = 0
    while todo and seen < 2000:
        node = todo.pop()
        seen += 1
        if isinstance(node, dict):
            for k, v in node.items():
                key = str(k).lower()
                if key in m["flags"] and v is True:
                    found = found or f"{k}: true"
                if key == "add" and isinstance(v, list):
                    caps = [str(x).lower().removeprefix("cap_") for x in v]
                    hit = next((x for x in caps if x in m["capabilities"]), None)
                    if hit:
                        found = found or f"the {hit.upper()} capability"
                if key == "hostpath" and isinstance(v, dict):
                    path = str(v.get("path", "")).rstrip("/") or "/"
                    if path.lower() in m["host_paths"]:
                        return f"the host's {path} mounted", "all"
                todo.append(v)
        elif isinstance(node, list):
            todo.extend(node)
    if found and "nsenter" in text:
        return f"{found}, entering the host's namespaces", "all"
    return found, "item" if found else ""


_ABSENT_PATHS: Final = ("path", "dest", "name", "file", "directory", "dir")


def _absent(c: Call, a: Action, an: Analyser) -> None:
    """A path declared absent (Ansible's `file: {path: /var/lib/app, state: absent}`, and the
    same shape in other tools): removed with everything under it."""
    t = an.table
    for obj in c.structured:
        if str(obj.get("state", "")).lower() != "absent":
            continue
        for k in _ABSENT_PATHS:
            p = obj.get(k)
            if (
                isinstance(p, str)
                and p.startswith(("/", "~", "$"))
                or (isinstance(p, str) and len(p) > 2 and p[1:3] in (":\\", ":/"))
            ):
                scope = t.path_scope(p, True)
                what = describe("deletes", scope, True, f"{a.text} {p} state=absent")
                an.out.add(Effect("destroy", scope, what))
                return


def _switched_off(c: Call, a: Action, an: Analyser, words: list[str], top: _Top) -> None:
    """A security control switched off by fields (effects.yaml `switched_off`): the tool or a
    field naming the control says what it is, a status field says it is off."""
    if not c.structured:
        return
    t = an.table
    so = t.switched_off
    objs = c.structured[:4] if c.urls else c.structured[:1]
    if len(objs) == 1 and top.norms32.isdisjoint(so["keys"]):
        return  # no status field: nothing is said to be off
    named = [w for w in words if w in t.security_nouns]
    off = ""
    # the top object's fields, and a request's body (`{"json": {"isEnabled": false}}`)
    for n, obj in enumerate(objs):
        pairs = (
            top.fields[:32]
            if n == 0
            else [(k, _norm(c.v, str(k)), val) for k, val in list(obj.items())[:32]]
        )
        for k, norm, val in pairs:
            if isinstance(val, bool):
                val = str(val).lower()
            if not isinstance(val, str) or len(val) > 128:
                continue
            if norm in so["keys"] and val.strip().lower() in so["values"]:
                off = f"{k}={val}"
            elif norm in so["names"]:
                named += [w for w in d.split_words(val) if w in t.security_nouns]
    if not off:
        return
    for url in c.urls[:4]:  # `PATCH …/policies/identitySecurityDefaultsEnforcementPolicy`
        path = url.split("://", 1)[-1].split("?", 1)[0]
        for seg in path.split("/")[1:8]:
            parts = word_parts(seg)[:8]
            named += [w for w in parts if w in t.security_nouns]
            # a control named in two words (`conditionalAccess`, `signOnPolicies`): the
            # table's hyphenated noun (`conditional-access`, `sign-on`)
            named += [
                f"{p}-{q}"
                for p, q in zip(parts, parts[1:], strict=False)
                if f"{p}-{q}" in t.security_nouns
            ]
    if named:
        what = describe(f"turns {named[0]} off", "", False, f"{a.text} {off}")
        an.out.add(Effect("weaken_security", "", what))


def _deploy_key(c: Call, a: Action, an: Analyser, words: list[str], top: _Top) -> None:
    """A key added to a repository (effects.yaml `deploy_keys`), by a write request to its
    keys or a tool so named: one that can push is a lasting key planted (security weakened),
    a read-only one an access change."""
    dk = an.table.deploy_keys
    if not c.structured:
        return
    named = ""
    for url in api_paths(c):
        if last_segment(url).lower() not in dk["paths"]:
            continue  # its last segment names no keys: the rest of it is not looked at
        segs = [x.lower() for x in url.split("://", 1)[-1].split("?", 1)[0].split("/") if x]
        if len(segs) > 2 and segs[-1] in dk["paths"] and not dk["repositories"].isdisjoint(segs):
            named = segs[-1]
            break
    if not named and "_".join(words) not in dk["tools"]:
        return
    if not named and (c.http_method or a.http_method) not in (None, "POST", "PUT"):
        return
    if named and (c.http_method or a.http_method) not in ("POST", "PUT"):
        return
    switches: set[str] = set()
    objs = [c.structured[0], *(v for k, v in c.structured[0].items() if k in _BODY_KEYS)]
    for obj in objs[:4]:
        if not isinstance(obj, dict):
            continue
        for k, val in list(obj.items())[:32]:
            if isinstance(val, bool | str) and len(str(val)) < 16:
                switches.add(f"{_norm(c.v, str(k))}={str(val).lower()}")
    if not switches.isdisjoint(dk["write"]) or (
        named in dk["default_write"] and switches.isdisjoint(dk["read"])
    ):
        what = describe("adds a key that can push to the repository", "", False, a.text)
        an.out.add(Effect("weaken_security", "", what))
    else:
        what = describe("adds a read-only key to the repository", "", False, a.text)
        an.out.add(Effect("access_change", "", what))


# SCIM's and Okta's filter on nothing but an account's status: `status eq "ACTIVE"`
_STATUS_ONLY: Final = re.compile(r"""status\s*(?:eq|=|==)\s*["']?([A-Za-z_]+)["']?""", re.I)


def _sign_in_control_off(c: Call, a: Action, an: Analyser) -> None:
    """A control of an identity provider's sign-in switched off by its own API (effects.yaml
    `identity_controls`: Okta's `PUT …/policies/{id}/lifecycle/deactivate`)."""
    if not c.urls or (c.http_method or a.http_method) not in ("POST", "PUT", "PATCH"):
        return
    ic = an.table.identity_controls
    for url in c.urls[:4]:
        if last_segment(url[:2048]).lower() not in ic["verbs"]:
            continue
        host, _, path = url[:2048].lower().split("://", 1)[-1].split("?", 1)[0].partition("/")
        host = host.rsplit("@", 1)[-1].split(":", 1)[0]  # no credentials, no port
        if any(host == h or host.endswith("." + h) for h in ic["hosts"]) and not ic[
            "controls"
        ].isdisjoint(path.split("/")):
            what = describe("turns a sign-in control off", "", False, f"{a.text} {url[:200]}")
            an.out.add(Effect("weaken_security", "", what))
            return


def _locked_out(c: Call, a: Action, an: Analyser, words: frozenset[str]) -> None:
    """Accounts disabled by fields for everyone (effects.yaml `locked_out`): nobody can work."""
    lo = an.table.locked_out
    if not c.structured:
        return
    parts = set(words)
    for w in words:
        if "-" in w or "_" in w:  # `sign-out`, `deactivate_user` kept whole by the splitter
            parts.update(word_parts(w))
    if not (parts & lo["verbs"] and parts & lo["nouns"]):
        return
    for k, val in list(c.structured[0].items())[:32]:
        vals = val if isinstance(val, list) else [val]
        if not (len(vals) == 1 and isinstance(vals[0], str) and len(vals[0]) < 64):
            continue
        v = vals[0].strip()
        status = _STATUS_ONLY.fullmatch(v)
        if v.lower() not in lo["everyone"] and (
            status is None or status.group(1).lower() not in lo["by_status"]
        ):
            continue
        what = describe("locks out every account", "", False, f"{a.text} {k}={vals[0]}")
        an.out.add(Effect("stop_service", "system", what))
        return


def _shared_with_everyone(c: Call, a: Action, an: Analyser, top: _Top) -> None:
    """A share or grant to everybody by fields (effects.yaml `shared_with_everyone`): made public."""
    if not c.structured:
        return
    sw = an.table.shared_with_everyone
    for n, obj in enumerate(c.structured[:4]):  # the call's fields (and `all` nested)
        if n == 0:
            if top.norms32.isdisjoint(sw["keys"]) and top.norms32.isdisjoint(sw["all_keys"]):
                continue
            pairs = top.fields[:32]
        else:  # nested: only AWS's spellings (`ValuesToAdd`, `values_to_add`)
            pairs = [(k, str(k).lower(), val) for k, val in list(obj.items())[:32]]
        for k, norm, val in pairs:
            if n > 0 and norm not in sw["all_keys"]:
                continue
            if norm in sw["keys"]:
                everyone = sw["values"]
            elif norm in sw["all_keys"]:
                everyone = _ALL  # AWS's group `all`: every account
            else:
                continue
            vals = val if isinstance(val, list) else [val]
            for v in vals[:16]:
                if isinstance(v, str) and v.strip().lower() in everyone:
                    what = describe("shares with everyone", "", False, f"{a.text} {k}={v}")
                    an.out.add(Effect("weaken_security", "", what))
                    return


_ALL: Final = frozenset({"all"})
_NESTED_OPS: Final = ("op", "operation", "action")


def _made_public(c: Call, an: Analyser, words: list[str]) -> None:
    """A repository, project or bucket told it is no longer private (effects.yaml
    `shared_with_everyone.private_keys` false, on what `private_of` names): made public."""
    sw = an.table.shared_with_everyone
    unset = [k for k, v in c.settings if k in sw["private_keys"] and v in _FALSE]
    if not unset:
        return
    about = not sw["private_of"].isdisjoint(words) or any(
        not sw["private_of"].isdisjoint(url.lower().split("?", 1)[0].split("/"))
        for url in c.urls[:8]
    )
    if about:
        what = describe("makes public", "", False, f"{' '.join(words)} {unset[0]}=false")
        an.out.add(Effect("weaken_security", "", what))


_FALSE: Final = frozenset({"false", "0", "no", "off"})


def _migrations(c: Call, a: Action, an: Analyser, words: frozenset[str], top: _Top) -> None:
    """Schema migrations run by fields (`run_migration {"direction": "down", "steps": "all"}`,
    `migrate_db {"action": "reset"}`): dropping every table, or undoing every migration,
    destroys the data the tables hold (effects.yaml `migrations`)."""
    m = an.table.migrations
    if not c.structured or m["nouns"].isdisjoint(words):
        return
    said = set(words)
    extent = ""
    for _, norm, val in top.fields[:32]:
        if not isinstance(val, (str, int)) or isinstance(val, bool):
            continue
        v = str(val).strip().lower()
        if len(v) > 64:
            continue
        if norm in m["extent_keys"]:
            extent = v
        else:
            said.update(d.split_words(v))
    if not said.isdisjoint(m["wipe"]):
        how = "drops every table"
    elif not said.isdisjoint(m["back"]) and extent in m["everything"]:
        how = "rolls back every migration"
    else:
        return
    db = next((v for _, v in c.settings if v and len(v) < 64), "")
    an.out.add(Effect("destroy", "data", describe(how, "", False, f"{a.text} {db}".strip())))


_USER_FIELDS: Final = (
    "user",
    "username",
    "user_name",
    "account",
    "login",
    "target_user",
    "as_user",
)
_KEY_FIELDS: Final = ("public_key", "key", "ssh_key", "pubkey", "authorized_key", "key_data")


def _key_authorized(c: Call, a: Action, an: Analyser, ws: frozenset[str], top: _Top) -> None:
    """An SSH key added for a user by fields (`add_ssh_key {"user": "root", "public_key": …}`):
    judged as the line it appends to that user's authorized_keys."""
    if not c.structured or not (ws & an.table.grant_verbs or ws & {"authorize", "install"}):
        return
    if not ({"ssh", "key"} <= ws or "authorized" in ws or "authorized_keys" in a.text.lower()):
        return
    fields = top.by_norm
    user = _first_str(fields, _USER_FIELDS, "")
    key = _first_str(fields, _KEY_FIELDS, "")
    if not user or not key or "/" in user or len(user) > 64:
        return
    home = "/root" if user.lower() == "root" else f"/home/{user}"
    an.file_write(f"{home}/.ssh/authorized_keys", key, True, f"{a.text} {user}", 0)


_ACCOUNT_SEGMENTS: Final = frozenset({"users", "user", "accounts", "account", "members", "identities",
                               "principals", "admins", "logins"})  # fmt: skip


def _admin_credentials(c: Call, a: Action, an: Analyser, words: list[str], top: _Top) -> None:
    """Credentials made or set for an administrator by fields or an API (`create_access_key
    {"user": "root"}`, `POST …/users/admin/password_reset`): whoever holds them owns the account."""
    t = an.table
    if not c.structured and not c.urls:
        return
    ops = list(words)
    admins: list[str] = []
    for url in c.urls[:8]:
        low = url.lower()
        if not any(w in low for w in t.credential_verbs):
            continue  # names no credential change: not worth splitting
        segs = [s for s in low.split("://", 1)[-1].split("?", 1)[0].split("/")[1:] if s]
        for i, seg in enumerate(segs):
            ops.extend(d.split_words(seg))
            if i and segs[i - 1] in _ACCOUNT_SEGMENTS and seg in t.admin_nouns:
                admins.append(seg)
    if not set(ops) & t.credential_verbs and not any("-" in w or "_" in w for w in ops):
        return
    if c.structured:
        fields = top.by_norm
        for k in _USER_FIELDS:
            val = fields.get(k)
            # an account named as one (`root`, `root-admin`, `ops_admin`)
            if isinstance(val, str) and not t.admin_nouns.isdisjoint(d.split_words(val[:128])):
                admins.append(val.strip())
    parts: list[str] = []
    for w in ops:
        parts.extend(word_parts(w))
    if not set(parts) & t.credential_verbs:
        return
    joined = "_" + "_".join(parts) + "_"
    nouns = [n for n, mark in t.credential_marks if mark in joined]
    # named in the operation itself (`set_root_password`, `reset-admin-credentials`)
    admins.extend(
        p
        for p, q in zip(parts, parts[1:], strict=False)
        if p in t.admin_nouns and q in t.credential_nouns
    )
    if nouns and admins:
        what = f"sets the credentials of an administrator ({admins[0]})"
        target = c.urls[0] if c.urls else admins[0]
        an.out.add(Effect("escalate", "all", describe(what, "", False, f"{a.text} {target}")))
    elif nouns and not set(nouns) & _PASSWORDS and not top.norms.isdisjoint(_USER_FIELDS):
        # keys made for another account (`create_access_key {"user": "ci-deployer"}`)
        what = describe("creates credentials", "", False, a.text)
        an.out.add(Effect("access_change", "", what))


_PASSWORDS: Final = frozenset({"password", "passwd", "passphrase"})
# where a request's fields are (`{"method": "PUT", "url": …, "json": {"role": "admin"}}`)
_BODY_KEYS: Final = frozenset({"json", "body", "data", "payload", "params", "fields", "attributes"})


def _granted_rights(c: Call, a: Action, an: Analyser, words: frozenset[str], top: _Top) -> None:
    """A grant given as fields: `grant_role {"role": "Owner"}`, `iam_update {"add_policies":
    ["AdministratorAccess"]}` — a grant verb in the tool's name or the field's name, and an
    administrator's role, policy or group among the values."""
    if not c.structured:
        return
    t = an.table
    if top.key_words.isdisjoint(t.rights_keys) and not any(
        isinstance(val, dict) and str(k).lower() in _BODY_KEYS for k, _, val in top.fields[:32]
    ):
        return  # no field names a right, and no request body holds one
    verbs = set(words & t.grant_verbs)
    named_grant = bool(verbs)  # a grant verb in the tool's own name
    if (c.http_method or a.http_method) in ("PUT", "POST", "PATCH"):
        verbs.add("set")  # a write request sets what its body says (`PUT …/memberships/x`)
    rights_method = _rights_method(c, t, top)
    if rights_method:
        verbs.add("set")  # `{"api": "admin.directory.roleAssignments.insert"}`
    to_rights = rights_method or _rights_url(c, t)
    items = list(c.structured[0].items())[:32]
    i = 0
    while i < len(items) and len(items) < 96:  # bodies within bodies (`json.data.roles`)
        k, val = items[i]
        if isinstance(val, dict) and str(k).lower() in _BODY_KEYS:
            items.extend(list(val.items())[:32])
        i += 1
    for k, val in items:
        kw = key_of(c.v, str(k)[:KEY_CAP]).words  # cached by the payload walk
        if (
            val is True
            and verbs
            and not kw.isdisjoint(t.admin_nouns)
            and kw - _FLAG_WORDS <= t.admin_nouns
        ):  # `PUT /users/7 {"admin": true}`, `{"is_superuser": true}`: the flag is the right
            what = describe("grants administrator rights", "", False, f"{a.text} {k}=true")
            an.out.add(Effect("escalate", "all", what))
            return
        if isinstance(val, dict) and "policy" in kw and verbs and _allows(val):
            # a policy document given (`put_bucket_policy {"Policy": {"Statement": […]}}`):
            # everything on everything is an administrator's; anything else changes access
            if _allows(val, everything=True):
                what = describe("grants administrator rights", "", False, f"{a.text} {k}")
                an.out.add(Effect("escalate", "all", what))
            else:
                what = describe("changes access rights", "", False, f"{a.text} {k}")
                an.out.add(Effect("access_change", "", what))
            return
        if kw.isdisjoint(t.rights_keys) and not (
            to_rights and _norm(c.v, str(k)) in t.role_item_keys
        ):
            continue  # no right named (under a rights path, the item's `type` names its role)
        if not (verbs or not kw.isdisjoint(t.grant_verbs)):
            continue
        values = val if isinstance(val, list) else [val]
        if isinstance(val, dict) and not kw.isdisjoint(t.rights_keys):
            # a right given as an object (Okta's `assignRoleRequest: {"type": "ORG_ADMIN"}`):
            # the role its own kind or rights field names
            values = [
                x
                for n, x in list(val.items())[:16]
                if _norm(c.v, str(n)) in t.role_item_keys or _norm(c.v, str(n)) in t.rights_keys
            ]
        numbered = t.numbered_roles.get(_norm(c.v, str(k)))
        for v in values[:16]:
            if numbered is not None and isinstance(v, int | str) and not isinstance(v, bool):
                v = numbered.get(str(v).strip(), v)  # `{"access_level": 50}`: Owner
            if not isinstance(v, str) or len(v) > 256:
                continue
            if admin_role(t, v):
                text = f"{a.text} {k}={v}"
                an.out.add(
                    Effect(
                        "escalate", "all", describe("grants administrator rights", "", False, text)
                    )
                )
                return
            if named_grant or to_rights:
                # another role given (`PUT …/memberships/jdoe {"role": "member"}`)
                what = describe("changes access rights", "", False, f"{a.text} {k}={v}")
                an.out.add(Effect("access_change", "", what))


def _allows(policy: dict[str, Any], everything: bool = False) -> bool:
    """A policy document with an `Allow` statement (`everything`: of every action on every
    resource, `"Action": "*", "Resource": "*"`)."""
    stmts = policy.get("Statement", policy.get("statement"))
    if isinstance(stmts, dict):
        stmts = [stmts]
    if not isinstance(stmts, list):
        return False
    for st in stmts[:16]:
        if not isinstance(st, dict) or str(st.get("Effect", st.get("effect", ""))).lower() != (
            "allow"
        ):
            continue
        if not everything:
            return True
        action = st.get("Action", st.get("action"))
        resource = st.get("Resource", st.get("resource", "*"))
        if action in ("*", ["*"]) and resource in ("*", ["*"]):
            return True
    return False


# Words of a boolean field's name besides the right it sets (`is_admin`, `site_admin`).
_FLAG_WORDS: Final = frozenset({"is", "has", "site", "global", "make", "grant", "set"})
_METHOD_KEYS: Final = ("api", "method", "operation", "op", "rpc", "api_method", "endpoint")


def _rights_method(c: Call, t: EffectTable, top: _Top) -> bool:
    """An API method named in a field that writes who may do what: a rights path and a verb of
    `rights_verbs` among its dotted parts (`admin.directory.roleAssignments.insert`)."""
    for key in _METHOD_KEYS:
        val = top.by_norm.get(key)
        if not isinstance(val, str) or len(val) > 128 or "." not in val:
            continue
        parts = frozenset(val.lower().replace("/", ".").split("."))
        if not parts.isdisjoint(t.rights_paths) and not parts.isdisjoint(t.rights_verbs):
            return True
    return False


def _rights_url(c: Call, t: EffectTable) -> bool:
    """The request goes to who may do what (`…/memberships/jdoe`), by its URL or an API path
    given apart (`{"path": "/v1.0/roleManagement/directory/roleAssignments"}`)."""
    for url in api_paths(c):
        path = url.lower().split("://", 1)[-1].split("?", 1)[0]
        if not t.rights_paths.isdisjoint(path.split("/")[1:]):
            return True
    return False


_SETTING_NAMES: Final = (
    "setting",
    "setting_name",
    "setting_id",
    "parameter",
    "option",
    "name",
    "id",
    "key",
)
_SETTING_PATHS: Final = ("settings", "setting", "config", "configuration", "parameters")


def _named_settings(c: Call) -> list[tuple[str, str]]:
    """Settings named by one field and set by another (`{"setting": "waf", "value": "off"}`), or
    named by the URL they are sent to (`PATCH …/settings/security_level {"value": "off"}`)."""
    out: list[tuple[str, str]] = []
    named_by_url = ""
    for url in c.urls:
        parts = url.split("?", 1)[0].rstrip("/").rsplit("/", 2)
        if len(parts) == 3 and parts[1].lower() in _SETTING_PATHS:
            named_by_url = parts[2]
    for obj in c.structured:
        value = obj.get("value")
        if not isinstance(value, str | bool | int | float):
            continue
        name = next((obj[k] for k in _SETTING_NAMES if isinstance(obj.get(k), str)), named_by_url)
        if name and len(name) <= 64:
            out.append((name.lower(), str(value).lower()))
    return out
