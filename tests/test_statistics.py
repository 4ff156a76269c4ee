"""statistics(scopeId, from, to): counts over a subtree in SQL, each block only with its permission."""

from __future__ import annotations

import datetime as dt

from core.models import Member
from core.principal import Principal
from core.tenancy import tenant_scope
from core.testing import GraphQLClient, count_statements
from tests.test_dues import GENERATE, PAY, gid, make_tree, set_profile

QUERY = """
query($scope: ID, $from: Date!, $to: Date!) {
  statistics(scopeId: $scope, from: $from, to: $to) {
    from to
    members {
      total joinedInPeriod
      byStatus { key label count } byGender { key label count } byAge { key label count }
      byStanding { key count } byEducation { key count } byCategory { key label count }
    }
    development { stage label openCases }
    activities { kind expected met held rate }
    dues { bills billed paidBills collected rate }
    rectification { opened closed openNow overdue }
    attainment { branches passed rate }
  }
}
"""
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


async def _people(tenant, tree) -> None:
    with tenant_scope(tenant.id):
        rows = [
            ("甲", tree["a"], "FULL", "MALE", dt.date(1990, 5, 1), dt.date(2012, 7, 1), "大学本科"),
            ("乙", tree["a"], "FULL", "FEMALE", dt.date(1960, 1, 1), dt.date(1985, 7, 1), "大学本科"),
            ("丙", tree["a"], "PROBATIONARY", "FEMALE", dt.date(2000, 2, 2), dt.date(2025, 6, 1), "研究生"),
            ("丁", tree["b"], "FULL", "MALE", dt.date(1980, 3, 3), dt.date(2005, 7, 1), ""),
            ("戊", tree["b"], "APPLICANT", "MALE", dt.date(2001, 1, 1), None, ""),  # not counted
        ]
        for name, branch, status, gender, birth, joined, education in rows:
            await Member.create(
                name=name,
                branch_id=branch.id,
                status=status,
                gender=gender,
                birth_date=birth,
                joined_on=joined,
                education=education,
            )


async def test_member_statistics_by_attribute_for_a_subtree(admin, tenant):
    tree = await make_tree(tenant)
    await _people(tenant, tree)
    data = (await admin.ok(QUERY, scope=gid("Organization", tree["root"].id), **YEAR))["statistics"]
    members = data["members"]
    assert members["total"] == 4 and members["joinedInPeriod"] == 1
    assert {c["key"]: c["count"] for c in members["byStatus"]} == {"FULL": 3, "PROBATIONARY": 1}
    assert {c["label"]: c["count"] for c in members["byGender"]} == {"男": 2, "女": 2}
    ages = {c["label"]: c["count"] for c in members["byAge"]}
    assert ages == {"30岁及以下": 1, "31至40岁": 1, "41至50岁": 1, "51至60岁": 0, "61岁及以上": 1}
    assert {c["key"]: c["count"] for c in members["byEducation"]} == {"": 1, "大学本科": 2, "研究生": 1}
    # one branch only
    branch = (await admin.ok(QUERY, scope=gid("Organization", tree["b"].id), **YEAR))["statistics"]
    assert branch["members"]["total"] == 1
    assert [s["openCases"] for s in data["development"]] == [0, 0, 0, 0, 0]
    # nothing was held: every expected activity of the year is missing, by kind
    activities = {a["kind"]: a for a in data["activities"]}
    assert activities["MEMBER_CONGRESS"]["expected"] == 2 * 4  # two branches, quarterly
    assert activities["COMMITTEE_MEETING"]["expected"] == 2 * 12  # monthly
    assert all(a["met"] == 0 and a["held"] == 0 and a["rate"] == 0 for a in activities.values())


async def test_dues_billed_and_collected(admin, tenant):
    tree = await make_tree(tenant)
    await _people(tenant, tree)
    with tenant_scope(tenant.id):
        payer = await Member.get(name="甲", tenant_id=tenant.id)
        other = await Member.get(name="丁", tenant_id=tenant.id)
    await set_profile(admin, payer, "SALARIED", "4000")
    await set_profile(admin, other, "SALARIED", "4000")
    root = gid("Organization", tree["root"].id)
    await admin.mutate(GENERATE, input={"organizationId": root, "month": "2025-03-01"})
    await admin.mutate(
        PAY, input={"memberId": gid("Member", payer.id), "months": ["2025-03-01"], "paidOn": "2025-03-20"}
    )
    dues = (await admin.ok(QUERY, scope=root, **YEAR))["statistics"]["dues"]
    assert dues == {"bills": 2, "billed": "80.00", "paidBills": 1, "collected": "40.00", "rate": 0.5}


async def test_blocks_need_their_own_permission_and_the_scope_must_be_readable(tenant):
    tree = await make_tree(tenant)
    await _people(tenant, tree)
    inspector = GraphQLClient(
        Principal(
            tenant_id=tenant.id,
            label="只看组织",
            grants={"ORG_READ": (tree["a"].path,), "MEMBER_READ": (tree["a"].path,)},
        )
    )
    mine = (await inspector.ok(QUERY, scope=gid("Organization", tree["a"].id), **YEAR))["statistics"]
    assert mine["members"]["total"] == 3
    assert mine["dues"] is None and mine["development"] is None and mine["rectification"] is None
    assert (
        await inspector.error_code(QUERY, scope=gid("Organization", tree["b"].id), **YEAR)
        == "PERMISSION_DENIED"
    )
    assert await inspector.error_code(QUERY, **YEAR) == "PERMISSION_DENIED"  # the whole tenant


async def test_bad_periods_and_ids_are_typed_errors(admin, tenant):
    assert await admin.error_code(QUERY, **{"from": "2025-12-31", "to": "2025-01-01"}) == "INVALID_INPUT"
    assert await admin.error_code(QUERY, **{"from": "2000-01-01", "to": "2025-01-01"}) == "INVALID_INPUT"
    assert await admin.error_code(QUERY, scope="nope", **YEAR) == "INVALID_INPUT"


async def test_statement_count_does_not_grow_with_the_tenant(admin, tenant):
    tree = await make_tree(tenant)
    await _people(tenant, tree)
    query = """query($s: ID, $from: Date!, $to: Date!) { statistics(scopeId: $s, from: $from, to: $to) {
      members { total byAge { count } } dues { bills } rectification { opened } } }"""
    root = gid("Organization", tree["root"].id)
    with count_statements() as few:
        await admin.ok(query, s=root, **YEAR)
    with tenant_scope(tenant.id):
        for i in range(40):
            await Member.create(name=f"新{i}", branch_id=tree["b"].id, status="FULL")
    with count_statements() as many:
        data = await admin.ok(query, s=root, **YEAR)
    assert data["statistics"]["members"]["total"] == 44
    assert len(many) == len(few)
