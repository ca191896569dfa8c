"""Every text partner-tiers shows a user, in English and Polish: one place, one LANGUAGES.

:data:`LABELS` are the workbooks' texts by key (sheet names, headers, lists, notes);
:data:`SENTENCES` the explanation sentences and TIER_TABLE's header.

>>> label("review", "pl"), sentences_for("en").top.format(tier="Gold")
('Przegląd', 'Gold. This is the top tier.')
"""

from __future__ import annotations

from dataclasses import dataclass

from partner_tiers.errors import PartnerTiersError
from partner_tiers.wording import shown

LANGUAGES = ("en", "pl")


class UnknownLanguage(PartnerTiersError, ValueError):
    """A language partner-tiers does not speak."""

    def __init__(self, language: str) -> None:
        super().__init__(f"unknown language {shown(language)}; known: {', '.join(LANGUAGES)}")


# Every text the workbooks show, by key, in English and Polish.
LABELS: dict[str, tuple[str, str]] = {
    # sheet names
    "start": ("Start", "Start"),
    "partners": ("Partners", "Partnerzy"),
    "review": ("Review", "Przegląd"),
    "program": ("Program", "Program"),
    "dashboard": ("Dashboard", "Podsumowanie"),
    "actions": ("Actions", "Działania"),
    "scorecard": ("Scorecard", "Karta partnera"),
    "lists": ("Lists", "Listy"),
    # titles and help
    "review_title": ("Quarterly partner review", "Kwartalny przegląd partnerów"),
    "review_intro": (
        "All partners of one vendor program for one quarter: the tier each is in, the tier "
        "each will reach at this pace, and what the next tier still needs. The tiers come from "
        "the program's definition file through the partner-tiers add-in.",
        "Wszyscy partnerzy jednego programu producenta w jednym kwartale: obecny poziom, poziom "
        "osiągany w tym tempie i czego brakuje do następnego. Poziomy pochodzą z pliku definicji "
        "programu przez dodatek partner-tiers.",
    ),
    "how_to": ("How to fill it in", "Jak wypełnić"),
    "step_1": (
        "1. Choose the program, fiscal year and quarter below (yellow cells are inputs).",
        "1. Wybierz poniżej program, rok obrachunkowy i kwartał (żółte komórki to dane).",
    ),
    "step_1_values": (
        "1. This copy holds values only: every figure as partner-tiers computed it.",
        "1. Ta kopia zawiera tylko wartości: każdą liczbę tak, jak policzył ją partner-tiers.",
    ),
    "step_2": (
        "2. On the Partners sheet, type one partner per row: prior-year revenue, this year's "
        "revenue by quarter, certifications.",
        "2. W arkuszu Partnerzy wpisz jednego partnera w wierszu: obrót z poprzedniego roku, "
        "obroty kwartalne w tym roku, certyfikaty.",
    ),
    "step_3": (
        "3. Review and Dashboard compute themselves. Write commitments on the Actions sheet.",
        "3. Przegląd i Podsumowanie liczą się same. Zobowiązania wpisz w arkuszu Działania.",
    ),
    "step_4": (
        "Sheets are protected without a password against accidental overwrites: "
        "Review > Unprotect Sheet lifts it.",
        "Arkusze są chronione bez hasła przed przypadkowym nadpisaniem: "
        "Recenzja > Nie chroń arkusza zdejmuje ochronę.",
    ),
    "settings": ("Settings", "Ustawienia"),
    "setting_program": ("Program", "Program"),
    "setting_fiscal_year": ("Fiscal year", "Rok obrachunkowy"),
    "setting_quarter": ("Quarter (1-4)", "Kwartał (1-4)"),
    "setting_currency": ("Revenue currency", "Waluta obrotów"),
    "setting_exchange_rate": ("Exchange rate (as NBP writes it)", "Kurs (jak w tabeli NBP)"),
    "setting_reviewer": ("Reviewer", "Prowadzący przegląd"),
    "setting_audit_day": ("Audit day", "Dzień audytu"),
    "setting_as_of": ("Certifications counted on", "Certyfikaty liczone na dzień"),
    "setting_sales_period": ("Sales export covers", "Okres eksportu sprzedaży"),
    "setting_program_name": ("Program name", "Nazwa programu"),
    "setting_program_currency": ("Program currency", "Waluta programu"),
    "setting_previous_program": ("Previous edition", "Poprzednia edycja"),
    "help_program": (
        "Program id from the list (Program sheet shows its tiers).",
        "Identyfikator programu z listy (arkusz Program pokazuje poziomy).",
    ),
    "help_fiscal_year": (
        "The fiscal year the quarter belongs to.",
        "Rok obrachunkowy, do którego należy kwartał.",
    ),
    "help_quarter": (
        "Quarters of this fiscal year with revenue so far.",
        "Kwartały tego roku obrachunkowego, za które są już obroty.",
    ),
    "help_currency": (
        "Currency of the revenue typed on the Partners sheet (ISO code).",
        "Waluta obrotów w arkuszu Partnerzy (kod ISO).",
    ),
    "help_exchange_rate": (
        "Revenue currency for 1 unit of the program's: 4.2693 for PLN revenue in a EUR "
        "program; 1 when they are the same.",
        "Waluta obrotów za 1 jednostkę waluty programu: 4,2693 dla obrotów w PLN i programu "
        "w EUR; 1, gdy to ta sama waluta.",
    ),
    "help_reviewer": ("Who runs the review.", "Kto prowadzi przegląd."),
    "help_audit_day": (
        "The day the vendor sets the tier and counts the certifications valid then: the "
        "fiscal year's last day unless the program sets another.",
        "Dzień, w którym producent ustala poziom i liczy ważne wtedy certyfikaty: ostatni "
        "dzień roku obrachunkowego, chyba że program podaje inny.",
    ),
    "help_as_of": (
        "The day the current tier's certifications are counted on: the quarter's last day.",
        "Dzień, na który liczone są certyfikaty obecnego poziomu: ostatni dzień kwartału.",
    ),
    "help_derived": ("From the program's definition file.", "Z pliku definicji programu."),
    "help_sales_period": (
        "Filled in by partner-tiers review: the quarters the sales export replaced.",
        "Wypełnia partner-tiers review: kwartały zastąpione danymi z eksportu sprzedaży.",
    ),
    # partners
    "partners_title": ("Partners and their revenue", "Partnerzy i ich obroty"),
    "partners_intro": (
        "One partner per row. Revenue in the revenue currency of the Start sheet. "
        "In sales export: No marks a partner kept from the previous review (shown grey).",
        "Jeden partner w wierszu. Obroty w walucie obrotów z arkusza Start. "
        "W eksporcie sprzedaży: Nie oznacza partnera z poprzedniego przeglądu (na szaro).",
    ),
    "name": ("Partner", "Partner"),
    "tax_id": ("Tax id (NIP)", "NIP"),
    "account_manager": ("Account manager", "Opiekun"),
    "revenue_prior_year": ("Prior-year revenue", "Obrót w poprzednim roku"),
    "revenue_q1": ("Revenue Q1", "Obrót Q1"),
    "revenue_q2": ("Revenue Q2", "Obrót Q2"),
    "revenue_q3": ("Revenue Q3", "Obrót Q3"),
    "revenue_q4": ("Revenue Q4", "Obrót Q4"),
    "certified_sales": ("Certified sales", "Certyfikowani handlowcy"),
    "certified_engineers": ("Certified engineers", "Certyfikowani inżynierowie"),
    "msp": ("MSP", "MSP"),
    "notes": ("Notes", "Notatki"),
    "in_export": ("In sales export", "W eksporcie sprzedaży"),
    # review
    "review_sheet_title": ("Tiers, projections and gaps", "Poziomy, prognozy i braki"),
    "review_sheet_intro": (
        "Computed from the Partners sheet and the settings; nothing to type here.",
        "Wyliczane z arkusza Partnerzy i ustawień; tu nic nie wpisujemy.",
    ),
    "partner": ("Partner", "Partner"),
    "revenue": ("Prior-year revenue (program currency)", "Obrót w poprz. roku (waluta programu)"),
    "current_tier": ("Current tier", "Obecny poziom"),
    "next_tier": ("Next tier", "Następny poziom"),
    "gap": ("Gap to next tier", "Brakuje do następnego"),
    "points": ("Points", "Punkty"),
    "on_the_audit_day": ("on the audit day", "na dzień audytu"),
    "progress": ("Progress", "Postęp"),
    "ytd": ("Revenue this year so far", "Obrót w tym roku"),
    "projected_tier": ("Projected tier", "Prognozowany poziom"),
    "demotion_risk": ("Demotion risk", "Ryzyko spadku"),
    "at_risk": ("▼ at risk", "▼ zagrożony"),
    "keep_per_quarter": (
        "Needed a quarter to keep the current tier",
        "Potrzeba na kwartał, by utrzymać obecny poziom",
    ),
    "reach_per_quarter": (
        "Needed a quarter to reach the next tier",
        "Potrzeba na kwartał, by osiągnąć następny poziom",
    ),
    "change": ("Change vs previous edition", "Zmiana wobec poprzedniej edycji"),
    "lapsing": ("Certifications lapsing before the audit", "Certyfikaty wygasające przed audytem"),
    "tier_if_renewed": ("Projected tier if renewed", "Prognoza po odnowieniu"),
    "tier_if_renewed_none": (
        "Projected tier if renewed: none, no certifications needed",
        "Prognoza po odnowieniu: brak, bez wymogu certyfikatów",
    ),
    "lapsing_count": ("Lapsing (helper)", "Wygasające (pomocnicza)"),
    "sales_now": ("Sales now (helper)", "Handlowcy teraz (pomocnicza)"),
    "engineers_now": ("Engineers now (helper)", "Inżynierowie teraz (pomocnicza)"),
    "sales_audit": ("Sales at audit (helper)", "Handlowcy na audyt (pomocnicza)"),
    "engineers_audit": ("Engineers at audit (helper)", "Inżynierowie na audyt (pomocnicza)"),
    "projected_now": ("Projected now (helper)", "Prognoza teraz (pomocnicza)"),
    "order_key": ("Order (helper)", "Kolejność (pomocnicza)"),
    "risk_value": ("Risk (helper)", "Ryzyko (pomocnicza)"),
    # program
    "program_title": ("Tiers of the program", "Poziomy programu"),
    "selected_program": ("Selected program", "Wybrany program"),
    "previous_program": ("Edition it replaces", "Edycja, którą zastępuje"),
    "available_programs": ("Available programs", "Dostępne programy"),
    # dashboard
    "dashboard_title": ("Portfolio at a glance", "Portfel w skrócie"),
    "tier": ("Tier", "Poziom"),
    "partners_now": ("Partners now", "Partnerzy teraz"),
    "partners_projected": ("Partners projected", "Partnerzy w prognozie"),
    "chart_tiers": (
        "Partners per tier: now and projected",
        "Partnerzy wg poziomu: teraz i prognoza",
    ),
    "closest_title": ("Closest to their next tier", "Najbliżej następnego poziomu"),
    # the Dashboard's year when the settings have none (a blank template)
    "fiscal_year_unset": ("fiscal year not set", "rok obrachunkowy nieustawiony"),
    "chart_closest": ("Gap to the next tier", "Brakuje do następnego poziomu"),
    # actions
    "actions_title": ("Commitments", "Zobowiązania"),
    "actions_intro": (
        "What was agreed in the meetings: one action per row.",
        "Co ustalono na spotkaniach: jedno działanie w wierszu.",
    ),
    "certifications_title": ("Certified people", "Certyfikowane osoby"),
    "certifications_intro": (
        "One certified person per row; a certification counts up to and including its "
        "valid-until day. A partner with rows here is counted from them, not from Partners.",
        "Jedna certyfikowana osoba w wierszu; certyfikat liczy się do dnia ważności włącznie. "
        "Partner z wierszami tutaj jest liczony z nich, nie z arkusza Partnerzy.",
    ),
    "person": ("Person", "Osoba"),
    "role": ("Role", "Rola"),
    "certification": ("Certification", "Certyfikat"),
    "valid_until": ("Valid until", "Ważny do"),
    "role_sales": ("Sales", "Handlowiec"),
    "role_engineer": ("Engineer", "Inżynier"),
    "action": ("Action", "Działanie"),
    "owner": ("Owner", "Odpowiedzialny"),
    "due": ("Due", "Termin"),
    "status": ("Status", "Status"),
    # lists
    "yes": ("Yes", "Tak"),
    "no": ("No", "Nie"),
    "status_open": ("Open", "Otwarte"),
    "status_progress": ("In progress", "W toku"),
    "status_done": ("Done", "Zrobione"),
    "status_dropped": ("Dropped", "Porzucone"),
    # validation messages
    "bad_number": ("Type a number of 0 or more.", "Wpisz liczbę 0 lub większą."),
    "bad_count": ("Type a whole number of 0 or more.", "Wpisz liczbę całkowitą 0 lub większą."),
    "bad_quarter": ("Type 1, 2, 3 or 4.", "Wpisz 1, 2, 3 lub 4."),
    "bad_year": ("Type a year such as 2026.", "Wpisz rok, np. 2026."),
    "bad_rate": ("Type a rate above 0.", "Wpisz kurs większy od 0."),
    "bad_currency": ("Type a three-letter ISO code.", "Wpisz trzyliterowy kod ISO."),
    "bad_date": ("Type a date.", "Wpisz datę."),
    "bad_choice": ("Choose from the list.", "Wybierz z listy."),
    "too_long": ("The text is too long.", "Tekst jest za długi."),
    # QBR
    "qbr_title": ("Partner QBR scorecard", "Karta kwartalnego przeglądu partnera"),
    "qbr_intro": (
        "One partner, one quarter. Yellow cells are inputs; the tier block computes in the "
        "program currency.",
        "Jeden partner, jeden kwartał. Żółte komórki to dane; poziomy liczone w walucie programu.",
    ),
    "qbr_intro_values": (
        "One partner, one quarter: the figures as the review computed them; the tier block in "
        "the program currency.",
        "Jeden partner, jeden kwartał: liczby tak, jak policzył je przegląd; poziomy w walucie "
        "programu.",
    ),
    "qbr_partner": ("Partner", "Partner"),
    "qbr_tier": ("Tier", "Poziom"),
    "explanation": ("In one sentence", "W jednym zdaniu"),
    "quarter": ("Quarter", "Kwartał"),
    "quarter_revenue": ("Revenue", "Obrót"),
    # {tier} is filled in by the scorecard's formulas with the tier the figure aims at.
    "keep_tier": ("Needed a quarter to keep {tier}", "Potrzeba na kwartał, by utrzymać {tier}"),
    "reach_tier": (
        "Needed a quarter to reach {tier}",
        "Potrzeba na kwartał, by osiągnąć {tier}",
    ),
    "run_rate_keep": ("Run-rate to keep {tier}", "Tempo, by utrzymać {tier}"),
    "the_current_tier": ("the current tier", "obecny poziom"),
    "the_next_tier": ("the next tier", "następny poziom"),
    "run_rate_reach": ("Run-rate to reach {tier}", "Tempo, by osiągnąć {tier}"),
    "chart_quarters": (
        "Revenue by quarter vs run-rate needed",
        "Obrót kwartalny a potrzebne tempo",
    ),
    "certifications": ("Certifications", "Certyfikaty"),
    "have": ("Have", "Jest"),
    "tier_needs": ("Current tier needs", "Obecny poziom wymaga"),
    "next_needs": ("Next tier needs", "Następny poziom wymaga"),
    "commitments": ("Commitments", "Zobowiązania"),
    "number": ("#", "#"),
    "certified_sales_audit": ("Certified sales at the audit", "Certyfikowani handlowcy na audyt"),
    "certified_engineers_audit": (
        "Certified engineers at the audit",
        "Certyfikowani inżynierowie na audyt",
    ),
    "lapsing_title": (
        "Certifications that lapse before the audit",
        "Certyfikaty wygasające przed audytem",
    ),
    "lapsing_none": ("None lapse before the audit.", "Żaden nie wygasa przed audytem."),
}


