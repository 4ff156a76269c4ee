"""``zhibu migrate`` and ``zhibu schema``."""

from __future__ import annotations

import argparse
import sys


async def migrate(args: argparse.Namespace) -> int:
    from core.db import migrate_db

    await migrate_db(args.db_url)
    print("数据库迁移完成 / migrations applied")
    return 0


def schema(args: argparse.Namespace) -> int:
    from schema import SDL_PATH, builtin_sdl, print_sdl

    if not (args.write or args.check):
        sys.stdout.write(print_sdl())  # what this installation serves, third-party plugins included
        return 0
    sdl = builtin_sdl()  # the committed SDL: core and the built-in plugins
    if args.write:
        SDL_PATH.write_text(sdl, encoding="utf-8")
        print(f"wrote {SDL_PATH}")
        return 0
    if args.check:
        current = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
        if current != sdl:
            print("schema/schema.graphql is stale: run `zhibu schema --write`", file=sys.stderr)
            return 1
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("migrate", help="apply all pending migrations (core and plugins)")
    p.set_defaults(func=migrate)
    p = subparsers.add_parser("schema", help="print the GraphQL SDL")
    p.add_argument("--write", action="store_true", help="write schema/schema.graphql")
    p.add_argument("--check", action="store_true", help="exit 1 if schema/schema.graphql is stale")
    p.set_defaults(func=schema)
