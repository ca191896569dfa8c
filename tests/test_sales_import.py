"""Reading sales exports in every shape the ERPs write them."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partner_tiers import cli
from partner_tiers.files import safe_xlsx
from partner_tiers.review.export_tables import ExportFileError
from partner_tiers.review.sales_import import read_sales, without_bad_rows
from partner_tiers.rules.fiscal_year import fiscal_period, fiscal_year_start
from partner_tiers.rules.programs import get_program
from partner_tiers.workbooks.layout import PARTNERS

from .exports import ENGLISH, POLISH, CsvStyle, amount_text, write_csv, write_xlsx
from .reading import table_rows

SOPHOS = get_program("sophos-2019")  # April to March, EUR
D = Decimal

# (name, tax id, date, amount) for invoices; FY2026 runs from 2025-04-01 to 2026-03-31.
INVOICES = [
    ("Acme Sp. z o.o.", "526-000-12-46", dt.date(2024, 6, 30), D("12500.00")),
    ("ACME SP. Z O.O.", "PL5260001246", dt.date(2025, 3, 31), D("500.50")),
    ("Acme Sp. z o.o.", "5260001246", dt.date(2025, 4, 1), D("1234.56")),
    ("Bajt-Net", "", dt.date(2025, 7, 15), D("9999.99")),
    ("bajt  net", "", dt.date(2025, 10, 2), D("-1000.00")),  # a credit note
    ("Łódź Serwis", "7251801126", dt.date(2024, 12, 1), D("61000.00")),
]


def _by_name(result):
    return {p.name: p for p in result.partners}


def _check_invoices(result) -> None:
    assert (result.fiscal_year, result.quarter) == (2026, 3)
    partners = _by_name(result)
    assert set(partners) == {"Acme Sp. z o.o.", "Bajt-Net", "Łódź Serwis"}
    acme = partners["Acme Sp. z o.o."]
    assert acme.revenue_prior_year == D("13000.50")
    assert acme.revenue_quarters == [D("1234.56"), D(0), D(0), None]
    bajt = partners["Bajt-Net"]
    assert bajt.revenue_prior_year == 0 and bajt.revenue_quarters == [
        D(0),
        D("9999.99"),
        D("-1000.00"),
        None,
    ]
    assert partners["Łódź Serwis"].revenue_prior_year == D("61000.00")
    assert result.problems == []


DIALECT_IDS = [
    "pl-nbsp-bom",
    "pl-space-cp1250",
    "pl-dot",
    "pl-plain-iso",
    "comma-quoted",
    "tab-cp1250",
    "en",
]
POLISH_HEADER = ["Kontrahent", "NIP", "Data faktury", "Kwota netto"]


@pytest.mark.parametrize(
    "style",
    [
        POLISH,
        CsvStyle(thousands=" ", encoding="cp1250"),
        CsvStyle(thousands=".", encoding="utf-8"),
        CsvStyle(thousands="", encoding="utf-8-sig", date_format="%Y-%m-%d"),
        CsvStyle(delimiter=",", decimal=",", thousands=" "),  # quoted decimal commas
        CsvStyle(delimiter="\t", decimal=".", thousands=",", encoding="cp1250"),
        ENGLISH,
    ],
    ids=DIALECT_IDS,
)
def test_invoices_in_every_csv_dialect_give_the_same_totals(tmp_path: Path, style) -> None:
    rows = [(n, t, d, a) for n, t, d, a in INVOICES]
    path = write_csv(tmp_path / "sprzedaz.csv", POLISH_HEADER, rows, style)
    _check_invoices(read_sales(path, SOPHOS))


def test_english_headers_in_another_order_and_title_lines(tmp_path: Path) -> None:
    header = ["Invoice date", "Net amount", "VAT ID", "Customer", "Invoice no"]
    rows = [(d, a, t, n, f"FV/{i}") for i, (n, t, d, a) in enumerate(INVOICES)]
    path = write_csv(
        tmp_path / "sales.csv",
        header,
        rows,
        ENGLISH,
        preamble=["Sales report", "Generated 2026-01-05"],
    )
    result = read_sales(path, SOPHOS)
    _check_invoices(result)
    assert "columns not used: Invoice no" in result.notices


@pytest.mark.parametrize("as_text", [False, True], ids=["native", "text"])
def test_xlsx_invoices_native_or_as_text(tmp_path: Path, as_text: bool) -> None:
    path = write_xlsx(
        tmp_path / "sprzedaz.xlsx",
        POLISH_HEADER,
        INVOICES,
        preamble=["Raport sprzedaży"],
        as_text=as_text,
    )
    _check_invoices(read_sales(path, SOPHOS))


def test_quarter_rows_with_a_fiscal_year(tmp_path: Path) -> None:
    header = ["Partner", "Kwartał", "Obrót"]
    rows = [
        ("Acme", "2025Q4", D("100")),
        ("Acme", "Q1 2026", D("7")),
        ("Acme", "FY2026 Q2", D("5")),
        ("Beta", "2026-Q2", D("1")),
    ]
    result = read_sales(write_csv(tmp_path / "q.csv", header, rows), SOPHOS)
    acme = _by_name(result)["Acme"]
    assert (result.fiscal_year, result.quarter) == (2026, 2)
    assert acme.revenue_prior_year == D(100) and acme.revenue_quarters == [D(7), D(5), None, None]


def test_quarter_and_year_columns(tmp_path: Path) -> None:
    header = ["Rok", "Kwartał", "Partner", "Sprzedaż"]
    rows = [(2026, 1, "Acme", D("10")), (2026, 1, "Acme", D("5")), (2025, 4, "Acme", D("1"))]
    result = read_sales(write_csv(tmp_path / "q.csv", header, rows), SOPHOS)
    assert _by_name(result)["Acme"].revenue_quarters[0] == D(15)
    assert _by_name(result)["Acme"].revenue_prior_year == D(1)


def test_one_row_per_partner_with_quarter_columns(tmp_path: Path) -> None:
    header = [
        "Partner",
        "NIP",
        "Obrót w poprzednim roku",
        "Obrót Q1",
        "Obrót Q2",
        "Certyfikowani handlowcy",
        "MSP",
        "Opiekun",
    ]
    rows = [
        ("Acme", "", D("45000"), D("10000"), D("2500.5"), 2, "Tak", "Anna"),
        ("Beta", "", D("9999.99"), None, None, "", "nie", ""),
        ("acme", "", D("1"), D("1"), None, "", "", ""),
    ]
    result = read_sales(write_csv(tmp_path / "w.csv", header, rows), SOPHOS, fiscal_year=2026)
    acme = _by_name(result)["Acme"]
    assert acme.revenue_prior_year == D("45001") and acme.revenue_quarters == [
        D(10001),
        D("2500.5"),
        None,
        None,
    ]
    assert (acme.certified_sales, acme.msp, acme.account_manager) == (2, True, "Anna")
    assert _by_name(result)["Beta"].msp is False
    assert (result.fiscal_year, result.quarter) == (2026, 2)
    assert any("'acme' is also on line 2; their revenue is summed" in n for n in result.notices)


def test_the_fiscal_year_follows_the_program_start_month() -> None:
    for day in (dt.date(2025, 3, 31), dt.date(2025, 4, 1), dt.date(2026, 1, 1)):
        for start in range(1, 13):
            year, quarter = fiscal_period(day, start)
            first = fiscal_year_start(year, start)
            assert first <= day < fiscal_year_start(year + 1, start)
            months = (day.year - first.year) * 12 + day.month - first.month
            assert quarter == months // 3 + 1


def test_overrides_for_delimiter_encoding_and_decimal(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    # A "|" file in ISO-8859-2 whose amounts never show their decimal separator.
    path.write_bytes("Partner|Data|Kwota\nŁuk|2025-05-01|1.250\n".encode("iso-8859-2"))
    result = read_sales(path, SOPHOS, delimiter="|", encoding="iso-8859-2", decimal=",")
    assert _by_name(result)["Łuk"].revenue_quarters[0] == D("1250")
    result = read_sales(path, SOPHOS, delimiter="|", encoding="iso-8859-2", decimal=".")
    assert _by_name(result)["Łuk"].revenue_quarters[0] == D("1.25")


def test_a_guessed_decimal_separator_is_said(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv", ["Partner", "Data", "Kwota"], [("A", dt.date(2025, 5, 1), "1.250")]
    )
    result = read_sales(path, SOPHOS)
    assert _by_name(result)["A"].revenue_quarters[0] == D(1250)
    assert any("took ','" in n and "--decimal" in n for n in result.notices)


def test_mixed_decimal_separators_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Partner;Data;Kwota\nA;2025-05-01;1,5\nB;2025-05-01;2.25\n", "utf-8")
    with pytest.raises(ExportFileError, match=r"line 2: '1,5'.*line 3: '2.25'.*--decimal"):
        read_sales(path, SOPHOS)


def test_bad_rows_name_file_line_column_value_and_why(tmp_path: Path) -> None:
    rows = [
        ("Acme", dt.date(2025, 5, 1), D("10")),
        ("", dt.date(2025, 5, 1), D("1")),
        ("Beta", "31.02.2025", D("1")),
        ("Gamma", dt.date(2025, 5, 1), "12 zł 50"),
        ("Delta", dt.date(2025, 5, 1), ""),
    ]
    path = write_csv(tmp_path / "zle.csv", ["Kontrahent", "Data", "Kwota"], rows)
    result = read_sales(path, SOPHOS)
    assert [str(p) for p in result.problems] == [
        "zle.csv, line 3, column 'Kontrahent': '' is empty; every row needs a partner",
        "zle.csv, line 4, column 'Data': '31.02.2025' is not a date (write it as 2026-03-31 "
        "or 31.03.2026)",
        "zle.csv, line 5, column 'Kwota': '12 zł 50' is not an amount",
        "zle.csv, line 6, column 'Kwota': '' is empty",
    ]
    assert [p.name for p in without_bad_rows(result)] == ["Acme"]


def test_a_negative_quarter_is_read_as_it_is(tmp_path: Path) -> None:
    rows = [("Acme", dt.date(2025, 5, 1), D("10")), ("Acme", dt.date(2025, 8, 2), D("-11"))]
    result = read_sales(write_csv(tmp_path / "s.csv", ["Partner", "Data", "Kwota"], rows), SOPHOS)
    assert result.problems == []  # a year below zero is refused later, after the carry-over
    assert _by_name(result)["Acme"].revenue_quarters[:2] == [D("10"), D("-11")]


def test_another_currency_needs_the_program_currencys_rate(tmp_path: Path) -> None:
    header = ["Partner", "Data", "Kwota", "Waluta"]
    rows = [("A", dt.date(2025, 5, 1), D("100"), "PLN"), ("B", dt.date(2025, 5, 1), D("7"), "EUR")]
    path = write_csv(tmp_path / "s.csv", header, rows)
    result = read_sales(path, SOPHOS)
    assert [(p.line, p.column, p.value) for p in result.problems] == [(2, "Waluta", "PLN")]
    assert "give --fx (PLN for 1 EUR) or --rates FILE" in result.problems[0].why
    result = read_sales(path, SOPHOS, fx=D("4.2644"))  # PLN for one EUR, as NBP writes it
    assert _by_name(result)["A"].revenue_quarters[0] == D("23.45")
    assert _by_name(result)["B"].revenue_quarters[0] == D("7")
    assert result.amounts == ["converted the PLN amounts to EUR with --fx 4.2644"]


def test_kurs_is_pln_for_one_unit_of_the_invoice_currency(tmp_path: Path) -> None:
    header = ["Kontrahent", "Data", "Wartość netto", "Waluta", "Kurs"]
    rows = [
        ("A", dt.date(2025, 5, 1), D("100"), "EUR", "4,2700"),  # the program's: as it is
        ("A", dt.date(2025, 5, 2), D("425"), "PLN", "1,0000"),
        ("A", dt.date(2025, 5, 3), D("100"), "USD", "3,9500"),
    ]
    path = write_csv(tmp_path / "s.csv", header, rows)
    result = read_sales(path, SOPHOS, fx=D("4.25"))
    # 100 EUR + 425 PLN / 4.25 + 100 USD * 3.95 PLN / 4.25
    assert _by_name(result)["A"].revenue_quarters[0] == D("100") + D("100.00") + D("92.94")
    without = read_sales(path, SOPHOS)
    assert [p.line for p in without.problems] == [3, 4]  # never 1:1: PLN and USD need --fx
    assert all("--fx" in p.why for p in without.problems)


def test_the_erps_pln_invoice_with_kurs_1_is_never_taken_as_euro(tmp_path: Path) -> None:
    header = ["Kontrahent", "Data", "Kwota netto", "Waluta", "Kurs"]
    path = write_csv(
        tmp_path / "s.csv", header, [("A", dt.date(2025, 5, 1), D("43000"), "PLN", "1,0000")]
    )
    refused = read_sales(path, SOPHOS)
    assert refused.partners == [] and "needs the EUR rate in PLN before 01.05.2025" in str(
        refused.problems[0]
    )
    assert _by_name(read_sales(path, SOPHOS, fx=D("4.3")))["A"].revenue_quarters[0] == D("10000.00")


def test_a_rate_of_one_between_two_currencies_is_refused(tmp_path: Path) -> None:
    header = ["Kontrahent", "Data", "Kwota", "Waluta", "Kurs"]
    rows = [("A", dt.date(2025, 5, 1), D("100"), "USD", "1")]
    result = read_sales(write_csv(tmp_path / "s.csv", header, rows), SOPHOS, fx=D("4.2"))
    assert "has the rate 1 to PLN" in result.problems[0].why
    rows = [("A", dt.date(2025, 5, 1), D("100"), "PLN", "1")]
    result = read_sales(write_csv(tmp_path / "s.csv", header, rows), SOPHOS, fx=D("1"))
    assert "rate 1 from PLN to EUR" in result.problems[0].why


NBP_ARCHIVE = (  # the head and the foot of NBP's yearly archive of table A, as its site has it
    "data;1THB;1USD;1EUR;100JPY;nr tabeli;pełny numer tabeli\r\n"
    ";bat (Tajlandia);dolar amerykański;euro;jen (Japonia);;\r\n"
    "20250430;0,1120;3,7560;4,2651;2,6350;083;083/A/NBP/2025\r\n"
    "20250502;0,1115;3,7760;4,2700;2,6004;084;084/A/NBP/2025\r\n"
    "20250505;0,1116;3,7490;4,2617;2,6022;085;085/A/NBP/2025\r\n"
    "kod ISO;THB;USD;EUR;JPY;;\r\n"
)


@pytest.mark.parametrize("kind", ["nbp", "table"])
def test_rates_of_the_last_business_day_before_each_invoice(tmp_path: Path, kind) -> None:
    rates_path = tmp_path / "kursy.csv"
    if kind == "nbp":
        rates_path.write_bytes(NBP_ARCHIVE.encode("cp1250"))
    else:
        table = (
            "Data;Waluta;Kurs\n2025-04-30;EUR;4,2651\n2025-05-02;EUR;4,2700\n"
            "2025-05-05;EUR;4,2617\n2025-05-02;USD;3,7760\n"
        )
        rates_path.write_text(table, "utf-8")
    header = ["Kontrahent", "Data", "Kwota", "Waluta"]
    rows = [
        ("A", dt.date(2025, 5, 1), D("4265.10"), "PLN"),  # 30 April's table: 4,2651
        ("B", dt.date(2025, 5, 5), D("4270.00"), "PLN"),  # 2 May's (not 5 May's): 4,2700
        ("C", dt.date(2025, 5, 6), D("377.60"), "USD"),
    ]  # 377.60 * 3.7490 / 4.2617
    path = write_csv(tmp_path / "s.csv", header, rows)
    from partner_tiers.review.exchange_rates import read_rates

    result = read_sales(path, SOPHOS, rates=read_rates(rates_path))
    figures = {p.name: p.revenue_quarters[0] for p in result.partners}
    assert figures["A"] == D("1000.00") and figures["B"] == D("1000.00")
    if kind == "nbp":
        assert figures["C"] == (D("377.60") * D("3.7490") / D("4.2617")).quantize(D("0.01"))
    else:  # the table has no USD rate before 6 May but 2 May's
        assert figures["C"] == (D("377.60") * D("3.7760") / D("4.2617")).quantize(D("0.01"))
    assert result.problems == []


def test_both_value_columns_count_the_sales_own_currency(tmp_path: Path) -> None:
    header = ["Kontrahent", "Data", "Wartość netto", "Wartość netto PLN", "Waluta", "Kurs"]
    rows = [("A", dt.date(2025, 5, 1), D("100"), D("427"), "EUR", "4,27")]
    result = read_sales(write_csv(tmp_path / "s.csv", header, rows), SOPHOS)
    assert _by_name(result)["A"].revenue_quarters[0] == D("100")
    assert result.amounts == [
        "counted 'Wartość netto', each sale in its own currency, not 'Wartość netto PLN', the "
        "same in PLN"
    ]
    header = ["Kontrahent", "Data", "Wartość netto PLN", "Waluta"]
    rows = [("A", dt.date(2025, 5, 1), D("427"), "EUR")]
    result = read_sales(write_csv(tmp_path / "s.csv", header, rows), SOPHOS, fx=D("4.27"))
    assert _by_name(result)["A"].revenue_quarters[0] == D(
        "100"
    )  # the PLN column, whatever Waluta says
    assert result.amounts[0] == "counted 'Wartość netto PLN', in PLN"


def test_a_currency_in_the_amount_counts_and_no_currency_is_said(tmp_path: Path) -> None:
    rows = [("A", dt.date(2025, 5, 1), "1 000,00 zł")]
    path = write_csv(tmp_path / "s.csv", ["Partner", "Data", "Kwota"], rows)
    assert read_sales(path, SOPHOS).problems[0].value == "PLN"
    rows = [("A", dt.date(2025, 5, 1), "1 000,00")]
    path = write_csv(tmp_path / "s.csv", ["Partner", "Data", "Kwota"], rows)
    assert any("taken to be EUR" in n for n in read_sales(path, SOPHOS).notices)
    converted = read_sales(path, SOPHOS, currency="PLN", fx=D("4"))
    assert _by_name(converted)["A"].revenue_quarters[0] == D("250.00")


def test_partners_are_one_by_tax_id_then_by_name(tmp_path: Path) -> None:
    rows = [
        ("Acme", "526-000-12-46", dt.date(2025, 5, 1), D("1")),
        ("Acme (Kraków)", "5260001246", dt.date(2025, 5, 1), D("2")),
        ("ACME", "", dt.date(2025, 5, 1), D("4")),
        ("Other Acme", "1111111111", dt.date(2025, 5, 1), D("8")),
    ]
    result = read_sales(write_csv(tmp_path / "s.csv", POLISH_HEADER, rows), SOPHOS)
    assert {p.name: p.revenue_quarters[0] for p in result.partners} == {"Acme": 7, "Other Acme": 8}
    assert any("'Acme (Kraków)' has the tax id of 'Acme'" in n for n in result.notices)


def test_control_characters_are_removed_and_said(tmp_path: Path, capsys) -> None:
    rows = [
        ("Ac\x07me\x1b", dt.date(2025, 5, 1), D("1")),
        ("Be\uffffta\x85", dt.date(2025, 5, 1), D("2")),  # XML forbids U+FFFF; C1 NEL
    ]
    path = write_csv(tmp_path / "s.csv", ["Partner", "Data", "Kwota"], rows, ENGLISH)
    result = read_sales(path, SOPHOS)
    assert [p.name for p in result.partners] == ["Acme", "Beta"]
    assert any("line 2: removed control characters" in n for n in result.notices)
    assert any("line 3: removed control characters" in n for n in result.notices)
    out = tmp_path / "r.xlsx"  # the review is well-formed XML, and carries over
    assert cli.main(["review", str(path), "--out", str(out)]) == 0
    again = tmp_path / "again.xlsx"
    assert cli.main(["review", str(path), "--carry-over", str(out), "--out", str(again)]) == 0
    assert "Beta" in {r.get("name") for r in table_rows(again, "partners", PARTNERS)}
    assert "\x85" not in capsys.readouterr().out


def test_rows_outside_the_two_fiscal_years_are_counted_out_loud(tmp_path: Path) -> None:
    rows = [("A", dt.date(2025, 5, 1), D("1")), ("A", dt.date(2020, 5, 1), D("1"))]
    result = read_sales(write_csv(tmp_path / "s.csv", ["Partner", "Data", "Kwota"], rows), SOPHOS)
    assert any(
        "1 row falls outside FY2025 and FY2026" in n and "lines 3" in n for n in result.notices
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no header row"),
        (b"Partner;Kwota\nA;1\n", "no column says when"),
        (b"Partner;Kwota;Obr\xc3\xb3t Q1;Data\nA;1;2;2025-01-01\n", "keep one of the two"),
        (b"Partner;Kwota;Netto;Data\n", "both 'Kwota' and 'Netto'"),
        (b"Partner;Kwota\x00\x01", "binary data"),
    ],
)
def test_unreadable_csv_files_say_why(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ExportFileError, match=message):
        read_sales(path, SOPHOS)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData>
</worksheet>"""


