"""The review workbooks: in sync with the builder, formulas that exist, and compute right."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import FORMULAE, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from partner_tiers import cli, texts
from partner_tiers.excel import cells
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files.output import OutputExists, save_workbook
from partner_tiers.formulas.addin import udf_arity
from partner_tiers.formulas.functions import NATIVE_FUNCTIONS
from partner_tiers.formulas.workbook import (
    Evaluator,
    formula_text,
)
from partner_tiers.records import Action, Partner, Settings
from partner_tiers.review.snapshot import write_snapshot
from partner_tiers.rules.explanations import explain
from partner_tiers.rules.programs import get_program
from partner_tiers.rules.projection import project
from partner_tiers.rules.tiers import assess, tier_change
from partner_tiers.texts import label
from partner_tiers.workbooks import layout, styles
from partner_tiers.workbooks.layout import PARTNERS, REVIEW
from partner_tiers.workbooks.portfolio import build_portfolio_review
from partner_tiers.workbooks.qbr import build_partner_qbr
from partner_tiers.workbooks.templates import TEMPLATES

from .fixtures import VALID, function_calls

COMMITTED = Path(__file__).resolve().parent.parent / "workbook_templates"


# --- generated, committed, in sync ------------------------------------------------------------


def signature(path: Path) -> dict:
    """What a person or Excel sees in a workbook, without zip timestamps or document dates."""
    wb = load_workbook(path)
    result: dict = {
        "sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets],
        "names": {name: d.attr_text for name, d in wb.defined_names.items()},
    }
    for ws in wb.worksheets:
        cells_ = {}
        for row in ws.iter_rows():
            for c in row:
                value = c.value
                if isinstance(value, ArrayFormula):
                    value = ("array", value.ref, value.text)
                if value is None and not c.has_style:
                    continue
                fill = c.fill.fgColor.rgb if c.fill.fill_type else None
                cells_[c.coordinate] = (
                    value,
                    c.data_type,
                    c.number_format,
                    c.protection.locked,
                    fill,
                    c.font.b,
                    c.font.color.rgb if c.font.color else None,
                    c.alignment.wrap_text,
                    c.border.left.style,
                )
        result[ws.title] = {
            "cells": cells_,
            "merged": sorted(map(str, ws.merged_cells.ranges)),
            "validations": sorted(
                repr((v.type, v.operator, v.formula1, v.formula2, str(v.sqref), v.error))
                for v in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                repr((str(cf.sqref), r.type, r.operator, tuple(r.formula), r.dxfId))
                for cf in ws.conditional_formatting
                for r in cf.rules
            ),
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
            "freeze": ws.freeze_panes,
            "protection": (ws.protection.sheet, ws.protection.password),
            "columns": {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()},
            "rows": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "print": (
                ws.page_setup.orientation,
                ws.page_setup.fitToWidth,
                ws.page_setup.fitToHeight,
                ws.print_title_rows,
                str(ws.print_area),
                ws.oddFooter.center.text,
            ),
        }
    with zipfile.ZipFile(path) as archive:  # openpyxl does not read charts back
        result["charts"] = {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith(("xl/charts/", "xl/drawings/"))
        }
    return result


@pytest.mark.slow
def test_the_committed_templates_are_what_the_builder_writes(tmp_path):
    written = cli.main(["templates", "--out", str(tmp_path)])
    assert written == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TEMPLATES)
    assert sorted(p.name for p in COMMITTED.glob("*.xlsx")) == sorted(TEMPLATES)
    for name in TEMPLATES:
        fresh, committed = signature(tmp_path / name), signature(COMMITTED / name)
        assert fresh.keys() == committed.keys(), name
        for part in fresh:  # one part at a time, so a failure says where
            assert fresh[part] == committed[part], (
                f"{name}: {part} differs; run `partner-tiers templates --force`"
            )


@pytest.mark.slow
def test_the_templates_command_never_overwrites_without_force(tmp_path, capsys):
    assert cli.main(["templates", "--out", str(tmp_path)]) == 0
    before = (tmp_path / "partner_qbr_en.xlsx").read_bytes()
    assert cli.main(["templates", "--out", str(tmp_path)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert (tmp_path / "partner_qbr_en.xlsx").read_bytes() == before
    assert cli.main(["templates", "--out", str(tmp_path), "--force"]) == 0


def test_a_save_goes_through_a_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "review.xlsx"
    target.write_bytes(b"what the user had")
    with pytest.raises(OutputExists):
        save_workbook(build_partner_qbr(), target)
    wb = build_partner_qbr()
    monkeypatch.setattr(wb, "save", lambda name: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        save_workbook(wb, target, overwrite=True)
    assert target.read_bytes() == b"what the user had"  # the original is intact
    assert [p.name for p in tmp_path.iterdir()] == ["review.xlsx"]  # no temporary left


# --- formulas name functions that exist ---------------------------------------------------------


def all_workbooks():
    books = {name: build() for name, build in TEMPLATES.items()}
    books["filled review"] = build_portfolio_review("pl", partners=boundary_partners()[:5])
    books["filled qbr"] = build_partner_qbr("en", partner=boundary_partners()[3])
    return books


def test_every_formula_names_a_function_that_exists_with_a_valid_argument_count():
    add_in = FUNCTIONS
    seen = set()
    for name, wb in all_workbooks().items():
        for sheet, row, col, formula in Evaluator(wb, FUNCTIONS).formula_cells():
            for function, count in function_calls(formula):
                where = f"{name} {sheet}!{row}:{col} {formula}"
                seen.add(function)
                if function in add_in:
                    required, total = udf_arity(add_in[function])
                    assert required <= count <= total, where
                else:
                    assert function in FORMULAE, f"not an Excel function: {function} in {where}"
                    native = NATIVE_FUNCTIONS[function]
                    assert native.min_args <= count <= native.max_args, where
    # the review uses the add-in's functions, not copies of its rules
    assert {"PARTNER_TIER", "PROJECTED_TIER", "DEMOTION_RISK", "TIER_EXPLAIN"} <= seen


# --- the formulas compute what the rules say ----------------------------------------------------


def boundary_partners() -> list[Partner]:
    """Partners at, and a cent below, every threshold of both Sophos editions."""
    amounts = sorted(
        {t.min_revenue for p in ("sophos-2019", "sophos-pre-2019") for t in get_program(p).tiers}
    )
    revenues = [a for t in amounts for a in (t, t - Decimal("0.01")) if a >= 0]
    return [
        Partner(
            f"Partner {i}",
            revenue_prior_year=r,
            revenue_quarters=(r / 4, r / 5, None, r / 3),
            certified_sales=i % 3,
        )
        for i, r in enumerate(revenues)
    ] + [Partner("No revenue yet", revenue_quarters=(100, None, None, None))]


def expected_review(partners, settings, program_id, language):
    """What each Review column must show for each partner, straight from the rules module."""
    program = get_program(program_id)
    previous = get_program(program.replaces) if program.replaces else None
    rate = float(settings.exchange_rate)
    rows = []
    for p in partners:
        certs = (p.certified_sales, p.certified_engineers)
        quarters = [float(q or 0) for q in p.revenue_quarters]
        ytd = quarters[0]
        for number, revenue in enumerate(quarters[1:], 2):  # left to right, as Excel adds
            ytd += revenue if settings.quarter >= number else 0
        ytd /= rate  # revenue currency for 1 unit of the program currency, as NBP writes it
        projection = project(
            program,
            cells.money(ytd, "ytd"),
            settings.quarter,
            certified_sales=certs[0],
            certified_engineers=certs[1],
        )
        row = {
            "partner": p.name,
            "ytd": pytest.approx(ytd),
            "projected_tier": projection.projected_tier.name,
        }
        if p.revenue_prior_year is None:
            row.update(
                dict.fromkeys(
                    (
                        "revenue",
                        "current_tier",
                        "next_tier",
                        "gap",
                        "progress",
                        "demotion_risk",
                        "change",
                        "keep_per_quarter",
                        "reach_per_quarter",
                        "explanation",
                    ),
                    "",
                )
            )
        else:
            revenue = float(p.revenue_prior_year) / rate
            a = assess(program, cells.money(revenue, "revenue"), *certs)
            at_risk = project(
                program, cells.money(ytd, "ytd"), settings.quarter, current_tier=a.tier
            ).at_risk
            row.update(
                revenue=pytest.approx(revenue),
                current_tier=a.tier.name,
                next_tier=a.next_tier.name if a.next_tier else "",
                gap=float(a.revenue_gap),
                progress=pytest.approx(float(a.progress)),
                demotion_risk=label("at_risk", language) if at_risk else "",
                change=tier_change(cells.money(revenue, "r"), previous, program)
                if previous
                else "",
                explanation=explain(a, language, cells.money(ytd, "ytd"), settings.quarter),
            )
            # What each remaining quarter must bring to keep the tier, and to reach the next.
            for key, target in (("keep_per_quarter", a.tier), ("reach_per_quarter", a.next_tier)):
                if target is None:
                    row[key] = ""
                    continue
                required = project(
                    program, cells.money(ytd, "ytd"), settings.quarter, target_tier=target
                ).required_per_quarter
                row[key] = (
                    float(required)
                    if required is not None
                    else f"#N/A no quarter of the fiscal year remains to reach {target.name}"
                )
        rows.append(row)
    return rows


def check_review(language, partners, settings, program_id="sophos-2019"):
    wb = build_portfolio_review(language, settings, partners)
    e = Evaluator(wb, FUNCTIONS)
    review = label("review", language)
    expected = expected_review(partners, settings, program_id, language)
    for row, want in enumerate(expected, REVIEW.first_row):
        for key, value in want.items():
            got = e.cell_value(review, row, REVIEW.index(key))
            assert got == value, (row, key, partners[row - REVIEW.first_row])
    last = REVIEW.first_row + len(wb[label("partners", language)]["A"]) - 1
    blank_row = REVIEW.first_row + len(partners)
    if blank_row <= last:  # rows without a partner stay blank in every column
        assert {e.cell_value(review, blank_row, c) for c in range(1, len(REVIEW.columns) + 1)} == {
            ""
        }
    return wb, e, expected


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_the_review_sheet_computes_what_the_rules_say(language):
    partners = boundary_partners()
    settings = Settings(quarter=2, fiscal_year=2026)
    wb, e, expected = check_review(language, partners, settings)

    dashboard = label("dashboard", language)
    top = layout.DASHBOARD_TIERS_ROW
    now = Counter(r["current_tier"] for r in expected)
    projected = Counter(r["projected_tier"] for r in expected)
    for i, tier in enumerate(get_program().tiers, top + 1):
        assert e.cell_value(dashboard, i, 1) == tier.name
        assert e.cell_value(dashboard, i, 2) == now[tier.name]
        assert e.cell_value(dashboard, i, 3) == projected[tier.name]
    candidates = [
        (r["gap"], i, r)
        for i, r in enumerate(expected)
        if isinstance(r["gap"], float) and r["gap"] > 0
    ]
    closest = [r for _, _, r in sorted(candidates)[: layout.CLOSEST_PARTNERS]]
    first = next(
        row
        for row in range(1, 40)
        if wb[dashboard].cell(row, 1).value == label("partner", language)
    )
    shown = [
        (e.cell_value(dashboard, first + k, 1), e.cell_value(dashboard, first + k, 3))
        for k in range(1, layout.CLOSEST_PARTNERS + 1)
    ]
    assert shown == [(r["partner"], r["gap"]) for r in closest]


def test_the_program_sheet_shows_both_editions_from_their_definition_files():
    wb = build_portfolio_review("en")
    e = Evaluator(wb, FUNCTIONS)
    row, col = layout.PROGRAM_TABLE_ROW, layout.PREVIOUS_TABLE_COLUMN
    for program, first_col in (
        (get_program("sophos-2019"), 1),
        (get_program("sophos-pre-2019"), col),
    ):
        for i, tier in enumerate(program.tiers, row + 1):
            assert e.cell_value("Program", i, first_col) == tier.name
            assert e.cell_value("Program", i, first_col + 1) == float(tier.min_revenue)
    ids = [e.cell_value("Program", r, layout.PROGRAM_LIST_COLUMN) for r in range(row + 1, row + 5)]
    assert ids == ["eset-dach-2016", "sophos-2019", "sophos-pre-2019", ""]


amount = st.one_of(st.none(), st.decimals(0, 300_000, places=2))
counts = st.integers(0, 3)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            amount, st.tuples(amount, amount, amount, amount), st.integers(0, 3), st.integers(0, 3)
        ),
        max_size=15,
    ),
    st.integers(1, 4),
    st.sampled_from(["1", "4", "4.2788"]),
    st.sampled_from(texts.LANGUAGES),
)
def test_any_filled_review_agrees_with_the_rules(rows, quarter, rate, language):
    partners = [
        Partner(
            f"=P{i}" if i % 2 else f"P{i}",
            revenue_prior_year=r,
            revenue_quarters=q,
            certified_sales=s,
            certified_engineers=e,
        )
        for i, (r, q, s, e) in enumerate(rows)
    ]
    check_review(
        language,
        partners,
        Settings(quarter=quarter, exchange_rate=Decimal(rate), revenue_currency="PLN"),
    )


def test_certifications_reach_the_functions_in_the_right_columns(user_programs):
    (user_programs / "acme.toml").write_text(VALID, "utf-8")
    partners = [
        Partner(name, revenue_prior_year=300_000, certified_sales=s, certified_engineers=e)
        for name, s, e in (("both", 2, 2), ("sales only", 2, 0), ("engineers only", 0, 2))
    ]
    _, e, _ = check_review("en", partners, Settings(program="acme-2025"), "acme-2025")
    tiers = [e.cell_value("Review", r, REVIEW.index("current_tier")) for r in (5, 6, 7)]
    assert tiers == ["Premier", "Select", "Registered"]


def test_the_qbr_computes_what_the_rules_say():
    program = get_program()
    for partner in boundary_partners()[::3]:
        commitment = Action(partner.name, "=HYPERLINK(1)", "Ann", dt.date(2026, 12, 1), "Otwarte")
        wb = build_partner_qbr("pl", partner=partner, quarter=3, commitments=[commitment])
        e = Evaluator(wb, FUNCTIONS)
        ws = label("scorecard", "pl")

        def result(name, e=e, ws=ws):
            return e.value(ws, layout.qbr_cell(name).replace("$", ""))

        if partner.revenue_prior_year is None:
            assert result("CurrentTier") == "" and result("Change") == ""
            continue
        revenue = cells.money(float(partner.revenue_prior_year), "r")
        a = assess(program, revenue, partner.certified_sales, partner.certified_engineers)
        assert result("CurrentTier") == a.tier.name
        assert result("Gap") == float(a.revenue_gap)
        q = [float(x or 0) for x in partner.revenue_quarters]
        assert result("YtdRevenue") == pytest.approx(q[0] + q[1] + q[2])
        assert e.value(ws, f"B{layout.QBR_EXPLANATION_ROW}").startswith(a.tier.name + ".")
        assert wb[ws][f"B{layout.QBR_COMMITMENTS_ROW + 1}"].data_type == "s"


# --- what users touch ---------------------------------------------------------------------------


def test_text_from_data_is_stored_as_text_never_as_a_formula(tmp_path):
    hostile = ["=SUM(A1)", "+48 22 000", "-minus", "@handle", '=HYPERLINK("http://x")']
    partners = [Partner(name, tax_id=name, account_manager=name, notes=name) for name in hostile]
    actions = [Action(name, name, name) for name in hostile]
    path = save_workbook(
        build_portfolio_review("en", partners=partners, actions=actions), tmp_path / "r.xlsx"
    )
    wb = load_workbook(path)
    for sheet in ("Partners", "Actions"):
        for row in wb[sheet].iter_rows(min_row=PARTNERS.first_row):
            for c in row:
                assert c.data_type != "f", f"{sheet}!{c.coordinate} became a formula: {c.value}"
    assert [wb["Partners"].cell(r, 1).value for r in range(5, 10)] == hostile
    e = Evaluator(wb, FUNCTIONS)
    assert [e.cell_value("Review", r, 1) for r in range(5, 10)] == hostile


def _covered(ws, coordinate):
    for v in ws.data_validations.dataValidation:
        for rng in v.sqref.ranges:
            min_col, min_row, max_col, max_row = range_boundaries(str(rng))
            c = ws[coordinate]
            if min_col <= c.column <= max_col and min_row <= c.row <= max_row:
                return True
    return False


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_inputs_are_unlocked_and_validated_and_formulas_locked(name):
    wb = TEMPLATES[name]()
    inputs = 0
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
        for row in ws.iter_rows():
            for c in row:
                if formula_text(c.value) is not None:
                    assert c.protection.locked, f"{ws.title}!{c.coordinate}"
                elif not c.protection.locked and not isinstance(c, MergedCell):
                    inputs += 1
                    assert _covered(ws, c.coordinate), f"{ws.title}!{c.coordinate} not validated"
                    assert c.fill.fgColor.rgb.endswith("FFF2CC"), "inputs look like inputs"
    assert inputs > 20


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_sheet_prints_one_page_wide_with_a_footer(name):
    for ws in TEMPLATES[name]().worksheets:
        if ws.sheet_state != "visible":
            continue  # never printed
        # The scorecard is a page taller than wide: portrait, so it fills the page's width.
        scorecard = name.startswith("partner_qbr")
        assert ws.page_setup.orientation == ("portrait" if scorecard else "landscape")
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&A" in ws.oddFooter.center.text and "&P" in ws.oddFooter.center.text


def test_review_columns_come_from_the_layout():
    wb = build_portfolio_review("en", min_rows=3)
    ws = wb["Review"]
    for key in ("current_tier", "ytd", "change"):
        anchor = ws.cell(REVIEW.first_row, REVIEW.index(key)).value
        assert anchor.ref == f"{REVIEW.letter(key)}5:{REVIEW.letter(key)}7"
    partners = wb["Partners"]
    assert [c.value for c in partners[PARTNERS.header_row]] == [
        label(c.key, "en") for c in PARTNERS.columns
    ]
    assert partners.tables["PartnerInput"].ref == f"A4:{PARTNERS.letter(PARTNERS.columns[-1].key)}7"


@pytest.mark.slow
def test_a_values_only_copy_has_no_formula_left_and_the_same_numbers(tmp_path):
    partners = boundary_partners()
    wb = build_portfolio_review("en", Settings(quarter=2), partners)
    computed = Evaluator(wb, FUNCTIONS).evaluate_all()
    path = tmp_path / "values.xlsx"
    write_snapshot(save_workbook(wb, tmp_path / "review.xlsx"), path)
    copy = load_workbook(path)
    for (sheet, row, col), value in computed.items():
        cell = copy[sheet].cell(row, col)
        assert cell.data_type != "f"
        if isinstance(value, float):  # the file keeps Excel's 15 significant digits
            assert cell.value == pytest.approx(value, rel=1e-14), (sheet, row, col)
        else:
            assert cell.value == (None if value == "" else value), (sheet, row, col)


@pytest.mark.slow
def test_a_large_review_computes_every_partner():
    """Size, not speed: a large review is built and computed without error (speed: bench/)."""
    rng = random.Random(7)
    partners = [
        Partner(
            f"P{i}",
            revenue_prior_year=rng.randrange(0, 300_000),
            revenue_quarters=(rng.randrange(0, 80_000),) * 4,
        )
        for i in range(2_000)
    ]
    wb = build_portfolio_review("en", Settings(quarter=3), partners)
    values = Evaluator(wb, FUNCTIONS).evaluate_all()
    tiers = [values[("Review", r, REVIEW.index("current_tier"))] for r in range(5, 2005)]
    assert Counter(tiers) == Counter(
        assess(get_program(), Decimal(p.revenue_prior_year)).tier.name for p in partners
    )


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_list_validations_are_written_as_excel_writes_them(name):
    wb = TEMPLATES[name]()
    e = Evaluator(wb, FUNCTIONS)
    lists = 0
    for ws in wb.worksheets:
        for v in ws.data_validations.dataValidation:
            if v.type != "list":
                continue
            lists += 1
            assert not v.formula1.startswith("="), f"{ws.title}: {v.formula1}"
            if not v.formula1.startswith('"'):  # a range: it holds the program ids or names
                ref = e.resolve(v.formula1, ws.title)
                assert ref.max_row - ref.min_row >= 9, v.formula1
    assert lists >= 1


# --- what the printed pages show ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["money", "count", "ratio", "change", "date"])
def test_a_number_keeps_a_space_before_the_text_to_its_right(kind):
    """Right-aligned numbers ran into the next cell's text ("158,000.37 EURGold")."""
    for section in styles.number_format(kind, "EUR").split(";"):
        assert section.endswith("_-"), (kind, section)


