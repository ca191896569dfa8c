"""Program definition files: the built-in editions, validation, user folders, reloading."""

from __future__ import annotations

import itertools
import os
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from partner_tiers.rules import programs
from partner_tiers.rules.program import Unpublished
from partner_tiers.rules.tiers import assess

from .fixtures import BUILTIN_FILES, VALID


def write(folder: Path, text: str, name: str = "acme.toml") -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_builtin_editions_hold_the_published_thresholds() -> None:
    thresholds = {
        p.id: [(t.name, t.min_revenue) for t in p.tiers]
        for p in map(programs.get_program, programs.program_ids())
    }
    names = ["Authorized", "Silver", "Gold", "Platinum"]
    assert thresholds == {
        "sophos-2019": list(zip(names, map(Decimal, [0, 10_000, 60_000, 200_000]), strict=True)),
        "sophos-pre-2019": list(
            zip(names, map(Decimal, [0, 25_000, 75_000, 150_000]), strict=True)
        ),
        # itreseller.ch, Artikel 81907: Silver no minimum, Gold 10,000, Platinum 30,000 EUR
        "eset-dach-2016": list(
            zip(["Silver", "Gold", "Platinum"], map(Decimal, [0, 10_000, 30_000]), strict=True)
        ),
    }


def test_eset_dach_leaves_its_unpublished_fiscal_year_unset_and_says_so() -> None:
    eset = programs.get_program("eset-dach-2016")
    assert eset.fiscal_year_start_month is None
    with pytest.raises(
        Unpublished,
        match=r"the fiscal year is not published by ESET; set it .*"
        r"extends eset-dach-2016 \(fiscal_year_start_month = 4 for April\)",
    ):
        _ = eset.fiscal_start
    assert assess(eset, Decimal("10000")).tier.name == "Gold"  # the ladder needs no year


def test_sophos_2019_carries_the_refresh_facts_and_no_invented_requirements() -> None:
    p = programs.get_program("sophos-2019")
    assert (p.currency, str(p.effective_from), p.replaces, p.grace_months) == (
        "EUR",
        "2019-07-01",
        "sophos-pre-2019",
        6,
    )
    assert p.fiscal_year_start_month == 4
    for edition in map(programs.get_program, programs.program_ids()):
        assert not edition.needs_certifications
        assert all(t.discount is None for t in edition.tiers)


def test_default_program_is_sophos_2019_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert programs.get_program().id == "sophos-2019"
    monkeypatch.setenv(programs.DEFAULT_PROGRAM_VARIABLE, "sophos-pre-2019")
    assert programs.get_program().id == "sophos-pre-2019"
    monkeypatch.setenv(programs.DEFAULT_PROGRAM_VARIABLE, "nope")
    with pytest.raises(programs.ProgramError, match="PARTNER_TIERS_DEFAULT_PROGRAM names"):
        programs.get_program()


def _boundary_rows() -> list[tuple[str, Decimal, str]]:
    """(program, revenue, expected tier) for 0, every threshold and one cent below it.

    Read from the definition files themselves, so a changed threshold changes the table.
    """
    rows = []
    for path in BUILTIN_FILES:
        data = tomllib.loads(path.read_text("utf-8"))
        tiers = data["tiers"]
        rows.append((data["id"], Decimal(0), tiers[0]["name"]))
        for below, tier in itertools.pairwise(tiers):
            threshold = Decimal(str(tier["min_revenue"]))
            rows.append((data["id"], threshold, tier["name"]))
            rows.append((data["id"], threshold - Decimal("0.01"), below["name"]))
    return rows


@pytest.mark.parametrize(("program_id", "revenue", "expected"), _boundary_rows())
def test_boundary_table(program_id: str, revenue: Decimal, expected: str) -> None:
    assert assess(programs.get_program(program_id), revenue).tier.name == expected


def test_boundary_table_covers_every_tier_of_every_builtin_program() -> None:
    rows = _boundary_rows()
    assert len(rows) == 2 * (1 + 2 * 3) + (1 + 2 * 2)
    assert {(p, t) for p, _, t in rows} == {
        (p.id, t.name) for p in map(programs.get_program, programs.program_ids()) for t in p.tiers
    }


def test_a_user_file_adds_a_program(user_programs: Path) -> None:
    write(user_programs, VALID)
    acme = programs.get_program("ACME-2025 ")
    assert acme.currency == "USD"
    assert [t.min_revenue for t in acme.tiers] == [0, 50_000, Decimal("250000.5")]
    assert acme.tiers[1].discount == Decimal("0.1")
    assert (acme.tiers[2].min_certified_sales, acme.tiers[2].min_certified_engineers) == (2, 2)
    assert programs.program_ids() == [
        "acme-2025",
        "eset-dach-2016",
        "sophos-2019",
        "sophos-pre-2019",
    ]


