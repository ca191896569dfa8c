"""A portfolio review filled from a sales export, keeping what the last review had typed in.

The export decides revenue for the period it covers; people decide everything else. For a
partner in both the export and the previous review, each hand-typed cell (account manager,
certifications, MSP, notes, tax id) is kept and the export only fills what was empty. Revenue
of the quarters the export covers comes from the export; of any other quarter of the same
fiscal year, from the previous review (a Q2 export keeps Q1). A partner of the previous
review that the export lacks stays, marked "In sales export: No", with 0 for the quarters the
export covers; a partner new since a review of the same fiscal year gets 0 for the periods
that review held. Every action stays. A negative revenue total of a year (prior or this one so
far) is refused after the merge: a quarter may be negative, a year may not.

>>> from decimal import Decimal
>>> from partner_tiers.records import Partner
>>> rows = merge_partners([Partner("Acme", revenue_prior_year=Decimal(5))], None, 2026)
>>> rows[0].name, rows[0].revenue_prior_year, rows[0].in_export
('Acme', Decimal('5'), True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from openpyxl import Workbook

from partner_tiers import texts
from partner_tiers.errors import BadValue, PartnerTiersError
from partner_tiers.records import Action, CertificationRow, Partner, Settings
from partner_tiers.review.carry_over import PreviousReview
from partner_tiers.review.periods import Coverage
from partner_tiers.review.sales_fields import (
    PartnerIndex,
    normalise_name,
    normalise_tax_id,
    yes_no,
)
from partner_tiers.review.summary import amount, metric_values, year_to_date
from partner_tiers.rules import programs
from partner_tiers.rules.certifications import program_audit_day, role_named
from partner_tiers.rules.fiscal_year import quarter_end
from partner_tiers.rules.program import Program, Unpublished
from partner_tiers.rules.projection import project
from partner_tiers.rules.tiers import assess, assess_values, typed_metrics
from partner_tiers.texts import said
from partner_tiers.wording import counted, shown
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.portfolio import build_portfolio_review

CERTIFICATION_FIELDS = fields(CertificationRow)
SPARE_ROWS = 10  # empty partner rows below the last one, for partners added in a meeting
HAND_TYPED = ("tax_id", "account_manager", "certified_sales", "certified_engineers", "msp", "notes")
REVENUE = ("revenue_prior_year", *layout.QUARTER_KEYS)


@dataclass
class FilledReview:
    workbook: Workbook
    partners: list[Partner]
    notices: list[str] = field(default_factory=list)
    absent: int = 0  # kept from the previous review, not in the export
    certifications: list[CertificationRow] = field(default_factory=list)
    days: tuple[dt.date, dt.date] | None = None  # (certifications as of, audit day)
    warnings: list[str] = field(default_factory=list)  # what changes a figure: said first


def _flag(value: Any) -> Any:
    """A Yes/No cell (either language, or any word the sales import takes for yes or no) as
    a bool; anything else stays as typed."""
    try:
        return yes_no(value) if isinstance(value, str) else value
    except BadValue:
        return value


def _typed_keys(*rows: dict[str, Any]) -> list[str]:
    """The hand-typed cells: HAND_TYPED's, and each metric column any of ``rows`` has."""
    metrics = {k for row in rows for k in row if k.startswith(layout.METRIC_KEY)}
    return [*HAND_TYPED, *sorted(metrics)]


def _what(key: str, language: str) -> str:
    """A column's name in a sentence: its label, or a metric's name in words."""
    if key.startswith(layout.METRIC_KEY):
        return key.removeprefix(layout.METRIC_KEY).replace("_", " ")
    return texts.label(key, language).lower()


