"""The newspaper plugin's error codes (see :class:`core.errors.ErrorCode`); registered with the
GraphQL schema through the plugin's ``zhibu_graphql`` hook."""

from __future__ import annotations

from core.errors import ErrorCode, register_error_codes


@register_error_codes
class NewspaperErrorCode(ErrorCode):
    """报社 plugin."""

    NEWSPAPER_ACCOUNT_CLOSED = "NEWSPAPER_ACCOUNT_CLOSED", "该账号已注销"
    NEWSPAPER_ACCOUNT_TAKEN = "NEWSPAPER_ACCOUNT_TAKEN", "{platform}账号“{handle}”已登记"
    NEWSPAPER_TEAM_DISSOLVED = "NEWSPAPER_TEAM_DISSOLVED", "“{name}”已于{dissolved_on}撤销"
