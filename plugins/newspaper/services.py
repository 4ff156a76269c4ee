"""Newspaper plugin writes and aggregates (checklist, bureaus, emergency teams, social media)."""

from __future__ import annotations

import datetime as dt

from tortoise.functions import Count

from core import audit
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import Member, Organization
from core.models.member import CURRENT_MEMBER_STATUSES
from core.services import organizations as org_service
from core.services.tenants import current_tenant
from core.tenant_config import effective_config
from plugins.newspaper.checklist import ITEMS_BY_CODE
from plugins.newspaper.error_codes import NewspaperErrorCode
from plugins.newspaper.models import (
    ChecklistAssessment,
    EmergencyTeam,
    ItemStatus,
    OverseasBureau,
    SocialMediaAccount,
)


async def newspaper_config() -> dict:
    return effective_config(await current_tenant())["newspaper"]


async def assess_item(
    branch: Organization, *, year: int, item_code: str, status: ItemStatus, evidence: str, by: str
) -> ChecklistAssessment:
    """Record (or revise) a branch's standing on one of the 21 items."""
    if item_code not in ITEMS_BY_CODE:
        raise ValidationFailed(f"未知的检查项：{item_code}", field="itemCode")
    if status is not ItemStatus.MET and not evidence.strip():
        raise ValidationFailed("未达标或基本达标的检查项须说明情况", field="evidence")
    row = await ChecklistAssessment.get_or_none(organization_id=branch.id, year=year, item_code=item_code)
    before = audit.snapshot(row) if row is not None else None
    row = row or ChecklistAssessment(organization_id=branch.id, year=year, item_code=item_code)
    row.status = status
    row.evidence = evidence.strip()
    row.assessed_on = dt.date.today()
    row.assessed_by = by[:200]
    await row.save()
    audit.upserted(row, before)
    return row


async def checklist_summary(organization_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """``{organization_id: {status: count}}`` in one grouped query."""
    rows = (
        await ChecklistAssessment.filter(organization_id__in=organization_ids, year=year)
        .annotate(n=Count("id"))
        .group_by("organization_id", "status")
        .values("organization_id", "status", "n")
    )
    summary: dict[int, dict[str, int]] = {oid: {} for oid in organization_ids}
    for row in rows:
        summary[row["organization_id"]][str(row["status"])] = row["n"]
    return summary


async def mark_overseas_bureau(
    branch: Organization, *, bureau_name: str, country: str, city: str, embassy_party_organization: str
) -> OverseasBureau:
    if not bureau_name.strip() or not country.strip():
        raise ValidationFailed("须填写分社（记者站）名称和所在国家", field="bureauName")
    if not embassy_party_organization.strip():
        raise ValidationFailed("须填写管理党员的使馆党组织", field="embassyPartyOrganization")
    row = await OverseasBureau.get_or_none(organization_id=branch.id)
    before = audit.snapshot(row) if row is not None else None
    row = row or OverseasBureau(organization_id=branch.id)
    row.bureau_name = bureau_name.strip()
    row.country = country.strip()
    row.city = city.strip()
    row.embassy_party_organization = embassy_party_organization.strip()
    await row.save()
    audit.upserted(row, before)
    return row


async def abroad_member_counts(branch_ids: list[int]) -> dict[int, int]:
    """Current members with the WORKING_ABROAD category per branch (one grouped query)."""
    rows = (
        await Member.filter(
            branch_id__in=branch_ids,
            status__in=list(CURRENT_MEMBER_STATUSES),
            category_rows__category="WORKING_ABROAD",
        )
        .annotate(n=Count("id", distinct=True))
        .group_by("branch_id")
        .values("branch_id", "n")
    )
    found = {row["branch_id"]: row["n"] for row in rows}
    return {bid: found.get(bid, 0) for bid in branch_ids}


async def create_emergency_team(
    parent: Organization, *, name: str, event: str, approved_on: dt.date, approved_by: str
) -> EmergencyTeam:
    """Record the team and set up its temporary branch (relations of members are not transferred)."""
    if not name.strip() or not event.strip():
        raise ValidationFailed("须填写应急报道队名称和事件", field="name")
    branch = await org_service.create_organization(
        kind="TEMPORARY_BRANCH",
        name=f"{name.strip()}临时党支部",
        parent_id=parent.id,
        established_on=approved_on,
        temporary_body=name.strip(),
    )
    team = await EmergencyTeam.create(
        name=name.strip(),
        event=event.strip(),
        approved_on=approved_on,
        approved_by=approved_by.strip() or "编委会",
        temporary_branch_id=branch.id,
    )
    audit.created(team)
    return team


async def dissolve_emergency_team(team_id: int, on: dt.date) -> EmergencyTeam:
    """Dissolving the team dissolves its temporary branch with it."""
    team = await EmergencyTeam.get_or_none(id=team_id)
    if team is None:
        raise NotFound("应急报道队", team_id, field="id")
    if team.dissolved_on is not None:
        raise DomainError(
            NewspaperErrorCode.NEWSPAPER_TEAM_DISSOLVED,
            field="id",
            name=team.name,
            dissolved_on=team.dissolved_on,
        )
    if team.temporary_branch_id is not None:
        branch = await org_service.get_organization(team.temporary_branch_id, for_write=True)
        if branch.dissolved_on is None:
            await org_service.dissolve_organization(branch.id, on=on)
    else:
        require(None)
    before = audit.snapshot(team)
    team.dissolved_on = on
    await team.save(update_fields=["dissolved_on"])
    audit.changed(team, before)
    return team


async def register_account(
    member: Member, *, platform: str, handle: str, registered_on: dt.date
) -> SocialMediaAccount:
    platforms = (await newspaper_config())["social_media_platforms"]
    if platform not in platforms:
        raise ValidationFailed(f"平台只能是：{'、'.join(platforms)}", field="platform")
    handle = handle.strip()
    if not handle:
        raise ValidationFailed("账号不能为空", field="handle")
    existing = await SocialMediaAccount.get_or_none(platform=platform, handle=handle)
    if existing is not None:
        raise DomainError(
            NewspaperErrorCode.NEWSPAPER_ACCOUNT_TAKEN, field="handle", platform=platform, handle=handle
        )
    row = await SocialMediaAccount.create(
        member_id=member.id, platform=platform, handle=handle, registered_on=registered_on
    )
    audit.created(row)
    return row


async def close_account(account_id: int, on: dt.date) -> SocialMediaAccount:
    row = await SocialMediaAccount.get_or_none(id=account_id).select_related("member__branch")
    if row is None:
        raise NotFound("社交媒体账号", account_id, field="id")
    require(row.member.branch.path)
    if row.closed_on is not None:
        raise DomainError(NewspaperErrorCode.NEWSPAPER_ACCOUNT_CLOSED, field="id")
    before = audit.snapshot(row)
    row.closed_on = on
    await row.save(update_fields=["closed_on"])
    audit.changed(row, before)
    return row
