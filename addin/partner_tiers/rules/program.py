"""A program edition as data: its tiers, lowest first, and what each one needs.

A :class:`Program` is built by :mod:`partner_tiers.rules.programs` from a definition file,
which validates it: unique tier names, no requirement on the lowest tier, and for a revenue
*ladder* (each tier a ``min_revenue`` and at most two counts of certified people) thresholds
strictly ascending from 0. Every tier's requirement is also a tree (see
:mod:`partner_tiers.rules.requirements`), which is how a program of any other shape (two
paths, a score, monthly commitments...) is written.

>>> from partner_tiers.rules.programs import get_program
>>> sophos = get_program("sophos-2019")
>>> [t.name for t in sophos.tiers]
['Authorized', 'Silver', 'Gold', 'Platinum']
>>> sophos.tier(" gold ").min_revenue, sophos.level("Gold"), sophos.thresholds
(Decimal('60000'), 2, (0, 1000000, 6000000, 20000000))
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from partner_tiers.errors import PartnerTiersError
from partner_tiers.rules.metrics import REVENUE, Exact, Metric, role_metric
from partner_tiers.rules.money import Cents, to_cents
from partner_tiers.rules.requirements import (
    AtLeast,
    Criterion,
    Requirement,
    compile_ladder,
    criteria_of,
    has_score,
    metrics_of,
    revenue_floor,
)
from partner_tiers.wording import shown


class UnknownTier(PartnerTiersError, LookupError):
    """A tier name that the program does not have."""

    def __init__(self, name: str, program: Program) -> None:
        known = ", ".join(t.name for t in program.tiers)
        super().__init__(f"unknown tier {shown(name)} in {program.id}; known: {known}")


class Unpublished(PartnerTiersError, LookupError):
    """An answer depends on a figure the vendor does not publish; the message says which,
    and how a distributor who knows it sets it."""

    def __init__(self, program: Program, what: str, how: str) -> None:
        super().__init__(
            f"{program.id}: {what} is not published by {program.vendor}; set it in a program "
            f"file that extends {program.id} ({how})"
        )


class MetricsNeeded(PartnerTiersError, LookupError):
    """A program reads metrics that the function was not given."""

    def __init__(self, program: Program, missing: list[str]) -> None:
        names = ", ".join(missing)
        super().__init__(
            f"{program.id} needs {names}: in Excel, give a table headed by the metrics' names "
            f"(PROGRAM_METRICS lists them); on the command line, --metric {missing[0]}=..."
        )


@dataclass(frozen=True)
class Lifecycle:
    """When a tier changes: ``at_once`` (as soon as the requirement is met or missed),
    ``at_audit`` (a partner keeps its tier until the period ends) or, for a demotion,
    ``after_grace`` (``grace_months`` after the audit)."""

    upgrade: str = "at_audit"
    downgrade: str = "at_audit"
    grace_months: int = 0


AT_AUDIT = Lifecycle()


@dataclass(frozen=True)
class Tier:
    """One level of a program. Unset certification counts mean "not required".

    ``requirement`` is what the tier needs, as a tree; None for nothing. A tier of a revenue
    ladder also has its ``min_revenue`` (and counts), from which its requirement is made.
    """

    name: str
    min_revenue: Decimal | None
    min_certified_sales: int | None = None
    min_certified_engineers: int | None = None
    discount: Decimal | None = None
    benefits: str | None = None
    requirement: Requirement | None = None

    def __post_init__(self) -> None:
        if self.requirement is None and self.min_revenue is not None:
            object.__setattr__(self, "requirement", ladder_requirement(self))

    def missing_certifications(
        self, certified_sales: int | None, certified_engineers: int | None
    ) -> tuple[int, int]:
        """How many certified sales people and engineers are short of this tier's needs."""
        return (
            max(0, (self.min_certified_sales or 0) - (certified_sales or 0)),
            max(0, (self.min_certified_engineers or 0) - (certified_engineers or 0)),
        )


def ladder_requirement(tier: Tier) -> Requirement | None:
    """A ladder tier's fields as a requirement: revenue, and the counts of certified sales
    people and engineers it asks for (None when it asks for nothing)."""
    parts: list[Requirement] = []
    if tier.min_revenue:
        parts.append(Criterion(REVENUE, to_cents(tier.min_revenue)))
    for role, count in (
        ("sales", tier.min_certified_sales),
        ("engineers", tier.min_certified_engineers),
    ):
        if count:
            parts.append(Criterion(role_metric(role), count))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AtLeast.all_of(*parts)


