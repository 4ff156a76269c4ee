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


def demo_principal_resolver(fallback: Any) -> Any:
    """A resolver that honours ``X-Demo-Tenant`` for demo tenants and otherwise defers to ``fallback``."""
    from core.principal import Principal
    from core.services.tenants import get_by_slug

    async def resolve(request: Any) -> Principal:
        slug = (request.headers.get(DEMO_HEADER) or "").strip()
        if slug.startswith("demo-"):
            tenant = await get_by_slug(slug)
            return Principal.tenant_admin(tenant.id, label=f"demo:{slug}")
        return await fallback(request)

    return resolve


def demo(args: argparse.Namespace) -> int:
    import uvicorn

    from core.app import _default_resolver, create_app
    from core.db import close_db, init_db, migrate_db
    from tenants.demo.seed import seed_demo

    db_path = Path(args.database).resolve()
    if db_path.exists() and args.fresh:
        db_path.unlink()
    db_url = args.db_url or f"sqlite://{db_path}"

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
    app = create_app(db_url=db_url, debug=True, principal_resolver=resolver)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="seed the demo tenants into SQLite and serve them")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--database", default="zhibu-demo.sqlite3", help="SQLite file")
    p.add_argument("--fresh", action="store_true", help="start from an empty database")
    p.add_argument("--no-serve", action="store_true", help="seed and print, do not serve")
    p.set_defaults(func=demo)
