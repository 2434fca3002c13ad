"""What a code snippet does: Python through its own parser (`ast`), JavaScript and others by
their call chains.

A snippet is reduced to calls — a dotted name (`shutil.rmtree`, `User.objects.all().delete`,
`db.users.deleteMany`), its literal arguments and keywords — with imports and simple
assignments resolved, so `import shutil as s; p = "/srv/data"; s.rmtree(p)` reads as
`shutil.rmtree("/srv/data")`. `_commands` turns the calls into effects: shell strings and SQL
strings go to their own analysers, destructive ORM and driver calls, file deletions, sockets
bound to a shell, code decoded and executed.
"""

from __future__ import annotations

import ast
import base64
import binascii
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final, cast

from agentaudit.classifier._detect import WORD_BYTES, Gated
from agentaudit.classifier._literals import first_characters

MAX_CALLS: Final = (
    400  # calls kept per snippet (a snippet is scanned in full, calls beyond are dropped)
)


@dataclass(slots=True)
class Call:
    """`chain`: the dotted name, with `()` marking an intermediate call (`a.all().delete`).
    `args`: literal string arguments (non-literals as ""), `kwargs` likewise; `empty_first`:
    the first argument is an empty dict/object (`delete_many({})`); `nargs`: argument count."""

    chain: str
    args: list[str] = field(default_factory=list)
    kwargs: dict[str, str] = field(default_factory=dict)
    nargs: int = 0
    empty_first: bool = False
    decoded: str = ""  # text an argument decodes to (base64 literal passed to exec/eval)
    recv: str = ""  # the string a method is called on (`Path("/srv").rmdir()`: "/srv")
    argtext: str = ""  # the argument text as written (call chains only), at most 300 chars
    # a first argument that is a list of words, or the list that follows a program's name
    arglist: list[str] = field(default_factory=list)
    remote_arg: bool = False  # an argument is fetched from the network or decoded
    each: bool = False  # made once per item of a listing (`for d in coll.stream(): d.delete()`)
    refs: list[str] = field(default_factory=list)  # functions passed by name (`map(os.remove, …)`)
    dicts: dict[str, ast.expr] = field(default_factory=dict)  # keyword -> a dict literal
    at: int = -1  # where its arguments start in the text scanned (call chains only)
    empty_arg: bool = False  # an argument is an empty string or bytes literal (`write('')`)
    # a loop's listing given a call (`session.scalars(select(Order).where(…))`): its chain
    # (`select().where`), the statement such a runner lists
    stmt: str = ""

    @property
    def name(self) -> str:
        return self.chain.rsplit(".", 1)[-1]


# Calls that only make a list of their arguments (R's `c("-c", "rm -rf /x")`, Kotlin's
# `arrayOf(…)`/`listOf(…)`, Java's `List.of(…)`/`Arrays.asList(…)`): given to a call, their
# elements are that call's arguments, as a list literal's are.
VECTOR_CALLS: Final = frozenset({"c", "arrayOf", "listOf", "List.of", "Arrays.asList"})


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


@dataclass(slots=True)
class Snippet:
    calls: list[Call]
    strings: list[str]  # every string literal (candidate paths, commands, SQL)
    language: str
    imports: set[str] = field(default_factory=set)
    env_dump: bool = False  # the whole environment is used as a value (`dict(os.environ)`)
    # keywords given one environment variable (`WebClient(token=os.environ["SLACK_TOKEN"])`)
    env_keywords: list[str] = field(default_factory=list)
    source: str = ""  # the text call chains were scanned in (`Call.at` is an offset in it)


# ----------------------------------------------------------------------------- Python


def _w(*words: str) -> str:
    """Words that start after a non-word character, written so that the regex engine can skip
    to their first letters: `\\bword` would make it try every branch at every position (the
    lookbehind after the word says the same as `\\b` before it)."""
    return "(?:" + "|".join(f"{w}(?<!\\w{w})" for w in words) + ")"


# Python: statements at the start of a line, and calls only Python code makes.
_PY_LINE: Final = re.compile(
    r"(?:^|\n)\s*(?:import\s+\w|from\s+[\w.]+\s+import\b|def\s+\w+\s*\(|class\s+\w+|"
    r"async\s+def\b|with\s+\w[^\n]*:\s*$|for\s+\w+\s+in\b)",
    re.M,
)
_PY_LINE_WORDS: Final = (
    "import",
    "def",
    "class",
    "with",
    "for",
)  # one is in each statement it finds
_PY_MODULES: Final = ("os", "sys", "subprocess", "shutil", "socket", "requests", "pathlib", "psycopg",
               "psycopg2", "sqlite3", "pymongo", "redis", "boto3", "psutil", "pty", "urllib",
               "httpx", "Path")  # fmt: skip
_PY_BUILTINS: Final = ("exec", "eval", "open", "print")


class DottedForms:
    """Forms read from a dot: a whole word before it (`os.`) and what must follow it, or what
    may follow any dot (`.execute(`). Tried at each dot of a text (found by a C scan) with one
    lookup of the word before it: a regex of the same forms (`pattern`, which says exactly what
    is matched) would try every word's lookbehind at every dot."""

    __slots__ = ("by_word", "after", "firsts", "longest")

    def __init__(self, by_word: dict[str, str], after: str) -> None:
        self.by_word = {w: re.compile(rest) for w, rest in by_word.items()}
        self.after = re.compile(after)
        self.firsts = first_characters(after)  # what every `after` match starts with (None: any)
        self.longest = max(len(w) for w in by_word)

    def found_in(self, text: str) -> bool:
        i = text.find(".")
        if i < 0:
            return False
        # an ASCII text's words by bytes (the rest blanked): the word before a dot is what
        # follows the last blank before it
        words = text.encode("ascii").translate(WORD_BYTES).decode("ascii") if text.isascii() else ""
        firsts = self.firsts
        while i >= 0:
            if words:
                word = text[words.rfind(" ", 0, i) + 1 : i]
            else:
                word = _word_before(text, i, self.longest)
            rest = self.by_word.get(word)
            if rest is not None and rest.match(text, i + 1) is not None:
                return True
            if (firsts is None or text[i + 1 : i + 2] in firsts) and self.after.match(
                text, i + 1
            ) is not None:
                return True
            i = text.find(".", i + 1)
        return False

    def pattern(self) -> str:
        """The regex these forms stand for (for tests: `found_in` is its `search`)."""
        each = [f"(?<=\\b{w}\\.){rest.pattern}" for w, rest in self.by_word.items()]
        return r"\.(?:" + "|".join([*each, self.after.pattern]) + ")"


