"""A filled QBR scorecard for each partner of a filled portfolio review: the page that lies
on the table in each meeting, with nothing typed twice.

Each scorecard holds what the review holds of its partner, as its cells were typed: the
partner block, the settings (program, year, quarter, exchange rate), revenue by quarter in
the review's revenue currency, the certified people counted by the Review's own path
(:mod:`.certified_counts`), the partner's commitments from the Actions sheet and its notes.
Its formulas are the Review's formula shapes, so the figures are the review's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from partner_tiers.errors import PartnerTiersError
from partner_tiers.excel.certified import PartnerCertified
from partner_tiers.files.file_names import unique_stems
from partner_tiers.files.output import OutputExists
from partner_tiers.records import Action, CertificationRow, Partner
from partner_tiers.review.carry_over import PreviousReview, read_previous_review
from partner_tiers.review.certified_counts import as_row, certified, in_other_roles
from partner_tiers.review.filled_review import partner_from_row
from partner_tiers.review.sales_fields import normalise_name, normalise_tax_id
from partner_tiers.rules import programs
from partner_tiers.texts import said
from partner_tiers.wording import counted, shown
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.layout import CERTIFICATIONS
from partner_tiers.workbooks.qbr import build_partner_qbr

# The settings a scorecard takes as the review's cells hold them, however they were typed:
# its formulas then read them as the review's do.
TYPED_SETTINGS = ("Program", "FiscalYear", "Quarter", "ExchangeRate")
VALUES_SUFFIX = "_values"  # a scorecard's values-only copy: NAME_values.xlsx


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
    roles_at_audit: dict[str, Any] = field(default_factory=dict)  # other roles, by metric


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
            {name: review.settings[name] for name in TYPED_SETTINGS if name in review.settings},
            _currency(review.settings.get("RevenueCurrency")),
            card.roles_at_audit,
        )


def _currency(value: Any) -> str | None:
    """The review's revenue currency, for the scorecard's number formats; None: the program's."""
    ok = isinstance(value, str) and len(value.strip()) == 3 and value.strip().isalpha()
    return value.strip().upper() if ok else None


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
    """A --partner names this partner: its tax id, or its name as partners are matched
    (case, accents, spaces and punctuation ignored: ``warta systems sa``)."""
    if normalise_name(partner.name or "") == normalise_name(wanted):
        return True
    tax_id = normalise_tax_id(wanted)
    has_digits = any(c.isdigit() for c in tax_id)  # a name is never taken for a tax id
    return has_digits and normalise_tax_id(partner.tax_id or "") == tax_id


def _chosen(partners: Sequence[Partner], wanted: str) -> list[int]:
    """The partners a --partner names: those it matches; else the one partner whose name
    starts with it as matched (``bajtnet`` for Bajt-Net Sp. z o.o.); several are refused."""
    exact = [i for i, p in enumerate(partners) if _matches(p, wanted)]
    if exact:
        return exact
    start = normalise_name(wanted)
    begins = [i for i, p in enumerate(partners) if normalise_name(p.name or "").startswith(start)]
    if len(begins) > 1:
        names = ", ".join(shown(partners[i].name) for i in begins[:5])
        raise UnknownPartner(
            f"--partner {shown(wanted)} is the start of several partners' names ({names}); "
            "give more of the name, or the tax id"
        )
    return begins


