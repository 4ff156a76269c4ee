"""Model field helpers shared by core's apps and plugins' models."""

from __future__ import annotations

from typing import Any

from tortoise import fields

__all__ = ["reference"]


def reference(
    to: str,
    *,
    related_name: str | bool = False,
    null: bool = False,
    on_delete: Any = fields.RESTRICT,
    **kwargs: Any,
) -> Any:
    """A foreign key to the model ``to`` (``"app.Model"``) the way zhibu declares every reference:
    deleting the referenced row is refused unless ``on_delete`` says otherwise, no reverse relation
    unless ``related_name`` names one, and no index of its own (``db_index=False``) because every
    index of a tenant-owned table leads with ``tenant_id`` and is declared in ``Meta.indexes``."""
    return fields.ForeignKeyField(
        to, related_name=related_name, null=null, on_delete=on_delete, db_index=False, **kwargs
    )
