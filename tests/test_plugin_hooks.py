"""One test per hook specification (``test_hook_<name>``), and a meta-test that every hook has one.

Most hooks are exercised through the public surface (GraphQL) with the core suite's in-process probe
plugin (``tests/probe_plugin``, loaded through ``ZHIBU_EXTRA_PLUGINS``) or a built-in plugin; rules and
scorers with a small plugin registered for the test.
"""

from __future__ import annotations

import sys
import types

import pytest

from core import hookspecs, plugins
from core.db import plugin_apps
from core.graphql.core.context import Context
from core.hookspecs import hookimpl
from core.principal import Principal
from core.standards.api import Area, BranchScore, FunctionRule, Scorer, Severity
from core.tenancy import tenant_scope
from schema import get_schema
from tests.core_factories import CREATE_MEMBER
from tests.plugin_factories import create_member, create_org, plugin_client

PROBE_EVENTS = "{ probeReport { events { hook count } } }"


async def _events(client) -> dict[str, int]:
    data = await client.ok(PROBE_EVENTS)
    return {e["hook"]: e["count"] for e in data["probeReport"]["events"]}


def test_every_hook_has_a_test():
    module = sys.modules[__name__]
    missing = [name for name in hookspecs.HOOK_NAMES if not hasattr(module, f"test_hook_{name}")]
    assert not missing, f"hooks without a test: {missing}"


async def test_hook_zhibu_startup():
    from tests import probe_plugin

    app = object()
    await plugins.startup(app)
    assert app in probe_plugin.STARTED


async def test_hook_zhibu_models():
    apps = plugin_apps()
    for name in ("rural", "enterprise", "newspaper", "foreign_affairs"):
        assert apps[name] == (f"plugins.{name}.models", f"plugins.{name}.migrations")
    # the tables exist in the migrated test database, scoped like every tenant-owned table
    from plugins.newspaper.models import SocialMediaAccount

    tenant, _ = await plugin_client()
    with tenant_scope(tenant.id):
        assert await SocialMediaAccount.all().count() == 0


async def test_hook_zhibu_graphql():
    tenant, client = await plugin_client("probe")
    await create_org(client, "PARTY_COMMITTEE", "机关党委")
    data = await client.ok("{ probeReport { text organizations } }")
    assert data["probeReport"] == {"text": f"你好，{tenant.name}", "organizations": 1}


async def test_hook_zhibu_organization_kinds():
    _, client = await plugin_client("probe")
    _, plain = await plugin_client()
    query = "{ organizationKinds { code label } }"
    assert {"code": "STUDY_GROUP", "label": "学习小组"} in (await client.ok(query))["organizationKinds"]
    assert "STUDY_GROUP" not in {k["code"] for k in (await plain.ok(query))["organizationKinds"]}


async def test_hook_zhibu_nesting_rules():
    _, client = await plugin_client("probe")
    committee = await create_org(client, "PARTY_COMMITTEE", "机关党委")
    branch = await create_org(client, "BRANCH", "第一党支部", committee)
    await create_org(client, "STUDY_GROUP", "青年理论学习小组", branch)
    from tests.plugin_factories import CREATE_ORG

    code = await client.error_code(CREATE_ORG, kind="STUDY_GROUP", name="x", parentId=committee)
    assert code == "ORG_NESTING_NOT_ALLOWED"
    kinds = (await client.ok("{ organizationKinds { code allowedChildren } }"))["organizationKinds"]
    assert "STUDY_GROUP" in next(k for k in kinds if k["code"] == "BRANCH")["allowedChildren"]


async def test_hook_zhibu_member_categories():
    _, client = await plugin_client("probe")
    _, plain = await plugin_client()
    query = "{ memberCategories { code label } }"
    assert {"code": "VOLUNTEER", "label": "志愿者党员"} in (await client.ok(query))["memberCategories"]
    assert "VOLUNTEER" not in {c["code"] for c in (await plain.ok(query))["memberCategories"]}
    branch = await create_org(client, "BRANCH", "志愿服务党支部")
    member = await create_member(client, branch, "志愿者甲", categories=["VOLUNTEER"])
    stored = await client.ok("query($id: ID!) { member(id: $id) { categories { code label } } }", id=member)
    assert stored["member"]["categories"] == [{"code": "VOLUNTEER", "label": "志愿者党员"}]
    # a tenant without the plugin does not know the category: refused, nobody stored
    plain_branch = await create_org(plain, "BRANCH", "第一党支部")
    refused = await plain.execute(
        CREATE_MEMBER, input={"name": "乙", "branchId": plain_branch, "categories": ["VOLUNTEER"]}
    )
    (error,) = refused.data["createMember"]["errors"]
    assert error["field"] == "categories" and error["code"]
    members = await plain.ok(
        "query($b: ID!) { members(filter: {branchId: $b}) { totalCount } }", b=plain_branch
    )
    assert members["members"]["totalCount"] == 0


