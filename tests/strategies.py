"""Hypothesis strategies: money, valid programs of any shape, Excel-like cell values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from partner_tiers.excel.cells import ERROR_VALUES
from partner_tiers.rules.program import Program, Tier

CENT = Decimal("0.01")


def money(max_value: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Amounts in whole cents."""
    return st.integers(0, max_value * 100).map(lambda cents: Decimal(cents) * CENT)


def fine_money(max_value: int = 10**6) -> st.SearchStrategy[Decimal]:
    """Amounts with up to four decimals: fractions of a cent, as Excel's sums may hold."""
    return st.integers(0, max_value * 10**4).map(lambda units: Decimal(units).scaleb(-4))


@st.composite
def programs(draw: st.DrawFn, certifications: bool = True, fine: bool = False) -> Program:
    """A valid program: 1 to 6 tiers from 0 up, optionally with rising certification needs
    and (``fine``) thresholds with fractions of a cent."""
    unit = Decimal("0.0001") if fine else CENT
    steps = draw(st.lists(st.integers(1, 10**8), min_size=0, max_size=5))
    thresholds = [0]
    for step in steps:
        thresholds.append(thresholds[-1] + step)
    tiers = [Tier("Tier 0", Decimal(0))]
    sales = engineers = 0
    for i, units in enumerate(thresholds[1:], start=1):
        if certifications:
            sales += draw(st.integers(0, 2))
            engineers += draw(st.integers(0, 2))
        tiers.append(Tier(f"Tier {i}", Decimal(units) * unit, sales or None, engineers or None))
    return Program(
        id="generated",
        vendor="Hypothesis",
        name="Generated program",
        currency="EUR",
        fiscal_year_start_month=draw(st.integers(1, 12)),
        basis="Generated.",
        source="tests/strategies.py",
        tiers=tuple(tiers),
    )


def revenue_near_thresholds(program: Program) -> st.SearchStrategy[Decimal]:
    """Any amount, with extra weight on thresholds, one cent and a fraction of a cent either
    side."""
    steps = (-CENT, Decimal("-0.0001"), 0, Decimal("0.0001"), CENT)
    near = [t.min_revenue + d for t in program.tiers for d in steps]
    return st.one_of(st.sampled_from([n for n in near if n >= 0]), money(), fine_money())


# Values Excel (through xlwings) or a careless caller may hand a function.
scalar_cells = st.one_of(
    st.none(),
    st.just(""),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["12500", "12500.5", " 7 ", "1e5", "12,500", "-5", "abc", "Gold"]),
    st.sampled_from(ERROR_VALUES),
    st.sampled_from(["sophos-2019", "sophos-pre-2019", "SOPHOS-2019", "en", "pl", "Platinum"]),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.dates(),
    st.decimals(allow_nan=True, allow_infinity=True),
)
nested_cells = st.recursive(scalar_cells, lambda inner: st.lists(inner, max_size=3), max_leaves=8)
