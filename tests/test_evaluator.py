"""The formula evaluator: Excel's semantics for the subset the templates use."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from partner_tiers.excel import udfs
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files.output import save_workbook
from partner_tiers.formulas.functions import NATIVE_FUNCTIONS
from partner_tiers.formulas.values import DIV0, NA, NUM, REF, VALUE, CircularReference, Unsupported
from partner_tiers.formulas.workbook import NO_VALUE, Evaluator
from partner_tiers.review.snapshot import write_snapshot

from .fixtures import function_calls


def sheet(**cells: object) -> Workbook:
    """A workbook whose sheet "S" holds the given cells; A1..A5 hold 1, 2, "x", blank, 5."""
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for address, value in {"A1": 1, "A2": 2, "A3": "x", "A5": 5, **cells}.items():
        ws[address] = value
    return wb


def compute(formula: str, **cells: object) -> object:
    wb = sheet(Z1=formula, **cells)
    return Evaluator(wb, FUNCTIONS).value("S", "Z1")


# Each formula with the value Excel gives (checked against Excel's documented behaviour).
EXCEL = [
    ("=2+3*4", 14),
    ("=(2+3)*4", 20),
    ("=-2^2", 4),  # negation binds tighter than ^ in Excel
    ("=2^3^2", 64),  # ^ is left-associative in Excel
    ("=10/4", 2.5),
    ("=50%", 0.5),
    ('="3"+1', 4.0),  # text that is a number takes part in arithmetic
    ('="x"+1', VALUE),
    ("=A4+1", 1),  # a blank cell is 0
    ("=1/0", DIV0),
    ("=1/A4", DIV0),
    ('="a"&1.5&TRUE&A4', "a1.5TRUE"),
    ('="b">"A"', True),  # text compares case-insensitively
    ('="a"="A"', True),
    ('=1<"a"', True),  # any number is less than any text
    ('="z"<TRUE', True),  # any text is less than a logical value
    ('=A4=""', True),
    ("=A4=0", True),
    ("=1+#N/A", NA),
    ("=IF(FALSE,1)", False),
    ("=IF(A3,1,2)", VALUE),
    ('=IF(2,"y","n")', "y"),
    ("=IFERROR(1/0,7)", 7),
    ("=IFERROR(3,7)", 3),
    ("=AND(TRUE,A1:A2)", True),
    ("=OR(FALSE,A4)", False),
    ("=NOT(0)", True),
    ("=SUM(A1:A5)", 8),  # text and blanks in a range are skipped
    ('=SUM(A1,"2")', 3.0),  # but a text argument is converted
    ("=MIN(A1:A5)", 1),
    ("=MAX(A1:A5)", 5),
    ("=COUNTA(A1:A5)", 4),
    ('=COUNTIF(A1:A5,">=2")', 2),
    ('=COUNTIF(A1:A5,"x")', 1),
    ('=COUNTIF(A1:A5,"X*")', 1),
    ('=COUNTIF(A1:A5,"<>2")', 4),
    ('=COUNTIF(A1:A5,"")', 1),
    ("=COUNTIF(A1:A5,5)", 1),
    ('=COUNTIFS(A1:A5,">=2",A1:A5,"<5")', 1),
    ('=COUNTIFS(A1:A5,"x")', 1),
    ('=COUNTIFS(A1:A5,">=1",A1:A5,"<="&A5)', 3),
    ('=COUNTIFS(A1:A5,">0",A1:A4,">0")', VALUE),  # ranges of different sizes
    ("=SMALL(A1:A5,2)", 2),
    ("=LARGE(A1:A5,1)", 5),
    ("=SMALL(A1:A5,4)", NUM),
    ('=MATCH("X",A1:A5,0)', 3),
    ("=MATCH(9,A1:A5,0)", NA),
    ("=INDEX(A1:A5,5)", 5),
    ("=INDEX(A1:B5,2,1)", 2),
    ("=INDEX(A1:A5,6)", REF),
    ('=VLOOKUP("x",A1:B5,1,FALSE)', "x"),
    ("=ROUND(2.5,0)", 3.0),  # half away from zero
    ("=ROUND(-2.5,0)", -3.0),
    ("=ROUND(1.005,2)", 1.01),
    ("=ROUND(1250,-2)", 1300.0),
    ("=ROUND(0.1+0.2,15)", 0.3),
    ("=ISNUMBER(A1)", True),
    ("=ISNUMBER(A3)", False),
    ("=ISTEXT(A3)", True),
    ("=ISBLANK(A4)", True),
    ("=ROWS(A1:A5)", 5),
    ("=ROW(A3)", 3),
    ("=#REF!", REF),
]


def test_countifs_counts_dates_on_and_after_a_day_as_excel_does():
    """Dates are serial numbers: ">="&day keeps a certification valid on that very day."""
    days = {"B1": dt.date(2027, 3, 31), "B2": dt.date(2027, 3, 30), "B3": dt.date(2028, 1, 1)}
    assert compute('=COUNTIFS(B1:B3,">="&B4)', **days, B4=dt.date(2027, 3, 31)) == 2
    assert (
        compute(
            '=COUNTIFS(B1:B3,"<"&B4,B1:B3,">="&B5)',
            **days,
            B4=dt.date(2027, 3, 31),
            B5=dt.date(2027, 1, 1),
        )
        == 1
    )


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([1.0, 2.5, "", "a", "A", "b", "1", "a*", "TRUE"]),
)


@pytest.mark.slow
@given(
    st.lists(st.tuples(cell_values, cell_values), max_size=12),
    st.lists(cell_values | st.sampled_from(["=a", ">1", "<>a", "a*", "?", "=1", ""]), max_size=4),
)
@example([("A", 1), ("a", 0), (1.0, 2), (1, 3), (True, 1), ("1", 1)], ["a", 1, "=1", "A", True])
@settings(max_examples=300)
def test_countifs_finds_the_rows_every_criteria_test_would(rows, criteria):
    """The look-up of the first range's rows counts what testing every row counts."""
    from partner_tiers.formulas.functions import _criterion

    countifs = NATIVE_FUNCTIONS["COUNTIFS"].function
    first, second = [[a] for a, _ in rows], [[b] for _, b in rows]
    for c in criteria:
        brute = sum(_criterion(c)(a) and _criterion(">=0")(b) for a, b in rows)
        assert countifs(first, c, second, ">=0") == brute, c
        assert NATIVE_FUNCTIONS["COUNTIF"].function(first, c) == sum(
            map(_criterion(c), (a for a, _ in rows))
        )


