"""What a tier requires, as a tree written in the program file.

A requirement is one of:

- a :class:`Criterion`: a metric (see :mod:`partner_tiers.rules.metrics`) at or above a
  threshold, e.g. revenue >= 60,000 EUR;
- :class:`AtLeast` *n* of several requirements: ``all`` of them (n is their number), ``any``
  of them (n is 1), or ``at_least`` n. Its parts may have names ("revenue path");
- a :class:`Score`: weighted items, each giving points in proportion to its metric up to
  a value that gives all its points, a minimum total, and optionally a least value per item.

A partner meets a tier when its values meet the tier's requirement. Thresholds are
inclusive. A vendor that does not publish a threshold leaves it unset: a criterion without
a threshold is *unknown*, and so is what depends on it (three-valued logic: a partner who
misses another criterion of the same path is still known to miss it).

>>> from partner_tiers.rules.metrics import REVENUE, role_metric
>>> engineers = role_metric("engineers")
>>> gold = AtLeast.all_of(Criterion(REVENUE, 6_000_000), Criterion(engineers, 2))
>>> met(gold, {"revenue": 7_000_000, "certified_engineers": 1})
False
>>> need = nearest(gold, {"revenue": 4_500_000, "certified_engineers": 1})
>>> [(s.metric.name, s.amount) for s in need.shorts]
[('revenue', 1500000), ('certified_engineers', 1)]

Two paths: the nearest one is the one with the fewest criteria short, then the least
shortfall relative to the thresholds.

>>> paths = AtLeast.any_of(
...     AtLeast.all_of(Criterion(REVENUE, 30_000_000), name="revenue path"),
...     AtLeast.all_of(
...         Criterion(REVENUE, 5_000_000), Criterion(engineers, 4), name="training path"),
... )
>>> need = nearest(paths, {"revenue": 25_000_000, "certified_engineers": 1})
>>> need.path, [(s.metric.name, s.amount) for s in need.shorts]
(('revenue path',), [('revenue', 5000000)])
>>> nearest(paths, {"revenue": 6_000_000, "certified_engineers": 3}).path
('training path',)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from partner_tiers.rules.metrics import Exact, Metric

Values = Mapping[str, Exact]  # a partner's values by metric name, in exact units


@dataclass(frozen=True)
class Criterion:
    """``metric`` at or above ``minimum``; ``minimum`` None: the vendor does not publish it."""

    metric: Metric
    minimum: Exact | None


@dataclass(frozen=True)
class AtLeast:
    """At least ``count`` of ``parts``. ``all`` and ``any`` are its two usual cases."""

    count: int
    parts: tuple[Requirement, ...]
    name: str | None = None

    @classmethod
    def all_of(cls, *parts: Requirement, name: str | None = None) -> AtLeast:
        return cls(len(parts), parts, name)

    @classmethod
    def any_of(cls, *parts: Requirement, name: str | None = None) -> AtLeast:
        return cls(1, parts, name)


@dataclass(frozen=True)
class ScoreItem:
    """Points from one metric: ``points * value / full_at``, at most ``points`` (never below 0).
    ``minimum``, if set, is the least value of the metric the score accepts."""

    metric: Metric
    points: Fraction
    full_at: Exact
    minimum: Exact | None = None

    def points_for(self, value: Exact) -> Fraction:
        return self.points * max(0, min(value, self.full_at)) / self.full_at


@dataclass(frozen=True)
class Score:
    """A total of points of at least ``min_total``, and each item's minimum met."""

    items: tuple[ScoreItem, ...]
    min_total: Fraction
    name: str | None = None

    def total(self, values: Values) -> Fraction:
        return sum((i.points_for(values[i.metric.name]) for i in self.items), Fraction(0))


Requirement = Criterion | AtLeast | Score


def metrics_of(requirement: Requirement | None) -> list[Metric]:
    """Every metric the requirement reads, each once, in the order they are written."""
    found: dict[str, Metric] = {}
    for leaf in _leaves(requirement):
        found.setdefault(leaf.name, leaf)
    return list(found.values())


def _leaves(requirement: Requirement | None) -> Iterator[Metric]:
    if isinstance(requirement, Criterion):
        yield requirement.metric
    elif isinstance(requirement, AtLeast):
        for part in requirement.parts:
            yield from _leaves(part)
    elif isinstance(requirement, Score):
        yield from (item.metric for item in requirement.items)


