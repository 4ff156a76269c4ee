"""The zhibu plugin hook specifications (pluggy project name ``zhibu``).

A plugin is a module (or any object) whose functions are decorated with :data:`hookimpl` and named
after one of the specs below. Built-in plugins (``plugins/<name>``) and third-party packages are
both found through the ``zhibu`` entry-point group. Every spec is documented in ``docs/plugins.md``
with its exact signature; ``tests/test_docs.py`` fails when the two disagree.

Core contributes through these same hooks (its modules under ``core.defaults``, registered first
for every tenant, like datasette's ``DEFAULT_PLUGINS``): each extension point has one path, and a
plugin can contribute anything core does. Results come in registration order, core first.

Hooks fall into three groups:

- **installation-wide** hooks, called for every installed plugin: ``zhibu_models``,
  ``zhibu_graphql``, ``zhibu_tenant_domains``, ``zhibu_startup``;
- **per-tenant contributions**, collected only from the plugins the tenant enabled (plus core's own
  plugins, ``core.plugins.manager.INTERNAL_PLUGINS``): vocabulary, member fields, rules, scorers,
  config;
- **events**, fired after a change with the tenant bound, only for the tenant's enabled plugins.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("zhibu")
hookimpl = pluggy.HookimplMarker("zhibu")

# --- installation-wide -------------------------------------------------------------------------


@hookspec
def zhibu_startup(app: Any) -> Any:
    """Called once when the ASGI application starts, with the starlette ``app``.

    May be a coroutine function. Use it to warm caches or check external services. Runs for
    every installed plugin (no tenant is bound)."""


@hookspec
def zhibu_models() -> Any:
    """Return ``{app_label: (models_module, migrations_package)}`` for the plugin's tortoise models.

    One app label per plugin (by convention the plugin name). Models subclass
    ``core.tenancy.TenantModel`` and may reference ``core`` models. Called for every installed
    plugin: the tables exist whether or not a tenant enabled the plugin."""


@hookspec
def zhibu_graphql() -> Any:
    """Return ``{"query": type | None, "mutation": type | None, "types": [extra types]}``, or a list
    of such dicts (core returns one per domain, each with a ``"source"`` naming it in errors).

    ``query``/``mutation`` are strawberry types whose fields are merged into the root types. Fields
    should declare ``plugin="<name>"`` so tenants that did not enable the plugin get
    ``PLUGIN_NOT_ENABLED``. A root field name defined twice fails schema construction."""


@hookspec
def zhibu_tenant_domains() -> Any:
    """Return a list of ``core.registry.TenantDomainSpec``: kinds of agency a tenant may be created
    as (``createTenant(input: {domain: …})``, ``zhibu tenant create --domain``).

    Called for every installed plugin (a tenant picks its domain before enabling anything); core
    contributes ``other``. The GraphQL enum ``TenantDomain`` is built from these at schema build. A
    code declared twice replaces the earlier declaration (e.g. to relabel it)."""


# --- per-tenant contributions ------------------------------------------------------------------


@hookspec
def zhibu_organization_kinds() -> Any:
    """Return a list of ``core.registry.OrganizationKindSpec`` added to the tenant's vocabulary.

    A kind with the code of an existing kind replaces it (e.g. to relabel it)."""


@hookspec
def zhibu_nesting_rules() -> Any:
    """Return a list of ``(parent_kind, child_kind)`` pairs allowed in addition to the core rules."""


@hookspec
def zhibu_member_categories() -> Any:
    """Return a list of ``core.registry.MemberCategorySpec`` (special groups of members)."""


@hookspec
def zhibu_member_fields() -> Any:
    """Return a list of ``core.registry.MemberFieldSpec``: extra member fields stored in
    ``Member.extra`` and validated by ``core.registry.Vocabulary.validate_member_extra``."""


@hookspec
def zhibu_activity_kinds() -> Any:
    """Return a list of ``core.registry.ActivityKindSpec`` with their expected cycles
    (``core.registry.Cycle``): the engine checks that they happen that often."""


@hookspec
def zhibu_rules() -> Any:
    """Return a list of ``core.standards`` ``Rule`` objects (compliance rules with stable English
    codes and Chinese messages) evaluated by the standardization engine for the tenant."""


@hookspec
def zhibu_scorers() -> Any:
    """Return a list of ``core.standards`` scorer objects. A tenant picks exactly one scoring
    plugin (``setScoringPlugin``); the engine uses the scorers of that plugin."""


@hookspec
def zhibu_config_schema() -> Any:
    """Return a ``core.registry.ConfigSchema`` (or a list of them): the defaults of the plugin's
    tenant config section (named after the plugin unless ``section`` is given) and an optional validator
    ``validate(section: dict, config: dict) -> None`` raising ``core.errors.DomainError``."""


@hookspec
def zhibu_permissions() -> Any:
    """Return a list of ``core.registry.PermissionSpec``: permissions the plugin's fields declare
    (``@field(permission="RURAL_GRID_MANAGE")``), each with the roles that hold it. Tenant
    administrators hold every permission; ``zhibu migrate`` brings every tenant's policies up to
    date when a plugin adds one."""


# --- events (tenant bound; only the tenant's enabled plugins) ----------------------------------


@hookspec
def zhibu_activity_recorded(activity: Any) -> Any:
    """An activity (``core.models.Activity``) was recorded. May be a coroutine function."""


@hookspec
def zhibu_member_status_changed(member: Any, old_status: Any, new_status: Any) -> Any:
    """A member's status changed (e.g. PROBATIONARY to FULL). May be a coroutine function."""


@hookspec
def zhibu_organization_created(organization: Any) -> Any:
    """An organization was created. May be a coroutine function."""


@hookspec
def zhibu_organization_moved(organization: Any, old_path: str, new_path: str) -> Any:
    """An organization and its subtree moved from ``old_path`` to ``new_path``. May be async."""


@hookspec
def zhibu_committee_seat_changed(seat: Any, organization: Any, ended: bool) -> Any:
    """A committee seat was filled or changed (``ended`` False) or ended (``ended`` True)."""


@hookspec
def zhibu_graphql_context(context: Any) -> Any:
    """Called once per GraphQL request with the ``Context``; plugins may put values into
    ``context.extra``. May be a coroutine function."""


#: Every hook name, in documentation order.
HOOK_NAMES: tuple[str, ...] = tuple(
    name for name, value in list(globals().items()) if name.startswith("zhibu_") and callable(value)
)
