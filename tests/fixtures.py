"""Data the test modules share: a valid user program, the built-in definition files, and
the Excel functions' signatures as xlwings declares them. Tests import it, not each other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openpyxl.formula.tokenizer import Token, Tokenizer

from partner_tiers.formulas.parser import closes_call, function_name
from partner_tiers.rules import programs

BUILTIN_FILES = sorted(p for p in programs.BUILTIN_DIR.iterdir() if p.name.endswith(".toml"))

# A user program with certification needs, another currency and fiscal year, and a
# threshold with half a unit: the shape of most vendors' programs.
VALID = """\
id = "acme-2025"
vendor = "Acme"
name = "Acme Partner Network 2025"
currency = "USD"
effective_from = 2025-02-01
replaces = "sophos-2019"
grace_months = 3
fiscal_year_start_month = 2
basis = "Acme product sales in the previous fiscal year."
source = "Acme partner guide 2025, page 4."

[[tiers]]
name = "Registered"
min_revenue = 0

[[tiers]]
name = "Select"
min_revenue = 50_000
min_certified_sales = 1
discount = 0.1

[[tiers]]
name = "Premier"
min_revenue = 250_000.5
min_certified_sales = 2
min_certified_engineers = 2
benefits = "Marketing funds."
"""


# The signature of each Excel function as xlwings declares it in VBA (Optional: may be left out).
PER_PARTNER = "revenue, Optional program, Optional certified_sales, Optional certified_engineers"
EXPECTED = {
    "TIER_THRESHOLD": "tier, Optional program",
    "TIER_CHANGE": "revenue, from_program, to_program",
    "PROJECTED_TIER": "ytd_revenue, quarters_elapsed, Optional program, Optional certified_sales, "
    "Optional certified_engineers, Optional metrics",
    "REQUIRED_PER_QUARTER": "ytd_revenue, quarters_elapsed, Optional program, Optional target_tier",
    "PARTNER_TIER": PER_PARTNER + ", Optional metrics",
    "NEXT_TIER": PER_PARTNER + ", Optional metrics",
    "GAP_TO_NEXT": PER_PARTNER + ", Optional metrics",
    "TIER_PROGRESS": PER_PARTNER + ", Optional metrics",
    "TIER_EXPLAIN": PER_PARTNER
    + ", Optional language, Optional ytd_revenue, Optional quarters_elapsed, Optional metrics",
    "TIER_TABLE": "Optional program, Optional language",
    "TIER_PROGRAMS": "",
    "PROGRAM_METRICS": "Optional program, Optional described",
    "DEMOTION_RISK": "ytd_revenue, quarters_elapsed, current_tier, Optional program, "
    "Optional metrics",
    "PROGRAM_INFO": "field, Optional program",
    "PROGRAM_DEFINE": "definition",
    "PARTNER_TIERS_VERSION": "",
    "CERTIFIED_PEOPLE": "partner, tax_id, certified_sales, certified_engineers, certifications, "
    "as_of, audit_day",
    "CERTIFIED_IN_ROLE": "partner, tax_id, certified, certifications, role, day, Optional program",
}


# VBA's limits (Microsoft's VBA language reference): 1,023 characters a physical line,
# 24 line continuations in one statement.
VBA_MAX_LINE = 1023
VBA_MAX_CONTINUATIONS = 24


def function_calls(formula: str) -> Iterator[tuple[str, int]]:
    """(NAME, number of arguments) of every function call in a formula."""
    tokens = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
    stack: list[list[Any]] = []  # [name, separators seen, any token seen]
    in_array = False  # the commas of an array constant separate its values, not arguments
    for token in tokens:
        if stack and not closes_call(token):
            stack[-1][2] = True
        if token.type == Token.ARRAY:
            in_array = token.subtype == Token.OPEN
        elif token.type == Token.FUNC and token.subtype == Token.OPEN:
            stack.append([function_name(token.value)[0], 0, False])
        elif token.type == Token.SEP and token.subtype == Token.ARG and stack and not in_array:
            stack[-1][1] += 1
        elif closes_call(token):
            name, separators, seen = stack.pop()
            yield name, separators + 1 if seen else 0
