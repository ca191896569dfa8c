"""Fixtures for every test, doctests in addin/ included."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from partner_tiers import limits
from partner_tiers.rules import programs


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts and ends with the built-in programs only, checked on every call."""
    monkeypatch.delenv(programs.PROGRAMS_PATH_VARIABLE, raising=False)
    monkeypatch.delenv(programs.DEFAULT_PROGRAM_VARIABLE, raising=False)
    monkeypatch.setattr(programs.registry, "check_interval", 0)
    monkeypatch.setattr(limits, "MAX_CELLS", limits.MAX_CELLS)  # a --max-cells lasts one test
    programs.registry.refresh(force=True)
    yield
    monkeypatch.undo()
    programs.registry.refresh(force=True)
