"""``GET /export/members.xlsx``: the roster as a spreadsheet, for a signed-in caller.

The caller is resolved exactly as for ``POST /graphql`` (the bearer token; the demo header on the
demo's loopback), so the same grants and the same masking apply (:mod:`core.roster.export`).
Query parameters: ``subtreeOf`` (an organization's global ID) and ``status`` (repeatable,
``FULL``, ``PROBATIONARY`` …; default everyone still attached). Refusals are GraphQL-shaped JSON with
a code: 401 ``UNAUTHENTICATED`` / ``TOKEN_EXPIRED``, 403 ``PERMISSION_DENIED``, 400 ``INVALID_INPUT``,
404 ``NOT_FOUND``. Every export leaves an audit record (``exportMembers``: rows, masked rows, filters).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from core.errors import DomainError, PermissionDenied, ValidationFailed

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATUS = {"UNAUTHENTICATED": 401, "TOKEN_EXPIRED": 401, "PERMISSION_DENIED": 403, "NOT_FOUND": 404}


def error_response(error: DomainError) -> JSONResponse:
    extensions: dict[str, Any] = {"code": error.code}
    if error.field:
        extensions["field"] = error.field
    status = _STATUS.get(error.code, 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"data": None, "errors": [{"message": error.message, "extensions": extensions}]},
                        status_code=status, headers=headers)  # fmt: skip


def _filters(request: Request) -> tuple[int | None, list[Any] | None]:
    from core.graphql.core.nodes import decode_id
    from core.models import MemberStatus

    subtree = request.query_params.get("subtreeOf")
    subtree_id = decode_id(subtree, "Organization", field="subtreeOf") if subtree else None
    statuses = []
    for value in request.query_params.getlist("status"):
        try:
            statuses.append(MemberStatus(value))
        except ValueError:
            raise ValidationFailed(f"未知的状态：{value}", field="status") from None
    return subtree_id, statuses or None


def export_members_route(
    resolver: Callable[[Request], Awaitable[Any]],
) -> Callable[[Request], Awaitable[Response]]:
    async def export_members(request: Request) -> Response:
        from tortoise.transactions import in_transaction

        from core import audit
        from core.models import Tenant
        from core.roster.export import export_filename, roster_rows
        from core.roster.workbook import roster_workbook
        from core.tenancy import tenant_scope

        try:
            principal = await resolver(request)
            if principal.tenant_id is None:
                if principal.is_platform_operator:
                    raise PermissionDenied("平台运营账号不能查看单位的党员名册")
                raise DomainError("UNAUTHENTICATED", "请先登录")
            subtree_id, statuses = _filters(request)
            with tenant_scope(principal.tenant_id):
                export = await roster_rows(principal, subtree_of=subtree_id, statuses=statuses)
                tenant = await Tenant.get(id=principal.tenant_id)
                data = await asyncio.to_thread(roster_workbook, export)
                async with in_transaction():
                    with audit.audited(
                        "exportMembers",
                        actor_id=principal.user_id,
                        actor=principal.label,
                        request_id=request.scope.get("state", {}).get("request_id", ""),
                    ) as trail:
                        audit.event(
                            "MemberExport",
                            subtree_id if subtree_id is not None else "-",
                            {"rows": len(export.rows), "masked": export.masked,
                             "statuses": [str(s) for s in statuses or []]},
                        )  # fmt: skip
                        await trail.flush(principal.tenant_id)
        except DomainError as error:
            return error_response(error)
        name = export_filename(tenant.slug)
        return Response(
            data,
            media_type=XLSX_TYPE,
            headers={
                "Content-Disposition": f"attachment; filename=roster.xlsx; filename*=UTF-8''{quote(name)}",
                "Cache-Control": "no-store",
                "X-Roster-Rows": str(len(export.rows)),
                "X-Roster-Masked": str(export.masked),
            },
        )

    return export_members
