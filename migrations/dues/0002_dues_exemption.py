from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0004_organization_sector'), ('dues', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DuesExemption',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('from_month', fields.DateField(description='First day of the first month exempted')),
                ('to_month', fields.DateField(description='First day of the last month exempted')),
                ('reason', fields.TextField(unique=False)),
                ('approved_by', fields.CharField(description='Who approved it, e.g. the branch committee', max_length=200)),
                ('approved_on', fields.DateField()),
                ('recorded_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_on', fields.DateField(null=True)),
                ('revoked_by', fields.CharField(default='', max_length=200)),
                ('revoke_reason', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'dues_exemption', 'app': 'dues', 'indexes': [Index(fields=['tenant_id', 'member_id', 'from_month'])], 'pk_attr': 'id', 'table_description': 'Months of a member whose unpaid dues have a good reason (e.g. an approved deferral).'},
            bases=['TenantModel'],
        ),
    ]
