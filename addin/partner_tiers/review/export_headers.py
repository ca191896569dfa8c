"""The words of a sales export's header row: which column holds which field.

Headers are compared normalised (no accents, lower case, punctuation as spaces), in English
or Polish, in any order: ``Kontrahent`` and ``Partner`` are the partner's name, ``Kwota
netto`` the amount. A program's own metrics (a monthly commitment, say) are fields too,
found by their names, words or aliases. Total rows are found by their words here as well.

>>> field_of("Kwota netto"), field_of("NIP"), field_of("Uwagi"), field_of("Kolor")
('amount', 'tax_id', 'notes', None)
"""

from __future__ import annotations

import re

from partner_tiers.review.sales_fields import normalise_header
from partner_tiers.rules.fiscal_year import QUARTERS_PER_YEAR
from partner_tiers.rules.metrics import Metric, header_key
from partner_tiers.rules.program import Program
from partner_tiers.rules.tiers import typed_metrics

# Canonical field -> header spellings (compared after normalising: no accents, lower case,
# punctuation as spaces). English first, then Polish.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "partner",
        "partner name",
        "name",
        "company",
        "company name",
        "customer",
        "customer name",
        "reseller",
        "kontrahent",
        "nazwa",
        "nazwa kontrahenta",
        "nazwa partnera",
        "firma",
        "klient",
        "odbiorca",
        "nabywca",
    ),
    "tax_id": (
        "tax id",
        "tax id nip",
        "vat id",
        "vat number",
        "tax number",
        "nip",
        "nip kontrahenta",
        "nip nabywcy",
        "nip odbiorcy",
    ),
    "account_manager": ("account manager", "owner", "opiekun", "handlowiec", "opiekun handlowy"),
    "amount": (
        "revenue",
        "amount",
        "net amount",
        "net",
        "sales",
        "net sales",
        "value",
        "net value",
        "amount in currency",
        "net amount in currency",
        "obrot",
        "obroty",
        "kwota",
        "kwota netto",
        "wartosc",
        "wartosc netto",
        "netto",
        "sprzedaz",
        "sprzedaz netto",
        "wartosc w walucie",
        "wartosc netto w walucie",
        "kwota w walucie",
        "netto w walucie",
    ),
    # The same sale in the ERP's base currency (PLN), beside its amount in its own currency.
    "amount_base": (
        "net amount pln",
        "amount pln",
        "net value pln",
        "wartosc netto pln",
        "wartosc pln",
        "kwota netto pln",
        "kwota pln",
        "netto pln",
    ),
    "date": (
        "date",
        "invoice date",
        "sale date",
        "date of sale",
        "document date",
        "issue date",
        "data",
        "data faktury",
        "data sprzedazy",
        "data wystawienia",
        "data dokumentu",
    ),
    "quarter": ("quarter", "fiscal quarter", "kwartal", "kwartal obrachunkowy"),
    "year": ("fiscal year", "year", "fy", "rok", "rok obrachunkowy", "rok fiskalny"),
    "prior_year": (
        "prior year revenue",
        "revenue prior year",
        "previous year revenue",
        "prior year",
        "obrot w poprzednim roku",
        "obrot poprzedni rok",
        "obrot za poprzedni rok",
        "poprzedni rok",
    ),
    **{
        f"q{q}": (f"q{q}", f"revenue q{q}", f"sales q{q}", f"obrot q{q}", f"sprzedaz q{q}")
        for q in range(1, QUARTERS_PER_YEAR + 1)
    },
    "currency": ("currency", "waluta"),
    # Each rate is the ERP's base currency (PLN) for one unit of the row's currency: see
    # partner_tiers.review.exchange_rates, where that direction is defined once.
    "rate": (
        "rate",
        "exchange rate",
        "fx rate",
        "fx",
        "kurs",
        "kurs waluty",
        "kurs wymiany",
        "kurs nbp",
        "kurs sredni",
        "kurs sredni nbp",
    ),
    "certified_sales": ("certified sales", "certyfikowani handlowcy"),
    "certified_engineers": ("certified engineers", "certyfikowani inzynierowie"),
    "msp": ("msp",),
    "notes": ("notes", "note", "comment", "uwagi", "notatki", "komentarz"),
}
# A closing or intermediate total row, by the text an ERP writes in one of its cells (compared
# normalised: "Razem:" is "razem"). Such rows are skipped, never summed into a partner.
TOTAL_LABELS = {
    "razem",
    "suma",
    "ogolem",
    "podsumowanie",
    "lacznie",
    "total",
    "totals",
    "grand total",
    "subtotal",
    "sum",
    "razem netto",
    "suma netto",
    "suma koncowa",
    "suma calkowita",
    "razem sprzedaz",
    "ogolem sprzedaz",
    "total net",
    "net total",
}
TOTAL_WORDS = {"razem", "suma", "ogolem", "podsumowanie", "lacznie", "total", "subtotal"}
# Text that may start a total label, checked before anything slower.
TOTAL_START = re.compile(
    r"(?i)\s*(?:razem|suma|og[oó][lł]em|podsumowanie|[lł][aą]cznie|total|subtotal|sum|grand)\b"
)


QUARTER_FIELDS = tuple(f"q{q}" for q in range(1, QUARTERS_PER_YEAR + 1))
# When an export has two date columns (issued and sold, say), the sale date counts: a sale
# belongs to the period it was made in. --date-column chooses another.
SALE_DATE_HEADERS = ("sale date", "date of sale", "data sprzedazy")
AMOUNT_FIELDS = ("amount", "amount_base", "prior_year", *QUARTER_FIELDS, "rate")
_LOOKUP = {normalise_header(h): f for f, spellings in HEADERS.items() for h in spellings}
METRIC_FIELD = "metric."  # the field of a program's metric: "metric.monthly_commitment"
MetricFields = dict[str, Metric]  # field -> the metric its column holds


def metric_fields(program: Program) -> MetricFields:
    """The fields of the metrics ``program`` reads beyond revenue and the two counts of
    certified people: the columns an export may add, each headed by the metric's name,
    words or an alias (:func:`partner_tiers.rules.metrics.header_key`)."""
    return {METRIC_FIELD + m.name: m for m in typed_metrics(program)}


def field_of(header: object, metrics: MetricFields | None = None) -> str | None:
    """The field a header names: one of :data:`HEADERS`' (which win), else a metric's."""
    known = _LOOKUP.get(normalise_header(header))
    if known is not None or not metrics or not isinstance(header, str):
        return known
    key = header_key(header)
    return next((name for name, m in metrics.items() if key in m.header_keys()), None)
