"""Scoring a whole tenant: 2,000 branches, 60,000 members, a year of activities with attendance.

    .venv/bin/python bench/scoring.py [--db sqlite|postgres|both] [--branches 2000] [--members 60000]

Builds a fresh database per backend (SQLite file in a temp dir; a throwaway PostgreSQL database on
``ZHIBU_BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432/test``), bulk-inserts the
tenant (SQLite ``executemany``, PostgreSQL ``COPY``), then prints:

- the raw SQL aggregates the rules rest on (members per branch, activities grouped by organization,
  kind and day, themed-day attendance per branch), timed on their own;
- the live evaluation of every rule over the whole tenant (``findings``);
- a full stored score run (evaluate + score + store branch scores and findings), as
  ``runScoring`` does it (sequential, in one transaction);
- the same run as a background job (``startScoringRun``): queued, claimed and run by the worker
  loop of ``zhibu worker`` (rules a few at a time on PostgreSQL, stored in one transaction);
- each of them as a ratio to the SQL floor (the sum of the raw aggregates above).

Numbers only; nothing is asserted. Activities are mostly complete with ~10% of meetings skipped
and ~88% attendance so that findings exist.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEAR = 2025
GENERAL_BRANCHES = 20


def _default(field: Any) -> Any:
    value = field.default
    return value() if callable(value) else value


async def bulk_insert(model: Any, rows: list[dict[str, Any]], *, postgres: bool) -> None:
    """Insert ``rows`` of ``model`` fast (COPY on PostgreSQL, executemany on SQLite); columns
    not given take the model field's default (or now for auto timestamps)."""
    from tortoise import connections

    if not rows:
        return
    meta = model._meta
    now = dt.datetime.now(dt.UTC)
    columns: list[str] = []
    fillers: list[tuple[str, Any]] = []
    for name in meta.db_fields:
        field = meta.fields_map[name]
        column = field.source_field or name
        columns.append(column)
        if name in rows[0]:
            fillers.append((name, None))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fillers.append(("__now__", now))
        else:
            default = _default(field)
            if field.__class__.__name__ == "JSONField":
                default = json.dumps(default if default is not None else None)
            fillers.append(("__const__", default))

    def value(row: dict[str, Any], name: str, const: Any) -> Any:
        if name == "__now__" or name == "__const__":
            return const
        v = row[name]
        if isinstance(v, dict | list):
            return json.dumps(v, ensure_ascii=False)
        if hasattr(v, "value") and not isinstance(v, str | int):
            return v.value
        return v

    records = [tuple(value(row, name, const) for name, const in fillers) for row in rows]
    conn = connections.get("default")
    if postgres:
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table(meta.db_table, records=records, columns=columns)
    else:
        marks = ", ".join("?" for _ in columns)
        query = f"INSERT INTO {meta.db_table} ({', '.join(columns)}) VALUES ({marks})"
        for start in range(0, len(records), 50_000):
            await conn.execute_many(query, [list(r) for r in records[start : start + 50_000]])


