"""Formulas parsed into small functions of a context, once per formula text.

openpyxl's tokenizer splits a formula; :class:`Parser` builds the tree by precedence and
checks every function against the natives and the add-in's functions, so a formula outside
the subset is refused when it is read, not half computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

from partner_tiers.error_values import ExcelError
from partner_tiers.formulas.addin import from_xlwings, to_xlwings, udf_arity
from partner_tiers.formulas.functions import NATIVE_FUNCTIONS
from partner_tiers.formulas.values import (
    BINARY,
    ERRORS,
    PRECEDENCE,
    Grid,
    Unsupported,
    elementwise,
    in_another_workbook,
    is_grid,
    near_zero_as_excel,
)

if TYPE_CHECKING:  # the workbook builds the parser; the parser only names it
    from partner_tiers.formulas.workbook import Evaluator


# --- parsing ----------------------------------------------------------------------------------

Node = Callable[["Context"], Any]


@dataclass
class Context:
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


_FUTURE_PREFIX = re.compile(r"^(?:_xlfn\.|_xlws\.|_xludf\.|_xldudf_)+", re.IGNORECASE)


def function_name(token: str) -> tuple[str, str | None]:
    """(NAME, where) of a function token as Excel writes it in a file, e.g. ``SUM(``.

    Excel saves newer functions with the prefixes ``_xlfn.`` and ``_xlws.``
    (``_xlfn.XLOOKUP(``, ``_xlfn._xlws.SORT(``), a function it did not know as ``_xludf.``,
    an Office.js add-in's function (xlwings Lite's) as ``_xldudf_NAME(``, and an add-in's
    function qualified by the workbook that holds it: ``[1]!NAME(``, whose number is the
    workbook's external link (MS-XLSX), or a path, ``'C:\\x\\a.xlam'!NAME(``.
    ``where`` is that qualifier, or None.

    >>> function_name("_xlfn._xlws.SORT("), function_name("[1]!partner_tier(")
    (('SORT', None), ('PARTNER_TIER', '[1]'))
    >>> function_name("_xldudf_PARTNER_TIER(")
    ('PARTNER_TIER', None)
    """
    text = token[:-1] if token.endswith("(") else token
    where, bang, name = text.rpartition("!")
    return _FUTURE_PREFIX.sub("", name).upper(), (where if bang else None)


def closes_call(token: Token) -> bool:
    return token.type == Token.FUNC and token.subtype == Token.CLOSE


class Parser:
    """Recursive descent over openpyxl's formula tokens, compiling to closures."""

    def __init__(
        self,
        formula: str,
        functions: dict[str, Callable[..., Any]],
        links: dict[int, str] | None = None,
    ) -> None:
        self.formula = formula
        self.functions = functions
        self.links = links or {}
        try:
            tokens = Tokenizer(formula).items
        except TokenizerError as exc:  # Excel's syntax beyond the tokenizer: outside the subset
            raise Unsupported(f"{formula} cannot be read ({exc})") from None
        self.tokens = [t for t in tokens if t.type != Token.WSPACE]
        self.pos = 0

    def parse(self) -> Node:
        node = self.expression(0, final=True)
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

    def expression(self, min_precedence: int, final: bool = False) -> Node:
        """Operators by precedence. ``final``: this is the whole formula, whose last
        operation, a + or a - outside brackets, zeroes a difference of binary noise as Excel
        does (:func:`near_zero_as_excel`)."""
        left = self.unary()
        last: tuple[str, Node, Node] | None = None
        while True:
            token = self.peek()
            if token is None or token.type != Token.OP_IN:
                break
            op = token.value
            if op not in PRECEDENCE:
                raise Unsupported(f"operator {op!r} in {self.formula}")
            precedence = PRECEDENCE[op]
            if precedence < min_precedence:
                break
            self.take()
            right = self.expression(precedence + 1)
            last = (op, left, right)
            left = self._binary(BINARY[op], left, right)
        if final and last is not None and last[0] in "+-":
            op, first, second = last
            return self._binary(near_zero_as_excel(BINARY[op], op), first, second)
        return left

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
        if in_another_workbook(text):  # Excel's value is all there is
            raise Unsupported(f"references into another workbook such as {text} are not supported")
        if "[" in text:
            raise Unsupported(f"structured references such as {text} are not supported")
        return lambda ctx: ctx.evaluator.reference_value(ctx.evaluator.resolve(text, ctx.sheet))

    def call(self, name: str, where: str | None = None) -> Node:
        args: list[Node | None] = []
        raw: list[str | None] = []
        token = self.peek()
        if token is not None and closes_call(token):
            self.take()
        else:
            while True:
                token = self.peek()
                if token is not None and (token.type == Token.SEP or closes_call(token)):
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
                if closes_call(token):
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
        def values(ctx: Context) -> list[Any]:
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
            return lambda ctx: from_xlwings(udf(*map(to_xlwings, values(ctx))))
        native = NATIVE_FUNCTIONS.get(name)
        if native is None:
            raise Unsupported(f"function {name} is not supported")
        if not native.min_args <= len(args) <= native.max_args:
            raise Unsupported(f"{name} takes {native.min_args} to {native.max_args} arguments")
        if native.takes_references:
            references = [r for r in raw if r is not None]
            if len(references) != len(raw):
                raise Unsupported(f"{name} needs a reference in {self.formula}")
            return lambda ctx: native.function(
                *(ctx.evaluator.resolve(r, ctx.sheet) for r in references)
            )
        if native.ranges_in_references:  # a reference to one cell is still a range
            referenced = [r is not None for r in raw]

            def ranged(ctx: Context) -> list[Any]:
                return [
                    [[v]] if is_ref and not is_grid(v) else v
                    for v, is_ref in zip(values(ctx), referenced, strict=True)
                ]

            return lambda ctx: native.function(*ranged(ctx))
        return lambda ctx: native.function(*values(ctx))
