"""``zhibu access create-operator|create-user|sync-policies``."""

from __future__ import annotations

import argparse

from core.db import close_db, init_db


async def create_operator(args: argparse.Namespace) -> int:
    from core.access.services import create_platform_operator
    from core.errors import DomainError

    await init_db(args.db_url)
    try:
        operator = await create_platform_operator(args.username, args.password, args.display_name)
    except DomainError as error:
        print(f"{error.code}: {error.message}")
        return 2
    finally:
        await close_db()
    print(f"created platform operator {operator.username} (id {operator.id})")
    return 0


async def create_user(args: argparse.Namespace) -> int:
    """An account in a tenant, optionally with a role (tenant-wide, or at --org <id>)."""
    from tortoise.transactions import in_transaction

    from core.access import services
    from core.access.roles import assign_role
    from core.audit import audited
    from core.errors import DomainError
    from core.models import Tenant
    from core.tenancy import tenant_scope

    await init_db(args.db_url)
    try:
        tenant = await Tenant.get_or_none(slug=args.tenant)
        if tenant is None:
            print(f"NOT_FOUND: 未找到单位 {args.tenant}")
            return 2
        async with in_transaction():
            with tenant_scope(tenant.id), audited("cli:access create-user", actor="cli") as trail:
                user = await services.create_user(
                    username=args.username, password=args.password, display_name=args.display_name
                )
                if args.role:
                    await assign_role(role=args.role, organization_id=args.org, user_id=user.id)
                await trail.flush(tenant.id)
    except DomainError as error:
        print(f"{error.code}: {error.message}")
        return 2
    finally:
        await close_db()
    print(f"created user {user.username} in {tenant.slug}" + (f" as {args.role}" if args.role else ""))
    return 0


async def sync_policies(args: argparse.Namespace) -> int:
    """Rewrite every tenant's Casbin lines from its assignments and the role table."""
    from tortoise.transactions import in_transaction

    from core.access.roles import sync_tenant_policies
    from core.models import Tenant

    await init_db(args.db_url)
    try:
        changed = 0
        for tenant in await Tenant.all().order_by("id"):
            async with in_transaction():
                changed += int(await sync_tenant_policies(tenant.id))
    finally:
        await close_db()
    print(f"policies rewritten for {changed} tenant(s)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    access = subparsers.add_parser("access", help="accounts, platform operators, access policies")
    sub = access.add_subparsers(dest="access_command", required=True)
    p = sub.add_parser("create-operator", help="create a platform operator")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--display-name", default="")
    p.set_defaults(func=create_operator)
    p = sub.add_parser("create-user", help="create an account in a tenant")
    p.add_argument("--tenant", required=True, help="tenant slug")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--display-name", default="")
    p.add_argument("--role", default=None, help="TENANT_ADMIN, ORG_SECRETARY, ORG_COMMITTEE, ORG_INSPECTOR")
    p.add_argument("--org", type=int, default=None, help="organization id for positional roles")
    p.set_defaults(func=create_user)
    p = sub.add_parser(
        "sync-policies", help="rewrite Casbin policies from assignments (after a role-table change)"
    )
    p.set_defaults(func=sync_policies)
