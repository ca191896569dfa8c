"""Compute a workbook's formulas outside Excel: the Excel subset that the templates use.

The templates are proved by computing them, and values-only copies are made the same way,
so this module evaluates every formula of an openpyxl workbook: plain formulas and legacy
array formulas (``{=...}`` over a range), references across sheets, defined names, the
native functions in :data:`NATIVE_FUNCTIONS`, and the add-in's functions that the caller
hands over, called as xlwings calls them (blank cells as None, error cells as their text, one
call per range).

>>> from openpyxl import Workbook
>>> wb = Workbook()
>>> ws = wb.active
>>> ws["A1"], ws["A2"], ws["B1"] = 45000, None, '=HALF(A1)&" / "&HALF(A2)'
>>> def HALF(value):
...     return None if value is None else value / 2
>>> Evaluator(wb, {"HALF": HALF}).value(ws.title, "B1")
'22500 / '

A formula that uses anything outside the subset raises :class:`Unsupported` instead of
guessing, so a template can never be "proved" by a wrong answer. Values follow Excel:
a blank cell is 0 in arithmetic and "" in text, text compares greater than any number,
and an error travels on through every operation.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import inspect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from partner_tiers.errors import PartnerTiersError
from partner_tiers.files.xlsx_parts import ExcelError

Grid = list[list[Any]]


NA, VALUE, REF, DIV0, NUM, NAME = map(
    ExcelError, ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?")
)
ERRORS = {e.code: e for e in (NA, VALUE, REF, DIV0, NUM, NAME, ExcelError("#NULL!"))}


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


_SHEET_PREFIX = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!")
_WHOLE_LINES = re.compile(r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+")


def parse_reference(text: str, default_sheet: str) -> Reference | None:
    """``Sheet!$A$1:$B$2``, ``'My sheet'!A1`` or ``A1`` as a Reference; None if not one."""
    sheet = default_sheet
    match = _SHEET_PREFIX.match(text)
    if match:
        sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
        text = text[match.end() :]
    if not re.fullmatch(r"\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?", text):
        return None
    min_col, min_row, max_col, max_row = range_boundaries(text.replace("$", ""))
    return Reference(sheet, min_row, min_col, max_row, max_col)


# --- values -------------------------------------------------------------------------------


def is_grid(value: Any) -> bool:
    return isinstance(value, list)


def _to_number(value: Any) -> float | ExcelError:
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
        if value.strip() == "":
            return VALUE
        try:
            return float(value)
        except ValueError:
            return VALUE
    return VALUE


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


def _truth(value: Any) -> bool | ExcelError:
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


def _kind(value: Any) -> int:
    """Excel's order of types in a comparison: numbers < text < logical values."""
    if isinstance(value, bool):
        return 2
    return 1 if isinstance(value, str) else 0


def _compare(a: Any, b: Any) -> int | ExcelError:
    """-1, 0 or 1 as Excel compares two values (text case-insensitively)."""
    for v in (a, b):
        if isinstance(v, ExcelError):
            return v
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return -1 if ka < kb else 1
    if ka == 1:
        a, b = a.lower(), b.lower()
    return (a > b) - (a < b)


def _number_result(value: float) -> float | ExcelError:
    return value if math.isfinite(value) else NUM


def _two_numbers(a: Any, b: Any) -> tuple[float, float] | ExcelError:
    """Both values as numbers, or the first error among them."""
    x, y = _to_number(a), _to_number(b)
    if isinstance(x, ExcelError):
        return x
    return y if isinstance(y, ExcelError) else (x, y)


def _arithmetic(op: str) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        numbers = _two_numbers(a, b)
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


def _comparison(op: str) -> Callable[[Any, Any], Any]:
    test = {
        "=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0,
        ">": lambda c: c > 0, "<=": lambda c: c <= 0, ">=": lambda c: c >= 0,
    }[op]  # fmt: skip

    def apply(a: Any, b: Any) -> Any:
        c = _compare(a, b)
        return c if isinstance(c, ExcelError) else test(c)

    return apply


