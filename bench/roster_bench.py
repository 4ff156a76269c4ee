"""Roster import and export timings on a fresh SQLite file.

    .venv/bin/python bench/roster_bench.py [--rows 2000]

Builds a tenant with 20 branches, a workbook of ``--rows`` new members, then prints the seconds of:
reading the file, the dry run, the commit, the re-import (every row unchanged), and the export of
the roster just written. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    from core.services.members import id_number_check_digit

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "所在组织", "手机", "入党日期", "状态", "类别"])
    for i in range(rows):
        first17 = f"110101{dt.date(1950, 1, 1) + dt.timedelta(days=i):%Y%m%d}{i % 1000:03d}"
        number = first17 + id_number_check_digit(first17)
        category = "离退休党员" if i % 5 == 0 else None
        sheet.append(
            [
                f"党员{i}",
                number,
                f"机关党委/第{i % 20}党支部",
                f"138{i:08d}",
                "2010-07-01",
                "正式党员",
                category,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def main(rows: int) -> None:
    import os

    from tortoise.transactions import in_transaction

    from core import audit
    from core.db import close_db, init_db, migrate_db
    from core.exports.members import build
    from core.imports.members import MemberImporter
    from core.principal import Principal
    from core.services.organizations import create_organization
    from core.services.tenants import create_tenant
    from core.spreadsheets import importing
    from core.spreadsheets.xlsx import write_workbook
    from core.tenancy import platform_scope, tenant_scope

    os.environ.setdefault("ZHIBU_IMPORT_MAX_ROWS", str(max(rows, 5000)))
    url = f"sqlite://{Path(tempfile.mkdtemp(prefix='zhibu-bench-')) / 'bench.sqlite3'}"
    await migrate_db(url)
    await init_db(url)
    try:
        with platform_scope():
            tenant = await create_tenant(slug="bench-roster", name="花名册基准")
        with tenant_scope(tenant.id):
            top = await create_organization(kind="PARTY_COMMITTEE", name="机关党委", parent_id=None)
            for i in range(20):
                await create_organization(kind="BRANCH", name=f"第{i}党支部", parent_id=top.id)
        data = workbook(rows)
        print(f"{rows} rows, {len(data) // 1024} KiB")
        started = time.perf_counter()
        table = await importing.read_upload(data, "bench.xlsx")
        print(f"read the workbook      {time.perf_counter() - started:6.2f} s")
        for label, dry_run in (("dry run", True), ("commit", False), ("re-import (unchanged)", False)):
            started = time.perf_counter()
            async with in_transaction():
                with tenant_scope(tenant.id), audit.audited("bench") as trail:
                    importer = MemberImporter(table)
                    report = await importing.run_import(importer, table, "bench.xlsx", dry_run=dry_run)
                    await trail.flush(tenant.id)
            print(f"{label:22} {time.perf_counter() - started:6.2f} s  {report.summary()}")
        started = time.perf_counter()
        with tenant_scope(tenant.id):
            export = await build(Principal.tenant_admin(tenant.id), subtree_of=None, status=[])
        content = await asyncio.to_thread(write_workbook, export.sheets)
        print(f"export                 {time.perf_counter() - started:6.2f} s  ({len(content) // 1024} KiB)")
    finally:
        await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    asyncio.run(main(parser.parse_args().rows))
