"""Cost of the free-text PII detectors (`find_pii`) and of the `ner` extra.

    python benchmarks/pii_freetext.py [--rounds 5] [--no-ner]

Prints the machine, then:
- per dev-set event: `find_pii` over every string of its data and reasoning (what the engine adds
  to a typical call), median and p99 in µs;
- per corpus sentence (tests/data/pii_freetext.jsonl, ~70 characters): median and p99 in µs;
- long and adversarial texts (64 KiB each: prose, repeated digits, separators, cue words): µs
  per KiB, which must stay flat as the text grows (every pattern is linear);
- with the extra installed: model load time, then `find_names_and_addresses` per corpus sentence
  and per KiB.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe  # noqa: E402

from agentaudit.classifier import _ner  # noqa: E402
from agentaudit.classifier._freetext import find_pii  # noqa: E402
from agentaudit.classifier._pii_cues import default_cues  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def _pct(sorted_ns: list[int], q: float) -> float:
    return sorted_ns[min(len(sorted_ns) - 1, int(len(sorted_ns) * q))] / 1000.0


def _per_item(items: list[Any], fn: Callable[[Any], object], rounds: int) -> list[int]:
    ns: list[int] = []
    gc.disable()
    try:
        for _ in range(rounds):
            for item in items:
                s = time.perf_counter_ns()
                fn(item)
                ns.append(time.perf_counter_ns() - s)
    finally:
        gc.enable()
    return sorted(ns)


def _per_kib(text: str, fn: Callable[[str], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        s = time.perf_counter_ns()
        fn(text)
        best = min(best, (time.perf_counter_ns() - s) / 1000.0)
    return best / (len(text.encode("utf-8")) / 1024)


def _grow(unit: str, size: int) -> str:
    return (unit * (size // max(1, len(unit)) + 1))[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-ner", action="store_true", help="skip the ner extra even if installed")
    args = ap.parse_args()
    print(f"machine: {describe()}")

    t0 = time.perf_counter()
    default_cues()
    find_pii("warm up: call me on +44 20 7946 0958")
    print(f"warm-up: cue file and phone metadata {(time.perf_counter() - t0) * 1e3:.1f} ms")

    events = [
        json.loads(x) for x in (DATA / "classifier_dev.jsonl").read_text("utf-8").splitlines()
    ]
    payloads = [[s for s in _strings([e.get("data"), e.get("reasoning")]) if s] for e in events]
    ns = _per_item(payloads, lambda strings: [find_pii(s) for s in strings], args.rounds)
    print(
        f"dev-set events ({len(payloads)}, all strings of data and reasoning): "
        f"median {_pct(ns, 0.5):.1f} µs, p99 {_pct(ns, 0.99):.1f} µs per event"
    )

    rows = [json.loads(x) for x in (DATA / "pii_freetext.jsonl").read_text("utf-8").splitlines()]
    sentences = [r["text"] for r in rows]
    ns = _per_item(sentences, find_pii, args.rounds)
    mean_len = sum(map(len, sentences)) / len(sentences)
    print(
        f"corpus sentences ({len(sentences)}, mean {mean_len:.0f} chars): "
        f"median {_pct(ns, 0.5):.1f} µs, p99 {_pct(ns, 0.99):.1f} µs per call"
    )

    size = 64 * 1024
    texts = {
        "corpus prose": _grow(" ".join(sentences), size),
        "digits": _grow("1234567890", size),
        "digits and spaces": _grow("1 ", size),
        "phone-like groups": _grow("+49 30 901820 ", size),
        "separators": _grow("-./() ", size),
        "dotted quads": _grow("12.34.56.78.", size),
        "colons and hex": _grow("a1:", size),
        "phone cues and digits": _grow("phone 0", size),
        "birth cues and dates": _grow("born 1/1/1990 ", size),
        "id cues": _grow("passport number ", size),
        "capitalised words": _grow("Anna Schmidt ", size),
        "special-category terms": _grow("he is diagnosed with diabetes ", size),
        "escaped newlines": _grow("\\n", size),
    }
    for name, text in texts.items():
        print(f"  {name:24} {_per_kib(text, find_pii, max(1, args.rounds // 2)):8.1f} µs per KiB")
    # linear: a text 16x longer costs 16x, not 256x
    small, big = _grow(" ".join(sentences), 16 * 1024), _grow(" ".join(sentences), 256 * 1024)
    ratio = _per_kib(big, find_pii, 2) / _per_kib(small, find_pii, 2)
    print(f"  cost per KiB at 256 KiB / at 16 KiB: {ratio:.2f} (1.0 = linear)")

    if args.no_ner or not _ner.available():
        print("ner extra: not measured (" + ("--no-ner" if args.no_ner else "not installed") + ")")
        return
    t0 = time.perf_counter()
    _ner.find_names_and_addresses("Anna Schmidt lives at Hauptstraße 5, Berlin.")
    print(f"ner extra: model and first names loaded in {(time.perf_counter() - t0) * 1e3:.0f} ms")
    sample = sentences[:: max(1, len(sentences) // 500)]
    ns = _per_item(sample, _ner.find_names_and_addresses, 1)
    print(
        f"  per corpus sentence ({len(sample)}): median {_pct(ns, 0.5) / 1000:.2f} ms, "
        f"p99 {_pct(ns, 0.99) / 1000:.2f} ms"
    )
    long = _grow(" ".join(sentences), 8 * 1024)
    print(f"  long prose: {_per_kib(long, _ner.find_names_and_addresses, 2) / 1000:.2f} ms per KiB")


if __name__ == "__main__":
    main()
