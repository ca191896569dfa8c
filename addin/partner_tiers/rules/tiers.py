"""Partner tier rules: which tier a partner is in, what it lacks, where its year is heading.

Pure Python with exact money (:class:`~decimal.Decimal`): no Excel, no files. A
:class:`Program` is the data of one program edition (see :mod:`partner_tiers.rules.programs`,
which loads them from definition files). The vocabulary used everywhere:

- *revenue*: the partner's qualifying sales in the program currency, never negative;
- *tier*: a level of the program, lowest first; the lowest one needs nothing;
- *threshold*: a tier's ``min_revenue``, inclusive (exactly 10,000 EUR is Silver);
- *gap*: revenue still needed for the next tier, rounded up to the cent;
- *certified sales* / *certified engineers*: counts of certified people (blank counts as 0).

>>> from partner_tiers.rules.programs import get_program
>>> sophos = get_program("sophos-2019")
>>> result = assess(sophos, Decimal("45000"))
>>> result.tier.name, result.next_tier.name, result.revenue_gap
('Silver', 'Gold', Decimal('15000.00'))
>>> assess(sophos, Decimal("59999.99")).tier.name      # one cent short of Gold
'Silver'
>>> assess(sophos, Decimal("60000")).tier.name
'Gold'

A projection runs the year-to-date revenue on at its current rate:

>>> p = project(sophos, Decimal("30000"), 2, current_tier="Gold")
>>> p.projected_revenue, p.projected_tier.name, p.at_risk
(Decimal('60000'), 'Gold', False)
>>> p.target_tier.name, p.required_per_quarter       # 170,000 more in two quarters
('Platinum', Decimal('85000.00'))
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from functools import cached_property

CENT = Decimal("0.01")
QUARTERS_PER_YEAR = 4


class UnknownTier(LookupError):
    """A tier name that the program does not have."""

    def __init__(self, name: str, program: Program) -> None:
        known = ", ".join(t.name for t in program.tiers)
        super().__init__(f"unknown tier {name!r} in {program.id}; known: {known}")


@dataclass(frozen=True)
class Tier:
    """One level of a program. Unset certification counts mean "not required"."""

    name: str
    min_revenue: Decimal
    min_certified_sales: int | None = None
    min_certified_engineers: int | None = None
    discount: Decimal | None = None
    benefits: str | None = None

    def missing_certifications(
        self, certified_sales: int | None, certified_engineers: int | None
    ) -> tuple[int, int]:
        """How many certified sales people and engineers are short of this tier's needs."""
        return (
            max(0, (self.min_certified_sales or 0) - (certified_sales or 0)),
            max(0, (self.min_certified_engineers or 0) - (certified_engineers or 0)),
        )


@dataclass(frozen=True)
class Program:
    """One edition of a vendor's partner program. Tiers are ordered lowest first.

    Build programs through :mod:`partner_tiers.rules.programs`, which validates them: thresholds
    strictly ascending from 0, unique tier names, no requirement on the lowest tier.
    """

    id: str
    vendor: str
    name: str
    currency: str
    fiscal_year_start_month: int
    basis: str
    source: str
    tiers: tuple[Tier, ...]
    effective_from: date | None = None
    replaces: str | None = None
    grace_months: int | None = None
    _thresholds: tuple[Decimal, ...] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_thresholds", tuple(t.min_revenue for t in self.tiers))
        object.__setattr__(
            self, "_by_name", {t.name.casefold(): i for i, t in enumerate(self.tiers)}
        )

    @property
    def top_tier(self) -> Tier:
        return self.tiers[-1]

    @property
    def needs_certifications(self) -> bool:
        """True when any tier asks for certified people."""
        return any(t.min_certified_sales or t.min_certified_engineers for t in self.tiers)

    def tier(self, name: str) -> Tier:
        """The tier called ``name`` (case and surrounding spaces ignored).

        >>> from partner_tiers.rules.programs import get_program
        >>> get_program("sophos-2019").tier(" gold ").min_revenue
        Decimal('60000')
        """
        return self.tiers[self.level(name)]

    def level(self, tier: Tier | str) -> int:
        """Position of a tier, 0 for the lowest."""
        name = tier.name if isinstance(tier, Tier) else tier
        try:
            return self._by_name[name.strip().casefold()]
        except KeyError:
            raise UnknownTier(name, self) from None

    def revenue_level(self, revenue: Decimal) -> int:
        """Level reached on revenue alone (thresholds are inclusive)."""
        return bisect_right(self._thresholds, revenue) - 1

    @cached_property
    def in_cents(self) -> CentLadder | None:
        """The program for whole-cent revenues (None if a threshold has a fraction of a cent)."""
        cents = [t.min_revenue * 100 for t in self.tiers]
        if any(c != c.to_integral_value() for c in cents):
            return None
        return CentLadder(self, tuple(int(c) for c in cents))


