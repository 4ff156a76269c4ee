"""Scorers: the area-deduction method every scorer builds on, and the core baseline scorer.

Each of the eight areas starts with its points (tenant config); every finding in an area deducts
the penalty of its severity, never below zero. The total is the sum of the areas (100 by default).
Domain scorers (plugins) group the areas into their own dimensions and map totals to their grades.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar

from core.standards.api import (
    AREA_LABELS,
    Area,
    AreaScore,
    BranchScore,
    Finding,
    RuleContext,
    Scorer,
    ScoringContext,
    Severity,
)


def find_section(config: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The nested config dict at ``path`` (e.g. ``("standards", "baseline")``)."""
    node: Any = config
    for key in path:
        node = (node or {}).get(key, {})
    return dict(node or {})


#: the areas in definition order (iterating the enum itself costs a generator per use)
AREAS: tuple[Area, ...] = tuple(Area)


class AreaScorer(Scorer):
    """Deduction scoring per area; subclasses set ``config_path`` and implement :meth:`grade`."""

    #: where the weights live in the tenant config: ``area_points`` and ``penalties`` keys
    config_path: ClassVar[tuple[str, ...]] = ("standards", "baseline")
    #: dimension code -> (Chinese label, areas); empty = the eight areas themselves
    dimensions: ClassVar[dict[str, tuple[str, tuple[Area, ...]]]] = {}

    def settings(self, ctx: RuleContext) -> dict[str, Any]:
        settings = find_section(ctx.config, self.config_path)
        baseline = find_section(ctx.config, ("standards", "baseline"))
        settings.setdefault("area_points", baseline.get("area_points", {}))
        settings.setdefault("penalties", baseline.get("penalties", {}))
        return settings

    def cost(self, ctx: RuleContext, finding: Finding) -> float:
        return float(self.settings(ctx)["penalties"].get(str(finding.severity), 0))

    def costs(self, ctx: RuleContext, findings: list[Finding]) -> list[float]:
        if type(self).cost is not AreaScorer.cost:  # a subclass prices findings its own way
            return super().costs(ctx, findings)
        penalties = self.settings(ctx)["penalties"]
        by_severity = {str(s): float(penalties.get(str(s), 0)) for s in Severity}
        return [by_severity.get(str(f.severity), 0.0) for f in findings]

    def area_scores(
        self, settings: dict[str, Any], findings: Iterable[Finding]
    ) -> tuple[list[AreaScore], list[Finding]]:
        """The eight areas after deductions, and the findings that cost points."""
        points = {area: float(settings["area_points"].get(str(area), 0)) for area in AREAS}
        penalties = settings["penalties"]
        lost: dict[Area, float] = defaultdict(float)
        costly: list[Finding] = []
        by_severity: dict[Any, float] = {}
        for finding in findings:
            severity = finding.severity
            penalty = by_severity.get(severity)
            if penalty is None:
                penalty = by_severity[severity] = float(penalties.get(str(severity), 0))
            if penalty > 0:
                lost[Area(finding.area)] += penalty
                costly.append(finding)
        areas = [
            AreaScore(
                str(area), AREA_LABELS[area], points[area], round(max(0.0, points[area] - lost[area]), 2)
            )
            for area in AREAS
        ]
        return areas, costly

    def grouped(self, areas: list[AreaScore]) -> list[AreaScore]:
        """The areas summed into this scorer's dimensions (the areas themselves when none)."""
        if not self.dimensions:
            return areas
        by_code = {a.area: a for a in areas}
        return [
            AreaScore(
                code,
                label,
                round(sum(by_code[str(a)].max_points for a in members), 2),
                round(sum(by_code[str(a)].points for a in members), 2),
            )
            for code, (label, members) in self.dimensions.items()
        ]

    def grade(
        self, ctx: ScoringContext, settings: dict[str, Any], score: BranchScore, errors: int
    ) -> None:  # pragma: no cover - abstract
        """Set ``grade``, ``grade_label``, ``passed`` (and flags) of ``score``."""
        raise NotImplementedError

    def finish(self, ctx: ScoringContext, settings: dict[str, Any], scores: list[BranchScore]) -> None:
        """Hook after every branch is graded (e.g. a race across branches)."""

    async def score(self, ctx: ScoringContext, findings: list[Finding]) -> list[BranchScore]:
        settings = self.settings(ctx)
        by_branch: dict[int, list[Finding]] = defaultdict(list)
        for finding in findings:
            by_branch[finding.scored_branch_id].append(finding)
        scores = []
        for branch_id in sorted(ctx.branches):
            areas, costly = self.area_scores(settings, by_branch.get(branch_id, []))
            total = round(sum(a.points for a in areas), 2)
            errors = sum(1 for f in costly if f.severity == Severity.ERROR)
            score = BranchScore(
                organization_id=branch_id,
                total=total,
                grade="",
                grade_label="",
                passed=False,
                breakdown=self.grouped(areas),
                findings=costly,
                details={"errors": errors, "max_total": round(sum(a.max_points for a in areas), 2)},
            )
            if self.dimensions:
                score.details["areas"] = [a.__dict__ for a in areas]
            self.grade(ctx, settings, score, errors)
            scores.append(score)
        assign_ranks(scores)
        self.finish(ctx, settings, scores)
        return scores


def assign_ranks(scores: list[BranchScore]) -> None:
    """Race ranks by total (best first; ties share a rank, fewer costly findings break no ties)."""
    ordered = sorted(scores, key=lambda s: (-s.total, s.organization_id))
    previous: float | None = None
    rank = 0
    for position, score in enumerate(ordered, start=1):
        if score.total != previous:
            rank, previous = position, score.total
        score.rank = rank


def top_share(count: int, share: float) -> int:
    """How many places a share of ``count`` gives (at least one when there is anyone)."""
    return max(1, math.ceil(count * share)) if count else 0


class BaselineScorer(AreaScorer):
    """The core scorer: eight areas, 100 points, 达标 at ``pass_total`` with no ERROR finding."""

    code = "baseline"
    label = "党支部标准化基本评分（八个方面）"
    grades = {"PASSED": "达标", "FAILED": "未达标"}

    def grade(self, ctx: ScoringContext, settings: dict[str, Any], score: BranchScore, errors: int) -> None:
        passed = score.total >= float(settings.get("pass_total", 80)) and errors <= int(
            settings.get("pass_max_errors", 0)
        )
        score.passed = passed
        score.grade = "PASSED" if passed else "FAILED"
        score.grade_label = self.grades[score.grade]
        score.needs_rectification = not passed
