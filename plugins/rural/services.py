"""Rural plugin rules for writes and the two-committee summary (aggregated in SQL)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.functions import Count

from core import audit
from core.errors import DomainError, NotFound, ValidationFailed
from core.models import Member, Organization
from core.services.tenants import current_tenant
from core.tenant_config import effective_config
from plugins.rural.error_codes import RuralErrorCode
from plugins.rural.models import CommitteeBody, FirstSecretary, Grid, VillageCadre


async def rural_config() -> dict:
    return effective_config(await current_tenant())["rural"]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


async def register_grid(
    group: Organization, *, natural_village: str, households: int, activity_site: str
) -> Grid:
    """Mark a party group as the grid party group of a natural village."""
    if group.kind != "PARTY_GROUP":
        raise DomainError(RuralErrorCode.RURAL_GRID_NOT_A_GROUP, field="organizationId")
    if not natural_village.strip():
        raise ValidationFailed("自然村名称不能为空", field="naturalVillage")
    if households < 0:
        raise ValidationFailed("农户数不能为负数", field="households")
    grid = await Grid.get_or_none(organization_id=group.id)
    if grid is None:
        grid = Grid(organization_id=group.id)
        before = None
    else:
        before = audit.snapshot(grid)
    grid.natural_village = natural_village.strip()
    grid.households = households
    grid.activity_site = activity_site.strip()
    await grid.save()
    audit.upserted(grid, before)
    return grid


async def appoint_first_secretary(
    village: Organization,
    *,
    name: str,
    dispatching_agency: str,
    agency_level: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    phone: str,
) -> FirstSecretary:
    """Record a first secretary; one serving first secretary per village at a time."""
    if not name.strip():
        raise ValidationFailed("姓名不能为空", field="name")
    if not dispatching_agency.strip():
        raise ValidationFailed("须登记派出单位", field="dispatchingAgency")
    config = await rural_config()
    ends_on = ends_on or add_years(starts_on, config["first_secretary_term_years"])
    if ends_on <= starts_on:
        raise ValidationFailed("任期结束日期须晚于开始日期", field="endsOn")
    overlapping = await FirstSecretary.filter(
        organization_id=village.id, recalled_on__isnull=True, ends_on__gte=starts_on, starts_on__lte=ends_on
    ).first()
    if overlapping is not None:
        raise DomainError(
            RuralErrorCode.RURAL_FIRST_SECRETARY_SERVING,
            field="organizationId",
            name=village.name,
            overlapping_name=overlapping.name,
            ends_on=overlapping.ends_on,
        )
    row = await FirstSecretary.create(
        organization_id=village.id,
        name=name.strip(),
        dispatching_agency=dispatching_agency.strip(),
        agency_level=agency_level.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        phone=phone.strip(),
    )
    audit.created(row)
    return row


async def recall_first_secretary(secretary_id: int, on: dt.date) -> FirstSecretary:
    from core.guard import require

    row = await FirstSecretary.get_or_none(id=secretary_id).select_related("organization")
    if row is None:
        raise NotFound("第一书记", secretary_id, field="id")
    require(row.organization.path)
    if row.recalled_on is not None:
        raise DomainError(
            RuralErrorCode.RURAL_FIRST_SECRETARY_RECALLED,
            field="id",
            name=row.name,
            recalled_on=row.recalled_on,
        )
    if on < row.starts_on:
        raise ValidationFailed("离任日期不能早于任期开始", field="on")
    before = audit.snapshot(row)
    row.recalled_on = on
    await row.save(update_fields=["recalled_on"])
    audit.changed(row, before)
    return row


async def add_village_cadre(
    village: Organization,
    *,
    name: str,
    body: CommitteeBody,
    post: str,
    birth_date: dt.date,
    education: str,
    capable_local: bool,
    returned_talent: bool,
    started_on: dt.date | None,
    member_id: int | None,
) -> VillageCadre:
    if not name.strip():
        raise ValidationFailed("姓名不能为空", field="name")
    if not post.strip():
        raise ValidationFailed("须登记职务", field="post")
    if birth_date >= dt.date.today():
        raise ValidationFailed("出生日期无效", field="birthDate")
    if member_id is not None and not await Member.filter(id=member_id).exists():
        raise NotFound("党员", member_id, field="memberId")
    row = await VillageCadre.create(
        organization_id=village.id,
        member_id=member_id,
        name=name.strip(),
        body=body,
        post=post.strip(),
        birth_date=birth_date,
        education=education.strip(),
        capable_local=capable_local,
        returned_talent=returned_talent,
        started_on=started_on,
    )
    audit.created(row)
    return row


async def end_village_cadre(cadre_id: int, on: dt.date) -> VillageCadre:
    from core.guard import require

    row = await VillageCadre.get_or_none(id=cadre_id).select_related("organization")
    if row is None:
        raise NotFound("村两委成员", cadre_id, field="id")
    require(row.organization.path)
    if row.left_on is not None:
        raise DomainError(RuralErrorCode.RURAL_CADRE_LEFT, field="id", name=row.name, left_on=row.left_on)
    before = audit.snapshot(row)
    row.left_on = on
    await row.save(update_fields=["left_on"])
    audit.changed(row, before)
    return row


@dataclass
class CommitteeShares:
    """Counts and shares of the serving two-committee members of one village organization."""

    organization_id: int
    total: int
    under_age: int
    capable_locals: int
    returned_talents: int

    def share(self, count: int) -> float:
        return round(count / self.total, 4) if self.total else 0.0


async def committee_shares(
    organization_ids: list[int], as_of: dt.date, young_age: int
) -> dict[int, CommitteeShares]:
    """Shares for many villages in one grouped SQL query."""
    cutoff = add_years(as_of, -young_age)
    rows = (
        await VillageCadre.filter(organization_id__in=organization_ids, left_on__isnull=True)
        .annotate(
            total=Count("id"),
            under_age=Count("id", _filter=Q(birth_date__gt=cutoff)),
            capable_locals=Count("id", _filter=Q(capable_local=True)),
            returned_talents=Count("id", _filter=Q(returned_talent=True)),
        )
        .group_by("organization_id")
        .values("organization_id", "total", "under_age", "capable_locals", "returned_talents")
    )
    found = {row["organization_id"]: CommitteeShares(**row) for row in rows}
    return {oid: found.get(oid) or CommitteeShares(oid, 0, 0, 0, 0) for oid in organization_ids}
