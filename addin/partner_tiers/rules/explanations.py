"""One-sentence explanations of an assessment, in English and Polish.

>>> from decimal import Decimal
>>> from partner_tiers.rules.programs import get_program
>>> from partner_tiers.rules.tiers import assess
>>> gold = assess(get_program("sophos-2019"), Decimal("60000"))
>>> explain(gold)
'Gold. Platinum needs 140,000.00 EUR more revenue.'
>>> explain(gold, "pl")
'Gold. Do poziomu Platinum brakuje 140\\xa0000,00 EUR obrotu.'
>>> explain(assess(get_program("sophos-2019"), Decimal("250000")), "pl")
'Platinum. To najwyższy poziom.'

Given this year's revenue so far, a partner whose year at that pace ends below its tier is
told first what keeping the tier takes, since that decides the meeting:

>>> platinum = assess(get_program("sophos-2019"), Decimal("250000"))
>>> explain(platinum, ytd_revenue=Decimal("23807.20"), quarters_elapsed=2)
'Platinum, at risk: at this pace the year ends below Platinum. Keeping Platinum takes \
88,096.40 EUR a quarter in the 2 remaining quarters.'
>>> explain(gold, ytd_revenue=Decimal("30000"), quarters_elapsed=2)   # on pace: the gap
'Gold. Platinum needs 140,000.00 EUR more revenue.'

Polish amounts group thousands with a no-break space, as Excel does with Polish settings,
so that a wrapped cell never splits a number.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from partner_tiers.rules.metrics import Exact, Metric
from partner_tiers.rules.money import CENT, ceil_cents, from_cents, to_cents
from partner_tiers.rules.program import Program
from partner_tiers.rules.projection import project
from partner_tiers.rules.requirements import AtLeast, Criterion, Requirement, Score, Short
from partner_tiers.rules.tiers import Assessment
from partner_tiers.texts import sentences_for


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
    return f"{format_numbers([cents], language)[0]} {currency}"


EXACT_CENTS = 10**15  # below it a float holds cents / 100 within 0.001: .2f gives it exactly


def format_numbers(cents: Sequence[int | None], language: str = "en") -> list[str | None]:
    """Amounts in whole cents with two decimals and grouped thousands, without currency.

    >>> format_numbers([123456789, None, 5], "pl")
    ['1\\xa0234\\xa0567,89', None, '0,05']
    """
    text = [
        None
        if c is None
        else f"{c / 100:,.2f}"
        if -EXACT_CENTS < c < EXACT_CENTS  # no Decimal for the usual
        else f"{Decimal(c).scaleb(-2):,.2f}"
        for c in cents
    ]
    if language == "pl":
        return [None if t is None else t.replace(",", "\u00a0").replace(".", ",") for t in text]
    return text


def explain(
    assessment: Assessment,
    language: str = "en",
    ytd_revenue: Decimal | None = None,
    quarters_elapsed: int | None = None,
) -> str:
    """The tier, then what the next tier still needs, in ``language`` ("en" or "pl").

    With the revenue of this fiscal year so far (``ytd_revenue`` after ``quarters_elapsed``
    quarters), a partner at risk of demotion is told instead what keeping its tier takes.
    """
    a = assessment
    if ytd_revenue is not None and quarters_elapsed is not None:
        risk = at_risk_sentence(a, ytd_revenue, quarters_elapsed, language)
        if risk is not None:
            return risk
    if not a.program.is_ladder:
        return need_sentence(a, language)
    frame = frame_for(
        a.tier.name,
        a.next_tier.name if a.next_tier else None,
        a.missing_certified_sales,
        a.missing_certified_engineers,
        a.program.currency,
        language,
    )
    gap_cents = int(a.revenue_gap.scaleb(2))  # a gap is whole cents, rounded up
    [sentence] = fill_frames([frame], [0], [gap_cents], language)
    return sentence or ""


def need_sentence(assessment: Assessment, language: str = "en") -> str:
    """The tier, then what the nearest path to the next tier still lacks, criterion by
    criterion, for a program of any shape.

    >>> from partner_tiers.rules.programs import get_program
    >>> from partner_tiers.rules.tiers import assess_values
    >>> need_sentence(assess_values(get_program("sophos-2019"), {"revenue": 4_500_000}))
    'Silver. Gold needs 15,000.00 EUR more revenue.'
    """
    a, phrases = assessment, sentences_for(language)
    if a.next_tier is None:
        return phrases.top.format(tier=a.tier.name)
    need = a.need
    items = [_short_text(s, a.program.currency, language) for s in (need.shorts if need else ())]
    items += [
        phrases.unpublished.format(tier=a.next_tier.name, what=c.metric.name)
        for c in (need.unpublished if need else ())
    ]
    next_tier = a.next_tier.name
    if need and need.path:
        next_tier = phrases.on_path.format(next_tier=next_tier, path=", ".join(need.path))
    listed = (
        items[0]
        if len(items) == 1
        else f"{', '.join(items[:-1])} {phrases.conjunction} {items[-1]}"
    )
    return phrases.needs.format(tier=a.tier.name, next_tier=next_tier, items=listed)


def _short_text(short: Short, currency: str, language: str) -> str:
    """One criterion's shortfall in words: "15,000.00 EUR more revenue"."""
    phrases, metric = sentences_for(language), short.metric
    if metric is None:
        return phrases.points_more.format(points=format_points(short.amount, language))
    if metric.is_money:
        amount = format_cents(ceil_cents(short.amount), currency, language)
        return phrases.amount_more.format(amount=amount, what=metric.words.of(None, language))
    if metric.kind == "growth":
        points = format_points(short.amount * 100, language)
        return phrases.growth_more.format(points=points, what=metric.words.of(None, language))
    if metric.kind == "yes_no":
        return phrases.item.format(what=metric.words.of(1, language))
    count = int(short.amount)
    return phrases.count_more.format(count=count, what=metric.words.of(count, language))


