"""The ASGI application: ``POST /graphql`` (strawberry on starlette), GraphiQL in development.

GraphiQL (development mode only) is served with its assets from the package
(:mod:`core.http.graphiql`, ``/static/graphiql/…``): it opens without internet access.

The request's principal (and with it the tenant) is resolved once per request by the configured
``PrincipalResolver`` — by default :func:`core.access.authentication.principal_from_request`, which
reads the bearer token only. No unauthenticated path may choose a tenant. A bad, expired or revoked
token is answered with HTTP 401 and a GraphQL-shaped error (``UNAUTHENTICATED`` / ``TOKEN_EXPIRED``)
before anything runs. Platform operators sign in at ``POST /auth/platform/login`` (they have no
tenant, so their sign-in is not a tenant-audited mutation). On PostgreSQL the app LISTENs for policy
changes (:class:`core.access.enforcer.PolicyListener`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send
from strawberry import UNSET
from strawberry.asgi import GraphQL

from core import plugins
from core.db import close_db, init_db
from core.error_codes import TransportErrorCode
from core.errors import CommonErrorCode, DomainError
from core.graphql.core.context import Context
from core.graphql.core.limits import prescan
from core.http.body_limit import BodySizeLimit
from core.http.errors import RequestRefused, too_large
from core.http.request_log import RequestLog
from core.principal import Principal
from core.settings import get_settings
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
    def __init__(self, *args: Any, principal_resolver: PrincipalResolver, development: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.principal_resolver = principal_resolver
        self.development = development

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST":
            request = Request(scope, receive=receive)
            try:
                principal = await self.principal_resolver(request)
            except DomainError as error:
                await unauthorized(error)(scope, receive, send)
                return
            scope.setdefault("state", {})["principal"] = principal
        await super().__call__(scope, receive, send)

    async def parse_http_body(self, request: Any) -> Any:
        """The request's operation(s), refused before the (Python) parser runs when they would
        cost too much: 413 ``REQUEST_TOO_LARGE`` for a document longer than
        ``ZHIBU_MAX_DOCUMENT_CHARS`` (``unit``: ``CHARACTERS``), 400 ``GRAPHQL_PARSE_FAILED`` for one
        over the token, nesting, alias or directive limits (:func:`prescan`, a C-speed scan)."""
        data = await super().parse_http_body(request)
        limit = get_settings().max_document_chars
        for item in data if isinstance(data, list) else [data]:
            if item.query is None:
                continue
            if len(item.query) > limit:
                raise too_large(limit, "CHARACTERS")
            problem = prescan(item.query)
            if problem is not None:
                raise RequestRefused(400, TransportErrorCode.GRAPHQL_PARSE_FAILED, reason=problem)
        return data

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:  # type: ignore[override]
        """Refusals before execution answered GraphQL-shaped with a code: ours
        (:meth:`parse_http_body`) with theirs, strawberry's own (a malformed multipart body, a
        missing file, an unsupported content type) as ``INVALID_INPUT`` with strawberry's reason,
        like every other bad input."""
        try:
            return await super().run(request, context, root_value)
        except RequestRefused as error:
            return error.response()
        except HTTPException as error:
            refused = RequestRefused(error.status_code, CommonErrorCode.INVALID_INPUT, reason=error.reason)
            return refused.response()

    async def render_graphql_ide(self, request: Request) -> Any:  # type: ignore[override]
        """The development GraphiQL page, its assets served by this app (no CDN)."""
        from core.http.graphiql import graphiql_page

        return graphiql_page()

    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        principal = getattr(request.state, "principal", None)
        if principal is None:
            principal = await self.principal_resolver(request)
        context = Context(
            principal=principal, request=request, response=response, development=self.development
        )
        request_id = request.scope.get("state", {}).get("request_id")
        if request_id:
            context.request_id = request_id
        context.prime_tenant(getattr(request.state, "tenant", None))
        request.scope.setdefault("state", {})["graphql_context"] = context  # for the request log
        await plugins.graphql_context(context)
        return context


def unauthorized(error: DomainError) -> JSONResponse:
    """401 with a GraphQL-shaped typed error; says nothing about what exactly was wrong."""
    body = {"data": None, "errors": [{"message": error.message, "extensions": {"code": error.code}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


def too_many_attempts(error: DomainError) -> JSONResponse:
    """429 with the code and the seconds until the caller may try again."""
    retry = int(error.details["retry_after"])
    body = {
        "data": None,
        "errors": [{"message": error.message, "extensions": {"code": error.code, "retryAfter": retry}}],
    }
    return JSONResponse(body, status_code=429, headers={"Retry-After": str(retry)})


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def platform_login(request: Request) -> JSONResponse:
    """``POST /auth/platform/login`` {username, password} or {refreshToken}: platform operator tokens."""
    from core.access import services

    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return RequestRefused(400, CommonErrorCode.INVALID_INPUT, reason="请求体应为 JSON 对象").response()
    from core.access.throttle import SignInKeys, SignInThrottle, client_address
    from core.access.tokens import refresh_token_subject

    refresh = str(body.get("refreshToken") or "")
    username = str(body.get("username", ""))[:64]
    if refresh:
        subject = refresh_token_subject(refresh)
        account = f"platform-refresh:{subject}" if subject else None
    else:
        account = f"platform:{username.lower()}"
    keys = SignInKeys(account=account, address=client_address(request))
    throttle = SignInThrottle()
    refusal = await throttle.refusal(keys)
    if refusal is not None:
        return too_many_attempts(refusal)
    try:
        if refresh:
            pair = await services.platform_refresh(refresh)
        else:
            _, pair = await services.platform_login(username, str(body.get("password", "")))
    except DomainError as error:
        await throttle.settle(keys, [error.code])
        return unauthorized(error)
    await throttle.settle(keys, [])
    return JSONResponse(
        {
            "accessToken": pair.access_token,
            "refreshToken": pair.refresh_token,
            "expiresAt": pair.expires_at.isoformat(),
        }
    )


def create_app(
    *,
    db_url: str | None = None,
    development: bool | None = None,
    principal_resolver: PrincipalResolver | None = None,
    manage_db: bool = True,
    listen_policies: bool = True,
    enforcer_cache: Any = None,
) -> Starlette:
    """Build the ASGI app. ``manage_db=False`` when the caller has initialised tortoise already.

    ``enforcer_cache`` (a :class:`core.access.enforcer.EnforcerCache`; default: the process's) holds
    the Casbin enforcers and derived grants this app's requests use — two apps with their own caches
    in one process behave like two workers.

    ``development`` (default: ``ZHIBU_DEBUG``) turns on GraphiQL and shows the schema to anyone;
    ``zhibu serve`` builds the app with it off and refuses development settings.
    """
    if development is None:
        development = get_settings().debug
    graphql = ZhibuGraphQL(
        get_schema(),
        graphql_ide="graphiql" if development else None,
        allow_queries_via_get=False,
        # file uploads (importMembers): safe from CSRF because credentials travel only in the
        # Authorization header, which a cross-site form cannot set (no cookies, no basic auth)
        multipart_uploads_enabled=True,
        principal_resolver=principal_resolver or _default_resolver(),
        development=development,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_db:
            await init_db(db_url)
        listener = await _start_policy_listener(db_url, enforcer_cache) if listen_policies else None
        await plugins.startup(app)
        try:
            yield
        finally:
            if listener is not None:
                await listener.stop()
            if manage_db:
                await close_db()

    from core.spreadsheets.http import export_route

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/export/{kind}.xlsx", export_route(graphql.principal_resolver), methods=["GET"]),
        Route("/auth/platform/login", platform_login, methods=["POST"]),
        Route("/health", health),
    ]
    if development:
        from core.http.graphiql import ASSETS_PREFIX, assets_app

        routes.append(Mount(ASSETS_PREFIX, app=assets_app(), name="graphiql-assets"))
    middleware = [Middleware(RequestLog), Middleware(BodySizeLimit)]
    if enforcer_cache is not None:
        middleware.append(Middleware(EnforcerScope, cache=enforcer_cache))
    return Starlette(debug=False, routes=routes, middleware=middleware, lifespan=lifespan)


class EnforcerScope:
    """ASGI middleware: the app's own enforcer cache for everything a request does."""

    def __init__(self, app: Any, cache: Any) -> None:
        self.app, self.cache = app, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from core.access.enforcer import using_cache

        with using_cache(self.cache):
            await self.app(scope, receive, send)


async def _start_policy_listener(db_url: str | None, cache: Any = None) -> Any:
    """LISTEN for access-policy changes on PostgreSQL; ``None`` (polling) elsewhere or on failure."""
    import logging

    url = db_url or get_settings().db_url
    if not url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return None
    from core.access.enforcer import PolicyListener

    listener = PolicyListener(url.replace("asyncpg://", "postgresql://", 1), cache)
    try:
        await listener.start()
    except Exception:  # noqa: BLE001
        logging.getLogger("zhibu.access").warning("policy LISTEN unavailable: polling", exc_info=True)
        return None
    return listener
