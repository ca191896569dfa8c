"""``partner-tiers install``: the add-in, the VBA module and the settings, against a temporary home.

What Excel does with these files cannot be run here; what is checked is what Excel and
xlwings' VBA read: the VBA module's text, the add-in's parts and the settings' bytes.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile

import pytest
from defusedxml import ElementTree

from partner_tiers import cli
from partner_tiers.excel import install
from partner_tiers.files import xlsx_parts

from .fixtures import EXPECTED, VBA_MAX_CONTINUATIONS, VBA_MAX_LINE

POLISH_PYTHON = "C:\\Users\\Łukasz\\AppData\\Local\\Programs\\Python\\Python312\\pythonw.exe"


# --- xlwings.conf --------------------------------------------------------------------------


def test_config_keeps_other_settings_and_modules(tmp_path):
    conf = install.config_path(tmp_path)
    conf.parent.mkdir()
    conf.write_bytes(
        b'"INTERPRETER_WIN","C:\\old\\python.exe"\r\n"UDF MODULES","budget;tools"\r\n'
        b'"DEBUG UDFS","FALSE"\r\n'
    )
    once = install.merged_config(conf, "C:\\Py\\pythonw.exe", "cp1252")
    conf.write_bytes(once)
    assert install.merged_config(conf, "C:\\Py\\pythonw.exe", "cp1252") == once  # no duplicates
    assert once == (
        b'"INTERPRETER_WIN","C:\\Py\\pythonw.exe"\r\n'
        b'"UDF MODULES","budget;tools;partner_tiers.excel.udfs"\r\n'
        b'"DEBUG UDFS","FALSE"\r\n'
    )


def test_the_module_name_of_an_earlier_install_is_replaced(tmp_path):
    """Installs before 0.1.0 named partner_tiers.udfs, a module that is gone (CHANGELOG)."""
    conf = install.config_path(tmp_path)
    conf.parent.mkdir()
    conf.write_bytes(b'"UDF MODULES","budget;partner_tiers.udfs;tools"\r\n')
    data = install.merged_config(conf, "C:\\Py\\pythonw.exe", "cp1252")
    assert data.startswith(b'"UDF MODULES","budget;tools;partner_tiers.excel.udfs"\r\n')


def test_a_new_config_is_written_with_windows_line_ends(tmp_path):
    data = install.merged_config(tmp_path / "none.conf", "C:\\Py\\pythonw.exe", "cp1250")
    assert data == (
        b'"UDF MODULES","partner_tiers.excel.udfs"\r\n"INTERPRETER_WIN","C:\\Py\\pythonw.exe"\r\n'
    )


def test_a_cp1250_config_with_a_polish_path_survives_install(tmp_path):
    conf = install.config_path(tmp_path)
    conf.parent.mkdir()
    kept = '"PYTHONPATH","C:\\Users\\Łukasz\\Dokumenty\\Źródła"\r\n"SHOW CONSOLE","FALSE"\n'
    original = ('"INTERPRETER_WIN","C:\\Users\\Łukasz\\stary\\python.exe"\r\n' + kept).encode(
        "cp1250"
    )
    conf.write_bytes(original)
    data = install.merged_config(conf, POLISH_PYTHON, "cp1250")
    assert data.decode("cp1250") == (
        f'"INTERPRETER_WIN","{POLISH_PYTHON}"\r\n'
        + kept
        + '"UDF MODULES","partner_tiers.excel.udfs"\r\n'
    )
    assert kept.encode("cp1250") in data  # every other line, byte for byte
    assert "Ł".encode("cp1250") in data and "Ł".encode() not in data  # not UTF-8


def test_a_path_the_code_page_cannot_hold_is_refused_and_nothing_is_written(tmp_path, capsys):
    home, out = tmp_path / "home", tmp_path / "out"
    conf = install.config_path(home)
    conf.parent.mkdir(parents=True)
    conf.write_bytes('"PYTHONPATH","C:\\Łódź"\r\n'.encode("cp1250"))
    python = "C:\\Users\\李雷\\python\\pythonw.exe"
    args = [
        "install",
        "--dry-run",
        "--out",
        str(out),
        "--home",
        str(home),
        "--python",
        python,
        "--encoding",
        "cp1250",
    ]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "'李雷'" in err and "cp1250" in err and "nothing was changed" in err
    assert not out.exists() and conf.read_bytes() == '"PYTHONPATH","C:\\Łódź"\r\n'.encode("cp1250")


def test_a_config_in_another_code_page_gets_a_message_naming_it(tmp_path):
    conf = tmp_path / "xlwings.conf"
    conf.write_bytes(b'"PYTHONPATH","C:\\\x81"\r\n')  # 0x81 is no character in cp1250
    with pytest.raises(install.InstallError, match=r"xlwings.conf is not in .* cp1250 \(byte 18\)"):
        install.merged_config(conf, "C:\\Py\\pythonw.exe", "cp1250")


# --- the VBA module --------------------------------------------------------------------------


def _vba_strings(text: str) -> list[str]:
    """The string literals of a piece of VBA, quotes undoubled."""
    return [s.replace('""', '"') for s in re.findall(r'"((?:[^"]|"")*)"', text)]


def _statements(vba: str) -> list[tuple[list[str], str]]:
    """Each statement as (its physical lines, the lines joined), line continuations undone."""
    statements, lines = [], []
    for line in vba.split("\r\n"):
        lines.append(line)
        if not line.endswith(" _"):
            statements.append((lines, " ".join(p.removesuffix(" _").strip() for p in lines)))
            lines = []
    return statements


def test_the_vba_module_registers_every_function_with_its_python_texts(windows_udfs):
    _, module = windows_udfs
    vba = install.vba_module()
    assert "\n" not in vba.replace("\r\n", "") and vba.isascii()
    registered = {}
    for lines, statement in _statements(vba):
        assert len(lines) - 1 <= VBA_MAX_CONTINUATIONS, statement
        assert all(len(line) <= VBA_MAX_LINE for line in lines)
        match = re.match(r'\s*Application\.MacroOptions Macro:=book & "(\w+)", (.*)$', statement)
        if match:
            assert match[1] not in registered, f"{match[1]} registered twice"
            registered[match[1]] = match[2]
    assert sorted(registered) == sorted(EXPECTED)
    for name, rest in registered.items():
        info = getattr(module, name).__xlfunc__
        arguments = [a["doc"] for a in info["args"]]
        assert _vba_strings(rest) == [info["ret"]["doc"], info["category"], *arguments], name
        assert rest.startswith("Description:=") and ", Category:=" in rest
        assert ("ArgumentDescriptions:=Array(" in rest) == bool(arguments)


def test_the_registration_runs_when_the_add_in_loads():
    vba = install.vba_module()
    auto_open = re.search(r"^Sub Auto_Open\(\)\r\n(.*?)^End Sub", vba, re.MULTILINE | re.DOTALL)
    assert auto_open and re.search(rf"^\s+{install.REGISTER}\r$", auto_open[1], re.MULTILINE)
    assert f"\r\nSub {install.REGISTER}()\r\n" in vba
    assert 'book = "\'" & ThisWorkbook.Name & "\'!"' in vba  # the add-in's own functions


def test_the_vba_module_declares_every_function_as_xlwings_does():
    vba = install.vba_module()
    assert vba.startswith('Attribute VB_Name = "partner_tiers_udfs"\r\n')
    declared = dict(re.findall(r"^Function (\w+)\((.*)\)\r$", vba, re.MULTILINE))
    assert declared == EXPECTED
    assert 'PARTNER_TIER = XLPy.CallUDF("partner_tiers.excel.udfs", "PARTNER_TIER"' in vba


@pytest.mark.parametrize("text", ['He said "Gold"', "x" * 255])
def test_vba_strings_double_their_quotes_and_keep_255_characters(text):
    literal = install.vba_string(text)
    assert _vba_strings(literal) == [text]


@pytest.mark.parametrize("text", ["x" * 256, "two\nlines", "zł"])
def test_a_text_vba_or_macro_options_would_spoil_is_refused(text):
    with pytest.raises(ValueError, match="one-line ASCII"):
        install.vba_string(text)


def test_importing_the_windows_udfs_leaves_the_loaded_modules_alone():
    import xlwings

    from partner_tiers.excel import udfs

    before = (sys.modules.get("xlwings.udfs"), xlwings.func, udfs.PARTNER_TIER)
    with install.windows_udfs() as (_, module):
        assert module is not udfs and hasattr(module.PARTNER_TIER, "__xlfunc__")
    assert (sys.modules.get("xlwings.udfs"), xlwings.func, udfs.PARTNER_TIER) == before
    assert "pythoncom" not in sys.modules or sys.platform == "win32"


# --- the add-in ---------------------------------------------------------------------------------


def _settings_sheet(data: bytes) -> tuple[list[str], dict[str, str]]:
    """(sheet names, {setting: value}) of an add-in, read as xlwings' VBA reads its sheet:
    column A from A1 down to the first empty cell, the value beside each."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = xlsx_parts.sheet_parts(archive)
        main = xlsx_parts.MAIN
        shared = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        strings = ["".join(t.text or "" for t in si.iter(f"{main}t")) for si in shared]
        values = {}
        for cell in ElementTree.fromstring(archive.read(parts[install.ADDIN_SETTINGS_SHEET])).iter(
            f"{main}c"
        ):
            if cell.get("t") == "s":
                values[cell.get("r")] = strings[int(cell.find(f"{main}v").text)]
            elif cell.get("t") == "inlineStr":
                values[cell.get("r")] = "".join(t.text or "" for t in cell.iter(f"{main}t"))
    settings, row = {}, 1
    while f"A{row}" in values:
        settings[values[f"A{row}"].upper()] = values.get(f"B{row}", "")
        row += 1
    return list(parts), settings


