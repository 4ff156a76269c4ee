"""Per-tenant plugin enablement, the scoring choice and versioned plugin config, through GraphQL."""

from __future__ import annotations

import types

import pytest

from core import plugins
from core.hookspecs import hookimpl
from core.models import AuditRecord, TenantConfigVersion
from core.principal import Principal
from core.registry import ConfigSchema
from core.tenancy import tenant_scope
from tests.support import GraphQLClient

PLUGINS = """{ plugins { name label enabled isScoring providesScoring hooks config } }"""
ENABLE = """mutation($name: String!) { enablePlugin(input: {name: $name}) {
  errors { code field message } tenant { enabledPlugins configVersion } plugin { name enabled } } }"""
DISABLE = """mutation($name: String!) { disablePlugin(input: {name: $name}) {
  errors { code field } tenant { enabledPlugins configVersion } } }"""
SCORING = """mutation($name: String!) { setScoringPlugin(input: {name: $name}) {
  errors { code field } tenant { scoringPlugin } plugin { isScoring } } }"""
CONFIG = """mutation($name: String!, $patch: JSON!) {
  updatePluginConfig(input: {name: $name, patch: $patch}) {
  errors { code field message } plugin { config } tenant { configVersion config } } }"""


def _scoring_plugin() -> types.ModuleType:
    """A plugin with a scorer and a validated config section (registered in-process)."""
    module = types.ModuleType("scorecard")
    module.__doc__ = "测试评分插件。"

    @hookimpl
    def zhibu_scorers():
        return []

    def validate(section: dict, config: dict) -> None:
        from core.errors import ValidationFailed

        if section["pass_mark"] > 100:
            raise ValidationFailed("及格线不能超过100分", field="scorecard.pass_mark")

    @hookimpl
    def zhibu_config_schema():
        return ConfigSchema(defaults={"pass_mark": 60, "label": "合格"}, validate=validate)

    module.zhibu_scorers = zhibu_scorers
    module.zhibu_config_schema = zhibu_config_schema
    return module


@pytest.fixture
def scorecard(monkeypatch):
    pm = plugins.build_plugin_manager(extra=[("scorecard", _scoring_plugin())])
    monkeypatch.setattr(plugins.manager, "get_plugin_manager", lambda: pm)
    return pm


async def test_installed_plugins_are_listed_with_their_state(admin):
    data = await admin.ok(PLUGINS)
    names = {p["name"]: p for p in data["plugins"]}
    assert {"rural", "enterprise", "newspaper", "foreign_affairs"} <= set(names)
    assert not names["rural"]["enabled"]
    assert names["rural"]["config"] is None


async def test_enable_and_disable_a_plugin(admin, tenant):
    payload = await admin.mutate(ENABLE, name="rural")
    assert payload["tenant"]["enabledPlugins"] == ["rural"]
    assert payload["plugin"] == {"name": "rural", "enabled": True}
    assert payload["tenant"]["configVersion"] == 2
    assert await admin.error_code(ENABLE, name="rural") == "PLUGIN_ALREADY_ENABLED"
    assert await admin.error_code(ENABLE, name="nonexistent") == "PLUGIN_NOT_INSTALLED"
    payload = await admin.mutate(DISABLE, name="rural")
    assert payload["tenant"]["enabledPlugins"] == []
    assert await admin.error_code(DISABLE, name="rural") == "PLUGIN_NOT_ENABLED"
    with tenant_scope(tenant.id):
        ops = [r.operation for r in await AuditRecord.filter(operation__in=["enablePlugin", "disablePlugin"])]
    assert sorted(ops) == ["disablePlugin", "enablePlugin"]


async def test_only_a_tenant_manager_may_enable(tenant):
    reader = GraphQLClient(Principal(tenant_id=tenant.id, grants={"TENANT_READ": ("/",)}, label="只读"))
    assert await reader.error_code(ENABLE, name="rural") == "PERMISSION_DENIED"


