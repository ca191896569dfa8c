"""The Excel functions of partner-tiers (xlwings UDFs), category "Partner Tiers".

Each function is a thin adapter: it reads the cells (:mod:`.cells`), asks the rules
(:mod:`partner_tiers.rules.tiers`, :mod:`partner_tiers.rules.projection`) for a whole
column at once, and writes the answers back as cell values. Data arguments take one cell
or a range and the result has the same shape; one cell is a column of one. A blank revenue
gives a blank result; bad input gives a short message in the cell (``#VALUE! ...``), never
a traceback.

Optional arguments come last and always in the same order: ``program``, then
``certified_sales``, ``certified_engineers``. An empty program means the default program;
empty certification counts count as 0.

The functions are plain Python too:

>>> PARTNER_TIER(45000), NEXT_TIER(45000), GAP_TO_NEXT(45000)
('Silver', 'Gold', 15000.0)
>>> PARTNER_TIER([[9999.99], [10000], [None], ["abc"]])
[['Authorized'], ['Silver'], [None], ["#VALUE! revenue 'abc' is not a number"]]
>>> PARTNER_TIER(45000, "sophos-2020")
"#VALUE! unknown program 'sophos-2020'; known: eset-dach-2016, sophos-2019, sophos-pre-2019"

Parameters carry no type hints on purpose: xlwings turns a parameter's annotation into
a value converter, which would change what Excel hands over. Results need no ``xw.ret``:
with Excel's dynamic arrays a returned list of rows spills by itself (``expand=`` is
xlwings' workaround for Excel versions without them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from fractions import Fraction
from typing import Any, NamedTuple

import xlwings as xw

from partner_tiers import __version__
from partner_tiers.errors import PartnerTiersError
from partner_tiers.excel import cells, metric_tables
from partner_tiers.excel.cells import CellError
from partner_tiers.excel.certified import certification_table, partners_certified, partners_in_role
from partner_tiers.excel.metric_tables import LevelsOf, TableAnswer
from partner_tiers.rules import programs, projection, tiers
from partner_tiers.rules.certifications import role_key
from partner_tiers.rules.explanations import (
    Frame,
    at_risk_sentence,
    explain,
    fill_frames,
    frame_for,
    heading_below,
    points_up,
    requirement_words,
)
from partner_tiers.rules.lifecycle import lifecycle_of
from partner_tiers.rules.money import Cents, to_cents
from partner_tiers.rules.program import Program, Unpublished
from partner_tiers.texts import LANGUAGES, label, sentences_for
from partner_tiers.wording import shown

CATEGORY = "Partner Tiers"
# Ranges always arrive as rows of cells, and error cells as their text (#N/A, #DIV/0!...).
CELLS = {"ndim": 2, "err_to_str": True}

REVENUE = (
    "Revenue of the previous fiscal year, in the program currency. One cell or a column; "
    "an empty cell gives an empty result. Or a table whose first row names the metrics "
    "(PROGRAM_METRICS)."
)
PROGRAM = "Program id, e.g. sophos-2019. Empty: the default program. TIER_PROGRAMS() lists them."
CERTIFIED_SALES = "Number of certified sales people. Empty counts as 0."
CERTIFIED_ENGINEERS = "Number of certified engineers. Empty counts as 0."
YTD_REVENUE = "Revenue of this fiscal year so far, in the program currency."
# A projection's first argument: the revenue so far, or a table of this year's metrics.
YTD_OR_TABLE = (
    YTD_REVENUE + " Or a table of this year's metrics so far (PROGRAM_METRICS): its revenue "
    "runs on at the year's rate."
)
QUARTERS_ELAPSED = "Quarters of this fiscal year that the revenue covers: 1, 2, 3 or 4."
METRICS = (
    "Only with a table of metrics whose first row is values: the row of metric names that "
    "heads its columns (as PROGRAM_METRICS writes it). The answer then has no header row."
)
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
    if cells.is_blank(value) or isinstance(value, str):
        return programs.get_program(cells.text(value, name))
    # A number or a date is never a program id.
    raise programs.UnknownProgram(value, programs.program_ids())


def _tier_level(program: Program, value: object, name: str) -> int | None:
    """The level of the tier a cell names; None for an empty cell."""
    tier = cells.text(value, name)
    return None if tier is None else program.level(tier)


def _language(value: object) -> str:
    """The language a cell names; en for an empty cell."""
    lang = (cells.text(value, "language") or "en").lower()
    sentences_for(lang)  # an unknown language raises
    return lang


PARTNER_ARGUMENTS = (
    ("revenue", REVENUE),
    ("program", PROGRAM),
    ("certified_sales", CERTIFIED_SALES),
    ("certified_engineers", CERTIFIED_ENGINEERS),
    ("metrics", METRICS),
)


def _partner_arguments(function: Callable[..., Any]) -> Callable[..., Any]:
    """Declare revenue, program and the certification counts for the function wizard."""
    for name, doc in reversed(PARTNER_ARGUMENTS):
        function = xw.arg(name, doc=doc, **CELLS)(function)
    return function


Column = Callable[[list[Any]], list[Any]]  # a column of first-argument cells to answers


def _answering(rule: Callable[[list[Cents | None]], list[Any]], name: str = "revenue") -> Column:
    """The answers for a column of amounts: ``rule`` of their cents (None for a blank), and
    each bad cell's message."""

    def answer(values: list[Any]) -> list[Any]:
        cents, problems = cells.amounts(values, name)
        answers = rule(cents)
        for i, problem in problems.items():
            answers[i] = problem
        return answers

    return answer