def partner_from_row(
    values: dict[str, Any], in_export: bool | None = None, lines: Sequence[int] = ()
) -> Partner:
    """A partner from its Partners row as carry-over reads it (cells by column key)."""

    def cell(key: str) -> Any:  # a value as typed in the review, None for a blank
        return values.get(key)

    return Partner(
        name=cell("name"),
        tax_id=values.get("tax_id"),
        account_manager=values.get("account_manager"),
        revenue_prior_year=values.get("revenue_prior_year"),
        revenue_quarters=[cell(k) for k in layout.QUARTER_KEYS],
        certified_sales=values.get("certified_sales"),
        certified_engineers=values.get("certified_engineers"),
        msp=_flag(values.get("msp")),
        notes=values.get("notes"),
        in_export=in_export,
        lines=list(lines),
        metrics={
            k.removeprefix(layout.METRIC_KEY): _flag(v)
            for k, v in values.items()
            if k.startswith(layout.METRIC_KEY)
        },
    )


def covered_keys(coverage: Coverage, fiscal_year: int, quarter: int) -> frozenset[str]:
    """The revenue columns of a review whose figures the export gives: the quarters it covers
    up to ``quarter``, and the prior year when it covers all of it."""
    keys = {
        k
        for q, k in enumerate(layout.QUARTER_KEYS, 1)
        if q <= quarter and coverage.covers(fiscal_year, q)
    }
    if coverage.covers_year(fiscal_year - 1):
        keys.add("revenue_prior_year")
    return frozenset(keys)


@dataclass(frozen=True)
class Renamed:
    """A partner of the previous review that the export names otherwise, by its tax id."""

    old: str
    new: str
    tax_id: str


def merge_partners(
    exported: Sequence[Partner],
    previous: PreviousReview | None,
    fiscal_year: int,
    notices: list[str] | None = None,
    covered: frozenset[str] | None = None,
    renamed: list[Renamed] | None = None,
    zeroed: list[tuple[Partner, Partner]] | None = None,
) -> list[Partner]:
    """The review's partner rows: the export's partners merged with the previous review's.

    ``covered`` names the revenue columns the export gives (:func:`covered_keys`); None: those
    it has a figure for. A partner the export names otherwise than the previous review (the
    same tax id) takes the export's name and is added to ``renamed``. A partner of the
    previous review absent from the export gets 0 for the periods the export covers (added
    to ``zeroed``, before and after), unless it was typed in by hand and never exported:
    then every figure typed stays.
    """
    notices = [] if notices is None else notices
    renamed = [] if renamed is None else renamed
    earlier = previous.partners if previous else []
    same_year = previous is not None and previous.fiscal_year == fiscal_year
    unmatched: PartnerIndex[dict[str, Any]] = PartnerIndex()  # each row matched once
    for row in earlier:
        name = str(row.get("name", ""))
        twin = unmatched.find(name, row.get("tax_id")) if name else None
        if twin is None:
            unmatched.add(name, row.get("tax_id"), row)
        else:
            _merge_typed_twice(twin, row, previous, notices)
    rows: list[tuple[str, Partner]] = []
    for p in exported:
        values: dict[str, Any] = layout.partner_row(p)
        typed = unmatched.take(p.name, p.tax_id)
        if typed is None and same_year and previous and previous.quarter and covered is not None:
            # New since the previous review, which holds every exported partner's revenue of
            # the prior year and its quarters: this one sold nothing then.
            held = ("revenue_prior_year", *layout.QUARTER_KEYS[: previous.quarter])
            for key in held:
                if key not in covered and values.get(key) is None:
                    values[key] = 0
        if typed is not None:
            old = str(typed.get("name") or "")
            if old and normalise_name(old) != normalise_name(p.name) and p.tax_id:
                renamed.append(Renamed(old, p.name, str(p.tax_id)))
            for key in _typed_keys(typed, values):
                if key in typed:
                    if values.get(key) is not None and not _agree(key, typed[key], values[key]):
                        notices.append(
                            said(
                                "kept_typed",
                                name=p.name,
                                what=_what(key, "en"),
                                what_pl=_what(key, "pl"),
                                typed=shown(typed[key]),
                                exported=shown(values[key]),
                            )
                        )
                    values[key] = typed[key]
            hand_added = _flag(typed.get("in_export")) is None  # typed in, never exported
            for key in REVENUE:
                export_gives = values.get(key) is not None if covered is None else key in covered
                kept = typed.get(key)
                if not export_gives and kept is not None and same_year:
                    values[key] = kept
                elif hand_added and same_year and kept not in (None, 0) and not values.get(key):
                    notices.append(
                        said(
                            "kept_hand_typed",
                            name=p.name,
                            what=texts.label(key, "en").lower(),
                            what_pl=texts.label(key, "pl").lower(),
                            kept=shown(kept),
                            has=shown(values.get(key) or 0),
                        )
                    )
                    values[key] = kept
        rows.append((normalise_name(p.name), partner_from_row(values, True, p.lines)))
    for typed in unmatched:  # not in this export, in the previous review's order
        values = dict(typed)
        if not same_year:
            dropped = [k for k in REVENUE if values.pop(k, None) is not None]
            if dropped:
                notices.append(said("other_year_revenue", name=typed.get("name")))
        elif typed.get("name") and _flag(typed.get("in_export")) is None:
            pass  # typed in by hand, never in an export: every figure stays as typed
        elif typed.get("name"):
            before = dict(values)
            for key in sorted(covered or (), key=REVENUE.index):  # no sale in a covered period
                if values.get(key) not in (None, 0):
                    notices.append(
                        said(
                            "now_zero",
                            name=typed.get("name"),
                            what=texts.label(key, "en"),
                            what_pl=texts.label(key, "pl"),
                            value=values[key],
                        )
                    )
                values[key] = 0
            if zeroed is not None and before != values:
                zeroed.append((partner_from_row(before), partner_from_row(values)))
        in_export = False if typed.get("name") else None
        rows.append(
            (normalise_name(str(typed.get("name", ""))), partner_from_row(values, in_export))
        )
    rows.sort(key=lambda r: r[0])  # stable: same names keep their order
    return [partner for _, partner in rows]


