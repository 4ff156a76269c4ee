"""Structural tenant scoping.

Every tenant-owned model subclasses :class:`TenantModel`. Its manager reads the tenant bound to the
current request (a context variable) and adds ``tenant_id = …`` to every query it builds; with no
tenant bound it raises :class:`TenantNotBound` instead of returning every tenant's rows. Saving a row
fills ``tenant_id`` from the binding and refuses a row of another tenant.

Code that works across tenants on purpose (the platform operator, the reminder job, migrations) says
so explicitly with :func:`platform_scope`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tortoise import fields
from tortoise.manager import Manager
from tortoise.models import Model, ModelMeta
from tortoise.queryset import QuerySet

from core.fields import reference

_current_tenant: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "zhibu_current_tenant", default=None
)
_platform: contextvars.ContextVar[bool] = contextvars.ContextVar("zhibu_platform", default=False)


class TenantNotBound(RuntimeError):
    """A tenant-owned table was queried with no tenant bound to the current context."""


class CrossTenantWrite(RuntimeError):
    """A row of one tenant was about to be written while another tenant is bound."""


def current_tenant_id() -> int:
    """The tenant bound to this context; raises :class:`TenantNotBound` when there is none."""
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        raise TenantNotBound(
            "no tenant is bound to this context: bind one with tenant_scope() "
            "or declare cross-tenant work with platform_scope()"
        )
    return tenant_id


def bound_tenant_id() -> int | None:
    """The bound tenant, or None."""
    return _current_tenant.get()


def platform_active() -> bool:
    """Whether the running block declared cross-tenant work (:func:`platform_scope`)."""
    return _platform.get()


def bind_tenant(tenant_id: int) -> contextvars.Token[int | None]:
    """Bind ``tenant_id`` to the current context (the request). Returns the reset token."""
    return _current_tenant.set(int(tenant_id))


def unbind_tenant(token: contextvars.Token[int | None]) -> None:
    _current_tenant.reset(token)


@contextmanager
def tenant_scope(tenant_id: int) -> Iterator[int]:
    """Run a block with ``tenant_id`` bound."""
    token = bind_tenant(tenant_id)
    try:
        yield int(tenant_id)
    finally:
        unbind_tenant(token)


@contextmanager
def platform_scope() -> Iterator[None]:
    """Run a block that may read tenant-owned tables across tenants, when no tenant is bound."""
    token = _platform.set(True)
    try:
        yield
    finally:
        _platform.reset(token)


def _stamp_tenant(obj: Model) -> None:
    """Fill a new row's tenant from the binding, or refuse a row of another tenant."""
    bound = _current_tenant.get()
    name = type(obj).__name__
    if getattr(obj, "tenant_id", None) is None:
        if bound is None:
            raise TenantNotBound(f"cannot save {name} with no tenant bound")
        obj.tenant_id = bound
    elif bound is not None and obj.tenant_id != bound:
        raise CrossTenantWrite(f"{name} of tenant {obj.tenant_id} written under tenant {bound}")
    elif bound is None and not _platform.get():
        raise TenantNotBound(f"cannot save {name} with no tenant bound")


class TenantQuerySet(QuerySet):
    """A queryset whose bulk inserts are stamped with the bound tenant like single saves."""

    def bulk_create(self, objects, *args: Any, **kwargs: Any):  # type: ignore[override]
        objects = list(objects)
        for obj in objects:
            _stamp_tenant(obj)
        return super().bulk_create(objects, *args, **kwargs)


class TenantManager(Manager):
    """The one scoping mechanism: every queryset of a tenant-owned model is filtered by tenant."""

    def get_queryset(self) -> QuerySet:
        queryset = TenantQuerySet(self._model)
        tenant_id = _current_tenant.get()
        if tenant_id is not None:
            return queryset.filter(tenant_id=tenant_id)
        if _platform.get():
            return queryset
        raise TenantNotBound(
            f"query on tenant-owned {self._model.__name__} with no tenant bound: bind one with "
            "tenant_scope() or declare cross-tenant work with platform_scope()"
        )


class TenantModelMeta(ModelMeta):
    """Gives every concrete tenant-owned model its own :class:`TenantManager`, whatever its Meta."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]):  # noqa: N804
        cls = super().__new__(mcs, name, bases, attrs)
        if not cls._meta.abstract:
            cls._meta.manager = TenantManager(cls)
        return cls


class TenantModel(Model, metaclass=TenantModelMeta):
    """Base of every tenant-owned row: a ``tenant`` foreign key and the scoping manager.

    Subclasses get the scoping manager automatically; they must not set ``Meta.manager``.
    """

    tenant: fields.ForeignKeyRelation[Any] = reference("core.Tenant")
    tenant_id: int

    class Meta:
        abstract = True

    async def save(self, *args: Any, **kwargs: Any) -> None:
        _stamp_tenant(self)
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        bound = _current_tenant.get()
        if bound is not None and self.tenant_id != bound:
            raise CrossTenantWrite(f"{type(self).__name__} of tenant {self.tenant_id} deleted under {bound}")
        if bound is None and not _platform.get():
            raise TenantNotBound(f"cannot delete {type(self).__name__} with no tenant bound")
        await super().delete(*args, **kwargs)
