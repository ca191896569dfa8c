"""Certified people per partner from the cells of a review, read as the Excel function
CERTIFIED_PEOPLE reads them: the one path by which the workbook, the terminal summary and
the QBR scorecards count.

The Certifications table's columns are, in order: partner, tax id, person, role,
certification, valid until. A row belongs to a partner by its tax id, else by its name
(:func:`partner_tiers.rules.certifications.owners`); a person counts once per role. A
partner without rows keeps the counts typed for it, and so does every partner while a day
is unset.

>>> import datetime as dt
>>> table = [["Acme", None, "Ewa", "Sales", "Course", dt.datetime(2027, 3, 31)],
...          ["acme", None, "EWA", "Sales", "Course", "2027-03-31"],
...          ["Beta", None, "Jan", "Engineer", "Course", 46400]]  # 2027-01-13
>>> found = partners_certified(["Acme", "Beta", "Gamma", None], [None] * 4,
...     [None, 9, 2, None], [None] * 4, table, dt.date(2026, 9, 30), dt.date(2027, 3, 31))
>>> [(f.now, f.at_audit, len(f.lapsing)) for f in found[:3]], found[3]
([((1, 0), (1, 0), 0), ((0, 1), (0, 0), 1), ((2, None), (2, None), 0)], None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from partner_tiers.excel import cells
from partner_tiers.excel.cells import CellError
from partner_tiers.rules.certifications import (
    Certification,
    certified_in_role,
    certified_people,
    role_named,
    role_words,
)
from partner_tiers.rules.program import Program

COLUMNS = ("partner", "tax_id", "person", "role", "certification", "valid_until")


@dataclass(frozen=True)
class PartnerCertified:
    """One partner's certified (sales, engineers) today and on the audit day: counted from
    its rows, or the cells typed for it (as typed) when it has none."""

    now: tuple[Any, Any]
    at_audit: tuple[Any, Any]
    lapsing: list[Certification] = field(default_factory=list)
    from_rows: bool = False


@dataclass
class CertificationTable:
    """The rows of a Certifications table that can be counted, and why others cannot
    (``problems``: its row, 1 for the first row of the range, and the reason)."""

    rows: list[Certification]
    problems: list[tuple[int, str]]


def certification_table(
    grid: Sequence[Sequence[Any]], program: Program | None = None
) -> CertificationTable:
    """The certifications of a table's cells, their roles those of ``program`` (default:
    Sales and Engineer). A row without a partner (name or tax id) is empty; one that lacks
    its person, names no known role or no valid-until day is not counted, and said."""
    rows, problems = [], []
    for number, values in enumerate(grid, start=1):
        cell = dict(zip(COLUMNS, [*values, *[None] * len(COLUMNS)], strict=False))
        partner, tax_id = cells.identity(cell["partner"]), cells.identity(cell["tax_id"])
        if partner is None and tax_id is None:
            continue
        try:
            person = cells.identity(cell["person"])
            if person is None:
                raise CellError("person is empty")
            role = role_named(cell["role"], program)
            if role is None:
                known = (
                    "Sales or Engineer"
                    if program is None
                    else " or ".join(role_words(program, "en"))
                )
                raise CellError(f"role {cells.describe(cell['role'])} is not {known}")
            until = cells.day(cell["valid_until"], "valid until")
            if until is None:
                raise CellError("valid until is empty")
        except CellError as problem:
            problems.append((number, problem.problem))
            continue
        rows.append(
            Certification(
                partner=partner or "",
                person=person,
                role=role,
                certification=cells.identity(cell["certification"]) or "",
                valid_until=until,
                tax_id=tax_id,
            )
        )
    return CertificationTable(rows, problems)


def partners_certified(
    names: Sequence[Any],
    tax_ids: Sequence[Any],
    typed_sales: Sequence[Any],
    typed_engineers: Sequence[Any],
    table: Sequence[Sequence[Any]] | CertificationTable,
    today: object,
    audit: object,
) -> list[PartnerCertified | None]:
    """For each partner (None for a blank name), its certified people. Raises
    :class:`CellError` when a day is not a date."""
    as_of, audit_day = cells.day(today, "as_of"), cells.day(audit, "audit_day")
    if not isinstance(table, CertificationTable):
        table = certification_table(table)
    identities = [
        (cells.identity(name), cells.identity(tax))
        for name, tax in zip(names, tax_ids, strict=True)
    ]
    counted: list[Any] = [None] * len(identities)
    if as_of is not None and audit_day is not None:
        counted = certified_people(identities, table.rows, as_of, audit_day)
    found: list[PartnerCertified | None] = []
    for (name, _), typed, one in zip(
        identities, zip(typed_sales, typed_engineers, strict=True), counted, strict=True
    ):
        if name is None:
            found.append(None)
        elif one is None:
            found.append(PartnerCertified(typed, typed))
        else:
            found.append(PartnerCertified(one.now, one.at_audit, one.lapsing, from_rows=True))
    return found


def partners_in_role(
    names: Sequence[Any],
    tax_ids: Sequence[Any],
    typed: Sequence[Any],
    table: Sequence[Sequence[Any]] | CertificationTable,
    role: str,
    day: object,
) -> list[Any]:
    """For each partner (None for a blank name), its people certified in ``role`` (a role's
    key, :func:`~partner_tiers.rules.certifications.role_key`) on ``day``: counted from its
    rows, or the count typed for it when it has none or the day is unset. Raises
    :class:`CellError` when the day is not a date."""
    on = cells.day(day, "day")
    if not isinstance(table, CertificationTable):
        table = certification_table(table)
    identities = [
        (cells.identity(name), cells.identity(tax))
        for name, tax in zip(names, tax_ids, strict=True)
    ]
    counted: list[int | None] = [None] * len(identities)
    if on is not None:
        counted = certified_in_role(identities, table.rows, role, on)
    return [
        None if name is None else own if own is not None else kept
        for (name, _), kept, own in zip(identities, typed, counted, strict=True)
    ]
