"""``zhibu tenant create|list``."""

from __future__ import annotations

import argparse

from core.db import close_db, init_db


async def create(args: argparse.Namespace) -> int:
    from tortoise.transactions import in_transaction

    from core.audit import audited
    from core.errors import DomainError
    from core.services.tenants import check_domain, create_tenant
    from core.tenancy import platform_scope, tenant_scope

    await init_db(args.db_url)
    try:
        plugins, scoring = domain_defaults(check_domain(args.domain), args.plugin, args.scoring)
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
    """The plugin the domain names (``TenantDomainSpec.plugin``, when installed) is enabled, and is
    the scorer when it provides one, unless ``--plugin`` / ``--scoring`` say otherwise."""
    from core.plugins import BASELINE_SCORING, plugin_info, tenant_domain

    spec = tenant_domain(domain)
    own = spec.plugin if spec is not None else None
    info = plugin_info(own) if own else None
    chosen = list(plugins) if plugins else ([own] if info is not None else [])
    if scoring is None:
        scoring = own if info is not None and info.provides_scoring and own in chosen else BASELINE_SCORING
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


def list_domains(args: argparse.Namespace) -> int:
    """Print the installation's tenant domains: code, label, default plugin."""
    from core.plugins import tenant_domains

    for spec in tenant_domains().values():
        print(f"{spec.code}\t{spec.label}\t{spec.plugin or '-'}\t{spec.description}")
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
        help="the kind of agency: a code of `zhibu tenant domains` (core's other, or a plugin's)",
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
    p = sub.add_parser("domains", help="list the tenant domains core and the installed plugins declare")
    p.set_defaults(func=list_domains)
