"""Exchange rates as Polish ERPs and the NBP write them: the base currency per unit of another.

One direction everywhere, so that no rate is read the wrong way round: a rate is how many
units of the ERP's base currency (PLN) one unit of a currency costs. The ERP's ``Kurs``
column is that (1,0000 on PLN invoices, about 4,27 on EUR ones), and so are NBP's table A,
``--fx`` and a ``--rates`` file. An amount in currency C becomes base currency times C's
rate, and program currency P divided by P's rate.

Polish VAT law converts an invoice at the NBP rate of the last business day before its date;
:meth:`Rates.on` gives that: the latest rate dated before the day.

A rates file is either a CSV of date, currency and rate (any separator, decimal point or
comma), or NBP's yearly archive of table A as its site offers it (``archiwum_tab_a_2025.csv``:
``;``, decimal comma, dates ``20250102``, one column per currency such as ``1EUR`` or
``100JPY``).

>>> rates = parse_rates("data;1USD;1EUR;100JPY\\n20250102;4,1012;4,2718;2,6139\\n"
...                     "20250103;4,1435;4,2652;2,6268\\n", "archiwum_tab_a_2025.csv")
>>> rates.on("EUR", dt.date(2025, 1, 3)), rates.on("JPY", dt.date(2025, 1, 6))
(Decimal('4.2718'), Decimal('0.026268'))
>>> rates.on("EUR", dt.date(2025, 1, 2)) is None  # no table before the first one
True
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any

from partner_tiers.errors import BadValue, PartnerTiersError
from partner_tiers.rules.money import CENT, excel_amount
from partner_tiers.wording import shown

MAX_RATES_FILE = 16 << 20  # a yearly NBP archive is about 100 kB
# A rate is older than its sale may use when more business days than this lie between them:
# NBP publishes every business day, and its longest pause (Christmas) is three of them.
STALE_AFTER_BUSINESS_DAYS = 5
RATE_BOUNDS = (Decimal("0.000001"), Decimal(1_000_000))  # no currency costs a million PLN
_RATE_TEXT = re.compile(r"\d+(?:[.,]\d+)?")


class RatesFileError(PartnerTiersError, ValueError):
    """A rates file that cannot be read; the message names the file, line and value."""


def business_days_between(first: dt.date, last: dt.date) -> int:
    """Weekdays strictly between two days.

    >>> business_days_between(dt.date(2025, 9, 12), dt.date(2025, 9, 15))  # Friday, Monday
    0
    """
    days = (last - first).days - 1
    return sum(1 for n in range(1, days + 1) if (first + dt.timedelta(n)).weekday() < 5)


@dataclass
class Rates:
    """Dated rates per currency, each in the base currency for one unit."""

    source: str
    days: dict[str, list[dt.date]] = field(default_factory=dict)
    values: dict[str, list[Decimal]] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, entries: list[tuple[str, dt.date, Decimal, int]]) -> Rates:
        """Rates from (currency, day, rate, line) entries in any order, sorted once. Two
        different rates of one currency for one day are refused, naming both lines."""
        rates = cls(source)
        ordered = sorted(entries, key=lambda e: (e[0], e[1], e[3]))
        for (currency, day, rate, line), before in zip(ordered, [None, *ordered], strict=False):
            if before is not None and before[:2] == (currency, day):
                if before[2] != rate:
                    raise RatesFileError(
                        f"{source}: two {currency} rates for {day:%d.%m.%Y}, {before[2]} on "
                        f"line {before[3]} and {rate} on line {line}; keep one"
                    )
                continue
            rates.days.setdefault(currency, []).append(day)
            rates.values.setdefault(currency, []).append(rate)
        return rates

    def on(self, currency: str, day: dt.date) -> Decimal | None:
        """The rate of the last day with a rate before ``day``; None if there is none, or
        if it is stale (more than :data:`STALE_AFTER_BUSINESS_DAYS` business days before)."""
        days = self.days.get(currency, [])
        at = bisect.bisect_left(days, day)
        if not at or business_days_between(days[at - 1], day) > STALE_AFTER_BUSINESS_DAYS:
            return None
        return self.values[currency][at - 1]

    def missing(self, currency: str, day: dt.date) -> str:
        """Why :meth:`on` has no rate of ``currency`` for ``day``, for a row's problem."""
        days = self.days.get(currency, [])
        at = bisect.bisect_left(days, day)
        if not days:
            return f"{self.source} has no {currency} rates"
        if not at:
            return f"{self.source} has no {currency} rate before {day:%d.%m.%Y}"
        return (
            f"no {currency} rate for {day:%d.%m.%Y} in {self.source}; the latest before it is "
            f"{days[at - 1]:%d.%m.%Y}"
        )

    def currencies(self) -> list[str]:
        return sorted(self.days)


