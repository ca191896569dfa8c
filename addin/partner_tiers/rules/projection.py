"""Where a partner's fiscal year is heading: the year run on at its rate so far.

A projection takes the revenue of the year's first quarters (year to date) and runs it on at
the same rate: after two quarters, 30,000 EUR projects to 60,000. The rules are written for a
column of partners in exact cents (see :mod:`partner_tiers.rules.tiers`), a single partner is
a column of one (:func:`project`). Comparisons with a threshold are exact: a run rate reaches
a threshold t exactly when ``ytd * 4 >= t * quarters``, with no division.

>>> from partner_tiers.rules.programs import get_program
>>> sophos = get_program("sophos-2019")
>>> ytd = [3_000_000, 1_000_000]                        # 30,000 and 10,000 EUR after Q2
>>> projected_levels(sophos, ytd, 2), at_risk(sophos, ytd, 2, current_level=2)
([2, 1], [False, True])
>>> required_per_quarter(sophos, ytd, 2)                 # (target level, cents per quarter)
[(3, 8500000), (2, 2500000)]

For one partner, in currency units:

>>> p = project(sophos, Decimal("30000"), 2, current_tier="Gold")
>>> p.projected_revenue, p.projected_tier.name, p.at_risk
(Decimal('60000.00'), 'Gold', False)
>>> p.target_tier.name, p.required_per_quarter       # 170,000 more in two quarters
('Platinum', Decimal('85000.00'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from partner_tiers.rules.fiscal_year import QUARTERS_PER_YEAR
from partner_tiers.rules.money import from_cents, to_cents
from partner_tiers.rules.program import Program, Tier, Unpublished
from partner_tiers.rules.tiers import Amounts, Row, levels, metric_levels

NO_QUARTER_LEFT = None  # what required_per_quarter gives when the year is over, target unmet


def projected_levels(
    program: Program,
    ytd_cents: Amounts,
    quarters_elapsed: int,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> list[int | None]:
    """Level of each partner's projected tier: the year-to-date revenue at its run rate."""
    _check_quarters(quarters_elapsed)
    if not program.is_ladder:  # the run rate, exactly, through the program's requirements
        rate = [
            None if c is None else Fraction(c * QUARTERS_PER_YEAR, quarters_elapsed)
            for c in ytd_cents
        ]
        return levels(program, rate, certified_sales, certified_engineers)
    # ytd * 4 / q reaches t exactly when ytd * 4 reaches t * q: the levels of ytd * 4 against
    # the thresholds times q, exact for any amount.
    scaled = [None if c is None else c * QUARTERS_PER_YEAR for c in ytd_cents]
    thresholds = program.thresholds_times(quarters_elapsed)
    return levels(program, scaled, certified_sales, certified_engineers, thresholds)


