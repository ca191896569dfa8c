"""One partner identity for the sales import and the carry-over: tax id, then name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from partner_tiers.review.sales_fields import PartnerIndex, normalise_name, normalise_tax_id
from partner_tiers.review.sales_import import read_sales
from partner_tiers.rules.programs import get_program

from .exports import write_csv

names = st.sampled_from(["Acme", "ACME", "Beta", "Beta Sp. z o.o.", "Gamma"])
HEADER = ["Kontrahent", "NIP", "Data faktury", "Kwota netto"]
tax_ids = st.sampled_from([None, "", "526-000-12-46", "PL5260001246", "1111111111", "DE136695976"])


@given(st.lists(st.tuples(names, tax_ids), max_size=12), names, tax_ids)
def test_two_tax_ids_are_never_one_partner_and_each_finds_itself(entries, name, tax_id):
    index: PartnerIndex[tuple[str, str | None]] = PartnerIndex()
    for entry in entries:
        if index.find(*entry) is None:
            index.add(*entry, entry)
    found = index.find(name, tax_id)
    tax = normalise_tax_id(tax_id)
    if found is not None:
        other = normalise_tax_id(found[1])
        assert not (tax and other and tax != other)  # two tax ids: two partners
        assert (tax and tax == other) or normalise_name(found[0]) == normalise_name(name)
    for entry in index:
        assert index.find(*entry) is entry


def test_each_row_is_taken_once_so_nothing_typed_twice_is_lost():
    index: PartnerIndex[dict[str, str]] = PartnerIndex()
    first, second = {"name": "Acme", "notes": "1"}, {"name": "Acme", "notes": "2"}
    index.add("Acme", None, first)
    index.add("Acme", None, second)
    assert index.take("ACME", None) is first
    assert index.take("acme", None) is second
    assert index.take("Acme", None) is None and list(index) == []


def test_an_export_whose_first_rows_lack_the_tax_id_counts_one_partner(tmp_path):
    rows = [
        ("Acme", "", dt.date(2025, 5, 1), Decimal("1")),
        ("Acme", "526-000-12-46", dt.date(2025, 5, 2), Decimal("2")),
        ("ACME", "", dt.date(2025, 5, 3), Decimal("4")),
    ]
    result = read_sales(write_csv(tmp_path / "s.csv", HEADER, rows), get_program())
    [acme] = result.partners
    assert (acme.revenue_quarters[0], acme.tax_id) == (7, "526-000-12-46")
    assert acme.lines == [2, 3, 4]


def test_names_in_other_scripts_are_partners_of_their_own(tmp_path):
    names = [
        "Ромашка ООО",
        "Василёк ООО",
        "株式会社テスト",
        "株式会社サンプル",
        "राम",
        "रमा",
        "★★",
        "☆☆",
    ]
    rows = [(n, "", dt.date(2025, 5, 1), Decimal(i + 1)) for i, n in enumerate(names)]
    rows.append(("ВАСИЛЕК ООО", "", dt.date(2025, 5, 2), Decimal(100)))  # case and ё ignored
    result = read_sales(write_csv(tmp_path / "s.csv", HEADER, rows), get_program())
    figures = {p.name: p.revenue_quarters[0] for p in result.partners}
    assert figures == {n: i + 1 for i, n in enumerate(names)} | {"Василёк ООО": 102}
    assert all(normalise_name(n) for n in names)  # no partner ever has an empty key


@given(
    st.from_regex(
        r"(PL|pl|Pl)?[ -]?[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{2}", fullmatch=True
    )
)
def test_a_nip_is_compacted_as_python_stdnum_compacts_it(text):
    from stdnum.pl import nip

    assert normalise_tax_id(text) == nip.compact(text)