async def build(
    tenant_id: int, branches: int, members: int, *, postgres: bool, seed: int = 7
) -> dict[str, int]:
    """The tenant's tree, roster, committees, activities and attendance, with explicit ids."""
    from core.models import Activity, Attendance, CommitteeSeat, CommitteeTerm, Member, Organization
    from core.standards.models import Inspection

    rnd = random.Random(seed)
    orgs: list[dict[str, Any]] = []
    ids = iter(range(1, 10**9))
    root = next(ids)
    orgs.append(
        {
            "id": root,
            "tenant_id": tenant_id,
            "kind": "PARTY_COMMITTEE",
            "name": "县委组织部直属党委",
            "parent_id": None,
            "path": f"/{root}/",
            "depth": 0,
        }
    )
    generals = []
    for g in range(GENERAL_BRANCHES):
        gid = next(ids)
        generals.append((gid, f"/{root}/{gid}/"))
        orgs.append(
            {
                "id": gid,
                "tenant_id": tenant_id,
                "kind": "GENERAL_BRANCH",
                "name": f"第{g + 1}党总支",
                "parent_id": root,
                "path": f"/{root}/{gid}/",
                "depth": 1,
            }
        )
    branch_rows = []
    for b in range(branches):
        parent_id, parent_path = generals[b % GENERAL_BRANCHES]
        bid = next(ids)
        branch_rows.append((bid, f"{parent_path}{bid}/"))
        orgs.append(
            {
                "id": bid,
                "tenant_id": tenant_id,
                "kind": "BRANCH",
                "name": f"第{b + 1}党支部",
                "parent_id": parent_id,
                "path": f"{parent_path}{bid}/",
                "depth": 2,
            }
        )
    # members: spread around the average, a few small and a few large branches
    per_branch = [max(2, int(rnd.gauss(members / branches, 6))) for _ in range(branches)]
    scale = members / sum(per_branch)
    per_branch = [max(2, round(n * scale)) for n in per_branch]
    per_branch[-1] += members - sum(per_branch)
    member_rows: list[dict[str, Any]] = []
    roster: dict[int, list[int]] = {}
    groups: dict[int, list[tuple[int, list[int]]]] = {}
    member_id = 0
    for (bid, path), count in zip(branch_rows, per_branch, strict=True):
        group_ids: list[int] = []
        if count >= 20:
            for n in range(2):
                grp = next(ids)
                group_ids.append(grp)
                orgs.append(
                    {
                        "id": grp,
                        "tenant_id": tenant_id,
                        "kind": "PARTY_GROUP",
                        "name": f"党小组{n + 1}",
                        "parent_id": bid,
                        "path": f"{path}{grp}/",
                        "depth": 3,
                    }
                )
        roster[bid] = []
        groups[bid] = [(grp, []) for grp in group_ids]
        for i in range(count):
            member_id += 1
            status = "PROBATIONARY" if rnd.random() < 0.05 else "FULL"
            group = groups[bid][i % len(group_ids)] if group_ids else None
            member_rows.append(
                {
                    "id": member_id,
                    "tenant_id": tenant_id,
                    "name": f"党员{member_id}",
                    "status": status,
                    "branch_id": bid,
                    "party_group_id": group[0] if group else None,
                    "joined_on": dt.date(YEAR, rnd.randrange(1, 13), 1)
                    if status == "PROBATIONARY"
                    else dt.date(2000 + rnd.randrange(25), rnd.randrange(1, 13), 1),
                }
            )
            roster[bid].append(member_id)
            if group:
                group[1].append(member_id)
    leaders = [
        (group_members[0], grp) for bid in groups for grp, group_members in groups[bid] if group_members
    ]
    for row in orgs:
        row["leader_id"] = None  # set after the members exist

    terms, seats, inspections = [], [], []
    seat_id = 0
    for n, (bid, _path) in enumerate(branch_rows):
        people = roster[bid]
        terms.append(
            {
                "id": n + 1,
                "tenant_id": tenant_id,
                "organization_id": bid,
                "starts_on": dt.date(2024, 6, 1),
                "ends_on": dt.date(2027, 5, 31),
                "closed_on": None,
                "seat_count": 3,
                "live_organization_id": bid,
            }
        )
        for role, person in zip(("SECRETARY", "DISCIPLINE", "ORGANIZATION"), people[:3], strict=False):
            seat_id += 1
            vacant = role == "ORGANIZATION" and rnd.random() < 0.03
            seats.append(
                {
                    "id": seat_id,
                    "tenant_id": tenant_id,
                    "term_id": n + 1,
                    "role": role,
                    "member_id": None if vacant else person,
                    "started_on": dt.date(2024, 6, 1),
                }
            )
        for k, kind in enumerate(("SETUP_REVIEW", "VENUE", "RECORDS")):
            items = {
                "SETUP_REVIEW": [],
                "VENUE": ["ROOM", "EMBLEM", "FLAG", "OATH", "RULES", "IDENTITY_PUBLIC", "AFFAIRS_PUBLIC"],
                "RECORDS": ["BOOKS", "BOXES", "KEEPER"],
            }[kind]
            if rnd.random() < 0.05:
                items = items[1:]
            inspections.append(
                {
                    "id": n * 3 + k + 1,
                    "tenant_id": tenant_id,
                    "organization_id": bid,
                    "kind": kind,
                    "checked_on": dt.date(YEAR, 3, 1),
                    "items": items,
                }
            )

    activities: list[dict[str, Any]] = []
    attendance: list[dict[str, Any]] = []
    counter = {"activity": 0, "attendance": 0}

    def hold(org_id: int, kind: str, day: dt.date, people: list[int]) -> None:
        if not people:
            return
        counter["activity"] += 1
        aid = counter["activity"]
        activities.append(
            {
                "id": aid,
                "tenant_id": tenant_id,
                "organization_id": org_id,
                "kind": kind,
                "held_on": day,
                "topic": "学习贯彻",
                "host_id": people[0],
                "minutes": "会议记录",
            }
        )
        for person in people:
            counter["attendance"] += 1
            attendance.append(
                {
                    "id": counter["attendance"],
                    "tenant_id": tenant_id,
                    "activity_id": aid,
                    "member_id": person,
                    "status": "PRESENT" if rnd.random() < 0.88 else "ABSENT",
                }
            )

    for bid, _path in branch_rows:
        people = roster[bid]
        board = people[:3]
        sloppy = rnd.random() < 0.25
        for month in range(1, 13):
            if not (sloppy and rnd.random() < 0.4):
                hold(bid, "COMMITTEE_MEETING", dt.date(YEAR, month, 8), board)
            if not (sloppy and rnd.random() < 0.3):
                hold(bid, "THEMED_PARTY_DAY", dt.date(YEAR, month, 20 if rnd.random() < 0.9 else 27), people)
            for grp, group_people in groups[bid]:
                if not (sloppy and rnd.random() < 0.3):
                    hold(grp, "GROUP_MEETING", dt.date(YEAR, month, 12), group_people)
            if month % 3 == 2:
                if not (sloppy and rnd.random() < 0.3):
                    hold(bid, "MEMBER_CONGRESS", dt.date(YEAR, month, 15), people)
                hold(bid, "PARTY_LECTURE", dt.date(YEAR, month, 16), people)
        if not (sloppy and rnd.random() < 0.5):
            hold(bid, "LIFE_MEETING", dt.date(YEAR, 12, 10), people)
        hold(bid, "DEMOCRATIC_APPRAISAL", dt.date(YEAR, 12, 11), people)
        hold(bid, "HEART_TO_HEART", dt.date(YEAR, 11, 5), people if not sloppy else people[:-1])

    for model, rows in (
        (Organization, orgs),
        (Member, member_rows),
        (CommitteeTerm, terms),
        (CommitteeSeat, seats),
        (Inspection, inspections),
        (Activity, activities),
        (Attendance, attendance),
    ):
        await bulk_insert(model, rows, postgres=postgres)
        if model is Member:
            from tortoise import connections

            mark = ("$1", "$2") if postgres else ("?", "?")
            await connections.get("default").execute_many(
                f"UPDATE organization SET leader_id = {mark[0]} WHERE id = {mark[1]}",
                [list(x) for x in leaders],
            )
    return {
        "organizations": len(orgs),
        "branches": branches,
        "members": len(member_rows),
        "activities": len(activities),
        "attendance": len(attendance),
        "root": root,
    }


