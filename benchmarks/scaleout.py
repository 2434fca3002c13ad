"""Scale-out on PostgreSQL: P server processes × C clients each × E events on one database.

Starts P separate `agentaudit serve --database-url …` processes on a fresh database, then
1. single-event POST /v1/events (each with an Idempotency-Key) from P × C keep-alive clients,
   each pinned to one process: events/s and request latency p50/p99;
2. POST /v1/events/batch of --batch events from 2 clients per process: events/s;
and checks: the stored count equals the acknowledged count, seq is exactly 1..N, GET /v1/verify
and `agentaudit db verify` pass. Events are the labelled tool calls of classifier_dev.jsonl.

    .venv/bin/python benchmarks/scaleout.py [--processes 4] [--clients 16] [--events 5000] \
        [--batch 1000] [--batches 20] [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe, load_calls  # noqa: E402

from tests.support.live_server import LiveServer  # noqa: E402


class Conn:
    """One keep-alive HTTP/1.1 connection (a light client, so the figures are the server's)."""

    def __init__(self, port: int, key: str) -> None:
        self.port, self.key = port, key

    async def open(self) -> Conn:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def post(self, path: str, body: bytes, idem: str) -> tuple[int, bytes]:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.key}\r\n"
            f"Idempotency-Key: {idem}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


async def singles(
    servers: list[LiveServer], clients: int, events: int, payloads: list[bytes], tag: str = "s"
) -> tuple[list[str], list[float], float]:
    ids: list[str] = []
    latencies: list[float] = []

    async def client(n: int) -> None:
        server = servers[n % len(servers)]
        conn = await Conn(server.port, server.api_key).open()
        for i in range(events):
            t = time.perf_counter()
            status, body = await conn.post(
                "/v1/events", payloads[(n + i) % len(payloads)], f"{tag}{n}-{i}"
            )
            latencies.append(time.perf_counter() - t)
            assert status == 201, body[:300]
            ids.append(json.loads(body)["id"])
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients * len(servers))))
    return ids, latencies, time.perf_counter() - start


async def batches(
    servers: list[LiveServer], calls: list[dict], size: int, count: int
) -> tuple[list[str], float]:
    ids: list[str] = []
    body = json.dumps({"events": [calls[i % len(calls)] for i in range(size)]}).encode()

    async def client(n: int) -> None:
        server = servers[n % len(servers)]
        conn = await Conn(server.port, server.api_key).open()
        for b in range(count):
            status, out = await conn.post("/v1/events/batch", body, f"b{n}-{b}")
            assert status == 201, out[:300]
            ids.extend(e["id"] for e in json.loads(out)["events"])
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(2 * len(servers))))
    return ids, time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16, help="per process")
    parser.add_argument("--events", type=int, default=5000, help="per client (single POSTs)")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=10, help="per batching client")
    parser.add_argument(
        "--admin-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="where to create (and afterwards drop) the benchmark database",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    print(describe())
    name = f"aa_scaleout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(args.admin_url)._replace(path="/" + name))
    calls = load_calls()
    payloads = [json.dumps(c).encode() for c in calls]
    servers = [LiveServer(database_url=url) for _ in range(args.processes)]
    ok = False
    try:
        for s in servers:
            s.start(timeout=60)
        asyncio.run(singles(servers[:1], 1, 200, payloads, "warm"))  # warm-up (counted below)
        ids, lat, secs = asyncio.run(singles(servers, args.clients, args.events, payloads))
        ms = [x * 1000 for x in lat]
        print(
            f"{args.processes} processes x {args.clients} clients x {args.events} single POSTs:"
            f" {len(ids) / secs:,.0f} events/s ({len(ids):,} in {secs:.1f} s),"
            f" latency p50 {statistics.median(ms):.1f} ms, p99 {pct(ms, 99):.1f} ms"
        )
        bids, bsecs = asyncio.run(batches(servers, calls, args.batch, args.batches))
        print(
            f"batch POST of {args.batch} ({2 * args.processes} clients):"
            f" {len(bids) / bsecs:,.0f} events/s ({len(bids):,} in {bsecs:.1f} s)"
        )
        expected = 200 + len(ids) + len(bids)
        headers = {"Authorization": f"Bearer {servers[0].api_key}"}
        total = httpx.get(f"{servers[0].url}/v1/events/stats", headers=headers, timeout=60).json()[
            "total_events"
        ]
        t = time.perf_counter()
        verify = httpx.get(f"{servers[-1].url}/v1/verify", headers=headers, timeout=600).json()
        vsecs = time.perf_counter() - t
    finally:
        for s in servers:
            s.stop()
    with psycopg.connect(url) as conn:
        n, distinct, lo, hi = conn.execute(
            "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM events"
        ).fetchone()
    cli = subprocess.run(
        [str(Path(sys.executable).with_name("agentaudit")), "db", "verify", "--database-url", url],
        capture_output=True,
        text=True,
    )
    gap_free = n == distinct == hi == expected and lo == 1
    ok = total == expected and gap_free and verify["ok"] and cli.returncode == 0
    print(
        f"stored {total:,} of {expected:,} acknowledged; seq 1..{hi} gap-free: {gap_free};"
        f" GET /v1/verify: {'OK' if verify['ok'] else 'BROKEN'} ({verify['checked']:,} in"
        f" {vsecs:.1f} s); agentaudit db verify: {cli.stdout.strip() or cli.stderr.strip()}"
    )
    print("RESULT:", "OK" if ok else "FAILED")
    if not args.keep:
        with psycopg.connect(args.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
