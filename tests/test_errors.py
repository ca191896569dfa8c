"""One error family: every error the package raises on purpose is a PartnerTiersError."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import partner_tiers
from partner_tiers.errors import BadValue, PartnerTiersError
from partner_tiers.excel import cells, udfs
from partner_tiers.review import sales_fields
from partner_tiers.rules.programs import UnknownProgram


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(partner_tiers.__path__, "partner_tiers."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == info.name:
                found.append(value)
    return found


def test_every_error_class_of_the_package_is_in_the_family():
    classes = _exception_classes()
    assert len(classes) >= 15  # the walk found the package's errors
    assert [c.__qualname__ for c in classes if not issubclass(c, PartnerTiersError)] == []


def test_a_cell_shows_every_error_of_the_family_in_one_way():
    assert cells.message(cells.CellError("revenue is odd")) == "#VALUE! revenue is odd"
    assert cells.message(UnknownProgram("x", ["a"])) == "#VALUE! unknown program 'x'; known: a"
    assert cells.message(KeyError("k")).startswith("#VALUE! unexpected problem (KeyError")
    assert udfs.PARTNER_TIER(1, "x").startswith("#VALUE! unknown program 'x'; known: ")


@pytest.mark.parametrize(
    ("convert", "value"),
    [
        (lambda v: cells.money(v, "revenue"), "abc"),
        (lambda v: cells.count(v, "certified_sales"), -1),
        (lambda v: cells.text(v, "program"), 5),
        (sales_fields.parse_date, "31.02.2026"),
        (sales_fields.parse_quarter, "Q5"),
        (sales_fields.whole_number, "1.5"),
        (sales_fields.yes_no, "maybe"),
        (lambda v: sales_fields.parse_amount(v, ","), "12,50,0"),
    ],
)
def test_every_value_converter_raises_one_error_that_says_what_is_wrong(convert, value):
    with pytest.raises(BadValue) as raised:
        convert(value)
    assert raised.value.problem and "Traceback" not in raised.value.problem
