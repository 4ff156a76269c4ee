"""Versioned tenant configuration: defaults, merging, validation, history.

A tenant's ``config`` stores only what it overrides; the effective config is the defaults deep-merged
with it. The defaults come through the ``zhibu_config_schema`` hook: core's sections
(:data:`CORE_DEFAULTS`, contributed by ``core.defaults.config`` with :func:`check_core`) first, then
the enabled plugins'. Every change goes through :func:`new_config_version`: it bumps
``config_version`` and stores the full effective config in :class:`TenantConfigVersion`, so a score
or a reminder can cite the exact numbers it used.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from core.errors import ValidationFailed
from core.models import Tenant, TenantConfigVersion

#: Core defaults. Numbers a tenant may change live here, never as constants in rule code.
CORE_DEFAULTS: dict[str, Any] = {
    "organization": {
        "branch_min_full_members": 3,
        "joint_branch_max_units": 5,
        # 上提下分: more than branch_max_members → a general branch, more than
        # general_branch_max_members → a grassroots committee (党委)
        "branch_max_members": 50,
        "general_branch_max_members": 100,
        "party_group_threshold": 20,
        "party_group_min_members": 3,
        "party_group_min_full_members": 1,
        "committee_threshold_full_members": 7,
        "committee_min_seats": 3,
        "committee_max_seats": 5,
        "committee_hard_max_seats": 7,
    },
    # term lengths (core/terms.py): by sector first, then by kind, else term_years
    "committee": {
        "term_years": 3,
        "term_years_by_kind": {"PARTY_COMMITTEE": 5},
        "term_years_by_sector": {"VILLAGE": 5, "COMMUNITY": 5},
        "reminder_months_ahead": [6, 1],
    },
    "activities": {
        "themed_party_day": 20,
        "themed_day_min_attendance": 0.8,
        # 主题党日“4+X”: the four required parts (四项规定动作) every themed day records, plus its
        # own items (X). The seed names the model but not the four; these are common practice and a
        # tenant sets its own (code + Chinese label)
        "themed_day_required_parts": [
            {"code": "OATH", "label": "重温入党誓词"},
            {"code": "STUDY", "label": "集中学习"},
            {"code": "DUES", "label": "交纳党费"},
            {"code": "SERVICE", "label": "志愿服务"},
        ],
    },
    "standards": {
        "themed_day_tolerance_days": 2,
        "grace_days": {"WEEK": 3, "MONTH": 15, "QUARTER": 30, "HALF_YEAR": 30, "YEAR": 60, "KEY_DATE": 15},
        # key-date kinds (ActivityKindSpec.key_dates): on time this many days before or after the date
        "key_date_tolerance_days": 7,
        "heart_to_heart_min_coverage": 1.0,
        # 谈心谈话“四必谈” (岗位变动、组织处置、家庭变故、苗头性问题): the talk is due this many days
        # after the occasion (the seed says 必谈 without a deadline; 30 days is this product's default)
        "heart_to_heart_trigger_days": 30,
        # 年初有计划: the yearly work plan is on time within this many days of the year's start
        # (the seed says 年初 without a number; 31 = by 31 January is this product's default)
        "work_plan_due_days": 31,
        "quorum_share": 0.5,
        "term_extension_max_years": 1,
        "term_ending_soon_months": 6,
        "setup_review_months": 12,
        "venue_items": ["ROOM", "EMBLEM", "FLAG", "OATH", "RULES", "IDENTITY_PUBLIC", "AFFAIRS_PUBLIC"],
        "records_items": ["BOOKS", "BOXES", "KEEPER"],
        # 达标率 targets (core/standards/service.py target_for): the general target (超过90%), yearly
        # targets [{"year": 2023, "rate": 0.6}] (逐年制定达标比例), and the date from which every
        # branch must pass ("YYYY-MM-DD", "" = none: 确保到某年所有基层党组织全部达标)
        "attainment_target": 0.9,
        "attainment_targets": [],
        "attainment_deadline": "",
        "baseline": {
            "area_points": {
                "ORGANIZATION_SETUP": 12.5,
                "LEADERSHIP": 12.5,
                "MEMBER_EDUCATION": 12.5,
                "ORGANIZATIONAL_LIFE": 12.5,
                "SERVICE": 12.5,
                "MECHANISMS": 12.5,
                "VENUE": 12.5,
                "RECORDS": 12.5,
            },
            "penalties": {"ERROR": 6, "WARNING": 2, "INFO": 0},
            "pass_total": 80,
            "pass_max_errors": 0,
        },
    },
    # dues (党费, see docs/dues.md): whole post-tax monthly income up to ``up_to`` yuan (inclusive;
    # null = above) pays ``percent`` %, rounded ROUND_HALF_UP to the fen; fixed amounts in yuan
    "dues": {
        "salaried_brackets": [
            {"up_to": 3000, "percent": 0.5},
            {"up_to": 5000, "percent": 1},
            {"up_to": 10000, "percent": 1.5},
            {"up_to": None, "percent": 2},
        ],
        "retired_brackets": [{"up_to": 5000, "percent": 0.5}, {"up_to": None, "percent": 1}],
        "fixed_amounts": {"STUDENT": 0.2, "UNEMPLOYED": 0.2, "MINIMUM_ALLOWANCE": 0.2},
        "farmer_min": 0.2,
        "farmer_max": 1,
        "farmer_default": 0.2,
        "back_payment_months": 6,
        "arrears_flag_months": 6,
    },
    # reminders (see docs/reminders.md); term expiry uses committee.reminder_months_ahead
    "reminders": {
        "probation_months": 12,
        "probation_days_ahead": 30,
        "rectification_days_ahead": 7,
        "activity_lookback_days": 92,
        "disabled_kinds": [],
    },
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
        # a congress resolution passes with yes votes above this share of the entitled members;
        # its quorum is standards.quorum_share (both ½ by Party rules)
        "vote_pass_share": 0.5,
    },
    # democratic appraisal (民主评议党员) and the secretaries' 述职评议 (docs/lifecycle.md)
    "appraisal": {
        # an UNQUALIFIED rating without any handling step this many days after it was given
        # (the seed: 依规稳妥处置不合格党员, no number: a default the tenant sets)
        "unqualified_handling_days": 90,
        # the branch overall grades, best first, and the lowest with which a secretary may be rated
        # EXCELLENT (the seed: 综合评价等次未达到“好”的，党组织书记考核结果不得评定为“优秀”)
        "unit_grades": [
            {"code": "GOOD", "label": "好"},
            {"code": "FAIRLY_GOOD", "label": "较好"},
            {"code": "AVERAGE", "label": "一般"},
            {"code": "POOR", "label": "差"},
        ],
        "excellent_secretary_min_unit_grade": "GOOD",
    },
    # 双重组织生活 (docs/lifecycle.md §4): a member of category LEADER attends, in their own branch, at
    # least this many organizational life meetings (组织生活会, at least once a year) and party lectures
    # (党课, once a quarter) a year; a shorter period asks its share (whole months elapsed)
    "dual_life": {"life_meetings_per_year": 1, "party_lectures_per_year": 4},
    # the committee-level assessment cadence (年初有部署、季度有检查、半年有点评、年终有考核,
    # docs/standards.md): the organization kinds that hold it and when each artefact is due. The seed
    # names the periods, not the days: 31 days into the year (like the yearly plan) and "within the
    # period" (0 days after its end) are this product's defaults
    "assessment": {
        "holder_kinds": ["PARTY_COMMITTEE"],
        # 年初部署: on time within this many days of 1 January
        "deployment_due_days": 31,
        # 季度检查 / 半年点评 / 年终考核: on time up to this many days after the end of the quarter,
        # of the first half year (30 June), of the year (31 December)
        "quarterly_check_due_days": 0,
        "half_year_review_due_days": 0,
        "year_end_assessment_due_days": 0,
    },
    "acceptance": {
        "sample_rate": 0.05,
        "sample_min": 1,
        "accepting_depth": 0,
        "accepting_kind": "",
        # the superior committee that assesses: the nearest ancestor of this kind ("" = the parent)
        "assessing_kind": "PARTY_COMMITTEE",
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
    """Core's and the enabled plugins' defaults (a fresh copy)."""
    from core.plugins import plugin_config_defaults

    return deep_merge({}, dict(plugin_config_defaults(tuple(tenant.enabled_plugins or ()))))


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


#: Shares of members (quorums, pass thresholds): strictly between 0 and 1.
SHARES = (("standards", "quorum_share"), ("development", "vote_pass_share"))


def _check_themed_parts(config: dict[str, Any]) -> None:
    codes: set[str] = set()
    for entry in config["activities"]["themed_day_required_parts"]:
        code = entry.get("code") if isinstance(entry, dict) else None
        label = entry.get("label") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not code.strip() or not isinstance(label, str) or not label.strip():
            raise ValidationFailed(
                "主题党日规定动作应为 {code, label}", field="activities.themed_day_required_parts"
            )
        if code in codes:
            raise ValidationFailed(
                f"主题党日规定动作 {code} 重复", field="activities.themed_day_required_parts"
            )
        codes.add(code)


def check_core(config: dict[str, Any]) -> None:
    """Core's checks of the effective ``config`` (its validator in ``core.defaults.config``)."""
    _check_themed_parts(config)
    for section, key in SHARES:
        value = config[section][key]
        if not 0 < value < 1:
            raise ValidationFailed(f"配置项 {section}.{key} 应大于0且小于1", field=f"{section}.{key}")
    standards = config["standards"]
    if not 0 < standards["attainment_target"] <= 1:
        raise ValidationFailed("达标率目标应大于0且不超过1", field="standards.attainment_target")
    years: set[int] = set()
    for entry in standards["attainment_targets"]:
        year = entry.get("year") if isinstance(entry, dict) else None
        rate = entry.get("rate") if isinstance(entry, dict) else None
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100 or year in years:
            raise ValidationFailed(
                "年度达标率目标应为 {year, rate}，年份不重复", field="standards.attainment_targets"
            )
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
            raise ValidationFailed(
                f"{year}年达标率目标应大于0且不超过1", field="standards.attainment_targets"
            )
        years.add(year)
    holders = config["assessment"]["holder_kinds"]
    if not all(isinstance(kind, str) and kind.strip() for kind in holders) or len(set(holders)) != len(
        holders
    ):
        raise ValidationFailed("考核部署检查的组织类型应为不重复的类型代码", field="assessment.holder_kinds")
    if config["assessment"]["deployment_due_days"] < 1:
        raise ValidationFailed("年初部署的期限至少为1天", field="assessment.deployment_due_days")
    appraisal = config["appraisal"]
    grades = [g.get("code") if isinstance(g, dict) else None for g in appraisal["unit_grades"]]
    if not grades or not all(isinstance(g, str) and g for g in grades) or len(set(grades)) != len(grades):
        raise ValidationFailed(
            "支部综合评价等次应为 {code, label}，代码不重复", field="appraisal.unit_grades"
        )
    if appraisal["excellent_secretary_min_unit_grade"] not in grades:
        raise ValidationFailed(
            "书记评为优秀所需的支部等次应为已配置的等次之一",
            field="appraisal.excellent_secretary_min_unit_grade",
        )
    deadline = standards["attainment_deadline"]
    if deadline:
        try:
            dt.date.fromisoformat(str(deadline))
        except ValueError:
            raise ValidationFailed(
                "全部达标的期限应为日期（YYYY-MM-DD）", field="standards.attainment_deadline"
            ) from None


