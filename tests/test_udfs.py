"""The Excel functions: answers, messages in the cell, ranges, and fuzzing."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partner_tiers.excel import cells, udfs
from partner_tiers.rules.explanations import explain
from partner_tiers.rules.programs import get_program

from . import oracle
from .fixtures import VALID
from .strategies import nested_cells, scalar_cells

KNOWN = "known: eset-dach-2016, sophos-2019, sophos-pre-2019"
UNKNOWN_TIER = (
    "#VALUE! unknown tier 'Diamond' in sophos-2019; known: Authorized, Silver, Gold, Platinum"
)


def test_an_empty_from_program_is_the_edition_to_program_replaces():
    revenues = [[160_000], [65_000], [None], ["abc"]]
    explicit = udfs.TIER_CHANGE(revenues, "sophos-pre-2019", "sophos-2019")
    assert udfs.TIER_CHANGE(revenues, None, "sophos-2019") == explicit
    assert udfs.TIER_CHANGE(revenues, "", "sophos-2019") == explicit
    assert [row[0] for row in explicit[:3]] == [-1, 1, None]
    # sophos-pre-2019 replaces no edition: nothing to compare, an empty result.
    assert udfs.TIER_CHANGE(revenues, None, "sophos-pre-2019") == [[None]] * 4
    assert udfs.TIER_CHANGE(65_000, "", "sophos-pre-2019") is None


def test_one_example_per_function():
    assert udfs.PARTNER_TIER(45_000) == "Silver"
    assert udfs.PARTNER_TIER(45_000, "sophos-pre-2019") == "Silver"
    assert udfs.NEXT_TIER(45_000) == "Gold"
    assert udfs.NEXT_TIER(250_000) == ""
    assert udfs.GAP_TO_NEXT(45_000) == 15_000.0
    assert udfs.GAP_TO_NEXT(250_000) == 0.0
    assert udfs.TIER_PROGRESS(35_000) == 0.5
    assert udfs.TIER_PROGRESS(59_999.99) == 0.999  # never a rounded 100% below Gold
    assert udfs.TIER_THRESHOLD("gold") == 60_000.0
    assert udfs.TIER_THRESHOLD("Gold", "sophos-pre-2019") == 75_000.0
    assert udfs.TIER_CHANGE(65_000, "sophos-pre-2019", "sophos-2019") == 1
    assert udfs.TIER_CHANGE(160_000, "sophos-pre-2019", "sophos-2019") == -1
    assert udfs.PROJECTED_TIER(30_000, 2) == "Gold"
    assert udfs.REQUIRED_PER_QUARTER(30_000, 2) == 85_000.0  # Platinum in two quarters
    assert udfs.REQUIRED_PER_QUARTER(30_000, 2, None, "Gold") == 15_000.0
    assert udfs.TIER_EXPLAIN(60_000) == "Gold. Platinum needs 140,000.00 EUR more revenue."
    assert udfs.TIER_EXPLAIN(60_000, None, None, None, "PL").startswith("Gold. Do poziomu")
    assert udfs.TIER_PROGRAMS() == [["eset-dach-2016"], ["sophos-2019"], ["sophos-pre-2019"]]
    assert udfs.DEMOTION_RISK(4_999.99, 2, "Silver") is True  # 9,999.98 a year < 10,000
    assert udfs.DEMOTION_RISK(5_000, 2, "Silver") is False
    assert udfs.PROGRAM_INFO("replaces") == "sophos-pre-2019"
    assert udfs.PROGRAM_INFO("currency", "sophos-pre-2019") == "EUR"


def test_program_info_tells_each_field_of_the_definition():
    program = get_program()
    assert udfs.PROGRAM_INFO("fiscal_year_start_month") == program.fiscal_year_start_month == 4
    assert udfs.PROGRAM_INFO("effective_from") == "2019-07-01"
    assert udfs.PROGRAM_INFO("replaces", "sophos-pre-2019") == ""  # the first edition
    assert udfs.PROGRAM_INFO(" Name ") == program.name
    assert udfs.PROGRAM_INFO("colour").startswith("#VALUE! unknown field 'colour'; known: id,")
    assert udfs.PROGRAM_INFO([["id"], ["currency"]]) == [["sophos-2019"], ["EUR"]]


def test_demotion_risk_needs_a_current_tier_and_a_quarter():
    assert udfs.DEMOTION_RISK(1_000, 1, None) is None  # no tier yet, so nothing to lose
    assert udfs.DEMOTION_RISK(1_000, None, "Gold") == (
        "#VALUE! quarters_elapsed is empty; give 1, 2, 3 or 4"
    )
    assert udfs.DEMOTION_RISK(1_000, 1, "Diamond") == UNKNOWN_TIER
    assert udfs.DEMOTION_RISK([[14_999.99], [15_000], [None]], 1, "Gold") == [
        [True],
        [False],
        [None],
    ]


def test_tier_table_spills_the_program_definition():
    assert udfs.TIER_TABLE() == [
        [
            "Tier",
            "Min revenue",
            "Currency",
            "Certified sales",
            "Certified engineers",
            "Discount",
            "Benefits",
        ],
        ["Authorized", 0.0, "EUR", None, None, None, get_program().tiers[0].benefits],
        ["Silver", 10_000.0, "EUR", None, None, None, None],
        ["Gold", 60_000.0, "EUR", None, None, None, None],
        ["Platinum", 200_000.0, "EUR", None, None, None, None],
    ]
    assert udfs.TIER_TABLE([["sophos-pre-2019"]])[2][:2] == ["Silver", 25_000.0]
    assert udfs.TIER_TABLE("nope") == [[f"#VALUE! unknown program 'nope'; {KNOWN}"]]
    assert udfs.TIER_TABLE([["a", "b"]]) == [["#VALUE! program must be one cell, not a range"]]
    assert udfs.TIER_TABLE(None, "PL")[0][:2] == ["Poziom", "Minimalny obrót"]
    assert udfs.TIER_TABLE(None, "de") == [["#VALUE! unknown language 'de'; known: en, pl"]]


def test_user_programs_show_their_requirements(user_programs):
    (user_programs / "acme.toml").write_text(VALID, "utf-8")
    table = udfs.TIER_TABLE("acme-2025")
    assert table[2] == ["Select", 50_000.0, "USD", 1, None, 0.1, None]
    assert udfs.PARTNER_TIER(300_000, "acme-2025", 2, 2) == "Premier"
    assert udfs.PARTNER_TIER(300_000, "acme-2025", 2, None) == "Select"  # blank counts as 0
    assert udfs.TIER_PROGRAMS()[0] == ["acme-2025"]


def test_a_blank_revenue_gives_a_blank_result():
    for function in (
        udfs.PARTNER_TIER,
        udfs.NEXT_TIER,
        udfs.GAP_TO_NEXT,
        udfs.TIER_PROGRESS,
        udfs.TIER_EXPLAIN,
        udfs.TIER_THRESHOLD,
    ):
        assert function(None) is None
        assert function("  ") is None
    assert udfs.TIER_CHANGE(None, "sophos-2019", "sophos-pre-2019") is None
    assert udfs.PROJECTED_TIER(None, 2) is None
    assert udfs.REQUIRED_PER_QUARTER(None, "bad") is None


def test_float_noise_from_excel_arithmetic_never_costs_a_cent():
    typed = 1624.51 + 0.1 + 0.02  # Excel shows 1624.63; the float is 1624.6299999999999
    assert repr(typed) != "1624.63"
    assert udfs.GAP_TO_NEXT(typed) == 8375.37  # 10,000 - 1,624.63, not 8,375.38
    assert udfs.PARTNER_TIER(9999.99 + 0.01) == "Silver"


def test_numbers_stored_as_plain_text_are_accepted():
    assert udfs.PARTNER_TIER("12500") == "Silver"
    assert udfs.GAP_TO_NEXT(" 59999.99 ") == 0.01
    assert udfs.PROJECTED_TIER("30000", "2") == "Gold"


BAD = [
    (-5, "#VALUE! revenue is negative (-5); amounts must be 0 or more"),
    ("-5", "#VALUE! revenue is negative (-5); amounts must be 0 or more"),
    (
        "12,500",
        "#VALUE! revenue '12,500' is ambiguous text; type the number without "
        "separators, e.g. 12500.5",
    ),
    (
        "12 500,50",
        "#VALUE! revenue '12 500,50' is ambiguous text; type the number without "
        "separators, e.g. 12500.5",
    ),
    ("abc", "#VALUE! revenue 'abc' is not a number"),
    ("1e5", "#VALUE! revenue '1e5' is not a number"),
    (True, "#VALUE! revenue is TRUE, not a number"),
    (False, "#VALUE! revenue is FALSE, not a number"),
    ("#N/A", "#VALUE! revenue holds the error #N/A"),
    ("#DIV/0!", "#VALUE! revenue holds the error #DIV/0!"),
    (math.nan, "#VALUE! revenue is not a number (NaN)"),
    (math.inf, "#NUM! revenue is infinite"),
    (dt.datetime(2024, 3, 31), "#VALUE! revenue is a date or time, not a number"),
    ([[1, [2]]], None),  # checked below: a nested range in one cell
]


@pytest.mark.parametrize(("value", "message"), BAD[:-1])
def test_bad_revenue_gives_a_message_naming_the_problem(value, message):
    assert udfs.PARTNER_TIER(value) == message
    assert udfs.GAP_TO_NEXT(value) == message


def test_amounts_beyond_excel_are_refused_not_overflowed():
    assert udfs.PROJECTED_TIER(Decimal("1E+999999"), 1) == (
        "#NUM! ytd_revenue is larger than Excel can hold"
    )
    assert udfs.PARTNER_TIER("9" * 400) == "#NUM! revenue is larger than Excel can hold"
    assert udfs.PARTNER_TIER(10**400) == "#NUM! revenue is larger than Excel can hold"
    assert udfs.PARTNER_TIER(9.9e307) == "Platinum"


def test_a_nested_range_in_one_cell_is_refused():
    assert udfs.PARTNER_TIER([[1, [2]]]) == [
        ["Authorized", "#VALUE! revenue must be one cell here, not a nested range"]
    ]


def test_another_functions_message_is_passed_on_unchanged():
    message = udfs.PARTNER_TIER(100, "sophos-2020")
    assert message == f"#VALUE! unknown program 'sophos-2020'; {KNOWN}"
    assert udfs.GAP_TO_NEXT(message) == message
    assert udfs.TIER_THRESHOLD(udfs.PARTNER_TIER(-1)) == udfs.PARTNER_TIER(-1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: udfs.PARTNER_TIER(1, "sophos-2020"),
            f"#VALUE! unknown program 'sophos-2020'; {KNOWN}",
        ),
        (lambda: udfs.PARTNER_TIER(1, 2019), f"#VALUE! unknown program 2019; {KNOWN}"),
        (
            lambda: udfs.TIER_THRESHOLD("Diamond"),
            UNKNOWN_TIER,
        ),
        (lambda: udfs.TIER_THRESHOLD(7), "#VALUE! tier must be text, not 7"),
        (
            lambda: udfs.REQUIRED_PER_QUARTER(1, 2, None, "Diamond"),
            UNKNOWN_TIER,
        ),
        (
            lambda: udfs.PARTNER_TIER(1, None, 1.5),
            "#VALUE! certified_sales must be a whole number, not 1.5",
        ),
        (
            lambda: udfs.PARTNER_TIER(1, None, None, -2),
            "#VALUE! certified_engineers must be 0 or more, not -2",
        ),
        (lambda: udfs.PROJECTED_TIER(1, 5), "#VALUE! quarters_elapsed must be from 1 to 4, not 5"),
        (
            lambda: udfs.PROJECTED_TIER(1, None),
            "#VALUE! quarters_elapsed is empty; give 1, 2, 3 or 4",
        ),
        (
            lambda: udfs.REQUIRED_PER_QUARTER(50_000, 4),
            "#N/A no quarter of the fiscal year remains to reach Gold",
        ),
        (
            lambda: udfs.TIER_EXPLAIN(1, None, None, None, "de"),
            "#VALUE! unknown language 'de'; known: en, pl",
        ),
        (lambda: udfs.TIER_CHANGE(1, "x", "sophos-2019"), f"#VALUE! unknown program 'x'; {KNOWN}"),
    ],
)
def test_bad_arguments_give_a_message_with_the_valid_choices(call, message):
    assert call() == message


def test_a_broken_definition_file_shows_in_every_cell(user_programs):
    (user_programs / "acme.toml").write_text(VALID.replace('"USD"', '"EURO"'), "utf-8")
    expected = "#VALUE! acme.toml: currency: 'EURO' is not a known ISO 4217 currency code"
    assert udfs.PARTNER_TIER([[1], [2]]) == [[expected], [expected]]
    assert udfs.TIER_PROGRAMS() == [[expected]]
    assert udfs.TIER_TABLE() == [[expected]]


def test_a_column_gives_a_column_and_a_row_gives_a_row():
    column = [[0], [10_000], [None], ["x"]]
    assert udfs.PARTNER_TIER(column) == [
        ["Authorized"],
        ["Silver"],
        [None],
        ["#VALUE! revenue 'x' is not a number"],
    ]
    assert udfs.PARTNER_TIER([[0, 10_000]]) == [["Authorized", "Silver"]]
    assert udfs.PARTNER_TIER([0, 60_000]) == ["Authorized", "Gold"]  # a Python list stays 1-D


def test_ranges_broadcast_like_excel():
    programs_row = [["sophos-pre-2019", "sophos-2019"]]
    revenue_column = [[20_000], [70_000]]
    assert udfs.PARTNER_TIER(revenue_column, programs_row) == [
        ["Authorized", "Silver"],
        ["Silver", "Gold"],
    ]
    short = udfs.PARTNER_TIER([[1], [2], [3]], [["sophos-2019"], ["sophos-2019"]])
    assert short[:2] == [["Authorized"], ["Authorized"]]
    assert short[2][0].startswith("#N/A the ranges differ in size")


def test_one_call_gives_what_the_rules_say_for_every_partner():
    revenues = [Decimal(n) * 137 + Decimal("0.99") for n in range(0, 2000)]
    answers = udfs.PARTNER_TIER([[float(r)] for r in revenues])
    program = get_program()
    assert answers == [[oracle.assessment(program, r).tier.name] for r in revenues]


def _exact_answer(value, program, quarters, current_tier, sales=None, engineers=None):
    """Each column function's answer for one cell by the exact rules (Decimal), messages too."""
    if value is None:
        return (None,) * 9

    def told(answer, name="revenue"):
        try:
            return answer(cells.money(value, name))
        except cells.CellError as exc:
            return str(exc)

    def required(p):
        if p.required_per_quarter is None:
            return f"#N/A no quarter of the fiscal year remains to reach {p.target_tier.name}"
        return float(p.required_per_quarter)

    pre_2019 = get_program("sophos-pre-2019")
    assessed = functools.partial(oracle.assessment, program, sales=sales, engineers=engineers)
    current = None if current_tier is None else program.tier(current_tier)
    return (
        told(lambda r: assessed(r).tier.name),
        told(lambda r: getattr(assessed(r).next_tier, "name", "")),
        told(lambda r: float(assessed(r).revenue_gap)),
        told(lambda r: float(assessed(r).progress)),
        told(lambda r: explain(assessed(r), "pl")),
        told(lambda r: oracle.tier_change(r, pre_2019, program)),
        told(lambda r: oracle.projection(program, r, quarters).projected_tier.name, "ytd_revenue"),
        told(lambda r: required(oracle.projection(program, r, quarters)), "ytd_revenue"),
        told(lambda r: oracle.projection(program, r, quarters, current).at_risk, "ytd_revenue"),
    )


