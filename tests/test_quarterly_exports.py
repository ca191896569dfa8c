"""A quarter's export replaces only the quarters it covers; the previous review keeps the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.texts import label
from partner_tiers.workbooks.layout import PARTNERS, setting_cell

from .exports import write_csv
from .reading import table_rows

D = Decimal
HEADER = ["Kontrahent", "NIP", "Data faktury", "Kwota netto"]
REVENUE = ("revenue_prior_year", "revenue_q1", "revenue_q2", "revenue_q3", "revenue_q4")


def review(tmp_path: Path, name: str, rows, *options: str, capsys=None) -> tuple[int, Path, str]:
    export = write_csv(tmp_path / f"{name}.csv", HEADER, rows)
    out = tmp_path / f"{name}.xlsx"
    code = cli.main(["review", str(export), "--out", str(out), "--fiscal-year", "2026", *options])
    printed = ""
    if capsys is not None:
        captured = capsys.readouterr()
        printed = captured.out + captured.err
    return code, out, printed


def figures(path: Path) -> dict[str, tuple[object, ...]]:
    return {
        r["name"]: tuple(r.get(k) for k in REVENUE) for r in table_rows(path, "partners", PARTNERS)
    }


@pytest.mark.slow
def test_a_quarter_export_keeps_the_quarters_before_it(tmp_path, capsys):
    q1 = [
        ("Acme", "5260001246", dt.date(2024, 4, 2), D("12000")),
        ("Acme", "5260001246", dt.date(2025, 5, 10), D("6000")),
    ]
    code, first, _ = review(tmp_path, "q1", q1, "--period", "FY2025..2026Q1", capsys=capsys)
    assert code == 0 and figures(first)["Acme"] == (12000, 6000, None, None, None)
    # Q2: July to September only; a credit note of Q2 with no Q2 invoice.
    q2 = [
        ("Acme", "5260001246", dt.date(2025, 7, 15), D("-500")),
        ("Beta", "", dt.date(2025, 9, 30), D("100")),
    ]
    code, second, printed = review(tmp_path, "q2", q2, "--carry-over", str(first), capsys=capsys)
    assert code == 0, printed
    assert figures(second)["Acme"] == (12000, 6000, -500, None, None)
    assert figures(second)["Beta"] == (0, 0, 100, None, None)  # new: nothing in the Q1 review
    assert "q2.csv covers FY2026 Q2 (by its invoice dates, 15.07.2025 to 30.09.2025)" in printed
    assert "At risk of demotion (0)" in printed  # 5,500 in two quarters keeps Silver's pace
    start = load_workbook(second)[label("start", "en")]
    assert start[setting_cell("SalesPeriod").replace("$", "")].value == (
        "FY2026 Q2 (by its invoice dates, 15.07.2025 to 30.09.2025)"
    )


def test_a_year_below_zero_is_refused_naming_partner_and_rows(tmp_path, capsys):
    rows = [
        ("Acme", "", dt.date(2025, 5, 1), D("100")),
        ("Beta", "", dt.date(2025, 5, 1), D("5")),
        ("Acme", "", dt.date(2025, 8, 1), D("-300")),
    ]
    code, out, printed = review(tmp_path, "neg", rows, capsys=capsys)
    assert code == 1 and not out.exists()
    assert "Acme: revenue this year to Q2 is -200.00, below zero (export lines 2, 4)" in printed
    assert "--skip-bad" in printed and "Traceback" not in printed
    code, out, printed = review(tmp_path, "neg", rows, "--skip-bad", capsys=capsys)
    assert code == 0 and set(figures(out)) == {"Beta"}


@pytest.mark.slow
def test_period_says_what_the_dates_cannot(tmp_path, capsys):
    q1 = [("Acme", "", dt.date(2025, 5, 1), D("1000")), ("Beta", "", dt.date(2025, 5, 1), D("7"))]
    _, first, _ = review(tmp_path, "q1", q1, "--period", "2026Q1")
    # An export of April to September whose first sale is in July: Q1 had none.
    rows = [("Acme", "", dt.date(2025, 7, 1), D("50"))]
    code, by_dates, _ = review(tmp_path, "d", rows, "--carry-over", str(first))
    assert code == 0 and figures(by_dates)["Acme"][1:3] == (1000, 50)
    code, by_period, printed = review(
        tmp_path, "p", rows, "--carry-over", str(first), "--period", "2026Q1..2026Q2", capsys=capsys
    )
    assert code == 0 and figures(by_period)["Acme"][1:3] == (0, 50)
    assert figures(by_period)["Beta"][1:3] == (0, 0)
    assert "p.csv covers FY2026 Q1 to FY2026 Q2 (as --period 2026Q1..2026Q2 says)" in printed
    code, _, printed = review(tmp_path, "bad", rows, "--period", "Q7", capsys=capsys)
    assert code == 1 and "--period 'Q7'" in printed


YEAR_DAYS = {  # the first day and length of each period of the Sophos program
    0: (dt.date(2024, 4, 1), 365),
    1: (dt.date(2025, 4, 1), 91),
    2: (dt.date(2025, 7, 1), 92),
    3: (dt.date(2025, 10, 1), 92),
    4: (dt.date(2026, 1, 1), 90),
}


@pytest.mark.slow
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4), st.integers(0, 4), st.integers(0, 89), st.integers(0, 5_000_000)
        ),
        min_size=1,
        max_size=25,
    )
)
def test_quarterly_exports_carried_over_equal_one_export_of_the_year(tmp_path_factory, invoices):
    """Each quarter's export carried over to the next gives the figures of one export."""
    tmp = tmp_path_factory.mktemp("quarters")
    names = ["Acme", "Bajt", "Cyfra", "Delta", "Echo"]
    rows = {period: [] for period in YEAR_DAYS}
    for who, period, day, cents in invoices:
        first, length = YEAR_DAYS[period]
        rows[period].append(
            (names[who], "", first + dt.timedelta(days=day % length), D(cents) / 100)
        )
    everything = [row for period in YEAR_DAYS for row in rows[period]]
    code, whole, _ = review(
        tmp, "whole", everything, "--period", "FY2025..2026Q4", "--quarter", "4"
    )
    assert code == 0
    code, previous, _ = review(
        tmp, "q1", rows[0] + rows[1], "--period", "FY2025..2026Q1", "--quarter", "1"
    )
    assert code == 0
    for q in (2, 3, 4):
        code, previous, _ = review(
            tmp,
            f"q{q}",
            rows[q],
            "--carry-over",
            str(previous),
            "--period",
            f"2026Q{q}",
            "--quarter",
            str(q),
        )
        assert code == 0
    assert figures(previous) == figures(whole)


def test_an_export_of_part_of_the_prior_year_keeps_the_previous_prior_year(tmp_path, capsys):
    q1 = [("Acme", "", dt.date(2024, 4, 2), D("12000")), ("Acme", "", dt.date(2025, 5, 1), D("9"))]
    _, first, _ = review(tmp_path, "q1", q1, "--period", "FY2025..2026Q1", capsys=capsys)
    # A calendar-year export, January to September: the last quarter of FY2025 and two more.
    rows = [("Acme", "", dt.date(2025, 2, 3), D("700")), ("Acme", "", dt.date(2025, 8, 1), D("5"))]
    code, second, printed = review(tmp_path, "cal", rows, "--carry-over", str(first), capsys=capsys)
    assert code == 0
    assert figures(second)["Acme"][:3] == (12000, 0, 5)  # Q1 is covered: no sale in it
    assert "covers only part of FY2025" in printed
    assert "cal.csv covers FY2025 Q4 to FY2026 Q2" in printed