def test_countifs_with_an_array_of_criteria_gives_an_array():
    countifs = NATIVE_FUNCTIONS["COUNTIFS"].function
    names = [["Acme"], ["Beta"], ["Acme"]]
    roles = [["Sales"], ["Sales"], ["Engineer"]]
    assert countifs(names, [["Acme"], ["Beta"], ["Gamma"]], roles, "Sales") == [[1], [1], [0]]


@pytest.mark.parametrize(("formula", "expected"), EXCEL)
def test_formulas_compute_as_in_excel(formula, expected):
    result = compute(formula)
    if isinstance(expected, float):
        assert result == pytest.approx(expected)
    else:
        assert result == expected
        assert type(result) is type(expected) or isinstance(result, int | float)


def test_other_sheets_quoted_names_and_defined_names():
    wb = sheet(B1="=Rate*'My sheet'!A1")
    other = wb.create_sheet("My sheet")
    other["A1"] = 40
    wb["S"]["C1"] = 0.25
    wb.defined_names["Rate"] = DefinedName("Rate", attr_text="S!$C$1")
    assert Evaluator(wb, FUNCTIONS).value("S", "B1") == 10


def test_an_array_formula_fills_its_range_and_broadcasts():
    wb = sheet()
    wb["S"]["B1"] = ArrayFormula("B1:C6", '=IF(A1:A5="","-",A1:A5&"!")')
    e = Evaluator(wb, FUNCTIONS)
    assert [e.cell_value("S", r, 2) for r in range(1, 7)] == ["1!", "2!", "x!", "-", "5!", NA]
    assert [e.cell_value("S", r, 3) for r in range(1, 6)] == ["1!", "2!", "x!", "-", "5!"]
    wb["S"]["D1"] = ArrayFormula("D1:D3", "=7")  # one value fills every cell
    assert [Evaluator(wb, FUNCTIONS).cell_value("S", r, 4) for r in range(1, 4)] == [7, 7, 7]


