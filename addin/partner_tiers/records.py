"""The records of a quarterly review, from the sales export to the workbook and back: one
partner, one commitment, one certification row, the review's settings.

The review workflow reads and merges them (:mod:`partner_tiers.review`), the builders write
them (:mod:`partner_tiers.workbooks`); they live below both, so that neither imports the
other for its data.

>>> Partner("Acme", revenue_prior_year=45000).revenue_quarters
[None, None, None, None]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

Amount = Decimal | float | int | None


@dataclass
class Partner:
    """One partner, the one record of it from the sales export to its row of the Partners
    sheet. Amounts are in the revenue currency of the settings: Decimal from an export, as
    typed when a review is read back."""

    name: str
    tax_id: str | None = None
    account_manager: str | None = None
    revenue_prior_year: Amount = None
    revenue_quarters: list[Amount] = field(default_factory=lambda: [None] * 4)
    certified_sales: int | None = None
    certified_engineers: int | None = None
    msp: bool | None = None
    notes: str | None = None
    in_export: bool | None = None  # No: kept from the previous review, absent from this export
    lines: list[int] = field(default_factory=list)  # the export's lines behind its figures
    # The values of the program's other metrics, by name (see rules.tiers.typed_metrics):
    # amounts as the revenue, counts whole, a yes/no as a bool, growth as a fraction.
    metrics: dict[str, Decimal | float | int | bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    """One commitment on the Actions sheet."""

    partner: str
    action: str
    owner: str | None = None
    due: dt.date | None = None
    status: str | None = None


@dataclass(frozen=True)
class CertificationRow:
    """One row of the Certifications sheet. ``role`` is a role of rules.certifications
    (written in the workbook's language) or, read back, whatever was typed."""

    partner: str
    person: str | None = None
    role: str | None = None
    certification: str | None = None
    valid_until: dt.date | None = None
    tax_id: str | None = None  # the partner's, which decides whose row it is


@dataclass(frozen=True)
class Settings:
    """The Start sheet's settings. No currency means the program's; no program the default."""

    program: str | None = None
    fiscal_year: int | None = None
    quarter: int | None = 1
    revenue_currency: str | None = None
    exchange_rate: Decimal = Decimal(1)
    reviewer: str | None = None
    sales_period: str | None = None  # what the sales export covered, said by the review command
    audit_day: dt.date | None = None
    certifications_as_of: dt.date | None = None
