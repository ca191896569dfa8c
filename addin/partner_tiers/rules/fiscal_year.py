"""Fiscal years and quarters, named as vendors name them.

A fiscal year is named after the calendar year it ends in: with an April start, FY2020 runs
from April 2019 to March 2020, the year of the 31 March audit.

>>> fiscal_period(date(2019, 4, 1), 4), fiscal_period(date(2020, 3, 31), 4)
((2020, 1), (2020, 4))
>>> fiscal_year_start(2020, 4)
datetime.date(2019, 4, 1)
"""

from __future__ import annotations

from datetime import date, timedelta

QUARTERS_PER_YEAR = 4


def fiscal_period(day: date, start_month: int) -> tuple[int, int]:
    """(fiscal year, fiscal quarter) of ``day`` for a year starting in ``start_month``.

    >>> fiscal_period(date(2026, 11, 25), 1)
    (2026, 4)
    """
    months = (day.month - start_month) % 12
    year = day.year + (1 if start_month > 1 and day.month >= start_month else 0)
    return year, months // 3 + 1


def fiscal_year_start(fiscal_year: int, start_month: int) -> date:
    """The first day of ``fiscal_year``.

    >>> fiscal_year_start(2026, 1)
    datetime.date(2026, 1, 1)
    """
    return date(fiscal_year - (1 if start_month > 1 else 0), start_month, 1)


def quarter_end(fiscal_year: int, quarter: int, start_month: int) -> date:
    """The last day of ``quarter`` of ``fiscal_year``.

    >>> quarter_end(2027, 2, 4), quarter_end(2026, 4, 1)
    (datetime.date(2026, 9, 30), datetime.date(2026, 12, 31))
    """
    start = fiscal_year_start(fiscal_year, start_month)
    months = start.month - 1 + 3 * quarter
    return date(start.year + months // 12, months % 12 + 1, 1) - timedelta(days=1)
