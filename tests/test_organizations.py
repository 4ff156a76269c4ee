"""The organization tree through GraphQL: create, nesting rules, update, dissolve, move."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord, Member, Organization
from core.tenancy import tenant_scope

CREATE = """
mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    errors { code message field }
    organization { id kind name path depth parent { id } coveredUnits temporaryBody }
  }
}
"""
TREE = """
query($id: ID!) {
  organization(id: $id) {
    name kindLabel
    children { name depth children { name } }
    ancestors { name }
  }
}
"""


async def create(client, kind, name, parent=None, **extra):
    payload = await client.mutate(CREATE, input={"kind": kind, "name": name, "parentId": parent, **extra})
    return payload["organization"]


async def test_create_tree_and_read_it(admin, tenant):
    committee = await create(admin, "PARTY_COMMITTEE", "某镇党委")
    branch = await create(admin, "BRANCH", "某村党支部", committee["id"])
    group = await create(admin, "PARTY_GROUP", "第一网格党小组", branch["id"])
    assert committee["depth"] == 0 and branch["depth"] == 1 and group["depth"] == 2
    assert group["path"].startswith(branch["path"]) and branch["path"].startswith(committee["path"])
    assert branch["parent"]["id"] == committee["id"]

    data = await admin.ok(TREE, id=committee["id"])
    assert data["organization"]["kindLabel"] == "党委"
    assert data["organization"]["children"] == [
        {"name": "某村党支部", "depth": 1, "children": [{"name": "第一网格党小组"}]}
    ]
    leaf = await admin.ok(TREE, id=group["id"])
    assert [a["name"] for a in leaf["organization"]["ancestors"]] == ["某镇党委", "某村党支部"]
    with tenant_scope(tenant.id):
        audit = await AuditRecord.filter(operation="createOrganization").count()
    assert audit == 3


async def test_nesting_rules_are_refused(admin, tenant):
    committee = await create(admin, "PARTY_COMMITTEE", "机关党委")
    branch = await create(admin, "BRANCH", "第一党支部", committee["id"])
    group = await create(admin, "PARTY_GROUP", "党小组", branch["id"])
    for kind, parent in [
        ("PARTY_GROUP", committee["id"]),  # groups only inside branch kinds
        ("BRANCH", group["id"]),  # nothing inside a party group
        ("PARTY_GROUP", None),  # a group is never a root
        ("PARTY_COMMITTEE", branch["id"]),
    ]:
        code = await admin.error_code(CREATE, input={"kind": kind, "name": "x", "parentId": parent})
        assert code == "ORG_NESTING_NOT_ALLOWED", (kind, code)
    with tenant_scope(tenant.id):
        assert await Organization.all().count() == 3


async def test_joint_branch_unit_limit_and_temporary_body(admin):
    committee = await create(admin, "PARTY_COMMITTEE", "报社党委")
    units = ["甲", "乙", "丙", "丁", "戊", "己"]
    code = await admin.error_code(
        CREATE,
        input={
            "kind": "JOINT_BRANCH",
            "name": "联合",
            "parentId": committee["id"],
            "coveredUnits": units,
        },
    )
    assert code == "JOINT_BRANCH_TOO_MANY_UNITS"
    joint = await create(admin, "JOINT_BRANCH", "联合党支部", committee["id"], coveredUnits=units[:5])
    assert joint["coveredUnits"] == units[:5]
    code = await admin.error_code(
        CREATE, input={"kind": "TEMPORARY_BRANCH", "name": "临时", "parentId": committee["id"]}
    )
    assert code == "INVALID_INPUT"
    temp = await create(
        admin,
        "TEMPORARY_BRANCH",
        "抗洪报道临时党支部",
        committee["id"],
        temporaryBody="抗洪抢险报道组",
    )
    assert temp["temporaryBody"] == "抗洪抢险报道组"


UPDATE = """
mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { errors { code } organization { name establishedOn } }
}
"""
DISSOLVE = """
mutation($input: DissolveOrganizationInput!) {
  dissolveOrganization(input: $input) { errors { code message } organization { isDissolved dissolvedOn } }
}
"""
MOVE = """
mutation($input: MoveOrganizationInput!) {
  moveOrganization(input: $input) { errors { code } organization { path depth parent { name } } }
}
"""


async def test_update_organization(admin, tenant):
    branch = await create(admin, "BRANCH", "旧名")
    payload = await admin.mutate(
        UPDATE, input={"id": branch["id"], "name": "新名", "establishedOn": "2020-07-01"}
    )
    assert payload["organization"] == {"name": "新名", "establishedOn": "2020-07-01"}
    with tenant_scope(tenant.id):
        record = await AuditRecord.get(operation="updateOrganization")
    assert record.before == {"name": "旧名", "established_on": None}
    assert record.after == {"name": "新名", "established_on": "2020-07-01"}


async def test_dissolve_refuses_members_and_children(admin, tenant):
    committee = await create(admin, "PARTY_COMMITTEE", "党委")
    branch = await create(admin, "BRANCH", "支部", committee["id"])
    with tenant_scope(tenant.id):
        member = await Member.create(name="张三", branch_id=int(_db_id(branch)), status="FULL")
    assert await admin.error_code(DISSOLVE, input={"id": branch["id"]}) == "ORG_HAS_MEMBERS"
    assert await admin.error_code(DISSOLVE, input={"id": committee["id"]}) == "ORG_HAS_CHILDREN"
    with tenant_scope(tenant.id):
        member.status = "TRANSFERRED_OUT"
        await member.save()
    payload = await admin.mutate(DISSOLVE, input={"id": branch["id"], "dissolvedOn": "2025-01-01"})
    assert payload["organization"] == {"isDissolved": True, "dissolvedOn": "2025-01-01"}
    # dissolved children no longer block the parent; organizations are never deleted
    await admin.mutate(DISSOLVE, input={"id": committee["id"]})
    assert await admin.error_code(DISSOLVE, input={"id": committee["id"]}) == "ORG_DISSOLVED"
    with tenant_scope(tenant.id):
        assert await Organization.all().count() == 2


def _db_id(node: dict) -> str:
    import base64

    return base64.b64decode(node["id"]).decode().split(":", 1)[1]


async def test_move_subtree_rewrites_paths_in_one_transaction(admin, tenant):
    a = await create(admin, "PARTY_COMMITTEE", "甲党委")
    b = await create(admin, "PARTY_COMMITTEE", "乙党委")
    general = await create(admin, "GENERAL_BRANCH", "总支", a["id"])
    branch = await create(admin, "BRANCH", "支部", general["id"])
    group = await create(admin, "PARTY_GROUP", "小组", branch["id"])

    payload = await admin.mutate(MOVE, input={"id": general["id"], "newParentId": b["id"]})
    assert payload["organization"]["parent"]["name"] == "乙党委"
    with tenant_scope(tenant.id):
        rows = {o.name: (o.path, o.depth) for o in await Organization.all()}
    bid, gid, brid, grid = (_db_id(x) for x in (b, general, branch, group))
    assert rows["总支"] == (f"/{bid}/{gid}/", 1)
    assert rows["支部"] == (f"/{bid}/{gid}/{brid}/", 2)
    assert rows["小组"] == (f"/{bid}/{gid}/{brid}/{grid}/", 3)
    assert rows["甲党委"][0] == f"/{_db_id(a)}/"

    # into its own subtree, and against the nesting rules: refused, nothing changes
    assert await admin.error_code(MOVE, input={"id": b["id"], "newParentId": branch["id"]}) == (
        "ORG_MOVE_INTO_OWN_SUBTREE"
    )
    assert await admin.error_code(MOVE, input={"id": branch["id"], "newParentId": group["id"]}) in (
        "ORG_MOVE_INTO_OWN_SUBTREE",
        "ORG_NESTING_NOT_ALLOWED",
    )
    with tenant_scope(tenant.id):
        assert {o.name: (o.path, o.depth) for o in await Organization.all()} == rows


async def test_a_move_that_fails_midway_changes_nothing(admin, tenant, monkeypatch):
    """The path UPDATE, the parent change and the audit record commit together or not at all."""
    from core.services import organizations as service

    a = await create(admin, "PARTY_COMMITTEE", "甲党委")
    b = await create(admin, "PARTY_COMMITTEE", "乙党委")
    general = await create(admin, "GENERAL_BRANCH", "总支", a["id"])
    branch = await create(admin, "BRANCH", "支部", general["id"])
    await create(admin, "PARTY_GROUP", "小组", branch["id"])
    with tenant_scope(tenant.id):
        before = {o.name: (o.path, o.depth, o.parent_id) for o in await Organization.all()}
        audited = await AuditRecord.filter(operation="moveOrganization").count()
    reached = []

    async def fail_after_paths_rewritten(hook: str, **kwargs):  # noqa: ANN003
        # the subtree's paths are rewritten in the transaction by now: prove it, then fail
        reached.append(kwargs["organization"].path)
        raise RuntimeError("injected failure after the path update")

    monkeypatch.setattr(service, "notify", fail_after_paths_rewritten)
    result = await admin.execute(MOVE, input={"id": general["id"], "newParentId": b["id"]})
    assert reached == [f"/{_db_id(b)}/{_db_id(general)}/"]
    assert result.errors and result.errors[0].message == "服务器内部错误"
    with tenant_scope(tenant.id):
        assert {o.name: (o.path, o.depth, o.parent_id) for o in await Organization.all()} == before
        assert await AuditRecord.filter(operation="moveOrganization").count() == audited


LIST = """
query($filter: OrganizationFilter, $first: Int, $after: String) {
  organizations(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_organization_connection_pages_and_filters(admin):
    root = await create(admin, "PARTY_COMMITTEE", "党委")
    for i in range(5):
        await create(admin, "BRANCH", f"第{i}支部", root["id"])
    page = (await admin.ok(LIST, first=2, filter={"kinds": ["BRANCH"]}))["organizations"]
    assert page["totalCount"] == 5 and len(page["edges"]) == 2 and page["pageInfo"]["hasNextPage"]
    rest = (
        await admin.ok(LIST, first=10, after=page["pageInfo"]["endCursor"], filter={"kinds": ["BRANCH"]})
    )["organizations"]
    assert len(rest["edges"]) == 3 and not rest["pageInfo"]["hasNextPage"]
    names = [e["node"]["name"] for e in page["edges"] + rest["edges"]]
    assert sorted(names) == [f"第{i}支部" for i in range(5)]
    sub = (await admin.ok(LIST, filter={"subtreeOf": root["id"]}))["organizations"]
    assert sub["totalCount"] == 6
    result = await admin.execute(LIST, first=1000)
    assert result.errors[0].extensions["code"] == "INVALID_INPUT"


async def test_organization_events_are_fired(admin, monkeypatch):
    from core.services import organizations as service

    events: list[tuple] = []

    async def spy(hook_name, **kwargs):  # noqa: ANN001, ANN003, ANN202
        events.append(
            (hook_name, kwargs["organization"].name, kwargs.get("old_path"), kwargs.get("new_path"))
        )

    monkeypatch.setattr(service, "notify", spy)
    a = await create(admin, "PARTY_COMMITTEE", "甲党委")
    b = await create(admin, "PARTY_COMMITTEE", "乙党委")
    branch = await create(admin, "BRANCH", "支部", a["id"])
    await admin.mutate(MOVE, input={"id": branch["id"], "newParentId": b["id"]})
    assert [e[:2] for e in events[:3]] == [
        ("zhibu_organization_created", "甲党委"),
        ("zhibu_organization_created", "乙党委"),
        ("zhibu_organization_created", "支部"),
    ]
    assert events[3] == ("zhibu_organization_moved", "支部", branch["path"], f"{b['path']}{_db_id(branch)}/")


async def test_nested_lists_are_bounded_in_sql(admin, tenant):
    """Organization.members and .activities return at most `first` rows each (default bounded), the
    newest activities first, chosen per organization in SQL."""
    from core.graphql.organizations.types import NESTED_ACTIVITIES, NESTED_MAX
    from core.models import Activity
    from core.testing import count_statements, db_id
    from tests.core_factories import org

    committee = await org(admin, "PARTY_COMMITTEE", "机关党委")
    branches = [await org(admin, "BRANCH", f"第{i}支部", committee) for i in range(2)]
    with tenant_scope(tenant.id):
        for index, branch in enumerate(branches):
            branch_id = db_id(branch["id"])
            for n in range(5):
                await Member.create(name=f"党员{index}-{n}", branch_id=branch_id, status="FULL")
            for day in range(1, NESTED_ACTIVITIES + 6):
                await Activity.create(
                    organization_id=branch_id,
                    kind="PARTY_LECTURE",
                    held_on=dt.date(2024, 1, 1) + dt.timedelta(days=day),
                    topic=f"党课{day}",
                )
    query = """query($id: ID!, $m: Int, $a: Int) { organization(id: $id) { children {
      members(first: $m) { name } activities(first: $a) { heldOn } } } }"""
    with count_statements() as statements:
        data = await admin.ok(query, id=committee["id"])
    children = data["organization"]["children"]
    assert [len(c["activities"]) for c in children] == [NESTED_ACTIVITIES, NESTED_ACTIVITIES]
    assert children[0]["activities"][0]["heldOn"] == str(
        dt.date(2024, 1, 1) + dt.timedelta(days=NESTED_ACTIVITIES + 5)
    )
    assert [len(c["members"]) for c in children] == [5, 5]
    data = await admin.ok(query, id=committee["id"], m=2, a=3)
    assert [(len(c["members"]), len(c["activities"])) for c in data["organization"]["children"]] == [
        (2, 3),
        (2, 3),
    ]
    assert any("ROW_NUMBER" in s for s in statements)
    assert await admin.error_code(query, id=committee["id"], a=NESTED_MAX + 1) == "INVALID_INPUT"
