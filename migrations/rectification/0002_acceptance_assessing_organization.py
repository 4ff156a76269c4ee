from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term'), ('core', '0003_audit_append_only'), ('core', '0004_organization_sector'), ('rectification', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AcceptanceApplication',
            name='assessing_organization',
            field=fields.ForeignKeyField('core.Organization', source_field='assessing_organization_id', null=True, description='The superior committee that assesses (nearest ancestor of acceptance.assessing_kind)', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT),
        ),
    ]
