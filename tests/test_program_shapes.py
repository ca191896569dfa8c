"""Programs of any shape from their files: the examples README names, every shape's errors
named by file and field, the Excel functions on a table of metrics, the lifecycle."""

from __future__ import annotations

import re
import shlex
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partner_tiers import cli
from partner_tiers.excel import udfs
from partner_tiers.rules import programs
from partner_tiers.rules.explanations import explain
from partner_tiers.rules.lifecycle import takes_effect
from partner_tiers.rules.program import Lifecycle
from partner_tiers.rules.tiers import assess

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"


def readme_examples() -> list[tuple[str, str]]:
    """(command, what it prints) of each row of README's table of examples."""
    text = (ROOT / "README.md").read_text("utf-8")
    table = text.split("<!-- examples:")[1].split("<!-- /examples -->")[0]
    rows = re.findall(r"^\| `partner-tiers (.+?)` \| `(.+?)` \|$", table, re.MULTILINE)
    assert len(rows) >= 12
    return rows


@pytest.fixture
def examples_folder(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, str(EXAMPLES))
    return EXAMPLES


@pytest.mark.parametrize(("command", "printed"), readme_examples())
def test_every_example_prints_what_readme_says(examples_folder, capsys, command, printed):
    assert cli.main(shlex.split(command)) == 0
    assert capsys.readouterr().out.strip() == printed


def test_every_example_file_is_used_by_a_readme_line_and_marked_invented(examples_folder):
    ids = {
        programs.load_program_file(p, known_programs()).id: p
        for p in sorted(EXAMPLES.glob("*.toml"))
    }
    named = {re.search(r"--program (\S+)", command)[1] for command, _ in readme_examples()}
    assert set(ids) - {"example-roles-and-plan"} <= named  # its line is the one it cannot answer
    for path in ids.values():
        assert re.search(r"INVENTED", path.read_text("utf-8")), path.name


def known_programs() -> dict:
    programs.registry.refresh(force=True)
    return {s.program.id: s.program for s in programs.registry.sources()}


def test_an_answer_that_hangs_on_an_unpublished_threshold_says_what_to_set(examples_folder, capsys):
    code = cli.main(
        shlex.split(
            "tier 30000 --program example-roles-and-plan --certified-sales 1 "
            "--metric certified_technical=1 --metric business_plan=yes"
        )
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "partner-tiers: example-roles-and-plan: Silver's threshold of revenue is not published "
        "by Example Vendor; set it in a program file that extends example-roles-and-plan "
        '([[tiers]] name = "Silver", thresholds = { revenue = ... })'
    )


