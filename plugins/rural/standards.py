"""Rules and the scoring plugin of the rural domain (standardization engine).

- Star rating (星级评定) 1–5 from the eight areas with rural weights; two stars or fewer sends the
  branch to rectification (``needsRectification``); any ERROR finding caps the rating.
- Rules: young cadres and capable locals in the village two committees (村两委). The 5-year term
  of village organizations is no rule of this plugin: organizations registered in the ``VILLAGE``
  sector get it from the core term config (``committee.term_years_by_sector``, ``core/terms.py``),
  both as the default term and in the core ``COMMITTEE_TERM_LENGTH`` rule, while the township's
  agency branches keep the 3 years of a branch.

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
from core.standards.scoring import AreaScorer

STAR_LABELS = {5: "五星", 4: "四星", 3: "三星", 2: "二星", 1: "一星"}

STANDARDS_DEFAULTS: dict[str, Any] = {
    "scoring": {
        "area_points": {
            "ORGANIZATION_SETUP": 10,
            "LEADERSHIP": 15,
            "MEMBER_EDUCATION": 12.5,
            "ORGANIZATIONAL_LIFE": 15,
            "SERVICE": 15,
            "MECHANISMS": 10,
            "VENUE": 10,
            "RECORDS": 12.5,
        },
        "penalties": {"ERROR": 6, "WARNING": 2, "INFO": 0},
        "star_thresholds": [90, 80, 70, 60],
        "error_max_stars": 3,
        "pass_min_stars": 3,
        "rectification_max_stars": 2,
    },
}


def validate_standards(section: dict[str, Any], config: dict[str, Any]) -> None:
    scoring = section["scoring"]
    thresholds = scoring["star_thresholds"]
    if len(thresholds) != 4 or list(thresholds) != sorted(thresholds, reverse=True):
        raise ValidationFailed(
            "星级分数线应为从高到低的4个分数（五星至二星）", field="rural.scoring.star_thresholds"
        )
    for key in ("error_max_stars", "pass_min_stars", "rectification_max_stars"):
        if not 1 <= scoring[key] <= 5:
            raise ValidationFailed("星级应在1至5之间", field=f"rural.scoring.{key}")


class RuralStarScorer(AreaScorer):
    """农村党支部星级评定: stars from the total, capped by ERROR findings."""

    code = "rural"
    label = "农村党支部星级评定"
    plugin = "rural"
    config_path = ("rural", "scoring")
    grades = {f"STAR_{n}": label for n, label in STAR_LABELS.items()}

    def grade(self, ctx: ScoringContext, settings: dict[str, Any], score: BranchScore, errors: int) -> None:
        stars = 1
        for count, minimum in zip((5, 4, 3, 2), settings["star_thresholds"], strict=True):
            if score.total >= float(minimum):
                stars = count
                break
        if errors:
            stars = min(stars, int(settings["error_max_stars"]))
        score.grade = f"STAR_{stars}"
        score.grade_label = STAR_LABELS[stars]
        score.passed = stars >= int(settings["pass_min_stars"])
        score.needs_rectification = stars <= int(settings["rectification_max_stars"])
        score.details["stars"] = stars


async def _village_cadres(ctx: RuleContext) -> dict[int, tuple[int, int, int]]:
    """(cadres, young, capable locals) of the sitting two committees per organization."""

    async def compute() -> dict[int, tuple[int, int, int]]:
        age = int(ctx.section("rural").get("young_cadre_age", 35))
        born_after = data.add_months(ctx.as_of, -12 * age)
        rows = await sql.fetch(
            "SELECT c.organization_id AS org_id, COUNT(*) AS cadres, "
            "SUM(CASE WHEN c.birth_date > :born_after THEN 1 ELSE 0 END) AS young, "
            "SUM(CASE WHEN c.capable_local THEN 1 ELSE 0 END) AS capable "
            "FROM rural_village_cadre c "
            "JOIN organization o ON o.id = c.organization_id AND o.tenant_id = c.tenant_id "
            "WHERE c.tenant_id = :tenant_id AND o.path LIKE :prefix AND c.left_on IS NULL "
            "GROUP BY c.organization_id",
            prefix=data.prefix(ctx),
            born_after=born_after,
        )
        return {r["org_id"]: (int(r["cadres"]), int(r["young"] or 0), int(r["capable"] or 0)) for r in rows}

    return await data.memo(ctx, "rural:cadres", compute)


class RuralYoungCadres(Rule):
    code = "RURAL_YOUNG_CADRES"
    title = "村“两委”班子中有35岁以下成员"
    area = Area.LEADERSHIP
    severity = Severity.WARNING
    plugin = "rural"
    source = "domain §6 (rural)"
    config_keys = ("rural.young_cadre_age", "rural.min_young_cadres")

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        section = ctx.section("rural")
        age, minimum = int(section.get("young_cadre_age", 35)), int(section.get("min_young_cadres", 1))
        branches = await data.branches(ctx)
        out = []
        for org_id, (cadres, young, _capable) in (await _village_cadres(ctx)).items():
            branch = branches.get(org_id)
            if branch is not None and young < minimum:
                out.append(
                    self.finding(
                        org_id,
                        f"{branch.name}村“两委”班子{cadres}人中{age}岁以下{young}人，应不少于{minimum}人",
                        period=window(ctx),
                        numbers={"cadres": cadres, "young": young, "min_young": minimum, "age": age},
                    )
                )
        return out


class RuralCapableLocals(Rule):
    code = "RURAL_CAPABLE_LOCALS"
    title = "村“两委”班子中有致富能手"
    area = Area.SERVICE
    severity = Severity.WARNING
    plugin = "rural"
    source = "domain §6 (rural)"
    config_keys = ("rural.min_capable_locals",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        minimum = int(ctx.section("rural").get("min_capable_locals", 1))
        branches = await data.branches(ctx)
        out = []
        for org_id, (cadres, _young, capable) in (await _village_cadres(ctx)).items():
            branch = branches.get(org_id)
            if branch is not None and capable < minimum:
                out.append(
                    self.finding(
                        org_id,
                        f"{branch.name}村“两委”班子{cadres}人中致富能手{capable}人，应不少于{minimum}人",
                        period=window(ctx),
                        numbers={"cadres": cadres, "capable_locals": capable, "min_capable_locals": minimum},
                    )
                )
        return out


@hookimpl(specname="zhibu_rules")
def rural_rules() -> list[Rule]:
    return [RuralYoungCadres(), RuralCapableLocals()]


@hookimpl(specname="zhibu_scorers")
def rural_scorers() -> list[AreaScorer]:
    return [RuralStarScorer()]


@hookimpl(specname="zhibu_config_schema")
def rural_standards_config() -> ConfigSchema:
    return ConfigSchema(defaults=STANDARDS_DEFAULTS, validate=validate_standards, section="rural")


__all__ = ["rural_rules", "rural_scorers", "rural_standards_config"]
