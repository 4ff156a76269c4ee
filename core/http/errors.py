"""Requests refused before execution, answered GraphQL-shaped with a typed code.

Every refusal is ``{"data": null, "errors": [{"message": …, "extensions": {"code": …, …}}]}`` with
its HTTP status; the code is an :class:`~core.errors.ErrorCode` member (``TransportErrorCode`` for
the request itself, ``CommonErrorCode.INVALID_INPUT`` for a malformed one) and the message its
template filled with the refusal's details (``docs/errors.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from cross_web import HTTPException
from starlette.responses import JSONResponse

from core.error_codes import TransportErrorCode
from core.errors import ErrorCode

#: what ``REQUEST_TOO_LARGE`` is about, by its ``unit`` extension: (the part of the request, the unit)
TOO_LARGE_UNITS: dict[str, tuple[str, str]] = {
    "BYTES": ("请求体", "字节"),  # ZHIBU_MAX_BODY_BYTES / ZHIBU_MAX_UPLOAD_BYTES
    "CHARACTERS": ("GraphQL 文档", "个字符"),  # ZHIBU_MAX_DOCUMENT_CHARS
}


class RequestRefused(HTTPException):
    """A request refused before execution: its HTTP status and typed error.

    ``reason`` (strawberry's name for the message) is ``code``'s template filled with ``details``;
    ``extensions`` go next to the code in the error's ``extensions``.
    """

    def __init__(
        self,
        status_code: int,
        code: ErrorCode,
        *,
        extensions: Mapping[str, Any] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(status_code, code.message(**details))
        self.code = code
        self.extensions: dict[str, Any] = {"code": code.value, **(extensions or {})}

    def error(self) -> dict[str, Any]:
        """The entry of the response's ``errors``."""
        return {"message": self.reason, "extensions": self.extensions}

    def response(self, headers: Mapping[str, str] | None = None) -> JSONResponse:
        return JSONResponse({"data": None, "errors": [self.error()]}, self.status_code, headers=headers)


def too_large(limit: int, unit: Literal["BYTES", "CHARACTERS"]) -> RequestRefused:
    """413 ``REQUEST_TOO_LARGE``: the body over its byte limit, or the document over its length."""
    what, unit_label = TOO_LARGE_UNITS[unit]
    return RequestRefused(
        413,
        TransportErrorCode.REQUEST_TOO_LARGE,
        extensions={"limit": limit, "unit": unit},
        what=what,
        limit=limit,
        unit_label=unit_label,
    )
