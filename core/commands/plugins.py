"""``zhibu plugins``: installed plugins, the hooks they implement and the tenants that enable them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


async def describe_plugins(*, internal: bool = False, with_tenants: bool = True) -> list[dict[str, Any]]:
    """Installed plugins as dicts; with ``with_tenants`` (database initialised) also who uses them."""
    from core.plugins import installed_plugins

    plugins = installed_plugins(include_internal=internal)
    tenants: dict[str, list[str]] = {}
    scoring: dict[str, list[str]] = {}
    if with_tenants:
        from core.models import Tenant

        for tenant in await Tenant.all().order_by("slug").only("slug", "enabled_plugins", "scoring_plugin"):
            for name in tenant.enabled_plugins or ():
                tenants.setdefault(name, []).append(tenant.slug)
            scoring.setdefault(tenant.scoring_plugin, []).append(tenant.slug)
    return [
        {
            "name": p.name,
            "label": p.label,
            "description": p.description,
            "version": p.version,
            "hooks": list(p.hooks),
            "internal": p.internal,
            "provides_scoring": p.provides_scoring,
            "tenants": tenants.get(p.name, []),
            "scoring_tenants": scoring.get(p.name, []),
        }
        for p in plugins
    ]


def format_plugins(rows: list[dict[str, Any]], *, with_tenants: bool = True) -> str:
    """The human-readable listing."""
    if not rows:
        return "no plugins installed"
    lines = []
    for p in rows:
        version = p["version"] or ("internal" if p["internal"] else "unpackaged")
        lines.append(f"{p['name']}  {p['label']}  ({version})")
        if p["description"]:
            lines.append(f"    {p['description']}")
        lines.append(f"    hooks: {', '.join(p['hooks']) or '-'}")
        if with_tenants:
            lines.append(f"    enabled by: {', '.join(p['tenants']) or '-'}")
            if p["provides_scoring"]:
                lines.append(f"    scoring for: {', '.join(p['scoring_tenants']) or '-'}")
    return "\n".join(lines)


async def list_plugins(args: argparse.Namespace) -> int:
    with_tenants = not args.no_db
    if with_tenants:
        from core.db import close_db, init_db

        await init_db(args.db_url)
        try:
            rows = await describe_plugins(internal=args.internal)
        finally:
            await close_db()
    else:
        rows = await describe_plugins(internal=args.internal, with_tenants=False)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(format_plugins(rows, with_tenants=with_tenants))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("plugins", help="list installed plugins, their hooks and enabling tenants")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--no-db", action="store_true", help="do not read tenants from the database")
    p.add_argument("--internal", action="store_true", help="include internal core plugins")
    p.set_defaults(func=list_plugins)
    plugin = subparsers.add_parser("plugin", help="write a plugin: scaffold one, make its migrations")
    sub = plugin.add_subparsers(dest="plugin_command", required=True)
    p = sub.add_parser(
        "new", help="scaffold a working plugin (model, migration, GraphQL, rule, scorer, tests)"
    )
    p.add_argument("name", help="plugin name, e.g. university (lower-case, digits, _)")
    p.add_argument("--label", default=None, help="Chinese label (default: the name)")
    p.add_argument("--dir", default=".", help="where to create zhibu-NAME/ (default: here)")
    p.set_defaults(func=new_plugin)
    p = sub.add_parser(
        "makemigrations", help="write the migration for an installed plugin's model changes (tortoise)"
    )
    p.add_argument("app", help="the plugin's tortoise app label (its zhibu_models key)")
    p.add_argument("--name", default=None, help="migration name suffix")
    p.set_defaults(func=make_plugin_migrations)


def new_plugin(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.scaffold import create_plugin

    try:
        target = create_plugin(args.name, args.label or args.name, Path(args.dir))
    except (ValueError, FileExistsError) as error:
        print(f"zhibu plugin new: {error}", file=sys.stderr)
        return 2
    print(f"created {target}\n  cd {target} && pip install -e '.[test]' && pytest")
    return 0


async def make_plugin_migrations(args: argparse.Namespace) -> int:
    """tortoise's makemigrations for one plugin app, with every app registered (a plugin's models
    refer to core's, which ``tortoise makemigrations <app>`` alone would not load)."""
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.migrations.autodetector import MigrationAutodetector
    from tortoise.migrations.writer import format_migration_name

    from core.db import tortoise_config

    config = tortoise_config("sqlite://:memory:")  # only the models and the migration files are read
    if args.app not in config["apps"]:
        print(
            f"zhibu plugin makemigrations: no installed plugin declares the app {args.app!r}", file=sys.stderr
        )
        return 2
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    writers = [w for w in writers if w.app_label == args.app]
    if not writers:
        print(f"{args.app}: no changes")
        return 0
    for writer in writers:
        if args.name:
            writer.name = format_migration_name(int(writer.name.split("_", 1)[0]), args.name)
        print(f"created {writer.app_label}.{writer.name}: {writer.write()}")
    return 0
