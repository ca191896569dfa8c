"""Excel's error values, the one table of them: what a cell shows when a formula fails.

It stands apart from every reader and writer so that the Excel functions can know the
errors without importing a file format's libraries.

>>> EXCEL_ERRORS[:3]
('#NULL!', '#DIV/0!', '#VALUE!')
"""

from __future__ import annotations

from dataclasses import dataclass

# Every error value Excel writes, the one table of them (ECMA-376 lists the classic seven;
# newer Excel adds the rest; #BUSY! is only ever shown, never handed over by COM).
EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CONNECT!",
    "#BLOCKED!",
    "#UNKNOWN!",
    "#FIELD!",
    "#CALC!",
    "#BUSY!",
)


@dataclass(frozen=True)
class ExcelError:
    """An Excel error value such as #N/A, as a cell holds it (one of :data:`EXCEL_ERRORS`,
    or one a newer Excel writes)."""

    code: str

    def __str__(self) -> str:
        return self.code
