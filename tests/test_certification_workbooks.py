"""Certifications in the review: the Certifications sheet's COUNTIFS count what
rules.certifications counts, the projection takes those still valid on the audit day, and
the certification export, carry-over and the QBR pack keep and show them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.files.output import save_workbook
from partner_tiers.records import CertificationRow, Partner, Settings
from partner_tiers.review.snapshot import write_snapshot
from partner_tiers.rules import programs
from partner_tiers.rules.certifications import ENGINEER, SALES, Certification, counts_on, lapsing
from partner_tiers.rules.projection import project
from partner_tiers.texts import label
from partner_tiers.wording import shown
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.layout import CERTIFICATIONS, REVIEW
from partner_tiers.workbooks.portfolio import build_portfolio_review

from .fixtures import VALID

AS_OF, AUDIT = dt.date(2026, 9, 30), dt.date(2027, 1, 31)  # VALID's year starts in February
NAMES = ["Acme", "Beta", "Gamma"]


@pytest.fixture(autouse=True)
def acme(monkeypatch):
    """VALID (acme-2025: Select needs a certified sales person, Premier two and two
    engineers), defined for the test."""
    registry = programs.ProgramRegistry(check_interval=0)
    monkeypatch.setattr(programs, "registry", registry)
    registry.define(VALID)


def _values(wb, tmp: Path) -> dict[str, dict[str, object]]:
    """The Review sheet's values per partner, as the snapshot computes them."""
    save_workbook(wb, tmp / "r.xlsx", overwrite=True)
    write_snapshot(tmp / "r.xlsx", tmp / "v.xlsx", overwrite=True)
    ws = load_workbook(tmp / "v.xlsx")[label("review", "en")]
    found = {}
    for row in ws.iter_rows(min_row=REVIEW.first_row, values_only=True):
        if row[0]:
            found[row[0]] = {c.key: row[i] for i, c in enumerate(REVIEW.columns)}
    return found


def _projected(program, ytd: Decimal, counts: tuple[int, int]) -> str:
    sales, engineers = counts
    found = project(program, ytd, 2, certified_sales=sales, certified_engineers=engineers)
    return found.projected_tier.name


rows = st.lists(
    st.builds(
        CertificationRow,
        st.sampled_from(NAMES),
        st.sampled_from(["Ewa", "Jan"]),
        st.sampled_from([SALES, ENGINEER]),
        st.just("Certified"),
        st.dates(dt.date(2026, 6, 1), dt.date(2027, 6, 1)),
    ),
    max_size=12,
)


@pytest.mark.slow
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows, st.integers(0, 2))
@example(  # the boundaries: valid on the day counts, ending the day before does not
    [
        CertificationRow("Acme", "Ewa", SALES, "Certified", AUDIT),
        CertificationRow("Acme", "Jan", SALES, "Certified", AUDIT - dt.timedelta(days=1)),
        CertificationRow("Beta", "Ewa", ENGINEER, "Certified", AS_OF),
        CertificationRow("Beta", "Jan", ENGINEER, "Certified", AS_OF - dt.timedelta(days=1)),
    ],
    2,
)
def test_the_workbook_counts_certifications_as_the_rules_do(tmp_path, certs, typed):
    partners = [
        Partner(
            n,
            revenue_prior_year=Decimal(300_000),
            revenue_quarters=[Decimal(70_000)] * 2 + [None, None],
            certified_sales=typed,
            certified_engineers=typed,
        )
        for n in NAMES
    ]
    book = build_portfolio_review(
        "en",
        Settings(
            program="acme-2025",
            fiscal_year=2027,
            quarter=2,
            audit_day=AUDIT,
            certifications_as_of=AS_OF,
        ),
        partners,
        certifications=certs,
    )
    values = _values(book, tmp_path)
    program = programs.get_program("acme-2025")
    for name in NAMES:
        own = [
            Certification(
                person=c.person,
                role=c.role,
                certification=c.certification,
                valid_until=c.valid_until,
            )
            for c in certs
            if c.partner == name
        ]
        now = counts_on(own, AS_OF) if own else (typed, typed)
        audit = counts_on(own, AUDIT) if own else (typed, typed)
        assert (values[name]["sales_now"], values[name]["engineers_now"]) == now
        assert (values[name]["sales_audit"], values[name]["engineers_audit"]) == audit
        assert values[name]["lapsing"] == len(lapsing(own, AS_OF, AUDIT))
        ytd = Decimal(140_000)
        projected = _projected(program, ytd, audit)
        assert values[name]["projected_tier"] == projected
        renewed = _projected(program, ytd, now)
        # An empty text is an empty cell in the values-only copy.
        assert values[name]["tier_if_renewed"] == (None if renewed == projected else renewed)
        assert values[name]["sales_audit"] <= sum(c.role == SALES for c in own) or not own


