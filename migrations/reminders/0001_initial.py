from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Reminder',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=48)),
                ('subject_type', fields.CharField(max_length=48)),
                ('subject_id', fields.IntField()),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('due_on', fields.DateField()),
                ('title', fields.CharField(max_length=300)),
                ('details', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('dedupe_key', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('acknowledged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('acknowledged_by', fields.CharField(default='', max_length=200)),
                ('acknowledged_by_id', fields.IntField(null=True)),
                ('acknowledge_note', fields.CharField(default='', max_length=300)),
            ],
            options={'table': 'reminder', 'app': 'reminders', 'unique_together': (('tenant_id', 'dedupe_key'),), 'indexes': [Index(fields=['tenant_id', 'organization_id', 'due_on']), Index(fields=['tenant_id', 'kind', 'due_on']), Index(fields=['tenant_id', 'acknowledged_at']), Index(fields=['tenant_id', 'subject_type', 'subject_id'])], 'pk_attr': 'id', 'table_description': 'Something the people responsible for an organization must act on by a date.'},
            bases=['TenantModel'],
        ),
    ]
