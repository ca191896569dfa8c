"""The terminal summary: partners per tier now and projected, closest, at risk."""

from __future__ import annotations

from decimal import Decimal

from partner_tiers.records import Partner
from partner_tiers.review import summary
from partner_tiers.rules.programs import get_program

SOPHOS = get_program("sophos-2019")


def test_the_summary_counts_every_tier_once():
    figures = [
        Partner(str(i), revenue_prior_year=Decimal(i * 7919), revenue_quarters=[i * 500] * 2)
        for i in range(60)
    ]
    result = summary.summarise(SOPHOS, 3, figures)
    assert sum(result.now.values()) == sum(result.projected.values()) == 60
    assert [s.gap for s in result.closest] == sorted(s.gap for s in result.closest)


def test_at_risk_are_the_partners_projected_below_their_current_tier():
    figures = [
        Partner("Holds Gold", revenue_prior_year=60_000, revenue_quarters=[20_000, 10_000]),
        Partner("Slips", revenue_prior_year=60_000, revenue_quarters=["29999.99", None]),
        Partner("New", revenue_quarters=[1, "text counts as 0"]),
        Partner("", revenue_prior_year=5),  # an empty row is no partner
    ]
    result = summary.summarise(SOPHOS, 2, figures)
    assert [(s.name, s.tier, s.projected_tier) for s in result.at_risk] == [
        ("Slips", "Gold", "Silver")
    ]
    assert result.unknown == 1
