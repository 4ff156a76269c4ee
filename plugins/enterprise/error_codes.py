"""The enterprise plugin's error codes (see :class:`core.errors.ErrorCode`); registered with the
GraphQL schema through the plugin's ``zhibu_graphql`` hook."""

from __future__ import annotations

from core.errors import ErrorCode, register_error_codes


@register_error_codes
class EnterpriseErrorCode(ErrorCode):
    """国有企业 plugin."""

    ENTERPRISE_ALREADY_PARTICIPATING = "ENTERPRISE_ALREADY_PARTICIPATING", "{name}已在该示范项目中"
    ENTERPRISE_BENCHMARK_NOT_APPLIED = "ENTERPRISE_BENCHMARK_NOT_APPLIED", "该支部当年未申报标杆党支部"
    ENTERPRISE_BENCHMARK_UNCHANGED = "ENTERPRISE_BENCHMARK_UNCHANGED", "标杆党支部状态未变化"
    ENTERPRISE_DEMONSTRATION_CLOSED = "ENTERPRISE_DEMONSTRATION_CLOSED", "示范项目已结束"
    ENTERPRISE_DEMONSTRATION_EXISTS = "ENTERPRISE_DEMONSTRATION_EXISTS", "“{name}”已登记"
    ENTERPRISE_MEMBER_OTHER_BRANCH = "ENTERPRISE_MEMBER_OTHER_BRANCH", "{name}不是本支部党员"
    ENTERPRISE_NOT_A_MEMBER = "ENTERPRISE_NOT_A_MEMBER", "{name}不是正式或预备党员"
