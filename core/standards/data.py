"""The SQL aggregates rules rest on, computed once per evaluation (memoized on the context).

Every function reads the whole scope (a path prefix) in one statement grouped by branch, party
group, term or activity — never a query per branch. Results are plain dicts keyed by id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise.expressions import Q

from core import sql
from core.models import Organization
from core.standards.api import RuleContext
from core.standards.models import Inspection

T = TypeVar("T")

CURRENT = ("FULL", "PROBATIONARY")


def as_date(value: Any) -> dt.date:
    """A date from a DB value (SQLite returns ISO strings from raw queries)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (clamped to the month's last day)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


async def memo(ctx: RuleContext, key: str, compute: Callable[[], Awaitable[T]]) -> T:
    """``compute()`` once per evaluation context — also when rules evaluated concurrently ask for
    the same facts at once: the first starts the load, the others wait for that same load."""
    entry = ctx.cache.get(key)
    if entry is None:
        entry = ctx.cache[key] = asyncio.ensure_future(compute())
    return await entry


def prefix(ctx: RuleContext) -> str:
    """LIKE pattern of the scope (paths hold only digits and slashes)."""
    return ctx.scope_path + "%"


@dataclass(frozen=True)
class OrgInfo:
    id: int
    kind: str
    name: str
    path: str
    parent_id: int | None
    established_on: dt.date | None
    covered_units: tuple[str, ...]
    leader_id: int | None
    extra: dict


def _live(ctx: RuleContext) -> Q:
    return Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=ctx.as_of)


async def _orgs(ctx: RuleContext, kinds: frozenset[str]) -> dict[int, OrgInfo]:
    rows = await Organization.filter(
        _live(ctx), path__startswith=ctx.scope_path, kind__in=sorted(kinds)
    ).values(
        "id", "kind", "name", "path", "parent_id", "established_on", "covered_units", "leader_id", "extra"
    )
    return {
        r["id"]: OrgInfo(
            id=r["id"],
            kind=r["kind"],
            name=r["name"],
            path=r["path"],
            parent_id=r["parent_id"],
            established_on=r["established_on"],
            covered_units=tuple(r["covered_units"] or ()),
            leader_id=r["leader_id"],
            extra=r["extra"] or {},
        )
        for r in rows
    }


async def orgs_of_kinds(ctx: RuleContext, kinds: frozenset[str]) -> dict[int, OrgInfo]:
    """Live organizations of ``kinds`` in the scope (memoized per set of kinds)."""
    return await memo(ctx, f"orgs:{sorted(kinds)}", lambda: _orgs(ctx, kinds))


async def branches(ctx: RuleContext) -> dict[int, OrgInfo]:
    """Live branch-like organizations (BRANCH, JOINT_BRANCH, TEMPORARY_BRANCH, plugin kinds)."""
    return await memo(ctx, "branches", lambda: _orgs(ctx, ctx.vocabulary.branch_kinds()))


async def party_groups(ctx: RuleContext) -> dict[int, OrgInfo]:
    """Live party groups inside live branches of the scope (parent_id is the branch)."""

    async def compute() -> dict[int, OrgInfo]:
        live_branches = await branches(ctx)
        groups = await _orgs(ctx, frozenset({"PARTY_GROUP"}))
        return {gid: g for gid, g in groups.items() if g.parent_id in live_branches}

    return await memo(ctx, "party_groups", compute)


@dataclass(frozen=True)
class Counts:
    members: int = 0
    full: int = 0


async def member_counts(ctx: RuleContext) -> dict[int, Counts]:
    """Current members (full and probationary) and full members per branch."""

    async def compute() -> dict[int, Counts]:
        rows = await sql.fetch(
            "SELECT m.branch_id AS org_id, COUNT(*) AS members, "
            "SUM(CASE WHEN m.status = 'FULL' THEN 1 ELSE 0 END) AS full_members "
            "FROM member m JOIN organization o ON o.id = m.branch_id AND o.tenant_id = m.tenant_id "
            "WHERE m.tenant_id = :tenant_id AND o.path LIKE :prefix "
            "AND m.status IN ('FULL', 'PROBATIONARY') GROUP BY m.branch_id",
            prefix=prefix(ctx),
        )
        return {r["org_id"]: Counts(int(r["members"]), int(r["full_members"] or 0)) for r in rows}

    return await memo(ctx, "member_counts", compute)


