"""Relation transfers through GraphQL: history, letters out and in, members abroad, access after a move."""

from __future__ import annotations

import base64

from core.lifecycle.models import RelationTransfer
from core.models import Member
from core.principal import Principal
from core.tenancy import tenant_scope
from tests.support import GraphQLClient, make_tenant
from tests.test_development import (
    CREATE_ORG,
    RECORD,
    advance,
    db_id,
    id_number,
    make_branches,
    start,
    step_input,
)

CREATE_MEMBER = """
mutation($input: CreateMemberInput!) {
  createMember(input: $input) { errors { code message } member { id name status } }
}
"""
TRANSFER = """
mutation($input: TransferMemberInput!) {
  transferMember(input: $input) {
    errors { code message field }
    transfer {
      id kind status personName letterNumber issuedOn completedOn abroad externalOrganization
      fromOrganization { name } toOrganization { name }
      member { name branch { name } categories { code } }
    }
  }
}
"""
ISSUE = """
mutation($input: IssueTransferLetterInput!) {
  issueTransferLetter(input: $input) {
    errors { code message field }
    transfer { id kind status externalOrganization letterNumber member { status } }
  }
}
"""
RECEIVE = """
mutation($input: ReceiveTransferLetterInput!) {
  receiveTransferLetter(input: $input) {
    errors { code message field }
    transfer { id kind status personName externalOrganization member { id } toOrganization { name } }
  }
}
"""
COMPLETE = """
mutation($input: CompleteTransferInput!) {
  completeTransfer(input: $input) {
    errors { code message field }
    transfer { id status completedOn member { id name status joinedOn branch { name } } }
  }
}
"""
RETURN = """
mutation($input: ReturnTransferInput!) {
  returnTransfer(input: $input) {
    errors { code message field }
    transfer { status returnedOn returnReason member { status } }
  }
}
"""
HISTORY = """
query($filter: RelationTransferFilter) {
  relationTransfers(filter: $filter) {
    totalCount
    nodes {
      kind status personName fromOrganizationName toOrganizationName
      fromOrganization { name } toOrganization { name } member { name }
    }
  }
}
"""
MEMBER = "query($id: ID!) { member(id: $id) { name branch { name } } }"
MEMBERS = "query { members(first: 50) { nodes { name } } }"
RECORD_ACTIVITY = """
mutation($input: RecordActivityInput!) {
  recordActivity(input: $input) { errors { code message } activity { id } }
}
"""
ACTIVITIES = "query { activities(first: 50) { nodes { topic organization { name } } } }"
CASE = "query($id: ID!) { developmentCase(id: $id) { completedSteps branch { name } } }"


async def member(client: GraphQLClient, branch: dict, name: str, **extra) -> dict:
    payload = await client.mutate(
        CREATE_MEMBER,
        input={"name": name, "branchId": branch["id"], "status": "FULL", "joinedOn": "2010-07-01", **extra},
    )
    return payload["member"]


def branch_reader(tenant_id: int, path: str, label: str) -> GraphQLClient:
    """A principal whose read grants cover only one branch."""
    perms = ("ORG_READ", "MEMBER_READ", "ACTIVITY_READ", "TRANSFER_READ", "DEVELOPMENT_READ")
    return GraphQLClient(Principal(tenant_id=tenant_id, label=label, grants={p: (path,) for p in perms}))