def test_the_add_in_is_xlwings_custom_add_in_with_its_settings_sheet_on(tmp_path):
    data = install.addin_workbook(POLISH_PYTHON)
    names, settings = _settings_sheet(data)
    assert names == [install.ADDIN_SETTINGS_SHEET]  # "_myaddin.conf" is switched off
    assert settings["INTERPRETER_WIN"] == POLISH_PYTHON
    assert settings["UDF MODULES"] == "partner_tiers.excel.udfs"
    assert {"PYTHONPATH", "CONDA PATH", "SHOW CONSOLE"} <= set(settings)  # xlwings' rows stay
    with (
        zipfile.ZipFile(install.addin_template()) as original,
        zipfile.ZipFile(io.BytesIO(data)) as copy,
    ):
        assert copy.namelist() == original.namelist()
        changed = {"xl/workbook.xml", xlsx_parts.sheet_parts(copy)[install.ADDIN_SETTINGS_SHEET]}
        for name in original.namelist():  # the VBA project above all: xlwings' own
            assert (copy.read(name) == original.read(name)) == (name not in changed), name


# --- the command ------------------------------------------------------------------------------


def test_dry_run_writes_every_file_install_would_write_and_nothing_else(tmp_path, capsys):
    home, out = tmp_path / "home", tmp_path / "out"
    conf = install.config_path(home)
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"SHOW CONSOLE","TRUE"\r\n')
    args = [
        "install",
        "--dry-run",
        "--out",
        str(out),
        "--home",
        str(home),
        "--python",
        POLISH_PYTHON,
        "--encoding",
        "cp1250",
    ]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [install.ADDIN_FILE, install.WRAPPER_FILE, install.CONFIG_FILE]
    )
    assert (
        (out / install.CONFIG_FILE)
        .read_bytes()
        .decode("cp1250")
        .startswith('"SHOW CONSOLE","TRUE"\r\n"UDF MODULES","partner_tiers.excel.udfs"\r\n')
    )
    assert (out / install.WRAPPER_FILE).read_bytes().decode("ascii") == install.vba_module()
    assert _settings_sheet((out / install.ADDIN_FILE).read_bytes())[1]["INTERPRETER_WIN"] == (
        POLISH_PYTHON
    )
    assert sorted(p.name for p in conf.parent.iterdir()) == [install.CONFIG_FILE]
    assert conf.read_bytes() == b'"SHOW CONSOLE","TRUE"\r\n'
    assert "XLSTART" in printed and "Nothing else was changed" in printed
    assert cli.main(args) == 1  # never over existing files without --force
    assert cli.main([*args, "--force"]) == 0


