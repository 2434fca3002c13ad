"""The classifier's cheap pre-checks never change an answer: each skips a regex only where the
regex cannot match, and each is derived from what it guards (never a hand-kept list)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentaudit.classifier import _detect, _places, classify, default_rules, load_rules
from agentaudit.classifier._literals import required_literals
from agentaudit.classifier._pii_cues import words_of
from agentaudit.models import Policy

RULES = [r for r in default_rules().rules if r.pattern is not None]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_pattern_rule_has_derived_triggers(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.triggers, f"{rule.id}: no literal every match holds: it would always run"
    assert all(t == t.lower() and len(t) >= 2 for t in rule.triggers)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_match_holds_a_trigger(rule, data) -> None:  # type: ignore[no-untyped-def]
    """Strings the rule's regex matches (generated from the regex) hold one of its triggers."""
    text = rule.pattern.pattern.removeprefix("(?m)")
    sample = data.draw(st.from_regex(re.compile(text, re.I)))
    m = rule.pattern.search(sample)
    if m is None or not sample.isascii():
        return  # from_regex's Unicode case folding differs from RE2's; non-ASCII always runs
    low = sample.lower()
    assert any(t in low for t in rule.triggers), (rule.id, sample)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bdrop\s+table\b", ("table",)),  # the most selective (longest) literal
        (r"alpha|beta\d", ("alpha", "beta")),
        (r"l[öo]schung|erase", ("erase", "schung")),
        (r"(?:x|y)z", None),  # a one-letter literal gates nothing
        (r"\d+", None),
        (r"(?:audit)?log", ("log",)),
    ],
)
def test_required_literals(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert required_literals(pattern) == expected


def test_triggers_gate_rules_with_min_risk_like_every_other_rule(tmp_path: Path) -> None:
    """Every rule honours its (derived) triggers, rules that wait for a level (min_risk) too:
    a rule fires on its pattern, and text without the pattern's literal never runs it."""
    f = tmp_path / "rules.yaml"
    f.write_text(
        "rules:\n"
        "  - id: acme.purge_note\n"
        "    target: content\n"
        "    min_risk: low\n"
        "    pattern: 'wipe|purge'\n"
        "    articles: {soc2: [C1.2]}\n",
        encoding="utf-8",
    )
    rules = load_rules(f)
    assert rules.rule("acme.purge_note").triggers == ("purge", "wipe")  # type: ignore[union-attr]
    policy = Policy(frameworks={"soc2": True})
    for text, fires in (("purge the cache", True), ("wipe it", True), ("clear it", False)):
        out = classify("a", "note", {"text": text}, rules=rules, policy=policy)
        assert ("C1.2" in out.frameworks.get("soc2", [])) is fires, text


def test_hand_kept_triggers_are_ignored_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "rules.yaml"
    f.write_text(
        "rules:\n  - id: acme.x\n    level: high\n    target: content\n"
        "    triggers: [nothing]\n    pattern: 'secretproject'\n",
        encoding="utf-8",
    )
    with pytest.warns(UserWarning, match="triggers"):
        rules = load_rules(f)
    assert classify("a", "note", {"text": "the secretproject"}, rules=rules).risk_level == "high"


def test_rule_patterns_run_in_linear_time_or_are_refused(tmp_path: Path) -> None:
    """Rule patterns are RE2's: a backreference or a lookaround (what makes a regex
    backtrack) is refused at load, naming the rule."""
    from agentaudit.classifier import RulesError

    f = tmp_path / "rules.yaml"
    f.write_text(
        "rules:\n  - id: acme.slow\n    level: high\n    target: content\n"
        "    pattern: '(a+)+\\1'\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match="acme.slow"):
        load_rules(f)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcXYZ09_ -éßñ中\u212aſ\n"), max_size=40))
def test_letter_runs_are_the_unicode_letter_runs(text: str) -> None:
    assert _detect.letter_runs(text) == _detect.LETTERS.findall(text)


_bytes_and_more = st.text(
    alphabet=st.sampled_from("abcXYZ0189_.+/-@ \t\n\x1c\x0b\"':;=,é٣０"), max_size=60
)


@settings(max_examples=500, deadline=None)
@given(_bytes_and_more)
def test_byte_readers_are_their_regexes(text: str) -> None:
    """The readers that split ASCII text by bytes (translate, split) find what the regexes
    they replace find, positions included; other text goes to the regexes themselves."""
    assert _detect.long_tokens(text) == [
        (m.start(), m.group(0)) for m in _detect.LONG_TOKEN.finditer(text)
    ]
    assert _detect.digit_count(text) == len(_detect.DIGIT.findall(text))
    if text.isascii():
        runs = _detect.ascii_runs(text, _detect.ASCII_ALNUM_BYTES)
        assert runs == re.findall(r"[A-Za-z0-9]+", text)
        assert _detect.letter_runs(text) == re.findall(r"[A-Za-z]+", text)
        assert _detect.ascii_runs(text, _detect.WORD_BYTES) == re.findall(r"\w+", text)
    low = text.lower()
    assert words_of(low) == frozenset(re.findall(r"[^\W_]+", low))
    if low.isascii():
        for start, stop in ((0, len(low)), (len(low) // 3, 2 * len(low) // 3)):
            runs = _detect.ascii_runs_at(low, _detect.ASCII_ALNUM_BYTES, start, stop)
            words = re.compile(r"[^\W_]+").finditer(low, start, stop)
            assert runs == [(m.start(), m.group(0)) for m in words]
    assert _places.prod_tokens(default_rules().vocab, text) == next(
        (
            t
            for t in re.findall(r"[A-Za-z0-9]+", text)
            if t.lower() in default_rules().vocab.production_words
        ),
        None,
    )


_value_pieces = st.lists(
    st.sampled_from(
        ["DE89", "3704", "0044", "0532 0130 00", "123-45-6789", "12345678Z", "X1234567L",
         "AB 12 34 56 C", "AB123456C", "131052-308T", "https://", "HTTP://", "ftp://",
         "sftp://a:b@", "wss://x.org", ":// ", "key=", "Token ", "PASSWORD: ", "auth ", "secret",
         "credentials=", "dsn:", "pwd=", "+49 ", "(0)", "00", "30 1234 567",
         "192.168.1.1", "8.8.8.8", "2001:db8::1", "fe80::", "4111-1111-1111-1111",
         *"x1- /.\naZé0+()\t:@#~,_٣"]
    ),
    max_size=14,
).map("".join)  # fmt: skip


def _spans(matches):  # type: ignore[no-untyped-def]
    return [(m.span(), m.groups()) for m in matches]


def _joined(pieces: list[str], max_size: int) -> st.SearchStrategy[str]:
    """Texts made of up to `max_size` of `pieces`, for readers checked against their regexes."""
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


@settings(max_examples=800, deadline=None)
@given(_value_pieces)
def test_literal_led_searches_find_what_the_whole_scan_finds(text: str) -> None:
    """Each detector searched from the literal its matches hold (in the text, lower-cased or
    in its shape) finds the matches the regex finds scanning the whole text."""
    from agentaudit.classifier import _commands, _freetext, _pii_phones

    assert _spans(_detect.url_matches(text)) == _spans(_detect.URL.finditer(text))
    shape = _detect.shape_of(text)
    if shape is None:
        return
    for rx, literal, before in (
        (_freetext.IBAN, "aa00", 0),
        (_freetext.SSN, "000-00-0000", 0),
        (_freetext.DNI, "0000000", 1),
        (_freetext.NINO, "00", 3),
        (_freetext.HETU, "000000", 0),
        (_pii_phones.PHONE_RUN, "0", 2),
        (_freetext.DIGIT_RUN, "0", 0),
    ):
        led = _detect.literal_led(rx, text, shape, (literal,), before)
        assert _spans(led) == _spans(rx.finditer(text)), rx.pattern
    for rx, literal, before in ((_freetext.IPV4, ".", 3), (_freetext.IPV6, ":", 4)):
        led = _detect.literal_led(rx, text, text, (literal,), before)
        assert _spans(led) == _spans(rx.finditer(text)), rx.pattern
    assert _detect.digits_as_zero(text) == re.sub(r"\d", "0", text)
    assert _commands._bare_word(text) is (_commands._BARE_WORD.fullmatch(text) is not None)
    assert _freetext._six_digits(text, shape) == bool(_freetext._SIX_DIGITS.search(text))
    led = _detect.literal_led(_detect.KEY_VALUE, text, text.lower(), _detect.SECRET_WORDS, 0)
    assert _spans(led) == _spans(_detect.KEY_VALUE.finditer(text))
    fiscal = _freetext.CODICE_FISCALE
    assert _spans(_detect.whole_words(fiscal, text, 16)) == _spans(fiscal.finditer(text))


_fiscal_pieces = _joined(
    ["RSSMRA85T10A562S", "RSSMRA85T10A562", "MRTMTT25D09F205Z", "RSSMRALPTMLALMPS", "_",
     "x", "9", " ", "-", ".", "é", "٣", "\n", "ABCDEFGH", "12345678"],
    8,
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_fiscal_pieces)
def test_whole_word_ids_are_found_as_the_whole_scan_finds_them(text: str) -> None:
    from agentaudit.classifier import _freetext

    fiscal = _freetext.CODICE_FISCALE
    assert _spans(_detect.whole_words(fiscal, text, 16)) == _spans(fiscal.finditer(text))


_gate_pieces = _joined(
    ["socket.socket(", "SOCKET", "fsockopen", "TCPClient", "/dev/tcp/", "os.system(", "iex ",
     "Invoke-Expression (", "IO.popen(x", ".popen( cmd", "system($", "process.env", "ENV.to_h",
     "getenv(", "JSON.stringify(process.env)", "sqlite://'", "sqlite:///:memory:", "(':memory:'",
     "/bin/sh", "cmd.exe", "bash -i", "169.254.", "metadata", "if ", "where", ".filter(",
     "process_iter(", "psutil.pids()", "eval(", "exec (", "__import__(", "print(", "b64decode",
     "urlopen", "require('x')", "=>", "const a =", "await x", "fetch('", "localStorage",
     "K", "ſ", "é", " ", "(", "$", "x", "\n"],
    6,
)  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(_gate_pieces)
def test_gated_regexes_find_what_their_regexes_find(text: str) -> None:
    """A regex gated by the literals its matches hold (`_detect.Gated`) answers as the regex."""
    from agentaudit.classifier import _code, _commands

    gated = [
        v for mod in (_code, _commands) for v in vars(mod).values() if isinstance(v, _detect.Gated)
    ]
    assert len(gated) >= 10
    for g in gated:
        for probe in (text, text.upper(), text.lower()):
            assert _spans(g.finditer(probe)) == _spans(g.regex.finditer(probe)), g.regex.pattern
            found, want = g.search(probe), g.regex.search(probe)
            assert (found and found.span()) == (want and want.span())


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_python_lines_hold_their_keywords(data) -> None:  # type: ignore[no-untyped-def]
    """Every statement `looks_like_python` finds at a line's start holds one of the words
    it checks for first."""
    from agentaudit.classifier import _code

    text = data.draw(st.from_regex(_code._PY_LINE))
    if _code._PY_LINE.search(text):
        assert any(w in text for w in _code._PY_LINE_WORDS), text


_medical = st.lists(
    st.sampled_from(["diabetes", "Diabetiker", "epileptic", "insulin", "the", "dia", "epi",
                     "schizophrenia", "care", "med", "medikament", "szpital", " ", ", ", "\n"]),
    max_size=20,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_medical)
def test_cue_gates_read_from_the_text_agree_with_the_words(text: str) -> None:
    from agentaudit.classifier._pii_cues import default_cues

    low = text.lower()
    gate = default_cues().special_gate
    assert gate.maybe_in(words_of(low), low) == gate.maybe_in(words_of(low))


def _setting_words() -> list[str]:
    st_ = default_rules().effects.settings
    words = {w for e in st_.for_fields for w in (*e.keys, *e.bad, *e.contains, *e.values)}
    return sorted(words) + ["city", "Paris", "Acl", "x.acl", "İp", '"acl"', " ", "=", ":", "#"]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_setting_words()), min_size=1, max_size=3).map("".join),
    st.lists(st.sampled_from(_setting_words()), max_size=3).map(" ".join),
)
def test_a_field_setting_is_judged_as_the_line_it_stands_for(key: str, value: str) -> None:
    """The field check's shortcuts (contains texts by length and "=", a name no entry knows)
    give what the general check of the line `key: value` gives."""
    settings_ = default_rules().effects.settings
    line = f"{key}: {value}"
    if len(line.splitlines()) == 1:
        assert settings_.field_weakens(key, value) == settings_.weakens("", line), line


def test_vendor_prefixes_hold_no_space() -> None:
    """detect_secrets looks for them in the long tokens joined by spaces: a prefix with a space
    could be found across two tokens."""
    assert not any(" " in p or not p.strip() for p in _detect.ANY_VENDOR_PREFIX.needles)


def test_connection_strings_need_a_scheme_or_ado_form() -> None:
    url = classify("a", "run", {"dsn": "postgresql://app:hunter2secret@db.internal:5432/app"})
    ado = classify("a", "run", {"conn": "Server=db;Database=x;Password=hunter2secret;"})
    assert url.secret_fields == ["db_connection_string"]
    assert ado.secret_fields == ["db_connection_string"]


@pytest.mark.parametrize(
    ("path", "credential"),
    [(".env", True), ("~/.aws/credentials", True), ("/home/x/.ssh/id_rsa", True),
     ("id_ed25519", True), ("kubeconfig", True), ("/etc/shadow", True), ("/etc/gshadow", True),
     ("certs/server.key", True), ("secrets.yaml", True), (".npmrc", True),
     ("C:\\Users\\x\\.aws\\credentials", True), ("~/.kube/", True), ("server-key.pem", True),
     (".env.example", False), ("~/.ssh/id_ed25519.pub", False), ("known_hosts", False),
     ("ca-bundle.pem", False), ("notes.txt", False), ("README.md", False)],
)  # fmt: skip
def test_credential_files(path: str, credential: bool) -> None:
    assert default_rules().effects.is_credential(path) is credential


_mixed = st.lists(
    st.sampled_from(
        [
            *"abXZ09 -@:/._+ΣσςΑßİK\u212aſ",
            "postgres://",
            "MySQL://app:hunter22",
            "https://app:hunter22",
            "git://u:pw1",
            "@db.internal",
            "@",
            "DE89",
            "3704 0044 0532 0130 00",
            "12345678",
            "12345678-Z",
            "Z",
            "prod",
            "PROD",
            "production",
            "live",
        ]
    ),
    max_size=14,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_mixed)
def test_payload_pre_checks_agree_with_their_regexes(text: str) -> None:
    """Connection strings and URLs with credentials need an "@"; a production word needs its letters in the text
    (the pre-check never skips a token the full scan would find)."""
    for rx in (_detect.DB_URL, _detect.URL_CREDS):
        if rx.search(text):
            assert "@" in text
    vocab = default_rules().vocab
    words = _places.word_tokens_prod(vocab, text)
    tokens = _places._TOKENS.findall(text)
    every = [t for t in tokens if t.lower() in vocab.production_words]
    camel = [  # a production word inside a CamelCase name (BillingProdStack)
        t
        for t in tokens
        if not t.isupper()
        and not t.islower()
        and "_" not in t
        and any(w.lower() in vocab.production_words for w in _places._CAMEL_WORDS.findall(t))
    ]
    assert words == (every or camel or [None])[0]


def test_production_words_are_still_found_in_commands() -> None:
    v = default_rules().vocab
    for text in (
        "kubectl -n prod get pods",
        "deploy PRODUCTION",
        "psql prd db",
        "déploiement prod",
    ):
        assert _places.word_tokens_prod(v, text.replace("-", " ")) is not None, text


# The regexes the dotted forms replaced, as they were: what `found_in` must answer.
_OLD_PY_DOTTED = re.compile(
    r"\.(?:" + "|".join(
        f"(?<=\\b{f}\\.)" for f in ("os", "sys", "subprocess", "shutil", "socket", "requests",
                                     "pathlib", "psycopg", "psycopg2", "sqlite3", "pymongo",
                                     "redis", "boto3", "psutil", "pty", "urllib", "httpx", "Path")
    ) + r"|objects\.|(?<=\bsession\.)query\s*\(|execute\s*\(|"
    r"(?:to_sql|saveAsTable|write_database|insertInto)\s*\()"
)  # fmt: skip
_OLD_JS_DOTTED = re.compile(
    r"\.(?:(?<=\bdb\.)|(?<=\bprisma\.)|(?<=\bdocument\.)|(?<=\bnavigator\.))\w|"
    r"\.(?:(?<=\bfs\.)\w+|then|(?<=\bBuffer\.)from|deleteMany|deleteOne|drop|dropDatabase|remove|"
    r"destroy|truncate|flushall|flushAll)\s*\(|\.(?<=\bprocess\.)env\b"
)
_dotted_pieces = _joined(
    ["os", "sys", "subprocess", "xsubprocess", "Path", "path", "session", "db", "fs", "Buffer",
     "process", "prisma", "document", "navigator", "objects", "execute", "query", "from",
     "env", "envx", "then", "drop", "dropDatabase", "to_sql", "x", "_", "é", "٣", "1",
     ".", ".", ".", "(", " (", " ", "\n", "-", "=", "'"],
    10,
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(_dotted_pieces)
def test_dotted_forms_answer_as_the_regexes_they_replaced(text: str) -> None:
    from agentaudit.classifier import _code

    for forms, old in ((_code._PY_DOTTED, _OLD_PY_DOTTED), (_code._JS_DOTTED, _OLD_JS_DOTTED)):
        want = old.search(text) is not None
        assert forms.found_in(text) is want, old.pattern
        assert (re.search(forms.pattern(), text) is not None) is want


_pwsh_pieces = _joined(
    ["Remove-Item", "remove-item", "Get-ADUser", "-Recurse", "-rf", "--force", "-", "-A", "$env:",
     "[System.IO.File]::", "[IO]::", "]::", " ", ";", "(", "{", "x", "é", "\n", "ab", "Z"],
    8,
)  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(_pwsh_pieces)
def test_powershell_hints_hold_what_the_gate_looks_for(text: str) -> None:
    from agentaudit.classifier import _shell

    if _shell._PWSH_HINT.search(text) is not None:
        assert _shell._hyphen_capital(text) or "$env:" in text or "]::" in text
