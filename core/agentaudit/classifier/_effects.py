"""The effect model: what a command does, read from `rules/effects.yaml`.

A command reaches this module as words (a program and its arguments), whatever it was written
in. `EffectTable.judge` finds the entries that match and returns effects with a scope and a
sentence that says what the command does ("deletes recursively a data location: rm -r -f
/srv/data"). The few behaviours a table cannot express (a git push's refs, curl's data flags,
chmod's modes…) are handlers named by their entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fnmatch import translate
from typing import Any, Final
from urllib.parse import unquote_plus

from ._exposure import Exposure, compile_exposure
from ._settings import Settings, SettingsError, compile_settings

# split and matched per call: compiled once here (re's module functions look each up)
_BUCKET_SEPARATORS: Final = re.compile(r"[-_./]+")
_NAME_SEPARATORS: Final = re.compile(r"[-_./:]+")
_PATH_SEPARATORS: Final = re.compile(r"[/\\]+")
NOT_ALNUM_RUN: Final = re.compile(r"[^a-z0-9]+")  # what separates lower-case words
_WORD_JOINERS: Final = re.compile(r"[-_:]+")

# Scopes, most severe first: a command's scope is the most severe of its targets'.
SCOPES: Final = ("all", "system", "data", "infra", "service", "item", "temp")
_SCOPE_RANK: Final = {s: i for i, s in enumerate(SCOPES)}
SCOPE_WORDS: Final = {
    "all": "everything",
    "system": "a system location",
    "data": "a data location",
    "infra": "infrastructure",
    "service": "a service",
    "item": "",
    "temp": "temporary files",
}
DANGEROUS: Final = frozenset(
    {
        "destroy",
        "weaken_security",
        "remote_code",
        "remote_control",
        "exfiltrate",
        "escalate",
        "persist",
        "stop_service",
        "read_secret",
        "deploy",
        "schema_change",
        "access_change",
        "force_push",
    }
)
ORDINARY: Final = frozenset({"read", "write", "exec", "send"})
# Effects that say all there is to say about a cloud command (no generic verb reading after).
_DECISIVE: Final = frozenset(
    {"destroy", "weaken_security", "escalate", "remote_code", "remote_control", "read_secret"}
)
EFFECTS: Final = DANGEROUS | ORDINARY
_GLOB_CHARS: Final = frozenset("*?[")
_CAMEL_PARTS: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")  # `SQLBackups` -> SQL, Backups
_PLACE_WORDS: Final = re.compile(
    r"[-. ]+"
)  # `public-share` -> public, share (`_` kept: public_html)
_EXE: Final = (".exe", ".cmd", ".bat", ".ps1", ".com")  # each four characters long


class Effect:
    """One thing a command does. `scope` is "" for effects without one. Never changed once
    made (it is kept in sets). A plain class, not a dataclass: mypyc compiles a class's own
    methods, while those a dataclass generates run interpreted, and effects are made, hashed
    and compared on every call."""

    __slots__ = ("kind", "scope", "text")

    def __init__(self, kind: str, scope: str, text: str) -> None:
        self.kind = kind
        self.scope = scope
        self.text = text  # what it does, in words, with the command: shown in reasons

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Effect)
            and self.kind == other.kind
            and self.scope == other.scope
            and self.text == other.text
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.scope, self.text))

    def __repr__(self) -> str:
        return f"Effect({self.kind!r}, {self.scope!r}, {self.text!r})"

    @property
    def fact(self) -> str:
        return f"{self.kind}.{self.scope}" if self.scope else self.kind


def glob_matcher(globs: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex that matches a whole word when any of the shell-style `globs` does (what
    `fnmatchcase` does per glob, compiled once when the table loads); None without globs."""
    return re.compile("|".join(translate(g) for g in globs)) if globs else None


@dataclass(frozen=True, slots=True)
class WordPattern:
    names: frozenset[str]
    globs: tuple[str, ...]
    globbed: re.Pattern[str] | None  # glob_matcher(globs)

    def match(self, word: str) -> bool:
        if word in self.names:
            return True
        if self.globbed is None:
            return False
        if len(word) > 4096:
            word = word[:4096]  # globs with several `*` cost more than linear on long words
        return self.globbed.match(word) is not None


@dataclass(frozen=True, slots=True)
class Entry:
    programs: frozenset[str]
    subs: tuple[WordPattern, ...]
    effect: str
    scope: str
    flags: tuple[str, ...]
    args: WordPattern | None
    also_args: WordPattern | None  # a second condition on the arguments (both must hold)
    unless_flags: tuple[str, ...]
    unless_args: WordPattern | None
    scope_words: Mapping[str, str]
    scope_flags: Mapping[str, str]
    recursive: tuple[str, ...]
    handler: str
    explain: str
    index: int
    sink: str = ""  # where an `upload` handler's files go (a site outside the organisation)


class Words:
    """A command's words, split once into what the matchers need. (Per-call classes here are
    plain classes, not dataclasses: see Effect.)"""

    __slots__ = ("program", "argv", "low", "positional", "after_flag", "recursive_ctx", "text",
                 "cwd")  # fmt: skip

    def __init__(
        self,
        program: str,
        argv: list[str],
        low: list[str],
        positional: list[int],
        after_flag: list[bool],
        recursive_ctx: bool = False,
        text: str = "",
        cwd: str = "",
    ) -> None:
        self.program = program
        self.argv = argv  # as written, program first
        self.low = low  # lower-cased arguments (program excluded)
        self.positional = positional  # indexes (into low) of words that are not flags
        self.after_flag = after_flag  # per positional: follows a flag (maybe its value)?
        self.recursive_ctx = recursive_ctx  # run by `find -exec`/`xargs` over a tree
        self.text = text
        self.cwd = cwd  # the directory a `cd` earlier in the script moved to ("" unknown)


def split_words(argv: list[str], text: str = "") -> Words:
    program = program_name(argv[0]) if argv else ""
    low = [a.lower() for a in argv[1:]]
    positional: list[int] = []
    after: list[bool] = []
    prev_flag = False
    for i, w in enumerate(low):
        if len(w) > 1 and w[0] == "-" and not _is_number(w):
            prev_flag = "=" not in w and ":" not in w
            continue
        positional.append(i)
        after.append(prev_flag)
        prev_flag = False
    return Words(program, argv, low, positional, after, text=text or " ".join(argv))


def _is_number(w: str) -> bool:
    return w[1:].replace(".", "", 1).isdigit()


def program_name(word: str) -> str:
    """`/usr/bin/RM.exe` -> `rm`; a Windows path's last part; quotes and a leading `\\` gone."""
    w = word.strip().strip("\"'").lower()
    if "/" in w:
        w = w.rsplit("/", 1)[-1]
    if "\\" in w:
        w = w.rsplit("\\", 1)[-1]
    return w[:-4] if w.endswith(_EXE) else w


def has_flag(words: Words, spec: str, whole: tuple[str, ...] = ()) -> bool:
    """`-r` matches `-r` and short clusters (`-rf`); longer specs match whole (any case, with
    `=value` or `:value`); `/s` matches cmd.exe's switches. `whole`: words that are options of
    their own, never clusters (`hdfs dfs -rm`: not `-r -m`)."""
    if len(spec) == 2 and spec[0] == "-":
        letter = spec[1]
        for w in words.argv[1:]:
            if w == spec:
                return True
            if (
                len(w) > 2
                and w not in whole
                and w[0] == "-"
                and w[1] != "-"
                and len(w) <= 6
                and w[1:].isalpha()
                and letter in w[1:]
            ):
                return True
        return False
    s = spec.lower()
    for w in words.low:
        if w == s or (w.startswith(s) and len(w) > len(s) and w[len(s)] in "=:"):
            return True
    return False


def _any_flag(words: Words, specs: tuple[str, ...]) -> bool:
    return any(has_flag(words, spec) for spec in specs)


def _any_arg(words: Words, pattern: WordPattern | None) -> bool:
    """An argument matches; a flag and the value after it match as `flag=value` too
    (`--keep-last 0` as `--keep-last=0`, `-t 1` as `-t=1`)."""
    if pattern is None:
        return False
    low = words.low
    for i, w in enumerate(low):
        if pattern.match(w):
            return True
        flag_value = w[:1] == "-" and "=" not in w and i + 1 < len(low) and low[i + 1][:1] != "-"
        if flag_value and pattern.match(w + "=" + low[i + 1]):
            return True
    return False


def _match_subs(entry: Entry, words: Words) -> int:
    """Index (into `words.positional`) after the matched subcommand words, or -1.

    Each subcommand word must be the next positional word; a positional that follows a flag
    (perhaps its value: `kubectl -n prod delete`) may be skipped."""
    k = 0
    pos = words.positional
    for pattern in entry.subs:
        while k < len(pos):
            if pattern.match(words.low[pos[k]]):
                break
            if not words.after_flag[k]:
                return -1
            k += 1
        if k >= len(pos):
            return -1
        k += 1
    return k


# ----------------------------------------------------------------------------- the table


@dataclass(frozen=True, slots=True, eq=False)
class Ends:
    """Suffixes kept by their last character: `text.endswith` of the few that can end a text
    rather than of every one (a path is tested against dozens, and most end none)."""

    by_last: dict[str, tuple[str, ...]]
    always: bool  # an empty suffix ends every text

    def of(self, text: str) -> bool:
        if self.always:
            return True
        return text != "" and text.endswith(self.by_last.get(text[-1], ()))


def ends(suffixes: Collection[str]) -> Ends:
    by_last: dict[str, list[str]] = {}
    for suffix in suffixes:
        if suffix:
            by_last.setdefault(suffix[-1], []).append(suffix)
    return Ends({k: tuple(v) for k, v in by_last.items()}, "" in suffixes)


@dataclass(frozen=True, slots=True, eq=False)
class Paths:
    all: frozenset[str]
    system: tuple[str, ...]
    data: tuple[str, ...]
    homes: tuple[str, ...]
    data_words: frozenset[str]
    temp: tuple[str, ...]
    temp_words: frozenset[str]
    temp_suffixes: tuple[str, ...]
    audit_logs: tuple[str, ...]
    audit_words: tuple[str, ...]
    persistence: tuple[str, ...]
    security_config: tuple[str, ...]
    credentials: tuple[str, ...]
    credential_names: frozenset[str]  # whole file names (`id_rsa`, `.env`)
    credential_ends: Ends  # path ends (`/.aws/credentials`) and suffixes (`.cargo/credentials`)
    credential_dirs: tuple[str, ...]  # folders (`.ssh/`)
    credential_globs: re.Pattern[str] | None  # whole paths by glob (`/proc/*/environ`)
    credential_not: Ends
    public: tuple[str, ...]
    copy_suffixes: tuple[str, ...]
    dump_suffixes: tuple[str, ...]
    database_files: tuple[str, ...]  # a database's own files (`.db`, `.ibd`, `.mdf`)
    data_copies: tuple[str, ...]  # dumps, copies, database files and exports, by suffix
    store_folders: tuple[str, ...]  # where data stores keep their files (`/var/lib/mysql`)
    account_files: frozenset[str]  # the system's list of accounts (`/etc/passwd`)
    public_words: frozenset[str]
    halts: frozenset[str]  # files whose write stops the machine (`/proc/sysrq-trigger`)


@dataclass(frozen=True, slots=True)
class SubIndex:
    """A program's entries by the words their first subcommand names: an entry applies only if
    one of the command's positional words matches it, so `git log` tries the few entries that
    name `log` (and those with no subcommand or a glob), in table order, not all of git's."""

    by_word: Mapping[str, tuple[Entry, ...]]
    always: tuple[Entry, ...]

    @staticmethod
    def of(entries: list[Entry]) -> SubIndex:
        by_word: dict[str, list[Entry]] = {}
        always: list[Entry] = []
        for e in entries:
            if not e.subs or e.subs[0].globs:
                always.append(e)
                continue
            for name in e.subs[0].names:
                by_word.setdefault(name, []).append(e)
        return SubIndex({k: tuple(v) for k, v in by_word.items()}, tuple(always))

    def candidates(self, w: Words) -> tuple[Entry, ...]:
        found = {e.index: e for e in self.always}
        for i in w.positional:
            for e in self.by_word.get(w.low[i], ()):
                found[e.index] = e
        return tuple(found[k] for k in sorted(found))


class CodeCalls:
    """The `code:` categories of the effect table (library calls by what they do), compiled once
    per table: exact names in sets, globs apart."""

    __slots__ = ("spec", "text_calls", "wrappers", "_exact", "_longest", "_globs", "_inputs",
                 "_request", "_runs_request", "_by_name")  # fmt: skip

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        # a web shell: a call that runs its argument (`request_sinks`) given what a web request
        # sent (`request_input`); the inputs are found first, the call looked for just before
        inputs = sorted({str(x).lower() for x in spec.get("request_input") or ()}, key=len)
        self._inputs = tuple(inputs)
        sinks = sorted({str(x).lower() for x in spec.get("request_sinks") or ()}, key=len)
        self._request = (
            re.compile("|".join(re.escape(x) for x in reversed(inputs)), re.I) if inputs else None
        )
        self._runs_request = (
            re.compile(
                r"(?<![\w$.])(?:" + "|".join(re.escape(x) for x in reversed(sinks)) + r")\s*\(",
                re.I,
            )
            if sinks
            else None
        )
        self.wrappers = frozenset(str(x).lower() for x in spec.get("path_wrappers") or ())
        self.text_calls = frozenset(  # calls named by `weaken_when_text` / `destroy_when_text`
            str(x.get("call", "")).lower()
            for key in ("weaken_when_text", "destroy_when_text")
            for x in spec.get(key) or ()
        )
        self._exact: dict[str, frozenset[str]] = {}
        self._longest: dict[str, int] = {}  # a category's longest exact name
        self._globs: dict[str, re.Pattern[str] | None] = {}
        self._by_name: dict[str, frozenset[str]] = {}  # a name's categories, found on first use
        for category, names in spec.items():
            if not isinstance(names, list):
                continue
            words = [str(g) for g in names]
            self._exact[category] = frozenset(g for g in words if "*" not in g and "?" not in g)
            self._longest[category] = max(map(len, self._exact[category]), default=0)
            globs = [g for g in words if "*" in g or "?" in g]
            # the name itself, or its last dotted parts (`*.` + glob)
            self._globs[category] = glob_matcher(globs + ["*." + g for g in globs])

    def web_shell(self, content: str) -> bool:
        """`content` runs what a web request sends (`system($_GET["c"])`,
        `Runtime.getRuntime().exec(request.getParameter("c"))`): at most 32 inputs, each with
        the 160 characters before it searched for a running call."""
        if self._request is None or self._runs_request is None or "(" not in content:
            return False  # every running call has its parenthesis
        low = content[:262144].lower()
        if not any(x in low for x in self._inputs):  # a few substring searches first
            return False
        for n, m in enumerate(self._request.finditer(content, 0, 262144)):
            if n >= 32:
                break
            before = content[max(0, m.start() - 160) : m.start()]
            k = max(before.rfind(";"), before.rfind("\n"), before.rfind("}"))
            if self._runs_request.search(before, k + 1) is not None:
                return True
        return False

    def names(self, category: str) -> frozenset[str]:
        """The category's exact names (not its globs)."""
        return self._exact.get(category, frozenset())

    def hit(self, category: str, name: str) -> bool:
        """`name` is one of the category's calls, or ends with `.<one of them>`. Every
        category a name is in is found once per name and kept (a snippet's calls are tested
        against dozens of categories, and the same calls come back call after call)."""
        cats = self._by_name.get(name)
        if cats is None:
            cats = frozenset(c for c in self._exact if self._hit(c, name))
            if len(self._by_name) >= 20_000:
                self._by_name.clear()
            self._by_name[name] = cats
        return category in cats

    def _hit(self, category: str, name: str) -> bool:
        exact = self._exact.get(category)
        if exact is None:
            return False
        if name in exact:
            return True
        # only a last part no longer than the longest name can be one: a long chain
        # (`a.a.a.…`) is not sliced at every dot
        i = name.find(".", max(0, len(name) - self._longest[category] - 1))
        while i >= 0:
            if name[i + 1 :] in exact:
                return True
            i = name.find(".", i + 1)
        globbed = self._globs[category]
        return globbed is not None and globbed.match(name) is not None


