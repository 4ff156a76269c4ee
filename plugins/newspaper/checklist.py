"""The newspaper's work plan for branch standardization: 6 areas, 21 items (报社 6 个方面 21 项)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistArea:
    code: str
    label: str
    focus: str


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    number: int
    area: str
    label: str
    requirement: str


AREAS: tuple[ChecklistArea, ...] = (
    ChecklistArea("ORGANIZATION_SETUP", "组织设置规范", "以健全优化组织设置为着力点"),
    ChecklistArea("COMMITTEE", "支委会建设规范", "以增强党支部委员会功能为着力点"),
    ChecklistArea("ORGANIZATIONAL_LIFE", "组织生活规范", "以提升质量效果为着力点"),
    ChecklistArea("FUNCTION", "功能作用规范", "以全面提升组织力为着力点"),
    ChecklistArea("MEMBER_TEAM", "党员队伍建设规范", "以提升素质能力为着力点"),
    ChecklistArea("INSTITUTIONS", "制度保障规范", "以狠抓制度执行力为着力点"),
)

_ITEMS: tuple[tuple[str, str, str], ...] = (
    (
        "ORGANIZATION_SETUP",
        "党支部的设立",
        "正式党员3人以上、50人以下组建直属党支部；不足3人成立联合党支部，覆盖部门单位不超过5个",
    ),
    (
        "ORGANIZATION_SETUP",
        "临时党支部的设立",
        "经编委会批准的应急宣传报道等临时机构可成立临时党支部，机构撤销后自然撤销",
    ),
    (
        "ORGANIZATION_SETUP",
        "党小组的划分",
        "党员20人以上的党支部划分党小组，每组不少于3名党员且至少1名正式党员",
    ),
    ("COMMITTEE", "党支部委员会组成", "正式党员7人以上设支委会，由3至5人组成，一般不超过7人"),
    ("COMMITTEE", "党支部委员会任期", "每届任期3年，期满按时换届，上级党组织提前6个月发出书面提醒"),
    ("ORGANIZATIONAL_LIFE", "“三会一课”", "党员大会每季度、支委会每月、党小组会每月、党课每季度"),
    ("ORGANIZATIONAL_LIFE", "组织生活会", "每年至少召开1次，一般安排在第四季度"),
    ("ORGANIZATIONAL_LIFE", "双重组织生活", "编委会成员和领导班子成员编入党支部，以普通党员身份参加组织生活"),
    ("ORGANIZATIONAL_LIFE", "民主评议党员", "一般每年开展1次，可结合组织生活会进行"),
    ("ORGANIZATIONAL_LIFE", "谈心谈话", "党支部委员之间、委员和党员之间、党员之间每年不少于1次"),
    ("ORGANIZATIONAL_LIFE", "主题党日", "每月相对固定1天开展主题党日活动"),
    ("FUNCTION", "突出政治功能", "把党的政治建设摆在首位，引导党员加强理论学习和党性锻炼"),
    ("FUNCTION", "促进业务工作", "围绕本部门本单位职能职责开展党支部工作，促进党建与业务深度融合"),
    ("FUNCTION", "联系服务群众", "认真落实党的群众路线，支持群团组织开展工作"),
    ("MEMBER_TEAM", "发展党员", "坚持政治标准，严格执行发展计划和程序"),
    (
        "MEMBER_TEAM",
        "教育管理监督党员",
        "加强日常教育和监督，加强对党员个人社交媒体账号监督管理，按月足额交纳党费",
    ),
    ("MEMBER_TEAM", "激励关怀帮扶", "通过谈心谈话、走访慰问、结对帮扶开展党内帮扶"),
    ("INSTITUTIONS", "请示报告", "党支部及时向上级党组织报告重要情况，党员按规定请示报告"),
    ("INSTITUTIONS", "民主议事", "执行民主集中制，议事决策程序规范"),
    ("INSTITUTIONS", "工作创新", "推动组织设置和活动方式创新，深化“互联网+党建”"),
    ("INSTITUTIONS", "基础保障", "提供经费保障，设立活动场所，填写工作记录本，年初有计划、年底有总结"),
)

ITEMS: tuple[ChecklistItem, ...] = tuple(
    ChecklistItem(f"N{n:02d}", n, area, label, requirement)
    for n, (area, label, requirement) in enumerate(_ITEMS, start=1)
)
ITEMS_BY_CODE = {item.code: item for item in ITEMS}
AREAS_BY_CODE = {area.code: area for area in AREAS}