def qualifying_level(
    program: Program,
    revenue: Decimal,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> int:
    """Level of the highest tier all of whose requirements the partner meets."""
    return certified_level(program, program.revenue_level(revenue), certified_sales,
                           certified_engineers)  # fmt: skip


def certified_level(
    program: Program, level: int, certified_sales: int | None, certified_engineers: int | None
) -> int:
    """The highest level up to ``level`` whose certification needs the partner meets."""
    while level > 0 and any(
        program.tiers[level].missing_certifications(certified_sales, certified_engineers)
    ):
        level -= 1
    return level


def qualifying_tier(
    program: Program,
    revenue: Decimal,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> Tier:
    """The highest tier all of whose requirements are met.

    >>> from partner_tiers.rules.programs import get_program
    >>> qualifying_tier(get_program("sophos-pre-2019"), Decimal("74999.99")).name
    'Silver'
    """
    return program.tiers[qualifying_level(program, revenue, certified_sales, certified_engineers)]


def revenue_gap(revenue: Decimal, threshold: Decimal) -> Decimal:
    """Revenue still needed to reach ``threshold``, rounded up to the cent (0 when reached).

    Rounding up guarantees that revenue + gap reaches the threshold.

    >>> revenue_gap(Decimal("59999.995"), Decimal("60000"))
    Decimal('0.01')
    >>> revenue_gap(Decimal("70000"), Decimal("60000"))
    Decimal('0')
    """
    if revenue >= threshold:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.rounding = ROUND_CEILING  # an inexact difference must never come out too small
        return (threshold - revenue).quantize(CENT)


PROGRESS_STEPS = 1000  # progress is counted in steps of 0.1%
PROGRESS_STEP = Decimal(1) / PROGRESS_STEPS


def progress_steps(revenue: Decimal | int, low: Decimal | int, high: Decimal | int) -> int:
    """Whole 0.1% steps from ``low`` towards ``high`` (0 to 1000), rounded down.

    >>> progress_steps(Decimal("59999.99"), Decimal("10000"), Decimal("60000"))
    999
    """
    return int((PROGRESS_STEPS * (min(revenue, high) - low)) // (high - low))


@dataclass(frozen=True)
class Assessment:
    """Where a partner stands in a program."""

    program: Program
    revenue: Decimal
    tier: Tier
    next_tier: Tier | None
    revenue_gap: Decimal
    missing_certified_sales: int
    missing_certified_engineers: int
    progress: Decimal

    @property
    def level(self) -> int:
        return self.program.level(self.tier)


def assess(
    program: Program,
    revenue: Decimal,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> Assessment:
    """Tier, next tier, gap, missing certifications and progress for one partner.

    Progress runs from 0 at the current tier's threshold to 1 at the next one (1 at the top),
    rounded down to 0.1%, so that it shows 100% only once the revenue is there: 59,999.99
    of 60,000 is 99.9%, not a rounded 100%.

    >>> from partner_tiers.rules.programs import get_program
    >>> a = assess(get_program("sophos-2019"), Decimal("35000"))
    >>> a.tier.name, a.progress
    ('Silver', Decimal('0.500'))
    >>> top = assess(get_program("sophos-2019"), Decimal("250000"))
    >>> top.next_tier, top.revenue_gap, top.progress
    (None, Decimal('0'), Decimal('1'))
    """
    level = qualifying_level(program, revenue, certified_sales, certified_engineers)
    tier = program.tiers[level]
    if level + 1 == len(program.tiers):
        return Assessment(program, revenue, tier, None, Decimal(0), 0, 0, Decimal(1))
    next_tier = program.tiers[level + 1]
    missing_sales, missing_engineers = next_tier.missing_certifications(
        certified_sales, certified_engineers
    )
    steps = progress_steps(revenue, tier.min_revenue, next_tier.min_revenue)
    return Assessment(
        program,
        revenue,
        tier,
        next_tier,
        revenue_gap(revenue, next_tier.min_revenue),
        missing_sales,
        missing_engineers,
        steps * PROGRESS_STEP,
    )


Cents = Sequence[int | None]  # a column of revenues in whole cents; None where there is none
Levels = Sequence[int | None]


class CentLadder:
    """A program's thresholds in whole cents, to assess a column of partners at once.

    The rules of :func:`assess` and :func:`project` for revenues of whole cents, in integer
    arithmetic over whole columns (a gap of whole cents needs no rounding). The Excel functions
    use it for every plain amount and :func:`assess` for the rest; property tests hold the two
    together. A None in a column gives a None in the answer.

    >>> from partner_tiers.rules.programs import get_program
    >>> ladder = get_program("sophos-2019").in_cents
    >>> cents = [5_999_999, None, 6_000_000]            # 59,999.99 EUR, none, 60,000 EUR
    >>> levels = ladder.levels(cents)
    >>> levels, ladder.gaps(levels, cents), ladder.progress(levels, cents)
    ([1, None, 2], [1, None, 14000000], [999, None, 0])
    """

    def __init__(self, program: Program, thresholds: tuple[int, ...]) -> None:
        self.program, self.thresholds = program, thresholds
        self.top = len(thresholds) - 1
        self._allowed: dict[tuple[int | None, int | None], tuple[int, ...]] = {}

    def allowed_levels(
        self, certified_sales: int | None, certified_engineers: int | None
    ) -> tuple[int, ...]:
        """For each level reached on revenue, the level the certifications allow."""
        key = (certified_sales, certified_engineers)
        allowed = self._allowed.get(key)
        if allowed is None:
            allowed = tuple(
                certified_level(self.program, level, certified_sales, certified_engineers)
                for level in range(self.top + 1)
            )
            if len(self._allowed) < 1024:  # counts are small numbers; keep the cache small too
                self._allowed[key] = allowed
        return allowed

    def levels(
        self, cents: Cents, certified_sales: int | None = None,
        certified_engineers: int | None = None,
    ) -> list[int | None]:  # fmt: skip
        """Level of each partner's tier, as :func:`qualifying_level`."""
        allowed = self.allowed_levels(certified_sales, certified_engineers)
        thresholds = self.thresholds
        return [None if c is None else allowed[bisect_right(thresholds, c) - 1] for c in cents]

    def gaps(self, levels: Levels, cents: Cents) -> list[int | None]:
        """Cents each partner still needs for the tier above its level; 0 at the top."""
        thresholds, top = self.thresholds, self.top
        return [
            None if level is None else 0 if level == top else max(0, thresholds[level + 1] - c)
            for level, c in zip(levels, cents, strict=True)
        ]

    def progress(self, levels: Levels, cents: Cents) -> list[int | None]:
        """Each partner's progress towards the tier above in 0.1% steps; 1000 at the top."""
        thresholds, top = self.thresholds, self.top
        return [
            None if level is None
            else PROGRESS_STEPS if level == top
            else progress_steps(c, thresholds[level], thresholds[level + 1])
            for level, c in zip(levels, cents, strict=True)
        ]  # fmt: skip

    # The year run on at its rate, as project() does it. A threshold of whole cents is reached
    # exactly when the run rate, rounded down to the cent, reaches it.

    def projected_levels(
        self, cents: Cents, quarters_elapsed: int, certified_sales: int | None = None,
        certified_engineers: int | None = None,
    ) -> list[int | None]:  # fmt: skip
        """Level of each partner's projected tier."""
        _check_quarters(quarters_elapsed)
        run_rates = [
            None if c is None else c * QUARTERS_PER_YEAR // quarters_elapsed for c in cents
        ]
        return self.levels(run_rates, certified_sales, certified_engineers)

    def required_per_quarter(
        self, cents: Cents, quarters_elapsed: int, target_level: int | None = None,
        certified_sales: int | None = None, certified_engineers: int | None = None,
    ) -> list[tuple[int, int | None] | None]:  # fmt: skip
        """(target level, cents each remaining quarter must bring) for each partner; the
        target is by default the tier above the projected one. None: no quarter remains."""
        _check_quarters(quarters_elapsed)
        remaining = QUARTERS_PER_YEAR - quarters_elapsed
        if target_level is None:
            projected = self.projected_levels(
                cents, quarters_elapsed, certified_sales, certified_engineers
            )
            targets = [None if p is None else min(p + 1, self.top) for p in projected]
        else:
            targets = [target_level] * len(cents)
        thresholds = self.thresholds
        return [
            None if t is None
            else (t, 0) if thresholds[t] <= c
            else (t, -(-(thresholds[t] - c) // remaining) if remaining else None)  # rounded up
            for t, c in zip(targets, cents, strict=True)
        ]  # fmt: skip

    def at_risk(self, cents: Cents, quarters_elapsed: int, current_level: int) -> list[bool | None]:
        """Whether each partner's run rate falls below the current tier (demotion risk)."""
        _check_quarters(quarters_elapsed)
        bar = self.thresholds[current_level] * quarters_elapsed
        return [None if c is None else c * QUARTERS_PER_YEAR < bar for c in cents]


def _check_quarters(quarters_elapsed: int) -> None:
    if not 1 <= quarters_elapsed <= QUARTERS_PER_YEAR:
        raise ValueError(f"quarters elapsed must be 1 to 4, not {quarters_elapsed}")


@dataclass(frozen=True)
class Projection:
    """The fiscal year run on at the current rate.

    ``required_per_quarter`` is what each remaining quarter must bring to reach
    ``target_tier``; it is None when no quarter remains and the target was not reached.
    ``at_risk`` (demotion risk) is None when no current tier was given.
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

    The target defaults to the tier above the projected one (the top tier when the
    projection already reaches it). The partner is at risk of demotion when the projected
    revenue falls below the current tier's threshold.

    >>> from partner_tiers.rules.programs import get_program
    >>> p = project(get_program("sophos-2019"), Decimal("100"), 3, current_tier="Silver")
    >>> p.projected_tier.name, p.at_risk, p.required_per_quarter
    ('Authorized', True, Decimal('9900.00'))
    """
    _check_quarters(quarters_elapsed)
    with localcontext() as ctx:
        # Rounding down keeps every comparison with a threshold exact: x >= t iff floor(x) >= t.
        ctx.rounding = ROUND_FLOOR
        projected_revenue = ytd_revenue * QUARTERS_PER_YEAR / quarters_elapsed
    level = qualifying_level(program, projected_revenue, certified_sales, certified_engineers)
    if target_tier is None:
        target = program.tiers[min(level + 1, len(program.tiers) - 1)]
    else:
        target = program.tiers[program.level(target_tier)]
    still_needed = revenue_gap(ytd_revenue, target.min_revenue)
    remaining = QUARTERS_PER_YEAR - quarters_elapsed
    if not still_needed:
        per_quarter: Decimal | None = Decimal(0)
    elif remaining:
        with localcontext() as ctx:
            ctx.rounding = ROUND_CEILING
            per_quarter = (still_needed / remaining).quantize(CENT)
    else:
        per_quarter = None
    at_risk = None
    if current_tier is not None:
        current = program.tiers[program.level(current_tier)]
        at_risk = projected_revenue < current.min_revenue
    return Projection(
        ytd_revenue,
        quarters_elapsed,
        projected_revenue,
        program.tiers[level],
        target,
        per_quarter,
        at_risk,
    )


def tier_change(
    revenue: Decimal,
    from_program: Program,
    to_program: Program,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> int:
    """Signed number of levels a partner moves between two editions (+1 up, -1 down).

    >>> from partner_tiers.rules.programs import get_program
    >>> old, new = get_program("sophos-pre-2019"), get_program("sophos-2019")
    >>> tier_change(Decimal("65000"), old, new)      # Silver before, Gold after the refresh
    1
    >>> tier_change(Decimal("160000"), old, new)     # Platinum before, Gold after
    -1
    """
    return qualifying_level(
        to_program, revenue, certified_sales, certified_engineers
    ) - qualifying_level(from_program, revenue, certified_sales, certified_engineers)


def fiscal_period(day: date, start_month: int) -> tuple[int, int]:
    """(fiscal year, fiscal quarter) of ``day`` for a year starting in ``start_month``.

    A fiscal year is named after the calendar year it ends in, as vendors do: with an
    April start, FY2020 runs from April 2019 to March 2020, the year of the 31 March audit.

    >>> fiscal_period(date(2019, 4, 1), 4), fiscal_period(date(2020, 3, 31), 4)
    ((2020, 1), (2020, 4))
    >>> fiscal_period(date(2026, 11, 25), 1)
    (2026, 4)
    """
    months = (day.month - start_month) % 12
    year = day.year + (1 if start_month > 1 and day.month >= start_month else 0)
    return year, months // 3 + 1


def fiscal_year_start(fiscal_year: int, start_month: int) -> date:
    """The first day of ``fiscal_year``.

    >>> fiscal_year_start(2020, 4), fiscal_year_start(2026, 1)
    (datetime.date(2019, 4, 1), datetime.date(2026, 1, 1))
    """
    return date(fiscal_year - (1 if start_month > 1 else 0), start_month, 1)
