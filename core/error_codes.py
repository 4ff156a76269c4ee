"""Core's error codes, one enum per domain: each code once, with its zh-CN message template.

The value is the stable English code clients see in ``code``; the template is filled with the
error's details (see :class:`core.errors.ErrorCode`). Each enum appears in the GraphQL schema under
its own name (``OrganizationErrorCode`` …) and every code is listed in ``docs/errors.md``.
Plugins define theirs in their own package (``plugins/rural/error_codes.py``).
"""

from __future__ import annotations

from core.errors import ErrorCode, register_error_codes

__all__ = [
    "AcceptanceErrorCode",
    "AccessErrorCode",
    "ActivityErrorCode",
    "AppraisalErrorCode",
    "CommitteeErrorCode",
    "CoverageErrorCode",
    "DevelopmentErrorCode",
    "DualLifeErrorCode",
    "DuesErrorCode",
    "ImportErrorCode",
    "MemberErrorCode",
    "OrganizationErrorCode",
    "PluginErrorCode",
    "RectificationErrorCode",
    "ReminderErrorCode",
    "ReportErrorCode",
    "StandardsErrorCode",
    "TenantErrorCode",
    "TransferErrorCode",
    "TransportErrorCode",
]


@register_error_codes
class AcceptanceErrorCode(ErrorCode):
    """达标验收 (acceptance of standardized branches)."""

    ACCEPTANCE_ALREADY_OPEN = "ACCEPTANCE_ALREADY_OPEN", "“{name}”已有未办结的验收申请"
    ACCEPTANCE_CONFIG_INVALID = "ACCEPTANCE_CONFIG_INVALID", "抽查比例须在 0 到 1 之间"
    ACCEPTANCE_INVALID_TRANSITION = (
        "ACCEPTANCE_INVALID_TRANSITION",
        "验收申请当前状态为“{status_label}”，不能{action_label}",
    )
    ACCEPTANCE_NOT_A_BRANCH = "ACCEPTANCE_NOT_A_BRANCH", "只有党支部可以申请标准化验收"
    ACCEPTANCE_NOT_SAMPLED = "ACCEPTANCE_NOT_SAMPLED", "该申请未被抽中实地抽查"
    ACCEPTANCE_NO_ACCEPTING_LEVEL = "ACCEPTANCE_NO_ACCEPTING_LEVEL", "“{name}”的上级中没有负责验收的{level}"
    ACCEPTANCE_NO_ASSESSING_LEVEL = "ACCEPTANCE_NO_ASSESSING_LEVEL", "“{name}”的上级中没有负责评估的{level}"
    ACCEPTANCE_ONSITE_ALREADY_RECORDED = "ACCEPTANCE_ONSITE_ALREADY_RECORDED", "实地抽查结果已登记"
    ACCEPTANCE_ONSITE_CHECK_FAILED = "ACCEPTANCE_ONSITE_CHECK_FAILED", "实地抽查未通过，不能验收通过"
    ACCEPTANCE_ONSITE_CHECK_PENDING = (
        "ACCEPTANCE_ONSITE_CHECK_PENDING",
        "该申请被抽中实地抽查，须先登记抽查结果",
    )
    ACCEPTANCE_OPEN_RECTIFICATION = (
        "ACCEPTANCE_OPEN_RECTIFICATION",
        "“{name}”还有{unclosed}项整改事项未销号，销号后方可申请验收",
    )
    ACCEPTANCE_ROUND_CLOSED = "ACCEPTANCE_ROUND_CLOSED", "该批次已抽取实地抽查样本，不再接受申请"
    ACCEPTANCE_ROUND_MISMATCH = "ACCEPTANCE_ROUND_MISMATCH", "该验收批次不负责本支部"
    ACCEPTANCE_SAMPLE_ALREADY_DRAWN = "ACCEPTANCE_SAMPLE_ALREADY_DRAWN", "该批次已抽取过实地抽查样本"
    ACCEPTANCE_SAMPLE_EMPTY = "ACCEPTANCE_SAMPLE_EMPTY", "该批次没有可抽查的申请"
    ACCEPTANCE_SCORE_NOT_FOUND = "ACCEPTANCE_SCORE_NOT_FOUND", "该评分批次中没有本支部的得分"