def _word_before(text: str, end: int, longest: int) -> str:
    """The whole word (`\\w+`) that ends at `end`, if it is at most `longest` characters long
    (else "", as for no word)."""
    start = end
    stop = max(0, end - longest - 1)
    while start > stop and _is_word(text[start - 1]):
        start -= 1
    if start > 0 and _is_word(text[start - 1]):
        return ""
    return text[start:end]


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what the regex engine calls `\w`


# Every form holds a "." or a "(": those with a "." are matched from it, the rest (a builtin
# called) by a search made only when the text holds a "(".
_PY_DOTTED: Final = DottedForms(
    {**dict.fromkeys(_PY_MODULES, ""), "session": r"query\s*\("},
    r"objects\.|execute\s*\(|(?:to_sql|saveAsTable|write_database|insertInto)\s*\(",
)
_PY_BUILTIN_CALL: Final = Gated(r"(?:__import__|" + _w(*_PY_BUILTINS) + r")\s*\(")
# JavaScript: forms with a dot matched from it, as above; the rest each hold a "(" or "=", or
# are `await …`, `child_process` or `…Storage`.
_JS_DOTTED: Final = DottedForms(
    {
        **dict.fromkeys(("db", "prisma", "document", "navigator"), r"\w"),
        "fs": r"\w+\s*\(",
        "Buffer": r"from\s*\(",
        "process": r"env\b",
    },
    r"(?:then|deleteMany|deleteOne|drop|dropDatabase|remove|destroy|truncate|flushall|flushAll)"
    r"\s*\(",
)
_JS_WORDS: Final = Gated(
    _w("require") + r"\s*\(|=>|" + _w("const", "let", "var") + r"\s+\w+\s*=|"
    + _w("await") + r"\s+\w|" + _w("child_process") + r"\b|" + _w("knex") + r"\s*\(|"
    + _w("function") + r"\s*\w*\s*\(|" + _w("new") + r"\s+\w+\s*\(|"
    + _w("fetch") + r"\s*\(\s*['\"`]|" + _w("local", "session") + r"Storage\b"
)  # fmt: skip


def looks_like_python(text: str) -> bool:
    if "." in text and _PY_DOTTED.found_in(text):
        return True
    if "(" in text and _PY_BUILTIN_CALL.search(text) is not None:
        return True
    # each of _PY_LINE's statements is a keyword, white space, then a word: two words at least
    return (
        len(text.split(None, 1)) == 2
        and any(word in text for word in _PY_LINE_WORDS)
        and _PY_LINE.search(text) is not None
    )


def looks_like_js(text: str) -> bool:
    if "." in text and _JS_DOTTED.found_in(text):
        return True
    return (
        "(" in text
        or "=" in text
        or "await" in text
        or "child_process" in text
        or "Storage" in text
    ) and _JS_WORDS.search(text) is not None


