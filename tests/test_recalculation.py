"""How many add-in calls one full recalculation of each workbook makes.

Every call of an add-in function crosses COM from Excel to Python and costs 4 to 13 ms
(xlwings issue #1976), and the templates recalculate fully on every open. So each
table-shaped result is one array formula over its block, each Review column one array
formula, and a value that a sheet needs twice sits in a hidden helper cell.
"""

from __future__ import annotations

import pytest

from bench.run import REVIEW_QUARTER, REVIEW_YEAR, write_sales_export
from partner_tiers import cli
from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files.safe_xlsx import open_workbook
from partner_tiers.formulas.workbook import count_addin_calls
from partner_tiers.workbooks.templates import TEMPLATES

REVIEW_LIMIT = 15
QBR_LIMIT = 10


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_template_recalculates_in_a_handful_of_calls(name):
    counts = count_addin_calls(TEMPLATES[name](), FUNCTIONS)
    limit = QBR_LIMIT if name.startswith("partner_qbr") else REVIEW_LIMIT
    assert sum(counts.values()) <= limit, counts
    # Every function is called once at most, but, on the review, TIER_TABLE for each edition
    # on Program and PROJECTED_TIER twice: with the certified people of the audit day and with
    # those of now (the scorecard asks for both in one call).
    qbr = name.startswith("partner_qbr")
    twice = {"TIER_TABLE": 1 if qbr else 2, "PROJECTED_TIER": 1 if qbr else 2}
    assert all(n == twice.get(f, 1) for f, n in counts.items()), counts


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_review_filled_with_1000_partners_makes_as_few_calls(tmp_path, language):
    export, review = tmp_path / "sales.csv", tmp_path / "review.xlsx"
    write_sales_export(export, 1000)
    args = [
        "review",
        str(export),
        "--out",
        str(review),
        "--lang",
        language,
        "--fiscal-year",
        str(REVIEW_YEAR),
        "--quarter",
        str(REVIEW_QUARTER),
    ]
    assert cli.main(args) == 0
    counts = count_addin_calls(open_workbook(review), FUNCTIONS)
    assert sum(counts.values()) <= REVIEW_LIMIT, counts
    assert counts["PARTNER_TIER"] == 1 and counts["DEMOTION_RISK"] == 1
