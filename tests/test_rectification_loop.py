"""The closed loop end to end: a failing rule → a score run → rectification items (idempotent) →
tasks → the data is fixed → evidence → submitted → closed (销号) by the superior → scoring again
shows the finding gone and the branch's score improved. Closing without fixing does not hide the
problem: the next run's finding opens a new item."""

from __future__ import annotations

import datetime as dt

from core.principal import Principal
from core.standards.models import BranchScoreRecord, FindingRecord
from core.tenancy import tenant_scope
from tests.core_factories import db_id, gid, member, org
from tests.support import GraphQLClient

RULE = "BRANCH_MIN_FULL_MEMBERS"
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))

OPEN_MANY = """
mutation($input: OpenRectificationItemsInput!) {
  openRectificationItems(input: $input) {
    errors { code message field }
    created {
      id title description numbers ruleCode period findingId scoreRunId severity area owner { name }
      organizationName status
    }
    createdCount alreadyOpen { id } alreadyOpenCount
  }
}
"""
ITEM = """
query($id: ID!) {
  rectificationItem(id: $id) { status findingResolved tasks { done } evidence { description } }
}
"""
ADD_TASK = """
mutation($input: AddRectificationTaskInput!) {
  addRectificationTask(input: $input) { errors { code } task { id } }
}
"""
TASK_DONE = """
mutation($input: SetRectificationTaskDoneInput!) {
  setRectificationTaskDone(input: $input) { errors { code } }
}
"""
EVIDENCE = """
mutation($input: AddRectificationEvidenceInput!) {
  addRectificationEvidence(input: $input) { errors { code } }
}
"""
SUBMIT = """
mutation($input: RectificationActionInput!) { submitRectificationItem(input: $input) { errors { code } } }
"""
CLOSE = """
mutation($input: RectificationActionInput!) {
  closeRectificationItem(input: $input) { errors { code } item { status findingResolved } }
}
"""
START_TERM = """
mutation($input: StartCommitteeTermInput!) { startCommitteeTerm(input: $input) { errors { code message } } }
"""


RUN = """
mutation($input: RunScoringInput!) {
  runScoring(input: $input) {
    errors { code message }
    run { id scores(first: 100) { nodes { total organization { id } findings { ruleCode } } } }
  }
}
"""


async def score(admin, scope: dict) -> dict:
    """Score the subtree for 2025 through GraphQL (the engine's runScoring); the stored run."""
    payload = await admin.mutate(
        RUN,
        input={
            "scopeId": scope["id"],
            "periodStart": PERIOD[0].isoformat(),
            "periodEnd": PERIOD[1].isoformat(),
        },
    )
    return payload["run"]


def branch_result(run: dict, branch: dict) -> tuple[float, set[str]]:
    (node,) = [n for n in run["scores"]["nodes"] if n["organization"]["id"] == branch["id"]]
    return node["total"], {f["ruleCode"] for f in node["findings"]}


