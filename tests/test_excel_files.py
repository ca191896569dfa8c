"""Workbooks that Microsoft Excel saved (tests/excel_files/, sources and licences in its
SOURCE.md): the values-only copy either holds Excel's values without a formula, or says
why it cannot be made. Never a formula in a copy, whatever namespace the input used."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from partner_tiers import cli
from partner_tiers.error_values import ExcelError
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files import safe_xlsx, xlsx_parts
from partner_tiers.files.xlsx_parts import cell_xml
from partner_tiers.formulas.values import CircularReference, Unsupported
from partner_tiers.formulas.workbook import NO_VALUE, Evaluator
from partner_tiers.review.snapshot import SnapshotError, _keeps_formula, write_snapshot

FILES = Path(__file__).parent / "excel_files"


def test_a_strict_open_xml_workbook_is_refused_never_copied_with_its_formulas(tmp_path):
    target = tmp_path / "copy.xlsx"
    with pytest.raises(SnapshotError, match="is saved as Strict Open XML"):
        write_snapshot(FILES / "poi__SimpleStrict.xlsx", target)
    assert not target.exists()


def _with_calc(source: Path, target: Path, calc: str) -> Path:
    """``source`` with its calcPr element replaced by ``calc``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb"<calcPr\b[^>]*/>", calc.encode(), data)
            dst.writestr(item, data)
    return target


def test_a_circular_reference_excel_iterated_keeps_excels_values(tmp_path):
    """Excel computed the cycle iteratively and saved its values: the copy takes them. Made
    to compute again (a full calculation on load), the copy says iteration is beyond it."""
    source = FILES / "poi__57535.xlsx"
    done = write_snapshot(source, tmp_path / "copy.xlsx")
    assert done.trusted == done.formulas == 5 and done.recomputed_because == ""
    again = _with_calc(source, tmp_path / "again.xlsx", '<calcPr iterate="1" fullCalcOnLoad="1"/>')
    with pytest.raises(SnapshotError, match="calculates it iteratively"):
        write_snapshot(again, tmp_path / "copy2.xlsx")


def test_excels_values_are_copied_unless_they_may_be_stale(tmp_path):
    """A workbook Excel computed and saved, with automatic calculation: each formula keeps
    Excel's value. Manual calculation, or a full calculation asked for on load: computed."""
    source = FILES / "xlsxwriter__table23.xlsx"
    trusted = write_snapshot(source, tmp_path / "copy.xlsx")
    assert (trusted.trusted, trusted.from_excel) == (4, 0)
    manual = _with_calc(source, tmp_path / "manual.xlsx", '<calcPr calcMode="manual"/>')
    again = write_snapshot(manual, tmp_path / "copy2.xlsx")
    assert again.trusted == 0 and "manual" in again.recomputed_because
    assert again.from_excel == 4  # beyond the subset: Excel's values all the same


def test_a_formula_the_tokenizer_cannot_read_keeps_excels_value(tmp_path, capsys):
    """=SUBTOTAL(109,[Column'[]) ended in an internal error (exit 3): the copy holds the
    values Excel saved, and the command says so."""
    target = tmp_path / "copy.xlsx"
    assert (
        cli.main(["snapshot", str(FILES / "xlsxwriter__table23.xlsx"), "--out", str(target)]) == 0
    )
    assert "4 of them keep the values Excel computed and saved" in capsys.readouterr().out
    with zipfile.ZipFile(FILES / "xlsxwriter__table23.xlsx") as source:
        saved = source.read("xl/worksheets/sheet1.xml").decode()
    with zipfile.ZipFile(target) as copy:
        sheet = copy.read("xl/worksheets/sheet1.xml").decode()
    assert not _keeps_formula(sheet)
    # Each total's cell keeps the number Excel cached beside its formula.
    totals = re.findall(r'<c r="([A-Z]+\d+)"[^>]*><f>[^<]*</f><v>([^<]*)</v>', saved)
    assert totals
    for cell, value in totals:
        copied = re.search(rf'<c r="{cell}"[^>]*><v>([^<]*)</v>', sheet)
        assert copied is not None and float(copied[1]) == float(value), cell


@pytest.mark.parametrize(
    ("xml", "keeps"),
    [
        ('<worksheet><sheetData><row><c r="A1"><f>1+1</f><v>2</v></c></row></sheetData>', True),
        ('<x:worksheet><x:sheetData><x:c><x:f t="array">A1</x:f></x:c></x:sheetData>', True),
        ("<worksheet><sheetData><c><f/></c></sheetData></worksheet>", True),
        # A validation's list in an extension (xm:f) is no cell's formula; <formula> neither.
        ("<worksheet><sheetData><c><v>1</v></c></sheetData><extLst><xm:f>A1</xm:f>", False),
        ("<worksheet><sheetData/><conditionalFormatting><formula>1</formula>", False),
    ],
)
def test_a_formula_is_found_in_a_sheets_cells_in_any_namespace(xml, keeps):
    assert _keeps_formula(xml) is keeps


def test_text_that_excel_computed_is_copied_as_it_is_where_xml_allows_it():
    """=CHAR(127) and U+009D are legal XML 1.0: kept. U+0001 is not: dropped."""
    assert cell_xml(' r="A1"', "a\x7fb\x9dc") == (
        '<c r="A1" t="inlineStr"><is><t xml:space="preserve">a\x7fb\x9dc</t></is></c>'
    )
    assert "\x01" not in cell_xml(' r="A1"', "a\x01b")


def _same(computed: object, saved: object) -> bool:
    """Equal as Excel shows them: numbers to Excel's 15 significant digits, errors by code,
    an empty text and an empty cell alike."""
    if isinstance(computed, bool) or isinstance(saved, bool):
        return computed == saved
    if isinstance(computed, int | float) and isinstance(saved, int | float):
        return math.isclose(computed, saved, rel_tol=1e-14, abs_tol=1e-300)
    if isinstance(computed, ExcelError) and isinstance(saved, ExcelError):
        return computed.code == saved.code
    if computed in (None, "") and saved in (None, ""):
        return True
    return computed == saved


# The largest files take most of the time: `pytest -m "not slow"` leaves them to CI.
WORKBOOKS = [
    pytest.param(p.name, marks=pytest.mark.slow) if p.stat().st_size > 80_000 else p.name
    for p in sorted(FILES.glob("*.xls?"))
]


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_formula_computes_what_excel_saved_or_is_named_outside_the_subset(name):
    """Ground truth: each workbook's formulas computed without the values Excel saved. A cell
    the engine computes equals Excel's value; any other is refused with its cell named
    (outside the subset, or a circular reference Excel iterated)."""
    path = FILES / name
    if name == "poi__SimpleStrict.xlsx":  # Strict Open XML: refused, never read (above)
        return
    wb = safe_xlsx.open_workbook(path)
    saved = xlsx_parts.CachedValues(path, NO_VALUE).get
    evaluator = Evaluator(wb, FUNCTIONS)  # no saved values: compute, or say why not
    differ, computed = [], 0
    for sheet, row, col, _ in list(evaluator.formula_cells()):
        excel = saved(sheet, row, col)
        if excel is NO_VALUE:
            continue
        try:
            value = evaluator.cell_value(sheet, row, col)
        except (Unsupported, CircularReference) as refused:
            # Named: the cell (this one, or the one it reads that is outside) and why.
            told = str(refused)
            assert re.match(r"[^!]+![A-Z]+\d+: ", told) or "circular" in told, told
            continue
        computed += 1
        if not _same(value, excel):
            differ.append((f"{sheet}!{get_column_letter(col)}{row}", value, excel))
    assert differ == [], differ[:5]
