"""Expected failures: a stable English code plus a Chinese message.

Services raise :class:`DomainError`; the GraphQL layer turns it into a typed error (in a mutation
payload's ``errors`` list, or a GraphQL error whose ``extensions.code`` is the code) and rolls the
transaction back. Anything else is an unexpected error and is masked.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An expected, user-facing failure. ``code`` is stable; ``message`` is zh-CN."""

    def __init__(self, code: str, message: str, *, field: str | None = None, **details: Any):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field = field
        self.details = details


class NotFound(DomainError):
    def __init__(self, what: str, ident: Any = None, *, field: str | None = None):
        super().__init__(
            "NOT_FOUND",
            f"未找到{what}" + (f"（{ident}）" if ident is not None else ""),
            field=field,
        )


class PermissionDenied(DomainError):
    def __init__(self, message: str = "没有执行此操作的权限", **details: Any):
        super().__init__("PERMISSION_DENIED", message, **details)


class ValidationFailed(DomainError):
    def __init__(self, message: str, *, field: str | None = None, **details: Any):
        super().__init__("INVALID_INPUT", message, field=field, **details)
