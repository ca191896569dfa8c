"""The Excel functions of partner-tiers (xlwings UDFs), category "Partner Tiers".

Each function is a thin adapter: it turns cell values into rule inputs (:mod:`.cells`),
asks :mod:`.rules`, and turns the answer back into a cell value. Data arguments take one
cell or a range and the result has the same shape, so one call serves a whole column.
A blank revenue gives a blank result; bad input gives a short message in the cell
(``#VALUE! ...``), never a traceback.

Optional arguments come last and always in the same order: ``program``, then
``certified_sales``, ``certified_engineers``. An empty program means the default program;
empty certification counts count as 0.

The functions are plain Python too:

>>> PARTNER_TIER(45000), NEXT_TIER(45000), GAP_TO_NEXT(45000)
('Silver', 'Gold', 15000.0)
>>> PARTNER_TIER([[9999.99], [10000], [None], ["abc"]])
[['Authorized'], ['Silver'], [None], ["#VALUE! revenue 'abc' is not a number"]]
>>> PARTNER_TIER(45000, "sophos-2020")
"#VALUE! unknown program 'sophos-2020'; known: sophos-2019, sophos-pre-2019"

Parameters carry no type hints on purpose: xlwings turns a parameter's annotation into
a value converter, which would change what Excel hands over. Results need no ``xw.ret``:
with Excel's dynamic arrays a returned list of rows spills by itself (``expand=`` is
xlwings' workaround for Excel versions without them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import xlwings as xw

from . import cells, programs
from .cells import CellError
from .explanations import LANGUAGES, UnknownLanguage, explain, phrases_for
from .rules import (
    PROGRESS_STEPS,
    Assessment,
    CentLadder,
    Program,
    UnknownTier,
    assess,
    project,
    tier_change,
)

CATEGORY = "Partner Tiers"
# Ranges always arrive as rows of cells, and error cells as their text (#N/A, #DIV/0!...).
CELLS = {"ndim": 2, "err_to_str": True}

REVENUE = (
    "Revenue of the previous fiscal year, in the program currency. One cell or a column; "
    "an empty cell gives an empty result."
)
PROGRAM = "Program id, e.g. sophos-2019. Empty: the default program. TIER_PROGRAMS() lists them."
CERTIFIED_SALES = "Number of certified sales people. Empty counts as 0."
CERTIFIED_ENGINEERS = "Number of certified engineers. Empty counts as 0."
YTD_REVENUE = "Revenue of this fiscal year so far, in the program currency."
QUARTERS_ELAPSED = "Quarters of this fiscal year that the revenue covers: 1, 2, 3 or 4."
LANGUAGE = f"Language of the sentence: {' or '.join(LANGUAGES)}. Empty: en."


def _never_raises(function: Callable[..., Any]) -> Callable[..., Any]:
    """Whatever happens inside, Excel gets a value, never a Python traceback."""

    @functools.wraps(function)
    def wrapper(*args):  # no type hints: see the module docstring
        return cells.guarded(function, *args)

    return wrapper


def _program(value: object, name: str = "program") -> Program:
    """The program a cell names; the default one for an empty cell."""
    try:
        if cells.is_blank(value) or isinstance(value, str):
            return programs.get_program(cells.text(value, name))
        # A number or a date is never a program id.
        raise programs.UnknownProgram(value, programs.program_ids())
    except programs.ProgramError as exc:
        raise CellError(str(exc)) from None


def _tier_name(program: Program, value: object, name: str) -> str | None:
    tier = cells.text(value, name)
    if tier is not None:
        try:
            program.tier(tier)
        except UnknownTier as exc:
            raise CellError(str(exc)) from None
    return tier


def _language(value: object) -> str:
    """The language a cell names; en for an empty cell."""
    lang = (cells.text(value, "language") or "en").lower()
    try:
        phrases_for(lang)
    except UnknownLanguage as exc:
        raise CellError(str(exc)) from None
    return lang


def _assessment(revenue, program, certified_sales, certified_engineers) -> Assessment:
    return assess(
        program if isinstance(program, Program) else _program(program),
        cells.money(revenue, "revenue"),
        cells.count(certified_sales, "certified_sales"),
        cells.count(certified_engineers, "certified_engineers"),
    )


PARTNER_ARGUMENTS = (
    ("revenue", REVENUE),
    ("program", PROGRAM),
    ("certified_sales", CERTIFIED_SALES),
    ("certified_engineers", CERTIFIED_ENGINEERS),
)


def _partner_arguments(function: Callable[..., Any]) -> Callable[..., Any]:
    """Declare revenue, program and the certification counts for the function wizard."""
    for name, doc in reversed(PARTNER_ARGUMENTS):
        function = xw.arg(name, doc=doc, **CELLS)(function)
    return function


@dataclass(frozen=True)
class _Answer:
    """What a function tells of a partner, from an assessment or from a whole-cent level."""

    exact: Callable[[Assessment], Any]
    in_cents: Callable[[CentLadder, int, int], Any]  # (ladder, level, revenue in cents)


def _each_partner(
    answer: _Answer, revenue: object, program: object, certified_sales: object,
    certified_engineers: object,
) -> Any:  # fmt: skip
    """An answer for each partner of ranges of revenue, program and certifications.

    A program cell is looked up once per call, not once per cell; with one program and one
    pair of certification counts for the whole range (the common call), they are read once.
    """
    if not any(
        isinstance(v, list | tuple) for v in (program, certified_sales, certified_engineers)
    ):
        try:
            chosen = _program(program)
            sales = cells.count(certified_sales, "certified_sales")
            engineers = cells.count(certified_engineers, "certified_engineers")
        except CellError:
            pass  # the general road below tells each cell, in the order it reads them
        else:
            return cells.map_cells(_column_answer(answer, chosen, sales, engineers), revenue)

    chosen_for: dict[object, Program | str] = {}

    def one(revenue, program, certified_sales, certified_engineers):
        try:
            found = chosen_for[program]
        except KeyError:
            found = chosen_for[program] = _program_or_message(program)
        except TypeError:  # unhashable: a nested range, which _program turns down
            found = _program_or_message(program)
        if isinstance(found, str):
            return found
        return _partner_answer(answer, found, certified_sales, certified_engineers, revenue)

    return cells.elementwise(
        one, revenue, program, certified_sales, certified_engineers, blank_if_first_blank=True
    )


def _column_answer(
    answer: _Answer, program: Program, sales: int | None, engineers: int | None
) -> Callable[[object], Any]:
    """The answer for one revenue cell of a column with one program and one pair of counts.

    This is the loop of a recalculation, so the common cell (whole cents) is answered first
    and in as few calls as Python allows; everything else takes the guarded exact road.
    """
    ladder = program.in_cents
    exact = functools.partial(_partner_answer, answer, program, sales, engineers)

    def one(revenue: object) -> Any:
        cents = cells.whole_cents(revenue)
        if cents is not None and ladder is not None:
            return answer.in_cents(ladder, ladder.level(cents, sales, engineers), cents)
        return None if cells.is_blank(revenue) else cells.guarded(exact, revenue)

    return one


def _partner_answer(
    answer: _Answer, program: Program, certified_sales: object, certified_engineers: object,
    revenue: object,
) -> Any:  # fmt: skip
    """A plain amount of whole cents takes the program's :class:`~.rules.CentLadder`; any
    other value is assessed exactly. Problems are told in reading order, revenue first."""
    ladder, cents = program.in_cents, cells.whole_cents(revenue)
    if ladder is None or cents is None:
        return answer.exact(_assessment(revenue, program, certified_sales, certified_engineers))
    sales = cells.count(certified_sales, "certified_sales")
    engineers = cells.count(certified_engineers, "certified_engineers")
    return answer.in_cents(ladder, ladder.level(cents, sales, engineers), cents)


def _program_or_message(value: object) -> Program | str:
    try:
        return _program(value)
    except CellError as exc:
        return str(exc)


TIER = _Answer(
    lambda a: a.tier.name,
    lambda ladder, level, cents: ladder.program.tiers[level].name,
)
NEXT = _Answer(
    lambda a: a.next_tier.name if a.next_tier else "",
    lambda ladder, level, cents: (
        "" if level == ladder.top else ladder.program.tiers[level + 1].name
    ),
)
GAP = _Answer(
    lambda a: float(a.revenue_gap),
    lambda ladder, level, cents: ladder.gap(level, cents) / 100,
)
PROGRESS = _Answer(
    lambda a: float(a.progress),
    lambda ladder, level, cents: ladder.progress(level, cents) / PROGRESS_STEPS,
)


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def PARTNER_TIER(revenue, program=None, certified_sales=None, certified_engineers=None):
    """Tier the partner is in: the highest tier whose revenue and certification needs it meets."""
    return _each_partner(TIER, revenue, program, certified_sales, certified_engineers)


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def NEXT_TIER(revenue, program=None, certified_sales=None, certified_engineers=None):
    """Name of the tier above the partner's tier; empty text at the top tier."""
    return _each_partner(NEXT, revenue, program, certified_sales, certified_engineers)


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def GAP_TO_NEXT(revenue, program=None, certified_sales=None, certified_engineers=None):
    """Revenue still needed to reach the next tier, rounded up to the cent; 0 at the top tier."""
    return _each_partner(GAP, revenue, program, certified_sales, certified_engineers)


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def TIER_PROGRESS(revenue, program=None, certified_sales=None, certified_engineers=None):
    """Progress from the tier's threshold to the next tier's, from 0 to 1; 1 at the top tier."""
    return _each_partner(PROGRESS, revenue, program, certified_sales, certified_engineers)


