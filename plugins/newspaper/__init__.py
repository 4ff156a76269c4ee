"""报社党建 (newspaper) plugin: the 6-area / 21-item plan, overseas bureaus, emergency reporting
teams with temporary branches, joint branches of at most 5 departments, members' social media
accounts, and 四强 as scoring plugin.

The 21 items are data (``plugins.newspaper.checklist``); branches are assessed item by item per year.
Overseas bureaus' branches name the embassy party organization that manages their members (members
carry the WORKING_ABROAD category). An emergency reporting team approved by the editorial board gets a
temporary branch, dissolved with the team.
"""

from __future__ import annotations

from typing import Any

from core.errors import ValidationFailed
from core.hookspecs import hookimpl
from core.registry import ConfigSchema, TenantDomainSpec
from plugins.newspaper.standards import *  # noqa: F401,F403

LABEL = "报社党建"

#: the plan allows at most 5 departments per joint branch; a tenant may lower it, not raise it
JOINT_BRANCH_HARD_LIMIT = 5

CONFIG_DEFAULTS: dict[str, Any] = {
    "joint_branch_max_departments": JOINT_BRANCH_HARD_LIMIT,
    "social_media_platforms": ["微信", "微博", "抖音", "快手", "小红书", "哔哩哔哩", "今日头条", "其他"],
    "checklist_pass_items": 21,
}


def validate_config(section: dict[str, Any], config: dict[str, Any]) -> None:
    """Joint branches: 1..5 departments; platforms: non-empty text list; pass mark within 21 items."""
    limit = section["joint_branch_max_departments"]
    if not isinstance(limit, int) or not 1 <= limit <= JOINT_BRANCH_HARD_LIMIT:
        raise ValidationFailed(
            f"联合党支部覆盖部门上限应为1至{JOINT_BRANCH_HARD_LIMIT}个",
            field="newspaper.joint_branch_max_departments",
        )
    platforms = section["social_media_platforms"]
    if not platforms or not all(isinstance(p, str) and p.strip() for p in platforms):
        raise ValidationFailed("社交媒体平台列表不能为空", field="newspaper.social_media_platforms")
    if not 1 <= section["checklist_pass_items"] <= 21:
        raise ValidationFailed("达标项数应在1至21之间", field="newspaper.checklist_pass_items")


@hookimpl
def zhibu_models() -> dict[str, tuple[str, str]]:
    return {"newspaper": ("plugins.newspaper.models", "plugins.newspaper.migrations")}


@hookimpl
def zhibu_graphql() -> dict[str, Any]:
    from core.graphql.core.error_codes import error_code_type
    from plugins.newspaper import graphql
    from plugins.newspaper.error_codes import NewspaperErrorCode

    return {
        "query": graphql.Query,
        "mutation": graphql.Mutation,
        "types": [error_code_type(NewspaperErrorCode)],
    }


@hookimpl
def zhibu_config_schema() -> ConfigSchema:
    return ConfigSchema(defaults=CONFIG_DEFAULTS, validate=validate_config)


@hookimpl
def zhibu_tenant_domains() -> list[TenantDomainSpec]:
    return [TenantDomainSpec("newspaper", "报社", "六个方面21项标准，四强党支部，驻外记者站、临时党支部")]
