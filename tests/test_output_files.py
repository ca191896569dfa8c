"""Writing output files: never over what is not a file, never over a file without leave,
never a traceback, never a temporary file left for good."""

from __future__ import annotations

import errno
import os
import time

import pytest
from openpyxl import Workbook

from partner_tiers import cli
from partner_tiers.files import output


def _save(path, overwrite=False):
    return output.save_workbook(Workbook(), path, overwrite)


def test_a_folder_or_a_pipe_at_the_target_is_refused_even_with_force(tmp_path):
    folder = tmp_path / "adir"
    folder.mkdir()
    with pytest.raises(output.OutputFailed, match="it is a folder"):
        _save(folder, overwrite=True)
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    with pytest.raises(output.OutputFailed, match="device or pipe"):
        _save(pipe, overwrite=True)
    assert pipe.is_fifo() and folder.is_dir()


def test_a_file_that_appears_while_saving_is_not_overwritten(tmp_path):
    target = tmp_path / "review.xlsx"

    def slow_write(path):
        Workbook().save(path)
        target.write_text("typed meanwhile")  # another program, or another run

    with pytest.raises(output.OutputExists):
        output.write_atomically(target, slow_write)
    assert target.read_text() == "typed meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["review.xlsx"]  # no temporary left


@pytest.mark.parametrize(
    "code", [errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES], ids=errno.errorcode.get
)
def test_a_full_disk_or_a_read_only_place_is_a_message_and_leaves_nothing(tmp_path, code):
    def failing(path):
        path.write_bytes(b"half")
        raise OSError(code, os.strerror(code))

    target = tmp_path / "review.xlsx"
    with pytest.raises((output.OutputFailed, output.OutputLocked), match=os.strerror(code)):
        output.write_atomically(target, failing)
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_of_a_killed_run_are_named_and_removed_later(tmp_path):
    target = tmp_path / "review.xlsx"
    stale = tmp_path / f"{output.TEMPORARY_PREFIX}review.abc123.xlsx"
    fresh = tmp_path / f"{output.TEMPORARY_PREFIX}review.def456.xlsx"  # a run writing now
    stale.write_bytes(b"left by a killed run")
    fresh.write_bytes(b"being written")
    hour_ago = time.time() - output.STALE_SECONDS - 60
    os.utime(stale, (hour_ago, hour_ago))
    _save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, "review.xlsx"])


def test_the_review_refuses_to_replace_its_own_sales_export(tmp_path, capsys):
    sales = tmp_path / "s.csv"
    sales.write_text("Kontrahent;Data;Kwota\nA;01.05.2025;1\n", encoding="utf-8")
    assert cli.main(["review", str(sales), "--out", str(sales), "--force"]) == 1
    assert "is the sales export itself" in capsys.readouterr().err
    assert sales.read_text(encoding="utf-8").startswith("Kontrahent")
    assert cli.main(["review", str(sales), "--out", str(tmp_path), "--force"]) == 1
    assert "it is a folder" in capsys.readouterr().err