@xw.func(category=CATEGORY)
@xw.arg("tier", doc="Tier name, e.g. Gold (case does not matter).", **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@_never_raises
def TIER_THRESHOLD(tier, program=None):
    """Minimum revenue of a tier, in the program currency (thresholds are inclusive)."""

    def threshold(tier, program):
        chosen = _program(program)
        return float(chosen.tier(_tier_name(chosen, tier, "tier")).min_revenue)

    return cells.elementwise(threshold, tier, program, blank_if_first_blank=True)


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc=REVENUE, **CELLS)
@xw.arg("from_program", doc="Program id of the earlier edition, e.g. sophos-pre-2019.", **CELLS)
@xw.arg("to_program", doc="Program id of the later edition, e.g. sophos-2019.", **CELLS)
@_never_raises
def TIER_CHANGE(revenue, from_program, to_program):
    """Levels a partner moves between two program editions at the same revenue: +1 up, -1 down."""

    def change(revenue, from_program, to_program):
        return tier_change(
            cells.money(revenue, "revenue"),
            _program(from_program, "from_program"),
            _program(to_program, "to_program"),
        )

    return cells.elementwise(change, revenue, from_program, to_program, blank_if_first_blank=True)


def _projection(ytd_revenue, quarters_elapsed, program, certified_sales=None,
                certified_engineers=None, target_tier=None, current_tier=None):  # fmt: skip
    chosen = _program(program)
    quarters = cells.whole(quarters_elapsed, "quarters_elapsed", 1, 4)
    if quarters is None:
        raise CellError("quarters_elapsed is empty; give 1, 2, 3 or 4")
    return project(
        chosen,
        cells.money(ytd_revenue, "ytd_revenue"),
        quarters,
        target_tier=_tier_name(chosen, target_tier, "target_tier"),
        current_tier=_tier_name(chosen, current_tier, "current_tier"),
        certified_sales=cells.count(certified_sales, "certified_sales"),
        certified_engineers=cells.count(certified_engineers, "certified_engineers"),
    )


