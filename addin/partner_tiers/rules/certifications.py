"""Certifications as a vendor's audit counts them: those still valid on the audit day.

A vendor sets each partner's tier at an audit, by default on the last day of the fiscal
year (Sophos: 31 March). It counts the certified sales people and engineers whose
certification is valid **on that day**, a certification being valid up to and including its
valid-until date (for Sophos two years after the course's release, not after the exam).
A certification valid today that ends before the audit *lapses*: it counts now, not then.

>>> day = audit_day(2027, 4)
>>> day
datetime.date(2027, 3, 31)
>>> certified = [
...     Certification("Ewa Nowak", SALES, "Sales Consultant", date(2027, 3, 31)),
...     Certification("Jan Kowalski", ENGINEER, "Certified Engineer", date(2027, 3, 30)),
... ]
>>> counts_on(certified, day)
(1, 0)
>>> [c.person for c in lapsing(certified, date(2026, 9, 30), day)]
['Jan Kowalski']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from partner_tiers.rules.fiscal_year import fiscal_year_start
from partner_tiers.rules.program import Program

SALES, ENGINEER = "sales", "engineer"
ROLES = (SALES, ENGINEER)


@dataclass(frozen=True)
class Certification:
    """One person's certification of one partner."""

    person: str
    role: str  # SALES or ENGINEER
    name: str
    valid_until: date

    def valid_on(self, day: date) -> bool:
        """Valid on ``day``: up to and including the valid-until date."""
        return day <= self.valid_until


def audit_day(fiscal_year: int, start_month: int, month_day: tuple[int, int] | None = None) -> date:
    """The audit day of ``fiscal_year``: its last day, or the last ``(month, day)`` in it.

    >>> audit_day(2026, 1), audit_day(2027, 4, (1, 15))
    (datetime.date(2026, 12, 31), datetime.date(2027, 1, 15))
    """
    last = fiscal_year_start(fiscal_year + 1, start_month) - timedelta(days=1)
    if month_day is None:
        return last
    month, day = month_day
    candidate = date(last.year, month, day)
    return candidate if candidate <= last else date(last.year - 1, month, day)


def program_audit_day(program: Program, fiscal_year: int) -> date:
    """The audit day of ``program``'s ``fiscal_year`` (its ``audit_day`` field, if set)."""
    return audit_day(fiscal_year, program.fiscal_year_start_month, program.audit_month_day)


def counts_on(certifications: Iterable[Certification], day: date) -> tuple[int, int]:
    """(certified sales people, certified engineers) valid on ``day``."""
    valid = [c.role for c in certifications if c.valid_on(day)]
    return valid.count(SALES), valid.count(ENGINEER)


def lapsing(
    certifications: Iterable[Certification], today: date, audit: date
) -> list[Certification]:
    """The certifications valid ``today`` that are no longer valid on the ``audit`` day,
    soonest first."""
    found = [c for c in certifications if c.valid_on(today) and not c.valid_on(audit)]
    return sorted(found, key=lambda c: (c.valid_until, c.person, c.name))
