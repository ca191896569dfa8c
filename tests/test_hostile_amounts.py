"""Amounts beyond what Excel holds are refused row by row, never written changed or empty."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from partner_tiers import cli
from partner_tiers.review.sales_import import read_sales
from partner_tiers.rules.programs import get_program

from .exports import write_csv

HEADER = ["Kontrahent", "Data", "Kwota"]


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ("1" * 300, "has 300 significant digits; Excel keeps 15"),
        ("1" * 400, "is larger than Excel can hold (9.99E+307)"),
        ("1" + "0" * 308, "is larger than Excel can hold (9.99E+307)"),
        ("12345678901234,567", "has 17 significant digits"),
    ],
)
def test_an_amount_excel_cannot_hold_is_a_row_problem(tmp_path, capsys, amount, why):
    rows = [("Acme", dt.date(2025, 5, 1), amount), ("Beta", dt.date(2025, 5, 1), "10,00")]
    sales = write_csv(tmp_path / "s.csv", HEADER, rows)
    result = read_sales(sales, get_program())
    [problem] = result.problems
    assert problem.line == 2 and why in problem.why
    out = tmp_path / "r.xlsx"
    assert cli.main(["review", str(sales), "--out", str(out)]) == 1
    assert why in capsys.readouterr().err and not out.exists()


def test_a_rate_that_would_make_an_amount_vanish_or_explode_is_refused(tmp_path, capsys):
    rows = [("Acme", dt.date(2025, 5, 1), "100,00")]
    sales = write_csv(tmp_path / "s.csv", HEADER, rows)
    out = tmp_path / "r.xlsx"
    code = cli.main(["review", str(sales), "--currency", "PLN", "--fx", "1e30", "--out", str(out)])
    assert code == 1 and "--fx '1e30' is not a rate above 0 and below" in capsys.readouterr().err
    tiny = read_sales(sales, get_program(), currency="PLN", fx=Decimal("999999"))
    assert "becomes 0.00 EUR at this rate" in tiny.problems[0].why
    long = write_csv(tmp_path / "l.csv", HEADER, [("Acme", dt.date(2025, 5, 1), "9" * 13 + ",9")])
    read = read_sales(long, get_program(), currency="PLN", fx=Decimal("0.7"))
    assert "converted to EUR, 1.43E+13 has 16 significant digits" in read.problems[0].why


def test_a_huge_amount_with_a_rate_converts_without_a_decimal_error(tmp_path, capsys):
    """1e26 PLN at 4 PLN a EUR was a decimal.InvalidOperation traceback (28 digits)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Kontrahent", "Data", "Kwota"])
    wb.active.append(["Acme", dt.date(2025, 5, 1), 1e26])
    sales = tmp_path / "s.xlsx"
    wb.save(sales)
    result = read_sales(sales, get_program(), currency="PLN", fx=Decimal(4))
    assert result.problems == [] and result.partners[0].revenue_quarters[0] == Decimal("2.5E+25")
