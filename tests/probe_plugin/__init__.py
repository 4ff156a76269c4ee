"""探针 (probe): an in-process plugin the core suite loads (``ZHIBU_EXTRA_PLUGINS``) to exercise every
hook through the public surface, whatever third-party plugins are (or are not) installed.

It implements every hook specification: a ``probeReport`` query field, a ``probe`` config section,
a 学习小组 kind inside branches, a 志愿者党员 category, a monthly reading session, and counters of the
events it heard per tenant.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from core.errors import DomainError, ValidationFailed
from core.hookspecs import hookimpl
from core.registry import (
    ActivityKindSpec,
    ConfigSchema,
    Cycle,
    MemberCategorySpec,
    OrganizationKindSpec,
    Period,
    PermissionSpec,
    TenantDomainSpec,
)
from core.tenancy import bound_tenant_id
from tests.probe_plugin.error_codes import ProbeErrorCode

NAME = "probe"
LABEL = "测试探针插件"

#: events heard, per tenant: {tenant_id: Counter({hook name: count})}
EVENTS: dict[int, Counter] = {}
#: apps the plugin saw start
STARTED: list[Any] = []


def _heard(hook: str) -> None:
    tenant_id = bound_tenant_id()
    if tenant_id is not None:
        EVENTS.setdefault(tenant_id, Counter())[hook] += 1


def validate_config(section: dict[str, Any], config: dict[str, Any]) -> None:
    greeting = section["greeting"]
    if not greeting.strip() or len(greeting) > 20:
        raise ValidationFailed("问候语应为1至20个字", field="probe.greeting")
    if "再见" in greeting:
        raise DomainError(ProbeErrorCode.PROBE_GREETING_FAREWELL, field="probe.greeting", greeting=greeting)


@hookimpl
def zhibu_startup(app: Any) -> None:
    STARTED.append(app)


@hookimpl
def zhibu_graphql() -> dict[str, Any]:
    from core.graphql.core.error_codes import error_code_type
    from tests.probe_plugin.graphql import Query

    return {"query": Query, "mutation": None, "types": [error_code_type(ProbeErrorCode)]}


@hookimpl
def zhibu_config_schema() -> ConfigSchema:
    return ConfigSchema(defaults={"greeting": "你好"}, validate=validate_config)


@hookimpl
def zhibu_tenant_domains() -> list[TenantDomainSpec]:
    return [TenantDomainSpec("probe_lab", "探针实验室", "测试用的单位领域")]


@hookimpl
def zhibu_permissions() -> list[PermissionSpec]:
    return [PermissionSpec("PROBE_SECRET_READ", "查看探针秘密", roles=("ORG_INSPECTOR",))]


@hookimpl
def zhibu_organization_kinds() -> list[OrganizationKindSpec]:
    return [OrganizationKindSpec("STUDY_GROUP", "学习小组", may_be_root=False)]


@hookimpl
def zhibu_nesting_rules() -> list[tuple[str, str]]:
    return [("BRANCH", "STUDY_GROUP")]


@hookimpl
def zhibu_member_categories() -> list[MemberCategorySpec]:
    return [MemberCategorySpec("VOLUNTEER", "志愿者党员")]


@hookimpl
def zhibu_activity_kinds() -> list[ActivityKindSpec]:
    return [ActivityKindSpec("READING_SESSION", "读书会", Cycle(Period.MONTH))]


@hookimpl
async def zhibu_organization_created(organization: Any) -> None:
    _heard("zhibu_organization_created")


@hookimpl
def zhibu_organization_moved(organization: Any, old_path: str, new_path: str) -> None:
    _heard("zhibu_organization_moved")


@hookimpl
def zhibu_activity_recorded(activity: Any) -> None:
    _heard("zhibu_activity_recorded")


@hookimpl
def zhibu_member_status_changed(member: Any, old_status: Any, new_status: Any) -> None:
    _heard("zhibu_member_status_changed")


@hookimpl
def zhibu_committee_seat_changed(seat: Any, organization: Any, ended: bool) -> None:
    _heard("zhibu_committee_seat_changed")


@hookimpl
async def zhibu_graphql_context(context: Any) -> None:
    context.extra["probe_context"] = "来自插件的上下文"
