"""Excel's values in the formula engine: errors, references, coercions, operators.

Values follow Excel: a blank cell is 0 in arithmetic and "" in text, text compares greater
than any number, and an error travels on through every operation; an operator over ranges
works cell by cell (:func:`elementwise`).

>>> BINARY["+"](1, "2"), BINARY["&"](1.0, None), BINARY["/"](1, 0)
(3.0, '1', ExcelError(code='#DIV/0!'))
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.cell import range_boundaries

from partner_tiers import grids
from partner_tiers.error_values import EXCEL_ERRORS, ExcelError
from partner_tiers.errors import PartnerTiersError
from partner_tiers.grids import Grid

ERRORS = {code: ExcelError(code) for code in EXCEL_ERRORS}  # by the text Excel shows
NA, VALUE, REF, DIV0, NUM, NAME = (
    ERRORS[code] for code in ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?")
)


class Unsupported(PartnerTiersError, ValueError):
    """A formula uses Excel beyond the subset this evaluator knows."""


class UnsupportedCell(Unsupported):
    """A formula outside the subset, in the cell the message names, with no value to use."""


class CircularReference(PartnerTiersError, ValueError):
    """A formula depends on its own cell."""


@dataclass(frozen=True)
class Reference:
    """A rectangle of cells on one sheet, 1-based and inclusive."""

    sheet: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def is_cell(self) -> bool:
        return self.min_row == self.max_row and self.min_col == self.max_col

    def cells(self) -> Iterator[tuple[int, int]]:
        for row in range(self.min_row, self.max_row + 1):
            for col in range(self.min_col, self.max_col + 1):
                yield row, col


SHEET_PREFIX = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!")
WHOLE_LINES = re.compile(r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+")


def parse_reference(text: str, default_sheet: str) -> Reference | None:
    """``Sheet!$A$1:$B$2``, ``'My sheet'!A1`` or ``A1`` as a Reference; None if not one."""
    sheet = default_sheet
    match = SHEET_PREFIX.match(text)
    if match:
        sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
        text = text[match.end() :]
    if not re.fullmatch(r"\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?", text):
        return None
    min_col, min_row, max_col, max_row = range_boundaries(text.replace("$", ""))
    assert min_col and min_row and max_col and max_row  # the pattern above has all four
    return Reference(sheet, min_row, min_col, max_row, max_col)


def in_another_workbook(target: str) -> bool:
    """Whether a reference or a name's target lies in an external workbook: ``[1]Inputs!$E$13``,
    ``'[1]My sheet'!A1``, ``[1]!Rate`` or a path to the book (not ``Table1[Amount]``).

    >>> [in_another_workbook(t) for t in ("[1]Inputs!$E$13", "'/x/[B.xlsx]S'!A1")]
    [True, True]
    >>> [in_another_workbook(t) for t in ("Inputs!$E$13", "Table1[Amount]")]
    [False, False]
    """
    return _EXTERNAL_BOOK.match(target) is not None


_EXTERNAL_BOOK = re.compile(r"'?(?:[^'\[\]!]*[\\/])?\[[^\]]+\]")


def cell_range(text: str, default_sheet: str) -> Reference:
    """:func:`parse_reference` of text that must be a reference (an array formula's range,
    a coordinate); anything else is :class:`Unsupported`."""
    ref = parse_reference(text, default_sheet)
    if ref is None:
        raise Unsupported(f"{text!r} is not a cell or range reference")
    return ref


# --- values -------------------------------------------------------------------------------


def is_grid(value: Any) -> bool:
    return isinstance(value, list)


def to_number(value: Any) -> float | ExcelError:
    """A value as Excel's arithmetic sees it."""
    if isinstance(value, ExcelError):
        return value
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        number = _NUMBER_TEXT.fullmatch(value.strip())
        if number:  # as Excel reads a number typed as text: "3", "-1.5e3", "50%"
            read = float(number[1])
            return read / 100 if number[2] else read
        if _DATE_TEXT.fullmatch(value.strip()):  # Excel reads it as a date, by its locale
            raise Unsupported(f"a date or time typed as text ({value.strip()!r})")
        return VALUE  # "inf", "1_000": Python's float would read them, Excel does not
    return VALUE


# Text that Excel's arithmetic reads as a number: digits, a point, an exponent, a percent.
_NUMBER_TEXT = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(%?)")
# Text that it reads as a date or a time, as the locale writes them: 2026-03-31, 31.03.2026,
# 3/31/2026, 12:30.
_DATE_TEXT = re.compile(
    r"\d{1,4}[-./]\d{1,2}[-./]\d{1,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?"
)


