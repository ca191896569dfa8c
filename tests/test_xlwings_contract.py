"""The contract with xlwings' Windows machinery, checked on any OS.

On Windows, ``xlwings.func``/``arg``/``ret`` are the decorators of ``xlwings.udfs``, and
Excel's "Import Functions" asks ``xlwings.udfs.generate_vba_wrapper`` for the VBA module
that declares every function. Elsewhere those decorators are no-ops. Here the COM modules
are stubbed so that the real ``xlwings.udfs`` imports, ``partner_tiers.excel.udfs`` is imported
again under its decorators, and xlwings writes the VBA wrapper that Excel would get.
"""

from __future__ import annotations

import ast
import io
import re
import types
from pathlib import Path

import xlwings

from partner_tiers.excel import cells

from .fixtures import EXPECTED

DATA = {"ndim": 2, "err_to_str": True}
OPTIONAL_ORDER = ["program", "certified_sales", "certified_engineers"]


def _vba(windows_udfs) -> str:
    xl_udfs, module = windows_udfs
    out = io.StringIO()
    workbook = types.SimpleNamespace(Name="partner_tiers.xlam")
    xl_udfs.generate_vba_wrapper("partner_tiers.excel.udfs", module, out, workbook)
    return out.getvalue()


def test_xlwings_declares_every_function_with_its_arguments_in_order(windows_udfs):
    vba = _vba(windows_udfs)
    declared = dict(re.findall(r"^Function (\w+)\((.*)\)$", vba, re.MULTILINE))
    assert declared == EXPECTED
    for name in EXPECTED:  # each passes its arguments, in order, to our module
        args = EXPECTED[name].replace("Optional ", "")
        call = f'{name} = XLPy.CallUDF("partner_tiers.excel.udfs", "{name}", Array({args}), '
        assert call in vba


def test_the_function_wizard_gets_a_category_and_a_description_for_everything(windows_udfs):
    _, module = windows_udfs
    for name in EXPECTED:
        info = getattr(module, name).__xlfunc__
        assert info["category"] == "Partner Tiers"
        assert 20 < len(info["ret"]["doc"]) <= 255, name  # Excel's MacroOptions keeps 255
        for arg in info["args"]:
            assert not arg["doc"].startswith("Positional argument"), (name, arg["name"])
            assert 10 < len(arg["doc"]) <= 255, (name, arg["name"])


def test_ranges_arrive_as_rows_of_cells_with_errors_as_text(windows_udfs):
    _, module = windows_udfs
    for name in EXPECTED:
        for arg in getattr(module, name).__xlfunc__["args"]:
            options = arg["options"]
            assert "convert" not in options, "an annotation would become a converter"
            assert options.get("err_to_str") is True, (name, arg["name"])
            if name != "TIER_TABLE":
                assert options.get("ndim") == 2, (name, arg["name"])


def test_optional_arguments_keep_one_order_everywhere(windows_udfs):
    _, module = windows_udfs
    for name in EXPECTED:
        args = [a for a in getattr(module, name).__xlfunc__["args"] if "optional" in a]
        shared = [a["name"] for a in args if a["name"] in OPTIONAL_ORDER]
        assert shared == OPTIONAL_ORDER[: len(shared)], name
        assert all(a["optional"] is None for a in args)  # a missing argument arrives as None


def test_the_functions_still_compute_under_the_windows_decorators(windows_udfs):
    _, module = windows_udfs
    assert module.PARTNER_TIER([[9_999.99], [10_000]]) == [["Authorized"], ["Silver"]]


def _xlwings_cell_errors() -> dict[int, str]:
    """xlwings' own table of COM error codes, read from its Windows engine's source."""
    source = Path(xlwings.__file__).with_name("_xlwindows.py").read_text("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "cell_errors":
            return ast.literal_eval(node.value)
    raise AssertionError("xlwings._xlwindows has no cell_errors table any more")


def test_error_cells_are_recognised_whether_xlwings_names_them_or_not():
    from partner_tiers.excel import udfs

    xlwings_errors = _xlwings_cell_errors()
    assert len(xlwings_errors) >= 7
    for com_code, text in xlwings_errors.items():
        assert cells.ERROR_CODES[com_code - cells.COM_ERROR_BASE] == text
        # err_to_str=True hands the text over; both forms give the same message.
        assert udfs.PARTNER_TIER(text) == udfs.PARTNER_TIER(com_code)
        assert udfs.PARTNER_TIER(com_code) == f"#VALUE! revenue holds the error {text}"
    spill = cells.COM_ERROR_BASE + 2045  # newer than xlwings' table: arrives as an integer
    assert udfs.PARTNER_TIER(spill) == "#VALUE! revenue holds the error #SPILL!"
    assert set(cells.ERROR_CODES.values()) <= set(cells.ERROR_VALUES)
