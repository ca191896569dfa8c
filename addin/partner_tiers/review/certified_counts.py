"""Certified people per partner for what is computed outside Excel from a review's rows (the
terminal summary, the QBR pack): counted by :mod:`partner_tiers.excel.certified`, the path
of the review's own CERTIFIED_PEOPLE function, from the same cells, so that all three agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from partner_tiers.excel.certified import PartnerCertified, partners_certified
from partner_tiers.records import CertificationRow, Partner
from partner_tiers.rules.certifications import Certification, role_text


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
    table = [
        row if not isinstance(row, CertificationRow) else table_of([row], language)[0]
        for row in rows
    ]
    return partners_certified(
        [p.name for p in partners],
        [p.tax_id for p in partners],
        [p.certified_sales for p in partners],
        [p.certified_engineers for p in partners],
        table,
        as_of,
        audit,
    )


def as_row(certification: Certification) -> CertificationRow:
    """A counted certification as a row of the Certifications sheet shows it."""
    return CertificationRow(
        certification.partner,
        certification.person,
        certification.role,
        certification.name,
        certification.valid_until,
        certification.tax_id,
    )
