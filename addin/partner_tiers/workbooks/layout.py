"""Where everything sits in the review workbooks, defined once.

The builders, the tests and the command line that fills a review all read cell positions
from here, so no address is written twice. A table is a list of :class:`Column` in sheet
order; a column's letter follows from its position.

>>> PARTNERS.letter("revenue_prior_year"), PARTNERS.first_row
('D', 5)
>>> PARTNERS.index("revenue_q1"), PARTNERS.header_row
(5, 4)
>>> PARTNERS.cells("name", "Partners", 5, 104)
'Partners!$A$5:$A$104'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from partner_tiers.files.xlsx_parts import quoted_sheet
from partner_tiers.records import Partner
from partner_tiers.rules.metrics import REVENUE, Metric
from partner_tiers.rules.program import Program
from partner_tiers.rules.projection import runs_on
from partner_tiers.rules.tiers import gap_metric, typed_metrics
from partner_tiers.texts import LANGUAGES, label

# Partner rows in a blank template; a filled review has one row per partner.
TEMPLATE_PARTNER_ROWS = 100
TEMPLATE_ACTION_ROWS = 50
TEMPLATE_CERTIFICATION_ROWS = 200
QBR_LAPSING = 6  # certifications that lapse before the audit, listed on the scorecard
QBR_COMMITMENTS = 5
CLOSEST_PARTNERS = 10
PROGRAM_LIST_ROWS = 20  # room for the ids TIER_PROGRAMS() lists


def sheet_prefix(sheet: str) -> str:
    """``Sheet!`` for a reference, quoted as :func:`~partner_tiers.files.xlsx_parts.quoted_sheet`
    quotes it.

    >>> sheet_prefix("Review"), sheet_prefix("Karta partnera"), sheet_prefix("Przegląd")
    ('Review!', "'Karta partnera'!", "'Przegląd'!")
    """
    return f"{quoted_sheet(sheet)}!"


def yes_no(value: bool | None, language: str) -> str | None:
    """A flag as the workbook's Yes/No list shows it; None stays empty.

    >>> yes_no(True, "pl"), yes_no(False, "en"), yes_no(None, "en")
    ('Tak', 'No', None)
    """
    return None if value is None else label("yes" if value else "no", language)


@dataclass(frozen=True)
class Column:
    """One column of a table: its key, width and kind (which decides format and validation).
    A column of a program's metric carries its own header words, one per language."""

    key: str
    width: float
    kind: str  # text, money, count, yesno, growth, tier, ratio, risk, change, date, status, helper
    headers: tuple[str, ...] | None = None  # in LANGUAGES' order; None: the label of ``key``

    def header(self, language: str) -> str:
        """The column's header in ``language``."""
        if self.headers is None:
            return label(self.key, language)
        return self.headers[LANGUAGES.index(language)]


@dataclass(frozen=True)
class Table:
    """Columns laid out from column A, with a header row and data from ``first_row``."""

    columns: tuple[Column, ...]
    header_row: int = 4

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    def index(self, key: str) -> int:
        """1-based column number of ``key``."""
        for i, column in enumerate(self.columns, 1):
            if column.key == key:
                return i
        raise KeyError(key)

    def letter(self, key: str) -> str:
        return get_column_letter(self.index(key))

    def cells(self, key: str, sheet: str, first: int, last: int, to: str | None = None) -> str:
        """Absolute reference to rows ``first``..``last`` of column ``key`` (through column
        ``to``) on ``sheet``."""
        col, end = self.letter(key), self.letter(to or key)
        return f"{sheet_prefix(sheet)}${col}${first}:${end}${last}"


PARTNERS = Table(
    (
        Column("name", 30, "text"),
        Column("tax_id", 14, "text"),
        Column("account_manager", 18, "text"),
        Column("revenue_prior_year", 17, "money"),
        Column("revenue_q1", 14, "money"),
        Column("revenue_q2", 14, "money"),
        Column("revenue_q3", 14, "money"),
        Column("revenue_q4", 14, "money"),
        Column("certified_sales", 13, "count"),
        Column("certified_engineers", 14, "count"),
        Column("msp", 8, "yesno"),
        Column("notes", 40, "text"),
        Column("in_export", 12, "yesno"),
    )
)
QUARTER_KEYS = ("revenue_q1", "revenue_q2", "revenue_q3", "revenue_q4")
METRIC_KEY = "metric."  # the key of a program's metric column: "metric.monthly_commitment"
METRIC_KINDS = {  # a metric's kind -> its column's kind
    "revenue": "money",
    "monthly": "money",
    "certified": "count",
    "count": "count",
    "growth": "growth",
    "yes_no": "yesno",
}


