"""A portfolio at a glance: partners per tier now and projected, who is close, who is at risk.

The same figures the review workbook's Review and Dashboard sheets compute, from the same
rules and the same reading of the typed cells, for the terminal.

>>> from partner_tiers.rules.programs import get_program
>>> partners = [Partner("Acme", revenue_prior_year=59000, revenue_quarters=[30000, 10000]),
...             Partner("Beta", revenue_prior_year=12000, revenue_quarters=[1000, None])]
>>> s = summarise(get_program("sophos-2019"), 2, partners)
>>> s.now["Silver"], s.projected["Gold"], s.projected["Authorized"]
(2, 1, 1)
>>> [(c.name, c.next_tier, c.gap) for c in s.closest]
[('Acme', 'Gold', Decimal('1000.00')), ('Beta', 'Gold', Decimal('48000.00'))]
>>> [(r.name, r.tier, r.projected_tier) for r in s.at_risk]
[('Beta', 'Silver', 'Authorized')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from partner_tiers.excel import cells
from partner_tiers.records import CertificationRow, Partner
from partner_tiers.review.certified_counts import as_row, certified, in_other_roles
from partner_tiers.rules.explanations import explain, format_numbers, heading_below, points_up
from partner_tiers.rules.metrics import Exact
from partner_tiers.rules.program import Program, Unpublished
from partner_tiers.rules.projection import Projection, project, projected_metric_levels
from partner_tiers.rules.tiers import (
    Assessment,
    assess,
    assess_values,
    gap_metric,
    metric_row,
    tier_change,
    typed_metrics,
)
from partner_tiers.texts import label, said
from partner_tiers.wording import counted
from partner_tiers.workbooks import layout


@dataclass(frozen=True)
class Standing:
    name: str
    tier: str
    next_tier: str | None
    gap: Decimal
    projected_tier: str | None  # None: a program of another shape, not projected yet
    sentence: str = ""  # TIER_EXPLAIN's sentence, as the Review and the QBR show it
    certified: tuple[int | None, int | None] = (None, None)  # (sales, engineers) today


@dataclass(frozen=True)
class Summary:
    program: Program
    quarter: int
    now: dict[str, int]  # tier name -> partners, every tier, lowest first
    projected: dict[str, int]
    closest: list[Standing]  # smallest gap to the next tier first
    at_risk: list[Standing]  # projected below the current tier's threshold
    unknown: int  # partners without a prior-year revenue (or a count) the rules can read
    moved: tuple[int, int] | None = None  # (up, down) against the edition this one replaces
    audit_day: dt.date | None = None
    # Partners with certifications that lapse before the audit: (name, the rows, the tier
    # projected if they were renewed when it differs from the projected one, else None).
    lapsing: list[tuple[str, list[CertificationRow], str | None]] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)  # every partner with a tier
    projects: bool = True  # False: a program of another shape, not projected yet


def amount(value: object) -> Decimal | None:
    """A typed amount as the add-in's functions read it; None for a blank or text."""
    try:
        return cells.number(value, "amount")
    except cells.CellError:
        return None


def year_to_date(partner: Partner, quarter: int) -> Decimal:
    """Revenue of the fiscal year up to ``quarter``, as the Review's year-to-date column adds
    it: a blank or text quarter counts as 0."""
    quarters = partner.revenue_quarters[:quarter]
    return sum((amount(v) or Decimal(0) for v in quarters), Decimal(0))


def _counts(values: tuple[Any, Any]) -> tuple[int | None, int | None] | None:
    """Certified counts as the add-in's functions read them; None when one is unreadable
    (the Review shows its message)."""
    try:
        return cells.count(values[0], "certified_sales"), cells.count(
            values[1], "certified_engineers"
        )
    except cells.CellError:
        return None