def requirement_words(requirement: Requirement | None, currency: str, language: str = "en") -> str:
    """A tier's requirement in words, as TIER_TABLE shows it.

    >>> from partner_tiers.rules.metrics import REVENUE, role_metric
    >>> from partner_tiers.rules.requirements import AtLeast, Criterion
    >>> requirement_words(AtLeast.any_of(Criterion(REVENUE, 30_000_000), AtLeast.all_of(
    ...     Criterion(REVENUE, 5_000_000), Criterion(role_metric("engineers"), 4))), "USD")
    '300,000.00 USD revenue or (50,000.00 USD revenue and 4 certified engineers)'
    """
    phrases = sentences_for(language)
    if requirement is None:
        return ""
    if isinstance(requirement, Criterion):
        metric = requirement.metric
        if requirement.minimum is None:
            return phrases.not_published.format(what=metric.words.of(None, language))
        return _threshold_words(metric, requirement.minimum, currency, language)
    if isinstance(requirement, Score):
        items = [
            phrases.points_at.format(
                what=item.metric.words.of(None, language),
                points=format_points(item.points, language),
                full=_value_words(item.metric, item.full_at, currency, language),
            )
            for item in requirement.items
        ]
        text = phrases.score.format(
            total=format_points(requirement.min_total, language), items="; ".join(items)
        )
        return f"{requirement.name}: {text}" if requirement.name else text
    parts = [requirement_words(p, currency, language) for p in requirement.parts]
    parts = [
        f"({p})" if len(requirement.parts) > 1 and _compound(q) else p
        for p, q in zip(parts, requirement.parts, strict=True)
    ]
    if requirement.count == len(parts):
        text = f" {phrases.conjunction} ".join(parts)
    elif requirement.count == 1:
        text = f" {phrases.either} ".join(parts)
    else:
        text = phrases.at_least.format(count=requirement.count, items="; ".join(parts))
    return f"{requirement.name}: {text}" if requirement.name else text


def _compound(requirement: Requirement) -> bool:
    """Whether words of ``requirement`` need brackets among others: a group, or a name."""
    named = isinstance(requirement, AtLeast | Score) and requirement.name is not None
    return named or (isinstance(requirement, AtLeast) and len(requirement.parts) > 1)


def _value_words(metric: Metric, value: Exact, currency: str, language: str) -> str:
    if metric.is_money:
        return format_cents(ceil_cents(value), currency, language)
    if metric.kind == "growth":
        return format_points(Fraction(value) * 100, language) + "%"
    return format_points(value, language)


def _threshold_words(metric: Metric, minimum: Exact, currency: str, language: str) -> str:
    """A criterion in words: "60,000.00 EUR revenue", "4 certified engineers"."""
    if metric.kind == "yes_no":
        return metric.words.of(1, language)
    value = _value_words(metric, minimum, currency, language)
    count = int(minimum) if metric.kind in ("certified", "count") else None
    return f"{value} {metric.words.of(count, language)}"