def parse_python(text: str) -> Snippet | None:
    """None when the text is not valid Python."""
    try:
        # `ast.parse(text)`, without its interpreted frame
        tree: ast.AST = compile(text, "<unknown>", "exec", ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    v = _PyVisitor()
    try:
        v.visit(tree)
    except RecursionError:
        return None
    return Snippet(
        v.calls, v.strings, "python", set(v.aliases.values()), v.env_dump, v.env_keywords
    )


def _walk(node: ast.AST) -> list[ast.AST]:
    """`node` and every node under it, breadth first: `ast.walk`'s nodes in its order. Written
    here so that it is compiled with the rest (`ast.walk` and `ast.NodeVisitor` run interpreted,
    and a snippet's subtrees are walked many times)."""
    out = [node]
    i = 0
    while i < len(out):
        out.extend(_children(out[i]))
        i += 1
    return out


def _children(node: ast.AST) -> list[ast.AST]:
    """The nodes directly under `node`, in field order (`ast.iter_child_nodes`), but an
    expression's context."""
    out: list[ast.AST] = []
    for name in node._fields:
        if name == "ctx":
            continue  # `Load`, `Store`: a leaf that no reader looks at
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    out.append(item)
        elif isinstance(value, ast.AST):
            out.append(value)
    return out


# The node types `_PyVisitor.visit` hands to a method of their own (others: their children).
_VISITED: Final[dict[type, int]] = {
    ast.Call: 1,
    ast.Constant: 2,
    ast.Assign: 3,
    ast.Import: 4,
    ast.ImportFrom: 5,
    ast.FunctionDef: 6,
    ast.With: 7,
    ast.For: 8,
    ast.ListComp: 9,
    ast.SetComp: 10,
    ast.GeneratorExp: 11,
}
MAX_NESTING: Final = (
    400  # nodes deep: a deeper tree is not read (as when Python's own limit was hit)
)


class _PyVisitor:
    """`ast.NodeVisitor`'s walk, written out: a subclass of it is no native class, so its
    attributes and method calls went through dictionaries, and its `visit` looked the method up
    by name for every node; here a node's type picks its method from one table."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}  # local name -> module or dotted origin
        self.values: dict[str, str] = {}  # local name -> constant string
        self.lists: dict[str, list[str]] = {}  # local name -> a list of constant strings (argv)
        self.functions: dict[str, ast.FunctionDef] = {}  # functions the snippet defines
        self.expanded: set[str] = set()  # those walked again with their arguments bound
        self.remote_names: set[str] = set()  # names bound to fetched or decoded content
        self.calls: list[Call] = []
        self.strings: list[str] = []
        self.env_dump = False
        self.env_keywords: list[str] = []
        self.depth = 0

    # -- the walk: NodeVisitor's, compiled ----------------------------------------------------
    def visit(self, node: ast.AST) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise RecursionError("snippet nested too deep")
        kind = _VISITED.get(type(node), 0)
        if kind == 0:
            self.generic_visit(node)
        elif kind == 1:
            self.visit_Call(cast(ast.Call, node))
        elif kind == 2:
            self.visit_Constant(cast(ast.Constant, node))
        elif kind == 3:
            self.visit_Assign(cast(ast.Assign, node))
        elif kind == 4:
            self.visit_Import(cast(ast.Import, node))
        elif kind == 5:
            self.visit_ImportFrom(cast(ast.ImportFrom, node))
        elif kind == 6:
            self.visit_FunctionDef(cast(ast.FunctionDef, node))
        elif kind == 7:
            self.visit_With(cast(ast.With, node))
        elif kind == 8:
            self.visit_For(cast(ast.For, node))
        elif kind == 9:
            self.visit_ListComp(cast(ast.ListComp, node))
        elif kind == 10:
            self.visit_SetComp(cast(ast.SetComp, node))
        else:
            self.visit_GeneratorExp(cast(ast.GeneratorExp, node))
        self.depth -= 1

    def generic_visit(self, node: ast.AST) -> None:
        for child in _children(node):
            self.visit(child)

    # -- imports and assignments --------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            self.aliases[a.asname or a.name.split(".")[0]] = (
                a.name if a.asname else a.name.split(".")[0]
            )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        mod = node.module or ""
        for a in node.names:
            self.aliases[a.asname or a.name] = f"{mod}.{a.name}" if mod else a.name

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if len(self.functions) < 32:
            self.functions[node.name] = node
        self.generic_visit(node)

    def _call_local(self, node: ast.Call) -> None:
        """`def wipe(path): … os.walk(path) …` then `wipe('/var/lib/mysql')`: the function's
        body walked once more with its parameters bound to the constants it is called with."""
        fn = self.functions[node.func.id] if isinstance(node.func, ast.Name) else None
        if fn is None or fn.name in self.expanded:
            return
        bound: dict[str, str | None] = {}
        for param, arg in zip(fn.args.args, node.args, strict=False):
            value = self._const(arg)
            if value is not None:
                bound[param.arg] = self.values.get(param.arg)
                self.values[param.arg] = value
        if not bound:
            return
        self.expanded.add(fn.name)
        for stmt in fn.body:
            self.visit(stmt)
        for name, before in bound.items():
            if before is None:
                self.values.pop(name, None)
            else:
                self.values[name] = before

    def visit_With(self, node: ast.With) -> None:
        """`with open(p, "a") as rc: rc.write(…)`: the name stands for what the call returned,
        as after `rc = open(p, "a")`."""
        for item in node.items:
            if isinstance(item.optional_vars, ast.Name) and isinstance(item.context_expr, ast.Call):
                origin = self._dotted(item.context_expr)
                if origin:
                    self.aliases.setdefault(item.optional_vars.id, origin)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        value = self._const(node.value)
        if isinstance(node.value, ast.List | ast.Tuple) and node.value.elts:
            items = [self._const(e) for e in node.value.elts[:MAX_CALLS]]
            if all(x is not None for x in items):  # `cmd = ["rm", "-rf", d]`, run later
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.lists[target.id] = [x for x in items if x is not None]
        remote = self._is_remote(node.value)
        origin = self._dotted(node.value) if isinstance(node.value, ast.Call) else ""
        for target in node.targets:
            if isinstance(target, ast.Name):
                if value is not None:
                    self.values[target.id] = value
                if remote:
                    self.remote_names.add(target.id)
                if origin:
                    self.aliases.setdefault(target.id, origin)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and len(self.strings) < MAX_CALLS:
            self.strings.append(node.value)

    # -- loops -----------------------------------------------------------------------------------
    def visit_For(self, node: ast.For) -> None:
        """`for d in db.collection("x").stream(): d.reference.delete()`: a call on (or with) the
        loop's item, once per item of a listing, is recorded as made on the listing itself
        (`db.collection().stream().delete`, `each`), so its filters are judged like a chain's."""
        self.generic_visit(node)
        self._per_item(node.target, node.iter, node.body)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        """`[o.delete() for o in bucket.objects.all()]`: the same as the loop it stands for."""
        self.generic_visit(node)
        self._comprehension(node.generators, node.elt)

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self.generic_visit(node)
        self._comprehension(node.generators, node.elt)

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self.generic_visit(node)
        self._comprehension(node.generators, node.elt)

    def _comprehension(self, generators: list[ast.comprehension], elt: ast.expr) -> None:
        if len(generators) == 1:
            self._per_item(generators[0].target, generators[0].iter, [elt])

    def _per_item(self, target: ast.expr, iterable: ast.expr, body: list[Any]) -> None:
        if (
            isinstance(iterable, ast.Subscript)
            and isinstance(iterable.slice, ast.Slice)
            and iterable.slice.upper is not None
        ):
            return  # the first items only (`User.objects.all()[:50]`): not every one
        listing = iterable.value if isinstance(iterable, ast.Subscript) else iterable
        if not isinstance(target, ast.Name) or not isinstance(listing, ast.Call):
            return
        over = self._dotted(listing)
        given = listing.args[0] if len(listing.args) == 1 else None
        statement = self._dotted(given).removesuffix("()") if isinstance(given, ast.Call) else ""
        item = target.id
        for stmt in body:
            for sub in _walk(stmt):
                if len(self.calls) >= MAX_CALLS or not isinstance(sub, ast.Call):
                    continue
                name = self._dotted(sub.func).rsplit(".", 1)[-1]
                if name and over and self._uses(sub, item):
                    self.calls.append(Call(f"{over}.{name}", each=True, stmt=statement))

    @staticmethod
    def _uses(call: ast.Call, name: str) -> bool:
        """The call is made on the name or takes it (or a part of it) as an argument."""
        root: ast.expr = call.func
        while isinstance(root, ast.Attribute | ast.Subscript | ast.Call):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name) and root.id == name:
            return True
        return any(
            isinstance(n, ast.Name) and n.id == name
            for a in [*call.args, *(k.value for k in call.keywords)]
            for n in _walk(a)
        )

    # -- calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        chain = self._dotted(node.func)
        if chain and len(self.calls) < MAX_CALLS:
            args = [self._const(a) or "" for a in node.args]
            arglist: list[str] = []
            first = self._items(node.args[0]) if node.args else None
            if first is not None:  # a list of words (`[…]`, or made by `arrayOf(…)`, `c(…)`)
                arglist = [x for x in first if x]
                args = [" ".join(arglist), *args[1:]]
            elif node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in self.lists:
                arglist = self.lists[node.args[0].id]
                args = [" ".join(arglist), *args[1:]]
            elif args and args[0]:
                # a program, then a list of its words (`System.cmd("sh", ["-c", …])`, R's
                # `system2("sh", c("-c", …))`, also as `args = c(…)`)
                given = node.args[1] if len(node.args) > 1 else _keyword(node, "args")
                words = self._items(given) if given is not None else None
                if words is not None and (len(node.args) > 1 or isinstance(given, ast.Call)):
                    arglist = [x for x in words if x]
            for kw, a in [
                *(("", x) for x in node.args),
                *((k.arg, k.value) for k in node.keywords),
            ]:
                if self._dotted(a) == "os.environ" or (
                    isinstance(a, ast.Call) and a.args and self._dotted(a.args[0]) == "os.environ"
                ):
                    if kw and isinstance(a, ast.Subscript):
                        self.env_keywords.append(kw)  # one variable, judged by its keyword
                    else:
                        self.env_dump = True
            kwargs = {
                k.arg: (self._const(k.value) or _kw_literal(k.value))
                for k in node.keywords
                if k.arg
            }
            empty = bool(node.args) and isinstance(node.args[0], ast.Dict) and not node.args[0].keys
            if (
                chain.endswith("chmod")
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and type(node.args[1].value) is int
            ):
                args[1] = format(node.args[1].value, "o")  # a mode is octal: `0o777`, not 511
            call = Call(chain, args, kwargs, len(node.args) + len(node.keywords), empty)
            call.arglist = arglist
            call.empty_arg = any(
                isinstance(a, ast.Constant) and a.value in ("", b"") for a in node.args
            )
            call.refs = [d for a in node.args[:4] if isinstance(a, ast.Name | ast.Attribute)
                         for d in (self._dotted(a),) if d]  # fmt: skip
            if any(isinstance(a, ast.Dict) and a.keys for a in node.args):
                # `destroy({truncate: true})`, `update(v, {where: {}})`: the object's text
                call.argtext = ", ".join(ast.unparse(a) for a in node.args)[:300]
            elif (
                node.args
                and isinstance(node.args[0], ast.Call)
                and ("delete" in chain.lower() or "remove" in chain.lower())
            ):
                # `recursive_delete(db.collection("users"))`, `RemoveRange(db.Orders.ToList())`:
                # the reference deleted, as written
                call.argtext = ast.unparse(node.args[0])[:300]
            if isinstance(node.func, ast.Attribute):
                call.recv = self._const(node.func.value) or ""
            for k in node.keywords:  # `LifecycleConfiguration={"Rules": [...]}`: read on demand
                if k.arg and isinstance(k.value, ast.Dict) and k.value.keys:
                    call.dicts[k.arg] = k.value
            for a in node.args:
                remote, decoded = self._remote_or_decoded(a)
                if remote:
                    call.remote_arg = True
                if decoded:
                    call.decoded = decoded
            self.calls.append(call)
        self.generic_visit(node)
        if self.functions and isinstance(node.func, ast.Name) and node.func.id in self.functions:
            self._call_local(node)

    def _items(self, node: ast.expr) -> list[str] | None:
        """The literals of a list, tuple or vector call (`c(…)`, `arrayOf(…)`: `VECTOR_CALLS`),
        non-literals as ""; None for anything else."""
        if isinstance(node, ast.List | ast.Tuple):
            return [self._const(e) or "" for e in node.elts]
        if isinstance(node, ast.Call) and self._dotted(node.func) in VECTOR_CALLS:
            return [self._const(e) or "" for e in node.args]
        return None

    def _dotted(self, node: ast.expr) -> str:
        """`a.b.c`, with aliases resolved and `()` after intermediate calls."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else node.attr
        if isinstance(node, ast.Call):
            inner = self._dotted(node.func)
            if inner in ("__import__", "require", "importlib.import_module") and node.args:
                return self._const(node.args[0]) or "?"
            if inner == "getattr" and len(node.args) >= 2:  # `getattr(shutil, "rmtree")`
                base, attr = self._dotted(node.args[0]), self._const(node.args[1])
                if base and attr:
                    return f"{base}.{attr}"
            return inner + "()" if inner else ""
        if isinstance(node, ast.Subscript):
            return self._dotted(node.value)
        return ""

    def _is_home(self, node: ast.expr) -> bool:
        """A user's home directory: `os.environ["HOME"]`, `os.getenv("HOME")`, `Path.home()`,
        `process.env.HOME` (JavaScript that also parses as Python)."""
        if isinstance(node, ast.Subscript):
            return self._dotted(node.value) == "os.environ" and self._const(node.slice) in _HOMES
        if isinstance(node, ast.Call):
            name = self._dotted(node.func)
            if name in ("os.getenv", "os.environ.get") and node.args:
                return self._const(node.args[0]) in _HOMES
            return name.endswith(("Path.home", "homedir", "os.path.expanduser")) and (
                not node.args or self._const(node.args[0]) == "~"
            )
        return self._dotted(node).rsplit(".", 1)[-1] in _HOMES

    def _const(self, node: ast.expr) -> str | None:
        """A string the expression surely evaluates to (constants, names, +, f-strings,
        os.path.join, Path(…) / …, expanduser)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return str(node.value)
        if isinstance(node, ast.Name):
            return self.values.get(node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Div):
            a, b = self._const(node.left), self._const(node.right)
            if a is None and b is not None and b[:1] in "/\\" and self._is_home(node.left):
                a = "~"  # `os.environ["HOME"] + "/.npmrc"`, `process.env.HOME + '/.npmrc'`
            elif a is not None and b is None and self._is_home(node.right):
                b = "~"  # `'rm -rf ' + process.env.HOME`
            if a is not None and b is not None:
                return (
                    a.rstrip("/") + "/" + b.lstrip("/") if isinstance(node.op, ast.Div) else a + b
                )
            return None
        if isinstance(node, ast.JoinedStr):
            out = []
            for v in node.values:
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    out.append(v.value)
                elif isinstance(v, ast.FormattedValue):
                    inner = self._const(v.value)
                    if inner is None and self._is_home(v.value):
                        inner = "~"  # `f"rm -rf {os.environ['HOME']}"`
                    out.append(inner if inner is not None else "{…}")
            return "".join(out)
        if isinstance(node, ast.Call):
            name = self._dotted(node.func)
            if name in ("os.path.join", "posixpath.join", "ntpath.join") and node.args:
                parts = [self._const(a) for a in node.args]
                if all(p is not None for p in parts):
                    return "/".join(p.rstrip("/") for p in parts if p is not None)
            if name in (
                "os.path.expanduser",
                "os.path.abspath",
                "os.path.realpath",
                "str",
                "os.fspath",
            ):
                return self._const(node.args[0]) if node.args else None
            if (
                name.endswith(("Path", "PurePath", "PosixPath", "WindowsPath"))
                or name
                in ("File", "java.io.File", "Paths.get", "Path.of")  # Kotlin reads as Python
            ) and node.args:
                return self._const(node.args[0])
            if name.endswith(("Path.home", "home")) and not node.args:
                return "~"
            if name.endswith(("expanduser", "resolve", "absolute")):
                return (
                    self._const(node.func.value) if isinstance(node.func, ast.Attribute) else None
                )
            if name in ("text", "sqlalchemy.text", "sqlalchemy.sql.text") and node.args:
                return self._const(node.args[0])
        return None

    def _is_remote(self, node: ast.expr) -> bool:
        """Content fetched from the network or decoded from an encoding."""
        return self._remote_or_decoded(node, first_remote=True)[0]

    def _remote_or_decoded(self, node: ast.expr, first_remote: bool = False) -> tuple[bool, str]:
        """(`_is_remote`, the text the first base64-like literal decoded under `node` decodes
        to) in one walk of it (`first_remote`: stop at the first remote part)."""
        remote = False
        decoded: str | None = None
        for sub in _walk(node):
            if isinstance(sub, ast.Call):
                name = self._dotted(sub.func)
                if not remote and _REMOTE_CALL.search(name):
                    remote = True
                if (
                    decoded is None
                    and sub.args
                    and name.endswith(_DECODERS)
                    and (lit := self._const(sub.args[0]))
                ):
                    decoded = decode_base64(lit)
            elif isinstance(sub, ast.Name) and sub.id in self.remote_names:
                remote = True
            if remote and first_remote:
                break
        return remote, decoded or ""


