"""Core contributes through the hooks exactly like a plugin (``core.defaults.*``, issue #12): one path
per extension point; per-tenant calls through pluggy's ``subset_hook_caller``; hook tracing."""

from __future__ import annotations

import logging
import types

import pluggy
import pytest
import strawberry

import schema
from core import plugins
from core.graphql.core.fields import field
from core.hookspecs import hookimpl
from core.permissions import Permission
from core.registry import ConfigSchema, OrganizationKindSpec, vocabulary_for
from core.standards.api import Area, BranchScore, FunctionRule, Scorer, Severity
from core.standards.engine import available_scorers
from core.tenant_config import CORE_DEFAULTS
from tests.plugin_factories import plugin_client

CHOICES = "{ scoringPluginChoices }"
KINDS = "{ organizationKinds { code label isBranch } }"
RULES = "{ standardRules { code plugin } }"
CONFIG = "{ tenant { config } }"


#: the test plugin's name: one no installed plugin takes (the core suite passes whatever is installed)
CAMPUS = "core_suite_campus"


def _campus() -> types.ModuleType:
    """A plugin contributing each kind of thing core contributes, the way core does."""

    async def evaluate(rule, ctx):  # noqa: ANN001, ANN202
        return []

    class CampusScorer(Scorer):
        code = CAMPUS
        label = "高校评分"

        async def score(self, ctx, findings):  # noqa: ANN001, ANN202
            return [BranchScore(oid, 90.0, "PASS", "合格", True) for oid in ctx.branches]

    async def campus_motto(self, info: strawberry.Info) -> str:
        return "求是"

    query = strawberry.type(
        type("CampusQuery", (), {"campus_motto": field(campus_motto, permission=Permission.TENANT_READ)})
    )
    module = types.ModuleType(CAMPUS)
    module.zhibu_organization_kinds = hookimpl(
        lambda: [
            OrganizationKindSpec("COLLEGE_BRANCH", "院系党支部", frozenset({"PARTY_GROUP"}), is_branch=True)
        ]
    )
    module.zhibu_rules = hookimpl(
        lambda: [
            FunctionRule("CAMPUS_DEMO", "高校示例规则", Area.RECORDS, Severity.INFO, evaluate, plugin=CAMPUS)
        ]
    )
    module.zhibu_scorers = hookimpl(lambda: [CampusScorer()])
    module.zhibu_config_schema = hookimpl(lambda: ConfigSchema(defaults={"semester_weeks": 18}))
    module.zhibu_graphql = hookimpl(lambda: {"query": query, "mutation": None, "types": []})
    return module


@pytest.fixture
def campus(monkeypatch):
    pm = plugins.build_plugin_manager(extra=[(CAMPUS, _campus())])
    monkeypatch.setattr(plugins.manager, "get_plugin_manager", lambda: pm)
    return pm


def test_core_is_registered_as_plugins_before_every_other():
    pm = plugins.build_plugin_manager()
    names = [name for name, plugin in pm.list_name_plugin() if plugin is not None]
    assert names[: len(plugins.INTERNAL_PLUGINS)] == list(plugins.INTERNAL_PLUGINS)
    with plugins.use_plugin_manager(pm):
        apps = [name for name, _ in plugins.collect_named("zhibu_models", None)]
        assert apps[0] == "core.defaults.apps"
        assert plugins.implementers("zhibu_scorers", [])[0] == "core.defaults.standards"


async def test_core_baseline_scorer_and_rules_come_through_the_hook():
    tenant, client = await plugin_client()
    assert [s.code for s in available_scorers(tenant)] == ["baseline"]
    core_rules = {r["code"] for r in (await client.ok(RULES))["standardRules"]}
    assert {"BRANCH_MIN_FULL_MEMBERS", "BRANCH_MAX_MEMBERS"} <= core_rules
    pm = plugins.build_plugin_manager(autoload=False)
    pm.unregister(name="core.defaults.standards")
    with plugins.use_plugin_manager(pm):
        # without core's standards plugin there is no baseline scorer and no core rule class
        assert available_scorers(tenant) == []
        left = {r["code"] for r in (await client.ok(RULES))["standardRules"]}
    assert left < core_rules
    assert left and all(code.endswith(("_MISSING", "_LATE")) for code in left)  # the calendar rules


