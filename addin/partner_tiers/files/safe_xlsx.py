"""Opening XLSX files that come from elsewhere, safely and with a clear message.

An XLSX file is a zip of XML parts. Before openpyxl parses one, the zip's table of
contents is checked against limits (a "zip bomb" inflates a few kilobytes into gigabytes),
and openpyxl parses XML through defusedxml, which refuses entity tricks such as "billion
laughs". A file that is not an XLSX workbook, or is damaged, raises :class:`UnreadableFile`
whose message names the file and says what to do.

>>> open_workbook("no-such-file.xlsx")
Traceback (most recent call last):
...
partner_tiers.files.safe_xlsx.UnreadableFile: no-such-file.xlsx: no such file
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import openpyxl.xml
from openpyxl import Workbook

from partner_tiers import limits
from partner_tiers.errors import PartnerTiersError
from partner_tiers.files import xlsx_parts

# Limits on the unpacked parts: far above any real review (a 50,000-partner review unpacks
# to about 150 MB) and far below what would exhaust a laptop.
MAX_UNPACKED_BYTES = 256 << 20
MAX_PART_BYTES = 64 << 20
MAX_RATIO = 200  # unpacked / packed, for parts over RATIO_CHECK_BYTES
RATIO_CHECK_BYTES = 8 << 20

OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"


class UnreadableFile(PartnerTiersError, ValueError):
    """A file that cannot be read as an XLSX workbook; the message says why."""


def is_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == ZIP_MAGIC


def check_archive(path: Path) -> None:
    """Refuse anything that is not a zip within the limits above."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise UnreadableFile(f"{path} cannot be read ({exc.strerror or exc})") from None
    if magic == OLD_XLS_MAGIC:
        raise UnreadableFile(
            f"{path} is an old-style .xls workbook; save it from Excel as .xlsx or as CSV"
        )
    if magic != ZIP_MAGIC:
        raise UnreadableFile(f"{path} is not an XLSX workbook; save it from Excel as .xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"{path} is damaged ({exc}); save it again from Excel") from None
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if total > MAX_UNPACKED_BYTES:
            raise UnreadableFile(
                f"{path} was refused: it unpacks to more than {MAX_UNPACKED_BYTES >> 20:,} MB, "
                "beyond the safety limits for a workbook"
            )
        if part.file_size > MAX_PART_BYTES or (
            part.file_size > RATIO_CHECK_BYTES and ratio > MAX_RATIO
        ):
            raise UnreadableFile(
                f"{path} was refused: its part {part.filename} unpacks to "
                f"{part.file_size:,} bytes ({ratio:.0f} times its packed size), beyond the "
                f"safety limits for a workbook ({MAX_PART_BYTES >> 20} MB a part)"
            )


def open_workbook(
    path: Path | str, read_only: bool = False, data_only: bool = False, max_cells: int | None = None
) -> Workbook:
    """Load an XLSX workbook with openpyxl after the safety checks, in openpyxl's
    ``read_only`` or ``data_only`` mode when asked. A workbook of more than ``max_cells``
    cells is refused before openpyxl reads it: even in read-only mode openpyxl reads every
    sheet whole when its size is not written at its top, as Excel always writes it."""
    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError("defusedxml is not installed; refusing to parse untrusted XML")
    path = Path(path)
    check_archive(path)
    if max_cells is None:
        max_cells = limits.MAX_CELLS * (limits.STREAMED_FACTOR if read_only else 1)
    with reading(path):
        if count_cells(path, max_cells) > max_cells:
            raise UnreadableFile(
                f"{path} has more than {max_cells:,} cells, the most partner-tiers reads here "
                "(see --max-cells); give --max-cells to raise the limit on a machine with the "
                "memory and time"
            )
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)


CELL_TAGS = (b"<c ", b"<c>", b":c ", b":c>")  # a cell element, with a namespace prefix or not


def count_cells(source: Path, stop_after: int) -> int:
    """The cells the sheets of ``source`` hold (``<c`` elements), counted without parsing,
    and no further than just past ``stop_after``."""
    found = 0
    with zipfile.ZipFile(source) as archive:
        for part in xlsx_parts.sheet_parts(archive).values():
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    data = tail + chunk  # a tag the chunks split is counted once, here
                    found += sum(data.count(tag) for tag in CELL_TAGS)
                    tail = data[-2:]
                    if found > stop_after:
                        return found
    return found


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Whatever a damaged part raises while a workbook is read becomes :class:`UnreadableFile`.
    A read-only workbook parses its sheets only when their rows are read: read them inside."""
    try:
        yield
    except PartnerTiersError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged parts
        kind = type(exc).__name__
        chain: list[str] = []
        cause: BaseException | None = exc
        while cause is not None and len(chain) < 10:  # openpyxl wraps the parser's error
            chain.append(type(cause).__name__)
            cause = cause.__cause__ or cause.__context__
        if any("Forbidden" in name for name in chain):  # defusedxml: EntitiesForbidden, ...
            why = "it declares XML entities, which are refused for safety"
        else:
            why = f"{kind}: {str(exc)[:200]}"
        raise UnreadableFile(f"{path} cannot be read as a workbook ({why})") from None
