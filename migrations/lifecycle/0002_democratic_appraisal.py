from tortoise import migrations
from tortoise.migrations import operations as ops
from core.lifecycle.models import AppraisalGrade, SecretaryGrade, UnqualifiedStep
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term'), ('core', '0003_audit_append_only'), ('core', '0004_organization_sector'), ('lifecycle', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AppraisalRating',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='appraisal_ratings', on_delete=OnDelete.RESTRICT)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', description='the branch that rated the member (kept when the member moves)', db_constraint=True, to_field='id', related_name='appraisal_ratings', on_delete=OnDelete.RESTRICT)),
                ('year', fields.IntField()),
                ('grade', fields.CharEnumField(description='EXCELLENT: EXCELLENT\nQUALIFIED: QUALIFIED\nBASICALLY_QUALIFIED: BASICALLY_QUALIFIED\nUNQUALIFIED: UNQUALIFIED', enum_type=AppraisalGrade, max_length=24)),
                ('rated_on', fields.DateField()),
                ('rated_by', fields.CharField(default='', description='who decided: the branch committee meeting or the member congress', max_length=200)),
                ('notes', fields.TextField(default='', unique=False)),
                ('corrected_from', fields.CharField(default='', description='the grade before the last correction, and why it was corrected', max_length=24)),
                ('correction_reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'appraisal_rating', 'app': 'lifecycle', 'unique_together': (('tenant_id', 'member_id', 'year'),), 'indexes': [Index(fields=['tenant_id', 'branch_id', 'year']), Index(fields=['tenant_id', 'grade', 'rated_on'])], 'pk_attr': 'id', 'table_description': "A member's rating for one year given by the branch (one per member per year)."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SecretaryAppraisal',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', db_constraint=True, to_field='id', related_name='secretary_appraisals', on_delete=OnDelete.RESTRICT)),
                ('secretary', fields.ForeignKeyField('core.Member', source_field='secretary_id', null=True, db_constraint=True, to_field='id', related_name='secretary_appraisals', on_delete=OnDelete.RESTRICT)),
                ('year', fields.IntField()),
                ('unit_grade', fields.CharField(description='the branch overall grade, a code of appraisal.unit_grades in the tenant config', max_length=24)),
                ('grade', fields.CharEnumField(description='EXCELLENT: EXCELLENT\nCOMPETENT: COMPETENT\nBASICALLY_COMPETENT: BASICALLY_COMPETENT\nINCOMPETENT: INCOMPETENT', enum_type=SecretaryGrade, max_length=24)),
                ('rated_on', fields.DateField()),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'secretary_appraisal', 'app': 'lifecycle', 'unique_together': (('tenant_id', 'branch_id', 'year'),), 'pk_attr': 'id', 'table_description': 'The year-end appraisal of a branch secretary with the overall grade of the branch.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='UnqualifiedHandlingStep',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rating', fields.ForeignKeyField('lifecycle.AppraisalRating', source_field='rating_id', db_constraint=True, to_field='id', related_name='handling_steps', on_delete=OnDelete.RESTRICT)),
                ('step', fields.CharEnumField(description='CORRECTION_DEADLINE: CORRECTION_DEADLINE\nPERSUADE_TO_LEAVE: PERSUADE_TO_LEAVE\nREMOVAL: REMOVAL', enum_type=UnqualifiedStep, max_length=24)),
                ('done_on', fields.DateField()),
                ('acted_by', fields.CharField(default='', max_length=200)),
                ('deadline_on', fields.DateField(null=True, description='for a correction deadline, the date by which the member must correct')),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'unqualified_handling_step', 'app': 'lifecycle', 'unique_together': (('tenant_id', 'rating_id', 'step'),), 'pk_attr': 'id', 'table_description': 'One recorded step of handling a member rated unqualified, with its date and who acted.'},
            bases=['TenantModel'],
        ),
    ]
