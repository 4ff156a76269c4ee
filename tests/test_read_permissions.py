"""The one read-side permission mechanism (core/graphql/core/fields.py): fields declare their
permission and the extension applies it by position — root fields refuse, nested fields give null or
a filtered list and never an error — with ``scope="source"``, the self rule and objects readable
from two places. Through the real schema (a small world) and through a schema of its own built with
the same ``field`` a plugin uses, so every branch of the mechanism is exercised."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
import strawberry
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType
from strawberry.schema.schema_converter import GraphQLCoreConverter

from core.graphql.core.connection import Connection, Edge, PageInfo
from core.graphql.core.fields import ROOT_TYPES, PermissionExtension, field
from core.principal import Principal
from core.testing import GraphQLClient
from core.testing.world import build_world

ROOT = Path(__file__).resolve().parent.parent

ORG = """query($id: ID!) { organization(id: $id) {
  name parent { name } ancestors { name } children { name }
  members { name } activities { id } committeeTerms { id } currentCommittee { id } } }"""


@pytest.fixture
async def world():
    return await build_world()


def _principal(world, grants: dict[str, tuple[str, ...]], member: str | None = None) -> Principal:
    return Principal(
        tenant_id=world.tenant_id,
        user_id=1,
        label="test",
        grants=grants,
        member_id=world.members[member].id if member else None,
    )


async def test_nested_fields_outside_the_grants_are_null_or_filtered_never_an_error(world):
    """A branch reader sees its branch; the committee above is null, the ancestors list keeps only
    what it may read, and lists it holds no permission for at all are empty — with no error."""
    ob = world.path("OB")
    reader = GraphQLClient(_principal(world, {"ORG_READ": (ob,)}))
    result = await reader.execute(ORG, id=world.org_gid("OG"))
    assert result.errors is None, result.errors
    org = result.data["organization"]
    assert org["name"] == "第一党小组"
    assert org["parent"] == {"name": "办公室党支部"}  # OB: inside the grant
    assert org["ancestors"] == [{"name": "办公室党支部"}]  # R and O left out
    assert org["members"] == [] and org["activities"] == [] and org["committeeTerms"] == []
    assert org["currentCommittee"] is None

    result = await reader.execute(ORG, id=world.org_gid("OB"))
    assert result.errors is None
    assert result.data["organization"]["parent"] is None  # O is outside the grant
    assert result.data["organization"]["children"] == [{"name": "第一党小组"}]


async def test_root_fields_still_refuse(world):
    reader = GraphQLClient(_principal(world, {"ORG_READ": (world.path("OB"),)}))
    assert await reader.error_code(ORG, id=world.org_gid("O")) == "PERMISSION_DENIED"
    nowhere = GraphQLClient(_principal(world, {"MEMBER_READ": (world.path("OB"),)}))
    assert await nowhere.error_code(ORG, id=world.org_gid("OB")) == "PERMISSION_DENIED"


async def test_member_lists_keep_what_the_caller_may_read_and_the_callers_own_record(world):
    ob = world.path("OB")
    secretary = GraphQLClient(_principal(world, {"ORG_READ": (ob,), "MEMBER_READ": (ob,)}))
    data = await secretary.ok(ORG, id=world.org_gid("OB"))
    assert {m["name"] for m in data["organization"]["members"]} == {"党员OB1", "党员OB2"}

    # the self rule: MEMBER_READ nowhere, but the caller's own record stays in the list
    member = GraphQLClient(_principal(world, {"ORG_READ": (ob,)}, member="OB-1"))
    data = await member.ok(ORG, id=world.org_gid("OB"))
    assert [m["name"] for m in data["organization"]["members"]] == ["党员OB1"]


async def test_scope_source_checks_the_parent_once(world):
    """Statistics parts are declared ``scope="source"``: each is null unless the caller holds its
    permission where the statistics stand."""
    ob = world.path("OB")
    reader = GraphQLClient(_principal(world, {"ORG_READ": (ob,), "MEMBER_READ": (ob,)}))
    query = """query($id: ID) { statistics(from: "2025-01-01", to: "2025-12-31", scopeId: $id) {
      members { total } dues { bills } } }"""
    result = await reader.execute(query, id=world.org_gid("OB"))
    assert result.errors is None
    assert result.data["statistics"]["members"]["total"] == 2
    assert result.data["statistics"]["dues"] is None


# --- the mechanism on a schema of its own, as a plugin would declare fields ---


@dataclass
class _Context:
    principal: Principal


calls: list[str] = []


@strawberry.type
class Place:
    name: str
    scope_path: strawberry.Private[str]


@strawberry.type
class Shared:
    name: str
    scope_paths: strawberry.Private[tuple[str, ...]]


@strawberry.type
class Person:
    name: str
    scope_path: strawberry.Private[str]
    self_member_id: strawberry.Private[int]

    @field(permission="SECRET_READ", description="Seen by those who may read secrets where the person is.")
    def secrets(self) -> list[Place]:
        calls.append("Person.secrets")
        return [Place(name="secret", scope_path="/9/")]


A, B = Place(name="a", scope_path="/1/"), Place(name="b", scope_path="/2/")


@strawberry.type
class Holder:
    scope_path: strawberry.Private[str] = "/1/"

    @field(permission="THING_READ")
    def one(self) -> Place | None:
        return B

    @field(permission="THING_READ")
    def many(self) -> list[Place]:
        return [A, B]

    @field(permission="THING_READ")
    def shared(self) -> list[Shared]:
        return [Shared(name="ab", scope_paths=("/2/", "/1/")), Shared(name="b", scope_paths=("/2/",))]

    @field(permission="THING_READ")
    def page(self) -> Connection[Place]:
        info = PageInfo(has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None)
        return Connection(edges=[Edge(cursor="0", node=A), Edge(cursor="1", node=B)], page_info=info)

    @field(permission="OTHER_READ")
    def nowhere(self) -> list[Place]:
        calls.append("Holder.nowhere")
        return [A]

    @field(permission="HERE_READ", scope="source")
    def here(self) -> list[str]:
        calls.append("Holder.here")
        return ["x"]

    @field(permission="THING_READ", scope="tenant")
    def accounts(self) -> list[str]:
        return ["admin"]

    @field(permission="THING_READ")
    def person(self) -> Person | None:
        return Person(name="me", scope_path="/2/", self_member_id=7)


@strawberry.type
class Query:
    @field(permission="THING_READ")
    def holder(self, at: str = "/1/") -> Holder:
        return Holder(scope_path=at)

    @field(permission="THING_READ")
    def place(self, name: str) -> Place | None:
        return {"a": A, "b": B}[name]

    @field(permission="THING_READ")
    def places(self) -> list[Place]:
        return [A, B]

    @field(permission="THING_READ", scope="tenant")
    def audit(self) -> list[str]:
        return ["entry"]


SCHEMA = strawberry.Schema(query=Query)


def _run(query: str, grants: dict[str, tuple[str, ...]], member_id: int | None = None):
    principal = Principal(tenant_id=1, grants=grants, member_id=member_id)
    return SCHEMA.execute_sync(query, context_value=_Context(principal))


def test_mechanism_nested_single_list_connection_and_shared_objects():
    calls.clear()
    result = _run(
        "{ holder { one { name } many { name } shared { name } page { edges { node { name } } } "
        "nowhere { name } here } }",
        {"THING_READ": ("/1/",), "HERE_READ": ("/1/",)},
    )
    assert result.errors is None, result.errors
    holder = result.data["holder"]
    assert holder["one"] is None
    assert holder["many"] == [{"name": "a"}]
    assert holder["shared"] == [{"name": "ab"}]  # readable from either of its places
    assert holder["page"]["edges"] == [{"node": {"name": "a"}}]
    assert holder["nowhere"] == []
    assert holder["here"] == ["x"]
    assert "Holder.nowhere" not in calls  # held nowhere: the resolver does not run


def test_mechanism_scope_source_refuses_before_the_resolver():
    calls.clear()
    result = _run('{ holder(at: "/2/") { here } }', {"THING_READ": ("/",), "HERE_READ": ("/1/",)})
    assert result.errors is None
    assert result.data["holder"]["here"] == []
    assert calls == []


def test_mechanism_root_single_refused_root_list_filtered():
    result = _run('{ place(name: "b") { name } }', {"THING_READ": ("/1/",)})
    assert result.errors and result.errors[0].extensions["code"] == "PERMISSION_DENIED"
    result = _run("{ places { name } }", {"THING_READ": ("/1/",)})
    assert result.errors is None and result.data["places"] == [{"name": "a"}]
    result = _run("{ places { name } }", {"OTHER_READ": ("/",)})
    assert result.errors[0].extensions["code"] == "PERMISSION_DENIED"


def test_mechanism_the_self_rule():
    """The caller's own record is readable, and so is what is nested under it."""
    calls.clear()
    query = "{ holder { person { name secrets { name } } } }"
    result = _run(query, {"THING_READ": ("/1/",)}, member_id=7)
    assert result.errors is None
    assert result.data["holder"]["person"] == {"name": "me", "secrets": [{"name": "secret"}]}
    result = _run(query, {"THING_READ": ("/1/",)}, member_id=8)
    assert result.errors is None and result.data["holder"]["person"] is None