def _near(value: float) -> st.SearchStrategy[float]:
    """``value`` or a float up to three steps either side, as Excel's arithmetic leaves them."""

    def steps_away(steps: int) -> float:
        result = value
        for _ in range(abs(steps)):
            result = math.nextafter(result, math.copysign(math.inf, steps))
        return result

    return st.integers(-3, 3).map(steps_away)


whole_cents = st.integers(0, 10**12).map(lambda cents: cents / 100)
excel_amounts = st.one_of(
    whole_cents,
    whole_cents.flatmap(_near),
    st.sampled_from([10_000, 60_000, 200_000, 25_000, 75_000, 150_000]).map(float).flatmap(_near),
    st.lists(whole_cents, min_size=2, max_size=4).map(sum),  # a SUM leaves float noise
    st.floats(0, 1e16, allow_nan=False),
    st.integers(0, 10**16),
    st.sampled_from([None, "12500", "0.125", "abc", "#N/A", -0.01, 1e300, True, 12500.005]),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.lists(excel_amounts, min_size=1, max_size=30),
    st.sampled_from(["sophos-2019", "sophos-pre-2019"]),
    st.integers(1, 4),
    st.sampled_from(["Authorized", "Silver", "Gold", "Platinum"]),
)
def test_the_whole_cent_road_gives_what_the_exact_rules_give(column, program_id, quarters, tier):
    rows = [[value] for value in column]
    answers = zip(
        *(
            [cell for (cell,) in results]
            for results in (
                udfs.PARTNER_TIER(rows, program_id),
                udfs.NEXT_TIER(rows, program_id),
                udfs.GAP_TO_NEXT(rows, program_id),
                udfs.TIER_PROGRESS(rows, program_id),
                udfs.TIER_EXPLAIN(rows, program_id, None, None, "pl"),
                udfs.TIER_CHANGE(rows, "sophos-pre-2019", program_id),
                udfs.PROJECTED_TIER(rows, quarters, program_id),
                udfs.REQUIRED_PER_QUARTER(rows, quarters, program_id),
                udfs.DEMOTION_RISK(rows, quarters, tier, program_id),
            )
        ),
        strict=True,
    )
    program = get_program(program_id)
    assert list(answers) == [_exact_answer(v, program, quarters, tier) for v in column]


