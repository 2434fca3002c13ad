"""A command-line parser for POSIX shells, PowerShell and cmd.exe: text -> simple commands.

It does what a shell does before running anything: quotes, escapes, `$(…)`, backticks, `<(…)`,
heredocs, redirections, pipelines, `;`/`&&`/`||`, groups, comments and simple variable
assignments — so that `r""m -r -f "$D"` with `D=/srv/data` reads as `rm -r -f /srv/data`.
One left-to-right pass over the text; nested substitutions are parsed by the same pass on
their own text, so the cost stays linear in the input (depth is bounded).

Unwrapping (`sudo`, `sh -c`, `ssh host '…'`, `xargs`, `find -exec`, base64 decoded into a shell…)
is `_commands.py`'s job: this module only turns text into words.
"""

from __future__ import annotations

import re
from typing import Final

MAX_DEPTH: Final = 6  # nested substitutions parsed; deeper ones are kept as opaque text
# `$NAME`, `${NAME}`, and `${NAME:-default}`-like expansions (operator in 3, its word in 4)
_VAR: Final = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]{0,63})(?:(:?[-=?+])([^}]{0,256}))?\}|([A-Za-z_][A-Za-z0-9_]{0,63}))"
)
_ASSIGN: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}=")
_POSITIONAL: Final = re.compile(r"\$(?:([@*1-9])|\{([@*1-9])\})")
_BLANKS: Final = " \t\n"
_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# reserved words that may stand before a loop's own keyword in one simple command's words
_LEADING_KEYWORDS: Final = frozenset({"then", "do", "else", "time", "!", "{"})
_READ_FROM: Final = re.compile(r"\bdone\s*<\s*<\(([^()]{1,2000})\)")
_PWSH_VAR: Final = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]{0,63}")
_DRIVE: Final = re.compile(r"^[A-Za-z]:$")
_HEREDOC_DELIM: Final = re.compile(r"(['\"]?)([A-Za-z0-9_.-]{1,64})\1")
_ANSI_ESC: Final = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "0": "\0"}
_OPERATORS: Final = ("&&", "||", ";;", "|&", "|", ";", "&", "\n")
_REDIR_OPS: Final = ("&>>", "&>", ">>", ">|", "<<<", "<<", "<>", ">&", "<&", ">", "<")
_OPERATOR_STARTS: Final = frozenset(op[0] for op in _OPERATORS)
_REDIR_STARTS: Final = frozenset(op[0] for op in _REDIR_OPS)


class Word:
    """One word after quote removal. `subs` are the command texts substituted inside it.
    (Plain classes, not dataclasses: mypyc compiles a class's own methods but not those a
    dataclass generates, and words are made on every call.)"""

    __slots__ = ("text", "quoted", "subs", "proc_sub", "split")

    def __init__(
        self,
        text: str,
        quoted: bool = False,
        subs: list[str] | None = None,
        proc_sub: bool = False,  # the word is `<(…)` / `>(…)`: a file that is a command's output
        split: bool = False,  # holds an expansion the shell splits into words (`$cmd`, `"$@"`)
    ) -> None:
        self.text = text
        self.quoted = quoted
        self.subs = subs if subs is not None else []
        self.proc_sub = proc_sub
        self.split = split

    def __repr__(self) -> str:
        return f"Word({self.text!r})"


class Redirect:
    __slots__ = ("op", "fd", "target")

    def __init__(self, op: str, fd: str, target: Word) -> None:
        self.op = op  # ">", ">>", "<", "<<", "<<<", ">&", "&>"…
        self.fd = fd  # "" for the default descriptor, else the number written before the operator
        self.target = target


class Cmd:
    """One simple command: its words, redirections and place in the line."""

    __slots__ = ("words", "redirects", "text", "pipeline", "stage", "background", "heredoc")

    def __init__(
        self,
        words: list[Word],
        redirects: list[Redirect] | None = None,
        text: str = "",  # the source text of the command, for explanations
        pipeline: int = 0,  # commands joined by `|` share a pipeline number
        stage: int = 0,  # position within the pipeline (a group's commands share one)
    ) -> None:
        self.words = words
        self.redirects = redirects if redirects is not None else []
        self.text = text
        self.pipeline = pipeline
        self.stage = stage
        self.background = False
        self.heredoc: str | None = None  # text fed on stdin by `<<`/`<<<`

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.words]


