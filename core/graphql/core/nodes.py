"""Relay nodes backed by tortoise models, and global-ID decoding for inputs."""

from __future__ import annotations

import binascii
import dataclasses
import inspect
import operator
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
            if overrides:
                values.update((name, value) for name, value in overrides.items() if name in names)
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
    def from_rows(
        cls, rows: list[dict], renamed: dict[str, str] | None = None, **constants: Any
    ) -> list[Self]:
        """``[cls.from_model(row, **overrides) for row in rows]`` for :class:`Row` values of one query
        (same columns in every row), with the per-row work done once: ``constants`` are the same
        for every row, ``renamed`` maps a field to the column it takes (``raw_phone`` ← ``phone``)."""
        if not rows:
            return []
        names = _INIT_FIELDS.get(cls)
        if names is None:
            names = _INIT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)  # type: ignore[arg-type]
        renamed = renamed or {}
        first = rows[0]
        pairs = [
            (name, renamed.get(name, name))
            for name in names
            if name not in constants and renamed.get(name, name) in first
        ]
        constants = {name: value for name, value in constants.items() if name in names}
        return [cls(**{name: row[column] for name, column in pairs}, **constants) for row in rows]

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


def _global_id_getter(type_name: str) -> Any:
    prefix = f"{type_name}:"

    def global_id(root: Any) -> str:  # base64.b64encode, without its wrapper
        return binascii.b2a_base64(f"{prefix}{root.id}".encode(), newline=False).decode()

    return global_id


def _resolver_of(getter: Any) -> Any:
    """The graphql-core resolver ``(root, info)`` of a one-argument ``getter``."""
    return lambda root, info: getter(root)


def _plain_resolver(field: Any, info_class: Any) -> tuple[Any, Any]:
    """``(resolver, method)``: a graphql-core resolver calling ``field``'s own resolver directly,
    when it is a plain sync method taking ``self`` (and maybe ``info``) only, without arguments,
    extensions or permission classes, and the method itself (for the executor's leaf plans) — else
    ``(None, None)``. Same call, same result; strawberry's per-call argument conversion and
    extension chain, which such a field does not use, are skipped."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or field.permission_classes or resolver.is_async:
        return None, None
    if resolver.arguments or resolver.self_parameter is None:
        return None, None
    if resolver.root_parameter is not None or resolver.parent_parameter is not None:
        return None, None
    fn = resolver.wrapped_func
    if not inspect.isfunction(fn):
        return None, None
    names = list(inspect.signature(fn).parameters)
    info_parameter = resolver.info_parameter
    if names == [resolver.self_parameter.name]:
        return _resolver_of(fn), fn
    if info_parameter is not None and names == [resolver.self_parameter.name, info_parameter.name]:
        return lambda root, info: fn(root, info_class(_raw_info=info, _field=field)), fn
    return None, None


def _basic_getter(field: Any, graphql_field: Any) -> Any:
    """The getter of a field strawberry resolves by reading the source (no resolver, no extension,
    no exception handler: its ``_get_basic_result``), else ``None``."""
    if not field.is_basic_field or not getattr(graphql_field.resolve, "_is_default", False):
        return None
    name, read = field.python_name, field.default_resolver
    return operator.attrgetter(name) if read is getattr else lambda root: read(root, name)


def _leaf_plan(graphql_field: Any, getter: Any, info_field: Any = None) -> Any:
    """The executor's plan for a scalar or enum field read by ``getter`` (``None`` for others);
    ``info_field``: the strawberry field, when the getter takes its ``Info`` too."""
    from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLScalarType

    if getter is None:
        return None
    non_null = isinstance(graphql_field.type, GraphQLNonNull)
    leaf = graphql_field.type.of_type if non_null else graphql_field.type
    if isinstance(leaf, GraphQLEnumType):
        return (getter, _remembering(leaf.coerce_output_value), non_null, info_field)
    if not isinstance(leaf, GraphQLScalarType):
        return None
    return (getter, leaf.coerce_output_value, non_null, info_field)


def _remembering(coerce: Any) -> Any:
    """An enum's ``coerce_output_value`` remembering what it answered for each value (a member or
    its string: as many as the enum has, since only accepted values are remembered). strawberry's
    enum type looks a member up by scanning its values."""
    known: dict[Any, str] = {}

    def coerce_known(value: Any) -> Any:
        try:
            return known[value]
        except (KeyError, TypeError):
            coerced = coerce(value)
            if isinstance(coerced, str) and isinstance(value, str):  # str enums and their values
                known[value] = coerced
            return coerced

    return coerce_known


def fast_resolvers(schema: Any) -> Any:
    """Resolve the most frequent fields of ``schema`` with plain functions, same answers.

    - the ``id`` of every :class:`ModelNode` type keeping relay's defaults (``id`` attribute, type
      name from the schema): strawberry resolves ``Node.id`` like any field with a resolver (an
      ``Info`` object, argument conversion, ``resolve_typename``/``resolve_id``, a ``GlobalID``
      object then its serialization); here the same ``base64("Type:pk")`` is computed directly;
    - every plain sync method field (``self`` and maybe ``info``, no arguments, no extensions, no
      permission classes: labels, masked values, ``Activity.stats`` …) calls its method directly
      (:func:`_plain_resolver`).

    Fields with a permission (``@field``: an extension) keep strawberry's full path. Scalar and enum
    fields read by a getter of the source alone (an attribute strawberry reads itself, a node id, a
    method taking ``self`` only) are listed as *leaf plans* (``schema._schema._zhibu_leaf_plans``)
    for :class:`~core.graphql.core.execution.ZhibuExecutor`. Idempotent; returns ``schema``."""
    from graphql import GraphQLObjectType
    from strawberry.schema.schema_converter import GraphQLCoreConverter

    gql = schema._schema
    if getattr(gql, "_zhibu_fast_resolvers", False):
        return schema
    names = schema.config.name_converter
    info_class = schema.config.info_class
    plans: dict[str, dict[str, Any]] = {}
    for type_name, gtype in gql.type_map.items():
        if not isinstance(gtype, GraphQLObjectType) or type_name.startswith("__"):
            continue
        definition = (gtype.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if definition is None or not hasattr(definition, "fields"):
            continue
        type_plans: dict[str, Any] = {}
        for field in definition.fields:
            graphql_name = names.get_graphql_name(field)
            graphql_field = gtype.fields.get(graphql_name)
            if graphql_field is None:
                continue
            fast, getter = _plain_resolver(field, info_class)
            if fast is not None:
                graphql_field.resolve = fast
            takes_info = getter is not None and field.base_resolver.info_parameter is not None
            plan = _leaf_plan(
                graphql_field, getter or _basic_getter(field, graphql_field), field if takes_info else None
            )
            if plan is not None:
                type_plans[graphql_name] = plan
        origin = getattr(definition, "origin", None)
        if (
            isinstance(origin, type)
            and issubclass(origin, ModelNode)
            and "id" in gtype.fields
            and origin.resolve_id.__func__ is relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
            and origin.resolve_typename.__func__ is relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
            and origin.resolve_id_attr() == "id"
        ):
            global_id = _global_id_getter(type_name)
            gtype.fields["id"].resolve = _resolver_of(global_id)
            type_plans["id"] = _leaf_plan(gtype.fields["id"], global_id)
        if type_plans:
            plans[type_name] = type_plans
    from core.graphql.core.execution import lazy_info_class

    gql._zhibu_leaf_plans = plans
    gql._zhibu_lazy_info_class = lazy_info_class(info_class)
    gql._zhibu_fast_resolvers = True
    return schema
