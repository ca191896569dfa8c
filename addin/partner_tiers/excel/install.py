"""Setting Excel up for the partner-tiers functions on Windows: xlwings' custom add-in route.

Functions that a workbook's own VBA declares serve that workbook only, and the templates
are ``.xlsx`` files without VBA. xlwings' documented way to serve UDFs to every workbook
is a *custom add-in* (xlwings' docs/customaddin.md): an ``.xlam`` in Excel's XLSTART folder,
opened by Excel at every start, that holds xlwings' VBA and the functions' declarations.
:func:`install` does every step that needs no Excel:

1. the xlwings add-in (``xlwings addin install``), whose ribbon shows the settings;
2. ``partner_tiers.excel.udfs`` among the UDF modules and this Python as the interpreter in the
   user's ``~/.xlwings/xlwings.conf``, every other line kept as it is, in the code page that
   xlwings and its VBA read the file in;
3. ``partner_tiers.xlam``: xlwings' own custom add-in (``quickstart_addin.xlam`` of the
   installed xlwings) with its settings sheet switched on and filled in (interpreter, UDF
   module), so that it needs no other settings file;
4. ``partner_tiers_udfs.bas``: the VBA module that declares the functions, as xlwings'
   "Import Functions" writes it, and registers their texts for the function wizard when the
   add-in loads;
5. the add-in copied into XLSTART (``xlwings addin install --file``).

Importing the ``.bas`` file into the add-in needs Excel: :data:`EXCEL_STEPS` says how.

>>> print(update_config('"UDF MODULES","mine"\\n"SHOW CONSOLE","TRUE"\\n', "C:/Py/pythonw.exe"))
"UDF MODULES","mine;partner_tiers.excel.udfs"
"SHOW CONSOLE","TRUE"
"INTERPRETER_WIN","C:/Py/pythonw.exe"
<BLANKLINE>
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import importlib.util
import io
import locale
import re
import subprocess
import sys
import types
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import xlwings

from partner_tiers.errors import PartnerTiersError
from partner_tiers.files import xlsx_parts
from partner_tiers.files.output import write_files
from partner_tiers.wording import shown

UDF_MODULE = "partner_tiers.excel.udfs"
# What installs before 0.1.0 named in xlwings.conf (the functions' module before the package
# was layered); install replaces it with UDF_MODULE.
FORMER_UDF_MODULES = ("partner_tiers.udfs",)
ADDIN_FILE = "partner_tiers.xlam"
WRAPPER_FILE = "partner_tiers_udfs.bas"
CONFIG_FILE = "xlwings.conf"
REGISTER = "RegisterPartnerTiersFunctions"
# xlwings' custom add-in reads its settings from a sheet named after its VBA project's
# PROJECT_NAME ("myaddin" in quickstart_addin.xlam); a leading "_" switches the sheet off.
ADDIN_TEMPLATE = "quickstart_addin.xlam"
ADDIN_SETTINGS_SHEET = "myaddin.conf"
# MacroOptions keeps 255 characters of a text (VBA's other limits, which the generated
# module keeps, are checked by tests/test_install.py).
MACRO_OPTIONS_MAX_TEXT = 255
XLSTART = r"%APPDATA%\Microsoft\Excel\XLSTART"  # the user's startup folder, as Excel has it


class InstallError(PartnerTiersError, ValueError):
    """A setting cannot be written as Excel would read it; nothing was changed."""


def config_path(home: Path) -> Path:
    """Where xlwings keeps the user's settings (the ribbon's settings) on Windows."""
    return Path(home) / ".xlwings" / CONFIG_FILE


def staging_dir(home: Path) -> Path:
    """Where install writes the add-in and the VBA module before XLSTART gets the add-in."""
    return Path(home) / ".xlwings"


def interpreter() -> str:
    """This Python, windowless (pythonw.exe) when there is one, so Excel shows no console."""
    windowless = Path(sys.executable).with_name("pythonw.exe")
    return str(windowless if windowless.exists() else Path(sys.executable))


def config_encoding() -> str:
    """The code page xlwings.conf is read and written in.

    xlwings' CLI opens it with Python's default (the locale's) encoding and the add-in's VBA
    with ``Open ... For Input`` (xlwings/addin/Config.bas), which reads the Windows ANSI code
    page: ``mbcs`` on Windows (cp1250 on a Polish machine), the locale's encoding elsewhere.
    """
    return "mbcs" if sys.platform == "win32" else locale.getpreferredencoding(False)


def check_representable(python: str, encoding: str) -> None:
    """Refuse an interpreter path that the code page cannot hold, or that would write more
    than a path into xlwings.conf and the settings sheet (a quote, a line break, a control
    character), and a code page that is not one.

    VBA hands the path to xlwings' DLL as an ANSI string (a ``Declare``d function), so a
    character outside the code page would reach Windows as "?" and Python would not start.
    """
    unsafe = [c for c in python if c == '"' or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    if unsafe:
        raise InstallError(
            f"the Python path {shown(python)} holds {shown(unsafe[0])}, which a path never "
            "holds and which would write more than the path into xlwings.conf; give the path "
            "of pythonw.exe as Windows writes it"
        )
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise InstallError(
            f"--encoding {shown(encoding)} is not a code page, e.g. cp1250"
        ) from None
    if codec.name not in SINGLE_BYTE_PAGES and not codec.name.startswith(("cp", "windows", "mbcs")):
        raise InstallError(
            f"--encoding {shown(encoding)} is not a Windows code page, e.g. cp1250 (Polish), "
            "cp1252 (Western)"
        )
    try:
        python.encode(encoding)
    except UnicodeError as exc:
        start, end = getattr(exc, "start", 0), getattr(exc, "end", len(python))
        bad = python[start:end]
        raise InstallError(
            f"the Python path {python} has {bad!r}, which Windows' code page {encoding} cannot "
            "hold, and Excel would not find it; install Python into a folder whose name uses "
            "only letters of that code page (e.g. C:\\Python), then run install again"
        ) from None


# Code pages xlwings' VBA may read xlwings.conf in: Windows' ANSI pages, and UTF-8.
SINGLE_BYTE_PAGES = ("utf-8", "latin-1", "iso8859-2", "ascii", "mbcs")

_LINE = re.compile(r'^"([^"]*)","([^"]*)"\s*$')


def update_config(text: str, python: str) -> str:
    """``xlwings.conf`` content with our module and interpreter set; every other line and
    every line ending as it was."""
    lines = text.splitlines(keepends=True)
    newline = next((line[len(line.rstrip("\r\n")) :] for line in lines), "") or "\r\n"
    if lines and not lines[-1].endswith(("\r", "\n")):
        lines[-1] += newline
    wanted = {"UDF MODULES": None, "INTERPRETER_WIN": python}
    for i, line in enumerate(lines):
        match = _LINE.match(line.rstrip("\r\n"))
        if not match:
            continue
        key, value = match[1].upper(), match[2]
        ending = line[len(line.rstrip("\r\n")) :]
        if key == "UDF MODULES":
            modules = [
                m for m in value.split(";") if m.strip() and m.strip() not in FORMER_UDF_MODULES
            ]
            if UDF_MODULE not in modules:
                modules.append(UDF_MODULE)
            lines[i] = f'"{match[1]}","{";".join(modules)}"{ending}'
            wanted.pop(key, None)
        elif key == "INTERPRETER_WIN":
            lines[i] = f'"{match[1]}","{python}"{ending}'
            wanted.pop(key, None)
    if "UDF MODULES" in wanted:
        lines.append(f'"UDF MODULES","{UDF_MODULE}"{newline}')
    if "INTERPRETER_WIN" in wanted:
        lines.append(f'"INTERPRETER_WIN","{python}"{newline}')
    return "".join(lines)


def merged_config(path: Path, python: str, encoding: str) -> bytes:
    """The bytes of the user's xlwings.conf at ``path`` with our settings merged in."""
    check_representable(python, encoding)
    current = ""
    if path.exists():
        try:
            current = path.read_bytes().decode(encoding)
        except UnicodeDecodeError as exc:
            raise InstallError(
                f"{path} is not in Windows' code page {encoding} (byte {exc.start + 1}); "
                "xlwings could not read it either. Fix or delete it, then run install again"
            ) from None
        except OSError as exc:
            raise InstallError(f"{path} cannot be read ({exc.strerror or exc})") from None
    return update_config(current, python).encode(encoding)


# --- the VBA module ---------------------------------------------------------------------------


@contextlib.contextmanager
def windows_udfs() -> Iterator[tuple[types.ModuleType, types.ModuleType]]:
    """(xlwings.udfs, partner_tiers.excel.udfs as decorated on Windows), on any system.

    On Windows ``xlwings.func``/``arg``/``ret`` are xlwings.udfs' decorators, which record
    each function's ``__xlfunc__`` (name, category, texts) for the VBA module; elsewhere they
    are no-ops. xlwings/udfs.py imports pywin32 (pythoncom, pywintypes, win32com.client) at
    its top, but its decorators and ``generate_vba_wrapper`` only build dictionaries and
    text. Where pywin32 is missing, stand-ins for those modules let it import (nothing calls
    them), and partner_tiers.excel.udfs runs once more under its decorators into a module of its
    own; the modules imported before are left as they were.
    """
    try:
        has_pywin32 = importlib.util.find_spec("pythoncom") is not None
    except ValueError:  # the stand-in of an enclosing windows_udfs(), which has no spec
        has_pywin32 = False
    if has_pywin32:  # pragma: no cover - Windows
        from xlwings import udfs as xl_udfs

        from partner_tiers.excel import udfs

        yield xl_udfs, udfs
        return
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    stand_ins = {
        "pythoncom": types.ModuleType("pythoncom"),
        "pywintypes": types.ModuleType("pywintypes"),
        "win32com": types.ModuleType("win32com"),
        "win32com.client": client,
    }
    stand_ins["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
    stand_ins["pywintypes"].com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    stand_ins["win32com"].client = client  # type: ignore[attr-defined]
    importlib.import_module(UDF_MODULE)  # the imported module, untouched (dataclasses look it up)
    saved = {name: sys.modules.get(name) for name in [*stand_ins, "xlwings.udfs"]}
    decorators = xlwings.func, xlwings.arg, xlwings.ret
    try:
        sys.modules.update(stand_ins)
        sys.modules.pop("xlwings.udfs", None)
        xl_udfs = importlib.import_module("xlwings.udfs")
        windows = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret
        xlwings.func, xlwings.arg, xlwings.ret = windows  # type: ignore[assignment]
        spec = importlib.util.find_spec(UDF_MODULE)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        xlwings.func, xlwings.arg, xlwings.ret = decorators
        yield xl_udfs, module
    finally:
        xlwings.func, xlwings.arg, xlwings.ret = decorators
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def functions(module: types.ModuleType) -> list[dict[str, Any]]:
    """The ``__xlfunc__`` of each Excel function of ``module``, in xlwings' order (dir())."""
    return [
        getattr(module, name).__xlfunc__
        for name in dir(module)
        if hasattr(getattr(module, name), "__xlfunc__")
    ]


def vba_string(text: str) -> str:
    """``text`` as a VBA string literal: quotes doubled; one line of at most 255 characters
    (what MacroOptions keeps), in ASCII so that any code page reads it alike."""
    if len(text) > MACRO_OPTIONS_MAX_TEXT or not text.isascii() or not text.isprintable():
        raise ValueError(f"not a one-line ASCII text of at most 255 characters: {text!r}")
    return '"' + text.replace('"', '""') + '"'


def registration(module: types.ModuleType) -> str:
    """VBA that gives every function its category and texts in the function wizard.

    One ``Application.MacroOptions`` call per function, with the arguments that xlwings'
    ``import_udfs`` gives it (xlwings/udfs.py): the docstring as description, the category,
    and each argument's description. Excel runs a standard module's ``Auto_Open`` when it
    loads an add-in, from XLSTART or from the Add-ins dialog ("Running Code Automatically
    when an Excel Add-in Is Loaded", Microsoft's Office developer documentation).
    """
    lines = [
        "Sub Auto_Open()",
        "    ' Excel runs Auto_Open when it loads the add-in: the function wizard gets its texts.",
        f"    {REGISTER}",
        "End Sub",
        "",
        f"Sub {REGISTER}()",
        "    ' One MacroOptions call per function, as xlwings' import_udfs makes them.",
        "    On Error Resume Next  ' the functions work without their texts: never stop here",
        "    Dim book As String",
        '    book = "\'" & ThisWorkbook.Name & "\'!"',
    ]
    for info in functions(module):
        arguments = [vba_string(arg["doc"]) for arg in info["args"] if not arg["vba"]]
        statement = [
            f'    Application.MacroOptions Macro:=book & "{info["name"]}"',
            f"        Description:={vba_string(info['ret']['doc'])}",
            f"        Category:={vba_string(str(info['category']))}",
        ]
        if arguments:
            statement.append("        ArgumentDescriptions:=Array(" + arguments[0])
            statement += [f"            {text}" for text in arguments[1:]]
            statement[-1] += ")"
        # Split at the commas between arguments: each line but the last ends in ", _".
        lines += [line + ", _" for line in statement[:-1]] + statement[-1:]
    lines += ["End Sub", ""]
    return "\n".join(lines)


def vba_module() -> str:
    """The VBA module for ``partner_tiers.excel.udfs``: xlwings' declarations of the functions, as
    its "Import Functions" writes them for an add-in, and :func:`registration`."""
    with windows_udfs() as (xl_udfs, module):
        out = io.StringIO()
        out.write('Attribute VB_Name = "partner_tiers_udfs"\n')
        out.write(
            f"'Generated by partner-tiers install from xlwings {xlwings.__version__}; "
            "import it into partner_tiers.xlam, do not edit it.\n"
        )
        out.write('#Const App = "Microsoft Excel"\n')
        addin = types.SimpleNamespace(Name=ADDIN_FILE)  # calls then use ActiveWorkbook
        xl_udfs.generate_vba_wrapper(UDF_MODULE, module, out, addin)
        out.write("\n" + registration(module))
    text = out.getvalue()
    # VBA's File > Import reads the file in the ANSI code page, lines ending CRLF.
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# --- the add-in workbook --------------------------------------------------------------------


def addin_template() -> Path:
    """xlwings' custom add-in, shipped with the installed xlwings (same version as its DLL)."""
    return Path(xlwings.__file__).with_name(ADDIN_TEMPLATE)


def addin_workbook(python: str, template: Path | None = None) -> bytes:
    """partner_tiers.xlam: xlwings' custom add-in with its settings sheet switched on and
    holding this interpreter and our UDF module. Only that sheet's cells, its name and the
    file's list of sheet names change; the VBA project is xlwings' own, byte for byte."""
    template = template or addin_template()
    off = "_" + ADDIN_SETTINGS_SHEET
    try:
        with zipfile.ZipFile(template) as src:
            sheet = xlsx_parts.sheet_parts(src).get(off)
            if sheet is None:
                raise InstallError(f"{template} has no settings sheet {off}; reinstall xlwings")
            settings = {"INTERPRETER_WIN": python, "UDF MODULES": UDF_MODULE}
            rows = _label_rows(src, sheet)
            missing = sorted(set(settings) - set(rows))
            if missing:
                raise InstallError(f"{template}: {off} has no row for {', '.join(missing)}")
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for item in src.infolist():
                    data = src.read(item.filename)
                    if item.filename == sheet:
                        xml = re.sub(r'\sspans="[^"]*"', "", data.decode("utf-8"))  # optional
                        cells = {(rows[key], 2): value for key, value in settings.items()}
                        data = xlsx_parts.replace_in_sheet(xml, cells).encode("utf-8")
                    elif item.filename in ("xl/workbook.xml", "docProps/app.xml"):
                        text = data.decode("utf-8")
                        for before in (f'name="{off}"', f">{off}<"):
                            text = text.replace(before, before.replace(off, ADDIN_SETTINGS_SHEET))
                        data = text.encode("utf-8")
                    dst.writestr(item, data)
    except (OSError, zipfile.BadZipFile, KeyError, xlsx_parts.PartError) as exc:
        raise InstallError(f"{template} cannot be read as xlwings' add-in ({exc})") from None
    return out.getvalue()


def _label_rows(archive: zipfile.ZipFile, sheet: str) -> dict[str, int]:
    """The row of each setting named in column A of the settings sheet, by upper-case name."""
    return {
        value.upper(): row
        for (row, col), value in xlsx_parts.sheet_values(archive, sheet).items()
        if col == 1 and isinstance(value, str)
    }


# --- putting it together ------------------------------------------------------------------------


def files(home: Path, python: str, encoding: str) -> dict[str, bytes]:
    """Every file install writes, by name, worked out before anything is written."""
    return {
        CONFIG_FILE: merged_config(config_path(home), python, encoding),
        ADDIN_FILE: addin_workbook(python),
        WRAPPER_FILE: vba_module().encode("ascii"),
    }


def run_xlwings_addin_install(*arguments: str) -> None:  # pragma: no cover - needs Excel
    """``xlwings addin install [--file PATH]``: copies the add-in into Excel's XLSTART."""
    command = "from xlwings.cli import main; main()"
    subprocess.run([sys.executable, "-c", command, "addin", "install", *arguments], check=True)


def plan(home: Path, python: str) -> list[str]:
    """What :func:`install` does, step by step, for printing."""
    stage = staging_dir(home)
    return [
        "install the xlwings add-in into Excel (xlwings addin install)",
        f"add {UDF_MODULE} to the UDF modules and set the interpreter to {python} "
        f"in {config_path(home)}, in Windows' code page",
        f"write {stage / ADDIN_FILE}: xlwings' custom add-in with these settings on its "
        f"{ADDIN_SETTINGS_SHEET} sheet",
        f"write the functions' VBA module to {stage / WRAPPER_FILE}",
        f"copy {ADDIN_FILE} into Excel's XLSTART folder ({XLSTART}) with "
        f"xlwings addin install --file",
    ]


def install(
    home: Path,
    python: str | None = None,
    encoding: str | None = None,
    run_addin_install: Callable[..., None] | None = None,
) -> list[Path]:
    """Do the steps of :func:`plan`; return the files written. Nothing is written when a
    setting cannot be (an :class:`InstallError` says why)."""
    python, encoding = python or interpreter(), encoding or config_encoding()
    contents = files(home, python, encoding)  # every check before anything changes
    run = run_addin_install or run_xlwings_addin_install
    run()
    # xlwings' add-in install writes xlwings.conf when there is none (its conda settings, say):
    # merge into what it wrote.
    contents.pop(CONFIG_FILE)
    config = merged_config(config_path(home), python, encoding)
    written = write_files(config_path(home).parent, {CONFIG_FILE: config})
    written += write_files(staging_dir(home), contents)
    run("--file", str(staging_dir(home) / ADDIN_FILE))
    return written


def dry_run(
    out: Path,
    home: Path,
    python: str | None = None,
    encoding: str | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write every file :func:`install` would write into ``out``, and change nothing else."""
    contents = files(home, python or interpreter(), encoding or config_encoding())
    return write_files(out, contents, overwrite)


EXCEL_STEPS = """\
Then, once, in Excel (the steps that need Excel itself):
  1. Start Excel: partner_tiers.xlam now opens with it, hidden.
  2. Open the VBA editor (Alt+F11) and select MyAddin (partner_tiers.xlam) in the Project window.
  3. Choose File > Import File... > {wrapper}
  4. Choose File > Save partner_tiers.xlam, close the VBA editor and restart Excel.
  5. Type =PARTNER_TIER(45000) in any workbook: Silver. Shift+F3 lists them under Partner Tiers.
After upgrading xlwings, run partner-tiers install again and repeat steps 2 to 4."""
