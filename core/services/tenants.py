"""Tenants: onboarding, lookup, plugin enablement."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core import audit
from core.error_codes import PluginErrorCode, TenantErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.models import Tenant
from core.plugins.domains import OTHER_DOMAIN, tenant_domains
from core.tenancy import current_tenant_id
from core.tenant_config import new_config_version

_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,62}$")


@dataclass(frozen=True)
class FirstAdmin:
    """The account a new tenant starts with (TENANT_ADMIN, tenant-wide)."""

    username: str
    password: str
    display_name: str = ""


def _check_first_admin(admin: FirstAdmin) -> None:
    """Checked before anything is written, with the same rules as every account; the error names
    the nested input field (``admin.password``)."""
    from core.access.services import check_account_input

    try:
        check_account_input(admin.username, admin.password, admin.display_name)
    except DomainError as error:
        error.field = f"admin.{error.field}" if error.field else "admin"
        raise


def check_domain(domain: str) -> str:
    """``domain`` if an installed plugin (or core) declares it (``zhibu_tenant_domains``), else
    ``TENANT_DOMAIN_UNKNOWN`` naming the choices."""
    domains = tenant_domains()
    if domain not in domains:
        raise DomainError(
            TenantErrorCode.TENANT_DOMAIN_UNKNOWN, field="domain", domain=domain, choices="、".join(domains)
        )
    return domain


async def create_tenant(
    *,
    slug: str,
    name: str,
    domain: str = OTHER_DOMAIN,
    enabled_plugins: list[str] | None = None,
    scoring_plugin: str = "baseline",
    by: str = "",
    admin: FirstAdmin | None = None,
) -> Tenant:
    """Onboard a tenant (platform operation). The slug is unique and URL-safe. With ``admin``, the
    tenant's first administrator is created in the same transaction (the caller's)."""
    slug = slug.strip().lower()
    if not _SLUG.match(slug):
        raise ValidationFailed("单位标识只能包含小写字母、数字和连字符，且以字母开头", field="slug")
    if not name.strip():
        raise ValidationFailed("单位名称不能为空", field="name")
    domain = check_domain(domain)
    enabled_plugins = list(dict.fromkeys(enabled_plugins or []))
    _check_plugin_choice(enabled_plugins, scoring_plugin)
    if admin is not None:
        _check_first_admin(admin)
    if await Tenant.filter(slug=slug).exists():
        raise DomainError(TenantErrorCode.TENANT_SLUG_TAKEN, field="slug", slug=slug)
    tenant = await Tenant.create(
        slug=slug,
        name=name.strip(),
        domain=domain,
        enabled_plugins=enabled_plugins,
        scoring_plugin=scoring_plugin,
        config={},
        config_version=1,
    )
    await new_config_version(tenant, by=by, first=True)
    audit.target("Tenant", tenant.id, tenant_id=tenant.id)
    audit.created(tenant)
    if admin is not None:
        from core.access.services import create_first_admin

        await create_first_admin(
            tenant.id, username=admin.username, password=admin.password, display_name=admin.display_name
        )
    return tenant


def _check_plugin_choice(enabled_plugins: list[str], scoring_plugin: str) -> None:
    """Every enabled plugin is installed; the scoring plugin is the baseline or an enabled scorer."""
    from core.plugins import plugin_info, scoring_plugin_names

    for name in enabled_plugins:
        if plugin_info(name) is None:
            raise DomainError(
                PluginErrorCode.PLUGIN_NOT_INSTALLED, field="enabledPlugins", plugin=name, name=name
            )
    if scoring_plugin not in scoring_plugin_names(Tenant(enabled_plugins=enabled_plugins)):
        raise DomainError(
            PluginErrorCode.PLUGIN_NOT_SCORING,
            field="scoringPlugin",
            plugin=scoring_plugin,
            name=scoring_plugin,
        )


async def get_tenant(tenant_id: int) -> Tenant:
    tenant = await Tenant.get_or_none(id=tenant_id)
    if tenant is None:
        raise NotFound("单位", tenant_id)
    return tenant


async def current_tenant() -> Tenant:
    """The tenant bound to this request."""
    return await get_tenant(current_tenant_id())


async def get_by_slug(slug: str) -> Tenant:
    tenant = await Tenant.get_or_none(slug=slug)
    if tenant is None:
        raise NotFound("单位", slug)
    return tenant
