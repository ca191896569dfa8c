"""What each command of ``partner-tiers`` does, given a typed options record.

The command line (:mod:`partner_tiers.cli`) parses the arguments, builds the record and
calls the command; a test or another program builds the record itself:

>>> tier(TierOptions(revenue="45000"))
sophos-2019: Silver. Gold needs 15,000.00 EUR more revenue.

A command says what it did on the terminal and raises a
:class:`~partner_tiers.errors.PartnerTiersError` (:class:`BadInput` for an option the user
can correct) for anything it cannot do: before it writes anything where it can tell, else
(a disk that fills up, Ctrl-C among a pack of scorecards) saying what was written.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from partner_tiers.errors import PartnerTiersError
from partner_tiers.excel import cells
from partner_tiers.rules import programs
from partner_tiers.rules.explanations import explain
from partner_tiers.rules.metrics import Exact
from partner_tiers.rules.money import to_cents
from partner_tiers.rules.program import Program
from partner_tiers.rules.tiers import assess, assess_values
from partner_tiers.texts import in_language, said
from partner_tiers.wording import counted
from partner_tiers.workbooks.runtimes import LITE, WINDOWS

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


# --- what each command takes ----------------------------------------------------------------
# Typed records: the command line fills them from its options; a test or another program
# builds them directly. Paths are Paths, amounts and rates the text the user typed (read and
# checked by the command, which says what is wrong).


@dataclass(frozen=True, kw_only=True)
class ReviewOptions:
    """``review``: the sales export and how to read it, what to merge, where to write."""

    sales: Path
    program: str | None = None  # None: the default program
    fiscal_year: int | None = None  # None: from the export (read_sales says how)
    quarter: int | None = None
    period: str | None = None  # "2026Q2", "FY2025", "2025Q4..2026Q2"
    date_column: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    currency: str | None = None
    fx: str | None = None  # PLN for 1 unit of the program currency, as typed: "4,2693"
    rates: Path | None = None
    base_currency: str | None = None
    certifications: Path | None = None
    carry_over: Path | None = None
    reviewer: str | None = None
    skip_bad: bool = False
    language: str = "en"
    runtime: str = WINDOWS
    out: Path | None = None  # None: REVIEW_OUT, named after program, year and quarter
    force: bool = False


@dataclass(frozen=True, kw_only=True)
class DemoOptions:
    """``demo``: the review of the built-in exports."""

    language: str = "en"
    runtime: str = WINDOWS
    out: Path = Path(DEMO_OUT)
    force: bool = False


@dataclass(frozen=True, kw_only=True)
class SamplesOptions:
    """``samples``: where to write the demo's two exports."""

    out: Path = Path(".")
    force: bool = False


@dataclass(frozen=True, kw_only=True)
class SnapshotOptions:
    """``snapshot``: the review to copy values-only, and the copy."""

    review: Path
    out: Path | None = None  # None: REVIEW_values.xlsx beside the review
    force: bool = False


@dataclass(frozen=True, kw_only=True)
class TierOptions:
    """``tier``: one partner's figures."""

    revenue: str
    program: str | None = None
    certified_sales: int | None = None
    certified_engineers: int | None = None
    metrics: tuple[str, ...] = ()  # "NAME=VALUE", each read as a cell of that metric
    language: str = "en"


@dataclass(frozen=True, kw_only=True)
class ProgramsOptions:
    """``programs``: list the programs, or check every definition file."""

    check: bool = False


@dataclass(frozen=True, kw_only=True)
class TemplatesOptions:
    """``templates``: where to write the empty workbooks, for which runtime."""

    out: Path
    force: bool = False
    runtime: str = WINDOWS


@dataclass(frozen=True, kw_only=True)
class QbrOptions:
    """``qbr``: the review, which partners (all when none), what to write and where."""

    review: Path
    partners: tuple[str, ...] = ()  # names or tax ids
    out: Path | None = None  # None: the review's name + _qbr
    values: bool = False
    pdf: bool = False
    language: str | None = None  # None: the review's
    force: bool = False
    runtime: str = WINDOWS