def partner_row(p: Partner) -> dict[str, object]:
    """A partner as the cells of its Partners row, by column key (a program's metric by
    :data:`METRIC_KEY` and its name), each value as the record holds it.

    >>> partner_row(Partner("Acme", metrics={"business_plan": True}))["metric.business_plan"]
    True
    """
    values: dict[str, object] = {
        "name": p.name,
        "tax_id": p.tax_id,
        "account_manager": p.account_manager,
        "revenue_prior_year": p.revenue_prior_year,
        "certified_sales": p.certified_sales,
        "certified_engineers": p.certified_engineers,
        "msp": p.msp,
        "notes": p.notes,
        "in_export": p.in_export,
    }
    values.update(zip(QUARTER_KEYS, p.revenue_quarters, strict=True))
    values.update((METRIC_KEY + name, value) for name, value in p.metrics.items())
    return values


def metric_column(metric: Metric) -> Column:
    """The Partners column of a program's metric: typed per partner, headed in its words.

    >>> from partner_tiers.rules.metrics import GROWTH
    >>> column = metric_column(GROWTH)
    >>> column.key, column.kind, column.header("pl")
    ('metric.growth', 'growth', 'Revenue growth')
    """
    headers = tuple(metric.words.header_in(language) for language in LANGUAGES)
    return Column(METRIC_KEY + metric.name, 16, METRIC_KINDS[metric.kind], headers)


def partners_table(program: Program) -> Table:
    """The Partners table of a review of ``program``: :data:`PARTNERS`, with a column for
    each metric the program reads beyond revenue and the two counts (before the MSP flag).

    >>> from partner_tiers.rules.programs import get_program
    >>> partners_table(get_program("sophos-2019")) is PARTNERS
    True
    """
    extra = [metric_column(m) for m in typed_metrics(program)]
    counted = counts_sales_and_engineers(program)
    if not extra and counted:
        return PARTNERS
    base = [c for c in PARTNERS.columns if counted or c.key not in COUNT_KEYS]
    at = [c.key for c in base].index("msp")
    return Table((*base[:at], *extra, *base[at:]), PARTNERS.header_row)


COUNT_KEYS = ("certified_sales", "certified_engineers")


def counts_sales_and_engineers(program: Program) -> bool:
    """Whether a review of ``program`` counts certified sales people and engineers (their
    Partners columns, CERTIFIED_PEOPLE, the certifications that lapse): where a tier reads
    one of the two, and for a program of today's shape that names them as its roles (Sophos,
    whose counts per tier are not published). A revenue ladder that names no roles (ESET
    DACH 2016) has none to count.

    >>> from partner_tiers.rules.programs import get_program
    >>> [counts_sales_and_engineers(get_program(p)) for p in ("sophos-2019", "eset-dach-2016")]
    [True, False]
    """
    read = {m.name for m in program.read_metrics()}
    if read & set(COUNT_KEYS):
        return True
    return program.names_roles and not typed_metrics(program)


def counts_people(program: Program) -> bool:
    """Whether a review of ``program`` counts certified people at all (the Certifications
    sheet): the sales people and engineers, or a tier reads another of its roles."""
    other = any(m.kind == "certified" for m in typed_metrics(program))
    return counts_sales_and_engineers(program) or other


def projects_in_review(program: Program) -> bool:
    """Whether a review of ``program`` can project it: every metric that a projection runs
    on at the year's rate (:func:`~partner_tiers.rules.projection.runs_on`) that a tier
    reads is the revenue, whose quarters the review holds. A program that reads the prior
    year's revenue of one product family, say, has no quarters of it here."""
    read = {m.name for m in program.read_metrics()}
    return all(
        program.metrics[i].name == REVENUE.name
        for i in runs_on(program)
        if program.metrics[i].name in read
    )