class Script:
    __slots__ = ("cmds", "assignments", "truncated")

    def __init__(self, cmds: list[Cmd], assignments: dict[str, str], truncated: bool) -> None:
        self.cmds = cmds
        self.assignments = assignments
        self.truncated = truncated  # nesting deeper than MAX_DEPTH was left unparsed


class _Lexer:
    """Splits shell text into commands. `pwsh` switches escapes to PowerShell's backtick."""

    def __init__(self, text: str, pwsh: bool, env: dict[str, str], depth: int) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.pwsh = pwsh
        self.env = env
        self.var_subs: dict[str, list[str]] = {}  # variables bound to a substitution's output
        self.read_loops = 0  # `while read NAME` loops whose input was looked for
        self.positional: list[str] | None = None  # `set -- a b c`: what `$@`, `$1`… expand to
        self.splits = False  # the word being read holds an expansion the shell splits
        self.depth = depth
        self.cmds: list[Cmd] = []
        self.pipeline = 0
        self.stage = 0
        self.group_stage: list[int] = []
        # (index the announcing command gets in `cmds`, delimiter, strip leading tabs)
        self.pending_heredocs: list[tuple[int, str, bool]] = []
        self.truncated = False

    # -- the main loop ------------------------------------------------------------------------
    def run(self) -> None:
        words: list[Word] = []
        redirects: list[Redirect] = []
        start = 0
        s, n = self.s, self.n
        while True:
            self._skip_blanks()
            if self.i >= n:
                self._end_command(words, redirects, start, "")
                break
            c = s[self.i]
            if c == "#" and not self._mid_word():
                # a comment runs to the end of the line
                j = s.find("\n", self.i)
                self.i = n if j < 0 else j
                continue
            op = self._operator()
            if op:
                cmd = self._end_command(words, redirects, start, op)
                words, redirects = [], []
                if op == "\n":
                    self._read_heredocs()
                start = self.i
                self._after_operator(op, cmd)
                continue
            if (
                c in "()"
                or (c in "{}" and not words and self._standalone(c))
                or (c == "}" and self._standalone(c))
            ):
                self.i += 1
                if c in "({":
                    self._end_command(words, redirects, start, "")
                    words, redirects = [], []
                    self.group_stage.append(self.stage)
                else:
                    self._end_command(words, redirects, start, "")
                    words, redirects = [], []
                    if self.group_stage:
                        self.stage = self.group_stage.pop()
                start = self.i
                continue
            red = self._redirect_op()
            if red is not None:
                op_text, fd = red
                self._skip_blanks()
                if op_text in ("<<", "<<-"):
                    m = _HEREDOC_DELIM.match(s, self.i)
                    delim = m.group(2) if m else ""
                    self.i = m.end() if m else self.i
                    target = Word(delim, quoted=bool(m and m.group(1)))
                    redirects.append(Redirect("<<", fd, target))
                    self.pending_heredocs.append((len(self.cmds), delim, op_text == "<<-"))
                    continue
                word = self._word()
                if word is not None:
                    redirects.append(Redirect(op_text, fd, word))
                continue
            w = self._word()
            if w is None:
                self.i += 1  # a stray character no rule reads: skip it
                continue
            if w.split:
                words.extend(self._split(w))
            else:
                words.append(w)

    def _mid_word(self) -> bool:
        """`#` inside a word (`a#b`) is not a comment; at a word start it is."""
        return self.i > 0 and not self.s[self.i - 1].isspace() and self.s[self.i - 1] not in ";|&("

    def _standalone(self, c: str) -> bool:
        nxt = self.s[self.i + 1] if self.i + 1 < self.n else " "
        return nxt.isspace() or nxt in ";|&)" or (c == "}" and nxt in "}")

    def _skip_blanks(self) -> None:
        s, n = self.s, self.n
        while self.i < n:
            c = s[self.i]
            if c == " " or c == "\t" or c == "\r" or c == "\f" or c == "\v":
                self.i += 1
            elif c == "\\" and self.i + 1 < n and s[self.i + 1] == "\n" and not self.pwsh:
                self.i += 2  # line continuation
            elif c == "`" and self.pwsh and self.i + 1 < n and s[self.i + 1] in "\r\n":
                self.i += 2
            else:
                break

    def _operator(self) -> str:
        s = self.s
        if s[self.i] not in _OPERATOR_STARTS:
            return ""
        for op in _OPERATORS:
            if s.startswith(op, self.i):
                # `>&` / `&>` / `2>&1` belong to redirections
                if op == "&" and (s.startswith("&>", self.i)):
                    return ""
                if op in ("|", "||") and self.i > 0 and s[self.i - 1] == ">":
                    return ""
                self.i += len(op)
                return op
        return ""

    def _after_operator(self, op: str, cmd: Cmd | None) -> None:
        if op in ("|", "|&"):
            self.stage += 1
            return
        if op == "&" and cmd is not None:
            cmd.background = True
        if self.group_stage:
            return  # `(a; b) | c`: a group's commands feed the same pipe
        self.pipeline += 1
        self.stage = 0
        self.group_stage.clear()

    def _redirect_op(self) -> tuple[str, str] | None:
        s, i = self.s, self.i
        j = i
        while j < self.n and j - i < 2 and s[j].isdigit():
            j += 1
        if j >= self.n or s[j] not in _REDIR_STARTS:
            return None
        for op in _REDIR_OPS:
            if s.startswith(op, j):
                if op == "<<" and s.startswith("<<-", j):
                    op = "<<-"
                if op in ("<", ">") and j + 1 < self.n and s[j + 1] == "(":
                    return None  # process substitution, a word
                self.i = j + len(op)
                return op, s[i:j]
        return None

    def _end_command(
        self, words: list[Word], redirects: list[Redirect], start: int, op: str
    ) -> Cmd | None:
        if not words and not redirects:
            return None
        if (
            self.pwsh
            and len(words) >= 3
            and words[1].text == "="
            and _PWSH_VAR.fullmatch(words[0].text) is not None
        ):
            # `$p = 'D:\data'` sets `$p`; `$x = Remove-Item …` runs the command for its value
            if len(words) == 3 and not words[2].subs:
                self.env[words[0].text[1:]] = words[2].text
                return None
            words = words[2:]
        # a compound's keywords before a command inside it (`then set -- …`, `do while read …`)
        j = 0
        while j < len(words) - 2 and words[j].text in _LEADING_KEYWORDS and not words[j].quoted:
            j += 1
        if (
            not self.pwsh
            and len(words) >= j + 2
            and words[j].text == "set"
            and not words[j].quoted
            and (words[j + 1].text == "--" or words[j + 1].text[:1] not in ("-", "+"))
        ):
            # `set -- rm -rf /x` sets the positional parameters `"$@"` runs later
            start_at = j + (2 if words[j + 1].text == "--" else 1)
            self.positional = [w.text for w in words[start_at : start_at + 32]]
        # leading NAME=value words are assignments; alone they set the variable
        k = 0
        while k < len(words) and not words[k].quoted and _ASSIGN.match(words[k].text):
            k += 1
        if k == len(words) and k:
            for w in words:
                name, _, value = w.text.partition("=")
                self.env[name] = value
                if w.subs:
                    self.var_subs[name] = list(w.subs)
        # a loop inside another compound (`then for …`, `do while read …`, `time for …`)
        loop = words[j:] if j else words
        # `for NAME in ITEMS`: the body sees NAME as an item (the first one stands for all)
        if len(loop) >= 4 and loop[0].text == "for" and loop[2].text == "in":
            name = loop[1].text
            self.env[name] = loop[3].text
            subs = [sub for w in loop[3:] for sub in w.subs]
            if subs:
                self.var_subs[name] = subs
        # `… | while read NAME` and `while read NAME; do …; done < <(CMD)`: NAME is each line
        # the listing prints, as if `$(CMD)`
        if (
            len(loop) >= 3
            and loop[0].text in ("while", "until")
            and loop[1].text == "read"
            and self.read_loops < 8
        ):
            self.read_loops += 1  # a bounded look ahead per text
            name = loop[-1].text
            source = ""
            if self.stage > 0 and self.cmds and self.cmds[-1].pipeline == self.pipeline:
                source = self.cmds[-1].text
            else:
                m = _READ_FROM.search(self.s, self.i, min(self.n, self.i + 4096))
                source = m.group(1) if m is not None else ""
            if source and _NAME.fullmatch(name):
                self.env[name] = "$(…)"
                self.var_subs[name] = [source]
        end = self.i - len(op) if op else self.i
        cmd = Cmd(
            words=words[k:] if k < len(words) else words,
            redirects=redirects,
            text=self.s[start:end].strip(),
            pipeline=self.pipeline,
            stage=self.stage,
        )
        self.cmds.append(cmd)
        return cmd

    def _read_heredocs(self) -> None:
        """Bodies follow the line that announced them, up to a line equal to the delimiter."""
        s = self.s
        for index, delim, strip_tabs in self.pending_heredocs:
            lines: list[str] = []
            while self.i < self.n:
                j = s.find("\n", self.i)
                line = s[self.i : self.n if j < 0 else j]
                self.i = self.n if j < 0 else j + 1
                check = line.lstrip("\t") if strip_tabs else line
                if check.strip() == delim:
                    break
                lines.append(check)
            if index < len(self.cmds):
                self.cmds[index].heredoc = "\n".join(lines)
        self.pending_heredocs.clear()

    def _var_value(self, m: re.Match[str], name: str) -> str | None:
        """A variable's value as assigned earlier; `${D:-x}`/`${D:=x}` give `x` when `D` is
        unset, `${D:+x}` gives `x` when it is set; `${D:?}` is `D` (or a failure)."""
        value = self.env.get(name)
        op = m.group(2) or ""
        if op.endswith(("-", "=")) and value is None:
            return m.group(3)
        if op.endswith("+"):
            return m.group(3) if value is not None else ""
        return value

    # -- words --------------------------------------------------------------------------------
    def _word(self) -> Word | None:
        s, n = self.s, self.n
        self.splits = False
        out: list[str] = []
        subs: list[str] = []
        quoted_all = True
        any_part = False
        proc_sub = False
        while self.i < n:
            c = s[self.i]
            if c in " \t\r\n\f\v;&|()<>" and not (c in "<>" and self._is_proc_sub()):
                break
            if c in "<>":  # process substitution <(…) / >(…)
                inner = self._balanced(self.i + 1, "(", ")")
                self._add_sub(inner, subs)
                out.append("<(…)")
                proc_sub = True
                any_part = True
                quoted_all = False
                continue
            if c == "'":
                j = s.find("'", self.i + 1)
                if self.pwsh:
                    # PowerShell: '' inside single quotes is a quote
                    j = self._pwsh_single(self.i + 1)
                if j < 0:
                    out.append(s[self.i + 1 :])
                    self.i = n
                else:
                    out.append(
                        s[self.i + 1 : j].replace("''", "'") if self.pwsh else s[self.i + 1 : j]
                    )
                    self.i = j + 1
                any_part = True
                continue
            if c == '"':
                out.append(self._double_quoted(subs))
                any_part = True
                continue
            quoted_all = False
            any_part = True
            if c == "$" and self.i + 1 < n:
                nxt = s[self.i + 1]
                if nxt == "'" and not self.pwsh:
                    out.append(self._ansi_c())
                    continue
                if nxt == "(":
                    if s.startswith("$((", self.i):
                        self._balanced(self.i + 1, "(", ")")
                        out.append("$((…))")
                        continue
                    inner = self._balanced(self.i + 1, "(", ")")
                    self._add_sub(inner, subs)
                    out.append("$(…)")
                    continue
                if self.positional is not None and not self.pwsh and self._positional_param(out):
                    continue
                m = _VAR.match(s, self.i)
                if m is not None:
                    name = m.group(1) or m.group(4) or ""
                    if name == "IFS" and name not in self.env and not self.pwsh:
                        self.i = m.end()  # unquoted, `${IFS}` splits words as a space does
                        if out:
                            break
                        any_part = False
                        continue
                    value = self._var_value(m, name)
                    out.append(value if value is not None else m.group(0))
                    if value and not self.pwsh and self._splits(value):
                        self.splits = True  # unquoted, `$cmd` runs each of its words
                    subs.extend(self.var_subs.get(name, ()))
                    self.i = m.end()
                    continue
                if self.pwsh and nxt == "{":
                    inner = self._balanced(self.i + 1, "{", "}")
                    out.append("${" + inner + "}")
                    continue
            if c == "`":
                if self.pwsh:
                    if self.i + 1 < n:
                        out.append(s[self.i + 1])
                    self.i += 2
                    continue
                j = s.find("`", self.i + 1)
                inner = s[self.i + 1 : n if j < 0 else j]
                self.i = n if j < 0 else j + 1
                self._add_sub(inner, subs)
                out.append("$(…)")
                continue
            if c == "\\" and not self.pwsh:
                out.append(self._backslash(out))
                continue
            if c == "{" and self.pwsh:
                inner = self._balanced(self.i, "{", "}")
                self._add_sub(inner, subs)  # a script block runs its text
                out.append("{" + inner + "}")
                continue
            # a run of ordinary characters
            j = self.i + 1
            while j < n and s[j] not in " \t\r\n\f\v;&|()<>'\"$`\\{":
                j += 1
            out.append(s[self.i : j])
            self.i = j
        if not any_part:
            return None
        return Word(
            "".join(out),
            quoted=quoted_all and any_part and not self.splits,
            subs=subs,
            proc_sub=proc_sub,
            split=self.splits,
        )

    def _positional_param(self, out: list[str]) -> bool:
        """`$@`, `$*`, `$1`… after `set -- …`: the parameters (`"$@"` is a word each)."""
        m = _POSITIONAL.match(self.s, self.i)
        params = self.positional
        if m is None or params is None:
            return False
        name = m.group(1) or m.group(2) or ""
        if name in ("@", "*"):
            joined = " ".join(params)
            out.append(joined)
            self.splits = self.splits or self._splits(joined)
        else:
            k = int(name) - 1
            out.append(params[k] if k < len(params) else "")
        self.i = m.end()
        return True

    def _splits(self, value: str) -> bool:
        """Does the shell split this expanded value into words (blanks, or `IFS` as set)?"""
        ifs = self.env.get("IFS")
        seps = _BLANKS + (ifs if ifs else "")
        return any(ch in seps for ch in value)

    def _split(self, w: Word) -> list[Word]:
        """A word holding an expansion, as the words the shell makes of it (an empty one is
        none: `rm -rf $EMPTY` removes nothing more)."""
        ifs = self.env.get("IFS")
        text = w.text
        for ch in ifs or "":
            if ch not in _BLANKS:
                text = text.replace(ch, " ")
        parts = text.split()
        out = [Word(p) for p in parts[:64]]
        if out:
            out[0].subs = w.subs
            out[0].proc_sub = w.proc_sub
        return out

    def _is_proc_sub(self) -> bool:
        return self.i + 1 < self.n and self.s[self.i + 1] == "(" and not self.pwsh

    def _pwsh_single(self, j: int) -> int:
        s = self.s
        while True:
            k = s.find("'", j)
            if k < 0:
                return -1
            if k + 1 < self.n and s[k + 1] == "'":
                j = k + 2
                continue
            return k

    def _add_sub(self, inner: str, subs: list[str]) -> None:
        if self.depth >= MAX_DEPTH:
            self.truncated = True
            return
        subs.append(inner)

    def _balanced(self, open_at: int, open_c: str, close_c: str) -> str:
        """Text between the bracket at `open_at` and its match (quotes respected); moves past."""
        s, n = self.s, self.n
        depth = 0
        j = open_at
        quote = ""
        while j < n:
            c = s[j]
            if quote:
                if c == "\\" and quote == '"' and j + 1 < n:
                    j += 2
                    continue
                if c == quote:
                    quote = ""
            elif c in "'\"":
                quote = c
            elif c == "\\" and j + 1 < n and not self.pwsh:
                j += 2
                continue
            elif c == open_c:
                depth += 1
            elif c == close_c:
                depth -= 1
                if depth == 0:
                    self.i = j + 1
                    return s[open_at + 1 : j]
            j += 1
        self.i = n
        return s[open_at + 1 :]

    def _double_quoted(self, subs: list[str]) -> str:
        s, n = self.s, self.n
        self.i += 1
        out: list[str] = []
        while self.i < n:
            c = s[self.i]
            if c == '"':
                if self.pwsh and self.i + 1 < n and s[self.i + 1] == '"':
                    out.append('"')
                    self.i += 2
                    continue
                self.i += 1
                break
            if c == "\\" and not self.pwsh and self.i + 1 < n:
                nxt = s[self.i + 1]
                if nxt in '"\\$`':
                    out.append(nxt)
                    self.i += 2
                    continue
                if nxt == "\n":
                    self.i += 2
                    continue
                out.append(c)
                self.i += 1
                continue
            if c == "`" and self.pwsh and self.i + 1 < n:
                out.append(s[self.i + 1])
                self.i += 2
                continue
            if c == "$" and self.i + 1 < n and s[self.i + 1] == "(":
                if s.startswith("$((", self.i) and not self.pwsh:
                    self._balanced(self.i + 1, "(", ")")
                    out.append("$((…))")
                    continue
                inner = self._balanced(self.i + 1, "(", ")")
                self._add_sub(inner, subs)
                out.append("$(…)")
                continue
            if c == "$":
                if self.positional is not None and not self.pwsh and self._positional_param(out):
                    continue
                m = _VAR.match(s, self.i)
                if m is not None:
                    name = m.group(1) or m.group(4) or ""
                    value = self._var_value(m, name)
                    out.append(value if value is not None else m.group(0))
                    subs.extend(self.var_subs.get(name, ()))
                    self.i = m.end()
                    continue
            if c == "`" and not self.pwsh:
                j = s.find("`", self.i + 1)
                inner = s[self.i + 1 : n if j < 0 else j]
                self.i = n if j < 0 else j + 1
                self._add_sub(inner, subs)
                out.append("$(…)")
                continue
            j = self.i + 1
            while j < n and s[j] not in '"\\$`':
                j += 1
            out.append(s[self.i : j])
            self.i = j
        return "".join(out)

    def _ansi_c(self) -> str:
        """`$'…'`: backslash escapes decoded (`$'\\x72\\x6d'` is `rm`)."""
        s, n = self.s, self.n
        self.i += 2
        out: list[str] = []
        while self.i < n:
            c = s[self.i]
            if c == "'":
                self.i += 1
                break
            if c == "\\" and self.i + 1 < n:
                e = s[self.i + 1]
                if e == "x":
                    hexd = _hex_run(s, self.i + 2, 2)
                    if hexd:
                        out.append(chr(int(hexd, 16)))
                        self.i += 2 + len(hexd)
                        continue
                if e == "u" or e == "U":
                    hexd = _hex_run(s, self.i + 2, 4 if e == "u" else 8)
                    if hexd and int(hexd, 16) < 0x110000:
                        out.append(chr(int(hexd, 16)))
                        self.i += 2 + len(hexd)
                        continue
                if "0" <= e <= "7":
                    k = self.i + 1
                    while k < n and k - self.i <= 3 and "0" <= s[k] <= "7":
                        k += 1
                    out.append(chr(int(s[self.i + 1 : k], 8) & 0xFF))
                    self.i = k
                    continue
                out.append(_ANSI_ESC.get(e, e))
                self.i += 2
                continue
            out.append(c)
            self.i += 1
        return "".join(out)

    def _backslash(self, out: list[str]) -> str:
        """POSIX: `\\x` is `x`. A backslash inside a word before a letter or digit is kept, so a
        Windows path (`C:\\data`) survives; POSIX never writes one there."""
        s = self.s
        nxt = s[self.i + 1] if self.i + 1 < self.n else ""
        if nxt == "\n":
            self.i += 2
            return ""
        if out and (nxt.isalnum() or nxt in "_.-$*"):
            self.i += 1
            return "\\"
        if not out and nxt == "\\":
            # `\\server\share`
            self.i += 2
            return "\\\\"
        if not out and _DRIVE.match("".join(out)):
            self.i += 1
            return "\\"
        self.i += 2
        return nxt