@dataclass(frozen=True)
class Program:
    """One edition of a vendor's partner program. Tiers are ordered lowest first."""

    id: str
    vendor: str
    name: str
    currency: str
    fiscal_year_start_month: int | None  # None: the vendor does not publish it
    basis: str
    source: str
    tiers: tuple[Tier, ...]
    effective_from: date | None = None
    replaces: str | None = None
    grace_months: int | None = None
    audit_month_day: tuple[int, int] | None = None  # None: the last day of the fiscal year
    metrics: tuple[Metric, ...] = ()  # what the tiers read; () for revenue and what tiers read
    tracks: tuple[str, ...] = ()  # parallel ladders (names of the top paths of each tier)
    lifecycle: Lifecycle | None = None  # None: not stated; tiers change at the audit
    definition: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    unpublished: tuple[str, ...] = ()  # what the vendor keeps to itself, in words
    # Whether the file names its roles of certified people (``roles``): a program whose
    # tiers read no count of them and that names none has no certified people to count.
    names_roles: bool = False
    # Each tier's revenue threshold in cents; for a program that is no ladder, the least
    # revenue with which the tier can be met (see requirements.revenue_floor), which is what
    # a projection of revenue alone must reach.
    thresholds: tuple[Cents, ...] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, int] = field(init=False, repr=False, compare=False)
    _allowed: dict[tuple[int | None, int | None], tuple[int, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _times: dict[int, tuple[Cents, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        # The thresholds in exact cents, as the rules compare them (see rules.money).
        thresholds = tuple(to_cents(t.min_revenue) for t in self.tiers if t.min_revenue is not None)
        if not self.is_ladder:  # the least revenue that keeps each tier (see revenue_floor)
            thresholds = tuple(revenue_floor(t.requirement) for t in self.tiers)
        object.__setattr__(self, "thresholds", thresholds)
        if not self.metrics:
            read = {m.name: m for t in self.tiers for m in metrics_of(t.requirement)}
            read.pop(REVENUE.name, None)
            object.__setattr__(self, "metrics", (REVENUE, *read.values()))
        object.__setattr__(
            self, "_by_name", {t.name.casefold(): i for i, t in enumerate(self.tiers)}
        )

    @property
    def is_ladder(self) -> bool:
        """Whether every tier is a revenue threshold and at most two counts of certified
        people (today's Sophos shape), which the rules answer by bisection."""
        return all(t.min_revenue is not None for t in self.tiers)

    def floor(self, level: int) -> Cents:
        """The revenue threshold of the tier at ``level`` (for a program that is no ladder,
        the least revenue with which it can be met); :class:`Unpublished` when that hangs on
        a threshold the vendor does not publish."""
        tier = self.tiers[level]
        if any(
            c.minimum is None and c.metric.name == REVENUE.name
            for c in criteria_of(tier.requirement)
        ):
            raise self.unpublished_threshold(tier, REVENUE.name)
        return self.thresholds[level]

    def unpublished_threshold(self, tier: Tier, metric: str) -> Unpublished:
        """The message for ``tier``'s threshold of ``metric``, which the vendor does not
        publish: what a distributor sets, and where."""
        return Unpublished(
            self,
            f"{tier.name}'s threshold of {metric}",
            f'[[tiers]] name = "{tier.name}", thresholds = {{ {metric} = ... }}',
        )

    @property
    def is_score(self) -> bool:
        """Whether a tier needs a score: the gap to the next tier is then in points."""
        return any(has_score(t.requirement) for t in self.tiers)

    def metric(self, name: str) -> Metric:
        """The metric called ``name``."""
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)

    @functools.cached_property
    def ladder_function(self) -> Callable[[Sequence[Exact]], int] | None:
        """The compiled ladder (see requirements.compile_ladder) over :attr:`metrics`; None
        when a threshold is not published."""
        if any(c.minimum is None for t in self.tiers for c in criteria_of(t.requirement)):
            return None
        return compile_ladder([t.requirement for t in self.tiers], self.metrics)

    def read_metrics(self) -> list[Metric]:
        """The metrics some tier reads, in the order of :attr:`metrics`."""
        read = {m.name for t in self.tiers for m in metrics_of(t.requirement)}
        return [m for m in self.metrics if m.name in read]

    def unpublished_criteria(self) -> list[tuple[Tier, Criterion]]:
        """Each criterion whose threshold the vendor does not publish, with its tier."""
        return [(t, c) for t in self.tiers for c in criteria_of(t.requirement) if c.minimum is None]

    @property
    def fiscal_start(self) -> int:
        """The month the fiscal year starts; :class:`Unpublished` when the vendor keeps it."""
        if self.fiscal_year_start_month is None:
            raise Unpublished(self, "the fiscal year", "fiscal_year_start_month = 4 for April")
        return self.fiscal_year_start_month

    @property
    def top(self) -> int:
        """The level of the top tier."""
        return len(self.tiers) - 1

    @property
    def needs_certifications(self) -> bool:
        """True when any tier asks for certified people."""
        return any(
            c.metric.kind == "certified" and c.minimum != 0
            for t in self.tiers
            for c in criteria_of(t.requirement)
        )

    def tier(self, name: str) -> Tier:
        """The tier called ``name`` (case and surrounding spaces ignored)."""
        return self.tiers[self.level(name)]

    def level(self, tier: Tier | str) -> int:
        """Position of a tier, 0 for the lowest."""
        name = tier.name if isinstance(tier, Tier) else tier
        try:
            return self._by_name[name.strip().casefold()]
        except KeyError:
            raise UnknownTier(name, self) from None

    def thresholds_times(self, factor: int) -> tuple[Cents, ...]:
        """The thresholds in cents times ``factor`` (for a run rate: see rules.projection)."""
        scaled = self._times.get(factor)
        if scaled is None:
            scaled = self._times[factor] = tuple(t * factor for t in self.thresholds)
        return scaled

    def allowed_levels(
        self, certified_sales: int | None, certified_engineers: int | None
    ) -> tuple[int, ...]:
        """For each level reached on revenue, the highest level up to it whose certification
        needs the partner meets (blank counts as 0)."""
        key = (certified_sales, certified_engineers)
        allowed = self._allowed.get(key)
        if allowed is None:
            allowed = tuple(
                self._certified_level(level, certified_sales, certified_engineers)
                for level in range(len(self.tiers))
            )
            if len(self._allowed) < 1024:  # counts are small numbers; keep the cache small too
                self._allowed[key] = allowed
        return allowed

    def _certified_level(
        self, level: int, certified_sales: int | None, certified_engineers: int | None
    ) -> int:
        while level > 0 and any(
            self.tiers[level].missing_certifications(certified_sales, certified_engineers)
        ):
            level -= 1
        return level
