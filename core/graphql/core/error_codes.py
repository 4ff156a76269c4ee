"""Error-code enums in the schema (saleor style: ``OrganizationErrorCode`` …).

Every :class:`~core.errors.ErrorCode` enum becomes a GraphQL enum of the same name whose values are
the codes (each described by its zh-CN message template). ``UserError.code`` stays a ``String!``
with the same values; ``UserError.codeEnum`` names the enum that defines it. Core domains list
their enum in ``EXTRA_TYPES``; a plugin returns its own in ``zhibu_graphql()["types"]``::

    from core.graphql.core.error_codes import error_code_type
    return {"query": Query, "mutation": Mutation, "types": [error_code_type(MyPluginErrorCode)]}
"""

from __future__ import annotations

from typing import Any

import strawberry

from core.errors import ErrorCode


def error_code_type(enum: type[ErrorCode]) -> Any:
    """``enum`` as a strawberry enum (idempotent), its values described by their templates."""
    if "__strawberry_definition__" not in enum.__dict__:
        description = (enum.__doc__ or "").strip().splitlines()[0] if enum.__doc__ else None
        strawberry.enum(enum, description=f"Error codes: {description}" if description else None)
        for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
            value.description = enum[value.name].template or None
    return enum