async def test_transfer_within_tenant_keeps_history_and_moves_access(admin, tenant):
    _, (old, new) = await make_branches(admin, "编辑部党支部", "经营部党支部")
    zhang = await member(admin, old, "张伟")
    payload = await admin.mutate(
        TRANSFER,
        input={
            "memberId": zhang["id"],
            "toBranchId": new["id"],
            "transferredOn": "2024-03-01",
            "letterNumber": "内转〔2024〕3号",
            "reason": "岗位调整",
        },
    )
    transfer = payload["transfer"]
    assert transfer["kind"] == "INTERNAL" and transfer["status"] == "COMPLETED"
    assert transfer["fromOrganization"] == {"name": "编辑部党支部"}
    assert transfer["toOrganization"] == {"name": "经营部党支部"}
    assert transfer["issuedOn"] == transfer["completedOn"] == "2024-03-01"
    assert transfer["member"]["branch"] == {"name": "经营部党支部"}
    assert transfer["letterNumber"] == "内转〔2024〕3号"

    # a new record after the move: an activity of the new branch the member attends
    await admin.mutate(
        RECORD_ACTIVITY,
        input={
            "organizationId": new["id"],
            "kind": "THEMED_PARTY_DAY",
            "heldOn": "2024-03-20",
            "topic": "三月主题党日",
            "attendance": [{"memberId": zhang["id"], "status": "PRESENT"}],
        },
    )
    old_reader = branch_reader(tenant.id, old["path"], "编辑部党支部书记")
    new_reader = branch_reader(tenant.id, new["path"], "经营部党支部书记")

    result = await old_reader.execute(MEMBER, id=zhang["id"])
    assert result.errors and result.errors[0].extensions["code"] == "PERMISSION_DENIED"
    assert (await old_reader.ok(MEMBERS))["members"]["nodes"] == []
    assert (await old_reader.ok(ACTIVITIES))["activities"]["nodes"] == []
    # the old branch keeps the history of the move, without access to the member's new record
    history = (await old_reader.ok(HISTORY))["relationTransfers"]
    assert history["totalCount"] == 1
    row = history["nodes"][0]
    assert row["personName"] == "张伟" and row["member"] is None
    assert (row["fromOrganizationName"], row["toOrganizationName"]) == ("编辑部党支部", "经营部党支部")
    assert row["fromOrganization"] == {"name": "编辑部党支部"} and row["toOrganization"] is None

    assert (await new_reader.ok(MEMBER, id=zhang["id"]))["member"]["branch"] == {"name": "经营部党支部"}
    assert [n["topic"] for n in (await new_reader.ok(ACTIVITIES))["activities"]["nodes"]] == ["三月主题党日"]
    seen = (await new_reader.ok(HISTORY))["relationTransfers"]["nodes"]
    assert seen[0]["member"] == {"name": "张伟"}

    # moving again keeps both rows as history
    await admin.mutate(
        TRANSFER, input={"memberId": zhang["id"], "toBranchId": old["id"], "transferredOn": "2024-09-01"}
    )
    rows = (await admin.ok(HISTORY, filter={"memberId": zhang["id"]}))["relationTransfers"]["nodes"]
    assert [(r["fromOrganizationName"], r["toOrganizationName"]) for r in rows] == [
        ("经营部党支部", "编辑部党支部"),
        ("编辑部党支部", "经营部党支部"),
    ]


async def test_development_case_follows_the_person(admin, tenant):
    _, (old, new) = await make_branches(admin, "一支部", "二支部")
    case = await start(admin, old, name="周敏")
    await advance(admin, case["id"], "MENTORS_ASSIGNED")
    with tenant_scope(tenant.id):
        person = await Member.get(name="周敏")
    person_gid = base64.b64encode(f"Member:{person.id}".encode()).decode()
    await admin.mutate(
        TRANSFER, input={"memberId": person_gid, "toBranchId": new["id"], "transferredOn": "2021-05-01"}
    )
    old_writer = GraphQLClient(
        Principal(
            tenant_id=tenant.id,
            label="一支部",
            grants={"DEVELOPMENT_READ": (old["path"],), "DEVELOPMENT_MANAGE": (old["path"],)},
        )
    )
    new_writer = GraphQLClient(
        Principal(
            tenant_id=tenant.id,
            label="二支部",
            grants={p: (new["path"],) for p in ("DEVELOPMENT_READ", "DEVELOPMENT_MANAGE", "ORG_READ")},
        )
    )
    result = await old_writer.execute(CASE, id=case["id"])
    assert result.errors and result.errors[0].extensions["code"] == "PERMISSION_DENIED"
    next_step = step_input(case["id"], "ACTIVIST_EDUCATED")
    assert await old_writer.error_code(RECORD, input=next_step) == "PERMISSION_DENIED"
    await new_writer.mutate(RECORD, input=next_step)
    data = (await new_writer.ok(CASE, id=case["id"]))["developmentCase"]
    assert data == {"completedSteps": 6, "branch": {"name": "二支部"}}


