"""A partner's identity: its tax id when known, otherwise its name with case, spacing,
accents and punctuation ignored. The one rule by which a sales row, a certification row and a
row of the previous review find their partner.

>>> partner_key("ACME  Sp. z o.o.", None) == partner_key("acme sp z o o", "")
True
>>> partner_key("Acme", "PL 526-000-12-46")
'tax:5260001246'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Generic, TypeVar

Item = TypeVar("Item")

# Accents are dropped from the European alphabets only (Latin, Greek, Cyrillic: below U+0530);
# in other scripts a combining mark is part of the letter, and dropping it would merge names.
_ACCENTED_SCRIPTS_END = 0x0530


@functools.lru_cache(maxsize=2**16)  # an export names each partner on every invoice row
def normalise_header(text: object) -> str:
    """Text without accents, case or punctuation, letters of every script kept.

    >>> normalise_header("Obrót Q1:"), normalise_header("Василёк ООО")
    ('obrot q1', 'василек ооо')
    """
    text = unicodedata.normalize("NFKD", str(text or "")).replace("ł", "l").replace("Ł", "L")
    kept, base = [], 0
    for ch in text:
        if unicodedata.combining(ch):
            if base >= _ACCENTED_SCRIPTS_END:
                kept.append(ch)
            continue
        base = ord(ch)
        kept.append(ch)
    # Letters, digits and the marks of other scripts (a Devanagari vowel sign is part of
    # its word) stay; anything else separates words.
    words = (
        ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " "
        for ch in "".join(kept).casefold()
    )
    return " ".join("".join(words).split())


def normalise_name(name: str) -> str:
    """A partner's name as :class:`PartnerIndex` compares it: its letters and digits, case,
    accents, spaces and punctuation ignored (``Bajt-Net`` is ``bajtnet``, ``S.A.`` is
    ``sa``); never empty for a name that is not blank, so that no two names of only symbols
    become one partner.

    >>> normalise_name("ACME  Sp. z o.o."), normalise_name("Ромашка ООО"), normalise_name("★★")
    ('acmespzoo', 'ромашкаооо', '★★')
    >>> normalise_name("Warta Systems S.A.") == normalise_name("warta systems sa")
    True
    """
    return normalise_header(name).replace(" ", "") or "".join(str(name or "").casefold().split())


@functools.lru_cache(maxsize=2**16)  # an export repeats a partner's tax id on every invoice
def normalise_tax_id(tax_id: object) -> str:
    """A tax id compacted as python-stdnum compacts it: digits and letters only, upper case,
    and a Polish NIP without its ``PL`` prefix (what ``stdnum.pl.nip.compact`` does; the rules
    import no stdnum, and a test holds the two equal), so that every spelling
    of one id is one partner.

    >>> normalise_tax_id("PL 526-000-12-46"), normalise_tax_id("de 136 695 976")
    ('5260001246', 'DE136695976')
    """
    text = re.sub(r"[^0-9A-Za-z]", "", str(tax_id or "")).upper()
    return text[-10:] if re.fullmatch(r"(?:PL)?\d{10}", text) else text


def partner_key(name: str, tax_id: object) -> str:
    """How a partner is recognised: its tax id when known, otherwise its normalised name."""
    tax = normalise_tax_id(tax_id)
    return f"tax:{tax}" if tax else f"name:{normalise_name(name)}"


class PartnerIndex(Generic[Item]):
    """Partners found by their identity: the one rule of the sales import and the carry-over.

    The same tax id is the same partner. Otherwise the same name (see :func:`normalise_name`)
    is, unless both have tax ids: two tax ids are two partners, whatever their names.

    >>> index = PartnerIndex()
    >>> index.add("Acme Sp. z o.o.", "PL 526-000-12-46", "acme")
    >>> index.add("Beta", None, "beta")
    >>> index.find("ACME sp z o o", None), index.find("Acme", "1111111111")
    ('acme', None)
    >>> index.find("Beta", "1111111111"), index.find("Beta (Kraków)", "1111111111")
    ('beta', None)
    """

    def __init__(self) -> None:
        self._by_tax: dict[str, Item] = {}
        self._by_name: dict[str, list[Item]] = {}
        self._tax_of: dict[int, str] = {}  # id(item) -> its normalised tax id, "" for none
        self._name_of: dict[int, str] = {}  # id(item) -> its normalised name
        self._items: dict[int, Item] = {}  # in the order added

    def __iter__(self) -> Iterator[Item]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def find(self, name: str, tax_id: object) -> Item | None:
        tax = normalise_tax_id(tax_id)
        if tax and tax in self._by_tax:
            return self._by_tax[tax]
        for item in self._by_name.get(normalise_name(name), ()):
            if not tax or not self._tax_of[id(item)]:
                return item
        return None

    def add(self, name: str, tax_id: object, item: Item) -> None:
        key = normalise_name(name)
        self._tax_of[id(item)], self._name_of[id(item)], self._items[id(item)] = "", key, item
        self._by_name.setdefault(key, []).append(item)
        self.identify(item, tax_id)

    def identify(self, item: Item, tax_id: object) -> None:
        """Give ``item``, which had none, its tax id."""
        tax = normalise_tax_id(tax_id)
        if tax and not self._tax_of[id(item)]:
            self._tax_of[id(item)] = tax
            self._by_tax.setdefault(tax, item)

    def take(self, name: str, tax_id: object) -> Item | None:
        """:meth:`find`, and the item found is found no more (each is matched once)."""
        item = self.find(name, tax_id)
        if item is not None:
            tax, key = self._tax_of.pop(id(item)), self._name_of.pop(id(item))
            del self._items[id(item)]
            if self._by_tax.get(tax) is item:
                del self._by_tax[tax]
            self._by_name[key] = [i for i in self._by_name[key] if i is not item]
        return item
