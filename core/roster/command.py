"""``zhibu import members FILE --tenant SLUG [--dry-run] [--valid-only] [--report OUT.xlsx]`` and
``zhibu export members --tenant SLUG [--org ID] [--status S …] [--as USERNAME] [-o OUT.xlsx]``.

Import is trusted code, like every command: no caller's grants apply (the whole tenant), audited as
``cli:import members``. Exit status: 0 every row valid (written, unless a dry run), 1 some rows
have problems (listed; nothing written unless ``--valid-only``), 2 the file or the tenant was refused.

Export writes the whole tenant's roster unmasked, or — with ``--as USERNAME`` — exactly what that
account may read, masked as GraphQL masks it for them; audited as ``cli:export members``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.db import close_db, init_db


def print_report(report) -> None:  # noqa: ANN001
    facts = report.summary()
    state = "已写入" if report.committed else "未写入"
    kind = "试运行" if report.dry_run else "导入"
    print(
        f"{kind} {facts['file']}：{facts['rows']}行，新增{facts['create']}、更新{facts['update']}、"
        f"无变化{facts['unchanged']}、有误{facts['invalid']}（{state}）"
    )
    for problem in report.problems:
        print(f"  第{problem.row}行\t{problem.column or '-'}\t{problem.code}\t{problem.message}")


async def import_members(args: argparse.Namespace) -> int:
    from tortoise.transactions import in_transaction

    from core.audit import audited
    from core.errors import DomainError
    from core.models import Tenant
    from core.roster import importer
    from core.tenancy import tenant_scope

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"IMPORT_FILE_MISSING: 无法读取文件 {path}：{error.strerror}")
        return 2
    await init_db(args.db_url)
    try:
        tenant = await Tenant.get_or_none(slug=args.tenant)
        if tenant is None:
            print(f"NOT_FOUND: 未找到单位 {args.tenant}")
            return 2
        try:
            table = await importer.read_upload(data, path.name)
            importer.map_headers(table.headers)
            mode = importer.ImportMode.VALID_ROWS if args.valid_only else importer.ImportMode.ALL_OR_NOTHING
            async with in_transaction():
                with tenant_scope(tenant.id), audited("cli:import members", actor="cli") as trail:
                    report = await importer.import_table(table, path.name, dry_run=args.dry_run, mode=mode)
                    await trail.flush(tenant.id)
        except DomainError as error:
            print(f"{error.code}: {error.message}")
            return 2
    finally:
        await close_db()
    print_report(report)
    if args.report:
        import asyncio

        from core.roster.workbook import report_workbook

        Path(args.report).write_bytes(await asyncio.to_thread(report_workbook, report))
        print(f"报告已写入 {args.report}")
    return 1 if report.problems else 0


async def export_members(args: argparse.Namespace) -> int:
    import asyncio

    from tortoise.transactions import in_transaction

    from core import audit
    from core.errors import DomainError
    from core.models import MemberStatus, Tenant
    from core.roster.export import export_filename, roster_rows
    from core.roster.workbook import roster_workbook
    from core.tenancy import tenant_scope

    try:
        statuses = [MemberStatus(s) for s in args.status] if args.status else None
    except ValueError as error:
        print(f"INVALID_INPUT: 未知的状态 {error}")
        return 2
    await init_db(args.db_url)
    try:
        tenant = await Tenant.get_or_none(slug=args.tenant)
        if tenant is None:
            print(f"NOT_FOUND: 未找到单位 {args.tenant}")
            return 2
        with tenant_scope(tenant.id):
            principal = None
            if args.as_user:
                from core.access.authentication import principal_for_user
                from core.access.models import User

                user = await User.get_or_none(username=args.as_user, is_active=True)
                if user is None:
                    print(f"NOT_FOUND: 未找到账号 {args.as_user}")
                    return 2
                principal = await principal_for_user(user)
            try:
                export = await roster_rows(principal, subtree_of=args.org, statuses=statuses)
            except DomainError as error:
                print(f"{error.code}: {error.message}")
                return 2
            async with in_transaction():
                with audit.audited("cli:export members", actor="cli") as trail:
                    audit.event(
                        "MemberExport",
                        args.org if args.org is not None else "-",
                        {"rows": len(export.rows), "masked": export.masked, "as": args.as_user or ""},
                    )
                    await trail.flush(tenant.id)
    finally:
        await close_db()
    out = Path(args.output or export_filename(tenant.slug))
    out.write_bytes(await asyncio.to_thread(roster_workbook, export))
    masked = f"，{export.masked}行的手机和身份证号已脱敏" if export.masked else ""
    print(f"已导出 {len(export.rows)} 名人员到 {out}{masked}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("import", help="import spreadsheets (the roster)")
    sub = group.add_subparsers(dest="import_command", required=True)
    p = sub.add_parser("members", help="import a roster (.xlsx or .csv with Chinese headers)")
    p.add_argument("file", help="the .xlsx or .csv file")
    p.add_argument("--tenant", required=True, help="tenant slug")
    p.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    p.add_argument("--valid-only", action="store_true", help="write the valid rows even if others are bad")
    p.add_argument("--report", default=None, help="write the row-by-row report (.xlsx) here")
    p.set_defaults(func=import_members)

    group = subparsers.add_parser("export", help="export spreadsheets (the roster)")
    sub = group.add_subparsers(dest="export_command", required=True)
    p = sub.add_parser("members", help="export the roster (花名册) as .xlsx")
    p.add_argument("--tenant", required=True, help="tenant slug")
    p.add_argument("--org", type=int, default=None, help="only this organization's subtree (id)")
    p.add_argument(
        "--status", action="append", help="FULL, PROBATIONARY … (repeatable; default: all on the roster)"
    )
    p.add_argument(
        "--as", dest="as_user", default=None, help="export what this account may see, masked for it"
    )
    p.add_argument(
        "-o", "--output", default=None, help="the .xlsx to write (default: 花名册-<tenant>-<date>.xlsx)"
    )
    p.set_defaults(func=export_members)
