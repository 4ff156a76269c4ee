"""Core's tenant config sections (``zhibu_config_schema``): the defaults of
``core.tenant_config.CORE_DEFAULTS``, one schema per section, and core's validation."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl
from core.registry import ConfigSchema


def _validate(section: dict[str, Any], config: dict[str, Any]) -> None:
    from core.tenant_config import check_core

    check_core(config)


@hookimpl
def zhibu_config_schema() -> Any:
    """One schema per core section; the first carries core's checks, which read across sections
    (the validator is given the whole effective config)."""
    from core.tenant_config import CORE_DEFAULTS

    return [
        ConfigSchema(defaults=defaults, section=section, validate=_validate if index == 0 else None)
        for index, (section, defaults) in enumerate(CORE_DEFAULTS.items())
    ]
