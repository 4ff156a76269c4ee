"""The committee's assessment cadence (年初有部署、季度有检查、半年有点评、年终有考核) through GraphQL:
the calendar expects the artefacts of every 党委 (assessment.holder_kinds), recordAssessment records
them with the period they cover, and ASSESSMENT_<STAGE>_MISSING / _LATE read their due days from
tenant config (assessment.*_due_days)."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord
from core.tenancy import tenant_scope
from tests.core_factories import tree

RECORD = """
mutation($input: RecordAssessmentInput!) {
  recordAssessment(input: $input) {
    errors { code field message }
    assessment { id stage stageLabel year period heldOn summary organization { name } }
  }
}
"""
UPDATE = """
mutation($input: UpdateAssessmentInput!) {
  updateAssessment(input: $input) { errors { code field } assessment { id heldOn summary } }
}
"""
LIST = """query($org: ID!, $year: Int) {
  assessments(organizationId: $org, year: $year) { stage period heldOn } }"""
FINDINGS = """
query($scope: ID, $from: Date!, $to: Date!) {
  findings(scopeId: $scope, from: $from, to: $to) {
    ruleCode severity period numbers message organization { name }
  }
}
"""
CALENDAR = """
query($org: ID!, $from: Date!, $to: Date!) {
  activityCalendar(organizationId: $org, from: $from, to: $to) {
    kind kindLabel cycle period due status heldOn organization { name }
  }
}
"""
CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""
RULES = "{ standardRules { code severity area configKeys } }"

TODAY = dt.date.today()
YEAR = TODAY.year - 1  # a year whose every due day has passed
WINDOW = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}


def day(month: int, dom: int, year: int = YEAR) -> str:
    return dt.date(year, month, dom).isoformat()


async def _assessment_findings(admin, scope: str, window: dict | None = None) -> list[dict]:
    found = (await admin.ok(FINDINGS, scope=scope, **(window or WINDOW)))["findings"]
    return [f for f in found if f["ruleCode"].startswith("ASSESSMENT_")]


async def _record(admin, org: str, stage: str, held_on: str, quarter: int | None = None, year: int = YEAR):
    return await admin.ok(
        RECORD,
        input={
            "organizationId": org,
            "stage": stage,
            "year": year,
            "quarter": quarter,
            "heldOn": held_on,
            "summary": f"{stage}：各支部标准化建设情况",
        },
    )


async def _config(admin) -> dict:
    return (await admin.ok("{ tenant { config } }"))["tenant"]["config"]["assessment"]


async def test_cadence_is_expected_of_the_committee_and_cleared_by_recording_it(admin, tenant):
    """A 党委 with nothing recorded misses all seven artefacts of a past year (1 deployment, 4 quarterly
    checks, the half-year review, the year-end assessment), each in the calendar with its due day; the
    branches owe none. Recording them on time clears every finding; a Q2 check after 30 June is LATE
    (assessment.quarterly_check_due_days = 0) until the tenant allows 15 days."""
    config = await _config(admin)
    assert config == {
        "holder_kinds": ["PARTY_COMMITTEE"],
        "deployment_due_days": 31,
        "quarterly_check_due_days": 0,
        "half_year_review_due_days": 0,
        "year_end_assessment_due_days": 0,
    }
    t = await tree(admin)
    committee = t["committee"]["id"]

    calendar = [
        e
        for e in (await admin.ok(CALENDAR, org=committee, **WINDOW))["activityCalendar"]
        if e["kind"].startswith("ASSESSMENT_")
    ]
    assert {(e["kind"], e["period"], e["due"], e["status"]) for e in calendar} == {
        ("ASSESSMENT_DEPLOYMENT", f"{YEAR}", day(1, 31), "MISSING"),
        ("ASSESSMENT_QUARTERLY_CHECK", f"{YEAR}-Q1", day(3, 31), "MISSING"),
        ("ASSESSMENT_QUARTERLY_CHECK", f"{YEAR}-Q2", day(6, 30), "MISSING"),
        ("ASSESSMENT_QUARTERLY_CHECK", f"{YEAR}-Q3", day(9, 30), "MISSING"),
        ("ASSESSMENT_QUARTERLY_CHECK", f"{YEAR}-Q4", day(12, 31), "MISSING"),
        ("ASSESSMENT_HALF_YEAR_REVIEW", f"{YEAR}-H1", day(6, 30), "MISSING"),
        ("ASSESSMENT_YEAR_END_ASSESSMENT", f"{YEAR}", day(12, 31), "MISSING"),
    }
    assert {e["organization"]["name"] for e in calendar} == {"机关党委"}
    assert {e["kindLabel"] for e in calendar} == {"年初部署", "季度检查", "半年点评", "年终考核"}

    found = await _assessment_findings(admin, committee)
    assert sorted((f["ruleCode"], f["period"], f["severity"]) for f in found) == [
        ("ASSESSMENT_DEPLOYMENT_MISSING", f"{YEAR}", "ERROR"),
        ("ASSESSMENT_HALF_YEAR_REVIEW_MISSING", f"{YEAR}-H1", "ERROR"),
        ("ASSESSMENT_QUARTERLY_CHECK_MISSING", f"{YEAR}-Q1", "WARNING"),
        ("ASSESSMENT_QUARTERLY_CHECK_MISSING", f"{YEAR}-Q2", "WARNING"),
        ("ASSESSMENT_QUARTERLY_CHECK_MISSING", f"{YEAR}-Q3", "WARNING"),
        ("ASSESSMENT_QUARTERLY_CHECK_MISSING", f"{YEAR}-Q4", "WARNING"),
        ("ASSESSMENT_YEAR_END_ASSESSMENT_MISSING", f"{YEAR}", "ERROR"),
    ]
    assert all(f["organization"]["name"] == "机关党委" for f in found)
    assert await _assessment_findings(admin, t["branch"]["id"]) == []  # branches owe none

    result = await _record(admin, committee, "DEPLOYMENT", day(1, 20))
    record = result["recordAssessment"]["assessment"]
    assert result["recordAssessment"]["errors"] == []
    assert (record["stageLabel"], record["period"], record["organization"]["name"]) == (
        "年初部署",
        f"{YEAR}",
        "机关党委",
    )
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordAssessment").exists()
    for quarter, held in ((1, day(3, 25)), (2, day(7, 10)), (3, day(9, 28)), (4, day(12, 20))):
        assert (await _record(admin, committee, "QUARTERLY_CHECK", held, quarter))["recordAssessment"][
            "errors"
        ] == []
    await _record(admin, committee, "HALF_YEAR_REVIEW", day(6, 28))
    await _record(admin, committee, "YEAR_END_ASSESSMENT", day(12, 28))

    (late,) = await _assessment_findings(admin, committee)
    assert (late["ruleCode"], late["period"], late["severity"]) == (
        "ASSESSMENT_QUARTERLY_CHECK_LATE",
        f"{YEAR}-Q2",
        "INFO",
    )
    assert late["numbers"]["due_days"] == config["quarterly_check_due_days"]
    assert late["numbers"]["held_on"] == [day(7, 10)]
    listed = (await admin.ok(LIST, org=committee, year=YEAR))["assessments"]
    assert len(listed) == 7

    await admin.mutate(CONFIG, patch={"assessment": {"quarterly_check_due_days": 15}})
    assert await _assessment_findings(admin, committee) == []


async def test_deployment_due_days_come_from_tenant_config(admin):
    """ASSESSMENT_DEPLOYMENT_LATE / _MISSING read assessment.deployment_due_days (31): a deployment on
    10 February is late; 45 days makes it on time."""
    days = (await _config(admin))["deployment_due_days"]
    assert days == 31
    t = await tree(admin)
    committee = t["committee"]["id"]
    (missing,) = [
        f
        for f in await _assessment_findings(admin, committee)
        if f["ruleCode"].startswith("ASSESSMENT_DEPLOY")
    ]
    assert missing["ruleCode"] == "ASSESSMENT_DEPLOYMENT_MISSING" and missing["numbers"]["due_days"] == days
    assert missing["numbers"]["due"] == (dt.date(YEAR, 1, 1) + dt.timedelta(days=days - 1)).isoformat()

    await _record(admin, committee, "DEPLOYMENT", day(2, 10))
    (late,) = [
        f
        for f in await _assessment_findings(admin, committee)
        if f["ruleCode"].startswith("ASSESSMENT_DEPLOY")
    ]
    assert late["ruleCode"] == "ASSESSMENT_DEPLOYMENT_LATE" and late["numbers"]["held_on"] == [day(2, 10)]

    await admin.mutate(CONFIG, patch={"assessment": {"deployment_due_days": 45}})
    assert not [
        f
        for f in await _assessment_findings(admin, committee)
        if f["ruleCode"].startswith("ASSESSMENT_DEPLOY")
    ]


async def test_half_year_and_year_end_due_days_come_from_tenant_config(admin):
    """ASSESSMENT_HALF_YEAR_REVIEW_LATE reads assessment.half_year_review_due_days (0 after 30 June) and
    ASSESSMENT_YEAR_END_ASSESSMENT_LATE assessment.year_end_assessment_due_days (0 after 31 December).
    A year-end assessment held in January counts for the year it assesses, not the new one."""
    config = await _config(admin)
    assert (config["half_year_review_due_days"], config["year_end_assessment_due_days"]) == (0, 0)
    t = await tree(admin)
    committee = t["committee"]["id"]
    await _record(admin, committee, "HALF_YEAR_REVIEW", day(7, 8))
    january = dt.date(YEAR + 1, 1, 12)
    await _record(admin, committee, "YEAR_END_ASSESSMENT", january.isoformat())

    def codes(found: list[dict]) -> set[str]:
        return {
            f["ruleCode"] for f in found if "QUARTERLY" not in f["ruleCode"] and "DEPLOY" not in f["ruleCode"]
        }

    found = await _assessment_findings(admin, committee)
    assert codes(found) == {"ASSESSMENT_HALF_YEAR_REVIEW_LATE", "ASSESSMENT_YEAR_END_ASSESSMENT_LATE"}
    year_end = next(f for f in found if f["ruleCode"] == "ASSESSMENT_YEAR_END_ASSESSMENT_LATE")
    assert year_end["period"] == f"{YEAR}" and year_end["numbers"]["due"] == day(12, 31)

    # the new year's year-end assessment is still owed (PENDING until its 31 December)
    this_year = {"from": f"{TODAY.year}-01-01", "to": f"{TODAY.year}-12-31"}
    entries = (await admin.ok(CALENDAR, org=committee, **this_year))["activityCalendar"]
    (current,) = [e for e in entries if e["kind"] == "ASSESSMENT_YEAR_END_ASSESSMENT"]
    assert current["status"] == "PENDING" and current["heldOn"] == []

    await admin.mutate(CONFIG, patch={"assessment": {"half_year_review_due_days": 10}})
    assert codes(await _assessment_findings(admin, committee)) == {"ASSESSMENT_YEAR_END_ASSESSMENT_LATE"}
    await admin.mutate(CONFIG, patch={"assessment": {"year_end_assessment_due_days": 31}})
    assert codes(await _assessment_findings(admin, committee)) == set()


async def test_quarterly_check_missing_reads_its_due_days_and_update_corrects_the_day(admin):
    """ASSESSMENT_QUARTERLY_CHECK_MISSING: due assessment.quarterly_check_due_days (0) after the quarter;
    updateAssessment corrects a wrongly entered day (LATE → cleared)."""
    t = await tree(admin)
    committee = t["committee"]["id"]
    await admin.mutate(CONFIG, patch={"assessment": {"quarterly_check_due_days": 10}})
    found = [f for f in await _assessment_findings(admin, committee) if "QUARTERLY_CHECK" in f["ruleCode"]]
    assert {f["numbers"]["due"] for f in found} == {
        day(4, 10),
        day(7, 10),
        day(10, 10),
        dt.date(YEAR + 1, 1, 10).isoformat(),
    }
    assert {f["numbers"]["due_days"] for f in found} == {10}
    record = (await _record(admin, committee, "QUARTERLY_CHECK", day(5, 20), 1))["recordAssessment"][
        "assessment"
    ]
    assert any(
        f["ruleCode"] == "ASSESSMENT_QUARTERLY_CHECK_LATE"
        for f in await _assessment_findings(admin, committee)
    )
    fixed = await admin.mutate(UPDATE, input={"id": record["id"], "heldOn": day(3, 30)})
    assert fixed["assessment"]["heldOn"] == day(3, 30)
    periods = {
        f["period"]
        for f in await _assessment_findings(admin, committee)
        if "QUARTERLY_CHECK" in f["ruleCode"]
    }
    assert periods == {f"{YEAR}-Q2", f"{YEAR}-Q3", f"{YEAR}-Q4"}


async def test_holder_kinds_come_from_tenant_config_and_bad_input_is_refused(admin):
    """assessment.holder_kinds says who holds the cadence: a branch is refused
    (ASSESSMENT_NOT_HELD_BY_ORG); with GENERAL_BRANCH configured a 党委 owes nothing. A second record of
    the same stage and period, a quarterly check without its quarter and a check held before its
    quarter began are refused with their codes."""
    t = await tree(admin)
    committee = t["committee"]["id"]
    refused = (await _record(admin, t["branch"]["id"], "DEPLOYMENT", day(1, 5)))["recordAssessment"]
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("ASSESSMENT_NOT_HELD_BY_ORG", "organizationId")
    ]

    await _record(admin, committee, "DEPLOYMENT", day(1, 5))
    again = (await _record(admin, committee, "DEPLOYMENT", day(1, 6)))["recordAssessment"]
    assert [e["code"] for e in again["errors"]] == ["ASSESSMENT_ALREADY_RECORDED"]
    no_quarter = (await _record(admin, committee, "QUARTERLY_CHECK", day(3, 1)))["recordAssessment"]
    assert [(e["code"], e["field"]) for e in no_quarter["errors"]] == [("INVALID_INPUT", "quarter")]
    early = (await _record(admin, committee, "QUARTERLY_CHECK", day(3, 1), 2))["recordAssessment"]
    assert [(e["code"], e["field"]) for e in early["errors"]] == [("ASSESSMENT_BEFORE_PERIOD", "heldOn")]
    future = await _record(
        admin, committee, "HALF_YEAR_REVIEW", (TODAY + dt.timedelta(days=1)).isoformat(), year=TODAY.year
    )
    assert [e["code"] for e in future["recordAssessment"]["errors"]] == ["INVALID_INPUT"]

    bad = await admin.ok(
        CONFIG, patch={"assessment": {"holder_kinds": ["PARTY_COMMITTEE", "PARTY_COMMITTEE"]}}
    )
    assert [e["field"] for e in bad["updateTenantConfig"]["errors"]] == ["assessment.holder_kinds"]
    unknown = await admin.ok(CONFIG, patch={"assessment": {"holder_kinds": ["TOWNSHIP_COMMITTEE"]}})
    assert [e["field"] for e in unknown["updateTenantConfig"]["errors"]] == ["assessment.holder_kinds"]
    await admin.mutate(CONFIG, patch={"assessment": {"holder_kinds": ["GENERAL_BRANCH"]}})
    assert await _assessment_findings(admin, committee) == []
    general = await admin.mutate(
        """mutation($input: CreateOrganizationInput!) {
          createOrganization(input: $input) { errors { code } organization { id } } }""",
        input={"kind": "GENERAL_BRANCH", "name": "机关党总支", "parentId": committee},
    )
    found = await _assessment_findings(admin, general["organization"]["id"])
    assert {f["organization"]["name"] for f in found} == {"机关党总支"} and len(found) == 7


async def test_the_rule_catalogue_lists_the_cadence_rules_with_their_config_keys(admin):
    rules = {r["code"]: r for r in (await admin.ok(RULES))["standardRules"]}
    for stage, key in (
        ("DEPLOYMENT", "deployment_due_days"),
        ("QUARTERLY_CHECK", "quarterly_check_due_days"),
        ("HALF_YEAR_REVIEW", "half_year_review_due_days"),
        ("YEAR_END_ASSESSMENT", "year_end_assessment_due_days"),
    ):
        for status in ("MISSING", "LATE"):
            rule = rules[f"ASSESSMENT_{stage}_{status}"]
            assert rule["configKeys"] == ["assessment.holder_kinds", f"assessment.{key}"]
            assert rule["area"] == "MECHANISMS"
        assert rules[f"ASSESSMENT_{stage}_LATE"]["severity"] == "INFO"
