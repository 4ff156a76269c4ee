from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Activity',
            name='cancel_reason',
            field=fields.CharField(default='', max_length=300),
        ),
        ops.AddField(
            model_name='Activity',
            name='cancelled_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='CommitteeTerm',
            name='live_organization_id',
            field=fields.IntField(null=True, description='Organization id while the term is live, NULL once closed (unique)'),
        ),
        ops.AddConstraint(
            model_name='CommitteeTerm',
            constraint=UniqueConstraint(fields=('tenant_id', 'live_organization_id'), name=None),
        ),
        ops.AddField(
            model_name='Organization',
            name='leader',
            field=fields.ForeignKeyField('core.Member', source_field='leader_id', null=True, db_constraint=True, to_field='id', related_name='led_groups', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddIndex(
            model_name='Organization',
            index=Index(fields=['tenant_id', 'leader_id']),
        ),
    ]