async def test_hook_zhibu_member_fields():
    _, client = await plugin_client("rural")
    fields = (await client.ok("{ memberFields { code label type plugin } }"))["memberFields"]
    assert {"code": "contact_households", "label": "联系农户数", "type": "INT", "plugin": "rural"} in fields
    branch = await create_org(client, "BRANCH", "李家村党支部")
    member = await create_member(client, branch, "李大叔")
    update = """mutation($m: ID!, $v: JSON!) { updateMemberExtra(input: {memberId: $m, values: $v}) {
      errors { code field } memberExtra { values } } }"""
    payload = await client.mutate(update, m=member, v={"natural_village": "李家湾", "contact_households": 5})
    assert payload["memberExtra"]["values"] == {"natural_village": "李家湾", "contact_households": 5}
    assert await client.error_code(update, m=member, v={"contact_households": "五"}) == "INVALID_INPUT"
    _, plain = await plugin_client()
    assert (await plain.ok("{ memberFields { code } }"))["memberFields"] == []


async def test_hook_zhibu_activity_kinds():
    _, client = await plugin_client("probe")
    kinds = (await client.ok("{ activityKinds { code label period times plugin } }"))["activityKinds"]
    assert {
        "code": "READING_SESSION",
        "label": "读书会",
        "period": "MONTH",
        "times": 1,
        "plugin": "probe",
    } in kinds


def _rules_and_scorers_plugin() -> types.ModuleType:
    async def evaluate(rule, ctx):  # noqa: ANN001, ANN202
        return []

    class FlatScorer(Scorer):
        code = "flat"
        label = "一律合格"

        async def score(self, ctx, findings):  # noqa: ANN001, ANN202
            return [BranchScore(oid, 100.0, "PASS", "合格", True) for oid in ctx.branches]

    module = types.ModuleType("rulebook")
    module.zhibu_rules = hookimpl(
        lambda: [
            FunctionRule(
                "RULEBOOK_DEMO", "示例规则", Area.RECORDS, Severity.INFO, evaluate, plugin="rulebook"
            )
        ]
    )
    module.zhibu_scorers = hookimpl(lambda: [FlatScorer()])
    return module


@pytest.fixture
def rulebook(monkeypatch):
    pm = plugins.build_plugin_manager(extra=[("rulebook", _rules_and_scorers_plugin())])
    monkeypatch.setattr(plugins.manager, "get_plugin_manager", lambda: pm)


async def test_hook_zhibu_rules(rulebook):
    assert "RULEBOOK_DEMO" in {r.code for r in plugins.collect("zhibu_rules", ["rulebook"])}
    assert "RULEBOOK_DEMO" not in {r.code for r in plugins.collect("zhibu_rules", [])}


async def test_hook_zhibu_scorers(rulebook):
    assert [s.code for s in plugins.collect("zhibu_scorers", ["rulebook"]) if s.code == "flat"] == ["flat"]
    assert "flat" not in {s.code for s in plugins.collect("zhibu_scorers", [])}
    _, client = await plugin_client("rulebook")
    assert {"flat", "rulebook"} <= set((await client.ok("{ scoringPluginChoices }"))["scoringPluginChoices"])
    choose = """mutation { setScoringPlugin(input: {name: "flat"}) {
      errors { code } tenant { scoringPlugin } } }"""
    assert (await client.mutate(choose))["tenant"]["scoringPlugin"] == "flat"


async def test_hook_zhibu_config_schema():
    _, client = await plugin_client("probe")
    config = (await client.ok("{ tenant { config } }"))["tenant"]["config"]
    assert config["probe"] == {"greeting": "你好"}
    bad = """mutation { updatePluginConfig(input: {name: "probe", patch: {greeting: ""}}) {
      errors { code field } } }"""
    assert await client.error_code(bad) == "INVALID_INPUT"
    _, plain = await plugin_client()
    assert "probe" not in (await plain.ok("{ tenant { config } }"))["tenant"]["config"]


async def test_hook_zhibu_organization_created():
    _, client = await plugin_client("probe")
    await create_org(client, "PARTY_COMMITTEE", "机关党委")
    assert (await _events(client))["zhibu_organization_created"] == 1


async def test_hook_zhibu_organization_moved():
    from tests import probe_plugin

    tenant, client = await plugin_client("probe")
    a = await create_org(client, "PARTY_COMMITTEE", "甲党委")
    b = await create_org(client, "PARTY_COMMITTEE", "乙党委")
    branch = await create_org(client, "BRANCH", "支部", a)
    move = """mutation($id: ID!, $p: ID!) {
      moveOrganization(input: {id: $id, newParentId: $p}) { errors { code } } }"""
    await client.mutate(move, id=branch, p=b)
    assert (await _events(client))["zhibu_organization_moved"] == 1
    # a tenant without the plugin is not heard
    other, plain = await plugin_client()
    x = await create_org(plain, "PARTY_COMMITTEE", "甲")
    y = await create_org(plain, "PARTY_COMMITTEE", "乙")
    await plain.mutate(move, id=await create_org(plain, "BRANCH", "支部", x), p=y)
    assert other.id not in probe_plugin.EVENTS