@xw.func(category=CATEGORY)
@xw.arg("ytd_revenue", doc=YTD_REVENUE + " An empty cell gives an empty result.", **CELLS)
@xw.arg("quarters_elapsed", doc=QUARTERS_ELAPSED, **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@xw.arg("certified_sales", doc=CERTIFIED_SALES, **CELLS)
@xw.arg("certified_engineers", doc=CERTIFIED_ENGINEERS, **CELLS)
@_never_raises
def PROJECTED_TIER(ytd_revenue, quarters_elapsed, program=None, certified_sales=None,
                   certified_engineers=None):  # fmt: skip
    """Tier the partner reaches if the rest of the fiscal year sells at the same rate as so far."""
    return cells.elementwise(
        lambda *v: _projection(*v).projected_tier.name,
        ytd_revenue,
        quarters_elapsed,
        program,
        certified_sales,
        certified_engineers,
        blank_if_first_blank=True,
    )


@xw.func(category=CATEGORY)
@xw.arg("ytd_revenue", doc=YTD_REVENUE + " An empty cell gives an empty result.", **CELLS)
@xw.arg("quarters_elapsed", doc=QUARTERS_ELAPSED, **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@xw.arg(
    "target_tier",
    doc="Tier to reach. Empty: the tier above the projected one (the top tier at the top).",
    **CELLS,
)
@_never_raises
def REQUIRED_PER_QUARTER(ytd_revenue, quarters_elapsed, program=None, target_tier=None):
    """Revenue each remaining quarter of the fiscal year must bring to reach the target tier."""

    def required(ytd_revenue, quarters_elapsed, program, target_tier):
        p = _projection(ytd_revenue, quarters_elapsed, program, target_tier=target_tier)
        if p.required_per_quarter is None:
            raise CellError(
                f"no quarter of the fiscal year remains to reach {p.target_tier.name}", "#N/A"
            )
        return float(p.required_per_quarter)

    return cells.elementwise(
        required, ytd_revenue, quarters_elapsed, program, target_tier, blank_if_first_blank=True
    )


@xw.func(category=CATEGORY)
@_partner_arguments
@xw.arg("language", doc=LANGUAGE, **CELLS)
@_never_raises
def TIER_EXPLAIN(revenue, program=None, certified_sales=None, certified_engineers=None,
                 language=None):  # fmt: skip
    """One sentence: the partner's tier and what the next tier still needs, in English or Polish."""

    def sentence(revenue, program, certified_sales, certified_engineers, language):
        assessment = _assessment(revenue, program, certified_sales, certified_engineers)
        return explain(assessment, _language(language))

    return cells.elementwise(
        sentence,
        revenue,
        program,
        certified_sales,
        certified_engineers,
        language,
        blank_if_first_blank=True,
    )


def _one_cell(value: object, name: str) -> object:
    """The value of an argument that must be one cell, not a range."""
    if isinstance(value, list | tuple):
        grid = cells.as_grid(value)[0]
        if len(grid) != 1 or len(grid[0]) != 1:
            raise CellError(f"{name} must be one cell, not a range")
        return grid[0][0]
    return value


@xw.func(category=CATEGORY)
@xw.arg("program", doc=PROGRAM, err_to_str=True)
@xw.arg("language", doc="Language of the header row: " + " or ".join(LANGUAGES) + ". Empty: en.",
        err_to_str=True)  # fmt: skip
@_never_raises
def TIER_TABLE(program=None, language=None):
    """The program's tiers and requirements as a table with a header row (it spills)."""
    try:
        chosen = _program(_one_cell(program, "program"))
        header = phrases_for(_language(_one_cell(language, "language"))).table_header
    except CellError as exc:
        return [[str(exc)]]
    rows = [
        [
            t.name,
            float(t.min_revenue),
            chosen.currency,
            t.min_certified_sales,
            t.min_certified_engineers,
            None if t.discount is None else float(t.discount),
            t.benefits,
        ]
        for t in chosen.tiers
    ]
    return [list(header), *rows]


def _info_value(value: object) -> object:
    if value is None:
        return ""
    return value if isinstance(value, str | int) else str(value)


PROGRAM_FIELDS = (
    "id", "name", "vendor", "currency", "fiscal_year_start_month", "effective_from", "replaces",
    "grace_months", "basis", "source",
)  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg("field", doc="What to tell: " + ", ".join(PROGRAM_FIELDS) + ".", **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@_never_raises
def PROGRAM_INFO(field, program=None):
    """One fact of a program's definition file, e.g. its currency or the edition it replaces."""

    def info(field, program):
        name = (cells.text(field, "field") or "").lower()
        if name not in PROGRAM_FIELDS:
            raise CellError(f"unknown field {field!r}; known: {', '.join(PROGRAM_FIELDS)}")
        return _info_value(getattr(_program(program), name))

    return cells.elementwise(info, field, program)


@xw.func(category=CATEGORY)
@xw.arg("ytd_revenue", doc=YTD_REVENUE + " An empty cell gives an empty result.", **CELLS)
@xw.arg("quarters_elapsed", doc=QUARTERS_ELAPSED, **CELLS)
@xw.arg("current_tier", doc="The tier the partner is in now. Empty: an empty result.", **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@_never_raises
def DEMOTION_RISK(ytd_revenue, quarters_elapsed, current_tier, program=None):
    """TRUE when the year's revenue at the current rate falls below the current tier's threshold."""

    def risk(ytd_revenue, quarters_elapsed, current_tier, program):
        if cells.is_blank(current_tier):
            return None
        projection = _projection(ytd_revenue, quarters_elapsed, program, current_tier=current_tier)
        return projection.at_risk

    return cells.elementwise(
        risk, ytd_revenue, quarters_elapsed, current_tier, program, blank_if_first_blank=True
    )


@xw.func(category=CATEGORY)
@_never_raises
def TIER_PROGRAMS():
    """Ids of the available programs, one per row (built-in and from PARTNER_TIERS_PROGRAMS)."""
    try:
        return cells.column(programs.program_ids())
    except programs.ProgramError as exc:
        return [[f"#VALUE! {exc}"]]