_DECODERS: Final = ("b64decode", "decodebytes", "a85decode", "b32decode", "fromhex")
_REMOTE_CALL: Final = Gated(
    r"(?:requests|httpx|urllib\w*(?:\.request)?|urllib3|aiohttp|http\.client)\.\w*(?:get|urlopen|"
    r"request|post|fetch)\w*|urlopen|b64decode|decodebytes|a85decode|b32decode|decompress|"
    r"\.fromhex|codecs\.decode|marshal\.loads|zlib\.decompress|bytes\.fromhex"
)


def literal(node: ast.expr) -> Any:
    """The value of a literal (constants, dicts, lists…), or None when it holds anything else."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return None


def loose_literal(node: ast.expr, depth: int = 0) -> Any:
    """A literal's value where what is not literal stands as "" (`{"visibility": "public",
    "note": f"by {user}"}`): a request body keeps the fields it spells out."""
    if depth > 8:
        return ""
    if isinstance(node, ast.Dict):
        out: dict[str, Any] = {}
        for k, v in list(zip(node.keys, node.values, strict=True))[:64]:
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                out[k.value] = loose_literal(v, depth + 1)
        return out
    if isinstance(node, ast.List | ast.Tuple):
        return [loose_literal(e, depth + 1) for e in node.elts[:64]]
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float | bool):
        return node.value
    return ""


# the tokens of a JavaScript object literal, for `js_object`
_JS_TOKEN: Final = re.compile(
    r"""\s+|"(?:[^"\\]|\\.){0,2048}"|'(?:[^'\\]|\\.){0,2048}'|`(?:[^`\\]|\\.){0,2048}`|"""
    r"-?\d{1,20}(?:\.\d{1,20})?|[A-Za-z_$][\w$.]{0,127}|[{}\[\]:,()]|.",
    re.S,
)


def js_object(text: str, start: int) -> Any:
    """The JavaScript object literal that opens at `text[start]` (`{ state: "disabled" }`) as
    JSON data: keys bare or quoted, strings in any quotes; a value that is not literal (a
    variable, a call) stands as "". None when it is not one (or longer than 4,096 chars)."""
    if start >= len(text) or text[start] != "{":
        return None
    out: list[str] = []
    depth = 0
    end = min(len(text), start + 4096)
    pos = start
    skip = 0  # inside a call or expression of a value: its tokens are dropped
    while pos < end:
        m = _JS_TOKEN.match(text, pos, end)
        if m is None:
            return None
        tok = m.group(0)
        pos = m.end()
        if tok.isspace():
            continue
        if skip:
            skip += tok == "("
            skip -= tok == ")"
            continue
        head = tok[0]
        if head in "{[":
            depth += 1
            out.append(head)
        elif head in "}]":
            depth -= 1
            if out and out[-1] == ",":
                out.pop()  # a trailing comma
            out.append(head)
            if depth == 0:
                try:
                    return json.loads("".join(out))
                except ValueError:
                    return None
        elif head in ",:":
            out.append(head)
        elif head in "\"'`":
            out.append(json.dumps(_literal(tok)))
        elif head == "-" or head.isdigit():
            out.append(tok)
        elif head == "(":
            skip = 1
        elif head.isalpha() or head in "_$":
            nxt = text[pos : pos + 64].lstrip()[:1]
            if nxt == ":" and out and out[-1] in ("{", ","):
                out.append(json.dumps(tok))  # a bare key
            elif tok in ("true", "false", "null"):
                out.append(tok)
            elif out and out[-1] not in ('""',):
                out.append('""')  # a variable or a call: not literal
        else:
            return None  # an operator: an expression, not data
    return None


def _kw_literal(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    if isinstance(node, ast.Dict) and not node.keys:
        return "{}"
    if isinstance(node, ast.List | ast.Tuple | ast.Set) and not node.elts:
        return "[]"
    return ""


def decode_hex(text: str) -> str:
    """The printable text a hex literal decodes to, or ""."""
    if len(text) > 65536:
        return ""
    try:
        out = bytes.fromhex(text).decode("utf-8")
    except ValueError:
        return ""
    return out if out.isprintable() else ""


def decode_base64(text: str) -> str:
    """The text a base64 literal decodes to, or "" (UTF-16LE as PowerShell encodes, too)."""
    s = "".join(text.split())
    if len(s) < 8 or len(s) > 65536:
        return ""
    try:
        raw = base64.b64decode(s + "=" * (-len(s) % 4), validate=False)
    except (binascii.Error, ValueError):
        return ""
    if len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00":
        try:
            return raw.decode("utf-16-le")
        except UnicodeDecodeError:
            return ""
    try:
        out = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    printable = sum(1 for ch in out if ch.isprintable() or ch in "\n\t\r")
    return out if out and printable / len(out) > 0.95 else ""


# ----------------------------------------------------------------------------- call chains

_QUOTES: Final = "\"'`"
# A string's body, one per quote (a backtick's may span lines); without its closing quote it is
# how far a string that does not close was read.
_BODIES: Final = (
    r'"(?:[^"\\\n]|\\.){0,4096}',
    r"'(?:[^'\\\n]|\\.){0,4096}",
    r"`(?:[^`\\]|\\.){0,4096}",
)
_UNCLOSED: Final = tuple(re.compile(b, re.S) for b in _BODIES)
_OTHER: Final = r"(?P<id>[A-Za-z_$][\w$]{0,127}[!?]?)|(?P<p>[.(){}\[\],;])|(?P<o>\S)"


def _tokenizer(quotes: int) -> re.Pattern[str]:
    """Tokens where strings open only with the quotes in the bit set `quotes` (bit i:
    `_QUOTES[i]`)."""
    strings = "|".join(
        b + q for i, (b, q) in enumerate(zip(_BODIES, _QUOTES, strict=True)) if quotes >> i & 1
    )
    return re.compile((f"(?P<s>{strings})|" if strings else "") + _OTHER, re.S)


_TOKENIZERS: Final = tuple(_tokenizer(q) for q in range(8))
_ALL_QUOTES: Final = 7


def _tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of code: strings, names, punctuation, any other character.

    A quote whose string does not close is a token of its own, and no string of that quote
    opens again before where its reading stopped (every quote of its kind up to there was
    escaped in that reading, so each would stop at the same place): text full of escaped
    quotes costs one reading, not one per quote."""
    blocked = [0, 0, 0]  # for each quote: where a string may open with it again
    pos = 0
    quotes = _ALL_QUOTES
    until = len(text) + 1  # where a blocked quote may open strings again
    while True:
        for m in _TOKENIZERS[quotes].finditer(text, pos):
            start = m.start()
            if start >= until:  # a quote opens strings again from here
                pos = start
                break
            if m.lastgroup == "o":
                i = _QUOTES.find(m.group())
                if i >= 0 and quotes >> i & 1:
                    yield m
                    closes = _UNCLOSED[i].match(text, start)
                    blocked[i] = closes.end() if closes is not None else start + 1
                    pos = start + 1
                    break
            yield m
        else:
            return
        quotes = 0
        until = len(text) + 1
        for i in range(3):
            if blocked[i] <= pos:
                quotes |= 1 << i
            elif blocked[i] < until:
                until = blocked[i]


_ESCAPE: Final = re.compile(r"\\([\"'\\nt])")
_ESCAPED: Final = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}


# A template literal's environment variable or home directory (`${process.env.HOME}`,
# `${os.homedir()}`): what the shell it is handed to reads as `$HOME` and `~`.
_TEMPLATE_ENV: Final = re.compile(r"\$\{\s*(?:process\.env\.(\w{1,64})|(?:os\.)?homedir\(\))\s*\}")


def _template_env(m: re.Match[str]) -> str:
    return "$" + m.group(1) if m.group(1) else "~"


def _shell_env(body: str) -> str:
    """A template's body with its environment variables and home directory as the shell's."""
    return _TEMPLATE_ENV.sub(_template_env, body) if "${" in body else body


def _literal(tok: str) -> str:
    """A string token's text, its quotes, backslashes and line breaks unescaped (`"rm -rf
    \\"$D\\""` is `rm -rf "$D"`); other escapes (`\\d` in a pattern) are kept. In a template
    literal an environment variable is the shell's (`${process.env.HOME}` is `$HOME`)."""
    body = _shell_env(tok[1:-1]) if tok[:1] == "`" else tok[1:-1]
    return _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], body) if "\\" in body else body