@register_error_codes
class AccessErrorCode(ErrorCode):
    """账号、登录、令牌与角色 (sign-in, tokens, accounts, roles)."""

    ALREADY_SIGNED_IN = "ALREADY_SIGNED_IN", "请先退出当前登录，再登录其他单位"
    API_TOKEN_REVOKED = "API_TOKEN_REVOKED", "该令牌已撤销"
    API_TOKEN_SCOPE_NOT_HELD = "API_TOKEN_SCOPE_NOT_HELD", "不能授予本人没有的权限：{not_held}"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS", "{scope}用户名或密码错误"
    PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED", "请先修改初始密码（changePassword）后再使用"
    ROLE_FROM_SEAT = "ROLE_FROM_SEAT", "该角色来自班子职务，请通过结束任职撤销"
    ROLE_NEEDS_ORGANIZATION = "ROLE_NEEDS_ORGANIZATION", "该角色必须绑定到一个组织"
    ROLE_TENANT_WIDE = "ROLE_TENANT_WIDE", "单位管理员角色不绑定组织"
    ROLE_UNKNOWN = "ROLE_UNKNOWN", "不能分配角色：{role}"
    TOKEN_EXPIRED = "TOKEN_EXPIRED", "登录已过期，请重新登录"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS", "尝试次数过多，请 {retry_after} 秒后再试"
    UNAUTHENTICATED = "UNAUTHENTICATED", "请先登录"
    USERNAME_TAKEN = "USERNAME_TAKEN", "用户名“{username}”已被使用"


@register_error_codes
class ActivityErrorCode(ErrorCode):
    """组织生活与活动 (activities, attendance)."""

    ACTIVITY_CANCELLED = "ACTIVITY_CANCELLED", "该活动记录已作废，不能修改"
    ACTIVITY_KIND_NOT_HELD_BY_ORG = "ACTIVITY_KIND_NOT_HELD_BY_ORG", "{label}不开展“{spec_label}”"
    ACTIVITY_KIND_UNKNOWN = "ACTIVITY_KIND_UNKNOWN", "未知的活动类型：{kind}"
    ATTENDANCE_ALREADY_RECORDED = "ATTENDANCE_ALREADY_RECORDED", "该党员已在本次活动中签到"
    ATTENDANCE_DUPLICATE = "ATTENDANCE_DUPLICATE", "同一名党员在签到名单中出现了多次"
    ATTENDANCE_MEMBER_NOT_IN_ORG = (
        "ATTENDANCE_MEMBER_NOT_IN_ORG",
        "有{missing_count}人不是“{name}”的党员，不能列入出勤名单",
    )
    TALK_TRIGGER_DUPLICATE = "TALK_TRIGGER_DUPLICATE", "已记录{name}{occurred_on}的{value}"
    THEMED_DAY_PARTS_NOT_APPLICABLE = "THEMED_DAY_PARTS_NOT_APPLICABLE", "只有主题党日记录“4+X”内容"
    THEMED_DAY_PART_UNKNOWN = "THEMED_DAY_PART_UNKNOWN", "未知的主题党日规定动作：{unknown}"


@register_error_codes
class AppraisalErrorCode(ErrorCode):
    """民主评议与书记述职 (appraisal)."""

    APPRAISAL_ALREADY_RATED = "APPRAISAL_ALREADY_RATED", "{name}{year}年度已有评议结果，如有错误请更正"
    APPRAISAL_CORRECTION_REASON_REQUIRED = "APPRAISAL_CORRECTION_REASON_REQUIRED", "更正评议结果须说明理由"
    APPRAISAL_DATE_IN_FUTURE = "APPRAISAL_DATE_IN_FUTURE", "不能登记未来日期"
    APPRAISAL_GRADE_UNCHANGED = "APPRAISAL_GRADE_UNCHANGED", "更正后的评定等次与原等次相同"
    APPRAISAL_HANDLING_STARTED = "APPRAISAL_HANDLING_STARTED", "已开始处置的不合格评定不能更正为其他等次"
    APPRAISAL_NOT_A_MEMBER = "APPRAISAL_NOT_A_MEMBER", "{name}不是党员，不参加民主评议"
    APPRAISAL_NOT_UNQUALIFIED = "APPRAISAL_NOT_UNQUALIFIED", "只有评定为不合格的党员才进入处置程序"
    APPRAISAL_YEAR_INVALID = "APPRAISAL_YEAR_INVALID", "评议年度{year}无效（不能晚于评定日期所在年度）"
    SECRETARY_ALREADY_RATED = "SECRETARY_ALREADY_RATED", "“{name}”{year}年度书记述职评议已登记"
    SECRETARY_EXCELLENT_UNIT_BELOW_GOOD = (
        "SECRETARY_EXCELLENT_UNIT_BELOW_GOOD",
        "“{name}”综合评价等次为“{unit_grade}”，未达到“{minimum}”，党组织书记考核结果不得评定为“优秀”",
    )
    SECRETARY_NOT_IN_BRANCH = "SECRETARY_NOT_IN_BRANCH", "{name}不是“{branch_name}”的党员"
    SECRETARY_UNIT_GRADE_UNKNOWN = "SECRETARY_UNIT_GRADE_UNKNOWN", "支部综合评价等次应为：{labels}"
    UNQUALIFIED_DEADLINE_NOT_APPLICABLE = "UNQUALIFIED_DEADLINE_NOT_APPLICABLE", "只有限期改正登记改正期限"
    UNQUALIFIED_DEADLINE_REQUIRED = "UNQUALIFIED_DEADLINE_REQUIRED", "限期改正须登记晚于决定日期的改正期限"
    UNQUALIFIED_STEP_ACTOR_REQUIRED = "UNQUALIFIED_STEP_ACTOR_REQUIRED", "须登记经办人或作出决定的组织"
    UNQUALIFIED_STEP_DATE_BEFORE_PREVIOUS = (
        "UNQUALIFIED_STEP_DATE_BEFORE_PREVIOUS",
        "日期不能早于上一环节或评定日期（{last}）",
    )
    UNQUALIFIED_STEP_DUPLICATE = "UNQUALIFIED_STEP_DUPLICATE", "已登记“{step}”"
    UNQUALIFIED_STEP_OUT_OF_ORDER = "UNQUALIFIED_STEP_OUT_OF_ORDER", "“{step}”须在“{previous}”之后"