@dataclass(frozen=True, kw_only=True)
class LiteOptions:
    """``lite``: where to write the xlwings Lite files, and where Lite gets the package."""

    out: Path = Path("partner_tiers_lite")
    wheel: str | None = None
    from_index: bool = False
    force: bool = False


@dataclass(frozen=True, kw_only=True)
class InstallOptions:
    """``install``: whose Excel to set up, or (``dry_run``) where to write its files."""

    home: Path
    dry_run: bool = False
    out: Path | None = None  # with dry_run
    force: bool = False
    python: str | None = None  # None: this Python
    encoding: str | None = None  # of xlwings.conf; None: the system's


# --- the commands ---------------------------------------------------------------------------


def write_templates(options: TemplatesOptions) -> None:
    """The templates command: the four empty workbooks into ``options.out``."""
    from partner_tiers.workbooks import templates

    lite = options.runtime == LITE
    prepare = functools.partial(_for_runtime, runtime=options.runtime) if lite else None
    suffix = "_lite" if lite else ""
    for path in templates.write_templates(options.out, options.force, prepare, suffix):
        print(path)


def tier(options: TierOptions) -> None:
    """The tier command: one partner's tier and what the next one needs, printed."""
    try:
        revenue = cells.money(options.revenue, "revenue")
        sales = cells.count(options.certified_sales, "--certified-sales")
        engineers = cells.count(options.certified_engineers, "--certified-engineers")
    except cells.CellError as exc:
        raise BadInput(exc.problem) from None  # the cell's code (#VALUE!) means nothing here
    if revenue is None:
        raise BadInput("revenue is empty; give a number such as 45000")
    program = programs.get_program(options.program)
    if not options.metrics:
        print(
            f"{program.id}: {explain(assess(program, revenue, sales, engineers), options.language)}"
        )
        return
    values = {"revenue": to_cents(revenue)}
    for name, count in (("certified_sales", sales), ("certified_engineers", engineers)):
        if count is not None:
            values[name] = count
    values.update(_metric_values(program, options.metrics))
    print(f"{program.id}: {explain(assess_values(program, values), options.language)}")


def _metric_values(program: Program, given: Sequence[str]) -> dict[str, Exact]:
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


def list_programs(options: ProgramsOptions) -> None:
    """The programs command: the programs known here, or (``check``) each file checked."""
    if options.check:
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


def _for_runtime(wb: Any, runtime: str) -> Any:
    """The workbook with its add-in calls as --for's runtime needs them."""
    from partner_tiers.excel.udfs import FUNCTIONS
    from partner_tiers.workbooks.runtimes import for_runtime

    return for_runtime(wb, runtime, FUNCTIONS)


def _write_review(
    sales: Any,
    exported: Sequence[Any],
    options: ReviewOptions,
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
        language=options.language,
        previous=previous,
        reviewer=options.reviewer,
        coverage=sales.coverage,
        certifications=certifications,
    )
    try:
        try:
            filled = build(exported)
        except NegativeTotals as negative:
            skip = options.skip_bad
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
        out = options.out
        assert out is not None  # review names its file, demo has a default
        bar.update(2, 3, f"saving {out.name}")
        output.save_workbook(
            _for_runtime(filled.workbook, options.runtime), out, overwrite=options.force
        )
    finally:
        bar.close()
    _say(filled.warnings, options.language, "warning")
    _say(filled.notices, options.language)
    replaced = programs.get_program(program.replaces) if program.replaces else None
    result = summary.summarise(
        program,
        quarter,
        filled.partners,
        replaced,
        filled.certifications,
        options.language,
        filled.days,
    )
    lang = options.language

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


