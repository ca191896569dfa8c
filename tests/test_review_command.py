"""The review, demo and snapshot commands end to end: files in, workbooks out, read back."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partner_tiers import cli, texts
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.formulas.workbook import Evaluator
from partner_tiers.rules.programs import get_program
from partner_tiers.rules.projection import project
from partner_tiers.rules.tiers import assess
from partner_tiers.texts import label
from partner_tiers.workbooks.layout import PARTNERS, REVIEW, setting_cell
from partner_tiers.workbooks.portfolio import build_portfolio_review

from .exports import ENGLISH, POLISH, CsvStyle, write_csv, write_xlsx
from .reading import table_rows

D = Decimal
SOPHOS = get_program("sophos-2019")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def partner_rows(path: Path) -> dict[str, dict[str, object]]:
    """Partners sheet rows by partner name, each as column key -> value."""
    return {r["name"]: r for r in table_rows(path, "partners", PARTNERS) if "name" in r}


def review_values(path: Path, language: str = "en") -> dict[str, dict[str, object]]:
    """The evaluated Review sheet by partner name."""
    wb = load_workbook(path)
    ev = Evaluator(wb, FUNCTIONS)
    sheet = label("review", language)
    rows = {}
    for row in range(REVIEW.first_row, wb[sheet].max_row + 1):
        values = {c.key: ev.cell_value(sheet, row, i) for i, c in enumerate(REVIEW.columns, 1)}
        if values["partner"] not in ("", None):
            rows[values["partner"]] = values
    return rows


# -- demo ----------------------------------------------------------------------------------


def test_demo_writes_the_review_and_prints_the_summary_the_workbook_computes(capsys, tmp_path):
    out = tmp_path / "demo.xlsx"
    code, text, _ = run(capsys, "demo", "--out", out)
    assert code == 0 and out.exists()
    assert f"Wrote {out} (40 partners)." in text
    wb = load_workbook(out)
    ev = Evaluator(wb, FUNCTIONS)
    dashboard = label("dashboard", "en")
    for row in range(6, 6 + len(SOPHOS.tiers)):
        tier, now, projected = (ev.cell_value(dashboard, row, c) for c in (1, 2, 3))
        assert re.search(rf"^{tier}\s+{now}\s+{projected}$", text, re.MULTILINE), tier
    review = review_values(out)
    at_risk = sorted(n for n, v in review.items() if v["demotion_risk"])
    printed = re.findall(r"^  (.+) \(heading for \w+\): (.+)$", text, re.MULTILINE)
    assert [name for name, _ in printed] == at_risk and len(at_risk) >= 3
    # The summary's sentence is the Review's, and it names what keeping the tier takes.
    for name, sentence in printed:
        assert sentence == review[name]["explanation"]
        assert f"Keeping {review[name]['current_tier']} takes " in sentence
    closest = re.findall(r"^  (.+?)\s{2,}\w+ -> \w+: ([\d,.]+)$", text, re.MULTILINE)
    first = next(r for r in range(17, 40) if ev.cell_value(dashboard, r, 1) == closest[0][0])
    assert [ev.cell_value(dashboard, first + k, 1) for k in range(10)] == [n for n, _ in closest]
    assert "Against sophos-pre-2019's rules:" in text


def test_samples_writes_the_demos_exports_and_the_review_it_suggests_runs(tmp_path, capsys):
    code, text, _ = run(capsys, "samples", "--out", tmp_path)
    sales, certs = tmp_path / "sales_fy2026_q2.csv", tmp_path / "certifications_fy2026_q2.csv"
    package = Path(cli.__file__).parent
    assert code == 0 and sales.read_bytes() == (package / cli.DEMO_SALES).read_bytes()
    assert certs.read_bytes() == (package / cli.DEMO_CERTIFICATIONS).read_bytes()
    suggested = text.splitlines()[-1].split()[1:]  # partner-tiers review ...
    assert cli.main([*suggested, "--out", str(tmp_path / "r.xlsx")]) == 0
    assert "Certifications that lapse before the audit" in capsys.readouterr().out
    code, _, err = run(capsys, "samples", "--out", tmp_path)
    assert code == 1 and "exists; use --force" in err


def test_demo_shows_the_certifications_that_lapse_before_the_audit(tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    code, text, err = run(capsys, "demo", "--out", out)
    assert code == 0 and "cannot be read" not in err
    lapsing = {n: v["lapsing"] for n, v in review_values(out).items() if v["lapsing"]}
    assert lapsing == {"Lumen IT Solutions Sp. z o.o.": 1, "Warta Systems S.A.": 1}
    assert "Certifications that lapse before the audit on 2026-03-31 (2):" in text
    assert "  Warta Systems S.A.: Joanna Kowalczyk, Sales Consultant, until 2026-01-15" in text


def test_demo_shows_the_2019_rule_change_and_near_misses(tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    run(capsys, "demo", "--out", out, "--lang", "pl")
    review = review_values(out, "pl")
    changes = [v["change"] for v in review.values()]
    assert changes.count(1) >= 3 and changes.count(-1) >= 3
    near = [v for v in review.values() if isinstance(v["gap"], float) and 0 < v["gap"] <= 600]
    assert len(near) >= 3
    assert len(review) == 40 and load_workbook(out).sheetnames[2] == "Przegląd"


def test_an_existing_output_is_kept_without_force(tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    out.write_bytes(b"my own work")
    code, _, err = run(capsys, "demo", "--out", out)
    assert code == 1 and "exists; use --force" in err and out.read_bytes() == b"my own work"
    assert run(capsys, "demo", "--out", out, "--force")[0] == 0
    assert zipfile.is_zipfile(out)


def test_a_locked_output_gives_a_clear_error_and_keeps_the_original(tmp_path, capsys, monkeypatch):
    out = tmp_path / "review.xlsx"
    out.write_bytes(b"open in Excel")

    def locked(*_):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    code, _, err = run(capsys, "demo", "--out", out, "--force")
    assert code == 1 and "close it in Excel" in err and str(out) in err
    assert out.read_bytes() == b"open in Excel"
    assert [p.name for p in tmp_path.iterdir()] == ["review.xlsx"]  # no temporary file left


# -- review from every export shape ---------------------------------------------------------

INVOICES = [
    ("Acme Sp. z o.o.", "526-000-12-46", dt.date(2024, 6, 30), D("45000.00")),
    ("Acme Sp. z o.o.", "5260001246", dt.date(2025, 4, 1), D("1234.56")),
    ("Acme Sp. z o.o.", "5260001246", dt.date(2025, 8, 1), D("20000.00")),
    ("Bajt-Net", "", dt.date(2025, 3, 15), D("9999.99")),
    ("Bajt-Net", "", dt.date(2025, 7, 15), D("100.00")),
]
EXPECTED = {  # name: (prior year, Q1, Q2)
    "Acme Sp. z o.o.": (45000.0, 1234.56, 20000.0),
    "Bajt-Net": (9999.99, 0, 100.0),
}


def _invoice_exports(tmp_path: Path) -> dict[str, Path]:
    header_pl = ["Kontrahent", "NIP", "Data faktury", "Kwota netto"]
    header_en = ["Customer", "VAT ID", "Invoice date", "Net amount"]
    return {
        "csv-pl-bom-nbsp": write_csv(tmp_path / "a.csv", header_pl, INVOICES, POLISH),
        "csv-pl-cp1250-dot": write_csv(
            tmp_path / "b.csv", header_pl, INVOICES, CsvStyle(thousands=".", encoding="cp1250")
        ),
        "csv-en-comma": write_csv(tmp_path / "c.csv", header_en, INVOICES, ENGLISH),
        "xlsx-native": write_xlsx(tmp_path / "d.xlsx", header_pl, INVOICES, ["Raport"]),
        "xlsx-text": write_xlsx(tmp_path / "e.xlsx", header_en, INVOICES, as_text=True),
    }


def _check_review(path: Path, language: str = "en") -> None:
    partners = partner_rows(path)
    for name, (prior, q1, q2) in EXPECTED.items():
        row = partners[name]
        assert (row["revenue_prior_year"], row["revenue_q1"], row["revenue_q2"]) == (prior, q1, q2)
        assert row["in_export"] == label("yes", language)
    start = load_workbook(path)[label("start", language)]
    assert start[setting_cell("FiscalYear").replace("$", "")].value == 2026
    assert start[setting_cell("Quarter").replace("$", "")].value == 2
    review = review_values(path, language)
    for name, (prior, q1, q2) in EXPECTED.items():
        a = assess(SOPHOS, D(str(prior)))
        p = project(SOPHOS, D(str(q1)) + D(str(q2)), 2, current_tier=a.tier)
        assert review[name]["current_tier"] == a.tier.name
        assert review[name]["projected_tier"] == p.projected_tier.name


@pytest.mark.parametrize(
    "shape", ["csv-pl-bom-nbsp", "csv-pl-cp1250-dot", "csv-en-comma", "xlsx-native", "xlsx-text"]
)
def test_review_from_invoice_exports(tmp_path, capsys, shape):
    sales = _invoice_exports(tmp_path)[shape]
    out = tmp_path / "review.xlsx"
    code, text, err = run(capsys, "review", sales, "--out", out)
    assert code == 0, err
    assert "Traceback" not in err and f"Wrote {out} (2 partners)" in text
    _check_review(out)


@pytest.mark.slow
def test_review_from_partner_rows_and_from_quarter_rows(tmp_path, capsys):
    wide = write_csv(
        tmp_path / "wide.csv",
        ["Obrót Q2", "Partner", "Obrót w poprzednim roku", "Obrót Q1"],
        [(D(q2), n, D(str(p)), D(str(q1))) for n, (p, q1, q2) in EXPECTED.items()],
    )
    code, _, err = run(
        capsys,
        "review",
        wide,
        "--fiscal-year",
        "2026",
        "--lang",
        "pl",
        "--out",
        tmp_path / "w.xlsx",
    )
    assert code == 0, err
    _check_review(tmp_path / "w.xlsx", "pl")
    quarters = write_csv(
        tmp_path / "quarters.csv",
        ["Partner", "Kwartał", "Obrót"],
        [
            (n, f"{y}Q{q}", D(str(v)))
            for n, (p, q1, q2) in EXPECTED.items()
            for y, q, v in ((2025, 4, p), (2026, 1, q1), (2026, 2, q2))
        ],
    )
    code, _, err = run(capsys, "review", quarters, "--out", tmp_path / "q.xlsx")
    assert code == 0, err
    _check_review(tmp_path / "q.xlsx")


def test_review_converts_another_currency_only_with_a_rate(tmp_path, capsys):
    rows = [(n, d, a) for n, _, d, a in INVOICES]
    sales = write_csv(tmp_path / "pln.csv", ["Kontrahent", "Data", "Kwota"], rows)
    out = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "review", sales, "--currency", "PLN", "--out", out)
    assert code == 1 and "needs the EUR rate in PLN" in err and not out.exists()
    code, text, err = run(
        capsys, "review", sales, "--currency", "pln", "--fx", "4,00", "--out", out
    )
    assert code == 0, err
    assert partner_rows(out)["Bajt-Net"]["revenue_prior_year"] == 2500.0  # 9,999.99 / 4
    assert "Amounts: converted the PLN amounts to EUR with --fx 4.00." in text
    assert run(capsys, "review", sales, "--fx", "zero", "--out", out)[0] == 1
    rates = tmp_path / "rates.csv"
    rates.write_text("date;currency;rate\n2000-01-03;EUR;x\n", "utf-8")
    code, _, err = run(
        capsys, "review", sales, "--currency", "PLN", "--rates", rates, "--out", out, "--force"
    )
    assert code == 1 and "rates.csv, line 2: 'x' is not a rate" in err


def test_bad_rows_stop_the_review_unless_skipped(tmp_path, capsys):
    rows = [
        ("Acme", "2025-05-01", "100,00"),
        ("Beta", "2025-13-01", "5,00"),
        ("Gamma", "2025-05-02", "abc"),
    ]
    sales = write_csv(tmp_path / "zle.csv", ["Kontrahent", "Data", "Kwota"], rows)
    out = tmp_path / "r.xlsx"
    code, text, err = run(capsys, "review", sales, "--out", out)
    assert (code, text) == (1, "") and not out.exists()
    assert "2 values in zle.csv cannot be read" in err
    assert "zle.csv, line 3, column 'Data': '2025-13-01' is not a date" in err
    assert "zle.csv, line 4, column 'Kwota': 'abc' is not an amount" in err
    assert "nothing was written" in err and "--skip-bad" in err
    code, text, err = run(capsys, "review", sales, "--out", out, "--skip-bad")
    assert code == 0 and "skipped" in err and "(1 partner)" in text
    assert list(partner_rows(out)) == ["Acme"]


def test_one_unreadable_amount_in_a_decimal_comma_file_is_a_row_problem(tmp_path, capsys):
    rows = [
        ("Acme", "2025-05-01", "1 100,00"),
        ("Beta", "2025-05-01", "12,34,56"),
        ("Gamma", "2025-05-02", "7,25"),
        ("Razem:", "", "1 119,59"),
    ]
    sales = write_csv(tmp_path / "eksport.csv", ["Kontrahent", "Data", "Kwota"], rows)
    out = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "review", sales, "--out", out)
    assert code == 1 and not out.exists()
    assert "eksport.csv, line 3, column 'Kwota': '12,34,56' is not an amount" in err
    code, text, err = run(capsys, "review", sales, "--out", out, "--skip-bad")
    assert code == 0 and "(2 partners)" in text and "skipped 1 total or summary row" in err
    assert list(partner_rows(out)) == ["Acme", "Gamma"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04broken", "is damaged"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 64, "old-style .xls"),
        (b"hello", "not an XLSX workbook"),
    ],
)
def test_unreadable_exports_exit_1_with_the_file_named(tmp_path, capsys, content, message):
    sales = tmp_path / "export.xlsx"
    sales.write_bytes(content)
    code, _, err = run(capsys, "review", sales, "--out", tmp_path / "r.xlsx")
    assert code == 1 and message in err and str(sales) in err and "Traceback" not in err


HOSTILE = ['=HYPERLINK("http://x","y")', "+48 22 000", "-1+1", "@SUM(A1)", "=cmd|'/c calc'!A0"]


@pytest.mark.slow
def test_export_text_never_becomes_a_formula(tmp_path, capsys):
    rows = [(name, "Opiekun " + name, "2025-05-01", "10,00", name) for name in HOSTILE]
    sales = write_csv(
        tmp_path / "evil.csv", ["Kontrahent", "Opiekun", "Data", "Kwota", "Uwagi"], rows
    )
    out = tmp_path / "r.xlsx"
    assert run(capsys, "review", sales, "--out", out)[0] == 0
    written = load_workbook(out)
    rows_written = len(partner_rows(out))
    builder = build_portfolio_review("en", partners=(), min_rows=rows_written + 10)
    formulas = {
        (ws.title, c.coordinate, str(getattr(c.value, "text", c.value)))
        for ws in written
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }
    expected = {
        (ws.title, c.coordinate, str(getattr(c.value, "text", c.value)))
        for ws in builder
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }
    assert formulas == expected
    partners = partner_rows(out)
    assert set(partners) == set(HOSTILE)
    assert all(partners[n]["notes"] == n for n in HOSTILE)
    # The values-only copy keeps them as text too, on Partners and as Review computes them.
    assert run(capsys, "snapshot", out)[0] == 0
    copy = tmp_path / "r_values.xlsx"
    assert set(partner_rows(copy)) == set(HOSTILE)
    names = [c.value for c in load_workbook(copy)["Review"]["A"][REVIEW.first_row - 1 :]]
    assert sorted(n for n in names if n) == sorted(HOSTILE)
    assert not any(
        c.data_type == "f" for ws in load_workbook(copy) for r in ws.iter_rows() for c in r
    )


# -- snapshot --------------------------------------------------------------------------------


@pytest.mark.slow
def test_snapshot_keeps_everything_but_the_formulas(tmp_path, capsys):
    review = tmp_path / "review.xlsx"
    run(capsys, "demo", "--out", review)
    code, text, err = run(capsys, "snapshot", review)
    copy = tmp_path / "review_values.xlsx"
    assert code == 0, err
    assert f"Wrote {copy}:" in text
    original, values = load_workbook(review), load_workbook(copy)
    computed = Evaluator(original, FUNCTIONS).evaluate_all()
    for (sheet, row, col), value in computed.items():
        cell = values[sheet].cell(row, col)
        assert cell.data_type != "f"
        expected = None if value == "" else value
        assert cell.value == expected, (sheet, cell.coordinate)
    assert not any(c.data_type == "f" for ws in values for row in ws.iter_rows() for c in row)
    for ws in original:
        copy_ws = values[ws.title]
        assert len(copy_ws.data_validations.dataValidation) == len(
            ws.data_validations.dataValidation
        )
        assert copy_ws.protection.sheet == ws.protection.sheet
        assert copy_ws.freeze_panes == ws.freeze_panes
        for row in ws.iter_rows(max_row=60):
            for cell in row:
                if (ws.title, cell.row, cell.column) not in computed:
                    # A text that asks for inputs says what the copy is instead.
                    instead = {label(k, "en"): label(v, "en") for k, v in texts.VALUES_COPY.items()}
                    assert copy_ws[cell.coordinate].value == instead.get(cell.value, cell.value)
                assert copy_ws[cell.coordinate].number_format == cell.number_format
    with zipfile.ZipFile(review) as a, zipfile.ZipFile(copy) as b:
        charts = [n for n in a.namelist() if n.startswith("xl/charts/")]
        assert len(charts) == 2
        for name in a.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                assert a.read(name) == b.read(name), name  # charts, styles, drawings unchanged
    assert run(capsys, "snapshot", review)[0] == 1  # the copy exists: not without --force
    assert run(capsys, "snapshot", review, "--force")[0] == 0


def test_snapshot_refuses_to_replace_the_review_and_unreadable_files(tmp_path, capsys):
    review = tmp_path / "review.xlsx"
    run(capsys, "demo", "--out", review)
    code, _, err = run(capsys, "snapshot", review, "--out", review, "--force")
    assert code == 1 and "is the review itself" in err
    (tmp_path / "junk.xlsx").write_text("not a workbook", "utf-8")
    code, _, err = run(capsys, "snapshot", tmp_path / "junk.xlsx")
    assert code == 1 and "not an XLSX workbook" in err


# -- the rest of the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    "command", ["demo", "review", "snapshot", "tier", "programs", "templates", "install"]
)
def test_every_command_has_help_with_examples(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and "examples:" in out and f"partner-tiers {command}" in out
    assert "(default: None)" not in " ".join(out.split())  # a default says what it is


def test_usage_errors_exit_2(capsys):
    for argv in (["review"], ["review", "x.csv", "--quarter", "5"], ["snapshot"], ["nope"]):
        with pytest.raises(SystemExit) as exit_:
            cli.main(argv)
        assert exit_.value.code == 2
    capsys.readouterr()


def test_programs_check_lists_every_broken_file(tmp_path, capsys, user_programs):
    code, out, _ = run(capsys, "programs", "--check")
    assert code == 0 and out.count("ok ") == 3 and "all valid" in out
    (user_programs / "a.toml").write_text('id = "a"\n', "utf-8")
    (user_programs / "b.toml").write_text("id = [", "utf-8")
    code, out, err = run(capsys, "programs", "--check")
    assert code == 1 and "2 problem(s)" in err
    assert re.search(r"error .*a\.toml", out) and re.search(r"error .*b\.toml", out)


def test_the_readme_shows_what_demo_prints(tmp_path, capsys):
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    block = readme.split("It writes `partner_review_demo.xlsx`", 1)[1].split("```text\n", 1)[1]
    shown = [line for line in block.split("```", 1)[0].splitlines() if line.strip() != "..."]
    _, out, _ = run(capsys, "demo", "--out", tmp_path / "demo.xlsx")
    printed = out.splitlines()
    position = 0
    for line in shown:  # in the same order, skipping what the README leaves out
        position = printed.index(line, position) + 1


def test_snapshot_names_a_formula_it_cannot_compute(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "=TODAY()"
    wb.save(tmp_path / "mine.xlsx")
    code, _, err = run(capsys, "snapshot", tmp_path / "mine.xlsx")
    assert code == 1 and "TODAY" in err and "mine.xlsx" in err
    assert not (tmp_path / "mine_values.xlsx").exists()
