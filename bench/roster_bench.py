"""Roster import and export: seconds and peak memory, on a fresh database.

    .venv/bin/python bench/roster_bench.py [--rows 10000] [--export-rows 60000] [--memory]
    ZHIBU_TEST_DB=postgres .venv/bin/python bench/roster_bench.py …   # PostgreSQL (as the test suite)

Builds a tenant with 20 branches and a workbook of ``--rows`` new members, then times, through the
same code as ``importMembers`` (the import engine, the member services, one savepoint per row):
reading the workbook, the dry run, the commit, and the re-import (every row unchanged). Then it adds
members straight into the database (bulk inserts, not timed) until the roster has
``--export-rows``, and times the export of the whole roster as the HTTP route and ``zhibu export
members`` run it (``run_export``: the query, masking, the workbook in write-only mode, the audit
record), for a tenant administrator and for an inspector (everything masked).

Memory: every phase prints the process's peak resident set so far (``resource.getrusage``,
``ru_maxrss``: it only grows, so it is the high-water mark up to the end of that phase). With
``--memory``, each phase also runs under ``tracemalloc`` and prints the peak of what Python
allocated during the phase — exact per phase, but tracing slows the phase down, so read the seconds
of a run without ``--memory``.

``ZHIBU_IMPORT_MAX_ROWS`` (5,000 by default) refuses a larger file: the bench raises it to
``--rows`` for its own run and says so. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BRANCHES = 20


def id_number(i: int) -> str:
    from core.services.members import id_number_check_digit

    first17 = f"110101{dt.date(1940, 1, 1) + dt.timedelta(days=i // 900):%Y%m%d}{i % 900 + 100:03d}"
    return first17 + id_number_check_digit(first17)


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(["姓名", "身份证号", "所在组织", "手机", "入党日期", "状态", "类别"])
    for i in range(rows):
        category = "离退休党员" if i % 5 == 0 else None
        branch = f"机关党委/第{i % BRANCHES}党支部"
        sheet.append([f"党员{i}", id_number(i), branch, f"138{i:08d}", "2010-07-01", "正式党员", category])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def max_rss_mib() -> float:
    """Peak resident set of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


@contextlib.contextmanager
def phase(label: str, trace: bool) -> Iterator[list[str]]:
    notes: list[str] = []
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        yield notes
    finally:
        elapsed = time.perf_counter() - started
        traced = ""
        if trace:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            traced = f"  traced peak {peak / (1 << 20):6.1f} MiB"
        extra = f"  {'; '.join(notes)}" if notes else ""
        print(f"{label:34} {elapsed:7.2f} s  max RSS {max_rss_mib():6.0f} MiB{traced}{extra}", flush=True)


async def seed_members(tenant_id: int, branch_ids: list[int], start: int, total: int) -> None:
    """Members ``start`` … ``total - 1`` straight into the database (bulk, 1,000 a statement)."""
    from core.models import Member, MemberCategoryAssignment
    from core.tenancy import tenant_scope

    with tenant_scope(tenant_id):
        for first in range(start, total, 1000):
            batch = [
                Member(name=f"党员{i}", id_number=id_number(i), branch_id=branch_ids[i % BRANCHES],
                       status="FULL", phone=f"139{i:08d}", joined_on=dt.date(2010, 7, 1),
                       gender="MALE" if i % 2 else "FEMALE")
                for i in range(first, min(first + 1000, total))
            ]  # fmt: skip
            await Member.bulk_create(batch)
            ids = await Member.filter(id_number__in=[m.id_number for m in batch[::5]]).values_list(
                "id", flat=True
            )
            await MemberCategoryAssignment.bulk_create(
                [MemberCategoryAssignment(member_id=i, category="RETIRED") for i in ids]
            )


async def main(rows: int, export_rows: int, trace: bool) -> None:
    from core.settings import get_settings

    default = get_settings().import_max_rows
    if rows > default:
        os.environ["ZHIBU_IMPORT_MAX_ROWS"] = str(rows)
        print(f"ZHIBU_IMPORT_MAX_ROWS raised from {default} to {rows} for this run (the default refuses it)")

    from tortoise.transactions import in_transaction

    from core import audit
    from core.exports.members import KIND
    from core.imports.members import MemberImporter
    from core.models import Organization
    from core.principal import Principal
    from core.services.organizations import create_organization
    from core.services.tenants import create_tenant
    from core.spreadsheets import importing
    from core.spreadsheets.exporting import run_export
    from core.tenancy import platform_scope, tenant_scope
    from core.testing.database import backend, test_database

    async with test_database():
        with platform_scope():
            tenant = await create_tenant(slug="bench-roster", name="花名册基准")
        with tenant_scope(tenant.id):
            top = await create_organization(kind="PARTY_COMMITTEE", name="机关党委", parent_id=None)
            branches = [
                await create_organization(kind="BRANCH", name=f"第{i}党支部", parent_id=top.id)
                for i in range(BRANCHES)
            ]
        print(f"{backend()}, {BRANCHES} branches; import {rows} rows, export {export_rows} members")

        with phase(f"build the workbook ({rows} rows)", trace) as notes:
            data = workbook(rows)
            notes.append(f"{len(data) >> 10} KiB")
        with phase("read the workbook", trace):
            table = await importing.read_upload(data, "bench.xlsx")
        for label, dry_run in (
            ("import: dry run", True),
            ("import: commit", False),
            ("re-import (all unchanged)", False),
        ):
            with phase(label, trace) as notes:
                async with in_transaction():
                    with tenant_scope(tenant.id), audit.audited("bench") as trail:
                        report = await importing.run_import(
                            MemberImporter(table), table, "bench.xlsx", dry_run=dry_run
                        )
                        await trail.flush(tenant.id)
                facts = report.summary()
                notes.append(
                    f"created {facts['create']}, unchanged {facts['unchanged']}, invalid {facts['invalid']}"
                )

        with tenant_scope(tenant.id):
            have = await Organization.filter(kind="BRANCH").count()
        assert have == BRANCHES
        started = time.perf_counter()
        await seed_members(tenant.id, [b.id for b in branches], rows, export_rows)
        print(
            f"(seeded {export_rows - rows} more members in {time.perf_counter() - started:.1f} s, not timed)"
        )

        inspector = Principal(tenant.id, label="督导", grants={"MEMBER_READ": (top.path,)})
        for label, principal in (("export: administrator", Principal.tenant_admin(tenant.id)),
                                 ("export: inspector (all masked)", inspector)):  # fmt: skip
            with phase(label, trace) as notes:
                export, content = await run_export(
                    KIND, principal, {}, tenant_id=tenant.id, operation="bench", actor="bench"
                )
                notes.append(f"{export.rows} rows, {export.masked} masked, {len(content) >> 20} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the imported workbook")
    parser.add_argument("--export-rows", type=int, default=60_000, help="members on the exported roster")
    parser.add_argument("--memory", action="store_true", help="also trace each phase's Python allocations")
    args = parser.parse_args()
    asyncio.run(main(args.rows, max(args.export_rows, args.rows), args.memory))
