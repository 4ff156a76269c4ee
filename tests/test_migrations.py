"""Models and migrations agree: the autodetector finds nothing to write."""

from __future__ import annotations

from tortoise.migrations.autodetector import MigrationAutodetector

from core.db import tortoise_config


async def test_models_and_migrations_do_not_drift():
    from tortoise import Tortoise

    config = tortoise_config()
    apps = Tortoise.apps
    autodetector = MigrationAutodetector(apps, config["apps"])
    writers = await autodetector.changes()
    pending = {w.app_label: [type(op).__name__ for op in w.operations] for w in writers}
    assert not pending, f"models changed without a migration (run: tortoise makemigrations): {pending}"