@register_error_codes
class CommitteeErrorCode(ErrorCode):
    """支部委员会 (committees)."""

    COMMITTEE_MEMBER_DUPLICATE = "COMMITTEE_MEMBER_DUPLICATE", "同一名党员不能在班子中占两个职位"
    COMMITTEE_MEMBER_NOT_FULL = "COMMITTEE_MEMBER_NOT_FULL", "{name}不是正式党员，不能担任班子成员"
    COMMITTEE_MEMBER_NOT_IN_ORG = "COMMITTEE_MEMBER_NOT_IN_ORG", "{name}不是“{org_name}”的党员"
    COMMITTEE_NOT_ALLOWED = "COMMITTEE_NOT_ALLOWED", "党小组不设委员会，请设置党小组组长"
    COMMITTEE_SEAT_ENDED = "COMMITTEE_SEAT_ENDED", "该职位任期已结束"
    COMMITTEE_SEAT_NOT_VACANT = "COMMITTEE_SEAT_NOT_VACANT", "该职位不是空缺职位"
    COMMITTEE_SECRETARY_DUPLICATE = "COMMITTEE_SECRETARY_DUPLICATE", "每届班子只能设一名书记"
    COMMITTEE_TERM_ALREADY_LIVE = "COMMITTEE_TERM_ALREADY_LIVE", "该组织已有一届在任班子"
    COMMITTEE_TERM_CLOSED = "COMMITTEE_TERM_CLOSED", "该届班子已于{closed_on}换届"
    COMMITTEE_TERM_OVERLAP = "COMMITTEE_TERM_OVERLAP", "新一届班子的开始日期须晚于本届开始日期（{starts_on}）"
    COMMITTEE_TOO_MANY_SEATS = (
        "COMMITTEE_TOO_MANY_SEATS",
        "班子成员一般不超过{limit}人，当前为{seats_count}人",
    )


@register_error_codes
class CoverageErrorCode(ErrorCode):
    """覆盖单位 (covered units)."""

    COVERAGE_NOT_A_COMMITTEE = "COVERAGE_NOT_A_COMMITTEE", "只有党委、党总支登记所属的非公企业和社会组织"
    COVERAGE_ORG_OUTSIDE = "COVERAGE_ORG_OUTSIDE", "“{name}”不在“{committee_name}”之下"
    COVERED_UNIT_DUPLICATE = "COVERED_UNIT_DUPLICATE", "已登记单位“{name}”"