DEMO_SALES = Path(cli.__file__).parent / cli.DEMO_SALES
EXPORT = """\
Partner;NIP;Osoba;Rola;Certyfikat;Ważny do
Bajt-Net Sp. z o.o.;;Ewa Nowak;Handlowiec;Sales Consultant;31.03.2027
Bajt-Net Sp. z o.o.;;Jan Wójcik;Inżynier;Certified Engineer;15.02.2027
Cyfrowa Twierdza S.A.;;Ola Lis;Sales;Sales Consultant;2027-03-30
"""


def _export(folder: Path, text: str = EXPORT) -> Path:
    path = folder / "certs.csv"
    path.write_bytes(text.encode("cp1250"))
    return path


def _review(folder: Path, *options: str) -> Path:
    out = folder / "review.xlsx"
    argv = ["review", str(DEMO_SALES), "--fiscal-year", "2026", "--quarter", "2"]
    assert cli.main([*argv, *options, "--out", str(out), "--force"]) == 0
    return out


def _certification_rows(path: Path) -> list[tuple]:
    ws = load_workbook(path)[label("certifications", "en")]
    return [
        tuple(row)
        for row in ws.iter_rows(min_row=CERTIFICATIONS.first_row, values_only=True)
        if any(row)
    ]


def test_the_certification_export_fills_the_certifications_sheet(tmp_path):
    review = _review(tmp_path, "--certifications", str(_export(tmp_path)))
    assert _certification_rows(review) == [
        (
            "Bajt-Net Sp. z o.o.",
            None,
            "Ewa Nowak",
            "Sales",
            "Sales Consultant",
            dt.datetime(2027, 3, 31),
        ),
        (
            "Bajt-Net Sp. z o.o.",
            None,
            "Jan Wójcik",
            "Engineer",
            "Certified Engineer",
            dt.datetime(2027, 2, 15),
        ),
        (
            "Cyfrowa Twierdza S.A.",
            None,
            "Ola Lis",
            "Sales",
            "Sales Consultant",
            dt.datetime(2027, 3, 30),
        ),
    ]
    start = load_workbook(review)[label("start", "en")]
    audit = start[layout.setting_cell("AuditDay").replace("$", "")].value
    as_of = start[layout.setting_cell("CertificationsAsOf").replace("$", "")].value
    assert (audit.date(), as_of.date()) == (dt.date(2026, 3, 31), dt.date(2025, 9, 30))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "Nobody Ltd;;Ewa;Sales;C;31.03.2027",
            "line 5, column 'Partner': 'Nobody Ltd' is not a "
            "partner of this review (by tax id or name)",
        ),
        (
            "Bajt-Net Sp. z o.o.;;Ewa;Architect;C;31.03.2027",
            "line 5, column 'Rola': 'Architect' is not a role",
        ),
        (
            "Bajt-Net Sp. z o.o.;;Ewa;Sales;C;31.02.2027",
            "line 5, column 'Ważny do': '31.02.2027' is not a date",
        ),
        ("Bajt-Net Sp. z o.o.;;;Sales;C;31.03.2027", "line 5, column 'Osoba': '' is empty"),
        (
            "Bajt-Net Sp. z o.o.;;Ewa;Sales;" + "C" * 32_768 + ";31.03.2027",
            f"line 5, column 'Certyfikat': {shown('C' * 32_768)} is longer than Excel's 32,767 "
            "characters per cell",
        ),
    ],
    ids=["unknown partner", "unknown role", "impossible date", "no person", "longer than a cell"],
)
def test_a_row_that_cannot_be_read_is_named_and_nothing_is_written(tmp_path, capsys, line, message):
    export = _export(tmp_path, EXPORT + line + "\n")
    out = tmp_path / "review.xlsx"
    argv = ["review", str(DEMO_SALES), "--fiscal-year", "2026", "--quarter", "2", "--out", str(out)]
    assert cli.main([*argv, "--certifications", str(export)]) == 1
    err = capsys.readouterr().err
    assert f"certs.csv, {message}" in err and "nothing was written" in err
    assert not out.exists()
    assert cli.main([*argv, "--certifications", str(export), "--skip-bad"]) == 0
    assert len(_certification_rows(out)) == 3


