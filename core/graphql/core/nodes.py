"""Relay nodes backed by tortoise models, and global-ID decoding for inputs."""

from __future__ import annotations

import base64
import dataclasses
import inspect
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from strawberry import relay
from tortoise.models import Model

from core.errors import ValidationFailed

#: the dataclass fields a node type's constructor takes, per type (``from_model`` runs per row)
_INIT_FIELDS: dict[type, tuple[str, ...]] = {}
_MISSING = object()


class ModelNode(relay.Node):
    """A Relay node built from a model row: ``Type.from_model(row)`` copies same-named fields.

    Subclasses set ``model`` and declare ``id: relay.NodeID[int]`` plus their fields; private
    fields (``strawberry.Private``) hold foreign-key ids and ``scope_path``, the path of the
    organization the object belongs to, which the permission layer checks.
    """

    model: ClassVar[type[Model]]

    @classmethod
    def from_model(cls, obj: Model, **overrides: Any) -> Self:
        """``cls`` from ``obj`` (a model instance, or a :class:`~core.graphql.core.loaders.Row`):
        its same-named attributes, ``overrides`` first."""
        names = _INIT_FIELDS.get(cls)
        if names is None:
            names = _INIT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)  # type: ignore[arg-type]
        if isinstance(obj, dict):  # a Row: plain lookups
            values = {name: obj[name] for name in names if name in obj}
            values.update((name, overrides[name]) for name in names if name in overrides)
            return cls(**values)
        values = {}
        missing = _MISSING
        for name in names:
            if name in overrides:
                values[name] = overrides[name]
            else:
                value = getattr(obj, name, missing)
                if value is not missing:
                    values[name] = value
        return cls(**values)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        loader = info.context.loaders.by_id(cls.model)
        rows = await loader.load_many([int(i) for i in node_ids])
        return [cls.from_model(row) if row is not None else None for row in rows]


#: the range of the integer primary keys (``IntField``: 32-bit on PostgreSQL)
MIN_DB_ID, MAX_DB_ID = -(2**31), 2**31 - 1


def decode_id(value: relay.GlobalID | str | int, type_name: str, *, field: str = "id") -> int:
    """The database id inside a global ID of ``type_name``; a clear error for anything else."""
    if isinstance(value, int):
        return value
    try:
        gid = value if isinstance(value, relay.GlobalID) else relay.GlobalID.from_id(str(value))
    except Exception as exc:  # noqa: BLE001
        raise ValidationFailed(f"无效的 ID：{value}", field=field) from exc
    if gid.type_name != type_name:
        raise ValidationFailed(f"ID 类型不符：应为 {type_name}，收到 {gid.type_name}", field=field)
    try:
        pk = int(gid.node_id)
    except ValueError as exc:
        raise ValidationFailed(f"无效的 ID：{value}", field=field) from exc
    if not MIN_DB_ID <= pk <= MAX_DB_ID:  # no row has it, and the database would refuse the number
        raise ValidationFailed(f"无效的 ID：{value}", field=field)
    return pk


def encode_id(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


def _global_id_resolver(type_name: str) -> Any:
    prefix = f"{type_name}:"

    def resolve(root: Any, info: Any) -> str:
        return base64.b64encode(f"{prefix}{root.id}".encode()).decode()

    return resolve


def _plain_resolver(field: Any, info_class: Any) -> Any:
    """A graphql-core resolver calling ``field``'s own resolver directly, when it is a plain sync
    method taking ``self`` (and maybe ``info``) only, without arguments, extensions or permission
    classes — else ``None``. Same call, same result; strawberry's per-call argument conversion and
    extension chain, which such a field does not use, are skipped."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or field.permission_classes or resolver.is_async:
        return None
    if resolver.arguments or resolver.self_parameter is None:
        return None
    if resolver.root_parameter is not None or resolver.parent_parameter is not None:
        return None
    fn = resolver.wrapped_func
    if not inspect.isfunction(fn):
        return None
    names = list(inspect.signature(fn).parameters)
    info_parameter = resolver.info_parameter
    if names == [resolver.self_parameter.name]:
        return lambda root, info: fn(root)
    if info_parameter is not None and names == [resolver.self_parameter.name, info_parameter.name]:
        return lambda root, info: fn(root, info_class(_raw_info=info, _field=field))
    return None


def fast_resolvers(schema: Any) -> Any:
    """Resolve the most frequent fields of ``schema`` with plain functions, same answers.

    - the ``id`` of every :class:`ModelNode` type keeping relay's defaults (``id`` attribute, type
      name from the schema): strawberry resolves ``Node.id`` like any field with a resolver (an
      ``Info`` object, argument conversion, ``resolve_typename``/``resolve_id``, a ``GlobalID``
      object then its serialization); here the same ``base64("Type:pk")`` is computed directly;
    - every plain sync method field (``self`` and maybe ``info``, no arguments, no extensions, no
      permission classes: labels, masked values, ``Activity.stats`` …) calls its method directly
      (:func:`_plain_resolver`).

    Fields with a permission (``@field``: an extension) keep strawberry's full path. Idempotent;
    returns ``schema``."""
    from graphql import GraphQLObjectType
    from strawberry.schema.schema_converter import GraphQLCoreConverter

    gql = schema._schema
    if getattr(gql, "_zhibu_fast_resolvers", False):
        return schema
    names = schema.config.name_converter
    info_class = schema.config.info_class
    for type_name, gtype in gql.type_map.items():
        if not isinstance(gtype, GraphQLObjectType) or type_name.startswith("__"):
            continue
        definition = (gtype.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if definition is None or not hasattr(definition, "fields"):
            continue
        for field in definition.fields:
            graphql_field = gtype.fields.get(names.get_graphql_name(field))
            if graphql_field is None:
                continue
            fast = _plain_resolver(field, info_class)
            if fast is not None:
                graphql_field.resolve = fast
        origin = getattr(definition, "origin", None)
        if not (isinstance(origin, type) and issubclass(origin, ModelNode)) or "id" not in gtype.fields:
            continue
        if (
            origin.resolve_id.__func__ is not relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
            or origin.resolve_typename.__func__ is not relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
            or origin.resolve_id_attr() != "id"
        ):
            continue
        gtype.fields["id"].resolve = _global_id_resolver(type_name)
    gql._zhibu_fast_resolvers = True
    return schema