def demo(options: DemoOptions) -> None:
    """The demo command: the review of the built-in exports, written and summarised."""
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
    written = ReviewOptions(
        sales=Path(DEMO_SALES),
        language=options.language,
        runtime=options.runtime,
        out=options.out,
        force=options.force,
    )
    _write_review(sales, sales.partners, written, certifications=certified.rows)
    print(in_language(said("demo_exports"), options.language))


def samples(options: SamplesOptions) -> None:
    """The samples command: the demo's two exports, written to try the review on."""
    from importlib.resources import files

    from partner_tiers.files.output import write_files

    contents = {
        Path(name).name: (files("partner_tiers") / name).read_bytes()
        for name in (DEMO_SALES, DEMO_CERTIFICATIONS)
    }
    sales, certifications = write_files(options.out, contents, overwrite=options.force)
    print(f"Wrote {sales} and {certifications}. Try:")
    print(
        f"  partner-tiers review {sales} --fiscal-year {DEMO_YEAR} --quarter {DEMO_QUARTER} "
        f"--certifications {certifications}"
    )


def _review_covers(program: Program) -> None:
    """Refuse, before any file is read, a program whose fiscal year is not published: the
    review cannot say which quarter a sale belongs to."""
    program.fiscal_start  # noqa: B018 - an unpublished fiscal year is told here, first


def review(options: ReviewOptions) -> None:
    """The review command: a sales export (and certifications) into the filled review."""
    from partner_tiers.files import output
    from partner_tiers.progress import ProgressBar
    from partner_tiers.review import carry_over, certification_import, exchange_rates, sales_import
    from partner_tiers.review.filled_review import partner_from_row

    program = programs.get_program(options.program)
    _review_covers(program)
    fx = None
    if options.fx is not None:
        try:
            fx = Decimal(options.fx.replace(",", "."))
        except InvalidOperation:
            fx = None
        if fx is None or not fx.is_finite() or not 0 < fx < MAX_RATE:
            raise BadInput(
                f"--fx {options.fx!r} is not a rate above 0 and below {MAX_RATE:,}; write it as "
                "NBP does, e.g. 4.2693 (PLN for 1 EUR)"
            )
    rates = None
    if options.rates:
        rates = exchange_rates.read_rates(options.rates)
    base = (options.base_currency or exchange_rates.BASE_CURRENCY).upper()
    if not base.isalpha() or len(base) != 3:
        raise BadInput(
            f"--base-currency {options.base_currency!r} is not a currency code, e.g. PLN"
        )
    previous = None
    if options.carry_over:
        previous = carry_over.read_previous_review(options.carry_over)
    bar = ProgressBar()
    bar.update(0, 3, f"reading {options.sales.name}")
    try:
        sales = sales_import.read_sales(
            options.sales,
            program,
            fiscal_year=options.fiscal_year,
            quarter=options.quarter,
            delimiter=options.delimiter,
            encoding=options.encoding,
            decimal=options.decimal,
            currency=options.currency and options.currency.upper(),
            fx=fx,
            date_column=options.date_column,
            period=options.period,
            rates=rates,
            base_currency=base,
            carried_year=previous.fiscal_year if previous else None,
        )
    finally:
        bar.close()
    _say(sales.notices, options.language)
    exported = sales.partners
    if sales.problems:
        _report_problems(sales.problems, sales.file, options.skip_bad, options.language)
        exported = sales_import.without_bad_rows(sales)
    certifications = []
    if options.certifications:
        typed = [partner_from_row(row) for row in previous.partners] if previous else []
        read = certification_import.read_certifications(
            options.certifications,
            [*exported, *typed],
            options.delimiter,
            options.encoding,
            program,
        )
        _say(read.notices, options.language)
        if read.problems:
            _report_problems(
                read.problems, options.certifications.name, options.skip_bad, options.language
            )
        certifications = read.rows
    if options.out is None:
        named = REVIEW_OUT.format(
            program=program.id, fiscal_year=sales.fiscal_year, quarter=sales.quarter
        )
        options = dataclasses.replace(options, out=Path(named))
    assert options.out is not None
    if output.same_file(options.out, options.sales):
        raise BadInput(f"{options.out} is the sales export itself; choose another name with --out")
    _write_review(sales, exported, options, previous, certifications)


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


