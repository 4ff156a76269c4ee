"""Party dues through GraphQL: brackets and rounding, bills, payments, arrears, register, receipts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.dues.models import DuesBill, DuesPayment
from core.graphql.core.nodes import encode_id
from core.models import AuditRecord, Member, Organization
from core.principal import Principal
from core.tenancy import platform_scope, tenant_scope
from core.tenant_config import update_config
from tests.support import GraphQLClient

QUOTE = """
query($category: DuesCategory!, $income: Decimal, $branch: ID) {
  duesQuote(category: $category, monthlyIncome: $income, branchId: $branch) { amount ratePercent explanation }
}
"""
SET_PROFILE = """
mutation($input: SetDuesProfileInput!) {
  setDuesProfile(input: $input) {
    errors { code message field } profile { id category monthlyIncome effectiveFrom }
  }
}
"""
SETTING = """
mutation($input: UpdateDuesBranchSettingInput!) {
  updateDuesBranchSetting(input: $input) { errors { code field } setting { quarterlyAllowed farmerAmount } }
}
"""
GENERATE = """
mutation($input: GenerateDuesBillsInput!) {
  generateDuesBills(input: $input) { errors { code } month created existing missingProfileMemberIds }
}
"""
PAY = """
mutation($input: PayDuesInput!) {
  payDues(input: $input) {
    errors { code message field }
    payment { id amount monthCount paidByProxy proxyName memberName bills { period amount paid } }
  }
}
"""
ARREARS = """
query($asOf: Date, $flagged: Boolean, $subtree: ID) {
  duesArrears(asOf: $asOf, flaggedOnly: $flagged, subtreeOf: $subtree) {
    memberName unpaidMonths oldestUnpaid latestUnpaid owed consecutiveMonths consecutiveFrom consecutiveTo
    exemptMonths flagged
  }
}
"""
HANDOVER = """
mutation($input: RecordDuesHandoverInput!) {
  recordDuesHandover(input: $input) {
    errors { code }
    handover { id amount paymentCount receiptNo payments { amount memberName } }
  }
}
"""
REGISTER = """
query($branch: ID!, $year: Int!) {
  duesRegister(branchId: $branch, year: $year) {
    year billedAmount paidAmount handedOverAmount
    months { month billed billedAmount paid paidAmount paidByProxy unpaid unpaidAmount }
    rows { memberName billedAmount paidAmount bills { period amount paid } }
  }
}
"""
RECORD = """
query($member: ID!, $year: Int!) {
  memberDuesRecord(memberId: $member, year: $year) {
    memberName paidAmount unpaidAmount
    profiles { category monthlyIncome effectiveFrom }
    exemptions { fromMonth revokedOn }
    bills { period amount paid payment { paidOn paidByProxy } }
  }
}
"""
BILLS = """
query($filter: DuesBillFilter) {
  duesBills(filter: $filter, first: 100) { totalCount nodes { memberName period } }
}
"""


def gid(type_name: str, pk: int) -> str:
    return encode_id(type_name, pk)


async def make_tree(tenant) -> dict:
    """A committee with two branches; members created directly (the roster is another domain)."""
    with tenant_scope(tenant.id):
        root = await Organization.create(kind="PARTY_COMMITTEE", name="机关党委", path="", depth=0)
        root.path = f"/{root.id}/"
        await root.save()
        branches = []
        for name in ("第一党支部", "第二党支部"):
            b = await Organization.create(kind="BRANCH", name=name, parent=root, path="", depth=1)
            b.path = f"{root.path}{b.id}/"
            await b.save()
            branches.append(b)
    return {"root": root, "a": branches[0], "b": branches[1]}


async def make_member(tenant, branch, name, status="FULL", joined_on=dt.date(2010, 3, 1)) -> Member:
    with tenant_scope(tenant.id):
        return await Member.create(name=name, branch_id=branch.id, status=status, joined_on=joined_on)


async def set_profile(admin, member, category, income=None, since="2025-01-01") -> dict:
    return await admin.mutate(
        SET_PROFILE,
        input={
            "memberId": gid("Member", member.id),
            "category": category,
            "monthlyIncome": income,
            "effectiveFrom": since,
        },
    )


# (category, monthly income, expected amount, expected percent)
BRACKETS = [
    ("SALARIED", "0", "0.00", "0.5"),
    ("SALARIED", "1001", "5.01", "0.5"),  # 5.005 -> ROUND_HALF_UP -> 5.01 (banker's would give 5.00)
    ("SALARIED", "2999.99", "15.00", "0.5"),
    ("SALARIED", "3000", "15.00", "0.5"),  # bounds are inclusive
    ("SALARIED", "3000.01", "30.00", "1"),
    ("SALARIED", "4567.89", "45.68", "1"),
    ("SALARIED", "5000", "50.00", "1"),
    ("SALARIED", "5000.01", "75.00", "1.5"),
    ("SALARIED", "5003", "75.05", "1.5"),  # 75.045 -> 75.05
    ("SALARIED", "10000", "150.00", "1.5"),
    ("SALARIED", "10000.01", "200.00", "2"),
    ("SALARIED", "12345.67", "246.91", "2"),
    ("RETIRED", "3333.33", "16.67", "0.5"),  # 16.66665 -> 16.67
    ("RETIRED", "5000", "25.00", "0.5"),
    ("RETIRED", "5000.01", "50.00", "1"),
    ("RETIRED", "7000", "70.00", "1"),
    ("STUDENT", None, "0.20", None),
    ("UNEMPLOYED", None, "0.20", None),
    ("MINIMUM_ALLOWANCE", None, "0.20", None),
    ("FARMER", None, "0.20", None),  # branch has not chosen: farmer_default
]


@pytest.mark.parametrize(("category", "income", "amount", "percent"), BRACKETS)
async def test_quote_over_brackets_and_rounding(admin, category, income, amount, percent):
    data = await admin.ok(QUOTE, category=category, income=income)
    assert data["duesQuote"]["amount"] == amount
    got = data["duesQuote"]["ratePercent"]
    assert (Decimal(got) if got is not None else None) == (Decimal(percent) if percent else None)


async def test_income_required_farmer_range_and_config_versions(admin, tenant):
    assert await admin.error_code(QUOTE, category="SALARIED") == "INVALID_INPUT"
    tree = await make_tree(tenant)
    branch = gid("Organization", tree["a"].id)
    for bad in ("1.5", "0.1", "0.555"):
        code = await admin.error_code(SETTING, input={"branchId": branch, "farmerAmount": bad})
        assert code in ("DUES_FARMER_AMOUNT_OUT_OF_RANGE", "INVALID_INPUT"), bad
    payload = await admin.mutate(SETTING, input={"branchId": branch, "farmerAmount": "0.5"})
    assert payload["setting"] == {"quarterlyAllowed": False, "farmerAmount": "0.50"}
    data = await admin.ok(QUOTE, category="FARMER", branch=branch)
    assert data["duesQuote"]["amount"] == "0.50"

    # brackets are versioned tenant config: a bill records the version it was computed with
    member = await make_member(tenant, tree["a"], "王芳")
    await set_profile(admin, member, "SALARIED", "8000")
    await admin.mutate(GENERATE, input={"organizationId": branch, "month": "2025-01-01"})
    with platform_scope():
        await update_config(tenant, {"dues": {"salaried_brackets": [{"up_to": None, "percent": 1}]}})
    assert (await admin.ok(QUOTE, category="SALARIED", income="8000"))["duesQuote"]["amount"] == "80.00"
    await admin.mutate(GENERATE, input={"organizationId": branch, "month": "2025-02-01"})
    with tenant_scope(tenant.id):
        bills = {
            b.period.month: (b.amount, b.config_version) for b in await DuesBill.filter(member_id=member.id)
        }
    assert bills == {1: (Decimal("120.00"), 1), 2: (Decimal("80.00"), 2)}


async def test_bills_are_generated_once_per_member_and_month(admin, tenant):
    tree = await make_tree(tenant)
    a = [await make_member(tenant, tree["a"], f"甲{i}") for i in range(3)]
    b = await make_member(tenant, tree["b"], "乙")
    applicant = await make_member(tenant, tree["a"], "申请人", status="APPLICANT")
    no_profile = await make_member(tenant, tree["b"], "未登记")
    for m in a:
        await set_profile(admin, m, "SALARIED", "4000")
    await set_profile(admin, b, "STUDENT")
    root = gid("Organization", tree["root"].id)
    first = await admin.mutate(GENERATE, input={"organizationId": root, "month": "2025-03-17"})
    assert (first["month"], first["created"], first["existing"]) == ("2025-03-01", 4, 0)
    assert first["missingProfileMemberIds"] == [gid("Member", no_profile.id)]
    again = await admin.mutate(GENERATE, input={"organizationId": root, "month": "2025-03-01"})
    assert (again["created"], again["existing"]) == (0, 4)
    with tenant_scope(tenant.id):
        assert await DuesBill.filter(period=dt.date(2025, 3, 1)).count() == 4
        assert not await DuesBill.filter(member_id=applicant.id).exists()
        assert await AuditRecord.filter(operation="generateDuesBills").count() == 2
    # a branch-level caller sees its own bills only
    reader = GraphQLClient(
        Principal(tenant_id=tenant.id, label="一支部", grants={"DUES_READ": (tree["a"].path,)})
    )
    data = await reader.ok(BILLS)
    assert data["duesBills"]["totalCount"] == 3
    assert {n["memberName"] for n in data["duesBills"]["nodes"]} == {"甲0", "甲1", "甲2"}
    assert await reader.error_code(REGISTER, branch=gid("Organization", tree["b"].id), year=2025) == (
        "PERMISSION_DENIED"
    )


async def test_back_payment_limit_and_arrears_flag(admin, tenant):
    tree = await make_tree(tenant)
    branch = gid("Organization", tree["a"].id)
    member = await make_member(tenant, tree["a"], "李明")
    other = await make_member(tenant, tree["a"], "赵强")
    await set_profile(admin, member, "SALARIED", "4567.89")  # 45.68 a month
    await set_profile(admin, other, "STUDENT")
    for month in range(1, 9):  # January … August 2025
        await admin.mutate(GENERATE, input={"organizationId": branch, "month": f"2025-{month:02d}-01"})
    await admin.mutate(
        PAY, input={"memberId": gid("Member", other.id), "months": ["2025-08-01"], "paidOn": "2025-08-20"}
    )

    arrears = (await admin.ok(ARREARS, asOf="2025-09-15"))["duesArrears"]
    assert arrears[0] == {
        "memberName": "李明",
        "unpaidMonths": 8,
        "oldestUnpaid": "2025-01-01",
        "latestUnpaid": "2025-08-01",
        "owed": "365.44",
        "consecutiveMonths": 8,
        "consecutiveFrom": "2025-01-01",
        "consecutiveTo": "2025-08-01",
        "exemptMonths": 0,
        "flagged": True,
    }
    # 赵强 owes January … July and paid only August: paying the newest month does not clear the
    # seven unpaid months before it (the old rule counted only months after the last paid one)
    assert arrears[1]["memberName"] == "赵强"
    assert (arrears[1]["unpaidMonths"], arrears[1]["consecutiveMonths"], arrears[1]["flagged"]) == (
        7,
        7,
        True,
    )
    assert (arrears[1]["consecutiveFrom"], arrears[1]["consecutiveTo"]) == ("2025-01-01", "2025-07-01")
    flagged = (await admin.ok(ARREARS, asOf="2025-09-15", flagged=True))["duesArrears"]
    assert [r["memberName"] for r in flagged] == ["李明", "赵强"]

    mid = gid("Member", member.id)
    # February is 7 months before September: beyond the 6-month back-payment limit; nothing changes
    code = await admin.error_code(
        PAY, input={"memberId": mid, "months": ["2025-02-01", "2025-03-01"], "paidOn": "2025-09-10"}
    )
    assert code == "DUES_BACK_PAYMENT_LIMIT"
    with tenant_scope(tenant.id):
        assert await DuesPayment.filter(member_id=member.id).count() == 0
    paid = await admin.mutate(
        PAY, input={"memberId": mid, "months": ["2025-03-01", "2025-04-01"], "paidOn": "2025-09-10"}
    )
    assert paid["payment"]["amount"] == "91.36" and paid["payment"]["monthCount"] == 2
    assert [b["period"] for b in paid["payment"]["bills"]] == ["2025-03-01", "2025-04-01"]
    assert (
        await admin.error_code(PAY, input={"memberId": mid, "months": ["2025-04-01"], "paidOn": "2025-09-10"})
        == "DUES_ALREADY_PAID"
    )
    # the runs are now January … February and May … August: the longest is 4 months, no longer flagged
    row = (await admin.ok(ARREARS, asOf="2025-09-15"))["duesArrears"]
    mine = next(r for r in row if r["memberName"] == "李明")
    assert (mine["unpaidMonths"], mine["consecutiveMonths"], mine["consecutiveFrom"]) == (6, 4, "2025-05-01")
    assert mine["flagged"] is False


EXEMPT = """
mutation($input: RecordDuesExemptionInput!) {
  recordDuesExemption(input: $input) {
    errors { code message field }
    exemption { id fromMonth toMonth months reason approvedBy approvedOn recordedBy createdAt revokedOn }
  }
}
"""
REVOKE = """
mutation($input: RevokeDuesExemptionInput!) {
  revokeDuesExemption(input: $input) { errors { code field } exemption { revokedOn revokedBy revokeReason } }
}
"""


async def test_arrears_flag_any_run_of_six_and_recorded_good_reasons(admin, tenant):
    """自行脱党: a run of ``dues.arrears_flag_months`` consecutive unpaid months anywhere in the open
    window flags, whatever was paid after it; months with a good reason the branch recorded (who
    approved it, when, who recorded it) break the run."""
    from core.tenant_config import effective_config

    tree = await make_tree(tenant)
    branch = gid("Organization", tree["a"].id)
    member = await make_member(tenant, tree["a"], "钱进")
    mid = gid("Member", member.id)
    await set_profile(admin, member, "STUDENT")
    for month in range(1, 9):  # January … August 2025
        await admin.mutate(GENERATE, input={"organizationId": branch, "month": f"2025-{month:02d}-01"})
    await admin.mutate(PAY, input={"memberId": mid, "months": ["2025-08-01"], "paidOn": "2025-08-20"})
    assert effective_config(tenant)["dues"]["arrears_flag_months"] == 6  # the seed's number

    async def row() -> dict:
        rows = (await admin.ok(ARREARS, asOf="2025-09-15"))["duesArrears"]
        return next(r for r in rows if r["memberName"] == "钱进")

    first = await row()
    assert (first["unpaidMonths"], first["consecutiveMonths"], first["flagged"]) == (7, 7, True)

    # the branch committee approved a deferral for March and April: January–February and May–July
    recorded = await admin.mutate(
        EXEMPT,
        input={
            "memberId": mid,
            "fromMonth": "2025-03-01",
            "toMonth": "2025-04-30",
            "reason": "住院治疗期间经支部委员会批准缓交",
            "approvedBy": "第一党支部委员会",
            "approvedOn": "2025-03-05",
        },
    )
    exemption = recorded["exemption"]
    assert {k: exemption[k] for k in ("fromMonth", "toMonth", "months", "approvedBy", "approvedOn")} == {
        "fromMonth": "2025-03-01",
        "toMonth": "2025-04-01",
        "months": 2,
        "approvedBy": "第一党支部委员会",
        "approvedOn": "2025-03-05",
    }
    assert (
        exemption["recordedBy"] == "测试管理员" and exemption["createdAt"] and exemption["revokedOn"] is None
    )
    second = await row()
    assert (second["unpaidMonths"], second["exemptMonths"], second["consecutiveMonths"]) == (7, 2, 3)
    assert (second["consecutiveFrom"], second["flagged"]) == ("2025-05-01", False)
    record = (await admin.ok(RECORD, member=mid, year=2025))["memberDuesRecord"]
    assert record["unpaidAmount"] == "1.40"  # the exempted months are still owed
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordDuesExemption").count() == 1

    # overlapping months, a missing reason or approver, a future approval are refused
    base = {"memberId": mid, "reason": "缓交", "approvedBy": "支委会", "approvedOn": "2025-03-05"}
    overlap = {**base, "fromMonth": "2025-04-01", "toMonth": "2025-05-01"}
    assert await admin.error_code(EXEMPT, input=overlap) == "DUES_EXEMPTION_OVERLAP"
    for bad in ({"reason": " "}, {"approvedBy": ""}, {"approvedOn": "2999-01-01"}, {"toMonth": "2025-05-01"}):
        variables = {**base, "fromMonth": "2025-06-01", "toMonth": "2025-06-01", **bad}
        assert await admin.error_code(EXEMPT, input=variables) == "INVALID_INPUT", bad

    # a tenant with a stricter number: three months in a row already flag
    await update_config(tenant, {"dues": {"arrears_flag_months": 3}})
    assert (await row())["flagged"] is True
    await update_config(tenant, {"dues": {"arrears_flag_months": 6}})

    # revoked (kept as history): the months count again
    revoked = await admin.mutate(REVOKE, input={"id": exemption["id"], "reason": "核实未经批准"})
    assert revoked["exemption"]["revokedBy"] == "测试管理员" and revoked["exemption"]["revokedOn"]
    assert await admin.error_code(REVOKE, input={"id": exemption["id"], "reason": "再次"}) == (
        "DUES_EXEMPTION_REVOKED"
    )
    third = await row()
    assert (third["exemptMonths"], third["consecutiveMonths"], third["flagged"]) == (0, 7, True)
    record = (await admin.ok(RECORD, member=mid, year=2025))["memberDuesRecord"]
    assert len(record["exemptions"]) == 1


async def test_quarterly_payment_and_proxy_flag(admin, tenant):
    tree = await make_tree(tenant)
    branch = gid("Organization", tree["a"].id)
    member = await make_member(tenant, tree["a"], "孙丽")
    await set_profile(admin, member, "RETIRED", "6000")  # 60.00 a month
    mid = gid("Member", member.id)
    q3 = ["2025-07-01", "2025-08-01", "2025-09-01"]
    assert await admin.error_code(PAY, input={"memberId": mid, "months": q3, "paidOn": "2025-07-05"}) == (
        "DUES_QUARTERLY_NOT_ALLOWED"
    )
    await admin.mutate(SETTING, input={"branchId": branch, "quarterlyAllowed": True})
    assert (
        await admin.error_code(PAY, input={"memberId": mid, "months": ["2025-10-01"], "paidOn": "2025-07-05"})
        == "DUES_ADVANCE_BEYOND_QUARTER"
    )
    assert (
        await admin.error_code(
            PAY, input={"memberId": mid, "months": q3, "paidOn": "2025-07-05", "paidByProxy": True}
        )
        == "INVALID_INPUT"
    )
    paid = await admin.mutate(
        PAY,
        input={
            "memberId": mid,
            "months": q3,
            "paidOn": "2025-07-05",
            "paidByProxy": True,
            "proxyName": "孙丽之子",
        },
    )
    assert paid["payment"]["amount"] == "180.00"
    assert (paid["payment"]["paidByProxy"], paid["payment"]["proxyName"]) == (True, "孙丽之子")
    with tenant_scope(tenant.id):  # the quarter's bills were issued by the payment
        assert await DuesBill.filter(member_id=member.id, payment_id__isnull=False).count() == 3


async def test_register_record_and_handover_receipt(admin, tenant):
    tree = await make_tree(tenant)
    branch = gid("Organization", tree["a"].id)
    m1 = await make_member(tenant, tree["a"], "周一")
    m2 = await make_member(tenant, tree["a"], "吴二")
    m3 = await make_member(tenant, tree["a"], "郑三")
    await set_profile(admin, m1, "SALARIED", "3000")  # 15.00
    await set_profile(admin, m2, "SALARIED", "4567.89")  # 45.68
    await set_profile(admin, m3, "MINIMUM_ALLOWANCE")  # 0.20
    for month in ("2025-01-01", "2025-02-01"):
        await admin.mutate(GENERATE, input={"organizationId": branch, "month": month})
    for m in (m1, m2, m3):
        await admin.mutate(
            PAY, input={"memberId": gid("Member", m.id), "months": ["2025-01-01"], "paidOn": "2025-01-20"}
        )
    await admin.mutate(
        PAY,
        input={
            "memberId": gid("Member", m2.id),
            "months": ["2025-02-01"],
            "paidOn": "2025-02-25",
            "paidByProxy": True,
            "proxyName": "同事",
        },
    )
    # the receipt of January sums January's payments in SQL, exactly
    h = await admin.mutate(
        HANDOVER,
        input={
            "branchId": branch,
            "periodStart": "2025-01-01",
            "periodEnd": "2025-01-31",
            "handedOn": "2025-02-03",
            "receivedBy": "机关党委组织部",
            "receiptNo": "DF-2025-001",
        },
    )
    assert (h["handover"]["amount"], h["handover"]["paymentCount"]) == ("60.88", 3)
    assert sorted(p["amount"] for p in h["handover"]["payments"]) == ["0.20", "15.00", "45.68"]
    again = {"branchId": branch, "periodStart": "2025-01-01", "periodEnd": "2025-01-31"}
    assert await admin.error_code(HANDOVER, input=again) == "DUES_HANDOVER_EMPTY"
    second = await admin.mutate(
        HANDOVER, input={**again, "periodEnd": "2025-02-28", "handedOn": "2025-03-02"}
    )
    assert second["handover"]["amount"] == "45.68"  # January's payments are not counted twice

    reg = (await admin.ok(REGISTER, branch=branch, year=2025))["duesRegister"]
    assert reg["billedAmount"] == "121.76" and reg["paidAmount"] == "106.56"
    assert reg["handedOverAmount"] == "106.56"
    assert reg["months"] == [
        {
            "month": "2025-01-01",
            "billed": 3,
            "billedAmount": "60.88",
            "paid": 3,
            "paidAmount": "60.88",
            "paidByProxy": 0,
            "unpaid": 0,
            "unpaidAmount": "0.00",
        },
        {
            "month": "2025-02-01",
            "billed": 3,
            "billedAmount": "60.88",
            "paid": 1,
            "paidAmount": "45.68",
            "paidByProxy": 1,
            "unpaid": 2,
            "unpaidAmount": "15.20",
        },
    ]
    assert {r["memberName"]: (r["billedAmount"], r["paidAmount"]) for r in reg["rows"]} == {
        "周一": ("30.00", "15.00"),
        "吴二": ("91.36", "91.36"),
        "郑三": ("0.40", "0.20"),
    }
    record = (await admin.ok(RECORD, member=gid("Member", m2.id), year=2025))["memberDuesRecord"]
    assert record["paidAmount"] == "91.36" and record["unpaidAmount"] == "0.00"
    assert [b["payment"]["paidByProxy"] for b in record["bills"]] == [False, True]
    assert record["profiles"] == [
        {"category": "SALARIED", "monthlyIncome": "4567.89", "effectiveFrom": "2025-01-01"}
    ]


async def test_profile_change_recomputes_unpaid_bills_only(admin, tenant):
    tree = await make_tree(tenant)
    branch = gid("Organization", tree["a"].id)
    member = await make_member(tenant, tree["a"], "钱七")
    await set_profile(admin, member, "SALARIED", "2000")  # 10.00
    for month in ("2025-01-01", "2025-02-01", "2025-03-01"):
        await admin.mutate(GENERATE, input={"organizationId": branch, "month": month})
    mid = gid("Member", member.id)
    await admin.mutate(PAY, input={"memberId": mid, "months": ["2025-01-01"], "paidOn": "2025-01-10"})
    await set_profile(admin, member, "SALARIED", "6000", since="2025-01-01")  # corrected: 90.00
    with tenant_scope(tenant.id):
        amounts = [b.amount for b in await DuesBill.filter(member_id=member.id).order_by("period")]
    assert amounts == [Decimal("10.00"), Decimal("90.00"), Decimal("90.00")]


async def test_payment_refusals_for_non_members_and_months_before_joining(admin, tenant):
    tree = await make_tree(tenant)
    newcomer = await make_member(
        tenant, tree["a"], "新党员", status="PROBATIONARY", joined_on=dt.date(2025, 5, 10)
    )
    applicant = await make_member(tenant, tree["a"], "申请人", status="APPLICANT", joined_on=None)
    await set_profile(admin, newcomer, "STUDENT")
    code = await admin.error_code(
        PAY, input={"memberId": gid("Member", newcomer.id), "months": ["2025-04-01"], "paidOn": "2025-06-01"}
    )
    assert code == "DUES_BEFORE_JOINING"
    code = await admin.error_code(
        PAY, input={"memberId": gid("Member", applicant.id), "months": ["2025-05-01"], "paidOn": "2025-06-01"}
    )
    assert code == "DUES_MEMBER_NOT_CURRENT"
    code = await admin.error_code(PAY, input={"memberId": gid("Member", newcomer.id), "months": []})
    assert code == "INVALID_INPUT"
    paid = await admin.mutate(
        PAY, input={"memberId": gid("Member", newcomer.id), "months": ["2025-05-01"], "paidOn": "2025-06-01"}
    )
    assert paid["payment"]["amount"] == "0.20"
    with tenant_scope(tenant.id):
        assert await DuesPayment.filter(member_id__in=[newcomer.id, applicant.id]).count() == 1


MINE = "query($year: Int!) { myDuesRecord(year: $year) { memberName bills { period paid } } }"


async def test_members_read_their_own_record_only(admin, tenant):
    tree = await make_tree(tenant)
    member = await make_member(tenant, tree["a"], "冯八")
    await set_profile(admin, member, "STUDENT")
    await admin.mutate(
        GENERATE, input={"organizationId": gid("Organization", tree["a"].id), "month": "2025-04-01"}
    )
    own = GraphQLClient(Principal(tenant_id=tenant.id, label="冯八", member_id=member.id, grants={}))
    data = await own.ok(MINE, year=2025)
    assert data["myDuesRecord"] == {"memberName": "冯八", "bills": [{"period": "2025-04-01", "paid": False}]}
    # the member has no DUES_READ: another member's record is refused
    code = await own.error_code(RECORD, member=gid("Member", member.id), year=2025)
    assert code == "PERMISSION_DENIED"
    nobody = GraphQLClient(Principal(tenant_id=tenant.id, label="无党员", grants={}))
    assert await nobody.error_code(MINE, year=2025) == "DUES_NO_MEMBER_RECORD"


async def test_register_and_bill_list_cost_the_same_statements_for_more_members(admin, tenant):
    from tests.support import count_statements

    counts = []
    for size in (3, 12):
        tree = await make_tree(tenant)
        branch = gid("Organization", tree["a"].id)
        for i in range(size):
            m = await make_member(tenant, tree["a"], f"成员{size}-{i}")
            await set_profile(admin, m, "SALARIED", str(3000 + i))
        await admin.mutate(GENERATE, input={"organizationId": branch, "month": "2025-01-01"})
        query = (
            "query($branch: ID!, $filter: DuesBillFilter) { duesRegister(branchId: $branch, year: 2025) "
            "{ rows { memberName bills { amount branch { name } payment { id } } } } "
            "duesBills(filter: $filter, first: 50) "
            "{ nodes { memberName branch { name } payment { paidOn } } } }"
        )
        with count_statements() as statements:
            await admin.ok(query, branch=branch, filter={"subtreeOf": branch})
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


async def test_after_a_transfer_the_old_branch_keeps_its_register_but_not_the_member(admin, tenant):
    tree = await make_tree(tenant)
    a, b = tree["a"], tree["b"]
    member = await make_member(tenant, a, "褚九")
    await set_profile(admin, member, "SALARIED", "3000")
    await admin.mutate(GENERATE, input={"organizationId": gid("Organization", a.id), "month": "2025-01-01"})
    with tenant_scope(tenant.id):  # the relation moves to branch B (the transfers domain does this)
        member.branch_id = b.id
        await member.save(update_fields=["branch_id"])
    await admin.mutate(GENERATE, input={"organizationId": gid("Organization", b.id), "month": "2025-02-01"})

    def reader(org):  # noqa: ANN001, ANN202
        return GraphQLClient(
            Principal(
                tenant_id=tenant.id,
                label=org.name,
                grants={"DUES_READ": (org.path,), "ORG_READ": (org.path,)},
            )
        )

    old, new = reader(a), reader(b)
    assert [n["period"] for n in (await old.ok(BILLS))["duesBills"]["nodes"]] == ["2025-01-01"]
    assert [n["period"] for n in (await new.ok(BILLS))["duesBills"]["nodes"]] == ["2025-02-01"]
    assert await old.error_code(RECORD, member=gid("Member", member.id), year=2025) == "PERMISSION_DENIED"
    record = (await new.ok(RECORD, member=gid("Member", member.id), year=2025))["memberDuesRecord"]
    assert [bill["period"] for bill in record["bills"]] == ["2025-01-01", "2025-02-01"]
    assert [r["memberName"] for r in (await old.ok(ARREARS, asOf="2025-03-10"))["duesArrears"]] == []
    assert [r["memberName"] for r in (await new.ok(ARREARS, asOf="2025-03-10"))["duesArrears"]] == ["褚九"]
    old_register = (await old.ok(REGISTER, branch=gid("Organization", a.id), year=2025))["duesRegister"]
    assert [r["memberName"] for r in old_register["rows"]] == ["褚九"]
    assert [m["month"] for m in old_register["months"]] == ["2025-01-01"]


async def test_settings_and_receipts_belong_to_branches(admin, tenant):
    tree = await make_tree(tenant)
    root = gid("Organization", tree["root"].id)
    code = await admin.error_code(SETTING, input={"branchId": root, "quarterlyAllowed": True})
    assert code == "DUES_NOT_A_BRANCH"
    code = await admin.error_code(
        HANDOVER, input={"branchId": root, "periodStart": "2025-01-01", "periodEnd": "2025-01-31"}
    )
    assert code == "DUES_NOT_A_BRANCH"
    other = GraphQLClient(
        Principal(tenant_id=tenant.id, label="二支部", grants={"DUES_READ": (tree["b"].path,)})
    )
    code = await other.error_code(QUOTE, category="FARMER", branch=gid("Organization", tree["a"].id))
    assert code == "PERMISSION_DENIED"
