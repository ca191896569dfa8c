"""The native Excel functions the engine computes: IF, IFERROR, COUNTIFS, INDEX, MATCH, ...

Each is a :class:`Native` with its argument counts; :data:`NATIVE_FUNCTIONS` lists them by
name. Anything else is :class:`~partner_tiers.formulas.values.Unsupported`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from partner_tiers.error_values import ExcelError
from partner_tiers.formulas.values import (
    ERRORS,
    NA,
    NUM,
    REF,
    VALUE,
    Unsupported,
    compare_values,
    comparison_operator,
    elementwise,
    fifteen_digits,
    flat_values,
    is_grid,
    to_number,
    truth_value,
    two_numbers,
    value_kind,
)

# --- native functions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Native:
    """A native Excel function: its implementation and how many arguments it takes."""

    function: Callable[..., Any]
    min_args: int
    max_args: int
    takes_references: bool = False  # ROW and ROWS look at the reference, not the values
    # SUM, MIN, MAX, AND, OR: a reference, even to one cell, is read as a range (its text,
    # logical values and blanks ignored), while a value typed as an argument counts.
    ranges_in_references: bool = False


def _is_number(value: Any) -> bool:
    """A number as Excel's ranges hold one: TRUE and FALSE are not."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numbers(args: Sequence[Any]) -> Iterator[float | ExcelError]:
    """Numbers of aggregate arguments: text, blanks and logical values in ranges are skipped."""
    for arg in args:
        if is_grid(arg):
            for v in flat_values(arg):
                if isinstance(v, ExcelError) or _is_number(v):
                    yield v
        elif arg is not None:
            yield to_number(arg)


def _aggregate(reduce: Callable[[list[float]], float], empty: float = 0) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        values = []
        for v in _numbers(args):
            if isinstance(v, ExcelError):
                return v
            values.append(v)
        return reduce(values) if values else empty

    return apply


def _if(condition: Any, then: Any = True, otherwise: Any = False) -> Any:
    def one(c: Any, t: Any, o: Any) -> Any:
        truth = truth_value(c)
        if isinstance(truth, ExcelError):
            return truth
        return t if truth else o

    return elementwise(one, condition, then, otherwise)


def _iferror(value: Any, alternative: Any) -> Any:
    return elementwise(lambda v, a: a if isinstance(v, ExcelError) else v, value, alternative)


