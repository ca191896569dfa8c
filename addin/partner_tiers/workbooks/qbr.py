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

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from partner_tiers.rules import programs
from partner_tiers.workbooks import blocks, layout, styles
from partner_tiers.workbooks.layout import label, sheet_prefix
from partner_tiers.workbooks.portfolio import Action, Partner

# On the hidden Lists sheet: the program list in column A, then these.
RISK_VALUE_CELL = "C1"  # DEMOTION_RISK, once; the scorecard's DemotionRisk shows it as a flag
TIER_TABLE_COLUMN = 5


def build_partner_qbr(
    language: str = "en",
    program: str | None = None,
    partner: Partner | None = None,
    fiscal_year: int | None = None,
    quarter: int | None = 1,
    commitments: Sequence[Action] = (),
    notes: str | None = None,
) -> Workbook:
    """The QBR scorecard in ``language``, filled with ``partner`` when one is given."""
    chosen = programs.get_program(program)
    if len(commitments) > layout.QBR_COMMITMENTS:
        raise ValueError(f"the scorecard has room for {layout.QBR_COMMITMENTS} commitments")
    wb = Workbook()
    ws = wb.active
    ws.title = label("scorecard", language)
    lists = wb.create_sheet(label("lists", language))
    lists.sheet_state = "hidden"
    styles.protect(lists)
    tier_rows = blocks.tier_rows()
    money = styles.money_format(chosen.currency)

    program_range = blocks.program_list(lists, 1, 1)
    risk_value = sheet_prefix(lists.title) + absolute_coordinate(RISK_VALUE_CELL)
    lists[RISK_VALUE_CELL] = "=DEMOTION_RISK(YtdRevenue,Quarter,CurrentTier,Program)"
    blocks.tier_table(lists, 1, TIER_TABLE_COLUMN, "Program", language, tier_rows, money)
    # The selected program's tiers, lowest first, and its whole table (header row left out).
    table_column = get_column_letter(TIER_TABLE_COLUMN)
    last_column = get_column_letter(TIER_TABLE_COLUMN + layout.PROGRAM_TABLE_COLUMNS - 1)
    tier_names = f"{sheet_prefix(lists.title)}${table_column}$2:${table_column}${tier_rows + 1}"
    lists_table = f"{sheet_prefix(lists.title)}${table_column}$2:${last_column}${tier_rows + 1}"
    names: dict[str, str] = {}
    t = lambda key: label(key, language)  # noqa: E731

    styles.title(ws, t("qbr_title"), t("qbr_intro"))
    first = layout.QBR_FIRST_ROW
    labels = layout.QBR_INPUT_COLUMN - 1, layout.QBR_RESULT_COLUMN - 1  # beside their values
    for col, key in zip(labels, ("qbr_partner", "qbr_tier"), strict=True):
        styles.put(ws.cell(first - 1, col), t(key)).font = styles.SUBTITLE_FONT
    partner = partner or Partner("")
    values = {
        "PartnerName": partner.name or None, "TaxId": partner.tax_id,
        "AccountManager": partner.account_manager, "Program": chosen.id,
        "FiscalYear": fiscal_year, "Quarter": quarter, "Revenue": partner.revenue_prior_year,
        "CertifiedSales": partner.certified_sales,
        "CertifiedEngineers": partner.certified_engineers,
        "Msp": layout.yes_no(partner.msp, language),
    }  # fmt: skip
    for offset, (key, name, kind) in enumerate(layout.QBR_INPUTS):
        row = first + offset
        _label_cell(ws, row, labels[0], t(key))
        cell = ws.cell(row, layout.QBR_INPUT_COLUMN)
        styles.as_input(styles.put(cell, values[name]), styles.number_format(kind, chosen.currency))
        validation = {"program": "list"}.get(kind, kind)
        styles.validate(ws, validation, cell.coordinate, language,
                        source=f"{sheet_prefix(lists.title)}{program_range}")  # fmt: skip
        names[name] = f"{sheet_prefix(ws.title)}{layout.qbr_cell(name)}"

    quarters_row = layout.QBR_QUARTERS_ROW
    q_first, q_last = quarters_row + 1, quarters_row + 4
    col = get_column_letter(layout.QBR_INPUT_COLUMN)  # revenue by quarter, under the inputs
    pace_col = layout.QBR_INPUT_COLUMN + 1  # the run-rate the next tier needs, beside it
    partner_args = "Revenue,Program,CertifiedSales,CertifiedEngineers"
    results = {
        "CurrentTier": f"=PARTNER_TIER({partner_args})",
        # The tier above in the program's table: the same answer as NEXT_TIER, no call.
        "NextTier": f'=IFERROR(INDEX({tier_names},MATCH(CurrentTier,{tier_names},0)+1),"")',
        "Gap": f"=GAP_TO_NEXT({partner_args})",
        "Progress": f"=TIER_PROGRESS({partner_args})",
        "YtdRevenue": f'=IF(COUNTA(${col}${q_first}:${col}${q_last})=0,"",${col}${q_first}+'
        + "+".join(f"IF(Quarter>={q},${col}${q_first + q - 1},0)" for q in (2, 3, 4))
        + ")",
        "ProjectedTier": "=PROJECTED_TIER(YtdRevenue,Quarter,Program,CertifiedSales,"
        "CertifiedEngineers)",
        "DemotionRisk": styles.at_risk_formula(risk_value, language),
        "RequiredPerQuarter": "=REQUIRED_PER_QUARTER(YtdRevenue,Quarter,Program)",
        "Change": '=TIER_CHANGE(Revenue,"",Program)',
    }
    for offset, (key, name, kind) in enumerate(layout.QBR_RESULTS):
        row = first + offset
        _label_cell(ws, row, labels[1], t(key))
        cell = ws.cell(row, layout.QBR_RESULT_COLUMN)
        cell.value = results[name]
        cell.border = styles.BOX
        cell.font = styles.BOLD
        cell.number_format = styles.number_format(kind, chosen.currency) or "General"
        names[name] = f"{sheet_prefix(ws.title)}{layout.qbr_cell(name)}"
    progress = layout.qbr_cell("Progress").replace("$", "")
    ws.conditional_formatting.add(
        progress,
        styles.progress_bar(),
    )
    risk = layout.qbr_cell("DemotionRisk").replace("$", "")
    ws.conditional_formatting.add(
        risk,
        styles.risk_highlight(language),
    )

    row = layout.QBR_EXPLANATION_ROW
    _label_cell(ws, row, 1, t("explanation"))
    ws.cell(row, 1).alignment = styles.WRAP
    ws.cell(row, 2).value = f'=TIER_EXPLAIN({partner_args},"{language}")'
    ws.cell(row, 2).alignment = styles.WRAP
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
    ws.row_dimensions[row].height = 32

    styles.header(ws, quarters_row, (t(k) for k in ("quarter", "quarter_revenue", "run_rate")))
    # A quarter's share of the next tier's threshold (the current one's at the top).
    target = f'=IFERROR(VLOOKUP(IF(NextTier="",CurrentTier,NextTier),{lists_table},2,FALSE)/4,"")'
    for q, revenue in enumerate(partner.revenue_quarters, 1):
        row = quarters_row + q
        styles.put(ws.cell(row, 1), f"Q{q}").border = styles.BOX
        revenue_cell = styles.as_input(styles.put(ws.cell(row, layout.QBR_INPUT_COLUMN), revenue))
        revenue_cell.number_format = money
        styles.validate(ws, "money", revenue_cell.coordinate, language)
        pace_cell = ws.cell(row, pace_col)
        pace_cell.value, pace_cell.number_format, pace_cell.border = target, money, styles.BOX
    chart = BarChart()  # titled by the cell above it: a chart title would squeeze the plot
    styles.put(ws.cell(quarters_row - 1, 4), t("chart_quarters")).font = styles.SUBTITLE_FONT
    bars = Reference(ws, min_col=layout.QBR_INPUT_COLUMN, min_row=quarters_row, max_row=q_last)
    chart.add_data(bars, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=q_first, max_row=q_last))
    pace = LineChart()
    pace.add_data(Reference(ws, min_col=pace_col, min_row=quarters_row, max_row=q_last),
                  titles_from_data=True)  # fmt: skip
    chart.y_axis.number_format = "#,##0"
    chart += pace
    chart.y_axis.scaling.min = 0
    chart.legend.position = "b"
    chart.width, chart.height = 10.5, 5.5
    ws.add_chart(chart, f"D{quarters_row}")

    certs = layout.QBR_CERTS_ROW
    styles.header(ws, certs, (t(k) for k in ("certifications", "have", "tier_needs", "next_needs")))
    for row, (key, have, column) in enumerate(
        (
            ("certified_sales", "CertifiedSales", 4),
            ("certified_engineers", "CertifiedEngineers", 5),
        ),
        certs + 1,
    ):
        _label_cell(ws, row, 1, t(key))
        ws.cell(row, 2).value = f'=IF({have}="","",{have})'
        for col, tier in ((3, "CurrentTier"), (4, "NextTier")):
            ws.cell(
                row, col
            ).value = f'=IF({tier}="","",IFERROR(VLOOKUP({tier},{lists_table},{column},FALSE),""))'
        for col in (2, 3, 4):
            ws.cell(row, col).border = styles.BOX
            ws.cell(row, col).number_format = styles.COUNT_FORMAT

    top = layout.QBR_COMMITMENTS_ROW
    styles.put(ws.cell(top - 1, 1), t("commitments")).font = styles.SUBTITLE_FONT
    styles.header(ws, top, (t(k) for k in ("action", "owner", "due", "status")), first_col=2)
    styles.header(ws, top, [t("number")])
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
            styles.validate(ws, kind, cell.coordinate, language, max_length=1000)

    notes_row = layout.QBR_NOTES_ROW
    styles.put(ws.cell(notes_row - 1, 1), t("notes")).font = styles.SUBTITLE_FONT
    cell = styles.as_input(styles.put(ws.cell(notes_row, 1), notes))
    cell.alignment = styles.WRAP
    styles.validate(ws, "text", cell.coordinate, language, max_length=5000)
    ws.merge_cells(
        start_row=notes_row, start_column=1,
        end_row=notes_row + layout.QBR_NOTES_HEIGHT - 1, end_column=5,
    )  # fmt: skip

    for letter, width in zip("ABCDE", (30, 34, 22, 30, 22), strict=True):
        ws.column_dimensions[letter].width = width
    for name, ref in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    styles.protect(ws)
    styles.print_setup(ws, None, one_page=True)
    ws.print_area = f"A1:E{notes_row + layout.QBR_NOTES_HEIGHT - 1}"
    wb.properties.title = t("qbr_title")
    wb.properties.creator = "partner-tiers"
    return wb


def absolute(coordinate: str) -> str:
    """``C1`` as ``$C$1``."""
    letters = coordinate.rstrip("0123456789")
    return f"${letters}${coordinate[len(letters) :]}"


def _label_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = styles.put(ws.cell(row, col), text)
    cell.fill, cell.border, cell.font = styles.LABEL_FILL, styles.BOX, styles.BOLD
