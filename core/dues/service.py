"""Dues rules and writes: profiles, branch settings, monthly bills, payments, handovers, arrears.

Money is :class:`~decimal.Decimal` quantized to the fen (see :mod:`core.dues.rates`). Sums over
tenant-sized data run in SQL in integer fen (``SUM(CAST(ROUND(amount * 100) AS BIGINT))``) so they
are exact on SQLite (which stores decimals as text) and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core import audit, sql
from core.dues.models import (
    DuesBill,
    DuesBranchSetting,
    DuesCategory,
    DuesExemption,
    DuesHandover,
    DuesPayment,
    DuesProfile,
)
from core.dues.months import add_months, china_today, month_end, month_start, months_between, quarter_of
from core.dues.rates import DuesQuote, check_farmer_amount, quote, to_decimal, to_fen
from core.error_codes import DuesErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import Member, Organization, Tenant
from core.models.member import CURRENT_MEMBER_STATUSES
from core.services.members import member_and_branch
from core.services.tenants import current_tenant
from core.tenant_config import effective_config

CURRENT = [s.value for s in CURRENT_MEMBER_STATUSES]


async def tenant_and_config() -> tuple[Tenant, dict[str, Any]]:
    tenant = await current_tenant()
    return tenant, effective_config(tenant)


def date_param(day: dt.date) -> Any:
    """A date as a raw-SQL parameter (ISO text on SQLite, where dates are stored as text)."""
    return day if sql.dialect() == "postgres" else day.isoformat()


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def fen_to_yuan(fen: Any) -> Decimal:
    return to_fen(Decimal(int(fen or 0)) / 100)


def path_clause(
    prefixes: Iterable[str] | None, column: str, params: dict[str, Any], *, name: str = "prefix"
) -> str:
    """``AND (column LIKE :prefix0 OR …)`` for the given path prefixes (None: no restriction);
    ``name`` names the parameters (two clauses in one statement need two names)."""
    if prefixes is None:
        return ""
    prefixes = list(prefixes)
    if not prefixes:
        return " AND 1 = 0"
    parts = []
    for i, prefix in enumerate(prefixes):
        params[f"{name}{i}"] = prefix + "%"
        parts.append(f"{column} LIKE :{name}{i}")
    return " AND (" + " OR ".join(parts) + ")"


# --- lookups -------------------------------------------------------------------------------------


async def get_member(member_id: int, *, for_write: bool = False) -> tuple[Member, Organization]:
    """A member and his current branch; with ``for_write`` the caller must manage dues there."""
    return await member_and_branch(member_id, what="党员", for_write=for_write)


async def get_branch(org_id: int, *, for_write: bool = False, field_name: str = "branchId") -> Organization:
    org = await Organization.get_or_none(id=org_id)
    if org is None:
        raise NotFound("组织", org_id, field=field_name)
    if for_write:
        require(org.path)
    return org


async def require_branch(org: Organization, field_name: str = "branchId") -> None:
    """Refuse organizations that are not branch kinds (dues are kept by branches)."""
    from core.services.organizations import current_vocabulary

    if org.kind not in (await current_vocabulary()).branch_kinds():
        raise DomainError(DuesErrorCode.DUES_NOT_A_BRANCH, field=field_name, name=org.name)


async def get_setting(branch_id: int) -> DuesBranchSetting | None:
    return await DuesBranchSetting.get_or_none(organization_id=branch_id)


# --- quotes and profiles -------------------------------------------------------------------------


async def quote_for(category: str, monthly_income: Decimal | None, branch_id: int | None = None) -> DuesQuote:
    """What a member of ``category`` earning ``monthly_income`` pays a month (in ``branch_id``)."""
    _, config = await tenant_and_config()
    farmer_amount = None
    if branch_id is not None:
        setting = await get_setting(branch_id)
        farmer_amount = setting.farmer_amount if setting else None
    return quote(config, category, monthly_income, farmer_amount=farmer_amount)


async def profiles_in_force(member_ids: Iterable[int], month: dt.date) -> dict[int, DuesProfile]:
    """The profile in force in ``month`` for each member (one query)."""
    ids = list(set(member_ids))
    if not ids:
        return {}
    rows = await DuesProfile.filter(member_id__in=ids, effective_from__lte=month).order_by(
        "member_id", "effective_from"
    )
    return {row.member_id: row for row in rows}  # the latest one wins


async def set_profile(
    member_id: int,
    *,
    category: str,
    monthly_income: Decimal | None,
    effective_from: dt.date,
    note: str = "",
    by: str = "",
) -> DuesProfile:
    """Record a member's dues basis from a month on; recompute that span's unpaid bills."""
    member, branch = await get_member(member_id, for_write=True)
    _, config = await tenant_and_config()
    setting = await get_setting(branch.id)
    if category not in (DuesCategory.SALARIED, DuesCategory.RETIRED):
        monthly_income = None
    new_quote = quote(
        config, category, monthly_income, farmer_amount=setting.farmer_amount if setting else None
    )
    start = month_start(effective_from)
    profile = await DuesProfile.get_or_none(member_id=member.id, effective_from=start)
    if profile is None:
        profile = await DuesProfile.create(
            member_id=member.id,
            category=category,
            monthly_income=new_quote.monthly_income,
            effective_from=start,
            note=note.strip(),
            created_by=by,
        )
        audit.created(profile)
    else:
        before = audit.snapshot(profile)
        profile.category = DuesCategory(category)
        profile.monthly_income = new_quote.monthly_income
        profile.note = note.strip()
        profile.created_by = by
        await profile.save()
        audit.changed(profile, before)
    following = (
        await DuesProfile.filter(member_id=member.id, effective_from__gt=start)
        .order_by("effective_from")
        .first()
    )
    unpaid = DuesBill.filter(member_id=member.id, period__gte=start, payment_id__isnull=True)
    if following is not None:
        unpaid = unpaid.filter(period__lt=following.effective_from)
    tenant = await current_tenant()
    await unpaid.update(
        amount=new_quote.amount,
        category=new_quote.category,
        monthly_income=new_quote.monthly_income,
        rate_percent=new_quote.rate_percent,
        config_version=tenant.config_version,
    )
    return profile


async def update_branch_setting(
    branch_id: int, *, quarterly_allowed: bool | None = None, farmer_amount: Decimal | None = None
) -> DuesBranchSetting:
    branch = await get_branch(branch_id, for_write=True)
    await require_branch(branch)
    _, config = await tenant_and_config()
    setting = await get_setting(branch.id)
    created = setting is None
    if setting is None:
        setting = DuesBranchSetting(organization_id=branch.id)
    before = {} if created else audit.snapshot(setting)
    if quarterly_allowed is not None:
        setting.quarterly_allowed = quarterly_allowed
    if farmer_amount is not None:
        setting.farmer_amount = check_farmer_amount(config, farmer_amount)
    await setting.save()
    if created:
        audit.created(setting)
    else:
        audit.changed(setting, before)
    return setting


# --- bills ---------------------------------------------------------------------------------------


@dataclass
class BillRun:
    """The outcome of generating one month of bills over a subtree."""

    month: dt.date
    created: int = 0
    existing: int = 0
    missing_profile_member_ids: list[int] = field(default_factory=list)


def _bill(member_id: int, branch_id: int, month: dt.date, q: DuesQuote, version: int) -> DuesBill:
    return DuesBill(
        member_id=member_id,
        branch_id=branch_id,
        period=month,
        amount=q.amount,
        category=q.category,
        monthly_income=q.monthly_income,
        rate_percent=q.rate_percent,
        config_version=version,
    )


async def _quotes(
    config: dict[str, Any], members: list[tuple[int, int]], month: dt.date
) -> tuple[dict[int, DuesQuote], list[int]]:
    """Quotes for (member id, branch id) pairs in ``month``; members without a profile apart."""
    profiles = await profiles_in_force([m for m, _ in members], month)
    settings = {
        s.organization_id: s
        for s in await DuesBranchSetting.filter(organization_id__in=list({b for _, b in members}))
    }
    quotes: dict[int, DuesQuote] = {}
    memo: dict[tuple[str, str, str], DuesQuote] = {}  # same basis, same quote
    missing: list[int] = []
    for member_id, branch_id in members:
        profile = profiles.get(member_id)
        if profile is None:
            missing.append(member_id)
            continue
        setting = settings.get(branch_id)
        farmer = setting.farmer_amount if setting else None
        key = (str(profile.category), str(profile.monthly_income), str(farmer))
        if key not in memo:
            memo[key] = quote(config, profile.category, profile.monthly_income, farmer_amount=farmer)
        quotes[member_id] = memo[key]
    return quotes, missing


async def generate_bills(org_id: int, month: dt.date) -> BillRun:
    """Bills of ``month`` for every current member under ``org_id``. Idempotent: a member has at
    most one bill a month (unique key; existing bills are left as they are)."""
    org = await get_branch(org_id, for_write=True, field_name="organizationId")
    tenant, config = await tenant_and_config()
    month = month_start(month)
    rows = (
        await Member.filter(branch__path__startswith=org.path, status__in=CURRENT)
        .filter(joined_on__lte=month_end(month))
        .values_list("id", "branch_id")
    )
    rows += await Member.filter(
        branch__path__startswith=org.path, status__in=CURRENT, joined_on__isnull=True
    ).values_list("id", "branch_id")
    members = [(int(m), int(b)) for m, b in rows]
    existing = set(
        await DuesBill.filter(member_id__in=[m for m, _ in members], period=month).values_list(
            "member_id", flat=True
        )
    )
    todo = [(m, b) for m, b in members if m not in existing]
    quotes, missing = await _quotes(config, todo, month)
    bills = [_bill(m, b, month, quotes[m], tenant.config_version) for m, b in todo if m in quotes]
    if bills:
        await DuesBill.bulk_create(bills, ignore_conflicts=True)
    audit.target("Organization", org.id)
    return BillRun(
        month, created=len(bills), existing=len(existing), missing_profile_member_ids=sorted(missing)
    )


# --- payments ------------------------------------------------------------------------------------


async def pay(
    member_id: int,
    months: list[dt.date],
    *,
    paid_on: dt.date | None = None,
    paid_by_proxy: bool = False,
    proxy_name: str = "",
    note: str = "",
    by: str = "",
) -> tuple[DuesPayment, list[DuesBill]]:
    """Record a payment of ``months`` for a member (missing bills are created from the profile).

    Refused: months already paid, months more than ``dues.back_payment_months`` before the month of
    payment, future months unless the branch allows quarterly payment and they are in the current
    quarter, a member who is not a current member, a proxy payment without the payer's name.
    """
    member, branch = await get_member(member_id, for_write=True)
    tenant, config = await tenant_and_config()
    if member.status not in CURRENT_MEMBER_STATUSES:
        raise DomainError(DuesErrorCode.DUES_MEMBER_NOT_CURRENT, field="memberId", name=member.name)
    if not months:
        raise ValidationFailed("请选择要交纳的月份", field="months")
    if paid_by_proxy and not proxy_name.strip():
        raise ValidationFailed("代交党费须登记代交人姓名", field="proxyName")
    if not paid_by_proxy and proxy_name.strip():
        raise ValidationFailed("本人交纳时不应填写代交人", field="proxyName")
    paid_on = paid_on or china_today()
    paid_month = month_start(paid_on)
    wanted = sorted({month_start(m) for m in months})
    if len(wanted) != len(months):
        raise ValidationFailed("月份不能重复", field="months")
    limit = int(config["dues"]["back_payment_months"])
    setting = await get_setting(branch.id)
    joined = month_start(member.joined_on) if member.joined_on else None
    for month in wanted:
        if joined is not None and month < joined:
            raise DomainError(
                DuesErrorCode.DUES_BEFORE_JOINING,
                field="months",
                name=member.name,
                joined_on=member.joined_on,
                month=month,
            )
        behind = months_between(month, paid_month)
        if behind > limit:
            raise DomainError(
                DuesErrorCode.DUES_BACK_PAYMENT_LIMIT,
                field="months",
                month=month.isoformat(),
                limit=limit,
                month_label=month,
            )
        if month > paid_month:
            if not (setting and setting.quarterly_allowed):
                raise DomainError(DuesErrorCode.DUES_QUARTERLY_NOT_ALLOWED, field="months", month=month)
            if quarter_of(month) != quarter_of(paid_month):
                raise DomainError(DuesErrorCode.DUES_ADVANCE_BEYOND_QUARTER, field="months", month=month)
    bills = {b.period: b for b in await DuesBill.filter(member_id=member.id, period__in=wanted)}
    paid = [m for m, b in bills.items() if b.payment_id is not None]
    if paid:
        raise DomainError(
            DuesErrorCode.DUES_ALREADY_PAID,
            field="months",
            months="、".join(f"{m:%Y年%m月}" for m in sorted(paid)),
        )
    missing = [m for m in wanted if m not in bills]
    new_bills: list[DuesBill] = []
    for month in missing:
        quotes, no_profile = await _quotes(config, [(member.id, branch.id)], month)
        if no_profile:
            raise DomainError(
                DuesErrorCode.DUES_PROFILE_MISSING, field="memberId", name=member.name, month=month
            )
        new_bills.append(_bill(member.id, branch.id, month, quotes[member.id], tenant.config_version))
    if new_bills:
        await DuesBill.bulk_create(new_bills, ignore_conflicts=True)
    rows = list(await DuesBill.filter(member_id=member.id, period__in=wanted).order_by("period"))
    payment = await DuesPayment.create(
        member_id=member.id,
        branch_id=branch.id,
        paid_on=paid_on,
        amount=to_fen(sum((to_decimal(b.amount) for b in rows), Decimal(0))),
        month_count=len(rows),
        paid_by_proxy=paid_by_proxy,
        proxy_name=proxy_name.strip(),
        note=note.strip(),
        recorded_by=by,
    )
    claimed = await DuesBill.filter(id__in=[b.id for b in rows], payment_id__isnull=True).update(
        payment_id=payment.id
    )
    if claimed != len(wanted):  # paid concurrently by someone else
        raise DomainError(DuesErrorCode.DUES_ALREADY_PAID, field="months", months="所选月份（他人同时登记）")
    for bill in rows:
        bill.payment_id = payment.id
    audit.created(payment)
    return payment, rows


# --- handovers (一票) ----------------------------------------------------------------------------


async def record_handover(
    branch_id: int,
    *,
    period_start: dt.date,
    period_end: dt.date,
    handed_on: dt.date | None = None,
    received_by: str = "",
    receipt_no: str = "",
    by: str = "",
) -> DuesHandover:
    """Hand the payments a branch received in [start, end] (not yet handed over) to the superior.

    The payments are claimed with one UPDATE and the amount is their SUM in SQL, so concurrent
    handovers never count a payment twice.
    """
    branch = await get_branch(branch_id, for_write=True)
    await require_branch(branch)
    if period_end < period_start:
        raise ValidationFailed("结束日期不能早于开始日期", field="periodEnd")
    open_payments = DuesPayment.filter(
        branch_id=branch.id, handover_id__isnull=True, paid_on__gte=period_start, paid_on__lte=period_end
    )
    if not await open_payments.exists():
        raise DomainError(DuesErrorCode.DUES_HANDOVER_EMPTY, field="periodStart")
    handover = await DuesHandover.create(
        branch_id=branch.id,
        period_start=period_start,
        period_end=period_end,
        amount=Decimal("0.00"),
        payment_count=0,
        handed_on=handed_on or china_today(),
        received_by=received_by.strip(),
        receipt_no=receipt_no.strip(),
        recorded_by=by,
    )
    await sql.execute(
        "UPDATE dues_payment SET handover_id = :handover WHERE tenant_id = :tenant_id "
        "AND branch_id = :branch AND handover_id IS NULL AND paid_on >= :start AND paid_on <= :end",
        handover=handover.id,
        branch=branch.id,
        start=date_param(period_start),
        end=date_param(period_end),
    )
    (totals,) = await sql.fetch(
        "SELECT COUNT(*) AS n, COALESCE(SUM(CAST(ROUND(amount * 100) AS BIGINT)), 0) AS fen "
        "FROM dues_payment WHERE tenant_id = :tenant_id AND handover_id = :handover",
        handover=handover.id,
    )
    if not totals["n"]:
        raise DomainError(DuesErrorCode.DUES_HANDOVER_EMPTY, field="periodStart")
    handover.amount = fen_to_yuan(totals["fen"])
    handover.payment_count = int(totals["n"])
    await handover.save(update_fields=["amount", "payment_count"])
    audit.created(handover)
    return handover


# --- exemptions (good reasons) ---------------------------------------------------------------------


async def record_exemption(
    member_id: int,
    *,
    from_month: dt.date,
    to_month: dt.date,
    reason: str,
    approved_by: str,
    approved_on: dt.date,
    by: str = "",
) -> DuesExemption:
    """The branch records a good reason (e.g. an approved deferral) for months of a member: they no
    longer count towards the 自行脱党 run; the bills stay owed."""
    member, branch = await get_member(member_id, for_write=True)
    if member.status not in CURRENT_MEMBER_STATUSES:
        raise DomainError(DuesErrorCode.DUES_MEMBER_NOT_CURRENT, field="memberId", name=member.name)
    start, end = month_start(from_month), month_start(to_month)
    if end < start:
        raise ValidationFailed("截止月份不能早于起始月份", field="toMonth")
    if not reason.strip():
        raise ValidationFailed("须写明正当理由（如经批准缓交）", field="reason")
    if not approved_by.strip():
        raise ValidationFailed("须登记批准人或批准组织", field="approvedBy")
    if approved_on > china_today():
        raise ValidationFailed("批准日期不能晚于今天", field="approvedOn")
    overlapping = await DuesExemption.filter(
        member_id=member.id, revoked_on__isnull=True, from_month__lte=end, to_month__gte=start
    ).first()
    if overlapping is not None:
        raise DomainError(
            DuesErrorCode.DUES_EXEMPTION_OVERLAP,
            field="fromMonth",
            name=member.name,
            from_month=overlapping.from_month,
            to_month=overlapping.to_month,
        )
    row = await DuesExemption.create(
        member_id=member.id,
        branch_id=branch.id,
        from_month=start,
        to_month=end,
        reason=reason.strip(),
        approved_by=approved_by.strip(),
        approved_on=approved_on,
        recorded_by=by,
    )
    audit.created(row)
    return row


async def revoke_exemption(exemption_id: int, *, reason: str, by: str = "") -> DuesExemption:
    """Withdraw a recorded good reason (kept as history): its months count again."""
    row = await DuesExemption.get_or_none(id=exemption_id)
    if row is None:
        raise NotFound("党费正当理由记录", exemption_id, field="id")
    await get_member(row.member_id, for_write=True)
    if row.revoked_on is not None:
        raise DomainError(DuesErrorCode.DUES_EXEMPTION_REVOKED, field="id", revoked_on=row.revoked_on)
    if not reason.strip():
        raise ValidationFailed("须写明撤销原因", field="reason")
    before = audit.snapshot(row)
    row.revoked_on = china_today()
    row.revoked_by = by
    row.revoke_reason = reason.strip()
    await row.save(update_fields=["revoked_on", "revoked_by", "revoke_reason"])
    audit.changed(row, before)
    return row


# --- arrears -------------------------------------------------------------------------------------


@dataclass
class Arrears:
    member_id: int
    member_name: str
    branch_id: int
    unpaid_months: int
    oldest_unpaid: dt.date
    latest_unpaid: dt.date
    owed: Decimal
    consecutive_months: int
    consecutive_from: dt.date | None
    consecutive_to: dt.date | None
    exempt_months: int
    flagged: bool


def _month_index(column: str) -> str:
    """SQL: ``year * 12 + month`` of a date column (consecutive months differ by 1)."""
    if sql.dialect() == "postgres":
        year, month = f"EXTRACT(YEAR FROM {column})", f"EXTRACT(MONTH FROM {column})"
        return f"(CAST({year} AS INTEGER) * 12 + CAST({month} AS INTEGER))"
    return f"(CAST(strftime('%Y', {column}) AS INTEGER) * 12 + CAST(strftime('%m', {column}) AS INTEGER))"


async def arrears(
    *,
    prefixes: tuple[str, ...] | None,
    as_of: dt.date,
    min_months: int = 1,
    flagged_only: bool = False,
) -> list[Arrears]:
    """Members with unpaid bills of months before the month of ``as_of`` (one SQL statement).

    ``consecutive_months`` is the longest run of consecutive unpaid months without a good reason
    anywhere in the open window (every unpaid bill before this month), wherever paid months lie
    before or after it: months a branch exempted (:class:`DuesExemption`, not revoked) and months
    without a bill break a run. ``flagged`` when that run reaches ``dues.arrears_flag_months``
    (自行脱党 risk). Scoped by the member's current branch path.
    """
    _, config = await tenant_and_config()
    flag = int(config["dues"]["arrears_flag_months"])
    last = add_months(month_start(as_of), -1)
    params: dict[str, Any] = {"last": date_param(last), "min_months": max(1, min_months), "flag": flag}
    where = path_clause(prefixes, "o.path", params)
    flagged_where = " AND COALESCE(r.run, 0) >= :flag" if flagged_only else ""
    statuses = ", ".join(f"'{s}'" for s in CURRENT)
    exempt = (
        "EXISTS (SELECT 1 FROM dues_exemption e "
        "WHERE e.tenant_id = b.tenant_id AND e.member_id = b.member_id "
        "AND e.revoked_on IS NULL AND e.from_month <= b.period AND e.to_month >= b.period)"
    )
    # aggregate the bills per member once (a materialized CTE on PostgreSQL), then join the members
    # and their branches by primary key: robust even when the planner's statistics are stale
    materialized = "MATERIALIZED " if sql.dialect() == "postgres" else ""
    rows = await sql.fetch(
        f"""
        WITH u AS {materialized}(
            SELECT b.member_id AS member_id, b.period AS period, b.amount AS amount,
                   CASE WHEN {exempt} THEN 1 ELSE 0 END AS exempt
            FROM dues_bill b
            WHERE b.tenant_id = :tenant_id AND b.payment_id IS NULL AND b.period <= :last
        ),
        x AS (
            SELECT member_id, COUNT(*) AS unpaid, MIN(period) AS oldest, MAX(period) AS latest,
                   SUM(CAST(ROUND(amount * 100) AS BIGINT)) AS owed_fen, SUM(exempt) AS exempt_months
            FROM u GROUP BY member_id HAVING COUNT(*) >= :min_months
        ),
        islands AS (
            SELECT member_id, period,
                   {_month_index("period")}
                   - ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY period) AS grp
            FROM u WHERE exempt = 0
        ),
        runs AS (
            SELECT member_id, COUNT(*) AS run, MIN(period) AS run_from, MAX(period) AS run_to
            FROM islands GROUP BY member_id, grp
        ),
        r AS (
            SELECT member_id, run, run_from, run_to,
                   ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY run DESC, run_from DESC) AS rk
            FROM runs
        )
        SELECT x.member_id AS member_id, m.name AS member_name, m.branch_id AS branch_id,
               x.unpaid AS unpaid, x.oldest AS oldest, x.latest AS latest, x.owed_fen AS owed_fen,
               x.exempt_months AS exempt_months, r.run AS run, r.run_from AS run_from, r.run_to AS run_to
        FROM x
        LEFT JOIN r ON r.member_id = x.member_id AND r.rk = 1
        JOIN member m ON m.id = x.member_id
        JOIN organization o ON o.id = m.branch_id
        WHERE m.tenant_id = :tenant_id AND o.tenant_id = :tenant_id AND m.status IN ({statuses})
              {where}{flagged_where}
        ORDER BY COALESCE(r.run, 0) DESC, x.unpaid DESC, x.member_id
        """,
        **params,
    )
    return [
        Arrears(
            member_id=int(r["member_id"]),
            member_name=r["member_name"],
            branch_id=int(r["branch_id"]),
            unpaid_months=int(r["unpaid"]),
            oldest_unpaid=as_date(r["oldest"]),
            latest_unpaid=as_date(r["latest"]),
            owed=fen_to_yuan(r["owed_fen"]),
            consecutive_months=int(r["run"] or 0),
            consecutive_from=as_date(r["run_from"]) if r["run_from"] is not None else None,
            consecutive_to=as_date(r["run_to"]) if r["run_to"] is not None else None,
            exempt_months=int(r["exempt_months"] or 0),
            flagged=int(r["run"] or 0) >= flag,
        )
        for r in rows
    ]


# --- the branch register (一簿) --------------------------------------------------------------------


@dataclass
class MonthSummary:
    month: dt.date
    billed: int
    billed_amount: Decimal
    paid: int
    paid_amount: Decimal
    paid_by_proxy: int


async def month_summaries(
    branch_id: int | None,
    start: dt.date,
    end: dt.date,
    *,
    prefixes: Iterable[str] | None = None,
    subtree: str | None = None,
) -> list[MonthSummary]:
    """Per month of [start, end]: bills, amounts billed and paid (one grouped SQL statement) of one
    branch, or of the bills whose branch lies under ``prefixes`` (None: anywhere) and ``subtree``."""
    params: dict[str, Any] = {"start": date_param(start), "end": date_param(end), "branch": branch_id}
    where = " AND b.branch_id = :branch" if branch_id is not None else ""
    where += path_clause(prefixes, "o.path", params)
    where += path_clause([subtree] if subtree is not None else None, "o.path", params, name="subtree")
    rows = await sql.fetch(
        f"""
        SELECT b.period AS period, COUNT(*) AS billed,
               SUM(CAST(ROUND(b.amount * 100) AS BIGINT)) AS billed_fen,
               SUM(CASE WHEN b.payment_id IS NOT NULL THEN 1 ELSE 0 END) AS paid,
               SUM(CASE WHEN b.payment_id IS NOT NULL THEN CAST(ROUND(b.amount * 100) AS BIGINT)
                   ELSE 0 END) AS paid_fen,
               SUM(CASE WHEN p.paid_by_proxy THEN 1 ELSE 0 END) AS proxy
        FROM dues_bill b
        JOIN organization o ON o.id = b.branch_id AND o.tenant_id = b.tenant_id
        LEFT JOIN dues_payment p ON p.id = b.payment_id AND p.tenant_id = b.tenant_id
        WHERE b.tenant_id = :tenant_id AND b.period >= :start AND b.period <= :end{where}
        GROUP BY b.period ORDER BY b.period
        """,
        **params,
    )
    return [
        MonthSummary(
            month=as_date(r["period"]),
            billed=int(r["billed"]),
            billed_amount=fen_to_yuan(r["billed_fen"]),
            paid=int(r["paid"] or 0),
            paid_amount=fen_to_yuan(r["paid_fen"]),
            paid_by_proxy=int(r["proxy"] or 0),
        )
        for r in rows
    ]


@dataclass
class RegisterLine:
    """One member's line of the register: the year's bills and their sums."""

    member_id: int
    member_name: str
    bills: list[DuesBill]
    billed_amount: Decimal
    paid_amount: Decimal


@dataclass
class Register:
    """The branch dues register (一簿) of a year: monthly sums, member lines, the handover total."""

    branch: Organization
    year: int
    months: list[MonthSummary]
    lines: list[RegisterLine]
    billed_amount: Decimal
    paid_amount: Decimal
    handed_over_amount: Decimal


async def register(branch: Organization, year: int) -> Register:
    """The register of ``branch`` for ``year`` (four statements, whatever the branch's size)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 1)
    summaries = await month_summaries(branch.id, start, end)
    bills = await DuesBill.filter(branch_id=branch.id, period__gte=start, period__lte=end).order_by(
        "member_id", "period"
    )
    names = dict(await Member.filter(id__in=list({b.member_id for b in bills})).values_list("id", "name"))
    grouped: dict[int, list[DuesBill]] = {}
    for bill in bills:
        grouped.setdefault(bill.member_id, []).append(bill)
    lines = [
        RegisterLine(
            member_id=member_id,
            member_name=names.get(member_id, ""),
            bills=member_bills,
            billed_amount=to_fen(sum((to_decimal(b.amount) for b in member_bills), Decimal(0))),
            paid_amount=to_fen(sum((to_decimal(b.amount) for b in member_bills if b.payment_id), Decimal(0))),
        )
        for member_id, member_bills in sorted(grouped.items(), key=lambda kv: (names.get(kv[0], ""), kv[0]))
    ]
    (handed,) = await sql.fetch(
        "SELECT COALESCE(SUM(CAST(ROUND(amount * 100) AS BIGINT)), 0) AS fen FROM dues_handover "
        "WHERE tenant_id = :tenant_id AND branch_id = :branch "
        "AND handed_on >= :start AND handed_on <= :end",
        branch=branch.id,
        start=date_param(start),
        end=date_param(dt.date(year, 12, 31)),
    )
    return Register(
        branch=branch,
        year=year,
        months=summaries,
        lines=lines,
        billed_amount=to_fen(sum((s.billed_amount for s in summaries), Decimal(0))),
        paid_amount=to_fen(sum((s.paid_amount for s in summaries), Decimal(0))),
        handed_over_amount=fen_to_yuan(handed["fen"]),
    )


@dataclass
class MemberRecord:
    """A member's dues record (一证) of a year: profiles, the quote in force, bills, exemptions."""

    member: Member
    branch: Organization
    year: int
    profiles: list[DuesProfile]
    current_quote: DuesQuote | None
    bills: list[DuesBill]
    paid_amount: Decimal
    unpaid_amount: Decimal
    exemptions: list[DuesExemption]


async def member_record(member: Member, branch: Organization, year: int) -> MemberRecord:
    """The member's profiles, current quote and bills of ``year``, and every recorded exemption."""
    profiles = await DuesProfile.filter(member_id=member.id).order_by("effective_from")
    bills = await DuesBill.filter(
        member_id=member.id, period__gte=dt.date(year, 1, 1), period__lte=dt.date(year, 12, 1)
    ).order_by("period")
    exemptions = await DuesExemption.filter(member_id=member.id).order_by("from_month", "id")
    current = await profiles_in_force([member.id], month_start(china_today()))
    current_quote = None
    if member.id in current:
        profile = current[member.id]
        current_quote = await quote_for(profile.category, profile.monthly_income, branch.id)
    return MemberRecord(
        member=member,
        branch=branch,
        year=year,
        profiles=list(profiles),
        current_quote=current_quote,
        bills=list(bills),
        paid_amount=to_fen(sum((to_decimal(b.amount) for b in bills if b.payment_id), Decimal(0))),
        unpaid_amount=to_fen(sum((to_decimal(b.amount) for b in bills if not b.payment_id), Decimal(0))),
        exemptions=list(exemptions),
    )