def test_programs_check_accepts_every_example(examples_folder, capsys):
    assert cli.main(["programs", "--check"]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == len(list(EXAMPLES.glob("*.toml"))) + 3


# Each shape broken one way: the file, the field down to the node, and the problem.
BROKEN = [
    (
        "two-paths.toml",
        "min = 3_000_000",
        "min = 'lots'",
        "tiers[2].requires.any[0].all[0].min: must be a number, not 'lots'",
    ),
    (
        "two-paths.toml",
        'metric = "services_revenue", min = 60_000',
        'metric = "service", min = 1',
        "tiers[2].requires.any[1].all[1].metric: 'service' is no metric of the program",
    ),
    (
        "score-and-tracks.toml",
        'min_total = 70\nscore = [\n    { metric = "net_customer_adds", points = 20',
        'min_total = 170\nscore = [\n    { metric = "net_customer_adds", points = 20',
        "tiers[1].tracks.Enterprise.min_total: is more than the items' points together (100)",
    ),
    (
        "score-and-tracks.toml",
        "[tiers.tracks.SMB]",
        "[tiers.tracks.Midmarket]",
        "tiers[1].tracks.Midmarket: is no track of the program; tracks: Enterprise, SMB",
    ),
    (
        "roles-and-plan.toml",
        '{ metric = "business_plan" },\n] }\n\n[[tiers]]\nname = "Gold"',
        '{ metric = "business_plan", min = 2 },\n] }\n\n[[tiers]]\nname = "Gold"',
        "tiers[1].requires.all[3].min: a yes/no item is met by yes",
    ),
    (
        "monthly-commitment.toml",
        'kind = "monthly"',
        'kind = "mrr"',
        "metrics.monthly_commitment.kind: 'mrr' is no kind",
    ),
    (
        "trailing-window-with-grace.toml",
        "months = 12",
        "months = 0",
        "metrics.revenue.months: a trailing window needs months: 1 to 60",
    ),
    (
        "trailing-window-with-grace.toml",
        'downgrade = "after_grace", grace_months = 6',
        'downgrade = "after_grace"',
        "lifecycle.grace_months: a grace period goes with",
    ),
    (
        "product-families.toml",
        'scope = "Linux"',
        'scope = ""',
        "metrics.linux_revenue.scope: must be non-empty text",
    ),
    (
        "customers-and-growth.toml",
        "at_least = 2",
        "at_least = 4",
        "tiers[1].requires.at_least: must be a whole number from 1 to 3, not 4",
    ),
    (
        "roles-and-plan-with-targets.toml",
        "thresholds = { revenue = 75_000 }",
        "thresholds = { certified_architects = 1 }",
        "tiers[1].thresholds.certified_architects: Gold has no criterion of 'certified_architects'",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), BROKEN)
def test_programs_check_names_file_and_field_for_every_shape(
    tmp_path, monkeypatch, capsys, name, old, new, message
):
    folder = tmp_path / "programs"
    folder.mkdir()
    for path in EXAMPLES.glob("*.toml"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    text = (folder / name).read_text("utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), "utf-8")
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, str(folder))
    assert cli.main(["programs", "--check"]) == 1
    out = capsys.readouterr().out
    assert f"{name}: {message}" in out


# --- the Excel functions on a table of metrics ----------------------------------------------

TABLE = [
    ["Revenue", "Services revenue", "certified engineers"],
    [3_100_000, 420_000, 0],
    [600_000, 70_000, 3],
    [None, None, None],
    [600_000, "70 000", 3],
    [100_000, None, 0],
]


def test_a_table_of_metrics_answers_each_partner_in_its_row(examples_folder):
    assert udfs.PARTNER_TIER(TABLE, "example-two-paths") == [
        ["Tier"],
        ["Gold"],
        ["Silver"],
        [None],
        [
            "#VALUE! services_revenue '70 000' is ambiguous text; type the number without "
            "separators, e.g. 12500.5"
        ],
        ["#VALUE! services_revenue is empty in this row; type 0 if there is none"],
    ]
    assert udfs.NEXT_TIER(TABLE[:3], "example-two-paths") == [["Next tier"], [""], ["Gold"]]
    assert udfs.GAP_TO_NEXT(TABLE[:3], "example-two-paths") == [["Gap to next tier"], [0.0], [0.0]]
    assert udfs.TIER_EXPLAIN(TABLE[:3], "example-two-paths") == [
        ["In one sentence"],
        ["Gold. This is the top tier."],
        ["Silver. Gold (training path) needs 1 more certified engineer."],
    ]


def test_a_table_with_its_names_apart_answers_as_the_headed_table_without_a_header(
    examples_folder,
):
    names, values = TABLE[:1], TABLE[1:]
    for function in (udfs.PARTNER_TIER, udfs.NEXT_TIER, udfs.GAP_TO_NEXT, udfs.TIER_PROGRESS):
        headed = function(TABLE, "example-two-paths")
        assert function(values, "example-two-paths", None, None, names) == headed[1:]
    explained = udfs.TIER_EXPLAIN(TABLE, "example-two-paths", None, None, "pl")
    apart = udfs.TIER_EXPLAIN(values, "example-two-paths", None, None, "pl", None, None, names)
    assert apart == explained[1:]
    # Names that do not fit the values, or counts given beside them, are told in every row.
    assert (
        udfs.PARTNER_TIER(values[:2], "example-two-paths", None, None, [names[0][:2]])
        == [["#VALUE! metrics names 2 columns; the values have 3"]] * 2
    )
    assert udfs.PARTNER_TIER(values[:1], "example-two-paths", 1, None, names) == [
        ["#VALUE! with a table of metrics, give the certified people as its columns"]
    ]
    assert udfs.PARTNER_TIER(values[:1], "example-two-paths", None, None, [[1, 2, 3]]) == [
        ["#VALUE! metrics must be one row of metric names, as PROGRAM_METRICS writes"]
    ]
    assert udfs.PARTNER_TIER(values[:1], "example-two-paths", None, None, [["x", "y", "z"]])[0][
        0
    ].startswith("#VALUE! header 'x' names no metric of example-two-paths")


def test_a_table_lacking_a_metric_or_with_an_unknown_header_says_which(examples_folder):
    lacking = [row[:2] for row in TABLE[:3]]
    assert udfs.PARTNER_TIER(lacking, "example-two-paths")[1] == [
        "#N/A example-two-paths needs certified_engineers: add a column headed by each"
    ]
    typo = [["revenue", "servces", "certified_engineers"], [1, 2, 3]]
    assert udfs.PARTNER_TIER(typo, "example-two-paths")[1][0].startswith(
        "#VALUE! header 'servces' names no metric of example-two-paths; it reads revenue"
    )
    twice = [["revenue", "Revenue"], [1, 2]]
    assert udfs.PARTNER_TIER(twice)[1] == ["#VALUE! two columns are headed revenue"]
    assert udfs.PARTNER_TIER(600_000, "example-two-paths", None, 4).startswith(
        "#VALUE! example-two-paths needs services_revenue"
    )


def test_a_score_programs_gap_is_in_points(examples_folder):
    table = [
        ["net_customer_adds", "certified_engineers", "deployments"],
        [5, 3, 0],
        [5, 3, 1],
        [30, 3, 40],
    ]
    # SMB: 5 + 22.5 + 0 points of 70; with one deployment 0.5 more points.
    assert udfs.GAP_TO_NEXT(table, "example-score-and-tracks") == [
        ["Gap to next tier"],
        [42.5],
        [42.0],
        [0.0],
    ]


def test_an_unpublished_threshold_is_told_only_where_the_answer_hangs_on_it(examples_folder):
    table = [
        ["revenue", "certified_sales", "certified_technical", "business_plan"],
        [30000, 1, 1, "No"],
        [30000, 1, 1, "Yes"],
    ]
    answers = udfs.PARTNER_TIER(table, "example-roles-and-plan")
    assert answers[1] == ["Registered"]
    assert answers[2][0].startswith(
        "#VALUE! example-roles-and-plan: Silver's threshold of revenue is not published"
    )


def test_program_metrics_writes_the_header_row(examples_folder):
    assert udfs.PROGRAM_METRICS("example-two-paths") == [
        ["revenue", "certified_engineers", "services_revenue"]
    ]
    described = udfs.PROGRAM_METRICS("example-monthly-commitment", True)
    assert described == [["monthly_commitment"], ["monthly recurring amount or commitment"]]
    assert udfs.PROGRAM_METRICS() == [["revenue"]]


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30_000_000).map(lambda c: c / 100),
            st.none() | st.integers(0, 4),
            st.none() | st.integers(0, 4),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["sophos-2019", "sophos-pre-2019", "sophos-2019-with-counts"]),
)
def test_a_table_answers_a_ladder_as_the_columns_do(rows, program_id):
    """Through a table of metrics or through today's arguments, the same answers."""
    import os

    os.environ[programs.PROGRAMS_PATH_VARIABLE] = str(EXAMPLES)
    try:
        table = [["revenue", "certified_sales", "certified_engineers"], *map(list, rows)]
        for function in (udfs.PARTNER_TIER, udfs.NEXT_TIER, udfs.GAP_TO_NEXT, udfs.TIER_PROGRESS):
            answered = function(table, program_id)
            for (revenue, sales, engineers), [answer] in zip(rows, answered[1:], strict=True):
                assert answer == function(revenue, program_id, sales, engineers)
        explained = udfs.TIER_EXPLAIN(table, program_id)
        for (revenue, sales, engineers), [sentence] in zip(rows, explained[1:], strict=True):
            assert sentence == udfs.TIER_EXPLAIN(revenue, program_id, sales, engineers)
    finally:
        del os.environ[programs.PROGRAMS_PATH_VARIABLE]


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30_000_000).map(lambda c: c / 100),
            st.integers(0, 4),
            st.integers(0, 4),
            st.sampled_from(["Authorized", "Silver", "Gold", "Platinum"]),
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 4),
    st.sampled_from(["sophos-2019", "sophos-2019-with-counts"]),
)
def test_a_table_of_this_years_values_projects_a_ladder_as_the_columns_do(
    rows, quarters, program_id
):
    """PROJECTED_TIER and DEMOTION_RISK of a table (its revenue run on at the year's rate)
    answer a ladder as today's arguments do, headed or with the names apart."""
    import os

    os.environ[programs.PROGRAMS_PATH_VARIABLE] = str(EXAMPLES)
    try:
        names = [["revenue", "certified_sales", "certified_engineers"]]
        values = [list(row[:3]) for row in rows]
        current = [[row[3]] for row in rows]
        projected = udfs.PROJECTED_TIER(names + values, quarters, program_id)
        apart = udfs.PROJECTED_TIER(values, quarters, program_id, None, None, names)
        risk = udfs.DEMOTION_RISK(values, quarters, current, program_id, names)
        assert projected[1:] == apart
        for (ytd, sales, engineers, tier), [tier_ahead], [at_risk] in zip(
            rows, apart, risk, strict=True
        ):
            assert tier_ahead == udfs.PROJECTED_TIER(ytd, quarters, program_id, sales, engineers)
            # A ladder's risk is its run rate below the tier's threshold, whatever the people:
            # the table's, the projected tier below the current one. They agree where the
            # people do not cap the tier.
            if sales == engineers == 4:
                assert at_risk == udfs.DEMOTION_RISK(ytd, quarters, tier, program_id)
    finally:
        del os.environ[programs.PROGRAMS_PATH_VARIABLE]


