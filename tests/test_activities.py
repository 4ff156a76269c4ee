"""Activities through GraphQL: recording, attendance, statistics, check-in, corrections, lists."""

from __future__ import annotations

import datetime as dt

from core.models import Activity, Attendance, AuditRecord
from core.principal import Principal
from core.tenancy import tenant_scope
from tests.core_factories import db_id, member, tree
from tests.support import GraphQLClient

RECORD = """
mutation($input: RecordActivityInput!) {
  recordActivity(input: $input) {
    errors { code message field }
    activity { id kind kindLabel heldOn topic lecturer host { name } organization { name }
               stats { expected present leave absent attendanceRate }
               attendance { status member { name } } }
  }
}
"""
SET = """
mutation($input: SetAttendanceInput!) {
  setAttendance(input: $input) {
    errors { code } activity { stats { expected present leave absent attendanceRate } }
  }
}
"""
CHECK_IN = """
mutation($input: CheckInInput!) {
  checkIn(input: $input) { errors { code } attendance { status } activity { stats { present } } }
}
"""
UPDATE = """
mutation($input: UpdateActivityInput!) {
  updateActivity(input: $input) { errors { code } activity { topic heldOn host { name } } }
}
"""
CANCEL = """
mutation($input: CancelActivityInput!) {
  cancelActivity(input: $input) { errors { code } activity { isCancelled cancelReason } }
}
"""
LIST = """
query($filter: ActivityFilter, $first: Int) {
  activities(filter: $filter, first: $first) {
    totalCount edges { node { topic kind heldOn organization { name } stats { expected present } } }
  }
}
"""


async def setup(admin, n: int = 5):
    t = await tree(admin)
    people = [
        await member(admin, t["branch"], f"党员{i}", partyGroupId=t["group"]["id"] if i < 2 else None)
        for i in range(n)
    ]
    return t, people