_SHELL_OPENERS: Final = (("`", "`"), ("%x(", ")"), ("qx(", ")"), ("qx{", "}"))


def shell_quoted(text: str, limit: int = 16) -> list[str]:
    """The commands Ruby, Perl and PHP run from their backticks, `%x(…)` and `qx(…)`: what
    each pair on one line holds (at most 2,048 characters). One forward scan per form; a
    form that does not close on its line is passed over to the line's end, so each character
    is looked at a bounded number of times."""
    out: list[str] = []
    for opener, closer in _SHELL_OPENERS:
        start = text.find(opener)
        while start >= 0 and len(out) < limit:
            body_at = start + len(opener)
            end = text.find(closer, body_at)
            if end < 0:
                break
            line_end = text.find("\n", body_at, end)
            if line_end >= 0:
                start = text.find(opener, line_end)  # not closed on its line
                continue
            body = text[body_at:end]
            if body.strip() and len(body) <= 2048:
                out.append(body)
            start = (
                text.find(opener, end + len(closer))
                if opener != "`"
                else (text.find(opener, end + 1) if body.strip() else end)
            )
    return out


def js_shell_templates(text: str, limit: int = 16) -> list[str]:
    """The commands JavaScript runs from templates tagged `$` (zx's and Bun's shell, execa's
    `$`): `` await $`rm -rf ${dir}` ``, each body of at most 2,048 characters, its environment
    variables the shell's. One forward scan."""
    out: list[str] = []
    start = text.find("$`")
    while start >= 0 and len(out) < limit:
        end = text.find("`", start + 2)
        if end < 0:
            break
        body = text[start + 2 : end]
        if body.strip() and len(body) <= 2048:
            out.append(_shell_env(body))
        start = text.find("$`", end + 1)
    return out


