"""One truth from the export to the scorecard: for any partner names and any certification
rows, the evaluated review workbook, the terminal summary and every QBR scorecard give each
partner the same certified people and the same tiers.

Names are drawn from a hostile alphabet: COUNTIFS wildcards (``*``, ``?``, ``~``), a
leading operator (``=``, ``<``, ``>``), digits, accents, and two partners that differ only
in case (told apart by their tax ids). Certification rows name their partner in any case,
with its tax id or without.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files.output import save_workbook
from partner_tiers.formulas.workbook import Evaluator
from partner_tiers.records import CertificationRow, Partner, Settings
from partner_tiers.review.qbr_pack import read_pack
from partner_tiers.review.summary import summarise
from partner_tiers.rules import programs
from partner_tiers.rules.certifications import ENGINEER, SALES
from partner_tiers.texts import label
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.portfolio import build_portfolio_review

from .fixtures import VALID
from .reading import evaluated_review

AS_OF, AUDIT = dt.date(2026, 9, 30), dt.date(2027, 1, 31)  # VALID's year starts in February
REVIEWED = Settings(
    program="acme-2025", fiscal_year=2027, quarter=2, audit_day=AUDIT, certifications_as_of=AS_OF
)
# (name, tax id): wildcards, operators, digits, accents, and twins apart only by case.
HOSTILE = [
    ("C*Tech Sp. z o.o.", None),
    ("C?Tech", None),
    ("~Tech", None),
    ("=Gamma", None),
    ("<Delta", None),
    (">Delta", None),
    ("2000", None),
    ("ACME", "526-000-12-46"),
    ("Acme", "7770001719"),
    ("Żabka IT", None),
]


@pytest.fixture(autouse=True)
def acme(monkeypatch):
    """VALID (acme-2025: Select needs a certified sales person, Premier two of each)."""
    registry = programs.ProgramRegistry(check_interval=0)
    monkeypatch.setattr(programs, "registry", registry)
    registry.define(VALID)


def _spellings(name: str) -> st.SearchStrategy[str]:
    """How a certification row may write a partner's name."""
    return st.sampled_from([name, name.upper(), name.lower(), f" {name} "])


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[list[Partner], list[CertificationRow]]:
    chosen = draw(st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=6, unique=True))
    partners = [
        Partner(
            name,
            tax_id=tax,
            revenue_prior_year=Decimal(draw(st.sampled_from([0, 60_000, 300_000]))),
            revenue_quarters=[Decimal(draw(st.sampled_from([10_000, 70_000])))] * 2 + [None] * 2,
            certified_sales=draw(st.none() | st.integers(0, 2)),
            certified_engineers=draw(st.none() | st.integers(0, 2)),
        )
        for name, tax in chosen
    ]
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        name, tax = draw(st.sampled_from([*chosen, ("Nobody", None)]))
        rows.append(
            CertificationRow(
                draw(_spellings(name)),
                draw(st.sampled_from(["Ewa Nowak", "EWA NOWAK", "Jan", "Ola"])),
                draw(st.sampled_from([SALES, ENGINEER])),
                "Certified",
                draw(st.dates(dt.date(2026, 6, 1), dt.date(2027, 6, 1))),
                tax_id=draw(st.sampled_from([None, tax])),
            )
        )
    return partners, rows


def _scorecards(path: Path) -> dict[str, dict[str, object]]:
    pack = read_pack(path)
    sheet = label("scorecard", "en")
    found = {}
    for card in pack.scorecards:
        evaluator = Evaluator(pack.workbook(card), FUNCTIONS)
        names = [name for _, name, _ in layout.QBR_INPUTS + layout.QBR_RESULTS]
        found[card.partner.name] = {
            name: evaluator.value(sheet, layout.qbr_cell(name).replace("$", "")) for name in names
        }
    return found


