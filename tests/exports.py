"""Writing sales exports the way ERPs do, for the tests: CSV dialects and XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook


@dataclass(frozen=True)
class CsvStyle:
    """How an ERP writes numbers and text into a CSV file."""

    delimiter: str = ";"
    decimal: str = ","
    thousands: str = "\u00a0"  # "", " ", "\u00a0" or "." (with a decimal comma)
    encoding: str = "utf-8-sig"  # utf-8-sig (BOM), utf-8 or cp1250
    date_format: str = "%d.%m.%Y"


POLISH = CsvStyle()
ENGLISH = CsvStyle(
    delimiter=",", decimal=".", thousands="", encoding="utf-8", date_format="%Y-%m-%d"
)


def amount_text(value: Decimal, style: CsvStyle) -> str:
    """``value`` as the ERP writes it: 1 234,56 or 1234.56."""
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{style.thousands.join(groups)}{style.decimal}{cents}"


def cell_text(value: object, style: CsvStyle) -> str:
    if isinstance(value, Decimal):
        return amount_text(value, style)
    if isinstance(value, dt.date):
        return value.strftime(style.date_format)
    return "" if value is None else str(value)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    style: CsvStyle = POLISH,
    preamble: Sequence[str] = (),
) -> Path:
    """A CSV export; fields with the delimiter, quotes or line breaks are quoted."""

    def field(text: str) -> str:
        if any(ch in text for ch in (style.delimiter, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = list(preamble)
    lines.append(style.delimiter.join(field(h) for h in header))
    for row in rows:
        lines.append(style.delimiter.join(field(cell_text(v, style)) for v in row))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(style.encoding))
    return path


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    preamble: Sequence[str] = (),
    as_text: bool = False,
) -> Path:
    """An XLSX export with native numbers and dates (or all as text), below a preamble."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Eksport"
    for line in preamble:
        ws.append([line])
    ws.append(list(header))
    for row in rows:
        values = []
        for v in row:
            if as_text:
                v = cell_text(v, POLISH)
            elif isinstance(v, Decimal):
                v = float(v)
            values.append(v)
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    wb.save(path)
    return path
