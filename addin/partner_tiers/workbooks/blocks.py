"""Formula blocks that both workbooks use: the list of programs and a program's tier table.

Each cell asks with INDEX for one item, so a shorter list or a program with fewer tiers
leaves blank cells; an array formula over a fixed range would show #N/A instead.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import programs
from . import layout, styles


def tier_rows() -> int:
    """Rows a tier table needs: the most tiers of any available program."""
    return max(len(source.program.tiers) for source in programs.registry.sources())


def program_list(ws: Worksheet, row: int, col: int) -> str:
    """Write the available program ids down from (row, col); return the range, e.g. for a list."""
    for k in range(layout.PROGRAM_LIST_ROWS):
        ws.cell(row + k, col).value = f'=IFERROR(INDEX(TIER_PROGRAMS(),{k + 1}),"")'
    letter = get_column_letter(col)
    return f"${letter}${row}:${letter}${row + layout.PROGRAM_LIST_ROWS - 1}"


def tier_table(
    ws: Worksheet, row: int, col: int, program: str, language: str, tier_rows: int,
    money_format: str,
) -> None:  # fmt: skip
    """The tier table of the program named by ``program`` (a cell or defined name), header first.

    Columns: tier, min revenue, currency, certified sales, certified engineers, discount.
    """
    formats = {2: money_format, 6: styles.RATIO_FORMAT}
    table = f'TIER_TABLE({program},"{language}")'
    for i in range(tier_rows + 1):
        for j in range(1, layout.PROGRAM_TABLE_COLUMNS + 1):
            cell = ws.cell(row + i, col + j - 1)
            cell.value = f'=IF({program}="","",IFERROR(INDEX({table},{i + 1},{j}),""))'
            cell.border = styles.BOX
            if i == 0:
                cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
                cell.alignment = styles.HEADER_ALIGNMENT
            else:
                cell.number_format = formats.get(j, "General")
