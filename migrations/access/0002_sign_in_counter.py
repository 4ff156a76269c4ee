from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('access', '0001_initial'), ('core', '0003_audit_append_only')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SignInCounter',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=255)),
                ('failures', fields.IntField(default=0)),
                ('window_start', fields.BigIntField(default=0, description='start of the current window, seconds since the epoch')),
            ],
            options={'table': 'access_sign_in_counter', 'app': 'access', 'pk_attr': 'key', 'table_description': 'Failed sign-ins of one throttling key (account or client address) in its current window.'},
            bases=['Model'],
        ),
    ]
