"""Catalog entries: plugin enablement and config, plugin member fields, and the four domain plugins'
fields. Builders enable the plugin an operation belongs to on the
world's tenant (trusted code) and create their objects under the position's branch."""

from __future__ import annotations

import datetime as dt

from core.models import Tenant
from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog._helpers import TODAY, fresh_org, seq


async def enable(world, *names: str, scoring: str | None = None) -> None:  # noqa: ANN001
    tenant = await Tenant.get(id=world.tenant_id)
    enabled = list(tenant.enabled_plugins or [])
    tenant.enabled_plugins = enabled + [n for n in names if n not in enabled]
    if scoring is not None:
        tenant.scoring_plugin = scoring
    await tenant.save(update_fields=["enabled_plugins", "scoring_plugin"])


async def disable(world, name: str) -> None:  # noqa: ANN001
    tenant = await Tenant.get(id=world.tenant_id)
    tenant.enabled_plugins = [n for n in tenant.enabled_plugins or [] if n != name]
    if tenant.scoring_plugin == name:
        tenant.scoring_plugin = "baseline"
    await tenant.save(update_fields=["enabled_plugins", "scoring_plugin"])


async def _create(world, model, **values):  # noqa: ANN001, ANN202
    with tenant_scope(world.tenant_id):
        return await model.create(**values)


def _branch(world, pos) -> str:  # noqa: ANN001
    return world.org_gid(pos.branch)