def criteria_of(requirement: Requirement | None) -> Iterator[Criterion]:
    """Every criterion of the tree (not the score items), in the order they are written."""
    if isinstance(requirement, Criterion):
        yield requirement
    elif isinstance(requirement, AtLeast):
        for part in requirement.parts:
            yield from criteria_of(part)


def has_score(requirement: Requirement | None) -> bool:
    if isinstance(requirement, Score):
        return True
    return isinstance(requirement, AtLeast) and any(has_score(p) for p in requirement.parts)


def met(requirement: Requirement | None, values: Values) -> bool | None:
    """Whether ``values`` meet the requirement (None: nothing asked, always met); None when
    it depends on a threshold that is not published."""
    if requirement is None:
        return True
    if isinstance(requirement, Criterion):
        if requirement.minimum is None:
            return None
        return values[requirement.metric.name] >= requirement.minimum
    if isinstance(requirement, Score):
        if any(
            i.minimum is not None and values[i.metric.name] < i.minimum for i in requirement.items
        ):
            return False
        return requirement.total(values) >= requirement.min_total
    answers = [met(part, values) for part in requirement.parts]
    yes, unknown = answers.count(True), answers.count(None)
    if yes >= requirement.count:
        return True
    return None if yes + unknown >= requirement.count else False


def revenue_floor(requirement: Requirement | None, metric: str = "revenue") -> Exact:
    """The least value of ``metric`` with which the requirement can be met, the other
    metrics aside: what a projection of that metric alone must reach.

    >>> from partner_tiers.rules.metrics import REVENUE, role_metric
    >>> revenue_floor(AtLeast.any_of(Criterion(REVENUE, 300), AtLeast.all_of(
    ...     Criterion(REVENUE, 50), Criterion(role_metric("sales"), 2))))
    50
    """
    if requirement is None or isinstance(requirement, Score):
        return 0
    if isinstance(requirement, Criterion):
        if requirement.metric.name != metric:
            return 0
        return 0 if requirement.minimum is None else requirement.minimum
    floors = sorted(revenue_floor(part, metric) for part in requirement.parts)
    return floors[requirement.count - 1]


# --- what is still needed -----------------------------------------------------------------


@dataclass(frozen=True)
class Short:
    """How much more of a metric a requirement needs (exact units; see Metric.exact).
    ``metric`` None: points of a score."""

    metric: Metric | None
    amount: Exact
    of: Exact  # the threshold (or minimum total) it falls short of


@dataclass(frozen=True)
class Need:
    """The nearest way to meet a requirement: what is short on it, the names of the paths it
    takes, and its unpublished thresholds. ``distance`` orders ways: criteria short first,
    then the shortfall relative to the thresholds (see :func:`scale`)."""

    distance: tuple[int, Fraction]
    shorts: tuple[Short, ...] = ()
    path: tuple[str, ...] = ()
    unpublished: tuple[Criterion, ...] = field(default=())

    def __add__(self, other: Need) -> Need:
        return Need(
            (self.distance[0] + other.distance[0], self.distance[1] + other.distance[1]),
            self.shorts + other.shorts,
            self.path + other.path,
            self.unpublished + other.unpublished,
        )


NOTHING = Need((0, Fraction(0)))


def nearest(requirement: Requirement | None, values: Values) -> Need:
    """What ``values`` still lack on the nearest way to meet ``requirement``."""
    if requirement is None:
        return NOTHING
    if isinstance(requirement, Criterion):
        return _criterion_need(requirement, values)
    if isinstance(requirement, Score):
        return _score_need(requirement, values)
    needs = [nearest(p, values) for p in requirement.parts]
    # The parts nearest to met, told in the order they are written.
    chosen = sorted(sorted(range(len(needs)), key=lambda i: needs[i].distance)[: requirement.count])
    total = sum((needs[i] for i in chosen), NOTHING)
    if requirement.name:
        total = Need(
            total.distance, total.shorts, (requirement.name, *total.path), total.unpublished
        )
    return total


def _criterion_need(criterion: Criterion, values: Values) -> Need:
    if criterion.minimum is None:
        return Need((0, Fraction(0)), unpublished=(criterion,))
    short = criterion.minimum - values[criterion.metric.name]
    if short <= 0:
        return NOTHING
    minimum = criterion.minimum
    relative = Fraction(short) / scale(minimum)
    return Need((1, relative), (Short(criterion.metric, short, minimum),))


