from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('access', '0002_sign_in_counter'), ('core', '0001_initial'), ('core', '0002_leader_cancel_live_term'), ('core', '0003_audit_append_only'), ('core', '0004_organization_sector')]

    initial = False

    operations = [
        ops.AddField(
            model_name='User',
            name='must_change_password',
            field=fields.BooleanField(default=False, description='an initial or reset password: every permission-checked field is refused until it is changed'),
        ),
    ]
