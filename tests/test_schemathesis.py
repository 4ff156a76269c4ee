"""Schemathesis GraphQL fuzzing: every query and mutation field, as a tenant administrator, over HTTP.

Schemathesis loads the schema by introspection (development mode allows it) and generates, per root
field, documents with arbitrary arguments. The ID positions of a document are then pointed, most of
the time, at real rows (of the kind the argument names, sometimes of another kind) that the
operation catalog's builders created, so cases reach the services and not only ID decoding; the
rest stay malformed or dangling. Strings are short, over-long or values the builders used; dates
are mostly recent and now and then at the ends of the calendar; decimals and numbers range widely.
Every answer must be typed: an HTTP 5xx or an error masked as ``INTERNAL_SERVER_ERROR``
(``服务器内部错误``) is a bug. Refusals (``INVALID_INPUT``, ``NOT_FOUND``, ``PERMISSION_DENIED``,
validation errors, payload ``errors``) are fine.

Generation is derandomized (a fixed seed per operation), without shrinking, example database or
deadline, so the run cannot flake and costs the same every time. The cases run in the session's
event loop through an ASGI transport (the database connections belong to it); failures are
collected and reported together, each with the logged exception behind a masked error.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
import random
import traceback
import zlib
from dataclasses import dataclass, field
from typing import Any

import graphql
import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.graphql import nodes
from schemathesis.specs.graphql.scalars import CUSTOM_SCALARS

from core.app import create_app
from core.graphql.core.errors import INTERNAL_CODE
from core.testing.world import PASSWORD, World, build_world, gid
from tests.catalog import Position, catalog
from tests.catalog.plugins import enable
from tests.support import make_tenant
from tests.test_auth import login

#: generated documents per root field (~170 fields: some 500 cases, 10-15 s on SQLite)
EXAMPLES_PER_OPERATION = 3
POSITIONS = (Position("own", "O", "OB"), Position("subtree", "OB", "OB"))
INTROSPECTION = graphql.get_introspection_query()
#: most documents name real rows of the kinds their ID arguments want ("sound"); in the others
#: each ID position gets a real ID of the kind its name suggests / of any kind / keeps what was drawn
SOUND_DOCUMENTS = 0.7
RIGHT_KIND, ANY_KIND = 0.4, 0.3
ENDING = ("dissolve", "cancel", "close", "end", "recall", "revoke", "withdraw", "disable", "logout")
ORGANIZATION_NAMES = ("organization", "branch", "parent", "scope", "group", "committee", "unit")


@dataclass
class Pool:
    """Real values of the tenant: global IDs by type name, and the strings the builders used."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    strings: list[str] = field(default_factory=list)
    exclude: set[str] = field(default_factory=set)

    def add(self, value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                self.add(item)
        elif isinstance(value, list | tuple):
            for item in value:
                self.add(item)
        elif isinstance(value, str) and value not in self.exclude:
            kind = type_of(value)
            if kind is not None:
                if value not in self.ids.setdefault(kind, []):
                    self.ids[kind].append(value)
            elif len(value) < 200 and value not in self.strings:
                self.strings.append(value)

    @property
    def all_ids(self) -> list[str]:
        return [i for kind in sorted(self.ids) for i in self.ids[kind]]

    def kinds_for(self, name: str, operation: str) -> list[str]:
        """The types an ID argument called ``name`` of ``operation`` probably wants."""
        stem = name.lower().removesuffix("ids").removesuffix("id")
        if not stem:  # plain ``id``: the type the operation is named after (the longest match)
            matches = [kind for kind in self.ids if kind.lower() in operation.lower()]
            return sorted(matches, key=len, reverse=True)[:1]
        if stem.endswith(ORGANIZATION_NAMES):
            return ["Organization"]
        return [kind for kind in sorted(self.ids) if kind.lower().endswith(stem)]


def type_of(value: str) -> str | None:
    """The type name of a global ID (``None`` for any other string)."""
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except ValueError:
        return None
    kind, _, node_id = decoded.partition(":")
    return kind if kind.isidentifier() and node_id.isdigit() else None


async def seed() -> tuple[World, Pool]:
    """The catalog's world (tree, members, one user per role) in a tenant with every plugin, plus
    what every catalog builder creates for its operation. The administrator's own user and the
    password stay out of the pool, so no case can lock the run out of the account it uses."""
    from core.plugins import installed_plugins

    plugins = [info.name for info in installed_plugins()]  # every plugin field reaches its code
    world = await build_world(await make_tenant(plugins=plugins))
    world.caller = "secretary"  # "self" builders prepare things for this user, not the admin
    pool = Pool(exclude={gid("User", world.users["admin"].id), PASSWORD})
    pool.add([world.org_gid(key) for key in world.orgs] + [world.member_gid(key) for key in world.members])
    pool.add([gid("User", user.id) for user in world.users.values()])
    for op in catalog().values():
        for position in POSITIONS:
            target = await op.build(world, position)
            if target is not None:
                pool.add(target.variables)
                break
    await enable(world, *plugins)  # the builders of enablePlugin/disablePlugin switch plugins off
    return world, pool


def _gid(type_name: str, node_id: str) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


def scalar_strategies(pool: Pool) -> dict[str, st.SearchStrategy]:
    """Value strategies (AST nodes) for the scalars, biased towards the inputs that find bugs."""
    odd_ids = st.sampled_from(
        [
            _gid("Member", "99999999"),  # well-formed, no such row
            _gid("Organization", "-1"),
            _gid("Organization", "99999999999999999999999"),  # over any integer column
            _gid("Organization", "abc"),
            _gid("Organization", ""),
            _gid("NoSuchType", "1"),
            "not-a-global-id",
            "",
            "1",
        ]
    )
    text = st.text(max_size=12)
    long_text = st.integers(min_value=300, max_value=3000).map(lambda n: "长" * n)
    used = st.sampled_from(pool.strings or ["BRANCH"])
    decimals = st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.sampled_from(["NaN", "Infinity", "-1", "1e400", "0.001", "abc", "99999999999999999999.99"]),
    )
    json_objects = st.dictionaries(
        st.sampled_from(["a", "enabled", "threshold", "fields"]), text.map(nodes.String), max_size=2
    ).map(
        lambda d: nodes.Object(
            [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in d.items()]
        )
    )
    recent = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
    dates = st.one_of(recent, recent, st.dates()).map(str)  # and now and then year 1 or 9999
    return {
        "ID": st.one_of(odd_ids, text).map(nodes.String),  # mostly replaced by real IDs, see `point`
        "Date": dates.map(nodes.String),
        "DateTime": st.tuples(dates, st.times().map("%sZ".__mod__)).map("T".join).map(nodes.String),
        "String": st.one_of(text, used, used, long_text).map(nodes.String),
        "Decimal": decimals.map(nodes.String),
        "JSON": st.one_of(json_objects, st.integers().map(nodes.Int), text.map(nodes.String)),
        # a file can only come in a multipart request: inline values must be refused, typed
        "Upload": st.one_of(text.map(nodes.String), st.just(graphql.NullValueNode())),
    }


