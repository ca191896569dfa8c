"""The review of a program of any shape: its Partners columns come from the program's
metrics, and the evaluated Review sheet, the terminal summary and the definition's own
reading (tests/oracle.py) give each partner the same tier, gap and sentence."""

from __future__ import annotations

import shlex
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files.output import save_workbook
from partner_tiers.formulas.workbook import Evaluator
from partner_tiers.records import CertificationRow, Partner, Settings
from partner_tiers.review.qbr_pack import read_pack
from partner_tiers.review.summary import summarise
from partner_tiers.rules import programs
from partner_tiers.texts import label
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.portfolio import build_portfolio_review

from . import oracle
from .program_data import MONEY, definitions, partner_values, toml_text
from .reading import evaluated_review, table_rows

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> programs.ProgramRegistry:
    """A registry of the built-in programs and examples/, to which a test adds its own."""
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, str(EXAMPLES))
    fresh = programs.ProgramRegistry(check_interval=0)
    monkeypatch.setattr(programs, "registry", fresh)
    return fresh


def _partner(name: str, values: dict[str, Any]) -> Partner:
    """A partner of a generated program, its values as the sales import gives them."""
    metrics: dict[str, Any] = {}
    for metric, value in values.items():
        if metric in MONEY - {"revenue"} or metric == "growth":
            metrics[metric] = Decimal(str(value))
        elif metric == "business_plan":
            metrics[metric] = bool(value)
        elif metric == "new_customers":
            metrics[metric] = value
    revenue = Decimal(str(values["revenue"]))
    quarter = (revenue * Decimal("0.3")).quantize(Decimal("0.01"))  # two of them so far
    return Partner(
        name,
        revenue_prior_year=revenue,
        revenue_quarters=[quarter, quarter, None, None],
        certified_sales=values["certified_sales"],
        certified_engineers=values["certified_engineers"],
        metrics=metrics,
    )


def _review_rows(wb: Any, language: str) -> dict[str, dict[str, Any]]:
    """Each partner's row of the evaluated Review sheet, by column key."""
    program = programs.get_program(
        wb["Start"][layout.setting_cell("Program")[1:].replace("$", "")].value
    )
    return evaluated_review(wb, language, layout.review_table(program))


def _scorecards(path: Path) -> dict[str, dict[str, Any]]:
    """Each partner's scorecard of the review at ``path``, evaluated: results by name."""
    pack = read_pack(path)
    program = programs.get_program(pack.review.program)
    card_layout = layout.scorecard(program)
    found = {}
    for card in pack.scorecards:
        wb = pack.workbook(card)
        evaluator = Evaluator(wb, FUNCTIONS)
        sheet = label("scorecard", pack.language)
        names = [name for _, name, _ in card_layout.results]
        values = {n: evaluator.value(sheet, card_layout.cell(n).replace("$", "")) for n in names}
        values["sentence"] = evaluator.cell_value(sheet, card_layout.explanation_row, 2)
        found[card.partner.name] = values
    return found


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    definitions(),
    st.lists(partner_values(), min_size=1, max_size=4),
    st.sampled_from(["en", "pl"]),
)
def test_the_review_of_any_shape_gives_the_definitions_tier_as_the_summary_does(
    registry, data, values, language
):
    registry.define(toml_text(data))
    program = programs.get_program("generated")
    partners = [_partner(f"Partner {i}", v) for i, v in enumerate(values)]
    settings_ = Settings(program="generated", fiscal_year=2026, quarter=2)
    wb = build_portfolio_review(language, settings_, partners, min_rows=len(partners))
    rows = _review_rows(wb, language)
    summary = summarise(program, 2, partners, language=language)
    standings = {s.name: s for s in summary.standings}
    for partner, typed in zip(partners, values, strict=True):
        fractions = {k: Fraction(str(v)) for k, v in typed.items()}
        expected = oracle.definition_level(data, fractions)
        row, standing = rows[partner.name], standings[partner.name]
        assert expected is not None  # no threshold is left unpublished here
        assert row["current_tier"] == standing.tier == program.tiers[expected].name
        assert row["next_tier"] == (standing.next_tier or "")
        assert Decimal(str(row["gap"])) == standing.gap
        assert row["explanation"] == standing.sentence
        if layout.projects_in_review(program):  # this year's values, run on at their rate
            assert row["projected_tier"] == standing.projected_tier
            at_risk = standing.name in {s.name for s in summary.at_risk}
            assert (row["demotion_risk"] == label("at_risk", language)) == at_risk
        else:
            assert "projected_tier" not in row and standing.projected_tier is None
    # Every scorecard of the review gives the same figures.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.xlsx"
        save_workbook(wb, path)
        cards = _scorecards(path)
    for name, standing in standings.items():
        card = cards[name]
        assert (card["CurrentTier"], card["NextTier"]) == (standing.tier, standing.next_tier or "")
        assert Decimal(str(card["Gap"])) == standing.gap
        assert card["sentence"] == standing.sentence
        if layout.projects_in_review(program):
            at_risk = standing.name in {s.name for s in summary.at_risk}
            assert card["ProjectedTier"] == standing.projected_tier
            assert (card["DemotionRisk"] == label("at_risk", language)) == at_risk
    # The Partners sheet holds a column for each metric the program reads beyond the
    # revenue and the two counts, headed in the review's language.
    headers = [c.value for c in wb[label("partners", language)][layout.PARTNERS.header_row]]
    for metric in program.read_metrics():
        if metric.name not in ("revenue", "certified_sales", "certified_engineers"):
            assert metric.words.header_in(language) in headers


