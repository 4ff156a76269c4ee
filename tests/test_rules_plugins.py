"""Plugin rules: each code fires on a tenant with its plugin enabled and clears once fixed; plugin
rules that share a core code replace the core rule; plugin activity kinds get calendar rules."""

from __future__ import annotations

import datetime as dt

from core.principal import Principal
from core.services.tenants import get_tenant
from core.tenancy import tenant_scope
from core.tenant_config import update_config
from tests import standards_factories as f
from tests.support import GraphQLClient, make_tenant

D = dt.date
FINDINGS = """
query($s: ID, $codes: [String!]) {
  findings(scopeId: $s, from: "2025-01-01", to: "2025-12-31", ruleCodes: $codes) {
    ruleCode plugin message numbers branch { id }
  }
}
"""
RULES = "{ standardRules { code plugin area severity source } }"


async def setup(plugin: str, **options):
    tenant = await make_tenant(domain=plugin, plugins=[plugin], scoring=plugin)
    client = GraphQLClient(Principal.tenant_admin(tenant.id, label="管理员"))
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root, life=False, **options)
    return tenant, client, kit


async def fired(client, kit, code: str) -> list[dict]:
    rows = (await client.ok(FINDINGS, s=kit.gid, codes=[code]))["findings"]
    return [r for r in rows if r["branch"]["id"] == kit.gid]


async def test_rural_rules():
    from plugins.rural.models import VillageCadre

    tenant, client, kit = await setup("rural", term_years=5, sector="VILLAGE")
    with tenant_scope(tenant.id):
        old = await VillageCadre.create(
            organization_id=kit.id, name="甲", body="BOTH", post="主任", birth_date=D(1965, 1, 1)
        )
    assert [r["plugin"] for r in await fired(client, kit, "RURAL_YOUNG_CADRES")] == ["rural"]
    assert await fired(client, kit, "RURAL_CAPABLE_LOCALS")
    with tenant_scope(tenant.id):
        await VillageCadre.create(
            organization_id=kit.id, name="乙", body="VILLAGERS", post="委员", birth_date=D(1995, 5, 1)
        )
        old.capable_local = True
        await old.save()
    assert await fired(client, kit, "RURAL_YOUNG_CADRES") == []
    assert await fired(client, kit, "RURAL_CAPABLE_LOCALS") == []

    # a village organization serves 5 years: the core term rule reads it from the term config
    # (committee.term_years_by_sector); the plugin no longer overrides the rule
    assert await fired(client, kit, "COMMITTEE_TERM_LENGTH") == []
    from core.models import CommitteeTerm

    with tenant_scope(tenant.id):
        await CommitteeTerm.filter(id=kit.term.id).update(ends_on=D(2027, 5, 31))
    (finding,) = await fired(client, kit, "COMMITTEE_TERM_LENGTH")
    assert finding["plugin"] is None and finding["numbers"]["term_years"] == 5
    assert finding["numbers"]["term_years_key"] == "committee.term_years_by_sector.VILLAGE"
    rules = (await client.ok(RULES))["standardRules"]
    assert [r["plugin"] for r in rules if r["code"] == "COMMITTEE_TERM_LENGTH"] == [None]


async def test_rural_grid_visits_are_expected_from_party_groups():
    tenant, client, kit = await setup("rural", term_years=5, groups=2, full=8, sector="VILLAGE")
    rows = await fired(client, kit, "GRID_VISIT_MISSING")
    assert len(rows) == 24  # two grid groups, twelve months
    for group in kit.groups:
        for month in range(1, 13):
            await f.activity(tenant.id, group, "GRID_VISIT", D(2025, month, 6), kit.members[:2])
    assert await fired(client, kit, "GRID_VISIT_MISSING") == []


async def test_enterprise_rules():
    from plugins.enterprise.models import Demonstration, DemonstrationMember, IntegrationItem

    tenant, client, kit = await setup("enterprise")
    assert await fired(client, kit, "ENTERPRISE_DEMONSTRATION_MISSING")
    assert await fired(client, kit, "ENTERPRISE_INTEGRATION_BEHIND")
    with tenant_scope(tenant.id):
        demo = await Demonstration.create(organization_id=kit.id, kind="SHOP", name="党员示范店", year=2025)
        item = await IntegrationItem.create(
            organization_id=kit.id,
            year=2025,
            title="党建+营销",
            business_metric="销售额",
            target_value=100,
            actual_value=80,
        )
    # a demonstration without members does not count; an item below target does not either
    assert await fired(client, kit, "ENTERPRISE_DEMONSTRATION_MISSING")
    (behind,) = await fired(client, kit, "ENTERPRISE_INTEGRATION_BEHIND")
    assert behind["numbers"] == {"items": 1, "reached": 0, "min_items": 1, "attainment": 1.0}
    with tenant_scope(tenant.id):
        await DemonstrationMember.create(demonstration_id=demo.id, member_id=kit.members[0].id)
        item.actual_value = 105
        await item.save()
    assert await fired(client, kit, "ENTERPRISE_DEMONSTRATION_MISSING") == []
    assert await fired(client, kit, "ENTERPRISE_INTEGRATION_BEHIND") == []
    assert len(await fired(client, kit, "PLEDGE_REVIEW_MISSING")) == 4