class PointIds(graphql.Visitor):
    """Replaces ID values of a document by real IDs of the pool (deterministically, by ``rng``)."""

    def __init__(self, type_info: graphql.TypeInfo, pool: Pool, operation: str, rng: random.Random):
        super().__init__()
        self.type_info, self.pool, self.operation, self.rng = type_info, pool, operation, rng
        self.sound = rng.random() < SOUND_DOCUMENTS

    def _point(self, parent: Any, ancestors: Any) -> Any:
        named = graphql.get_named_type(self.type_info.get_input_type())
        if named is None or named.name != "ID":
            return None
        name = next(
            (
                a.name.value
                for a in reversed([*ancestors, parent])
                if isinstance(a, graphql.ArgumentNode | graphql.ObjectFieldNode)
            ),
            "id",
        )
        roll = 0.0 if self.sound else self.rng.random()
        kinds = self.pool.kinds_for(name, self.operation)
        if roll < RIGHT_KIND and kinds:
            choices = [i for kind in kinds for i in self.pool.ids[kind]]
        elif roll < RIGHT_KIND + ANY_KIND:
            choices = self.pool.all_ids
        else:
            return None
        return graphql.StringValueNode(value=self.rng.choice(choices))

    def enter_string_value(self, node: Any, key: Any, parent: Any, path: Any, ancestors: Any) -> Any:
        return self._point(parent, ancestors)

    def enter_int_value(self, node: Any, key: Any, parent: Any, path: Any, ancestors: Any) -> Any:
        return self._point(parent, ancestors)


