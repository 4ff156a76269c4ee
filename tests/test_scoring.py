"""The five scorers through GraphQL on tenants set up like their demo tenants, with hand-built
branches and the grades they must get; stored runs, rankings (支部赛马), attainment rate (达标率),
versioned config and permissions."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord
from core.principal import Principal
from core.services.tenants import get_tenant
from core.standards.models import BranchScoreRecord, FindingRecord, ScoreRun
from core.tenancy import tenant_scope
from core.tenant_config import update_config
from tests import standards_factories as f
from tests.support import GraphQLClient, make_tenant

RUN = """
mutation($input: RunScoringInput!) {
  runScoring(input: $input) {
    errors { code message field }
    run {
      id scorer configVersion runBy branchCount passedCount findingCount attainmentRate period
      scope { name }
      scores(first: 50) {
        edges { node {
          total grade gradeLabel passed needsRectification rank details
          breakdown { area label maxPoints points }
          organization { name }
          findings { ruleCode severity points }
        } }
      }
    }
  }
}
"""

RANKING = """
query($scope: ID, $run: ID) {
  branchRanking(scopeId: $scope, runId: $run, first: 20) {
    run { id }
    entries { totalCount edges { node { rank score { total grade organization { name } } } } }
  }
}
"""

ATTAINMENT = """
query($scope: ID, $run: ID) {
  attainmentRate(scopeId: $scope, runId: $run) {
    branches passed rate target meetsTarget byGrade { grade label count } run { id }
  }
}
"""


async def run_scoring(client, scope: str | None, year: int = f.YEAR, scorer: str | None = None) -> dict:
    payload = await client.mutate(
        RUN,
        input={
            "scopeId": scope,
            "periodStart": f"{year}-01-01",
            "periodEnd": f"{year}-12-31",
            "scorer": scorer,
        },
    )
    return payload["run"]


def by_name(run: dict) -> dict[str, dict]:
    return {e["node"]["organization"]["name"]: e["node"] for e in run["scores"]["edges"]}


def area(score: dict, code: str) -> float:
    return next(a["points"] for a in score["breakdown"] if a["area"] == code)


# --- baseline ------------------------------------------------------------------------------------


async def test_baseline_scores_stores_and_ranks(admin, tenant):
    root = await f.committee_root(tenant.id, "县直机关工委")
    await f.compliant_branch(tenant.id, root, name="甲支部")
    # three committee meetings missing: 3 WARNING x 2 points off organizational life
    await f.compliant_branch(
        tenant.id, root, name="乙支部", skip={("COMMITTEE_MEETING", m) for m in (2, 3, 4)}
    )
    # no life meeting: one ERROR (6 points) -> not 达标 whatever the total
    await f.compliant_branch(tenant.id, root, name="丙支部", skip={("LIFE_MEETING", 0)})

    run = await run_scoring(admin, f.gid("Organization", root.id))
    assert run["scorer"] == "baseline" and run["period"] == "2025"
    assert run["runBy"] == "测试管理员" and run["configVersion"] == 1
    assert (run["branchCount"], run["passedCount"]) == (3, 2)
    assert run["scope"]["name"] == "县直机关工委"
    scores = by_name(run)
    a, b, c = scores["甲支部"], scores["乙支部"], scores["丙支部"]
    assert (a["total"], a["grade"], a["gradeLabel"], a["passed"]) == (100.0, "PASSED", "达标", True)
    assert a["findings"] == [] and a["rank"] == 1
    assert (b["total"], b["grade"], b["passed"]) == (94.0, "PASSED", True)
    assert area(b, "ORGANIZATIONAL_LIFE") == 6.5 and area(b, "LEADERSHIP") == 12.5
    assert sorted(x["ruleCode"] for x in b["findings"]) == ["COMMITTEE_MEETING_MISSING"] * 3
    assert (c["total"], c["grade"], c["passed"], c["needsRectification"]) == (94.0, "FAILED", False, True)
    assert [(x["ruleCode"], x["points"]) for x in c["findings"]] == [("LIFE_MEETING_MISSING", 6.0)]
    assert b["rank"] == c["rank"] == 2  # ties share a rank

    # stored rows and the audit record of the run
    run_id = f.db_id(run["id"])
    with tenant_scope(tenant.id):
        stored = await ScoreRun.get(id=run_id)
        assert stored.config["standards"]["baseline"]["pass_total"] == 80
        assert await BranchScoreRecord.filter(run_id=run_id).count() == 3
        assert await FindingRecord.filter(run_id=run_id).count() == run["findingCount"] == 4
        assert await AuditRecord.filter(operation="runScoring", target_type="ScoreRun").count() == 1

    ranking = (await admin.ok(RANKING, scope=f.gid("Organization", root.id)))["branchRanking"]
    assert ranking["run"]["id"] == run["id"]
    rows = [
        (e["node"]["rank"], e["node"]["score"]["organization"]["name"]) for e in ranking["entries"]["edges"]
    ]
    assert rows[0] == (1, "甲支部") and {r for r, _ in rows[1:]} == {2}

    rate = (await admin.ok(ATTAINMENT, scope=f.gid("Organization", root.id)))["attainmentRate"]
    assert (rate["branches"], rate["passed"], rate["rate"], rate["target"]) == (3, 2, 0.6667, 0.9)
    assert rate["meetsTarget"] is False
    assert {(g["grade"], g["count"]) for g in rate["byGrade"]} == {("PASSED", 2), ("FAILED", 1)}


PROGRESS = """
query($scope: ID) {
  attainmentProgress(scopeId: $scope) {
    year target targetSource deadline rate { branches passed rate meetsTarget shortfall run { id } }
  }
}
"""
CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""


async def test_attainment_targets_by_year_and_the_deadline_for_all(admin, tenant):
    """达标率 targets: the general standards.attainment_target (90%), yearly targets
    (standards.attainment_targets, 逐年制定达标比例) and a date from which every branch must pass
    (standards.attainment_deadline); each run is measured against its year's target."""
    root = await f.committee_root(tenant.id)
    scope = f.gid("Organization", root.id)
    for name in ("甲", "乙", "丙", "丁"):
        await f.compliant_branch(tenant.id, root, name=f"{name}支部", year=2024)
    await f.compliant_branch(tenant.id, root, name="戊支部", year=2024, life=False)  # fails
    config = (await admin.ok("{ tenant { config } }"))["tenant"]["config"]["standards"]
    assert (config["attainment_target"], config["attainment_targets"], config["attainment_deadline"]) == (
        0.9,
        [],
        "",
    )
    first = await run_scoring(admin, scope, year=2024)
    rate = (await admin.ok(ATTAINMENT, scope=scope, run=first["id"]))["attainmentRate"]
    assert (rate["passed"], rate["branches"], rate["target"], rate["meetsTarget"]) == (4, 5, 0.9, False)
    extra = await admin.ok(
        "query($scope: ID, $run: ID) { attainmentRate(scopeId: $scope, runId: $run) "
        "{ targetSource deadline shortfall } }",
        scope=scope,
        run=first["id"],
    )
    assert extra["attainmentRate"] == {"targetSource": "DEFAULT", "deadline": None, "shortfall": 1}

    # the plan: 70% in 2023, 80% in 2024, every branch from 2025-12-31 on
    plan = {
        "attainment_targets": [{"year": 2023, "rate": 0.7}, {"year": 2024, "rate": 0.8}],
        "attainment_deadline": "2025-12-31",
    }
    await admin.mutate(CONFIG, patch={"standards": plan})
    second = await run_scoring(admin, scope, year=2024)
    rate = (await admin.ok(ATTAINMENT, scope=scope, run=second["id"]))["attainmentRate"]
    assert (rate["target"], rate["meetsTarget"]) == (0.8, True)  # 4 of 5 reach 2024's 80%
    # the earlier run keeps the numbers it was scored with
    rate = (await admin.ok(ATTAINMENT, scope=scope, run=first["id"]))["attainmentRate"]
    assert (rate["target"], rate["meetsTarget"]) == (0.9, False)

    progress = (await admin.ok(PROGRESS, scope=scope))["attainmentProgress"]
    assert [(p["year"], p["target"], p["targetSource"]) for p in progress] == [
        (2023, 0.7, "YEAR"),
        (2024, 0.8, "YEAR"),
        (2025, 1.0, "DEADLINE"),
    ]
    assert progress[0]["rate"] is None and progress[2]["rate"] is None  # no run in 2023 or 2025 yet
    assert progress[1]["rate"]["run"]["id"] == second["id"] and progress[1]["rate"]["meetsTarget"] is True
    assert progress[2]["deadline"] == "2025-12-31"

    # a year's target, the deadline and the general target must be plausible
    for bad in (
        {"attainment_targets": [{"year": 2024, "rate": 1.5}]},
        {"attainment_targets": [{"year": 2024, "rate": 0.5}, {"year": 2024, "rate": 0.6}]},
        {"attainment_deadline": "明年"},
        {"attainment_target": 0},
    ):
        assert await admin.error_code(CONFIG, patch={"standards": bad}) == "INVALID_INPUT", bad


