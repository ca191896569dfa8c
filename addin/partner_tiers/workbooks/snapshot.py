"""Values-only copies of a review, for partners and colleagues without the add-in.

Every formula is computed by :mod:`.evaluator` with the real rules, and its value written
in its place. The copy is made part by part from the original file: only the worksheets'
formula cells change, so layout, styles, charts, validations, conditional formats,
protection and print set-up stay exactly as they were (openpyxl would drop the charts if it
saved the file itself). Excel's calculation chain, a list of formula cells, is dropped.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import safe_xlsx, xlsx_parts
from ..xlsx_parts import ExcelError
from .evaluator import Evaluator, Unsupported
from .files import write_atomically

_CALC_CHAIN = re.compile(r"<(?:Override|Relationship)\b[^>]*calcChain[^>]*/>")


class SnapshotError(ValueError):
    """The workbook has formulas this package cannot compute; the message names one."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    formulas: int  # formula cells replaced by values
    errors: int  # of which the value is an Excel error


def write_snapshot(
    source: Path | str,
    target: Path | str,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
    functions: dict[str, Callable[..., Any]] | None = None,
) -> Snapshot:
    """Write a values-only copy of the workbook ``source`` to ``target``, atomically."""
    source, target = Path(source), Path(target)
    wb = safe_xlsx.open_workbook(source)
    try:
        values = Evaluator(wb, functions).evaluate_all(progress)
    except Unsupported as exc:
        raise SnapshotError(f"{source}: {exc}; partner-tiers computes only the formulas its "
                            "own workbooks use") from None  # fmt: skip
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
                if name == "xl/calcChain.xml":
                    continue
                data = src.read(name)
                if name in parts:
                    try:
                        xml = xlsx_parts.replace_in_sheet(
                            data.decode("utf-8"), by_sheet.get(parts[name], {})
                        )
                    except xlsx_parts.PartError as exc:
                        raise SnapshotError(f"{source}: {parts[name]}: {exc}") from None
                    if "<f>" in xml or "<f " in xml:
                        raise SnapshotError(f"{parts[name]} keeps a formula after the copy")
                    data = xml.encode("utf-8")
                elif name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                    data = _CALC_CHAIN.sub("", data.decode("utf-8")).encode("utf-8")
                dst.writestr(item, data, zipfile.ZIP_DEFLATED)

    write_atomically(target, write, overwrite)
    errors = sum(1 for v in values.values() if isinstance(v, ExcelError))
    return Snapshot(target, len(values), errors)
