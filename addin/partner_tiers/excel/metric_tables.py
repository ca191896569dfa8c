"""A table of partners headed by metric names: how a program of any shape gets its inputs.

A program that reads more than revenue and two counts of certified people (a services
revenue, a business plan, a monthly commitment...) takes its inputs as one range whose first
row names the metrics, one partner a row, in the first argument of the partner functions::

    =PARTNER_TIER(A1:D101, "example-two-paths")      A1:D1: revenue, services_revenue, ...

``PROGRAM_METRICS`` writes that header row. A header is matched with case, accents, spaces
and punctuation ignored, by the metric's name, its words or its aliases. One column may hold
the partners' names, headed Partner (Name, Nazwa, Kontrahent): its values are not read, but a
row with a name is a partner's, so an amount left empty there is told, never skipped. The answer has
the table's rows: its first cell names the answer ("Tier"), and each partner's answer
stands in its row, so that the formula fills the column beside the table.

>>> from partner_tiers.rules.programs import get_program
>>> sophos = get_program("sophos-2019")
>>> is_table([["Revenue"], [45000]], sophos), is_table([[45000]], sophos)
(True, False)
>>> table = read_table([["revenue"], [45000], [None], ["lots"]], sophos)
>>> table.rows, table.problems
([(4500000, 0, 0), None, None], {2: "#VALUE! revenue 'lots' is not a number"})
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from partner_tiers.excel import cells
from partner_tiers.excel.cells import CellError, Grid
from partner_tiers.rules.metrics import Exact, Metric, header_key
from partner_tiers.rules.program import Program
from partner_tiers.rules.tiers import Row, metric_levels

MAX_COLUMNS = 64
# The headers of a column of partners' names in a table (compared as header_key does).
PARTNER_HEADERS = frozenset(
    header_key(t) for t in ("partner", "partner name", "name", "nazwa", "kontrahent")
)
_NUMBER = re.compile(r"\s*[+-]?[\d\s.,\u00a0']*\d[\d\s.,\u00a0']*\s*\Z")  # text that is a number
WHOLE_LIMIT = 2.0**53  # whole floats below it are exact


def _header_index(program: Program) -> dict[str, Metric]:
    return {key: m for m in program.metrics for key in m.header_keys()}


def has_header(value: object) -> bool:
    """Whether ``value`` is a range of two rows or more whose first row is all text."""
    grid, depth = cells.as_grid(value)
    if depth < 2 or len(grid) < 2 or not grid[0]:
        return False
    return all(
        isinstance(v, str) and v.strip() and not v.startswith("#") and not _NUMBER.match(v)
        for v in grid[0]
    )


def is_table(value: object, program: Program) -> bool:
    """Whether ``value`` is a range whose first row is text naming a metric of ``program``."""
    if not has_header(value):
        return False
    index = _header_index(program)
    return any(header_key(v) in index for v in cells.as_grid(value)[0][0])


def told_in_rows(table: object, header: str, problem: Exception) -> Grid:
    """The answer column of a table that cannot be read: ``header``, then the problem in
    every row that is not blank."""
    told = cells.message(problem)
    grid = cells.as_grid(table)[0]
    return [[header]] + [
        [None if all(cells.is_blank(v) for v in row) else told] for row in grid[1:]
    ]


@dataclass(frozen=True)
class MetricTable:
    """The partners of a table: each row's values in the order of ``program.metrics`` (None
    for a blank row or a row with a problem) and each problem's message, by row."""

    program: Program
    rows: list[Row | None]
    problems: dict[int, str]


