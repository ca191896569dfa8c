"""A review as Excel saves it, built part by part (ECMA-376 Part 1 and MS-XLSX), for tests.

Once a channel manager opens a review in Excel, types formulas of their own and saves it,
the file carries what Excel writes and openpyxl never does:

- each formula's computed value in ``<v>`` beside its ``<f>`` (typed with ``t``);
- a calculation chain (``xl/calcChain.xml``), listed in the content types and relationships;
- newer functions with the prefixes ``_xlfn.``/``_xlws.``, a dynamic array formula as
  ``<f t="array" ref=...>`` in a cell with ``cm="1"`` pointing to the ``XLDAPR`` cell
  metadata of ``xl/metadata.xml``, its spilled cells with values only, and ``A1#`` written
  as ``_xlfn.ANCHORARRAY(A1)``;
- an add-in's function as ``[1]!NAME`` with the external link part that names the add-in's
  file, or as ``_xludf.NAME`` when Excel did not know it;
- formulas filled down as one shared formula (``t="shared"``).

:func:`excel_saved` takes a review written by the command line and returns those bytes,
with user formulas in the Notes column and on a sheet of their own ("Analysis").
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from partner_tiers.excel.udfs import FUNCTIONS
from partner_tiers.files.safe_xlsx import open_workbook
from partner_tiers.formulas.values import ExcelError
from partner_tiers.formulas.workbook import Evaluator
from partner_tiers.workbooks.layout import PARTNERS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
ADDIN_PATH = r"C:\Users\anna\AppData\Roaming\Microsoft\Excel\XLSTART\partner_tiers.xlam"

# The Analysis sheet: (cell, formula or constant, the value Excel saved). Formulas outside
# the evaluator's subset must come back as these values; the others are computed again.
NOT_RECOMPUTED = {
    "A1": ('SUMPRODUCT((Review!C5:C60="Gold")*Review!B5:B60)', 1_234_567.5),
    "A2": ('_xlfn.XLOOKUP("Cyfrowa Twierdza S.A.",Review!A5:A60,Review!C5:C60,"none")', "Gold?"),
    "A3": ("SUM(Partners!D:D)", 987_654.25),
    "A4": ('TEXT(45000,"#,##0")', "45,000"),
}
SPILL_INPUTS = {"D1": 3, "D2": 1, "D3": 2}
SPILL = ("B1:B3", "_xlfn._xlws.SORT(D1:D3)", [1.0, 2.0, 3.0])  # cached, not recomputed
RECOMPUTED = {
    # cell: (formula, the value Excel saved, the value partner-tiers computes)
    "C1": ("COUNTA(_xlfn.ANCHORARRAY(B1))", 3.0, 3),
    "C2": ("_xludf.PARTNER_TIER(45000)", ExcelError("#NAME?"), "Silver"),
    "C3": ("[1]!GAP_TO_NEXT(45000)", 15000.0, 15000.0),
    "C4": (f"'{ADDIN_PATH}'!NEXT_TIER(45000)", "Gold", "Gold"),
}
SHARED = ("E1:E3", "D1*10", [0.0, 0.0, 0.0])  # filled down; saved stale (manual calculation)
NOTES = {  # Partners!L (Notes) of the first three partners: formula, saved value
    0: ('HYPERLINK("https://crm.example/partners/1","CRM")', "CRM"),
    1: ('"Tier now: "&Review!C6', "Tier now: stale"),  # recomputed
    2: ('"Gap: "&TEXT(Review!E7,"#,##0.00")', "Gap: 1,234.00"),
}


def _typed(value: Any) -> tuple[str, str]:
    """(t attribute, <v> text) of a value as Excel saves it."""
    if isinstance(value, ExcelError):
        return ' t="e"', value.code
    if isinstance(value, bool):
        return ' t="b"', str(int(value))
    if isinstance(value, int | float):
        return "", repr(float(value))
    return ' t="str"', escape(str(value))


def _cell(ref: str, formula: str | None, value: Any, extra: str = "") -> str:
    t, v = _typed(value)
    f = f"<f>{escape(formula)}</f>" if formula is not None else ""
    return f'<c r="{ref}"{extra}{t}>{f}<v>{v}</v></c>'


def _with_saved_values(xml: str, values: dict[tuple[int, int], Any]) -> str:
    """Each formula cell of a sheet part with the value Excel would have saved beside it."""

    def cell(match: re.Match[str]) -> str:
        ref, attributes, body = match[1], match[2], match[3] or ""
        letters = ref.rstrip("0123456789")
        key = (int(ref[len(letters) :]), _column(letters))
        formula = re.search(r"<f\b.*?(?:/>|</f>)", body, re.DOTALL)
        if key not in values or (formula is None and "<v>" in body):
            return match[0]
        attributes = re.sub(r'\st="[^"]*"', "", attributes)
        t, v = _typed(values[key]) if values[key] not in (None, "") else (' t="str"', "")
        return f'<c r="{ref}"{attributes}{t}>{formula[0] if formula else ""}<v>{v}</v></c>'

    return re.sub(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', cell, xml, flags=re.DOTALL)


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def analysis_sheet() -> str:
    cells: dict[int, list[str]] = {}

    def put(ref: str, xml: str) -> None:
        cells.setdefault(int(ref[1:]), []).append(xml)

    for ref, (formula, saved) in NOT_RECOMPUTED.items():
        put(ref, _cell(ref, formula, saved))
    first = SPILL[0].split(":")[0]
    put(
        first,
        f'<c r="{first}" cm="1"><f t="array" ref="{SPILL[0]}">{escape(SPILL[1])}</f>'
        f"<v>{SPILL[2][0]!r}</v></c>",
    )
    for row, value in enumerate(SPILL[2][1:], 2):
        put(f"B{row}", _cell(f"B{row}", None, value))
    for ref, (formula, saved, _) in RECOMPUTED.items():
        put(ref, _cell(ref, formula, saved))
    for ref, value in SPILL_INPUTS.items():
        put(ref, _cell(ref, None, value))
    top, _ = SHARED[0].split(":")
    put(
        top,
        f'<c r="{top}"><f t="shared" ref="{SHARED[0]}" si="0">{SHARED[1]}</f>'
        f"<v>{SHARED[2][0]!r}</v></c>",
    )
    for row, value in enumerate(SHARED[2][1:], 2):
        put(f"E{row}", f'<c r="E{row}"><f t="shared" si="0"/><v>{value!r}</v></c>')
    rows = "".join(
        f'<row r="{row}">{"".join(sorted(xml, key=lambda c: _column(c[6:7])))}</row>'
        for row, xml in sorted(cells.items())
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
        f'xmlns:r="{OFFICE_RELS}"><dimension ref="A1:E4"/><sheetData>{rows}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


METADATA = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<metadata xmlns="{MAIN}" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" '
    'copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" '
    'clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
    '<futureMetadata name="XLDAPR" count="1"><bk><extLst>'
    '<ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk>'
    '</futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>'
    "</metadata>"
)
EXTERNAL_LINK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="{MAIN}" '
    f'xmlns:r="{OFFICE_RELS}"><externalBook r:id="rId1"><definedNames>'
    '<definedName name="GAP_TO_NEXT"/></definedNames></externalBook></externalLink>'
)
EXTERNAL_LINK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
    f'xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Type="{OFFICE_RELS}/externalLinkPath" '
    f'Target="file:///{escape(ADDIN_PATH)}" TargetMode="External"/></Relationships>'
)


def excel_saved(review: Path, vba_project: bytes | None = None) -> bytes:
    """The bytes of ``review`` as Excel saves it after a user added formulas (an .xlsm
    with ``vba_project``)."""
    wb = open_workbook(review)
    computed = Evaluator(wb, FUNCTIONS).evaluate_all()
    titles = wb.sheetnames
    with zipfile.ZipFile(review) as src:
        parts = {item.filename: src.read(item.filename) for item in src.infolist()}
    sheets = _sheet_files(parts)
    for title, name in sheets.items():
        values = {(r, c): v for (s, r, c), v in computed.items() if s == title}
        xml = _with_saved_values(parts[name].decode(), values)
        if title == titles[1]:  # Partners: user formulas in Notes
            xml = _notes(xml)
        parts[name] = xml.encode()
    parts["xl/worksheets/sheet_analysis.xml"] = analysis_sheet().encode()
    parts["xl/metadata.xml"] = METADATA.encode()
    parts["xl/externalLinks/externalLink1.xml"] = EXTERNAL_LINK.encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = EXTERNAL_LINK_RELS.encode()
    chain = "".join(f'<c r="{ref}" i="{len(titles) + 1}"/>' for ref in ("A1", "C1", "E1"))
    parts["xl/calcChain.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<calcChain xmlns="{MAIN}">{chain}</calcChain>'
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        (
            f'<Relationship Id="rIdA1" Type="{OFFICE_RELS}/worksheet" '
            'Target="worksheets/sheet_analysis.xml"/>'
            f'<Relationship Id="rIdA2" Type="{OFFICE_RELS}/calcChain" Target="calcChain.xml"/>'
            f'<Relationship Id="rIdA3" Type="{OFFICE_RELS}/sheetMetadata" Target="metadata.xml"/>'
            f'<Relationship Id="rIdA4" Type="{OFFICE_RELS}/externalLink" '
            'Target="externalLinks/externalLink1.xml"/>'
        )
        + (
            ""
            if vba_project is None
            else (
                '<Relationship Id="rIdA5" Type="http://schemas.microsoft.com/office/2006/relationships/'
                'vbaProject" Target="vbaProject.bin"/>'
            )
        )
        + "</Relationships>",
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    workbook = parts["xl/workbook.xml"].decode()
    workbook = workbook.replace(
        "</sheets>",
        f'<sheet name="Analysis" sheetId="{len(titles) + 1}" r:id="rIdA1"/></sheets>'
        '<externalReferences><externalReference r:id="rIdA4"/></externalReferences>',
    )
    parts["xl/workbook.xml"] = workbook.encode()
    types = parts["[Content_Types].xml"].decode()
    overrides = [
        ("/xl/worksheets/sheet_analysis.xml", f"{CT}.worksheet+xml"),
        ("/xl/calcChain.xml", f"{CT}.calcChain+xml"),
        ("/xl/metadata.xml", f"{CT}.sheetMetadata+xml"),
        ("/xl/externalLinks/externalLink1.xml", f"{CT}.externalLink+xml"),
    ]
    types = types.replace(
        "</Types>",
        "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + "</Types>",
    )
    if vba_project is not None:
        parts["xl/vbaProject.bin"] = vba_project
        types = types.replace(
            f"{CT}.sheet.main+xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        )
        vba_type = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        types = types.replace("</Types>", vba_type + "</Types>")
    parts["[Content_Types].xml"] = types.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


def _sheet_files(parts: dict[str, bytes]) -> dict[str, str]:
    with zipfile.ZipFile(_zip(parts)) as archive:
        from partner_tiers.files.xlsx_parts import sheet_parts

        return sheet_parts(archive)


def _zip(parts: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _notes(xml: str) -> str:
    """Partners!L of the first partners: a formula the user typed, with its saved value."""
    column = PARTNERS.letter("notes")
    for offset, (formula, saved) in NOTES.items():
        ref = f"{column}{PARTNERS.first_row + offset}"
        xml = re.sub(
            rf'<c r="{ref}"([^>]*?)(?:/>|>.*?</c>)',
            lambda m, ref=ref, f=formula, v=saved: _cell(ref, f, v, _style(m[1])),
            xml,
            count=1,
            flags=re.DOTALL,
        )
    return xml


def _style(attributes: str) -> str:
    style = re.search(r'\ss="\d+"', attributes)
    return style[0] if style else ""
