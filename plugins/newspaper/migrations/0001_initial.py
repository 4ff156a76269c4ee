from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.newspaper.models import ItemStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='ChecklistAssessment',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('year', fields.IntField()),
                ('item_code', fields.CharField(max_length=8)),
                ('status', fields.CharEnumField(description='MET: MET\nPARTIAL: PARTIAL\nNOT_MET: NOT_MET', enum_type=ItemStatus, max_length=8)),
                ('evidence', fields.TextField(default='', unique=False)),
                ('assessed_on', fields.DateField()),
                ('assessed_by', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'newspaper_checklist_assessment', 'app': 'newspaper', 'unique_together': (('tenant_id', 'organization_id', 'year', 'item_code'),), 'indexes': [Index(fields=['tenant_id', 'year', 'status'])], 'pk_attr': 'id', 'table_description': 'How a branch stands on one of the 21 items of the newspaper plan in a year.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='EmergencyTeam',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('event', fields.CharField(max_length=200)),
                ('approved_by', fields.CharField(default='编委会', max_length=100)),
                ('approved_on', fields.DateField()),
                ('dissolved_on', fields.DateField(null=True)),
                ('temporary_branch', fields.ForeignKeyField('core.Organization', source_field='temporary_branch_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'newspaper_emergency_team', 'app': 'newspaper', 'indexes': [Index(fields=['tenant_id', 'temporary_branch_id']), Index(fields=['tenant_id', 'dissolved_on'])], 'pk_attr': 'id', 'table_description': 'A temporary emergency reporting team approved by the editorial board, with its temporary branch.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='OverseasBureau',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('bureau_name', fields.CharField(max_length=200)),
                ('country', fields.CharField(max_length=100)),
                ('city', fields.CharField(default='', max_length=100)),
                ('embassy_party_organization', fields.CharField(max_length=200)),
            ],
            options={'table': 'newspaper_overseas_bureau', 'app': 'newspaper', 'unique_together': (('tenant_id', 'organization_id'),), 'pk_attr': 'id', 'table_description': 'A branch of an overseas bureau whose members sit under the embassy party organization.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SocialMediaAccount',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('platform', fields.CharField(max_length=32)),
                ('handle', fields.CharField(max_length=100)),
                ('registered_on', fields.DateField()),
                ('closed_on', fields.DateField(null=True)),
            ],
            options={'table': 'newspaper_social_media_account', 'app': 'newspaper', 'unique_together': (('tenant_id', 'platform', 'handle'),), 'indexes': [Index(fields=['tenant_id', 'member_id'])], 'pk_attr': 'id', 'table_description': 'A personal social media account a member registered with the branch for supervision.'},
            bases=['TenantModel'],
        ),
    ]
