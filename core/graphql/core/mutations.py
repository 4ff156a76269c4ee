"""How every mutation runs: one transaction, the guard, the audit trail, typed errors.

    @mutation(permission=Permission.ORG_MANAGE)
    async def create_organization(self, info: Info, input: CreateOrganizationInput) -> OrganizationPayload:
        org = await organizations.create_organization(...)
        return {"organization": OrganizationType.from_model(org)}

The decorated function is the mutation's body: :func:`mutation` wraps it (one flat wrapper, made
with :func:`functools.wraps`, so strawberry sees the same arguments and the same payload type) to run
it as one audited transaction and build the payload (its return annotation) from the values it
returns. A :class:`~core.errors.DomainError` (or a known kind of bad input) rolls the transaction
back (nothing changes, no audit record) and comes back in the payload's ``errors``. Success writes
the audit records before commit.

A mutation that must do something outside the transaction (sign-in throttling, reading an upload)
declares ``atomic=False`` and calls :func:`run_mutation` itself. ``run_mutation`` called inside an
atomic mutation (the older style, ``async def action(): …; return await run_mutation(info, P,
action)``) joins the mutation's transaction, so plugins written that way keep working.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
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

#: set while an atomic mutation's body runs (a nested run_mutation joins its transaction)
_IN_MUTATION: ContextVar[bool] = ContextVar("zhibu_in_mutation", default=False)


@strawberry.type(description="Common shape of mutation results: typed errors, empty on success.")
class MutationPayload:
    errors: list[UserError] = strawberry.field(default_factory=list)


def mutation(
    resolver: Callable[..., Any] | None = None,
    *,
    permission: str | None,
    plugin: str | None = None,
    description: str | None = None,
    atomic: bool = True,
    **kwargs: Any,
) -> Any:
    """A mutation field declaring its permission (see :func:`core.graphql.core.fields.field`); every
    expected refusal comes back in its payload's ``errors``. ``atomic`` (the default): the function
    is the body of one audited transaction and returns the payload's values as a dict."""
    if resolver is None:
        return functools.partial(
            mutation, permission=permission, plugin=plugin, description=description, atomic=atomic, **kwargs
        )
    return field(
        transactional(resolver) if atomic else resolver,
        permission=permission,
        plugin=plugin,
        description=description,
        _mutation=True,
        **kwargs,
    )


def transactional(body: Callable[..., Awaitable[dict[str, Any]]]) -> Callable[..., Awaitable[Any]]:
    """``body`` run by :func:`run_mutation`'s machinery, its payload type from its annotation."""

    @functools.wraps(body)
    async def resolve(*args: Any, **kwargs: Any) -> Any:
        info = kwargs["info"] if "info" in kwargs else args[1]
        return await _run(info, _payload_type(body), body, args, kwargs)

    return resolve


@functools.cache
def _payload_type(body: Callable[..., Any]) -> type:
    return typing.get_type_hints(body)["return"]


class _Rollback(Exception):
    def __init__(self, error: DomainError):
        self.error = error


def _typed(error: Exception) -> DomainError | None:
    if isinstance(error, DomainError):
        return error
    return bad_input_error(error)


async def run_mutation(info: Any, payload: type[P], action: Callable[[], Awaitable[dict[str, Any]]]) -> P:
    """Run ``action`` as one audited transaction and wrap its result (or error) in ``payload``
    (for ``atomic=False`` mutations; inside an atomic one it joins that transaction)."""
    if _IN_MUTATION.get():
        return payload(errors=[], **(await action()))  # type: ignore[call-arg]
    return await _run(info, payload, action, (), {})


async def _run(
    info: Any, payload: type[P], body: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
) -> P:
    context = info.context
    principal = context.principal
    permission = declared_permission(info) or ""
    marker = _IN_MUTATION.set(True)
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
                    values = await body(*args, **kwargs)
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
    finally:
        _IN_MUTATION.reset(marker)
    return payload(errors=[], **values)  # type: ignore[call-arg]