def test_a_program_without_certified_people_gets_no_certification_columns(registry):
    commitment = programs.get_program("example-monthly-commitment")
    partners = [Partner("Acme", metrics={"monthly_commitment": Decimal(2600)})]
    wb = build_portfolio_review("pl", Settings(program=commitment.id), partners)
    headers = [c.value for c in wb["Partnerzy"][layout.PARTNERS.header_row] if c.value]
    assert "Zobowiązanie miesięczne" in headers
    assert not {"Certyfikowani handlowcy", "Certyfikowani inżynierowie"} & set(headers)
    assert label("certifications", "pl") not in wb.sheetnames
    review = [c.value for c in wb["Przegląd"][layout.REVIEW.header_row] if c.value]
    assert "Brakuje do następnego: zobowiązanie miesięczne" in review
    assert not any("audyt" in str(h) for h in review)  # no certifications lapsing before it
    # Certification rows typed earlier are never dropped: they keep their sheet.
    row = CertificationRow("Acme", "Ewa", "sales", "Certified")
    kept = build_portfolio_review(
        "en", Settings(program=commitment.id), partners, certifications=[row]
    )
    assert label("certifications", "en") in kept.sheetnames


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _run(command: str) -> int:
    return cli.main(shlex.split(command))


@pytest.mark.slow
def test_review_reads_metric_columns_keeps_typed_ones_and_snapshots(registry, tmp_path, capsys):
    export = _write(
        tmp_path / "q2.csv",
        "Kontrahent;NIP;Zobowiązanie miesięczne\n"
        "Acme;5260001246;2 600,00\nBeta;;1 000,50\nGamma;;\n",
    )
    out = tmp_path / "review.xlsx"
    common = "--program example-monthly-commitment --fiscal-year 2026 --lang pl"
    assert _run(f"review {export} {common} --quarter 2 --out {out}") == 0
    printed = capsys.readouterr().out
    assert "Acme  Commit 2.5k -> Commit 5k: 2\u00a0400,00" in printed
    assert "(bez wartości, którą czytają poziomy (zobowiązanie miesięczne)" in printed
    table = layout.partners_table(programs.get_program("example-monthly-commitment"))
    rows = {r["name"]: r for r in table_rows(out, "partners", table)}
    assert rows["Acme"]["metric.monthly_commitment"] == 2600
    assert rows["Beta"]["metric.monthly_commitment"] == 1000.5
    evaluated = _review_rows(load_workbook(out), "pl")
    assert evaluated["Acme"]["current_tier"] == "Commit 2.5k"
    assert evaluated["Gamma"]["current_tier"] == (
        "#VALUE! monthly_commitment is empty in this row; type 0 if there is none"
    )
    # In the meeting, Gamma's commitment is typed in; next quarter's export lacks it.
    wb = load_workbook(out)
    partners_sheet = wb["Partnerzy"]
    column = table.index("metric.monthly_commitment")
    for row in partners_sheet.iter_rows(min_row=table.first_row):
        if row[0].value == "Gamma":
            row[column - 1].value = 300
    wb.save(out)
    later = _write(
        tmp_path / "q3.csv", "Kontrahent;NIP;Zobowiązanie miesięczne\nAcme;5260001246;5000\n"
    )
    next_out = tmp_path / "review_q3.xlsx"
    assert _run(f"review {later} {common} --quarter 3 --carry-over {out} --out {next_out}") == 0
    rows = {r["name"]: r for r in table_rows(next_out, "partners", table)}
    assert rows["Gamma"]["metric.monthly_commitment"] == 300  # typed: kept
    assert rows["Acme"]["metric.monthly_commitment"] == 2600  # typed before: kept, and said
    said = capsys.readouterr().err  # the typed value kept, and said so
    assert "Acme: zostawiono monthly commitment 2600 z poprzedniego przeglądu" in said
    # The values-only copy: every formula replaced, the list of programs too (which spills
    # below every written row when more programs exist than a tier table has rows).
    assert _run(f"snapshot {next_out}") == 0
    copy = next_out.with_name("review_q3_values.xlsx")
    values = load_workbook(copy)
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=")
        for ws in values.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    )
    listed = [values["Program"].cell(r, layout.PROGRAM_LIST_COLUMN).value for r in range(6, 26)]
    assert "example-monthly-commitment" in listed and "sophos-2019" in listed


