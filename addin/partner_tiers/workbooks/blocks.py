"""Formula blocks that both workbooks use: the list of programs and a program's tier table.

Each block is one array formula over a fixed range, so Excel calls the add-in function once
per block, not once per cell: every call crosses from Excel to Python (COM). The range is
as large as the longest answer can be; INDEX with arrays of row and column numbers picks
the answer's items, and IFERROR leaves a blank where a shorter answer runs out (an array
formula alone would show #N/A there).

>>> program_list_formula(3)
'=IFERROR(INDEX(TIER_PROGRAMS(),{1;2;3}),"")'
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from partner_tiers.rules import programs
from partner_tiers.workbooks import layout, styles


def tier_rows() -> int:
    """Rows a tier table needs: the most tiers of any available program."""
    return max(len(source.program.tiers) for source in programs.registry.sources())


def numbers(count: int, across: bool = False) -> str:
    """An array constant 1..count, down a column (``{1;2}``) or ``across`` a row (``{1,2}``)."""
    return "{" + (";,"[across]).join(str(n) for n in range(1, count + 1)) + "}"


def block(first_row: int, first_col: int, rows: int, cols: int) -> str:
    """The address of a block, e.g. ``K6:K25``."""
    last = f"{get_column_letter(first_col + cols - 1)}{first_row + rows - 1}"
    return f"{get_column_letter(first_col)}{first_row}:{last}"


def program_list_formula(rows: int) -> str:
    return f'=IFERROR(INDEX(TIER_PROGRAMS(),{numbers(rows)}),"")'


def program_list(ws: Worksheet, row: int, col: int) -> str:
    """Write the available program ids down from (row, col); return the range, e.g. for a list."""
    rows = layout.PROGRAM_LIST_ROWS
    ws.cell(row, col).value = ArrayFormula(block(row, col, rows, 1), program_list_formula(rows))
    letter = get_column_letter(col)
    return f"${letter}${row}:${letter}${row + rows - 1}"


def tier_table(
    ws: Worksheet,
    row: int,
    col: int,
    program: str,
    language: str,
    tier_rows: int,
) -> None:
    """The tier table of the program named by ``program`` (a cell or defined name), header first.

    Columns: tier, min revenue, currency, certified sales, certified engineers, discount (the
    amounts without a currency: the currency column names it).
    """
    cols = layout.PROGRAM_TABLE_COLUMNS
    picked = (
        f'INDEX(TIER_TABLE({program},"{language}"),{numbers(tier_rows + 1)},'
        f"{numbers(cols, across=True)})"
    )
    ws.cell(row, col).value = ArrayFormula(
        block(row, col, tier_rows + 1, cols), f'=IF({program}="","",IFERROR({picked},""))'
    )
    formats = {2: styles.AMOUNT_FORMAT, 6: styles.RATIO_FORMAT}
    for i in range(tier_rows + 1):
        for j in range(1, cols + 1):
            cell = ws.cell(row + i, col + j - 1)
            cell.border = styles.BOX
            if i == 0:
                cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
                cell.alignment = styles.HEADER_ALIGNMENT
            else:
                cell.number_format = formats.get(j, "General")
