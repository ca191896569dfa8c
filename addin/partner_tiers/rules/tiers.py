"""Where partners stand in a program: tier, gap to the next tier, progress, change of rules.

The rules are written once, for a column of partners: amounts in exact cents in (see
:mod:`partner_tiers.rules.money`; None where a partner has none), one answer per partner
out, None for None. A single partner is a column of one (:func:`assess`). The vocabulary:

- *revenue*: the partner's qualifying sales in the program currency, never negative;
- *tier* and *level*: a level of the program, 0 for the lowest one, which needs nothing;
- *threshold*: a tier's ``min_revenue``, inclusive (exactly 10,000 EUR is Silver);
- *gap*: revenue still needed for the next tier, rounded up to the cent;
- *certified sales* / *certified engineers*: counts of certified people (blank counts as 0).

>>> from partner_tiers.rules.programs import get_program
>>> sophos = get_program("sophos-2019")
>>> cents = [5_999_999, None, 6_000_000]            # 59,999.99 EUR, none, 60,000 EUR
>>> found = levels(sophos, cents)
>>> found, gaps(sophos, found, cents), progress(sophos, found, cents)
([1, None, 2], [1, None, 14000000], [999, None, 0])

For one partner, in currency units:

>>> a = assess(sophos, Decimal("45000"))
>>> a.tier.name, a.next_tier.name, a.revenue_gap, a.progress
('Silver', 'Gold', Decimal('15000.00'), Decimal('0.700'))
>>> assess(sophos, Decimal("59999.99")).tier.name      # one cent short of Gold
'Silver'
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from partner_tiers.rules.money import Cents, ceil_cents, from_cents, to_cents
from partner_tiers.rules.program import Program, Tier

Amounts = Sequence[Cents | None]  # a column of amounts in exact cents; None: none
Levels = Sequence[int | None]

PROGRESS_STEPS = 1000  # progress is counted in whole steps of 0.1%, rounded down
PROGRESS_STEP = Decimal(1) / PROGRESS_STEPS


def levels(
    program: Program,
    cents: Amounts,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
    thresholds: Sequence[Cents] | None = None,
) -> list[int | None]:
    """Each partner's level: the highest tier all of whose requirements it meets.

    ``thresholds`` replaces the program's, e.g. by :func:`Program.thresholds_times`.
    """
    allowed = program.allowed_levels(certified_sales, certified_engineers)
    thresholds = program.thresholds if thresholds is None else thresholds
    return [None if c is None else allowed[bisect_right(thresholds, c) - 1] for c in cents]


def gaps(program: Program, levels: Levels, cents: Amounts) -> list[int | None]:
    """Cents each partner still needs for the tier above its level, rounded up; 0 at the top.

    Rounding up guarantees that revenue + gap reaches the next threshold.
    """
    thresholds, top = program.thresholds, program.top
    return [
        None
        if level is None or c is None
        else 0
        if level == top
        else max(0, ceil_cents(thresholds[level + 1] - c))
        for level, c in zip(levels, cents, strict=True)
    ]


def progress(program: Program, levels: Levels, cents: Amounts) -> list[int | None]:
    """Each partner's progress from its tier's threshold to the next one, in 0.1% steps
    rounded down (0 to 1000), so that 1000 means the revenue is there; 1000 at the top."""
    thresholds, top = program.thresholds, program.top
    return [
        None
        if level is None or c is None
        else PROGRESS_STEPS
        if level == top
        else progress_steps(c, thresholds[level], thresholds[level + 1])
        for level, c in zip(levels, cents, strict=True)
    ]


def progress_steps(cents: Cents, low: Cents, high: Cents) -> int:
    """Whole 0.1% steps from ``low`` towards ``high`` (0 to 1000), rounded down.

    >>> progress_steps(5_999_999, 1_000_000, 6_000_000)
    999
    """
    return int(PROGRESS_STEPS * (min(cents, high) - low) // (high - low))


def level_changes(
    from_program: Program,
    to_program: Program,
    cents: Amounts,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> list[int | None]:
    """Signed levels each partner moves between two editions at the same revenue."""
    before = levels(from_program, cents, certified_sales, certified_engineers)
    after = levels(to_program, cents, certified_sales, certified_engineers)
    return [None if a is None or b is None else b - a for a, b in zip(before, after, strict=True)]


# --- one partner ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """Where one partner stands in a program."""

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


def qualifying_level(
    program: Program,
    revenue: Decimal,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> int:
    """Level of the highest tier all of whose requirements the partner meets."""
    [level] = levels(program, [to_cents(revenue)], certified_sales, certified_engineers)
    assert level is not None
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

    >>> revenue_gap(Decimal("59999.995"), Decimal("60000")), revenue_gap(Decimal(7), Decimal(6))
    (Decimal('0.01'), Decimal('0.00'))
    """
    return from_cents(max(0, ceil_cents(to_cents(threshold) - to_cents(revenue))))


def assess(
    program: Program,
    revenue: Decimal,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> Assessment:
    """Tier, next tier, gap, missing certifications and progress for one partner.

    Progress runs from 0 at the current tier's threshold to 1 at the next one (1 at the top),
    rounded down to 0.1%: 59,999.99 of 60,000 is 99.9%, not a rounded 100%.

    >>> from partner_tiers.rules.programs import get_program
    >>> top = assess(get_program("sophos-2019"), Decimal("250000"))
    >>> top.tier.name, top.next_tier, top.revenue_gap, top.progress
    ('Platinum', None, Decimal('0.00'), Decimal('1.000'))
    """
    cents = [to_cents(revenue)]
    found = levels(program, cents, certified_sales, certified_engineers)
    [level], [gap], [steps] = found, gaps(program, found, cents), progress(program, found, cents)
    assert level is not None and gap is not None and steps is not None
    next_tier = program.tiers[level + 1] if level < program.top else None
    missing = (0, 0)
    if next_tier is not None:
        missing = next_tier.missing_certifications(certified_sales, certified_engineers)
    return Assessment(
        program,
        revenue,
        program.tiers[level],
        next_tier,
        from_cents(gap),
        *missing,
        steps * PROGRESS_STEP,
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
    cents = [to_cents(revenue)]
    [change] = level_changes(from_program, to_program, cents, certified_sales, certified_engineers)
    assert change is not None
    return change