def test_a_range_in_a_plain_formula_is_outside_the_subset_not_intersected():
    """Excel would take the cell in the formula's row (implicit intersection), or spill it:
    not modelled, so the cell is refused by name, or takes the value Excel saved."""
    for formula in ("=A1:A2*2", "={1,2}"):  # a range, an array constant in a plain cell
        with pytest.raises(Unsupported, match=r"S!Z1: a range or array where one value is"):
            compute(formula)
    wb = sheet(Z1="=A1:A2*2")
    saved = Evaluator(wb, FUNCTIONS, cached=lambda sheet, row, col: 2.0)
    assert saved.value("S", "Z1") == 2.0 and ("S", 1, 26) in saved.from_cache


def test_add_in_functions_are_called_as_xlwings_calls_them():
    seen = []

    def SPY(value, other=None):
        seen.append((value, other))
        return None if value is None else [[value], [None]]

    wb = sheet(B1="=SPY(A4,#N/A)", B2='=SPY("")')
    wb["S"]["C1"] = ArrayFormula("C1:C2", "=SPY(A1)")
    e = Evaluator(wb, {"SPY": SPY})
    assert e.value("S", "B1") == ""  # a blank result reaches the cell as ""
    assert e.value("S", "B2") == ""
    assert e.cell_value("S", 2, 3) == ""  # and inside an array too
    assert seen[:2] == [(None, "#N/A"), (None, None)]  # blanks as None, errors as their text


def test_the_real_add_in_functions_are_bound():
    wb = sheet(B1="=PARTNER_TIER(A5*12000)", B2="=GAP_TO_NEXT(A5*12000)", B3="=TIER_PROGRAMS()")
    e = Evaluator(wb, FUNCTIONS)
    assert (e.value("S", "B1"), e.value("S", "B2")) == ("Gold", 140_000.0)
    # A two-row answer in one plain cell: Excel would spill it or show its first value;
    # neither is modelled, so the cell is named outside the subset.
    with pytest.raises(Unsupported, match="S!B3: a range or array where one value is wanted"):
        e.value("S", "B3")


@pytest.mark.parametrize(
    ("formula", "problem"),
    [
        ("=SUMPRODUCT(A1:A2)", "function SUMPRODUCT is not supported"),
        ("=PARTNER_TIER()", "PARTNER_TIER takes 1 to 5 arguments, not 0"),
        ("=SUM(Table1[Revenue])", "structured references"),
        ("={1,2;3}", "uneven rows"),
        ("={1,A1}", "unexpected 'A1' in an array"),
        ("=MATCH(1,A1:A5)", "match_type 0"),
        ("=Nowhere+1", "unknown name 'Nowhere'"),
        ("=A1 A2", "unexpected"),
        ("=SUM(A:A)+SUM(S!1:2)", "whole columns or rows such as A:A"),
        ("=SUM(S:T!A1)", "3-D references across sheets such as S:T!A1"),
        ("=COUNTA('S:T'!A1)", "3-D references across sheets"),
        ("=_xlfn.XLOOKUP(1,A1:A2,A1:A2)", "function XLOOKUP is not supported"),
        ("=[1]!PARTNER_TIER(1)", "[1]!PARTNER_TIER names an external workbook the file does"),
        ("='C:\\x\\other.xlam'!FOO(1)", "function FOO of another workbook (C:"),
        ("=_xlfn.ANCHORARRAY(A1)", "#REF!"),  # A1 holds no array formula: not refused
    ],
)
def test_anything_outside_the_subset_is_refused_loudly(formula, problem):
    if problem.startswith("#"):
        assert compute(formula) == REF
        return
    with pytest.raises(Unsupported, match=re.escape(problem)):
        compute(formula)


def test_excel_prefixes_and_qualified_add_in_functions_are_ours():
    # _xludf: a function Excel did not know when it saved; a path: where the add-in was.
    assert compute("=_xludf.PARTNER_TIER(45000)") == "Silver"
    assert compute("='C:\\Users\\anna\\partner_tiers.xlam'!GAP_TO_NEXT(45000)") == 15000.0
    assert compute('=_xlfn.IFERROR(1/0,"x")') == "x"


def test_a_spill_reference_reads_the_array_formula_of_its_first_cell():
    got = array("=A1:A2*10", "C1:C2")
    assert got == [[10], [20]]
    wb = sheet(E1="=SUM(_xlfn.ANCHORARRAY(C1))", E2="=ROWS(C1:C2)")
    wb["S"]["C1"] = ArrayFormula("C1:C2", "=A1:A2*10")
    assert Evaluator(wb, FUNCTIONS).value("S", "E1") == 30


