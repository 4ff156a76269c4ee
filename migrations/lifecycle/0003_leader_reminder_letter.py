from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term'), ('core', '0003_audit_append_only'), ('core', '0004_organization_sector'), ('lifecycle', '0002_democratic_appraisal')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LeaderReminderLetter',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='reminder_letters', on_delete=OnDelete.RESTRICT)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', db_constraint=True, to_field='id', related_name='leader_reminder_letters', on_delete=OnDelete.RESTRICT)),
                ('year', fields.IntField()),
                ('issued_on', fields.DateField()),
                ('issued_by', fields.CharField(max_length=200)),
                ('life_meetings_attended', fields.IntField(description='the attendance the letter was based on (until issued_on) and what was required')),
                ('life_meetings_required', fields.IntField()),
                ('party_lectures_attended', fields.IntField()),
                ('party_lectures_required', fields.IntField()),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'leader_reminder_letter', 'app': 'lifecycle', 'unique_together': (('tenant_id', 'member_id', 'year'),), 'indexes': [Index(fields=['tenant_id', 'branch_id', 'year'])], 'pk_attr': 'id', 'table_description': "A reminder letter (提醒函) to a leadership cadre who skipped their branch's organizational life."},
            bases=['TenantModel'],
        ),
    ]
