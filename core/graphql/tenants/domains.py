"""The ``TenantDomain`` enum, built from the installed plugins' ``zhibu_tenant_domains`` at every
schema build (:func:`bind_tenant_domains`): core's ``OTHER`` plus each domain plugin's value, so a
third-party plugin's domain is an enum value like the built-in ones, and the committed SDL (core and
the built-in plugins) keeps ``RURAL``, ``ENTERPRISE``, ``NEWSPAPER``, ``FOREIGN_AFFAIRS``, ``OTHER``.

In Python the values are the lower-case codes stored on the tenant: an input gives a
:class:`DomainCode` (a ``str``), an output takes the stored string."""

from __future__ import annotations

import logging
from enum import Enum

import strawberry
from strawberry.types.enum import EnumValue

from core.plugins.domains import OTHER_DOMAIN, tenant_domains
from core.registry import TenantDomainSpec

log = logging.getLogger(__name__)


class DomainCode(str):
    """A domain code as GraphQL input gives it (``"rural"`` for ``RURAL``)."""

    @property
    def value(self) -> str:  # strawberry's enum output compares ``.value`` of its own instances
        return str(self)


@strawberry.enum(
    description="The kind of agency a tenant is: core's OTHER and one value per domain an installed "
    "plugin declares (`tenantDomains` lists them with their labels)."
)
class TenantDomain(Enum):
    OTHER = OTHER_DOMAIN  # replaced by bind_tenant_domains() at each schema build


def bind_tenant_domains() -> None:
    """Give ``TenantDomain`` the values of the current plugin manager's domains; called by
    ``schema.build_schema`` before the schema is built (a built schema keeps the values it had)."""
    definition = TenantDomain.__strawberry_definition__  # type: ignore[attr-defined]
    definition.wrapped_cls = DomainCode
    definition.values = [
        EnumValue(name=spec.code.upper(), value=spec.code, description=spec.label)
        for spec in tenant_domains().values()
    ]


def shown_domain(code: str) -> str:
    """``code`` if a plugin still declares it, else ``other`` (a tenant whose domain plugin was
    uninstalled keeps its stored code; the API shows OTHER instead of failing)."""
    if code in tenant_domains():
        return code
    log.warning("tenant domain %r is declared by no installed plugin; shown as %s", code, OTHER_DOMAIN)
    return OTHER_DOMAIN


@strawberry.type(description="A kind of agency a tenant may be, and the plugin such a tenant enables.")
class TenantDomainInfo:
    code: TenantDomain
    label: str = strawberry.field(description="Chinese name, e.g. 农村.")
    description: str
    plugin: str | None = strawberry.field(
        description="The plugin a tenant of this domain enables by default (`zhibu tenant create`)."
    )

    @classmethod
    def of(cls, spec: TenantDomainSpec) -> TenantDomainInfo:
        return cls(code=spec.code, label=spec.label, description=spec.description, plugin=spec.plugin)
