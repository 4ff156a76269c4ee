"""Democratic appraisal of members (民主评议党员) and the secretaries' 述职评议 through GraphQL: one
rating per member per year, corrections with a reason, the handling procedure of an unqualified member
and its rule, the refusal to rate a secretary 优秀 when the branch is graded below 好."""

from __future__ import annotations

from core.models import AuditRecord
from core.tenancy import tenant_scope
from tests import standards_factories as f
from tests.test_rules import findings

RECORD = """
mutation($input: RecordAppraisalRatingInput!) {
  recordAppraisalRating(input: $input) {
    errors { code message field }
    rating { id year grade gradeLabel ratedOn ratedBy member { name } handlingSteps { step } }
  }
}
"""
CORRECT = """
mutation($input: CorrectAppraisalRatingInput!) {
  correctAppraisalRating(input: $input) {
    errors { code message field }
    rating { id grade gradeLabel correctedFrom correctionReason }
  }
}
"""
STEP = """
mutation($input: RecordUnqualifiedHandlingStepInput!) {
  recordUnqualifiedHandlingStep(input: $input) {
    errors { code message field }
    step { step stepLabel doneOn actedBy deadlineOn }
    rating { handlingSteps { step doneOn actedBy } }
  }
}
"""
RATINGS = """
query($branch: ID!, $year: Int!) {
  appraisalRatings(branchId: $branch, year: $year) { grade correctedFrom member { name } }
}
"""
RATE_SECRETARY = """
mutation($input: RateSecretaryInput!) {
  rateSecretary(input: $input) {
    errors { code message field }
    appraisal { year unitGrade unitGradeLabel grade gradeLabel secretary { name } }
  }
}
"""
SECRETARY_APPRAISALS = """
query($branch: ID!) { secretaryAppraisals(branchId: $branch) { year grade unitGradeLabel } }
"""
CONFIG = (
    "mutation($input: UpdateTenantConfigInput!) { updateTenantConfig(input: $input) { errors { code } } }"
)
CODE = "UNQUALIFIED_MEMBER_UNHANDLED"


async def _branch(tenant_id: int, members: int = 3):
    root = await f.committee_root(tenant_id)
    branch = await f.org(tenant_id, "BRANCH", "第一党支部", root)
    people = await f.add_members(tenant_id, branch, members)
    return branch, people


def _rating(member, grade: str, rated_on: str = "2025-03-01", year: int = 2024) -> dict:
    return {
        "memberId": f.gid("Member", member.id),
        "year": year,
        "grade": grade,
        "ratedOn": rated_on,
        "ratedBy": "支部党员大会",
    }


async def test_one_rating_per_member_per_year_and_correction_with_reason(admin, tenant):
    branch, (a, b, _) = await _branch(tenant.id)
    rating = (await admin.mutate(RECORD, input=_rating(a, "QUALIFIED")))["rating"]
    assert (rating["grade"], rating["gradeLabel"], rating["member"]["name"]) == ("QUALIFIED", "合格", a.name)
    assert await admin.error_code(RECORD, input=_rating(a, "EXCELLENT")) == "APPRAISAL_ALREADY_RATED"
    # the next year is a new rating
    await admin.mutate(RECORD, input=_rating(a, "EXCELLENT", rated_on="2025-12-20", year=2025))
    await admin.mutate(RECORD, input=_rating(b, "BASICALLY_QUALIFIED"))

    no_reason = {"ratingId": rating["id"], "grade": "EXCELLENT", "reason": " "}
    assert await admin.error_code(CORRECT, input=no_reason) == "APPRAISAL_CORRECTION_REASON_REQUIRED"
    same = {"ratingId": rating["id"], "grade": "QUALIFIED", "reason": "复核"}
    assert await admin.error_code(CORRECT, input=same) == "APPRAISAL_GRADE_UNCHANGED"
    fixed = (
        await admin.mutate(
            CORRECT, input={"ratingId": rating["id"], "grade": "EXCELLENT", "reason": "计票有误，复核更正"}
        )
    )["rating"]
    assert (fixed["grade"], fixed["correctedFrom"], fixed["correctionReason"]) == (
        "EXCELLENT",
        "QUALIFIED",
        "计票有误，复核更正",
    )
    rows = (await admin.ok(RATINGS, branch=f.gid("Organization", branch.id), year=2024))["appraisalRatings"]
    assert sorted((r["member"]["name"], r["grade"], r["correctedFrom"]) for r in rows) == sorted(
        [(a.name, "EXCELLENT", "QUALIFIED"), (b.name, "BASICALLY_QUALIFIED", None)]
    )
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordAppraisalRating").count() == 3
        (change,) = await AuditRecord.filter(operation="correctAppraisalRating")
        assert (change.before["grade"], change.after["grade"]) == ("QUALIFIED", "EXCELLENT")


