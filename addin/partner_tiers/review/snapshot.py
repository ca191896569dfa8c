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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from partner_tiers.error_values import ExcelError
from partner_tiers.errors import PartnerTiersError
from partner_tiers.excel import udfs
from partner_tiers.files import safe_xlsx, xlsx_parts
from partner_tiers.files.output import write_atomically
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
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"  # ISO/IEC 29500 Strict's namespace
_ITERATES = re.compile(r"<(?:\w+:)?calcPr\b[^>]*\biterate=\"(?:1|true)\"")
# A cell's formula element, in any namespace prefix: <f>, <f t="array" ...>, <x:f>. Cells
# live in sheetData; an extension's xm:f elsewhere (a validation's list) is no cell's.
_FORMULA = re.compile(r"<(?:[\w.-]+:)?f[\s>/]")
_FORMULA_MARKS = ("<f>", "<f ", "<f/>", ":f>", ":f ", ":f/>")
_SHEET_DATA = re.compile(r"<(?:[\w.-]+:)?sheetData\b.*?</(?:[\w.-]+:)?sheetData>", re.DOTALL)
# The content types of parts that hold cells (ECMA-376 Part 1, and Excel's macro sheets).
_SHEET_TYPES = re.compile(r'ContentType="[^"]*(?:worksheet|macrosheet|dialogsheet)\+xml"')
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


class SnapshotError(PartnerTiersError, ValueError):
    """The workbook cannot be copied with its values; the message names the file and why."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    formulas: int  # formula cells replaced by values
    errors: int  # of which the value is an Excel error
    from_excel: int = 0  # of which the value is the one Excel saved (formulas outside the subset)
    trusted: int = 0  # of which the value is the one Excel computed and saved (ExcelValues)
    recomputed_because: str = ""  # why Excel's saved values were computed again, if it had any


@dataclass(frozen=True)
class ExcelValues:
    """Whether a copy takes the values Excel saved for its formulas, and why (not)."""

    trusted: bool
    why: str
    saved: bool  # whether the file holds any value Excel computed for a formula


def excel_values(
    workbook_xml: str,
    formulas: Callable[[], Iterable[tuple[str, int, int, str]]],
    cached: Callable[..., Any],
    functions: dict[str, Callable[..., Any]],
    holds_values: Callable[[], bool],
) -> ExcelValues:
    """When a workbook's saved values are Excel's own, to be copied rather than computed:
    Excel computed and saved every formula, with automatic calculation. Computed again: a
    file with no saved values (partner-tiers and openpyxl write none), one that asks for a
    full calculation when opened (``fullCalcOnLoad``), one whose calculation is manual (its
    values may be stale), and one saved where the add-in was missing: an add-in function
    cached as ``#NAME?``, or written ``_xludf.`` (Excel did not know it), would leave every
    cell that reads it wrong, an IFERROR around it included. ``formulas`` and
    ``holds_values`` (whether the file holds any value for a formula) are asked only when
    the settings leave it open: a file partner-tiers wrote is decided by its settings."""
    calc = re.search(r"<(?:[\w.-]+:)?calcPr\b[^>]*>", workbook_xml)
    settings = dict(re.findall(r'(\w+)="([^"]*)"', calc[0])) if calc else {}
    if settings.get("fullCalcOnLoad") in ("1", "true"):  # openpyxl's files: not read further
        return ExcelValues(False, "it asks for a full calculation when opened", False)
    saved = holds_values()
    if not saved:
        return ExcelValues(False, "it holds no values that Excel computed", saved)
    if settings.get("calcMode") == "manual":
        return ExcelValues(False, "its calculation is manual, so its values may be stale", saved)
    names = "|".join(re.escape(name) for name in functions)
    addin = re.compile(rf"(?i)(?:_xludf\.)|(?<![\w.])(?:{names})\(") if names else None
    for sheet, row, col, text in formulas():
        if addin is None or not addin.search(text):
            continue
        value = cached(sheet, row, col)
        if "_xludf." in text.lower() or (isinstance(value, ExcelError) and value.code == "#NAME?"):
            return ExcelValues(False, "it was saved where the add-in was missing (#NAME?)", saved)
    return ExcelValues(True, "Excel computed and saved its values", saved)


def _without_inputs(strings: str) -> str:
    """A sheet's or the shared strings' XML for a values-only copy: a text that points at
    inputs to fill in (``texts.VALUES_COPY``) says what the copy is instead."""
    for key, instead in VALUES_COPY.items():
        for language in LANGUAGES:
            strings = strings.replace(
                f">{escape(label(key, language))}<", f">{escape(label(instead, language))}<"
            )
    return strings


# A formula element followed by its value, as Excel saves them: <f>A1*2</f><v>4</v>, or a
# shared formula's <f t="shared" si="0"/><v>4</v>.
_FORMULA_VALUE = re.compile(
    rb"<(?:[\w.-]+:)?f\b[^>]*(?:/>|>[^<]*</(?:[\w.-]+:)?f>)\s*<(?:[\w.-]+:)?v[\s>]"
)


def holds_formula_values(source: Path) -> bool:
    """Whether any sheet of the file holds a value saved beside a formula: read as bytes
    and searched, not parsed (a file of a million cells is searched in a blink)."""
    with zipfile.ZipFile(source) as archive:  # checked by open_workbook
        names = set(archive.namelist())
        parts = _worksheet_parts(archive) | set(xlsx_parts.sheet_parts(archive).values())
        return any(_FORMULA_VALUE.search(archive.read(p)) for p in sorted(parts & names))


def _keeps_formula(sheet_xml: str) -> bool:
    """Whether a sheet's cells hold a formula element."""
    if not any(mark in sheet_xml for mark in _FORMULA_MARKS):  # the usual copy: at C speed
        return False
    return any(_FORMULA.search(data[0]) for data in _SHEET_DATA.finditer(sheet_xml))


