"""Serving an agency-sized tenant: ``zhibu serve`` against a bare strawberry server, same data.

    .venv/bin/python bench/agency_bench.py [--branches 2000] [--members 60000] [--rounds 3]
        [--workers 1] [--clients 8] [--cold-starts 3]

Builds the tenant of issue #10 into a throwaway PostgreSQL database on ``ZHIBU_BENCH_PG_URL``
(default ``postgres://postgres@127.0.0.1:5432/test``) with ``COPY`` (the builder of
``bench/scoring.py``: 2,000 branches → ~2,040 organizations, 60,000 members, ~64,000 activities,
~1.9 M attendance rows; ``--branches``/``--members`` make a quick smaller run), migrated as the
owner with row-level security, then serves it twice:

- **zhibu**: ``zhibu serve --workers N`` (production mode, the application's role without
  ``BYPASSRLS``): bearer token of a tenant administrator, tenant binding, Casbin grants, masking,
  the request log — the full stack;
- **bare**: ``bench/bare_strawberry.py`` under uvicorn with as many workers: strawberry + asyncpg +
  DataLoaders, no auth, over the same tables.

Both get the same two documents (checked to answer the same JSON first):

- ``page``: 100 branches × 30 members + their 10 newest activities each (1,000) with attendance
  counts (``stats``): ~4,100 objects;
- ``small``: one organization and 10 members.

Each of ``--rounds`` rounds, interleaved (query by query, server by server), times sequential
requests (p50, and the server's own CPU time per request — steadier than wall time on a shared
machine) and ``--clients`` concurrent clients (req/s, and where the machine's cores went meanwhile:
the server, PostgreSQL, this load generator, anything else, idle — on a small machine the three
share the cores, so req/s with N workers is bounded by what PostgreSQL and the clients take).
Prints the per-round figures, the median over rounds and the ratios zhibu/bare, then
``zhibu serve``'s cold start to its first answer and its RSS (``bench/cold_start.py``'s driver,
on this database). Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

APP_ROLE = "zhibu_bench_app"
PASSWORD = "Bench-agency-2026!"
LOGIN = "mutation($input: LoginInput!) { login(input: $input) { errors { code } accessToken } }"
PAGE = """query Page {
  organizations(first: 100, filter: {kinds: ["BRANCH"]}) {
    nodes {
      id name path
      members(first: 30) { id name status phone }
      activities(first: 10) { id kind heldOn topic stats { expected present leave absent attendanceRate } }
    }
  }
}"""
SMALL = """query Small($id: ID!) {
  organization(id: $id) { id kind name path depth members(first: 10) { id name status phone } }
}"""


def _as_role(url: str, role: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.rsplit('@', 1)[-1]}"


async def build_database(admin_url: str, branches: int, members: int) -> dict[str, Any]:
    """A fresh database with the tenant in it; returns its URLs, tenant and counts."""
    import asyncpg
    from scoring import build, ensure_app_role

    from core.db import close_db, init_db, migrate_db
    from core.services.tenants import create_tenant
    from core.tenancy import platform_scope, tenant_scope

    name = f"zhibu_agency_{uuid.uuid4().hex[:8]}"
    pg = admin_url.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(pg)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        await ensure_app_role(conn, APP_ROLE)
    finally:
        await conn.close()
    owner_url = admin_url.rsplit("/", 1)[0] + "/" + name
    await migrate_db(owner_url, app_role=APP_ROLE)
    await init_db(owner_url)
    try:
        slug = f"agency-{uuid.uuid4().hex[:6]}"
        with platform_scope():
            tenant = await create_tenant(slug=slug, name="县委组织部")
        with tenant_scope(tenant.id):
            started = time.perf_counter()
            counts = await build(tenant.id, branches, members, postgres=True)
            built = time.perf_counter() - started
        from tortoise import connections

        await connections.get("default").execute_script("ANALYZE")
    finally:
        await close_db()
    return {
        "name": name,
        "owner_url": owner_url,
        "app_url": _as_role(owner_url, APP_ROLE),
        "tenant_id": tenant.id,
        "slug": slug,
        "counts": counts,
        "built_s": built,
    }


async def drop_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def start(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{command[:4]} exited; see {log}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.05)
    server.terminate()
    raise RuntimeError(f"no answer within 120 s; see {log}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (uvicorn's worker processes)."""
    total = 0
    for p in _pids(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(p) for p in children.read_text().split())] if children.exists() else [pid]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its worker processes."""
    total = 0
    for p in _pids(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _postgres_seconds() -> float:
    """CPU time used so far by every PostgreSQL server process of this machine."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended
            continue
        name, rest = text.split("(", 1)[1].rsplit(")", 1)
        if name.startswith("postgres"):
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (all cores, /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CoreUse:
    """Where the machine's cores went while a load ran: the server's processes, PostgreSQL, this
    load generator, anything else — in cores (CPU seconds per wall second)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.start = (
            time.perf_counter(),
            cpu_seconds(pid),
            _postgres_seconds(),
            _own_seconds(),
            _busy_seconds(),
        )

    def stop(self) -> dict[str, float]:
        end = (
            time.perf_counter(),
            cpu_seconds(self.pid),
            _postgres_seconds(),
            _own_seconds(),
            _busy_seconds(),
        )
        wall, server, pg, own, busy = (b - a for a, b in zip(self.start, end, strict=True))
        return {
            "server": server / wall,
            "postgres": pg / wall,
            "client": own / wall,
            "other": max(0.0, (busy - server - pg - own) / wall),
            "idle": max(0.0, (os.cpu_count() or 1) - busy / wall),
        }


class Target:
    def __init__(self, name: str, url: str, headers: dict[str, str], pid: int) -> None:
        self.name, self.url, self.headers, self.pid = name, url, headers, pid

    def body(self, query: str, variables: dict[str, Any]) -> bytes:
        return json.dumps({"query": query, "variables": variables}).encode()


async def post(client: httpx.AsyncClient, target: Target, body: bytes) -> dict[str, Any]:
    response = await client.post(
        f"{target.url}/graphql", content=body, headers={**target.headers, "content-type": "application/json"}
    )
    payload = response.json()
    if response.status_code != 200 or payload.get("errors"):
        raise RuntimeError(f"{target.name}: {response.status_code} {str(payload)[:300]}")
    return payload


async def sequential(target: Target, body: bytes, requests: int) -> tuple[float, float]:
    """(p50 in ms, server CPU ms per request) of ``requests`` sequential requests (after one
    warm-up). The CPU figure counts only the server's processes, so it holds on a busy machine."""
    async with httpx.AsyncClient(timeout=120) as client:
        await post(client, target, body)
        timings = []
        cpu = cpu_seconds(target.pid)
        for _ in range(requests):
            started = time.perf_counter()
            await post(client, target, body)
            timings.append((time.perf_counter() - started) * 1000)
        cpu = cpu_seconds(target.pid) - cpu
    return statistics.median(timings), cpu / requests * 1000


async def concurrent(
    target: Target, body: bytes, clients: int, requests: int
) -> tuple[float, dict[str, float]]:
    """req/s of ``requests`` requests sent by ``clients`` concurrent clients, and where the
    machine's cores went meanwhile (:class:`CoreUse`)."""
    remaining = [requests]

    async def one() -> None:
        async with httpx.AsyncClient(timeout=120) as client:
            while remaining[0] > 0:
                remaining[0] -= 1
                await post(client, target, body)

    async with httpx.AsyncClient(timeout=120) as client:  # every worker warm
        await asyncio.gather(*(post(client, target, body) for _ in range(clients)))
    started = time.perf_counter()
    cores = CoreUse(target.pid)
    await asyncio.gather(*(one() for _ in range(clients)))
    return requests / (time.perf_counter() - started), cores.stop()


async def drive(targets: list[Target], args: argparse.Namespace, small_id: str) -> dict[tuple, list[float]]:
    queries = {"page": (PAGE, {}), "small": (SMALL, {"id": small_id})}
    async with httpx.AsyncClient(timeout=120) as client:
        answers = {
            (t.name, q): (await post(client, t, t.body(*queries[q])))["data"]
            for t in targets
            for q in queries
        }
    for q in queries:
        same = answers[(targets[0].name, q)] == answers[(targets[1].name, q)]
        print(f"same answer from both servers for {q}: {'yes' if same else 'NO'}")
    objects = _count_objects(answers[(targets[0].name, "page")])
    print(f"page answers {objects} objects")

    figures: dict[tuple, list[float]] = {}
    print(
        f"\n{'round':>5} {'query':<6} {'server':<6} {'p50 ms':>9} {'cpu ms/req':>10} "
        f"{f'req/s ({args.clients} cl.)':>16}"
    )
    for index in range(1, args.rounds + 1):
        for q, (query, variables) in queries.items():
            seq, load = (
                (args.page_requests, args.page_load)
                if q == "page"
                else (args.small_requests, args.small_load)
            )
            for target in targets if index % 2 else targets[::-1]:
                body = target.body(query, variables)
                p50, cpu = await sequential(target, body, seq)
                rps, cores = await concurrent(target, body, args.clients, load)
                figures.setdefault((q, target.name, "p50"), []).append(p50)
                figures.setdefault((q, target.name, "cpu"), []).append(cpu)
                figures.setdefault((q, target.name, "rps"), []).append(rps)
                for part, used in cores.items():
                    figures.setdefault((q, target.name, part), []).append(used)
                split = " ".join(f"{part} {used:.2f}" for part, used in cores.items())
                print(
                    f"{index:>5} {q:<6} {target.name:<6} {p50:9.1f} {cpu:10.1f} {rps:16.1f}   cores: {split}"
                )
    return figures


def _count_objects(value: Any) -> int:
    if isinstance(value, list):
        return sum(_count_objects(v) for v in value)
    if isinstance(value, dict):
        return (1 if "id" in value else 0) + sum(_count_objects(v) for v in value.values())
    return 0


_CORE_PARTS = ("server", "postgres", "client", "other", "idle")


def report(figures: dict[tuple, list[float]], workers: int) -> None:
    print(f"\nmedians of the rounds ({workers} worker(s) each)")
    print(
        f"{'query':<6} {'zhibu p50':>10} {'bare p50':>9} {'ratio':>7} "
        f"{'zhibu r/s':>10} {'bare r/s':>9} {'ratio':>7}"
    )
    for q in ("page", "small"):
        zc, bc = (statistics.median(figures[(q, n, "cpu")]) for n in ("zhibu", "bare"))
        print(f"{q:<6} server CPU per request: zhibu {zc:.1f} ms, bare {bc:.1f} ms, ratio {zc / bc:.2f}×")
    for q, goal in (("page", 1.0), ("small", 1.5)):
        zp, bp = (statistics.median(figures[(q, n, "p50")]) for n in ("zhibu", "bare"))
        zr, br = (statistics.median(figures[(q, n, "rps")]) for n in ("zhibu", "bare"))
        print(
            f"{q:<6} {zp:8.1f}ms {bp:7.1f}ms {zp / bp:6.2f}× "
            f"{zr:10.1f} {br:9.1f} {zr / br:6.2f}×  (p50 goal ≤ {goal}×)"
        )
    zp = statistics.median(figures[("page", "zhibu", "p50")]) / 1000
    zr = statistics.median(figures[("page", "zhibu", "rps")])
    cores = os.cpu_count() or 1
    print(f"page req/s {zr:.1f} vs 0.9 × cores / p50 = {0.9 * min(cores, workers) / zp:.1f} "
          f"({cores} cores, {workers} worker(s))")  # fmt: skip
    used = {part: statistics.median(figures[("page", "zhibu", part)]) for part in _CORE_PARTS}
    print(
        "cores during zhibu's page load: " + ", ".join(f"{part} {value:.2f}" for part, value in used.items())
    )
    if used["server"]:
        own = min(cores, workers)
        per_core = zr / used["server"]
        print(
            f"zhibu's page req/s per core it used: {per_core:.1f}; with {own} core(s) of its own "
            f"(PostgreSQL and the clients elsewhere): {per_core * own:.1f} req/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--branches", type=int, default=2000)
    parser.add_argument("--members", type=int, default=60000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="worker processes of each server")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--page-requests", type=int, default=10, help="sequential page requests per p50")
    parser.add_argument("--page-load", type=int, default=24, help="page requests under concurrent load")
    parser.add_argument("--small-requests", type=int, default=100)
    parser.add_argument("--small-load", type=int, default=400)
    parser.add_argument("--cold-starts", type=int, default=3, help="0: skip the cold start")
    args = parser.parse_args()

    from core.settings import get_settings

    admin = get_settings().bench_pg_url
    db = asyncio.run(build_database(admin, args.branches, args.members))
    c = db["counts"]
    print(f"built {c['organizations']} organizations ({c['branches']} branches), {c['members']} members, "
          f"{c['activities']} activities, {c['attendance']} attendance rows "
          f"in {db['built_s']:.1f} s (COPY)")  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="zhibu-agency-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_")}
    env.update(
        ZHIBU_DB_URL=db["app_url"],
        ZHIBU_SECRET_KEY=secrets.token_urlsafe(48),
        ZHIBU_LOG_LEVEL="warning",
    )
    servers: list[subprocess.Popen] = []
    try:
        owner_env = {**env, "ZHIBU_DB_URL": db["owner_url"]}
        subprocess.run(
            [sys.executable, "-m", "core.cli", "access", "create-user", "--tenant", db["slug"],
             "--username", "admin", "--password", PASSWORD, "--role", "TENANT_ADMIN"],
            cwd=ROOT, env=owner_env, check=True, capture_output=True,
        )  # fmt: skip
        zport, bport = _free_port(), _free_port()
        zhibu = start(
            [sys.executable, "-m", "core.cli", "serve", "--port", str(zport), "--workers", str(args.workers)],
            env, zport, folder / "zhibu.log",
        )  # fmt: skip
        servers.append(zhibu)
        bare_env = {**env, "BARE_DB_URL": db["owner_url"].replace("postgres://", "postgresql://", 1),
                    "BARE_TENANT_ID": str(db["tenant_id"])}  # fmt: skip
        bare = start(
            [sys.executable, "-m", "uvicorn", "--app-dir", "bench", "bare_strawberry:create_app",
             "--factory", "--port", str(bport), "--workers", str(args.workers), "--no-access-log",
             "--log-level", "warning"],
            bare_env, bport, folder / "bare.log",
        )  # fmt: skip
        servers.append(bare)
        login = {"tenant": db["slug"], "username": "admin", "password": PASSWORD}
        answer = httpx.post(
            f"http://127.0.0.1:{zport}/graphql",
            json={"query": LOGIN, "variables": {"input": login}},
            timeout=60,
        ).json()
        token = answer["data"]["login"]["accessToken"]
        small_id = _small_organization(db)
        targets = [
            Target("zhibu", f"http://127.0.0.1:{zport}", {"authorization": f"Bearer {token}"}, zhibu.pid),
            Target("bare", f"http://127.0.0.1:{bport}", {}, bare.pid),
        ]
        figures = asyncio.run(drive(targets, args, small_id))
        report(figures, args.workers)
        print(f"RSS after the rounds: zhibu {rss_mb(zhibu.pid):.0f} MB, bare {rss_mb(bare.pid):.0f} MB")
        for server in servers:
            stop(server)
        servers.clear()
        if args.cold_starts:
            from cold_start import one_run

            runs = [one_run(env) for _ in range(args.cold_starts)]
            print("\ncold start of zhibu serve on this database (s to /health, s to first answer, RSS MB)")
            for index, (health, first, rss) in enumerate(runs, 1):
                print(f"  run {index}: {health:.2f} s, {first:.2f} s, {rss:.0f} MB")
            print(f"  median first answer {statistics.median(r[1] for r in runs):.2f} s (goal ≤ 2 s)")
    finally:
        for server in servers:
            stop(server)
        asyncio.run(drop_database(admin, db["name"]))


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _small_organization(db: dict[str, Any]) -> str:
    """The global ID of the first branch (by path) with at least 10 members."""
    import base64

    async def find() -> int:
        import asyncpg

        conn = await asyncpg.connect(db["owner_url"].replace("postgres://", "postgresql://", 1))
        try:
            return await conn.fetchval(
                "SELECT o.id FROM organization o WHERE o.tenant_id = $1 AND o.kind = 'BRANCH' AND "
                "(SELECT COUNT(*) FROM member m WHERE m.branch_id = o.id) >= 10 ORDER BY o.path LIMIT 1",
                db["tenant_id"],
            )
        finally:
            await conn.close()

    return base64.b64encode(f"Organization:{asyncio.run(find())}".encode()).decode()


if __name__ == "__main__":
    main()
