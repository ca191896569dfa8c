"""The release a distributor's IT takes: ``python -m build`` makes a wheel and an sdist,
and the wheel, installed into a new virtual environment, runs ``partner-tiers demo``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from partner_tiers import __version__

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


@pytest.mark.slow
def test_build_makes_a_wheel_and_an_sdist_with_the_licence_and_data(built):
    wheel = built / f"partner_tiers-{__version__}-py3-none-any.whl"
    sdist = built / f"partner_tiers-{__version__}.tar.gz"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"partner_tiers-{__version__}.dist-info/METADATA").decode()
    assert f"partner_tiers-{__version__}.dist-info/licenses/LICENSE" in names
    assert "partner_tiers/rules/definitions/sophos-2019.toml" in names
    assert "partner_tiers/demo/sales_fy2026_q2.csv" in names
    assert "License-Expression: MIT" in metadata and "Classifier: " in metadata
    assert not any(name.startswith("tests/") for name in names)
    with tarfile.open(sdist) as archive:
        inside = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml"} <= inside


@pytest.mark.slow
def test_the_wheel_in_a_new_venv_runs_the_demo(built, tmp_path):
    """What a user gets from an index: the wheel and its dependencies, nothing of this tree."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    wheel = built / f"partner_tiers-{__version__}-py3-none-any.whl"
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    run = {"cwd": tmp_path, "env": clean, "capture_output": True, "text": True, "check": True}
    version = subprocess.run([bin_dir / "partner-tiers", "--version"], **run)
    assert version.stdout.split() == ["partner-tiers", __version__]
    demo = subprocess.run([bin_dir / "partner-tiers", "demo", "--out", "review.xlsx"], **run)
    assert (tmp_path / "review.xlsx").stat().st_size > 10_000
    assert "Closest to their next tier" in demo.stdout


def test_the_version_the_docs_name_is_the_packages():
    """The version stands once, in pyproject.toml; README's examples and CHANGELOG's latest
    release name that one (a release that forgets them fails here)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = re.findall(
        r"partner_tiers-(\d+\.\d+\.\d+)-py3|`(\d+\.\d+\.\d+)`: the partner-tiers", readme
    )
    assert len(named) == 2 and {a or b for a, b in named} == {__version__}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M)
    assert released[0] == __version__
