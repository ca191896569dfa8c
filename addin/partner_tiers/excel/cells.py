"""Excel cell values in, Python values out, and ranges answered a column at a time.

Excel hands a function single values or ranges (lists of rows). The functions in
:mod:`partner_tiers.excel.udfs` answer a range by :func:`columnwise` (a column of amounts
at once, read by :func:`amounts`) or :func:`each_cell` (cell by cell). Both broadcast like
Excel: a single cell (or a single row or column) stretches to fit, and a cell outside a
smaller range gets ``#N/A``.

Coercers turn a raw value into what the rules need, or raise :class:`CellError` whose
text is what the cell shows:

>>> money("12500.5", "revenue")
Decimal('12500.5')
>>> money(None, "revenue") is None      # a blank stays blank
True
>>> money("12,500", "revenue")
Traceback (most recent call last):
...
partner_tiers.excel.cells.CellError: #VALUE! revenue '12,500' is ambiguous text; type the number ...
>>> each_cell(lambda x: x * 2, [[1], [2], [None]], blank_if_first_blank=True)
[[2], [4], [None]]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from partner_tiers import grids
from partner_tiers.error_values import EXCEL_ERRORS
from partner_tiers.errors import BadValue, PartnerTiersError
from partner_tiers.grids import Grid
from partner_tiers.rules.identity import normalise_header
from partner_tiers.rules.metrics import Exact, Metric
from partner_tiers.rules.money import EXCEL_MAX_EXPONENT, Cents, to_cents

# Excel's error values by COM code (xlErr...), in the order of EXCEL_ERRORS. COM hands an
# error cell over as 0x800A0000 + code; xlwings turns the seven classic ones into text
# (err_to_str) but passes newer ones on as integers. #BUSY! has no COM code.
ERROR_CODES = dict(
    zip(
        (2000, 2007, 2015, 2023, 2029, 2036, 2042, 2043, 2045, 2046, 2047, 2048, 2049, 2050),
        EXCEL_ERRORS,
        strict=False,
    )
)
ERROR_VALUES = EXCEL_ERRORS
COM_ERROR_BASE = -0x7FF60000  # 0x800A0000 as a signed 32-bit integer
MAX_MESSAGE = 255  # a cell's message, as short as Excel's own limits for a text of a function
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")


class CellError(BadValue):
    """A value a function cannot use; its text, the Excel error code and the problem, is
    shown in the cell."""

    def __init__(self, problem: str, code: str = "#VALUE!") -> None:
        super().__init__(problem)
        self.code = code

    def __str__(self) -> str:
        return f"{self.code} {self.problem}"


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _upstream_error(value: str, name: str) -> CellError | None:
    """An Excel error value, or another function's message, arriving as text."""
    code = next((c for c in ERROR_VALUES if value.startswith(c)), None)
    if code is None:
        return None
    if value == code:
        return CellError(f"{name} holds the error {code}")
    # Pass the earlier message on, as short as every message (a text that only begins like
    # an error value may be 20,000 characters long).
    return CellError(value[len(code) : len(code) + MAX_MESSAGE].lstrip(), code)


def describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def number(value: object, name: str) -> Decimal | None:
    """A finite number (or a number stored as plain text); None for a blank."""
    if is_blank(value):
        return None
    result = _decimal(value, name)
    if result and result.adjusted() > EXCEL_MAX_EXPONENT:
        raise CellError(f"{name} is larger than Excel can hold", "#NUM!")
    return result


