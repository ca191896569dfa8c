"""The files for xlwings Lite: what a user pastes into its editor's two tabs, and how.

xlwings Lite (an Excel add-in for Windows, macOS and Excel on the web) runs Python in
Pyodide and registers as custom functions the members of its ``main.py`` that carry
xlwings' ``__xlfunc__`` (xlwings 0.37.8, ``xlwings/pro/udfs_officejs.py``,
``custom_functions_meta``). ``main.py`` therefore imports the functions of
:mod:`partner_tiers.excel.udfs`: the same objects as on Windows, defined once, named in
Excel by their Python names.

No package index has partner-tiers, and a channel manager can host none, so ``main.py``
carries the part of partner-tiers the functions need (:data:`CARRIED`) as a zip archive in
base64 lines, written to Pyodide's in-memory files and imported from there (``zipimport``,
in every Python; ``importlib.resources`` reads the program definitions from it). One
generated file rather than a source file of all modules: the modules stay as they are,
tested as they are, and a user pastes one text. ``requirements.txt`` then names xlwings
only. ``--wheel URL`` or ``--from-index`` write the one-line main.py that imports an
installed partner-tiers instead.

>>> sorted(bundle())
['HOW_TO.md', 'main.py', 'requirements.txt']
>>> print(requirements(), requirements(from_index=True), sep="")
xlwings>=0.37.8
xlwings>=0.37.8
partner-tiers==...
<BLANKLINE>
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import re
import zipfile
from importlib import resources
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

# The package's part that the Excel functions need, carried inside main.py: the rules and
# their definition files, the cell readers and the functions. No openpyxl, defusedxml or
# python-stdnum; xlwings is Lite's own.
CARRIED = (
    "__init__.py",
    "errors.py",
    "error_values.py",
    "grids.py",
    "limits.py",
    "texts.py",
    "wording.py",
    "rules/*.py",
    "rules/currencies.txt",
    "rules/definitions/*.toml",
    "excel/__init__.py",
    "excel/cells.py",
    "excel/certified.py",
    "excel/metric_tables.py",
    "excel/udfs.py",
)

MAIN_PY = """\
\"\"\"partner-tiers {version}: vendor partner-program tiers as Excel functions, in xlwings Lite.

The functions are those of the Windows add-in: PARTNER_TIER, GAP_TO_NEXT, TIER_EXPLAIN...
Type =TIER_PROGRAMS() into a cell to see the programs, or =TIER_TABLE() for one's tiers,
and =PARTNER_TIERS_VERSION() for the version this main.py carries.

This file carries partner-tiers itself: below is a zip archive of its rules, program
definitions and functions, which Python imports from Pyodide's in-memory files. No
package index is needed. To move to a newer partner-tiers, write main.py again with
`partner-tiers lite` and paste it over this one.
\"\"\"

import base64 as _base64
import sys as _sys
import tempfile as _tempfile
from pathlib import Path as _Path

PARTNER_TIERS_CARRIED = "{version}"
_ARCHIVE = (
{archive}
)
_zip = _Path(_tempfile.gettempdir()) / "partner_tiers-{version}-{digest}.zip"
if not _zip.exists():
    _zip.write_bytes(_base64.b64decode("".join(_ARCHIVE)))
if str(_zip) not in _sys.path:
    _sys.path.insert(0, str(_zip))

from partner_tiers.excel.udfs import *  # noqa: E402, F403 - every Excel function, defined once
"""


def carried_archive() -> bytes:
    """The zip archive main.py carries: the :data:`CARRIED` files of the installed package,
    compressed, in a fixed order and with fixed times, so that one version gives one file;
    and the package's name and version as metadata, which ``partner_tiers.__version__``
    reads in Lite as anywhere else."""
    package = resources.files("partner_tiers")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo(
            f"partner_tiers-{__version__}.dist-info/METADATA", date_time=(2020, 1, 1, 0, 0, 0)
        )
        info.compress_type = zipfile.ZIP_DEFLATED
        metadata = f"Metadata-Version: 2.1\nName: partner-tiers\nVersion: {__version__}\n"
        archive.writestr(info, metadata)
        for pattern in CARRIED:
            folder, _, name = pattern.rpartition("/")
            place = package.joinpath(folder) if folder else package
            matches = sorted(
                (entry for entry in place.iterdir() if fnmatch.fnmatch(entry.name, name)),
                key=lambda entry: entry.name,
            )
            for entry in matches:
                path = f"partner_tiers/{folder + '/' if folder else ''}{entry.name}"
                info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, entry.read_bytes())
    return buffer.getvalue()


def main_py() -> str:
    """main.py: the functions, with the package they need carried inside (base64 lines)."""
    archive = carried_archive()
    text = base64.b64encode(archive).decode("ascii")
    lines = "\n".join(f'    "{text[i : i + 96]}"' for i in range(0, len(text), 96))
    digest = hashlib.sha256(archive).hexdigest()[:12]
    return MAIN_PY.format(version=__version__, archive=lines, digest=digest)


HOW_TO = """\
# partner-tiers in xlwings Lite (Excel on a Mac, on the web, or on Windows)

