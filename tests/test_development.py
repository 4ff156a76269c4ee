"""The 25-step development pipeline through GraphQL: order, timing rules, votes, member status."""

from __future__ import annotations

import base64
import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import Any

import pytest

from core.lifecycle.models import DevelopmentCase, DevelopmentStep
from core.models import AuditRecord, Member
from core.principal import Principal
from core.tenancy import tenant_scope
from tests.support import GraphQLClient

CREATE_ORG = """
mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { errors { code } organization { id path } }
}
"""
START = """
mutation($input: StartDevelopmentCaseInput!) {
  startDevelopmentCase(input: $input) {
    errors { code message field }
    developmentCase { id status nextStep { code } nextDueOn member { id name status } }
  }
}
"""
RECORD = """
mutation($input: RecordDevelopmentStepInput!) {
  recordDevelopmentStep(input: $input) {
    errors { code message field }
    step { code sequence stage doneOn vote { entitled present issued returned yes } }
    developmentCase {
      status completedSteps currentStage nextStep { code } nextEarliestOn nextDueOn probationEndsOn
      member { status joinedOn confirmedOn }
    }
  }
}
"""
EXTEND = """
mutation($input: ExtendProbationInput!) {
  extendProbation(input: $input) {
    errors { code message field }
    developmentCase { probationEndsOn extendedMonths nextEarliestOn }
  }
}
"""
CLOSE = """
mutation($input: CloseDevelopmentCaseInput!) {
  closeDevelopmentCase(input: $input) {
    errors { code message field }
    developmentCase { status closedOn closeReason member { status } }
  }
}
"""
CASE = """
query($id: ID!) {
  developmentCase(id: $id) {
    status completedSteps currentStage currentStageLabel probationEndsOn
    currentStep { code label }
    nextStep { code }
    member { name status joinedOn confirmedOn }
    branch { name }
    steps { code label sequence stage doneOn actedBy documents trainingDays extensionMonths outcome
            vote { entitled present issued returned yes } }
  }
}
"""

GOOD_VOTE = {"entitled": 30, "present": 25, "issued": 25, "returned": 25, "yes": 20}

#: A schedule that keeps every timing rule: step code -> (date, extra input).
PLAN: dict[str, tuple[str, dict[str, Any]]] = {
    "APPLICATION_SUBMITTED": ("2021-03-01", {}),
    "APPLICATION_TALK": ("2021-03-20", {"actedBy": "支部书记 王强"}),
    "ACTIVIST_DESIGNATED": ("2021-04-10", {"actedBy": "支部委员会"}),
    "ACTIVIST_FILED": ("2021-04-15", {}),
    "MENTORS_ASSIGNED": ("2021-04-20", {"notes": "培养联系人：李红、赵刚"}),
    "ACTIVIST_EDUCATED": ("2022-03-01", {"documents": ["思想汇报 2021Q2–2022Q1"]}),
    "CANDIDATE_DESIGNATED": ("2022-04-10", {}),
    "CANDIDATE_FILED": ("2022-04-15", {}),
    "INTRODUCERS_ASSIGNED": ("2022-04-20", {"notes": "入党介绍人：李红、赵刚"}),
    "POLITICAL_REVIEW": ("2022-05-01", {"documents": ["政审材料 2022-01"]}),
    "CANDIDATE_TRAINED": ("2022-05-10", {"trainingDays": "3"}),
    "BRANCH_COMMITTEE_REVIEW": ("2022-05-20", {}),
    "SUPERIOR_PRE_REVIEW": ("2022-05-25", {}),
    "APPLICATION_FORM_FILLED": ("2022-06-01", {}),
    "ADMISSION_CONGRESS": ("2022-06-10", {"vote": GOOD_VOTE}),
    "SUPERIOR_TALK": ("2022-06-20", {}),
    "ADMISSION_APPROVED": ("2022-08-01", {}),
    "ADMISSION_FILED": ("2022-08-10", {}),
    "GROUP_ASSIGNED": ("2022-08-15", {}),
    "OATH_TAKEN": ("2022-08-20", {}),
    "PROBATION_EDUCATION": ("2023-05-01", {}),
    "CONFIRMATION_APPLIED": ("2023-06-01", {}),
    "CONFIRMATION_CONGRESS": ("2023-06-10", {"vote": GOOD_VOTE}),
    "CONFIRMATION_APPROVED": ("2023-07-01", {}),
    "MATERIALS_ARCHIVED": ("2023-07-10", {}),
}
CODES = list(PLAN)