def array(formula: str, ref: str, **cells: object) -> list[list[object]]:
    """The values of ``formula`` entered as an array formula over ``ref`` of sheet S."""
    wb = sheet(**cells)
    wb["S"][ref.split(":")[0]] = ArrayFormula(ref, formula)
    e = Evaluator(wb, FUNCTIONS)
    return [[e.value("S", c.coordinate) for c in row] for row in wb["S"][ref]]


def test_array_constants_and_index_over_arrays_as_in_an_array_formula():
    assert compute('=INDEX({-1.5,"a";TRUE,#N/A},2,1)') is True
    assert array("=INDEX({10,20;30,40},{1;2},{2,1})", "C1:D2") == [[20, 10], [40, 30]]
    # Past the end INDEX gives #REF! and IFERROR a blank: a block wider than the answer.
    assert array('=IFERROR(INDEX({7;8},{1;2;3}),"")', "C1:C3") == [[7], [8], [""]]
    programs = array('=IFERROR(INDEX(TIER_PROGRAMS(),{1;2;3;4}),"")', "C1:C4")
    assert programs == [["eset-dach-2016"], ["sophos-2019"], ["sophos-pre-2019"], [""]]


def test_a_circular_reference_is_reported():
    with pytest.raises(CircularReference):
        compute("=Z1+1")


def test_function_calls_count_arguments_with_nesting_and_omissions():
    calls = list(function_calls('=IF(A1,TIER_PROGRAMS(),ROUND(SUM(1,2),))&"x(y"'))
    assert calls == [("TIER_PROGRAMS", 0), ("SUM", 2), ("ROUND", 2), ("IF", 3)]
    assert list(function_calls("=INDEX(T(),{1;2},{1,2,3})")) == [("T", 0), ("INDEX", 3)]


def test_values_only_copy_keeps_text_and_errors(tmp_path):
    wb = sheet(B1='="=not a formula"', B2="=1/0", B3='=IF(A1=1,"")', B4="=A1*3")
    write_snapshot(save_workbook(wb, tmp_path / "s.xlsx"), tmp_path / "values.xlsx")
    ws = load_workbook(tmp_path / "values.xlsx")["S"]
    assert (ws["B1"].value, ws["B1"].data_type) == ("=not a formula", "s")
    assert (ws["B2"].value, ws["B2"].data_type) == ("#DIV/0!", "e")
    assert ws["B3"].value is None and ws["B4"].value == 3


numbers = st.floats(-1e9, 1e9, allow_nan=False, allow_subnormal=False) | st.integers(
    -(10**9), 10**9
)


@settings(max_examples=200, deadline=None)
@given(numbers, numbers, numbers, st.sampled_from(["+", "-", "*", "/"]))
def test_arithmetic_matches_python_with_excel_precedence(a, b, c, op):
    """``a op b*c``: + and - wait for the product; * and / go left to right."""
    result = compute(f"=A1{op}B1*C1", A1=a, B1=b, C1=c)
    if op == "/" and b == 0:
        assert result == DIV0
        return
    if op == "/" and not math.isfinite(a / b):  # beyond Excel's largest number
        assert result == NUM
        return
    expected = {
        "+": lambda: a + b * c,
        "-": lambda: a - b * c,
        "*": lambda: a * b * c,
        "/": lambda: a / b * c,
    }[op]()
    assert math.isclose(result, expected, rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    st.lists(numbers | st.text("abc12 ", max_size=3) | st.none(), min_size=1, max_size=8), st.data()
)
def test_countif_and_small_agree_with_a_direct_count(values, data):
    cells = {f"A{i}": v for i, v in enumerate(values, 1)}
    cells.update({f"A{i}": None for i in range(len(values) + 1, 6)})
    threshold = data.draw(numbers)
    last = max(len(values), 5)
    wb = sheet(
        **cells, Z1=f'=COUNTIF(A1:A{last},">="&Z2)', Z2=threshold, Z3=f"=SMALL(A1:A{last},1)"
    )
    e = Evaluator(wb, FUNCTIONS)
    plain = [v for v in values if isinstance(v, int | float)]
    assert e.value("S", "Z1") == sum(1 for v in plain if v >= threshold)
    assert e.value("S", "Z3") == (min(plain) if plain else NUM)


