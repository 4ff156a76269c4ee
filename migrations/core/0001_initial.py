from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.models.activity import AttendanceStatus
from core.models.committee import CommitteeRole, SeatSource
from core.models.member import Gender, MemberStatus
from core.models.tenant import TenantDomain
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Tenant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=63)),
                ('name', fields.CharField(max_length=200)),
                ('domain', fields.CharEnumField(default=TenantDomain.OTHER, description='RURAL: rural\nENTERPRISE: enterprise\nNEWSPAPER: newspaper\nFOREIGN_AFFAIRS: foreign_affairs\nOTHER: other', enum_type=TenantDomain, max_length=32)),
                ('enabled_plugins', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('scoring_plugin', fields.CharField(default='baseline', max_length=63)),
                ('config', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('config_version', fields.IntField(default=1)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'tenant', 'app': 'core', 'pk_attr': 'id', 'table_description': 'An agency onboarded on the platform. Not tenant-owned itself: the platform owns it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditRecord',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('actor_id', fields.IntField(null=True)),
                ('actor', fields.CharField(default='', max_length=200)),
                ('operation', fields.CharField(max_length=100)),
                ('target_type', fields.CharField(default='', max_length=64)),
                ('target_id', fields.CharField(default='', max_length=64)),
                ('before', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('after', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('request_id', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'audit_record', 'app': 'core', 'indexes': [Index(fields=['tenant_id', 'created_at']), Index(fields=['tenant_id', 'target_type', 'target_id']), Index(fields=['tenant_id', 'actor_id', 'created_at']), Index(fields=['tenant_id', 'operation', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One change made by a mutation, written in the mutation transaction. Never updated.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Organization',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=32)),
                ('name', fields.CharField(max_length=200)),
                ('parent', fields.ForeignKeyField('core.Organization', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
                ('path', fields.CharField(default='', max_length=512)),
                ('depth', fields.IntField(default=0)),
                ('established_on', fields.DateField(null=True)),
                ('dissolved_on', fields.DateField(null=True)),
                ('covered_units', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('temporary_body', fields.CharField(null=True, max_length=200)),
                ('extra', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'organization', 'app': 'core', 'unique_together': (('tenant_id', 'path'),), 'indexes': [Index(fields=['tenant_id', 'parent_id']), Index(fields=['tenant_id', 'kind'])], 'pk_attr': 'id', 'table_description': 'A party organization in the tree, with a materialized path (a subtree is a path prefix).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='CommitteeTerm',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='committee_terms', on_delete=OnDelete.RESTRICT)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('closed_on', fields.DateField(null=True)),
                ('seat_count', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'committee_term', 'app': 'core', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'closed_on']), Index(fields=['tenant_id', 'ends_on'])], 'pk_attr': 'id', 'table_description': 'One term of the committee of an organization, live while it has no closing date.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Member',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('gender', fields.CharEnumField(null=True, description='MALE: MALE\nFEMALE: FEMALE', enum_type=Gender, max_length=8)),
                ('birth_date', fields.DateField(null=True)),
                ('ethnicity', fields.CharField(default='', max_length=32)),
                ('education', fields.CharField(default='', max_length=64)),
                ('phone', fields.CharField(default='', max_length=32)),
                ('id_number', fields.CharField(null=True, max_length=32)),
                ('joined_on', fields.DateField(null=True)),
                ('confirmed_on', fields.DateField(null=True)),
                ('status', fields.CharEnumField(default=MemberStatus.FULL, description='APPLICANT: APPLICANT\nACTIVIST: ACTIVIST\nCANDIDATE: CANDIDATE\nPROBATIONARY: PROBATIONARY\nFULL: FULL\nLEFT: LEFT\nDECEASED: DECEASED\nTRANSFERRED_OUT: TRANSFERRED_OUT', enum_type=MemberStatus, max_length=20)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.RESTRICT)),
                ('party_group', fields.ForeignKeyField('core.Organization', source_field='party_group_id', null=True, db_constraint=True, to_field='id', related_name='group_members', on_delete=OnDelete.RESTRICT)),
                ('extra', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'member', 'app': 'core', 'unique_together': (('tenant_id', 'id_number'),), 'indexes': [Index(fields=['tenant_id', 'branch_id', 'status']), Index(fields=['tenant_id', 'party_group_id']), Index(fields=['tenant_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A person on the roster of a branch (the ID number changes only by explicit correction).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Activity',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='activities', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharField(max_length=48)),
                ('held_on', fields.DateField()),
                ('topic', fields.CharField(max_length=300)),
                ('host', fields.ForeignKeyField('core.Member', source_field='host_id', null=True, db_constraint=True, to_field='id', related_name='hosted_activities', on_delete=OnDelete.SET_NULL)),
                ('lecturer', fields.CharField(default='', max_length=100)),
                ('minutes', fields.TextField(default='', unique=False)),
                ('extra', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'activity', 'app': 'core', 'indexes': [Index(fields=['tenant_id', 'organization_id', 'held_on']), Index(fields=['tenant_id', 'kind', 'held_on'])], 'pk_attr': 'id', 'table_description': 'One recorded activity (a meeting, a lecture, a themed party day …) of an organization.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Attendance',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('activity', fields.ForeignKeyField('core.Activity', source_field='activity_id', db_constraint=True, to_field='id', related_name='attendance', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='attendance', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(description='PRESENT: PRESENT\nLEAVE: LEAVE\nABSENT: ABSENT', enum_type=AttendanceStatus, max_length=8)),
            ],
            options={'table': 'attendance', 'app': 'core', 'unique_together': (('tenant_id', 'activity_id', 'member_id'),), 'indexes': [Index(fields=['tenant_id', 'member_id'])], 'pk_attr': 'id', 'table_description': 'Whether one member entitled to attend an activity was present, on leave or absent.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='CommitteeSeat',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('term', fields.ForeignKeyField('core.CommitteeTerm', source_field='term_id', db_constraint=True, to_field='id', related_name='seats', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(description='SECRETARY: SECRETARY\nDEPUTY_SECRETARY: DEPUTY_SECRETARY\nORGANIZATION: ORGANIZATION\nPUBLICITY: PUBLICITY\nDISCIPLINE: DISCIPLINE\nMEMBER: MEMBER', enum_type=CommitteeRole, max_length=20)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='seats', on_delete=OnDelete.RESTRICT)),
                ('source', fields.CharEnumField(default=SeatSource.ELECTED, description='ELECTED: ELECTED\nAPPOINTED: APPOINTED', enum_type=SeatSource, max_length=12)),
                ('started_on', fields.DateField(null=True)),
                ('ended_on', fields.DateField(null=True)),
            ],
            options={'table': 'committee_seat', 'app': 'core', 'indexes': [Index(fields=['tenant_id', 'term_id']), Index(fields=['tenant_id', 'member_id'])], 'pk_attr': 'id', 'table_description': 'A seat of a term, vacant while it has no member, ended once it has an end date.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='MemberCategoryAssignment',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='category_rows', on_delete=OnDelete.CASCADE)),
                ('category', fields.CharField(max_length=32)),
            ],
            options={'table': 'member_category', 'app': 'core', 'unique_together': (('tenant_id', 'member_id', 'category'),), 'indexes': [Index(fields=['tenant_id', 'category'])], 'pk_attr': 'id', 'table_description': 'Membership of a special group (retired, dispatched labour, abroad, floating).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='TenantConfigVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='config_versions', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField()),
                ('config', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('created_by', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'tenant_config_version', 'app': 'core', 'unique_together': (('tenant_id', 'version'),), 'pk_attr': 'id', 'table_description': 'Every version of the configuration of a tenant (score runs cite the version they used).'},
            bases=['Model'],
        ),
    ]
