"""``zhibu reminders run [--tenant slug] [--date YYYY-MM-DD]``: generate reminders (for cron).

Safe to run from several workers at once: reminders are inserted once per (tenant, dedupe key).
"""

from __future__ import annotations

import argparse

from core.cli import iso_date


async def run(args: argparse.Namespace) -> int:
    from core.db import close_db, init_db
    from core.models import Tenant
    from core.reminders.service import run_for_current_tenant
    from core.tenancy import platform_scope, tenant_scope

    today = args.date
    await init_db(args.db_url)
    try:
        with platform_scope():  # iterating tenants is cross-tenant work, said so explicitly
            query = Tenant.filter(is_active=True)
            if args.tenant:
                query = query.filter(slug=args.tenant)
            tenants = list(await query.order_by("id"))
        if args.tenant and not tenants:
            print(f"NOT_FOUND: 未找到单位 {args.tenant}")
            return 2
        total = 0
        for tenant in tenants:
            with tenant_scope(tenant.id):
                report = await run_for_current_tenant(today)
            total += report.created
            kinds = ", ".join(f"{k.kind}={k.created}/{k.candidates}" for k in report.kinds.values()) or "-"
            skipped = ", ".join(sorted(report.skipped)) or "-"
            print(f"{tenant.slug}\t{report.today}\tnew {report.created}\t{kinds}\tskipped: {skipped}")
        print(f"reminders: {total} new across {len(tenants)} tenant(s)")
    finally:
        await close_db()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    reminders = subparsers.add_parser("reminders", help="reminders (term expiry, birthdays, dues …)")
    sub = reminders.add_subparsers(dest="reminders_command", required=True)
    p = sub.add_parser("run", help="generate due reminders for all tenants (idempotent; for cron)")
    p.add_argument("--tenant", help="only this tenant (slug)")
    p.add_argument("--date", type=iso_date, help="run as of this day, YYYY-MM-DD (default today)")
    p.set_defaults(func=run)