def string_receivers(text: str, methods: frozenset[str], limit: int = 16) -> list[str]:
    """The string literals that one of `methods` is called on (`'rm -rf /x'.execute()`,
    `"rm -rf /x".!`), in order; method names compared lower-cased."""
    out: list[str] = []
    if not methods or "." not in text:
        return out
    lit = ""
    state = 0  # 1: a string was just read; 2: and a dot after it; 3: and `!` (Scala's `.!!`)
    for m in _tokens(text):
        kind = m.lastgroup
        tok = m.group(0)
        if state == 3:
            out.append(lit)  # `.!` or `.!!`
            state = 0
            if len(out) >= limit:
                break
        if kind == "s":
            lit, state = _literal(tok), 1
        elif state == 1 and tok == ".":
            state = 2
        elif state == 2 and tok == "!" and "!" in methods:
            state = 3
        elif state == 2 and kind == "id" and tok.lower() in methods:
            out.append(lit)
            state = 0
            if len(out) >= limit:
                break
        else:
            state = 0
    if state == 3 and len(out) < limit:
        out.append(lit)
    return out


def string_literals(text: str, limit: int = 8) -> list[str]:
    """The string literals of a call's argument text, in order (`ctx, "DROP …"`)."""
    out: list[str] = []
    for m in _tokens(text):
        if m.lastgroup == "s":
            out.append(_literal(m.group(0)))
            if len(out) >= limit:
                break
    return out


def _joined(parts: list[str]) -> str:
    """The path that literal parts make (`Join("/data/", "warehouse")`: "/data/warehouse")."""
    return "/".join([*(p.rstrip("/\\") for p in parts[:-1]), parts[-1]])


_HOMES: Final = frozenset({"HOME", "USERPROFILE", "UserProfile"})