async def test_score_run_reproducible_with_config_versions(admin, tenant):
    root = await f.committee_root(tenant.id)
    await f.compliant_branch(tenant.id, root, name="支部", skip={("COMMITTEE_MEETING", 5)})
    scope = f.gid("Organization", root.id)
    first = await run_scoring(admin, scope)
    assert by_name(first)["支部"]["total"] == 98.0
    with tenant_scope(tenant.id):
        await update_config(
            await get_tenant(tenant.id), {"standards": {"baseline": {"penalties": {"WARNING": 5}}}}, by="测试"
        )
    second = await run_scoring(admin, scope)
    assert (second["configVersion"], by_name(second)["支部"]["total"]) == (2, 95.0)
    # the first run is unchanged and still answers for itself
    again = (await admin.ok(ATTAINMENT, scope=scope, run=first["id"]))["attainmentRate"]
    assert again["run"]["id"] == first["id"] and again["passed"] == 1
    runs = await admin.ok("{ scoreRuns(first: 5) { totalCount edges { node { id configVersion } } } }")
    assert [e["node"]["configVersion"] for e in runs["scoreRuns"]["edges"]] == [2, 1]


async def test_scoring_permissions_and_errors(admin, tenant):
    root = await f.committee_root(tenant.id)
    other = await f.committee_root(tenant.id, "另一党委")
    await f.compliant_branch(tenant.id, root, life=False)
    reader = GraphQLClient(
        Principal(tenant.id, label="读者", grants={"STANDARDS_READ": (root.path,), "ORG_READ": (root.path,)})
    )
    code = await reader.error_code(RUN, input={"periodStart": "2025-01-01", "periodEnd": "2025-12-31"})
    assert code == "PERMISSION_DENIED"
    assert await reader.error_code(ATTAINMENT, scope=f.gid("Organization", other.id)) == "PERMISSION_DENIED"
    assert await admin.error_code(ATTAINMENT, scope=f.gid("Organization", root.id)) == "NO_SCORE_RUN"
    code = await admin.error_code(
        RUN,
        input={
            "scopeId": f.gid("Organization", root.id),
            "periodStart": "2025-12-31",
            "periodEnd": "2025-01-01",
        },
    )
    assert code == "INVALID_INPUT"
    code = await admin.error_code(
        RUN,
        input={"periodStart": "2025-01-01", "periodEnd": "2025-12-31", "scorer": "rural"},
    )
    assert code == "SCORER_NOT_AVAILABLE"
    with tenant_scope(tenant.id):
        assert await ScoreRun.all().count() == 0
    # a reader of the subtree sees the subtree's findings
    data = await reader.ok(
        'query($s: ID) { findings(scopeId: $s, from: "2025-01-01", to: "2025-12-31") { ruleCode } }',
        s=f.gid("Organization", root.id),
    )
    assert data["findings"]


