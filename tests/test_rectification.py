"""Rectification (整改销号) through GraphQL: the problem/task/responsibility lists, who may close,
typed errors for wrong steps, overdue items, the summary, idempotent opening from findings."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord
from core.principal import Principal
from core.rectification.common import today
from core.rectification.models import RectificationItem
from core.tenancy import tenant_scope
from tests.core_factories import db_id, member, org
from tests.support import GraphQLClient

ITEM_FIELDS = """
  id status statusLabel title severity deadline overdue daysOverdue findingResolved ruleCode period
  organizationName owner { name } closedBy closeComment reopenCount
  tasks { id title done assignee { name } }
  evidence { description documentRef addedBy }
  history { fromStatus toStatus comment actor }
"""
OPEN = f"""
mutation($input: OpenRectificationItemInput!) {{
  openRectificationItem(input: $input) {{ errors {{ code message field }} item {{ {ITEM_FIELDS} }} }}
}}
"""
ADD_TASK = f"""
mutation($input: AddRectificationTaskInput!) {{
  addRectificationTask(input: $input) {{
    errors {{ code message }} task {{ id done }} item {{ {ITEM_FIELDS} }}
  }}
}}
"""
TASK_DONE = """
mutation($input: SetRectificationTaskDoneInput!) {
  setRectificationTaskDone(input: $input) { errors { code message } task { done doneAt } }
}
"""
ADD_EVIDENCE = f"""
mutation($input: AddRectificationEvidenceInput!) {{
  addRectificationEvidence(input: $input) {{ errors {{ code message }} item {{ {ITEM_FIELDS} }} }}
}}
"""


def action(name: str) -> str:
    return f"""
mutation($input: RectificationActionInput!) {{
  {name}(input: $input) {{ errors {{ code message field }} item {{ {ITEM_FIELDS} }} }}
}}
"""


SUBMIT, CLOSE, RETURN, REOPEN, START = (
    action(n)
    for n in (
        "submitRectificationItem",
        "closeRectificationItem",
        "returnRectificationItem",
        "reopenRectificationItem",
        "startRectificationItem",
    )
)
DEADLINE = f"""
mutation($input: SetRectificationDeadlineInput!) {{
  setRectificationDeadline(input: $input) {{ errors {{ code message field }} item {{ {ITEM_FIELDS} }} }}
}}
"""
ITEMS = """
query($filter: RectificationItemFilter, $first: Int) {
  rectificationItems(filter: $filter, first: $first) {
    totalCount nodes { title status overdue organizationName }
  }
}
"""
SUMMARY = """
query($scopeId: ID) {
  rectificationSummary(scopeId: $scopeId) {
    total unclosed closed overdue byStatus { status label count }
  }
}
"""

MANAGE = ("RECTIFICATION_READ", "RECTIFICATION_MANAGE", "ORG_READ")


def client_for(tenant, label: str, paths: dict[str, tuple[str, ...]]) -> GraphQLClient:
    """A caller holding each listed permission on the given path prefixes."""
    return GraphQLClient(Principal(tenant_id=tenant.id, label=label, grants=paths))


def branch_client(tenant, branch: dict) -> GraphQLClient:
    """The branch secretary: manages its own branch's items, and holds CLOSE only on its own path."""
    grants = {p: (branch["path"],) for p in MANAGE}
    grants["RECTIFICATION_CLOSE"] = (branch["path"],)
    return client_for(tenant, "支部书记", grants)


def superior_client(tenant, committee: dict) -> GraphQLClient:
    """The superior committee: reads and closes items in its subtree."""
    perms = ("RECTIFICATION_READ", "RECTIFICATION_CLOSE", "ORG_READ")
    return client_for(tenant, "上级党委", {p: (committee["path"],) for p in perms})


async def setup(admin) -> dict:
    committee = await org(admin, "PARTY_COMMITTEE", "某镇党委")
    branch = await org(admin, "BRANCH", "某村党支部", committee)
    other = await org(admin, "BRANCH", "另一村党支部", committee)
    secretary = await member(admin, branch, "李书记")
    return {"committee": committee, "branch": branch, "other": other, "secretary": secretary}


