"""PostgreSQL appends alone (no HTTP, no classifier): CPU of this process and of PostgreSQL, and
wall time, per stored event, for batches of several sizes, through COPY and through the column
arrays of a single INSERT (the store picks COPY from `COPY_MIN_ROWS` rows on; this script forces
each way). Events are dev-set calls, evaluated once; rounds interleave the two ways.

    .venv/bin/python benchmarks/pg_append.py --database-url postgresql://postgres@127.0.0.1/aa_bench \
        [--sizes 16,32,64,1000] [--events 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe, load_calls, postgres_cpu_seconds  # noqa: E402

from agentaudit.ids import new_id  # noqa: E402
from agentaudit.models import EventIn, Policy  # noqa: E402
from agentaudit.pipeline import evaluate  # noqa: E402
from agentaudit.store import NewEvent  # noqa: E402
from agentaudit.store import postgres as pg  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sizes", default="16,32,64,1000", help="events per append")
    parser.add_argument("--events", type=int, default=10_000, help="per size, way and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    policy = Policy()
    evaluated = [evaluate(EventIn(**call), policy)[0] for call in load_calls()]
    store = pg.PostgresStore(args.database_url)
    org = store.create_org(f"pg-append-{uuid.uuid4().hex[:8]}").id
    print(describe())
    print(f"store: {store.path}; µs per event: this process CPU / PostgreSQL CPU / wall")
    results: dict[tuple[int, str], list[tuple[float, float, float]]] = {}
    try:
        for _ in range(args.rounds):
            for size in (int(s) for s in args.sizes.split(",")):
                for way in ("copy", "arrays"):
                    pg.COPY_MIN_ROWS = size if way == "copy" else size + 1
                    batches = [
                        [
                            NewEvent(
                                evaluated[(b * size + i) % len(evaluated)].model_copy(
                                    update={"id": new_id()}
                                )
                            )
                            for i in range(size)
                        ]
                        for b in range(max(1, args.events // size))
                    ]
                    n = len(batches) * size
                    cpu, db, wall = time.process_time(), postgres_cpu_seconds(), time.perf_counter()
                    for batch in batches:
                        store.append(org, batch)
                    sample = (
                        (time.process_time() - cpu) / n * 1e6,
                        (postgres_cpu_seconds() - db) / n * 1e6,
                        (time.perf_counter() - wall) / n * 1e6,
                    )
                    results.setdefault((size, way), []).append(sample)
    finally:
        store.close()
    for (size, way), samples in results.items():
        own, db, wall = (statistics.median(x) for x in zip(*samples, strict=True))
        walls = ", ".join(f"{s[2]:.1f}" for s in samples)
        print(
            f"  {size:>5} per append, {way:<6}: {own:5.1f} / {db:5.1f} / {wall:5.1f}  (wall {walls})"
        )


if __name__ == "__main__":
    main()
