"""Rural plugin through GraphQL: grids, first secretaries, the two committees and their shares."""

from __future__ import annotations

import datetime as dt

from tests.plugin_factories import create_org, plugin_client

GRID = """mutation($org: ID!, $village: String!, $households: Int!) {
  registerRuralGrid(input: {organizationId: $org, naturalVillage: $village, households: $households,
                            activitySite: "王家农户家"}) {
    errors { code field } grid { id naturalVillage households organization { name kind } } } }"""
APPOINT = """mutation($org: ID!, $name: String!, $starts: Date!) {
  appointFirstSecretary(input: {organizationId: $org, name: $name, dispatchingAgency: "县农业农村局",
                                agencyLevel: "县", startsOn: $starts}) {
    errors { code field } firstSecretary { id name endsOn serving organization { name } } } }"""
CADRE = """mutation($org: ID!, $name: String!, $born: Date!, $capable: Boolean!, $body: CommitteeBody!) {
  addVillageCadre(input: {organizationId: $org, name: $name, body: $body, post: "委员",
                          birthDate: $born, capableLocal: $capable}) {
    errors { code field } cadre { id age } } }"""
COMMITTEE = """query($org: ID!) { villageCommittee(organizationId: $org) {
  total youngAge underAge underAgeShare capableLocals capableLocalShare cadres { name body } } }"""


def years_ago(years: int, days: int = 0) -> str:
    today = dt.date.today()
    return (today.replace(year=today.year - years) - dt.timedelta(days=days)).isoformat()


async def _village(client):
    town = await create_org(client, "PARTY_COMMITTEE", "青山镇党委")
    village = await create_org(client, "BRANCH", "李家村党支部", town)
    group = await create_org(client, "PARTY_GROUP", "李家湾网格党小组", village)
    return town, village, group


async def test_grid_party_group_in_a_natural_village():
    _, client = await plugin_client("rural", domain="rural")
    _, village, group = await _village(client)
    payload = await client.mutate(GRID, org=group, village="李家湾", households=42)
    assert payload["grid"]["naturalVillage"] == "李家湾"
    assert payload["grid"]["organization"] == {"name": "李家湾网格党小组", "kind": "PARTY_GROUP"}
    # only a party group can be a grid party group; the update keeps one row per group
    assert (
        await client.error_code(GRID, org=village, village="李家村", households=1) == "RURAL_GRID_NOT_A_GROUP"
    )
    await client.mutate(GRID, org=group, village="李家湾", households=45)
    data = await client.ok("{ ruralGrids { totalCount nodes { households } } }")
    assert data["ruralGrids"] == {"totalCount": 1, "nodes": [{"households": 45}]}


async def test_first_secretary_term_and_overlap():
    _, client = await plugin_client("rural", domain="rural")
    _, village, _ = await _village(client)
    starts = dt.date.today() - dt.timedelta(days=30)
    payload = await client.mutate(APPOINT, org=village, name="张卫国", starts=starts.isoformat())
    secretary = payload["firstSecretary"]
    # default term: rural.first_secretary_term_years = 2
    assert secretary["endsOn"] == starts.replace(year=starts.year + 2).isoformat()
    assert secretary["serving"] is True
    code = await client.error_code(APPOINT, org=village, name="李四", starts=dt.date.today().isoformat())
    assert code == "RURAL_FIRST_SECRETARY_SERVING"
    data = await client.ok("{ firstSecretaries { nodes { name dispatchingAgency organization { name } } } }")
    assert data["firstSecretaries"]["nodes"] == [
        {"name": "张卫国", "dispatchingAgency": "县农业农村局", "organization": {"name": "李家村党支部"}}
    ]
    recall = """mutation($id: ID!, $on: Date!) { recallFirstSecretary(input: {id: $id, on: $on}) {
      errors { code } firstSecretary { recalledOn } } }"""
    await client.mutate(recall, id=secretary["id"], on=dt.date.today().isoformat())
    data = await client.ok("{ firstSecretaries { totalCount } }")
    assert data["firstSecretaries"]["totalCount"] == 0