async def test_item_walks_the_closure_loop_with_evidence_and_a_superior(admin, tenant):
    t = await setup(admin)
    branch_user = branch_client(tenant, t["branch"])
    superior = superior_client(tenant, t["committee"])
    opened = await branch_user.mutate(
        OPEN,
        input={
            "organizationId": t["branch"]["id"],
            "title": "三会一课记录不全",
            "severity": "ERROR",
            "ownerMemberId": t["secretary"]["id"],
        },
    )
    item = opened["item"]
    assert item["status"] == "OPEN" and item["owner"]["name"] == "李书记"
    assert item["organizationName"] == "某村党支部" and not item["overdue"]
    # deadline defaults to today + rectification.deadline_days.ERROR (30)
    deadline = dt.date.fromisoformat(item["deadline"])
    assert 29 <= (deadline - today()).days <= 31
    iid = item["id"]

    # no evidence: neither submit nor close
    assert await branch_user.error_code(SUBMIT, input={"id": iid}) == "RECTIFICATION_EVIDENCE_REQUIRED"
    assert await superior.error_code(CLOSE, input={"id": iid}) == "RECTIFICATION_EVIDENCE_REQUIRED"

    task = await branch_user.mutate(
        ADD_TASK,
        input={"itemId": iid, "title": "补记三月支委会记录", "assigneeMemberId": t["secretary"]["id"]},
    )
    assert task["item"]["status"] == "IN_PROGRESS"  # the first task starts the work
    evidence = await branch_user.mutate(
        ADD_EVIDENCE,
        input={"itemId": iid, "description": "补记的会议记录扫描件", "documentRef": "档案-2025-031"},
    )
    assert evidence["item"]["evidence"] == [
        {"description": "补记的会议记录扫描件", "documentRef": "档案-2025-031", "addedBy": "支部书记"}
    ]
    # a task still open blocks submission
    assert await branch_user.error_code(SUBMIT, input={"id": iid}) == "RECTIFICATION_TASKS_PENDING"
    await branch_user.mutate(TASK_DONE, input={"id": task["task"]["id"]})
    submitted = await branch_user.mutate(SUBMIT, input={"id": iid, "comment": "已整改"})
    assert submitted["item"]["status"] == "SUBMITTED"
    # submitted items are locked for the branch
    assert (
        await branch_user.error_code(ADD_EVIDENCE, input={"itemId": iid, "description": "x"})
        == "RECTIFICATION_ITEM_LOCKED"
    )

    # the branch cannot close its own item, even holding CLOSE on its own path
    assert await branch_user.error_code(CLOSE, input={"id": iid}) == "PERMISSION_DENIED"
    # the superior returns it once, with a reason
    assert await superior.error_code(RETURN, input={"id": iid}) == "INVALID_INPUT"
    returned = await superior.mutate(RETURN, input={"id": iid, "comment": "记录缺少签字"})
    assert returned["item"]["status"] == "REOPENED"
    await branch_user.mutate(ADD_EVIDENCE, input={"itemId": iid, "description": "补签字后的记录"})
    await branch_user.mutate(SUBMIT, input={"id": iid})

    closed = (await superior.mutate(CLOSE, input={"id": iid, "comment": "同意销号"}))["item"]
    assert closed["status"] == "CLOSED" and closed["findingResolved"] is True
    assert closed["closedBy"] == "上级党委" and closed["closeComment"] == "同意销号"
    assert [(h["fromStatus"], h["toStatus"]) for h in closed["history"]] == [
        ("", "OPEN"),
        ("OPEN", "IN_PROGRESS"),
        ("IN_PROGRESS", "SUBMITTED"),
        ("SUBMITTED", "REOPENED"),
        ("REOPENED", "IN_PROGRESS"),
        ("IN_PROGRESS", "SUBMITTED"),
        ("SUBMITTED", "CLOSED"),
    ]
    # wrong transitions are refused with a typed error and change nothing
    assert await superior.error_code(CLOSE, input={"id": iid}) == "RECTIFICATION_INVALID_TRANSITION"
    assert await branch_user.error_code(START, input={"id": iid}) == "RECTIFICATION_INVALID_TRANSITION"
    assert await branch_user.error_code(SUBMIT, input={"id": iid}) == "RECTIFICATION_INVALID_TRANSITION"
    with tenant_scope(tenant.id):
        row = await RectificationItem.get(id=db_id(iid))
        assert row.status == "CLOSED" and row.open_key is None
        records = await AuditRecord.filter(operation="closeRectificationItem").all()
        assert len(records) == 1 and records[0].after["status"] == "CLOSED"
        assert records[0].actor == "上级党委"
        assert await AuditRecord.filter(operation="submitRectificationItem").count() == 2

    # the superior may reopen a closed item with a reason
    reopened = (await superior.mutate(REOPEN, input={"id": iid, "comment": "检查发现问题反弹"}))["item"]
    assert reopened["status"] == "REOPENED" and reopened["reopenCount"] == 1
    assert reopened["findingResolved"] is False


