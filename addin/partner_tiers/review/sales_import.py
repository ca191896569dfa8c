"""Reading sales exports (CSV or XLSX, as ERPs write them) into revenue per partner.

Two shapes are understood, with English or Polish headers in any order:

- *one row per partner* with revenue columns: prior-year revenue and/or Q1..Q4 of the
  fiscal year under review;
- *one row per sale* (an invoice, or a partner's quarter) with an amount and a date or a
  quarter; the rows are summed per partner into the program's fiscal years.

CSV files may use ``;``, ``,``, tab or ``|`` between fields, decimal commas or points,
spaces, no-break spaces or dots between thousands, and UTF-8 (with or without BOM) or
Windows-1250. All of that is detected and can be overridden. A partner is identified by
its tax id when the export has one, otherwise by its name with case, spacing and
punctuation ignored.

Nothing is dropped silently: a value that cannot be read makes a :class:`Problem` naming
file, line, column, value and why, and what was guessed or summed is listed in
``notices``.

The fields themselves are read by :mod:`partner_tiers.review.sales_fields`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any

from partner_tiers.errors import BadValue, PartnerTiersError
from partner_tiers.excel import cells
from partner_tiers.files import safe_xlsx
from partner_tiers.files.xlsx_parts import NOT_IN_XLSX
from partner_tiers.records import Amount, Partner
from partner_tiers.review.exchange_rates import Rates
from partner_tiers.review.sales_fields import (
    PartnerIndex,
    decimal_evidence,
    normalise_header,
    normalise_name,
    normalise_tax_id,
    parse_amount,
    parse_date,
    parse_quarter,
    partner_key,
    tax_id_problem,
    whole_number,
    yes_no,
)
from partner_tiers.rules.fiscal_year import QUARTERS_PER_YEAR, fiscal_period
from partner_tiers.rules.metrics import Metric, header_key
from partner_tiers.rules.money import CENT, EXCEL_MAX_EXPONENT, excel_amount
from partner_tiers.rules.program import Program
from partner_tiers.rules.tiers import typed_metrics
from partner_tiers.texts import PROBLEMS_PL, Said, in_language, label, said
from partner_tiers.wording import counted, shown

# Canonical field -> header spellings (compared after normalising: no accents, lower case,
# punctuation as spaces). English first, then Polish.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "partner",
        "partner name",
        "name",
        "company",
        "company name",
        "customer",
        "customer name",
        "reseller",
        "kontrahent",
        "nazwa",
        "nazwa kontrahenta",
        "nazwa partnera",
        "firma",
        "klient",
        "odbiorca",
        "nabywca",
    ),
    "tax_id": (
        "tax id",
        "tax id nip",
        "vat id",
        "vat number",
        "tax number",
        "nip",
        "nip kontrahenta",
        "nip nabywcy",
        "nip odbiorcy",
    ),
    "account_manager": ("account manager", "owner", "opiekun", "handlowiec", "opiekun handlowy"),
    "amount": (
        "revenue",
        "amount",
        "net amount",
        "net",
        "sales",
        "net sales",
        "value",
        "net value",
        "amount in currency",
        "net amount in currency",
        "obrot",
        "obroty",
        "kwota",
        "kwota netto",
        "wartosc",
        "wartosc netto",
        "netto",
        "sprzedaz",
        "sprzedaz netto",
        "wartosc w walucie",
        "wartosc netto w walucie",
        "kwota w walucie",
        "netto w walucie",
    ),
    # The same sale in the ERP's base currency (PLN), beside its amount in its own currency.
    "amount_base": (
        "net amount pln",
        "amount pln",
        "net value pln",
        "wartosc netto pln",
        "wartosc pln",
        "kwota netto pln",
        "kwota pln",
        "netto pln",
    ),
    "date": (
        "date",
        "invoice date",
        "sale date",
        "date of sale",
        "document date",
        "issue date",
        "data",
        "data faktury",
        "data sprzedazy",
        "data wystawienia",
        "data dokumentu",
    ),
    "quarter": ("quarter", "fiscal quarter", "kwartal", "kwartal obrachunkowy"),
    "year": ("fiscal year", "year", "fy", "rok", "rok obrachunkowy", "rok fiskalny"),
    "prior_year": (
        "prior year revenue",
        "revenue prior year",
        "previous year revenue",
        "prior year",
        "obrot w poprzednim roku",
        "obrot poprzedni rok",
        "obrot za poprzedni rok",
        "poprzedni rok",
    ),
    **{
        f"q{q}": (f"q{q}", f"revenue q{q}", f"sales q{q}", f"obrot q{q}", f"sprzedaz q{q}")
        for q in range(1, QUARTERS_PER_YEAR + 1)
    },
    "currency": ("currency", "waluta"),
    # Each rate is the ERP's base currency (PLN) for one unit of the row's currency: see
    # partner_tiers.review.exchange_rates, where that direction is defined once.
    "rate": (
        "rate",
        "exchange rate",
        "fx rate",
        "fx",
        "kurs",
        "kurs waluty",
        "kurs wymiany",
        "kurs nbp",
        "kurs sredni",
        "kurs sredni nbp",
    ),
    "certified_sales": ("certified sales", "certyfikowani handlowcy"),
    "certified_engineers": ("certified engineers", "certyfikowani inzynierowie"),
    "msp": ("msp",),
    "notes": ("notes", "note", "comment", "uwagi", "notatki", "komentarz"),
}
# A closing or intermediate total row, by the text an ERP writes in one of its cells (compared
# normalised: "Razem:" is "razem"). Such rows are skipped, never summed into a partner.
TOTAL_LABELS = {
    "razem",
    "suma",
    "ogolem",
    "podsumowanie",
    "lacznie",
    "total",
    "totals",
    "grand total",
    "subtotal",
    "sum",
    "razem netto",
    "suma netto",
    "suma koncowa",
    "suma calkowita",
    "razem sprzedaz",
    "ogolem sprzedaz",
    "total net",
    "net total",
}
TOTAL_WORDS = {"razem", "suma", "ogolem", "podsumowanie", "lacznie", "total", "subtotal"}
# Text that may start a total label, checked before anything slower.
_TOTAL_START = re.compile(
    r"(?i)\s*(?:razem|suma|og[oó][lł]em|podsumowanie|[lł][aą]cznie|total|subtotal|sum|grand)\b"
)
QUARTER_FIELDS = tuple(f"q{q}" for q in range(1, QUARTERS_PER_YEAR + 1))
# When an export has two date columns (issued and sold, say), the sale date counts: a sale
# belongs to the period it was made in. --date-column chooses another.
SALE_DATE_HEADERS = ("sale date", "date of sale", "data sprzedazy")
AMOUNT_FIELDS = ("amount", "amount_base", "prior_year", *QUARTER_FIELDS, "rate")
BASE_CURRENCY = "PLN"  # the currency Polish ERPs keep their books in
HEADER_SEARCH_ROWS = 20
MAX_TEXT = 32_767  # Excel's limit for one cell
CONVERSION_DIGITS = 400  # enough for 9.99E+307 to the cent, times a rate of 15 digits


class SalesFileError(PartnerTiersError, ValueError):
    """The export as a whole cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class Problem:
    """One value that cannot be read, and why."""

    file: str
    line: int
    column: str
    value: object
    why: str

    def __str__(self) -> str:
        return self.said()

    def said(self) -> Said:
        """The problem as the terminal says it, in English or (:meth:`Said.in_language`)
        Polish."""
        return said(
            "problem",
            file=self.file,
            line=self.line,
            column=self.column,
            value=shown("" if self.value is None else self.value),  # a cell the row lacks
            why=self.why,
            why_pl=PROBLEMS_PL.get(self.why, self.why),
        )


