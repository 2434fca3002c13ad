"""The classifier's cost grows linearly with its input, for every shape its own regexes suggest.

Issue 17: one 100 KB event used to stall the server (`"http://" + "a." * n` took 54 s at
128 KiB). Here every regex of the classifier and its rules gives adversarial shapes (see
tests/support/adversarial.py); each is classified at 1 KiB and at 64 KiB, and the cost per KiB at
64 KiB may not exceed twice the cost per KiB at 1 KiB. (A quadratic step shows as 64x.) The
figures per shape are printed by benchmarks/classify_cost.py.
"""

from __future__ import annotations

import pytest

from tests.support.adversarial import HAND, cost_per_kib, shapes

SMALL, MIDDLE, LARGE = 1024, 4096, 65_536
LIMIT = 2.0

SHAPES = [*HAND, *shapes()]


def test_the_shapes_cover_the_classifiers_regexes() -> None:
    names = {s.name.split(" (")[0] for s in SHAPES}
    assert len(names) >= 60, sorted(names)
    assert any(n.startswith("rule ") for n in names)
    assert any(n.startswith("_shell.") for n in names)
    assert any(n.startswith("_detect.") for n in names)


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_cost_per_kib_does_not_grow(shape) -> None:  # type: ignore[no-untyped-def]
    small = cost_per_kib(shape.make(SMALL), keys=shape.keys)
    large = cost_per_kib(shape.make(LARGE), rounds=2, keys=shape.keys)
    if large > LIMIT * small:  # measure again, more rounds, before calling it growth
        small = min(small, cost_per_kib(shape.make(SMALL), rounds=7, keys=shape.keys))
        large = min(large, cost_per_kib(shape.make(LARGE), rounds=5, keys=shape.keys))
        # A small text's cost per KiB depends on where the repeated unit is cut (a near miss
        # at 1 KiB may be a match at 4 KiB, and the other way round): the baseline is the worse
        # of 1 and 4 KiB. Growth from 4 to 64 KiB still shows as x16 if quadratic.
        small = max(small, cost_per_kib(shape.make(MIDDLE), rounds=5, keys=shape.keys))
    assert large <= LIMIT * small, (
        f"{shape.name}: {small:.1f} µs/KiB at 1 KiB, {large:.1f} µs/KiB at 64 KiB "
        f"(x{large / small:.1f}); unit {shape.unit[:60]!r}"
    )


def test_a_string_past_the_cap_is_read_in_part() -> None:
    from agentaudit.classifier import classify

    short = classify("a", "run_command", {"command": "rm -rf /srv/data"})
    assert not short.partial_scan
    long = classify("a", "run_command", {"command": "rm -rf /srv/data; " + "x" * 100_000})
    assert long.partial_scan
    assert long.risk_level.value == "critical"  # what was read still counts
