"""Run README's IT route of ``partner-tiers install`` and let a spreadsheet program read the add-in.

    python tools/check_install.py [--out build/install]

``partner-tiers install --dry-run`` writes the files that install would write, for a Polish
Windows machine (an interpreter path with Polish letters, code page cp1250). Then LibreOffice
Calc reads the add-in's settings sheet, the way xlwings' VBA reads it: column A from A1 down
to the first empty cell, each value beside it. LibreOffice opens no ``.xlam``, so it reads a
copy whose content type says "macro-enabled workbook"; nothing else in the copy differs.
What Excel itself does with the add-in is not checked here (README says so).

Needs soffice (Debian: libreoffice-calc-nogui). Exits 1 with the reason on any mismatch.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from partner_tiers import cli
from partner_tiers.excel import install

KEPT = '"PYTHONPATH","C:\\Users\\Łukasz\\Dokumenty"\r\n'
PYTHON = "C:\\Users\\Łukasz\\AppData\\Local\\Programs\\Python\\Python312\\pythonw.exe"
ADDIN = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
BOOK = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def as_workbook(addin: Path, target: Path) -> Path:
    with zipfile.ZipFile(addin) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(ADDIN, BOOK)
            dst.writestr(item, data)
    return target


def settings_read_by_libreoffice(book: Path, work: Path) -> dict[str, str]:
    profile = (work / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(work),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader((work / f"{book.stem}.csv").read_text("utf-8").splitlines()))
    settings = {}
    for row in rows:
        if not row or not row[0]:
            break
        settings[row[0].upper()] = row[1] if len(row) > 1 else ""
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="build/install", help="folder for the files")
    out = Path(parser.parse_args(argv).out)
    with tempfile.TemporaryDirectory() as work:
        home = Path(work) / "home"  # a user's settings as xlwings wrote them on a Polish PC
        install.config_path(home).parent.mkdir(parents=True)
        install.config_path(home).write_bytes(KEPT.encode("cp1250"))
        args = [
            "install",
            "--dry-run",
            "--out",
            str(out),
            "--force",
            "--home",
            str(home),
            "--python",
            PYTHON,
            "--encoding",
            "cp1250",
        ]
        if cli.main(args) != 0:
            return 1
        book = as_workbook(out / install.ADDIN_FILE, Path(work) / "partner_tiers.xlsm")
        settings = settings_read_by_libreoffice(book, Path(work))
    expected = {"INTERPRETER_WIN": PYTHON, "UDF MODULES": install.UDF_MODULE}
    wrong = {k: settings.get(k) for k, v in expected.items() if settings.get(k) != v}
    if wrong:
        print(f"check_install: LibreOffice read {wrong} from the add-in, not {expected}")
        return 1
    config = (out / install.CONFIG_FILE).read_bytes().decode("cp1250")
    if f'"INTERPRETER_WIN","{PYTHON}"' not in config or not config.startswith(KEPT):
        print(f"check_install: {install.CONFIG_FILE} holds {config!r}")
        return 1
    print(f"LibreOffice reads the add-in's settings: {settings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
