"""Writing workbooks that users open: atomically, and never over a file without leave.

A workbook is saved to a temporary file beside the target and renamed over it, so a crash
or a full disk never leaves half a file, and an existing file is only replaced when the
caller says so.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
import time
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


class OutputFailed(PartnerTiersError, OSError):
    """The target cannot be written: a folder or device in its place, a read-only folder, a
    full disk. Nothing was written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path} ({reason}); nothing was written")
        self.path = path


TEMPORARY_PREFIX = ".partner-tiers-"  # a temporary file's name: .partner-tiers-<stem>.<random>
STALE_SECONDS = 3600  # a temporary file this old was left by a run that was killed


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _check_target(path: Path, overwrite: bool) -> None:
    if path.is_dir():
        raise OutputFailed(path, "it is a folder; give a file name such as review.xlsx")
    if path.exists() and not path.is_file():
        raise OutputFailed(path, "it is a device or pipe, not a file")
    if path.exists() and not overwrite:
        raise OutputExists(path)


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (links followed; a loop of links never raises)."""
    return os.path.realpath(one) == os.path.realpath(other)


def ensure_folder(folder: Path) -> Path:
    """``folder``, made where it is missing; :class:`OutputFailed` saying why it cannot be
    (a file in its place or in its path, no permission, a loop of links)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputFailed(folder, "a file is there, not a folder; choose another") from None
    except NotADirectoryError:
        raise OutputFailed(folder, "a file stands in its path where a folder should") from None
    except OSError as exc:
        raise OutputFailed(folder, exc.strerror or str(exc)) from None
    return folder


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files a killed run left beside ``path``."""
    now = time.time()
    for old in path.parent.glob(f"{TEMPORARY_PREFIX}{path.stem}.*"):
        with contextlib.suppress(OSError):
            if old.is_file() and now - old.stat().st_mtime > STALE_SECONDS:
                old.unlink()


def write_atomically(path: Path, write: Callable[[Path], object], overwrite: bool = False) -> Path:
    """Let ``write`` fill a temporary file beside ``path``, then move it to ``path``: by a
    rename over it with ``overwrite``, else by a link that fails if a file appeared there
    meanwhile. A failure leaves no file behind and says why."""
    path = Path(path)
    _check_target(path, overwrite)
    temporary: str | None = None
    ensure_folder(path.parent)
    try:
        _remove_stale_temporaries(path)
        handle, temporary = tempfile.mkstemp(
            prefix=f"{TEMPORARY_PREFIX}{path.stem}.", suffix=path.suffix, dir=path.parent
        )
        os.close(handle)
        write(Path(temporary))
        # mkstemp makes a private file; give it the mode a normal save would have.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        _check_target(path, overwrite)  # a folder or file may have appeared while writing
        if overwrite:
            os.replace(temporary, path)
        else:
            _move_exclusively(temporary, path)
    except PermissionError as exc:
        raise OutputLocked(path, exc.strerror or "permission denied") from None
    except FileExistsError:
        raise OutputExists(path) from None
    except OSError as exc:
        raise OutputFailed(path, exc.strerror or str(exc)) from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
    return path


def _move_exclusively(temporary: str, path: Path) -> None:
    """Move ``temporary`` to ``path`` only if nothing is there (FileExistsError otherwise)."""
    try:
        os.link(temporary, path)  # atomic, and fails when the target exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: claim the name, then replace it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        os.replace(temporary, path)
    else:
        os.unlink(temporary)


def save_workbook(wb: Workbook, path: Path, overwrite: bool = False) -> Path:
    """Save ``wb`` to ``path`` through a temporary file and a rename."""
    return write_atomically(path, wb.save, overwrite)


def write_files(folder: Path, contents: dict[str, bytes], overwrite: bool = True) -> list[Path]:
    """Write ``contents`` into ``folder``, each file atomically; a file that exists is
    replaced only with ``overwrite`` (otherwise nothing is written)."""
    if not overwrite:
        for name in contents:
            if (folder / name).exists():
                raise OutputExists(folder / name)
    ensure_folder(folder)
    written = []
    for name, data in contents.items():
        write = functools.partial(_write_bytes, data=data)
        written.append(write_atomically(folder / name, write, overwrite=True))
    return written


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)
