"""``zhibu serve``: the production server (uvicorn). ``zhibu secret generate``: a signing key.

``zhibu serve`` refuses to start with development settings (no or a weak ``ZHIBU_SECRET_KEY``,
``ZHIBU_DEBUG``, test password hashing): it prints one line per problem and exits 2. It never
falls back to a development convenience — those belong to ``zhibu demo``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys


def production_app():  # noqa: ANN201 — uvicorn factory (one per worker process)
    """The ASGI app of a ``zhibu serve`` worker: production mode, logging configured, and the heap
    built at startup frozen once the app has started (:func:`freeze_after_startup`)."""
    from core.app import create_app
    from core.http.request_log import configure_logging

    configure_logging()
    return freeze_after_startup(create_app(development=False))


def freeze_after_startup(app):  # noqa: ANN001, ANN201
    """``app`` with its startup followed by ``gc.collect(); gc.freeze()``.

    Everything built before the first request (modules, the schema, the ORM's metadata, the
    plugins) lives as long as the process. Left to the cyclic garbage collector, each full
    collection walks all of it again — a request that allocates tens of thousands of objects (a
    page of ~4,000) triggers collections whose cost is proportional to that heap, not to the
    request. Frozen objects are skipped by the collector (still freed by reference counting);
    nothing about what the requests do changes."""
    import contextlib
    import gc

    started = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app):  # noqa: ANN001, ANN202
        async with started(app) as state:
            gc.collect()
            gc.freeze()
            yield state

    app.router.lifespan_context = lifespan
    return app


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from core.settings import get_settings

    if args.db_url:  # the workers read it from the environment like every other setting
        os.environ["ZHIBU_DB_URL"] = args.db_url
    settings = get_settings()
    problems = settings.production_problems() or asyncio.run(database_problems(settings.db_url))
    if problems:
        for problem in problems:
            print(f"zhibu serve: {problem}", file=sys.stderr)
        return 2
    options = {
        "app": "core.commands.serve:production_app",
        "factory": True,
        "host": args.host,
        "port": args.port,
        "access_log": False,  # zhibu.request logs one line per request
        "log_level": settings.log_level,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "server_header": False,
    }
    if args.workers > 1:  # one SO_REUSEPORT socket per worker: the kernel spreads the connections
        from core.http.workers import Supervisor

        return Supervisor(args.workers, args.host, args.port, options).run()
    uvicorn.run(**options)
    return 0


async def database_problems(url: str) -> list[str]:
    """On PostgreSQL: why the application's role would bypass row-level security (or cannot connect)."""
    from core.db import is_postgres

    if not is_postgres(url):
        return []
    from tortoise import Tortoise, connections

    from core.db import tortoise_config
    from core.rls import database_role_problems

    try:
        await Tortoise.init(config=tortoise_config(url))
        return await database_role_problems(connections.get("default"))
    except OSError as error:
        return [f"cannot connect to the database ({error.__class__.__name__}: {error})"]
    finally:
        await Tortoise.close_connections()


def generate_secret(args: argparse.Namespace) -> int:
    print(secrets.token_urlsafe(48))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="serve the GraphQL API (production mode)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (e.g. one per core), each with its own SO_REUSEPORT socket",
    )
    p.set_defaults(func=serve)
    secret = subparsers.add_parser("secret", help="signing keys")
    sub = secret.add_subparsers(dest="secret_command", required=True)
    p = sub.add_parser("generate", help="print a new random ZHIBU_SECRET_KEY (64 characters)")
    p.set_defaults(func=generate_secret)
