"""Reviews that Excel saved: cached values, Excel's prefixes, spills, user formulas."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.excel import install
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files.safe_xlsx import open_workbook
from partner_tiers.formulas.values import ExcelError
from partner_tiers.formulas.workbook import Evaluator
from partner_tiers.workbooks.layout import PARTNERS

from .excel_saved import NOT_RECOMPUTED, NOTES, RECOMPUTED, SPILL, excel_saved


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "review.xlsx"
    assert cli.main(["demo", "--out", str(path)]) == 0
    return path


def edit(data: bytes, part: str, change) -> bytes:
    """``data`` (a zip) with ``part`` replaced by ``change(its text)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == part:
                content = change(content.decode()).encode()
            dst.writestr(item, content)
    return out.getvalue()


def snapshot(tmp_path: Path, data: bytes, capsys, suffix: str = ".xlsx"):
    saved, copy = tmp_path / f"saved{suffix}", tmp_path / "copy.xlsx"
    saved.write_bytes(data)
    code = cli.main(["snapshot", str(saved), "--out", str(copy)])
    captured = capsys.readouterr()
    return code, copy, captured.out + captured.err


def cell_values(path: Path, sheet: str) -> dict[str, object]:
    ws = load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_the_fixture_is_what_excel_writes(review, tmp_path):
    data = excel_saved(review)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert {
            "xl/calcChain.xml",
            "xl/metadata.xml",
            "xl/externalLinks/externalLink1.xml",
        } <= names
        analysis = archive.read("xl/worksheets/sheet_analysis.xml").decode()
    assert '<c r="B1" cm="1"><f t="array" ref="B1:B3">_xlfn._xlws.SORT(D1:D3)</f>' in analysis
    assert "<f>_xlfn.XLOOKUP(" in analysis and '<f t="shared" si="0"/>' in analysis
    (tmp_path / "saved.xlsx").write_bytes(data)
    wb = open_workbook(tmp_path / "saved.xlsx")  # openpyxl reads it, the external link too
    assert [link.file_link.Target for link in wb._external_links] == [
        "file:///" + RECOMPUTED["C4"][0].split("'")[1]
    ]


@pytest.mark.slow
def test_a_review_excel_saved_snapshots_with_excels_values_where_not_recomputed(
    review, tmp_path, capsys
):
    code, copy, printed = snapshot(tmp_path, excel_saved(review), capsys)
    assert code == 0, printed
    kept = len(NOT_RECOMPUTED) + 3 + 2  # the spill's three cells, two notes
    assert f"{kept} of them, beyond what partner-tiers computes, keep the values" in printed
    analysis = cell_values(copy, "Analysis")
    for ref, (_, saved) in NOT_RECOMPUTED.items():
        assert analysis[ref] == saved, ref
    assert [analysis[f"B{r}"] for r in (1, 2, 3)] == SPILL[2]
    for ref, (_, _, computed) in RECOMPUTED.items():
        assert analysis[ref] == computed, ref
    assert [analysis[f"E{r}"] for r in (1, 2, 3)] == [30, 10, 20]  # shared, recomputed
    notes = cell_values(copy, "Partners")
    column, first = PARTNERS.letter("notes"), PARTNERS.first_row
    review_sheet = cell_values(copy, "Review")
    assert notes[f"{column}{first}"] == NOTES[0][1]
    assert notes[f"{column}{first + 1}"] == f"Tier now: {review_sheet['C6']}"
    assert notes[f"{column}{first + 2}"] == NOTES[2][1]
    with zipfile.ZipFile(copy) as archive:
        assert "xl/calcChain.xml" not in archive.namelist()
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name


def test_the_whole_review_sheet_matches_the_evaluator(review, tmp_path, capsys):
    code, copy, _ = snapshot(tmp_path, excel_saved(review), capsys)
    assert code == 0
    expected = Evaluator(open_workbook(review), FUNCTIONS).evaluate_all()
    ws = load_workbook(copy)["Review"]
    for (sheet, row, col), value in expected.items():
        if sheet != "Review":
            continue
        got = ws.cell(row, col).value
        if isinstance(value, ExcelError):
            assert got == value.code
        else:
            assert got == (None if value == "" else value), (row, col)


