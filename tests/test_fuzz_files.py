"""Random bytes and random damage to a real review's parts, fed to review, snapshot and
--carry-over: every run ends in exit 0 or a message with exit 1, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partner_tiers import cli

SALES = "Kontrahent;Data;Kwota\nAcme;01.05.2025;100,00\n"


@pytest.fixture(scope="module")
def review_parts(tmp_path_factory) -> dict[str, bytes]:
    path = tmp_path_factory.mktemp("fuzz") / "review.xlsx"
    assert cli.main(["demo", "--out", str(path)]) == 0
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _damaged(parts: dict[str, bytes], data: st.DataObject) -> dict[str, bytes]:
    """The parts with one damaged as files break: cut, overwritten, dropped or replaced."""
    parts = dict(parts)
    name = data.draw(st.sampled_from(sorted(parts)))
    how = data.draw(st.sampled_from(["cut", "flip", "drop", "random"]))
    if how == "cut":
        parts[name] = parts[name][: data.draw(st.integers(0, len(parts[name])))]
    elif how == "flip":
        raw = bytearray(parts[name])
        for _ in range(data.draw(st.integers(1, 8))):
            if raw:
                raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        parts[name] = bytes(raw)
    elif how == "drop":
        del parts[name]
    else:
        parts[name] = data.draw(st.binary(max_size=2000))
    return parts


def _every_command_tells(path: Path, tmp_path: Path, capsys) -> None:
    """snapshot, review and --carry-over of ``path``: exit 0, or 1 with a message."""
    sales = tmp_path / "s.csv"
    sales.write_text(SALES, encoding="utf-8")
    out = tmp_path / "out.xlsx"
    for args in (
        ["snapshot", str(path), "--out", str(out), "--force"],
        ["review", str(path), "--out", str(out), "--force"],
        ["review", str(sales), "--carry-over", str(path), "--out", str(out), "--force"],
    ):
        code = cli.main(args)
        err = capsys.readouterr().err
        assert code in (0, 1), err
        assert "Traceback" not in err and "internal error" not in err, err


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_damaged_review_is_a_message_in_every_command(tmp_path, capsys, review_parts, data):
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, content in _damaged(review_parts, data).items():
            archive.writestr(name, content)
    _every_command_tells(broken, tmp_path, capsys)


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=3000), st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_random_bytes_are_a_message_in_every_command(tmp_path, capsys, content, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(content)
    _every_command_tells(path, tmp_path, capsys)
