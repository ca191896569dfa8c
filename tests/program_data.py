"""Program definitions of any shape as data: a hypothesis strategy, and the TOML text that
writes them (inline tables, one line a key), so that every generated program goes through
the same reader as a user's file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

# The metrics a generated program may read, with the values a partner may have.
METRICS: dict[str, dict[str, Any]] = {
    "services_revenue": {"kind": "revenue", "scope": "services"},
    "monthly_commitment": {"kind": "monthly"},
    "new_customers": {"kind": "count"},
    "growth": {"kind": "growth"},
    "business_plan": {"kind": "yes_no"},
}
NAMES = ["revenue", "certified_sales", "certified_engineers", *METRICS]
MONEY = {"revenue", "services_revenue", "monthly_commitment"}


def threshold(metric: str) -> st.SearchStrategy[Any]:
    if metric in MONEY:
        return st.integers(0, 10**6) | st.decimals(0, 10**6, places=2).map(float)
    if metric == "growth":
        return st.integers(-50, 100).map(lambda p: p / 100)
    return st.integers(0, 10)


@st.composite
def criterion(draw: st.DrawFn, unpublished: bool = False) -> dict[str, Any]:
    metric = draw(st.sampled_from(NAMES))
    if metric == "business_plan":
        return {"metric": metric}
    if unpublished and draw(st.integers(0, 9)) == 0:
        return {"metric": metric, "min": "unpublished"}
    return {"metric": metric, "min": draw(threshold(metric))}


@st.composite
def score(draw: st.DrawFn) -> dict[str, Any]:
    items = []
    for metric in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True)):
        item: dict[str, Any] = {
            "metric": metric,
            "points": draw(st.integers(1, 50)),
            "full_at": 1
            if metric == "business_plan"
            else draw(threshold(metric).filter(lambda v: v > 0)),
        }
        if draw(st.booleans()) and metric != "business_plan":
            item["min"] = draw(threshold(metric))
        items.append(item)
    most = sum(i["points"] for i in items)
    return {"score": items, "min_total": draw(st.integers(1, most))}


def tree(unpublished: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    def groups(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        parts = st.lists(inner, min_size=1, max_size=3)
        return st.one_of(
            parts.map(lambda p: {"all": p}),
            parts.map(lambda p: {"any": p}),
            parts.flatmap(lambda p: st.integers(1, len(p)).map(lambda n: {"at_least": n, "of": p})),
        )

    leaves = st.one_of(criterion(unpublished), score())
    return st.recursive(leaves, groups, max_leaves=6)


@st.composite
def definitions(draw: st.DrawFn, unpublished: bool = False) -> dict[str, Any]:
    """A valid definition of 2 to 5 tiers, each above the lowest a random tree."""
    tiers: list[dict[str, Any]] = [{"name": "Tier 0"}]
    for i in range(1, draw(st.integers(2, 5))):
        tiers.append({"name": f"Tier {i}", "requires": draw(tree(unpublished))})
    return {
        "id": "generated",
        "vendor": "Hypothesis",
        "name": "Generated program",
        "currency": "EUR",
        "fiscal_year_start_month": draw(st.integers(1, 12)),
        "basis": "Generated.",
        "source": "tests/program_data.py",
        "metrics": METRICS,
        "tiers": tiers,
    }


@st.composite
def partner_values(draw: st.DrawFn) -> dict[str, Any]:
    """A partner's values as a user types them (currency units, counts, a fraction, 0/1)."""
    values: dict[str, Any] = {}
    for metric in NAMES:
        if metric in MONEY:
            values[metric] = draw(st.integers(0, 2 * 10**8)) / 100
        elif metric == "growth":
            values[metric] = draw(st.integers(-100, 200)) / 100
        elif metric == "business_plan":
            values[metric] = draw(st.integers(0, 1))
        else:
            values[metric] = draw(st.integers(0, 12))
    return values


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"


def toml_text(data: dict[str, Any]) -> str:
    """A definition as TOML text, every value inline."""
    return "\n".join(f"{key} = {toml_value(value)}" for key, value in data.items()) + "\n"
