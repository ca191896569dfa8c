"""The Excel functions of partner-tiers (xlwings UDFs), category "Partner Tiers".

Each function is a thin adapter: it turns cell values into rule inputs (:mod:`.cells`),
asks :mod:`.rules`, and turns the answer back into a cell value. Data arguments take one
cell or a range and the result has the same shape, so one call serves a whole column.
A column is answered at once: its amounts of whole cents by the program's
:class:`~.rules.CentLadder` in integers, anything else cell by cell by the exact rules.
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

from partner_tiers.excel import cells
from partner_tiers.excel.cells import CellError
from partner_tiers.rules import programs
from partner_tiers.rules.explanations import (
    LANGUAGES,
    Frame,
    UnknownLanguage,
    explain,
    fill_frames,
    frame_for,
    phrases_for,
)
from partner_tiers.rules.tiers import (
    PROGRESS_STEPS,
    Assessment,
    CentLadder,
    Program,
    Projection,
    Tier,
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
    if isinstance(value, Program):  # already read, for a whole column
        return value
    try:
        if cells.is_blank(value) or isinstance(value, str):
            return programs.get_program(cells.text(value, name))
        # A number or a date is never a program id.
        raise programs.UnknownProgram(value, programs.program_ids())
    except programs.ProgramError as exc:
        raise CellError(str(exc)) from None


def _tier_level(program: Program, value: object, name: str) -> int | None:
    """The level of the tier a cell names; None for an empty cell."""
    tier = cells.text(value, name)
    if tier is None:
        return None
    try:
        return program.level(tier)
    except UnknownTier as exc:
        raise CellError(str(exc)) from None


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
        _program(program),
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


def _lane(
    in_cents: Callable[[list[int | None]], list[Any]] | None, exact: Callable[[object], Any]
) -> Callable[[list[Any]], list[Any]]:
    """The answers for a column of values: the whole-cent amounts all at once by ``in_cents``
    (None: the program has no whole-cent ladder), a blank as a blank, anything else one by
    one by ``exact``, guarded, so that a bad cell gets its message."""

    def answer(values: list[Any]) -> list[Any]:
        cents = cells.whole_cents(values) if in_cents else [None] * len(values)
        quick = in_cents(cents) if in_cents else cents
        return [
            q if c is not None else None if cells.is_blank(v) else cells.guarded(exact, v)
            for q, c, v in zip(quick, cents, values, strict=True)
        ]

    return answer


def _names(ladder: CentLadder, levels: list[int | None], above: int = 0) -> list[str | None]:
    """The name of the tier at each level (``above`` levels higher; "" above the top)."""
    names = [tier.name for tier in ladder.program.tiers[above:]] + [""] * above
    return [None if level is None else names[level] for level in levels]


@dataclass(frozen=True)
class _Answer:
    """What a function tells of each partner: from an assessment, or for a column of levels
    and revenues in whole cents from the program's ladder."""

    exact: Callable[[Assessment], Any]
    in_cents: Callable[[CentLadder, list[int | None], list[int | None]], list[Any]]


def _each_partner(
    answer: _Answer, revenue: object, program: object, certified_sales: object,
    certified_engineers: object,
) -> Any:  # fmt: skip
    """An answer for each partner of ranges of revenue, program and certifications."""

    def column(program, certified_sales, certified_engineers):
        chosen = _program(program)
        sales = cells.count(certified_sales, "certified_sales")
        engineers = cells.count(certified_engineers, "certified_engineers")
        ladder = chosen.in_cents

        def in_cents(cents):
            return answer.in_cents(ladder, ladder.levels(cents, sales, engineers), cents)

        def exact(revenue):
            return answer.exact(assess(chosen, cells.money(revenue, "revenue"), sales, engineers))

        return _lane(ladder and in_cents, exact)

    def cell(revenue, program, certified_sales, certified_engineers):
        return answer.exact(_assessment(revenue, program, certified_sales, certified_engineers))

    return cells.columnwise(column, cell, revenue, program, certified_sales, certified_engineers)