# The texts a values-only copy says otherwise: it has no inputs to fill in.
VALUES_COPY = {"step_1": "step_1_values", "qbr_intro": "qbr_intro_values"}


def label(key: str, language: str) -> str:
    """The text of ``key`` in ``language`` ("en" or "pl")."""
    return LABELS[key][LANGUAGES.index(language)]


@dataclass(frozen=True)
class Sentences:
    """The sentences of TIER_EXPLAIN and the header of TIER_TABLE in one language."""

    top: str
    needs: str  # {tier}, {next_tier}, {items}
    revenue: str  # {amount}
    sales: tuple[str, str]  # one person, several people; {count}
    engineers: tuple[str, str]
    conjunction: str
    table_header: tuple[str, ...]  # the columns of TIER_TABLE
    # A partner whose year, at its pace so far, ends below its tier: what keeping it takes,
    # per remaining quarter ({amount}, {quarters}), in the last one, or what the year missed.
    at_risk: str
    at_risk_last: str
    at_risk_over: str
    # The same for a program of another shape, where no amount alone keeps a tier.
    at_risk_heading: str  # {tier} {projected}
    # What a program that is no revenue ladder still lacks, criterion by criterion.
    amount_more: str  # {amount} {what}
    count_more: str  # {count} {what}
    growth_more: str  # {points} (percentage points) {what}
    points_more: str  # {points}
    item: str  # {what}: a yes/no item, e.g. a business plan
    on_path: str  # {next_tier} {path}
    unpublished: str  # {tier} {what}
    # A demotion as the program's lifecycle makes it, after the at-risk sentence.
    demoted: dict[str, str]  # at_once, at_audit, after_grace ({months})
    # A requirement in words, for TIER_TABLE: its column, and the joining words.
    requires: str
    either: str  # "or"
    at_least: str  # {count} {items}
    score: str  # {total} {items}
    points_at: str  # {what} {points} {full}
    not_published: str  # {what}