async def test_failing_rule_to_closed_item_and_a_better_score(admin, tenant):
    committee = await org(admin, "PARTY_COMMITTEE", "某镇党委")
    branch = await org(admin, "BRANCH", "某村党支部", committee)
    secretary = await member(admin, branch, "李书记", joinedOn="2001-07-01")
    await member(admin, branch, "王委员", joinedOn="2010-07-01")
    await admin.mutate(
        START_TERM,
        input={
            "organizationId": branch["id"],
            "startsOn": "2024-01-01",
            "seats": [{"role": "SECRETARY", "memberId": secretary["id"]}],
        },
    )
    branch_user = GraphQLClient(
        Principal(
            tenant_id=tenant.id,
            label="支部书记",
            grants={
                p: (branch["path"],) for p in ("RECTIFICATION_READ", "RECTIFICATION_MANAGE", "MEMBER_MANAGE")
            },
        )
    )
    superior = GraphQLClient(
        Principal(
            tenant_id=tenant.id,
            label="镇党委",
            grants={p: (committee["path"],) for p in ("RECTIFICATION_READ", "RECTIFICATION_CLOSE")},
        )
    )

    # 1. the rule fails: two full members, fewer than 3
    first_run = await score(admin, committee)
    total_before, codes_before = branch_result(first_run, branch)
    assert RULE in codes_before

    # 2. the run's finding opens an item, owned by the branch secretary; opening again is idempotent
    request = {"scopeId": committee["id"], "scoreRunId": first_run["id"], "ruleCodes": [RULE]}
    opened = await admin.mutate(OPEN_MANY, input=request)
    assert len(opened["created"]) == 1 and opened["alreadyOpen"] == []
    item = opened["created"][0]
    assert item["ruleCode"] == RULE and item["scoreRunId"] == first_run["id"] and item["findingId"]
    assert item["owner"]["name"] == "李书记" and item["severity"] == "ERROR"
    assert item["area"] == "ORGANIZATION_SETUP" and item["period"]
    # titled by the rule, described by the finding's message with its numbers
    from core.standards.rules.organization import BranchMinFullMembers

    assert item["title"] == BranchMinFullMembers.title and "正式党员2名" in item["description"]
    assert item["numbers"] == {"full_members": 2, "min_full_members": 3}
    again = await admin.mutate(OPEN_MANY, input=request)
    assert again["created"] == [] and [i["id"] for i in again["alreadyOpen"]] == [item["id"]]
    assert again["createdCount"] == 0 and again["alreadyOpenCount"] == 1
    # the live evaluation of the same period finds the same problem and does not duplicate it
    live = await admin.mutate(
        OPEN_MANY,
        input={
            "scopeId": committee["id"],
            "periodStart": PERIOD[0].isoformat(),
            "periodEnd": PERIOD[1].isoformat(),
            "ruleCodes": [RULE],
        },
    )
    assert live["created"] == [] and [i["id"] for i in live["alreadyOpen"]] == [item["id"]]

    # 3. tasks, the actual fix (a third full member transferred in), evidence, submission
    task = await branch_user.mutate(
        ADD_TASK,
        input={
            "itemId": item["id"],
            "title": "接转一名正式党员组织关系",
            "assigneeMemberId": secretary["id"],
        },
    )
    await member(admin, branch, "赵党员", joinedOn="2015-07-01")
    await branch_user.mutate(TASK_DONE, input={"id": task["task"]["id"]})
    await branch_user.mutate(EVIDENCE, input={"itemId": item["id"], "description": "组织关系介绍信回执"})
    await branch_user.mutate(SUBMIT, input={"id": item["id"]})

    # 4. the superior closes it (销号); the finding is marked resolved
    closed = await superior.mutate(CLOSE, input={"id": item["id"], "comment": "已核实"})
    assert closed["item"] == {"status": "CLOSED", "findingResolved": True}
    seen = (await superior.ok(ITEM, id=item["id"]))["rectificationItem"]
    assert seen["tasks"] == [{"done": True}] and seen["evidence"] == [{"description": "组织关系介绍信回执"}]

    # 5. scoring again: the rule no longer fires for the branch and its score went up
    second_run = await score(admin, committee)
    total_after, codes_after = branch_result(second_run, branch)
    assert RULE not in codes_after
    assert total_after > total_before
    assert (await admin.mutate(OPEN_MANY, input={**request, "scoreRunId": second_run["id"]}))["created"] == []


async def test_closing_without_a_fix_does_not_hide_the_problem(admin, tenant):
    committee = await org(admin, "PARTY_COMMITTEE", "某镇党委")
    branch = await org(admin, "BRANCH", "小支部", committee)
    await member(admin, branch, "甲")
    first_run = await score(admin, committee)
    request = {"scopeId": committee["id"], "scoreRunId": first_run["id"], "ruleCodes": [RULE]}
    item = (await admin.mutate(OPEN_MANY, input=request))["created"][0]
    await admin.mutate(EVIDENCE, input={"itemId": item["id"], "description": "情况说明"})
    await admin.mutate(SUBMIT, input={"id": item["id"]})
    await admin.mutate(CLOSE, input={"id": item["id"]})
    # nothing changed in the data: the next run finds it again and a new item opens
    second_run = await score(admin, committee)
    reopened = await admin.mutate(OPEN_MANY, input={**request, "scoreRunId": second_run["id"]})
    assert len(reopened["created"]) == 1 and reopened["created"][0]["id"] != item["id"]
    # an unknown source is a typed error
    code = (await admin.execute(OPEN_MANY, input={"scopeId": committee["id"]})).data[
        "openRectificationItems"
    ]["errors"][0]["code"]
    assert code == "INVALID_INPUT"