async def timed(label: str, coro: Any, spent: list[float] | None = None) -> Any:
    start = time.perf_counter()
    result = await coro
    elapsed = time.perf_counter() - start
    if spent is not None:
        spent.append(elapsed)
    print(f"  {label:<58} {elapsed:8.2f} s")
    return result


async def bench(url: str, backend: str, branches: int, members: int) -> None:
    from tortoise.transactions import in_transaction

    from core.db import close_db, init_db, migrate_db
    from core.models import Organization
    from core.services.tenants import create_tenant
    from core.standards import data, engine, jobs
    from core.standards.models import ScoreRun, ScoringJob
    from core.standards.rules.life import ThemedDayAttendanceLow
    from core.tenancy import platform_scope, tenant_scope

    postgres = backend == "postgres"
    await migrate_db(url)
    await init_db(url)
    try:
        with platform_scope():
            tenant = await create_tenant(slug=f"bench-{uuid.uuid4().hex[:6]}", name="压测单位")
        with tenant_scope(tenant.id):
            start = time.perf_counter()
            counts = await build(tenant.id, branches, members, postgres=postgres)
            print(
                f"[{backend}] built {counts['branches']} branches, {counts['members']} members, "
                f"{counts['activities']} activities, {counts['attendance']} attendance rows "
                f"in {time.perf_counter() - start:.1f} s"
            )
            if postgres:
                from tortoise import connections

                await connections.get("default").execute_script("ANALYZE")
            start_day, end_day = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
            today = dt.date(YEAR + 1, 3, 1)

            ctx = await engine.make_context(tenant, None, start_day, end_day, today=today)
            floor: list[float] = []
            await timed("SQL: members per branch (GROUP BY branch)", data.member_counts(ctx), floor)
            await timed(
                "SQL: activities per org/kind/day (GROUP BY, whole year)",
                data.activity_dates(ctx, start_day, dt.date(YEAR + 1, 3, 1)),
                floor,
            )
            await timed(
                "SQL: themed-day attendance avg per branch", ThemedDayAttendanceLow().evaluate(ctx), floor
            )
            await timed("SQL: committee terms with seat aggregates", data.live_terms(ctx), floor)
            sql_floor = sum(floor)
            print(f"  {'SQL floor (sum of the above)':<58} {sql_floor:8.2f} s")

            ctx = await engine.make_context(tenant, None, start_day, end_day, today=today)
            findings = await timed("live evaluation of every rule (whole tenant)", engine.evaluate(ctx))
            root = await Organization.get(id=counts["root"])
            spent: list[float] = []
            async with in_transaction():
                run = await timed(
                    "stored score run (runScoring: evaluate + score + store)",
                    engine.run_scoring(tenant, root, start_day, end_day, run_by="bench", today=today),
                    spent,
                )
            print(
                f"  findings: {len(findings)}; run: {run.branch_count} branches, {run.passed_count} 达标, "
                f"{run.finding_count} findings stored"
            )
            job = await ScoringJob.create(
                queue="database",
                scope_id=root.id,
                scope_path=root.path,
                period_start=start_day,
                period_end=end_day,
                requested_by="bench",
            )
            await timed("background job (startScoringRun, run by the worker)", jobs.work(burst=True), spent)
            job = await ScoringJob.get(id=job.id)
            stored = await ScoreRun.get(id=job.run_id)
            print(
                f"  job: {job.status}, rules {job.rules_done}/{job.rules_total}, "
                f"{job.branches_stored} branch scores and {job.findings_stored} findings stored "
                f"(run {stored.id}: {stored.passed_count} 达标)"
            )
            print(
                f"  ratio to the SQL floor: runScoring ×{spent[0] / sql_floor:.1f}, "
                f"job ×{spent[1] / sql_floor:.1f}"
            )
    finally:
        await close_db()


async def main(args: argparse.Namespace) -> None:
    if args.db == "both":  # one process per backend (tortoise keeps one dialect per process)
        import subprocess

        for backend in ("sqlite", "postgres"):
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--db",
                    backend,
                    "--branches",
                    str(args.branches),
                    "--members",
                    str(args.members),
                ],
                check=True,
            )
        return
    for backend in [args.db]:
        if backend == "sqlite":
            url = f"sqlite://{Path(tempfile.mkdtemp(prefix='zhibu-bench-')) / 'bench.sqlite3'}"
            await bench(url, backend, args.branches, args.members)
        else:
            import asyncpg

            from core.settings import get_settings

            admin = get_settings().bench_pg_url
            name = f"zhibu_bench_{uuid.uuid4().hex[:8]}"
            pg = admin.replace("postgres://", "postgresql://", 1)
            conn = await asyncpg.connect(pg)
            await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.close()
            try:
                await bench(admin.rsplit("/", 1)[0] + "/" + name, backend, args.branches, args.members)
            finally:
                conn = await asyncpg.connect(pg)
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--branches", type=int, default=2000)
    parser.add_argument("--members", type=int, default=60000)
    asyncio.run(main(parser.parse_args()))
