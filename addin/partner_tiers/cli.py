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
import functools
import gc
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from partner_tiers import __version__, limits
from partner_tiers.errors import PartnerTiersError
from partner_tiers.excel import cells
from partner_tiers.limits import MAX_CELLS, STREAMED_FACTOR
from partner_tiers.rules import programs
from partner_tiers.rules.explanations import explain
from partner_tiers.rules.metrics import Exact
from partner_tiers.rules.money import to_cents
from partner_tiers.rules.program import Program
from partner_tiers.rules.tiers import assess, assess_values
from partner_tiers.texts import LANGUAGES, Said, in_language, said
from partner_tiers.wording import counted
from partner_tiers.workbooks.runtimes import LITE, RUNTIMES, WINDOWS

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
MAX_RATE = 1_000_000  # no currency costs a million PLN; a larger --fx is a typing slip
DEMO_SALES = "demo/sales_fy2026_q2.csv"
DEMO_CERTIFICATIONS = "demo/certifications_fy2026_q2.csv"
DEMO_YEAR, DEMO_QUARTER = 2026, 2
DEMO_OUT = "partner_review_demo.xlsx"
REVIEW_OUT = "partner_review_{program}_FY{fiscal_year}_Q{quarter}.xlsx"


class BadInput(PartnerTiersError):
    """A command-line argument the user can correct; the message says what to do."""


class Interrupted(PartnerTiersError):
    """Ctrl-C after part of the work was written; the message says what was."""


def _one_character(text: str) -> str:
    if len(text) != 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not one character; give e.g. ';'")
    return text


def _command(commands: Any, name: str, help: str, description: str, examples: str) -> Any:
    return commands.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + "".join(f"  partner-tiers {e}\n" for e in examples.split("|")),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _output_options(command: Any, what: str, default: str) -> None:
    command.add_argument("--out", metavar="FILE", help=f"the {what} to write (default: {default})")
    command.add_argument("--force", action="store_true", help="replace FILE if it exists")


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
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    default_program = programs.ProgramRegistry.default_id()
    _demo_command(commands, default_program)
    _samples_command(commands)
    _review_command(commands, default_program)
    _snapshot_command(commands)
    _tier_command(commands, default_program)
    _programs_command(commands)
    _templates_command(commands)
    _install_command(commands)
    _lite_command(commands)
    _qbr_command(commands)
    return parser


