"""``TORTOISE_ORM`` for the ``tortoise`` command line (``tortoise makemigrations`` etc.)."""

from core.db import tortoise_config

TORTOISE_ORM = tortoise_config()