@register_error_codes
class DevelopmentErrorCode(ErrorCode):
    """发展党员 (member development)."""

    DEVELOPMENT_ACTIVIST_PERIOD_TOO_SHORT = (
        "DEVELOPMENT_ACTIVIST_PERIOD_TOO_SHORT",
        "入党积极分子须经{activist_min_months}个月以上培养教育考察，方可确定为发展对象（最早{earliest}）",
    )
    DEVELOPMENT_APPLICANT_TOO_YOUNG = (
        "DEVELOPMENT_APPLICANT_TOO_YOUNG",
        "申请入党须年满{min_applicant_age}岁（{adult_on}起）",
    )
    DEVELOPMENT_APPROVAL_DELAY_REASON_REQUIRED = (
        "DEVELOPMENT_APPROVAL_DELAY_REASON_REQUIRED",
        "审批超过支部大会讨论后{approval_within_months}个月（{normal}），须说明延长审批的原因",
    )
    DEVELOPMENT_APPROVAL_OVERDUE = (
        "DEVELOPMENT_APPROVAL_OVERDUE",
        "上级党委审批最多不超过支部大会讨论后{approval_max_months}个月（最迟{latest}）",
    )
    DEVELOPMENT_BIRTH_DATE_REQUIRED = "DEVELOPMENT_BIRTH_DATE_REQUIRED", "须登记申请人的出生日期"
    DEVELOPMENT_CASE_CLOSED = "DEVELOPMENT_CASE_CLOSED", "该发展档案已结束{reason}"
    DEVELOPMENT_CASE_EXISTS = "DEVELOPMENT_CASE_EXISTS", "{name}已有发展档案"
    DEVELOPMENT_EXTENSION_NOT_ALLOWED = (
        "DEVELOPMENT_EXTENSION_NOT_ALLOWED",
        "支部大会已讨论通过转正，不能再延长预备期",
    )
    DEVELOPMENT_EXTENSION_OUT_OF_RANGE = (
        "DEVELOPMENT_EXTENSION_OUT_OF_RANGE",
        "预备期可延长{extension_min_months}至{extension_max_months}个月",
    )
    DEVELOPMENT_NOT_AN_APPLICANT = (
        "DEVELOPMENT_NOT_AN_APPLICANT",
        "只能为本支部登记为入党申请人的人员建立发展档案",
    )
    DEVELOPMENT_NOT_ON_PROBATION = "DEVELOPMENT_NOT_ON_PROBATION", "{name}不是预备党员"
    DEVELOPMENT_POLITICAL_REVIEW_EXPIRED = (
        "DEVELOPMENT_POLITICAL_REVIEW_EXPIRED",
        "政治审查结论已超过{political_review_valid_months}个月有效期（至{valid_until}），须重新进行政治审查",
    )
    DEVELOPMENT_PROBATION_ALREADY_EXTENDED = (
        "DEVELOPMENT_PROBATION_ALREADY_EXTENDED",
        "预备期只能延长{max_extensions}次",
    )
    DEVELOPMENT_PROBATION_NOT_ENDED = (
        "DEVELOPMENT_PROBATION_NOT_ENDED",
        "预备期至{ends_on}届满，届满后方可{action}",
    )
    DEVELOPMENT_STEP_ALREADY_RECORDED = "DEVELOPMENT_STEP_ALREADY_RECORDED", "该环节已经登记{step}"
    DEVELOPMENT_STEP_DATE_BEFORE_PREVIOUS = (
        "DEVELOPMENT_STEP_DATE_BEFORE_PREVIOUS",
        "日期不能早于上一环节（{previous}）",
    )
    DEVELOPMENT_STEP_DATE_IN_FUTURE = "DEVELOPMENT_STEP_DATE_IN_FUTURE", "不能登记未来日期"
    DEVELOPMENT_STEP_OUT_OF_ORDER = (
        "DEVELOPMENT_STEP_OUT_OF_ORDER",
        "须按顺序办理：下一步应为第{sequence}步“{label}”",
    )
    DEVELOPMENT_TALK_TOO_LATE = (
        "DEVELOPMENT_TALK_TOO_LATE",
        "党组织应在收到入党申请书后{talk_within_months}个月内派人谈话（最迟{limit}）",
    )
    DEVELOPMENT_TRAINING_INSUFFICIENT = (
        "DEVELOPMENT_TRAINING_INSUFFICIENT",
        "发展对象集中培训时间一般不少于{training_min_days}天或{training_min_hours}个学时",
    )
    DEVELOPMENT_VOTE_INCONSISTENT = "DEVELOPMENT_VOTE_INCONSISTENT", "票数不符：{reason}"
    DEVELOPMENT_VOTE_NOT_PASSED = (
        "DEVELOPMENT_VOTE_NOT_PASSED",
        "同意票须超过应到会有表决权党员的{passing}（应到{entitled}人，同意{yes}票），决议未通过",
    )
    DEVELOPMENT_VOTE_NO_QUORUM = (
        "DEVELOPMENT_VOTE_NO_QUORUM",
        "到会有表决权的党员须超过应到会人数的{quorum}（应到{entitled}人，实到{present}人）",
    )
    DEVELOPMENT_VOTE_REQUIRED = (
        "DEVELOPMENT_VOTE_REQUIRED",
        "支部大会讨论须登记应到、实到、发出、收回和同意人（票）数",
    )


