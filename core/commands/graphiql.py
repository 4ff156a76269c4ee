"""``zhibu graphiql fetch``: the development GraphiQL page's assets, from the npm registry."""

from __future__ import annotations

import argparse
import sys


def fetch(args: argparse.Namespace) -> int:
    from core.http.graphiql_assets import ASSETS_DIR, fetch, missing

    if args.check:
        absent = missing()
        for name in absent:
            print(f"missing: {name}", file=sys.stderr)
        return 1 if absent else 0
    try:
        written = fetch()
    except (OSError, ValueError) as error:
        print(f"zhibu graphiql fetch: {error}", file=sys.stderr)
        return 2
    print(f"{len(written)} file(s) written to {ASSETS_DIR}" if written else f"up to date: {ASSETS_DIR}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    graphiql = subparsers.add_parser("graphiql", help="the development GraphiQL page's assets")
    sub = graphiql.add_subparsers(dest="graphiql_command", required=True)
    p = sub.add_parser("fetch", help="download GraphiQL's assets from the npm registry (pinned, checked)")
    p.add_argument("--check", action="store_true", help="only report missing files (exit 1)")
    p.set_defaults(func=fetch)
