"""The add-in's functions inside the engine, called as xlwings calls them from Excel.

xlwings hands a function blank cells as None and error cells as their text, one call per
range; a None result arrives in Excel as an empty cell. The functions themselves come from
the caller (``partner_tiers.excel.udfs.FUNCTIONS``): the engine imports nothing of Excel's.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from partner_tiers.error_values import ExcelError
from partner_tiers.formulas.values import is_grid


def udf_arity(function: Callable[..., Any]) -> tuple[int, int]:
    """(required, total) number of arguments of an add-in function."""
    parameters = inspect.signature(inspect.unwrap(function)).parameters.values()
    required = sum(1 for p in parameters if p.default is inspect.Parameter.empty)
    return required, len(parameters)


def to_xlwings(value: Any) -> Any:
    """A value as xlwings hands it to a function: blanks as None, errors as their text."""
    if is_grid(value):
        return [[to_xlwings(v) for v in row] for row in value]
    if isinstance(value, ExcelError):
        return value.code
    return None if value == "" else value


def from_xlwings(value: Any) -> Any:
    """A function's answer as Excel shows it: a None (blank) result arrives as ""."""
    if isinstance(value, list | tuple):
        rows = [list(r) for r in value] if value and isinstance(value[0], list | tuple) else [value]
        return [["" if v is None else v for v in row] for row in rows]
    return "" if value is None else value