@register_error_codes
class DualLifeErrorCode(ErrorCode):
    """双重组织生活 (dual organizational life)."""

    LEADER_DID_NOT_SKIP = (
        "LEADER_DID_NOT_SKIP",
        "{name}{year}年度已按要求参加所在支部组织生活会{life_meetings}次、党课{party_lectures}次，无需发提醒函",
    )
    LEADER_LETTER_ALREADY_ISSUED = "LEADER_LETTER_ALREADY_ISSUED", "已向{name}发出{year}年度提醒函"
    LEADER_LETTER_DATE_IN_FUTURE = "LEADER_LETTER_DATE_IN_FUTURE", "不能登记未来日期"
    LEADER_LETTER_ISSUER_REQUIRED = "LEADER_LETTER_ISSUER_REQUIRED", "须登记发出提醒函的组织或人员"
    LEADER_LETTER_YEAR_INVALID = "LEADER_LETTER_YEAR_INVALID", "年度{year}无效（不能晚于提醒函日期所在年度）"
    LEADER_NOT_A_LEADER = "LEADER_NOT_A_LEADER", "{name}不是登记在册的党员领导干部"


@register_error_codes
class DuesErrorCode(ErrorCode):
    """党费 (dues)."""

    DUES_ADVANCE_BEYOND_QUARTER = (
        "DUES_ADVANCE_BEYOND_QUARTER",
        "按季度交纳只能预交本季度的党费，{month:%Y年%m月}不在本季度",
    )
    DUES_ALREADY_PAID = "DUES_ALREADY_PAID", "{months}已交纳"
    DUES_BACK_PAYMENT_LIMIT = (
        "DUES_BACK_PAYMENT_LIMIT",
        "补交党费最多补交{limit}个月，{month_label:%Y年%m月}已超过期限，请由支部研究处理",
    )
    DUES_BEFORE_JOINING = (
        "DUES_BEFORE_JOINING",
        "{name}于{joined_on:%Y年%m月%d日}入党，{month:%Y年%m月}无须交纳党费",
    )
    DUES_CONFIG_INVALID = "DUES_CONFIG_INVALID", "党费配置无效：{reason}"
    DUES_EXEMPTION_OVERLAP = (
        "DUES_EXEMPTION_OVERLAP",
        "{name}在{from_month:%Y年%m月}至{to_month:%Y年%m月}已登记正当理由",
    )
    DUES_EXEMPTION_REVOKED = "DUES_EXEMPTION_REVOKED", "该记录已于{revoked_on}撤销"
    DUES_FARMER_AMOUNT_OUT_OF_RANGE = (
        "DUES_FARMER_AMOUNT_OUT_OF_RANGE",
        "农民党员每月交纳党费应在{low}元至{high}元之间",
    )
    DUES_HANDOVER_EMPTY = "DUES_HANDOVER_EMPTY", "该期间没有尚未上交的党费收缴记录"
    DUES_MEMBER_NOT_CURRENT = "DUES_MEMBER_NOT_CURRENT", "{name}不是在册党员"
    DUES_NOT_A_BRANCH = "DUES_NOT_A_BRANCH", "“{name}”不是党支部，党费由党支部收缴和登记"
    DUES_NO_MEMBER_RECORD = "DUES_NO_MEMBER_RECORD", "当前账号未关联党员，没有党费记录"
    DUES_PROFILE_MISSING = "DUES_PROFILE_MISSING", "{name}在{month:%Y年%m月}没有党费交纳标准，请先登记"
    DUES_QUARTERLY_NOT_ALLOWED = (
        "DUES_QUARTERLY_NOT_ALLOWED",
        "本支部未同意按季度交纳，不能预交{month:%Y年%m月}的党费",
    )