def test_a_formula_outside_the_subset_without_a_saved_value_stops_the_copy(
    review, tmp_path, capsys
):
    def drop_value(xml: str) -> str:
        start = xml.index('<c r="A1">')
        end = xml.index("</c>", start)
        cell = xml[start:end]
        return xml[:start] + cell[: cell.index("<v>")] + xml[end:]

    data = edit(excel_saved(review), "xl/worksheets/sheet_analysis.xml", drop_value)
    code, copy, printed = snapshot(tmp_path, data, capsys)
    assert code == 1 and not copy.exists()
    assert "Analysis!A1: function SUMPRODUCT is not supported" in printed
    assert "saved.xlsx" in printed and "Traceback" not in printed


def test_a_circular_reference_is_a_message_naming_its_cells(review, tmp_path, capsys):
    cycle = (
        '<row r="6"><c r="F6"><f>F7+1</f><v>0</v></c></row>'
        '<row r="7"><c r="F7"><f>F6+1</f><v>0</v></c></row></sheetData>'
    )
    data = edit(
        excel_saved(review),
        "xl/worksheets/sheet_analysis.xml",
        lambda xml: xml.replace("</sheetData>", cycle),
    )
    code, copy, printed = snapshot(tmp_path, data, capsys)
    assert code == 1 and not copy.exists() and "Traceback" not in printed
    assert "circular reference: Analysis!F6 -> Analysis!F7 -> Analysis!F6" in printed


def test_an_xlsm_review_is_copied_as_an_xlsx(review, tmp_path, capsys):
    with zipfile.ZipFile(install.addin_template()) as addin:
        vba = addin.read("xl/vbaProject.bin")
    code, copy, printed = snapshot(tmp_path, excel_saved(review, vba), capsys, ".xlsm")
    assert code == 0, printed
    with zipfile.ZipFile(copy) as archive:
        assert not any("vbaProject" in name for name in archive.namelist())
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    assert "macroEnabled" not in types and "vbaProject" not in types + rels
    assert "spreadsheetml.sheet.main+xml" in types
    assert cell_values(copy, "Analysis")["C2"] == "Silver"


def test_the_copy_must_be_an_xlsx(review, tmp_path, capsys):
    code = cli.main(["snapshot", str(review), "--out", str(tmp_path / "copy.xlsm")])
    assert code == 1 and "ending .xlsx" in capsys.readouterr().err


@pytest.mark.slow
def test_excels_saved_values_are_kept_unless_the_addin_was_missing(review, tmp_path, capsys):
    """Saved by Excel with automatic calculation (no full calculation asked for on load), a
    review's copy keeps the values Excel computed, a stale-looking one included, since
    Excel showed it. One add-in function cached as #NAME? (Excel without the add-in) makes
    the whole workbook computed again: an IFERROR around it would hide it."""
    data = edit(
        excel_saved(review), "xl/workbook.xml", lambda x: x.replace(' fullCalcOnLoad="1"', "")
    )
    code, copy, printed = snapshot(tmp_path, data, capsys)
    assert code == 0 and "computed again: it was saved where the add-in was missing" in printed
    review_sheet = cell_values(copy, "Review")
    notes = cell_values(copy, "Partners")
    column, first = PARTNERS.letter("notes"), PARTNERS.first_row
    assert notes[f"{column}{first + 1}"] == f"Tier now: {review_sheet['C6']}"
    known = edit(
        data,
        "xl/worksheets/sheet_analysis.xml",
        lambda x: x.replace(
            '<c r="C2" t="e"><f>_xludf.PARTNER_TIER(45000)</f><v>#NAME?</v></c>',
            '<c r="C2" t="str"><f>PARTNER_TIER(45000)</f><v>Silver</v></c>',
        ),
    )
    assert known != data
    (tmp_path / "known").mkdir()
    code, copy, printed = snapshot(tmp_path / "known", known, capsys)
    assert code == 0 and "keep the values Excel computed and saved" in printed, printed
    notes = cell_values(copy, "Partners")
    assert notes[f"{column}{first + 1}"] == NOTES[1][1]  # as Excel showed it
    analysis = cell_values(copy, "Analysis")
    assert [analysis[f"E{r}"] for r in (1, 2, 3)] == [0, 0, 0]  # Excel's, not recomputed
