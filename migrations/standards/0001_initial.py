from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.standards.models import InspectionKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Inspection',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='inspections', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='SETUP_REVIEW: SETUP_REVIEW\nVENUE: VENUE\nRECORDS: RECORDS', enum_type=InspectionKind, max_length=16)),
                ('checked_on', fields.DateField()),
                ('items', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('conclusion', fields.CharField(default='', max_length=300)),
                ('recorded_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'standards_inspection', 'app': 'standards', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'kind', 'checked_on']), Index(fields=['tenant_id', 'kind', 'checked_on'])], 'pk_attr': 'id', 'table_description': 'An on-site check of an organization: annual setup review, venue or records (items met).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='ScoreRun',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('scope', fields.ForeignKeyField('core.Organization', source_field='scope_id', null=True, db_constraint=True, to_field='id', related_name='score_runs', on_delete=OnDelete.RESTRICT)),
                ('scope_path', fields.CharField(default='/', max_length=512)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('period', fields.CharField(max_length=32)),
                ('scorer', fields.CharField(max_length=63)),
                ('config_version', fields.IntField()),
                ('config', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('rule_codes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('run_by', fields.CharField(default='', max_length=200)),
                ('run_by_user_id', fields.IntField(null=True)),
                ('branch_count', fields.IntField(default=0)),
                ('passed_count', fields.IntField(default=0)),
                ('finding_count', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'standards_score_run', 'app': 'standards', 'indexes': [Index(fields=['tenant_id', 'scope_id', 'created_at']), Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One scoring of a subtree for a period by one scorer, with the config version it used.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='BranchScoreRecord',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('run', fields.ForeignKeyField('standards.ScoreRun', source_field='run_id', db_constraint=True, to_field='id', related_name='scores', on_delete=OnDelete.CASCADE)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='branch_scores', on_delete=OnDelete.RESTRICT)),
                ('total', fields.FloatField()),
                ('grade', fields.CharField(max_length=32)),
                ('grade_label', fields.CharField(max_length=32)),
                ('passed', fields.BooleanField()),
                ('needs_rectification', fields.BooleanField(default=False)),
                ('rank', fields.IntField(null=True)),
                ('breakdown', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('details', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('finding_count', fields.IntField(default=0)),
            ],
            options={'table': 'standards_branch_score', 'app': 'standards', 'unique_together': (('tenant_id', 'run_id', 'organization_id'),), 'indexes': [Index(fields=['tenant_id', 'run_id', 'rank']), Index(fields=['tenant_id', 'organization_id', 'run_id'])], 'pk_attr': 'id', 'table_description': 'The stored score of one branch in one run (total, grade, per-area breakdown, race rank).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='FindingRecord',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('run', fields.ForeignKeyField('standards.ScoreRun', source_field='run_id', db_constraint=True, to_field='id', related_name='findings', on_delete=OnDelete.CASCADE)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='finding_records', on_delete=OnDelete.RESTRICT)),
                ('branch_id', fields.IntField()),
                ('rule_code', fields.CharField(max_length=64)),
                ('severity', fields.CharField(max_length=8)),
                ('area', fields.CharField(max_length=32)),
                ('message', fields.CharField(max_length=500)),
                ('numbers', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('period', fields.CharField(max_length=32)),
                ('points', fields.FloatField(default=0)),
                ('plugin', fields.CharField(null=True, max_length=63)),
            ],
            options={'table': 'standards_finding', 'app': 'standards', 'indexes': [Index(fields=['tenant_id', 'run_id', 'branch_id']), Index(fields=['tenant_id', 'rule_code', 'organization_id', 'period'])], 'pk_attr': 'id', 'table_description': 'A stored finding of a run: rule code, organization, period, numbers and the points it cost.'},
            bases=['TenantModel'],
        ),
    ]
