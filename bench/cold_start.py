"""Cold start of `zhibu serve`: seconds from process start to the first GraphQL answer, and RSS.

    .venv/bin/python bench/cold_start.py [--runs 3]

Migrates a throwaway SQLite database, then starts `zhibu serve` (production mode, a random secret)
``--runs`` times and reports, per run, the time until ``/health`` answers, the time until a
``{ __typename }`` query answers, and the server's resident memory after that first answer.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(env: dict[str, str]) -> tuple[float, float, float]:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "core.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        health = answer = None
        while answer is None:
            if server.poll() is not None:
                raise RuntimeError("zhibu serve exited")
            try:
                if health is None:
                    httpx.get(f"{url}/health", timeout=1).raise_for_status()
                    health = time.perf_counter() - started
                response = httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}, timeout=5)
                response.raise_for_status()
                answer = time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.02)
        return health, answer, rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="zhibu-cold-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_")}
    env.update(ZHIBU_DB_URL=f"sqlite://{folder / 'db.sqlite3'}", ZHIBU_SECRET_KEY=secrets.token_urlsafe(48))
    subprocess.run(
        [sys.executable, "-m", "core.cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    runs = [one_run(env) for _ in range(args.runs)]
    print("run  health_s  first_answer_s  rss_mb")
    for index, (health, answer, rss) in enumerate(runs, 1):
        print(f"{index:>3}  {health:8.2f}  {answer:14.2f}  {rss:6.0f}")
    print(f"median first answer: {statistics.median(r[1] for r in runs):.2f} s (goal ≤ 2 s)")


if __name__ == "__main__":
    main()
