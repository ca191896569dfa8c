"""The command line: answers, exit codes and the program listing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from partner_tiers import cli, commands
from partner_tiers.cli import main

from .fixtures import VALID


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tier_answers_in_one_line_with_tier_next_tier_and_gap(capsys):
    assert run(capsys, "tier", "45000") == (
        0,
        "sophos-2019: Silver. Gold needs 15,000.00 EUR more revenue.\n",
        "",
    )
    assert run(capsys, "tier", "180000", "--program", "sophos-pre-2019") == (
        0,
        "sophos-pre-2019: Platinum. This is the top tier.\n",
        "",
    )


def test_tier_takes_certifications_and_polish(capsys, user_programs):
    (user_programs / "acme.toml").write_text(VALID, "utf-8")
    argv = ["tier", "300000", "--program", "acme-2025", "--certified-sales", "2"]
    assert run(capsys, *argv)[1] == "acme-2025: Select. Premier needs 2 more certified engineers.\n"
    assert run(capsys, *argv, "--lang", "pl")[1] == (
        "acme-2025: Select. Do poziomu Premier brakuje 2 certyfikowanych inżynierów.\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tier", "12,5"], "revenue '12,5' is ambiguous text"),
        (["tier", "--", "-5"], "revenue is negative (-5)"),
        (["tier", "1", "--program", "sophos-2020"], "unknown program 'sophos-2020'; known:"),
        (["tier", "1", "--certified-sales", "-1"], "--certified-sales must be 0 or more"),
    ],
)
def test_bad_input_exits_1_with_a_message_and_no_traceback(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    assert err.startswith("partner-tiers: ") and message in err
    assert "Traceback" not in err


def test_wrong_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["tier"])
    assert caught.value.code == 2
    assert "the following arguments are required: revenue" in capsys.readouterr().err


def test_programs_lists_every_program_and_marks_overrides_and_the_default(capsys, user_programs):
    text = VALID.replace('"acme-2025"', '"sophos-pre-2019"').replace(
        'replaces = "sophos-2019"\n', ""
    )
    (user_programs / "mine.toml").write_text(text, "utf-8")
    code, out, _ = run(capsys, "programs")
    assert code == 0
    lines = out.splitlines()
    default = next(i for i, line in enumerate(lines) if line.startswith("* "))
    assert lines[default].startswith("* sophos-2019 ")
    assert lines[default + 2 : default + 4] == [
        f"  {'':<20} reads revenue",
        f"  {'':<20} not published: certification counts per tier; discounts per tier",
    ]
    mine = next(i for i, line in enumerate(lines) if line.startswith("  sophos-pre-2019 "))
    assert "Acme Partner Network" in lines[mine]
    assert lines[mine + 1].strip() == (
        f"{user_programs / 'mine.toml'} (overrides the built-in sophos-pre-2019.toml)"
    )


def test_a_broken_definition_file_makes_programs_exit_1(capsys, user_programs):
    (user_programs / "bad.toml").write_text("id = ", "utf-8")
    code, _, err = run(capsys, "programs")
    assert code == 1
    assert err.startswith("partner-tiers: bad.toml: is not valid TOML")


def test_the_installed_console_script_runs():
    script = Path(sys.executable).with_name("partner-tiers")
    done = subprocess.run(
        [script, "tier", "59999.99"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout) == (
        0,
        "sophos-2019: Silver. Gold needs 0.01 EUR more revenue.\n",
    )


def test_an_unexpected_error_is_one_line_and_exit_3_with_the_traceback_under_debug(
    capsys, monkeypatch
):
    def broken(options):
        raise RuntimeError("a bug " + "x" * 1000)

    monkeypatch.setitem(cli.COMMANDS, "tier", (commands.TierOptions, broken))
    assert cli.main(["tier", "1"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("partner-tiers: internal error: RuntimeError: a bug x")
    assert "please report it" in err and "Traceback" not in err and len(err) < 500
    assert err.count("\n") == 1
    assert cli.main(["--debug", "tier", "1"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_each_command_runs_from_an_options_record_without_the_parser(tmp_path, capsys):
    """What a test or another program does: build the record, call the command."""
    commands.tier(commands.TierOptions(revenue="59500", language="pl"))
    assert capsys.readouterr().out == (
        "sophos-2019: Silver. Do poziomu Gold brakuje 500,00 EUR obrotu.\n"
    )
    commands.samples(commands.SamplesOptions(out=tmp_path))
    sales = tmp_path / "sales_fy2026_q2.csv"
    out = tmp_path / "review.xlsx"
    commands.review(commands.ReviewOptions(sales=sales, fiscal_year=2026, quarter=2, out=out))
    assert out.is_file() and "Closest to their next tier" in capsys.readouterr().out
    with pytest.raises(commands.BadInput, match="--fx 'x' is not a rate"):
        commands.review(commands.ReviewOptions(sales=sales, fx="x", out=tmp_path / "2.xlsx"))
    assert not (tmp_path / "2.xlsx").exists()


def test_the_parser_fills_every_field_of_every_commands_record():
    """Each option of a command reaches its record under the field's name (a field the
    parser lacks would fail here, not at a user's first run)."""
    parser = cli._parser()
    minimal = {
        "demo": [],
        "samples": [],
        "review": ["s.csv"],
        "snapshot": ["r.xlsx"],
        "tier": ["1"],
        "programs": [],
        "templates": [],
        "install": [],
        "lite": [],
        "qbr": ["r.xlsx"],
    }
    assert set(minimal) == set(cli.COMMANDS)
    for name, (record, _) in cli.COMMANDS.items():
        options = cli._options(record, parser.parse_args([name, *minimal[name]]))
        assert isinstance(options, record)
    # Renamed and converted on the way: --lang, repeated options, paths.
    review = cli._options(
        commands.ReviewOptions,
        parser.parse_args(["review", "s.csv", "--lang", "pl", "--carry-over", "q1.xlsx"]),
    )
    assert (review.language, review.carry_over, review.sales) == (
        "pl",
        Path("q1.xlsx"),
        Path("s.csv"),
    )
    qbr = cli._options(
        commands.QbrOptions,
        parser.parse_args(["qbr", "r.xlsx", "--partner", "A", "--partner", "B"]),
    )
    assert qbr.partners == ("A", "B") and qbr.review == Path("r.xlsx")
    tier = cli._options(commands.TierOptions, parser.parse_args(["tier", "1", "--metric", "x=1"]))
    assert tier.metrics == ("x=1",)
