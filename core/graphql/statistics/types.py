"""GraphQL types of the statistics domain: each block resolves only when selected, and only where the
caller holds that block's read permission on the scope (otherwise it is null)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.models.member import MemberStatus
from core.permissions import Permission
from core.services import statistics as service
from core.services.members import STATUS_LABELS

GENDER_LABELS = {"MALE": "男", "FEMALE": "女", "": "未登记"}


@strawberry.type(description="按某一属性统计的人数。")
class CountBy:
    key: str = strawberry.field(description="The stored value (code), '' or -1 when not recorded.")
    label: str
    count: int


@strawberry.type(description="党员队伍统计（正式党员和预备党员）。")
class MemberStatistics:
    total: int
    joined_in_period: int = strawberry.field(description="Admitted as probationary members in the period.")
    by_status: list[CountBy]
    by_gender: list[CountBy]
    by_age: list[CountBy] = strawberry.field(description="Age bands on the period's last day.")
    by_standing: list[CountBy] = strawberry.field(description="Party standing (years since joining).")
    by_education: list[CountBy]
    by_ethnicity: list[CountBy]
    by_category: list[CountBy] = strawberry.field(
        description="Special categories (a member may have several)."
    )


@strawberry.type(description="发展党员：在各阶段的在办案例数。")
class DevelopmentStageCount:
    stage: int
    label: str
    open_cases: int


@strawberry.type(description="一类活动在统计期内应开展、已开展的次数与完成率。")
class ActivityKindRate:
    kind: str
    label: str
    expected: int = strawberry.field(description="Expected occurrences that have come due (calendar).")
    met: int = strawberry.field(description="Expected occurrences held, late ones included.")
    late: int
    held: int = strawberry.field(description="Activities of this kind recorded in the period.")
    rate: float | None = strawberry.field(description="met / expected; null when none was expected.")


@strawberry.type(description="党费：统计期内各月应收与实收。")
class DuesStatistics:
    bills: int
    billed: Decimal
    paid_bills: int
    collected: Decimal
    rate: float | None = strawberry.field(description="collected / billed; null when nothing was billed.")


@strawberry.type(description="整改：统计期内新开、销号，以及当前未销号、已逾期的问题数。")
class RectificationStatistics:
    opened: int
    closed: int
    open_now: int
    overdue: int


@strawberry.type(description="达标率：统计期内最近一次评分中范围内支部的达标情况。")
class AttainmentStatistics:
    run_id: strawberry.ID
    branches: int
    passed: int
    rate: float | None
    target: float


def _label(key: str, labels: dict[str, str]) -> str:
    return labels.get(key, key or "未登记")


def _band_counts(counts: list[service.Count], bands: tuple[tuple[int | None, str], ...]) -> list[CountBy]:
    by_index = {int(c.key): c.count for c in counts}
    out = [CountBy(key=str(i), label=label, count=by_index.get(i, 0)) for i, (_, label) in enumerate(bands)]
    if by_index.get(-1):
        out.append(CountBy(key="-1", label="未登记", count=by_index[-1]))
    return out


@strawberry.type(description="一个范围（组织及其下级，或整个单位）在统计期内的统计。")
class Statistics:
    period_from: dt.date = strawberry.field(name="from")
    period_to: dt.date = strawberry.field(name="to")
    scope: strawberry.Private[Any]
    today: strawberry.Private[dt.date]

    @property
    def _path(self) -> str | None:
        return self.scope.path if self.scope is not None else None

    @property
    def scope_path(self) -> str:
        """Where the statistics stand (``/`` = the whole tenant): each part needs its permission here."""
        return self._path or "/"

    @field(
        permission=Permission.MEMBER_READ,
        scope="source",
        description="党员队伍；需要 MEMBER_READ。",
    )
    async def members(self, info: Info) -> MemberStatistics | None:
        as_of = min(self.period_to, self.today)
        counts = await service.member_counts(self._path, as_of)
        vocabulary = await info.context.vocabulary()
        categories = {code: spec.label for code, spec in vocabulary.member_categories.items()}
        statuses = {str(s): STATUS_LABELS[MemberStatus(s)] for s in MemberStatus}

        def plain(name: str, labels: dict[str, str] | None = None) -> list[CountBy]:
            return [
                CountBy(key=c.key, label=_label(c.key, labels or {}), count=c.count) for c in counts[name]
            ]

        return MemberStatistics(
            total=sum(c.count for c in counts["status"]),
            joined_in_period=await service.joined_in(self._path, self.period_from, self.period_to),
            by_status=plain("status", statuses),
            by_gender=plain("gender", GENDER_LABELS),
            by_age=_band_counts(counts["age"], service.AGE_BANDS),
            by_standing=_band_counts(counts["standing"], service.STANDING_BANDS),
            by_education=plain("education"),
            by_ethnicity=plain("ethnicity"),
            by_category=plain("category", categories),
        )

    @field(
        permission=Permission.DEVELOPMENT_READ,
        scope="source",
        description="发展党员各阶段的在办案例；需要 DEVELOPMENT_READ。",
    )
    async def development(self, info: Info) -> list[DevelopmentStageCount] | None:
        stages = await service.development_pipeline(self._path)
        return [DevelopmentStageCount(stage=s.stage, label=s.label, open_cases=s.open_cases) for s in stages]

    @field(
        permission=Permission.ACTIVITY_READ,
        scope="source",
        description="各类活动应开展与已开展；需要 ACTIVITY_READ。",
    )
    async def activities(self, info: Info) -> list[ActivityKindRate] | None:
        end = min(self.period_to, self.today)
        if end < self.period_from:
            return []
        rates = await service.activity_rates(self.scope, self.period_from, end)
        return [
            ActivityKindRate(
                kind=r.kind,
                label=r.label,
                expected=r.expected,
                met=r.met,
                late=r.late,
                held=r.held,
                rate=r.rate,
            )
            for r in rates
        ]

    @field(
        permission=Permission.DUES_READ,
        scope="source",
        description="党费应收与实收；需要 DUES_READ。",
    )
    async def dues(self, info: Info) -> DuesStatistics | None:
        totals = await service.dues_totals(self._path, self.period_from, self.period_to)
        return DuesStatistics(
            bills=totals.bills,
            billed=totals.billed,
            paid_bills=totals.paid_bills,
            collected=totals.collected,
            rate=round(float(totals.collected / totals.billed), 4) if totals.billed else None,
        )

    @field(
        permission=Permission.RECTIFICATION_READ,
        scope="source",
        description="整改问题；需要 RECTIFICATION_READ。",
    )
    async def rectification(self, info: Info) -> RectificationStatistics | None:
        totals = await service.rectification_totals(self._path, self.period_from, self.period_to, self.today)
        return RectificationStatistics(
            opened=totals.opened, closed=totals.closed, open_now=totals.open_now, overdue=totals.overdue
        )

    @field(
        permission=Permission.STANDARDS_READ,
        scope="source",
        description="统计期内最近一次评分的达标率（无评分时为空）；需要 STANDARDS_READ。",
    )
    async def attainment(self, info: Info) -> AttainmentStatistics | None:
        from core.graphql.core.nodes import encode_id
        from core.standards import service as standards
        from core.standards.models import ScoreRun

        path = self._path or "/"
        prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        run = (
            await ScoreRun.filter(
                scope_path__in=prefixes, period_end__gte=self.period_from, period_end__lte=self.period_to
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if run is None:
            return None
        result = await standards.attainment(run, self.scope)
        return AttainmentStatistics(
            run_id=strawberry.ID(encode_id("ScoreRun", run.id)),
            branches=result.branches,
            passed=result.passed,
            rate=result.rate,
            target=result.target,
        )