def snapshot(options: SnapshotOptions) -> None:
    """The snapshot command: a values-only copy of a review."""
    from partner_tiers.files import output
    from partner_tiers.progress import ProgressBar
    from partner_tiers.review import snapshot as snapshots

    source = options.review
    out = options.out if options.out else source.with_name(f"{source.stem}_values.xlsx")
    if output.same_file(out, source):
        raise BadInput(f"{out} is the review itself; choose another name with --out")
    if out.exists() and not options.force:
        raise output.OutputExists(out)
    bar = ProgressBar("computing formulas")
    try:
        result = snapshots.write_snapshot(source, out, overwrite=options.force, progress=bar.update)
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


def install(options: InstallOptions) -> None:
    """The install command: Excel set up on Windows, or (``dry_run``) its files written."""
    from partner_tiers.excel import install
    from partner_tiers.files import output

    home = options.home
    if options.dry_run and options.python is None and sys.platform != "win32":
        raise BadInput(
            f"on {sys.platform}, install --dry-run needs --python: the pythonw.exe of the "
            "Windows machines the files are for, e.g. --python C:\\Python312\\pythonw.exe "
            "(this system's own Python would not start there); nothing was written"
        )
    python = options.python or install.interpreter()
    try:
        if options.dry_run:
            if options.out is None:
                raise BadInput("install --dry-run needs --out DIR for its files")
            out = options.out
            for path in install.dry_run(out, home, python, options.encoding, options.force):
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
        written = install.install(home, python, options.encoding)
    except (install.InstallError, LookupError, output.OutputExists) as exc:
        raise BadInput(f"{exc}; nothing was changed") from None
    for path in written:
        print(f"Wrote {path}")
    print(install.EXCEL_STEPS.format(wrapper=install.staging_dir(home) / install.WRAPPER_FILE))


def qbr(options: QbrOptions) -> None:
    """The qbr command: a QBR scorecard per partner of a review (values-only, PDF)."""
    from partner_tiers.files import output, pdf
    from partner_tiers.progress import ProgressBar
    from partner_tiers.review import qbr_pack, snapshot

    review = options.review
    pack = qbr_pack.read_pack(review, list(options.partners), options.language)
    out = options.out if options.out else review.with_name(f"{review.stem}_qbr")
    values = options.values or options.pdf
    files = qbr_pack.targets(pack, out, values)
    if any(output.same_file(path, review) for path in files):
        raise BadInput(f"{review} would be replaced by a scorecard; choose another --out")
    qbr_pack.check_targets(files, options.force)
    if options.pdf:
        pdf.soffice()  # before anything is written: no LibreOffice, nothing written
    output.ensure_folder(out)
    bar = ProgressBar("writing scorecards")
    copies: list[Path] = []
    written = 0
    try:
        for card in pack.scorecards:
            path = out / f"{card.stem}.xlsx"
            workbook = _for_runtime(pack.workbook(card), options.runtime)
            output.save_workbook(workbook, path, options.force)
            if values:
                copies.append(out / f"{card.stem}{qbr_pack.VALUES_SUFFIX}.xlsx")
                snapshot.write_snapshot(path, copies[-1], overwrite=options.force)
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
    if options.pdf and copies:
        rendered = pdf.convert(copies, out)
        pdfs = said("rendered", pdfs=counted(len(rendered), "PDF"), n=len(rendered))
        print(in_language(pdfs, lang))


def write_lite(options: LiteOptions) -> None:
    """The lite command: the three files that bring the functions to xlwings Lite."""
    from partner_tiers.excel import lite

    written = lite.write_bundle(options.out, options.wheel, options.force, options.from_index)
    for path in written:
        print(f"Wrote {path}")
    print(f"Next: the steps in {options.out / 'HOW_TO.md'}.")
