"""Story-page latency under 100 concurrent readers, over loopback, against `crosscheck serve`.

    .venv/bin/python bench/web.py                       # builds the demo database in a temp dir
    .venv/bin/python bench/web.py --db /tmp/demo.db     # reuses one built by `crosscheck demo --no-serve`
    .venv/bin/python bench/web.py --think 0              # only the closed-loop phase
    .venv/bin/python bench/web.py --signed-in            # also signed-in readers (no shared copy)

The server is the real one (`crosscheck serve`, one uvicorn process) in its own process.
Load tools:
- `wrk` (Debian package `wrk`; the default when installed): 100 connections, each asking for
  a random story page, through a Lua script that picks the page, waits the think time and
  prints the 95th percentile.
- `httpx` (fallback): an asyncio client in this process, one connection per reader. It costs
  more CPU than the server, so on a small machine it measures itself too.
Two timed phases by default: no think time (closed loop: each reader asks again the moment a
page arrived, the hardest reading of "100 concurrent readers"), then readers who spend an
exponentially distributed 1 s on average on a page (capped at 4 s, under uvicorn's 5 s
keep-alive; still an eager reader).
Every story page is requested once before timing starts (a first visit builds the cached part
of the page); those cold latencies are reported separately.

Prints request count, throughput, errors and the p50 / p95 / p99 / max latency in ms.
Target (issue 6): p95 < 50 ms for 100 concurrent readers on the demo data.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

WRK_SCRIPT = """
paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
math.randomseed(tonumber(os.getenv("BENCH_SEED")))
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
think_ms = tonumber(os.getenv("BENCH_THINK_MS"))
if think_ms > 0 then
  -- a reader reads for an exponentially distributed while before opening the next page, capped
  -- at 4 s: uvicorn closes keep-alive connections idle for 5 s, which wrk would count as errors
  delay = function() return math.min(4000, math.floor(-math.log(1 - math.random()) * think_ms)) end
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %.3f %.3f %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "crosscheck.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def build_demo(db: str) -> None:
    print(f"building the demo database at {db} …", flush=True)
    done = subprocess.run([*CLI, "demo", "--db", db, "--no-serve", "--quiet"], cwd=ROOT,
                          capture_output=True, text=True)
    print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "", flush=True)
    if done.returncode != 0:  # some inputs refused: still a demo database, say so and go on
        print(f"note: `crosscheck demo` reported errors (exit {done.returncode}); benchmarking what it stored")
    if not Path(db).exists():
        raise SystemExit(done.stderr)


def start_server(db: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "CROSSCHECK_SECRET_KEY": "bench", "CROSSCHECK_DB": db}
    if workers == 1:
        command = [*CLI, "serve", "--db", db, "--port", str(port)]
    else:  # the same app, in several uvicorn worker processes
        command = [sys.executable, "-m", "uvicorn", "crosscheck.serve.app:app_from_environment", "--factory",
                   "--workers", str(workers), "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not come up")


async def run_load(base: str, paths: list[str], readers: int, duration: float, think: float,
                   seed: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=readers, max_keepalive_connections=readers)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        stop = time.perf_counter() + duration

        async def reader(number: int) -> None:
            nonlocal errors
            rng = random.Random(seed * 1000 + number)
            if think:
                await asyncio.sleep(rng.uniform(0, think))  # readers arrive spread out, not in one burst
            while time.perf_counter() < stop:
                path = rng.choice(paths)
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok
                if think:
                    await asyncio.sleep(min(4.0, rng.expovariate(1 / think)))  # as in the wrk script

        began = time.perf_counter()
        await asyncio.gather(*(reader(i) for i in range(readers)))
        return latencies, errors, time.perf_counter() - began


def run_wrk(base: str, paths: list[str], readers: int, duration: float, think: float, seed: int, tmp: str,
            cookie: str | None = None):
    """(requests, errors, seconds, p50, p95, p99, max) from wrk, latencies in ms."""
    script, listing = Path(tmp) / "stories.lua", Path(tmp) / "paths.txt"
    script.write_text(WRK_SCRIPT)
    listing.write_text("\n".join(paths) + "\n")
    threads = max(1, min(4, (os.cpu_count() or 2) // 2))
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{readers}", f"-d{duration:g}s", "--timeout", "10s",
                          *headers, "-s", str(script), base], capture_output=True, text=True, check=True,
                         env={**os.environ, "BENCH_PATHS": str(listing), "BENCH_SEED": str(seed),
                              "BENCH_THINK_MS": str(think * 1000)})
    line = next(l for l in out.stdout.splitlines() if l.startswith("WRK "))
    requests, errors, micros, *ms = line.split()[1:]
    return int(requests), int(errors), int(micros) / 1e6, *map(float, ms)


