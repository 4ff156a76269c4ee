"""The rural plugin's error codes (see :class:`core.errors.ErrorCode`); registered with the
GraphQL schema through the plugin's ``zhibu_graphql`` hook."""

from __future__ import annotations

from core.errors import ErrorCode, register_error_codes


@register_error_codes
class RuralErrorCode(ErrorCode):
    """农村 plugin."""

    RURAL_CADRE_LEFT = "RURAL_CADRE_LEFT", "{name}已于{left_on}离任"
    RURAL_FIRST_SECRETARY_RECALLED = "RURAL_FIRST_SECRETARY_RECALLED", "{name}已于{recalled_on}离任"
    RURAL_FIRST_SECRETARY_SERVING = (
        "RURAL_FIRST_SECRETARY_SERVING",
        "“{name}”已有第一书记{overlapping_name}在任（至{ends_on}）",
    )
    RURAL_GRID_NOT_A_GROUP = "RURAL_GRID_NOT_A_GROUP", "网格党小组须登记在党小组上"
