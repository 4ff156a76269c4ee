"""外事办党建 (foreign_affairs) plugin: the 两专六有 venue standard, the 五个一 recurring activities,
party groups led by section chiefs, party building leading the trade union, women group and youth
league (党建带群建), and 双力双争 as scoring plugin.

五个一: the report names three of the five with their cadence — 每月一理论讲习, 每月一升旗仪式,
每周一文体活动 — and nothing of the other two, so only those three are expected on a cycle.
Patriotic education happens "在重要节点时间或时机": it is expected on the key dates the tenant lists in
``foreign_affairs.patriotic_education_dates`` (none by default: the report names no date), not on a
cycle. Joint activities with the mass organizations (党群活动共办) are recorded without a cadence.
"""

from __future__ import annotations

from typing import Any

from core.errors import ValidationFailed
from core.hookspecs import hookimpl
from core.registry import (
    ActivityKindSpec,
    ConfigSchema,
    Cycle,
    FieldType,
    MemberFieldSpec,
    Period,
    check_key_dates,
)
from plugins.foreign_affairs.standards import *  # noqa: F401,F403

LABEL = "外事办党建"

RANKS = ("正处级", "副处级", "正科级", "副科级", "科员", "其他")
MASS_KINDS = ("TRADE_UNION", "WOMEN_GROUP", "YOUTH_LEAGUE")

CONFIG_DEFAULTS: dict[str, Any] = {
    "expected_party_groups": 4,
    # the report: 党支部下设4个党小组，小组长全部由正科级领导干部担任
    "group_leader_ranks": ["正科级"],
    "required_mass_organizations": list(MASS_KINDS),
    # key dates (重要节点) of the patriotic education, [{"date": "MM-DD", "name": "…"}]
    "patriotic_education_dates": [],
}


def validate_config(section: dict[str, Any], config: dict[str, Any]) -> None:
    """Ranks and mass organization kinds must be known ones."""
    if section["expected_party_groups"] < 1:
        raise ValidationFailed("党小组数至少为1", field="foreign_affairs.expected_party_groups")
    ranks = section["group_leader_ranks"]
    if not ranks or any(r not in RANKS for r in ranks):
        raise ValidationFailed(f"职级只能是：{'、'.join(RANKS)}", field="foreign_affairs.group_leader_ranks")
    check_key_dates(section["patriotic_education_dates"], "foreign_affairs.patriotic_education_dates")
    if any(k not in MASS_KINDS for k in section["required_mass_organizations"]):
        raise ValidationFailed(
            "群团组织类型只能是 TRADE_UNION、WOMEN_GROUP、YOUTH_LEAGUE",
            field="foreign_affairs.required_mass_organizations",
        )


@hookimpl
def zhibu_models() -> dict[str, tuple[str, str]]:
    return {"foreign_affairs": ("plugins.foreign_affairs.models", "plugins.foreign_affairs.migrations")}


@hookimpl
def zhibu_graphql() -> dict[str, Any]:
    from core.graphql.core.error_codes import error_code_type
    from plugins.foreign_affairs import graphql
    from plugins.foreign_affairs.error_codes import ForeignAffairsErrorCode

    return {
        "query": graphql.Query,
        "mutation": graphql.Mutation,
        "types": [error_code_type(ForeignAffairsErrorCode)],
    }


@hookimpl
def zhibu_config_schema() -> ConfigSchema:
    return ConfigSchema(defaults=CONFIG_DEFAULTS, validate=validate_config)


@hookimpl
def zhibu_member_fields() -> list[MemberFieldSpec]:
    return [MemberFieldSpec("rank", "职级", FieldType.CHOICE, choices=RANKS)]


@hookimpl
def zhibu_activity_kinds() -> list[ActivityKindSpec]:
    return [
        ActivityKindSpec("MONTHLY_THEORY_SESSION", "每月一理论讲习", Cycle(Period.MONTH)),
        ActivityKindSpec("MONTHLY_FLAG_RAISING", "每月一升旗仪式", Cycle(Period.MONTH)),
        ActivityKindSpec("WEEKLY_SPORTS", "每周一文体活动", Cycle(Period.WEEK)),
        ActivityKindSpec(
            "PATRIOTIC_EDUCATION", "爱国主义主题教育", key_dates="foreign_affairs.patriotic_education_dates"
        ),
        ActivityKindSpec("MASS_JOINT_ACTIVITY", "党群共建活动"),
    ]


@hookimpl
def zhibu_tenant_domains() -> list[Any]:
    from core.registry import TenantDomainSpec

    return [TenantDomainSpec("foreign_affairs", "外事办", "两专六有阵地标准，五个一活动，双力双争")]
