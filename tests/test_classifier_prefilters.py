"""The classifier's cheap pre-checks never change an answer: each skips a regex only where the
regex cannot match."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentaudit.classifier import _detect, _engine, classify, load_rules
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
