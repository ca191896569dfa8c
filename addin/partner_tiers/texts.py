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
# The Dashboard's year when the settings have none (a blank template).
LABELS["fiscal_year_unset"] = ("fiscal year not set", "rok obrachunkowy nieustawiony")


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
    ),
}


def sentences_for(language: str) -> Sentences:
    """The sentences of a language; :class:`UnknownLanguage` for any other."""
    try:
        return SENTENCES[language]
    except KeyError:
        raise UnknownLanguage(language) from None