def test_a_user_file_with_a_builtin_id_overrides_it_and_the_listing_says_so(
    user_programs: Path,
) -> None:
    text = VALID.replace('"acme-2025"', '"sophos-2019"').replace(
        'replaces = "sophos-2019"', 'replaces = "sophos-pre-2019"'
    )
    path = write(user_programs, text)
    assert programs.get_program("sophos-2019").vendor == "Acme"
    (source,) = [s for s in programs.registry.sources() if s.program.id == "sophos-2019"]
    assert source.path == path
    assert source.overrides == programs.BUILTIN_DIR / "sophos-2019.toml"


def test_several_folders_are_read_and_a_repeated_id_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(first, VALID)
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, os.pathsep.join(map(str, [first, second])))
    assert "acme-2025" in programs.program_ids()
    write(second, VALID, "copy.toml")
    with pytest.raises(programs.DefinitionError, match=r"copy.toml: id: 'acme-2025' is also"):
        programs.program_ids()


def test_a_missing_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, str(tmp_path / "nowhere"))
    with pytest.raises(programs.ProgramError, match=r"nowhere'?, which is not a folder"):
        programs.get_program()


def test_changed_files_are_reloaded(user_programs: Path) -> None:
    path = write(user_programs, VALID)
    assert programs.get_program("acme-2025").tiers[1].min_revenue == 50_000
    path.write_text(VALID.replace("50_000", "40_000"), "utf-8")
    os.utime(path, ns=(1, 1))  # a different stamp even on a coarse-clock file system
    assert programs.get_program("acme-2025").tiers[1].min_revenue == 40_000
    path.unlink()
    with pytest.raises(programs.UnknownProgram):
        programs.get_program("acme-2025")


