"""Carrying a review over to the next quarter: nothing anyone typed is lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.files import output
from partner_tiers.records import Action, Partner, Settings
from partner_tiers.review.carry_over import NotAReview, read_previous_review
from partner_tiers.review.filled_review import HAND_TYPED, fill_review
from partner_tiers.review.sales_fields import normalise_name, partner_key
from partner_tiers.texts import LANGUAGES, label
from partner_tiers.workbooks.layout import ACTIONS, PARTNERS, setting_cell
from partner_tiers.workbooks.portfolio import build_portfolio_review

from .exports import write_csv
from .reading import table_rows

D = Decimal
TEXT = st.text(alphabet="abcżółć XYZ=+-@'\"&<>;,.0123456789", min_size=1, max_size=20).filter(
    lambda s: s.strip() == s and s != ""
)
NAMES = st.lists(TEXT, min_size=1, max_size=8, unique_by=normalise_name).filter(
    lambda names: all(normalise_name(n) for n in names)
)


def as_flag(value: object) -> object:
    for language in LANGUAGES:
        if value == label("yes", language):
            return True
        if value == label("no", language):
            return False
    return value


@st.composite
def previous_reviews(draw: st.DrawFn) -> tuple[list[Partner], list[Action]]:
    names = draw(NAMES)
    partners = []
    for i, name in enumerate(names):
        maybe = lambda strategy: draw(st.one_of(st.none(), strategy))  # noqa: E731
        partners.append(
            Partner(
                name,
                tax_id=maybe(st.just(f"{7000000000 + i}")),
                account_manager=maybe(TEXT),
                revenue_prior_year=maybe(st.integers(0, 10**6)),
                revenue_quarters=(maybe(st.integers(0, 10**5)), None, None, None),
                certified_sales=maybe(st.integers(0, 9)),
                certified_engineers=maybe(st.integers(0, 9)),
                msp=maybe(st.booleans()),
                notes=maybe(TEXT),
            )
        )
    if draw(st.booleans()):  # a row where only notes were typed
        partners.append(Partner(None, notes=draw(TEXT)))
    actions = draw(
        st.lists(
            st.builds(
                Action,
                partner=st.sampled_from(names),
                action=TEXT,
                owner=st.one_of(st.none(), TEXT),
                due=st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1))),
                status=st.none(),
            ),
            max_size=6,
        )
    )
    return partners, actions


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    previous=previous_reviews(),
    languages=st.tuples(st.sampled_from(LANGUAGES), st.sampled_from(LANGUAGES)),
    same_year=st.booleans(),
    data=st.data(),
)
def test_carry_over_loses_no_typed_cell(tmp_path, previous, languages, same_year, data) -> None:
    partners, actions = previous
    old_language, new_language = languages
    old_path = tmp_path / "previous.xlsx"
    settings_ = Settings(fiscal_year=2026 if same_year else 2025, quarter=1, reviewer="Ola")
    output.save_workbook(
        build_portfolio_review(old_language, settings_, partners, actions), old_path, overwrite=True
    )
    named = [p for p in partners if p.name]
    in_export = data.draw(st.lists(st.sampled_from(named), unique_by=lambda p: p.name))
    exported = [
        Partner(
            p.name,
            p.tax_id,
            revenue_prior_year=D(123),
            revenue_quarters=[D(7), None, None, None],
            notes="from the ERP",
        )
        for p in in_export
    ] + [Partner("ZZZ new", revenue_prior_year=D(1))]
    filled = fill_review(exported, None, 2026, 1, new_language, read_previous_review(old_path))
    new_path = tmp_path / "next.xlsx"
    output.save_workbook(filled.workbook, new_path, overwrite=True)

    old_rows = table_rows(old_path, "partners", PARTNERS)
    new_rows = table_rows(new_path, "partners", PARTNERS)
    exported_keys = {partner_key(p.name, p.tax_id) for p in exported}
    by_name = {r.get("name"): r for r in new_rows}  # names are unique; one row may have none
    for old in old_rows:
        new = by_name[old.get("name")]
        for key in ("name", *HAND_TYPED):
            if key in old:
                assert as_flag(new.get(key)) == as_flag(old[key]), (key, old, new)
        was_exported = old.get("name") and partner_key(old["name"], old.get("tax_id")) in (
            exported_keys
        )
        if was_exported:
            assert new["revenue_prior_year"] == 123 and new["revenue_q1"] == 7
            assert as_flag(new["in_export"]) is True
        else:
            if old.get("name"):
                assert as_flag(new["in_export"]) is False
            for key in ("revenue_prior_year", "revenue_q1"):
                if key in old and same_year:
                    assert new[key] == old[key]
    assert len(new_rows) == len(old_rows) + 1  # "ZZZ new" is the only new partner
    old_actions = table_rows(old_path, "actions", ACTIONS)
    assert table_rows(new_path, "actions", ACTIONS) == old_actions
    start = load_workbook(new_path)[label("start", new_language)]
    assert start[setting_cell("Reviewer").replace("$", "")].value == "Ola"


def test_carry_over_end_to_end_through_the_command_line(tmp_path, capsys) -> None:
    sales_q1 = write_csv(
        tmp_path / "q1.csv",
        ["Kontrahent", "NIP", "Data", "Kwota"],
        [
            ("Acme", "5260001246", dt.date(2024, 6, 1), D("61000")),
            ("Acme", "5260001246", dt.date(2025, 5, 1), D("10000")),
            ("Beta", "", dt.date(2025, 5, 1), D("300")),
        ],
    )
    q1 = tmp_path / "review_q1.xlsx"
    assert cli.main(["review", str(sales_q1), "--out", str(q1), "--reviewer", "Ola"]) == 0
    # What the channel manager typed during the Q1 meetings.
    wb = load_workbook(q1)
    ws = wb["Partners"]
    acme_row = next(r for r in range(5, 10) if ws.cell(r, 1).value == "Acme")
    beta_row = next(r for r in range(5, 10) if ws.cell(r, 1).value == "Beta")
    ws.cell(acme_row, PARTNERS.index("notes")).value = "=wants MSP training"
    ws.cell(acme_row, PARTNERS.index("notes")).data_type = "s"
    ws.cell(acme_row, PARTNERS.index("certified_sales")).value = 2
    ws.cell(beta_row, PARTNERS.index("account_manager")).value = "Piotr"
    ws.cell(beta_row, PARTNERS.index("notes")).value = "left for another distributor?"
    wb["Actions"]["A5"], wb["Actions"]["B5"] = "Acme", "Plan the Platinum path"
    wb.save(q1)
    # Q2: an export of Q2's invoices only, with a name spelled differently and Beta missing.
    sales_q2 = write_csv(
        tmp_path / "q2.csv",
        ["NIP", "Kontrahent", "Data", "Kwota"],
        [
            ("PL 526-000-12-46", "ACME sp. z o.o.", dt.date(2025, 7, 3), D("5000")),
            ("", "Gamma", dt.date(2025, 9, 30), D("100")),
        ],
    )
    q2 = tmp_path / "review_q2.xlsx"
    argv = ["review", str(sales_q2), "--carry-over", str(q1), "--out", str(q2)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "1 kept from the previous review, 1 action carried over" in out
    rows = {r["name"]: r for r in table_rows(q2, "partners", PARTNERS)}
    assert set(rows) == {"ACME sp. z o.o.", "Beta", "Gamma"}
    acme = rows["ACME sp. z o.o."]
    assert (acme["notes"], acme["certified_sales"], acme["in_export"]) == (
        "=wants MSP training",
        2,
        "Yes",
    )
    # Q1 and the prior year come from the Q1 review: the Q2 export does not cover them.
    assert (acme["revenue_prior_year"], acme["revenue_q1"], acme["revenue_q2"]) == (
        61000,
        10000,
        5000,
    )
    beta = rows["Beta"]
    assert (beta["account_manager"], beta["in_export"], beta["revenue_q1"]) == ("Piotr", "No", 300)
    assert beta["revenue_q2"] == 0  # the export covers Q2 and has no sale of Beta's
    assert "q2.csv covers FY2026 Q2 (by its invoice dates, 03.07.2025 to 30.09.2025)" in out
    # The action follows the partner the export names otherwise (the same tax id).
    assert table_rows(q2, "actions", ACTIONS) == [
        {"partner": "ACME sp. z o.o.", "action": "Plan the Platinum path"}
    ]
    assert load_workbook(q2)["Start"][setting_cell("Reviewer").replace("$", "")].value == "Ola"


def test_carry_over_needs_a_review(tmp_path, capsys) -> None:
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    with pytest.raises(NotAReview, match="no Partners"):
        read_previous_review(other)
    sales = write_csv(
        tmp_path / "s.csv", ["Partner", "Data", "Kwota"], [("A", dt.date(2025, 5, 1), D(1))]
    )
    code = cli.main(
        ["review", str(sales), "--carry-over", str(other), "--out", str(tmp_path / "r.xlsx")]
    )
    assert code == 1 and "no Partners (Partnerzy) sheet" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()


def test_same_name_with_another_tax_id_is_another_partner() -> None:
    from partner_tiers.review.carry_over import PreviousReview
    from partner_tiers.review.filled_review import merge_partners

    previous = PreviousReview(
        Path("q1.xlsx"),
        "en",
        None,
        2026,
        None,
        partners=[
            {"name": "Serwis IT", "tax_id": "1111111111", "notes": "Kraków"},
            {"name": "Beta", "notes": "no tax id typed"},
        ],
        actions=[],
    )
    exported = [
        Partner("Serwis IT", "2222222222"),
        Partner("BETA", "3333333333"),
    ]
    rows = merge_partners(exported, previous, 2026)
    assert [(p.name, p.tax_id, p.notes, p.in_export) for p in rows] == [
        ("BETA", "3333333333", "no tax id typed", True),  # matched by name: one side has no id
        ("Serwis IT", "2222222222", None, True),
        ("Serwis IT", "1111111111", "Kraków", False),  # a different company, kept as it was
    ]


def _review_with_renamed_sheets(tmp_path: Path, language: str, tables: bool = True) -> Path:
    """A review whose users renamed every sheet, as Excel renames them: defined names follow."""
    path = tmp_path / f"renamed_{language}.xlsx"
    partners = [Partner("Acme", "5260001246", "Ola", 12_000), Partner("Typed by hand", notes="x")]
    actions = [Action("Acme", f"Step {i}", "Ola", dt.date(2026, 6, i), None) for i in range(1, 5)]
    settings_ = Settings(fiscal_year=2026, quarter=1, reviewer="Ola Nowak")
    output.save_workbook(build_portfolio_review(language, settings_, partners, actions), path)
    wb = load_workbook(path)
    renames = {label(k, language): f"My {k} sheet" for k in ("start", "partners", "actions")}
    for old, new in renames.items():
        wb[old].title = new
        for name in wb.defined_names.values():
            name.attr_text = name.attr_text.replace(f"{old}!", f"'{new}'!")
    if not tables:
        for ws in wb.worksheets:
            for table in list(ws.tables):
                del ws.tables[table]
    wb.save(path)
    return path


@pytest.mark.parametrize("language", LANGUAGES)
def test_renamed_sheets_are_found_by_their_tables_and_defined_names(tmp_path, language) -> None:
    previous = read_previous_review(_review_with_renamed_sheets(tmp_path, language))
    assert previous.language == language
    assert [a["action"] for a in previous.actions] == ["Step 1", "Step 2", "Step 3", "Step 4"]
    assert (previous.reviewer, previous.fiscal_year, previous.quarter) == ("Ola Nowak", 2026, 1)
    assert [p["name"] for p in previous.partners] == ["Acme", "Typed by hand"]
    assert previous.partners[0]["revenue_prior_year"] == 12_000


def test_a_renamed_sheet_without_its_table_is_refused_not_dropped(tmp_path) -> None:
    path = _review_with_renamed_sheets(tmp_path, "en", tables=False)
    with pytest.raises(NotAReview, match=r"no Partners \(Partnerzy\) sheet and no PartnerInput"):
        read_previous_review(path)


def _previous(partners: list[dict], quarter: int = 1):
    from partner_tiers.review.carry_over import PreviousReview

    return PreviousReview(Path("q1.xlsx"), "en", None, 2026, None, partners, [], [], quarter)


def test_a_hand_typed_revenue_wins_over_the_exports_zero_and_is_said() -> None:
    from partner_tiers.review.filled_review import merge_partners

    typed = {"name": "Beta", "revenue_prior_year": 50_000}  # added by hand: no In sales export
    exported = [Partner("Beta", revenue_prior_year=D(0))]
    notices: list[str] = []
    [beta] = merge_partners(
        exported, _previous([typed]), 2026, notices, frozenset(["revenue_prior_year"])
    )
    assert beta.revenue_prior_year == 50_000 and beta.in_export is True
    assert notices == [
        "Beta: kept prior-year revenue 50000 typed by hand in the previous review; the export has 0"
    ]
    exported_before = {"name": "Beta", "revenue_prior_year": 50_000, "in_export": "Yes"}
    [again] = merge_partners(
        exported, _previous([exported_before]), 2026, [], frozenset(["revenue_prior_year"])
    )
    assert again.revenue_prior_year == 0  # it came from the export: the new export's figure counts


def test_a_partner_typed_twice_is_merged_when_the_rows_agree_and_refused_when_not() -> None:
    from partner_tiers.review.filled_review import TypedTwice, merge_partners

    rows = [{"name": "Acme", "notes": "call in May"}, {"name": "ACME", "account_manager": "Ola"}]
    notices: list[str] = []
    [acme] = merge_partners([], _previous(rows), 2026, notices)
    assert (acme.notes, acme.account_manager) == ("call in May", "Ola")
    assert notices == ["Acme: on two Partners rows of the previous review; merged into one"]
    clash = [{"name": "Acme", "notes": "Kraków"}, {"name": "Acme", "notes": "Gdańsk"}]
    with pytest.raises(TypedTwice, match="'Acme' is on two Partners rows with different notes"):
        merge_partners([], _previous(clash), 2026, [])