def test_certification_needs_give_the_same_answers_a_column_at_a_time(user_programs):
    """Boundary table of a program with certifications, counts in one cell or a column each."""
    (user_programs / "acme.toml").write_text(VALID, encoding="utf-8")
    program = get_program("acme-2025")
    revenues = [
        float(t.min_revenue + step)
        for t in program.tiers
        for step in (Decimal("-0.01"), 0)
        if t.min_revenue + step >= 0
    ] + [None, "x", 250_000.505]
    count_pairs = [(None, None), (1, 0), (2, 1), (2, 2), (3, 5)]
    rows = [[r] for r in revenues]
    for sales, engineers in count_pairs:
        assert udfs.PARTNER_TIER(rows, "acme-2025", sales, engineers) == [
            [_exact_answer(r, program, 1, None, sales, engineers)[0]] for r in revenues
        ]
        assert udfs.GAP_TO_NEXT(rows, "acme-2025", sales, engineers) == [
            [_exact_answer(r, program, 1, None, sales, engineers)[2]] for r in revenues
        ]
    # every revenue with every pair of counts, the counts as columns: one group per pair
    grid = [[r] for r in revenues for _ in count_pairs]
    sales_column = [[s] for _ in revenues for s, _ in count_pairs]
    engineers_column = [[e] for _ in revenues for _, e in count_pairs]
    expected = [
        [_exact_answer(r, program, 1, None, s, e)[4]] for r in revenues for s, e in count_pairs
    ]
    assert udfs.TIER_EXPLAIN(grid, "acme-2025", sales_column, engineers_column, "pl") == expected


