"""The calls the Pyodide test makes, as xlwings Lite hands them over (Office.js shapes).

A range is a list of rows; a one-cell range may arrive as ``[[value]]`` and becomes a
single value in Lite; an empty cell is ``None`` (alone) or ``""`` (in a range); an error
cell is an object; a date-formatted cell is its serial number. Every function is called,
with columns holding blanks, bad text and error values, in both languages, and with a
program defined in the workbook (PROGRAM_DEFINE, called before the calls that use it).
"""

from __future__ import annotations

from typing import Any

from .fixtures import VALID


def error_cell(code: str) -> dict[str, str]:
    """An error cell as Office.js gives it (``errorType`` as Excel names it)."""
    kinds = {"#N/A": "NotAvailable", "#DIV/0!": "Div0", "#REF!": "Ref", "#VALUE!": "Value"}
    return {"type": "Error", "basicValue": code, "errorType": kinds[code]}


def column(*values: Any) -> list[list[Any]]:
    return [[v] for v in values]


NA, DIV0, REF = error_cell("#N/A"), error_cell("#DIV/0!"), error_cell("#REF!")
DATE_2025_01_01 = 45658  # a date-formatted cell: Lite hands over the serial number
DEFINITION = column(*VALID.splitlines())
# A program of two paths to Gold, as a workbook defines it, and a table of its metrics.
TWO_PATHS = column(
    'id = "lite-two-paths"',
    'vendor = "Example"',
    'name = "Two paths"',
    'currency = "USD"',
    "fiscal_year_start_month = 2",
    'basis = "revenue and services revenue"',
    'source = "invented for the tests"',
    "[metrics.services_revenue]",
    'kind = "revenue"',
    'scope = "services"',
    "[[tiers]]",
    'name = "Registered"',
    "[[tiers]]",
    'name = "Gold"',
    'requires = { any = [ { name = "revenue path", all = [ { metric = "revenue", min = 300 }, '
    '{ metric = "services_revenue", min = 40 } ] }, { name = "training path", all = [ '
    '{ metric = "revenue", min = 50 }, { metric = "certified_engineers", min = 4 } ] } ] }',
)
TWO_PATHS_TABLE = [
    ["revenue", "Services revenue", "certified_engineers"],
    [400, 50, 0],
    [60, 0, 3],
    [None, None, None],
    [60, "x", 3],
]