def day(days_ago: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()


async def test_record_activity_with_attendance_and_stats(admin, tenant):
    t, people = await setup(admin)
    statuses = ["PRESENT", "PRESENT", "PRESENT", "LEAVE", "ABSENT"]
    payload = await admin.mutate(
        RECORD,
        input={
            "organizationId": t["branch"]["id"],
            "kind": "PARTY_LECTURE",
            "heldOn": day(3),
            "topic": "书记讲党课",
            "hostId": people[0]["id"],
            "lecturer": "张书记",
            "minutes": "会议记录……",
            "attendance": [{"memberId": p["id"], "status": s} for p, s in zip(people, statuses, strict=True)],
        },
    )
    activity = payload["activity"]
    assert activity["kindLabel"] == "党课" and activity["host"]["name"] == "党员0"
    assert activity["stats"] == {"expected": 5, "present": 3, "leave": 1, "absent": 1, "attendanceRate": 0.6}
    assert sorted(a["member"]["name"] for a in activity["attendance"]) == [f"党员{i}" for i in range(5)]
    with tenant_scope(tenant.id):
        assert await Attendance.filter(activity_id=db_id(activity)).count() == 5
        assert await AuditRecord.filter(operation="recordActivity").exists()


async def test_mark_others_absent_covers_the_roster(admin):
    t, people = await setup(admin)
    await member(admin, t["branch"], "申请人", status="APPLICANT")  # not entitled
    payload = await admin.mutate(
        RECORD,
        input={
            "organizationId": t["branch"]["id"],
            "kind": "THEMED_PARTY_DAY",
            "heldOn": day(1),
            "topic": "主题党日",
            "attendance": [{"memberId": people[0]["id"]}],
            "markOthersAbsent": True,
        },
    )
    assert payload["activity"]["stats"] == {
        "expected": 5,
        "present": 1,
        "leave": 0,
        "absent": 4,
        "attendanceRate": 0.2,
    }


async def test_record_activity_refusals_change_nothing(admin, tenant):
    t, people = await setup(admin)
    outsider = await member(admin, t["other"], "外支部")
    base = {
        "organizationId": t["branch"]["id"],
        "kind": "THEMED_PARTY_DAY",
        "heldOn": day(1),
        "topic": "主题党日",
    }
    cases = [
        ({"kind": "NO_SUCH_KIND"}, "ACTIVITY_KIND_UNKNOWN"),
        ({"kind": "GROUP_MEETING"}, "ACTIVITY_KIND_NOT_HELD_BY_ORG"),  # groups hold group meetings
        ({"organizationId": t["committee"]["id"]}, "ACTIVITY_KIND_NOT_HELD_BY_ORG"),
        ({"heldOn": day(-2)}, "INVALID_INPUT"),
        ({"topic": "  "}, "INVALID_INPUT"),
        ({"attendance": [{"memberId": outsider["id"]}]}, "ATTENDANCE_MEMBER_NOT_IN_ORG"),
        (
            {"attendance": [{"memberId": people[0]["id"]}, {"memberId": people[0]["id"], "status": "LEAVE"}]},
            "ATTENDANCE_DUPLICATE",
        ),
    ]
    for extra, expected in cases:
        assert await admin.error_code(RECORD, input={**base, **extra}) == expected, extra
    # a party group meeting may only list the group's members
    code = await admin.error_code(
        RECORD,
        input={
            **base,
            "organizationId": t["group"]["id"],
            "kind": "GROUP_MEETING",
            "attendance": [{"memberId": people[3]["id"]}],
        },
    )
    assert code == "ATTENDANCE_MEMBER_NOT_IN_ORG"
    with tenant_scope(tenant.id):
        assert await Activity.all().count() == 0 and await Attendance.all().count() == 0


async def test_set_attendance_upserts_and_check_in_refuses_duplicates(admin, tenant):
    t, people = await setup(admin)
    payload = await admin.mutate(
        RECORD,
        input={
            "organizationId": t["branch"]["id"],
            "kind": "MEMBER_CONGRESS",
            "heldOn": day(2),
            "topic": "党员大会",
            "attendance": [{"memberId": people[0]["id"], "status": "ABSENT"}],
        },
    )
    activity_id = payload["activity"]["id"]
    result = await admin.mutate(
        SET,
        input={
            "activityId": activity_id,
            "attendance": [{"memberId": people[0]["id"], "status": "LEAVE"}, {"memberId": people[1]["id"]}],
        },
    )
    assert result["activity"]["stats"] == {
        "expected": 2,
        "present": 1,
        "leave": 1,
        "absent": 0,
        "attendanceRate": 0.5,
    }
    code = await admin.error_code(
        SET, input={"activityId": activity_id, "attendance": [{"memberId": people[2]["id"]}] * 2}
    )
    assert code == "ATTENDANCE_DUPLICATE"

    checked = await admin.mutate(CHECK_IN, input={"activityId": activity_id, "memberId": people[2]["id"]})
    assert checked["attendance"] == [{"status": "PRESENT"}] and checked["activity"]["stats"]["present"] == 2
    code = await admin.error_code(CHECK_IN, input={"activityId": activity_id, "memberId": people[2]["id"]})
    assert code == "ATTENDANCE_ALREADY_RECORDED"
    # someone recorded as on leave who turns up after all is checked in
    checked = await admin.mutate(CHECK_IN, input={"activityId": activity_id, "memberId": people[0]["id"]})
    assert checked["activity"]["stats"]["present"] == 3
    with tenant_scope(tenant.id):
        assert await Attendance.filter(activity_id=db_id(activity_id)).count() == 3


async def test_update_and_cancel_activity(admin, tenant):
    t, people = await setup(admin)
    payload = await admin.mutate(
        RECORD,
        input={
            "organizationId": t["branch"]["id"],
            "kind": "COMMITTEE_MEETING",
            "heldOn": day(5),
            "topic": "支委会",
        },
    )
    activity_id = payload["activity"]["id"]
    updated = await admin.mutate(
        UPDATE, input={"id": activity_id, "topic": "支委会：研究发展党员", "hostId": people[1]["id"]}
    )
    assert (
        updated["activity"]["topic"] == "支委会：研究发展党员"
        and updated["activity"]["host"]["name"] == "党员1"
    )
    assert await admin.error_code(UPDATE, input={"id": activity_id, "heldOn": day(-1)}) == "INVALID_INPUT"
    assert await admin.error_code(CANCEL, input={"id": activity_id, "reason": ""}) == "INVALID_INPUT"
    cancelled = await admin.mutate(CANCEL, input={"id": activity_id, "reason": "重复录入"})
    assert cancelled["activity"] == {"isCancelled": True, "cancelReason": "重复录入"}
    assert await admin.error_code(UPDATE, input={"id": activity_id, "topic": "x"}) == "ACTIVITY_CANCELLED"
    assert await admin.error_code(
        CHECK_IN, input={"activityId": activity_id, "memberId": people[0]["id"]}
    ) == ("ACTIVITY_CANCELLED")
    # kept in the database, left out of lists unless asked for
    with tenant_scope(tenant.id):
        assert await Activity.filter(id=db_id(activity_id)).exists()
    assert (await admin.ok(LIST))["activities"]["totalCount"] == 0
    assert (await admin.ok(LIST, filter={"includeCancelled": True}))["activities"]["totalCount"] == 1


async def test_activity_list_filters_and_scoping(admin, tenant):
    t, people = await setup(admin)
    other_member = await member(admin, t["other"], "乙")
    for org_key, kind, ago, who in [
        ("branch", "THEMED_PARTY_DAY", 40, people[0]),
        ("branch", "PARTY_LECTURE", 10, people[1]),
        ("other", "THEMED_PARTY_DAY", 5, other_member),
        ("group", "GROUP_MEETING", 3, people[0]),
    ]:
        await admin.mutate(
            RECORD,
            input={
                "organizationId": t[org_key]["id"],
                "kind": kind,
                "heldOn": day(ago),
                "topic": f"{kind}-{ago}",
                "attendance": [{"memberId": who["id"]}],
            },
        )
    everything = (await admin.ok(LIST))["activities"]
    assert [e["node"]["topic"] for e in everything["edges"]] == [
        "GROUP_MEETING-3",
        "THEMED_PARTY_DAY-5",
        "PARTY_LECTURE-10",
        "THEMED_PARTY_DAY-40",
    ]
    kinds = (await admin.ok(LIST, filter={"kinds": ["THEMED_PARTY_DAY"]}))["activities"]
    assert kinds["totalCount"] == 2
    window = (await admin.ok(LIST, filter={"from": day(12), "to": day(4)}))["activities"]
    assert [e["node"]["topic"] for e in window["edges"]] == ["THEMED_PARTY_DAY-5", "PARTY_LECTURE-10"]
    subtree = (await admin.ok(LIST, filter={"subtreeOf": t["branch"]["id"]}))["activities"]
    assert subtree["totalCount"] == 3  # the branch and its party group
    own = (await admin.ok(LIST, filter={"organizationId": t["other"]["id"]}))["activities"]
    assert [e["node"]["organization"]["name"] for e in own["edges"]] == ["第二党支部"]

    reader = GraphQLClient(
        Principal(tenant_id=tenant.id, grants={"ACTIVITY_READ": (t["other"]["path"],), "ORG_READ": ("/",)})
    )
    scoped = (await reader.ok(LIST))["activities"]
    assert [e["node"]["topic"] for e in scoped["edges"]] == ["THEMED_PARTY_DAY-5"]

    kinds_query = "{ activityKinds { code label period heldBy } }"
    codes = {k["code"]: k for k in (await admin.ok(kinds_query))["activityKinds"]}
    assert codes["THEMED_PARTY_DAY"]["label"] == "主题党日" and codes["THEMED_PARTY_DAY"]["period"] == "MONTH"
    assert codes["GROUP_MEETING"]["heldBy"] == ["PARTY_GROUP"]


async def test_member_activity_history(admin):
    t, people = await setup(admin, 2)
    for ago in (20, 10):
        await admin.mutate(
            RECORD,
            input={
                "organizationId": t["branch"]["id"],
                "kind": "THEMED_PARTY_DAY",
                "heldOn": day(ago),
                "topic": f"主题党日{ago}",
                "attendance": [
                    {"memberId": people[0]["id"], "status": "LEAVE"},
                    {"memberId": people[1]["id"]},
                ],
            },
        )
    query = """query($id: ID!) {
      member(id: $id) { activities { topic } attendance { status activity { topic } } }
    }"""
    data = (await admin.ok(query, id=people[0]["id"]))["member"]
    assert [a["topic"] for a in data["activities"]] == ["主题党日10", "主题党日20"]
    assert data["attendance"] == [
        {"status": "LEAVE", "activity": {"topic": "主题党日10"}},
        {"status": "LEAVE", "activity": {"topic": "主题党日20"}},
    ]


async def test_member_history_is_bounded_newest_first_and_filtered_in_sql(admin):
    """``Member.activities`` / ``attendance`` take ``first`` (default 100, at most 1000) and
    ``from``/``to``: a member's whole history never comes back by accident; cancelled ones are out."""
    t, people = await setup(admin, 2)
    ids = {}
    for ago in (40, 30, 20, 10):
        payload = await admin.mutate(
            RECORD,
            input={
                "organizationId": t["branch"]["id"],
                "kind": "THEMED_PARTY_DAY",
                "heldOn": day(ago),
                "topic": f"主题党日{ago}",
                "attendance": [{"memberId": p["id"]} for p in people],
            },
        )
        ids[ago] = payload["activity"]["id"]
    await admin.mutate(CANCEL, input={"id": ids[10], "reason": "误录"})
    query = """query($a: ID!, $b: ID!, $first: Int, $from: Date, $to: Date) {
      a: member(id: $a) { activities(first: $first, from: $from, to: $to) { topic }
                          attendance(first: $first, from: $from, to: $to) { activity { topic } } }
      b: member(id: $b) { activities(first: $first) { topic } } }"""
    data = await admin.ok(query, a=people[0]["id"], b=people[1]["id"], first=2)
    assert [x["topic"] for x in data["a"]["activities"]] == ["主题党日20", "主题党日30"]
    assert [x["activity"]["topic"] for x in data["a"]["attendance"]] == ["主题党日20", "主题党日30"]
    assert [x["topic"] for x in data["b"]["activities"]] == ["主题党日20", "主题党日30"]
    data = await admin.ok(
        query, a=people[0]["id"], b=people[1]["id"], first=None, **{"from": day(35), "to": day(25)}
    )
    assert [x["topic"] for x in data["a"]["activities"]] == ["主题党日30"]
    assert [x["activity"]["topic"] for x in data["a"]["attendance"]] == ["主题党日30"]
    assert [x["topic"] for x in data["b"]["activities"]] == ["主题党日20", "主题党日30", "主题党日40"]
    refused = await admin.error_code(query, a=people[0]["id"], b=people[1]["id"], first=1001)
    assert refused == "INVALID_INPUT"


async def test_recording_fires_the_activity_event(admin, monkeypatch):
    from core.services import activities as service

    events: list[tuple] = []

    async def spy(hook_name, **kwargs):  # noqa: ANN001, ANN003, ANN202
        events.append((hook_name, kwargs["activity"].topic))

    monkeypatch.setattr(service, "notify", spy)
    t, people = await setup(admin, 1)
    await admin.mutate(
        RECORD,
        input={
            "organizationId": t["branch"]["id"],
            "kind": "THEMED_PARTY_DAY",
            "heldOn": day(1),
            "topic": "七一主题党日",
        },
    )
    assert events == [("zhibu_activity_recorded", "七一主题党日")]
