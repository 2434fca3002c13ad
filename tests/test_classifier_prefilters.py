"""The classifier's cheap pre-checks never change an answer: each skips a regex only where the
regex cannot match."""

from __future__ import annotations

from pathlib import Path

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


def test_every_deploy_command_is_still_found() -> None:
    for cmd in DEPLOYS:
        for text in (cmd, cmd.upper(), f"cd app && {cmd}", f"échec puis {cmd}"):
            found = _engine._deploy_command(text)
            assert found is not None, text
            assert _same(found, _engine._DEPLOY_CMD.search(text)), text


@settings(max_examples=500, deadline=None)
@given(_text)
def test_the_deploy_pre_check_agrees_with_the_regex(text: str) -> None:
    assert _same(_engine._deploy_command(text), _engine._DEPLOY_CMD.search(text))


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
