"""A scoring job's heartbeat: a RUNNING job whose worker went silent is claimed again."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('standards', '0003_scoring_job')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ScoringJob',
            name='heartbeat_at',
            field=fields.DatetimeField(null=True, description="the last sign of life of the running worker (the claim, the progress after each rule): a", auto_now=False, auto_now_add=False),
        ),
    ]
