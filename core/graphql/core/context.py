"""The per-request GraphQL context: tenant, principal, request id and the request's DataLoaders."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from core.error_codes import AccessErrorCode
from core.graphql.core.loaders import LoaderRegistry
from core.principal import Principal


@dataclass
class Context:
    """Built once per request by the ASGI app (or the test client). Never shared between requests."""

    principal: Principal
    request: Any = None
    response: Any = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    loaders: LoaderRegistry = field(default_factory=LoaderRegistry)
    #: free slots for plugins (``zhibu_graphql_context`` hook)
    extra: dict[str, Any] = field(default_factory=dict)
    #: development mode (``zhibu demo``): introspection and suggestions for anyone
    development: bool = False
    #: for the request's log line: the operation that ran and the codes of the errors it returned
    operation_name: str | None = None
    error_codes: list[str] = field(default_factory=list)

    _tenant: asyncio.Future[Any] | None = None

    @property
    def tenant_id(self) -> int | None:
        return self.principal.tenant_id

    async def tenant(self) -> Any:
        """The request's tenant row, loaded once per request (also when fields resolve in
        parallel: they share one in-flight load)."""
        if self.tenant_id is None:
            from core.errors import DomainError

            raise DomainError(AccessErrorCode.UNAUTHENTICATED)
        if self._tenant is None:
            from core.services.tenants import get_tenant

            # tracked by the loaders' scheduler: loads waiting on the tenant join the same wave
            self._tenant = asyncio.ensure_future(self.loaders.scheduler.track(get_tenant(self.tenant_id)))
        return await asyncio.shield(self._tenant)

    def prime_tenant(self, tenant: Any) -> None:
        """Use ``tenant`` (already loaded, e.g. by authentication) as the request's tenant row."""
        if tenant is not None and tenant.id == self.tenant_id and self._tenant is None:
            future = asyncio.get_running_loop().create_future()
            future.set_result(tenant)
            self._tenant = future

    async def vocabulary(self) -> Any:
        """Organization/activity kinds and member categories in force for this tenant."""
        if "vocabulary" not in self.extra:
            from core.registry import vocabulary_for

            tenant = await self.tenant()
            self.extra["vocabulary"] = vocabulary_for(tuple(tenant.enabled_plugins or ()))
        return self.extra["vocabulary"]


Info = StrawberryInfo[Context, None]
