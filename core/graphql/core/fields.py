"""Fields that declare the permission they need (in the spirit of saleor's PermissionsField).

``@field(permission=Permission.ORG_READ)`` on a query field and ``@mutation(permission=…)`` on a
mutation are the only places permissions are named. The :class:`PermissionExtension`:

- refuses callers that hold the permission nowhere (``PERMISSION_DENIED``);
- for a single object result, checks the path of the organization it belongs to
  (:func:`owning_path`) against the caller's grants;
- lets list resolvers filter in SQL with :func:`scoped`, which reads the declared permission.

Plugins' fields may additionally declare ``plugin="name"``; a tenant that has not enabled the plugin
gets ``PLUGIN_NOT_ENABLED``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.error_codes import AccessErrorCode, PluginErrorCode
from core.errors import DomainError, PermissionDenied
from core.graphql.core.errors import bad_input_error, domain_graphql_error
from core.graphql.core.nodes import ModelNode


def owning_path(obj: Any) -> str | None:
    """The path of the organization ``obj`` belongs to: its ``scope_path`` if it declares one,
    else the ``path`` of a model node (public field or ``strawberry.Private``); ``None`` when the
    object is not tied to a position in the tree."""
    path = getattr(obj, "scope_path", None)
    if path is None and isinstance(obj, ModelNode):
        path = getattr(obj, "path", None)
    return path


class PermissionExtension(FieldExtension):
    """Enforces the permission declared on a field; see module docstring.

    On a mutation (``mutation=True``) every expected failure — refused permission, a plugin not
    enabled, bad input found by a library (:func:`~core.graphql.core.errors.bad_input_error`) —
    comes back in the payload's ``errors``, never as a top-level error, so one refused mutation in a
    document cannot null the results of the others.
    """

    def __init__(self, permission: str | None, plugin: str | None = None, *, mutation: bool = False):
        self.permission = str(permission) if permission is not None else None
        self.plugin = plugin
        self.mutation = mutation
        self.payload: type | None = None

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    def _payload_type(self) -> type:
        if self.payload is None:
            self.payload = _unwrap_type(self.field.type)
        return self.payload

    def _before(self, info: Any) -> None:
        context = info.context
        principal = context.principal
        if self.permission is None:
            return
        if self.permission.startswith("PLATFORM_"):
            if not principal.is_platform_operator:
                raise PermissionDenied("仅平台运营人员可执行此操作", permission=self.permission)
            return
        if principal.tenant_id is None:
            if principal.is_platform_operator:
                raise PermissionDenied("平台运营人员不能访问单位数据", permission=self.permission)
            raise DomainError(AccessErrorCode.UNAUTHENTICATED)
        if principal.must_change_password:
            raise DomainError(AccessErrorCode.PASSWORD_CHANGE_REQUIRED)
        if principal.prefixes(self.permission) == ():
            raise PermissionDenied(f"没有权限：{self.permission}", permission=self.permission)

    async def _check_plugin(self, info: Any) -> None:
        if self.plugin is None:
            return
        tenant = await info.context.tenant()
        if self.plugin not in (tenant.enabled_plugins or ()):
            raise DomainError(PluginErrorCode.PLUGIN_NOT_ENABLED, plugin=self.plugin, name=self.plugin)

    def _after(self, info: Any, result: Any) -> Any:
        path = owning_path(result)
        if self.permission and isinstance(path, str):
            if not info.context.principal.allows(self.permission, path):
                raise PermissionDenied("没有查看该对象的权限", permission=self.permission)
        return result

    @staticmethod
    def _expected(error: Exception) -> DomainError:
        """``error`` as the expected failure it stands for; anything else propagates (masked)."""
        if isinstance(error, DomainError):
            return error
        typed = bad_input_error(error)
        if typed is None:
            raise error
        return typed

    def _refused(self, error: DomainError) -> Any:
        if self.mutation:
            from core.graphql.core.errors import UserError

            return self._payload_type()(errors=[UserError.from_domain(error)])
        raise domain_graphql_error(error) from error

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        if self.plugin is not None or self.mutation:
            raise TypeError("mutations and fields provided by plugins must have async resolvers")
        try:
            self._before(info)
            return self._after(info, next_(source, info, **kwargs))
        except Exception as error:
            return self._refused(self._expected(error))

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        try:
            self._before(info)
            await self._check_plugin(info)
            result = next_(source, info, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return self._after(info, result)
        except Exception as error:
            return self._refused(self._expected(error))


def _unwrap_type(annotation: Any) -> type:
    """The class behind a field's (possibly optional or lazy) strawberry type."""
    from strawberry.types.base import StrawberryOptional
    from strawberry.types.lazy_type import LazyType

    while True:
        if isinstance(annotation, StrawberryOptional):
            annotation = annotation.of_type
        elif isinstance(annotation, LazyType):
            annotation = annotation.resolve_type()
        else:
            return annotation


def _describe(description: str | None, permission: str | None, plugin: str | None) -> str:
    parts = [description or ""]
    if permission:
        parts.append(f"Requires permission: {permission}.")
    if plugin:
        parts.append(f"Provided by plugin: {plugin}.")
    return " ".join(p for p in parts if p).strip()


def field(
    resolver: Callable[..., Any] | None = None,
    *,
    permission: str | None,
    plugin: str | None = None,
    description: str | None = None,
    **kwargs: Any,
) -> Any:
    """``strawberry.field`` that declares (and enforces) the permission it needs."""
    ext = [PermissionExtension(permission, plugin, mutation=kwargs.pop("_mutation", False))]

    def wrap(fn: Callable[..., Any]) -> StrawberryField:
        return strawberry.field(
            fn,
            description=_describe(description or inspect.getdoc(fn), permission, plugin),
            extensions=ext,
            **kwargs,
        )

    return wrap(resolver) if resolver is not None else wrap


def declared_permission(info: Any) -> str | None:
    """The permission declared on the field being resolved."""
    for extension in info._field.extensions:
        if isinstance(extension, PermissionExtension):
            return extension.permission
    return None


def path_filter(prefixes: tuple[str, ...], path_field: str) -> Q:
    """``path_field`` starts with one of ``prefixes`` (OR). Empty prefixes match nothing."""
    if not prefixes:
        return Q(id__lt=0)  # nothing
    query = Q(**{f"{path_field}__startswith": prefixes[0]})
    for prefix in prefixes[1:]:
        query |= Q(**{f"{path_field}__startswith": prefix})
    return query


def scoped(info: Any, queryset: QuerySet, path_field: str, permission: str | None = None) -> QuerySet:
    """Restrict ``queryset`` in SQL to the subtrees where the caller holds the field's permission.

    ``path_field`` is the lookup of the owning organization's path (``path``, ``branch__path`` …).
    """
    perm = permission or declared_permission(info)
    if perm is None:
        return queryset
    prefixes = info.context.principal.prefixes(perm)
    if prefixes is None:
        return queryset
    return queryset.filter(path_filter(prefixes, path_field))
