"""The newest commands attacked as a careless colleague and a hostile file would (issue 22):
each case ends in a message and exit 1, never exit 3 or a traceback, and nothing is lost,
overwritten or left half-written."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.excel import install
from partner_tiers.files import output
from partner_tiers.texts import label
from partner_tiers.workbooks.layout import CERTIFICATIONS, PARTNERS

DEMO_SALES = Path(cli.__file__).parent / cli.DEMO_SALES
ROOT = Path(__file__).parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- typed cells that ended in exit 3 -------------------------------------------------------


def _typed(demo: Path, folder: Path) -> Path:
    """The demo review with a name typed as a number and a valid-until with a time."""
    wb = load_workbook(demo)
    wb[label("partners", "en")].cell(PARTNERS.first_row, 1).value = 1024
    certs = wb[label("certifications", "en")]
    row = CERTIFICATIONS.first_row
    for key, value in (
        ("partner", 1024),
        ("person", "Ewa"),
        ("role", "Sales"),
        ("certification", "C"),
        ("valid_until", dt.datetime(2027, 6, 30, 12, 0)),
    ):
        certs.cell(row, CERTIFICATIONS.index(key)).value = value
    path = folder / "typed.xlsx"
    wb.save(path)
    return path


def test_a_name_typed_as_a_number_and_a_time_of_day_are_read(demo, tmp_path, capsys):
    review = _typed(demo, tmp_path)
    code, _, err = run(capsys, "qbr", review, "--out", tmp_path / "q", "--partner", "1024")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "q").iterdir()] == ["1024.xlsx"]
    argv = ["review", DEMO_SALES, "--fiscal-year", 2026, "--quarter", 2, "--carry-over", review]
    code, _, err = run(capsys, *argv, "--out", tmp_path / "next.xlsx")
    assert code == 0 and "internal error" not in err, err


# --- folders that cannot be written into -----------------------------------------------------


def _places(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "afile").write_text("x")
    os.symlink(tmp_path / "loop_b", tmp_path / "loop_a")
    os.symlink(tmp_path / "loop_a", tmp_path / "loop_b")
    return {
        "a file": tmp_path / "afile",
        "under a file": tmp_path / "afile" / "sub",
        "a loop of links": tmp_path / "loop_a",
    }


@pytest.mark.parametrize("place", ["a file", "under a file", "a loop of links"])
@pytest.mark.parametrize("command", ["qbr", "lite", "install", "templates"])
def test_an_out_that_is_no_folder_is_a_message(demo, tmp_path, capsys, place, command):
    out = _places(tmp_path)[place]
    argv = {
        "qbr": ["qbr", demo, "--out", out, "--partner", "bajtnet", "--force"],
        "lite": ["lite", "--out", out, "--force"],
        "install": [
            "install",
            "--dry-run",
            "--out",
            out,
            "--python",
            "C:\\Python\\pythonw.exe",
            "--encoding",
            "cp1250",
            "--home",
            tmp_path / "home",
            "--force",
        ],
        "templates": ["templates", "--out", out, "--force"],
    }[command]
    code, _, err = run(capsys, *argv)
    assert code == 1, err
    assert "cannot write" in err and "internal error" not in err and "exists" not in err


def test_a_read_only_folder_is_a_message(demo, tmp_path, capsys, monkeypatch):
    """As root CI writes anywhere, the folder refuses as a read-only one would: at the
    temporary file."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    out = tmp_path / "ro"
    code, _, err = run(capsys, "qbr", demo, "--out", out, "--partner", "bajtnet")
    assert code == 1 and "cannot write" in err and "Permission denied" in err
    assert list(out.iterdir()) == []


# --- injection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "python",
    [
        'C:\\Python312\\pythonw.exe"\r\n"UDF MODULES","evil_module',
        "C:\\Python312\\pythonw.exe\x1b]0;pwned\x07",
        'C:\\"quoted"\\pythonw.exe',
    ],
)
def test_an_interpreter_that_would_write_more_than_a_path_is_refused(tmp_path, capsys, python):
    out = tmp_path / "out"
    argv = ["install", "--dry-run", "--out", out, "--python", python, "--home", tmp_path / "h"]
    code, _, err = run(capsys, *argv, "--encoding", "cp1250")
    assert code == 1 and "which a path never holds" in err and not out.exists()


