"""The demo (seeded by ``seed_demo``, the code path of ``zhibu demo``) gives every rule of issue 13 a
finding in some demo tenant, and fixing one instance of each through GraphQL clears it: the committee
cadence, the yearly plan and summary, 4+X, heart-to-heart triggers, unqualified members, leaders'
dual organizational life, an extended probation, term length and the quorums; also the dues arrears
flag (自行脱党), 双覆盖 coverage and the secretaries' 述职评议 refusal. One seeded demo per module."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest_asyncio

from core.models import Tenant
from core.principal import Principal
from core.tenancy import tenant_scope
from tenants.demo.seed import DEMO_TENANTS, seed_demo
from tests.support import GraphQLClient, unique_slug

TODAY = dt.date.today()
PY = TODAY.year - 1  # the demo's standardization work is the previous year's
WINDOW = {"from": f"{PY}-01-01", "to": f"{PY}-12-31"}

ISSUE_13_CODES = (
    "ASSESSMENT_DEPLOYMENT_MISSING",
    "ASSESSMENT_DEPLOYMENT_LATE",
    "ASSESSMENT_QUARTERLY_CHECK_MISSING",
    "ASSESSMENT_QUARTERLY_CHECK_LATE",
    "ASSESSMENT_HALF_YEAR_REVIEW_MISSING",
    "ASSESSMENT_HALF_YEAR_REVIEW_LATE",
    "ASSESSMENT_YEAR_END_ASSESSMENT_MISSING",
    "ASSESSMENT_YEAR_END_ASSESSMENT_LATE",
    "WORK_PLAN_MISSING",
    "WORK_PLAN_LATE",
    "WORK_SUMMARY_MISSING",
    "WORK_SUMMARY_LATE",
    "THEMED_DAY_PARTS_MISSING",
    "HEART_TO_HEART_TRIGGER_MISSING",
    "UNQUALIFIED_MEMBER_UNHANDLED",
    "LEADER_DUAL_LIFE_MISSED",
    "PROBATION_OVERDUE",
    "COMMITTEE_TERM_LENGTH",
    "CONGRESS_QUORUM_NOT_MET",
    "COMMITTEE_QUORUM_NOT_MET",
)

FINDINGS = """
query($from: Date!, $to: Date!, $codes: [String!]) {
  findings(from: $from, to: $to, ruleCodes: $codes) { ruleCode period numbers organization { id name } }
}
"""
ORG_ACTIVITIES = """
query($id: ID!, $kinds: [String!], $from: Date, $to: Date) {
  organization(id: $id) { activities(kinds: $kinds, from: $from, to: $to) { id heldOn } }
}
"""
ACTIVITY_ORG = """
query($id: ID!) { activity(id: $id) { organization {
  id members(statuses: [FULL]) { id } currentCommittee { seats { member { id } } } } } }
