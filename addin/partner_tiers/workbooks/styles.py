"""The look and behaviour shared by every review workbook: inputs, headers, print, protection.

Input cells are unlocked and yellow; everything else is locked, and each sheet is
protected without a password, so a formula is never overwritten by accident but anyone
can lift the protection. Text from data always goes in as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.formatting.rule import CellIsRule, DataBarRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from partner_tiers import texts
from partner_tiers.error_values import ExcelError
from partner_tiers.files.xlsx_parts import NOT_IN_XLSX

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
LABEL_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=16, color="1F4E79")
SUBTITLE_FONT = Font(bold=True, size=12, color="1F4E79")
NOTE_FONT = Font(italic=True, color="595959")
BOLD = Font(bold=True)
ABSENT_FONT = Font(italic=True, color="808080")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
UNLOCKED = Protection(locked=False)

# Numbers stand right, text left: "_-" keeps a dash's width after a number, so that it never
# runs into the text of the cell to its right ("158,000.37 EURGold").
COUNT_FORMAT = "0_-"
RATIO_FORMAT = "0.0%_-"
POINTS_FORMAT = "0.00_-"  # a score program's gap, in points
DATE_FORMAT = "yyyy-mm-dd_-"
YEAR_FORMAT = "0"
RATE_FORMAT = "0.0000"
CHANGE_FORMAT = '"▲ "0_-;"▼ "0_-;"="_-'  # +1 up a level, -1 down, = unchanged


def progress_bar() -> Rule:
    """A data bar from 0 to 1 for progress to the next tier."""
    return DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1, color="5B9BD5")


def at_risk_formula(risk: str, language: str) -> str:
    """A flag for the cells ``risk`` that hold DEMOTION_RISK: the "at risk" text for TRUE,
    empty for FALSE.

    A message from the function (bad input) shows unchanged. A flag reads better than
    TRUE/FALSE (PRAWDA/FAŁSZ in Polish Excel). ``risk`` is named twice, so it is a reference
    to a helper, not the call itself: Excel would call the function twice.
    """
    if "(" in risk:
        raise ValueError(f"at_risk_formula takes the cells that hold the risk, not {risk!r}")
    flag = texts.label("at_risk", language)
    return f'=IFERROR(IF({risk},"{flag}",""),{risk})'


def risk_highlight(language: str) -> Rule:
    """Red for the "at risk" flag."""
    return CellIsRule(
        operator="equal",
        formula=[f'"{texts.label("at_risk", language)}"'],
        fill=PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD"),
        font=Font(bold=True, color="C00000"),
    )


def money_format(currency: str) -> str:
    """Thousands separated, two decimals, the currency code after the amount."""
    return f'#,##0.00 "{currency}"_-;-#,##0.00 "{currency}"_-'


AMOUNT_FORMAT = "#,##0.00_-"  # an amount beside a column that names its currency


def number_format(kind: str, currency: str) -> str | None:
    """The number format of a kind of column (layout.Column.kind); None leaves General."""
    return {
        "money": money_format(currency),
        "count": COUNT_FORMAT,
        "ratio": RATIO_FORMAT,
        "growth": RATIO_FORMAT,
        "points": POINTS_FORMAT,
        "change": CHANGE_FORMAT,
        "date": DATE_FORMAT,
        "year": YEAR_FORMAT,
        "quarter": COUNT_FORMAT,
        "rate": RATE_FORMAT,
    }.get(kind)


def put(cell: Cell | MergedCell, value: Any) -> Cell:
    """Write a value from data; text stays text even when it starts with = + - or @."""
    if not isinstance(cell, Cell):
        raise TypeError(f"{cell.coordinate} is inside a merged range and holds no value")
    if isinstance(value, ExcelError):  # an error value typed in a review, carried as one
        cell.value, cell.data_type = value.code, "e"
        return cell
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, str):  # what XML cannot hold would make the file damaged
        value = NOT_IN_XLSX.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise take "=..." for a formula
    return cell


INPUT = {"protection": UNLOCKED, "fill": INPUT_FILL, "border": BOX}  # unlocked, yellow, boxed


def as_input(cell: Cell, number_format: str | None = None) -> Cell:
    """Style a cell as an input: unlocked, yellow, boxed."""
    for name, value in INPUT.items():
        setattr(cell, name, value)
    if number_format:
        cell.number_format = number_format
    return cell


def style_column(ws: Worksheet, col: int, first_row: int, last_row: int, **style: Any) -> None:
    """Give cells ``first_row`` to ``last_row`` of a column the ``style`` attributes (font,
    fill, border, number_format...); a None attribute is left as it is.

    openpyxl looks each style object up in the workbook's style table on every assignment,
    which made styling 10,000 rows most of a review's time. The first cell is styled once and
    the others take a copy of its style ids, as openpyxl's own WorksheetCopy does.
    """
    top = ws.cell(first_row, col)
    for name, value in style.items():
        if value is not None:
            setattr(top, name, value)
    style_ids = top._style  # type: ignore[union-attr]  # openpyxl's own, as WorksheetCopy
    for row in range(first_row + 1, last_row + 1):
        ws.cell(row, col)._style = copy(style_ids)  # type: ignore[union-attr]


def header(ws: Worksheet, row: int, labels: Iterable[str], first_col: int = 1) -> None:
    for col, text in enumerate(labels, first_col):
        cell = put(ws.cell(row, col), text)
        cell.font, cell.fill, cell.alignment, cell.border = (
            HEADER_FONT,
            HEADER_FILL,
            HEADER_ALIGNMENT,
            BOX,
        )
    ws.row_dimensions[row].height = 45


def title(ws: Worksheet, text: str, intro: str | None = None) -> None:
    put(ws["A1"], text).font = TITLE_FONT
    ws.row_dimensions[1].height = 24
    if intro:
        put(ws["A2"], intro).font = NOTE_FONT


def fit_width(text: str, minimum: float) -> float:
    """A column width that shows a header's longest word and the column's content."""
    longest = max((len(word) for word in text.split()), default=0)
    return max(minimum, longest + 3)


def protect(ws: Worksheet) -> None:
    """Lock formulas against accidental change; no password, so anyone can lift it."""
    ws.protection.sheet = True
    # What stays allowed on a protected sheet (openpyxl's True means "forbidden").
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.sort = False
    ws.protection.autoFilter = False


def print_setup(
    ws: Worksheet, title_rows: str | None, one_page: bool = False, portrait: bool = False
) -> None:
    """Landscape A4 (``portrait`` for a page taller than wide, the scorecard), one page
    wide, repeated header rows, sheet name and page in the footer.

    ``one_page`` fits the sheet on one page in height too (dashboards, so no chart splits).
    """
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows
    footer = ws.oddFooter.center  # type: ignore[union-attr]  # openpyxl always makes one
    footer.text, footer.size = "&A · &P / &N", 9


def _validation(ws: Worksheet, message_key: str, language: str, **options: Any) -> DataValidation:
    validation = DataValidation(
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        error=texts.label(message_key, language),
        **options,
    )
    ws.add_data_validation(validation)
    return validation


_FIRST_DATE = (dt.date(2000, 1, 1) - dt.date(1899, 12, 30)).days  # as an Excel serial
# Each kind of input (layout.Column.kind): its error message, then DataValidation's options.
VALIDATIONS: dict[str, tuple[str, dict[str, str]]] = {
    "money": ("bad_number", {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"}),
    "count": ("bad_count", {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"}),
    # Growth against the window before: -100% at the least (revenue gone), as a fraction.
    "growth": (
        "bad_number",
        {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "-1"},
    ),
    "quarter": ("bad_quarter", {"type": "whole", "formula1": "1", "formula2": "4"}),
    "year": ("bad_year", {"type": "whole", "formula1": "2000", "formula2": "2100"}),
    "rate": ("bad_rate", {"type": "decimal", "operator": "greaterThan", "formula1": "0"}),
    "currency": ("bad_currency", {"type": "textLength", "operator": "equal", "formula1": "3"}),
    "date": (
        "bad_date",
        {"type": "date", "operator": "greaterThanOrEqual", "formula1": str(_FIRST_DATE)},
    ),
}
CHOICES = {
    "yesno": ("yes", "no"),
    "status": ("status_open", "status_progress", "status_done", "status_dropped"),
    "role": ("role_sales", "role_engineer"),
}


def validate(ws: Worksheet, kind: str, cells: str, language: str, **options: Any) -> None:
    """Add the data validation of a kind of input (see layout.Column.kind) to ``cells``.

    ``source`` names the cells of a "list", without a leading ``=``, as Excel writes a
    validation's ``<formula1>`` (ECMA-376 Part 1, ``dataValidation``). ``max_length`` limits
    "text" (255 by default).
    """
    if kind in CHOICES:
        choices = ",".join(texts.label(k, language) for k in CHOICES[kind])
        v = _validation(ws, "bad_choice", language, type="list", formula1=f'"{choices}"')
    elif kind == "choices":  # words given here, e.g. a program's roles
        words = ",".join(w.replace('"', "'").replace(",", " ") for w in options["choices"])
        v = _validation(ws, "bad_choice", language, type="list", formula1=f'"{words}"')
    elif kind == "list":
        source = options["source"]
        if source.startswith("="):
            raise ValueError(f"a list source is stored without its '=': {source!r}")
        v = _validation(ws, "bad_choice", language, type="list", formula1=source)
    elif kind == "text":
        limit = str(options.get("max_length", 255))
        v = _validation(
            ws, "too_long", language, type="textLength", operator="lessThanOrEqual", formula1=limit
        )
    elif kind in VALIDATIONS:
        message, settings = VALIDATIONS[kind]
        v = _validation(ws, message, language, **settings)
    else:
        raise ValueError(f"no validation for {kind!r}")
    v.add(cells)