def required_per_quarter(
    program: Program,
    ytd_cents: Amounts,
    quarters_elapsed: int,
    target_level: int | None = None,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> list[tuple[int, int | None] | None]:
    """(target level, cents each remaining quarter must bring, rounded up) for each partner.

    The target is by default the tier above the projected one (the top tier when the
    projection reaches it). The cents are 0 once the target is reached, and
    :data:`NO_QUARTER_LEFT` (None) when no quarter remains to reach it.
    """
    _check_quarters(quarters_elapsed)
    remaining = QUARTERS_PER_YEAR - quarters_elapsed
    if target_level is None:
        projected = projected_levels(
            program, ytd_cents, quarters_elapsed, certified_sales, certified_engineers
        )
        targets = [None if p is None else min(p + 1, program.top) for p in projected]
    else:
        targets = [target_level] * len(ytd_cents)
    if program.is_ladder:
        thresholds = program.thresholds
    else:  # told when a target's revenue threshold is not published
        thresholds = tuple(
            program.floor(t) if t in set(targets) else 0 for t in range(program.top + 1)
        )
    answers: list[tuple[int, int | None] | None] = []
    for t, c in zip(targets, ytd_cents, strict=True):
        if t is None or c is None:
            answers.append(None)
        elif thresholds[t] <= c:
            answers.append((t, 0))
        elif remaining:
            # ceil(ceil(gap) / remaining) == ceil(gap / remaining): one rounding up suffices
            answers.append((t, int(-(-(thresholds[t] - c) // remaining))))
        else:
            answers.append((t, NO_QUARTER_LEFT))
    return answers


def at_risk(
    program: Program, ytd_cents: Amounts, quarters_elapsed: int, current_level: int
) -> list[bool | None]:
    """Whether each partner's run rate falls below its current tier's threshold: the
    demotion risk."""
    _check_quarters(quarters_elapsed)
    bar = program.floor(current_level) * quarters_elapsed
    return [None if c is None else c * QUARTERS_PER_YEAR < bar for c in ytd_cents]


def runs_on(program: Program) -> list[int]:
    """The positions (in ``program.metrics``) of the metrics a projection runs on at the
    year's rate: revenue of a prior fiscal year's window, of any scope. Everything else (a
    commitment, people, customers, a plan, growth, a trailing window) is taken as it stands.
    """
    return [
        i for i, m in enumerate(program.metrics) if m.kind == "revenue" and m.window == "prior_year"
    ]


def projected_metric_levels(
    program: Program, rows: Sequence[Row | None], quarters_elapsed: int
) -> tuple[list[int | None], dict[int, Unpublished]]:
    """The level of each partner's projected tier from its row of this year's values so
    far: each metric of :func:`runs_on` run on at its rate (exactly, ``ytd * 4 / q``), the
    rest as they stand; and the rows whose level hangs on an unpublished threshold.

    >>> from partner_tiers.rules.programs import get_program
    >>> projected_metric_levels(get_program("sophos-2019"), [[3_000_000], None], 2)
    ([2, None], {})
    """
    _check_quarters(quarters_elapsed)
    scaled = set(runs_on(program))
    rate = Fraction(QUARTERS_PER_YEAR, quarters_elapsed)
    projected: list[Row | None] = [
        None if row is None else [v * rate if i in scaled else v for i, v in enumerate(row)]
        for row in rows
    ]
    return metric_levels(program, projected)


def metric_at_risk(
    program: Program,
    rows: Sequence[Row | None],
    quarters_elapsed: int,
    current_levels: Sequence[int | None],
) -> tuple[list[bool | None], dict[int, Unpublished]]:
    """Whether each partner's projected tier (:func:`projected_metric_levels`) is below its
    current level: the demotion risk of a program of any shape."""
    projected, unpublished = projected_metric_levels(program, rows, quarters_elapsed)
    return [
        None if p is None or c is None else p < c
        for p, c in zip(projected, current_levels, strict=True)
    ], unpublished


def _check_quarters(quarters_elapsed: int) -> None:
    if not 1 <= quarters_elapsed <= QUARTERS_PER_YEAR:
        raise ValueError(f"quarters elapsed must be 1 to 4, not {quarters_elapsed}")


# --- one partner ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """The fiscal year of one partner run on at its current rate.

    ``projected_revenue`` is rounded down to the cent. ``required_per_quarter`` is what
    each remaining quarter must bring to reach ``target_tier``; None when no quarter remains
    and the target was not reached. ``at_risk`` (demotion risk) is None when no current tier
    was given.
    """

    ytd_revenue: Decimal
    quarters_elapsed: int
    projected_revenue: Decimal
    projected_tier: Tier
    target_tier: Tier
    required_per_quarter: Decimal | None
    at_risk: bool | None

    @property
    def quarters_remaining(self) -> int:
        return QUARTERS_PER_YEAR - self.quarters_elapsed


def project(
    program: Program,
    ytd_revenue: Decimal,
    quarters_elapsed: int,
    *,
    current_tier: Tier | str | None = None,
    target_tier: Tier | str | None = None,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> Projection:
    """Project the full fiscal year from the revenue of its first ``quarters_elapsed`` quarters.

    >>> from partner_tiers.rules.programs import get_program
    >>> p = project(get_program("sophos-2019"), Decimal("100"), 3, current_tier="Silver")
    >>> p.projected_tier.name, p.at_risk, p.required_per_quarter
    ('Authorized', True, Decimal('9900.00'))
    """
    cents = [to_cents(ytd_revenue)]
    counts = certified_sales, certified_engineers
    [level] = projected_levels(program, cents, quarters_elapsed, *counts)
    target = None if target_tier is None else program.level(target_tier)
    [required] = required_per_quarter(program, cents, quarters_elapsed, target, *counts)
    risk = None
    if current_tier is not None:
        [risk] = at_risk(program, cents, quarters_elapsed, program.level(current_tier))
    assert level is not None and required is not None
    target_level, per_quarter = required
    return Projection(
        ytd_revenue,
        quarters_elapsed,
        from_cents(cents[0] * QUARTERS_PER_YEAR // quarters_elapsed),
        program.tiers[level],
        program.tiers[target_level],
        None if per_quarter is None else from_cents(per_quarter),
        risk,
    )
