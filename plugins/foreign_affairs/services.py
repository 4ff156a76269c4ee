"""Foreign-affairs office plugin writes and aggregates."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from core import audit
from core.errors import DomainError, ValidationFailed
from core.models import Activity, Member, Organization
from core.registry import Vocabulary, key_date_entries
from core.standards.calendar import key_date_slots, slots
from core.years import check_year
from plugins.foreign_affairs.error_codes import ForeignAffairsErrorCode
from plugins.foreign_affairs.models import MassOrganization, MassOrganizationKind, VenueChecklist
from plugins.foreign_affairs.venue import VENUE_ITEMS

#: the 五个一 the report names, with their cadence (the other two it does not name)
FIVE_ONES = ("MONTHLY_THEORY_SESSION", "MONTHLY_FLAG_RAISING", "WEEKLY_SPORTS")
#: expected on the tenant's key dates (重要节点), not on a cycle
PATRIOTIC_EDUCATION = "PATRIOTIC_EDUCATION"


async def record_venue(
    branch: Organization, present: list[str], checked_on: dt.date, note: str
) -> VenueChecklist:
    """Record which of the 两专六有 items the branch's venue has."""
    codes = {item.code for item in VENUE_ITEMS}
    unknown = sorted(set(present) - codes)
    if unknown:
        raise ValidationFailed(f"未知的阵地建设项：{'、'.join(unknown)}", field="present")
    row = await VenueChecklist.get_or_none(organization_id=branch.id)
    before = audit.snapshot(row) if row is not None else None
    row = row or VenueChecklist(organization_id=branch.id)
    for code in codes:
        setattr(row, code, code in present)
    row.checked_on = checked_on
    row.note = note.strip()
    await row.save()
    audit.upserted(row, before)
    return row


async def register_mass_organization(
    branch: Organization,
    *,
    kind: MassOrganizationKind,
    name: str,
    head_name: str,
    member_count: int,
    established_on: dt.date | None,
) -> MassOrganization:
    if not name.strip():
        raise ValidationFailed("群团组织名称不能为空", field="name")
    if member_count < 0:
        raise ValidationFailed("人数不能为负数", field="memberCount")
    if await MassOrganization.filter(organization_id=branch.id, kind=kind).exists():
        raise DomainError(ForeignAffairsErrorCode.FOREIGN_AFFAIRS_MASS_ORG_EXISTS, field="kind")
    row = await MassOrganization.create(
        organization_id=branch.id,
        kind=kind,
        name=name.strip(),
        head_name=head_name.strip(),
        member_count=member_count,
        established_on=established_on,
    )
    audit.created(row)
    return row


async def group_leaders(branch: Organization) -> list[tuple[Organization, Member | None]]:
    """The live party groups of ``branch`` with their leaders (two queries)."""
    groups = await Organization.filter(
        parent_id=branch.id, kind="PARTY_GROUP", dissolved_on__isnull=True
    ).order_by("id")
    leader_ids = [g.leader_id for g in groups if g.leader_id is not None]
    leaders = {m.id: m for m in await Member.filter(id__in=leader_ids)} if leader_ids else {}
    return [(g, leaders.get(g.leader_id) if g.leader_id else None) for g in groups]


async def activity_days(
    organization_ids: list[int], kinds: tuple[str, ...], start: dt.date, end: dt.date
) -> dict[tuple[int, str], list[dt.date]]:
    """``{(organization_id, kind): [held_on, …]}`` of held (not cancelled) activities, one query."""
    rows = await Activity.filter(
        organization_id__in=organization_ids,
        kind__in=list(kinds),
        held_on__gte=start,
        held_on__lte=end,
        cancelled_on__isnull=True,
    ).values_list("organization_id", "kind", "held_on")
    days: dict[tuple[int, str], list[dt.date]] = {}
    for org_id, kind, held_on in rows:
        days.setdefault((org_id, kind), []).append(held_on)
    return days


@dataclass(frozen=True)
class FiveOnesProgress:
    """One expected 五个一 item of a month: what the calendar expects and what was held."""

    kind: str
    label: str
    period: str
    expected: int
    held: int

    @property
    def met(self) -> bool:
        return self.held >= self.expected


async def five_ones_progress(
    branch: Organization, year: int, month: int, vocabulary: Vocabulary, config: dict[str, Any]
) -> list[FiveOnesProgress]:
    """The month's 五个一 items of ``branch``: each cycle kind (its calendar slots starting in the
    month: one for a monthly kind, one per Monday for a weekly one), then one item per key date of
    patriotic education falling in the month (on time within ``standards.key_date_tolerance_days``)."""
    if not 1 <= month <= 12:
        raise ValidationFailed("月份应为1至12", field="month")
    check_year(year)
    month_start = dt.date(year, month, 1)
    month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    patriotic = vocabulary.activity_kinds[PATRIOTIC_EDUCATION]
    key_dates = key_date_slots(
        key_date_entries(config, patriotic.key_dates or ""),
        month_start,
        month_end,
        int(config["standards"]["key_date_tolerance_days"]),
    )
    days = await activity_days(
        [branch.id],
        (*FIVE_ONES, PATRIOTIC_EDUCATION),
        min([month_start, *(s.start for s in key_dates)]),
        max([month_end, *(s.end for s in key_dates)]),
    )
    items = []
    for kind in FIVE_ONES:
        spec = vocabulary.activity_kinds[kind]
        assert spec.cycle is not None
        expected_slots = [
            s for s in slots(spec.cycle.period, month_start, month_end) if s.start >= month_start
        ]
        held = sum(1 for day in days.get((branch.id, kind), []) if month_start <= day <= month_end)
        items.append(
            FiveOnesProgress(
                kind, spec.label, f"{year}-{month:02d}", spec.cycle.times * len(expected_slots), held
            )
        )
    for slot in key_dates:
        held = sum(
            1 for day in days.get((branch.id, PATRIOTIC_EDUCATION), []) if slot.start <= day <= slot.end
        )
        label = patriotic.label + (f"（{slot.name}）" if slot.name else "")
        items.append(FiveOnesProgress(PATRIOTIC_EDUCATION, label, slot.period, 1, held))
    return items