def _counts(values: tuple[object, object]) -> tuple[int, int]:
    """Counts as the functions read them: a blank is none."""
    return tuple(0 if v in (None, "") else v for v in values)  # type: ignore[return-value]


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(portfolios())
@example(  # two partners apart only by case, each with its own tax id and its own rows
    (
        [
            Partner("ACME", "526-000-12-46", revenue_prior_year=Decimal(300_000)),
            Partner("Acme", "7770001719", revenue_prior_year=Decimal(300_000)),
            Partner("C*Tech", revenue_prior_year=Decimal(300_000)),
            Partner("CxTech", revenue_prior_year=Decimal(300_000)),
        ],
        [
            CertificationRow("acme", "Ewa", SALES, "C", AUDIT, tax_id="PL5260001246"),
            CertificationRow("ACME", "Jan", SALES, "C", AUDIT, tax_id="526-000-12-46"),
            CertificationRow("ACME", "Jan", SALES, "C", AUDIT, tax_id="526-000-12-46"),  # twice
            CertificationRow("CxTech", "Ola", SALES, "C", AUDIT, tax_id=None),
        ],
    )
)
def test_workbook_summary_and_scorecards_agree_for_any_name(tmp_path_factory, portfolio):
    partners, rows = portfolio
    wb = build_portfolio_review("en", REVIEWED, partners, certifications=rows)
    review = evaluated_review(wb)
    path = save_workbook(wb, tmp_path_factory.mktemp("truth") / "review.xlsx")
    cards = _scorecards(path)
    program = programs.get_program("acme-2025")
    summary = summarise(program, 2, partners, None, rows, "en", (AS_OF, AUDIT))
    told = {s.name: s for s in summary.standings}

    assert set(review) == set(cards) == {p.name for p in partners}
    for p in partners:
        row, card, standing = review[p.name], cards[p.name], told[p.name]
        now = _counts((row["sales_now"], row["engineers_now"]))
        assert _counts((card["CertifiedSales"], card["CertifiedEngineers"])) == now, p.name
        assert _counts(standing.certified) == now, p.name
        assert row["current_tier"] == card["CurrentTier"] == standing.tier, p.name
        assert row["projected_tier"] == card["ProjectedTier"] == standing.projected_tier
        assert row["explanation"] == standing.sentence, p.name
        assert row["keep_per_quarter"] == card["KeepPerQuarter"], p.name
        assert row["reach_per_quarter"] == card["ReachPerQuarter"], p.name
    tiers_shown = Counter(row["current_tier"] for row in review.values())
    assert summary.now == {t.name: tiers_shown[t.name] for t in program.tiers}


def test_the_hostile_example_counts_each_partner_its_own_people():
    """The example above, by hand: COUNTIFS would have counted C*Tech's pattern."""
    partners = [
        Partner("ACME", "526-000-12-46", revenue_prior_year=Decimal(300_000)),
        Partner("Acme", "7770001719", revenue_prior_year=Decimal(300_000)),
        Partner("C*Tech", revenue_prior_year=Decimal(300_000)),
        Partner("CxTech", revenue_prior_year=Decimal(300_000)),
    ]
    rows = [
        CertificationRow("acme", "Ewa", SALES, "C", AUDIT, tax_id="PL5260001246"),
        CertificationRow("ACME", "Jan", SALES, "C", AUDIT, tax_id="526-000-12-46"),
        CertificationRow("ACME", "Jan", SALES, "C", AUDIT, tax_id="526-000-12-46"),
        CertificationRow("CxTech", "Ola", SALES, "C", AUDIT, tax_id=None),
    ]
    review = evaluated_review(build_portfolio_review("en", REVIEWED, partners, certifications=rows))
    counted = {name: (row["sales_now"], row["current_tier"]) for name, row in review.items()}
    assert counted == {
        "ACME": (2, "Select"),  # Ewa and Jan; Jan's row twice is one person
        "Acme": ("", "Registered"),  # no row of its own: ACME's tax id is not its
        "C*Tech": ("", "Registered"),  # a name, never a pattern
        "CxTech": (1, "Select"),
    }