# After "brakuje" Polish takes the genitive: singular for 1, plural for every other count.
SENTENCES = {
    "en": Sentences(
        top="{tier}. This is the top tier.",
        needs="{tier}. {next_tier} needs {items}.",
        revenue="{amount} more revenue",
        sales=("{count} more certified sales person", "{count} more certified sales people"),
        engineers=("{count} more certified engineer", "{count} more certified engineers"),
        conjunction="and",
        table_header=(
            "Tier",
            "Min revenue",
            "Currency",
            "Certified sales",
            "Certified engineers",
            "Discount",
            "Benefits",
        ),
        at_risk="{tier}, at risk: at this pace the year ends below {tier}. Keeping {tier} "
        "takes {amount} a quarter in the {quarters} remaining quarters.",
        at_risk_last="{tier}, at risk: at this pace the year ends below {tier}. Keeping "
        "{tier} takes {amount} in the last quarter.",
        at_risk_over="{tier}, at risk: this fiscal year ended {amount} short of keeping {tier}.",
        at_risk_heading="{tier}, at risk: at this pace the year ends at {projected}.",
        amount_more="{amount} more {what}",
        count_more="{count} more {what}",
        growth_more="{points} percentage points more {what}",
        points_more="{points} more points",
        item="{what}",
        on_path="{next_tier} ({path})",
        unpublished="{tier}'s threshold of {what} is not published",
        demoted={
            "at_once": "The tier goes as soon as its requirement is missed.",
            "at_audit": "The tier holds until the audit.",
            "after_grace": "After the audit, {months} months' grace.",
        },
        requires="Requires",
        either="or",
        at_least="at least {count} of: {items}",
        score="{total} points of: {items}",
        points_at="{what} ({points} points at {full})",
        not_published="{what} (threshold not published)",
    ),
    "pl": Sentences(
        top="{tier}. To najwyższy poziom.",
        needs="{tier}. Do poziomu {next_tier} brakuje {items}.",
        revenue="{amount} obrotu",
        sales=("{count} certyfikowanego handlowca", "{count} certyfikowanych handlowców"),
        engineers=("{count} certyfikowanego inżyniera", "{count} certyfikowanych inżynierów"),
        conjunction="i",
        table_header=(
            "Poziom",
            "Minimalny obrót",
            "Waluta",
            "Certyfikowani handlowcy",
            "Certyfikowani inżynierowie",
            "Rabat",
            "Korzyści",
        ),
        at_risk="{tier}, zagrożony: w tym tempie rok skończy się poniżej poziomu {tier}. "
        "Utrzymanie poziomu {tier} wymaga {amount} obrotu na kwartał w pozostałych "
        "{quarters} kwartałach.",
        at_risk_last="{tier}, zagrożony: w tym tempie rok skończy się poniżej poziomu {tier}. "
        "Utrzymanie poziomu {tier} wymaga {amount} obrotu w ostatnim kwartale.",
        at_risk_over="{tier}, zagrożony: w tym roku obrachunkowym do utrzymania poziomu {tier} "
        "zabrakło {amount} obrotu.",
        at_risk_heading="{tier}, zagrożony: w tym tempie rok skończy się na poziomie {projected}.",
        amount_more="{amount} {what}",
        count_more="{count} {what}",
        growth_more="{points} pkt proc. {what}",
        points_more="{points} pkt",
        item="{what}",
        on_path="{next_tier} ({path})",
        unpublished="próg {what} poziomu {tier} nie jest publikowany",
        demoted={
            "at_once": "Poziom przepada, gdy tylko wymóg nie jest spełniony.",
            "at_audit": "Poziom obowiązuje do audytu.",
            "after_grace": "Po audycie okres przejściowy, miesiące: {months}.",
        },
        requires="Wymaga",
        either="lub",
        at_least="co najmniej {count} z: {items}",
        score="{total} pkt z: {items}",
        points_at="{what} ({points} pkt przy {full})",
        not_published="{what} (próg niepublikowany)",
    ),
}


