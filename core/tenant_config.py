"""Versioned tenant configuration: defaults, merging, validation, history.

A tenant's ``config`` stores only what it overrides; the effective config is the defaults (core plus
enabled plugins' ``zhibu_config_defaults``) deep-merged with it. Every change bumps
``config_version`` and stores the full effective config in :class:`TenantConfigVersion`, so a score
or a reminder can cite the exact numbers it used.
"""

from __future__ import annotations

import copy
from typing import Any

from core.errors import ValidationFailed
from core.models import Tenant, TenantConfigVersion

#: Core defaults. Numbers a tenant may change live here, never as constants in rule code.
CORE_DEFAULTS: dict[str, Any] = {
    "organization": {
        "branch_min_full_members": 3,
        "joint_branch_max_units": 5,
        "branch_max_members": 50,
        "party_group_threshold": 20,
        "party_group_min_members": 3,
        "party_group_min_full_members": 1,
        "committee_threshold_full_members": 7,
        "committee_min_seats": 3,
        "committee_max_seats": 5,
        "committee_hard_max_seats": 7,
    },
    "committee": {"term_years": 3, "reminder_months_ahead": [6, 1]},
    "activities": {"themed_party_day": 20, "themed_day_min_attendance": 0.8},
    "rectification": {
        "deadline_days": {"ERROR": 30, "WARNING": 60, "INFO": 90},
        "require_tasks_done": True,
    },
    "development": {
        "min_applicant_age": 18,
        "talk_within_months": 1,
        "activist_min_months": 12,
        "training_min_days": 3,
        "training_min_hours": 24,
        "political_review_valid_months": 12,
        "approval_within_months": 3,
        "approval_max_months": 6,
        "probation_months": 12,
        "extension_min_months": 6,
        "extension_max_months": 12,
        "max_extensions": 1,
    },
    "acceptance": {
        "sample_rate": 0.05,
        "sample_min": 1,
        "accepting_depth": 0,
        "accepting_kind": "",
        "block_on_open_rectification": True,
    },
}


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` merged into a copy of ``base``, recursively for dicts."""
    merged = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def defaults_for(tenant: Tenant) -> dict[str, Any]:
    """Core defaults plus the enabled plugins' defaults."""
    from core.plugins import plugin_config_defaults

    return deep_merge(CORE_DEFAULTS, plugin_config_defaults(tuple(tenant.enabled_plugins or ())))


def effective_config(tenant: Tenant) -> dict[str, Any]:
    """What is in force for ``tenant`` now."""
    return deep_merge(defaults_for(tenant), tenant.config or {})


def _check_shape(defaults: Any, value: Any, path: str) -> None:
    if isinstance(defaults, dict):
        if not isinstance(value, dict):
            raise ValidationFailed(f"配置项 {path} 应为对象", field=path)
        for key, sub in value.items():
            if key not in defaults:
                raise ValidationFailed(f"未知的配置项 {path}.{key}".lstrip("."), field=f"{path}.{key}")
            _check_shape(defaults[key], sub, f"{path}.{key}".lstrip("."))
    elif isinstance(defaults, bool):
        if not isinstance(value, bool):
            raise ValidationFailed(f"配置项 {path} 应为布尔值", field=path)
    elif isinstance(defaults, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationFailed(f"配置项 {path} 应为数字", field=path)
        if value < 0:
            raise ValidationFailed(f"配置项 {path} 不能为负数", field=path)
    elif isinstance(defaults, list) and not isinstance(value, list):
        raise ValidationFailed(f"配置项 {path} 应为列表", field=path)


async def update_config(tenant: Tenant, patch: dict[str, Any], *, by: str = "") -> Tenant:
    """Validate ``patch`` against the defaults' shape (and plugin validators), store a new version."""
    from core.plugins import plugin_validate_config

    _check_shape(defaults_for(tenant), patch, "")
    new_config = deep_merge(tenant.config or {}, patch)
    plugin_validate_config(tenant, deep_merge(defaults_for(tenant), new_config))
    tenant.config = new_config
    tenant.config_version = (tenant.config_version or 0) + 1
    await tenant.save(update_fields=["config", "config_version"])
    await TenantConfigVersion.create(
        tenant=tenant, version=tenant.config_version, config=effective_config(tenant), created_by=by
    )
    return tenant