def read_pack(path: Path | str, wanted: Sequence[str] = (), language: str | None = None) -> QbrPack:
    """The scorecards of the review at ``path``: every named partner's, or every partner's."""
    review = read_previous_review(path)
    everyone = [partner_from_row(row) for row in review.partners if row.get("name")]
    if not everyone:
        raise UnknownPartner(
            f"{Path(path).name} has no partners on its Partners sheet; fill it in, or write the "
            "review from a sales export with partner-tiers review"
        )
    chosen = list(range(len(everyone)))
    if wanted:
        matched = {w: _chosen(everyone, w) for w in wanted}
        unknown = [w for w in wanted if not matched[w]]
        if unknown:
            known = ", ".join(shown(p.name) for p in everyone[:5])
            more = f" and {len(everyone) - 5} more" if len(everyone) > 5 else ""
            raise UnknownPartner(
                f"{Path(path).name} has no partner named {', '.join(map(shown, unknown))} "
                f"(by name or tax id); its partners: {known}{more}"
            )
        chosen = sorted({i for indexes in matched.values() for i in indexes})
    partners = [everyone[i] for i in chosen]
    people = _certified(everyone, chosen, review)
    others = _in_other_roles(everyone, chosen, review, review.certifications_as_of)
    at_audit = _in_other_roles(everyone, chosen, review, review.audit_day)
    actions = [_action(row) for row in review.actions if row.get("action")]
    # Every name of the run reserved at once: a scorecard and its values copy never take
    # another partner's file (Acme's Acme_values.xlsx, and a partner called Acme_values).
    stems = unique_stems((p.name for p in partners), suffixes=("", VALUES_SUFFIX))
    cards = []
    for at, (partner, found, stem) in enumerate(zip(partners, people, stems, strict=True)):
        for metric, column in others.items():  # another role: as CERTIFIED_IN_ROLE counts
            partner.metrics[metric] = column[at]
        roles_at_audit = {metric: column[at] for metric, column in at_audit.items()}
        own = [a for a in actions if normalise_name(a.partner) == normalise_name(partner.name)]
        room = layout.QBR_COMMITMENTS
        card = Scorecard(partner, stem, own[:room], max(0, len(own) - room))
        card.roles_at_audit = roles_at_audit
        if found is not None and found.from_rows:
            partner.certified_sales, partner.certified_engineers = found.now
            card.at_audit = found.at_audit
        card.lapsing = [] if found is None else [as_row(c) for c in found.lapsing]
        cards.append(card)
    return QbrPack(review, cards, language or review.language)


def _certified(
    everyone: list[Partner], chosen: list[int], review: PreviousReview
) -> list[PartnerCertified | None]:
    """The certified people of the chosen partners, counted among all the review's partners
    (a row's partner is found among them all) from the Certifications sheet's cells."""
    table = [[row.get(c.key) for c in CERTIFICATIONS.columns] for row in review.certifications]
    found = certified(
        everyone, table, review.language, review.certifications_as_of, review.audit_day
    )
    return [found[i] for i in chosen]


def _in_other_roles(
    everyone: list[Partner], chosen: list[int], review: PreviousReview, day: object
) -> dict[str, list[Any]]:
    """The chosen partners' people certified in each other role than sales and engineers
    on ``day``, counted among all the review's partners."""
    try:
        program = programs.get_program(review.program)
    except PartnerTiersError:
        return {}
    table = [[row.get(c.key) for c in CERTIFICATIONS.columns] for row in review.certifications]
    found = in_other_roles(program, everyone, table, review.language, day)
    return {name: [column[i] for i in chosen] for name, column in found.items()}


def targets(pack: QbrPack, folder: Path, values: bool) -> list[Path]:
    """Every file the pack writes into ``folder``: each scorecard, and its values copy."""
    files = []
    for card in pack.scorecards:
        files.append(folder / f"{card.stem}.xlsx")
        if values:
            files.append(folder / f"{card.stem}{VALUES_SUFFIX}.xlsx")
    return files


def check_targets(files: Sequence[Path], overwrite: bool) -> None:
    """Nothing is written when one file exists (without ``overwrite``)."""
    if not overwrite:
        for path in files:
            if path.exists():
                raise OutputExists(path)


def left_out_notices(pack: QbrPack) -> list[str]:
    """What a scorecard has no room for, which the review keeps."""
    notices: list[str] = []
    for card in pack.scorecards:
        if card.left_out:
            notices.append(
                said(
                    "commitments_left_out",
                    name=card.partner.name,
                    room=layout.QBR_COMMITMENTS,
                    more=counted(card.left_out, "more commitment"),
                    n=card.left_out,
                )
            )
        if len(card.lapsing) > layout.QBR_LAPSING:
            notices.append(
                said(
                    "lapsing_left_out",
                    name=card.partner.name,
                    room=layout.QBR_LAPSING,
                    n=len(card.lapsing),
                )
            )
    return notices
