"""Reading what was typed into last quarter's review, so the next one keeps all of it.

Every Partners row that holds anything, every Actions row, and the reviewer are read from a
portfolio review written by partner-tiers (English or Polish, filled in Excel, or a
values-only snapshot). Columns are found by their headers, so a review whose columns were
moved still reads. A cell holding a formula is kept as its text and said in ``notices``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partner_tiers import texts
from partner_tiers.errors import PartnerTiersError
from partner_tiers.files import safe_xlsx
from partner_tiers.texts import label
from partner_tiers.workbooks import layout
from partner_tiers.workbooks.layout import ACTIONS, PARTNERS


class NotAReview(PartnerTiersError, ValueError):
    """The file is not a portfolio review written by partner-tiers."""


@dataclass
class PreviousReview:
    """The hand-typed content of one review, keyed by PARTNERS / ACTIONS column keys."""

    path: Path
    language: str
    program: str | None
    fiscal_year: int | None
    reviewer: str | None
    partners: list[dict[str, Any]]  # non-blank cells only, in sheet order
    actions: list[dict[str, Any]]
    notices: list[str] = field(default_factory=list)
    quarter: int | None = None  # the quarter it reviewed: it holds revenue up to that one


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _rows(ws: Any, table: layout.Table, language: str, path: Path, notices: list[str]) -> list:
    labels = {label(c.key, lang): c.key for lang in texts.LANGUAGES for c in table.columns}
    rows = ws.iter_rows(min_row=table.header_row)
    header = next(rows, ())
    columns = {i: labels.get(str(cell.value).strip()) for i, cell in enumerate(header)}
    unknown = [str(c.value) for i, c in enumerate(header) if c.value and columns[i] is None]
    if unknown:
        notices.append(f"{path.name}: columns not carried over on {ws.title}: {', '.join(unknown)}")
    if table.columns[0].key not in columns.values():
        raise NotAReview(
            f"{path} has no {label(table.columns[0].key, language)!r} column on "
            f"{ws.title}; is it a review written by partner-tiers?"
        )
    records = []
    for cells in rows:
        record = {}
        for i, cell in enumerate(cells):
            key = columns.get(i)
            if key is None or cell.value is None or cell.value == "":
                continue
            value = _plain(cell.value)
            if cell.data_type == "f":
                notices.append(
                    f"{path.name}: {ws.title}!{cell.coordinate} held the formula "
                    f"{value}; carried over as text"
                )
            record[key] = value
        if record:
            records.append(record)
    return records


def read_previous_review(path: Path | str) -> PreviousReview:
    """The hand-typed content of a portfolio review; raises NotAReview or UnreadableFile."""
    path = Path(path)
    wb = safe_xlsx.open_workbook(path, read_only=True)
    try:
        for language in texts.LANGUAGES:
            if label("partners", language) in wb.sheetnames:
                break
        else:
            raise NotAReview(
                f"{path} has no Partners (Partnerzy) sheet; give a review written by partner-tiers"
            )
        notices: list[str] = []
        partners = _rows(wb[label("partners", language)], PARTNERS, language, path, notices)
        actions_sheet = label("actions", language)
        actions = []
        if actions_sheet in wb.sheetnames:
            actions = _rows(wb[actions_sheet], ACTIONS, language, path, notices)
        settings: dict[str, Any] = {}
        start = label("start", language)
        if start in wb.sheetnames:
            ws = wb[start]
            for name in ("Program", "FiscalYear", "Quarter", "Reviewer"):
                settings[name] = ws[layout.setting_cell(name).replace("$", "")].value
    finally:
        wb.close()
    year, quarter = settings.get("FiscalYear"), settings.get("Quarter")
    return PreviousReview(
        path,
        language,
        settings.get("Program") if isinstance(settings.get("Program"), str) else None,
        int(year) if isinstance(year, int | float) else None,
        settings.get("Reviewer"),
        partners,
        actions,
        notices,
        int(quarter) if isinstance(quarter, int | float) and 1 <= quarter <= 4 else None,
    )