async def test_internal_transfer_refusals(admin, tenant):
    root, (one, two) = await make_branches(admin, "一支部", "二支部")
    wang = await member(admin, one, "王芳")
    base = {"memberId": wang["id"], "transferredOn": "2024-01-10"}
    assert await admin.error_code(TRANSFER, input={**base, "toBranchId": one["id"]}) == "TRANSFER_SAME_BRANCH"
    assert await admin.error_code(TRANSFER, input={**base, "toBranchId": root["id"]}) == (
        "MEMBER_BRANCH_KIND_INVALID"
    )
    temporary = await admin.mutate(
        CREATE_ORG,
        input={
            "kind": "TEMPORARY_BRANCH",
            "name": "抗洪报道临时党支部",
            "parentId": root["id"],
            "temporaryBody": "抗洪报道组",
        },
    )
    to_temporary = {**base, "toBranchId": temporary["organization"]["id"]}
    assert await admin.error_code(TRANSFER, input=to_temporary) == "TRANSFER_TO_TEMPORARY_BRANCH"
    abroad = {**base, "toBranchId": two["id"], "abroad": True}
    assert await admin.error_code(TRANSFER, input=abroad) == "PLUGIN_NOT_ENABLED"
    # a principal allowed only on the source branch cannot move the member into another branch
    source_only = GraphQLClient(
        Principal(tenant_id=tenant.id, label="一支部", grants={"TRANSFER_MANAGE": (one["path"],)})
    )
    assert await source_only.error_code(TRANSFER, input={**base, "toBranchId": two["id"]}) == (
        "PERMISSION_DENIED"
    )
    group_of_one = await admin.mutate(
        CREATE_ORG, input={"kind": "PARTY_GROUP", "name": "一组", "parentId": one["id"]}
    )
    wrong_group = {**base, "toBranchId": two["id"], "partyGroupId": group_of_one["organization"]["id"]}
    assert await admin.error_code(TRANSFER, input=wrong_group) == "MEMBER_PARTY_GROUP_INVALID"
    with tenant_scope(tenant.id):
        assert await RelationTransfer.all().count() == 0
        assert (await Member.get(id=db_id(wang["id"]))).branch_id == db_id(one["id"])
    group_of_two = await admin.mutate(
        CREATE_ORG, input={"kind": "PARTY_GROUP", "name": "二组", "parentId": two["id"]}
    )
    moved = await admin.mutate(
        TRANSFER, input={**base, "toBranchId": two["id"], "partyGroupId": group_of_two["organization"]["id"]}
    )
    assert moved["transfer"]["member"]["branch"] == {"name": "二支部"}
    data = await admin.ok("query($id: ID!) { member(id: $id) { partyGroup { name } } }", id=wang["id"])
    assert data["member"]["partyGroup"] == {"name": "二组"}


async def test_outgoing_letter_issued_returned_completed(admin, tenant):
    _, (branch,) = await make_branches(admin, "编辑部党支部")
    li = await member(admin, branch, "李娜")
    letter = {"memberId": li["id"], "destination": "某市委组织部", "issuedOn": "2024-04-01"}
    first = (await admin.mutate(ISSUE, input={**letter, "letterNumber": "组转〔2024〕12号"}))["transfer"]
    assert first["kind"] == "OUTGOING" and first["status"] == "ISSUED"
    assert first["member"] == {"status": "FULL"}  # still on the roster while the letter is open
    assert await admin.error_code(ISSUE, input=letter) == "TRANSFER_ALREADY_OPEN"
    returned = await admin.mutate(
        RETURN, input={"id": first["id"], "returnedOn": "2024-04-20", "reason": "接收单位信息有误"}
    )
    assert returned["transfer"] == {
        "status": "RETURNED",
        "returnedOn": "2024-04-20",
        "returnReason": "接收单位信息有误",
        "member": {"status": "FULL"},
    }
    again = {**letter, "issuedOn": "2024-05-01", "letterNumber": "组转〔2024〕12号"}
    assert await admin.error_code(ISSUE, input=again) == "TRANSFER_LETTER_NUMBER_TAKEN"
    second = (await admin.mutate(ISSUE, input={**again, "letterNumber": "组转〔2024〕15号"}))["transfer"]
    early = {"id": second["id"], "completedOn": "2024-04-30"}
    assert await admin.error_code(COMPLETE, input=early) == "TRANSFER_DATE_BEFORE_ISSUE"
    done = (await admin.mutate(COMPLETE, input={"id": second["id"], "completedOn": "2024-05-20"}))["transfer"]
    assert done["status"] == "COMPLETED" and done["member"]["status"] == "TRANSFERRED_OUT"
    assert await admin.error_code(COMPLETE, input={"id": second["id"], "completedOn": "2024-05-21"}) == (
        "TRANSFER_NOT_OPEN"
    )
    history = (await admin.ok(HISTORY, filter={"memberId": li["id"]}))["relationTransfers"]
    assert [n["status"] for n in history["nodes"]] == ["COMPLETED", "RETURNED"]


