from tortoise import migrations
from tortoise.migrations import operations as ops
from core.standards.models import JobStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0006_covered_unit'), ('standards', '0002_assessment')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ScoringJob',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('status', fields.CharEnumField(default=JobStatus.QUEUED, description='QUEUED: QUEUED\nRUNNING: RUNNING\nDONE: DONE\nFAILED: FAILED', enum_type=JobStatus, max_length=8)),
                ('queue', fields.CharField(default='inline', description='``database`` (waits for ``zhibu worker``) or ``inline`` (run by the process that queued it)', max_length=16)),
                ('scope', fields.ForeignKeyField('core.Organization', source_field='scope_id', null=True, db_constraint=True, to_field='id', related_name='scoring_jobs', on_delete=OnDelete.RESTRICT)),
                ('scope_path', fields.CharField(default='/', max_length=512)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('scorer', fields.CharField(null=True, max_length=63)),
                ('requested_by', fields.CharField(default='', max_length=200)),
                ('requested_by_user_id', fields.IntField(null=True)),
                ('request_id', fields.CharField(default='', max_length=64)),
                ('rules_total', fields.IntField(default=0)),
                ('rules_done', fields.IntField(default=0)),
                ('branches_total', fields.IntField(default=0)),
                ('branches_stored', fields.IntField(default=0)),
                ('findings_stored', fields.IntField(default=0)),
                ('run', fields.ForeignKeyField('standards.ScoreRun', source_field='run_id', null=True, db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.SET_NULL)),
                ('error_code', fields.CharField(null=True, max_length=64)),
                ('error_message', fields.CharField(default='', max_length=500)),
                ('attempts', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'standards_scoring_job', 'app': 'standards', 'indexes': [Index(fields=['tenant_id', 'status', 'id']), Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A score run executed in the background (startScoringRun), the row of the job queue itself.'},
            bases=['TenantModel'],
        ),
    ]
