"""When a tier changes: at once, at the audit, or after a grace period.

A program's ``lifecycle`` (see :class:`~partner_tiers.rules.program.Lifecycle`) says it for
an upgrade and a demotion apart. A partner projected above or below its tier (see
:mod:`partner_tiers.rules.projection`) moves on the day this module gives: ``None`` means at
once, as soon as the requirement is met or missed; at the audit means from the day after
the audit that ends the fiscal year; after a grace period, that many months later.

>>> from partner_tiers.rules.programs import get_program
>>> sophos = get_program("sophos-2019")        # states no lifecycle: at the audit
>>> takes_effect(sophos, 2027, upgrade=False)
datetime.date(2027, 4, 1)
>>> from partner_tiers.rules.program import Lifecycle
>>> from dataclasses import replace
>>> graced = replace(sophos, lifecycle=Lifecycle("at_once", "after_grace", 6))
>>> takes_effect(graced, 2027, upgrade=False), takes_effect(graced, 2027, upgrade=True)
(datetime.date(2027, 10, 1), None)
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from partner_tiers.rules.certifications import program_audit_day
from partner_tiers.rules.program import AT_AUDIT, Lifecycle, Program


def lifecycle_of(program: Program) -> Lifecycle:
    """The program's lifecycle; at the audit, both ways, when it states none."""
    return program.lifecycle or AT_AUDIT


def takes_effect(program: Program, fiscal_year: int, upgrade: bool) -> date | None:
    """The day a change of tier found for ``fiscal_year`` applies; None: at once."""
    rule = lifecycle_of(program)
    how = rule.upgrade if upgrade else rule.downgrade
    if how == "at_once":
        return None
    start = program_audit_day(program, fiscal_year) + timedelta(days=1)
    if how == "at_audit":
        return start
    return _later(start, rule.grace_months)


def _later(day: date, months: int) -> date:
    """``day`` ``months`` later, on the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
