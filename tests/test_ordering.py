"""orderBy on the main connections, and keyset cursors that stay correct while rows are inserted."""

from __future__ import annotations

from core.models import Member
from core.tenancy import tenant_scope
from tests.test_dues import gid, make_tree

MEMBERS = """query($first: Int, $after: String, $last: Int, $before: String, $order: [MemberOrder!]) {
  members(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}"""
BY_NAME = [{"field": "NAME"}]


def names(data) -> list[str]:
    return [edge["node"]["name"] for edge in data["members"]["edges"]]


async def _roster(tenant, tree, *names_: str, status: str = "FULL") -> None:
    with tenant_scope(tenant.id):
        for name in names_:
            await Member.create(name=name, branch_id=tree["a"].id, status=status)


async def test_order_by_columns_and_directions(admin, tenant):
    tree = await make_tree(tenant)
    await _roster(tenant, tree, "m2", "m1", "m3")
    await _roster(tenant, tree, "p9", status="PROBATIONARY")
    data = await admin.ok(MEMBERS, order=[{"field": "NAME", "direction": "DESC"}])
    assert names(data) == ["p9", "m3", "m2", "m1"]
    data = await admin.ok(MEMBERS, order=[{"field": "STATUS", "direction": "DESC"}, {"field": "NAME"}])
    assert names(data) == ["p9", "m1", "m2", "m3"]
    organizations = await admin.ok(
        "{ organizations(orderBy: [{field: NAME, direction: DESC}]) { edges { node { name } } } }"
    )
    assert [e["node"]["name"] for e in organizations["organizations"]["edges"]] == [
        "第二党支部",
        "第一党支部",
        "机关党委",
    ]


async def test_keyset_pages_neither_repeat_nor_skip_when_rows_are_inserted(admin, tenant):
    tree = await make_tree(tenant)
    await _roster(tenant, tree, "m01", "m02", "m03", "m04", "m05")
    first = await admin.ok(MEMBERS, first=2, order=BY_NAME)
    assert names(first) == ["m01", "m02"] and first["members"]["pageInfo"]["hasNextPage"]
    await _roster(tenant, tree, "m00", "m025")  # one before the page, one after its cursor
    cursor = first["members"]["pageInfo"]["endCursor"]
    second = await admin.ok(MEMBERS, first=2, after=cursor, order=BY_NAME)
    assert names(second) == ["m025", "m03"]  # an offset cursor would have repeated m02
    assert second["members"]["pageInfo"]["hasPreviousPage"]
    rest = await admin.ok(MEMBERS, first=10, after=second["members"]["pageInfo"]["endCursor"], order=BY_NAME)
    assert names(rest) == ["m04", "m05"] and not rest["members"]["pageInfo"]["hasNextPage"]
    # backwards: the last two, then the two before them
    tail = await admin.ok(MEMBERS, last=2, order=BY_NAME)
    assert names(tail) == ["m04", "m05"] and tail["members"]["pageInfo"]["hasPreviousPage"]
    before = await admin.ok(MEMBERS, last=2, before=tail["members"]["pageInfo"]["startCursor"], order=BY_NAME)
    assert names(before) == ["m025", "m03"]


async def test_bad_order_and_cursor_input_are_typed_errors(admin, tenant):
    too_many = [{"field": f} for f in ("NAME", "STATUS", "BRANCH", "CREATED_AT")]
    assert await admin.error_code(MEMBERS, order=too_many) == "INVALID_INPUT"
    assert await admin.error_code(MEMBERS, order=[{"field": "NAME"}, {"field": "NAME"}]) == "INVALID_INPUT"
    assert await admin.error_code(MEMBERS, order=[{"field": "PHONE"}]) == "INVALID_INPUT"
    for cursor in ("garbage", "a2V5czpbMV0=", "a2V5czpbIngiLCAieSJd"):  # not base64 / wrong arity / types
        result = await admin.execute(MEMBERS, first=1, after=cursor, order=BY_NAME)
        assert result.errors and result.errors[0].extensions["code"] == "INVALID_INPUT", cursor
        assert result.errors[0].extensions["field"] == "after"


async def test_activities_and_users_take_order_by(admin, tenant):
    tree = await make_tree(tenant)
    branch = gid("Organization", tree["a"].id)
    record = """mutation($org: ID!, $day: Date!) { recordActivity(input: {organizationId: $org,
      kind: "PARTY_LECTURE", heldOn: $day, topic: "党课"}) { errors { code } } }"""
    for day in ("2025-03-01", "2025-01-01", "2025-02-01"):
        await admin.mutate(record, org=branch, day=day)
    query = "{ activities(orderBy: [{field: HELD_ON}]) { edges { node { heldOn } } } }"
    days = [e["node"]["heldOn"] for e in (await admin.ok(query))["activities"]["edges"]]
    assert days == ["2025-01-01", "2025-02-01", "2025-03-01"]
    users = await admin.ok(
        "{ users(orderBy: [{field: USERNAME, direction: DESC}]) { edges { node { username } } } }"
    )
    listed = [e["node"]["username"] for e in users["users"]["edges"]]
    assert listed == sorted(listed, reverse=True)


def test_main_lists_take_order_by_on_non_null_columns_so_their_cursors_are_keyset_cursors():
    from core.access.models import User
    from core.dues.models import DuesBill
    from core.graphql.access.types import USER_ORDER_COLUMNS
    from core.graphql.activities.types import ACTIVITY_ORDER_COLUMNS
    from core.graphql.development.types import DEVELOPMENTCASE_ORDER_COLUMNS
    from core.graphql.dues.types import DUESBILL_ORDER_COLUMNS
    from core.graphql.members.types import MEMBER_ORDER_COLUMNS
    from core.graphql.organizations.types import ORGANIZATION_ORDER_COLUMNS
    from core.graphql.rectification.types import RECTIFICATIONITEM_ORDER_COLUMNS
    from core.graphql.reminders.types import REMINDER_ORDER_COLUMNS
    from core.graphql.transfers.types import RELATIONTRANSFER_ORDER_COLUMNS
    from core.lifecycle.models import DevelopmentCase, RelationTransfer
    from core.models import Activity, Organization
    from core.rectification.models import RectificationItem
    from core.reminders.models import Reminder
    from schema import builtin_schema

    lists = {
        "members": (Member, MEMBER_ORDER_COLUMNS),
        "organizations": (Organization, ORGANIZATION_ORDER_COLUMNS),
        "activities": (Activity, ACTIVITY_ORDER_COLUMNS),
        "users": (User, USER_ORDER_COLUMNS),
        "reminders": (Reminder, REMINDER_ORDER_COLUMNS),
        "developmentCases": (DevelopmentCase, DEVELOPMENTCASE_ORDER_COLUMNS),
        "rectificationItems": (RectificationItem, RECTIFICATIONITEM_ORDER_COLUMNS),
        "duesBills": (DuesBill, DUESBILL_ORDER_COLUMNS),
        "relationTransfers": (RelationTransfer, RELATIONTRANSFER_ORDER_COLUMNS),
    }
    query = builtin_schema()._schema.query_type
    for field_name, (model, columns) in lists.items():
        argument = query.fields[field_name].args.get("orderBy")
        assert argument is not None, f"{field_name} takes no orderBy"
        enum = argument.type.of_type.of_type.fields["field"].type.of_type
        assert set(enum.values) == set(columns), field_name
        for column in columns.values():
            model_field = model._meta.fields_map[column]
            assert not model_field.null, f"{field_name}: {column} is nullable (no keyset cursor)"