"""
RECORD_ACTIVITY = """mutation($input: RecordActivityInput!) {
  recordActivity(input: $input) { errors { code message } activity { id } } }"""
UPDATE_ACTIVITY = """mutation($input: UpdateActivityInput!) {
  updateActivity(input: $input) { errors { code message } activity { id } } }"""
SET_ATTENDANCE = """mutation($input: SetAttendanceInput!) {
  setAttendance(input: $input) { errors { code message } } }"""
RECORD_ASSESSMENT = """mutation($input: RecordAssessmentInput!) {
  recordAssessment(input: $input) { errors { code message } assessment { id } } }"""
UPDATE_ASSESSMENT = """mutation($input: UpdateAssessmentInput!) {
  updateAssessment(input: $input) { errors { code message } assessment { id } } }"""
ASSESSMENTS = """query($org: ID!, $year: Int) {
  assessments(organizationId: $org, year: $year) { id stage period } }"""
RATINGS = (
    """query($branch: ID!, $year: Int!) { appraisalRatings(branchId: $branch, year: $year) { id grade } }"""
)
HANDLING = """mutation($input: RecordUnqualifiedHandlingStepInput!) {
  recordUnqualifiedHandlingStep(input: $input) { errors { code message } } }"""
CASES = """query($branch: ID!) { developmentCases(filter: {branchId: $branch}, first: 50) {
  nodes { id probationEndsOn extendedMonths nextEarliestOn nextStep { code } } } }"""
STEP = """mutation($input: RecordDevelopmentStepInput!) {
  recordDevelopmentStep(input: $input) { errors { code message } } }"""
LETTERS = """query($org: ID!, $year: Int) {
  leaderReminderLetters(organizationId: $org, year: $year) { year member { id } } }"""
FULL_MEMBERS = "query($id: ID!) { organization(id: $id) { members(statuses: [FULL]) { id } } }"
START_TERM = """mutation($input: StartCommitteeTermInput!) {
  startCommitteeTerm(input: $input) { errors { code message } term { endsOn } } }"""


@pytest_asyncio.fixture(scope="module")
async def demo() -> dict[str, Any]:
    """The four demo tenants under fresh slugs: domain → (tenant, administrator client)."""
    suffix = "-" + unique_slug("f13")
    await seed_demo(suffix)
    tenants = await Tenant.filter(slug__in=[spec.slug + suffix for spec in DEMO_TENANTS])
    return {t.domain: (t, GraphQLClient(Principal.tenant_admin(t.id, label="演示管理员"))) for t in tenants}


async def _findings(client: GraphQLClient, codes: list[str] | None = None) -> list[dict]:
    return (await client.ok(FINDINGS, codes=codes, **WINDOW))["findings"]


def _key(finding: dict) -> tuple:
    return (
        finding["ruleCode"],
        finding["organization"]["id"],
        finding["period"],
        finding["numbers"].get("activity_id"),
    )


def _gid(type_name: str, pk: int) -> str:
    from core.testing import gid

    return gid(type_name, pk)


ON_TIME = {
    "ASSESSMENT_DEPLOYMENT": lambda period: dt.date(PY, 1, 20),
    "ASSESSMENT_QUARTERLY_CHECK": lambda period: dt.date(PY, int(period[-1]) * 3, 20),
    "ASSESSMENT_HALF_YEAR_REVIEW": lambda period: dt.date(PY, 6, 25),
    "ASSESSMENT_YEAR_END_ASSESSMENT": lambda period: dt.date(PY, 12, 28),
}


async def _fix_assessment(client: GraphQLClient, f: dict) -> None:
    kind, status = f["ruleCode"].rsplit("_", 1)
    stage = kind.removeprefix("ASSESSMENT_")
    held_on = ON_TIME[kind](f["period"]).isoformat()
    org = f["organization"]["id"]
    if status == "MISSING":
        quarter = int(f["period"][-1]) if "-Q" in f["period"] else None
        await client.mutate(
            RECORD_ASSESSMENT,
            input={
                "organizationId": org,
                "stage": stage,
                "year": PY,
                "quarter": quarter,
                "heldOn": held_on,
                "summary": "补记：部署检查考核情况",
            },
        )
        return
    (record,) = [
        r
        for r in (await client.ok(ASSESSMENTS, org=org, year=PY))["assessments"]
        if r["stage"] == stage and r["period"] == f["period"]
    ]
    await client.mutate(UPDATE_ASSESSMENT, input={"id": record["id"], "heldOn": held_on})


async def _fix_document(client: GraphQLClient, f: dict) -> None:
    kind, status = f["ruleCode"].rsplit("_", 1)
    on_time = dt.date(PY, 1, 20) if kind == "WORK_PLAN" else dt.date(PY, 12, 20)
    org = f["organization"]["id"]
    if status == "MISSING":
        await client.mutate(
            RECORD_ACTIVITY,
            input={
                "organizationId": org,
                "kind": kind,
                "heldOn": on_time.isoformat(),
                "topic": f"{PY}年党建工作{'计划' if kind == 'WORK_PLAN' else '总结'}",
                "minutes": "补充提交",
            },
        )
        return
    rows = (await client.ok(ORG_ACTIVITIES, id=org, kinds=[kind], to=TODAY.isoformat()))["organization"][
        "activities"
    ]
    (late,) = [a for a in rows if a["heldOn"] == f["numbers"]["held_on"][0]]
    await client.mutate(UPDATE_ACTIVITY, input={"id": late["id"], "heldOn": on_time.isoformat()})


async def _fix_themed_parts(client: GraphQLClient, f: dict) -> None:
    await client.mutate(
        UPDATE_ACTIVITY,
        input={
            "id": _gid("Activity", f["numbers"]["activity_id"]),
            "themedDayParts": f["numbers"]["required"],
        },
    )


async def _fix_trigger(client: GraphQLClient, f: dict) -> None:
    occurred = dt.date.fromisoformat(f["numbers"]["occurred_on"])
    await client.mutate(
        RECORD_ACTIVITY,
        input={
            "organizationId": f["organization"]["id"],
            "kind": "HEART_TO_HEART",
            "heldOn": (occurred + dt.timedelta(days=7)).isoformat(),
            "topic": "岗位变动谈心谈话",
            "attendance": [{"memberId": _gid("Member", f["numbers"]["member_id"]), "status": "PRESENT"}],
        },
    )


async def _fix_unqualified(client: GraphQLClient, f: dict) -> None:
    rated_on = dt.date.fromisoformat(f["numbers"]["oldest_rated_on"])
    ratings = (await client.ok(RATINGS, branch=f["organization"]["id"], year=rated_on.year - 1))[
        "appraisalRatings"
    ]
    for rating in [r for r in ratings if r["grade"] == "UNQUALIFIED"]:
        await client.mutate(
            HANDLING,
            input={
                "ratingId": rating["id"],
                "step": "CORRECTION_DEADLINE",
                "doneOn": (rated_on + dt.timedelta(days=20)).isoformat(),
                "actedBy": "支部委员会",
                "deadlineOn": (rated_on + dt.timedelta(days=200)).isoformat(),
            },
        )


async def _fix_dual_life(client: GraphQLClient, f: dict) -> None:
    leaders = [
        {"memberId": _gid("Member", x["member_id"]), "status": "PRESENT"} for x in f["numbers"]["leaders"]
    ]
    plan = [("LIFE_MEETING", dt.date(PY, 12, 16), "年度组织生活会")] + [
        ("PARTY_LECTURE", dt.date(PY, month, 27), f"{month}月党课") for month in (3, 6, 9, 12)
    ]
    for kind, day, topic in plan:
        await client.mutate(
            RECORD_ACTIVITY,
            input={
                "organizationId": f["organization"]["id"],
                "kind": kind,
                "heldOn": day.isoformat(),
                "topic": topic,
                "attendance": leaders,
            },
        )


async def _fix_probation(client: GraphQLClient, f: dict) -> None:
    branch = f["organization"]["id"]
    cases = (await client.ok(CASES, branch=branch))["developmentCases"]["nodes"]
    (case,) = [c for c in cases if c["extendedMonths"] and c["nextStep"]["code"] == "CONFIRMATION_APPLIED"]
    ends = dt.date.fromisoformat(case["probationEndsOn"])
    full = len(
        (
            await client.ok(
                "query($id: ID!) { organization(id: $id) { members(statuses: [FULL]) { id } } }", id=branch
            )
        )["organization"]["members"]
    )
    entitled = max(full, 3)
    present = entitled - max(1, entitled // 10)
    vote = {"entitled": entitled, "present": present, "issued": present, "returned": present, "yes": present}
    for code, day, extra in (
        ("CONFIRMATION_APPLIED", ends - dt.timedelta(days=7), {}),
        ("CONFIRMATION_CONGRESS", ends + dt.timedelta(days=3), {"vote": vote, "actedBy": "支部党员大会"}),
    ):
        await client.mutate(
            STEP, input={"caseId": case["id"], "code": code, "doneOn": day.isoformat(), **extra}
        )


async def _fix_term(client: GraphQLClient, f: dict) -> None:
    payload = await client.mutate(
        START_TERM, input={"organizationId": f["organization"]["id"], "startsOn": TODAY.isoformat()}
    )
    assert payload["term"]["endsOn"] > TODAY.isoformat()


async def _fix_quorum(client: GraphQLClient, f: dict) -> None:
    activity = _gid("Activity", f["numbers"]["activity_id"])
    org = (await client.ok(ACTIVITY_ORG, id=activity))["activity"]["organization"]
    if f["ruleCode"] == "CONGRESS_QUORUM_NOT_MET":
        people = [m["id"] for m in org["members"]]
    else:
        people = sorted({s["member"]["id"] for s in org["currentCommittee"]["seats"] if s["member"]})
    await client.mutate(
        SET_ATTENDANCE,
        input={"activityId": activity, "attendance": [{"memberId": m, "status": "PRESENT"} for m in people]},
    )


FIXES = {
    **{code: _fix_assessment for code in ISSUE_13_CODES if code.startswith("ASSESSMENT_")},
    **{code: _fix_document for code in ISSUE_13_CODES if code.startswith("WORK_")},
    "THEMED_DAY_PARTS_MISSING": _fix_themed_parts,
    "HEART_TO_HEART_TRIGGER_MISSING": _fix_trigger,
    "UNQUALIFIED_MEMBER_UNHANDLED": _fix_unqualified,
    "LEADER_DUAL_LIFE_MISSED": _fix_dual_life,
    "PROBATION_OVERDUE": _fix_probation,
    "COMMITTEE_TERM_LENGTH": _fix_term,
    "CONGRESS_QUORUM_NOT_MET": _fix_quorum,
    "COMMITTEE_QUORUM_NOT_MET": _fix_quorum,
}


async def test_demo_fires_each_issue_13_rule_and_fixing_one_clears_it(demo):
    """Each code of issue 13 has a finding in some demo tenant for the previous year; fixing one
    instance through GraphQL (recording the missing artefact, correcting its day, the attendance, a
    handling step, a new term…) clears exactly that finding."""
    assert set(FIXES) == set(ISSUE_13_CODES)
    by_code: dict[str, list[tuple[GraphQLClient, dict]]] = {}
    for _, client in demo.values():
        for finding in await _findings(client, list(ISSUE_13_CODES)):
            by_code.setdefault(finding["ruleCode"], []).append((client, finding))
    assert set(ISSUE_13_CODES) - set(by_code) == set(), "codes without a finding in the demo"

    # 双重组织生活: the leader who skipped was sent a reminder letter (提醒函)
    client, skipped = by_code["LEADER_DUAL_LIFE_MISSED"][0]
    letters = (await client.ok(LETTERS, org=skipped["organization"]["id"], year=PY))["leaderReminderLetters"]
    assert {x["member"]["id"] for x in letters} & {
        _gid("Member", x["member_id"]) for x in skipped["numbers"]["leaders"]
    }
    # the probation finding of the demo is the extended one
    assert any(f["numbers"]["extended"] for _, f in by_code["PROBATION_OVERDUE"])
    for code in ISSUE_13_CODES:
        client, finding = by_code[code][0]
        await FIXES[code](client, finding)
        left = {_key(f) for f in await _findings(client, [code])}
        assert _key(finding) not in left, f"{code} still reported after the fix: {finding}"


ARREARS = """query {
  duesArrears(flaggedOnly: true) { memberId memberName consecutiveFrom consecutiveTo flagged } }"""
EXEMPT = """mutation($input: RecordDuesExemptionInput!) {
  recordDuesExemption(input: $input) { errors { code message } } }"""


async def test_demo_flags_six_months_of_unpaid_dues_and_an_exemption_clears_it(demo):
    """dues.arrears_flag_months (6): a demo member is flagged (自行脱党 risk); the branch records the
    approved reason for those months and the flag clears."""
    flagged = []
    for _, client in demo.values():
        flagged += [(client, row) for row in (await client.ok(ARREARS))["duesArrears"]]
    assert flagged, "no demo member six months behind"
    client, row = flagged[0]
    await client.mutate(
        EXEMPT,
        input={
            "memberId": row["memberId"],
            "fromMonth": row["consecutiveFrom"],
            "toMonth": row["consecutiveTo"],
            "reason": "经批准缓交（长期患病）",
            "approvedBy": "支部委员会",
            "approvedOn": TODAY.isoformat(),
        },
    )
    assert row["memberId"] not in {r["memberId"] for r in (await client.ok(ARREARS))["duesArrears"]}


COVERAGE = """query($org: ID!) { coverage(organizationId: $org) { kind units organized worked workRate } }"""
ROOTS = "{ organizationRoots { id kind } }"
UPDATE_UNIT = (
    """mutation($input: UpdateCoveredUnitInput!) { updateCoveredUnit(input: $input) { errors { code } } }"""
)


async def test_demo_coverage_has_uncovered_units_and_party_work_raises_the_rate(demo):
    """双覆盖: the rural township committee covers five units, two with neither organization nor
    party work; recording party work in one raises the work coverage rate."""
    from core.models import CoveredUnit

    tenant, client = demo["rural"]
    (town,) = [o for o in (await client.ok(ROOTS))["organizationRoots"] if o["kind"] == "PARTY_COMMITTEE"]
    before = {r["kind"]: r for r in (await client.ok(COVERAGE, org=town["id"]))["coverage"]}
    assert sum(r["units"] for r in before.values()) == 5
    assert sum(r["units"] - r["worked"] for r in before.values()) == 2
    with tenant_scope(tenant.id):
        unit = await CoveredUnit.get(name="青山镇兴旺建材厂")
    await client.mutate(UPDATE_UNIT, input={"id": _gid("CoveredUnit", unit.id), "hasPartyWork": True})
    after = {r["kind"]: r for r in (await client.ok(COVERAGE, org=town["id"]))["coverage"]}
    enterprise = after["NON_PUBLIC_ENTERPRISE"]
    assert enterprise["worked"] == before["NON_PUBLIC_ENTERPRISE"]["worked"] + 1 == enterprise["units"]
    assert enterprise["workRate"] == 1.0


RATE_SECRETARY = """mutation($input: RateSecretaryInput!) {
  rateSecretary(input: $input) { errors { code field } appraisal { grade } } }"""


async def test_demo_secretary_of_a_branch_below_good_cannot_be_rated_excellent(demo):
    """述职评议 on a demo branch: a branch graded 较好 cannot have its secretary rated 优秀
    (SECRETARY_EXCELLENT_UNIT_BELOW_GOOD); graded 好, it can."""
    _, client = demo["newspaper"]
    branch = next(
        f["organization"]["id"]
        for f in await _findings(client, ["WORK_PLAN_MISSING", "WORK_PLAN_LATE", "THEMED_DAY_PARTS_MISSING"])
    )
    base = {"branchId": branch, "year": PY, "grade": "EXCELLENT", "ratedOn": f"{PY}-12-30"}
    refused = (await client.ok(RATE_SECRETARY, input={**base, "unitGrade": "FAIRLY_GOOD"}))["rateSecretary"]
    assert [e["code"] for e in refused["errors"]] == ["SECRETARY_EXCELLENT_UNIT_BELOW_GOOD"]
    done = (await client.ok(RATE_SECRETARY, input={**base, "unitGrade": "GOOD"}))["rateSecretary"]
    assert done["errors"] == [] and done["appraisal"]["grade"] == "EXCELLENT"
