"""The read-side permission mechanism: fields declare the permission they need, one extension applies it.

``@field(permission=Permission.ORG_READ)`` on a query field, on a field of any type, and
``@mutation(permission=…)`` on a mutation are the only places a read permission is named. The
:class:`PermissionExtension` applies the declaration by where the field stands and what it returns:

- **root fields** (``Query``): a caller holding the permission nowhere is refused
  (``PERMISSION_DENIED``); a single result outside the caller's grants is refused; a plain list
  result is filtered; a connection is filtered in SQL by its resolver with :func:`scoped` (which
  reads the same declaration), and its edges are checked again as a safety net;
- **nested fields** (on any other type) never fail for want of a permission: a single result
  outside the caller's grants is ``null``, a list keeps the items the caller may read, and a caller
  holding the permission nowhere gets ``null`` / ``[]`` without the resolver running;
- ``scope="source"``: the results belong where the parent object stands (an organization's
  activities, a statistics block's parts), so the parent's path is checked once, before the
  resolver runs, instead of each result's;
- ``scope="tenant"``: the permission is needed on the whole tenant (accounts, the audit trail).

Where an object stands (:func:`owning_paths`): its ``scope_path`` or ``scope_paths`` (an object
seen from two organizations, such as a transfer, is readable from either), else the ``path`` of a
model node; an object tied to no position in the tree needs only the permission somewhere. **The
self rule**: an object whose ``self_member_id`` is the caller's own member record is readable by
that caller, and so is everything nested under it.

Arguments that name an organization (``scopeId``, ``organizationId`` …) are looked up and checked
against the same declared permission by :func:`organization_argument` (:func:`require_read` for
any other path) before the resolver works.

Plugins' fields may additionally declare ``plugin="name"``; a tenant that has not enabled the plugin
gets ``PLUGIN_NOT_ENABLED``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.error_codes import AccessErrorCode, PluginErrorCode
from core.errors import DomainError, PermissionDenied
from core.graphql.core.errors import bad_input_error, domain_graphql_error
from core.graphql.core.nodes import ModelNode

if TYPE_CHECKING:
    from core.models import Organization
    from core.principal import Principal

#: where a field's results are checked: each result's own place, once at the parent's, or the
#: permission is needed on the whole tenant (accounts, the audit trail)
Scope = Literal["result", "source", "tenant"]

#: the parent types whose fields are root fields
ROOT_TYPES = frozenset({"Query", "Mutation", "Subscription"})


def owning_path(obj: Any) -> str | None:
    """The path of the organization ``obj`` belongs to: its ``scope_path`` if it declares one,
    else the ``path`` of a model node (public field or ``strawberry.Private``); ``None`` when the
    object is not tied to a position in the tree."""
    path = getattr(obj, "scope_path", None)
    if path is None and isinstance(obj, ModelNode):
        path = getattr(obj, "path", None)
    return path


def owning_paths(obj: Any) -> tuple[str, ...]:
    """Every place ``obj`` may be read from: its ``scope_paths`` if it declares them, else its
    :func:`owning_path`; empty when it is tied to no position in the tree."""
    paths = getattr(obj, "scope_paths", None)
    if paths is not None:
        return tuple(paths)
    path = owning_path(obj)
    return (path,) if isinstance(path, str) else ()


def owned_by_caller(principal: Principal, obj: Any) -> bool:
    """The self rule: ``obj`` is (or belongs to) the caller's own member record."""
    return principal.member_id is not None and getattr(obj, "self_member_id", None) == principal.member_id


def readable(principal: Principal, permission: str, obj: Any) -> bool:
    """May the caller read ``obj`` with ``permission``: granted at one of its places, tied to no
    place, or the caller's own record."""
    paths = owning_paths(obj)
    if not paths or any(principal.allows(permission, path) for path in paths):
        return True
    return owned_by_caller(principal, obj)


