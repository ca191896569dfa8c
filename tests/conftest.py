"""Shared fixtures: user program folders and a registry that sees changes at once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from partner_tiers import programs

BUILTIN_FILES = sorted(programs.BUILTIN_DIR.glob("*.toml"))


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts and ends with the built-in programs only, checked on every call."""
    monkeypatch.delenv(programs.PROGRAMS_PATH_VARIABLE, raising=False)
    monkeypatch.delenv(programs.DEFAULT_PROGRAM_VARIABLE, raising=False)
    monkeypatch.setattr(programs.registry, "check_interval", 0)
    programs.registry.refresh(force=True)
    yield
    monkeypatch.undo()
    programs.registry.refresh(force=True)


@pytest.fixture
def user_programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder named in PARTNER_TIERS_PROGRAMS; write .toml files into it."""
    folder = tmp_path / "programs"
    folder.mkdir()
    monkeypatch.setenv(programs.PROGRAMS_PATH_VARIABLE, os.fspath(folder))
    return folder
