from tortoise import migrations
from tortoise.migrations import operations as ops
from core.dues.models import DuesCategory
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0002_leader_cancel_live_term')]

    initial = True

    operations = [
        ops.CreateModel(
            name='DuesBranchSetting',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('core.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('quarterly_allowed', fields.BooleanField(default=False)),
                ('farmer_amount', fields.DecimalField(null=True, max_digits=8, decimal_places=2)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'dues_branch_setting', 'app': 'dues', 'unique_together': (('tenant_id', 'organization_id'),), 'pk_attr': 'id', 'table_description': 'Dues settings a branch chooses: quarterly payment and the fixed amount for farmer members.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='DuesHandover',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('amount', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('payment_count', fields.IntField()),
                ('handed_on', fields.DateField()),
                ('received_by', fields.CharField(default='', max_length=200)),
                ('receipt_no', fields.CharField(default='', max_length=100)),
                ('recorded_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'dues_handover', 'app': 'dues', 'indexes': [Index(fields=['tenant_id', 'branch_id', 'period_start'])], 'pk_attr': 'id', 'table_description': 'A receipt (一票): the dues a branch collected in a span of days, handed to the superior.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='DuesPayment',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('paid_on', fields.DateField()),
                ('amount', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('month_count', fields.IntField()),
                ('paid_by_proxy', fields.BooleanField(default=False)),
                ('proxy_name', fields.CharField(default='', max_length=100)),
                ('note', fields.CharField(default='', max_length=300)),
                ('recorded_by', fields.CharField(default='', max_length=200)),
                ('handover', fields.ForeignKeyField('dues.DuesHandover', source_field='handover_id', null=True, db_constraint=True, to_field='id', related_name='payments', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'dues_payment', 'app': 'dues', 'indexes': [Index(fields=['tenant_id', 'member_id', 'paid_on']), Index(fields=['tenant_id', 'branch_id', 'paid_on']), Index(fields=['tenant_id', 'handover_id'])], 'pk_attr': 'id', 'table_description': 'Money a member paid for one or more monthly bills, by the member or by someone on his behalf.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='DuesBill',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('branch', fields.ForeignKeyField('core.Organization', source_field='branch_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('period', fields.DateField(description='First day of the month billed')),
                ('amount', fields.DecimalField(max_digits=10, decimal_places=2)),
                ('category', fields.CharEnumField(description='SALARIED: SALARIED\nRETIRED: RETIRED\nFARMER: FARMER\nSTUDENT: STUDENT\nUNEMPLOYED: UNEMPLOYED\nMINIMUM_ALLOWANCE: MINIMUM_ALLOWANCE', enum_type=DuesCategory, max_length=20)),
                ('monthly_income', fields.DecimalField(null=True, max_digits=12, decimal_places=2)),
                ('rate_percent', fields.DecimalField(null=True, max_digits=6, decimal_places=3)),
                ('config_version', fields.IntField()),
                ('payment', fields.ForeignKeyField('dues.DuesPayment', source_field='payment_id', null=True, db_constraint=True, to_field='id', related_name='bills', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'dues_bill', 'app': 'dues', 'unique_together': (('tenant_id', 'member_id', 'period'),), 'indexes': [Index(fields=['tenant_id', 'branch_id', 'period']), Index(fields=['tenant_id', 'payment_id']), Index(fields=['tenant_id', 'period', 'payment_id'])], 'pk_attr': 'id', 'table_description': 'What one member owes for one month, computed from the profile and config in force.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='DuesProfile',
            fields=[
                ('tenant', fields.ForeignKeyField('core.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('category', fields.CharEnumField(description='SALARIED: SALARIED\nRETIRED: RETIRED\nFARMER: FARMER\nSTUDENT: STUDENT\nUNEMPLOYED: UNEMPLOYED\nMINIMUM_ALLOWANCE: MINIMUM_ALLOWANCE', enum_type=DuesCategory, max_length=20)),
                ('monthly_income', fields.DecimalField(null=True, max_digits=12, decimal_places=2)),
                ('effective_from', fields.DateField(description='First day of the first month it applies to')),
                ('note', fields.CharField(default='', max_length=300)),
                ('created_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'dues_profile', 'app': 'dues', 'unique_together': (('tenant_id', 'member_id', 'effective_from'),), 'pk_attr': 'id', 'table_description': 'The basis of a member dues from a month on: category and declared monthly income.'},
            bases=['TenantModel'],
        ),
    ]
