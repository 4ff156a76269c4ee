from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.foreign_affairs.models import MassOrganizationKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='MassOrganization',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='TRADE_UNION: TRADE_UNION\nWOMEN_GROUP: WOMEN_GROUP\nYOUTH_LEAGUE: YOUTH_LEAGUE', enum_type=MassOrganizationKind, max_length=16)),
                ('name', fields.CharField(max_length=200)),
                ('head_name', fields.CharField(default='', max_length=100)),
                ('member_count', fields.IntField(default=0)),
                ('established_on', fields.DateField(null=True)),
                ('dissolved_on', fields.DateField(null=True)),
            ],
            options={'table': 'foreign_affairs_mass_organization', 'app': 'foreign_affairs', 'unique_together': (('tenant_id', 'organization_id', 'kind'),), 'pk_attr': 'id', 'table_description': 'A trade union, women group or youth league led by a branch (party building leads mass work).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='VenueChecklist',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('activity_room', fields.BooleanField(default=False)),
                ('party_office', fields.BooleanField(default=False)),
                ('conference_table', fields.BooleanField(default=False)),
                ('computer', fields.BooleanField(default=False)),
                ('air_conditioning', fields.BooleanField(default=False)),
                ('video_conferencing', fields.BooleanField(default=False)),
                ('bookcase', fields.BooleanField(default=False)),
                ('record_books', fields.BooleanField(default=False)),
                ('checked_on', fields.DateField()),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'foreign_affairs_venue', 'app': 'foreign_affairs', 'unique_together': (('tenant_id', 'organization_id'),), 'pk_attr': 'id', 'table_description': 'The venue of a branch against the two dedicated rooms and six items standard.'},
            bases=['TenantModel'],
        ),
    ]
