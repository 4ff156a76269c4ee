"""Object-level authorization for writes.

The GraphQL mutation layer binds a :class:`Guard` (the caller and the permission the mutation
declared) for the duration of the mutation. Services call :func:`require` with the path of every
organization they are about to change; the guard refuses paths outside the caller's grants. Trusted
code (the CLI, the demo seeder, jobs) runs with no guard bound and is not restricted.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from core.errors import PermissionDenied
from core.principal import Principal

_guard: contextvars.ContextVar[Guard | None] = contextvars.ContextVar("zhibu_guard", default=None)


@dataclass(frozen=True)
class Guard:
    principal: Principal
    permission: str

    def require(self, path: str | None, permission: str | None = None) -> None:
        perm = permission or self.permission
        if not self.principal.allows(perm, path):
            raise PermissionDenied(f"没有在该组织执行此操作的权限（{perm}）", permission=perm)


@contextmanager
def guarded(principal: Principal, permission: str) -> Iterator[Guard]:
    guard = Guard(principal, str(permission))
    token = _guard.set(guard)
    try:
        yield guard
    finally:
        _guard.reset(token)


def require(path: str | None, permission: str | None = None) -> None:
    """Refuse unless the current caller holds the mutation's permission (or ``permission``) at
    ``path`` (``None`` = tenant-wide). No guard bound means trusted code: allowed."""
    guard = _guard.get()
    if guard is not None:
        guard.require(path, permission)


def current_principal() -> Principal | None:
    guard = _guard.get()
    return guard.principal if guard else None
