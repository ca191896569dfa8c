"""Writing workbooks that users open: atomically, and never over a file without leave.

A workbook is saved to a temporary file beside the target and renamed over it, so a crash
or a full disk never leaves half a file, and an existing file is only replaced when the
caller says so.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from partner_tiers.errors import PartnerTiersError


class OutputExists(PartnerTiersError, FileExistsError):
    """The target file exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} exists; use --force to replace it")
        self.path = path


class OutputLocked(PartnerTiersError, PermissionError):
    """The target file is open in another program or not writable."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"cannot write {path} ({reason}); close it in Excel or choose another name with --out"
        )
        self.path = path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, write: Callable[[Path], object], overwrite: bool = False) -> Path:
    """Let ``write`` fill a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExists(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent
    )
    os.close(handle)
    try:
        write(Path(temporary))
        # mkstemp makes a private file; give it the mode a normal save would have.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        os.replace(temporary, path)
    except PermissionError as exc:
        raise OutputLocked(path, exc.strerror or "permission denied") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def save_workbook(wb: Workbook, path: Path, overwrite: bool = False) -> Path:
    """Save ``wb`` to ``path`` through a temporary file and a rename."""
    return write_atomically(path, wb.save, overwrite)