def test_projection_of_a_table_runs_on_the_revenue_and_keeps_the_rest(examples_folder):
    names = [["revenue", "certified_sales", "certified_technical", "business_plan"]]
    program = "example-roles-and-plan-with-targets"  # Silver 20,000, Gold 75,000
    values = [[40_000, 2, 2, "yes"], [40_000, 2, 1, "yes"], [9_999.99, 1, 1, "yes"]]
    assert udfs.PROJECTED_TIER(values, 2, program, None, None, names) == [
        ["Gold"],  # 80,000 at the year's rate
        ["Silver"],  # 80,000, but 1 technical person as it stands: Gold needs 2
        ["Registered"],  # 19,999.98 at the year's rate: below Silver's 20,000
    ]
    current = [["Gold"], ["Gold"], ["Silver"]]
    assert udfs.DEMOTION_RISK(values, 2, current, program, names) == [[False], [True], [True]]
    # With a table, the quarters are one cell for all.
    assert (
        udfs.PROJECTED_TIER(values, [[2], [2], [2]], program, None, None, names)
        == [["#VALUE! quarters_elapsed must be one cell, not a range"]] * 3
    )


# --- lifecycle --------------------------------------------------------------------------------


def test_a_change_takes_effect_as_the_lifecycle_says(examples_folder):
    graced = programs.get_program("example-trailing-window")  # FY starts in February
    assert takes_effect(graced, 2027, upgrade=True) is None
    assert str(takes_effect(graced, 2027, upgrade=False)) == "2027-08-01"  # Feb 1 + 6 months
    sophos = programs.get_program("sophos-2019")
    assert str(takes_effect(sophos, 2027, upgrade=True)) == "2027-04-01"
    assert sophos.lifecycle is None


