"""Certifications as a vendor's audit counts them: certified people valid on the audit day.

A vendor sets each partner's tier at an audit, by default on the last day of the fiscal
year (Sophos: 31 March). It counts the certified sales people and engineers whose
certification is valid **on that day**, a certification being valid up to and including its
valid-until date (for Sophos two years after the course's release, not after the exam).
A certification valid today that ends before the audit *lapses*: it counts now, not then.

Vendors count people, not rows: a person counts once per role, however many of their rows
(two courses, the same row exported twice) are valid that day. A person is recognised by
the name with case, spacing, accents and punctuation ignored, as partners are
(:mod:`partner_tiers.rules.identity`).

>>> day = audit_day(2027, 4)
>>> day
datetime.date(2027, 3, 31)
>>> certified = [
...     Certification(person="Ewa Nowak", role=SALES, certification="Sales", valid_until=day),
...     Certification(person="EWA NOWAK", role=SALES, certification="Sales", valid_until=day),
...     Certification(person="Jan Kowalski", role=ENGINEER, certification="Engineer",
...                   valid_until=date(2027, 3, 30)),
... ]
>>> counts_on(certified, day), counts_on(certified, date(2026, 9, 30))
((1, 0), (1, 1))
>>> [c.person for c in lapsing(certified, date(2026, 9, 30), day)]
['Jan Kowalski']

A certification row belongs to a partner as every other row does: by its tax id, else by
its name (:func:`owners`). A row that names two partners alike without a tax id belongs to
neither, rather than to the wrong one:

>>> partners = [("ACME", "526-000-12-46"), ("Acme", "7770001719"), ("Beta", None)]
>>> rows = [
...     Certification(partner="acme", person="Ewa", role=SALES, certification="S",
...                   valid_until=day, tax_id="PL5260001246"),
...     Certification(partner="Acme", person="Jan", role=SALES, certification="S", valid_until=day),
...     Certification(partner="BETA", person="Ola", role=SALES, certification="S", valid_until=day),
... ]
>>> owners(partners, rows)
[0, None, 2]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from partner_tiers.rules.fiscal_year import fiscal_year_start
from partner_tiers.rules.identity import normalise_header, normalise_name, normalise_tax_id
from partner_tiers.rules.program import Program
from partner_tiers.texts import LANGUAGES, label

SALES, ENGINEER = "sales", "engineer"
ROLES = (SALES, ENGINEER)
# A role by the words portals and the workbooks use for it (compared normalised, the first
# word enough): "Sales Consultant", "Handlowiec", "Inżynier", "technical", ...
ROLE_WORDS = {
    SALES: {"sales", "sale", "sprzedaz", "handlowiec", "handlowy", "handlowcy"},
    ENGINEER: {"engineer", "technical", "technician", "presales", "inzynier", "techniczny"},
}
for _role in ROLES:  # the workbooks' own labels of a role, in every language
    ROLE_WORDS[_role] |= {normalise_header(label(f"role_{_role}", lang)) for lang in LANGUAGES}


def role_text(role: str | None, language: str, program: Program | None = None) -> str | None:
    """A role as a workbook writes it: a default role in ``language``, another role of
    ``program`` by its name, capitalised (as :func:`role_words` offers it); anything else as
    typed, never changed.

    >>> role_text(ENGINEER, "pl"), role_text("Architect", "pl")
    ('Inżynier', 'Architect')
    >>> from partner_tiers.rules.programs import get_program
    >>> role_text("architect?", "pl", get_program("sophos-2019"))
    'architect?'
    """
    if role in ROLES:
        return label(f"role_{role}", language)
    others = {m.role for m in program.metrics if m.role} if program else set()
    if role and role in others:
        return role[:1].upper() + role[1:].replace("_", " ")
    return role


def role_named(text: object, program: Program | None = None) -> str | None:
    """The key of the role a cell names, the one reader of a typed role: with ``program``,
    one of its roles (:func:`_program_role_named`: its "technical" is no engineer); without,
    :data:`SALES` or :data:`ENGINEER` by their usual words in either language. None when the
    cell names no such role.

    >>> role_named("Sales Consultant"), role_named(" inżynier "), role_named("Architect")
    ('sales', 'engineer', None)
    """
    if program is not None:
        return _program_role_named(text, program)
    words = normalise_header(text).split() if isinstance(text, str) else []
    for key, spellings in ROLE_WORDS.items():
        if words and (words[0] in spellings or " ".join(words) in spellings):
            return key
    return None


# A program's role (its metric certified_<role>) by the key its rows are counted by: the
# default roles by the keys above, any other role by its own name.
DEFAULT_ROLE_KEYS = {"sales": SALES, "engineers": ENGINEER}


def role_key(role: str) -> str:
    """The key a program's ``role`` is counted by.

    >>> role_key("engineers"), role_key("architects")
    ('engineer', 'architects')
    """
    return DEFAULT_ROLE_KEYS.get(role, role)


def _program_role_named(text: object, program: Program) -> str | None:
    """The key of the role of ``program`` that a cell names: by the role's name, singular
    or plural, or its words (either language); then, for the default roles, by the usual
    words (:func:`role_named`). None when it names no role of the program.

    >>> from partner_tiers.rules.programs import get_program
    >>> sophos = get_program("sophos-2019")
    >>> role_named("Sales Consultant", sophos), role_named("Architect", sophos)
    ('sales', None)
    """
    words = normalise_header(text).split() if isinstance(text, str) else []
    if not words:
        return None
    whole = " ".join(words)
    keys = []
    for metric in program.metrics:
        if metric.kind != "certified" or metric.role is None:
            continue
        role, w = metric.role, metric.words
        spelled = {
            role,
            role.removesuffix("s"),
            w.one,
            w.many,
            w.header_in("en"),
            w.header_in("pl"),
        }
        spelled |= {t for t in (w.pl_one, w.pl_many) if t}
        names = {normalise_header(t.replace("_", " ")) for t in spelled}
        if whole in names or words[0] in {role, role.removesuffix("s")}:
            return role_key(role)
        keys.append(role_key(role))
    found = role_named(text)
    return found if found in keys else None


def role_words(program: Program, language: str) -> list[str]:
    """The roles of ``program`` as a workbook's Role column offers them: the default roles
    in ``language`` (Sales, Engineer), any other by its name.

    >>> from partner_tiers.rules.programs import get_program
    >>> role_words(get_program("sophos-2019"), "pl")
    ['Handlowiec', 'Inżynier']
    """
    roles = [m.role for m in program.metrics if m.kind == "certified" and m.role]
    return [role_text(role_key(r), language, program) or r for r in roles]


@dataclass(frozen=True, kw_only=True)
class Certification:
    """One person's certification, as the audit counts it, and the partner its row names
    (its name, its tax id). The fields are those of a Certifications row
    (:class:`partner_tiers.records.CertificationRow`), in its order, each one read and
    checked: the row as typed may lack any of them; a Certification has them all."""

    partner: str = ""
    person: str
    role: str  # SALES, ENGINEER, or the key of another role of the program (role_key)
    certification: str
    valid_until: date
    tax_id: str | None = None

    def valid_on(self, day: date) -> bool:
        """Valid on ``day``: up to and including the valid-until date."""
        return day <= self.valid_until

    @property
    def holder(self) -> tuple[str, str]:
        """Who is certified, as the audit counts them: (role, the person's normalised name)."""
        return self.role, normalise_name(self.person)


def audit_day(fiscal_year: int, start_month: int, month_day: tuple[int, int] | None = None) -> date:
    """The audit day of ``fiscal_year``: its last day, or the last ``(month, day)`` in it.

    >>> audit_day(2026, 1), audit_day(2027, 4, (1, 15))
    (datetime.date(2026, 12, 31), datetime.date(2027, 1, 15))
    """
    last = fiscal_year_start(fiscal_year + 1, start_month) - timedelta(days=1)
    if month_day is None:
        return last
    month, day = month_day
    candidate = date(last.year, month, day)
    return candidate if candidate <= last else date(last.year - 1, month, day)


def program_audit_day(program: Program, fiscal_year: int) -> date:
    """The audit day of ``program``'s ``fiscal_year`` (its ``audit_day`` field, if set)."""
    return audit_day(fiscal_year, program.fiscal_start, program.audit_month_day)


def holders_on(certifications: Iterable[Certification], day: date) -> set[tuple[str, str]]:
    """The (role, person) pairs certified on ``day``: each person once per role."""
    return {c.holder for c in certifications if c.valid_on(day)}


def counts_on(certifications: Iterable[Certification], day: date) -> tuple[int, int]:
    """(certified sales people, certified engineers) on ``day``, each person once per role."""
    roles = [role for role, _ in holders_on(certifications, day)]
    return roles.count(SALES), roles.count(ENGINEER)


def lapsing(
    certifications: Iterable[Certification], today: date, audit: date
) -> list[Certification]:
    """The certified people of ``today`` who are no longer certified on the ``audit`` day,
    one row each (the one valid longest), soonest first: exactly what the counts lose."""
    held = list(certifications)
    lost = holders_on(held, today) - holders_on(held, audit)
    last: dict[tuple[str, str], Certification] = {}
    for c in held:
        if c.holder in lost and c.valid_on(today):
            kept = last.get(c.holder)
            if kept is None or c.valid_until > kept.valid_until:
                last[c.holder] = c
    return sorted(last.values(), key=lambda c: (c.valid_until, c.person, c.certification))


def owners(
    partners: Sequence[tuple[str | None, str | None]], certifications: Sequence[Certification]
) -> list[int | None]:
    """The position in ``partners`` ((name, tax id) each) of the partner each certification
    belongs to: the one with its tax id, else the one partner of its name that has no other
    tax id; None when there is none, or when two partners would fit (a row without a tax id
    naming two partners whose names differ only in case, say)."""
    by_tax: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    taxes = [normalise_tax_id(tax) for _, tax in partners]
    for i, (name, _) in enumerate(partners):
        if name:
            if taxes[i]:
                by_tax.setdefault(taxes[i], i)
            by_name.setdefault(normalise_name(name), []).append(i)
    found: list[int | None] = []
    for c in certifications:
        tax = normalise_tax_id(c.tax_id)
        if tax and tax in by_tax:
            found.append(by_tax[tax])
            continue
        fits = [i for i in by_name.get(normalise_name(c.partner), ()) if not tax or not taxes[i]]
        found.append(fits[0] if len(fits) == 1 else None)
    return found


def count_in_role(certifications: Iterable[Certification], role: str, day: date) -> int:
    """People certified in the role ``role`` (a key) on ``day``, each person once."""
    return len({holder for holder in holders_on(certifications, day) if holder[0] == role})


def by_owner(
    partners: Sequence[tuple[str | None, str | None]], certifications: Sequence[Certification]
) -> list[list[Certification]]:
    """The certifications of each partner, as :func:`owners` assigns them."""
    own: list[list[Certification]] = [[] for _ in partners]
    for c, owner in zip(certifications, owners(partners, certifications), strict=True):
        if owner is not None:
            own[owner].append(c)
    return own


def certified_in_role(
    partners: Sequence[tuple[str | None, str | None]],
    certifications: Sequence[Certification],
    role: str,
    day: date,
) -> list[int | None]:
    """Each partner's people certified in ``role`` on ``day``, from the certifications that
    belong to it (:func:`owners`); None for a partner without any (its typed count stands)."""
    own = by_owner(partners, certifications)
    return [count_in_role(rows, role, day) if rows else None for rows in own]


@dataclass(frozen=True)
class Certified:
    """One partner's certified people today and on the audit day, and who lapses between."""

    now: tuple[int, int]
    at_audit: tuple[int, int]
    lapsing: list[Certification]


def certified_people(
    partners: Sequence[tuple[str | None, str | None]],
    certifications: Sequence[Certification],
    today: date,
    audit: date,
) -> list[Certified | None]:
    """Each partner's :class:`Certified`, from the certifications that belong to it
    (:func:`owners`); None for a partner without any (the counts typed for it stand)."""
    own = by_owner(partners, certifications)
    return [
        Certified(counts_on(rows, today), counts_on(rows, audit), lapsing(rows, today, audit))
        if rows
        else None
        for rows in own
    ]