async def test_unqualified_member_is_handled_step_by_step(admin, tenant):
    _, (a, b, _) = await _branch(tenant.id)
    qualified = (await admin.mutate(RECORD, input=_rating(b, "QUALIFIED")))["rating"]
    rating = (await admin.mutate(RECORD, input=_rating(a, "UNQUALIFIED")))["rating"]
    step = {"ratingId": rating["id"], "actedBy": "支部委员会", "doneOn": "2025-03-10"}
    assert (
        await admin.error_code(
            STEP, input={**step, "ratingId": qualified["id"], "step": "CORRECTION_DEADLINE"}
        )
        == "APPRAISAL_NOT_UNQUALIFIED"
    )
    assert await admin.error_code(STEP, input={**step, "step": "REMOVAL"}) == "UNQUALIFIED_STEP_OUT_OF_ORDER"
    assert (
        await admin.error_code(STEP, input={**step, "step": "CORRECTION_DEADLINE"})
        == "UNQUALIFIED_DEADLINE_REQUIRED"
    )
    early = {**step, "step": "CORRECTION_DEADLINE", "doneOn": "2025-02-01", "deadlineOn": "2025-09-01"}
    assert await admin.error_code(STEP, input=early) == "UNQUALIFIED_STEP_DATE_BEFORE_PREVIOUS"
    first = await admin.mutate(
        STEP, input={**step, "step": "CORRECTION_DEADLINE", "deadlineOn": "2025-09-10"}
    )
    assert (first["step"]["stepLabel"], first["step"]["deadlineOn"]) == ("限期改正", "2025-09-10")
    assert (
        await admin.error_code(
            STEP, input={**step, "step": "CORRECTION_DEADLINE", "deadlineOn": "2025-09-10"}
        )
        == "UNQUALIFIED_STEP_DUPLICATE"
    )
    second = await admin.mutate(
        STEP, input={**step, "step": "PERSUADE_TO_LEAVE", "doneOn": "2025-09-20", "actedBy": "支部书记 王强"}
    )
    assert [(s["step"], s["doneOn"], s["actedBy"]) for s in second["rating"]["handlingSteps"]] == [
        ("CORRECTION_DEADLINE", "2025-03-10", "支部委员会"),
        ("PERSUADE_TO_LEAVE", "2025-09-20", "支部书记 王强"),
    ]
    # once handling started, the unqualified grade is not corrected away
    correct = {"ratingId": rating["id"], "grade": "QUALIFIED", "reason": "复核"}
    assert await admin.error_code(CORRECT, input=correct) == "APPRAISAL_HANDLING_STARTED"
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordUnqualifiedHandlingStep").count() == 2


async def test_unqualified_member_unhandled_rule_reads_the_days_from_tenant_config(admin, tenant):
    """UNQUALIFIED_MEMBER_UNHANDLED: a rating 不合格 with no handling step
    appraisal.unqualified_handling_days (90) after it was given."""
    branch, (a, _, _) = await _branch(tenant.id)
    scope = f.gid("Organization", branch.id)
    rating = (await admin.mutate(RECORD, input=_rating(a, "UNQUALIFIED", rated_on="2025-10-15")))["rating"]
    # 2025-10-15 + 90 days is after 2025-12-31: not yet due
    assert await findings(admin, scope, codes=[CODE]) == []
    await admin.mutate(CONFIG, input={"patch": {"appraisal": {"unqualified_handling_days": 60}}})
    (finding,) = await findings(admin, scope, codes=[CODE])
    assert finding["numbers"]["unqualified_handling_days"] == 60
    assert finding["numbers"]["unhandled"] == 1
    assert "60天" in finding["message"]
    await admin.mutate(
        STEP,
        input={
            "ratingId": rating["id"],
            "step": "CORRECTION_DEADLINE",
            "doneOn": "2025-11-01",
            "deadlineOn": "2026-05-01",
            "actedBy": "支部委员会",
        },
    )
    assert await findings(admin, scope, codes=[CODE]) == []


async def test_secretary_of_a_branch_below_good_cannot_be_rated_excellent(admin, tenant):
    branch, (secretary, _, _) = await _branch(tenant.id)
    base = {
        "branchId": f.gid("Organization", branch.id),
        "year": 2024,
        "ratedOn": "2025-01-20",
        "secretaryId": f.gid("Member", secretary.id),
    }
    refused = {**base, "unitGrade": "FAIRLY_GOOD", "grade": "EXCELLENT"}
    assert await admin.error_code(RATE_SECRETARY, input=refused) == "SECRETARY_EXCELLENT_UNIT_BELOW_GOOD"
    unknown = {**base, "unitGrade": "SUPERB", "grade": "COMPETENT"}
    assert await admin.error_code(RATE_SECRETARY, input=unknown) == "SECRETARY_UNIT_GRADE_UNKNOWN"
    ok = await admin.mutate(RATE_SECRETARY, input={**base, "unitGrade": "FAIRLY_GOOD", "grade": "COMPETENT"})
    assert ok["appraisal"]["unitGradeLabel"] == "较好"
    assert ok["appraisal"]["secretary"]["name"] == secretary.name
    assert (
        await admin.error_code(RATE_SECRETARY, input={**base, "unitGrade": "GOOD", "grade": "EXCELLENT"})
        == "SECRETARY_ALREADY_RATED"
    )
    good = await admin.mutate(
        RATE_SECRETARY,
        input={**base, "year": 2025, "ratedOn": "2025-12-30", "unitGrade": "GOOD", "grade": "EXCELLENT"},
    )
    assert (good["appraisal"]["gradeLabel"], good["appraisal"]["unitGradeLabel"]) == ("优秀", "好")
    rows = (await admin.ok(SECRETARY_APPRAISALS, branch=base["branchId"]))["secretaryAppraisals"]
    assert [(r["year"], r["grade"]) for r in rows] == [(2025, "EXCELLENT"), (2024, "COMPETENT")]
    # the tenant lowers the grade an excellent secretary needs: 较好 is enough then
    await admin.mutate(
        CONFIG, input={"patch": {"appraisal": {"excellent_secretary_min_unit_grade": "FAIRLY_GOOD"}}}
    )
    other, _ = await _branch_named(tenant.id, "第二党支部")
    allowed = {
        **base,
        "branchId": f.gid("Organization", other.id),
        "secretaryId": None,
        "unitGrade": "FAIRLY_GOOD",
        "grade": "EXCELLENT",
    }
    assert (await admin.mutate(RATE_SECRETARY, input=allowed))["appraisal"]["grade"] == "EXCELLENT"
    bad = {"patch": {"appraisal": {"excellent_secretary_min_unit_grade": "NONE"}}}
    assert await admin.error_code(CONFIG, input=bad) == "INVALID_INPUT"


async def _branch_named(tenant_id: int, name: str):
    root = await f.committee_root(tenant_id, name=f"{name}上级党委")
    branch = await f.org(tenant_id, "BRANCH", name, root)
    return branch, await f.add_members(tenant_id, branch, 3)
