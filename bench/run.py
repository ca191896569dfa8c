"""How partner-tiers scales, measured in one run and printed as a Markdown table.

    python bench/run.py                 # everything, about nine minutes on two cores
    python bench/run.py --repeat 1 --sizes 1000,10000    # a quick look

Every figure is the median of ``--repeat`` runs, and every comparison is a ratio of two
figures measured side by side in this run, so the ratios hold on any machine. Commands run in
a new process each; peak memory is that process's largest resident set (Linux only).

1. The Excel functions on a column of 100,000 revenues (some blank, some bad): one call with
   the whole range, 100,000 one-cell calls, and a bare Python loop of ``bisect`` over float
   thresholds that reads and writes the same rows of cells (the floor of what Python can do).
2. Program definitions: the first look-up in a new process (cold) and a cached look-up (warm),
   with the file-change check as it runs in Excel and with a check on every call.
3. ``partner-tiers review`` of generated Polish-style invoice exports.
4. ``partner-tiers snapshot`` of the 10,000-partner review.
5. ``partner-tiers templates``.
6. The add-in calls that one full recalculation of each workbook makes (each crosses COM in
   Excel), with their cost at 4 and 13 ms a call, against the count before the templates'
   blocks became array formulas.
7. Hostile inputs: each refused quickly and in little memory.
8. ``partner-tiers qbr`` of reviews of 100 and 1,000 partners, one scorecard each.
9. ``PARTNER_TIER`` on 100,000 cells in Pyodide (xlwings Lite's runtime) next to CPython,
   and Pyodide's cold start.
10. Programs of other shapes (examples/): a table of 100,000 partners' metrics for a program
    with two paths to a tier and one with a points score, next to today's revenue column.

``--only functions,shapes`` runs some of the groups: functions, programs, commands,
recalculation, hostile, qbr, pyodide, shapes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from stdnum.pl import nip

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ as a package, run or imported
from bench.hostile_inputs import cell_bomb, whole_sheet_sum
from partner_tiers.excel import udfs
from partner_tiers.limits import MAX_CELLS
from partner_tiers.rules import programs
from partner_tiers.rules.fiscal_year import fiscal_year_start
from tests.pyodide import launch

COLUMN_ROWS = 100_000
INVOICES_PER_PARTNER = 8
SNAPSHOT_SIZE = 10_000
DEFAULT_SIZES = (1_000, 10_000, 50_000)
MB = 1024 * 1024


@dataclass
class Row:
    """One line of the results table."""

    what: str
    figure: str
    target: str = ""
    met: bool | None = None


def median_time(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``run`` in seconds."""
    return statistics.median(timeit.repeat(run, number=1, repeat=repeat))


