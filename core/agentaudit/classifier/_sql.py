"""What SQL does, statement by statement: read, write, schema change, or destroy.

A tokenizer (strings, quoted identifiers, comments, dollar quotes) splits the text into
statements, so `DeLeTe /* all */ FROM "users"  ;` and `delete from users where 1=1` read as what
they are: deletions of every row. One pass, linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

_WORD: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_$#@]*")
_NUMBER: Final = re.compile(r"\d+(?:\.\d+)?")
_DOLLAR_TAG: Final = re.compile(r"\$[A-Za-z_]?[A-Za-z0-9_]*\$")
# First words that begin a statement: a string is SQL when a statement begins with one of these
# and continues as that statement must (see `looks_like_sql`).
STATEMENT_WORDS: Final = frozenset(
    [
        "clear",
        "select",
        "insert",
        "update",
        "delete",
        "drop",
        "truncate",
        "alter",
        "create",
        "grant",
        "revoke",
        "with",
        "merge",
        "replace",
        "upsert",
        "explain",
        "copy",
        "vacuum",
        "show",
        "describe",
        "desc",
        "use",
        "set",
        "begin",
        "call",
        "exec",
        "execute",
        "pragma",
        "rename",
        "comment",
        "lock",
        "analyze",
        "optimize",
        "kill",
        "shutdown",
        "backup",
        "restore",
        "load",
        "unload",
        "commit",
        "rollback",
        "undrop",
        "reassign",
        "reindex",
        "refresh",
        "cluster",
        "checkpoint",
        "declare",
        "do",
        "purge",
        "reset",
    ]
)
_READ_FIRST: Final = frozenset(
    [
        "select",
        "show",
        "describe",
        "desc",
        "explain",
        "use",
        "begin",
        "commit",
        "rollback",
        "pragma",
        "declare",
    ]
)
_DATA_OBJECTS: Final = frozenset(
    [
        "table",
        "tables",
        "database",
        "databases",
        "schema",
        "schemas",
        "keyspace",
        "collection",
        "catalog",
        "warehouse",
        "measurement",  # InfluxQL: a measurement's every point
        "series",
    ]
)
_SCHEMA_OBJECTS: Final = frozenset(
    [
        "index",
        "view",
        "column",
        "sequence",
        "type",
        "trigger",
        "function",
        "procedure",
        "constraint",
        "extension",
        "materialized",
        "role",
        "user",
        "policy",
        "domain",
        "rule",
        "event",
        "stage",
        "stream",
        "task",
        "pipe",
        "tablespace",
    ]
)


class Token:
    """(Plain classes, not dataclasses: mypyc compiles a class's own methods but not those a
    dataclass generates, and tokens are made on every call.)"""

    __slots__ = ("kind", "text")

    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind  # word | ident | string | number | op
        self.text = text  # words lower-cased; identifiers and strings without their quotes

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.text!r})"


class Statement:
    __slots__ = ("tokens", "text")

    def __init__(self, tokens: list[Token], text: str) -> None:
        self.tokens = tokens
        self.text = text


class SqlEffect:
    __slots__ = ("kind", "scope", "text", "shell", "files", "settings", "stdin", "sends")

    def __init__(
        self,
        kind: str,
        scope: str,
        text: str,
        shell: list[str] | None = None,
        files: list[tuple[str, str | None]] | None = None,
        settings: list[tuple[str, str]] | None = None,
    ) -> None:
        self.kind = kind  # read | write | destroy | schema_change | access_change | exec …
        self.scope = scope  # for destroy: data (every row, a table, a database) or item
        self.text = text  # what it does, in words, with the statement
        self.shell = shell if shell is not None else []  # commands it runs (xp_cmdshell…)
        self.files = files if files is not None else []  # (path, content) written
        self.settings = settings if settings is not None else []  # server settings (key, value)
        self.stdin = ""  # what a command in `shell` reads on its standard input (COPY … TO PROGRAM)
        self.sends: list[tuple[str, str]] = []  # (location, what): a whole table unloaded there

    def __repr__(self) -> str:
        return f"SqlEffect({self.kind!r}, {self.scope!r}, {self.text!r})"


# What `ALTER TABLE … DROP <x>` drops when it is no column: the schema only, no values.
_SCHEMA_ONLY_DROPS: Final = frozenset({"constraint", "index", "key", "primary", "foreign", "check",
                                "default", "not", "identity", "expression", "trigger", "unique",
                                "fulltext", "spatial", "system", "period", "attribute", "value",
                                "mapping", "owned", "projection", "statistics", "sort",
                                "clustering"})  # fmt: skip


def tokenize(text: str) -> list[Statement]:
    """Statements split on `;` outside quotes and comments."""
    statements: list[Statement] = []
    tokens: list[Token] = []
    n = len(text)
    i = 0
    start = 0
    versioned = 0  # open `/*!…` comments
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t\n;"):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "/" and text.startswith("/*!", i):
            # MySQL's versioned comment (`/*!40000 DELETE FROM t */`): its text runs
            i += 3
            while i < n and text[i].isdigit():
                i += 1
            versioned += 1
            continue
        if c == "*" and versioned and text.startswith("*/", i):
            versioned -= 1
            i += 2
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c == ";":
            if tokens:
                statements.append(Statement(tokens, text[start:i].strip()))
            tokens = []
            i += 1
            start = i
            continue
        if c in "'\"`[":
            close = "]" if c == "[" else c
            j = i + 1
            buf: list[str] = []
            while j < n:
                k = text.find(close, j)
                if k < 0:
                    buf.append(text[j:])
                    j = n
                    break
                buf.append(text[j:k])
                if close != "]" and k + 1 < n and text[k + 1] == close:  # doubled quote
                    buf.append(close)
                    j = k + 2
                    continue
                j = k + 1
                break
            value = "".join(buf)
            tokens.append(Token("string" if c == "'" else "ident", value))
            i = j
            continue
        if c == "$":
            m = _DOLLAR_TAG.match(text, i)
            if m is not None:
                k = text.find(m.group(0), m.end())
                end = n if k < 0 else k
                tokens.append(Token("string", text[m.end() : end]))
                i = n if k < 0 else k + len(m.group(0))
                continue
        m = _WORD.match(text, i)
        if m is not None:
            tokens.append(Token("word", m.group(0).lower()))
            i = m.end()
            continue
        m = _NUMBER.match(text, i)
        if m is not None:
            tokens.append(Token("number", m.group(0)))
            i = m.end()
            continue
        two = text[i : i + 2]
        if two in ("<>", "!=", ">=", "<=", "==", "::", "||"):
            tokens.append(Token("op", two))
            i += 2
            continue
        tokens.append(Token("op", c))
        i += 1
    if tokens:
        statements.append(Statement(tokens, text[start:].strip()))
    return statements


def _sparql_graphs(t: list[Token]) -> bool:
    """SPARQL Update's `DROP ALL`, `CLEAR SILENT DEFAULT`, `DROP GRAPH <iri>`: the whole statement
    names graphs (prose such as "drop all caches" goes on)."""
    words = [x.text for x in t[1:3] if x.kind == "word"]
    if words[:1] == ["silent"]:
        words = words[1:]
    if len(t) <= 3 and words in (["all"], ["default"], ["named"]):
        return True
    return words[:1] == ["graph"] and any(x.text == "<" for x in t[2:4])


def looks_like_sql(text: str) -> bool:
    """A statement that begins as SQL does: `DELETE FROM x`, `DROP TABLE x`, `UPDATE x SET`,
    `SELECT … FROM`, `INSERT INTO`, `TRUNCATE x`… (prose like "delete the file" does not)."""
    return any(_shape_ok(st.tokens) for st in tokenize(text[:4096]))


def _shape_ok(t: list[Token]) -> bool:
    if not t or t[0].kind != "word":
        return False
    first = t[0].text
    words = [x.text for x in t[:12] if x.kind == "word"]
    if first == "select":
        return "from" in words or (len(t) > 1 and t[1].kind in ("number", "string", "op"))
    if first == "delete":
        return len(t) > 2 and (t[1].text == "from" or "from" in words)
    if first in ("insert", "replace", "upsert"):
        return "into" in words or "overwrite" in words
    if first == "update":
        return "set" in words
    if first in ("drop", "clear") and _sparql_graphs(t):
        return True
    if first in ("drop", "reassign") and words[1:3] == ["owned", "by"]:
        return True  # `DROP OWNED BY app`, `REASSIGN OWNED BY old TO new`
    if first in ("drop", "create", "alter"):
        return len(words) > 1 and (
            words[1] in _DATA_OBJECTS
            or words[1] in _SCHEMA_OBJECTS
            or words[1] in ("if", "or", "temporary", "temp", "unique", "global", "unlogged")
            or words[1:3] == ["server", "role"]
        )
    if first == "truncate":
        return len(t) > 1 and (t[1].kind in ("word", "ident"))
    if first in ("grant", "revoke"):
        return "on" in words or "to" in words or "from" in words
    if first == "with":
        return "as" in words
    if first in ("merge",):
        return "into" in words
    if first in ("explain", "show", "describe", "desc", "vacuum", "analyze", "pragma"):
        return len(t) > 1
    if first in ("copy",):
        return "to" in words or "from" in words
    second = t[1].text if len(t) > 1 else ""
    if first == "set":
        return any(x.kind == "op" and x.text == "=" for x in t[:8]) or "to" in words[:5]
    if first in ("exec", "execute"):
        return len(t) > 1 and (
            second.startswith(("sp_", "xp_", "dbo", "sys"))
            or second == "immediate"
            or (t[1].kind == "string" and (len(t) == 2 or t[2].text == "||"))  # PL/pgSQL
            or (
                len(t) > 2
                and (t[2].text == "." or t[2].kind in ("string", "number") or t[2].text == "@")
            )
        )
    if first == "call":
        return any(x.text == "(" for x in t[:6])
    if first == "do":  # `DO $$ … $$`, `DO LANGUAGE plpgsql $$ … $$`
        return len(t) > 1 and (t[1].kind == "string" or t[1].text == "language")
    if first == "use":
        return len(t) == 2
    if first == "kill":
        return len(t) >= 2 and (t[1].kind == "number" or second in ("query", "connection"))
    if first in ("lock",):
        return second in ("table", "tables")
    if first in ("restore", "backup"):
        return second in ("database", "log", "table")
    if first == "load":
        return second == "data"
    if first in ("optimize", "refresh", "reindex", "undrop"):
        return second in ("table", "materialized", "index", "database", "schema")
    if first == "comment":
        return second == "on"
    if first == "purge":  # MySQL's binary logs, Oracle's recycle bin
        return second in _PURGED
    if first == "reset":  # MySQL's `RESET MASTER`, PostgreSQL's `RESET name`
        return second in _RESET_THINGS or (len(t) == 2 and t[1].kind == "word")
    if first == "rename":
        return second in ("table", "column", "user")
    return first in ("begin", "commit", "rollback", "shutdown", "checkpoint") and len(t) <= 2


_PURGED: Final = frozenset({"binary", "master", "dba_recyclebin", "recyclebin", "user_recyclebin",
                         "table", "tablespace", "index"})  # fmt: skip
_RESET_THINGS: Final = frozenset({"master", "binary", "slave", "replica", "persist", "query"})
# the moments at or after which a binary log may be written: `PURGE … BEFORE NOW()` purges all
_NOW_WORDS: Final = frozenset({"now", "current_timestamp", "sysdate", "utc_timestamp", "localtime",
                           "localtimestamp", "curdate", "current_date"})  # fmt: skip


def _purge(t: list[Token], i: int, text: str) -> SqlEffect:
    """`PURGE BINARY LOGS BEFORE NOW()` (every binary log: no point-in-time recovery), `PURGE
    DBA_RECYCLEBIN` (every dropped table, for good); an older cut-off or one log file is the
    routine removal of old logs."""
    words = [x.text for x in t[i + 1 :] if x.kind == "word"]
    if words[:1] in (["binary"], ["master"]):
        before = words.index("before") if "before" in words else -1
        ops = {x.text for x in t[i + 1 :] if x.kind == "op"}
        now = before >= 0 and words[before + 1 : before + 2] and words[before + 1] in _NOW_WORDS
        if now and "-" not in ops and "interval" not in words:
            return SqlEffect("destroy", "data", f"deletes every binary log: {text}")
        return SqlEffect("write", "", text)
    if words[:1] in (["dba_recyclebin"], ["recyclebin"], ["user_recyclebin"], ["tablespace"]):
        return SqlEffect("destroy", "data", f"purges every dropped table for good: {text}")
    return SqlEffect("destroy", "item", f"purges a dropped object for good: {text}")


def analyse(text: str, strict: bool = True) -> list[SqlEffect]:
    """Every statement's effect. `strict`: only statements shaped as SQL (text that may be prose);
    otherwise every statement that starts with a statement word (text known to be SQL)."""
    out: list[SqlEffect] = []
    for st in tokenize(text):
        if strict and not _shape_ok(st.tokens):
            continue
        e = _statement(st)
        if e is not None:
            out.append(e)
    return out


def _where_index(t: list[Token], start: int) -> int:
    depth = 0
    for i in range(start, len(t)):
        x = t[i]
        if x.kind == "op":
            if x.text == "(":
                depth += 1
            elif x.text == ")":
                depth -= 1
        elif depth == 0 and x.kind == "word" and x.text == "where":
            return i
    return -1


def _tautology(t: list[Token]) -> bool:
    """`1=1`, `TRUE`, `'a'='a'`, `x = x`, `1`, `… OR 1=1`, `NOT FALSE`: every row."""
    if not t:
        return True
    if len(t) == 1 and (t[0].text in ("true", "1") or t[0].kind == "number" and t[0].text != "0"):
        return True
    if len(t) == 2 and t[0].text == "not" and t[1].text in ("false", "0"):
        return True
    # split on top-level OR: one tautological branch makes the whole condition one
    depth = 0
    branch: list[Token] = []
    branches: list[list[Token]] = []
    for x in t:
        if x.kind == "op" and x.text == "(":
            depth += 1
        elif x.kind == "op" and x.text == ")":
            depth -= 1
        if depth == 0 and x.kind == "word" and x.text == "or":
            branches.append(branch)
            branch = []
            continue
        branch.append(x)
    branches.append(branch)
    if len(branches) > 1 and _null_or_not_null(branches):
        return True
    for b in branches:
        b = [x for x in b if not (x.kind == "op" and x.text in "()")]
        if len(b) == 1 and (b[0].text == "true" or (b[0].kind == "number" and b[0].text != "0")):
            return True
        if len(b) == 3 and b[1].kind == "op" and b[1].text in ("=", "==", ">=", "<=", "<>", "!="):
            a, op, c = b
            same = (
                a.kind == c.kind
                and a.text == c.text
                and a.kind in ("number", "string", "word", "ident")
            )
            if same and op.text in ("=", "==", ">=", "<="):
                return True
            if (
                a.kind in ("number", "string")
                and c.kind in ("number", "string")
                and op.text in ("<>", "!=")
                and a.text != c.text
            ):
                return True
        if len(b) == 3 and b[1].kind == "op" and b[1].text in ("<", ">") and _const_holds(b):
            return True
        if (
            len(b) == 3
            and b[2].kind == "number"
            and (b[1].text, b[2].text) in _ABOVE_ZERO
            and b[0].text.rsplit(".", 1)[-1].strip('"`[]') in _KEY_COLUMNS
        ):
            return True  # a key is above zero: `WHERE id > 0`, `id >= 1` keeps every row
        if (
            len(b) == 3
            and b[1].text == "like"
            and b[2].kind == "string"
            and not b[2].text.strip("%")
        ):
            return True  # `x LIKE '%'`: any text at all
        if len(b) == 3 and b[1].kind == "word" and b[1].text == "is" and b[2].text == "not":
            continue
        if [x.text for x in b] == ["null", "is", "null"]:
            return True  # `NULL IS NULL`: true of every row
        if len(b) >= 4 and [x.text for x in b[-3:]] == ["is", "not", "null"]:
            # a key is never null: `WHERE id IS NOT NULL` filters nothing
            name = "".join(x.text for x in b[:-3]).rsplit(".", 1)[-1].strip('"`[]')
            if name in _KEY_COLUMNS:
                return True
        if (
            len(b) == 4
            and b[1].text == "is"
            and b[2].text == "not"
            and b[3].text == "null"
            and (b[0].kind in ("number", "string"))
        ):
            return True
    return False


# SQL Server's temporary tables (`#t`, `##t`) live for a session (`#` is a comment elsewhere)
_SESSION_TEMP: Final = re.compile(r"(?i)\bdrop\s+table\s+(?:if\s+exists\s+)?(?:\w{1,128}\.){0,2}#")
_NARROWING: Final = frozenset(
    {"where", "limit", "top", "join", "having", "group", "offset", "fetch", "qualify", "sample"}
)


def _whole_subquery(t: list[Token], table: str) -> bool:
    """`id IN (SELECT id FROM <the same table>)`, `EXISTS (SELECT 1 FROM t)`: a condition that
    a subquery with nothing narrowing it makes true for every row."""
    words = [x.text for x in t if x.kind in ("word", "ident", "number")]
    sel = words.index("select") if "select" in words else -1
    if sel < 0 or not _NARROWING.isdisjoint(words[sel:]):
        return False
    if words[:sel] == ["exists"]:
        return True
    if len(words) < 5 or words[1:3] != ["in", "select"] or words[3] != words[0]:
        return False
    name = "".join(x.text for x in t if x.kind in ("word", "ident") or x.text == ".")
    return bool(table) and name.endswith("from" + table)


_KEY_COLUMNS: Final = frozenset({"id", "pk", "uuid", "rowid", "_id", "oid", "guid"})
_ABOVE_ZERO: Final = frozenset({(">", "0"), (">=", "0"), (">=", "1")})


def _const_holds(b: list[Token]) -> bool:
    """`2 > 1`, `'b' > 'a'`: a comparison of two constants that is true."""
    a, op, c = b
    if a.kind == c.kind == "number":
        try:
            x, y = float(a.text), float(c.text)
        except ValueError:
            return False
    elif a.kind == c.kind == "string":
        x, y = a.text, c.text  # type: ignore[assignment]
    else:
        return False
    return x < y if op.text == "<" else x > y


def _null_or_not_null(branches: list[list[Token]]) -> bool:
    """`x IS NULL OR x IS NOT NULL`: every row."""
    null: set[str] = set()
    not_null: set[str] = set()
    for b in branches:
        words = [x.text for x in b if not (x.kind == "op" and x.text in "()")]
        if words[-3:] == ["is", "not", "null"] and len(words) > 3:
            not_null.add("".join(words[:-3]))
        elif words[-2:] == ["is", "null"] and len(words) > 2:
            null.add("".join(words[:-2]))
    return bool(null & not_null)


def _top_level(t: list[Token], start: int, word: str) -> int:
    """Index of `word` outside parentheses from `start` on (the end when absent)."""
    depth = 0
    for k in range(start, len(t)):
        x = t[k]
        if x.kind == "op" and x.text in "()":
            depth += 1 if x.text == "(" else -1
        elif depth == 0 and x.kind == "word" and x.text == word:
            return k
    return len(t)


def _unconditional_match_delete(t: list[Token], start: int) -> bool:
    """`WHEN MATCHED THEN DELETE` (no `AND …` narrowing which matched rows go)."""
    for k in range(start, len(t) - 3):
        if (
            t[k].text == "when"
            and t[k + 1].text == "matched"
            and t[k + 2].text == "then"
            and t[k + 3].text == "delete"
        ):
            return True
    return False


def _self_join(t: list[Token], table: str, using: int, cond: list[Token]) -> bool:
    """`… USING <the same table> [AS s] ON|WHERE a.id = s.id [AND a.k = s.k]`: a table joined
    with itself on equal columns, a condition every row meets (its own row matches it)."""
    if not table or using + 1 >= len(t) or t[using + 1].kind not in ("word", "ident"):
        return False
    source = _name_after(t, using + 1)
    a, b = table.lower(), source.lower()
    if not b or a.rsplit(".", 1)[-1] != b.rsplit(".", 1)[-1] or (a != b and "." in a and "." in b):
        return False  # another table (a name qualified alike on both sides must be the same)
    branches: list[list[str]] = [[]]
    for x in cond:
        if x.kind == "op" and x.text in "()":
            continue
        if x.kind == "word" and x.text == "and":
            branches.append([])
        elif x.kind == "word" and x.text in ("or", "not", "select", "in", "exists"):
            return False
        else:
            branches[-1].append(x.text)
    for br in branches:
        left, eq, right = "".join(br).partition("=")
        if not eq or "." not in left or "." not in right:
            return False
        lq, _, lcol = left.rpartition(".")
        rq, _, rcol = right.rpartition(".")
        if lcol != rcol or lq == rq or not lcol:
            return False
    return True


def _merge_deletes(t: list[Token], i: int) -> bool:
    words = [x.text for x in t[i:] if x.kind == "word"]
    return "matched" in words and "delete" in words[words.index("matched") :]


def _selects_nothing(t: list[Token], i: int) -> bool:
    """A `… AS SELECT` whose condition never holds (`WHERE 1=0`, `WHERE FALSE`) or `LIMIT 0`."""
    sel = _top_level(t, i, "select")
    if sel >= len(t):
        return False
    lim = _top_level(t, sel, "limit")
    if lim + 1 < len(t) and t[lim + 1].text == "0":
        return True
    w = _where_index(t, sel + 1)
    if w < 0:
        return False
    b = [
        x
        for x in t[w + 1 : _top_level(t, w + 1, "limit")]
        if not (x.kind == "op" and x.text in "()")
    ]
    if len(b) == 1:
        return b[0].text in ("false", "0")
    return (
        len(b) == 3
        and b[1].kind == "op"
        and b[1].text in ("=", "==")
        and b[0].kind == b[2].kind
        and b[0].kind in ("number", "string")
        and b[0].text != b[2].text
    )


def _name_after(t: list[Token], i: int) -> str:
    parts: list[str] = []
    while i < len(t) and (t[i].kind in ("word", "ident") or t[i].text == "."):
        if t[i].kind == "word" and t[i].text in (
            "where",
            "set",
            "using",
            "as",
            "cascade",
            "restart",
            "from",
            "join",
        ):
            break
        parts.append(t[i].text)
        i += 1
        if parts and parts[-1] != "." and i < len(t) and t[i].text != ".":
            break
    return "".join(parts)


_AUDIT_OFF: Final = re.compile(
    r"\b(?:general_log|log_statement|pgaudit[.\s]log|audit_trail|audit_log\w*|server_audit_logging)"
    r"\W+(?:to\W+)?(?:off|0|none|false)\b|\bsql_log_off\W+(?:to\W+)?(?:on|1|true)\b"
)


def _low_text(t: list[Token], i: int) -> str:
    return " ".join(x.text.lower() for x in t[i : i + 40] if x.kind in ("word", "string", "number"))


def _short(text: str) -> str:
    s = " ".join(text.split())
    return s if len(s) <= 100 else s[:99] + "…"


# Roles and attributes that make a database user its administrator.
_ADMIN_ROLES: Final = frozenset(
    {
        "sysadmin",
        "db_owner",
        "rds_superuser",
        "cloudsqlsuperuser",
        "azure_pg_admin",
        "securityadmin",
    }
)


def _to_everyone(words: list[str]) -> bool:
    """`GRANT ALL … TO PUBLIC`, `GRANT SELECT ON ALL TABLES … TO PUBLIC`: every privilege, or
    every table, to every role (`public` as the schema's name grants nothing to anyone)."""
    if "to" not in words:
        return False
    cut = len(words) - 1 - words[::-1].index("to")
    if "public" not in words[cut + 1 :]:
        return False
    granted = words[1 : words.index("on")] if "on" in words else words[1:cut]
    return granted[:1] == ["all"] or "all" in words[:cut]


def _words(t: list[Token], i: int) -> list[str]:
    """The words of a statement after its head (options come after a password's string)."""
    return [x.text for x in t[i + 1 : i + 32] if x.kind == "word"]


def _makes_admin(words: list[str]) -> bool:
    """`ALTER ROLE x WITH SUPERUSER`, `CREATE USER x SUPERUSER`, `ALTER SERVER ROLE sysadmin ADD
    MEMBER x`: a user or role given administrator rights."""
    if words[:1] not in (["user"], ["role"], ["login"]) and words[:2] != ["server", "role"]:
        return False
    return "superuser" in words or ("add" in words and not _ADMIN_ROLES.isdisjoint(words))


# Procedures that run the SQL text they are given (for every table or database, with `?` for
# its name): the text's statements are what they do.
_BLOCK_EDGES: Final = re.compile(
    r"(?i)\b(?:begin|end|declare)\b"
)  # a block's keywords, not statements
_DYNAMIC: Final = frozenset({"sp_msforeachtable", "sp_msforeachdb", "sp_executesql", "immediate"})
_SEVERE: Final = (
    "destroy",
    "weaken_security",
    "escalate",
    "exec",
    "schema_change",
    "access_change",
)


_BLOCK_HEADS: Final = frozenset({"begin", "declare", "for", "while", "loop", "if"})


def _glued(t: list[Token], start: int) -> str:
    """The text string literals joined by `+` or `||` make (`'DR' + 'OP TABLE t'`), a name
    between them standing for each table (`'DROP TABLE ' || r.table_name`); "" unless two
    pieces are joined."""
    out: list[str] = []
    joined = False
    k = start
    while k < len(t) and k < start + 64:
        x = t[k]
        name = x.kind in ("word", "ident")
        if x.kind == "string":
            out.append(x.text)
        elif x.kind == "op" and x.text in ("+", "||"):
            joined = True
        elif name and out and t[k - 1].text in ("+", "||"):
            out.append(" each_table ")  # a name from a variable (`r.table_name`, `@t`)
        elif not (x.kind == "op" and x.text in ("(", ")", ".")) and not (
            name and t[k - 1].text == "."
        ):
            break
        k += 1
    return "".join(out) if joined and len(out) > 1 else ""


def _dynamic(texts: list[str], outer: str, depth: int = 1) -> SqlEffect | None:
    """The most severe effect of the SQL in a dynamic call's strings (`?`: each table)."""
    found: list[SqlEffect] = []
    for raw in texts[:8]:
        inner = raw[:65536].replace("[?]", "each_table").replace("?", "each_table")
        for st in tokenize(inner):
            e = _statement(st, depth=depth) if _shape_ok(st.tokens) else None
            if e is not None and e.kind in _SEVERE:
                found.append(e)
    if not found:
        return None
    worst = min(found, key=lambda e: _SEVERE.index(e.kind))
    return SqlEffect(worst.kind, worst.scope, f"{worst.text} (run by {_short(outer)})", worst.shell)


def _setting(t: list[Token], i: int) -> list[tuple[str, str]]:
    """`name = value` (or `name TO value`) from token `i`: the setting a statement makes."""
    if i + 2 >= len(t) or t[i].kind != "word" or t[i + 1].text not in ("=", "to"):
        return []
    value = t[i + 2]
    return [(t[i].text, value.text)] if value.kind in ("word", "string", "number") else []


_NARROWED_TEXT: Final = ("where", "limit", "count(", "group by", " top ")
_WHOLE_READ_STOPS: Final = frozenset({"where", "limit", "top", "fetch", "group", "having", "offset",
                               "count", "sum", "avg", "min", "max", "distinct"})  # fmt: skip


def whole_table_read(text: str) -> str:
    """The table a query reads whole — `SELECT … FROM t` with no filter, limit, grouping or
    aggregate, `COPY t TO …`, psql's `\\copy t to …` — or "": its output is that table's rows,
    a dump of it."""
    low = text[:4096].lower()
    if "select" not in low and "copy" not in low:
        return ""
    if low.rstrip().rstrip(";").count(";") == 0 and any(w in low for w in _NARROWED_TEXT):
        return ""  # one statement that filters, limits or counts: no whole table (cheap test)
    for st in tokenize(text[:4096])[:8]:
        t = st.tokens
        k = 0
        while k < len(t) and t[k].kind == "op":
            k += 1  # psql's `\copy`
        if k + 1 >= len(t) or t[k].kind != "word":
            continue
        if t[k].text == "copy" and t[k + 1].kind in ("word", "ident"):
            if any(x.kind == "word" and x.text == "to" for x in t[k + 2 : k + 8]):
                return t[k + 1].text
        elif t[k].text == "select":
            table = _whole_select(t, k)
            if table:
                return table
    return ""


def _whole_select(t: list[Token], k: int) -> str:
    """The table `SELECT … FROM t` (its `select` at `k`) reads whole — no filter, limit,
    grouping or aggregate — or ""."""
    words = [x.text for x in t[k + 1 :] if x.kind == "word"]
    if "from" not in words or not _WHOLE_READ_STOPS.isdisjoint(words):
        return ""
    f = next(n for n in range(k + 1, len(t)) if t[n].text == "from")
    return t[f + 1].text if f + 1 < len(t) and t[f + 1].kind in ("word", "ident") else ""


def _retains_nothing(t: list[Token], i: int) -> bool:
    """`… RETAIN 0 HOURS`: a retention of zero (not a `DRY RUN`, which only lists the files)."""
    if any(x.kind == "word" and x.text == "dry" for x in t[i + 1 :]):
        return False
    for k in range(i + 1, len(t) - 1):
        if t[k].kind == "word" and t[k].text == "retain":
            return t[k + 1].kind == "number" and t[k + 1].text.strip("0.") == ""
    return False


def _whole_source(t: list[Token], k: int) -> str:
    """The table a `FROM` at `k` names whole: a table's name, or a parenthesised query that
    reads one with no filter, limit, grouping or aggregate; else ""."""
    if k >= len(t):
        return ""
    if t[k].kind in ("word", "ident"):
        return t[k].text
    if t[k].kind != "op" or t[k].text != "(":
        return ""
    inner = _closing(t, k)
    return _whole_select(inner, 0) if inner and inner[0].text == "select" else ""


def _closing(t: list[Token], open_at: int) -> list[Token]:
    """The tokens inside the parenthesis that opens at `open_at`, up to its closing one."""
    depth = 0
    for k in range(open_at, len(t)):
        if t[k].kind == "op" and t[k].text == "(":
            depth += 1
        elif t[k].kind == "op" and t[k].text == ")":
            depth -= 1
            if depth == 0:
                return t[open_at + 1 : k]
    return t[open_at + 1 :]


def _statement(st: Statement, depth: int = 0) -> SqlEffect | None:
    t = st.tokens
    if not t or t[0].kind != "word":
        return None
    i = 0
    first = t[0].text
    # EXPLAIN without ANALYZE only plans; EXPLAIN ANALYZE runs the statement
    if first == "explain":
        if len(t) > 1 and t[1].text in ("analyze", "analyse"):
            i = 2
            while i < len(t) and t[i].kind == "op":
                i += 1
        else:
            return SqlEffect("read", "", _short(st.text))
    # WITH … AS (…) [, … AS (…)] <main statement>
    if t[i].text == "with":
        depth = 0
        j = i + 1
        while j < len(t):
            x = t[j]
            if x.kind == "op" and x.text == "(":
                depth += 1
                if depth == 1 and j + 1 < len(t) and t[j + 1].text in ("delete", "update"):
                    # PostgreSQL's data-modifying CTE: `WITH d AS (DELETE FROM t RETURNING *)`
                    changed = _statement(Statement(_closing(t, j), st.text), depth=1)
                    if changed is not None and changed.kind == "destroy":
                        return changed
            elif x.kind == "op" and x.text == ")":
                depth -= 1
            elif (
                depth == 0
                and x.kind == "word"
                and x.text
                in (
                    "select",
                    "insert",
                    "update",
                    "delete",
                    "merge",
                )
            ):
                break
            j += 1
        i = j
    if i >= len(t):
        return SqlEffect("read", "", _short(st.text))
    head = t[i].text
    if head in _BLOCK_HEADS and depth == 0:
        # PL/SQL's and T-SQL's blocks and loops (`BEGIN FOR r IN (…) LOOP EXECUTE IMMEDIATE
        # 'DROP TABLE ' || r.table_name; …`): the dynamic statement they hold
        k = next(
            (k for k in range(i + 1, min(len(t), 512)) if t[k].text in ("execute", "exec")), -1
        )
        if k > 0:
            return _statement(Statement(t[k:], st.text), depth=depth)
    words_after = [x.text for x in t[i + 1 : i + 6] if x.kind == "word"]
    text = _short(st.text)
    if head in ("delete",):
        w = _where_index(t, i + 1)
        table = ""
        for k in range(i + 1, len(t)):
            if t[k].text == "from":
                table = _name_after(t, k + 1)
                break
        if table.lower().rsplit(".", 1)[-1] in ("sqlite_master", "sqlite_schema"):
            # SQLite's schema table: a row deleted is a table (or index) dropped
            return SqlEffect("destroy", "data", f"drops the tables whose definitions go: {text}")
        using = _top_level(t, i + 1, "using") if w > 0 else len(t)
        if (
            w < 0
            or _tautology(t[w + 1 :])
            or _whole_subquery(t[w + 1 :], table)
            or (using < w and _self_join(t, table, using, t[w + 1 :]))
        ):
            return SqlEffect(
                "destroy", "data", f"deletes every row of {table or 'a table'}: {text}"
            )
        return SqlEffect("destroy", "item", f"deletes rows of {table or 'a table'}: {text}")
    if head == "update":
        w = _where_index(t, i + 1)
        table = _name_after(t, i + 1)
        if w < 0 or _tautology(t[w + 1 :]):
            return SqlEffect(
                "destroy", "data", f"overwrites every row of {table or 'a table'}: {text}"
            )
        return SqlEffect("write", "", text)
    if head == "truncate":
        return SqlEffect("destroy", "data", f"empties a table: {text}")
    if head == "undrop":
        return SqlEffect("write", "", text)  # restores what a DROP removed
    if head == "purge":
        return _purge(t, i, text)
    if head == "reset":
        if words_after[:1] == ["master"] or words_after[:2] == ["binary", "logs"]:
            return SqlEffect("destroy", "data", f"deletes every binary log: {text}")
        if words_after[:1] and words_after[0] in _RESET_THINGS:
            return SqlEffect("write", "", text)
        return SqlEffect("read", "", text)  # a session's setting back to its default
    if head in ("drop", "clear") and _sparql_graphs(t[i:]):
        return SqlEffect("destroy", "data", f"deletes every triple of the graphs named: {text}")
    if head == "drop":
        obj = words_after[0] if words_after else ""
        if obj in ("temporary", "temp") or _SESSION_TEMP.search(st.text):
            return SqlEffect("schema_change", "", text)
        if obj in _DATA_OBJECTS:
            return SqlEffect("destroy", "data", f"drops a {obj}: {text}")
        if obj == "tablespace" and "contents" in words_after + [x.text for x in t[i + 6 : i + 9]]:
            # Oracle's `DROP TABLESPACE ts INCLUDING CONTENTS`: every table stored there with it
            return SqlEffect("destroy", "data", f"drops a tablespace with its contents: {text}")
        if obj in ("user", "role", "login", "owned"):
            if obj == "owned" or "cascade" in {x.text for x in t[i + 1 :] if x.kind == "word"}:
                # CASCADE (and DROP OWNED) drops every object the account owns with it
                return SqlEffect(
                    "destroy", "data", f"drops an account and everything it owns: {text}"
                )
            return SqlEffect("access_change", "", text)
        return SqlEffect("schema_change", "", text)
    if head == "reassign":  # every object of one account given to another
        return SqlEffect("schema_change", "", f"gives another account what one owns: {text}")
    if head == "alter":
        words = [x.text for x in t[i + 1 : i + 12] if x.kind == "word"]
        if words[:1] == ["table"] and ("delete" in words or "update" in words):
            # ClickHouse mutations: ALTER TABLE t DELETE|UPDATE … WHERE cond
            w = _where_index(t, i + 1)
            verb = "deletes every row of" if "delete" in words else "overwrites every row of"
            if w < 0 or _tautology(t[w + 1 :]):
                return SqlEffect(
                    "destroy", "data", f"{verb} {_name_after(t, i + 2) or 'a table'}: {text}"
                )
            return SqlEffect("write", "", text)
        if words_after[:1] == ["table"] and any(x.text == "drop" for x in t[i + 1 :]):
            # a column or a partition dropped takes its values with it, in every row; a
            # constraint, an index or a default is only the schema
            for k in range(i + 1, len(t) - 1):
                if t[k].text == "drop" and t[k].kind == "word":
                    what = t[k + 1].text if t[k + 1].kind in ("word", "ident") else ""
                    if what and what not in _SCHEMA_ONLY_DROPS:
                        names = [x.text for x in t[i + 2 : k] if x.kind in ("word", "ident")]
                        names = [x for x in names if x not in ("if", "exists", "only")]
                        table = names[0] if names else "a table"
                        part = "a partition" if what == "partition" else "a column"
                        return SqlEffect(
                            "destroy", "data", f"drops {part} of {table}, in every row: {text}"
                        )
            return SqlEffect("schema_change", "", f"drops a constraint or an index: {text}")
        if _AUDIT_OFF.search(_low_text(t, i)):
            return SqlEffect("weaken_security", "", f"turns database auditing off: {text}")
        if words_after[:1] == ["database"] and "noarchivelog" in words_after:
            # Oracle without archived logs: no point-in-time recovery, no online backup
            return SqlEffect("weaken_security", "", f"turns log archiving off: {text}")
        if words_after[:1] == ["table"] and " disable row level security" in _low_text(t, i):
            # PostgreSQL's row-level security off: every row readable by every role granted it
            return SqlEffect("weaken_security", "", f"turns row-level security off: {text}")
        if words_after[:2] == ["system", "set"]:
            # PostgreSQL's server configuration (`ALTER SYSTEM SET ssl = off`)
            return SqlEffect("schema_change", "", text, settings=_setting(t, i + 3))
        if _makes_admin(_words(t, i)):
            return SqlEffect("escalate", "all", f"grants administrator rights: {text}")
        if "password" in words_after or (words_after[:1] in (["user"], ["role"], ["login"])):
            return SqlEffect("access_change", "", text)
        return SqlEffect("schema_change", "", text)
    if head in ("create", "rename", "comment", "reindex", "cluster", "refresh"):
        if head == "create" and _makes_admin(_words(t, i)):
            return SqlEffect("escalate", "all", f"grants administrator rights: {text}")
        if words_after[:1] in (["user"], ["role"], ["login"]):
            return SqlEffect("access_change", "", text)
        if head == "create" and words_after[:3] == ["or", "replace", "table"]:
            if _selects_nothing(t, i):  # `… AS SELECT * FROM t WHERE 1=0`: an empty copy
                table = _name_after(t, i + 4) or "a table"
                return SqlEffect("destroy", "data", f"replaces {table} with an empty copy: {text}")
            return SqlEffect("schema_change", "", f"replaces a table: {text}")
        return SqlEffect("schema_change", "", text)
    if head in ("grant", "revoke"):
        low_words = [x.text for x in t if x.kind == "word"]
        if head == "grant" and (
            "superuser" in low_words
            or not _ADMIN_ROLES.isdisjoint(low_words)
            or "dba" in low_words
            or _to_everyone(low_words)
            # every privilege on every database, or with the right to grant them on
            or ("all" in low_words and "*.*" in "".join(text.split()))
            or ("all" in low_words and "option" in low_words and "with" in low_words)
        ):
            return SqlEffect("escalate", "all", f"grants administrator rights: {text}")
        return SqlEffect("access_change", "", text)
    if head == "do" and depth == 0:
        # PostgreSQL's anonymous block `DO $$ BEGIN … END $$`: the statements it holds
        bodies = [x.text for x in t if x.kind == "string"]
        if not bodies:
            return None
        inner = _dynamic([_BLOCK_EDGES.sub(" ", b) for b in bodies], text)
        return inner if inner is not None else SqlEffect("write", "", text)
    if head in ("set",):
        if _AUDIT_OFF.search(_low_text(t, i)):
            return SqlEffect("weaken_security", "", f"turns database auditing off: {text}")
        if words_after[:1] in (["global"], ["persist"], ["persist_only"]):
            # MySQL's server-wide settings, for every session from now on
            return SqlEffect("write", "", text, settings=_setting(t, i + 2))
        return SqlEffect("read", "", text)
    if head in ("exec", "execute", "call"):
        cmds = [x.text for x in t if x.kind == "string"]
        words = [x.text for x in t if x.kind == "word"]
        if "sp_configure" in words[1:3]:
            # SQL Server's server options: a name alone shows it, a name and a value sets it
            values = [x.text for x in t if x.kind in ("number", "string")]
            if len(values) < 2:
                return SqlEffect("read", "", text)
            key = "_".join(values[0].lower().split())
            return SqlEffect("write", "", text, settings=[(key, values[1])])
        if any(x.text == "xp_cmdshell" for x in t):
            return SqlEffect("exec", "", f"runs a shell command: {text}", shell=cmds)
        # PL/pgSQL's `EXECUTE 'DROP TABLE ' || 'orders'`, T-SQL's `EXEC('DR' + 'OP TABLE t')`:
        # the statement its literals make, a name from a variable standing for each table
        glued = _glued(t, i + 1)
        if depth <= 1 and glued:
            inner = _dynamic([glued], text, depth + 1)
            if inner is not None:
                return inner
        if depth <= 1 and cmds and not _DYNAMIC.isdisjoint(words):
            inner = _dynamic(cmds, text, depth + 1)
            if inner is not None:
                return inner
        return SqlEffect("write", "", text)
    if head == "copy" and i + 2 < len(t) and t[i + 1].text == "into" and t[i + 2].kind == "string":
        # Snowflake's unload, `COPY INTO 's3://…' FROM customers`: the rows go to that location
        e = SqlEffect("write", "", text)
        table = _whole_source(t, _top_level(t, i + 3, "from") + 1)
        if table:
            e.sends = [(t[i + 2].text, f"the rows of {table}")]
        return e
    if head == "vacuum" and _retains_nothing(t, i):
        # Delta's `VACUUM t RETAIN 0 HOURS`: every earlier version's files deleted, so no
        # time travel nor restore of the table from before now
        table = _name_after(t, i + 1) or "a table"
        return SqlEffect("destroy", "data", f"destroys every earlier version of {table}: {text}")
    if head == "unload":
        # Redshift's `UNLOAD ('SELECT * FROM users') TO 's3://…'`
        e = SqlEffect("write", "", text)
        to = _top_level(t, i + 1, "to")
        query = next((x.text for x in t[i + 1 : to] if x.kind == "string"), "")
        table = whole_table_read(query) if query else ""
        if table and to + 1 < len(t) and t[to + 1].kind == "string":
            e.sends = [(t[to + 1].text, f"the rows of {table}")]
        return e
    if head == "copy":
        words = [x.text for x in t if x.kind == "word"]
        if "program" in words:
            cmds = [x.text for x in t if x.kind == "string"]
            e = SqlEffect("exec", "", f"runs a shell command: {text}", shell=cmds)
            if words[words.index("program") - 1] == "to":  # the rows go to its standard input
                named = i + 1 < len(t) and t[i + 1].kind != "op"  # `COPY (SELECT …)`: a query
                table = t[i + 1].text if named else "a query"
                e.stdin = f"the rows of {table}"
            return e
        if _top_level(t, i + 1, "from") < len(t):  # not a query's own (`COPY (SELECT … FROM …)`)
            return SqlEffect("write", "", text)
        # `COPY … TO '/path'`: the server writes a file there
        to = _top_level(t, i + 1, "to")
        to = to if to < len(t) - 1 else -1
        if to > 0 and t[to + 1].kind == "string":
            return SqlEffect("write", "", text, files=[(t[to + 1].text, None)])
        return SqlEffect("read", "", text)
    if head in ("select",):
        seen = {x.text for x in t if x.kind == "word"}
        if "into" in seen and ("outfile" in seen or "dumpfile" in seen):
            # the server writes the selected text to that path (a literal: what it writes)
            strings = [x.text for x in t if x.kind == "string"]
            out = next(
                (
                    t[k + 1].text
                    for k in range(i, len(t) - 1)
                    if t[k].text in ("outfile", "dumpfile") and t[k + 1].kind == "string"
                ),
                None,
            )
            # `SELECT '<?php …' INTO OUTFILE`: that text; `SELECT … FROM t INTO …`: t's rows
            content = strings[0] if strings and strings[0] != out and "from" not in seen else None
            return SqlEffect("write", "", text, files=[(out, content)] if out else [])
        if "pg_terminate_backend" in seen or "pg_cancel_backend" in seen:
            return SqlEffect("write", "", text)
        if "xp_cmdshell" in seen or "sys_exec" in seen or "pg_read_file" in seen:
            cmds = [x.text for x in t if x.kind == "string"]
            return SqlEffect("exec", "", f"runs a shell command: {text}", shell=cmds)
        return SqlEffect("read", "", text)
    if head == "merge" and _merge_deletes(t, i):
        # `MERGE INTO t USING s ON cond WHEN MATCHED THEN DELETE`: the rows `cond` matches go
        table = _name_after(t, i + 2 if t[i + 1].text == "into" else i + 1) or "a table"
        on = _top_level(t, i + 1, "on")
        cond = t[on + 1 : _top_level(t, on + 1, "when")] if on > 0 else []
        if on > 0 and _tautology(cond):
            return SqlEffect("destroy", "data", f"deletes every row of {table}: {text}")
        using = _top_level(t, i + 1, "using")
        if (
            0 < using < on
            and _unconditional_match_delete(t, on)
            and _self_join(t, table, using, cond)
        ):
            # `MERGE INTO t USING t AS s ON t.id = s.id WHEN MATCHED THEN DELETE`: every row
            # of a table matches itself on its own columns
            return SqlEffect("destroy", "data", f"deletes every row of {table}: {text}")
        return SqlEffect("destroy", "item", f"deletes rows of {table}: {text}")
    if head in (
        "insert",
        "replace",
        "upsert",
        "merge",
        "load",
        "lock",
        "vacuum",
        "analyze",
        "optimize",
        "backup",
        "checkpoint",
    ):
        return SqlEffect("write", "", text)
    if head in ("restore",):
        return SqlEffect("destroy", "data", f"restores over a database: {text}")
    if head in ("kill",):
        return SqlEffect("write", "", text)
    if head in ("shutdown",):
        return SqlEffect("stop_service", "service", f"shuts the database down: {text}")
    if head in _READ_FIRST:
        return SqlEffect("read", "", text)
    if head in STATEMENT_WORDS:
        return SqlEffect("write", "", text)
    return None


# Cypher (Neo4j, Memgraph): `MATCH (n) DETACH DELETE n` deletes every node the pattern matches.
# A pattern narrowed by a property map or a WHERE deletes some; a label alone narrows nothing
# more than a table name does (`DELETE FROM customers`).
_CYPHER: Final = re.compile(r"^\s*(?:OPTIONAL\s+)?MATCH\s*\(", re.I)
_CYPHER_DELETE: Final = re.compile(r"\b(?:DETACH\s+)?DELETE\b", re.I)
_CYPHER_SET: Final = re.compile(r"\b(?:SET|REMOVE|MERGE|CREATE)\b", re.I)
_CYPHER_NARROW: Final = re.compile(r"\bWHERE\b|\{[^}]*:|\bLIMIT\b", re.I)


# APOC's batches: `CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {…})`
# runs the second query on every row of the first: the two read as one query.
_APOC_ITERATE: Final = re.compile(
    r"\s*CALL\s+apoc\.periodic\.iterate\s*\(\s*(['\"])(.{0,2000}?)\1\s*,\s*(['\"])(.{0,2000}?)\3",
    re.I | re.S,
)


def looks_like_cypher(text: str) -> bool:
    return _CYPHER.match(text) is not None or _APOC_ITERATE.match(text) is not None


def cypher(text: str) -> SqlEffect:
    """One Cypher query's effect (the text up to 4 KiB)."""
    head = text[:4096]
    apoc = _APOC_ITERATE.match(head)
    if apoc is not None:
        head = f"{apoc.group(2)} {apoc.group(4)}"
    shown = " ".join(head.split())[:120]
    m = _CYPHER_DELETE.search(head)
    if m is not None:
        if _CYPHER_NARROW.search(head[: m.start()]):
            return SqlEffect("destroy", "item", f"deletes matched nodes: {shown}")
        return SqlEffect("destroy", "data", f"deletes every matched node: {shown}")
    if _CYPHER_SET.search(head):
        return SqlEffect("write", "", shown)
    return SqlEffect("read", "", shown)


# GraphQL: a mutation's fields (`deleteAllUsers`, Hasura's `delete_users(where: {})`, Prisma's
# `deleteManyPost`): a destroy verb with `all`/`many` or an empty filter deletes every record.
_GRAPHQL: Final = re.compile(r"^\s*mutation\b[^{]{0,200}\{", re.I)
# a field with arguments (its selection is optional: `projectDelete(id: "p1")` returns a scalar)
# or with a selection
_GQL_FIELD: Final = re.compile(
    r"\b([A-Za-z_]\w{0,80})\s*(?:(\((?:[^()]|\([^()]*\)){0,400}\))|(?=\{))"
)
_GQL_EMPTY: Final = re.compile(r"\b(?:where|filter)\s*:\s*\{\s*\}", re.I)
_GQL_WORDS: Final = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


# A GraphQL query operation (`query { orders(first: 20) { id } }`, `query Orders($n: Int) {`):
# it reads; only a mutation changes anything.
_GRAPHQL_QUERY: Final = re.compile(r"^\s*query\b[^{]{0,200}\{[^{}]{0,400}\{", re.I)


def looks_like_graphql(text: str) -> bool:
    return _GRAPHQL.match(text) is not None


def looks_like_graphql_query(text: str) -> bool:
    return _GRAPHQL_QUERY.match(text) is not None


def graphql(
    text: str, destroy_verbs: frozenset[str], scope_of: Callable[[list[str], bool], str]
) -> list[SqlEffect]:
    """The deleting fields of one GraphQL mutation (the text up to 4 KiB). `scope_of(words,
    every)`: what a field deletes by the nouns of its name (`projectDelete` a project) and
    whether it deletes every record of its kind."""
    head = text[:4096]
    start = _GRAPHQL.match(head)
    out: list[SqlEffect] = []
    if start is None:
        return out
    for m in _GQL_FIELD.finditer(head, start.end()):
        words = {w.lower() for w in _GQL_WORDS.findall(m.group(1))}
        if not words & destroy_verbs:
            continue
        args = m.group(2) or ""
        every = bool(words & {"all", "many", "every"}) or bool(_GQL_EMPTY.search(args))
        shown = " ".join(m.group(0).split())[:120]
        out.append(SqlEffect("destroy", scope_of(sorted(words), every), f"deletes: {shown}"))
        if len(out) >= 16:
            break
    return out
