from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.enterprise.models import BenchmarkStatus, DemonstrationKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='BenchmarkBranch',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('year', fields.IntField()),
                ('status', fields.CharEnumField(default=BenchmarkStatus.APPLYING, description='APPLYING: APPLYING\nDESIGNATED: DESIGNATED\nREVOKED: REVOKED', enum_type=BenchmarkStatus, max_length=12)),
                ('designated_on', fields.DateField(null=True)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'enterprise_benchmark_branch', 'app': 'enterprise', 'unique_together': (('tenant_id', 'organization_id', 'year'),), 'indexes': [Index(fields=['tenant_id', 'year', 'status'])], 'pk_attr': 'id', 'table_description': 'One standard: a branch applying for or designated as benchmark branch in a year.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Demonstration',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='POST: POST\nFIELD: FIELD\nSHOP: SHOP\nZONE: ZONE', enum_type=DemonstrationKind, max_length=8)),
                ('name', fields.CharField(max_length=200)),
                ('year', fields.IntField()),
                ('commitment', fields.TextField(default='', unique=False)),
                ('business_goal', fields.CharField(default='', max_length=300)),
                ('established_on', fields.DateField(null=True)),
                ('closed_on', fields.DateField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'enterprise_demonstration', 'app': 'enterprise', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'year']), Index(fields=['tenant_id', 'year', 'kind'])], 'pk_attr': 'id', 'table_description': 'Four demonstrations: a member demonstration post, field, shop or zone of a branch.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='DemonstrationMember',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('demonstration', fields.ForeignKeyField('enterprise.Demonstration', source_field='demonstration_id', db_constraint=True, to_field='id', related_name='participants', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('pledge', fields.TextField(default='', unique=False)),
                ('pledge_fulfilled', fields.BooleanField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'enterprise_demonstration_member', 'app': 'enterprise', 'unique_together': (('tenant_id', 'demonstration_id', 'member_id'),), 'indexes': [Index(fields=['tenant_id', 'member_id'])], 'pk_attr': 'id', 'table_description': 'A member taking part in a demonstration, with a personal pledge.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='IntegrationItem',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('year', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('business_metric', fields.CharField(max_length=100)),
                ('unit', fields.CharField(default='', max_length=20)),
                ('target_value', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('actual_value', fields.DecimalField(null=True, max_digits=14, decimal_places=2)),
                ('tied_to_performance_pay', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'enterprise_integration_item', 'app': 'enterprise', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'year']), Index(fields=['tenant_id', 'year'])], 'pk_attr': 'id', 'table_description': 'A party work plus business item of a branch tied to a business result (党建+业务).'},
            bases=['TenantModel'],
        ),
    ]
