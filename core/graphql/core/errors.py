"""Typed errors: the ``UserError`` type of mutation payloads, and what becomes of every other error.

Three kinds of error leave the API, each with ``extensions.code``:

- **expected failures** (:class:`~core.errors.DomainError`): their own code and Chinese message — in
  a mutation payload's ``errors`` or, for queries, as a GraphQL error;
- **bad requests** (syntax, validation, variables of the wrong type, limits): code
  ``GRAPHQL_PARSE_FAILED`` / ``GRAPHQL_VALIDATION_FAILED`` (``TransportErrorCode``) /
  ``INVALID_INPUT``, the code's message with graphql's own as its ``{reason}``;
- **internal errors** (anything else raised while resolving: a bug): masked as ``服务器内部错误``
  with code ``INTERNAL_SERVER_ERROR`` and the request id, logged once with its traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.error import GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from core.error_codes import TransportErrorCode
from core.errors import CommonErrorCode, DomainError, ErrorCode, ValidationFailed
from core.tenancy import CrossTenantWrite, TenantNotBound

log = logging.getLogger("zhibu.graphql")

INTERNAL_CODE = TransportErrorCode.INTERNAL_SERVER_ERROR
INTERNAL_MESSAGE = INTERNAL_CODE.message()


@strawberry.type(description="An expected failure: a stable English code and a Chinese message.")
class UserError:
    code: str = strawberry.field(description="Stable machine-readable code, e.g. BRANCH_HAS_MEMBERS.")
    message: str = strawberry.field(description="Human-readable message in Chinese.")
    field: str | None = strawberry.field(default=None, description="Input field at fault, if any.")
    retry_after: int | None = strawberry.field(
        default=None, description="Seconds until the call may be tried again (TOO_MANY_ATTEMPTS)."
    )
    code_enum: str | None = strawberry.field(
        default=None,
        description="Name of the schema enum that defines `code` (e.g. OrganizationErrorCode); "
        "`code` is one of its values. Null for a code no enum defines (a deprecated string code).",
    )

    @classmethod
    def from_domain(cls, error: DomainError) -> UserError:
        retry = error.details.get("retry_after")
        return cls(
            code=error.code,
            message=error.message,
            field=error.field,
            retry_after=int(retry) if retry is not None else None,
            code_enum=type(error.error_code).__name__ if error.error_code is not None else None,
        )


def domain_graphql_error(error: DomainError) -> GraphQLError:
    """A GraphQL error carrying a domain error's code (for query fields)."""
    extensions: dict[str, Any] = {"code": error.code}
    if getattr(error, "error_code", None) is not None:
        extensions["codeEnum"] = type(error.error_code).__name__
    if error.field:
        extensions["field"] = error.field
    if error.details.get("retry_after") is not None:
        extensions["retryAfter"] = int(error.details["retry_after"])
    return GraphQLError(error.message, extensions=extensions, original_error=error)


_LENGTH = re.compile(r"^(?P<field>\w+): Length of .* (?P<length>\d+) > (?P<limit>\d+)$", re.DOTALL)


def camel(name: str) -> str:
    """``branch_id`` → ``branchId`` (GraphQL's spelling of a Python name)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def bad_input_error(error: Exception) -> DomainError | None:
    """The typed error for a known kind of bad input that surfaced as a library exception (an ID
    that is not a global ID, a string over its column's length), or ``None``."""
    from strawberry.relay.types import GlobalIDValueError
    from tortoise.exceptions import ValidationError as ModelValidationError

    if isinstance(error, GlobalIDValueError):
        return ValidationFailed("无效的 ID", field="id")
    if isinstance(error, ModelValidationError):
        match = _LENGTH.match(str(error))
        if match:
            limit = int(match["limit"])
            return ValidationFailed(f"长度不能超过{limit}个字符", field=camel(match["field"]), limit=limit)
        field_name = str(error).split(":", 1)[0]
        return ValidationFailed("取值无效", field=camel(field_name) if field_name.isidentifier() else None)
    return None


def _innermost(error: GraphQLError) -> BaseException | None:
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original


def classify(error: GraphQLError) -> str:
    """``domain``, ``request`` (the document or variables are at fault) or ``internal``."""
    from strawberry.exceptions import StrawberryInputCoercionError

    original = _innermost(error)
    if isinstance(original, DomainError):
        return "domain"
    if isinstance(original, StrawberryInputCoercionError):
        return "request"  # an argument strawberry could not convert (e.g. a malformed global ID)
    if error.path is None:
        return "request"  # parse, validation, variable coercion: describes the request
    if original is None:
        return "request"
    return "internal"


def request_error_code(error: GraphQLError) -> ErrorCode:
    """The code of an error that describes the request rather than the server."""
    if isinstance(error, GraphQLSyntaxError) or "Syntax Error" in error.message:
        return TransportErrorCode.GRAPHQL_PARSE_FAILED
    from strawberry.exceptions import StrawberryInputCoercionError

    if error.message.startswith("Variable ") or isinstance(_innermost(error), StrawberryInputCoercionError):
        return CommonErrorCode.INVALID_INPUT
    return TransportErrorCode.GRAPHQL_VALIDATION_FAILED


def public_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """What the client receives for ``error``: typed, or masked when internal."""
    kind = classify(error)
    if kind == "internal":
        original = _innermost(error)
        if isinstance(original, TenantNotBound | CrossTenantWrite):
            log.error("tenant scoping violation: %s", original)
        return GraphQLError(
            INTERNAL_MESSAGE,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": INTERNAL_CODE.value, "requestId": request_id},
        )
    extensions = dict(error.extensions or {})
    message = error.message
    if "code" not in extensions:  # graphql's own error: its message is the code's reason
        code = request_error_code(error)
        extensions["code"] = code.value
        message = code.message(reason=error.message)
    return GraphQLError(
        message, nodes=error.nodes, source=error.source, positions=error.positions,
        path=error.path, original_error=error.original_error, extensions=extensions,
    )  # fmt: skip


def should_mask_error(error: GraphQLError) -> bool:
    """Whether ``error`` is an internal error the client must not see."""
    return classify(error) == "internal"


class TypedErrors(SchemaExtension):
    """Gives every error of the result its code, and masks internal ones (see module docstring)."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as error:
            # a syntax error raised by the parser cache: strawberry builds the result from it after
            # the hooks have exited, so it gets its code (and the code's message) here
            code = request_error_code(error)
            error.message = code.message(reason=error.message)
            error.extensions = {**(error.extensions or {}), "code": code.value}
            codes = getattr(self.execution_context.context, "error_codes", None)
            if codes is not None:
                codes.append(code.value)  # for the request log
            raise
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "")
        result.errors = [public_error(error, request_id) for error in result.errors]
        codes = getattr(context, "error_codes", None)
        if codes is not None:
            codes.extend(str((e.extensions or {}).get("code")) for e in result.errors)


def log_errors(errors: list[GraphQLError], context: Any) -> None:
    """Log internal errors once each, with traceback and request id; expected ones are not logged
    (the request line says how the request ended)."""
    request_id = getattr(context, "request_id", "")
    for error in errors:
        if classify(error) != "internal":
            continue
        original = _innermost(error)
        log.error(
            "internal error in %s (request %s): %s",
            ".".join(str(p) for p in (error.path or [])) or "request",
            request_id,
            truncate(str(original or error.message)),
            exc_info=original if isinstance(original, BaseException) else None,
        )


def truncate(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters for a log line (request values can be huge)."""
    return text if len(text) <= limit else f"{text[:limit]}…（共{len(text)}字）"
