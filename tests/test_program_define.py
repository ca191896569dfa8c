"""PROGRAM_DEFINE: a program written in the workbook, for xlwings Lite, which has no file
system of its own (and for anyone who would rather keep the rules beside the partners)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partner_tiers.excel import udfs
from partner_tiers.rules import programs

from .fixtures import VALID

LINES = [[line] for line in VALID.splitlines()]  # one line of TOML per row, as typed


@pytest.fixture
def session(monkeypatch):
    """A registry of its own for each test: definitions last for a session."""
    registry = programs.ProgramRegistry(check_interval=0)
    monkeypatch.setattr(programs, "registry", registry)
    monkeypatch.delenv(programs.PROGRAMS_PATH_VARIABLE, raising=False)
    return registry


def _file_answers(tmp_path, monkeypatch, function, revenues):
    """The answers of the same program read from a definition file."""
    (tmp_path / "acme.toml").write_text(VALID, "utf-8")
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, str(tmp_path))
    monkeypatch.setattr(programs, "registry", programs.ProgramRegistry(check_interval=0))
    answers = function([[r] for r in revenues], "acme-2025", 3, 3)
    monkeypatch.delenv(programs.PROGRAMS_PATH_VARIABLE)
    monkeypatch.setattr(programs, "registry", programs.ProgramRegistry(check_interval=0))
    return answers


@pytest.mark.parametrize("function", [udfs.PARTNER_TIER, udfs.GAP_TO_NEXT, udfs.TIER_EXPLAIN])
def test_a_defined_program_answers_as_its_definition_file_does(tmp_path, monkeypatch, function):
    program = programs.load_program_text(VALID, programs.DEFINED_IN)
    # The boundary table of the definition: each threshold, a cent below and above.
    revenues = [
        float(t.min_revenue) + d for t in program.tiers for d in (-0.01, 0, 0.01) if t.min_revenue
    ]
    expected = _file_answers(tmp_path, monkeypatch, function, revenues)
    assert udfs.PROGRAM_DEFINE(LINES) == "acme-2025"
    assert function([[r] for r in revenues], "acme-2025", 3, 3) == expected
    assert "acme-2025" in [row[0] for row in udfs.TIER_PROGRAMS()]


def test_the_definition_may_be_one_cell_or_split_over_two_columns(session):
    assert udfs.PROGRAM_DEFINE(VALID) == "acme-2025"
    split = [line.partition("=") for line in VALID.splitlines()]
    two_columns = [[key + eq, value.strip() or None] for key, eq, value in split]
    assert udfs.PROGRAM_DEFINE(two_columns) == "acme-2025"
    assert udfs.TIER_THRESHOLD("Select", "acme-2025") == 50000.0


def test_editing_the_definition_replaces_the_program(session):
    assert udfs.PROGRAM_DEFINE(LINES) == "acme-2025"
    assert udfs.TIER_THRESHOLD("Select", "acme-2025") == 50000.0
    edited = [[line[0].replace("50_000", "40_000")] for line in LINES]
    assert udfs.PROGRAM_DEFINE(edited) == "acme-2025"
    assert udfs.TIER_THRESHOLD("Select", "acme-2025") == 40000.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace('id = "acme-2025"', 'id = "sophos-pre-2019"'),
            "#VALUE! definition in the workbook: id: 'sophos-pre-2019' is the id of "
            "sophos-pre-2019.toml; give this program an id of its own",
        ),
        (
            lambda text: text.replace('replaces = "sophos-2019"', 'replaces = "nowhere"'),
            "#VALUE! definition in the workbook: replaces: names unknown program 'nowhere'",
        ),
        (
            lambda text: text.replace('currency = "USD"', 'currency = "XYZ"'),
            "#VALUE! definition in the workbook: currency: 'XYZ' is not a known ISO 4217 currency "
            "code",
        ),
        (
            lambda text: text.replace("min_revenue = 50_000", "min_revenue = 50 000"),
            "#VALUE! definition in the workbook: is not valid TOML",
        ),
    ],
    ids=["built-in id", "unknown replaces", "bad currency", "bad TOML"],
)
def test_a_broken_definition_is_told_in_the_cell(session, change, message):
    answer = udfs.PROGRAM_DEFINE([[line] for line in change(VALID).splitlines()])
    assert answer.startswith(message)
    assert "acme-2025" not in programs.program_ids()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("#N/A", "#VALUE! definition row 2 holds the error #N/A"),
        (50000, "#VALUE! definition row 2, column 2 must be a line of text, not 50000"),
        (True, "#VALUE! definition row 2, column 2 must be a line of text, not True"),
    ],
)
def test_a_cell_that_is_not_a_line_of_text_is_named(session, cell, message):
    rows = [["id = 'x'", None], ["min_revenue =", cell]] if cell != "#N/A" else [["a"], [cell]]
    assert udfs.PROGRAM_DEFINE(rows).startswith(message)


def test_a_line_that_would_be_a_comment_is_never_read_as_one(session):
    """An error cell arriving as "#N/A" would be a TOML comment, silently dropping a line."""
    rows = [[line] for line in VALID.splitlines()]
    rows[1] = ["#N/A"]
    assert udfs.PROGRAM_DEFINE(rows).startswith("#VALUE! definition row 2 holds the error")


def test_definitions_are_bounded(session, monkeypatch):
    monkeypatch.setattr(programs, "MAX_DEFINED_PROGRAMS", 2)
    for n in range(2):
        assert udfs.PROGRAM_DEFINE(VALID.replace("acme-2025", f"acme-{n}")) == f"acme-{n}"
    assert udfs.PROGRAM_DEFINE(VALID.replace("acme-2025", "acme-9")).endswith(
        "is one too many: at most 2 programs"
    )
    assert udfs.PROGRAM_DEFINE(VALID.replace("acme-2025", "acme-1")) == "acme-1"  # redefined
    too_long = "# " + "x" * programs.MAX_DEFINITION_BYTES + "\n" + VALID
    assert udfs.PROGRAM_DEFINE(too_long).endswith("is larger than 1,000,000 bytes")


@given(st.decimals(min_value=0, max_value=10**7, places=2))
def test_a_defined_program_never_changes_a_builtin_answer(revenue):
    before = udfs.PARTNER_TIER(float(revenue), "sophos-2019")
    registry = programs.ProgramRegistry(check_interval=0)
    registry.define(VALID)
    assert registry.get("sophos-2019") == programs.get_program("sophos-2019")
    assert udfs.PARTNER_TIER(float(revenue), "sophos-2019") == before