async def group_member_counts(ctx: RuleContext) -> dict[int, Counts]:
    """Current members and full members per party group."""

    async def compute() -> dict[int, Counts]:
        rows = await sql.fetch(
            "SELECT m.party_group_id AS org_id, COUNT(*) AS members, "
            "SUM(CASE WHEN m.status = 'FULL' THEN 1 ELSE 0 END) AS full_members "
            "FROM member m JOIN organization o ON o.id = m.party_group_id AND o.tenant_id = m.tenant_id "
            "WHERE m.tenant_id = :tenant_id AND o.path LIKE :prefix "
            "AND m.status IN ('FULL', 'PROBATIONARY') GROUP BY m.party_group_id",
            prefix=prefix(ctx),
        )
        return {r["org_id"]: Counts(int(r["members"]), int(r["full_members"] or 0)) for r in rows}

    return await memo(ctx, "group_member_counts", compute)


async def group_leaders_in_group(ctx: RuleContext) -> set[int]:
    """Party groups whose leader is a current member of that group."""

    async def compute() -> set[int]:
        rows = await sql.fetch(
            "SELECT o.id AS org_id FROM organization o JOIN member m "
            "ON m.id = o.leader_id AND m.tenant_id = o.tenant_id "
            "WHERE o.tenant_id = :tenant_id AND o.path LIKE :prefix AND o.kind = 'PARTY_GROUP' "
            "AND m.party_group_id = o.id AND m.status IN ('FULL', 'PROBATIONARY')",
            prefix=prefix(ctx),
        )
        return {r["org_id"] for r in rows}

    return await memo(ctx, "group_leaders", compute)


@dataclass(frozen=True)
class TermInfo:
    term_id: int
    organization_id: int
    kind: str
    sector: str | None
    name: str
    starts_on: dt.date
    ends_on: dt.date
    seats: int
    people: int
    secretaries: int
    discipline: int
    vacant: int
    vacant_roles: tuple[str, ...]


