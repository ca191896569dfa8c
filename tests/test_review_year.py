"""Which fiscal year and quarter a review is of: from the data (the latest sale, the period
the export states, the carried-over review), never from today's date; and what carry-over
says when a year or a tier changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.workbooks.layout import PARTNERS, setting_cell

from .exports import write_csv
from .reading import table_rows

DEMO_SALES = Path(cli.__file__).parent / cli.DEMO_SALES
DEMO_CERTIFICATIONS = Path(cli.__file__).parent / cli.DEMO_CERTIFICATIONS
D = Decimal


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def demo_review(capsys, out: Path, *options: object) -> tuple[int, str, str]:
    """``review`` of the demo's export for FY2026 Q2 (the year its columns are of)."""
    return run(
        capsys, "review", DEMO_SALES, "--fiscal-year", 2026, "--quarter", 2, *options, "--out", out
    )


def _setting(path: Path, name: str) -> object:
    return load_workbook(path)["Start"][setting_cell(name).replace("$", "")].value


def test_revenue_columns_without_a_year_are_refused_not_dated_today(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    code, text, err = run(capsys, "review", DEMO_SALES, "--out", out)
    assert code == 1 and not out.exists() and text == ""
    assert "sales_fy2026_q2.csv does not say which fiscal year it is of" in err
    assert "give --fiscal-year and --quarter" in err


def test_the_carried_over_review_gives_the_year_of_revenue_columns(tmp_path, capsys):
    """The demo's export with the carry-over of its own FY2026 review: FY2026 again, the
    audit on 2026-03-31 and the same two lapsing certifications (not FY2027's six)."""
    first = tmp_path / "q2.xlsx"
    code, _, _ = run(
        capsys,
        "review",
        DEMO_SALES,
        "--fiscal-year",
        2026,
        "--quarter",
        2,
        "--out",
        first,
        "--certifications",
        DEMO_CERTIFICATIONS,
    )
    assert code == 0
    again = tmp_path / "again.xlsx"
    code, text, err = run(capsys, "review", DEMO_SALES, "--carry-over", first, "--out", again)
    assert code == 0, err
    assert "took FY2026, the carried-over review's" in err and "warning" not in err
    assert (_setting(again, "FiscalYear"), _setting(again, "Quarter")) == (2026, 2)
    assert _setting(again, "AuditDay") == dt.datetime(2026, 3, 31)
    assert "Certifications that lapse before the audit on 2026-03-31 (2):" in text


def test_the_period_the_export_states_gives_its_year(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "review", DEMO_SALES, "--period", "FY2025..2026Q2", "--out", out)
    assert code == 0, err
    assert (_setting(out, "FiscalYear"), _setting(out, "Quarter")) == (2026, 2)


def test_dated_sales_give_their_year_and_quarter(tmp_path, capsys):
    sales = write_csv(
        tmp_path / "s.csv",
        ["Kontrahent", "Data", "Kwota"],
        [("Acme", dt.date(2025, 5, 1), D(100)), ("Acme", dt.date(2025, 8, 20), D(50))],
    )
    out = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "review", sales, "--out", out)
    assert code == 0, err
    assert (_setting(out, "FiscalYear"), _setting(out, "Quarter")) == (2026, 2)  # Sophos: April


def test_a_carried_over_review_of_another_year_is_a_warning_naming_both(tmp_path, capsys):
    first = tmp_path / "fy2026.xlsx"
    demo_review(capsys, first)
    sales = write_csv(
        tmp_path / "fy2027.csv",
        ["Kontrahent", "Data", "Kwota"],
        [("Bajt-Net Sp. z o.o.", dt.date(2026, 5, 4), D(100))],
    )
    code, _, err = run(capsys, "review", sales, "--carry-over", first, "--out", tmp_path / "n.xlsx")
    assert code == 0
    assert "warning: fy2026.xlsx is the review of FY2026 Q2, and this one is of FY2027 Q1" in err


def test_the_demos_carry_over_says_no_false_differences(tmp_path, capsys):
    """Typed Yes and the export's Tak are one answer: 40 false notes were said before."""
    first = tmp_path / "q2.xlsx"
    demo_review(capsys, first)
    code, _, err = demo_review(capsys, tmp_path / "again.xlsx", "--carry-over", first)
    assert code == 0 and " kept " not in err, err  # no typed cell differs from the export


