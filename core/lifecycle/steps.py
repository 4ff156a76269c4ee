"""The 5 stages and 25 steps of developing a Party member, as data with stable codes.

Stage sizes are 2/4/5/7/7. Steps happen strictly in sequence; the timing rules attached to some
steps live in :mod:`core.lifecycle.development` and read their numbers from tenant config.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models.member import MemberStatus

STAGES: dict[int, str] = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}


@dataclass(frozen=True)
class StepSpec:
    """One step of the pipeline."""

    sequence: int
    code: str
    label: str
    stage: int
    #: a member-congress decision: the vote (应到/实到/发出/收回/同意) is required and checked
    congress: bool = False
    #: the member's status once this step is recorded
    sets_status: MemberStatus | None = None

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]


STEPS: tuple[StepSpec, ...] = (
    # 1 申请入党 (2)
    StepSpec(1, "APPLICATION_SUBMITTED", "递交入党申请书", 1, sets_status=MemberStatus.APPLICANT),
    StepSpec(2, "APPLICATION_TALK", "党组织派人谈话", 1),
    # 2 入党积极分子的确定和培养教育 (4)
    StepSpec(3, "ACTIVIST_DESIGNATED", "推荐和确定入党积极分子", 2, sets_status=MemberStatus.ACTIVIST),
    StepSpec(4, "ACTIVIST_FILED", "上级党委备案", 2),
    StepSpec(5, "MENTORS_ASSIGNED", "指定培养联系人", 2),
    StepSpec(6, "ACTIVIST_EDUCATED", "培养教育考察", 2),
    # 3 发展对象的确定和考察 (5)
    StepSpec(7, "CANDIDATE_DESIGNATED", "确定发展对象", 3, sets_status=MemberStatus.CANDIDATE),
    StepSpec(8, "CANDIDATE_FILED", "报上级党委备案", 3),
    StepSpec(9, "INTRODUCERS_ASSIGNED", "确定入党介绍人", 3),
    StepSpec(10, "POLITICAL_REVIEW", "进行政治审查", 3),
    StepSpec(11, "CANDIDATE_TRAINED", "开展集中培训", 3),
    # 4 预备党员的接收 (7)
    StepSpec(12, "BRANCH_COMMITTEE_REVIEW", "支部委员会审查", 4),
    StepSpec(13, "SUPERIOR_PRE_REVIEW", "上级党委预审", 4),
    StepSpec(14, "APPLICATION_FORM_FILLED", "填写入党志愿书", 4),
    StepSpec(15, "ADMISSION_CONGRESS", "支部大会讨论", 4, congress=True),
    StepSpec(16, "SUPERIOR_TALK", "上级党委派人谈话", 4),
    StepSpec(17, "ADMISSION_APPROVED", "上级党委审批", 4, sets_status=MemberStatus.PROBATIONARY),
    StepSpec(18, "ADMISSION_FILED", "再上级党委组织部门备案", 4),
    # 5 预备党员的教育考察和转正 (7)
    StepSpec(19, "GROUP_ASSIGNED", "编入党支部和党小组", 5),
    StepSpec(20, "OATH_TAKEN", "入党宣誓", 5),
    StepSpec(21, "PROBATION_EDUCATION", "继续教育考察", 5),
    StepSpec(22, "CONFIRMATION_APPLIED", "提出转正申请", 5),
    StepSpec(23, "CONFIRMATION_CONGRESS", "支部大会讨论", 5, congress=True),
    StepSpec(24, "CONFIRMATION_APPROVED", "上级党委审批", 5, sets_status=MemberStatus.FULL),
    StepSpec(25, "MATERIALS_ARCHIVED", "材料归档", 5),
)

BY_CODE: dict[str, StepSpec] = {step.code: step for step in STEPS}
BY_SEQUENCE: dict[int, StepSpec] = {step.sequence: step for step in STEPS}
LAST_SEQUENCE = len(STEPS)

#: Extra timeline entries that are decisions about the case rather than one of the 25 steps.
PROBATION_EXTENDED = "PROBATION_EXTENDED"
CASE_CLOSED = "CASE_CLOSED"
EVENT_LABELS: dict[str, str] = {PROBATION_EXTENDED: "延长预备期", CASE_CLOSED: "终止发展/取消预备党员资格"}


def label_of(code: str) -> str:
    spec = BY_CODE.get(code)
    return spec.label if spec else EVENT_LABELS.get(code, code)
