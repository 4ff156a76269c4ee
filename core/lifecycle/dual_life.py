"""Leaders' dual organizational life (双重组织生活).

The seed: leadership members are placed in a branch and take part as ordinary members in its
organizational life meeting (组织生活会), and give party lectures (党课). A member of category
``LEADER`` (党员领导干部) is counted from the recorded attendance: activities of their own branch
(where they are on the roster) of kind ``LIFE_MEETING`` and ``PARTY_LECTURE`` marked PRESENT. The
required numbers are ``dual_life.life_meetings_per_year`` (1) and ``dual_life.party_lectures_per_year``
(4, once a quarter); a window shorter than a year asks its share of whole months elapsed (rounded
down). The rule ``LEADER_DUAL_LIFE_MISSED`` flags a leader below either number; a reminder letter
(提醒函, :class:`LeaderReminderLetter`) records that the leader was reminded.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from core import audit, sql
from core.error_codes import DualLifeErrorCode
from core.errors import DomainError
from core.lifecycle.dates import today
from core.lifecycle.models import LeaderReminderLetter
from core.models import MemberCategory
from core.services.members import member_and_branch
from core.services.tenants import current_tenant
from core.tenant_config import effective_config

LEADER = MemberCategory.LEADER.value
LIFE_MEETING = "LIFE_MEETING"
PARTY_LECTURE = "PARTY_LECTURE"


def months_elapsed(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` (a month's first day or later) to ``end`` inclusive."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day == calendar.monthrange(end.year, end.month)[1]:
        months += 1
    return max(0, min(months, 12 * (end.year - start.year + 1)))


@dataclass(frozen=True)
class Requirement:
    life_meetings: int
    party_lectures: int


def requirement(config: dict[str, Any], start: dt.date, end: dt.date) -> Requirement:
    """What a leader must have attended between ``start`` and ``end``."""
    section = config["dual_life"]
    months = months_elapsed(start, end)
    return Requirement(
        life_meetings=int(section["life_meetings_per_year"] * months // 12),
        party_lectures=int(section["party_lectures_per_year"] * months // 12),
    )


async def leader_attendance(
    start: dt.date, end: dt.date, *, prefix: str | None = None, member_id: int | None = None
) -> list[dict[str, Any]]:
    """Leaders on a branch roster (under ``prefix``, or one member) with the life meetings and party
    lectures of their own branch they attended between ``start`` and ``end``."""
    where = "o.path LIKE :prefix" if member_id is None else "m.id = :member_id"
    params: dict[str, Any] = {"start": start, "end": end, "leader": LEADER}
    if member_id is None:
        params["prefix"] = prefix or "/%"
    else:
        params["member_id"] = member_id
    rows = await sql.fetch(
        "SELECT m.id AS member_id, m.branch_id AS org_id, m.name AS name, "
        f"SUM(CASE WHEN a.kind = '{LIFE_MEETING}' THEN 1 ELSE 0 END) AS life, "
        f"SUM(CASE WHEN a.kind = '{PARTY_LECTURE}' THEN 1 ELSE 0 END) AS lectures "
        "FROM member m JOIN organization o ON o.id = m.branch_id AND o.tenant_id = m.tenant_id "
        "JOIN member_category c ON c.member_id = m.id AND c.tenant_id = m.tenant_id AND c.category = :leader "
        "LEFT JOIN attendance t ON t.member_id = m.id AND t.tenant_id = m.tenant_id AND t.status = 'PRESENT' "
        "LEFT JOIN activity a ON a.id = t.activity_id AND a.tenant_id = t.tenant_id "
        f"AND a.organization_id = m.branch_id AND a.kind IN ('{LIFE_MEETING}', '{PARTY_LECTURE}') "
        "AND a.cancelled_on IS NULL AND a.held_on >= :start AND a.held_on <= :end "
        f"WHERE m.tenant_id = :tenant_id AND {where} AND m.status IN ('FULL', 'PROBATIONARY') "
        "GROUP BY m.id, m.branch_id, m.name ORDER BY m.name, m.id",
        **params,
    )
    return [
        {
            "member_id": r["member_id"],
            "org_id": r["org_id"],
            "name": r["name"],
            "life_meetings": int(r["life"] or 0),
            "party_lectures": int(r["lectures"] or 0),
        }
        for r in rows
    ]


def skipped(row: dict[str, Any], need: Requirement) -> bool:
    return row["life_meetings"] < need.life_meetings or row["party_lectures"] < need.party_lectures


def year_window(year: int, until: dt.date) -> tuple[dt.date, dt.date]:
    """``year`` from 1 January up to ``until`` (or its end); ``INVALID_INPUT`` for a year that is
    not a calendar year zhibu keeps (found by the schemathesis fuzzing)."""
    from core.years import check_year

    check_year(year)
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), until)


async def issue_letter(
    member_id: int, *, year: int, issued_on: dt.date, issued_by: str, notes: str = ""
) -> LeaderReminderLetter:
    """Record a reminder letter to a leader who skipped their branch's organizational life in ``year``
    (judged from 1 January to the day of the letter)."""
    member, branch = await member_and_branch(member_id)
    if issued_on > today():
        raise DomainError(DualLifeErrorCode.LEADER_LETTER_DATE_IN_FUTURE, field="issuedOn")
    if not 2000 <= year <= issued_on.year:
        raise DomainError(DualLifeErrorCode.LEADER_LETTER_YEAR_INVALID, field="year", year=year)
    if not issued_by.strip():
        raise DomainError(DualLifeErrorCode.LEADER_LETTER_ISSUER_REQUIRED, field="issuedBy")
    start, end = year_window(year, issued_on)
    (row,) = await leader_attendance(start, end, member_id=member.id) or (None,)
    if row is None:
        raise DomainError(DualLifeErrorCode.LEADER_NOT_A_LEADER, field="memberId", name=member.name)
    need = requirement(effective_config(await current_tenant()), start, end)
    if not skipped(row, need):
        raise DomainError(
            DualLifeErrorCode.LEADER_DID_NOT_SKIP,
            field="memberId",
            name=member.name,
            year=year,
            life_meetings=row["life_meetings"],
            party_lectures=row["party_lectures"],
        )
    if await LeaderReminderLetter.filter(member_id=member.id, year=year).exists():
        raise DomainError(
            DualLifeErrorCode.LEADER_LETTER_ALREADY_ISSUED, field="year", name=member.name, year=year
        )
    letter = await LeaderReminderLetter.create(
        member_id=member.id,
        branch_id=branch.id,
        year=year,
        issued_on=issued_on,
        issued_by=issued_by.strip(),
        life_meetings_attended=row["life_meetings"],
        life_meetings_required=need.life_meetings,
        party_lectures_attended=row["party_lectures"],
        party_lectures_required=need.party_lectures,
        notes=notes.strip(),
    )
    audit.created(letter)
    return letter