def db_id(gid: str) -> int:
    return int(base64.b64decode(gid).decode().split(":", 1)[1])


def id_number(serial: int, birth: str = "19950505") -> str:
    """A valid 18-character resident ID number (GB 11643 check digit)."""
    first17 = f"110101{birth}{serial % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


async def make_branches(client: GraphQLClient, *names: str) -> tuple[dict, list[dict]]:
    root = (await client.mutate(CREATE_ORG, input={"kind": "PARTY_COMMITTEE", "name": "机关党委"}))[
        "organization"
    ]
    branches = []
    for name in names or ("第一党支部",):
        payload = await client.mutate(
            CREATE_ORG, input={"kind": "BRANCH", "name": name, "parentId": root["id"]}
        )
        branches.append(payload["organization"])
    return root, branches


async def start(
    client: GraphQLClient, branch: dict, *, applied_on: str = "2021-03-01", birth: str = "1995-05-05", **kw
) -> dict:
    payload = await client.mutate(
        START,
        input={
            "branchId": branch["id"],
            "appliedOn": applied_on,
            "applicant": {"name": kw.pop("name", "陈思远"), "birthDate": birth, "gender": "MALE"},
            **kw,
        },
    )
    return payload["developmentCase"]


def step_input(case_id: str, code: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    day, extra = PLAN[code]
    return {"caseId": case_id, "code": code, "doneOn": day, **extra, **(overrides or {})}


async def advance(
    client: GraphQLClient,
    case_id: str,
    through: str,
    *,
    after: str = "APPLICATION_SUBMITTED",
    **overrides: dict[str, Any],
) -> dict:
    """Record the plan's steps after ``after`` up to and including ``through``."""
    payload: dict = {}
    for code in CODES[CODES.index(after) + 1 : CODES.index(through) + 1]:
        payload = await client.mutate(RECORD, input=step_input(case_id, code, overrides.get(code)))
    return payload


async def refused(client: GraphQLClient, case_id: str, code: str, **override: Any) -> str:
    return await client.error_code(RECORD, input=step_input(case_id, code, override))


async def test_one_person_walks_all_25_steps(admin, tenant):
    _, (branch,) = await make_branches(admin, "第一党支部")
    case = await start(admin, branch, documents=["入党申请书"], actedBy="陈思远")
    assert case["member"]["status"] == "APPLICANT"
    assert case["nextStep"] == {"code": "APPLICATION_TALK"} and case["nextDueOn"] == "2021-04-01"

    statuses = {}
    for code in CODES[1:]:
        payload = await admin.mutate(RECORD, input=step_input(case["id"], code))
        statuses[code] = payload["developmentCase"]["member"]["status"]
        if code == "ACTIVIST_EDUCATED":  # a year as activist before becoming a candidate
            assert payload["developmentCase"]["nextEarliestOn"] == "2022-04-10"
        if code == "ADMISSION_CONGRESS":
            assert payload["step"]["vote"] == GOOD_VOTE
            assert payload["developmentCase"]["nextDueOn"] == "2022-09-10"
        if code == "ADMISSION_APPROVED":
            assert payload["developmentCase"]["member"]["joinedOn"] == "2022-06-10"
            assert payload["developmentCase"]["probationEndsOn"] == "2023-06-10"
    assert statuses["APPLICATION_TALK"] == "APPLICANT"
    assert statuses["ACTIVIST_DESIGNATED"] == "ACTIVIST"
    assert statuses["CANDIDATE_DESIGNATED"] == "CANDIDATE"
    assert statuses["ADMISSION_FILED"] == "PROBATIONARY"
    assert statuses["CONFIRMATION_APPROVED"] == "FULL"

    data = (await admin.ok(CASE, id=case["id"]))["developmentCase"]
    assert data["status"] == "COMPLETED" and data["completedSteps"] == 25 and data["nextStep"] is None
    assert data["currentStep"] == {"code": "MATERIALS_ARCHIVED", "label": "材料归档"}
    assert data["member"] == {
        "name": "陈思远",
        "status": "FULL",
        "joinedOn": "2022-06-10",
        "confirmedOn": "2023-06-10",
    }
    steps = data["steps"]
    assert [s["code"] for s in steps] == CODES
    assert [s["sequence"] for s in steps] == list(range(1, 26))
    assert Counter(s["stage"] for s in steps) == {1: 2, 2: 4, 3: 5, 4: 7, 5: 7}
    assert steps[0]["label"] == "递交入党申请书" and steps[0]["documents"] == ["入党申请书"]
    assert steps[1]["actedBy"] == "支部书记 王强"
    assert steps[10]["trainingDays"] == "3.0"
    assert steps[22]["vote"] == GOOD_VOTE and steps[21]["vote"] is None
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordDevelopmentStep").exists()
        assert await DevelopmentStep.all().count() == 25


async def test_steps_happen_strictly_in_order(admin, tenant):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    assert await refused(admin, case["id"], "ACTIVIST_DESIGNATED") == "DEVELOPMENT_STEP_OUT_OF_ORDER"
    assert await refused(admin, case["id"], "APPLICATION_SUBMITTED") == "DEVELOPMENT_STEP_ALREADY_RECORDED"
    unknown = {"caseId": case["id"], "code": "NO_SUCH_STEP", "doneOn": "2021-03-02"}
    assert await admin.error_code(RECORD, input=unknown) == "INVALID_INPUT"
    await advance(admin, case["id"], "APPLICATION_TALK")
    assert await refused(admin, case["id"], "APPLICATION_TALK") == "DEVELOPMENT_STEP_ALREADY_RECORDED"
    # a step dated before the previous one, or in the future, is refused too
    code = await refused(admin, case["id"], "ACTIVIST_DESIGNATED", doneOn="2021-03-19")
    assert code == "DEVELOPMENT_STEP_DATE_BEFORE_PREVIOUS"
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert await refused(admin, case["id"], "ACTIVIST_DESIGNATED", doneOn=tomorrow) == (
        "DEVELOPMENT_STEP_DATE_IN_FUTURE"
    )
    with tenant_scope(tenant.id):
        row = await DevelopmentCase.get(id=db_id(case["id"]))
        assert row.last_sequence == 2
        assert await DevelopmentStep.filter(case_id=row.id).count() == 2


async def test_applicant_must_be_18(admin, tenant):
    _, (branch,) = await make_branches(admin)
    payload = {"branchId": branch["id"], "appliedOn": "2021-06-14"}
    applicant = {"name": "少年", "birthDate": "2003-06-15"}
    code = await admin.error_code(START, input={**payload, "applicant": applicant})
    assert code == "DEVELOPMENT_APPLICANT_TOO_YOUNG"
    with tenant_scope(tenant.id):
        assert not await Member.filter(name="少年").exists()  # bad input changes nothing
    case = await start(admin, branch, applied_on="2021-06-15", birth="2003-06-15", name="少年")
    assert case["status"] == "OPEN"  # the 18th birthday itself is accepted


async def test_talk_within_one_month(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch, applied_on="2021-01-31")
    code = await refused(admin, case["id"], "APPLICATION_TALK", doneOn="2021-03-01")
    assert code == "DEVELOPMENT_TALK_TOO_LATE"
    await admin.mutate(RECORD, input=step_input(case["id"], "APPLICATION_TALK", {"doneOn": "2021-02-28"}))


async def test_one_year_as_activist_before_candidate(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "ACTIVIST_EDUCATED")
    code = await refused(admin, case["id"], "CANDIDATE_DESIGNATED", doneOn="2022-04-09")
    assert code == "DEVELOPMENT_ACTIVIST_PERIOD_TOO_SHORT"
    payload = await admin.mutate(RECORD, input=step_input(case["id"], "CANDIDATE_DESIGNATED"))
    assert payload["developmentCase"]["member"]["status"] == "CANDIDATE"


@pytest.mark.parametrize(
    ("training", "accepted"),
    [
        ({"trainingDays": "2.5", "trainingHours": "20"}, False),
        ({}, False),
        ({"trainingDays": "3"}, True),
        ({"trainingHours": "24"}, True),
    ],
)
async def test_candidate_training_3_days_or_24_hours(admin, training, accepted):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "POLITICAL_REVIEW")
    inp = {**step_input(case["id"], "CANDIDATE_TRAINED"), "trainingDays": None, **training}
    if accepted:
        await admin.mutate(RECORD, input=inp)
    else:
        assert await admin.error_code(RECORD, input=inp) == "DEVELOPMENT_TRAINING_INSUFFICIENT"


