"""The quarterly portfolio review: all partners of one program for one quarter.

Sheets: Start (what it is, how to fill it in, settings), Partners (input table), Review
(tiers, projections and gaps from the add-in's functions), Program (the tiers of the
selected edition and of the one it replaces), Dashboard (charts), Actions (commitments),
Certifications (the certified people, each with the day its certification ends).

Certifications are counted as the vendor's audit counts them (``rules.certifications``):
the current tier with those valid on CertificationsAsOf, the projected tier, the tier at the
audit, with those valid on AuditDay. One CERTIFIED_PEOPLE call over the Certifications
table does the counting, by the same rule as the terminal summary and the QBR pack (a row
belongs to a partner by tax id, else by name; a person counts once per role), so the
workbook counts again whenever a row is typed.

The Review sheet computes each column with one array formula over all partner rows, so
Excel calls each add-in function once per column rather than once per cell (every call
crosses from Excel to Python). A blank partner row gives blank results.

>>> wb = build_portfolio_review("en", partners=[Partner("Acme", revenue_prior_year=45000)])
>>> wb.sheetnames
['Start', 'Partners', 'Review', 'Program', 'Dashboard', 'Actions', 'Certifications']
>>> wb["Review"]["C5"].value.text
'=PARTNER_TIER(Review!$B$5:$B$104,Program,Review!$R$5:$R$104,Review!$S$5:$S$104)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from partner_tiers.records import Action, CertificationRow, Partner, Settings
from partner_tiers.rules import programs
from partner_tiers.rules.certifications import (
    DEFAULT_ROLE_KEYS,
    ENGINEER,
    SALES,
    role_text,
    role_words,
)
from partner_tiers.rules.tiers import typed_metrics
from partner_tiers.texts import label
from partner_tiers.workbooks import blocks as blocks_
from partner_tiers.workbooks import layout, styles
from partner_tiers.workbooks.layout import ACTIONS, CERTIFICATIONS, PARTNERS, sheet_prefix

# The Partners column typed for each role, counted for a partner without certification rows.
TYPED_COUNTS = {SALES: "certified_sales", ENGINEER: "certified_engineers"}
# The field of PROGRAM_INFO behind each derived setting of the Start sheet.
PROGRAM_FACTS = {
    "ProgramName": "name",
    "ProgramCurrency": "currency",
    "PreviousProgram": "replaces",
}


def build_portfolio_review(
    language: str = "en",
    settings: Settings | None = None,
    partners: Sequence[Partner] = (),
    actions: Sequence[Action] = (),
    min_rows: int = layout.TEMPLATE_PARTNER_ROWS,
    certifications: Sequence[CertificationRow] = (),
) -> Workbook:
    """The portfolio review workbook in ``language``, with room for ``min_rows`` partners."""
    settings = settings or Settings()
    program = programs.get_program(settings.program)
    book = _Book(
        language=language,
        program_currency=program.currency,
        revenue_currency=settings.revenue_currency or program.currency,
        last_row=PARTNERS.first_row + max(len(partners), min_rows) - 1,
        tier_rows=blocks_.tier_rows(),
        last_certification_row=CERTIFICATIONS.first_row
        + max(len(certifications), layout.TEMPLATE_CERTIFICATION_ROWS)
        - 1,
        partners_table=layout.partners_table(program),
        review_table=layout.review_table(program),
        metrics=[m.name for m in program.read_metrics()] if typed_metrics(program) else None,
        roles={m.name: m.role for m in program.metrics if m.role},
        role_choices=role_words(program, language) if _other_roles(program) else [],
        program_of=program,
        counts_people=layout.counts_people(program),
        counts_sales_and_engineers=layout.counts_sales_and_engineers(program),
    )
    wb = Workbook()
    wb.remove(layout.first_sheet(wb))
    sheets = ["start", "partners", "review", "program", "dashboard", "actions"]
    # A program that counts no certified people has no such sheet, unless rows were typed.
    listed = book.counts_people or bool(certifications)
    if listed:
        sheets.append("certifications")
    for key in sheets:
        wb.create_sheet(label(key, language))
    book.start(wb[label("start", language)], settings, program.id)
    book.partners(wb[label("partners", language)], partners)
    book.review(wb[label("review", language)])
    book.program(wb[label("program", language)])
    book.dashboard(wb[label("dashboard", language)])
    book.actions(wb[label("actions", language)], actions)
    if listed:
        book.certifications(wb[label("certifications", language)], certifications)
    start = sheet_prefix(label("start", language))
    for _, name, _ in layout.SETTINGS:
        ref = f"{start}{layout.setting_cell(name)}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    wb.properties.title = label("review_title", language)
    wb.properties.creator = "partner-tiers"
    return wb


def _other_roles(program: programs.Program) -> bool:
    """Whether ``program`` has other roles than the default sales and engineers."""
    roles = {m.role for m in program.metrics if m.role}
    return roles != set(DEFAULT_ROLE_KEYS)


def partner_cells(p: Partner, language: str) -> dict[str, object]:
    """A partner as the cells of its Partners row (:func:`layout.partner_row`), each yes/no
    in ``language``."""
    values = layout.partner_row(p)
    for key, value in values.items():
        if isinstance(value, bool) or (key in ("msp", "in_export") and value is None):
            values[key] = layout.yes_no(value, language)
    return values


@dataclass
class _Book:
    language: str
    program_currency: str
    revenue_currency: str
    last_row: int
    tier_rows: int
    last_certification_row: int
    partners_table: layout.Table = PARTNERS
    review_table: layout.Table = layout.REVIEW
    metrics: list[str] | None = None  # the metrics a program of another shape reads
    roles: dict[str, str] = field(default_factory=dict)  # certified_<role> -> role
    role_choices: list[str] = field(default_factory=list)  # other roles than the two: all
    program_of: programs.Program | None = None
    counts_people: bool = True  # the Certifications sheet
    counts_sales_and_engineers: bool = True  # CERTIFIED_PEOPLE

    def text(self, key: str) -> str:
        """A label of the workbook's language (:func:`partner_tiers.texts.label`)."""
        return label(key, self.language)

    # -- Start --------------------------------------------------------------------------

    def start(self, ws: Worksheet, settings: Settings, program_id: str) -> None:
        styles.title(ws, self.text("review_title"))
        intro = styles.put(ws["A2"], self.text("review_intro"))
        intro.alignment = styles.WRAP
        ws.merge_cells("A2:C2")
        ws.row_dimensions[2].height = 48
        styles.put(ws["A3"], self.text("how_to")).font = styles.SUBTITLE_FONT
        for row, key in enumerate(("step_1", "step_2", "step_3", "step_4"), 4):
            styles.put(ws.cell(row, 1), self.text(key))
        first = layout.SETTINGS_FIRST_ROW
        styles.put(ws.cell(first - 1, 1), self.text("settings")).font = styles.SUBTITLE_FONT
        values = {
            "Program": program_id,
            "FiscalYear": settings.fiscal_year,
            "Quarter": settings.quarter,
            "RevenueCurrency": self.revenue_currency,
            "ExchangeRate": settings.exchange_rate,
            "Reviewer": settings.reviewer,
            "SalesPeriod": settings.sales_period,
            "AuditDay": settings.audit_day,
            "CertificationsAsOf": settings.certifications_as_of,
        }
        self._program_facts(ws)
        helps = {
            "program": "help_program",
            "year": "help_fiscal_year",
            "quarter": "help_quarter",
            "currency": "help_currency",
            "rate": "help_exchange_rate",
            "text": "help_reviewer",
            "derived": "help_derived",
            "info": "help_sales_period",
            "AuditDay": "help_audit_day",
            "CertificationsAsOf": "help_as_of",
        }
        program_list = self._program_list_cells()
        for offset, (key, name, kind) in enumerate(layout.SETTINGS):
            row = first + offset
            name_cell = styles.put(ws.cell(row, 1), self.text(key))
            name_cell.fill, name_cell.border = styles.LABEL_FILL, styles.BOX
            cell = ws[layout.setting_cell(name).replace("$", "")]
            if kind == "derived":
                cell.border = styles.BOX
            elif kind == "info":
                styles.put(cell, values[name]).border = styles.BOX
            else:
                styles.put(cell, values[name])
                styles.as_input(cell, styles.number_format(kind, self.program_currency))
                validation = {"program": "list", "text": "text"}.get(kind, kind)
                styles.validate(ws, validation, cell.coordinate, self.language, source=program_list)
            help_key = helps.get(name) or helps[kind]
            styles.put(ws.cell(row, 3), self.text(help_key)).font = styles.NOTE_FONT
        ws.column_dimensions["A"].width = 38
        ws.column_dimensions["B"].width = 42
        ws.column_dimensions["C"].width = 62
        styles.protect(ws)
        styles.print_setup(ws, None)

    @staticmethod
    def _program_facts(ws: Worksheet) -> None:
        """The derived settings, facts of the program: one PROGRAM_INFO call for all of them."""
        at = [i for i, (_, _, kind) in enumerate(layout.SETTINGS) if kind == "derived"]
        if at != list(range(at[0], at[0] + len(at))):
            raise ValueError("the derived settings must be in consecutive rows")
        names = [layout.SETTINGS[i][1] for i in at]
        first, last = layout.setting_cell(names[0]), layout.setting_cell(names[-1])
        fields = ";".join(f'"{PROGRAM_FACTS[name]}"' for name in names)
        ws[first.replace("$", "")] = ArrayFormula(
            f"{first}:{last}".replace("$", ""), f"=PROGRAM_INFO({{{fields}}},Program)"
        )

    def _program_list_cells(self) -> str:
        col = get_column_letter(layout.PROGRAM_LIST_COLUMN)
        first = layout.PROGRAM_LIST_ROW
        last = first + layout.PROGRAM_LIST_ROWS - 1
        return f"{sheet_prefix(self.text('program'))}${col}${first}:${col}${last}"

    # -- Partners ------------------------------------------------------------------------

    def partners(self, ws: Worksheet, partners: Sequence[Partner]) -> None:
        records = [
            [partner_cells(p, self.language).get(c.key) for c in self.partners_table.columns]
            for p in partners
        ]
        self._input_table(
            ws,
            self.partners_table,
            "PartnerInput",
            "partners",
            records,
            self.last_row,
            self.revenue_currency,
            freeze_column="B",
        )
        # A partner absent from this sales export (kept from the previous review) shows grey.
        first, flag = PARTNERS.first_row, self.partners_table.letter("in_export")
        ws.conditional_formatting.add(
            f"A{first}:{flag}{self.last_row}",
            FormulaRule(formula=[f'${flag}{first}="{self.text("no")}"'], font=styles.ABSENT_FONT),
        )

    def _input_table(
        self,
        ws: Worksheet,
        table: layout.Table,
        name: str,
        key: str,
        records: Sequence[Sequence[object]],
        last: int,
        currency: str,
        freeze_column: str = "A",
        wrap: tuple[str, ...] = (),
        lists: dict[str, str] | None = None,
        one_page: bool = False,
        choices: dict[str, list[str]] | None = None,
    ) -> None:
        """An Excel Table of input cells: title, header, validation, records, print set-up.

        ``lists`` gives a column key the cells its dropdown offers; ``one_page`` prints the
        table on one page (the Actions of a review: mostly empty rows to write in).
        """
        styles.title(ws, self.text(f"{key}_title"), self.text(f"{key}_intro"))
        styles.header(ws, table.header_row, (c.header(self.language) for c in table.columns))
        for col, column in enumerate(table.columns, 1):
            styles.style_column(
                ws,
                col,
                table.first_row,
                last,
                **styles.INPUT,
                number_format=styles.number_format(column.kind, currency),
                alignment=styles.WRAP if column.key in wrap else None,
            )
        for row, values in enumerate(records, table.first_row):
            for col, value in enumerate(values, 1):
                styles.put(ws.cell(row, col), value)
        for column in table.columns:
            letter = table.letter(column.key)
            cells = f"{letter}{table.first_row}:{letter}{last}"
            if lists and column.key in lists:
                styles.validate(ws, "list", cells, self.language, source=lists[column.key])
            elif choices and column.key in choices:
                styles.validate(ws, "choices", cells, self.language, choices=choices[column.key])
            else:
                styles.validate(ws, column.kind, cells, self.language, max_length=1000)
            header = column.header(self.language)
            ws.column_dimensions[letter].width = styles.fit_width(header, column.width)
        last_col = get_column_letter(len(table.columns))
        ws.add_table(
            Table(
                displayName=name,
                ref=f"A{table.header_row}:{last_col}{last}",
                tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True),
            )
        )
        ws.freeze_panes = f"{freeze_column}{table.first_row}"
        styles.protect(ws)
        styles.print_setup(ws, f"{table.header_row}:{table.header_row}", one_page=one_page)

    def _column_cells(self, table: layout.Table, key: str) -> str:
        letter = table.letter(key)
        return f"{letter}{table.first_row}:{letter}{self.last_row}"

    def partners_column(self, key: str) -> str:
        """All partner rows of a Partners column, as an absolute reference."""
        table = self.partners_table
        return table.cells(key, self.text("partners"), table.first_row, self.last_row)

    def review_column(self, key: str) -> str:
        """All partner rows of a Review column, as an absolute reference."""
        table = self.review_table
        return table.cells(key, self.text("review"), table.first_row, self.last_row)

    # -- Review ----------------------------------------------------------------------------

    def certifications_column(self, key: str) -> str:
        """All rows of a Certifications column, as an absolute reference."""
        sheet, last = self.text("certifications"), self.last_certification_row
        return CERTIFICATIONS.cells(key, sheet, CERTIFICATIONS.first_row, last)

    def certification_cells(self) -> str:
        """The whole Certifications table's data rows, its columns in CERTIFICATIONS' order."""
        sheet, last = self.text("certifications"), self.last_certification_row
        columns = CERTIFICATIONS.columns
        first = f"${CERTIFICATIONS.letter(columns[0].key)}${CERTIFICATIONS.first_row}"
        return f"{sheet_prefix(sheet)}{first}:${CERTIFICATIONS.letter(columns[-1].key)}${last}"

    def review_formulas(self) -> dict[str, str]:
        """The array formula of each Review column. A column without one of its own is
        filled by the array formula to its left, whose answer is that many columns wide."""
        p, r = self.partners_column, self.review_column  # short in the formula texts
        people = self.counts_sales_and_engineers
        now = f"{r('sales_now')},{r('engineers_now')}" if people else ""
        at_audit = f",{r('sales_audit')},{r('engineers_audit')}" if people else ""
        prior = p("revenue_prior_year")
        partner_args = f"{r('revenue')},Program" + (f",{now}" if people else "")
        ytd = layout.year_to_date_sum([p(key) for key in layout.QUARTER_KEYS])
        # Both targets side by side: the current tier and the next one (adjacent columns).
        sheet = self.text("review")
        targets = self.review_table.cells(
            "current_tier", sheet, self.review_table.first_row, self.last_row, "next_tier"
        )
        formulas = {
            "partner": f'=IF({p("name")}="","",{p("name")})',
            # ExchangeRate is revenue currency for 1 unit of the program currency, the one
            # direction of partner_tiers.review.exchange_rates: divide by it.
            "revenue": f'=IF({prior}="","",{prior}/ExchangeRate)',
            "current_tier": f"=PARTNER_TIER({partner_args})",
            "next_tier": f"=NEXT_TIER({partner_args})",
            "gap": f"=GAP_TO_NEXT({partner_args})",
            "progress": f"=TIER_PROGRESS({partner_args})",
            "ytd": f'=IF({p("name")}="","",({ytd})/ExchangeRate)',
            # The year's end is the audit: the projection counts who is certified then.
            "projected_tier": f"=PROJECTED_TIER({r('ytd')},Quarter,Program{at_audit})",
            "demotion_risk": styles.at_risk_formula(r("risk_value"), self.language),
            "keep_per_quarter": f'=IF({targets}="","",'
            f"REQUIRED_PER_QUARTER({r('ytd')},Quarter,Program,{targets}))",
            "change": f'=TIER_CHANGE({r("revenue")},"",Program)',
            "explanation": f"=TIER_EXPLAIN({partner_args}{'' if people else ',,'},"
            f'"{self.language}",{r("ytd")},Quarter)',
            "risk_value": f"=DEMOTION_RISK({r('ytd')},Quarter,{r('current_tier')},Program)",
            "order_key": f"=IF(ISNUMBER({r('gap')}),IF({r('gap')}>0,"
            f'{r("gap")}+ROW({r("gap")})/1000000000,""),"")',
        }
        if people:
            needs = self._certification_needs()
            renewed = f'IF({r("projected_now")}={r("projected_tier")},"",{r("projected_now")})'
            formulas |= {
                # Empty where renewing changes nothing, and for every partner when the
                # program asks for no certified people (the header says so).
                "tier_if_renewed": f'=IF({needs}=0,"",{renewed})',
                "lapsing": f'=IF({p("name")}="","",{r("lapsing_count")})',
                # 0 lapsing without the days: nothing is known to lapse.
                "sales_now": self.certified_people(),
                "projected_now": f"=PROJECTED_TIER({r('ytd')},Quarter,Program,{now})",
            }
        return formulas

    def _metric_table(self, prefix: str) -> tuple[str, str]:
        """The values and the names of the Review's hidden table of metrics whose helpers'
        keys start with ``prefix``, as absolute references."""
        table = self.review_table
        keys = [c.key for c in table.columns if c.key.startswith(prefix)]
        first, last = table.letter(keys[0]), table.letter(keys[-1])
        sheet, head = sheet_prefix(self.text("review")), table.header_row
        values = f"{sheet}${first}${table.first_row}:${last}${self.last_row}"
        return values, f"{sheet}${first}${head}:${last}${head}"

    def table_formulas(self) -> dict[str, str]:
        """The array formulas of the Review of a program of another shape: its hidden table
        of metrics, one helper a metric (names in the header row, values in the program
        currency, a blank partner row blank), and the functions that take that table; where
        it projects, the table of this year's values and the functions that take it."""
        p, r = self.partners_column, self.review_column  # short in the formula texts
        name = p("name")
        table, names = self._metric_table(layout.TABLE_KEY)
        args = f"{table},Program,,,{names}"
        formulas = {
            "partner": f'=IF({name}="","",{name})',
            "revenue": "=" + layout.in_program_currency(p("revenue_prior_year")),
            "current_tier": f"=PARTNER_TIER({args})",
            "next_tier": f"=NEXT_TIER({args})",
            "gap": f"=GAP_TO_NEXT({args})",
            "progress": f"=TIER_PROGRESS({args})",
            "explanation": f'=TIER_EXPLAIN({table},Program,,,"{self.language}",,,{names})',
            "order_key": f"=IF(ISNUMBER({r('gap')}),IF({r('gap')}>0,"
            f'{r("gap")}+ROW({r("gap")})/1000000000,""),"")',
        }
        if self.counts_sales_and_engineers:
            formulas["lapsing"] = f'=IF({name}="","",{r("lapsing_count")})'
            formulas["sales_now"] = self.certified_people()
        now = {"certified_sales": "sales_now", "certified_engineers": "engineers_now"}
        formulas.update(
            self._table_helpers(layout.TABLE_KEY, r("revenue"), now, "CertificationsAsOf")
        )
        keys = {c.key for c in self.review_table.columns}
        if "projected_tier" in keys:
            ytd = layout.year_to_date_sum([p(key) for key in layout.QUARTER_KEYS])
            audit = {"certified_sales": "sales_audit", "certified_engineers": "engineers_audit"}
            year, year_names = self._metric_table(layout.PROJECTED_KEY)
            formulas["ytd"] = f'=IF({name}="","",({ytd})/ExchangeRate)'
            formulas["projected_tier"] = f"=PROJECTED_TIER({year},Quarter,Program,,,{year_names})"
            formulas["risk_value"] = (
                f"=DEMOTION_RISK({year},Quarter,{r('current_tier')},Program,{year_names})"
            )
            formulas["demotion_risk"] = styles.at_risk_formula(r("risk_value"), self.language)
            formulas["explanation"] = (
                f'=TIER_EXPLAIN({table},Program,,,"{self.language}",{year},Quarter,{names})'
            )
            formulas.update(self._table_helpers(layout.PROJECTED_KEY, r("ytd"), audit, "AuditDay"))
        return formulas

    def _table_helpers(
        self, prefix: str, revenue: str, counted: dict[str, str], day: str
    ) -> dict[str, str]:
        """One helper a metric of a hidden table: the partner's name, the ``revenue``
        column, the sales people and engineers of the ``counted`` helpers, another role
        counted on ``day``, and the rest as typed on Partners (amounts in the program
        currency; a blank stays blank, where Excel would read an empty cell as 0)."""
        p, r = self.partners_column, self.review_column  # short in the formula texts
        name = p("name")
        typed = {c.key.removeprefix(layout.METRIC_KEY): c for c in self.partners_table.columns}
        formulas = {prefix + "partner": f'=IF({name}="","",{name})'}
        for metric in self.metrics or ():
            if metric == "revenue":
                value = revenue
            elif metric in counted:
                value = r(counted[metric])
            elif metric in self.roles:  # another role of the program: counted on its own
                formulas[prefix + metric] = self.certified_in_role(metric, day)
                continue
            elif typed[metric].kind == "money":
                value = layout.in_program_currency(p(layout.METRIC_KEY + metric))
            else:
                typed_cells = p(layout.METRIC_KEY + metric)
                value = f'IF({typed_cells}="","",{typed_cells})'
            formulas[prefix + metric] = f'=IF({name}="","",{value})'
        return formulas

    def certified_people(self) -> str:
        """The one CERTIFIED_PEOPLE call: five helper columns from sales_now."""
        p = self.partners_column
        return (
            f"=CERTIFIED_PEOPLE({p('name')},{p('tax_id')},{p('certified_sales')},"
            f"{p('certified_engineers')},{self.certification_cells()},CertificationsAsOf,"
            "AuditDay)"
        )

    def certified_in_role(self, metric: str, day: str) -> str:
        """The people certified on ``day`` in the role of the metric ``metric``, one call a
        role: counted from the Certifications sheet, else as typed on Partners."""
        p, role = self.partners_column, self.roles[metric]
        return (
            f"=CERTIFIED_IN_ROLE({p('name')},{p('tax_id')},{p(layout.METRIC_KEY + metric)},"
            f'{self.certification_cells()},"{role}",{day},Program)'
        )

    def _certification_needs(self) -> str:
        """How many certification counts the selected program's tier table sets (0: none)."""
        program = sheet_prefix(self.text("program"))
        first, last = layout.PROGRAM_TABLE_ROW + 1, layout.PROGRAM_TABLE_ROW + self.tier_rows
        return f"COUNT({program}$D${first}:$E${last})"

    def review(self, ws: Worksheet) -> None:
        table = self.review_table
        styles.title(ws, self.text("review_sheet_title"), self.text("review_sheet_intro"))
        styles.header(ws, table.header_row, (c.header(self.language) for c in table.columns))
        formulas = self.table_formulas() if self.metrics else self.review_formulas()
        keys = [c.key for c in table.columns]
        for col, column in enumerate(table.columns, 1):
            letter = get_column_letter(col)
            if column.key in formulas:
                width = 1  # and the columns to its right that have no formula of their own
                while col + width <= len(keys) and keys[col + width - 1] not in formulas:
                    width += 1
                last = get_column_letter(col + width - 1)
                area = f"{letter}{table.first_row}:{last}{self.last_row}"
                ws[f"{letter}{table.first_row}"] = ArrayFormula(area, formulas[column.key])
            styles.style_column(
                ws,
                col,
                table.first_row,
                self.last_row,
                border=styles.BOX,
                number_format=styles.number_format(column.kind, self.program_currency),
                alignment=styles.WRAP if column.kind == "sentence" else None,
            )
            header = column.header(self.language)
            ws.column_dimensions[letter].width = styles.fit_width(header, column.width)
        for row in range(table.first_row, self.last_row + 1):  # the sentence's two lines
            ws.row_dimensions[row].height = layout.SENTENCE_ROW_HEIGHT
        keys_here = set(keys)
        if "tier_if_renewed" in keys_here:
            renewed = ws.cell(table.header_row, table.index("tier_if_renewed"))
            renewed.value = (
                f'=IF({self._certification_needs()}=0,"{self.text("tier_if_renewed_none")}",'
                f'"{self.text("tier_if_renewed")}")'
            )
        helpers = [c.key for c in table.columns if c.kind == "helper"]
        for key in helpers:
            ws.column_dimensions[table.letter(key)].hidden = True
        progress = self._column_cells(table, "progress")
        ws.conditional_formatting.add(progress, styles.progress_bar())
        if "demotion_risk" in keys_here:
            ws.conditional_formatting.add(
                self._column_cells(table, "demotion_risk"), styles.risk_highlight(self.language)
            )
        if "change" in keys_here:
            change = self._column_cells(table, "change")
            ws.conditional_formatting.add(
                change,
                CellIsRule(operator="greaterThan", formula=["0"], font=Font(color="00803C")),
            )
            ws.conditional_formatting.add(
                change, CellIsRule(operator="lessThan", formula=["0"], font=Font(color="C00000"))
            )
        ws.freeze_panes = f"B{table.first_row}"
        styles.protect(ws)
        styles.print_setup(ws, f"{table.header_row}:{table.header_row}")
        shown = len(table.columns) - len(helpers)  # the helpers come last
        ws.print_area = f"A1:{get_column_letter(shown)}{self.last_row}"

    # -- Program ---------------------------------------------------------------------------

    def program(self, ws: Worksheet) -> None:
        styles.title(ws, self.text("program_title"))
        row = layout.PROGRAM_TABLE_ROW
        blocks = (
            (1, "selected_program", '="  "&Program&": "&ProgramName', "Program"),
            (
                layout.PREVIOUS_TABLE_COLUMN,
                "previous_program",
                '="  "&PreviousProgram',
                "PreviousProgram",
            ),
        )
        for col, key, caption, program in blocks:
            styles.put(ws.cell(row - 2, col), self.text(key)).font = styles.SUBTITLE_FONT
            ws.cell(row - 1, col).value = caption
            blocks_.tier_table(ws, row, col, program, self.language, self.tier_rows)
            widths = (16, 17, 10, 15, 15, 10)
            for offset, w in enumerate(widths):
                ws.column_dimensions[get_column_letter(col + offset)].width = w
        ws.row_dimensions[row].height = 45
        list_col = layout.PROGRAM_LIST_COLUMN
        styles.put(ws.cell(row, list_col), self.text("available_programs"))
        header_cell = ws.cell(row, list_col)
        header_cell.font, header_cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
        header_cell.alignment = styles.HEADER_ALIGNMENT
        letter = get_column_letter(list_col)
        blocks_.program_list(ws, layout.PROGRAM_LIST_ROW, list_col)
        ws.column_dimensions[letter].width = 20
        ws.column_dimensions[get_column_letter(list_col - 1)].width = 3
        ws.column_dimensions[get_column_letter(layout.PREVIOUS_TABLE_COLUMN - 1)].width = 3
        styles.protect(ws)
        styles.print_setup(ws, None)

    # -- Dashboard -------------------------------------------------------------------------

    def dashboard(self, ws: Worksheet) -> None:
        styles.title(ws, self.text("dashboard_title"))
        unset = self.text("fiscal_year_unset")
        ws["A2"] = f'=Program&" · "&IF(FiscalYear="","{unset}, Q","FY"&FiscalYear&" Q")&Quarter'
        ws["A2"].font = styles.NOTE_FONT
        top = layout.DASHBOARD_TIERS_ROW
        keys = {c.key for c in self.review_table.columns}
        counted = ["tier", "partners_now"]
        if "projected_tier" in keys:  # a program of another shape has no projection yet
            counted.append("partners_projected")
        styles.header(ws, top, (self.text(k) for k in counted))
        program_sheet = sheet_prefix(self.text("program"))
        for i in range(self.tier_rows):
            row = top + 1 + i
            ws.cell(row, 1).value = f"={program_sheet}$A${layout.PROGRAM_TABLE_ROW + 1 + i}"
            for col, key in ((2, "current_tier"), (3, "projected_tier")):
                if key not in keys:
                    continue
                ws.cell(
                    row, col
                ).value = f'=IF($A{row}="","",COUNTIF({self.review_column(key)},$A{row}))'
            for col in range(1, len(counted) + 1):
                ws.cell(row, col).border = styles.BOX
        last = top + self.tier_rows
        chart = BarChart()
        chart.title = self.text("chart_tiers")
        chart.y_axis.title = None
        chart.add_data(
            Reference(ws, min_col=2, max_col=len(counted), min_row=top, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
        chart.y_axis.scaling.min = 0
        chart.y_axis.majorUnit = 1
        chart.width, chart.height = 16, 7
        ws.add_chart(chart, f"E{top}")

        # Below the first chart (7 cm is about 13 rows), whatever the number of tiers.
        closest = max(last + 3, top + 14)
        styles.put(ws.cell(closest - 1, 1), self.text("closest_title")).font = styles.SUBTITLE_FONT
        gap = self.review_table.columns[self.review_table.index("gap") - 1]
        headers = (self.text("partner"), self.text("next_tier"), gap.header(self.language))
        styles.header(ws, closest, headers)
        key_col = get_column_letter(4)
        money = styles.number_format(gap.kind, self.program_currency) or "General"
        for k in range(1, layout.CLOSEST_PARTNERS + 1):
            row = closest + k
            key = f"${key_col}{row}"
            ws[f"{key_col}{row}"] = f'=IFERROR(SMALL({self.review_column("order_key")},{k}),"")'
            position = f"MATCH({key},{self.review_column('order_key')},0)"
            for col, column in ((1, "partner"), (2, "next_tier"), (3, "gap")):
                ws.cell(
                    row, col
                ).value = f'=IF({key}="","",INDEX({self.review_column(column)},{position}))'
                ws.cell(row, col).border = styles.BOX
            ws.cell(row, 3).number_format = money
        ws.column_dimensions[key_col].hidden = True
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 16
        ws.column_dimensions["C"].width = 18
        bars = BarChart()
        bars.type = "bar"
        bars.title = self.text("chart_closest")
        bars.legend = None
        last_closest = closest + layout.CLOSEST_PARTNERS
        bars.add_data(
            Reference(ws, min_col=3, min_row=closest, max_row=last_closest), titles_from_data=True
        )
        bars.set_categories(Reference(ws, min_col=1, min_row=closest + 1, max_row=last_closest))
        bars.y_axis.number_format = "#,##0"
        bars.x_axis.scaling.orientation = "maxMin"  # closest first, at the top
        bars.y_axis.scaling.min = 0
        bars.width, bars.height = 16, 9
        ws.add_chart(bars, f"E{closest}")
        styles.protect(ws)
        styles.print_setup(ws, None, one_page=True)

    # -- Actions ---------------------------------------------------------------------------

    def certifications(self, ws: Worksheet, rows: Sequence[CertificationRow]) -> None:
        records = [
            (
                row.partner,
                row.tax_id,
                row.person,
                role_text(row.role, self.language, self.program_of),
                row.certification,
                row.valid_until,
            )
            for row in rows
        ]
        self._input_table(
            ws,
            CERTIFICATIONS,
            "Certifications",
            "certifications",
            records,
            self.last_certification_row,
            self.program_currency,
            lists={"partner": self.partners_column("name")},
            choices={"role": self.role_choices} if self.role_choices else None,
        )

    def actions(self, ws: Worksheet, actions: Sequence[Action]) -> None:
        last = ACTIONS.first_row + max(len(actions), layout.TEMPLATE_ACTION_ROWS) - 1
        records = [(a.partner, a.action, a.owner, a.due, a.status) for a in actions]
        self._input_table(
            ws,
            ACTIONS,
            "Commitments",
            "actions",
            records,
            last,
            self.program_currency,
            wrap=("action",),
            lists={"partner": self.partners_column("name")},
            one_page=len(actions) <= layout.TEMPLATE_ACTION_ROWS,
        )
