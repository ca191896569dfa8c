"""A filled QBR scorecard for each partner of a filled portfolio review: the page that lies
on the table in each meeting, with nothing typed twice.

Each scorecard holds what the review holds of its partner: the partner block, revenue by
quarter in the program's currency (the review's amounts divided by its exchange rate, as its
formulas divide them), certifications, the partner's commitments from the Actions sheet and
its notes. Its formulas then compute the tier block and the chart from those, as the
review's do, so the figures are the review's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from partner_tiers.errors import PartnerTiersError
from partner_tiers.files.file_names import unique_stems
from partner_tiers.files.output import OutputExists
from partner_tiers.review.carry_over import PreviousReview, read_previous_review
from partner_tiers.review.certified_counts import certified
from partner_tiers.review.filled_review import partner_from_row, typed_certification
from partner_tiers.review.sales_fields import normalise_name, normalise_tax_id
from partner_tiers.wording import counted, shown
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.portfolio import Action, CertificationRow, Partner
from partner_tiers.workbooks.qbr import build_partner_qbr

AMOUNTS = ("revenue_prior_year", *layout.QUARTER_KEYS)


class UnknownPartner(PartnerTiersError, LookupError):
    """A --partner that names no partner of the review."""


@dataclass
class Scorecard:
    """One partner's scorecard, ready to build, and the name of its file (no extension)."""

    partner: Partner
    stem: str
    commitments: list[Action]
    left_out: int  # commitments beyond the scorecard's room (the review keeps them)
    at_audit: tuple[int | None, int | None] = (None, None)
    lapsing: list[CertificationRow] = field(default_factory=list)


@dataclass
class QbrPack:
    """The scorecards of a review, and what it takes from the review's settings."""

    review: PreviousReview
    scorecards: list[Scorecard]
    language: str

    def workbook(self, card: Scorecard) -> Workbook:
        review = self.review
        return build_partner_qbr(
            self.language,
            review.program,
            card.partner,
            review.fiscal_year,
            review.quarter,
            card.commitments,
            card.partner.notes,
            card.at_audit,
            review.audit_day,
            card.lapsing[: layout.QBR_LAPSING],
        )


def _in_program_currency(value: Any, rate: float | None) -> Any:
    """An amount of the review in the program's currency, divided as Excel divides it."""
    if rate is None or rate == 1 or not isinstance(value, int | float | Decimal):
        return value
    return float(value) / rate


def _partner(row: dict[str, Any], rate: float | None) -> Partner:
    values = {k: _in_program_currency(v, rate) if k in AMOUNTS else v for k, v in row.items()}
    return partner_from_row(values)


def _action(row: dict[str, Any]) -> Action:
    due = row.get("due")
    return Action(
        partner=str(row.get("partner") or ""),
        action=str(row.get("action") or ""),
        owner=row.get("owner"),
        due=due.date() if isinstance(due, dt.datetime) else due,
        status=row.get("status"),
    )


def _matches(partner: Partner, wanted: str) -> bool:
    """A --partner names this partner: its name (as partners are matched) or its tax id."""
    if normalise_name(partner.name or "") == normalise_name(wanted):
        return True
    tax_id = normalise_tax_id(wanted)
    has_digits = any(c.isdigit() for c in tax_id)  # a name is never taken for a tax id
    return has_digits and normalise_tax_id(partner.tax_id or "") == tax_id


def read_pack(path: Path | str, wanted: Sequence[str] = (), language: str | None = None) -> QbrPack:
    """The scorecards of the review at ``path``: every named partner's, or every partner's."""
    review = read_previous_review(path)
    partners = [_partner(row, review.exchange_rate) for row in review.partners if row.get("name")]
    if wanted:
        unknown = [w for w in wanted if not any(_matches(p, w) for p in partners)]
        if unknown:
            known = ", ".join(shown(p.name) for p in partners[:5])
            more = f" and {len(partners) - 5} more" if len(partners) > 5 else ""
            raise UnknownPartner(
                f"{Path(path).name} has no partner named {', '.join(map(shown, unknown))} "
                f"(by name or tax id); its partners: {known}{more}"
            )
        partners = [p for p in partners if any(_matches(p, w) for w in wanted)]
    actions = [_action(row) for row in review.actions if row.get("action")]
    certifications = [typed_certification(row) for row in review.certifications]
    cards = []
    for partner, stem in zip(partners, unique_stems(p.name for p in partners), strict=True):
        own = [a for a in actions if normalise_name(a.partner) == normalise_name(partner.name)]
        room = layout.QBR_COMMITMENTS
        card = Scorecard(partner, stem, own[:room], max(0, len(own) - room))
        _count_certifications(card, certifications, review)
        cards.append(card)
    return QbrPack(review, cards, language or review.language)


def _count_certifications(
    card: Scorecard, rows: Sequence[CertificationRow], review: PreviousReview
) -> None:
    """The partner's certified people now and at the audit, and those that lapse between."""
    partner = card.partner
    typed = (partner.certified_sales, partner.certified_engineers)
    found = certified(
        partner.name or "",
        typed,
        rows,
        review.language,
        review.certifications_as_of,
        review.audit_day,
    )
    if found.from_rows:
        partner.certified_sales, partner.certified_engineers = found.now
        card.at_audit = found.at_audit
    card.lapsing = found.lapsing


def targets(pack: QbrPack, folder: Path, values: bool) -> list[Path]:
    """Every file the pack writes into ``folder``: each scorecard, and its values copy."""
    files = []
    for card in pack.scorecards:
        files.append(folder / f"{card.stem}.xlsx")
        if values:
            files.append(folder / f"{card.stem}_values.xlsx")
    return files


def check_targets(files: Sequence[Path], overwrite: bool) -> None:
    """Nothing is written when one file exists (without ``overwrite``)."""
    if not overwrite:
        for path in files:
            if path.exists():
                raise OutputExists(path)


def left_out_notices(pack: QbrPack) -> list[str]:
    """What a scorecard has no room for, which the review keeps."""
    notices = []
    for card in pack.scorecards:
        if card.left_out:
            notices.append(
                f"{card.partner.name}: the scorecard holds {layout.QBR_COMMITMENTS} commitments; "
                f"{counted(card.left_out, 'more commitment')} stay in the review only"
            )
        if len(card.lapsing) > layout.QBR_LAPSING:
            notices.append(
                f"{card.partner.name}: the scorecard lists {layout.QBR_LAPSING} of its "
                f"{len(card.lapsing)} lapsing certifications, the soonest; the review has all"
            )
    return notices