def _telling(problem: PartnerTiersError, name: str = "revenue") -> Column:
    """The answers when an argument read after the amount is bad: each bad amount's own
    message, ``problem`` for every other amount."""
    told = cells.message(problem)
    return _answering(lambda cents: [None if c is None else told for c in cents], name)


def _counts(certified_sales: object, certified_engineers: object) -> tuple[int | None, int | None]:
    return (
        cells.count(certified_sales, "certified_sales"),
        cells.count(certified_engineers, "certified_engineers"),
    )


def _names(program: Program, levels: list[int | None], above: int = 0) -> list[str | None]:
    """The name of the tier at each level (``above`` levels higher; "" above the top)."""
    names = [tier.name for tier in program.tiers[above:]] + [""] * above
    return [None if level is None else names[level] for level in levels]


# What a partner function tells of each partner, from its program, levels and cents.
PartnerAnswer = Callable[[Program, list[int | None], list[Cents | None]], list[Any]]


def _each_partner(
    answer: PartnerAnswer,
    revenue: object,
    program: object,
    certified_sales: object,
    certified_engineers: object,
    table: tuple[str, TableAnswer] | None = None,
    metrics: object = None,
) -> Any:
    """An answer for each partner of ranges of revenue, program and certifications. Problems
    are told in reading order: program, revenue, certification counts. A table headed by
    metric names in place of the revenue (or with its names apart, in ``metrics``) is
    answered by ``table`` (see :mod:`.metric_tables`)."""
    if table is not None and not cells.is_blank(metrics):
        return _named_apart(table, revenue, program, certified_sales, certified_engineers, metrics)
    if table is not None:
        answered = _table_answer(table, revenue, program, certified_sales, certified_engineers)
        if answered is not None:
            return answered

    def column(program: object, certified_sales: object, certified_engineers: object) -> Column:
        chosen = _program(program)
        try:
            counts = _counts(certified_sales, certified_engineers)
        except PartnerTiersError as problem:
            return _telling(problem)

        def rule(cents: list[Cents | None]) -> list[Any]:
            if table is not None and not chosen.is_ladder:  # any shape: through its metrics
                rows = tiers.rows_of(chosen, cents, *counts)
                levels, unpublished = tiers.metric_levels(chosen, rows)
                answers = table[1](chosen, levels, rows)
                for i, problem in unpublished.items():  # what hangs on a threshold not published
                    answers[i] = cells.message(problem)
                return answers
            return answer(chosen, tiers.levels(chosen, cents, *counts), cents)

        return _answering(rule)

    return cells.columnwise(column, revenue, program, certified_sales, certified_engineers)


def _table_answer(
    table: tuple[str, TableAnswer],
    revenue: object,
    program: object,
    certified_sales: object,
    certified_engineers: object,
    levels_of: LevelsOf = tiers.metric_levels,
) -> Any:
    """The answer for a table of metrics, or None when ``revenue`` is no such table."""
    if not _headed_table(revenue, program):
        return None  # a program a row, no header row of text, or none naming its metrics
    header, answer = table
    chosen = _program(program)
    if not (cells.is_blank(certified_sales) and cells.is_blank(certified_engineers)):
        problem = CellError("with a table of metrics, give the certified people as its columns")
        return metric_tables.told_in_rows(revenue, header, problem)
    return metric_tables.answer_table(revenue, chosen, header, answer, levels_of)


def _named_apart(
    table: tuple[str, TableAnswer],
    values: object,
    program: object,
    certified_sales: object,
    certified_engineers: object,
    metrics: object,
    levels_of: LevelsOf = tiers.metric_levels,
) -> Any:
    """The answer for a table of metrics whose names are apart from its values: one answer
    a row of ``values``, without a header row (a workbook's own header stands above)."""
    header, answer = table
    names, grid = cells.as_grid(metrics)[0], cells.as_grid(values)[0]
    named = [names[0] if names else [], *grid]
    try:
        if len(names) != 1 or not all(metric_tables.has_header([[v], [0]]) for v in names[0]):
            raise CellError("metrics must be one row of metric names, as PROGRAM_METRICS writes")
        widths = {len(row) for row in grid}
        if widths != {len(names[0])}:
            raise CellError(f"metrics names {len(names[0])} columns; the values have {max(widths)}")
        if isinstance(program, list | tuple):
            raise CellError("a table of metrics takes one program, not a range of them")
        chosen = _program(program)
        if not (cells.is_blank(certified_sales) and cells.is_blank(certified_engineers)):
            raise CellError("with a table of metrics, give the certified people as its columns")
    except PartnerTiersError as problem:
        return metric_tables.told_in_rows(named, header, problem)[1:]
    return metric_tables.answer_table(named, chosen, header, answer, levels_of)[1:]


