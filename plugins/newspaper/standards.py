"""Rules and the scoring plugin of the newspaper domain (standardization engine).

- Scorer ``newspaper``: "四强" branches (政治功能强、支部班子强、党员队伍强、作用发挥强), each strength
  the sum of two of the eight areas; grades 好/较好/一般/差. A unit graded below 好 cannot have its
  secretary rated 优秀 (``details.secretary_excellent_allowed``).
- Rules: the 21-item plan assessed for the year, and the joint-branch department limit of the
  plugin config, which OVERRIDES the core ``JOINT_BRANCH_MAX_UNITS`` rule (it may only be lower).

Hook implementations here are re-exported by the plugin package's ``__init__``; they use distinct
function names with ``@hookimpl(specname=...)`` so they never shadow the package's own hooks.
"""

from __future__ import annotations

from typing import Any

from core import sql
from core.errors import ValidationFailed
from core.hookspecs import hookimpl
from core.registry import ConfigSchema
from core.standards import data
from core.standards.api import Area, BranchScore, Finding, Rule, RuleContext, ScoringContext, Severity
from core.standards.rules.organization import JointBranchMaxUnits, window
from core.standards.scoring import AreaScorer

GRADES = {"GOOD": "好", "FAIRLY_GOOD": "较好", "FAIR": "一般", "POOR": "差"}

STRENGTHS: dict[str, tuple[str, tuple[Area, ...]]] = {
    "POLITICAL_FUNCTION": ("政治功能强", (Area.ORGANIZATIONAL_LIFE, Area.MECHANISMS)),
    "STRONG_COMMITTEE": ("支部班子强", (Area.LEADERSHIP, Area.ORGANIZATION_SETUP)),
    "STRONG_MEMBERS": ("党员队伍强", (Area.MEMBER_EDUCATION, Area.RECORDS)),
    "STRONG_ROLE": ("作用发挥强", (Area.SERVICE, Area.VENUE)),
}

STANDARDS_DEFAULTS: dict[str, Any] = {
    "scoring": {
        "area_points": {area.value: 12.5 for area in Area},
        "penalties": {"ERROR": 6, "WARNING": 2, "INFO": 0},
        "good_min": 90,
        "fairly_good_min": 80,
        "fair_min": 60,
        "strength_min_share": 0.8,
    },
}


def validate_standards(section: dict[str, Any], config: dict[str, Any]) -> None:
    scoring = section["scoring"]
    if not scoring["good_min"] >= scoring["fairly_good_min"] >= scoring["fair_min"]:
        raise ValidationFailed("分数线应满足：好 ≥ 较好 ≥ 一般", field="newspaper.scoring")
    if not 0 <= scoring["strength_min_share"] <= 1:
        raise ValidationFailed("“四强”单项得分率应在0至1之间", field="newspaper.scoring.strength_min_share")


class FourStrongScorer(AreaScorer):
    """“四强”党支部评价: 好 needs the total and every strength at its share; then 较好/一般/差."""

    code = "newspaper"
    label = "“四强”党支部综合评价"
    plugin = "newspaper"
    config_path = ("newspaper", "scoring")
    dimensions = STRENGTHS
    grades = GRADES

    def grade(self, ctx: ScoringContext, settings: dict[str, Any], score: BranchScore, errors: int) -> None:
        share = float(settings["strength_min_share"])
        strong = [d.area for d in score.breakdown if d.max_points and d.points >= share * d.max_points]
        four_strong = len(strong) == len(STRENGTHS)
        if score.total >= float(settings["good_min"]) and four_strong:
            score.grade = "GOOD"
        elif score.total >= float(settings["fairly_good_min"]):
            score.grade = "FAIRLY_GOOD"
        elif score.total >= float(settings["fair_min"]):
            score.grade = "FAIR"
        else:
            score.grade = "POOR"
        score.grade_label = GRADES[score.grade]
        score.passed = score.grade in ("GOOD", "FAIRLY_GOOD")
        score.needs_rectification = score.grade == "POOR"
        score.details.update(
            {
                "four_strong": four_strong,
                "strong": strong,
                "secretary_excellent_allowed": score.grade == "GOOD",
            }
        )


class NewspaperJointBranchMaxUnits(JointBranchMaxUnits):
    """Joint branches cover at most the newspaper's configured number of departments (≤ 5)."""

    title = "联合党支部覆盖部门不超过规定数"
    plugin = "newspaper"
    source = "domain §6 (newspaper), plugin newspaper"
    config_keys = ("organization.joint_branch_max_units", "newspaper.joint_branch_max_departments")

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        limit = min(
            int(ctx.config["organization"]["joint_branch_max_units"]),
            int(ctx.section("newspaper").get("joint_branch_max_departments", 5)),
        )
        out = []
        for branch in (await data.branches(ctx)).values():
            units = len(branch.covered_units)
            if branch.kind == "JOINT_BRANCH" and units > limit:
                out.append(
                    self.finding(
                        branch.id,
                        f"{branch.name}覆盖{units}个部门，本单位规定联合党支部覆盖部门不超过{limit}个",
                        period=window(ctx),
                        numbers={"units": units, "max_units": limit},
                    )
                )
        return out


class NewspaperChecklistBelowPass(Rule):
    code = "NEWSPAPER_CHECKLIST_BELOW_PASS"
    title = "对照“6个方面21项”标准全部达标"
    area = Area.MECHANISMS
    severity = Severity.WARNING
    plugin = "newspaper"
    source = "domain §6 (newspaper 6 areas 21 items)"
    config_keys = ("newspaper.checklist_pass_items",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        needed = int(ctx.section("newspaper").get("checklist_pass_items", 21))
        rows = await sql.fetch(
            "SELECT a.organization_id AS org_id, COUNT(*) AS assessed, "
            "SUM(CASE WHEN a.status = 'MET' THEN 1 ELSE 0 END) AS met "
            "FROM newspaper_checklist_assessment a "
            "JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
            "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.year = :year "
            "GROUP BY a.organization_id",
            prefix=data.prefix(ctx),
            year=ctx.period_end.year,
        )
        counts = {r["org_id"]: (int(r["assessed"]), int(r["met"] or 0)) for r in rows}
        out = []
        for branch in (await data.branches(ctx)).values():
            assessed, met = counts.get(branch.id, (0, 0))
            if met >= needed:
                continue
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}{ctx.period_end.year}年“21项”标准评估{assessed}项、达标{met}项，"
                    f"应达标{needed}项",
                    period=window(ctx),
                    numbers={"assessed": assessed, "met": met, "needed": needed},
                )
            )
        return out


@hookimpl(specname="zhibu_rules")
def newspaper_rules() -> list[Rule]:
    return [NewspaperJointBranchMaxUnits(), NewspaperChecklistBelowPass()]


@hookimpl(specname="zhibu_scorers")
def newspaper_scorers() -> list[AreaScorer]:
    return [FourStrongScorer()]


@hookimpl(specname="zhibu_config_schema")
def newspaper_standards_config() -> ConfigSchema:
    return ConfigSchema(defaults=STANDARDS_DEFAULTS, validate=validate_standards, section="newspaper")


__all__ = ["newspaper_rules", "newspaper_scorers", "newspaper_standards_config"]
