"""Scalar overrides: ``Decimal``, ``Date`` and ``DateTime`` inputs within the ranges the data can have.

Strawberry's scalars accept anything Python can represent: ``Decimal`` takes ``NaN``, ``Infinity``
and ``1e400`` (a ``NaN`` makes every later comparison raise, a huge value makes rounding to the fen
raise and overflows a ``DECIMAL`` column on PostgreSQL); ``Date`` takes ``0001-01-01`` and
``9999-12-31``, where the first month or year of arithmetic leaves Python's date range. Such
values are refused while the request is read (``INVALID_INPUT``), before any resolver runs: a
decimal is finite and below ``DECIMAL_LIMIT``, a date (or date-time) lies in the years
``MIN_YEAR``–``MAX_YEAR``. The SDL is unchanged (same names and descriptions).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
from typing import Any

import dateutil.parser
from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    DecimalDefinition,
    wrap_parser,
)

from core.years import MAX_YEAR, MIN_YEAR, year_message

#: no decimal column has more than 12 digits before the point (``DECIMAL(14, 2)``)
DECIMAL_LIMIT = decimal.Decimal(10) ** 12


def parse_decimal(text: str) -> decimal.Decimal:
    value = decimal.Decimal(text)
    if not value.is_finite() or abs(value) >= DECIMAL_LIMIT:
        raise decimal.InvalidOperation(text)
    return value


def _in_range(value: Any) -> Any:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(year_message())
    return value


def parse_date(text: str) -> dt.date:
    return _in_range(dt.date.fromisoformat(text))


def parse_datetime(text: str) -> dt.datetime:
    return _in_range(dateutil.parser.isoparse(text))


BOUNDED_DECIMAL = dataclasses.replace(
    DecimalDefinition,
    parse_value=wrap_parser(
        parse_decimal, "Decimal", exceptions=(decimal.DecimalException,), accept_non_string=True
    ),
)
BOUNDED_DATE = dataclasses.replace(DateDefinition, parse_value=wrap_parser(parse_date, "Date"))
BOUNDED_DATETIME = dataclasses.replace(
    DateTimeDefinition, parse_value=wrap_parser(parse_datetime, "DateTime")
)

SCALAR_OVERRIDES = {decimal.Decimal: BOUNDED_DECIMAL, dt.date: BOUNDED_DATE, dt.datetime: BOUNDED_DATETIME}
