"""One-sentence explanations of an assessment, in English and Polish.

>>> from decimal import Decimal
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

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .rules import CENT, Assessment


@dataclass(frozen=True)
class _Phrases:
    top: str
    needs: str  # {tier}, {next_tier}, {items}
    revenue: str  # {amount}
    sales: tuple[str, str]  # one person, several people; {count}
    engineers: tuple[str, str]
    conjunction: str
    table_header: tuple[str, ...]  # the columns of TIER_TABLE


# After "brakuje" Polish takes the genitive: singular for 1, plural for every other count.
PHRASES = {
    "en": _Phrases(
        top="{tier}. This is the top tier.",
        needs="{tier}. {next_tier} needs {items}.",
        revenue="{amount} more revenue",
        sales=("{count} more certified sales person", "{count} more certified sales people"),
        engineers=("{count} more certified engineer", "{count} more certified engineers"),
        conjunction="and",
        table_header=(
            "Tier",
            "Min revenue",
            "Currency",
            "Certified sales",
            "Certified engineers",
            "Discount",
            "Benefits",
        ),
    ),
    "pl": _Phrases(
        top="{tier}. To najwyższy poziom.",
        needs="{tier}. Do poziomu {next_tier} brakuje {items}.",
        revenue="{amount} obrotu",
        sales=("{count} certyfikowanego handlowca", "{count} certyfikowanych handlowców"),
        engineers=("{count} certyfikowanego inżyniera", "{count} certyfikowanych inżynierów"),
        conjunction="i",
        table_header=(
            "Poziom",
            "Minimalny obrót",
            "Waluta",
            "Certyfikowani handlowcy",
            "Certyfikowani inżynierowie",
            "Rabat",
            "Korzyści",
        ),
    ),
}
LANGUAGES = tuple(PHRASES)


class UnknownLanguage(ValueError):
    """A language the explanations are not written in."""

    def __init__(self, language: str) -> None:
        super().__init__(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")


def format_money(amount: Decimal, currency: str, language: str = "en") -> str:
    """An amount with two decimals and the currency code, in the language's style.

    >>> format_money(Decimal("1234567.5"), "EUR"), format_money(Decimal("1234567.5"), "PLN", "pl")
    ('1,234,567.50 EUR', '1\\xa0234\\xa0567,50 PLN')
    """
    text = f"{amount.quantize(CENT, ROUND_HALF_UP):,.2f}"  # half up, as on an invoice
    if language == "pl":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return f"{text} {currency}"


def phrases_for(language: str) -> _Phrases:
    """The phrase table of a language; :class:`UnknownLanguage` for any other."""
    try:
        return PHRASES[language]
    except KeyError:
        raise UnknownLanguage(language) from None


def explain(assessment: Assessment, language: str = "en") -> str:
    """The tier, then what the next tier still needs, in ``language`` ("en" or "pl")."""
    phrases = phrases_for(language)
    a = assessment
    if a.next_tier is None:
        return phrases.top.format(tier=a.tier.name)
    items = []
    if a.revenue_gap:
        amount = format_money(a.revenue_gap, a.program.currency, language)
        items.append(phrases.revenue.format(amount=amount))
    for count, forms in (
        (a.missing_certified_sales, phrases.sales),
        (a.missing_certified_engineers, phrases.engineers),
    ):
        if count:
            items.append(forms[count != 1].format(count=count))
    listed = (
        items[0]
        if len(items) == 1
        else f"{', '.join(items[:-1])} {phrases.conjunction} {items[-1]}"
    )
    return phrases.needs.format(tier=a.tier.name, next_tier=a.next_tier.name, items=listed)