@dataclass(frozen=True, slots=True, eq=False)
class EffectTable:
    entries: Mapping[str, tuple[Entry, ...]]  # by program name
    glob_entries: tuple[tuple[re.Pattern[str], Entry], ...]  # programs named by a glob (`mkfs.*`)
    paths: Paths
    nouns: Mapping[str, str]  # noun -> scope
    destroy_verbs: frozenset[str]
    weaken_verbs: frozenset[str]
    grant_verbs: frozenset[str]
    change_verbs: frozenset[str]  # destroy | weaken | grant, joined once
    security_nouns: frozenset[str]
    admin_nouns: frozenset[str]
    rights_keys: frozenset[str]  # fields that say what rights someone gets (`role`)
    rights_paths: frozenset[str]  # API path segments of who may do what (`collaborators`)
    role_item_keys: frozenset[str]  # under a rights path, the body's field naming the role
    rights_verbs: frozenset[str]  # an API method's verbs that write to a rights path
    lesser_admin_words: frozenset[str]  # words narrowing an admin role (`read_only_admin`)
    admin_realms: frozenset[str]  # over what an admin option's admin rules (`--system_admin`)
    numbered_roles: Mapping[str, Mapping[str, str]]  # field -> number -> role (`access_level`)
    deploy_keys: Mapping[str, frozenset[str]]  # a repository's keys: paths, write/read switches
    credential_nouns: tuple[str, ...]  # as words joined by `_` (`access_key`)
    credential_marks: tuple[tuple[str, str], ...]  # (noun, `_noun_`): found in `_`-joined words
    credential_verbs: frozenset[str]
    printed_marks: tuple[str, ...]  # `_token_`, `_api_key_`: credentials a command prints
    printed_stems: tuple[str, ...]  # `token`, `key`: one is in a word that names one (gate)
    minting_verbs: frozenset[str]
    cloud_programs: frozenset[str]
    cloud_read: frozenset[str]
    cloud_write: frozenset[str]
    cloud_verbs: frozenset[str]  # destroy | weaken | cloud write | cloud read, joined once
    shells: frozenset[str]
    wrappers: Mapping[str, Mapping[str, Any]]
    read_programs: frozenset[str]
    read_subcommands: Mapping[str, frozenset[str]]
    db_clients: frozenset[str]
    db_shells: frozenset[tuple[str, str]]  # (program, subcommand) opening a database's shell
    statement_printers: Mapping[tuple[str, str], str]  # (program, sub) -> the sub it prints
    stdin_args: frozenset[str]  # programs that read their arguments from stdin (`chpasswd`)
    stdin_scripts: frozenset[str]  # programs that run the script on their stdin later (`at`)
    store_clients: frozenset[str]  # clients that run the commands fed to them (`redis-cli`)
    store_sockets: frozenset[str]  # raw sockets (`nc`): what they send to a store's port runs
    store_ports: Mapping[str, str]  # port -> the client whose commands its protocol carries
    interpreters: Mapping[str, Mapping[str, Any]]
    shell_escapes: tuple[str, ...]  # line heads that hand the line to the shell (`\!`, `.shell`)
    client_escapes: Mapping[str, tuple[str, ...]]  # the same, in one program only (`system`)
    output_pipes: tuple[str, ...]  # a client's lines sending its output to a command (`\\o |`)
    escape_heads: str  # the first characters of `shell_escapes` (a value led by none has none)
    debugger_reads: frozenset[str]  # a debugger's commands that only read (`bt`)
    remote_runners: Mapping[str, Mapping[str, Any]]
    security_units: frozenset[str]
    system_units: frozenset[str]
    known_programs: frozenset[str]  # every program the table names: the gate for "a command?"
    glob_heads: tuple[str, ...]  # what the globbed programs' names start with (`mkfs.`)
    tool_programs: frozenset[str]  # tools named after a program (`kubectl`, `terraform`…)
    aliases: Mapping[str, str]  # tool-name words that mean a program (`k8s` -> kubectl)
    protected_branches: frozenset[str]
    retention: Mapping[str, float]  # a retention setting -> seconds per unit of its value
    retention_needles: tuple[str, ...]  # each setting's longest word: one is in each (gate)
    migrations: Mapping[str, frozenset[str]]  # nouns, wipe, back, extent_keys, everything
    database_tools: Mapping[str, frozenset[str]]  # nouns, tools, runners, wipe, migrate, verbs
    switched_off: Mapping[str, frozenset[str]]  # keys, values, names
    shared_with_everyone: Mapping[str, frozenset[str]]  # keys, values
    locked_out: Mapping[str, frozenset[str]]  # verbs, nouns, everyone, by_status
    identity_controls: Mapping[str, frozenset[str]]  # hosts, controls, verbs
    device_wipes: Mapping[str, frozenset[str]]  # verbs, nouns
    script_consoles: Mapping[str, frozenset[str]]  # paths, fields
    http_collections: frozenset[str]
    http_containers: frozenset[str]
    harmless_objects: frozenset[str]
    prose_words: frozenset[str]  # words of sentences, never a command's argument
    scratch_db_words: frozenset[str]
    metadata_credentials: tuple[str, ...]
    secret_outputs: frozenset[str]
    data_packers: frozenset[str]  # programs whose output is the data location they are given
    whole_units: frozenset[str]  # nouns an unknown CLI deletes whole (`apps:destroy`)
    whole_verbs: frozenset[str]  # an unknown CLI's bare subcommand that takes all down (`destroy`)
    listing_filters: frozenset[str]  # options that narrow a listing (`--filter`, `-l`)
    serve_here: frozenset[str]  # file servers that serve their working directory
    glued_verbs: frozenset[str]  # verbs a one-word subcommand may start with
    glued_nouns: frozenset[str]  # what may follow them (`createuser`, `deleteapp`, `listusers`)
    give_verbs: frozenset[str]  # `verbs.grant` and `rights_verbs`: a subcommand that gives
    # program -> (words one of which makes it dump, words after which it names its file)
    data_dumpers: Mapping[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]
    manifests: Mapping[str, frozenset[str]]  # flags, capabilities, host_paths, verbs, …_keys
    dns: Mapping[str, frozenset[str]]  # types, apex_types, apex_names, *_keys, verbs
    # a move or copy given as fields: a verb's program (`move` -> mv), the ends' field names
    field_transfers: Mapping[str, str]
    transfer_sources: tuple[str, ...]
    transfer_dests: tuple[str, ...]
    ui_steps: Mapping[str, frozenset[str]]  # a browser agent's steps: clicks, types, steps, …
    ui_calls: tuple[str, ...]  # `.click(`, `.fill(`…: a script's UI calls (`ui_steps.methods`)
    saved_plans: Mapping[str, frozenset[str]]  # programs, plan, apply, destroy_flags, out_flags
    history_rewrites: Mapping[str, frozenset[str]]  # subcommands, *_flags, everything
    lifecycles: Mapping[str, frozenset[str]]  # programs, subcommands, document_flags, within_days
    powershell_verbs: frozenset[str]
    dry_run_flags: tuple[str, ...]
    package_source_flags: frozenset[str]
    dry_run_not: tuple[str, ...]
    dry_run_short: Mapping[str, tuple[str, ...]]  # program -> its own short dry-run flags
    credential_untouched_by: frozenset[str]
    git_run_settings: tuple[str, ...]  # Git settings whose value is a command Git runs later
    settings: Settings  # which written settings weaken security
    exposure: Exposure  # access-control documents that open a resource to everyone
    sub_index: Mapping[str, SubIndex]  # programs with many entries: by their first subcommand
    first_subs: Mapping[str, frozenset[str]]  # the words entries and read lists name first
    secret_variables: tuple[str, ...]  # words of environment variables that hold secrets
    # program -> (subcommands, the key's and the value's places; no key place: `k=v` words)
    setting_words: Mapping[str, tuple[frozenset[str], int | None, int]]
    code_calls: CodeCalls  # library calls by what they do (`code:`)
    raw: Mapping[str, Any] = field(default_factory=dict)

    # -- paths ---------------------------------------------------------------------------------
    def knows(self, prog: str) -> bool:
        """A program the table names, by its name or by a glob (`mkfs.ext4` by `mkfs.*`)."""
        if prog in self.known_programs:
            return True
        if not self.glob_heads or not prog.startswith(self.glob_heads):
            return False
        return any(g.match(prog) is not None for g, _ in self.glob_entries)

    def path_scope(self, path: str, recursive: bool, remote: bool = True) -> str:
        """What deleting (or overwriting) `path` destroys: a scope of SCOPES. With `remote`
        false (a program's own file call: `os.unlink`, `fs.rmSync`), `name:rest` is a local
        name or a key (`session:1`), not rclone's or scp's remote."""
        p = normalize_path(path)
        if not p:
            return "item"
        scheme, sep, rest = p.partition("://")
        if sep and scheme in _OBJECT_STORES:
            return self._object_scope(rest, recursive)
        m = _REMOTE_PATH.match(p) if remote and not sep else None
        if m is not None:  # rclone's `remote:bucket/dir`, scp's `host:/srv/data`
            rest = p[m.end() :]
            if rest.startswith(("/", "~")):
                return self.path_scope(rest, recursive)
            return self._object_scope(rest, recursive) if rest else "data"
        glob = False
        while p.endswith(("/*", "\\*", "/.*", "/**")):
            p = p.rsplit("/" if "/" in p[-3:] else "\\", 1)[0] or "/"
            glob = True
        if p in self.paths.all:
            return "all"
        if (glob or recursive) and len(p) > 1 and p[0] == "~" and _USER.fullmatch(p[1:]):
            return "data"  # `~postgres`: another account's home (a service's is its data)
        if p.startswith("~") and p.count("/") <= 1 and (glob or p in ("~", "~/")):
            return "all"
        if (glob or recursive) and p.count("..") >= 3 and not p.strip("./\\"):
            return "system"  # `../../..`: far enough up to be the system's (`cd` unknown)
        if _under(p, self.paths.temp):
            return "temp"
        parts = _components(p)
        if (
            len(parts) > 1
            and parts[-1].startswith("*")
            and (not p.endswith(self.paths.temp_suffixes) or p.endswith(self.paths.copy_suffixes))
            and not any(c in self.paths.temp_words for c in parts[-3:])
            and any(
                w.lower() in self.paths.data_words
                for w in _CAMEL_PARTS.findall((_components(path)[-2:-1] or [""])[0])
            )
        ):
            return "data"  # `D:\SQLBackups\*.bak`: every file of a folder named for data
        if any(c in self.paths.temp_words for c in parts[-3:]) or p.endswith(
            self.paths.temp_suffixes
        ):
            return "temp"
        for home in self.paths.homes:
            if p == home or p.startswith(home + "/") or p.startswith(home + "\\"):
                rest = p[len(home) :].strip("/\\")
                if not rest or ("/" not in rest and "\\" not in rest and (glob or recursive)):
                    return "data"
        if _under(p, self.paths.data):
            if p.endswith(self.paths.database_files):
                return "data"  # a database's file in a data location is the database
            return "data" if recursive or glob or not _has_suffix(parts) else "item"
        if _under(p, self.paths.system):
            if not (recursive or glob) and self._app_log(p) and _has_suffix(parts):
                return "item"  # one log file of an application (`/var/log/nginx/access.log.1`)
            return "system"
        if any(c in self.paths.data_words for c in parts):
            return "data" if recursive or glob or not _has_suffix(parts) else "item"
        if p in ("*", ".", "./", "./*") or (glob and p in (".", "")):
            return "data"
        if (glob or recursive) and self.is_credential(p):
            return "data"  # a folder of keys (`~/.ssh`, `~/.gnupg`): what unlocks the systems
        return "item"

    def _object_scope(self, rest: str, recursive: bool) -> str:
        """`s3://bucket/prefix/`: a whole bucket, or a prefix of one, is data unless named as
        scratch or build output (`s3://acme-ci-artifacts/pr-1234/`)."""
        bucket, _, prefix = rest.partition("/")
        prefix = prefix.strip("/*")
        words = [w for w in _BUCKET_SEPARATORS.split(f"{bucket}/{prefix}") if w]
        if prefix and any(w in self.paths.temp_words for w in words):
            return "temp"
        return "data" if recursive or not prefix else "item"

    def store_scope(self, name: str) -> str:
        """A named store (a Docker volume): its data, unless named as scratch or build output
        (`build-cache-old`)."""
        words = _NAME_SEPARATORS.split(name.lower())
        return "temp" if any(w in self.paths.temp_words for w in words) else "data"

    def is_credential(self, path: str) -> bool:
        """A credential file or folder (`~/.aws/credentials`, `id_rsa`, `.env`, `*.key`…)."""
        if len(path) > 4096:
            return False
        p = normalize_path(path).replace("\\", "/")
        if not p or self.paths.credential_not.of(p) or "[]" in p:
            return False  # `Contents[].Key`: a query's field, not a file
        if self.paths.credential_ends.of(p):
            return True
        name = p.rsplit("/", 1)[-1]
        if name in self.paths.credential_names or p in self.paths.credential_names:
            return True
        globs = self.paths.credential_globs
        if globs is not None and globs.fullmatch(p) is not None:
            return True
        if "/" in p:
            probe = p + "/"
            for folder in self.paths.credential_dirs:
                if folder in probe and not p.endswith((".pub", "known_hosts", "config")):
                    return True
        return False

    def is_data_copy(self, path: str) -> bool:
        """A data store's content as a file or folder: anything in a store's own folder
        (`/var/lib/mysql/`, `/var/backups/users.csv`), or a dump, copy, database file or export
        under a data location (`/srv/exports/customers.csv`, `D:\\SQLBackups\\crm.bak`), not in
        a scratch or build folder there. A relative path is a project's own file
        (`./build/report.csv`), and a file in a home is the person's: neither is judged."""
        if len(path) > 4096 or "://" in path:
            return False
        p = normalize_path(path)
        if not p or not (p[0] in "/~\\" or p[1:2] == ":"):
            return False
        if _under(p, self.paths.store_folders):
            return True
        return (
            p.endswith(self.paths.data_copies)
            and _under(p, self.paths.data)
            and not _under(p, self.paths.temp)
            and not any(c in self.paths.temp_words for c in _components(p)[:-1])
        )

    def is_database_file(self, path: str) -> bool:
        """A database's own file or a binary dump wherever it lies (`db.sqlite3`, `app.db`,
        `crm.bak`, `shop.dump`), relative paths included: its rows are in it. A plain `.sql`
        file may be a schema or a migration, so only a dump's other forms count."""
        if len(path) > 4096 or "://" in path:
            return False
        p = normalize_path(path)
        return p.endswith(self.paths.database_files) or (
            p.endswith(self.paths.dump_suffixes) and not p.endswith(".sql")
        )

    def is_public_place(self, path: str) -> bool:
        """A place others can read (a web root, a public share): what lands there is published."""
        if len(path) > 4096 or "://" in path:
            return False
        p = normalize_path(path)
        if _under(p, self.paths.public):
            return True
        parts = _components(p)
        if _has_suffix(parts):
            parts = parts[:-1]  # a file's own name (`public.pem`) is not where it lies
        return any(w in self.paths.public_words for c in parts for w in _PLACE_WORDS.split(c))

    def is_persistence(self, path: str) -> bool:
        return _contains_any(normalize_path(path), self.paths.persistence)

    def is_security_config(self, path: str) -> bool:
        return _contains_any(normalize_path(path), self.paths.security_config)

    def _app_log(self, p: str) -> bool:
        """A file in an application's own folder of the system log directory
        (`/var/log/nginx/…`): its logs, not the system's audit trail (`paths.audit_logs`)."""
        head, sep, rest = p.partition("/var/log/")
        if head or not sep or "/" not in rest:
            return False
        return not any(p == a or _under(p, (a,)) for a in self.paths.audit_logs if a != "/var/log")

    def is_audit_log(self, path: str) -> bool:
        p = normalize_path(path)
        if self._app_log(p):
            return False
        if _under(p, self.paths.audit_logs) or p in self.paths.audit_logs:
            return True
        parts = _components(p)
        last = parts[-1] if parts else ""
        if not last:
            return False
        return any(a in last for a in self.paths.audit_words) and (
            last.endswith(
                (".db", ".sqlite", ".sqlite3", ".log", ".jsonl", "-wal", "-shm", ".journal")
            )
            or "." not in last
        )

    # -- verbs and nouns -----------------------------------------------------------------------
    def noun_scope(self, words: list[str]) -> str:
        """The most severe scope any of these nouns names ("item" if none)."""
        best = "item"
        for w in words:
            s = self.nouns.get(w)
            if s is not None and _SCOPE_RANK[s] < _SCOPE_RANK[best]:
                best = s
        return best


_USER: Final = re.compile(r"[a-z_][a-z0-9_.-]{0,31}")


# The first character of a variable that holds an absolute path (`${HOME:0:1}`): the root.
_ROOT_BY_SUBSTRING: Final = re.compile(r"\$\{(?:home|pwd|oldpwd|path|shell):0:1\}")


def normalize_path(path: str) -> str:
    p = path.strip().strip("\"'`").lower()
    if p.startswith("${") and (root := _ROOT_BY_SUBSTRING.match(p)) is not None:
        p = "/" + p[root.end() :].lstrip("/")
    if p.startswith("$home") or p.startswith("${home}"):
        p = "~" + p[p.index("e") + 1 :].lstrip("}")
    if p.startswith("file://"):
        p = p[7:]
    if len(p) > 1:
        p = p.rstrip("/\\") or p[:1]
    if p.startswith("./") and len(p) > 2:
        p = p[2:]
    return p


def _components(p: str) -> list[str]:
    return [c for c in _PATH_SEPARATORS.split(p) if c]


def _has_suffix(parts: list[str]) -> bool:
    last = parts[-1] if parts else ""
    return "." in last.strip(".")


def _under(p: str, prefixes: tuple[str, ...]) -> bool:
    for pre in prefixes:
        if p == pre or p.startswith(pre + "/") or p.startswith(pre + "\\"):
            return True
        if pre.endswith((":", "\\\\")) and p.startswith(pre):
            return True
    return False


def _contains_any(p: str, needles: tuple[str, ...]) -> bool:
    for n in needles:
        if n.startswith("/"):
            if p == n or p.startswith(n + "/") or p.startswith(n):
                return True
        elif n in p:
            return True
    return False


def worst_scope(scopes: list[str]) -> str:
    best = ""
    for s in scopes:
        if not best or _SCOPE_RANK.get(s, 99) < _SCOPE_RANK.get(best, 99):
            best = s
    return best or "item"


def scope_rank(scope: str) -> int:
    return _SCOPE_RANK.get(scope, 99)


# ----------------------------------------------------------------------------- building


class EffectsError(ValueError):
    """A malformed effects table (raised as RulesError by the loader, naming the file)."""


# a JSON value `"*"` in a glob (after `:`, `[` or `,`): the glob's `*` matches any quoted value
_QUOTED_STAR: Final = re.compile(r'[:\[,]\s*"\*"')


