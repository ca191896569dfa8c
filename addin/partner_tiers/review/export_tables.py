"""Exports as tables of rows: CSV decoded and split, or an XLSX sheet read safely.

The sales import and the certification import share this: the file's encoding (UTF-8 with
or without BOM, UTF-16, Windows-1250, or lines of both, each named), its separator, the
sheet of a workbook that holds the header, and the :class:`Problem` that names the file,
line, column and value of whatever cannot be read. An export that cannot be read at all is
an :class:`ExportFileError` that says what to do.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partner_tiers.errors import PartnerTiersError
from partner_tiers.files import safe_xlsx
from partner_tiers.review.export_headers import field_of
from partner_tiers.texts import PROBLEMS_PL, Said, said
from partner_tiers.wording import counted, shown

HEADER_SEARCH_ROWS = 20
MAX_TEXT = 32_767  # Excel's limit for one cell


class ExportFileError(PartnerTiersError, ValueError):
    """An export (of sales or of certifications) as a whole cannot be read; the message names
    the file and what to do."""


@dataclass(frozen=True)
class Problem:
    """One value that cannot be read, and why."""

    file: str
    line: int
    column: str
    value: object
    why: str

    def __str__(self) -> str:
        return self.said()

    def said(self) -> Said:
        """The problem as the terminal says it, in English or (:meth:`Said.in_language`)
        Polish."""
        return said(
            "problem",
            file=self.file,
            line=self.line,
            column=self.column,
            value=shown("" if self.value is None else self.value),  # a cell the row lacks
            why=self.why,
            why_pl=PROBLEMS_PL.get(self.why, self.why),
        )


@dataclass
class ExportTable:
    rows: list[tuple[int, list[object]]]  # (line, values)
    delimiter: str | None = None
    notices: list[str] = field(default_factory=list)


def _decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, list[str]]:
    if encoding:
        try:
            return data.decode(encoding), []
        except (LookupError, UnicodeDecodeError) as exc:
            raise ExportFileError(f"{path} cannot be read as {encoding}: {exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return _decode_by_evidence(data, path)


def _decode_by_evidence(data: bytes, path: Path) -> tuple[str, list[str]]:
    """A file that is not all UTF-8, decided by its lines: UTF-8 when more lines are UTF-8
    with letters beyond ASCII than are not UTF-8 at all (those few are read as
    Windows-1250 and named); Windows-1250 otherwise."""
    lines = data.split(b"\n")
    utf8, other = 0, []
    for number, line in enumerate(lines, 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other.append(number)
    if utf8 > len(other):
        not_utf8 = set(other)
        text = "\n".join(
            line.decode("cp1250", errors="replace") if number in not_utf8 else line.decode()
            for number, line in enumerate(lines, 1)
        )
        shown_lines = ", ".join(map(str, other[:10])) + (", ..." if len(other) > 10 else "")
        utf8_but = said(
            "utf8_but",
            file=path.name,
            lines=counted(len(other), "line"),
            n=len(other),
            numbers=shown_lines,
        )
        return text, [utf8_but]
    return data.decode("cp1250", errors="replace"), [said("not_utf8", file=path.name)]


def _read_csv(path: Path, delimiter: str | None, encoding: str | None) -> ExportTable:
    text, notices = _decode(path.read_bytes(), encoding, path)
    if "\x00" in text:
        raise ExportFileError(f"{path} holds binary data; export it from the ERP as CSV or XLSX")
    if not delimiter:
        delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    line = 1
    try:
        for values in reader:
            rows.append((line, list(values)))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ExportFileError(f"{path}, line {reader.line_num}: {exc}") from None
    return ExportTable(rows, delimiter, notices)


def _detect_delimiter(text: str) -> str:
    """The separator under which a header row names the most known columns."""
    sample = text.splitlines()[:HEADER_SEARCH_ROWS]
    best, best_score = ";", -1
    for candidate in ";,\t|":
        try:
            rows = list(csv.reader(sample, delimiter=candidate))
        except csv.Error:  # a field over csv's limit: the reading says where
            continue
        score = max((len({field_of(v) for v in row} - {None}) for row in rows), default=0)
        if score > best_score:
            best, best_score = candidate, score
    return best


HeaderFinder = Callable[[Sequence[tuple[int, list[object]]]], int | None]


def _read_xlsx(path: Path, find_header: HeaderFinder) -> ExportTable:
    wb = safe_xlsx.open_workbook(path, read_only=True, data_only=True)
    try:
        with safe_xlsx.reading(path):  # a read-only sheet is parsed as its rows are read
            for ws in wb.worksheets:  # the sheet whose first rows hold the header
                rows = _filled_rows(ws)
                head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
                if find_header(head) is not None:
                    notice = said("read_sheet", sheet=ws.title, file=path.name)
                    return ExportTable(head + list(rows), notices=[notice])
            # No sheet has one: the first rows of the first sheet say so (no more is read).
            return ExportTable(
                list(itertools.islice(_filled_rows(wb.worksheets[0]), HEADER_SEARCH_ROWS))
            )
    finally:
        wb.close()


def _filled_rows(ws: Any) -> Iterator[tuple[int, list[object]]]:
    """(line, values) of each row of a sheet that holds anything, read as needed."""
    for line, values in enumerate(ws.iter_rows(values_only=True), 1):
        if any(v not in (None, "") for v in values):
            yield line, list(values)


def read_table(
    path: Path,
    delimiter: str | None,
    encoding: str | None,
    find_header: HeaderFinder,
) -> ExportTable:
    """The rows of an export's CSV or XLSX file: of a workbook, the first sheet on which
    ``find_header`` (the sales or the certification export's) finds the header row."""
    if not path.is_file():
        raise ExportFileError(f"{path}: no such file")
    try:
        is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm") or safe_xlsx.is_zip(path)
        if is_xlsx:
            return _read_xlsx(path, find_header)
        return _read_csv(path, delimiter, encoding)
    except safe_xlsx.UnreadableFile as exc:
        raise ExportFileError(str(exc)) from None
    except OSError as exc:
        raise ExportFileError(
            f"{path} cannot be read ({exc.strerror or exc}); close it in "
            "the program that has it open and try again"
        ) from None


def iter_problems(problems: Sequence[Problem], limit: int = 20) -> Iterator[str]:
    """The problems as lines to print, at most ``limit`` and a count of the rest."""
    for problem in problems[:limit]:
        yield problem.said()
    if len(problems) > limit:
        yield said("problems_more", n=len(problems) - limit)