def test_omitted_arguments_reach_an_add_in_function_as_blanks():
    wb = sheet(B1='=TIER_EXPLAIN(60000,,,,"pl")', B2='=PROGRAM_INFO("currency")')
    e = Evaluator(wb, FUNCTIONS)
    assert e.value("S", "B1") == udfs.TIER_EXPLAIN(60000, None, None, None, "pl")
    assert e.value("S", "B2") == "EUR"


# Issue 25: where the engine differed from Excel, each case as Excel's function reference
# describes it (support.microsoft.com, the articles on SUM, MIN, MAX, AND, OR, INDEX, MATCH,
# LARGE and SMALL). A1..A5 hold 1, 2, "x", blank, 5.
EXCEL_REFERENCE = [
    # SUM, MIN, MAX: "If an argument is an array or reference, only numbers in that array or
    # reference are counted. Empty cells, logical values, or text ... are ignored." Values
    # typed as arguments count, a number as text included.
    ("=MAX(B1,B2)", -0.1, {"B1": True, "B2": -0.1}),
    ('=SUM("2","4",A3)', 6.0, {}),
    ("=SUM(A3,A4)", 0, {}),
    ("=MIN(A3,A1)", 1, {}),
    ("=MAX(TRUE,-1)", 1, {}),  # typed: TRUE is 1
    # AND, OR: "If an array or reference argument contains text or empty cells, those values
    # are ignored."
    ("=AND(A4,TRUE)", True, {}),
    ("=OR(A4,FALSE)", False, {}),
    ("=AND(A3,A1)", True, {}),
    # INDEX: 0 for a row or a column is the whole column or row; both 0, the whole array;
    # a negative number #VALUE!, a number outside the array #REF!.
    ("=SUM(INDEX(A1:B2,0,0))", 10, {"B1": 3, "B2": 4}),
    ("=SUM(INDEX(A1:B2,2))", 6, {"B1": 3, "B2": 4}),  # a range of both, only a row: the row
    ("=INDEX(A1:B2,-1,1)", VALUE, {}),
    ("=INDEX(A1:A5,0,2)", REF, {}),
    ("=INDEX(B1:D1,2)", 30, {"B1": 10, "C1": 30, "D1": 50}),  # a single row: its column
    # MATCH with match type 0: an empty lookup value finds nothing; wildcards match text.
    ("=MATCH(A4,B1:B3,0)", NA, {"B1": False, "B2": "", "B3": 0}),
    ('=MATCH("x*",B1:B3,0)', 2, {"B1": "a", "B2": "Xylo", "B3": "x"}),
    ('=MATCH("~*",B1:B3,0)', 3, {"B1": "a", "B2": "b*", "B3": "*"}),
    ('=MATCH("[a]?",B1:B2,0)', 2, {"B1": "a1", "B2": "[A]1"}),
    # A formula whose value is an empty cell shows 0, and so it reads in other formulas.
    ("=A4", 0, {}),
    ("=IF(1,,2)", 0, {}),
    ("=IFERROR(A4,1)", 0, {}),
    ("=MAX(B8,-1)", 0, {"B8": "=F1"}),
    ("=ISBLANK(B8)", False, {"B8": "=F1"}),
    # COUNTIF: "#DIV/0!" or an error value as the criteria counts the cells with that error.
    ('=COUNTIF(B1:B3,"#DIV/0!")', 2, {"B1": "=1/0", "B2": "=1/0", "B3": 1}),
    ("=COUNTIF(B1:B3,B2)", 2, {"B1": "=1/0", "B2": "=1/0", "B3": 1}),
    ('=COUNTIF(B1:B3,"<>#DIV/0!")', 1, {"B1": "=1/0", "B2": "=1/0", "B3": 1}),
    # LARGE, SMALL: a k given as an array gives an array; k below 1 or past the numbers is
    # #NUM!; an error in the array, or as k, is the answer.
    ("=SUM(LARGE(A1:A5,{1,2}))", 7, {}),
    ("=SUM(SMALL(A1:A5,{1;3}))", 6, {}),
    ("=LARGE(A1:A5,0)", NUM, {}),
    ("=SMALL(A1:A5,4)", NUM, {}),
    ("=LARGE(B1:B2,1)", DIV0, {"B1": 3, "B2": "=1/0"}),
    ('=LARGE(A1:A5,"x")', VALUE, {}),
    ("=LARGE({3,TRUE,1},2)", 1, {}),  # an array constant's logical values are skipped
    # IS functions ("IS functions" in Excel's reference): ISBLANK of an empty cell only,
    # ISERR of any error but #N/A, ISNONTEXT of a blank too.
    ("=ISBLANK(A4)", True, {}),
    ("=ISBLANK(B1)", False, {"B1": '=""'}),
    ("=ISERR(B1)", True, {"B1": "=1/0"}),
    ("=ISERROR(B1)", True, {"B1": "=1/0"}),
    ("=ISNA(B1)", False, {"B1": "=1/0"}),
    ("=ISLOGICAL(B1)", True, {"B1": "=1>0"}),
    ("=ISLOGICAL(A1)", False, {}),
    ("=ISNONTEXT(A4)", True, {}),
    ("=ISNONTEXT(A3)", False, {}),
    ("=ISTEXT(A3)", True, {}),
    ("=ISNUMBER(A3)", False, {}),
    # Excel keeps 15 significant digits: numbers compare to them, and a + or - that is the
    # formula's last operation, outside brackets, gives 0 where both numbers agree to them
    # (Microsoft, "Floating-point arithmetic may give inaccurate results in Excel").
    ("=0.1+0.2=0.3", True, {}),
    ("=B1>=60000", True, {"B1": 59999.99999999999}),
    ("=0.5-0.4-0.1", 0, {}),
    ("=(0.5-0.4-0.1)", 0.5 - 0.4 - 0.1, {}),  # -2.78E-17: brackets keep the difference
    ("=1*(0.5-0.4-0.1)", 0.5 - 0.4 - 0.1, {}),
    ("=0=0.5-0.4-0.1", False, {}),  # the last operation is =, not -
    ("=52.8-8.8*6", 0, {}),
    ("=(52.8-8.8*6)", 52.8 - 8.8 * 6, {}),
    ("=B1-B2", 0, {"B1": 0.1 + 0.2, "B2": 0.3}),
    ("=B1+B2", 0, {"B1": 0.1 + 0.2, "B2": -0.3}),
    ("=B1-B2", 1.0000000001 - 1, {"B1": 1.0000000001, "B2": 1}),  # a real difference stays
]