def _workbook_xml(source: Path) -> str:
    with zipfile.ZipFile(source) as archive:  # checked by open_workbook
        return xlsx_parts.part_text(archive.read("xl/workbook.xml"), "xl/workbook.xml")


def _worksheet_parts(archive: zipfile.ZipFile) -> set[str]:
    """Every part the content types call a sheet of cells, listed or not by the workbook."""
    types = xlsx_parts.part_text(archive.read("[Content_Types].xml"), "[Content_Types].xml")
    found = set()
    for entry in re.finditer(r"<Override\b[^>]*/?>", types):
        name = re.search(r'PartName="/?([^"]+)"', entry[0])
        if name and _SHEET_TYPES.search(entry[0]):
            found.add(name[1])
    return found


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
    workbook_xml = _workbook_xml(source)
    if STRICT in workbook_xml:
        raise SnapshotError(
            f"{source} is saved as Strict Open XML, which partner-tiers does not read; in "
            "Excel, save it as an Excel Workbook (.xlsx) and make the copy of that"
        )
    cached = xlsx_parts.CachedValues(source, NO_VALUE).get
    evaluator = Evaluator(wb, functions, cached=cached, max_range_cells=max_cells)
    policy = excel_values(
        workbook_xml,
        evaluator.formula_cells,
        cached,
        functions,
        lambda: holds_formula_values(source),
    )
    evaluator.trust_cached = policy.trusted
    try:
        values = evaluator.evaluate_all(progress)
    except RangeTooLarge as exc:
        raise SnapshotError(f"{source}: {exc}; give --max-cells to raise the limit") from None
    except Unsupported as exc:
        raise SnapshotError(
            f"{source}: {exc}; partner-tiers computes only the formulas its own workbooks use"
        ) from None
    except CircularReference as exc:
        if _ITERATES.search(workbook_xml):
            raise SnapshotError(
                f"{source}: {exc}; the workbook calculates it iteratively (Excel's Enable "
                "iterative calculation), which partner-tiers does not do"
            ) from None
        raise SnapshotError(f"{source}: {exc}; Excel cannot compute it either") from None
    except RecursionError:
        raise SnapshotError(
            f"{source}: its formulas depend on one another in a chain too long to follow"
        ) from None
    except xlsx_parts.PartError as exc:
        raise SnapshotError(f"{source}: {exc}") from None
    from_excel = len(evaluator.from_cache)
    trusted = len(evaluator.trusted)
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
            sheets = set(parts) | _worksheet_parts(src)
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
                    xml = _without_inputs(xml)
                    data = xml.encode("utf-8")
                else:
                    xml = ""  # not rewritten: read below if it is a sheet of cells
                if name in sheets and _keeps_formula(xml or xlsx_parts.part_text(data, name)):
                    # Never a formula in a values-only copy, whatever its namespace: a sheet
                    # the workbook does not list, a prefix (x:f), a part read as something else.
                    raise SnapshotError(f"{source}: {name} keeps a formula after the copy")
                elif name == "xl/sharedStrings.xml":
                    data = _without_inputs(xlsx_parts.part_text(data, name)).encode("utf-8")
                elif name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                    text = xlsx_parts.part_text(data, name)
                    text = _VBA_ENTRIES.sub("", _CALC_CHAIN.sub("", text))
                    data = text.replace(MACRO_WORKBOOK, WORKBOOK).encode("utf-8")
                dst.writestr(item, data, zipfile.ZIP_DEFLATED)

    write_atomically(target, write, overwrite)
    errors = sum(1 for v in values.values() if isinstance(v, ExcelError))
    because = policy.why if policy.saved and not policy.trusted else ""
    return Snapshot(target, len(values), errors, from_excel, trusted, because)
