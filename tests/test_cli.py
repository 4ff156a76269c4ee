"""The ``zhibu`` command line, run as a separate process against the test database."""

from __future__ import annotations

from core.models import AuditRecord, Tenant
from core.tenancy import tenant_scope
from tests.sheet_support import zhibu
from tests.support import unique_slug


async def test_tenant_create_and_list():
    slug = unique_slug("cli")
    done = zhibu(
        "tenant",
        "create",
        "--slug",
        slug,
        "--name",
        "某报社党委",
        "--domain",
        "newspaper",
        "--plugin",
        "newspaper",
    )
    assert done.returncode == 0, done.stderr
    assert f"created tenant {slug}" in done.stdout
    tenant = await Tenant.get(slug=slug)
    assert tenant.name == "某报社党委" and tenant.domain == "newspaper"
    assert tenant.enabled_plugins == ["newspaper"]
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="cli:tenant create").count() >= 1

    again = zhibu("tenant", "create", "--slug", slug, "--name", "重复")
    assert again.returncode == 2 and "TENANT_SLUG_TAKEN" in again.stdout
    assert await Tenant.filter(slug=slug).count() == 1

    bad = zhibu("tenant", "create", "--slug", "Not A Slug", "--name", "x")
    assert bad.returncode == 2 and "INVALID_INPUT" in bad.stdout

    listed = zhibu("tenant", "list")
    assert listed.returncode == 0 and slug in listed.stdout and "某报社党委" in listed.stdout


async def test_tenant_create_enables_the_domains_plugin_and_its_scorer():
    slug = unique_slug("dom")
    done = zhibu("tenant", "create", "--slug", slug, "--name", "青山镇党委", "--domain", "rural")
    assert done.returncode == 0, done.stderr
    tenant = await Tenant.get(slug=slug)
    assert (tenant.enabled_plugins, tenant.scoring_plugin) == (["rural"], "rural")
    assert "plugins: rural, scoring: rural" in done.stdout
    # explicit choices win; a plain domain gets the baseline scorer
    other = unique_slug("dom")
    done = zhibu(
        "tenant", "create", "--slug", other, "--name", "机关", "--domain", "rural", "--scoring", "baseline"
    )
    assert done.returncode == 0, done.stderr
    assert (await Tenant.get(slug=other)).scoring_plugin == "baseline"
    plain = unique_slug("dom")
    assert zhibu("tenant", "create", "--slug", plain, "--name", "其他单位").returncode == 0
    tenant = await Tenant.get(slug=plain)
    assert (tenant.enabled_plugins, tenant.scoring_plugin) == ([], "baseline")


async def test_tenant_domains_and_a_plugins_domain_on_the_command_line():
    """``zhibu tenant domains`` lists core's and the plugins' domains (the probe plugin's included);
    ``--domain`` takes a plugin's domain and enables that plugin; an unknown one is refused."""
    listed = zhibu("tenant", "domains")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert rows[0][:3] == ["other", "其他单位", "-"]
    assert ["probe_lab", "探针实验室", "probe"] in [row[:3] for row in rows]
    slug = unique_slug("lab")
    done = zhibu("tenant", "create", "--slug", slug, "--name", "探针实验室党委", "--domain", "probe_lab")
    assert done.returncode == 0, done.stderr
    tenant = await Tenant.get(slug=slug)
    assert (tenant.domain, tenant.enabled_plugins, tenant.scoring_plugin) == (
        "probe_lab",
        ["probe"],
        "baseline",
    )
    refused = zhibu("tenant", "create", "--slug", unique_slug("lab"), "--name", "x", "--domain", "university")
    assert refused.returncode == 2 and "TENANT_DOMAIN_UNKNOWN" in refused.stdout
