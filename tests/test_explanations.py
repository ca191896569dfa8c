"""The explanation sentence, in English and Polish."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partner_tiers.rules.explanations import explain, format_money, format_numbers
from partner_tiers.rules.programs import get_program
from partner_tiers.rules.tiers import assess

from .fixtures import VALID

NBSP = "\u00a0"


def test_the_examples_from_the_issue():
    gold = assess(get_program("sophos-2019"), Decimal(60_000))
    assert explain(gold, "en") == "Gold. Platinum needs 140,000.00 EUR more revenue."
    assert explain(gold, "pl") == f"Gold. Do poziomu Platinum brakuje 140{NBSP}000,00 EUR obrotu."


def test_the_top_tier_says_so():
    top = assess(get_program("sophos-2019"), Decimal(200_000))
    assert explain(top) == "Platinum. This is the top tier."
    assert explain(top, "pl") == "Platinum. To najwyższy poziom."


def test_cents_and_large_amounts_are_formatted_per_language():
    assert format_money(Decimal("0.005"), "EUR") == "0.01 EUR"  # half up
    assert format_money(Decimal("1234567.891"), "USD") == "1,234,567.89 USD"
    assert format_money(Decimal("1234567.891"), "PLN", "pl") == f"1{NBSP}234{NBSP}567,89 PLN"


@given(st.integers(-(10**18), 10**18) | st.integers(-(10**6), 10**6))
def test_whole_cents_are_formatted_exactly_at_any_size(cents):
    exact = f"{Decimal(cents).scaleb(-2):,.2f}"  # Decimal as the oracle: no float inside
    assert format_numbers([cents]) == [exact]
    assert format_numbers([cents], "pl") == [exact.replace(",", NBSP).replace(".", ",")]


@pytest.mark.parametrize(
    ("revenue", "sales", "engineers", "english", "polish"),
    [
        (
            300_000,
            1,
            2,
            "Select. Premier needs 1 more certified sales person.",
            "Select. Do poziomu Premier brakuje 1 certyfikowanego handlowca.",
        ),
        (
            300_000,
            0,
            0,
            "Registered. Select needs 1 more certified sales person.",
            "Registered. Do poziomu Select brakuje 1 certyfikowanego handlowca.",
        ),
        (
            100_000,
            1,
            0,
            "Select. Premier needs 150,000.50 USD more revenue, 1 more certified sales person "
            "and 2 more certified engineers.",
            f"Select. Do poziomu Premier brakuje 150{NBSP}000,50 USD obrotu, 1 certyfikowanego "
            "handlowca i 2 certyfikowanych inżynierów.",
        ),
        (
            260_000,
            0,
            1,
            "Registered. Select needs 1 more certified sales person.",
            "Registered. Do poziomu Select brakuje 1 certyfikowanego handlowca.",
        ),
        (
            260_000,
            2,
            1,
            "Select. Premier needs 1 more certified engineer.",
            "Select. Do poziomu Premier brakuje 1 certyfikowanego inżyniera.",
        ),
        (
            60_000,
            2,
            0,
            "Select. Premier needs 190,000.50 USD more revenue and 2 more certified engineers.",
            f"Select. Do poziomu Premier brakuje 190{NBSP}000,50 USD obrotu i 2 "
            "certyfikowanych inżynierów.",
        ),
    ],
)
def test_missing_certifications_are_named_with_the_right_plural(
    user_programs, revenue, sales, engineers, english, polish
):
    (user_programs / "acme.toml").write_text(VALID, "utf-8")
    a = assess(get_program("acme-2025"), Decimal(revenue), sales, engineers)
    assert (explain(a, "en"), explain(a, "pl")) == (english, polish)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="known: en, pl"):
        explain(assess(get_program(), Decimal(1)), "de")
