"""Core's tortoise apps (``zhibu_models``): its models modules and migration packages."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl

#: The platform's own tortoise apps: label -> (models module, migrations package).
CORE_APPS: dict[str, tuple[str, str]] = {
    "core": ("core.models", "migrations.core"),
    "lifecycle": ("core.lifecycle.models", "migrations.lifecycle"),
    "dues": ("core.dues.models", "migrations.dues"),
    "reminders": ("core.reminders.models", "migrations.reminders"),
    "standards": ("core.standards.models", "migrations.standards"),
    "rectification": ("core.rectification.models", "migrations.rectification"),
    "access": ("core.access.models", "migrations.access"),
    "reports": ("core.reports.models", "migrations.reports"),
}


@hookimpl
def zhibu_models() -> Any:
    """Core's apps, first in the tortoise config."""
    return dict(CORE_APPS)