CALLS: list[tuple[str, list[Any]]] = [
    ("PARTNER_TIER", [45000]),
    ("PARTNER_TIER", [column(9999.99, 10000, None, "abc", NA, "")]),
    ("PARTNER_TIER", [[[45000]]]),  # a one-cell range
    ("PARTNER_TIER", [[[10000, 60000, 200000]]]),  # one row
    ("PARTNER_TIER", [45000, "sophos-pre-2019"]),
    ("PARTNER_TIER", [150000, None, 1, 2]),
    ("PARTNER_TIER", [None]),  # an empty cell
    ("PARTNER_TIER", [DATE_2025_01_01]),
    ("PARTNER_TIER", ["10000"]),
    ("PARTNER_TIER", [True]),
    ("PARTNER_TIER", [45000, REF]),
    ("PARTNER_TIER", [column(1000, 20000), column("sophos-2019", "sophos-pre-2019")]),
    ("NEXT_TIER", [column(0, 10000, 200000)]),
    ("NEXT_TIER", [DIV0]),
    ("GAP_TO_NEXT", [45000]),
    ("GAP_TO_NEXT", [column(0, 59999.99, 1e9, -5)]),
    ("GAP_TO_NEXT", [45000, "sophos-2020"]),
    ("GAP_TO_NEXT", [[[45000]], [["sophos-2019"]]]),
    ("TIER_PROGRESS", [column(10000, 35000, None)]),
    ("TIER_THRESHOLD", ["Gold"]),
    ("TIER_THRESHOLD", [column("silver", "Platinum", "Bronze"), "sophos-pre-2019"]),
    ("TIER_THRESHOLD", [DATE_2025_01_01]),
    ("TIER_CHANGE", [column(30000, 70000, 180000), None, "sophos-2019"]),
    ("TIER_CHANGE", [50000, "sophos-pre-2019", "sophos-2019"]),
    ("PROJECTED_TIER", [30000, 2]),
    ("PROJECTED_TIER", [column(5000, None, "x"), 3, "sophos-2019"]),
    ("PROJECTED_TIER", [30000, 5]),
    ("PROJECTED_TIER", [30000, DATE_2025_01_01]),
    ("REQUIRED_PER_QUARTER", [30000, 2, None, "Platinum"]),
    ("REQUIRED_PER_QUARTER", [30000, 4, None, "Gold"]),
    ("REQUIRED_PER_QUARTER", [column(1000, 100000), 1]),
    ("TIER_EXPLAIN", [45000]),
    ("TIER_EXPLAIN", [45000, None, None, None, "pl"]),
    ("TIER_EXPLAIN", [column(0, 250000), "sophos-pre-2019", 1, 1, "pl"]),
    ("TIER_EXPLAIN", [45000, None, None, None, "de"]),
    ("TIER_EXPLAIN", [column(NA, 1000)]),
    ("TIER_EXPLAIN", [250000, None, None, None, "pl", 23807.2, 2]),  # at risk: keeping it
    ("TIER_EXPLAIN", [column(250000, 45000), None, None, None, None, column(23807.2, NA), 4]),
    (
        "CERTIFIED_PEOPLE",
        [
            column("Acme", "ACME", "Beta", ""),
            column("", "5260001246", "", ""),
            column(1, "", "", ""),
            column("", "", 2, ""),
            [
                ["acme", "", "Ewa", "Sales", "C", 46477],  # a date cell: its serial
                ["ACME", "PL 526-000-12-46", "Jan", "Inżynier", "C", 46000],
                ["Beta", "", "Ola", "Architect", "C", 46477],
            ],
            46295,
            46477,
        ],
    ),
    ("CERTIFIED_PEOPLE", [column("Acme"), column(""), column(""), column(""), [["Acme"]], NA, 1]),
    ("TIER_TABLE", [None, None]),
    ("TIER_TABLE", ["sophos-pre-2019", "pl"]),
    ("TIER_TABLE", [[["sophos-2019", "x"]], None]),
    ("PROGRAM_INFO", ["currency"]),
    ("PROGRAM_INFO", [column("vendor", "replaces", "effective_from", "nope"), "sophos-2019"]),
    ("DEMOTION_RISK", [20000, 2, "Gold"]),
    ("DEMOTION_RISK", [column(20000, 40000, None), 2, "Gold"]),
    ("DEMOTION_RISK", [20000, 2, None]),
    ("TIER_PROGRAMS", []),
    ("PROGRAM_DEFINE", [DEFINITION]),
    ("PROGRAM_DEFINE", [column("id = 'x'", NA)]),
    ("PARTNER_TIER", [column(49999, 50000, 150000), "acme-2025", 1, 0]),
    ("TIER_EXPLAIN", [120000, "acme-2025", 2, 1, "pl"]),
    ("TIER_TABLE", ["acme-2025", "pl"]),
    ("TIER_PROGRAMS", []),
    ("PROGRAM_METRICS", ["sophos-2019", True]),
    ("PARTNER_TIER", [[["Revenue", "certified_sales"], [45000, 1], [None, None]]]),
    ("TIER_EXPLAIN", [[["revenue"], [45000]], None, None, None, "pl"]),
    ("PROGRAM_DEFINE", [TWO_PATHS]),
    ("PROGRAM_METRICS", ["lite-two-paths"]),
    ("PARTNER_TIER", [TWO_PATHS_TABLE, "lite-two-paths"]),
    ("GAP_TO_NEXT", [TWO_PATHS_TABLE, "lite-two-paths"]),
    ("TIER_EXPLAIN", [TWO_PATHS_TABLE, "lite-two-paths"]),
    (
        "CERTIFIED_IN_ROLE",
        [
            column("Acme", "Beta", None),
            None,
            column(None, 3, None),
            [
                ["Acme", None, "Jan", "Engineer", "C", 46400],
                ["acme", None, "JAN", "eng", "C", 46400],
            ],
            "engineers",
            DATE_2025_01_01,
        ],
    ),
    ("CERTIFIED_IN_ROLE", [column("Acme"), None, None, [], "architects", DATE_2025_01_01]),
    # This year's values so far: the revenue runs on at the year's rate.
    ("PROJECTED_TIER", [TWO_PATHS_TABLE, 2, "lite-two-paths"]),
    (
        "DEMOTION_RISK",
        [TWO_PATHS_TABLE[1:3], 2, column("Gold", "Gold"), "lite-two-paths", TWO_PATHS_TABLE[:1]],
    ),
    # The same table with its names apart, as the review workbook gives them.
    ("PARTNER_TIER", [TWO_PATHS_TABLE[1:], "lite-two-paths", None, None, TWO_PATHS_TABLE[:1]]),
    (
        "TIER_EXPLAIN",
        [TWO_PATHS_TABLE[1:3], "lite-two-paths", None, None, "pl", None, None, TWO_PATHS_TABLE[:1]],
    ),
    ("PARTNER_TIER", [60, "lite-two-paths", None, 4]),
    ("PARTNER_TIER", [[["revenue"], [60]], "lite-two-paths"]),
    ("PARTNER_TIERS_VERSION", []),
]