# --- rural: star rating ----------------------------------------------------------------------------


async def test_rural_star_rating(tenant):
    rural = await make_tenant(domain="rural", plugins=["rural"], scoring="rural")
    client = GraphQLClient(Principal.tenant_admin(rural.id, label="镇党委"))
    t = rural.id
    town = await f.committee_root(t, "某镇党委")
    await f.compliant_branch(t, town, name="五星村党支部", term_years=5, sector="VILLAGE")
    four = await f.compliant_branch(
        t,
        town,
        name="四星村党支部",
        term_years=5,
        sector="VILLAGE",
        skip={("COMMITTEE_MEETING", m) for m in range(1, 7)},
    )
    from plugins.rural.models import VillageCadre

    with tenant_scope(t):
        await VillageCadre.create(
            organization_id=four.id,
            name="老村长",
            body="BOTH",
            post="村委会主任",
            birth_date=dt.date(1968, 1, 1),
        )
    await f.compliant_branch(
        t, town, name="二星村党支部", term_years=5, sector="VILLAGE", full=2, life=False, inspections=False
    )
    await f.compliant_branch(t, town, name="三年任期村党支部", term_years=3, sector="VILLAGE")

    run = await run_scoring(client, f.gid("Organization", town.id))
    assert run["scorer"] == "rural"
    scores = by_name(run)
    five, four_s, two, three_year = (
        scores["五星村党支部"],
        scores["四星村党支部"],
        scores["二星村党支部"],
        scores["三年任期村党支部"],
    )
    assert (five["total"], five["grade"], five["gradeLabel"], five["details"]["stars"]) == (
        100.0,
        "STAR_5",
        "五星",
        5,
    )
    # six committee meetings missing (-12 of 15) and a two-committee without young cadres or
    # capable locals (-2 leadership, -2 service): 84 -> four stars
    assert (four_s["total"], four_s["grade"], four_s["needsRectification"]) == (84.0, "STAR_4", False)
    assert {x["ruleCode"] for x in four_s["findings"]} == {
        "COMMITTEE_MEETING_MISSING",
        "RURAL_YOUNG_CADRES",
        "RURAL_CAPABLE_LOCALS",
    }
    # two full members (E -6), no inspections (-2 setup, -2 venue, -2 records), no activities
    # (organizational life -15, appraisal E -6, talks -2): 65 -> two stars -> rectification
    assert (two["total"], two["grade"], two["gradeLabel"]) == (65.0, "STAR_2", "二星")
    assert two["needsRectification"] is True and two["passed"] is False
    # village organizations serve 5 years (core term config by sector): a 3-year term deviates
    assert [x["ruleCode"] for x in three_year["findings"]] == ["COMMITTEE_TERM_LENGTH"]
    found = await client.ok(
        'query($s: ID) { findings(scopeId: $s, from: "2025-01-01", to: "2025-12-31", '
        'ruleCodes: ["COMMITTEE_TERM_LENGTH"]) { plugin numbers } }',
        s=f.gid("Organization", town.id),
    )
    assert [(x["plugin"], x["numbers"]["term_years"]) for x in found["findings"]] == [(None, 5)]


