"""The data rows of a sales export, each read into a :class:`SaleRow`: amounts by the
decimal separator the file proves (:func:`detect_decimal`), dates, quarters, counts, yes/no,
currency codes and text, each field by :mod:`partner_tiers.review.sales_fields`. A value
that cannot be read is a :class:`~.export_tables.Problem`; total and summary rows are
skipped and counted, never summed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from partner_tiers.errors import BadValue
from partner_tiers.excel import cells
from partner_tiers.files.xlsx_parts import NOT_IN_XLSX
from partner_tiers.review.export_headers import (
    AMOUNT_FIELDS,
    QUARTER_FIELDS,
    TOTAL_LABELS,
    TOTAL_START,
    TOTAL_WORDS,
    MetricFields,
)
from partner_tiers.review.export_tables import MAX_TEXT, ExportFileError, Problem
from partner_tiers.review.sales_fields import (
    decimal_evidence,
    normalise_header,
    normalise_tax_id,
    parse_amount,
    parse_date,
    parse_quarter,
    tax_id_problem,
    whole_number,
    yes_no,
)
from partner_tiers.rules.metrics import Metric
from partner_tiers.rules.money import excel_amount
from partner_tiers.texts import said
from partner_tiers.wording import counted, shown


@dataclass
class SaleRow:
    line: int
    name: str
    tax_id: str | None
    # canonical field -> parsed value: Decimal amounts and rate, a date, a (year, quarter)
    # pair, whole-number year and counts, a bool msp, text for the rest (see RowReader.read)
    values: dict[str, Any]
    currency: str | None


def detect_decimal(
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
            raise ExportFileError(
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


class RowReader:
    """Parses data rows into :class:`SaleRow`, collecting problems and notices."""

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
            if not isinstance(value, str) or not TOTAL_START.match(value):
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

    def read(self, line: int, values: list[object]) -> SaleRow | None:
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
        return SaleRow(line, partner, parsed.get("tax_id"), parsed, currency)

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