async def test_political_review_valid_one_year(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "APPLICATION_FORM_FILLED")
    code = await refused(admin, case["id"], "ADMISSION_CONGRESS", doneOn="2023-05-02")
    assert code == "DEVELOPMENT_POLITICAL_REVIEW_EXPIRED"
    await admin.mutate(RECORD, input=step_input(case["id"], "ADMISSION_CONGRESS", {"doneOn": "2023-05-01"}))


async def test_approval_within_3_months_at_most_6_with_reason(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "SUPERIOR_TALK")  # congress on 2022-06-10
    assert await refused(admin, case["id"], "ADMISSION_APPROVED", doneOn="2022-12-11", delayReason="x") == (
        "DEVELOPMENT_APPROVAL_OVERDUE"
    )
    assert await refused(admin, case["id"], "ADMISSION_APPROVED", doneOn="2022-09-11") == (
        "DEVELOPMENT_APPROVAL_DELAY_REASON_REQUIRED"
    )
    other = await start(admin, branch, name="林静")
    await advance(admin, other["id"], "SUPERIOR_TALK")
    await admin.mutate(RECORD, input=step_input(other["id"], "ADMISSION_APPROVED", {"doneOn": "2022-09-10"}))
    late = {"doneOn": "2022-12-10", "delayReason": "上级党委换届，审批顺延"}
    payload = await admin.mutate(RECORD, input=step_input(case["id"], "ADMISSION_APPROVED", late))
    assert payload["developmentCase"]["member"]["status"] == "PROBATIONARY"


