"""A distributor's own file extends a built-in program and sets only what the vendor does
not publish (issue 24): everything else stays the built-in program's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from partner_tiers import cli
from partner_tiers.excel import udfs
from partner_tiers.rules import programs

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
EXTENSION = """\
id = "sophos-2019-mine"
extends = "sophos-2019"
source = "our partner portal, 2026"

[[tiers]]
name = "gold"
min_certified_sales = 2
min_certified_engineers = 1
"""


def test_an_extension_sets_only_the_fields_it_names(user_programs):
    (user_programs / "mine.toml").write_text(EXTENSION, "utf-8")
    base, mine = programs.get_program("sophos-2019"), programs.get_program("sophos-2019-mine")
    assert [(t.name, t.min_revenue) for t in mine.tiers] == [
        (t.name, t.min_revenue) for t in base.tiers
    ]
    assert (mine.currency, mine.fiscal_year_start_month, mine.name) == (
        base.currency,
        base.fiscal_year_start_month,
        base.name,
    )
    gold = mine.tier("Gold")
    assert (gold.min_certified_sales, gold.min_certified_engineers) == (2, 1)
    assert mine.source == "our partner portal, 2026" and not base.needs_certifications
    assert udfs.PARTNER_TIER(70000, "sophos-2019-mine", 2, 1) == "Gold"
    assert udfs.PARTNER_TIER(70000, "sophos-2019-mine", 2, 0) == "Silver"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('extends = "sophos-2030"', "extends: names no program defined before it"),
        ('name = "Diamond"', "tiers[0].name: 'Diamond' is no tier of sophos-2019"),
        ('id = "sophos-2019"', "id: an extension needs an id of its own"),
        ("min_certified_sales = -1", "tiers[2].min_certified_sales: must not be negative"),
    ],
)
def test_a_broken_extension_names_its_file_and_field(user_programs, change, message):
    key = change.split(" = ")[0]
    lines = [change if line.split(" = ")[0] == key else line for line in EXTENSION.splitlines()]
    (user_programs / "mine.toml").write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(programs.ProgramError, match=re.escape(f"mine.toml: {message}")):
        programs.get_program("sophos-2019-mine")


def test_a_workbook_definition_extends_a_built_in_program_too(monkeypatch):
    monkeypatch.setattr(programs, "registry", programs.ProgramRegistry(check_interval=0))
    lines = [
        [line] for line in EXTENSION.replace("sophos-2019-mine", "sophos-2019-cell").splitlines()
    ]
    assert udfs.PROGRAM_DEFINE(lines) == "sophos-2019-cell"
    assert udfs.PARTNER_TIER(70000, "sophos-2019-cell", 2, 1) == "Gold"


def test_the_example_shows_a_tier_that_hangs_on_a_lapsing_certification(
    tmp_path, capsys, monkeypatch
):
    """examples/sophos-2019-with-counts.toml, run as its header and README say: Lumen IT keeps
    its projected Gold only if its engineer's certification, which lapses before the audit, is
    renewed."""
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, str(EXAMPLES))
    assert cli.main(["samples", "--out", str(tmp_path)]) == 0
    argv = [
        "review",
        str(tmp_path / "sales_fy2026_q2.csv"),
        "--program",
        "sophos-2019-with-counts",
        "--fiscal-year",
        "2026",
        "--quarter",
        "2",
        "--certifications",
        str(tmp_path / "certifications_fy2026_q2.csv"),
        "--out",
        str(tmp_path / "r.xlsx"),
    ]
    capsys.readouterr()
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert (
        "Lumen IT Solutions Sp. z o.o.: Tomasz Wójcik, Certified Engineer, until 2026-02-28 "
        "(renewed, it is projected Gold)" in out
    )
    assert "INVENTED" in (EXAMPLES / "sophos-2019-with-counts.toml").read_text("utf-8")