async def test_scoring_plugin_is_one_enabled_plugin_with_scorers(scorecard, admin):
    assert await admin.error_code(SCORING, name="scorecard") == "PLUGIN_NOT_ENABLED"
    await admin.mutate(ENABLE, name="scorecard")
    await admin.mutate(ENABLE, name="rural")
    choices = (await admin.ok("{ scoringPluginChoices }"))["scoringPluginChoices"]
    assert choices[0] == "baseline" and "scorecard" in choices
    payload = await admin.mutate(SCORING, name="scorecard")
    assert payload["tenant"]["scoringPlugin"] == "scorecard"
    assert payload["plugin"]["isScoring"] is True
    assert await admin.error_code(DISABLE, name="scorecard") == "PLUGIN_IS_SCORING"
    assert await admin.error_code(SCORING, name="scorecard") == "SCORING_PLUGIN_UNCHANGED"
    await admin.mutate(SCORING, name="baseline")
    await admin.mutate(DISABLE, name="scorecard")


async def test_plugin_config_is_validated_and_versioned(scorecard, admin, tenant):
    assert await admin.error_code(CONFIG, name="scorecard", patch={"pass_mark": 70}) == "PLUGIN_NOT_ENABLED"
    await admin.mutate(ENABLE, name="scorecard")
    data = await admin.ok(PLUGINS)
    (card,) = [p for p in data["plugins"] if p["name"] == "scorecard"]
    assert card["config"] == {"pass_mark": 60, "label": "合格"}
    payload = await admin.mutate(CONFIG, name="scorecard", patch={"pass_mark": 75})
    assert payload["plugin"]["config"] == {"pass_mark": 75, "label": "合格"}
    version = payload["tenant"]["configVersion"]
    # the plugin's validator, the declared shape and unknown keys all refuse, changing nothing
    assert await admin.error_code(CONFIG, name="scorecard", patch={"pass_mark": 120}) == "INVALID_INPUT"
    assert await admin.error_code(CONFIG, name="scorecard", patch={"pass_mark": "高"}) == "INVALID_INPUT"
    assert await admin.error_code(CONFIG, name="scorecard", patch={"colour": "red"}) == "INVALID_INPUT"
    assert await admin.error_code(CONFIG, name="rural", patch={"x": 1}) == "PLUGIN_NOT_ENABLED"
    data = await admin.ok("{ tenant { configVersion config } }")
    assert data["tenant"]["configVersion"] == version
    assert data["tenant"]["config"]["scorecard"]["pass_mark"] == 75
    stored = await TenantConfigVersion.get(tenant_id=tenant.id, version=version)
    assert stored.config["scorecard"]["pass_mark"] == 75
    # disabling drops the section's overrides; the history keeps them
    await admin.mutate(DISABLE, name="scorecard")
    data = await admin.ok("{ tenant { config } }")
    assert "scorecard" not in data["tenant"]["config"]


async def test_hooks_run_only_for_enabled_plugins(scorecard):
    """Two tenants, one with the plugins enabled: declarations, config and events reach only it."""
    from tests import probe_plugin
    from tests.plugin_factories import create_org, plugin_client

    on, with_plugins = await plugin_client()
    off, without = await plugin_client()
    for name in ("probe", "scorecard"):
        await with_plugins.mutate(ENABLE, name=name)
    kinds = "{ organizationKinds { code } activityKinds { code } memberCategories { code } }"
    seen, unseen = await with_plugins.ok(kinds), await without.ok(kinds)
    assert "STUDY_GROUP" in {k["code"] for k in seen["organizationKinds"]}
    assert "STUDY_GROUP" not in {k["code"] for k in unseen["organizationKinds"]}
    assert "READING_SESSION" in {k["code"] for k in seen["activityKinds"]}
    assert "READING_SESSION" not in {k["code"] for k in unseen["activityKinds"]}
    config = "{ tenant { config } scoringPluginChoices }"
    seen, unseen = await with_plugins.ok(config), await without.ok(config)
    assert {"probe", "scorecard"} <= set(seen["tenant"]["config"])
    assert not {"probe", "scorecard"} & set(unseen["tenant"]["config"])
    assert "scorecard" in seen["scoringPluginChoices"] and unseen["scoringPluginChoices"] == ["baseline"]
    # events: the same mutation in both tenants is heard for the enabling tenant only
    await create_org(with_plugins, "PARTY_COMMITTEE", "机关党委")
    await create_org(without, "PARTY_COMMITTEE", "机关党委")
    assert probe_plugin.EVENTS[on.id]["zhibu_organization_created"] == 1
    assert off.id not in probe_plugin.EVENTS
