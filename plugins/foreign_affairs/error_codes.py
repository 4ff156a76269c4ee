"""The foreign_affairs plugin's error codes (see :class:`core.errors.ErrorCode`); registered with the
GraphQL schema through the plugin's ``zhibu_graphql`` hook."""

from __future__ import annotations

from core.errors import ErrorCode, register_error_codes


@register_error_codes
class ForeignAffairsErrorCode(ErrorCode):
    """外事 plugin."""

    FOREIGN_AFFAIRS_MASS_ORG_EXISTS = "FOREIGN_AFFAIRS_MASS_ORG_EXISTS", "该支部已登记同类群团组织"