def review_table(program: Program) -> Table:
    """The Review table of a review of ``program``: :data:`REVIEW` for a program of today's
    shape. A program of another shape has the columns its table of metrics answers (tier,
    next tier, gap, progress, the sentence), and hidden, one helper a metric it reads,
    headed by the metric's name: the table the functions take, its names apart. Where the
    review can project it (:func:`projects_in_review`), it also has this year's revenue so
    far, the projected tier and the demotion risk, from a second hidden table: this year's
    values, the certified people of the audit day. It has no run-rates, no change of
    edition and no tier if renewed: those functions take no table of metrics.

    >>> from partner_tiers.rules.programs import get_program
    >>> review_table(get_program("sophos-2019")) is REVIEW
    True
    """
    gap = gap_column(program)
    if not typed_metrics(program):
        counted = counts_sales_and_engineers(program)
        if gap is None and counted:
            return REVIEW
        columns = [c for c in REVIEW.columns if counted or c.key not in PEOPLE_KEYS]
        return Table(
            tuple(gap if gap and c.key == "gap" else c for c in columns), REVIEW.header_row
        )
    shown_keys = ["partner", "revenue", "current_tier", "next_tier", "gap", "progress"]
    helper_keys = ["order_key"]
    if counts_sales_and_engineers(program):
        shown_keys.append("lapsing")
        helper_keys += ["sales_now", "engineers_now", "sales_audit", "engineers_audit"]
        helper_keys.append("lapsing_count")
    if projects_in_review(program):
        at = shown_keys.index("progress") + 1
        shown_keys[at:at] = ["ytd", "projected_tier", "demotion_risk"]
        helper_keys.insert(0, "risk_value")
    # The sentence after the figures, before the certifications that lapse (as REVIEW).
    at = shown_keys.index("lapsing") if "lapsing" in shown_keys else len(shown_keys)
    shown_keys.insert(at, "explanation")
    by_key = {c.key: c for c in REVIEW.columns}
    columns = [by_key[k] for k in (*shown_keys, *helper_keys)]
    if gap is not None:
        columns[shown_keys.index("gap")] = gap
    # The partner's name first: it makes a row a partner's, whose empty amount is told.
    names = ["partner", *(m.name for m in program.read_metrics())]
    table = [Column(TABLE_KEY + n, 8, "helper", (n,) * len(LANGUAGES)) for n in names]
    if projects_in_review(program):  # the same names: this year's values, at the audit
        table += [Column(PROJECTED_KEY + n, 8, "helper", (n,) * len(LANGUAGES)) for n in names]
    return Table((*columns, *table), REVIEW.header_row)


TABLE_KEY = "table."  # a Review helper of the table of metrics: "table.monthly_commitment"
# The Review's columns of certified people, left out where the program counts none.
PEOPLE_KEYS = frozenset(
    {
        "tier_if_renewed",
        "lapsing",
        "sales_now",
        "engineers_now",
        "sales_audit",
        "engineers_audit",
        "lapsing_count",
        "projected_now",
    }
)
PROJECTED_KEY = "projected."  # of the table of this year's values: "projected.revenue"


def gap_column(program: Program) -> Column | None:
    """The gap column of a program whose gap is not revenue: headed by what it counts
    (points of a score, or another amount: "Gap to next tier: monthly commitment"); None
    where the gap is revenue, as the plain header says."""
    measured = gap_metric(program)
    if measured is not None and measured.name == REVENUE.name:
        return None
    words = [
        label("points", lang) if measured is None else measured.words.header_in(lang)
        for lang in LANGUAGES
    ]
    headers = tuple(
        f"{label('gap', lang)}: {w.lower()}" for lang, w in zip(LANGUAGES, words, strict=True)
    )
    return Column("gap", 17, "points" if measured is None else "money", headers)


def year_to_date_sum(quarters: Sequence[str], quarter: str = "Quarter") -> str:
    """The formula shape of the revenue of the fiscal year up to ``quarter``: the first
    quarter's cells plus each later one that ``quarter`` has reached (a blank counts as 0).

    >>> year_to_date_sum(["A1", "A2", "A3", "A4"])
    'A1+IF(Quarter>=2,A2,0)+IF(Quarter>=3,A3,0)+IF(Quarter>=4,A4,0)'
    """
    later = (f"IF({quarter}>={q},{cells},0)" for q, cells in enumerate(quarters[1:], 2))
    return "+".join([quarters[0], *later])


def first_sheet(workbook: Workbook) -> Worksheet:
    """The worksheet a new workbook opens with."""
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    return sheet