@given(st.floats(0, 1e300) | st.floats(0, cells.CENTS_LIMIT, exclude_max=True))
def test_amounts_are_excels_own_reading_of_the_float(value):
    """Exact cents of the number Excel shows (15 significant digits), quick road or not."""
    [cents], problems = cells.amounts([value], "revenue")
    assert not problems
    assert Fraction(cents) / 100 == Fraction(cells.number(value, "revenue"))


@given(st.integers(0, cells.CENTS_LIMIT * 100 - 1))
def test_every_amount_of_whole_cents_is_read_as_an_integer(cents):
    [read], _ = cells.amounts([cents / 100], "revenue")
    assert type(read) is int and read == cents


cell_values = st.one_of(
    st.none(),
    st.integers(0, 300_000),
    st.floats(0, 300_000, allow_nan=False),
    st.sampled_from(["12500", "-1", "abc", "#N/A", "", True]),
)
program_cells = st.sampled_from([None, "sophos-pre-2019", "SOPHOS-2019", "nope", 5, "#REF!"])
count_cells = st.sampled_from([None, 0, 3, -1, 1.5, "x"])
quarter_cells = st.sampled_from([1, 2, 3, 4, 0, 5, None, "x"])
tier_cells = st.sampled_from([None, "Gold", "platinum ", "Diamond", 7, "#N/A"])
language_cells = st.sampled_from([None, "en", "PL", "de", 1])