def _agree(key: str, typed: Any, exported: Any) -> bool:
    """Whether a typed cell says what the export says: a Yes/No by its meaning, a number
    by its value, text as written."""
    if key == "msp" or isinstance(exported, bool):  # a metric's yes/no too
        return _flag(typed) == exported
    return bool(typed == exported)


class TypedTwice(PartnerTiersError, ValueError):
    """The previous review holds one partner on two rows that disagree."""


def _merge_typed_twice(
    first: dict[str, Any], second: dict[str, Any], previous: Any, notices: list[str]
) -> None:
    """One partner typed on two rows of the previous review: one row, when they agree on
    every cell both have (said in a notice); :class:`TypedTwice` when they do not."""
    differ = [k for k in second if k in first and first[k] != second[k] and k != "name"]
    if differ:
        key = differ[0]
        raise TypedTwice(
            f"{previous.path}: {first.get('name')!r} is on two Partners rows with different "
            f"{texts.label(key, 'en').lower()} ({first[key]!r} and {second[key]!r}); keep one "
            "row, or tell the two apart by their tax ids or names, and run again"
        )
    for key, value in second.items():  # the first row's name as it was typed
        first.setdefault(key, value)
    notices.append(said("merged_twice", name=first.get("name")))


def _tier_change(
    program: Program, quarter: int, before: Partner, after: Partner
) -> tuple[str, str]:
    """How the current and projected tiers of a partner change from ``before`` to ``after``
    (its typed certification counts alike), in English and Polish; "" when neither does."""

    def tiers(p: Partner) -> tuple[str | None, str | None]:
        counts = [
            c if isinstance(c, int) else None for c in (p.certified_sales, p.certified_engineers)
        ]
        if typed_metrics(program):  # a program of another shape: no projection yet
            values = metric_values(program, p, (counts[0], counts[1]))
            try:
                found = None if values is None else assess_values(program, values)
            except Unpublished:
                found = None
            return (None if found is None else found.tier.name), None
        revenue = amount(p.revenue_prior_year)
        now = None if revenue is None else assess(program, revenue, *counts).tier.name
        ytd = year_to_date(p, quarter)
        projected = project(
            program, ytd, quarter, certified_sales=counts[0], certified_engineers=counts[1]
        )
        return now, projected.projected_tier.name

    (now_before, projected_before), (now_after, projected_after) = tiers(before), tiers(after)
    changes, changes_pl = [], []
    if now_before != now_after:
        changes.append(f"drops from {now_before} to {now_after}")
        changes_pl.append(f"spada z poziomu {now_before} do {now_after}")
    if projected_before != projected_after:
        changes.append(f"is projected {projected_after}, not {projected_before}")
        changes_pl.append(f"prognoza to {projected_after}, nie {projected_before}")
    return " and ".join(changes), " i ".join(changes_pl)


