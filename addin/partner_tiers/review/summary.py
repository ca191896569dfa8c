"""A portfolio at a glance: partners per tier now and projected, who is close, who is at risk.

The same figures the review workbook's Review and Dashboard sheets compute, from the same
rules, for the terminal. Pure Python: no files, no Excel.

>>> from partner_tiers.rules.programs import get_program
>>> figures = [PartnerFigures("Acme", Decimal(59000), Decimal(40000)),
...            PartnerFigures("Beta", Decimal(12000), Decimal(1000))]
>>> s = summarise(get_program("sophos-2019"), 2, figures)
>>> s.now["Silver"], s.projected["Gold"], s.projected["Authorized"]
(2, 1, 1)
>>> [(c.name, c.next_tier, c.gap) for c in s.closest]
[('Acme', 'Gold', Decimal('1000.00')), ('Beta', 'Gold', Decimal('48000.00'))]
>>> [(r.name, r.tier, r.projected_tier) for r in s.at_risk]
[('Beta', 'Silver', 'Authorized')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from partner_tiers.rules.program import Program
from partner_tiers.rules.projection import project
from partner_tiers.rules.tiers import assess, tier_change
from partner_tiers.wording import counted
from partner_tiers.workbooks import layout


@dataclass(frozen=True)
class PartnerFigures:
    """What the rules need of one partner, amounts in the program currency."""

    name: str
    revenue: Decimal | None  # prior fiscal year; None: unknown
    ytd_revenue: Decimal | None = None  # this fiscal year so far
    certified_sales: int | None = None
    certified_engineers: int | None = None


@dataclass(frozen=True)
class Standing:
    name: str
    tier: str
    next_tier: str | None
    gap: Decimal
    projected_tier: str | None


@dataclass(frozen=True)
class Summary:
    program: Program
    quarter: int
    now: dict[str, int]  # tier name -> partners, every tier, lowest first
    projected: dict[str, int]
    closest: list[Standing]  # smallest gap to the next tier first
    at_risk: list[Standing]  # projected below the current tier's threshold
    unknown: int  # partners without a prior-year revenue
    moved: tuple[int, int] | None = None  # (up, down) against the edition this one replaces


def summarise(
    program: Program,
    quarter: int,
    partners: Sequence[PartnerFigures],
    replaced: Program | None = None,
) -> Summary:
    """Assess and project every partner the way the Review sheet does.

    With ``replaced`` (the edition ``program`` replaces), also count the partners the
    change of rules moves up and down.
    """
    up = down = 0
    now = {t.name: 0 for t in program.tiers}
    projected = dict(now)
    standings, risky, unknown = [], [], 0
    for p in partners:
        counts = p.certified_sales, p.certified_engineers
        a = None if p.revenue is None else assess(program, p.revenue, *counts)
        projection = None
        if p.ytd_revenue is not None:
            projection = project(
                program,
                p.ytd_revenue,
                quarter,
                current_tier=None if a is None else a.tier,
                certified_sales=p.certified_sales,
                certified_engineers=p.certified_engineers,
            )
            projected[projection.projected_tier.name] += 1
        if p.revenue is None or a is None:
            unknown += 1
            continue
        now[a.tier.name] += 1
        if replaced is not None:
            change = tier_change(p.revenue, replaced, program, *counts)
            up, down = up + (change > 0), down + (change < 0)
        standing = Standing(
            p.name,
            a.tier.name,
            None if a.next_tier is None else a.next_tier.name,
            a.revenue_gap,
            None if projection is None else projection.projected_tier.name,
        )
        if a.next_tier is not None and a.revenue_gap > 0:
            standings.append(standing)
        if projection is not None and projection.at_risk:
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
    )


def format_summary(summary: Summary) -> str:
    """The summary as plain-text tables for a terminal."""
    program = summary.program
    width = max(len(t.name) for t in program.tiers) + 2
    lines = [f"{program.id} ({program.name}), after Q{summary.quarter}", ""]
    lines.append(f"{'Tier':<{width}}{'now':>6}{'projected':>11}")
    for tier in reversed(program.tiers):
        lines.append(
            f"{tier.name:<{width}}{summary.now[tier.name]:>6}{summary.projected[tier.name]:>11}"
        )
    if summary.unknown:
        lines.append(
            f"({counted(summary.unknown, 'partner')} without prior-year revenue have no tier)"
        )
    if summary.moved is not None:
        up, down = summary.moved
        lines.append(
            f"Against {program.replaces}'s rules: {counted(up, 'partner')} a tier "
            f"higher, {down:,} a tier lower"
        )
    if summary.closest:
        lines += ["", f"Closest to their next tier (gap in {program.currency}):"]
        name_width = max(len(s.name) for s in summary.closest) + 2
        for s in summary.closest:
            lines.append(f"  {s.name:<{name_width}}{s.tier} -> {s.next_tier}: {s.gap:,.2f}")
    lines += ["", f"At risk of demotion ({len(summary.at_risk)}):"]
    for s in summary.at_risk:
        lines.append(f"  {s.name}: {s.tier} now, heading for {s.projected_tier}")
    if not summary.at_risk:
        lines.append("  none")
    return "\n".join(lines)
