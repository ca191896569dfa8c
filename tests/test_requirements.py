"""Programs of any shape: the requirement tree held to its definition (tests/oracle.py), to
today's answers for the Sophos ladders, and to the properties a channel manager relies on."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePath
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partner_tiers.rules import programs, projection, tiers
from partner_tiers.rules.explanations import explain
from partner_tiers.rules.program import Program
from partner_tiers.rules.requirements import Short, met, nearest

from . import oracle
from .program_data import MONEY, definitions, partner_values, toml_text
from .strategies import money

HERE = PurePath("generated.toml")


def load(data: dict[str, Any]) -> Program:
    return programs.load_program_text(toml_text(data), HERE)


def exact_values(program: Program, values: dict[str, Any]) -> dict[str, Any]:
    return {m.name: m.exact(Decimal(str(values[m.name]))) for m in program.metrics}


def fractions(values: dict[str, Any]) -> dict[str, Fraction]:
    return {k: Fraction(str(v)) for k, v in values.items()}


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(definitions(unpublished=True), partner_values())
def test_the_level_is_the_definitions_highest_tier_met(data, values):
    program = load(data)
    row = [exact_values(program, values)[m.name] for m in program.metrics]
    [level], problems = tiers.metric_levels(program, [row])
    expected = oracle.definition_level(data, fractions(values))
    if expected is None:  # hangs on an unpublished threshold: told, never guessed
        assert 0 in problems and "is not published" in str(problems[0])
    else:
        assert (level, problems) == (expected, {})


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(definitions(), partner_values())
def test_each_tier_is_met_exactly_as_its_definition_says(data, values):
    program = load(data)
    exact = exact_values(program, values)
    for tier, written in zip(program.tiers, data["tiers"], strict=True):
        assert met(tier.requirement, exact) == oracle.tier_met(written, fractions(values))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(definitions(), partner_values(), st.sampled_from(sorted(MONEY | {"new_customers"})))
def test_more_of_any_metric_never_lowers_the_tier(data, values, metric):
    program = load(data)
    more = dict(values, **{metric: values[metric] * 2 + 1})
    [before], _ = tiers.metric_levels(program, [list(exact_values(program, values).values())])
    [after], _ = tiers.metric_levels(program, [list(exact_values(program, more).values())])
    assert after >= before


def _apply(values: dict[str, Any], shorts: tuple[Short, ...]) -> dict[str, Any]:
    """The values plus what a need says is short (money in cents, the rest as it is)."""
    raised = dict(values)
    for short in shorts:
        assert short.metric is not None
        raised[short.metric.name] += short.amount
    return raised


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(definitions(), partner_values())
def test_what_the_next_tier_lacks_is_enough_to_reach_it(data, values):
    """Add each shortfall the nearest path names and the partner meets the next tier; a
    path with nothing short is met already. Scores are held to it by their points."""
    program = load(data)
    exact = exact_values(program, values)
    [level], _ = tiers.metric_levels(program, [[exact[m.name] for m in program.metrics]])
    if level == program.top:
        return
    need = nearest(program.tiers[level + 1].requirement, exact)
    assert need.shorts, "a tier above the partner's level is not met"
    if all(s.metric is not None for s in need.shorts):
        assert met(program.tiers[level + 1].requirement, _apply(exact, need.shorts))
    for short in need.shorts:
        assert short.amount > 0


# --- today's programs: the tree answers as the ladder did ------------------------------------


def as_tree(program_id: str) -> Program:
    """A built-in ladder rewritten as requirement trees: the new engine's way to its tiers."""
    return ladder_as_tree(programs.get_program(program_id))


