"""The ASGI application: ``POST /graphql`` (strawberry on starlette), GraphiQL in development.

The request's principal (and with it the tenant) is resolved once per request by the configured
``PrincipalResolver``. No unauthenticated path may choose a tenant: the default resolver yields an
anonymous principal; the development header resolver is only installed by ``zhibu demo``/``--dev``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from core.db import close_db, init_db
from core.graphql.core.context import Context
from core.principal import Principal
from schema import get_schema

PrincipalResolver = Callable[[Request], Awaitable[Principal]]


async def anonymous_principal(request: Request) -> Principal:
    return Principal(tenant_id=None, label="anonymous")


def _default_resolver() -> PrincipalResolver:
    try:
        from core.access.authentication import principal_from_request  # type: ignore
    except ImportError:  # access layer not installed
        return anonymous_principal
    return principal_from_request


class ZhibuGraphQL(GraphQL):
    def __init__(self, *args: Any, principal_resolver: PrincipalResolver, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.principal_resolver = principal_resolver

    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        principal = await self.principal_resolver(request)
        context = Context(principal=principal, request=request, response=response)
        request_id = request.headers.get("x-request-id")
        if request_id:
            context.request_id = request_id[:64]
        return context


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(
    *,
    db_url: str | None = None,
    debug: bool = False,
    principal_resolver: PrincipalResolver | None = None,
    manage_db: bool = True,
) -> Starlette:
    """Build the ASGI app. ``manage_db=False`` when the caller has initialised tortoise already."""
    graphql = ZhibuGraphQL(
        get_schema(),
        graphql_ide="graphiql" if debug else None,
        allow_queries_via_get=False,
        principal_resolver=principal_resolver or _default_resolver(),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_db:
            await init_db(db_url)
        try:
            yield
        finally:
            if manage_db:
                await close_db()

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/health", health),
    ]
    return Starlette(debug=debug, routes=routes, lifespan=lifespan)