def sentences_for(language: str) -> Sentences:
    """The sentences of a language; :class:`UnknownLanguage` for any other."""
    try:
        return SENTENCES[language]
    except KeyError:
        raise UnknownLanguage(language) from None


# What the command line tells on the terminal (notes, warnings, the summary), by key, in
# English and Polish. A Polish count stands after a colon ("wiersze: 3"), so that no noun
# needs Polish's three plural forms.
NOTES: dict[str, tuple[str, str]] = {
    # the terminal's own words
    "note": ("note", "uwaga"),
    "warning": ("warning", "ostrzeżenie"),
    "covers": ("{file} covers {period} ({how}).", "{file} obejmuje {period} ({how})."),
    "amounts": ("Amounts: {line}.", "Kwoty: {line}."),
    "wrote_review": (
        "Wrote {out} ({partners}{kept}{actions}).",
        "Zapisano {out} (partnerzy: {n}{kept}{actions}).",
    ),
    "wrote_kept": (", {n:,} kept from the previous review", ", z poprzedniego przeglądu: {n}"),
    "wrote_actions": (", {actions} carried over", ", przeniesione działania: {n}"),
    "demo_exports": (
        "The exports behind it: `partner-tiers samples` writes them, to try `review` on.",
        "Eksporty, z których powstał: `partner-tiers samples` je zapisuje, by wypróbować `review`.",
    ),
    # the period an export covers
    "period_to": ("{first} to {last}", "{first} do {last}"),
    "no_period": ("no period", "brak okresu"),
    "by_columns": ("by its revenue columns", "według kolumn obrotu"),
    "by_dates": ("by its invoice dates, {first} to {last}", "według dat faktur, {first} do {last}"),
    "by_quarters": ("by its quarters", "według kwartałów"),
    "by_period": ("as --period {period} says", "jak podaje --period {period}"),
    # how amounts were read
    "amounts_counted": ("counted {column!r}, in {currency}", "liczy się {column!r}, w {currency}"),
    "amounts_own_currency": (
        "counted {column!r}, each sale in its own currency, not {base!r}, the same in {currency}",
        "liczy się {column!r}, każda sprzedaż w swojej walucie, nie {base!r}, to samo w {currency}",
    ),
    "amounts_converted": (
        "converted the {source} amounts to {target} with {how}",
        "przeliczono kwoty w {source} na {target}: {how}",
    ),
    # the summary
    "summary_title": ("{id} ({name}), after Q{quarter}", "{id} ({name}), po Q{quarter}"),
    "summary_header": ("Tier|now|projected", "Poziom|teraz|prognoza"),
    "summary_unknown": (
        "({partners} without prior-year revenue have no tier)",
        "(bez obrotu z poprzedniego roku, więc bez poziomu: {n})",
    ),
    "summary_unknown_metrics": (
        "({partners} without a value the tiers read ({metrics}) have no tier)",
        "(bez wartości, którą czytają poziomy ({metrics}), więc bez poziomu: {n})",
    ),
    "summary_moved": (
        "Against {previous}'s rules: {up} a tier higher, {down:,} a tier lower",
        "Według zasad {previous}: o poziom wyżej: {n}, o poziom niżej: {down}",
    ),
    "summary_closest": (
        "Closest to their next tier (gap in {currency}):",
        "Najbliżej następnego poziomu (brakuje, {currency}):",
    ),
    "summary_at_risk": ("At risk of demotion ({n}):", "Zagrożeni spadkiem ({n}):"),
    "summary_heading_for": (
        "{name} (heading for {tier}): {sentence}",
        "{name} (prognoza: {tier}): {sentence}",
    ),
    "summary_none": ("none", "brak"),
    "summary_lapsing": (
        "Certifications that lapse before the audit on {day} ({n}):",
        "Certyfikaty wygasające przed audytem {day} ({n}):",
    ),
    "summary_lapse": (
        "{person}, {certification}, until {day}",
        "{person}, {certification}, do {day}",
    ),
    "summary_renewed": (" (renewed, it is projected {tier})", " (po odnowieniu prognoza: {tier})"),
    # reading an export
    "totals_skipped": (
        "skipped {rows}, never summed into a partner: {totals}",
        "pominięto wiersze sum i podsumowań ({n}), nigdy niedoliczone do partnera: {totals}",
    ),
    "columns_not_used": ("columns not used: {columns}", "nieużyte kolumny: {columns}"),
    "date_columns": (
        "the export has the date columns {names}; counted {chosen!r}, the sale date (choose "
        "another with --date-column)",
        "eksport ma kolumny dat {names}; liczy się {chosen!r}, data sprzedaży (inną wybierz przez "
        "--date-column)",
    ),
    "decimal_seen": (
        "amounts use {separator!r} as the decimal separator ({values}); {others} that read "
        "otherwise are reported row by row (override with --decimal)",
        "kwoty mają {separator!r} jako separator dziesiętny (wartości: {n}); zapisane inaczej "
        "({m}) są zgłoszone wiersz po wierszu (zmień przez --decimal)",
    ),
    "decimal_guessed": (
        "no amount shows its decimal separator; took {guess!r} because fields are separated by "
        "{delimiter!r} (override with --decimal)",
        "żadna kwota nie pokazuje separatora dziesiętnego; przyjęto {guess!r}, bo pola rozdziela "
        "{delimiter!r} (zmień przez --decimal)",
    ),
    "tax_id_kept": (
        "warning: {file}, line {line}: the tax id {tax_id} {why}; kept as typed",
        "ostrzeżenie: {file}, wiersz {line}: NIP {tax_id} nie przechodzi kontroli ({why}); "
        "zostawiony jak wpisano",
    ),
    "control_removed": (
        "{file}, line {line}: removed control characters (or others a workbook cannot hold) "
        "from {text}",
        "{file}, wiersz {line}: usunięto znaki sterujące (lub inne, których skoroszyt nie "
        "pomieści) z {text}",
    ),
    "no_currency": (
        "the export names no currency; its amounts are taken to be {currency}, the program's "
        "(otherwise give --currency and --fx or --rates)",
        "eksport nie podaje waluty; kwoty przyjęto w {currency}, walucie programu (inaczej podaj "
        "--currency oraz --fx lub --rates)",
    ),
    "tax_id_of_other": (
        "{file}, line {line}: {name!r} has the tax id of {other!r} (line {first}); counted as "
        "{other!r}",
        "{file}, wiersz {line}: {name!r} ma NIP partnera {other!r} (wiersz {first}); doliczony "
        "do {other!r}",
    ),
    "differs_kept_first": (
        "{file}, line {line}: {what} {value} of {partner} differs from {current} on line "
        "{first}; kept the first",
        "{file}, wiersz {line}: {what_pl} {value} partnera {partner} różni się od "
        "{current} z wiersza {first}; zostawiono pierwsze",
    ),
    "no_year_rows": (
        "{file}: {rows} with a quarter but no year taken as FY{year} (lines {lines})",
        "{file}: wiersze z kwartałem bez roku ({n}) przyjęto jako FY{year} (wiersze {lines})",
    ),
    "outside_period_rows": (
        "{rows} outside the period of --period {period} not counted (lines {lines})",
        "wiersze spoza okresu --period {period} ({n}) nie są liczone (wiersze {lines})",
    ),
    "outside_years": (
        "{rows} {verb} outside FY{prior} and FY{year} and not counted (lines {lines})",
        "wiersze spoza FY{prior} i FY{year} ({n}) nie są liczone (wiersze {lines})",
    ),
    "took_carried_year": (
        "{file} does not name its fiscal year; took FY{year}, the carried-over review's (give "
        "--fiscal-year for another)",
        "{file} nie podaje roku obrachunkowego; przyjęto FY{year}, rok przeniesionego przeglądu "
        "(inny podaj przez --fiscal-year)",
    ),
    "no_prior_sales": (
        "the export has no sales in FY{prior}, so prior-year revenue is left empty (a "
        "--carry-over review fills it in)",
        "eksport nie ma sprzedaży w FY{prior}, więc obrót z poprzedniego roku zostaje pusty "
        "(uzupełni go przegląd z --carry-over)",
    ),
    "part_of_prior": (
        "the export covers only part of FY{prior}; the prior-year revenue it gives is that "
        "part's, and a --carry-over review of FY{year} keeps its own",
        "eksport obejmuje tylko część FY{prior}; jego obrót z poprzedniego roku dotyczy tej "
        "części, a przegląd FY{year} z --carry-over zachowuje swój",
    ),
    "also_on_line": (
        "{file}, line {line}: {name!r} is also on line {first}; their revenue is summed",
        "{file}, wiersz {line}: {name!r} jest też w wierszu {first}; obroty zsumowano",
    ),
    "outside_period_revenue": (
        "revenue outside the period of --period {period} not counted (lines {lines})",
        "obrót spoza okresu --period {period} nie jest liczony (wiersze {lines})",
    ),
    "utf8_but": (
        "warning: {file} is UTF-8 but for {lines} ({numbers}), read as Windows-1250; check the "
        "names on them",
        "ostrzeżenie: {file} jest w UTF-8 poza wierszami ({n}: {numbers}), odczytanymi jako "
        "Windows-1250; sprawdź nazwy w nich",
    ),
    "not_utf8": (
        "{file} is not UTF-8; read it as Windows-1250 (override with --encoding)",
        "{file} nie jest w UTF-8; odczytano jako Windows-1250 (zmień przez --encoding)",
    ),
    "read_sheet": ("read the sheet {sheet!r} of {file}", "odczytano arkusz {sheet!r} z {file}"),
    # carrying a review over
    "kept_typed": (
        "{name}: kept {what} {typed} from the previous review; the export says {exported}",
        "{name}: zostawiono {what_pl} {typed} z poprzedniego przeglądu; eksport podaje {exported}",
    ),
    "kept_hand_typed": (
        "{name}: kept {what} {kept} typed by hand in the previous review; the export has {has}",
        "{name}: zostawiono {what_pl} {kept} wpisane ręcznie w poprzednim przeglądzie; "
        "eksport ma {has}",
    ),
    "other_year_revenue": (
        "{name}: not in the export; its revenue of another fiscal year was not carried over",
        "{name}: brak w eksporcie; jego obrotu z innego roku obrachunkowego nie przeniesiono",
    ),
    "now_zero": (
        "{name}: not in the export, which covers {what}; its {value} there is now 0",
        "{name}: brak w eksporcie, który obejmuje {what_pl}; jego {value} jest teraz 0",
    ),
    "merged_twice": (
        "{name}: on two Partners rows of the previous review; merged into one",
        "{name}: w dwóch wierszach arkusza Partnerzy poprzedniego przeglądu; scalono w jeden",
    ),
    "certifications_already": (
        "{certifications} of the certification export already in the previous review, kept once",
        "certyfikaty z eksportu obecne już w poprzednim przeglądzie ({n}), zachowane raz",
    ),
    "certifications_repeated": (
        "{certifications} of the certification export on two rows or more, kept once",
        "certyfikaty z eksportu w dwóch wierszach lub więcej ({n}), zachowane raz",
    ),
    "renamed": (
        "{old} is {new} in the export (the same tax id, {tax_id})",
        "{old} to w eksporcie {new} (ten sam NIP, {tax_id})",
    ),
    "renamed_moved": (
        "{old} is {new} in the export (the same tax id, {tax_id}); its {what} moved to the new "
        "name",
        "{old} to w eksporcie {new} (ten sam NIP, {tax_id}); przeniesiono pod nową nazwę: "
        "{what_pl}",
    ),
    "other_program": (
        "the previous review was for {old}; this one is for {new}",
        "poprzedni przegląd dotyczył {old}; ten dotyczy {new}",
    ),
    "other_year": (
        "{file} is the review of {was}, and this one is of FY{year} Q{quarter}: what was typed "
        "is carried over, its revenue is not; give --fiscal-year if the year is wrong",
        "{file} to przegląd {was}, a ten dotyczy FY{year} Q{quarter}: przeniesiono to, co "
        "wpisano, ale nie obroty; podaj --fiscal-year, jeśli rok jest zły",
    ),
    "left_export": (
        "{name}: not in the export, so its revenue of the period the export covers is 0 now, "
        "and it {change}",
        "{name}: brak w eksporcie, więc jego obrót z okresu eksportu wynosi teraz 0, a {change_pl}",
    ),
    "columns_not_carried": (
        "{file}: columns not carried over on {sheet}: {columns}",
        "{file}: nieprzeniesione kolumny arkusza {sheet}: {columns}",
    ),
    "commitments_left_out": (
        "{name}: the scorecard holds {room} commitments; {more} stay in the review only",
        "{name}: karta mieści {room} zobowiązań; pozostałe ({n}) są tylko w przeglądzie",
    ),
    "lapsing_left_out": (
        "{name}: the scorecard lists {room} of its {n} lapsing certifications, the soonest; "
        "the review has all",
        "{name}: karta wymienia {room} z {n} wygasających certyfikatów, najwcześniejsze; "
        "przegląd ma wszystkie",
    ),
    "wrote_scorecards": (
        "Wrote {scorecards}{what} into {out}.",
        "Zapisano karty partnerów ({n}){what_pl} w {out}.",
    ),
    "rendered": ("Rendered {pdfs} with LibreOffice.", "LibreOffice wykonał pliki PDF ({n})."),
    "problem": (
        "{file}, line {line}, column {column!r}: {value} {why}",
        "{file}, wiersz {line}, kolumna {column!r}: {value} {why_pl}",
    ),
    "problems": (
        "{values} in {file} {what}:",
        "wartości w {file}, które {what_pl} ({n}):",
    ),
    "problems_more": ("... and {n} more", "... i jeszcze {n}"),
    "nothing_written_rows": (
        "nothing was written; correct those rows in the export, or give --skip-bad to write the "
        "review without them",
        "nic nie zapisano; popraw te wiersze w eksporcie albo podaj --skip-bad, by zapisać "
        "przegląd bez nich",
    ),
    "nothing_written_credit_notes": (
        "nothing was written; correct the credit notes in the export, or give --skip-bad to "
        "leave those partners' export rows out",
        "nic nie zapisano; popraw korekty w eksporcie albo podaj --skip-bad, by pominąć wiersze "
        "eksportu tych partnerów",
    ),
    "unknown_year": (
        "{file} does not say which fiscal year it is of (its revenue columns or quarters name no "
        "year, and no review is carried over); give --fiscal-year and --quarter, e.g. "
        "--fiscal-year 2026 --quarter 2",
        "{file} nie mówi, którego roku obrachunkowego dotyczy (kolumny obrotu ani kwartały nie "
        "podają roku, a żaden przegląd nie jest przenoszony); podaj --fiscal-year i --quarter, "
        "np. --fiscal-year 2026 --quarter 2",
    ),
    "formula_as_text": (
        "{file}: {sheet}!{cell} held the formula {formula}; carried over as text",
        "{file}: {sheet}!{cell} zawierała formułę {formula}; przeniesiono jako tekst",
    ),
}


