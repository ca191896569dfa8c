"""Reading a certification export: one certified person per row, as vendors' partner
portals export them, in the same CSV dialects and workbooks as the sales export.

Columns are found by their headers, in English or Polish: the partner (its name, or its tax
id), the person, the role (sales or engineer), the certification and the day it is valid
until. The partner is matched to the review's partners as sales rows are (tax id first, then
the normalised name). A row that cannot be read is a :class:`~.export_tables.Problem` naming
the file, the line, the column and the value.

>>> checked_role("Sales Consultant"), checked_role("Inżynier"), checked_role("technical")
('sales', 'engineer', 'engineer')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from partner_tiers.errors import BadValue
from partner_tiers.records import CertificationRow, Partner
from partner_tiers.review.export_headers import HEADERS
from partner_tiers.review.export_tables import (
    HEADER_SEARCH_ROWS,
    MAX_TEXT,
    ExportFileError,
    Problem,
    read_table,
)
from partner_tiers.review.sales_fields import (
    PartnerIndex,
    normalise_header,
    parse_date,
)
from partner_tiers.rules.certifications import role_named, role_words
from partner_tiers.rules.program import Program

CERTIFICATION_HEADERS: dict[str, tuple[str, ...]] = {
    # "name" is the person's here: portals call the partner "partner" or "company".
    "partner": tuple(h for h in HEADERS["name"] if h not in ("name", "nazwa")),
    "tax_id": HEADERS["tax_id"],
    "person": (
        "person",
        "name",
        "full name",
        "employee",
        "contact",
        "user",
        "osoba",
        "imie i nazwisko",
        "pracownik",
    ),
    "role": ("role", "track", "function", "rola", "funkcja", "sciezka"),
    "certification": (
        "certification",
        "certificate",
        "course",
        "exam",
        "certyfikat",
        "kurs",
        "szkolenie",
        "egzamin",
    ),
    "valid_until": (
        "valid until",
        "valid to",
        "expires",
        "expiry",
        "expiry date",
        "expiration date",
        "wazny do",
        "wazne do",
        "data waznosci",
        "termin waznosci",
    ),
}
_LOOKUP = {normalise_header(h): f for f, names in CERTIFICATION_HEADERS.items() for h in names}


def checked_role(text: object, program: Program | None = None) -> str:
    """The role a cell names (:func:`~partner_tiers.rules.certifications.role_named`);
    BadValue, saying which roles there are, when it names none."""
    found = role_named(text, program)
    if found is not None:
        return found
    if program is None:
        raise BadValue("is not a role: write Sales or Engineer (Handlowiec, Inżynier)")
    roles = ", ".join(role_words(program, "en"))
    raise BadValue(f"is not a role of {program.id}: write one of {roles}")


@dataclass
class CertificationImport:
    """The certifications read, and the rows that could not be."""

    rows: list[CertificationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _find_header(rows: Sequence[tuple[int, list[object]]]) -> int | None:
    for index, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {_LOOKUP.get(normalise_header(v)) for v in values}
        if fields & {"partner", "tax_id"} and "valid_until" in fields:
            return index
    return None


def read_certifications(
    path: Path | str,
    partners: Sequence[Partner],
    delimiter: str | None = None,
    encoding: str | None = None,
    program: Program | None = None,
) -> CertificationImport:
    """The certifications of ``path`` for the review's ``partners``, their roles those of
    ``program`` (default: Sales and Engineer)."""
    path = Path(path)
    table = read_table(path, delimiter, encoding, _find_header)
    header_at = _find_header(table.rows)
    if header_at is None:
        raise ExportFileError(
            f"{path} has no header row naming the partner (or its tax id) and the day a "
            "certification is valid until in its first rows; expected headers such as "
            "Partner, Person, Role, Certification, Valid until (Partner, Osoba, Rola, "
            "Certyfikat, Ważny do)"
        )
    _, header = table.rows[header_at]
    columns = {i: _LOOKUP.get(normalise_header(h)) for i, h in enumerate(header)}
    names = {f: str(header[i]) for i, f in columns.items() if f}
    index: PartnerIndex[Partner] = PartnerIndex()
    for known in partners:
        index.add(known.name, known.tax_id, known)
    result = CertificationImport(notices=list(table.notices))
    for line, values in table.rows[header_at + 1 :]:
        cells = {f: values[i] for i, f in columns.items() if f and i < len(values)}

        def problem(key: str, why: str, cells: dict = cells, line: int = line) -> None:
            column = names.get(key, key)
            result.problems.append(Problem(path.name, line, column, cells.get(key), why))

        partner = index.find(_text(cells.get("partner")) or "", _text(cells.get("tax_id")))
        if partner is None:
            key = "tax_id" if _text(cells.get("tax_id")) else "partner"
            problem(key, "is not a partner of this review (by tax id or name)")
            continue
        texts = {k: _text(cells.get(k)) for k in ("person", "certification")}
        missing = [k for k, v in texts.items() if not v]
        for key in missing:
            problem(key, "is empty; every certification names its person and itself")
        too_long = [k for k, v in texts.items() if v and len(v) > MAX_TEXT]
        for key in too_long:  # never cut short: a cell holds no more
            problem(key, f"is longer than Excel's {MAX_TEXT:,} characters per cell")
        try:
            kind = checked_role(cells.get("role"), program)
        except BadValue as exc:
            problem("role", str(exc))
            continue
        try:
            until = parse_date(cells.get("valid_until"))
        except BadValue as exc:
            problem("valid_until", str(exc))
            continue
        if not missing and not too_long:
            result.rows.append(
                CertificationRow(
                    partner.name,
                    texts["person"],
                    kind,
                    texts["certification"],
                    until,
                    partner.tax_id,
                )
            )
    return result


def _text(value: object) -> str | None:
    """A cell as text, stripped; None for a blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None