@pytest.mark.parametrize(("formula", "expected", "cells"), EXCEL_REFERENCE)
def test_the_engine_computes_what_excels_reference_says(formula, expected, cells):
    assert compute(formula, **cells) == expected


def test_an_array_formula_shows_an_empty_cell_as_0():
    assert array("=A3:A5", "C1:C3") == [["x"], [0], [5]]


def test_countif_wildcards_are_excels_not_fnmatchs():
    """A bracket is a bracket in COUNTIF's criteria (fnmatch would read a set), and ~ makes a
    wildcard plain."""
    cells = {"B1": "Acme [PL]", "B2": "Acme P", "B3": "C*Tech", "B4": "CxTech"}
    assert compute('=COUNTIF(B1:B4,"Acme [PL]")', **cells) == 1
    assert compute('=COUNTIF(B1:B4,"Acme [P*")', **cells) == 1
    assert compute('=COUNTIF(B1:B4,"C~*Tech")', **cells) == 1
    assert compute('=COUNTIF(B1:B4,"C*Tech")', **cells) == 2


def test_readme_lists_every_native_function():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    after = readme.split("README lists every native function", 1)[1].split("\n", 1)[1]
    listed = after.split("\n\n", 1)[0].replace("\n", " ").rstrip(".").split(", ")
    assert listed == sorted(NATIVE_FUNCTIONS)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('="3"+1', 4.0),
        ('="50%"*2', 1.0),  # a percent typed as text is read as one
        ('="-1.5e3"+0', -1500.0),
        ('="inf"+0', VALUE),  # Python's float reads these; Excel does not
        ('="1_000"+0', VALUE),
        ('="nan"+0', VALUE),
    ],
)
def test_text_is_read_as_a_number_as_excel_reads_it(formula, expected):
    assert compute(formula) == expected


@pytest.mark.parametrize("text", ["2026-03-31", "31.03.2026", "3/31/2026", "12:30"])
def test_a_date_typed_as_text_is_outside_the_subset(text):
    """Excel reads a date or a time typed as text by the machine's locale: not guessed."""
    with pytest.raises(Unsupported, match="a date or time typed as text"):
        compute(f'="{text}"+1')


