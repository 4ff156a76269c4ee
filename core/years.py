"""The calendar years zhibu keeps: every date of the domain (births, admissions, terms, deadlines)
falls in ``MIN_YEAR``–``MAX_YEAR``; a year argument outside it is ``INVALID_INPUT``, never a date
arithmetic error. The GraphQL ``Date``/``DateTime`` scalars apply the same range."""

from __future__ import annotations

from core.errors import ValidationFailed

MIN_YEAR, MAX_YEAR = 1900, 2999


def year_message() -> str:
    return f"年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间"


def check_year(year: int, field: str = "year") -> int:
    """``year`` when zhibu keeps it; :class:`ValidationFailed` on ``field`` otherwise."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(year_message(), field=field)
    return year
