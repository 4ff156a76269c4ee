"""Rules and the scoring plugin of the foreign-affairs domain (standardization engine).

- Scorer ``foreign_affairs``: "双力双争" — 争创“得力支委”（capable committee: organization setup,
  leadership, mechanisms, records) and “活力支部” (lively branch: organizational life, member
  education, service, venue). A branch strong in both is a 双力支部.
- Rules: the "两专六有" venue standard, which OVERRIDES the core ``VENUE_INCOMPLETE`` rule (the
  office's own venue standard replaces "一室四有两公开"); the four party groups led by section
  chiefs; party building leading the trade union, women group and youth league (党建带群建).
  The "五个一" activity kinds of this plugin get calendar rules (``<KIND>_MISSING``/``_LATE``)
  automatically.

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
from core.standards.rules.support import VenueIncomplete
from core.standards.scoring import AreaScorer

GRADES = {
    "DOUBLE_STRONG": "双力支部（得力支委、活力支部）",
    "CAPABLE_COMMITTEE": "得力支委",
    "LIVELY_BRANCH": "活力支部",
    "QUALIFIED": "达标",
    "UNQUALIFIED": "未达标",
}

DIMENSIONS: dict[str, tuple[str, tuple[Area, ...]]] = {
    "CAPABLE_COMMITTEE": (
        "得力支委",
        (Area.ORGANIZATION_SETUP, Area.LEADERSHIP, Area.MECHANISMS, Area.RECORDS),
    ),
    "LIVELY_BRANCH": (
        "活力支部",
        (Area.ORGANIZATIONAL_LIFE, Area.MEMBER_EDUCATION, Area.SERVICE, Area.VENUE),
    ),
}

MASS_LABELS = {"TRADE_UNION": "工会", "WOMEN_GROUP": "妇女小组", "YOUTH_LEAGUE": "团支部"}

STANDARDS_DEFAULTS: dict[str, Any] = {
    "scoring": {
        "area_points": {area.value: 12.5 for area in Area},
        "penalties": {"ERROR": 6, "WARNING": 2, "INFO": 0},
        "dimension_min_share": 0.9,
        "pass_total": 80,
    },
}


def validate_standards(section: dict[str, Any], config: dict[str, Any]) -> None:
    if not 0 <= section["scoring"]["dimension_min_share"] <= 1:
        raise ValidationFailed("单项得分率应在0至1之间", field="foreign_affairs.scoring.dimension_min_share")


class DoubleStrongScorer(AreaScorer):
    """“双力双争”评比: 得力支委 and 活力支部 by their share of points."""

    code = "foreign_affairs"
    label = "“双力双争”评比"
    plugin = "foreign_affairs"
    config_path = ("foreign_affairs", "scoring")
    dimensions = DIMENSIONS
    grades = GRADES

    def grade(self, ctx: ScoringContext, settings: dict[str, Any], score: BranchScore, errors: int) -> None:
        share = float(settings["dimension_min_share"])
        strong = {d.area for d in score.breakdown if d.max_points and d.points >= share * d.max_points}
        if errors == 0 and strong == set(DIMENSIONS):
            score.grade = "DOUBLE_STRONG"
        elif errors == 0 and strong:
            score.grade = next(iter(strong))
        elif score.total >= float(settings["pass_total"]):
            score.grade = "QUALIFIED"
        else:
            score.grade = "UNQUALIFIED"
        score.grade_label = GRADES[score.grade]
        score.passed = score.grade != "UNQUALIFIED"
        score.needs_rectification = not score.passed
        score.details["strong"] = sorted(strong)


class TwoDedicatedSixItems(VenueIncomplete):
    """“两专六有”: a dedicated activity room and party-work office, and six items of equipment."""

    title = "活动阵地达到“两专六有”标准"
    plugin = "foreign_affairs"
    source = "domain §6 (foreign affairs), plugin foreign_affairs"
    config_keys = ()

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        from plugins.foreign_affairs.venue import VENUE_ITEMS

        columns = ", ".join(f"v.{item.code} AS {item.code}" for item in VENUE_ITEMS)
        rows = await sql.fetch(
            f"SELECT v.organization_id AS org_id, v.checked_on AS checked_on, {columns} "
            "FROM foreign_affairs_venue v "
            "JOIN organization o ON o.id = v.organization_id AND o.tenant_id = v.tenant_id "
            "WHERE v.tenant_id = :tenant_id AND o.path LIKE :prefix",
            prefix=data.prefix(ctx),
        )
        venues = {r["org_id"]: r for r in rows}
        out = []
        for branch in (await data.branches(ctx)).values():
            row = venues.get(branch.id)
            missing = [item for item in VENUE_ITEMS if row is None or not row[item.code]]
            if not missing:
                continue
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}活动阵地未达到“两专六有”"
                    + ("（尚无检查记录）" if row is None else "")
                    + f"，缺少：{'、'.join(item.label for item in missing)}",
                    period=window(ctx),
                    numbers={"missing": [item.code for item in missing]},
                )
            )
        return out


class PartyGroupsExpected(Rule):
    code = "FOREIGN_AFFAIRS_PARTY_GROUPS"
    title = "按处室设立党小组（4个），由处室负责人任组长"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.WARNING
    plugin = "foreign_affairs"
    source = "domain §6 (foreign affairs)"
    config_keys = ("foreign_affairs.expected_party_groups",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        expected = int(ctx.section("foreign_affairs").get("expected_party_groups", 4))
        counts: dict[int, int] = {}
        for group in (await data.party_groups(ctx)).values():
            counts[group.parent_id or 0] = counts.get(group.parent_id or 0, 0) + 1
        return [
            self.finding(
                branch.id,
                f"{branch.name}设有党小组{counts.get(branch.id, 0)}个，应按处室设立{expected}个",
                period=window(ctx),
                numbers={"groups": counts.get(branch.id, 0), "expected": expected},
            )
            for branch in (await data.branches(ctx)).values()
            if counts.get(branch.id, 0) < expected
        ]


class MassOrganizationsLed(Rule):
    code = "FOREIGN_AFFAIRS_MASS_ORGANIZATIONS"
    title = "党建带群建：建立工会、妇女小组、团支部"
    area = Area.SERVICE
    severity = Severity.WARNING
    plugin = "foreign_affairs"
    source = "domain §6 (foreign affairs)"
    config_keys = ("foreign_affairs.required_mass_organizations",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        required = list(ctx.section("foreign_affairs").get("required_mass_organizations", []))
        rows = await sql.fetch(
            "SELECT m.organization_id AS org_id, m.kind AS kind FROM foreign_affairs_mass_organization m "
            "JOIN organization o ON o.id = m.organization_id AND o.tenant_id = m.tenant_id "
            "WHERE m.tenant_id = :tenant_id AND o.path LIKE :prefix "
            "AND (m.dissolved_on IS NULL OR m.dissolved_on > :as_of)",
            prefix=data.prefix(ctx),
            as_of=ctx.as_of,
        )
        present: dict[int, set[str]] = {}
        for r in rows:
            present.setdefault(r["org_id"], set()).add(r["kind"])
        out = []
        for branch in (await data.branches(ctx)).values():
            missing = [k for k in required if k not in present.get(branch.id, set())]
            if missing:
                names = "、".join(MASS_LABELS.get(k, k) for k in missing)
                out.append(
                    self.finding(
                        branch.id,
                        f"{branch.name}党建带群建尚未建立：{names}",
                        period=window(ctx),
                        numbers={"missing": missing, "required": required},
                    )
                )
        return out


@hookimpl(specname="zhibu_rules")
def foreign_affairs_rules() -> list[Rule]:
    return [TwoDedicatedSixItems(), PartyGroupsExpected(), MassOrganizationsLed()]


@hookimpl(specname="zhibu_scorers")
def foreign_affairs_scorers() -> list[AreaScorer]:
    return [DoubleStrongScorer()]


@hookimpl(specname="zhibu_config_schema")
def foreign_affairs_standards_config() -> ConfigSchema:
    return ConfigSchema(defaults=STANDARDS_DEFAULTS, validate=validate_standards, section="foreign_affairs")


__all__ = ["foreign_affairs_rules", "foreign_affairs_scorers", "foreign_affairs_standards_config"]