class PermissionExtension(FieldExtension):
    """Applies the permission declared on a field; see the module docstring.

    On a mutation (``mutation=True``) every expected failure — refused permission, a plugin not
    enabled, bad input found by a library (:func:`~core.graphql.core.errors.bad_input_error`) —
    comes back in the payload's ``errors``, never as a top-level error, so one refused mutation in a
    document cannot null the results of the others.
    """

    def __init__(
        self,
        permission: str | None,
        plugin: str | None = None,
        *,
        mutation: bool = False,
        scope: Scope = "result",
    ):
        if scope not in ("result", "source", "tenant"):
            raise ValueError(f"scope must be 'result', 'source' or 'tenant', not {scope!r}")
        self.permission = str(permission) if permission is not None else None
        self.plugin = plugin
        self.mutation = mutation
        self.scope = scope
        self.payload: type | None = None
        self._root: bool | None = None

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    def _payload_type(self) -> type:
        if self.payload is None:
            self.payload = _unwrap_type(self.field.type)
        return self.payload

    def _empty_result(self) -> Any:
        """What a nested field the caller may not read gives: ``null`` when the field is nullable,
        else ``[]`` (a non-null list)."""
        from strawberry.types.base import StrawberryList, StrawberryOptional

        annotation = self.field.type
        if isinstance(annotation, StrawberryOptional):
            return None
        return [] if isinstance(_unwrap_type(annotation), StrawberryList) else None

    def _authenticate(self, info: Any) -> bool:
        """Refuse callers who may not ask at all; ``True`` when the declared permission still needs
        checking against the caller's grants."""
        principal = info.context.principal
        if self.permission is None:
            return False
        if self.permission.startswith("PLATFORM_"):
            if not principal.is_platform_operator:
                raise PermissionDenied("仅平台运营人员可执行此操作", permission=self.permission)
            return False
        if principal.tenant_id is None:
            if principal.is_platform_operator:
                raise PermissionDenied("平台运营人员不能访问单位数据", permission=self.permission)
            raise DomainError(AccessErrorCode.UNAUTHENTICATED)
        if principal.must_change_password:
            raise DomainError(AccessErrorCode.PASSWORD_CHANGE_REQUIRED)
        return True

    async def _check_plugin(self, info: Any) -> None:
        if self.plugin is None:
            return
        tenant = await info.context.tenant()
        if self.plugin not in (tenant.enabled_plugins or ()):
            raise DomainError(PluginErrorCode.PLUGIN_NOT_ENABLED, plugin=self.plugin, name=self.plugin)

    def _is_root(self, info: Any) -> bool:
        """Whether the field stands on a root type (a field object belongs to one type)."""
        if self._root is None:
            self._root = info._raw_info.parent_type.name in ROOT_TYPES
        return self._root

    def _gate(self, info: Any, source: Any) -> bool | None:
        """Before the resolver: ``False`` = refused (root: an error; nested: empty), ``True`` = the
        results need no further check, ``None`` = check each result."""
        principal = info.context.principal
        prefixes = principal.prefixes(self.permission)
        if self._is_root(info):
            if prefixes == ():
                raise PermissionDenied(f"没有权限：{self.permission}", permission=self.permission)
            if self.scope == "tenant" and prefixes is not None:
                raise PermissionDenied(
                    f"仅单位管理员可查看（需要全单位的 {self.permission} 权限）", permission=self.permission
                )
            return True if prefixes is None else None
        if self.scope == "tenant":
            return prefixes is None
        if prefixes is None or owned_by_caller(principal, source):
            return True
        if self.scope == "source":
            return readable(principal, self.permission, source)
        if prefixes == () and principal.member_id is None:
            return False
        return None

    def _checked(self, info: Any, source: Any, result: Any) -> Any:
        """``result`` with what the caller may not read left out (root single result: refused)."""
        if result is None:
            return None
        principal = info.context.principal
        permission = self.permission
        assert permission is not None
        if isinstance(result, list):
            return [item for item in result if item is None or readable(principal, permission, item)]
        edges = getattr(result, "edges", None)
        if isinstance(edges, list) and hasattr(result, "page_info"):
            result.edges = [e for e in edges if readable(principal, permission, e.node)]
            return result
        if readable(principal, permission, result):
            return result
        if self._is_root(info):
            raise PermissionDenied("没有查看该对象的权限", permission=permission)
        return None

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
            gate = self._gate(info, source) if self._authenticate(info) else True
            if gate is False:
                return self._empty_result()
            result = next_(source, info, **kwargs)
            return result if gate else self._checked(info, source, result)
        except Exception as error:
            return self._refused(self._expected(error))

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        try:
            check = self._authenticate(info)
            await self._check_plugin(info)
            gate = self._gate(info, source) if check else True
            if gate is False:
                return self._empty_result()
            result = next_(source, info, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result if gate else self._checked(info, source, result)
        except Exception as error:
            return self._refused(self._expected(error))


def _unwrap_type(annotation: Any) -> Any:
    """The type behind a field's (possibly optional or lazy) strawberry type."""
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
    scope: Scope = "result",
    description: str | None = None,
    **kwargs: Any,
) -> Any:
    """``strawberry.field`` that declares the permission it needs, applied by
    :class:`PermissionExtension` (``scope="source"``: check the parent object's place once)."""
    ext = [PermissionExtension(permission, plugin, mutation=kwargs.pop("_mutation", False), scope=scope)]

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


async def organization_argument(
    info: Any,
    gid: Any,
    *,
    field: str = "organizationId",
    permission: str | None = None,
) -> Organization:
    """The organization an argument names (``NOT_FOUND`` on ``field`` when the tenant has none),
    refused (``PERMISSION_DENIED``) unless the caller holds the field's declared permission (or
    ``permission``) there. (A kind restriction: ``core.graphql.plugins.helpers.organization_for``.)"""
    from core.graphql.core.nodes import decode_id
    from core.services.organizations import subtree_root

    org = await subtree_root(decode_id(gid, "Organization", field=field), field)
    assert org is not None
    require_read(info, org.path, permission)
    return org


async def scope_argument(
    info: Any, gid: Any | None, *, field: str = "scopeId", permission: str | None = None
) -> Organization | None:
    """:func:`organization_argument` for an optional scope: ``None`` (the whole tenant) needs the
    permission tenant-wide."""
    if gid is None:
        require_read(info, None, permission)
        return None
    return await organization_argument(info, gid, field=field, permission=permission)


def require_read(info: Any, path: str | None, permission: str | None = None) -> None:
    """Refuse (``PERMISSION_DENIED``) unless the caller holds the field's declared permission (or
    ``permission``) at ``path`` (``None`` = tenant-wide): for a resolver that must know before it
    works, such as a recomputation; results are checked by the extension anyway."""
    perm = permission or declared_permission(info)
    if perm is not None and not info.context.principal.allows(perm, path):
        raise PermissionDenied("没有查看该范围的权限", permission=str(perm))
