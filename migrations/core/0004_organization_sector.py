from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term'), ('core', '0003_audit_append_only')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Organization',
            name='sector',
            field=fields.CharField(null=True, description='Sector code (core.registry.ORGANIZATION_SECTORS), e.g. VILLAGE', max_length=32),
        ),
    ]
