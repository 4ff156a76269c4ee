"""The executor's leaf plans (core/graphql/core/execution.py): scalar and enum fields read directly
give graphql-core's answers and errors — the same document against the same types, once through a
plain strawberry schema and once with ``fast_resolvers`` and ``ZhibuExecutor``, answers alike."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry
from strawberry import relay

from core.graphql.core.execution import ZhibuExecutor
from core.graphql.core.nodes import ModelNode, fast_resolvers
from core.models import Member as MemberModel


@strawberry.enum
class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


@strawberry.type
class Thing(ModelNode):
    model = MemberModel

    id: relay.NodeID[int]
    name: str
    note: str | None
    colour: Colour
    held_on: dt.date
    count: int
    broken: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def missing(self) -> str:  # non-null, returns None: a field error, the parent nulled
        return None  # type: ignore[return-value]

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError(f"no {self.name}")

    @strawberry.field
    def error_value(self) -> str | None:
        return ValueError("returned, not raised")  # type: ignore[return-value]

    @strawberry.field
    def masked(self, info: strawberry.Info) -> str:  # reads the context only (a LazyInfo's shortcut)
        return self.name if info.context["sees"] else "*"

    @strawberry.field
    def where(self, info: strawberry.Info) -> str:  # reads the raw info (built on first use)
        return f"{info.field_name} {info.path.as_list()} {info.python_name} {info.context['sees']}"


@strawberry.type
class Other:
    name: str
    count: int


@strawberry.type
class Holder:
    things: list[Thing | None]

    @strawberry.field
    def strict(self) -> list[Thing] | None:  # a failing item nulls the whole list
        return self.things  # type: ignore[return-value]

    @strawberry.field
    def mixed(self) -> list[Thing | None]:  # a null, a wrong object, an exception object, a thing
        return [None, Holder(things=[]), ValueError("an item"), self.things[0]]  # type: ignore[list-item]

    @strawberry.field
    def either(self) -> list[Thing | Other]:  # a union: the same sub-selection on two types
        return [self.things[0], Other(name="o", count=9)]  # type: ignore[list-item]

    @strawberry.field
    async def later(self) -> list[Thing | None]:  # awaitable items
        async def item(thing: Thing) -> Thing:
            return thing

        return [item(thing) for thing in self.things]  # type: ignore[misc]


@strawberry.type
class Query:
    @strawberry.field
    def holder(self) -> Holder:
        return Holder(
            things=[
                Thing(id=1, name="a", note=None, colour=Colour.RED, held_on=dt.date(2026, 1, 2), count=3,
                      broken="x"),
                Thing(id=2, name="b", note="n", colour="BLUE", held_on=dt.date(2026, 2, 3), count=4,
                      broken=object()),
            ]
        )  # fmt: skip


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = strawberry.Schema(query=Query)
    fast = fast_resolvers(strawberry.Schema(query=Query, execution_context_class=ZhibuExecutor))
    return plain, fast


def _same(document: str) -> dict:
    plain, fast = _schemas()
    context = {"sees": False}
    expected, actual = (
        plain.execute_sync(document, context_value=context),
        fast.execute_sync(document, context_value=context),
    )
    assert actual.data == expected.data
    assert [(e.message, e.path) for e in actual.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]
    return {"data": actual.data, "errors": [e.message for e in actual.errors or []]}


def test_plans_are_listed_for_plain_scalar_fields_only() -> None:
    _, fast = _schemas()
    plans = fast._schema._zhibu_leaf_plans["Thing"]
    assert set(plans) == {
        "id", "name", "note", "colour", "heldOn", "count", "broken", "shout", "missing", "fails",
        "errorValue", "masked", "where",
    }  # fmt: skip
    assert plans["masked"][3] is not None and plans["name"][3] is None  # takes info / does not
    assert "Holder" not in fast._schema._zhibu_leaf_plans  # a list of objects is no leaf


def test_values_ids_enums_dates_and_aliases_answer_as_strawberry() -> None:
    answer = _same(
        "{ holder { things { id name note colour heldOn count shout n2: name c: colour __typename } } }"
    )
    assert answer["data"]["holder"]["things"][0] == {
        "id": "VGhpbmc6MQ==", "name": "a", "note": None, "colour": "RED", "heldOn": "2026-01-02",
        "count": 3, "shout": "A", "n2": "a", "c": "RED", "__typename": "Thing",
    }  # fmt: skip
    assert answer["data"]["holder"]["things"][1]["colour"] == "BLUE"


def test_methods_taking_info_see_the_same_info() -> None:
    answer = _same("{ holder { things { masked w: where } } }")
    assert answer["data"]["holder"]["things"][1] == {
        "masked": "*",
        "w": "where ['holder', 'things', 1, 'w'] where False",
    }


def test_errors_are_graphql_cores_own() -> None:
    assert _same("{ holder { things { name fails } } }")["errors"] == ["no a", "no b"]
    assert _same("{ holder { things { name errorValue } } }")["errors"] == ["returned, not raised"] * 2
    nulled = _same("{ holder { things { name missing } } }")
    assert nulled["data"] == {"holder": {"things": [None, None]}}
    assert nulled["errors"] == ["Cannot return null for non-nullable field Thing.missing."] * 2
    refused = _same("{ holder { things { name broken } } }")  # a value String refuses
    assert refused["data"]["holder"]["things"][0] == {"name": "a", "broken": "x"}
    assert refused["data"]["holder"]["things"][1] is None
    assert len(refused["errors"]) == 1


def test_list_items_complete_as_graphql_core_does() -> None:
    strict = _same("{ holder { strict { name missing } } }")
    assert strict["data"] == {"holder": {"strict": None}}
    mixed = _same("{ holder { mixed { name } } }")
    assert mixed["data"]["holder"]["mixed"] == [None, None, None, {"name": "a"}]
    assert len(mixed["errors"]) == 2  # the wrong object and the exception
    assert _same("{ holder { strict { name shout } } }")["data"]["holder"]["strict"][1] == {
        "name": "b",
        "shout": "B",
    }


async def test_awaitable_items_and_fields() -> None:
    plain, fast = _schemas()
    document = "{ holder { later { name missing } l2: later { name masked } } }"
    context = {"sees": True}
    expected = await plain.execute(document, context_value=context)
    actual = await fast.execute(document, context_value=context)
    assert actual.data == expected.data
    assert actual.data["holder"]["l2"] == [{"name": "a", "masked": "a"}, {"name": "b", "masked": "b"}]
    assert [e.path for e in actual.errors] == [e.path for e in expected.errors]


def test_unions_and_fragments() -> None:
    answer = _same(
        "fragment F on Thing { name colour } "
        "{ holder { either { __typename ...F ... on Other { name count } } } }"
    )
    assert answer["data"]["holder"]["either"] == [
        {"__typename": "Thing", "name": "a", "colour": "RED"},
        {"__typename": "Other", "name": "o", "count": 9},
    ]


def test_skip_and_include_still_apply() -> None:
    answer = _same(
        "query($no: Boolean = false) { holder { things { name @include(if: $no) count @skip(if: $no) } } }"
    )
    assert answer["data"]["holder"]["things"][0] == {"count": 3}


def test_the_executor_is_used_only_with_the_graphql_core_it_follows(monkeypatch, caplog):
    """A graphql-core other than the one ``ZhibuExecutor`` follows keeps strawberry's executor."""
    import graphql

    from core.graphql.core import execution

    assert execution.executor_class() is execution.ZhibuExecutor
    major, minor = execution.GRAPHQL_CORE_FOLLOWED
    monkeypatch.setattr(graphql, "version_info", type(graphql.version_info)(major, minor + 1, 0, "final", 0))
    assert execution.executor_class() is None
    assert "strawberry's executor" in caplog.text
