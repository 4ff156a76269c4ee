from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.reports.models import ReportStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term'), ('core', '0003_audit_append_only')]

    initial = True

    operations = [
        ops.CreateModel(
            name='QuarterlyReport',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('year', fields.IntField()),
                ('quarter', fields.IntField()),
                ('status', fields.CharEnumField(default=ReportStatus.SUBMITTED, description='SUBMITTED: SUBMITTED\nAPPROVED: APPROVED\nRETURNED: RETURNED', enum_type=ReportStatus, max_length=12)),
                ('content', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('note', fields.TextField(default='', unique=False)),
                ('submitted_by', fields.CharField(default='', max_length=200)),
                ('submitted_by_user_id', fields.IntField(null=True)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reviewed_by', fields.CharField(default='', max_length=200)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('review_comment', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'quarterly_report', 'app': 'reports', 'unique_together': (('tenant_id', 'organization_id', 'year', 'quarter'),), 'indexes': [Index(fields=['tenant_id', 'year', 'quarter', 'status'])], 'pk_attr': 'id', 'table_description': '党建工作季度报表 of one organization: derived from the records when submitted, then frozen'},
            bases=['TenantModel'],
        ),
    ]