async def test_other_subtrees_and_unauthorized_callers_are_refused(admin, tenant):
    t = await setup(admin)
    other_user = branch_client(tenant, t["other"])
    # a branch cannot open items for another branch
    code = await other_user.error_code(OPEN, input={"organizationId": t["branch"]["id"], "title": "x"})
    assert code == "PERMISSION_DENIED"
    opened = await admin.mutate(OPEN, input={"organizationId": t["branch"]["id"], "title": "阵地建设不达标"})
    iid = opened["item"]["id"]
    assert await other_user.error_code(ADD_TASK, input={"itemId": iid, "title": "x"}) == "PERMISSION_DENIED"
    # reading: a branch sees only its own items
    assert (await other_user.ok(ITEMS))["rectificationItems"]["totalCount"] == 0
    assert (await branch_client(tenant, t["branch"]).ok(ITEMS))["rectificationItems"]["totalCount"] == 1
    single = await other_user.execute("query($id: ID!) { rectificationItem(id: $id) { title } }", id=iid)
    assert single.errors[0].extensions["code"] == "PERMISSION_DENIED"
    # a caller without RECTIFICATION_CLOSE anywhere cannot close
    reader = client_for(tenant, "只读", {"RECTIFICATION_READ": ("/",)})
    assert await reader.error_code(CLOSE, input={"id": iid}) == "PERMISSION_DENIED"
    # bad input: nothing is created, nothing audited
    with tenant_scope(tenant.id):
        before = await AuditRecord.all().count()
    assert await admin.error_code(OPEN, input={"organizationId": t["branch"]["id"], "title": " "}) == (
        "INVALID_INPUT"
    )
    code = await admin.error_code(
        OPEN, input={"organizationId": t["branch"]["id"], "title": "x", "deadline": "2000-01-01"}
    )
    assert code == "RECTIFICATION_DEADLINE_PAST"
    with tenant_scope(tenant.id):
        assert await AuditRecord.all().count() == before
        assert await RectificationItem.all().count() == 1


async def test_deadlines_are_set_by_a_superior_and_overdue_items_show(admin, tenant):
    t = await setup(admin)
    branch_user = branch_client(tenant, t["branch"])
    superior = superior_client(tenant, t["committee"])
    late = (await admin.mutate(OPEN, input={"organizationId": t["branch"]["id"], "title": "逾期事项"}))[
        "item"
    ]
    ontime = (await admin.mutate(OPEN, input={"organizationId": t["branch"]["id"], "title": "未到期"}))[
        "item"
    ]
    elsewhere = (await admin.mutate(OPEN, input={"organizationId": t["other"]["id"], "title": "另一支部"}))[
        "item"
    ]
    with tenant_scope(tenant.id):  # time passes: the deadline of one item is behind us
        await RectificationItem.filter(id=db_id(late["id"])).update(deadline=today() - dt.timedelta(days=3))

    overdue = (await admin.ok(ITEMS, filter={"overdue": True}))["rectificationItems"]
    assert overdue["totalCount"] == 1 and overdue["nodes"][0]["title"] == "逾期事项"
    assert overdue["nodes"][0]["overdue"] is True
    not_overdue = (await admin.ok(ITEMS, filter={"overdue": False}))["rectificationItems"]
    assert sorted(n["title"] for n in not_overdue["nodes"]) == ["另一支部", "未到期"]
    day = await admin.ok("query($id: ID!) { rectificationItem(id: $id) { daysOverdue } }", id=late["id"])
    assert day["rectificationItem"]["daysOverdue"] == 3

    # the branch cannot move its own deadline; the superior can (with a reason), not into the past
    new_deadline = (today() + dt.timedelta(days=10)).isoformat()
    payload = {"id": late["id"], "deadline": new_deadline, "reason": "汛期延后"}
    assert await branch_user.error_code(DEADLINE, input=payload) == "PERMISSION_DENIED"
    past = {**payload, "deadline": "2001-01-01"}
    assert await superior.error_code(DEADLINE, input=past) == "RECTIFICATION_DEADLINE_PAST"
    moved = (await superior.mutate(DEADLINE, input=payload))["item"]
    assert moved["deadline"] == new_deadline and moved["overdue"] is False
    assert "汛期延后" in moved["history"][-1]["comment"]

    summary = (await admin.ok(SUMMARY, scopeId=t["committee"]["id"]))["rectificationSummary"]
    assert summary["total"] == 3 and summary["unclosed"] == 3 and summary["overdue"] == 0
    by_status = {s["status"]: s["count"] for s in summary["byStatus"]}
    assert by_status["OPEN"] == 3 and by_status["CLOSED"] == 0
    branch_summary = (await branch_user.ok(SUMMARY))["rectificationSummary"]
    assert branch_summary["total"] == 2  # only what the caller may see
    denied = await branch_user.execute(SUMMARY, scopeId=t["committee"]["id"])
    assert denied.errors[0].extensions["code"] == "PERMISSION_DENIED"  # a scope above the caller
    scoped = (await admin.ok(SUMMARY, scopeId=t["other"]["id"]))["rectificationSummary"]
    assert scoped["total"] == 1
    filtered = (await admin.ok(ITEMS, filter={"organizationId": t["other"]["id"]}))["rectificationItems"]
    assert [n["title"] for n in filtered["nodes"]] == [elsewhere["title"]]
    del ontime


