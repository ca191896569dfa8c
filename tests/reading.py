"""Reading review workbooks back in the tests: rows of an input table by column key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.formulas.workbook import Evaluator
from partner_tiers.texts import LANGUAGES, label
from partner_tiers.workbooks.layout import REVIEW, Table


def table_rows(path: Path, sheet_key: str, table: Table) -> list[dict]:
    """The non-empty rows of ``table`` on the sheet ``sheet_key`` (either language)."""
    wb = load_workbook(path)
    language = next(lang for lang in LANGUAGES if label(sheet_key, lang) in wb.sheetnames)
    ws = wb[label(sheet_key, language)]
    rows = []
    for cells in ws.iter_rows(min_row=table.first_row, values_only=True):
        record = {c.key: v for c, v in zip(table.columns, cells, strict=False) if v is not None}
        if record:
            rows.append(record)
    return rows


def evaluated_review(
    wb: Workbook, language: str = "en", table: Table = REVIEW
) -> dict[str, dict[str, Any]]:
    """Each partner's row of the Review sheet of ``wb``, evaluated with the add-in's own
    functions, by partner name and column key (``table``: the Review's columns)."""
    evaluator = Evaluator(wb, FUNCTIONS)
    sheet = label("review", language)
    last = wb[label("partners", language)].max_row
    found = {}
    for row in range(table.first_row, last + 1):
        name = evaluator.cell_value(sheet, row, 1)
        if name:
            found[name] = {
                c.key: evaluator.cell_value(sheet, row, i) for i, c in enumerate(table.columns, 1)
            }
    return found
