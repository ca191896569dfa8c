"""The ``partner-tiers`` command line.

Exit codes: 0 success, 1 bad input (an unknown program, a broken definition file, a
revenue that is not a number; nothing written), 2 wrong usage, 3 an internal error (one
line, never a traceback; ``--debug`` shows it).

>>> main(["tier", "45000"])
sophos-2019: Silver. Gold needs 15,000.00 EUR more revenue.
0
>>> main(["tier", "59500", "--lang", "pl"])
sophos-2019: Silver. Do poziomu Gold brakuje 500,00 EUR obrotu.
0
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from partner_tiers import __version__, commands, limits
from partner_tiers.commands import (
    DEMO_CERTIFICATIONS,
    DEMO_OUT,
    DEMO_QUARTER,
    DEMO_SALES,
    DEMO_YEAR,
    REVIEW_OUT,
)
from partner_tiers.errors import PartnerTiersError
from partner_tiers.limits import MAX_CELLS, STREAMED_FACTOR
from partner_tiers.rules import programs
from partner_tiers.texts import LANGUAGES, Said, in_language
from partner_tiers.workbooks.runtimes import RUNTIMES, WINDOWS

EXAMPLES = """\
examples:
  partner-tiers demo
  partner-tiers samples
  partner-tiers review sprzedaz_2026q2.csv --carry-over review_2026q1.xlsx --lang pl
  partner-tiers snapshot review_2026q2.xlsx
  partner-tiers qbr review_2026q2.xlsx --values
  partner-tiers tier 45000
  partner-tiers tier 180000 --program sophos-pre-2019 --lang pl
  partner-tiers programs --check
  partner-tiers templates --out my_templates
  partner-tiers install
  partner-tiers lite
