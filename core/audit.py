"""The audit trail: every mutation leaves append-only records in its own transaction.

A mutation runs inside :func:`audited`; services report what they changed with :func:`created`,
:func:`changed` and :func:`removed` (before/after of the changed fields). When the mutation commits,
:meth:`AuditTrail.flush` writes one record per change, or one record for the operation if it changed
nothing row-shaped, in the same transaction.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tortoise.models import Model

from core.models.audit import AuditRecord

_trail: contextvars.ContextVar[AuditTrail | None] = contextvars.ContextVar("zhibu_audit", default=None)

#: Fields never written to the audit trail verbatim.
_SKIPPED_FIELDS = {"created_at", "updated_at", "password_hash"}


def to_jsonable(value: Any) -> Any:
    """A JSON-safe form of a model value (dates as ISO strings, decimals as strings)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def snapshot(obj: Model) -> dict[str, Any]:
    """The stored fields of ``obj`` as a JSON-safe dict (foreign keys by their ``*_id``)."""
    meta = obj._meta
    data: dict[str, Any] = {}
    for name in meta.db_fields:
        if name in _SKIPPED_FIELDS or name == "tenant_id":
            continue
        data[name] = to_jsonable(getattr(obj, name, None))
    return data


@dataclass
class _Change:
    target_type: str
    target_id: str
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass
class AuditTrail:
    """What one mutation changed; flushed into :class:`AuditRecord` rows."""

    operation: str
    actor_id: int | None = None
    actor: str = ""
    request_id: str = ""
    target_type: str = ""
    target_id: str = ""
    #: the tenant the records belong to when no tenant is bound (platform operations)
    tenant_id: int | None = None
    changes: list[_Change] = field(default_factory=list)

    def add(self, obj: Model, before: dict[str, Any], after: dict[str, Any]) -> None:
        keys = sorted(set(before) | set(after))
        diff_before = {k: before.get(k) for k in keys if before.get(k) != after.get(k)}
        diff_after = {k: after.get(k) for k in keys if before.get(k) != after.get(k)}
        self.changes.append(_Change(type(obj).__name__, str(obj.pk), diff_before, diff_after))

    async def flush(self, tenant_id: int) -> list[AuditRecord]:
        """Write the records (call inside the mutation's transaction, with the tenant bound)."""
        changes = self.changes or [_Change(self.target_type, self.target_id, {}, {})]
        rows = [
            AuditRecord(
                tenant_id=tenant_id,
                actor_id=self.actor_id,
                actor=self.actor[:200],
                operation=self.operation,
                target_type=c.target_type,
                target_id=c.target_id,
                before=c.before,
                after=c.after,
                request_id=self.request_id,
            )
            for c in changes
        ]
        await AuditRecord.bulk_create(rows)
        self.changes = []
        return rows


@contextmanager
def audited(
    operation: str, *, actor_id: int | None = None, actor: str = "", request_id: str = ""
) -> Iterator[AuditTrail]:
    """Collect the changes of one mutation."""
    trail = AuditTrail(operation, actor_id=actor_id, actor=actor, request_id=request_id)
    token = _trail.set(trail)
    try:
        yield trail
    finally:
        _trail.reset(token)


def current_trail() -> AuditTrail | None:
    return _trail.get()


def changed(obj: Model, before: dict[str, Any]) -> None:
    """Report that ``obj`` changed since ``before`` (a :func:`snapshot` taken earlier)."""
    trail = _trail.get()
    if trail is not None:
        trail.add(obj, before, snapshot(obj))


def created(obj: Model) -> None:
    """Report that ``obj`` was created."""
    trail = _trail.get()
    if trail is not None:
        trail.add(obj, {}, snapshot(obj))


def upserted(obj: Model, before: dict[str, Any] | None) -> None:
    """Report a write that updated ``obj`` if it existed or created it: created when ``before``
    (its :func:`snapshot` before the change) is None, changed since ``before`` otherwise."""
    if before is None:
        created(obj)
    else:
        changed(obj, before)


def removed(obj: Model, before: dict[str, Any] | None = None) -> None:
    """Report that ``obj`` was deleted (``before`` defaults to its current state)."""
    trail = _trail.get()
    if trail is not None:
        trail.add(obj, before if before is not None else snapshot(obj), {})


def event(target_type: str, target_id: Any, details: dict[str, Any]) -> None:
    """Record an operation's outcome that is not a row change of its own (e.g. an import's counts):
    one record with ``details`` as its ``after``."""
    trail = _trail.get()
    if trail is not None:
        trail.changes.append(_Change(target_type, str(target_id), {}, to_jsonable(details)))


def target(target_type: str, target_id: Any, *, tenant_id: int | None = None) -> None:
    """Name the mutation's target, for operations that change no row of their own; platform
    operations also name the tenant the record belongs to."""
    trail = _trail.get()
    if trail is not None:
        trail.target_type, trail.target_id = target_type, str(target_id)
        if tenant_id is not None:
            trail.tenant_id = tenant_id
