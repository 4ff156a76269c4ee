"""Plugin loading: entry points, the env switches, misspelled hooks, duplicate GraphQL fields, a plugin
loaded from ``ZHIBU_EXTRA_PLUGINS`` (the probe) through GraphQL, and the ``zhibu plugins`` command.
The example third-party package (examples/zhibu-hello-plugin) is tested by its own suite."""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import sys
import types

import pluggy
import pytest
import strawberry

import schema
from core import plugins
from core.commands.plugins import describe_plugins, format_plugins
from core.graphql.core.fields import field
from core.hookspecs import hookimpl
from core.permissions import Permission
from tests.plugin_factories import plugin_client

BUILT_IN = {"rural", "enterprise", "newspaper", "foreign_affairs"}
ENABLE = """mutation($name: String!) { enablePlugin(input: {name: $name}) { errors { code } } }"""
REPORT = "{ probeReport { text organizations } }"


def _module(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    return module


def test_built_in_plugins_are_entry_points_like_third_party_ones():
    entry_points = {ep.name: ep for ep in importlib.metadata.entry_points(group="zhibu")}
    assert BUILT_IN <= set(entry_points)
    assert entry_points["rural"].value == "plugins.rural"
    assert {name for name, _ in plugins.builtin_plugins()} == BUILT_IN
    pm = plugins.build_plugin_manager()
    assert BUILT_IN | {"probe"} <= {name for name, _ in pm.list_name_plugin()}
    # whatever else is installed, the built-in manager holds core and the built-in plugins only
    builtin = {name for name, _ in plugins.build_builtin_plugin_manager().list_name_plugin()}
    assert builtin == BUILT_IN | set(plugins.INTERNAL_PLUGINS)


def test_extra_plugins_load_from_the_environment(monkeypatch):
    monkeypatch.setenv("ZHIBU_EXTRA_PLUGINS", "probe=tests.probe_plugin, other=tests.probe_plugin.graphql")
    assert [name for name, _ in plugins.extra_plugins()] == ["probe", "other"]
    monkeypatch.setenv("ZHIBU_EXTRA_PLUGINS", "tests.probe_plugin")
    with pytest.raises(RuntimeError, match="name=module.path"):
        plugins.extra_plugins()


def test_autoload_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("ZHIBU_DISABLE_PLUGIN_AUTOLOAD", "1")
    pm = plugins.build_plugin_manager()
    names = {name for name, _ in pm.list_name_plugin()}
    assert not names & BUILT_IN
    assert set(plugins.INTERNAL_PLUGINS) <= names


def test_named_plugins_can_be_blocked(monkeypatch):
    monkeypatch.setenv("ZHIBU_BLOCK_PLUGINS", "probe, newspaper")
    pm = plugins.build_plugin_manager()
    names = {name for name, plugin in pm.list_name_plugin() if plugin is not None}
    assert "probe" not in names and "newspaper" not in names
    assert "rural" in names


def test_misspelled_hook_fails_at_startup():
    typo = _module("typo", zhibu_organisation_kinds=lambda: [])
    with pytest.raises(pluggy.PluginValidationError, match="zhibu_organisation_kinds"):
        plugins.build_plugin_manager(autoload=False, extra=[("typo", typo)])


def test_wrong_hook_arguments_fail_at_startup():
    def zhibu_activity_recorded(activity, extra_argument):
        return None

    bad = _module("bad_args", zhibu_activity_recorded=zhibu_activity_recorded)
    with pytest.raises(pluggy.PluginValidationError):
        plugins.build_plugin_manager(autoload=False, extra=[("bad_args", bad)])


def test_a_listed_internal_plugin_that_is_missing_fails(monkeypatch):
    monkeypatch.setattr(plugins.manager, "INTERNAL_PLUGINS", ("core.no_such_hooks",))
    with pytest.raises(ModuleNotFoundError):
        plugins.build_plugin_manager(autoload=False)


def _graphql_plugin(name: str, field_name: str) -> types.ModuleType:
    async def resolver(self, info: strawberry.Info) -> str:
        return name

    query = strawberry.type(
        type(f"{name.title()}Query", (), {field_name: field(resolver, permission=Permission.TENANT_READ)})
    )
    return _module(name, zhibu_graphql=lambda: {"query": query, "mutation": None, "types": []})


def test_two_plugins_defining_the_same_graphql_field_fail(monkeypatch):
    pm = plugins.build_plugin_manager(
        extra=[("one", _graphql_plugin("one", "same_field")), ("two", _graphql_plugin("two", "same_field"))]
    )
    monkeypatch.setattr(plugins.manager, "get_plugin_manager", lambda: pm)
    with pytest.raises(schema.DuplicateFieldError, match="sameField|same_field"):
        schema.build_schema()


def test_a_plugin_field_clashing_with_a_core_field_fails(monkeypatch):
    pm = plugins.build_plugin_manager(extra=[("clash", _graphql_plugin("clash", "tenant"))])
    monkeypatch.setattr(plugins.manager, "get_plugin_manager", lambda: pm)
    with pytest.raises(schema.DuplicateFieldError, match="tenant"):
        schema.build_schema()


def test_schema_contains_every_installed_plugins_fields():
    sdl = schema.print_sdl()
    for name in ("ruralGrids", "demonstrations", "newspaperChecklist", "venueChecklists", "probeReport"):
        assert f"  {name}" in sdl, name


async def test_an_unpackaged_plugin_is_used_through_graphql():
    tenant, client = await plugin_client()
    assert await client.error_code(REPORT) == "PLUGIN_NOT_ENABLED"
    assert (await client.execute(ENABLE, name="probe")).data["enablePlugin"]["errors"] == []
    data = await client.ok(REPORT)
    assert data["probeReport"] == {"text": f"你好，{tenant.name}", "organizations": 0}
    config = """mutation { updatePluginConfig(input: {name: "probe", patch: {greeting: "同志们好"}}) {
      errors { code } } }"""
    await client.mutate(config)
    assert (await client.ok(REPORT))["probeReport"]["text"] == f"同志们好，{tenant.name}"
    plugins_list = (await client.ok("{ plugins { name version enabled } }"))["plugins"]
    assert {"name": "probe", "version": "", "enabled": True} in plugins_list


async def test_zhibu_plugins_lists_plugins_hooks_and_tenants(database):
    tenant, _ = await plugin_client("rural", "probe", scoring="baseline")
    rows = {row["name"]: row for row in await describe_plugins()}
    assert BUILT_IN | {"probe"} <= set(rows)
    assert tenant.slug in rows["rural"]["tenants"] and tenant.slug in rows["probe"]["tenants"]
    assert tenant.slug not in rows["newspaper"]["tenants"]
    assert "zhibu_graphql" in rows["probe"]["hooks"] and "zhibu_models" in rows["rural"]["hooks"]
    text = format_plugins(list(rows.values()))
    assert "probe  测试探针插件  (unpackaged)" in text
    assert "rural  " in text and "(zhibu 0.1.0)" in text
    assert "enabled by: " in text
    # the command itself, in its own process, against the test database
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core.cli",
        "--db",
        database,
        "plugins",
        "--json",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    listed = {row["name"]: row for row in json.loads(out)}
    assert listed["probe"]["hooks"] == rows["probe"]["hooks"]
    assert tenant.slug in listed["rural"]["tenants"]