def summarise(
    program: Program,
    quarter: int,
    partners: Sequence[Partner],
    replaced: Program | None = None,
    certifications: Sequence[CertificationRow] = (),
    language: str = "en",
    days: tuple[dt.date, dt.date] | None = None,
) -> Summary:
    """Assess and project every named partner the way the Review sheet does: amounts in the
    program currency, a blank or text quarter as 0, a prior year that is no number unknown,
    and the certified people counted on the review's ``days`` (as of, audit) from the
    ``certifications`` rows by the Review's own path (:mod:`.certified_counts`).

    With ``replaced`` (the edition ``program`` replaces), also count the partners the
    change of rules moves up and down.
    """
    as_of, audit = days or (None, None)
    named = [p for p in partners if p.name]
    found = certified(named, certifications, language, as_of, audit)
    if typed_metrics(program):
        others = in_other_roles(program, named, certifications, language, as_of)
        at_audit = in_other_roles(program, named, certifications, language, audit)
        return _by_metrics(program, quarter, named, found, (others, at_audit), language, audit)
    lapse: list[tuple[str, list[CertificationRow], str | None]] = []
    up = down = 0
    now = {t.name: 0 for t in program.tiers}
    projected = dict(now)
    standings, risky, everyone, unknown = [], [], [], 0
    for p, people in zip(named, found, strict=True):
        assert people is not None  # every partner here has a name
        revenue = amount(p.revenue_prior_year)
        counts_now, counts_audit = _counts(people.now), _counts(people.at_audit)
        if counts_now is None or counts_audit is None:
            unknown += 1
            continue
        sales, engineers = counts_now
        a = None if revenue is None else assess(program, revenue, sales, engineers)
        ytd = year_to_date(p, quarter)

        def projected_with(
            counts: tuple[int | None, int | None], a: Any = a, ytd: Decimal = ytd
        ) -> Projection:
            return project(
                program,
                ytd,
                quarter,
                current_tier=None if a is None else a.tier,
                certified_sales=counts[0],
                certified_engineers=counts[1],
            )

        projection = projected_with(counts_audit)  # the year's end is the audit
        if people.lapsing:
            renewed = projected_with(counts_now).projected_tier
            differs = renewed != projection.projected_tier
            rows = [as_row(c) for c in people.lapsing]
            lapse.append((p.name, rows, renewed.name if differs else None))
        projected[projection.projected_tier.name] += 1
        if revenue is None or a is None:
            unknown += 1
            continue
        now[a.tier.name] += 1
        if replaced is not None:
            change = tier_change(revenue, replaced, program, sales, engineers)
            up, down = up + (change > 0), down + (change < 0)
        sentence = explain(a, language, ytd, quarter)
        standing = _standing(p, a, projection.projected_tier.name, sentence, counts_now)
        gap = standing.gap
        everyone.append(standing)
        if a.next_tier is not None and gap > 0:
            standings.append(standing)
        if projection.at_risk:
            risky.append(standing)
    standings.sort(key=lambda s: s.gap)
    moved = (up, down) if replaced is not None else None
    return Summary(
        program,
        quarter,
        now,
        projected,
        standings[: layout.CLOSEST_PARTNERS],
        risky,
        unknown,
        moved,
        audit,
        lapse,
        everyone,
    )


def _standing(
    partner: Partner,
    a: Assessment,
    projected: str | None,
    sentence: str,
    counts: tuple[int | None, int | None],
) -> Standing:
    """A partner's line of the summary: its gap in points for a score program."""
    gap = a.revenue_gap if a.points_gap is None else points_up(a.points_gap)
    next_tier = None if a.next_tier is None else a.next_tier.name
    return Standing(partner.name, a.tier.name, next_tier, gap, projected, sentence, counts)


def metric_values(
    program: Program,
    partner: Partner,
    counts: tuple[int | None, int | None],
    others: dict[str, Any] | None = None,
    revenue: object = None,
) -> dict[str, Exact] | None:
    """A partner's values of the metrics ``program`` reads, as the Review's table of
    metrics reads its cells (certified sales people and engineers: ``counts``, as
    CERTIFIED_PEOPLE counts them; another role: ``others``, as CERTIFIED_IN_ROLE does);
    None when one is unreadable, or an amount is empty (the Review shows the message).
    ``revenue`` stands for the prior year's where given (this year's so far, projected)."""
    values: dict[str, Exact] = {}
    at = {"certified_sales": 0, "certified_engineers": 1}
    for metric in program.read_metrics():
        if metric.name == "revenue":
            raw: object = partner.revenue_prior_year if revenue is None else revenue
        elif metric.name in at:
            raw = counts[at[metric.name]]
        elif others is not None and metric.name in others:
            raw = others[metric.name]
        else:
            raw = partner.metrics.get(metric.name)
        try:
            value = cells.metric_value(metric, raw)
        except cells.CellError:
            return None
        if value is None and not metric.blank_is_zero:
            return None
        values[metric.name] = 0 if value is None else value
    return values