# For each function: what its first argument may hold, then what each other argument may hold.
ARGUMENTS = {
    udfs.PARTNER_TIER: (cell_values, program_cells, count_cells, count_cells),
    udfs.NEXT_TIER: (cell_values, program_cells, count_cells, count_cells),
    udfs.GAP_TO_NEXT: (cell_values, program_cells, count_cells, count_cells),
    udfs.TIER_PROGRESS: (cell_values, program_cells, count_cells, count_cells),
    udfs.TIER_THRESHOLD: (tier_cells, program_cells),
    udfs.TIER_CHANGE: (cell_values, program_cells, program_cells),
    udfs.PROJECTED_TIER: (cell_values, quarter_cells, program_cells, count_cells, count_cells),
    udfs.REQUIRED_PER_QUARTER: (cell_values, quarter_cells, program_cells, tier_cells),
    udfs.TIER_EXPLAIN: (cell_values, program_cells, count_cells, count_cells, language_cells),
    udfs.DEMOTION_RISK: (cell_values, quarter_cells, tier_cells, program_cells),
    udfs.PROGRAM_INFO: (st.sampled_from([None, "id", "replaces", "x", 3]), program_cells),
}


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.sampled_from(list(ARGUMENTS)), st.integers(1, 5), st.integers(1, 4), st.data())
def test_the_range_form_equals_the_one_cell_form_cell_by_cell(function, rows, cols, data):
    """Any shape; each other argument is one cell or a range of the same shape. (A range
    whose first row names metrics is a table instead: see tests/test_program_shapes.py.)"""
    first, *others = ARGUMENTS[function]

    def grid(values):
        return [[data.draw(values) for _ in range(cols)] for _ in range(rows)]

    args = [grid(first)]
    for values in others:
        args.append(grid(values) if data.draw(st.booleans()) else data.draw(values))
    result = function(*args)
    assert [len(row) for row in result] == [cols] * rows
    for r in range(rows):
        for c in range(cols):
            one_cell = [a[r][c] if isinstance(a, list) else a for a in args]
            assert result[r][c] == function(*one_cell)


