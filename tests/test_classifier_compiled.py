"""The mypyc-compiled classifier (scripts/build_speedups.py) answers exactly as the Python source.

`make test` builds it and sets AGENTAUDIT_EXPECT_COMPILED=1, so CI fails if the build silently
fell back to Python. The pure side runs in a child process with AGENTAUDIT_PURE_PYTHON=1: the
same calls, classified by both, must give the same answers, matches and evidence included.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import agentaudit.classifier as classifier
from agentaudit.classifier import classify
from agentaudit.classifier._speedups import PURE_ENV, SOURCES, compiled_engine_usable
from agentaudit.models import Policy

HERE = Path(__file__).resolve().parent
STRICT = {"money_critical_threshold": 100, "frameworks": {"soc2": True}}
_CHILD = """
import json, sys
from agentaudit.classifier import COMPILED, classify
from agentaudit.models import Policy
assert not COMPILED
out = []
for call in json.load(sys.stdin):
    policy = Policy(**call.pop("policy")) if call.get("policy") else None
    c = classify(call["agent_id"], call["action"], call["data"], call["context"],
                 call["reasoning"], policy=policy)
    out.append(c.model_dump(mode="json"))
json.dump(out, sys.stdout)
"""


def _calls() -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    for name in ("classifier_dev.jsonl", "classifier_extra.jsonl", "classifier_meaning.jsonl"):
        with (HERE / "data" / name).open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                calls.append(
                    {k: row.get(k) for k in ("agent_id", "action", "data", "context", "reasoning")}
                )
    return calls


_PIECES = [
    *"ab@.-_ /:=+0123456789éü\"'\n|;&$()`{}",
    "DROP TABLE ", "rm -rf /", "DE89370400440532013000", "jane@example.com",
    "+44 20 7946 0958", "sk-live-", "password=", "https://", "prod", "sudo ", "curl ",
    "| sh", "$(", "find / -delete", "kubectl delete ns x", "import os\nos.system('",
    "db.users.deleteMany({})", "echo cm0gLXJmIC8= | base64 -d | sh", "~/.aws/credentials",
]  # fmt: skip


def _arbitrary(n: int, seed: int) -> list[dict[str, Any]]:
    """Random calls from pieces of commands, secrets and personal data (fixed seed)."""
    rnd = random.Random(seed)

    def text() -> str:
        return "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 10)))

    def value(depth: int = 0) -> Any:
        kind = rnd.randint(0, 6 if depth < 2 else 3)
        if kind == 0:
            return rnd.choice([None, True, False, rnd.randint(-5, 10**6), 1.5])
        if kind <= 3:
            return text()
        if kind <= 5:
            return {text() or "k": value(depth + 1) for _ in range(rnd.randint(0, 3))}
        return [value(depth + 1) for _ in range(rnd.randint(0, 3))]

    keys = ["command", "cmd", "script", "query", "sql", "code", "input", "payload", "body",
            "to", "path", "url", "amount", "args", "notes", "password"]  # fmt: skip
    return [
        {
            "agent_id": "fuzz",
            "action": rnd.choice(
                ["run", "bash", "send_email", "execute_sql", "Task", text() or "x"]
            ),
            "data": {rnd.choice(keys): value() for _ in range(rnd.randint(0, 4))},
            "context": {"environment": rnd.choice(["prod", "dev", text()])},
            "reasoning": rnd.choice([None, text()]),
        }
        for _ in range(n)
    ]


def _pure(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    env = {**os.environ, PURE_ENV: "1"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _compare(calls: list[dict[str, Any]]) -> None:
    pure = _pure([dict(c) for c in calls])
    for call, expected in zip(calls, pure, strict=True):
        policy = Policy(**call["policy"]) if call.get("policy") else None
        got = classify(
            call["agent_id"], call["action"], call["data"], call["context"], call["reasoning"],
            policy=policy,
        ).model_dump(mode="json")  # fmt: skip
        assert got == expected, (call, got, expected)


def test_the_compiled_classifier_is_in_use_where_expected() -> None:
    from agentaudit.classifier import _detect, _engine, _ruleset

    modules = (_engine, _detect, _ruleset)
    if os.environ.get("AGENTAUDIT_EXPECT_COMPILED") == "1":
        assert classifier.COMPILED, "run scripts/build_speedups.py (make does)"
        for module in modules:
            assert module.__file__ is not None and module.__file__.endswith(".so"), module
    if not classifier.COMPILED:
        assert all(str(m.__file__).endswith(".py") for m in modules)
    assert len(SOURCES) > 10  # every module of the classifier is compiled


def test_labelled_calls_classify_identically() -> None:
    calls = _calls()
    assert len(calls) > 900
    strict = [{**c, "policy": STRICT} for c in calls[::3]]
    _compare(calls + strict)


def test_arbitrary_calls_classify_identically() -> None:
    _compare(_arbitrary(int(os.environ.get("AGENTAUDIT_FUZZ_EXAMPLES", "400")), seed=7))


@pytest.mark.parametrize("flag", ["1", "true"])
def test_pure_python_can_be_forced(flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PURE_ENV, flag)
    assert compiled_engine_usable() is False