@register_error_codes
class ImportErrorCode(ErrorCode):
    """花名册、组织架构导入 (spreadsheet imports: the file as a whole, and rows of the report).

    The row codes (``IMPORT_DUPLICATE_ROW``, ``IMPORT_PARENT_*``) are reported on a row of the
    import report with the importer's own message (the row's details); ``{reason}`` is that message.
    """

    IMPORT_DUPLICATE_ROW = "IMPORT_DUPLICATE_ROW", "{reason}"
    IMPORT_FILE_EMPTY = "IMPORT_FILE_EMPTY", "没有可导入的数据：{reason}"
    IMPORT_FILE_MISSING = "IMPORT_FILE_MISSING", "请以 multipart 方式上传文件（GraphQL multipart request）"
    IMPORT_FILE_NOT_SPREADSHEET = "IMPORT_FILE_NOT_SPREADSHEET", "无法读取文件：{reason}"
    IMPORT_FILE_TOO_LARGE = (
        "IMPORT_FILE_TOO_LARGE",
        "工作簿解压后过大（{size_mib} MiB，上限 {limit_mib} MiB）",
    )
    IMPORT_FILE_UNSUPPORTED = "IMPORT_FILE_UNSUPPORTED", "不支持该文件：{reason}"
    IMPORT_FORMULAS = "IMPORT_FORMULAS", "{where}含公式（{listed}）：请复制后“粘贴为数值”（或改为文本）再导入"
    IMPORT_HEADERS_INVALID = "IMPORT_HEADERS_INVALID", "第1行表头有误：{problems}。可用的列：{known}"
    IMPORT_PARENT_INVALID = "IMPORT_PARENT_INVALID", "{reason}"
    IMPORT_PARENT_ORDER = "IMPORT_PARENT_ORDER", "{reason}"
    IMPORT_MERGED_CELLS = (
        "IMPORT_MERGED_CELLS",
        "工作表“{sheet}”含合并单元格（{listed}）：请取消合并，每行一人、每列一项",
    )
    IMPORT_TOO_MANY_ROWS = "IMPORT_TOO_MANY_ROWS", "数据行过多：{rows}行，一次最多导入{limit}行，请分批导入"


@register_error_codes
class MemberErrorCode(ErrorCode):
    """党员 (members)."""

    MEMBER_ALREADY_LINKED = "MEMBER_ALREADY_LINKED", "该党员已关联其他账号"
    MEMBER_BRANCH_KIND_INVALID = (
        "MEMBER_BRANCH_KIND_INVALID",
        "“{name}”不是党支部，党员只能编入党支部（含联合、临时党支部）",
    )
    MEMBER_CATEGORY_UNKNOWN = "MEMBER_CATEGORY_UNKNOWN", "未知的党员类别：{unknown}"
    MEMBER_ID_NUMBER_IMMUTABLE = (
        "MEMBER_ID_NUMBER_IMMUTABLE",
        "身份证号码不能在普通编辑中修改，请使用“更正身份证号码”并说明理由",
    )
    MEMBER_ID_NUMBER_TAKEN = "MEMBER_ID_NUMBER_TAKEN", "该身份证号码已登记在其他党员名下"
    MEMBER_ID_NUMBER_UNCHANGED = "MEMBER_ID_NUMBER_UNCHANGED", "新号码与原号码相同"
    MEMBER_IS_GROUP_LEADER = "MEMBER_IS_GROUP_LEADER", "{name}是“{group}”的党小组组长，请先更换组长"
    MEMBER_NOT_ACTIVE = "MEMBER_NOT_ACTIVE", "{name}已{status}，不能调整所在组织"
    MEMBER_NOT_CURRENT = "MEMBER_NOT_CURRENT", "{name}不是在册党员"
    MEMBER_PARTY_GROUP_INVALID = "MEMBER_PARTY_GROUP_INVALID", "所选党小组不是“{branch}”下设的党小组"
    MEMBER_STATUS_CHANGE_NOT_ALLOWED = (
        "MEMBER_STATUS_CHANGE_NOT_ALLOWED",
        "不能在编辑中把状态由“{status}”改为“{new_status}”（发展、转正、转接须走相应程序）",
    )


@register_error_codes
class OrganizationErrorCode(ErrorCode):
    """组织 (organizations)."""

    GROUP_LEADER_NOT_IN_GROUP = "GROUP_LEADER_NOT_IN_GROUP", "{name}不是“{group_name}”的成员"
    GROUP_LEADER_NOT_MEMBER = "GROUP_LEADER_NOT_MEMBER", "{name}不是党员，不能担任党小组组长"
    JOINT_BRANCH_TOO_MANY_UNITS = (
        "JOINT_BRANCH_TOO_MANY_UNITS",
        "联合党支部覆盖单位不超过{max_units}个，当前为{covered_units_count}个",
    )
    ORG_AMBIGUOUS = "ORG_AMBIGUOUS", "{reason}"
    ORG_DISSOLVED = "ORG_DISSOLVED", "组织“{name}”已撤销"
    ORG_HAS_CHILDREN = "ORG_HAS_CHILDREN", "组织“{name}”仍有{children}个下级组织未撤销"
    ORG_HAS_MEMBERS = "ORG_HAS_MEMBERS", "组织“{name}”仍有{members}名党员（含发展对象），请先办理组织关系转接"
    ORG_KIND_CHANGE_NOT_ALLOWED = "ORG_KIND_CHANGE_NOT_ALLOWED", "{reason}"
    ORG_KIND_NOT_ALLOWED = "ORG_KIND_NOT_ALLOWED", "组织“{name}”的类型不适用于此项"
    ORG_MOVE_INTO_OWN_SUBTREE = "ORG_MOVE_INTO_OWN_SUBTREE", "不能把组织移到其自身或下级组织之下"
    ORG_MOVE_NO_CHANGE = "ORG_MOVE_NO_CHANGE", "组织已在该上级组织之下"
    ORG_NESTING_NOT_ALLOWED = "ORG_NESTING_NOT_ALLOWED", "{label}不能设在{place}"
    ORG_NOT_FOUND = "ORG_NOT_FOUND", "{reason}"
    ORG_NOT_PARTY_GROUP = "ORG_NOT_PARTY_GROUP", "“{name}”不是党小组"


