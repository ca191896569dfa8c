"""``partner-tiers install``: the xlwings settings and the VBA module, against a temporary home."""

from __future__ import annotations

import re
import sys

from partner_tiers import cli, install

from .test_xlwings_contract import EXPECTED


def test_elsewhere_than_windows_it_says_what_it_would_do_and_changes_nothing(tmp_path, capsys):
    if sys.platform == "win32":  # pragma: no cover
        return
    code = cli.main(["install", "--home", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "nothing was changed" in err
    assert "xlwings addin install" in err and str(install.config_path(tmp_path)) in err
    assert str(install.wrapper_path(tmp_path)) in err
    assert list(tmp_path.iterdir()) == []


def test_config_keeps_other_settings_and_modules(tmp_path):
    conf = install.config_path(tmp_path)
    conf.parent.mkdir()
    conf.write_text('"INTERPRETER_WIN","C:\\\\old\\\\python.exe"\n"UDF MODULES","budget;tools"\n'
                    '"DEBUG UDFS","FALSE"\n', "utf-8")  # fmt: skip
    install.write_config(tmp_path, "C:\\Py\\pythonw.exe")
    install.write_config(tmp_path, "C:\\Py\\pythonw.exe")  # twice: no duplicates
    assert conf.read_text("utf-8") == (
        '"INTERPRETER_WIN","C:\\Py\\pythonw.exe"\n'
        '"UDF MODULES","budget;tools;partner_tiers.udfs"\n'
        '"DEBUG UDFS","FALSE"\n'
    )


def test_config_is_created_in_a_new_home(tmp_path):
    path = install.write_config(tmp_path / "home", "C:\\Py\\pythonw.exe")
    assert path == tmp_path / "home" / ".xlwings" / "xlwings.conf"
    assert path.read_text("utf-8") == (
        '"UDF MODULES","partner_tiers.udfs"\n"INTERPRETER_WIN","C:\\Py\\pythonw.exe"\n'
    )


def test_on_windows_it_installs_configures_and_writes_the_vba_module(
    tmp_path, capsys, monkeypatch, windows_udfs
):
    calls = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(install, "install_addin", lambda: calls.append("addin install"))
    assert cli.main(["install", "--home", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert calls == ["addin install"]
    config = install.config_path(tmp_path).read_text("utf-8")
    assert '"UDF MODULES","partner_tiers.udfs"' in config and "INTERPRETER_WIN" in config
    wrapper = install.wrapper_path(tmp_path).read_bytes()
    assert wrapper.startswith(b'Attribute VB_Name = "partner_tiers_udfs"\r\n')
    text = wrapper.decode("cp1252")
    declared = dict(re.findall(r"^Function (\w+)\((.*)\)\r$", text, re.MULTILINE))
    assert declared == EXPECTED
    assert f"Wrote {install.wrapper_path(tmp_path)}" in out and "File > Import File" in out