# --- enterprise: benchmark / red flag / race ---------------------------------------------------------


async def _enterprise_extras(t: int, kit: f.BranchKit) -> None:
    from plugins.enterprise.models import Demonstration, DemonstrationMember, IntegrationItem

    with tenant_scope(t):
        demo = await Demonstration.create(organization_id=kit.id, kind="POST", name="党员示范岗", year=f.YEAR)
        await DemonstrationMember.create(demonstration_id=demo.id, member_id=kit.members[0].id, pledge="践诺")
        await IntegrationItem.create(
            organization_id=kit.id,
            year=f.YEAR,
            title="党建+安全生产",
            business_metric="安全天数",
            target_value=300,
            actual_value=320,
        )


async def test_enterprise_benchmark_red_flag_and_race():
    ent = await make_tenant(domain="enterprise", plugins=["enterprise"], scoring="enterprise")
    client = GraphQLClient(Principal.tenant_admin(ent.id, label="公司党委"))
    t = ent.id
    root = await f.committee_root(t, "公司党委")
    pledge = {"PLEDGE_REVIEW": "QUARTER"}  # the plugin's own activity kind (承诺践诺点评)
    a = await f.compliant_branch(t, root, name="A支部", extra_kinds=pledge)
    b = await f.compliant_branch(
        t, root, name="B支部", extra_kinds=pledge, skip={("COMMITTEE_MEETING", m) for m in (1, 2, 3)}
    )
    await _enterprise_extras(t, a)
    await _enterprise_extras(t, b)
    await f.compliant_branch(
        t, root, name="C支部", extra_kinds=pledge, skip={("COMMITTEE_MEETING", m) for m in (1, 2)}
    )
    await f.compliant_branch(
        t, root, name="D支部", extra_kinds=pledge, skip={("COMMITTEE_MEETING", m) for m in range(1, 9)}
    )
    await f.compliant_branch(t, root, name="E支部", life=False)
    scope = f.gid("Organization", root.id)

    run = await run_scoring(client, scope)
    s = by_name(run)
    expected = {
        "A支部": (100.0, "BENCHMARK", 1),
        "B支部": (94.0, "QUALIFIED", 2),  # only one red-flag place (20% of 5)
        "C支部": (92.0, "QUALIFIED", 3),  # -4 meetings, -4 no demonstration / integration
        "D支部": (83.5, "QUALIFIED", 4),  # organizational life exhausted (12.5), -4
    }
    for name, (total, grade, rank) in expected.items():
        assert (s[name]["total"], s[name]["grade"], s[name]["rank"]) == (total, grade, rank), name
    assert s["E支部"]["grade"] == "UNQUALIFIED" and s["E支部"]["rank"] == 5
    assert s["A支部"]["gradeLabel"] == "标杆党支部"

    # the tenant widens the race: two red-flag places (a new config version)
    with tenant_scope(t):
        await update_config(await get_tenant(t), {"enterprise": {"scoring": {"red_flag_share": 0.4}}})
    run2 = await run_scoring(client, scope)
    s2 = by_name(run2)
    assert run2["configVersion"] == 2
    assert (s2["B支部"]["grade"], s2["B支部"]["gradeLabel"]) == ("RED_FLAG", "红旗党支部")
    assert s2["A支部"]["grade"] == "BENCHMARK" and s2["C支部"]["grade"] == "QUALIFIED"
    ranking = (await client.ok(RANKING, scope=scope))["branchRanking"]
    assert ranking["run"]["id"] == run2["id"]
    names = [e["node"]["score"]["organization"]["name"] for e in ranking["entries"]["edges"]]
    assert names == ["A支部", "B支部", "C支部", "D支部", "E支部"]
    rate = (await client.ok(ATTAINMENT, scope=scope))["attainmentRate"]
    assert (rate["passed"], rate["branches"], rate["rate"]) == (4, 5, 0.8)


