"""The probe plugin's own error codes: a plugin defines its enum in its package and registers it with
the schema through ``zhibu_graphql()["types"]``."""

from __future__ import annotations

from core.errors import ErrorCode, register_error_codes


@register_error_codes
class ProbeErrorCode(ErrorCode):
    """探针 plugin (tests only)."""

    PROBE_GREETING_FAREWELL = "PROBE_GREETING_FAREWELL", "问候语“{greeting}”是告别语，不能用作问候"