async def test_newspaper_rules():
    from core.models import Organization
    from plugins.newspaper.checklist import ITEMS
    from plugins.newspaper.models import ChecklistAssessment

    tenant, client, kit = await setup("newspaper")
    (below,) = await fired(client, kit, "NEWSPAPER_CHECKLIST_BELOW_PASS")
    assert below["numbers"] == {"assessed": 0, "met": 0, "needed": 21}
    with tenant_scope(tenant.id):
        for item in ITEMS:
            await ChecklistAssessment.create(
                organization_id=kit.id,
                year=2025,
                item_code=item.code,
                status="MET",
                assessed_on=D(2025, 10, 1),
            )
    assert await fired(client, kit, "NEWSPAPER_CHECKLIST_BELOW_PASS") == []

    # joint branches: the newspaper's own (lower) limit replaces the core rule's
    with tenant_scope(tenant.id):
        await Organization.filter(id=kit.id).update(
            kind="JOINT_BRANCH", covered_units=["甲", "乙", "丙", "丁"]
        )
    assert await fired(client, kit, "JOINT_BRANCH_MAX_UNITS") == []
    with tenant_scope(tenant.id):
        await update_config(await get_tenant(tenant.id), {"newspaper": {"joint_branch_max_departments": 3}})
    (joint,) = await fired(client, kit, "JOINT_BRANCH_MAX_UNITS")
    assert joint["plugin"] == "newspaper" and joint["numbers"] == {"units": 4, "max_units": 3}
    with tenant_scope(tenant.id):
        await Organization.filter(id=kit.id).update(covered_units=["甲", "乙", "丙"])
    assert await fired(client, kit, "JOINT_BRANCH_MAX_UNITS") == []


async def test_foreign_affairs_rules():
    from plugins.foreign_affairs.models import MassOrganization, VenueChecklist
    from plugins.foreign_affairs.venue import VENUE_ITEMS

    tenant, client, kit = await setup("foreign_affairs", full=12, groups=3)
    # the core venue inspection (一室四有两公开) is complete, but the office's 两专六有 rule replaced it
    (venue,) = await fired(client, kit, "VENUE_INCOMPLETE")
    assert venue["plugin"] == "foreign_affairs" and len(venue["numbers"]["missing"]) == 8
    (groups,) = await fired(client, kit, "FOREIGN_AFFAIRS_PARTY_GROUPS")
    assert groups["numbers"] == {"groups": 3, "expected": 4}
    (mass,) = await fired(client, kit, "FOREIGN_AFFAIRS_MASS_ORGANIZATIONS")
    assert mass["numbers"]["missing"] == ["TRADE_UNION", "WOMEN_GROUP", "YOUTH_LEAGUE"]
    with tenant_scope(tenant.id):
        await VenueChecklist.create(
            organization_id=kit.id, checked_on=D(2025, 4, 1), **{item.code: True for item in VENUE_ITEMS}
        )
        for kind in ("TRADE_UNION", "WOMEN_GROUP", "YOUTH_LEAGUE"):
            await MassOrganization.create(organization_id=kit.id, kind=kind, name=kind)
    await f.org(tenant.id, "PARTY_GROUP", "第四党小组", kit.branch)
    assert await fired(client, kit, "VENUE_INCOMPLETE") == []
    assert await fired(client, kit, "FOREIGN_AFFAIRS_MASS_ORGANIZATIONS") == []
    assert await fired(client, kit, "FOREIGN_AFFAIRS_PARTY_GROUPS") == []
    rules = {r["code"]: r for r in (await client.ok(RULES))["standardRules"]}
    for kind in ("MONTHLY_THEORY_SESSION", "MONTHLY_FLAG_RAISING", "WEEKLY_SPORTS", "PATRIOTIC_EDUCATION"):
        assert rules[f"{kind}_MISSING"]["plugin"] == "foreign_affairs"
        assert rules[f"{kind}_LATE"]["severity"] == "INFO"
    assert "MASS_JOINT_ACTIVITY_MISSING" not in rules  # recorded, but on no cadence


async def test_plugin_rules_stay_with_their_tenants(admin, tenant):
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root, life=False)
    rules = {r["code"]: r for r in (await admin.ok(RULES))["standardRules"]}
    assert not any(r["plugin"] for r in rules.values())
    assert "RURAL_YOUNG_CADRES" not in rules and "WEEKLY_SPORTS_MISSING" not in rules
    assert rules["VENUE_INCOMPLETE"]["source"] == "domain §5"
    assert await fired(admin, kit, "FOREIGN_AFFAIRS_PARTY_GROUPS") == []