def signed_in_cookie(base: str, db: str) -> str:
    """A reader account made with `crosscheck user create`, signed in through the form."""
    import re

    password = "bench reader password"
    subprocess.run([*CLI, "user", "create", "benchreader", "--password-stdin", "--db", db], cwd=ROOT,
                   input=password + "\n", text=True, capture_output=True)  # may exist from an earlier run

    def session(response: httpx.Response) -> str:
        # The cookie is Secure; on plain-http loopback a browser keeps it, httpx's jar would not.
        found = [h.split(";", 1)[0] for h in response.headers.get_list("set-cookie") if h.startswith("cc_session=")]
        return found[-1] if found else ""

    form = httpx.get(f"{base}/signin")
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text).group(1)
    signed = httpx.post(f"{base}/signin", headers={"Cookie": session(form)},
                        data={"username": "benchreader", "password": password, "csrf": token})
    if signed.status_code != 303:
        raise SystemExit(f"could not sign in the bench reader: {signed.status_code}")
    return session(signed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing demo database (default: build one in a temp dir)")
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of timed load")
    parser.add_argument("--tool", choices=["wrk", "httpx"], default="wrk" if shutil.which("wrk") else "httpx")
    parser.add_argument("--think", type=float, nargs="+", default=[0.0, 1.0],
                        help="mean seconds a reader spends on a page before the next; one timed "
                             "phase per value (default: 0 = closed loop, then 1 s)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--signed-in", action="store_true",
                        help="also time readers signed in to one account (pages rendered every time)")
    parser.add_argument("--workers", type=int, default=1,
                        help="1: `crosscheck serve`; more: uvicorn --workers N on the same app")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "demo.db")
        if not args.db:
            build_demo(db)
        load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
        port = free_port()
        server = start_server(db, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            stories = httpx.get(f"{base}/api/stories", params={"limit": 200}).json()
            paths = [f"/stories/{s['id']}" for s in stories]
            cold = []
            with httpx.Client(base_url=base) as client:
                for path in paths:
                    started = time.perf_counter()
                    client.get(path).raise_for_status()
                    cold.append((time.perf_counter() - started) * 1000)
            results = []
            for think in args.think:
                if args.tool == "wrk":
                    requests, errors, elapsed, *ms = run_wrk(
                        base, paths, args.readers, args.duration, think, args.seed, tmp)
                else:
                    latencies, errors, elapsed = asyncio.run(
                        run_load(base, paths, args.readers, args.duration, think, args.seed))
                    requests, ms = len(latencies), [percentile(latencies, q) for q in (50, 95, 99, 100)]
                results.append(("anonymous", think, requests, errors, elapsed, *ms))
            if args.signed_in:  # every page rendered afresh: the path the micro-cache does not cover
                if args.tool != "wrk":
                    raise SystemExit("--signed-in needs --tool wrk")
                cookie = signed_in_cookie(base, db)
                for think in args.think:
                    requests, errors, elapsed, *ms = run_wrk(
                        base, paths, args.readers, args.duration, think, args.seed, tmp, cookie)
                    results.append(("signed-in", think, requests, errors, elapsed, *ms))
        finally:
            server.terminate()
            server.wait(timeout=10)

    server_kind = "one `crosscheck serve` process" if args.workers == 1 else f"{args.workers} uvicorn workers"
    print(f"story pages: {len(paths)} stories, first visit (cold) median {statistics.median(cold):.1f} ms, "
          f"max {max(cold):.1f} ms")
    print(f"server: {server_kind}, loopback, {os.cpu_count()} CPUs, load average before the run "
          f"{load_before}")
    for who, think, requests, errors, elapsed, p50, p95, p99, worst in results:
        pause = f"think time {think:g} s mean" if think else "no think time (closed loop)"
        print(f"{args.tool}, {args.readers} concurrent {who} readers, {pause}, {args.duration:g} s: "
              f"{requests} requests, {errors} errors, {requests / elapsed:.0f} req/s")
        print(f"  latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {worst:.1f}  "
              f"-> story page p95 {p95:.1f} ms ({'meets' if p95 < 50 else 'misses'} the 50 ms target)")


if __name__ == "__main__":
    main()