def _concatenate(a: Any, b: Any) -> Any:
    x, y = _to_text(a), _to_text(b)
    if isinstance(x, ExcelError):
        return x
    return y if isinstance(y, ExcelError) else x + y


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    **{op: _arithmetic(op) for op in "+-*/^"},
    **{op: _comparison(op) for op in ("=", "<>", "<", ">", "<=", ">=")},
    "&": _concatenate,
}
PRECEDENCE = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3,
              "*": 4, "/": 4, "^": 5}  # fmt: skip


def _shape(value: Any) -> tuple[int, int]:
    return (len(value), len(value[0])) if is_grid(value) else (1, 1)


def _at(value: Any, r: int, c: int) -> Any:
    """Element (r, c) with Excel's broadcasting: one row or column stretches, else #N/A."""
    if not is_grid(value):
        return value
    rows, cols = len(value), len(value[0])
    if (rows > 1 and r >= rows) or (cols > 1 and c >= cols):
        return NA
    return value[r if rows > 1 else 0][c if cols > 1 else 0]


def elementwise(function: Callable[..., Any], *args: Any) -> Any:
    """Apply a one-value function over arrays, as Excel does inside an array formula."""
    if not any(is_grid(a) for a in args):
        return function(*args)
    shapes = [_shape(a) for a in args]
    rows, cols = max(s[0] for s in shapes), max(s[1] for s in shapes)
    return [[function(*(_at(a, r, c) for a in args)) for c in range(cols)] for r in range(rows)]


def _flat(value: Any) -> Iterator[Any]:
    if is_grid(value):
        for row in value:
            yield from row
    else:
        yield value


def fit(value: Any, rows: int, cols: int) -> Grid:
    """A result laid over an array formula's range: stretched, or #N/A where it runs out."""
    return [[_at(value, r, c) for c in range(cols)] for r in range(rows)]


# --- native functions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Native:
    """A native Excel function: its implementation and how many arguments it takes."""

    function: Callable[..., Any]
    min_args: int
    max_args: int
    takes_references: bool = False  # ROW and ROWS look at the reference, not the values


def _numbers(args: Sequence[Any]) -> Iterator[float | ExcelError]:
    """Numbers of aggregate arguments: text, blanks and logical values in ranges are skipped."""
    for arg in args:
        if is_grid(arg):
            for v in _flat(arg):
                if isinstance(v, ExcelError | int | float) and not isinstance(v, bool):
                    yield v
        elif arg is not None:
            yield _to_number(arg)


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
        truth = _truth(c)
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
            for v in _flat(arg):
                if is_grid(arg) and (v is None or isinstance(v, str)):
                    continue
                t = _truth(v)
                if isinstance(t, ExcelError):
                    return t
                truths.append(t)
        return combine(truths) if truths else VALUE

    return apply


def _not(value: Any) -> Any:
    def one(v: Any) -> Any:
        truth = _truth(v)
        return truth if isinstance(truth, ExcelError) else not truth

    return elementwise(one, value)


def _criterion(criteria: Any) -> Callable[[Any], bool]:
    """COUNTIF's criteria: a value, or text such as ">=10", "<>Gold", "G*"."""
    op, operand = "=", criteria
    if isinstance(criteria, str):
        match = re.match(r"^(<=|>=|<>|<|>|=)?(.*)$", criteria, re.S)
        op, operand = match.group(1) or "=", match.group(2)
        number = _to_number(operand)
        if not isinstance(number, ExcelError) and operand.strip():
            operand = number
    if isinstance(operand, str) and op in ("=", "<>") and any(ch in operand for ch in "*?"):
        pattern = fnmatch.translate(operand.lower())
        hit = re.compile(pattern, re.S).match

        def wild(v: Any) -> bool:
            found = isinstance(v, str) and bool(hit(v.lower()))
            return found if op == "=" else not found

        return wild
    test = _comparison(op)

    def matches(v: Any) -> bool:
        if isinstance(v, ExcelError):
            return False
        if op in ("=", "<>") and operand == "" and v in (None, ""):
            return op == "="
        if v is None or _kind(v) != _kind(operand):
            return op == "<>"  # COUNTIF compares like with like only
        return test(v, operand) is True

    return matches


def _countif(cells: Any, criteria: Any) -> Any:
    return elementwise(lambda c: sum(map(_criterion(c), _flat(cells))), criteria)