def side_by_side(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Median wall times of two runs taken in turns, so that both meet the same machine."""
    first()  # warm up
    pairs = [(median_time(first, 1), median_time(second, 1)) for _ in range(repeat)]
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def revenue_column(rows: int, seed: int = 2019) -> list[list[object]]:
    """A column as xlwings hands it over: amounts in cents, 5% blank, 1% bad in four ways."""
    rng = random.Random(seed)
    bad = ["n/a", "#N/A", -250.0, "12 500,00"]
    column: list[list[object]] = []
    for i in range(rows):
        roll = rng.random()
        if roll < 0.05:
            column.append([None])
        elif roll < 0.06:
            column.append([bad[i % len(bad)]])
        else:
            column.append([round(rng.uniform(0, 300_000), 2)])
    return column


# Each function with the column first and single cells for the rest, as a column formula has
# them: =PROJECTED_TIER(F2:F100001, 2), =DEMOTION_RISK(F2:F100001, 2, "Gold").
COLUMN_CALLS = (
    (udfs.PARTNER_TIER, ()),
    (udfs.NEXT_TIER, ()),
    (udfs.GAP_TO_NEXT, ()),
    (udfs.TIER_PROGRESS, ()),
    (udfs.TIER_CHANGE, ("sophos-pre-2019", "sophos-2019")),
    (udfs.PROJECTED_TIER, (2,)),
    (udfs.REQUIRED_PER_QUARTER, (2,)),
    (udfs.DEMOTION_RISK, (2, "Gold")),
    (udfs.TIER_EXPLAIN, (None, None, None, "pl")),
)


def bench_functions(repeat: int) -> list[Row]:
    repeat = max(repeat, 5)  # a tenth of a second each: more runs steady the ratios
    column = revenue_column(COLUMN_ROWS)
    thresholds = [float(t.min_revenue) for t in programs.get_program().tiers]

    def bare_loop() -> list[list[object]]:
        out = []
        for (value,) in column:
            out.append([bisect_right(thresholds, value) if type(value) is float else None])
        return out

    floors = []
    rows = []
    for function, others in COLUMN_CALLS:
        floor, ranged = side_by_side(bare_loop, lambda f=function, o=others: f(column, *o), repeat)
        floors.append(floor)
        single = median_time(lambda f=function, o=others: [f(v, *o) for (v,) in column], repeat)
        rows.append(
            Row(
                f"`{function.__name__}`: one call for the column / 100,000 one-cell calls",
                f"{_per_cell(ranged)}, {ranged / floor:.1f}x the bare loop / "
                f"{_per_cell(single)}, {single / ranged:.1f}x",
                "≤ 3 µs/cell and ≤ 10x",
                ranged / COLUMN_ROWS * 1e6 <= 3 and ranged / floor <= 10,
            )
        )
    floor_row = Row("bare `bisect` loop over the column", _per_cell(statistics.median(floors)))
    return [floor_row, *rows, *bench_review_sheet_calls(column, repeat)]


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHAPES = (
    # (program, its table's header, one partner's values drawn from rng)
    (
        "example-two-paths",
        ["revenue", "services_revenue", "certified_engineers"],
        lambda rng: [
            round(rng.uniform(0, 4_000_000), 2),
            round(rng.uniform(0, 500_000), 2),
            float(rng.randint(0, 6)),
        ],
    ),
    (
        "example-score-and-tracks",
        ["net_customer_adds", "certified_engineers", "deployments"],
        lambda rng: [
            float(rng.randint(0, 45)),
            float(rng.randint(0, 9)),
            float(rng.randint(0, 70)),
        ],
    ),
)


def bench_shapes(repeat: int) -> list[Row]:
    """A column call for a program of two paths and one of a score, each a table of metrics
    of 100,000 partners (one row each), beside today's ladder column in the same run."""
    repeat = max(repeat, 5)
    os.environ[programs.PROGRAMS_PATH_VARIABLE] = str(EXAMPLES)
    programs.registry.refresh(force=True)
    column = revenue_column(COLUMN_ROWS)
    rows = []
    for program_id, header, partner in SHAPES:
        rng = random.Random(24)
        table = [header] + [partner(rng) for _ in range(COLUMN_ROWS)]
        for function in (udfs.PARTNER_TIER, udfs.GAP_TO_NEXT):
            ladder, shaped = side_by_side(
                lambda f=function: f(column),
                lambda f=function, t=table, p=program_id: f(t, p),
                repeat,
            )
            target = function is udfs.PARTNER_TIER
            rows.append(
                Row(
                    f"`{function.__name__}` of a {program_id} table (100,000 partners, 3 metrics)",
                    f"{_per_cell(shaped)}, {shaped / ladder:.1f}x today's revenue column "
                    f"({_per_cell(ladder)})",
                    "≤ 3 µs/cell" if target else "",
                    shaped / COLUMN_ROWS * 1e6 <= 3 if target else None,
                )
            )
    del os.environ[programs.PROGRAMS_PATH_VARIABLE]
    programs.registry.refresh(force=True)
    return rows


def bench_review_sheet_calls(column: list[list[object]], repeat: int) -> list[Row]:
    """The calls of the review workbook, where each row has its own certifications or tier."""
    rng = random.Random(5)
    counts = [[rng.choice((None, 0, 1, 2, 3))] for _ in column]
    tiers = [[rng.choice(("Authorized", "Silver", "Gold", "Platinum"))] for _ in column]
    pairs = [[t[0], {"Platinum": None}.get(t[0], "Platinum")] for t in tiers]
    ytd = [[None if v[0] is None or isinstance(v[0], str) else v[0] / 3] for v in column]
    names = [[f"Partner {i} Sp. z o.o."] for i in range(len(column))]
    taxes = [[None] for _ in column]
    certified = [
        [
            f"PARTNER {rng.randrange(len(column))} sp z o o",
            None,
            f"Person {i % 7}",
            rng.choice(("Sales", "Engineer")),
            "Course",
            46000.0 + rng.randrange(800),
        ]
        for i in range(len(column) // 5)
    ]
    calls = {
        "GAP_TO_NEXT(revenue, Program, sales, engineers)": lambda: udfs.GAP_TO_NEXT(
            column, "sophos-2019", counts, counts
        ),
        "PROJECTED_TIER(ytd, Quarter, Program, sales, engineers)": lambda: udfs.PROJECTED_TIER(
            column, 2, "sophos-2019", counts, counts
        ),
        "DEMOTION_RISK(ytd, Quarter, current_tier, Program)": lambda: udfs.DEMOTION_RISK(
            column, 2, tiers, "sophos-2019"
        ),
        # Both needed figures at once: the current tier and the next one as targets.
        "REQUIRED_PER_QUARTER(ytd, Quarter, Program, current:next)": lambda: (
            udfs.REQUIRED_PER_QUARTER(column, 2, "sophos-2019", pairs)
        ),
        # The sentence with the year so far: what keeping the tier takes, for those at risk.
        "TIER_EXPLAIN(revenue, Program, sales, engineers, lang, ytd, Quarter)": lambda: (
            udfs.TIER_EXPLAIN(column, "sophos-2019", counts, counts, "en", ytd, 2)
        ),
        # Every partner's certified people from a Certifications table of 20% as many rows.
        "CERTIFIED_PEOPLE(partners, tax ids, sales, engineers, certifications, days)": lambda: (
            udfs.CERTIFIED_PEOPLE(names, taxes, counts, counts, certified, 46295.0, 46477.0)
        ),
    }
    return [
        Row(
            f"`{call}` with a column for each argument but the single cells",
            _per_cell(median_time(run, repeat)),
        )
        for call, run in calls.items()
    ]


def _per_cell(seconds: float) -> str:
    return f"{seconds / COLUMN_ROWS * 1e6:.2f} µs/cell"


COLD_LOAD = (
    "import time; t = time.perf_counter(); from partner_tiers.rules import programs; "
    "programs.get_program(); print(time.perf_counter() - t)"
)


def bench_programs(repeat: int) -> list[Row]:
    cold = statistics.median(
        float(
            subprocess.run(
                [sys.executable, "-c", COLD_LOAD], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeat)
    )
    calls = 100_000
    programs.get_program()
    warm = median_time(lambda: [programs.get_program() for _ in range(calls)], repeat) / calls
    always = programs.ProgramRegistry(check_interval=0)
    always.get()
    checked = median_time(lambda: [always.get() for _ in range(1000)], repeat) / 1000
    return [
        Row("program definitions, cold (import and load in a new process)", f"{cold * 1e3:.1f} ms"),
        Row(
            "program look-up, warm (files checked at most once a second)",
            f"{warm * 1e6:.2f} µs/call; cold is {cold / warm:,.0f}x",
            "< 5 µs",
            warm * 1e6 < 5,
        ),
        Row("program look-up, files checked on every call", f"{checked * 1e6:.1f} µs/call"),
    ]


REVIEW_YEAR, REVIEW_QUARTER = 2026, 2


def valid_nips() -> Iterator[str]:
    """Polish tax ids that pass python-stdnum's check, one after another."""
    for base in itertools.count(526_000_000):
        digit = next((d for d in range(10) if nip.is_valid(f"{base}{d}")), None)
        if digit is not None:
            yield f"{base}{digit}"


def write_sales_export(path: Path, partners: int, seed: int = 7) -> None:
    """An invoice-per-row export as a Polish ERP writes it: semicolons, decimal commas, BOM.

    Invoices fall in the default program's previous fiscal year and the first two quarters
    of :data:`REVIEW_YEAR`.
    """
    rng = random.Random(seed)
    start = fiscal_year_start(REVIEW_YEAR - 1, programs.get_program().fiscal_year_start_month)
    days = (
        fiscal_year_start(REVIEW_YEAR, start.month) - start
    ).days + 181  # two quarters: 181 days or more
    lines = ["Kontrahent;NIP;Data faktury;Kwota netto;Waluta"]
    tax_ids = valid_nips()
    for p in range(partners):
        name, tax_id = f"Partner {p} Sp. z o.o.", next(tax_ids)
        scale = rng.choice((2_000, 8_000, 25_000, 60_000))
        for _ in range(INVOICES_PER_PARTNER):
            day = start + dt.timedelta(days=rng.randrange(days))
            amount = f"{rng.uniform(0, scale):.2f}".replace(".", ",")
            lines.append(f"{name};{tax_id};{day:%d.%m.%Y};{amount};EUR")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


# Runs the command line, then reports the process's own peak resident memory. Linux carries
# ru_maxrss across fork and exec, so a child would report this benchmark process's peak if it
# was larger; VmHWM (high-water mark) belongs to the child's own memory.
MEASURED_RUN = """
import sys
from partner_tiers.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        print("peak-kB", *[line.split()[1] for line in status if line.startswith("VmHWM")],
              file=sys.stderr)
except OSError:
    pass  # not Linux: no peak figure
sys.exit(code)
"""


def run_measured(args: Sequence[str], exit_code: int = 0) -> tuple[float, float]:
    """Wall seconds and peak resident megabytes of ``partner-tiers args`` in a new process,
    which must end with ``exit_code``."""
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", MEASURED_RUN, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    if child.returncode != exit_code:
        raise RuntimeError(f"partner-tiers {' '.join(args)} failed:\n{child.stderr}")
    last = child.stderr.split()[-2:]
    return seconds, int(last[1]) / 1024 if last[:1] == ["peak-kB"] else float("nan")


def measured(args: Sequence[str], repeat: int) -> tuple[float, float]:
    runs = [run_measured(args) for _ in range(repeat)]
    return statistics.median(s for s, _ in runs), max(m for _, m in runs)


def bench_commands(sizes: Sequence[int], repeat: int, work: Path) -> list[Row]:
    rows, reviews = [], {}
    for size in sizes:
        export, review = work / f"sales_{size}.csv", work / f"review_{size}.xlsx"
        write_sales_export(export, size)
        period = ["--fiscal-year", str(REVIEW_YEAR), "--quarter", str(REVIEW_QUARTER)]
        command = ["review", str(export), *period, "--out", str(review), "--force"]
        seconds, peak = measured(command, repeat)
        reviews[size] = seconds, peak
        target = size == SNAPSHOT_SIZE
        rows.append(
            Row(
                f"`review` of {size:,} partners ({size * INVOICES_PER_PARTNER:,} invoice rows)",
                f"{seconds:.2f} s, {peak:.0f} MB peak",
                "< 10 s and < 400 MB" if target else "",
                seconds < 10 and peak < 400 if target else None,
            )
        )
    if 10_000 in reviews and 50_000 in reviews:
        (small_s, small_mb), (large_s, large_mb) = reviews[10_000], reviews[50_000]
        rows.append(
            Row(
                "`review` growth, 50,000 / 10,000 partners (5x)",
                f"time {large_s / small_s:.2f}x, peak memory {large_mb / small_mb:.2f}x",
                "≤ 5.5x (linear + 10%)",
                large_s / small_s <= 5.5,
            )
        )
    if SNAPSHOT_SIZE in sizes:
        review = work / f"review_{SNAPSHOT_SIZE}.xlsx"
        values = work / "review_values.xlsx"
        seconds, peak = measured(["snapshot", str(review), "--out", str(values), "--force"], repeat)
        rows.append(
            Row(
                f"`snapshot` of the {SNAPSHOT_SIZE:,}-partner review",
                f"{seconds:.2f} s, {peak:.0f} MB peak",
                "< 20 s and < 600 MB",
                seconds < 20 and peak < 600,
            )
        )
    seconds, peak = measured(["templates", "--out", str(work / "templates"), "--force"], repeat)
    rows.append(
        Row("`templates` (all four)", f"{seconds:.2f} s, {peak:.0f} MB peak", "< 3 s", seconds < 3)
    )
    return rows


QBR_SIZES = (100, 1_000)


def bench_qbr(work: Path, repeat: int) -> list[Row]:
    """``partner-tiers qbr``: a scorecard for each partner of a review of 100 and of 1,000."""
    rows, times = [], {}
    for size in QBR_SIZES:
        export, review = work / f"qbr_sales_{size}.csv", work / f"qbr_review_{size}.xlsx"
        write_sales_export(export, size)
        period = ["--fiscal-year", str(REVIEW_YEAR), "--quarter", str(REVIEW_QUARTER)]
        run_measured(["review", str(export), *period, "--out", str(review), "--force"])
        out = ["--out", str(work / f"qbr_{size}"), "--force"]
        seconds, peak = measured(["qbr", str(review), *out], repeat)
        times[size] = seconds
        big = size == QBR_SIZES[-1]
        rows.append(
            Row(
                f"`qbr` of a {size:,}-partner review ({size:,} scorecards)",
                f"{seconds:.2f} s, {peak:.0f} MB peak",
                "< 60 s and < 500 MB" if big else "",
                seconds < 60 and peak < 500 if big else None,
            )
        )
    small, large = QBR_SIZES
    growth = times[large] / times[small]
    rows.append(
        Row(
            f"`qbr` growth, {large:,} / {small:,} partners ({large // small}x)",
            f"time {growth:.2f}x",
            f"≤ {large // small * 1.1:.0f}x (linear + 10%)",
            growth <= large / small * 1.1,
        )
    )
    seconds, peak = run_measured(
        [
            "qbr",
            str(work / f"qbr_review_{large}.xlsx"),
            "--values",
            "--out",
            str(work / f"qbr_{large}"),
            "--force",
        ]
    )
    rows.append(
        Row(
            f"`qbr --values` of the {large:,}-partner review (and a values-only copy of each)",
            f"{seconds:.2f} s, {peak:.0f} MB peak",
        )
    )
    return rows


# Add-in calls per full recalculation before the templates' blocks became array formulas,
# counted with count_addin_calls on the templates of commit cdd965b.
CALLS_BEFORE = {"review": 92, "qbr": 69}
CALL_LIMITS = {"review": 15, "qbr": 10}
COM_MS_PER_CALL = (4, 13)  # xlwings issue #1976: one UDF call through COM


def bench_recalculation(work: Path) -> list[Row]:
    """Add-in calls that one full recalculation makes, and what they cost through COM."""
    from partner_tiers.excel.udfs import FUNCTIONS
    from partner_tiers.files.safe_xlsx import open_workbook
    from partner_tiers.formulas.workbook import count_addin_calls
    from partner_tiers.workbooks.templates import TEMPLATES

    filled = work / "review_1000.xlsx"
    if not filled.exists():
        write_sales_export(work / "sales_1000.csv", 1000)
        period = ["--fiscal-year", str(REVIEW_YEAR), "--quarter", str(REVIEW_QUARTER)]
        run_measured(["review", str(work / "sales_1000.csv"), *period, "--out", str(filled)])
    books = [
        (
            "review",
            "the portfolio review template",
            TEMPLATES["quarterly_partner_review_en.xlsx"](),
        ),
        ("review", "a review filled by `review` with 1,000 partners", open_workbook(filled)),
        ("qbr", "the QBR template", TEMPLATES["partner_qbr_en.xlsx"]()),
    ]
    rows = []
    for kind, what, workbook in books:
        calls = sum(count_addin_calls(workbook, FUNCTIONS).values())
        before = CALLS_BEFORE[kind]
        cost = " / ".join(f"{calls * ms:,} ms" for ms in COM_MS_PER_CALL)
        cost_before = " / ".join(f"{before * ms:,} ms" for ms in COM_MS_PER_CALL)
        rows.append(
            Row(
                f"add-in calls per full recalculation: {what}",
                f"{calls} calls, {cost} at 4 / 13 ms a call (before: {before} calls, "
                f"{cost_before})",
                f"≤ {CALL_LIMITS[kind]} calls",
                calls <= CALL_LIMITS[kind],
            )
        )
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def table(rows: Sequence[Row]) -> str:
    lines = ["| What | Measured | Target | Met |", "|---|---|---|---|"]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(f"| {row.what} | {row.figure} | {row.target} | {met} |")
    return "\n".join(lines)


HOSTILE_SECONDS, HOSTILE_MB = 30, 1024  # any file under 10 MB packed: done or refused


def exact_column(rows: int, seed: int = 2020) -> list[list[object]]:
    """Amounts with a fraction of a cent (exchanged from another currency): the exact path."""
    rng = random.Random(seed)
    return [[round(rng.uniform(0, 300_000), 4)] for _ in range(rows)]


def bench_pyodide(work: Path, repeat: int) -> list[Row]:
    """PARTNER_TIER on a 100,000-cell column as xlwings Lite calls it, in Pyodide under Node
    and in CPython, the same code (tests/pyodide) in both, in turns of one process each."""
    node = launch.node()
    if node is None:
        return [Row("Pyodide (xlwings Lite)", "not measured: Node.js is not installed")]
    wheel = launch.build_wheel(work / "wheel")
    bundle, installed = work / "lite", work / "lite_installed"
    for folder, options in ((bundle, []), (installed, ["--from-index"])):
        subprocess.run(
            [sys.executable, "-m", "partner_tiers", "lite", "--out", str(folder), *options],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    main = (bundle / "main.py").read_bytes()
    lines = main.count(b"\n")
    rows = [
        Row(
            "main.py that carries partner-tiers (for Lite without a package index)",
            f"{len(main) / 1024:.0f} KB, {lines:,} lines",
        )
    ]
    for what, column in (
        ("whole cents", revenue_column(COLUMN_ROWS)),
        ("fractions of a cent", exact_column(COLUMN_ROWS)),
    ):
        calls = work / "calls.json"
        calls.write_text(json.dumps([["PARTNER_TIER", [column]]] * max(repeat, 3)), "utf-8")
        cpython = launch.in_cpython(bundle, calls, work / "cpython")
        pyodide = launch.in_pyodide(node, None, bundle, calls, work)  # main.py alone
        assert pyodide["results"] == cpython["results"]
        ours, theirs = statistics.median(cpython["seconds"]), statistics.median(pyodide["seconds"])
        rows.append(
            Row(
                f"`PARTNER_TIER` on 100,000 cells in Pyodide {pyodide['python']} / CPython, "
                f"{what}, as Lite calls it",
                f"{_per_cell(theirs)} / {_per_cell(ours)}: {theirs / ours:.1f}x",
                "≤ 3x",
                theirs / ours <= 3,
            )
        )
    cold = pyodide["cold_start"]
    wheeled = launch.in_pyodide(node, wheel, installed, calls, work)["cold_start"]
    rows.append(
        Row(
            "Pyodide cold start to the first answer: main.py carrying partner-tiers / "
            "the wheel installed and a one-line main.py (load Pyodide)",
            f"{cold['to_first_answer']:.2f} s / {wheeled['to_first_answer']:.2f} s "
            f"({cold['load_pyodide']:.2f} s)",
        )
    )
    return rows


def write_certification_export(path: Path, partners: int, rows: int, seed: int = 3) -> None:
    """A partner portal's export: ``rows`` certified people spread over the partners of
    :func:`write_sales_export`, dated around the reviewed year."""
    rng = random.Random(seed)
    lines = ["Partner;NIP;Osoba;Rola;Certyfikat;Ważny do"]
    for i in range(rows):
        day = dt.date(REVIEW_YEAR - 1, 1, 1) + dt.timedelta(rng.randrange(3 * 365))
        role = rng.choice(("Handlowiec", "Inżynier"))
        lines.append(
            f"Partner {rng.randrange(partners)} Sp. z o.o.;;Osoba {i};{role};Kurs;{day:%d.%m.%Y}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_rates_descending(path: Path, rates: int) -> None:
    """A rates file newest first, as a careless export writes it, whose last date is bad."""
    first = dt.date(2025, 12, 31)
    lines = ["date;currency;rate"]
    lines += [f"{first - dt.timedelta(n)};EUR;4,{2000 + n % 1000}" for n in range(rates - 1)]
    lines.append("31.02.2025;EUR;4,2000")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def bench_hostile(work: Path) -> list[Row]:
    """Files built to exhaust a careless reader, refused within the bounds."""
    sum_all = whole_sheet_sum(work / "sum_all.xlsx")
    bomb = cell_bomb(work / "bomb.xlsx", sheets=20, cells_per_sheet=300_000)
    near = cell_bomb(work / "near.xlsx", sheets=4, cells_per_sheet=MAX_CELLS // 4 - 10)
    with zipfile.ZipFile(bomb) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
    sales = work / "one_sale.csv"
    sales.write_text("Kontrahent;Data;Kwota\nAcme;01.05.2025;1\n", encoding="utf-8")
    out = str(work / "hostile_out.xlsx")
    size = f"{bomb.stat().st_size / 1e6:.1f} MB packed, {unpacked / 1e6:.0f} MB unpacked"
    cases = [
        (f"`snapshot` of {sum_all.stat().st_size / 1e3:.0f} KB with =SUM(B1:XFD1048576)",
         ["snapshot", str(sum_all), "--out", out, "--force"]),
        (f"`snapshot` of a bomb of 6 million cells ({size})",
         ["snapshot", str(bomb), "--out", out, "--force"]),
        ("`review` of that bomb as a sales export", ["review", str(bomb), "--out", out, "--force"]),
        ("`review --carry-over` that bomb",
         ["review", str(sales), "--carry-over", str(bomb), "--out", out, "--force"]),
        (f"`snapshot` of a file just under the limit ({MAX_CELLS:,} cells, "
         f"{near.stat().st_size / 1e6:.1f} MB packed)",
         ["snapshot", str(near), "--out", out, "--force"]),
    ]  # fmt: skip
    # A large distributor's portal export: 100,000 certified people for 10,000 partners.
    export, certs = work / "sales_certs.csv", work / "certs_100000.csv"
    write_sales_export(export, 10_000)
    write_certification_export(certs, 10_000, 100_000)
    review = str(work / "certs_review.xlsx")
    period = ["--fiscal-year", str(REVIEW_YEAR), "--quarter", str(REVIEW_QUARTER)]
    rates = work / "rates_descending.csv"
    write_rates_descending(rates, 374_000)
    cases += [
        (f"`review` of 10,000 partners with a certification export of 100,000 rows "
         f"({certs.stat().st_size / 1e6:.1f} MB)",
         ["review", str(export), *period, "--certifications", str(certs), "--out", review,
          "--force"]),
        ("`snapshot` of that review", ["snapshot", review, "--out", out, "--force"]),
        (f"`review --rates` of 374,000 rates in falling date order, the last one bad "
         f"({rates.stat().st_size / 1e6:.1f} MB)",
         ["review", str(sales), "--rates", str(rates), "--out", out, "--force"]),
    ]  # fmt: skip
    done = ("under the limit", "certification export", "`snapshot` of that review")
    rows = []
    for what, args in cases:
        succeeds = any(d in what for d in done)
        seconds, peak = run_measured(args, exit_code=0 if succeeds else 1)
        rows.append(
            Row(
                f"hostile: {what}",
                f"{'done' if succeeds else 'refused'} in {seconds:.2f} s, {peak:.0f} MB peak",
                f"< {HOSTILE_SECONDS} s and < {HOSTILE_MB:,} MB",
                seconds < HOSTILE_SECONDS and peak < HOSTILE_MB,
            )
        )
    return rows


GROUPS = (
    "functions",
    "shapes",
    "programs",
    "commands",
    "recalculation",
    "hostile",
    "qbr",
    "pyodide",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (default: 3)")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="partners per review, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--only", default="", help="comma-separated groups to run (default: all)")
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",")]
    only = set(options.only.split(",")) if options.only else set(GROUPS)
    unknown = only - set(GROUPS)
    if unknown:
        parser.error(
            f"--only: unknown group(s) {', '.join(sorted(unknown))}; use {', '.join(GROUPS)}"
        )
    repeat, rows = options.repeat, []
    if "functions" in only:
        rows += bench_functions(repeat)
    if "shapes" in only:
        rows += bench_shapes(repeat)
    if "programs" in only:
        rows += bench_programs(repeat)
    with tempfile.TemporaryDirectory(prefix="partner-tiers-bench-") as work:
        folder = Path(work)
        for group, run in (
            ("commands", lambda: bench_commands(sizes, repeat, folder)),
            ("recalculation", lambda: bench_recalculation(folder)),
            ("hostile", lambda: bench_hostile(folder)),
            ("qbr", lambda: bench_qbr(folder, repeat)),
            ("pyodide", lambda: bench_pyodide(folder, repeat)),
        ):
            if group in only:
                rows += run()
    print(f"Measured on {machine()}, median of {options.repeat} runs.\n")
    print(table(rows))
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