Quarter = tuple[int, int]  # (fiscal year, quarter 1-4)


def _quarters_between(first: Quarter, last: Quarter) -> frozenset[Quarter]:
    """Every fiscal quarter from ``first`` to ``last``, both included."""
    start, end = first[0] * 4 + first[1] - 1, last[0] * 4 + last[1] - 1
    return frozenset((n // 4, n % 4 + 1) for n in range(start, end + 1))


@dataclass(frozen=True)
class Coverage:
    """The fiscal quarters a sales export covers, and how that was found out.

    An export replaces the revenue of these quarters only; the previous review keeps the
    others. An export of invoices covers every quarter from its first invoice's to its last
    one's; one with revenue columns covers the quarters of its columns; ``--period`` says
    it where the dates cannot (a quarter whose last month had no sales).

    >>> Coverage(_quarters_between((2025, 4), (2026, 2)), "").describe()
    'FY2025 Q4 to FY2026 Q2'
    """

    quarters: frozenset[Quarter]
    how: str

    def covers(self, fiscal_year: int, quarter: int) -> bool:
        return (fiscal_year, quarter) in self.quarters

    def covers_year(self, fiscal_year: int) -> bool:
        return all(self.covers(fiscal_year, q) for q in range(1, QUARTERS_PER_YEAR + 1))

    def touches_year(self, fiscal_year: int) -> bool:
        return any(self.covers(fiscal_year, q) for q in range(1, QUARTERS_PER_YEAR + 1))

    def describe(self, language: str = "en") -> str:
        """The covered quarters as a reader says them: "FY2026 Q2", "FY2025 to FY2026 Q1"."""
        if not self.quarters:
            return in_language(said("no_period"), language)
        runs: list[list[Quarter]] = []
        for quarter in sorted(self.quarters):
            number = quarter[0] * 4 + quarter[1]
            if runs and runs[-1][-1][0] * 4 + runs[-1][-1][1] == number - 1:
                runs[-1].append(quarter)
            else:
                runs.append([quarter])
        return ", ".join(_run_text(run, language) for run in runs)

    def explained(self, language: str = "en") -> str:
        """The covered quarters and how that was found out, in ``language``.

        >>> Coverage(_quarters_between((2025, 1), (2026, 2)), said("by_columns")).explained("pl")
        'FY2025 do FY2026 Q2 (według kolumn obrotu)'
        """
        return f"{self.describe(language)} ({in_language(self.how, language)})"


def _run_text(run: list[Quarter], language: str = "en") -> str:
    (fy1, q1), (fy2, q2) = run[0], run[-1]
    first = f"FY{fy1}" if q1 == 1 and (fy2 > fy1 or q2 == 4) else f"FY{fy1} Q{q1}"
    last = f"FY{fy2}" if q2 == 4 and (fy1 < fy2 or q1 == 1) else f"FY{fy2} Q{q2}"
    if first == last or len(run) == 1:
        return first
    return in_language(said("period_to", first=first, last=last), language)


def parse_period(text: str, fiscal_year: int | None = None) -> frozenset[Quarter]:
    """The quarters ``--period`` names: ``2026Q2``, ``Q2`` (of ``fiscal_year``), ``FY2025``
    (a whole fiscal year), or a range of those: ``2025Q4..2026Q2``.

    >>> sorted(parse_period("FY2025..2026Q1")) == sorted(_quarters_between((2025, 1), (2026, 1)))
    True
    """
    ends = [part.strip() for part in text.split("..")]
    if len(ends) > 2 or not all(ends):
        raise ValueError(
            f"--period {text!r} is not a period; write 2026Q2, FY2025 or 2025Q4..2026Q2"
        )
    bounds = []
    for i, end in enumerate(ends):
        whole = re.fullmatch(r"(?i)FY\s*(\d{4})", end)
        if whole:
            bounds.append((int(whole[1]), 1 if i == 0 else QUARTERS_PER_YEAR))
            if len(ends) == 1:
                bounds.append((int(whole[1]), QUARTERS_PER_YEAR))
            continue
        try:
            year, quarter = parse_quarter(end)
        except ValueError:
            raise ValueError(
                f"--period {text!r}: {end!r} is not a fiscal quarter; write "
                "2026Q2, FY2025 or 2025Q4..2026Q2"
            ) from None
        if year is None and fiscal_year is None:
            raise ValueError(f"--period {text!r}: name the fiscal year, e.g. 2026Q2")
        bounds.append((year or fiscal_year, quarter))  # type: ignore[arg-type]
    first, last = bounds[0], bounds[-1]
    if last < first:
        raise ValueError(f"--period {text!r} ends before it starts")
    return _quarters_between(first, last)


@dataclass
class SalesImport:
    """The partners read from one export, what was wrong with it, and what was assumed."""

    file: str
    program: Program
    fiscal_year: int
    quarter: int
    partners: list[Partner]
    problems: list[Problem]
    notices: list[str]
    has_prior_year: bool  # whether the export says anything about the prior fiscal year
    coverage: Coverage = Coverage(frozenset(), "")
    amounts: list[str] = field(default_factory=list)  # which amounts counted, how converted


# -- small parsers -------------------------------------------------------------------------


# -- reading the file ----------------------------------------------------------------------


@dataclass
class ExportTable:
    rows: list[tuple[int, list[object]]]  # (line, values)
    delimiter: str | None = None
    notices: list[str] = field(default_factory=list)


def _decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, list[str]]:
    if encoding:
        try:
            return data.decode(encoding), []
        except (LookupError, UnicodeDecodeError) as exc:
            raise SalesFileError(f"{path} cannot be read as {encoding}: {exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return _decode_by_evidence(data, path)


def _decode_by_evidence(data: bytes, path: Path) -> tuple[str, list[str]]:
    """A file that is not all UTF-8, decided by its lines: UTF-8 when more lines are UTF-8
    with letters beyond ASCII than are not UTF-8 at all (those few are read as
    Windows-1250 and named); Windows-1250 otherwise."""
    lines = data.split(b"\n")
    utf8, other = 0, []
    for number, line in enumerate(lines, 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other.append(number)
    if utf8 > len(other):
        not_utf8 = set(other)
        text = "\n".join(
            line.decode("cp1250", errors="replace") if number in not_utf8 else line.decode()
            for number, line in enumerate(lines, 1)
        )
        shown_lines = ", ".join(map(str, other[:10])) + (", ..." if len(other) > 10 else "")
        utf8_but = said(
            "utf8_but",
            file=path.name,
            lines=counted(len(other), "line"),
            n=len(other),
            numbers=shown_lines,
        )
        return text, [utf8_but]
    return data.decode("cp1250", errors="replace"), [said("not_utf8", file=path.name)]


def _read_csv(path: Path, delimiter: str | None, encoding: str | None) -> ExportTable:
    text, notices = _decode(path.read_bytes(), encoding, path)
    if "\x00" in text:
        raise SalesFileError(f"{path} holds binary data; export it from the ERP as CSV or XLSX")
    if not delimiter:
        delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    line = 1
    try:
        for values in reader:
            rows.append((line, list(values)))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SalesFileError(f"{path}, line {reader.line_num}: {exc}") from None
    return ExportTable(rows, delimiter, notices)


def _detect_delimiter(text: str) -> str:
    """The separator under which a header row names the most known columns."""
    sample = text.splitlines()[:HEADER_SEARCH_ROWS]
    best, best_score = ";", -1
    for candidate in ";,\t|":
        try:
            rows = list(csv.reader(sample, delimiter=candidate))
        except csv.Error:  # a field over csv's limit: the reading says where
            continue
        score = max((len({_field(v) for v in row} - {None}) for row in rows), default=0)
        if score > best_score:
            best, best_score = candidate, score
    return best


HeaderFinder = Callable[[Sequence[tuple[int, list[object]]]], int | None]


def _read_xlsx(path: Path, find_header: HeaderFinder) -> ExportTable:
    wb = safe_xlsx.open_workbook(path, read_only=True, data_only=True)
    try:
        with safe_xlsx.reading(path):  # a read-only sheet is parsed as its rows are read
            for ws in wb.worksheets:  # the sheet whose first rows hold the header
                rows = _filled_rows(ws)
                head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
                if find_header(head) is not None:
                    notice = said("read_sheet", sheet=ws.title, file=path.name)
                    return ExportTable(head + list(rows), notices=[notice])
            # No sheet has one: the first rows of the first sheet say so (no more is read).
            return ExportTable(
                list(itertools.islice(_filled_rows(wb.worksheets[0]), HEADER_SEARCH_ROWS))
            )
    finally:
        wb.close()


def _filled_rows(ws: Any) -> Iterator[tuple[int, list[object]]]:
    """(line, values) of each row of a sheet that holds anything, read as needed."""
    for line, values in enumerate(ws.iter_rows(values_only=True), 1):
        if any(v not in (None, "") for v in values):
            yield line, list(values)


def _find_header(
    rows: Sequence[tuple[int, list[object]]], metrics: MetricFields | None = None
) -> int | None:
    """Index in ``rows`` of the first row naming a partner column and a revenue column (or
    a column of one of the program's ``metrics``: a monthly commitment, say)."""
    for index, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {_field(v, metrics) for v in values}
        figures = {"amount", "amount_base", "prior_year", *QUARTER_FIELDS, *(metrics or {})}
        if "name" in fields and fields & figures:
            return index
    return None


_LOOKUP = {normalise_header(h): f for f, spellings in HEADERS.items() for h in spellings}
METRIC_FIELD = "metric."  # the field of a program's metric: "metric.monthly_commitment"
MetricFields = dict[str, Metric]  # field -> the metric its column holds


def metric_fields(program: Program) -> MetricFields:
    """The fields of the metrics ``program`` reads beyond revenue and the two counts of
    certified people: the columns an export may add, each headed by the metric's name,
    words or an alias (:func:`partner_tiers.rules.metrics.header_key`)."""
    return {METRIC_FIELD + m.name: m for m in typed_metrics(program)}


def _field(header: object, metrics: MetricFields | None = None) -> str | None:
    """The field a header names: one of :data:`HEADERS`' (which win), else a metric's."""
    known = _LOOKUP.get(normalise_header(header))
    if known is not None or not metrics or not isinstance(header, str):
        return known
    key = header_key(header)
    return next((name for name, m in metrics.items() if key in m.header_keys()), None)


# -- from rows to partners -----------------------------------------------------------------


@dataclass
class _Row:
    line: int
    name: str
    tax_id: str | None
    # canonical field -> parsed value: Decimal amounts and rate, a date, a (year, quarter)
    # pair, whole-number year and counts, a bool msp, text for the rest (see _RowReader.read)
    values: dict[str, Any]
    currency: str | None


def read_sales(
    path: Path | str,
    program: Program,
    *,
    fiscal_year: int | None = None,
    quarter: int | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    currency: str | None = None,
    fx: Decimal | None = None,
    date_column: str | None = None,
    period: str | None = None,
    rates: Rates | None = None,
    base_currency: str = BASE_CURRENCY,
    carried_year: int | None = None,
) -> SalesImport:
    """Read a sales export into revenue per partner for ``program``'s fiscal years.

    The fiscal year comes from the data, never from today's date: ``fiscal_year`` when
    given, else the year of the latest sale (by its date or its quarter and year), else the
    latest year ``period`` names, else ``carried_year`` (the carried-over review's, said in
    a note); an export that tells none of these is refused (:class:`UnknownYear`).
    ``quarter`` defaults to the latest quarter of that year with revenue. ``currency`` is
    the export's currency when it has no currency column (default: the program's). Amounts
    in another currency than the program's are converted as :func:`_convert` says, with
    rates in ``base_currency`` for one unit: the export's rate column, ``fx`` (the program
    currency's one rate) and ``rates`` (dated rates, :mod:`.exchange_rates`).
    ``date_column`` names the column of sale dates when the export has several date
    columns (default: the sale date, see :data:`SALE_DATE_HEADERS`). ``period`` (see
    :func:`parse_period`) states the quarters the export covers where its dates don't show
    them; by default they are found from the data (:class:`Coverage`).
    """
    path = Path(path)
    metrics = metric_fields(program)
    table = read_table(path, delimiter, encoding, lambda rows: _find_header(rows, metrics))
    notices = list(table.notices)
    header_index, columns, in_base, amounts = _columns(
        path, table, date_column, base_currency, notices, metrics
    )
    header = table.rows[header_index][1]
    long = "amount" in columns
    data = [(line, values) for line, values in table.rows[header_index + 1 :]]
    money = tuple(name for name, m in metrics.items() if m.is_money and name in columns)
    decimal = decimal or _detect_decimal(path, data, columns, table.delimiter, notices, money)
    reader = _RowReader(path.name, header, columns, decimal, metrics)
    rows = [row for row in (reader.read(line, values) for line, values in data) if row]
    problems = reader.problems
    notices += reader.notices
    if reader.totals:
        shown_totals = ", ".join(reader.totals[:5]) + (", ..." if len(reader.totals) > 5 else "")
        notices.append(
            said(
                "totals_skipped",
                rows=counted(len(reader.totals), "total or summary row"),
                n=len(reader.totals),
                totals=shown_totals,
            )
        )
    if in_base:
        for row in rows:
            row.currency = base_currency
    conversion = _Conversion(program.currency, base_currency, currency, fx, rates, money)
    read_year = _latest_year_of(rows, program) if long else None
    _convert(rows, reader, conversion, notices, amounts)
    if fiscal_year is None and not rows:  # every row a problem: the year their dates name
        fiscal_year = read_year
    common = (path.name, rows, program, fiscal_year, quarter, notices, carried_year, period)
    try:
        if long:
            partners, fy, q, coverage = _sum_sales(*common)
        else:
            partners, fy, q, coverage = _partner_rows(*common, columns)
    except SalesFileError:
        raise
    except ValueError as exc:  # a --period that is not one
        raise SalesFileError(str(exc)) from None
    _check_totals(path, partners)
    has_prior = coverage.touches_year(fy - 1)
    # The cache's strings would pin the memory of every row read (22 MB at 80,000 rows)
    # through the building of the workbook: an import's ids are of no use to the next one.
    normalise_tax_id.cache_clear()
    return SalesImport(
        path.name, program, fy, q, partners, problems, notices, has_prior, coverage, amounts
    )


def read_table(
    path: Path,
    delimiter: str | None,
    encoding: str | None,
    find_header: HeaderFinder | None = None,
) -> ExportTable:
    """The rows of an export's CSV or XLSX file: of a workbook, the first sheet on which
    ``find_header`` (the sales export's header by default) finds the header row."""
    if not path.is_file():
        raise SalesFileError(f"{path}: no such file")
    try:
        is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm") or safe_xlsx.is_zip(path)
        if is_xlsx:
            return _read_xlsx(path, find_header or _find_header)
        return _read_csv(path, delimiter, encoding)
    except safe_xlsx.UnreadableFile as exc:
        raise SalesFileError(str(exc)) from None
    except OSError as exc:
        raise SalesFileError(
            f"{path} cannot be read ({exc.strerror or exc}); close it in "
            "the program that has it open and try again"
        ) from None


def _columns(
    path: Path,
    table: ExportTable,
    date_column: str | None,
    base_currency: str,
    notices: list[str],
    metrics: MetricFields,
) -> tuple[int, dict[str, int], bool, list[str]]:
    """(index of the header row, field -> column, whether the amounts are in the base
    currency, what the terminal says of the amounts), the export's shape checked."""
    header_index = _find_header(table.rows, metrics)
    if header_index is None:
        known = ", ".join(repr(h) for h in ("Partner", "Kontrahent", "NIP", "Kwota", "Data", "Q1"))
        raise SalesFileError(
            f"{path}: no header row with a partner column and a revenue column in the first "
            f"{HEADER_SEARCH_ROWS} rows; name the columns, for example {known}"
        )
    header_line, header = table.rows[header_index]
    columns: dict[str, int] = {}
    ignored = []
    date_index = _date_column(path, header, date_column, notices)
    for index, text in enumerate(header):
        name = _field(text, metrics)
        if name == "date" and index != date_index:
            ignored.append(str(text))
            continue
        if name is None:
            if text not in (None, ""):
                ignored.append(str(text))
            continue
        if name in columns:
            what = name.removeprefix(METRIC_FIELD).replace("_", " ")
            raise SalesFileError(
                f"{path}, line {header_line}: both {header[columns[name]]!r} and {text!r} "
                f"could be the {what} column; rename or remove one"
            )
        columns[name] = index
    in_base = False
    amounts: list[str] = []
    if "amount_base" in columns:
        base_column = header[columns.pop("amount_base")]
        if "amount" in columns:
            amounts.append(
                said(
                    "amounts_own_currency",
                    column=header[columns["amount"]],
                    base=base_column,
                    currency=base_currency,
                )
            )
            ignored.append(str(base_column))
        else:
            columns["amount"], in_base = header.index(base_column), True
            amounts.append(said("amounts_counted", column=base_column, currency=base_currency))
    if ignored:
        notices.append(said("columns_not_used", columns=", ".join(ignored)))
    long = "amount" in columns
    wide = bool(set(columns) & {"prior_year", *QUARTER_FIELDS})
    if long and wide:
        raise SalesFileError(
            f"{path}: it has both an amount column and revenue columns per quarter or year; "
            "keep one of the two"
        )
    summed = [name for name in columns if name in metrics and metrics[name].is_money]
    if long and summed:
        raise SalesFileError(
            f"{path}: the column {header[columns[summed[0]]]!r} holds the amount "
            f"{metrics[summed[0]].name}, which is read from an export with one row per "
            "partner; an export of sales rows has one amount column"
        )
    if long and not ({"date", "quarter"} & set(columns)):
        raise SalesFileError(
            f"{path}: the column {header[columns['amount']]!r} has amounts but no column says "
            "when they were sold; add a date or quarter column"
        )
    return header_index, columns, in_base, amounts


def _check_totals(path: Path, partners: list[Partner]) -> None:
    """Refuse a partner whose summed revenue of a period is larger than Excel can hold."""
    for partner in partners:
        for total in (partner.revenue_prior_year, *partner.revenue_quarters):
            if isinstance(total, Decimal) and total and total.adjusted() > EXCEL_MAX_EXPONENT:
                lines = ", ".join(map(str, partner.lines[:10]))
                raise SalesFileError(
                    f"{path}: {shown(partner.name)}'s revenue adds up to {total:.2E}, larger "
                    f"than Excel can hold (9.99E+307); check lines {lines}"
                )


def _date_column(
    path: Path, header: list[object], chosen: str | None, notices: list[str]
) -> int | None:
    """Index of the date column that counts, or None: the one ``chosen`` names, the only
    one, or of several the sale date."""
    dates = [(i, str(text)) for i, text in enumerate(header) if _field(text) == "date"]
    names = ", ".join(repr(text) for _, text in dates) or "none"
    if chosen is not None:
        match = [i for i, text in dates if normalise_header(text) == normalise_header(chosen)]
        if not match:
            raise SalesFileError(
                f"{path}: no date column is called {chosen!r} (--date-column); "
                f"its date columns: {names}"
            )
        return match[0]
    if len(dates) <= 1:
        return dates[0][0] if dates else None
    sale = [(i, text) for i, text in dates if normalise_header(text) in SALE_DATE_HEADERS]
    if len(sale) != 1:
        raise SalesFileError(
            f"{path}: it has the date columns {names}; choose the one of the "
            "sales with --date-column"
        )
    notices.append(said("date_columns", names=names, chosen=sale[0][1]))
    return sale[0][0]


def _detect_decimal(
    path: Path,
    data: list[tuple[int, list[object]]],
    columns: dict[str, int],
    delimiter: str | None,
    notices: list[str],
    more_amounts: tuple[str, ...] = (),
) -> str:
    """The decimal separator most amounts prove; a minority that reads otherwise is left to
    the rows, which report each such value."""
    votes: dict[str, list[tuple[int, str]]] = {}
    indexes = [columns[name] for name in (*AMOUNT_FIELDS, *more_amounts) if name in columns]
    for line, values in data:
        for index in indexes:
            text = values[index] if index < len(values) else None
            if not isinstance(text, str):
                continue
            evidence = decimal_evidence(text)
            if evidence:
                votes.setdefault(evidence, []).append((line, text))
    if len(votes) == 2:
        (a, seen_a), (b, seen_b) = sorted(votes.items(), key=lambda v: -len(v[1]))
        if len(seen_a) == len(seen_b):
            (la, va), (lb, vb) = seen_a[0], seen_b[0]
            raise SalesFileError(
                f"{path}: as many amounts use {a!r} (line {la}: {va!r}) as {b!r} "
                f"(line {lb}: {vb!r}) as the decimal separator; give --decimal"
            )
        notices.append(
            said(
                "decimal_seen",
                separator=a,
                values=counted(len(seen_a), "value"),
                others=counted(len(seen_b), "value"),
                n=len(seen_a),
                m=len(seen_b),
            )
        )
        return a
    if votes:
        return next(iter(votes))
    guess = "," if delimiter == ";" else "."
    if delimiter is not None:
        notices.append(said("decimal_guessed", guess=guess, delimiter=delimiter))
    return guess


class _RowReader:
    """Parses data rows into :class:`_Row`, collecting problems and notices."""

    def __init__(
        self,
        file: str,
        header: list[object],
        columns: dict[str, int],
        decimal: str,
        metrics: MetricFields | None = None,
    ):
        self.file, self.header, self.columns, self.decimal = file, header, columns, decimal
        self.metrics = metrics or {}
        self.problems: list[Problem] = []
        self.notices: list[str] = []
        self.totals: list[str] = []  # total and summary rows skipped
        self.checked_tax_ids: set[str] = set()  # each checked once, on its first row

    def problem(self, line: int, name: str, value: object, why: str) -> None:
        """A problem in the column ``name``; the first revenue column when the file has no
        such column (a currency read from the amounts' own text, say)."""
        if name not in self.columns:
            name = next(f for f in ("amount", "prior_year", *QUARTER_FIELDS) if f in self.columns)
        self.problems.append(
            Problem(self.file, line, str(self.header[self.columns[name]]), value, why)
        )

    def total_label(self, values: list[object], raw: dict[str, object]) -> str | None:
        """What makes a row a total or summary row, or None: a cell reading "Razem",
        "Suma", "Total"..., or amounts with neither a partner nor a date."""
        has_date = any(raw.get(k) not in (None, "") for k in ("date", "quarter"))
        no_tax_id = raw.get("tax_id") in (None, "")
        for value in values:
            if not isinstance(value, str) or not _TOTAL_START.match(value):
                continue  # most cells: no normalising (and caching) of every amount and date
            text = normalise_header(value)
            first = text.split(" ", 1)[0]
            if text in TOTAL_LABELS or (first in TOTAL_WORDS and not has_date and no_tax_id):
                return shown(value.strip())
        revenue = ("amount", "prior_year", *QUARTER_FIELDS)
        no_partner = raw.get("name") in (None, "") and no_tax_id
        if no_partner and not has_date and any(raw.get(k) not in (None, "") for k in revenue):
            return "an amount with no partner and no date"  # a dated sale needs its partner
        return None

    def read(self, line: int, values: list[object]) -> _Row | None:
        raw = {
            name: values[index] if index < len(values) else None
            for name, index in self.columns.items()
        }
        raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        if all(v in (None, "") for v in raw.values()):
            return None  # a blank line
        total = self.total_label(values, raw)
        if total is not None:
            self.totals.append(f"line {line} ({total})")
            return None
        before = len(self.problems)
        parsed: dict[str, Any] = {}
        currency_in_text: str | None = None
        for name, value in raw.items():
            if value in (None, ""):
                continue
            try:
                metric = self.metrics.get(name)
                if metric is not None and not metric.is_money:
                    parsed[name] = self.metric_value(metric, value)
                elif name in AMOUNT_FIELDS or metric is not None:
                    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                        parsed[name] = excel_amount(cells.number(value, "the amount") or Decimal(0))
                    else:
                        parsed[name], code = parse_amount(str(value), self.decimal)
                        currency_in_text = code or currency_in_text
                elif name == "date":
                    parsed[name] = parse_date(value)
                elif name == "quarter":
                    parsed[name] = parse_quarter(value)
                elif name == "year" or name in ("certified_sales", "certified_engineers"):
                    parsed[name] = whole_number(value)
                elif name == "msp":
                    parsed[name] = yes_no(value)
                elif name == "currency":
                    code = str(value).upper()
                    if not re.fullmatch(r"[A-Z]{3}", code):
                        raise BadValue("is not a three-letter currency code")
                    parsed[name] = code
                else:
                    parsed[name] = self.text(line, name, value)
            except cells.CellError as exc:  # a number Excel could not hold, say
                self.problem(line, name, value, f"cannot be read: {exc.problem}")
            except BadValue as exc:
                self.problem(line, name, value, exc.problem)
        if "rate" in parsed and parsed["rate"] <= 0:
            self.problem(line, "rate", raw["rate"], "must be above 0")
        partner: str = parsed.get("name") or ""
        if not partner:
            self.problem(line, "name", raw.get("name"), "is empty; every row needs a partner")
        if "amount" in self.columns and raw["amount"] in (None, ""):
            self.problem(line, "amount", raw["amount"], "is empty")
        when = [k for k in ("date", "quarter") if k in self.columns]
        if when and "amount" in self.columns and not any(raw[k] not in (None, "") for k in when):
            self.problem(line, when[0], raw[when[0]], "is empty; every sale needs a date")
        if len(self.problems) > before:
            return None
        tax_id = parsed.get("tax_id")
        if tax_id and normalise_tax_id(tax_id) not in self.checked_tax_ids:
            self.checked_tax_ids.add(normalise_tax_id(tax_id))
            why = tax_id_problem(tax_id)
            if why:
                self.notices.append(
                    said("tax_id_kept", file=self.file, line=line, tax_id=shown(tax_id), why=why)
                )
        currency = parsed.get("currency") or currency_in_text
        if "currency" in parsed and currency_in_text and currency_in_text != parsed["currency"]:
            self.problem(
                line,
                "currency",
                raw["currency"],
                f"contradicts the amount's own currency {currency_in_text}",
            )
            return None
        return _Row(line, partner, parsed.get("tax_id"), parsed, currency)

    def metric_value(self, metric: Metric, value: object) -> int | bool | Decimal:
        """A cell of a metric that is no amount: a whole count, yes or no, or a growth
        (0.15, or 15% as text, is 15%)."""
        if metric.kind == "yes_no":
            return yes_no(value)
        if metric.kind in ("certified", "count"):
            return whole_number(value)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return cells.number(value, metric.name) or Decimal(0)
        text = str(value).strip()
        percent = text.endswith("%")
        number, _ = parse_amount(text.removesuffix("%").strip(), self.decimal)
        return number / 100 if percent else number

    def text(self, line: int, name: str, value: object) -> str:
        text = str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))  # a tax id read as a number
        cleaned = NOT_IN_XLSX.sub("", text)
        if cleaned != text:
            self.notices.append(
                said("control_removed", file=self.file, line=line, text=shown(text))
            )
        if len(cleaned) > MAX_TEXT:
            raise BadValue(f"is longer than Excel's {MAX_TEXT:,} characters per cell")
        return cleaned


@dataclass
class _Conversion:
    """How amounts reach the program currency: ``target``, through the ERP's ``base``
    currency, with the export's ``currency`` for rows that name none, the program
    currency's fixed rate ``fx`` and dated ``rates`` (all in ``base`` for one unit)."""

    target: str
    base: str
    currency: str | None
    fx: Decimal | None
    rates: Rates | None
    metrics: tuple[str, ...] = ()  # the fields of the program's amounts beyond revenue

    def target_rate(self, day: dt.date | None) -> tuple[Decimal | None, str]:
        """The program currency's rate for a sale of ``day``, and where it came from."""
        if self.fx is not None:
            return self.fx, f"--fx {self.fx}"
        if self.rates is not None and day is not None:
            return self.rates.on(self.target, day), self.rates.source
        return None, ""


def _convert(
    rows: list[_Row],
    reader: _RowReader,
    conversion: _Conversion,
    notices: list[str],
    amounts: list[str],
) -> None:
    """Turn every amount into the program currency, in place; bad rows become problems.

    A row in the program currency is taken as it is. Any other becomes the base currency
    first (its amount times its rate: the base currency itself needs none; else the rate
    column, else ``rates`` on the sale's date) and then the program currency (divided by the
    program currency's rate: ``fx``, else ``rates`` of the last day before the sale). Where
    a rate is missing the row is a problem; a rate of exactly 1 between two currencies is
    refused; nothing is ever taken 1:1 across currencies.
    """
    target, base = conversion.target, conversion.base
    rate_column = "rate" in reader.columns
    if not any(row.currency for row in rows) and not conversion.currency and not rate_column:
        notices.append(said("no_currency", currency=target))
    converted: dict[str, set[str]] = {}
    bad: list[_Row] = []
    for row in rows:
        source = row.currency or conversion.currency
        if source is None and rate_column and row.values.get("rate") == 1:
            source = base  # the ERP writes 1,0000 on invoices in its own currency
        source = source or target
        if source == target:
            continue
        day = row.values.get("date")
        try:
            values, how = _to_target(row, source, day, conversion)
        except ValueError as exc:
            reader.problem(row.line, "currency", source, str(exc))
            bad.append(row)
            continue
        row.values.update(values)
        converted.setdefault(source, set()).update(how)
    for row in bad:
        rows.remove(row)
    for source, how in converted.items():
        amounts.append(
            said("amounts_converted", source=source, target=target, how=", ".join(sorted(how)))
        )


def _to_target(
    row: _Row, source: str, day: dt.date | None, conversion: _Conversion
) -> tuple[dict[str, Decimal], set[str]]:
    """The row's amounts in the program currency, and the rates used; ValueError if a rate
    is missing or is 1 between two currencies."""
    target, base, rates = conversion.target, conversion.base, conversion.rates
    how = set()
    to_base: Decimal | None
    if source == base:
        to_base = Decimal(1)
    elif "rate" in row.values:
        to_base = row.values["rate"]
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
    for name in ("amount", "prior_year", *QUARTER_FIELDS, *conversion.metrics):
        if name in row.values:
            with localcontext(prec=CONVERSION_DIGITS):  # any amount Excel holds, to the cent
                converted = (row.values[name] * factor).quantize(CENT, ROUND_HALF_UP)
            try:
                values[name] = excel_amount(converted)
            except BadValue as exc:
                raise BadValue(f"converted to {target}, {converted:.2E} {exc.problem}") from None
            if row.values[name] and not converted:
                raise BadValue(
                    f"{row.values[name]} becomes 0.00 {target} at this rate; check the rate"
                )
    return values, how


def _merge(
    partners: PartnerIndex[Partner],
    row: _Row,
    notices: list[str],
    file: str,
) -> tuple[Partner, bool]:
    """The partner of ``row`` (a new one when the index has none), and whether it is new."""
    partner = partners.find(row.name, row.tax_id)
    if partner is None:
        tax_id = row.tax_id and str(row.tax_id)
        partner = Partner(row.name, tax_id)
        partners.add(row.name, tax_id, partner)
        new = True
    else:
        new = False
        if normalise_name(row.name) != normalise_name(partner.name):
            notices.append(
                said(
                    "tax_id_of_other",
                    file=file,
                    line=row.line,
                    name=row.name,
                    other=partner.name,
                    first=partner.lines[0],
                )
            )
        elif row.tax_id and not partner.tax_id:  # its first rows had no tax id
            partner.tax_id = str(row.tax_id)
            partners.identify(partner, partner.tax_id)
    partner.lines.append(row.line)
    hand_typed = ("account_manager", "certified_sales", "certified_engineers", "msp", "notes")
    metrics = [n for n in row.values if n.startswith(METRIC_FIELD)]
    for name in (*hand_typed, *metrics):
        value = row.values.get(name)
        if value is None:
            continue
        is_metric = name.startswith(METRIC_FIELD)
        metric = name.removeprefix(METRIC_FIELD)
        current = partner.metrics.get(metric) if is_metric else getattr(partner, name)
        if current is None and is_metric:
            partner.metrics[metric] = value
        elif current is None:
            setattr(partner, name, value)
        elif current != value:
            notices.append(
                said(
                    "differs_kept_first",
                    file=file,
                    line=row.line,
                    what=metric.replace("_", " "),
                    what_pl=metric if is_metric else label(name, "pl").lower(),
                    value=value,
                    partner=partner.name,
                    current=current,
                    first=partner.lines[0],
                )
            )
    return partner, new


def _add(total: Amount, amount: Decimal) -> Decimal:
    assert total is None or isinstance(total, Decimal)  # the import sums Decimals only
    return amount if total is None else total + amount


def _sum_sales(
    file: str,
    rows: list[_Row],
    program: Program,
    fiscal_year: int | None,
    quarter: int | None,
    notices: list[str],
    carried_year: int | None,
    period: str | None,
) -> tuple[list[Partner], int, int, Coverage]:
    start = program.fiscal_start
    read: list[tuple[int | None, int]] = []
    for row in rows:
        if "date" in row.values:
            read.append(fiscal_period(row.values["date"], start))
        else:
            year, q = row.values["quarter"]
            read.append((year or row.values.get("year") or fiscal_year, q))
    if fiscal_year is None:
        fiscal_year = max((y for y, _ in read if y is not None), default=None)
    if fiscal_year is None and period:
        fiscal_year = _latest_year(period)
    without_year = [row.line for row, (y, _) in zip(rows, read, strict=True) if y is None]
    if fiscal_year is None and (without_year or not rows):
        fiscal_year = _carried(file, carried_year, notices)
    if without_year:  # quarters that name no year: of the review's year, said
        notices.append(
            said(
                "no_year_rows",
                file=file,
                rows=counted(len(without_year), "row"),
                n=len(without_year),
                year=fiscal_year,
                lines=_some(without_year),
            )
        )
    assert fiscal_year is not None
    periods: list[Quarter] = [(fiscal_year if y is None else y, q) for y, q in read]
    if period:
        coverage = Coverage(parse_period(period, fiscal_year), said("by_period", period=period))
        inside = [p in coverage.quarters for p in periods]
        if not all(inside):
            lines = [row.line for row, ok in zip(rows, inside, strict=True) if not ok]
            notices.append(
                said(
                    "outside_period_rows",
                    rows=counted(len(lines), "row"),
                    n=len(lines),
                    period=period,
                    lines=_some(lines),
                )
            )
        rows = [row for row, ok in zip(rows, inside, strict=True) if ok]
        periods = [p for p, ok in zip(periods, inside, strict=True) if ok]
    else:
        dates = [row.values["date"] for row in rows if "date" in row.values]
        how = (
            said("by_dates", first=f"{min(dates):%d.%m.%Y}", last=f"{max(dates):%d.%m.%Y}")
            if dates
            else said("by_quarters")
        )
        covered = _quarters_between(min(periods), max(periods)) if periods else frozenset()
        coverage = Coverage(covered, how)
    if quarter is None:
        in_year = [q for y, q in [*periods, *coverage.quarters] if y == fiscal_year]
        quarter = max(in_year, default=1)
    partners: PartnerIndex[Partner] = PartnerIndex()
    outside: list[int] = []
    for row, (year, q) in zip(rows, periods, strict=True):
        partner, _ = _merge(partners, row, notices, file)
        amount = row.values["amount"]
        if year == fiscal_year:
            partner.revenue_quarters[q - 1] = _add(partner.revenue_quarters[q - 1], amount)
        elif year == fiscal_year - 1:
            partner.revenue_prior_year = _add(partner.revenue_prior_year, amount)
        else:
            outside.append(row.line)
    _zero_fill(list(partners), coverage, fiscal_year, quarter)
    if outside:
        notices.append(
            said(
                "outside_years",
                rows=counted(len(outside), "row"),
                verb="falls" if len(outside) == 1 else "fall",
                n=len(outside),
                prior=fiscal_year - 1,
                year=fiscal_year,
                lines=_some(outside),
            )
        )
    _say_coverage(coverage, fiscal_year, notices)
    return _sorted(partners), fiscal_year, quarter, coverage


class UnknownYear(SalesFileError):
    """An export that does not say which fiscal year it is of."""


def _latest_year_of(rows: Sequence[_Row], program: Program) -> int | None:
    """The fiscal year of the latest sale of rows dated or of a quarter and year."""
    years = [
        fiscal_period(row.values["date"], program.fiscal_start)[0]
        if "date" in row.values
        else row.values["quarter"][0] or row.values.get("year")
        for row in rows
    ]
    return max((y for y in years if y), default=None)


def _latest_year(period: str) -> int | None:
    """The latest fiscal year a --period names (None when it names a quarter only)."""
    try:
        return max(year for year, _ in parse_period(period))
    except ValueError:
        return None


def _carried(file: str, carried_year: int | None, notices: list[str]) -> int:
    """The fiscal year of the carried-over review, for an export whose data names none."""
    if carried_year is None:
        raise UnknownYear(said("unknown_year", file=file))
    notices.append(said("took_carried_year", file=file, year=carried_year))
    return carried_year


def _some(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")


def _zero_fill(
    partners: Iterable[Partner], coverage: Coverage, fiscal_year: int, quarter: int
) -> None:
    """A covered quarter (up to ``quarter``) or prior year in which an exported partner sold
    nothing is 0, not unknown: the export covers it."""
    for partner in partners:
        for q in range(1, quarter + 1):
            if coverage.covers(fiscal_year, q) and partner.revenue_quarters[q - 1] is None:
                partner.revenue_quarters[q - 1] = Decimal(0)
        if coverage.touches_year(fiscal_year - 1) and partner.revenue_prior_year is None:
            partner.revenue_prior_year = Decimal(0)


def _say_coverage(coverage: Coverage, fiscal_year: int, notices: list[str]) -> None:
    prior = fiscal_year - 1
    if not coverage.touches_year(prior):
        notices.append(said("no_prior_sales", prior=prior))
    elif not coverage.covers_year(prior):
        notices.append(said("part_of_prior", prior=prior, year=fiscal_year))


def _partner_rows(
    file: str,
    rows: list[_Row],
    program: Program,
    fiscal_year: int | None,
    quarter: int | None,
    notices: list[str],
    carried_year: int | None,
    period: str | None,
    columns: dict[str, int],
) -> tuple[list[Partner], int, int, Coverage]:
    if fiscal_year is None and period:
        fiscal_year = _latest_year(period)
    if fiscal_year is None:  # revenue columns name no year: the carried-over review's
        fiscal_year = _carried(file, carried_year, notices)
    by_columns = {(fiscal_year, i + 1) for i, f in enumerate(QUARTER_FIELDS) if f in columns}
    if "prior_year" in columns:
        by_columns |= {(fiscal_year - 1, q) for q in range(1, QUARTERS_PER_YEAR + 1)}
    if period:
        coverage = Coverage(parse_period(period, fiscal_year), said("by_period", period=period))
    else:
        coverage = Coverage(frozenset(by_columns), said("by_columns"))
    partners: PartnerIndex[Partner] = PartnerIndex()
    ignored: list[int] = []
    for row in rows:
        partner, new = _merge(partners, row, notices, file)
        if not new:
            notices.append(
                said(
                    "also_on_line", file=file, line=row.line, name=row.name, first=partner.lines[0]
                )
            )
        if "prior_year" in row.values:
            if coverage.touches_year(fiscal_year - 1):
                partner.revenue_prior_year = _add(
                    partner.revenue_prior_year, row.values["prior_year"]
                )
            elif row.line not in ignored:
                ignored.append(row.line)
        for i, name in enumerate(QUARTER_FIELDS):
            if name in row.values:
                if coverage.covers(fiscal_year, i + 1):
                    partner.revenue_quarters[i] = _add(
                        partner.revenue_quarters[i], row.values[name]
                    )
                elif row.line not in ignored:
                    ignored.append(row.line)
    if ignored:
        notices.append(said("outside_period_revenue", period=period, lines=_some(ignored)))
    if quarter is None:
        filled = [
            i + 1 for p in partners for i, v in enumerate(p.revenue_quarters) if v is not None
        ]
        quarter = max(filled, default=1)
    return _sorted(partners), fiscal_year, quarter, coverage


def _sorted(partners: PartnerIndex[Partner]) -> list[Partner]:
    return sorted(partners, key=lambda p: (normalise_name(p.name), partner_key(p.name, p.tax_id)))


def without_bad_rows(result: SalesImport) -> list[Partner]:
    """The partners none of whose rows had a problem (what ``--skip-bad`` keeps)."""
    bad_lines = {p.line for p in result.problems}
    return [p for p in result.partners if not bad_lines & set(p.lines)]


def iter_problems(problems: Sequence[Problem], limit: int = 20) -> Iterator[str]:
    """The problems as lines to print, at most ``limit`` and a count of the rest."""
    for problem in problems[:limit]:
        yield problem.said()
    if len(problems) > limit:
        yield said("problems_more", n=len(problems) - limit)