TIER = _Answer(lambda a: a.tier.name, lambda ladder, levels, cents: _names(ladder, levels))
NEXT = _Answer(
    lambda a: a.next_tier.name if a.next_tier else "",
    lambda ladder, levels, cents: _names(ladder, levels, above=1),
)
GAP = _Answer(
    lambda a: float(a.revenue_gap),
    lambda ladder, levels, cents: [
        None if gap is None else gap / 100 for gap in ladder.gaps(levels, cents)
    ],
)
PROGRESS = _Answer(
    lambda a: float(a.progress),
    lambda ladder, levels, cents: [
        None if steps is None else steps / PROGRESS_STEPS
        for steps in ladder.progress(levels, cents)
    ],
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
        return float(chosen.tiers[_tier_level(chosen, tier, "tier")].min_revenue)

    return cells.elementwise(threshold, tier, program, blank_if_first_blank=True)


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc=REVENUE, **CELLS)
@xw.arg(
    "from_program",
    doc="Program id of the earlier edition, e.g. sophos-pre-2019. Empty: the edition that "
    "to_program replaces (an empty result when it replaces none).",
    **CELLS,
)
@xw.arg("to_program", doc="Program id of the later edition, e.g. sophos-2019.", **CELLS)
@_never_raises
def TIER_CHANGE(revenue, from_program, to_program):
    """Levels a partner moves between two program editions at the same revenue: +1 up, -1 down."""

    def column(from_program, to_program):
        editions = _editions(from_program, to_program)
        if editions is None:
            return lambda values: [None] * len(values)
        old, new = editions
        before, after = old.in_cents, new.in_cents

        def in_cents(cents):
            return [
                None if a is None else b - a
                for a, b in zip(before.levels(cents), after.levels(cents), strict=True)
            ]

        exact = functools.partial(_tier_change, from_program=old, to_program=new)
        return _lane(before and after and in_cents, exact)

    return cells.columnwise(column, _tier_change, revenue, from_program, to_program)


def _editions(from_program: object, to_program: object) -> tuple[Program, Program] | None:
    """The two editions TIER_CHANGE compares; None when from_program is empty and to_program
    replaces no edition."""
    if not cells.is_blank(from_program):
        return _program(from_program, "from_program"), _program(to_program, "to_program")
    new = _program(to_program, "to_program")
    return None if new.replaces is None else (_program(new.replaces, "from_program"), new)


def _tier_change(revenue: object, from_program: object, to_program: object) -> int | None:
    editions = _editions(from_program, to_program)
    amount = cells.money(revenue, "revenue")
    return None if editions is None else tier_change(amount, *editions)


@dataclass(frozen=True)
class _ProjectionAnswer:
    """What a function tells of each partner's projection: from :func:`.rules.project`, or
    for a column of year-to-date revenues in whole cents from the program's ladder, called
    with (ladder, cents, quarters, sales, engineers, target level, current level)."""

    exact: Callable[[Projection], Any]
    in_cents: Callable[..., list[Any]]
    blank_without_current_tier: bool = False


def _quarters(value: object) -> int:
    quarters = cells.whole(value, "quarters_elapsed", 1, 4)
    if quarters is None:
        raise CellError("quarters_elapsed is empty; give 1, 2, 3 or 4")
    return quarters


def _projection_inputs(
    program: Program, quarters: int, certified_sales: object, certified_engineers: object,
    target_tier: object, current_tier: object,
) -> tuple[int, int | None, int | None, int | None, int | None]:  # fmt: skip
    """(quarters, sales, engineers, target level, current level), read tiers first."""
    target = _tier_level(program, target_tier, "target_tier")
    current = _tier_level(program, current_tier, "current_tier")
    sales = cells.count(certified_sales, "certified_sales")
    engineers = cells.count(certified_engineers, "certified_engineers")
    return quarters, sales, engineers, target, current


def _each_projection(
    answer: _ProjectionAnswer, ytd_revenue: object, quarters_elapsed: object, program: object,
    certified_sales: object = None, certified_engineers: object = None,
    target_tier: object = None, current_tier: object = None,
) -> Any:  # fmt: skip
    """An answer for each partner's projection. Problems are told in reading order: program,
    quarters, year-to-date revenue, tiers, certification counts."""

    def exact(chosen, ytd, quarters, sales, engineers, target, current):
        return answer.exact(project(
            chosen, cells.money(ytd, "ytd_revenue"), quarters,
            target_tier=None if target is None else chosen.tiers[target],
            current_tier=None if current is None else chosen.tiers[current],
            certified_sales=sales, certified_engineers=engineers,
        ))  # fmt: skip

    def column(quarters, program, certified_sales, certified_engineers, target, current):
        if answer.blank_without_current_tier and cells.is_blank(current):
            return lambda values: [None] * len(values)
        chosen, quarters = _program(program), _quarters(quarters)
        inputs = _projection_inputs(
            chosen, quarters, certified_sales, certified_engineers, target, current
        )
        ladder = chosen.in_cents
        return _lane(
            ladder and (lambda cents: answer.in_cents(ladder, cents, *inputs)),
            lambda ytd: exact(chosen, ytd, *inputs),
        )

    def cell(ytd, quarters, program, certified_sales, certified_engineers, target, current):
        if answer.blank_without_current_tier and cells.is_blank(current):
            return None
        chosen, quarters = _program(program), _quarters(quarters)
        cells.money(ytd, "ytd_revenue")  # a bad revenue is told before the tiers and counts
        inputs = _projection_inputs(
            chosen, quarters, certified_sales, certified_engineers, target, current
        )
        return exact(chosen, ytd, *inputs)

    return cells.columnwise(
        column, cell, ytd_revenue, quarters_elapsed, program, certified_sales,
        certified_engineers, target_tier, current_tier,
    )  # fmt: skip