def _counta(*args: Any) -> int:
    return sum(1 for arg in args for v in _flat(arg) if v is not None)


def _kth(largest: bool) -> Callable[[Any, Any], Any]:
    def apply(values: Any, k: Any) -> Any:
        numbers = []
        for v in _numbers([values if is_grid(values) else [[values]]]):
            if isinstance(v, ExcelError):
                return v
            numbers.append(v)
        n = _to_number(k)
        if isinstance(n, ExcelError):
            return n
        n = math.ceil(n)
        if not 1 <= n <= len(numbers):
            return NUM
        return sorted(numbers, reverse=largest)[n - 1]

    return apply


def _match(value: Any, values: Any, match_type: Any = 1) -> Any:
    if match_type != 0:
        raise Unsupported("MATCH is supported with match_type 0 (exact) only")
    if isinstance(value, ExcelError):
        return value
    cells = list(_flat(values))
    for i, v in enumerate(cells, 1):
        if v is not None and not isinstance(v, ExcelError) and _compare(v, value) == 0:
            return i
    return NA


def _index(values: Any, row: Any, col: Any = None) -> Any:
    """INDEX; row and column numbers given as arrays give an array, as in an array formula."""
    if is_grid(row) or is_grid(col):
        return elementwise(lambda r, c: _index(values, r, c), row, col)
    grid = values if is_grid(values) else [[values]]
    r, c = _to_number(row), _to_number(1 if col is None else col)
    for n in (r, c):
        if isinstance(n, ExcelError):
            return n
    r, c = int(r), int(c)
    if len(grid) == 1 and col is None:  # a single row: the number picks the column
        r, c = 1, r
    if r < 0 or c < 0 or r > len(grid) or c > len(grid[0]):
        return REF
    if r == 0:
        return [[grid_row[c - 1]] for grid_row in grid]
    if c == 0:
        return [list(grid[r - 1])]
    return grid[r - 1][c - 1]


def _vlookup(value: Any, table: Any, col: Any, approximate: Any = True) -> Any:
    if _truth(approximate) is not False:
        raise Unsupported("VLOOKUP is supported with an exact match (FALSE) only")
    position = _match(value, _index(table, 0, 1), 0)
    return position if isinstance(position, ExcelError) else _index(table, position, col)


def _round(value: Any, digits: Any = 0) -> Any:
    def one(v: Any, d: Any) -> Any:
        numbers = _two_numbers(v, d)
        if isinstance(numbers, ExcelError):
            return numbers
        x, n = numbers
        # Excel rounds the 15 significant digits it keeps, half away from zero.
        exact = Decimal(format(x, ".15g"))
        return float(exact.quantize(Decimal(1).scaleb(-int(n)), ROUND_HALF_UP))

    return elementwise(one, value, digits)


def _is(test: Callable[[Any], bool]) -> Callable[[Any], Any]:
    return lambda value: elementwise(test, value)


NATIVE_FUNCTIONS: dict[str, Native] = {
    "IF": Native(_if, 1, 3),
    "IFERROR": Native(_iferror, 2, 2),
    "AND": Native(_logical(all), 1, 255),
    "OR": Native(_logical(any), 1, 255),
    "NOT": Native(_not, 1, 1),
    "SUM": Native(_aggregate(sum), 1, 255),
    "MIN": Native(_aggregate(min), 1, 255),
    "MAX": Native(_aggregate(max), 1, 255),
    "COUNTA": Native(_counta, 1, 255),
    "COUNTIF": Native(_countif, 2, 2),
    "SMALL": Native(_kth(largest=False), 2, 2),
    "LARGE": Native(_kth(largest=True), 2, 2),
    "MATCH": Native(_match, 2, 3),
    "INDEX": Native(_index, 2, 3),
    "VLOOKUP": Native(_vlookup, 3, 4),
    "ROUND": Native(_round, 1, 2),
    "ISNUMBER": Native(_is(lambda v: isinstance(v, int | float) and not isinstance(v, bool)), 1, 1),
    "ISTEXT": Native(_is(lambda v: isinstance(v, str)), 1, 1),
    "ISBLANK": Native(_is(lambda v: v is None), 1, 1),
    "ROW": Native(lambda ref: [[r] for r in range(ref.min_row, ref.max_row + 1)], 1, 1, True),
    "ROWS": Native(lambda ref: ref.max_row - ref.min_row + 1, 1, 1, True),
}