def test_dry_run_and_out_go_together(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["install", "--out", str(tmp_path)])
    assert exit_.value.code == 2


def test_elsewhere_than_windows_it_says_what_it_would_do_and_changes_nothing(tmp_path, capsys):
    if sys.platform == "win32":  # pragma: no cover
        return
    code = cli.main(["install", "--home", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "nothing was changed" in err and "--dry-run" in err
    assert "xlwings addin install --file" in err and str(install.config_path(tmp_path)) in err
    assert list(tmp_path.iterdir()) == []


def test_on_windows_it_installs_both_add_ins_and_writes_the_files(tmp_path, capsys, monkeypatch):
    calls = []
    conda = '"CONDA PATH","C:\\Users\\Łukasz\\miniconda3"\r\n"CONDA ENV","base"\r\n'

    def xlwings_addin_install(*arguments):
        calls.append(arguments)
        if not arguments:  # as xlwings' config_create: a new xlwings.conf, conda settings
            install.config_path(tmp_path).parent.mkdir(parents=True, exist_ok=True)
            install.config_path(tmp_path).write_bytes(conda.encode("cp1250"))

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(install, "config_encoding", lambda: "cp1250")
    monkeypatch.setattr(install, "run_xlwings_addin_install", xlwings_addin_install)
    assert cli.main(["install", "--home", str(tmp_path), "--python", POLISH_PYTHON]) == 0
    out = capsys.readouterr().out
    staged = install.staging_dir(tmp_path)
    assert calls == [(), ("--file", str(staged / install.ADDIN_FILE))]
    config = install.config_path(tmp_path).read_bytes().decode("cp1250")
    assert config.startswith(conda) and f'"INTERPRETER_WIN","{POLISH_PYTHON}"' in config
    assert (staged / install.WRAPPER_FILE).read_bytes().decode("ascii") == install.vba_module()
    assert (staged / install.ADDIN_FILE).read_bytes() == install.addin_workbook(POLISH_PYTHON)
    assert f"File > Import File... > {staged / install.WRAPPER_FILE}" in out
    assert "After upgrading xlwings, run partner-tiers install again" in out


def test_a_dry_run_elsewhere_than_windows_needs_the_windows_interpreter(tmp_path, capsys):
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("on Windows the dry run may take this Python")
    out = tmp_path / "out"
    code = cli.main(["install", "--dry-run", "--out", str(out), "--home", str(tmp_path / "h")])
    err = capsys.readouterr().err
    assert code == 1 and "install --dry-run needs --python" in err and not out.exists()


def test_a_dry_run_prints_the_steps_in_excel_as_install_does(tmp_path, capsys):
    argv = ["install", "--dry-run", "--out", str(tmp_path / "out"), "--home", str(tmp_path / "h")]
    assert cli.main([*argv, "--python", "C:\\Python312\\pythonw.exe", "--encoding", "cp1250"]) == 0
    printed = capsys.readouterr().out
    assert "Then, once, in Excel" in printed and "File > Import File..." in printed
