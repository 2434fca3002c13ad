"""The classifier's cheap pre-checks never change an answer: each skips a regex only where the
regex cannot match."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentaudit.classifier import _detect, _engine, classify, default_rules, load_rules
from agentaudit.models import Policy

DEPLOYS = [
    "helm upgrade api ./chart",
    "HELM Install x",
    "kubectl apply -f deploy.yaml",
    "kubectl set image deploy/api api=img:2",
    "kubectl rollout restart deploy/api",
    "Kubectl Scale deploy/api --replicas=3",
    "vercel --prod",
    "netlify deploy --dir=build",
    "flyctl deploy",
    "fly deploy",
    "gcloud run deploy api",
    "sls deploy",
    "serverless deploy --stage prod",
    "cdk deploy",
    "terraform -chdir=infra apply",
    "pulumi up --yes",
    "eb deploy",
    "ansible-playbook site.yml",
    "git push heroku main",
    "docker stack deploy -c x.yml app",
    "docker service update --image x app",
    "argocd app sync api",
    "skaffold run",
    "kubectl rollout",
]
_piece = st.sampled_from(
    [
        *(w for cmd in DEPLOYS for w in cmd.split()),
        *(
            w
            for cmd in (
                "aws secretsmanager get-secret-value",
                "vault kv read",
                "op item get",
                "security find-internet-password",
                "cat /proc/12/environ",
                "printenv",
                "env",
                "kubectl get secret",
                "--with-decryption ssm",
            )
            for w in cmd.split()
        ),
        " ",
        "  ",
        "\n",
        ";",
        "|",
        "-",
        "é",
        "\u212a",  # KELVIN SIGN: matches "k" under re.IGNORECASE
        "ſ",  # LONG S: matches "s" under re.IGNORECASE
        "ls",
        "echo",
    ]
)
_text = st.lists(_piece, max_size=10).map("".join)


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return a.group(0) == b.group(0) and a.span() == b.span()  # type: ignore[attr-defined]


SECRET_STORES = [
    "aws secretsmanager get-secret-value --secret-id prod/db",
    "aws ssm get-parameters --names x --with-decryption",
    "vault kv get secret/app",
    "VAULT read secret/app",
    "kubectl get secrets -n prod",
    "gcloud secrets versions access latest --secret=db",
    "az keyvault secret show --name x",
    "op read op://vault/item/field",
    "op item get db",
    "doppler secrets download",
    "security find-generic-password -s x",
    "printenv",
    "cat /proc/1/environ",
    "env",
]


def _deploy(text: str) -> object:
    return _engine._search_if_worded(_engine._DEPLOY_CMD, _engine._DEPLOY_WORDS, text)


def _secret_store(text: str) -> object:
    return _engine._search_if_worded(_engine._SECRET_STORE_CMD, _engine._SECRET_STORE_WORDS, text)


@pytest.mark.parametrize(
    ("commands", "check", "rx"),
    [(DEPLOYS, _deploy, "_DEPLOY_CMD"), (SECRET_STORES, _secret_store, "_SECRET_STORE_CMD")],
)
def test_every_command_of_each_kind_is_still_found(commands, check, rx) -> None:  # type: ignore[no-untyped-def]
    for cmd in commands:
        for text in (cmd, cmd.upper(), f"cd app && {cmd}", f"échec puis {cmd}"):
            found = check(text)
            assert found is not None, text
            assert _same(found, getattr(_engine, rx).search(text)), text


@settings(max_examples=500, deadline=None)
@given(_text)
def test_the_pre_checks_agree_with_their_regexes(text: str) -> None:
    assert _same(_deploy(text), _engine._DEPLOY_CMD.search(text))
    assert _same(_secret_store(text), _engine._SECRET_STORE_CMD.search(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcXYZ09_ -éßñ中\u212aſ\n"), max_size=40))
def test_letter_runs_are_the_unicode_letter_runs(text: str) -> None:
    assert _detect.letter_runs(text) == _detect.LETTERS.findall(text)


def test_connection_strings_need_a_scheme_or_ado_form() -> None:
    url = classify("a", "run", {"dsn": "postgresql://app:hunter2secret@db.internal:5432/app"})
    ado = classify("a", "run", {"conn": "Server=db;Database=x;Password=hunter2secret;"})
    assert url.secret_fields == ["db_connection_string"]
    assert ado.secret_fields == ["db_connection_string"]


def test_triggers_gate_rules_with_min_risk_like_every_other_rule(tmp_path: Path) -> None:
    """`triggers` is a pre-check every rule honours: a rule that waits for a level (min_risk)
    fires on its pattern only where one of its triggers occurs, as rules without one do."""
    f = tmp_path / "rules.yaml"
    f.write_text(
        "rules:\n"
        "  - id: acme.purge_note\n"
        "    target: content\n"
        "    min_risk: low\n"
        "    triggers: [purge]\n"
        "    pattern: 'wipe|purge'\n"
        "    articles: {soc2: [C1.2]}\n",
        encoding="utf-8",
    )
    rules = load_rules(f)
    policy = Policy(frameworks={"soc2": True})
    fired = classify("a", "note", {"text": "purge the cache"}, rules=rules, policy=policy)
    not_triggered = classify("a", "note", {"text": "wipe the cache"}, rules=rules, policy=policy)
    assert "C1.2" in fired.frameworks.get("soc2", [])
    assert "C1.2" not in not_triggered.frameworks.get("soc2", [])


_shell_piece = st.sampled_from(
    [
        *"\"'>|&;.~/=@: \n\t",
        ">>",
        "2>&1",
        "/dev/null",
        "gh gist create",
        "gist",
        "GIST",
        "--public",
        "cat",
        "echo hi",
        ".env",
        ".env.example",
        "id_rsa",
        "id_ed25519.pub",
        ".aws/credentials",
        "kubeconfig",
        "kubeconfig.yaml",
        "/etc/shadow",
        "/etc/gshadow",
        "etc/shadow",
        ".ssh/id_rsa",
        "server.key",
        "secrets.yaml",
        "service-account-x.json",
        "\\",
        "é",
    ]
)
_shell = st.lists(_shell_piece, max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(_shell)
def test_shell_pre_checks_agree_with_their_regexes(text: str) -> None:
    """Quotes, redirections, gists and credential paths are looked for only where a literal
    that every match contains occurs."""
    assert _engine._strip_quotes(text) == _engine._QUOTED.sub(" Q ", text)
    assert _same(_engine._cred_path(text), _engine._CRED_PATH.search(text))
    for path in (text, "/" + text):
        assert _same(_engine._cred_path(path), _engine._CRED_PATH.search(path))
    if _engine._REDIRECT.search(text):
        assert ">" in text
    if _engine._GIST.search(text):
        assert "gist" in text


@pytest.mark.parametrize(
    "path",
    [".env", "~/.aws/credentials", "/home/x/.ssh/id_rsa", "id_ed25519", "kubeconfig",
     "/etc/shadow", "/etc/gshadow", "certs/server.key", "secrets.yaml", ".npmrc"],
)  # fmt: skip
def test_credential_paths_are_still_found(path: str) -> None:
    for text in (path, f"cat {path}", f"cp {path} /tmp"):
        assert _engine._cred_path(text) is not None, text


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
    """IBAN and DNI candidates need a capital (islower() is false then); connection strings
    and URLs with credentials need an "@"; a production word needs its letters in the text."""
    for rx in (_engine._IBAN_HINT, _detect.DNI):
        if rx.search(text):
            assert not text.islower()
    for rx in (_detect.DB_URL, _detect.URL_CREDS):
        if rx.search(text):
            assert "@" in text
    vocab = default_rules().vocab
    words = _engine._word_tokens_prod(vocab, text)
    every = [t for t in _engine._TOKENS.findall(text) if t.lower() in vocab.production_words]
    assert words == (every[0] if every else None)


def test_production_words_are_still_found_in_commands() -> None:
    v = default_rules().vocab
    for text in (
        "kubectl -n prod get pods",
        "deploy PRODUCTION",
        "psql prd db",
        "déploiement prod",
    ):
        assert _engine._word_tokens_prod(v, text.replace("-", " ")) is not None, text
