"""PDF pages of workbooks, rendered by LibreOffice when it is installed.

LibreOffice Calc has none of the add-in's functions, so what it renders are values-only
copies (``partner-tiers snapshot``), which show what Excel shows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from partner_tiers.errors import PartnerTiersError

TIMEOUT = 600  # seconds for one conversion of a batch of workbooks


class NoLibreOffice(PartnerTiersError, FileNotFoundError):
    """soffice is not installed, so no PDF can be rendered."""

    def __init__(self) -> None:
        super().__init__(
            "--pdf needs LibreOffice (its soffice program), which is not installed here; "
            "install LibreOffice, or print the values-only copies from Excel"
        )


def soffice() -> str:
    """The LibreOffice program; NoLibreOffice when there is none."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise NoLibreOffice
    return found


def convert(files: Sequence[Path], out: Path, to: str = "pdf") -> list[Path]:
    """Render ``files`` into ``out`` (as ``to``: pdf, or png...); return what was written.
    A profile of its own for each run, so that a LibreOffice the user has open is left alone."""
    program = soffice()
    with tempfile.TemporaryDirectory() as profile:
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--convert-to",
                    to,
                    "--outdir",
                    os.path.realpath(out),
                    # Whole paths: a file named after a partner such as "-2+3" is never an
                    # option to LibreOffice.
                    *(os.path.realpath(f) for f in files),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TIMEOUT,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise PartnerTiersError(f"LibreOffice could not render the copies ({exc})") from None
    written = [out / f"{Path(f).stem}.{to.split(':')[0]}" for f in files]
    missing = [p.name for p in written if not p.exists()]
    if missing:
        raise PartnerTiersError(f"LibreOffice did not write {', '.join(missing)}")
    return written
