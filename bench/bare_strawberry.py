"""The baseline of ``bench/agency_bench.py``: a bare strawberry server over zhibu's tables.

strawberry + asyncpg + strawberry's own DataLoaders, no authentication, no tenant binding, no
permissions, no masking, no audit — the least a Python GraphQL server must do to answer the bench's
two queries. It answers the same documents with the same JSON as zhibu (same field names, same
global IDs, same ordering and limits), reading ONE tenant (``BARE_TENANT_ID``) from
``BARE_DB_URL``:

    BARE_DB_URL=postgresql://… BARE_TENANT_ID=1 \\
        uvicorn --app-dir bench bare_strawberry:create_app --factory

Only what the bench's documents select is implemented.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections import defaultdict
from typing import Any

import asyncpg
import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader

ACTIVE_STATUSES = ["APPLICANT", "ACTIVIST", "CANDIDATE", "PROBATIONARY", "FULL"]


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def pk_of(value: str) -> int:
    return int(base64.b64decode(value).decode().split(":", 1)[1])


@strawberry.type
class ActivityStats:
    expected: int
    present: int
    leave: int
    absent: int
    attendance_rate: float | None


@strawberry.type
class Member:
    id: strawberry.ID
    name: str
    status: str
    phone: str


@strawberry.type
class Activity:
    id: strawberry.ID
    kind: str
    held_on: dt.date
    topic: str
    pk: strawberry.Private[int]

    @strawberry.field
    async def stats(self, info: strawberry.Info) -> ActivityStats:
        return await info.context["loaders"].stats.load(self.pk)


@strawberry.type
class Organization:
    id: strawberry.ID
    kind: str
    name: str
    path: str
    depth: int
    pk: strawberry.Private[int]

    @strawberry.field
    async def members(self, info: strawberry.Info, first: int | None = None) -> list[Member]:
        return await info.context["loaders"].members(first or 200).load(self.pk)

    @strawberry.field
    async def activities(self, info: strawberry.Info, first: int | None = None) -> list[Activity]:
        return await info.context["loaders"].activities(first or 100).load(self.pk)


@strawberry.type
class OrganizationConnection:
    nodes: list[Organization]


@strawberry.input
class OrganizationFilter:
    kinds: list[str] | None = None


def organization(row: Any) -> Organization:
    return Organization(
        id=strawberry.ID(gid("Organization", row["id"])),
        kind=row["kind"],
        name=row["name"],
        path=row["path"],
        depth=row["depth"],
        pk=row["id"],
    )


ORG_COLUMNS = "id, kind, name, path, depth"


class Loaders:
    """The DataLoaders of one request."""

    def __init__(self, pool: asyncpg.Pool, tenant_id: int) -> None:
        self.pool, self.tenant_id = pool, tenant_id
        self.stats = DataLoader(self._stats)
        self._members: dict[int, DataLoader] = {}
        self._activities: dict[int, DataLoader] = {}

    def members(self, limit: int) -> DataLoader:
        if limit not in self._members:
            self._members[limit] = DataLoader(lambda keys: self._first_members(keys, limit))
        return self._members[limit]

    def activities(self, limit: int) -> DataLoader:
        if limit not in self._activities:
            self._activities[limit] = DataLoader(lambda keys: self._first_activities(keys, limit))
        return self._activities[limit]

    async def _first_members(self, keys: list[int], limit: int) -> list[list[Member]]:
        rows = await self.pool.fetch(
            "SELECT id, name, status, phone, branch_id FROM ("
            " SELECT id, name, status, phone, branch_id,"
            "  ROW_NUMBER() OVER (PARTITION BY branch_id ORDER BY id) AS rank FROM member"
            " WHERE tenant_id = $1 AND branch_id = ANY($2) AND status = ANY($3)) ranked"
            " WHERE rank <= $4 ORDER BY id",
            self.tenant_id,
            list(keys),
            ACTIVE_STATUSES,
            limit,
        )
        groups: dict[int, list[Member]] = defaultdict(list)
        for r in rows:
            groups[r["branch_id"]].append(
                Member(
                    id=strawberry.ID(gid("Member", r["id"])),
                    name=r["name"],
                    status=r["status"],
                    phone=r["phone"],
                )
            )
        return [groups.get(k, []) for k in keys]

    async def _first_activities(self, keys: list[int], limit: int) -> list[list[Activity]]:
        rows = await self.pool.fetch(
            "SELECT id, kind, held_on, topic, organization_id FROM ("
            " SELECT id, kind, held_on, topic, organization_id,"
            "  ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY held_on DESC, id DESC) AS rank"
            " FROM activity WHERE tenant_id = $1 AND organization_id = ANY($2) AND cancelled_on IS NULL"
            ") ranked WHERE rank <= $3 ORDER BY held_on DESC, id DESC",
            self.tenant_id,
            list(keys),
            limit,
        )
        groups: dict[int, list[Activity]] = defaultdict(list)
        for r in rows:
            groups[r["organization_id"]].append(
                Activity(
                    id=strawberry.ID(gid("Activity", r["id"])),
                    kind=r["kind"],
                    held_on=r["held_on"],
                    topic=r["topic"],
                    pk=r["id"],
                )
            )
        return [groups.get(k, []) for k in keys]

    async def _stats(self, keys: list[int]) -> list[ActivityStats]:
        rows = await self.pool.fetch(
            "SELECT activity_id, status, COUNT(*) AS n FROM attendance"
            " WHERE tenant_id = $1 AND activity_id = ANY($2) GROUP BY activity_id, status",
            self.tenant_id,
            list(keys),
        )
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for r in rows:
            counts[r["activity_id"]][r["status"]] = r["n"]
        result = []
        for key in keys:
            c = counts.get(key, {})
            present, leave, absent = c.get("PRESENT", 0), c.get("LEAVE", 0), c.get("ABSENT", 0)
            expected = present + leave + absent
            rate = round(present / expected, 4) if expected else None
            result.append(
                ActivityStats(
                    expected=expected, present=present, leave=leave, absent=absent, attendance_rate=rate
                )
            )
        return result


@strawberry.type
class Query:
    @strawberry.field
    async def organizations(
        self, info: strawberry.Info, filter: OrganizationFilter | None = None, first: int | None = None
    ) -> OrganizationConnection:
        context = info.context
        kinds = filter.kinds if filter and filter.kinds else None
        rows = await context["pool"].fetch(
            f"SELECT {ORG_COLUMNS} FROM organization WHERE tenant_id = $1 AND dissolved_on IS NULL"
            " AND ($2::text[] IS NULL OR kind = ANY($2)) ORDER BY path, id LIMIT $3",
            context["tenant_id"],
            kinds,
            first or 100,
        )
        return OrganizationConnection(nodes=[organization(r) for r in rows])

    @strawberry.field
    async def organization(self, info: strawberry.Info, id: strawberry.ID) -> Organization | None:
        context = info.context
        row = await context["pool"].fetchrow(
            f"SELECT {ORG_COLUMNS} FROM organization WHERE tenant_id = $1 AND id = $2",
            context["tenant_id"],
            pk_of(id),
        )
        return organization(row) if row else None


class BareGraphQL(GraphQL):
    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:  # type: ignore[override]
        state = request.app.state
        return {
            "pool": state.pool,
            "tenant_id": state.tenant_id,
            "loaders": Loaders(state.pool, state.tenant_id),
        }


def create_app() -> Starlette:
    import contextlib

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):  # noqa: ANN202
        app.state.pool = await asyncpg.create_pool(os.environ["BARE_DB_URL"], min_size=2, max_size=10)
        app.state.tenant_id = int(os.environ["BARE_TENANT_ID"])
        try:
            yield
        finally:
            await app.state.pool.close()

    async def health(request: Any) -> Any:
        from starlette.responses import JSONResponse

        return JSONResponse({"status": "ok"})

    graphql = BareGraphQL(strawberry.Schema(query=Query), graphql_ide=None)
    routes = [Route("/graphql", graphql, methods=["POST"]), Route("/health", health)]
    return Starlette(routes=routes, lifespan=lifespan)