1. In Excel, Home > Add-ins: search for "xlwings Lite" and add it (free; Microsoft 365 or
   Office 2021 and later; macOS 13 or later on a Mac).
2. Open the xlwings Lite pane (the xlwings Lite button at the right of the Home tab).
3. In the pane's requirements.txt tab, replace everything with the text of
   requirements.txt (xlwings only: main.py carries partner-tiers itself).
4. In the main.py tab, replace everything with the text of main.py. It is long: it carries
   partner-tiers' rules, program definitions and functions, so no package index is needed.
5. Type =PARTNER_TIER(45000) into a cell: it shows Silver. Your Python code and settings
   are saved inside the workbook, so save it as .xlsx and whoever has Lite can use it.

Which partner-tiers a workbook carries: =PARTNER_TIERS_VERSION(). To move to a newer one,
write main.py again with `partner-tiers lite` and paste it over the old one (step 4).

Your own program: write its definition (the lines of a program file, one per row) on a
sheet, say Program!A1:A30, and put =PROGRAM_DEFINE(Program!A1:A30) into a cell, say H1.
That cell shows the program's id; use it as the program: =PARTNER_TIER(B2, $H$1).

The review and QBR workbooks for Lite: partner-tiers templates --for lite.
"""

# Where a distributor hosts partner-tiers (--wheel URL, --from-index): main.py only imports.
MAIN_PY_INSTALLED = '''\
"""partner-tiers: vendor partner-program tiers as Excel functions, in xlwings Lite.

The functions are those of the Windows add-in: PARTNER_TIER, GAP_TO_NEXT, TIER_EXPLAIN...
Type =TIER_PROGRAMS() into a cell to see the programs, or =TIER_TABLE() for one's tiers.
Lite installs partner-tiers from requirements.txt.
"""

from partner_tiers.excel.udfs import *  # noqa: F403 - every Excel function, defined once
'''
HOW_TO_INSTALLED = HOW_TO.replace(
    "(xlwings only: main.py carries partner-tiers itself)",
    "(xlwings, and partner-tiers from where your distributor hosts it)",
).replace(
    "It is long: it carries\n   partner-tiers' rules, program definitions and functions, so "
    "no package index is needed.",
    "It imports partner-tiers,\n   which Lite installed in step 3.",
)


class BadWheelUrl(PartnerTiersError, ValueError):
    """A --wheel that Lite could not install from."""


def requirements(wheel: str | None = None, from_index: bool = False) -> str:
    """The requirements.txt tab: xlwings; and, where main.py does not carry partner-tiers,
    a wheel's URL or partner-tiers pinned on a package index. No comment line: whether Lite
    hands one to micropip as it is, which refuses it, is not known."""
    if wheel is not None and ("#" in wheel or not WHEEL_URL.match(wheel)):
        raise BadWheelUrl(
            f"--wheel {shown(wheel)} is not the https address of a .whl file, e.g. "
            f"https://files.example.com/partner_tiers-{__version__}-py3-none-any.whl"
        )
    package = wheel or (f"partner-tiers=={__version__}" if from_index else None)
    return f"xlwings>={XLWINGS_FOR_LITE}\n" + (f"{package}\n" if package else "")


def bundle(wheel: str | None = None, from_index: bool = False) -> dict[str, bytes]:
    """Every file of the bundle by name, worked out before anything is written: main.py
    carrying partner-tiers, or (``wheel``, ``from_index``) importing it from where Lite
    installs it."""
    installed = wheel is not None or from_index
    main = MAIN_PY_INSTALLED if installed else main_py()
    return {
        "main.py": main.encode("utf-8"),
        "requirements.txt": requirements(wheel, from_index).encode("utf-8"),
        "HOW_TO.md": (HOW_TO_INSTALLED if installed else HOW_TO).encode("utf-8"),
    }


def write_bundle(
    folder: Path, wheel: str | None = None, overwrite: bool = False, from_index: bool = False
) -> list[Path]:
    """Write the bundle into ``folder``; nothing is written if a file exists, unless
    ``overwrite``."""
    return write_files(folder, bundle(wheel, from_index), overwrite)