def test_the_tier_tables_name_the_currency_once_per_row():
    wb = build_portfolio_review("en")
    ws = wb["Program"]
    for col in (1, layout.PREVIOUS_TABLE_COLUMN):
        fmt = ws.cell(layout.PROGRAM_TABLE_ROW + 1, col + 1).number_format
        assert "EUR" not in fmt and fmt == styles.AMOUNT_FORMAT


def test_an_empty_actions_sheet_prints_on_one_page_and_a_long_one_on_as_many_as_it_needs():
    assert build_portfolio_review("en")["Actions"].page_setup.fitToHeight == 1
    actions = [Action("P", f"action {i}") for i in range(layout.TEMPLATE_ACTION_ROWS + 1)]
    assert build_portfolio_review("en", actions=actions)["Actions"].page_setup.fitToHeight == 0


@pytest.mark.parametrize(
    ("year", "shown"),
    [(2026, "sophos-2019 · FY2026 Q2"), (None, "sophos-2019 · fiscal year not set, Q2")],
)
def test_the_dashboard_names_the_fiscal_year_as_the_other_sheets_do(year, shown):
    wb = build_portfolio_review("en", Settings(fiscal_year=year, quarter=2))
    assert Evaluator(wb, FUNCTIONS).value("Dashboard", "A2") == shown


@pytest.mark.slow
@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_a_values_only_copy_does_not_ask_for_inputs(tmp_path, language):
    from partner_tiers.review.snapshot import write_snapshot

    for name, wb in (
        ("qbr", build_partner_qbr(language, partner=Partner("Acme", revenue_prior_year=1))),
        ("review", build_portfolio_review(language)),
    ):
        path = save_workbook(wb, tmp_path / f"{name}.xlsx")
        copy = write_snapshot(path, tmp_path / f"{name}_values.xlsx").path
        shown = {
            c.value for ws in load_workbook(copy).worksheets for row in ws.iter_rows() for c in row
        }
        for key in texts.VALUES_COPY:
            assert label(key, language) not in shown
        assert any(label(instead, language) in shown for instead in texts.VALUES_COPY.values())