# --- newspaper: 四强 -----------------------------------------------------------------------------------


async def _checklist(t: int, kit: f.BranchKit) -> None:
    from plugins.newspaper.checklist import ITEMS
    from plugins.newspaper.models import ChecklistAssessment

    with tenant_scope(t):
        for item in ITEMS:
            await ChecklistAssessment.create(
                organization_id=kit.id,
                year=f.YEAR,
                item_code=item.code,
                status="MET",
                assessed_on=dt.date(f.YEAR, 11, 1),
            )


async def test_newspaper_four_strong_grades():
    paper = await make_tenant(domain="newspaper", plugins=["newspaper"], scoring="newspaper")
    client = GraphQLClient(Principal.tenant_admin(paper.id, label="报社机关党委"))
    t = paper.id
    root = await f.committee_root(t, "报社机关党委")
    good = await f.compliant_branch(t, root, name="要闻部党支部")
    fairly = await f.compliant_branch(
        t, root, name="评论部党支部", skip={("COMMITTEE_MEETING", m) for m in (1, 2, 3, 4)}
    )
    fair = await f.compliant_branch(t, root, name="经济部党支部", life=False)
    for kit in (good, fairly, fair):
        await _checklist(t, kit)
    await f.compliant_branch(
        t, root, name="后勤党支部", full=2, life=False, inspections=False, secretary=False
    )

    run = await run_scoring(client, f.gid("Organization", root.id))
    s = by_name(run)
    g = s["要闻部党支部"]
    assert (g["total"], g["grade"], g["gradeLabel"]) == (100.0, "GOOD", "好")
    assert g["details"]["secretary_excellent_allowed"] is True and g["details"]["four_strong"] is True
    assert [d["label"] for d in g["breakdown"]] == ["政治功能强", "支部班子强", "党员队伍强", "作用发挥强"]
    fg = s["评论部党支部"]  # 92 but political function 17/25 < 80%: not four-strong -> 较好
    assert (fg["total"], fg["grade"], fg["gradeLabel"]) == (92.0, "FAIRLY_GOOD", "较好")
    assert fg["details"]["secretary_excellent_allowed"] is False
    assert next(d for d in fg["breakdown"] if d["area"] == "POLITICAL_FUNCTION")["points"] == 17.0
    fa = s["经济部党支部"]  # organizational life exhausted, appraisal (E) and talks (W) missing
    assert (fa["total"], fa["grade"], fa["gradeLabel"]) == (79.5, "FAIR", "一般")
    poor = s["后勤党支部"]
    # setup 4.5 (E -6, -2), committee 4.5 (no secretary E -6, vacant seat -2), members 4.5,
    # life 0, checklist -2, venue -2, records -2: 57.5
    assert (poor["total"], poor["grade"], poor["gradeLabel"], poor["needsRectification"]) == (
        57.5,
        "POOR",
        "差",
        True,
    )
    assert "NEWSPAPER_CHECKLIST_BELOW_PASS" in {x["ruleCode"] for x in poor["findings"]}


