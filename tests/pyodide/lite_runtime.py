"""What xlwings Lite does around a custom function call, for the tests: registration
(``meta``), the arguments as Excel hands them over, and the result as Excel receives it.

It follows xlwings 0.37.8's source, the code Lite runs:

- ``xlwings/pro/udfs_officejs.py``: ``custom_functions_meta`` lists every member of the
  user's module with ``__xlfunc__``; the Excel name is the upper-case Python name, after
  ``NAMESPACE.`` when the function or its defining module
  (``__xlwings_func_namespace__``) sets one. ``custom_functions_call`` looks the function
  up by name on the module, makes a one-cell range a single value (``to_scalar``), gives an
  empty single cell the parameter's default and reads every other argument through the
  value converter with the parameter's options.
- ``xlwings/conversion/standard.py``: that reader makes the value two-dimensional, cleans
  each cell (``_xlofficejs.clean_value_data``) and then applies ``ndim``. The writer makes
  the result two-dimensional and prepares each cell (``prepare_xl_data_element``).
- ``xlwings/pro/_xlofficejs.py``: an empty cell (``""``) becomes ``None``; an error cell is
  an object ``{"type": "Error", "basicValue": "#N/A", ...}``, its text with ``err_to_str``
  and ``None`` without it. Date-formatted cells are plain serial numbers (Office.js gives
  custom functions no number formats). In a result, ``None`` becomes ``""`` and a text that
  is exactly an error value becomes an error object.

Run as a script: ``python lite_runtime.py CALLS.json OUT.json`` reads a list of
``[function, [arguments...]]`` in Office.js shapes and writes the results.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import time
from typing import Any

# _xlofficejs.errorstr_to_errortype: the error values Office.js knows by type.
ERROR_TYPES = {
    "#DIV/0!": "Div0",
    "#N/A": "NotAvailable",
    "#NAME?": "Name",
    "#NULL!": "Null",
    "#NUM!": "Num",
    "#REF!": "Ref",
    "#VALUE!": "Value",
}


def error_cell(code: str) -> dict[str, str]:
    """An error cell as Office.js hands it to a custom function."""
    return {"type": "Error", "basicValue": code, "errorType": ERROR_TYPES.get(code, "Value")}


def meta(module: Any) -> list[dict[str, Any]]:
    """The functions Lite registers from ``module``: Excel name, description, parameters."""
    functions = []
    for _, obj in inspect.getmembers(module):
        if not hasattr(obj, "__xlfunc__"):
            continue
        declared = obj.__xlfunc__
        namespace = declared.get("namespace")
        if namespace is None:
            namespace = getattr(inspect.getmodule(obj), "__xlwings_func_namespace__", None)
        name = declared["name"].upper()
        display = declared.get("excel_name") or name
        functions.append(
            {
                "id": name,
                "name": f"{namespace.upper()}.{display}" if namespace else display,
                "description": declared["ret"]["doc"],
                "parameters": [
                    {
                        "name": a["name"],
                        "description": a["doc"],
                        "optional": "optional" in a,
                        "options": a["options"],
                    }
                    for a in declared["args"]
                ],
                "ignored": declared.get("ignored", []),
            }
        )
    return functions


def _to_scalar(value: Any) -> Any:
    if isinstance(value, list | tuple) and len(value) == 1:
        if isinstance(value[0], list | tuple) and len(value[0]) == 1:
            return value[0][0]
        return value[0]
    return value


def _clean(value: Any, err_to_str: bool) -> Any:
    if value == "":
        return None
    if isinstance(value, dict):
        if value["type"] == "Error":
            return value["basicValue"] if err_to_str else None
        return value["basicValue"]
    return value


def _read(value: Any, options: dict[str, Any]) -> Any:
    rows = value if isinstance(value, list) else [value]
    rows = rows if rows and isinstance(rows[0], list) else [rows]
    rows = [[_clean(c, options.get("err_to_str", False)) for c in row] for row in rows]
    ndim = options.get("ndim")
    if ndim == 2:
        return rows
    if ndim in (None, "squeeze") or ndim == 1:
        if len(rows) == 1:
            return rows[0][0] if len(rows[0]) == 1 and ndim != 1 else rows[0]
        return [r[0] for r in rows] if len(rows[0]) == 1 else rows
    raise ValueError(f"ndim={ndim!r} is not emulated")


def _write(result: Any) -> list[list[Any]]:
    rows = result if isinstance(result, list | tuple) else [result]
    rows = rows if rows and isinstance(rows[0], list | tuple) else [rows]
    return [[_prepared(c) for c in row] for row in rows]


def _prepared(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value in ERROR_TYPES:
        return {"type": "Error", "errorType": ERROR_TYPES[value]}
    return value


def call(module: Any, func_name: str, args: list[Any]) -> list[list[Any]]:
    """One custom function call as Lite makes it: arguments in, result out."""
    function = getattr(module, func_name)
    infos = function.__xlfunc__["args"]
    values = []
    for i, raw in enumerate(args):
        info = infos[min(i, len(infos) - 1)]
        value = _to_scalar(raw)
        values.append(info.get("optional") if value is None else _read(value, info["options"]))
    return _write(function(*values))


def main(calls_path: str, out_path: str, module_name: str = "main") -> None:
    module = importlib.import_module(module_name)
    with open(calls_path, encoding="utf-8") as calls_file:
        calls = json.load(calls_file)
    results, seconds = [], []
    for name, args in calls:
        started = time.perf_counter()
        results.append(call(module, name, args))
        seconds.append(time.perf_counter() - started)
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump({"results": results, "seconds": seconds, "meta": meta(module)}, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