# --- core plugin administration -----------------------------------------------------------------


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _member(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural")
    return Target({"m": world.member_gid(pos.member)})


async def _enable(world, pos):  # noqa: ANN001, ANN202
    await disable(world, "probe")  # the core suite's in-process test plugin (tests/probe_plugin)
    return Target({"input": {"name": "probe"}})


async def _disable(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "probe")
    return Target({"input": {"name": "probe"}})


async def _scoring(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural", scoring="baseline")
    return Target({"input": {"name": "rural"}})


async def _config(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural")
    return Target({"input": {"name": "rural", "patch": {"young_cadre_age": 30 + seq() % 20}}})


async def _member_extra(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural")
    return Target(
        {"input": {"memberId": world.member_gid(pos.member), "values": {"natural_village": f"村{seq()}"}}}
    )


# --- rural ---------------------------------------------------------------------------------------


async def _grids(world, pos):  # noqa: ANN001, ANN202
    from plugins.rural.models import Grid

    await enable(world, "rural")
    group = await fresh_org(world, pos.branch, "PARTY_GROUP")
    grid = await _create(world, Grid, organization_id=group.id, natural_village=f"自然村{seq()}")
    return Target({}, expect=gid("RuralGrid", grid.id))


async def _secretary_row(world, pos):  # noqa: ANN001, ANN202
    from plugins.rural.models import FirstSecretary

    await enable(world, "rural")
    return await _create(
        world,
        FirstSecretary,
        organization_id=world.orgs[pos.branch].id,
        name=f"第一书记{seq()}",
        dispatching_agency="县委组织部",
        starts_on=dt.date.today() - dt.timedelta(days=10),
        ends_on=dt.date.today() + dt.timedelta(days=300),
    )


async def _secretaries(world, pos):  # noqa: ANN001, ANN202
    row = await _secretary_row(world, pos)
    return Target({}, expect=gid("FirstSecretary", row.id))


async def _village(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural")
    return Target({"org": _branch(world, pos)})


async def _register_grid(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural")
    group = await fresh_org(world, pos.branch, "PARTY_GROUP")
    return Target({"input": {"organizationId": gid("Organization", group.id), "naturalVillage": "李家湾"}})


async def _appoint(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural")
    year = 1900 + seq() % 1000  # distinct years, inside the dates the API accepts (1900–2999)
    return Target(
        {
            "input": {
                "organizationId": _branch(world, pos),
                "name": "张卫国",
                "dispatchingAgency": "县农业农村局",
                "startsOn": f"{year}-01-01",
                "endsOn": f"{year}-12-31",
            }
        }
    )


async def _recall(world, pos):  # noqa: ANN001, ANN202
    row = await _secretary_row(world, pos)
    return Target({"input": {"id": gid("FirstSecretary", row.id), "on": dt.date.today().isoformat()}})


async def _add_cadre(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "rural")
    return Target(
        {
            "input": {
                "organizationId": _branch(world, pos),
                "name": f"村干部{seq()}",
                "body": "VILLAGERS",
                "post": "委员",
                "birthDate": "1990-05-01",
            }
        }
    )


async def _end_cadre(world, pos):  # noqa: ANN001, ANN202
    from plugins.rural.models import VillageCadre

    await enable(world, "rural")
    row = await _create(
        world,
        VillageCadre,
        organization_id=world.orgs[pos.branch].id,
        name=f"村干部{seq()}",
        body="PARTY",
        post="委员",
        birth_date=dt.date(1980, 1, 1),
    )
    return Target({"input": {"id": gid("VillageCadre", row.id), "on": TODAY.isoformat()}})


# --- enterprise ----------------------------------------------------------------------------------


async def _benchmarks(world, pos):  # noqa: ANN001, ANN202
    from plugins.enterprise.models import BenchmarkBranch

    await enable(world, "enterprise")
    year = 1900 + seq() % 1000  # distinct years, inside the dates the API accepts (1900–2999)
    row = await _create(world, BenchmarkBranch, organization_id=world.orgs[pos.branch].id, year=year)
    return Target({"y": year}, expect=gid("BenchmarkBranch", row.id))


async def _demo_row(world, pos, year: int = 2026):  # noqa: ANN001, ANN202
    from plugins.enterprise.models import Demonstration

    await enable(world, "enterprise")
    return await _create(
        world,
        Demonstration,
        organization_id=world.orgs[pos.branch].id,
        kind="POST",
        name=f"示范岗{seq()}",
        year=year,
    )


async def _demos(world, pos):  # noqa: ANN001, ANN202
    year = 1900 + seq() % 1000  # distinct years, inside the dates the API accepts (1900–2999)
    row = await _demo_row(world, pos, year)
    return Target({"y": year}, expect=gid("Demonstration", row.id))


async def _item_row(world, pos, year: int = 2026):  # noqa: ANN001, ANN202
    from plugins.enterprise.models import IntegrationItem

    await enable(world, "enterprise")
    return await _create(
        world,
        IntegrationItem,
        organization_id=world.orgs[pos.branch].id,
        year=year,
        title=f"党建+业务{seq()}",
        business_metric="销售额",
        target_value=100,
    )


async def _items(world, pos):  # noqa: ANN001, ANN202
    year = 1900 + seq() % 1000  # distinct years, inside the dates the API accepts (1900–2999)
    row = await _item_row(world, pos, year)
    return Target({"y": year}, expect=gid("IntegrationItem", row.id))


async def _set_benchmark(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "enterprise")
    year = 2000 + seq() % 100  # a valid year; a repeat is refused as unchanged (after authorization)
    return Target({"input": {"organizationId": _branch(world, pos), "year": year, "status": "APPLYING"}})


async def _create_demo(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "enterprise")
    return Target(
        {
            "input": {
                "organizationId": _branch(world, pos),
                "kind": "SHOP",
                "name": f"示范店{seq()}",
                "year": 2026,
            }
        }
    )


async def _participant(world, pos):  # noqa: ANN001, ANN202
    row = await _demo_row(world, pos)
    return Target(
        {
            "input": {
                "demonstrationId": gid("Demonstration", row.id),
                "memberId": world.member_gid(pos.member),
                "pledge": "服务零投诉",
            }
        }
    )


async def _record_item(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "enterprise")
    return Target(
        {
            "input": {
                "organizationId": _branch(world, pos),
                "year": 2026,
                "title": "党员攻坚",
                "businessMetric": "产值",
                "targetValue": "100",
            }
        }
    )


async def _record_result(world, pos):  # noqa: ANN001, ANN202
    row = await _item_row(world, pos)
    return Target({"input": {"id": gid("IntegrationItem", row.id), "actualValue": "120"}})


# --- newspaper -----------------------------------------------------------------------------------


async def _newspaper(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "newspaper")
    return Target({})


async def _checklist(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "newspaper")
    return Target({"org": _branch(world, pos)})


async def _bureaus(world, pos):  # noqa: ANN001, ANN202
    from plugins.newspaper.models import OverseasBureau

    await enable(world, "newspaper")
    org_id = world.orgs[pos.branch].id
    with tenant_scope(world.tenant_id):
        row = await OverseasBureau.get_or_none(organization_id=org_id) or await OverseasBureau.create(
            organization_id=org_id,
            bureau_name="记者站",
            country="瑞士",
            embassy_party_organization="使馆党委",
        )
    return Target({}, expect=gid("OverseasBureau", row.id))


async def _team_row(world, pos):  # noqa: ANN001, ANN202
    from plugins.newspaper.models import EmergencyTeam

    await enable(world, "newspaper")
    branch = await fresh_org(world, pos.branch, "TEMPORARY_BRANCH", name=f"应急报道临时党支部{seq()}")
    return await _create(
        world,
        EmergencyTeam,
        name=f"应急报道队{seq()}",
        event="洪涝",
        approved_on=TODAY,
        temporary_branch_id=branch.id,
    )


async def _teams(world, pos):  # noqa: ANN001, ANN202
    row = await _team_row(world, pos)
    return Target({}, expect=gid("EmergencyTeam", row.id))


async def _joint(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "newspaper")
    org = await fresh_org(world, pos.branch, "JOINT_BRANCH", name=f"联合党支部{seq()}")
    return Target({}, expect=gid("Organization", org.id))


async def _account_row(world, pos):  # noqa: ANN001, ANN202
    from plugins.newspaper.models import SocialMediaAccount

    await enable(world, "newspaper")
    return await _create(
        world,
        SocialMediaAccount,
        member_id=world.members[pos.member].id,
        platform="微博",
        handle=f"handle{seq()}",
        registered_on=TODAY,
    )


async def _accounts(world, pos):  # noqa: ANN001, ANN202
    row = await _account_row(world, pos)
    return Target({}, expect=gid("SocialMediaAccount", row.id))


async def _assess(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "newspaper")
    return Target(
        {"input": {"organizationId": _branch(world, pos), "year": 2026, "itemCode": "N01", "status": "MET"}}
    )


async def _mark_bureau(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "newspaper")
    return Target(
        {
            "input": {
                "organizationId": _branch(world, pos),
                "bureauName": "驻日内瓦记者站",
                "country": "瑞士",
                "embassyPartyOrganization": "驻瑞士使馆党委",
            }
        }
    )


async def _create_team(world, pos):  # noqa: ANN001, ANN202
    if world.orgs[pos.org].kind != "PARTY_COMMITTEE":
        return None
    await enable(world, "newspaper")
    return Target(
        {
            "input": {
                "parentId": world.org_gid(pos.org),
                "name": f"应急报道队{seq()}",
                "event": "地震",
                "approvedOn": "2026-06-01",
            }
        }
    )


async def _dissolve_team(world, pos):  # noqa: ANN001, ANN202
    row = await _team_row(world, pos)
    return Target({"input": {"id": gid("EmergencyTeam", row.id), "on": TODAY.isoformat()}})


async def _register_account(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "newspaper")
    return Target(
        {
            "input": {
                "memberId": world.member_gid(pos.member),
                "platform": "抖音",
                "handle": f"dy{seq()}",
                "registeredOn": "2026-03-01",
            }
        }
    )


async def _close_account(world, pos):  # noqa: ANN001, ANN202
    row = await _account_row(world, pos)
    return Target({"input": {"id": gid("SocialMediaAccount", row.id), "on": TODAY.isoformat()}})


# --- foreign affairs -----------------------------------------------------------------------------


async def _venues(world, pos):  # noqa: ANN001, ANN202
    from plugins.foreign_affairs.models import VenueChecklist

    await enable(world, "foreign_affairs")
    org_id = world.orgs[pos.branch].id
    with tenant_scope(world.tenant_id):
        row = await VenueChecklist.get_or_none(organization_id=org_id) or await VenueChecklist.create(
            organization_id=org_id, checked_on=TODAY
        )
    return Target({}, expect=gid("VenueChecklist", row.id))


async def _fa_branch(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "foreign_affairs")
    return Target({"org": _branch(world, pos)})


async def _record_venue(world, pos):  # noqa: ANN001, ANN202
    await enable(world, "foreign_affairs")
    return Target(
        {
            "input": {
                "organizationId": _branch(world, pos),
                "present": ["activity_room"],
                "checkedOn": "2026-06-01",
            }
        }
    )


async def _mass(world, pos):  # noqa: ANN001, ANN202
    from plugins.foreign_affairs.models import MassOrganization

    await enable(world, "foreign_affairs")
    with tenant_scope(world.tenant_id):
        await MassOrganization.filter(organization_id=world.orgs[pos.branch].id, kind="YOUTH_LEAGUE").delete()
    return Target(
        {"input": {"organizationId": _branch(world, pos), "kind": "YOUTH_LEAGUE", "name": "团支部"}}
    )


def _payload(name: str) -> str:
    return f"errors {{ code }} {name} {{ id }}"


def _mutation(field: str, input_type: str, payload: str | None = None) -> str:
    selection = _payload(payload) if payload else "errors { code }"
    return f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ {selection} }} }}"


OPERATIONS = [
    Op("plugins", "query", "{ plugins { name enabled } }", "TENANT_READ", "holder", _none),
    Op("scoringPluginChoices", "query", "{ scoringPluginChoices }", "TENANT_READ", "holder", _none),
    Op("memberFields", "query", "{ memberFields { code } }", "TENANT_READ", "holder", _none),
    Op(
        "memberExtra",
        "query",
        "query($m: ID!) { memberExtra(memberId: $m) { memberId values } }",
        "MEMBER_READ",
        "tree",
        _member,
    ),
    Op(
        "enablePlugin",
        "mutation",
        "mutation($input: PluginNameInput!) { enablePlugin(input: $input) { errors { code } } }",
        "TENANT_MANAGE",
        "tenant",
        _enable,
    ),
    Op(
        "disablePlugin",
        "mutation",
        "mutation($input: PluginNameInput!) { disablePlugin(input: $input) { errors { code } } }",
        "TENANT_MANAGE",
        "tenant",
        _disable,
    ),
    Op(
        "setScoringPlugin",
        "mutation",
        "mutation($input: PluginNameInput!) { setScoringPlugin(input: $input) { errors { code } } }",
        "TENANT_MANAGE",
        "tenant",
        _scoring,
    ),
    Op(
        "updatePluginConfig",
        "mutation",
        _mutation("updatePluginConfig", "UpdatePluginConfigInput"),
        "TENANT_MANAGE",
        "tenant",
        _config,
    ),
    Op(
        "updateMemberExtra",
        "mutation",
        "mutation($input: UpdateMemberExtraInput!) { updateMemberExtra(input: $input) { errors { code } } }",
        "MEMBER_MANAGE",
        "tree",
        _member_extra,
    ),
    # rural
    Op("ruralGrids", "query", "{ ruralGrids(first: 100) { nodes { id } } }", "ORG_READ", "list", _grids),
    Op(
        "firstSecretaries",
        "query",
        "{ firstSecretaries(first: 100) { nodes { id } } }",
        "ORG_READ",
        "list",
        _secretaries,
    ),
    Op(
        "villageCommittee",
        "query",
        "query($org: ID!) { villageCommittee(organizationId: $org) { total } }",
        "ORG_READ",
        "tree",
        _village,
    ),
    Op(
        "registerRuralGrid",
        "mutation",
        _mutation("registerRuralGrid", "RegisterGridInput", "grid"),
        "ORG_MANAGE",
        "tree",
        _register_grid,
    ),
    Op(
        "appointFirstSecretary",
        "mutation",
        "mutation($input: AppointFirstSecretaryInput!) { appointFirstSecretary(input: $input) "
        f"{{ {_payload('firstSecretary')} }} }}",
        "ORG_MANAGE",
        "tree",
        _appoint,
    ),
    Op(
        "recallFirstSecretary",
        "mutation",
        _mutation("recallFirstSecretary", "EndInput", "firstSecretary"),
        "ORG_MANAGE",
        "tree",
        _recall,
    ),
    Op(
        "addVillageCadre",
        "mutation",
        _mutation("addVillageCadre", "AddVillageCadreInput", "cadre"),
        "ORG_MANAGE",
        "tree",
        _add_cadre,
    ),
    Op(
        "endVillageCadre",
        "mutation",
        _mutation("endVillageCadre", "EndInput", "cadre"),
        "ORG_MANAGE",
        "tree",
        _end_cadre,
    ),
    # enterprise
    Op(
        "benchmarkBranches",
        "query",
        "query($y: Int!) { benchmarkBranches(year: $y) { id } }",
        "ORG_READ",
        "list",
        _benchmarks,
    ),
    Op(
        "demonstrations",
        "query",
        "query($y: Int!) { demonstrations(year: $y, first: 100) { nodes { id } } }",
        "ORG_READ",
        "list",
        _demos,
    ),
    Op(
        "integrationItems",
        "query",
        "query($y: Int!) { integrationItems(year: $y, first: 100) { nodes { id } } }",
        "ORG_READ",
        "list",
        _items,
    ),
    Op(
        "setBenchmarkBranch",
        "mutation",
        _mutation("setBenchmarkBranch", "BenchmarkInput", "benchmark"),
        "ORG_MANAGE",
        "tree",
        _set_benchmark,
    ),
    Op(
        "createDemonstration",
        "mutation",
        "mutation($input: CreateDemonstrationInput!) { createDemonstration(input: $input) "
        f"{{ {_payload('demonstration')} }} }}",
        "ORG_MANAGE",
        "tree",
        _create_demo,
    ),
    Op(
        "addDemonstrationParticipant",
        "mutation",
        "mutation($input: AddParticipantInput!) { addDemonstrationParticipant(input: $input) "
        f"{{ {_payload('demonstration')} }} }}",
        "ORG_MANAGE",
        "tree",
        _participant,
    ),
    Op(
        "recordIntegrationItem",
        "mutation",
        "mutation($input: IntegrationItemInput!) { recordIntegrationItem(input: $input) "
        f"{{ {_payload('item')} }} }}",
        "ORG_MANAGE",
        "tree",
        _record_item,
    ),
    Op(
        "recordIntegrationResult",
        "mutation",
        "mutation($input: IntegrationResultInput!) { recordIntegrationResult(input: $input) "
        f"{{ {_payload('item')} }} }}",
        "ORG_MANAGE",
        "tree",
        _record_result,
    ),
    # newspaper
    Op(
        "newspaperChecklistAreas",
        "query",
        "{ newspaperChecklistAreas { code } }",
        "TENANT_READ",
        "holder",
        _newspaper,
    ),
    Op(
        "newspaperChecklist",
        "query",
        "query($org: ID!) { newspaperChecklist(organizationId: $org, year: 2026) { met } }",
        "ORG_READ",
        "tree",
        _checklist,
    ),
    Op("overseasBureaus", "query", "{ overseasBureaus { id } }", "ORG_READ", "list", _bureaus),
    Op("emergencyTeams", "query", "{ emergencyTeams { id } }", "ORG_READ", "list", _teams),
    Op(
        "jointBranchCoverage",
        "query",
        "{ jointBranchCoverage { organization { id } } }",
        "ORG_READ",
        "list",
        _joint,
    ),
    Op(
        "socialMediaAccounts",
        "query",
        "{ socialMediaAccounts(first: 100) { nodes { id } } }",
        "MEMBER_READ",
        "list",
        _accounts,
    ),
    Op(
        "assessNewspaperChecklistItem",
        "mutation",
        "mutation($input: AssessItemInput!) { assessNewspaperChecklistItem(input: $input) "
        "{ errors { code } checklist { met } } }",
        "ORG_MANAGE",
        "tree",
        _assess,
    ),
    Op(
        "markOverseasBureau",
        "mutation",
        _mutation("markOverseasBureau", "OverseasBureauInput", "bureau"),
        "ORG_MANAGE",
        "tree",
        _mark_bureau,
    ),
    Op(
        "createEmergencyTeam",
        "mutation",
        "mutation($input: CreateEmergencyTeamInput!) { createEmergencyTeam(input: $input) "
        f"{{ {_payload('team')} }} }}",
        "ORG_MANAGE",
        "tree",
        _create_team,
    ),
    Op(
        "dissolveEmergencyTeam",
        "mutation",
        _mutation("dissolveEmergencyTeam", "CloseInput", "team"),
        "ORG_MANAGE",
        "tree",
        _dissolve_team,
    ),
    Op(
        "registerSocialMediaAccount",
        "mutation",
        "mutation($input: RegisterAccountInput!) { registerSocialMediaAccount(input: $input) "
        f"{{ {_payload('account')} }} }}",
        "MEMBER_MANAGE",
        "tree",
        _register_account,
    ),
    Op(
        "closeSocialMediaAccount",
        "mutation",
        _mutation("closeSocialMediaAccount", "CloseInput", "account"),
        "MEMBER_MANAGE",
        "tree",
        _close_account,
    ),
    # foreign affairs
    Op("venueChecklists", "query", "{ venueChecklists { id } }", "ORG_READ", "list", _venues),
    Op(
        "massWork",
        "query",
        "query($org: ID!) { massWork(organizationId: $org) { missing } }",
        "ORG_READ",
        "tree",
        _fa_branch,
    ),
    Op(
        "partyGroupLeadership",
        "query",
        "query($org: ID!) { partyGroupLeadership(organizationId: $org) { ok } }",
        "ORG_READ",
        "tree",
        _fa_branch,
    ),
    Op(
        "fiveOnesProgress",
        "query",
        "query($org: ID!) { fiveOnesProgress(organizationId: $org, year: 2026, month: 6) { kind held } }",
        "ACTIVITY_READ",
        "tree",
        _fa_branch,
    ),
    Op(
        "recordVenueChecklist",
        "mutation",
        _mutation("recordVenueChecklist", "VenueInput", "venue"),
        "ORG_MANAGE",
        "tree",
        _record_venue,
    ),
    Op(
        "registerMassOrganization",
        "mutation",
        "mutation($input: MassOrganizationInput!) { registerMassOrganization(input: $input) "
        f"{{ {_payload('massOrganization')} }} }}",
        "ORG_MANAGE",
        "tree",
        _mass,
    ),
]
