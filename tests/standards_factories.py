"""Builders for standardization tests: a branch that meets every core rule for a year, and the
pieces to break it. Rows are written directly (under the tenant's scope); the engine is then
exercised through GraphQL."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
from dataclasses import dataclass, field

from core.models import Activity, Attendance, CommitteeSeat, CommitteeTerm, Member, Organization
from core.services.organizations import create_organization
from core.standards.models import Inspection
from core.tenancy import tenant_scope

YEAR = 2025
_names = itertools.count(1)

VENUE_ITEMS = ["ROOM", "EMBLEM", "FLAG", "OATH", "RULES", "IDENTITY_PUBLIC", "AFFAIRS_PUBLIC"]
RECORDS_ITEMS = ["BOOKS", "BOXES", "KEEPER"]


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def db_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


@dataclass
class BranchKit:
    """A branch and what was built for it."""

    tenant_id: int
    branch: Organization
    members: list[Member] = field(default_factory=list)
    term: CommitteeTerm | None = None
    seats: dict[str, CommitteeSeat] = field(default_factory=dict)
    groups: list[Organization] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.branch.id

    @property
    def gid(self) -> str:
        return gid("Organization", self.branch.id)


async def org(tenant_id: int, kind: str, name: str, parent: Organization | None = None, **kw) -> Organization:
    with tenant_scope(tenant_id):
        return await create_organization(kind=kind, name=name, parent_id=parent.id if parent else None, **kw)


async def add_members(
    tenant_id: int,
    branch: Organization,
    count: int,
    *,
    status: str = "FULL",
    group: Organization | None = None,
    joined_on: dt.date | None = None,
) -> list[Member]:
    with tenant_scope(tenant_id):
        rows = []
        for _ in range(count):
            rows.append(
                await Member.create(
                    name=f"党员{next(_names)}",
                    status=status,
                    branch_id=branch.id,
                    party_group_id=group.id if group else None,
                    joined_on=joined_on or dt.date(2010, 7, 1),
                )
            )
        return rows


async def committee(
    tenant_id: int,
    organization: Organization,
    people: dict[str, Member | None],
    *,
    starts_on: dt.date = dt.date(YEAR - 1, 6, 1),
    ends_on: dt.date = dt.date(YEAR + 2, 5, 31),
) -> tuple[CommitteeTerm, dict[str, CommitteeSeat]]:
    """A live term with a seat per role (None = vacant seat)."""
    with tenant_scope(tenant_id):
        term = await CommitteeTerm.create(
            organization_id=organization.id,
            starts_on=starts_on,
            ends_on=ends_on,
            seat_count=len(people),
            live_organization_id=organization.id,
        )
        seats = {}
        for role, member in people.items():
            seats[role] = await CommitteeSeat.create(
                term_id=term.id,
                role=role.split(":")[0],
                member_id=member.id if member else None,
                started_on=starts_on if member else None,
            )
        return term, seats


#: The default “4+X” required parts (core/tenant_config.py activities.themed_day_required_parts).
THEMED_DAY_PARTS = ("OATH", "STUDY", "DUES", "SERVICE")


async def activity(
    tenant_id: int,
    organization: Organization,
    kind: str,
    held_on: dt.date,
    present: list[Member],
    absent: list[Member] = (),  # type: ignore[assignment]
    *,
    host: Member | None = None,
    minutes: str = "会议记录",
    topic: str = "学习",
    parts: list[str] | None = None,
) -> Activity:
    """An activity with its attendance; a themed party day does the four default required parts
    (``parts`` overrides)."""
    if parts is None and kind == "THEMED_PARTY_DAY":
        parts = list(THEMED_DAY_PARTS)
    with tenant_scope(tenant_id):
        row = await Activity.create(
            organization_id=organization.id,
            kind=kind,
            held_on=held_on,
            topic=topic,
            host_id=(host or (present[0] if present else None)).id if (host or present) else None,
            minutes=minutes,
            extra={"parts": parts} if parts else {},
        )
        await Attendance.bulk_create(
            [Attendance(activity_id=row.id, member_id=m.id, status="PRESENT") for m in present]
            + [Attendance(activity_id=row.id, member_id=m.id, status="ABSENT") for m in absent]
        )
        return row


async def inspection(
    tenant_id: int, organization: Organization, kind: str, items: list[str], on: dt.date
) -> None:
    with tenant_scope(tenant_id):
        await Inspection.create(organization_id=organization.id, kind=kind, checked_on=on, items=items)


async def year_of_life(
    tenant_id: int,
    kit: BranchKit,
    year: int = YEAR,
    *,
    skip: set[tuple[str, int]] = frozenset(),  # type: ignore[assignment]
    themed_day: int = 20,
    extra_kinds: dict[str, str] | None = None,
) -> None:
    """Every expected activity of ``year`` held on time with everyone present.

    ``skip`` holds (kind, month) pairs to leave out (month 0 = the yearly kinds); ``extra_kinds``
    (plugin kind -> period) are held once in every slot of their period, two days after it starts.
    """
    from core.standards.calendar import slots

    for kind, period in (extra_kinds or {}).items():
        for slot in slots(period, dt.date(year, 1, 1), dt.date(year, 12, 31)):
            day = min(slot.start + dt.timedelta(days=2), slot.end)
            if (kind, day.month) not in skip and (kind, 0) not in skip:
                await activity(tenant_id, kit.branch, kind, day, kit.members)
    everyone = kit.members
    board = [s for s in kit.seats.values() if s.member_id] if kit.seats else []
    board_members = [m for m in everyone if m.id in {s.member_id for s in board}] or everyone[:1]
    for month in range(1, 13):
        if ("COMMITTEE_MEETING", month) not in skip:
            await activity(
                tenant_id, kit.branch, "COMMITTEE_MEETING", dt.date(year, month, 10), board_members
            )
        if ("THEMED_PARTY_DAY", month) not in skip:
            await activity(
                tenant_id, kit.branch, "THEMED_PARTY_DAY", dt.date(year, month, themed_day), everyone
            )
        for group in kit.groups:
            if ("GROUP_MEETING", month) not in skip:
                members = [m for m in everyone if m.party_group_id == group.id]
                await activity(tenant_id, group, "GROUP_MEETING", dt.date(year, month, 12), members)
        if month % 3 == 2:
            if ("MEMBER_CONGRESS", month) not in skip:
                await activity(tenant_id, kit.branch, "MEMBER_CONGRESS", dt.date(year, month, 15), everyone)
            if ("PARTY_LECTURE", month) not in skip:
                await activity(tenant_id, kit.branch, "PARTY_LECTURE", dt.date(year, month, 16), everyone)
    if ("LIFE_MEETING", 0) not in skip:
        await activity(tenant_id, kit.branch, "LIFE_MEETING", dt.date(year, 12, 15), everyone)
    if ("DEMOCRATIC_APPRAISAL", 0) not in skip:
        await activity(tenant_id, kit.branch, "DEMOCRATIC_APPRAISAL", dt.date(year, 12, 16), everyone)
    if ("WORK_PLAN", 0) not in skip:
        await activity(tenant_id, kit.branch, "WORK_PLAN", dt.date(year, 1, 10), [], host=kit.members[0])
    if ("WORK_SUMMARY", 0) not in skip:
        await activity(tenant_id, kit.branch, "WORK_SUMMARY", dt.date(year, 12, 20), [], host=kit.members[0])
    if ("HEART_TO_HEART", 0) not in skip:
        await activity(tenant_id, kit.branch, "HEART_TO_HEART", dt.date(year, 11, 1), everyone, minutes="")


async def compliant_branch(
    tenant_id: int,
    parent: Organization | None,
    *,
    full: int = 8,
    groups: int = 0,
    name: str | None = None,
    year: int = YEAR,
    life: bool = True,
    skip: set[tuple[str, int]] = frozenset(),  # type: ignore[assignment]
    term_years: int = 3,
    inspections: bool = True,
    extra_kinds: dict[str, str] | None = None,
    secretary: bool = True,
    sector: str | None = None,
) -> BranchKit:
    """A branch meeting every core rule for ``year``: members, committee, activities, inspections.

    ``term_years`` is the length of its live term; a ``VILLAGE`` or ``COMMUNITY`` ``sector`` needs 5."""
    branch = await org(tenant_id, "BRANCH", name or f"第{next(_names)}党支部", parent, sector=sector)
    kit = BranchKit(tenant_id, branch)
    if groups:
        per_group = full // groups
        for g in range(groups):
            group = await org(tenant_id, "PARTY_GROUP", f"{branch.name}第{g + 1}党小组", branch)
            kit.groups.append(group)
            count = per_group if g < groups - 1 else full - per_group * (groups - 1)
            kit.members += await add_members(tenant_id, branch, count, group=group)
            with tenant_scope(tenant_id):
                group.leader_id = kit.members[-1].id
                await group.save(update_fields=["leader_id"])
    else:
        kit.members = await add_members(tenant_id, branch, full)
    roles = {"SECRETARY": kit.members[0] if secretary else None, "DISCIPLINE": kit.members[1]}
    if full >= 7:
        roles["ORGANIZATION"] = kit.members[2]
    starts_on = dt.date(year - 1, 6, 1)
    kit.term, kit.seats = await committee(
        tenant_id, branch, roles, starts_on=starts_on, ends_on=dt.date(year - 1 + term_years, 5, 31)
    )
    if inspections:
        await inspection(tenant_id, branch, "SETUP_REVIEW", [], dt.date(year, 3, 1))
        await inspection(tenant_id, branch, "VENUE", VENUE_ITEMS, dt.date(year, 3, 1))
        await inspection(tenant_id, branch, "RECORDS", RECORDS_ITEMS, dt.date(year, 3, 1))
    if life:
        await year_of_life(tenant_id, kit, year, skip=skip, extra_kinds=extra_kinds)
    return kit


#: The committee cadence of YEAR recorded on time by :func:`committee_root`: (stage, period, held on).
CADENCE = (
    ("DEPLOYMENT", f"{YEAR}", dt.date(YEAR, 1, 15)),
    ("QUARTERLY_CHECK", f"{YEAR}-Q1", dt.date(YEAR, 3, 25)),
    ("QUARTERLY_CHECK", f"{YEAR}-Q2", dt.date(YEAR, 6, 24)),
    ("HALF_YEAR_REVIEW", f"{YEAR}-H1", dt.date(YEAR, 6, 28)),
    ("QUARTERLY_CHECK", f"{YEAR}-Q3", dt.date(YEAR, 9, 24)),
    ("QUARTERLY_CHECK", f"{YEAR}-Q4", dt.date(YEAR, 12, 20)),
    ("YEAR_END_ASSESSMENT", f"{YEAR}", dt.date(YEAR, 12, 28)),
)


async def record_cadence(tenant_id: int, committee: Organization, year: int = YEAR) -> None:
    """The committee's assessment cadence of ``year`` (年初部署、季度检查、半年点评、年终考核), on time."""
    from core.standards.models import AssessmentRecord

    with tenant_scope(tenant_id):
        for stage, period, held_on in CADENCE:
            await AssessmentRecord.create(
                organization_id=committee.id,
                stage=stage,
                year=year,
                period=period.replace(str(YEAR), str(year)),
                held_on=held_on.replace(year=year),
                summary=f"{committee.name}{period}",
            )


async def committee_root(tenant_id: int, name: str = "机关党委", *, cadence: bool = True) -> Organization:
    """A root 党委; with ``cadence`` its YEAR's assessment cadence is recorded on time."""
    root = await org(tenant_id, "PARTY_COMMITTEE", name)
    if cadence:
        await record_cadence(tenant_id, root)
    return root
