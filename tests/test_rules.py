"""Tier rules, as properties over any valid program and as the Sophos 2019 story."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partner_tiers.rules import projection, tiers
from partner_tiers.rules.money import to_cents
from partner_tiers.rules.program import Program, Tier, UnknownTier
from partner_tiers.rules.programs import get_program
from partner_tiers.rules.projection import project
from partner_tiers.rules.tiers import assess, qualifying_level, revenue_gap, tier_change

from . import oracle
from .fixtures import VALID
from .strategies import CENT, money, programs, revenue_near_thresholds


def _program(*tiers: Tier) -> Program:
    """A program of these tiers, the rest of its fields made up."""
    return Program("p", "v", "n", "EUR", 1, "b", "s", tiers)


counts = st.one_of(st.none(), st.integers(0, 12))


@given(programs(), money(), money(), counts, counts)
def test_tier_never_falls_when_revenue_rises(program, a, b, sales, engineers):
    low, high = sorted((a, b))
    assert qualifying_level(program, low, sales, engineers) <= qualifying_level(
        program, high, sales, engineers
    )


@given(programs(), money(), st.integers(0, 6), st.integers(0, 6))
def test_tier_never_falls_when_certifications_rise(program, revenue, sales, engineers):
    assert qualifying_level(program, revenue, sales, engineers) <= qualifying_level(
        program, revenue, sales + 1, engineers + 1
    )


@given(st.data())
def test_the_tier_is_the_highest_whose_requirements_are_all_met(data):
    program = data.draw(programs())
    revenue = data.draw(revenue_near_thresholds(program))
    sales, engineers = data.draw(counts), data.draw(counts)
    a = assess(program, revenue, sales, engineers)
    assert revenue >= a.tier.min_revenue
    assert oracle.certifications_short(a.tier, sales, engineers) == (0, 0)
    for higher in program.tiers[a.level + 1 :]:
        short = oracle.certifications_short(higher, sales, engineers)
        assert revenue < higher.min_revenue or any(short)


@given(st.data())
def test_revenue_plus_gap_reaches_the_next_tier_and_a_cent_less_does_not(data):
    program = data.draw(programs(certifications=False))
    revenue = data.draw(revenue_near_thresholds(program))
    a = assess(program, revenue)
    if a.next_tier is None:
        assert a.revenue_gap == 0
        return
    assert assess(program, revenue + a.revenue_gap).level == a.level + 1
    assert assess(program, revenue + a.revenue_gap - CENT).level == a.level


@given(st.data())
def test_the_gap_is_zero_only_at_the_top(data):
    program = data.draw(programs(certifications=False))
    a = assess(program, data.draw(revenue_near_thresholds(program)))
    assert (a.revenue_gap == 0) == (a.next_tier is None)
    assert a.revenue_gap >= 0 and a.revenue_gap == a.revenue_gap.quantize(CENT)


@given(st.data())
def test_with_certifications_the_gap_still_covers_the_revenue_part(data):
    program = data.draw(programs())
    revenue = data.draw(revenue_near_thresholds(program))
    a = assess(program, revenue, data.draw(counts), data.draw(counts))
    if a.next_tier is not None:
        assert revenue + a.revenue_gap >= a.next_tier.min_revenue
        assert a.revenue_gap or a.missing_certified_sales or a.missing_certified_engineers


@given(st.data())
def test_progress_runs_from_0_to_1(data):
    program = data.draw(programs())
    revenue = data.draw(revenue_near_thresholds(program))
    a = assess(program, revenue, data.draw(counts), data.draw(counts))
    assert 0 <= a.progress <= 1
    if a.next_tier is None:
        assert a.progress == 1
    elif revenue == a.tier.min_revenue:
        assert a.progress == 0
    if a.progress == 1 and a.next_tier is not None:  # 100% means the revenue is there
        assert revenue >= a.next_tier.min_revenue


def test_progress_of_a_huge_revenue_held_back_by_certifications_is_1():
    held_back = _program(
        Tier("Base", Decimal(0)), Tier("Certified", Decimal(100), min_certified_sales=2)
    )
    a = assess(held_back, Decimal("1e300"))
    assert (a.tier.name, a.revenue_gap, a.progress) == ("Base", 0, 1)


@pytest.mark.slow
@settings(max_examples=400)
@given(st.data())
def test_a_column_of_partners_is_assessed_as_the_oracle_assesses_each(data):
    program = data.draw(programs(fine=data.draw(st.booleans())))
    revenues = data.draw(st.lists(revenue_near_thresholds(program) | st.none(), max_size=8))
    sales, engineers = data.draw(counts), data.draw(counts)
    cents = [None if r is None else to_cents(r) for r in revenues]
    levels = tiers.levels(program, cents, sales, engineers)
    gaps, progress = tiers.gaps(program, levels, cents), tiers.progress(program, levels, cents)
    for revenue, level, gap, steps in zip(revenues, levels, gaps, progress, strict=True):
        if revenue is None:
            assert level is gap is steps is None
            continue
        expected = oracle.assessment(program, revenue, sales, engineers)
        assert (program.tiers[level], Fraction(gap, 100), Fraction(steps, 1000)) == (
            expected.tier,
            Fraction(expected.revenue_gap),
            Fraction(expected.progress),
        )
        assert assess(program, revenue, sales, engineers) == expected  # a column of one


@pytest.mark.slow
@settings(max_examples=400)
@given(st.data())
def test_a_column_of_partners_is_projected_as_the_oracle_projects_each(data):
    program = data.draw(programs(data.draw(st.booleans()), fine=data.draw(st.booleans())))
    quarters = data.draw(st.integers(1, 4))
    run_rate_edges = [  # a year-to-date revenue whose run rate lands on a threshold
        (t.min_revenue * quarters / 4).quantize(CENT, ROUND_FLOOR) + step
        for t in program.tiers
        for step in (-CENT, 0, CENT)
    ]
    edges = st.sampled_from([r for r in run_rate_edges if r >= 0])
    ytds = data.draw(st.lists(edges | revenue_near_thresholds(program), min_size=1, max_size=6))
    current, target = (data.draw(st.none() | st.sampled_from(program.tiers)) for _ in "ct")
    sales, engineers = data.draw(counts), data.draw(counts)
    cents = [to_cents(ytd) for ytd in ytds]
    target_level = None if target is None else program.level(target)
    projected = projection.projected_levels(program, cents, quarters, sales, engineers)
    required = projection.required_per_quarter(
        program, cents, quarters, target_level, sales, engineers
    )
    risks = [None] * len(cents)
    if current is not None:
        risks = projection.at_risk(program, cents, quarters, program.level(current))
    answers = zip(ytds, projected, required, risks, strict=True)
    for ytd, level, (reach, per_quarter), risk in answers:
        expected = oracle.projection(program, ytd, quarters, current, target, sales, engineers)
        assert program.tiers[level] == expected.projected_tier
        assert program.tiers[reach] == expected.target_tier
        per = None if per_quarter is None else Fraction(per_quarter, 100)
        assert per == (
            None
            if expected.required_per_quarter is None
            else Fraction(expected.required_per_quarter)
        )
        assert risk == expected.at_risk
        one = project(
            program,
            ytd,
            quarters,
            current_tier=current,
            target_tier=target,
            certified_sales=sales,
            certified_engineers=engineers,
        )
        assert one == expected  # a column of one


def test_a_threshold_with_a_fraction_of_a_cent_is_compared_exactly():
    odd = _program(Tier("Base", Decimal(0)), Tier("Odd", Decimal("100.005")))
    assert [assess(odd, Decimal(r)).tier.name for r in ("100.004", "100.005")] == ["Base", "Odd"]
    assert assess(odd, Decimal("100")).revenue_gap == Decimal("0.01")  # 0.005, rounded up
    assert get_program("sophos-2019").thresholds == (0, 1_000_000, 6_000_000, 20_000_000)


def test_revenue_gap_rounds_up_to_the_cent_even_for_tiny_or_odd_amounts():
    assert revenue_gap(Decimal("1E-300"), Decimal(10_000)) == Decimal("10000.00")
    assert revenue_gap(Decimal("9999.991"), Decimal(10_000)) == Decimal("0.01")
    assert revenue_gap(Decimal("1E+300"), Decimal(10_000)) == 0


@given(st.data())
def test_required_per_quarter_reaches_the_target_and_a_cent_less_does_not(data):
    program = data.draw(programs(certifications=False))
    ytd = data.draw(revenue_near_thresholds(program))
    quarters = data.draw(st.integers(1, 4))
    target = data.draw(st.one_of(st.none(), st.sampled_from(program.tiers)))
    p = project(program, ytd, quarters, target_tier=target)
    remaining = p.quarters_remaining
    threshold = p.target_tier.min_revenue
    if p.required_per_quarter is None:
        assert remaining == 0 and ytd < threshold
    elif p.required_per_quarter == 0:
        assert ytd >= threshold
    else:
        assert ytd + p.required_per_quarter * remaining >= threshold
        assert ytd + (p.required_per_quarter - CENT) * remaining < threshold


@given(st.data())
def test_projection_is_the_tier_of_the_run_rate_and_risk_is_falling_below_today(data):
    program = data.draw(programs())
    ytd = data.draw(revenue_near_thresholds(program))
    quarters = data.draw(st.integers(1, 4))
    current = data.draw(st.sampled_from(program.tiers))
    sales, engineers = data.draw(counts), data.draw(counts)
    p = project(
        program,
        ytd,
        quarters,
        current_tier=current.name,
        certified_sales=sales,
        certified_engineers=engineers,
    )
    exact = Fraction(ytd) * 4 / quarters
    assert Fraction(p.projected_revenue) <= exact < Fraction(p.projected_revenue) + Fraction(CENT)
    reached = [  # exact arithmetic as the oracle
        t
        for t in program.tiers
        if oracle.revenue_met(t, exact)
        and oracle.certifications_short(t, sales, engineers) == (0, 0)
    ]
    assert p.projected_tier == reached[-1]
    assert p.at_risk == (exact < current.min_revenue)
    above = program.level(p.projected_tier) + 1
    assert p.target_tier == program.tiers[min(above, len(program.tiers) - 1)]


def test_projection_needs_one_to_four_quarters_and_a_known_tier():
    sophos = get_program("sophos-2019")
    with pytest.raises(ValueError, match="1 to 4"):
        project(sophos, Decimal(1), 0)
    with pytest.raises(UnknownTier, match="known: Authorized, Silver, Gold, Platinum"):
        project(sophos, Decimal(1), 1, target_tier="Diamond")


def test_no_quarter_left_means_no_required_amount_unless_reached():
    sophos = get_program("sophos-2019")
    assert project(sophos, Decimal(50_000), 4).required_per_quarter is None
    assert project(sophos, Decimal(50_000), 4, target_tier="Silver").required_per_quarter == 0


@pytest.mark.slow
@given(st.data())
def test_tier_change_is_antisymmetric(data):
    a, b = data.draw(programs()), data.draw(programs())
    revenue = data.draw(money())
    assert tier_change(revenue, a, b) == -tier_change(revenue, b, a)
    assert tier_change(revenue, a, a) == 0


# The July 2019 refresh: Silver 25k -> 10k, Gold 75k -> 60k, Platinum 150k -> 200k EUR.
REFRESH = [
    (0, 0),
    (9_999.99, 0),
    (10_000, +1),
    (24_999.99, +1),
    (25_000, 0),
    (59_999.99, 0),
    (60_000, +1),
    (74_999.99, +1),
    (75_000, 0),
    (149_999.99, 0),
    (150_000, -1),
    (199_999.99, -1),
    (200_000, 0),
    (10**7, 0),
]


@pytest.mark.parametrize(("revenue", "change"), REFRESH)
def test_the_2019_refresh_moved_partners_as_announced(revenue, change):
    old, new = get_program("sophos-pre-2019"), get_program("sophos-2019")
    assert tier_change(Decimal(str(revenue)), old, new) == change


def test_certifications_hold_a_partner_back(user_programs):
    (user_programs / "acme.toml").write_text(VALID, "utf-8")
    acme = get_program("acme-2025")  # Select needs 1 certified sales person, Premier 2 and 2
    a = assess(acme, Decimal(300_000), certified_sales=1, certified_engineers=5)
    assert (a.tier.name, a.next_tier.name) == ("Select", "Premier")
    assert (a.revenue_gap, a.missing_certified_sales, a.missing_certified_engineers) == (0, 1, 0)
    assert a.progress == 1
    assert assess(acme, Decimal(300_000)).tier.name == "Registered"  # blank counts as 0
