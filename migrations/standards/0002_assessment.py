from tortoise import migrations
from tortoise.migrations import operations as ops
from core.standards.models import AssessmentStage
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0006_covered_unit'), ('standards', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AssessmentRecord',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='assessment_records', on_delete=OnDelete.RESTRICT)),
                ('stage', fields.CharEnumField(description='DEPLOYMENT: DEPLOYMENT\nQUARTERLY_CHECK: QUARTERLY_CHECK\nHALF_YEAR_REVIEW: HALF_YEAR_REVIEW\nYEAR_END_ASSESSMENT: YEAR_END_ASSESSMENT', enum_type=AssessmentStage, max_length=24)),
                ('year', fields.IntField()),
                ('period', fields.CharField(max_length=16)),
                ('held_on', fields.DateField()),
                ('summary', fields.TextField(unique=False)),
                ('recorded_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'standards_assessment', 'app': 'standards', 'unique_together': (('tenant_id', 'organization_id', 'stage', 'period'),), 'indexes': [Index(fields=['tenant_id', 'year', 'organization_id'])], 'pk_attr': 'id', 'table_description': 'One artefact of the assessment cadence of a committee (stage, period covered, day held, summary).'},
            bases=['TenantModel'],
        ),
    ]