def scale(threshold: Exact) -> Fraction:
    """What a shortfall is measured against: the threshold's size, 1 for a threshold of 0
    (a growth of at least 0%)."""
    return Fraction(-threshold if threshold < 0 else threshold) or Fraction(1)


def _score_need(score: Score, values: Values) -> Need:
    need = NOTHING
    for item in score.items:
        if item.minimum is not None:
            need += _criterion_need(Criterion(item.metric, item.minimum), values)
    points = score.min_total - score.total(values)
    if points > 0:
        need += Need((1, points / score.min_total), (Short(None, points, score.min_total),))
    if score.name:
        need = Need(need.distance, need.shorts, (score.name, *need.path), need.unpublished)
    return need


# --- a whole ladder, compiled -------------------------------------------------------------


def compile_ladder(
    requirements: Sequence[Requirement | None], metrics: Sequence[Metric]
) -> Callable[[Sequence[Exact]], int]:
    """A function of a partner's values (in the order of ``metrics``) to its level: the
    highest tier whose requirement it meets. Every threshold must be published.

    A column of partners asks this once per partner, so the ladder is turned into one
    Python expression per tier, from numbers and positions only (no text of the file ends
    up in the code), and compiled: a few comparisons a tier, no calls.

    >>> from partner_tiers.rules.metrics import REVENUE, role_metric
    >>> sales = role_metric("sales")
    >>> level = compile_ladder(
    ...     [None, Criterion(REVENUE, 1_000_000),
    ...      AtLeast.all_of(Criterion(REVENUE, 6_000_000), Criterion(sales, 2))],
    ...     [REVENUE, sales])
    >>> level([7_000_000, 1]), level([7_000_000, 2]), level([0, 9])
    (1, 2, 0)
    """
    position = {m.name: i for i, m in enumerate(metrics)}
    constants: dict[str, object] = {}

    def constant(value: Exact) -> str:
        if isinstance(value, Fraction) and value.denominator == 1:
            value = value.numerator  # a whole number compares without a Fraction made
        if isinstance(value, int):
            return repr(value)
        name = f"c{len(constants)}"
        constants[name] = value
        return name

    def expression(requirement: Requirement) -> str:
        if isinstance(requirement, Criterion):
            if requirement.minimum is None:
                raise ValueError("a threshold is not published")
            return f"v[{position[requirement.metric.name]}] >= {constant(requirement.minimum)}"
        if isinstance(requirement, Score):
            return _score_expression(requirement, position, constant)
        parts = [f"({expression(p)})" for p in requirement.parts]
        if requirement.count == len(parts):
            return " and ".join(parts)
        if requirement.count == 1:
            return " or ".join(parts)
        return f"({' + '.join(parts)}) >= {requirement.count}"

    lines = ["def level(v):"]
    for level in range(len(requirements) - 1, 0, -1):
        requirement = requirements[level]
        test = "True" if requirement is None else expression(requirement)
        lines.append(f"    if {test}: return {level}")
    lines.append("    return 0")
    namespace: dict[str, object] = dict(constants, min=min, max=max)
    exec(compile("\n".join(lines), "<ladder>", "exec"), namespace)
    return namespace["level"]  # type: ignore[return-value]


def _score_expression(
    score: Score, position: dict[str, int], constant: Callable[[Exact], str]
) -> str:
    """A score as whole-number arithmetic: every item's points times a ``common`` multiple, so
    that the total is compared exactly without a Fraction made per partner."""
    common = lcm(*(Fraction(i.points / i.full_at).denominator for i in score.items))
    terms, tests = [], []
    for item in score.items:
        at = f"v[{position[item.metric.name]}]"
        weight = item.points / item.full_at * common  # a whole number by the choice of common
        full = constant(item.full_at)
        # max(0, min(value, full)), without the calls: a column asks it once per partner
        capped = f"({full} if {at} >= {full} else ({at} if {at} > 0 else 0))"
        terms.append(f"{constant(int(weight))} * {capped}")
        if item.minimum is not None:
            tests.append(f"{at} >= {constant(item.minimum)}")
    tests.append(f"{' + '.join(terms)} >= {constant(score.min_total * common)}")
    return " and ".join(f"({t})" for t in tests)