def test_a_code_page_that_is_none_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["install", "--dry-run", "--out", out, "--python", "C:\\a..b\\pythonw.exe"]
    code, _, err = run(capsys, *argv, "--encoding", "idna", "--home", tmp_path / "h")
    assert code == 1 and "is not a Windows code page" in err and not out.exists()
    code, _, err = run(capsys, *argv, "--encoding", "nonsense", "--home", tmp_path / "h")
    assert code == 1 and "is not a code page" in err


@pytest.mark.parametrize(
    "wheel",
    [
        "https://x/\x1b]0;pwned\x07/partner_tiers-0.1.0-py3-none-any.whl",
        "https://x/partner_tiers-0.1.0-py3-none-any.whl\nevil-package",
        "https://x/\udcffpartner_tiers-0.1.0-py3-none-any.whl",  # a byte not UTF-8, as argv has it
    ],
)
def test_a_wheel_address_with_control_characters_or_bad_bytes_is_refused(tmp_path, capsys, wheel):
    out = tmp_path / "lite"
    code, _, err = run(capsys, "lite", "--out", out, "--wheel", wheel)
    assert code == 1 and "is not the https address of a .whl file" in err
    assert not out.exists() and "internal error" not in err
    assert install.InstallError  # the module is loaded as the command loads it


# --- programs --------------------------------------------------------------------------------


def test_a_pipe_named_like_a_definition_file_is_reported_not_read(user_programs, capsys):
    os.mkfifo(user_programs / "acme.toml")
    code, out, _ = run(capsys, "programs", "--check")
    assert code == 1 and "acme.toml: cannot be read: it is not a regular file" in out
    code, _, err = run(capsys, "tier", "45000")
    assert code == 1 and "not a regular file" in err


@pytest.mark.parametrize(
    ("field", "line"),
    [("id", 'id = "' + "a" * 100_000 + '"'), ("tiers[1].name", None)],
)
def test_a_name_or_id_too_long_for_a_cell_is_refused(field, line):
    from partner_tiers.excel import udfs

    from .fixtures import VALID

    text = (
        VALID.replace('id = "acme-2025"', line)
        if line
        else VALID.replace('name = "Select"', 'name = "' + "S" * 40_000 + '"')
    )
    answer = udfs.PROGRAM_DEFINE([[row] for row in text.splitlines()])
    assert answer.startswith("#VALUE!") and f"{field}: is " in answer and "at most" in answer
    assert len(answer) <= 255


# --- stopped while writing ------------------------------------------------------------------

STOPPED = """\
import os, signal, sys
from openpyxl.workbook import Workbook
real = Workbook.save
def save(self, filename):
    os.kill(os.getpid(), signal.{signal})  # while the temporary file is being written
    return real(self, filename)
Workbook.save = save
from partner_tiers.cli import main
sys.exit(main(sys.argv[1:]))
"""
FILE_SIZE_LIMIT = """\
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))  # as a full disk would stop it
from partner_tiers.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _command(script: str, *argv: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, argv)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_run_stopped_by_a_signal_leaves_no_temporary_file(tmp_path, signal_name):
    done = _command(STOPPED.format(signal=signal_name), "templates", "--out", tmp_path / "t")
    assert done.returncode == 1 and "interrupted" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    left = [p.name for p in (tmp_path / "t").iterdir()]
    assert not [n for n in left if n.startswith(output.TEMPORARY_PREFIX)], left


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    done = _command(FILE_SIZE_LIMIT, "demo", "--out", tmp_path / "d.xlsx")
    assert done.returncode == 1
    assert "cannot write" in done.stderr and "nothing was written" in done.stderr
    assert "Traceback" not in done.stderr and list(tmp_path.iterdir()) == []


def test_a_reader_that_closes_the_output_stops_the_command_quietly():
    """`partner-tiers programs | head -1`: the reader goes away while the command still
    prints; the command stops with exit 1 and no "internal error" (it said exit 3)."""
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line is printed
    try:
        done = subprocess.run(
            [sys.executable, "-m", "partner_tiers", "programs"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
