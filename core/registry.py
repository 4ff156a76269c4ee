"""Registries of extensible vocabularies: organization kinds with their nesting rules, activity kinds
with their expected cycles, member categories. Core entries are defined here and contributed, like a
plugin's, through the hooks (``zhibu_organization_kinds``, ``zhibu_activity_kinds``,
``zhibu_member_categories``) by ``core.defaults.vocabulary``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Period(StrEnum):
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    HALF_YEAR = "HALF_YEAR"
    YEAR = "YEAR"


@dataclass(frozen=True)
class PermissionSpec:
    """A permission a plugin declares (``zhibu_permissions``): an upper-case code such as
    ``RURAL_GRID_MANAGE``, a Chinese label, and the roles that hold it (``ORG_SECRETARY``,
    ``ORG_COMMITTEE``, ``ORG_INSPECTOR``, ``MEMBER``; tenant administrators hold every one)."""

    code: str
    label: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class TenantDomainSpec:
    """A kind of agency a tenant may be (``zhibu_tenant_domains``): a lower-case ``code`` stored on
    the tenant (``university``; the GraphQL enum value is its upper case, ``UNIVERSITY``), a Chinese
    ``label``, and the ``plugin`` a tenant of this domain enables by default (``zhibu tenant create
    --domain``; None: the declaring plugin, or none for core's ``other``)."""

    code: str
    label: str
    description: str = ""
    plugin: str | None = None


@dataclass(frozen=True)
class Cycle:
    """``times`` occurrences expected per ``period`` (e.g. once a MONTH)."""

    period: Period
    times: int = 1


@dataclass(frozen=True)
class OrganizationKindSpec:
    code: str
    label: str
    #: kinds allowed directly inside an organization of this kind
    allowed_children: frozenset[str] = frozenset()
    #: may stand at the top of the tree
    may_be_root: bool = True
    #: a branch-like unit: holds members, scored, most rules apply
    is_branch: bool = False


@dataclass(frozen=True)
class ActivityKindSpec:
    code: str
    label: str
    cycle: Cycle | None = None
    #: organization kinds that hold it (empty: branch kinds)
    held_by: frozenset[str] = frozenset()
    #: usual month(s) of the year, for yearly kinds (e.g. Q4 for the life meeting)
    usual_months: tuple[int, ...] = ()
    plugin: str | None = None
    #: instead of a cycle: expected on key dates (重要节点) the tenant configures, a dotted config key
    #: (e.g. ``foreign_affairs.patriotic_education_dates``) holding ``[{"date": "MM-DD", "name": …}]``
    key_dates: str | None = None
    #: on time within this many days of the slot's start (a dotted config key, e.g. the yearly plan
    #: 年初有计划: ``standards.work_plan_due_days``) instead of by the slot's end
    due_days: str | None = None
    #: a document (plan, summary) rather than a meeting: no host or attendance list expected
    document: bool = False

    @property
    def scheduled(self) -> bool:
        """Expected by the calendar: on a cycle or on configured key dates."""
        return self.cycle is not None or self.key_dates is not None

    @property
    def schedule(self) -> str:
        """The cycle's period (``MONTH`` …), ``KEY_DATE`` for key-date kinds, ``""`` otherwise."""
        if self.cycle is not None:
            return str(self.cycle.period)
        return KEY_DATE if self.key_dates is not None else ""

    @property
    def times(self) -> int:
        """Occurrences expected per slot."""
        return self.cycle.times if self.cycle is not None else 1


#: Schedule of activity kinds expected on configured key dates rather than on a cycle.
KEY_DATE = "KEY_DATE"


def key_date_entries(config: dict[str, Any], dotted: str) -> list[dict[str, str]]:
    """The key dates ``[{"date": "MM-DD", "name": …}]`` at ``dotted`` in the effective ``config``."""
    section, _, key = dotted.partition(".")
    return list((config.get(section) or {}).get(key) or [])


def check_key_dates(entries: Any, field: str) -> None:
    """Refuse key dates that are not ``[{"date": "MM-DD", "name": "…"}]`` (``ValidationFailed``)."""
    from core.errors import ValidationFailed

    if not isinstance(entries, list):
        raise ValidationFailed("重要节点日期应为列表", field=field)
    seen = set()
    for entry in entries:
        date = entry.get("date") if isinstance(entry, dict) else None
        name = entry.get("name", "") if isinstance(entry, dict) else None
        try:
            month, day = (int(part) for part in str(date).split("-"))
            dt.date(2024, month, day)  # a leap year: 02-29 is a date
        except (TypeError, ValueError):
            raise ValidationFailed(
                f"重要节点日期应为“月-日”（MM-DD），如 07-01：{date}", field=field
            ) from None
        if not isinstance(name, str) or len(name) > 50:
            raise ValidationFailed("重要节点名称应为不超过50字的文本", field=field)
        if (month, day) in seen:
            raise ValidationFailed(f"重要节点日期重复：{date}", field=field)
        seen.add((month, day))


@dataclass(frozen=True)
class MemberCategorySpec:
    code: str
    label: str
    plugin: str | None = None


class FieldType(StrEnum):
    TEXT = "TEXT"
    INT = "INT"
    BOOL = "BOOL"
    DATE = "DATE"
    CHOICE = "CHOICE"


@dataclass(frozen=True)
class MemberFieldSpec:
    """An extra member field a plugin adds; stored in ``Member.extra[code]``."""

    code: str
    label: str
    type: FieldType = FieldType.TEXT
    choices: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 200
    plugin: str | None = None

    def clean(self, value: Any) -> Any:
        """The stored form of ``value``; raises ``ValidationFailed`` with a Chinese message."""
        from core.errors import ValidationFailed

        where = f"extra.{self.code}"
        if value is None or value == "":
            if self.required:
                raise ValidationFailed(f"{self.label}不能为空", field=where)
            return None
        if self.type is FieldType.TEXT:
            if not isinstance(value, str) or len(value) > self.max_length:
                raise ValidationFailed(f"{self.label}应为不超过{self.max_length}字的文本", field=where)
            return value.strip()
        if self.type is FieldType.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationFailed(f"{self.label}应为整数", field=where)
            return value
        if self.type is FieldType.BOOL:
            if not isinstance(value, bool):
                raise ValidationFailed(f"{self.label}应为是或否", field=where)
            return value
        if self.type is FieldType.DATE:
            try:
                return dt.date.fromisoformat(str(value)).isoformat()
            except ValueError as exc:
                raise ValidationFailed(f"{self.label}应为日期（YYYY-MM-DD）", field=where) from exc
        if value not in self.choices:
            raise ValidationFailed(f"{self.label}只能是：{'、'.join(self.choices)}", field=where)
        return value


@dataclass(frozen=True)
class ConfigSchema:
    """A plugin's tenant config section: defaults (their shapes are the schema) and a validator.

    ``validate(section, config)`` receives the section and the whole effective config and raises
    ``core.errors.DomainError`` when they are not acceptable. ``section`` defaults to the plugin name.
    """

    defaults: dict[str, Any]
    validate: Callable[[dict[str, Any], dict[str, Any]], None] | None = None
    section: str | None = None


_BRANCH_CHILDREN = frozenset({"PARTY_GROUP"})
_UNIT_CHILDREN = frozenset({"BRANCH", "JOINT_BRANCH", "TEMPORARY_BRANCH"})

CORE_ORGANIZATION_KINDS: dict[str, OrganizationKindSpec] = {
    spec.code: spec
    for spec in (
        OrganizationKindSpec(
            "PARTY_COMMITTEE",
            "党委",
            frozenset({"PARTY_COMMITTEE", "GENERAL_BRANCH"}) | _UNIT_CHILDREN,
        ),
        OrganizationKindSpec("GENERAL_BRANCH", "党总支", _UNIT_CHILDREN),
        OrganizationKindSpec("BRANCH", "党支部", _BRANCH_CHILDREN, is_branch=True),
        OrganizationKindSpec("JOINT_BRANCH", "联合党支部", _BRANCH_CHILDREN, is_branch=True),
        OrganizationKindSpec(
            "TEMPORARY_BRANCH", "临时党支部", _BRANCH_CHILDREN, may_be_root=False, is_branch=True
        ),
        OrganizationKindSpec("PARTY_GROUP", "党小组", frozenset(), may_be_root=False),
    )
}

#: Sectors (领域) an organization works in. Some rules differ by sector: village and community
#: organizations serve 5-year terms (tenant config ``committee.term_years_by_sector``).
ORGANIZATION_SECTORS: dict[str, str] = {
    "TOWNSHIP": "乡镇（街道）",
    "VILLAGE": "村",
    "COMMUNITY": "社区",
    "AGENCY": "机关",
    "INSTITUTION": "事业单位",
    "STATE_ENTERPRISE": "国有企业",
    "PRIVATE_ENTERPRISE": "非公有制企业",
    "SOCIAL_ORGANIZATION": "社会组织",
    "OTHER": "其他",
}

CORE_ACTIVITY_KINDS: dict[str, ActivityKindSpec] = {
    spec.code: spec
    for spec in (
        ActivityKindSpec("MEMBER_CONGRESS", "党员大会", Cycle(Period.QUARTER)),
        ActivityKindSpec("COMMITTEE_MEETING", "支委会", Cycle(Period.MONTH)),
        ActivityKindSpec("GROUP_MEETING", "党小组会", Cycle(Period.MONTH), frozenset({"PARTY_GROUP"})),
        ActivityKindSpec("PARTY_LECTURE", "党课", Cycle(Period.QUARTER)),
        ActivityKindSpec("THEMED_PARTY_DAY", "主题党日", Cycle(Period.MONTH)),
        ActivityKindSpec("LIFE_MEETING", "组织生活会", Cycle(Period.YEAR), usual_months=(10, 11, 12)),
        ActivityKindSpec("DEMOCRATIC_APPRAISAL", "民主评议党员", Cycle(Period.YEAR)),
        ActivityKindSpec("HEART_TO_HEART", "谈心谈话", Cycle(Period.YEAR)),
        # 年初有计划、年底有总结 (the branch's yearly work plan and summary, recorded as documents)
        ActivityKindSpec(
            "WORK_PLAN",
            "年度工作计划",
            Cycle(Period.YEAR),
            due_days="standards.work_plan_due_days",
            document=True,
        ),
        ActivityKindSpec(
            "WORK_SUMMARY", "年度工作总结", Cycle(Period.YEAR), usual_months=(12,), document=True
        ),
    )
}

CORE_MEMBER_CATEGORIES: dict[str, MemberCategorySpec] = {
    spec.code: spec
    for spec in (
        MemberCategorySpec("RETIRED", "离退休党员"),
        MemberCategorySpec("DISPATCHED_LABOUR", "劳务派遣党员"),
        MemberCategorySpec("WORKING_ABROAD", "出国（境）党员"),
        MemberCategorySpec("FLOATING", "流动党员"),
        # leadership cadres: take part in their branch's organizational life as ordinary members
        # (双重组织生活, rule LEADER_DUAL_LIFE_MISSED)
        MemberCategorySpec("LEADER", "党员领导干部"),
    )
}


@dataclass
class Vocabulary:
    """The kinds and categories in force for one tenant (core plus its enabled plugins), filled by
    :func:`vocabulary_for` from the vocabulary hooks — core's entries above come through them too
    (``core.defaults.vocabulary``)."""

    organization_kinds: dict[str, OrganizationKindSpec] = field(default_factory=dict)
    activity_kinds: dict[str, ActivityKindSpec] = field(default_factory=dict)
    member_categories: dict[str, MemberCategorySpec] = field(default_factory=dict)
    #: extra member fields contributed by plugins (stored in ``Member.extra``)
    member_fields: dict[str, MemberFieldSpec] = field(default_factory=dict)

    def copy(self) -> Vocabulary:
        """An independent copy (the specs themselves are immutable)."""
        return Vocabulary(
            organization_kinds=dict(self.organization_kinds),
            activity_kinds=dict(self.activity_kinds),
            member_categories=dict(self.member_categories),
            member_fields=dict(self.member_fields),
        )

    def branch_kinds(self) -> frozenset[str]:
        return frozenset(code for code, spec in self.organization_kinds.items() if spec.is_branch)

    def allow_nesting(self, parent_kind: str, child_kind: str) -> None:
        """Allow ``child_kind`` directly inside ``parent_kind`` (a plugin's nesting rule)."""
        parent = self.organization_kinds.get(parent_kind)
        if parent is None or child_kind not in self.organization_kinds:
            raise ValueError(f"nesting rule {parent_kind} > {child_kind} names an unknown kind")
        self.organization_kinds[parent_kind] = replace(
            parent, allowed_children=parent.allowed_children | {child_kind}
        )

    def validate_member_extra(self, extra: dict[str, Any] | None, *, partial: bool = False) -> dict[str, Any]:
        """``extra`` checked against the member fields in force, in stored form.

        Unknown keys are refused; with ``partial`` required fields may be missing (an update).
        """
        from core.errors import ValidationFailed

        extra = dict(extra or {})
        unknown = sorted(set(extra) - set(self.member_fields))
        if unknown:
            raise ValidationFailed(f"未知的党员扩展信息：{'、'.join(unknown)}", field="extra")
        cleaned: dict[str, Any] = {}
        for code, spec in self.member_fields.items():
            if code in extra:
                cleaned[code] = spec.clean(extra[code])
            elif not partial:
                spec.clean(None)
        return cleaned


def vocabulary_for(enabled_plugins: list[str] | tuple[str, ...] = ()) -> Vocabulary:
    """The vocabulary of core's plugins and the given enabled plugins (memoized per enabled set)."""
    from core.plugins import memoized, plugin_vocabulary

    def compute() -> Vocabulary:
        vocabulary = Vocabulary()
        plugin_vocabulary(vocabulary, tuple(enabled_plugins))
        return vocabulary

    return memoized(("vocabulary", tuple(enabled_plugins)), compute).copy()