def _pattern(spec: Any, where: str) -> WordPattern:
    items = spec if isinstance(spec, list) else [spec]
    names: set[str] = set()
    globs: list[str] = []
    for item in items:
        if isinstance(item, bool):  # YAML 1.1 reads off/no/false and on/yes/true as booleans
            names.update(("true", "yes", "on") if item else ("false", "no", "off"))
            continue
        elif isinstance(item, int | float):
            item = str(item)
        if not isinstance(item, str) or not item:
            raise EffectsError(f"{where}: a word must be a non-empty string, not {item!r}")
        w = item.lower()
        if '"*"' in w and _QUOTED_STAR.search(w):  # `"action":"*"` as a glob: any value
            raise EffectsError(
                f'{where}: {item!r}: a quoted "*" matches any value; a literal * is [*]'
            )
        if _GLOB_CHARS & set(w):
            globs.append(w)
        else:
            names.add(w)
    return WordPattern(frozenset(names), tuple(globs), glob_matcher(globs))


def _str_tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EffectsError(f"{where} must be a list of strings")
    return tuple(value)


def _scope_map(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise EffectsError(f"{where} must map words to scopes")
    out: dict[str, str] = {}
    for k, v in value.items():
        if v not in _SCOPE_RANK:
            raise EffectsError(f"{where}: scope {v!r} is not one of {', '.join(SCOPES)}")
        out[str(k).lower()] = str(v)
    return out


_ENTRY_KEYS: Final = frozenset(
    {
        "cmd",
        "effect",
        "scope",
        "flags",
        "args",
        "also_args",
        "unless_flags",
        "unless_args",
        "scope_words",
        "scope_flags",
        "recursive",
        "handler",
        "explain",
        "sink",
    }
)
HANDLERS: Final = frozenset(
    {
        "git_push",
        "upload",
        "service_stop",
        "kill",
        "chmod",
        "chown",
        "sysctl",
        "redis_eval",
        "alias",
        "http",
        "package_source",
        "crypto_send",
        "stripe_money",
        "awk",
        "editor_shell",
        "container_mounts",
    }
)
_OBJECT_STORES: Final = frozenset(
    {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "wasb", "wasbs", "r2", "b2", "oss", "cos"}
)
_API_PREFIX: Final = re.compile(r"v\d{1,3}(?:\.\d{1,3})?|api|rest|data|admin")
_REMOTE_PATH: Final = re.compile(r"(?:[\w.-]+@)?[a-z][\w.-]+:(?![\\/]{2})")

_WIN_SWITCH: Final = re.compile(r"/[A-Za-z]{1,12}(?::\S{0,32})?")
_TARGET_SCOPES: Final = frozenset(
    {"targets", "sources", "dropped", "last_target", "after_first", "stores"}
)


def _retention(value: Any) -> dict[str, float]:
    if not isinstance(value, dict) or not all(
        isinstance(v, (int, float)) and v > 0 for v in value.values()
    ):
        raise EffectsError("retention must map settings to the seconds of one unit (> 0)")
    return {str(k).lower(): float(v) for k, v in value.items()}


def _entry(spec: Any, index: int) -> Entry:
    where = f"commands[{index}]"
    if not isinstance(spec, dict):
        raise EffectsError(f"{where}: an entry must be a mapping")
    unknown = set(spec) - _ENTRY_KEYS
    if unknown:
        raise EffectsError(f"{where}: unknown key(s) {sorted(unknown)}")
    cmd = spec.get("cmd")
    if not isinstance(cmd, list) or not cmd:
        raise EffectsError(f"{where}: `cmd` must be a list: the program, then subcommand words")
    head = _pattern(cmd[0], where + ".cmd[0]")
    programs: set[str] = set(head.names)
    for name in list(programs):
        if " " in name:  # "docker compose": a program and its first word
            raise EffectsError(f"{where}: write `{name}` as two words of `cmd`")
    if head.globs:
        programs |= {"*glob*:" + g for g in head.globs}
    handler = str(spec.get("handler") or "")
    if handler and handler not in HANDLERS:
        raise EffectsError(f"{where}: unknown handler {handler!r}")
    effect = str(spec.get("effect") or ("" if handler else "write"))
    if effect and effect not in EFFECTS:
        raise EffectsError(f"{where}: effect {effect!r} is not one of {', '.join(sorted(EFFECTS))}")
    scope = str(spec.get("scope") or "")
    operand = scope.startswith("operand:") and len(scope) > len("operand:")
    if scope and scope not in _SCOPE_RANK and scope not in _TARGET_SCOPES and not operand:
        raise EffectsError(
            f"{where}: scope {scope!r} is not a scope or "
            "targets/sources/last_target/after_first/stores/operand:NAME"
        )
    sink = str(spec.get("sink") or "")
    if (handler == "upload") != sink.startswith("https://"):
        raise EffectsError(f"{where}: the `upload` handler takes a `sink` (an https:// URL)")
    args = spec.get("args")
    unless_args = spec.get("unless_args")
    return Entry(
        programs=frozenset(programs),
        subs=tuple(_pattern(w, f"{where}.cmd[{i + 1}]") for i, w in enumerate(cmd[1:])),
        effect=effect,
        scope=scope,
        flags=_str_tuple(spec.get("flags"), where + ".flags"),
        args=_pattern(args, where + ".args") if args is not None else None,
        also_args=_pattern(spec["also_args"], where + ".also_args")
        if spec.get("also_args") is not None
        else None,
        unless_flags=_str_tuple(spec.get("unless_flags"), where + ".unless_flags"),
        unless_args=_pattern(unless_args, where + ".unless_args")
        if unless_args is not None
        else None,
        scope_words=_scope_map(spec.get("scope_words"), where + ".scope_words"),
        scope_flags=_scope_map(spec.get("scope_flags"), where + ".scope_flags"),
        recursive=_str_tuple(spec.get("recursive"), where + ".recursive"),
        handler=handler,
        explain=str(spec.get("explain") or ""),
        index=index,
        sink=sink,
    )


_UI_STEP_LISTS: Final = ("clicks", "types", "methods", "step_keys", "target_keys", "text_keys",
                   "confirm_words", "selector_words", "soft_verbs", "page_words")  # fmt: skip


def _ui_steps(raw: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """`ui_steps`, with `steps`: every step verb (a click's or a typing step's), the gate."""
    out = _word_sets(raw, "ui_steps", _UI_STEP_LISTS)
    out["steps"] = out["clicks"] | out["types"]
    return out


def _database_tools(raw: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """`database_tools:`, with `verbs`: every word that can end one of its subcommands (a wipe,
    a migrate or a rollback verb), the one lookup most commands need."""
    out = _word_sets(raw, "database_tools", ("nouns", "tools", "runners", "wipe", "migrate"))
    back = _word_sets(raw, "migrations", ("back",))["back"]
    out["verbs"] = out["wipe"] | out["migrate"] | back
    return out


def _word_sets(
    raw: Mapping[str, Any], section: str, keys: tuple[str, ...]
) -> dict[str, frozenset[str]]:
    """A section of word lists (`dns:`, `saved_plans:`…), each lower-cased into a set."""
    spec = raw.get(section) or {}
    return {k: frozenset(_lower_list(spec, k, f"{section}.{k}")) for k in keys}


def _exposure(raw: Mapping[str, Any]) -> Exposure:
    """`exposure:`, compiled (a bad entry fails at load, as `EffectsError`)."""
    spec = raw.get("exposure")
    if spec is not None and not isinstance(spec, dict):
        raise EffectsError("exposure must be a mapping")
    try:
        return compile_exposure(spec)
    except ValueError as e:
        raise EffectsError(str(e)) from None


def _lower_list(raw: Mapping[str, Any], key: str, where: str = "") -> list[str]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise EffectsError(f"{where or key} must be a list")
    return [str(v).lower() for v in value]


def _pair(text: str, where: str) -> tuple[str, str]:
    """`manage.py dbshell` -> ("manage.py", "dbshell"): a program's name and its subcommand."""
    words = text.split()
    if len(words) != 2:
        raise EffectsError(f"{where}: {text!r} must be a program's name and one subcommand")
    return words[0], words[1]


def names_pair(argv: list[str], pairs: Collection[tuple[str, str]]) -> tuple[int, str] | None:
    """Where a command's words name one of `pairs` (`python3 manage.py sqlflush`: the index of
    the subcommand, and the program's name), among its first three words."""
    for k in range(min(len(argv) - 1, 3)):
        name = program_name(argv[k])
        if (name, argv[k + 1].lower()) in pairs:
            return k + 1, name
    return None


def _glob_head(glob: str) -> str:
    """A glob's literal start (`mkfs.` of `mkfs.*`): the cheap test before its pattern."""
    for i, ch in enumerate(glob):
        if ch in "*?[":
            return glob[:i]
    return glob


def _first_subs(
    entries: Mapping[str, list[Entry]], read_sub: Any, runners: Any
) -> dict[str, frozenset[str]]:
    """Per program, the words its entries, `read_subcommands` and `remote_runners` (`kubectl
    exec`, `docker run`) name as a first subcommand."""
    out: dict[str, set[str]] = {}
    for prog, es in entries.items():
        out.setdefault(prog, set()).update(n for e in es if e.subs for n in e.subs[0].names)
    for prog, words in (read_sub or {}).items():
        out.setdefault(str(prog).lower(), set()).update(str(w).lower() for w in words or ())
    for runner in runners or {}:
        prog, _, rest = str(runner).lower().partition(" ")
        if rest:
            out.setdefault(prog, set()).add(rest.split()[0])
    return {k: frozenset(v) for k, v in out.items()}


def _setting_words(raw: Any) -> dict[str, tuple[frozenset[str], int | None, int]]:
    """`setting_words`: per program, the subcommands whose words set a setting, and where."""
    out: dict[str, tuple[frozenset[str], int | None, int]] = {}
    for prog, spec in (raw or {}).items():
        where = f"setting_words.{prog}"
        if not isinstance(spec, dict) or not isinstance(spec.get("subs"), list):
            raise EffectsError(f"{where} must be a mapping with a list of `subs`")
        subs = frozenset(str(x).lower() for x in spec["subs"])
        if spec.get("pairs"):
            out[str(prog).lower()] = (subs, None, 0)
        elif isinstance(spec.get("key"), int) and isinstance(spec.get("value"), int):
            out[str(prog).lower()] = (subs, spec["key"], spec["value"])
        else:
            raise EffectsError(f"{where} needs `pairs: true` or the places `key` and `value`")
    return out


def build_table(raw: Mapping[str, Any]) -> EffectTable:
    """Compile the merged effects document (built-ins plus user additions)."""
    paths_raw = raw.get("paths") or {}
    if not isinstance(paths_raw, dict):
        raise EffectsError("paths must be a mapping")

    try:
        settings = compile_settings(
            raw.get("settings"), _lower_list(raw.get("verbs") or {}, "security_nouns")
        )
    except SettingsError as exc:
        raise EffectsError(str(exc)) from None

    def pl(key: str) -> tuple[str, ...]:
        return tuple(normalize_path(p) for p in _lower_list(paths_raw, key, "paths." + key))

    creds = _lower_list(paths_raw, "credentials")
    paths = Paths(
        all=frozenset(pl("all")),
        system=pl("system"),
        data=pl("data"),
        homes=pl("homes"),
        data_words=frozenset(_lower_list(paths_raw, "data_words")),
        temp=pl("temp"),
        temp_words=frozenset(_lower_list(paths_raw, "temp_words")),
        temp_suffixes=tuple(_lower_list(paths_raw, "temp_suffixes")),
        audit_logs=pl("audit_logs"),
        audit_words=tuple(_lower_list(paths_raw, "audit_words")),
        persistence=tuple(_lower_list(paths_raw, "persistence")),
        security_config=tuple(_lower_list(paths_raw, "security_config")),
        credentials=tuple(creds),
        credential_names=frozenset(
            c for c in creds if "/" not in c and "\\" not in c and "*" not in c
        ),
        credential_ends=ends(
            [
                *_lower_list(paths_raw, "credential_suffixes"),
                *(
                    "/" + c.lstrip("/")
                    for c in creds
                    if "/" in c and not c.endswith("/") and "*" not in c
                ),
            ]
        ),
        credential_dirs=tuple(c for c in creds if c.endswith("/") and "*" not in c),
        credential_globs=glob_matcher([c for c in creds if "*" in c]),
        credential_not=ends(_lower_list(paths_raw, "credential_not")),
        public=pl("public"),
        copy_suffixes=tuple(_lower_list(paths_raw, "copy_suffixes")),
        dump_suffixes=tuple(_lower_list(paths_raw, "dump_suffixes")),
        database_files=tuple(_lower_list(paths_raw, "database_files")),
        data_copies=tuple(
            _lower_list(paths_raw, "dump_suffixes")
            + _lower_list(paths_raw, "copy_suffixes")
            + _lower_list(paths_raw, "database_files")
            + _lower_list(paths_raw, "export_suffixes")
        ),
        store_folders=pl("store_folders"),
        account_files=frozenset(_lower_list(paths_raw, "account_files")),
        public_words=frozenset(_lower_list(paths_raw, "public_words")),
        halts=frozenset(pl("halts")),
    )
    nouns: dict[str, str] = {}
    nouns_raw = raw.get("nouns") or {}
    for scope in ("service", "infra", "data"):  # later (more severe) wins
        for n in _lower_list(nouns_raw, scope, "nouns." + scope):
            nouns[n] = scope
    verbs = raw.get("verbs") or {}
    cloud = raw.get("cloud") or {}
    entries: dict[str, list[Entry]] = {}
    commands = raw.get("commands") or []
    if not isinstance(commands, list):
        raise EffectsError("commands must be a list")
    globbed: list[tuple[str, Entry]] = []
    for i, spec in enumerate(commands):
        e = _entry(spec, i)
        for p in e.programs:
            if p.startswith("*glob*:"):
                globbed.append((p[len("*glob*:") :], e))
            else:
                entries.setdefault(p, []).append(e)
    units = raw.get("units") or {}
    stores = raw.get("store_protocols") or {}
    escapes = raw.get("shell_escapes") or {}
    read_sub = raw.get("read_subcommands") or {}
    known = set(entries) | set(_lower_list(raw, "read_programs"))
    known |= set(_lower_list(cloud, "programs")) | set(_lower_list(raw, "db_clients"))
    known |= set(_lower_list(raw, "shells")) | {str(k).lower() for k in raw.get("wrappers") or {}}
    known |= {str(k).lower() for k in raw.get("interpreters") or {}}
    known |= {str(k).split()[0].lower() for k in raw.get("remote_runners") or {}}
    known |= {str(k).lower() for k in read_sub}
    dbt = raw.get("database_tools") or {}
    known |= set(_lower_list(dbt, "tools")) | set(_lower_list(dbt, "runners"))
    whole_units = frozenset(_lower_list(raw, "whole_units"))
    retention = _retention(raw.get("retention"))
    table = EffectTable(
        entries={k: tuple(v) for k, v in entries.items()},
        sub_index={k: SubIndex.of(v) for k, v in entries.items() if len(v) >= 6},
        first_subs=_first_subs(entries, read_sub, raw.get("remote_runners")),
        secret_variables=tuple(str(x).lower() for x in raw.get("secret_variables") or ()),
        setting_words=_setting_words(raw.get("setting_words")),
        glob_entries=tuple((re.compile(translate(g)), e) for g, e in globbed),
        paths=paths,
        nouns=nouns,
        destroy_verbs=frozenset(_lower_list(verbs, "destroy")),
        weaken_verbs=frozenset(_lower_list(verbs, "weaken")),
        grant_verbs=frozenset(_lower_list(verbs, "grant")),
        change_verbs=frozenset(
            _lower_list(verbs, "destroy")
            + _lower_list(verbs, "weaken")
            + _lower_list(verbs, "grant")
        ),
        security_nouns=frozenset(_lower_list(verbs, "security_nouns")),
        admin_nouns=frozenset(_lower_list(verbs, "admin_nouns")),
        rights_keys=frozenset(_lower_list(verbs, "rights_keys")),
        rights_paths=frozenset(_lower_list(verbs, "rights_paths")),
        role_item_keys=frozenset(_lower_list(verbs, "role_item_keys")),
        rights_verbs=frozenset(_lower_list(verbs, "rights_verbs")),
        give_verbs=frozenset(_lower_list(verbs, "grant") + _lower_list(verbs, "rights_verbs")),
        lesser_admin_words=frozenset(_lower_list(verbs, "lesser_admin_words")),
        admin_realms=frozenset(_lower_list(verbs, "admin_realms")),
        numbered_roles={
            str(k).lower(): {str(n): str(r).lower() for n, r in (v or {}).items()}
            for k, v in (verbs.get("numbered_roles") or {}).items()
        },
        deploy_keys=_word_sets(
            raw, "deploy_keys", ("paths", "tools", "repositories", "default_write", "write", "read")
        ),
        credential_nouns=tuple(_lower_list(verbs, "credential_nouns")),
        credential_marks=tuple((n, f"_{n}_") for n in _lower_list(verbs, "credential_nouns")),
        credential_verbs=frozenset(_lower_list(verbs, "credential_verbs")),
        printed_marks=tuple(f"_{n}_" for n in _lower_list(verbs, "printed_credentials")),
        printed_stems=tuple(
            sorted(
                {
                    n.rsplit("_", 1)[-1].rstrip("s")
                    for n in _lower_list(verbs, "printed_credentials")
                }
            )
        ),
        minting_verbs=frozenset(_lower_list(verbs, "minting_verbs")),
        cloud_programs=frozenset(_lower_list(cloud, "programs")),
        cloud_read=frozenset(_lower_list(cloud, "read_words")),
        cloud_write=frozenset(_lower_list(cloud, "write_words")),
        cloud_verbs=frozenset(
            _lower_list(verbs, "destroy")
            + _lower_list(verbs, "weaken")
            + _lower_list(cloud, "write_words")
            + _lower_list(cloud, "read_words")
        ),
        shells=frozenset(_lower_list(raw, "shells")),
        wrappers={str(k).lower(): dict(v or {}) for k, v in (raw.get("wrappers") or {}).items()},
        read_programs=frozenset(_lower_list(raw, "read_programs")),
        read_subcommands={
            str(k).lower(): frozenset(str(x).lower() for x in (v or []))
            for k, v in read_sub.items()
        },
        db_clients=frozenset(_lower_list(raw, "db_clients")),
        db_shells=frozenset(_pair(x, "db_shells") for x in _lower_list(raw, "db_shells")),
        statement_printers={
            _pair(str(k).lower(), "statement_printers"): str(v).lower()
            for k, v in (raw.get("statement_printers") or {}).items()
        },
        stdin_args=frozenset(_lower_list(raw, "stdin_args")),
        stdin_scripts=frozenset(_lower_list(raw, "stdin_scripts")),
        store_clients=frozenset(_lower_list(stores, "clients", "store_protocols.clients")),
        store_sockets=frozenset(_lower_list(stores, "sockets", "store_protocols.sockets")),
        store_ports={str(k): str(v).lower() for k, v in (stores.get("ports") or {}).items()},
        interpreters={
            str(k).lower(): dict(v or {}) for k, v in (raw.get("interpreters") or {}).items()
        },
        remote_runners={
            str(k).lower(): dict(v or {}) for k, v in (raw.get("remote_runners") or {}).items()
        },
        shell_escapes=tuple(_lower_list(escapes, "any", "shell_escapes.any")),
        client_escapes={
            str(k).lower(): tuple(str(x).lower() for x in (v or []))
            for k, v in (escapes.get("by_client") or {}).items()
        },
        output_pipes=tuple(_lower_list(escapes, "output_pipes", "shell_escapes.output_pipes")),
        escape_heads="".join(sorted({str(x)[:1].lower() for x in escapes.get("any") or []})),
        debugger_reads=frozenset(_lower_list(escapes, "inspect", "shell_escapes.inspect")),
        security_units=frozenset(_lower_list(units, "security")),
        system_units=frozenset(_lower_list(units, "system")),
        known_programs=frozenset(known),
        glob_heads=tuple(sorted({_glob_head(g) for g, _ in globbed})),
        tool_programs=frozenset(_lower_list(raw.get("tools") or {}, "programs", "tools.programs")),
        aliases={
            str(k).lower(): str(v).lower()
            for k, v in ((raw.get("tools") or {}).get("aliases") or {}).items()
        },
        protected_branches=frozenset(_lower_list(raw, "protected_branches")),
        retention=retention,
        retention_needles=tuple(sorted({max(re.split(r"[._]", k), key=len) for k in retention})),
        dns=_word_sets(
            raw,
            "dns",
            ("types", "apex_types", "apex_names", "type_keys", "name_keys", "value_keys", "verbs"),
        ),
        field_transfers={
            **dict.fromkeys(
                _lower_list(raw.get("field_transfers") or {}, "copies", "field_transfers"), "cp"
            ),
            **dict.fromkeys(
                _lower_list(raw.get("field_transfers") or {}, "moves", "field_transfers"), "mv"
            ),
        },
        transfer_sources=tuple(
            _lower_list(raw.get("field_transfers") or {}, "sources", "field_transfers.sources")
        ),
        transfer_dests=tuple(
            _lower_list(
                raw.get("field_transfers") or {}, "destinations", "field_transfers.destinations"
            )
        ),
        ui_steps=_ui_steps(raw),
        ui_calls=tuple(
            f".{m}(" for m in _lower_list(raw.get("ui_steps") or {}, "methods", "ui_steps.methods")
        ),
        saved_plans=_word_sets(
            raw, "saved_plans", ("programs", "plan", "apply", "destroy_flags", "out_flags")
        ),
        lifecycles=_word_sets(
            raw,
            "lifecycles",
            (
                "programs",
                "subcommands",
                "document_flags",
                "within_days",
                "code_calls",
                "code_documents",
            ),
        ),  # fmt: skip
        history_rewrites=_word_sets(
            raw,
            "history_rewrites",
            (
                "subcommands",
                "filter_flags",
                "index_only_flags",
                "invert_flags",
                "path_flags",
                "everything",
            ),
        ),  # fmt: skip
        manifests=_word_sets(
            raw,
            "manifests",
            (
                "flags",
                "capabilities",
                "host_paths",
                "verbs",
                "boot_keys",
                "build_keys",
                "compose_keys",
                "command_keys",
                "argv_keys",
                "playbook_keys",
                "mount_flags",
                "container_keys",
                "lasting_flags",
                "mount_keys",
                "lasting_keys",
                "not_lasting",
            ),
        ),
        switched_off=_word_sets(raw, "switched_off", ("keys", "values", "names")),
        http_collections=frozenset(_lower_list(raw, "http_collections")),
        http_containers=frozenset(_lower_list(raw, "http_containers")),
        harmless_objects=frozenset(_lower_list(raw, "harmless_objects")),
        prose_words=frozenset(_lower_list(raw, "prose_words")),
        scratch_db_words=frozenset(_lower_list(raw, "scratch_db_words")),
        metadata_credentials=tuple(_lower_list(raw, "metadata_credentials")),
        secret_outputs=frozenset(_lower_list(raw, "secret_outputs")),
        data_packers=frozenset(_lower_list(raw, "data_packers")),
        whole_units=whole_units,
        whole_verbs=frozenset(_lower_list(raw, "whole_verbs")),
        listing_filters=frozenset(_lower_list(raw, "listing_filters")),
        serve_here=frozenset(_lower_list(raw, "serve_here")),
        glued_verbs=frozenset(
            x
            for x in [
                *_lower_list(verbs, "destroy"),
                *_lower_list(verbs, "grant"),
                *_lower_list(verbs, "rights_verbs"),
                *_lower_list(cloud, "read_words"),
            ]
            if x.isalpha() and len(x) <= _GLUED_VERB_MAX
        ),
        glued_nouns=frozenset(nouns)
        | whole_units
        | frozenset(x for x in _lower_list(verbs, "admin_nouns") if x.isalpha())
        | _ACCOUNT_NOUNS,
        data_dumpers={
            str(prog).lower(): (
                frozenset(str(x).lower() for x in spec.get("when") or ()),
                frozenset(str(x).lower() for x in spec.get("out") or ()),
                frozenset(str(x).lower() for x in spec.get("unless") or ()),
            )
            for prog, spec in (raw.get("data_dumpers") or {}).items()
        },
        locked_out=_word_sets(raw, "locked_out", ("verbs", "nouns", "everyone", "by_status")),
        identity_controls=_word_sets(raw, "identity_controls", ("hosts", "controls", "verbs")),
        device_wipes=_word_sets(raw, "device_wipes", ("verbs", "nouns")),
        script_consoles=_word_sets(raw, "script_consoles", ("paths", "fields")),
        shared_with_everyone=_word_sets(
            raw,
            "shared_with_everyone",
            ("keys", "values", "all_keys", "private_keys", "private_of"),
        ),
        migrations=_word_sets(
            raw, "migrations", ("nouns", "wipe", "back", "extent_keys", "everything")
        ),
        database_tools=_database_tools(raw),
        powershell_verbs=frozenset(_lower_list(raw, "powershell_verbs")),
        dry_run_flags=tuple(_lower_list(raw, "dry_run_flags")),
        package_source_flags=frozenset(_lower_list(raw, "package_source_flags")),
        dry_run_not=tuple(_lower_list(raw, "dry_run_not")),
        dry_run_short={
            str(k).lower(): tuple(str(f) for f in v or ())
            for k, v in (raw.get("dry_run_short") or {}).items()
        },
        credential_untouched_by=frozenset(_lower_list(paths_raw, "credential_untouched_by")),
        git_run_settings=tuple(_lower_list(raw, "git_run_settings")),
        settings=settings,
        exposure=_exposure(raw),
        code_calls=CodeCalls(raw.get("code") or {}),
        raw=raw,
    )
    return table


# ----------------------------------------------------------------------------- judging


class Sink:
    """Data leaving through a command: to `dest` (URL, host, address), from files or stdin."""

    __slots__ = ("dest", "files", "stdin", "what", "words", "outside")

    def __init__(
        self,
        dest: str,
        files: list[str],
        stdin: bool,
        what: str,
        words: list[str] | None = None,
        outside: bool = False,
    ) -> None:
        self.dest = dest
        self.files = files
        self.stdin = stdin
        self.what = what  # the command, for explanations
        self.words = words if words is not None else []  # its words (substitutions inside)
        self.outside = outside  # a destination outside by nature (a cloud storage remote)


class Judged:
    """What one simple command does."""

    __slots__ = ("effects", "kind", "sinks", "downloads", "code_sources", "unit_amounts",
                 "amounts", "stdout_download", "urls", "nested", "method", "request",
                 "scripts")  # fmt: skip

    def __init__(self) -> None:
        self.effects: list[Effect] = []
        self.kind = ""  # read | write | exec ("" until known)
        self.sinks: list[Sink] = []
        self.downloads: list[str] = []  # files fetched from a URL
        self.code_sources: list[str] = []  # package indexes code comes from
        self.unit_amounts: list[tuple[float, str]] = []  # (units, asset) sent
        self.amounts: list[float] = []  # money sent, in major units
        self.stdout_download = False  # fetched content written to stdout (pipe-able)
        self.urls: list[str] = []
        self.nested: list[str] = []  # command texts this one defines (alias)
        self.method = ""
        # an HTTP write with a body, as the fields of the request (`{"method", "url", "json"}`)
        self.request: dict[str, Any] | None = None
        self.scripts: list[str] = []  # code a request hands a server to run (a script console)

    def add(self, kind: str, scope: str, text: str) -> None:
        e = Effect(kind, scope, text)
        if e not in self.effects:
            self.effects.append(e)


def describe(explain: str, scope: str, recursive: bool, text: str) -> str:
    what = explain or "changes"
    if recursive and not what.endswith("recursively"):
        what += " recursively"
    where = SCOPE_WORDS.get(scope, "")
    cmd = " ".join(text.split())
    if len(cmd) > 100:
        cmd = cmd[:99] + "…"
    return f"{what} {where}: {cmd}" if where else f"{what}: {cmd}"


_CURL_VALUE_FLAGS: Final = frozenset(
    [
        "-x",
        "--request",
        "-h",
        "--header",
        "-d",
        "--data",
        "--data-raw",
        "--data-binary",
        "--data-urlencode",
        "--data-ascii",
        "-f",
        "--form",
        "--form-string",
        "-o",
        "--output",
        "-u",
        "--user",
        "-a",
        "--user-agent",
        "-e",
        "--referer",
        "-b",
        "--cookie",
        "-c",
        "--cookie-jar",
        "-t",
        "--upload-file",
        "-w",
        "--write-out",
        "--connect-timeout",
        "-m",
        "--max-time",
        "--retry",
        "--proxy",
        "--resolve",
        "--cacert",
        "--cert",
        "--key",
        "-k_",
        "-K",
        "--config",
        "-r",
        "--range",
        "-y",
        "-Y",
        "--limit-rate",
        "--json",
        "--url",
        "--output-dir",
        "--variable",
        "--expect100-timeout",
        "--max-filesize",
        "-z",
        "--time-cond",
        "--method",
        "--header",
        "--post-data",
        "--post-file",
        "--body-data",
        "--body-file",
        "-p",
        "--directory-prefix",
        "--output-document",
        "--output-file",
        "--user-agent",
        "--password",
        "--http-user",
        "--http-password",
        "-uri",
        "-method",
        "-body",
        "-infile",
        "-outfile",
        "-headers",
        "-contenttype",
        "-credential",
        "-usebasicparsing_",
        "-source",
        "-destination",
        "-timeoutsec",
        "-sessionvariable",
        "-websession",
        "-form",
    ]
)
_DATA_FLAGS: Final = frozenset(
    [
        "-d",
        "--data",
        "--data-raw",
        "--data-binary",
        "--data-urlencode",
        "--data-ascii",
        "-f",
        "--form",
        "--json",
        "--post-data",
        "--body-data",
        "-body",
    ]
)
_FILE_FLAGS: Final = frozenset(["-t", "--upload-file", "--post-file", "--body-file", "-infile"])
_OUT_FLAGS: Final = frozenset(["-o", "--output", "--output-document", "-outfile"])
_URL: Final = re.compile(r"^(?:https?|ftp|ftps|sftp|wss?)://", re.I)
_HOSTISH: Final = re.compile(r"^[a-z0-9][a-z0-9.-]*\.[a-z]{2,24}(?::\d+)?(?:/\S*)?$", re.I)


def http_request(table: EffectTable, w: Words, j: Judged) -> None:
    """curl, wget, Invoke-WebRequest and their kin: method, URLs, uploads, downloads."""
    argv = w.argv
    prog = w.program
    if prog in ("certutil", "bitsadmin", "start-bitstransfer"):
        # Windows downloaders: `certutil -urlcache -f URL FILE`, `bitsadmin /transfer n URL FILE`
        pos = [a for a in argv[1:] if not a.startswith(("-", "/")) or _URL.match(a)]
        fetched = [a for a in pos if _URL.match(a)]
        if fetched:
            after = pos[pos.index(fetched[0]) + 1 :]
            j.urls.extend(fetched)
            j.method = "GET"
            j.kind = "read"
            if after:
                j.downloads.append(after[0])
        return
    method = ""
    files: list[str] = []
    stdin = False
    out_file = ""
    stdout = prog in ("curl", "http", "https", "xh", "httpie", "curlie", "invoke-restmethod", "irm")
    urls: list[str] = []
    bodies: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        low = a.lower()
        name, eq, inline = low.partition("=")
        value = a[len(name) + 1 :] if eq and name.startswith("-") else ""
        if low.startswith("-") and not eq and low in _CURL_VALUE_FLAGS and i + 1 < len(argv):
            value = argv[i + 1]
            i += 1
            name = low
        elif not low.startswith("-"):
            if _URL.match(a) or (_HOSTISH.match(a) and "." in a.split("/")[0]):
                urls.append(a if "://" in a else "http://" + a)
            elif prog in ("gh", "glab") and "/" in a and a not in ("api",):
                urls.append(
                    ("https://api.github.com/" if prog == "gh" else "https://gitlab.com/api/v4/")
                    + a.lstrip("/")
                )
            elif prog in ("certutil", "bitsadmin", "start-bitstransfer") and urls:
                out_file = a
            i += 1
            continue
        elif low in ("-o", "-o-") or low == "-qo-":
            pass
        # flags without values
        if name in ("-x", "--request", "--method", "-method"):
            method = value.upper()
        elif prog == "curl" and low.startswith("-x") and len(low) > 2 and low[2:].isalpha():
            method = a[2:].upper()  # `-XDELETE`: the value glued to the short option
        elif name in _DATA_FLAGS:
            if not method:
                method = "POST"
            bodies.append(value)
            for part in (value, value.split("=", 1)[-1]):
                if part.startswith("@") or part.startswith("<"):
                    src = part[1:].split(";", 1)[0]
                    if src in ("-", "/dev/stdin"):
                        stdin = True
                    elif src:
                        files.append(src)
                    break
            if name == "-body" and "$input" in value.lower():
                stdin = True
        elif name in _FILE_FLAGS:
            method = method or "PUT" if name in ("-t", "--upload-file") else method or "POST"
            if value in ("-", ".", "/dev/stdin"):
                stdin = True
            elif value:
                files.append(value)
        elif name in _OUT_FLAGS:
            if value in ("-", "/dev/stdout"):
                stdout = True
            else:
                out_file = value
                stdout = False
        elif name in ("--url", "-uri", "-source"):
            urls.append(value)
        elif name in ("-i", "--head") and prog == "curl" and not value:
            method = method or "HEAD"
        i += 1
    if prog == "curl":
        if any(x in ("-o", "--remote-name", "-j", "--remote-name-all") for x in argv[1:]) or any(
            len(x) > 1 and x[0] == "-" and x[1] != "-" and "O" in x for x in argv[1:]
        ):
            if urls and not out_file:
                out_file = urls[0].rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
            stdout = False
    elif prog in ("wget", "wget2"):
        qo = any(x in ("-O-", "-qO-", "-O", "-") for x in argv[1:])
        if qo and ("-O-" in argv or "-qO-" in argv or "-" in argv):
            stdout = True
        elif urls and not out_file:
            out_file = urls[0].rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
            stdout = False
    elif prog in ("invoke-webrequest", "iwr") and not out_file:
        stdout = True
    j.urls.extend(urls)
    j.method = method or "GET"
    if out_file:
        j.downloads.append(out_file)
    j.stdout_download = stdout and bool(urls)
    # a download to a file writes that file; one to the terminal (or a pipe) only reads
    j.kind = (
        "read"
        if j.method in ("GET", "HEAD", "OPTIONS") and not files and not stdin and not out_file
        else "write"
    )
    if (files or stdin or method in ("POST", "PUT", "PATCH")) and urls:
        j.sinks.append(Sink(urls[0], files, stdin, w.text, argv))
    elif urls:
        # a GET can carry data too: in the URL (`?k=$(cat .env)`)
        j.sinks.append(Sink(urls[0], [], False, w.text, argv))
    if j.method == "POST" and urls and bodies:
        j.scripts.extend(console_scripts(table, urls[0], bodies))
    if j.method in ("POST", "PUT") and urls and device_wipe(table, urls[0]):
        j.add("destroy", "all", describe("wipes a device", "", False, w.text))
    if j.method == "DELETE" and urls:
        url_delete(table, urls[0], w.text, j)
    elif bodies and j.method in ("PUT", "POST", "PATCH") and urls:
        body = request_body(bodies)
        if body:  # judged as the same request given as fields (what its body sets or grants)
            j.request = {"method": j.method, "url": urls[0], "json": body}
        _rights_granted(table, urls[0], bodies, w.text, j)
        if any(b.replace(" ", "").lower() in _FORCE_BODIES for b in bodies[:8]):
            e = forced_push(table, urls[0], w.text)  # `gh api -X PATCH … -F force=true`
            if e is not None:
                j.add(e.kind, e.scope, e.text)


def request_body(bodies: list[str]) -> dict[str, Any]:
    """A command line's request body as fields: a JSON object (`-d '{"value":"off"}'`), or
    `k=v` pairs (`-f permission=admin`, `-d 'a=1&b=2'`); files and stdin (`@x`) say nothing."""
    out: dict[str, Any] = {}
    for body in bodies[:16]:
        b = body.strip()
        if b.startswith("{") and len(b) <= 65536:
            try:
                value = json.loads(b)
            except ValueError:
                continue
            if isinstance(value, dict):
                out.update(value)
        elif "=" in b and not b.startswith(("@", "<")) and len(b) <= 4096:
            for pair in b.split("&")[:32]:
                k, eq, v = pair.partition("=")
                if eq and k and " " not in k and not v.startswith(("@", "<")):
                    out[k] = v  # (`file=@/etc/shadow` is a file the sink sends)
    return out


_LOCAL_REMOTE: Final = ("/", "./", "../", "~", "file://")
_FORCE_BODIES: Final = frozenset({"force=true", '"force":true', "force:true"})


def forced_push(table: EffectTable, url: str, text: str) -> Effect | None:
    """A forge's ref moved by force (`…/git/refs/heads/main`): a force-push of that branch."""
    path = url.split("://", 1)[-1].split("?", 1)[0].lower()
    head, sep, branch = path.partition("/git/refs/heads/")
    ref = branch.strip("/") if sep else ""
    if not ref:
        return None
    scope = "data" if ref in table.protected_branches else "item"
    what = "force-pushes a protected branch" if scope == "data" else "force-pushes"
    return Effect("force_push", scope, describe(what, "", False, text))


_BODY_PAIR: Final = re.compile(
    r"([a-z_]{1,40})[\"']?\s{0,4}[:=]\s{0,4}[\"']?([a-z][a-z_ -]{0,40})", re.I
)


def admin_role(table: EffectTable, role: str) -> bool:
    """A role's name is an administrator's: whole (`owner`, `Global Administrator`, a fixed id)
    or by a word of it (`SUPER_ADMIN`, `org-admin`) that no lesser word narrows
    (`READ_ONLY_ADMIN`, `HELP_DESK_ADMIN`: `lesser_admin_words`)."""
    low = role.strip().lower()
    name = low.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    if name in table.admin_nouns or low in table.admin_nouns:
        return True
    parts = set(word_parts(name))
    return not parts.isdisjoint(table.admin_nouns) and parts.isdisjoint(table.lesser_admin_words)


def _rights_granted(table: EffectTable, url: str, bodies: list[str], text: str, j: Judged) -> None:
    """A write to who may do what (`PUT …/collaborators/jdoe -f permission=admin`): an
    administrator's role in the body is a takeover, any other role a change of access."""
    path = url.lower().split("://", 1)[-1].split("?", 1)[0]
    if table.rights_paths.isdisjoint(path.split("/")[1:]):
        return
    for body in bodies[:8]:
        for m in _BODY_PAIR.finditer(body[:4096]):
            key = m.group(1).lower()
            if key not in table.rights_keys and key not in table.role_item_keys:
                continue
            role = m.group(2).strip().lower()
            if admin_role(table, role):
                j.add("escalate", "all", describe("grants administrator rights", "", False, text))
                return
            j.add("access_change", "", describe("changes access rights", "", False, text))
            return


# an item's id: a number, a UUID, a hex id (Mongo's 24 digits, Cloudflare's 32)
_ITEM_ID: Final = re.compile(r"\d{1,20}|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{24}|[0-9a-f]{32}")


_PROTECTIONS: Final = frozenset({"protected_branches", "protected_tags", "protected_environments"})


def console_scripts(table: EffectTable, url: str, bodies: list[str]) -> list[str]:
    """The code a POST hands a server's script console to run (`script_consoles`: Jenkins's
    `…/scriptText`, its body's `script=`), URL-decoded when it came encoded."""
    path = url[:2048].split("://", 1)[-1].split("?", 1)[0].rstrip("/")
    if path.rsplit("/", 1)[-1].lower() not in table.script_consoles["paths"]:
        return []
    out: list[str] = []
    for body in bodies[:8]:
        name, eq, value = body.partition("=")
        if eq and name.strip().lower() in table.script_consoles["fields"]:
            out.append(unquote_plus(value) if "%" in value else value)
    return out


def device_wipe(table: EffectTable, url: str) -> bool:
    """A write to a device management API's wipe or erase path (`device_wipes`)."""
    dw = table.device_wipes
    segs = [s.lower() for s in url[:2048].split("://", 1)[-1].split("?", 1)[0].split("/")[1:]]
    at = next((i for i, s in enumerate(segs) if s in dw["verbs"]), -1)
    return at > 0 and not dw["nouns"].isdisjoint(segs[:at])


def url_delete(table: EffectTable, url: str, text: str, j: Judged) -> None:
    """An HTTP DELETE: the resource the path names decides the scope."""
    path = url.split("://", 1)[-1].split("?", 1)[0]
    segs = [s.lower() for s in path.split("/")[1:] if s]
    words: list[str] = []
    for s in segs:
        words.extend(x for x in NOT_ALNUM_RUN.split(s) if x)
    if set(words) & table.security_nouns or not _PROTECTIONS.isdisjoint(segs):
        # GitLab's `…/protected_branches/main`: the protection goes, not the branch
        j.add(
            "weaken_security",
            "",
            describe("deletes a security control", "", False, f"DELETE {url}"),
        )
        return
    for i, s in enumerate(segs[:-1]):
        # a Git ref or branch of a forge's API (`…/git/refs/heads/main`, `…/branches/main`)
        if s in ("heads", "branches") or (s == "refs" and segs[i + 1] not in ("heads", "branches")):
            if "/".join(segs[i + 1 :]) in table.protected_branches:
                j.add("force_push", "data", describe("deletes a protected branch", "", False, url))
            else:
                j.add("force_push", "item", describe("deletes a branch", "", False, url))
            return
    scope = table.noun_scope(words)
    last = segs[-1] if segs else ""
    if (
        len(segs) > 2
        and table.noun_scope(word_parts(segs[-2])) == "item"
        and segs[-2].replace("_", "").replace("-", "").isalpha()
        and (
            _ITEM_ID.fullmatch(last) is not None
            or (len(segs) > 3 and table.noun_scope(word_parts(segs[-4])) == "service")
        )
    ):
        # `…/issues/comments/1234`, `…/zones/<id>/dns_records/<id>`: one item of a collection
        # the table never names (what the path names before it is where the item sits); so is
        # a named item of a deployed app's part (`/apps/acme-prod/dynos/web.1`)
        scope = "item"
    if len(segs) > 1 and segs[-2] in table.http_containers:
        scope = "data"  # a wiki's space or a board, with every page or card it holds
    if last in ("*", "_all") or last.endswith("*"):
        scope = "data"
    elif (
        last in table.http_collections
        and "?" not in url
        and (len(segs) == 1 or _API_PREFIX.fullmatch(segs[-2]) is not None)
    ):
        scope = "data"  # `DELETE /v1/customers`: the whole collection, no id after it
        j.add("destroy", scope, describe("deletes every record of", "", False, f"DELETE {url}"))
        return
    j.add("destroy", scope, describe("deletes", scope, False, f"DELETE {url}"))


def git_push(table: EffectTable, w: Words, j: Judged, k: int) -> None:
    rest = [w.argv[1 + i] for i in w.positional[k:]]
    refs = rest[1:] if len(rest) > 1 else []
    low = w.low
    force = any(
        x in ("-f", "--force", "--force-with-lease", "--force-if-includes")
        or x.startswith("--force-with-lease=")
        or (len(x) > 1 and x[0] == "-" and x[1] != "-" and x[1:].isalpha() and "f" in x)
        for x in low
    ) or any(r.startswith("+") for r in refs)
    delete = "--delete" in low or "-d" in low or any(r.startswith(":") for r in refs)
    # a mirror into a local folder (a backup) overwrites nobody's history
    mirror = "--mirror" in low and not (rest and rest[0].startswith(_LOCAL_REMOTE))
    protected = table.protected_branches
    hit = "--all" in low and force
    for r in refs:
        ref = r.split(":")[-1].lstrip("+").lower()
        if ref.startswith("refs/heads/"):
            ref = ref[len("refs/heads/") :]
        parts = ref.split("/")
        if ref in protected or parts[0] in protected or parts[-1] in protected:
            hit = True
    j.kind = "write"
    if mirror or ((force or delete) and hit):
        what = "deletes a protected branch" if delete else "force-pushes a protected branch"
        if mirror:
            what = "overwrites every remote branch"
        j.add("force_push", "data", describe(what, "", False, w.text))
    elif force or delete:
        what = "deletes a branch" if delete else "force-pushes a branch"
        j.add("force_push", "item", describe(what, "", False, w.text))


def _names_after(w: Words, flags: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    argv = w.argv
    for i in range(1, len(argv)):
        if argv[i].lower() in flags and i + 1 < len(argv):
            out.append(argv[i + 1])
    return out


def _unit(name: str) -> str:
    n = program_name(name)
    for suffix in (".service", ".socket", ".target", ".timer", ".plist"):
        if n.endswith(suffix):
            n = n[: -len(suffix)]
    n = n.strip("'\"").lower()
    if n.count(".") >= 2:  # a launchd label (`system/com.apple.auditd`): its last part
        n = n.rsplit(".", 1)[-1]
    return n


def service_stop(table: EffectTable, w: Words, j: Judged, k: int) -> None:
    units = [w.low[i] for i in w.positional[k:]]
    if w.program in ("service", "rc-service") and w.positional:
        units = [w.low[w.positional[0]]]
    units += [u.lower() for u in _names_after(w, ("-name", "-displayname", "-servicename"))]
    names = {_unit(u) for u in units if u and not u.startswith("-")}
    names.discard("stop")
    names.discard("disable")
    j.kind = "write"
    what = f"stops {', '.join(sorted(names))}" if names else "stops a service"
    if names & table.security_units or any(n.startswith("wazuh") for n in names):
        j.add("weaken_security", "", describe(what, "", False, w.text))
        j.add("stop_service", "service", describe(what, "", False, w.text))
    elif names & table.system_units:
        j.add("stop_service", "system", describe(what, "", False, w.text))
    else:
        j.add("stop_service", "service", describe(what, "", False, w.text))


def kill(table: EffectTable, w: Words, j: Judged) -> None:
    j.kind = "write"
    prog = w.program
    targets: list[str] = []
    if prog in ("kill", "skill", "tkill"):
        for i in w.positional:
            targets.append(w.low[i])
        if "-1" in w.low[-1:]:
            targets.append("-1")
        if any(t in ("1", "-1") for t in targets):
            j.add("stop_service", "system", describe("kills every process", "", False, w.text))
            return
        j.add("stop_service", "item", describe("kills a process", "", False, w.text))
        return
    if prog in ("taskkill",):
        targets = [t.lower() for t in _names_after(w, ("/im", "-im"))]
    elif prog in ("stop-process", "spps"):
        targets = [t.lower() for t in _names_after(w, ("-name", "-processname"))]
        targets += [w.low[i] for i in w.positional]
    else:
        targets = [w.low[i] for i in w.positional]
    names = {_unit(t) for t in targets if not t.startswith("-")}
    what = f"kills {', '.join(sorted(names))}" if names else "kills processes"
    if names & table.security_units:
        j.add("weaken_security", "", describe(what, "", False, w.text))
        j.add("stop_service", "item", describe(what, "", False, w.text))
    elif names & table.system_units or "*" in names or (prog == "killall5"):
        j.add("stop_service", "system", describe(what, "", False, w.text))
    else:
        j.add("stop_service", "item", describe(what, "", False, w.text))


_OCTAL: Final = re.compile(r"^[0-7]{3,4}$")
_CAMEL: Final = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM: Final = re.compile(r"([A-Z]+)([A-Z][a-z])")
_PART_SEPARATORS: Final = re.compile(r"[-_:./\s]+")


def chmod(table: EffectTable, w: Words, j: Judged) -> None:
    j.kind = "write"
    pos = [w.argv[1 + i] for i in w.positional]
    if not pos:
        return
    mode, targets = pos[0].lower(), pos[1:]
    recursive = has_flag(w, "-R") or has_flag(w, "--recursive")
    setuid = world = world_read = False
    if _OCTAL.match(mode):
        digits = mode[-3:]
        setuid = len(mode) == 4 and mode[0] in "4567" or len(mode) == 4 and mode[0] in "2367"
        world = digits[2] in "2367"
        world_read = digits[2] in "4567"
    else:
        for clause in mode.split(","):
            who, _, perms = clause.partition("+") if "+" in clause else clause.partition("=")
            if "s" in perms:
                setuid = True
            if "w" in perms and (("o" in who) or ("a" in who)):
                world = True
            if "r" in perms and (("o" in who) or ("a" in who) or not who):
                world_read = True
    scopes = [table.path_scope(t, recursive) for t in targets]
    scope = worst_scope(scopes) if scopes else "item"
    text = w.text
    if setuid and targets:
        j.add("escalate", "all", describe("sets the setuid bit on", "", False, text))
    elif world and (scope in ("all", "system", "data") or any("docker.sock" in t for t in targets)):
        j.add("weaken_security", "", describe("makes world-writable", scope, recursive, text))
    elif world_read and any(
        table.is_credential(t) or normalize_path(t) in ("/etc/shadow", "/etc/sudoers")
        for t in targets
    ):
        j.add(
            "weaken_security",
            "",
            describe("makes a credential file readable by all", "", False, text),
        )


def chown(table: EffectTable, w: Words, j: Judged) -> None:
    j.kind = "write"
    pos = [w.argv[1 + i] for i in w.positional]
    recursive = has_flag(w, "-R") or has_flag(w, "--recursive")
    targets = pos[1:]
    scope = worst_scope([table.path_scope(t, recursive) for t in targets]) if targets else "item"
    if recursive and scope in ("all", "system"):
        j.add("weaken_security", "", describe("hands over ownership of", scope, True, w.text))
    elif any(normalize_path(t) in ("/etc/shadow", "/etc/sudoers", "/etc/passwd") for t in targets):
        j.add("weaken_security", "", describe("hands over ownership of", "system", False, w.text))


def alias(w: Words, j: Judged) -> None:
    """`alias sudo='rm -rf /'` defines what a common command will do: its body is judged.
    `alias` alone, or given names only, prints the aliases defined."""
    j.kind = "read"
    for a in w.argv[1:]:
        name, eq, body = a.partition("=")
        if eq or (a[:1] != "-" and w.program != "alias"):
            j.kind = "write"
        if eq and body.strip():
            j.nested.append(body)
    if w.program in ("set-alias", "new-alias", "sal"):
        j.nested.extend(_names_after(w, ("-value",)))


# Words that may follow an administrator's noun in what is granted (`grant_admin_role`,
# `add_user_to_admins_group`); any other word is the thing acted on (`create_admin_report`).
_RIGHTS_TAIL: Final = frozenset({"user", "users", "role", "roles", "right", "rights", "access",
                          "privilege", "privileges", "permission", "permissions", "account",
                          "accounts", "group", "groups", "member", "members", "membership",
                          "memberships", "status", "level", "to", "for", "of", "on", "in",
                          "policy", "policies", "binding", "bindings", "grant", "grants"})  # fmt: skip


def _compounds(parts: list[str]) -> set[str]:
    """Each part, and each two and three in a row joined by `-`: the nouns a name is built
    from (`delete-flow-logs` names `flow-logs`; `master-authorized-networks`,
    `authorized-networks`)."""
    out = set(parts)
    for n in range(len(parts) - 1):
        out.add(f"{parts[n]}-{parts[n + 1]}")
        if n + 2 < len(parts):
            out.add(f"{parts[n]}-{parts[n + 1]}-{parts[n + 2]}")
    return out


def verb_noun(table: EffectTable, words: list[str], text: str, j: Judged) -> bool:
    """`<noun> <verb>` / `<verb>-<noun>` words (a cloud CLI's subcommand, an API operation, a tool
    name): a destroy verb deletes the named resource; a weaken verb with a security noun weakens
    security; a grant verb with an admin noun escalates. True when it found one."""
    parts: list[str] = []
    for word in words:
        parts.extend(word_parts(word))
    pset = set(parts)
    nounset = _compounds(parts) | {w.lower() for w in words}
    security = bool(nounset & table.security_nouns)
    if security and (pset & table.weaken_verbs):
        j.add("weaken_security", "", describe("turns a security control off", "", False, text))
        return True
    if pset & table.destroy_verbs:
        scope = table.noun_scope(parts + [w.lower() for w in words])
        for word in words:  # `remove-iam-policy-binding`: the verb's own object, not the group
            wp = word_parts(word)
            verb = next((i for i, p in enumerate(wp) if p in table.destroy_verbs), -1)
            if verb >= 0 and len(wp) > verb + 1 and not (set(wp[verb + 1 :]) & table.destroy_verbs):
                scope = table.noun_scope(wp[verb + 1 :])
                if not _LOG_NOUNS.isdisjoint(wp[verb + 1 :]):
                    scope = "item"  # a log's group or stream holds logs (audit trails: `_cloud`)
                break
        j.add("destroy", scope, describe("deletes", scope, False, text))
        return True
    # the rights come after the verb (`grant_admin`, `add-user-to-admins`); a name that only
    # starts with its area (`db_admin {"operation": "create_index"}`) grants nothing
    # (and are what is granted: `create_admin_report` makes a report)
    if (
        pset & table.grant_verbs
        and nounset & table.admin_nouns
        and (
            _gives_admin(table, parts)
            or any(w.lower() in table.admin_nouns for w in words if " " in w)
        )
    ):
        j.add("escalate", "all", describe("grants administrator rights", "", False, text))
        return True
    if pset & table.grant_verbs and not nounset.isdisjoint(_GRANTED_RIGHTS):
        # `add_collaborator`, `GitHubManageCollaborator {"action": "add"}`, `grant_permission`
        j.add("access_change", "", describe("changes who may use it", "", False, text))
        return True
    return False


# What a grant verb gives someone when it names one of these: rights over a resource.
# (A network ACL's entry says which packets pass, not who: `acl` is not among them.)
_GRANTED_RIGHTS: Final = frozenset({"collaborator", "collaborators", "permission", "permissions",
                             "grant", "grants", "privilege", "privileges", "role-assignment",
                             "rolebinding", "role-binding"})  # fmt: skip


def _gives_admin(table: EffectTable, parts: list[str]) -> bool:
    """A grant verb (`verbs.grant`) whose object is an administrator (`grant-admin-role`,
    `createsuperuser`): an admin noun last, or followed only by words that say rights."""
    first = next((i for i, p in enumerate(parts) if p in table.grant_verbs), -1)
    if first < 0:
        return False
    after = parts[first + 1 :]
    tail = len(after)  # where the words that only say rights start
    while tail and after[tail - 1] in _RIGHTS_TAIL:
        tail -= 1
    return any(p in table.admin_nouns for p in after[max(tail - 1, 0) :])


# A program the table does not know, told to delete everything it holds: a destroy verb in its
# subcommand or as a flag, and a target that is everything (`nats stream rm --all`,
# `consul kv delete -recurse /`, `etcdctl del "" --prefix`).
_DELETE_FLAGS: Final = frozenset(
    {"--delete", "--purge", "--drop", "--wipe", "--destroy", "--remove"}
)
_EVERY_FLAGS: Final = frozenset({"--all", "-a", "--all-namespaces", "--everything", "--prefix",
                          "-recurse", "--recurse", "-r", "-rf", "--recursive", "--from-key"})  # fmt: skip
_EVERY_ARGS: Final = frozenset({"*", ".*", "/", "", "all", "everything", "'*'", "*:*", "**"})
_EVERY_WHOLE: Final = frozenset({"--all", "--everything", "--all-namespaces"})  # need no target


# A `group:verb` subcommand word (`apps:destroy`, `pg:backups:capture`): one even after a flag.
_GROUP_VERB: Final = re.compile(r"[a-z][a-z0-9-]{0,40}(?::[a-z][a-z0-9-]{0,40}){1,3}")


_GLUED_VERB_MAX: Final = 12  # letters of the longest verb read in a glued word (`decommission`)
# Who an account-giving or account-deleting subcommand names (`createuser`, `deluser`).
_ACCOUNT_NOUNS: Final = frozenset({"user", "users", "account", "accounts", "member", "members",
                            "role", "roles", "group", "groups"})  # fmt: skip


def glued_parts(table: EffectTable, word: str) -> list[str]:
    """A one-word subcommand glued from a verb and its noun (`createuser`, `deleteapp`,
    `dropdatabase`, `listusers`) as those two words; any other word as its own parts."""
    parts = word_parts(word)
    if len(parts) != 1 or len(word) < 5 or not word.isalpha():
        return parts
    for n in range(min(len(word) - 2, _GLUED_VERB_MAX), 1, -1):  # the longest verb first
        if word[:n] in table.glued_verbs and word[n:] in table.glued_nouns:
            return [word[:n], word[n:]]
    return parts


def _subcommand_word(w: Words, n: int) -> bool:
    """Whether the `n`th positional word of an unknown CLI can be a subcommand: not an option's
    value (a `group:verb` word is one even after a flag: `dokku --force apps:destroy`), nor a
    setting given to the command (`deletion_allowed=true`)."""
    word = w.low[w.positional[n]]
    return (not w.after_flag[n] or _GROUP_VERB.fullmatch(word) is not None) and "=" not in word


def _subcommand_parts(table: EffectTable, w: Words) -> list[str]:
    """The words of an unknown CLI's leading subcommands, glued ones split (`glued_parts`), up
    to a verb that takes an object and deletes nothing (`describe`, `select`, `view`): what
    follows it is that object's name (`kubectl describe pod drop-table-migrator`, `terraform
    workspace select db-reset-test`), not a subcommand."""
    parts: list[str] = []
    for n, i in enumerate(w.positional[:3]):
        word = w.low[i]
        if not _subcommand_word(w, n) or " " in word:
            continue
        parts.extend(glued_parts(table, word))
        if word in _PICK_VERBS or (word in table.cloud_verbs and word not in table.destroy_verbs):
            break
    return parts


# Verbs that pick or make an object by its name (`workspace select NAME`, `git switch NAME`,
# `workspace new NAME`): the name after them is no subcommand, whatever words it is made of.
_PICK_VERBS: Final = frozenset(
    {"select", "use", "use-context", "switch", "checkout", "open", "cd", "new"}
)


def credential_change_words(table: EffectTable, w: Words) -> bool:
    """Whether a command's leading subcommand words change a credential (`user update`,
    `update-login-profile`), not only use one to log in."""
    return not table.credential_verbs.isdisjoint(_subcommand_parts(table, w))


def destroy_words(table: EffectTable, w: Words) -> bool:
    """Whether a command's subcommand words hold a deleting verb (`ipa user-del`, `java -jar
    jenkins-cli.jar -s URL delete-job`: the first words that are no option's value)."""
    if not table.destroy_verbs.isdisjoint(_subcommand_parts(table, w)):
        return True
    words = [w.low[i] for n, i in enumerate(w.positional[:8]) if not w.after_flag[n]][:3]
    return any(not table.destroy_verbs.isdisjoint(word_parts(x)) for x in words)


def _mints_credential(table: EffectTable, w: Words, j: Judged) -> None:
    """`npm token create`, `az ad sp credential reset`: a credential made and printed, judged as
    read (its output carries a secret), whatever the program."""
    head = " ".join([w.low[i] for i in w.positional[:5]])
    if not any(stem in head for stem in table.printed_stems):
        return  # (most commands: no credential's name among their first words)
    parts: list[str] = []
    for n, i in enumerate(w.positional[:5]):
        word = w.argv[1 + i]
        if not w.after_flag[n] and _SUBCOMMAND.fullmatch(word) is not None:
            parts.extend(word_parts(word))
    if table.minting_verbs.isdisjoint(parts):
        return
    joined = "_" + "_".join(parts) + "_"
    if any(mark in joined for mark in table.printed_marks):
        j.add("read_secret", "", describe("makes a credential and prints it", "", False, w.text))


def _unknown_destroy(table: EffectTable, w: Words, j: Judged) -> None:
    if (
        w.program in table.db_clients
        or w.program in table.interpreters
        or w.program in table.wrappers
        or w.program in table.remote_runners
    ):
        return  # their words are statements, code and commands, judged by their own analysers
    parts = _subcommand_parts(table, w)
    verb = bool(set(parts) & table.destroy_verbs) or any(a in _DELETE_FLAGS for a in w.low)
    if not verb:
        return
    flags = {a.split("=", 1)[0] for a in w.low if a.startswith("-")}
    targets = [w.low[i] for i in w.positional]
    every = bool(flags & _EVERY_WHOLE) or (
        any(t.strip("'\"") in _EVERY_ARGS for t in targets) and bool(flags & _EVERY_FLAGS)
    )
    if not every and not any(t.strip("'\"") in ("*", ".*", "**") for t in targets):
        # `turso db destroy x`: what the subcommand's noun names (`nouns`), as cloud CLIs
        scratch = any(table.store_scope(t) == "temp" for t in targets[:8])
        if table.noun_scope(parts) == "data" and not any(
            table.scratch_db_words.intersection(_NAME_SEPARATORS.split(t)) for t in targets[:8]
        ):
            # (infra nouns, `group`, `account`, say too little; `nats stream rm SCRATCH_TEST`
            # names a scratch store)
            j.add("destroy", "data", describe("deletes", "data", False, w.text))
        elif (
            not table.whole_units.isdisjoint(parts)
            or (  # `piku destroy billing`: a bare verb that takes down what the tool deploys
                w.positional[0] == 0
                and w.low[0] in table.whole_verbs
                and table.harmless_objects.isdisjoint(parts)
                and table.noun_scope(parts) != "temp"
                and not _names_harmless(table, w.program)  # `sessionctl destroy sess-1`
            )
        ) and not scratch:
            # `dokku apps:destroy billing`, `upsun project:delete -p x`: a deployed whole
            j.add("destroy", "infra", describe("deletes", "infra", False, w.text))
        return
    if table.noun_scope(parts) in ("temp", "item") and (
        set(parts) & table.harmless_objects or _names_harmless(table, w.program)
    ):
        return  # `tool delete-cache --all`, `cachectl purge --all`
    j.add("destroy", "data", describe("deletes everything it holds", "", False, w.text))


_GROUP_PARTS: Final = re.compile(r"[:.]")  # `doctrine:schema:drop`, `ecto.reset`


def _database_tooling(table: EffectTable, w: Words, j: Judged, cloud: bool) -> None:
    """A database's own tooling — a framework's task, an ORM's or a migration tool's CLI —
    told to wipe what it manages (effects.yaml `database_tools`): a subcommand that names a
    database with a wipe verb in the same word or the next (`doctrine:schema:drop`, `dotnet ef
    database drop`, `npm run db:reset`), or a tool that manages one given a wipe verb (`dbmate
    drop`, `goose … reset`, `mix ecto.reset`, `mix ecto.rollback --all`), drops every table; a
    migrate verb there changes the schema (`mix ecto.migrate`, `dotnet ef database update`) —
    not a cloud CLI's, whose `update` of a database changes its settings."""
    d = table.database_tools
    verbs = d["verbs"]
    if not any(w.low[i].rpartition(":")[2].rpartition(".")[2] in verbs for i in w.positional[:6]):
        return  # no subcommand word ends in a wipe, migrate or rollback verb (most commands)
    tool = w.program in d["tools"]
    groups: list[list[str]] = []
    for n, i in enumerate(w.positional[:6]):
        word = w.low[i]
        if (w.after_flag[n] and _GROUP_VERB.fullmatch(word) is None) or not _GROUP_PARTS.sub(
            "", word
        ).replace("-", "").isalnum():
            continue  # an option's value, a path, a variable, a URL
        parts = _GROUP_PARTS.split(word)
        tool = tool or not d["tools"].isdisjoint(parts)
        groups.append(parts)
    for k, parts in enumerate(groups):
        last = parts[-1]
        named = not d["nouns"].isdisjoint(parts[:-1]) or (k > 0 and groups[k - 1][-1] in d["nouns"])
        if last in d["wipe"] and (tool or named):
            j.add("destroy", "data", describe("drops the database", "", False, w.text))
            return
        if last in table.migrations["back"] and tool and "--all" in w.low:
            j.add("destroy", "data", describe("rolls back every migration", "", False, w.text))
            return
        if last in d["migrate"] and (tool or named) and not cloud:
            j.add("schema_change", "", describe("runs a schema migration", "", False, w.text))
            return


def _names_harmless(table: EffectTable, program: str) -> bool:
    """A program named for what it holds, when that is harmless (`cachectl`, `sessionctl`)."""
    return any(n in program for n in table.harmless_objects if len(n) > 3)


def _unknown_grant(table: EffectTable, w: Words, j: Judged) -> None:
    """A program the table does not know, giving an administrator's role (`admin_role`) by its
    words: a rights option's value (`wp user update 14 --role=administrator`, `kcadm.sh
    add-roles --rolename admin`, `vault write … policies=root`), a role named after a rights
    subcommand (`occ group:adduser admin x`, `mmctl roles system_admin x`, `set-role bob
    administrator`), or an option that is the right itself (`gitea admin user create
    --admin`, `--superuser`) — with a verb that gives (`verbs.grant`) or a rights subcommand,
    and no verb that only reads before it (`user list --admin` lists)."""
    if not w.positional:
        return
    gives = table.give_verbs
    parts: list[str] = []
    end = 0  # positionals up to the subcommand word that gives or names rights
    for n, i in enumerate(w.positional[:4]):
        if not _subcommand_word(w, n):
            break
        word = glued_parts(table, w.low[i])
        parts.extend(word)
        end = n + 1
        if not gives.isdisjoint(word) or not table.rights_keys.isdisjoint(word):
            break
    rights_sub = not table.rights_keys.isdisjoint(parts)
    if not (rights_sub or not gives.isdisjoint(parts)) or not table.cloud_read.isdisjoint(parts):
        return
    given = ""
    low = w.low[:48]
    for k, a in enumerate(low):
        name, eq, value = a.partition("=")
        flag = name.lstrip("-")
        if not flag:
            continue
        words = set(word_parts(flag))
        if not words.isdisjoint(table.rights_keys):
            # `--role=administrator`, `--rolename admin`, `policies=root`
            v = value if eq else (low[k + 1] if a.startswith("-") and k + 1 < len(low) else "")
            if v and admin_role(table, v.strip("'\"")):
                given = a if eq else f"{a} {v}"
                break
        elif (
            a.startswith("-")
            and not eq
            and not words.isdisjoint(table.admin_nouns)
            and words <= table.admin_nouns | table.admin_realms
        ):
            given = a  # `--admin`, `--superuser`, `--system_admin`: the option is the right
            break
    if not given and _gives_admin(table, parts):
        given = " ".join(w.low[i] for i in w.positional[:end])  # `createsuperuser`, `add-admin`
    if not given and rights_sub:
        # `group:adduser admin x`, `roles system_admin x`: a role named after the subcommand
        for i in w.positional[end : end + 3]:
            if admin_role(table, w.low[i].strip("'\"")):
                given = w.low[i]
                break
    if given:
        j.add("escalate", "all", describe("grants administrator rights", "", False, w.text))


def _entry_applies(e: Entry, w: Words) -> int:
    k = _match_subs(e, w) if e.subs else 0
    if k < 0:
        return -1
    if e.flags and not _any_flag(w, e.flags):
        return -1
    if e.args is not None and not _any_arg(w, e.args):
        return -1
    if e.also_args is not None and not _any_arg(w, e.also_args):
        return -1
    if e.unless_flags and _any_flag(w, e.unless_flags):
        return -1
    if e.unless_args is not None and _any_arg(w, e.unless_args):
        return -1
    return k


def in_dir(cwd: str, path: str) -> str:
    """`path` as seen from `cwd`: relative paths after a `cd` name what is under it."""
    p = path.strip("'\"")
    if not p or p[0] in "/~$%\\-" or ":" in p:
        return path
    while p.startswith("./"):
        p = p[2:]
    base = cwd.rstrip("/") or "/"
    if p in (".", ""):
        return base
    return base.rstrip("/") + "/" + p


def _scope_of(table: EffectTable, e: Entry, w: Words, k: int) -> tuple[str, bool]:
    recursive = w.recursive_ctx or (
        bool(e.recursive) and any(has_flag(w, spec, e.flags) for spec in e.recursive)
    )
    after = [w.argv[1 + i] for i in w.positional[k:]]
    if w.cwd and e.scope in _TARGET_SCOPES and e.scope != "stores":  # names, not paths
        after = [in_dir(w.cwd, t) for t in after]
    scope = e.scope or "item"
    if e.scope == "after_first":  # the first names the archive or destination (`tar -cf x …`)
        scope = (
            worst_scope([table.path_scope(t, recursive) for t in after[1:]])
            if after[1:]
            else "item"
        )
    elif e.scope == "targets":
        scope = worst_scope([table.path_scope(t, recursive) for t in after]) if after else "item"
    elif e.scope in ("sources", "dropped"):  # dropped: moved where nothing is kept
        srcs = after[:-1] if len(after) > 1 else after
        scope = worst_scope([table.path_scope(t, recursive) for t in srcs]) if srcs else "item"
    elif e.scope == "last_target":
        if any(":\\" in t or t.startswith("\\\\") for t in after):
            # Windows paths: `/MIR`, `/R:0` after them are switches, not the destination
            after = [t for t in after if not _WIN_SWITCH.fullmatch(t)] or after
        scope = table.path_scope(after[-1], True) if after else "item"
    elif e.scope == "stores":
        if w.program in table.cloud_programs:
            # `--region europe-west1`: a word after a cloud CLI's option is that option's value
            # when another word names the store
            named = [
                w.argv[1 + i] for n, i in enumerate(w.positional[k:], k) if not w.after_flag[n]
            ]
            after = named or after
        scope = worst_scope([table.store_scope(t) for t in after]) if after else "item"
    elif e.scope.startswith("operand:"):  # `dd of=/srv/data/app.db`: the path `of=` names
        key = e.scope[len("operand:") :] + "="
        given = next((a[len(key) :] for a in w.argv[1:] if a.lower().startswith(key)), "")
        scope = table.path_scope(given, recursive) if given else "item"
    elif e.scope == "infra" and e.effect == "destroy":
        narrowed = _targeted(w)
        if narrowed:  # `terraform destroy -target=aws_db_instance.main`: what the targets name
            scope = worst_scope([table.noun_scope(_resource_words(r)) for r in narrowed])
        else:
            # a stack named, every one of them, as ephemeral or scratch (`pulumi destroy
            # --stack preview-pr-1234`, `cdktf destroy pr-12-preview`): torn down by design
            names = [*after, *_flag_values(w, _STACK_FLAGS)]
            if names and all(table.store_scope(n) == "temp" for n in names):
                scope = "temp"
    for word in after[:3]:
        s = e.scope_words.get(word.lower().split("/", 1)[0])
        if s is not None and scope_rank(s) < scope_rank(scope if scope in _SCOPE_RANK else "item"):
            scope = s
            break
    for flag, s in e.scope_flags.items():
        if has_flag(w, flag) and scope_rank(s) < scope_rank(scope):
            scope = s
    return scope, recursive


_STACK_FLAGS: Final = frozenset({"--stack", "-s", "--stack-name"})


def _flag_values(w: Words, flags: frozenset[str]) -> list[str]:
    """The values the command gives these flags (`--stack x`, `--stack=x`)."""
    out: list[str] = []
    for i, a in enumerate(w.low):
        name, eq, val = a.partition("=")
        if name in flags:
            if eq:
                out.append(val)
            elif i + 1 < len(w.low):
                out.append(w.low[i + 1])
    return out


def _targeted(w: Words) -> list[str]:
    """The resources an infra tool's `-target` options name (`-target=aws_s3_bucket.logs`)."""
    out: list[str] = []
    for i, a in enumerate(w.low):
        if a.startswith(("-target=", "--target=")):
            out.append(a.split("=", 1)[1])
        elif a in ("-target", "--target") and i + 1 < len(w.low):
            out.append(w.low[i + 1])
    return out


def _resource_words(address: str) -> list[str]:
    """`module.db.aws_db_instance.main[0]` -> the words of its resource types."""
    parts = [p for p in address.split(".") if p and p != "module"]
    types = [p for p in parts if "_" in p] or parts[:1]
    return [x for t in types for x in NOT_ALNUM_RUN.split(t) if x]


def dry_run(table: EffectTable, w: Words) -> bool:
    """`--dry-run`, `-WhatIf`…: the command only reports what it would do."""
    for spec in (*table.dry_run_flags, *table.dry_run_short.get(w.program, ())):
        if has_flag(w, spec):
            return not any(x in table.dry_run_not for x in w.low)
    return False


def judge(table: EffectTable, w: Words) -> Judged:
    """What the command does: dangerous effects, its ordinary kind, sinks and downloads."""
    j = Judged()
    prog = w.program
    if dry_run(table, w):
        j.kind = "read"
        return j
    entries = table.entries.get(prog, ())
    index = table.sub_index.get(prog)
    if index is not None:
        entries = index.candidates(w)
    if table.glob_entries:
        extra = tuple(e for g, e in table.glob_entries if g.match(prog) is not None)
        if extra:
            entries = entries + extra
    best_k = -1
    applied = False
    for e in entries:
        k = _entry_applies(e, w)
        if k < 0:
            continue
        applied = True
        if e.handler:
            _handle(table, e, w, j, k)
            continue
        if e.effect in ORDINARY:
            if not e.subs and prog in table.read_subcommands:
                continue  # a program-wide kind: its `read_subcommands` say which only read
            if len(e.subs) > best_k:
                best_k = len(e.subs)
                j.kind = e.effect
            continue
        scope, recursive = _scope_of(table, e, w, k)
        if e.effect == "destroy" and e.scope == "sources" and scope not in ("all", "system"):
            j.kind = j.kind or "write"
            continue
        if e.effect == "destroy" and e.scope.startswith("operand:") and scope in ("item", "temp"):
            j.kind = j.kind or "write"  # `dd of=./disk.img`: a file written, maybe a new one
            continue
        if e.effect == "destroy" and e.scope in _TARGET_SCOPES:
            after = [w.argv[1 + i] for i in w.positional[k:]]
            if any(table.is_audit_log(t) for t in after):
                j.add("weaken_security", "", describe("clears audit logs", "", recursive, w.text))
        has_scope = e.effect in ("destroy", "escalate", "stop_service", "force_push")
        # the scope is worded only where the explanation cannot know it (it came from targets)
        worded = scope if has_scope and scope != e.scope and e.scope != "infra" else ""
        j.add(
            e.effect,
            scope if has_scope else "",
            describe(e.explain, worded, recursive and e.effect == "destroy", w.text),
        )
        if len(e.subs) >= best_k:
            best_k = len(e.subs)
            j.kind = "read" if e.effect == "read_secret" else "write"
    if all(e.kind == "access_change" for e in j.effects):
        _mints_credential(table, w, j)
    if prog in table.cloud_programs:
        _cloud(table, w, j)
    if is_cmdlet(table, prog) and not j.effects and not j.kind and prog not in table.read_programs:
        _cmdlet(table, w, j)  # (`Format-Table` only shows: its verb says nothing there)
    if (
        not applied
        and not j.effects
        and prog not in table.cloud_programs
        and prog not in table.read_programs  # `getent group wheel` looks a group up
        and "--help" not in w.low  # `tool destroy --help` asks what it would do
    ):
        # no entry says what this subcommand does (or the program has none): its words do
        _unknown_destroy(table, w, j)
        if not j.effects:
            _unknown_grant(table, w, j)
    if (
        not j.effects
        and j.kind != "read"  # an entry knows this subcommand only reads (`prisma migrate status`)
        and prog not in table.db_clients
        and "--help" not in w.low
    ):
        _database_tooling(table, w, j, prog in table.cloud_programs)
    if not j.kind:
        j.kind = ordinary_kind(table, w)
    if j.effects and any(e.kind in ("destroy", "stop_service") for e in j.effects):
        named = {_unit(w.low[i]) for i in w.positional}
        if named & table.security_units:
            j.add("weaken_security", "", describe("removes a security agent", "", False, w.text))
    if len(j.effects) > 1:
        j.effects = _worst_per_kind(j.effects)
    return j


def host_mount(table: EffectTable, spec: Any, source: str = "") -> str:
    """The host location (`manifests.host_paths`) a container's mount gives it read-write, or
    "". `spec`: `SRC:DST[:OPTS]` (`-v`, a `volumes`/`Binds` item), `type=bind,source=SRC`
    (`--mount`), an object (`{"source": SRC, "read_only": false}`, docker-py's `{"bind": DST,
    "mode": "rw"}` under its `source`)."""
    src = source
    ro = False
    if isinstance(spec, str):
        if len(spec) > 1024:
            return ""
        if source and "=" not in spec:
            ro = spec.lower().endswith(":ro")  # `{"/": "/host:ro"}`
        else:
            found, _, ro = mount_parts(spec)
            src = found or src
    elif isinstance(spec, dict):
        for k, v in list(spec.items())[:16]:
            key = str(k).lower().replace("_", "")
            if key in ("source", "src", "hostpath") and isinstance(v, str):
                src = v
            elif (key in ("readonly", "ro") and v is True) or (
                key == "mode" and isinstance(v, str) and "ro" in v.lower().split(",")
            ):
                ro = True
    src = src.strip()
    if ro or not src.startswith("/") or src.endswith(".sock"):
        return ""  # a runtime's socket: a service the container talks to (Traefik, Watchtower)
    path = src.rstrip("/") or "/"
    return path if path.lower() in table.manifests["host_paths"] else ""


def mount_specs(flags: frozenset[str], argv: list[str]) -> list[str]:
    """The values of a container run's mount options (`manifests.mount_flags`: `-v SPEC`,
    `--mount=SPEC`), in order."""
    out: list[str] = []
    for i in range(1, min(len(argv), 64)):
        name, eq, _ = argv[i].lower().partition("=")
        if name in flags:
            out.append(
                argv[i].split("=", 1)[1] if eq else (argv[i + 1] if i + 1 < len(argv) else "")
            )
    return out


_WIN_DRIVE: Final = re.compile(r"[A-Za-z]:\\")  # `C:\data:/data`: a drive, not a separator


def mount_parts(spec: str) -> tuple[str, str, bool]:
    """(source, target, read-only) of a mount written `SRC:DST[:OPTS]` (`-v`, a `volumes` item)
    or `type=bind,source=SRC,target=DST[,readonly]` (`--mount`); "" where it names none (a
    Windows drive's colon is no separator)."""
    src = dst = ""
    ro = False
    if "=" in spec:
        for part in spec.split(",")[:16]:
            k, _, v = part.partition("=")
            k = k.strip().lower()
            if k in ("source", "src"):
                src = v.strip()
            elif k in ("target", "dst", "destination"):
                dst = v.strip()
            elif k in ("readonly", "ro") and v.strip().lower() not in ("false", "0"):
                ro = True
    elif ":" in spec and not _WIN_DRIVE.match(spec):
        parts = spec.split(":")
        src, dst = parts[0], parts[1]
        ro = len(parts) > 2 and "ro" in parts[2].lower().split(",")
    return src, dst, ro


def bind_mounts(flags: frozenset[str], argv: list[str]) -> list[tuple[str, str]]:
    """(host path, path inside) of each host location a container run mounts (`-v SRC:DST`,
    `--mount type=bind,source=SRC,target=DST`), from its options before the image: inside,
    `DST/credentials` is the host's `SRC/credentials`. Named volumes (`pgdata:/var/lib/…`) and
    a mount at the container's root are left out."""
    out: list[tuple[str, str]] = []
    for spec in mount_specs(flags, argv):
        src, dst, _ = mount_parts(spec)
        dst = dst.rstrip("/")
        if src[:1] in ("/", "~", "$", ".") and dst.startswith("/") and len(out) < 16:
            out.append((src.rstrip("/") or "/", dst))
    return out


def container_host(path: str, lasting: bool, text: str) -> Effect:
    """A container given the host's `path`: root over the host's files (`item`, as a privileged
    run); left running, the host held (`all`)."""
    if lasting:
        what = describe(f"runs a lasting container with the host's {path} mounted", "", False, text)
        return Effect("escalate", "all", what)
    return Effect(
        "escalate",
        "item",
        describe(f"runs a container with the host's {path} mounted", "", False, text),
    )


def container_mounts(table: EffectTable, w: Words, j: Judged) -> None:
    """`docker run -d -v /:/host …`, `--mount type=bind,source=/…`, `docker service create
    --mount …`: a host location mounted read-write (`manifests.mount_flags`) into a container
    left running — detached, restarted or a service (`manifests.lasting_flags`) — holds the
    host (`container_host`)."""
    m = table.manifests
    path = ""
    for spec in mount_specs(m["mount_flags"], w.argv):
        path = host_mount(table, spec)
        if path:
            break
    if not path:
        return
    lasting = "service" in w.low[:2]
    for flag in m["lasting_flags"]:
        if lasting:
            break
        if flag.startswith("--"):
            lasting = any(v not in m["not_lasting"] for v in _flag_values(w, frozenset({flag})))
        else:
            lasting = has_flag(w, flag)
    if lasting:  # run once, the host mounted is the `docker run` entries' (`item`)
        e = container_host(path, lasting, w.text)
        j.add(e.kind, e.scope, e.text)


def container_spec(table: EffectTable, objs: list[dict[str, Any]], text: str) -> Effect | None:
    """A container's spec given as fields or an SDK's options (`{"image": …, "volumes":
    ["/:/host"], "detach": true}`, the Engine API's `HostConfig.Binds`): a host location
    mounted read-write (`container_host`), left running by a `manifests.lasting_keys` field;
    else privileged (`manifests.flags`), as `docker run --privileged` (`item`)."""
    m = table.manifests
    path = ""
    lasting = False
    privileged = ""
    for obj in objs[:8]:
        for k, v in list(obj.items())[:32]:
            key = str(k).lower()
            if key in m["mount_keys"] and not path:
                items: list[tuple[Any, str]] = []
                if isinstance(v, list):
                    items = [(x, "") for x in v[:16]]
                elif isinstance(v, dict):  # docker-py: `{"/": {"bind": "/host", "mode": "rw"}}`
                    items = [(x, str(s)) for s, x in list(v.items())[:16]]
                else:
                    items = [(v, "")]
                for spec, source in items:
                    path = host_mount(table, spec, source)
                    if path:
                        break
            elif key in m["lasting_keys"]:
                if isinstance(v, dict):  # `{"Name": "always"}`
                    v = next((x for n, x in v.items() if str(n).lower() == "name"), "")
                if v is True or (isinstance(v, str) and v.lower() not in m["not_lasting"]):
                    lasting = True
            elif key in m["flags"] and v is True:
                privileged = privileged or key
    if path:
        return container_host(path, lasting, text)
    if privileged:
        return Effect(
            "escalate", "item", describe(f"runs a container with {privileged}", "", False, text)
        )
    return None


def sysctl(table: EffectTable, w: Words, j: Judged) -> None:
    """`sysctl -w kernel.randomize_va_space=0`: each `key=value` set is a line of a sysctl file,
    judged by the same `settings:` entries as an edit of `/etc/sysctl.conf`."""
    for a in w.argv[1:9]:
        key, eq, value = a.partition("=")
        if (
            eq
            and not key.startswith("-")
            and table.settings.weakens(_SYSCTL_FILE, f"{key}={value}")
        ):
            j.add(
                "weaken_security", "", describe("turns a kernel protection off", "", False, w.text)
            )
            return
    if not any("=" in a or a in _SYSCTL_WRITES for a in w.low):
        j.kind = "read"  # `sysctl kernel.randomize_va_space`, `sysctl -a`: shows settings


_SYSCTL_WRITES: Final = frozenset({"-w", "--write", "-p", "--load", "--system"})


_SYSCTL_FILE: Final = "/etc/sysctl.d/99-set.conf"


# What an awk program hands to a shell: `system("cmd")` and `"cmd" | getline` (one string each;
# the two alternatives start with different characters, so the scan cannot backtrack).
_AWK_RUNS: Final = re.compile(
    r'\bsystem\s*\(\s*"((?:[^"\\\n]|\\.){1,2048})"\s*\)|"((?:[^"\\\n]|\\.){1,2048})"\s*\|\s*getline'
)


def awk_commands(w: Words, j: Judged) -> None:
    """`awk 'BEGIN { system("rm -rf /x") }'`: each command the program runs, judged as written."""
    for a in w.argv[1:16]:
        if "system" not in a and "getline" not in a:
            continue
        for m in _AWK_RUNS.finditer(a, 0, 65536):
            j.nested.append((m.group(1) or m.group(2)).replace('\\"', '"'))
            j.kind = "exec"
            if len(j.nested) >= 16:
                return


_EDITOR_CMD_FLAGS: Final = frozenset({"-c", "--cmd"})


def editor_shell(w: Words, j: Judged) -> None:
    """`vim -es -c '!rm -rf /x' -c q`, `vim +'silent !cmd'`: an editor's ex command that
    starts with `!` runs the rest in a shell."""
    args = w.argv[1:64]
    for i, a in enumerate(args):
        if a in _EDITOR_CMD_FLAGS and i + 1 < len(args):
            ex = args[i + 1]
        elif a.startswith("+") and len(a) > 1:
            ex = a[1:]
        else:
            continue
        ex = ex.lstrip(": ")
        for prefix in ("silent!", "silent"):
            if ex.startswith(prefix):
                ex = ex[len(prefix) :].lstrip()
                break
        if ex.startswith("!") and len(ex) > 1:
            j.nested.append(ex[1:])
            j.kind = "exec"


def redis_eval(w: Words, j: Judged, k: int) -> None:
    """`EVAL "return redis.call('FLUSHALL')" 0`: each command the Lua script calls, with its
    literal arguments, is judged as that command given to `redis-cli`."""
    j.kind = "exec"
    script = w.argv[1 + w.positional[k]] if k < len(w.positional) else ""
    for m in _REDIS_CALL.finditer(script[:65536]):
        args = _LUA_STRING.findall(m.group(2))
        j.nested.append(" ".join(["redis-cli", m.group(1), *(repr(a) for a in args[:8])]))
        if len(j.nested) >= 16:
            break


_REDIS_CALL: Final = re.compile(r"redis\.p?call\s*\(\s*['\"]([A-Za-z]{2,20})['\"]([^)]{0,400})")
_LUA_STRING: Final = re.compile(r"['\"]([^'\"]{0,200})['\"]")


def _worst_per_kind(effects: list[Effect]) -> list[Effect]:
    """One effect per kind: the most severe scope (a command that "deletes every container"
    need not also say it "deletes")."""
    best: dict[str, Effect] = {}
    for e in effects:
        cur = best.get(e.kind)
        if cur is None or scope_rank(e.scope) < scope_rank(cur.scope):
            best[e.kind] = e
    return [e for e in effects if best.get(e.kind) is e]


def _handle(table: EffectTable, e: Entry, w: Words, j: Judged, k: int) -> None:
    handler = e.handler
    if handler == "git_push":
        git_push(table, w, j, k)
    elif handler == "http":
        http_request(table, w, j)
    elif handler == "service_stop":
        service_stop(table, w, j, k)
    elif handler == "kill":
        kill(table, w, j)
    elif handler == "chmod":
        chmod(table, w, j)
    elif handler == "chown":
        chown(table, w, j)
    elif handler == "sysctl":
        sysctl(table, w, j)
    elif handler == "redis_eval":
        redis_eval(w, j, k)
    elif handler == "alias":
        alias(w, j)
    elif handler == "package_source":
        package_sources(table, w, j)
    elif handler == "crypto_send":
        crypto_send(w, j)
    elif handler == "stripe_money":
        stripe_money(w, j)
    elif handler == "awk":
        awk_commands(w, j)
    elif handler == "editor_shell":
        editor_shell(w, j)
    elif handler == "container_mounts":
        container_mounts(table, w, j)
    elif handler == "upload":  # a gist, a model hub's repository: the files named go to its site
        files = [w.argv[1 + i] for i in w.positional[k:]]
        j.kind = "write"
        j.sinks.append(Sink(e.sink, files, "-" in files, w.text, w.argv))


_UNIT_AMOUNT: Final = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]{2,6})?", re.I)
_AMOUNT_FLAGS: Final = frozenset({"--value", "--amount", "-v", "--sol", "--lamports"})
_ASSET_OF: Final = {"cast": "eth", "seth": "eth", "solana": "sol", "spl-token": "", "bitcoin-cli": "btc",
             "electrum": "btc", "geth": "eth", "near": "near"}  # fmt: skip
_ASSET_WORDS: Final = {
    "ether": "eth",
    "ethers": "eth",
    "wei": "",
    "gwei": "",
    "sats": "",
    "sat": "",
}


def stripe_money(w: Words, j: Judged) -> None:
    """`stripe transfers create --amount 1500000 --currency usd …`: Stripe's amounts are in the
    currency's smallest unit (cents), except for its zero-decimal currencies."""
    j.kind = "write"
    j.add("move_money", "", describe("moves money", "", False, w.text))
    params: dict[str, str] = {}
    argv = w.argv
    for k in range(1, min(len(argv), 64)):
        a = argv[k]
        name, eq, value = a.partition("=")
        if name.lower() in ("-d", "--data") and k + 1 < len(argv):
            key, eq2, val = argv[k + 1].partition("=")
            if eq2:
                params[key.lower()] = val
        elif name.startswith("--") and eq:
            params[name[2:].lower()] = value
        elif name.startswith("--") and k + 1 < len(argv):
            params[name[2:].lower()] = argv[k + 1]
    raw = params.get("amount", "")
    if raw.isdigit() and len(raw) < 16:
        zero = params.get("currency", "").lower() in _ZERO_DECIMAL
        j.amounts.append(float(raw) if zero else float(raw) / 100.0)


# Stripe's currencies whose amounts are given in whole units
_ZERO_DECIMAL: Final = frozenset({"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf",
                           "ugx", "vnd", "vuv", "xaf", "xof", "xpf"})  # fmt: skip


def crypto_send(w: Words, j: Judged) -> None:
    """A wallet CLI sending value (`cast send … --value 20ether`, `solana transfer <to> 500`,
    `bitcoin-cli sendtoaddress <to> 0.5`): the amounts, in units of their asset; what a unit
    is worth is vocab's `unit_values` (the analyser's to apply)."""
    j.add("move_money", "", describe("sends a transaction", "", False, w.text))
    default = _ASSET_OF.get(w.program, "")
    argv = w.argv
    candidates: list[str] = []
    for k in range(1, len(argv)):
        name, eq, value = argv[k].partition("=")
        if eq and name.lower() in _AMOUNT_FLAGS:
            candidates.append(value)
        elif argv[k].lower() in _AMOUNT_FLAGS and k + 1 < len(argv):
            candidates.append(argv[k + 1])
    if not candidates:  # positional: the first plain number after the recipient
        candidates = [a for a in argv[2:] if _UNIT_AMOUNT.fullmatch(a) and len(a) < 24][:1]
    for cand in candidates[:4]:
        m = _UNIT_AMOUNT.fullmatch(cand.strip())
        if m is None:
            continue
        unit = (m.group(2) or "").lower()
        asset = _ASSET_WORDS.get(unit, unit) if unit else default
        if asset:
            j.unit_amounts.append((float(m.group(1)), asset))


def package_sources(table: EffectTable, w: Words, j: Judged) -> None:
    """Where a package manager fetches code: the URLs its index flags name (`-i URL`,
    `--registry=URL`) and URLs given as packages (`pip install https://…/x.whl`). Whether a
    source is outside is the analyser's to say (it knows the organisation's hosts)."""
    flags = table.package_source_flags
    argv = w.argv
    for k in range(1, len(argv)):
        a = argv[k]
        name, eq, value = a.partition("=")
        if eq and name.lower() in flags:
            pass
        elif a.lower() in flags and k + 1 < len(argv):
            value = argv[k + 1]
        elif "://" in a and not a.startswith("-"):
            value = a
        else:
            continue
        if "://" in value and len(j.code_sources) < 8:
            j.code_sources.append(value.split("+", 1)[-1] if value.startswith("git+") else value)


def word_parts(word: str) -> list[str]:
    """`DeleteDBInstance`, `delete-db-instance`, `delete_db_instance` -> delete, db, instance."""
    if not word.islower():  # capitals may start words (most names have none)
        word = _ACRONYM.sub(r"\1 \2", _CAMEL.sub(r"\1 \2", word))
    low = word.lower()
    if low.isalnum():
        return [low]  # no separator in it (each is neither a letter nor a digit)
    return [p for p in _PART_SEPARATORS.split(low) if p]


_LOG_NOUNS: Final = frozenset({"log", "logs"})


def _switches_off(table: EffectTable, flag: str) -> bool:
    """`--no-enable-master-authorized-networks`: an option that turns a security control off."""
    control = flag.split("=", 1)[0][len("--no-enable-") :]
    return not _compounds(word_parts(control)).isdisjoint(table.security_nouns)


def _cloud(table: EffectTable, w: Words, j: Judged) -> None:
    """A cloud CLI: the verb among its subcommand words, unless an entry already said more."""
    words = [
        w.argv[1 + i]
        for i in w.positional[:4]
        if not w.after_flag[w.positional.index(i)] and " " not in w.argv[1 + i]
    ]
    lead: list[str] = []
    verbs = table.cloud_verbs
    for n, word in enumerate(words):
        lead.append(word)
        if set(word_parts(word)) & verbs and not (
            # `aws logs delete-log-group`: a service named like a verb, then the subcommand
            n == 0 and len(words) > 1 and set(word_parts(words[1])) & verbs
        ):
            break
    if not any(e.kind in _DECISIVE for e in j.effects) and verb_noun(table, lead, w.text, j):
        _whole_deleted(table, lead, w, j)
    elif not any(e.kind in _DECISIVE for e in j.effects):
        parts = {p for word in lead for p in _WORD_JOINERS.split(word)}
        if (
            parts & table.security_nouns
            and any(v in ("off", "disabled", "false", "none", "0", "disable") for v in w.low)
        ) or any(_switches_off(table, a) for a in w.low if a.startswith("--no-enable-")):
            j.add(
                "weaken_security",
                "",
                describe("turns a security control off", "", False, w.text),
            )
    if (
        any(e.kind == "destroy" for e in j.effects)
        and any(p in _LOG_NOUNS for word in lead for p in word_parts(word))
        and any(a in v for v in w.low for a in table.paths.audit_words)
    ):
        # `aws logs delete-log-group --log-group-name /aws/cloudtrail/org`: an audit trail's logs
        j.add("weaken_security", "", describe("deletes audit logs", "", False, w.text))
    if j.kind:
        return
    # the verb is the last subcommand word that holds one (`gcloud run services describe`: Cloud
    # Run's services described); any of its parts that writes makes it a write (`ps:scale`)
    # (`aliyun ecs DescribeInstances`: a verb glued to its noun in capitals is read the same)
    named = [x for x in words if _SUBCOMMAND.fullmatch(x)]
    for n, x in enumerate(named):
        if ":" in x:  # `apps:info NAME`: a `group:verb` word is the whole subcommand
            named = named[: n + 1]
            break
    with_verb = [x for x in named if set(verb_of(x)) & verbs]
    chosen = with_verb or lead
    last = chosen[-1].lower() if chosen else ""
    verb_parts = verb_of(chosen[-1]) if chosen else []
    reads = bool(verb_parts) and verb_parts[0] in table.cloud_read
    writes = last in table.cloud_write or bool(set(_WORD_JOINERS.split(last)) & table.cloud_write)
    if (reads and not writes) or (not with_verb and named and _lists_by_noun(table, named[-1])):
        j.kind = "read"
    else:
        j.kind = "write"


def _whole_deleted(table: EffectTable, lead: list[str], w: Words, j: Judged) -> None:
    """A cloud CLI's deletion whose own object is a deployed whole (`doctl apps delete ID`,
    `copilot app delete`: `whole_units`), or a database platform's main branch (`neonctl
    branches delete main`); not when what it names is scratch (`preview-pr-12`)."""
    if len(lead) < 2 or word_parts(lead[-1]) not in ([v] for v in table.destroy_verbs):
        return  # (`projects remove-iam-policy-binding`: the verb's object is in its word)
    noun = lead[-2].lower()
    free = [w.low[i] for n, i in enumerate(w.positional) if not w.after_flag[n]]
    named = free[len(lead) : len(lead) + 8]
    if any(table.store_scope(t) == "temp" for t in named):
        return
    if noun in table.whole_units:
        j.add("destroy", "infra", describe("deletes", "infra", False, w.text))
    elif noun in ("branch", "branches") and any(t in table.protected_branches for t in named):
        j.add(
            "destroy", "data", describe("deletes the main branch of a database", "", False, w.text)
        )


def _lists_by_noun(table: EffectTable, word: str) -> bool:
    """`ibmcloud resource service-instances`, `heroku apps`: a subcommand of nouns alone, the
    last a resource named in the plural, lists them."""
    last = word_parts(word)[-1]
    return last.endswith("s") and last in table.nouns


_SUBCOMMAND: Final = re.compile(r"[A-Za-z][A-Za-z0-9-]*(?::[A-Za-z-]+)*")


def verb_of(word: str) -> list[str]:
    """A subcommand word's verb and what follows it: in a `group:verb` spelling (Heroku's
    `apps:info`, `pg:backups:capture`) the part after the last colon, the group before it
    being a noun even where it spells a read word (`ps:restart`, `releases:rollback`);
    otherwise the word's own parts (`describe-instances`)."""
    return word_parts(word.rpartition(":")[2] if ":" in word else word)


def reads_by_its_words(table: EffectTable, w: Words) -> bool:
    """A CLI no entry describes, whose leading subcommand words say it only reads: its first
    word a read word of the cloud table (`status`, `whoami`), a `group:verb` word whose verb
    is one (`storage:list`), or a noun then one (`repo info`, `job status`); no argument a
    write word, and no word of the program's name or of those subcommand words a verb that is
    not a read word (`reset-db.sh prod info`, `cache purge-list`)."""
    if not w.positional or set(w.low) & table.cloud_write:
        return False
    first = w.low[w.positional[0]]
    if first in table.cloud_read:
        return True  # an unknown tool asked for its `status`, `list`, `show`…
    glued = glued_parts(table, first)
    if len(glued) == 2 and glued[0] in table.cloud_read:
        return True  # `getsite x`, `listusers`: a read verb glued to its noun
    if (
        len(glued) > 1
        and glued[-1] in table.cloud_read
        and not any(p in table.cloud_verbs and p not in table.cloud_read for p in glued)
    ):
        return True  # `ipa user-find`, `ipa group-show`: a noun, then a read verb
    if w.positional[0] != 0 or _SUBCOMMAND.fullmatch(first) is None:
        return False
    lead = [first]
    if ":" not in first:
        for k in (1, 2):  # `repo info`, `admin user list`: nouns, then the verb
            if (
                len(w.positional) <= k
                or w.positional[k] != k
                or _SUBCOMMAND.fullmatch(w.low[k]) is None
                or ":" in w.low[k]
            ):
                break
            lead.append(w.low[k])
            if verb_of(w.low[k])[0] in table.cloud_read:
                break
        if len(lead) < 2:
            return False
    verb = verb_of(lead[-1])
    if not verb or verb[0] not in table.cloud_read:
        return False
    words = [*_WORD_JOINERS.split(w.program.lower()), *_WORD_JOINERS.split(lead[0])]
    for word in lead[1:-1]:
        words.extend(_WORD_JOINERS.split(word))
    if len(lead) > 1:
        words.extend(verb)
    return not any(p in table.cloud_verbs and p not in table.cloud_read for p in words)


_CMDLET: Final = re.compile(r"^[a-z]{2,12}-[a-z][a-z0-9]{1,40}$")


def is_cmdlet(table: EffectTable, prog: str) -> bool:
    """`Remove-Item`, `Get-ADUser`: PowerShell's Verb-Noun with an approved verb."""
    return (
        "-" in prog
        and _CMDLET.match(prog) is not None
        and prog.split("-", 1)[0] in table.powershell_verbs
    )


def _cmdlet(table: EffectTable, w: Words, j: Judged) -> None:
    """PowerShell's Verb-Noun cmdlets no entry names: `Remove-AzResourceGroup`,
    `Disable-ADAccount`… read by their verb and noun."""
    verb, _, noun = w.argv[0].partition("-")
    if noun.isalnum() and (noun.islower() or noun.isupper()):
        # `disable-adaccount`, `REMOVE-AZRESOURCEGROUP`: written in one case, the noun the
        # table knows is the longest it ends with
        noun = _noun_tail(table, noun.lower())
    verb_noun(table, [verb, noun], w.text, j)
    if verb.lower() in ("set", "update", "new", "add") and not j.effects:
        _cmdlet_switched_off(table, noun, w, j)
    if w.recursive_ctx or "*" in w.argv[1:]:
        # fed every item a listing found (`Get-ADUser -Filter * | Remove-ADUser`)
        lo = table.locked_out
        if verb.lower() in lo["verbs"] and not lo["nouns"].isdisjoint(word_parts(noun)):
            what = describe("locks out every account listed", "", False, w.text)
            j.effects.append(Effect("stop_service", "system", what))
        j.effects = [
            Effect(e.kind, "data", describe("deletes everything listed", "", False, w.text))
            if e.kind == "destroy" and e.scope == "item"
            else e
            for e in j.effects
        ]
    if not j.kind:
        j.kind = (
            "read"
            if verb.lower() in ("get", "test", "find", "select", "show", "measure", "resolve")
            else "write"
        )


def _noun_tail(table: EffectTable, noun: str) -> str:
    """The longest noun of the table (`nouns`, `locked_out.nouns`) that `noun` ends with, or
    `noun` itself."""
    best = ""
    for known in (*table.nouns, *table.locked_out["nouns"]):
        k = known.replace("-", "")
        if len(k) > len(best) and noun.endswith(k):
            best = k
    return best or noun


_OFF: Final = frozenset({"$false", "false", "0", "$null", "disabled", "off"})
_ON: Final = frozenset({"$true", "true", "1"})


def _cmdlet_switched_off(table: EffectTable, noun: str, w: Words, j: Judged) -> None:
    """`Set-ADDefaultDomainPasswordPolicy -ComplexityEnabled $false`: a security control's
    `-…Enabled`/`-…Required` switch set false (or `-Disable…` set true)."""
    parts = word_parts(noun)
    names = set(parts) | {f"{a}-{b}" for a, b in zip(parts, parts[1:], strict=False)}
    argv = w.argv
    for k in range(1, len(argv) - 1):
        if not argv[k].startswith("-"):
            continue
        value = argv[k + 1].lower()
        p = word_parts(argv[k][1:].rstrip(":"))
        off = (p[-1:] and p[-1] in ("enabled", "required", "enforced") and value in _OFF) or (
            p[:1] == ["disable"] and value in _ON
        )
        if off and (names | set(p)) & table.security_nouns:
            j.add(
                "weaken_security", "", describe("turns a security control off", "", False, w.text)
            )
            return


# A Windows program's global switch (`wmic /node:db01 /user:admin process call create …`)
WIN_SWITCH: Final = re.compile(r"/[a-z]{2,24}:", re.I)


def ordinary_kind(table: EffectTable, w: Words) -> str:
    """Read-only, a side effect, or code run: for commands no entry describes."""
    prog = w.program
    if prog in table.read_programs:
        if prog == "find" and ("-delete" in w.low or "-exec" in w.low or "-execdir" in w.low):
            return "write"
        return "read"
    subs = table.read_subcommands.get(prog)
    if subs is not None:
        for k, a in enumerate(w.low):  # a flag that only reads (`mdadm --detail`, `-m ping`)
            if a[:1] == "-" and (
                a in subs or (k + 1 < len(w.low) and f"{a} {w.low[k + 1]}" in subs)
            ):
                return "read"
        for idx, i in enumerate(w.positional):
            word = w.low[i]
            if w.after_flag[idx] and idx + 1 < len(w.positional) and word not in subs:
                continue
            if word.startswith("/dev/") and idx + 1 < len(w.positional):
                continue  # a device before the subcommand (`parted /dev/sdb print`)
            if WIN_SWITCH.match(word) and idx + 1 < len(w.positional):
                continue  # a Windows global switch (`wmic /node:db01 os get caption`)
            if idx + 1 < len(w.positional) and (
                f"{word} {w.low[w.positional[idx + 1]]}" in subs
                or f"* {w.low[w.positional[idx + 1]]}" in subs  # `service NAME status`
                or (  # `vault kv metadata get`
                    idx + 2 < len(w.positional)
                    and f"{word} {w.low[w.positional[idx + 1]]} {w.low[w.positional[idx + 2]]}"
                    in subs
                )
            ):
                return "read"
            return "read" if word in subs else "write"
        return "read" if not any(f in subs for f in w.low) or True else "write"
    if prog in table.cloud_programs:
        return "write"
    if prog in ("sed", "perl") and not any(a.startswith("-i") for a in w.low):
        return "read"
    if prog in table.db_clients:
        return "read"
    if "--help" in w.low or (
        w.low and w.low[0] in ("-h", "--version", "-v", "-V", "help", "version")
    ):
        return "read"
    if reads_by_its_words(table, w):
        return "read"
    if prog in table.entries:
        return "write"
    return "exec"