async def test_manual_item_with_a_rule_code_is_unique_while_unclosed(admin, tenant):
    t = await setup(admin)
    payload = {
        "organizationId": t["branch"]["id"],
        "title": "支委会未按月召开",
        "ruleCode": "ACTIVITY_MISSING",
        "period": "2025-03",
    }
    first = (await admin.mutate(OPEN, input=payload))["item"]
    assert first["ruleCode"] == "ACTIVITY_MISSING" and first["period"] == "2025-03"
    assert await admin.error_code(OPEN, input=payload) == "RECTIFICATION_ALREADY_OPEN"
    other_period = (await admin.mutate(OPEN, input={**payload, "period": "2025-04"}))["item"]
    assert other_period["period"] == "2025-04"


async def test_owner_from_a_user_account_and_list_cost_is_constant(admin, tenant):
    from core.access.models import User
    from tests.core_factories import gid
    from tests.support import count_statements

    t = await setup(admin)
    with tenant_scope(tenant.id):
        user = await User.create(username="li", password_hash="x", member_id=db_id(t["secretary"]))
        gone = await User.create(username="old", password_hash="x", is_active=False)
    item = (
        await admin.mutate(
            OPEN,
            input={
                "organizationId": t["branch"]["id"],
                "title": "台账不全",
                "ownerUserId": gid("User", user.id),
            },
        )
    )["item"]
    assert item["owner"] == {"name": "李书记"}  # the account's member is the owner
    code = await admin.error_code(
        OPEN, input={"organizationId": t["branch"]["id"], "title": "x", "ownerUserId": gid("User", gone.id)}
    )
    assert code == "RECTIFICATION_OWNER_INVALID"
    mine = await admin.ok(
        "query($f: RectificationItemFilter) { rectificationItems(filter: $f) { totalCount } }",
        f={"ownerUserId": gid("User", user.id)},
    )
    assert mine["rectificationItems"]["totalCount"] == 1

    listing = (
        f"query {{ rectificationItems(first: 50) {{ nodes {{ {ITEM_FIELDS} organization {{ name }} }} }} }}"
    )

    async def cost() -> int:
        with count_statements() as statements:
            await admin.ok(listing)
        return len(statements)

    async def add_items(n: int) -> None:
        for i in range(n):
            iid = (await admin.mutate(OPEN, input={"organizationId": t["other"]["id"], "title": f"问题{i}"}))[
                "item"
            ]["id"]
            await admin.mutate(
                ADD_TASK, input={"itemId": iid, "title": "任务", "assigneeMemberId": t["secretary"]["id"]}
            )
            await admin.mutate(ADD_EVIDENCE, input={"itemId": iid, "description": "材料"})

    await add_items(2)
    small = await cost()
    await add_items(6)
    assert await cost() == small  # nested owner/tasks/evidence/history/organization load in batches
