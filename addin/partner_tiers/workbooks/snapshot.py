"""Values-only copies of a review, for partners and colleagues without the add-in.

Every formula is computed by :mod:`.evaluator` with the real rules, and its value written
in its place. The copy is made part by part from the original file: only the worksheets'
formula cells change, so layout, styles, charts, validations, conditional formats,
protection and print set-up stay exactly as they were (openpyxl would drop the charts if it
saved the file itself). Excel's calculation chain, a list of formula cells, is dropped.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from openpyxl.utils import column_index_from_string, get_column_letter

from .. import safe_xlsx
from .evaluator import Evaluator, ExcelError, Unsupported
from .files import write_atomically

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ROW = re.compile(r"<row\b([^>]*?)(/>|>(.*?)</row>)", re.DOTALL)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTRIBUTE = re.compile(r'\s([\w:]+)="([^"]*)"')
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CALC_CHAIN = re.compile(r"<(?:Override|Relationship)\b[^>]*calcChain[^>]*/>")
DROPPED_ATTRIBUTES = {"t", "cm", "vm"}


class SnapshotError(ValueError):
    """The workbook has formulas this package cannot compute; the message names one."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    formulas: int  # formula cells replaced by values
    errors: int  # of which the value is an Excel error


def _cell_xml(attributes: str, value: Any) -> str:
    kept = "".join(
        f' {k}="{v}"' for k, v in _ATTRIBUTE.findall(attributes) if k not in DROPPED_ATTRIBUTES
    )
    if value is None or value == "":
        return f"<c{kept}/>"
    if isinstance(value, ExcelError):
        return f'<c{kept} t="e"><v>{escape(value.code)}</v></c>'
    if isinstance(value, bool):
        return f'<c{kept} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            return f'<c{kept} t="e"><v>#NUM!</v></c>'
        return (
            f"<c{kept}><v>{value!r}</v></c>"
            if isinstance(value, float)
            else (f"<c{kept}><v>{value}</v></c>")
        )
    text = escape(_ILLEGAL_XML.sub("", str(value)))
    return f'<c{kept} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def replace_in_sheet(xml: str, values: dict[tuple[int, int], Any]) -> str:
    """The sheet's XML with the cells of ``values`` ((row, column) -> value) replaced."""
    rows: dict[int, dict[int, Any]] = {}
    for (row, col), value in values.items():
        rows.setdefault(row, {})[col] = value
    seen: set[int] = set()
    implicit = 0

    def row_xml(match: re.Match[str]) -> str:
        nonlocal implicit
        attrs = dict(_ATTRIBUTE.findall(match[1]))
        number = int(attrs.get("r", implicit + 1))
        implicit = number
        todo = rows.get(number)
        if not todo:
            return match[0]
        seen.add(number)
        cells: list[tuple[int, str]] = []
        col = 0
        for cell in _CELL.finditer(match[3] or ""):
            ref = dict(_ATTRIBUTE.findall(cell[1])).get("r")
            col = column_index_from_string(re.sub(r"\d", "", ref)) if ref else col + 1
            if col in todo:
                attributes = cell[1] if ref else f' r="{get_column_letter(col)}{number}"{cell[1]}'
                cells.append((col, _cell_xml(attributes, todo.pop(col))))
            else:
                cells.append((col, cell[0]))
        for col, value in todo.items():  # array cells the file left out
            cells.append((col, _cell_xml(f' r="{get_column_letter(col)}{number}"', value)))
        cells.sort(key=lambda c: c[0])
        return f"<row{match[1]}>{''.join(c for _, c in cells)}</row>"

    result = _ROW.sub(row_xml, xml)
    missing = [r for r, cells in rows.items() if r not in seen and any(
        v not in (None, "") for v in cells.values())]  # fmt: skip
    if missing:
        raise SnapshotError(f"row {missing[0]} has formula results but no row in the file")
    return result


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name in the archive."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets[sheet.get(f"{OFFICE_RELS}id")]
        parts[sheet.get("name")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        )
    return parts


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
            parts = {part: title for title, part in _sheet_parts(src).items()}
            for item in src.infolist():
                name = item.filename
                if name == "xl/calcChain.xml":
                    continue
                data = src.read(name)
                if name in parts:
                    xml = replace_in_sheet(data.decode("utf-8"), by_sheet.get(parts[name], {}))
                    if "<f>" in xml or "<f " in xml:
                        raise SnapshotError(f"{parts[name]} keeps a formula after the copy")
                    data = xml.encode("utf-8")
                elif name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                    data = _CALC_CHAIN.sub("", data.decode("utf-8")).encode("utf-8")
                dst.writestr(item, data, zipfile.ZIP_DEFLATED)

    write_atomically(target, write, overwrite)
    errors = sum(1 for v in values.values() if isinstance(v, ExcelError))
    return Snapshot(target, len(values), errors)
