"""``zhibu plugins``: installed plugins, the hooks they implement and the tenants that enable them."""

from __future__ import annotations

import argparse
import json
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