async def test_confirmation_only_at_end_of_probation(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "CONFIRMATION_APPLIED")  # probation ends 2023-06-10
    code = await refused(admin, case["id"], "CONFIRMATION_CONGRESS", doneOn="2023-06-09")
    assert code == "DEVELOPMENT_PROBATION_NOT_ENDED"
    await admin.mutate(RECORD, input=step_input(case["id"], "CONFIRMATION_CONGRESS"))
    # the superior committee approves the confirmation within 3 months too (6 with a reason)
    assert await refused(
        admin, case["id"], "CONFIRMATION_APPROVED", doneOn="2023-12-11", delayReason="x"
    ) == ("DEVELOPMENT_APPROVAL_OVERDUE")
    assert await refused(admin, case["id"], "CONFIRMATION_APPROVED", doneOn="2023-09-11") == (
        "DEVELOPMENT_APPROVAL_DELAY_REASON_REQUIRED"
    )
    payload = await admin.mutate(
        RECORD, input=step_input(case["id"], "CONFIRMATION_APPROVED", {"doneOn": "2023-09-10"})
    )
    assert payload["developmentCase"]["member"] == {
        "status": "FULL",
        "joinedOn": "2022-06-10",
        "confirmedOn": "2023-06-10",
    }


@pytest.mark.parametrize(
    ("vote", "code"),
    [
        (None, "DEVELOPMENT_VOTE_REQUIRED"),
        (
            {"entitled": 20, "present": 21, "issued": 21, "returned": 21, "yes": 15},
            "DEVELOPMENT_VOTE_INCONSISTENT",
        ),
        (
            {"entitled": 20, "present": 15, "issued": 16, "returned": 15, "yes": 12},
            "DEVELOPMENT_VOTE_INCONSISTENT",
        ),
        (
            {"entitled": 20, "present": 15, "issued": 15, "returned": 16, "yes": 12},
            "DEVELOPMENT_VOTE_INCONSISTENT",
        ),
        (
            {"entitled": 20, "present": 15, "issued": 15, "returned": 12, "yes": 13},
            "DEVELOPMENT_VOTE_INCONSISTENT",
        ),
        (
            {"entitled": 20, "present": -1, "issued": 0, "returned": 0, "yes": 0},
            "DEVELOPMENT_VOTE_INCONSISTENT",
        ),
        # exactly half present: no quorum
        (
            {"entitled": 20, "present": 10, "issued": 10, "returned": 10, "yes": 10},
            "DEVELOPMENT_VOTE_NO_QUORUM",
        ),
        # a majority of those present but not more than half of those entitled: not passed
        (
            {"entitled": 20, "present": 12, "issued": 12, "returned": 12, "yes": 10},
            "DEVELOPMENT_VOTE_NOT_PASSED",
        ),
        # boundaries that pass: 11 of 20 present, 11 of 20 yes
        ({"entitled": 20, "present": 11, "issued": 11, "returned": 11, "yes": 11}, None),
        ({"entitled": 3, "present": 2, "issued": 2, "returned": 2, "yes": 2}, None),
    ],
)
async def test_congress_vote_checks(admin, tenant, vote, code):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "APPLICATION_FORM_FILLED")
    inp = {**step_input(case["id"], "ADMISSION_CONGRESS"), "vote": vote}
    if code is None:
        payload = await admin.mutate(RECORD, input=inp)
        assert payload["step"]["vote"] == vote
    else:
        assert await admin.error_code(RECORD, input=inp) == code
        with tenant_scope(tenant.id):
            assert await DevelopmentStep.filter(case_id=db_id(case["id"])).count() == 14


CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""


async def test_vote_thresholds_come_from_tenant_config(admin, tenant):
    """DEVELOPMENT_VOTE_NO_QUORUM / _NOT_PASSED read standards.quorum_share (the quorum the
    CONGRESS_QUORUM_NOT_MET rule uses) and development.vote_pass_share instead of a fixed ½."""
    config = (await admin.ok("{ tenant { config } }"))["tenant"]["config"]
    assert (config["standards"]["quorum_share"], config["development"]["vote_pass_share"]) == (0.5, 0.5)
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "APPLICATION_FORM_FILLED")

    def vote(present: int, yes: int) -> dict:
        inp = step_input(case["id"], "ADMISSION_CONGRESS")
        return {
            **inp,
            "vote": {"entitled": 30, "present": present, "issued": present, "returned": present, "yes": yes},
        }

    payload = await admin.mutate(
        CONFIG, patch={"standards": {"quorum_share": 0.6}, "development": {"vote_pass_share": 0.6}}
    )
    quorum = payload["tenant"]["config"]["standards"]["quorum_share"]
    passing = payload["tenant"]["config"]["development"]["vote_pass_share"]
    assert Fraction(str(quorum)) * 30 == 18 and Fraction(str(passing)) * 30 == 18
    # 18 of 30 was a quorum under ½; under 3/5 it is not, nor are 18 yes votes a pass
    assert await admin.error_code(RECORD, input=vote(18, 18)) == "DEVELOPMENT_VOTE_NO_QUORUM"
    assert await admin.error_code(RECORD, input=vote(25, 18)) == "DEVELOPMENT_VOTE_NOT_PASSED"
    result = await admin.execute(RECORD, {"input": vote(25, 18)})
    (error,) = result.data["recordDevelopmentStep"]["errors"]
    assert "3/5" in error["message"]
    payload = await admin.mutate(RECORD, input=vote(19, 19))
    assert payload["step"]["vote"]["yes"] == 19
    # shares must lie strictly between 0 and 1
    assert await admin.error_code(CONFIG, patch={"standards": {"quorum_share": 1}}) == "INVALID_INPUT"


