"""What one client-sent string costs the classifier, per KiB, for adversarial shapes (issue 17).

    python benchmarks/classify_cost.py [--sizes 1,16,64,1024] [--top 15] [--filter TEXT]

Each shape is a unit repeated to the size (tests/support/adversarial.py: the smallest match of
every regex of the classifier and its rules, a near miss, both glued), plus a few hand-written
ones (long URLs, deep JSON, nested quotes). Every shape is classified as a command and as prose
in one call. Prints the machine, then the shapes with the highest µs/KiB at the largest size and
their growth (µs/KiB at the largest size over µs/KiB at 1 KiB: 1.0 is linear). Strings past the
64 KiB scan cap are read in part, so a 1 MiB string costs what its head does plus a linear copy.
CPU time, best of 3 rounds (2 at 1 MiB).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from _machine import describe  # noqa: E402

from agentaudit.classifier import classify  # noqa: E402
from tests.support.adversarial import HAND, cost_per_kib, shapes  # noqa: E402


def deep_json_cost(depth: int) -> float:
    """µs to classify a payload nested `depth` levels deep (the API refuses deeper than 64;
    the in-process SDK passes what it gets)."""
    data: dict = {"leaf": "rm -rf /srv/data"}
    for _ in range(depth):
        data = {"a": data}
    json.dumps(data)  # what a client could send
    t0 = time.process_time()
    classify("agent", "run_command", data)
    return (time.process_time() - t0) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1,16,64,1024", help="KiB, comma-separated")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--filter", default="", help="only shapes whose name contains this")
    args = ap.parse_args()
    sizes = [int(s) * 1024 for s in args.sizes.split(",")]
    print(describe())
    classify("agent", "run_command", {"command": "warm up"})
    rows = []
    for shape in [*HAND, *shapes()]:
        if args.filter and args.filter not in shape.name:
            continue
        costs = [
            cost_per_kib(shape.make(n), rounds=2 if n > 65_536 else 3, keys=shape.keys)
            for n in sizes
        ]
        rows.append((shape, costs))
    rows.sort(key=lambda r: -r[1][-1])
    head = "  ".join(f"{n // 1024:>6} KiB" for n in sizes)
    print(f"\n{len(rows)} shapes; µs/KiB at {head}  growth")
    for shape, costs in rows[: args.top]:
        cells = "  ".join(f"{c:10.1f}" for c in costs)
        print(f"{shape.name[:52]:52} {cells}  x{costs[-1] / costs[0]:.2f}")
    growth = [c[-1] / c[0] for _, c in rows]
    worst = rows[0]
    print(
        f"\nworst at {sizes[-1] // 1024} KiB: {worst[1][-1]:.1f} µs/KiB ({worst[0].name}); "
        f"median over shapes {statistics.median(c[-1] for _, c in rows):.1f} µs/KiB; "
        f"growth median x{statistics.median(growth):.2f}, max x{max(growth):.2f}"
    )
    for depth in (64, 900):  # 900: within the JSON encoder's recursion limit
        print(f"payload nested {depth} deep: {deep_json_cost(depth):.0f} µs")


if __name__ == "__main__":
    main()