def _demo_command(commands: Any, default_program: str) -> None:
    """The demo command and its options."""
    demo = _command(
        commands,
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
    demo.add_argument("--lang", choices=LANGUAGES, default="en", help="workbook language")
    _runtime_option(demo)


def _samples_command(commands: Any) -> None:
    """The samples command and its options."""
    samples = _command(
        commands,
        "samples",
        "write the demo's sample exports, to try review and --certifications on",
        "Write the two exports the demo reads, as a Polish ERP and a partner portal write "
        f"them: {Path(DEMO_SALES).name} (40 fictional partners, revenue of FY{DEMO_YEAR - 1} "
        f"and FY{DEMO_YEAR} Q1-Q{DEMO_QUARTER}) and {Path(DEMO_CERTIFICATIONS).name}.",
        "samples|samples --out exports",
    )
    samples.add_argument("--out", metavar="DIR", default=".", help="folder (default: here)")
    samples.add_argument("--force", action="store_true", help="replace files that exist")


def _review_command(commands: Any, default_program: str) -> None:
    """The review command and its options."""
    review = _command(
        commands,
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
    review.add_argument("sales", metavar="SALES", help="the sales export, .csv or .xlsx")
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
    review.add_argument("--lang", choices=LANGUAGES, default="en", help="workbook language")
    _runtime_option(review)
    review.add_argument(
        "--carry-over",
        metavar="PREVIOUS.xlsx",
        help="last quarter's review, whose typed content is kept",
    )
    review.add_argument(
        "--certifications",
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


def _snapshot_command(commands: Any) -> None:
    """The snapshot command and its options."""
    snapshot = _command(
        commands,
        "snapshot",
        "write a values-only copy of a review, for readers without the add-in",
        "Compute every formula of a review workbook with the partner-tiers rules and write a "
        "copy with the values in place of the formulas. Layout, styles, charts and "
        "validations are kept. A formula partner-tiers does not compute keeps the value "
        "Excel saved with it. The copy is an .xlsx, also of an .xlsm.",
        "snapshot review_q2.xlsx|snapshot review_q2.xlsm --out for_partner.xlsx --force",
    )
    snapshot.add_argument("review", metavar="REVIEW.xlsx", help="a review workbook (.xlsx, .xlsm)")
    _output_options(snapshot, "copy", "REVIEW_values.xlsx, beside REVIEW.xlsx")


def _tier_command(commands: Any, default_program: str) -> None:
    """The tier command and its options."""
    tier = _command(
        commands,
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
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a metric's value, e.g. business_plan=yes or growth=0.12 (repeat for each)",
    )
    tier.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the answer")


def _programs_command(commands: Any) -> None:
    """The programs command and its options."""
    listing = _command(
        commands,
        "programs",
        "list the available programs and where each is defined",
        "List every program with its vendor, currency and definition file. Add your own with "
        f"the {programs.PROGRAMS_PATH_VARIABLE} environment variable.",
        "programs|programs --check",
    )
    listing.add_argument(
        "--check", action="store_true", help="validate every definition file; list its errors"
    )


def _templates_command(commands: Any) -> None:
    """The templates command and its options."""
    templates = _command(
        commands,
        "templates",
        "write the four template workbooks (portfolio review and QBR, en and pl)",
        "Write the template workbooks that channel managers fill in during quarterly partner "
        "reviews. They are the files committed in workbook_templates/.",
        "templates --out my_templates|templates --out workbook_templates --force|"
        "templates --for lite --out lite_templates",
    )
    templates.add_argument(
        "--out",
        default="workbook_templates",
        metavar="DIR",
        help="folder to write into (default: %(default)s)",
    )
    templates.add_argument("--force", action="store_true", help="replace files that exist")
    _runtime_option(templates)


def _qbr_command(commands: Any) -> None:
    """The qbr command and its options."""
    qbr = _command(
        commands,
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
    qbr.add_argument("review", metavar="REVIEW", help="the filled portfolio review, .xlsx")
    qbr.add_argument(
        "--partner",
        action="append",
        default=[],
        metavar="NAME_OR_TAX_ID",
        help="a partner to write (by name or tax id); again for more (default: all)",
    )
    qbr.add_argument("--out", metavar="DIR", help="folder (default: REVIEW's name + _qbr)")
    qbr.add_argument(
        "--values", action="store_true", help="also write values-only copies (NAME_values.xlsx)"
    )
    qbr.add_argument("--pdf", action="store_true", help="also render the values-only copies as PDF")
    qbr.add_argument("--lang", choices=LANGUAGES, help="scorecard language (default: REVIEW's)")
    qbr.add_argument("--force", action="store_true", help="replace files that exist")
    _runtime_option(qbr)


def _lite_command(commands: Any) -> None:
    """The lite command and its options."""
    lite = _command(
        commands,
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
        "--out", metavar="DIR", default="partner_tiers_lite", help="folder (default: %(default)s)"
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


def _install_command(commands: Any) -> None:
    """The install command and its options."""
    install = _command(
        commands,
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
        metavar="DIR",
        default=str(Path.home()),
        help="home folder holding .xlwings (default: %(default)s)",
    )
    install.add_argument(
        "--dry-run", action="store_true", help="write the files into --out and change nothing else"
    )
    install.add_argument("--out", metavar="DIR", help="folder for --dry-run's files")
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


def _templates(args: argparse.Namespace) -> None:
    from partner_tiers.workbooks import templates

    lite = args.runtime == LITE
    prepare = functools.partial(_for_runtime, args=args) if lite else None
    suffix = "_lite" if lite else ""
    for path in templates.write_templates(Path(args.out), args.force, prepare, suffix):
        print(path)


def _tier(args: argparse.Namespace) -> None:
    try:
        revenue = cells.money(args.revenue, "revenue")
        sales = cells.count(args.certified_sales, "--certified-sales")
        engineers = cells.count(args.certified_engineers, "--certified-engineers")
    except cells.CellError as exc:
        raise BadInput(exc.problem) from None  # the cell's code (#VALUE!) means nothing here
    if revenue is None:
        raise BadInput("revenue is empty; give a number such as 45000")
    program = programs.get_program(args.program)
    if not args.metric:
        print(f"{program.id}: {explain(assess(program, revenue, sales, engineers), args.lang)}")
        return
    values = {"revenue": to_cents(revenue)}
    for name, count in (("certified_sales", sales), ("certified_engineers", engineers)):
        if count is not None:
            values[name] = count
    values.update(_metric_values(program, args.metric))
    print(f"{program.id}: {explain(assess_values(program, values), args.lang)}")


def _metric_values(program: Program, given: list[str]) -> dict[str, Exact]:
    """``--metric NAME=VALUE`` options, each read as a cell of that metric is read."""
    values: dict[str, Exact] = {}
    for option in given:
        name, equals, text = option.partition("=")
        if not equals:
            raise BadInput(f"--metric {option!r}: write NAME=VALUE, e.g. business_plan=yes")
        try:
            metric = program.metric(name.strip())
        except KeyError:
            known = ", ".join(m.name for m in program.metrics)
            raise BadInput(
                f"--metric {name.strip()!r} is no metric of {program.id}; it has {known}"
            ) from None
        try:
            value = cells.metric_value(metric, text)
        except cells.CellError as exc:
            raise BadInput(f"--metric {exc.problem}") from None
        if value is None:
            raise BadInput(f"--metric {metric.name} is empty; give a value")
        values[metric.name] = value
    return values


def _programs(args: argparse.Namespace) -> None:
    if args.check:
        files, whole = programs.check_definitions()
        for path, error in files:
            print(f"ok     {path}" if error is None else f"error  {error}")
        if whole is not None:
            print(f"error  {whole}")
        bad = sum(1 for _, e in files if e) + (whole is not None)
        if bad:
            raise BadInput(f"{bad} problem(s) in the program definitions; see above")
        print(f"{len(files)} definition files, all valid")
        return
    default = programs.ProgramRegistry.default_id()
    for source in programs.registry.sources():
        p = source.program
        where = str(source.path)
        if source.overrides:
            where += f" (overrides the built-in {source.overrides.name})"
        mark = "*" if p.id == default else " "
        reads = ", ".join(m.name for m in p.read_metrics())
        print(f"{mark} {p.id:<20} {p.currency}  {p.name}\n  {'':<20} {where}")
        print(f"  {'':<20} reads {reads}")
        if p.unpublished:
            print(f"  {'':<20} not published: {'; '.join(p.unpublished)}")
    print("* default program")


def _say(notices: Sequence[str], language: str = "en", kind: str = "note") -> None:
    """Print notes (or warnings) on the terminal, in ``language`` where they have one."""
    word = in_language(said(kind), language)
    for notice in notices:
        print(f"{word}: {in_language(notice, language)}", file=sys.stderr)


def _runtime_option(command: Any) -> None:
    command.add_argument(
        "--for",
        dest="runtime",
        choices=RUNTIMES,
        default=WINDOWS,
        help="where the functions run: classic xlwings on Windows, or xlwings Lite "
        "(Mac, web; its formulas are saved as _xldudf_NAME) (default: %(default)s)",
    )


def _for_runtime(wb: Any, args: argparse.Namespace) -> Any:
    """The workbook with its add-in calls as --for's runtime needs them."""
    from partner_tiers.excel.udfs import FUNCTIONS
    from partner_tiers.workbooks.runtimes import for_runtime

    return for_runtime(wb, args.runtime, FUNCTIONS)


def _write_review(
    sales: Any,
    exported: Sequence[Any],
    args: argparse.Namespace,
    previous: Any = None,
    certifications: Sequence[Any] = (),
) -> None:
    """Fill, save and summarise the review of ``sales`` (a SalesImport); shared by demo and
    review. ``exported`` are the partners to write (all, or those --skip-bad keeps)."""
    from partner_tiers.files import output
    from partner_tiers.progress import ProgressBar
    from partner_tiers.review import summary
    from partner_tiers.review.filled_review import NegativeTotals, fill_review

    program, fiscal_year, quarter = sales.program, sales.fiscal_year, sales.quarter
    bar = ProgressBar()
    bar.update(1, 3, f"building {len(exported):,} partners")  # after reading: a third done
    build = functools.partial(
        fill_review,
        program_id=program.id,
        fiscal_year=fiscal_year,
        quarter=quarter,
        language=args.lang,
        previous=previous,
        reviewer=getattr(args, "reviewer", None),
        coverage=sales.coverage,
        certifications=certifications,
    )
    try:
        try:
            filled = build(exported)
        except NegativeTotals as negative:
            skip = getattr(args, "skip_bad", False)
            what = "left out" if skip else "refused"
            print(
                f"partner-tiers: {counted(len(negative.problems), 'year total')} below zero "
                f"{what}:",
                file=sys.stderr,
            )
            for problem in negative.problems:
                print(f"  {problem}", file=sys.stderr)
            if not skip:
                raise BadInput(said("nothing_written_credit_notes")) from None
            filled = build(negative.without(exported))
        out = Path(args.out)
        bar.update(2, 3, f"saving {out.name}")
        output.save_workbook(_for_runtime(filled.workbook, args), out, overwrite=args.force)
    finally:
        bar.close()
    _say(filled.warnings, args.lang, "warning")
    _say(filled.notices, args.lang)
    replaced = programs.get_program(program.replaces) if program.replaces else None
    result = summary.summarise(
        program, quarter, filled.partners, replaced, filled.certifications, args.lang, filled.days
    )
    lang = args.lang

    def say(key: str, **values: object) -> str:
        return in_language(said(key, **values), lang)

    how = in_language(sales.coverage.how, lang)
    print(say("covers", file=sales.file, period=sales.coverage.describe(lang), how=how))
    for line in sales.amounts:
        print(say("amounts", line=in_language(line, lang)))
    print(summary.format_summary(result, lang))
    kept = say("wrote_kept", n=filled.absent) if filled.absent else ""
    carried = len(previous.actions) if previous else 0
    actions = (
        say("wrote_actions", actions=counted(carried, "action"), n=carried) if previous else ""
    )
    partners = counted(len(filled.partners), "partner")
    wrote = say(
        "wrote_review",
        out=out,
        partners=partners,
        n=len(filled.partners),
        kept=kept,
        actions=actions,
    )
    print(f"\n{wrote}")


def _demo(args: argparse.Namespace) -> None:
    from importlib.resources import as_file, files

    from partner_tiers.review.certification_import import read_certifications
    from partner_tiers.review.sales_import import read_sales

    program = programs.get_program(None)
    with as_file(files("partner_tiers") / DEMO_SALES) as path:
        sales = read_sales(path, program, fiscal_year=DEMO_YEAR, quarter=DEMO_QUARTER)
    with as_file(files("partner_tiers") / DEMO_CERTIFICATIONS) as path:
        certified = read_certifications(path, sales.partners)
    if certified.problems:  # never: a test reads the file; but no row is ever dropped unsaid
        _report_problems(certified.problems, DEMO_CERTIFICATIONS, skip_bad=False)
    _write_review(sales, sales.partners, args, certifications=certified.rows)
    print(in_language(said("demo_exports"), args.lang))


def _samples(args: argparse.Namespace) -> None:
    from importlib.resources import files

    from partner_tiers.files.output import write_files

    contents = {
        Path(name).name: (files("partner_tiers") / name).read_bytes()
        for name in (DEMO_SALES, DEMO_CERTIFICATIONS)
    }
    sales, certifications = write_files(Path(args.out), contents, overwrite=args.force)
    print(f"Wrote {sales} and {certifications}. Try:")
    print(
        f"  partner-tiers review {sales} --fiscal-year {DEMO_YEAR} --quarter {DEMO_QUARTER} "
        f"--certifications {certifications}"
    )


def _review_covers(program: Program) -> None:
    """Refuse, before any file is read, a program whose fiscal year is not published: the
    review cannot say which quarter a sale belongs to."""
    program.fiscal_start  # noqa: B018 - an unpublished fiscal year is told here, first


def _review(args: argparse.Namespace) -> None:
    from partner_tiers.files import output
    from partner_tiers.progress import ProgressBar
    from partner_tiers.review import carry_over, certification_import, exchange_rates, sales_import
    from partner_tiers.review.filled_review import partner_from_row

    program = programs.get_program(args.program)
    _review_covers(program)
    fx = None
    if args.fx is not None:
        try:
            fx = Decimal(args.fx.replace(",", "."))
        except InvalidOperation:
            fx = None
        if fx is None or not fx.is_finite() or not 0 < fx < MAX_RATE:
            raise BadInput(
                f"--fx {args.fx!r} is not a rate above 0 and below {MAX_RATE:,}; write it as "
                "NBP does, e.g. 4.2693 (PLN for 1 EUR)"
            )
    rates = None
    if args.rates:
        rates = exchange_rates.read_rates(args.rates)
    base = (args.base_currency or exchange_rates.BASE_CURRENCY).upper()
    if not base.isalpha() or len(base) != 3:
        raise BadInput(f"--base-currency {args.base_currency!r} is not a currency code, e.g. PLN")
    previous = None
    if args.carry_over:
        previous = carry_over.read_previous_review(args.carry_over)
    bar = ProgressBar()
    bar.update(0, 3, f"reading {Path(args.sales).name}")
    try:
        sales = sales_import.read_sales(
            args.sales,
            program,
            fiscal_year=args.fiscal_year,
            quarter=args.quarter,
            delimiter=args.delimiter,
            encoding=args.encoding,
            decimal=args.decimal,
            currency=args.currency and args.currency.upper(),
            fx=fx,
            date_column=args.date_column,
            period=args.period,
            rates=rates,
            base_currency=base,
            carried_year=previous.fiscal_year if previous else None,
        )
    finally:
        bar.close()
    _say(sales.notices, args.lang)
    exported = sales.partners
    if sales.problems:
        _report_problems(sales.problems, sales.file, args.skip_bad, args.lang)
        exported = sales_import.without_bad_rows(sales)
    certifications = []
    if args.certifications:
        typed = [partner_from_row(row) for row in previous.partners] if previous else []
        read = certification_import.read_certifications(
            args.certifications, [*exported, *typed], args.delimiter, args.encoding, program
        )
        _say(read.notices, args.lang)
        if read.problems:
            _report_problems(
                read.problems, Path(args.certifications).name, args.skip_bad, args.lang
            )
        certifications = read.rows
    if args.out is None:
        args.out = REVIEW_OUT.format(
            program=program.id, fiscal_year=sales.fiscal_year, quarter=sales.quarter
        )
    if output.same_file(Path(args.out), Path(args.sales)):
        raise BadInput(f"{args.out} is the sales export itself; choose another name with --out")
    _write_review(sales, exported, args, previous, certifications)


def _report_problems(
    problems: Sequence[Any], file: str, skip_bad: bool, language: str = "en"
) -> None:
    """Print the rows of an export that cannot be read; BadInput unless --skip-bad."""
    heading = said(
        "problems",
        values=counted(len(problems), "value"),
        n=len(problems),
        file=file,
        what="skipped" if skip_bad else "cannot be read",
        what_pl="pominięto" if skip_bad else "nie dają się odczytać",
    )
    print(f"partner-tiers: {in_language(heading, language)}", file=sys.stderr)
    from partner_tiers.review.export_tables import iter_problems

    for line in iter_problems(problems):
        print(f"  {in_language(line, language)}", file=sys.stderr)
    if not skip_bad:
        raise BadInput(said("nothing_written_rows"))


def _snapshot(args: argparse.Namespace) -> None:
    from partner_tiers.files import output
    from partner_tiers.progress import ProgressBar
    from partner_tiers.review import snapshot

    source = Path(args.review)
    out = Path(args.out) if args.out else source.with_name(f"{source.stem}_values.xlsx")
    if output.same_file(out, source):
        raise BadInput(f"{out} is the review itself; choose another name with --out")
    if out.exists() and not args.force:
        raise output.OutputExists(out)
    bar = ProgressBar("computing formulas")
    try:
        result = snapshot.write_snapshot(source, out, overwrite=args.force, progress=bar.update)
    finally:
        bar.close()
    errors = f"; {result.errors} of them are Excel errors" if result.errors else ""
    kept = (
        f"; {result.from_excel:,} of them, beyond what partner-tiers computes, keep the values "
        "Excel saved"
        if result.from_excel
        else ""
    )
    if result.trusted:
        kept += f"; {result.trusted:,} of them keep the values Excel computed and saved"
    if result.recomputed_because:
        kept += f"; Excel's saved values were computed again: {result.recomputed_because}"
    print(f"Wrote {out}: {result.formulas:,} formula cells replaced by their values{errors}{kept}.")


def _install(args: argparse.Namespace) -> None:
    from partner_tiers.excel import install
    from partner_tiers.files import output

    home = Path(args.home)
    if args.dry_run and args.python is None and sys.platform != "win32":
        raise BadInput(
            f"on {sys.platform}, install --dry-run needs --python: the pythonw.exe of the "
            "Windows machines the files are for, e.g. --python C:\\Python312\\pythonw.exe "
            "(this system's own Python would not start there); nothing was written"
        )
    python = args.python or install.interpreter()
    try:
        if args.dry_run:
            out = Path(args.out)
            for path in install.dry_run(out, home, python, args.encoding, args.force):
                print(f"Wrote {path}")
            steps = "".join(f"\n  - {step}" for step in install.plan(home, python))
            print(f"Nothing else was changed. On Windows, install would:{steps}")
            # What the people at the machines then do in Excel, as install itself says it.
            wrapper = install.staging_dir(home) / install.WRAPPER_FILE
            print(install.EXCEL_STEPS.format(wrapper=wrapper))
            return
        if sys.platform != "win32":
            steps = "".join(f"\n  - {step}" for step in install.plan(home, python))
            raise BadInput(
                "install sets up Excel on Windows, and this is "
                f"{sys.platform}; nothing was changed (install --dry-run --out DIR writes "
                f"the files for review). On Windows it would:{steps}"
            )
        written = install.install(home, python, args.encoding)
    except (install.InstallError, LookupError, output.OutputExists) as exc:
        raise BadInput(f"{exc}; nothing was changed") from None
    for path in written:
        print(f"Wrote {path}")
    print(install.EXCEL_STEPS.format(wrapper=install.staging_dir(home) / install.WRAPPER_FILE))


def _qbr(args: argparse.Namespace) -> None:
    from partner_tiers.files import output, pdf
    from partner_tiers.progress import ProgressBar
    from partner_tiers.review import qbr_pack, snapshot

    review = Path(args.review)
    pack = qbr_pack.read_pack(review, args.partner, args.lang)
    out = Path(args.out) if args.out else review.with_name(f"{review.stem}_qbr")
    values = args.values or args.pdf
    files = qbr_pack.targets(pack, out, values)
    if any(output.same_file(path, review) for path in files):
        raise BadInput(f"{review} would be replaced by a scorecard; choose another --out")
    qbr_pack.check_targets(files, args.force)
    if args.pdf:
        pdf.soffice()  # before anything is written: no LibreOffice, nothing written
    output.ensure_folder(out)
    bar = ProgressBar("writing scorecards")
    copies: list[Path] = []
    written = 0
    try:
        for card in pack.scorecards:
            path = out / f"{card.stem}.xlsx"
            output.save_workbook(_for_runtime(pack.workbook(card), args), path, args.force)
            if values:
                copies.append(out / f"{card.stem}{qbr_pack.VALUES_SUFFIX}.xlsx")
                snapshot.write_snapshot(path, copies[-1], overwrite=args.force)
            written += 1
            bar.update(written, len(pack.scorecards), card.partner.name)
    except (PartnerTiersError, KeyboardInterrupt) as exc:
        if not written:
            raise
        done = f"wrote {written} of {counted(len(pack.scorecards), 'scorecard')} into {out}"
        if isinstance(exc, KeyboardInterrupt):
            raise Interrupted(f"interrupted; {done}") from None
        raise BadInput(f"{exc}; {done} before it") from None
    finally:
        bar.close()
    lang = pack.language
    for notice in qbr_pack.left_out_notices(pack):
        print(f"partner-tiers: {in_language(notice, lang)}", file=sys.stderr)
    wrote = said(
        "wrote_scorecards",
        scorecards=counted(len(pack.scorecards), "scorecard"),
        n=len(pack.scorecards),
        what=" and their values-only copies" if values else "",
        what_pl=" i ich kopie z samymi wartościami" if values else "",
        out=out,
    )
    print(in_language(wrote, lang))
    if args.pdf and copies:
        rendered = pdf.convert(copies, out)
        pdfs = said("rendered", pdfs=counted(len(rendered), "PDF"), n=len(rendered))
        print(in_language(pdfs, lang))


def _lite(args: argparse.Namespace) -> None:
    from partner_tiers.excel import lite

    for path in lite.write_bundle(Path(args.out), args.wheel, args.force, args.from_index):
        print(f"Wrote {path}")
    print(f"Next: the steps in {Path(args.out) / 'HOW_TO.md'}.")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Anything unexpected is one line and exit code 3, never a traceback (``--debug`` shows
    it): a net under the commands, whose every known failure has a message of its own.
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


def _run(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    limits.MAX_CELLS = args.max_cells
    if args.command == "install" and args.dry_run != bool(args.out):
        parser.error("install: --dry-run and --out go together: install --dry-run --out DIR")
    handlers = {
        "demo": _demo,
        "samples": _samples,
        "review": _review,
        "snapshot": _snapshot,
        "tier": _tier,
        "programs": _programs,
        "templates": _templates,
        "install": _install,
        "lite": _lite,
        "qbr": _qbr,
    }
    try:
        handlers[args.command](args)
    except PartnerTiersError as exc:
        told = exc.args[0] if exc.args and isinstance(exc.args[0], Said) else str(exc)
        print(
            f"partner-tiers: {in_language(told, getattr(args, 'lang', None) or 'en')}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("partner-tiers: interrupted; nothing was written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
