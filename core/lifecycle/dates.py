"""Calendar arithmetic for the timing rules (months clamp to the end of shorter months)."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

_TZ = ZoneInfo("Asia/Shanghai")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; 31 January + 1 month is the last day of February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today() -> dt.date:
    """Today in China (the day a branch records things on)."""
    return dt.datetime.now(_TZ).date()
