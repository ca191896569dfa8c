"""The fiscal quarters a sales export covers: found from its dates, quarters or revenue
columns, or stated with ``--period``.

>>> Coverage(parse_period("2025Q4..2026Q2"), "").describe()
'FY2025 Q4 to FY2026 Q2'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partner_tiers.review.sales_fields import parse_quarter
from partner_tiers.rules.fiscal_year import QUARTERS_PER_YEAR
from partner_tiers.texts import in_language, said

Quarter = tuple[int, int]  # (fiscal year, quarter 1-4)


def quarters_between(first: Quarter, last: Quarter) -> frozenset[Quarter]:
    """Every fiscal quarter from ``first`` to ``last``, both included."""
    start, end = first[0] * 4 + first[1] - 1, last[0] * 4 + last[1] - 1
    return frozenset((n // 4, n % 4 + 1) for n in range(start, end + 1))


@dataclass(frozen=True)
class Coverage:
    """The fiscal quarters a sales export covers, and how that was found out.

    An export replaces the revenue of these quarters only; the previous review keeps the
    others. An export of invoices covers every quarter from its first invoice's to its last
    one's; one with revenue columns covers the quarters of its columns; ``--period`` says
    it where the dates cannot (a quarter whose last month had no sales).

    >>> Coverage(quarters_between((2025, 4), (2026, 2)), "").describe()
    'FY2025 Q4 to FY2026 Q2'
    """

    quarters: frozenset[Quarter]
    how: str

    def covers(self, fiscal_year: int, quarter: int) -> bool:
        return (fiscal_year, quarter) in self.quarters

    def covers_year(self, fiscal_year: int) -> bool:
        return all(self.covers(fiscal_year, q) for q in range(1, QUARTERS_PER_YEAR + 1))

    def touches_year(self, fiscal_year: int) -> bool:
        return any(self.covers(fiscal_year, q) for q in range(1, QUARTERS_PER_YEAR + 1))

    def describe(self, language: str = "en") -> str:
        """The covered quarters as a reader says them: "FY2026 Q2", "FY2025 to FY2026 Q1"."""
        if not self.quarters:
            return in_language(said("no_period"), language)
        runs: list[list[Quarter]] = []
        for quarter in sorted(self.quarters):
            number = quarter[0] * 4 + quarter[1]
            if runs and runs[-1][-1][0] * 4 + runs[-1][-1][1] == number - 1:
                runs[-1].append(quarter)
            else:
                runs.append([quarter])
        return ", ".join(_run_text(run, language) for run in runs)

    def explained(self, language: str = "en") -> str:
        """The covered quarters and how that was found out, in ``language``.

        >>> Coverage(quarters_between((2025, 1), (2026, 2)), said("by_columns")).explained("pl")
        'FY2025 do FY2026 Q2 (według kolumn obrotu)'
        """
        return f"{self.describe(language)} ({in_language(self.how, language)})"


NO_COVERAGE = Coverage(frozenset(), "")  # an import that covers no quarter


def _run_text(run: list[Quarter], language: str = "en") -> str:
    (fy1, q1), (fy2, q2) = run[0], run[-1]
    first = f"FY{fy1}" if q1 == 1 and (fy2 > fy1 or q2 == 4) else f"FY{fy1} Q{q1}"
    last = f"FY{fy2}" if q2 == 4 and (fy1 < fy2 or q1 == 1) else f"FY{fy2} Q{q2}"
    if first == last or len(run) == 1:
        return first
    return in_language(said("period_to", first=first, last=last), language)


def parse_period(text: str, fiscal_year: int | None = None) -> frozenset[Quarter]:
    """The quarters ``--period`` names: ``2026Q2``, ``Q2`` (of ``fiscal_year``), ``FY2025``
    (a whole fiscal year), or a range of those: ``2025Q4..2026Q2``.

    >>> sorted(parse_period("FY2025..2026Q1")) == sorted(quarters_between((2025, 1), (2026, 1)))
    True
    """
    ends = [part.strip() for part in text.split("..")]
    if len(ends) > 2 or not all(ends):
        raise ValueError(
            f"--period {text!r} is not a period; write 2026Q2, FY2025 or 2025Q4..2026Q2"
        )
    bounds = []
    for i, end in enumerate(ends):
        whole = re.fullmatch(r"(?i)FY\s*(\d{4})", end)
        if whole:
            bounds.append((int(whole[1]), 1 if i == 0 else QUARTERS_PER_YEAR))
            if len(ends) == 1:
                bounds.append((int(whole[1]), QUARTERS_PER_YEAR))
            continue
        try:
            year, quarter = parse_quarter(end)
        except ValueError:
            raise ValueError(
                f"--period {text!r}: {end!r} is not a fiscal quarter; write "
                "2026Q2, FY2025 or 2025Q4..2026Q2"
            ) from None
        if year is None and fiscal_year is None:
            raise ValueError(f"--period {text!r}: name the fiscal year, e.g. 2026Q2")
        bounds.append((year or fiscal_year, quarter))  # type: ignore[arg-type]
    first, last = bounds[0], bounds[-1]
    if last < first:
        raise ValueError(f"--period {text!r} ends before it starts")
    return quarters_between(first, last)
