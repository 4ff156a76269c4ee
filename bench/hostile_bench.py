"""A small query's latency while hostile documents are in flight, next to its latency alone.

    .venv/bin/python bench/hostile_bench.py [--requests 200] [--clients 4]

Migrates a throwaway SQLite database, creates a tenant and its administrator through the CLI, and
starts one uvicorn worker of ``zhibu serve``'s app (``core.commands.serve:production_app``:
production mode, a random 48-character secret). Signed in as the administrator, it times
``--requests`` sequential ``{ tenant { name } }`` queries alone, then again while ``--clients``
concurrent clients (another process) keep sending one kind of hostile document in a loop, and once
more with all kinds mixed:

- ``body_1mb``: a 1 MB document ``{ tenant { name name … } }``;
- ``directives``: 50,000 directives;
- ``deep``: fields nested 5,000 deep;
- ``aliases``: 10,000 aliases;
- ``introspection``: the full introspection query, anonymous;
- ``benign`` (the control): ``{ __typename }`` from as many clients, as fast — what the same load
  costs without any hostility.

Prints p50/p95 per scenario with the ratio to "alone" (goal: p50 within 2×), and the HTTP status
and error code each hostile kind got. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import multiprocessing as mp
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
SMALL = "{ tenant { name } }"
PASSWORD = "Bench-hostile-2026!"
LOGIN = """mutation($input: LoginInput!) { login(input: $input) { errors { code } accessToken } }"""


def hostile_documents() -> dict[str, str]:
    from graphql import get_introspection_query

    head, tail = "{ tenant { ", " } }"
    fill = (1_000_000 - len(head) - len(tail)) // len("name ")
    return {
        # the control: as many clients sending a trivial document as fast (the load alone, no hostility)
        "benign": "{ __typename }",
        "body_1mb": head + "name " * fill + tail,
        "directives": head + "name" + " @a" * 50_000 + tail,
        "deep": "{ " + "a { " * 5_000 + "b" + " }" * 5_000 + " }",
        "aliases": head + " ".join(f"{_alias(i)}: name" for i in range(10_000)) + tail,
        "introspection": get_introspection_query(),
    }


def _alias(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    name = ""
    while True:
        name = letters[i % 26] + name
        i //= 26
        if not i:
            return name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zhibu(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "core.cli", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "uvicorn", "core.commands.serve:production_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited; see {log}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.05)
    server.terminate()
    raise RuntimeError("the server did not answer within 60 s")


def outcome(response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        return f"{response.status_code} text/plain {response.text[:24]!r}"
    codes = sorted({str((e.get("extensions") or {}).get("code")) for e in errors})
    return f"{response.status_code} {','.join(codes) or 'no errors'}"


def hostile_load(url: str, kinds: list[str], clients: int, stop: mp.Event, results: mp.Queue) -> None:
    """Runs in its own process: ``clients`` concurrent loops sending the ``kinds`` round-robin."""
    documents = hostile_documents()
    bodies = {kind: json.dumps({"query": documents[kind]}).encode() for kind in kinds}
    seen: dict[str, collections.Counter] = {kind: collections.Counter() for kind in kinds}

    async def loop(index: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            n = index
            while not stop.is_set():
                kind = kinds[n % len(kinds)]
                n += 1
                try:
                    response = await client.post(
                        "/graphql", content=bodies[kind], headers={"content-type": "application/json"}
                    )
                    seen[kind][outcome(response)] += 1
                except httpx.HTTPError as error:
                    seen[kind][f"connection: {type(error).__name__}"] += 1

    async def main() -> None:
        await asyncio.gather(*(loop(i) for i in range(clients)))

    asyncio.run(main())
    results.put({kind: dict(counter) for kind, counter in seen.items()})


def time_small(client: httpx.Client, headers: dict[str, str], requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.post("/graphql", json={"query": SMALL}, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"the small query failed: {response.status_code} {body}")
    return timings


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="small queries per scenario")
    parser.add_argument("--clients", type=int, default=4, help="concurrent hostile clients")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="zhibu-hostile-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_")}
    env.update(ZHIBU_DB_URL=f"sqlite://{folder / 'db.sqlite3'}", ZHIBU_SECRET_KEY=secrets.token_urlsafe(36))
    zhibu(env, "migrate")
    zhibu(env, "tenant", "create", "--slug", "bench", "--name", "基准单位")
    zhibu(env, "access", "create-user", "--tenant", "bench", "--username", "admin", "--password", PASSWORD,
          "--role", "TENANT_ADMIN")  # fmt: skip

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(env, port, folder / "server.log")
    rows: list[tuple[str, list[float]]] = []
    outcomes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            login = {"tenant": "bench", "username": "admin", "password": PASSWORD}
            payload = client.post("/graphql", json={"query": LOGIN, "variables": {"input": login}})
            token = payload.json()["data"]["login"]["accessToken"]
            headers = {"authorization": f"Bearer {token}"}
            time_small(client, headers, 20)  # warm-up
            rows.append(("alone", time_small(client, headers, args.requests)))
            kinds = list(hostile_documents())
            context = mp.get_context("spawn")
            hostile = [kind for kind in kinds if kind != "benign"]
            for scenario in [*kinds, "all kinds"]:
                chosen = hostile if scenario == "all kinds" else [scenario]
                stop, results = context.Event(), context.Queue()
                load = context.Process(target=hostile_load, args=(url, chosen, args.clients, stop, results))
                load.start()
                time.sleep(1.0)  # the hostile clients are in flight
                rows.append((f"+ {scenario}", time_small(client, headers, args.requests)))
                stop.set()
                for kind, counts in results.get(timeout=60).items():
                    outcomes[kind].update(counts)
                load.join(30)
    finally:
        server.terminate()
        server.wait(10)

    alone = statistics.median(rows[0][1])
    print(f"small query {SMALL!r}: {args.requests} sequential requests per scenario, "
          f"{args.clients} concurrent hostile clients, one uvicorn worker, SQLite")  # fmt: skip
    print(f"{'scenario':<18} {'p50 ms':>8} {'p95 ms':>8} {'p50 ratio':>10}")
    for name, timings in rows:
        p50 = statistics.median(timings)
        print(f"{name:<18} {p50:8.2f} {p(timings, 95):8.2f} {p50 / alone:9.2f}×")
    print("\nhostile kind       requests  answers (status code: count)")
    for kind, counts in outcomes.items():
        answers = ", ".join(f"{k}: {v}" for k, v in counts.most_common())
        print(f"{kind:<18} {sum(counts.values()):>8}  {answers}")
    worst = max(statistics.median(t) for name, t in rows[1:] if name != "+ benign")
    control = statistics.median(dict(rows)["+ benign"])
    print(f"\nworst hostile p50 ratio {worst / alone:.2f}× to alone (goal ≤ 2×), "
          f"{worst / control:.2f}× to the same load of benign requests")  # fmt: skip


if __name__ == "__main__":
    main()
