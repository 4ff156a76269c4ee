"""Core's vocabulary: the organization kinds (with their nesting), activity kinds and member
categories of ``core.registry``, contributed through the vocabulary hooks, and the tenant domain
``other`` (the domain plugins contribute theirs)."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl
from core.registry import (
    CORE_ACTIVITY_KINDS,
    CORE_MEMBER_CATEGORIES,
    CORE_ORGANIZATION_KINDS,
    TenantDomainSpec,
)


@hookimpl
def zhibu_organization_kinds() -> Any:
    return list(CORE_ORGANIZATION_KINDS.values())


@hookimpl
def zhibu_activity_kinds() -> Any:
    return list(CORE_ACTIVITY_KINDS.values())


@hookimpl
def zhibu_member_categories() -> Any:
    return list(CORE_MEMBER_CATEGORIES.values())


@hookimpl
def zhibu_tenant_domains() -> Any:
    return [TenantDomainSpec("other", "其他单位", "不属于已安装领域插件的机关、事业单位等")]