# --- foreign affairs: 双力双争 ---------------------------------------------------------------------------

FIVE_ONES = {
    "MONTHLY_THEORY_SESSION": "MONTH",
    "MONTHLY_FLAG_RAISING": "MONTH",
    "WEEKLY_SPORTS": "WEEK",
}


async def _office_extras(t: int, kit: f.BranchKit) -> None:
    from plugins.foreign_affairs.models import MassOrganization, VenueChecklist
    from plugins.foreign_affairs.venue import VENUE_ITEMS

    with tenant_scope(t):
        await VenueChecklist.create(
            organization_id=kit.id,
            checked_on=dt.date(f.YEAR, 3, 1),
            **{item.code: True for item in VENUE_ITEMS},
        )
        for kind in ("TRADE_UNION", "WOMEN_GROUP", "YOUTH_LEAGUE"):
            await MassOrganization.create(organization_id=kit.id, kind=kind, name=kind)


async def test_foreign_affairs_double_strong():
    office = await make_tenant(
        domain="foreign_affairs", plugins=["foreign_affairs"], scoring="foreign_affairs"
    )
    client = GraphQLClient(Principal.tenant_admin(office.id, label="外事办机关党委"))
    t = office.id
    root = await f.committee_root(t, "外事办机关党委")
    strong = await f.compliant_branch(t, root, name="一支部", full=12, groups=4, extra_kinds=FIVE_ONES)
    capable = await f.compliant_branch(
        t,
        root,
        name="二支部",
        full=12,
        groups=4,
        extra_kinds=FIVE_ONES,
        skip={("MONTHLY_THEORY_SESSION", m) for m in range(1, 7)},
    )
    for kit in (strong, capable):
        await _office_extras(t, kit)
    await f.compliant_branch(t, root, name="三支部", life=False)

    run = await run_scoring(client, f.gid("Organization", root.id))
    s = by_name(run)
    one = s["一支部"]
    assert (one["total"], one["grade"]) == (100.0, "DOUBLE_STRONG"), one["findings"]
    assert [d["label"] for d in one["breakdown"]] == ["得力支委", "活力支部"]
    two = s["二支部"]  # six theory sessions missing: lively branch 38/50 < 90%
    assert (two["total"], two["grade"], two["gradeLabel"]) == (88.0, "CAPABLE_COMMITTEE", "得力支委")
    assert {x["ruleCode"] for x in two["findings"]} == {"MONTHLY_THEORY_SESSION_MISSING"}
    three = s["三支部"]
    assert three["grade"] == "UNQUALIFIED" and three["needsRectification"] is True
    codes = {x["ruleCode"] for x in three["findings"]}
    # the office's own venue standard replaced "一室四有两公开"; groups and mass organizations missing
    assert {"VENUE_INCOMPLETE", "FOREIGN_AFFAIRS_PARTY_GROUPS", "FOREIGN_AFFAIRS_MASS_ORGANIZATIONS"} <= codes
    assert "WEEKLY_SPORTS_MISSING" in codes