def test_loaded_definitions_are_cached_between_checks(
    user_programs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(programs.registry, "check_interval", 3600)
    programs.registry.refresh(force=True)
    assert "acme-2025" not in programs.program_ids()
    write(user_programs, VALID)
    assert "acme-2025" not in programs.program_ids()  # not looked at within the interval
    programs.registry.refresh(force=True)
    assert "acme-2025" in programs.program_ids()


def test_unknown_program_names_the_known_ones() -> None:
    with pytest.raises(programs.UnknownProgram) as caught:
        programs.get_program("sophos-2020")
    assert str(caught.value) == (
        "unknown program 'sophos-2020'; known: eset-dach-2016, sophos-2019, sophos-pre-2019"
    )


HEAD = VALID.split("[[tiers]]")[0]
# Each broken file: (what to change in VALID, field named, words of the problem).
BROKEN = {
    "not TOML": (("[[tiers]]\nname", "[[tiers\nname"), "", "is not valid TOML"),
    "unknown key": (
        ("grace_months = 3", "grace_months = 3\ncolour = 1"),
        "colour",
        "unknown field",
    ),
    "unknown tier key": (
        ("discount = 0.1", "discount = 0.1\nrebate = 2"),
        "tiers[1].rebate",
        "unknown field",
    ),
    "missing id": (('id = "acme-2025"\n', ""), "id", "is missing"),
    "missing tier revenue": (("min_revenue = 50_000\n", ""), "tiers[1].min_revenue", "is missing"),
    "bad id": (('"acme-2025"', '"Acme 2025"'), "id", "lower-case"),
    "unknown currency": (('"USD"', '"EURO"'), "currency", "not a known ISO 4217"),
    "month 13": (
        ("fiscal_year_start_month = 2", "fiscal_year_start_month = 13"),
        "fiscal_year_start_month",
        "from 1 to 12",
    ),
    "month as text": (
        ("fiscal_year_start_month = 2", 'fiscal_year_start_month = "2"'),
        "fiscal_year_start_month",
        "whole number",
    ),
    "date as text": (("2025-02-01", '"2025-02-01"'), "effective_from", "must be a date"),
    "negative grace": (("grace_months = 3", "grace_months = -3"), "grace_months", "negative"),
    "empty vendor": (('"Acme"', '""'), "vendor", "non-empty text"),
    "replaces itself": (
        ('replaces = "sophos-2019"', 'replaces = "acme-2025"'),
        "replaces",
        "cannot replace itself",
    ),
    "replaces unknown": (
        ('replaces = "sophos-2019"', 'replaces = "acme-2024"'),
        "replaces",
        "unknown program 'acme-2024'",
    ),
    "lowest not at 0": (
        ("min_revenue = 0\n", "min_revenue = 5\n"),
        "tiers[0].min_revenue",
        "must start at 0",
    ),
    "not ascending": (("250_000.5", "50_000"), "tiers[2].min_revenue", "above the tier below it"),
    "negative revenue": (("50_000", "-50_000"), "tiers[1].min_revenue", "negative"),
    "revenue as text": (("50_000", '"50k"'), "tiers[1].min_revenue", "must be a number"),
    "infinite revenue": (("250_000.5", "inf"), "tiers[2].min_revenue", "finite"),
    "revenue as boolean": (("50_000", "true"), "tiers[1].min_revenue", "must be a number"),
    "duplicate tier name": (('"Premier"', '"select"'), "tiers[2].name", "unique"),
    "negative count": (
        ("min_certified_sales = 1", "min_certified_sales = -1"),
        "tiers[1].min_certified_sales",
        "negative",
    ),
    "fractional count": (
        ("min_certified_engineers = 2", "min_certified_engineers = 1.5"),
        "tiers[2].min_certified_engineers",
        "whole number",
    ),
    "falling count": (
        ("min_certified_sales = 2", "min_certified_sales = 0"),
        "tiers[2].min_certified_sales",
        "at least the tier below it (1)",
    ),
    "requirement on lowest": (
        ("min_revenue = 0\n", "min_revenue = 0\nmin_certified_sales = 1\n"),
        "tiers[0]",
        "no certifications",
    ),
    "discount over 1": (("discount = 0.1", "discount = 15"), "tiers[1].discount", "fraction"),
    # The two below replace every tier table (see HEAD below).
    "no tiers": ((HEAD, HEAD), "tiers", "is missing"),
    "tiers not a table list": ((HEAD, HEAD + "tiers = 3\n"), "tiers", "list of [[tiers]]"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_gives_one_error_naming_file_field_and_problem(
    user_programs: Path, case: str
) -> None:
    (old, new), field, problem = BROKEN[case]
    assert old in VALID
    text = new if old == HEAD else VALID.replace(old, new, 1)
    write(user_programs, text)
    with pytest.raises(programs.DefinitionError) as caught:
        programs.get_program("sophos-2019")  # a broken file blocks every look-up
    error = caught.value
    assert error.path.name == "acme.toml"
    assert error.field == field
    assert problem in error.problem
    assert str(error).startswith(f"acme.toml: {field + ': ' if field else ''}")


def test_the_valid_template_used_above_is_valid(user_programs: Path) -> None:
    write(user_programs, VALID)
    assert programs.get_program("acme-2025").name == "Acme Partner Network 2025"


def test_a_notepad_bom_is_read(user_programs: Path) -> None:
    (user_programs / "acme.toml").write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert programs.get_program("acme-2025").name == "Acme Partner Network 2025"


@pytest.mark.parametrize("kind", ["dangling link", "link loop", "folder"])
def test_a_definition_that_cannot_be_read_is_reported_not_skipped(user_programs, kind):
    broken = user_programs / "broken.toml"
    if kind == "dangling link":
        broken.symlink_to(user_programs / "gone.toml")
    elif kind == "link loop":
        broken.symlink_to(broken)
    else:
        broken.mkdir()
    files, _ = programs.check_definitions()
    [error] = [e for p, e in files if p.name == "broken.toml"]
    assert error is not None and "broken.toml: cannot be read" in str(error)
    with pytest.raises(programs.ProgramError, match=r"broken\.toml: cannot be read"):
        programs.get_program()


def test_an_unlistable_folder_is_reported(user_programs, monkeypatch):
    real_iterdir = Path.iterdir

    def denied(self):
        if self == user_programs:
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", denied)
    programs.registry.refresh(force=True)
    with pytest.raises(programs.ProgramError, match=r"cannot be listed \(Permission denied"):
        programs.get_program()


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("1" * 30, "has 30 significant digits; Excel keeps 15"),
        ("1" * 400, r"\(400 digits\) is larger than Excel can hold"),
        ("1e308", "is larger than Excel can hold"),
    ],
)
def test_a_threshold_excel_cannot_hold_is_refused(user_programs, value, why):
    text = VALID.replace("min_revenue = 250_000.5", f"min_revenue = {value}")
    (user_programs / "acme.toml").write_text(text, "utf-8")
    with pytest.raises(programs.DefinitionError, match=f"tiers.2..min_revenue: .*{why}"):
        programs.get_program("acme-2025")


def test_an_edit_that_keeps_size_and_time_is_noticed(user_programs):
    path = user_programs / "acme.toml"
    path.write_text(VALID, "utf-8")
    assert programs.get_program("acme-2025").tiers[1].name == "Select"
    stat = path.stat()
    path.write_text(VALID.replace('"Select"', '"Choice"'), "utf-8")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as cp -p leaves it
    assert path.stat().st_size == stat.st_size
    assert programs.get_program("acme-2025").tiers[1].name == "Choice"
