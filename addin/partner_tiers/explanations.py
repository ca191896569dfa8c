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

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .rules import CENT, Assessment, Tier


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
    cents = amount.quantize(CENT, ROUND_HALF_UP).scaleb(2)  # half up, as on an invoice
    return format_cents(int(cents), currency, language)


def format_cents(cents: int, currency: str, language: str = "en") -> str:
    """:func:`format_money` of an amount in whole cents.

    >>> format_cents(-123456750, "EUR"), format_cents(5, "PLN", "pl")
    ('-1,234,567.50 EUR', '0,05 PLN')
    """
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    text = f"{sign}{cents // 100:,}.{cents % 100:02d}"
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
    a = assessment
    gap_cents = int(a.revenue_gap.scaleb(2))  # a gap is whole cents, rounded up
    return sentence(
        a.tier, a.next_tier, gap_cents, a.missing_certified_sales, a.missing_certified_engineers,
        a.program.currency, language,
    )  # fmt: skip


def sentence(
    tier: Tier, next_tier: Tier | None, gap_cents: int, missing_sales: int,
    missing_engineers: int, currency: str, language: str = "en",
) -> str:  # fmt: skip
    """:func:`explain` from the parts of an assessment, with the gap in cents."""
    if next_tier is None:
        return phrases_for(language).top.format(tier=tier.name)
    before, after = _around_the_amount(
        tier.name, next_tier.name, gap_cents > 0, missing_sales, missing_engineers, language
    )
    return before + format_cents(gap_cents, currency, language) + after if gap_cents else before


_AMOUNT = "\0"  # stands for the amount while a sentence is put together


@functools.lru_cache(maxsize=4096)
def _around_the_amount(
    tier: str, next_tier: str, has_gap: bool, missing_sales: int, missing_engineers: int,
    language: str,
) -> tuple[str, str]:  # fmt: skip
    """The sentence before and after the amount; the whole sentence when it has none.

    A column of partners shares a few of these, so each is put together once.
    """
    phrases = phrases_for(language)
    items = [phrases.revenue.format(amount=_AMOUNT)] if has_gap else []
    for count, forms in ((missing_sales, phrases.sales), (missing_engineers, phrases.engineers)):
        if count:
            items.append(forms[count != 1].format(count=count))
    listed = (
        items[0]
        if len(items) == 1
        else f"{', '.join(items[:-1])} {phrases.conjunction} {items[-1]}"
    )
    before, _, after = phrases.needs.format(tier=tier, next_tier=next_tier, items=listed).partition(
        _AMOUNT
    )
    return before, after
