"""Registries of extensible vocabularies: organization kinds with their nesting rules, activity kinds
with their expected cycles, member categories. Core entries are defined here; plugins add theirs
through hooks (``zhibu_organization_kinds``, ``zhibu_activity_kinds``, ``zhibu_member_categories``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Period(StrEnum):
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    HALF_YEAR = "HALF_YEAR"
    YEAR = "YEAR"


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
    #: committee term in years (None: use tenant config ``committee.term_years``)
    term_years: int | None = None


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


@dataclass(frozen=True)
class MemberCategorySpec:
    code: str
    label: str
    plugin: str | None = None


_BRANCH_CHILDREN = frozenset({"PARTY_GROUP"})
_UNIT_CHILDREN = frozenset({"BRANCH", "JOINT_BRANCH", "TEMPORARY_BRANCH"})

CORE_ORGANIZATION_KINDS: dict[str, OrganizationKindSpec] = {
    spec.code: spec
    for spec in (
        OrganizationKindSpec(
            "PARTY_COMMITTEE",
            "党委",
            frozenset({"PARTY_COMMITTEE", "GENERAL_BRANCH"}) | _UNIT_CHILDREN,
            term_years=5,
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
    )
}

CORE_MEMBER_CATEGORIES: dict[str, MemberCategorySpec] = {
    spec.code: spec
    for spec in (
        MemberCategorySpec("RETIRED", "离退休党员"),
        MemberCategorySpec("DISPATCHED_LABOUR", "劳务派遣党员"),
        MemberCategorySpec("WORKING_ABROAD", "出国（境）党员"),
        MemberCategorySpec("FLOATING", "流动党员"),
    )
}


@dataclass
class Vocabulary:
    """The kinds and categories in force for one tenant (core plus its enabled plugins)."""

    organization_kinds: dict[str, OrganizationKindSpec] = field(
        default_factory=lambda: dict(CORE_ORGANIZATION_KINDS)
    )
    activity_kinds: dict[str, ActivityKindSpec] = field(default_factory=lambda: dict(CORE_ACTIVITY_KINDS))
    member_categories: dict[str, MemberCategorySpec] = field(
        default_factory=lambda: dict(CORE_MEMBER_CATEGORIES)
    )

    def branch_kinds(self) -> frozenset[str]:
        return frozenset(code for code, spec in self.organization_kinds.items() if spec.is_branch)


def vocabulary_for(enabled_plugins: list[str] | tuple[str, ...] = ()) -> Vocabulary:
    """Core vocabulary extended by the given enabled plugins' contributions."""
    from core.plugins import plugin_vocabulary

    vocabulary = Vocabulary()
    plugin_vocabulary(vocabulary, tuple(enabled_plugins))
    return vocabulary
