from tortoise import migrations
from tortoise.migrations import operations as ops
from core.models.coverage import CoveredUnitKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0005_talk_trigger')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CoveredUnit',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('committee', fields.ForeignKeyField('core.Organization', source_field='committee_id', db_constraint=True, to_field='id', related_name='covered_units_list', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=200)),
                ('kind', fields.CharEnumField(description='NON_PUBLIC_ENTERPRISE: NON_PUBLIC_ENTERPRISE\nSOCIAL_ORGANIZATION: SOCIAL_ORGANIZATION', enum_type=CoveredUnitKind, max_length=24)),
                ('has_party_organization', fields.BooleanField(default=False)),
                ('party_organization', fields.ForeignKeyField('core.Organization', source_field='party_organization_id', null=True, db_constraint=True, to_field='id', related_name='units_covered', on_delete=OnDelete.SET_NULL)),
                ('has_party_work', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'covered_unit', 'app': 'core', 'unique_together': (('tenant_id', 'committee_id', 'name'),), 'pk_attr': 'id', 'table_description': 'A unit a committee is responsible for covering (应建尽建: a party organization where the'},
            bases=['TenantModel'],
        ),
    ]
