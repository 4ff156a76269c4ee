"""企业党建 (enterprise) plugin: one standard and four demonstrations, business integration, and
red-flag branch / branch race as scoring plugin.

一标准: benchmark branches (标杆党支部) applied for and designated per year. 四示范: member
demonstration posts, fields, shops and zones (党员示范岗/田/店/区) with the members taking part and
their pledges. 党建+业务: items tied to business results and, optionally, performance pay.
"""

from __future__ import annotations

from typing import Any

from core.errors import ValidationFailed
from core.hookspecs import hookimpl
from core.registry import ActivityKindSpec, ConfigSchema, Cycle, FieldType, MemberFieldSpec, Period
from plugins.enterprise.standards import *  # noqa: F401,F403

LABEL = "企业党建"

CONFIG_DEFAULTS: dict[str, Any] = {
    "demonstration_min_members": 1,
    "integration_min_items": 1,
    "integration_pass_attainment": 1.0,
}


def validate_config(section: dict[str, Any], config: dict[str, Any]) -> None:
    """Demonstrations need members; attainment thresholds are shares."""
    if section["demonstration_min_members"] < 1:
        raise ValidationFailed("示范项目至少应有1名党员", field="enterprise.demonstration_min_members")
    if not 0 < section["integration_pass_attainment"] <= 2:
        raise ValidationFailed("达标完成率应在0至2之间", field="enterprise.integration_pass_attainment")


@hookimpl
def zhibu_models() -> dict[str, tuple[str, str]]:
    return {"enterprise": ("plugins.enterprise.models", "plugins.enterprise.migrations")}


@hookimpl
def zhibu_graphql() -> dict[str, Any]:
    from core.graphql.core.error_codes import error_code_type
    from plugins.enterprise import graphql
    from plugins.enterprise.error_codes import EnterpriseErrorCode

    return {
        "query": graphql.Query,
        "mutation": graphql.Mutation,
        "types": [error_code_type(EnterpriseErrorCode)],
    }


@hookimpl
def zhibu_config_schema() -> ConfigSchema:
    return ConfigSchema(defaults=CONFIG_DEFAULTS, validate=validate_config)


@hookimpl
def zhibu_member_fields() -> list[MemberFieldSpec]:
    return [MemberFieldSpec("job_post", "工作岗位", FieldType.TEXT, max_length=100)]


@hookimpl
def zhibu_activity_kinds() -> list[ActivityKindSpec]:
    return [ActivityKindSpec("PLEDGE_REVIEW", "承诺践诺点评", Cycle(Period.QUARTER))]


@hookimpl
def zhibu_tenant_domains() -> list[Any]:
    from core.registry import TenantDomainSpec

    return [TenantDomainSpec("enterprise", "企业", "国有企业和非公企业：一标准、四示范，支部赛马")]