REVIEW = Table(
    (
        Column("partner", 30, "text"),
        Column("revenue", 19, "money"),
        Column("current_tier", 13, "tier"),
        Column("next_tier", 13, "tier"),
        Column("gap", 15, "money"),
        Column("progress", 12, "ratio"),
        Column("ytd", 16, "money"),
        Column("projected_tier", 14, "tier"),
        Column("demotion_risk", 11, "risk"),
        # What each remaining quarter must bring this year to keep the current tier and to
        # reach the next one (one REQUIRED_PER_QUARTER call with both tiers as targets).
        Column("keep_per_quarter", 17, "money"),
        Column("reach_per_quarter", 17, "money"),
        Column("change", 14, "change"),
        Column("tier_if_renewed", 18, "tier"),  # the projected tier they would keep, if other
        Column("explanation", 80, "sentence"),  # TIER_EXPLAIN: what decides the meeting
        # Certifications valid now that end before the audit. A number in every partner's
        # row, last of the shown columns: LibreOffice draws the "###" of a hidden helper's
        # value over an empty cell beside it (Excel draws nothing).
        Column("lapsing", 14, "count"),
        Column("risk_value", 8, "helper"),  # DEMOTION_RISK, once; demotion_risk shows it
        Column("order_key", 8, "helper"),
        # Certified people on CertificationsAsOf (now) and on AuditDay, and how many lapse
        # between: one CERTIFIED_PEOPLE call over the Certifications sheet (a partner without
        # rows there keeps what is typed on Partners).
        Column("sales_now", 8, "helper"),
        Column("engineers_now", 8, "helper"),
        Column("sales_audit", 8, "helper"),
        Column("engineers_audit", 8, "helper"),
        Column("lapsing_count", 8, "helper"),
        Column("projected_now", 8, "helper"),  # PROJECTED_TIER with the counts of now
    )
)

SENTENCE_ROW_HEIGHT = 26  # points: two lines of a Review row, room for the sentence

CERTIFICATIONS = Table(
    (
        Column("partner", 30, "text"),
        Column("tax_id", 14, "text"),  # decides whose row it is, where two names are alike
        Column("person", 24, "text"),
        Column("role", 14, "role"),
        Column("certification", 34, "text"),
        Column("valid_until", 13, "date"),
    )
)

ACTIONS = Table(
    (
        Column("partner", 30, "text"),
        Column("action", 50, "text"),
        Column("owner", 18, "text"),
        Column("due", 12, "date"),
        Column("status", 14, "status"),
    )
)

# The Start sheet: settings in column B from row SETTINGS_FIRST_ROW, in this order, each with
# the defined name that formulas use. Derived settings are formulas, "info" is written by the
# review command, the rest are inputs.
SETTINGS_FIRST_ROW = 9
SETTINGS = (
    ("setting_program", "Program", "program"),
    ("setting_fiscal_year", "FiscalYear", "year"),
    ("setting_quarter", "Quarter", "quarter"),
    ("setting_currency", "RevenueCurrency", "currency"),
    ("setting_exchange_rate", "ExchangeRate", "rate"),
    ("setting_reviewer", "Reviewer", "text"),
    ("setting_audit_day", "AuditDay", "date"),
    ("setting_as_of", "CertificationsAsOf", "date"),
    ("setting_sales_period", "SalesPeriod", "info"),
    ("setting_program_name", "ProgramName", "derived"),
    ("setting_program_currency", "ProgramCurrency", "derived"),
    ("setting_previous_program", "PreviousProgram", "derived"),
)


SETTINGS_COLUMN = 2


def setting_cell(name: str) -> str:
    """Absolute address on the Start sheet of the setting with the defined name ``name``.

    >>> setting_cell("Quarter")
    '$B$11'
    """
    for offset, (_, defined_name, _) in enumerate(SETTINGS):
        if defined_name == name:
            return f"${get_column_letter(SETTINGS_COLUMN)}${SETTINGS_FIRST_ROW + offset}"
    raise KeyError(name)


# The Program sheet: the selected edition's tier table at PROGRAM_TABLE_ROW in column A,
# the replaced edition's beside it, then the list of available programs.
PROGRAM_TABLE_ROW = 5
PROGRAM_TABLE_COLUMNS = 6  # tier, min revenue, currency, certified sales, engineers, discount
PREVIOUS_TABLE_COLUMN = PROGRAM_TABLE_COLUMNS + 2
PROGRAM_LIST_COLUMN = 2 * PROGRAM_TABLE_COLUMNS + 3
PROGRAM_LIST_ROW = PROGRAM_TABLE_ROW + 1  # below the header cell

# The Dashboard: tier counts from DASHBOARD_TIERS_ROW, the closest partners below them.
DASHBOARD_TIERS_ROW = 5

