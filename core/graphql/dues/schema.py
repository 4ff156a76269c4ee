"""Query and mutation fields of party dues (党费): 一簿 (register), 一证 (member record), 一票 (receipt)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from core.dues import service
from core.dues.models import DuesBill as DuesBillModel
from core.dues.models import DuesHandover as DuesHandoverModel
from core.dues.models import DuesPayment as DuesPaymentModel
from core.dues.months import china_today, month_start
from core.dues.rates import to_decimal, to_fen
from core.error_codes import DuesErrorCode
from core.errors import CommonErrorCode, DomainError
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, organization_argument, scoped
from core.graphql.core.filters import between, within_subtree
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.dues.types import (
    DUESBILL_ORDER_COLUMNS,
    DuesArrears,
    DuesBill,
    DuesBillConnection,
    DuesBillFilter,
    DuesBillOrder,
    DuesBranchSetting,
    DuesBranchSettingPayload,
    DuesCategory,
    DuesExemption,
    DuesExemptionPayload,
    DuesHandover,
    DuesHandoverConnection,
    DuesHandoverFilter,
    DuesHandoverPayload,
    DuesMonthSummary,
    DuesPayment,
    DuesPaymentConnection,
    DuesPaymentFilter,
    DuesProfile,
    DuesProfilePayload,
    DuesQuote,
    DuesRegister,
    DuesRegisterRow,
    GenerateDuesBillsInput,
    GenerateDuesBillsPayload,
    MemberDuesRecord,
    PayDuesInput,
    PayDuesPayload,
    RecordDuesExemptionInput,
    RecordDuesHandoverInput,
    RevokeDuesExemptionInput,
    SetDuesProfileInput,
    UpdateDuesBranchSettingInput,
    member_gid,
)
from core.models import Member as MemberModel
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.services.organizations import subtree_root


def _quote_type(q: service.DuesQuote) -> DuesQuote:
    return DuesQuote(
        amount=q.amount,
        category=q.category,
        monthly_income=q.monthly_income,
        rate_percent=q.rate_percent,
        explanation=q.explanation,
    )


async def _subtree_path(gid: strawberry.ID | None, field_name: str = "subtreeOf") -> str | None:
    if gid is None:
        return None
    root = await subtree_root(decode_id(gid, "Organization", field=field_name), field_name)
    assert root is not None
    return root.path


def _check_year(year: int) -> None:
    if not 1900 <= year <= 2999:
        raise DomainError(CommonErrorCode.INVALID_INPUT, field="year", reason="年份无效")


def _by(info: Info) -> str:
    return info.context.principal.label


async def _member_record(member: MemberModel, branch: OrganizationModel, year: int) -> MemberDuesRecord:
    """The member's dues record (一证) as its GraphQL type."""
    record = await service.member_record(member, branch, year)
    return MemberDuesRecord(
        member_name=member.name,
        year=year,
        profiles=[DuesProfile.from_row(p) for p in record.profiles],
        current_quote=_quote_type(record.current_quote) if record.current_quote else None,
        bills=[DuesBill.from_row(b) for b in record.bills],
        paid_amount=record.paid_amount,
        unpaid_amount=record.unpaid_amount,
        exemptions=[DuesExemption.from_row(e) for e in record.exemptions],
        member_id_raw=member.id,
        branch_path=branch.path,
    )


