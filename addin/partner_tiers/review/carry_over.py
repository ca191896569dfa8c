"""Reading what was typed into last quarter's review, so the next one keeps all of it.

Every Partners row that holds anything, every Actions row, and the reviewer are read from a
portfolio review written by partner-tiers (English or Polish, filled in Excel, or a
values-only snapshot). Columns are found by their headers, so a review whose columns were
moved still reads. A cell holding a formula is kept as its text and said in ``notices``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partner_tiers import texts
from partner_tiers.errors import PartnerTiersError
from partner_tiers.excel import cells
from partner_tiers.files import safe_xlsx, xlsx_parts
from partner_tiers.formulas.values import parse_reference
from partner_tiers.rules import programs
from partner_tiers.texts import label, said
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.layout import ACTIONS, CERTIFICATIONS, PARTNERS


class NotAReview(PartnerTiersError, ValueError):
    """The file is not a portfolio review written by partner-tiers."""


@dataclass
class PreviousReview:
    """The hand-typed content of one review, keyed by PARTNERS / ACTIONS column keys."""

    path: Path
    language: str
    program: str | None
    fiscal_year: int | None
    reviewer: str | None
    partners: list[dict[str, Any]]  # non-blank cells only, in sheet order
    actions: list[dict[str, Any]]
    notices: list[str] = field(default_factory=list)
    quarter: int | None = None  # the quarter it reviewed: it holds revenue up to that one
    certifications: list[dict[str, Any]] = field(default_factory=list)
    audit_day: dt.date | None = None
    certifications_as_of: dt.date | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # each setting's cell as typed


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _rows(ws: Any, table: layout.Table, language: str, path: Path, notices: list[str]) -> list:
    labels = {c.header(lang): c.key for lang in texts.LANGUAGES for c in table.columns}
    rows = ws.iter_rows(min_row=table.header_row)
    header = next(rows, ())
    columns = {i: labels.get(str(cell.value).strip()) for i, cell in enumerate(header)}
    unknown = [str(c.value) for i, c in enumerate(header) if c.value and columns[i] is None]
    if unknown:
        notices.append(
            said("columns_not_carried", file=path.name, sheet=ws.title, columns=", ".join(unknown))
        )
    if table.columns[0].key not in columns.values():
        raise NotAReview(
            f"{path} has no {label(table.columns[0].key, language)!r} column on "
            f"{ws.title}; is it a review written by partner-tiers?"
        )
    records = []
    for row in rows:
        record = {}
        for i, cell in enumerate(row):
            key = columns.get(i)
            if key is None or cell.value is None or cell.value == "":
                continue
            value = _plain(cell.value)
            if cell.data_type == "e":  # an error value stays one, as the review's formulas see it
                value = xlsx_parts.ExcelError(str(value))
            elif key in NAMES and not isinstance(value, str):
                value = cells.identity(value)  # a name typed as a number (1024) is its text
            if cell.data_type == "f":
                notices.append(
                    said(
                        "formula_as_text",
                        file=path.name,
                        sheet=ws.title,
                        cell=cell.coordinate,
                        formula=value,
                    )
                )
            record[key] = value
        if record:
            records.append(record)
    return records


# The columns that name a partner: text, whatever was typed.
NAMES = ("name", "partner")

# The parts of a review, by the names a user does not see and so does not rename: the two
# input tables, and the defined names of the Start sheet's settings.
PARTNER_TABLE, ACTION_TABLE = "PartnerInput", "Commitments"
CERTIFICATION_TABLE = "Certifications"  # absent from reviews older than issue 16
SETTING_NAMES = ("Program", "FiscalYear", "Quarter", "Reviewer")
# Absent from reviews older than the rate, and than the certifications' days.
OPTIONAL_SETTING_NAMES = ("ExchangeRate", "AuditDay", "CertificationsAsOf", "RevenueCurrency")


def _language(header: tuple[Any, ...]) -> str:
    """The language whose column labels the header row uses most."""
    texts_in_header = {str(cell.value).strip() for cell in header}
    return max(
        texts.LANGUAGES,
        key=lambda lang: sum(label(c.key, lang) in texts_in_header for c in PARTNERS.columns),
    )


def _usual_sheet(wb: Any, key: str) -> str | None:
    """The title of the sheet ``key`` when it has its name in one of the languages."""
    return next((label(key, lang) for lang in texts.LANGUAGES if label(key, lang) in wb), None)


def _sheet(wb: Any, tables: dict[str, str], table: str, key: str, path: Path) -> Any:
    """The sheet of an input table, found by the table's name, else by its sheet's usual name
    (a review whose tables were removed); NotAReview when neither is there."""
    title = tables.get(table) or _usual_sheet(wb, key)
    if title is None or title not in wb.sheetnames:
        english, *others = dict.fromkeys(label(key, lang) for lang in texts.LANGUAGES)
        names = english + (f" ({', '.join(others)})" if others else "")
        raise NotAReview(
            f"{path} has no {names} sheet and no {table} table; give a review written by "
            "partner-tiers (a sheet may be renamed, its table must stay)"
        )
    return wb[title]


def _settings(wb: Any, path: Path) -> dict[str, Any]:
    """The Start sheet's settings, found by their defined names (else on the Start sheet)."""
    settings: dict[str, Any] = {}
    start = _usual_sheet(wb, "start")
    for name in SETTING_NAMES + OPTIONAL_SETTING_NAMES:
        defined = wb.defined_names.get(name)
        ref = None if defined is None else parse_reference(str(defined.attr_text), start or "")
        if ref is not None and ref.sheet in wb.sheetnames:
            settings[name] = wb[ref.sheet].cell(ref.min_row, ref.min_col).value
        elif name in OPTIONAL_SETTING_NAMES:
            continue
        elif start is not None:
            settings[name] = wb[start][layout.setting_cell(name).replace("$", "")].value
        else:
            raise NotAReview(
                f"{path} has no defined name {name} and no Start sheet, so its settings "
                "(program, year, quarter, reviewer) cannot be found; give a review written "
                "by partner-tiers"
            )
    return settings


