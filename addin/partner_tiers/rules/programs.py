"""Program definitions: TOML files loaded, validated and cached.

Built-in definitions live in ``partner_tiers/rules/definitions/*.toml``, one file per program
edition. A distributor adds or overrides programs without touching code by naming folders
of its own in ``PARTNER_TIERS_PROGRAMS`` (separated by :data:`os.pathsep`); a user file
whose ``id`` matches a built-in one replaces it. ``PARTNER_TIERS_DEFAULT_PROGRAM`` names
the program used when a function is given none (``sophos-2019`` otherwise).

>>> get_program("sophos-2019").currency
'EUR'
>>> [tier.name for tier in get_program("sophos-pre-2019").tiers]
['Authorized', 'Silver', 'Gold', 'Platinum']
>>> get_program("sophos-2020")
Traceback (most recent call last):
...
partner_tiers.rules.programs.UnknownProgram: unknown program 'sophos-2020'; known: ...

A broken file is never skipped: it makes every look-up fail with one message naming the
file, the field and what is wrong, for example
``acme.toml: tiers[2].min_revenue: must be above the tier below it (50000)``.

Excel keeps the Python process alive for hours, so loaded definitions are cached and
reloaded when a definition file or folder changes (checked at most every
:data:`CHECK_INTERVAL` seconds, so that the check never becomes the cost of a recalculation).
"""

from __future__ import annotations

import copy
import hashlib
import math
import os
import re
import stat
import time
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePath
from typing import Any

from partner_tiers.errors import BadValue, PartnerTiersError
from partner_tiers.rules import requirement_data
from partner_tiers.rules.metrics import Metric
from partner_tiers.rules.money import excel_amount
from partner_tiers.rules.program import Program, Tier
from partner_tiers.rules.requirement_data import UNPUBLISHED
from partner_tiers.rules.requirements import AtLeast, Requirement
from partner_tiers.wording import shown, shown_number

# Package data is read through importlib.resources, so that it loads wherever the wheel is
# installed, xlwings Lite's Pyodide included. A regular install gives real paths.
PACKAGE_DATA = resources.files("partner_tiers.rules")
BUILTIN_DIR: Traversable = PACKAGE_DATA / "definitions"
PROGRAMS_PATH_VARIABLE = "PARTNER_TIERS_PROGRAMS"
DEFAULT_PROGRAM_VARIABLE = "PARTNER_TIERS_DEFAULT_PROGRAM"
DEFAULT_PROGRAM = "sophos-2019"
CHECK_INTERVAL = 1.0  # seconds between checks of the definition files for changes
# Programs defined by text in a workbook (xlwings Lite has no file system of its own).
MAX_DEFINED_PROGRAMS = 100
DEFINED_IN = PurePath("definition in the workbook")  # what messages call such a definition

CURRENCIES = frozenset(
    code
    for line in (PACKAGE_DATA / "currencies.txt").read_text("utf-8").splitlines()
    if not line.startswith("#")
    for code in line.split()
)

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_PROGRAM_KEYS = {
    "id",
    "vendor",
    "name",
    "currency",
    "effective_from",
    "replaces",
    "grace_months",
    "audit_day",
    "fiscal_year_start_month",
    "basis",
    "source",
    "tiers",
    "roles",
    "metrics",
    "tracks",
    "lifecycle",
    "unpublished",
}
MAX_DEFINITION_BYTES = 1_000_000  # a program's file; tens of thousands of tiers fit
_REQUIRED_PROGRAM_KEYS = _PROGRAM_KEYS - {
    "effective_from",
    "replaces",
    "grace_months",
    "audit_day",
    "roles",
    "metrics",
    "tracks",
    "lifecycle",
    "unpublished",
}
_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)\Z")
_TIER_KEYS = {
    "name",
    "min_revenue",
    "min_certified_sales",
    "min_certified_engineers",
    "discount",
    "benefits",
    "requires",
    "tracks",
}