# The QBR scorecard (one sheet). Inputs in column B from QBR_FIRST_ROW, results in column E
# from the same row, each with the defined name that formulas use. The inputs hold the cells
# of the review as they were typed (amounts in the revenue currency, the exchange rate), and
# the results compute from them with the Review's own formula shapes, so a scorecard shows
# the review's figures however a cell was typed.
QBR_FIRST_ROW = 5
QBR_INPUT_COLUMN = 2  # also the column of the revenue by quarter
QBR_RESULT_COLUMN = 5
QBR_INPUTS = (
    ("name", "PartnerName", "text"),
    ("tax_id", "TaxId", "text"),
    ("account_manager", "AccountManager", "text"),
    ("setting_program", "Program", "program"),
    ("setting_fiscal_year", "FiscalYear", "year"),
    ("setting_quarter", "Quarter", "quarter"),
    ("setting_exchange_rate", "ExchangeRate", "rate"),
    ("revenue_prior_year", "PriorYearRevenue", "money"),
    ("certified_sales", "CertifiedSales", "count"),
    ("certified_engineers", "CertifiedEngineers", "count"),
    ("certified_sales_audit", "CertifiedSalesAtAudit", "count"),
    ("certified_engineers_audit", "CertifiedEngineersAtAudit", "count"),
    ("setting_audit_day", "AuditDay", "date"),
    ("msp", "Msp", "yesno"),
)
QBR_RESULTS = (
    ("revenue", "Revenue", "money"),
    ("current_tier", "CurrentTier", "tier"),  # CurrentTier and NextTier side by side: the
    ("next_tier", "NextTier", "tier"),  # two targets of one REQUIRED_PER_QUARTER call
    ("gap", "Gap", "money"),
    ("progress", "Progress", "ratio"),
    ("ytd", "YtdRevenue", "money"),
    ("projected_tier", "ProjectedTier", "tier"),
    ("demotion_risk", "DemotionRisk", "risk"),
    ("keep_per_quarter", "KeepPerQuarter", "money"),
    ("reach_per_quarter", "ReachPerQuarter", "money"),
    ("change", "Change", "change"),
    ("tier_if_renewed", "TierIfRenewed", "tier"),
)
QBR_CHART_ROWS = 13  # rows the chart takes below the quarters
QBR_NOTES_HEIGHT = 5  # rows merged into one notes box
Field = tuple[str, str, str]  # (label key, defined name, kind) of a scorecard input or result


@dataclass(frozen=True)
class Scorecard:
    """Where everything sits on the QBR scorecard of one program: its inputs and results
    (each with the defined name that formulas use) and the blocks below them. A program of
    another shape has an input a metric it reads, no projection and, when it counts no
    certified people, no certification blocks."""

    inputs: tuple[Field, ...]
    results: tuple[Field, ...]
    counts_people: bool = True  # the sales people and engineers: their inputs and blocks
    projects: bool = True
    headers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a key's words, per language
    by_metrics: bool = False  # its results from a table of metrics (a program of another shape)

    def label(self, key: str, language: str) -> str:
        """The words of an input's or a result's ``key`` in ``language``."""
        words = dict(self.headers).get(key)
        return label(key, language) if words is None else words[LANGUAGES.index(language)]

    @property
    def explanation_row(self) -> int:
        return QBR_FIRST_ROW + max(len(self.inputs), len(self.results)) + 1

    @property
    def quarters_row(self) -> int:  # header; Q1..Q4 below, the chart below them
        return self.explanation_row + 2

    @property
    def certs_row(self) -> int:
        return self.quarters_row + 6 + QBR_CHART_ROWS

    @property
    def lapsing_row(self) -> int:  # header; the lapsing certifications below
        return self.certs_row + 5

    @property
    def commitments_row(self) -> int:
        if not self.counts_people:  # no certification blocks: the commitments move up
            return self.certs_row + 1
        return self.lapsing_row + QBR_LAPSING + 3

    @property
    def notes_row(self) -> int:
        return self.commitments_row + QBR_COMMITMENTS + 2

    def cell(self, name: str) -> str:
        """Address of the input or result with the defined name ``name``."""
        for column, fields in ((QBR_INPUT_COLUMN, self.inputs), (QBR_RESULT_COLUMN, self.results)):
            for offset, (_, defined_name, _) in enumerate(fields):
                if defined_name == name:
                    return f"${get_column_letter(column)}${QBR_FIRST_ROW + offset}"
        raise KeyError(name)