# Why a value of an export cannot be read, in Polish, by its English text; a reason that
# names a figure of its own stays as it is.
PROBLEMS_PL = {
    "is not an amount": "nie jest kwotą",
    "is not a date (write it as 2026-03-31 or 31.03.2026)": (
        "nie jest datą (zapisz ją jako 2026-03-31 lub 31.03.2026)"
    ),
    "is not a quarter (write 1-4, Q3 or 2026Q3)": "nie jest kwartałem (zapisz 1-4, Q3 lub 2026Q3)",
    "is not a whole number of 0 or more": "nie jest liczbą całkowitą 0 lub większą",
    "is not yes or no (Yes/No, Tak/Nie)": "nie jest odpowiedzią tak lub nie (Tak/Nie, Yes/No)",
    "is not a three-letter currency code": "nie jest trzyliterowym kodem waluty",
    "is larger than Excel can hold (9.99E+307)": "jest większa, niż pomieści Excel (9.99E+307)",
    "must be above 0": "musi być większy od 0",
    "is empty; every row needs a partner": "jest puste; każdy wiersz potrzebuje partnera",
    "is empty": "jest puste",
    "is empty; every sale needs a date": "jest puste; każda sprzedaż potrzebuje daty",
    "is not a partner of this review (by tax id or name)": (
        "nie jest partnerem tego przeglądu (po NIP-ie ani nazwie)"
    ),
    "is empty; every certification names its person and itself": (
        "jest puste; każdy certyfikat podaje osobę i swoją nazwę"
    ),
    "is not a role: write Sales or Engineer (Handlowiec, Inżynier)": (
        "nie jest rolą: wpisz Handlowiec lub Inżynier (Sales, Engineer)"
    ),
}


class Said(str):
    """A text for the terminal: English as a ``str`` (what logs and tests read), and in any
    language by :meth:`in_language`.

    >>> note = said("no_prior_sales", prior=2025)
    >>> note.startswith("the export has no sales in FY2025"), note.in_language("pl")[:22]
    (True, 'eksport nie ma sprzeda')
    """

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Said:
        self = super().__new__(cls, NOTES[key][0].format(**values))
        self.key, self.values = key, values
        return self

    def in_language(self, language: str) -> str:
        return NOTES[self.key][LANGUAGES.index(language)].format(**self.values)


def said(key: str, **values: object) -> Said:
    """The note ``key`` of :data:`NOTES`, its ``{fields}`` filled in from ``values``."""
    return Said(key, **values)


def in_language(text: str, language: str) -> str:
    """``text`` in ``language`` when it is a :class:`Said`; other text as it is."""
    return text.in_language(language) if isinstance(text, Said) else text
