"""partner-tiers qbr: a filled scorecard per partner of a filled review, whose figures are the
review's (both evaluated with the add-in's rules, through their values-only copies)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.files import pdf
from partner_tiers.review.snapshot import write_snapshot
from partner_tiers.texts import label
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.layout import ACTIONS, PARTNERS, REVIEW

DEMO_SALES = Path(cli.__file__).parent / cli.DEMO_SALES


def _review(folder: Path, *options: str) -> Path:
    target = folder / "review.xlsx"
    argv = ["review", str(DEMO_SALES), "--fiscal-year", "2026", "--quarter", "2", *options]
    assert cli.main([*argv, "--out", str(target)]) == 0
    return target


CERTIFICATIONS = """\
Partner;Person;Role;Certification;Valid until
Bajt-Net Sp. z o.o.;Ewa Nowak;Sales;Sales Consultant;2026-03-31
Bajt-Net Sp. z o.o.;Jan Wójcik;Engineer;Certified Engineer;2026-02-15
Cyfrowa Twierdza S.A.;Ola Lis;Sales;Sales Consultant;2025-12-31
Cyfrowa Twierdza S.A.;Adam Kos;Sales;Sales Consultant;2025-09-29
"""


@pytest.fixture(scope="module", params=["EUR", "PLN at 4.2693", "certifications"])
def review(request, tmp_path_factory):
    """A filled review in the program's currency, one in PLN with an exchange rate, and one
    with certifications (two lapse before the audit of 31 March 2026, one has ended)."""
    folder = tmp_path_factory.mktemp("review")
    options: tuple[str, ...] = ()
    if request.param.startswith("PLN"):
        options = ("--currency", "PLN", "--fx", "4.2693")
    elif request.param == "certifications":
        (folder / "certs.csv").write_text(CERTIFICATIONS, "utf-8")
        options = ("--certifications", str(folder / "certs.csv"))
    return _review(folder, *options)


def _review_rows(path: Path, tmp: Path) -> dict[str, dict[str, object]]:
    """The Review sheet's figures per partner, from the review's values-only copy."""
    values = tmp / "review_values.xlsx"
    write_snapshot(path, values, overwrite=True)
    ws = load_workbook(values)[label("review", "en")]
    rows = {}
    for row in ws.iter_rows(min_row=REVIEW.first_row, values_only=True):
        if row[0]:
            rows[row[0]] = {c.key: row[i] for i, c in enumerate(REVIEW.columns)}
    return rows


def _scorecard(path: Path) -> dict[str, object]:
    ws = load_workbook(path).worksheets[0]
    names = [name for _, name, _ in layout.QBR_INPUTS + layout.QBR_RESULTS]
    return {name: ws[layout.qbr_cell(name).replace("$", "")].value for name in names}


@pytest.mark.slow
def test_every_partners_scorecard_shows_the_reviews_figures(review, tmp_path):
    out = tmp_path / "qbr"
    assert cli.main(["qbr", str(review), "--values", "--out", str(out)]) == 0
    expected = _review_rows(review, tmp_path)
    copies = sorted(out.glob("*_values.xlsx"))
    assert len(copies) == len(expected) == 40
    for copy in copies:
        card = _scorecard(copy)
        row = expected[card["PartnerName"]]
        assert card["Revenue"] == pytest.approx(row["revenue"], rel=1e-15, abs=0)
        for key, name, _ in layout.QBR_RESULTS:
            assert card[name] == row[key], (card["PartnerName"], name)
        # A blank count is 0, as in the review; a blank count at the audit is the count now.
        for role, now, audit in (
            ("Sales", "sales_now", "sales_audit"),
            ("Engineers", "engineers_now", "engineers_audit"),
        ):
            have = card[f"Certified{role}"] or 0
            at_audit = card[f"Certified{role}AtAudit"]
            assert (have, have if at_audit is None else at_audit) == (row[now], row[audit])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return _review(tmp_path_factory.mktemp("demo"))


@pytest.mark.slow
def test_the_scorecard_lists_the_certifications_that_lapse_before_the_audit(tmp_path):
    (tmp_path / "certs.csv").write_text(CERTIFICATIONS, "utf-8")
    review = _review(tmp_path, "--certifications", str(tmp_path / "certs.csv"))
    out = tmp_path / "q"
    argv = ["qbr", str(review), "--out", str(out), "--partner", "Bajt-Net Sp. z o.o."]
    assert cli.main([*argv, "--partner", "Cyfrowa Twierdza S.A.", "--partner", "Nobody"]) == 1
    assert cli.main([*argv, "--partner", "Cyfrowa Twierdza S.A."]) == 0
    listed = {}
    for path in out.iterdir():
        ws = load_workbook(path).worksheets[0]
        top = layout.QBR_LAPSING_ROW + 1
        rows = ws.iter_rows(min_row=top, max_row=top + layout.QBR_LAPSING - 1, values_only=True)
        name = ws[layout.qbr_cell("PartnerName").replace("$", "")].value
        listed[name] = [r[:4] for r in rows if r[0]]
        assert ws[layout.qbr_cell("AuditDay").replace("$", "")].value == dt.datetime(2026, 3, 31)
    assert listed == {
        # Ewa's certification is valid on the audit day itself; Adam's ended before the quarter.
        "Bajt-Net Sp. z o.o.": [
            ("Jan Wójcik", "Engineer", "Certified Engineer", dt.datetime(2026, 2, 15))
        ],
        "Cyfrowa Twierdza S.A.": [
            ("Ola Lis", "Sales", "Sales Consultant", dt.datetime(2025, 12, 31))
        ],
    }


def test_partners_are_chosen_by_name_or_tax_id(demo, tmp_path):
    wb = load_workbook(demo)
    ws = wb[label("partners", "en")]
    first, second = (ws.cell(PARTNERS.first_row + i, 1).value for i in range(2))
    ws.cell(PARTNERS.first_row + 1, PARTNERS.index("tax_id")).value = "526-000-12-46"
    wb.save(tmp_path / "typed.xlsx")
    out = tmp_path / "q"
    argv = ["qbr", str(tmp_path / "typed.xlsx"), "--out", str(out)]
    assert cli.main([*argv, "--partner", f"  {first.upper()} ", "--partner", "PL 5260001246"]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2
    assert {_scorecard(out / n)["PartnerName"] for n in written} == {first, second}


@pytest.mark.parametrize(
    ("wanted", "found"),
    [
        ("warta systems sa", "Warta Systems S.A."),  # punctuation and spaces ignored
        ("WARTA-SYSTEMS S A", "Warta Systems S.A."),
        ("bajtnet", "Bajt-Net Sp. z o.o."),  # the start of one partner's name
    ],
)
def test_a_partner_is_found_as_partners_are_matched(demo, tmp_path, wanted, found):
    out = tmp_path / "q"
    assert cli.main(["qbr", str(demo), "--out", str(out), "--partner", wanted]) == 0
    [written] = out.iterdir()
    assert _scorecard(written)["PartnerName"] == found


def test_the_start_of_several_names_is_refused(demo, tmp_path, capsys):
    out = tmp_path / "q"
    assert cli.main(["qbr", str(demo), "--out", str(out), "--partner", "s"]) == 1
    assert "is the start of several partners' names" in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_partner_is_told_and_nothing_is_written(demo, tmp_path, capsys):
    argv = ["qbr", str(demo), "--out", str(tmp_path / "q"), "--partner", "Nobody Ltd"]
    assert cli.main(argv) == 1
    assert "has no partner named 'Nobody Ltd' (by name or tax id)" in capsys.readouterr().err
    assert not (tmp_path / "q").exists()


@pytest.mark.slow
def test_nothing_is_overwritten_without_force(demo, tmp_path, capsys):
    out = tmp_path / "q"
    assert cli.main(["qbr", str(demo), "--out", str(out)]) == 0
    first = sorted(out.iterdir())[0]
    before = first.read_bytes()
    assert cli.main(["qbr", str(demo), "--out", str(out), "--values"]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert first.read_bytes() == before and not list(out.glob("*_values.xlsx"))
    assert cli.main(["qbr", str(demo), "--out", str(out), "--force"]) == 0


def _text(cell, value: str) -> None:
    """Text as Excel keeps what a user typed after an apostrophe, '=...: never a formula."""
    cell.value = value
    cell.data_type = "s"