def read_table(grid: Grid, program: Program) -> MetricTable:
    """The partners of a table whose first row names metrics; :class:`CellError` when the
    header names something else, a metric twice, or lacks a metric the program reads."""
    header = grid[0]
    if len(header) > MAX_COLUMNS:
        raise CellError(f"the table has {len(header)} columns; at most {MAX_COLUMNS} metrics")
    index = _header_index(program)
    columns: dict[str, int] = {}
    named: int | None = None  # the column of the partners' names, if there is one
    for at, text in enumerate(header):
        metric = index.get(header_key(text)) if isinstance(text, str) else None
        partner = isinstance(text, str) and header_key(text) in PARTNER_HEADERS
        if metric is None and named is None and partner:
            named = at
            continue
        if metric is None:
            known = ", ".join(m.name for m in program.read_metrics())
            raise CellError(
                f"header {cells.describe(text)} names no metric of {program.id}; it reads {known}"
            )
        if metric.name in columns:
            raise CellError(f"two columns are headed {metric.name}")
        columns[metric.name] = at
    missing = [m.name for m in program.read_metrics() if m.name not in columns]
    if missing:
        raise CellError(
            f"{program.id} needs {', '.join(missing)}: add a column headed by each", "#N/A"
        )
    data = grid[1:]
    # A number is never blank: the usual cell, told apart without a call.
    blank = [
        all(v is None or (type(v) is not float and cells.is_blank(v)) for v in row) for row in data
    ]
    if named is not None:  # a name makes a row a partner's, blank metrics or not
        blank = [
            b or cells.is_blank(row[named] if named < len(row) else None)
            for b, row in zip(blank, data, strict=True)
        ]
    problems: dict[int, str] = {}
    read: list[list[Exact | None]] = []  # each metric's column, in the program's order
    for metric in program.metrics:
        where = columns.get(metric.name)
        if where is None:  # a metric no tier reads: 0 for everyone
            read.append([0] * len(data))
            continue
        cells_of = [row[where] if where < len(row) else None for row in data]
        column, told = _column(metric, cells_of)
        for r, message in told.items():
            problems.setdefault(r, message)
        read.append(column)
    rows: list[Row | None] = []
    for r, values in enumerate(zip(*read, strict=True)):  # revenue at least: never empty
        if blank[r] or r in problems:
            rows.append(None)
        elif None in values:
            empty = program.metrics[values.index(None)].name
            problems[r] = str(CellError(f"{empty} is empty in this row; type 0 if there is none"))
            rows.append(None)
        else:
            rows.append(values)  # holds no None: tested above
    for r in [r for r in problems if blank[r]]:
        del problems[r]
    return MetricTable(program, rows, problems)


def _column(metric: Metric, values: list[Any]) -> tuple[list[Exact | None], dict[int, str]]:
    """A metric's cells read a column at a time (amounts by cells.amounts, whose usual cell
    takes no Decimal), each bad cell's message by row. An empty count, role or yes/no is 0;
    an empty amount or growth stays None, for the row to say so."""
    if metric.is_money:
        cents, problems = cells.amounts(values, metric.name)
        return list(cents), problems
    column: list[Exact | None] = []
    problems = {}
    counted = metric.kind in ("certified", "count")
    for r, value in enumerate(values):
        if counted and type(value) is float and 0 <= value < WHOLE_LIMIT and value.is_integer():
            column.append(int(value))  # the usual cell, without a call
            continue
        try:
            read = cells.metric_value(metric, value)
        except Exception as exc:  # the row's own message; the other rows are answered
            problems[r] = cells.message(exc)
            read = None
        column.append(0 if read is None and metric.blank_is_zero else read)
    return column, problems


# What a function tells of each partner of a table, from the program, levels and rows.
TableAnswer = Callable[[Program, list[int | None], list[Row | None]], list[Any]]


# The levels of a table's partners, and the rows that hang on an unpublished threshold.
LevelsOf = Callable[[Program, list[Row | None]], tuple[list[int | None], dict[int, Any]]]


def answer_table(
    table: object,
    program: Program,
    header: str,
    answer: TableAnswer,
    levels_of: LevelsOf = metric_levels,
) -> Grid:
    """The answer column for a table: ``header``, then each partner's answer in its row;
    ``levels_of`` gives the levels the answer reads (default: the tier now)."""
    grid = cells.as_grid(table)[0]
    try:
        read = read_table(grid, program)
    except Exception as exc:  # the header is wrong: every row says why
        return told_in_rows(table, header, exc)
    levels, unpublished = levels_of(program, read.rows)
    answers = answer(program, levels, read.rows)
    for r, problem in unpublished.items():
        answers[r] = cells.message(problem)
    for r, message in read.problems.items():
        answers[r] = message
    return [[header]] + [[a] for a in answers]
