"""Typed errors: the ``UserError`` type of mutation payloads, and masking of unexpected errors."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError

from core.errors import DomainError
from core.tenancy import CrossTenantWrite, TenantNotBound

log = logging.getLogger("zhibu.graphql")


@strawberry.type(description="An expected failure: a stable English code and a Chinese message.")
class UserError:
    code: str = strawberry.field(description="Stable machine-readable code, e.g. BRANCH_HAS_MEMBERS.")
    message: str = strawberry.field(description="Human-readable message in Chinese.")
    field: str | None = strawberry.field(default=None, description="Input field at fault, if any.")

    @classmethod
    def from_domain(cls, error: DomainError) -> UserError:
        return cls(code=error.code, message=error.message, field=error.field)


def domain_graphql_error(error: DomainError) -> GraphQLError:
    """A GraphQL error carrying a domain error's code (for query fields)."""
    extensions = {"code": error.code}
    if error.field:
        extensions["field"] = error.field
    return GraphQLError(error.message, extensions=extensions, original_error=error)


def should_mask_error(error: GraphQLError) -> bool:
    """Mask everything except expected domain errors and GraphQL validation errors."""
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if original is None:
        return False  # syntax/validation errors describe the query, not the server
    if isinstance(original, DomainError):
        return False
    if isinstance(original, TenantNotBound | CrossTenantWrite):
        log.error("tenant scoping violation: %s", original)
    return True