def count_addin_calls(workbook: Workbook, functions: dict[str, Callable[..., Any]]) -> Counter[str]:
    """How often one full recalculation calls each add-in function: an array formula once,
    any other formula once per cell. In Excel each call crosses COM from Excel to Python.

    The count is an upper bound: this evaluator works out both branches of an IF, Excel
    only the one it takes.
    """
    counts: Counter[str] = Counter()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def call(*args: Any) -> Any:
            counts[name] += 1
            return function(*args)

        return call

    counted = {name: counting(name, f) for name, f in functions.items()}
    Evaluator(workbook, counted).evaluate_all()
    return counts


def udf_arity(function: Callable[..., Any]) -> tuple[int, int]:
    """(required, total) number of arguments of an add-in function."""
    parameters = inspect.signature(inspect.unwrap(function)).parameters.values()
    required = sum(1 for p in parameters if p.default is inspect.Parameter.empty)
    return required, len(parameters)


def _to_xlwings(value: Any) -> Any:
    """A value as xlwings hands it to a function: blanks as None, errors as their text."""
    if is_grid(value):
        return [[_to_xlwings(v) for v in row] for row in value]
    if isinstance(value, ExcelError):
        return value.code
    return None if value == "" else value


def _from_xlwings(value: Any) -> Any:
    """A function's answer as Excel shows it: a None (blank) result arrives as ""."""
    if isinstance(value, list | tuple):
        rows = [list(r) for r in value] if value and isinstance(value[0], list | tuple) else [value]
        return [["" if v is None else v for v in row] for row in rows]
    return "" if value is None else value


# --- parsing ----------------------------------------------------------------------------------

Node = Callable[["_Context"], Any]


@dataclass
class _Context:
    evaluator: Evaluator
    sheet: str


_CONSTANTS = (Token.NUMBER, Token.TEXT, Token.LOGICAL, Token.ERROR)


def _constant(token: Token) -> Any:
    """The value of a number, text, logical or error operand."""
    text = token.value
    if token.subtype == Token.NUMBER:
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if token.subtype == Token.TEXT:
        return text[1:-1].replace('""', '"')
    if token.subtype == Token.LOGICAL:
        return text.upper() == "TRUE"
    return ERRORS.get(text.upper(), ExcelError(text.upper()))


_FUTURE_PREFIX = re.compile(r"^(?:_xlfn\.|_xlws\.|_xludf\.)+", re.IGNORECASE)


def function_name(token: str) -> tuple[str, str | None]:
    """(NAME, where) of a function token as Excel writes it in a file, e.g. ``SUM(``.

    Excel saves newer functions with the prefixes ``_xlfn.`` and ``_xlws.``
    (``_xlfn.XLOOKUP(``, ``_xlfn._xlws.SORT(``), a function it did not know as ``_xludf.``,
    and an add-in's function qualified by the workbook that holds it: ``[1]!NAME(``, whose
    number is the workbook's external link (MS-XLSX), or a path, ``'C:\\x\\a.xlam'!NAME(``.
    ``where`` is that qualifier, or None.

    >>> function_name("_xlfn._xlws.SORT("), function_name("[1]!partner_tier(")
    (('SORT', None), ('PARTNER_TIER', '[1]'))
    """
    text = token[:-1] if token.endswith("(") else token
    where, bang, name = text.rpartition("!")
    return _FUTURE_PREFIX.sub("", name).upper(), (where if bang else None)


def _closes(token: Token) -> bool:
    return token.type == Token.FUNC and token.subtype == Token.CLOSE


