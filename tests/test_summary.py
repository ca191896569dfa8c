"""The terminal summary: partners per tier now and projected, closest, at risk."""

from __future__ import annotations

from decimal import Decimal

from partner_tiers.review import summary
from partner_tiers.rules.programs import get_program

SOPHOS = get_program("sophos-2019")


def test_the_summary_counts_every_tier_once():
    figures = [
        summary.PartnerFigures(str(i), Decimal(i * 7919), Decimal(i * 1000)) for i in range(60)
    ]
    result = summary.summarise(SOPHOS, 3, figures)
    assert sum(result.now.values()) == sum(result.projected.values()) == 60
    assert [s.gap for s in result.closest] == sorted(s.gap for s in result.closest)


def test_at_risk_are_the_partners_projected_below_their_current_tier():
    figures = [
        summary.PartnerFigures("Holds Gold", Decimal(60_000), Decimal(30_000)),  # 60k a year
        summary.PartnerFigures("Slips", Decimal(60_000), Decimal("29999.99")),
        summary.PartnerFigures("New", None, Decimal(1)),
    ]
    result = summary.summarise(SOPHOS, 2, figures)
    assert [(s.name, s.tier, s.projected_tier) for s in result.at_risk] == [
        ("Slips", "Gold", "Silver")
    ]
    assert result.unknown == 1
