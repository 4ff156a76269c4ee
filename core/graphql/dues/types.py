"""GraphQL types of party dues: quotes, profiles, bills, payments, the register, handovers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry import relay

from core.dues.models import DUES_CATEGORY_LABELS
from core.dues.models import DuesBill as DuesBillModel
from core.dues.models import DuesBranchSetting as DuesBranchSettingModel
from core.dues.models import DuesCategory as DuesCategoryEnum
from core.dues.models import DuesExemption as DuesExemptionModel
from core.dues.models import DuesHandover as DuesHandoverModel
from core.dues.models import DuesPayment as DuesPaymentModel
from core.dues.models import DuesProfile as DuesProfileModel
from core.graphql.core.connection import Connection, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.graphql.organizations.types import Organization, organization_by_id
from core.models import Member as MemberModel
from core.models import Organization as OrganizationModel
from core.permissions import Permission

DuesCategory = strawberry.enum(
    DuesCategoryEnum,
    description="SALARIED 在职 (by income), RETIRED 离退休, FARMER 农民, STUDENT 学生, "
    "UNEMPLOYED 下岗失业, MINIMUM_ALLOWANCE 最低生活保障.",
)


async def _member_name(info: Info, member_id: int) -> str:
    row = await info.context.loaders.by_id(MemberModel).load(member_id)
    return row.name if row else ""


@strawberry.type(description="The monthly dues computed for a category and income, with the rule used.")
class DuesQuote:
    amount: Decimal = strawberry.field(description="Yuan, exact to the fen (ROUND_HALF_UP).")
    category: DuesCategory
    monthly_income: Decimal | None
    rate_percent: Decimal | None = strawberry.field(
        description="Percent of the income; null for fixed amounts."
    )
    explanation: str


@strawberry.type(description="A member dues basis from a month on (category and declared income).")
class DuesProfile(ModelNode):
    model = DuesProfileModel

    id: relay.NodeID[int]
    category: DuesCategory
    monthly_income: Decimal | None
    effective_from: dt.date = strawberry.field(description="First month it applies to.")
    note: str
    created_by: str
    member_id_raw: strawberry.Private[int]

    @strawberry.field(description="Chinese label of the category.")
    def category_label(self) -> str:
        return DUES_CATEGORY_LABELS[DuesCategoryEnum(self.category)]

    @strawberry.field(description="Global ID of the member.")
    def member_id(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id_raw))

    @classmethod
    def from_row(cls, row: DuesProfileModel) -> DuesProfile:
        return cls.from_model(row, member_id_raw=row.member_id)


@strawberry.type(description="What one member owes for one month (the register line).")
class DuesBill(ModelNode):
    model = DuesBillModel

    id: relay.NodeID[int]
    period: dt.date = strawberry.field(description="First day of the month billed.")
    amount: Decimal
    category: DuesCategory
    monthly_income: Decimal | None
    rate_percent: Decimal | None
    config_version: int = strawberry.field(description="Tenant config version the amount was computed with.")
    member_id_raw: strawberry.Private[int]
    branch_id: strawberry.Private[int]
    payment_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: DuesBillModel) -> DuesBill:
        return cls.from_model(row, member_id_raw=row.member_id)

    @strawberry.field(description="Whether the month is paid.")
    def paid(self) -> bool:
        return self.payment_id is not None

    @strawberry.field(description="Global ID of the member.")
    def member_id(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id_raw))

    @strawberry.field(description="Name of the member.")
    async def member_name(self, info: Info) -> str:
        return await _member_name(info, self.member_id_raw)

    @field(permission=Permission.ORG_READ, description="The branch the bill was issued by.")
    async def branch(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.branch_id)

    @strawberry.field(description="The payment that settled the bill, if any.")
    async def payment(self, info: Info) -> DuesPayment | None:
        if self.payment_id is None:
            return None
        row = await info.context.loaders.by_id(DuesPaymentModel).load(self.payment_id)
        return DuesPayment.from_row(row) if row else None


@strawberry.type(description="Money paid for one or more monthly bills (by the member or on his behalf).")
class DuesPayment(ModelNode):
    model = DuesPaymentModel

    id: relay.NodeID[int]
    paid_on: dt.date
    amount: Decimal = strawberry.field(description="Sum of the bills paid, yuan.")
    month_count: int
    paid_by_proxy: bool = strawberry.field(description="Paid on the member's behalf (代交).")
    proxy_name: str
    note: str
    recorded_by: str
    member_id_raw: strawberry.Private[int]
    branch_id: strawberry.Private[int]
    handover_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: DuesPaymentModel) -> DuesPayment:
        return cls.from_model(row, member_id_raw=row.member_id)

    @strawberry.field(description="Global ID of the member.")
    def member_id(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id_raw))

    @strawberry.field(description="Name of the member.")
    async def member_name(self, info: Info) -> str:
        return await _member_name(info, self.member_id_raw)

    @strawberry.field(description="Whether the branch has handed this payment upward.")
    def handed_over(self) -> bool:
        return self.handover_id is not None

    @strawberry.field(description="The months paid (bills), oldest first.")
    async def bills(self, info: Info) -> list[DuesBill]:
        rows = await info.context.loaders.group_by(DuesBillModel, "payment_id", order_by=("period",)).load(
            self.id
        )
        return [DuesBill.from_row(r) for r in rows]


@strawberry.type(description="A receipt (一票): dues a branch handed to its superior, summed in SQL.")
class DuesHandover(ModelNode):
    model = DuesHandoverModel

    id: relay.NodeID[int]
    period_start: dt.date
    period_end: dt.date
    amount: Decimal
    payment_count: int
    handed_on: dt.date
    received_by: str
    receipt_no: str
    recorded_by: str
    branch_id: strawberry.Private[int]
    branch_path: strawberry.Private[str]

    @property
    def scope_path(self) -> str:
        return self.branch_path

    @field(permission=Permission.ORG_READ, description="The branch that handed the dues over.")
    async def branch(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.branch_id)

    @field(permission=Permission.DUES_READ, description="The payments included.")
    async def payments(self, info: Info) -> list[DuesPayment]:
        rows = await info.context.loaders.group_by(
            DuesPaymentModel, "handover_id", order_by=("paid_on", "id")
        ).load(self.id)
        return [DuesPayment.from_row(r) for r in rows]


@strawberry.type(description="Dues settings of a branch.")
class DuesBranchSetting:
    quarterly_allowed: bool = strawberry.field(description="Members may pay a quarter at once (按季度交纳).")
    farmer_amount: Decimal = strawberry.field(description="Monthly amount of farmer members (0.2–1 yuan).")
    branch_id: strawberry.Private[int]
    branch_path: strawberry.Private[str]

    @property
    def scope_path(self) -> str:
        return self.branch_path

    @field(permission=Permission.ORG_READ, description="The branch.")
    async def branch(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.branch_id)

    @classmethod
    def build(
        cls, org: OrganizationModel, row: DuesBranchSettingModel | None, default_farmer: Decimal
    ) -> DuesBranchSetting:
        return cls(
            quarterly_allowed=bool(row and row.quarterly_allowed),
            farmer_amount=row.farmer_amount if row and row.farmer_amount is not None else default_farmer,
            branch_id=org.id,
            branch_path=org.path,
        )


@strawberry.type(description="A good reason (e.g. an approved deferral) for months a member has not paid.")
class DuesExemption(ModelNode):
    model = DuesExemptionModel

    id: relay.NodeID[int]
    from_month: dt.date = strawberry.field(description="First month covered.")
    to_month: dt.date = strawberry.field(description="Last month covered.")
    reason: str
    approved_by: str = strawberry.field(description="Who approved it (e.g. 支部委员会).")
    approved_on: dt.date
    recorded_by: str = strawberry.field(description="Who recorded it.")
    created_at: dt.datetime = strawberry.field(description="When it was recorded.")
    revoked_on: dt.date | None
    revoked_by: str
    revoke_reason: str
    member_id_raw: strawberry.Private[int]

    @strawberry.field(description="Months covered.")
    def months(self) -> int:
        return (
            (self.to_month.year - self.from_month.year) * 12 + self.to_month.month - self.from_month.month + 1
        )

    @strawberry.field(description="Global ID of the member.")
    def member_id(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id_raw))

    @classmethod
    def from_row(cls, row: DuesExemptionModel) -> DuesExemption:
        return cls.from_model(row, member_id_raw=row.member_id)


@strawberry.type(description="A member in arrears (computed in SQL).")
class DuesArrears:
    member_name: str
    unpaid_months: int = strawberry.field(description="All unpaid months before the month asked about.")
    oldest_unpaid: dt.date
    latest_unpaid: dt.date
    owed: Decimal
    consecutive_months: int = strawberry.field(
        description="Longest run of consecutive unpaid months without a good reason, before this month."
    )
    consecutive_from: dt.date | None = strawberry.field(description="First month of that run.")
    consecutive_to: dt.date | None = strawberry.field(description="Last month of that run.")
    exempt_months: int = strawberry.field(
        description="Unpaid months with a good reason the branch recorded (not counted in runs)."
    )
    flagged: bool = strawberry.field(
        description="The run reached dues.arrears_flag_months (default 6): 自行脱党 risk, for the branch."
    )
    member_id_raw: strawberry.Private[int]
    branch_id: strawberry.Private[int]

    @strawberry.field(description="Global ID of the member.")
    def member_id(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id_raw))

    @field(permission=Permission.ORG_READ, description="The member's current branch.")
    async def branch(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.branch_id)


@strawberry.type(description="Totals of one month in the branch register.")
class DuesMonthSummary:
    month: dt.date
    billed: int
    billed_amount: Decimal
    paid: int
    paid_amount: Decimal
    paid_by_proxy: int
    unpaid: int
    unpaid_amount: Decimal


@strawberry.type(description="One member's line in the branch register: the year's bills.")
class DuesRegisterRow:
    member_name: str
    bills: list[DuesBill]
    billed_amount: Decimal
    paid_amount: Decimal
    member_id_raw: strawberry.Private[int]

    @strawberry.field(description="Global ID of the member.")
    def member_id(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id_raw))


@strawberry.type(description="The branch dues register (一簿) of a year.")
class DuesRegister:
    year: int
    months: list[DuesMonthSummary]
    rows: list[DuesRegisterRow]
    billed_amount: Decimal
    paid_amount: Decimal
    handed_over_amount: Decimal = strawberry.field(
        description="Handed to the superior in the year (receipts)."
    )
    branch_id: strawberry.Private[int]
    branch_path: strawberry.Private[str]

    @property
    def scope_path(self) -> str:
        return self.branch_path

    @field(permission=Permission.ORG_READ, description="The branch.")
    async def branch(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.branch_id)


@strawberry.type(description="A member's dues record (一证): profiles and the bills of a year.")
class MemberDuesRecord:
    member_name: str
    year: int
    profiles: list[DuesProfile]
    current_quote: DuesQuote | None = strawberry.field(description="What the member pays a month now.")
    bills: list[DuesBill]
    paid_amount: Decimal
    unpaid_amount: Decimal
    exemptions: list[DuesExemption] = strawberry.field(
        description="Good reasons recorded for unpaid months (all years, revoked ones included)."
    )
    member_id_raw: strawberry.Private[int]
    branch_path: strawberry.Private[str]

    @property
    def scope_path(self) -> str:
        return self.branch_path

    @strawberry.field(description="Global ID of the member.")
    def member_id(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id_raw))


DuesBillConnection = Connection[DuesBill]
DuesPaymentConnection = Connection[DuesPayment]
DuesHandoverConnection = Connection[DuesHandover]


@strawberry.input(description="Filters for the bill list.")
class DuesBillFilter:
    subtree_of: strawberry.ID | None = None
    member_id: strawberry.ID | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    unpaid_only: bool = False


@strawberry.input(description="Filters for the payment list.")
class DuesPaymentFilter:
    subtree_of: strawberry.ID | None = None
    member_id: strawberry.ID | None = None
    paid_from: dt.date | None = None
    paid_to: dt.date | None = None
    paid_by_proxy: bool | None = None
    not_handed_over: bool = False


@strawberry.input(description="Filters for the handover list.")
class DuesHandoverFilter:
    subtree_of: strawberry.ID | None = None
    handed_from: dt.date | None = None
    handed_to: dt.date | None = None


@strawberry.input
class SetDuesProfileInput:
    member_id: strawberry.ID
    category: DuesCategory
    monthly_income: Decimal | None = strawberry.field(default=None, description="Post-tax yuan a month.")
    effective_from: dt.date = strawberry.field(description="Any day of the first month it applies to.")
    note: str = ""


@strawberry.input
class UpdateDuesBranchSettingInput:
    branch_id: strawberry.ID
    quarterly_allowed: bool | None = None
    farmer_amount: Decimal | None = None


@strawberry.input
class GenerateDuesBillsInput:
    organization_id: strawberry.ID = strawberry.field(
        description="A branch, or a committee for its whole subtree."
    )
    month: dt.date = strawberry.field(description="Any day of the month to bill.")


@strawberry.input
class PayDuesInput:
    member_id: strawberry.ID
    months: list[dt.date] = strawberry.field(description="Any day of each month paid for.")
    paid_on: dt.date | None = None
    paid_by_proxy: bool = False
    proxy_name: str = ""
    note: str = ""


@strawberry.input(description="A good reason for months a member has not paid (e.g. an approved deferral).")
class RecordDuesExemptionInput:
    member_id: strawberry.ID
    from_month: dt.date = strawberry.field(description="Any day of the first month.")
    to_month: dt.date = strawberry.field(description="Any day of the last month.")
    reason: str
    approved_by: str = strawberry.field(description="Who approved it (e.g. 支部委员会).")
    approved_on: dt.date


@strawberry.input
class RevokeDuesExemptionInput:
    id: strawberry.ID
    reason: str


@strawberry.input
class RecordDuesHandoverInput:
    branch_id: strawberry.ID
    period_start: dt.date
    period_end: dt.date
    handed_on: dt.date | None = None
    received_by: str = ""
    receipt_no: str = ""


@strawberry.type
class DuesProfilePayload(MutationPayload):
    profile: DuesProfile | None = None


@strawberry.type
class DuesBranchSettingPayload(MutationPayload):
    setting: DuesBranchSetting | None = None


@strawberry.type
class GenerateDuesBillsPayload(MutationPayload):
    month: dt.date | None = None
    created: int = 0
    existing: int = 0
    missing_profile_member_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Current members without a dues profile (no bill issued)."
    )


@strawberry.type
class PayDuesPayload(MutationPayload):
    payment: DuesPayment | None = None


@strawberry.type
class DuesExemptionPayload(MutationPayload):
    exemption: DuesExemption | None = None


@strawberry.type
class DuesHandoverPayload(MutationPayload):
    handover: DuesHandover | None = None


def member_gid(member_id: int) -> relay.GlobalID:
    return relay.GlobalID("Member", str(member_id))


@strawberry.enum(description="Columns dues bills can be sorted by (orderBy).")
class DuesBillOrderField(Enum):
    PERIOD = "PERIOD"
    AMOUNT = "AMOUNT"
    MEMBER = "MEMBER"


DUESBILL_ORDER_COLUMNS = {"PERIOD": "period", "AMOUNT": "amount", "MEMBER": "member_id"}
DuesBillOrder = order_input(
    "DuesBillOrder", DuesBillOrderField, "Sort dues bills by a column, ascending or descending."
)