def _typed(demo: Path, tmp_path: Path, names: list[str], note: str, actions: int) -> Path:
    """The demo review with its first partners renamed, a note and commitments typed in."""
    wb = load_workbook(demo)
    partners = wb[label("partners", "en")]
    for i, name in enumerate(names):
        _text(partners.cell(PARTNERS.first_row + i, 1), name)
    partners.cell(PARTNERS.first_row, PARTNERS.index("notes")).value = note
    sheet = wb[label("actions", "en")]
    for i in range(actions):
        row = ACTIONS.first_row + i
        sheet.cell(row, ACTIONS.index("partner")).value = names[0]
        _text(sheet.cell(row, ACTIONS.index("action")), f"=Step {i + 1}")
        sheet.cell(row, ACTIONS.index("due")).value = dt.date(2026, 12, 1 + i)
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    return path


@pytest.mark.slow
def test_file_names_are_safe_and_unique_and_text_stays_text(demo, tmp_path, capsys):
    names = ['=Kowalski/Syn "IT"', '=KOWALSKI:SYN "IT"', "CON"]
    typed = _typed(demo, tmp_path, names, "+48 600 100 200 call first", actions=7)
    out = tmp_path / "q"
    assert cli.main(["qbr", str(typed), "--out", str(out)]) == 0
    assert "holds 5 commitments; 2 more commitments stay in the review only" in (
        capsys.readouterr().err
    )
    stems = {p.stem for p in out.iterdir()}
    assert {"=Kowalski_Syn _IT_", "=KOWALSKI_SYN _IT_ (2)", "_CON"} <= stems
    ws = load_workbook(out / "=Kowalski_Syn _IT_.xlsx").worksheets[0]
    name = ws[layout.qbr_cell("PartnerName").replace("$", "")]
    assert (name.value, name.data_type) == (names[0], "s")
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "+48 600 100 200 call first" in texts
    assert [t for t in texts if t.startswith("=Step")] == [f"=Step {i}" for i in range(1, 6)]
    typed = {names[0], "+48 600 100 200 call first", *(f"=Step {i}" for i in range(1, 6))}
    assert {c.data_type for row in ws.iter_rows() for c in row if c.value in typed} == {"s"}


