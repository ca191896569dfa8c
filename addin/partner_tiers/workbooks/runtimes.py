"""Where a workbook's add-in formulas will run: classic xlwings on Windows, or xlwings Lite.

Classic xlwings' functions are VBA functions that the add-in imports into the workbook, and
Excel saves their calls by name: ``PARTNER_TIER(B5)``. xlwings Lite's functions are Office.js
custom functions, which Excel saves as ``_xldudf_`` followed by the function's full name,
its namespace's dots made underscores, and turns back into the name once the add-in has
registered it (Microsoft in OfficeDev/Excel-Custom-Functions#108 and office-js#3558; the
prefix is also what workbooks damaged by other add-ins show, office-js#2568). Lite gives the
functions no namespace of their own (``=HELLO("World")`` in its docs), so Lite's
``PARTNER_TIER`` is saved ``_xldudf_PARTNER_TIER``. A plain name in a file is a function
Excel does not know, ``#NAME?``, and stays so after the add-in loads (office-js#6611).

>>> lite_formula('=IF(A1="","",PARTNER_TIER(A1,"PARTNER_TIER("))', {"PARTNER_TIER"})
'=IF(A1="","",_xldudf_PARTNER_TIER(A1,"PARTNER_TIER("))'
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is imported when used: the command line names RUNTIMES early
    from openpyxl import Workbook

WINDOWS, LITE = "windows", "lite"
RUNTIMES = (WINDOWS, LITE)
LITE_PREFIX = "_xldudf_"


def lite_formula(formula: str, names: Collection[str]) -> str:
    """``formula`` with each call of a function in ``names`` as Lite's are saved."""
    from openpyxl.formula.tokenizer import Token, Tokenizer

    tokens = Tokenizer(formula).items
    renamed = False
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value[:-1]
            if name.upper() in names:
                token.value = LITE_PREFIX + name.upper() + "("
                renamed = True
    return "=" + "".join(token.value for token in tokens) if renamed else formula


def for_runtime(wb: Workbook, runtime: str, names: Collection[str]) -> Workbook:
    """``wb`` with its calls of the add-in's functions (``names``) as ``runtime`` needs
    them; the Windows workbook is the one the builders make."""
    if runtime == WINDOWS:
        return wb
    if runtime != LITE:
        raise ValueError(f"unknown runtime {runtime!r}; known: {', '.join(RUNTIMES)}")
    from openpyxl.worksheet.formula import ArrayFormula

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula) and value.text:
                    value.text = lite_formula(value.text, names)
                elif cell.data_type == "f" and isinstance(value, str):
                    cell.value = lite_formula(value, names)
    return wb