def ladder_as_tree(base: Program) -> Program:
    """A ladder's definition with each tier's fields written as ``requires = { all = ... }``."""
    data = copy.deepcopy(base.definition)
    assert data is not None
    for tier in data["tiers"][1:]:
        parts = [
            {"metric": metric, "min": tier.pop(field)}
            for field, metric in oracle.LADDER_FIELDS
            if field in tier
        ]
        tier["requires"] = {"all": parts}
    data["tiers"][0].pop("min_revenue")
    data["id"] = f"{base.id}-as-tree"
    data.pop("replaces", None)
    program = programs.load_program_text(toml_text(data), HERE)
    assert not program.is_ladder
    return program


COUNTED = programs.load_program_text(
    (programs.BUILTIN_DIR / "sophos-2019.toml")
    .read_text("utf-8")
    .replace(
        'name = "Gold"\n', 'name = "Gold"\nmin_certified_sales = 2\nmin_certified_engineers = 1\n'
    )
    .replace('id = "sophos-2019"', 'id = "sophos-2019-counted"')
    .replace('replaces = "sophos-pre-2019"\n', ""),
    HERE,
)
LADDERS = ["sophos-2019", "sophos-pre-2019", "eset-dach-2016"]
counts = st.none() | st.integers(0, 4)


@pytest.mark.slow
@pytest.mark.parametrize("program_id", LADDERS)
@settings(max_examples=200, deadline=None)
@given(
    revenue=money(400_000), sales=counts, engineers=counts, language=st.sampled_from(["en", "pl"])
)
def test_todays_programs_answer_the_same_through_requirement_trees(
    program_id, revenue, sales, engineers, language
):
    ladder, tree = programs.get_program(program_id), as_tree(program_id)
    cents = [tiers.to_cents(revenue)]
    for answer in (tiers.levels, tiers.gaps):
        args = (cents, sales, engineers)
        if answer is tiers.gaps:
            args = (tiers.levels(ladder, cents, sales, engineers), *args)
            tree_args = (tiers.levels(tree, cents, sales, engineers), *args[1:])
        else:
            tree_args = args
        assert answer(ladder, *args) == answer(tree, *tree_args)
    old, new = (
        tiers.assess(ladder, revenue, sales, engineers),
        tiers.assess(tree, revenue, sales, engineers),
    )
    assert (old.tier.name, getattr(old.next_tier, "name", None), old.revenue_gap) == (
        new.tier.name,
        getattr(new.next_tier, "name", None),
        new.revenue_gap,
    )
    assert explain(old, language) == explain(new, language)


@settings(max_examples=200, deadline=None)
@given(
    revenue=money(400_000), sales=counts, engineers=counts, language=st.sampled_from(["en", "pl"])
)
def test_a_ladder_with_counts_answers_the_same_through_trees(revenue, sales, engineers, language):
    """The counts cap the tier, and the sentence names each missing person, as before."""
    tree = ladder_as_tree(COUNTED)
    old = tiers.assess(COUNTED, revenue, sales, engineers)
    new = tiers.assess(tree, revenue, sales, engineers)
    assert (old.tier.name, old.next_tier and old.next_tier.name, old.revenue_gap) == (
        new.tier.name,
        new.next_tier and new.next_tier.name,
        new.revenue_gap,
    )
    assert (old.missing_certified_sales, old.missing_certified_engineers) == (
        new.missing_certified_sales,
        new.missing_certified_engineers,
    )
    assert explain(old, language) == explain(new, language)


@pytest.mark.parametrize("program_id", LADDERS[:2])
@settings(max_examples=150, deadline=None)
@given(ytd=money(200_000), quarters=st.integers(1, 4), current=st.integers(0, 3))
def test_projections_answer_the_same_through_trees(program_id, ytd, quarters, current):
    ladder, tree = programs.get_program(program_id), as_tree(program_id)
    cents = [tiers.to_cents(ytd)]
    assert projection.projected_levels(ladder, cents, quarters) == projection.projected_levels(
        tree, cents, quarters
    )
    assert projection.at_risk(ladder, cents, quarters, current) == projection.at_risk(
        tree, cents, quarters, current
    )
    assert projection.required_per_quarter(ladder, cents, quarters) == (
        projection.required_per_quarter(tree, cents, quarters)
    )
