"""Certified people per partner for what is computed outside Excel from a review's rows (the
terminal summary, the QBR pack): counted by :mod:`partner_tiers.excel.certified`, the path
of the review's own CERTIFIED_PEOPLE function, from the same cells, so that all three agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from partner_tiers.excel.certified import (
    PartnerCertified,
    certification_table,
    partners_certified,
    partners_in_role,
)
from partner_tiers.records import CertificationRow, Partner
from partner_tiers.rules.certifications import Certification, role_key, role_text
from partner_tiers.rules.program import Program


def table_of(rows: Sequence[CertificationRow], language: str) -> list[list[Any]]:
    """Certification rows as the cells of the Certifications table."""
    return [
        [r.partner, r.tax_id, r.person, role_text(r.role, language), r.certification, r.valid_until]
        for r in rows
    ]


def certified(
    partners: Sequence[Partner],
    rows: Sequence[CertificationRow] | Sequence[Sequence[Any]],
    language: str,
    as_of: object,
    audit: object,
) -> list[PartnerCertified | None]:
    """Each partner's certified people now and at the audit (the counts typed for a partner
    without rows), from certification rows or the cells of the table."""
    return partners_certified(
        [p.name for p in partners],
        [p.tax_id for p in partners],
        [p.certified_sales for p in partners],
        [p.certified_engineers for p in partners],
        _cells(rows, language),
        as_of,
        audit,
    )


def _cells(
    rows: Sequence[CertificationRow] | Sequence[Sequence[Any]], language: str
) -> list[Sequence[Any]]:
    return [
        row if not isinstance(row, CertificationRow) else table_of([row], language)[0]
        for row in rows
    ]


def in_other_roles(
    program: Program,
    partners: Sequence[Partner],
    rows: Sequence[CertificationRow] | Sequence[Sequence[Any]],
    language: str,
    day: object,
) -> dict[str, list[Any]]:
    """For each metric of ``program`` that counts another role than sales and engineers,
    each partner's people certified in it on ``day``, as CERTIFIED_IN_ROLE counts them (the
    count typed for a partner without rows)."""
    table = certification_table(_cells(rows, language), program)
    names, taxes = [p.name for p in partners], [p.tax_id for p in partners]
    found = {}
    for metric in program.metrics:
        if metric.role is None or role_key(metric.role) != metric.role:
            continue  # sales and engineers: counted by CERTIFIED_PEOPLE
        typed = [p.metrics.get(metric.name) for p in partners]
        found[metric.name] = partners_in_role(names, taxes, typed, table, metric.role, day)
    return found


def as_row(certification: Certification) -> CertificationRow:
    """A counted certification as a row of the Certifications sheet shows it: the same
    fields."""
    return CertificationRow(**dataclasses.asdict(certification))