async def live_terms(ctx: RuleContext) -> dict[int, TermInfo]:
    """The live committee term of each organization of the scope, with seat aggregates."""

    async def compute() -> dict[int, TermInfo]:
        filled = "s.member_id IS NOT NULL AND s.ended_on IS NULL"
        rows = await sql.fetch(
            "SELECT t.id AS term_id, t.organization_id AS org_id, o.kind AS kind, o.sector AS sector, "
            "o.name AS name, "
            "t.starts_on AS starts_on, "
            "t.ends_on AS ends_on, "
            "SUM(CASE WHEN s.id IS NOT NULL AND s.ended_on IS NULL THEN 1 ELSE 0 END) AS seats, "
            f"COUNT(DISTINCT CASE WHEN {filled} THEN s.member_id END) AS people, "
            f"SUM(CASE WHEN {filled} AND s.role = 'SECRETARY' THEN 1 ELSE 0 END) AS secretaries, "
            f"SUM(CASE WHEN {filled} AND s.role = 'DISCIPLINE' THEN 1 ELSE 0 END) AS discipline, "
            "SUM(CASE WHEN s.id IS NOT NULL AND s.member_id IS NULL AND s.ended_on IS NULL "
            "THEN 1 ELSE 0 END) AS vacant "
            "FROM committee_term t "
            "JOIN organization o ON o.id = t.organization_id AND o.tenant_id = t.tenant_id "
            "LEFT JOIN committee_seat s ON s.term_id = t.id AND s.tenant_id = t.tenant_id "
            "WHERE t.tenant_id = :tenant_id AND o.path LIKE :prefix AND t.closed_on IS NULL "
            "AND o.dissolved_on IS NULL "
            "GROUP BY t.id, t.organization_id, o.kind, o.sector, o.name, t.starts_on, t.ends_on",
            prefix=prefix(ctx),
        )
        vacant_rows = await sql.fetch(
            "SELECT t.organization_id AS org_id, s.role AS role FROM committee_seat s "
            "JOIN committee_term t ON t.id = s.term_id AND t.tenant_id = s.tenant_id "
            "JOIN organization o ON o.id = t.organization_id AND o.tenant_id = t.tenant_id "
            "WHERE s.tenant_id = :tenant_id AND o.path LIKE :prefix AND t.closed_on IS NULL "
            "AND s.member_id IS NULL AND s.ended_on IS NULL",
            prefix=prefix(ctx),
        )
        roles: dict[int, list[str]] = defaultdict(list)
        for r in vacant_rows:
            roles[r["org_id"]].append(r["role"])
        return {
            r["org_id"]: TermInfo(
                term_id=r["term_id"],
                organization_id=r["org_id"],
                kind=r["kind"],
                sector=r["sector"] or None,
                name=r["name"],
                starts_on=as_date(r["starts_on"]),
                ends_on=as_date(r["ends_on"]),
                seats=int(r["seats"] or 0),
                people=int(r["people"] or 0),
                secretaries=int(r["secretaries"] or 0),
                discipline=int(r["discipline"] or 0),
                vacant=int(r["vacant"] or 0),
                vacant_roles=tuple(sorted(roles.get(r["org_id"], ()))),
            )
            for r in rows
        }

    return await memo(ctx, "live_terms", compute)


async def activity_dates(
    ctx: RuleContext, start: dt.date, end: dt.date
) -> dict[tuple[int, str], list[dt.date]]:
    """Dates of the (not cancelled) activities per (organization, kind) in [start, end], one entry
    per activity, sorted (on PostgreSQL one ``array_agg`` per organization and kind; on SQLite
    grouped by organization, kind and day)."""

    scope = (
        "FROM activity a JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
        "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.cancelled_on IS NULL "
        "AND a.held_on >= :start AND a.held_on <= :end "
    )

    async def compute() -> dict[tuple[int, str], list[dt.date]]:
        if sql.dialect() == "postgres":  # one row per (organization, kind): its days as a sorted array
            rows = await sql.fetch(
                "SELECT a.organization_id AS org_id, a.kind AS kind, "
                f"array_agg(a.held_on ORDER BY a.held_on) AS days {scope}"
                "GROUP BY a.organization_id, a.kind",
                prefix=prefix(ctx),
                start=start,
                end=end,
            )
            return {(r["org_id"], r["kind"]): list(r["days"]) for r in rows}
        rows = await sql.fetch(
            "SELECT a.organization_id AS org_id, a.kind AS kind, a.held_on AS held_on, COUNT(*) AS n "
            f"{scope}GROUP BY a.organization_id, a.kind, a.held_on",
            prefix=prefix(ctx),
            start=start,
            end=end,
        )
        dates: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
        days: dict[Any, dt.date] = {}  # a year has few distinct days: parse each once
        for r in rows:
            raw = r["held_on"]
            day = days.get(raw) or days.setdefault(raw, as_date(raw))
            dates[(r["org_id"], r["kind"])].extend([day] * int(r["n"]))
        for value in dates.values():
            value.sort()
        return dict(dates)

    return await memo(ctx, f"activity_dates:{start}:{end}", compute)