EXCEL_SCALARS = (str, float, int, type(None))


def _cells(result):
    if isinstance(result, list):
        for item in result:
            yield from _cells(item)
    else:
        yield result


ALL_FUNCTIONS = {
    udfs.PARTNER_TIER: 4,
    udfs.NEXT_TIER: 4,
    udfs.GAP_TO_NEXT: 4,
    udfs.TIER_PROGRESS: 4,
    udfs.TIER_THRESHOLD: 2,
    udfs.TIER_CHANGE: 3,
    udfs.PROJECTED_TIER: 5,
    udfs.REQUIRED_PER_QUARTER: 4,
    udfs.TIER_EXPLAIN: 5,
    udfs.TIER_TABLE: 2,
    udfs.DEMOTION_RISK: 4,
    udfs.PROGRAM_INFO: 2,
}


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(ALL_FUNCTIONS)), st.data())
def test_fuzzing_never_lets_an_exception_or_odd_value_out(function, data):
    arity = ALL_FUNCTIONS[function]
    args = [data.draw(st.one_of(scalar_cells, nested_cells)) for _ in range(arity)]
    result = function(*args)
    for cell in _cells(result):
        assert isinstance(cell, EXCEL_SCALARS), cell
        if isinstance(cell, float):
            assert math.isfinite(cell)
        if isinstance(cell, str):
            assert "unexpected problem" not in cell, (args, cell)
            assert "Traceback" not in cell