def _replace_part(source: Path, target: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            content = data if item.filename == part else src.read(item.filename)
            dst.writestr(item.filename, content, zipfile.ZIP_DEFLATED)
    return target


def test_hostile_and_broken_xlsx_files_are_refused_clearly(tmp_path: Path, monkeypatch) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", POLISH_HEADER, INVOICES)
    laughs = _replace_part(
        good, tmp_path / "laughs.xlsx", "xl/worksheets/sheet1.xml", BILLION_LAUGHS
    )
    with pytest.raises(ExportFileError, match="declares XML entities"):
        read_sales(laughs, SOPHOS)
    monkeypatch.setattr(safe_xlsx, "RATIO_CHECK_BYTES", 1 << 20)
    bomb = _replace_part(
        good,
        tmp_path / "bomb.xlsx",
        "xl/worksheets/sheet1.xml",
        b"<!-- " + b" " * (30 << 20) + b" -->",
    )
    with pytest.raises(ExportFileError, match=r"refused.*sheet1\.xml.*safety limits"):
        read_sales(bomb, SOPHOS)
    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ExportFileError, match=r"cut\.xlsx is damaged"):
        read_sales(tmp_path / "cut.xlsx", SOPHOS)
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(ExportFileError, match=r"old-style \.xls"):
        read_sales(tmp_path / "old.xlsx", SOPHOS)
    (tmp_path / "text.xlsx").write_text("Partner;Kwota\n", "utf-8")
    with pytest.raises(ExportFileError, match="not an XLSX workbook"):
        read_sales(tmp_path / "text.xlsx", SOPHOS)
    no_sheet = _replace_part(good, tmp_path / "nosheet.xlsx", "xl/workbook.xml", b"<oops")
    with pytest.raises(ExportFileError, match="cannot be read as a workbook"):
        read_sales(no_sheet, SOPHOS)