def _table_names(program: Program, levels: list[int | None], rows: list) -> list:
    return _names(program, levels)


def _table_next(program: Program, levels: list[int | None], rows: list) -> list:
    return _names(program, levels, above=1)


def _table_gaps(program: Program, levels: list[int | None], rows: list) -> list:
    """Revenue in currency units, or a score program's points rounded up to 0.01."""
    gaps = tiers.metric_gaps(program, levels, rows)
    if program.is_score:
        return [None if g is None else float(points_up(g)) for g in gaps]
    return [None if g is None else g / 100 for g in gaps]


def _table_progress(program: Program, levels: list[int | None], rows: list) -> list:
    return [
        None if steps is None else steps / tiers.PROGRESS_STEPS
        for steps in tiers.metric_progress(program, levels, rows)
    ]


def _tier_names(program: Program, levels: list[int | None], cents: list[Cents | None]) -> list:
    return _names(program, levels)


def _next_names(program: Program, levels: list[int | None], cents: list[Cents | None]) -> list:
    return _names(program, levels, above=1)


def _gaps(program: Program, levels: list[int | None], cents: list[Cents | None]) -> list:
    return [None if gap is None else gap / 100 for gap in tiers.gaps(program, levels, cents)]


def _progress(program: Program, levels: list[int | None], cents: list[Cents | None]) -> list:
    return [
        None if steps is None else steps / tiers.PROGRESS_STEPS
        for steps in tiers.progress(program, levels, cents)
    ]


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def PARTNER_TIER(
    revenue, program=None, certified_sales=None, certified_engineers=None, metrics=None
):
    """Tier the partner is in: the highest tier whose revenue and certification needs it meets."""
    return _each_partner(
        _tier_names,
        revenue,
        program,
        certified_sales,
        certified_engineers,
        ("Tier", _table_names),
        metrics,
    )


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def NEXT_TIER(revenue, program=None, certified_sales=None, certified_engineers=None, metrics=None):
    """Name of the tier above the partner's tier; empty text at the top tier."""
    return _each_partner(
        _next_names,
        revenue,
        program,
        certified_sales,
        certified_engineers,
        ("Next tier", _table_next),
        metrics,
    )


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def GAP_TO_NEXT(
    revenue, program=None, certified_sales=None, certified_engineers=None, metrics=None
):
    """Revenue still needed to reach the next tier, rounded up to the cent; 0 at the top tier."""
    return _each_partner(
        _gaps,
        revenue,
        program,
        certified_sales,
        certified_engineers,
        ("Gap to next tier", _table_gaps),
        metrics,
    )


@xw.func(category=CATEGORY)
@_partner_arguments
@_never_raises
def TIER_PROGRESS(
    revenue, program=None, certified_sales=None, certified_engineers=None, metrics=None
):
    """Progress from the tier's threshold to the next tier's, from 0 to 1; 1 at the top tier."""
    return _each_partner(
        _progress,
        revenue,
        program,
        certified_sales,
        certified_engineers,
        ("Progress", _table_progress),
        metrics,
    )


