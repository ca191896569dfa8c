"""The partner QBR scorecard: one partner, one quarter, the page shown in the meeting.

It holds the tier and progress, revenue by quarter against the run-rates that keeping the
tier and reaching the next one need (chart, each line named by its tier), certifications
against the tier's requirements, the sentence that decides the meeting (TIER_EXPLAIN),
three to five commitments and notes. A hidden Lists sheet holds the program list for the
dropdown, the selected program's tier table and the values the scorecard needs twice.

Its inputs are the review's cells as typed (amounts in the revenue currency, with the
exchange rate), and its formulas are the Review's formula shapes, so a filled scorecard
shows the review's figures for any way a cell was typed.

>>> wb = build_partner_qbr("pl")
>>> wb.sheetnames, wb["Karta partnera"]["E6"].value
(['Karta partnera', 'Listy'], '=PARTNER_TIER(Revenue,Program,CertifiedSales,CertifiedEngineers)')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from partner_tiers.records import Action, CertificationRow, Partner
from partner_tiers.rules import programs
from partner_tiers.rules.certifications import role_text
from partner_tiers.rules.metrics import REVENUE
from partner_tiers.rules.program import Program
from partner_tiers.rules.tiers import gap_metric
from partner_tiers.texts import label
from partner_tiers.workbooks import blocks, layout, styles
from partner_tiers.workbooks.layout import sheet_prefix

# On the hidden Lists sheet: the program list in column A, then these.
RISK_VALUE_CELL = "C1"  # DEMOTION_RISK, once; the scorecard's DemotionRisk shows it as a flag
# One PROJECTED_TIER call for two projections: with the certified people of the audit day
# (C3, the ProjectedTier) and with today's (C4, for TierIfRenewed); their counts beside.
PROJECTIONS = "C3:C4"
COUNT_COLUMNS = ("D3:D4", "E3:E4")  # sales, engineers: at the audit (row 3), today (row 4)
COUNTS = {  # at the audit: as typed for it, else today's
    "D3": '=IF(CertifiedSalesAtAudit="",CertifiedSales,CertifiedSalesAtAudit)',
    "E3": '=IF(CertifiedEngineersAtAudit="",CertifiedEngineers,CertifiedEngineersAtAudit)',
    "D4": "=CertifiedSales",
    "E4": "=CertifiedEngineers",
}
TIER_TABLE_COLUMN = 7
METRIC_TABLE_COLUMN = TIER_TABLE_COLUMN + layout.PROGRAM_TABLE_COLUMNS + 1  # after a gap


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
    typed: dict[str, Any] | None = None,
    revenue_currency: str | None = None,
    roles_at_audit: dict[str, Any] | None = None,
) -> Workbook:
    """The QBR scorecard in ``language``, filled with ``partner`` when one is given.

    ``certified_at_audit`` are the certified sales people and engineers still certified on
    the ``audit_day`` (None: as many as now), ``lapsing`` the certifications that end before
    it, listed by name. ``typed`` gives settings as a review's cells hold them (Program,
    FiscalYear, Quarter, ExchangeRate, by defined name), written as they are; amounts are in
    ``revenue_currency`` (the program's by default). ``roles_at_audit`` gives, by metric,
    the people certified on the audit day in another role than sales and engineers."""
    if len(commitments) > layout.QBR_COMMITMENTS:
        raise ValueError(f"the scorecard has room for {layout.QBR_COMMITMENTS} commitments")
    chosen = programs.get_program(program)
    card = _Scorecard(language, chosen, partner or Partner(""), revenue_currency)
    at_audit = {layout.AUDIT_NAME + name: n for name, n in (roles_at_audit or {}).items()}
    card.inputs(fiscal_year, quarter, certified_at_audit, audit_day, {**at_audit, **(typed or {})})
    card.results()
    card.explanation()
    card.quarters()
    card.chart()
    if card.layout.counts_people:  # no sales people and engineers counted: no such blocks
        card.certifications()
        card.lapsing(lapsing, filled=partner is not None and audit_day is not None)
    card.commitments(commitments)
    card.notes(notes)
    return card.finished()


PARTNER_ARGS = "Revenue,Program,CertifiedSales,CertifiedEngineers"
LAPSING_KINDS = ("text", "role", "text", "date")


class _Scorecard:
    """The scorecard being built: its two sheets and the defined names given so far."""

    def __init__(
        self, language: str, program: Program, partner: Partner, revenue_currency: str | None
    ) -> None:
        self.language, self.program, self.partner = language, program, partner
        self.layout = layout.scorecard(program)
        # A program that counts no certified people: its functions take none.
        self.partner_args = PARTNER_ARGS if self.layout.counts_people else "Revenue,Program"
        self.wb = Workbook()
        self.ws = layout.first_sheet(self.wb)
        self.ws.title = self.text("scorecard")
        self.revenue_currency = revenue_currency or program.currency
        self.revenue_money = styles.money_format(self.revenue_currency)
        self.names: dict[str, str] = {}
        self._lists()
        styles.title(self.ws, self.text("qbr_title"), self.text("qbr_intro"))

    def text(self, key: str) -> str:
        """A label of the workbook's language (:func:`partner_tiers.texts.label`)."""
        return label(key, self.language)

    def _lists(self) -> None:
        """The hidden Lists sheet: the program list, DEMOTION_RISK once, the tier table."""
        lists = self.wb.create_sheet(self.text("lists"))
        lists.sheet_state = "hidden"
        styles.protect(lists)
        tier_rows = blocks.tier_rows()
        prefix = sheet_prefix(lists.title)
        self.program_range = prefix + blocks.program_list(lists, 1, 1)
        if self.layout.by_metrics:  # a program of another shape: its table of metrics
            self._metric_table(lists)
            return
        self.risk_value = prefix + absolute_coordinate(RISK_VALUE_CELL)
        lists[RISK_VALUE_CELL] = "=DEMOTION_RISK(YtdRevenue,Quarter,CurrentTier,Program)"
        first, last = PROJECTIONS.split(":")
        self.projected_at_audit = prefix + absolute_coordinate(first)
        self.projected_now = prefix + absolute_coordinate(last)
        for cell, formula in COUNTS.items():  # none counted: blank, as none
            if self.layout.counts_people:
                lists[cell] = formula
        sales, engineers = (f"{prefix}{absolute_coordinate(cells)}" for cells in COUNT_COLUMNS)
        lists[first] = ArrayFormula(
            PROJECTIONS, f"=PROJECTED_TIER(YtdRevenue,Quarter,Program,{sales},{engineers})"
        )
        blocks.tier_table(lists, 1, TIER_TABLE_COLUMN, "Program", self.language, tier_rows)
        # The selected program's tiers, lowest first, and its whole table (header row left out).
        table_column = get_column_letter(TIER_TABLE_COLUMN)
        last_column = get_column_letter(TIER_TABLE_COLUMN + layout.PROGRAM_TABLE_COLUMNS - 1)
        self.tier_names = f"{prefix}${table_column}$2:${table_column}${tier_rows + 1}"
        self.tier_table = f"{prefix}${table_column}$2:${last_column}${tier_rows + 1}"
        needs_first = get_column_letter(TIER_TABLE_COLUMN + 3)  # certified sales, engineers
        needs_last = get_column_letter(TIER_TABLE_COLUMN + 4)
        self.needs = f"COUNT({prefix}${needs_first}$2:${needs_last}${tier_rows + 1})"

    def _metric_table(self, lists: Worksheet) -> None:
        """The table of metrics the functions take for a program of another shape, on the
        Lists sheet: the names in row 1, the partner's values below, as the Review's hidden
        table reads its cells (amounts in the program currency, a blank kept blank)."""
        tier_rows = blocks.tier_rows()
        blocks.tier_table(lists, 1, TIER_TABLE_COLUMN, "Program", self.language, tier_rows)
        table_column = get_column_letter(TIER_TABLE_COLUMN)
        last_column = get_column_letter(TIER_TABLE_COLUMN + layout.PROGRAM_TABLE_COLUMNS - 1)
        prefix = sheet_prefix(lists.title)
        self.tier_names = f"{prefix}${table_column}$2:${table_column}${tier_rows + 1}"
        self.tier_table = f"{prefix}${table_column}$2:${last_column}${tier_rows + 1}"
        kinds = {key: kind for key, _, kind in self.layout.inputs}
        values = {"partner": "PartnerName", "revenue": "Revenue"}
        values |= {"certified_sales": "CertifiedSales", "certified_engineers": "CertifiedEngineers"}
        first = METRIC_TABLE_COLUMN
        names = ["partner", *(m.name for m in self.program.read_metrics())]
        # This year's values below (row 3), as the Review's second table: the revenue so
        # far, the people of the audit day (as typed for it, else as now).
        this_year = dict(values, revenue="YtdRevenue")
        audit = {
            "certified_sales": "CertifiedSalesAtAudit",
            "certified_engineers": "CertifiedEngineersAtAudit",
        }
        for col, name in enumerate(names, first):
            lists.cell(1, col).value = name
            cell = values.get(name) or layout.METRIC_NAME + name
            if kinds.get(layout.METRIC_KEY + name) == "money":
                lists.cell(2, col).value = "=" + layout.in_program_currency(cell)
            else:  # a blank stays blank (Excel reads an empty cell as 0)
                lists.cell(2, col).value = f'=IF({cell}="","",{cell})'
            if not self.layout.projects:
                continue
            on_audit = audit.get(name) or (
                layout.AUDIT_NAME + name if layout.AUDIT_KEY + name in kinds else None
            )
            if on_audit:
                lists.cell(3, col).value = f'=IF({on_audit}="",{cell},{on_audit})'
            elif name in this_year:
                lists.cell(3, col).value = f"={this_year[name]}"
            else:
                lists.cell(3, col).value = f"={get_column_letter(col)}2"
        left, right = get_column_letter(first), get_column_letter(first + len(names) - 1)
        names_row = f"{prefix}${left}$1:${right}$1"
        self.metric_args = f"{prefix}${left}$2:${right}$2,Program,,,{names_row}"
        self.year_args = f"{prefix}${left}$3:${right}$3,Quarter,Program,,,{names_row}"
        self.risk_value = prefix + absolute_coordinate(RISK_VALUE_CELL)
        if self.layout.projects:
            lists[RISK_VALUE_CELL] = (
                f"=DEMOTION_RISK({prefix}${left}$3:${right}$3,Quarter,CurrentTier,Program,"
                f"{names_row})"
            )

    def named(self, key: str, tier: str) -> str:
        """A formula for the text ``key`` with the tier in ``tier`` (CurrentTier, NextTier) put
        in, or the text without one where the cell names no tier of the program."""
        before, _, after = self.text(key).partition("{tier}")
        which = {"CurrentTier": "the_current_tier", "NextTier": "the_next_tier"}[tier]
        generic = self.text(key).replace("{tier}", self.text(which))
        known = f"ISNUMBER(MATCH({tier},{self.tier_names},0))"
        named = f'"{before}"&{tier}' + (f'&"{after}"' if after else "")
        return f'=IF({known},{named},"{generic}")'

    def _label_columns(self) -> tuple[int, int]:
        return layout.QBR_INPUT_COLUMN - 1, layout.QBR_RESULT_COLUMN - 1  # beside their values

    def inputs(
        self,
        fiscal_year: int | None,
        quarter: int | None,
        at_audit: tuple[int | None, int | None],
        audit_day: dt.date | None,
        typed: dict[str, Any],
    ) -> None:
        """The partner block: name, tax id, program, year, quarter, rate, revenue, people."""
        ws, partner, first = self.ws, self.partner, layout.QBR_FIRST_ROW
        labels = self._label_columns()
        for col, key in zip(labels, ("qbr_partner", "qbr_tier"), strict=True):
            styles.put(ws.cell(first - 1, col), self.text(key)).font = styles.SUBTITLE_FONT
        values = {
            "PartnerName": partner.name or None,
            "TaxId": partner.tax_id,
            "AccountManager": partner.account_manager,
            "Program": self.program.id,
            "FiscalYear": fiscal_year,
            "Quarter": quarter,
            "ExchangeRate": 1,
            "PriorYearRevenue": partner.revenue_prior_year,
            "CertifiedSales": partner.certified_sales,
            "CertifiedEngineers": partner.certified_engineers,
            "CertifiedSalesAtAudit": at_audit[0],
            "CertifiedEngineersAtAudit": at_audit[1],
            "AuditDay": audit_day,
            "Msp": partner.msp
            if isinstance(partner.msp, str)
            else layout.yes_no(partner.msp, self.language),
        }
        for metric, value in partner.metrics.items():
            shown = layout.yes_no(value, self.language) if isinstance(value, bool) else value
            values[layout.METRIC_NAME + metric] = shown
        values.update(typed)
        for offset, (key, name, kind) in enumerate(self.layout.inputs):
            row = first + offset
            _label_cell(ws, row, labels[0], self.layout.label(key, self.language))
            cell = styles.put(ws.cell(row, layout.QBR_INPUT_COLUMN), values.get(name))
            currency = self.revenue_currency if kind == "money" else self.program.currency
            styles.as_input(cell, styles.number_format(kind, currency))
            validation = {"program": "list"}.get(kind, kind)
            styles.validate(
                ws, validation, cell.coordinate, self.language, source=self.program_range
            )
            self.names[name] = f"{sheet_prefix(ws.title)}{self.layout.cell(name)}"

    def results(self) -> None:
        """The tier block: every answer one formula, most of them an add-in call."""
        ws = self.ws
        col = get_column_letter(layout.QBR_INPUT_COLUMN)  # revenue by quarter, under the inputs
        q_first = self.layout.quarters_row + 1
        each = [f"${col}${q_first + q}" for q in range(4)]
        if self.layout.by_metrics:
            self._results_by_metrics(each)
            return
        targets = f"{layout.qbr_cell('CurrentTier')}:{layout.qbr_cell('NextTier')}"
        renewed = f'IF({self.projected_now}=ProjectedTier,"",{self.projected_now})'
        formulas: dict[str, str | ArrayFormula] = {
            "Revenue": "=" + layout.in_program_currency("PriorYearRevenue"),
            "CurrentTier": f"=PARTNER_TIER({self.partner_args})",
            # The tier above in the program's table: NEXT_TIER's answer, no call (at the top
            # none; where CurrentTier is a message, NEXT_TIER gives the same message).
            "NextTier": f'=IF(CurrentTier="","",IFERROR(INDEX({self.tier_names},'
            f"MATCH(CurrentTier,{self.tier_names},0)+1),"
            f'IF(ISNUMBER(MATCH(CurrentTier,{self.tier_names},0)),"",CurrentTier)))',
            "Gap": f"=GAP_TO_NEXT({self.partner_args})",
            "Progress": f"=TIER_PROGRESS({self.partner_args})",
            # The Review's shape: blank without a partner, the quarters reached, converted.
            "YtdRevenue": f'=IF(PartnerName="","",({layout.year_to_date_sum(each)})/ExchangeRate)',
            # The year's end is the audit: the projection counts who is certified then.
            "ProjectedTier": f"={self.projected_at_audit}",
            "DemotionRisk": styles.at_risk_formula(self.risk_value, self.language),
            "Change": '=TIER_CHANGE(Revenue,"",Program)',
            "TierIfRenewed": f'=IF({self.needs}=0,"",{renewed})',
        }
        # Both targets in one call: keeping the current tier, reaching the next one.
        keep, reach = layout.qbr_cell("KeepPerQuarter"), layout.qbr_cell("ReachPerQuarter")
        formulas["KeepPerQuarter"] = ArrayFormula(
            f"{keep}:{reach}".replace("$", ""),
            f'=IF({targets}="","",REQUIRED_PER_QUARTER(YtdRevenue,Quarter,Program,{targets}))',
        )
        labels = {
            "KeepPerQuarter": self.named("keep_tier", "CurrentTier"),
            "ReachPerQuarter": self.named("reach_tier", "NextTier"),
            # Empty for every partner when the program asks for no certified people: said.
            "TierIfRenewed": f'=IF({self.needs}=0,"{self.text("tier_if_renewed_none")}",'
            f'"{self.text("tier_if_renewed")}")',
        }
        self._write_results(formulas, labels)
        ws.conditional_formatting.add(
            layout.qbr_cell("DemotionRisk").replace("$", ""), styles.risk_highlight(self.language)
        )

    def _results_by_metrics(self, quarters: list[str]) -> None:
        """The results of a program of another shape: what its table of metrics answers."""
        args = self.metric_args
        formulas: dict[str, str | ArrayFormula] = {
            "Revenue": "=" + layout.in_program_currency("PriorYearRevenue"),
            "CurrentTier": f"=PARTNER_TIER({args})",
            "NextTier": f"=NEXT_TIER({args})",
            "Gap": f"=GAP_TO_NEXT({args})",
            "Progress": f"=TIER_PROGRESS({args})",
            "YtdRevenue": f'=IF(PartnerName="","",'
            f"({layout.year_to_date_sum(quarters)})/ExchangeRate)",
        }
        if self.layout.projects:
            formulas["ProjectedTier"] = f"=PROJECTED_TIER({self.year_args})"
            formulas["DemotionRisk"] = styles.at_risk_formula(self.risk_value, self.language)
        self._write_results(formulas, {})
        if self.layout.projects:
            ws = self.ws
            ws.conditional_formatting.add(
                self.layout.cell("DemotionRisk").replace("$", ""),
                styles.risk_highlight(self.language),
            )

    def _write_results(
        self, formulas: dict[str, str | ArrayFormula], labels: dict[str, str]
    ) -> None:
        """Each result's label and formula, in the result column, with its defined name."""
        ws, first = self.ws, layout.QBR_FIRST_ROW
        for offset, (key, name, kind) in enumerate(self.layout.results):
            row = first + offset
            label_cell = self._label_columns()[1]
            _label_cell(ws, row, label_cell, self.layout.label(key, self.language))
            if name in labels:
                ws.cell(row, label_cell).value = labels[name]
            cell = ws.cell(row, layout.QBR_RESULT_COLUMN)
            if name in formulas:  # ReachPerQuarter is filled by KeepPerQuarter's array
                cell.value = formulas[name]
            cell.border = styles.BOX
            cell.font = styles.BOLD
            cell.number_format = styles.number_format(kind, self.program.currency) or "General"
            self.names[name] = f"{sheet_prefix(ws.title)}{self.layout.cell(name)}"
        ws.conditional_formatting.add(
            self.layout.cell("Progress").replace("$", ""), styles.progress_bar()
        )

    def explanation(self) -> None:
        ws, row = self.ws, self.layout.explanation_row
        _label_cell(ws, row, 1, self.text("explanation"))
        ws.cell(row, 1).alignment = styles.WRAP
        args = PARTNER_ARGS if self.layout.counts_people else "Revenue,Program,,"
        explained = f'=TIER_EXPLAIN({args},"{self.language}",YtdRevenue,Quarter)'
        if self.layout.by_metrics:
            table, program, _, _, names = self.metric_args.split(",")
            year = self.year_args.split(",")[0] if self.layout.projects else ""
            quarter = "Quarter" if self.layout.projects else ""
            explained = (
                f'=TIER_EXPLAIN({table},{program},,,"{self.language}",{year},{quarter},{names})'
            )
        ws.cell(row, 2).value = explained
        ws.cell(row, 2).alignment = styles.WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 32

    def quarters(self) -> None:
        """Revenue by quarter (inputs, in the revenue currency) beside the run-rates that
        keeping the current tier and reaching the next one need, in the same currency."""
        ws, top = self.ws, self.layout.quarters_row
        styles.header(ws, top, [self.text("quarter"), self.text("quarter_revenue"), "", ""])
        measured = gap_metric(self.program)
        paces: tuple[tuple[str, str], ...] = (
            ("run_rate_keep", "CurrentTier"),
            ("run_rate_reach", "NextTier"),
        )
        if measured is None or measured.name != REVENUE.name:
            paces = ()  # no tier is reached by revenue: no pace of revenue to show
        for col, (key, tier) in enumerate(paces, 3):
            ws.cell(top, col).value = self.named(key, tier)
            # A quarter's share of the tier's threshold, in the revenue currency.
            pace = f'=IFERROR(VLOOKUP({tier},{self.tier_table},2,FALSE)/4*ExchangeRate,"")'
            for q in range(1, 5):
                cell = ws.cell(top + q, col)
                cell.value, cell.number_format, cell.border = pace, self.revenue_money, styles.BOX
        for q, revenue in enumerate(self.partner.revenue_quarters, 1):
            row = top + q
            styles.put(ws.cell(row, 1), f"Q{q}").border = styles.BOX
            cell = styles.put(ws.cell(row, layout.QBR_INPUT_COLUMN), revenue)
            styles.as_input(cell, self.revenue_money)
            styles.validate(ws, "money", cell.coordinate, self.language)

    def chart(self) -> None:
        """Bars of the quarters' revenue, the two run-rates as lines named by their tiers."""
        ws, top = self.ws, self.layout.quarters_row
        last = top + 4
        chart = BarChart()  # titled by the cell above it: a chart title would squeeze the plot
        styles.put(ws.cell(top + 5, 1), self.text("chart_quarters")).font = styles.SUBTITLE_FONT
        bars = Reference(ws, min_col=layout.QBR_INPUT_COLUMN, min_row=top, max_row=last)
        chart.add_data(bars, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
        pace = LineChart()
        first_pace = layout.QBR_INPUT_COLUMN + 1
        pace.add_data(
            Reference(ws, min_col=first_pace, max_col=first_pace + 1, min_row=top, max_row=last),
            titles_from_data=True,
        )
        chart.y_axis.number_format = "#,##0"
        chart += pace
        chart.y_axis.scaling.min = 0
        chart.legend.position = "r"
        chart.width, chart.height = 22.0, 6.0  # type: ignore[assignment]  # cm, floats
        ws.add_chart(chart, f"A{top + 6}")

    def certifications(self) -> None:
        """Certified people the partner has, against what its tier and the next one need."""
        ws, top = self.ws, self.layout.certs_row
        headers = ("certifications", "have", "tier_needs", "next_needs")
        styles.header(ws, top, (self.text(k) for k in headers))
        needs = (
            ("certified_sales", "CertifiedSales", 4),
            ("certified_engineers", "CertifiedEngineers", 5),
        )
        for row, (key, have, column) in enumerate(needs, top + 1):
            _label_cell(ws, row, 1, self.text(key))
            ws.cell(row, 2).value = f'=IF({have}="","",{have})'
            for col, tier in ((3, "CurrentTier"), (4, "NextTier")):
                lookup = f"VLOOKUP({tier},{self.tier_table},{column},FALSE)"
                ws.cell(row, col).value = f'=IF({tier}="","",IFERROR({lookup},""))'
            for col in (2, 3, 4):
                ws.cell(row, col).border = styles.BOX
                ws.cell(row, col).number_format = styles.COUNT_FORMAT

    def lapsing(self, lapsing: Sequence[CertificationRow], filled: bool) -> None:
        """The certifications that end before the audit, by person, with their dates."""
        ws, top = self.ws, self.layout.lapsing_row
        styles.put(ws.cell(top - 1, 1), self.text("lapsing_title")).font = styles.SUBTITLE_FONT
        headers = ("person", "role", "certification", "valid_until")
        styles.header(ws, top, (self.text(k) for k in headers))
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
            styles.put(ws.cell(top + 1, 1), self.text("lapsing_none"))

    def commitments(self, commitments: Sequence[Action]) -> None:
        """Three to five actions, each with an owner, a due date and a status (inputs)."""
        ws, top = self.ws, self.layout.commitments_row
        styles.put(ws.cell(top - 1, 1), self.text("commitments")).font = styles.SUBTITLE_FONT
        headers = ("action", "owner", "due", "status")
        styles.header(ws, top, (self.text(k) for k in headers), first_col=2)
        styles.header(ws, top, [self.text("number")])
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
        ws, top = self.ws, self.layout.notes_row
        styles.put(ws.cell(top - 1, 1), self.text("notes")).font = styles.SUBTITLE_FONT
        cell = styles.as_input(styles.put(ws.cell(top, 1), notes))
        cell.alignment = styles.WRAP
        styles.validate(ws, "text", cell.coordinate, self.language, max_length=5000)
        last = top + layout.QBR_NOTES_HEIGHT - 1
        ws.merge_cells(start_row=top, start_column=1, end_row=last, end_column=5)

    def finished(self) -> Workbook:
        """Column widths, defined names, protection and the page set up for print."""
        ws, wb = self.ws, self.wb
        for letter, width in zip("ABCDE", (30, 30, 22, 46, 22), strict=True):
            ws.column_dimensions[letter].width = width
        for name, ref in self.names.items():
            wb.defined_names[name] = DefinedName(name, attr_text=ref)
        styles.protect(ws)
        styles.print_setup(ws, None, one_page=True, portrait=True)
        ws.print_area = f"A1:E{self.layout.notes_row + layout.QBR_NOTES_HEIGHT - 1}"
        wb.properties.title = self.text("qbr_title")
        wb.properties.creator = "partner-tiers"
        return wb


def _label_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = styles.put(ws.cell(row, col), text)
    cell.fill, cell.border, cell.font = styles.LABEL_FILL, styles.BOX, styles.BOLD
