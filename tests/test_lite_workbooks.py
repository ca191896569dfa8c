"""Workbooks for xlwings Lite (``--for lite``): the add-in's calls saved as Excel saves
Office.js custom functions, ``_xldudf_NAME``, and computing what the Windows ones compute."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from partner_tiers import cli
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.review.snapshot import write_snapshot
from partner_tiers.workbooks.runtimes import LITE_PREFIX, lite_formula
from partner_tiers.workbooks.templates import TEMPLATES

from .fixtures import function_calls


def _formulas(path: Path) -> dict[tuple[str, str], str]:
    wb = load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                text = value.text if isinstance(value, ArrayFormula) else value
                if isinstance(text, str) and text.startswith("="):
                    found[ws.title, cell.coordinate] = text
    return found


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    assert cli.main(["templates", "--out", str(out / "windows")]) == 0
    assert cli.main(["templates", "--for", "lite", "--out", str(out / "lite")]) == 0
    return out


def test_every_template_has_a_lite_variant(templates):
    names = sorted(p.name for p in (templates / "lite").iterdir())
    assert names == sorted(n.replace(".xlsx", "_lite.xlsx") for n in TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_lite_templates_call_the_functions_as_lite_saves_them(templates, name):
    windows = _formulas(templates / "windows" / name)
    lite = _formulas(templates / "lite" / name.replace(".xlsx", "_lite.xlsx"))
    assert lite.keys() == windows.keys()
    calls = 0
    for where, formula in windows.items():
        ours = [n for n, _ in function_calls(formula) if n in FUNCTIONS]
        calls += len(ours)
        assert lite[where].count(LITE_PREFIX) == len(ours), where
        # Apart from the prefix, the formula is the one Windows runs.
        assert lite[where].replace(LITE_PREFIX, "") == formula
    assert calls > 0


def test_lite_formulas_never_touch_text_or_other_functions():
    formula = '=IF(PARTNER_TIER(A1)="PARTNER_TIER(x)",SUM(A1:A3),"GAP_TO_NEXT(")'
    assert lite_formula(formula, FUNCTIONS) == (
        '=IF(_xldudf_PARTNER_TIER(A1)="PARTNER_TIER(x)",SUM(A1:A3),"GAP_TO_NEXT(")'
    )
    assert lite_formula("=partner_tier(A1)", FUNCTIONS) == "=_xldudf_PARTNER_TIER(A1)"


@given(st.text(alphabet='AB1(),"=_ +PARTNER_TIE', max_size=40))
def test_a_formula_without_the_functions_is_kept_as_it_is(text):
    formula = "=" + text.replace("PARTNER_TIER", "PARTNER_TIE")
    try:
        kept = lite_formula(formula, FUNCTIONS)
    except Exception:  # openpyxl's tokenizer refuses some unbalanced text: not a formula
        return
    assert kept == formula


@pytest.fixture(scope="module")
def demo_reviews(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    for runtime in ("windows", "lite"):
        target = out / f"{runtime}.xlsx"
        assert cli.main(["demo", "--for", runtime, "--out", str(target)]) == 0
    return out


def _values(path: Path) -> dict[tuple[str, str], object]:
    wb = load_workbook(path)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
    }


def test_a_lite_review_computes_what_the_windows_review_computes(demo_reviews, tmp_path):
    """Both evaluated with the add-in's own rules (the snapshot), cell for cell."""
    results = {}
    for runtime in ("windows", "lite"):
        target = tmp_path / f"{runtime}_values.xlsx"
        snapshot = write_snapshot(demo_reviews / f"{runtime}.xlsx", target)
        assert snapshot.from_excel == 0  # every formula was computed, none taken as saved
        results[runtime] = (snapshot.formulas, _values(target))
    assert results["lite"] == results["windows"]
    assert results["lite"][0] > 700


def test_a_lite_review_carries_over_into_the_next_quarter(demo_reviews, tmp_path, capsys):
    sales = Path(cli.__file__).parent / cli.DEMO_SALES
    target = tmp_path / "next.xlsx"
    argv = ["review", str(sales), "--fiscal-year", "2026", "--quarter", "3"]
    argv += ["--carry-over", str(demo_reviews / "lite.xlsx"), "--for", "lite", "--out", str(target)]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert any(LITE_PREFIX in f for f in _formulas(target).values())
