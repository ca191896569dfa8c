"""A program edition as data: its tiers, lowest first, and what each one needs.

A :class:`Program` is built by :mod:`partner_tiers.rules.programs` from a definition file,
which validates it: thresholds strictly ascending from 0, unique tier names, no requirement
on the lowest tier.

>>> from partner_tiers.rules.programs import get_program
>>> sophos = get_program("sophos-2019")
>>> [t.name for t in sophos.tiers]
['Authorized', 'Silver', 'Gold', 'Platinum']
>>> sophos.tier(" gold ").min_revenue, sophos.level("Gold"), sophos.thresholds
(Decimal('60000'), 2, (0, 1000000, 6000000, 20000000))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from partner_tiers.errors import PartnerTiersError
from partner_tiers.rules.money import Cents, to_cents
from partner_tiers.wording import shown


class UnknownTier(PartnerTiersError, LookupError):
    """A tier name that the program does not have."""

    def __init__(self, name: str, program: Program) -> None:
        known = ", ".join(t.name for t in program.tiers)
        super().__init__(f"unknown tier {shown(name)} in {program.id}; known: {known}")


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
    """One edition of a vendor's partner program. Tiers are ordered lowest first."""

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
    audit_month_day: tuple[int, int] | None = None  # None: the last day of the fiscal year
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
        object.__setattr__(self, "thresholds", tuple(to_cents(t.min_revenue) for t in self.tiers))
        object.__setattr__(
            self, "_by_name", {t.name.casefold(): i for i, t in enumerate(self.tiers)}
        )

    @property
    def top(self) -> int:
        """The level of the top tier."""
        return len(self.tiers) - 1

    @property
    def needs_certifications(self) -> bool:
        """True when any tier asks for certified people."""
        return any(t.min_certified_sales or t.min_certified_engineers for t in self.tiers)

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
