"""Reading one field of a sales export: amounts, dates, quarters, flags, partner identity.

Each parser keeps the converters' one contract (:mod:`partner_tiers.errors`): the text or
workbook value of one cell in, the typed value out, or :class:`~partner_tiers.errors.BadValue`
whose problem completes "<value> ...", e.g. "'31.02.2025' is not a date".

>>> parse_amount("1 234,56 zł", ",")
(Decimal('1234.56'), 'PLN')
>>> parse_amount("-12.500,00", ",")
(Decimal('-12500.00'), None)
>>> parse_amount("12,500", ".")
(Decimal('12500'), None)
>>> parse_date("31.03.2026"), parse_quarter("FY2026 Q3"), yes_no("Tak")
(datetime.date(2026, 3, 31), (2026, 3), True)

A partner is recognised by its tax id when known, otherwise by its name with case, spacing,
accents and punctuation ignored:

>>> partner_key("ACME  Sp. z o.o.", None) == partner_key("acme sp z o o", "")
True
>>> partner_key("Acme", "PL 526-000-12-46")
'tax:5260001246'
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat
from stdnum.pl import nip

from partner_tiers.errors import BadValue
from partner_tiers.excel import cells
from partner_tiers.excel.cells import date_in_text
from partner_tiers.rules.identity import (  # re-exported: the fields of an export use them
    PartnerIndex,
    normalise_header,
    normalise_name,
    normalise_tax_id,
    partner_key,
)
from partner_tiers.rules.money import excel_amount

__all__ = [
    "PartnerIndex",
    "decimal_evidence",
    "normalise_header",
    "normalise_name",
    "normalise_tax_id",
    "parse_amount",
    "parse_date",
    "parse_quarter",
    "partner_key",
    "tax_id_problem",
    "whole_number",
    "yes_no",
]

CURRENCY_SIGNS = {"zł": "PLN", "zl": "PLN", "€": "EUR", "$": "USD", "£": "GBP"}
_CURRENCY = r"(?:[A-Z]{3}|zł|zl|€|\$|£)"
_AMOUNT = re.compile(rf"^\s*(?P<c1>{_CURRENCY})?\s*(?P<number>.*?)\s*(?P<c2>{_CURRENCY})?\s*$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def tax_id_problem(tax_id: object) -> str | None:
    """Why a tax id is not a valid one, as python-stdnum checks it; None for a valid id and
    for one of a kind stdnum cannot check (no EU country prefix).

    A Polish NIP (ten digits, with or without ``PL``) is checked by ``stdnum.pl.nip``, an id
    with another EU country prefix by ``stdnum.eu.vat``.

    >>> tax_id_problem("526-000-12-46"), tax_id_problem("5260001247")
    (None, 'is not a valid NIP (its check digit is wrong)')
    >>> tax_id_problem("DE136695977"), tax_id_problem("US 12-3456789")
    ('is not a valid EU VAT number (its check digit is wrong)', None)
    """
    text = normalise_tax_id(tax_id)
    if re.fullmatch(r"\d{10}", text):
        return None if nip.is_valid(text) else "is not a valid NIP (its check digit is wrong)"
    if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,}", text):
        return None
    try:
        vat.validate(text)
    except stdnum_errors.InvalidComponent:  # no EU country: nothing to check against
        return None
    except stdnum_errors.InvalidChecksum:
        return "is not a valid EU VAT number (its check digit is wrong)"
    except stdnum_errors.ValidationError:
        return "is not a valid EU VAT number (its length or format is wrong)"
    return None


def _strip_number(text: str) -> tuple[str, str | None, bool]:
    """(digits and separators, currency code or None, negative)."""
    match = _AMOUNT.match(text)
    number = match["number"] if match else text
    sign = match and (match["c1"] or match["c2"])
    currency = CURRENCY_SIGNS.get(sign, sign) if sign else None
    number = _SPACES.sub("", number)
    negative = False
    if number.startswith(("-", "\u2212")):
        negative, number = True, number[1:]
    elif number.startswith("(") and number.endswith(")"):
        negative, number = True, number[1:-1]
    return number, currency, negative


def decimal_evidence(text: str) -> str | None:
    """The decimal separator a number's text proves, if it proves one.

    >>> decimal_evidence("1.234,5"), decimal_evidence("12,50"), decimal_evidence("1,234")
    (',', ',', None)
    """
    number, _, _ = _strip_number(text)
    if "." in number and "," in number:
        return "," if number.rfind(",") > number.rfind(".") else "."
    for sep, other in ((",", "."), (".", ",")):
        if number.count(sep) > 1:
            return other  # 1.234.567: the points group thousands
        if number.count(sep) == 1 and len(number) - number.index(sep) - 1 != 3:
            return sep
    return None


def parse_amount(text: str, decimal: str) -> tuple[Decimal, str | None]:
    """An amount's text as (Decimal, currency code in the text or None); BadValue if not one."""
    number, currency, negative = _strip_number(text)
    thousands = "." if decimal == "," else ","
    pattern = rf"\d{{1,3}}(?:\{thousands}\d{{3}})+(?:\{decimal}\d+)?|\d+(?:\{decimal}\d+)?"
    if not re.fullmatch(pattern, number):
        raise BadValue("is not an amount")
    value = excel_amount(Decimal(number.replace(thousands, "").replace(decimal, ".")))
    return (-value if negative else value), currency


def parse_date(value: object) -> dt.date:
    """A date from a workbook cell or text: 2026-03-31, 31.03.2026, 31/03/2026 (day first)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    found = date_in_text(str(value))
    if found is None:
        raise BadValue("is not a date (write it as 2026-03-31 or 31.03.2026)")
    return found


def parse_quarter(value: object) -> tuple[int | None, int]:
    """(fiscal year or None, quarter) from 3, "Q3", "2026Q3", "Q3 2026", "FY2026 Q3"."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (1, 2, 3, 4):
        return None, int(value)
    text = str(value).strip().upper().replace("FY", "")
    for pattern, year_group in (
        (r"Q?([1-4])", None),
        (r"(\d{4})\s*[-/ ]?\s*Q([1-4])", 1),
        (r"Q([1-4])\s*[-/ ]?\s*(\d{4})", 2),
    ):
        match = re.fullmatch(pattern, text)
        if match:
            if year_group is None:
                return None, int(match[1])
            quarter_group = 3 - year_group
            return int(match[year_group]), int(match[quarter_group])
    raise BadValue("is not a quarter (write 1-4, Q3 or 2026Q3)")


def whole_number(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise BadValue("is not a whole number of 0 or more")


def yes_no(value: object) -> bool:
    """A yes/no field of an export, read by the one yes/no reader
    (:func:`partner_tiers.excel.cells.yes_no`); BadValue for a blank or anything else."""
    try:
        answer = cells.yes_no(value, "")
    except cells.CellError:
        answer = None
    if answer is None:
        raise BadValue("is not yes or no (Yes/No, Tak/Nie)")
    return answer
