"""Values-only copies of a review, for partners and colleagues without the add-in.

Every formula is computed by :mod:`.evaluator` with the real rules, and its value written
in its place; a formula the evaluator does not know keeps the value Excel saved with it.
The copy is made part by part from the original file: only the worksheets' formula cells
change, so layout, styles, charts, validations, conditional formats, protection and print
set-up stay exactly as they were (openpyxl would drop the charts if it saved the file
itself). Excel's calculation chain, a list of formula cells, is dropped, and so is the VBA
project of an .xlsm: the copy is an .xlsx.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from partner_tiers.errors import PartnerTiersError
from partner_tiers.excel import udfs
from partner_tiers.files import safe_xlsx, xlsx_parts
from partner_tiers.files.output import write_atomically
from partner_tiers.files.xlsx_parts import ExcelError
from partner_tiers.formulas.values import CircularReference, Unsupported
from partner_tiers.formulas.workbook import NO_VALUE, Evaluator, RangeTooLarge
from partner_tiers.texts import LANGUAGES, VALUES_COPY, label

_CALC_CHAIN = re.compile(r"<(?:Override|Relationship)\b[^>]*calcChain[^>]*/>")
# What makes an .xlsm an .xlsm (ECMA-376 Part 2 content types; MS-OVBA's vbaProject part).
_MACRO_PARTS = re.compile(
    r"^xl/(?:vbaProject\.bin|vbaProjectSignature\w*\.bin|_rels/vbaProject\.bin\.rels)$"
)
_VBA_ENTRIES = re.compile(r"<(?:Default|Override|Relationship)\b[^>]*(?:vbaProject|vbaData)[^>]*/>")
MACRO_WORKBOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


class SnapshotError(PartnerTiersError, ValueError):
    """The workbook cannot be copied with its values; the message names the file and why."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    formulas: int  # formula cells replaced by values
    errors: int  # of which the value is an Excel error
    from_excel: int = 0  # of which the value is the one Excel saved (formulas outside the subset)


def _without_inputs(strings: str) -> str:
    """A sheet's or the shared strings' XML for a values-only copy: a text that points at
    inputs to fill in (``texts.VALUES_COPY``) says what the copy is instead."""
    for key, instead in VALUES_COPY.items():
        for language in LANGUAGES:
            strings = strings.replace(
                f">{escape(label(key, language))}<", f">{escape(label(instead, language))}<"
            )
    return strings


def write_snapshot(
    source: Path | str,
    target: Path | str,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
    functions: dict[str, Callable[..., Any]] = udfs.FUNCTIONS,
    max_cells: int | None = None,
) -> Snapshot:
    """Write a values-only copy of the workbook ``source`` (.xlsx or .xlsm) to ``target``, an
    .xlsx, atomically.

    Every formula that the evaluator knows is computed again with the add-in's rules; any
    other takes the value that Excel saved with it, since Excel computed it. Only a formula
    outside the subset with no saved value stops the copy.
    """
    source, target = Path(source), Path(target)
    if target.suffix.lower() != ".xlsx":
        raise SnapshotError(f"{target}: the copy is an .xlsx workbook; give a name ending .xlsx")
    wb = safe_xlsx.open_workbook(source, max_cells=max_cells)
    cached = xlsx_parts.CachedValues(source, NO_VALUE).get
    evaluator = Evaluator(wb, functions, cached=cached, max_range_cells=max_cells)
    try:
        values = evaluator.evaluate_all(progress)
    except RangeTooLarge as exc:
        raise SnapshotError(f"{source}: {exc}; give --max-cells to raise the limit") from None
    except Unsupported as exc:
        raise SnapshotError(
            f"{source}: {exc}; partner-tiers computes only the formulas its own workbooks use"
        ) from None
    except CircularReference as exc:
        raise SnapshotError(f"{source}: {exc}; Excel cannot compute it either") from None
    except RecursionError:
        raise SnapshotError(
            f"{source}: its formulas depend on one another in a chain too long to follow"
        ) from None
    except xlsx_parts.PartError as exc:
        raise SnapshotError(f"{source}: {exc}") from None
    from_excel = len(evaluator.from_cache)
    del evaluator, wb  # its caches of every cell and range: not needed to write the copy
    by_sheet: dict[str, dict[tuple[int, int], Any]] = {}
    for (sheet, row, col), value in values.items():
        by_sheet.setdefault(sheet, {})[(row, col)] = value

    def write(temporary: Path) -> None:
        with (
            zipfile.ZipFile(source) as src,
            zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            parts = {part: title for title, part in xlsx_parts.sheet_parts(src).items()}
            for item in src.infolist():
                name = item.filename
                if name == "xl/calcChain.xml" or _MACRO_PARTS.match(name):
                    continue
                data = src.read(name)
                if name in parts:
                    try:
                        xml = xlsx_parts.replace_in_sheet(
                            xlsx_parts.part_text(data, name), by_sheet.get(parts[name], {})
                        )
                    except xlsx_parts.PartError as exc:
                        raise SnapshotError(f"{source}: {parts[name]}: {exc}") from None
                    if "<f>" in xml or "<f " in xml:
                        raise SnapshotError(f"{parts[name]} keeps a formula after the copy")
                    data = _without_inputs(xml).encode("utf-8")
                elif name == "xl/sharedStrings.xml":
                    data = _without_inputs(xlsx_parts.part_text(data, name)).encode("utf-8")
                elif name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                    text = xlsx_parts.part_text(data, name)
                    text = _VBA_ENTRIES.sub("", _CALC_CHAIN.sub("", text))
                    data = text.replace(MACRO_WORKBOOK, WORKBOOK).encode("utf-8")
                dst.writestr(item, data, zipfile.ZIP_DEFLATED)

    write_atomically(target, write, overwrite)
    errors = sum(1 for v in values.values() if isinstance(v, ExcelError))
    return Snapshot(target, len(values), errors, from_excel)
