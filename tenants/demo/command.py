"""``zhibu demo``: a SQLite database with the demo tenants, served on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

EXAMPLE_QUERY = """{ tenant { name } organizationRoots { name children { name kindLabel } } }"""


def demo(args: argparse.Namespace) -> int:
    import uvicorn

    from core.app import create_app
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
    print("zhibu 演示环境 / demo")
    for line in lines:
        print("  " + line)
    print(f"GraphQL: {url}  (GraphiQL in the browser)")
    print("Example:")
    print(f"  curl -s {url} -H 'content-type: application/json' \\")
    print(f'    -d \'{{"query": "{EXAMPLE_QUERY}"}}\'')
    if args.no_serve:
        return 0
    app = create_app(db_url=db_url, debug=True)
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
