"""Certified people per partner, counted as the review's COUNTIFS count them, for what is
computed outside Excel from the same rows (the terminal summary, the QBR pack).

A partner's rows are those whose partner cell is its name, case ignored (COUNTIFS compares
text so). A role counts when it is written as the review's language writes it. A partner
without rows keeps the counts typed on the Partners sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from partner_tiers.rules.certifications import ROLES, Certification, counts_on, lapsing
from partner_tiers.texts import label
from partner_tiers.workbooks.portfolio import CertificationRow


@dataclass(frozen=True)
class Certified:
    """One partner's certified people now and at the audit, and what lapses between."""

    now: tuple[int | None, int | None]
    at_audit: tuple[int | None, int | None]
    lapsing: list[CertificationRow]
    from_rows: bool  # False: the typed counts, for both days


def role_in(value: Any, language: str) -> str:
    """The role a cell names in the review's language ("" for any other text)."""
    for role in ROLES:
        if (
            isinstance(value, str)
            and value.casefold() == label(f"role_{role}", language).casefold()
        ):
            return role
    return ""


def certified(
    name: str,
    typed: tuple[int | None, int | None],
    rows: Sequence[CertificationRow],
    language: str,
    as_of: dt.date | None,
    audit: dt.date | None,
) -> Certified:
    """The counts of the partner ``name`` (``typed`` when it has no rows or a day is unset)."""
    own = [
        r for r in rows if isinstance(r.partner, str) and r.partner.casefold() == name.casefold()
    ]
    if not own or as_of is None or audit is None:
        return Certified(typed, typed, [], from_rows=False)
    dated = [
        (row, Certification(row.person or "", role_in(row.role, language), "", row.valid_until))
        for row in own
        if isinstance(row.valid_until, dt.date)
    ]
    held = [c for _, c in dated]
    ending = {id(c) for c in lapsing(held, as_of, audit)}
    lapse = sorted(
        (row for row, c in dated if id(c) in ending),
        key=lambda r: (r.valid_until, r.person or ""),
    )
    return Certified(counts_on(held, as_of), counts_on(held, audit), lapse, from_rows=True)