@register_error_codes
class PluginErrorCode(ErrorCode):
    """插件 (plugins)."""

    PLUGIN_ALREADY_ENABLED = "PLUGIN_ALREADY_ENABLED", "插件“{name}”已启用"
    PLUGIN_HAS_NO_CONFIG = "PLUGIN_HAS_NO_CONFIG", "插件“{name}”没有可配置项"
    PLUGIN_IS_SCORING = "PLUGIN_IS_SCORING", "插件“{name}”是本单位的评分插件，请先更换评分插件再停用"
    PLUGIN_NOT_ENABLED = "PLUGIN_NOT_ENABLED", "本单位未启用插件“{name}”"
    PLUGIN_NOT_INSTALLED = "PLUGIN_NOT_INSTALLED", "未安装插件“{name}”"
    PLUGIN_NOT_SCORING = "PLUGIN_NOT_SCORING", "插件“{name}”不提供评分方法"
    SCORING_PLUGIN_UNCHANGED = "SCORING_PLUGIN_UNCHANGED", "评分插件已是“{name}”"


@register_error_codes
class RectificationErrorCode(ErrorCode):
    """整改 (rectification)."""

    RECTIFICATION_ALREADY_OPEN = "RECTIFICATION_ALREADY_OPEN", "该组织此规则、此期间已有未销号的整改事项"
    RECTIFICATION_CONCURRENT_CHANGE = "RECTIFICATION_CONCURRENT_CHANGE", "其他人正在同时生成整改事项，请重试"
    RECTIFICATION_DEADLINE_PAST = "RECTIFICATION_DEADLINE_PAST", "整改期限 {deadline} 早于今天"
    RECTIFICATION_EVIDENCE_REQUIRED = (
        "RECTIFICATION_EVIDENCE_REQUIRED",
        "没有佐证材料的整改事项不能提交或销号",
    )
    RECTIFICATION_INVALID_TRANSITION = (
        "RECTIFICATION_INVALID_TRANSITION",
        "整改事项当前状态为“{status_label}”，不能{action_label}",
    )
    RECTIFICATION_ITEM_LOCKED = "RECTIFICATION_ITEM_LOCKED", "整改事项当前状态为“{status}”，不能修改"
    RECTIFICATION_OWNER_INVALID = "RECTIFICATION_OWNER_INVALID", "责任人{reason}"
    RECTIFICATION_TASKS_PENDING = "RECTIFICATION_TASKS_PENDING", "还有{pending}项整改任务未完成"
    RECTIFICATION_TASK_AFTER_DEADLINE = (
        "RECTIFICATION_TASK_AFTER_DEADLINE",
        "任务完成时间不能晚于整改期限 {deadline}",
    )


@register_error_codes
class ReminderErrorCode(ErrorCode):
    """提醒 (reminders)."""

    REMINDER_ALREADY_ACKNOWLEDGED = "REMINDER_ALREADY_ACKNOWLEDGED", "该提醒已由{by}确认"


@register_error_codes
class ReportErrorCode(ErrorCode):
    """季度报表 (quarterly reports)."""

    REPORT_ALREADY_SUBMITTED = "REPORT_ALREADY_SUBMITTED", "该季度报表已报送"
    REPORT_NOT_FOR_KIND = "REPORT_NOT_FOR_KIND", "党小组不单独报送季度报表，由所在支部报送"
    REPORT_NOT_SUBMITTED = "REPORT_NOT_SUBMITTED", "只有已报送、待审核的报表可以审核"
    REPORT_NO_SUPERIOR = "REPORT_NO_SUPERIOR", "该组织没有上级组织，无需审核"
    REPORT_QUARTER_NOT_OVER = "REPORT_QUARTER_NOT_OVER", "季度结束后才能报送该季度报表"