def _logical(combine: Callable[[list[bool]], bool]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        truths = []
        for arg in args:
            for v in flat_values(arg):
                if is_grid(arg) and (v is None or isinstance(v, str)):
                    continue
                t = truth_value(v)
                if isinstance(t, ExcelError):
                    return t
                truths.append(t)
        return combine(truths) if truths else VALUE

    return apply


def _not(value: Any) -> Any:
    def one(v: Any) -> Any:
        truth = truth_value(v)
        return truth if isinstance(truth, ExcelError) else not truth

    return elementwise(one, value)


def _parsed(criteria: Any) -> tuple[str, Any]:
    """COUNTIF's criteria as (operator, operand): text such as ">=10" is split, and an
    operand that is a number written as text becomes that number."""
    op, operand = "=", criteria
    if isinstance(criteria, str):
        match = re.match(r"^(<=|>=|<>|<|>|=)?(.*)$", criteria, re.S)
        assert match is not None  # the pattern matches any text
        op, operand = match.group(1) or "=", match.group(2)
        number = to_number(operand)
        if not isinstance(number, ExcelError) and operand.strip():
            operand = number
    return op, operand


def wildcard(text: str) -> re.Pattern[str]:
    """Excel's wildcards in ``text`` as a pattern of the whole text, case ignored: ``*`` any
    run of characters, ``?`` one, ``~`` before either (or itself) the character itself. No
    other character is special (``[`` is a bracket, not a set, as fnmatch would read it).

    >>> bool(wildcard("C*Tech").match("c-tech")), bool(wildcard("C~*Tech").match("C-Tech"))
    (True, False)
    >>> bool(wildcard("A[1]?").match("a[1]x")), bool(wildcard("~~").match("~"))
    (True, True)
    """
    parts = []
    at = 0
    while at < len(text):
        ch = text[at]
        if ch == "~" and at + 1 < len(text) and text[at + 1] in "*?~":
            parts.append(re.escape(text[at + 1]))
            at += 2
            continue
        parts.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        at += 1
    return re.compile("".join(parts) + r"\Z", re.S | re.IGNORECASE)


def _has_wildcard(text: str) -> bool:
    return any(ch in text for ch in "*?")


def _criterion(criteria: Any) -> Callable[[Any], bool]:
    """COUNTIF's criteria: a value, or text such as ">=10", "<>Gold", "G*"; an error value,
    or its text ("#N/A", "<>#DIV/0!"), matches the cells that hold that error."""
    op, operand = _parsed(criteria)
    error = operand if isinstance(operand, ExcelError) else None
    if isinstance(operand, str):
        error = ERRORS.get(operand.strip().upper())
    if error is not None and op in ("=", "<>"):
        code = error.code

        def same_error(v: Any) -> bool:
            found = isinstance(v, ExcelError) and v.code == code
            return found if op == "=" else not found

        return same_error
    if isinstance(operand, str) and op in ("=", "<>") and _has_wildcard(operand):
        hit = wildcard(operand).match

        def wild(v: Any) -> bool:
            found = isinstance(v, str) and bool(hit(v))
            return found if op == "=" else not found

        return wild
    test = comparison_operator(op)

    def matches(v: Any) -> bool:
        if isinstance(v, ExcelError):
            return False
        if op in ("=", "<>") and operand == "" and v in (None, ""):
            return op == "="
        if v is None or value_kind(v) != value_kind(operand):
            return op == "<>"  # COUNTIF compares like with like only
        return test(v, operand) is True

    return matches


def _equal_key(value: Any) -> tuple[Any, ...] | None:
    """What two values equal as COUNTIF compares them share (text case-insensitively);
    None for what no "=" criteria with an operand matches (a blank, an error)."""
    if isinstance(value, bool):
        return ("logical", value)
    if isinstance(value, int | float):
        return ("number", fifteen_digits(value))  # as compare_values compares numbers
    if isinstance(value, str) and value:
        return ("text", value.lower())
    return None


def _equality(criteria: Any) -> tuple[Any, ...] | None:
    """The key of the cells that plain "equals" criteria can match; None for any other."""
    op, operand = _parsed(criteria)
    if op != "=" or (isinstance(operand, str) and _has_wildcard(operand)):
        return None
    if isinstance(operand, str) and operand.strip().upper() in ERRORS:
        return None  # an error's text matches the error, not text
    return _equal_key(operand)


def _countif(cells: Any, criteria: Any) -> Any:
    return _countifs(cells, criteria)


def _countifs(*args: Any) -> Any:
    """COUNTIFS(range, criteria, ...): the rows where every range meets its criteria. Ranges
    of different sizes are #VALUE!; criteria given as arrays give an array of counts."""
    if len(args) % 2:
        return VALUE
    ranges = [list(flat_values(r)) for r in args[::2]]
    if len({len(r) for r in ranges}) != 1:
        return VALUE
    everything = range(len(ranges[0]))
    by_key: dict[tuple[Any, ...], list[int]] | None = None  # rows of the first range by value

    def count(*criteria: Any) -> int:
        # Plain "equals" criteria on the first range (a partner's name) look its rows up,
        # so that an array of criteria costs its rows, not the whole range each time.
        nonlocal by_key
        rows: Sequence[int] = everything
        key = _equality(criteria[0])
        if key is not None:
            if by_key is None:
                by_key = {}
                for i, v in enumerate(ranges[0]):
                    k = _equal_key(v)
                    if k is not None:
                        by_key.setdefault(k, []).append(i)
            rows = by_key.get(key, [])
        tests = [_criterion(c) for c in criteria]
        return sum(all(t(r[i]) for t, r in zip(tests, ranges, strict=True)) for i in rows)

    return elementwise(count, *args[1::2])


def _count(*args: Any) -> int:
    """COUNT: the numbers in ranges (text, logical values, errors and blanks skipped); a
    value typed as an argument counts when it reads as a number."""
    counted = 0
    for arg in args:
        if is_grid(arg):
            counted += sum(1 for v in flat_values(arg) if _is_number(v))
        elif arg is not None and not isinstance(to_number(arg), ExcelError):
            counted += 1
    return counted


def _counta(*args: Any) -> int:
    return sum(1 for arg in args for v in flat_values(arg) if v is not None)


def _kth(largest: bool) -> Callable[[Any, Any], Any]:
    """LARGE and SMALL over a range or an array (its numbers; text, logical values and blanks
    skipped); a k given as an array gives an array, one answer a k. Excel's reference leaves
    two cases unsaid, so they are outside the subset rather than guessed: a single value in
    place of the array (``LARGE(TRUE,1)``), and an error in the array and another in k (which
    of the two Excel shows)."""

    def apply(values: Any, k: Any) -> Any:
        if not is_grid(values):
            raise Unsupported("LARGE and SMALL of a single value instead of a range or array")
        numbers: list[float] = []
        error = None
        for v in _numbers([values]):
            if isinstance(v, ExcelError):
                error = v
                break
            numbers.append(v)
        ordered = sorted(numbers, reverse=largest)

        def one(k: Any) -> Any:
            n = to_number(k)
            if isinstance(n, ExcelError) and error is not None and n != error:
                raise Unsupported(f"LARGE and SMALL with {error} in the array and {n} as k")
            if error is not None or isinstance(n, ExcelError):
                return error or n
            n = math.ceil(n)
            return ordered[n - 1] if 1 <= n <= len(ordered) else NUM

        return elementwise(one, k)

    return apply


def _match(value: Any, values: Any, match_type: Any = 1) -> Any:
    if match_type != 0:
        raise Unsupported("MATCH is supported with match_type 0 (exact) only")
    if isinstance(value, ExcelError):
        return value
    if value is None:  # an empty lookup value matches nothing, not FALSE, "" or 0
        return NA
    cells = list(flat_values(values))
    if isinstance(value, str) and _has_wildcard(value):  # match type 0 takes wildcards
        hit = wildcard(value).match
        return next((i for i, v in enumerate(cells, 1) if isinstance(v, str) and hit(v)), NA)
    for i, v in enumerate(cells, 1):
        if v is not None and not isinstance(v, ExcelError) and compare_values(v, value) == 0:
            return i
    return NA


def _index(values: Any, row: Any, col: Any = None) -> Any:
    """INDEX (array form); row and column numbers given as arrays give an array, as in an
    array formula. As Excel's reference says: 0 for the row or the column is the whole
    column or row (both 0: the whole array); a range of one row or one column needs one
    number; a range of both, given only the row, is that whole row; a number outside the
    range is #REF!, a negative one #VALUE!."""
    if is_grid(row) or is_grid(col):
        return elementwise(lambda r, c: _index(values, r, c), row, col)
    grid = values if is_grid(values) else [[values]]
    r = to_number(0 if row is None else row)
    c = None if col is None else to_number(col)
    if isinstance(r, ExcelError):
        return r
    if isinstance(c, ExcelError):
        return c
    r = int(r)  # Excel truncates a number of rows or columns
    c = None if c is None else int(c)
    if r < 0 or (c is not None and c < 0):
        return VALUE
    if c is None:
        if len(grid) == 1:  # a single row: the number picks the column
            r, c = 1, r
        else:  # a single column: its row; a range of both: the whole row
            c = 1 if len(grid[0]) == 1 else 0
    if r > len(grid) or c > len(grid[0]):
        return REF
    if r == 0 and c == 0:
        return [list(grid_row) for grid_row in grid]
    if r == 0:
        return [[grid_row[c - 1]] for grid_row in grid]
    if c == 0:
        return [list(grid[r - 1])]
    return grid[r - 1][c - 1]


def _vlookup(value: Any, table: Any, col: Any, approximate: Any = True) -> Any:
    if truth_value(approximate) is not False:
        raise Unsupported("VLOOKUP is supported with an exact match (FALSE) only")
    position = _match(value, _index(table, 0, 1), 0)
    return position if isinstance(position, ExcelError) else _index(table, position, col)


def _round(value: Any, digits: Any = 0) -> Any:
    def one(v: Any, d: Any) -> Any:
        numbers = two_numbers(v, d)
        if isinstance(numbers, ExcelError):
            return numbers
        x, n = numbers
        # Excel rounds the 15 significant digits it keeps, half away from zero.
        exact = Decimal(format(x, ".15g"))
        return float(exact.quantize(Decimal(1).scaleb(-int(n)), ROUND_HALF_UP))

    return elementwise(one, value, digits)


def _is(test: Callable[[Any], bool]) -> Callable[[Any], Any]:
    """An IS function: TRUE or FALSE for a value, cell by cell over a range or an array (the
    #N/A that pads an array formula's range included). It never returns an error."""
    return lambda value: elementwise(test, value)


NATIVE_FUNCTIONS: dict[str, Native] = {
    "IF": Native(_if, 1, 3),
    "IFERROR": Native(_iferror, 2, 2),
    "AND": Native(_logical(all), 1, 255, ranges_in_references=True),
    "OR": Native(_logical(any), 1, 255, ranges_in_references=True),
    "NOT": Native(_not, 1, 1),
    "SUM": Native(_aggregate(sum), 1, 255, ranges_in_references=True),
    "MIN": Native(_aggregate(min), 1, 255, ranges_in_references=True),
    "MAX": Native(_aggregate(max), 1, 255, ranges_in_references=True),
    "COUNT": Native(_count, 1, 255),
    "COUNTA": Native(_counta, 1, 255),
    "COUNTIF": Native(_countif, 2, 2),
    "COUNTIFS": Native(_countifs, 2, 254),
    "SMALL": Native(_kth(largest=False), 2, 2),
    "LARGE": Native(_kth(largest=True), 2, 2),
    "MATCH": Native(_match, 2, 3),
    "INDEX": Native(_index, 2, 3),
    "VLOOKUP": Native(_vlookup, 3, 4),
    "ROUND": Native(_round, 1, 2),
    # The IS functions, as Excel's reference "IS functions" defines each.
    "ISBLANK": Native(_is(lambda v: v is None), 1, 1),
    "ISERR": Native(_is(lambda v: isinstance(v, ExcelError) and v != NA), 1, 1),
    "ISERROR": Native(_is(lambda v: isinstance(v, ExcelError)), 1, 1),
    "ISLOGICAL": Native(_is(lambda v: isinstance(v, bool)), 1, 1),
    "ISNA": Native(_is(lambda v: v == NA), 1, 1),
    "ISNONTEXT": Native(_is(lambda v: not isinstance(v, str)), 1, 1),
    "ISNUMBER": Native(_is(_is_number), 1, 1),
    "ISTEXT": Native(_is(lambda v: isinstance(v, str)), 1, 1),
    "ROW": Native(lambda ref: [[r] for r in range(ref.min_row, ref.max_row + 1)], 1, 1, True),
    "ROWS": Native(lambda ref: ref.max_row - ref.min_row + 1, 1, 1, True),
}
