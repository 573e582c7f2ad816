"""Benchmark: latency of the events list of `khabar serve` (#6) under concurrent load.

Builds a database of 10,000 synthetic events through the store API (`Store.save_resolution`:
random days over a year, 18 types, 40 places in 8 countries, 60 actors, tolls), starts
`khabar serve` on it in a subprocess on a free loopback port, then runs a bounded loop of
concurrent GET requests to /api/events with a mix of filters, orders and page offsets (the first
page, one type, a month, an actor, a country, the deadliest, a deep page) and prints p50 / p95 /
p99 latency, throughput and the error count (any status but 200, or a failed connection). The
target is p95 under 100 ms with no errors; the exit status is 1 when it is missed.

The client runs in this process (asyncio + httpx) and the server in another, so on a 2-core
machine each has a core; latency is measured at the client and includes queueing.

Run: python bench/web_load.py [--events 10000] [--requests 3000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from khabar.models import PLOVER_TYPES, Corroboration, DateRef, Event, EventLocation, Resolution, Toll
from khabar.store.repository import Store

TARGET_P95_MS = 100.0
COUNTRIES = ("AF", "PK", "IR", "IN", "SY", "SD", "UA", "YE")
FIRST_DAY = date(2025, 1, 1)


def synthetic_events(count: int, *, seed: int = 6) -> list[Event]:
    """`count` events spread over a year, places, actors and types, reproducibly."""
    rng = random.Random(seed)
    places = [
        (f"place-{i}", COUNTRIES[i % len(COUNTRIES)], rng.uniform(10, 45), rng.uniform(30, 80))
        for i in range(40)
    ]
    actors = [f"actor-{i}" for i in range(60)]
    events = []
    for n in range(count):
        day = FIRST_DAY + timedelta(days=rng.randrange(365))
        place, country, lat, lon = rng.choice(places)
        killed = rng.choice([None, None, rng.randrange(1, 60)])
        articles = [f"article-{rng.randrange(5000)}" for _ in range(rng.randrange(1, 4))]
        events.append(
            Event(
                id=f"ev-{n:05d}",
                type=rng.choice(PLOVER_TYPES),
                title=f"Synthetic event {n} near {place}",
                date=DateRef(text=day.isoformat(), start=day, end=day, precision="day"),
                status=rng.choice(["reported", "confirmed", "claimed", "disputed"]),
                mentions=[f"m-{n}"],
                articles=articles,
                corroboration=Corroboration(articles=len(articles), outlets=len(articles)),
                location=EventLocation(name=place, place=place, country=country, lat=lat, lon=lon),
                actors=rng.sample(actors, 1),
                recipients=rng.sample(actors, rng.randrange(0, 2)),
                killed=Toll(killed, killed, killed) if killed else None,
            )
        )
    return events


def requests(count: int, *, seed: int = 7) -> list[str]:
    """A mix of events-list requests, the common ones more often."""
    rng = random.Random(seed)
    kinds = [
        lambda: "/api/events",
        lambda: f"/api/events?type={rng.choice(PLOVER_TYPES)}",
        lambda: "/api/events?since=2025-{:02d}-01&until=2025-{:02d}-28".format(
            *sorted(rng.sample(range(1, 13), 2))
        ),
        lambda: f"/api/events?actor=actor-{rng.randrange(60)}&sort=-date",
        lambda: f"/api/events?country={rng.choice(COUNTRIES)}&min_corroboration=2",
        lambda: "/api/events?sort=-killed&limit=100",
        lambda: f"/api/events?offset={rng.randrange(0, 9950)}",
    ]
    return [rng.choice(kinds)() for _ in range(count)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(path: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "khabar", "serve", "--db", str(path), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"khabar serve stopped: {server.stderr.read() if server.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/events?limit=1", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("khabar serve did not answer within 60 s")


async def _load(base: str, urls: list[str], concurrency: int) -> tuple[list[float], int]:
    """Each of `concurrency` workers takes the next URL until none is left."""
    latencies: list[float] = []
    errors = 0
    queue = iter(urls)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for url in queue:
            started = time.perf_counter()
            try:
                response = await client.get(url)
                failed = response.status_code != 200
            except httpx.HTTPError:
                failed = True
            latencies.append((time.perf_counter() - started) * 1000)
            errors += failed

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="khabar-web-load-") as folder:
        path = Path(folder) / "load.db"
        started = time.perf_counter()
        with Store.open(path) as store:
            store.save_resolution(Resolution(events=synthetic_events(args.events)))
            stored = store.find_events(limit=1).total
        print(f"database: {stored} events, built in {time.perf_counter() - started:.1f} s")
        port = _free_port()
        server = _serve(path, port)
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(_load(base, requests(100, seed=1), args.concurrency))  # warm-up, not counted
            started = time.perf_counter()
            latencies, errors = asyncio.run(_load(base, requests(args.requests), args.concurrency))
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=10)
    cuts = statistics.quantiles(latencies, n=100)
    p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    print(
        f"GET /api/events x {len(latencies)}, {args.concurrency} concurrent: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms; "
        f"{len(latencies) / elapsed:.0f} requests/s; {errors} errors"
    )
    met = p95 < TARGET_P95_MS and errors == 0
    print(f"target p95 < {TARGET_P95_MS:.0f} ms with no errors: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
