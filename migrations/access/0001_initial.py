from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.access.models import RoleSource
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CasbinRule',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ptype', fields.CharField(max_length=8)),
                ('v0', fields.CharField(default='', max_length=255)),
                ('v1', fields.CharField(default='', max_length=255)),
                ('v2', fields.CharField(default='', max_length=255)),
                ('v3', fields.CharField(default='', max_length=255)),
                ('v4', fields.CharField(default='', max_length=255)),
                ('v5', fields.CharField(default='', max_length=255)),
            ],
            options={'table': 'access_casbin_rule', 'app': 'access', 'indexes': [Index(fields=['tenant_id', 'ptype', 'v0'])], 'pk_attr': 'id', 'table_description': 'One Casbin policy line (ptype p or g) of one tenant. Loaded filtered by tenant.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='PlatformOperator',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=64)),
                ('display_name', fields.CharField(default='', max_length=100)),
                ('password_hash', fields.CharField(max_length=255)),
                ('token_version', fields.IntField(default=1)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'access_platform_operator', 'app': 'access', 'pk_attr': 'id', 'table_description': 'A platform operator who onboards tenants. Not tenant-owned and sees no member data.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PolicyVersion',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'access_policy_version', 'app': 'access', 'unique_together': (('tenant_id',),), 'pk_attr': 'id', 'table_description': 'The version of the policies of a tenant, bumped on every change (the polling fallback).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(max_length=64)),
                ('display_name', fields.CharField(default='', max_length=100)),
                ('password_hash', fields.CharField(max_length=255)),
                ('token_version', fields.IntField(default=1)),
                ('is_active', fields.BooleanField(default=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'access_user', 'app': 'access', 'unique_together': (('tenant_id', 'username'),), 'indexes': [Index(fields=['tenant_id', 'member_id'])], 'pk_attr': 'id', 'table_description': 'A person who signs in to one tenant. Usernames are unique per tenant.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('access.User', source_field='user_id', db_constraint=True, to_field='id', related_name='api_tokens', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('prefix', fields.CharField(max_length=16)),
                ('secret_hash', fields.CharField(max_length=128)),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'access_api_token', 'app': 'access', 'indexes': [Index(fields=['tenant_id', 'user_id'])], 'pk_attr': 'id', 'table_description': 'A scoped, revocable token for integrations, acting as its owner within the listed scopes.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='RoleAssignment',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('role', fields.CharField(max_length=32)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('access.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='role_assignments', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('source', fields.CharEnumField(default=RoleSource.MANUAL, description='MANUAL: MANUAL\nSEAT: SEAT', enum_type=RoleSource, max_length=8)),
                ('seat_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'access_role_assignment', 'app': 'access', 'indexes': [Index(fields=['tenant_id', 'user_id']), Index(fields=['tenant_id', 'member_id']), Index(fields=['tenant_id', 'seat_id']), Index(fields=['tenant_id', 'organization_id'])], 'pk_attr': 'id', 'table_description': 'A role bound to a position in the tree (no organization: the whole tenant).'},
            bases=['TenantModel'],
        ),
    ]