async def test_hook_zhibu_activity_recorded():
    _, client = await plugin_client("probe")
    branch = await create_org(client, "BRANCH", "第一党支部")
    record = """mutation($org: ID!) { recordActivity(input: {organizationId: $org, kind: "READING_SESSION",
      heldOn: "2025-04-23", topic: "世界读书日"}) { errors { code } } }"""
    await client.mutate(record, org=branch)
    assert (await _events(client))["zhibu_activity_recorded"] == 1


async def test_hook_zhibu_member_status_changed():
    _, client = await plugin_client("probe")
    branch = await create_org(client, "BRANCH", "第一党支部")
    member = await create_member(client, branch, "张三")
    update = """mutation($id: ID!) { updateMember(input: {id: $id, status: LEFT, statusReason: "出党"}) {
      errors { code message } } }"""
    await client.mutate(update, id=member)
    assert (await _events(client))["zhibu_member_status_changed"] == 1


async def test_hook_zhibu_committee_seat_changed():
    _, client = await plugin_client("probe")
    branch = await create_org(client, "BRANCH", "第一党支部")
    secretary = await create_member(client, branch, "李书记")
    start = """mutation($org: ID!, $m: ID!) { startCommitteeTerm(input: {organizationId: $org,
      startsOn: "2025-01-01", seats: [{role: SECRETARY, memberId: $m}]}) { errors { code message } } }"""
    await client.mutate(start, org=branch, m=secretary)
    assert (await _events(client))["zhibu_committee_seat_changed"] == 1


async def test_hook_zhibu_graphql_context():
    tenant, _ = await plugin_client("probe")
    context = Context(principal=Principal.tenant_admin(tenant.id))
    await plugins.graphql_context(context)
    assert context.extra["probe_context"] == "来自插件的上下文"
    result = await get_schema().execute("{ probeReport { contextNote } }", context_value=context)
    assert result.errors is None and result.data["probeReport"]["contextNote"] == "来自插件的上下文"
    other, _ = await plugin_client()
    plain_context = Context(principal=Principal.tenant_admin(other.id))
    await plugins.graphql_context(plain_context)
    assert "probe_context" not in plain_context.extra


async def test_hook_zhibu_permissions():
    """A plugin's own permission: held by the roles it names and by tenant administrators, refused
    to everyone else, granted through the same role table and Casbin policies as core's."""
    from core.access.roles import role_permissions
    from core.testing import db_id
    from core.testing.world import client_of, make_user

    assert "PROBE_SECRET_READ" in role_permissions()["ORG_INSPECTOR"]
    assert "PROBE_SECRET_READ" not in role_permissions()["ORG_SECRETARY"]
    tenant, admin = await plugin_client("probe")
    root = await create_org(admin, "PARTY_COMMITTEE", "机关党委")
    assert (await admin.ok("{ probeSecret }"))["probeSecret"] == "秘密"
    org_id = db_id(root)
    inspector = await client_of(await make_user(tenant.id, "督导员", role="ORG_INSPECTOR", org_id=org_id))
    secretary = await client_of(await make_user(tenant.id, "书记员", role="ORG_SECRETARY", org_id=org_id))
    assert (await inspector.ok("{ probeSecret }"))["probeSecret"] == "秘密"
    assert await secretary.error_code("{ probeSecret }") == "PERMISSION_DENIED"
    grants = (await inspector.ok("{ me { grants { permission } } }"))["me"]["grants"]
    assert "PROBE_SECRET_READ" in {g["permission"] for g in grants}


async def test_hook_zhibu_tenant_domains():
    """A plugin's domain is a ``TenantDomain`` value like core's: listed with its label and default
    plugin, accepted by ``createTenant``; the committed SDL (core and built-ins) does not have it."""
    from core.models import Tenant
    from core.testing import GraphQLClient
    from schema import builtin_sdl
    from tests.support import unique_slug

    _, client = await plugin_client()
    domains = (await client.ok("{ tenantDomains { code label plugin } }"))["tenantDomains"]
    assert domains[0] == {"code": "OTHER", "label": "其他单位", "plugin": None}
    assert {"code": "RURAL", "label": "农村", "plugin": "rural"} in domains
    assert {"code": "PROBE_LAB", "label": "探针实验室", "plugin": "probe"} in domains
    assert "PROBE_LAB" not in builtin_sdl() and "  RURAL\n" in builtin_sdl()

    operator = GraphQLClient(Principal.platform_operator(label="运营人员"))
    slug = unique_slug("lab")
    create = """mutation($slug: String!) { createTenant(input: {slug: $slug, name: "探针实验室党委",
      domain: PROBE_LAB, enabledPlugins: ["probe"]}) { errors { code } tenant { domain enabledPlugins } } }"""
    payload = await operator.mutate(create, slug=slug)
    assert payload["tenant"] == {"domain": "PROBE_LAB", "enabledPlugins": ["probe"]}
    assert (await Tenant.get(slug=slug)).domain == "probe_lab"
