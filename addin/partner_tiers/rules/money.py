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