@strawberry.type
class Query:
    @field(permission=Permission.DUES_READ, description="Monthly dues for a category and post-tax income.")
    async def dues_quote(
        self,
        info: Info,
        category: DuesCategory,
        monthly_income: Decimal | None = None,
        branch_id: strawberry.ID | None = None,
    ) -> DuesQuote:
        branch = None
        if branch_id is not None:
            branch = (await organization_argument(info, branch_id, field="branchId")).id
        return _quote_type(await service.quote_for(category.value, monthly_income, branch))

    @field(permission=Permission.DUES_READ, description="Dues settings of a branch.")
    async def dues_branch_setting(self, info: Info, branch_id: strawberry.ID) -> DuesBranchSetting:
        org = await service.get_branch(decode_id(branch_id, "Organization", field="branchId"))
        _, config = await service.tenant_and_config()
        default = to_fen(to_decimal(config["dues"]["farmer_default"]))
        return DuesBranchSetting.build(org, await service.get_setting(org.id), default)

    @field(permission=Permission.DUES_READ, description="A member's dues record (一证) for a year.")
    async def member_dues_record(self, info: Info, member_id: strawberry.ID, year: int) -> MemberDuesRecord:
        _check_year(year)
        member, branch = await service.get_member(decode_id(member_id, "Member", field="memberId"))
        return await _member_record(member, branch, year)

    @field(
        permission=None,
        description="The caller's own dues record (一证) for a year (members linked to a user).",
    )
    async def my_dues_record(self, info: Info, year: int) -> MemberDuesRecord:
        _check_year(year)
        member_id = info.context.principal.member_id
        if member_id is None:
            raise DomainError(DuesErrorCode.DUES_NO_MEMBER_RECORD)
        member, branch = await service.get_member(member_id)
        return await _member_record(member, branch, year)

    @field(permission=Permission.DUES_READ, description="The branch dues register (一簿) of a year.")
    async def dues_register(self, info: Info, branch_id: strawberry.ID, year: int) -> DuesRegister:
        _check_year(year)
        branch = await service.get_branch(decode_id(branch_id, "Organization", field="branchId"))
        register = await service.register(branch, year)
        return DuesRegister(
            year=year,
            months=[
                DuesMonthSummary(
                    month=s.month,
                    billed=s.billed,
                    billed_amount=s.billed_amount,
                    paid=s.paid,
                    paid_amount=s.paid_amount,
                    paid_by_proxy=s.paid_by_proxy,
                    unpaid=s.billed - s.paid,
                    unpaid_amount=to_fen(s.billed_amount - s.paid_amount),
                )
                for s in register.months
            ],
            rows=[
                DuesRegisterRow(
                    member_name=line.member_name,
                    bills=[DuesBill.from_row(b) for b in line.bills],
                    billed_amount=line.billed_amount,
                    paid_amount=line.paid_amount,
                    member_id_raw=line.member_id,
                )
                for line in register.lines
            ],
            billed_amount=register.billed_amount,
            paid_amount=register.paid_amount,
            handed_over_amount=register.handed_over_amount,
            branch_id=branch.id,
            branch_path=branch.path,
        )

    @field(permission=Permission.DUES_READ, description="Monthly bills, paged.")
    async def dues_bills(
        self,
        info: Info,
        filter: DuesBillFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[DuesBillOrder] | None = None,
    ) -> DuesBillConnection:
        f = filter or DuesBillFilter()
        query = scoped(info, DuesBillModel.all(), "branch__path")
        query = await within_subtree(query, f.subtree_of, "branch__path")
        if f.member_id is not None:
            query = query.filter(member_id=decode_id(f.member_id, "Member", field="memberId"))
        start = month_start(f.period_from) if f.period_from is not None else None
        query = query.filter(**between("period", start, f.period_to))
        if f.unpaid_only:
            query = query.filter(payment_id__isnull=True)
        ordered = query.order_by(*ordering(order_by, DUESBILL_ORDER_COLUMNS, ("period", "member_id")))
        return await paginate(ordered, DuesBill.from_row, first=first, after=after, last=last, before=before)

    @field(permission=Permission.DUES_READ, description="Dues payments, newest first, paged.")
    async def dues_payments(
        self,
        info: Info,
        filter: DuesPaymentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> DuesPaymentConnection:
        f = filter or DuesPaymentFilter()
        query = scoped(info, DuesPaymentModel.all(), "branch__path")
        query = await within_subtree(query, f.subtree_of, "branch__path")
        if f.member_id is not None:
            query = query.filter(member_id=decode_id(f.member_id, "Member", field="memberId"))
        query = query.filter(**between("paid_on", f.paid_from, f.paid_to))
        if f.paid_by_proxy is not None:
            query = query.filter(paid_by_proxy=f.paid_by_proxy)
        if f.not_handed_over:
            query = query.filter(handover_id__isnull=True)
        ordered = query.order_by("-paid_on", "-id")
        return await paginate(
            ordered, DuesPayment.from_row, first=first, after=after, last=last, before=before
        )

    @field(permission=Permission.DUES_READ, description="Receipts of dues handed upward (一票), paged.")
    async def dues_handovers(
        self,
        info: Info,
        filter: DuesHandoverFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> DuesHandoverConnection:
        f = filter or DuesHandoverFilter()
        query = scoped(info, DuesHandoverModel.all(), "branch__path")
        query = await within_subtree(query, f.subtree_of, "branch__path")
        query = query.filter(**between("handed_on", f.handed_from, f.handed_to))
        return await paginate(
            query.select_related("branch").order_by("-handed_on", "-id"),
            lambda row: DuesHandover.from_model(row, branch_path=row.branch.path),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @field(permission=Permission.DUES_READ, description="One receipt of dues handed upward.")
    async def dues_handover(self, info: Info, id: strawberry.ID) -> DuesHandover | None:
        row = await DuesHandoverModel.get_or_none(id=decode_id(id, "DuesHandover"))
        if row is None:
            return None
        branch = await OrganizationModel.get(id=row.branch_id)
        return DuesHandover.from_model(row, branch_path=branch.path)

    @field(
        permission=Permission.DUES_READ,
        description="Members with unpaid months before this month and their longest run without a "
        "good reason (one SQL statement).",
    )
    async def dues_arrears(
        self,
        info: Info,
        subtree_of: strawberry.ID | None = None,
        as_of: dt.date | None = None,
        min_months: int = 1,
        flagged_only: bool = False,
    ) -> list[DuesArrears]:
        prefixes = info.context.principal.prefixes(Permission.DUES_READ)
        path = await _subtree_path(subtree_of)
        if path is not None:
            if prefixes is not None and not any(path.startswith(p) for p in prefixes):
                prefixes = tuple(p for p in prefixes if p.startswith(path))
            else:
                prefixes = (path,)
        rows = await service.arrears(
            prefixes=prefixes, as_of=as_of or china_today(), min_months=min_months, flagged_only=flagged_only
        )
        return [
            DuesArrears(
                member_name=r.member_name,
                unpaid_months=r.unpaid_months,
                oldest_unpaid=r.oldest_unpaid,
                latest_unpaid=r.latest_unpaid,
                owed=r.owed,
                consecutive_months=r.consecutive_months,
                consecutive_from=r.consecutive_from,
                consecutive_to=r.consecutive_to,
                exempt_months=r.exempt_months,
                flagged=r.flagged,
                member_id_raw=r.member_id,
                branch_id=r.branch_id,
            )
            for r in rows
        ]


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.DUES_MANAGE,
        description="Record a member's dues category and income from a month on (recomputes unpaid bills).",
    )
    async def set_dues_profile(self, info: Info, input: SetDuesProfileInput) -> DuesProfilePayload:
        profile = await service.set_profile(
            decode_id(input.member_id, "Member", field="memberId"),
            category=input.category.value,
            monthly_income=input.monthly_income,
            effective_from=input.effective_from,
            note=input.note,
            by=_by(info),
        )
        return {"profile": DuesProfile.from_row(profile)}

    @mutation(
        permission=Permission.DUES_MANAGE,
        description="Set a branch's dues settings: quarterly payment, the farmer members' amount.",
    )
    async def update_dues_branch_setting(
        self, info: Info, input: UpdateDuesBranchSettingInput
    ) -> DuesBranchSettingPayload:
        branch_id = decode_id(input.branch_id, "Organization", field="branchId")
        row = await service.update_branch_setting(
            branch_id, quarterly_allowed=input.quarterly_allowed, farmer_amount=input.farmer_amount
        )
        org = await OrganizationModel.get(id=branch_id)
        _, config = await service.tenant_and_config()
        default = to_fen(to_decimal(config["dues"]["farmer_default"]))
        return {"setting": DuesBranchSetting.build(org, row, default)}

    @mutation(
        permission=Permission.DUES_MANAGE,
        description="Issue a month's bills for every current member under an organization (idempotent).",
    )
    async def generate_dues_bills(
        self, info: Info, input: GenerateDuesBillsInput
    ) -> GenerateDuesBillsPayload:
        run = await service.generate_bills(
            decode_id(input.organization_id, "Organization", field="organizationId"), input.month
        )
        return {
            "month": run.month,
            "created": run.created,
            "existing": run.existing,
            "missing_profile_member_ids": [member_gid(i) for i in run.missing_profile_member_ids],
        }

    @mutation(
        permission=Permission.DUES_MANAGE,
        description="Record a dues payment for one or more months (back-payment and quarterly rules apply).",
    )
    async def pay_dues(self, info: Info, input: PayDuesInput) -> PayDuesPayload:
        payment, _ = await service.pay(
            decode_id(input.member_id, "Member", field="memberId"),
            list(input.months),
            paid_on=input.paid_on,
            paid_by_proxy=input.paid_by_proxy,
            proxy_name=input.proxy_name,
            note=input.note,
            by=_by(info),
        )
        return {"payment": DuesPayment.from_row(payment)}

    @mutation(
        permission=Permission.DUES_MANAGE,
        description="Record a good reason (e.g. approved deferral) for unpaid months: no 自行脱党 run.",
    )
    async def record_dues_exemption(
        self, info: Info, input: RecordDuesExemptionInput
    ) -> DuesExemptionPayload:
        row = await service.record_exemption(
            decode_id(input.member_id, "Member", field="memberId"),
            from_month=input.from_month,
            to_month=input.to_month,
            reason=input.reason,
            approved_by=input.approved_by,
            approved_on=input.approved_on,
            by=_by(info),
        )
        return {"exemption": DuesExemption.from_row(row)}

    @mutation(
        permission=Permission.DUES_MANAGE,
        description="Revoke a recorded good reason (kept as history): its months count again.",
    )
    async def revoke_dues_exemption(
        self, info: Info, input: RevokeDuesExemptionInput
    ) -> DuesExemptionPayload:
        row = await service.revoke_exemption(
            decode_id(input.id, "DuesExemption"), reason=input.reason, by=_by(info)
        )
        return {"exemption": DuesExemption.from_row(row)}

    @mutation(
        permission=Permission.DUES_MANAGE,
        description="Record dues handed to the superior (一票); the amount is the SUM of its payments.",
    )
    async def record_dues_handover(self, info: Info, input: RecordDuesHandoverInput) -> DuesHandoverPayload:
        branch_id = decode_id(input.branch_id, "Organization", field="branchId")
        row = await service.record_handover(
            branch_id,
            period_start=input.period_start,
            period_end=input.period_end,
            handed_on=input.handed_on,
            received_by=input.received_by,
            receipt_no=input.receipt_no,
            by=_by(info),
        )
        branch = await OrganizationModel.get(id=branch_id)
        return {"handover": DuesHandover.from_model(row, branch_path=branch.path)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(DuesErrorCode),)