def _decimal(value: object, name: str) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"{name} is {str(value).upper()}, not a number")
    if isinstance(value, int):
        code = ERROR_CODES.get(value - COM_ERROR_BASE)
        if code:
            raise CellError(f"{name} holds the error {code}")
        return Decimal(value)
    if isinstance(value, float | Decimal):
        # Excel keeps 15 significant digits, so a sum that Excel shows as 1627.38 arrives as
        # 1627.3799999999999 and must count as 1627.38: a gap is never a cent off.
        result = Decimal(format(value, ".15g")) if isinstance(value, float) else value
        if result.is_nan():
            raise CellError(f"{name} is not a number (NaN)")
        if result.is_infinite():
            raise CellError(f"{name} is infinite", "#NUM!")
        return result
    if isinstance(value, str):
        upstream = _upstream_error(value, name)
        if upstream:
            raise upstream
        text = value.strip()
        if _PLAIN_NUMBER.match(text):
            return Decimal(text)
        if re.fullmatch(r"[+-]?[\d\s.,\u00a0']+", text) and re.search(r"\d", text):
            raise CellError(
                f"{name} {describe(value)} is ambiguous text; type the number without "
                "separators, e.g. 12500.5"
            )
        raise CellError(f"{name} {describe(value)} is not a number")
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(f"{name} is a date or time, not a number")
    if isinstance(value, list | tuple):
        raise CellError(f"{name} must be one cell here, not a nested range")
    raise CellError(f"{name} {describe(value)} is not a number")


def money(value: object, name: str) -> Decimal | None:
    """A non-negative amount; None for a blank."""
    amount = number(value, name)
    if amount is not None and amount < 0:
        raise CellError(f"{name} is negative ({amount}); amounts must be 0 or more")
    return amount


EXACT_WHOLE_LIMIT = 10**15  # whole numbers below it have at most Excel's 15 digits
CENTS_LIMIT = 10**13  # below it, whole cents have at most 15 digits: Excel holds them exactly
_CENT_TOLERANCE = 3e-16  # relative; float error of x * 100 is below it, Excel's 15 digits above


def amounts(values: Sequence[object], name: str) -> tuple[list[Cents | None], dict[int, str]]:
    """A column of amounts as the rules read them: exact cents (see :mod:`.rules.money`),
    None for a blank, and the message of each cell that is not an amount, by position.

    Each amount is read as :func:`money` reads it, Excel's float at 15 significant digits;
    the usual cell, a float of whole cents, takes a quick road without Decimal.

    >>> amounts([12500.5, 0.125, None, "12500", -1.0], "revenue")
    ([1250050, Fraction(25, 2), None, 1250000, None], {4: '#VALUE! revenue is negative (-1); \
amounts must be 0 or more'})
    """
    cents: list[Cents | None] = []
    add = cents.append
    problems: dict[int, str] = {}
    for value in values:  # one loop, no call per usual cell: a recalculation's inner loop
        if type(value) is float and 0 <= value < CENTS_LIMIT:
            scaled = value * 100
            whole = round(scaled)
            # Within the tolerance the float is Excel's whole-cent amount: read at 15
            # significant digits (see number) it is exactly whole / 100.
            if abs(scaled - whole) <= scaled * _CENT_TOLERANCE:
                add(whole)
                continue
        elif type(value) is int and 0 <= value < CENTS_LIMIT:
            add(value * 100)
            continue
        elif value is None:
            add(None)
            continue
        try:
            amount = money(value, name)
        except CellError as exc:
            problems[len(cents)] = message(exc)  # at most a cell's message, however long
            amount = None
        add(None if amount is None else to_cents(amount))
    return cents, problems


def whole(value: object, name: str, low: int = 0, high: int | None = None) -> int | None:
    """A whole number from ``low`` to ``high``; None for a blank."""
    if value is None:
        return None
    # The common cell first, without the round trip through Decimal: below 10**15 a float
    # that is a whole number is one at Excel's 15 digits too.
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and low <= value < EXACT_WHOLE_LIMIT
        and (high is None or value <= high)
        and value == int(value)
    ):
        return int(value)
    amount = number(value, name)
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise CellError(f"{name} must be a whole number, not {amount}")
    if amount < low or (high is not None and amount > high):
        allowed = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise CellError(f"{name} must be {allowed}, not {amount}")
    return int(amount)


def count(value: object, name: str) -> int | None:
    """A count of people: a whole number, 0 or more; None for a blank (treated as none)."""
    return whole(value, name)


