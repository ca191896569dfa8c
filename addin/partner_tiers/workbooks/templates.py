"""The four template workbooks committed in ``workbook_templates/``.

``partner-tiers templates`` writes them; a test rebuilds them and compares them with the
committed files, so a changed builder with stale templates fails.

>>> sorted(TEMPLATES)[:2]
['partner_qbr_en.xlsx', 'partner_qbr_pl.xlsx']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from partner_tiers.files.output import save_workbook
from partner_tiers.texts import LANGUAGES
from partner_tiers.workbooks.portfolio import build_portfolio_review
from partner_tiers.workbooks.qbr import build_partner_qbr

TEMPLATES: dict[str, Callable[[], Workbook]] = {
    **{
        f"quarterly_partner_review_{language}.xlsx": functools.partial(
            build_portfolio_review, language
        )
        for language in LANGUAGES
    },
    **{
        f"partner_qbr_{language}.xlsx": functools.partial(build_partner_qbr, language)
        for language in LANGUAGES
    },
}


def write_templates(
    folder: Path,
    overwrite: bool = False,
    prepare: Callable[[Workbook], Workbook] | None = None,
    suffix: str = "",
) -> list[Path]:
    """Build every template into ``folder``; return the paths written. ``prepare`` changes
    each workbook before it is saved (the Lite variants), ``suffix`` ends its name."""
    written = []
    for name, build in TEMPLATES.items():
        wb = build() if prepare is None else prepare(build())
        target = Path(folder) / name.replace(".xlsx", f"{suffix}.xlsx")
        written.append(save_workbook(wb, target, overwrite))
    return written
