"""Instructions per `classify` call over the dev set, counted by valgrind's callgrind.

    python benchmarks/classify_instructions.py [--passes 5] [--top 25]

Timings on these shared machines move by ±30 % from one minute to the next; an instruction
count does not (the same code, inputs and interpreter give the same count, whatever else the
machine runs). The count is taken inside the engine's `run` only, for `--passes` passes over the
249 dev-set calls minus one pass (rule loading, first-use caches and the warm-up pass cancel
out; the PII cues are loaded before counting starts, as a one-time load inside the counted calls
was seen to land in one of the two runs only). With `--top`, the functions of the compiled engine that cost the most, inclusive, per call.
Needs `valgrind` and the compiled engine (`make`); under the pure-Python engine there is no
native `run` to count in.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOGGLE = "CPyDef__engine___run"  # the compiled engine's entry (mypyc's name for _engine.run)
LOOP = """
import json, sys
from pathlib import Path
from agentaudit.classifier import classify, default_rules
from agentaudit.classifier._pii_cues import default_cues
from agentaudit.classifier._speedups import engine_status
if not engine_status()[0]:
    sys.exit("the classifier runs as pure Python: build the compiled engine first (make)")
rows = [json.loads(x) for x in Path(sys.argv[1]).read_text("utf-8").splitlines() if x.strip()]
calls = [(r["agent_id"], r["action"], r.get("data"), r.get("context"), r.get("reasoning"))
         for r in rows]
default_rules()
default_cues()  # loaded once, here: never inside the counted passes
for _ in range(int(sys.argv[2])):
    for call in calls:
        classify(*call)
"""
_LINE = re.compile(r"\s*([\d,]+) \([^)]*\)\s+\S*?:?(CPyDef_\w+)")


def _count(dev: Path, passes: int, work: Path) -> tuple[int, dict[str, int]]:
    """(instructions inside `run`, inclusive instructions per compiled function)."""
    script = work / "loop.py"
    script.write_text(LOOP)
    out = work / f"callgrind.{passes}"
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", f"--toggle-collect={TOGGLE}",
         f"--callgrind-out-file={out}", sys.executable, str(script), str(dev), str(passes)],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(done.stderr[-2000:])
    report = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    funcs: dict[str, int] = {}
    for line in report.splitlines():
        m = _LINE.match(line)
        if m:
            funcs[m.group(2)] = funcs.get(m.group(2), 0) + int(m.group(1).replace(",", ""))
    return funcs.get(TOGGLE, 0), funcs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--top", type=int, default=0)
    ap.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "classifier_dev.jsonl")
    args = ap.parse_args()
    n = sum(1 for x in args.dev.read_text("utf-8").splitlines() if x.strip())
    with tempfile.TemporaryDirectory() as tmp:
        base, base_funcs = _count(args.dev, 1, Path(tmp))
        total, funcs = _count(args.dev, args.passes, Path(tmp))
    calls = (args.passes - 1) * n
    per_call = (total - base) / calls
    print(json.dumps({"calls": calls, "instructions_per_call": round(per_call)}))
    rows = sorted(((funcs[k] - base_funcs.get(k, 0)) / calls, k) for k in funcs)
    for cost, name in reversed(rows[-args.top :] if args.top else []):
        print(f"{cost:12,.0f} {100 * cost / per_call:5.1f} %  {name}")


if __name__ == "__main__":
    main()