@pytest.mark.slow
def test_typed_certifications_are_carried_over_and_an_export_is_not_added_twice(tmp_path, capsys):
    export = _export(tmp_path)
    first = _review(tmp_path, "--certifications", str(export))
    wb = load_workbook(first)
    ws = wb[label("certifications", "en")]
    typed = {"partner": "Bajt-Net Sp. z o.o.", "person": "Piotr", "role": "Architekt"}
    for key, value in typed.items():  # a role the workbook does not know stays as typed
        ws.cell(CERTIFICATIONS.first_row + 3, CERTIFICATIONS.index(key)).value = value
    wb.save(first)
    capsys.readouterr()
    later = tmp_path / "q3.xlsx"
    argv = ["review", str(DEMO_SALES), "--fiscal-year", "2026", "--quarter", "3"]
    argv += ["--carry-over", str(first), "--certifications", str(export), "--out", str(later)]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert "3 certifications of the certification export already in the previous review" in err
    rows = _certification_rows(later)
    assert len(rows) == 4
    assert rows[3] == ("Bajt-Net Sp. z o.o.", None, "Piotr", "Architekt", None, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01PK garbage \xff" * 50, "holds binary data; export it from the ERP as CSV"),
        (
            b"Partner;Osoba\nBajt-Net Sp. z o.o.;Ewa\n",
            "has no header row naming the partner",
        ),
    ],
    ids=["binary", "no valid-until column"],
)
def test_an_export_that_is_not_one_is_told_in_one_line(tmp_path, capsys, content, message):
    export = tmp_path / "certs.csv"
    export.write_bytes(content)
    argv = ["review", str(DEMO_SALES), "--fiscal-year", "2026", "--quarter", "2"]
    out = tmp_path / "r.xlsx"
    assert cli.main([*argv, "--certifications", str(export), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and not out.exists()


def _acme_review(folder: Path, quarter: int, name: str, *options: str) -> tuple[int, Path]:
    """A review of acme-2025 (certified people decide its tiers) from a one-partner export."""
    export = folder / f"sales_q{quarter}.csv"
    export.write_text(
        "Kontrahent;NIP;Obrót w poprzednim roku;Obrót Q1;Obrót Q2\n"
        f"{name};526-000-12-46;300000;70000;{70000 if quarter > 1 else ''}\n",
        "utf-8",
    )
    out = folder / f"review_q{quarter}.xlsx"
    argv = ["review", str(export), "--program", "acme-2025", "--fiscal-year", "2027"]
    code = cli.main([*argv, "--quarter", str(quarter), *options, "--out", str(out)])
    return code, out


def _tiers(path: Path) -> dict[str, object]:
    values = path.with_name(path.stem + "_values.xlsx")
    write_snapshot(path, values, overwrite=True)
    ws = load_workbook(values)[label("review", "en")]
    return {
        row[0]: row[REVIEW.index("current_tier") - 1]
        for row in ws.iter_rows(min_row=REVIEW.first_row, values_only=True)
        if row[0]
    }


@pytest.mark.slow
def test_carry_over_follows_a_renamed_partner_by_its_tax_id(tmp_path, capsys):
    certs = tmp_path / "certs.csv"
    certs.write_text(
        "Partner;Person;Role;Certification;Valid until\n"
        + "".join(
            f"Alpha Sp. z o.o.;{person};{role};C;2027-12-31\n"
            for person, role in (("Ewa", "Sales"), ("Jan", "Sales"), ("Ola", "Engineer"))
        )
        + "Alpha Sp. z o.o.;Adam;Engineer;C;2027-12-31\n",
        "utf-8",
    )
    code, first = _acme_review(tmp_path, 1, "Alpha Sp. z o.o.", "--certifications", str(certs))
    assert code == 0 and _tiers(first) == {"Alpha Sp. z o.o.": "Premier"}
    wb = load_workbook(first)  # the certification rows as a user types them: no tax id
    ws = wb[label("certifications", "en")]
    for row in range(CERTIFICATIONS.first_row, CERTIFICATIONS.first_row + 4):
        ws.cell(row, CERTIFICATIONS.index("tax_id")).value = None
    wb.save(first)
    capsys.readouterr()
    code, later = _acme_review(
        tmp_path, 2, "Alpha Systems Group Sp. z o.o.", "--carry-over", str(first)
    )
    err = capsys.readouterr().err
    assert code == 0
    assert (
        "Alpha Sp. z o.o. is Alpha Systems Group Sp. z o.o. in the export (the same tax id, "
        "526-000-12-46); its 4 certification rows moved to the new name" in err
    )
    assert _tiers(later) == {"Alpha Systems Group Sp. z o.o.": "Premier"}
    moved = {row[0] for row in _certification_rows(later)}
    assert moved == {"Alpha Systems Group Sp. z o.o."}


def test_a_certification_exported_twice_counts_one_person(tmp_path, capsys):
    certs = tmp_path / "certs.csv"
    row = "Alpha Sp. z o.o.;Ewa;Sales;C;2027-12-31\n"
    certs.write_text("Partner;Person;Role;Certification;Valid until\n" + row + row, "utf-8")
    code, review = _acme_review(tmp_path, 1, "Alpha Sp. z o.o.", "--certifications", str(certs))
    assert code == 0
    assert "1 certification of the certification export on two rows or more, kept once" in (
        capsys.readouterr().err
    )
    assert len(_certification_rows(review)) == 1
    assert _tiers(review) == {"Alpha Sp. z o.o.": "Select"}  # one person: Select, not Premier


@pytest.mark.parametrize(
    ("program", "header"),
    [
        ("sophos-2019", "Projected tier if renewed: none, no certifications needed"),
        ("acme-2025", "Projected tier if renewed"),
    ],
)
def test_the_if_renewed_column_says_why_it_is_empty(tmp_path, program, header):
    wb = build_portfolio_review("en", Settings(program=program, fiscal_year=2027, quarter=2))
    from partner_tiers.excel.udfs import FUNCTIONS
    from partner_tiers.formulas.workbook import Evaluator

    shown = Evaluator(wb, FUNCTIONS).cell_value(
        "Review", REVIEW.header_row, REVIEW.index("tier_if_renewed")
    )
    assert shown == header


def test_the_certifications_sheet_has_the_columns_certified_people_reads():
    """CERTIFIED_PEOPLE reads the table by position: one order, held here."""
    from partner_tiers.excel import certified

    assert tuple(c.key for c in CERTIFICATIONS.columns) == certified.COLUMNS
