"""The files for xlwings Lite: what a user pastes into its editor's two tabs, and how.

xlwings Lite (an Excel add-in for Windows, macOS and Excel on the web) runs Python in
Pyodide and registers as custom functions the members of its ``main.py`` that carry
xlwings' ``__xlfunc__`` (xlwings 0.37.8, ``xlwings/pro/udfs_officejs.py``,
``custom_functions_meta``). ``main.py`` therefore only imports the functions of
:mod:`partner_tiers.excel.udfs`: the same objects as on Windows, defined once, named in
Excel by their Python names. ``requirements.txt`` names the packages Lite installs with
micropip: xlwings and partner-tiers, pure-Python wheels.

>>> sorted(bundle())
['HOW_TO.md', 'main.py', 'requirements.txt']
>>> print(requirements())
# xlwings Lite installs these when this tab changes (restart Lite after changing a version).
xlwings>=0.37.8
partner-tiers==0.1.0
<BLANKLINE>
"""

from __future__ import annotations

import re
from pathlib import Path

from partner_tiers import __version__
from partner_tiers.errors import PartnerTiersError
from partner_tiers.files.output import write_files
from partner_tiers.wording import shown

# The xlwings whose Lite code the tests follow (tests/pyodide): it reads Pyodide 0.28's
# JsNull as an empty cell, which older versions hand over as a value of its own.
XLWINGS_FOR_LITE = "0.37.8"
# An https address of printable ASCII (RFC 3986 percent-encodes anything else): no control
# character, no terminal escape, no byte a file cannot hold.
WHEEL_URL = re.compile(r"https://[\x21-\x7e]+\.whl\Z")

MAIN_PY = '''\
"""partner-tiers: vendor partner-program tiers as Excel functions, in xlwings Lite.

The functions are those of the Windows add-in: PARTNER_TIER, GAP_TO_NEXT, TIER_EXPLAIN...
Type =TIER_PROGRAMS() into a cell to see the programs, or =TIER_TABLE() for one's tiers.
"""

from partner_tiers.excel.udfs import *  # noqa: F403 - every Excel function, defined once
'''

HOW_TO = """\
# partner-tiers in xlwings Lite (Excel on a Mac, on the web, or on Windows)

1. In Excel, Home > Add-ins: search for "xlwings Lite" and add it (free; Microsoft 365 or
   Office 2021 and later; macOS 13 or later on a Mac).
2. Open the xlwings Lite pane (the xlwings Lite button at the right of the Home tab).
3. In the pane's requirements.txt tab, replace everything with the text of
   requirements.txt. Lite installs the packages and shows its log in the Output window.
4. In the main.py tab, replace everything with the text of main.py.
5. Type =PARTNER_TIER(45000) into a cell: it shows Silver. Your Python code and settings
   are saved inside the workbook, so save it as .xlsx and whoever has Lite can use it.

Your own program: write its definition (the lines of a program file, one per row) on a
sheet, say Program!A1:A30, and put =PROGRAM_DEFINE(Program!A1:A30) into a cell, say H1.
That cell shows the program's id; use it as the program: =PARTNER_TIER(B2, $H$1).

The review and QBR workbooks for Lite: partner-tiers templates --for lite.
"""


class BadWheelUrl(PartnerTiersError, ValueError):
    """A --wheel that Lite could not install from."""


def requirements(wheel: str | None = None) -> str:
    """The requirements.txt tab: xlwings, and partner-tiers pinned (or a wheel's URL)."""
    if wheel is not None and ("#" in wheel or not WHEEL_URL.match(wheel)):
        raise BadWheelUrl(
            f"--wheel {shown(wheel)} is not the https address of a .whl file, e.g. "
            "https://files.example.com/partner_tiers-0.1.0-py3-none-any.whl"
        )
    package = wheel or f"partner-tiers=={__version__}"
    return (
        "# xlwings Lite installs these when this tab changes "
        "(restart Lite after changing a version).\n"
        f"xlwings>={XLWINGS_FOR_LITE}\n{package}\n"
    )


def bundle(wheel: str | None = None) -> dict[str, bytes]:
    """Every file of the bundle by name, worked out before anything is written."""
    return {
        "main.py": MAIN_PY.encode("utf-8"),
        "requirements.txt": requirements(wheel).encode("utf-8"),
        "HOW_TO.md": HOW_TO.encode("utf-8"),
    }


def write_bundle(folder: Path, wheel: str | None = None, overwrite: bool = False) -> list[Path]:
    """Write the bundle into ``folder``; nothing is written if a file exists, unless
    ``overwrite``."""
    return write_files(folder, bundle(wheel), overwrite)
