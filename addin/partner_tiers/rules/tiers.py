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
from fractions import Fraction
from typing import Any

from partner_tiers.rules.metrics import REVENUE, Exact, Metric
from partner_tiers.rules.money import Cents, ceil_cents, from_cents, to_cents
from partner_tiers.rules.program import MetricsNeeded, Program, Tier, Unpublished
from partner_tiers.rules.requirements import Need, criteria_of, met, nearest, scale

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

    ``thresholds`` replaces the program's, e.g. by :func:`Program.thresholds_times`. A
    program that is no revenue ladder is asked through its requirements (see
    :func:`metric_levels`); it may read no metric but revenue and the two counts.
    """
    if not program.is_ladder:
        found, problems = metric_levels(
            program, rows_of(program, cents, certified_sales, certified_engineers)
        )
        if problems:
            raise next(iter(problems.values()))
        return found
    allowed = program.allowed_levels(certified_sales, certified_engineers)
    thresholds = program.thresholds if thresholds is None else thresholds
    return [None if c is None else allowed[bisect_right(thresholds, c) - 1] for c in cents]


def gaps(
    program: Program,
    levels: Levels,
    cents: Amounts,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> list[int | None]:
    """Cents each partner still needs for the tier above its level, rounded up; 0 at the top.

    Rounding up guarantees that revenue + gap reaches the next threshold. For a program that
    is no ladder, the revenue its nearest path to the next tier lacks (see :func:`needs`).
    """
    if not program.is_ladder:
        rows = rows_of(program, cents, certified_sales, certified_engineers)
        return metric_gaps(program, levels, rows)
    thresholds, top = program.thresholds, program.top
    return [
        None
        if level is None or c is None
        else 0
        if level == top
        else max(0, ceil_cents(thresholds[level + 1] - c))
        for level, c in zip(levels, cents, strict=True)
    ]


def progress(
    program: Program,
    levels: Levels,
    cents: Amounts,
    certified_sales: int | None = None,
    certified_engineers: int | None = None,
) -> list[int | None]:
    """Each partner's progress from its tier's threshold to the next one, in 0.1% steps
    rounded down (0 to 1000), so that 1000 means the revenue is there; 1000 at the top.
    For a program that is no ladder, see :func:`metric_progress`."""
    if not program.is_ladder:
        rows = rows_of(program, cents, certified_sales, certified_engineers)
        return metric_progress(program, levels, rows)
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


# --- any program: values of its metrics -----------------------------------------------------

Row = Sequence[Exact]  # a partner's values in the order of Program.metrics (see Metric.exact)
LADDER_METRICS = {"revenue", "certified_sales", "certified_engineers"}


def typed_metrics(program: Program) -> list[Metric]:
    """The metrics ``program`` reads beyond revenue and the two counts of certified people
    that today's programs read: the columns a review and an export add for it, in the
    program's order.

    >>> from partner_tiers.rules.programs import get_program
    >>> typed_metrics(get_program("sophos-2019"))
    []
    """
    return [m for m in program.read_metrics() if m.name not in LADDER_METRICS]


def rows_of(
    program: Program, cents: Amounts, sales: int | None = None, engineers: int | None = None
) -> list[Row | None]:
    """Rows of metric values from the three values a ladder's functions take."""
    missing = [m.name for m in program.read_metrics() if m.name not in LADDER_METRICS]
    if missing:
        raise MetricsNeeded(program, missing)
    given = {"certified_sales": sales or 0, "certified_engineers": engineers or 0}
    rest = [given.get(m.name, 0) for m in program.metrics[1:]]
    return [None if c is None else [c, *rest] for c in cents]


def metric_levels(
    program: Program, rows: Sequence[Row | None]
) -> tuple[list[int | None], dict[int, Unpublished]]:
    """Each partner's level from its row of metric values (None: no answer), and the rows
    whose level hangs on a threshold the vendor does not publish, with what to set.

    >>> from partner_tiers.rules.programs import get_program
    >>> metric_levels(get_program("sophos-2019"), [[1_000_000], None])
    ([1, None], {})
    """
    ladder = program.ladder_function
    if ladder is not None:
        return [None if row is None else ladder(row) for row in rows], {}
    found: list[int | None] = []
    problems: dict[int, Unpublished] = {}
    for i, row in enumerate(rows):
        if row is None:
            found.append(None)
            continue
        values = dict(zip((m.name for m in program.metrics), row, strict=True))
        level, unknown = 0, None
        for at in range(program.top, 0, -1):
            answer = met(program.tiers[at].requirement, values)
            if answer is None and unknown is None:
                unknown = at
            if answer:
                level = at
                break
        found.append(level)
        if unknown is not None:
            problems[i] = unpublished_in(program, program.tiers[unknown])
    return found, problems


def unpublished_in(program: Program, tier: Tier) -> Unpublished:
    """What a distributor sets for ``tier``: its first unpublished threshold."""
    criterion = next(c for c in criteria_of(tier.requirement) if c.minimum is None)
    return program.unpublished_threshold(tier, criterion.metric.name)