async def test_flagged_only_and_finding_ids_pick_the_findings(admin, tenant, monkeypatch):
    from core.rectification import items as item_service

    monkeypatch.setattr(item_service, "CHUNK", 3)  # key lookups are chunked for big runs
    committee = await org(admin, "PARTY_COMMITTEE", "某镇党委")
    weak = await org(admin, "BRANCH", "弱支部", committee)
    other = await org(admin, "BRANCH", "另一支部", committee)
    run = await score(admin, committee)
    run_id = db_id(run["id"])
    with tenant_scope(tenant.id):
        # the run's scorer sent only one branch to rectification (as the rural scorer does for ≤ 2 stars)
        await BranchScoreRecord.filter(run_id=run_id, organization_id=db_id(weak)).update(
            needs_rectification=True
        )
        await BranchScoreRecord.filter(run_id=run_id, organization_id=db_id(other)).update(
            needs_rectification=False
        )
        other_finding = await FindingRecord.filter(run_id=run_id, organization_id=db_id(other)).first()
        weak_keys = set(
            await FindingRecord.filter(run_id=run_id, branch_id=db_id(weak)).values_list(
                "rule_code", "period"
            )
        )
    flagged = await admin.mutate(
        OPEN_MANY, input={"scopeId": committee["id"], "scoreRunId": run["id"], "flaggedOnly": True}
    )
    assert {i["organizationName"] for i in flagged["created"]} == {"弱支部"}
    # one item per (organization, rule, period): e.g. each missing month is its own problem
    assert {(i["ruleCode"], i["period"]) for i in flagged["created"]} == weak_keys
    by_id = await admin.mutate(
        OPEN_MANY, input={"scopeId": committee["id"], "findingIds": [gid("StoredFinding", other_finding.id)]}
    )
    (item,) = by_id["created"]
    assert item["organizationName"] == "另一支部" and item["findingId"] == gid(
        "StoredFinding", other_finding.id
    )
    # findings outside the caller's scope are ignored
    outside = await admin.mutate(
        OPEN_MANY, input={"scopeId": weak["id"], "findingIds": [gid("StoredFinding", other_finding.id)]}
    )
    assert outside["created"] == [] and outside["alreadyOpen"] == []


async def test_concurrent_opening_never_duplicates_and_tenants_stay_apart(admin, tenant):
    import asyncio

    from core.rectification.models import RectificationItem
    from tests.support import make_tenant

    committee = await org(admin, "PARTY_COMMITTEE", "某镇党委")
    await org(admin, "BRANCH", "小支部", committee)
    run = await score(admin, committee)
    request = {"scopeId": committee["id"], "scoreRunId": run["id"]}
    results = await asyncio.gather(*(admin.execute(OPEN_MANY, input=request) for _ in range(3)))
    created = 0
    for result in results:
        assert not result.errors, result.errors  # nothing masked: typed errors only
        payload = result.data["openRectificationItems"]
        if payload["errors"]:
            assert payload["errors"][0]["code"] == "RECTIFICATION_CONCURRENT_CHANGE"
        created += len(payload["created"])
    with tenant_scope(tenant.id):
        keys = await RectificationItem.all().values_list("open_key", flat=True)
        findings = await FindingRecord.filter(run_id=db_id(run["id"])).values_list(
            "organization_id", "rule_code", "period"
        )
    assert len(keys) == len(set(keys)) == len(set(findings)) == created

    # another tenant sees none of it, not even by ID
    stranger = GraphQLClient(Principal.tenant_admin((await make_tenant()).id))
    listing = await stranger.ok("{ rectificationItems { totalCount } rectificationSummary { total } }")
    assert listing == {"rectificationItems": {"totalCount": 0}, "rectificationSummary": {"total": 0}}
    any_item = gid("RectificationItem", keys and (await _first_item_id(tenant)))
    single = await stranger.ok("query($id: ID!) { rectificationItem(id: $id) { title } }", id=any_item)
    assert single == {"rectificationItem": None}


async def _first_item_id(tenant) -> int:
    from core.rectification.models import RectificationItem

    with tenant_scope(tenant.id):
        return (await RectificationItem.all().order_by("id").first()).id
