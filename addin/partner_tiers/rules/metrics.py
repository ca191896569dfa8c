"""What a program measures: its metrics, each a named quantity of one kind.

A criterion of a tier (see :mod:`partner_tiers.rules.requirements`) compares one metric with
a threshold. The kinds, and the unit a value and a threshold are written in:

============  ========================================================  ====================
kind          what it measures                                          written as
============  ========================================================  ====================
revenue       sales in a window (``prior_year``, ``current_year``, or   money, the program's
              ``trailing_months``), optionally of one ``scope`` (a       currency
              product family, ``services``)
monthly       a monthly recurring amount or commitment (an MSP's)       money a month
certified     people certified in one of the program's roles, on the    whole people
              program's audit day
count         things counted: customers, new customers                  whole number
growth        revenue growth against the window before                  fraction: 0.15 = 15%
yes_no        an item there or not (a business plan)                    yes / no
============  ========================================================  ====================

Every program has the metric ``revenue`` (the prior fiscal year's, all products) and one
``certified_<role>`` metric for each of its roles (``sales`` and ``engineers`` unless the
program lists its own). Values are compared exactly: money in cents (see
:mod:`partner_tiers.rules.money`), growth as a Fraction, the rest as whole numbers.

>>> REVENUE.exact(Decimal("10000.5")), GROWTH.exact(Decimal("0.15")), YES.exact(True)
(1000050, Fraction(3, 20), 1)
>>> role_metric("architects").name, role_metric("architects").words.one
('certified_architects', 'certified architect')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from partner_tiers.rules.identity import normalise_header
from partner_tiers.rules.money import to_cents

KINDS = ("revenue", "monthly", "certified", "count", "growth", "yes_no")
MONEY_KINDS = frozenset({"revenue", "monthly"})
WHOLE_KINDS = frozenset({"certified", "count", "yes_no"})
WINDOWS = ("prior_year", "current_year", "trailing_months")
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")  # a metric's or a role's name

Exact = int | Fraction  # a value or threshold as the rules compare it


@dataclass(frozen=True)
class Words:
    """How a sentence names a metric: one thing and several (English), and the Polish
    genitive forms that follow "brakuje" (none given: the English words stand in); and how
    a column header names it, in each language (a Polish header is nominative: "Obrót
    z usług", never the genitive of a sentence).

    >>> Words("monthly commitment", "monthly commitment").header_in("en")
    'Monthly commitment'
    >>> Words("plan", "plans", pl_header="Plan biznesowy").header_in("pl")
    'Plan biznesowy'
    """

    one: str
    many: str
    pl_one: str | None = None
    pl_many: str | None = None
    header: str | None = None  # English column header; default: ``many``, capitalised
    pl_header: str | None = None  # Polish column header; default: the English one

    def header_in(self, language: str) -> str:
        """The column header of the metric in ``language``."""
        english = self.header or self.many[:1].upper() + self.many[1:]
        return (self.pl_header or english) if language == "pl" else english

    def of(self, count: int | None, language: str) -> str:
        """The words for ``count`` things (None: the quantity, as "revenue")."""
        plural = count != 1
        if language == "pl" and self.pl_one is not None:
            return (self.pl_many or self.pl_one) if plural else self.pl_one
        return self.many if plural else self.one


@dataclass(frozen=True)
class Metric:
    """One quantity a program measures. ``name`` is how a program file, a header and a
    message call it."""

    name: str
    kind: str
    words: Words
    window: str = "prior_year"  # revenue and growth
    months: int | None = None  # a trailing window's length
    scope: str | None = None  # revenue of one product family or services; None: all
    role: str | None = None  # certified: the program's role
    aliases: tuple[str, ...] = field(default=())  # more headers that name it (an import's)

    @property
    def is_money(self) -> bool:
        return self.kind in MONEY_KINDS

    @property
    def blank_is_zero(self) -> bool:
        """Whether an empty cell counts as none (people and things counted, a missing item);
        an empty amount or growth is missing instead, as it may be unknown."""
        return self.kind in WHOLE_KINDS

    def exact(self, value: Decimal | int | Fraction | bool) -> Exact:
        """``value`` (as a user writes it: currency units, a fraction for growth, True for
        yes) in the unit the rules compare."""
        if self.kind == "yes_no":
            return 1 if value else 0
        if self.is_money:
            return to_cents(value)
        if self.kind == "growth":
            return Fraction(value)
        return int(value)

    def header_keys(self) -> frozenset[str]:
        """The header keys (:func:`header_key`) that name the metric in a table or an
        export: its name, its words in both languages, its headers and aliases."""
        words = self.words
        texts = {self.name, words.one, words.many, *self.aliases}
        texts |= {t for t in (words.pl_one, words.pl_many) if t}
        texts |= {words.header_in("en"), words.header_in("pl")}
        return frozenset(header_key(t) for t in texts)

    def described(self) -> str:
        """What the metric is, for a header's comment or ``programs`` (English)."""
        window = {
            "prior_year": "the prior fiscal year",
            "current_year": "this fiscal year so far",
            "trailing_months": f"the trailing {self.months} months",
        }[self.window]
        scope = f" of {self.scope}" if self.scope else ""
        return {
            "revenue": f"revenue{scope} in {window}",
            "monthly": "monthly recurring amount or commitment",
            "certified": f"people certified as {self.role}, on the audit day",
            "count": self.words.many,
            "growth": f"revenue growth{scope} in {window} against the window before (0.15 = 15%)",
            "yes_no": f"{self.words.one}: yes or no",
        }[self.kind]


REVENUE = Metric("revenue", "revenue", Words("revenue", "revenue", "obrotu", "obrotu"))
GROWTH = Metric("growth", "growth", Words("revenue growth", "revenue growth"))
YES = Metric("business_plan", "yes_no", Words("a business plan", "a business plan"))

# The roles every program has unless it lists its own, with their words in sentences.
DEFAULT_ROLES: dict[str, Words] = {
    "sales": Words(
        "certified sales person",
        "certified sales people",
        "certyfikowanego handlowca",
        "certyfikowanych handlowców",
        "Certified sales",
        "Certyfikowani handlowcy",
    ),
    "engineers": Words(
        "certified engineer",
        "certified engineers",
        "certyfikowanego inżyniera",
        "certyfikowanych inżynierów",
        "Certified engineers",
        "Certyfikowani inżynierowie",
    ),
}


def role_metric(role: str, words: Words | None = None) -> Metric:
    """The metric counting people certified in ``role``, named ``certified_<role>``."""
    if words is None:
        words = DEFAULT_ROLES.get(role) or Words(
            f"certified {role.removesuffix('s').replace('_', ' ')}",
            f"certified {role.replace('_', ' ')}",
        )
    return Metric(f"certified_{role}", "certified", words, role=role)


def header_key(text: str) -> str:
    """A header as metrics are matched: case, accents, spaces and punctuation ignored.

    >>> header_key(" Certified  Engineers "), header_key("certified_engineers")
    ('certifiedengineers', 'certifiedengineers')
    """
    return normalise_header(text.replace("_", " ")).replace(" ", "")