async def test_vote_only_at_congress_steps(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    assert await refused(admin, case["id"], "APPLICATION_TALK", vote=GOOD_VOTE) == "INVALID_INPUT"


async def test_probation_extended_once_by_6_to_12_months(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "CONFIRMATION_APPLIED")  # probation ends 2023-06-10
    base = {"caseId": case["id"], "decidedOn": "2023-06-10", "reason": "理论学习不够深入", "vote": GOOD_VOTE}
    assert await admin.error_code(EXTEND, input={**base, "months": 5}) == "DEVELOPMENT_EXTENSION_OUT_OF_RANGE"
    assert (
        await admin.error_code(EXTEND, input={**base, "months": 13}) == "DEVELOPMENT_EXTENSION_OUT_OF_RANGE"
    )
    early = {**base, "months": 6, "decidedOn": "2023-06-09"}
    assert await admin.error_code(EXTEND, input=early) == "DEVELOPMENT_PROBATION_NOT_ENDED"
    no_vote = {**base, "months": 6, "vote": None}
    assert await admin.error_code(EXTEND, input=no_vote) == "DEVELOPMENT_VOTE_REQUIRED"
    payload = await admin.mutate(EXTEND, input={**base, "months": 6})
    assert payload["developmentCase"] == {
        "probationEndsOn": "2023-12-10",
        "extendedMonths": 6,
        "nextEarliestOn": "2023-12-10",
    }
    again = {**base, "months": 6, "decidedOn": "2023-12-10"}
    assert await admin.error_code(EXTEND, input=again) == "DEVELOPMENT_PROBATION_ALREADY_EXTENDED"
    # confirmation now waits for the end of the extended probation
    code = await refused(admin, case["id"], "CONFIRMATION_CONGRESS", doneOn="2023-12-09")
    assert code == "DEVELOPMENT_PROBATION_NOT_ENDED"
    await admin.mutate(
        RECORD, input=step_input(case["id"], "CONFIRMATION_CONGRESS", {"doneOn": "2023-12-10"})
    )
    payload = await admin.mutate(
        RECORD, input=step_input(case["id"], "CONFIRMATION_APPROVED", {"doneOn": "2024-01-05"})
    )
    assert payload["developmentCase"]["member"]["confirmedOn"] == "2023-12-10"
    data = (await admin.ok(CASE, id=case["id"]))["developmentCase"]
    extension = [s for s in data["steps"] if s["code"] == "PROBATION_EXTENDED"]
    assert extension[0]["extensionMonths"] == 6 and extension[0]["sequence"] is None


OVERDUE = """
query($scope: ID!, $to: Date!) {
  findings(scopeId: $scope, from: "2023-01-01", to: $to, ruleCodes: ["PROBATION_OVERDUE"]) {
    severity message numbers } }"""


async def test_probation_overdue_reads_the_cases_probation_end(admin, tenant):
    """PROBATION_OVERDUE reads the case's probation end: a lawfully extended probation is not
    overdue; past the extended end it warns, past the longest extension it is an ERROR; once the
    confirmation congress has discussed it, the approval step takes over."""
    from core.tenant_config import effective_config

    development = effective_config(tenant)["development"]
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "CONFIRMATION_APPLIED")  # admitted 2022-06-10: probation ends 2023-06-10
    assert development["probation_months"] == 12

    async def overdue(to: str) -> list[dict]:
        return (await admin.ok(OVERDUE, scope=branch["id"], to=to))["findings"]

    (before,) = await overdue("2023-09-30")  # not extended: overdue after 2023-06-10
    assert before["severity"] == "WARNING" and before["numbers"]["extended"] == 0
    await admin.mutate(
        EXTEND,
        input={
            "caseId": case["id"],
            "months": 6,
            "decidedOn": "2023-06-10",
            "reason": "理论学习不够深入",
            "vote": GOOD_VOTE,
        },
    )
    assert await overdue("2023-09-30") == []  # lawfully extended to 2023-12-10
    assert await overdue("2023-12-10") == []
    (late,) = await overdue("2024-01-31")
    assert late["severity"] == "WARNING"
    assert late["numbers"] == {
        "overdue": 1,
        "beyond_extension": 0,
        "extended": 1,
        "probation_months": development["probation_months"],
        "extension_max_months": development["extension_max_months"],
    }
    assert "延长后的预备期" in late["message"]
    # the longest extension (12 months after the original end, 2024-06-10) is over: ERROR
    (hard,) = await overdue("2024-07-31")
    assert hard["severity"] == "ERROR" and hard["numbers"]["beyond_extension"] == 1
    # the confirmation congress discussed it: no longer the rule's business (approval is pending)
    await admin.mutate(
        RECORD, input=step_input(case["id"], "CONFIRMATION_CONGRESS", {"doneOn": "2023-12-12"})
    )
    assert await overdue("2024-01-31") == []