def read_previous_review(path: Path | str) -> PreviousReview:
    """The hand-typed content of a portfolio review; raises NotAReview or UnreadableFile."""
    path = Path(path)
    wb = safe_xlsx.open_workbook(path, read_only=True)
    with safe_xlsx.reading(path):  # a read-only sheet is parsed as its rows are read
        return _read(path, wb)


def _read(path: Path, wb: Any) -> PreviousReview:
    try:
        with zipfile.ZipFile(path) as archive:  # checked by open_workbook
            tables = xlsx_parts.table_sheets(archive)
        partners_sheet = _sheet(wb, tables, PARTNER_TABLE, "partners", path)
        language = _language(next(partners_sheet.iter_rows(min_row=PARTNERS.header_row), ()))
        notices: list[str] = []
        settings = _settings(wb, path)
        table = _partners_table(settings.get("Program"))
        partners = _rows(partners_sheet, table, language, path, notices)
        actions_sheet = _sheet(wb, tables, ACTION_TABLE, "actions", path)
        actions = _rows(actions_sheet, ACTIONS, language, path, notices)
        certifications = []
        if tables.get(CERTIFICATION_TABLE) or _usual_sheet(wb, "certifications"):
            sheet = _sheet(wb, tables, CERTIFICATION_TABLE, "certifications", path)
            certifications = _rows(sheet, CERTIFICATIONS, language, path, notices)
    finally:
        wb.close()
    year, quarter = settings.get("FiscalYear"), settings.get("Quarter")
    return PreviousReview(
        path,
        language,
        settings.get("Program") if isinstance(settings.get("Program"), str) else None,
        int(year) if isinstance(year, int | float) else None,
        settings.get("Reviewer"),
        partners,
        actions,
        notices,
        int(quarter) if isinstance(quarter, int | float) and 1 <= quarter <= 4 else None,
        certifications,
        _day(settings.get("AuditDay")),
        _day(settings.get("CertificationsAsOf")),
        settings,
    )


def _partners_table(program_id: Any) -> layout.Table:
    """The Partners table of a review of the program ``program_id``: its metric columns are
    carried too. A program no longer known carries the columns of today's shape."""
    if not isinstance(program_id, str) or not program_id.strip():
        return PARTNERS
    try:
        return layout.partners_table(programs.get_program(program_id.strip()))
    except PartnerTiersError:
        return PARTNERS


def _day(value: Any) -> dt.date | None:
    """A date setting as typed: a date, else None."""
    value = _plain(value)
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