@register_error_codes
class StandardsErrorCode(ErrorCode):
    """规则与评分 (standards)."""

    ASSESSMENT_ALREADY_RECORDED = (
        "ASSESSMENT_ALREADY_RECORDED",
        "“{name}”{period}的{stage}已记录，可修改该记录",
    )
    ASSESSMENT_BEFORE_PERIOD = "ASSESSMENT_BEFORE_PERIOD", "{stage}（{period}）不能早于{earliest}开展"
    ASSESSMENT_NOT_HELD_BY_ORG = (
        "ASSESSMENT_NOT_HELD_BY_ORG",
        "“{name}”不开展年初部署、季度检查、半年点评、年终考核（开展的组织类型：{kinds}）",
    )
    NO_SCORE_RUN = "NO_SCORE_RUN", "该组织尚无评分记录，请先进行评分"
    RUN_SCOPE_MISMATCH = "RUN_SCOPE_MISMATCH", "该次评分未覆盖所选组织"
    SCORER_NOT_AVAILABLE = "SCORER_NOT_AVAILABLE", "评分方案“{wanted}”不可用（相应插件未启用）"
    SCORING_JOB_ABANDONED = "SCORING_JOB_ABANDONED", "评分任务已中断{attempts}次，不再重试，请重新发起"
    SCORING_JOB_FAILED = "SCORING_JOB_FAILED", "评分任务执行出错，请联系管理员查看日志"
    STANDARDS_UNAVAILABLE = "STANDARDS_UNAVAILABLE", "规则引擎尚未启用，无法{action}"


@register_error_codes
class TenantErrorCode(ErrorCode):
    """单位 (tenants)."""

    TENANT_DOMAIN_UNKNOWN = "TENANT_DOMAIN_UNKNOWN", "未知的单位领域“{domain}”，可选：{choices}"
    TENANT_SLUG_TAKEN = "TENANT_SLUG_TAKEN", "单位标识“{slug}”已被使用"


@register_error_codes
class TransferErrorCode(ErrorCode):
    """组织关系转接 (transfers)."""

    TRANSFER_ABROAD_REQUIRED = "TRANSFER_ABROAD_REQUIRED", "编入海外分社党支部须按出国（境）党员办理"
    TRANSFER_ALREADY_OPEN = "TRANSFER_ALREADY_OPEN", "{name}有尚未办结的组织关系转接"
    TRANSFER_DATE_BEFORE_ISSUE = "TRANSFER_DATE_BEFORE_ISSUE", "日期不能早于开具日期（{not_before}）"
    TRANSFER_DATE_IN_FUTURE = "TRANSFER_DATE_IN_FUTURE", "不能登记未来日期"
    TRANSFER_LETTER_NUMBER_TAKEN = "TRANSFER_LETTER_NUMBER_TAKEN", "介绍信编号“{letter_number}”已使用"
    TRANSFER_MEMBER_INACTIVE = "TRANSFER_MEMBER_INACTIVE", "{name}已不在本单位党员队伍中"
    TRANSFER_NOT_AN_EMBASSY_ORGANIZATION = (
        "TRANSFER_NOT_AN_EMBASSY_ORGANIZATION",
        "“{name}”不是由驻外使领馆党组织管理的海外分社党支部",
    )
    TRANSFER_NOT_A_MEMBER = "TRANSFER_NOT_A_MEMBER", "只有正式党员和预备党员办理组织关系转出"
    TRANSFER_NOT_OPEN = "TRANSFER_NOT_OPEN", "该转接{reason}"
    TRANSFER_SAME_BRANCH = "TRANSFER_SAME_BRANCH", "{name}已在“{target_name}”"
    TRANSFER_TO_TEMPORARY_BRANCH = (
        "TRANSFER_TO_TEMPORARY_BRANCH",
        "“{name}”是临时党支部，参加临时党支部的党员不转接组织关系",
    )


@register_error_codes
class TransportErrorCode(ErrorCode):
    """请求本身 (the request as a whole: its size, its GraphQL document; an internal error).

    Answered by the HTTP layer and the schema's error handling rather than raised by a service:
    ``REQUEST_TOO_LARGE`` (HTTP 413) has ``limit`` and ``unit`` (``BYTES``: the request body;
    ``CHARACTERS``: the GraphQL document) in its extensions, ``INTERNAL_SERVER_ERROR`` the
    ``requestId``; in the parse and validation failures ``{reason}`` is graphql's own message.
    """

    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED", "GraphQL 文档无法解析：{reason}"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED", "GraphQL 文档未通过校验：{reason}"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR", "服务器内部错误"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE", "{what}过长（上限 {limit} {unit_label}）"
