"""Certifications counted as the audit counts them (rules.certifications)."""

from __future__ import annotations

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
    program_audit_day,
)

from .fixtures import VALID

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
certifications = st.lists(
    st.builds(
        Certification,
        st.sampled_from(["Ewa", "Jan", "Ola"]),
        st.sampled_from(ROLES),
        st.sampled_from(["Sales", "Engineer", "Architect"]),
        days,
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
    on_the_day = Certification("Ewa", SALES, "Sales", audit)
    day_before = Certification("Jan", SALES, "Sales", audit - timedelta(days=1))
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
