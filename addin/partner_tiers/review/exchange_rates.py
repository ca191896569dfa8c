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
from decimal import Decimal, InvalidOperation
from pathlib import Path

from partner_tiers.errors import PartnerTiersError

MAX_RATES_FILE = 16 << 20  # a yearly NBP archive is about 100 kB


class RatesFileError(PartnerTiersError, ValueError):
    """A rates file that cannot be read; the message names the file, line and value."""


@dataclass
class Rates:
    """Dated rates per currency, each in the base currency for one unit."""

    source: str
    days: dict[str, list[dt.date]] = field(default_factory=dict)
    values: dict[str, list[Decimal]] = field(default_factory=dict)

    def add(self, currency: str, day: dt.date, rate: Decimal) -> None:
        days, values = self.days.setdefault(currency, []), self.values.setdefault(currency, [])
        at = bisect.bisect_left(days, day)
        if at < len(days) and days[at] == day:
            values[at] = rate
        else:
            days.insert(at, day)
            values.insert(at, rate)

    def on(self, currency: str, day: dt.date) -> Decimal | None:
        """The rate of the last day with a rate before ``day``; None if there is none."""
        days = self.days.get(currency, [])
        at = bisect.bisect_left(days, day)
        return self.values[currency][at - 1] if at else None

    def currencies(self) -> list[str]:
        return sorted(self.days)


def read_rates(path: Path | str) -> Rates:
    """The rates of a CSV file: date, currency, rate rows, or NBP's table A archive."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_RATES_FILE:
            raise RatesFileError(f"{path} is larger than a rates file can be")
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
    """The rates in the text of a rates file called ``name`` (for messages)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise RatesFileError(f"{name} is empty")
    delimiter = max(";,\t|", key=lines[0].count)
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [cell.strip() for cell in rows[0]]
    rates = Rates(name)
    if any(re.fullmatch(r"\d+[A-Z]{3}", cell) for cell in header):
        _read_archive(rates, header, rows[1:], name)
    else:
        _read_table(rates, header, rows[1:], name)
    if not rates.days:
        raise RatesFileError(f"{name} holds no rates")
    return rates


def _read_archive(rates: Rates, header: list[str], rows: list[list[str]], name: str) -> None:
    """NBP's archive: ``data;1USD;1EUR;...``; rows that are not dated (the names of the
    currencies under the header, the notes at the end) are passed over."""
    columns = [
        (i, match[2], Decimal(match[1]))
        for i, cell in enumerate(header)
        if (match := re.fullmatch(r"(\d+)([A-Z]{3})", cell))
    ]
    for line, row in enumerate(rows, 2):
        if not row or not re.fullmatch(r"\d{8}", row[0].strip()):
            continue
        day = _date(row[0], name, line)
        for i, currency, units in columns:
            if i < len(row) and row[i].strip():
                rates.add(currency, day, _rate(row[i], name, line) / units)


def _read_table(rates: Rates, header: list[str], rows: list[list[str]], name: str) -> None:
    """``date;currency;rate`` in either language, in any column order."""
    names = {
        "date": ("date", "data", "day", "dzien"),
        "currency": ("currency", "waluta", "code", "kod"),
        "rate": ("rate", "kurs", "kurs sredni", "mid", "rate pln"),
    }
    plain = [re.sub(r"[^a-z ]", "", cell.lower().replace("ś", "s")).strip() for cell in header]
    where = {}
    for key, spellings in names.items():
        found = [i for i, cell in enumerate(plain) if cell in spellings]
        if not found:
            raise RatesFileError(
                f"{name}: its first line names no {key} column; write date;currency;rate "
                "(e.g. 2025-01-02;EUR;4,2718) or give NBP's table A archive"
            )
        where[key] = found[0]
    for line, row in _numbered(rows, 2, name):
        currency = row[where["currency"]].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise RatesFileError(f"{name}, line {line}: {currency!r} is not a currency code")
        rates.add(
            currency, _date(row[where["date"]], name, line), _rate(row[where["rate"]], name, line)
        )


def _numbered(rows: list[list[str]], first: int, name: str) -> Iterator[tuple[int, list[str]]]:
    for line, row in enumerate(rows, first):
        if len(row) < 3:
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
    try:
        rate = Decimal(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise RatesFileError(f"{name}, line {line}: {text!r} is not a rate") from None
    if not rate.is_finite() or rate <= 0:
        raise RatesFileError(f"{name}, line {line}: {text!r} is not a rate above 0")
    return rate
