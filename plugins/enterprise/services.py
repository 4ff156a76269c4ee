"""Enterprise plugin writes: benchmark designation, demonstrations and pledges, integration items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core import audit
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import Member, Organization
from core.models.member import CURRENT_MEMBER_STATUSES
from plugins.enterprise.error_codes import EnterpriseErrorCode
from plugins.enterprise.models import (
    BenchmarkBranch,
    BenchmarkStatus,
    Demonstration,
    DemonstrationKind,
    DemonstrationMember,
    IntegrationItem,
)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年度无效", field="year")


async def set_benchmark(
    branch: Organization, year: int, status: BenchmarkStatus, note: str, on: dt.date | None
) -> BenchmarkBranch:
    """Apply for, designate or revoke the benchmark branch title of ``branch`` for ``year``."""
    _check_year(year)
    row = await BenchmarkBranch.get_or_none(organization_id=branch.id, year=year)
    if row is None:
        if status is not BenchmarkStatus.APPLYING and status is not BenchmarkStatus.DESIGNATED:
            raise DomainError(EnterpriseErrorCode.ENTERPRISE_BENCHMARK_NOT_APPLIED, field="status")
        row = BenchmarkBranch(organization_id=branch.id, year=year)
        before = None
    else:
        if row.status == status:
            raise DomainError(EnterpriseErrorCode.ENTERPRISE_BENCHMARK_UNCHANGED, field="status")
        before = audit.snapshot(row)
    row.status = status
    row.note = note.strip()
    row.designated_on = (on or dt.date.today()) if status is BenchmarkStatus.DESIGNATED else row.designated_on
    await row.save()
    audit.upserted(row, before)
    return row


async def create_demonstration(
    branch: Organization,
    *,
    kind: DemonstrationKind,
    name: str,
    year: int,
    commitment: str,
    business_goal: str,
    established_on: dt.date | None,
) -> Demonstration:
    _check_year(year)
    if not name.strip():
        raise ValidationFailed("示范项目名称不能为空", field="name")
    if await Demonstration.filter(organization_id=branch.id, year=year, name=name.strip()).exists():
        raise DomainError(EnterpriseErrorCode.ENTERPRISE_DEMONSTRATION_EXISTS, field="name", name=name)
    row = await Demonstration.create(
        organization_id=branch.id,
        kind=kind,
        name=name.strip(),
        year=year,
        commitment=commitment.strip(),
        business_goal=business_goal.strip(),
        established_on=established_on,
    )
    audit.created(row)
    return row


async def get_demonstration(demonstration_id: int) -> Demonstration:
    row = await Demonstration.get_or_none(id=demonstration_id).select_related("organization")
    if row is None:
        raise NotFound("示范项目", demonstration_id, field="demonstrationId")
    require(row.organization.path)
    return row


async def add_participant(demonstration: Demonstration, member_id: int, pledge: str) -> DemonstrationMember:
    """A current member of the demonstration's branch joins it with a pledge."""
    member = await Member.get_or_none(id=member_id)
    if member is None:
        raise NotFound("党员", member_id, field="memberId")
    if member.branch_id != demonstration.organization_id:
        raise DomainError(
            EnterpriseErrorCode.ENTERPRISE_MEMBER_OTHER_BRANCH, field="memberId", name=member.name
        )
    if member.status not in CURRENT_MEMBER_STATUSES:
        raise DomainError(EnterpriseErrorCode.ENTERPRISE_NOT_A_MEMBER, field="memberId", name=member.name)
    if demonstration.closed_on is not None:
        raise DomainError(EnterpriseErrorCode.ENTERPRISE_DEMONSTRATION_CLOSED, field="demonstrationId")
    if not pledge.strip():
        raise ValidationFailed("须填写践诺承诺", field="pledge")
    if await DemonstrationMember.filter(demonstration_id=demonstration.id, member_id=member.id).exists():
        raise DomainError(
            EnterpriseErrorCode.ENTERPRISE_ALREADY_PARTICIPATING, field="memberId", name=member.name
        )
    row = await DemonstrationMember.create(
        demonstration_id=demonstration.id, member_id=member.id, pledge=pledge.strip()
    )
    audit.created(row)
    return row


async def record_item(
    branch: Organization,
    *,
    year: int,
    title: str,
    business_metric: str,
    unit: str,
    target_value: Decimal,
    tied_to_performance_pay: bool,
) -> IntegrationItem:
    _check_year(year)
    if not title.strip() or not business_metric.strip():
        raise ValidationFailed("须填写项目名称和业务指标", field="title")
    if target_value <= 0:
        raise ValidationFailed("目标值须大于0", field="targetValue")
    row = await IntegrationItem.create(
        organization_id=branch.id,
        year=year,
        title=title.strip(),
        business_metric=business_metric.strip(),
        unit=unit.strip(),
        target_value=target_value,
        tied_to_performance_pay=tied_to_performance_pay,
    )
    audit.created(row)
    return row


async def record_result(item_id: int, actual_value: Decimal) -> IntegrationItem:
    row = await IntegrationItem.get_or_none(id=item_id).select_related("organization")
    if row is None:
        raise NotFound("党建+业务项目", item_id, field="id")
    require(row.organization.path)
    if actual_value < 0:
        raise ValidationFailed("完成值不能为负数", field="actualValue")
    before = audit.snapshot(row)
    row.actual_value = actual_value
    await row.save(update_fields=["actual_value"])
    audit.changed(row, before)
    return row
