"""An independent oracle for the rules: each rule as its definition, in exact Fractions.

Nothing of the rules module is called: each criterion (revenue, certified people per role)
is written here as its definition. No cents, no bisection, no caching: the highest tier
whose needs are all met, the gap rounded up to the cent, progress rounded down to 0.1%, the
year run on at its exact rate.
The rules' tests and the Excel functions' tests compare against it.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from partner_tiers.rules.program import Program, Tier
from partner_tiers.rules.projection import Projection
from partner_tiers.rules.tiers import Assessment


def _up_to_cent(amount: Fraction) -> Fraction:
    return Fraction(math.ceil(amount * 100), 100)


def _decimal(amount: Fraction) -> Decimal:
    """An amount of whole cents (or a whole 0.1% step) as a Decimal, exactly."""
    return Decimal(amount.numerator) / Decimal(amount.denominator)


# Each criterion kind written as its definition, none taken from the code under test.


def revenue_met(tier: Tier, revenue: Fraction) -> bool:
    """Revenue reaches the tier's threshold, inclusively."""
    return revenue >= Fraction(tier.min_revenue)


def people_short(needed: int | None, have: int | None) -> int:
    """How many certified people of one role are short: what the tier asks for (nothing when
    unset) less what the partner has (none when blank), never below zero."""
    asked = 0 if needed is None else needed
    held = 0 if have is None else have
    return asked - held if asked > held else 0


def certifications_short(tier: Tier, sales: int | None, engineers: int | None) -> tuple[int, int]:
    return (
        people_short(tier.min_certified_sales, sales),
        people_short(tier.min_certified_engineers, engineers),
    )


def level(program: Program, revenue: Fraction, sales: int | None, engineers: int | None) -> int:
    """The highest tier all of whose criteria are met (the lowest needs nothing)."""
    met = [
        i
        for i, t in enumerate(program.tiers)
        if revenue_met(t, revenue) and certifications_short(t, sales, engineers) == (0, 0)
    ]
    return max(met)


def assessment(
    program: Program, revenue: Decimal, sales: int | None = None, engineers: int | None = None
) -> Assessment:
    exact = Fraction(revenue)
    at = level(program, exact, sales, engineers)
    tier = program.tiers[at]
    if at == len(program.tiers) - 1:
        return Assessment(program, revenue, tier, None, Decimal(0), 0, 0, Decimal(1))
    above = program.tiers[at + 1]
    low, high = Fraction(tier.min_revenue), Fraction(above.min_revenue)
    gap = max(Fraction(0), _up_to_cent(high - exact))
    steps = math.floor(1000 * (min(exact, high) - low) / (high - low))
    return Assessment(
        program,
        revenue,
        tier,
        above,
        _decimal(gap),
        *certifications_short(above, sales, engineers),
        _decimal(Fraction(steps, 1000)),
    )


def projection(
    program: Program,
    ytd: Decimal,
    quarters: int,
    current: Tier | None = None,
    target: Tier | None = None,
    sales: int | None = None,
    engineers: int | None = None,
) -> Projection:
    exact = Fraction(ytd)
    run_rate = exact * 4 / quarters
    projected = level(program, run_rate, sales, engineers)
    if target is None:
        target = program.tiers[min(projected + 1, len(program.tiers) - 1)]
    threshold, remaining = Fraction(target.min_revenue), 4 - quarters
    if exact >= threshold:
        per_quarter: Decimal | None = Decimal(0)
    elif remaining:
        per_quarter = _decimal(_up_to_cent((threshold - exact) / remaining))
    else:
        per_quarter = None
    at_risk = None if current is None else run_rate < Fraction(current.min_revenue)
    projected_revenue = _decimal(Fraction(math.floor(run_rate * 100), 100))
    return Projection(
        ytd, quarters, projected_revenue, program.tiers[projected], target, per_quarter, at_risk
    )


def tier_change(revenue: Decimal, before: Program, after: Program) -> int:
    exact = Fraction(revenue)
    return level(after, exact, None, None) - level(before, exact, None, None)


# --- programs of any shape, read from their definition's data -------------------------------
#
# Each criterion kind as its definition, on the data of the definition file (not on the
# rules' Program): values in the units a user writes (currency units, whole counts, growth
# as a fraction, 1 for yes), Fractions throughout. None means "unknown": a threshold the
# vendor does not publish.

LADDER_FIELDS = (
    ("min_revenue", "revenue"),
    ("min_certified_sales", "certified_sales"),
    ("min_certified_engineers", "certified_engineers"),
)


def _number(value: object) -> Fraction:
    return Fraction(str(value))


def criterion_met(node: dict, values: dict[str, Fraction]) -> bool | None:
    """A metric at or above its threshold; a yes/no item met by yes."""
    if node.get("min") == "unpublished":
        return None
    if "min" not in node:  # a yes/no item
        return values[node["metric"]] == 1
    return values[node["metric"]] >= _number(node["min"])


def score_met(node: dict, values: dict[str, Fraction]) -> bool:
    """Every item's least value met, and the points, each in proportion up to full_at, at
    least min_total."""
    total = Fraction(0)
    for item in node["score"]:
        value = values[item["metric"]]
        if "min" in item and value < _number(item["min"]):
            return False
        full = _number(item["full_at"])
        total += _number(item["points"]) * min(max(value, 0), full) / full
    return total >= _number(node["min_total"])


def node_met(node: dict, values: dict[str, Fraction]) -> bool | None:
    if "metric" in node:
        return criterion_met(node, values)
    if "score" in node:
        return score_met(node, values)
    if "all" in node:
        parts, needed = node["all"], len(node["all"])
    elif "any" in node:
        parts, needed = node["any"], 1
    else:
        parts, needed = node["of"], node["at_least"]
    answers = [node_met(p, values) for p in parts]
    met, unknown = answers.count(True), answers.count(None)
    if met >= needed:
        return True
    return None if met + unknown >= needed else False


def tier_met(tier: dict, values: dict[str, Fraction]) -> bool | None:
    """A tier of a definition: its tree, any of its tracks, or its ladder fields."""
    if "requires" in tier:
        return node_met(tier["requires"], values)
    if "tracks" in tier:
        answers = [node_met(t, values) for t in tier["tracks"].values()]
        return True if True in answers else None if None in answers else False
    return all(
        values.get(metric, Fraction(0)) >= _number(tier[field])
        for field, metric in LADDER_FIELDS
        if field in tier
    )


def definition_level(data: dict, values: dict[str, Fraction]) -> int | None:
    """The highest tier met; None when a tier above it is unknown."""
    for at in range(len(data["tiers"]) - 1, 0, -1):
        answer = tier_met(data["tiers"][at], values)
        if answer is None:
            return None
        if answer:
            return at
    return 0
