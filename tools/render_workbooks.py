"""Render the review workbooks to PDF and PNG pages with LibreOffice, for people to look at.

    python tools/render_workbooks.py [--out build/rendered]

For each template, for a review filled with sample partners, and for the demo review that
``partner-tiers demo`` writes (through ``partner-tiers snapshot``'s code), it writes a copy whose
formula cells hold the values computed by partner_tiers' evaluator (LibreOffice does not
have the add-in's functions and would show #NAME?), converts it with a headless soffice
that uses a throw-away profile, and splits the PDF into PNG pages. The untouched
templates are converted too, to show that they open. Then it reads the text of every
rendered page and fails on cells that Excel or LibreOffice would show as errors or as
#### (a number too wide for its column).

Needs soffice and pdftoppm/pdftotext (Debian: libreoffice-calc-nogui poppler-utils).
A template is never saved through LibreOffice: it would lower-case unknown function names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

from partner_tiers import cli
from partner_tiers.files.output import save_workbook
from partner_tiers.files.pdf import convert
from partner_tiers.records import Action, Partner, Settings
from partner_tiers.review.snapshot import write_snapshot
from partner_tiers.texts import label
from partner_tiers.workbooks.portfolio import build_portfolio_review
from partner_tiers.workbooks.qbr import build_partner_qbr
from partner_tiers.workbooks.templates import TEMPLATES

# What a broken cell looks like on a page: an Excel error, LibreOffice's Err:NNN, or ###.
BROKEN = re.compile(r"#NAME\?|#VALUE!|#REF!|#DIV/0!|#NUM!|#N/A|Err:\d{3}|###")


def sample_partners() -> list[Partner]:
    """Twelve fictional partners across the tiers, some just below a threshold."""
    rows = [
        ("Alfa Systemy Sp. z o.o.", 245_000, (61_000, 58_000), 3, 2, True),
        ("Baltic Secure IT", 198_500, (40_000, 39_000), 2, 1, False),
        ("Cyber Mazowsze S.A.", 152_000, (20_000, 18_000), 1, 1, True),
        ("Delta Net Integrator", 74_900, (21_000, 19_500), 1, 0, False),
        ("=Echo Solutions", 60_000, (9_000, 7_000), 0, 1, False),
        ("Fala Informatyka", 59_999.99, (16_000, 15_500), 1, 0, True),
        ("Gdańsk Data Care", 26_000, (2_000, 1_500), 0, 0, False),
        ("Hetman Sieci", 24_999, (8_000, 6_000), 0, 0, False),
        ("Iskra Cloud MSP", 12_000, (3_000, 3_500), 0, 0, True),
        ("Jantar Serwis", 9_999.99, (2_400, 2_600), 0, 0, False),
        ("Kopernik Tech", 0, (5_000, 0), 0, 0, False),
        ("Lech Office Partner", None, (1_200, 900), 0, 0, False),
    ]
    return [
        Partner(
            name,
            f"52{i:08d}",
            "Anna Nowak",
            revenue,
            (*quarters, None, None),
            sales,
            engineers,
            msp,
        )
        for i, (name, revenue, quarters, sales, engineers, msp) in enumerate(rows)
    ]


def workbooks() -> dict[str, object]:
    """File name -> workbook to render (built in memory, so the charts are kept)."""
    books = {name: build() for name, build in TEMPLATES.items()}
    for language in ("en", "pl"):
        settings = Settings(fiscal_year=2026, quarter=2, reviewer="Anna Nowak")
        actions = [
            Action(
                "Delta Net Integrator",
                "Joint campaign to reach Platinum",
                "Anna Nowak",
                dt.date(2026, 12, 15),
                label("status_open", language),
            ),
            Action(
                "=Echo Solutions",
                "=Certify one more engineer",
                "Echo",
                dt.date(2027, 1, 31),
                label("status_progress", language),
            ),
        ]
        books[f"sample_review_{language}.xlsx"] = build_portfolio_review(
            language, settings, sample_partners(), actions, min_rows=len(sample_partners())
        )
        books[f"sample_qbr_{language}.xlsx"] = build_partner_qbr(
            language,
            partner=sample_partners()[3],
            fiscal_year=2026,
            quarter=2,
            commitments=actions[:1],
            notes="Wants a Platinum plan before the March audit.",
        )
    return books


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/rendered"))
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            print(
                f"render: {tool} not found; apt-get install libreoffice-calc-nogui poppler-utils",
                file=sys.stderr,
            )
            return 1
    if args.out.exists():
        shutil.rmtree(args.out)
    raw, evaluated, pages = args.out / "templates", args.out / "evaluated", args.out / "pages"
    for name, build in TEMPLATES.items():
        save_workbook(build(), raw / name)
    for name, wb in workbooks().items():  # values-only copies, as the snapshot command makes
        built = save_workbook(wb, evaluated / f"built_{name}")
        write_snapshot(built, evaluated / name)
        built.unlink()
    for language in ("en", "pl"):  # the demo review and its snapshot, as the command line writes
        review = raw / f"demo_review_{language}.xlsx"
        cli.main(["demo", "--lang", language, "--out", str(review)])
        write_snapshot(review, evaluated / f"demo_snapshot_{language}.xlsx")
    convert(sorted(raw.glob("*.xlsx")), raw, "pdf")
    convert(sorted(evaluated.glob("*.xlsx")), pages, "pdf")
    problems = []
    for xlsx in sorted(raw.glob("*.xlsx")):
        if not xlsx.with_suffix(".pdf").stat().st_size:
            problems.append(f"{xlsx.name}: LibreOffice wrote an empty PDF")
    for pdf in sorted(pages.glob("*.pdf")):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", str(pdf), str(pdf.with_suffix(""))], check=True
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        for line in text.splitlines():
            if BROKEN.search(line):
                problems.append(f"{pdf.name}: {line.strip()}")
        print(f"{pdf.name}: {text.count(chr(12)) or 1} page(s)")
    for problem in problems:
        print(f"render: {problem}", file=sys.stderr)
    print(f"PNG pages in {pages}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