def metric_row(program: Program, values: dict[str, Exact]) -> Row:
    """A partner's values in the order of the program's metrics. A metric no tier reads,
    and a count left out, are 0; a missing amount, growth or item the tiers read is
    :class:`MetricsNeeded`."""
    read = {m.name for m in program.read_metrics()}
    missing = [
        m.name
        for m in program.metrics
        if m.name not in values and m.name in read and not m.blank_is_zero
    ]
    if missing:
        raise MetricsNeeded(program, missing)
    return [values.get(m.name, 0) for m in program.metrics]


def needs(program: Program, levels: Levels, rows: Sequence[Row | None]) -> list[Need | None]:
    """What each partner lacks on its nearest path to the tier above its level (None at the
    top and for no answer)."""
    names = [m.name for m in program.metrics]
    return [
        None
        if level is None or row is None or level == program.top
        else nearest(program.tiers[level + 1].requirement, dict(zip(names, row, strict=True)))
        for level, row in zip(levels, rows, strict=True)
    ]


def gap_metric(program: Program) -> Metric | None:
    """The metric a gap to the next tier is measured in: revenue where a tier reads it, else
    the first amount a tier reads (a monthly commitment); None for a score program, whose
    gap is in points.

    >>> from partner_tiers.rules.programs import get_program
    >>> gap_metric(get_program("sophos-2019")).name
    'revenue'
    """
    if program.is_score:
        return None
    read = program.read_metrics()
    money = [m for m in read if m.is_money]
    return next((m for m in money if m.name == REVENUE.name), money[0] if money else REVENUE)


def metric_gaps(program: Program, levels: Levels, rows: Sequence[Row | None]) -> list[Any]:
    """The gap to the next tier on the nearest path: in cents rounded up, of the
    :func:`gap_metric`, or, for a score program, points (a Fraction); 0 at the top and when
    that path lacks none."""
    answers: list[Any] = []
    for level, need in zip(levels, needs(program, levels, rows), strict=True):
        if level is None:
            answers.append(None)
            continue
        measured = gap_metric(program)
        wanted = None if measured is None else measured.name
        short = [
            s.amount
            for s in (need.shorts if need else ())
            if (s.metric.name if s.metric else None) == wanted
        ]
        amount = short[0] if short else 0
        answers.append(amount if program.is_score else ceil_cents(amount))
    return answers


def metric_progress(
    program: Program, levels: Levels, rows: Sequence[Row | None]
) -> list[int | None]:
    """Progress towards the next tier on the nearest path, in 0.1% steps rounded down: the
    share of its least-met criterion (value / threshold); 1000 at the top. A revenue ladder
    counts from the tier's threshold, as :func:`progress` does."""
    if program.is_ladder:  # from the tier's threshold, as progress() counts it
        return progress(program, levels, [None if row is None else row[0] for row in rows])
    answers: list[int | None] = []
    for level, need in zip(levels, needs(program, levels, rows), strict=True):
        if level is None:
            answers.append(None)
        elif need is None or not need.shorts:
            answers.append(PROGRESS_STEPS)
        else:
            share = min(1 - Fraction(s.amount) / scale(s.of) for s in need.shorts)
            answers.append(max(0, int(PROGRESS_STEPS * share // 1)))
    return answers


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
    # For a program that is no revenue ladder: what the nearest path to the next tier lacks
    # (None at the top), and a score program's gap in points.
    need: Need | None = None
    points_gap: Fraction | None = None

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
    if not program.is_ladder:
        [row] = rows_of(program, [to_cents(revenue)], certified_sales, certified_engineers)
        assert row is not None
        return assess_values(
            program, dict(zip((m.name for m in program.metrics), row, strict=True))
        )
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


def assess_values(program: Program, values: dict[str, Exact]) -> Assessment:
    """:func:`assess` for a partner given by its metric values (exact units, see
    :meth:`Metric.exact <partner_tiers.rules.metrics.Metric.exact>`; every metric of the
    program). :class:`Unpublished` when the tier hangs on a threshold not published.

    >>> from partner_tiers.rules.programs import get_program
    >>> a = assess_values(get_program("sophos-2019"), {"revenue": 4_500_000})
    >>> a.tier.name, a.revenue_gap, [s.amount for s in a.need.shorts]
    ('Silver', Decimal('15000.00'), [1500000])
    """
    row = metric_row(program, values)
    [level], problems = metric_levels(program, [row])
    if problems:
        raise problems[0]
    assert level is not None
    [need] = needs(program, [level], [row])
    [gap] = metric_gaps(program, [level], [row])
    [steps] = metric_progress(program, [level], [row])
    assert steps is not None
    shorts = {s.metric.name: s.amount for s in (need.shorts if need else ()) if s.metric}
    revenue = values.get(REVENUE.name, 0)
    return Assessment(
        program,
        from_cents(ceil_cents(revenue)) if isinstance(revenue, Fraction) else from_cents(revenue),
        program.tiers[level],
        program.tiers[level + 1] if level < program.top else None,
        Decimal(0) if program.is_score else from_cents(gap),
        int(shorts.get("certified_sales", 0)),
        int(shorts.get("certified_engineers", 0)),
        steps * PROGRESS_STEP,
        need,
        gap if program.is_score else None,
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
