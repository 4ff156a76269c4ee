"""农村党建 (rural) plugin: grid party groups in natural villages, first secretaries, the village
two committees, and the star rating as scoring plugin.

乡镇党委—村党组织—网格党小组: a party group of a village organization is registered as the grid
party group of a natural village. First secretaries are sent from agencies for a term. The village
two committees record each member's age and background, and the shares of capable locals and of
members under the configured age (35) are derived in SQL.
"""

from __future__ import annotations

from typing import Any

from core.errors import ValidationFailed
from core.hookspecs import hookimpl
from core.registry import ActivityKindSpec, ConfigSchema, Cycle, FieldType, MemberFieldSpec, Period
from plugins.rural.standards import *  # noqa: F401,F403

LABEL = "农村党建"

CONFIG_DEFAULTS: dict[str, Any] = {
    "young_cadre_age": 35,
    "first_secretary_term_years": 2,
    "min_young_cadres": 1,
    "min_capable_locals": 1,
}


def validate_config(section: dict[str, Any], config: dict[str, Any]) -> None:
    """Numbers of the rural section must be plausible."""
    if not 18 <= section["young_cadre_age"] <= 60:
        raise ValidationFailed("年轻干部年龄线应在18至60岁之间", field="rural.young_cadre_age")
    if not 1 <= section["first_secretary_term_years"] <= 5:
        raise ValidationFailed("第一书记任期应为1至5年", field="rural.first_secretary_term_years")


@hookimpl
def zhibu_models() -> dict[str, tuple[str, str]]:
    return {"rural": ("plugins.rural.models", "plugins.rural.migrations")}


@hookimpl
def zhibu_graphql() -> dict[str, Any]:
    from core.graphql.core.error_codes import error_code_type
    from plugins.rural import graphql
    from plugins.rural.error_codes import RuralErrorCode

    return {"query": graphql.Query, "mutation": graphql.Mutation, "types": [error_code_type(RuralErrorCode)]}


@hookimpl
def zhibu_config_schema() -> ConfigSchema:
    return ConfigSchema(defaults=CONFIG_DEFAULTS, validate=validate_config)


@hookimpl
def zhibu_member_fields() -> list[MemberFieldSpec]:
    return [
        MemberFieldSpec("natural_village", "所在自然村", FieldType.TEXT, max_length=100),
        MemberFieldSpec("contact_households", "联系农户数", FieldType.INT),
    ]


@hookimpl
def zhibu_activity_kinds() -> list[ActivityKindSpec]:
    return [
        ActivityKindSpec(
            "GRID_VISIT", "网格党小组入户走访", Cycle(Period.MONTH), held_by=frozenset({"PARTY_GROUP"})
        ),
    ]


@hookimpl
def zhibu_tenant_domains() -> list[Any]:
    from core.registry import TenantDomainSpec

    return [TenantDomainSpec("rural", "农村", "乡镇党委—村党组织—网格党小组；第一书记、村两委，星级评定")]
