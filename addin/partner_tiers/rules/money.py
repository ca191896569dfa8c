"""Money as the rules count it: exact amounts in cents.

Every amount is read once into cents: a whole number of cents is an :class:`int` (the
usual case, and integer arithmetic is fast), anything finer an exact
:class:`~fractions.Fraction` of a cent. The same arithmetic serves both, so a rule is
written once and is exact for any amount.

>>> to_cents(Decimal("12500.5")), to_cents(Decimal("0.125")), to_cents(7)
(1250050, Fraction(25, 2), 700)
>>> from_cents(1250050)
Decimal('12500.50')
>>> ceil_cents(Fraction(25, 2)), ceil_cents(1250050)
(13, 1250050)
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from partner_tiers.errors import BadValue

CENT = Decimal("0.01")

Cents = int | Fraction  # an exact amount in cents


def to_cents(amount: Decimal | int | Fraction) -> Cents:
    """``amount`` (in currency units) in exact cents: an int when it is whole cents."""
    if isinstance(amount, int):
        return amount * 100
    cents = Fraction(amount) * 100
    return cents.numerator if cents.denominator == 1 else cents


def from_cents(cents: int) -> Decimal:
    """Whole cents as a Decimal amount with two decimals."""
    return Decimal(cents).scaleb(-2)


def ceil_cents(cents: Cents) -> int:
    """``cents`` rounded up to a whole cent."""
    return -(-cents // 1)


EXCEL_DIGITS = 15  # significant digits Excel keeps of a number
EXCEL_MAX_EXPONENT = 307  # and its largest is 9.99...E+307


def excel_amount(amount: Decimal) -> Decimal:
    """``amount`` if Excel holds it as it is: at most 15 significant digits, at most
    9.99E+307; BadValue otherwise, so that no figure changes on its way into a workbook.

    >>> excel_amount(Decimal("1234567890123.45"))
    Decimal('1234567890123.45')
    >>> excel_amount(Decimal("12345678901234.567"))
    Traceback (most recent call last):
    ...
    partner_tiers.errors.BadValue: has 17 significant digits; Excel keeps 15 ...
    """
    digits = amount.as_tuple().digits
    significant = len(digits)  # less the trailing zeros: 1E+300 has one
    while significant > 1 and digits[significant - 1] == 0:
        significant -= 1
    if amount and amount.adjusted() > EXCEL_MAX_EXPONENT:
        raise BadValue("is larger than Excel can hold (9.99E+307)")
    if significant > EXCEL_DIGITS:
        raise BadValue(
            f"has {significant} significant digits; Excel keeps {EXCEL_DIGITS} and would "
            "change it, so round it in the export"
        )
    return amount