def point(document: str, client_schema: graphql.GraphQLSchema, pool: Pool, label: str, n: int) -> str:
    rng = random.Random(zlib.crc32(f"{label}#{n}".encode()))
    type_info = graphql.TypeInfo(client_schema)
    visitor = PointIds(type_info, pool, label.split(".", 1)[1], rng)
    tree = graphql.visit(graphql.parse(document), graphql.TypeInfoVisitor(type_info, visitor))
    return graphql.print_ast(tree)


def ending(operation: Any) -> bool:
    """Whether ``operation`` ends what it touches (run last, so the others still find live rows)."""
    return operation.label.startswith("Mutation.") and operation.label.split(".")[1].startswith(ENDING)


def draw_cases(operation: Any, count: int) -> list[str]:
    """``count`` generated documents of one operation, deterministic (derandomized, no database)."""
    documents: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def collect(case: Any) -> None:
        documents.append(case.body)

    collect()
    return documents


@dataclass
class Fuzzed:
    operation: str
    query: str
    problem: str


class ErrorLog(logging.Handler):
    """Collects what ``zhibu.graphql`` logs (the exception behind each masked error)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
            where = f"{os.path.relpath(frames[-1].filename)}:{frames[-1].lineno}" if frames else "?"
            line = f"{type(exc).__name__} at {where}: {line}"
        self.lines.append(line)


def problems_of(response: httpx.Response, logged: list[str]) -> list[str]:
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:300]}"]
    if response.status_code == 401:
        return [f"HTTP 401 after signing in again: {response.text[:200]}"]
    try:
        body = response.json()
    except ValueError:
        return [f"HTTP {response.status_code}, not JSON: {response.text[:200]}"]
    found = []
    for error in body.get("errors") or []:
        if (error.get("extensions") or {}).get("code") == INTERNAL_CODE:
            found.append(" | ".join(logged or [f"{error.get('message')} at {error.get('path')}"]))
    return found


class Session:
    """The administrator's signed-in client; signs in again after a case ended the session
    (``logout`` revokes the token it is called with: that is its job, not a failure)."""

    def __init__(self, http: httpx.AsyncClient, world: World) -> None:
        self.http = http
        self.world = world
        self.headers: dict[str, str] = {}
        self.sign_ins = 0

    async def sign_in(self) -> None:
        """Through the ``login`` mutation the first time; afterwards a pair is issued directly, as
        the fuzzed ``login`` cases may have used up the sign-in attempts of the client address."""
        if self.sign_ins == 0:
            payload = await login(self.http, self.world.tenant, self.world.users["admin"].username)
            assert payload["errors"] == [], payload
            token = payload["accessToken"]
        else:
            from core.access.models import User
            from core.access.tokens import issue_pair
            from core.tenancy import tenant_scope

            with tenant_scope(self.world.tenant_id):
                user = await User.get(id=self.world.users["admin"].id)
            token = issue_pair(user.id, self.world.tenant_id, user.token_version).access_token
        self.headers = {"authorization": f"Bearer {token}"}
        self.sign_ins += 1

    async def post(self, query: str) -> httpx.Response:
        response = await self.http.post("/graphql", json={"query": query}, headers=self.headers)
        if response.status_code == 401:  # once per case: a second 401 is reported
            await self.sign_in()
            response = await self.http.post("/graphql", json={"query": query}, headers=self.headers)
        return response


async def test_every_operation_answers_typed_errors_only():
    world, pool = await seed()
    app = create_app(manage_db=False, listen_policies=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://zhibu", timeout=60) as http:
        session = Session(http, world)
        await session.sign_in()
        introspection = await session.post(INTROSPECTION)
        assert introspection.status_code == 200, introspection.text
        schema = schemathesis.graphql.from_dict(introspection.json(), config=SchemathesisConfig())

        saved = dict(CUSTOM_SCALARS)
        CUSTOM_SCALARS.update(scalar_strategies(pool))
        try:
            operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
            operations.sort(key=ending)  # queries, then mutations, those that end things last
            planned = [
                (op.label, [point(d, schema.client_schema, pool, op.label, n) for n, d in enumerate(docs)])
                for op in operations
                for docs in [draw_cases(op, EXAMPLES_PER_OPERATION)]
            ]
        finally:
            CUSTOM_SCALARS.clear()
            CUSTOM_SCALARS.update(saved)

        log = logging.getLogger("zhibu.graphql")
        handler = ErrorLog()
        log.addHandler(handler)
        log.propagate = False  # the assertion reports them; keep pytest's captured log short
        failures: list[Fuzzed] = []
        sent = 0
        try:
            for label, documents in planned:
                for document in documents:
                    handler.lines.clear()
                    response = await session.post(document)
                    sent += 1
                    for problem in problems_of(response, list(handler.lines)):
                        failures.append(Fuzzed(label, document, problem))
        finally:
            log.removeHandler(handler)
            log.propagate = True

    uncovered = [label for label, documents in planned if not documents]
    assert len(operations) > 150 and not uncovered, uncovered
    summary = "\n".join(sorted({f"- {f.operation}: {f.problem[:200]}" for f in failures}))
    details = "\n\n".join(f"{f.operation}\n{f.query}\n-> {f.problem}" for f in failures)
    assert not failures, (
        f"{len(failures)} of {sent} cases over {len(operations)} operations failed "
        f"({len({f.operation for f in failures})} operations):\n{summary}\n\n{details}"
    )


async def test_syntax_errors_are_typed_too():
    """Documents refused before execution (malformed: the parser; over the token or nesting limit:
    the scan before the parser, HTTP 400) — which never reach the generator above — get
    ``GRAPHQL_PARSE_FAILED`` like every other bad request."""
    app = create_app(manage_db=False, listen_policies=False)
    documents = {
        "{": (200, "Syntax Error"),
        "{ " + "a " * 5000 + "}": (400, "more than 4000 tokens"),
        "{ " + "a { " * 2000 + "b" + " }" * 2000 + " }": (400, "more than 4000 tokens"),
        "{ " + "a { " * 100 + "b" + " }" * 100 + " }": (400, "嵌套超过 64 层"),
    }
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu") as http:
        for document, (status, message) in documents.items():
            response = await http.post("/graphql", json={"query": document})
            assert response.status_code == status, response.text
            (error,) = response.json()["errors"]
            assert message in error["message"], error
            assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}, error


async def test_a_cancelled_load_leaves_the_shared_one_to_the_others():
    """Found by the fuzzing: graphql-core cancels the sibling fields of a field whose error nulls
    their parent; a cancelled caller of a loader must not cancel the future other fields share (the
    CancelledError used to escape the whole request)."""
    import asyncio

    from core.graphql.core.loaders import LoaderRegistry

    async def batch(keys):
        await asyncio.sleep(0.01)
        return [key * 10 for key in keys]

    loader = LoaderRegistry().custom("times ten", batch)
    cancelled = asyncio.ensure_future(loader.load_many([1, 2]))
    waiting = asyncio.ensure_future(loader.load(1))
    await asyncio.sleep(0)
    cancelled.cancel()
    assert await waiting == 10
    assert await loader.load(2) == 20
