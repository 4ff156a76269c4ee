"""Demo seeder: dues profiles, eight months of bills, payments (some by proxy, some missing, one
member six months and more behind), a receipt per branch, and the tenant's reminders.

Runs inside the demo tenant's transaction with the tenant bound and no guard (trusted code),
through the same services as the GraphQL mutations.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from core import sql
from core.dues import service
from core.dues.models import DuesBill, DuesPayment, DuesProfile
from core.dues.months import add_months, month_end, month_start
from core.models import MemberCategoryAssignment, Tenant
from core.models.member import CURRENT_MEMBER_STATUSES
from core.reminders.service import run_for_current_tenant

#: months of bills before the current one
MONTHS = 7
_SEED_MARK = "演示数据"
_INCOMES = (2600, 2980, 3600, 4200, 4850, 5600, 6800, 7900, 9200, 11800, 15600)


async def seed_dues(tenant: Tenant, world) -> list[str]:  # noqa: ANN001
    """Dues for every current member of the demo tenant, then a reminder run."""
    rng = random.Random(f"{tenant.slug}-dues")
    today = world.today
    first = add_months(month_start(today), -MONTHS)
    members = [m for m in world.all_members() if m.status in CURRENT_MEMBER_STATUSES]
    if not members:
        return []
    retired = set(
        await MemberCategoryAssignment.filter(
            member_id__in=[m.id for m in members], category="RETIRED"
        ).values_list("member_id", flat=True)
    )
    agency = world.get("org:agency")
    farmers_branches = {
        o.id for o in world.orgs() if tenant.domain == "rural" and o.kind == "BRANCH" and o is not agency
    }
    profiles = []
    for m in members:
        if m.id in retired:
            category, income = (
                "RETIRED",
                Decimal(rng.choice(_INCOMES[:8])) + Decimal(rng.randrange(100)) / 100,
            )
        elif m.branch_id in farmers_branches:
            category, income = "FARMER", None
        else:
            category, income = "SALARIED", Decimal(rng.choice(_INCOMES)) + Decimal(rng.randrange(100)) / 100
        profiles.append(
            DuesProfile(member_id=m.id, category=category, monthly_income=income, effective_from=first)
        )
    await DuesProfile.bulk_create(profiles)
    branches = sorted({m.branch_id for m in members})
    await service.update_branch_setting(branches[0], quarterly_allowed=True)
    for branch_id in farmers_branches & set(branches):
        await service.update_branch_setting(branch_id, farmer_amount=Decimal("0.50"))
    roots = [o for o in world.orgs() if o.parent_id is None]
    month = first
    while month <= month_start(today):
        for root in roots:
            await service.generate_bills(root.id, month)
        month = add_months(month, 1)

    # payments by quarter-sized chunks at the end of the chunk's last month, in bulk: one query for
    # the bills, one insert for the payments, one UPDATE linking each bill to the first payment of
    # its member made on or after its month; some members fall behind, one never pays
    behind = {m.id for m in rng.sample(members, max(1, len(members) // 10))}
    never = members[rng.randrange(len(members))].id
    last_month = add_months(month_start(today), -1)
    amounts: dict[tuple[int, dt.date], Decimal] = {
        (b.member_id, b.period): b.amount
        for b in await DuesBill.filter(member_id__in=[m.id for m in members], period__lte=last_month)
    }
    rows: list[DuesPayment] = []
    for m in members:
        if m.id == never:
            continue
        stop = add_months(last_month, -2) if m.id in behind else last_month
        month = max(first, month_start(m.joined_on)) if m.joined_on else first
        while month <= stop:
            chunk = [add_months(month, i) for i in range(3) if add_months(month, i) <= stop]
            chunk = [c for c in chunk if (m.id, c) in amounts]
            if chunk:
                proxy = m.id in retired and rng.random() < 0.5
                rows.append(
                    DuesPayment(
                        member_id=m.id,
                        branch_id=m.branch_id,
                        paid_on=min(month_end(chunk[-1]), today),
                        amount=sum((amounts[(m.id, c)] for c in chunk), Decimal("0.00")),
                        month_count=len(chunk),
                        paid_by_proxy=proxy,
                        proxy_name="家属代交" if proxy else "",
                        recorded_by=_SEED_MARK,
                    )
                )
            month = add_months(month, 3)
    await DuesPayment.bulk_create(rows, batch_size=500)
    await sql.execute(
        "UPDATE dues_bill SET payment_id = (SELECT p.id FROM dues_payment p WHERE p.tenant_id = "
        "dues_bill.tenant_id AND p.member_id = dues_bill.member_id AND p.recorded_by = :mark "
        "AND p.paid_on >= dues_bill.period ORDER BY p.paid_on LIMIT 1) "
        "WHERE tenant_id = :tenant_id AND payment_id IS NULL AND period <= :last",
        mark=_SEED_MARK,
        last=service.date_param(last_month),
    )
    payments = len(rows)
    receipts = 0
    for branch_id in branches:
        if not await DuesPayment.filter(
            branch_id=branch_id, paid_on__gte=first, paid_on__lte=month_end(add_months(first, 2))
        ).exists():
            continue
        await service.record_handover(
            branch_id,
            period_start=first,
            period_end=month_end(add_months(first, 2)),
            handed_on=add_months(first, 3) + dt.timedelta(days=4),
            received_by="上级党委组织部",
            receipt_no=f"DF-{first:%Y%m}-{branch_id}",
            by="demo",
        )
        receipts += 1
    report = await run_for_current_tenant(today)
    return [
        f"{tenant.slug}: 党费 — {len(profiles)} 名党员的交纳标准, {payments} 笔缴费, {receipts} 张上交票据; "
        f"提醒 {report.created} 条"
    ]
