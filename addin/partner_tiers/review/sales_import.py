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

Nothing is dropped silently: a value that cannot be read makes a
:class:`~.export_tables.Problem` naming file, line, column, value and why, and what was
guessed or summed is listed in ``notices``.

This module sums the rows into partners. The file is read by :mod:`.export_tables`, its
columns found by :mod:`.export_headers`, its rows read by :mod:`.sales_rows`, the quarters it
covers by :mod:`.periods`, its amounts converted by :mod:`.exchange_rates`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from partner_tiers.records import Amount, Partner
from partner_tiers.review.exchange_rates import BASE_CURRENCY, Conversion, Rates, to_target
from partner_tiers.review.export_headers import (
    METRIC_FIELD,
    QUARTER_FIELDS,
    SALE_DATE_HEADERS,
    MetricFields,
    field_of,
    metric_fields,
)
from partner_tiers.review.export_tables import (
    HEADER_SEARCH_ROWS,
    ExportFileError,
    ExportTable,
    Problem,
    read_table,
)
from partner_tiers.review.periods import (
    NO_COVERAGE,
    Coverage,
    Quarter,
    parse_period,
    quarters_between,
)
from partner_tiers.review.sales_fields import (
    PartnerIndex,
    normalise_header,
    normalise_name,
    normalise_tax_id,
    partner_key,
)
from partner_tiers.review.sales_rows import RowReader, SaleRow, detect_decimal
from partner_tiers.rules.fiscal_year import QUARTERS_PER_YEAR, fiscal_period
from partner_tiers.rules.money import EXCEL_MAX_EXPONENT
from partner_tiers.rules.program import Program
from partner_tiers.texts import label, said
from partner_tiers.wording import counted, shown


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
    coverage: Coverage = NO_COVERAGE
    amounts: list[str] = field(default_factory=list)  # which amounts counted, how converted


def _find_header(
    rows: Sequence[tuple[int, list[object]]], metrics: MetricFields | None = None
) -> int | None:
    """Index in ``rows`` of the first row naming a partner column and a revenue column (or
    a column of one of the program's ``metrics``: a monthly commitment, say)."""
    for index, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {field_of(v, metrics) for v in values}
        figures = {"amount", "amount_base", "prior_year", *QUARTER_FIELDS, *(metrics or {})}
        if "name" in fields and fields & figures:
            return index
    return None


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
    decimal = decimal or detect_decimal(path, data, columns, table.delimiter, notices, money)
    reader = RowReader(path.name, header, columns, decimal, metrics)
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
    summed = ("amount", "prior_year", *QUARTER_FIELDS, *money)
    conversion = Conversion(program.currency, base_currency, currency, fx, rates, summed)
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
    except ExportFileError:
        raise
    except ValueError as exc:  # a --period that is not one
        raise ExportFileError(str(exc)) from None
    _check_totals(path, partners)
    has_prior = coverage.touches_year(fy - 1)
    # The cache's strings would pin the memory of every row read (22 MB at 80,000 rows)
    # through the building of the workbook: an import's ids are of no use to the next one.
    normalise_tax_id.cache_clear()
    return SalesImport(
        path.name, program, fy, q, partners, problems, notices, has_prior, coverage, amounts
    )


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
        raise ExportFileError(
            f"{path}: no header row with a partner column and a revenue column in the first "
            f"{HEADER_SEARCH_ROWS} rows; name the columns, for example {known}"
        )
    header_line, header = table.rows[header_index]
    columns: dict[str, int] = {}
    ignored = []
    date_index = _date_column(path, header, date_column, notices)
    for index, text in enumerate(header):
        name = field_of(text, metrics)
        if name == "date" and index != date_index:
            ignored.append(str(text))
            continue
        if name is None:
            if text not in (None, ""):
                ignored.append(str(text))
            continue
        if name in columns:
            what = name.removeprefix(METRIC_FIELD).replace("_", " ")
            raise ExportFileError(
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
        raise ExportFileError(
            f"{path}: it has both an amount column and revenue columns per quarter or year; "
            "keep one of the two"
        )
    summed = [name for name in columns if name in metrics and metrics[name].is_money]
    if long and summed:
        raise ExportFileError(
            f"{path}: the column {header[columns[summed[0]]]!r} holds the amount "
            f"{metrics[summed[0]].name}, which is read from an export with one row per "
            "partner; an export of sales rows has one amount column"
        )
    if long and not ({"date", "quarter"} & set(columns)):
        raise ExportFileError(
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
                raise ExportFileError(
                    f"{path}: {shown(partner.name)}'s revenue adds up to {total:.2E}, larger "
                    f"than Excel can hold (9.99E+307); check lines {lines}"
                )


def _date_column(
    path: Path, header: list[object], chosen: str | None, notices: list[str]
) -> int | None:
    """Index of the date column that counts, or None: the one ``chosen`` names, the only
    one, or of several the sale date."""
    dates = [(i, str(text)) for i, text in enumerate(header) if field_of(text) == "date"]
    names = ", ".join(repr(text) for _, text in dates) or "none"
    if chosen is not None:
        match = [i for i, text in dates if normalise_header(text) == normalise_header(chosen)]
        if not match:
            raise ExportFileError(
                f"{path}: no date column is called {chosen!r} (--date-column); "
                f"its date columns: {names}"
            )
        return match[0]
    if len(dates) <= 1:
        return dates[0][0] if dates else None
    sale = [(i, text) for i, text in dates if normalise_header(text) in SALE_DATE_HEADERS]
    if len(sale) != 1:
        raise ExportFileError(
            f"{path}: it has the date columns {names}; choose the one of the "
            "sales with --date-column"
        )
    notices.append(said("date_columns", names=names, chosen=sale[0][1]))
    return sale[0][0]


def _convert(
    rows: list[SaleRow],
    reader: RowReader,
    conversion: Conversion,
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
    bad: list[SaleRow] = []
    for row in rows:
        source = row.currency or conversion.currency
        if source is None and rate_column and row.values.get("rate") == 1:
            source = base  # the ERP writes 1,0000 on invoices in its own currency
        source = source or target
        if source == target:
            continue
        day = row.values.get("date")
        try:
            values, how = to_target(row.values, source, day, conversion)
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


def _merge(
    partners: PartnerIndex[Partner],
    row: SaleRow,
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
                    value=shown(value),
                    partner=shown(partner.name),
                    current=shown(current),
                    first=partner.lines[0],
                )
            )
    return partner, new


def _add(total: Amount, amount: Decimal) -> Decimal:
    assert total is None or isinstance(total, Decimal)  # the import sums Decimals only
    return amount if total is None else total + amount


def _sum_sales(
    file: str,
    rows: list[SaleRow],
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
        covered = quarters_between(min(periods), max(periods)) if periods else frozenset()
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


class UnknownYear(ExportFileError):
    """An export that does not say which fiscal year it is of."""


def _latest_year_of(rows: Sequence[SaleRow], program: Program) -> int | None:
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
    rows: list[SaleRow],
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
