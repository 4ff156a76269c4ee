"""Rules and the scoring plugin of the enterprise domain (standardization engine).

- Scorer ``enterprise``: benchmark (标杆党支部) / red flag (红旗党支部) with the branch race
  (支部赛马): branches are ranked by total; the top share of the race with a high enough total and
  no ERROR finding earn the red flag; a total at or above the benchmark line with no ERROR finding
  makes a benchmark branch; 达标 needs the pass total and at most ``pass_max_errors`` ERRORs.
- Rules: member demonstrations (四示范: 党员示范岗/田/店/区) and party work tied to business
  results (党建+业务 items reaching their targets).

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
from core.standards.rules.organization import window
from core.standards.scoring import AreaScorer, top_share

GRADES = {
    "BENCHMARK": "标杆党支部",
    "RED_FLAG": "红旗党支部",
    "QUALIFIED": "达标党支部",
    "UNQUALIFIED": "未达标",
}

STANDARDS_DEFAULTS: dict[str, Any] = {
    "scoring": {
        "area_points": {
            "ORGANIZATION_SETUP": 12.5,
            "LEADERSHIP": 12.5,
            "MEMBER_EDUCATION": 12.5,
            "ORGANIZATIONAL_LIFE": 12.5,
            "SERVICE": 15,
            "MECHANISMS": 12.5,
            "VENUE": 10,
            "RECORDS": 12.5,
        },
        "penalties": {"ERROR": 6, "WARNING": 2, "INFO": 0},
        "benchmark_min": 95,
        "red_flag_min": 85,
        "red_flag_share": 0.2,
        "pass_total": 75,
        "pass_max_errors": 0,
    },
}


def validate_standards(section: dict[str, Any], config: dict[str, Any]) -> None:
    scoring = section["scoring"]
    if not 0 < scoring["red_flag_share"] <= 1:
        raise ValidationFailed("红旗党支部比例应在0至1之间", field="enterprise.scoring.red_flag_share")
    if not scoring["benchmark_min"] >= scoring["red_flag_min"] >= scoring["pass_total"]:
        raise ValidationFailed("分数线应满足：标杆 ≥ 红旗 ≥ 达标", field="enterprise.scoring")


class EnterpriseRaceScorer(AreaScorer):
    """标杆党支部 / 红旗党支部 with the branch race (支部赛马)."""

    code = "enterprise"
    label = "企业党支部标杆创建与支部赛马"
    plugin = "enterprise"
    config_path = ("enterprise", "scoring")
    grades = GRADES

    def grade(self, ctx: ScoringContext, settings: dict[str, Any], score: BranchScore, errors: int) -> None:
        max_errors = int(settings["pass_max_errors"])
        qualified = score.total >= float(settings["pass_total"]) and errors <= max_errors
        if score.total >= float(settings["benchmark_min"]) and errors == 0:
            score.grade = "BENCHMARK"
        else:
            score.grade = "QUALIFIED" if qualified else "UNQUALIFIED"
        score.grade_label = GRADES[score.grade]
        score.passed = score.grade != "UNQUALIFIED"
        score.needs_rectification = not score.passed

    def finish(self, ctx: ScoringContext, settings: dict[str, Any], scores: list[BranchScore]) -> None:
        """The race: the top share (at least one) with the red-flag total and no ERROR earn the red flag."""
        places = top_share(len(scores), float(settings["red_flag_share"]))
        for score in scores:
            score.details["race_places"] = places
            eligible = (
                score.rank is not None
                and score.rank <= places
                and score.total >= float(settings["red_flag_min"])
                and score.details.get("errors", 0) == 0
            )
            score.details["red_flag"] = eligible
            if eligible and score.grade != "BENCHMARK":
                score.grade = "RED_FLAG"
                score.grade_label = GRADES["RED_FLAG"]


class EnterpriseDemonstrationMissing(Rule):
    code = "ENTERPRISE_DEMONSTRATION_MISSING"
    title = "党支部开展党员示范岗/田/店/区“四示范”践诺活动"
    area = Area.SERVICE
    severity = Severity.WARNING
    plugin = "enterprise"
    source = "domain §6 (enterprise: 一标准、四示范)"
    config_keys = ("enterprise.demonstration_min_members",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        minimum = int(ctx.section("enterprise").get("demonstration_min_members", 1))
        rows = await sql.fetch(
            "SELECT x.org_id AS org_id, COUNT(*) AS demonstrations FROM ("
            "SELECT d.id AS id, d.organization_id AS org_id FROM enterprise_demonstration d "
            "JOIN organization o ON o.id = d.organization_id AND o.tenant_id = d.tenant_id "
            "LEFT JOIN enterprise_demonstration_member p ON p.demonstration_id = d.id "
            "AND p.tenant_id = d.tenant_id "
            "WHERE d.tenant_id = :tenant_id AND o.path LIKE :prefix AND d.year = :year "
            "AND (d.closed_on IS NULL OR d.closed_on >= :start) "
            "GROUP BY d.id, d.organization_id HAVING COUNT(p.id) >= :minimum) x GROUP BY x.org_id",
            prefix=data.prefix(ctx),
            year=ctx.period_end.year,
            start=ctx.period_start,
            minimum=minimum,
        )
        active = {r["org_id"] for r in rows}
        return [
            self.finding(
                branch.id,
                f"{branch.name}{ctx.period_end.year}年未开展党员示范岗/田/店/区践诺活动"
                f"（每项至少{minimum}名党员参与）",
                period=window(ctx),
                numbers={"year": ctx.period_end.year, "min_members": minimum},
            )
            for branch in (await data.branches(ctx)).values()
            if branch.id not in active
        ]


class EnterpriseIntegrationBehind(Rule):
    code = "ENTERPRISE_INTEGRATION_BEHIND"
    title = "党建+业务项目完成业务目标"
    area = Area.SERVICE
    severity = Severity.WARNING
    plugin = "enterprise"
    source = "domain §6 (enterprise: 党建与业务融合)"
    config_keys = ("enterprise.integration_min_items", "enterprise.integration_pass_attainment")

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        section = ctx.section("enterprise")
        minimum = int(section.get("integration_min_items", 1))
        attainment = float(section.get("integration_pass_attainment", 1.0))
        rows = await sql.fetch(
            "SELECT i.organization_id AS org_id, COUNT(*) AS items, "
            "SUM(CASE WHEN i.actual_value IS NOT NULL AND CAST(i.target_value AS REAL) > 0 "
            "AND CAST(i.actual_value AS REAL) >= CAST(i.target_value AS REAL) * :attainment "
            "THEN 1 ELSE 0 END) AS reached "
            "FROM enterprise_integration_item i "
            "JOIN organization o ON o.id = i.organization_id AND o.tenant_id = i.tenant_id "
            "WHERE i.tenant_id = :tenant_id AND o.path LIKE :prefix AND i.year = :year "
            "GROUP BY i.organization_id",
            prefix=data.prefix(ctx),
            year=ctx.period_end.year,
            attainment=attainment,
        )
        counts = {r["org_id"]: (int(r["items"]), int(r["reached"] or 0)) for r in rows}
        out = []
        for branch in (await data.branches(ctx)).values():
            items, reached = counts.get(branch.id, (0, 0))
            if items >= minimum and reached == items:
                continue
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}{ctx.period_end.year}年党建+业务项目{items}项，达成业务目标{reached}项"
                    f"（应至少{minimum}项且全部达成）",
                    period=window(ctx),
                    numbers={
                        "items": items,
                        "reached": reached,
                        "min_items": minimum,
                        "attainment": attainment,
                    },
                )
            )
        return out


@hookimpl(specname="zhibu_rules")
def enterprise_rules() -> list[Rule]:
    return [EnterpriseDemonstrationMissing(), EnterpriseIntegrationBehind()]


@hookimpl(specname="zhibu_scorers")
def enterprise_scorers() -> list[AreaScorer]:
    return [EnterpriseRaceScorer()]


@hookimpl(specname="zhibu_config_schema")
def enterprise_standards_config() -> ConfigSchema:
    return ConfigSchema(defaults=STANDARDS_DEFAULTS, validate=validate_standards, section="enterprise")


__all__ = ["enterprise_rules", "enterprise_scorers", "enterprise_standards_config"]