# The words of a yes/no value, after normalise_header (case, accents, punctuation ignored).
YES = frozenset({"yes", "y", "tak", "t", "true", "prawda", "1", "x"})
NO = frozenset({"no", "n", "nie", "false", "falsz", "0"})


def yes_no(value: object, name: str) -> bool | None:
    """The one reader of a yes/no value: TRUE/FALSE, 1/0, or a word of :data:`YES` or
    :data:`NO` (Yes/No, Tak/Nie; case and accents ignored); None for a blank.

    >>> yes_no(True, "plan"), yes_no(" Tak ", "plan"), yes_no(0.0, "plan"), yes_no(None, "plan")
    (True, True, False, None)
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        upstream = _upstream_error(value, name)
        if upstream:
            raise upstream
        word = normalise_header(value)
        if word in YES or word in NO:
            return word in YES
    raise CellError(f"{name} {describe(value)} is not yes or no (Yes/No, Tak/Nie)")


def metric_value(metric: Metric, value: object) -> Exact | None:
    """A cell's value of ``metric`` in the unit the rules compare (see
    :meth:`~partner_tiers.rules.metrics.Metric.exact`); None for a blank.

    >>> from partner_tiers.rules.metrics import GROWTH, REVENUE
    >>> metric_value(REVENUE, 12500.5), metric_value(GROWTH, -0.05), metric_value(GROWTH, None)
    (1250050, Fraction(-1, 20), None)
    """
    name = metric.name
    read: Decimal | int | bool | None
    if metric.kind == "yes_no":
        read = yes_no(value, name)
    elif metric.kind in ("certified", "count"):
        read = count(value, name)
    elif metric.kind == "growth":
        read = number(value, name)
    else:
        read = money(value, name)
    return None if read is None else metric.exact(read)


def text(value: object, name: str) -> str | None:
    """Text, stripped; None for a blank. Numbers and other values are refused."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        upstream = _upstream_error(value, name)
        if upstream:
            raise upstream
        return value.strip()
    raise CellError(f"{name} must be text, not {describe(value)}")


def identity(value: object) -> str | None:
    """A partner's name or tax id as its cell holds it, as text (a number as Excel shows it,
    ``2000`` for 2000.0); None for a blank. Partners are told apart by this text
    (:mod:`partner_tiers.rules.identity`), never matched as a pattern.

    >>> identity(" Acme "), identity(2000.0), identity(5260001246), identity(None)
    ('Acme', '2000', '5260001246', None)
    """
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_WHOLE_LIMIT:
        return str(int(value))
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value)


EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system, after March 1900)
MAX_SERIAL = 2_958_465  # 31 December 9999
_DATE_TEXT = (
    (re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ T].*)?"), "ymd"),
    (re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ T].*)?"), "dmy"),
)


