"""The tenant's domain is a plain code checked against the ``zhibu_tenant_domains`` hook (a plugin may
add a domain); same column, VARCHAR(32), no data change."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0006_covered_unit')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Tenant',
            name='domain',
            field=fields.CharField(default='other', description='a code of ``core.plugins.tenant_domains()`` (checked by ``core.services.tenants``)', max_length=32),
        ),
    ]