def points_up(amount: Exact) -> Decimal:
    """Points rounded up to 0.01, so that a partner given them reaches the score.

    >>> points_up(Fraction(1, 3)), points_up(7)
    (Decimal('0.34'), Decimal('7.00'))
    """
    return Decimal(-(-Fraction(amount) * 100 // 1)).scaleb(-2)


def format_points(amount: Exact, language: str = "en") -> str:
    """Points (or percentage points) rounded up to two decimals, without trailing zeros.

    >>> format_points(Fraction(25, 2)), format_points(Fraction(1, 3), "pl"), format_points(7)
    ('12.5', '0,34', '7')
    """
    text = f"{points_up(amount):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "pl" else text


def at_risk_sentence(
    assessment: Assessment, ytd_revenue: Decimal, quarters_elapsed: int, language: str = "en"
) -> str | None:
    """What keeping its tier takes a partner whose year at its pace so far ends below the
    tier (the demotion risk); None for a partner not at risk."""
    a = assessment
    keep = project(
        a.program, ytd_revenue, quarters_elapsed, current_tier=a.tier, target_tier=a.tier
    )
    if not keep.at_risk:
        return None
    phrases, tier, currency = sentences_for(language), a.tier.name, a.program.currency
    if keep.required_per_quarter is None:  # the year is over: what it missed
        floor = a.program.thresholds[a.level]  # the tier's (least) revenue threshold
        short = from_cents(max(0, ceil_cents(floor - to_cents(ytd_revenue))))
        over = phrases.at_risk_over.format(
            tier=tier, amount=format_money(short, currency, language)
        )
        return over + demotion_clause(a.program, language)
    amount = format_money(keep.required_per_quarter, currency, language)
    if keep.quarters_remaining == 1:
        sentence = phrases.at_risk_last.format(tier=tier, amount=amount)
    else:
        sentence = phrases.at_risk.format(
            tier=tier, amount=amount, quarters=keep.quarters_remaining
        )
    return sentence + demotion_clause(a.program, language)


def heading_below(assessment: Assessment, projected: str, language: str = "en") -> str:
    """The at-risk sentence of a partner of a program of another shape, whose year at its
    pace so far ends at the lower tier ``projected``: no one amount keeps such a tier.

    >>> from partner_tiers.rules.programs import get_program
    >>> from partner_tiers.rules.tiers import assess
    >>> heading_below(assess(get_program("sophos-2019"), Decimal(70000)), "Silver", "pl")
    'Gold, zagrożony: w tym tempie rok skończy się na poziomie Silver.'
    """
    a = assessment
    sentence = sentences_for(language).at_risk_heading.format(tier=a.tier.name, projected=projected)
    return sentence + demotion_clause(a.program, language)


def demotion_clause(program: Program, language: str = "en") -> str:
    """When a demotion applies, as the program's lifecycle states it ("" when it states
    none: today's programs, at the audit).

    >>> from dataclasses import replace
    >>> from partner_tiers.rules.program import Lifecycle
    >>> from partner_tiers.rules.programs import get_program
    >>> sophos = get_program("sophos-2019")
    >>> demotion_clause(sophos), demotion_clause(replace(sophos, lifecycle=Lifecycle(
    ...     "at_once", "after_grace", 6)))
    ('', " After the audit, 6 months' grace.")
    """
    if program.lifecycle is None:
        return ""
    rule = program.lifecycle
    words = sentences_for(language).demoted[rule.downgrade]
    return " " + words.format(months=rule.grace_months)


class Frame(NamedTuple):
    """A sentence around its amount (``before`` + amount + ``after``), and the sentence when
    the revenue is there (None when that cannot happen: below the top, with nothing else
    missing, a gap of 0 would mean the partner is in the next tier)."""

    before: str
    after: str
    without_amount: str | None


_AMOUNT = "\0"  # stands for the amount while a sentence is put together


@functools.lru_cache(maxsize=4096)
def frame_for(
    tier: str,
    next_tier: str | None,
    missing_sales: int,
    missing_engineers: int,
    currency: str,
    language: str = "en",
) -> Frame:
    """The sentence of :func:`explain` without its amount. A column of partners shares a few
    sentences that differ only in the amount, so each is put together once.

    >>> fill_frames([frame_for("Silver", "Gold", 0, 1, "EUR")], [0, 0], [1_500_000, 0])
    ['Silver. Gold needs 15,000.00 EUR more revenue and 1 more certified engineer.', \
'Silver. Gold needs 1 more certified engineer.']
    """
    phrases = sentences_for(language)
    if next_tier is None:
        return Frame("", "", phrases.top.format(tier=tier))

    def needs(amount: str | None) -> str:
        items = [] if amount is None else [phrases.revenue.format(amount=amount)]
        for count, forms in (
            (missing_sales, phrases.sales),
            (missing_engineers, phrases.engineers),
        ):
            if count:
                items.append(forms[count != 1].format(count=count))
        listed = (
            items[0]
            if len(items) == 1
            else f"{', '.join(items[:-1])} {phrases.conjunction} {items[-1]}"
        )
        return phrases.needs.format(tier=tier, next_tier=next_tier, items=listed)

    before, _, after = needs(_AMOUNT).partition(_AMOUNT)
    certifications_only = needs(None) if missing_sales or missing_engineers else None
    return Frame(before, f" {currency}{after}", certifications_only)


def fill_frames(
    frames: Sequence[Frame],
    levels: Sequence[int | None],
    gap_cents: Sequence[int | None],
    language: str = "en",
) -> list[str | None]:
    """Each partner's sentence: the frame of its level filled with its gap (None stays None)."""
    sentences: list[str | None] = []
    for level, gap, number in zip(
        levels, gap_cents, format_numbers(gap_cents, language), strict=True
    ):
        if level is None:
            sentences.append(None)
            continue
        frame = frames[level]
        if gap or frame.without_amount is None:
            sentences.append(f"{frame.before}{number}{frame.after}")
        else:
            sentences.append(frame.without_amount)
    return sentences
