"""Certifications counted as the audit counts them (rules.certifications)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partner_tiers.rules import programs
from partner_tiers.rules.certifications import (
    ENGINEER,
    ROLES,
    SALES,
    Certification,
    audit_day,
    counts_on,
    lapsing,
    owners,
    program_audit_day,
    role_named,
)
from partner_tiers.rules.identity import normalise_name, normalise_tax_id

from .fixtures import VALID

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
certifications = st.lists(
    st.builds(
        Certification,
        person=st.sampled_from(["Ewa", "Jan", "Ola"]),
        role=st.sampled_from(ROLES),
        certification=st.sampled_from(["Sales", "Engineer", "Architect"]),
        valid_until=days,
    ),
    max_size=30,
)


@given(certifications, days)
def test_counts_on_a_day_never_exceed_the_partners_rows(certs, day):
    sales, engineers = counts_on(certs, day)
    assert 0 <= sales <= sum(c.role == SALES for c in certs)
    assert 0 <= engineers <= sum(c.role == ENGINEER for c in certs)
    assert sales + engineers <= len(certs)


@given(certifications, days)
def test_a_certification_valid_on_the_audit_day_counts_and_one_ending_the_day_before_not(
    certs, audit
):
    on_the_day = Certification(  # somebody new
        person="Zofia", role=SALES, certification="Sales", valid_until=audit
    )
    day_before = dataclasses.replace(on_the_day, person="Jan", valid_until=audit - timedelta(1))
    sales = counts_on(certs, audit)[0]
    assert counts_on([*certs, on_the_day], audit)[0] == sales + 1
    assert counts_on([*certs, day_before], audit)[0] == sales


@given(certifications, days, days)
def test_lapsing_ones_count_today_and_not_at_the_audit(certs, today, audit):
    lapse = lapsing(certs, today, audit)
    assert all(c.valid_on(today) and not c.valid_on(audit) for c in lapse)
    assert [c.valid_until for c in lapse] == sorted(c.valid_until for c in lapse)
    if today <= audit:  # what lapses is exactly what the count loses by the audit
        now, then = counts_on(certs, today), counts_on(certs, audit)
        assert sum(now) - sum(then) == len(lapse)


@given(certifications, days, st.data())
def test_a_person_counts_once_per_role_however_many_rows(certs, day, data):
    # The same people written otherwise and their rows exported twice: the counts stay.
    again = [
        dataclasses.replace(
            c, person=data.draw(st.sampled_from([c.person.upper(), f" {c.person}  "]))
        )
        for c in certs
    ]
    assert counts_on([*certs, *again], day) == counts_on(certs, day)
    people = {(c.role, c.person) for c in certs if c.valid_on(day)}
    assert counts_on(certs, day) == tuple(
        sum(role == r for role, _ in people) for r in (SALES, ENGINEER)
    )
    assert len(lapsing([*certs, *again], day, day + timedelta(days=400))) == len(
        lapsing(certs, day, day + timedelta(days=400))
    )


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Sales", SALES),
        ("Handlowiec", SALES),
        ("inżynier", ENGINEER),
        ("Engineer", ENGINEER),
        ("Sales Consultant", SALES),
        ("technical", ENGINEER),
        ("Architect", None),
        (7, None),
    ],
)
def test_a_role_is_read_from_its_words_in_either_language(text, role):
    assert role_named(text) == role


partner_names = st.sampled_from(["Acme", "ACME", "Ácme", "Beta", "C*Tech", "=Gamma", "2000"])
tax_ids = st.none() | st.sampled_from(["526-000-12-46", "PL5260001246", "7770001719", "1"])


@given(
    st.lists(st.tuples(partner_names, tax_ids), max_size=6),
    st.lists(st.tuples(partner_names, tax_ids), max_size=8),
)
def test_a_row_belongs_to_its_tax_id_else_to_the_one_partner_of_its_name(partners, rows):
    ewa = Certification(person="Ewa", role=SALES, certification="S", valid_until=date(2027, 1, 1))
    certs = [dataclasses.replace(ewa, partner=n, tax_id=t) for n, t in rows]
    for (name, tax), owner in zip(rows, owners(partners, certs), strict=True):
        with_tax = [
            i
            for i, (_, t) in enumerate(partners)
            if tax and normalise_tax_id(t) == normalise_tax_id(tax)
        ]
        if with_tax:
            assert owner == with_tax[0]
            continue
        fits = [
            i
            for i, (n, t) in enumerate(partners)
            if normalise_name(n) == normalise_name(name) and not (tax and t)
        ]
        assert owner == (fits[0] if len(fits) == 1 else None)
        if owner is not None and tax and partners[owner][1]:  # never another tax id's
            assert normalise_tax_id(partners[owner][1]) == normalise_tax_id(tax)


def test_a_row_without_a_tax_id_naming_two_partners_belongs_to_neither():
    partners = [("ACME", "5260001246"), ("Acme", "7770001719")]
    ewa = Certification(person="Ewa", role=SALES, certification="S", valid_until=date(2027, 1, 1))
    rows = [
        dataclasses.replace(ewa, partner="Acme"),
        dataclasses.replace(ewa, partner="acme", person="Jan", tax_id="PL 777-000-17-19"),
    ]
    assert owners(partners, rows) == [None, 1]


@given(
    st.integers(2000, 2100),
    st.integers(1, 12),
    st.none() | st.tuples(st.integers(1, 12), st.integers(1, 28)),
)
def test_the_audit_day_falls_in_its_fiscal_year(year, start_month, month_day):
    from partner_tiers.rules.fiscal_year import fiscal_year_start

    day = audit_day(year, start_month, month_day)
    first, following = (
        fiscal_year_start(year, start_month),
        fiscal_year_start(year + 1, start_month),
    )
    assert first <= day < following
    if month_day is None:
        assert day == following - timedelta(days=1)
    else:
        assert (day.month, day.day) == month_day


def test_sophos_audits_on_31_march():
    assert program_audit_day(programs.get_program("sophos-2019"), 2027) == date(2027, 3, 31)


def test_a_program_file_may_set_another_audit_day(tmp_path):
    text = VALID.replace('source = "', 'audit_day = "01-15"\nsource = "', 1)
    program = programs.load_program_text(text, tmp_path / "a.toml")
    # VALID's fiscal year starts in February: FY2026 runs February 2025 to January 2026.
    assert program_audit_day(program, 2026) == date(2026, 1, 15)


@pytest.mark.parametrize("value", ['"02-29"', '"3-31"', '"13-01"', "2026-03-31", '"03-32"'])
def test_an_audit_day_that_is_not_a_day_of_every_year_is_refused(tmp_path, value):
    text = VALID.replace('source = "', f'audit_day = {value}\nsource = "', 1)
    with pytest.raises(programs.DefinitionError, match="audit_day"):
        programs.load_program_text(text, tmp_path / "a.toml")
