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
