"""The partner QBR scorecard: one partner, one quarter, the page shown in the meeting.

It holds the tier and progress, revenue by quarter against the run-rate the next tier
needs (chart), certifications against the tier's requirements, the explanation sentence
(TIER_EXPLAIN), three to five commitments and notes. A hidden Lists sheet holds the
program list for the dropdown and the selected program's tier table.

>>> wb = build_partner_qbr("pl")
>>> wb.sheetnames, wb["Karta partnera"]["E5"].value
(['Karta partnera', 'Listy'], '=PARTNER_TIER(Revenue,Program,CertifiedSales,CertifiedEngineers)')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from partner_tiers.rules import programs
from partner_tiers.rules.program import Program
from partner_tiers.texts import label
from partner_tiers.workbooks import blocks, layout, styles
from partner_tiers.workbooks.layout import sheet_prefix
from partner_tiers.workbooks.portfolio import Action, CertificationRow, Partner, role_text

# On the hidden Lists sheet: the program list in column A, then these.
RISK_VALUE_CELL = "C1"  # DEMOTION_RISK, once; the scorecard's DemotionRisk shows it as a flag
PROJECTED_NOW_CELL = "C2"  # PROJECTED_TIER with today's certifications, for TierIfRenewed
TIER_TABLE_COLUMN = 5


def build_partner_qbr(
    language: str = "en",
    program: str | None = None,
    partner: Partner | None = None,
    fiscal_year: int | None = None,
    quarter: int | None = 1,
    commitments: Sequence[Action] = (),
    notes: str | None = None,
    certified_at_audit: tuple[int | None, int | None] = (None, None),
    audit_day: dt.date | None = None,
    lapsing: Sequence[CertificationRow] = (),
) -> Workbook:
    """The QBR scorecard in ``language``, filled with ``partner`` when one is given.

    ``certified_at_audit`` are the certified sales people and engineers still certified on
    the ``audit_day`` (None: as many as now), ``lapsing`` the certifications that end before
    it, listed by name."""
    if len(commitments) > layout.QBR_COMMITMENTS:
        raise ValueError(f"the scorecard has room for {layout.QBR_COMMITMENTS} commitments")
    card = _Scorecard(language, programs.get_program(program), partner or Partner(""))
    card.inputs(fiscal_year, quarter, certified_at_audit, audit_day)
    card.results()
    card.explanation()
    card.quarters()
    card.chart()
    card.certifications()
    card.lapsing(lapsing, filled=partner is not None and audit_day is not None)
    card.commitments(commitments)
    card.notes(notes)
    return card.finished()


PARTNER_ARGS = "Revenue,Program,CertifiedSales,CertifiedEngineers"
LAPSING_KINDS = ("text", "role", "text", "date")


class _Scorecard:
    """The scorecard being built: its two sheets and the defined names given so far."""

    def __init__(self, language: str, program: Program, partner: Partner) -> None:
        self.language, self.program, self.partner = language, program, partner
        self.wb = Workbook()
        self.ws = layout.first_sheet(self.wb)
        self.ws.title = self.t("scorecard")
        self.money = styles.money_format(program.currency)
        self.names: dict[str, str] = {}
        self._lists()
        styles.title(self.ws, self.t("qbr_title"), self.t("qbr_intro"))

    def t(self, key: str) -> str:
        return label(key, self.language)

    def _lists(self) -> None:
        """The hidden Lists sheet: the program list, DEMOTION_RISK once, the tier table."""
        lists = self.wb.create_sheet(self.t("lists"))
        lists.sheet_state = "hidden"
        styles.protect(lists)
        tier_rows = blocks.tier_rows()
        prefix = sheet_prefix(lists.title)
        self.program_range = prefix + blocks.program_list(lists, 1, 1)
        self.risk_value = prefix + absolute_coordinate(RISK_VALUE_CELL)
        lists[RISK_VALUE_CELL] = "=DEMOTION_RISK(YtdRevenue,Quarter,CurrentTier,Program)"
        self.projected_now = prefix + absolute_coordinate(PROJECTED_NOW_CELL)
        lists[PROJECTED_NOW_CELL] = (
            "=PROJECTED_TIER(YtdRevenue,Quarter,Program,CertifiedSales,CertifiedEngineers)"
        )
        blocks.tier_table(
            lists, 1, TIER_TABLE_COLUMN, "Program", self.language, tier_rows, self.money
        )
        # The selected program's tiers, lowest first, and its whole table (header row left out).
        table_column = get_column_letter(TIER_TABLE_COLUMN)
        last_column = get_column_letter(TIER_TABLE_COLUMN + layout.PROGRAM_TABLE_COLUMNS - 1)
        self.tier_names = f"{prefix}${table_column}$2:${table_column}${tier_rows + 1}"
        self.tier_table = f"{prefix}${table_column}$2:${last_column}${tier_rows + 1}"

    def _label_columns(self) -> tuple[int, int]:
        return layout.QBR_INPUT_COLUMN - 1, layout.QBR_RESULT_COLUMN - 1  # beside their values

    def inputs(
        self,
        fiscal_year: int | None,
        quarter: int | None,
        at_audit: tuple[int | None, int | None],
        audit_day: dt.date | None,
    ) -> None:
        """The partner block: name, tax id, program, year, quarter, revenue, certifications."""
        ws, partner, first = self.ws, self.partner, layout.QBR_FIRST_ROW
        labels = self._label_columns()
        for col, key in zip(labels, ("qbr_partner", "qbr_tier"), strict=True):
            styles.put(ws.cell(first - 1, col), self.t(key)).font = styles.SUBTITLE_FONT
        values = {
            "PartnerName": partner.name or None,
            "TaxId": partner.tax_id,
            "AccountManager": partner.account_manager,
            "Program": self.program.id,
            "FiscalYear": fiscal_year,
            "Quarter": quarter,
            "Revenue": partner.revenue_prior_year,
            "CertifiedSales": partner.certified_sales,
            "CertifiedEngineers": partner.certified_engineers,
            "CertifiedSalesAtAudit": at_audit[0],
            "CertifiedEngineersAtAudit": at_audit[1],
            "AuditDay": audit_day,
            "Msp": layout.yes_no(partner.msp, self.language),
        }
        for offset, (key, name, kind) in enumerate(layout.QBR_INPUTS):
            row = first + offset
            _label_cell(ws, row, labels[0], self.t(key))
            cell = styles.put(ws.cell(row, layout.QBR_INPUT_COLUMN), values[name])
            styles.as_input(cell, styles.number_format(kind, self.program.currency))
            validation = {"program": "list"}.get(kind, kind)
            styles.validate(
                ws, validation, cell.coordinate, self.language, source=self.program_range
            )
            self.names[name] = f"{sheet_prefix(ws.title)}{layout.qbr_cell(name)}"

    def results(self) -> None:
        """The tier block: every answer one formula, most of them an add-in call."""
        ws, first = self.ws, layout.QBR_FIRST_ROW
        col = get_column_letter(layout.QBR_INPUT_COLUMN)  # revenue by quarter, under the inputs
        q_first = layout.QBR_QUARTERS_ROW + 1
        each = [f"${col}${q_first + q}" for q in range(4)]
        quarters = f"${col}${q_first}:${col}${q_first + 3}"
        formulas = {
            "CurrentTier": f"=PARTNER_TIER({PARTNER_ARGS})",
            # The tier above in the program's table: the same answer as NEXT_TIER, no call.
            "NextTier": f"=IFERROR(INDEX({self.tier_names},MATCH(CurrentTier,{self.tier_names},0)"
            '+1),"")',
            "Gap": f"=GAP_TO_NEXT({PARTNER_ARGS})",
            "Progress": f"=TIER_PROGRESS({PARTNER_ARGS})",
            "YtdRevenue": f'=IF(COUNTA({quarters})=0,"",{layout.year_to_date_sum(each)})',
            # The year's end is the audit: the projection counts who is certified then.
            "ProjectedTier": "=PROJECTED_TIER(YtdRevenue,Quarter,Program,"
            'IF(CertifiedSalesAtAudit="",CertifiedSales,CertifiedSalesAtAudit),'
            'IF(CertifiedEngineersAtAudit="",CertifiedEngineers,CertifiedEngineersAtAudit))',
            "DemotionRisk": styles.at_risk_formula(self.risk_value, self.language),
            "RequiredPerQuarter": "=REQUIRED_PER_QUARTER(YtdRevenue,Quarter,Program)",
            "Change": '=TIER_CHANGE(Revenue,"",Program)',
            "TierIfRenewed": f'=IF({self.projected_now}=ProjectedTier,"",{self.projected_now})',
        }
        for offset, (key, name, kind) in enumerate(layout.QBR_RESULTS):
            row = first + offset
            _label_cell(ws, row, self._label_columns()[1], self.t(key))
            cell = ws.cell(row, layout.QBR_RESULT_COLUMN)
            cell.value = formulas[name]
            cell.border = styles.BOX
            cell.font = styles.BOLD
            cell.number_format = styles.number_format(kind, self.program.currency) or "General"
            self.names[name] = f"{sheet_prefix(ws.title)}{layout.qbr_cell(name)}"
        ws.conditional_formatting.add(
            layout.qbr_cell("Progress").replace("$", ""), styles.progress_bar()
        )
        ws.conditional_formatting.add(
            layout.qbr_cell("DemotionRisk").replace("$", ""), styles.risk_highlight(self.language)
        )

    def explanation(self) -> None:
        ws, row = self.ws, layout.QBR_EXPLANATION_ROW
        _label_cell(ws, row, 1, self.t("explanation"))
        ws.cell(row, 1).alignment = styles.WRAP
        ws.cell(row, 2).value = f'=TIER_EXPLAIN({PARTNER_ARGS},"{self.language}")'
        ws.cell(row, 2).alignment = styles.WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 32

    def quarters(self) -> None:
        """Revenue by quarter (inputs) beside the run-rate the next tier needs."""
        ws, top = self.ws, layout.QBR_QUARTERS_ROW
        styles.header(ws, top, (self.t(k) for k in ("quarter", "quarter_revenue", "run_rate")))
        # A quarter's share of the next tier's threshold (the current one's at the top).
        target = (
            f'=IFERROR(VLOOKUP(IF(NextTier="",CurrentTier,NextTier),{self.tier_table},2,FALSE)'
            '/4,"")'
        )
        for q, revenue in enumerate(self.partner.revenue_quarters, 1):
            row = top + q
            styles.put(ws.cell(row, 1), f"Q{q}").border = styles.BOX
            cell = styles.put(ws.cell(row, layout.QBR_INPUT_COLUMN), revenue)
            styles.as_input(cell, self.money)
            styles.validate(ws, "money", cell.coordinate, self.language)
            pace = ws.cell(row, layout.QBR_INPUT_COLUMN + 1)
            pace.value, pace.number_format, pace.border = target, self.money, styles.BOX

    def chart(self) -> None:
        """Bars of the quarters' revenue with the run-rate as a line."""
        ws, top = self.ws, layout.QBR_QUARTERS_ROW
        last = top + 4
        chart = BarChart()  # titled by the cell above it: a chart title would squeeze the plot
        styles.put(ws.cell(top - 1, 4), self.t("chart_quarters")).font = styles.SUBTITLE_FONT
        bars = Reference(ws, min_col=layout.QBR_INPUT_COLUMN, min_row=top, max_row=last)
        chart.add_data(bars, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
        pace = LineChart()
        pace_col = layout.QBR_INPUT_COLUMN + 1
        pace.add_data(
            Reference(ws, min_col=pace_col, min_row=top, max_row=last), titles_from_data=True
        )
        chart.y_axis.number_format = "#,##0"
        chart += pace
        chart.y_axis.scaling.min = 0
        chart.legend.position = "b"
        chart.width, chart.height = 10.5, 5.5  # type: ignore[assignment]  # cm, floats
        ws.add_chart(chart, f"D{top}")

    def certifications(self) -> None:
        """Certified people the partner has, against what its tier and the next one need."""
        ws, top = self.ws, layout.QBR_CERTS_ROW
        headers = ("certifications", "have", "tier_needs", "next_needs")
        styles.header(ws, top, (self.t(k) for k in headers))
        needs = (
            ("certified_sales", "CertifiedSales", 4),
            ("certified_engineers", "CertifiedEngineers", 5),
        )
        for row, (key, have, column) in enumerate(needs, top + 1):
            _label_cell(ws, row, 1, self.t(key))
            ws.cell(row, 2).value = f'=IF({have}="","",{have})'
            for col, tier in ((3, "CurrentTier"), (4, "NextTier")):
                lookup = f"VLOOKUP({tier},{self.tier_table},{column},FALSE)"
                ws.cell(row, col).value = f'=IF({tier}="","",IFERROR({lookup},""))'
            for col in (2, 3, 4):
                ws.cell(row, col).border = styles.BOX
                ws.cell(row, col).number_format = styles.COUNT_FORMAT

    def lapsing(self, lapsing: Sequence[CertificationRow], filled: bool) -> None:
        """The certifications that end before the audit, by person, with their dates."""
        ws, top = self.ws, layout.QBR_LAPSING_ROW
        styles.put(ws.cell(top - 1, 1), self.t("lapsing_title")).font = styles.SUBTITLE_FONT
        headers = ("person", "role", "certification", "valid_until")
        styles.header(ws, top, (self.t(k) for k in headers))
        if len(lapsing) > layout.QBR_LAPSING:
            raise ValueError(f"the scorecard lists {layout.QBR_LAPSING} certifications")
        for i in range(layout.QBR_LAPSING):
            row = top + 1 + i
            one = lapsing[i] if i < len(lapsing) else None
            role = one and role_text(one.role, self.language)
            values = (one and one.person, role, one and one.certification, one and one.valid_until)
            for col, (kind, value) in enumerate(zip(LAPSING_KINDS, values, strict=True), 1):
                cell = styles.as_input(styles.put(ws.cell(row, col), value))
                if kind == "date":
                    cell.number_format = styles.DATE_FORMAT
                styles.validate(ws, kind, cell.coordinate, self.language, max_length=1000)
        if filled and not lapsing:
            styles.put(ws.cell(top + 1, 1), self.t("lapsing_none"))

    def commitments(self, commitments: Sequence[Action]) -> None:
        """Three to five actions, each with an owner, a due date and a status (inputs)."""
        ws, top = self.ws, layout.QBR_COMMITMENTS_ROW
        styles.put(ws.cell(top - 1, 1), self.t("commitments")).font = styles.SUBTITLE_FONT
        headers = ("action", "owner", "due", "status")
        styles.header(ws, top, (self.t(k) for k in headers), first_col=2)
        styles.header(ws, top, [self.t("number")])
        for i in range(layout.QBR_COMMITMENTS):
            row = top + 1 + i
            number = styles.put(ws.cell(row, 1), i + 1)
            number.border, number.alignment = styles.BOX, Alignment(horizontal="center")
            commitment = commitments[i] if i < len(commitments) else None
            fields = (
                (2, "text", commitment and commitment.action),
                (3, "text", commitment and commitment.owner),
                (4, "date", commitment and commitment.due),
                (5, "status", commitment and commitment.status),
            )
            for col, kind, value in fields:
                cell = styles.as_input(styles.put(ws.cell(row, col), value))
                if kind == "date":
                    cell.number_format = styles.DATE_FORMAT
                styles.validate(ws, kind, cell.coordinate, self.language, max_length=1000)

    def notes(self, notes: str | None) -> None:
        ws, top = self.ws, layout.QBR_NOTES_ROW
        styles.put(ws.cell(top - 1, 1), self.t("notes")).font = styles.SUBTITLE_FONT
        cell = styles.as_input(styles.put(ws.cell(top, 1), notes))
        cell.alignment = styles.WRAP
        styles.validate(ws, "text", cell.coordinate, self.language, max_length=5000)
        last = top + layout.QBR_NOTES_HEIGHT - 1
        ws.merge_cells(start_row=top, start_column=1, end_row=last, end_column=5)

    def finished(self) -> Workbook:
        """Column widths, defined names, protection and the page set up for print."""
        ws, wb = self.ws, self.wb
        for letter, width in zip("ABCDE", (30, 34, 22, 30, 22), strict=True):
            ws.column_dimensions[letter].width = width
        for name, ref in self.names.items():
            wb.defined_names[name] = DefinedName(name, attr_text=ref)
        styles.protect(ws)
        styles.print_setup(ws, None, one_page=True)
        ws.print_area = f"A1:E{layout.QBR_NOTES_ROW + layout.QBR_NOTES_HEIGHT - 1}"
        wb.properties.title = self.t("qbr_title")
        wb.properties.creator = "partner-tiers"
        return wb


def _label_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = styles.put(ws.cell(row, col), text)
    cell.fill, cell.border, cell.font = styles.LABEL_FILL, styles.BOX, styles.BOLD
