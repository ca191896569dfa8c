"""The package's layers: every import of a package module points down, never up or sideways.

Each module is read with ``ast`` (imports inside functions count too), so the picture in
README's layout section stays true as the code changes.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "addin" / "partner_tiers"

# What each part of the package may import from the package; anything else is an arrow
# against the layers. The standard library and third-party packages are checked elsewhere
# (the rules import no Excel, no openpyxl: see THIRD_PARTY).
FOUNDATION = {"errors", "wording", "texts", "grids", "limits", "error_values"}
MAY_IMPORT = {
    "errors": set(),
    "wording": set(),
    "texts": {"errors", "wording"},
    "grids": set(),
    "limits": set(),
    "error_values": set(),
    "rules": FOUNDATION,
    "files": FOUNDATION,
    "excel": FOUNDATION | {"rules", "files"},
    "formulas": FOUNDATION | {"files"},
    "records": FOUNDATION,  # a review's records, below the builders and the workflow alike
    "workbooks": FOUNDATION | {"rules", "files", "records"},
    "review": FOUNDATION | {"rules", "files", "excel", "formulas", "workbooks", "records"},
    "progress": set(),
    # Each command's work, given its options record; below the command line that parses them.
    "commands": FOUNDATION
    | {"rules", "files", "excel", "formulas", "workbooks", "review", "progress", "records"},
    "cli": FOUNDATION
    | {"rules", "files", "excel", "formulas", "workbooks", "review", "progress", "records"}
    | {"commands"},
    "__main__": {"cli"},
    "__init__": set(),
}
# Third-party packages a part may not import, whatever it imports from the package.
THIRD_PARTY = {
    "rules": {"xlwings", "openpyxl", "defusedxml", "stdnum"},
    "formulas": {"xlwings"},
    "workbooks": {"xlwings"},
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _part(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file (or in ``source``, as if it
    stood at ``path``)."""
    here = ["partner_tiers", *path.relative_to(PACKAGE).with_suffix("").parts]
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    text = path.read_text("utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # `from partner_tiers import rules` imports the part named after `import`
            if module != "partner_tiers":
                found.append((node.lineno, module))
            else:
                parts = [a.name for a in node.names if a.name in MAY_IMPORT]
                found += [(node.lineno, f"partner_tiers.{name}") for name in parts]
    return found


def test_every_module_belongs_to_a_known_part():
    assert {_part(p) for p in _modules()} <= set(MAY_IMPORT)


def _against(path: Path, source: str | None = None) -> list[str]:
    part = _part(path)
    against = []
    for line, module in _imports(path, source):
        names = module.split(".")
        if names[0] == "partner_tiers" and len(names) > 1:
            if names[1] != part and names[1] not in MAY_IMPORT[part]:
                against.append(f"{path.name}:{line} imports {module}")
        elif names[0] in THIRD_PARTY.get(part, ()):
            against.append(f"{path.name}:{line} imports {module}")
    return against


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path):
    assert not _against(path), f"{_part(path)} may import only {sorted(MAY_IMPORT[_part(path)])}"


def test_the_checker_sees_arrows_against_the_layers():
    """Upward, hidden inside a function, relative, or a forbidden third-party package."""
    rules = PACKAGE / "rules" / "tiers.py"
    source = (
        "import openpyxl\n"
        "from . import programs\n"
        "def f():\n"
        "    from ..excel import udfs\n"
        "    from partner_tiers import review\n"
    )
    assert _against(rules, source) == [
        "tiers.py:1 imports openpyxl",
        "tiers.py:4 imports partner_tiers.excel",
        "tiers.py:5 imports partner_tiers.review",
    ]


def test_the_excel_functions_import_no_file_format_library():
    """The functions start in Excel (and in xlwings Lite) without openpyxl or defusedxml."""
    code = (
        "import sys, partner_tiers.excel.udfs; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'defusedxml'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