def day(value: object, name: str) -> dt.date | None:
    """The day a cell holds: a date (a time of day ignored), Excel's serial number of one (as
    xlwings Lite and a values-only reading hand it over), or text written 2027-03-31 or
    31.03.2027; None for a blank.

    >>> day(dt.datetime(2027, 6, 30, 12), "d"), day(46477.5, "d"), day("31.03.2027", "d")
    (datetime.date(2027, 6, 30), datetime.date(2027, 3, 31), datetime.date(2027, 3, 31))
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= MAX_SERIAL or value != value:
            raise CellError(f"{name} {describe(value)} is not a date")
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        upstream = _upstream_error(value, name)
        if upstream:
            raise upstream
        found = date_in_text(value)
        if found is not None:
            return found
    raise CellError(f"{name} {describe(value)} is not a date (write it as 2027-03-31)")


def date_in_text(text: str) -> dt.date | None:
    """The day a text writes, year first (2027-03-31) or day first (31.03.2027, 31/03/2027),
    a time after it ignored; None for a text that is no such day.

    >>> date_in_text(" 31.03.2027 "), date_in_text("2027-06-30 12:00"), date_in_text("31.02.2027")
    (datetime.date(2027, 3, 31), datetime.date(2027, 6, 30), None)
    """
    for pattern, order in _DATE_TEXT:
        match = pattern.fullmatch(text.strip())
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


# --- ranges -----------------------------------------------------------------------------


def as_grid(value: object) -> tuple[Grid, int]:
    """A value as rows of cells, with its nesting depth (0 scalar, 1 row, 2 rows)."""
    if isinstance(value, list | tuple):
        if value and all(isinstance(row, list | tuple) for row in value):
            return [row if isinstance(row, list) else list(row) for row in value], 2
        return [list(value)], 1
    return [[value]], 0


class _OutOfRange:
    """Marks a cell that a smaller range does not cover."""


_OUT_OF_RANGE = _OutOfRange()
MISMATCHED_RANGES = "#N/A the ranges differ in size; this cell has no partner in a smaller range"


def _stretched(grid: Grid, rows: int, cols: int) -> tuple[Grid, bool]:
    """``grid`` as ``rows`` x ``cols`` cells, as Excel broadcasts (:mod:`partner_tiers.grids`);
    cells it does not cover are marked, and the flag says whether there are any."""
    uncovered = any(len(row) not in (1, cols) for row in grid) or len(grid) not in (1, rows)
    return grids.stretched(grid, rows, cols, _OUT_OF_RANGE), uncovered


def each_cell(
    function: Callable[..., Any], *args: object, blank_if_first_blank: bool = False
) -> Any:
    """Apply a one-cell ``function`` over ranges, returning the shape of the largest argument.

    Every call is guarded: a :class:`CellError` becomes its message, and any other
    exception a short ``#VALUE!`` message, so no traceback ever reaches a cell. With
    ``blank_if_first_blank``, a blank first argument gives a blank result.
    """
    grids = [as_grid(arg) for arg in args]
    depth = max((d for _, d in grids), default=0)

    def answer(*values: Any) -> Any:
        if blank_if_first_blank and is_blank(values[0]):
            return None
        return guarded(function, *values)

    if len(grids) == 1:  # one range: nothing to stretch
        return map_cells(answer, args[0])
    stretched, uncovered = _broadcast([grid for grid, _ in grids])

    def one(*values: Any) -> Any:
        if any(v is _OUT_OF_RANGE for v in values):
            return MISMATCHED_RANGES
        return answer(*values)

    each = one if uncovered else answer
    result = [
        [each(*values) for values in zip(*row_group, strict=True)]
        for row_group in zip(*stretched, strict=True)
    ]
    return _shaped(result, depth)


def columnwise(
    column: Callable[..., Callable[[list[Any]], list[Any]]], first: object, *others: object
) -> Any:
    """An answer for each cell of ``first``, a column at a time.

    Cells whose other arguments hold the same values (one program, one quarter: the common
    call) form one column, and ``column(*those values)`` gives the function that answers
    such a column: a list of first values in, a list of answers out, None for a blank. One
    cell is a column of one. When ``column`` cannot read the other values, its
    :class:`CellError` is the answer of every cell but a blank. Shapes broadcast as in
    :func:`each_cell`.

    >>> def column(factor):
    ...     return lambda values: [None if v is None else v * factor for v in values]
    >>> columnwise(column, [[1], [2], [None]], [[10], [20], [30]])
    [[10], [40], [None]]
    """
    grids = [as_grid(arg) for arg in (first, *others)]
    depth = max(d for _, d in grids)
    if all(d == 0 for _, d in grids[1:]):  # one column: nothing to group or stretch
        grid = grids[0][0]
        answers = _answer_column(column, others, [v for row in grid for v in row])
        return _shaped(_rows_like(grid, answers), depth)
    stretched, _ = _broadcast([grid for grid, _ in grids])
    result: Grid = [[None] * len(row) for row in stretched[0]]
    # Cells group by the type and value of their other arguments: TRUE equals 1 in Python,
    # but is no number in Excel, and 1.0 is no text.
    groups: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[tuple[int, int]], list[Any]]] = {}
    for r, row_group in enumerate(zip(*stretched, strict=True)):
        for c, (value, *rest) in enumerate(zip(*row_group, strict=True)):
            key = tuple(rest)
            if value is _OUT_OF_RANGE or any(v is _OUT_OF_RANGE for v in key):
                result[r][c] = MISMATCHED_RANGES
            elif is_blank(value):
                continue
            else:
                try:
                    _, where, values = groups.setdefault(
                        tuple((type(v), v) for v in key), (key, [], [])
                    )
                except TypeError:  # a nested range in one cell: a column of one says so
                    [result[r][c]] = _answer_column(column, key, [value])
                    continue
                where.append((r, c))
                values.append(value)
    for key, where, values in groups.values():
        for (r, c), answer in zip(where, _answer_column(column, key, values), strict=True):
            result[r][c] = answer
    return _shaped(result, depth)


def _rows_like(grid: Grid, values: list[Any]) -> Grid:
    """``values`` in rows of the lengths of ``grid``'s rows."""
    widths = {len(row) for row in grid}
    width = widths.pop() if len(widths) == 1 else 0
    if width == 1:  # a column
        return [[value] for value in values]
    if width:  # rectangular, as Excel's ranges are: slices, not a call per cell
        return [values[i : i + width] for i in range(0, len(values), width)]
    answers = iter(values)
    return [[next(answers) for _ in row] for row in grid]