def test_an_array_formula_fills_its_own_range_only():
    """{=C1:E1+1} entered in one cell holds one value; its neighbours keep their own."""
    wb = sheet(C1=1, D1=2, E1=3, B2="=7")
    wb["S"]["A2"] = ArrayFormula("A2", "=C1:E1+1")
    e = Evaluator(wb, FUNCTIONS)
    assert (e.value("S", "A2"), e.value("S", "B2")) == (2, 7)
    assert set(e.evaluate_all()) == {("S", 2, 1), ("S", 2, 2)}


def test_is_functions_read_the_na_that_pads_an_array_formulas_range():
    """{=A1:A2} entered in four cells fills the last two with #N/A; the IS functions read
    each cell, and an IS function entered over a larger range is padded the same way."""
    wb = sheet()
    ws = wb["S"]
    ws["B1"] = ArrayFormula("B1:B4", "=A1:A2")
    ws["C1"] = ArrayFormula("C1:C4", "=ISNA(B1:B4)")
    ws["D1"] = ArrayFormula("D1:D4", "=ISNUMBER(A1:A2)")
    ws["E1"] = "=ISERR(B4)"
    e = Evaluator(wb, FUNCTIONS)
    assert [e.value("S", f"C{r}") for r in range(1, 5)] == [False, False, True, True]
    assert [e.value("S", f"D{r}") for r in range(1, 5)] == [True, True, NA, NA]
    assert e.value("S", "E1") is False


@pytest.mark.parametrize(
    ("formula", "cells"),
    [
        ("=LARGE(TRUE,1)", {}),  # Excel's reference: "array ... range of data", not a value
        ("=SMALL(5,1)", {}),
        ("=LARGE(B1:B2,B3)", {"B1": "=1/0", "B2": 1, "B3": "=0+#N/A"}),  # which error wins
        # 1.000000000000005 and ...0049 round apart at 15 digits, yet differ in the 16th.
        ("=B1-B2", {"B1": 1.000000000000005, "B2": 1.0000000000000049}),
    ],
)
def test_what_excels_reference_leaves_unsaid_is_outside_the_subset(formula, cells):
    with pytest.raises(Unsupported):
        compute(formula, **cells)


def test_a_name_into_another_workbook_takes_excels_value_or_names_the_cell():
    """RID refers to [1]Inputs!$E$13, a cell of an external workbook: only Excel's saved value
    can stand for it (it was read as a sheet of this book, and gave #REF!)."""
    wb = sheet(B1="=RID*2", B2="=[1]Inputs!$E$13+1")
    wb.defined_names["RID"] = DefinedName("RID", attr_text="[1]Inputs!$E$13")
    with pytest.raises(Unsupported, match=r"S!B1: name 'RID' refers to another workbook"):
        Evaluator(wb, FUNCTIONS).value("S", "B1")
    with pytest.raises(Unsupported, match=r"S!B2: references into another workbook"):
        Evaluator(wb, FUNCTIONS).value("S", "B2")
    saved = {("S", 1, 2): 84, ("S", 2, 2): 43}
    e = Evaluator(wb, FUNCTIONS, cached=lambda *key: saved.get(key, NO_VALUE))
    assert (e.value("S", "B1"), e.value("S", "B2")) == (84, 43)
    assert e.from_cache == set(saved)


@pytest.mark.slow
def test_a_sheets_own_name_comes_before_the_workbooks_on_a_file_excel_saved():
    """poi__46535.xlsx (Excel-saved) defines AirportCode twice: for the workbook, in its own
    CodeLists sheet, and for the sheet TDS, in [2]Codelist of another workbook. A formula on
    TDS means TDS's (only Excel's value can stand for it); one on Test, the workbook's."""
    from pathlib import Path

    from partner_tiers.files import safe_xlsx

    wb = safe_xlsx.open_workbook(Path(__file__).parent / "excel_files" / "poi__46535.xlsx")
    wb["TDS"]["Z1"] = wb["Test"]["Z1"] = "=ROWS(AirportCode)"
    e = Evaluator(wb, FUNCTIONS)
    with pytest.raises(Unsupported, match=r"TDS!Z1: .*another workbook \(\[2\]Codelist!"):
        e.value("TDS", "Z1")
    workbooks = wb.defined_names["AirportCode"].attr_text
    rows = Evaluator(wb, FUNCTIONS).resolve(workbooks, "Test")
    assert e.value("Test", "Z1") == rows.max_row - rows.min_row + 1 > 1
