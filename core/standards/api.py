"""The interface of the standardization engine, shared with plugins and other domains.

- A :class:`Rule` has a stable English ``code``, a Chinese ``title``, an :class:`Area` of the
  standard branch and a default :class:`Severity`. ``await rule.evaluate(ctx)`` looks at the whole
  scope of the :class:`RuleContext` at once (SQL aggregates grouped by branch, never a query per
  branch) and returns :class:`Finding` objects.
- A :class:`Scorer` turns the findings of a scope into one :class:`BranchScore` per branch.

Plugins return rules from ``zhibu_rules()`` and scorers from ``zhibu_scorers()``. A plugin rule
whose code equals a core rule's code REPLACES the core rule for the tenants that enabled the plugin
(e.g. a domain with other numbers); a new code adds a rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from core.models import Organization, Tenant
    from core.registry import Vocabulary


class Severity(StrEnum):
    """How serious a finding is: ERROR fails the standard, WARNING costs points, INFO informs."""

    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITY_LABELS: dict[Severity, str] = {
    Severity.ERROR: "不达标",
    Severity.WARNING: "需改进",
    Severity.INFO: "提示",
}


class Area(StrEnum):
    """The eight areas of a standard branch (党支部标准化八个方面)."""

    ORGANIZATION_SETUP = "ORGANIZATION_SETUP"
    LEADERSHIP = "LEADERSHIP"
    MEMBER_EDUCATION = "MEMBER_EDUCATION"
    ORGANIZATIONAL_LIFE = "ORGANIZATIONAL_LIFE"
    SERVICE = "SERVICE"
    MECHANISMS = "MECHANISMS"
    VENUE = "VENUE"
    RECORDS = "RECORDS"

    @property
    def label(self) -> str:
        return AREA_LABELS[self]


AREA_LABELS: dict[Area, str] = {
    Area.ORGANIZATION_SETUP: "组织设置",
    Area.LEADERSHIP: "班子队伍",
    Area.MEMBER_EDUCATION: "党员教育管理",
    Area.ORGANIZATIONAL_LIFE: "组织生活",
    Area.SERVICE: "服务党员群众/工作载体",
    Area.MECHANISMS: "运行机制",
    Area.VENUE: "基本保障/场所",
    Area.RECORDS: "基础台账",
}


@dataclass(frozen=True)
class Finding:
    """One rule not met by one organization in one period.

    ``organization_id`` is the organization the finding is about (a branch, or a party group);
    ``branch_id`` the branch it counts against when scoring (defaults to ``organization_id``).
    ``period`` is a stable label: ``2025`` (year), ``2025-Q4``, ``2025-03``, ``2025-W07`` for
    calendar occurrences, or the evaluated window's label for standing rules. ``numbers`` holds
    the figures the rule used (thresholds from tenant config and the observed values).
    """

    rule_code: str
    organization_id: int
    severity: Severity
    area: Area
    message: str
    numbers: dict[str, Any] = field(default_factory=dict)
    period: str = ""
    branch_id: int | None = None
    plugin: str | None = None
    #: the rule's Chinese title (the standard this finding is measured against)
    title: str = ""

    @property
    def scored_branch_id(self) -> int:
        return self.branch_id if self.branch_id is not None else self.organization_id

    @property
    def key(self) -> tuple[str, int, str]:
        """(rule code, organization, period): identifies "the same problem" across runs."""
        return (self.rule_code, self.organization_id, self.period)


@dataclass
class RuleContext:
    """Everything a rule needs to evaluate one scope and period.

    ``scope_path`` is the path prefix of the evaluated subtree (``/`` = the whole tenant);
    ``config`` the tenant's effective config (numbers come from it, never from constants);
    ``cache`` is shared by the rules of one evaluation so an aggregate several rules need (e.g.
    member counts per branch) runs once. It lives only as long as the evaluation.
    """

    tenant: Tenant
    config: dict[str, Any]
    scope: Organization | None
    scope_path: str
    period_start: dt.date
    period_end: dt.date
    vocabulary: Vocabulary
    today: dt.date = field(default_factory=dt.date.today)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def config_version(self) -> int:
        return int(getattr(self.tenant, "config_version", 0) or 0)

    def section(self, name: str) -> dict[str, Any]:
        """A section of the effective config (empty when absent)."""
        return dict(self.config.get(name) or {})

    @property
    def as_of(self) -> dt.date:
        """The day standing rules are judged on: the period end, or today if earlier."""
        return min(self.period_end, self.today)


class Rule:
    """A compliance rule. Subclass and implement :meth:`evaluate` (or use :class:`FunctionRule`).

    ``source`` cites where the rule comes from (e.g. ``domain §1``); ``numbers`` documents the
    config keys it reads (for the rule catalogue).
    """

    code: ClassVar[str] = ""
    title: ClassVar[str] = ""
    area: ClassVar[Area] = Area.ORGANIZATION_SETUP
    severity: ClassVar[Severity] = Severity.WARNING
    plugin: ClassVar[str | None] = None
    source: ClassVar[str] = ""
    config_keys: ClassVar[tuple[str, ...]] = ()

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def finding(
        self,
        organization_id: int,
        message: str,
        *,
        period: str,
        numbers: dict[str, Any] | None = None,
        severity: Severity | None = None,
        branch_id: int | None = None,
    ) -> Finding:
        """A finding of this rule (its code, area and default severity)."""
        return Finding(
            rule_code=self.code,
            organization_id=organization_id,
            severity=severity or self.severity,
            area=self.area,
            message=message,
            numbers=numbers or {},
            period=period,
            branch_id=branch_id,
            plugin=self.plugin,
            title=self.title,
        )

    def __repr__(self) -> str:
        return f"<Rule {self.code}>"


class FunctionRule(Rule):
    """A rule made from an async function ``evaluate(rule, ctx) -> list[Finding]`` (for plugins)."""

    def __init__(
        self,
        code: str,
        title: str,
        area: Area,
        severity: Severity,
        evaluate: Any,
        *,
        plugin: str | None = None,
        source: str = "",
        config_keys: tuple[str, ...] = (),
    ):
        self.code = code  # type: ignore[misc]
        self.title = title  # type: ignore[misc]
        self.area = area  # type: ignore[misc]
        self.severity = severity  # type: ignore[misc]
        self.plugin = plugin  # type: ignore[misc]
        self.source = source  # type: ignore[misc]
        self.config_keys = config_keys  # type: ignore[misc]
        self._evaluate = evaluate

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        return list(await self._evaluate(self, ctx))


@dataclass
class AreaScore:
    """Points of one area: ``max_points`` available, ``points`` kept after deductions."""

    area: str
    label: str
    max_points: float
    points: float


@dataclass
class BranchScore:
    """The score of one branch by one scorer.

    ``grade`` is a stable code (e.g. ``STAR_4``, ``GOOD``) and ``grade_label`` its Chinese label;
    ``passed`` is 达标; ``breakdown`` has one :class:`AreaScore` per area (or per dimension of a
    domain scorer); ``findings`` are the findings that cost points. ``needs_rectification`` marks a
    branch the scorer sends to rectification (e.g. two stars or fewer); ``details`` holds
    scorer-specific figures (e.g. the star count, the race rank).
    """

    organization_id: int
    total: float
    grade: str
    grade_label: str
    passed: bool
    breakdown: list[AreaScore] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    needs_rectification: bool = False
    rank: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class ScoringContext(RuleContext):
    """A :class:`RuleContext` plus the branches being scored (id -> name, path)."""

    branches: dict[int, tuple[str, str]] = field(default_factory=dict)


class Scorer:
    """Turns the findings of a scope into branch scores. ``code`` is what ``Tenant.scoring_plugin``
    names (``baseline`` in core; a domain plugin's scorer uses the plugin name)."""

    code: ClassVar[str] = ""
    label: ClassVar[str] = ""
    plugin: ClassVar[str | None] = None
    #: grade codes -> Chinese labels, best first (documentation and GraphQL)
    grades: ClassVar[dict[str, str]] = {}

    async def score(self, ctx: ScoringContext, findings: list[Finding]) -> list[BranchScore]:
        raise NotImplementedError  # pragma: no cover - abstract

    def cost(self, ctx: RuleContext, finding: Finding) -> float:
        """Points ``finding`` costs its branch under this scorer (stored with the finding)."""
        return 0.0

    def costs(self, ctx: RuleContext, findings: list[Finding]) -> list[float]:
        """:meth:`cost` of each of ``findings`` (a scorer may compute its settings once)."""
        return [self.cost(ctx, f) for f in findings]

    def __repr__(self) -> str:
        return f"<Scorer {self.code}>"


def period_label(start: dt.date, end: dt.date) -> str:
    """A stable label of a window: ``2025``, ``2025-H1``, ``2025-Q2``, ``2025-03`` or ``start~end``."""
    if start.day == 1 and start.month == 1 and end == dt.date(start.year, 12, 31):
        return f"{start.year}"
    if start.day == 1 and start.year == end.year:
        next_day = end + dt.timedelta(days=1)
        months = (next_day.year - start.year) * 12 + next_day.month - start.month
        if next_day.day == 1:
            if months == 1:
                return f"{start.year}-{start.month:02d}"
            if months == 3 and start.month in (1, 4, 7, 10):
                return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
            if months == 6 and start.month in (1, 7):
                return f"{start.year}-H{1 if start.month == 1 else 2}"
    return f"{start.isoformat()}~{end.isoformat()}"


__all__ = [
    "AREA_LABELS",
    "Area",
    "AreaScore",
    "BranchScore",
    "Finding",
    "FunctionRule",
    "Rule",
    "RuleContext",
    "SEVERITY_LABELS",
    "Scorer",
    "ScoringContext",
    "Severity",
    "period_label",
]
