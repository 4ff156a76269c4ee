"""双覆盖 through GraphQL: units under a committee, whether each has a party organization and party
work, and the two rates (组织覆盖率 / 工作覆盖率) per kind, computed in SQL over a subtree."""

from __future__ import annotations

from core.models import AuditRecord, CoveredUnit
from core.tenancy import tenant_scope
from tests.core_factories import org, tree

RECORD = """
mutation($input: RecordCoveredUnitInput!) {
  recordCoveredUnit(input: $input) {
    errors { code field }
    coveredUnit { id name kind hasPartyOrganization hasPartyWork partyOrganizationId }
  }
}
"""
UPDATE = """
mutation($input: UpdateCoveredUnitInput!) {
  updateCoveredUnit(input: $input) { errors { code field } coveredUnit { hasPartyOrganization hasPartyWork } }
}
"""
COVERAGE = """
query($org: ID!) {
  coverage(organizationId: $org) { kind kindLabel units organized worked organizationRate workRate }
}
"""


async def _unit(admin, committee: dict, name: str, kind: str, **extra) -> dict:
    payload = await admin.mutate(
        RECORD, input={"organizationId": committee["id"], "name": name, "kind": kind, **extra}
    )
    return payload["coveredUnit"]


async def test_coverage_rates_per_kind_over_the_subtree(admin, tenant):
    t = await tree(admin)
    committee = t["committee"]
    park = await org(admin, "PARTY_COMMITTEE", "园区综合党委", committee)
    enterprise_branch = await org(admin, "BRANCH", "甲公司党支部", park)
    linked = await _unit(
        admin, park, "甲公司", "NON_PUBLIC_ENTERPRISE", partyOrganizationId=enterprise_branch["id"]
    )
    assert linked["hasPartyOrganization"] and linked["hasPartyWork"]  # an organization is also work
    await _unit(admin, park, "乙公司", "NON_PUBLIC_ENTERPRISE", hasPartyWork=True)  # 党建指导员
    bare = await _unit(admin, committee, "丙公司", "NON_PUBLIC_ENTERPRISE")
    await _unit(admin, committee, "某协会", "SOCIAL_ORGANIZATION", hasPartyOrganization=True)
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordCoveredUnit").count() == 4

    rows = {r["kind"]: r for r in (await admin.ok(COVERAGE, org=committee["id"]))["coverage"]}
    assert rows["NON_PUBLIC_ENTERPRISE"] == {
        "kind": "NON_PUBLIC_ENTERPRISE",
        "kindLabel": "非公有制企业",
        "units": 3,
        "organized": 1,
        "worked": 2,
        "organizationRate": 0.3333,
        "workRate": 0.6667,
    }
    assert rows["SOCIAL_ORGANIZATION"]["organizationRate"] == 1.0
    # the park committee's subtree only
    park_rows = {r["kind"]: r for r in (await admin.ok(COVERAGE, org=park["id"]))["coverage"]}
    assert (park_rows["NON_PUBLIC_ENTERPRISE"]["units"], park_rows["NON_PUBLIC_ENTERPRISE"]["worked"]) == (
        2,
        2,
    )
    assert park_rows["SOCIAL_ORGANIZATION"]["units"] == 0
    assert park_rows["SOCIAL_ORGANIZATION"]["organizationRate"] is None

    fixed = await admin.mutate(UPDATE, input={"id": bare["id"], "hasPartyOrganization": True})
    assert fixed["coveredUnit"] == {"hasPartyOrganization": True, "hasPartyWork": True}
    rows = {r["kind"]: r for r in (await admin.ok(COVERAGE, org=committee["id"]))["coverage"]}
    assert (rows["NON_PUBLIC_ENTERPRISE"]["organized"], rows["NON_PUBLIC_ENTERPRISE"]["worked"]) == (2, 3)


async def test_covered_unit_refusals(admin, tenant):
    t = await tree(admin)
    base = {"organizationId": t["committee"]["id"], "name": "甲公司", "kind": "NON_PUBLIC_ENTERPRISE"}
    assert await admin.error_code(RECORD, input={**base, "organizationId": t["branch"]["id"]}) == (
        "COVERAGE_NOT_A_COMMITTEE"
    )
    other = await org(admin, "PARTY_COMMITTEE", "另一党委")
    outside = await org(admin, "BRANCH", "外部支部", other)
    assert await admin.error_code(RECORD, input={**base, "partyOrganizationId": outside["id"]}) == (
        "COVERAGE_ORG_OUTSIDE"
    )
    await admin.mutate(RECORD, input=base)
    assert await admin.error_code(RECORD, input=base) == "COVERED_UNIT_DUPLICATE"
    with tenant_scope(tenant.id):
        assert await CoveredUnit.all().count() == 1
