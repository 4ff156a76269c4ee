"""How every mutation runs: one transaction, the guard, the audit trail, typed errors.

    @mutation(permission=Permission.ORG_MANAGE)
    async def create_organization(self, info: Info, input: CreateOrganizationInput) -> OrganizationPayload:
        async def action():
            org = await organizations.create_organization(...)
            return {"organization": OrganizationType.from_model(org)}
        return await run_mutation(info, OrganizationPayload, action)

A :class:`~core.errors.DomainError` rolls the transaction back (nothing changes, no audit record)
and comes back in the payload's ``errors``. Success writes the audit records before commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from tortoise.transactions import in_transaction

from core import audit
from core.errors import DomainError
from core.graphql.core.errors import UserError, bad_input_error
from core.graphql.core.fields import declared_permission, field
from core.guard import guarded
from core.tenancy import tenant_scope

P = TypeVar("P")


@strawberry.type(description="Common shape of mutation results: typed errors, empty on success.")
class MutationPayload:
    errors: list[UserError] = strawberry.field(default_factory=list)


def mutation(
    resolver: Callable[..., Any] | None = None,
    *,
    permission: str | None,
    plugin: str | None = None,
    description: str | None = None,
    **kwargs: Any,
) -> Any:
    """A mutation field declaring its permission (see :func:`core.graphql.core.fields.field`); every
    expected refusal comes back in its payload's ``errors``."""
    return field(
        resolver, permission=permission, plugin=plugin, description=description, _mutation=True, **kwargs
    )


class _Rollback(Exception):
    def __init__(self, error: DomainError):
        self.error = error


def _typed(error: Exception) -> DomainError | None:
    if isinstance(error, DomainError):
        return error
    return bad_input_error(error)


async def run_mutation(info: Any, payload: type[P], action: Callable[[], Awaitable[dict[str, Any]]]) -> P:
    """Run ``action`` as one audited transaction and wrap its result (or error) in ``payload``."""
    context = info.context
    principal = context.principal
    permission = declared_permission(info) or ""
    try:
        async with in_transaction():
            with (
                guarded(principal, permission),
                audit.audited(
                    info.field_name,
                    actor_id=principal.user_id,
                    actor=principal.label,
                    request_id=context.request_id,
                ) as trail,
            ):
                try:
                    values = await action()
                except Exception as error:
                    typed = _typed(error)
                    if typed is None:
                        raise
                    raise _Rollback(typed) from error
                tenant_id = principal.tenant_id or trail.tenant_id
                if tenant_id is None:
                    raise RuntimeError(f"mutation {info.field_name} has no tenant to audit under")
                with tenant_scope(tenant_id):
                    await trail.flush(tenant_id)
    except _Rollback as rollback:
        return payload(errors=[UserError.from_domain(rollback.error)])  # type: ignore[call-arg]
    return payload(errors=[], **values)  # type: ignore[call-arg]
