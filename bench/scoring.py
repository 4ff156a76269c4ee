"""Scoring a whole tenant: 2,000 branches, 60,000 members, a year of activities with attendance.

    .venv/bin/python bench/scoring.py [--db sqlite|postgres|both] [--branches 2000] [--members 60000]

Builds a fresh database per backend (SQLite file in a temp dir; a throwaway PostgreSQL database on
``ZHIBU_BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432/test``), bulk-inserts the
tenant (SQLite ``executemany``, PostgreSQL ``COPY``), then prints:

- the old floor: four of the raw SQL aggregates the rules rest on (members per branch, activities
  grouped by organization, kind and day, themed-day attendance per branch, committee terms), kept so
  figures compare with earlier stops;
- the honest floor: one raw SQL aggregate per fact the rules read (:data:`FLOOR`), each timed;
- the live evaluation of every rule over the whole tenant (``findings``);
- a full stored score run (evaluate + score + store branch scores and findings), as
  ``runScoring`` does it (sequential, in one transaction);
- the same run as a background job (``startScoringRun``): queued, claimed and run by the worker
  loop of ``zhibu worker`` (rules a few at a time on PostgreSQL, stored in one transaction);
- each of them as a ratio to both floors (the sums of the raw aggregates above).

Every line shows wall time, the process's CPU time (``time.process_time``) and the time spent
awaiting statements (with their count): the machine is shared, so the last two say more.
``--pg-db NAME`` keeps the PostgreSQL data in NAME (built once, reused after); ``--code DIR`` runs
another checkout's code (e.g. the base commit's worktree) on it, for old-vs-new comparisons.
PostgreSQL is built as the superuser of ``ZHIBU_BENCH_PG_URL`` and measured as the application
role :data:`APP_ROLE` (row-level security on, as in production); ``--as-owner`` measures as the
superuser (policies bypassed), as the bench did up to stop 18.

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


def _code_dir() -> str:
    """``--code DIR``: import zhibu from DIR (e.g. a worktree of the base commit) — to compare two
    versions of the code on the same kept data; default: this checkout."""
    if "--code" in sys.argv:
        return str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve())
    return str(Path(__file__).resolve().parent.parent)


sys.path.insert(0, _code_dir())

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


class Meter:
    """Per-phase wall, Python CPU (``time.process_time``) and statement time: the time spent
    awaiting asyncpg (every statement of the process, summed — with rules run concurrently the sum
    may exceed the wall time) and the statement count — PostgreSQL only (SQLite shows 0). The
    machine is shared, so CPU and statement time say more than wall time."""

    def __init__(self) -> None:
        self.sql = 0.0
        self.statements = 0

    def install(self) -> None:
        import asyncpg

        meter = self
        for name in ("fetch", "fetchrow", "fetchval", "execute", "executemany", "copy_records_to_table"):
            original = getattr(asyncpg.Connection, name)

            def wrap(original: Any) -> Any:
                async def timed_call(self: Any, *args: Any, **kwargs: Any) -> Any:
                    start = time.perf_counter()
                    try:
                        return await original(self, *args, **kwargs)
                    finally:
                        meter.sql += time.perf_counter() - start
                        meter.statements += 1

                return timed_call

            setattr(asyncpg.Connection, name, wrap(original))


METER = Meter()


async def timed(label: str, coro: Any, spent: list[float] | None = None) -> Any:
    start, cpu, sql_time, statements = time.perf_counter(), time.process_time(), METER.sql, METER.statements
    result = await coro
    elapsed = time.perf_counter() - start
    if spent is not None:
        spent.append(elapsed)
    print(
        f"  {label:<58} {elapsed:8.2f} s   cpu {time.process_time() - cpu:5.2f} s"
        f"   sql {METER.sql - sql_time:5.2f} s / {METER.statements - statements} stmts"
    )
    return result


#: The honest floor: for every fact the core rules read, the raw SQL aggregate that computes it over
#: the whole tenant (the grouped answer a rule needs, nothing more), run through the application's
#: own connection and tenant binding. Written here on their own, independent of ``core.standards``,
#: so that code under test does not move its own yardstick.
_SCOPE = "JOIN organization o ON o.id = {t}.{col} AND o.tenant_id = {t}.tenant_id AND o.path LIKE :prefix"
#: a full member of the meeting's branch on the day it was held
_ROSTER = (
    "m.tenant_id = a.tenant_id AND m.branch_id = a.organization_id AND m.status = 'FULL' "
    "AND COALESCE(m.confirmed_on, m.joined_on, a.held_on) <= a.held_on"
)
FLOOR: list[tuple[str, str]] = [
    (
        "live organizations of the scope",
        "SELECT o.id, o.kind, o.name, o.path, o.parent_id, o.established_on, o.leader_id, o.covered_units "
        "FROM organization o WHERE o.tenant_id = :tenant_id AND o.path LIKE :prefix "
        "AND (o.dissolved_on IS NULL OR o.dissolved_on > :as_of)",
    ),
    (
        "members and full members per branch",
        "SELECT m.branch_id, COUNT(*), COUNT(*) FILTER (WHERE m.status = 'FULL') FROM member m "
        + _SCOPE.format(t="m", col="branch_id")
        + " WHERE m.tenant_id = :tenant_id AND m.status IN ('FULL', 'PROBATIONARY') GROUP BY m.branch_id",
    ),
    (
        "members and full members per party group",
        "SELECT m.party_group_id, COUNT(*), COUNT(*) FILTER (WHERE m.status = 'FULL') FROM member m "
        + _SCOPE.format(t="m", col="party_group_id")
        + " WHERE m.tenant_id = :tenant_id AND m.status IN ('FULL', 'PROBATIONARY') "
        "GROUP BY m.party_group_id",
    ),
    (
        "party groups led by one of their members",
        "SELECT o.id FROM organization o JOIN member m ON m.id = o.leader_id AND m.tenant_id = o.tenant_id "
        "WHERE o.tenant_id = :tenant_id AND o.path LIKE :prefix AND o.kind = 'PARTY_GROUP' "
        "AND m.party_group_id = o.id AND m.status IN ('FULL', 'PROBATIONARY')",
    ),
    (
        "live committee terms with seat aggregates",
        "SELECT t.id, t.organization_id, t.starts_on, t.ends_on, "
        "COUNT(s.id) FILTER (WHERE s.ended_on IS NULL), "
        "COUNT(DISTINCT s.member_id) FILTER (WHERE s.ended_on IS NULL), "
        "COUNT(*) FILTER (WHERE s.ended_on IS NULL AND s.member_id IS NOT NULL AND s.role = 'SECRETARY'), "
        "COUNT(*) FILTER (WHERE s.ended_on IS NULL AND s.member_id IS NOT NULL AND s.role = 'DISCIPLINE'), "
        "string_agg(s.role, ',') FILTER (WHERE s.ended_on IS NULL AND s.member_id IS NULL) "
        "FROM committee_term t "
        + _SCOPE.format(t="t", col="organization_id")
        + " LEFT JOIN committee_seat s ON s.term_id = t.id AND s.tenant_id = t.tenant_id "
        "WHERE t.tenant_id = :tenant_id AND t.closed_on IS NULL AND o.dissolved_on IS NULL GROUP BY t.id",
    ),
    (
        "activity days per org/kind (calendar, with grace days)",
        "SELECT a.organization_id, a.kind, array_agg(a.held_on ORDER BY a.held_on) FROM activity a "
        + _SCOPE.format(t="a", col="organization_id")
        + " WHERE a.tenant_id = :tenant_id AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :ext_end GROUP BY 1, 2",
    ),
    (
        "themed-day attendance rate per branch",
        "SELECT x.org, AVG(x.rate), COUNT(*) FROM (SELECT a.organization_id AS org, "
        "AVG(CASE WHEN t.status = 'PRESENT' THEN 1.0 ELSE 0.0 END) AS rate FROM activity a "
        + _SCOPE.format(t="a", col="organization_id")
        + " JOIN attendance t ON t.activity_id = a.id AND t.tenant_id = a.tenant_id "
        "WHERE a.tenant_id = :tenant_id AND a.kind = 'THEMED_PARTY_DAY' AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :end GROUP BY a.id) x GROUP BY x.org",
    ),
    (
        "themed days lacking a required part (4+X)",
        "SELECT a.id, a.organization_id, a.held_on, a.extra -> 'parts' FROM activity a "
        + _SCOPE.format(t="a", col="organization_id")
        + " WHERE a.tenant_id = :tenant_id AND a.kind = 'THEMED_PARTY_DAY' AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :end "
        "AND NOT (COALESCE(a.extra -> 'parts', '[]'::jsonb) @> "
        '\'["OATH", "STUDY", "DUES", "SERVICE"]\'::jsonb)',
    ),
    (
        "heart-to-heart reach per branch",
        "SELECT m.branch_id, COUNT(DISTINCT m.id) FROM activity a "
        "JOIN attendance t ON t.activity_id = a.id AND t.tenant_id = a.tenant_id AND t.status = 'PRESENT' "
        "JOIN member m ON m.id = t.member_id AND m.tenant_id = t.tenant_id "
        "AND m.status IN ('FULL', 'PROBATIONARY') "
        + _SCOPE.format(t="m", col="branch_id")
        + " WHERE a.tenant_id = :tenant_id AND a.kind = 'HEART_TO_HEART' AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :end GROUP BY m.branch_id",
    ),
    (
        "heart-to-heart talks owed after a recorded occasion",
        "SELECT g.id, g.organization_id, g.member_id, g.occurred_on, (SELECT MIN(a.held_on) FROM activity a "
        "JOIN attendance t ON t.activity_id = a.id AND t.tenant_id = a.tenant_id "
        "WHERE a.tenant_id = g.tenant_id AND a.kind = 'HEART_TO_HEART' AND a.cancelled_on IS NULL "
        "AND t.member_id = g.member_id AND t.status = 'PRESENT' AND a.held_on >= g.occurred_on) "
        "FROM talk_trigger g "
        + _SCOPE.format(t="g", col="organization_id")
        + " WHERE g.tenant_id = :tenant_id AND g.occurred_on >= :start AND g.occurred_on <= :end",
    ),
    (
        "congress quorum: full members entitled / present per meeting",
        "SELECT e.id, e.organization_id, e.held_on, e.entitled, COALESCE(p.present, 0) FROM ("
        "SELECT a.id, a.organization_id, a.held_on, COUNT(*) AS entitled FROM activity a "
        + _SCOPE.format(t="a", col="organization_id")
        + " JOIN member m ON "
        + _ROSTER
        + " WHERE a.tenant_id = :tenant_id AND a.kind = 'MEMBER_CONGRESS' AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :end GROUP BY a.id) e LEFT JOIN ("
        "SELECT a.id, COUNT(*) AS present FROM activity a "
        + _SCOPE.format(t="a", col="organization_id")
        + " JOIN attendance t ON t.tenant_id = a.tenant_id AND t.activity_id = a.id AND t.status = 'PRESENT' "
        "JOIN member m ON m.id = t.member_id AND "
        + _ROSTER
        + " WHERE a.tenant_id = :tenant_id AND a.kind = 'MEMBER_CONGRESS' AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :end GROUP BY a.id) p ON p.id = e.id",
    ),
    (
        "committee quorum: seated / present per meeting",
        "SELECT a.id, a.organization_id, a.held_on, COUNT(DISTINCT s.member_id), "
        "COUNT(DISTINCT t.member_id) FILTER (WHERE t.status = 'PRESENT') FROM activity a "
        + _SCOPE.format(t="a", col="organization_id")
        + " JOIN committee_term ct ON ct.organization_id = a.organization_id AND ct.tenant_id = a.tenant_id "
        "AND ct.starts_on <= a.held_on AND (ct.closed_on IS NULL OR ct.closed_on > a.held_on) "
        "JOIN committee_seat s ON s.term_id = ct.id AND s.tenant_id = ct.tenant_id "
        "AND s.member_id IS NOT NULL AND COALESCE(s.started_on, a.held_on) <= a.held_on "
        "AND (s.ended_on IS NULL OR s.ended_on > a.held_on) "
        "LEFT JOIN attendance t ON t.tenant_id = a.tenant_id AND t.activity_id = a.id "
        "AND t.member_id = s.member_id "
        "WHERE a.tenant_id = :tenant_id AND a.kind = 'COMMITTEE_MEETING' AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :end GROUP BY a.id",
    ),
    (
        "leaders' own-branch life meetings and lectures attended",
        "SELECT m.id, m.branch_id, COUNT(a.id) FILTER (WHERE a.kind = 'LIFE_MEETING'), "
        "COUNT(a.id) FILTER (WHERE a.kind = 'PARTY_LECTURE') FROM member m "
        + _SCOPE.format(t="m", col="branch_id")
        + " JOIN member_category c ON c.member_id = m.id AND c.tenant_id = m.tenant_id "
        "AND c.category = 'LEADER' "
        "LEFT JOIN attendance t ON t.member_id = m.id AND t.tenant_id = m.tenant_id AND t.status = 'PRESENT' "
        "LEFT JOIN activity a ON a.id = t.activity_id AND a.tenant_id = t.tenant_id "
        "AND a.organization_id = m.branch_id AND a.kind IN ('LIFE_MEETING', 'PARTY_LECTURE') "
        "AND a.cancelled_on IS NULL AND a.held_on >= :start AND a.held_on <= :as_of "
        "WHERE m.tenant_id = :tenant_id AND m.status IN ('FULL', 'PROBATIONARY') GROUP BY m.id",
    ),
    (
        "activity records incomplete per organization",
        "SELECT a.organization_id, COUNT(*), COUNT(*) FILTER (WHERE a.host_id IS NULL OR a.minutes = '' "
        "OR a.topic = '' OR NOT EXISTS (SELECT 1 FROM attendance t WHERE t.tenant_id = a.tenant_id "
        "AND t.activity_id = a.id)) FROM activity a "
        + _SCOPE.format(t="a", col="organization_id")
        + " WHERE a.tenant_id = :tenant_id AND a.cancelled_on IS NULL "
        "AND a.kind NOT IN ('HEART_TO_HEART', 'WORK_PLAN', 'WORK_SUMMARY') "
        "AND a.held_on >= :start AND a.held_on <= :end GROUP BY a.organization_id",
    ),
    (
        "latest inspection per organization and kind",
        "SELECT DISTINCT ON (i.organization_id, i.kind) i.organization_id, i.kind, i.checked_on, i.items "
        "FROM standards_inspection i "
        + _SCOPE.format(t="i", col="organization_id")
        + " WHERE i.tenant_id = :tenant_id AND i.checked_on <= :as_of "
        "ORDER BY i.organization_id, i.kind, i.checked_on DESC, i.id DESC",
    ),
    (
        "probation overdue per branch",
        "SELECT m.branch_id, COUNT(*) FROM member m "
        + _SCOPE.format(t="m", col="branch_id")
        + " LEFT JOIN development_case c ON c.member_id = m.id AND c.tenant_id = m.tenant_id "
        "AND c.status = 'OPEN' WHERE m.tenant_id = :tenant_id AND m.status = 'PROBATIONARY' "
        "AND (c.last_sequence IS NULL OR c.last_sequence < 23) "
        "AND ((c.probation_ends_on IS NOT NULL AND c.probation_ends_on < :as_of) "
        "OR (c.probation_ends_on IS NULL AND m.joined_on < :probation_due)) GROUP BY m.branch_id",
    ),
    (
        "unqualified ratings not handled per branch",
        "SELECT r.branch_id, COUNT(*), MIN(r.rated_on) FROM appraisal_rating r "
        + _SCOPE.format(t="r", col="branch_id")
        + " WHERE r.tenant_id = :tenant_id AND r.grade = 'UNQUALIFIED' AND r.rated_on < :as_of "
        "AND NOT EXISTS (SELECT 1 FROM unqualified_handling_step s WHERE s.tenant_id = r.tenant_id "
        "AND s.rating_id = r.id) GROUP BY r.branch_id",
    ),
    (
        "assessment cadence records",
        "SELECT r.organization_id, r.stage, r.period, r.held_on FROM standards_assessment r "
        + _SCOPE.format(t="r", col="organization_id")
        + " WHERE r.tenant_id = :tenant_id AND r.year = 2025",
    ),
]


async def timed_fact(label: str, statement: str, params: dict[str, Any]) -> float:
    from core import sql

    wanted = {name: value for name, value in params.items() if f":{name}" in statement}
    spent: list[float] = []
    await timed(f"SQL: {label}", sql.fetch(statement, **wanted), spent)
    return spent[0]


BENCH_SLUG = "bench-scoring"


async def setup(backend: str, branches: int, members: int, keep: bool) -> tuple[Any, int]:
    """The bench tenant and its root organization: built now, or — in a kept database that
    already holds it (``--pg-db``) — found, with the runs and jobs of earlier rounds deleted."""
    from core import sql
    from core.models import Organization, Tenant
    from core.services.tenants import create_tenant
    from core.tenancy import platform_scope, tenant_scope

    postgres = backend == "postgres"
    if keep:
        with platform_scope():
            tenant = await Tenant.filter(slug=BENCH_SLUG).first()
        if tenant is not None:
            with tenant_scope(tenant.id):
                for table in (
                    "standards_finding",
                    "standards_branch_score",
                    "standards_scoring_job",
                    "standards_score_run",
                ):
                    await sql.execute(f"DELETE FROM {table} WHERE tenant_id = :tenant_id")
                root = await Organization.get(parent_id=None)
                n = await Organization.filter(kind="BRANCH").count()
            print(f"[{backend}] reusing the kept bench tenant ({n} branches)")
            return tenant, root.id
    with platform_scope():
        slug = BENCH_SLUG if keep else f"bench-{uuid.uuid4().hex[:6]}"
        tenant = await create_tenant(slug=slug, name="压测单位")
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
    return tenant, counts["root"]


#: the role the PostgreSQL run is measured as (its own name: other benches create theirs)
APP_ROLE = "zhibu_bench_scoring_app"


async def ensure_app_role(conn: Any, role: str = APP_ROLE) -> None:
    """An application role (no superuser, no BYPASSRLS) on ``conn``'s cluster (an asyncpg
    connection), created once per cluster: the role a bench measures the app as."""
    await conn.execute(
        "DO $$ BEGIN "
        f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    )


async def bench(
    url: str, backend: str, branches: int, members: int, *, keep: bool = False, as_owner: bool = False
) -> None:
    from tortoise.transactions import in_transaction

    from core import sql
    from core.db import close_db, init_db, migrate_db
    from core.models import Organization
    from core.standards import data, engine, jobs
    from core.standards.models import ScoreRun, ScoringJob
    from core.standards.rules.life import ThemedDayAttendanceLow
    from core.tenancy import tenant_scope

    METER.install()
    postgres = backend == "postgres"
    if postgres and not as_owner:
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            await ensure_app_role(conn)
        finally:
            await conn.close()
        await migrate_db(url, app_role=APP_ROLE)
    else:
        await migrate_db(url)
    await init_db(url)
    try:
        tenant, root_id = await setup(backend, branches, members, keep)
        if postgres and not as_owner:  # measured as the application runs: a role under RLS
            await close_db()
            scheme, rest = url.split("://", 1)
            await init_db(f"{scheme}://{APP_ROLE}@{rest.rsplit('@', 1)[-1]}")
            print(f"  connected as {APP_ROLE} (no superuser, no BYPASSRLS: row-level security applies)")
        elif postgres:
            print("  connected as the tables' owner / superuser (row-level security bypassed)")
        with tenant_scope(tenant.id):
            start_day, end_day = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
            today = dt.date(YEAR + 1, 3, 1)

            print("  old floor (four of the facts, kept to compare with earlier figures):")
            ctx = await engine.make_context(tenant, None, start_day, end_day, today=today)
            floor: list[float] = []
            await timed("SQL: members per branch (GROUP BY branch)", data.member_counts(ctx), floor)
            # the statement stop 18 ran (data.activity_dates has changed since), raw
            await timed(
                "SQL: activities per org/kind/day (GROUP BY, whole year)",
                sql.fetch(
                    "SELECT a.organization_id AS org_id, a.kind AS kind, a.held_on AS held_on, "
                    "COUNT(*) AS n FROM activity a JOIN organization o ON o.id = a.organization_id "
                    "AND o.tenant_id = a.tenant_id WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix "
                    "AND a.cancelled_on IS NULL AND a.held_on >= :start AND a.held_on <= :end "
                    "GROUP BY a.organization_id, a.kind, a.held_on",
                    prefix="/%",
                    start=start_day,
                    end=dt.date(YEAR + 1, 3, 1),
                ),
                floor,
            )
            await timed(
                "SQL: themed-day attendance avg per branch", ThemedDayAttendanceLow().evaluate(ctx), floor
            )
            await timed("SQL: committee terms with seat aggregates", data.live_terms(ctx), floor)
            old_floor = sum(floor)
            print(f"  {'old SQL floor (sum of the above)':<58} {old_floor:8.2f} s")
            sql_floor = 0.0
            if postgres:
                print("  honest floor: one raw aggregate per fact the rules read:")
            else:  # written in PostgreSQL's SQL (array_agg, jsonb, DISTINCT ON, string_agg)
                print("  honest floor: PostgreSQL only")
            params = {
                "prefix": "/%",
                "start": start_day,
                "end": end_day,
                "ext_end": dt.date(YEAR + 1, 3, 1),
                "as_of": end_day,
                "probation_due": dt.date(YEAR - 1, 12, 31),
            }
            for label, statement in FLOOR if postgres else ():
                sql_floor += await timed_fact(label, statement, params)
            if postgres:
                print(f"  {'honest SQL floor (sum of the above)':<58} {sql_floor:8.2f} s")

            ctx = await engine.make_context(tenant, None, start_day, end_day, today=today)
            findings = await timed("live evaluation of every rule (whole tenant)", engine.evaluate(ctx))
            root = await Organization.get(id=root_id)
            spent: list[float] = []
            store_run = engine.store_run

            async def timed_store(*args: Any, **kwargs: Any) -> Any:  # the storing part, on its own line
                return await timed("  of which storing the run (store_run)", store_run(*args, **kwargs))

            engine.store_run = timed_store
            try:
                async with in_transaction():
                    run = await timed(
                        "stored score run (runScoring: evaluate + score + store)",
                        engine.run_scoring(tenant, root, start_day, end_day, run_by="bench", today=today),
                        spent,
                    )
            finally:
                engine.store_run = store_run
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
            if postgres:
                print(
                    f"  ratio to the honest SQL floor ({sql_floor:.2f} s): "
                    f"runScoring ×{spent[0] / sql_floor:.1f}, job ×{spent[1] / sql_floor:.1f}"
                )
            print(
                f"  ratio to the old SQL floor ({old_floor:.2f} s): "
                f"runScoring ×{spent[0] / old_floor:.1f}, job ×{spent[1] / old_floor:.1f}"
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
                    *(["--code", args.code] if args.code else []),
                    *(["--as-owner"] if args.as_owner else []),
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
            name = args.pg_db or f"zhibu_bench_{uuid.uuid4().hex[:8]}"
            pg = admin.replace("postgres://", "postgresql://", 1)
            conn = await asyncpg.connect(pg)
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.close()
            try:
                url = admin.rsplit("/", 1)[0] + "/" + name
                await bench(
                    url, backend, args.branches, args.members, keep=bool(args.pg_db), as_owner=args.as_owner
                )
            finally:
                if not args.pg_db:
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
    parser.add_argument(
        "--pg-db",
        help="PostgreSQL database to keep the data in: built on the first run, reused (not rebuilt) "
        "by later runs — e.g. to compare two versions of the code on the same data",
    )
    parser.add_argument("--code", help="import zhibu from this directory (e.g. a worktree of the base)")
    parser.add_argument(
        "--as-owner",
        action="store_true",
        help="measure PostgreSQL as the superuser that built the data (row-level security bypassed, "
        "as the bench did up to stop 18) instead of as an application role",
    )
    asyncio.run(main(parser.parse_args()))
