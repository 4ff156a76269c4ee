"""Core's vocabulary: the organization kinds (with their nesting), activity kinds and member
categories of ``core.registry``, contributed through the vocabulary hooks."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl
from core.registry import CORE_ACTIVITY_KINDS, CORE_MEMBER_CATEGORIES, CORE_ORGANIZATION_KINDS


@hookimpl
def zhibu_organization_kinds() -> Any:
    return list(CORE_ORGANIZATION_KINDS.values())


@hookimpl
def zhibu_activity_kinds() -> Any:
    return list(CORE_ACTIVITY_KINDS.values())


@hookimpl
def zhibu_member_categories() -> Any:
    return list(CORE_MEMBER_CATEGORIES.values())
