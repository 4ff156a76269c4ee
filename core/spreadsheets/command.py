"""``zhibu import <kind> FILE --tenant SLUG [--dry-run] [--valid-only] [--report OUT.xlsx]`` and
``zhibu export <kind> --tenant SLUG [options of the kind] [--as USERNAME] [-o OUT.xlsx]``.

One command per import kind (:data:`IMPORTERS`) and per export kind
(:func:`core.spreadsheets.exporting.kinds`), all run by the same code.

Import is trusted code, like every command: no caller's grants apply (the whole tenant), audited as
``cli:import <kind>``. Exit status: 0 every row valid (written, unless a dry run), 1 some rows
have problems (listed; nothing written unless ``--valid-only``), 2 the file or the tenant was refused.

Export writes the whole tenant's data unmasked, or — with ``--as USERNAME`` — exactly what that
account may read, masked as GraphQL masks it for them; audited as ``cli:export <kind>``. Exit
status 0, or 2 when refused (the typed error printed).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from core.db import close_db, init_db

#: import kind -> ``module:Importer class``
IMPORTERS: dict[str, str] = {
    "members": "core.imports.members:MemberImporter",
    "organizations": "core.imports.organizations:OrganizationImporter",
}
_IMPORT_HELP = {
    "members": "import a roster (.xlsx or .csv with Chinese headers)",
    "organizations": "import the organization tree (.xlsx or .csv with Chinese headers)",
}


def importer_class(kind: str) -> Any:
    module, _, name = IMPORTERS[kind].partition(":")
    return getattr(importlib.import_module(module), name)


def print_report(report: Any) -> None:
    facts = report.summary()
    state = "已写入" if report.committed else "未写入"
    kind = "试运行" if report.dry_run else "导入"
    print(
        f"{kind} {facts['file']}：{facts['rows']}行，新增{facts['create']}、更新{facts['update']}、"
        f"无变化{facts['unchanged']}、有误{facts['invalid']}（{state}）"
    )
    for problem in report.problems:
        print(f"  第{problem.row}行\t{problem.column or '-'}\t{problem.code}\t{problem.message}")


async def _tenant(slug: str) -> Any:
    from core.models import Tenant

    tenant = await Tenant.get_or_none(slug=slug)
    if tenant is None:
        print(f"NOT_FOUND: 未找到单位 {slug}")
    return tenant


def progress_bar(done: int, total: int, width: int = 30) -> None:
    """``导入 [#######.......] 350/1000`` on standard error, redrawn in place (about 50 steps)."""
    step = max(1, total // 50)
    if done % step and done != total:
        return
    filled = width * done // max(total, 1)
    end = "\n" if done == total else ""
    print(
        f"\r导入 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
        end=end,
        file=sys.stderr,
        flush=True,
    )


async def run_import_command(args: argparse.Namespace) -> int:
    import asyncio

    from tortoise.transactions import in_transaction

    from core.audit import audited
    from core.errors import DomainError
    from core.spreadsheets import importing
    from core.tenancy import tenant_scope

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"IMPORT_FILE_MISSING: 无法读取文件 {path}：{error.strerror}")
        return 2
    await init_db(args.db_url)
    try:
        tenant = await _tenant(args.tenant)
        if tenant is None:
            return 2
        try:
            table = await importing.read_upload(data, path.name)
            mode = importing.ImportMode.VALID_ROWS if args.valid_only else importing.ImportMode.ALL_OR_NOTHING
            importer = importer_class(args.import_kind)(table)
            async with in_transaction():
                with tenant_scope(tenant.id), audited(f"cli:import {args.import_kind}", actor="cli") as trail:
                    report = await importing.run_import(
                        importer, table, path.name, dry_run=args.dry_run, mode=mode, progress=progress_bar
                    )
                    await trail.flush(tenant.id)
        except DomainError as error:
            print(f"{error.code}: {error.message}")
            return 2
    finally:
        await close_db()
    print_report(report)
    if args.report:
        Path(args.report).write_bytes(await asyncio.to_thread(importing.report_workbook, report))
        print(f"报告已写入 {args.report}")
    return 1 if report.problems else 0


async def run_export_command(args: argparse.Namespace) -> int:
    from core.errors import DomainError
    from core.spreadsheets.exporting import export_filename, kinds, run_export
    from core.tenancy import tenant_scope

    kind = kinds()[args.export_kind]
    raw = {}
    for param in kind.params:
        value = getattr(args, param.key)
        if value is not None:
            raw[param.name] = value if isinstance(value, list) else [value]
    await init_db(args.db_url)
    try:
        tenant = await _tenant(args.tenant)
        if tenant is None:
            return 2
        principal = None
        if args.as_user:
            from core.access.authentication import principal_for_user
            from core.access.models import User

            with tenant_scope(tenant.id):
                user = await User.get_or_none(username=args.as_user, is_active=True)
            if user is None:
                print(f"NOT_FOUND: 未找到账号 {args.as_user}")
                return 2
            principal = await principal_for_user(user)
        try:
            export, data = await run_export(
                kind,
                principal,
                raw,
                tenant_id=tenant.id,
                operation=f"cli:export {kind.name}",
                actor="cli",
                cli=True,
                note={"as": args.as_user or ""},
            )
        except DomainError as error:
            print(f"{error.code}: {error.message}")
            return 2
    finally:
        await close_db()
    out = Path(args.output or export_filename(export, tenant.slug))
    out.write_bytes(data)
    masked = f"，{export.masked}行含脱敏或不可见的内容" if export.masked else ""
    print(f"已导出 {export.rows} 行到 {out}{masked}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from core.spreadsheets.exporting import kinds

    group = subparsers.add_parser("import", help="import spreadsheets (the roster, the organization tree)")
    sub = group.add_subparsers(dest="import_kind", required=True)
    for name in IMPORTERS:
        p = sub.add_parser(name, help=_IMPORT_HELP[name])
        p.add_argument("file", help="the .xlsx or .csv file")
        p.add_argument("--tenant", required=True, help="tenant slug")
        p.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        p.add_argument(
            "--valid-only", action="store_true", help="write the valid rows even if others are bad"
        )
        p.add_argument("--report", default=None, help="write the row-by-row report (.xlsx) here")
        p.set_defaults(func=run_import_command)

    group = subparsers.add_parser("export", help="export spreadsheets (.xlsx)")
    sub = group.add_subparsers(dest="export_kind", required=True)
    for kind in kinds().values():
        p = sub.add_parser(kind.name, help=f"export {kind.help} as .xlsx")
        p.add_argument("--tenant", required=True, help="tenant slug")
        for param in kind.params:
            help_text = param.help + (" (repeatable)" if param.many else "")
            if param.type == "org" or param.type.startswith("node:"):
                help_text += " — a database id or a global ID"
            p.add_argument(
                param.flag,
                dest=param.key,
                action="append" if param.many else "store",
                required=param.required,
                choices=param.choices or None,
                help=help_text,
            )
        p.add_argument(
            "--as", dest="as_user", default=None, help="export what this account may see, masked for it"
        )
        p.add_argument(
            "-o", "--output", default=None, help="the .xlsx to write (default: <title>-<tenant>-<date>.xlsx)"
        )
        p.set_defaults(func=run_export_command)