def _check_holder_kinds(tenant: Tenant, config: dict[str, Any]) -> None:
    """The cadence's holders are organization kinds of the tenant's vocabulary (core plus plugins)."""
    from core.registry import vocabulary_for

    known = vocabulary_for(tuple(tenant.enabled_plugins or ())).organization_kinds
    unknown = [kind for kind in config["assessment"]["holder_kinds"] if kind not in known]
    if unknown:
        raise ValidationFailed(
            f"未知的组织类型：{'、'.join(unknown)}", field="assessment.holder_kinds", kinds=unknown
        )


async def update_config(tenant: Tenant, patch: dict[str, Any], *, by: str = "") -> Tenant:
    """Validate ``patch`` against the defaults' shape and the validators (core's first), store a new
    version."""
    from core.plugins import plugin_validate_config

    _check_shape(defaults_for(tenant), patch, "")
    new_config = deep_merge(tenant.config or {}, patch)
    merged = deep_merge(defaults_for(tenant), new_config)
    _check_holder_kinds(tenant, merged)
    plugin_validate_config(tenant, merged)
    tenant.config = new_config
    await new_config_version(tenant, by=by, update_fields=["config", "config_version"])
    return tenant


async def new_config_version(
    tenant: Tenant, *, by: str = "", update_fields: list[str] | None = None, first: bool = False
) -> Tenant:
    """Record a change of ``tenant``'s configuration: bump ``config_version`` and save the tenant
    (only ``update_fields`` if given), then keep the effective config it now has as that version.

    ``first``: the tenant was just created with ``config_version=1``; store version 1 as it is."""
    if not first:
        tenant.config_version = (tenant.config_version or 0) + 1
        await tenant.save(update_fields=update_fields)
    await TenantConfigVersion.create(
        tenant=tenant, version=tenant.config_version, config=effective_config(tenant), created_by=by
    )
    return tenant
