"""Reading review workbooks back in the tests: rows of an input table by column key."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from partner_tiers.texts import LANGUAGES, label
from partner_tiers.workbooks.layout import Table


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
