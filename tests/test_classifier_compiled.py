"""The mypyc-compiled classifier (scripts/build_speedups.py) answers exactly as the Python source.

`make test` builds it and sets AGENTAUDIT_EXPECT_COMPILED=1, so CI fails if the build silently
fell back to Python. The pure engine, detectors and rule set are loaded from their sources under
other module names, the pure engine wired to the pure detectors and rule set.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import agentaudit.classifier as classifier
from agentaudit.classifier import _detect, _engine, _ruleset, default_rules
from agentaudit.classifier._speedups import ENGINE_SOURCE, SOURCES
from agentaudit.models import Policy

HERE = Path(__file__).resolve().parent
PACKAGE = "agentaudit.classifier"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"agentaudit_pure{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def _imported_as(modules: dict[str, ModuleType]) -> Iterator[None]:
    """`from agentaudit.classifier import X` finds these modules while the block runs."""
    saved = {name: sys.modules[f"{PACKAGE}.{name}"] for name in modules}
    try:
        for name, module in modules.items():
            sys.modules[f"{PACKAGE}.{name}"] = module
            setattr(classifier, name, module)
        yield
    finally:
        for name, module in saved.items():
            sys.modules[f"{PACKAGE}.{name}"] = module
            setattr(classifier, name, module)


PURE_DETECT = _load(SOURCES[1])
PURE_RULESET = _load(SOURCES[2])
with _imported_as({"_detect": PURE_DETECT, "_ruleset": PURE_RULESET}):
    PURE = _load(ENGINE_SOURCE)


def _calls() -> list[dict[str, Any]]:
    calls = []
    for path in (HERE / "data" / "classifier_dev.jsonl", HERE / "data" / "classifier_extra.jsonl"):
        with path.open(encoding="utf-8") as f:
            calls += [json.loads(line) for line in f if line.strip()]
    return calls


def _both(call: dict[str, Any], policy: Policy | None = None) -> None:
    args = (
        call.get("agent_id", "a"),
        call.get("action", "x"),
        call.get("data"),
        call.get("context"),
        call.get("reasoning"),
        policy,
    )
    found_c: list[tuple[str, str]] = []
    found_p: list[tuple[str, str]] = []
    compiled = _engine.run(default_rules(), *args, found_c)
    pure = PURE.run(PURE_RULESET.default_rules(), *args, found_p)
    assert compiled.model_dump() == pure.model_dump()
    assert found_c == found_p


def test_the_compiled_classifier_is_in_use_where_expected() -> None:
    modules = (_engine, _detect, _ruleset)
    if os.environ.get("AGENTAUDIT_EXPECT_COMPILED") == "1":
        assert classifier.COMPILED, "run scripts/build_speedups.py (make does)"
        for module in modules:
            assert module.__file__ is not None and module.__file__.endswith(".so"), module
    if not classifier.COMPILED:
        assert [m.__file__ for m in modules] == [str(p) for p in SOURCES]


def test_the_pure_side_is_really_pure() -> None:
    """The comparison below means something only if its pure side runs the sources."""
    assert [PURE.__file__, PURE_DETECT.__file__, PURE_RULESET.__file__] == [str(p) for p in SOURCES]
    assert PURE.d is PURE_DETECT and PURE.RuleSet is PURE_RULESET.RuleSet
    assert type(PURE_RULESET.default_rules()) is PURE_RULESET.RuleSet


def test_labelled_calls_classify_identically() -> None:
    calls = _calls()
    assert len(calls) > 300
    strict = Policy(money_critical_threshold=100, frameworks={"soc2": True})
    for call in calls:
        _both(call)
        _both(call, strict)


_piece = st.sampled_from(
    [
        *"ab@.-_ /:=+0123456789éü\"'\n",
        "DROP TABLE ",
        "rm -rf /",
        "DE89370400440532013000",
        "jane@example.com",
        "+44 20 7946 0958",
        "sk-live-",
        "password=",
        "https://",
        "prod",
    ]
)
_text = st.lists(_piece, max_size=12).map("".join)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)


@settings(
    max_examples=int(os.environ.get("AGENTAUDIT_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    action=_text,
    data=st.dictionaries(_text, _json, max_size=5),
    context=st.dictionaries(_text, _json, max_size=3),
    reasoning=st.none() | _text,
)
def test_arbitrary_calls_classify_identically(
    action: str, data: dict, context: dict, reasoning: str | None
) -> None:
    _both({"action": action or "x", "data": data, "context": context, "reasoning": reasoning})


@pytest.mark.parametrize("flag", ["1", "true"])
def test_pure_python_can_be_forced(flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from agentaudit.classifier._speedups import PURE_ENV, compiled_engine_usable

    monkeypatch.setenv(PURE_ENV, flag)
    assert compiled_engine_usable() is False
