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
import functools
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from partner_tiers import limits
from partner_tiers.error_values import ExcelError
from partner_tiers.errors import PartnerTiersError
from partner_tiers.files.xlsx_parts import quoted_sheet
from partner_tiers.formulas.parser import Context, Node, Parser
from partner_tiers.formulas.values import (
    ERRORS,
    REF,
    SHEET_PREFIX,
    WHOLE_LINES,
    CircularReference,
    Grid,
    Reference,
    Unsupported,
    UnsupportedCell,
    cell_range,
    fit,
    in_another_workbook,
    is_grid,
    parse_reference,
    shape_of,
)

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
    return f"{quoted_sheet(sheet)}!{get_column_letter(col)}{row}"


class RangeTooLarge(PartnerTiersError, ValueError):
    """A formula reads more cells than the evaluator may hold (not Unsupported: no value
    that Excel saved stands in for it, since the bound is on the work, not the subset)."""


class Evaluator:
    """Computes the formulas of one openpyxl workbook, each cell once, on demand.

    ``functions`` maps the add-in's function names to their implementations, called as
    xlwings calls them; the caller hands them over (``partner_tiers.excel.udfs.FUNCTIONS``),
    so that the formula engine imports nothing of Excel's. ``cached(sheet, row, column)``
    gives the value the file holds for a formula cell (what Excel computed when it saved it),
    or :data:`NO_VALUE`: a formula outside the subset then takes that value instead of
    raising. The cells that did are in :attr:`from_cache`. With ``trust_cached``, every
    formula cell that has such a value takes it without being computed (a workbook Excel
    computed and saved: see :func:`partner_tiers.review.snapshot.excel_values`); those
    cells are in :attr:`trusted`.
    """

    def __init__(
        self,
        workbook: Workbook,
        functions: dict[str, Callable[..., Any]],
        cached: Cached | None = None,
        max_range_cells: int | None = None,
        trust_cached: bool = False,
    ) -> None:
        self.workbook = workbook
        self.functions = functions
        self.cached = cached
        self.trust_cached = trust_cached and cached is not None
        self.trusted: set[tuple[str, int, int]] = set()
        self.max_range_cells = limits.MAX_CELLS if max_range_cells is None else max_range_cells
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
        # Defined names by sheet ("" for the workbook's): a sheet's own name comes first.
        self._names: dict[str, dict[str, str]] = {
            "": {name.lower(): d.attr_text for name, d in workbook.defined_names.items()}
        }
        for ws in workbook.worksheets:
            local = getattr(ws, "defined_names", {})
            self._names[ws.title] = {name.lower(): d.attr_text for name, d in local.items()}
        for ws in workbook.worksheets:
            for (row, col), cell in ws._cells.items():
                if isinstance(cell.value, ArrayFormula):
                    ref = cell_range(cell.value.ref, ws.title)
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
            node = Parser(formula, self.functions, self._links).parse()
            self._compiled[formula] = node
        return node

    def resolve(self, text: str, sheet: str) -> Reference:
        """The cells a reference or defined name points to."""
        ref = parse_reference(text, sheet)
        if ref is not None and ":" in ref.sheet:  # no sheet's name holds a colon
            raise Unsupported(f"3-D references across sheets such as {text} are not supported")
        if ref is not None:
            return ref
        if WHOLE_LINES.fullmatch(SHEET_PREFIX.sub("", text)):
            raise Unsupported(f"whole columns or rows such as {text} are not supported")
        key = text.lower()  # Excel's names ignore case
        target = self._names.get(sheet, {}).get(key) or self._names[""].get(key)
        if target is None:
            raise Unsupported(f"unknown name {text!r}")
        ref = parse_reference(target, sheet)
        if in_another_workbook(target):  # [1]Inputs!$E$13: Excel's value is all there is
            raise Unsupported(f"name {text!r} refers to another workbook ({target})")
        if ref is None:
            raise Unsupported(f"name {text!r} refers to {target!r}, not to cells")
        return ref

    def spill(self, ref: Reference) -> Any:
        """The values of the array formula whose first cell ``ref`` is (Excel's ``A1#``)."""
        ws = self.workbook[ref.sheet] if ref.sheet in self.workbook.sheetnames else None
        cell = None if ws is None else ws._cells.get((ref.min_row, ref.min_col))
        if not ref.is_cell or cell is None or not isinstance(cell.value, ArrayFormula):
            return REF
        return self.reference_value(cell_range(cell.value.ref, ref.sheet))

    def reference_value(self, ref: Reference) -> Any:
        if ref.is_cell:
            return self.cell_value(ref.sheet, ref.min_row, ref.min_col)
        grid = self._ranges.get(ref)  # a column is read by many formulas: read it once
        if grid is None:
            size = (ref.max_row - ref.min_row + 1) * (ref.max_col - ref.min_col + 1)
            if size > self.max_range_cells:
                raise RangeTooLarge(
                    f"a range of {size:,} cells, more than the {self.max_range_cells:,} a "
                    "formula may read here"
                )
            cols = range(ref.min_col, ref.max_col + 1)
            grid = self._ranges[ref] = [
                [self.cell_value(ref.sheet, row, col) for col in cols]
                for row in range(ref.min_row, ref.max_row + 1)
            ]
        return grid

    def value(self, sheet: str, coordinate: str) -> Any:
        """The value of one cell, e.g. ``value("Review", "C5")``."""
        ref = cell_range(coordinate, sheet)
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
        kind = None if cell is None else cell.data_type
        saved: Any = NO_VALUE
        if self.trust_cached and kind == "f" and self.cached is not None:
            saved = self.cached(*key)
        if saved is not NO_VALUE:  # Excel computed it: its value, as the file holds it
            self.trusted.add(key)
            result = saved
        elif isinstance(raw, str) and kind == "f":
            result = self._run(key, raw)
            if is_grid(result) and shape_of(result) == (1, 1):
                result = result[0][0]
            elif is_grid(result):  # implicit intersection, not modelled: outside the subset
                result = self._cached(
                    key,
                    None,
                    Unsupported(
                        "a range or array where one value is wanted (Excel's implicit "
                        "intersection) is not supported; enter it as an array formula"
                    ),
                )
            if result is None:  # =C1 of an empty C1, IF(1,,x): Excel's cell shows 0
                result = 0
        elif isinstance(raw, dt.date):
            result = _excel_serial(raw)
        elif kind == "e":
            result = ERRORS.get(str(raw), ExcelError(str(raw)))
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
            return self.compile(formula)(Context(self, key[0]))
        except Unsupported as exc:
            return self._cached(key, cells, exc)
        finally:
            del self._busy[key]

    def _cached(self, key: tuple[str, int, int], cells: Reference | None, exc: Unsupported) -> Any:
        """What Excel computed for the cells of a formula outside the subset."""
        cells = cells or Reference(key[0], key[1], key[2], key[1], key[2])
        values = (
            []
            if self.cached is None
            else [
                [
                    self.cached(cells.sheet, row, col)
                    for col in range(cells.min_col, cells.max_col + 1)
                ]
                for row in range(cells.min_row, cells.max_row + 1)
            ]
        )
        if self.cached is None or any(v is NO_VALUE for row in values for v in row):
            if isinstance(exc, UnsupportedCell):  # from a cell this one needs: name that one
                raise exc
            missing = "; the file holds no value that Excel computed for it" if self.cached else ""
            raise UnsupportedCell(f"{a1(key)}: {exc}{missing}") from None
        self.from_cache.update((cells.sheet, r, c) for r, c in cells.cells())
        return values[0][0] if cells.is_cell else values

    def _evaluate_array(self, sheet: str, row: int, col: int) -> None:
        formula = self.workbook[sheet].cell(row, col).value
        assert isinstance(formula, ArrayFormula)  # only array formulas have anchors
        ref = cell_range(formula.ref, sheet)
        if self.trust_cached and self.cached is not None:
            saved = [self.cached(sheet, r, c) for r, c in ref.cells()]
            if all(v is not NO_VALUE for v in saved):  # Excel computed the whole array
                for (r, c), value in zip(ref.cells(), saved, strict=True):
                    self._values[(sheet, r, c)] = value
                    self.trusted.add((sheet, r, c))
                return
        result = self._run((sheet, row, col), formula.text or "", ref)
        grid = fit(result, ref.max_row - ref.min_row + 1, ref.max_col - ref.min_col + 1)
        for r, values in enumerate(grid, ref.min_row):
            for c, value in enumerate(values, ref.min_col):  # an empty cell's value shows 0
                self._values[(sheet, r, c)] = 0 if value is None else value

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
                ref = cell_range(cell.value.ref, sheet)
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