async def test_disqualify_probationary_member_needs_a_vote(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "CONFIRMATION_APPLIED")
    base = {"caseId": case["id"], "closedOn": "2023-06-12", "reason": "不具备党员条件"}
    assert await admin.error_code(CLOSE, input=base) == "DEVELOPMENT_VOTE_REQUIRED"
    payload = await admin.mutate(CLOSE, input={**base, "vote": GOOD_VOTE})
    assert payload["developmentCase"]["status"] == "DISQUALIFIED"
    assert payload["developmentCase"]["member"]["status"] == "LEFT"
    assert await refused(admin, case["id"], "CONFIRMATION_CONGRESS") == "DEVELOPMENT_CASE_CLOSED"


async def test_withdraw_an_activist(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    await advance(admin, case["id"], "MENTORS_ASSIGNED")
    payload = await admin.mutate(
        CLOSE, input={"caseId": case["id"], "closedOn": "2021-12-01", "reason": "本人撤回申请"}
    )
    assert payload["developmentCase"]["status"] == "WITHDRAWN"
    assert payload["developmentCase"]["member"]["status"] == "LEFT"


async def test_timing_numbers_come_from_tenant_config(admin, tenant):
    from core.tenant_config import update_config

    await update_config(tenant, {"development": {"talk_within_months": 2, "min_applicant_age": 20}})
    _, (branch,) = await make_branches(admin)
    code = await admin.error_code(
        START,
        input={
            "branchId": branch["id"],
            "appliedOn": "2021-03-01",
            "applicant": {"name": "甲", "birthDate": "2002-01-01"},
        },
    )
    assert code == "DEVELOPMENT_APPLICANT_TOO_YOUNG"
    case = await start(admin, branch, applied_on="2021-01-31")
    await admin.mutate(RECORD, input=step_input(case["id"], "APPLICATION_TALK", {"doneOn": "2021-03-31"}))


LIST = """
query($filter: DevelopmentCaseFilter) {
  developmentCases(filter: $filter, first: 50) {
    totalCount nodes { member { name } currentStage nextStep { code } }
  }
}
"""


async def test_case_list_filters_and_scoping(admin, tenant):
    _, (one, two) = await make_branches(admin, "一支部", "二支部")
    a = await start(admin, one, name="甲")
    await advance(admin, a["id"], "MENTORS_ASSIGNED")
    await start(admin, one, name="乙")
    await start(admin, two, name="丙")
    rows = (await admin.ok(LIST, filter={"stages": [2]}))["developmentCases"]
    assert [n["member"]["name"] for n in rows["nodes"]] == ["甲"]
    assert rows["nodes"][0]["nextStep"] == {"code": "ACTIVIST_EDUCATED"}
    due = (await admin.ok(LIST, filter={"dueBefore": "2021-04-01"}))["developmentCases"]
    assert {n["member"]["name"] for n in due["nodes"]} == {"乙", "丙"}

    reader = GraphQLClient(
        Principal(
            tenant_id=tenant.id,
            label="一支部书记",
            grants={"DEVELOPMENT_READ": (one["path"],), "ORG_READ": (one["path"],)},
        )
    )
    mine = (await reader.ok(LIST))["developmentCases"]
    assert {n["member"]["name"] for n in mine["nodes"]} == {"甲", "乙"}
    other_case = (await admin.ok(LIST, filter={"branchId": two["id"]}))["developmentCases"]
    assert other_case["totalCount"] == 1
    with tenant_scope(tenant.id):
        third = await DevelopmentCase.filter(member__name="丙").first()
    gid = base64.b64encode(f"DevelopmentCase:{third.id}".encode()).decode()
    result = await reader.execute(CASE, id=gid)
    assert result.errors and result.errors[0].extensions["code"] == "PERMISSION_DENIED"


async def test_steps_query_lists_the_25_steps(admin):
    data = await admin.ok("{ developmentSteps { sequence code label stage stageLabel congress } }")
    steps = data["developmentSteps"]
    assert len(steps) == 25 and steps[0]["code"] == "APPLICATION_SUBMITTED"
    assert steps[-1] == {
        "sequence": 25,
        "code": "MATERIALS_ARCHIVED",
        "label": "材料归档",
        "stage": 5,
        "stageLabel": "预备党员的教育考察和转正",
        "congress": False,
    }
    assert [s["code"] for s in steps if s["congress"]] == ["ADMISSION_CONGRESS", "CONFIRMATION_CONGRESS"]


NESTED = """
query {
  developmentCases(first: 50) {
    totalCount
    nodes {
      status currentStage nextStep { code } nextDueOn
      member { name status branch { name } }
      branch { name }
      steps { code label doneOn vote { yes } }
    }
  }
}
"""


async def test_case_list_statement_count_is_constant(admin):
    from tests.support import count_statements

    _, (one, two) = await make_branches(admin, "一支部", "二支部")
    counts = []
    for extra in (2, 8):
        for i in range(extra if not counts else extra - 2):
            case = await start(admin, (one, two)[i % 2], name=f"人员{len(counts)}{i}")
            await advance(admin, case["id"], "ACTIVIST_DESIGNATED")
        with count_statements() as statements:
            data = await admin.ok(NESTED)
        assert data["developmentCases"]["totalCount"] == extra
        assert all(len(n["steps"]) == 3 for n in data["developmentCases"]["nodes"])
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


async def test_concurrent_recording_of_the_same_step_records_it_once(admin, tenant):
    import asyncio

    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch)
    results = await asyncio.gather(
        *(admin.execute(RECORD, input=step_input(case["id"], "APPLICATION_TALK")) for _ in range(3))
    )
    payloads = [r.data["recordDevelopmentStep"] for r in results]
    assert sum(1 for p in payloads if not p["errors"]) == 1
    assert {p["errors"][0]["code"] for p in payloads if p["errors"]} == {"DEVELOPMENT_STEP_ALREADY_RECORDED"}
    with tenant_scope(tenant.id):
        assert await DevelopmentStep.filter(case_id=db_id(case["id"]), code="APPLICATION_TALK").count() == 1
        assert (await DevelopmentCase.get(id=db_id(case["id"]))).last_sequence == 2