def read_rates(path: Path | str) -> Rates:
    """The rates of a CSV file: date, currency, rate rows, or NBP's table A archive."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_RATES_FILE:
            raise RatesFileError(
                f"{path} is {size / (1 << 20):,.1f} MB; a rates file may have at most "
                f"{MAX_RATES_FILE >> 20} MB (a year of NBP's table A is about 100 kB): give the "
                "rates of the export's years only"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise RatesFileError(f"{path} cannot be read ({exc.strerror or exc})") from None
    for encoding in ("utf-8-sig", "cp1250"):  # NBP writes Windows-1250
        try:
            return parse_rates(data.decode(encoding), path.name)
        except UnicodeDecodeError:
            continue
    raise RatesFileError(f"{path} is neither UTF-8 nor Windows-1250 text")  # pragma: no cover


def parse_rates(text: str, name: str) -> Rates:
    """The rates in the text of a rates file called ``name`` (for messages). Lines are
    counted as the file numbers them, blank ones included."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not numbered:
        raise RatesFileError(f"{name} is empty")
    delimiter = max(";,\t|", key=numbered[0][1].count)
    rows = [
        (n, row)
        for (n, _), row in zip(
            numbered, csv.reader([line for _, line in numbered], delimiter=delimiter), strict=True
        )
    ]
    header = [cell.strip() for cell in rows[0][1]]
    entries: list[tuple[str, dt.date, Decimal, int]] = []
    if any(re.fullmatch(r"\d+[A-Z]{3}", cell) for cell in header):
        _read_archive(entries, header, rows[1:], name)
    else:
        _read_table(entries, header, rows[1:], name)
    rates = Rates.of(name, entries)
    if not rates.days:
        raise RatesFileError(f"{name} holds no rates")
    return rates


Entries = list[tuple[str, dt.date, Decimal, int]]
Rows = list[tuple[int, list[str]]]


def _read_archive(entries: Entries, header: list[str], rows: Rows, name: str) -> None:
    """NBP's archive: ``data;1USD;1EUR;100JPY...``, a rate of 100 yen divided by its 100;
    rows that are not dated (the names of the currencies under the header, the notes at the
    end) are passed over."""
    columns = [
        (i, match[2], Decimal(match[1]))
        for i, cell in enumerate(header)
        if (match := re.fullmatch(r"(\d+)([A-Z]{3})", cell))
    ]
    for line, row in rows:
        if not row or not re.fullmatch(r"\d{8}", row[0].strip()):
            continue
        day = _date(row[0], name, line)
        for i, currency, units in columns:
            if i < len(row) and row[i].strip():
                entries.append((currency, day, _rate(row[i], name, line) / units, line))


def _read_table(entries: Entries, header: list[str], rows: Rows, name: str) -> None:
    """``date;currency;rate`` in either language, in any column order, and a units column
    where it has one (``przelicznik``: a rate of 100 JPY divided by its 100)."""
    names = {
        "date": ("date", "data", "day", "dzien"),
        "currency": ("currency", "waluta", "code", "kod"),
        "rate": ("rate", "kurs", "kurs sredni", "mid", "rate pln"),
        "units": ("units", "unit", "per", "przelicznik", "jednostka", "jednostki", "ilosc"),
    }
    plain = [
        re.sub(r"[^a-z ]", "", cell.lower().replace("ś", "s").replace("ć", "c")).strip()
        for cell in header
    ]
    where = {}
    for key, spellings in names.items():
        found = [i for i, cell in enumerate(plain) if cell in spellings]
        if not found and key != "units":
            raise RatesFileError(
                f"{name}: its first line names no {key} column; write date;currency;rate "
                "(e.g. 2025-01-02;EUR;4,2718) or give NBP's table A archive"
            )
        if found:
            where[key] = found[0]
    for line, row in _numbered(rows, name, max(where.values()) + 1):
        currency = row[where["currency"]].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise RatesFileError(f"{name}, line {line}: {currency!r} is not a currency code")
        rate = _rate(row[where["rate"]], name, line)
        if "units" in where:
            rate /= _units(row[where["units"]], name, line)
        entries.append((currency, _date(row[where["date"]], name, line), rate, line))


def _units(text: str, name: str, line: int) -> Decimal:
    if not re.fullmatch(r"\d{1,6}", text.strip()) or int(text) == 0:
        raise RatesFileError(f"{name}, line {line}: {text!r} is not a number of units, e.g. 100")
    return Decimal(text.strip())


def _numbered(rows: Rows, name: str, fields: int) -> Iterator[tuple[int, list[str]]]:
    for line, row in rows:
        if len(row) < fields:
            raise RatesFileError(
                f"{name}, line {line} has {len(row)} fields, not date, currency and rate"
            )
        yield line, row