QBR = Scorecard(QBR_INPUTS, QBR_RESULTS)
QBR_EXPLANATION_ROW = QBR.explanation_row
QBR_QUARTERS_ROW = QBR.quarters_row
QBR_CERTS_ROW = QBR.certs_row
QBR_LAPSING_ROW = QBR.lapsing_row
QBR_COMMITMENTS_ROW = QBR.commitments_row
QBR_NOTES_ROW = QBR.notes_row
# The scorecard's inputs of certified sales people and engineers, and those of the audit day
# (what a projection reads): left out where the program counts none, or projects nothing.
QBR_PEOPLE = frozenset(
    {"certified_sales", "certified_engineers", "certified_sales_audit", "certified_engineers_audit"}
)
QBR_AUDIT = frozenset({"certified_sales_audit", "certified_engineers_audit", "setting_audit_day"})
METRIC_NAME = "Metric_"  # the defined name of a metric's input: Metric_monthly_commitment
AUDIT_KEY = "audit."  # a role's count on the audit day: "audit.certified_technical"
AUDIT_NAME = "AtAudit_"  # its defined name: AtAudit_certified_technical


def scorecard(program: Program) -> Scorecard:
    """The scorecard of ``program``: :data:`QBR` for a program of today's shape. A program
    of another shape has an input a metric it reads beyond revenue and the two counts,
    before the MSP flag, and the results its table of metrics answers.

    >>> from partner_tiers.rules.programs import get_program
    >>> scorecard(get_program("sophos-2019")) is QBR
    True
    """
    typed = typed_metrics(program)
    gap = gap_column(program)
    if not typed:
        counted = counts_sales_and_engineers(program)
        if gap is None and counted:
            return QBR
        left_out = QBR_PEOPLE | QBR_AUDIT | {"tier_if_renewed"}  # none counted: none asked
        kept = tuple(f for f in QBR_INPUTS if counted or f[0] not in left_out)
        plain = tuple(
            ("gap", "Gap", gap.kind) if gap and f[0] == "gap" else f
            for f in QBR_RESULTS
            if counted or f[0] not in left_out
        )
        gap_words = (("gap", gap.headers or ()),) if gap else ()
        return Scorecard(kept, plain, counted, headers=gap_words)
    counted = counts_sales_and_engineers(program)
    projects = projects_in_review(program)
    inputs = [
        f
        for f in QBR_INPUTS
        if (projects or f[0] not in QBR_AUDIT) and (counted or f[0] not in QBR_PEOPLE)
    ]
    metrics = [(METRIC_KEY + m.name, METRIC_NAME + m.name, METRIC_KINDS[m.kind]) for m in typed]
    headers = [(METRIC_KEY + m.name, metric_column(m).headers or ()) for m in typed]
    roles = [m for m in typed if m.kind == "certified"] if projects else []
    for m in roles:  # another role on the audit day: the projection counts them then
        metrics.append((AUDIT_KEY + m.name, AUDIT_NAME + m.name, "count"))
        words = tuple(
            f"{m.words.header_in(lang)} ({label('on_the_audit_day', lang)})" for lang in LANGUAGES
        )
        headers.append((AUDIT_KEY + m.name, words))
    at = [f[0] for f in inputs].index("msp")
    shown: tuple[str, ...] = ("revenue", "current_tier", "next_tier", "gap", "progress", "ytd")
    if projects:
        shown += ("projected_tier", "demotion_risk")
    results = [f for f in QBR_RESULTS if f[0] in shown]
    if gap is not None:  # measured in points, or in another amount than revenue
        results[[f[0] for f in results].index("gap")] = ("gap", "Gap", gap.kind)
        headers.append(("gap", gap.headers or ()))
    return Scorecard(
        (*inputs[:at], *metrics, *inputs[at:]),
        tuple(results),
        counted,
        projects=projects,
        headers=tuple(headers),
        by_metrics=True,
    )


def in_program_currency(amount: str) -> str:
    """The formula shape of an amount of the revenue currency in the program's: divided by
    ExchangeRate (revenue currency for 1 unit of the program's), blank for a blank. The
    Review and the QBR share it, so that they read a typed cell alike.

    >>> in_program_currency("B5")
    'IF(B5="","",B5/ExchangeRate)'
    """
    return f'IF({amount}="","",{amount}/ExchangeRate)'


def qbr_cell(name: str) -> str:
    """Address on the scorecard of today's shape of the input or result ``name``."""
    return QBR.cell(name)
