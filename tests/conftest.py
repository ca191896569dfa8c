"""Fixtures for the test modules: a folder of user program definitions, xlwings as on Windows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from partner_tiers.excel import install
from partner_tiers.rules import programs


@pytest.fixture
def user_programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder named in PARTNER_TIERS_PROGRAMS; write .toml files into it."""
    folder = tmp_path / "programs"
    folder.mkdir()
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, os.fspath(folder))
    return folder


@pytest.fixture
def windows_udfs():
    """(xlwings.udfs, partner_tiers.excel.udfs) as they are bound on Windows."""
    with install.windows_udfs() as modules:
        yield modules


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's sales export reviewed for FY2026 Q2 by the command line; tests read it
    (and save what they change under a name of their own)."""
    from partner_tiers import cli

    target = tmp_path_factory.mktemp("demo") / "review.xlsx"
    sales = Path(cli.__file__).parent / cli.DEMO_SALES
    argv = ["review", str(sales), "--fiscal-year", "2026", "--quarter", "2"]
    assert cli.main([*argv, "--out", str(target)]) == 0
    return target
