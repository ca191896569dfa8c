"""Editing the XML parts of an XLSX file in place, for files this package did not write.

openpyxl rewrites a whole workbook when it saves it and drops what it does not know
(charts it did not make, VBA projects, Excel's extensions). To change a few cells of
someone else's workbook, the sheet part's XML is edited as text instead: only the cells
named change, every other byte stays. The parts are read with defusedxml.

>>> replace_in_sheet('<row r="2"><c r="B2" s="1"><f>1+1</f><v>2</v></c></row>', {(2, 2): 4})
'<row r="2"><c r="B2" s="1"><v>4</v></c></row>'
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from partner_tiers.error_values import ExcelError
from partner_tiers.errors import PartnerTiersError

# Excel writes a sheet's name bare where it cannot be misread: its rule (as XlsxWriter, which
# tests against files Excel wrote, states it) quotes a name with a character beyond letters,
# digits, "_" and ".", one that starts with a digit or ".", one that reads as a cell (A1,
# XFD1048576) and one that starts as an R1C1 reference (R2D2, C3PO, RC). Excel's letters are
# Unicode's; here only ASCII ones stay bare ("Przegląd" is quoted). Quotes are valid around
# any name, so a name that might need them always gets them.
_BARE_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_READS_AS_REFERENCE = re.compile(r"(?i)[A-Z]{1,3}[0-9]+\Z|R[0-9]|R?C[0-9]|(?:R|C|RC)\Z")


def quoted_sheet(sheet: str) -> str:
    """A sheet's name as a formula or a message writes it: bare, or in quotes (a quote
    inside doubled) where Excel could misread it.

    >>> [quoted_sheet(s) for s in ("Review", "Karta partnera", "Przegląd", "A1", "R2D2")]
    ['Review', "'Karta partnera'", "'Przegląd'", "'A1'", "'R2D2'"]
    >>> quoted_sheet("O'Brien")
    "'O''Brien'"
    """
    if _BARE_SHEET.fullmatch(sheet) and not _READS_AS_REFERENCE.match(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


class PartError(PartnerTiersError, ValueError):
    """A part of the file is not as this module expects; the message says where."""


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ROW = re.compile(r"<row\b([^>]*?)(/>|>(.*?)</row>)", re.DOTALL)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTRIBUTE = re.compile(r'\s([\w:]+)="([^"]*)"')
# What XML 1.0 forbids: C0 controls but tab and line ends, surrogates, U+FFFE, U+FFFF. Only
# that is dropped from a value Excel computed (=CHAR(127) is copied as it is).
_XML_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
NOT_IN_XML = re.compile(f"[{_XML_FORBIDDEN}]")
# What never goes into a workbook from users' text: that, and the other controls (DEL, C1),
# which no one sees.
NOT_IN_XLSX = re.compile(f"[{_XML_FORBIDDEN}\x7f-\x9f]")
DROPPED_ATTRIBUTES = {"t", "cm", "vm"}


def cell_xml(attributes: str, value: Any) -> str:
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
    text = escape(NOT_IN_XML.sub("", str(value)))
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
                cells.append((col, cell_xml(attributes, todo.pop(col))))
            else:
                cells.append((col, cell[0]))
        for col, value in todo.items():  # array cells the file left out
            cells.append((col, cell_xml(f' r="{get_column_letter(col)}{number}"', value)))
        cells.sort(key=lambda c: c[0])
        return f"<row{match[1]}>{''.join(c for _, c in cells)}</row>"

    result = _ROW.sub(row_xml, xml)
    missing = sorted(
        r
        for r, cells in rows.items()
        if r not in seen and any(v not in (None, "") for v in cells.values())
    )
    return _add_rows(result, {r: rows[r] for r in missing}) if missing else result


def _add_rows(xml: str, rows: dict[int, dict[int, Any]]) -> str:
    """The sheet's XML with ``rows`` that the file left out (the cells of an array formula
    that spill below every written row) added in their place, in row order."""
    numbered = [(m.start(), dict(_ATTRIBUTE.findall(m[1])).get("r")) for m in _ROW.finditer(xml)]
    if any(r is None for _, r in numbered):
        raise PartError(f"row {min(rows)} has formula results but no row in the file")
    places: dict[int | None, list[str]] = {}  # offset of the row each goes before (None: end)
    for number in sorted(rows):
        cells = "".join(
            cell_xml(f' r="{get_column_letter(col)}{number}"', value)
            for col, value in sorted(rows[number].items())
        )
        at = next((start for start, r in numbered if int(str(r)) > number), None)
        places.setdefault(at, []).append(f'<row r="{number}">{cells}</row>')
    if None in places:
        added = "".join(places.pop(None))
        if "<sheetData/>" in xml:
            xml = xml.replace("<sheetData/>", f"<sheetData>{added}</sheetData>", 1)
        elif "</sheetData>" in xml:
            xml = xml.replace("</sheetData>", f"{added}</sheetData>", 1)
        else:
            raise PartError(f"row {min(rows)} has formula results but the sheet has no data")
    for at in sorted((a for a in places if a is not None), reverse=True):  # from the bottom
        xml = xml[:at] + "".join(places[at]) + xml[at:]
    return xml


_DECLARED_ENCODING = re.compile(r"""(<\?xml[^>]*encoding=)(["'])[^"']*\2""")


def part_text(data: bytes, name: str) -> str:
    """An XML part's text, UTF-8 or UTF-16 as its byte-order mark says (ECMA-376 allows both),
    its declaration made to say UTF-8, the encoding it is written back in."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise PartError(f"{name} is neither UTF-8 nor UTF-16 text") from None
    return _DECLARED_ENCODING.sub(r"\1\2UTF-8\2", text, count=1)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name in the archive."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        name, target = sheet.get("name"), targets.get(sheet.get(f"{OFFICE_RELS}id"))
        if name is None or not target:
            raise PartError(f"xl/workbook.xml: sheet {name!r} names no part of the file")
        parts[name] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return parts


TABLE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"


def table_sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """The title of the sheet each Excel Table (by its name, ``displayName``) is on: a
    table keeps its name when a user renames its sheet."""
    names = set(archive.namelist())
    found: dict[str, str] = {}
    for title, part in sheet_parts(archive).items():
        folder, file = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", file + ".rels")
        if rels_part not in names:
            continue
        for rel in ElementTree.fromstring(archive.read(rels_part)).iter(f"{RELS}Relationship"):
            target = rel.get("Target") or ""
            if rel.get("Type") != TABLE_RELATIONSHIP or not target:
                continue
            table_part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            if table_part in names:
                table = ElementTree.fromstring(archive.read(table_part))
                found.setdefault(table.get("displayName") or table.get("name") or "", title)
    return found


class CachedValues:
    """The values a workbook file holds for its cells, read from its sheet parts on demand.

    Excel saves each formula with the value it computed (``<v>`` beside ``<f>`` in the
    ``c`` element, ECMA-376 Part 1); a file written by openpyxl has none. A sheet's part is read the
    first time one of its cells is asked for, and only its cells with a value are kept.

    ``get(sheet, row, column)`` returns the value (a number, text, bool or
    :class:`ExcelError`), or ``missing`` when the file holds none.
    """

    def __init__(self, path: Path | str, missing: object = None) -> None:
        self.path = Path(path)
        self.missing = missing
        self._sheets: dict[str, dict[tuple[int, int], Any]] = {}
        self._strings: list[str] | None = None

    def get(self, sheet: str, row: int, col: int) -> Any:
        if sheet not in self._sheets:
            self._sheets[sheet] = self._read(sheet)
        return self._sheets[sheet].get((row, col), self.missing)

    def _read(self, sheet: str) -> dict[tuple[int, int], Any]:
        with zipfile.ZipFile(self.path) as archive:
            part = sheet_parts(archive).get(sheet)
            if part is None:
                return {}
            if self._strings is None:
                self._strings = _shared_strings(archive)
            return sheet_values(archive, part, self._strings)


def sheet_values(
    archive: zipfile.ZipFile, part: str, strings: list[str] | None = None
) -> dict[tuple[int, int], Any]:
    """(row, column) -> value of every cell of a sheet part that holds one; ``strings`` are
    the workbook's shared strings (read from ``archive`` when not given)."""
    strings = _shared_strings(archive) if strings is None else strings
    values: dict[tuple[int, int], Any] = {}
    with archive.open(part) as xml:
        for _, element in ElementTree.iterparse(xml):
            if element.tag != f"{MAIN}c":
                continue
            value = _cell_value(element, strings)
            ref = element.get("r")
            if value is not _NONE and ref:
                values[coordinate_to_tuple(ref)] = value
            element.clear()
    return values


_NONE = object()


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared strings: each item's text, or its runs' texts (phonetic runs left out)."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return [
        "".join(
            t.text or "" for t in [*item.findall(f"{MAIN}t"), *item.findall(f"{MAIN}r/{MAIN}t")]
        )
        for item in root.iter(f"{MAIN}si")
    ]


def _cell_value(cell: Any, strings: list[str]) -> Any:
    """The value a ``<c>`` element holds, by its type ``t``; _NONE for none."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        node = cell.find(f"{MAIN}is")
        return _NONE if node is None else "".join(t.text or "" for t in node.iter(f"{MAIN}t"))
    v = cell.find(f"{MAIN}v")
    if v is None:
        return _NONE
    text = v.text or ""
    if not text and kind != "str":  # openpyxl writes an empty <v/> beside each formula
        return _NONE
    try:
        if kind == "s":
            return strings[int(text)]
        if kind == "str":
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return ExcelError(text)
        return float(text)
    except (ValueError, IndexError):
        raise PartError(f"cell {cell.get('r')} holds {text!r}, which is no {kind} value") from None