async def test_only_members_are_transferred_out(admin):
    _, (branch,) = await make_branches(admin)
    case = await start(admin, branch, name="申请人")
    gid = case["member"]["id"]
    letter = {"memberId": gid, "destination": "外单位党委", "issuedOn": "2024-04-01"}
    assert await admin.error_code(ISSUE, input=letter) == "TRANSFER_NOT_A_MEMBER"


async def test_incoming_letter_accepted_creates_the_member(admin, tenant):
    _, (branch,) = await make_branches(admin, "经营部党支部")
    person = {
        "name": "赵磊",
        "status": "PROBATIONARY",
        "idNumber": id_number(17, "19900101"),
        "gender": "MALE",
        "birthDate": "1990-01-01",
        "joinedOn": "2024-01-15",
    }
    letter = {"toBranchId": branch["id"], "origin": "某大学党委", "issuedOn": "2024-06-01", "person": person}
    received = (await admin.mutate(RECEIVE, input={**letter, "letterNumber": "校组〔2024〕8号"}))["transfer"]
    assert received["kind"] == "INCOMING" and received["status"] == "ISSUED" and received["member"] is None
    with tenant_scope(tenant.id):
        assert not await Member.filter(name="赵磊").exists()
    accepted = (await admin.mutate(COMPLETE, input={"id": received["id"], "completedOn": "2024-06-10"}))[
        "transfer"
    ]
    assert accepted["status"] == "COMPLETED"
    assert accepted["member"]["name"] == "赵磊" and accepted["member"]["status"] == "PROBATIONARY"
    assert accepted["member"]["joinedOn"] == "2024-01-15"
    assert accepted["member"]["branch"] == {"name": "经营部党支部"}

    # a second letter for the same person cannot create a duplicate
    dup = (await admin.mutate(RECEIVE, input={**letter, "issuedOn": "2024-06-05"}))["transfer"]
    assert await admin.error_code(COMPLETE, input={"id": dup["id"], "completedOn": "2024-06-11"}) == (
        "MEMBER_ID_NUMBER_TAKEN"
    )
    refused = await admin.mutate(
        RETURN, input={"id": dup["id"], "returnedOn": "2024-06-11", "reason": "重复转入"}
    )
    assert refused["transfer"]["status"] == "RETURNED"
    bad = {**letter, "person": {**person, "status": "APPLICANT"}}
    assert await admin.error_code(RECEIVE, input=bad) == "INVALID_INPUT"


async def test_incoming_letter_reactivates_a_person_who_left(admin, tenant):
    _, (one, two) = await make_branches(admin, "一支部", "二支部")
    number = id_number(42, "19850303")
    sun = await member(admin, one, "孙強", idNumber=number)
    out = await admin.mutate(
        ISSUE, input={"memberId": sun["id"], "destination": "外地", "issuedOn": "2023-01-01"}
    )
    await admin.mutate(COMPLETE, input={"id": out["transfer"]["id"], "completedOn": "2023-01-10"})
    back = await admin.mutate(
        RECEIVE,
        input={
            "toBranchId": two["id"],
            "origin": "外地党委",
            "issuedOn": "2024-02-01",
            "person": {"name": "孙強", "status": "FULL", "idNumber": number},
        },
    )
    done = await admin.mutate(COMPLETE, input={"id": back["transfer"]["id"], "completedOn": "2024-02-05"})
    assert done["transfer"]["member"]["id"] == sun["id"]
    assert done["transfer"]["member"]["status"] == "FULL"
    assert done["transfer"]["member"]["branch"] == {"name": "二支部"}
    with tenant_scope(tenant.id):
        assert await Member.filter(id_number=number).count() == 1