def _hand_typed_review(tmp_path: Path, capsys) -> Path:
    """The demo's review with a partner added by hand in the meeting."""
    first = tmp_path / "q1.xlsx"
    demo_review(capsys, first)
    wb = load_workbook(first)
    ws = wb["Partners"]
    row = next(r for r in range(PARTNERS.first_row, ws.max_row + 1) if ws.cell(r, 1).value is None)
    ws.cell(row, PARTNERS.index("name")).value = "Hand Added Sp. z o.o."
    ws.cell(row, PARTNERS.index("revenue_prior_year")).value = 15000
    wb.save(first)
    return first


@pytest.mark.slow
def test_a_partner_typed_by_hand_keeps_its_typed_revenue(tmp_path, capsys):
    first = _hand_typed_review(tmp_path, capsys)
    later = tmp_path / "later.xlsx"
    code, _, err = demo_review(capsys, later, "--carry-over", first)
    assert code == 0, err
    rows = {r["name"]: r for r in table_rows(later, "partners", PARTNERS) if "name" in r}
    assert rows["Hand Added Sp. z o.o."]["revenue_prior_year"] == 15000
    assert "is now 0" not in err


def test_a_tier_that_falls_because_a_partner_left_the_export_is_a_warning(tmp_path, capsys):
    """Warta Systems (Platinum) is absent from an export of the whole prior year: its prior
    year is 0 now, and its tier changes with it, a warning, not a note."""
    first = tmp_path / "q2.xlsx"
    demo_review(capsys, first)
    lines = DEMO_SALES.read_text("utf-8-sig").splitlines()
    without = tmp_path / "without_warta.csv"
    without.write_text("\n".join(ln for ln in lines if not ln.startswith("Warta")), "utf-8")
    code, _, err = run(
        capsys,
        "review",
        without,
        "--fiscal-year",
        2026,
        "--quarter",
        2,
        "--carry-over",
        first,
        "--out",
        tmp_path / "later.xlsx",
    )
    assert code == 0, err
    assert (
        "warning: Warta Systems S.A.: not in the export, so its revenue of the period the "
        "export covers is 0 now, and it drops from Platinum to Authorized" in err
    )


def test_a_polish_run_speaks_polish(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    code, text, err = demo_review(capsys, out, "--lang", "pl")
    assert code == 0, err
    assert "sales_fy2026_q2.csv obejmuje FY2025 do FY2026 Q2 (według kolumn obrotu)." in text
    assert "Zagrożeni spadkiem (7):" in text and "Zapisano " in text
    assert "uwaga: eksport nie podaje waluty" in err
    for english in ("covers", "At risk", "Closest", "Wrote", "note:", "the export"):
        assert english not in text + err, english
    period = load_workbook(out)["Start"][setting_cell("SalesPeriod").replace("$", "")].value
    assert period == "FY2025 do FY2026 Q2 (według kolumn obrotu)"


def test_every_note_has_both_languages_with_the_same_fields():
    from string import Formatter

    from partner_tiers.texts import NOTES

    polish_only = {"n", "m", "what_pl", "change_pl", "why_pl"}  # counts and words in Polish
    for key, (english, polish) in NOTES.items():
        fields = {name for _, name, _, _ in Formatter().parse(english) if name}
        fields_pl = {name for _, name, _, _ in Formatter().parse(polish) if name}
        assert fields_pl <= fields | polish_only, key


def test_help_says_how_the_year_and_quarter_are_chosen(capsys):
    with pytest.raises(SystemExit):
        cli.main(["review", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "the latest sale by its date or its quarter and year" in text
    assert "else the --carry-over review's; an export that tells none is refused" in text


def test_a_polish_run_tells_its_problems_in_polish(tmp_path, capsys):
    sales = write_csv(
        tmp_path / "zle.csv",
        ["Kontrahent", "Data", "Kwota"],
        [("Acme", "2025-13-01", "5,00"), ("Beta", "2025-05-02", "100,00")],
    )
    code, _, err = run(capsys, "review", sales, "--lang", "pl", "--out", tmp_path / "r.xlsx")
    assert code == 1
    assert "wartości w zle.csv, które nie dają się odczytać (1):" in err
    assert (
        "zle.csv, wiersz 2, kolumna 'Data': '2025-13-01' nie jest datą (zapisz ją jako "
        "2026-03-31 lub 31.03.2026)" in err
    )
    assert "nic nie zapisano; popraw te wiersze w eksporcie" in err
    code, _, err = run(capsys, "review", DEMO_SALES, "--lang", "pl", "--out", tmp_path / "x.xlsx")
    assert code == 1 and "nie mówi, którego roku obrachunkowego dotyczy" in err
