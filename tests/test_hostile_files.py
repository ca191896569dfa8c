"""Broken and hostile files: a message naming the file, exit 1, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from partner_tiers import cli
from partner_tiers.excel import udfs


def _truncated(source: Path, target: Path, part: str) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, data[: len(data) // 2] if name == part else data)
    return target


@pytest.fixture(scope="module")
def demo_review(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "review.xlsx"
    assert cli.main(["demo", "--out", str(path)]) == 0
    return path


def _sales(tmp_path: Path) -> Path:
    sales = tmp_path / "s.csv"
    sales.write_text("Kontrahent;Data;Kwota\nA;01.05.2025;1\n", encoding="utf-8")
    return sales


@pytest.mark.parametrize("use", ["export", "carry-over", "snapshot"])
def test_a_truncated_sheet_is_a_message_not_a_traceback(tmp_path, capsys, demo_review, use):
    broken = _truncated(demo_review, tmp_path / "broken.xlsx", "xl/worksheets/sheet2.xml")
    out = tmp_path / "out.xlsx"
    args = {
        "export": ["review", str(broken), "--out", str(out)],
        "carry-over": [
            "review",
            str(_sales(tmp_path)),
            "--carry-over",
            str(broken),
            "--out",
            str(out),
        ],
        "snapshot": ["snapshot", str(broken), "--out", str(out)],
    }[use]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "broken.xlsx cannot be read as a workbook (ParseError" in err
    assert "Traceback" not in err and not out.exists()


def test_a_field_over_the_csv_limit_names_its_line(tmp_path, capsys):
    sales = tmp_path / "long.csv"
    sales.write_text("Kontrahent;Data;Kwota\n" + "A" * 140_000 + ";01.05.2025;1\n", "utf-8")
    assert cli.main(["review", str(sales), "--out", str(tmp_path / "o.xlsx")]) == 1
    assert "long.csv, line 2: field larger than field limit" in capsys.readouterr().err


def test_a_delimiter_of_two_characters_is_wrong_usage(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["review", str(_sales(tmp_path)), "--delimiter", ";;"])
    assert exited.value.code == 2
    assert "';;' is not one character" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("n = " + "9" * 5000, "holds a number too long to read"),
        ("n = " + "[" * 1200 + "]" * 1200, "nests arrays or tables too deeply to read"),
    ],
)
def test_a_program_file_tomllib_cannot_read_is_named_everywhere(user_programs, capsys, text, why):
    (user_programs / "big.toml").write_text('id = "x"\n' + text + "\n", "utf-8")
    assert cli.main(["programs", "--check"]) == 1
    assert f"big.toml: {why}" in capsys.readouterr().out
    assert cli.main(["tier", "100"]) == 1
    assert f"partner-tiers: big.toml: {why}" in capsys.readouterr().err
    assert udfs.PARTNER_TIER(1) == f"#VALUE! big.toml: {why}"
    assert udfs.TIER_PROGRAMS() == [[f"#VALUE! big.toml: {why}"]]


def _workbook_with(tmp_path: Path, name: str, **cells: object) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for address, value in cells.items():
        wb.active[address] = value
    path = tmp_path / name
    wb.save(path)
    return path


def test_a_utf16_sheet_part_is_read_and_copied(tmp_path, capsys):
    plain = _workbook_with(tmp_path, "plain.xlsx", A1="=1+1", B1="Łódź")
    utf16 = tmp_path / "utf16.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(utf16, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = data.decode().replace('encoding="utf-8"', 'encoding="UTF-16"')
                data = text.encode("utf-16")
            zout.writestr(name, data)
    out = tmp_path / "values.xlsx"
    assert cli.main(["snapshot", str(utf16), "--out", str(out)]) == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert (ws["A1"].value, ws["B1"].value) == (2, "Łódź")


def test_brackets_nested_thousands_deep_are_a_message(tmp_path, capsys):
    deep = _workbook_with(tmp_path, "deep.xlsx", A1="=" + "(" * 3000 + "1" + ")" * 3000)
    assert cli.main(["snapshot", str(deep), "--out", str(tmp_path / "v.xlsx")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("partner-tiers: ") and "Traceback" not in err and "internal" not in err
    assert not (tmp_path / "v.xlsx").exists()


def test_a_formula_over_a_whole_sheet_is_refused_at_once(tmp_path, capsys):
    from bench.hostile_inputs import whole_sheet_sum

    source = whole_sheet_sum(tmp_path / "sum.xlsx")
    assert source.stat().st_size < 10_000
    out = tmp_path / "v.xlsx"
    assert cli.main(["snapshot", str(source), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "a range of 17,178,820,608 cells, more than the 1,000,000" in err
    assert "--max-cells" in err and not out.exists()


@pytest.mark.slow
def test_a_cell_bomb_is_refused_by_its_count_and_read_no_further_by_review(tmp_path, capsys):
    from bench.hostile_inputs import cell_bomb

    bomb = cell_bomb(tmp_path / "bomb.xlsx", sheets=12, cells_per_sheet=50_000)
    out = tmp_path / "v.xlsx"
    assert cli.main(["--max-cells", "100000", "snapshot", str(bomb), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "more than 100,000 cells" in err and "give --max-cells" in err and not out.exists()
    assert cli.main(["--max-cells", "100000", "review", str(bomb), "--out", str(out)]) == 1
    assert "more than 500,000 cells" in capsys.readouterr().err and not out.exists()
    assert cli.main(["review", str(bomb), "--out", str(out)]) == 1  # under the default: read
    assert "no header row" in capsys.readouterr().err and not out.exists()
    args = ["review", str(_sales(tmp_path)), "--carry-over", str(bomb), "--out", str(out)]
    assert cli.main(args) == 1
    assert "no Partners (Partnerzy) sheet" in capsys.readouterr().err and not out.exists()
