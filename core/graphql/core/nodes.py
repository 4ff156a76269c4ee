"""Relay nodes backed by tortoise models, and global-ID decoding for inputs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from strawberry import relay
from tortoise.models import Model

from core.errors import ValidationFailed


class ModelNode(relay.Node):
    """A Relay node built from a model row: ``Type.from_model(row)`` copies same-named fields.

    Subclasses set ``model`` and declare ``id: relay.NodeID[int]`` plus their fields; private
    fields (``strawberry.Private``) hold foreign-key ids and ``scope_path``, the path of the
    organization the object belongs to, which the permission layer checks.
    """

    model: ClassVar[type[Model]]

    @classmethod
    def from_model(cls, obj: Model, **overrides: Any) -> Self:
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if not f.init:
                continue
            if f.name in overrides:
                values[f.name] = overrides[f.name]
            elif hasattr(obj, f.name):
                values[f.name] = getattr(obj, f.name)
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