def _answer_column(
    column: Callable[..., Callable[[list[Any]], list[Any]]],
    others: tuple[Any, ...],
    values: list[Any],
) -> list[Any]:
    try:
        return column(*others)(values)
    except Exception as exc:  # other values it cannot read: every cell but a blank says so
        problem = message(exc)
        return [None if is_blank(v) else problem for v in values]


def map_cells(function: Callable[[Any], Any], value: object) -> Any:
    """``function`` of each cell of one cell or a range, in its shape; ``function`` must not
    raise (see :func:`each_cell`, which guards each call).

    >>> map_cells(str, [[1], [2]]), map_cells(str, [1, 2]), map_cells(str, 1)
    ([['1'], ['2']], ['1', '2'], '1')
    """
    grid, depth = as_grid(value)
    return _shaped([[function(cell) for cell in row] for row in grid], depth)


def _shaped(result: Grid, depth: int) -> Any:
    return result[0][0] if depth == 0 else result[0] if depth == 1 else result


def _broadcast(grids: list[Grid]) -> tuple[list[Grid], bool]:
    """The grids stretched to the largest one's size, and whether any leaves cells uncovered."""
    rows = max(len(grid) for grid in grids)
    cols = max((len(row) for grid in grids for row in grid), default=0)
    stretched = [_stretched(grid, rows, cols) for grid in grids]
    return [grid for grid, _ in stretched], any(short for _, short in stretched)


def guarded(function: Callable[..., Any], *values: Any) -> Any:
    """Call ``function``; turn any exception into the text a cell can show."""
    try:
        return function(*values)
    except Exception as exc:  # a traceback must never reach a cell
        return message(exc)


def message(exc: Exception) -> str:
    """What a cell shows for ``exc``, the one place where errors become cell text: a
    :class:`CellError` as it is, any other error the user can cause (a
    :class:`~partner_tiers.errors.PartnerTiersError`) after ``#VALUE!``, and anything else as
    a short unexpected problem, never a traceback."""
    if isinstance(exc, CellError):
        text = str(exc)
    elif isinstance(exc, PartnerTiersError):
        text = f"#VALUE! {exc}"
    else:
        text = f"#VALUE! unexpected problem ({type(exc).__name__}: {exc})"
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def column(values: Sequence[Any]) -> Grid:
    """A list as one Excel column (a list of one-cell rows)."""
    return [[v] for v in values]
