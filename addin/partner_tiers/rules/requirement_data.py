"""The parts of a definition file that go beyond a revenue ladder, read and validated.

:mod:`partner_tiers.rules.programs` reads a file; this module reads its ``roles``,
``metrics``, ``tracks``, ``lifecycle`` and each tier's ``requires`` (or, with tracks, its
``tracks``). Every error names its field, down to the node of a tree:
``tiers[2].requires.any[1].all[0].min: must be a number, not 'lots'``.

A requirement node is a table of one of these forms::

    { metric = "revenue", min = 60000 }                  # a criterion; min = "unpublished"
    { all = [ ... ] }   { any = [ ... ] }   { at_least = 2, of = [ ... ] }
    { score = [ { metric = "customers", points = 25, full_at = 25, min = 1 }, ... ],
      min_total = 70 }

A group or a score may have a ``name`` ("revenue path"), which explanations use.

>>> metrics = read_metrics({}, read_roles({}, _fail), _fail)
>>> [m.name for m in metrics]
['revenue', 'certified_sales', 'certified_engineers']
>>> read_requirement({"any": [{"metric": "revenue", "min": 100},
...                          {"metric": "certified_sales", "min": 2}]},
...                  {m.name: m for m in metrics}, "requires", _fail).count
1
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from partner_tiers.errors import BadValue, PartnerTiersError
from partner_tiers.rules.metrics import (
    DEFAULT_ROLES,
    KINDS,
    NAME,
    REVENUE,
    WINDOWS,
    Exact,
    Metric,
    Words,
    role_metric,
)
from partner_tiers.rules.money import excel_amount
from partner_tiers.rules.program import Lifecycle
from partner_tiers.rules.requirements import AtLeast, Criterion, Requirement, Score, ScoreItem
from partner_tiers.wording import shown, shown_number

Fail = Callable[[str, str], PartnerTiersError]
UNPUBLISHED = "unpublished"  # what a file writes for a threshold the vendor does not publish
MAX_NODES = 1000  # criteria and groups of one tier: a tree is a few dozen in any real program
MAX_DEPTH = 20

_METRIC_KEYS = {
    "kind",
    "window",
    "months",
    "scope",
    "role",
    "label",
    "one",
    "many",
    "pl",
    "pl_one",
    "pl_many",
    "header",
    "pl_header",
    "aliases",
}
_ROLE_KEYS = {"one", "many", "pl_one", "pl_many", "header", "pl_header"}
_LIFECYCLE_KEYS = {"upgrade", "downgrade", "grace_months"}
_CHANGES = {"upgrade": ("at_once", "at_audit"), "downgrade": ("at_once", "at_audit", "after_grace")}


def _fail(field: str, problem: str) -> PartnerTiersError:  # for the doctests
    return PartnerTiersError(f"{field}: {problem}")


def _table(value: object, field: str, fail: Fail) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(field, f"must be a table, not {shown(value)}")
    return value


def _keys(data: dict[str, Any], allowed: set[str], field: str, fail: Fail) -> None:
    for key in data:
        if key not in allowed:
            raise fail(f"{field}.{key}", f"unknown field; allowed: {', '.join(sorted(allowed))}")


def _words_text(data: dict[str, Any], key: str, field: str, fail: Fail) -> str | None:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        raise fail(f"{field}.{key}", "must be non-empty text in quotes, at most 80 characters")
    return value.strip()


def _name(value: object, field: str, fail: Fail, what: str) -> str:
    if not isinstance(value, str) or not NAME.match(value):
        raise fail(
            field,
            f"{shown(value)} is no {what} name: lower-case letters, digits and '_', starting "
            "with a letter, at most 40 (e.g. services_revenue)",
        )
    return value


def read_roles(data: dict[str, Any], fail: Fail) -> dict[str, Words]:
    """The program's roles of certified people: ``roles = ["sales", "architects"]``, or a
    table of role name to its words (``one``, ``many``, ``pl_one``, ``pl_many``, and the
    column headers ``header`` and ``pl_header``)."""
    raw = data.get("roles")
    if raw is None:
        return dict(DEFAULT_ROLES)
    if isinstance(raw, list):
        if not raw:
            raise fail("roles", "must name at least one role, or be left out")
        roles = {}
        for i, role in enumerate(raw):
            name = _name(role, f"roles[{i}]", fail, "role")
            if name in roles:
                raise fail(f"roles[{i}]", f"{name!r} is listed twice")
            roles[name] = role_metric(name).words
        return roles
    table = _table(raw, "roles", fail)
    roles = {}
    for role, words in table.items():
        field = f"roles.{role}"
        _name(role, field, fail, "role")
        words = _table(words, field, fail)
        _keys(words, _ROLE_KEYS, field, fail)
        default = role_metric(role).words
        roles[role] = Words(
            _words_text(words, "one", field, fail) or default.one,
            _words_text(words, "many", field, fail) or default.many,
            _words_text(words, "pl_one", field, fail),
            _words_text(words, "pl_many", field, fail),
            _words_text(words, "header", field, fail),
            _words_text(words, "pl_header", field, fail),
        )
    return roles


def read_metrics(data: dict[str, Any], roles: dict[str, Words], fail: Fail) -> list[Metric]:
    """``revenue``, a ``certified_<role>`` metric per role, and the file's ``[metrics.*]``
    tables (which may redefine ``revenue``'s window, e.g. the trailing twelve months)."""
    metrics = {REVENUE.name: REVENUE}
    for role, words in roles.items():
        metrics[f"certified_{role}"] = role_metric(role, words)
    raw = _table(data.get("metrics", {}), "metrics", fail)
    for name, spec in raw.items():
        field = f"metrics.{name}"
        _name(name, field, fail, "metric")
        spec = _table(spec, field, fail)
        _keys(spec, _METRIC_KEYS, field, fail)
        if name in metrics and name != REVENUE.name:
            raise fail(field, f"{name!r} is already the metric of the role {name[10:]!r}")
        metrics[name] = _metric(name, spec, roles, field, fail)
    return list(metrics.values())


def _metric(
    name: str, spec: dict[str, Any], roles: dict[str, Words], field: str, fail: Fail
) -> Metric:
    kind = spec.get("kind")
    if kind not in KINDS:
        raise fail(f"{field}.kind", f"{shown(kind)} is no kind; use one of {', '.join(KINDS)}")
    if name == REVENUE.name and kind != "revenue":
        raise fail(f"{field}.kind", "revenue is revenue; give another kind another name")
    window = spec.get("window", "prior_year")
    if window not in WINDOWS:
        raise fail(f"{field}.window", f"{shown(window)} is no window; use {', '.join(WINDOWS)}")
    months = None
    if window == "trailing_months":
        months = spec.get("months")
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 60:
            raise fail(f"{field}.months", "a trailing window needs months: 1 to 60, e.g. 12")
    elif "months" in spec:
        raise fail(f"{field}.months", "only a window of trailing_months has months")
    if kind not in ("revenue", "growth") and ("window" in spec or "scope" in spec):
        raise fail(field, f"a {kind} metric has no window or scope")
    role = None
    if kind == "certified":
        role = spec.get("role")
        if role not in roles:
            raise fail(
                f"{field}.role",
                f"{shown(role)} is no role of the program; roles: {', '.join(roles)}",
            )
    scope = _words_text(spec, "scope", field, fail)
    label = _words_text(spec, "label", field, fail) or name.replace("_", " ")
    pl = _words_text(spec, "pl", field, fail)
    words = Words(
        _words_text(spec, "one", field, fail) or label,
        _words_text(spec, "many", field, fail) or label,
        _words_text(spec, "pl_one", field, fail) or pl,
        _words_text(spec, "pl_many", field, fail) or pl,
        _words_text(spec, "header", field, fail),
        _words_text(spec, "pl_header", field, fail),
    )
    aliases = spec.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise fail(f"{field}.aliases", "must be a list of header texts in quotes")
    return Metric(name, kind, words, window, months, scope, role, tuple(a.strip() for a in aliases))


def read_lifecycle(data: dict[str, Any], fail: Fail) -> Lifecycle | None:
    """When tiers change (see :class:`~partner_tiers.rules.program.Lifecycle`); None when
    the file does not say (at the audit, both ways)."""
    if "lifecycle" not in data:
        return None
    raw = _table(data["lifecycle"], "lifecycle", fail)
    _keys(raw, _LIFECYCLE_KEYS, "lifecycle", fail)
    changes = {}
    for key, allowed in _CHANGES.items():
        value = raw.get(key, "at_audit")
        if value not in allowed:
            raise fail(f"lifecycle.{key}", f"{shown(value)}: use {' or '.join(allowed)}")
        changes[key] = value
    grace = raw.get("grace_months", 0)
    if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= 36:
        raise fail(
            "lifecycle.grace_months", f"must be whole months from 0 to 36, not {shown(grace)}"
        )
    if (changes["downgrade"] == "after_grace") != (grace > 0):
        raise fail(
            "lifecycle.grace_months",
            'a grace period goes with downgrade = "after_grace", and it with a grace period',
        )
    return Lifecycle(changes["upgrade"], changes["downgrade"], grace)


def read_tracks(data: dict[str, Any], fail: Fail) -> tuple[str, ...]:
    """The names of the program's parallel ladders, of which the better tier counts."""
    raw = data.get("tracks", [])
    if (
        not isinstance(raw, list)
        or len(raw) == 1
        or not all(isinstance(t, str) and t.strip() and len(t) <= 40 for t in raw)
    ):
        raise fail("tracks", "must list two or more track names in quotes (at most 40 characters)")
    names = [t.strip() for t in raw]
    if len({n.casefold() for n in names}) != len(names):
        raise fail("tracks", "names a track twice")
    return tuple(names)


class _Reader:
    """Reads one tier's tree, counting its nodes to keep a hostile file's work bounded."""

    def __init__(self, metrics: dict[str, Metric], fail: Fail) -> None:
        self.metrics, self.fail, self.nodes = metrics, fail, 0

    def node(self, raw: object, field: str, depth: int = 0) -> Requirement:
        fail = self.fail
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise fail(
                field, f"the tree is too large (at most {MAX_NODES} nodes, {MAX_DEPTH} deep)"
            )
        data = _table(raw, field, fail)
        forms = [k for k in ("metric", "all", "any", "at_least", "score") if k in data]
        if len(forms) != 1:
            raise fail(
                field,
                "must be one of: {metric, min}, {all}, {any}, {at_least, of}, {score, min_total}",
            )
        form = forms[0]
        if form == "metric":
            _keys(data, {"metric", "min"}, field, fail)
            metric = self.metric(data["metric"], f"{field}.metric")
            return Criterion(metric, self.threshold(metric, data, f"{field}.min"))
        name = _words_text(data, "name", field, fail)
        if form == "score":
            return self.score(data, field, name)
        allowed = {"name", form} | ({"of"} if form == "at_least" else set())
        _keys(data, allowed, field, fail)
        key = "of" if form == "at_least" else form
        parts = data.get(key)
        if not isinstance(parts, list) or not parts:
            raise fail(f"{field}.{key}", "must be a list of one or more requirements")
        read = tuple(self.node(p, f"{field}.{key}[{i}]", depth + 1) for i, p in enumerate(parts))
        if form == "all":
            return AtLeast.all_of(*read, name=name)
        if form == "any":
            return AtLeast.any_of(*read, name=name)
        count = data["at_least"]
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= len(read):
            raise fail(
                f"{field}.at_least",
                f"must be a whole number from 1 to {len(read)}, not {shown(count)}",
            )
        return AtLeast(count, read, name)

    def metric(self, value: object, field: str) -> Metric:
        if not isinstance(value, str) or value not in self.metrics:
            raise self.fail(
                field,
                f"{shown(value)} is no metric of the program; metrics: {', '.join(self.metrics)}",
            )
        return self.metrics[value]

    def threshold(self, metric: Metric, data: dict[str, Any], field: str) -> Exact | None:
        fail = self.fail
        if metric.kind == "yes_no":
            value = data.get("min", True)
            if value is not True:
                raise fail(
                    field,
                    f"a yes/no item is met by yes: leave min out or write true, not {shown(value)}",
                )
            return 1
        if "min" not in data:
            raise fail(
                field,
                f'is missing (a number, or "{UNPUBLISHED}" when the vendor does not publish it)',
            )
        value = data["min"]
        if value == UNPUBLISHED:
            return None
        return exact_value(metric, value, field, fail)

    def score(self, data: dict[str, Any], field: str, name: str | None) -> Score:
        fail = self.fail
        _keys(data, {"name", "score", "min_total"}, field, fail)
        raw = data["score"]
        if not isinstance(raw, list) or not raw:
            raise fail(f"{field}.score", "must be a list of one or more items")
        items = []
        for i, item in enumerate(raw):
            where = f"{field}.score[{i}]"
            item = _table(item, where, fail)
            _keys(item, {"metric", "points", "full_at", "min"}, where, fail)
            self.nodes += 1
            if "metric" not in item:
                raise fail(f"{where}.metric", "is missing")
            metric = self.metric(item["metric"], f"{where}.metric")
            points = positive(item.get("points"), f"{where}.points", fail)
            full_at = exact_value(metric, item.get("full_at"), f"{where}.full_at", fail)
            if full_at <= 0:
                raise fail(
                    f"{where}.full_at", "must be above 0: the value that gives all the points"
                )
            minimum = (
                exact_value(metric, item["min"], f"{where}.min", fail) if "min" in item else None
            )
            items.append(ScoreItem(metric, points, full_at, minimum))
        total = positive(data.get("min_total"), f"{field}.min_total", fail)
        if total > sum(i.points for i in items):
            raise fail(
                f"{field}.min_total",
                f"is more than the items' points together ({sum(i.points for i in items)})",
            )
        return Score(tuple(items), total, name)


def read_requirement(
    raw: object, metrics: dict[str, Metric], field: str, fail: Fail
) -> Requirement:
    """One tier's requirement tree."""
    return _Reader(metrics, fail).node(raw, field)


def positive(value: object, field: str, fail: Fail) -> Fraction:
    """A number above 0, exactly as written."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise fail(field, f"must be a number above 0, not {shown(value)}")
    return Fraction(Decimal(str(value)))


def exact_value(metric: Metric, value: object, field: str, fail: Fail) -> Exact:
    """A threshold of ``metric`` as a file writes it, in the unit the rules compare."""
    if metric.kind in ("certified", "count"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise fail(field, f"must be a whole number, 0 or more, not {shown(value)}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(field, f"must be a number, not {shown(value)}")
    if metric.kind == "growth":
        return Fraction(Decimal(str(value)))  # a fraction: 0.15 = 15%; may be below 0
    if value < 0:
        raise fail(field, f"must not be negative ({shown_number(value)})")
    try:
        return metric.exact(excel_amount(Decimal(str(value))))
    except BadValue as exc:
        raise fail(field, f"{shown_number(value)} {exc.problem}") from None
