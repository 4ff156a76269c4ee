"""Catalog entries: party dues (helper E2's)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target

_months = itertools.count(1)


def _month(_: int | None = None) -> dt.date:
    """A distinct past month per call (payments and bills never collide): a counter of this module,
    since the shared ``seq()`` grows with every catalog entry and would reach future months."""
    index = 2000 * 12 + next(_months)
    return dt.date(index // 12, index % 12 + 1, 1)


async def _profile(world, key: str) -> None:  # noqa: ANN001
    from core.dues.models import DuesProfile

    member = world.members[key]
    with tenant_scope(world.tenant_id):
        if not await DuesProfile.filter(member_id=member.id).exists():
            await DuesProfile.create(
                member_id=member.id, category="STUDENT", effective_from=dt.date(1990, 1, 1)
            )


async def _bill(world, key: str, *, paid: bool = False):  # noqa: ANN001, ANN202
    from core.dues.models import DuesBill, DuesPayment

    member = world.members[key]
    month = _month()
    with tenant_scope(world.tenant_id):
        payment = None
        if paid:
            payment = await DuesPayment.create(
                member_id=member.id,
                branch_id=member.branch_id,
                paid_on=month,
                amount=Decimal("0.20"),
                month_count=1,
            )
        bill = await DuesBill.create(
            member_id=member.id,
            branch_id=member.branch_id,
            period=month,
            amount=Decimal("0.20"),
            category="STUDENT",
            config_version=1,
            payment=payment,
        )
    return bill, payment


async def _handover(world, key: str):  # noqa: ANN001, ANN202
    from core.dues.models import DuesHandover

    member = world.members[key]
    _, payment = await _bill(world, key, paid=True)
    with tenant_scope(world.tenant_id):
        handover = await DuesHandover.create(
            branch_id=member.branch_id,
            period_start=payment.paid_on,
            period_end=payment.paid_on,
            amount=payment.amount,
            payment_count=1,
            handed_on=payment.paid_on,
        )
        payment.handover_id = handover.id
        await payment.save(update_fields=["handover_id"])
    return handover


async def _branch_only(world, pos):  # noqa: ANN001, ANN202
    return Target({"branch": world.org_gid(pos.branch)})


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({"category": "STUDENT"})


async def _branch(world, pos):  # noqa: ANN001, ANN202
    return Target({"branch": world.org_gid(pos.branch), "year": 2026})


async def _member(world, pos):  # noqa: ANN001, ANN202
    return Target({"member": world.member_gid(pos.member), "year": 2026})


async def _mine(world, pos):  # noqa: ANN001, ANN202
    return Target({"year": 2026})


async def _bills(world, pos):  # noqa: ANN001, ANN202
    bill, _ = await _bill(world, pos.member)
    return Target({"member": world.member_gid(pos.member)}, expect=gid("DuesBill", bill.id))


async def _payments(world, pos):  # noqa: ANN001, ANN202
    _, payment = await _bill(world, pos.member, paid=True)
    return Target({"member": world.member_gid(pos.member)}, expect=gid("DuesPayment", payment.id))


async def _handovers(world, pos):  # noqa: ANN001, ANN202
    handover = await _handover(world, pos.member)
    return Target({"on": handover.handed_on.isoformat()}, expect=gid("DuesHandover", handover.id))


async def _one_handover(world, pos):  # noqa: ANN001, ANN202
    handover = await _handover(world, pos.member)
    return Target({"id": gid("DuesHandover", handover.id)})


async def _arrears(world, pos):  # noqa: ANN001, ANN202
    await _bill(world, pos.member)
    return Target({"root": world.org_gid(pos.branch)}, expect=world.member_gid(pos.member))


async def _set_profile(world, pos):  # noqa: ANN001, ANN202
    return Target(
        {
            "input": {
                "memberId": world.member_gid(pos.member),
                "category": "SALARIED",
                "monthlyIncome": "4000",
                "effectiveFrom": _month().isoformat(),
            }
        }
    )


async def _setting(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"branchId": world.org_gid(pos.branch), "quarterlyAllowed": True}})


async def _generate(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"organizationId": world.org_gid(pos.branch), "month": _month().isoformat()}})


async def _pay(world, pos):  # noqa: ANN001, ANN202
    await _profile(world, pos.member)
    month = _month()
    return Target(
        {
            "input": {
                "memberId": world.member_gid(pos.member),
                "months": [month.isoformat()],
                "paidOn": (month + dt.timedelta(days=14)).isoformat(),
            }
        }
    )


async def _record_handover(world, pos):  # noqa: ANN001, ANN202
    _, payment = await _bill(world, pos.member, paid=True)
    day = payment.paid_on.isoformat()
    return Target({"input": {"branchId": world.org_gid(pos.branch), "periodStart": day, "periodEnd": day}})


async def _exempt(world, pos):  # noqa: ANN001, ANN202
    month = _month()
    return Target(
        {
            "input": {
                "memberId": world.member_gid(pos.member),
                "fromMonth": month.isoformat(),
                "toMonth": month.isoformat(),
                "reason": "经批准缓交",
                "approvedBy": "支部委员会",
                "approvedOn": month.isoformat(),
            }
        }
    )


async def _revoke(world, pos):  # noqa: ANN001, ANN202
    from core.dues.models import DuesExemption

    member = world.members[pos.member]
    month = _month()
    with tenant_scope(world.tenant_id):
        row = await DuesExemption.create(
            member_id=member.id,
            branch_id=member.branch_id,
            from_month=month,
            to_month=month,
            reason="经批准缓交",
            approved_by="支部委员会",
            approved_on=month,
        )
    return Target({"input": {"id": gid("DuesExemption", row.id), "reason": "登记有误"}})


def _mutation(name: str, input_type: str, payload: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ errors {{ code }} {payload} }} }}"


OPERATIONS = [
    Op(
        "duesQuote",
        "query",
        "query($category: DuesCategory!) { duesQuote(category: $category) { amount } }",
        "DUES_READ",
        "holder",
        _none,
    ),
    Op(
        "duesBranchSetting",
        "query",
        "query($branch: ID!) { duesBranchSetting(branchId: $branch) { quarterlyAllowed } }",
        "DUES_READ",
        "tree",
        _branch_only,
    ),
    Op(
        "memberDuesRecord",
        "query",
        "query($member: ID!, $year: Int!) { memberDuesRecord(memberId: $member, year: $year) "
        "{ memberName } }",
        "DUES_READ",
        "tree",
        _member,
    ),
    Op(
        "myDuesRecord",
        "query",
        "query($year: Int!) { myDuesRecord(year: $year) { memberName } }",
        None,
        "self",
        _mine,
        notes="users without a linked member get DUES_NO_MEMBER_RECORD (a domain error, not a denial)",
    ),
    Op(
        "duesRegister",
        "query",
        "query($branch: ID!, $year: Int!) { duesRegister(branchId: $branch, year: $year) { year } }",
        "DUES_READ",
        "tree",
        _branch,
    ),
    Op(
        "duesBills",
        "query",
        "query($member: ID!) { duesBills(first: 100, filter: {memberId: $member}) { nodes { id } } }",
        "DUES_READ",
        "list",
        _bills,
    ),
    Op(
        "duesPayments",
        "query",
        "query($member: ID!) { duesPayments(first: 100, filter: {memberId: $member}) { nodes { id } } }",
        "DUES_READ",
        "list",
        _payments,
    ),
    Op(
        "duesHandovers",
        "query",
        "query($on: Date!) { duesHandovers(first: 100, filter: {handedFrom: $on, handedTo: $on}) "
        "{ nodes { id } } }",
        "DUES_READ",
        "list",
        _handovers,
    ),
    Op(
        "duesHandover",
        "query",
        "query($id: ID!) { duesHandover(id: $id) { id } }",
        "DUES_READ",
        "tree",
        _one_handover,
    ),
    Op(
        "duesArrears",
        "query",
        "query($root: ID!) { duesArrears(subtreeOf: $root) { memberId } }",
        "DUES_READ",
        "list",
        _arrears,
    ),
    Op(
        "setDuesProfile",
        "mutation",
        _mutation("setDuesProfile", "SetDuesProfileInput", "profile { id }"),
        "DUES_MANAGE",
        "tree",
        _set_profile,
    ),
    Op(
        "updateDuesBranchSetting",
        "mutation",
        _mutation("updateDuesBranchSetting", "UpdateDuesBranchSettingInput", "setting { quarterlyAllowed }"),
        "DUES_MANAGE",
        "tree",
        _setting,
    ),
    Op(
        "generateDuesBills",
        "mutation",
        _mutation("generateDuesBills", "GenerateDuesBillsInput", "created"),
        "DUES_MANAGE",
        "tree",
        _generate,
    ),
    Op(
        "payDues",
        "mutation",
        _mutation("payDues", "PayDuesInput", "payment { id }"),
        "DUES_MANAGE",
        "tree",
        _pay,
    ),
    Op(
        "recordDuesHandover",
        "mutation",
        _mutation("recordDuesHandover", "RecordDuesHandoverInput", "handover { id }"),
        "DUES_MANAGE",
        "tree",
        _record_handover,
        notes="hands over a fresh payment of the position's branch",
    ),
    Op(
        "recordDuesExemption",
        "mutation",
        _mutation("recordDuesExemption", "RecordDuesExemptionInput", "exemption { id }"),
        "DUES_MANAGE",
        "tree",
        _exempt,
    ),
    Op(
        "revokeDuesExemption",
        "mutation",
        _mutation("revokeDuesExemption", "RevokeDuesExemptionInput", "exemption { id }"),
        "DUES_MANAGE",
        "tree",
        _revoke,
    ),
]