class NegativeTotals(PartnerTiersError, ValueError):
    """Partners whose revenue of a year is below zero; ``lines`` are their export lines."""

    def __init__(self, problems: list[str], lines: set[int]) -> None:
        super().__init__("; ".join(problems))
        self.problems, self.lines = problems, lines

    def without(self, exported: Sequence[Partner]) -> list[Partner]:
        """The exported partners but these (what ``--skip-bad`` keeps)."""
        return [p for p in exported if not self.lines.intersection(p.lines)]


def negative_totals(partners: Sequence[Partner], quarter: int) -> NegativeTotals | None:
    """The partners whose prior-year revenue, or revenue of this year up to ``quarter``, is
    below zero (credit notes outweighing sales), named with their rows of the export."""
    problems, lines = [], set()
    for partner in partners:
        for label, total in (
            ("prior-year revenue", amount(partner.revenue_prior_year)),
            (f"revenue this year to Q{quarter}", year_to_date(partner, quarter)),
        ):
            if total is not None and total < 0:
                shown = ", ".join(map(str, partner.lines[:10]))
                where = f" (export lines {shown})" if partner.lines else ""
                problems.append(
                    f"{partner.name}: {label} is {total:,.2f}, below zero{where}; "
                    "check its credit notes"
                )
                lines.update(partner.lines)
    return NegativeTotals(problems, lines) if problems else None


def typed_certification(row: dict[str, Any], program: Program | None = None) -> CertificationRow:
    """A Certifications row as carry-over read it: every typed cell kept, a role that names
    one of ``program``'s (any of its words, either language) as its key."""
    return CertificationRow(
        partner=row.get("partner"),  # type: ignore[arg-type]  # a row may lack its partner
        person=row.get("person"),
        role=role_named(row.get("role"), program) or row.get("role"),
        certification=row.get("certification"),
        valid_until=row.get("valid_until"),
        tax_id=row.get("tax_id"),
    )


def _same(row: CertificationRow) -> tuple[Any, ...]:
    """What makes two rows one certification: partner, person, role, name, date, tax id."""
    return tuple(
        getattr(row, f.name).strip().casefold()
        if isinstance(getattr(row, f.name), str)
        else getattr(row, f.name)
        for f in CERTIFICATION_FIELDS
    )


def merge_certifications(
    typed: Sequence[CertificationRow], imported: Sequence[CertificationRow], notices: list[str]
) -> list[CertificationRow]:
    """The typed rows, then each imported row that is not one of them already, nor an
    earlier row of the export (a row exported twice is one certification)."""
    earlier = {_same(row) for row in typed}
    seen, new, repeated = set(earlier), [], 0
    for row in imported:
        key = _same(row)
        if key not in seen:
            seen.add(key)
            new.append(row)
        elif key not in earlier:
            repeated += 1
    kept = len(imported) - len(new) - repeated
    if kept:
        notices.append(
            said("certifications_already", certifications=counted(kept, "certification"), n=kept)
        )
    if repeated:
        notices.append(
            said(
                "certifications_repeated",
                certifications=counted(repeated, "certification"),
                n=repeated,
            )
        )
    return [*typed, *new]