class _Parser:
    """Recursive descent over openpyxl's formula tokens, compiling to closures."""

    def __init__(
        self, formula: str, functions: dict[str, Callable[..., Any]],
        links: dict[int, str] | None = None,
    ) -> None:  # fmt: skip
        self.formula = formula
        self.functions = functions
        self.links = links or {}
        tokens = Tokenizer(formula).items
        self.tokens = [t for t in tokens if t.type != Token.WSPACE]
        self.pos = 0

    def parse(self) -> Node:
        node = self.expression(0)
        if self.pos != len(self.tokens):
            raise Unsupported(f"unexpected {self.tokens[self.pos].value!r} in {self.formula}")
        return node

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise Unsupported(f"formula ends early: {self.formula}")
        self.pos += 1
        return token

    def expression(self, min_precedence: int) -> Node:
        left = self.unary()
        while True:
            token = self.peek()
            if token is None or token.type != Token.OP_IN:
                return left
            op = token.value
            if op not in PRECEDENCE:
                raise Unsupported(f"operator {op!r} in {self.formula}")
            precedence = PRECEDENCE[op]
            if precedence < min_precedence:
                return left
            self.take()
            right = self.expression(precedence + 1)
            left = self._binary(BINARY[op], left, right)

    @staticmethod
    def _binary(apply: Callable[[Any, Any], Any], left: Node, right: Node) -> Node:
        return lambda ctx: elementwise(apply, left(ctx), right(ctx))

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token.type == Token.OP_PRE:
            self.take()
            operand = self.unary()
            if token.value == "-":
                return lambda ctx: elementwise(lambda v: BINARY["-"](0, v), operand(ctx))
            return operand
        node = self.primary()
        while (token := self.peek()) is not None and token.type == Token.OP_POST:
            self.take()
            node = self._binary(BINARY["/"], node, lambda ctx: 100)
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.type == Token.OPERAND:
            return self.operand(token)
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            node = self.expression(0)
            self.expect(Token.PAREN)
            return node
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name, where = function_name(token.value)
            return self.call(name, where)
        if token.type == Token.ARRAY and token.subtype == Token.OPEN:
            grid = self.array_constant()
            return lambda ctx: grid
        raise Unsupported(f"unexpected {token.value!r} in {self.formula}")

    def array_constant(self) -> Grid:
        """The rest of ``{1,2;3,4}``: rows split by ``;``, values by ``,``."""
        rows: Grid = [[]]
        while True:
            token = self.take()
            if token.type == Token.ARRAY and token.subtype == Token.CLOSE:
                break
            if token.type == Token.SEP:
                if token.subtype == Token.ROW:
                    rows.append([])
                continue
            negative = token.type == Token.OP_PRE and token.value == "-"
            if negative:
                token = self.take()
            if token.type != Token.OPERAND or token.subtype not in (
                _CONSTANTS[:1] if negative else _CONSTANTS
            ):
                raise Unsupported(f"unexpected {token.value!r} in an array in {self.formula}")
            value = _constant(token)
            rows[-1].append(-value if negative else value)
        if len({len(row) for row in rows}) != 1 or not rows[0]:
            raise Unsupported(f"an array constant with uneven rows in {self.formula}")
        return rows

    def expect(self, kind: str) -> None:
        token = self.take()
        if token.type != kind or token.subtype != Token.CLOSE:
            raise Unsupported(f"expected a closing bracket, got {token.value!r} in {self.formula}")

    def operand(self, token: Token) -> Node:
        if token.subtype != Token.RANGE:
            value = _constant(token)
            return lambda ctx: value
        text = token.value
        if "[" in text:
            raise Unsupported(f"structured references such as {text} are not supported")
        return lambda ctx: ctx.evaluator.reference_value(ctx.evaluator.resolve(text, ctx.sheet))

    def call(self, name: str, where: str | None = None) -> Node:
        args: list[Node | None] = []
        raw: list[str | None] = []
        token = self.peek()
        if token is not None and _closes(token):
            self.take()
        else:
            while True:
                token = self.peek()
                if token is not None and (token.type == Token.SEP or _closes(token)):
                    args.append(None)  # an omitted argument
                    raw.append(None)
                else:
                    start = self.pos
                    args.append(self.expression(0))
                    single = self.pos == start + 1 and self.tokens[start].subtype == Token.RANGE
                    raw.append(self.tokens[start].value if single else None)
                token = self.take()
                if token.type == Token.SEP and token.subtype == Token.ARG:
                    continue
                if _closes(token):
                    break
                raise Unsupported(f"unexpected {token.value!r} in {self.formula}")
        if where is not None:
            self._check_workbook(name, where)
        return self._function(name, args, raw)

    def _check_workbook(self, name: str, where: str) -> None:
        """An add-in function qualified by its workbook: ours wherever the add-in is kept."""
        link = re.fullmatch(r"\[(\d+)\]", where)
        if link and int(link[1]) not in self.links:
            raise Unsupported(f"{where}!{name} names an external workbook the file does not list")
        if name not in self.functions:
            source = self.links.get(int(link[1])) if link else where.strip("'")
            raise Unsupported(f"function {name} of another workbook ({source})")

    def _function(self, name: str, args: list[Node | None], raw: list[str | None]) -> Node:
        def values(ctx: _Context) -> list[Any]:
            return [None if a is None else a(ctx) for a in args]

        if name == "ANCHORARRAY":  # A1#, the cells an array formula in A1 spills into
            if len(raw) != 1 or raw[0] is None:
                raise Unsupported(f"ANCHORARRAY needs one cell in {self.formula}")
            anchor = raw[0]
            return lambda ctx: ctx.evaluator.spill(ctx.evaluator.resolve(anchor, ctx.sheet))
        if name in self.functions:
            udf = self.functions[name]
            required, total = udf_arity(udf)
            if not required <= len(args) <= total:
                raise Unsupported(f"{name} takes {required} to {total} arguments, not {len(args)}")
            return lambda ctx: _from_xlwings(udf(*map(_to_xlwings, values(ctx))))
        native = NATIVE_FUNCTIONS.get(name)
        if native is None:
            raise Unsupported(f"function {name} is not supported")
        if not native.min_args <= len(args) <= native.max_args:
            raise Unsupported(f"{name} takes {native.min_args} to {native.max_args} arguments")
        if native.takes_references:
            if any(r is None for r in raw):
                raise Unsupported(f"{name} needs a reference in {self.formula}")
            return lambda ctx: native.function(*(ctx.evaluator.resolve(r, ctx.sheet) for r in raw))
        return lambda ctx: native.function(*values(ctx))