def test_the_at_risk_sentence_tells_the_lifecycle_a_program_states():
    sophos = programs.get_program("sophos-2019")
    platinum = assess(sophos, Decimal("250000"))
    today = explain(platinum, ytd_revenue=Decimal("23807.20"), quarters_elapsed=2)
    assert today.endswith("in the 2 remaining quarters.")  # no lifecycle stated: as before
    for rule, words in (
        (Lifecycle("at_once", "at_once"), "The tier goes as soon as its requirement is missed."),
        (Lifecycle(), "The tier holds until the audit."),
        (Lifecycle("at_once", "after_grace", 6), "After the audit, 6 months' grace."),
    ):
        stated = assess(replace(sophos, lifecycle=rule), Decimal("250000"))
        said = explain(stated, ytd_revenue=Decimal("23807.20"), quarters_elapsed=2)
        assert said == f"{today} {words}"


def test_review_refuses_a_program_whose_fiscal_year_is_unpublished_before_reading_a_file(
    examples_folder, capsys, tmp_path
):
    missing = tmp_path / "no-such-export.csv"
    assert cli.main(["review", str(missing), "--program", "eset-dach-2016"]) == 1
    assert "the fiscal year is not published by ESET" in capsys.readouterr().err
    # A program of another shape has its columns: the missing file is what is told.
    assert cli.main(["review", str(missing), "--program", "example-two-paths"]) == 1
    assert "no-such-export.csv: no such file" in capsys.readouterr().err


HALF_PUBLISHED = """\
id = "half-published"
vendor = "Example"
name = "A tier whose revenue threshold is not published"
currency = "EUR"
fiscal_year_start_month = 1
basis = "revenue of the previous year"
source = "invented for the tests"

[[tiers]]
name = "Registered"

[[tiers]]
name = "Silver"
requires = { metric = "revenue", min = 10_000 }

[[tiers]]
name = "Gold"
[tiers.requires]
all = [{ metric = "revenue", min = "unpublished" }, { metric = "certified_sales", min = 2 }]
"""


