"""Fixtures for the test modules: a folder of user program definitions, xlwings as on Windows."""

from __future__ import annotations

import importlib
import os
import sys
import types
from pathlib import Path

import pytest
import xlwings

import partner_tiers
import partner_tiers.udfs
from partner_tiers import programs

BUILTIN_FILES = sorted(programs.BUILTIN_DIR.glob("*.toml"))


@pytest.fixture
def user_programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder named in PARTNER_TIERS_PROGRAMS; write .toml files into it."""
    folder = tmp_path / "programs"
    folder.mkdir()
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, os.fspath(folder))
    return folder


class _ComError(Exception):
    pass


def _stub(name: str, **attributes: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


@pytest.fixture
def windows_udfs(monkeypatch: pytest.MonkeyPatch):
    """(xlwings.udfs, partner_tiers.udfs) as they are bound on Windows."""
    client = _stub("win32com.client", Dispatch=lambda *a, **k: None)
    for name, module in {
        "pythoncom": _stub("pythoncom", CoInitialize=lambda: None),
        "pywintypes": _stub("pywintypes", com_error=_ComError),
        "win32com": _stub("win32com", client=client),
        "win32com.client": client,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    xl_udfs = importlib.import_module("xlwings.udfs")
    monkeypatch.setattr(xlwings, "func", xl_udfs.xlfunc)
    monkeypatch.setattr(xlwings, "arg", xl_udfs.xlarg)
    monkeypatch.setattr(xlwings, "ret", xl_udfs.xlret)
    monkeypatch.setattr(partner_tiers, "udfs", partner_tiers.udfs)  # restored afterwards
    monkeypatch.delitem(sys.modules, "partner_tiers.udfs")
    return xl_udfs, importlib.import_module("partner_tiers.udfs")