def _hex_run(s: str, start: int, limit: int) -> str:
    j = start
    while j < len(s) and j - start < limit and s[j] in "0123456789abcdefABCDEF":
        j += 1
    return s[start:j]


_PWSH_HINT: Final = re.compile(
    r"(?:^|[\s;|({])(?:[A-Za-z][a-z]+-[A-Z][A-Za-z]+\b|\$env:|\[(?:System\.)?[A-Z]\w+(?:\.\w+)*\]::)"
)
# Programs a POSIX line starts with whose quoted code may hold `$name = …` of its own.
_POSIX_RUNNERS: Final = frozenset(
    {"bash", "sh", "zsh", "dash", "ksh", "perl", "ruby", "php", "python", "python3", "node",
     "awk", "gawk", "sudo", "env"}
)  # fmt: skip
# `$p = 'D:\data'` at a statement's start (POSIX has no `$` before an assignment; `[ $x = y ]`
# is a test, not one)
_PWSH_ASSIGN: Final = re.compile(r"(?:^|[;\n{])[ \t]*\$\w+ ?= ?[^=\s]")


def shell_word(word: str) -> str:
    """A word written so that a shell reads it back as one word (an argv's word, joined)."""
    if word and not any(ch.isspace() or ch in "'\"|&;<>()$`" for ch in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def looks_powershell(text: str) -> bool:
    """PowerShell's Verb-Noun cmdlets, `$env:`, `[Type]::` calls and `$name = …` (not POSIX
    spellings: a POSIX assignment has no `$` and no blanks)."""
    if "$" in text and _PWSH_ASSIGN.search(text) is not None:
        first = text.lstrip().split(None, 1)[0].rsplit("/", 1)[-1] if text.strip() else ""
        if first not in _POSIX_RUNNERS:  # `bash -c 'perl -e '\''…;$i="…"'\''`: their code's
            return True
    if "$env:" not in text and "]::" not in text and not _hyphen_capital(text):
        return False  # what each of _PWSH_HINT's three shapes holds
    return _PWSH_HINT.search(text) is not None


def _hyphen_capital(text: str) -> bool:
    """A hyphen before a capital letter (`Remove-Item`), which a cmdlet's name holds: POSIX
    flags (`-rf`, `--force`) seldom do, so most command lines skip the search for cmdlets."""
    i = text.find("-")
    while i >= 0:
        if "A" <= text[i + 1 : i + 2] <= "Z":
            return True
        i = text.find("-", i + 1)
    return False


def parse(
    text: str, *, pwsh: bool | None = None, env: dict[str, str] | None = None, depth: int = 0
) -> Script:
    """Parse one command line or script. `pwsh=None` guesses the dialect from the text."""
    if pwsh is None:
        pwsh = looks_powershell(text)
    lex = _Lexer(text, pwsh, env if env is not None else {}, depth)
    lex.run()
    if lex.pending_heredocs:
        lex._read_heredocs()
    return Script(lex.cmds, lex.env, lex.truncated)