STYLES = st.builds(
    CsvStyle,
    delimiter=st.sampled_from([";", ",", "\t"]),
    decimal=st.sampled_from([",", "."]),
    thousands=st.sampled_from(["", " ", "\u00a0"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1250"]),
    date_format=st.sampled_from(["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]),
)
NAMES = st.text(alphabet="abcdeóżł ĄĆ-.&=+@", min_size=1, max_size=12).filter(
    lambda s: s.strip(" .-&") != ""
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    style=STYLES,
    sales=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 700), st.integers(0, 10**9)),
        min_size=1,
        max_size=30,
    ),
    english=st.booleans(),
)
def test_any_dialect_reads_back_the_totals_it_was_written_with(
    tmp_path: Path, style: CsvStyle, sales, english: bool
) -> None:
    """Invoices of 10 partners over two fiscal years, in a random CSV dialect."""
    first = fiscal_year_start(2025, SOPHOS.fiscal_year_start_month)
    names = [f"Partner {i} ąż" for i in range(10)]
    rows, expected = [], {}
    for who, day, cents in sales:
        date, amount = first + dt.timedelta(days=day), D(cents) / 100
        year, q = fiscal_period(date, SOPHOS.fiscal_year_start_month)
        totals = expected.setdefault(names[who], {})
        totals[(year, q)] = totals.get((year, q), 0) + amount
        rows.append((names[who], date, amount))
    header = ["Customer", "Date", "Amount"] if english else ["Kontrahent", "Data", "Kwota"]
    path = write_csv(tmp_path / "prop.csv", header, rows, style)
    result = read_sales(path, SOPHOS, fiscal_year=2026, decimal=style.decimal)
    assert result.problems == []
    days = [first + dt.timedelta(days=day) for _, day, _ in sales]
    first_sale = fiscal_period(min(days), SOPHOS.fiscal_year_start_month)
    last_sale = fiscal_period(max(days), SOPHOS.fiscal_year_start_month)
    assert min(result.coverage.quarters) == first_sale
    assert max(result.coverage.quarters) == last_sale
    assert (
        len(result.coverage.quarters)
        == (last_sale[0] - first_sale[0]) * 4 + (last_sale[1] - first_sale[1]) + 1
    )
    for partner in result.partners:
        totals = expected[partner.name]
        prior = sum((v for (y, _), v in totals.items() if y == 2025), D(0))
        assert partner.revenue_prior_year == (prior if result.has_prior_year else None)
        for q in range(1, result.quarter + 1):
            covered = result.coverage.covers(2026, q)  # outside: unknown, not 0
            assert partner.revenue_quarters[q - 1] == (
                totals.get((2026, q), 0) if covered else None
            )
    assert {p.name for p in result.partners} == set(expected)
    assert result.has_prior_year == any(y == 2025 for t in expected.values() for y, _ in t)


def test_amount_text_round_trips_with_thousands_separators() -> None:
    style = CsvStyle(thousands=".", decimal=",")
    assert amount_text(D("-1234567.5"), style) == "-1.234.567,50"


def test_a_file_that_cannot_be_opened_says_so(tmp_path: Path, monkeypatch) -> None:
    path = write_csv(
        tmp_path / "open.csv", ["Partner", "Data", "Kwota"], [("A", "2025-05-01", "1")]
    )

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(ExportFileError, match=r"open\.csv cannot be read \(Permission denied\)"):
        read_sales(path, SOPHOS)


@pytest.mark.parametrize("label", ["Razem:", "Suma", "OGÓŁEM", "Total", "Podsumowanie", None])
def test_total_rows_are_skipped_with_a_note_and_never_summed(tmp_path: Path, label) -> None:
    rows = [
        ("Acme", dt.date(2025, 5, 1), D("100")),
        ("Suma Systems", dt.date(2025, 5, 2), D("7")),
        (label, None, D("107")),
    ]
    path = write_csv(tmp_path / "s.csv", ["Kontrahent", "Data", "Kwota"], rows)
    result = read_sales(path, SOPHOS)
    assert {p.name: p.revenue_quarters[0] for p in result.partners} == {
        "Acme": 100,
        "Suma Systems": 7,
    }
    assert result.problems == []
    why = repr(label) if label else "an amount with no partner and no date"
    assert f"skipped 1 total or summary row, never summed into a partner: line 4 ({why})" in (
        result.notices
    )


def test_a_total_label_in_another_column_and_a_subtotal_are_skipped(tmp_path: Path) -> None:
    header = ["Lp.", "Kontrahent", "NIP", "Data", "Kwota"]
    rows = [
        ("1", "Acme", "5260001246", dt.date(2025, 5, 1), D("100")),
        ("", "Razem dla Acme", "", None, D("100")),
        ("2", "Beta", "", dt.date(2025, 5, 1), D("5")),
        ("Razem:", "", "", None, D("105")),
    ]
    result = read_sales(write_csv(tmp_path / "s.csv", header, rows), SOPHOS)
    assert {p.name: p.revenue_quarters[0] for p in result.partners} == {"Acme": 100, "Beta": 5}
    assert any(
        "skipped 2 total or summary rows" in n
        and "line 3 ('Razem dla Acme')" in n
        and "line 5 ('Razem:')" in n
        for n in result.notices
    )


def test_one_unreadable_amount_is_a_row_problem_not_a_file_problem(tmp_path: Path) -> None:
    day = dt.date(2025, 5, 1)
    rows = [
        ("A", day, D("1234.50")),
        ("B", day, "12,34,56"),
        ("C", day, D("99999")),
        ("D", day, "99\u00a0999.00"),
        ("E", day, D("5")),
    ]
    path = write_csv(tmp_path / "s.csv", ["Kontrahent", "Data", "Kwota"], rows)
    result = read_sales(path, SOPHOS)
    assert [str(p) for p in result.problems] == [
        "s.csv, line 3, column 'Kwota': '12,34,56' is not an amount",
        "s.csv, line 5, column 'Kwota': '99<NBSP>999.00' is not an amount",
    ]
    assert any(
        "amounts use ',' as the decimal separator (3 values); 2 values that read "
        "otherwise are reported row by row" in n
        for n in result.notices
    )
    assert {p.name: p.revenue_quarters[0] for p in without_bad_rows(result)} == {
        "A": D("1234.50"),
        "C": D("99999.00"),
        "E": D("5.00"),
    }


def test_tax_ids_are_checked_with_stdnum_and_kept_as_typed(tmp_path: Path) -> None:
    rows = [
        ("Acme", "PL 526-000-12-46", dt.date(2025, 5, 1), D("1")),
        ("Acme", "5260001246", dt.date(2025, 5, 2), D("2")),  # the same id, spelt otherwise
        ("Zły NIP", "526-000-12-47", dt.date(2025, 5, 1), D("4")),
        ("Zły NIP", "526-000-12-47", dt.date(2025, 5, 3), D("4")),  # warned once
        ("Bremen GmbH", "DE 136 695 977", dt.date(2025, 5, 1), D("8")),
        ("Wien GmbH", "ATU13585627", dt.date(2025, 5, 1), D("16")),
    ]
    result = read_sales(write_csv(tmp_path / "s.csv", POLISH_HEADER, rows), SOPHOS)
    partners = _by_name(result)
    assert (
        partners["Acme"].revenue_quarters[0] == 3 and partners["Zły NIP"].revenue_quarters[0] == 8
    )
    assert partners["Zły NIP"].tax_id == "526-000-12-47"  # kept as typed
    warnings = [n for n in result.notices if n.startswith("warning:")]
    assert warnings == [
        "warning: s.csv, line 4: the tax id '526-000-12-47' is not a valid NIP (its check "
        "digit is wrong); kept as typed",
        "warning: s.csv, line 6: the tax id 'DE 136 695 977' is not a valid EU VAT number (its "
        "check digit is wrong); kept as typed",
    ]
    assert result.problems == []


def test_two_date_columns_count_the_sale_date_unless_told(tmp_path: Path) -> None:
    header = ["Kontrahent", "Data wystawienia", "Data sprzedaży", "Wartość netto"]
    # Issued in April (Q1 of FY2026), sold in March (FY2025): the sale date decides.
    rows = [("Acme", dt.date(2025, 4, 2), dt.date(2025, 3, 28), D("100"))]
    path = write_csv(tmp_path / "s.csv", header, rows)
    result = read_sales(path, SOPHOS, fiscal_year=2026)
    assert _by_name(result)["Acme"].revenue_prior_year == 100
    assert any("counted 'Data sprzedaży', the sale date" in n for n in result.notices)
    issued = read_sales(path, SOPHOS, fiscal_year=2026, date_column="data wystawienia")
    assert _by_name(issued)["Acme"].revenue_quarters[0] == 100
    with pytest.raises(ExportFileError, match=r"no date column is called 'Termin'.*'Data sp"):
        read_sales(path, SOPHOS, date_column="Termin")


def test_two_date_columns_without_a_sale_date_ask_which(tmp_path: Path) -> None:
    header = ["Kontrahent", "Data wystawienia", "Data dokumentu", "Netto"]
    path = write_csv(tmp_path / "s.csv", header, [("Acme", "2025-05-01", "2025-05-02", "1")])
    with pytest.raises(ExportFileError, match="choose the one of the sales with --date-column"):
        read_sales(path, SOPHOS)


def test_readme_lists_every_header_the_importer_knows() -> None:
    from partner_tiers.review.export_headers import HEADERS
    from partner_tiers.review.sales_fields import normalise_header

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    after = readme.split("README lists every header alias", 1)[1].split("\n", 1)[1]
    table = after.split("\n\n", 1)[0]
    listed = {normalise_header(h) for h in re.findall(r"`([^`]+)`", table)}
    known = {
        normalise_header(h)
        for field, names in HEADERS.items()
        for h in names
        if field not in ("q2", "q3", "q4")
    }
    assert listed == known
    for q in (2, 3, 4):  # "Q2, Q3, Q4 alike": the same spellings with their number
        assert {h.replace("q1", f"q{q}") for h in HEADERS["q1"]} == set(HEADERS[f"q{q}"])


def test_rows_in_another_separator_are_row_problems_not_a_new_delimiter(tmp_path: Path) -> None:
    """The delimiter is the one under which the header names its columns; it cannot be
    swayed by rows, and a row that does not split into those columns is reported alone."""
    path = tmp_path / "s.csv"
    path.write_text(
        "Kontrahent;Data;Kwota\nA;2025-05-01;1,50\nB,2025-05-01,2\nC;2025-05-02;3,25\n"
        "D,2025-05-02,4\nE,2025-05-03,5\n",
        "utf-8",
    )
    result = read_sales(path, SOPHOS)
    assert {p.name: p.revenue_quarters[0] for p in without_bad_rows(result)} == {
        "A": D("1.50"),
        "C": D("3.25"),
    }
    assert sorted({p.line for p in result.problems}) == [3, 5, 6]
    assert {(p.column, str(p).split(": ", 1)[1]) for p in result.problems} == {
        ("Data", "'' is empty; every sale needs a date"),
        ("Kwota", "'' is empty"),
    }


def test_a_utf8_export_with_one_windows_1250_line_stays_utf8(tmp_path: Path) -> None:
    lines = ["Kontrahent;Data;Kwota", "Łódź Serwis;01.05.2025;1", "Żółw IT;01.05.2025;2"]
    data = "\n".join(lines).encode("utf-8") + "\nŚląsk Net;01.05.2025;4\n".encode("cp1250")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    result = read_sales(path, SOPHOS)
    assert [p.name for p in result.partners] == ["Łódź Serwis", "Śląsk Net", "Żółw IT"]
    [warning] = [n for n in result.notices if n.startswith("warning:")]
    assert "mixed.csv is UTF-8 but for 1 line (4), read as Windows-1250" in warning
    whole = tmp_path / "cp1250.csv"
    whole.write_bytes("\n".join(lines).encode("cp1250"))
    assert [p.name for p in read_sales(whole, SOPHOS).partners] == ["Łódź Serwis", "Żółw IT"]