def test_the_scorecards_take_the_reviews_language_or_lang(demo, tmp_path):
    out = tmp_path / "q"
    assert cli.main(["qbr", str(demo), "--out", str(out), "--partner", "x", "--lang", "pl"]) == 1
    first = load_workbook(demo)[label("partners", "en")].cell(PARTNERS.first_row, 1).value
    assert cli.main(["qbr", str(demo), "--out", str(out), "--partner", first, "--lang", "pl"]) == 0
    (card,) = out.iterdir()
    assert load_workbook(card).sheetnames[0] == label("scorecard", "pl")


def test_pdf_without_libreoffice_is_told_before_anything_is_written(
    demo, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert cli.main(["qbr", str(demo), "--out", str(tmp_path / "q"), "--pdf"]) == 1
    assert "--pdf needs LibreOffice" in capsys.readouterr().err
    assert not (tmp_path / "q").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_renders_the_values_copies(demo, tmp_path):
    first = load_workbook(demo)[label("partners", "en")].cell(PARTNERS.first_row, 1).value
    out = tmp_path / "q"
    assert cli.main(["qbr", str(demo), "--out", str(out), "--partner", first, "--pdf"]) == 0
    (rendered,) = out.glob("*.pdf")
    assert rendered.stem.endswith("_values") and rendered.read_bytes().startswith(b"%PDF")
    assert pdf.soffice()


# How a user may have typed a cell the review's formulas read: a number, a number as text,
# a decimal comma, blank, an error value, words.
AMOUNTS = [300_000, 12_500.5, "300000", "12,5", "1 234,56", None, "#N/A", "abc"]
QUARTERS = [2, "2", 3, None]
RATES = [1, 4.2693, "4,2693", "4.2693", None]
RESULTS = {  # scorecard result -> Review column
    "Revenue": "revenue",
    "CurrentTier": "current_tier",
    "NextTier": "next_tier",
    "Gap": "gap",
    "Progress": "progress",
    "YtdRevenue": "ytd",
    "ProjectedTier": "projected_tier",
    "DemotionRisk": "demotion_risk",
    "KeepPerQuarter": "keep_per_quarter",
    "ReachPerQuarter": "reach_per_quarter",
    "Change": "change",
    "TierIfRenewed": "tier_if_renewed",
}


def _type_in(cell, value) -> None:
    """Type ``value`` into ``cell`` as a user would: "#N/A" is the error value itself."""
    cell.value = value
    if value == "#N/A":
        cell.data_type = "e"
    elif isinstance(value, str):
        cell.data_type = "s"


@pytest.mark.slow
@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(AMOUNTS), st.sampled_from(AMOUNTS), st.sampled_from(AMOUNTS)),
        min_size=3,
        max_size=3,
    ),
    st.sampled_from(QUARTERS),
    st.sampled_from(RATES),
)
@example([("300000", 70_000, 70_000), (300_000, "70000", 70_000), (300_000, 1, 1)], "2", 1)
@example([(300_000, 70_000, 70_000)] * 3, 2, "4,2693")
def test_a_scorecard_shows_the_reviews_figures_however_a_cell_was_typed(amounts, quarter, rate):
    from partner_tiers.excel.udfs import FUNCTIONS
    from partner_tiers.formulas.workbook import Evaluator
    from partner_tiers.review.qbr_pack import read_pack

    folder = Path(tempfile.mkdtemp())
    path = _review(folder)
    wb = load_workbook(path)
    ws = wb[label("partners", "en")]
    names = [ws.cell(PARTNERS.first_row + i, 1).value for i in range(3)]
    for i, (prior, q1, q2) in enumerate(amounts):
        row = PARTNERS.first_row + i
        for key, value in (("revenue_prior_year", prior), ("revenue_q1", q1), ("revenue_q2", q2)):
            _type_in(ws.cell(row, PARTNERS.index(key)), value)
    start = wb[label("start", "en")]
    _type_in(start[layout.setting_cell("Quarter").replace("$", "")], quarter)
    _type_in(start[layout.setting_cell("ExchangeRate").replace("$", "")], rate)
    wb.save(path)

    review = Evaluator(load_workbook(path), FUNCTIONS)
    sheet = label("review", "en")
    pack = read_pack(path, names)
    for card in pack.scorecards:
        at = REVIEW.first_row + names.index(card.partner.name)
        scorecard = Evaluator(pack.workbook(card), FUNCTIONS)
        for name, key in RESULTS.items():
            shown = scorecard.value(
                label("scorecard", "en"), layout.qbr_cell(name).replace("$", "")
            )
            expected = review.cell_value(sheet, at, REVIEW.index(key))
            assert str(shown) == str(expected), (card.partner.name, name, shown, expected)
        sentence = scorecard.value(label("scorecard", "en"), f"B{layout.QBR_EXPLANATION_ROW}")
        assert sentence == review.cell_value(sheet, at, REVIEW.index("explanation"))