def test_mechanism_whole_tenant_grant_reads_everything():
    result = _run("{ holder { one { name } many { name } } }", {"THING_READ": ("/",)})
    assert result.data["holder"] == {"one": {"name": "b"}, "many": [{"name": "a"}, {"name": "b"}]}


# --- the mechanism is the only one ---


def _permission_fields(schema) -> list[tuple[str, str, object]]:
    out = []
    names = schema.config.name_converter
    for type_name, gtype in schema._schema.type_map.items():
        if not isinstance(gtype, GraphQLObjectType) or type_name.startswith("__"):
            continue
        definition = (gtype.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        for f in getattr(definition, "fields", ()):
            if any(isinstance(e, PermissionExtension) for e in f.extensions):
                out.append(
                    (type_name, names.get_graphql_name(f), gtype.fields[names.get_graphql_name(f)].type)
                )
    return out


def test_every_nested_permission_field_may_be_null_or_is_a_list():
    """A nested field outside the caller's grants is null: it must be nullable (or a list)."""
    from schema import build_schema

    bad = [
        f"{t}.{name}: {gtype}"
        for t, name, gtype in _permission_fields(build_schema())
        if t not in ROOT_TYPES
        and isinstance(gtype, GraphQLNonNull)
        and not isinstance(gtype.of_type, GraphQLList)
    ]
    assert bad == []


def test_no_hand_written_read_checks_in_graphql_code():
    """Resolvers and types never call ``principal.allows`` themselves: fields declare their
    permission (``@field``), arguments go through ``organization_argument``/``require_read``.
    (``principal.prefixes`` is the SQL form of the same grants — ``scoped``, ``path_filter``.)"""
    allowed = {ROOT / "core/graphql/core/fields.py"}
    files = [*(ROOT / "core/graphql").rglob("*.py"), *(ROOT / "plugins").rglob("graphql.py")]
    offenders = []
    for path in files:
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "allows":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_mechanism_scope_tenant_needs_the_whole_tenant():
    result = _run("{ audit holder { accounts } }", {"THING_READ": ("/",)})
    assert result.errors is None and result.data == {"audit": ["entry"], "holder": {"accounts": ["admin"]}}
    result = _run("{ holder { accounts } }", {"THING_READ": ("/1/",)})
    assert result.errors is None and result.data["holder"]["accounts"] == []
    result = _run("{ audit }", {"THING_READ": ("/1/",)})
    assert result.errors[0].extensions["code"] == "PERMISSION_DENIED"