@xw.func(category=CATEGORY)
@xw.arg("tier", doc="Tier name, e.g. Gold (case does not matter).", **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@_never_raises
def TIER_THRESHOLD(tier, program=None):
    """Minimum revenue of a tier, in the program currency (thresholds are inclusive)."""

    def threshold(tier, program):
        chosen = _program(program)  # a ladder's threshold; else the least revenue that can do
        return float(Fraction(chosen.floor(_tier_level(chosen, tier, "tier"))) / 100)

    return cells.each_cell(threshold, tier, program, blank_if_first_blank=True)


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

    def column(from_program: object, to_program: object) -> Column:
        editions = _editions(from_program, to_program)
        if editions is None:
            return lambda values: [None] * len(values)
        return _answering(lambda cents: tiers.level_changes(*editions, cents))

    return cells.columnwise(column, revenue, from_program, to_program)


def _editions(from_program: object, to_program: object) -> tuple[Program, Program] | None:
    """The two editions TIER_CHANGE compares; None when from_program is empty and to_program
    replaces no edition."""
    if not cells.is_blank(from_program):
        return _program(from_program, "from_program"), _program(to_program, "to_program")
    new = _program(to_program, "to_program")
    return None if new.replaces is None else (_program(new.replaces, "from_program"), new)


def _quarters(value: object) -> int:
    quarters = cells.whole(value, "quarters_elapsed", 1, 4)
    if quarters is None:
        raise CellError("quarters_elapsed is empty; give 1, 2, 3 or 4")
    return quarters


class ProjectionInputs(NamedTuple):
    """What a projection function reads besides the year-to-date revenue."""

    program: Program
    quarters: int
    certified_sales: int | None
    certified_engineers: int | None
    target: int | None  # level of the target tier; None: the tier above the projected one
    current: int | None  # level of the current tier


# What a projection function tells of each partner, from its inputs and year-to-date cents.
ProjectionAnswer = Callable[[ProjectionInputs, list[Cents | None]], list[Any]]


def _each_projection(
    answer: ProjectionAnswer,
    ytd_revenue: object,
    quarters_elapsed: object,
    program: object,
    certified_sales: object = None,
    certified_engineers: object = None,
    target_tier: object = None,
    current_tier: object = None,
    blank_without_current_tier: bool = False,
) -> Any:
    """An answer for each partner's projection. Problems are told in reading order: program,
    quarters, year-to-date revenue, tiers, certification counts."""

    def column(
        quarters: object,
        program: object,
        sales: object,
        engineers: object,
        target: object,
        current: object,
    ) -> Column:
        if blank_without_current_tier and cells.is_blank(current):
            return lambda values: [None] * len(values)
        chosen, whole_quarters = _program(program), _quarters(quarters)
        try:
            inputs = ProjectionInputs(
                chosen,
                whole_quarters,
                *_counts_after_tiers(chosen, target, current, sales, engineers),
            )
        except PartnerTiersError as problem:
            return _telling(problem, "ytd_revenue")
        return _answering(lambda cents: answer(inputs, cents), "ytd_revenue")

    return cells.columnwise(
        column,
        ytd_revenue,
        quarters_elapsed,
        program,
        certified_sales,
        certified_engineers,
        target_tier,
        current_tier,
    )


def _counts_after_tiers(
    program: Program, target: object, current: object, sales: object, engineers: object
) -> tuple[int | None, int | None, int | None, int | None]:
    """(sales, engineers, target level, current level), the tiers read first."""
    target_level = _tier_level(program, target, "target_tier")
    current_level = _tier_level(program, current, "current_tier")
    return (*_counts(sales, engineers), target_level, current_level)


def _projected_names(inputs: ProjectionInputs, cents: list[Cents | None]) -> list[Any]:
    program, quarters, sales, engineers, _, _ = inputs
    return _names(program, projection.projected_levels(program, cents, quarters, sales, engineers))


def _required(inputs: ProjectionInputs, cents: list[Cents | None]) -> list[Any]:
    program, quarters, sales, engineers, target, _ = inputs
    required = projection.required_per_quarter(program, cents, quarters, target, sales, engineers)
    return [
        None
        if answer is None
        else _no_quarter_left(program.tiers[answer[0]].name)
        if answer[1] is None
        else answer[1] / 100
        for answer in required
    ]


def _projected_table(
    table: tuple[str, TableAnswer],
    values: object,
    quarters_elapsed: object,
    program: object,
    counts: tuple[object, object],
    metrics: object,
) -> Any:
    """The answer of a projection function for a table of this year's metric values so far
    (see :func:`partner_tiers.rules.projection.projected_metric_levels`): headed by their
    names, or with ``metrics`` naming them apart; None when ``values`` is no such table."""
    apart = not cells.is_blank(metrics)
    if not apart and not _headed_table(values, program):
        return None
    header = table[0]
    try:
        quarters = _quarters(_one_cell(quarters_elapsed, "quarters_elapsed"))
    except PartnerTiersError as problem:
        if apart:
            return [[None if _blank_row(row) else cells.message(problem)] for row in _rows(values)]
        return metric_tables.told_in_rows(values, header, problem)

    def levels_of(chosen: Program, rows: list) -> tuple[list[int | None], dict[int, Any]]:
        return projection.projected_metric_levels(chosen, rows, quarters)

    if apart:
        return _named_apart(table, values, program, *counts, metrics, levels_of)
    return _table_answer(table, values, program, *counts, levels_of)


def _risk_against(current: list[Any]) -> TableAnswer:
    """DEMOTION_RISK's answer for a table: each projected level below the level of the
    partner's current tier (its row of ``current``; blank where that is blank)."""

    def answer(program: Program, levels: list[int | None], rows: list) -> list[Any]:
        answers: list[Any] = []
        for i, level in enumerate(levels):
            tier = current[i] if i < len(current) else None
            if level is None or cells.is_blank(tier):
                answers.append(None)
                continue
            try:
                now = _tier_level(program, tier, "current_tier")
            except PartnerTiersError as problem:
                answers.append(cells.message(problem))
                continue
            answers.append(None if now is None else level < now)
        return answers

    return answer


def _headed_table(values: object, program: object) -> bool:
    """Whether ``values`` is a table headed by metrics of the one program ``program``."""
    if isinstance(program, list | tuple) or not metric_tables.has_header(values):
        return False
    try:
        return metric_tables.is_table(values, _program(program))
    except PartnerTiersError:
        return False  # every cell says so, as without a table


def _rows(value: object) -> list[list[Any]]:
    return [list(row) for row in cells.as_grid(value)[0]]


def _blank_row(row: list[Any]) -> bool:
    return all(cells.is_blank(v) for v in row)


def _at_risk(inputs: ProjectionInputs, cents: list[Cents | None]) -> list[Any]:
    assert inputs.current is not None  # DEMOTION_RISK answers blank without a current tier
    return projection.at_risk(inputs.program, cents, inputs.quarters, inputs.current)


def _no_quarter_left(target: str) -> str:
    return str(CellError(f"no quarter of the fiscal year remains to reach {target}", "#N/A"))


@xw.func(category=CATEGORY)
@xw.arg("ytd_revenue", doc=YTD_OR_TABLE + " An empty cell: an empty result.", **CELLS)
@xw.arg("quarters_elapsed", doc=QUARTERS_ELAPSED, **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@xw.arg("certified_sales", doc=CERTIFIED_SALES, **CELLS)
@xw.arg("certified_engineers", doc=CERTIFIED_ENGINEERS, **CELLS)
@xw.arg("metrics", doc=METRICS, **CELLS)
@_never_raises
def PROJECTED_TIER(
    ytd_revenue,
    quarters_elapsed,
    program=None,
    certified_sales=None,
    certified_engineers=None,
    metrics=None,
):
    """Tier the partner reaches if the rest of the fiscal year sells at the same rate as so far."""
    projected = _projected_table(
        ("Projected tier", _table_names),
        ytd_revenue,
        quarters_elapsed,
        program,
        (certified_sales, certified_engineers),
        metrics,
    )
    if projected is not None:
        return projected
    return _each_projection(
        _projected_names,
        ytd_revenue,
        quarters_elapsed,
        program,
        certified_sales,
        certified_engineers,
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
        _required, ytd_revenue, quarters_elapsed, program, target_tier=target_tier
    )


@xw.func(category=CATEGORY)
@_partner_arguments
@xw.arg("language", doc=LANGUAGE, **CELLS)
@xw.arg(
    "ytd_revenue",
    doc=YTD_REVENUE + " Given with quarters_elapsed: a partner whose year at this pace ends "
    "below its tier is told what keeping it takes.",
    **CELLS,
)
@xw.arg("quarters_elapsed", doc=QUARTERS_ELAPSED, **CELLS)
@xw.arg("metrics", doc=METRICS, **CELLS)
@_never_raises
def TIER_EXPLAIN(
    revenue,
    program=None,
    certified_sales=None,
    certified_engineers=None,
    language=None,
    ytd_revenue=None,
    quarters_elapsed=None,
    metrics=None,
):
    """One sentence on what decides the meeting: keeping the tier when at risk, else the gap to the next tier."""  # noqa: E501

    if not cells.is_blank(metrics) and not isinstance(language, list | tuple):
        heading = _heading_for(ytd_revenue, quarters_elapsed, program, metrics)
        explaining = (_explain_header(language), _explaining(_language(language), heading))
        return _named_apart(
            explaining, revenue, program, certified_sales, certified_engineers, metrics
        )
    if not isinstance(language, list | tuple) and metric_tables.has_header(revenue):
        explained = _table_answer(
            (_explain_header(language), _explaining(_language(language))),
            revenue,
            program,
            certified_sales,
            certified_engineers,
        )
        if explained is not None:
            return explained

    def column(
        program: object, certified_sales: object, certified_engineers: object, language: object
    ) -> Column:
        chosen = _program(program)
        try:
            sales, engineers = _counts(certified_sales, certified_engineers)
            lang = _language(language)
        except PartnerTiersError as problem:
            return _telling(problem)
        if not chosen.is_ladder:  # any shape: a sentence a partner, through its metrics

            def sentences(cents: list[Cents | None]) -> list[Any]:
                rows = tiers.rows_of(chosen, cents, sales, engineers)
                return _explaining(lang)(
                    chosen, tiers.levels(chosen, cents, sales, engineers), rows
                )

            return _answering(sentences)
        frames = [_frame(chosen, level, sales, engineers, lang) for level in range(chosen.top + 1)]

        def rule(cents: list[Cents | None]) -> list[Any]:
            levels = tiers.levels(chosen, cents, sales, engineers)
            return fill_frames(frames, levels, tiers.gaps(chosen, levels, cents), lang)

        return _answering(rule)

    sentences = cells.columnwise(
        column, revenue, program, certified_sales, certified_engineers, language
    )
    if cells.is_blank(ytd_revenue) and cells.is_blank(quarters_elapsed):
        return sentences
    return cells.each_cell(
        _at_risk_instead,
        sentences,
        revenue,
        program,
        certified_sales,
        certified_engineers,
        language,
        ytd_revenue,
        quarters_elapsed,
    )


def _explain_header(language: object) -> str:
    return label("explanation", _language(language))


def _explaining(language: str, heading: list[int | None] | None = None) -> TableAnswer:
    """TIER_EXPLAIN's sentence for each partner of a table (rules.explanations.explain); a
    partner whose ``heading`` level (the tier its year heads for) is below its tier is told
    that instead (rules.explanations.heading_below)."""

    def sentences(program: Program, levels: list[int | None], rows: list) -> list[Any]:
        names = [m.name for m in program.metrics]
        told: list[Any] = []
        for i, row in enumerate(rows):
            if row is None:
                told.append(None)
                continue
            a = tiers.assess_values(program, dict(zip(names, row, strict=True)))
            ahead = heading[i] if heading is not None and i < len(heading) else None
            if ahead is not None and ahead < a.level:
                told.append(heading_below(a, program.tiers[ahead].name, language))
            else:
                told.append(explain(a, language))
        return told

    return sentences


def _heading_for(
    year: object, quarters_elapsed: object, program: object, metrics: object
) -> list[int | None] | None:
    """The level each partner's year heads for, from a table of this year's values named
    by ``metrics`` (as PROJECTED_TIER reads it); None without one. A row it cannot read
    heads nowhere: its own cell in the projection says why."""
    if cells.is_blank(year) or cells.is_blank(quarters_elapsed):
        return None
    try:
        chosen = _program(program)
        quarters = _quarters(_one_cell(quarters_elapsed, "quarters_elapsed"))
        names = cells.as_grid(metrics)[0][:1]
        read = metric_tables.read_table([*names, *cells.as_grid(year)[0]], chosen)
    except PartnerTiersError:
        return None
    levels, unpublished = projection.projected_metric_levels(chosen, read.rows, quarters)
    return [None if i in unpublished else level for i, level in enumerate(levels)]


def _at_risk_instead(
    sentence: Any,
    revenue: object,
    program: object,
    sales: object,
    engineers: object,
    language: object,
    ytd_revenue: object,
    quarters_elapsed: object,
) -> Any:
    """A partner's sentence, or what keeping its tier takes when its year at this pace ends
    below it (the same sentence as rules.explanations.explain with the year so far)."""
    if not isinstance(sentence, str) or sentence.startswith("#"):
        return sentence  # blank, or the message of a problem already told
    ytd = cells.money(ytd_revenue, "ytd_revenue")
    if ytd is None:
        return sentence
    chosen, quarters = _program(program), _quarters(quarters_elapsed)
    revenue_read = cells.money(revenue, "revenue")
    assert revenue_read is not None  # the sentence says the revenue was read
    counts = _counts(sales, engineers)
    [level] = tiers.levels(chosen, [to_cents(revenue_read)], *counts)
    assert level is not None
    if not projection.at_risk(chosen, [to_cents(ytd)], quarters, level)[0]:
        return sentence  # most partners: the sentence stands, without a second assessment
    assessment = tiers.assess(chosen, revenue_read, *counts)
    risk = at_risk_sentence(assessment, ytd, quarters, _language(language))
    return sentence if risk is None else risk


def _frame(
    program: Program, level: int, sales: int | None, engineers: int | None, language: str
) -> Frame:
    """The sentence of a partner at ``level``, waiting for its amount."""
    next_tier = program.tiers[level + 1] if level < program.top else None
    missing = next_tier.missing_certifications(sales, engineers) if next_tier else (0, 0)
    next_name = None if next_tier is None else next_tier.name
    return frame_for(program.tiers[level].name, next_name, *missing, program.currency, language)


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
@xw.arg(
    "language",
    doc="Language of the header row: " + " or ".join(LANGUAGES) + ". Empty: en.",
    err_to_str=True,
)
@_never_raises
def TIER_TABLE(program=None, language=None):
    """The program's tiers and requirements as a table with a header row (it spills)."""
    try:
        chosen = _program(_one_cell(program, "program"))
        header = sentences_for(_language(_one_cell(language, "language"))).table_header
    except PartnerTiersError as exc:
        return [[cells.message(exc)]]
    lang = _language(_one_cell(language, "language"))
    rows = [
        [
            t.name,
            _floor_cell(chosen, level),
            chosen.currency,
            t.min_certified_sales,
            t.min_certified_engineers,
            None if t.discount is None else float(t.discount),
            t.benefits,
        ]
        for level, t in enumerate(chosen.tiers)
    ]
    if chosen.is_ladder:
        return [list(header), *rows]
    # Any other shape: its least revenue, and a column with the requirement in words.
    words = [requirement_words(t.requirement, chosen.currency, lang) for t in chosen.tiers]
    return [[*header, sentences_for(lang).requires]] + [
        [*row, text] for row, text in zip(rows, words, strict=True)
    ]


def _floor_cell(program: Program, level: int) -> float | str:
    """A tier's revenue threshold for TIER_TABLE; "unpublished" where the vendor keeps it."""
    try:
        return float(Fraction(program.floor(level)) / 100)
    except Unpublished:
        return "unpublished"


def _info_value(value: object) -> object:
    if value is None:
        return ""
    return value if isinstance(value, str | int) else str(value)


PROGRAM_FIELDS = (
    "id",
    "name",
    "vendor",
    "currency",
    "fiscal_year_start_month",
    "effective_from",
    "replaces",
    "grace_months",
    "basis",
    "source",
    "lifecycle",
    "unpublished",
)


@xw.func(category=CATEGORY)
@xw.arg("field", doc="What to tell: " + ", ".join(PROGRAM_FIELDS) + ".", **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@_never_raises
def PROGRAM_INFO(field, program=None):
    """One fact of a program's definition file, e.g. its currency or the edition it replaces."""

    def info(field, program):
        name = (cells.text(field, "field") or "").lower()
        if name not in PROGRAM_FIELDS:
            raise CellError(f"unknown field {shown(field)}; known: {', '.join(PROGRAM_FIELDS)}")
        chosen = _program(program)
        if name == "lifecycle":
            rule = lifecycle_of(chosen)
            grace = f" ({rule.grace_months} months)" if rule.grace_months else ""
            return f"upgrade {rule.upgrade}, downgrade {rule.downgrade}{grace}"
        if name == "fiscal_year_start_month" and chosen.fiscal_year_start_month is None:
            return "unpublished"
        if name == "unpublished":
            return "; ".join(chosen.unpublished)
        return _info_value(getattr(chosen, name))

    return cells.each_cell(info, field, program)


@xw.func(category=CATEGORY)
@xw.arg("ytd_revenue", doc=YTD_OR_TABLE + " An empty cell: an empty result.", **CELLS)
@xw.arg("quarters_elapsed", doc=QUARTERS_ELAPSED, **CELLS)
@xw.arg("current_tier", doc="The tier the partner is in now. Empty: an empty result.", **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@xw.arg("metrics", doc=METRICS, **CELLS)
@_never_raises
def DEMOTION_RISK(ytd_revenue, quarters_elapsed, current_tier, program=None, metrics=None):
    """TRUE when the year's revenue at the current rate falls below the current tier's threshold."""
    if not cells.is_blank(metrics) or metric_tables.has_header(ytd_revenue):
        current = [row[0] if row else None for row in _rows(current_tier)]
        if metric_tables.has_header(ytd_revenue) and cells.is_blank(metrics):
            current = current[1:] if len(current) == len(_rows(ytd_revenue)) else current
        at_risk = _projected_table(
            ("Demotion risk", _risk_against(current)),
            ytd_revenue,
            quarters_elapsed,
            program,
            (None, None),
            metrics,
        )
        if at_risk is not None:
            return at_risk

    return _each_projection(
        _at_risk,
        ytd_revenue,
        quarters_elapsed,
        program,
        current_tier=current_tier,
        blank_without_current_tier=True,
    )


@xw.func(category=CATEGORY)
@xw.arg("program", doc=PROGRAM, **CELLS)
@xw.arg(
    "described",
    doc="TRUE: a second row says what each metric is. Empty or FALSE: the names only.",
    **CELLS,
)
@_never_raises
def PROGRAM_METRICS(program=None, described=None):
    """The metrics a program reads, as one row: the header of a table the functions take."""
    chosen = _program(_one_cell(program, "program"))
    names = [m.name for m in chosen.read_metrics()]
    if cells.yes_no(_one_cell(described, "described"), "described"):
        return [names, [m.described() for m in chosen.read_metrics()]]
    return [names]


@xw.func(category=CATEGORY)
@_never_raises
def TIER_PROGRAMS():
    """Ids of the available programs, one per row (built-in, PARTNER_TIERS_PROGRAMS, PROGRAM_DEFINE)."""  # noqa: E501
    try:
        return cells.column(programs.program_ids())
    except PartnerTiersError as exc:
        return [[cells.message(exc)]]


def _definition_text(definition: object) -> str:
    """The TOML text of a range: one line per row, a row's text cells joined by a space (so
    that ``min_revenue =`` and ``10000`` side by side make one line). Blank cells are skipped;
    a number or an error value is refused, as a line of TOML is always text."""
    lines = []
    for r, row in enumerate(cells.as_grid(definition)[0], start=1):
        parts = []
        for c, value in enumerate(row, start=1):
            where = f"definition row {r}" + (f", column {c}" if len(row) > 1 else "")
            if not (cells.is_blank(value) or isinstance(value, str)):
                raise CellError(
                    f"{where} must be a line of text, not {shown(value)}, e.g. min_revenue = 10000"
                )
            part = cells.text(value, where)
            if part is not None:
                parts.append(part)
        lines.append(" ".join(parts))
    return "\n".join(lines)


@xw.func(category=CATEGORY)
@xw.arg(
    "definition",
    doc="The program written as in a definition file (TOML): one cell, or a range with one "
    "line per row.",
    **CELLS,
)
@_never_raises
def PROGRAM_DEFINE(definition):
    """Make a program written in the workbook usable by its id, the result: give this cell as the other functions' program."""  # noqa: E501
    try:
        return programs.define_program(_definition_text(definition)).id
    except PartnerTiersError as exc:
        return cells.message(exc)


CERTIFIED_COLUMNS = 5  # sales, engineers today; sales, engineers at the audit; lapsing


@xw.func(category=CATEGORY)
@xw.arg("partner", doc="The partners' names: a column, one partner a row.", **CELLS)
@xw.arg("tax_id", doc="Their tax ids, beside the names (a row's tax id decides).", **CELLS)
@xw.arg(
    "certified",
    doc="The people certified in the role typed for each partner, kept for one without rows.",
    **CELLS,
)
@xw.arg(
    "certifications",
    doc="The certifications: partner, tax id, person, role, certification and valid until, "
    "one per row.",
    **CELLS,
)
@xw.arg("role", doc="The program's role to count, e.g. architects (PROGRAM_METRICS).", **CELLS)
@xw.arg("day", doc="The day the certifications must be valid on, e.g. the audit day.", **CELLS)
@xw.arg("program", doc=PROGRAM, **CELLS)
@_never_raises
def CERTIFIED_IN_ROLE(partner, tax_id, certified, certifications, role, day, program=None):
    """People certified in one of the program's roles per partner, on a day: each person once."""
    names = [row[0] for row in cells.as_grid(partner)[0]]
    try:
        chosen = _program(program)
        wanted = cells.text(_one_cell(role, "role"), "role")
        roles = {m.role: m for m in chosen.metrics if m.kind == "certified" and m.role}
        if wanted not in roles:
            known = ", ".join(roles) or "none"
            raise CellError(f"role {shown(wanted)} is no role of {chosen.id}; its roles: {known}")
        found = partners_in_role(
            names,
            _partner_column(tax_id, "tax_id", len(names)),
            _partner_column(certified, "certified", len(names)),
            certification_table(cells.as_grid(certifications)[0], chosen),
            role_key(wanted),
            _one_cell(day, "day"),
        )
    except PartnerTiersError as problem:
        told = cells.message(problem)
        return [[None if cells.is_blank(n) else told] for n in names]
    return [[one] for one in found]


def _partner_column(value: object, name: str, rows: int) -> list[Any]:
    """A column beside the partners' names: as long as theirs, or one cell for all."""
    grid = cells.as_grid(value)[0]
    if len(grid) == 1 and len(grid[0]) == 1:
        return [grid[0][0]] * rows  # one cell for every partner
    if len(grid) != rows or any(len(r) != 1 for r in grid):
        raise CellError(f"{name} must be a column as long as partner ({rows} rows)")
    return [r[0] for r in grid]


@xw.func(category=CATEGORY)
@xw.arg("partner", doc="The partners' names: a column, one partner a row.", **CELLS)
@xw.arg("tax_id", doc="Their tax ids, beside the names (a row's tax id decides).", **CELLS)
@xw.arg(
    "certified_sales",
    doc="Certified sales people typed for each partner, kept for one without rows.",
    **CELLS,
)
@xw.arg(
    "certified_engineers",
    doc="Certified engineers typed for each partner, kept for one without rows.",
    **CELLS,
)
@xw.arg(
    "certifications",
    doc="The certifications: partner, tax id, person, role (Sales or Engineer), "
    "certification and valid until, one per row.",
    **CELLS,
)
@xw.arg("as_of", doc="The day of today's counts, e.g. the quarter's end.", **CELLS)
@xw.arg("audit_day", doc="The vendor's audit day, which sets next year's tier.", **CELLS)
@_never_raises
def CERTIFIED_PEOPLE(
    partner, tax_id, certified_sales, certified_engineers, certifications, as_of, audit_day
):
    """Certified people per partner: sales and engineers today, the same at the audit, and how many lapse between."""  # noqa: E501
    names = [row[0] for row in cells.as_grid(partner)[0]]

    def column(value: object, name: str) -> list[Any]:
        return _partner_column(value, name, len(names))

    try:
        found = partners_certified(
            names,
            column(tax_id, "tax_id"),
            column(certified_sales, "certified_sales"),
            column(certified_engineers, "certified_engineers"),
            cells.as_grid(certifications)[0],
            _one_cell(as_of, "as_of"),
            _one_cell(audit_day, "audit_day"),
        )
    except PartnerTiersError as problem:
        told = cells.message(problem)
        return [[None if cells.is_blank(n) else told] * CERTIFIED_COLUMNS for n in names]
    return [
        [None] * CERTIFIED_COLUMNS if one is None else [*one.now, *one.at_audit, len(one.lapsing)]
        for one in found
    ]


@xw.func(category=CATEGORY)
@_never_raises
def PARTNER_TIERS_VERSION():
    """The partner-tiers these functions are: in xlwings Lite, the version its main.py carries."""
    return __version__


# The add-in's functions by name: what Excel calls, what the formula engine is handed.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: function
    for name, function in list(globals().items())
    if name.isupper() and callable(function) and hasattr(function, "__wrapped__")
}

# What ``from partner_tiers.excel.udfs import *`` brings: the functions and nothing else
# (xlwings Lite's main.py, see partner_tiers.excel.lite).
__all__ = sorted(FUNCTIONS)