def _to_text(value: Any) -> str | ExcelError:
    if isinstance(value, ExcelError):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def truth_value(value: Any) -> bool | ExcelError:
    if isinstance(value, ExcelError | bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        upper = value.upper()
        if upper in ("TRUE", "FALSE"):
            return upper == "TRUE"
    return VALUE


def value_kind(value: Any) -> int:
    """Excel's order of types in a comparison: numbers < text < logical values."""
    if isinstance(value, bool):
        return 2
    return 1 if isinstance(value, str) else 0


def fifteen_digits(number: float) -> float:
    """A number as Excel shows and compares it: to 15 significant digits.

    >>> fifteen_digits(0.1 + 0.2), fifteen_digits(59999.99999999999)
    (0.3, 60000.0)
    """
    return float(format(number, ".15g"))


def compare_values(a: Any, b: Any) -> int | ExcelError:
    """-1, 0 or 1 as Excel compares two values: text case-insensitively, numbers to the 15
    significant digits Excel keeps (``0.1+0.2=0.3`` is TRUE in Excel)."""
    for v in (a, b):
        if isinstance(v, ExcelError):
            return v
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0
    ka, kb = value_kind(a), value_kind(b)
    if ka != kb:
        return -1 if ka < kb else 1
    if ka == 1:
        a, b = a.lower(), b.lower()
    elif ka == 0 and a != b:
        a, b = fifteen_digits(a), fifteen_digits(b)
    return (a > b) - (a < b)


def _number_result(value: float) -> float | ExcelError:
    return value if math.isfinite(value) else NUM


def two_numbers(a: Any, b: Any) -> tuple[float, float] | ExcelError:
    """Both values as numbers, or the first error among them."""
    x, y = to_number(a), to_number(b)
    if isinstance(x, ExcelError):
        return x
    return y if isinstance(y, ExcelError) else (x, y)


def _arithmetic(op: str) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        numbers = two_numbers(a, b)
        if isinstance(numbers, ExcelError):
            return numbers
        x, y = numbers
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            return DIV0 if y == 0 else _number_result(x / y)
        try:
            return _number_result(float(x) ** y)
        except (OverflowError, ZeroDivisionError, TypeError):
            return NUM

    return apply


def near_zero_as_excel(apply: Callable[[Any, Any], Any], op: str) -> Callable[[Any, Any], Any]:
    """``apply`` (+ or -) as the last operation of a formula: Excel gives 0 where the two
    numbers agree to the 15 significant digits it keeps, taking the difference for binary
    noise (Microsoft, "Floating-point arithmetic may give inaccurate results in Excel":
    ``=0.5-0.4-0.1`` is 0, ``=(0.5-0.4-0.1)`` and ``=1*(0.5-0.4-0.1)`` -2.78E-17). A tiny
    difference of operands that do not agree to 15 digits, smaller than one unit of the
    larger one's 15th digit (where rounding to 15 digits could fall either way), is outside
    the subset.

    >>> near_zero_as_excel(BINARY["-"], "-")(0.5 - 0.4, 0.1), BINARY["-"](0.5 - 0.4, 0.1)
    (0, -2.7755575615628914e-17)
    """

    def apply_near_zero(a: Any, b: Any) -> Any:
        result = apply(a, b)
        numbers = two_numbers(a, b)
        if isinstance(result, ExcelError) or isinstance(numbers, ExcelError) or result == 0:
            return result
        x, y = numbers[0], numbers[1] if op == "-" else -numbers[1]
        if compare_values(x, y) == 0:  # equal as Excel compares them: to 15 digits
            return 0
        fifteenth = 10.0 ** (math.floor(math.log10(max(abs(x), abs(y)))) - 14)
        if abs(result) < fifteenth:
            raise Unsupported(
                f"{x!r} {op} {numbers[1]!r}: a difference near 0 that Excel may round to 0"
            )
        return result

    return apply_near_zero


def comparison_operator(op: str) -> Callable[[Any, Any], Any]:
    test = {
        "=": lambda c: c == 0,
        "<>": lambda c: c != 0,
        "<": lambda c: c < 0,
        ">": lambda c: c > 0,
        "<=": lambda c: c <= 0,
        ">=": lambda c: c >= 0,
    }[op]

    def apply(a: Any, b: Any) -> Any:
        c = compare_values(a, b)
        return c if isinstance(c, ExcelError) else test(c)

    return apply


def _concatenate(a: Any, b: Any) -> Any:
    x, y = _to_text(a), _to_text(b)
    if isinstance(x, ExcelError):
        return x
    return y if isinstance(y, ExcelError) else x + y


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    **{op: _arithmetic(op) for op in "+-*/^"},
    **{op: comparison_operator(op) for op in ("=", "<>", "<", ">", "<=", ">=")},
    "&": _concatenate,
}
PRECEDENCE = {
    "=": 1,
    "<>": 1,
    "<": 1,
    ">": 1,
    "<=": 1,
    ">=": 1,
    "&": 2,
    "+": 3,
    "-": 3,
    "*": 4,
    "/": 4,
    "^": 5,
}


def shape_of(value: Any) -> tuple[int, int]:
    return (len(value), len(value[0])) if is_grid(value) else (1, 1)


def elementwise(function: Callable[..., Any], *args: Any) -> Any:
    """Apply a one-value function over arrays, as Excel does inside an array formula."""
    if not any(is_grid(a) for a in args):
        return function(*args)
    shapes = [shape_of(a) for a in args]
    rows, cols = max(s[0] for s in shapes), max(s[1] for s in shapes)
    fitted = [fit(a, rows, cols) for a in args]
    return [
        [function(*values) for values in zip(*row, strict=True)]
        for row in zip(*fitted, strict=True)
    ]


def flat_values(value: Any) -> Iterator[Any]:
    if is_grid(value):
        for row in value:
            yield from row
    else:
        yield value


def fit(value: Any, rows: int, cols: int) -> Grid:
    """A value laid over ``rows`` x ``cols`` cells as Excel broadcasts it
    (:mod:`partner_tiers.grids`): stretched, or #N/A where it runs out; an answer larger
    than the cells is cut to them, never written over its neighbours.

    >>> fit([[1, 2, 3]], 1, 1), fit([[1], [2]], 3, 1)
    ([[1]], [[1], [2], [ExcelError(code='#N/A')]])
    """
    grid = grids.stretched(value if is_grid(value) else [[value]], rows, cols, NA)
    return [row[:cols] for row in grid[:rows]]