async def test_member_abroad_placed_under_the_embassy_organization():
    news = await make_tenant(domain="newspaper", plugins=["newspaper"])
    admin = GraphQLClient(Principal.tenant_admin(news.id, label="报社管理员"))
    _, (home, bureau, plain) = await make_branches(
        admin, "国际部党支部", "驻日内瓦记者站党支部", "编辑部党支部"
    )
    await admin.mutate(
        """mutation($input: OverseasBureauInput!) {
             markOverseasBureau(input: $input) { errors { code message } bureau { id } } }""",
        input={
            "organizationId": bureau["id"],
            "bureauName": "驻日内瓦记者站",
            "country": "瑞士",
            "embassyPartyOrganization": "驻日内瓦代表团党委",
        },
    )
    reporter = await member(admin, home, "吴昊")
    base = {"memberId": reporter["id"], "transferredOn": "2024-05-01"}
    code = await admin.error_code(TRANSFER, input={**base, "toBranchId": plain["id"], "abroad": True})
    assert code == "TRANSFER_NOT_AN_EMBASSY_ORGANIZATION"
    code = await admin.error_code(TRANSFER, input={**base, "toBranchId": bureau["id"]})
    assert code == "TRANSFER_ABROAD_REQUIRED"
    payload = await admin.mutate(TRANSFER, input={**base, "toBranchId": bureau["id"], "abroad": True})
    transfer = payload["transfer"]
    assert transfer["abroad"] is True
    assert transfer["externalOrganization"] == "驻日内瓦代表团党委"
    assert transfer["member"]["branch"] == {"name": "驻日内瓦记者站党支部"}
    assert {"code": "WORKING_ABROAD"} in transfer["member"]["categories"]


async def test_transfer_by_letter_is_audited(admin, tenant):
    from core.models import AuditRecord

    _, (branch,) = await make_branches(admin)
    m = await member(admin, branch, "钱多")
    await admin.mutate(ISSUE, input={"memberId": m["id"], "destination": "外单位", "issuedOn": "2024-04-01"})
    with tenant_scope(tenant.id):
        record = await AuditRecord.get(operation="issueTransferLetter")
    assert record.target_type == "RelationTransfer" and record.after["status"] == "ISSUED"


async def test_moving_a_committee_member_leaves_a_vacancy(admin):
    _, (old, new) = await make_branches(admin, "一支部", "二支部")
    sec = await member(admin, old, "郑书记")
    await admin.mutate(
        """mutation($input: StartCommitteeTermInput!) {
             startCommitteeTerm(input: $input) { errors { code message } term { id } } }""",
        input={
            "organizationId": old["id"],
            "startsOn": "2023-01-01",
            "seats": [{"role": "SECRETARY", "memberId": sec["id"]}],
        },
    )
    await admin.mutate(
        TRANSFER, input={"memberId": sec["id"], "toBranchId": new["id"], "transferredOn": "2024-03-01"}
    )
    data = await admin.ok(
        """query($id: ID!) { organization(id: $id) { currentCommittee {
             seats { role member { name } } vacantSeats { role } } } }""",
        id=old["id"],
    )
    committee = data["organization"]["currentCommittee"]
    assert committee["seats"] == [{"role": "SECRETARY", "member": None}]
    assert committee["vacantSeats"] == [{"role": "SECRETARY"}]


async def test_a_party_group_leader_hands_over_before_leaving(admin):
    _, (one, two) = await make_branches(admin, "一支部", "二支部")
    group = (
        await admin.mutate(CREATE_ORG, input={"kind": "PARTY_GROUP", "name": "一组", "parentId": one["id"]})
    )["organization"]
    leader = await member(admin, one, "组长甲", partyGroupId=group["id"])
    await admin.mutate(
        """mutation($input: SetPartyGroupLeaderInput!) {
             setPartyGroupLeader(input: $input) { errors { code message } organization { id } } }""",
        input={"groupId": group["id"], "memberId": leader["id"]},
    )
    move = {"memberId": leader["id"], "toBranchId": two["id"], "transferredOn": "2024-03-01"}
    assert await admin.error_code(TRANSFER, input=move) == "MEMBER_IS_GROUP_LEADER"
    letter = {"memberId": leader["id"], "destination": "外单位", "issuedOn": "2024-03-01"}
    assert await admin.error_code(ISSUE, input=letter) == "MEMBER_IS_GROUP_LEADER"
