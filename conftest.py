"""Fixtures for every test, doctests in addin/ included."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from partner_tiers import limits
from partner_tiers.rules import programs

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "dev" (the default) explores new examples
# on each run; "ci" (.ci/run) draws the same ones every run, so that a red CI is the code's
# doing, never the dice's, and prints what reproduces a failure. Neither has a deadline: a
# workbook's first build takes longer than the next, and speed is bench/'s to measure.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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