def _date(text: str, name: str, line: int) -> dt.date:
    text = text.strip()
    for pattern in ("%Y%m%d", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RatesFileError(f"{name}, line {line}: {text!r} is not a date")


def _rate(text: str, name: str, line: int) -> Decimal:
    """A rate written as NBP writes it (``4,2718``): digits and one decimal separator."""
    plain = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _RATE_TEXT.fullmatch(plain):
        raise RatesFileError(f"{name}, line {line}: {shown(text)} is not a rate, e.g. 4,2718")
    rate = Decimal(plain.replace(",", "."))
    low, high = RATE_BOUNDS
    if not low <= rate <= high:
        raise RatesFileError(
            f"{name}, line {line}: {shown(text)} is not a rate above 0 (between {low} and {high:,})"
        )
    return rate


# --- converting amounts -----------------------------------------------------------------

BASE_CURRENCY = "PLN"  # the currency Polish ERPs keep their books in
CONVERSION_DIGITS = 400  # enough for 9.99E+307 to the cent, times a rate of 15 digits


@dataclass
class Conversion:
    """How amounts reach the program currency: ``target``, through the ERP's ``base``
    currency, with the export's ``currency`` for rows that name none, the program
    currency's fixed rate ``fx`` and dated ``rates`` (all in ``base`` for one unit)."""

    target: str
    base: str
    currency: str | None
    fx: Decimal | None
    rates: Rates | None
    amounts: tuple[str, ...] = ("amount",)  # the fields that hold amounts

    def target_rate(self, day: dt.date | None) -> tuple[Decimal | None, str]:
        """The program currency's rate for a sale of ``day``, and where it came from."""
        if self.fx is not None:
            return self.fx, f"--fx {self.fx}"
        if self.rates is not None and day is not None:
            return self.rates.on(self.target, day), self.rates.source
        return None, ""


def to_target(
    row: dict[str, Any], source: str, day: dt.date | None, conversion: Conversion
) -> tuple[dict[str, Decimal], set[str]]:
    """A row's amounts (``conversion.amounts`` of its fields, in ``source``, sold on
    ``day``) in the program currency, and the rates used; the row's own rate is its
    ``"rate"``. ValueError if a rate is missing or is 1 between two currencies.

    >>> conversion = Conversion("EUR", "PLN", None, Decimal("4.25"), None)
    >>> to_target({"amount": Decimal("425.00")}, "PLN", None, conversion)
    ({'amount': Decimal('100.00')}, {'--fx 4.25'})
    """
    target, base, rates = conversion.target, conversion.base, conversion.rates
    how = set()
    to_base: Decimal | None
    if source == base:
        to_base = Decimal(1)
    elif "rate" in row:
        to_base = row["rate"]
        how.add("the export's rate column")
    elif rates is not None and day is not None and rates.on(source, day) is not None:
        to_base = rates.on(source, day)
        how.add(rates.source)
    else:
        to_base = None
    if to_base is None and rates is not None and day is not None:
        raise ValueError(rates.missing(source, day))
    if to_base is None:
        raise ValueError(
            f"needs its rate in {base}: a rate column (Kurs) in the export, or "
            f"--rates FILE with dated {source} rates"
        )
    if source != base and to_base == 1:
        raise ValueError(
            f"has the rate 1 to {base}; a rate of 1 between two currencies is refused as a mistake"
        )
    from_base: Decimal | None
    if target == base:
        from_base = Decimal(1)
    else:
        from_base, where = conversion.target_rate(day)
        if from_base is None and conversion.fx is None and rates is not None and day is not None:
            raise ValueError(rates.missing(target, day))
        if from_base is None:
            when = f" before {day:%d.%m.%Y}" if day else ""
            raise ValueError(
                f"needs the {target} rate in {base}{when}: give --fx ({base} for "
                f"1 {target}) or --rates FILE"
            )
        if from_base == 1:
            raise ValueError(
                f"would be converted with the rate 1 from {base} to {target}; "
                "a rate of 1 between currencies is refused as a mistake"
            )
        how.add(where)
    factor = to_base / from_base
    values = {}
    for name in conversion.amounts:
        if name in row:
            with localcontext(prec=CONVERSION_DIGITS):  # any amount Excel holds, to the cent
                converted = (row[name] * factor).quantize(CENT, ROUND_HALF_UP)
            try:
                values[name] = excel_amount(converted)
            except BadValue as exc:
                raise BadValue(f"converted to {target}, {converted:.2E} {exc.problem}") from None
            if row[name] and not converted:
                raise BadValue(f"{row[name]} becomes 0.00 {target} at this rate; check the rate")
    return values, how
