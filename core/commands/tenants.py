"""``zhibu tenant create|list``."""

from __future__ import annotations

import argparse

from core.db import close_db, init_db


async def create(args: argparse.Namespace) -> int:
    from tortoise.transactions import in_transaction

    from core.audit import audited
    from core.errors import DomainError
    from core.services.tenants import create_tenant
    from core.tenancy import platform_scope, tenant_scope

    plugins, scoring = domain_defaults(args.domain, args.plugin, args.scoring)
    await init_db(args.db_url)
    try:
        async with in_transaction():
            with platform_scope(), audited("cli:tenant create", actor="cli") as trail:
                tenant = await create_tenant(
                    slug=args.slug,
                    name=args.name,
                    domain=args.domain,
                    enabled_plugins=plugins,
                    scoring_plugin=scoring,
                    by="cli",
                )
                with tenant_scope(tenant.id):
                    await trail.flush(tenant.id)
    except DomainError as error:
        print(f"{error.code}: {error.message}")
        return 2
    finally:
        await close_db()
    enabled = ",".join(tenant.enabled_plugins or []) or "-"
    print(
        f"created tenant {tenant.slug} (id {tenant.id}) {tenant.name} [{tenant.domain}] "
        f"plugins: {enabled}, scoring: {tenant.scoring_plugin}"
    )
    return 0


def domain_defaults(domain: str, plugins: list[str] | None, scoring: str | None) -> tuple[list[str], str]:
    """A domain's own plugin (when installed) is enabled, and is the scorer when it provides one,
    unless ``--plugin`` / ``--scoring`` say otherwise."""
    from core.plugins import BASELINE_SCORING, plugin_info

    info = plugin_info(domain)
    chosen = list(plugins) if plugins else ([domain] if info is not None else [])
    if scoring is None:
        scoring = (
            domain if info is not None and info.provides_scoring and domain in chosen else BASELINE_SCORING
        )
    return chosen, scoring


async def list_tenants(args: argparse.Namespace) -> int:
    from core.models import Tenant

    await init_db(args.db_url)
    try:
        for tenant in await Tenant.all().order_by("id"):
            plugins = ",".join(tenant.enabled_plugins or []) or "-"
            print(f"{tenant.id}\t{tenant.slug}\t{tenant.domain}\t{plugins}\t{tenant.name}")
    finally:
        await close_db()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    tenant = subparsers.add_parser("tenant", help="manage tenants (platform operators)")
    sub = tenant.add_subparsers(dest="tenant_command", required=True)
    p = sub.add_parser("create", help="onboard a tenant")
    p.add_argument("--slug", required=True)
    p.add_argument("--name", required=True)
    p.add_argument(
        "--domain",
        default="other",
        choices=["rural", "enterprise", "newspaper", "foreign_affairs", "other"],
    )
    p.add_argument(
        "--plugin", action="append", help="enable a plugin (repeatable; default: the domain's plugin)"
    )
    p.add_argument(
        "--scoring",
        default=None,
        help="scoring plugin (default: the domain's plugin if it scores, else baseline)",
    )
    p.set_defaults(func=create)
    p = sub.add_parser("list", help="list tenants")
    p.set_defaults(func=list_tenants)