async def test_case_for_an_applicant_already_on_the_roster(admin):
    create = """mutation($input: CreateMemberInput!) {
        createMember(input: $input) { errors { code message } member { id } } }"""
    _, (branch, other) = await make_branches(admin, "一支部", "二支部")

    async def person(name: str, status: str, birth: str | None = "1990-02-02", where: dict = branch) -> str:
        inp = {"name": name, "branchId": where["id"], "status": status, "birthDate": birth}
        return (await admin.mutate(create, input=inp))["member"]["id"]

    applicant = await person("何平", "APPLICANT")
    base = {"branchId": branch["id"], "appliedOn": "2021-03-01"}
    payload = await admin.mutate(START, input={**base, "memberId": applicant})
    assert payload["developmentCase"]["member"] == {"id": applicant, "name": "何平", "status": "APPLICANT"}
    assert await admin.error_code(START, input={**base, "memberId": applicant}) == "DEVELOPMENT_CASE_EXISTS"
    full = await person("老党员", "FULL")
    assert await admin.error_code(START, input={**base, "memberId": full}) == "DEVELOPMENT_NOT_AN_APPLICANT"
    elsewhere = await person("外支部", "APPLICANT", where=other)
    assert await admin.error_code(START, input={**base, "memberId": elsewhere}) == (
        "DEVELOPMENT_NOT_AN_APPLICANT"
    )
    undated = await person("无生日", "APPLICANT", birth=None)
    assert await admin.error_code(START, input={**base, "memberId": undated}) == (
        "DEVELOPMENT_BIRTH_DATE_REQUIRED"
    )
    assert await admin.error_code(START, input=base) == "INVALID_INPUT"  # neither applicant nor member
