"""Expected failures: a stable English code plus a Chinese message.

Every code is a member of a per-domain enum (a subclass of :class:`ErrorCode`: core's are in
:mod:`core.error_codes`, a plugin's in its own package), defined once with its zh-CN message
template::

    class OrganizationErrorCode(ErrorCode):
        ORG_DISSOLVED = "ORG_DISSOLVED", "组织“{name}”已撤销"

    raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="id", name=org.name)

The message is the template filled with the error's details (a detail the template does not use
stays in ``details``; a placeholder without a detail is left empty). Services raise
:class:`DomainError`; the GraphQL layer turns it into a typed error (in a mutation payload's
``errors`` list, or a GraphQL error whose ``extensions.code`` is the code) and rolls the transaction
back. Anything else is an unexpected error and is masked.
"""

from __future__ import annotations

import string
import warnings
from enum import StrEnum
from typing import Any

#: every error-code enum, by its GraphQL name (filled as the enums are defined)
ERROR_CODE_ENUMS: dict[str, type[ErrorCode]] = {}


class _Details(dict):
    def __missing__(self, key: str) -> str:
        return ""


class ErrorCode(StrEnum):
    """Base of the per-domain error-code enums: ``NAME = "NAME", "zh-CN message template"``.

    The value is the stable English code (the ``code`` string clients see); ``template`` is the
    message, with ``{named}`` details. Subclasses are recorded by :func:`register_error_codes`
    (:data:`ERROR_CODE_ENUMS`) and become schema enums of the same name through
    :func:`core.graphql.core.error_codes.error_code_type`.
    """

    template: str

    def __new__(cls, value: str, template: str = "") -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.template = template
        return member

    def message(self, **details: Any) -> str:
        """The template filled with ``details``."""
        return string.Formatter().vformat(self.template, (), _Details(details))

    @property
    def placeholders(self) -> set[str]:
        """The named details the template uses."""
        return {name for _, name, _, _ in string.Formatter().parse(self.template) if name}


def register_error_codes(enum: type[ErrorCode]) -> type[ErrorCode]:
    """Record ``enum`` (class decorator; core's and each plugin's enums use it)."""
    existing = ERROR_CODE_ENUMS.get(enum.__name__)
    if existing is not None and existing is not enum:
        raise ValueError(f"error-code enum {enum.__name__} is defined twice")
    ERROR_CODE_ENUMS[enum.__name__] = enum
    return enum


class DomainError(Exception):
    """An expected, user-facing failure. ``code`` is stable; ``message`` is zh-CN.

    ``code`` is an :class:`ErrorCode` member and the message is its template filled with
    ``details``. A plain string code with an explicit message is still accepted for third-party
    plugins written against earlier versions — **deprecated** (a ``DeprecationWarning``); core and
    the built-in plugins never do it (``tests/test_error_codes.py`` checks).
    """

    def __init__(
        self, code: ErrorCode | str, message: str | None = None, *, field: str | None = None, **details: Any
    ):
        if isinstance(code, ErrorCode):
            if message is not None:
                raise TypeError(f"{code}: the message comes from the code's template, pass details instead")
            self.error_code: ErrorCode | None = code
            text = code.message(**details)
        else:
            warnings.warn(
                "DomainError with a string code is deprecated: define the code in an ErrorCode enum",
                DeprecationWarning,
                stacklevel=2,
            )
            self.error_code = None
            text = message if message is not None else code
        super().__init__(f"{code}: {text}")
        self.code = str(code)
        self.message = text
        self.field = field
        self.details = details


@register_error_codes
class CommonErrorCode(ErrorCode):
    """Codes every domain raises: a missing object, a refused permission, a bad input value."""

    NOT_FOUND = "NOT_FOUND", "未找到{what}{ident}"
    PERMISSION_DENIED = "PERMISSION_DENIED", "{reason}"
    INVALID_INPUT = "INVALID_INPUT", "{reason}"


class NotFound(DomainError):
    def __init__(self, what: str, ident: Any = None, *, field: str | None = None):
        super().__init__(
            CommonErrorCode.NOT_FOUND,
            field=field,
            what=what,
            ident=f"（{ident}）" if ident is not None else "",
        )


class PermissionDenied(DomainError):
    def __init__(self, message: str = "没有执行此操作的权限", **details: Any):
        super().__init__(CommonErrorCode.PERMISSION_DENIED, reason=message, **details)


class ValidationFailed(DomainError):
    def __init__(self, message: str, *, field: str | None = None, **details: Any):
        super().__init__(CommonErrorCode.INVALID_INPUT, field=field, reason=message, **details)
