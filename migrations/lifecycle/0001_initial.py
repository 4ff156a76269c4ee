from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.lifecycle.models import CaseStatus, TransferKind, TransferStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='DevelopmentCase',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='development_cases', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(default=CaseStatus.OPEN, description='OPEN: OPEN\nCOMPLETED: COMPLETED\nDISQUALIFIED: DISQUALIFIED\nWITHDRAWN: WITHDRAWN\nTRANSFERRED_OUT: TRANSFERRED_OUT', enum_type=CaseStatus, max_length=20)),
                ('last_sequence', fields.IntField(default=0, description='sequence of the last recorded step (0 before the application is recorded)')),
                ('applied_on', fields.DateField()),
                ('probation_ends_on', fields.DateField(null=True)),
                ('extended_months', fields.IntField(null=True)),
                ('next_earliest_on', fields.DateField(null=True, description='earliest date the next step may happen, and the date it is due by (derived, for lists)')),
                ('next_due_on', fields.DateField(null=True)),
                ('closed_on', fields.DateField(null=True)),
                ('close_reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'development_case', 'app': 'lifecycle', 'unique_together': (('tenant_id', 'member_id'),), 'indexes': [Index(fields=['tenant_id', 'status', 'last_sequence']), Index(fields=['tenant_id', 'next_due_on']), Index(fields=['tenant_id', 'probation_ends_on'])], 'pk_attr': 'id', 'table_description': 'The development of one person from application to confirmation (the 25 steps).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='DevelopmentStep',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('lifecycle.DevelopmentCase', source_field='case_id', db_constraint=True, to_field='id', related_name='steps', on_delete=OnDelete.RESTRICT)),
                ('code', fields.CharField(max_length=40)),
                ('sequence', fields.IntField(null=True, description='1 to 25 for the pipeline steps, null for decisions outside the sequence')),
                ('stage', fields.IntField()),
                ('done_on', fields.DateField()),
                ('acted_by', fields.CharField(default='', max_length=200)),
                ('notes', fields.TextField(default='', unique=False)),
                ('documents', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('votes_entitled', fields.IntField(null=True)),
                ('votes_present', fields.IntField(null=True)),
                ('votes_issued', fields.IntField(null=True)),
                ('votes_returned', fields.IntField(null=True)),
                ('votes_yes', fields.IntField(null=True)),
                ('training_days', fields.DecimalField(null=True, max_digits=5, decimal_places=1)),
                ('training_hours', fields.DecimalField(null=True, max_digits=6, decimal_places=1)),
                ('delay_reason', fields.TextField(default='', unique=False)),
                ('extra', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('recorded_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'development_step', 'app': 'lifecycle', 'unique_together': (('tenant_id', 'case_id', 'sequence'),), 'indexes': [Index(fields=['tenant_id', 'code', 'done_on'])], 'pk_attr': 'id', 'table_description': 'One recorded step of a development case (or a decision such as a probation extension).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='RelationTransfer',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='INTERNAL: INTERNAL\nOUTGOING: OUTGOING\nINCOMING: INCOMING', enum_type=TransferKind, max_length=12)),
                ('status', fields.CharEnumField(default=TransferStatus.ISSUED, description='ISSUED: ISSUED\nCOMPLETED: COMPLETED\nRETURNED: RETURNED', enum_type=TransferStatus, max_length=12)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='relation_transfers', on_delete=OnDelete.RESTRICT)),
                ('from_organization', fields.ForeignKeyField('core.Organization', source_field='from_organization_id', null=True, db_constraint=True, to_field='id', related_name='transfers_out', on_delete=OnDelete.RESTRICT)),
                ('to_organization', fields.ForeignKeyField('core.Organization', source_field='to_organization_id', null=True, db_constraint=True, to_field='id', related_name='transfers_in', on_delete=OnDelete.RESTRICT)),
                ('external_organization', fields.CharField(default='', description='the organization outside the tenant (destination of an outgoing, origin of an incoming letter)', max_length=200)),
                ('letter_number', fields.CharField(default='', max_length=64)),
                ('issued_on', fields.DateField()),
                ('completed_on', fields.DateField(null=True)),
                ('returned_on', fields.DateField(null=True)),
                ('reason', fields.TextField(default='', unique=False)),
                ('return_reason', fields.TextField(default='', unique=False)),
                ('abroad', fields.BooleanField(default=False, description='placed under the party organization of an embassy (members working abroad)')),
                ('person', fields.JSONField(default=dict, description='the person of an incoming transfer, until acceptance creates the member', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'relation_transfer', 'app': 'lifecycle', 'indexes': [Index(fields=['tenant_id', 'member_id', 'issued_on']), Index(fields=['tenant_id', 'from_organization_id', 'status']), Index(fields=['tenant_id', 'to_organization_id', 'status']), Index(fields=['tenant_id', 'kind', 'status']), Index(fields=['tenant_id', 'letter_number'])], 'pk_attr': 'id', 'table_description': 'A transfer of the organizational relation of a member, kept as history.'},
            bases=['TenantModel'],
        ),
    ]
