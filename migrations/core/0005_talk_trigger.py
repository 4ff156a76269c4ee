from tortoise import migrations
from tortoise.migrations import operations as ops
from core.models.activity import TalkTriggerKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term'), ('core', '0003_audit_append_only'), ('core', '0004_organization_sector')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TalkTrigger',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='talk_triggers', on_delete=OnDelete.RESTRICT)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', description="the member's branch when the occasion was recorded (the organization that owes the talk)", db_constraint=True, to_field='id', related_name='talk_triggers', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='JOB_CHANGE: JOB_CHANGE\nDISCIPLINARY_ACTION: DISCIPLINARY_ACTION\nFAMILY_MISFORTUNE: FAMILY_MISFORTUNE\nEARLY_WARNING: EARLY_WARNING', enum_type=TalkTriggerKind, max_length=24)),
                ('occurred_on', fields.DateField()),
                ('note', fields.CharField(default='', max_length=300)),
                ('recorded_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'talk_trigger', 'app': 'core', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'occurred_on']), Index(fields=['tenant_id', 'member_id'])], 'pk_attr': 'id', 'table_description': 'An occasion that obliges a heart-to-heart talk with one member (岗位变动必谈 …).'},
            bases=['TenantModel'],
        ),
    ]