def test_a_cell_is_answered_by_its_own_arguments_not_by_a_neighbour_equal_in_python():
    """TRUE == 1 in Python: grouping cells by value alone let one answer for the other."""
    assert udfs.PARTNER_TIER([[45000], [45000]], None, [[True], [1]]) == [
        ["#VALUE! certified_sales is TRUE, not a number"],
        ["Silver"],
    ]
    assert udfs.PARTNER_TIER([[45000], [45000]], None, [[1], [True]]) == [
        ["Silver"],
        ["#VALUE! certified_sales is TRUE, not a number"],
    ]
    answers = udfs.PARTNER_TIER([[1], [1]], [[True], ["sophos-2019"]])
    assert answers[0][0].startswith("#VALUE! unknown program True;") and answers[1] == [
        "Authorized"
    ]


def test_an_amount_of_many_digits_is_assessed_exactly_not_rounded_up_to_the_next_tier():
    """Decimal's 28-digit context once made this 10,000 (progress 1.0 at Authorized)."""
    many = "9999.9999999999999999999999999"
    assert udfs.PARTNER_TIER(many) == "Authorized"
    assert udfs.TIER_PROGRESS(many) == 0.999
    assert udfs.GAP_TO_NEXT(many) == 0.01


def test_a_message_quotes_little_of_a_huge_input_and_stays_short():
    huge = "p" * 40_000
    for answer in (
        udfs.PARTNER_TIER(1, huge),
        udfs.TIER_THRESHOLD(huge),
        udfs.TIER_EXPLAIN(1, None, None, None, huge),
        udfs.PROGRAM_INFO(huge),
        udfs.PARTNER_TIER(huge),
    ):
        assert answer.startswith("#VALUE! ") and len(answer) <= 255, answer[:80]
    assert "(40,000 characters)" in udfs.PARTNER_TIER(1, huge)


@pytest.mark.parametrize("text", ["#N/A" * 5000, "#VALUE! " + "x" * 20000, "x" * 40000])
def test_every_answer_fits_a_cells_message_however_long_the_input(text):
    """A text that only begins like an error value was passed on whole (20,001 characters)."""
    from partner_tiers.formulas.addin import udf_arity

    fine = {"revenue": 45000, "ytd_revenue": 30000, "quarters_elapsed": 2, "current_tier": "Gold"}
    for name, function in udfs.FUNCTIONS.items():
        parameters = list(inspect.signature(inspect.unwrap(function)).parameters)
        _, total = udf_arity(function)
        for hostile in range(total):
            args = [text if i == hostile else fine.get(p) for i, p in enumerate(parameters)]
            answer = function(*args)
            cells = answer if isinstance(answer, list) else [answer]
            flat = [c for row in cells for c in (row if isinstance(row, list) else [row])]
            for cell in flat:
                assert not isinstance(cell, str) or len(cell) <= 255, (name, hostile, len(cell))