# A home directory joined to a literal path (`process.env.HOME + '/.npmrc'`, `os.homedir() +`,
# `System.getProperty("user.home") +`, `os.Getenv("HOME") +`, `ENV['HOME'] +`): the path is `~/…`.
_HOME_PLUS: Final = re.compile(
    r"(?:\b(?:HOME|USERPROFILE|UserProfile)\b|\bhomedir\(\)|\buser\.home|\bhome\(\))[\]'\")]*\s*\+\s*$"
)
_HOME_NAMES: Final = ("env.home", "env.userprofile", "homedir()", "user.home", "home()")
_HOME_REACH: Final = 64  # how far before the literal its home expression may start: a bounded look
_REQUIRE: Final = re.compile(r"\s*[\"'`]([\w@/.-]{1,64})[\"'`]\s*\)")
# `const cp = require('child_process')`, `import * as cp from 'child_process'`: a module's name
_MODULE_ALIAS: Final = re.compile(
    r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]{0,63})\s*=\s*require\(\s*[\"'`]([\w@/.-]{1,64})[\"'`]"
    r"|\bimport\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]{0,63})\s+from\s+[\"']([\w@/.-]{1,64})[\"']"
)


# A name bound by assignment, in any language (`rg, err := arm.NewResourceGroupsClient(…)`,
# `var s = await LocalWorkspace.SelectStackAsync(…)`, `stack = auto.select_stack(…)`,
# `name := "preview-pr-1"`): the name, then what it is bound to, up to the statement's end.
_BINDING: Final = re.compile(
    r"\b([A-Za-z_]\w{0,63})(?:\s*,\s*[A-Za-z_]\w{0,63})?\s*:?=(?![=>~])[ \t]*([^\n;]{1,200})"
)
# What makes the value: the first dotted name called there, past `await`, `new` and `(`.
_MAKER: Final = re.compile(r"(?:await\s+|new\s+|\(\s*)*([A-Za-z_][\w.:]{0,199}?)\s*[(<{]")
_WHOLE_LITERAL: Final = re.compile(r"\s*(\"[^\"\\]{1,200}\"|'[^'\\]{1,200}')\s*$")
NAME_TOKEN: Final = re.compile(r"[A-Za-z_]\w{0,63}")
_PATH_STEP: Final = re.compile(r"\.|::")
# The words of a name (`NewResourceGroupsClient`, `select_stack`, `DBSnapshot`: an acronym alone)
NAME_PARTS: Final = re.compile(r"_+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(slots=True)
class Bound:
    """What a name was bound to: the words of the call that made it (`NewResourceGroupsClient`:
    new, resource, groups, client) and the strings that call was given, a name bound to a
    string standing for that string (`SelectStack(ctx, name)` with `name := "pr-1"`); a name
    bound to a string alone has no maker and that string."""

    maker: list[str]
    literals: list[str]


@functools.lru_cache(maxsize=16)
def bindings(text: str) -> dict[str, Bound]:
    """Names bound in a snippet to what a call made (a client, a stack, a resource), the first
    binding of each: a method called on the name acts on what its maker names, so
    `rgClient.BeginDelete(…)` deletes a resource group and `s.Destroy(ctx)` a stack. Read only
    when a bare verb is called on a plain name (see `_verb_noun_call`)."""
    raw: dict[str, str] = {}
    for m in _BINDING.finditer(text[:65536]):
        raw.setdefault(m.group(1), m.group(2))
        if len(raw) >= 256:
            break
    consts: dict[str, str] = {}
    for name, val in raw.items():
        lit = _WHOLE_LITERAL.match(val)
        if lit is not None:
            consts[name] = lit.group(1)[1:-1]
    out: dict[str, Bound] = {name: Bound([], [lit]) for name, lit in consts.items()}
    for name, val in raw.items():
        if name in consts:
            continue
        mk = _MAKER.match(val)
        if mk is None:
            continue
        last = _PATH_STEP.split(mk.group(1))[-1]
        words = [w.lower() for w in NAME_PARTS.split(last) if w]
        lits = string_literals(val, 8)
        lits += [consts[n] for n in NAME_TOKEN.findall(val[mk.end() :]) if n in consts][:8]
        out[name] = Bound(words, lits)
    return out


def _module(name: str) -> str:
    """How a required module's calls are named: `child_process`, `fse` for `fs-extra`."""
    name = name.removeprefix("node:")
    if name.endswith("/promises") and name.count("/") == 1:
        return name.replace("/", ".")  # `fs/promises`: `fs.promises.rm`
    return name.split("/")[-1].replace("-", "_") if name != "fs-extra" else "fse"


def _module_aliases(text: str) -> dict[str, str]:
    """Local names bound to a required or imported module (`cp` -> `child_process`)."""
    if "require" not in text and "import" not in text:
        return {}
    out: dict[str, str] = {}
    for m in _MODULE_ALIAS.finditer(text):
        local, mod = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if len(out) < 32 and mod[:1] not in "./":  # a package, not the project's own file
            out[local] = _module(mod)
    return out


def _glue_variable(call: Call, chain: list[str]) -> None:
    """A variable glued to the literal before it in one argument: a home directory is `~`,
    another name `$NAME` (what it holds is not known)."""
    name = ".".join(chain).lower()
    call.args[-1] += "~" if name.endswith(_HOME_NAMES) else "$" + chain[-1]


def _home_first(call: Call, chain: list[str]) -> None:
    """`fs.rmSync(process.env.HOME, …)`, `rm(os.homedir())`: a home directory as the call's
    first argument, alone."""
    if chain and not call.args and not call.nargs and ".".join(chain).lower().endswith(_HOME_NAMES):
        call.args.append("~")


def scan_calls(text: str, language: str, wrappers: frozenset[str] = frozenset()) -> Snippet:
    """Call chains of JavaScript-like code (Mongo shell, Node, ORMs) or any language whose calls
    are written `a.b.c(…)`: one pass over the tokens, a stack for open parentheses. `wrappers`:
    calls that only make a path of a string (`new File("/srv")`, `Paths.get("/srv")`): the
    string is the argument of the call they are given to, or the receiver of the method called
    on them (`File("/srv").deleteRecursively()`)."""
    calls: list[Call] = []
    firsts: set[int] = set()  # ids of open calls that are an argument where literals still count
    at_arg = False  # reading the name of an argument at a place where literals still count
    recv_lit = ""  # the path a wrapper just made: the receiver of the method called next
    strings: list[str] = []
    chain: list[str] = []  # the dotted name being read
    stack: list[tuple[str, Call, int]] = []  # open calls: (name, the call, where args start)
    last_was_dot = False
    aliases = _module_aliases(text)
    expect_first_arg = False
    labelled = False  # an argument's label was just read (`atPath`), its value may follow
    skip_until = 0
    glued = False  # the token before was a literal that went into the open call's arguments
    joining = False  # after `+` in such an argument: what follows is part of it
    joins: list[bool] = []  # per open call: whether it was opened glued into an argument
    argv: Call | None = None  # a call whose first argument is a list of words (`exec([…])`)
    argv_words: list[str] = []
    for m in _tokens(text):
        if m.start() < skip_until:
            continue
        kind = m.lastgroup
        tok = m.group(0)
        after_literal, glued = glued, False
        if argv is not None:
            # `execSync(['rm', '-rf', '/x'].join(' '))`: the words, one command line
            if kind == "s" and len(argv_words) < 64:
                argv_words.append(_literal(tok))
                if len(strings) < MAX_CALLS:
                    strings.append(_literal(tok))
                continue
            if tok == ",":
                continue
            if tok == "]" and argv_words:
                argv.args.append(" ".join(argv_words))
            argv, argv_words = None, []
            if tok == "]":
                chain = []
                continue
        if tok == "[" and stack and expect_first_arg:
            argv = stack[-1][1]
            stack[-1][1].nargs = max(stack[-1][1].nargs, 1)
            expect_first_arg = False
            continue
        if kind == "s":
            at_arg = False
            lit = _literal(tok)
            if len(strings) < MAX_CALLS:
                strings.append(lit)
            if stack:
                call = stack[-1][1]
                if not lit and not joining:
                    call.empty_arg = True  # `writeFileSync(p, '')`
                if joining and call.args:  # `'rm -rf ' + dir + '/x'`: one argument
                    call.args[-1] += lit
                    glued = True
                elif expect_first_arg or call.args:
                    call.args.append(lit)
                    glued = True
                elif lit[:1] in "/\\" and _HOME_PLUS.search(
                    text, max(stack[-1][2], m.start() - _HOME_REACH), m.start()
                ):
                    call.args.append("~" + lit)  # `readFileSync(process.env.HOME + '/.npmrc')`
            chain = []
            expect_first_arg = False
            last_was_dot = False
            joining = False
            continue
        if tok == "+" and stack and stack[-1][1].args and (after_literal or joining):
            if joining and chain:  # a variable between literals: `'rm -rf ' + HOME + '/x'`
                _glue_variable(stack[-1][1], chain)
            joining = True
            chain = []
            last_was_dot = False
            continue
        if kind == "id":
            tok = tok.rstrip("!?")  # Ruby's and Elixir's `rm_rf!`, `empty?`: the same method
            if last_was_dot and chain:
                chain.append(tok)
            else:
                chain = [aliases.get(tok, tok)] if aliases else [tok]
                recv_lit = ""
            last_was_dot = False
            labelled = expect_first_arg  # Swift's `removeItem(atPath: "/x")`: a label, then it
            expect_first_arg = False
            continue
        if tok == ":" and labelled and stack and text[m.end() : m.end() + 1] != ":":
            labelled = False
            expect_first_arg = True
            chain = []
            continue
        labelled = False
        if tok == ".":
            last_was_dot = True
            continue
        if tok == "(":
            outer_join = joining  # a call glued into an argument (`'rm -rf ' + os.homedir()`)
            joining = False
            name = ".".join(chain)
            if name in ("require", "import") and m.end() < len(text):
                # `require('fs').rmSync(…)` reads as `fs.rmSync(…)`
                rm = _REQUIRE.match(text, m.end())
                if rm is not None:
                    chain = [_module(rm.group(1))]
                    skip_until = rm.end()
                    last_was_dot = False
                    expect_first_arg = False
                    continue
            if name in VECTOR_CALLS and stack and (at_arg or stack[-1][1].args):
                # `system2("sh", c("-c", "…"))`: the vector's elements are the open call's
                # arguments (a frame of its own, marked by no start, that records no call)
                stack.append((name, stack[-1][1], -1))
                joins.append(False)
                chain = []
                expect_first_arg = not stack[-1][1].args
                last_was_dot = False
                continue
            call = Call(name)
            call.at = m.end()
            if recv_lit and chain and chain[0].endswith("()"):
                call.recv = recv_lit
            recv_lit = ""
            if stack and at_arg:
                firsts.add(id(call))
            at_arg = True  # its own first argument may be a wrapper
            if stack and expect_first_arg:
                stack[-1][1].nargs = max(stack[-1][1].nargs, 1)
            stack.append((name, call, m.end()))
            joins.append(outer_join)
            chain = []
            expect_first_arg = True
            last_was_dot = False
            continue
        if tok == ")":
            if joining and chain and stack and stack[-1][1].args:
                _glue_variable(stack[-1][1], chain)  # `execSync('rm -rf ' + process.env.HOME)`
            joining = False
            at_arg = False
            if stack and stack[-1][2] < 0:  # a vector's end: back in the call it was given to
                stack.pop()
                joins.pop()
                chain = []
                expect_first_arg = False
                last_was_dot = False
                continue
            if stack:
                _home_first(stack[-1][1], chain)
                name, call, start = stack.pop()
                joining = joins.pop()  # still in the argument the call was glued into
                call.argtext = text[start : min(m.start(), start + 300)]
                if not expect_first_arg:
                    call.nargs = max(call.nargs, 1)
                if len(calls) < MAX_CALLS and name:
                    calls.append(call)
                if (
                    wrappers
                    and call.args
                    and len(call.args) == call.nargs
                    and name.lower() in wrappers
                ):
                    # a path made of literals only (`filepath.Join("/data", "warehouse")`)
                    recv_lit = _joined(call.args)
                    if stack and id(call) in firsts:
                        stack[-1][1].args.append(recv_lit)
                chain = name.split(".") if name else []
                if chain:
                    chain[-1] += "()"  # the chain goes on from the call's result
            expect_first_arg = False
            last_was_dot = False
            continue
        if tok == "{":
            joining = False
            at_arg = False
            if stack and expect_first_arg:
                # `{}` right after `(`: an empty filter?
                end = m.end()
                rest = text[end : end + 64].lstrip()
                stack[-1][1].empty_first = rest.startswith("}")
                stack[-1][1].nargs = max(stack[-1][1].nargs, 1)
            expect_first_arg = False
            chain = []
            last_was_dot = False
            continue
        if tok == ",":
            if joining and chain and stack and stack[-1][1].args:
                _glue_variable(stack[-1][1], chain)  # `exec('rm -rf ' + dir, opts)`
            joining = False
            at_arg = bool(stack) and bool(stack[-1][1].args)
            if stack:
                _home_first(stack[-1][1], chain)
                stack[-1][1].nargs += 1 if stack[-1][1].nargs else 2
            chain = []
            last_was_dot = False
            continue
        if tok == "@":
            continue  # C#'s verbatim string `@"D:\data"`: still the argument that follows
        at_arg = False
        joining = False
        if stack and expect_first_arg:
            stack[-1][1].nargs = max(stack[-1][1].nargs, 1)
        expect_first_arg = False
        chain = []
        last_was_dot = False
    for _, call, start in reversed(stack):  # unclosed calls still happened
        if len(calls) < MAX_CALLS and call.chain and start >= 0:
            calls.append(call)
    for call in calls[:MAX_CALLS]:
        # Mongo's `db.runCommand({dropDatabase: 1})`: the command its document names, called
        receiver, _, method = call.chain.rpartition(".")
        if method.lower() in _RUN_COMMAND and len(calls) < MAX_CALLS:
            doc = _COMMAND_DOC.match(call.argtext)
            if doc is not None:
                named = f"{receiver}.{doc.group(1)}" if receiver else doc.group(1)
                calls.append(Call(named, args=[doc.group(2)] if doc.group(2) else []))
    return Snippet(calls, strings, language, source=text)


_RUN_COMMAND: Final = frozenset({"runcommand", "admincommand"})
_COMMAND_DOC: Final = re.compile(
    r"\s*\{\s*['\"]?([A-Za-z_]\w{0,63})['\"]?\s*:\s*(?:['\"]([^'\"]{0,200})['\"])?"
)