def test_warta_is_told_what_keeping_platinum_takes_with_every_figure_named(demo, tmp_path):
    """Warta Systems is Platinum and heading for Silver: the meeting is about keeping
    Platinum, 88,096.40 EUR a quarter, and every needed figure and line names its tier."""
    out = tmp_path / "q"
    argv = ["qbr", str(demo), "--out", str(out), "--values", "--partner", "Warta Systems S.A."]
    assert cli.main(argv) == 0
    ws = load_workbook(next(out.glob("*_values.xlsx"))).worksheets[0]

    def beside(name: str) -> tuple[object, object]:
        cell = ws[layout.qbr_cell(name).replace("$", "")]
        return ws.cell(cell.row, cell.column - 1).value, cell.value

    assert beside("KeepPerQuarter") == ("Needed a quarter to keep Platinum", 88096.4)
    assert beside("ReachPerQuarter") == ("Needed a quarter to reach the next tier", None)
    assert ws[f"B{layout.QBR_EXPLANATION_ROW}"].value == (
        "Platinum, at risk: at this pace the year ends below Platinum. Keeping Platinum takes "
        "88,096.40 EUR a quarter in the 2 remaining quarters."
    )
    top = layout.QBR_QUARTERS_ROW
    assert (ws.cell(top, 3).value, ws.cell(top + 1, 3).value) == (
        "Run-rate to keep Platinum",
        50000,
    )
    # Sophos sets no certification counts: the empty column says why.
    assert beside("TierIfRenewed") == (
        "Projected tier if renewed: none, no certifications needed",
        None,
    )