def _no_quarter_left(target: Tier) -> str:
    return str(CellError(f"no quarter of the fiscal year remains to reach {target.name}", "#N/A"))


def _required_in_cents(ladder, cents, quarters, sales, engineers, target, current):
    tiers = ladder.program.tiers
    return [
        None if required is None
        else _no_quarter_left(tiers[required[0]]) if required[1] is None
        else required[1] / 100
        for required in ladder.required_per_quarter(cents, quarters, target, sales, engineers)
    ]  # fmt: skip


PROJECTED = _ProjectionAnswer(
    lambda p: p.projected_tier.name,
    lambda ladder, cents, quarters, sales, engineers, target, current: _names(
        ladder, ladder.projected_levels(cents, quarters, sales, engineers)
    ),
)
REQUIRED = _ProjectionAnswer(
    lambda p: (
        _no_quarter_left(p.target_tier)
        if p.required_per_quarter is None
        else float(p.required_per_quarter)
    ),
    _required_in_cents,
)
RISK = _ProjectionAnswer(
    lambda p: p.at_risk,
    lambda ladder, cents, quarters, sales, engineers, target, current: ladder.at_risk(
        cents, quarters, current
    ),
    blank_without_current_tier=True,
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
    return _each_projection(
        PROJECTED, ytd_revenue, quarters_elapsed, program, certified_sales, certified_engineers
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
    return _each_projection(
        REQUIRED, ytd_revenue, quarters_elapsed, program, target_tier=target_tier
    )


@xw.func(category=CATEGORY)
@_partner_arguments
@xw.arg("language", doc=LANGUAGE, **CELLS)
@_never_raises
def TIER_EXPLAIN(revenue, program=None, certified_sales=None, certified_engineers=None,
                 language=None):  # fmt: skip
    """One sentence: the partner's tier and what the next tier still needs, in English or Polish."""

    def column(program, certified_sales, certified_engineers, language):
        chosen = _program(program)
        sales = cells.count(certified_sales, "certified_sales")
        engineers = cells.count(certified_engineers, "certified_engineers")
        language = _language(language)
        ladder = chosen.in_cents

        def in_cents(cents):
            frames = [
                _frame(ladder, level, sales, engineers, language) for level in range(ladder.top + 1)
            ]
            levels = ladder.levels(cents, sales, engineers)
            return fill_frames(frames, levels, ladder.gaps(levels, cents), language)

        def exact(revenue):
            amount = cells.money(revenue, "revenue")
            return explain(assess(chosen, amount, sales, engineers), language)

        return _lane(ladder and in_cents, exact)

    def cell(revenue, program, certified_sales, certified_engineers, language):
        assessment = _assessment(revenue, program, certified_sales, certified_engineers)
        return explain(assessment, _language(language))

    return cells.columnwise(
        column, cell, revenue, program, certified_sales, certified_engineers, language
    )


def _frame(
    ladder: CentLadder, level: int, sales: int | None, engineers: int | None, language: str
) -> Frame:
    """The sentence of a partner at ``level``, waiting for its amount."""
    program, tiers = ladder.program, ladder.program.tiers
    next_tier = tiers[level + 1] if level < ladder.top else None
    missing = next_tier.missing_certifications(sales, engineers) if next_tier else (0, 0)
    next_name = None if next_tier is None else next_tier.name
    return frame_for(tiers[level].name, next_name, *missing, program.currency, language)


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

    return _each_projection(RISK, ytd_revenue, quarters_elapsed, program, current_tier=current_tier)


@xw.func(category=CATEGORY)
@_never_raises
def TIER_PROGRAMS():
    """Ids of the available programs, one per row (built-in and from PARTNER_TIERS_PROGRAMS)."""
    try:
        return cells.column(programs.program_ids())
    except programs.ProgramError as exc:
        return [[f"#VALUE! {exc}"]]


# The add-in's functions by name: what Excel calls, what the formula engine is handed.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: function
    for name, function in list(globals().items())
    if name.isupper() and callable(function) and hasattr(function, "__wrapped__")
}