def test_core_vocabulary_and_config_come_through_the_hook():
    assert "BRANCH" in vocabulary_for(()).organization_kinds
    pm = plugins.build_plugin_manager(autoload=False)
    pm.unregister(name="core.defaults.vocabulary")
    pm.unregister(name="core.defaults.config")
    with plugins.use_plugin_manager(pm):
        vocabulary = vocabulary_for(())
        assert vocabulary.organization_kinds == {} and vocabulary.activity_kinds == {}
        assert dict(plugins.plugin_config_defaults(())) == {}
    assert list(plugins.plugin_config_defaults(()))[: len(CORE_DEFAULTS)] == list(CORE_DEFAULTS)


async def test_a_plugin_contributes_what_core_does_through_the_same_hooks(campus):
    tenant, on = await plugin_client(CAMPUS)
    _, off = await plugin_client()
    kinds = {k["code"]: k for k in (await on.ok(KINDS))["organizationKinds"]}
    assert kinds["COLLEGE_BRANCH"] == {"code": "COLLEGE_BRANCH", "label": "院系党支部", "isBranch": True}
    assert list(kinds)[0] == "PARTY_COMMITTEE"  # core's kinds first
    assert "COLLEGE_BRANCH" not in {k["code"] for k in (await off.ok(KINDS))["organizationKinds"]}
    rules = {r["code"]: r["plugin"] for r in (await on.ok(RULES))["standardRules"]}
    assert rules["CAMPUS_DEMO"] == CAMPUS
    assert "CAMPUS_DEMO" not in {r["code"] for r in (await off.ok(RULES))["standardRules"]}
    assert (await on.ok(CHOICES))["scoringPluginChoices"][:1] == ["baseline"]
    assert CAMPUS in (await on.ok(CHOICES))["scoringPluginChoices"]
    assert [s.code for s in available_scorers(tenant)] == ["baseline", CAMPUS]
    config = (await on.ok(CONFIG))["tenant"]["config"]
    assert config[CAMPUS] == {"semester_weeks": 18}
    assert list(config)[: len(CORE_DEFAULTS)] == list(CORE_DEFAULTS)
    assert CAMPUS not in (await off.ok(CONFIG))["tenant"]["config"]
    sdl = schema.print_sdl(schema.build_schema())
    assert "  campusMotto: String!" in sdl
    assert sdl.index("  tenant") < sdl.index("  campusMotto")  # core's domains first


async def test_subset_caller_leaves_out_a_plugin_one_tenant_did_not_enable():
    first, with_probe = await plugin_client("probe")
    second, without = await plugin_client()
    caller = plugins.hook_caller("zhibu_activity_kinds", tuple(first.enabled_plugins))
    assert isinstance(caller, pluggy.HookCaller)
    assert caller is plugins.hook_caller("zhibu_activity_kinds", tuple(first.enabled_plugins))  # cached
    assert "probe" in {impl.plugin_name for impl in caller.get_hookimpls()}
    other = plugins.hook_caller("zhibu_activity_kinds", tuple(second.enabled_plugins))
    assert "probe" not in {impl.plugin_name for impl in other.get_hookimpls()}
    assert "core.defaults.vocabulary" in {impl.plugin_name for impl in other.get_hookimpls()}
    query = "{ activityKinds { code } }"
    assert "READING_SESSION" in {k["code"] for k in (await with_probe.ok(query))["activityKinds"]}
    assert "READING_SESSION" not in {k["code"] for k in (await without.ok(query))["activityKinds"]}


def test_hook_calls_are_logged_when_tracing_is_on(monkeypatch, caplog):
    monkeypatch.setenv("ZHIBU_TRACE_HOOKS", "1")
    traced = plugins.build_plugin_manager()
    monkeypatch.delenv("ZHIBU_TRACE_HOOKS")
    quiet = plugins.build_plugin_manager()
    with caplog.at_level(logging.INFO, logger="zhibu.plugins"):
        with plugins.use_plugin_manager(quiet):
            plugins.collect("zhibu_scorers", ["probe"])
        assert not [r for r in caplog.records if r.name == "zhibu.plugins"]
        with plugins.use_plugin_manager(traced):
            plugins.collect("zhibu_scorers", ["probe"])
    records = [r for r in caplog.records if r.name == "zhibu.plugins"]
    assert [r.hook for r in records] == ["zhibu_scorers"]
    assert records[0].plugins[0] == "core.defaults.standards"
    assert records[0].duration_ms >= 0
    assert "hook zhibu_scorers: core.defaults.standards" in records[0].getMessage()