async def attendance_by_activity(
    ctx: RuleContext, kind: str, start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], list[tuple[int, int]]]:
    """(present, entitled) of each activity of ``kind`` per (organization, day)."""

    async def compute() -> dict[tuple[int, dt.date], list[tuple[int, int]]]:
        rows = await sql.fetch(
            "SELECT a.organization_id AS org_id, a.held_on AS held_on, COUNT(t.id) AS entitled, "
            "SUM(CASE WHEN t.status = 'PRESENT' THEN 1 ELSE 0 END) AS present "
            "FROM activity a JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
            "JOIN attendance t ON t.activity_id = a.id AND t.tenant_id = a.tenant_id "
            "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.cancelled_on IS NULL "
            "AND a.kind = :kind AND a.held_on >= :start AND a.held_on <= :end "
            "GROUP BY a.id, a.organization_id, a.held_on",
            prefix=prefix(ctx),
            kind=kind,
            start=start,
            end=end,
        )
        result: dict[tuple[int, dt.date], list[tuple[int, int]]] = defaultdict(list)
        for r in rows:
            result[(r["org_id"], as_date(r["held_on"]))].append((int(r["present"] or 0), int(r["entitled"])))
        return dict(result)

    return await memo(ctx, f"attendance:{kind}:{start}:{end}", compute)


async def heart_to_heart_reached(ctx: RuleContext, start: dt.date, end: dt.date) -> dict[int, int]:
    """Per branch: current members who took part (PRESENT) in a heart-to-heart talk in [start, end]."""

    async def compute() -> dict[int, int]:
        rows = await sql.fetch(
            "SELECT m.branch_id AS org_id, COUNT(DISTINCT m.id) AS reached "
            "FROM activity a CROSS JOIN attendance t CROSS JOIN member m CROSS JOIN organization o "
            "WHERE a.tenant_id = :tenant_id AND a.kind = 'HEART_TO_HEART' AND a.cancelled_on IS NULL "
            "AND t.activity_id = a.id AND t.tenant_id = a.tenant_id AND t.status = 'PRESENT' "
            "AND m.id = t.member_id AND m.tenant_id = t.tenant_id AND m.status IN ('FULL', 'PROBATIONARY') "
            "AND o.id = m.branch_id AND o.tenant_id = m.tenant_id AND o.path LIKE :prefix "
            "AND a.held_on >= :start AND a.held_on <= :end GROUP BY m.branch_id",
            prefix=prefix(ctx),
            start=start,
            end=end,
        )
        return {r["org_id"]: int(r["reached"]) for r in rows}

    return await memo(ctx, f"h2h:{start}:{end}", compute)


async def latest_inspections(ctx: RuleContext, kind: str) -> dict[int, tuple[dt.date, list[str]]]:
    """The latest inspection of ``kind`` (on or before the judging day) per organization."""

    async def compute() -> dict[int, tuple[dt.date, list[str]]]:
        rows = (
            await Inspection.filter(
                kind=kind, checked_on__lte=ctx.as_of, organization__path__startswith=ctx.scope_path
            )
            .order_by("organization_id", "-checked_on", "-id")
            .values("organization_id", "checked_on", "items")
        )
        latest: dict[int, tuple[dt.date, list[str]]] = {}
        for r in rows:
            latest.setdefault(r["organization_id"], (r["checked_on"], list(r["items"] or [])))
        return latest

    return await memo(ctx, f"inspections:{kind}", compute)


async def setup_reviewed(ctx: RuleContext, since: dt.date) -> set[int]:
    """Branches covered by an annual setup review (of the branch or an ancestor) after ``since``.

    One query for the reviewed organizations; coverage is read off each branch's path.
    """

    async def compute() -> set[int]:
        rows = await sql.fetch(
            "SELECT DISTINCT i.organization_id AS org_id FROM standards_inspection i "
            "WHERE i.tenant_id = :tenant_id AND i.kind = 'SETUP_REVIEW' "
            "AND i.checked_on > :since AND i.checked_on <= :as_of",
            since=since,
            as_of=ctx.as_of,
        )
        reviewed = {r["org_id"] for r in rows}
        return {
            b.id
            for b in (await branches(ctx)).values()
            if any(int(part) in reviewed for part in b.path.strip("/").split("/") if part)
        }

    return await memo(ctx, f"setup_reviewed:{since}", compute)