# --- the workbook --------------------------------------------------------------------------------


def _excel_serial(value: dt.datetime | dt.date) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400


NO_VALUE = object()  # what ``cached`` answers for a cell whose file holds no value for it
Cached = Callable[[str, int, int], Any]


def a1(key: tuple[str, int, int]) -> str:
    """``Review!C5`` for ("Review", 5, 3), the sheet quoted where Excel would quote it."""
    sheet, row, col = key
    name = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(col)}{row}"


class Evaluator:
    """Computes the formulas of one openpyxl workbook, each cell once, on demand.

    ``functions`` maps the add-in's function names to their implementations, called as
    xlwings calls them; the caller hands them over (``partner_tiers.excel.udfs.FUNCTIONS``),
    so that the formula engine imports nothing of Excel's. ``cached(sheet, row, column)``
    gives the value the file holds for a formula cell (what Excel computed when it saved it),
    or :data:`NO_VALUE`: a formula outside the subset then takes that value instead of
    raising. The cells that did are in :attr:`from_cache`.
    """

    def __init__(
        self,
        workbook: Workbook,
        functions: dict[str, Callable[..., Any]],
        cached: Cached | None = None,
    ) -> None:
        self.workbook = workbook
        self.functions = functions
        self.cached = cached
        self.from_cache: set[tuple[str, int, int]] = set()
        self._links = {
            n: str(getattr(link.file_link, "Target", "") or "")
            for n, link in enumerate(getattr(workbook, "_external_links", []), 1)
        }
        self._values: dict[tuple[str, int, int], Any] = {}
        self._busy: dict[tuple[str, int, int], None] = {}  # in order: a cycle can be named
        self._compiled: dict[str, Node] = {}
        self._ranges: dict[Reference, Grid] = {}
        self._array_anchor: dict[tuple[str, int, int], tuple[int, int]] = {}
        self._names = {
            name: definition.attr_text for name, definition in workbook.defined_names.items()
        }
        for ws in workbook.worksheets:
            for (row, col), cell in ws._cells.items():
                if isinstance(cell.value, ArrayFormula):
                    ref = parse_reference(cell.value.ref, ws.title)
                    for key in ref.cells():
                        self._array_anchor[(ws.title, *key)] = (row, col)

    def formula_cells(self) -> Iterator[tuple[str, int, int, str]]:
        """(sheet, row, column, formula text) of every formula, array formulas once."""
        for ws in self.workbook.worksheets:
            for (row, col), cell in sorted(ws._cells.items()):
                text = formula_text(cell.value)
                if text is not None and cell.data_type == "f":  # not text that looks like one
                    yield ws.title, row, col, text

    def compile(self, formula: str) -> Node:
        node = self._compiled.get(formula)
        if node is None:
            node = _Parser(formula, self.functions, self._links).parse()
            self._compiled[formula] = node
        return node

    def resolve(self, text: str, sheet: str) -> Reference:
        """The cells a reference or defined name points to."""
        ref = parse_reference(text, sheet)
        if ref is not None:
            return ref
        if _WHOLE_LINES.fullmatch(_SHEET_PREFIX.sub("", text)):
            raise Unsupported(f"whole columns or rows such as {text} are not supported")
        target = self._names.get(text) or next(
            (v for k, v in self._names.items() if k.lower() == text.lower()), None
        )
        if target is None:
            raise Unsupported(f"unknown name {text!r}")
        ref = parse_reference(target, sheet)
        if ref is None:
            raise Unsupported(f"name {text!r} refers to {target!r}, not to cells")
        return ref

    def spill(self, ref: Reference) -> Any:
        """The values of the array formula whose first cell ``ref`` is (Excel's ``A1#``)."""
        ws = self.workbook[ref.sheet] if ref.sheet in self.workbook.sheetnames else None
        cell = None if ws is None else ws._cells.get((ref.min_row, ref.min_col))
        if not ref.is_cell or cell is None or not isinstance(cell.value, ArrayFormula):
            return REF
        return self.reference_value(parse_reference(cell.value.ref, ref.sheet))

    def reference_value(self, ref: Reference) -> Any:
        if ref.is_cell:
            return self.cell_value(ref.sheet, ref.min_row, ref.min_col)
        grid = self._ranges.get(ref)  # a column is read by many formulas: read it once
        if grid is None:
            cols = range(ref.min_col, ref.max_col + 1)
            grid = self._ranges[ref] = [
                [self.cell_value(ref.sheet, row, col) for col in cols]
                for row in range(ref.min_row, ref.max_row + 1)
            ]
        return grid

    def value(self, sheet: str, coordinate: str) -> Any:
        """The value of one cell, e.g. ``value("Review", "C5")``."""
        ref = parse_reference(coordinate, sheet)
        return self.cell_value(ref.sheet, ref.min_row, ref.min_col)

    def cell_value(self, sheet: str, row: int, col: int) -> Any:
        key = (sheet, row, col)
        if key in self._values:
            return self._values[key]
        anchor = self._array_anchor.get(key)
        if anchor is not None:
            self._evaluate_array(sheet, *anchor)
            return self._values[key]
        try:
            cell = self.workbook[sheet]._cells.get((row, col))
        except KeyError:
            return REF
        raw = None if cell is None else cell.value
        if isinstance(raw, str) and cell.data_type == "f":
            result = self._run(key, raw)
            if is_grid(result):  # implicit intersection is not modelled: fail loudly
                result = result[0][0] if _shape(result) == (1, 1) else VALUE
        elif isinstance(raw, dt.date):
            result = _excel_serial(raw)
        elif cell is not None and cell.data_type == "e":
            result = ERRORS.get(raw, ExcelError(str(raw)))
        else:
            result = raw
        self._values[key] = result
        return result

    def _run(self, key: tuple[str, int, int], formula: str, cells: Reference | None = None) -> Any:
        """The formula's value, or for one outside the subset the values the file holds for
        ``cells`` (by default the formula's own cell)."""
        if key in self._busy:
            busy = list(self._busy)
            cycle = [*busy[busy.index(key) :], key]
            raise CircularReference(
                "a circular reference: " + " -> ".join(map(a1, cycle)) + " (each needs the next)"
            )
        self._busy[key] = None
        try:
            return self.compile(formula)(_Context(self, key[0]))
        except Unsupported as exc:
            return self._cached(key, cells, exc)
        finally:
            del self._busy[key]

    def _cached(self, key: tuple[str, int, int], cells: Reference | None, exc: Unsupported) -> Any:
        """What Excel computed for the cells of a formula outside the subset."""
        cells = cells or Reference(key[0], key[1], key[2], key[1], key[2])
        values = [] if self.cached is None else [
            [self.cached(cells.sheet, row, col) for col in range(cells.min_col, cells.max_col + 1)]
            for row in range(cells.min_row, cells.max_row + 1)
        ]  # fmt: skip
        if self.cached is None or any(v is NO_VALUE for row in values for v in row):
            if isinstance(exc, UnsupportedCell):  # from a cell this one needs: name that one
                raise exc
            missing = "; the file holds no value that Excel computed for it" if self.cached else ""
            raise UnsupportedCell(f"{a1(key)}: {exc}{missing}") from None
        self.from_cache.update((cells.sheet, r, c) for r, c in cells.cells())
        return values[0][0] if cells.is_cell else values

    def _evaluate_array(self, sheet: str, row: int, col: int) -> None:
        formula = self.workbook[sheet].cell(row, col).value
        ref = parse_reference(formula.ref, sheet)
        result = self._run((sheet, row, col), formula.text, ref)
        grid = fit(result, ref.max_row - ref.min_row + 1, ref.max_col - ref.min_col + 1)
        for r, values in enumerate(grid, ref.min_row):
            for c, value in enumerate(values, ref.min_col):
                self._values[(sheet, r, c)] = value

    def evaluate_all(
        self, progress: Callable[[int, int], None] | None = None
    ) -> dict[tuple[str, int, int], Any]:
        """Every formula cell's value, keyed by (sheet, row, column).

        ``progress(done, total)`` is called after each formula (array formulas count once).
        """
        results = {}
        formulas = list(self.formula_cells())
        for done, (sheet, row, col, _) in enumerate(formulas, 1):
            cell = self.workbook[sheet].cell(row, col)
            if isinstance(cell.value, ArrayFormula):
                ref = parse_reference(cell.value.ref, sheet)
                for r, c in ref.cells():
                    results[(sheet, r, c)] = self.cell_value(sheet, r, c)
            else:
                results[(sheet, row, col)] = self.cell_value(sheet, row, col)
            if progress:
                progress(done, len(formulas))
        return results