class ProgramError(PartnerTiersError):
    """A program cannot be used: unknown id or a broken definition file."""


class UnknownProgram(ProgramError, LookupError):
    """No program has this id."""

    def __init__(self, program_id: object, known: list[str]) -> None:
        super().__init__(f"unknown program {shown(program_id)}; known: {', '.join(known)}")


class DefinitionError(ProgramError, ValueError):
    """A definition file breaks a rule. The message names the file, the field and the problem."""

    def __init__(self, path: PurePath | Traversable, field: str, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        where = f"{path.name}: {field}: " if field else f"{path.name}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class ProgramSource:
    """A loaded program and where it came from."""

    program: Program
    path: PurePath | Traversable
    overrides: PurePath | Traversable | None = None  # the built-in file this user file replaces


# --- reading one file -------------------------------------------------------------------


def load_program_file(path: Path | Traversable, known: dict[str, Program] | None = None) -> Program:
    """Read and validate one definition file; raise :class:`DefinitionError` if it is broken.
    A file that ``extends`` a program takes it from ``known``."""
    try:
        if isinstance(path, Path):
            st = path.stat()
            if stat.S_ISDIR(st.st_mode):
                raise DefinitionError(path, "", "cannot be read: it is a folder, not a file")
            if not stat.S_ISREG(st.st_mode):  # a pipe would block the read for ever
                raise DefinitionError(
                    path, "", "cannot be read: it is not a regular file (a pipe, socket or device)"
                )
            if st.st_size > MAX_DEFINITION_BYTES:
                raise DefinitionError(path, "", f"is larger than {MAX_DEFINITION_BYTES:,} bytes")
        text = path.read_bytes().decode("utf-8-sig")  # Notepad writes a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(path, "", f"cannot be read ({exc})") from None
    return load_program_text(text, path, known)


def load_program_text(
    text: str, where: PurePath | Traversable, known: dict[str, Program] | None = None
) -> Program:
    """Validate one definition given as TOML text; ``where`` names it in messages."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DEFINITION_BYTES:
        raise DefinitionError(where, "", f"is larger than {MAX_DEFINITION_BYTES:,} bytes")
    path = where
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(path, "", f"is not valid TOML ({exc})") from None
    except ValueError:  # tomllib's int() of a number of over 4,300 digits
        raise DefinitionError(path, "", "holds a number too long to read") from None
    except RecursionError:
        raise DefinitionError(path, "", "nests arrays or tables too deeply to read") from None
    if "extends" in data:
        data = _extended(path, data, known or {})
    return _program_from_data(path, data)


def _toml_number(amount: Decimal) -> int | float:
    """An amount as TOML reads it; exact both ways, as amounts have at most 15 digits."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _as_data(program: Program) -> dict[str, Any]:
    """A program as the data of its definition file."""
    data: dict[str, Any] = {
        "id": program.id,
        "vendor": program.vendor,
        "name": program.name,
        "currency": program.currency,
        "fiscal_year_start_month": program.fiscal_year_start_month,
        "basis": program.basis,
        "source": program.source,
        "tiers": [
            {
                key: value
                for key, value in (
                    ("name", t.name),
                    ("min_revenue", None if t.min_revenue is None else _toml_number(t.min_revenue)),
                    ("min_certified_sales", t.min_certified_sales),
                    ("min_certified_engineers", t.min_certified_engineers),
                    ("discount", None if t.discount is None else _toml_number(t.discount)),
                    ("benefits", t.benefits),
                )
                if value is not None
            }
            for t in program.tiers
        ],
    }
    for key, value in (
        ("effective_from", program.effective_from),
        ("replaces", program.replaces),
        ("grace_months", program.grace_months),
        ("audit_day", program.audit_month_day and "{:02d}-{:02d}".format(*program.audit_month_day)),
    ):
        if value is not None:
            data[key] = value
    return data


def _extended(
    path: PurePath | Traversable, data: dict[str, Any], known: dict[str, Program]
) -> dict[str, Any]:
    """The data of a program that ``extends`` another: the base's, with the fields this
    file sets. A tier is named to set its fields (``[[tiers]]`` with ``name`` and, say,
    ``min_certified_sales``); it cannot add or remove one. The typical use: a vendor that
    publishes no certification counts, whose counts a distributor knows from its portal."""
    base_id = data["extends"]
    if not isinstance(base_id, str) or base_id not in known:
        names = ", ".join(sorted(known)) or "none"
        raise DefinitionError(
            path,
            "extends",
            f"names no program defined before it ({shown(base_id)}); known: {names}",
        )
    base = known[base_id]
    merged = copy.deepcopy(base.definition) if base.definition else _as_data(base)
    for key, value in data.items():
        if key == "metrics" and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        elif key not in ("extends", "tiers"):
            merged[key] = value
    tiers = {str(t["name"]).casefold(): t for t in merged["tiers"]}
    for i, change in enumerate(data.get("tiers", [])):
        name = change.get("name") if isinstance(change, dict) else None
        if not isinstance(name, str) or name.strip().casefold() not in tiers:
            raise DefinitionError(
                path,
                f"tiers[{i}].name",
                f"{shown(name)} is no tier of {base_id}; known: "
                + ", ".join(str(t["name"]) for t in merged["tiers"]),
            )
        tier = tiers[name.strip().casefold()]
        if "thresholds" in change:
            _set_thresholds(path, f"tiers[{i}].thresholds", tier, change["thresholds"])
        tier.update({k: v for k, v in change.items() if k not in ("name", "thresholds")})
    if merged["id"] == base_id:
        raise DefinitionError(path, "id", f"an extension needs an id of its own, not {base_id!r}")
    return merged


def _set_thresholds(
    path: PurePath | Traversable, field: str, tier: dict[str, Any], thresholds: object
) -> None:
    """Set the thresholds of a tier's tree by metric (``thresholds = { revenue = 50000 }``):
    the criteria of that metric whose threshold is unpublished, or its one criterion."""
    if not isinstance(thresholds, dict) or not thresholds:
        raise DefinitionError(path, field, "must be a table of metric = threshold")
    tree = tier.get("requires", tier.get("tracks"))
    for metric, value in thresholds.items():
        leaves = [leaf for leaf in _leaf_tables(tree) if leaf.get("metric") == metric]
        open_ = [leaf for leaf in leaves if leaf.get("min") == UNPUBLISHED]
        chosen = open_ or (leaves if len(leaves) == 1 else [])
        if not chosen:
            problem = (
                f"{tier['name']} has no criterion of {metric!r}"
                if not leaves
                else f"{tier['name']} has {len(leaves)} criteria of {metric!r}, none unpublished: "
                "write the tier's requires instead"
            )
            raise DefinitionError(path, f"{field}.{metric}", problem)
        for leaf in chosen:
            leaf["min"] = value


def _leaf_tables(node: object) -> list[dict[str, Any]]:
    """The criterion tables of a tree as a file writes it."""
    if isinstance(node, list):
        return [leaf for part in node for leaf in _leaf_tables(part)]
    if not isinstance(node, dict):
        return []
    if "metric" in node:
        return [node]
    return [leaf for value in node.values() for leaf in _leaf_tables(value)]


def _program_from_data(path: PurePath | Traversable, data: dict[str, Any]) -> Program:
    def fail(field: str, problem: str) -> DefinitionError:
        return DefinitionError(path, field, problem)

    _check_keys(data, _PROGRAM_KEYS, _REQUIRED_PROGRAM_KEYS, "", fail)
    program_id = _text(data, "id", fail)
    if not _ID.match(program_id):
        raise fail("id", "use lower-case letters, digits, '.', '_' or '-', e.g. 'acme-2025'")
    currency = _text(data, "currency", fail)
    if currency not in CURRENCIES:
        raise fail("currency", f"{shown(currency)} is not a known ISO 4217 currency code")
    effective_from = data.get("effective_from")
    if effective_from is not None and (
        not isinstance(effective_from, date) or hasattr(effective_from, "hour")
    ):
        raise fail("effective_from", "must be a date written like 2019-07-01 (no quotes)")
    replaces = _text(data, "replaces", fail) if "replaces" in data else None
    if replaces == program_id:
        raise fail("replaces", "a program cannot replace itself")
    month: int | None = None
    if data["fiscal_year_start_month"] != UNPUBLISHED:
        month = _whole(data, "fiscal_year_start_month", fail, "fiscal_year_start_month")
        if not 1 <= month <= 12:
            raise fail("fiscal_year_start_month", f"must be a month from 1 to 12, not {month}")
    roles = requirement_data.read_roles(data, fail)
    metrics = requirement_data.read_metrics(data, roles, fail)
    tracks = requirement_data.read_tracks(data, fail)
    grace = None
    if "grace_months" in data:
        grace = _whole(data, "grace_months", fail, "grace_months")
    audit = _month_day(data, "audit_day", fail) if "audit_day" in data else None
    return Program(
        id=program_id,
        vendor=_text(data, "vendor", fail),
        name=_text(data, "name", fail),
        currency=currency,
        fiscal_year_start_month=month,
        basis=_text(data, "basis", fail),
        source=_text(data, "source", fail),
        tiers=_tiers(data["tiers"], {m.name: m for m in metrics}, tracks, fail),
        effective_from=effective_from,
        replaces=replaces,
        grace_months=grace,
        audit_month_day=audit,
        metrics=tuple(metrics),
        tracks=tracks,
        lifecycle=requirement_data.read_lifecycle(data, fail),
        unpublished=_unpublished(data, fail),
        definition=copy.deepcopy(data),
        names_roles="roles" in data,
    )


def _unpublished(data: dict[str, Any], fail: Any) -> tuple[str, ...]:
    """What the vendor does not publish and the file therefore leaves out, in words
    (``unpublished = ["certification counts per tier"]``): told, never guessed."""
    raw = data.get("unpublished", [])
    if not isinstance(raw, list) or not all(
        isinstance(t, str) and t.strip() and len(t) <= 200 for t in raw
    ):
        raise fail("unpublished", "must be a list of texts in quotes, each at most 200 characters")
    return tuple(t.strip() for t in raw)


def _month_day(data: dict[str, Any], key: str, fail: Any) -> tuple[int, int]:
    """A day of every year written "MM-DD", e.g. "03-31"."""
    text = _text(data, key, fail)
    match = _MONTH_DAY.match(text)
    try:
        if match is None:
            raise ValueError
        date(2001, int(match[1]), int(match[2]))  # a year without 29 February
    except ValueError:
        raise fail(key, f'{shown(text)} is not a day of every year written like "03-31"') from None
    return int(match[1]), int(match[2])


def _tiers(
    raw: object, metrics: dict[str, Metric], tracks: tuple[str, ...], fail: Any
) -> tuple[Tier, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise fail("tiers", "must be a list of [[tiers]] tables, lowest tier first")
    if len(raw) > MAX_TIERS:
        raise fail("tiers", f"holds {len(raw):,} tiers; at most {MAX_TIERS:,}")
    tiers: list[Tier] = []
    names: set[str] = set()
    ladder: list[Tier] = []  # the tiers written as a revenue ladder, to check their order
    for i, item in enumerate(raw):
        where = f"tiers[{i}]"
        # A tier written as a tree, or a lowest tier that says nothing of revenue (it needs
        # nothing) in a program written as trees.
        tree = "requires" in item or "tracks" in item or (i == 0 and "min_revenue" not in item)
        _check_keys(
            item, _TIER_KEYS, {"name"} if tree else {"name", "min_revenue"}, where + ".", fail
        )
        name = _text(item, "name", fail, f"{where}.name")
        if name.casefold() in names:
            raise fail(
                f"{where}.name", f"{shown(name)} is used by another tier; names must be unique"
            )
        names.add(name.casefold())
        if tree:
            tiers.append(_tree_tier(item, name, where, i, metrics, tracks, fail))
            continue
        if tracks:
            raise fail(
                f"{where}.tracks",
                f"the program has tracks ({', '.join(tracks)}): "
                "give each tier's [tiers.tracks.<name>]",
            )
        min_revenue = _amount(item, "min_revenue", fail, f"{where}.min_revenue")
        counts = {}
        for key in ("min_certified_sales", "min_certified_engineers"):
            counts[key] = _whole(item, key, fail, f"{where}.{key}") if key in item else None
            below = getattr(ladder[-1], key) if ladder else None
            if counts[key] is not None and below is not None and counts[key] < below:
                raise fail(f"{where}.{key}", f"must be at least the tier below it ({below})")
        discount = None
        if "discount" in item:
            discount = _amount(item, "discount", fail, f"{where}.discount")
            if discount > 1:
                raise fail(f"{where}.discount", "must be a fraction from 0 to 1 (0.15 = 15%)")
        benefits = None
        if "benefits" in item:
            benefits = _text(item, "benefits", fail, f"{where}.benefits")
        if (
            any(counts.values())
            and not {"certified_sales", "certified_engineers"} <= metrics.keys()
        ):
            raise fail(
                where, "counts of certified sales and engineers need the roles sales and engineers"
            )
        if not tiers:
            if min_revenue != 0:
                raise fail(f"{where}.min_revenue", "the lowest tier must start at 0")
            if any(counts.values()):
                raise fail(where, "the lowest tier takes every partner: no certifications")
        elif ladder and min_revenue <= (below_revenue := ladder[-1].min_revenue or 0):
            raise fail(
                f"{where}.min_revenue",
                f"must be above the tier below it ({below_revenue})",
            )
        tier = Tier(
            name,
            min_revenue,
            counts["min_certified_sales"],
            counts["min_certified_engineers"],
            discount=discount,
            benefits=benefits,
        )
        ladder.append(tier)
        tiers.append(tier)
    return tuple(tiers)


MAX_TIERS = 10_000


def _tree_tier(
    item: dict[str, Any],
    name: str,
    where: str,
    index: int,
    metrics: dict[str, Metric],
    tracks: tuple[str, ...],
    fail: Any,
) -> Tier:
    """A tier written as a requirement tree (``requires``), or one tree per track."""
    if index == 0 and ("requires" in item or "tracks" in item):
        raise fail(where, "the lowest tier takes every partner: it requires nothing")
    requirement: Requirement | None = None
    if "tracks" in item:
        if "requires" in item:
            raise fail(f"{where}.requires", "a tier of a program with tracks gives its tracks")
        raw = item["tracks"]
        if not tracks or not isinstance(raw, dict) or not raw:
            raise fail(
                f"{where}.tracks", "needs the program's tracks = [...] and a table per track"
            )
        paths = []
        for track, node in raw.items():
            if track not in tracks:
                raise fail(
                    f"{where}.tracks.{track}",
                    f"is no track of the program; tracks: {', '.join(tracks)}",
                )
            inner = requirement_data.read_requirement(
                node, metrics, f"{where}.tracks.{track}", fail
            )
            paths.append(AtLeast.all_of(inner, name=track))
        requirement = AtLeast.any_of(*paths)
    elif index > 0:
        if tracks:
            raise fail(
                f"{where}.requires",
                f"the program has tracks ({', '.join(tracks)}): give [tiers.tracks.<name>]",
            )
        requirement = requirement_data.read_requirement(
            item["requires"], metrics, f"{where}.requires", fail
        )
    discount = None
    if "discount" in item:
        discount = _amount(item, "discount", fail, f"{where}.discount")
        if discount > 1:
            raise fail(f"{where}.discount", "must be a fraction from 0 to 1 (0.15 = 15%)")
    benefits = _text(item, "benefits", fail, f"{where}.benefits") if "benefits" in item else None
    return Tier(name, None, discount=discount, benefits=benefits, requirement=requirement)


def _check_keys(data: dict, allowed: set, required: set, prefix: str, fail: Any) -> None:
    for key in data:
        if key not in allowed:
            raise fail(prefix + key, f"unknown field; allowed: {', '.join(sorted(allowed))}")
    missing = sorted(required - data.keys())
    if missing:
        raise fail(prefix + missing[0], "is missing")


# The longest text of each field, in characters, so that every answer that shows one (a
# tier's name twice in a sentence, the id in a message) fits a cell and stays readable.
TEXT_LIMITS = {"id": 40, "replaces": 40, "name": 120, "vendor": 80, "tier": 40}
LONG_TEXT = 2000  # basis, source, benefits


def _text(data: dict, key: str, fail: Any, field: str | None = None) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise fail(field or key, "must be non-empty text in quotes")
    limit = TEXT_LIMITS.get("tier" if field and field.endswith(".name") else key, LONG_TEXT)
    if len(value.strip()) > limit:
        raise fail(field or key, f"is {len(value.strip()):,} characters long; at most {limit} fit")
    return value.strip()


def _whole(data: dict, key: str, fail: Any, field: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(field, f"must be a whole number, not {shown(value)}")
    if value < 0:
        raise fail(field, f"must not be negative ({value})")
    return value


def _amount(data: dict, key: str, fail: Any, field: str) -> Decimal:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(field, f"must be a number, not {shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise fail(field, f"must be a finite number, not {value}")
    if value < 0:
        raise fail(field, f"must not be negative ({value})")
    try:
        return excel_amount(Decimal(str(value)))
    except BadValue as exc:
        raise fail(field, f"{shown_number(value)} {exc.problem}") from None


# --- the registry -----------------------------------------------------------------------


def user_dirs() -> list[Path]:
    """Folders named by ``PARTNER_TIERS_PROGRAMS``, in order."""
    raw = os.environ.get(PROGRAMS_PATH_VARIABLE, "")
    return [Path(part) for part in raw.split(os.pathsep) if part.strip()]


def _definition_files(folder: Path | Traversable) -> list[Path | Traversable]:
    """Every ``*.toml`` entry of ``folder``: a broken link or a folder among them is reported
    when it is read, never skipped."""
    try:
        return sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=_name)
    except OSError as exc:
        raise ProgramError(
            f"{PROGRAMS_PATH_VARIABLE} names {str(folder)!r}, which cannot be listed "
            f"({exc.strerror or exc})"
        ) from None


def _name(entry: PurePath | Traversable) -> str:
    return entry.name


def _stamp(path: Path | Traversable) -> tuple[int, int, int, bytes] | None:
    """What tells a file changed: its stat, and its content's hash, which an edit that keeps
    the size and the time (``cp -p``) changes too. Package data that is not a file on disk
    (a zipped install) cannot change while it is in use: it has no stamp."""
    if not isinstance(path, Path):
        return None
    try:
        st = path.stat()
        small = path.is_file() and st.st_size <= MAX_DEFINITION_BYTES
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest() if small else b""
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, digest)


def load_in_order(
    paths: list[Path | Traversable], known: dict[str, Program]
) -> list[tuple[Path | Traversable, Program | ProgramError]]:
    """Load user files so that a file that ``extends`` another user file is read after it,
    whatever their names: each pass loads what it can, until a pass loads nothing. Each
    file comes back with its program or its error."""
    known = dict(known)
    done: list[tuple[Path | Traversable, Program | ProgramError]] = []
    pending = list(paths)
    while pending:
        waiting: list[tuple[Path | Traversable, ProgramError]] = []
        for path in pending:
            try:
                program = load_program_file(path, known)
            except DefinitionError as exc:
                if exc.field == "extends":
                    waiting.append((path, exc))  # its base may come later in this pass
                else:
                    done.append((path, exc))
                continue
            except ProgramError as exc:
                done.append((path, exc))
                continue
            known[program.id] = program
            done.append((path, program))
        if len(waiting) == len(pending):  # no progress: each still waiting is an error
            done.extend(waiting)
            break
        pending = [path for path, _ in waiting]
    order = {id(p): i for i, p in enumerate(paths)}
    return sorted(done, key=lambda item: order[id(item[0])])


def _not_a_folder(folder: PurePath | Traversable) -> ProgramError:
    return ProgramError(f"{PROGRAMS_PATH_VARIABLE} names {str(folder)!r}, which is not a folder")


class ProgramRegistry:
    """All available programs, reloaded when their files change.

    ``check_interval`` (seconds) limits how often the files are looked at; 0 checks on
    every call.
    """

    def __init__(self, check_interval: float = CHECK_INTERVAL) -> None:
        self.check_interval = check_interval
        self._signature: object = None
        self._next_check = -math.inf
        self._sources: dict[str, ProgramSource] = {}
        self._error: ProgramError | None = None
        self._defined: dict[str, Program] = {}  # from text, for this session (see define)

    def _current_signature(self) -> tuple:
        folders: list[Path | Traversable] = [BUILTIN_DIR, *user_dirs()]
        stamps: list[tuple[str, object]] = []
        for folder in folders:
            stamps.append((str(folder), _stamp(folder)))
            try:
                stamps.extend((str(p), _stamp(p)) for p in _definition_files(folder))
            except ProgramError as exc:  # told when the definitions are loaded
                stamps.append((str(folder), str(exc)))
        return (os.environ.get(DEFAULT_PROGRAM_VARIABLE), tuple(stamps))

    def refresh(self, force: bool = False) -> None:
        """Reload if any definition file or folder changed (or always, with ``force``)."""
        now = time.monotonic()
        if not force and now < self._next_check:
            return
        self._next_check = now + self.check_interval
        signature = self._current_signature()
        if force or signature != self._signature:
            self._signature = signature
            self._load()

    def _load(self) -> None:
        self._sources, self._error = {}, None
        try:
            builtin = {}
            for path in _definition_files(BUILTIN_DIR):
                program = load_program_file(path)
                builtin[program.id] = ProgramSource(program, path)
            user: dict[str, ProgramSource] = {}
            paths: list[Path | Traversable] = []
            for folder in user_dirs():
                if not folder.is_dir():
                    raise _not_a_folder(folder)
                paths.extend(_definition_files(folder))
            base = {i: src.program for i, src in builtin.items()}
            for path, loaded in load_in_order(paths, base):
                if isinstance(loaded, ProgramError):
                    raise loaded
                program = loaded
                if program.id in user:
                    raise DefinitionError(
                        path, "id", f"{program.id!r} is also defined in {user[program.id].path}"
                    )
                replaced = builtin.get(program.id)
                user[program.id] = ProgramSource(program, path, replaced.path if replaced else None)
            sources = {**builtin, **user}
            for source in sources.values():
                replaces = source.program.replaces
                if replaces is not None and replaces not in sources:
                    raise DefinitionError(
                        source.path, "replaces", f"names unknown program {replaces!r}"
                    )
            self._sources = dict(sorted(sources.items()))
            default = self.default_id()
            if default not in self._sources:
                raise ProgramError(
                    f"{DEFAULT_PROGRAM_VARIABLE} names unknown program {default!r}; "
                    f"known: {', '.join(self._sources)}"
                )
        except ProgramError as exc:
            self._sources, self._error = {}, exc

    def _checked(self) -> dict[str, ProgramSource]:
        self.refresh()
        if self._error is not None:
            raise self._error
        return self._sources

    def sources(self) -> list[ProgramSource]:
        """Every program with its file, sorted by id."""
        return list(self._checked().values())

    def ids(self) -> list[str]:
        return sorted([*self._checked(), *self._defined])

    def define(self, text: str) -> Program:
        """Validate a definition given as TOML text and make it available by its id for the
        rest of the session. Its id may not be one of a file's; defining an id again replaces
        the earlier text (the cell holding it was edited).

        >>> session = ProgramRegistry()
        >>> session.define('''
        ... id = "acme-2026"
        ... vendor = "Acme"
        ... name = "Acme Partner Program"
        ... currency = "PLN"
        ... fiscal_year_start_month = 1
        ... basis = "revenue of the previous fiscal year"
        ... source = "the example of this docstring"
        ... [[tiers]]
        ... name = "Registered"
        ... min_revenue = 0
        ... [[tiers]]
        ... name = "Partner"
        ... min_revenue = 50000
        ... ''').tiers[1].min_revenue
        Decimal('50000')
        >>> session.get("acme-2026").currency
        'PLN'
        """
        sources = self._checked()
        known = {i: src.program for i, src in sources.items()} | self._defined
        program = load_program_text(text, DEFINED_IN, known)
        if program.id in sources:
            raise DefinitionError(
                DEFINED_IN,
                "id",
                f"{program.id!r} is the id of {sources[program.id].path.name}; "
                "give this program an id of its own",
            )
        if program.replaces is not None and not (
            program.replaces in sources or program.replaces in self._defined
        ):
            raise DefinitionError(
                DEFINED_IN, "replaces", f"names unknown program {program.replaces!r}"
            )
        if program.id not in self._defined and len(self._defined) >= MAX_DEFINED_PROGRAMS:
            raise DefinitionError(
                DEFINED_IN, "", f"is one too many: at most {MAX_DEFINED_PROGRAMS} programs"
            )
        self._defined[program.id] = program
        return program

    @staticmethod
    def default_id() -> str:
        return os.environ.get(DEFAULT_PROGRAM_VARIABLE, "").strip() or DEFAULT_PROGRAM

    def get(self, program_id: str | None = None) -> Program:
        """The program with this id (case and spaces ignored); the default one for None."""
        sources = self._checked()
        key = self.default_id() if program_id is None else program_id.strip().lower()
        if key in sources:
            return sources[key].program
        if key in self._defined:
            return self._defined[key]
        raise UnknownProgram(program_id, self.ids())


registry = ProgramRegistry()


def get_program(program_id: str | None = None) -> Program:
    """The program with this id from the shared registry; the default program for None."""
    return registry.get(program_id)


def program_ids() -> list[str]:
    """Ids of all available programs, sorted."""
    return registry.ids()


def define_program(text: str) -> Program:
    """Make a program written as TOML text available by its id, in the shared registry
    (see :meth:`ProgramRegistry.define`, which shows an example)."""
    return registry.define(text)


def check_definitions() -> tuple[
    list[tuple[PurePath | Traversable, ProgramError | None]], ProgramError | None
]:
    """Every definition file with its error (None when it is valid), and the error of the
    set as a whole (a duplicate id, an unknown ``replaces`` or default), checked only when
    every file is valid on its own. Unlike a lookup, this reports every broken file at once.
    """
    files: list[tuple[PurePath | Traversable, ProgramError | None]] = []
    builtin: dict[str, Program] = {}
    for folder in [BUILTIN_DIR, *user_dirs()]:
        if not folder.is_dir():
            return files, _not_a_folder(folder)
        try:
            paths = _definition_files(folder)
        except ProgramError as exc:
            return files, exc
        # Built-in files first; then each user folder, its files extending what came before.
        for path, loaded in load_in_order(paths, builtin):
            files.append((path, loaded if isinstance(loaded, ProgramError) else None))
            if folder is BUILTIN_DIR and isinstance(loaded, Program):
                builtin[loaded.id] = loaded
    if any(error for _, error in files):
        return files, None
    whole = ProgramRegistry(check_interval=0)
    whole.refresh(force=True)
    return files, whole._error
