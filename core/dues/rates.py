"""Dues rates: brackets from the tenant config and the rounding rule.

Rounding rule (documented in ``docs/dues.md``): the monthly amount is the whole declared income times
the rate of the bracket it falls in (not progressive), rounded to the fen (0.01 yuan) with
``ROUND_HALF_UP``. Fixed amounts (students, unemployed, minimum-allowance and farmer members) are
used as configured, also quantized to the fen. All arithmetic is :class:`decimal.Decimal`; config
numbers are converted through ``str`` so ``0.5`` becomes exactly ``Decimal("0.5")``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from core.dues.models import DuesCategory
from core.error_codes import DuesErrorCode
from core.errors import DomainError, ValidationFailed

FEN = Decimal("0.01")
HUNDRED = Decimal(100)
#: no amount, income or bound of the dues reaches a hundred million yuan (a month's dues on such an
#: income still fits the bill's column)
LIMIT = Decimal(10) ** 8


def to_decimal(value: Any, *, what: str = "金额", field: str | None = None) -> Decimal:
    """An exact decimal from a config or input number (floats go through ``str``)."""
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(f"{what}不是有效数字：{value}", field=field) from exc
    if not result.is_finite():
        raise ValidationFailed(f"{what}不是有效数字：{value}", field=field)
    if abs(result) >= LIMIT:
        raise ValidationFailed(f"{what}超出范围：{value}", field=field, limit=str(LIMIT))
    return result


def to_fen(amount: Decimal) -> Decimal:
    """``amount`` rounded to the fen with ROUND_HALF_UP (the documented rounding rule)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bracket:
    up_to: Decimal | None
    percent: Decimal


@dataclass(frozen=True)
class DuesQuote:
    """The computed monthly amount and how it was obtained."""

    amount: Decimal
    category: str
    monthly_income: Decimal | None
    rate_percent: Decimal | None
    explanation: str


def parse_brackets(raw: Any, name: str) -> list[Bracket]:
    """Brackets from config: ascending ``up_to`` bounds, the last one open (``null``). Parsed once
    per distinct config (cached), since every bill of a month asks for the same brackets."""
    try:
        key = tuple((item.get("up_to"), item["percent"]) for item in raw)
        hash(key)
    except (AttributeError, KeyError, TypeError):
        return _parse(raw, name)  # malformed: let the validation report it
    return list(_parse_cached(key, name))


@lru_cache(maxsize=64)
def _parse_cached(key: tuple[tuple[Any, Any], ...], name: str) -> tuple[Bracket, ...]:
    return tuple(_parse([{"up_to": up_to, "percent": percent} for up_to, percent in key], name))


def _parse(raw: Any, name: str) -> list[Bracket]:
    if not isinstance(raw, list) or not raw:
        raise DomainError(DuesErrorCode.DUES_CONFIG_INVALID, field=name, reason=f"{name} 应为非空列表")
    brackets: list[Bracket] = []
    previous: Decimal | None = None
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or "percent" not in item:
            raise DomainError(
                DuesErrorCode.DUES_CONFIG_INVALID, field=name, reason=f"{name}[{index}] 缺少 percent"
            )
        up_to = item.get("up_to")
        bound = None if up_to is None else to_decimal(up_to, what="档次上限")
        percent = to_decimal(item["percent"], what="比例")
        if percent < 0 or (bound is not None and bound <= 0):
            raise DomainError(
                DuesErrorCode.DUES_CONFIG_INVALID, field=name, reason=f"{name}[{index}] 不能为负"
            )
        if bound is None and index != len(raw) - 1:
            raise DomainError(
                DuesErrorCode.DUES_CONFIG_INVALID, field=name, reason=f"{name} 只有最后一档可以不设上限"
            )
        if bound is not None and previous is not None and bound <= previous:
            raise DomainError(DuesErrorCode.DUES_CONFIG_INVALID, field=name, reason=f"{name} 档次上限须递增")
        previous = bound
        brackets.append(Bracket(bound, percent))
    if brackets[-1].up_to is not None:
        raise DomainError(DuesErrorCode.DUES_CONFIG_INVALID, field=name, reason=f"{name} 最后一档须不设上限")
    return brackets


def farmer_range(config: dict[str, Any]) -> tuple[Decimal, Decimal]:
    dues = config["dues"]
    return to_fen(to_decimal(dues["farmer_min"])), to_fen(to_decimal(dues["farmer_max"]))


def check_farmer_amount(config: dict[str, Any], amount: Decimal) -> Decimal:
    """``amount`` if within the configured farmer range (to the fen), else a typed error."""
    low, high = farmer_range(config)
    amount = to_decimal(amount, field="farmerAmount")
    if amount != to_fen(amount):
        raise ValidationFailed("金额最多精确到分", field="farmerAmount")
    if not low <= amount <= high:
        raise DomainError(
            DuesErrorCode.DUES_FARMER_AMOUNT_OUT_OF_RANGE,
            field="farmerAmount",
            minimum=str(low),
            maximum=str(high),
            low=low,
            high=high,
        )
    return to_fen(amount)


def quote(
    config: dict[str, Any],
    category: str,
    monthly_income: Decimal | None,
    *,
    farmer_amount: Decimal | None = None,
) -> DuesQuote:
    """The monthly dues of a member of ``category`` with ``monthly_income`` (yuan, post-tax)."""
    dues = config["dues"]
    try:
        category = DuesCategory(category)
    except ValueError as exc:
        raise ValidationFailed(f"未知的党费类别：{category}", field="category") from exc
    if category in (DuesCategory.SALARIED, DuesCategory.RETIRED):
        if monthly_income is None:
            raise ValidationFailed("按收入计算党费须填写税后月收入", field="monthlyIncome")
        income = to_decimal(monthly_income, what="月收入", field="monthlyIncome")
        if income < 0:
            raise ValidationFailed("月收入不能为负数", field="monthlyIncome")
        name = "salaried_brackets" if category == DuesCategory.SALARIED else "retired_brackets"
        for bracket in parse_brackets(dues[name], name):
            if bracket.up_to is None or income <= bracket.up_to:
                amount = to_fen(income * bracket.percent / HUNDRED)
                limit = f"{bracket.up_to}元以下（含）" if bracket.up_to is not None else "以上"
                return DuesQuote(
                    amount,
                    category.value,
                    income,
                    bracket.percent,
                    f"月收入{income}元，{limit}档，按{bracket.percent}%交纳，四舍五入到分为{amount}元",
                )
    if category == DuesCategory.FARMER:
        chosen = farmer_amount if farmer_amount is not None else to_decimal(dues["farmer_default"])
        amount = check_farmer_amount(config, chosen)
        return DuesQuote(amount, category.value, None, None, f"农民党员每月交纳{amount}元（支部确定）")
    fixed = (dues.get("fixed_amounts") or {}).get(category.value)
    if fixed is None:
        raise DomainError(DuesErrorCode.DUES_CONFIG_INVALID, reason=f"缺少 {category.value} 的固定金额")
    amount = to_fen(to_decimal(fixed))
    return DuesQuote(amount, category.value, None, None, f"每月交纳{amount}元")
