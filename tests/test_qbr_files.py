"""qbr's files: never its own input, never one partner's file for another's, names that fit
every file system, and a run that stops part-way says what it wrote (issue 22)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partner_tiers import cli
from partner_tiers.files import file_names, output
from partner_tiers.texts import label
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.layout import PARTNERS


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _named(demo: Path, folder: Path, *names: str, keep: int | None = None) -> Path:
    """The demo review with its first partners renamed (and only ``keep`` partners)."""
    wb = load_workbook(demo)
    ws = wb[label("partners", "en")]
    for i, name in enumerate(names):
        cell = ws.cell(PARTNERS.first_row + i, 1)
        cell.value, cell.data_type = name, "s"
    if keep is not None:
        ws.delete_rows(PARTNERS.first_row + keep, 100)
    path = folder / "typed.xlsx"
    wb.save(path)
    return path


def _partner_in(path: Path) -> object:
    ws = load_workbook(path).worksheets[0]
    return ws[layout.qbr_cell("PartnerName").replace("$", "")].value


def test_qbr_never_replaces_its_own_input(demo, tmp_path, capsys):
    review = tmp_path / "Bajt-Net Sp. z o.o.xlsx"  # the name of Bajt-Net's scorecard
    shutil.copy(demo, review)
    before = review.read_bytes()
    argv = ("qbr", review, "--out", tmp_path, "--force", "--partner", "bajtnet")
    code, _, err = run(capsys, *argv)
    assert code == 1 and "would be replaced by a scorecard; choose another --out" in err
    assert review.read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("force", [False, True])
def test_a_partner_called_like_anothers_values_copy_gets_a_file_of_its_own(
    demo, tmp_path, capsys, force
):
    review = _named(demo, tmp_path, "Acme", "Acme_values", keep=2)
    out = tmp_path / "q"
    code, _, err = run(capsys, "qbr", review, "--out", out, "--values", *(["--force"] * force))
    assert code == 0, err
    files = {p.name: _partner_in(p) for p in out.iterdir()}
    assert files == {
        "Acme.xlsx": "Acme",
        "Acme_values.xlsx": "Acme",  # Acme's copy to send, not the other partner's
        "Acme_values (2).xlsx": "Acme_values",
        "Acme_values (2)_values.xlsx": "Acme_values",
    }
    copy = load_workbook(out / "Acme_values.xlsx").worksheets[0]
    assert not any(c.data_type == "f" for row in copy.iter_rows() for c in row)


@pytest.mark.slow
def test_a_long_name_in_any_script_fits_the_file_system(demo, tmp_path, capsys):
    name = "中" * 96
    review = _named(demo, tmp_path, name, "../x", keep=2)
    out = tmp_path / "q"
    code, _, err = run(capsys, "qbr", review, "--out", out, "--values")
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert all(len(n.encode()) <= 255 - len(output.TEMPORARY_PREFIX) - 9 for n in names)
    assert len(names) == 4 and not any(n.startswith(".") for n in names)  # never hidden
    assert "_x.xlsx" in names and {_partner_in(out / n) for n in names} == {name, "../x"}
    assert len(file_names.file_stem(name).encode()) <= file_names.MAX_STEM_BYTES


def test_a_run_that_stops_part_way_says_what_it_wrote(demo, tmp_path, capsys):
    review = _named(demo, tmp_path, "Alpha", "Beta", keep=2)
    out = tmp_path / "q"
    (out / "Beta.xlsx").mkdir(parents=True)  # Beta's scorecard cannot be written
    code, _, err = run(capsys, "qbr", review, "--out", out, "--force")
    assert code == 1
    assert "it is a folder" in err and f"wrote 1 of 2 scorecards into {out} before it" in err
    assert (out / "Alpha.xlsx").is_file()


def test_ctrl_c_part_way_says_what_was_written(demo, tmp_path, capsys, monkeypatch):
    review = _named(demo, tmp_path, "Alpha", "Beta", keep=2)
    out = tmp_path / "q"
    saves = []
    real = output.save_workbook

    def save_then_interrupt(wb, path, overwrite=False):
        saves.append(path)
        if len(saves) == 2:
            raise KeyboardInterrupt
        return real(wb, path, overwrite)

    monkeypatch.setattr(output, "save_workbook", save_then_interrupt)
    code, _, err = run(capsys, "qbr", review, "--out", out)
    assert code == 1 and f"interrupted; wrote 1 of 2 scorecards into {out}" in err
    assert "nothing was written" not in err


def test_a_review_without_partners_is_told(demo, tmp_path, capsys):
    review = _named(demo, tmp_path, keep=0)
    code, _, err = run(capsys, "qbr", review, "--out", tmp_path / "q")
    assert code == 1 and "has no partners on its Partners sheet" in err
    assert not (tmp_path / "q").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice renders the PDF")
def test_a_partner_named_like_an_option_gets_its_pdf(demo, tmp_path, capsys):
    review = _named(demo, tmp_path, "-2+3", keep=1)
    out = tmp_path / "q"
    code, _, err = run(capsys, "qbr", review, "--out", out, "--pdf")
    assert code == 0, err
    assert (out / "-2+3_values.pdf").is_file()
