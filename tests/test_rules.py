"""Tier rules, as properties over any valid program and as the Sophos 2019 story."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partner_tiers.rules.programs import get_program
from partner_tiers.rules.tiers import (
    PROGRESS_STEP,
    Program,
    Tier,
    UnknownTier,
    assess,
    project,
    qualifying_level,
    revenue_gap,
    tier_change,
)

from .strategies import CENT, money, programs, revenue_near_thresholds
from .test_programs import VALID

counts = st.one_of(st.none(), st.integers(0, 12))
EPS = Fraction(1, 10**26)


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
    assert a.tier.missing_certifications(sales, engineers) == (0, 0)
    for higher in program.tiers[a.level + 1 :]:
        assert revenue < higher.min_revenue or any(higher.missing_certifications(sales, engineers))


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
    held_back = Program("p", "v", "n", "EUR", 1, "b", "s", (
        Tier("Base", Decimal(0)), Tier("Certified", Decimal(100), min_certified_sales=2),
    ))  # fmt: skip
    a = assess(held_back, Decimal("1e300"))
    assert (a.tier.name, a.revenue_gap, a.progress) == ("Base", 0, 1)


@given(st.data())
def test_the_whole_cent_ladder_gives_what_assess_gives(data):
    program = data.draw(programs())
    revenues = data.draw(st.lists(revenue_near_thresholds(program) | st.none(), max_size=8))
    sales, engineers = data.draw(counts), data.draw(counts)
    cents = [None if r is None else int(r / CENT) for r in revenues]
    ladder = program.in_cents
    levels = ladder.levels(cents, sales, engineers)
    answers = zip(levels, ladder.gaps(levels, cents), ladder.progress(levels, cents), strict=True)
    for revenue, (level, gap, progress) in zip(revenues, answers, strict=True):
        if revenue is None:
            assert level is gap is progress is None
            continue
        a = assess(program, revenue, sales, engineers)
        assert (program.tiers[level], gap * CENT, progress * PROGRESS_STEP) == (
            a.tier,
            a.revenue_gap,
            a.progress,
        )


@settings(max_examples=400)
@given(st.data())
def test_the_whole_cent_ladder_projects_what_project_projects(data):
    program = data.draw(programs(certifications=data.draw(st.booleans())))
    quarters = data.draw(st.integers(1, 4))
    run_rate_edges = [  # a year-to-date revenue whose run rate lands on a threshold
        (t.min_revenue * quarters / 4).quantize(CENT, ROUND_FLOOR) + step
        for t in program.tiers for step in (-CENT, 0, CENT)
    ]  # fmt: skip
    edges = st.sampled_from([r for r in run_rate_edges if r >= 0])
    ytd = data.draw(edges if data.draw(st.integers(0, 3)) else revenue_near_thresholds(program))
    current, target = (data.draw(st.none() | st.sampled_from(program.tiers)) for _ in "ct")
    sales, engineers = data.draw(counts), data.draw(counts)
    p = project(program, ytd, quarters, current_tier=current, target_tier=target,
                certified_sales=sales, certified_engineers=engineers)  # fmt: skip
    ladder, cents = program.in_cents, [int(ytd / CENT)]
    [projected] = ladder.projected_levels(cents, quarters, sales, engineers)
    target_level = None if target is None else program.level(target)
    [(target_level, per_quarter)] = ladder.required_per_quarter(
        cents, quarters, target_level, sales, engineers
    )
    assert program.tiers[projected] == p.projected_tier
    assert program.tiers[target_level] == p.target_tier
    assert (None if per_quarter is None else per_quarter * CENT) == p.required_per_quarter
    if current is not None:
        assert ladder.at_risk(cents, quarters, program.level(current)) == [p.at_risk]


def test_a_threshold_with_a_fraction_of_a_cent_has_no_whole_cent_ladder():
    odd = Program("p", "v", "n", "EUR", 1, "b", "s", (
        Tier("Base", Decimal(0)), Tier("Odd", Decimal("100.005")),
    ))  # fmt: skip
    assert odd.in_cents is None
    assert get_program("sophos-2019").in_cents.thresholds == (0, 1_000_000, 6_000_000, 20_000_000)


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
    p = project(program, ytd, quarters, current_tier=current.name,
                certified_sales=sales, certified_engineers=engineers)  # fmt: skip
    exact = Fraction(ytd) * 4 / quarters
    assert Fraction(p.projected_revenue) <= exact <= Fraction(p.projected_revenue) * (1 + EPS)
    reached = [  # exact arithmetic as the oracle
        t for t in program.tiers
        if Fraction(t.min_revenue) <= exact and t.missing_certifications(sales, engineers) == (0, 0)
    ]  # fmt: skip
    assert p.projected_tier == reached[-1]
    assert p.at_risk == (p.projected_revenue < current.min_revenue)
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


@given(st.data())
def test_tier_change_is_antisymmetric(data):
    a, b = data.draw(programs()), data.draw(programs())
    revenue = data.draw(money())
    assert tier_change(revenue, a, b) == -tier_change(revenue, b, a)
    assert tier_change(revenue, a, a) == 0


# The July 2019 refresh: Silver 25k -> 10k, Gold 75k -> 60k, Platinum 150k -> 200k EUR.
REFRESH = [
    (0, 0), (9_999.99, 0), (10_000, +1), (24_999.99, +1), (25_000, 0), (59_999.99, 0),
    (60_000, +1), (74_999.99, +1), (75_000, 0), (149_999.99, 0), (150_000, -1),
    (199_999.99, -1), (200_000, 0), (10**7, 0),
]  # fmt: skip


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