async def test_two_committees_shares_follow_config():
    _, client = await plugin_client("rural", domain="rural")
    _, village, _ = await _village(client)
    await client.mutate(CADRE, org=village, name="王强", born=years_ago(30), capable=True, body="BOTH")
    await client.mutate(CADRE, org=village, name="赵敏", born=years_ago(34, 1), capable=False, body="PARTY")
    await client.mutate(CADRE, org=village, name="钱老", born=years_ago(58), capable=True, body="VILLAGERS")
    await client.mutate(CADRE, org=village, name="孙立", born=years_ago(45), capable=False, body="VILLAGERS")
    data = (await client.ok(COMMITTEE, org=village))["villageCommittee"]
    assert data["total"] == 4
    assert (data["youngAge"], data["underAge"], data["underAgeShare"]) == (35, 2, 0.5)
    assert (data["capableLocals"], data["capableLocalShare"]) == (2, 0.5)
    # the age line is tenant config: lowering it to 31 leaves one young cadre
    config = """mutation { updatePluginConfig(input: {name: "rural", patch: {young_cadre_age: 31}}) {
      errors { code } } }"""
    await client.mutate(config)
    data = (await client.ok(COMMITTEE, org=village))["villageCommittee"]
    assert (data["youngAge"], data["underAge"], data["underAgeShare"]) == (31, 1, 0.25)
    bad = """mutation { updatePluginConfig(input: {name: "rural", patch: {young_cadre_age: 5}}) {
      errors { code field } } }"""
    assert await client.error_code(bad) == "INVALID_INPUT"


async def test_rural_fields_need_the_plugin():
    _, client = await plugin_client()
    assert await client.error_code("{ ruralGrids { totalCount } }") == "PLUGIN_NOT_ENABLED"
    code = await client.error_code(
        """mutation { registerRuralGrid(input: {organizationId: "T3JnYW5pemF0aW9uOjE=",
        naturalVillage: "x"}) { errors { code } } }"""
    )
    assert code == "PLUGIN_NOT_ENABLED"


START_TERM = """mutation($org: ID!, $starts: Date!, $ends: Date) {
  startCommitteeTerm(input: {organizationId: $org, startsOn: $starts, endsOn: $ends}) {
    errors { code } term { endsOn } } }"""
TERM_FINDINGS = """query($s: ID!) {
  findings(scopeId: $s, from: "2025-01-01", to: "2025-12-31", ruleCodes: ["COMMITTEE_TERM_LENGTH"]) {
    plugin organization { name } numbers } }"""
CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""


async def test_village_terms_are_5_years_and_agency_branches_3_from_one_config():
    """COMMITTEE_TERM_LENGTH and the default of startCommitteeTerm read the same term config: a
    village organization serves 5 years, the township's agency branch 3, the township committee 5."""
    _, client = await plugin_client("rural", domain="rural")
    town = await create_org(client, "PARTY_COMMITTEE", "青山镇党委", sector="TOWNSHIP")
    agency = await create_org(client, "BRANCH", "青山镇机关党支部", town, sector="AGENCY")
    village = await create_org(client, "BRANCH", "李家村党支部", town, sector="VILLAGE")
    terms = (await client.ok("{ tenant { config } }"))["tenant"]["config"]["committee"]
    expected = {
        town: terms["term_years_by_kind"]["PARTY_COMMITTEE"],
        agency: terms["term_years"],
        village: terms["term_years_by_sector"]["VILLAGE"],
    }
    assert list(expected.values()) == [5, 3, 5]
    for org, years in expected.items():
        payload = await client.mutate(START_TERM, org=org, starts="2024-03-01")
        assert payload["term"]["endsOn"] == f"{2024 + years}-03-01"
    # terms created with the default never fire the rule
    assert (await client.ok(TERM_FINDINGS, s=town))["findings"] == []
    # the agency branch is no village: a 5-year term is 2 years off its 3 (the rule used to accept it)
    await client.mutate(START_TERM, org=agency, starts="2025-03-01", ends="2030-03-01")
    (finding,) = (await client.ok(TERM_FINDINGS, s=town))["findings"]
    assert finding["organization"]["name"] == "青山镇机关党支部"
    assert (finding["numbers"]["term_years"], finding["numbers"]["term_years_key"]) == (
        terms["term_years"],
        "committee.term_years",
    )
    # a tenant that changes the village term: the default and the rule follow the new number
    payload = await client.mutate(CONFIG, patch={"committee": {"term_years_by_sector": {"VILLAGE": 4}}})
    assert payload["tenant"]["config"]["committee"]["term_years_by_sector"] == {"VILLAGE": 4, "COMMUNITY": 5}
    payload = await client.mutate(START_TERM, org=village, starts="2025-03-01")
    assert payload["term"]["endsOn"] == "2029-03-01"
    assert [f["organization"]["name"] for f in (await client.ok(TERM_FINDINGS, s=town))["findings"]] == [
        "青山镇机关党支部"
    ]
    # an unknown sector is refused
    bad = """mutation { createOrganization(input: {kind: "BRANCH", name: "某支部", sector: "MOON"}) {
               errors { code field } } }"""
    errors = (await client.ok(bad))["createOrganization"]["errors"]
    assert errors == [{"code": "INVALID_INPUT", "field": "sector"}]
