"""The benchmark measures what it says: its inputs are checked here, its timings are not."""

from __future__ import annotations

from collections import Counter

from bench.run import REVIEW_QUARTER, REVIEW_YEAR, revenue_column, write_sales_export
from partner_tiers.excel import udfs
from partner_tiers.review.sales_import import read_sales
from partner_tiers.rules.programs import get_program


def test_the_generated_export_reads_as_its_partners_without_problems(tmp_path):
    export = tmp_path / "sales.csv"
    write_sales_export(export, 50)
    sales = read_sales(export, get_program(), fiscal_year=REVIEW_YEAR, quarter=REVIEW_QUARTER)
    assert len(sales.partners) == 50
    assert not sales.problems and not sales.notices
    assert sales.has_prior_year
    assert all(p.revenue_prior_year or any(p.revenue_quarters) for p in sales.partners)
    assert all(q is None for p in sales.partners for q in p.revenue_quarters[REVIEW_QUARTER:])


def test_the_revenue_column_has_blank_and_bad_cells_among_partners_of_every_tier():
    answers = [cell for (cell,) in udfs.PARTNER_TIER(revenue_column(2000))]
    kinds = Counter(
        "blank" if a is None else "message" if a.startswith("#") else "tier" for a in answers
    )
    assert 0 < kinds["blank"] < 200 and 0 < kinds["message"] < 100
    assert {a for a in answers if a and not a.startswith("#")} == {
        t.name for t in get_program().tiers
    }


def test_the_tables_of_other_shapes_hold_partners_of_every_tier(monkeypatch):
    """The two-path and score tables the benchmark times reach every tier, each path too."""
    import random

    from bench.run import EXAMPLES, SHAPES
    from partner_tiers.rules import programs

    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, str(EXAMPLES))
    for program_id, header, partner in SHAPES:
        rng = random.Random(24)
        table = [header] + [partner(rng) for _ in range(2000)]
        answers = {cell for (cell,) in udfs.PARTNER_TIER(table, program_id)[1:]}
        assert answers == {t.name for t in get_program(program_id).tiers}
        sentences = " ".join(cell for (cell,) in udfs.TIER_EXPLAIN(table[:300], program_id)[1:])
        paths = (
            ["revenue path", "training path"] if "paths" in program_id else ["SMB", "Enterprise"]
        )
        assert all(f"({path})" in sentences for path in paths)