def _by_metrics(
    program: Program,
    quarter: int,
    named: Sequence[Partner],
    found: Sequence[Any],
    others: tuple[dict[str, list[Any]], dict[str, list[Any]]],
    language: str,
    audit: dt.date | None,
) -> Summary:
    """:func:`summarise` for a program of another shape: each partner's tier from its
    metrics, the gap in the program's gap metric (or points), and, where the review
    projects it, the tier of this year's values (people of the audit day) and the risk."""
    now = {t.name: 0 for t in program.tiers}
    projects = layout.projects_in_review(program)
    projected = dict(now) if projects else {}
    closest, everyone, risky, unknown = [], [], [], 0
    for i, (p, people) in enumerate(zip(named, found, strict=True)):
        counts = _counts(people.now)
        roles = {name: column[i] for name, column in others[0].items()}
        values = None if counts is None else metric_values(program, p, counts, roles)
        heading: str | None = None
        if projects:
            heading = _projected_by_metrics(program, quarter, p, people, others[1], i)
            if heading is not None:
                projected[heading] += 1
        try:
            a = None if values is None else assess_values(program, values)
        except Unpublished:
            a = None
        if a is None:
            unknown += 1
            continue
        now[a.tier.name] += 1
        below = heading is not None and program.level(heading) < a.level
        # As the Review's sentence: where the year heads, for a partner at risk.
        sentence = (
            heading_below(a, heading, language) if below and heading else explain(a, language)
        )
        standing = _standing(p, a, heading, sentence, counts or (None, None))
        gap = standing.gap
        if below:
            risky.append(standing)
        everyone.append(standing)
        if a.next_tier is not None and gap > 0:
            closest.append(standing)
    closest.sort(key=lambda s: s.gap)
    top = closest[: layout.CLOSEST_PARTNERS]
    return Summary(
        program, quarter, now, projected, top, risky, unknown, None, audit, [], everyone, projects
    )


def _projected_by_metrics(
    program: Program,
    quarter: int,
    partner: Partner,
    people: Any,
    at_audit: dict[str, list[Any]],
    at: int,
) -> str | None:
    """The projected tier of a partner of a program of another shape, as the Review's table
    of this year's values gives it; None where that table has no answer for it."""
    counts = _counts(people.at_audit)
    roles = {name: column[at] for name, column in at_audit.items()}
    ytd = year_to_date(partner, quarter)
    values = None if counts is None else metric_values(program, partner, counts, roles, ytd)
    if values is None:
        return None
    row = metric_row(program, values)
    [level], unpublished = projected_metric_levels(program, [row], quarter)
    return None if level is None or unpublished else program.tiers[level].name


def format_summary(summary: Summary, language: str = "en") -> str:
    """The summary as plain-text tables for a terminal, in ``language``."""

    def say(key: str, **values: object) -> str:
        return said(key, **values).in_language(language)

    program = summary.program
    width = max(len(t.name) for t in program.tiers) + 2
    lines = [say("summary_title", id=program.id, name=program.name, quarter=summary.quarter), ""]
    tier, now, projected = say("summary_header").split("|")
    if not summary.projects:  # a program of another shape: no projection yet
        projected = ""
    lines.append(f"{tier:<{width}}{now:>6}{projected:>11}".rstrip())
    for t in reversed(program.tiers):
        ahead = summary.projected.get(t.name, "")
        lines.append(f"{t.name:<{width}}{summary.now[t.name]:>6}{ahead:>11}".rstrip())
    if summary.unknown and typed_metrics(program):  # a program of another shape
        read = ", ".join(m.words.header_in(language).lower() for m in program.read_metrics())
        partners = counted(summary.unknown, "partner")
        lines.append(
            say("summary_unknown_metrics", partners=partners, metrics=read, n=summary.unknown)
        )
    elif summary.unknown:
        lines.append(
            say(
                "summary_unknown",
                partners=counted(summary.unknown, "partner"),
                n=summary.unknown,
            )
        )
    if summary.moved is not None:
        up, down = summary.moved
        lines.append(
            say(
                "summary_moved",
                previous=program.replaces,
                up=counted(up, "partner"),
                n=up,
                down=down,
            )
        )
    if summary.closest:
        unit = program.currency
        measured = gap_metric(program)
        if measured is None:
            unit = label("points", language).lower()
        elif measured.name != "revenue":
            unit = f"{program.currency}, {measured.words.header_in(language).lower()}"
        lines += ["", say("summary_closest", currency=unit)]
        name_width = max(len(s.name) for s in summary.closest) + 2
        gaps = format_numbers([int(s.gap.scaleb(2)) for s in summary.closest], language)
        for s, gap in zip(summary.closest, gaps, strict=True):
            lines.append(f"  {s.name:<{name_width}}{s.tier} -> {s.next_tier}: {gap}")
    if summary.projects:
        lines += ["", say("summary_at_risk", n=len(summary.at_risk))]
    for s in summary.at_risk:
        line = say("summary_heading_for", name=s.name, tier=s.projected_tier, sentence="")
        lines.append(f"  {line}{s.sentence}")
    if not summary.at_risk and summary.projects:
        lines.append(f"  {say('summary_none')}")
    if summary.lapsing:
        total = sum(len(rows) for _, rows, _ in summary.lapsing)
        lines += ["", say("summary_lapsing", day=summary.audit_day, n=total)]
        for name, rows, renewed in summary.lapsing:
            ending = "; ".join(
                say(
                    "summary_lapse",
                    person=r.person,
                    certification=r.certification,
                    day=r.valid_until,
                )
                for r in rows
            )
            costs = say("summary_renewed", tier=renewed) if renewed else ""
            lines.append(f"  {name}: {ending}{costs}")
    return "\n".join(lines)
