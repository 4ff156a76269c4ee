"""``GET /export/<kind>.xlsx``: an export (:mod:`core.exports`) for a signed-in caller.

The caller is resolved exactly as for ``POST /graphql`` (the bearer token; the demo header on the
demo's loopback), so the same grants and the same masking apply. The query parameters are the
kind's (``subtreeOf``, ``from``, ``year`` …; see docs/exports.md). Refusals are GraphQL-shaped JSON
with a code: 401 ``UNAUTHENTICATED`` / ``TOKEN_EXPIRED``, 403 ``PERMISSION_DENIED``, 400
``INVALID_INPUT`` (with the parameter as ``field``) and the kinds' own typed errors, 404
``NOT_FOUND`` (an unknown kind too). Every export leaves an audit record (``export<Kind>``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from core.error_codes import AccessErrorCode
from core.errors import CommonErrorCode, DomainError, PermissionDenied

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATUS = {
    AccessErrorCode.UNAUTHENTICATED: 401,
    AccessErrorCode.TOKEN_EXPIRED: 401,
    CommonErrorCode.PERMISSION_DENIED: 403,
    CommonErrorCode.NOT_FOUND: 404,
}


def error_response(error: DomainError) -> JSONResponse:
    extensions: dict[str, Any] = {"code": error.code}
    if error.field:
        extensions["field"] = error.field
    status = _STATUS.get(error.code, 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"data": None, "errors": [{"message": error.message, "extensions": extensions}]},
                        status_code=status, headers=headers)  # fmt: skip


def export_route(
    resolver: Callable[[Request], Awaitable[Any]],
) -> Callable[[Request], Awaitable[Response]]:
    async def export(request: Request) -> Response:
        from core.models import Tenant
        from core.spreadsheets.exporting import export_filename, kinds, run_export
        from core.tenancy import tenant_scope

        name = request.path_params["kind"]
        try:
            kind = kinds().get(name)
            if kind is None:
                listed = "、".join(kinds())
                raise DomainError(
                    CommonErrorCode.NOT_FOUND, field="kind", what="导出", ident=f"（{name}；可用：{listed}）"
                )
            principal = await resolver(request)
            if principal.tenant_id is None:
                if principal.is_platform_operator:
                    raise PermissionDenied("平台运营账号不能导出单位的数据")
                raise DomainError(AccessErrorCode.UNAUTHENTICATED)
            raw = {key: request.query_params.getlist(key) for key in request.query_params}
            export, data = await run_export(
                kind,
                principal,
                raw,
                tenant_id=principal.tenant_id,
                operation=kind.operation,
                actor=principal.label,
                actor_id=principal.user_id,
                request_id=request.scope.get("state", {}).get("request_id", ""),
            )
            with tenant_scope(principal.tenant_id):
                tenant = await Tenant.get(id=principal.tenant_id)
        except DomainError as error:
            return error_response(error)
        filename = export_filename(export, tenant.slug)
        return Response(
            data,
            media_type=XLSX_TYPE,
            headers={
                "Content-Disposition": f"attachment; filename={kind.name}.xlsx; "
                f"filename*=UTF-8''{quote(filename)}",
                "Cache-Control": "no-store",
                "X-Export-Rows": str(export.rows),
                "X-Export-Masked": str(export.masked),
            },
        )

    return export
