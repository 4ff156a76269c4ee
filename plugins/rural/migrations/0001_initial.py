from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.rural.models import CommitteeBody
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='FirstSecretary',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=100)),
                ('dispatching_agency', fields.CharField(max_length=200)),
                ('agency_level', fields.CharField(default='', max_length=20)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('recalled_on', fields.DateField(null=True)),
                ('phone', fields.CharField(default='', max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'rural_first_secretary', 'app': 'rural', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'ends_on'])], 'pk_attr': 'id', 'table_description': 'A first secretary (第一书记) sent by an agency to a village organization for a term.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Grid',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('natural_village', fields.CharField(max_length=100)),
                ('households', fields.IntField(default=0)),
                ('activity_site', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'rural_grid', 'app': 'rural', 'unique_together': (('tenant_id', 'organization_id'),), 'pk_attr': 'id', 'table_description': 'A grid party group in a natural village (网格党小组), attached to a party group organization.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='VillageCadre',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('name', fields.CharField(max_length=100)),
                ('body', fields.CharEnumField(description='PARTY: PARTY\nVILLAGERS: VILLAGERS\nBOTH: BOTH', enum_type=CommitteeBody, max_length=12)),
                ('post', fields.CharField(max_length=50)),
                ('birth_date', fields.DateField()),
                ('education', fields.CharField(default='', max_length=64)),
                ('capable_local', fields.BooleanField(default=False)),
                ('returned_talent', fields.BooleanField(default=False)),
                ('started_on', fields.DateField(null=True)),
                ('left_on', fields.DateField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'rural_village_cadre', 'app': 'rural', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'left_on']), Index(fields=['tenant_id', 'member_id'])], 'pk_attr': 'id', 'table_description': 'A member of the village two committees (村两委), with age and background.'},
            bases=['TenantModel'],
        ),
    ]
