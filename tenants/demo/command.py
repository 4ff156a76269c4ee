"""``zhibu demo``: a SQLite database with the demo tenants, served on 127.0.0.1.

Callers authenticate as usual (``Authorization: Bearer …`` from ``login``). For trying the API
without logging in, a demo served on a loopback address also accepts ``X-Demo-Tenant: <slug>``
for the demo tenants (slugs starting with ``demo-``) and acts as that tenant's administrator. The
header is honoured only by ``zhibu demo`` on loopback, never by ``zhibu serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

DEMO_HEADER = "x-demo-tenant"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

EXAMPLE_QUERY = (
    "{ tenant { name } organizationRoots { name children { name kindLabel "
    "currentCommittee { seats { roleLabel member { name } } } "
    "members { name status } "
    'activities(kinds: ["THEMED_PARTY_DAY"]) { heldOn topic stats { expected present attendanceRate } } } } }'
)


def is_loopback_host(host_header: str) -> bool:
    """Whether a ``Host`` header names a loopback address (``localhost:8000``, ``[::1]:8000`` …)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return host in LOOPBACK


def demo_principal_resolver(fallback: Any) -> Any:
    """A resolver that honours ``X-Demo-Tenant`` for demo tenants and otherwise defers to ``fallback``.

    Only from a loopback peer that also names a loopback ``Host`` (a DNS-rebinding page or a local
    proxy forwarding a remote caller names another host), and never beside a bearer token: a
    request with ``Authorization`` is the token's, whatever the header says."""
    from core.principal import Principal
    from core.services.tenants import get_by_slug

    async def resolve(request: Any) -> Principal:
        slug = (request.headers.get(DEMO_HEADER) or "").strip()
        peer = request.client.host if request.client else ""
        if (
            slug.startswith("demo-")
            and not request.headers.get("authorization")
            and peer in LOOPBACK
            and is_loopback_host(request.headers.get("host") or "")
        ):
            tenant = await get_by_slug(slug)
            return Principal.tenant_admin(tenant.id, label=f"demo:{slug}")
        return await fallback(request)

    return resolve


def demo_database_url(args: argparse.Namespace) -> str:
    """``--db``, else ``ZHIBU_DB_URL``, else the SQLite file ``--database`` (the same order as every
    other command, with the demo's own file as the default)."""
    import os

    if args.db_url:
        return args.db_url
    if os.environ.get("ZHIBU_DB_URL"):
        return os.environ["ZHIBU_DB_URL"]
    db_path = Path(args.database).resolve()
    if db_path.exists() and args.fresh:
        db_path.unlink()
    return f"sqlite://{db_path}"


def demo(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from core.app import _default_resolver, create_app
    from core.db import close_db, init_db, migrate_db
    from tenants.demo.seed import seed_demo

    os.environ["ZHIBU_DEBUG"] = "1"  # development mode: the dev key, GraphiQL, the demo header
    db_url = demo_database_url(args)

    async def prepare() -> list[str]:
        await migrate_db(db_url)
        await init_db(db_url)
        try:
            return await seed_demo()
        finally:
            await close_db()

    lines = asyncio.run(prepare())
    url = f"http://{args.host}:{args.port}/graphql"
    loopback = args.host in LOOPBACK
    print("zhibu 演示环境 / demo")
    for line in lines:
        print("  " + line)
    print(f"GraphQL: {url}  (GraphiQL in the browser)")
    print("Example (as the administrator of demo-rural):")
    body = json.dumps({"query": EXAMPLE_QUERY}, ensure_ascii=False)
    print(f"  curl -s {url} -H 'content-type: application/json' -H '{DEMO_HEADER}: demo-rural' \\")
    print(f"    -d '{body}'")
    if not loopback:
        print(f"  ({DEMO_HEADER} is ignored on a non-loopback host: log in and send a bearer token)")
    if args.no_serve:
        return 0
    resolver = _default_resolver()
    if loopback:
        resolver = demo_principal_resolver(resolver)
    app = create_app(db_url=db_url, development=True, principal_resolver=resolver)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="seed the demo tenants into SQLite and serve them")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--database", default="zhibu-demo.sqlite3", help="SQLite file (without --db / ZHIBU_DB_URL)"
    )
    p.add_argument("--fresh", action="store_true", help="start from an empty SQLite file")
    p.add_argument("--no-serve", action="store_true", help="seed and print, do not serve")
    p.set_defaults(func=demo)
