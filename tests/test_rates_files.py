"""Rates files that would convert wrong, or stop with a traceback: each refused or read
right, with file, line and value named (review --rates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from partner_tiers import cli
from partner_tiers.review.exchange_rates import (
    MAX_RATES_FILE,
    RatesFileError,
    parse_rates,
    read_rates,
)
from partner_tiers.workbooks.layout import PARTNERS

from .exports import write_csv
from .reading import table_rows

D = Decimal


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _sales(folder: Path, day: dt.date, amount: str, currency: str) -> Path:
    return write_csv(
        folder / "sales.csv",
        ["Kontrahent", "Data", "Kwota", "Waluta"],
        [("Acme", day, D(amount), currency)],
    )


def test_a_units_column_divides_the_rate(tmp_path, capsys):
    """100,000 JPY at 2,6268 PLN for 100 JPY and 4,2652 PLN for 1 EUR: 615.87 EUR, not
    61,586.80."""
    rates = tmp_path / "kursy.csv"
    rates.write_text(
        "data;waluta;przelicznik;kurs\n2025-01-03;JPY;100;2,6268\n2025-01-03;EUR;1;4,2652\n",
        "utf-8",
    )
    sales = _sales(tmp_path, dt.date(2025, 1, 7), "100000", "JPY")
    out = tmp_path / "r.xlsx"
    code, _, err = run(
        capsys, "review", sales, "--rates", rates, "--fiscal-year", 2025, "--out", out
    )
    assert code == 0, err
    [acme] = table_rows(out, "partners", PARTNERS)
    assert acme["revenue_q4"] == pytest.approx(615.87)  # 7 January 2025: FY2025 Q4


def test_last_years_archive_is_no_rate_for_this_years_sale(tmp_path, capsys):
    rates = tmp_path / "archiwum_tab_a_2024.csv"
    rates.write_text("data;1EUR\n20241230;4,2730\n20241231;4,2730\n", "cp1250")
    sales = _sales(tmp_path, dt.date(2025, 9, 15), "1000", "PLN")
    code, _, err = run(capsys, "review", sales, "--rates", rates, "--out", tmp_path / "r.xlsx")
    assert code == 1
    assert "no EUR rate for 15.09.2025 in archiwum_tab_a_2024.csv; the latest before it is " in err
    assert "31.12.2024" in err and not (tmp_path / "r.xlsx").exists()


def test_a_rate_after_a_long_weekend_is_still_the_last_business_days():
    rates = parse_rates("data;1EUR\n20241223;4,2600\n", "a.csv")
    assert rates.on("EUR", dt.date(2024, 12, 30)) == D("4.2600")  # Christmas: 3 days between


def _review_with_rates(tmp_path: Path, capsys, text: str | bytes) -> tuple[int, str]:
    rates = tmp_path / "k.csv"
    if isinstance(text, bytes):
        rates.write_bytes(text)
    else:
        rates.write_text(text, "utf-8")
    sales = _sales(tmp_path, dt.date(2025, 9, 15), "1000", "PLN")
    out = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "review", sales, "--rates", rates, "--out", out)
    assert not out.exists() or code == 0
    return code, err


def test_two_rates_for_one_day_are_refused_naming_both_lines(tmp_path, capsys):
    text = (
        "date;currency;rate\n2025-09-12;EUR;4,2600\n2025-09-11;EUR;4,2500\n2025-09-12;EUR;42,600\n"
    )
    code, err = _review_with_rates(tmp_path, capsys, text)
    assert code == 1
    assert "k.csv: two EUR rates for 12.09.2025, 4.2600 on line 2 and 42.600 on line 4" in err
    same = "date;currency;rate\n2025-09-12;EUR;4,2600\n2025-09-12;EUR;4,26\n"
    assert parse_rates(same, "k.csv").on("EUR", dt.date(2025, 9, 15)) == D("4.2600")


def test_a_bad_value_is_named_on_its_own_line_blank_lines_counted(tmp_path, capsys):
    text = "date;currency;rate\n\n2025-09-11;EUR;4,25\n\n\n\n2025-09-12;EUR;x\n"
    code, err = _review_with_rates(tmp_path, capsys, text)
    assert code == 1 and "k.csv, line 7: 'x' is not a rate" in err


@pytest.mark.parametrize("rate", ["1e-400", "NaN", "Infinity", "0", "-4,2", "4,2,1", "2000000"])
def test_a_rate_that_is_no_rate_is_refused_in_one_line(tmp_path, capsys, rate):
    rates = tmp_path / "k.csv"
    rates.write_text(f"date;currency;rate\n2025-09-12;EUR;{rate}\n", "utf-8")
    sales = _sales(tmp_path, dt.date(2025, 9, 15), "1000", "PLN")
    code, _, err = run(capsys, "review", sales, "--rates", rates, "--out", tmp_path / "r.xlsx")
    assert code == 1 and "k.csv, line 2:" in err and "internal error" not in err


def test_a_rates_file_over_the_limit_says_the_limit_and_what_to_do(tmp_path, capsys):
    rates = tmp_path / "huge.csv"
    with rates.open("wb") as f:
        f.truncate(MAX_RATES_FILE + 1)
    with pytest.raises(RatesFileError, match=r"at most 16 MB .*give the rates of the export's"):
        read_rates(rates)
    sales = _sales(tmp_path, dt.date(2025, 9, 15), "1000", "PLN")
    code, _, err = run(capsys, "review", sales, "--rates", rates, "--out", tmp_path / "r.xlsx")
    assert code == 1 and "a rates file may have at most 16 MB" in err


def test_rates_in_descending_order_read_as_in_ascending_order():
    days = [dt.date(2020, 1, 1) + dt.timedelta(n) for n in range(2000)]
    lines = [f"{d:%Y-%m-%d};EUR;{4 + n / 10000:.4f}" for n, d in enumerate(days)]
    up = parse_rates("date;currency;rate\n" + "\n".join(lines), "up.csv")
    down = parse_rates("date;currency;rate\n" + "\n".join(reversed(lines)), "down.csv")
    assert (up.days, up.values) == (down.days, down.values)
