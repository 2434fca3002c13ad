"""The in-process steps of one 1,000-event batch, in µs per event: what the server does with a
POST /v1/events/batch apart from HTTP and the database itself.

parse (JSON body to `BatchIn`), evaluate (classify, decide, build each event), prepare (encode for
storage: canonical JSON, payload digest, count buckets), chain (number and hash under the head),
answer (the 201 body). Each step runs over the same batch of dev-set calls; medians of --rounds.

    .venv/bin/python benchmarks/batch_parts.py [--rounds 7] [--size 1000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe, load_calls  # noqa: E402

from agentaudit.classifier import default_rules  # noqa: E402
from agentaudit.models import Policy  # noqa: E402
from agentaudit.pipeline import evaluate  # noqa: E402
from agentaudit.server.deps import parse_model  # noqa: E402
from agentaudit.server.schemas import BatchIn, BatchOut  # noqa: E402
from agentaudit.store._sql import chain_prepared, prepare_event  # noqa: E402
from agentaudit.store.chain import GENESIS  # noqa: E402

ORG = "01JBENCHORG000000000000000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    calls = load_calls()
    body = json.dumps({"events": [calls[i % len(calls)] for i in range(args.size)]}).encode()
    policy, rules = Policy(), default_rules()
    batch = parse_model(body, BatchIn)
    events = [evaluate(e, policy, rules=rules)[0] for e in batch.events]
    prepared = [prepare_event(ORG, e, None) for e in events]
    steps: dict[str, Callable[[], Any]] = {
        "parse": lambda: parse_model(body, BatchIn),
        "evaluate": lambda: [evaluate(e, policy, rules=rules) for e in batch.events],
        "prepare": lambda: [prepare_event(ORG, e, None) for e in events],
        "chain": lambda: chain_prepared(ORG, prepared, 0, GENESIS),
        "answer": lambda: BatchOut.model_construct(events=events).model_dump_json(),
    }
    print(describe())
    print(f"{args.size} events per batch from {len(calls)} distinct dev-set calls")
    total = 0.0
    for name, step in steps.items():
        samples = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            step()
            samples.append((time.perf_counter() - start) / args.size * 1e6)
        median = statistics.median(samples)
        total += median
        print(
            f"  {name:<9} {median:6.2f} µs per event (rounds {min(samples):.2f}–{max(samples):.2f})"
        )
    print(f"  {'together':<9} {total:6.2f} µs per event")


if __name__ == "__main__":
    main()
