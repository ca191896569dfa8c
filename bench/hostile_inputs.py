"""Hostile workbooks for the benchmark and the tests: files small packed that would make
hours of work or gigabytes of memory of a careless reader."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook


def whole_sheet_sum(path: Path) -> Path:
    """A tiny workbook whose one formula sums every cell a sheet can have."""
    wb = Workbook()
    wb.active["A1"] = "=SUM(B1:XFD1048576)"
    wb.save(path)
    return path


def cell_bomb(path: Path, sheets: int, cells_per_sheet: int) -> Path:
    """A workbook of ``sheets`` sheets full of numbers: small packed, large unpacked."""
    wb = Workbook()
    for i in range(sheets - 1):
        wb.create_sheet(f"S{i}")
    wb.save(path)
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in "ABCDEFGHIJ")
        + "</row>"
        for r in range(1, cells_per_sheet // 10 + 1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{rows}</sheetData></worksheet>"
    )
    bombed = path.with_name(path.stem + "_bomb.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(bombed, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = sheet.encode()
            zout.writestr(item, data, zipfile.ZIP_DEFLATED)
    bombed.replace(path)
    return path