def formula_text(value: Any) -> str | None:
    """The formula a cell value holds (plain or array), or None for a constant."""
    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, str) and value.startswith("="):
        return value
    return None


def function_calls(formula: str) -> Iterator[tuple[str, int]]:
    """(NAME, number of arguments) of every function call in a formula."""
    tokens = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
    stack: list[list[Any]] = []  # [name, separators seen, any token seen]
    in_array = False  # the commas of an array constant separate its values, not arguments
    for token in tokens:
        if stack and not _closes(token):
            stack[-1][2] = True
        if token.type == Token.ARRAY:
            in_array = token.subtype == Token.OPEN
        elif token.type == Token.FUNC and token.subtype == Token.OPEN:
            stack.append([function_name(token.value)[0], 0, False])
        elif token.type == Token.SEP and token.subtype == Token.ARG and stack and not in_array:
            stack[-1][1] += 1
        elif _closes(token):
            name, separators, seen = stack.pop()
            yield name, separators + 1 if seen else 0


def replace_formulas_with_values(
    workbook: Workbook, functions: dict[str, Callable[..., Any]]
) -> Workbook:
    """Compute every formula and write its value in its place: a values-only workbook.

    Styles, validations and (in memory) charts stay; blank results become empty cells,
    text stays text and Excel errors stay errors.
    """
    values = Evaluator(workbook, functions).evaluate_all()
    for (sheet, row, col), value in values.items():
        cell = workbook[sheet].cell(row, col)
        if isinstance(value, ExcelError):
            cell.value = value.code
            cell.data_type = "e"
        elif value == "" or value is None:
            cell.value = None
        else:
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    return workbook
