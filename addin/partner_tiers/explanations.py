"""One-sentence explanations of an assessment, in English and Polish.

>>> from decimal import ROUND_HALF_UP, Decimal
>>> from partner_tiers.programs import get_program
>>> from partner_tiers.rules import assess
>>> gold = assess(get_program("sophos-2019"), Decimal("60000"))
>>> explain(gold)
'Gold. Platinum needs 140,000.00 EUR more revenue.'
>>> explain(gold, "pl")
'Gold. Do poziomu Platinum brakuje 140\\xa0000,00 EUR obrotu.'
>>> explain(assess(get_program("sophos-2019"), Decimal("250000")), "pl")
'Platinum. To najwyższy poziom.'

Polish amounts group thousands with a no-break space, as Excel does with Polish settings,
so that a wrapped cell never splits a number.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .rules import CENT, Assessment

LANGUAGES = ("en", "pl")


def format_money(amount: Decimal, currency: str, language: str = "en") -> str:
    """An amount with two decimals and the currency code, in the language's style.

    >>> format_money(Decimal("1234567.5"), "EUR"), format_money(Decimal("1234567.5"), "PLN", "pl")
    ('1,234,567.50 EUR', '1\\xa0234\\xa0567,50 PLN')
    """
    text = f"{amount.quantize(CENT, ROUND_HALF_UP):,.2f}"  # half up, as on an invoice
    if language == "pl":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return f"{text} {currency}"


def _people_en(count: int, one: str, many: str) -> str:
    return f"{count} more {one if count == 1 else many}"


def _people_pl(count: int, one: str, many: str) -> str:
    # After "brakuje" Polish takes the genitive: singular for 1, plural otherwise.
    return f"{count} {one if count == 1 else many}"


def _join(parts: list[str], conjunction: str) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


def explain(assessment: Assessment, language: str = "en") -> str:
    """The tier, then what the next tier still needs, in ``language`` ("en" or "pl")."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    a = assessment
    english = language == "en"
    if a.next_tier is None:
        return f"{a.tier.name}. " + ("This is the top tier." if english else "To najwyższy poziom.")
    parts = []
    currency = a.program.currency
    if english:
        if a.revenue_gap:
            parts.append(f"{format_money(a.revenue_gap, currency)} more revenue")
        if a.missing_certified_sales:
            parts.append(
                _people_en(
                    a.missing_certified_sales, "certified sales person", "certified sales people"
                )
            )
        if a.missing_certified_engineers:
            parts.append(
                _people_en(
                    a.missing_certified_engineers, "certified engineer", "certified engineers"
                )
            )
        return f"{a.tier.name}. {a.next_tier.name} needs {_join(parts, 'and')}."
    if a.revenue_gap:
        parts.append(f"{format_money(a.revenue_gap, currency, 'pl')} obrotu")
    if a.missing_certified_sales:
        parts.append(
            _people_pl(
                a.missing_certified_sales, "certyfikowanego handlowca", "certyfikowanych handlowców"
            )
        )
    if a.missing_certified_engineers:
        parts.append(
            _people_pl(
                a.missing_certified_engineers,
                "certyfikowanego inżyniera",
                "certyfikowanych inżynierów",
            )
        )
    return f"{a.tier.name}. Do poziomu {a.next_tier.name} brakuje {_join(parts, 'i')}."
