"""Tenant domains: the kinds of agency a tenant may be, from core (``other``, through
``core.defaults.vocabulary``) and every installed plugin (``zhibu_tenant_domains``)."""

from __future__ import annotations

import re
from dataclasses import replace

from core.plugins.calls import collect_named, memoized
from core.plugins.manager import INTERNAL_PLUGINS
from core.registry import TenantDomainSpec

#: the domain of a tenant created without one (core's own)
OTHER_DOMAIN = "other"

#: a domain code: lower case, stored in ``tenant.domain`` (32 characters) and upper-cased in GraphQL
DOMAIN_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _declared() -> dict[str, TenantDomainSpec]:
    domains: dict[str, TenantDomainSpec] = {}
    for name, specs in collect_named("zhibu_tenant_domains", None):
        for spec in specs if isinstance(specs, list | tuple) else [specs]:
            if not isinstance(spec, TenantDomainSpec) or not DOMAIN_CODE.match(spec.code):
                raise RuntimeError(
                    f"plugin {name}: a tenant domain is a TenantDomainSpec whose code matches "
                    f"{DOMAIN_CODE.pattern}, not {spec!r}"
                )
            if spec.plugin is None and name not in INTERNAL_PLUGINS:
                spec = replace(spec, plugin=name)
            domains[spec.code] = spec
    return domains


def tenant_domains() -> dict[str, TenantDomainSpec]:
    """Every tenant domain of the installation by code, core's first (memoized per plugin manager)."""
    return memoized(("tenant_domains",), _declared)


def tenant_domain(code: str) -> TenantDomainSpec | None:
    """The domain ``code`` declares, or None if no installed plugin declares it."""
    return tenant_domains().get(code)