def follow_renamed(
    renamed: Sequence[Renamed],
    certifications: list[CertificationRow],
    actions: list[Action],
    notices: list[str],
) -> tuple[list[CertificationRow], list[Action]]:
    """The certification rows and actions of a renamed partner under its new name (with its
    tax id on each certification row, which then decides whose it is), each move said."""
    for change in renamed:

        def moves(name: object, tax_id: object = None, change: Renamed = change) -> bool:
            theirs = not tax_id or normalise_tax_id(tax_id) == normalise_tax_id(change.tax_id)
            same = isinstance(name, str) and normalise_name(name) == normalise_name(change.old)
            return same and theirs

        rows = sum(1 for c in certifications if moves(c.partner, c.tax_id))
        acts = sum(1 for a in actions if moves(a.partner))
        certifications = [
            replace(c, partner=change.new, tax_id=c.tax_id or change.tax_id)
            if moves(c.partner, c.tax_id)
            else c
            for c in certifications
        ]
        actions = [replace(a, partner=change.new) if moves(a.partner) else a for a in actions]
        moved = [
            counted(rows, "certification row") if rows else "",
            counted(acts, "action") if acts else "",
        ]
        what = " and ".join(m for m in moved if m)
        what_pl = ", ".join(
            f"{kind}: {n}" for kind, n in (("wiersze certyfikatów", rows), ("działania", acts)) if n
        )
        notices.append(
            said(
                "renamed_moved" if what else "renamed",
                old=change.old,
                new=change.new,
                tax_id=change.tax_id,
                what=what,
                what_pl=what_pl,
            )
        )
    return certifications, actions


def fill_review(
    exported: Sequence[Partner],
    program_id: str | None,
    fiscal_year: int,
    quarter: int,
    language: str = "en",
    previous: PreviousReview | None = None,
    reviewer: str | None = None,
    coverage: Coverage | None = None,
    certifications: Sequence[CertificationRow] = (),
) -> FilledReview:
    """Build the review workbook of ``exported`` (amounts in the program currency).

    ``coverage`` is the period the export covers (its revenue replaces that period's only);
    ``certifications`` are rows of a certification export, added to those typed into the
    previous review. Raises :class:`NegativeTotals` when a partner's revenue of a year is
    below zero.
    """
    program = programs.get_program(program_id)
    notices = list(previous.notices) if previous else []
    if previous and previous.program not in (None, program.id):
        notices.append(said("other_program", old=previous.program, new=program.id))
    covered = None if coverage is None else covered_keys(coverage, fiscal_year, quarter)
    renamed: list[Renamed] = []
    zeroed: list[tuple[Partner, Partner]] = []
    partners = merge_partners(exported, previous, fiscal_year, notices, covered, renamed, zeroed)
    warnings: list[str] = []
    if previous and previous.fiscal_year not in (None, fiscal_year):
        was = f"FY{previous.fiscal_year}" + (f" Q{previous.quarter}" if previous.quarter else "")
        warnings.append(
            said(
                "other_year",
                file=previous.path.name,
                was=was,
                year=fiscal_year,
                quarter=quarter,
            )
        )
    for before, after in zeroed:
        change, change_pl = _tier_change(program, quarter, before, after)
        if change:
            warnings.append(
                said("left_export", name=after.name, change=change, change_pl=change_pl)
            )
    negative = negative_totals(partners, quarter)
    if negative:
        raise negative
    actions = [
        Action(**{c.key: a.get(c.key) for c in layout.ACTIONS.columns})  # type: ignore[arg-type]
        for a in (previous.actions if previous else [])
    ]  # the typed cells of each action, as the Actions sheet holds them
    earlier = previous.certifications if previous else []
    typed = [typed_certification(row, program) for row in earlier]
    rows = merge_certifications(typed, certifications, notices)
    rows, actions = follow_renamed(renamed, rows, actions, notices)
    audit = program_audit_day(program, fiscal_year)
    as_of = quarter_end(fiscal_year, quarter, program.fiscal_start)
    settings = Settings(
        program=program.id,
        fiscal_year=fiscal_year,
        quarter=quarter,
        revenue_currency=program.currency,
        reviewer=reviewer or (previous.reviewer if previous else None),
        sales_period=None if coverage is None else coverage.explained(language),
        audit_day=audit,
        certifications_as_of=as_of,
    )
    wb = build_portfolio_review(
        language,
        settings,
        partners,
        actions,
        min_rows=len(partners) + SPARE_ROWS,
        certifications=rows,
    )
    absent = sum(1 for p in partners if p.in_export is False)
    return FilledReview(wb, partners, notices, absent, rows, (as_of, audit), warnings)
