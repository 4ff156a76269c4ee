"""Members through GraphQL: roster, categories, ID-number correction, status limits, masking."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord, Member, MemberCategoryAssignment
from core.principal import Principal
from core.tenancy import tenant_scope
from tests.core_factories import CREATE_MEMBER, db_id, id_number, member, org, tree
from tests.support import GraphQLClient

UPDATE = """
mutation($input: UpdateMemberInput!) {
  updateMember(input: $input) {
    errors { code message field }
    member { id name status phone education branch { name } partyGroup { name } categories { code } }
  }
}
"""
CORRECT = """
mutation($input: CorrectMemberIdNumberInput!) {
  correctMemberIdNumber(input: $input) { errors { code field } member { idNumber } }
}
"""
LEADER = """
mutation($input: SetPartyGroupLeaderInput!) {
  setPartyGroupLeader(input: $input) { errors { code } organization { leader { name } } }
}
"""
MEMBERS = """
query($filter: MemberFilter, $first: Int, $after: String) {
  members(filter: $filter, first: $first, after: $after) {
    totalCount edges { node { name status categories { code } } } pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_create_member_with_group_and_categories(admin, tenant):
    t = await tree(admin)
    number = id_number()
    m = await member(
        admin,
        t["branch"],
        "李红",
        partyGroupId=t["group"]["id"],
        gender="FEMALE",
        birthDate="1985-03-12",
        phone="13812345678",
        idNumber=number,
        joinedOn="2010-07-01",
        confirmedOn="2011-07-01",
        categories=["RETIRED", "FLOATING"],
    )
    assert m["branch"]["id"] == t["branch"]["id"] and m["partyGroup"]["id"] == t["group"]["id"]
    assert {c["code"] for c in m["categories"]} == {"RETIRED", "FLOATING"}
    assert m["idNumber"] == number and m["phone"] == "13812345678"  # admin sees sensitive data
    with tenant_scope(tenant.id):
        row = await Member.get(id=db_id(m))
        assert row.id_number == number and row.status == "FULL"
        assert await MemberCategoryAssignment.filter(member_id=row.id).count() == 2
        assert await AuditRecord.filter(operation="createMember").count() == 3  # member + 2 categories


async def test_create_member_refusals_change_nothing(admin, tenant):
    t = await tree(admin)
    number = id_number()
    await member(admin, t["branch"], "甲", idNumber=number)
    cases = [
        ({"branchId": t["committee"]["id"]}, "MEMBER_BRANCH_KIND_INVALID"),
        ({"branchId": t["group"]["id"]}, "MEMBER_BRANCH_KIND_INVALID"),
        ({"branchId": t["other"]["id"], "partyGroupId": t["group"]["id"]}, "MEMBER_PARTY_GROUP_INVALID"),
        ({"branchId": t["branch"]["id"], "idNumber": number}, "MEMBER_ID_NUMBER_TAKEN"),
        ({"branchId": t["branch"]["id"], "idNumber": "110101198503120010"}, "INVALID_INPUT"),  # bad check
        ({"branchId": t["branch"]["id"], "categories": ["NOPE"]}, "MEMBER_CATEGORY_UNKNOWN"),
        ({"branchId": t["branch"]["id"], "status": "LEFT"}, "INVALID_INPUT"),
        (
            {"branchId": t["branch"]["id"], "joinedOn": "2020-01-01", "confirmedOn": "2019-01-01"},
            "INVALID_INPUT",
        ),
        ({"branchId": t["branch"]["id"], "phone": "call me"}, "INVALID_INPUT"),
    ]
    for extra, expected in cases:
        code = await admin.error_code(CREATE_MEMBER, input={"name": "乙", **extra})
        assert code == expected, (extra, code)
    with tenant_scope(tenant.id):
        assert await Member.all().count() == 1


async def test_dissolved_branch_refuses_new_members(admin):
    committee = await org(admin, "PARTY_COMMITTEE", "党委")
    branch = await org(admin, "BRANCH", "支部", committee)
    await admin.mutate(
        "mutation($input: DissolveOrganizationInput!) "
        "{ dissolveOrganization(input: $input) { errors { code } } }",
        input={"id": branch["id"]},
    )
    code = await admin.error_code(CREATE_MEMBER, input={"name": "乙", "branchId": branch["id"]})
    assert code == "ORG_DISSOLVED"


async def test_update_member_fields_move_and_categories(admin, tenant):
    t = await tree(admin)
    m = await member(admin, t["branch"], "王五", partyGroupId=t["group"]["id"], categories=["RETIRED"])
    payload = await admin.mutate(
        UPDATE,
        input={"id": m["id"], "name": "王武", "education": "大学本科", "categories": ["WORKING_ABROAD"]},
    )
    assert payload["member"]["name"] == "王武" and payload["member"]["education"] == "大学本科"
    assert payload["member"]["categories"] == [{"code": "WORKING_ABROAD"}]
    assert payload["member"]["partyGroup"]["name"] == "第一党小组"
    # moving to another branch drops the group of the old branch
    payload = await admin.mutate(UPDATE, input={"id": m["id"], "branchId": t["other"]["id"]})
    assert payload["member"]["branch"]["name"] == "第二党支部" and payload["member"]["partyGroup"] is None
    with tenant_scope(tenant.id):
        record = await AuditRecord.filter(operation="updateMember", target_type="Member").first()
        assert record.before["name"] == "王五" and record.after["name"] == "王武"


async def test_id_number_changes_only_through_correction(admin, tenant):
    t = await tree(admin)
    old, new, taken = id_number(), id_number(), id_number()
    m = await member(admin, t["branch"], "赵六", idNumber=old)
    await member(admin, t["branch"], "钱七", idNumber=taken)
    assert (
        await admin.error_code(UPDATE, input={"id": m["id"], "idNumber": new}) == "MEMBER_ID_NUMBER_IMMUTABLE"
    )
    code = await admin.error_code(CORRECT, input={"id": m["id"], "idNumber": new, "reason": " "})
    assert code == "INVALID_INPUT"
    code = await admin.error_code(CORRECT, input={"id": m["id"], "idNumber": taken, "reason": "录入错误"})
    assert code == "MEMBER_ID_NUMBER_TAKEN"
    with tenant_scope(tenant.id):
        assert (await Member.get(id=db_id(m))).id_number == old
    payload = await admin.mutate(CORRECT, input={"id": m["id"], "idNumber": new, "reason": "录入错误"})
    assert payload["member"]["idNumber"] == new
    with tenant_scope(tenant.id):
        row = await Member.get(id=db_id(m))
        assert row.id_number == new and row.extra["id_number_corrections"][0]["reason"] == "录入错误"
        record = await AuditRecord.get(operation="correctMemberIdNumber", target_type="Member")
        assert record.before["id_number"] == old and record.after["id_number"] == new


async def test_status_changes_through_update_are_limited(admin, tenant):
    t = await tree(admin)
    m = await member(admin, t["branch"], "孙八", status="PROBATIONARY")
    for status in ("FULL", "TRANSFERRED_OUT", "APPLICANT"):
        code = await admin.error_code(UPDATE, input={"id": m["id"], "status": status})
        assert code == "MEMBER_STATUS_CHANGE_NOT_ALLOWED", status
    payload = await admin.mutate(UPDATE, input={"id": m["id"], "status": "LEFT", "statusReason": "自行脱党"})
    assert payload["member"]["status"] == "LEFT"
    with tenant_scope(tenant.id):
        row = await Member.get(id=db_id(m))
        assert row.extra["status_change"]["reason"] == "自行脱党"
    assert await admin.error_code(UPDATE, input={"id": m["id"], "status": "FULL"}) == (
        "MEMBER_STATUS_CHANGE_NOT_ALLOWED"
    )
    assert await admin.error_code(UPDATE, input={"id": m["id"], "branchId": t["other"]["id"]}) == (
        "MEMBER_NOT_ACTIVE"
    )


async def test_group_leader_cannot_leave_group_while_leading(admin, tenant):
    t = await tree(admin)
    leader = await member(admin, t["branch"], "周组长", partyGroupId=t["group"]["id"])
    outsider = await member(admin, t["other"], "吴九")
    code = await admin.error_code(LEADER, input={"groupId": t["group"]["id"], "memberId": outsider["id"]})
    assert code == "GROUP_LEADER_NOT_IN_GROUP"
    payload = await admin.mutate(LEADER, input={"groupId": t["group"]["id"], "memberId": leader["id"]})
    assert payload["organization"]["leader"]["name"] == "周组长"
    for change in ({"partyGroupId": None}, {"branchId": t["other"]["id"]}, {"status": "LEFT"}):
        code = await admin.error_code(UPDATE, input={"id": leader["id"], **change})
        assert code == "MEMBER_IS_GROUP_LEADER", change
    with tenant_scope(tenant.id):
        row = await Member.get(id=db_id(leader))
        assert row.party_group_id == db_id(t["group"]) and row.status == "FULL"
    await admin.mutate(LEADER, input={"groupId": t["group"]["id"], "memberId": None})
    payload = await admin.mutate(UPDATE, input={"id": leader["id"], "partyGroupId": None})
    assert payload["member"]["partyGroup"] is None


async def test_sensitive_fields_are_masked_without_permission(admin, tenant):
    t = await tree(admin)
    number = id_number()
    m = await member(admin, t["branch"], "郑十", phone="13812345678", idNumber=number)
    query = "query($id: ID!) { member(id: $id) { phone idNumber sensitiveVisible } }"
    grants = {"MEMBER_READ": ("/",), "ORG_READ": ("/",)}
    reader = GraphQLClient(Principal(tenant_id=tenant.id, label="inspector", grants=grants))
    masked = (await reader.ok(query, id=m["id"]))["member"]
    assert masked == {
        "phone": "138****5678",
        "idNumber": number[:4] + "*" * 10 + number[-4:],
        "sensitiveVisible": False,
    }
    own = GraphQLClient(Principal(tenant_id=tenant.id, grants=grants, member_id=db_id(m)))
    assert (await own.ok(query, id=m["id"]))["member"]["idNumber"] == number
    branch_path = t["branch"]["path"]
    secretary = GraphQLClient(
        Principal(tenant_id=tenant.id, grants={**grants, "MEMBER_SENSITIVE_READ": (branch_path,)})
    )
    assert (await secretary.ok(query, id=m["id"]))["member"]["phone"] == "13812345678"
    elsewhere = GraphQLClient(
        Principal(tenant_id=tenant.id, grants={**grants, "MEMBER_SENSITIVE_READ": (t["other"]["path"],)})
    )
    assert (await elsewhere.ok(query, id=m["id"]))["member"]["phone"] == "138****5678"


async def test_member_list_filters_and_scoping(admin, tenant):
    t = await tree(admin)
    for i in range(3):
        await member(admin, t["branch"], f"甲{i}", categories=["RETIRED"] if i == 0 else [])
    await member(admin, t["other"], "乙0", status="APPLICANT")
    left = await member(admin, t["other"], "乙1")
    await admin.mutate(UPDATE, input={"id": left["id"], "status": "DECEASED"})

    data = (await admin.ok(MEMBERS, filter={"subtreeOf": t["committee"]["id"]}))["members"]
    assert data["totalCount"] == 4  # the deceased member is not on the roster by default
    data = (await admin.ok(MEMBERS, filter={"branchId": t["branch"]["id"]}, first=2))["members"]
    assert data["totalCount"] == 3 and len(data["edges"]) == 2 and data["pageInfo"]["hasNextPage"]
    data = (await admin.ok(MEMBERS, filter={"categories": ["RETIRED"]}))["members"]
    assert [e["node"]["name"] for e in data["edges"]] == ["甲0"]
    data = (await admin.ok(MEMBERS, filter={"statuses": ["DECEASED"]}))["members"]
    assert [e["node"]["name"] for e in data["edges"]] == ["乙1"]
    data = (await admin.ok(MEMBERS, filter={"nameContains": "乙"}))["members"]
    assert [e["node"]["name"] for e in data["edges"]] == ["乙0"]

    # a caller granted one branch sees only that roster
    branch_reader = GraphQLClient(
        Principal(tenant_id=tenant.id, grants={"MEMBER_READ": (t["other"]["path"],), "ORG_READ": ("/",)})
    )
    data = (await branch_reader.ok(MEMBERS))["members"]
    assert [e["node"]["name"] for e in data["edges"]] == ["乙0"]
    first = (await admin.ok(MEMBERS, filter={"branchId": t["branch"]["id"]}, first=1))["members"]
    result = await branch_reader.execute(
        "query($id: ID!) { member(id: $id) { name } }",
        id=(
            await admin.ok(
                "query($id: ID!) { organization(id: $id) { members { id } } }", id=t["branch"]["id"]
            )
        )["organization"]["members"][0]["id"],
    )
    assert result.errors and result.errors[0].extensions["code"] == "PERMISSION_DENIED"
    assert first["totalCount"] == 3


async def test_organization_members_field(admin):
    t = await tree(admin)
    await member(admin, t["branch"], "甲", partyGroupId=t["group"]["id"])
    await member(admin, t["branch"], "乙")
    query = """query($id: ID!, $g: ID!) {
      b: organization(id: $id) { members { name } }
      g: organization(id: $g) { members { name branch { name } } }
    }"""
    data = await admin.ok(query, id=t["branch"]["id"], g=t["group"]["id"])
    assert [m["name"] for m in data["b"]["members"]] == ["甲", "乙"]
    assert data["g"]["members"] == [{"name": "甲", "branch": {"name": "第一党支部"}}]


async def test_set_member_status_fills_dates_and_fires_the_event(admin, tenant, monkeypatch):
    """The service other procedures call: fills dates, records the reason, fires the event."""
    from core.services import members as service

    events: list[tuple] = []

    async def spy(hook_name, **kwargs):  # noqa: ANN001, ANN003, ANN202
        events.append((hook_name, kwargs["member"].id, kwargs["old_status"], kwargs["new_status"]))

    monkeypatch.setattr(service, "notify", spy)
    t = await tree(admin)
    m = await member(admin, t["branch"], "冯十一", status="CANDIDATE")
    with tenant_scope(tenant.id):
        row = await Member.get(id=db_id(m))
        await service.set_member_status(row, "PROBATIONARY", "支部大会讨论通过", on=dt.date(2025, 7, 1))
        await service.set_member_status(row, "FULL", "按期转正", on=dt.date(2026, 7, 1))
        row = await Member.get(id=db_id(m))
    assert row.status == "FULL" and row.joined_on == dt.date(2025, 7, 1)
    assert row.confirmed_on == dt.date(2026, 7, 1)
    assert row.extra["status_change"] == {
        "from": "PROBATIONARY",
        "to": "FULL",
        "on": "2026-07-01",
        "reason": "按期转正",
    }
    assert [(e[2], e[3]) for e in events] == [("CANDIDATE", "PROBATIONARY"), ("PROBATIONARY", "FULL")]
    assert all(e[0] == "zhibu_member_status_changed" and e[1] == db_id(m) for e in events)