@pytest.mark.slow
def test_a_programs_own_roles_are_read_counted_and_kept(registry, tmp_path, capsys):
    """example-roles-and-plan counts sales people and technical people: its export's role
    column reads its roles (Technical is no engineer here), the Review counts each role by
    its own function, and the summary, the Review and the scorecard agree."""
    program = "example-roles-and-plan-with-targets"
    export = _write(
        tmp_path / "sales.csv",
        "Partner;Revenue prior year;Business plan\nAcme;80000;yes\nBeta;30000;no\n",
    )
    certified = _write(
        tmp_path / "certs.csv",
        "Partner;Person;Role;Certification;Valid until\n"
        "Acme;Ewa;Sales;Sales 1;2027-12-31\n"
        "Acme;Ola;Sales;Sales 1;2027-12-31\n"
        "Acme;Jan;Technical;Tech 1;2027-12-31\n"
        "Acme;JAN;technical;Tech 2;2027-12-31\n"
        "Acme;Piotr;Certyfikowane osoby techniczne;Tech 1;2027-12-31\n"
        "Beta;Adam;Engineer;Eng 1;2027-12-31\n",
    )
    out = tmp_path / "review.xlsx"
    command = f"review {export} --program {program} --fiscal-year 2026 --quarter 2"
    assert _run(f"{command} --certifications {certified} --skip-bad --out {out}") == 0
    captured = capsys.readouterr()
    # Engineer is no role of this program: its row is told, with the roles there are.
    assert (
        "'Engineer' is not a role of example-roles-and-plan-with-targets: write one of Sales, "
        "Technical" in captured.err
    )
    rows = _review_rows(load_workbook(out), "en")
    assert rows["Acme"]["table.certified_technical"] == 2  # Jan once, Piotr
    assert rows["Acme"]["table.certified_sales"] == 2
    assert rows["Acme"]["current_tier"] == "Gold"
    assert rows["Beta"]["explanation"] == (
        "Registered. Silver needs 1 more certified sales person, 1 more certified technical "
        "person and a business plan."
    )
    cards = _scorecards(out)
    assert cards["Acme"]["CurrentTier"] == "Gold"
    assert cards["Beta"]["CurrentTier"] == rows["Beta"]["current_tier"] == "Registered"
    # No sale this year yet: heading for the lowest tier, with the people of the audit day.
    assert cards["Acme"]["ProjectedTier"] == rows["Acme"]["projected_tier"] == "Registered"
    assert rows["Acme"]["projected.certified_technical"] == 2
    assert (
        rows["Acme"]["explanation"]
        == cards["Acme"]["sentence"]
        == (
            "Gold, at risk: at this pace the year ends at Registered. "
            "The tier holds until the audit."
        )
    )
    # Carried over, a typed "technical" row stays technical, never becomes an engineer.
    later = tmp_path / "review_q3.xlsx"
    next_quarter = command.replace("--quarter 2", "--quarter 3")
    assert _run(f"{next_quarter} --carry-over {out} --out {later}") == 0
    sheet = load_workbook(later)[label("certifications", "en")]
    roles = [row[3] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert sorted(roles) == ["Sales", "Sales", "Technical", "Technical", "Technical"]


def test_a_revenue_ladder_that_names_no_roles_gets_no_certification_columns(
    registry, tmp_path, capsys
):
    """ESET DACH 2016 publishes a revenue ladder and no certified people: its review, of
    today's shape otherwise, has no certification columns, sheet or scorecard blocks, and
    the Review, the summary and the scorecard agree."""
    export = _write(
        tmp_path / "eset.csv",
        "Partner;Revenue prior year;Q1;Q2\nAcme;12000;1000;1000\nBeta;31000;9000;9000\n",
    )
    out = tmp_path / "review.xlsx"
    program = "eset-dach-2016-calendar-year"
    command = f"review {export} --program {program} --fiscal-year 2026 --quarter 2 --out {out}"
    assert _run(command) == 0
    printed = capsys.readouterr().out
    wb = load_workbook(out)
    assert label("certifications", "en") not in wb.sheetnames
    partners = [c.value for c in wb["Partners"][layout.PARTNERS.header_row] if c.value]
    review = [c.value for c in wb["Review"][layout.REVIEW.header_row] if c.value]
    assert not {label("certified_sales", "en"), label("tier_if_renewed", "en")} & {
        *partners,
        *review,
    }
    rows = _review_rows(wb, "en")
    assert (rows["Acme"]["current_tier"], rows["Acme"]["projected_tier"]) == ("Gold", "Silver")
    assert rows["Acme"]["demotion_risk"] == label("at_risk", "en")
    assert rows["Beta"]["keep_per_quarter"] == 6000  # 18,000 so far: 12,000 more in 2 quarters
    assert "Acme (heading for Silver): Gold, at risk" in printed
    card = _scorecards(out)["Acme"]
    assert (card["CurrentTier"], card["ProjectedTier"]) == ("Gold", "Silver")
    assert "certified" not in " ".join(str(v) for v in card.values()).lower()


def test_a_metric_that_differs_between_rows_is_said_as_the_export_wrote_it(registry, tmp_path):
    """Two rows of one partner with two monthly commitments: the first is kept, and the
    notice gives both amounts as numbers (it said Decimal('2600.50'))."""
    from partner_tiers.review.sales_import import read_sales

    export = _write(
        tmp_path / "mrc.csv", "Partner;MRC\nAcme S.A.;2600,50\nBeta;300\nAcme S.A.;2700\n"
    )
    read = read_sales(export, programs.get_program("example-monthly-commitment"), fiscal_year=2026)
    acme = next(p for p in read.partners if p.name == "Acme S.A.")
    assert acme.metrics["monthly_commitment"] == Decimal("2600.50")
    [differs] = [str(n) for n in read.notices if "differs" in str(n)]
    assert differs == (
        "mrc.csv, line 4: monthly commitment 2700 of 'Acme S.A.' differs from 2600.50 on "
        "line 2; kept the first"
    )
    assert "Decimal(" not in "".join(map(str, read.notices))