def test_todays_arguments_tell_an_unpublished_threshold_only_where_it_decides(user_programs):
    (user_programs / "half.toml").write_text(HALF_PUBLISHED, "utf-8")
    with_one = udfs.PARTNER_TIER([[5000], [20000], [None]], "half-published", 1)
    assert with_one == [["Registered"], ["Silver"], [None]]  # one person: never Gold
    with_two = udfs.PARTNER_TIER([[5000], [20000]], "half-published", 2)
    assert all(
        answer.startswith("#VALUE! half-published: Gold's threshold of revenue is not published")
        for [answer] in with_two
    )
    assert udfs.TIER_THRESHOLD("Gold", "half-published").startswith(
        "#VALUE! half-published: Gold's threshold of revenue is not published by Example"
    )
    assert [row[1] for row in udfs.TIER_TABLE("half-published")[1:]] == [
        0.0,
        10000.0,
        "unpublished",
    ]
    assert udfs.DEMOTION_RISK(1000, 2, "Gold", "half-published").startswith(
        "#VALUE! half-published: Gold's threshold of revenue is not published"
    )
    assert udfs.DEMOTION_RISK(1000, 2, "Silver", "half-published") is True


def _export(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sales_import_reads_a_programs_metrics_by_header_alias(examples_folder, tmp_path):
    from partner_tiers.review.sales_import import read_sales

    commitment = programs.get_program("example-monthly-commitment")
    # "MRC" is an alias, "Zobowiązanie miesięczne" the Polish header: both name the metric.
    for header in ("MRC", "Zobowiązanie miesięczne", "monthly_commitment"):
        path = _export(tmp_path, f"Kontrahent;{header}\nAcme;2 600,50\nBeta;lots\n")
        read = read_sales(path, commitment, fiscal_year=2026)
        assert [(p.name, p.metrics) for p in read.partners] == [
            ("Acme", {"monthly_commitment": Decimal("2600.50")})
        ]
        [problem] = read.problems
        assert (problem.line, problem.column, problem.value) == (3, header, "lots")
    two_paths = programs.get_program("example-two-paths")
    path = _export(
        tmp_path,
        "Partner;Prior year revenue;Obrót z usług;Certified engineers\nAcme;600000;70000;3\n",
    )
    [acme] = read_sales(path, two_paths, fiscal_year=2026).partners
    assert (acme.revenue_prior_year, acme.certified_engineers) == (Decimal(600000), 3)
    assert acme.metrics == {"services_revenue": Decimal(70000)}


def test_the_sales_import_reads_counts_plans_and_growth_and_converts_amounts(
    examples_folder, tmp_path
):
    from partner_tiers.review.sales_import import read_sales

    plan = programs.get_program("example-roles-and-plan")
    path = _export(
        tmp_path,
        "Partner;Revenue prior year;Certified technical;Biznesplan\n"
        "Acme;30000;2;Tak\nBeta;1;x;maybe\n",
    )
    read = read_sales(path, plan, fiscal_year=2026)
    assert [p.metrics for p in read.partners] == [{"certified_technical": 2, "business_plan": True}]
    assert sorted(p.column for p in read.problems) == ["Biznesplan", "Certified technical"]
    growth = programs.get_program("example-customers-and-growth")
    path = _export(
        tmp_path, "Partner;Revenue prior year;New customers;Growth\nA;1;5;15%\nB;1;0;0.08\n"
    )
    read = read_sales(path, growth, fiscal_year=2026, decimal=".")
    assert [p.metrics for p in read.partners] == [
        {"new_customers": 5, "growth": Decimal("0.15")},
        {"new_customers": 0, "growth": Decimal("0.08")},
    ]
    # An amount of a metric is converted as the revenue is: 4 PLN for 1 USD here.
    commitment = programs.get_program("example-monthly-commitment")
    path = _export(tmp_path, "Partner;MRC;Waluta\nAcme;10000;PLN\n")
    [acme] = read_sales(path, commitment, fiscal_year=2026, fx=Decimal(4)).partners
    assert acme.metrics == {"monthly_commitment": Decimal("2500.00")}


def test_the_sales_import_refuses_a_metric_amount_on_sales_rows(examples_folder, tmp_path):
    from partner_tiers.review.export_tables import ExportFileError
    from partner_tiers.review.sales_import import read_sales

    two_paths = programs.get_program("example-two-paths")
    path = _export(tmp_path, "Partner;Kwota;Data;Obrót z usług\nAcme;100;2026-01-05;50\n")
    with pytest.raises(ExportFileError, match="'Obrót z usług' holds the amount services_revenue"):
        read_sales(path, two_paths)
    # A program that does not read the metric leaves its column unused, as before.
    sophos = programs.get_program("sophos-2019")
    path = _export(tmp_path, "Partner;Revenue prior year;MRC\nAcme;100;5\n")
    read = read_sales(path, sophos, fiscal_year=2026)
    assert read.partners[0].metrics == {}
    assert any("MRC" in n for n in read.notices)