async def test_stored_runs_are_scoped_to_the_caller(admin, tenant):
    east = await f.committee_root(tenant.id, "东片党委")
    west = await f.committee_root(tenant.id, "西片党委")
    await f.compliant_branch(tenant.id, east, name="东一支部", skip={("PARTY_LECTURE", 5)})
    await f.compliant_branch(tenant.id, west, name="西一支部")
    east_run = await run_scoring(admin, f.gid("Organization", east.id))
    west_run = await run_scoring(admin, f.gid("Organization", west.id))
    reader = GraphQLClient(Principal(tenant.id, label="东片", grants={"STANDARDS_READ": (east.path,)}))
    runs = await reader.ok("{ scoreRuns(first: 10) { edges { node { id scope { name } } } } }")
    assert [e["node"]["id"] for e in runs["scoreRuns"]["edges"]] == [east_run["id"]]
    one = await reader.ok(
        """query($id: ID!) { scoreRun(id: $id) {
             branchCount scores(first: 5) { edges { node { total findings { ruleCode points } } } }
             findings(first: 5) { totalCount edges { node { ruleCode period points organization { name } } } }
           } }""",
        id=east_run["id"],
    )
    run = one["scoreRun"]
    assert run["branchCount"] == 1
    assert run["scores"]["edges"][0]["node"]["findings"] == [
        {"ruleCode": "PARTY_LECTURE_MISSING", "points": 2.0}
    ]
    assert run["findings"]["edges"][0]["node"] == {
        "ruleCode": "PARTY_LECTURE_MISSING",
        "period": "2025-Q2",
        "points": 2.0,
        "organization": {"name": "东一支部"},
    }
    denied = await reader.error_code("query($id: ID!) { scoreRun(id: $id) { id } }", id=west_run["id"])
    assert denied == "PERMISSION_DENIED"
    # a tenant-wide ranking needs a tenant-wide grant; the subtree's works from the latest run
    assert await reader.error_code(RANKING) == "PERMISSION_DENIED"
    ranking = (await reader.ok(RANKING, scope=f.gid("Organization", east.id)))["branchRanking"]
    assert ranking["run"]["id"] == east_run["id"]


async def test_scorer_config_is_validated():
    import pytest

    from core.errors import ValidationFailed

    rural = await make_tenant(domain="rural", plugins=["rural"], scoring="rural")
    with tenant_scope(rural.id):
        row = await get_tenant(rural.id)
        with pytest.raises(ValidationFailed):
            await update_config(row, {"rural": {"scoring": {"star_thresholds": [60, 70, 80, 90]}}})
        with pytest.raises(ValidationFailed):
            await update_config(row, {"rural": {"scoring": {"no_such_key": 1}}})
        row = await update_config(row, {"rural": {"scoring": {"star_thresholds": [95, 85, 75, 65]}}})
    assert row.config_version == 2