"""


def _one_character(text: str) -> str:
    if len(text) != 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not one character; give e.g. ';'")
    return text


def _command(subparsers: Any, name: str, help: str, description: str, examples: str) -> Any:
    return subparsers.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + "".join(f"  partner-tiers {e}\n" for e in examples.split("|")),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _output_options(command: Any, what: str, default: str) -> None:
    command.add_argument(
        "--out", metavar="FILE", type=Path, help=f"the {what} to write (default: {default})"
    )
    command.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _runtime_option(command: Any) -> None:
    command.add_argument(
        "--for",
        dest="runtime",
        choices=RUNTIMES,
        default=WINDOWS,
        help="where the functions run: classic xlwings on Windows, or xlwings Lite "
        "(Mac, web; its formulas are saved as _xldudf_NAME) (default: %(default)s)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partner-tiers",
        description="Vendor partner-program tiers: which tier, what the next one needs, and "
        "quarterly review workbooks filled from sales exports.",
        epilog=EXAMPLES
        + "\nexit codes: 0 done, 1 bad input (nothing written), 2 wrong usage, 3 internal error\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    parser.add_argument(
        "--max-cells",
        type=int,
        default=MAX_CELLS,
        metavar="N",
        help=f"the most cells of a workbook loaded whole, or of a range a formula reads "
        f"(default {MAX_CELLS:,}, about 400 bytes and 20 µs a cell); a workbook read row by "
        f"row may have {STREAMED_FACTOR} times as many",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    default_program = programs.ProgramRegistry.default_id()
    _demo_command(subparsers, default_program)
    _samples_command(subparsers)
    _review_command(subparsers, default_program)
    _snapshot_command(subparsers)
    _tier_command(subparsers, default_program)
    _programs_command(subparsers)
    _templates_command(subparsers)
    _install_command(subparsers)
    _lite_command(subparsers)
    _qbr_command(subparsers)
    return parser


def _demo_command(subparsers: Any, default_program: str) -> None:
    """The demo command and its options."""
    demo = _command(
        subparsers,
        "demo",
        "fill a review with 40 fictional partners and print its summary",
        "Fill the portfolio review workbook from the built-in sample exports (40 fictional "
        f"partners, {default_program}, FY{DEMO_YEAR} Q{DEMO_QUARTER}, with the certifications "
        "of a few) and print partners per tier now and projected, the closest to promotion, "
        "those at risk and the certifications that lapse before the audit.",
        "demo|demo --lang pl --out demo_pl.xlsx",
    )
    _output_options(demo, "review workbook", DEMO_OUT)
    demo.set_defaults(out=DEMO_OUT)
    demo.add_argument(
        "--lang", dest="language", choices=LANGUAGES, default="en", help="workbook language"
    )
    _runtime_option(demo)


def _samples_command(subparsers: Any) -> None:
    """The samples command and its options."""
    samples = _command(
        subparsers,
        "samples",
        "write the demo's sample exports, to try review and --certifications on",
        "Write the two exports the demo reads, as a Polish ERP and a partner portal write "
        f"them: {Path(DEMO_SALES).name} (40 fictional partners, revenue of FY{DEMO_YEAR - 1} "
        f"and FY{DEMO_YEAR} Q1-Q{DEMO_QUARTER}) and {Path(DEMO_CERTIFICATIONS).name}.",
        "samples|samples --out exports",
    )
    samples.add_argument(
        "--out", metavar="DIR", type=Path, default=".", help="folder (default: here)"
    )
    samples.add_argument("--force", action="store_true", help="replace files that exist")


def _review_command(subparsers: Any, default_program: str) -> None:
    """The review command and its options."""
    review = _command(
        subparsers,
        "review",
        "fill the portfolio review workbook from a sales export",
        "Read a sales export (CSV or XLSX; one row per partner with quarter columns, or one "
        "row per invoice or quarter with a date or quarter column; English or Polish headers) "
        "and write the filled portfolio review. With --carry-over, everything typed into last "
        "quarter's review is kept. Rows that cannot be read are listed with file, line and "
        "column, and nothing is written unless --skip-bad is given.",
        "review sprzedaz.csv|review sales.xlsx --fiscal-year 2026 --quarter 2 --out q2.xlsx|"
        "review sprzedaz_q2.csv --carry-over review_q1.xlsx --lang pl|"
        "review export.csv --currency PLN --fx 4.2693|"
        "review eksport.csv --rates archiwum_tab_a_2025.csv|"
        "review sprzedaz_q2.csv --carry-over review_q1.xlsx --period 2026Q2",
    )
    review.add_argument("sales", metavar="SALES", type=Path, help="the sales export, .csv or .xlsx")
    review.add_argument(
        "--program", default=default_program, help="program id (default: %(default)s)"
    )
    review.add_argument(
        "--fiscal-year",
        type=int,
        metavar="Y",
        help="fiscal year under review, named after the year it ends in (default: that of "
        "the latest sale by its date or its quarter and year; else the latest year --period "
        "names; else the --carry-over review's; an export that tells none is refused)",
    )
    review.add_argument(
        "--quarter",
        type=int,
        choices=(1, 2, 3, 4),
        metavar="Q",
        help="quarters of the year with revenue, 1-4 (default: the latest quarter of the "
        "fiscal year with sales, or with a revenue column that has figures)",
    )
    review.add_argument(
        "--lang", dest="language", choices=LANGUAGES, default="en", help="workbook language"
    )
    _runtime_option(review)
    review.add_argument(
        "--carry-over",
        type=Path,
        metavar="PREVIOUS.xlsx",
        help="last quarter's review, whose typed content is kept",
    )
    review.add_argument(
        "--certifications",
        type=Path,
        metavar="CERTS",
        help="a certification export (.csv or .xlsx): partner or tax id, person, role, "
        "certification, valid until; added to the Certifications sheet",
    )
    review.add_argument("--reviewer", help="who runs the review (default: the previous one's)")
    _output_options(
        review,
        "review workbook",
        REVIEW_OUT.format(program="<program>", fiscal_year="<year>", quarter="<n>"),
    )
    review.add_argument(
        "--skip-bad",
        action="store_true",
        help="write the review without the rows that cannot be read",
    )
    review.add_argument(
        "--period",
        metavar="PERIOD",
        help="the fiscal quarters the export covers, where its dates don't "
        "show them: 2026Q2, FY2025 or 2025Q4..2026Q2 (default: from its "
        "first to its last sale)",
    )
    review.add_argument(
        "--date-column",
        metavar="NAME",
        help="the column of sale dates, when the export has several date "
        "columns (default: the sale date, e.g. 'Data sprzedaży')",
    )
    review.add_argument(
        "--delimiter", type=_one_character, help="field separator of a CSV (default: detected)"
    )
    review.add_argument("--encoding", help="encoding of a CSV, e.g. cp1250 (default: detected)")
    review.add_argument(
        "--decimal", choices=(",", "."), help="decimal separator (default: detected)"
    )
    review.add_argument(
        "--currency",
        metavar="CODE",
        help="currency of the amounts when the export has no currency column "
        "(default: the program's)",
    )
    review.add_argument(
        "--fx",
        metavar="RATE",
        help="the program currency's rate, as NBP writes it: PLN (the "
        "ERP's base currency) for 1 unit, e.g. 4.2693 for EUR",
    )
    review.add_argument(
        "--rates",
        type=Path,
        metavar="FILE",
        help="dated rates in PLN for 1 unit: a CSV of date;currency;rate, or "
        "NBP's table A archive; each sale takes the rate of the last "
        "business day before it",
    )
    review.add_argument(
        "--base-currency",
        metavar="CODE",
        help="the currency the ERP keeps its books in, in which Kurs and the "
        "rates are written (default: PLN)",
    )


def _snapshot_command(subparsers: Any) -> None:
    """The snapshot command and its options."""
    snapshot = _command(
        subparsers,
        "snapshot",
        "write a values-only copy of a review, for readers without the add-in",
        "Compute every formula of a review workbook with the partner-tiers rules and write a "
        "copy with the values in place of the formulas. Layout, styles, charts and "
        "validations are kept. A formula partner-tiers does not compute keeps the value "
        "Excel saved with it. The copy is an .xlsx, also of an .xlsm.",
        "snapshot review_q2.xlsx|snapshot review_q2.xlsm --out for_partner.xlsx --force",
    )
    snapshot.add_argument(
        "review", metavar="REVIEW.xlsx", type=Path, help="a review workbook (.xlsx, .xlsm)"
    )
    _output_options(snapshot, "copy", "REVIEW_values.xlsx, beside REVIEW.xlsx")


def _tier_command(subparsers: Any, default_program: str) -> None:
    """The tier command and its options."""
    tier = _command(
        subparsers,
        "tier",
        "the tier for one partner's figures, the next tier and what it still needs",
        "Print the tier a partner is in and what the next tier still needs. A program that "
        "reads more than revenue and two counts takes its other metrics with --metric "
        "(`partner-tiers programs` lists each program's metrics).",
        "tier 45000|tier 59999.99 --program sophos-2019|tier 250000 --certified-sales 2|"
        "tier 600000 --program example-two-paths --metric services_revenue=70000 "
        "--metric certified_engineers=4",
    )
    tier.add_argument("revenue", help="prior-fiscal-year revenue in the program currency")
    tier.add_argument(
        "--program", default=default_program, help="program id (default: %(default)s)"
    )
    tier.add_argument(
        "--certified-sales",
        type=int,
        default=None,
        metavar="N",
        help="certified sales people (default: 0)",
    )
    tier.add_argument(
        "--certified-engineers",
        type=int,
        default=None,
        metavar="N",
        help="certified engineers (default: 0)",
    )
    tier.add_argument(
        "--metric",
        dest="metrics",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a metric's value, e.g. business_plan=yes or growth=0.12 (repeat for each)",
    )
    tier.add_argument(
        "--lang", dest="language", choices=LANGUAGES, default="en", help="language of the answer"
    )


def _programs_command(subparsers: Any) -> None:
    """The programs command and its options."""
    listing = _command(
        subparsers,
        "programs",
        "list the available programs and where each is defined",
        "List every program with its vendor, currency and definition file. Add your own with "
        f"the {programs.PROGRAMS_PATH_VARIABLE} environment variable.",
        "programs|programs --check",
    )
    listing.add_argument(
        "--check", action="store_true", help="validate every definition file; list its errors"
    )


def _templates_command(subparsers: Any) -> None:
    """The templates command and its options."""
    templates = _command(
        subparsers,
        "templates",
        "write the four template workbooks (portfolio review and QBR, en and pl)",
        "Write the template workbooks that channel managers fill in during quarterly partner "
        "reviews. They are the files committed in workbook_templates/.",
        "templates --out my_templates|templates --out workbook_templates --force|"
        "templates --for lite --out lite_templates",
    )
    templates.add_argument(
        "--out",
        type=Path,
        default="workbook_templates",
        metavar="DIR",
        help="folder to write into (default: %(default)s)",
    )
    templates.add_argument("--force", action="store_true", help="replace files that exist")
    _runtime_option(templates)


def _qbr_command(subparsers: Any) -> None:
    """The qbr command and its options."""
    qbr = _command(
        subparsers,
        "qbr",
        "write a filled QBR scorecard for each partner of a filled review",
        "Write the one-page QBR scorecard of each partner of a filled portfolio review, or of "
        "the partners named with --partner: the partner block, revenue by quarter, "
        "certifications, the tier block and chart, and the partner's commitments and notes "
        "from the review. One file per partner, named after it. --values adds values-only "
        "copies to send to partners; --pdf renders those with LibreOffice.",
        "qbr review_2026q2.xlsx|qbr review.xlsx --partner 'Acme Sp. z o.o.' --partner "
        "5252344078|qbr review.xlsx --values --out qbr_2026q2|qbr review.xlsx --pdf --lang pl",
    )
    qbr.add_argument(
        "review", metavar="REVIEW", type=Path, help="the filled portfolio review, .xlsx"
    )
    qbr.add_argument(
        "--partner",
        dest="partners",
        action="append",
        default=[],
        metavar="NAME_OR_TAX_ID",
        help="a partner to write (by name or tax id); again for more (default: all)",
    )
    qbr.add_argument(
        "--out", metavar="DIR", type=Path, help="folder (default: REVIEW's name + _qbr)"
    )
    qbr.add_argument(
        "--values", action="store_true", help="also write values-only copies (NAME_values.xlsx)"
    )
    qbr.add_argument("--pdf", action="store_true", help="also render the values-only copies as PDF")
    qbr.add_argument(
        "--lang", dest="language", choices=LANGUAGES, help="scorecard language (default: REVIEW's)"
    )
    qbr.add_argument("--force", action="store_true", help="replace files that exist")
    _runtime_option(qbr)


def _lite_command(subparsers: Any) -> None:
    """The lite command and its options."""
    lite = _command(
        subparsers,
        "lite",
        "write the files for xlwings Lite (Excel on a Mac, on the web)",
        "Write main.py and requirements.txt, the two tabs of the xlwings Lite editor, and "
        "HOW_TO.md, the steps. main.py carries partner-tiers itself (its rules, program "
        "definitions and functions), so no package index is needed: requirements.txt names "
        "xlwings only. With them, the Excel functions work in Excel on macOS, on the web and "
        "on Windows without a local Python. Where partner-tiers is hosted, --wheel URL or "
        "--from-index write a main.py that imports it instead.",
        "lite|lite --out lite_files|"
        f"lite --wheel https://files.example.com/partner_tiers-{__version__}-py3-none-any.whl",
    )
    lite.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default="partner_tiers_lite",
        help="folder (default: %(default)s)",
    )
    lite.add_argument(
        "--wheel",
        metavar="URL",
        help="where Lite downloads partner-tiers from, if not from PyPI: a wheel's https URL",
    )
    lite.add_argument(
        "--from-index",
        action="store_true",
        help="a main.py that imports partner-tiers from a package index Lite is set up with, "
        "instead of carrying it",
    )
    lite.add_argument("--force", action="store_true", help="replace files that exist")


def _install_command(subparsers: Any) -> None:
    """The install command and its options."""
    install = _command(
        subparsers,
        "install",
        "set Excel up for the functions (Windows), or write its files for review",
        "Set Excel up on Windows through xlwings' custom add-in route: install the xlwings "
        "add-in, name partner_tiers.excel.udfs and this Python in your xlwings settings, write "
        "partner_tiers.xlam (xlwings' custom add-in with these settings) and the functions' "
        "VBA module, and copy the add-in into Excel's XLSTART folder. It then prints the "
        "steps that need Excel itself. With --dry-run it only writes those files into --out, "
        "on any system, for review or deployment by IT.",
        "install|install --dry-run --out partner_tiers_setup"
        "|install --dry-run --out setup --python C:\\Python312\\pythonw.exe --encoding cp1250",
    )
    install.add_argument(
        "--home",
        type=Path,
        metavar="DIR",
        default=str(Path.home()),
        help="home folder holding .xlwings (default: %(default)s)",
    )
    install.add_argument(
        "--dry-run", action="store_true", help="write the files into --out and change nothing else"
    )
    install.add_argument("--out", metavar="DIR", type=Path, help="folder for --dry-run's files")
    install.add_argument(
        "--force", action="store_true", help="with --dry-run: replace files that exist in --out"
    )
    install.add_argument(
        "--python", metavar="PATH", help="Python for Excel to start (default: this one)"
    )
    install.add_argument(
        "--encoding",
        metavar="CODEPAGE",
        help="code page of xlwings.conf (default: Windows' ANSI code page, the locale's elsewhere)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Anything unexpected is one line and exit code 3, never a traceback (``--debug`` shows
    it): a net under the subparsers, whose every known failure has a message of its own.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    previous = _stop_on_signals()
    hook = sys.unraisablehook
    if "--debug" not in words:
        # A writer that failed (a full disk: ENOSPC, EFBIG) is closed later by the garbage
        # collector, whose complaint Python would print as a traceback; the failure itself
        # has been said in one line.
        sys.unraisablehook = _unraisable_after_failure
    failed = True
    try:
        code = _run(words)
        failed = code != 0
        return code
    except BrokenPipeError:  # the reader of the output is gone (`| head`): stop, quietly
        with contextlib.suppress(OSError):  # what is left to print goes nowhere, unsaid
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # the net: a bug, reported in one line
        if "--debug" in words:
            traceback.print_exc()
        detail = f"{type(exc).__name__}: {exc}"
        print(
            f"partner-tiers: internal error: {detail[:300]}; please report it "
            "(run again with --debug for the details)",
            file=sys.stderr,
        )
        return 3
    finally:
        if failed:
            gc.collect()  # now, while the hook is ours
        sys.unraisablehook = hook
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)


def _unraisable_after_failure(unraisable: Any) -> None:
    """Say nothing of an error raised while a failed writer is collected: the failure has
    been told already (the original hook runs with --debug)."""


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # as Ctrl-C: each file being written is removed, and said


def _stop_on_signals() -> dict[int, Any]:
    """Stop on SIGTERM and SIGHUP (a closed terminal) as on Ctrl-C, so that no temporary file
    is left behind; the handlers there were before, to put back."""
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None:
                previous[signum] = signal.signal(signum, _stop)
    return previous


# Each command's options record and work (partner_tiers.commands), by the command's name.
COMMANDS: dict[str, tuple[type[Any], Callable[[Any], None]]] = {
    "demo": (commands.DemoOptions, commands.demo),
    "samples": (commands.SamplesOptions, commands.samples),
    "review": (commands.ReviewOptions, commands.review),
    "snapshot": (commands.SnapshotOptions, commands.snapshot),
    "tier": (commands.TierOptions, commands.tier),
    "programs": (commands.ProgramsOptions, commands.list_programs),
    "templates": (commands.TemplatesOptions, commands.write_templates),
    "install": (commands.InstallOptions, commands.install),
    "lite": (commands.LiteOptions, commands.write_lite),
    "qbr": (commands.QbrOptions, commands.qbr),
}


def _options(record: type[Any], args: argparse.Namespace) -> Any:
    """The command's options record, from the parsed arguments of the same names (a
    repeated option's list as a tuple). The parser stays here; the work never sees it."""
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(record)}
    return record(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


def _run(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    limits.MAX_CELLS = args.max_cells
    if args.command == "install" and args.dry_run != bool(args.out):
        parser.error("install: --dry-run and --out go together: install --dry-run --out DIR")
    options, command = COMMANDS[args.command]
    try:
        command(_options(options, args))
    except PartnerTiersError as exc:
        told = exc.args[0] if exc.args and isinstance(exc.args[0], Said) else str(exc)
        print(
            f"partner-tiers: {in_language(told, getattr(args, 'language', None) or 'en')}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("partner-tiers: interrupted; nothing was written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
