"""Running the calls of tests/lite_calls.py-style files, as xlwings Lite would, in CPython
and in Pyodide under Node: shared by tests/test_lite.py and bench/run.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
PYODIDE = HERE / "node_modules" / "pyodide"


def build_wheel(out: Path) -> Path:
    """The project's own wheel, built as for PyPI."""
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)]
    subprocess.run(command, check=True)
    (built,) = out.glob("partner_tiers-*-py3-none-any.whl")
    return built


def node() -> str | None:
    """Node.js with the pinned Pyodide installed (npm ci), or None without Node."""
    found = shutil.which("node")
    if found is not None and not PYODIDE.is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return found


def in_cpython(bundle: Path, calls: Path, work: Path) -> dict[str, Any]:
    """The calls in this CPython, with the xlwings stand-in in place of xlwings."""
    (work / "xlwings").mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "lite_xlwings.py", work / "xlwings" / "__init__.py")
    out = work / "cpython.json"
    path = os.pathsep.join([str(work), str(bundle), str(HERE)])
    # -S: no site-packages, so partner-tiers is only what main.py carries (or the bundle's).
    command = [sys.executable, "-S", str(HERE / "lite_runtime.py"), str(calls), str(out)]
    subprocess.run(command, check=True, env={"PYTHONPATH": path, "PATH": os.defpath})
    return json.loads(out.read_text("utf-8"))


def in_pyodide(
    node: str, wheel: Path | None, bundle: Path, calls: Path, work: Path
) -> dict[str, Any]:
    """The calls inside Pyodide: the bundle's main.py imported, alone (it carries
    partner-tiers), or with ``wheel`` installed first."""
    out = work / "pyodide.json"
    runner = HERE / "run_in_pyodide.mjs"
    installed = "-" if wheel is None else str(wheel)
    subprocess.run([node, str(runner), installed, str(bundle), str(calls), str(out)], check=True)
    return json.loads(out.read_text("utf-8"))
